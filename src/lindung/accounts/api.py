from ninja import Router, Schema

from lindung.common.api import answers

from .scoping import scope_prefixes

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str
    regions: list[str] | None


@router.get(
    "", response=answers({200: MeOut}), summary="Who the token belongs to and what it covers"
)
def me(request):
    user = request.auth
    return {"username": user.username, "role": user.role, "regions": scope_prefixes(user)}
