"""Shared helpers for the analysis benchmarks: machine facts and real points."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from saferhub.analysis.grid import wgs84_to_bng  # noqa: E402

DATA_DIR = REPO_ROOT.parent / "shared" / "data"
POLICE_DIR = DATA_DIR / "police_uk" / "derbyshire"


def machine() -> dict[str, Any]:
    """CPU count and model, memory, Python, load average."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except OSError:
        memory = "unknown"
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "memory": memory,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average_1min": os.getloadavg()[0],
    }


def derbyshire_points(year: str = "2024") -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """police.uk Derbyshire points for a year in BNG metres, with month numbers."""
    files = sorted(POLICE_DIR.glob(f"{year}-*/{year}-*-derbyshire-street.csv"))
    if not files:
        return None
    df = pd.concat(
        [pd.read_csv(f, usecols=["Month", "Longitude", "Latitude"]) for f in files],
        ignore_index=True,
    )
    x, y = wgs84_to_bng(df["Longitude"].to_numpy(), df["Latitude"].to_numpy())
    months = pd.to_datetime(df["Month"], format="%Y-%m").to_numpy().astype("datetime64[D]")
    return x, y, months.astype(np.int64)


def median_time(fn: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median wall time and median CPU time (all threads) of ``runs`` calls, and the last result.

    CPU time is reported because the benchmark machine is shared: wall time
    includes waiting for a core, CPU time does not.
    """
    walls: list[float] = []
    cpus: list[float] = []
    result: Any = None
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    return statistics.median(walls), statistics.median(cpus), result
