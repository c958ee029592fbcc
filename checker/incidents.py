"""Incidents judged against docs/semantics.md, "Incidents and sprints".

The decision is only who handles each incident (or that it is deferred): `incident` and
`handler` of each given outcome. Everything else is recomputed: the owner and whether the
incident may interrupt, candidates and the allocation pattern's choice (pools.py, patterns.py),
sprint accounting (sprints.py), SLA and target sprint, and each team's figures and term values.

Hard rules, one function each: outcome records, handler is a candidate, pinned assignee followed,
never deferred (interrupting or pinned), allocation pattern followed, and the sprint reserve.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from rotasat.models.instance import Team
from rotasat.models.solution import IncidentOutcome, SprintFigures, Violation
from rotasat.models.sprints import Sprint
from rotasat.models.support import Incident

from .context import Context, may_hold_a_role
from .patterns import Choice, choices
from .pools import Case, Staff
from .sprints import Books, Ledger, effort_points


@dataclass
class SupportTally:
    """One team's incident and sprint figures, in integers (points are tenths of an hour)."""

    team: Team
    has_sprints: bool = False
    interruption: int = 0  # Σ interruption points of the team's engineer-sprints
    interrupted: int = 0  # engineer-sprints with interruption > 0
    capacity: int = 0
    protected: int = 0
    # over the incidents the team owns:
    handled: int = 0
    deferred: int = 0
    deferral: int = 0  # Σ (5 − priority number) over deferred
    sla_met: int = 0
    sla_missed: int = 0
    expertise: int = 0
    knowledge_gap: int = 0  # the `knowledge` term's value
    knowledge: dict[str, int] = field(default_factory=dict)  # system -> distinct handlers
    # the support group's support points (duty + effort), in team order
    support: dict[str, int] = field(default_factory=dict)


@dataclass
class Judged:
    """What the checker makes of the incidents of one schedule."""

    outcomes: list[IncidentOutcome]
    violations: list[Violation]
    sprints: list[SprintFigures]
    tallies: dict[str, SupportTally]


def _hours(points: int | float) -> str:
    return f"{points / 10:g} h"


def _arrival_day(case: Case) -> dt.date:
    """The arrival date in the owner team's zone."""
    return case.incident.arrival.astimezone(ZoneInfo(case.owner.timezone)).date()


def _violation(rule: str, case: Case, message: str, engineer: str | None = None) -> Violation:
    return Violation(
        rule=rule,
        message=f"incident {case.id}: {message}",
        team=case.owner.id,
        engineer=engineer,
        date=_arrival_day(case),
    )


# --------------------------------------------------------------------------------------------
# Outcome records: each incident decided exactly once, by a known engineer or deferred.

RECORD = "record"


def decisions(
    ctx: Context, staff: Staff, given: list[IncidentOutcome]
) -> tuple[dict[str, str | None], list[Violation]]:
    """incident id -> handler (None: deferred) for each well-formed outcome, and a violation for
    every unknown, repeated or missing incident and every unknown handler."""
    known = {incident.id: incident for incident in ctx.instance.incidents}
    decided: dict[str, str | None] = {}
    first: dict[str, int] = {}
    problems: list[Violation] = []

    def report(message: str, incident: Incident | None, engineer: str | None = None) -> None:
        team = staff.owner(incident).id if incident is not None else None
        problems.append(Violation(rule=RECORD, message=message, team=team, engineer=engineer))

    for index, outcome in enumerate(given):
        incident = known.get(outcome.incident)
        if incident is None:
            report(f"outcome {index}: unknown incident {outcome.incident!r}", None)
            continue
        if outcome.incident in first:
            report(
                f"outcome {index}: incident {incident.id} again (as in outcome "
                f"{first[incident.id]})",
                incident,
            )
            continue
        first[incident.id] = index
        if outcome.handler is not None and outcome.handler not in ctx.engineers:
            report(
                f"outcome {index}: incident {incident.id} handled by unknown engineer "
                f"{outcome.handler!r}",
                incident,
                outcome.handler,
            )
            continue
        decided[incident.id] = outcome.handler
    for incident in ctx.instance.incidents:
        if incident.id not in first:
            report(
                f"incident {incident.id} has no outcome: each incident is handled or deferred "
                "exactly once",
                incident,
            )
    return decided, problems


# --------------------------------------------------------------------------------------------
# Handling and allocation: one function per rule.


def candidate(case: Case, handler: str | None, choice: Choice) -> Violation | None:
    """A handler is a candidate (pinned incidents: see `pinned`)."""
    candidates = case.candidates
    if handler is None or candidates.pinned is not None or handler in candidates:
        return None
    if handler in candidates.pool.members:
        why = "is on leave at the arrival"
    else:
        why = f"is not in the pool ({candidates.pool.label})"
    return _violation("candidate", case, f"{handler} handles it but {why}", handler)


def pinned(case: Case, handler: str | None, choice: Choice) -> Violation | None:
    """A pinned incident is handled by its assignee (or it is deferred: see `never_deferred`)."""
    assignee = case.candidates.pinned
    if assignee is None or handler is None or handler == assignee:
        return None
    return _violation("pinned", case, f"is pinned to {assignee} but {handler} handles it", handler)


def never_deferred(case: Case, handler: str | None, choice: Choice) -> Violation | None:
    """Interrupting and pinned incidents are handled."""
    if handler is not None or not (case.interrupting or case.candidates.pinned is not None):
        return None
    reasons = []
    if case.interrupting:
        incident = case.incident
        reasons.append(f"it may interrupt the sprint ({incident.priority}, {incident.severity})")
    if case.candidates.pinned is not None:
        reasons.append(f"it is pinned to {case.candidates.pinned}")
    if not case.candidates:
        reasons.append(case.candidates.why_none())
    return _violation("never_deferred", case, f"is deferred, but {'; '.join(reasons)}")


def allocation(case: Case, handler: str | None, choice: Choice) -> Violation | None:
    """A candidate handling an unpinned incident is the one the owner's pattern names."""
    if (
        handler is None
        or case.candidates.pinned is not None
        or handler not in case.candidates
        or choice.allowed is None
        or handler in choice.allowed
    ):
        return None
    return _violation(
        "allocation",
        case,
        f"{handler} handles it, but under {case.policy.allocation} {choice.says}",
        handler,
    )


HANDLING = (candidate, pinned, never_deferred, allocation)
PINNED = Choice(None, "a pinned incident is outside the pattern")


def reserve(ledger: Ledger) -> Violation | None:
    """N ≤ max(0, R − D): incidents that may not interrupt fit in what the reserve leaves after
    duty."""
    if ledger.normal <= ledger.room:
        return None
    return Violation(
        rule="reserve",
        message=(
            f"{ledger.engineer} in {ledger.sprint.label}: {_hours(ledger.normal)} of incidents "
            f"that may not interrupt exceed the {_hours(ledger.room)} the reserve leaves after "
            f"duty (reserve {_hours(ledger.reserve)}, duty {_hours(ledger.duty)})"
        ),
        team=ledger.team,
        engineer=ledger.engineer,
        date=ledger.sprint.start,
    )


# --------------------------------------------------------------------------------------------
# Outcomes


def target_sprint(case: Case) -> str:
    """The owner team's sprint after the one containing the arrival date (owner's zone), or
    'backlog' without a cadence."""
    cadence = case.owner.sprints
    if cadence is None:
        return "backlog"
    k = (_arrival_day(case) - cadence.first_start).days // cadence.length_days + 1
    start = cadence.first_start + dt.timedelta(days=k * cadence.length_days)
    return Sprint(k, start, start + dt.timedelta(days=cadence.length_days)).label


def sla_verdict(case: Case, deferred: bool) -> tuple[bool | None, str | None]:
    """(met, why missed): missed when deferred or when the effort exceeds resolve_hours."""
    incident = case.incident
    if incident.sla is None:
        return None, None
    why = []
    if deferred:
        why.append("deferred")
    resolve = incident.sla.resolve_hours
    if resolve is not None and incident.effort_hours > resolve:
        why.append(f"effort {incident.effort_hours:g} h exceeds the resolve-by {resolve:g} h")
    return (not why), ("SLA missed: " + ", ".join(why) if why else None)


def expertise_gap(case: Case, handler: str | None, staff: Staff) -> int:
    """Σ over the required skills of max(0, best candidate level − handler level)."""
    if handler is None:
        return 0
    return sum(
        max(0, staff.best_level(case.candidates, skill) - staff.level(handler, skill))
        for skill in case.incident.required_skills
    )


def _outcome(
    case: Case, handler: str | None, sprint: Sprint | None, staff: Staff, undecided: bool
) -> IncidentOutcome:
    deferred = handler is None
    met, missed = sla_verdict(case, deferred)
    target = target_sprint(case) if deferred else None
    reasons = []
    if undecided:
        reasons.append("no valid outcome given: counted as deferred")
    elif deferred:
        reasons.append(
            case.candidates.why_none() if not case.candidates else f"deferred to {target}"
        )
    if missed:
        reasons.append(missed)
    return IncidentOutcome(
        incident=case.id,
        team=case.owner.id,
        handler=handler,
        sprint=sprint.label if sprint is not None else None,
        deferred=deferred,
        target_sprint=target,
        interrupting=case.interrupting,
        sla_met=met,
        reason="; ".join(reasons) or None,
        expertise_gap=expertise_gap(case, handler, staff),
    )


# --------------------------------------------------------------------------------------------
# Team tallies


def _sprint_figures(ledger: Ledger) -> SprintFigures:
    return SprintFigures(
        engineer=ledger.engineer,
        team=ledger.team,
        sprint=ledger.sprint.label,
        start=ledger.sprint.start,
        capacity_hours=ledger.capacity / 10,
        reserve_hours=ledger.reserve / 10,
        duty_hours=ledger.duty / 10,
        incident_hours=ledger.normal / 10,
        interrupting_hours=ledger.urgent / 10,
        interruption_hours=ledger.interruption / 10,
        protected_pct=100 * ledger.protected / ledger.capacity if ledger.capacity else 0.0,
    )


def reached(cases: list[Case]) -> dict[str, set[str]]:
    """system -> engineers who are a candidate of any of its incidents."""
    by_system: dict[str, set[str]] = {}
    # Unpinned incidents sharing a pool: its engineers reached are those not on leave at every
    # one of the arrivals.
    shared: dict[tuple[str, object], list[Case]] = {}
    for case in cases:
        found = by_system.setdefault(case.incident.system, set())
        if case.candidates.pinned is not None:
            found.add(case.candidates.pinned)
        else:
            shared.setdefault((case.incident.system, case.candidates.pool), []).append(case)
    for (system, _pool), group in shared.items():
        pool = group[0].candidates.pool
        away: dict[str, int] = {}
        for case in group:
            for eid in case.candidates.on_leave:
                if eid in pool.members:
                    away[eid] = away.get(eid, 0) + 1
        by_system[system] |= {e for e in pool.engineers if away.get(e, 0) < len(group)}
    return by_system


def _owner_figures(
    tally: SupportTally,
    owned: list[tuple[Case, IncidentOutcome]],
    reach: dict[str, set[str]],
) -> None:
    """Handled, deferred, deferral, SLA, expertise and knowledge over the incidents owned."""
    handlers: dict[str, set[str]] = {}
    count: dict[str, int] = {}
    for case, outcome in owned:
        system = case.incident.system
        count[system] = count.get(system, 0) + 1
        handlers.setdefault(system, set())
        if outcome.deferred:
            tally.deferred += 1
            tally.deferral += 5 - int(case.incident.priority[1])
        else:
            tally.handled += 1
            assert outcome.handler is not None
            handlers[system].add(outcome.handler)
        if outcome.sla_met is True:
            tally.sla_met += 1
        elif outcome.sla_met is False:
            tally.sla_missed += 1
        tally.expertise += outcome.expertise_gap
    for system in tally.team.systems:
        if system in count:
            tally.knowledge[system] = len(handlers[system])
            tally.knowledge_gap += min(count[system], len(reach[system])) - len(handlers[system])


def _sprint_tally(tally: SupportTally, ledgers: list[Ledger]) -> None:
    tally.has_sprints = tally.team.sprints is not None
    for ledger in ledgers:
        tally.interruption += ledger.interruption
        tally.interrupted += ledger.interruption > 0
        tally.capacity += ledger.capacity
        tally.protected += ledger.protected


# --------------------------------------------------------------------------------------------


def judge_incidents(ctx: Context, given: list[IncidentOutcome] | None) -> Judged:
    """Every incident rule, outcome, sprint figure and team tally of one schedule."""
    instance = ctx.instance
    staff = Staff(ctx)
    decided, violations = decisions(ctx, staff, given or [])
    cases = [staff.case(incident) for incident in instance.incidents]
    chosen = choices(cases, ctx, staff)
    books = Books(ctx)
    outcomes: list[IncidentOutcome] = []
    for case in cases:
        handler = decided.get(case.id)
        if case.id in decided:
            for rule in HANDLING:
                found = rule(case, handler, chosen.get(case.id, PINNED))
                if found is not None:
                    violations.append(found)
        sprint = None
        if handler is not None:
            points = effort_points(case.incident.effort_hours)
            sprint = books.handle(handler, case.incident.arrival, points, case.interrupting)
        outcomes.append(_outcome(case, handler, sprint, staff, case.id not in decided))
    tallies = {team.id: SupportTally(team) for team in instance.teams}
    figures: list[SprintFigures] = []
    reach = reached(cases)
    anyone = set().union(*reach.values())
    by_owner: dict[str, list[tuple[Case, IncidentOutcome]]] = {}
    for case, outcome in zip(cases, outcomes, strict=True):
        by_owner.setdefault(case.owner.id, []).append((case, outcome))
    for team in instance.teams:
        tally = tallies[team.id]
        ledgers = books.of_team(team)
        violations += [v for v in map(reserve, ledgers) if v is not None]
        figures += [_sprint_figures(ledger) for ledger in ledgers]
        _sprint_tally(tally, ledgers)
        _owner_figures(tally, by_owner.get(team.id, []), reach)
        tally.support = {
            e.id: books.support[e.id]
            for e in team.engineers
            if may_hold_a_role(team, e) or e.id in anyone
        }
    return Judged(outcomes, violations, figures, tallies)
