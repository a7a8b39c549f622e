import pytest

from yiwang.errors import NotFound, PermissionRefused
from yiwang.parties.models import Applicant
from yiwang.parties.selectors import applicants_visible_to
from yiwang.permissions import Action, may, require, visible

pytestmark = pytest.mark.django_db


def test_district_reviewer_cannot_see_another_districts_applicants(demo, user_named):
    zhongshan = user_named("zs_reviewer")
    xigang_applicant = Applicant.objects.filter(region__code__startswith="210203").first()
    zhongshan_applicant = Applicant.objects.filter(region__code__startswith="210202").first()
    assert may(zhongshan, Action.APPLICANT_VIEW, zhongshan_applicant)
    assert not may(zhongshan, Action.APPLICANT_VIEW, xigang_applicant)
    with pytest.raises(NotFound):
        require(zhongshan, Action.APPLICANT_VIEW, xigang_applicant)
    seen = set(applicants_visible_to(zhongshan).values_list("region__code", flat=True))
    assert seen and all(code.startswith("210202") for code in seen)


def test_city_reviewer_sees_every_district(demo, user_named):
    codes = set(
        applicants_visible_to(user_named("reviewer")).values_list("region__code", flat=True)
    )
    assert any(code.startswith("210202") for code in codes)
    assert any(code.startswith("210203") for code in codes)


def test_portal_account_sees_only_the_applicants_it_represents(demo, user_named):
    applicant_user = user_named("applicant")
    names = set(applicants_visible_to(applicant_user).values_list("name", flat=True))
    assert names == {"大连滨海健康管理有限公司", "大连海滨口腔诊所"}


def test_role_without_the_action_is_refused_on_a_visible_object(demo, user_named):
    inspector = user_named("inspector1")
    applicant = Applicant.objects.first()
    assert may(inspector, Action.APPLICANT_VIEW, applicant)
    with pytest.raises(PermissionRefused):
        require(inspector, Action.APPLICANT_CREATE, applicant)


def test_visible_queries_do_not_grow_with_scope(demo, user_named, django_assert_max_num_queries):
    reviewer = user_named("reviewer")
    with django_assert_max_num_queries(4):
        list(
            visible(
                reviewer,
                Applicant.objects.all(),
                Action.APPLICANT_VIEW,
                region_field="region__code",
            )
        )


def test_anonymous_user_may_nothing(demo):
    from django.contrib.auth.models import AnonymousUser

    assert not may(AnonymousUser(), Action.APPLICANT_VIEW, Applicant.objects.first())
