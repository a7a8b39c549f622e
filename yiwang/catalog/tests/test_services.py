import pytest
from django.db import IntegrityError, transaction

from yiwang.catalog import selectors, services
from yiwang.catalog.models import Implementation, Item, ItemVersion
from yiwang.catalog.rules import parse_reference
from yiwang.catalog.tests.factories import ItemData, MaterialData, item_count, published_item, world
from yiwang.errors import Conflict, InvalidInput, NotFound, PermissionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def test_committed_limit_above_statutory_is_refused_and_nothing_saved(w):
    with pytest.raises(InvalidInput) as refused:
        services.item_create_draft(
            actor=w["admin"],
            owner_department=w["commission"],
            data=ItemData(statutory_limit_days=20, committed_limit_days=25),
        )
    assert "committed_limit_days" in refused.value.fields
    assert "25" in str(refused.value.fields["committed_limit_days"])
    assert item_count() == 0


def test_a_material_tolerable_and_core_at_once_is_refused(w):
    materials = [MaterialData(code="M01", name="申请书", tolerable=True, core=True)]
    with pytest.raises(InvalidInput) as refused:
        services.item_create_draft(
            actor=w["admin"], owner_department=w["commission"], data=ItemData(materials=materials)
        )
    assert "materials.0.tolerable" in refused.value.fields
    assert item_count() == 0


@pytest.mark.parametrize(
    "reference",
    ["医疗机构管理条例第九条", "《医疗机构管理条例》Art. 9", "《医疗机构管理条例》", "第九条"],
)
def test_a_malformed_legal_reference_is_refused(w, reference):
    with pytest.raises(InvalidInput) as refused:
        services.item_create_draft(
            actor=w["admin"],
            owner_department=w["commission"],
            data=ItemData(legal_basis=[reference]),
        )
    assert "legal_basis.0" in refused.value.fields


def test_a_legal_reference_is_split_into_law_and_article():
    assert parse_reference("《医疗机构管理条例》第九条") == ("医疗机构管理条例", "第九条")
    assert parse_reference("《中华人民共和国医师法》第十三条第一款") == (
        "中华人民共和国医师法",
        "第十三条第一款",
    )
    assert parse_reference("《护士条例》第七条、第八条") == ("护士条例", "第七条、第八条")


def test_a_duplicate_code_is_refused(w):
    published_item(w["admin"], w["commission"], code="019900000001")
    with pytest.raises(Conflict) as refused:
        services.item_create_draft(
            actor=w["admin"], owner_department=w["commission"], data=ItemData(code="019900000001")
        )
    assert refused.value.code == "duplicate"
    assert item_count() == 1


def test_the_database_refuses_a_committed_limit_above_the_statutory_one(w):
    version = published_item(w["admin"], w["commission"])
    version.committed_limit_days = 99
    with pytest.raises(IntegrityError), transaction.atomic():
        version.save()


def test_publishing_a_revision_supersedes_the_old_version_and_records_the_change(w):
    first = published_item(w["admin"], w["commission"], code="019900000002")
    draft = services.item_version_revise(
        actor=w["admin"], item=first.item, changes={"committed_limit_days": 5, "name": "新名称"}
    )
    assert draft.version == 2 and draft.status == ItemVersion.Status.DRAFT
    services.item_submit_for_review(actor=w["admin"], version=draft)
    second = services.item_publish(actor=w["admin"], version=draft)
    first.refresh_from_db()
    assert first.status == ItemVersion.Status.SUPERSEDED
    assert first.committed_limit_days == 10  # a case filed under v1 keeps its elements
    changed = {change["field"]: change for change in second.changes}
    assert changed["committed_limit_days"]["before"] == 10
    assert changed["committed_limit_days"]["after"] == 5
    assert changed["name"]["after"] == "新名称"
    assert selectors.item_published("019900000002").pk == second.pk


def test_a_draft_cannot_be_published_without_review(w):
    draft = services.item_create_draft(
        actor=w["admin"], owner_department=w["commission"], data=ItemData()
    )
    with pytest.raises(Conflict):
        services.item_publish(actor=w["admin"], version=draft)
    with pytest.raises(NotFound):
        selectors.item_published(draft.item.code)


def test_the_implementation_code_is_uscc_level_and_basic_code(w):
    version = published_item(w["admin"], w["commission"], code="019900000003")
    entry = services.implementation_create(
        actor=w["admin"], item=version.item, department=w["commission"], committed_limit_days=3
    )
    assert entry.implementation_code == w["commission"].uscc + "3" + "019900000003"
    assert entry.exercise_level == 3
    assert entry.name == version.name and entry.materials[1]["tolerable"] is True


def test_an_implementation_may_only_tighten(w):
    version = published_item(w["admin"], w["commission"])
    with pytest.raises(InvalidInput) as refused:
        services.implementation_create(
            actor=w["admin"],
            item=version.item,
            department=w["commission"],
            committed_limit_days=15,
            channels=["window"],
        )
    assert set(refused.value.fields) == {"committed_limit_days", "channels"}
    assert not Implementation.objects.exists()


def test_a_department_without_a_credit_code_must_give_one(w):
    version = published_item(w["admin"], w["commission"])
    with pytest.raises(InvalidInput) as refused:
        services.implementation_create(actor=w["admin"], item=version.item, department=w["bureau"])
    assert "uscc" in refused.value.fields


def test_publishing_an_entry_that_differs_from_the_base_is_refused(w):
    version = published_item(w["admin"], w["commission"])
    entry = services.implementation_create(
        actor=w["admin"], item=version.item, department=w["commission"]
    )
    Implementation.objects.filter(pk=entry.pk).update(name="医疗机构执业登记（本地版）")
    entry.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        services.implementation_publish(actor=w["admin"], implementation=entry)
    assert "name" in refused.value.fields
    entry.refresh_from_db()
    assert entry.status == Implementation.Status.DRAFT


def test_publishing_a_base_revision_realigns_the_standardized_elements(w):
    version = published_item(w["admin"], w["commission"])
    entry = services.implementation_create(
        actor=w["admin"], item=version.item, department=w["commission"], committed_limit_days=8
    )
    draft = services.item_version_revise(
        actor=w["admin"], item=version.item, changes={"name": "改名后的事项"}
    )
    services.item_submit_for_review(actor=w["admin"], version=draft)
    services.item_publish(actor=w["admin"], version=draft)
    entry.refresh_from_db()
    assert entry.name == "改名后的事项"
    assert entry.base_version_id == draft.pk
    assert entry.committed_limit_days == 8
    services.implementation_publish(actor=w["admin"], implementation=entry)
    assert selectors.implementation_for(draft, w["commission"]).pk == entry.pk


def test_a_window_clerk_may_not_edit_the_catalogue(demo, user_named):
    with pytest.raises(PermissionRefused):
        services.item_create_draft(
            actor=user_named("clerk"),
            owner_department=user_named("catalogue").staff.department,
            data=ItemData(),
        )
    assert not Item.objects.filter(code__startswith="0199").exists()


def test_the_demo_has_the_real_items_with_their_limits(demo):
    registration = selectors.item_published("010010020000")
    assert registration.name == "医疗机构执业登记"
    assert registration.statutory_limit_days == 45
    assert "第十九条" in registration.sources["statutory_limit_days"]
    dalian = selectors.implementation_for(
        registration, user_named_department("大连市卫生健康委员会")
    )
    assert dalian.committed_limit_days == 7
    assert ItemVersion.objects.filter(status="published").count() >= 15
    physician = selectors.item_published("010020010000")
    assert physician.statutory_limit_days == 20
    assert "commitment" in selectors.item_published("010040010000").procedures
    assert "first_use" in selectors.item_published("010030010000").procedures
    assert "emergency" in selectors.item_published("010060010000").procedures
    from yiwang.catalog.demo import catalogue_data

    shipped = [item["code"] for item in catalogue_data()[0]]
    for version in ItemVersion.objects.filter(status="published", item__code__in=shipped):
        assert "statutory_limit_days" in version.sources, version.item.code
        assert 3 <= version.materials.count() <= 8


def user_named_department(name):
    from yiwang.regions.models import Department

    return Department.objects.get(name=name)
