"""`manage.py audit_verify [--organisation ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD]`: check
the hash chains of the audit trail (R-SEC-2). Names every changed record, every broken link
and every chain that lost records at its end; exits non-zero when anything is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from opstap.audit.chain import CHAINED_FIELDS, Problem, verify_chain
from opstap.audit.models import AuditChainHead, AuditRecord


def verify(
    *, organisation_id: int | None = None, first: dt.date | None = None, last: dt.date | None = None
) -> tuple[int, int, list[Problem]]:
    """(chains checked, records checked, problems), chain by chain, streaming the records."""
    heads = dict(AuditChainHead.objects.values_list("chain", "length"))
    last_hashes = dict(AuditChainHead.objects.values_list("chain", "last_hash"))
    chains = set(heads) | set(
        AuditRecord.objects.exclude(chain="").values_list("chain", flat=True).distinct()
    )

    def wanted(chain: str) -> bool:
        org, day = chain.split(":", 1)
        if organisation_id is not None and int(org) != organisation_id:
            return False
        when = dt.date.fromisoformat(day)
        return (first is None or when >= first) and (last is None or when <= last)

    problems: list[Problem] = []
    records = 0
    checked = sorted(c for c in chains if wanted(c))
    for chain in checked:
        rows = (
            AuditRecord.objects.filter(chain=chain)
            .order_by("chain_position", "id")
            .values_list("id", "chain_position", "prev_hash", "row_hash", *CHAINED_FIELDS)
            .iterator(chunk_size=5000)
        )

        def content(rows: Any = rows) -> Any:
            nonlocal records
            for row in rows:
                records += 1
                yield (
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    dict(zip(CHAINED_FIELDS, row[4:], strict=True)),
                )

        problems += verify_chain(
            chain, content(), head_length=heads.get(chain), head_hash=last_hashes.get(chain)
        )
    return len(checked), records, problems


class Command(BaseCommand):
    help = (
        "Controleer de hashketens van de audittrail (R-SEC-2): is er iets gewijzigd of verwijderd?"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", type=int, default=None, help="Id van de organisatie.")
        parser.add_argument("--from", dest="first", default=None, help="Eerste dag (jjjj-mm-dd).")
        parser.add_argument("--to", dest="last", default=None, help="Laatste dag (jjjj-mm-dd).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            first = dt.date.fromisoformat(options["first"]) if options["first"] else None
            last = dt.date.fromisoformat(options["last"]) if options["last"] else None
        except ValueError as exc:
            raise CommandError("Geef data als jjjj-mm-dd.") from exc
        chains, records, problems = verify(
            organisation_id=options["organisation"], first=first, last=last
        )
        for problem in problems:
            where = f"regel {problem.record_id}" if problem.record_id else "einde van de keten"
            self.stdout.write(f"keten {problem.chain}, {where}: {problem.message}")
        if problems:
            raise CommandError(
                f"De audittrail is aangetast: {len(problems)} probleem/problemen in "
                f"{chains} keten(s)."
            )
        self.stdout.write(
            self.style.SUCCESS(f"In orde: {records} regels in {chains} keten(s) gecontroleerd.")
        )
