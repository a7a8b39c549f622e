"""The e-licence identifier and the canonical content that is signed.

Identifier, as deployed under the national e-licence standards (GB/T 36901–36905):
`1.2.156.3005.2.<licence type code>.<issuer USCC>.<licence number>.<3-digit version>.<check>`,
the check character computed by ISO 7064 MOD 37,36 over the letters and digits of everything
before it (the dots are separators, not data).
"""

from __future__ import annotations

import json
from typing import Any

from stdnum.iso7064 import mod_37_36

ROOT = "1.2.156.3005.2"
# An issuer without a recorded USCC still gets a well-formed identifier; the register shows it.
UNKNOWN_USCC = "0" * 18


def elicence_identifier(*, type_code: str, issuer_uscc: str, number: str, version: int) -> str:
    body = f"{ROOT}.{type_code or '0'}.{issuer_uscc or UNKNOWN_USCC}.{number}.{version:03d}"
    return f"{body}.{check_character(body)}"


def check_character(body: str) -> str:
    data = "".join(ch for ch in body.upper() if ch.isalnum())
    return mod_37_36.calc_check_digit(data)


def is_valid_identifier(identifier: str) -> bool:
    body, _dot, check = identifier.rpartition(".")
    return bool(body) and len(check) == 1 and check_character(body) == check.upper()


def elements(licence: Any, *, valid_until: Any = "current") -> dict:
    """The licence's elements as signed: what a printed licence says."""
    holder = licence.holder
    department = licence.department
    until = licence.valid_until if valid_until == "current" else valid_until
    signed = {
        "number": licence.number,
        "elicence_id": licence.elicence_id,
        "type": licence.licence_type,
        "type_code": licence.licence_type_code,
        "holder": {"name": holder.name, "code": holder.code},
        "item_code": licence.item.code,
        "scope": licence.scope,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": until.isoformat() if until else None,
        "issuer": {"name": department.name, "uscc": department.uscc},
        "version": licence.version,
    }
    if licence.particulars:  # licences issued before forms were data sign without the key
        signed["particulars"] = licence.particulars
    return signed


def canonical(data: dict) -> str:
    """One text for one content: sorted keys, no spaces, UTF-8 characters as they are."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
