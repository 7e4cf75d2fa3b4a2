"""Small hand-written articles for the provenance tests (no third-party text)."""

from __future__ import annotations

import pytest

SOURCE = """The city council approved a new budget on Tuesday after a long debate about road repairs.

The plan sets aside twelve million dollars for fixing bridges and resurfacing streets across the northern district.

Council members who opposed the plan argued that the money should instead fund the public library system.

The mayor is expected to sign the budget next week, and work on the first bridge could begin in the spring.

Residents of the northern district have complained for years about potholes and closed lanes on the main avenue."""

OTHER = """A regional bakery chain announced on Monday that it will open four new shops before the winter holidays.

The company plans to hire about sixty workers, most of them part-time, to staff the counters and the ovens.

Its founder said demand for sourdough bread had doubled since the pandemic began."""

SPUN = """The city council passed a fresh budget on Tuesday following a lengthy argument over road repairs.

The scheme reserves twelve million dollars for mending bridges and repaving roads throughout the northern district.

Council members who rejected the scheme contended that the funds ought to pay for the public library network.

The mayor is anticipated to sign the budget next week, and work on the initial bridge might start in the spring.

People living in the northern district have grumbled for years about potholes and shut lanes on the main avenue."""


@pytest.fixture
def texts() -> dict[str, str]:
    """A source article, an unrelated one, and a synonym-spun rewrite of the source."""
    return {"source": SOURCE, "other": OTHER, "spun": SPUN}
