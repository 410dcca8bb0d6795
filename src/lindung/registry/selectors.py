"""Reading the registry, always through the scoping helper."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from lindung.accounts.roles import Action, role_allows
from lindung.accounts.scoping import get_for_user, restrict
from lindung.regions.models import canonical

from .models import Worker
from .nik import normalise


def workers_for(user, action: str = Action.VIEW) -> QuerySet[Worker]:
    return restrict(Worker.objects.all(), user, action)


def worker_list(
    user, *, q: str = "", village: str = "", region: str = "", occupation: str = ""
) -> QuerySet[Worker]:
    """Workers the user may see, filtered: `q` matches a name part or a NIK (full or prefix)."""
    qs = workers_for(user).select_related("village", "village__parent", "occupation")
    q = (q or "").strip()
    if q:
        digits = nik_query(user, q)
        if digits:
            qs = qs.filter(nik__startswith=digits)
        else:
            for part in q.split():
                qs = qs.filter(name__icontains=part)
    if village:
        qs = qs.filter(village_id=canonical(village))
    if region:
        qs = qs.filter(village__code__startswith=canonical(region))
    if occupation:
        qs = qs.filter(occupation__code=occupation)
    return qs.order_by("name", "id")


def nik_query(user, q: str) -> str:
    """The NIK (or NIK prefix) a search is for, or "" when it searches names. Searching by NIK
    would let a role that may not see NIKs confirm whose one is whose, so only roles that may
    see them search by it (and every such search is recorded: `audit.access.nik_searched`)."""
    digits = normalise((q or "").strip())
    by_nik = role_allows(getattr(user, "role", ""), Action.VIEW_PII)
    if by_nik and len(digits) >= 4 and all(ch in "0123456789" for ch in digits):
        return digits
    return ""


def worker_for_user(user, pk: int, action: str = Action.VIEW) -> Worker:
    return get_for_user(
        Worker.objects.select_related("village", "village__parent__parent", "occupation"),
        user,
        action,
        pk=pk,
    )


def count_by_prefix(workers: QuerySet[Worker], lengths) -> dict[str, int]:
    """Worker counts per region code prefix of each given length, one query per length."""
    counts: dict[str, int] = {}
    for length in sorted(set(lengths)):
        rows = (
            workers.order_by()
            .annotate(prefix=Substr("village_id", 1, length))
            .values_list("prefix")
            .annotate(n=Count("id"))
        )
        counts.update(dict(rows))
    return counts


def search_q(q: str) -> Q:
    return Q(name__icontains=q) | Q(nik__startswith=normalise(q))


def occupation_keys() -> dict[str, int]:
    """Every way a file, form or API call may name an occupation → its id.

    The one matcher for intake, forms, API and the template: slug code, Indonesian and English
    name, the registry's numeric code and printed name, then the short forms operators use
    (IRT, BHL, PNS, Tani…). Exact names win over short forms.
    """
    from .models import Occupation
    from .occupations import SHORT_FORMS, normalise, registry_jobs

    printed = {job.code: job.name for job in registry_jobs()}
    keys: dict[str, int] = {}
    by_registry_code: dict[int, int] = {}
    for occ in Occupation.objects.filter(is_active=True):
        labels = [occ.code, occ.name_id, occ.name_en]
        if occ.registry_code is not None:
            by_registry_code[occ.registry_code] = occ.pk
            labels += [str(occ.registry_code), printed.get(occ.registry_code, "")]
        for label in labels:
            if label:
                keys.setdefault(normalise(label), occ.pk)
    for short, registry_code in SHORT_FORMS.items():
        if registry_code in by_registry_code:
            keys.setdefault(short, by_registry_code[registry_code])
    return keys


def occupation_by_word(word: str):
    """The active occupation `word` names (tolerantly), or None."""
    from .models import Occupation
    from .occupations import normalise

    pk = occupation_keys().get(normalise(word))
    return Occupation.objects.filter(pk=pk).first() if pk else None


def occupation_suggestions(words, *, limit: int = 3) -> dict[str, list[str]]:
    """{unknown word: the closest occupation names}, for "maksud Anda …?" hints.

    rapidfuzz's WRatio copes with typos and partial words ("petni", "pedagang sayur").
    """
    from rapidfuzz import fuzz, process

    from .models import Occupation

    names = list(Occupation.objects.filter(is_active=True).values_list("name_id", flat=True))
    found: dict[str, list[str]] = {}
    for word in set(words):
        matches = process.extract(
            word.lower(),
            names,
            scorer=fuzz.WRatio,
            processor=lambda s: s.lower(),
            limit=limit,
            score_cutoff=60,
        )
        found[word] = [name for name, _score, _index in matches]
    return found


def not_working_occupation_ids() -> frozenset[int]:
    """Occupations meaning "not working" (pupils, pensioners, homemakers, not yet working)."""
    from .models import Occupation, WorkClass

    return frozenset(
        Occupation.objects.filter(work_class=WorkClass.NOT_WORKING).values_list("pk", flat=True)
    )
