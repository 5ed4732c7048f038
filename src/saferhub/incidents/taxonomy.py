"""The default taxonomy: police.uk crime types -> partnership themes.

Loaded by a data migration (``0002_default_taxonomy``) and editable afterwards on the
taxonomy page. Rules (see docs/user-guide/incidents.md):

* "All crime" is every police.uk crime type except anti-social behaviour: ASB is
  counted apart, as the Home Office and police.uk do.
* "Serious acquisitive crime" is burglary, robbery and vehicle crime (the former
  National Indicator 16 definition used in the partnership's plans).
* Each crime type also counts towards exactly one specific theme; types with no
  specific theme of their own count towards "Other".
"""

from __future__ import annotations

# (key, name, description) in display order.
THEMES: list[tuple[str, str, str]] = [
    ("all-crime", "All crime", "Every police recorded crime type; excludes anti-social behaviour."),
    (
        "serious-acquisitive-crime",
        "Serious acquisitive crime",
        "Burglary, robbery and vehicle crime.",
    ),
    ("violence", "Violence", "Violence and sexual offences."),
    ("criminal-damage-arson", "Criminal damage and arson", "Criminal damage and arson."),
    ("asb", "Anti-social behaviour", "Anti-social behaviour incidents (not crimes)."),
    (
        "domestic-abuse",
        "Domestic abuse",
        "Domestic abuse incidents and crimes from partner data (police.uk has no flag).",
    ),
    ("drugs", "Drugs", "Drug offences."),
    ("public-order", "Public order", "Public order offences."),
    ("shoplifting", "Shoplifting", "Shoplifting."),
    (
        "other",
        "Other",
        "Other theft, theft from the person, bicycle theft, possession of weapons, other crime.",
    ),
]

# police.uk crime type -> theme keys it counts towards.
POLICE_UK_CATEGORIES: dict[str, list[str]] = {
    "Anti-social behaviour": ["asb"],
    "Bicycle theft": ["all-crime", "other"],
    "Burglary": ["all-crime", "serious-acquisitive-crime"],
    "Criminal damage and arson": ["all-crime", "criminal-damage-arson"],
    "Drugs": ["all-crime", "drugs"],
    "Other crime": ["all-crime", "other"],
    "Other theft": ["all-crime", "other"],
    "Possession of weapons": ["all-crime", "other"],
    "Public order": ["all-crime", "public-order"],
    "Robbery": ["all-crime", "serious-acquisitive-crime"],
    "Shoplifting": ["all-crime", "shoplifting"],
    "Theft from the person": ["all-crime", "other"],
    "Vehicle crime": ["all-crime", "serious-acquisitive-crime"],
    "Violence and sexual offences": ["all-crime", "violence"],
}
