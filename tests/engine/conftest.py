"""Fixtures for the engine tests; helpers live in engine_support.py."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import engineer


@pytest.fixture
def three_engineers() -> list[dict[str, Any]]:
    """alice, bob and carol, no skills, no history."""
    return [engineer("alice"), engineer("bob"), engineer("carol")]
