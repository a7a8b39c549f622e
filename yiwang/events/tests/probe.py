"""A subscriber for the event tests: it records what it was given."""

from pydantic import BaseModel

from yiwang.events import event_type, subscriber

RECEIVED: list = []
FAIL_NEXT: list = []


class ProbePayload(BaseModel):
    n: int


PROBE = event_type("test.probe", ProbePayload)


@subscriber("test.probe")
def remember(event) -> None:
    if FAIL_NEXT:
        FAIL_NEXT.pop()
        raise RuntimeError("the subscriber failed this time")
    RECEIVED.append((str(event.pk), event.payload["n"]))
