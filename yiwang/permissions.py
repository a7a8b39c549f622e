"""The one place that decides "may this user do this to this object".

Views, API and services ask `may`, `require` or `visible`; nothing else decides. A rule names
the roles that may take an action, whether the object must belong to the actor's own
department, and whether the applicant the object belongs to may take it too. Every staff
action is also bounded by the region subtree the staff member covers.

Objects that can be checked expose three attributes:
`scope_region_code` (12-digit code), `scope_department_id` (or None) and
`scope_applicant_ids` (ids of the applicants it belongs to, or an empty set).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Aggregate, F, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from yiwang.errors import NotFound, PermissionRefused
from yiwang.parties.models import Representation
from yiwang.regions.models import PREFIX_LENGTH, Region, Role, Staff, StaffRole


class Action(StrEnum):
    APPLICANT_VIEW = "applicant.view"
    APPLICANT_VIEW_IDENTITY = "applicant.view_identity"
    APPLICANT_CREATE = "applicant.create"
    APPLICANT_SET_CREDIT = "applicant.set_credit"
    REGION_MANAGE = "region.manage"
    STAFF_MANAGE = "staff.manage"
    AUDIT_VERIFY = "audit.verify"
    CALENDAR_EDIT = "calendar.edit"
    CATALOG_EDIT = "catalog.edit"
    CATALOG_REVIEW = "catalog.review"
    CATALOG_PUBLISH = "catalog.publish"
    WORKBENCH_ENTER = "workbench.enter"
    CASE_VIEW = "case.view"
    CASE_FILE = "case.file"
    CASE_FILE_FOR_OTHERS = "case.file_for_others"
    CASE_ACCEPT = "case.accept"
    CASE_DISPATCH = "case.dispatch"
    CASE_RESUBMIT = "case.resubmit"
    CASE_REVIEW = "case.review"
    CASE_SUSPEND = "case.suspend"
    CASE_EXTEND = "case.extend"
    CASE_DECIDE = "case.decide"
    CASE_ISSUE = "case.issue"
    CASE_WITHDRAW = "case.withdraw"
    CASE_RECORD_VISIT = "case.record_visit"
    CASE_MARK_GREEN = "case.mark_green"
    ITEM_MARK_GREEN = "item.mark_green"
    COMMITMENT_CHECK = "case.commitment_check"
    PREREVIEW_COMMENT = "prereview.comment"

    LICENCE_VIEW = "licence.view"
    LICENCE_MANAGE = "licence.manage"
    LICENCE_APPLY = "licence.apply"
    LICENCE_IMPORT = "licence.import"
    LICENCE_POLICY = "licence.policy"
    LICENCE_VERIFICATION_DECIDE = "licence.verification_decide"

    CREDIT_VIEW = "credit.view"
    CREDIT_FACT_RECORD = "credit.fact_record"
    CREDIT_OBJECT = "credit.object"
    CREDIT_OBJECTION_ANSWER = "credit.objection_answer"
    CREDIT_REPAIR_APPLY = "credit.repair_apply"
    CREDIT_REPAIR_DECIDE = "credit.repair_decide"
    CREDIT_LIST_PROPOSE = "credit.list_propose"
    CREDIT_LIST_APPROVE = "credit.list_approve"
    CREDIT_SCORECARD = "credit.scorecard"
    CREDIT_TOKEN_ISSUE = "credit.token_issue"
    APPOINTMENT_BOOK = "appointment.book"
    APPOINTMENT_CANCEL = "appointment.cancel"
    APPOINTMENT_DESK = "appointment.desk"
    APPOINTMENT_SCHEDULE = "appointment.schedule"
    SECRETARY_ASSIGN = "enterprise.assign_secretary"
    ENTERPRISE_LISTS_VIEW = "enterprise.lists_view"
    ENTERPRISE_LISTS_EDIT = "enterprise.lists_edit"
    ENTERPRISE_PROBLEM_REPORT = "enterprise.problem_report"
    FRONT_SERVICE_REQUEST = "front_service.request"
    FRONT_SERVICE_VIEW = "front_service.view"
    FRONT_SERVICE_COORDINATE = "front_service.coordinate"
    LAYOUT_EDIT = "layout.edit"
    COMPLIANCE_EDIT = "compliance.edit"
    SUPERVISION_VIEW = "supervision.view"
    SUPERVISION_PLAN = "supervision.plan"
    SUPERVISION_DECLARE_CONFLICT = "supervision.declare_conflict"
    SUPERVISION_INSPECT = "supervision.inspect"
    SUPERVISION_PUBLISH = "supervision.publish"
    SUPERVISION_PENALTY = "supervision.penalty"
    RATING_GIVE = "rating.give"
    RATING_ENTER = "rating.enter"
    RATING_FIGURES = "rating.figures"
    RECTIFICATION_HANDLE = "rectification.handle"
    DISCLOSURE_VIEW_QUEUE = "disclosure.view_queue"
    DISCLOSURE_PUBLISH = "disclosure.publish"
    DISCLOSURE_WITHDRAW = "disclosure.withdraw"
    POLICY_DRAFT = "policy.draft"
    POLICY_PUBLISH = "policy.publish"
    POLICY_ASSESS = "policy.assess"
    TICKET_INTAKE = "ticket.intake"
    TICKET_VIEW = "ticket.view"
    TICKET_DISPATCH = "ticket.dispatch"
    TICKET_HANDLE = "ticket.handle"
    TICKET_EXTEND = "ticket.extend"
    TICKET_CLOSE = "ticket.close"
    TICKET_DECIDE_INSPECTION = "ticket.decide_inspection"
    TICKET_VIEW_REPORTER = "ticket.view_reporter"
    INDICATOR_VIEW = "indicator.view"


@dataclass(frozen=True)
class Rule:
    """Who may take an action: `roles`; `department_bound` limits them to their own department's
    objects, except the `cross_department` roles (the single window works for every department)."""

    roles: frozenset[str]
    department_bound: bool = False
    applicant_may: bool = False
    cross_department: frozenset[str] = frozenset()

    def binds_department(self, roles: frozenset[str]) -> bool:
        return self.department_bound and not (roles & self.roles & self.cross_department)


def _roles(*roles: Role) -> frozenset[str]:
    return frozenset(role.value for role in roles) | {Role.ADMINISTRATOR.value}


_STAFF = tuple(Role)
_WINDOW_WIDE = frozenset(
    role.value for role in (Role.WINDOW_CLERK, Role.LEADER, Role.AUDITOR, Role.ADMINISTRATOR)
)
_FRONT_AND_BACK = (Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.SERVICE_SECRETARY)

RULES: dict[Action, Rule] = {
    Action.APPLICANT_VIEW: Rule(_roles(*_STAFF), applicant_may=True),
    # Full identity numbers only for staff who take applications or decide on them.
    Action.APPLICANT_VIEW_IDENTITY: Rule(_roles(*_FRONT_AND_BACK, Role.INSPECTOR)),
    Action.APPLICANT_CREATE: Rule(_roles(*_FRONT_AND_BACK)),
    Action.APPLICANT_SET_CREDIT: Rule(_roles(Role.LEADER)),
    Action.REGION_MANAGE: Rule(_roles()),
    Action.STAFF_MANAGE: Rule(_roles()),
    Action.AUDIT_VERIFY: Rule(_roles(Role.AUDITOR)),
    Action.CALENDAR_EDIT: Rule(_roles()),
    Action.CATALOG_EDIT: Rule(_roles(Role.CATALOGUE_ADMIN)),
    Action.CATALOG_REVIEW: Rule(_roles(Role.CATALOGUE_ADMIN, Role.LEADER)),
    Action.CATALOG_PUBLISH: Rule(_roles(Role.CATALOGUE_ADMIN)),
    Action.WORKBENCH_ENTER: Rule(_roles(*_STAFF)),
    # Cases: the single window (一窗受理) acts for every department of its region; the back
    # office acts on its own department's cases only.
    Action.CASE_VIEW: Rule(
        _roles(*_STAFF), department_bound=True, applicant_may=True, cross_department=_WINDOW_WIDE
    ),
    Action.CASE_FILE: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    Action.CASE_FILE_FOR_OTHERS: Rule(_roles(Role.WINDOW_CLERK)),
    Action.CASE_ACCEPT: Rule(_roles(Role.WINDOW_CLERK)),
    Action.CASE_DISPATCH: Rule(_roles(Role.WINDOW_CLERK)),
    Action.CASE_RESUBMIT: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    Action.CASE_REVIEW: Rule(_roles(Role.REVIEWER, Role.APPROVER), department_bound=True),
    Action.CASE_SUSPEND: Rule(_roles(Role.REVIEWER, Role.APPROVER), department_bound=True),
    Action.CASE_EXTEND: Rule(_roles(Role.APPROVER), department_bound=True),
    Action.CASE_DECIDE: Rule(_roles(Role.APPROVER), department_bound=True),
    Action.CASE_ISSUE: Rule(_roles(Role.APPROVER, Role.REVIEWER), department_bound=True),
    Action.CASE_WITHDRAW: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    # Recording a visit needs sight of the case: the back office only on its own department's.
    Action.CASE_RECORD_VISIT: Rule(
        _roles(Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER),
        department_bound=True,
        cross_department=_WINDOW_WIDE,
    ),
    # 急事急办: only a leader marks a case or an item green.
    Action.CASE_MARK_GREEN: Rule(_roles(Role.LEADER), department_bound=True),
    Action.ITEM_MARK_GREEN: Rule(_roles(Role.LEADER)),
    # Post-approval checks of commitments are inspectors' work in their own department.
    Action.COMMITMENT_CHECK: Rule(_roles(Role.INSPECTOR), department_bound=True),
    Action.PREREVIEW_COMMENT: Rule(_roles(Role.REVIEWER, Role.WINDOW_CLERK), department_bound=True),
    # Licences: every staff member of the region reads the register; the issuing department
    # changes its own licences; holders read theirs and apply to renew, change or cancel.
    Action.LICENCE_VIEW: Rule(
        _roles(*_STAFF), department_bound=True, applicant_may=True, cross_department=_WINDOW_WIDE
    ),
    Action.LICENCE_MANAGE: Rule(_roles(Role.APPROVER, Role.REVIEWER), department_bound=True),
    Action.LICENCE_APPLY: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    Action.LICENCE_IMPORT: Rule(_roles(Role.LEADER)),
    # Dated policies change many licences at once: leaders and administrators only.
    Action.LICENCE_POLICY: Rule(_roles(Role.LEADER)),
    Action.LICENCE_VERIFICATION_DECIDE: Rule(
        _roles(Role.REVIEWER, Role.APPROVER), department_bound=True
    ),
    # Credit: staff read every entity's record in their region; an entity reads its own,
    # objects to its own facts and applies to repair them; the department that owns a fact
    # answers the objection and decides the repair; leaders approve manual list entries and
    # put score cards in force.
    Action.CREDIT_VIEW: Rule(_roles(*_STAFF), applicant_may=True),
    Action.CREDIT_FACT_RECORD: Rule(
        _roles(Role.REVIEWER, Role.APPROVER, Role.INSPECTOR, Role.LEADER), department_bound=True
    ),
    Action.CREDIT_OBJECT: Rule(_roles(), applicant_may=True),
    Action.CREDIT_OBJECTION_ANSWER: Rule(
        _roles(Role.REVIEWER, Role.APPROVER, Role.LEADER), department_bound=True
    ),
    Action.CREDIT_REPAIR_APPLY: Rule(_roles(), applicant_may=True),
    Action.CREDIT_REPAIR_DECIDE: Rule(_roles(Role.APPROVER, Role.LEADER), department_bound=True),
    Action.CREDIT_LIST_PROPOSE: Rule(_roles(Role.APPROVER, Role.LEADER)),
    Action.CREDIT_LIST_APPROVE: Rule(_roles(Role.LEADER)),
    Action.CREDIT_SCORECARD: Rule(_roles(Role.LEADER)),
    Action.CREDIT_TOKEN_ISSUE: Rule(_roles()),
    # Appointments: applicants book for themselves; the hall's clerks book by phone and at the
    # door, check visitors in and record no-shows; leaders open the slots.
    Action.APPOINTMENT_BOOK: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    Action.APPOINTMENT_CANCEL: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    Action.APPOINTMENT_DESK: Rule(_roles(Role.WINDOW_CLERK)),
    Action.APPOINTMENT_SCHEDULE: Rule(_roles(Role.LEADER)),
    # Services to enterprises: a leader assigns the secretary (服务专员); secretaries keep the
    # three lists; the enterprise reads its lists and adds problems; front services are
    # requested by the enterprise and coordinated by secretaries and leaders.
    Action.SECRETARY_ASSIGN: Rule(_roles(Role.LEADER)),
    Action.ENTERPRISE_LISTS_VIEW: Rule(_roles(*_STAFF), applicant_may=True),
    Action.ENTERPRISE_LISTS_EDIT: Rule(_roles(Role.SERVICE_SECRETARY, Role.LEADER)),
    Action.ENTERPRISE_PROBLEM_REPORT: Rule(_roles(Role.SERVICE_SECRETARY), applicant_may=True),
    Action.FRONT_SERVICE_REQUEST: Rule(_roles(Role.SERVICE_SECRETARY), applicant_may=True),
    Action.FRONT_SERVICE_VIEW: Rule(_roles(*_STAFF), applicant_may=True),
    Action.FRONT_SERVICE_COORDINATE: Rule(_roles(Role.SERVICE_SECRETARY, Role.LEADER)),
    # Guidance: resource-layout figures and thresholds, and the compliance guide.
    Action.LAYOUT_EDIT: Rule(_roles(Role.LEADER)),
    Action.COMPLIANCE_EDIT: Rule(_roles(Role.LEADER, Role.CATALOGUE_ADMIN)),
    # Supervision (双随机、一公开): leaders plan, draw, publish and decide penalties for their
    # department; inspectors carry out the tasks they are assigned; leaders and auditors of
    # every department read the directory, plans and results of their region.
    Action.SUPERVISION_VIEW: Rule(
        _roles(Role.INSPECTOR, Role.LEADER, Role.AUDITOR, Role.APPROVER, Role.REVIEWER),
        department_bound=True,
        cross_department=frozenset({Role.AUDITOR.value, Role.ADMINISTRATOR.value}),
    ),
    Action.SUPERVISION_PLAN: Rule(_roles(Role.LEADER), department_bound=True),
    Action.SUPERVISION_DECLARE_CONFLICT: Rule(_roles(Role.INSPECTOR)),
    Action.SUPERVISION_INSPECT: Rule(_roles(Role.INSPECTOR), department_bound=True),
    Action.SUPERVISION_PUBLISH: Rule(_roles(Role.LEADER, Role.INSPECTOR), department_bound=True),
    Action.SUPERVISION_PENALTY: Rule(_roles(Role.LEADER), department_bound=True),
    # 好差评: the applicant rates its own case; the window (rating pad) and the phone operator
    # enter a rating for the applicant in front of them or on the line.
    Action.RATING_GIVE: Rule(_roles(Role.WINDOW_CLERK), applicant_may=True),
    Action.RATING_ENTER: Rule(_roles(Role.WINDOW_CLERK, Role.SERVICE_SECRETARY)),
    Action.RATING_FIGURES: Rule(_roles(Role.LEADER, Role.AUDITOR, Role.APPROVER)),
    # A bad rating is verified and rectified by the department that handled the case.
    Action.RECTIFICATION_HANDLE: Rule(
        _roles(Role.LEADER, Role.APPROVER, Role.REVIEWER), department_bound=True
    ),
    # 双公示: the deciding department reviews and publishes, and withdraws with a reason.
    Action.DISCLOSURE_VIEW_QUEUE: Rule(_roles(*_STAFF), department_bound=True),
    Action.DISCLOSURE_PUBLISH: Rule(_roles(Role.LEADER, Role.APPROVER), department_bound=True),
    Action.DISCLOSURE_WITHDRAW: Rule(_roles(Role.LEADER, Role.APPROVER), department_bound=True),
    # 谁起草、谁审查、谁解读: the drafting office drafts, reviews and interprets its documents.
    Action.POLICY_DRAFT: Rule(
        _roles(Role.LEADER, Role.APPROVER, Role.REVIEWER), department_bound=True
    ),
    Action.POLICY_PUBLISH: Rule(_roles(Role.LEADER), department_bound=True),
    Action.POLICY_ASSESS: Rule(_roles(Role.LEADER), department_bound=True),
    # Complaints (12345 / 12315): hotline operators and window clerks take tickets in and
    # dispatch them for every department of their region; the handling (lead) department
    # replies, extends once, closes and decides whether a report opens an inspection.
    Action.TICKET_INTAKE: Rule(_roles(Role.HOTLINE_OPERATOR, Role.WINDOW_CLERK)),
    Action.TICKET_VIEW: Rule(
        _roles(*_STAFF),
        department_bound=True,
        cross_department=_WINDOW_WIDE | {Role.HOTLINE_OPERATOR.value},
    ),
    Action.TICKET_DISPATCH: Rule(_roles(Role.HOTLINE_OPERATOR, Role.WINDOW_CLERK)),
    Action.TICKET_HANDLE: Rule(
        _roles(Role.REVIEWER, Role.APPROVER, Role.INSPECTOR, Role.LEADER), department_bound=True
    ),
    Action.TICKET_EXTEND: Rule(_roles(Role.APPROVER, Role.LEADER), department_bound=True),
    Action.TICKET_CLOSE: Rule(
        _roles(Role.HOTLINE_OPERATOR, Role.WINDOW_CLERK, Role.APPROVER, Role.LEADER),
        department_bound=True,
        cross_department=frozenset({Role.HOTLINE_OPERATOR.value, Role.WINDOW_CLERK.value}),
    ),
    Action.TICKET_DECIDE_INSPECTION: Rule(
        _roles(Role.APPROVER, Role.LEADER), department_bound=True
    ),
    # 举报人保密: only the handling department's reviewers, approvers and leaders see who
    # reported; see `sees_confidential` (no administrator or superuser exception).
    Action.TICKET_VIEW_REPORTER: Rule(
        _roles(Role.REVIEWER, Role.APPROVER, Role.LEADER), department_bound=True
    ),
    # Indicators: leaders and auditors read every department's figures in their region subtree.
    Action.INDICATOR_VIEW: Rule(_roles(Role.LEADER, Role.AUDITOR)),
}

# Actions whose data is confidential by law: no administrator or superuser exception.
CONFIDENTIAL = {Action.TICKET_VIEW_REPORTER}


@dataclass(frozen=True)
class Scope:
    """What one user covers: roles, department, region subtree, represented applicants."""

    is_superuser: bool = False
    roles: frozenset[str] = frozenset()
    department_id: int | None = None
    region_prefix: str | None = None
    applicant_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff_member(self) -> bool:
        return self.is_superuser or bool(self.roles)


_ANONYMOUS = Scope()


def scope_of(user: Any) -> Scope:
    """The user's scope, read once per user object (two queries at most)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _ANONYMOUS
    cached = getattr(user, "_yiwang_scope", None)
    if cached is not None:
        return cached

    staff = (
        Staff.objects.filter(user_id=user.pk, is_active=True)
        .select_related("region")
        .prefetch_related("roles")
        .first()
    )
    applicant_ids = frozenset(
        Representation.objects.filter(user_id=user.pk).values_list("applicant_id", flat=True)
    )
    if staff is None:
        scope = Scope(is_superuser=user.is_superuser, applicant_ids=applicant_ids)
    else:
        scope = Scope(
            is_superuser=user.is_superuser,
            roles=staff.role_set,
            department_id=staff.department_id,
            region_prefix=staff.region.code[: PREFIX_LENGTH[staff.region.level]],
            applicant_ids=applicant_ids,
        )
    user._yiwang_scope = scope
    return scope


class JoinedText(Aggregate):
    """The values of a group joined by commas (STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def scope_columns(user_path: str | None) -> dict[str, Any]:
    """Annotations that carry a user's scope in the same query as the row that names the user
    (`user_path` is the lookup from that row to the user, e.g. "user" for a token; None for the
    user's own row): the bearer token, the user and the scope are then one statement per
    request, not four."""
    if user_path is None:
        staff, user_id = "staff", OuterRef("pk")
    else:
        staff = f"{user_path}__staff"
        user_id = OuterRef(f"{user_path}_id" if "__" not in user_path else f"{user_path}__id")
    return {
        "scope_staff_active": F(f"{staff}__is_active"),
        "scope_department_id": F(f"{staff}__department_id"),
        "scope_region_code": F(f"{staff}__region__code"),
        "scope_region_level": F(f"{staff}__region__level"),
        "scope_roles": Subquery(
            StaffRole.objects.filter(staff__user_id=user_id, staff__is_active=True)
            .values("staff__user_id")
            .annotate(joined=JoinedText("role"))
            .values("joined")
        ),
        "scope_applicants": Subquery(
            Representation.objects.filter(user_id=user_id)
            .values("user_id")
            .annotate(joined=JoinedText(Cast("applicant_id", TextField())))
            .values("joined")
        ),
    }


def remember_scope(user: Any, row: Any) -> Scope:
    """Build the user's scope from `scope_columns` read with `row`, and keep it on the user
    object for the rest of the request (what `scope_of` would read with three queries)."""
    applicant_ids = frozenset(int(i) for i in (row.scope_applicants or "").split(",") if i)
    if not row.scope_staff_active or row.scope_region_code is None:
        scope = Scope(is_superuser=user.is_superuser, applicant_ids=applicant_ids)
    else:
        scope = Scope(
            is_superuser=user.is_superuser,
            roles=frozenset(r for r in (row.scope_roles or "").split(",") if r),
            department_id=row.scope_department_id,
            region_prefix=row.scope_region_code[: PREFIX_LENGTH[row.scope_region_level]],
            applicant_ids=applicant_ids,
        )
    user._yiwang_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the remembered scope after the user's roles or representations change."""
    if hasattr(user, "_yiwang_scope"):
        del user._yiwang_scope


def may(user: Any, action: Action, obj: Any = None) -> bool:
    scope = scope_of(user)
    if scope.is_superuser:
        return True
    rule = RULES[action]
    if rule.applicant_may and obj is not None:
        owners = getattr(obj, "scope_applicant_ids", frozenset())
        if scope.applicant_ids & frozenset(owners):
            return True
    if not scope.roles & rule.roles:
        return False
    if obj is None:
        return True
    if not str(obj.scope_region_code).startswith(scope.region_prefix or "\0"):
        return False
    department_id = getattr(obj, "scope_department_id", None)
    return not (
        rule.binds_department(scope.roles)
        and department_id is not None
        and department_id != scope.department_id
    )


def sees_confidential(user: Any, action: Action, obj: Any) -> bool:
    """`may` for confidential data: only the rule's own roles, in the object's own department
    (the department must be set), never by the superuser flag or the administrator role."""
    if action not in CONFIDENTIAL:
        raise ValueError(f"{action} is not a confidential action")
    scope = scope_of(user)
    roles = RULES[action].roles - {Role.ADMINISTRATOR.value}
    department_id = getattr(obj, "scope_department_id", None)
    return (
        bool(scope.roles & roles)
        and department_id is not None
        and department_id == scope.department_id
        and str(obj.scope_region_code).startswith(scope.region_prefix or "\0")
    )


def require(user: Any, action: Action, obj: Any = None) -> None:
    """Raise unless `may`; an object outside the user's view is reported as not found."""
    if may(user, action, obj):
        return
    if obj is not None and not _sees(user, obj):
        raise NotFound(_("No such record, or it lies outside your region and department."))
    raise PermissionRefused(
        _("Your role does not allow this action (%(action)s).") % {"action": action.value},
        code="forbidden",
    )


def refusal(
    user: Any, obj: Any, message: Any, *, code: str = "forbidden", fields: dict | None = None
) -> NotFound | PermissionRefused:
    """The error for a caller refused by a personal rule (only the reporter rates, only the
    assigned expert advises): like `require`, an object outside the caller's view is reported
    as not found, so that a refusal never reveals what the caller may not see."""
    if obj is not None and not scope_of(user).is_superuser and not _sees(user, obj):
        return NotFound(_("No such record, or it lies outside your region and department."))
    return PermissionRefused(message, code=code, fields=fields)


def _sees(user: Any, obj: Any) -> bool:
    scope = scope_of(user)
    owners = frozenset(getattr(obj, "scope_applicant_ids", frozenset()))
    if scope.applicant_ids & owners:
        return True
    return bool(scope.roles) and str(obj.scope_region_code).startswith(scope.region_prefix or "\0")


def visible(
    user: Any,
    queryset: QuerySet,
    action: Action,
    *,
    region_field: str,
    department_field: str | None = None,
    applicant_field: str | None = None,
    region_id_field: str | None = None,
) -> QuerySet:
    """Filter a queryset to what `may(user, action, row)` allows, in one set-based condition.

    With `region_id_field` the region subtree is first read as a list of region ids (one short
    query), and the rows are filtered by that column: the planner can then walk an index that
    holds the column in the queue's order and stop at a page, where a join on the region's code
    made it read and sort every row of the subtree (docs/performance.md, issue 19)."""
    scope = scope_of(user)
    if scope.is_superuser:
        return queryset
    rule = RULES[action]
    condition = Q(pk__in=[])
    if scope.roles & rule.roles:
        if region_id_field:
            staff_condition = Q(**{f"{region_id_field}__in": region_ids_under(scope.region_prefix)})
        else:
            staff_condition = Q(**{f"{region_field}__startswith": scope.region_prefix})
        if rule.binds_department(scope.roles) and department_field:
            own = Q(**{department_field: scope.department_id})
            if _may_be_null(queryset.model, department_field):
                own |= Q(**{f"{department_field}__isnull": True})
            staff_condition &= own
        condition |= staff_condition
    if rule.applicant_may and applicant_field and scope.applicant_ids:
        condition |= Q(**{f"{applicant_field}__in": sorted(scope.applicant_ids)})
    return queryset.filter(condition)


def region_ids_under(prefix: str) -> list[int]:
    """The ids of the regions whose code starts with `prefix` (a staff member's subtree)."""
    if not prefix:
        # An empty prefix would match every region: a scope without one sees none.
        return []
    return list(
        Region.objects.filter(code__startswith=prefix).order_by("pk").values_list("pk", flat=True)
    )


def _may_be_null(model: Any, path: str) -> bool:
    """False only for a column of the model itself that is NOT NULL: an `OR … IS NULL` on it
    would match nothing, and keeps the planner from reading an index alone."""
    if "__" in path:
        return True
    return model._meta.get_field(path).null  # the field's name or its column's (`_id`)
