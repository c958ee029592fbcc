"""The CP-SAT engine: one sub-model per component of teams, solved by `solve()`.

Table of contents:
- data.py         index maps: eligibility, load per shift and engineer, time clashes
- variables.py    assignment and hold literals
- constraints.py  coverage and one duty at a time
- rules.py        the team's rules, hard or soft, one function per family
- objective.py    fairness, preferences, skill and the priced terms
- incidents.py    incidents against sprint capacity: pools, patterns, reserve, their terms
- slack.py        cheap slack inequalities, reported exactly
- model.py        a team's model, and the component model that joins teams and incidents
- warmstart.py    a greedy first schedule (rotation and incidents) for the hint
- sequential.py   a first schedule built engineer by engineer, where coverage is priced
- columns.py      rosters priced against coverage, and a dive to one roster each
- rosterdp.py     one engineer's cheapest roster by dynamic programming over the days (numba)
- lns.py          a few engineers re-solved at a time, the others fixed
- windows.py      a few days re-solved at a time for the whole team, the rest fixed
- solve.py        time sharing across components, progress, the result
- figures.py      what a planner reads off a schedule
- explain.py      why an infeasible component has no schedule
- baseline.py     the fixed-order rotation an on-call tool would render
"""

from .solve import Progress, solve

__all__ = ["Progress", "solve"]
