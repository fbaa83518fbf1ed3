"""Pure rules around invoices besides the payment schedule (see ``payment_rules``).

- :mod:`.credit_notes`: credit notes and netting (R-BILL-8).
- :mod:`.travel`: candidates' travel-cost claims (R-BILL-9).
"""
