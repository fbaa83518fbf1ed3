"""Dutch labels for what the audit trail stores as codes (issue 14: users read Dutch, never
`case_manager` or `trajectory 311`). The stored record keeps its codes (they are part of the
hash chain); the page and the export show these labels.

- roles: `opstap.core.roles.ROLE_NAMES_NL`;
- object types: the model's Dutch verbose name when the type is a model's name by the one
  naming rule (`core.audit_names.object_type_for`, so the types of new apps are covered), else
  the table below. A name written before that rule (`FORMER_OBJECT_TYPES`, and a model's
  squashed `_meta.model_name` such as `accessrequest`) reads as the rule's name: the trail
  keeps what was written (append-only), and the auditor sees one kind of object.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps

from opstap.core.audit_names import object_type_for
from opstap.core.roles import ROLE_NAMES_NL, RoleCode

OTHER_OBJECT_TYPES: dict[str, str] = {
    "page": "pagina",
    "home": "startpagina",
    "api": "API",
    "session": "sessie",
    "digid": "DigiD-inlog",
    "kpi_report": "KPI-rapportage",
    "kpi_settings": "KPI-instellingen",
    "scenario": "financieel scenario",
    "invoice_pdf": "factuur-PDF",
    "equated_day": "gelijkgestelde dag",
    "notification_preference": "meldingsvoorkeur",
    "otp_device": "tweede factor",
    "api_token": "API-sleutel",
    "vacancy_import": "vacature-import",
}


#: Object types written under a name of their own before the one naming rule, with the
#: rule's name (the model's): records written since use the latter.
FORMER_OBJECT_TYPES: dict[str, str] = {
    "client_import": "import_job",
    "finance_scenario": "scenario",
    "kpi_amr_provider": "labour_market_region_provider",
    "social_return_block": "realised_block",
    "social_return_building_block": "building_block",
    "social_return_period": "block_period",
}


@cache
def _model_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("opstap."):
            continue
        name = str(model._meta.verbose_name)
        labels[model._meta.model_name or ""] = name
        labels[model._meta.label_lower] = name  # "indicators.quarterlyoverview"
        labels.setdefault(object_type_for(model), name)
    return labels


def object_type_label(code: str) -> str:
    if not code:
        return ""
    code = FORMER_OBJECT_TYPES.get(code, code)
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
