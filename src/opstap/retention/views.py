"""The retention page for the functional administrator (R-SEC-4): the terms per kind of
record (with their grounds), a dry run on a chosen reference date that lists what would
happen (client ids and dates, no names), the last runs, and legal holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from opstap.clients.models import Client
from opstap.core.access import get_object_for_user, permission_required, scoped
from opstap.core.actor import actor_of
from opstap.core.errors import DomainError
from opstap.core.forms import add_domain_error, form_submit, service_action
from opstap.core.roles import Perm

from . import selectors, services
from .forms import DryRunForm, HoldForm, TermForm
from .terms import ACTION_LABELS_NL, KIND_LABELS_NL, Action, Kind


def _page(request: HttpRequest, **forms: Any) -> HttpResponse:
    actor = actor_of(request)
    terms = selectors.terms_for(actor.organisation_id or 0)
    runs = list(selectors.runs_for(actor).select_related("started_by")[:10])
    latest_dry = next((r for r in runs if r.dry_run), None)
    items = [
        {
            **item,
            "kind_label": KIND_LABELS_NL[Kind(item["kind"])],
            "action_label": ACTION_LABELS_NL[Action(item["action"])],
        }
        for item in (latest_dry.items if latest_dry else [])[:200]
    ]
    context = {
        "page_title": "Bewaartermijnen",
        "terms": [
            {
                "kind": k.value,
                "label": KIND_LABELS_NL[k],
                "years": t.years,
                "action": ACTION_LABELS_NL[t.action],
                "source": t.source,
            }
            for k, t in terms.items()
        ],
        "runs": runs,
        "latest_dry": latest_dry,
        "items": items,
        "holds": list(selectors.holds_for(actor).filter(lifted_at__isnull=True)[:100]),
        "dry_form": forms.get("dry_form")
        or DryRunForm(initial={"reference_date": timezone.localdate().strftime("%d-%m-%Y")}),
        "term_form": forms.get("term_form") or TermForm(),
        "hold_form": forms.get("hold_form") or HoldForm(),
    }
    refused = any(getattr(form, "errors", None) for form in forms.values())
    return render(request, "retention/page.html", context, status=400 if refused else 200)


@permission_required(Perm.RETENTION_MANAGE)
def page(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _posted(
    request: HttpRequest,
    form_key: str,
    form: Any,
    call: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A posted form that calls one service: done, the message and back to the page; invalid
    or refused, the page again with the form (as `form_key`) showing why."""
    if form_submit(request, form, call, done=done):
        return redirect("retention:page")
    return _page(request, **{form_key: form})


@require_POST
@permission_required(Perm.RETENTION_MANAGE)
def dry_run(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    return _posted(
        request,
        "dry_form",
        DryRunForm(request.POST),
        lambda data: services.retention_run(
            organisation_id=actor.organisation_id or 0,
            today=data["reference_date"],
            actor=actor,
            dry_run=True,
        ),
        "De proefrun is klaar; er is niets gewijzigd.",
    )


@require_POST
@permission_required(Perm.RETENTION_MANAGE)
def term_save(request: HttpRequest) -> HttpResponse:
    return _posted(
        request,
        "term_form",
        TermForm(request.POST),
        lambda data: services.retention_term_save(actor=actor_of(request), **data),
        "De bewaartermijn is vastgelegd.",
    )


@require_POST
@permission_required(Perm.RETENTION_MANAGE)
def hold_place(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if not form.is_valid():
        return _page(request, hold_form=form)
    actor = actor_of(request)
    client = (
        Client.objects.filter(
            organisation_id=actor.organisation_id or 0,
            client_number=form.cleaned_data["client_number"].strip(),
        )
        .only("pk", "organisation_id")
        .first()
    )
    if client is None:
        form.add_error("client_number", "Er is geen klant met dit klantnummer.")
        return _page(request, hold_form=form)
    try:
        services.legal_hold_place(actor=actor, client=client, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        add_domain_error(form, exc)
        return _page(request, hold_form=form)
    messages.success(request, "De bewaarplicht is vastgelegd.")
    return redirect("retention:page")


@require_POST
@permission_required(Perm.RETENTION_MANAGE)
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    hold = get_object_for_user(actor, scoped(actor, selectors.holds_for(actor)), pk=pk)
    service_action(
        request,
        lambda: services.legal_hold_lift(actor=actor, hold=hold),
        done="De bewaarplicht is opgeheven.",
    )
    return redirect("retention:page")
