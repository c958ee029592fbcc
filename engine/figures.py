"""Figures a planner acts on, read off a solved team model."""

from __future__ import annotations

from collections import defaultdict

from rotasat.models import Assignment, EngineerFigures, TeamFigures

from .data import TeamData, preference_matches


def gini(values: list[float]) -> float:
    """0 when everyone carries the same, towards 1 when one engineer carries everything."""
    n = len(values)
    total = sum(values)
    if n < 2 or total <= 0:
        return 0.0
    pairs = sum(abs(a - b) for a in values for b in values)
    return round(pairs / (2 * n * total), 4)


def team_figures(
    data: TeamData, chosen: list[tuple[int, int, int]]
) -> tuple[list[Assignment], list[EngineerFigures], TeamFigures]:
    """Assignments and figures for the (shift, role, engineer) triples chosen."""
    held: dict[int, set[int]] = defaultdict(set)
    gap: dict[int, int] = defaultdict(int)
    staffed: dict[tuple[int, int], int] = defaultdict(int)
    assignments = []
    for s, r, e in sorted(chosen, key=lambda t: (data.shifts[t[0]].start, t[0], t[1], t[2])):
        shift, role = data.shifts[s], data.roles(s)[r]
        held[e].add(s)
        staffed[s, r] += 1
        skills = list(role.required_skills) + [
            k for k in role.preferred_skills if k not in role.required_skills
        ]
        gap[e] += sum(5 - data.engineers[e].skills.get(k, 0) for k in skills)
        assignments.append(
            Assignment(
                shift=shift.id,
                team=data.team.id,
                rotation=shift.rotation,
                shift_type=shift.shift_type,
                role=role.id,
                engineer=data.engineers[e].id,
                start=shift.start,
                end=shift.end,
            )
        )
    engineers = []
    for e, engineer in enumerate(data.engineers):
        mine = held[e]
        burdens = [data.burden[s, e] for s in mine]
        points = sum(b.points for b in burdens)
        engineers.append(
            EngineerFigures(
                engineer=engineer.id,
                team=data.team.id,
                shifts=len(mine),
                hours=round(sum(data.shifts[s].minutes for s in mine) / 60, 2),
                load=points / 10,
                history_load=data.history_points[e] / 10,
                total_load=(points + data.history_points[e]) / 10,
                weekends=len({w for b in burdens for w in b.weekends}),
                holidays=len({h for b in burdens for h in b.holidays}),
                night_hours=round(sum(b.night_minutes for b in burdens) / 60, 2),
                preference_cost=_preference_cost(data, e, mine),
                skill_gap=gap[e],
            )
        )
    totals = [engineers[e].total_load for e in data.fairness_group]
    under = over = 0
    for (s, r), _ in data.eligible.items():
        role = data.roles(s)[r]
        under += max(0, role.head_count - staffed[s, r])
        over += max(0, staffed[s, r] - role.head_count)
    figures = TeamFigures(
        team=data.team.id,
        engineers=len(totals),
        load_min=min(totals, default=0.0),
        load_max=max(totals, default=0.0),
        load_spread=round(max(totals, default=0.0) - min(totals, default=0.0), 1),
        load_mean=round(sum(totals) / len(totals), 2) if totals else 0.0,
        load_gini=gini(totals),
        understaffed=under,
        overstaffed=over,
        preference_cost=sum(f.preference_cost for f in engineers),
        skill_gap=sum(f.skill_gap for f in engineers),
    )
    return assignments, engineers, figures


def _preference_cost(data: TeamData, e: int, held: set[int]) -> int:
    cost = 0
    for pref in data.engineers[e].preferences:
        for s, shift in enumerate(data.shifts):
            if not preference_matches(pref, shift):
                continue
            if (s in held) == (pref.kind == "avoid"):
                cost += pref.weight
    return cost
