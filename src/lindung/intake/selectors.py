from __future__ import annotations

from django.db.models import QuerySet

from lindung.accounts.roles import Action
from lindung.accounts.scoping import get_for_user, restrict

from .models import StagedRow, Upload


def uploads_for(user) -> QuerySet[Upload]:
    return restrict(Upload.objects.select_related("village", "uploaded_by", "lease"), user)


def upload_for_user(user, pk, action: str = Action.VIEW) -> Upload:
    return get_for_user(
        Upload.objects.select_related("village", "village__parent", "lease"), user, action, pk=pk
    )


def rows_of(upload: Upload, status: str = "") -> QuerySet[StagedRow]:
    qs = StagedRow.objects.filter(upload=upload)
    if status == "problems":
        return qs.exclude(errors=[])
    return qs.filter(status=status) if status else qs
