"""What this app does when something happens elsewhere (domain events, delivered after commit)."""

from yiwang.enterprise.front import link_requests_to_filed_case
from yiwang.events import subscriber


@subscriber("case.filed")
def link_front_services(event) -> None:
    """The front services an enterprise had before applying follow its application, so the
    reviewer sees the advice on the case."""
    payload = event.payload
    link_requests_to_filed_case(
        case_id=payload["case_id"],
        applicant_id=payload["applicant_id"],
        item_code=payload["item_code"],
    )
