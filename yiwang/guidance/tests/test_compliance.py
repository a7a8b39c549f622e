import pytest

from yiwang.errors import InvalidInput
from yiwang.guidance import compliance, importing
from yiwang.guidance.demo import workbook
from yiwang.guidance.models import GuideVersion

pytestmark = pytest.mark.django_db


def codes(violations):
    return [violation.code for violation in violations]


def test_search_finds_every_term_in_chinese(guidance_demo):
    # Those with the first term in their title come first.
    assert codes(compliance.violations_search(query="医保")) == ["V04", "V03"]
    assert codes(compliance.violations_search(query="广告 治愈率")) == ["V06"]
    assert codes(compliance.violations_search(query="执业许可证")) == ["V01"]
    assert codes(compliance.violations_search(query="不存在的违法行为")) == []


def test_the_guide_is_filtered_by_item(guidance_demo):
    assert codes(compliance.violations_search(item_code="010010050000")) == ["V05", "V06"]
    assert "V01" in codes(compliance.violations_search(item_code="130010040000"))


def test_a_violation_carries_its_articles(guidance_demo):
    violation = compliance.violation_get("V01")
    assert [(a.law.name, a.number) for a in violation.articles.all()] == [
        ("中华人民共和国基本医疗卫生与健康促进法", "第九十九条")
    ]


def test_a_new_edition_becomes_current_and_the_old_stays(guidance_demo, user_named):
    content = workbook(
        {
            "laws": (
                importing.LAW_COLUMNS,
                [["L01", "医疗机构管理条例", "国务院", "health", "1994-09-01", "2022-03-29"]],
            ),
            "articles": (importing.ARTICLE_COLUMNS, []),
            "violations": (
                importing.VIOLATION_COLUMNS,
                [
                    [
                        "N01",
                        "超出登记的诊疗科目开展诊疗活动",
                        "执业范围",
                        "",
                        "依法给予警告、罚款，情节严重的吊销执业许可证。",
                        "变更诊疗科目后再开展相应诊疗。",
                        "",
                        "010010020000",
                    ]
                ],
            ),
        }
    )
    version = importing.guide_import(
        actor=user_named("catalogue"), content=content, title="合规指引 2027"
    )
    assert version.number == 2
    assert compliance.current_version() == version
    assert codes(compliance.violations_search(query="诊疗科目")) == ["N01"]
    assert GuideVersion.objects.count() == 2


def test_an_edition_citing_an_unknown_article_imports_nothing(guidance_demo, user_named):
    content = workbook(
        {
            "laws": (
                importing.LAW_COLUMNS,
                [["L01", "医疗机构管理条例", "国务院", "health", "1994-09-01", "not a date"]],
            ),
            "articles": (importing.ARTICLE_COLUMNS, []),
            "violations": (
                importing.VIOLATION_COLUMNS,
                [["N01", "超范围执业", "执业范围", "", "罚款", "整改", "L01/第四十七条", ""]],
            ),
        }
    )
    with pytest.raises(InvalidInput) as refused:
        importing.guide_import(
            actor=user_named("catalogue"), content=content, title="合规指引 2027"
        )
    assert set(refused.value.fields) == {"laws!2.amended_on", "violations!2.articles"}
    assert GuideVersion.objects.count() == 1


def test_only_guide_editors_import(guidance_demo, user_named):
    from yiwang.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        importing.guide_import(actor=user_named("clerk"), content=b"", title="x")
