"""The due date of a right-of-access request still being worked on moves to the next working
day of the Atw calendar (R-SEC-5, AVG art. 12(3); Algemene termijnenwet art. 1, EU Regulation
1182/71 art. 3(4)).

Before this, a due date one month after receipt was stored as is, also on a Saturday, Sunday
or holiday. A request not yet answered (requested, compiling or failed: the term is running,
`selectors.UNANSWERED_STATES`) gets the next working day on or after its stored date, with
the days equated by royal decree (trajectories' reference data); a date that is a working day
stays. Answered requests (ready, downloaded, expired, no data) keep theirs: that was the date
they were held to. Reversing this migration changes nothing (the rolled date is never earlier
than the stored one, and the old one is not kept).
"""

from django.db import migrations

from opstap.core.atw import next_working_day

#: Not yet answered: the one-month term is running (frozen here: the states of 2026-12).
UNANSWERED = ("requested", "compiling", "failed")


def roll_open_due_dates(apps, schema_editor):
    AccessRequest = apps.get_model("access_requests", "AccessRequest")
    EquatedDay = apps.get_model("trajectories", "EquatedDay")
    equated = frozenset(EquatedDay.objects.values_list("day", flat=True))
    rows = AccessRequest.objects.filter(state__in=UNANSWERED).values_list("pk", "due_on")
    moved: dict = {}
    for pk, due_on in rows:
        rolled = next_working_day(due_on, equated_days=equated)
        if rolled != due_on:
            moved.setdefault(rolled, []).append(pk)
    for rolled, pks in moved.items():
        AccessRequest.objects.filter(pk__in=pks).update(due_on=rolled)


class Migration(migrations.Migration):
    dependencies = [
        ("access_requests", "0003_requests_without_dossier"),
        ("trajectories", "0008_seed_equated_days"),
    ]

    operations = [migrations.RunPython(roll_open_due_dates, migrations.RunPython.noop)]
