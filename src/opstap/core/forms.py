"""The ONE translator of domain errors to Dutch form errors (views and forms use it)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .dutch import format_number
from .errors import DomainError
from .money import parse_amount, round_half_up

__all__ = [
    "AmountField",
    "DateInput",
    "HoursField",
    "Submitted",
    "add_domain_error",
    "form_action",
    "form_submit",
    "service_action",
]

_T = TypeVar("_T")


class DateInput(forms.DateInput):
    """The browser's date picker (`<input type="date">`). Its value is always ISO
    (``2026-12-03``) whatever the page's language; the browser shows it the Dutch way. With
    Django's default (the locale's ``03-12-2026``) the browser drops the value, so a stored or
    suggested date showed as empty, and a correction form posted it back empty."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """An amount (or a number of hours) typed the Dutch way: ``1.500,00``, ``1500,5``,
    ``€ 1.500,00`` or ``12.5``, read by `opstap.core.money.parse_amount`, which refuses
    ambiguous text (``1,500.00``) instead of guessing. A text box with the decimal keyboard,
    not ``<input type="number">``: a browser's number box drops a typed comma
    (``265,65`` reached the server as ``26565``) and refuses ``1.500,00`` altogether.
    `max_digits`, `decimal_places` and `min_value` keep their Django meaning."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"max_decimal_places": "Gebruik hooguit %(max)s cijfers achter de komma."},
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        return {**attrs, "inputmode": "decimal", "autocomplete": "off"}

    def prepare_value(self, value: Any) -> Any:
        """A stored number shown the way it is typed: `28,39`, `1.000.000,00` (with decimals
        the thousands dots cannot be misread); whole numbers without dots (`2500`: `2.500`
        would be refused as ambiguous when sent back). What the user typed stays as typed."""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            number = Decimal(value)
            places = self.decimal_places
            if places is None:
                exponent = number.normalize().as_tuple().exponent
                places = max(0, -exponent) if isinstance(exponent, int) else 0
            if places == 0:
                return str(round_half_up(number, 0))
            return format_number(number, places)
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parse_amount(str(value).strip())
        except ValueError as exc:  # also `2.500`, which reads as two amounts
            raise forms.ValidationError(str(exc), code="invalid") from exc


class HoursField(AmountField):
    """A number of hours typed the Dutch way (`32` or `32,5`), read like an amount; an
    unreadable one is no "bedrag" (the amount field's message spoke of an amount and
    `1.500,00`). Hours per week on an invoice and on a social-return block."""

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(
                "Schrijf het aantal uren als een getal, bijvoorbeeld 32 of 32,5.", code="invalid"
            ) from exc


def add_domain_error(
    form: forms.BaseForm, error: DomainError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on `form`: beside the field it names when the form has that
    field (after renaming through `fields`, e.g. ``{"to": "tot"}``), otherwise above the
    form. The message is the Dutch one of the error, unchanged; a refusal standing for
    several problems (`DomainError.of_all`) shows each."""
    for problem in error.problems:
        name = problem.field or None
        if name is not None and fields:
            name = fields.get(name, name)
        form.add_error(name if name in form.fields else None, problem.message or str(problem))


def service_action(
    request: HttpRequest,
    call: Callable[[], object],
    *,
    done: str = "",
    refused: type[DomainError] = DomainError,
) -> bool:
    """A page's button that calls one service: `call()`, then `done` as a success message
    (if given); a refusal (`refused`, the app's error class) shows the service's Dutch
    message instead. True when the service did it. The caller redirects either way."""
    try:
        call()
    except refused as exc:
        messages.error(request, str(exc))
        return False
    if done:
        messages.success(request, done)
    return True


def form_action(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], object],
    *,
    done: str,
    invalid: str = "",
    refused: type[DomainError] = DomainError,
) -> bool:
    """A posted form that calls one service: when the form is valid, `call(cleaned_data)` as
    `service_action` does; when it is not, `invalid` as an error message (if given). True
    when the service did it."""
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        return False
    return service_action(request, lambda: call(form.cleaned_data), done=done, refused=refused)


@dataclass(frozen=True)
class Submitted(Generic[_T]):
    """The service did it; `result` is what it returned (the new row, for the redirect)."""

    result: _T


def form_submit(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], _T],
    *,
    done: str | Callable[[_T], str] = "",
    refused: type[DomainError] = DomainError,
    fields: Mapping[str, str] | None = None,
    above: bool = False,
) -> Submitted[_T] | None:
    """A form page that calls one service. On a POST with a valid form, `call(cleaned_data)`:
    a refusal (`refused`, the app's error class) goes on the form as `add_domain_error` puts
    it (beside the field it names, renamed through `fields`; with `above`, above the form
    whatever it names, as the provider pages have always shown it), and the page shows the
    form again; success shows `done` (a text, or one made from the result) as a success
    message.

    `Submitted(result)` when the service did it (the caller redirects); None on a GET, an
    invalid form or a refusal (the caller renders the form with its errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except refused as exc:
        if above:
            form.add_error(None, exc.message or str(exc))
        else:
            add_domain_error(form, exc, fields=fields)
        return None
    message = done(result) if callable(done) else done
    if message:
        messages.success(request, message)
    return Submitted(result)
