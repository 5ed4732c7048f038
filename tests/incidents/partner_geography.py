"""The geography partner-import tests need: the ONS lookup for Derbyshire's 651 LSOAs and
Derby's LSOA boundaries, loaded from the real files in the shared data folder."""

from __future__ import annotations

import json
from pathlib import Path

from saferhub.geography.models import Area, Lsoa
from tests.incidents.partner_files import DERBY, derby_boundaries, lookup_rows


def load_test_geography(data_dir: Path) -> None:
    rows = lookup_rows(data_dir)
    Lsoa.objects.bulk_create(
        [
            Lsoa(
                code=r["LSOA21CD"],
                name=r["LSOA21NM"],
                ward_code=r["WD23CD"],
                ward_name=r["WD23NM"],
                lad_code=r["LAD23CD"],
                lad_name=r["LAD23NM"],
            )
            for r in rows
        ]
    )
    known = {r["LSOA21CD"] for r in rows if r["LAD23CD"] == DERBY}
    geometries = {c: g for c, g in derby_boundaries(data_dir).items() if c in known}
    # The 2021 LSOAs made by splitting 2011 ones have their own 2021 boundaries.
    for path in sorted((data_dir / "geography" / "lsoa2021_bgc_split_lsoas").glob("*.geojsonl")):
        if path.stem in known:
            geometries[path.stem] = json.loads(path.read_text(encoding="utf-8"))["geometry"]
    Area.objects.bulk_create(
        [
            Area(code=code, name=code, level="lsoa", vintage=2021, geometry=json.dumps(geometry))
            for code, geometry in geometries.items()
        ]
    )
