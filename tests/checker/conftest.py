"""Named instances for the checker tests (see checker_support.build for the base)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from checker_support import build
from rotasat.models import Instance

PRIMARY = {"id": "primary", "required_skills": {"linux": 3}}


@pytest.fixture
def make() -> Callable[..., Instance]:
    """build(): the base instance with changes."""
    return build


@pytest.fixture
def tiny() -> Instance:
    """The base: ops, one daily primary, alice (linux 5), bob (4), carol (3), Mon–Sun."""
    return build()


@pytest.fixture
def pair_roles() -> Instance:
    """The base with a second role, 'secondary', on the daily rotation."""
    return build(
        rotation={"roles": [PRIMARY, {"id": "secondary"}]}
    )


@pytest.fixture
def with_business() -> Instance:
    """The base plus 'business': a window rotation 10:00–18:00 UTC on weekdays, role
    'responder', so its shifts overlap the daily turn."""
    return build(
        rotations=[
            {
                "id": "business",
                "timezone": "UTC",
                "pattern": {
                    "kind": "windows",
                    "windows": [{"name": "day", "start": "10:00", "hours": 8}],
                    "days": ["mon", "tue", "wed", "thu", "fri"],
                },
                "roles": [{"id": "responder"}],
            }
        ]
    )


@pytest.fixture
def two_teams() -> Instance:
    """The base plus team 'web' with engineer wendy and its own daily rotation 'webcall'."""
    return build(
        teams=[
            {
                "id": "web",
                "engineers": [{"id": "wendy"}],
                "rotations": [
                    {
                        "id": "webcall",
                        "timezone": "UTC",
                        "pattern": {"kind": "daily"},
                        "roles": [{"id": "primary"}],
                    }
                ],
            }
        ]
    )


@pytest.fixture
def early_late() -> Instance:
    """The base's daily rotation replaced by 'shifts': windows early 06:00–14:00 and late
    14:00–22:00 UTC every day, role primary."""
    return build(
        rotation={
            "id": "shifts",
            "pattern": {
                "kind": "windows",
                "windows": [
                    {"name": "early", "start": "06:00", "hours": 8},
                    {"name": "late", "start": "14:00", "hours": 8},
                ],
            },
        }
    )


@pytest.fixture
def london_spring() -> Instance:
    """A London daily turn over the week of the spring clock change (Sunday 2027-03-28)."""
    return build(
        horizon={"start": "2027-03-22", "days": 7},
        team={"timezone": "Europe/London"},
        rotation={"timezone": "Europe/London"},
    )
