from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lindung.regions.models import Region

from .models import ApiToken
from .services import api_token_create, api_token_revoke


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
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")
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
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")
