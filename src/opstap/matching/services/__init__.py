"""State changes of matching (R-MAT): one keyword-only function per change, validated with
the pure rules, written in a transaction, with an event and an audit line.

Permissions: employers and vacancies need `vacancies.manage` (the WSP's werkgeversadviseur);
a client's work profile is kept by whoever may change the client (`clients.change`, the case
manager) and confirmed by the resident; proposals, introductions and placements need
`matching.propose` and the client in the user's scope (case manager or, for shared
profiles, the WSP); the weights need `admin.configure`.

One module per aggregate; other apps import from this package (`opstap.matching.services`).
"""

from __future__ import annotations

from ._common import MAX_DAYS_AHEAD, MatchingError
from .employers import employer_contact_add, employer_create, employer_location_add
from .placements import placement_durability_record, placement_record, placements_check_durability
from .profiles import PROFILE_FIELDS, work_profile_confirm, work_profile_save
from .proposals import (
    proposal_create,
    proposal_introduction_plan,
    proposal_introduction_record,
    proposal_withdraw,
)
from .reference import read_reference_csv, reference_data_load
from .vacancies import (
    EDUCATION_LABELS,
    IMPORT_COLUMN_OF,
    VACANCY_FIELDS,
    vacancy_create,
    vacancy_import,
    vacancy_transition,
    vacancy_update,
)
from .weights import match_weights_update

__all__ = [
    "EDUCATION_LABELS",
    "IMPORT_COLUMN_OF",
    "MAX_DAYS_AHEAD",
    "PROFILE_FIELDS",
    "VACANCY_FIELDS",
    "MatchingError",
    "employer_contact_add",
    "employer_create",
    "employer_location_add",
    "match_weights_update",
    "placement_durability_record",
    "placement_record",
    "placements_check_durability",
    "proposal_create",
    "proposal_introduction_plan",
    "proposal_introduction_record",
    "proposal_withdraw",
    "read_reference_csv",
    "reference_data_load",
    "vacancy_create",
    "vacancy_import",
    "vacancy_transition",
    "vacancy_update",
    "work_profile_confirm",
    "work_profile_save",
]
