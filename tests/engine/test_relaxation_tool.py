"""bench/relaxation.py: the linear relaxation it solves is a relaxation (never above the best
schedule), and it shows what the relaxation gets away with: whole turns shared fractionally."""

import importlib.util
from pathlib import Path

from engine_support import four_engineers, solved
from ortools.linear_solver import pywraplp
from rotasat.engine.data import build_team_data
from rotasat.engine.model import TeamModel
from rotasat.models import Instance

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "relaxation.py"


def relaxation_of(instance: Instance) -> float:
    spec = importlib.util.spec_from_file_location("relaxation", SCRIPT)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    model = TeamModel(build_team_data(instance, instance.teams[0])).model
    lp, _ = tool.relax(tool.as_proto(model))
    assert lp.Solve() == pywraplp.Solver.OPTIMAL
    return float(lp.Objective().Value())


def test_fourteen_turns_over_four_engineers_relax_to_even_loads():
    # 14 daily turns of 240 points over 4 engineers: the best whole split is 4, 4, 3, 3 (cost
    # 720: spread 240, deviation 4 x 120). Relaxed, every engineer holds 3.5 turns, and only
    # the loads' classes (each a multiple of 240, so at least 120 off the mean of 840) bound
    # it: 480, the bound CP-SAT starts from too (test_lns.py)
    instance = four_engineers(days=14)
    assert solved(instance, time_limit=2).objective == 720
    assert relaxation_of(instance) == 480
