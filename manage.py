#!/usr/bin/env python
"""Django's manage.py, for those who expect it; ``saferhub`` is the same thing."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from saferhub.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
