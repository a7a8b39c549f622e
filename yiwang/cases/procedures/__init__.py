"""The reform procedures (seeds 000–004) as plug-ins of the case engine, one module each:

- commitment (告知承诺): signed text, decided the same working day, a post-approval check;
  a false commitment revokes the licence and enters the credit record;
- tolerance (容缺受理/容缺后补): only tolerable materials may be missing, a signed promise and a
  supplement clock; the licence is provisional or held until they arrive;
- green (绿色通道): a leader's mark on a case or an item; a dedicated handler, head of every queue;
- first_use (先用后审): a provisional permit on a complete filing, confirmed or withdrawn;
- emergency (应急上市): its own limit, and a public list of the products listed;
- credit_gate: the credit gates of `yiwang.credit.gates` at filing, for every procedure.

Each module registers its hooks (`engine.hooks`) and actions (`engine.actions`) when imported;
the cases app imports this package once, in `ready()`. The engine imports none of them, so a
new procedure is a new module here plus its line below.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from yiwang.cases.models import Procedure
from yiwang.cases.procedures import (  # noqa: F401  (importing registers each module's hooks)
    commitment,
    credit_gate,
    emergency,
    first_use,
    green,
    tolerance,
)
from yiwang.cases.procedures.commitment import commitment_check_record, commitment_decide
from yiwang.cases.procedures.emergency import list_emergency_product
from yiwang.cases.procedures.green import (
    case_mark_green,
    check_green_request,
    green_mark_for_item,
    item_mark_green,
)
from yiwang.cases.procedures.tolerance import (
    case_lapse,
    case_supplement,
    cases_missing_supplement,
    issue_mode,
    owed_materials,
    supplement_due,
)
from yiwang.credit import gates

__all__ = [  # the procedures' services, one import for callers
    "case_lapse",
    "case_mark_green",
    "case_supplement",
    "cases_missing_supplement",
    "check_green_request",
    "commitment_check_record",
    "commitment_decide",
    "green_mark_for_item",
    "issue_mode",
    "item_mark_green",
    "list_emergency_product",
    "owed_materials",
    "procedures_for",
    "supplement_due",
]


EXPLANATIONS = {
    "standard": _("Checked at the window, reviewed and decided within the committed time limit."),
    "commitment": _(
        "Sign that you meet the conditions and the licence is decided today. An inspector checks "
        "later; a false commitment revokes the licence and is recorded in your credit."
    ),
    "tolerance": _(
        "Missing only materials marked “may follow later”? Sign a promise and we accept now; "
        "supply them within the period or the case (or provisional licence) ends."
    ),
    "green": _(
        "Urgent cases (e.g. epidemic prevention) while a leader has opened the green channel."
    ),
    "first_use": _(
        "Start using the declared equipment on a complete filing with a provisional permit; the "
        "review then confirms or withdraws it."
    ),
    "emergency": _("Disinfection products needed in an emergency are listed by a fast procedure."),
}


def procedures_for(version, applicant, day: datetime.date) -> list[dict]:
    """The procedures to offer this applicant for this item, trust procedures first for A grades."""
    allowed = [p for p in ["standard", *(version.procedures or [])] if p in EXPLANATIONS]
    if green_mark_for_item(version.item, day) is None and "green" in allowed:
        allowed.remove("green")
    allowed = list(dict.fromkeys(allowed))
    usable = gates.offered(applicant, allowed) if applicant else allowed
    offered = [
        {"code": p, "label": Procedure(p).label, "explanation": EXPLANATIONS[p], "refused": None}
        for p in usable
    ]
    for p in allowed:
        if p not in usable:
            offered.append(
                {
                    "code": p,
                    "label": Procedure(p).label,
                    "explanation": EXPLANATIONS[p],
                    "refused": gates.refusal(applicant, p),
                }
            )
    return offered
