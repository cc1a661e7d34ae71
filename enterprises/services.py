"""Every write of enterprises: one function per action, keyword-only arguments."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Enterprise
from .validators import normalize_uscc, validate_uscc, validate_uscc_format

EDITABLE_FIELDS = ("name", "credit_code", "industry", "list_status", "is_leading", "address",
                   "contact_name", "contact_phone", "check_override_reason")


def credit_code_clean(value, *, override_reason=""):
    """The normalised code, or ValidationError.

    The format (length, alphabet) is never overridable. A wrong check character is accepted only
    with a recorded reason: some codes in circulation fail GB 32100-2015's check.
    """
    code = validate_uscc_format(value)
    try:
        return validate_uscc(code)
    except ValidationError:
        if (override_reason or "").strip():
            return code
        raise


def _validated(enterprise):
    reason = (enterprise.check_override_reason or "").strip()
    try:
        enterprise.credit_code = credit_code_clean(enterprise.credit_code, override_reason=reason)
    except ValidationError as error:
        raise ValidationError({"credit_code": error.messages}) from None
    # A reason is only kept when it actually excuses a failing check character.
    enterprise.check_override_reason = "" if _check_passes(enterprise.credit_code) else reason
    enterprise.name = (enterprise.name or "").strip()
    enterprise.full_clean()
    return enterprise


def _check_passes(code):
    try:
        validate_uscc(code)
    except ValidationError:
        return False
    return True


@transaction.atomic
def enterprise_save(*, enterprise, actor=None):
    """Validate and save a prepared instance (the admin form hands one over)."""
    _validated(enterprise).save()
    return enterprise


@transaction.atomic
def enterprise_create(*, name, credit_code, industry, actor=None, **fields):
    _reject_unknown(fields)
    enterprise = Enterprise(name=name, credit_code=normalize_uscc(credit_code), industry=industry, **fields)
    return enterprise_save(enterprise=enterprise, actor=actor)


@transaction.atomic
def enterprise_update(*, enterprise, actor=None, **fields):
    _reject_unknown(fields)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    for name, value in fields.items():
        setattr(enterprise, name, value)
    return enterprise_save(enterprise=enterprise, actor=actor)


def _reject_unknown(fields):
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown enterprise fields: {', '.join(sorted(unknown))}")
