"""One name per kind of object in the audit trail (R-SEC-2): the model's class name in
snake_case (`core.audit_names.object_type_for`), on every path that writes a record. The
walk of session 18: the access-request work list wrote `accessrequest` beside the services'
`access_request`, and a denied read of any multi-word model wrote Django's squashed
`_meta.model_name` (`placementfeeclaim`), so an auditor looking for one kind of object
found it under two names."""

from __future__ import annotations

import ast
import pathlib

import pytest
from django.apps import apps
from django.test import Client as HttpClient

from opstap.access_requests.models import AccessRequest
from opstap.access_requests.services import access_request_create
from opstap.audit.labels import FORMER_OBJECT_TYPES, object_type_label
from opstap.audit.models import AuditRecord
from opstap.clients.services import case_manager_set_unit
from opstap.clients.tests.factories import make_client
from opstap.core.audit_names import object_type_for, snake_case
from opstap.core.roles import RoleCode
from opstap.invoices.models import PlacementFeeClaim

SRC = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("class_name", "expected"),
    [
        ("Client", "client"),  # one word: as Django names it
        ("AccessRequest", "access_request"),  # Django: accessrequest
        ("PlacementFeeClaim", "placement_fee_claim"),  # Django: placementfeeclaim
        ("KpiTarget", "kpi_target"),
        ("SrgDelivery", "srg_delivery"),
        ("BRPPerson", "brp_person"),  # an acronym starts the name
        ("Step2Plan", "step2_plan"),
    ],
)
def test_the_naming_rule(class_name: str, expected: str) -> None:
    assert snake_case(class_name) == expected


def test_object_type_for_a_model_and_a_row() -> None:
    assert object_type_for(AccessRequest) == "access_request"
    assert object_type_for(PlacementFeeClaim) == "placement_fee_claim"
    assert object_type_for(AccessRequest()) == "access_request"


@pytest.mark.django_db
def test_an_access_request_has_one_name_on_every_path(
    org, case_manager, make_user, client: HttpClient
) -> None:
    """R-SEC-2: the service (create), the work list (one `list` row per request), the page
    (read) and a denied read (a request outside the user's scope, through
    `get_object_for_user`) all name an access request `access_request`."""
    # given: a request about a client of the work unit, and one about a client of the care
    # unit, which the work unit's case manager may not see
    case_manager_set_unit(user=case_manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg")
    case_manager_set_unit(user=care, unit="care")
    own = make_client(org, ladder_step="4", case_manager=case_manager)
    foreign = make_client(org, ladder_step="1", case_manager=care)
    mine = access_request_create(actor=case_manager, client=own, note="")
    theirs = access_request_create(actor=care, client=foreign, note="")
    # when: the case manager opens the work list, the own request and the other one
    client.force_login(case_manager)
    assert client.get("/inzageverzoeken/").status_code == 200
    assert client.get(f"/inzageverzoeken/{mine.pk}/").status_code == 200
    assert client.get(f"/inzageverzoeken/{theirs.pk}/").status_code == 404
    # then: every record about an access request carries the one name
    # (ids of other kinds of object, a client or a user, may be the same numbers)
    about = AuditRecord.objects.filter(object_id__in=[str(mine.pk), str(theirs.pk)]).exclude(
        object_type__in=["client", "user"]
    )
    kinds = {(r.action, r.object_type) for r in about}
    assert {action for action, _type in kinds} >= {"create", "list", "read", "denied"}, kinds
    assert {object_type for _action, object_type in kinds} == {"access_request"}, kinds


@pytest.mark.django_db
def test_a_denied_read_of_a_multi_word_model_uses_the_rule(org, make_user) -> None:
    """R-SEC-2: `get_object_for_user` records a denied read of an existing row under the
    rule's name (it wrote Django's `accessrequest`)."""
    from django.http import Http404

    from opstap.core.access import get_object_for_user

    manager = make_user(RoleCode.CASE_MANAGER, username="km-rule")
    case_manager_set_unit(user=manager, unit="work")
    care = make_user(RoleCode.CASE_MANAGER, username="zorg-rule")
    case_manager_set_unit(user=care, unit="care")
    other = access_request_create(
        actor=care, client=make_client(org, ladder_step="1", case_manager=care), note=""
    )
    with pytest.raises(Http404):
        get_object_for_user(manager, AccessRequest.objects.all(), pk=other.pk)
    denied = AuditRecord.objects.get(action="denied")
    assert (denied.object_type, denied.object_id) == ("access_request", str(other.pk))


def _object_type_literals() -> list[tuple[str, int, str]]:
    """Every `object_type="..."` / `"object_type": "..."` / `audit_object_type = "..."` in
    production code, as (file, line, name)."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pairs: list[tuple[str, ast.AST]] = []
            if isinstance(node, ast.keyword) and node.arg == "object_type":
                pairs.append(("object_type", node.value))
            elif isinstance(node, ast.Dict):
                pairs += [
                    (k.value, v)
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == "object_type"
                ]
            elif isinstance(node, ast.Assign):
                pairs += [
                    (t.id, node.value)
                    for t in node.targets
                    if isinstance(t, ast.Name) and t.id == "audit_object_type"
                ]
            for _name, value in pairs:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    rel = str(path.relative_to(SRC))
                    found.append((rel, value.lineno, value.value))
    return found


def test_no_object_type_is_written_under_another_spelling() -> None:
    """R-SEC-2: no production code writes a model's squashed name (`accessrequest`,
    `auditrecord`) or a name the rule replaced (`FORMER_OBJECT_TYPES`), and every literal
    object type is snake_case."""
    literals = _object_type_literals()
    assert len(literals) > 50  # the scan finds the audit calls
    squashed = {
        m._meta.model_name: object_type_for(m)
        for m in apps.get_models()
        if m.__module__.startswith("opstap.") and m._meta.model_name != object_type_for(m)
    }
    wrong = [
        (where, line, name)
        for where, line, name in literals
        if name in squashed or name in FORMER_OBJECT_TYPES or name != snake_case(name)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("accessrequest", "access_request"),
        ("placementfeeclaim", "placement_fee_claim"),
        ("auditrecord", "audit_record"),
        ("importjob", "import_job"),
        ("client_import", "import_job"),
        ("finance_scenario", "scenario"),
        ("kpi_amr_provider", "labour_market_region_provider"),
        ("social_return_block", "realised_block"),
        ("social_return_period", "block_period"),
        ("social_return_building_block", "building_block"),
    ],
)
def test_records_written_under_the_former_name_read_as_the_same_kind(old: str, new: str) -> None:
    """The trail keeps what was written (append-only); the auditor's page and export show a
    record under a former name with the label of the rule's name, a Dutch word."""
    assert object_type_label(old) == object_type_label(new)
    assert "_" not in object_type_label(new)
