"""Which source files hold the public site's strings, and the strings they hold.

Used by the test that fails on an untranslated public string, and by whoever adds a
language: every string listed here needs a translation in ``locale/<code>/``.
"""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PUBLIC_SOURCES = [
    "public/templates/public",
    "public/apps.py",
    "public/selectors.py",
    "public/charts.py",
    "public/templatetags/public_format.py",
    "public/forms.py",
    "performance/public.py",
    "incidents/public.py",
    "cases/public.py",
    "cases/templates/cases/public",
]

_TEMPLATE = re.compile(r"""\{%\s*translate\s+(["'])(.*?)\1\s*%\}""")
_BLOCK = re.compile(
    r"\{%\s*blocktranslate(?:\s+with\s[^%]*)?\s*%\}(.*?)\{%\s*endblocktranslate\s*%\}", re.S
)
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_PYTHON = re.compile(r"""(?<![A-Za-z0-9_])_\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\)""", re.S)
_PIECE = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def public_strings() -> list[str]:
    """Every msgid of the public site, in source order, without repeats."""
    found: dict[str, None] = {}
    for rel in PUBLIC_SOURCES:
        path = PACKAGE_DIR / rel
        files = sorted(path.rglob("*.html")) if path.is_dir() else [path]
        for file in files:
            if not file.exists():
                continue
            text = file.read_text(encoding="utf-8")
            if file.suffix == ".html":
                for match in _TEMPLATE.finditer(text):
                    # Django looks a template literal up with "%" doubled.
                    found[_unescape(match.group(2)).replace("%", "%%")] = None
                for match in _BLOCK.finditer(text):
                    # Django's msgid for a block: "%" doubled, {{ name }} as %(name)s.
                    body = match.group(1).replace("%", "%%")
                    found[_VARIABLE.sub(r"%(\1)s", body)] = None
            else:
                for match in _PYTHON.finditer(text):
                    found["".join(_unescape(p) for p in _PIECE.findall(match.group(1)))] = None
    return list(found)
