"""bench/pricing.py: what it says the priced root's mix is made of adds up to the master's
value (shortfalls and surplus at the benchmark's cover weights, plus the rosters' own costs)."""

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rotasat.engine import columns
from rotasat.engine.data import build_team_data
from rotasat.models import Instance
from rotasat.models.nrp import import_file

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "pricing.py"
INSTANCE1 = ROOT / "tests" / "fixtures" / "Instance1.txt"  # the benchmark's Instance1


def test_the_mix_splits_the_masters_value_into_cover_and_the_rosters_own_costs():
    spec = importlib.util.spec_from_file_location("pricing", SCRIPT)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    instance = Instance.model_validate(import_file(INSTANCE1))
    data = build_team_data(instance, instance.teams[0])
    dive = tool.root_from_first_pass(data, 1.0, cp_sat=False)
    assert all(model.programme is not None for model in dive.models.values())
    with ThreadPoolExecutor(columns.THREADS) as pool:
        master = dive._price(pool, None, lambda: 60.0, lambda: False)
    assert master is not None and dive.priced
    value, _, _, mix = master
    short, surplus, own = tool.mix_figures(data, dive, mix)
    # Instance1 covers every shift at 100 a head short and 1 a head over; its optimum is 607
    assert abs(100 * short + surplus + own - value) < 1e-6
    assert own >= 0 and value <= 607
