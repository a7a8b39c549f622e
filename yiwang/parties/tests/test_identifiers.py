import pytest

from yiwang.parties.identifiers import (
    IdentifierError,
    make_uscc,
    mask_resident_id,
    validate_resident_id,
    validate_uscc,
)


def test_known_valid_uscc_passes():
    assert validate_uscc("91110000600037341L") == "91110000600037341L"


def test_letter_led_uscc_is_accepted_when_its_digits_check():
    code = make_uscc("N2210202", "MA0X1Y2K")
    assert code[0] == "N"
    assert validate_uscc(code) == code


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("9111000060003734", "length"),
        ("91110000600037341I", "format"),
        ("91AB0000600037341L", "format"),
        ("91110000600037341M", "checksum"),
    ],
)
def test_bad_uscc_names_the_rule(code, rule):
    with pytest.raises(IdentifierError) as error:
        validate_uscc(code)
    assert error.value.rule == rule


def test_embedded_organisation_code_is_checked():
    good = make_uscc("91210202", "MA0DL123")
    body = good[:16] + ("1" if good[16] != "1" else "2")
    from stdnum.cn import uscc

    tampered = body + uscc.calc_check_digit(body)
    with pytest.raises(IdentifierError) as error:
        validate_uscc(tampered)
    assert error.value.rule == "organisation_code"


def test_resident_id_checks_digit_and_birth_date():
    assert validate_resident_id("11010519491231002X") == "11010519491231002X"
    with pytest.raises(IdentifierError) as error:
        validate_resident_id("110105194912310021")
    assert error.value.rule == "checksum"


def test_resident_id_is_masked_between_area_and_last_four():
    assert mask_resident_id("110101199003071234") == "110101********1234"
