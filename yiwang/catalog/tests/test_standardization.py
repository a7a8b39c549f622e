import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yiwang.catalog.models import Implementation

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_is_standardized(demo, capsys):
    call_command("check_catalog")
    assert "every implementation entry matches" in capsys.readouterr().out


def test_a_planted_difference_is_reported_and_fails_the_check(demo, client, capsys):
    entry = Implementation.objects.get(
        item__code="010040010000", department__name="中山区卫生健康局"
    )
    materials = entry.materials
    materials[0]["name"] = "卫生许可申请表（区自定）"
    Implementation.objects.filter(pk=entry.pk).update(materials=materials, max_visits=3)
    with pytest.raises(CommandError):
        call_command("check_catalog")
    out = capsys.readouterr().out
    assert entry.implementation_code in out
    assert "materials [differs]" in out and "max_visits [loosens]" in out

    client.login(username="catalogue", password="demo-pass-2026")
    page = client.get("/items/standardization/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert entry.implementation_code in page
    assert "卫生许可申请表（区自定）" in page
    assert "May only be tightened" in page


def test_the_command_line_exits_with_status_1_on_a_difference(demo):
    from django.core.management import ManagementUtility

    Implementation.objects.filter(item__code="010010020000").update(statutory_limit_days=60)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "check_catalog"]).execute()
    assert exited.value.code == 1
