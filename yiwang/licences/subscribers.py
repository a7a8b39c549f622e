"""What the licence register does after an event commits: render the signed version's PDF."""

from yiwang.events import subscriber
from yiwang.licences import events as licence_events
from yiwang.licences.documents import licence_store_document, render_pdf
from yiwang.licences.models import Licence


@subscriber(licence_events.SIGNED.name)
def render_document(event) -> None:
    """The PDF of the version the event names; a later version makes this one moot."""
    licence = Licence.objects.select_related("holder", "item", "department").get(
        pk=event.payload["licence_id"]
    )
    if licence.version != event.payload["version"]:
        return
    licence_store_document(
        licence_id=licence.pk, version=licence.version, content=render_pdf(licence)
    )
