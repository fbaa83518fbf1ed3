"""The contract type as a Django choice (R-MAT, R-TRJ-7): one list for matching's vacancies
and placements and for a trajectory's outcome, built on the pure `core.contract_rules`."""

from __future__ import annotations

from django.db import models

from .contract_rules import AGENCY, CONTRACT_TYPE_NAMES_NL, FIXED, PERMANENT, TRIAL, WSW

__all__ = ["ContractType"]


class ContractType(models.TextChoices):
    PERMANENT = PERMANENT, CONTRACT_TYPE_NAMES_NL[PERMANENT]
    FIXED = FIXED, CONTRACT_TYPE_NAMES_NL[FIXED]
    TEMPORARY_AGENCY = AGENCY, CONTRACT_TYPE_NAMES_NL[AGENCY]
    TRIAL = TRIAL, CONTRACT_TYPE_NAMES_NL[TRIAL]
    WSW = WSW, CONTRACT_TYPE_NAMES_NL[WSW]
