"""Make the suite's helper module (``_robust``) importable from its test files.

pytest runs in importlib mode, so test directories are not on ``sys.path``;
the helpers live in ``_robust.py`` next to the tests that use them.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
