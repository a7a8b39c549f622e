"""The public page of signed audit heads: anyone may read and keep copies of them."""

import json

from django.http import HttpResponse
from django.shortcuts import render

from yiwang.audit.heads import head_as_dict, public_keys
from yiwang.audit.models import AuditAnchor

PAGE_SIZE = 50


def heads_page(request):
    latest = list(AuditAnchor.objects.exclude(signature="").order_by("-seq")[:PAGE_SIZE])
    keys = sorted((key_id, key.public_bytes_raw().hex()) for key_id, key in public_keys().items())
    return render(
        request,
        "audit/heads.html",
        {"heads": [head_as_dict(anchor) for anchor in latest], "keys": keys},
    )


def heads_feed(request):
    """Every signed head as JSON lines, oldest first (what `verify_audit --heads` reads)."""
    anchors = AuditAnchor.objects.exclude(signature="").order_by("seq").iterator(chunk_size=1000)
    body = "".join(json.dumps(head_as_dict(a), sort_keys=True) + "\n" for a in anchors)
    return HttpResponse(body, content_type="application/x-ndjson; charset=utf-8")
