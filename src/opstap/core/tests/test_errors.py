"""The DomainError family and its two translators (problem+json, form errors)."""

from __future__ import annotations

import pytest
from django import forms
from rest_framework.test import APIRequestFactory

from opstap.core.errors import (
    ConflictError,
    DomainError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    WorkflowError,
    status_of,
)
from opstap.core.forms import add_domain_error
from opstap.core.problems import problem_exception_handler


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (DomainError("x"), 400),
        (InvalidInputError("x"), 400),
        (InvalidInputError("x", code="not_found"), 404),  # an app error naming its kind by code
        (InvalidInputError("x", code="forbidden"), 403),
        (NotFoundError("x"), 404),
        (PermissionDeniedError("x"), 403),
        (ConflictError("x"), 409),
        (WorkflowError("x", state="a", action="b"), 409),
    ],
)
def test_status_of_each_kind(error: DomainError, status: int) -> None:
    assert status_of(error) == status


def test_every_app_error_is_a_domain_error_with_its_old_constructor() -> None:
    """Issue 13: the per-app classes keep their names and constructors."""
    from opstap.access_requests.services import AccessRequestConflict, AccessRequestError
    from opstap.access_requests.workflow import IllegalTransitionError
    from opstap.accounts.impersonation import ImpersonationError
    from opstap.accounts.services import AccountError
    from opstap.clients.importer import RowError
    from opstap.clients.services import ClientError
    from opstap.finance.models_pure.errors import FinanceInputError
    from opstap.finance.services import FinanceError
    from opstap.indicators.services import IndicatorError
    from opstap.invoices.payment_rules import PaymentRuleError
    from opstap.invoices.services import InvoiceError
    from opstap.invoices.workflow import IllegalInvoiceTransition
    from opstap.kpis.services import KpiError
    from opstap.notifications.services import NotificationError
    from opstap.organisations.services import OrganisationError
    from opstap.providers.services import ProviderError
    from opstap.trajectories.services import TrajectoryError
    from opstap.trajectories.workflow import IllegalTransition

    assert InvoiceError("Nee.", field="amount", code="duplicate").code == "duplicate"
    assert TrajectoryError("Nee.", field="reason").field == "reason"
    assert ClientError("Nee.", field="bsn").message == "Nee."
    assert KpiError("Nee.", field="target").field == "target"
    assert FinanceError("Nee.").field is None
    assert IndicatorError("Nee.", field="to").field == "to"
    assert AccessRequestError("Nee.", code="not_found").code == "not_found"
    assert status_of(AccessRequestConflict("Bezig.", code="already_open")) == 409
    assert str(NotificationError("Nee.")) == "Nee."
    assert RowError("bsn", "Ongeldig BSN.").field == "bsn"
    assert isinstance(FinanceInputError("Nee.", field="x"), ValueError)
    assert isinstance(PaymentRuleError("Nee."), ValueError)
    for cls in (ProviderError, OrganisationError, AccountError):
        assert cls("Nee.").message == "Nee."
    assert status_of(ImpersonationError("Nee.")) == 403
    for error in (
        IllegalTransitionError("x", state="a", action="b"),
        IllegalInvoiceTransition("x"),
    ):
        assert isinstance(error, WorkflowError)
    every = (
        InvoiceError, TrajectoryError, ClientError, KpiError, FinanceError, IndicatorError,
        AccessRequestError, NotificationError, RowError, FinanceInputError, PaymentRuleError,
        ProviderError, OrganisationError, AccountError, ImpersonationError, IllegalTransition,
    )  # fmt: skip
    assert all(issubclass(cls, DomainError) for cls in every)


def _problem(error: Exception) -> tuple[int, dict[str, object]]:
    request = APIRequestFactory().post("/api/v1/iets")
    response = problem_exception_handler(error, {"request": request})
    assert response is not None
    assert response.content_type == "application/problem+json"
    return response.status_code, dict(response.data)


def test_problem_json_names_the_field_of_a_refusal() -> None:
    status, body = _problem(InvalidInputError("Vul een bedrag in.", field="amount_excl"))
    assert status == 400
    assert body["invalidParams"] == [
        {"name": "amountExcl", "code": "invalid", "reason": "Vul een bedrag in."}
    ]
    assert body["title"] == "Ongeldige invoer"


def test_problem_json_for_not_found_conflict_and_forbidden() -> None:
    assert _problem(NotFoundError("Deze factuur is niet gevonden."))[1]["detail"] == (
        "Deze factuur is niet gevonden."
    )
    status, body = _problem(WorkflowError("Dat kan niet in deze status."))
    assert (status, body["title"], body["detail"]) == (
        409,
        "Conflict",
        "Dat kan niet in deze status.",
    )
    assert _problem(PermissionDeniedError("Niet voor u."))[0] == 403
    assert "invalidParams" not in body


class _Form(forms.Form):
    amount = forms.CharField(required=False)
    tot = forms.CharField(required=False)


def test_form_error_beside_the_field_or_above_the_form() -> None:
    form = _Form(data={})
    assert form.is_valid()
    add_domain_error(form, InvalidInputError("Te hoog.", field="amount"))
    add_domain_error(form, InvalidInputError("Onbekend veld.", field="elders"))
    add_domain_error(form, InvalidInputError("Einde voor begin.", field="to"), fields={"to": "tot"})
    assert form.errors["amount"] == ["Te hoog."]
    assert form.errors["tot"] == ["Einde voor begin."]
    assert form.non_field_errors() == ["Onbekend veld."]


def test_a_refusal_of_several_problems_lists_each_in_problem_json_and_on_the_form() -> None:
    """R-SEC-6: an input with several problems is refused with all of them (`of_all`): the API
    named only the first, so the caller learnt the next one only after fixing it."""
    error = InvalidInputError.of_all(
        [
            InvalidInputError("Moet positief zijn.", field="hours_per_week"),
            InvalidInputError("Vóór de start.", field="probation_end"),
            InvalidInputError("Al gedeclareerd.", field="placement_start", code="duplicate"),
            InvalidInputError("Iets algemeens."),
        ]
    )
    assert (str(error), error.field) == ("Moet positief zijn.", "hours_per_week")
    status, body = _problem(error)
    assert status == 400
    assert body["invalidParams"] == [
        {"name": "hoursPerWeek", "code": "invalid", "reason": "Moet positief zijn."},
        {"name": "probationEnd", "code": "invalid", "reason": "Vóór de start."},
        {"name": "placementStart", "code": "duplicate", "reason": "Al gedeclareerd."},
        {"name": "nonFieldErrors", "code": "invalid", "reason": "Iets algemeens."},
    ]
    form = _Form(data={})
    assert form.is_valid()
    add_domain_error(
        form,
        InvalidInputError.of_all(
            [InvalidInputError("Te hoog.", field="amount"), InvalidInputError("Leeg.", field="tot")]
        ),
    )
    assert (form.errors["amount"], form.errors["tot"]) == (["Te hoog."], ["Leeg."])
    single = InvalidInputError("Eén.")
    assert single.problems == (single,)


def test_every_api_field_error_reads_dutch(db) -> None:
    """R-SEC-6, R-INT-1: a field error in problem+json is Dutch for every kind of field.
    Django REST framework's Dutch catalogue leaves some messages in English ("Not a valid
    string.", "Must be a valid boolean.", "Ensure this field has no more than 30 elements.")
    and writes others half-English ("Date heeft het verkeerde formaat", "Ongeldige pk");
    found by posting a list as the title of a vacancy (POST /api/v1/vacancies)."""
    from django.utils import translation
    from rest_framework import exceptions, serializers

    class Probe(serializers.Serializer):
        text = serializers.CharField()
        flag = serializers.BooleanField()
        tags = serializers.ListField(child=serializers.CharField(), max_length=2, min_length=1)
        on = serializers.DateField()
        at = serializers.DateTimeField()
        map = serializers.DictField(allow_empty=False)
        ref = serializers.UUIDField()
        ratio = serializers.FloatField()

    bad = {
        "text": ["x"],
        "flag": "misschien",
        "tags": ["a", "b", "c"],
        "on": "31-02-2026",
        "at": "gisteren",
        "map": {},
        "ref": "x",
        "ratio": "1e400",
    }
    with translation.override("nl"):
        probe = Probe(data=bad)
        assert not probe.is_valid()
        request = APIRequestFactory().post("/api/v1/probe")
        response = problem_exception_handler(
            exceptions.ValidationError(probe.errors), {"request": request}
        )
        assert response is not None
        reasons = {p["name"]: p["reason"] for p in response.data["invalidParams"]}
        few = Probe(data={**bad, "tags": []})
        few.is_valid()
        few_response = problem_exception_handler(
            exceptions.ValidationError(few.errors), {"request": request}
        )
        assert few_response is not None
        reasons["fewTags"] = next(
            p["reason"] for p in few_response.data["invalidParams"] if p["name"] == "tags"
        )
    assert set(reasons) >= {"text", "flag", "tags", "on", "at", "map", "ref", "fewTags"}
    english = ("valid", "Ensure", "Must", "Date ", "Datetime", "dictionary", "elements", " pk")
    for name, reason in reasons.items():
        assert not any(word in reason for word in english), (name, reason)
    assert "JJJJ-MM-DD" in reasons["on"]
    assert "2" in reasons["tags"]


def test_malformed_json_is_refused_in_dutch() -> None:
    """R-SEC-6, R-INT-1: a body that is not JSON gets a Dutch detail, not the parser's
    English ("JSON parse error - Expecting property name enclosed in double quotes")."""
    from rest_framework import exceptions

    request = APIRequestFactory().post("/api/v1/employers")
    error = exceptions.ParseError(
        "JSON parse error - Expecting property name enclosed in double quotes: line 1"
    )
    response = problem_exception_handler(error, {"request": request})
    assert response is not None and response.status_code == 400
    assert "JSON parse error" not in response.data["detail"]
    assert "geen geldige JSON" in response.data["detail"]
