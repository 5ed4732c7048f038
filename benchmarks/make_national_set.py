"""Make the synthetic national data set for scale benchmarks (never committed).

Every police force area in England and Wales (43) x 36 months, in police.uk's own
street-level file layout (``YYYY-MM/YYYY-MM-<force>-street.csv``, the same 12 columns),
at each force's real volume. **Synthetic, for scale only**: no figure made from it means
anything about any place.

How a row is made
-----------------
* **Volume.** Each force's recorded crime (excluding fraud) for a year is the Home Office
  police recorded crime by force area, 2017/18 (``reference/recorded_crime``); a force not
  matched by name there gets the national rate per resident times its Census 2021
  population. ASB is added at the ratio of ASB to crime rows in the real police.uk months
  held. Each month's volume follows the seasonal shape of the real months.
* **What happened.** Each row's crime type, last outcome and context is drawn (with
  replacement) from the rows of one real police.uk month (the real months held, cycled):
  the mix of categories and outcomes is real, only the place is synthetic.
* **Where.** The row's LSOA 2021 is drawn from the force area's LSOAs in proportion to
  Census 2021 usual residents; its point is one of a fixed pool of points inside that
  LSOA's boundary (police.uk snaps points to a set of anonymised map points, so a pool
  keeps repeat locations realistic). A share of rows (the real no-location share) has no
  location, as police.uk publishes them.
* **Keys.** Crime rows get a random 64-hex Crime ID; ASB rows have none, as in police.uk.

Randomness comes only from ``--seed``. Usage::

    .venv/bin/python benchmarks/make_national_set.py --out var/national
    .venv/bin/python benchmarks/make_national_set.py --out /tmp/n --forces E23000018 \\
        --months 2 --scale 0.01

It prints rows per force and in all, and writes ``manifest.json`` beside the files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
ASB = "Anti-social behaviour"
POINTS_PER_LSOA = 24
NOT_POLICE_UK = {"Action Fraud", "CIFAS", "UK Finance", "Financial Fraud Action UK"}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("&", "and"))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def load_geography(data_dir: Path) -> pd.DataFrame:
    """One row per LSOA 2021: code, name, force area code and name, residents."""
    lsoa = pd.read_csv(data_dir / "geography/lookups/national/lookup_lsoa21_ward24_ltla24.csv")
    lad = pd.read_csv(data_dir / "geography/lookups/national/lookup_ltla24_csp24_pfa24.csv")
    pop = pd.read_csv(data_dir / "reference/population/census2021_usual_residents_lsoa21_EW.csv")
    frame = lsoa.merge(lad[["ltla24_code", "pfa24_code", "pfa24_name"]], on="ltla24_code")
    frame = frame.merge(pop[["lsoa21_code", "census2021_usual_residents"]], on="lsoa21_code")
    return frame[
        ["lsoa21_code", "lsoa21_name", "pfa24_code", "pfa24_name", "census2021_usual_residents"]
    ].reset_index(drop=True)


def snap_points(
    data_dir: Path, codes: list[str], rng: np.random.Generator, cache: Path
) -> dict[str, np.ndarray]:
    """A fixed pool of points inside each LSOA's boundary (lon, lat), cached on disk."""
    if cache.exists():
        stored = np.load(cache, allow_pickle=False)
        if set(codes) <= set(stored["codes"]):
            index = {c: i for i, c in enumerate(stored["codes"])}
            return {c: stored["points"][index[c]] for c in codes}
    wanted = set(codes)
    features = json.loads((data_dir / "geography/national/lsoa2021_bsc_v4_EW.geojson").read_text())
    pools: dict[str, np.ndarray] = {}
    for feature in features["features"]:
        code = feature["properties"]["lsoa21_code"]
        if code not in wanted:
            continue
        geom = shapely.from_geojson(json.dumps(feature["geometry"]))
        minx, miny, maxx, maxy = geom.bounds
        found = np.empty((0, 2))
        while len(found) < POINTS_PER_LSOA:
            xs = rng.uniform(minx, maxx, POINTS_PER_LSOA * 8)
            ys = rng.uniform(miny, maxy, POINTS_PER_LSOA * 8)
            inside = shapely.contains_xy(geom, xs, ys)
            found = np.vstack([found, np.column_stack([xs[inside], ys[inside]])])
        pools[code] = np.round(found[:POINTS_PER_LSOA], 6)
    ordered = sorted(pools)
    np.savez(cache, codes=np.array(ordered), points=np.stack([pools[c] for c in ordered]))
    return pools


def real_months(data_dir: Path) -> list[pd.DataFrame]:
    """The real police.uk months held, in order, each as its rows' type/outcome/context."""
    months: dict[str, list[pd.DataFrame]] = {}
    for path in sorted((data_dir / "police_uk").glob("*/*/*-street.csv")):
        frame = pd.read_csv(
            path,
            usecols=["Month", "Crime type", "Last outcome category", "Context", "LSOA code"],
            dtype=str,
            keep_default_na=False,
        )
        months.setdefault(path.parent.name, []).append(frame)
    return [pd.concat(parts, ignore_index=True) for _, parts in sorted(months.items())]


def force_volumes(data_dir: Path, geography: pd.DataFrame, crimes_per_resident: float) -> dict:
    """Yearly recorded crime (excluding fraud) per force area code, and how it was found."""
    prc = pd.read_csv(data_dir / "reference/recorded_crime/prc-pfa-2017-18.csv", dtype=str)
    prc = prc[~prc["Force Name"].isin(NOT_POLICE_UK)]
    prc = prc[~prc["Offence Group"].str.contains("Fraud", case=False, na=False)]
    prc["n"] = pd.to_numeric(prc["Number of Offences"].str.strip(), errors="coerce").fillna(0)
    by_name = prc.groupby(prc["Force Name"].map(_norm))["n"].sum().to_dict()
    forces = geography.groupby(["pfa24_code", "pfa24_name"])["census2021_usual_residents"].sum()
    volumes = {}
    for (code, name), residents in forces.items():
        key = _norm(name)
        if key in by_name:
            volumes[code] = (name, float(by_name[key]), "Home Office recorded crime 2017/18")
        else:
            volumes[code] = (name, residents * crimes_per_resident, "national rate x residents")
    return volumes


def month_labels(count: int, last: str = "2024-12") -> list[str]:
    end = pd.Period(last, freq="M")
    return [str(end - i) for i in range(count - 1, -1, -1)]


def crime_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    raw = rng.bytes(32 * n)
    return np.array([raw[i * 32 : (i + 1) * 32].hex() for i in range(n)], dtype=object)


def make_force_month(
    *,
    rng: np.random.Generator,
    source: pd.DataFrame,
    n_crime: int,
    n_asb: int,
    lsoas: pd.DataFrame,
    pools: dict[str, np.ndarray],
    month: str,
    force_name: str,
    no_location_share: float,
) -> pd.DataFrame:
    """One synthetic police.uk file's rows."""
    is_asb = (source["Crime type"] == ASB).to_numpy()
    crime_src = source[~is_asb]
    asb_src = source[is_asb]
    picked = pd.concat(
        [
            crime_src.iloc[rng.integers(0, len(crime_src), n_crime)],
            asb_src.iloc[rng.integers(0, len(asb_src), n_asb)] if len(asb_src) else asb_src,
        ],
        ignore_index=True,
    )
    n = len(picked)
    weights = lsoas["census2021_usual_residents"].to_numpy(dtype=float)
    chosen = rng.choice(len(lsoas), size=n, p=weights / weights.sum())
    codes = lsoas["lsoa21_code"].to_numpy()[chosen]
    names = lsoas["lsoa21_name"].to_numpy()[chosen]
    slot = rng.integers(0, POINTS_PER_LSOA, n)
    points = np.stack([pools[c][s] for c, s in zip(codes, slot, strict=True)]) if n else None
    out = pd.DataFrame(
        {
            "Crime ID": np.where(picked["Crime type"] == ASB, "", crime_ids(rng, n)),
            "Month": month,
            "Reported by": force_name,
            "Falls within": force_name,
            "Longitude": points[:, 0] if n else [],
            "Latitude": points[:, 1] if n else [],
            "Location": [f"On or near Synthetic Place {c[-5:]}-{s}" for c, s in zip(codes, slot)],
            "LSOA code": codes,
            "LSOA name": names,
            "Crime type": picked["Crime type"].to_numpy(),
            "Last outcome category": picked["Last outcome category"].to_numpy(),
            "Context": picked["Context"].to_numpy(),
        },
        columns=COLUMNS,
    )
    nowhere = rng.random(n) < no_location_share
    out["Longitude"] = out["Longitude"].astype(object)
    out["Latitude"] = out["Latitude"].astype(object)
    out.loc[nowhere, ["Longitude", "Latitude", "LSOA code", "LSOA name"]] = ""
    out.loc[nowhere, "Location"] = "No Location"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the files")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--last-month", default="2024-12")
    parser.add_argument("--forces", nargs="*", help="force area codes (E23...); default all")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every volume")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    rng = np.random.default_rng(args.seed)
    geography = load_geography(args.data_dir)
    if args.forces:
        geography = geography[geography["pfa24_code"].isin(args.forces)]
        if geography.empty:
            parser.error(f"no force area among {args.forces}")
    sources = real_months(args.data_dir)
    if not sources:
        parser.error("no police.uk files found under the data folder")
    all_rows = pd.concat(sources, ignore_index=True)
    asb_ratio = (all_rows["Crime type"] == ASB).sum() / (all_rows["Crime type"] != ASB).sum()
    no_location_share = float((all_rows["LSOA code"] == "").mean())
    sizes = np.array([len(s) for s in sources], dtype=float)
    seasonal = sizes / sizes.mean()
    # The national rate: the real forces' crime rows per resident, over the months held.
    real_crimes_per_year = (all_rows["Crime type"] != ASB).sum() * 12 / len(sources)
    everywhere = load_geography(args.data_dir)
    held = {_norm(p.name) for p in (args.data_dir / "police_uk").iterdir() if p.is_dir()}
    residents_held = everywhere.loc[
        everywhere["pfa24_name"].map(_norm).isin(held), "census2021_usual_residents"
    ].sum()
    volumes = force_volumes(args.data_dir, geography, real_crimes_per_year / residents_held)

    args.out.mkdir(parents=True, exist_ok=True)
    pools = snap_points(
        args.data_dir,
        geography["lsoa21_code"].tolist(),
        rng,
        args.out / "snap_points.npz",
    )
    labels = month_labels(args.months, args.last_month)
    manifest: dict[str, dict] = {}
    total = 0
    for code, (name, per_year, how) in sorted(volumes.items()):
        lsoas = geography[geography["pfa24_code"] == code].reset_index(drop=True)
        force_name = f"{name} Police"
        rows_written = 0
        for i, month in enumerate(labels):
            k = i % len(sources)
            n_crime = int(round(per_year / 12 * seasonal[k] * args.scale))
            n_asb = int(round(n_crime * asb_ratio))
            frame = make_force_month(
                rng=rng,
                source=sources[k],
                n_crime=n_crime,
                n_asb=n_asb,
                lsoas=lsoas,
                pools=pools,
                month=month,
                force_name=force_name,
                no_location_share=no_location_share,
            )
            folder = args.out / month
            folder.mkdir(exist_ok=True)
            frame.to_csv(folder / f"{month}-{slug(name)}-street.csv", index=False)
            rows_written += len(frame)
        manifest[code] = {"force": force_name, "rows": rows_written, "volume_from": how}
        total += rows_written
        print(f"{code} {force_name}: {rows_written:,} rows ({how})", flush=True)
    (args.out / "manifest.json").write_text(
        json.dumps(
            {
                "synthetic": True,
                "seed": args.seed,
                "months": labels,
                "scale": args.scale,
                "total_rows": total,
                "forces": manifest,
            },
            indent=2,
        )
    )
    print(f"{total:,} rows in {len(labels)} months, {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
