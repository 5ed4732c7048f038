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


def test_analyse_wdd(tmp_path: Path) -> None:
    src = tmp_path / "wdd.csv"
    src.write_text(
        "treated_before,treated_after,control_before,control_after,buffer_before,buffer_after,"
        "buffer_control_before,buffer_control_after\n100,60,400,390,80,78,300,295\n"
    )
    out = tmp_path / "wdd.csv.out.csv"
    call_command("analyse", "wdd", str(src), str(out.with_suffix(".csv")))
    result = pd.read_csv(out.with_suffix(".csv"))
    # WDD = (Ta - Tb) - (Ca - Cb) + (Da - Db) - (Ea - Eb) per Wheeler & Ratcliffe (2018).
    assert result.loc[0, "wdd"] == (60 - 100) - (390 - 400) + (78 - 80) - (295 - 300)
    assert "significant" in result.columns


def test_analyse_knox_on_real_points(tmp_path: Path, data_dir: Path) -> None:
    month = pd.read_csv(
        data_dir / "police_uk" / "derbyshire" / "2024-06" / "2024-06-derbyshire-street.csv",
        usecols=["Month", "Longitude", "Latitude", "Crime type"],
    )
    month = month[month["Crime type"] == "Burglary"]
    src = tmp_path / "burglary.csv"
    month.to_csv(src, index=False)
    out = tmp_path / "knox.json"
    call_command("analyse", "knox", str(src), str(out), option=["permutations=19", "seed=7"])
    rows = json.loads(out.read_text())["rows"]
    assert rows, "the Knox table has rows"


def test_analysis_library_imports_no_django() -> None:
    import subprocess
    import sys

    code = "import sys, saferhub.analysis, saferhub.analysis.cli; print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
