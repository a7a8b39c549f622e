"""The event this app publishes: `rating.given`, for indicators and anyone counting ratings."""

from pydantic import BaseModel

from yiwang.events import event_type


class RatingGiven(BaseModel):
    rating_id: int
    subject_kind: str
    subject_id: int
    level: int
    department_id: int | None


RATING_GIVEN = event_type("rating.given", RatingGiven)
