"""Choice labels without Django's per-call cost: `get_<field>_display()` rebuilds the field's
choices as a dict (hashing every lazy label, a gettext each) on every call, a cost per row of a
list. Here the table is made once per field and language. Ground floor: imports no app of ours."""

from functools import lru_cache

from django.utils.encoding import force_str
from django.utils.translation import get_language


@lru_cache(maxsize=256)
def labels(model_field, language):
    """{value: label} of a model field's choices, in `language` (the one active when called)."""
    return {value: str(label) for value, label in model_field.flatchoices}


def choice_label(instance, field_name):
    """What instance.get_<field_name>_display() gives: the choice's label, else the value."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    table = labels(field, get_language())
    try:
        return table[value]
    except (KeyError, TypeError):  # not a choice (TypeError: an unhashable value)
        return force_str(value, strings_only=True)
