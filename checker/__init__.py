"""The independent checker: judges a schedule against docs/semantics.md without the solver.

It imports neither ortools nor rotasat.engine; every hard rule, objective term and figure is
recomputed from the instance, the assignment records and who handles each incident.
"""

from .evaluate import CheckResult, check_solution, evaluate
from .load import load_points

__all__ = ["CheckResult", "check_solution", "evaluate", "load_points"]
