"""The CP-SAT engine: one sub-model per team, solved by `solve()`.

Table of contents:
- data.py         index maps: eligibility, load per shift and engineer, time clashes
- variables.py    assignment and hold literals
- constraints.py  coverage and one duty at a time
- rules.py        the team's rules, hard or soft, one function per family
- objective.py    fairness, preferences, skill and the priced terms
- model.py        one team's model, assembled in that order
- solve.py        time sharing across teams, progress, the result
- explain.py      why an infeasible team has no schedule
- baseline.py     the fixed-order rotation an on-call tool would render
"""

from .solve import Progress, solve

__all__ = ["Progress", "solve"]
