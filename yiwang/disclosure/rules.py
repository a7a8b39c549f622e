"""The time limits of disclosure, in one place with their sources.

- 双公示: licensing decisions and administrative penalties are published within 7 working days
  of the decision (National Development and Reform Commission, notice on publishing licensing
  and penalty credit information, 2015).
- 双随机、一公开: inspection results are published within 20 working days of the conclusion
  (国务院办公厅关于推广随机抽查规范事中事后监管的通知, 国办发〔2015〕58号).
- 政策解读 (谁起草、谁解读): an interpretation is published with the document or within a
  configured number of working days (default 3; setting
  `YIWANG_POLICY_INTERPRETATION_WORKING_DAYS`).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DECISION_PUBLISH_WORKING_DAYS = 7
INSPECTION_RESULT_PUBLISH_WORKING_DAYS = 20


def interpretation_working_days() -> int:
    return int(getattr(settings, "YIWANG_POLICY_INTERPRETATION_WORKING_DAYS", 3))


# 公平竞争审查条例 (State Council, 2024), Arts. 8–11: a document may not, without a legal basis,
# contain measures of these four kinds. The self-review answers each question.
FAIR_COMPETITION_STANDARDS = {
    "market_entry_exit": _(
        "Restricts entry to or exit from the market (conditions, designated operators, "
        "exclusive rights, licences without a legal basis)?"
    ),
    "free_flow": _(
        "Restricts the free flow of goods and factors (discriminating against operators or "
        "products from elsewhere, local purchase requirements, barriers in procurement)?"
    ),
    "operating_costs": _(
        "Lowers or raises particular operators' costs (selective subsidies, tax or fee "
        "reliefs, preferential prices of land or resources without a legal basis)?"
    ),
    "operating_conduct": _(
        "Interferes with operators' conduct (forcing or helping monopolistic agreements, "
        "fixing prices, requiring sensitive business information)?"
    ),
}
