"""Logins, failed logins, lock-outs, log-outs and admin changes, from their signals."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ACTION_FLAG_CHOICES, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from .models import Action
from .services import audit_record


def logged_in(sender, request, user, **kwargs):
    audit_record(action=Action.LOGIN, request=request, actor=user)


def logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=Action.LOGOUT, request=request, actor=user)


def login_failed(sender, credentials, request=None, **kwargs):
    # credentials come cleansed (the password is masked); the name typed is kept as typed.
    detail = "demo_password" if getattr(request, "demo_login_refused", False) else ""
    audit_record(action=Action.LOGIN_FAILED, request=request, username=credentials.get("username") or "",
                 detail=detail)


def locked_out(sender, request, username=None, ip_address=None, **kwargs):
    audit_record(action=Action.LOCKED_OUT, request=request, username=username or "")


def admin_changed(sender, instance, created, **kwargs):
    if not created:
        return
    ct = instance.content_type
    detail = dict(ACTION_FLAG_CHOICES).get(instance.action_flag, "")
    audit_record(action=Action.ADMIN_CHANGE, actor=instance.user,
                 object_type=f"{ct.app_label}.{ct.model}" if ct else "", object_id=instance.object_id or "",
                 object_repr=instance.object_repr, detail=f"{detail}: {instance.get_change_message()}")


def connect():
    user_logged_in.connect(logged_in, dispatch_uid="audit_logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="audit_logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit_locked_out")
    post_save.connect(admin_changed, sender=LogEntry, dispatch_uid="audit_admin_changed")
