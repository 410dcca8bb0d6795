import datetime as dt

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.pagination import paginate

from lindung.accounts import masking
from lindung.accounts.roles import Action, role_allows
from lindung.common.api import Paging, answers
from lindung.common.inputs import Text

from .labels import action_label
from .selectors import event_list

router = Router(tags=["audit"])


class EventOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor_username: str
    action: str
    # The action in words, in the request's language (the code above never changes meaning).
    action_label: str
    channel: str
    request_id: str
    object_type: str
    object_id: str
    object_repr: str
    region_code: str
    changes: dict
    reason: str
    row_count: int | None

    @staticmethod
    def resolve_action_label(obj) -> str:
        return action_label(obj.action)

    # Personal data inside events follows the reader's masking policy, as on the page.
    @staticmethod
    def resolve_changes(obj, context) -> dict:
        return masking.event_for(context["request"].auth, obj).changes

    @staticmethod
    def resolve_reason(obj, context) -> str:
        return masking.event_for(context["request"].auth, obj).reason

    @staticmethod
    def resolve_object_repr(obj, context) -> str:
        return masking.event_for(context["request"].auth, obj).object_repr


@router.get(
    "", response=answers({200: list[EventOut]}), summary="Audit events (auditors and superadmins)"
)
@paginate(Paging)
def events(
    request,
    object_type: Text(60) = "",
    object_id: Text(64) = "",
    actor: Text(150) = "",
    action: Text(60) = "",
):
    if not role_allows(request.auth.role, Action.VIEW_AUDIT):
        raise PermissionDenied
    return event_list(
        request.auth, object_type=object_type, object_id=object_id, actor=actor, action=action
    )
