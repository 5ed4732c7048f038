from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command


def test_analyse_spc_on_real_police_uk_months(tmp_path: Path, data_dir: Path) -> None:
    frames = [
        pd.read_csv(p, usecols=["Month", "Crime type"])
        for p in sorted((data_dir / "police_uk" / "derbyshire").glob("*/*-street.csv"))[:12]
    ]
    incidents = pd.concat(frames)
    src = tmp_path / "incidents.csv"
    incidents.to_csv(src, index=False)
    out = tmp_path / "spc.json"
    call_command("analyse", "spc", str(src), str(out), option=['where={"Crime type": "Burglary"}'])
    result = json.loads(out.read_text())
    rows = result["rows"]
    assert len(rows) == 12
    expected = (incidents["Crime type"] == "Burglary").sum()
    value_col = "value" if "value" in rows[0] else "count"
    assert sum(r[value_col] for r in rows) == expected


def test_analyse_reports_unknown_method(tmp_path: Path) -> None:
    src = tmp_path / "x.csv"
    src.write_text("a\n1\n")
    with pytest.raises(CommandError, match="unknown method"):
        call_command("analyse", "no-such-method", str(src), str(tmp_path / "y.csv"))


def test_analyse_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="file not found"):
        call_command("analyse", "spc", str(tmp_path / "missing.csv"), str(tmp_path / "y.csv"))
