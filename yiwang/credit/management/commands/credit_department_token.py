"""Issue the API token a department sends its credit facts with (shown once, stored hashed).

manage.py credit_department_token --department 大连市医疗保障局 --label "医保局"
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from yiwang.credit.services import department_token_issue
from yiwang.regions.models import Department


class Command(BaseCommand):
    help = "Issue a department's credit API token (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="name or id of the department")
        parser.add_argument("--label", required=True)
        parser.add_argument("--as-user", default="admin", help="the administrator issuing it")

    def handle(self, *args, **options):
        name = options["department"]
        lookup = Q(name=name) | (Q(pk=int(name)) if name.isdigit() else Q())
        department = Department.objects.filter(lookup).first()
        if department is None:
            raise CommandError(f"no department {name!r}")
        actor = get_user_model().objects.filter(username=options["as_user"]).first()
        if actor is None:
            raise CommandError(f"no user {options['as_user']!r}")
        token, record = department_token_issue(
            actor=actor, department=department, label=options["label"]
        )
        self.stdout.write(f"{record.label} ({department.name}): {token}")
