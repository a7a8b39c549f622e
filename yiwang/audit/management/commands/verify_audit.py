from django.core.management.base import BaseCommand, CommandError

from yiwang.audit.models import AuditRecord
from yiwang.audit.verification import verify_anchors, verify_streams


class Command(BaseCommand):
    help = "Check every audit chain and the global anchors; exit 1 at any breach."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="list every breach, not the first")

    def handle(self, *args, **options):
        breaches = []
        for breach in (*verify_streams(), *verify_anchors()):
            breaches.append(breach)
            if not options["all"]:
                break
        if breaches:
            for breach in breaches:
                self.stderr.write(f"BREACH {breach}")
            raise CommandError(f"audit record broken at {breaches[0]}", returncode=1)
        self.stdout.write(f"audit record intact: {AuditRecord.objects.count()} records")
