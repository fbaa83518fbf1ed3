"""R-TRJ-7 with R-MAT: a trajectory outcome's contract type becomes the choice that matching's
vacancies and placements have (`core.contract_types.ContractType`); before, it was free text
("Bijv. bepaalde tijd.") and a provider could store "onbepaalde tijd, 12 maanden".

This migration keeps every stored text: it adds `contract_type_note`, maps the text to a
contract type (case-insensitive, frozen here so a later change of the code does not change what
this migration did) and keeps the original text in the note wherever it was more than the bare
name of the type, or could not be mapped (the type is then empty: unknown). A permanent
contract loses its duration, as matching 0008 did for vacancies and placements; the duration
is kept in the note. The next migration narrows the column to the choice.

- "vast", "onbepaalde tijd" → permanent
- "uitzend…" → agency
- "bepaalde tijd", "tijdelijk", "jaarcontract" → fixed
- "proefplaatsing" → trial; "beschut werk", "wsw" → wsw
- the labels the placement form wrote ("Vast (onbepaalde tijd)", "Bepaalde tijd", …) map to
  their type without a note.

The reverse writes the Dutch name of the type back (or the note, where the type was empty).
"""

import re

from django.db import migrations, models

NAMES = {
    "permanent": "Vast (onbepaalde tijd)",
    "fixed": "Bepaalde tijd",
    "agency": "Uitzendwerk",
    "trial": "Proefplaatsing",
    "wsw": "Beschut werk (dienstbetrekking)",
}

#: Texts that are exactly the name of a type: mapped without keeping a note.
BARE = {
    "vast": "permanent",
    "vast contract": "permanent",
    "onbepaalde tijd": "permanent",
    "vast (onbepaalde tijd)": "permanent",
    "contract voor onbepaalde tijd": "permanent",
    "bepaalde tijd": "fixed",
    "contract voor bepaalde tijd": "fixed",
    "tijdelijk": "fixed",
    "tijdelijk contract": "fixed",
    "jaarcontract": "fixed",
    "uitzendwerk": "agency",
    "uitzendcontract": "agency",
    "uitzenden": "agency",
    "proefplaatsing": "trial",
    "beschut werk": "wsw",
    "beschut werk (dienstbetrekking)": "wsw",
    "wsw": "wsw",
}


def contract_type_of(text):
    """(type code or "", note) for a stored free text."""
    original = (text or "").strip()
    folded = " ".join(original.lower().split())
    if not folded:
        return "", ""
    if folded in BARE:
        return BARE[folded], ""
    if "onbepaalde tijd" in folded or re.search(r"\bvast", folded):
        code = "permanent"
    elif "uitzend" in folded:
        code = "agency"
    elif (
        "bepaalde tijd" in folded
        or "tijdelijk" in folded
        or "jaarcontract" in folded
        or "fixed" in folded
    ):
        code = "fixed"
    elif "proefplaats" in folded:
        code = "trial"
    elif "beschut" in folded or re.search(r"\bwsw\b", folded):
        code = "wsw"
    else:
        code = ""
    return code, original[:100]


def map_free_texts(apps, schema_editor):
    Outcome = apps.get_model("trajectories", "Outcome")
    for outcome in Outcome.objects.exclude(contract_type="").iterator():
        code, note = contract_type_of(outcome.contract_type)
        months = outcome.contract_months
        if code == "permanent" and months is not None:
            note = f"{note or outcome.contract_type.strip()}; contractduur {months} maanden"[:100]
            months = None
        Outcome.objects.filter(pk=outcome.pk).update(
            contract_type=code, contract_type_note=note, contract_months=months
        )


def names_back(apps, schema_editor):
    Outcome = apps.get_model("trajectories", "Outcome")
    for outcome in Outcome.objects.all().iterator():
        text = NAMES.get(outcome.contract_type, "") if outcome.contract_type else ""
        text = text or outcome.contract_type_note
        Outcome.objects.filter(pk=outcome.pk).update(contract_type=text[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0018_vat_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="outcome",
            name="contract_type_note",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text=(
                    "Het soort contract zoals het vroeger vrij werd ingevuld, bewaard waar het "
                    "niet precies in de lijst paste."
                ),
                max_length=100,
                verbose_name="eerdere omschrijving contract",
            ),
        ),
        migrations.RunPython(map_free_texts, names_back),
    ]
