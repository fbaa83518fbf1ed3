"""`core.forms.form_submit`: a form page that calls one service (the one home of the "bind the
form, call the service when valid, put a refusal on the form, else a success message" steps of
the apps' form pages). The service here is a plain function: the helper never touches the
database."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import RequestFactory

from opstap.core.errors import ConflictError, DomainError, InvalidInputError
from opstap.core.forms import Submitted, form_submit, service_action


class _AppError(InvalidInputError):
    """An app's own error class, as `refused=`."""


class _Form(forms.Form):
    amount = forms.IntegerField()
    tot = forms.CharField(required=False)


def _request(method: str, data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _shown(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


class _Service:
    """Records its calls; refuses with `error` when given one, else returns `result`."""

    def __init__(self, *, result: object = "rij", error: DomainError | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.result, self.error = result, error

    def __call__(self, data: dict[str, Any]) -> object:
        self.calls.append(dict(data))
        if self.error is not None:
            raise self.error
        return self.result


def test_a_get_shows_the_form_without_calling_the_service() -> None:
    request, service = _request("GET"), _Service()
    form = _Form(None)

    assert form_submit(request, form, service, done="Opgeslagen.") is None
    assert service.calls == []
    assert not form.errors
    assert _shown(request) == []


def test_an_invalid_form_is_shown_again_with_its_own_errors() -> None:
    request, service = _request("POST", {"amount": "veel"}), _Service()
    form = _Form(request.POST)

    assert form_submit(request, form, service, done="Opgeslagen.") is None
    assert service.calls == []
    assert list(form.errors) == ["amount"]
    assert _shown(request) == []


def test_success_hands_back_the_result_and_shows_the_message() -> None:
    # given a valid form
    request, service = _request("POST", {"amount": "12", "tot": "x"}), _Service(result=42)
    form = _Form(request.POST)

    # when it is submitted
    submitted = form_submit(request, form, service, done="De uitgave is vastgelegd.")

    # then the service got the cleaned data, and its result comes back for the redirect
    assert submitted == Submitted(42)
    assert service.calls == [{"amount": 12, "tot": "x"}]
    assert _shown(request) == [("success", "De uitgave is vastgelegd.")]


def test_the_message_can_be_made_from_the_result_or_left_to_the_caller() -> None:
    request = _request("POST", {"amount": "3"})
    submitted = form_submit(
        request, _Form(request.POST), _Service(result=3), done=lambda n: f"{n} ingelezen."
    )
    assert submitted == Submitted(3)
    assert _shown(request) == [("success", "3 ingelezen.")]

    quiet = _request("POST", {"amount": "3"})
    assert form_submit(quiet, _Form(quiet.POST), _Service(result=None)) == Submitted(None)
    assert _shown(quiet) == []  # a service that returns None still counts as done


@pytest.mark.parametrize(
    ("error", "fields", "where"),
    [
        (_AppError("Te hoog.", field="amount"), None, "amount"),  # beside the field it names
        (_AppError("Einde voor begin.", field="to"), {"to": "tot"}, "tot"),  # renamed
        (_AppError("Dubbel.", field="elders"), None, "__all__"),  # not on this form: above it
        (_AppError("Dubbel."), None, "__all__"),  # about the request as a whole
    ],
)
def test_a_refusal_goes_on_the_form_and_no_success_is_shown(
    error: DomainError, fields: dict[str, str] | None, where: str
) -> None:
    request = _request("POST", {"amount": "12"})
    form = _Form(request.POST)

    submitted = form_submit(
        request,
        form,
        _Service(error=error),
        done="Opgeslagen.",
        refused=_AppError,
        fields=fields,
    )

    assert submitted is None
    assert form.errors[where] == [error.message]  # the service's Dutch message, unchanged
    assert _shown(request) == []


def test_above_keeps_a_refusal_above_the_form_even_when_it_names_a_field() -> None:
    request = _request("POST", {"amount": "12"})
    form = _Form(request.POST)
    error = _AppError("Te hoog.", field="amount")

    assert form_submit(request, form, _Service(error=error), refused=_AppError, above=True) is None
    assert form.errors == {"__all__": ["Te hoog."]}
    assert _shown(request) == []


@pytest.mark.parametrize(("done", "shown"), [("Opgeheven.", [("success", "Opgeheven.")]), ("", [])])
def test_a_button_shows_its_success_message_only_when_it_has_one(
    done: str, shown: list[tuple[str, str]]
) -> None:
    request, service = _request("POST"), _Service()

    assert service_action(request, lambda: service({}), done=done) is True
    assert _shown(request) == shown


def test_a_refused_button_shows_the_services_message() -> None:
    request = _request("POST")
    refused = _Service(error=_AppError("Al opgeheven."))

    assert service_action(request, lambda: refused({}), done="Opgeheven.") is False
    assert _shown(request) == [("error", "Al opgeheven.")]


def test_an_error_the_page_does_not_expect_is_not_swallowed() -> None:
    request = _request("POST", {"amount": "12"})
    with pytest.raises(ConflictError):
        form_submit(
            request,
            _Form(request.POST),
            _Service(error=ConflictError("Al gewijzigd.")),
            refused=_AppError,
        )


class _Described(forms.Form):
    hours = forms.CharField(help_text="Eén regel per dag.")


def test_described_field_help_text_is_the_target_of_aria_describedby() -> None:
    """Accessibility: Django points the box's `aria-describedby` at `<id>_helptext`; the help
    text was written with id `<id>-help`, so a screen reader never read it."""
    from django.template.loader import render_to_string

    html = render_to_string("core/_described_field.html", {"field": _Described()["hours"]})
    assert 'aria-describedby="id_hours_helptext"' in html
    assert 'id="id_hours_helptext"' in html


@pytest.mark.parametrize(
    ("typed", "amount"), [("1.500,00", "1500.00"), ("€ 262,50", "262.50"), ("12.5", "12.5")]
)
def test_amount_field_reads_dutch_amounts(typed: str, amount: str) -> None:
    from decimal import Decimal

    from opstap.core.forms import AmountField

    assert AmountField(decimal_places=2).clean(typed) == Decimal(amount)


def test_amount_field_refuses_english_notation_and_a_third_decimal() -> None:
    from opstap.core.forms import AmountField

    field = AmountField(decimal_places=2, max_digits=12)
    with pytest.raises(forms.ValidationError, match=r"1\.500,00"):
        field.clean("1,500.00")
    with pytest.raises(forms.ValidationError, match="hooguit 2 cijfers achter de komma"):
        field.clean("12,505")


def test_amount_field_asks_what_a_dot_thousand_means() -> None:
    """`1.000` typed in a box of cents was answered "hooguit 2 cijfers achter de komma", which
    the user, who typed no comma, could not follow; the box gives parse_amount's question,
    naming both readings."""
    from opstap.core.forms import AmountField

    with pytest.raises(forms.ValidationError, match=r"Schrijf 1\.000,00 voor duizendtallen"):
        AmountField(decimal_places=2).clean("1.000")


@pytest.mark.parametrize(
    ("places", "stored", "shown"),
    [
        (2, "28.39", "28,39"),
        (2, "1000000", "1.000.000,00"),
        (0, "2500", "2500"),  # not 2.500: that would be refused as ambiguous when sent back
        (None, "12.50", "12,5"),
        (1, "7.5", "7,5"),
    ],
)
def test_amount_field_shows_a_stored_amount_as_it_is_typed_and_reads_it_back(
    places: int | None, stored: str, shown: str
) -> None:
    """A form opened on stored figures (the finance model's inputs, a price, hours) showed
    '28.39' and '1000000' in a Dutch form; the box now shows '28,39' and '1.000.000,00', and
    what it shows reads back to the same number when saved unchanged."""
    from decimal import Decimal

    from opstap.core.forms import AmountField

    class F(forms.Form):
        amount = AmountField(decimal_places=places, max_digits=12, required=False)

    html = str(F(initial={"amount": Decimal(stored)})["amount"])
    assert f'value="{shown}"' in html
    sent_back = F({"amount": shown})
    assert sent_back.is_valid(), sent_back.errors
    assert sent_back.cleaned_data["amount"] == Decimal(stored)
    typed = F({"amount": "1.500,5"})
    assert 'value="1.500,5"' in str(typed["amount"])  # what was typed stays as typed


def test_date_input_renders_the_iso_value_a_date_picker_keeps() -> None:
    """A browser's `<input type="date">` keeps only an ISO value; Django's locale format
    (03-12-2026) was dropped, so stored and suggested dates showed empty and a correction
    form posted them back empty (the placement start of a trajectory's result)."""
    import datetime as dt

    from django import forms as django_forms

    from opstap.core.forms import DateInput

    class F(django_forms.Form):
        day = django_forms.DateField(widget=DateInput())

    html = str(F(initial={"day": dt.date(2026, 12, 3)})["day"])
    assert 'type="date"' in html and 'value="2026-12-03"' in html
    bound = F(data={"day": "2026-12-03"})
    assert bound.is_valid() and bound.cleaned_data["day"] == dt.date(2026, 12, 3)
