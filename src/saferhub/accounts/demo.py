"""The demo partnership: real Derbyshire agency names, one demo user per role."""

from __future__ import annotations

from django.db import transaction

from saferhub.accounts.models import Agency, User
from saferhub.accounts.roles import ROLES, Role
from saferhub.accounts.services import agency_create, user_create

DEMO_PASSWORD = "saferhub-demo-password"

DEMO_AGENCIES = [
    ("derbyshire-police", "Derbyshire Constabulary", Agency.Kind.POLICE),
    ("derby-city-council", "Derby City Council", Agency.Kind.COUNCIL),
    ("derbyshire-fire", "Derbyshire Fire and Rescue Service", Agency.Kind.FIRE),
    ("derbyshire-icb", "NHS Derby and Derbyshire Integrated Care Board", Agency.Kind.HEALTH),
    ("probation-east-midlands", "Probation Service East Midlands", Agency.Kind.PROBATION),
    ("derby-homes", "Derby Homes", Agency.Kind.HOUSING),
    ("derby-youth-justice", "Derby Youth Justice Service", Agency.Kind.YOUTH_JUSTICE),
    ("derby-cvs", "Community Action Derby", Agency.Kind.VOLUNTARY),
]

DEMO_USERS = [
    ("viewer", "board", "derby-city-council"),
    ("lead_officer", "lead", "derbyshire-police"),
    ("analyst", "analyst", "derby-city-council"),
    ("manager", "manager", "derby-city-council"),
    ("asb_officer", "asb", "derby-homes"),
    ("idva", "idva", "derby-cvs"),
    ("iom_officer", "iom", "probation-east-midlands"),
    ("prevent_lead", "prevent", "derby-city-council"),
    ("finance", "finance", "derby-city-council"),
    ("administrator", "admin", "derby-city-council"),
]


@transaction.atomic
def demo_partnership_create() -> list[tuple[User, Role]]:
    """Create (once) the demo agencies and users; running it again changes nothing."""
    for code, name, kind in DEMO_AGENCIES:
        if not Agency.objects.filter(code=code).exists():
            agency_create(actor="demo", code=code, name=name, kind=kind)
    out = []
    for role_key, username, agency_code in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor="demo",
                username=username,
                email=f"{username}@example.org",
                agency=Agency.objects.get(code=agency_code),
                role=role_key,
                password=DEMO_PASSWORD,
                first_name=username.capitalize(),
                last_name="Demo",
            )
        out.append((user, ROLES[role_key]))
    return out
