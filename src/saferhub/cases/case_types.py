"""The case types this release knows. IOM and Channel register here when built."""

from saferhub.cases.registry import CaseType, register

ASB = register(
    CaseType(
        key="asb",
        name="ASB case",
        reference_prefix="ASB",
        default_retention_years=6,
        detail_model="cases.AsbCase",
    )
)

MARAC = register(
    CaseType(
        key="marac",
        name="MARAC case",
        reference_prefix="MARAC",
        default_retention_years=6,
        detail_model="cases.MaracCase",
    )
)
