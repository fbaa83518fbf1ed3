"""Pure rules around invoices besides the payment schedule (see ``payment_rules``).

- :mod:`.credit_notes`: credit notes and netting (R-BILL-8).
- :mod:`.payment_dates`: the day the bank paid a batch (R-BILL-10, R-TRJ-3).
- :mod:`.sepa`: transfers per provider of a payment batch (R-BILL-8, R-BILL-10).
- :mod:`.sepa_dates`: the requested execution date of a SEPA file, TARGET2 calendar (R-BILL-10).
- :mod:`.travel`: candidates' travel-cost claims (R-BILL-9).
"""
