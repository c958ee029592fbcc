"""bench/pricing.py: the dynamic programme's cheapest roster is the engine's own (its pricing
model, solved by CP-SAT), and keeps every rule of the employee's."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from rotasat.engine.data import build_team_data
from rotasat.engine.sequential import engineer_model
from rotasat.models import Instance
from rotasat.models.nrp import import_file

ROOT = Path(__file__).resolve().parents[2]
INSTANCE1 = ROOT / "tests" / "fixtures" / "Instance1.txt"  # the benchmark's Instance1


def tool():
    spec = importlib.util.spec_from_file_location("pricing", ROOT / "bench" / "pricing.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pricing"] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_every_employees_cheapest_roster_costs_what_the_engine_finds():
    pricing = tool()
    bench = pricing.read(INSTANCE1)
    instance = Instance.model_validate(import_file(INSTANCE1))
    rng = np.random.default_rng(1)
    for k in range(len(bench.employees)):
        dp = pricing.RosterDP(bench, k)
        for _ in range(2):  # prices between an overstaffed shift's and an understaffed one's
            prices = np.round(rng.uniform(-1, 100, (bench.days, len(bench.types))), 1)
            roster, value = dp.cheapest(prices)
            expected, status, _ = pricing.engine_cheapest(instance, bench, k, prices)
            assert status == "OPTIMAL"
            assert value + dp.constant == pytest.approx(expected, abs=1e-3)
            # the value is the roster's own: its requests less its shifts' prices
            assert dp.cost(roster) - sum(prices[d] for d in roster) == pytest.approx(
                expected, abs=1e-3)


def test_the_cheapest_roster_keeps_the_employees_rules_in_the_engines_model():
    pricing = tool()
    bench = pricing.read(INSTANCE1)
    instance = Instance.model_validate(import_file(INSTANCE1))
    data = build_team_data(instance, instance.teams[0])
    first = min(shift.date for shift in data.shifts)
    prices = np.full((bench.days, len(bench.types)), 100.0)  # everything wanted: the most work
    for k, eid in enumerate(bench.employees):
        roster, _ = pricing.RosterDP(bench, k).cheapest(prices)
        own = engineer_model(data, [x.id for x in data.engineers].index(eid))
        duties = {(s, r) for (s, r), _ in own.duties
                  if ((data.shifts[s].date - first).days,
                      bench.types.index(data.shifts[s].shift_type)) in set(roster)}
        assert len(duties) == len(roster)
        # cost_of raises when the roster breaks one of the engineer's rules
        assert own.cost_of(frozenset(duties)) == pricing.RosterDP(bench, k).cost(roster)


def test_a_per_type_maximum_below_the_horizon_is_refused():
    pricing = tool()
    bench = pricing.read(INSTANCE1)
    bench.limits[0] = {**bench.limits[0], "max_shifts": {bench.types[0]: 3}}
    with pytest.raises(ValueError, match="per-type maximum"):
        pricing.RosterDP(bench, 0)
