"""The case types this release knows. MARAC, IOM and Channel register here when built."""

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
