"""Areas of the partnership: force, CSP, local authority, ward, LSOA, neighbourhood.

Boundaries are kept as GeoJSON text (WGS84) with a British National Grid (EPSG:27700)
centroid and bounding box, computed once with shapely/pyproj (no spatial database).
The LSOA lookup (2021 LSOA -> 2023 ward -> 2023 local authority) and the explicit
2011 -> 2021 LSOA mapping live in their own tables, used by every import.
"""

from __future__ import annotations

from django.db import models

from saferhub.core.models import BaseModel


class Area(BaseModel):
    """One area at one level. A CSP or neighbourhood may be defined by member areas."""

    class Level(models.TextChoices):
        FORCE = "force", "Police force area"
        CSP = "csp", "Community Safety Partnership area"
        LAD = "lad", "Local authority district"
        WARD = "ward", "Electoral ward"
        LSOA = "lsoa", "Lower layer super output area (LSOA)"
        NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"

    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    vintage = models.PositiveSmallIntegerField(
        default=2021, help_text="Census geography the code belongs to (2011 or 2021)."
    )
    code_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Year of the code list the code belongs to (2021 for LSOAs, 2024 for "
        "wards, local authorities and CSPs of the 2024 lookups, 2023 for a retired ward).",
    )
    extent_km2 = models.FloatField(
        null=True, blank=True, help_text="Area in km2 (British National Grid, of the boundary)."
    )
    rural_urban = models.CharField(
        max_length=8,
        blank=True,
        help_text="An LSOA's Rural-Urban Classification 2021 code (e.g. UN1, RLN1).",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="member_of",
        help_text="For a CSP or neighbourhood: the LADs, wards or LSOAs it is made of.",
    )
    geometry = models.TextField(blank=True, help_text="GeoJSON geometry in WGS84 (EPSG:4326).")
    centroid_x = models.FloatField(null=True, blank=True, help_text="BNG easting of the centroid")
    centroid_y = models.FloatField(null=True, blank=True, help_text="BNG northing")
    bbox_min_x = models.FloatField(null=True, blank=True)
    bbox_min_y = models.FloatField(null=True, blank=True)
    bbox_max_x = models.FloatField(null=True, blank=True)
    bbox_max_y = models.FloatField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="geography_area_level_code"),
            models.CheckConstraint(
                condition=models.Q(
                    level__in=["force", "csp", "lad", "ward", "lsoa", "neighbourhood"]
                ),
                name="geography_area_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(vintage__in=[2011, 2021]), name="geography_area_vintage_valid"
            ),
        ]
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_area", "Can see areas, boundaries and populations"),
            ("manage_areas", "Can import geography and define CSP areas and neighbourhoods"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Lsoa(models.Model):
    """ONS best-fit lookup: LSOA 2021 -> electoral ward (2024) -> LAD (2024) -> force area.

    ``ward_code_2023`` keeps the LSOA's ward of the May 2023 lookup, so that a
    neighbourhood defined from a 2023 ward whose code has since changed still has its
    LSOAs.
    """

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=120)
    ward_code = models.CharField(max_length=9, db_index=True)
    ward_name = models.CharField(max_length=120)
    lad_code = models.CharField(max_length=9, db_index=True)
    lad_name = models.CharField(max_length=120)
    ward_code_2023 = models.CharField(max_length=9, blank=True, db_index=True)
    force_code = models.CharField(
        max_length=9, blank=True, help_text="Police force area (PFA 2024) of the LAD."
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Lsoa2011To2021(models.Model):
    """One link between a 2011 LSOA and a 2021 LSOA, with the kind of change."""

    class Change(models.TextChoices):
        UNCHANGED = "U", "Unchanged"
        SPLIT = "S", "Split"
        MERGED = "M", "Merged"
        IRREGULAR = "X", "Irregular (redrawn)"

    lsoa11_code = models.CharField(max_length=9, db_index=True)
    lsoa21_code = models.CharField(max_length=9, db_index=True)
    change = models.CharField(max_length=1, choices=Change.choices)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order of a split parent's children (0 is the first, by code)."
    )
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["lsoa11_code", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["lsoa11_code", "lsoa21_code"], name="geography_lsoa_map_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(change__in=["U", "S", "M", "X"]), name="geography_lsoa_map_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa11_code} -> {self.lsoa21_code} ({self.get_change_display()})"


class Population(models.Model):
    """Persons and households of an area in a year, from a named source."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=200)
    persons = models.PositiveIntegerField()
    households = models.PositiveIntegerField(null=True, blank=True)
    method = models.CharField(
        max_length=300, blank=True, help_text="How the figure was derived (sum, share of parent)."
    )

    class Meta:
        ordering = ["area", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "source"], name="geography_population_area_year_source"
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1991, year__lte=2100),
                name="geography_population_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.year}: {self.persons}"


class Imd(models.Model):
    """Index of Multiple Deprivation 2019 rank and decile for an LSOA (2011 or carried to 2021)."""

    lsoa_code = models.CharField(max_length=9)
    vintage = models.PositiveSmallIntegerField(default=2011)
    lsoa11_code = models.CharField(max_length=9, help_text="The 2011 LSOA the figure belongs to.")
    rank = models.PositiveIntegerField(help_text="1 = most deprived of 32,844 in England")
    decile = models.PositiveSmallIntegerField(help_text="1 = most deprived 10%")
    crime_rank = models.PositiveIntegerField(null=True, blank=True)
    crime_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    rule = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["lsoa_code"]
        verbose_name = "IMD 2019 figure"
        constraints = [
            models.UniqueConstraint(fields=["lsoa_code", "vintage"], name="geography_imd_lsoa"),
            models.CheckConstraint(
                condition=models.Q(decile__gte=1, decile__lte=10), name="geography_imd_decile"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lsoa_code}: decile {self.decile}"
