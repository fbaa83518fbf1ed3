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
