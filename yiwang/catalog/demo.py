"""Demo catalogue: the health commission's real items and Dalian's implementation entries.

The items come from `data/items.json` (legal basis, time limits and the source of every
figure), their application forms from `data/forms.json` and the dictionaries those forms
choose from from `data/dictionaries.json`; everything is written through the services, so
the demo has its audit trail.
"""

from __future__ import annotations

import json
from pathlib import Path

from yiwang.catalog import services
from yiwang.regions.models import Department

DATA_FILE = Path(__file__).parent / "data" / "items.json"
FORMS_FILE = Path(__file__).parent / "data" / "forms.json"
DICTIONARIES_FILE = Path(__file__).parent / "data" / "dictionaries.json"
OWNER = "大连市卫生健康委员会"


def catalogue_data() -> tuple[list[dict], list[dict]]:
    """The items (defaults applied) and the implementation entries of the data file."""
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    defaults = document["defaults"]
    forms = json.loads(FORMS_FILE.read_text(encoding="utf-8"))["forms"]
    items = [
        {**defaults, "application_form": forms.get(item["code"], []), **item}
        for item in document["items"]
    ]
    return items, document["implementations"]


def example_answers(item_code: str) -> dict:
    """A filled example of the item's application form, without what the profile prefills."""
    return json.loads(FORMS_FILE.read_text(encoding="utf-8"))["examples"].get(item_code, {})


def dictionaries_data() -> list[dict]:
    return json.loads(DICTIONARIES_FILE.read_text(encoding="utf-8"))["dictionaries"]


def load(admin) -> None:
    # The data migration loads them too; a flushed test database needs them again.
    services.dictionaries_load(actor=admin, dictionaries=dictionaries_data())
    items, implementations = catalogue_data()
    owner = Department.objects.get(name=OWNER)
    published = {}
    for data in items:
        draft = services.item_create_draft(actor=admin, owner_department=owner, data=data)
        services.item_submit_for_review(actor=admin, version=draft)
        published[data["code"]] = services.item_publish(actor=admin, version=draft).item
    departments = {department.name: department for department in Department.objects.all()}
    for entry in implementations:
        local = {key: value for key, value in entry.items() if key not in {"item", "department"}}
        implementation = services.implementation_create(
            actor=admin,
            item=published[entry["item"]],
            department=departments[entry["department"]],
            **local,
        )
        services.implementation_publish(actor=admin, implementation=implementation)
