"""The file-in, file-out runner."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saferhub.analysis import cli


def write(tmp_path: Path, name: str, frame: pd.DataFrame) -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def test_registry_has_part_a_methods_and_accepts_more(tmp_path: Path) -> None:
    assert {"rates", "change", "spc", "repeat", "harm", "cost", "peers", "prioritise"} <= set(
        cli.METHODS
    )

    def echo(data: pd.DataFrame, options: dict) -> pd.DataFrame:
        return data.assign(tag=options["tag"])

    cli.register("echo_for_test", echo)
    try:
        with pytest.raises(ValueError):
            cli.register("echo_for_test", echo)
        src = write(tmp_path, "in.csv", pd.DataFrame({"a": [1]}))
        cli.run("echo_for_test", src, tmp_path / "out.csv", {"tag": "x"})
        assert pd.read_csv(tmp_path / "out.csv")["tag"].tolist() == ["x"]
    finally:
        del cli.METHODS["echo_for_test"]


def test_unknown_method_and_extension(tmp_path: Path) -> None:
    src = write(tmp_path, "in.csv", pd.DataFrame({"a": [1]}))
    with pytest.raises(KeyError):
        cli.run("nope", src, tmp_path / "o.csv", {})
    with pytest.raises(ValueError):
        cli.run("rates", src, tmp_path / "o.xlsx", {})


def test_rates_csv_and_json(tmp_path: Path) -> None:
    src = write(
        tmp_path,
        "counts.csv",
        pd.DataFrame({"area": ["A", "B"], "count": [10, 30], "population": [5000, 10000]}),
    )
    cli.run("rates", src, tmp_path / "r.csv", {"denominator_year": 2021})
    out = pd.read_csv(tmp_path / "r.csv")
    assert out["rate"].tolist() == pytest.approx([2.0, 3.0])
    assert out["denominator_year"].tolist() == [2021, 2021]
    cli.run("rates", src, tmp_path / "r.json", {"denominator_year": "mid-2022"})
    payload = json.loads((tmp_path / "r.json").read_text())
    assert payload["method"] == "rates"
    assert payload["attrs"]["denominator_year"] == "mid-2022"
    assert payload["rows"][1]["area"] == "B"
    with pytest.raises(ValueError):
        cli.run("rates", src, tmp_path / "r.csv", {})


def test_change_counts_mode(tmp_path: Path) -> None:
    src = write(
        tmp_path,
        "c.csv",
        pd.DataFrame({"issue": ["x", "y"], "before": [100, 50], "after": [160, 52]}),
    )
    cli.run("change", src, tmp_path / "c.json", {"id_col": "issue", "method": "e-test"})
    rows = json.loads((tmp_path / "c.json").read_text())["rows"]
    assert rows[0]["issue"] == "x" and rows[0]["significant"] is True
    assert rows[1]["interpretation"].startswith("no significant change")
    # JSON has no infinity: an unbounded interval is written as null
    zero = write(tmp_path, "z.csv", pd.DataFrame({"before": [0], "after": [7]}))
    cli.run("change", zero, tmp_path / "z.json", {})
    text = (tmp_path / "z.json").read_text()
    assert "Infinity" not in text and "NaN" not in text
    row = json.loads(text)["rows"][0]
    assert row["ratio_upper"] is None and row["percent_change"] is None


def test_cost_counts_rows_when_no_count_column(tmp_path: Path) -> None:
    incidents = pd.DataFrame({"group": ["Rape", "Rape", "Theft from vehicle", "Homicide"]})
    src = write(tmp_path, "i.csv", incidents)
    cli.run("cost", src, tmp_path / "cost.json", {"group_col": "group"})
    payload = json.loads((tmp_path / "cost.json").read_text())
    assert payload["attrs"]["total_cost_gbp"] == 2 * 39360 + 870
    assert payload["attrs"]["uncosted_groups"] == ["Homicide"]
    cli.run(
        "cost",
        src,
        tmp_path / "cost.csv",
        {"group_col": "group", "index_ratio": 1.1, "to_price_year": "2023/24"},
    )
    out = pd.read_csv(tmp_path / "cost.csv")
    assert out.loc[out["offence_group"] == "Rape", "total_cost_gbp"].iloc[0] == pytest.approx(
        2 * 39360 * 1.1
    )


def test_harm_needs_weights_and_uses_them(tmp_path: Path) -> None:
    src = write(tmp_path, "h.csv", pd.DataFrame({"code": ["A", "A", "B"]}))
    weights = write(tmp_path, "w.csv", pd.DataFrame({"code": ["A", "B"], "weight": [10.0, 1.0]}))
    cli.run(
        "harm",
        src,
        tmp_path / "h.json",
        {"group_col": "code", "weights_path": str(weights), "population": 1000},
    )
    assert json.loads((tmp_path / "h.json").read_text())["attrs"]["css"] == pytest.approx(21.0)
    # default: the shipped weights, keyed by Home Office offence code
    codes = write(tmp_path, "codes.csv", pd.DataFrame({"ho_code": ["2", "8N", "8N", "46"]}))
    cli.run("harm", codes, tmp_path / "shipped.json", {"group_col": "ho_code"})
    attrs = json.loads((tmp_path / "shipped.json").read_text())["attrs"]
    assert attrs["total_harm"] == pytest.approx(4663 + 2 * 184)
    assert attrs["unweighted_offences"] == ["46"]


def test_peers_prioritise_and_repeat_victims(tmp_path: Path) -> None:
    fam = write(
        tmp_path,
        "f.csv",
        pd.DataFrame(
            {"area": ["A", "B", "C"], "count": [10, 40, 20], "population": [1e4, 1e4, 1e4]}
        ),
    )
    cli.run("peers", fam, tmp_path / "p.csv", {})
    assert pd.read_csv(tmp_path / "p.csv")["rank"].tolist() == [3, 1, 2]
    issues = write(
        tmp_path, "m.csv", pd.DataFrame({"issue": ["a", "b"], "volume": [1, 2], "harm": [3, 1]})
    )
    cli.run("prioritise", issues, tmp_path / "m.csv", {"weights": {"harm": 2}})
    assert pd.read_csv(tmp_path / "m.csv")["issue"].tolist() == ["a", "b"]
    victims = write(tmp_path, "v.csv", pd.DataFrame({"victim": [1, 1, 2, 3, 3, 3]}))
    cli.run("repeat", victims, tmp_path / "v.csv", {"victim_col": "victim"})
    table = pd.read_csv(tmp_path / "v.csv")
    assert table.loc[0, "repeat_victims"] == 2 and table.loc[0, "total_victims"] == 3
    dated = write(
        tmp_path,
        "vd.csv",
        pd.DataFrame(
            {"victim": [1, 1, 2, 2], "date": ["2022-01", "2024-01", "2024-02", "2024-03"]}
        ),
    )
    cli.run("repeat", dated, tmp_path / "vd.json", {"victim_col": "victim", "date_col": "date"})
    payload = json.loads((tmp_path / "vd.json").read_text())
    assert payload["attrs"]["window_start"] == "2023-04"
    assert payload["rows"][0]["repeat_victims"] == 1


def test_spc_counts_mode(tmp_path: Path) -> None:
    src = write(
        tmp_path,
        "s.csv",
        pd.DataFrame({"month": [f"2024-{m:02d}" for m in range(1, 13)], "n": [20] * 11 + [60]}),
    )
    cli.run("spc", src, tmp_path / "s.csv", {"value_col": "n", "label_col": "month"})
    out = pd.read_csv(tmp_path / "s.csv")
    assert out["rule_outside_limits"].tolist() == [False] * 11 + [True]


def test_real_police_uk_c_chart_and_repeat_locations(police_uk_dir: Path, tmp_path: Path) -> None:
    frames = [
        pd.read_csv(path) for path in sorted(police_uk_dir.glob("2024-*/*-derbyshire-street.csv"))
    ]
    src = write(tmp_path, "derbyshire_2024.csv", pd.concat(frames, ignore_index=True))
    cli.run(
        "spc",
        src,
        tmp_path / "shoplifting.json",
        {"where": {"Crime type": "Shoplifting"}, "chart": "c"},
    )
    payload = json.loads((tmp_path / "shoplifting.json").read_text())
    rows = payload["rows"]
    assert [r["period"] for r in rows] == [f"2024-{m:02d}" for m in range(1, 13)]
    values = np.array([r["value"] for r in rows])
    data = pd.concat(frames, ignore_index=True)
    assert values.sum() == (data["Crime type"] == "Shoplifting").sum()
    assert payload["attrs"]["centre"] == pytest.approx(values.mean())
    assert payload["attrs"]["filter"] == {"Crime type": "Shoplifting"}
    cli.run(
        "change",
        src,
        tmp_path / "change.csv",
        {
            "date_col": "Month",
            "group_col": "Crime type",
            "before": "2024-01:2024-06",
            "after": "2024-07:2024-12",
        },
    )
    change = pd.read_csv(tmp_path / "change.csv")
    assert len(change) == 14
    assert (change["before"] + change["after"]).sum() == len(data)
    cli.run(
        "repeat",
        src,
        tmp_path / "rl.csv",
        {"where": {"Crime type": "Burglary"}, "window_months": 12},
    )
    locations = pd.read_csv(tmp_path / "rl.csv")
    assert locations["incidents"].sum() == (data["Crime type"] == "Burglary").sum()
