"""Application forms: checking one filing's answers and reading its licence entries.

    .venv/bin/python bench/forms.py

In-process on the demo database of `make setup` (SQLite, var/yiwang.sqlite3, or DATABASE_URL):
the queries and the time per form of the practice registration (12 fields, one a list of
rows) — the work `case_submit` adds to a filing and `licence_issue_for_case` to an issue.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yiwang.catalog.answers import answers_check, licence_entries
    from yiwang.catalog.demo import example_answers
    from yiwang.catalog.forms import prefill_from_profile
    from yiwang.catalog.selectors import dictionaries_for, item_published
    from yiwang.parties.models import Applicant

    code = "010010020000"
    fields = item_published(code).application_form
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    answers = {**prefill_from_profile(fields, clinic), **example_answers(code)}

    def once() -> None:
        dictionaries = dictionaries_for(fields)
        cleaned = answers_check(fields=fields, answers=answers, dictionaries=dictionaries)
        licence_entries(fields=fields, answers=cleaned, dictionaries=dictionaries)

    with CaptureQueriesContext(connection) as queries:
        once()
    runs = 500
    start = time.perf_counter()
    for _ in range(runs):
        once()
    elapsed = (time.perf_counter() - start) / runs * 1000
    print(f"queries per form: {len(queries)}")
    print(f"{elapsed:.2f} ms per form ({len(fields)} fields, {runs} runs), load {os.getloadavg()}")


if __name__ == "__main__":
    main()
