"""Application forms as data: the definitions, the dictionaries, checking answers, the API."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from yiwang.catalog import services
from yiwang.catalog.answers import answers_check, licence_entries
from yiwang.catalog.demo import catalogue_data, example_answers
from yiwang.catalog.forms import prefill_from_profile
from yiwang.catalog.models import Dictionary, ItemVersion
from yiwang.catalog.selectors import dictionaries_for, item_published
from yiwang.catalog.tests.factories import ItemData, published_item, world
from yiwang.errors import InvalidInput
from yiwang.parties.models import Applicant

pytestmark = pytest.mark.django_db

PRACTICE_REGISTRATION = "010010020000"
BEDS = {"name": "beds", "type": "number", "label": "床位（张）", "required": True, "min": 0}


def check(code: str, answers: dict) -> dict:
    fields = item_published(code).application_form
    return answers_check(fields=fields, answers=answers, dictionaries=dictionaries_for(fields))


def test_the_data_migration_loads_the_official_clinical_subjects_and_may_run_twice():
    loading = importlib.import_module("yiwang.catalog.migrations.0005_load_dictionaries")
    loading.load(django_apps, None)
    loading.load(django_apps, None)
    assert Dictionary.objects.filter(code="clinical_subjects").count() == 1
    subjects = Dictionary.objects.get(code="clinical_subjects")
    entries = {entry["code"]: entry["label"] for entry in subjects.entries}
    assert entries["01"] == "预防保健科"
    assert entries["02"] == "全科医疗科"
    assert entries["03"] == "内科"
    assert entries["12"] == "口腔科"
    assert entries["50"] == "中医科"
    assert "《医疗机构诊疗科目名录》" in subjects.source
    assert (
        Dictionary.objects.filter(code__in=["institution_categories", "public_place_kinds"]).count()
        == 2
    )


def test_every_item_of_the_demo_catalogue_has_a_form_that_accepts_its_example(demo):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    for data in catalogue_data()[0]:
        version = item_published(data["code"])
        assert len(version.application_form) >= 3, data["code"]
        answers = {**prefill_from_profile(version.application_form, clinic)}
        answers.update(example_answers(data["code"]))
        cleaned = check(data["code"], answers)
        assert any(f.get("licence") == "scope" for f in version.application_form), data["code"]
        scope, _particulars = licence_entries(
            fields=version.application_form,
            answers=cleaned,
            dictionaries=dictionaries_for(version.application_form),
        )
        assert scope and all(scope), data["code"]


def test_a_missing_required_answer_is_refused_naming_the_field_in_chinese(demo):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as error:
        check(PRACTICE_REGISTRATION, {"beds": 0})
    assert error.value.fields["form.clinical_subjects"] == "诊疗科目为必填项。"
    assert error.value.code == "invalid_form"


def test_numbers_dates_patterns_and_choices_are_checked_against_their_rules(demo):
    answers = {
        **example_answers(PRACTICE_REGISTRATION),
        "beds": -1,
        "clinical_subjects": ["12", "99"],
        "staff": [{"name": "王明", "profession": "医师", "certificate_number": "12"}],
    }
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as error:
        check(PRACTICE_REGISTRATION, answers)
    fields = error.value.fields
    assert fields["form.beds"] == "床位（张）不得小于 0。"
    assert "“99”" in fields["form.clinical_subjects"]
    assert "form.staff.1.certificate_number" in fields
    with pytest.raises(InvalidInput) as error:
        check("010070010000", {**example_answers("010070010000"), "planned_on": "2027-13-01"})
    assert "form.planned_on" in error.value.fields


def test_answers_are_cleaned_subjects_in_the_catalogue_order(demo):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    fields = item_published(PRACTICE_REGISTRATION).application_form
    answers = {
        **prefill_from_profile(fields, clinic),
        **example_answers(PRACTICE_REGISTRATION),
        "clinical_subjects": ["12", "03", "12"],
    }
    answers["beds"] = "20"
    cleaned = check(PRACTICE_REGISTRATION, answers)
    assert cleaned["clinical_subjects"] == ["03", "12"]
    assert cleaned["beds"] == 20


def test_the_clinics_profile_prefills_name_address_and_category(demo):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    fields = item_published(PRACTICE_REGISTRATION).application_form
    prefilled = prefill_from_profile(fields, clinic)
    assert prefilled["institution_name"] == "大连海滨口腔诊所"
    assert prefilled["address"]["region"] == clinic.region.code
    assert prefilled["address"]["detail"] == clinic.address
    assert prefilled["institution_category"] == "19"  # 口腔诊所 is a 诊所


def test_subjects_become_the_scope_and_the_rest_register_particulars(demo):
    clinic = Applicant.objects.get(name="大连海滨口腔诊所")
    fields = item_published(PRACTICE_REGISTRATION).application_form
    answers = {**prefill_from_profile(fields, clinic), **example_answers(PRACTICE_REGISTRATION)}
    answers["clinical_subjects"] = ["03", "12"]
    scope, particulars = licence_entries(
        fields=fields,
        answers=check(PRACTICE_REGISTRATION, answers),
        dictionaries=dictionaries_for(fields),
    )
    assert scope == ["内科", "口腔科"]
    printed = {entry["label"]: entry["value"] for entry in particulars}
    assert printed["机构名称"] == "大连海滨口腔诊所"
    assert printed["地址"] == clinic.address
    assert printed["床位（张）"] == "0"
    answers["address"] = {"region": clinic.region.code, "detail": "人民路146号"}
    _scope, particulars = licence_entries(
        fields=fields, answers=answers, dictionaries=dictionaries_for(fields)
    )
    printed = {entry["label"]: entry["value"] for entry in particulars}
    assert printed["地址"] == "中山区青泥洼桥街道天津街社区人民路146号"
    assert printed["医疗机构类别"] == "诊所"


def test_a_form_naming_an_unknown_dictionary_or_type_is_refused():
    w = world()
    fields = [
        {"name": "kind", "type": "choice", "label": "类别", "dictionary": "no_such_list"},
        {"name": "colour", "type": "colour", "label": "颜色"},
    ]
    with pytest.raises(InvalidInput) as error:
        services.item_create_draft(
            actor=w["admin"],
            owner_department=w["commission"],
            data=ItemData(application_form=fields),
        )
    assert "application_form.0.dictionary" in error.value.fields
    assert "application_form.1.type" in error.value.fields


def test_a_changed_form_is_a_new_version_and_the_old_one_keeps_its_form():
    w = world()
    first = published_item(w["admin"], w["commission"], application_form=[BEDS])
    draft = services.item_version_revise(
        actor=w["admin"],
        item=first.item,
        changes={"application_form": [{**BEDS, "max": 99}]},
    )
    services.item_submit_for_review(actor=w["admin"], version=draft)
    services.item_publish(actor=w["admin"], version=draft)
    first.refresh_from_db()
    draft.refresh_from_db()
    assert first.status == ItemVersion.Status.SUPERSEDED
    assert "max" not in first.application_form[0]
    assert draft.application_form[0]["max"] == 99
    assert any(change["field"] == "application_form" for change in draft.changes)


def test_the_item_api_publishes_the_form_with_its_choices(demo, client):
    body = client.get(f"/api/v1/items/{PRACTICE_REGISTRATION}").json()
    fields = {field["name"]: field for field in body["form"]["fields"]}
    subjects = fields["clinical_subjects"]
    assert subjects["type"] == "choice" and subjects["multiple"] is True
    assert subjects["required"] is True
    assert {"code": "03", "label": "内科", "label_en": "Internal medicine"} in subjects["choices"]
    assert subjects["help"]
    assert fields["beds"]["type"] == "number" and fields["beds"]["min"] == 0
    assert [column["name"] for column in fields["staff"]["columns"]] == [
        "name",
        "profession",
        "certificate_number",
    ]
    assert fields["address"]["type"] == "address"
