"""Nothing in src/ names a particular police force, partnership or local authority.

The names are taken from the ONS LAD -> CSP -> police force area lookup (every LAD, CSP
and force area name of England and Wales), matched as whole words, case-sensitive.
Allowed: the demo modules (files named ``demo.py``: the demo's choices live there),
migrations (history), vendored files, and a line that cites a published source and says
so with the marker ``place-name: cited`` on the line, or in a comment on the line before
(a report's title or a publisher's town).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
LOOKUP = "geography/lookups/national/lookup_ltla24_csp24_pfa24.csv"
SUFFIXES = {".py", ".html", ".txt", ".md", ".json", ".css"}
SKIP_PARTS = {"migrations", "vendor", "node_modules", "__pycache__"}
MARKER = "place-name: cited"
# Names that are also ordinary English words at the start of a sentence.
GENERIC_WORDS = {"Reading"}
# Not yet generic (listed so that nothing new is added; remove as each is made generic).
PENDING: set[tuple[str, str]] = set()


def place_names(data_dir: Path) -> set[str]:
    lookup = pd.read_csv(data_dir / LOOKUP)
    names = set(lookup["ltla24_name"]) | set(lookup["csp24_name"]) | set(lookup["pfa24_name"])
    return {n for n in names if isinstance(n, str) and n} - GENERIC_WORDS


def scanned_files() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*")
        if p.is_file()
        and p.suffix in SUFFIXES
        and p.name != "demo.py"
        and not SKIP_PARTS.intersection(p.parts)
    )


def find_place_names(names: set[str], files: list[Path], root: Path = SRC) -> list[str]:
    pattern = re.compile(
        r"(?<![A-Za-z])("
        + "|".join(sorted(map(re.escape, names), key=len, reverse=True))
        + r")(?![A-Za-z])"
    )
    found = []
    for path in files:
        relative = str(path.relative_to(root))
        previous = ""
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            cited = MARKER in line or (MARKER in previous and previous.strip().startswith("#"))
            previous = line
            if cited:
                continue
            for match in pattern.finditer(line):
                if (relative, match.group(1)) not in PENDING:
                    found.append(f"{relative}:{number}: {match.group(1)}")
    return found


def test_no_place_names_in_src(data_dir: Path) -> None:
    found = find_place_names(place_names(data_dir), scanned_files())
    assert not found, "Place names in src/ (move them to the demo):\n" + "\n".join(found)


def test_the_scan_finds_a_name(data_dir: Path, tmp_path: Path) -> None:
    names = place_names(data_dir)
    assert {"Derby", "South Nottinghamshire", "Nottinghamshire"} <= names and len(names) > 300
    sample = tmp_path / "probe.py"
    sample.write_text(
        'NAME = "Safer Nottingham"  # Readingly\nOK = "Derbyshires"\n'
        'CITED = "the Derby report"  # place-name: cited\n'
    )
    assert find_place_names(names, [sample], tmp_path) == ["probe.py:1: Nottingham"]


@pytest.mark.parametrize("word", sorted(GENERIC_WORDS))
def test_generic_words_are_names(word: str, data_dir: Path) -> None:
    lookup = pd.read_csv(data_dir / LOOKUP)
    assert word in set(lookup["ltla24_name"])
