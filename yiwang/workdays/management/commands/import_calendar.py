"""Load a year's calendar from a CSV or .xlsx file (date, kind, name, notice)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from yiwang.errors import DomainError
from yiwang.workdays.services import CalendarImportRefused, calendar_import_year


class Command(BaseCommand):
    help = "Load a whole year of holidays and make-up working days; nothing is loaded on error."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--year", type=int, help="the year (default: the rows' own year)")
        parser.add_argument("--notice", default="", help="the State Council notice")
        parser.add_argument("--user", help="the administrator (default: the first superuser)")

    def handle(self, *args, file, year, notice, user, **options):
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username=user).first()
            if user
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError("No such active user; pass --user")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            result = calendar_import_year(
                actor=actor, filename=path.name, content=path.read_bytes(), year=year, notice=notice
            )
        except CalendarImportRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"row {problem.row}, {problem.column}: {problem.message}")
            raise CommandError(str(refused.message)) from refused
        except DomainError as error:
            raise CommandError(f"{error.message} {error.fields}") from error
        self.stdout.write(
            f"{result.year}: {result.loaded} day(s) loaded, {result.removed} replaced."
        )
