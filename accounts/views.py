"""The profile page's API tokens: list, create (the key is shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import tokens
from .models import ApiToken


@login_required
def token_list(request):
    issued = None
    if request.method == "POST":
        _token, issued = tokens.token_issue(user=request.user, name=request.POST.get("name", ""))
        messages.success(request, _("令牌已创建。请立即复制保存, 离开本页后无法再次查看。"))
    return render(request, "accounts/tokens.html", {
        "tokens": ApiToken.objects.filter(user=request.user), "issued": issued,
    })


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    tokens.token_revoke(token=token, actor=request.user)
    messages.success(request, _("令牌「%(name)s」已撤销。") % {"name": token.name})
    return redirect("accounts:tokens")
