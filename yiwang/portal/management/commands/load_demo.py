from django.core.management.base import BaseCommand

from yiwang import demo


class Command(BaseCommand):
    help = "Load the Dalian demo data (regions, departments, users, applicants, items)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-new", action="store_true", help="do nothing when the database already has it"
        )

    def handle(self, *args, if_new=False, **options):
        if demo.is_loaded():
            if if_new:
                self.stdout.write("demo data already present; kept as it is")
                return
            self.stderr.write("demo data already present")
            return
        demo.load()
        self.stdout.write(self.style.SUCCESS("demo data loaded"))
