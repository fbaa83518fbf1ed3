"""The day the bank paid a payment batch (R-BILL-10, R-TRJ-3).

The finance clerk records the day the bank executed the batch, after the fact. That day is
a fact from the bank statement, so it can be neither in the future (the bank has not paid
yet) nor before the batch's newest invoice was received (nothing is paid before it
arrives). The paid day is the end of the payment lead time ("payment within 30 working days
of receiving the invoice", R-TRJ-3) and of the invoice's life: a day outside these bounds
would count a payment that did not happen, or a negative lead time.

Pure module: no ORM.
"""

from __future__ import annotations

from datetime import date

__all__ = ["paid_on_refusal"]


def paid_on_refusal(paid_on: date, *, today: date, last_received: date | None) -> str | None:
    """Why `paid_on` cannot be the batch's payment day, in Dutch, or None when it can."""
    if paid_on > today:
        return (
            f"De betaaldatum {paid_on:%d-%m-%Y} ligt in de toekomst: registreer de betaling "
            "pas als de bank heeft betaald, met de datum van het bankafschrift."
        )
    if last_received is not None and paid_on < last_received:
        return (
            f"De betaaldatum {paid_on:%d-%m-%Y} ligt vóór de ontvangst van een factuur in "
            f"deze batch ({last_received:%d-%m-%Y}): kies de datum van het bankafschrift."
        )
    return None
