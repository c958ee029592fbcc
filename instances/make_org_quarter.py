"""Write instances/org-quarter.json: the organisation README's `rotasat compare` runs on.

Three product teams, each with its own support model and allocation pattern, a dedicated
support team and an L3 team, over a quarter (91 days from Monday 2027-01-04) with daily
rotations, two-week sprints, leave, bank holidays of England and 360 escalated incidents, all
drawn by the seeded generator, so this script always writes the same file:

    .venv/bin/python instances/make_org_quarter.py

| team | support model | allocation |
|---|---|---|
| platform | team (its own engineers) | rotating owner (whoever holds the primary duty) |
| payments | builders (whoever built the system, on any team) | most qualified |
| data | tiered (L1/L2 to the support team, L3 to the L3 team) | optimised |
| support | the dedicated support team (kind 'dedicated', reserve 80%) | |
| l3-support | the L3 team (kind 'l3', reserve 60%) | |
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rotasat.models import Instance, parse
from rotasat.models.generator import document, generate

SEED = 2027
PATH = Path(__file__).resolve().parent / "org-quarter.json"


def org_quarter() -> Instance:
    instance = generate(
        3,
        8,
        91,
        SEED,
        start=dt.date(2027, 1, 4),
        leave_rate=0.35,
        sick_rate=0.15,
        incidents=360,
        sprint_days=14,
        dedicated=True,
        l3_team=True,
        policies="mixed",
        zone="Europe/London",
    )
    return instance.model_copy(
        update={
            "name": "org-quarter",
            "description": (
                "An organisation over a quarter (91 days from 2027-01-04), written by "
                f"instances/make_org_quarter.py with generator seed {SEED}: three product teams "
                "with different support models and allocation patterns (platform: team + "
                "rotating owner; payments: builders + most qualified; data: tiered, L3 to the "
                "L3 team + optimised), a dedicated support team and an L3 team; daily "
                "rotations, two-week sprints, leave, bank holidays of England, 360 incidents."
            ),
        }
    )


def main() -> None:
    data = document(org_quarter())
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if parse(Instance, json.loads(text), str(PATH)) != org_quarter():
        raise SystemExit("the instance does not load back identically")
    PATH.write_text(text, encoding="utf-8")
    print(f"wrote {PATH}")


if __name__ == "__main__":
    main()
