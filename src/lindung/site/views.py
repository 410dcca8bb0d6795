from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from lindung.accounts.scoping import restrict, scope_prefixes
from lindung.coverage.todo import todo_for
from lindung.regions.models import Region
from lindung.registry.models import Worker
from lindung.registry.selectors import count_by_prefix


@login_required
def home(request):
    """The start page: the user's to-do first, then their regions and how many workers are
    registered in each."""
    user = request.user
    prefixes = scope_prefixes(user)
    workers = restrict(Worker.objects.all(), user)
    if prefixes is None:
        regions = list(Region.objects.filter(level=1, is_active=True))
    else:
        regions = list(Region.objects.filter(code__in=prefixes))
    counts = count_by_prefix(workers, {len(r.code) for r in regions})
    by_occupation = (
        workers.values("occupation__name_id", "occupation__name_en")
        .annotate(n=Count("id"))
        .order_by("-n")[:10]
    )
    rows = [(r, counts.get(r.code, 0)) for r in regions]
    return render(
        request,
        "home.html",
        {
            "todo": todo_for(user),
            "rows": rows,
            "total": workers.count(),
            "by_occupation": by_occupation,
        },
    )


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    # A refusal that explains itself (PermissionDenied("…")) shows its reason.
    reason = str(exception) if exception is not None else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)
