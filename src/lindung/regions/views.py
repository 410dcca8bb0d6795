from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from lindung.accounts.scoping import covers, scope_prefixes
from lindung.registry.selectors import count_by_prefix, workers_for

from .models import Level, canonical
from .selectors import ancestors, children, current_dataset, region_by_code


@login_required
def browse(request, code: str | None = None):
    """The Kemendagri tree. Region names are public decree data and visible to every user;
    worker counts come only from the user's scope, so another region shows no figure."""
    region = None
    if code:
        region = region_by_code(code)
        if region is None:
            raise Http404
    kids = list(children(region.code if region else None))
    workers = workers_for(request.user)
    counts = count_by_prefix(workers, {len(k.code) for k in kids}) if kids else {}
    prefixes = scope_prefixes(request.user)

    def visible(c: str) -> bool:
        # A figure is shown for a region inside the scope or containing part of it.
        return covers(request.user, c) or prefixes is None or any(p.startswith(c) for p in prefixes)

    rows = [(k, counts.get(k.code, 0) if visible(k.code) else None) for k in kids]
    total = None
    if region and visible(region.code):
        total = workers.filter(village__code__startswith=region.code).count()
    return render(
        request,
        "regions/browse.html",
        {
            "region": region,
            "ancestors": ancestors(region) if region else [],
            "rows": rows,
            "total": total,
            "dataset": current_dataset(),
            "is_village": region is not None and region.level == Level.VILLAGE,
            "canonical": canonical,
        },
    )
