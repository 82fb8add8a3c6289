"""Shared test setup: the reference package ``nnlayers`` is imported from ``solutions/``."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
STARTER = ROOT / "starter"

if str(SOLUTIONS) not in sys.path:
    sys.path.insert(0, str(SOLUTIONS))
