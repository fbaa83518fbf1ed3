"""The user's notifications ("Meldingen"): list, open (marks read), mark all read, and the
user's own e-mail setting (direct or a daily digest)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_records_for_request
from opstap.core.access import get_object_for_user, permission_required
from opstap.core.actor import actor_of
from opstap.core.roles import Perm

from . import selectors, services
from .models import EmailFrequency, Notification

PAGE_SIZE = 25


@permission_required(Perm.HOME_VIEW)
def notification_list(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    page = Paginator(selectors.notifications_for(user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    # Notification titles name clients: every one shown is an audited list row (issue 19).
    audit_records_for_request(
        request,
        action=AuditAction.LIST,
        object_type="notification",
        items=[(n.pk, None) for n in page.object_list],
        purpose="Meldingen bekijken",
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_notifications(user).count()},
    )


@require_POST
@permission_required(Perm.HOME_VIEW)
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to the page it is about (only a page of this site)."""
    user = actor_of(request)
    notification = get_object_for_user(user, Notification.objects.all(), pk=pk)
    services.notification_mark_read(actor=user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@require_POST
@permission_required(Perm.HOME_VIEW)
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(actor=actor_of(request))
    messages.success(request, f"{count} melding(en) als gelezen gemarkeerd.")
    return redirect("notifications:list")


@permission_required(Perm.HOME_VIEW)
def notification_settings(request: HttpRequest) -> HttpResponse:
    """The user chooses how notifications reach them by e-mail: direct, or a daily digest.
    In the app they always appear. Only one's own setting: there is no id in the URL."""
    user = actor_of(request)
    current = services.email_frequency_of(user)
    error = ""
    if request.method == "POST":
        choice = request.POST.get("email_frequency", "")
        try:
            services.notification_preference_set(actor=user, email_frequency=choice)
        except services.NotificationError as exc:
            error = exc.message
        else:
            messages.success(request, "Uw voorkeur voor meldingen is opgeslagen.")
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "choices": EmailFrequency.choices,
            "current": current,
            "error": error,
            "has_email": bool(user.email),
        },
        status=400 if error else 200,
    )
