"""The public calendar endpoints of API.md."""

from ninja import Router

router = Router(tags=["calendar"], auth=None)
