"""What a locked-out login attempt sees (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .forms import LoginForm


def lockout_message():
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    # One sentence for every case: it must not tell whether the account exists.
    return _("登录失败次数过多, 已暂停登录 %(minutes)d 分钟。请稍后再试, 或联系系统管理员解锁。") % {
        "minutes": minutes}


def locked_out(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message(), "code": "locked_out"}, status=429)
    form = LoginForm(request)
    form.fields["username"].initial = (credentials or {}).get("username", "")
    return render(request, "registration/login.html", {"form": form, "lockout": lockout_message()},
                  status=429)
