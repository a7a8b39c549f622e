"""`manage.py check_catalog`: list every implementation that differs from its base item."""

from django.core.management.base import BaseCommand, CommandError

from yiwang.catalog.standardization import standardization_report


class Command(BaseCommand):
    help = "Standardization report: implementation entries that differ from the base item."

    def handle(self, *args, **options):
        report = standardization_report()
        for implementation, differences in report:
            self.stdout.write(
                f"{implementation.implementation_code} {implementation.name} "
                f"({implementation.department.name})"
            )
            for difference in differences:
                self.stdout.write(
                    f"  {difference.field} [{difference.rule}]: "
                    f"base={difference.base!r} implementation={difference.implementation!r}"
                )
        if report:
            raise CommandError(f"{len(report)} implementation entries differ from their base item")
        self.stdout.write(self.style.SUCCESS("every implementation entry matches its base item"))
