"""Unified social credit code (统一社会信用代码), GB 32100-2015."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 3^(i-1) mod 31 for i = 1..17


def normalize_uscc(value):
    return (value or "").strip().upper()


def uscc_check_char(first17):
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc_format(value):
    code = normalize_uscc(value)
    if len(code) != 18:
        raise ValidationError(gettext("统一社会信用代码应为18位, 当前为%(length)s位") % {"length": len(code)},
                              code="uscc_length")
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        raise ValidationError(
            gettext("统一社会信用代码含有不允许的字符: %(chars)s (不使用 I、O、S、V、Z)")
            % {"chars": "".join(bad)},
            code="uscc_chars",
        )
    return code


def validate_uscc(value):
    """Format and check character. Returns the normalised code."""
    code = validate_uscc_format(value)
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            gettext("统一社会信用代码校验位错误: 第18位应为 %(expected)s, 实为 %(actual)s")
            % {"expected": expected, "actual": code[17]},
            code="uscc_check",
        )
    return code


def make_uscc(first17):
    """Complete a 17-character prefix with its check character (demo data, factories)."""
    first17 = normalize_uscc(first17)
    return first17 + uscc_check_char(first17)
