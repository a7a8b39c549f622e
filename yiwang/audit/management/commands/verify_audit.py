from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.audit import heads
from yiwang.audit.models import AuditAnchor, AuditRecord
from yiwang.audit.verification import all_breaches, default_copies


class Command(BaseCommand):
    help = (
        "Check every audit chain, the signed heads and copies of them kept outside the database "
        "(the export file and any --heads file); exit 1 at any breach, naming truncation, "
        "rewrite or rollback."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="list every breach, not the first")
        parser.add_argument(
            "--heads",
            action="append",
            default=[],
            metavar="FILE",
            help="a copy of the signed heads (JSON lines, as /audit/heads.jsonl serves them)",
        )

    def handle(self, *args, **options):
        copies = default_copies() + heads.load_copies(Path(p) for p in options["heads"])
        breaches = []
        for breach in all_breaches(copies):
            breaches.append(breach)
            if not options["all"]:
                break
        if breaches:
            for breach in breaches:
                self.stderr.write(f"BREACH {breach}")
            raise CommandError(f"audit record broken at {breaches[0]}", returncode=1)
        last = AuditAnchor.objects.order_by("-seq").first()
        self.stdout.write(
            f"audit record intact: {AuditRecord.objects.count()} records, "
            f"last signed head #{last.seq if last else 0}, {len(copies)} copied heads checked"
        )
