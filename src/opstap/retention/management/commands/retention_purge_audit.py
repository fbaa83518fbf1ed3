"""Delete the audit trail past its own term (R-SEC-4): whole UTC days older than the
organisation's `audit_trail` term, with their chain heads. Run it as the database OWNER
(the application role cannot switch off the append-only trigger, so it fails there and
changes nothing); without --yes it only says what it would remove.

    DATABASE_URL=postgres://owner@… manage.py retention_purge_audit [--today jjjj-mm-dd] [--yes]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from opstap.audit.services import audit_purge_before
from opstap.organisations.models import Organisation
from opstap.retention.management.commands._options import add_today_argument, today_of
from opstap.retention.selectors import audit_records_past_term, terms_for
from opstap.retention.terms import Kind, audit_cutoff


class Command(BaseCommand):
    help = "Audittrail na de eigen bewaartermijn verwijderen (als eigenaar van de database)."

    def add_arguments(self, parser: Any) -> None:
        add_today_argument(parser)
        parser.add_argument("--yes", action="store_true", help="echt verwijderen")

    def handle(self, *args: Any, **options: Any) -> None:
        today = today_of(options)
        for organisation in Organisation.objects.order_by("pk"):
            years = terms_for(organisation.pk)[Kind.AUDIT_TRAIL].years
            cutoff = audit_cutoff(today, years)
            due = audit_records_past_term(organisation_id=organisation.pk, cutoff=cutoff)
            if not options["yes"]:
                self.stdout.write(
                    f"{organisation.name}: {due} auditregels vóór {cutoff:%d-%m-%Y} "
                    f"(termijn {years} jaar); niets verwijderd (gebruik --yes)."
                )
                continue
            removed = audit_purge_before(organisation_id=organisation.pk, before=cutoff)
            self.stdout.write(f"{organisation.name}: {removed} auditregels verwijderd.")
