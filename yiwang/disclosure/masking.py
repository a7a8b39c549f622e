"""Personal data out of published records: persons' names and ID numbers, and any ID number,
mobile number or individual's address written into a published text."""

from __future__ import annotations

import re

from yiwang.parties.identifiers import mask_name, mask_resident_id
from yiwang.parties.models import Applicant

RESIDENT_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
# An individual's address written out: district/county … road/street … number … (room).
ADDRESS = re.compile(r"(住址|家庭住址|住所|现住)[:：]?\s*[^，,。；;\n]+")


def mask_text(text: str) -> str:
    text = RESIDENT_ID.sub(lambda match: mask_resident_id(match.group(0)), text or "")
    text = MOBILE.sub(lambda match: match.group(0)[:3] + "****" + match.group(0)[-4:], text)
    return ADDRESS.sub(lambda match: match.group(1) + "：***", text)


def looks_like_resident_id(code: str) -> bool:
    return bool(code) and bool(RESIDENT_ID.fullmatch(code))


def masked_subject(
    *, applicant: Applicant | None, name: str = "", code: str = ""
) -> tuple[str, str, bool]:
    """(name, code, is_person) as published: persons' name and ID masked, organisations not."""
    if applicant is not None:
        return applicant.masked_name, applicant.masked_code or "", applicant.is_person
    if looks_like_resident_id(code):
        return mask_name(name) if name else "", mask_resident_id(code), True
    return name, code, False
