"""Incident data: the taxonomy, the import ledger, incidents and the monthly aggregate.

* :class:`Theme` and :class:`Category` are the one editable taxonomy: a police.uk crime
  type or a partner category (a :class:`Category`) counts towards one or more partnership
  themes (all crime, serious acquisitive crime, violence ...).
* :class:`ImportBatch` is the ledger: one row per imported file, by SHA-256 of its bytes,
  with its counts; :class:`RowProblem` lists the rows refused or loaded with a warning.
* :class:`Incident` is one crime, ASB incident or partner incident, with its LSOA, ward,
  local authority, CSP area and British National Grid point assigned once, at import.
* :class:`Outcome` and :class:`StopAndSearch` hold the other police.uk files.
* :class:`MonthlyCount` is the aggregate (level x area code x category x month) that
  dashboards read; every import recomputes the months it touched.
"""

from __future__ import annotations

from django.db import models

from saferhub.core.models import BaseModel


class Theme(BaseModel):
    """A partnership theme that categories count towards (e.g. serious acquisitive crime)."""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        permissions = [
            ("view_incident_counts", "Can see incident counts, imports and the taxonomy"),
            ("import_data", "Can import police.uk and partner data"),
            ("manage_taxonomy", "Can change which categories count towards which themes"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(BaseModel):
    """A crime type (police.uk) or partner category, as it appears in the source files."""

    name = models.CharField(max_length=120, unique=True)
    source = models.CharField(
        max_length=60, default="police.uk", help_text="Where the category comes from."
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="categories")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class ImportBatch(BaseModel):
    """The ledger: one imported file, identified by the SHA-256 of its content."""

    class Kind(models.TextChoices):
        POLICE_UK_STREET = "police_uk_street", "police.uk street-level crime"
        POLICE_UK_OUTCOMES = "police_uk_outcomes", "police.uk outcomes"
        POLICE_UK_STOP_SEARCH = "police_uk_stop_search", "police.uk stop and search"
        PARTNER = "partner", "Partner file"

    class Status(models.TextChoices):
        LOADED = "loaded", "Loaded"
        LOADED_WITH_PROBLEMS = "loaded_with_problems", "Loaded, some rows refused"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    source = models.CharField(max_length=100, default="police.uk")
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.LOADED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_duplicate = models.PositiveIntegerField(
        default=0, help_text="Rows already held (same Crime ID or stable key): not loaded again."
    )
    rows_refused = models.PositiveIntegerField(default=0)
    rows_warning = models.PositiveIntegerField(default=0)
    rows_no_location = models.PositiveIntegerField(default=0)
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "file_name"]
        verbose_name_plural = "import batches"
        constraints = [
            models.UniqueConstraint(fields=["kind", "sha256"], name="incidents_batch_kind_sha256"),
            models.CheckConstraint(
                condition=models.Q(rows_loaded__lte=models.F("rows_read")),
                name="incidents_batch_loaded_le_read",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows_loaded} rows)"


class RowProblem(models.Model):
    """A row of an imported file that was refused, or loaded with a warning."""

    class Severity(models.TextChoices):
        REFUSED = "refused", "Refused (not loaded)"
        WARNING = "warning", "Loaded with a warning"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="problems")
    row_number = models.PositiveIntegerField(help_text="Line in the file (the header is line 1)")
    column = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=300, blank=True)
    problem = models.CharField(max_length=300)
    severity = models.CharField(max_length=10, choices=Severity.choices)

    class Meta:
        ordering = ["batch", "row_number"]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.problem}"


class Incident(models.Model):
    """One crime, ASB incident or partner incident, placed once at import."""

    # No index on batch: batches are archived, never deleted, and each index slows loading.
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="incidents", db_index=False
    )
    source = models.CharField(max_length=100, default="police.uk")
    dedupe_key = models.CharField(
        max_length=80, help_text="police.uk Crime ID, or a stable key for rows without one."
    )
    crime_id = models.CharField(max_length=64, blank=True)
    month = models.DateField(help_text="First day of the month of the incident.")
    occurred_on = models.DateField(null=True, blank=True, help_text="Day, where the source has it")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="incidents")
    reported_by = models.CharField(max_length=100, blank=True)
    falls_within = models.CharField(max_length=100, blank=True)
    force_code = models.CharField(
        max_length=40,
        blank=True,
        help_text="The reporting force (police.uk 'Falls within'): the code of its police "
        "force area where the name matches one, else a slug of the name.",
    )
    location = models.CharField(max_length=200, blank=True)
    lsoa_code_original = models.CharField(max_length=9, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    csp_code = models.CharField(max_length=40, blank=True)
    placement = models.CharField(
        max_length=20,
        blank=True,
        help_text="How the LSOA was found: same, split-point, split-first, unknown, none.",
    )
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    bng_x = models.IntegerField(null=True, blank=True, help_text="BNG easting (EPSG:27700), m")
    bng_y = models.IntegerField(null=True, blank=True, help_text="BNG northing, m")
    outcome = models.CharField(max_length=150, blank=True)
    context = models.TextField(blank=True)
    victim_ref = models.CharField(max_length=100, blank=True, help_text="Pseudonymous only")
    location_ref = models.CharField(max_length=100, blank=True, help_text="Pseudonymous only")

    class Meta:
        ordering = ["month", "id"]
        constraints = [
            # The reporting force is part of the key: two forces' rows never collide.
            models.UniqueConstraint(
                fields=["source", "force_code", "dedupe_key"], name="incidents_incident_key"
            ),
        ]
        indexes = [
            models.Index(fields=["month", "lad_code"], name="incidents_month_lad"),
            # A place's incidents (a problem's LSOAs, an LSOA's page): by LSOA, then month.
            models.Index(fields=["lsoa_code", "month"], name="incidents_lsoa_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.category_id} {self.location}"


class Outcome(models.Model):
    """A police.uk outcome, linked to its crime by Crime ID."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="outcomes")
    crime_id = models.CharField(max_length=64, db_index=True)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcomes"
    )
    month = models.DateField()
    outcome_type = models.CharField(max_length=150)
    reported_by = models.CharField(max_length=100, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)

    class Meta:
        ordering = ["month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["crime_id", "month", "outcome_type"], name="incidents_outcome_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.crime_id[:8]} {self.outcome_type}"


class StopAndSearch(models.Model):
    """A police.uk stop and search record (kept apart from crime counts)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="searches")
    dedupe_key = models.CharField(max_length=64, unique=True)
    searched_at = models.DateTimeField(null=True, blank=True)
    month = models.DateField()
    search_type = models.CharField(max_length=100, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    lad_code = models.CharField(max_length=9, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    age_range = models.CharField(max_length=30, blank=True)
    self_defined_ethnicity = models.CharField(max_length=150, blank=True)
    officer_defined_ethnicity = models.CharField(max_length=60, blank=True)
    legislation = models.CharField(max_length=200, blank=True)
    object_of_search = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["month", "id"]
        verbose_name_plural = "stop and search records"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.search_type}"


class MonthlyCount(models.Model):
    """Incidents per area, category and month: the aggregate dashboards read.

    ``level`` is force, csp, lad, ward or lsoa; rows with no place count only at the
    force level.
    """

    level = models.CharField(max_length=20)
    area_code = models.CharField(max_length=40)
    # No database constraint: these rows are derived from the incidents (whose category is
    # constrained) and rebuilt from them; a constraint here is checked once per aggregate
    # row at every import's commit (about 120,000 checks for 24 months) for nothing; nor an
    # index of its own (reads go by level, area and month).
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False
    )
    month = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["level", "area_code", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "area_code", "category", "month"], name="incidents_monthly_key"
            ),
            models.CheckConstraint(
                condition=models.Q(level__in=["force", "csp", "lad", "ward", "lsoa"]),
                name="incidents_monthly_level",
            ),
        ]
        indexes = [models.Index(fields=["level", "month"], name="incidents_monthly_lvl_month")]

    def __str__(self) -> str:
        return f"{self.level} {self.area_code} {self.month:%Y-%m}: {self.count}"


class PartnerSource(BaseModel):
    """A partner's incident file and how to read it: the column mapping, saved per source.

    Only the mapped columns are read. Free-text columns are listed in ``ignored_columns``
    so the import can say they were seen and left out; they are never stored.
    """

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day (a date on every row)"
        MONTH = "month", "Month (only the month is known)"

    class LocationKind(models.TextChoices):
        WGS84 = "wgs84", "Longitude and latitude (WGS84)"
        BNG = "bng", "Easting and northing (British National Grid)"
        LSOA = "lsoa", "LSOA code"
        WARD = "ward", "Ward code"

    class Encoding(models.TextChoices):
        UTF8 = "utf-8", "UTF-8 (CSV UTF-8 from Excel)"
        CP1252 = "cp1252", "Windows-1252 (older Excel 'CSV')"

    name = models.CharField(
        max_length=100, unique=True, help_text="Short name used on the command line."
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    default_theme = models.ForeignKey(
        Theme,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Theme a new category from this source counts towards until changed.",
    )
    allow_new_categories = models.BooleanField(
        default=True,
        help_text="Add categories not yet in the taxonomy (else refuse those rows).",
    )
    encoding = models.CharField(max_length=10, choices=Encoding.choices, default=Encoding.UTF8)
    sheet_name = models.CharField(
        max_length=100, blank=True, help_text="Excel sheet to read (blank: the first)."
    )
    date_column = models.CharField(max_length=100)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_format = models.CharField(
        max_length=40,
        default="%d/%m/%Y",
        help_text="How dates are written, e.g. %d/%m/%Y (31/01/2024) or %Y-%m (2024-01).",
    )
    category_column = models.CharField(
        max_length=100, blank=True, help_text="Blank: every row has the source's own category."
    )
    location_kind = models.CharField(max_length=10, choices=LocationKind.choices)
    x_column = models.CharField(max_length=100, blank=True, help_text="Longitude or easting.")
    y_column = models.CharField(max_length=100, blank=True, help_text="Latitude or northing.")
    area_column = models.CharField(max_length=100, blank=True, help_text="LSOA or ward code.")
    reference_column = models.CharField(
        max_length=100, blank=True, help_text="The partner's own incident reference, if any."
    )
    victim_ref_column = models.CharField(
        max_length=100, blank=True, help_text="Pseudonymous victim reference, if any."
    )
    location_ref_column = models.CharField(
        max_length=100, blank=True, help_text="Pseudonymous location reference, if any."
    )
    ignored_columns = models.JSONField(
        default=list, blank=True, help_text="Free-text and other columns never stored."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(location_kind__in=["wgs84", "bng", "lsoa", "ward"]),
                name="incidents_partner_location_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(date_precision__in=["day", "month"]),
                name="incidents_partner_date_precision",
            ),
            models.CheckConstraint(
                condition=(models.Q(location_kind__in=["lsoa", "ward"]) & ~models.Q(area_column=""))
                | (
                    models.Q(location_kind__in=["wgs84", "bng"])
                    & ~models.Q(x_column="")
                    & ~models.Q(y_column="")
                ),
                name="incidents_partner_location_columns",
            ),
            models.CheckConstraint(
                condition=~models.Q(date_column=""), name="incidents_partner_date_column"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def mapped_columns(self) -> dict[str, str]:
        """Role -> column name, for the columns this source reads."""
        roles = {
            "date": self.date_column,
            "category": self.category_column,
            "reference": self.reference_column,
            "victim reference": self.victim_ref_column,
            "location reference": self.location_ref_column,
        }
        if self.location_kind in {"wgs84", "bng"}:
            roles["x"] = self.x_column
            roles["y"] = self.y_column
        else:
            roles["area"] = self.area_column
        return {role: column for role, column in roles.items() if column}
