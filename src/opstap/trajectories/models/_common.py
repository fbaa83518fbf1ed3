"""Choices shared by the trajectories tables (not public)."""

from __future__ import annotations

from opstap.clients.models import ROTONDE_LABELS_NL
from opstap.trajectories.workflow import ACTION_LABELS_NL, STATE_LABELS_NL

STATE_CHOICES = [(state.value, label) for state, label in STATE_LABELS_NL.items()]
ACTION_CHOICES = [(action.value, label) for action, label in ACTION_LABELS_NL.items()] + [
    ("order", "Traject besteld"),
    ("document", "Document ingediend"),
    ("absence", "Verzuim gemeld"),
    ("outcome", "Resultaat vastgelegd"),
    ("appointment", "Afspraak gepland"),
    ("attendance", "Aanwezigheid vastgelegd"),
    ("document_share", "Document gedeeld met de klant"),
    ("document_unshare", "Document niet meer gedeeld met de klant"),
    ("submit_revised_quote", "Herziene offerte ingediend"),
    ("approve_revised_quote", "Herziene offerte goedgekeurd"),
    ("reject_revised_quote", "Herziene offerte afgewezen"),
]
ROTONDE_CHOICES = [(exit_.value, label) for exit_, label in ROTONDE_LABELS_NL.items()]
