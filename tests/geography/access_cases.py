from tests.access import EVERYONE, AccessCase


def _area() -> dict[str, object]:
    from saferhub.geography.models import Area

    Area.objects.get_or_create(level="csp", code="E06000015", defaults={"name": "Derby"})
    return {"level": "csp", "code": "E06000015"}


def _code() -> dict[str, object]:
    return {"code": _area()["code"]}


CASES = [
    AccessCase("geography:areas", EVERYONE),
    AccessCase("geography:areas", EVERYONE, query="level=lad&format=csv"),
    AccessCase("geography:areas", EVERYONE, query="format=xlsx"),
    AccessCase("geography:area", EVERYONE, kwargs=_area),
    AccessCase("api:areas_list", EVERYONE, query="level=csp"),
    AccessCase("api:area_boundaries", EVERYONE, kwargs=_code, query="level=csp"),
]
