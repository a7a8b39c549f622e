"""How a case's history reads to people: "大连市卫生健康委员会 张三 受理了申请", not "accept clerk".

Each recorded step has a phrase in the past tense; the actor is named by `regions.naming`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yiwang.cases.engine.statutes import article_label
from yiwang.regions.naming import actor_name

STEP_SAID = {
    "receive": _("received the application"),
    "accept": _("accepted the application"),
    "deem_accepted": _("counted the application as accepted"),
    "refuse": _("did not accept the application"),
    "request_correction": _("asked for corrections"),
    "resubmit": _("supplied the corrections"),
    "dispatch": _("sent the case to another department"),
    "review": _("recorded the review opinion"),
    "suspend": _("suspended the time limit"),
    "resume": _("resumed the time limit"),
    "extend": _("extended the time limit"),
    "approve": _("approved the application"),
    "deny": _("denied the application"),
    "issue": _("issued the licence"),
    "withdraw": _("withdrew the application"),
    "record_visit": _("recorded a visit"),
    "supplement": _("supplied the tolerated materials"),
    "lapse": _("ended the case: the promised materials did not arrive"),
    "mark_green": _("opened the green channel for the case"),
    "commitment_decide": _("decided on the signed commitment"),
    "commitment_check": _("recorded the post-approval check"),
    "provisional_licence_withdrawn": _("withdrew the provisional licence"),
}


def step_sentence(entry) -> str:
    said = STEP_SAID.get(entry.action)
    what = str(said) if said is not None else entry.action
    return f"{actor_name(entry.actor)} {what}"


def cited(article: str, language: str) -> str:
    return article_label(article, language)
