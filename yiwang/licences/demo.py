"""Demo licences: the items that act on licences (renewal, change, cancellation, revocation),
the verification periods, and a few licences of the demo applicants, imported as from an
existing register so that the portal and workbench have something to show.

Everything goes through the services, so the demo has its audit record like real data.
"""

from __future__ import annotations

import datetime
import json

from yiwang import clock
from yiwang.catalog import services as catalog_services
from yiwang.catalog.demo import DATA_FILE as CATALOG_DATA_FILE
from yiwang.catalog.models import Item
from yiwang.licences import rules
from yiwang.licences.models import Status, VerificationPeriod
from yiwang.licences.services import licence_create
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

OWNER = "大连市卫生健康委员会"


def load_items(admin) -> None:
    document = json.loads(rules.DATA_FILE.read_text(encoding="utf-8"))
    defaults = json.loads(CATALOG_DATA_FILE.read_text(encoding="utf-8"))["defaults"]
    owner = Department.objects.get(name=OWNER)
    departments = {department.name: department for department in Department.objects.all()}
    published = {}
    for data in document["items"]:
        draft = catalog_services.item_create_draft(
            actor=admin, owner_department=owner, data={**defaults, **data}
        )
        catalog_services.item_submit_for_review(actor=admin, version=draft)
        published[data["code"]] = catalog_services.item_publish(actor=admin, version=draft).item
    for entry in document["implementations"]:
        local = {key: value for key, value in entry.items() if key not in {"item", "department"}}
        implementation = catalog_services.implementation_create(
            actor=admin,
            item=published[entry["item"]],
            department=departments[entry["department"]],
            **local,
        )
        catalog_services.implementation_publish(actor=admin, implementation=implementation)
    for period in document["periods"]:
        VerificationPeriod.objects.get_or_create(
            category=period["category"],
            min_beds=period["min_beds"],
            defaults={"years": period["years"], "legal_basis": period["legal_basis"]},
        )


# holder, item, scope, years of validity, days until expiry
LICENCES = [
    ("大连海滨口腔诊所", "010010020000", ["口腔科"], 5, 20),
    ("大连中山仁和医院", "010010020000", ["内科", "外科", "妇产科", "儿科", "医学影像科"], 5, 400),
    ("大连滨海健康管理有限公司", "010040010000", ["公共场所：健康管理服务场所"], 4, 75),
    ("大连星海游泳馆有限公司", "010040010000", ["公共场所：游泳场（馆）"], 4, -10),
]


def load(admin) -> None:
    load_items(admin)
    owner = Department.objects.get(name=OWNER)
    today = clock.today()
    for holder_name, item_code, scope, years, days_left in LICENCES:
        item = Item.objects.get(code=item_code)
        version = item.versions.get(status="published")
        valid_until = today + datetime.timedelta(days=days_left)
        valid_from = rules.add_years(valid_until + datetime.timedelta(days=1), -years)
        licence_create(
            actor=admin,
            holder=Applicant.objects.get(name=holder_name),
            item=item,
            department=owner,
            licence_type=version.licence_type,
            licence_type_en=version.licence_type_en,
            licence_type_code=version.licence_type_code,
            valid_from=valid_from,
            valid_until=valid_until,
            validity_years=years,
            scope=scope,
            status=Status.VALID if days_left >= 0 else Status.EXPIRED,
            imported=True,
            note="演示数据：自原登记簿导入",
        )
