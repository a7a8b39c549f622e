import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yiwang.api.routes import api

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def served_document() -> str:
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Write the served OpenAPI document to docs/openapi.json, or --check that it matches."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if the file differs")

    def handle(self, *args, check=False, **options):
        document = served_document()
        if check:
            if not DOCUMENT.exists() or DOCUMENT.read_text(encoding="utf-8") != document:
                raise CommandError(
                    "docs/openapi.json differs from the served API: an API change is a reviewed "
                    "change; run `manage.py openapi` and commit the file.",
                    returncode=1,
                )
            self.stdout.write("docs/openapi.json matches the served API")
            return
        DOCUMENT.write_text(document, encoding="utf-8")
        self.stdout.write(f"wrote {DOCUMENT}")
