from django.core.management.base import BaseCommand

from yiwang.indicators import rollups


class Command(BaseCommand):
    help = "Rebuild the working-day positions and every daily roll-up from the records."

    def handle(self, *args, **options):
        written = rollups.rebuild()
        self.stdout.write(f"{written} roll-up rows, up to {rollups.rolled_up_to()}")
