"""Pure rules around invoices besides the payment schedule (see ``payment_rules``).

- :mod:`.credit_notes`: credit notes and netting (R-BILL-8).
- :mod:`.payment_dates`: the day the bank paid a batch (R-BILL-10, R-TRJ-3).
- :mod:`.travel`: candidates' travel-cost claims (R-BILL-9).
"""
