"""Dated policies: the preview is exactly what apply changes; undo restores it; bad windows."""

import datetime

import pytest

from yiwang.errors import Conflict, InvalidInput, PermissionRefused
from yiwang.licences import policies
from yiwang.licences.authenticity import licence_authenticity
from yiwang.licences.models import Licence, LicenceEvent, Policy, PolicyApplication, Status
from yiwang.licences.tests.factories import PUBLIC_PLACE, make_licence

pytestmark = pytest.mark.django_db
D = datetime.date
PUBLIC_PLACE_TYPE = "11100000000006"


def _licences(freeze):
    freeze("2026-09-28")
    inside = [
        make_licence(
            item_code=PUBLIC_PLACE,
            holder="大连星海游泳馆有限公司",
            valid_from=D(2022, 10, 1),
            valid_until=day,
            years=4,
        )
        for day in (D(2026, 10, 1), D(2026, 11, 15), D(2026, 12, 31))
    ]
    outside = [
        make_licence(
            item_code=PUBLIC_PLACE,
            holder="大连悦来宾馆有限公司",
            valid_from=D(2023, 1, 1),
            valid_until=D(2027, 1, 1),
            years=4,
        ),
        make_licence(valid_until=D(2026, 11, 15)),  # another licence type
        make_licence(
            item_code=PUBLIC_PLACE,
            holder="大连海韵沐浴有限公司",
            valid_from=D(2022, 10, 1),
            valid_until=D(2026, 11, 20),
            years=4,
            status=Status.REVOKED,
        ),
    ]
    return inside, outside


def _extension(user, **changes):
    values = {
        "name": "疫情期间证照有效期顺延",
        "kind": "extend_validity",
        "window_from": D(2026, 10, 1),
        "window_to": D(2026, 12, 31),
        "licence_type_codes": [PUBLIC_PLACE_TYPE],
        "new_valid_until": D(2027, 6, 30),
        "legal_basis": "演示文件",
    }
    values.update(changes)
    return policies.policy_create(actor=user, **values)


def test_extension_changes_exactly_the_previewed_licences_and_undo_restores_them(
    freeze, demo, user_named
):
    inside, outside = _licences(freeze)
    before = {
        licence.pk: (licence.valid_until, licence.status) for licence in Licence.objects.all()
    }
    policy = _extension(user_named("leader"))
    previewed = set(policies.policy_preview(policy).values_list("pk", flat=True))
    assert {licence.pk for licence in inside} <= previewed
    assert not previewed & {licence.pk for licence in outside}

    policy = policies.policy_apply(actor=user_named("leader"), policy=policy)
    changed = {
        pk
        for pk, (until, status) in before.items()
        if Licence.objects.get(pk=pk).valid_until != until
    }
    assert changed == previewed and policy.applied_count == len(previewed)
    assert (
        set(PolicyApplication.objects.filter(policy=policy).values_list("licence_id", flat=True))
        == previewed
    )
    assert LicenceEvent.objects.filter(policy=policy, action="policy_apply").count() == len(
        previewed
    )
    extended = Licence.objects.get(pk=inside[0].pk)
    assert extended.valid_until == D(2027, 6, 30)
    check = licence_authenticity(extended)  # an endorsement, not a forgery
    assert check.signature_valid and check.endorsement.policy == policy

    policies.policy_undo(actor=user_named("leader"), policy=policy)
    after_undo = {
        licence.pk: (licence.valid_until, licence.status) for licence in Licence.objects.all()
    }
    assert after_undo == before
    assert licence_authenticity(Licence.objects.get(pk=inside[0].pk)).signature_valid


def test_an_expired_licence_in_the_window_is_revived_and_undo_expires_it_again(
    freeze, demo, user_named
):
    inside, _outside = _licences(freeze)
    Licence.objects.filter(pk=inside[0].pk).update(status=Status.EXPIRED)
    policy = policies.policy_apply(
        actor=user_named("leader"), policy=_extension(user_named("leader"))
    )
    assert Licence.objects.get(pk=inside[0].pk).status == Status.VALID
    policies.policy_undo(actor=user_named("leader"), policy=policy)
    assert Licence.objects.get(pk=inside[0].pk).status == Status.EXPIRED


def test_undo_leaves_a_licence_changed_since_and_says_so(freeze, demo, user_named):
    inside, _outside = _licences(freeze)
    policy = policies.policy_apply(
        actor=user_named("leader"), policy=_extension(user_named("leader"))
    )
    from yiwang.licences.services import licence_act

    freeze("2026-09-29")
    licence_act(actor=user_named("approver"), licence=inside[1], action="suspend", reason="整改")
    policy = policies.policy_undo(actor=user_named("leader"), policy=policy)
    assert policy.restored_count == policy.applied_count - 1
    assert Licence.objects.get(pk=inside[1].pk).valid_until == D(2027, 6, 30)
    assert Licence.objects.get(pk=inside[0].pk).valid_until == D(2026, 10, 1)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"window_from": D(2026, 12, 31), "window_to": D(2026, 10, 1)}, "window_to"),
        ({"window_from": None}, "window_from"),
        ({"licence_type_codes": []}, "licence_type_codes"),
        ({"new_valid_until": D(2026, 12, 1)}, "new_valid_until"),
    ],
)
def test_a_bad_policy_is_refused_and_nothing_is_saved(demo, user_named, changes, field):
    with pytest.raises(InvalidInput) as refused:
        _extension(user_named("leader"), **changes)
    assert field in refused.value.fields
    assert not Policy.objects.exists()


def test_a_policy_matching_nothing_changes_nothing(freeze, demo, user_named):
    _licences(freeze)
    policy = _extension(
        user_named("leader"),
        window_from=D(2030, 1, 1),
        window_to=D(2030, 1, 31),
        new_valid_until=D(2030, 6, 30),
    )
    with pytest.raises(Conflict):
        policies.policy_apply(actor=user_named("leader"), policy=policy)
    assert Policy.objects.get(pk=policy.pk).state == "draft"
    assert not PolicyApplication.objects.exists()


def test_only_leaders_define_policies(demo, user_named):
    with pytest.raises(PermissionRefused):
        _extension(user_named("approver"))


def test_closed_institutions_are_exempt_until_a_month_after_reopening(freeze, demo, user_named):
    freeze("2026-09-28")
    leader = user_named("leader")
    reopened = make_licence(valid_from=D(2025, 11, 1), valid_until=D(2030, 10, 31))
    still_closed = make_licence(
        holder="大连仁心中医诊所", valid_from=D(2025, 11, 1), valid_until=D(2030, 10, 31)
    )
    open_all_along = make_licence(
        holder="大连明目眼科门诊部", valid_from=D(2025, 11, 1), valid_until=D(2030, 10, 31)
    )
    policies.closure_record(
        actor=leader, holder=reopened.holder, closed_on=D(2026, 2, 1), reopened_on=D(2026, 12, 10)
    )
    closure = policies.closure_record(
        actor=leader, holder=still_closed.holder, closed_on=D(2026, 3, 1)
    )
    policy = policies.policy_create(
        actor=leader,
        name="停业机构暂缓校验",
        kind="exempt_closed",
        window_from=D(2026, 1, 1),
        window_to=D(2026, 12, 31),
    )
    closed_holders = [reopened.holder_id, still_closed.holder_id]
    assert set(policies.policy_preview(policy).values_list("pk", flat=True)) == set(
        Licence.objects.filter(
            holder_id__in=closed_holders, verification_due__lt=D(2027, 1, 10)
        ).values_list("pk", flat=True)
    )  # the demo's own licence of the clinic included
    policies.policy_apply(actor=leader, policy=policy)
    assert Licence.objects.get(pk=reopened.pk).verification_due == D(2027, 1, 10)
    assert Licence.objects.get(pk=still_closed.pk).verification_due is None
    assert Licence.objects.get(pk=open_all_along.pk).verification_due == D(2026, 11, 1)
    policies.closure_reopen(actor=leader, closure=closure, reopened_on=D(2027, 2, 3))
    assert Licence.objects.get(pk=still_closed.pk).verification_due == D(2027, 3, 3)


def test_on_site_review_cancelled_for_verifications_in_the_window(freeze, demo, user_named):
    from yiwang.licences import reminders

    freeze("2026-09-28")
    licence = make_licence(valid_from=D(2025, 10, 20), valid_until=D(2030, 10, 19))
    reminders.open_due_verifications()
    verification = licence.verifications.get(outcome="open")
    assert verification.onsite_review
    policy = policies.policy_create(
        actor=user_named("leader"),
        name="疫情期间取消校验现场审查",
        kind="no_onsite_review",
        window_from=D(2026, 10, 1),
        window_to=D(2026, 12, 31),
    )
    policies.policy_apply(actor=user_named("leader"), policy=policy)
    verification.refresh_from_db()
    assert not verification.onsite_review
    policies.policy_undo(actor=user_named("leader"), policy=policy)
    verification.refresh_from_db()
    assert verification.onsite_review
