"""Unified social credit codes (GB 32100) and resident ID numbers (GB 11643).

`stdnum.cn.uscc` rejects codes led by a letter (registration authorities such as N or Y),
which real codes use, and does not check the embedded organisation code (GB 11714);
this module wraps it for both.
"""

from __future__ import annotations

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 11714 weights for the 8 body characters of an organisation code.
_ORGANISATION_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class IdentifierError(ValueError):
    """A code that breaks its standard; `rule` says which part."""

    def __init__(self, rule: str):
        super().__init__(rule)
        self.rule = rule


def normalise(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").upper()


def validate_uscc(code: str) -> str:
    """The code, normalised, or IdentifierError(rule) with rule length/format/checksum."""
    code = normalise(code)
    if len(code) != 18:
        raise IdentifierError("length")
    if any(char not in USCC_ALPHABET for char in code) or not code[2:8].isdigit():
        raise IdentifierError("format")
    if code[17] != uscc.calc_check_digit(code[:17]):
        raise IdentifierError("checksum")
    if not _organisation_code_valid(code[8:17]):
        raise IdentifierError("organisation_code")
    return code


def _organisation_code_valid(organisation_code: str) -> bool:
    body, check = organisation_code[:8], organisation_code[8]
    if not all(char.isdigit() or "A" <= char <= "Z" for char in body):
        return False
    return organisation_check_char(body) == check


def organisation_check_char(body: str) -> str:
    pairs = zip(body, _ORGANISATION_WEIGHTS, strict=True)
    total = sum(int(char, 36) * weight for char, weight in pairs)
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def make_uscc(prefix8: str, organisation_body8: str) -> str:
    """Build a valid code from its first 8 characters and an 8-character organisation body."""
    organisation = organisation_body8 + organisation_check_char(organisation_body8)
    partial = prefix8 + organisation
    return partial + uscc.calc_check_digit(partial)


def validate_resident_id(number: str) -> str:
    """The number, normalised, or IdentifierError(rule) with rule length/format/checksum/birth."""
    number = normalise(number)
    try:
        return ric.validate(number)
    except stdnum_errors.InvalidLength as error:
        raise IdentifierError("length") from error
    except stdnum_errors.InvalidChecksum as error:
        raise IdentifierError("checksum") from error
    except stdnum_errors.InvalidComponent as error:
        raise IdentifierError("birth_date_or_area") from error
    except stdnum_errors.ValidationError as error:
        raise IdentifierError("format") from error


def mask_resident_id(number: str) -> str:
    """Keep the area code and the last four: 110101********1234."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """A person's name with all but the family name hidden: 张** ."""
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)
