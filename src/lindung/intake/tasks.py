"""Background work for large uploads (django-tasks; a database queue in production, run at once
in tests). The page polls the upload's `progress` while a worker runs these."""

from __future__ import annotations

import logging

from django.utils import translation
from django_tasks import task

from lindung.accounts.models import User
from lindung.audit import context
from lindung.common.errors import ApplicationError

from . import leases
from .models import Upload
from .services import upload_check, upload_commit, upload_fail

log = logging.getLogger(__name__)


def _run(upload_id: str, user_id: int, lang: str, work) -> None:
    upload = Upload.objects.select_related("village").get(pk=upload_id)
    actor = User.objects.get(pk=user_id)
    with translation.override(lang), context.channel(context.WEB):
        try:
            work(actor, upload)
        except ApplicationError as exc:
            # A refusal the operator must read (refused file, registry changed meanwhile, not
            # staged): shown on the upload's page, which stops waiting.
            Upload.objects.filter(pk=upload_id).update(progress="", message=exc.message)
        except Exception as exc:  # the page must show a failure instead of spinning forever
            log.exception("intake task failed for upload %s", upload_id)
            upload_fail(upload=upload, message=f"{type(exc).__name__}: {exc}")


@task()
def check_upload(upload_id: str, user_id: int, lang: str) -> None:
    # upload_check holds the upload's lease itself (it also runs inside requests).
    _run(upload_id, user_id, lang, lambda actor, upload: upload_check(actor=actor, upload=upload))


@task()
def commit_upload(upload_id: str, user_id: int, lang: str) -> None:
    def commit(actor, upload):
        with leases.held(upload, "commit"):
            upload_commit(actor=actor, upload=upload)

    _run(upload_id, user_id, lang, commit)


def queue_check(upload: Upload, user, lang: str) -> None:
    """Hand the check to the background worker; the page shows progress (or, should the
    worker never take it up or die, the next step)."""
    _queue(upload, "queued", "check")
    check_upload.enqueue(str(upload.pk), user.pk, lang)


def queue_commit(upload: Upload, user, lang: str) -> None:
    _queue(upload, "committing", "commit")
    commit_upload.enqueue(str(upload.pk), user.pk, lang)


def _queue(upload: Upload, progress: str, work: str) -> None:
    Upload.objects.filter(pk=upload.pk).update(progress=progress)
    upload.progress = progress
    leases.promise(upload, work)
