"""compare: optimised policies start from the best fixed-pattern schedule, so they never end
worse than a pattern they could have copied (same weights, same support model)."""

from __future__ import annotations

from rotasat.api.compare import compare
from rotasat.models import SolveParameters
from rotasat.models.generator import generate


def test_optimised_is_never_worse_than_the_fixed_patterns():
    instance = generate(2, 6, 28, seed=5, incidents=40, sprint_days=14)
    table = compare(instance, ["round-robin", "most-qualified", "optimised"],
                    SolveParameters(time_limit=1.0))
    objective = {p.name: p.objective for p in table.policies}
    assert all(value is not None for value in objective.values())
    assert objective["optimised"] <= min(objective["round-robin"], objective["most-qualified"])
