from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.common.errors import ApplicationError
from lindung.regions.models import Region

from . import notices
from .models import ApiToken
from .selectors import usable_api_tokens
from .services import api_token_create, api_token_revoke, user_set_password


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


@login_required
def profile(request):
    user = request.user
    regions = Region.objects.filter(code__in=user.assignments.values("region_id"))
    tokens = usable_api_tokens(user).order_by("-created_at")
    return render(
        request,
        "accounts/profile.html",
        {"regions": regions, "tokens": tokens, "form": TokenForm()},
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the token a name."))
        return redirect("accounts:profile")
    _token, raw = api_token_create(
        actor=request.user, user=request.user, name=form.cleaned_data["name"]
    )
    # Shown once: only its digest is stored.
    return render(request, "accounts/token_created.html", {"raw": raw})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, notices.token_revoked(token))
    return redirect("accounts:profile")


@login_required
def password_change(request):
    """The user's own new password; their API tokens stop working, the session goes on."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Counted before: a new password stops the user's tokens.
        live_tokens = usable_api_tokens(request.user).count()
        try:
            user = user_set_password(
                actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
            )
        except ApplicationError as exc:
            form.add_error("new_password1", exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, notices.password_changed(user, live_tokens))
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})
