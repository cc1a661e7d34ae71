from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The same answer for a wrong password and an unknown account; the demo refusal says why."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确, 请重新输入。"),
        "demo_login": _("演示账号只能在演示环境 (DEBUG 开启) 中使用, 本系统不接受演示密码登录。"),
    }

    def get_invalid_login_error(self):
        if getattr(self.request, "demo_login_refused", False):
            return forms.ValidationError(self.error_messages["demo_login"], code="demo_login")
        return super().get_invalid_login_error()
