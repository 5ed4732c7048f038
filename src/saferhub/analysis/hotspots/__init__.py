"""Hotspot statistics: excess risk, Getis-Ord Gi*, Local Moran's I.

A package split by statistic; import from here (``saferhub.analysis.hotspots``).
"""

from saferhub.analysis.hotspots._common import CONFIDENCE_LEVELS, benjamini_hochberg
from saferhub.analysis.hotspots.cli import cli_gistar, cli_hotspots, cli_local_moran
from saferhub.analysis.hotspots.excess_risk import excess_risk
from saferhub.analysis.hotspots.getis_ord import getis_ord_gi_star
from saferhub.analysis.hotspots.grid_hotspots import grid_gi_star
from saferhub.analysis.hotspots.local_moran import QUADRANTS, local_moran

__all__ = [
    "CONFIDENCE_LEVELS",
    "QUADRANTS",
    "benjamini_hochberg",
    "cli_gistar",
    "cli_hotspots",
    "cli_local_moran",
    "excess_risk",
    "getis_ord_gi_star",
    "grid_gi_star",
    "local_moran",
]
