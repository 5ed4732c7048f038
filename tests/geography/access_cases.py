from tests.access import ANALYSTS, EVERYONE, AccessCase

ABBEY = "E05015507"


def _area() -> dict[str, object]:
    from saferhub.geography.models import Area

    Area.objects.get_or_create(level="csp", code="E06000015", defaults={"name": "Derby"})
    return {"level": "csp", "code": "E06000015"}


def _code() -> dict[str, object]:
    return {"code": _area()["code"]}


def _ward() -> str:
    """A ward of the force, in the lookup under its local authority (a member to choose)."""
    from saferhub.geography.models import Area, Lsoa

    force, _ = Area.objects.get_or_create(
        level="force", code="derbyshire", defaults={"name": "Derbyshire Constabulary"}
    )
    lad, _ = Area.objects.get_or_create(
        level="lad", code="E06000015", defaults={"name": "Derby", "parent": force}
    )
    Area.objects.get_or_create(level="ward", code=ABBEY, defaults={"name": "Abbey", "parent": lad})
    Lsoa.objects.get_or_create(
        code="E01013453",
        defaults={
            "name": "Derby 013A",
            "ward_code": ABBEY,
            "ward_name": "Abbey",
            "lad_code": "E06000015",
            "lad_name": "Derby",
        },
    )
    return ABBEY


def _hood() -> dict[str, object]:
    """A neighbourhood held (brought back if an earlier request removed it)."""
    from saferhub.geography.models import Area

    ward = Area.objects.get(level="ward", code=_ward())
    hood, _ = Area.objects.update_or_create(
        level="neighbourhood", code="abbey-hood", defaults={"name": "Abbey", "archived_at": None}
    )
    hood.members.set([ward])
    return {"level": "neighbourhood", "code": "abbey-hood"}


def _definition() -> dict[str, object]:
    return {
        "level": "neighbourhood",
        "code": "abbey-and-more",
        "name": "Abbey and more",
        "wards": [_ward()],
    }


def _change() -> dict[str, object]:
    return {"name": "Abbey neighbourhood", "wards": [_ward()]}


def _api_definition() -> dict[str, object]:
    data = _definition()
    return {**data, "member_level": "ward", "members": data.pop("wards")}


CASES = [
    AccessCase("geography:areas", EVERYONE),
    AccessCase("geography:areas", EVERYONE, query="level=lad&format=csv"),
    AccessCase("geography:areas", EVERYONE, query="format=xlsx"),
    AccessCase("geography:area", EVERYONE, kwargs=_area),
    AccessCase("geography:area", EVERYONE, kwargs=_hood),
    AccessCase("geography:area", EVERYONE, kwargs=_hood, query="table=members&format=csv"),
    AccessCase("geography:area", EVERYONE, kwargs=_area, query="table=months&format=xlsx"),
    AccessCase("geography:defined_areas", ANALYSTS),
    AccessCase("geography:defined_areas", ANALYSTS, query="format=csv"),
    AccessCase("geography:defined_areas", ANALYSTS, query="format=xlsx"),
    AccessCase("geography:area_new", ANALYSTS),
    AccessCase("geography:area_new", ANALYSTS, method="post", data=_definition),
    AccessCase("geography:area_change", ANALYSTS, kwargs=_hood),
    AccessCase("geography:area_change", ANALYSTS, kwargs=_hood, method="post", data=_change),
    AccessCase("geography:area_remove", ANALYSTS, kwargs=_hood),
    AccessCase("geography:area_remove", ANALYSTS, kwargs=_hood, method="post"),
    AccessCase("api:areas_list", EVERYONE, query="level=csp"),
    AccessCase("api:area_boundaries", EVERYONE, kwargs=_code, query="level=csp"),
    AccessCase("api:areas_defined", EVERYONE),
    AccessCase(
        "api:areas_defined",
        ANALYSTS,
        method="post",
        data=_api_definition,
        ok_statuses=frozenset({200, 201}),
    ),
    AccessCase(
        "api:area_defined_remove",
        ANALYSTS,
        kwargs=_hood,
        method="post",
        ok_statuses=frozenset({200}),
    ),
]
