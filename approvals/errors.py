from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

# Marked here, translated where it is raised (services), so the constant stays the Chinese msgid.
STALE = gettext_noop("已被他人处理,请刷新")


class ApprovalError(ValidationError):
    """A refused action: the message says why in plain words (the user's language); nothing was changed.

    code: "stale" (someone else acted first), "forbidden" (not this user's to do),
    "state" (not possible in the current status), "condition" (a rule refused it),
    "invalid" / "duplicate" / "upload" (bad input).
    """
