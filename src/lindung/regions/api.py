from django.http import Http404
from ninja import Router, Schema

from lindung.common.api import answers
from lindung.common.inputs import Text

from .selectors import children, region_by_code

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    dotted_code: str
    name: str
    level: int
    kind: str
    parent_code: str | None
    postal_code: str
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent_id


@router.get(
    "",
    response=answers({200: list[RegionOut]}),
    summary="Children of a region (provinces without parent)",
)
def region_children(request, parent: Text(20) = ""):
    return list(children(parent or None))


@router.get(
    "/{code}", response=answers({200: RegionOut}), summary="One region by code (dotted or digits)"
)
def region_detail(request, code: Text(20)):
    region = region_by_code(code)
    if region is None:
        raise Http404
    return region
