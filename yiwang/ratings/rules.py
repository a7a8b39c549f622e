"""The time limits and levels of 好差评, in one place with their sources.

Source: State Council General Office, Opinions on establishing a sound system of ratings of
government services (国办发〔2019〕51号): every case can be rated on five levels; a bad rating
is verified, called back and rectified, within 15 working days, and the rater told.
"""

from django.utils.translation import gettext_lazy as _

# Five levels, 5 best (非常满意) to 1 worst (非常不满意).
LEVELS = {
    5: _("Very satisfied (非常满意)"),
    4: _("Satisfied (满意)"),
    3: _("Basically satisfied (基本满意)"),
    2: _("Dissatisfied (不满意)"),
    1: _("Very dissatisfied (非常不满意)"),
}
BAD_LEVELS = frozenset({1, 2})
SATISFIED_LEVELS = frozenset({4, 5})

# A bad rating is rectified and the rater told within 15 working days (国办发〔2019〕51号).
RECTIFY_WORKING_DAYS = 15
# A rater may change a rating within 10 working days of giving it.
CHANGE_WORKING_DAYS = 10
# How long after the decision (or reply) a case or ticket can be rated, and the notice link lives.
RATE_WITHIN_WORKING_DAYS = 20
