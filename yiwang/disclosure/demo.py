"""Demo policy documents of the Dalian health commission: one in force with its review and
interpretation, one draft that touches market entities and awaits its review."""

from django.contrib.auth import get_user_model

from yiwang.disclosure import policies
from yiwang.disclosure.rules import FAIR_COMPETITION_STANDARDS


def load_samples(admin) -> None:
    leader = get_user_model().objects.get(username="leader")
    in_force = policies.policy_draft(
        actor=leader,
        title="大连市卫生健康委员会关于推行诊所备案告知承诺制的通知",
        document_number="大卫健发〔2026〕1号",
        text=(
            "一、诊所设立实行备案管理，申请人签署告知承诺书后当场办结。\n"
            "二、备案后 30 日内开展现场核查，发现承诺不实的依法处理。\n"
            "三、本通知自发布之日起施行。"
        ),
        touches_market=True,
    )
    policies.policy_review(
        actor=leader,
        document=in_force,
        checklist=dict.fromkeys(FAIR_COMPETITION_STANDARDS, False),
        conclusion="经审查，本文件未设置市场准入和退出障碍，未含排除、限制竞争的内容。",
    )
    policies.policy_interpret(
        actor=leader,
        document=in_force,
        text=(
            "为什么出台：减少诊所开办的跑动次数和等待时间。\n"
            "主要变化：由审批改为备案，材料齐全的当场办结，事后核查。"
        ),
    )
    policies.policy_publish(actor=leader, document=in_force)
    policies.policy_draft(
        actor=leader,
        title="关于社会办医疗机构配置乙类大型医用设备的指导意见（征求意见稿）",
        text="一、支持社会办医疗机构按规划配置乙类大型医用设备……",
        touches_market=True,
    )
