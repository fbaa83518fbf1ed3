"""R-INT-2: a hand-built month for Duiven, counted by hand, through the delivery services:
the file, the counts, the validation report, the checksum, sent = immutable, corrections."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from django.utils import timezone

from opstap.accounts.models import User
from opstap.audit.models import AuditRecord
from opstap.clients.models import Client
from opstap.core.errors import ConflictError, DomainError, PermissionDeniedError
from opstap.organisations.models import Municipality
from opstap.providers.models import Product
from opstap.reporting import services
from opstap.reporting.models import (
    DeliveryStatus,
    SrgDelivery,
    SrgDeliveryImmutableError,
    SrgPlacementMapping,
)
from opstap.trajectories.models import Outcome, Trajectory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 20)
OCTOBER = D(2026, 10, 1)


@pytest.fixture
def month(
    org: object,
    admin_user: User,
    products: dict[str, Product],
    client_in: Callable[[str], Client],
    provision: Callable[..., Trajectory],
) -> dict[str, Trajectory]:
    """October 2026, counted by hand:

    in the Duiven file           movement  started running ended
      a  09-01 ..                L                 x
      b  10-05 ..                B         x       x
      c  08-01 .. 10-15          E                         x
      d  10-03 .. 10-20          E         x               x
      P  placement c, 10-12 ..   B         x       x            (the LKS placement code)
      L  its wage-cost subsidy   B         (LKS: started 1, running 1, ended 0)
    left out (blocking finding)
      i  unmapped product, 09-15 ..         -> no SRG code
      j  10-10 .. 10-01                     -> end before start
    not in the file
      e  06-01 .. 09-30 (ended before), f 11-02 .. (starts after), g never started,
      h  a Westervoort client, 10-01 ..
    """
    codes = {
        c: services.srg_code_save(actor=admin_user, code=c, name=n)
        for c, n in [
            ("WE", "Werkervaringsplaats"),
            ("LKS", "Loonkostensubsidie"),
            ("PL", "Plaatsing"),
        ]
    }
    services.srg_product_mapping_save(
        actor=admin_user, product=products["mapped"], srg_code=codes["WE"]
    )
    for kind, code in [
        ("regular", "PL"),
        ("lks", "PL"),
        ("garantiebaan", "PL"),
        ("beschut_werk", "PL"),
    ]:
        services.srg_placement_mapping_save(
            actor=admin_user,
            organisation_id=admin_user.organisation_id,
            placement_type=kind,
            srg_code=codes[code],
        )
    SrgPlacementMapping.objects.filter(placement_type="lks").update(srg_code=codes["LKS"])
    duiven = lambda: client_in("Duiven")  # noqa: E731
    mapped, unmapped = products["mapped"], products["unmapped"]
    rows = {
        "a": provision(duiven(), mapped, D(2026, 9, 1)),
        "b": provision(duiven(), mapped, D(2026, 10, 5)),
        "c": provision(duiven(), mapped, D(2026, 8, 1), D(2026, 10, 15)),
        "d": provision(duiven(), mapped, D(2026, 10, 3), D(2026, 10, 20)),
        "e": provision(duiven(), mapped, D(2026, 6, 1), D(2026, 9, 30)),
        "f": provision(duiven(), mapped, D(2026, 11, 2)),
        "g": provision(duiven(), mapped, None),
        "h": provision(client_in("Westervoort"), mapped, D(2026, 10, 1)),
        "i": provision(duiven(), unmapped, D(2026, 9, 15)),
        "j": provision(duiven(), mapped, D(2026, 10, 10), D(2026, 10, 1)),
    }
    Outcome.objects.create(
        organisation_id=rows["c"].organisation_id,
        trajectory=rows["c"],
        employer="Bakkerij De Korenschoof",
        placement_start=D(2026, 10, 12),
        lks=True,
        recorded_at=timezone.now(),
    )
    return rows


def _build(admin_user: User, municipality: Municipality, **kw: object) -> SrgDelivery:
    delivery = services.srg_delivery_request(
        actor=admin_user,
        municipality=municipality,
        month=OCTOBER,
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )
    assert services.srg_delivery_build(delivery.pk) == "ready"
    delivery.refresh_from_db()
    return delivery


def test_hand_counted_month(
    month: dict[str, Trajectory], admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    """R-INT-2: started, running and ended provisions and LKS, as counted by hand."""
    delivery = _build(admin_user, municipality("Duiven"))
    counts = delivery.counts
    assert (counts["started"], counts["running"], counts["ended"]) == (3, 3, 2)
    assert (counts["lks_started"], counts["lks_running"], counts["lks_ended"]) == (1, 1, 0)
    assert counts["records"] == 6 and counts["left_out"] == 2
    assert counts["issues"] == {"no_code": 1, "end_before_start": 1}
    lines = delivery.file.open("rb").read().decode("ascii").split("\r\n")
    assert lines[-1] == ""
    header, *records, trailer = lines[:-1]
    assert header.startswith("010226202610" + "20261120")
    keys = {r[11:23].strip(): (r[:2], r[23:27].strip(), r[-1]) for r in records}
    m = month
    outcome = Outcome.objects.get(trajectory=m["c"])
    assert keys == {
        f"T{m['a'].pk}": ("02", "WE", "L"),
        f"T{m['b'].pk}": ("02", "WE", "B"),
        f"T{m['c'].pk}": ("02", "WE", "E"),
        f"T{m['d'].pk}": ("02", "WE", "E"),
        f"P{outcome.pk}": ("02", "LKS", "B"),  # an LKS placement: its placement-type code
        f"L{outcome.pk}": ("03", "LKS", "B"),
    }
    assert trailer == "99" + "".join(f"{n:09d}" for n in (6, 3, 3, 2, 1, 1, 0))
    bsn = m["a"].client.bsn
    assert any(r[2:11] == bsn for r in records)
    # The validation report names the two left-out records, in Dutch.
    raw_report = delivery.report.open("rb").read()
    assert raw_report.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for Dutch Excel (issue 14)
    report = raw_report.decode("utf-8-sig")
    assert f"T{m['i'].pk};blokkerend;Geen SRG-code" in report
    assert f"T{m['j'].pk};blokkerend;Einddatum ligt vóór de begindatum" in report
    # Kept with its checksum: SHA-256 of the stored bytes.
    assert delivery.checksum == hashlib.sha256(delivery.file.open("rb").read()).hexdigest()
    assert delivery.status == DeliveryStatus.READY and delivery.progress == 100


def test_other_municipality_gets_its_own_file(
    month: dict[str, Trajectory], admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    delivery = _build(admin_user, municipality("Westervoort"))
    assert delivery.counts["records"] == 1 and delivery.counts["started"] == 1


def test_sent_is_immutable_and_a_correction_references_it(
    month: dict[str, Trajectory], admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    """R-INT-2: a sent delivery never changes; a correction is a new delivery referencing
    it, and a sent month cannot be delivered again except as a correction."""
    duiven = municipality("Duiven")
    delivery = _build(admin_user, duiven)
    with pytest.raises(DomainError) as refused:
        services.srg_delivery_mark_sent(actor=admin_user, delivery=delivery, report_seen=False)
    assert refused.value.field == "report_seen"
    sent = services.srg_delivery_mark_sent(actor=admin_user, delivery=delivery, report_seen=True)
    assert sent.status == DeliveryStatus.SENT and sent.sent_by == admin_user
    assert (
        AuditRecord.objects.filter(object_type="srg_delivery", object_id=str(sent.pk)).count() == 2
    )
    kept = sent.checksum
    sent.checksum = "0" * 64
    with pytest.raises(SrgDeliveryImmutableError):
        sent.save()
    sent.refresh_from_db()
    assert sent.checksum == kept
    with pytest.raises(SrgDeliveryImmutableError):
        SrgDelivery.objects.filter(pk=sent.pk).update(progress=1)
    with pytest.raises(SrgDeliveryImmutableError):
        SrgDelivery.objects.get(pk=sent.pk).delete()
    with pytest.raises(ConflictError):
        services.srg_delivery_request(
            actor=admin_user, municipality=duiven, month=OCTOBER, today=TODAY
        )
    with pytest.raises(ConflictError):
        services.srg_delivery_mark_sent(actor=admin_user, delivery=sent, report_seen=True)
    # The record is repaired; the correction carries it and points at the sent delivery.
    Trajectory.objects.filter(pk=month["j"].pk).update(actual_end_date=D(2026, 10, 30))
    correction = _build(admin_user, duiven, corrects=sent)
    assert correction.corrects_id == sent.pk
    assert correction.counts["records"] == 7 and correction.counts["left_out"] == 1
    assert correction.checksum != sent.checksum
    header = correction.file.open("rb").read()[:36].decode("ascii")
    assert header.endswith(f"{correction.pk:08d}{sent.pk:08d}")
    # One correction per sent delivery: the next one corrects the correction.
    with pytest.raises(ConflictError):
        services.srg_delivery_request(
            actor=admin_user, municipality=duiven, month=OCTOBER, today=TODAY, corrects=sent
        )
    with pytest.raises(ConflictError):  # a draft cannot be corrected
        services.srg_delivery_request(
            actor=admin_user, municipality=duiven, month=OCTOBER, today=TODAY, corrects=correction
        )
    assert (
        SrgDelivery.objects.get(pk=sent.pk).checksum
        == sent.checksum
        == services.file_checksum(sent)
    )


def test_a_month_composed_twice_is_sent_once(
    month: dict[str, Trajectory], admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    """R-INT-2: composing October twice before sending gave two drafts, and both could be
    marked sent (CBS got the month twice, the second not as a correction). The second is
    refused; a correction of the sent one is the way."""
    duiven = municipality("Duiven")
    first, second = _build(admin_user, duiven), _build(admin_user, duiven)
    sent = services.srg_delivery_mark_sent(actor=admin_user, delivery=first, report_seen=True)
    with pytest.raises(ConflictError, match="al verzonden met een andere levering"):
        services.srg_delivery_mark_sent(actor=admin_user, delivery=second, report_seen=True)
    assert SrgDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 1
    correction = _build(admin_user, duiven, corrects=sent)
    services.srg_delivery_mark_sent(actor=admin_user, delivery=correction, report_seen=True)
    assert SrgDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 2


def test_a_changed_file_cannot_be_marked_sent(
    month: dict[str, Trajectory], admin_user: User, municipality: Callable[[str], Municipality]
) -> None:
    delivery = _build(admin_user, municipality("Duiven"))
    path = delivery.file.path
    with open(path, "ab") as fh:
        fh.write(b"extra")
    with pytest.raises(ConflictError):
        services.srg_delivery_mark_sent(actor=admin_user, delivery=delivery, report_seen=True)


def test_refusals(
    admin_user: User,
    case_manager: User,
    municipality: Callable[[str], Municipality],
    other_org: object,
) -> None:
    duiven = municipality("Duiven")
    with pytest.raises(PermissionDeniedError):
        services.srg_delivery_request(
            actor=case_manager, municipality=duiven, month=OCTOBER, today=TODAY
        )
    with pytest.raises(DomainError) as running_month:
        services.srg_delivery_request(
            actor=admin_user, municipality=duiven, month=D(2026, 11, 1), today=TODAY
        )
    assert running_month.value.field == "month"
    elders = Municipality.objects.get(name="Elderstad")
    with pytest.raises(DomainError):
        services.srg_delivery_request(
            actor=admin_user, municipality=elders, month=OCTOBER, today=TODAY
        )
    with pytest.raises(DomainError) as bad_code:
        services.srg_code_save(actor=admin_user, code="te lang", name="X")
    assert bad_code.value.field == "code"
    code = services.srg_code_save(actor=admin_user, code="SA", name="Sociale activering")
    with pytest.raises(DomainError):
        services.srg_code_save(actor=admin_user, code="sa", name="Dubbel")
    with pytest.raises(PermissionDeniedError):
        services.srg_code_save(actor=case_manager, code="XX", name="Niet mogen")
    code = services.srg_code_save(
        actor=admin_user, code="SA", name="Sociale activering", active=False, srg_code=code
    )
    with pytest.raises(DomainError) as inactive:
        services.srg_placement_mapping_save(
            actor=admin_user,
            organisation_id=admin_user.organisation_id,
            placement_type="lks",
            srg_code=code,
        )
    assert inactive.value.field == "srg_code"
    with pytest.raises(DomainError) as bad_kind:
        services.srg_placement_mapping_validate(
            actor=admin_user, placement_type="stage", srg_code=code
        )
    assert bad_kind.value.field == "placement_type"


def test_build_streams_with_bounded_queries(
    month: dict[str, Trajectory],
    admin_user: User,
    municipality: Callable[[str], Municipality],
    django_assert_max_num_queries: Callable[[int], object],
) -> None:
    """No N+1: the build reads counts, codes and the two streams, whatever the month holds."""
    delivery = services.srg_delivery_request(
        actor=admin_user, municipality=municipality("Duiven"), month=OCTOBER, today=TODAY
    )
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        services.srg_delivery_build(delivery.pk)


def test_behind_pgbouncer_the_build_pages_by_key_to_the_same_file(
    month: dict[str, Trajectory],
    admin_user: User,
    municipality: Callable[[str], Municipality],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R-INT-2 at national scale: behind PgBouncer (no server-side cursors) `.iterator()`
    would fetch the whole month into memory, so the provisions are read in pages by primary
    key instead. Pages of two rows give the same file, byte for byte, as the streamed read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opstap.core.streaming import iterator_streams
    from opstap.reporting import selectors

    streamed = _build(admin_user, municipality("Duiven"))
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    monkeypatch.setattr(selectors, "CHUNK", 2)
    assert not iterator_streams(connection.alias)
    with CaptureQueriesContext(connection) as queries:
        paged = _build(admin_user, municipality("Duiven"))
    pages = [q["sql"] for q in queries.captured_queries if q["sql"].endswith("LIMIT 2")]
    # 6 trajectories in the month (a-d, i, j) in pages of 2 (+1 empty page), 1 placement.
    assert len(pages) == 4 + 1
    assert paged.counts == streamed.counts
    strip = lambda raw: raw.split(b"\r\n", 1)[1]  # noqa: E731  (the header holds the number)
    assert strip(paged.file.open("rb").read()) == strip(streamed.file.open("rb").read())
