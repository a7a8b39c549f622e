"""The public catalogue endpoints of API.md."""

from ninja import Router

router = Router(tags=["items"], auth=None)
