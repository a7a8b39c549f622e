"""Shared by the security tests: the case app's fixtures and the authorization matrix's objects."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from yiwang.cases import prereviews
from yiwang.cases.models import Bundle, BundleApplication, Case, CommitmentCheck, PreReview
from yiwang.cases.tests import conftest as case_fixtures
from yiwang.licences.tests.factories import make_licence
from yiwang.parties.models import Applicant
from yiwang.regions.models import Department

# The case app's fixtures, shared: a clinic, uploads, filing a case.
clinic = case_fixtures.clinic
upload = case_fixtures.upload
file_case = case_fixtures.file_case


@pytest.fixture
def objects(demo, file_case, clinic, user_named, upload):
    """Per variant: a case, a licence and an applicant placed there."""
    dalian = Department.objects.get(name="大连市卫生健康委员会")
    other_department = Department.objects.get(name="大连市市场监督管理局")
    zhongshan = Department.objects.get(name="中山区卫生健康局")
    other = Applicant.objects.exclude(pk=clinic.pk).exclude(representations__isnull=False).first()
    variants = {
        "own department": (dalian, clinic),
        "other department": (other_department, clinic),
        "other region": (zhongshan, clinic),
        "other applicant": (dalian, other),
    }
    built = {}
    for name, (department, holder) in variants.items():
        case = file_case()
        Case.objects.filter(pk=case.pk).update(
            department=department, region=department.region, applicant=holder
        )
        with transaction.atomic():
            licence = make_licence(number=f"MATRIX-{len(built) + 1}")
        licence.__class__.objects.filter(pk=licence.pk).update(department=department, holder=holder)
        prereview = prereviews.prereview_submit(
            actor=user_named("applicant"),
            item_code="010010020000",
            applicant_id=clinic.pk,
            materials=[{"code": "M01", "file_id": upload().pk}],
        )
        PreReview.objects.filter(pk=prereview.pk).update(department=department, applicant=holder)
        check = CommitmentCheck.objects.create(
            case=case,
            department=department,
            starts_on=datetime.date(2026, 11, 2),
            period_days=20,
            due_on=datetime.date(2026, 11, 30),
        )
        bundle = BundleApplication.objects.create(
            number=f"YJS-MATRIX-{len(built) + 1}",
            bundle=Bundle.objects.first(),
            applicant=holder,
            filed_by=user_named("applicant"),
            received_at=timezone.now(),
        )
        built[name] = {
            "check": CommitmentCheck.objects.select_related("department__region").get(pk=check.pk),
            "bundle": BundleApplication.objects.select_related("applicant__region").get(
                pk=bundle.pk
            ),
            "prereview": PreReview.objects.select_related("department__region").get(
                pk=prereview.pk
            ),
            "case": Case.objects.select_related("region").get(pk=case.pk),
            "licence": licence.__class__.objects.select_related("department__region").get(
                pk=licence.pk
            ),
            "applicant": holder,
        }
    return built


@pytest.fixture
def places(demo, clinic):
    """Per variant, where an object of the service and oversight rows is placed: its
    department and the applicant it concerns (an applicant-scoped object lies in the
    applicant's region). The demo applicant represents the clinic (a Zhongshan street)."""
    city = Department.objects.get(name="大连市卫生健康委员会")
    xigang = Department.objects.get(name="西岗区卫生健康局")
    return {
        "own department": (city, clinic),
        "other department": (Department.objects.get(name="大连市市场监督管理局"), clinic),
        "other region": (xigang, Applicant.objects.get(name="大连西岗康宁医院")),
        "other applicant": (city, Applicant.objects.get(name="大连康桥妇产医院")),
    }
