"""Near-repeat analysis: the Knox test over space-time bands.

Pairs of events that are close in space *and* in time more often than chance
would give signal near-repeat victimisation (Townsley, Homel and Chaseling
2003; Johnson et al. 2007). The Knox (1964) test counts event pairs in each
(distance band, time band) cell and compares the counts with those obtained
when the event times are randomly re-assigned to the locations (Monte Carlo,
Besag and Diggle 1977). The Near Repeat Calculator (Ratcliffe 2009)
implements the same test.

Band convention (exact, both edges inclusive, whole units):

* distances are rounded to the nearest whole metre (halves up) first;
  ``"same location"`` holds pairs at 0 m (less than 0.5 m apart); with edges
  ``(200, 400)`` the next bands are ``"1–200 m"`` (1 to 200 m inclusive) and
  ``"201–400 m"``;
* times are whole days (or months for police.uk data); with edges ``(7, 14)``
  the bands are ``"0–7 days"`` (same day up to 7 days apart) and
  ``"8–14 days"``.

Pairs further apart than the last distance or time edge are not in the table.
"""

from saferhub.analysis.nearrepeat.bands import band_edges, distance_band_labels, time_band_labels
from saferhub.analysis.nearrepeat.cli import cli_knox
from saferhub.analysis.nearrepeat.knox import KnoxResult, knox_test

__all__ = [
    "KnoxResult",
    "band_edges",
    "cli_knox",
    "distance_band_labels",
    "knox_test",
    "time_band_labels",
]
