from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows

from .labels import action_choices, in_words
from .selectors import event_list


@login_required
def event_list_view(request):
    if not role_allows(request.user.role, Action.VIEW_AUDIT):
        raise PermissionDenied
    params = {k: request.GET.get(k, "") for k in ("object_type", "object_id", "actor", "action")}
    events = event_list(request.user, **params)
    page = Paginator(events, settings.LINDUNG_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [in_words(masking.event_for(request.user, e)) for e in page.object_list]
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "params": params, "actions": action_choices()},
    )
