"""The Crime Severity Score weights the assessment uses: read from the data folder.

The weights (ONS, by Home Office offence code, partial), the code -> police.uk category
join and the force-level offence mix (Home Office police recorded crime by force and
offence code, 2017/18) are files in ``settings.DATA_DIR``; the estimate itself is
:func:`saferhub.analysis.harm_categories.category_weights`. The force whose mix is used
is the one that reported the area's records (police.uk's "Falls within"), never a name
written here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from django.conf import settings

from saferhub.analysis.harm_categories import category_weights, force_key

CSS_WEIGHTS = "reference/harm/ons_css_weights_extracted.csv"
CSS_JOIN = "reference/harm/ons_css_policeuk_code_join.csv"
OFFENCE_MIX = "reference/recorded_crime/prc-pfa-2017-18.csv"
MIX_YEAR = "2017/18"
SOURCE = (
    "ONS Crime Severity Score weights by Home Office offence code (partial: 128 codes, ONS "
    "data tool 'List of weights'), joined to police.uk categories through data.police.uk's "
    f"offence mapping; offence mix: Home Office police recorded crime by force and offence "
    f"code, {MIX_YEAR}"
)


@dataclass
class SeverityWeights:
    """Estimated CSS weight per police.uk category for one force's offence mix."""

    force: str  # the reporting force named in the records ("" when none)
    mix_force: str  # the force's name in the offence-mix table ("" when not found)
    weights: dict[str, float] = field(default_factory=dict)  # category -> weight (weighted only)
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: str = ""
    source: str = SOURCE
    note: str = ""

    @property
    def available(self) -> bool:
        return bool(self.weights)


@functools.cache
def _tables(root: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None:
    base = Path(root)
    paths = [base / CSS_WEIGHTS, base / CSS_JOIN, base / OFFENCE_MIX]
    if not all(p.exists() for p in paths):
        return None
    raw_weights = pd.read_csv(paths[0], dtype=str, encoding="utf-8-sig")
    weights = pd.DataFrame(
        {
            "code": raw_weights["code_original"].str.strip(),
            "weight": pd.to_numeric(raw_weights["weight"], errors="coerce"),
        }
    )
    join = pd.read_csv(paths[1], dtype=str, encoding="utf-8-sig")
    code_categories = pd.DataFrame(
        {
            "code": join["ONS_COUNTS_code"].str.strip(),
            "category": join["POLICE_UK_CAT_MAP_category"].str.strip(),
        }
    )
    raw_mix = pd.read_csv(paths[2], dtype=str, encoding="utf-8-sig")
    mix = pd.DataFrame(
        {
            "force": raw_mix["Force Name"].str.strip(),
            "code": raw_mix["Offence Code"].str.strip(),
            "count": pd.to_numeric(
                raw_mix["Number of Offences"].str.strip().str.replace(",", ""), errors="coerce"
            ).fillna(0),
        }
    )
    return weights, code_categories, mix


def severity_weights(force: str, categories: tuple[str, ...]) -> SeverityWeights:
    """The estimated weight of each category for ``force`` (a police.uk force name)."""
    tables = _tables(str(Path(settings.DATA_DIR)))
    if tables is None:
        return SeverityWeights(
            force, "", note="Not available: the Crime Severity Score files are not in the data."
        )
    weights, code_categories, mix = tables
    wanted = force_key(force) if force else ""
    names = {force_key(n): n for n in mix["force"].unique()}
    mix_force = names.get(wanted, "") if wanted else ""
    if not mix_force:
        return SeverityWeights(
            force,
            "",
            note=(
                f"Not available: the offence mix ({MIX_YEAR}) has no force matching "
                f"{force or 'the reporting force'!r}, so no category weight can be estimated."
            ),
        )
    table = category_weights(
        weights=weights,
        code_categories=code_categories,
        mix=mix[mix["force"] == mix_force],
        categories=categories,
    )
    weighted = table.dropna(subset=["weight"])
    return SeverityWeights(
        force=force,
        mix_force=mix_force,
        weights=dict(zip(weighted["category"], weighted["weight"].astype(float), strict=True)),
        table=table,
        method=str(table.attrs["method"]) + f" ({mix_force}, {MIX_YEAR})",
    )
