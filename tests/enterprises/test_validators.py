import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import make_uscc, normalize_uscc, uscc_check_char, validate_uscc

VALID = ["91512081MA62K0260E", make_uscc("91510300MA6A1B2C3"), make_uscc("12510300000000000")]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert validate_uscc(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert validate_uscc("  91512081ma62k0260e ") == "91512081MA62K0260E"
    assert normalize_uscc(" 91512081ma62k0260e\t") == "91512081MA62K0260E"


def test_wrong_check_character_says_which_one_is_expected():
    with pytest.raises(ValidationError) as info:
        validate_uscc("91512081MA62K0260F")
    assert info.value.code == "uscc_check"
    assert "校验位错误" in info.value.messages[0] and "应为 E" in info.value.messages[0]


def test_printed_example_of_the_standard_fails_its_check():
    assert uscc_check_char("91350100M000100Y4") == "3"
    with pytest.raises(ValidationError):
        validate_uscc("91350100M000100Y4Z")


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_forbidden_letters_are_refused(letter):
    code = "91512081MA62K0260E"[:10] + letter + "91512081MA62K0260E"[11:]
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == "uscc_chars" and letter in info.value.messages[0]


@pytest.mark.parametrize("code", ["", "91512081MA62K0260", "91512081MA62K0260EE", "9151"])
def test_wrong_length_is_refused(code):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == "uscc_length" and "18位" in info.value.messages[0]
