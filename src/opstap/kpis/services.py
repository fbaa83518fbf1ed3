"""State changes of the steering app: yearly targets, the activity window, survey waves and
the AMR providers. One function per change, keyword-only, validated, atomic, audited. Domain
errors are `KpiError` with a Dutch message."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opstap.audit.models import AuditAction
from opstap.audit.services import audit_log
from opstap.clients import selectors as clients_selectors
from opstap.clients.services import client_event_record
from opstap.core.actor import Actor
from opstap.core.audit_names import object_type_for
from opstap.core.errors import InvalidInputError
from opstap.core.money import parse_amount, round_half_up
from opstap.core.outbox import (
    outbox_drain,
    outbox_forget,
    outbox_mark,
    outbox_queue,
    refresh_inline_or_queued,
)
from opstap.organisations.models import Municipality, Organisation
from opstap.trajectories import selectors as trajectory_selectors

from . import facts
from .formulas import (
    ACTIVITY_WINDOW_MONTHS_DEFAULT,
    DOCUMENTED_ACTIVITY_KINDS,
    KpiCode,
    KpiDefinition,
    KpiKind,
    definition,
    survey_open_for,
)
from .models import (
    KpiClientMonth,
    KpiExport,
    KpiExportFormat,
    KpiExportStatus,
    KpiFactQueue,
    KpiFactState,
    KpiSettings,
    KpiTarget,
    LabourMarketRegionProvider,
    SatisfactionResponse,
    SatisfactionSurveyWave,
)


class KpiError(InvalidInputError):
    """A refused change; `message` is Dutch and shown to the user as is."""


log = logging.getLogger(__name__)


def _decimal(value: Decimal | str | int | float, *, field: str) -> Decimal:
    """A typed target or score to one decimal, rounded half up like every number
    (`core.money.round_half_up`); a text that is no number, or one too large to hold, is
    refused at the field."""
    try:
        result = parse_amount(str(value))
        if not result.is_finite():
            raise ValueError(value)
        return round_half_up(result, 1)
    except (InvalidOperation, ValueError) as exc:
        raise KpiError("Vul een getal in.", field=field) from exc


def kpi_target_check(
    *, kpi: KpiCode | str, year: int, target: Decimal | str | int
) -> tuple[KpiDefinition, Decimal]:
    """Validate a yearly target without writing it (the service and the admin form both call
    this): the KPI's definition and the target as a number, or `KpiError` naming the field."""
    try:
        d = definition(kpi)
    except ValueError as exc:
        raise KpiError(f"Onbekende KPI '{kpi}'.", field="kpi") from exc
    if not 2000 <= int(year) <= 2100:
        raise KpiError("Kies een jaar tussen 2000 en 2100.", field="year")
    value = _decimal(target, field="target")
    if d.kind in (KpiKind.SHARE,) and not 0 <= value <= 100:
        raise KpiError("Een percentage ligt tussen 0 en 100.", field="target")
    if d.kind is KpiKind.SCORE and not 1 <= value <= 10:
        raise KpiError("Een rapportcijfer ligt tussen 1 en 10.", field="target")
    if d.kind is KpiKind.COUNT and value < 0:
        raise KpiError("Een aantal kan niet negatief zijn.", field="target")
    if d.kind is KpiKind.GROWTH and value < -100:
        raise KpiError("Een krimp van meer dan 100% kan niet.", field="target")
    return d, value


@transaction.atomic
def kpi_target_set(
    *,
    actor: Actor,
    organisation: Organisation,
    kpi: KpiCode | str,
    year: int,
    target: Decimal | str | int,
) -> KpiTarget:
    """Set the target of one KPI for one year (replaces the spec's default)."""
    d, value = kpi_target_check(kpi=kpi, year=year, target=target)
    row, created = KpiTarget.objects.select_for_update().get_or_create(
        organisation=organisation, kpi=d.code.value, year=int(year), defaults={"target": value}
    )
    previous = None if created else row.target
    if not created and row.target != value:
        row.target = value
        row.save(update_fields=["target", "updated_at"])
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        object_type="kpi_target",
        object_id=row.pk,
        purpose=f"KPI-doel {d.title} {year}",
        changes={"target": [str(previous) if previous is not None else None, str(value)]},
        organisation_id=organisation.pk,
    )
    return row


@transaction.atomic
def kpi_target_clear(
    *, actor: Actor, organisation: Organisation, kpi: KpiCode | str, year: int
) -> bool:
    """Remove the organisation's own target of one KPI for one year: the spec's default
    applies again (none outside its years). False when there was no own target."""
    d = definition(kpi)
    row = (
        KpiTarget.objects.select_for_update()
        .filter(organisation=organisation, kpi=d.code.value, year=int(year))
        .first()
    )
    if row is None:
        return False
    previous, pk = row.target, row.pk
    row.delete()
    audit_log(
        action=AuditAction.DELETE,
        actor=actor,
        object_type="kpi_target",
        object_id=pk,
        purpose=f"KPI-doel {d.title} {year}",
        changes={"target": [str(previous), None]},
        organisation_id=organisation.pk,
    )
    return True


@transaction.atomic
def kpi_targets_save(
    *,
    actor: Actor,
    organisation: Organisation,
    year: int,
    targets: Mapping[KpiCode, Decimal | None],
    activity_window_months: int,
) -> int:
    """The targets page in one transaction: every target given (None: back to the spec's
    default) and the activity window. All are checked before any is written, so a refusal
    leaves every target as it was (the page wrote the targets one by one and stopped at the
    first refusal, keeping those before it). Returns how many values changed."""
    for code, value in targets.items():
        if value is not None:
            try:
                kpi_target_check(kpi=code, year=year, target=value)
            except KpiError as exc:
                raise KpiError(exc.message, field=f"kpi_{code.value}") from exc
    kpi_settings_check(activity_window_months=activity_window_months)
    own = dict(
        KpiTarget.objects.filter(organisation=organisation, year=int(year)).values_list(
            "kpi", "target"
        )
    )
    changed = 0
    for code, value in targets.items():
        if value is None:
            changed += kpi_target_clear(actor=actor, organisation=organisation, kpi=code, year=year)
        elif own.get(code.value) != value:
            kpi_target_set(
                actor=actor, organisation=organisation, kpi=code, year=year, target=value
            )
            changed += 1
    settings = KpiSettings.objects.filter(organisation=organisation).first()
    current_window = settings.activity_window_months if settings else ACTIVITY_WINDOW_MONTHS_DEFAULT
    if current_window != int(activity_window_months):
        kpi_settings_update(
            actor=actor, organisation=organisation, activity_window_months=activity_window_months
        )
        changed += 1
    return changed


def kpi_settings_check(*, activity_window_months: int) -> None:
    """Validate the R-KPI-1 activity window without writing it (service and admin form)."""
    if not 1 <= int(activity_window_months) <= 24:
        raise KpiError("Kies een venster van 1 tot en met 24 maanden.", field="window")


@transaction.atomic
def kpi_settings_update(
    *, actor: Actor, organisation: Organisation, activity_window_months: int
) -> KpiSettings:
    """Change the R-KPI-1 activity window (months)."""
    kpi_settings_check(activity_window_months=activity_window_months)
    row, _created = KpiSettings.objects.select_for_update().get_or_create(organisation=organisation)
    previous = row.activity_window_months
    row.activity_window_months = int(activity_window_months)
    row.save()
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        object_type="kpi_settings",
        object_id=row.pk,
        purpose="Venster actieve begeleiding",
        changes={"activity_window_months": [previous, row.activity_window_months]},
        organisation_id=organisation.pk,
    )
    return row


def survey_wave_check(
    *,
    organisation: Organisation,
    name: str,
    score: Decimal | str | int,
    respondents: int,
    municipality: Municipality | None = None,
) -> Decimal:
    """Validate a survey wave without writing it (service and admin form); the score."""
    if not name.strip():
        raise KpiError("Geef de meting een naam.", field="name")
    value = _decimal(score, field="score")
    if not 1 <= value <= 10:
        raise KpiError("Een rapportcijfer ligt tussen 1 en 10.", field="score")
    if int(respondents) < 1:
        raise KpiError("Een meting heeft minstens één respondent.", field="respondents")
    if municipality is not None and municipality.organisation_id != organisation.pk:
        raise KpiError("De gemeente hoort niet bij deze organisatie.", field="municipality")
    return value


@transaction.atomic
def survey_wave_record(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    held_on: dt.date,
    score: Decimal | str | int,
    respondents: int,
    municipality: Municipality | None = None,
) -> SatisfactionSurveyWave:
    """Record one wave of the client-satisfaction survey (R-KPI-6)."""
    value = survey_wave_check(
        organisation=organisation,
        name=name,
        score=score,
        respondents=respondents,
        municipality=municipality,
    )
    wave = SatisfactionSurveyWave.objects.create(
        organisation=organisation,
        name=name.strip()[:200],
        held_on=held_on,
        municipality=municipality,
        score=value,
        respondents=int(respondents),
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="satisfaction_survey_wave",
        object_id=wave.pk,
        purpose=f"Meting klanttevredenheid {wave.name}",
        organisation_id=organisation.pk,
    )
    return wave


def open_survey_wave(organisation_id: int, *, on: dt.date) -> SatisfactionSurveyWave | None:
    """The wave residents may answer in now: the first one (organisation-wide) whose end
    date has not passed."""
    return (
        SatisfactionSurveyWave.objects.filter(
            organisation_id=organisation_id, municipality__isnull=True, held_on__gte=on
        )
        .order_by("held_on", "id")
        .first()
    )


@transaction.atomic
def satisfaction_response_record(
    *,
    actor: Actor,
    client: Any,
    score: int | str,
    remark: str = "",
    trajectory: Any = None,
    wave: SatisfactionSurveyWave | None = None,
    on: dt.date,
) -> SatisfactionResponse:
    """A resident answers the satisfaction survey (R-KPI-6, R-POR): a whole score 1-10 and
    an optional remark, once per ended trajectory or once per open wave. The answer counts
    as one respondent in R-KPI-6 and, about a trajectory, in the provider's satisfaction
    indicator (R-PI-1). Only the client themselves (their linked account) answers."""
    if actor is None or getattr(client, "user_id", None) != actor.pk:
        raise KpiError("Alleen de klant zelf kan deze vragenlijst invullen.")
    if (trajectory is None) == (wave is None):
        raise KpiError("Kies een traject of een meting om over te antwoorden.")
    try:
        value = int(str(score).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= 10:
        raise KpiError("Kies een cijfer van 1 tot en met 10.", field="score")
    if trajectory is not None:
        if trajectory.client_id != client.pk:
            raise KpiError("Dit traject hoort niet bij u.", field="trajectory")
        if not survey_open_for(trajectory.state):
            raise KpiError(
                "U kunt een cijfer geven als het traject is afgelopen.", field="trajectory"
            )
    if wave is not None and (wave.organisation_id != client.organisation_id or wave.held_on < on):
        raise KpiError("Deze meting is gesloten.", field="wave")
    try:
        with transaction.atomic():
            response = SatisfactionResponse.objects.create(
                organisation_id=client.organisation_id,
                client=client,
                trajectory=trajectory,
                wave=wave,
                score=value,
                remark=remark.strip()[:2000],
                answered_on=on,
            )
    except IntegrityError as exc:  # a second answer, or a double click racing the first
        raise KpiError("U heeft deze vragen al beantwoord. Dank u wel!", field="score") from exc
    client_event_record(
        client=client,
        kind="other",
        summary=f"Tevredenheid: rapportcijfer {value} gegeven via Mijn Opstap",
        actor=actor,
        source="kpis",
        data={"satisfaction_response": response.pk},
    )
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        object_type="satisfaction_response",
        object_id=response.pk,
        client_id=client.pk,
        purpose="Klanttevredenheid beantwoord (klantportaal)",
        organisation_id=client.organisation_id,
    )
    return response


@transaction.atomic
def amr_provider_add(*, actor: Actor, organisation: Organisation, provider: Any) -> Any:
    """Mark a provider as a labour-market-region (AMR/WSP) channel (R-KPI-3)."""
    if provider.organisation_id != organisation.pk:
        raise KpiError("De aanbieder hoort niet bij deze organisatie.", field="provider")
    row, created = LabourMarketRegionProvider.objects.get_or_create(
        organisation=organisation, provider=provider
    )
    if created:
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            object_type=object_type_for(LabourMarketRegionProvider),
            object_id=row.pk,
            purpose=f"AMR-aanbieder {provider}",
            organisation_id=organisation.pk,
        )
    return row


# --- KPI reports in the background (R-INT-4) --------------------------------------------

EXPORT_FAILED_MESSAGE = (
    "Het samenstellen van de rapportage is mislukt. Probeer het opnieuw; lukt het dan nog "
    "niet, neem contact op met de beheerder."
)


@transaction.atomic
def kpi_export_start(*, actor: Actor, fmt: str, query: str, selection: str) -> KpiExport:
    """Queue the council report as xlsx or PDF (R-INT-4: a report that can take over a second
    is built in the background; the page shows its progress and the download when ready).
    `query` holds the dashboard's filters, `selection` the same in words. The export is
    audited when it is requested, like the direct download it replaces."""
    if fmt not in KpiExportFormat.values:
        raise KpiError("Kies Excel of PDF.", field="fmt")
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None:
        raise KpiError("Alleen medewerkers van een organisatie kunnen rapportages maken.")
    job = KpiExport.objects.create(
        organisation_id=organisation_id,
        created_by=actor,
        fmt=fmt,
        query=query[:300],
        selection=selection[:300],
    )
    audit_log(
        action=AuditAction.EXPORT,
        actor=actor,
        object_type="kpi_report",
        object_id=job.pk,
        purpose=f"KPI-rapportage {fmt} ({selection})"[:200],
        organisation_id=organisation_id,
    )
    return job


def kpi_export_build(job_id: int) -> str:
    """Build one queued KPI report (the background task): the progress follows the KPIs
    computed, then the file is stored on the row. Returns the final status."""
    from django.http import QueryDict
    from django.utils import timezone
    from django.utils.text import slugify

    from opstap.core.exports import report_pdf, report_xlsx

    from . import report as kpi_report
    from . import selectors
    from .db import without_jit
    from .forms import KpiFilterForm

    job = KpiExport.objects.select_related("created_by", "organisation").get(pk=job_id)
    if job.finished:
        return str(job.status)
    rows = KpiExport.objects.filter(pk=job.pk)
    rows.update(status=KpiExportStatus.RUNNING, progress=5)

    def step(done: int, total: int) -> None:
        rows.update(progress=5 + (85 * done) // max(total, 1))

    try:
        with without_jit():
            form = KpiFilterForm(QueryDict(job.query), organisation_id=job.organisation_id)
            ctx = selectors.kpi_context(organisation_id=job.organisation_id, filters=form.filters())
            name = ""
            if ctx.filters.municipality:
                choices = dict(form.fields["gemeente"].choices)  # type: ignore[attr-defined]
                name = str(choices.get(str(ctx.filters.municipality), ""))
            report = kpi_report.council_report(
                ctx,
                municipality_name=name,
                threshold=selectors.small_number_threshold(job.created_by, ctx),
                progress=step,
            )
        subtitle = kpi_report.filters_text(ctx, municipality_name=name)
        if job.fmt == KpiExportFormat.XLSX:
            content = report_xlsx(report, scenario_name=subtitle)
        else:
            content = report_pdf(
                report,
                organisation=job.organisation,
                meta="Sturingsinformatie bestuurlijke opdracht",
            )
    except Exception:
        log.exception("KPI-rapportage %s mislukt", job.pk)
        rows.update(
            status=KpiExportStatus.FAILED,
            message=EXPORT_FAILED_MESSAGE,
            finished_at=timezone.now(),
        )
        return str(KpiExportStatus.FAILED)
    file_name = slugify(f"kpi-sturing-{ctx.filters.year}-{name or 'alle-gemeenten'}")
    rows.update(
        status=KpiExportStatus.DONE,
        progress=100,
        content=content,
        file_name=f"{file_name}.{job.fmt}",
        finished_at=timezone.now(),
    )
    return str(KpiExportStatus.DONE)


#: How long a finished KPI report (row and file) is kept for its maker to download, and a
#: request that never finished (a worker that stopped) is kept: removed by the daily
#: retention run (`kpi_exports_remove_old`, docs/retention.md "Housekeeping").
KPI_EXPORT_KEEP_DAYS = 7


def kpi_exports_remove_old(*, organisation_id: int, now: dt.datetime, dry_run: bool = False) -> int:
    """Delete the organisation's KPI reports, with their stored file, that were finished
    (ready or failed) more than `KPI_EXPORT_KEEP_DAYS` before `now`, and the requests made
    more than that before `now` that never finished. Returns how many (with `dry_run`: how
    many would be deleted, nothing changes). Only aggregates are in them, and the request
    itself was audited as an export; the retention run's audit line carries the count."""
    cutoff = now - dt.timedelta(days=KPI_EXPORT_KEEP_DAYS)
    old = KpiExport.objects.filter(organisation_id=organisation_id).filter(
        Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff)
    )
    if dry_run:
        return old.count()
    _total, per_model = old.delete()
    return per_model.get(KpiExport._meta.label, 0)


# --- The KPI facts per client and month (issue 18, `facts`) ----------------------------------

#: Clients recomputed per batch (three reads and one bulk insert each).
FACT_BATCH = 2000
#: Months of history the facts cover by default before the current year (a full rebuild);
#: older years are computed live.
FACT_YEARS_BACK = 2


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _fact_rows(
    *, organisation_id: int, client_ids: list[int], first_month: dt.date, through_month: dt.date
) -> list[KpiClientMonth]:
    """The rows of these clients, computed from their trajectories and timeline, each with
    the client's current municipality, ladder step and sub-status (three reads)."""
    dimensions = clients_selectors.client_dimensions(client_ids)
    spans: dict[int, list[facts.Span]] = {pk: [] for pk in client_ids}
    for client_id, start, end in trajectory_selectors.trajectory_spans_of_clients(client_ids):
        spans[client_id].append(facts.Span(start, end))
    dates: dict[int, list[dt.date]] = {pk: [] for pk in client_ids}
    for client_id, moment in clients_selectors.documented_activity_times(
        client_ids, kinds=DOCUMENTED_ACTIVITY_KINDS
    ):
        dates[client_id].append(_local_date(moment))
    return [
        KpiClientMonth(
            organisation_id=organisation_id,
            client_id=client_id,
            month=row.month,
            trajectory_days=row.trajectory_days,
            activity_days=row.activity_days,
            last_activity_before=row.last_activity_before,
            municipality_id=dimensions[client_id][0],
            ladder_step=dimensions[client_id][1],
            ladder_sub_status=dimensions[client_id][2],
        )
        for client_id in client_ids
        if client_id in dimensions  # a client deleted meanwhile has no rows
        for row in facts.month_facts(
            spans=spans[client_id],
            activity_dates=dates[client_id],
            first_month=first_month,
            through_month=through_month,
        )
    ]


def _replace_facts(*, state: KpiFactState, client_ids: list[int]) -> int:
    """Recompute the rows of these clients of `state`'s organisation (delete and insert)."""
    rows = _fact_rows(
        organisation_id=state.organisation_id,
        client_ids=client_ids,
        first_month=state.built_from,
        through_month=state.built_through,
    )
    KpiClientMonth.objects.filter(client_id__in=client_ids).delete()
    KpiClientMonth.objects.bulk_create(rows, batch_size=FACT_BATCH)
    return len(rows)


def kpi_facts_rebuild(
    *,
    organisation_id: int,
    today: dt.date,
    built_from: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> KpiFactState:
    """Rebuild all facts of one organisation: from January `FACT_YEARS_BACK` years before
    `today`'s year (or `built_from`) through the month after `today`'s, in batches of
    clients, each batch in its own transaction (the rows of a client are replaced at once, so
    readers see old or new facts, never none). The state's range is written first, so that the
    queued refresh keeps clients written meanwhile current; the KPIs read the facts once the
    first rebuild is done (`ready`). Returns the state."""
    start = facts.first_of_month(built_from or dt.date(today.year - FACT_YEARS_BACK, 1, 1))
    through = facts.add_months(facts.first_of_month(today), 1)
    with transaction.atomic():
        # The range is set first, so that writes during the rebuild are refreshed into it.
        state, _created = KpiFactState.objects.update_or_create(
            organisation_id=organisation_id,
            defaults={"built_from": start, "built_through": through},
        )
        # Clients queued before now are recomputed by this rebuild; later ones by the refresh.
        queued_before = outbox_mark(KpiFactQueue, organisation_id=organisation_id)
    total = 0
    after = 0
    while True:
        ids = clients_selectors.organisation_client_ids(
            organisation_id=organisation_id, after=after, limit=FACT_BATCH
        )
        if not ids:
            break
        with transaction.atomic():
            total += _replace_facts(state=state, client_ids=ids)
        after = ids[-1]
        if progress is not None:
            progress(after, total)
    with transaction.atomic():
        # Rows of clients that no longer exist went with them (cascade); rows outside the
        # range are not read and are dropped.
        KpiClientMonth.objects.filter(organisation_id=organisation_id).exclude(
            month__gte=start, month__lte=through
        ).delete()
        outbox_forget(KpiFactQueue, organisation_id=organisation_id, mark=queued_before)
        KpiFactState.objects.filter(pk=state.pk).update(
            ready=True, rows=total, rebuilt_at=timezone.now()
        )
        audit_log(
            action=AuditAction.UPDATE,
            actor=None,
            object_type="kpi_facts",
            object_id=organisation_id,
            purpose="KPI-feiten opnieuw opgebouwd",
            changes={"rows": [None, total]},
            organisation_id=organisation_id,
        )
    state.refresh_from_db()
    return state


def kpi_facts_queue(*, organisation_id: int | None, client_ids: Any) -> None:
    """Queue clients whose facts may have changed (the transactional outbox, `core.outbox`):
    called inside the writing transaction by the model signals and by bulk writers
    (`core.signals`). The refresh runs after the commit (dropped with a rollback, like the
    queue rows): it drains the whole queue, so a second callback of the same transaction
    finds it empty."""
    outbox_queue(
        KpiFactQueue,
        organisation_id=organisation_id,
        key="client_id",
        ids=client_ids,
        after_commit=_refresh_after_commit,
    )


def _refresh_after_commit() -> None:
    from .tasks import refresh_kpi_facts_task

    refresh_inline_or_queued(kpi_facts_refresh, refresh_kpi_facts_task)


def kpi_facts_refresh(*, limit: int = FACT_BATCH) -> int:
    """Recompute the facts of the queued clients, `limit` at a time until the queue is empty;
    returns how many clients were recomputed. Concurrent refreshes skip each other's rows
    (SKIP LOCKED on PostgreSQL). Organisations without facts only empty their queue."""
    states = {s.organisation_id: s for s in KpiFactState.objects.all()}

    def refresh(organisation_id: int, client_ids: list[int]) -> None:
        state = states.get(organisation_id)
        if state is not None:
            _replace_facts(state=state, client_ids=client_ids)

    return outbox_drain(KpiFactQueue, key="client_id", limit=limit, refresh=refresh)


def kpi_facts_roll(*, today: dt.date) -> int:
    """Extend every organisation's facts to the month after `today`'s (daily, by the beat):
    the clients that can have a row in a new month are those with a row in the last built
    month (a running trajectory or a recent activity) and those with a trajectory ordered
    after it; their rows are recomputed. Returns the number of clients recomputed."""
    through = facts.add_months(facts.first_of_month(today), 1)
    done = 0
    for state in KpiFactState.objects.filter(built_through__lt=through):
        previous = state.built_through
        ids = sorted(
            set(
                KpiClientMonth.objects.filter(
                    organisation_id=state.organisation_id, month=previous
                ).values_list("client_id", flat=True)
            )
            | set(
                trajectory_selectors.clients_with_trajectory_ordered_after(
                    organisation_id=state.organisation_id, day=previous
                ).values_list("client_id", flat=True)
            )
        )
        state.built_through = through
        for i in range(0, len(ids), FACT_BATCH):
            with transaction.atomic():
                _replace_facts(state=state, client_ids=ids[i : i + FACT_BATCH])
        KpiFactState.objects.filter(pk=state.pk).update(built_through=through)
        done += len(ids)
    return done
