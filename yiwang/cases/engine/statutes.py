"""Statutory numbers, each once, with the article that sets it. Every other module imports them.

行政许可法 = Administrative Licensing Law of the PRC (2019 revision); the reform figures are
the ones the seeds' documents fix for this commission.
"""

# 行政许可法第三十二条: decide on acceptance within 5 working days, else accepted on receipt.
ACCEPTANCE_DAYS = 5
# 行政许可法第四十二条: one extension of 10 working days, with the approver's consent.
EXTENSION_DAYS = 10
# 行政许可法第四十四条: issue the licence within 10 working days of the decision to approve.
ISSUE_DAYS = 10
# 容缺后补 (seed 004): the promised materials are due within the item's period, by default 10.
DEFAULT_SUPPLEMENT_DAYS = 10
# 政府信息公开 / 双公示: licensing and penalty decisions published within 7 working days.
DECISION_PUBLISH_DAYS = 7
# 双随机、一公开: inspection results published within 20 working days of the inspection.
INSPECTION_PUBLISH_DAYS = 20
# 好差评: a bad rating is verified, called back and rectified within 15 working days.
BAD_RATING_RECTIFY_DAYS = 15
# 行政复议法第二十条 / 行政诉讼法第四十六条: the rights told with every denial.
RECONSIDERATION_DAYS = 60
LAWSUIT_MONTHS = 6

# The articles as cited on pages, in the user's language (see `article_label`).
ARTICLES = {
    "Art. 26": ("《行政许可法》第二十六条", "Administrative Licensing Law, Art. 26"),
    "Art. 32": ("《行政许可法》第三十二条", "Administrative Licensing Law, Art. 32"),
    "Art. 32(4)": (
        "《行政许可法》第三十二条第一款第四项",
        "Administrative Licensing Law, Art. 32(4)",
    ),
    "Art. 34": ("《行政许可法》第三十四条", "Administrative Licensing Law, Art. 34"),
    "Art. 38": ("《行政许可法》第三十八条", "Administrative Licensing Law, Art. 38"),
    "Art. 42": ("《行政许可法》第四十二条", "Administrative Licensing Law, Art. 42"),
    "Art. 44": ("《行政许可法》第四十四条", "Administrative Licensing Law, Art. 44"),
    "Art. 45": ("《行政许可法》第四十五条", "Administrative Licensing Law, Art. 45"),
}


def article_label(article: str, language: str) -> str:
    """An article as cited on a page: 《行政许可法》第三十二条 in Chinese, the English name else."""
    chinese, english = ARTICLES.get(article, (article, article))
    return chinese if language.startswith("zh") else english
