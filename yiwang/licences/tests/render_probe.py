"""Render an e-licence PDF in a process of its own, as the worker would, for the font test.

`python -m yiwang.licences.tests.render_probe OUT.pdf`: the caller sets FONTCONFIG_FILE (e.g. to
a configuration without any system font folder) and YIWANG_PUBLIC_URL; WeasyPrint's warnings
go to standard error. No database is needed: the licence is built in memory.
"""

import datetime
import json
import logging
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.settings")
django.setup()

from yiwang.catalog.models import Item  # noqa: E402
from yiwang.licences import elicence  # noqa: E402
from yiwang.licences.documents import render_pdf  # noqa: E402
from yiwang.licences.models import Licence  # noqa: E402
from yiwang.parties.identifiers import make_uscc  # noqa: E402
from yiwang.parties.models import Applicant  # noqa: E402
from yiwang.regions.models import Department, Region  # noqa: E402

HOLDER = "大连滨海健康管理有限公司"
SCOPE = ["游泳场（馆）", "美容美发场所"]


def licence() -> Licence:
    region = Region(code="210202000000", name="中山区")
    department = Department(
        name="中山区卫生健康局", region=region, uscc=make_uscc("11210202", "MB1E7E6P")
    )
    holder = Applicant(name=HOLDER, uscc="91210202MA01DL073P", kind="enterprise", region=region)
    item = Item(code="010040010000")
    result = Licence(
        number="11100000000006202600000" + "1",
        licence_type="公共场所卫生许可证",
        licence_type_code="11100000000006",
        holder=holder,
        item=item,
        department=department,
        scope=SCOPE,
        valid_from=datetime.date(2026, 9, 28),
        valid_until=datetime.date(2030, 9, 27),
        version=1,
        elicence_id="1.2.156.3005.2.11100000000006.11210202MB1E7E6P.111000000000062026000001.001.Z",
        signing_key_id="test-key",
        signature="c2lnbmF0dXJl",
        issued_at=datetime.datetime(2026, 9, 28, 10, 0, tzinfo=datetime.UTC),
    )
    result.signed_content = elicence.canonical(elicence.elements(result))
    return result


if __name__ == "__main__":
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    with open(sys.argv[1], "wb") as out:
        out.write(render_pdf(licence()))
    print(json.dumps({"holder": HOLDER, "scope": SCOPE}, ensure_ascii=False))
