"""Dutch labels for what the audit trail stores as codes (issue 14: users read Dutch, never
`case_manager` or `trajectory 311`). The stored record keeps its codes (they are part of the
hash chain); the page and the export show these labels.

- roles: `opstap.core.roles.ROLE_NAMES_NL`;
- object types: the model's Dutch verbose name when the type is a model name (so the types of
  new apps are covered), else the table below;
"""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps

from opstap.core.roles import ROLE_NAMES_NL, RoleCode

OTHER_OBJECT_TYPES: dict[str, str] = {
    "page": "pagina",
    "home": "startpagina",
    "api": "API",
    "session": "sessie",
    "digid": "DigiD-inlog",
    "kpi_report": "KPI-rapportage",
    "kpi_settings": "KPI-instellingen",
    "kpi_amr_provider": "AMR-aanbieder",
    "invoice_pdf": "factuur-PDF",
    "client_import": "klantimport",
    "finance_scenario": "financieel scenario",
    "equated_day": "gelijkgestelde dag",
    "notification_preference": "meldingsvoorkeur",
    "otp_device": "tweede factor",
    "api_token": "API-sleutel",
    "vacancy_import": "vacature-import",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@cache
def _model_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("opstap."):
            continue
        name = str(model._meta.verbose_name)
        labels[model._meta.model_name or ""] = name
        labels[model._meta.label_lower] = name  # "indicators.quarterlyoverview"
        labels.setdefault(_snake(model.__name__), name)
    return labels


def object_type_label(code: str) -> str:
    if not code:
        return ""
    if code in OTHER_OBJECT_TYPES:
        return OTHER_OBJECT_TYPES[code]
    return _model_labels().get(code, code.replace("_", " "))


def roles_label(codes: str) -> str:
    names = []
    for code in filter(None, (c.strip() for c in codes.split(","))):
        try:
            names.append(ROLE_NAMES_NL[RoleCode(code)])
        except ValueError:
            names.append(code.replace("_", " "))
    return ", ".join(names)
