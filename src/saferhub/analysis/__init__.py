"""SaferHub analysis library: pure statistics for Community Safety Partnerships.

DataFrames and arrays in, DataFrames and frozen dataclasses out; no Django,
no database, no global state. Each function's docstring states its formula
and published source.
"""

from saferhub.analysis.accuracy import (
    HotspotAccuracy,
    hotspot_accuracy,
    predictive_accuracy_index,
    select_hotspot_cells,
)
from saferhub.analysis.change import (
    ChangeResult,
    compare_counts,
    e_test,
    exact_poisson_test,
    percent_change,
    rate_ratio_ci,
)
from saferhub.analysis.cohort import CohortOffending, offending_before_after
from saferhub.analysis.density import (
    DensitySurface,
    kernel_density,
    quartic_kernel,
    rule_of_thumb_bandwidth,
)
from saferhub.analysis.displacement import WddResult, weighted_displacement_difference
from saferhub.analysis.grid import (
    GridCounts,
    GridSpec,
    grid_counts,
    grid_spec_for_extent,
    grid_spec_for_points,
    wgs84_to_bng,
)
from saferhub.analysis.harm import (
    REFERENCE_TABLES,
    cost_group_of,
    cost_of_crime,
    crime_severity_score,
    load_reference,
    uprate,
)
from saferhub.analysis.hotspots import (
    benjamini_hochberg,
    excess_risk,
    getis_ord_gi_star,
    grid_gi_star,
    local_moran,
)
from saferhub.analysis.nearrepeat import (
    KnoxResult,
    band_edges,
    distance_band_labels,
    knox_test,
    time_band_labels,
)
from saferhub.analysis.peers import funnel_limits, peer_comparison, poisson_funnel_quantile
from saferhub.analysis.prioritise import DEFAULT_WEIGHTS, MEASURES, prioritisation_matrix
from saferhub.analysis.rates import poisson_ci, rate_table
from saferhub.analysis.repeat import (
    RepeatSummary,
    incidents_per_entity,
    repeat_locations,
    repeat_summary,
    repeat_table,
    repeat_table_from_counts,
    within_months,
)
from saferhub.analysis.spatial_weights import (
    as_sparse_weights,
    contiguity_weights,
    distance_band_weights,
)
from saferhub.analysis.trends import (
    RULE_COLUMNS,
    c_chart,
    monthly_series,
    rolling_sum,
    spc_chart,
    xmr_chart,
)

__all__ = [
    "CohortOffending",
    "offending_before_after",
    "HotspotAccuracy",
    "hotspot_accuracy",
    "predictive_accuracy_index",
    "select_hotspot_cells",
    "DensitySurface",
    "kernel_density",
    "quartic_kernel",
    "rule_of_thumb_bandwidth",
    "GridCounts",
    "GridSpec",
    "grid_counts",
    "grid_spec_for_extent",
    "grid_spec_for_points",
    "wgs84_to_bng",
    "benjamini_hochberg",
    "excess_risk",
    "getis_ord_gi_star",
    "grid_gi_star",
    "local_moran",
    "KnoxResult",
    "band_edges",
    "distance_band_labels",
    "knox_test",
    "time_band_labels",
    "as_sparse_weights",
    "contiguity_weights",
    "distance_band_weights",
    "DEFAULT_WEIGHTS",
    "MEASURES",
    "REFERENCE_TABLES",
    "RULE_COLUMNS",
    "ChangeResult",
    "RepeatSummary",
    "WddResult",
    "c_chart",
    "compare_counts",
    "cost_group_of",
    "cost_of_crime",
    "crime_severity_score",
    "e_test",
    "exact_poisson_test",
    "funnel_limits",
    "incidents_per_entity",
    "load_reference",
    "monthly_series",
    "peer_comparison",
    "percent_change",
    "poisson_ci",
    "poisson_funnel_quantile",
    "prioritisation_matrix",
    "rate_ratio_ci",
    "rate_table",
    "repeat_locations",
    "repeat_summary",
    "repeat_table",
    "repeat_table_from_counts",
    "rolling_sum",
    "spc_chart",
    "uprate",
    "weighted_displacement_difference",
    "within_months",
    "xmr_chart",
]
