"""The team's rules, one function per rule family.

Each function adds the rule for every engineer it binds. A hard rule becomes constraints (guarded,
so that infeasibility can be explained); a soft rule returns its units of violation, exact in every
solution, which objective.py prices at the rule's weight. Meanings: docs/semantics.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from fractions import Fraction

from rotasat.models.instance import (
    ForbiddenSuccession,
    HourCount,
    MaxConsecutive,
    MaxHolidays,
    MaxWeekends,
    MinConsecutive,
    MinConsecutiveOff,
    MinRest,
    RuleBase,
    ShiftCount,
)

from .context import Context, Expr
from .data import round_half_up
from .variables import Literal


def add_rules(ctx: Context) -> dict[str, list[Expr]]:
    """Add every rule of the team; return soft rules' violation units by term name."""
    terms: dict[str, list[Expr]] = {}
    for index, rule in enumerate(ctx.data.team.rules):
        family = FAMILIES[type(rule)]
        units: list[Expr] = []
        for e in _bound(ctx, rule):
            words = f"rule {index} ({rule.id or rule.rule}) for {ctx.data.engineers[e].id}"
            enforce = ctx.guard(("rule", index, e), words)
            units.extend(family(ctx, rule, e, enforce))
        if not rule.hard and rule.weight > 0:
            terms[f"rule:{index}:{rule.id or rule.rule}"] = units
    return terms


def _bound(ctx: Context, rule: RuleBase) -> list[int]:
    wanted = set(rule.engineers) if rule.engineers is not None else None
    return [e for e, eng in enumerate(ctx.data.engineers) if wanted is None or eng.id in wanted]


def _limit(ctx: Context, rule: RuleBase, expr: Expr, low: int, high: int | None, upper: int,
           name: str, enforce: list[Literal]) -> list[Expr]:
    """low <= expr <= high: as constraints when hard, as exact slack when soft."""
    if rule.hard:
        if low > 0:
            ctx.model.add(expr >= low).only_enforce_if(enforce)
        if high is not None:
            ctx.model.add(expr <= high).only_enforce_if(enforce)
        return []
    units: list[Expr] = []
    if low > 0:
        units.append(ctx.shortfall(expr, low, f"{name}|under"))
    if high is not None and high < upper:
        units.append(ctx.excess(expr, high, upper, f"{name}|over"))
    return units


def _forbid_all(ctx: Context, rule: RuleBase, literals: list[Literal], name: str,
                enforce: list[Literal]) -> list[Expr]:
    """Not all of `literals` together: a clause when hard, a priced conjunction when soft."""
    if rule.hard:
        clause = ctx.model.add_bool_or([~lit for lit in literals])
        if enforce:
            clause.only_enforce_if(enforce)
        return []
    return [ctx.all_of(literals, name)]


# --------------------------------------------------------------------------------------------
# Counts


def shift_count(ctx: Context, rule: ShiftCount, e: int, enforce: list[Literal]) -> list[Expr]:
    data, v = ctx.data, ctx.vars
    literals = []
    for s in data.holdable(e):
        shift = data.shifts[s]
        if rule.rotation not in (None, shift.rotation):
            continue
        if rule.shift_type not in (None, shift.shift_type):
            continue
        if rule.role is None:
            literals.append(v.hold[s, e])
        else:
            literals += [
                v.assign[s, r, e]
                for r, role in enumerate(data.roles(s))
                if role.id == rule.role and (s, r, e) in v.assign
            ]
    name = f"rule|shifts|{data.engineers[e].id}"
    return _limit(ctx, rule, sum(literals), rule.min, rule.max, len(literals), name, enforce)


def hour_count(ctx: Context, rule: HourCount, e: int, enforce: list[Literal]) -> list[Expr]:
    data, v = ctx.data, ctx.vars
    chosen = [
        s for s in data.holdable(e) if rule.rotation in (None, data.shifts[s].rotation)
    ]
    minutes = [data.shifts[s].minutes for s in chosen]
    expr = sum(m * v.hold[s, e] for s, m in zip(chosen, minutes, strict=True))
    low = round_half_up(Fraction(str(rule.min)) * 60)
    high = None if rule.max is None else round_half_up(Fraction(str(rule.max)) * 60)
    name = f"rule|hours|{data.engineers[e].id}"
    return _limit(ctx, rule, expr, low, high, sum(minutes), name, enforce)


def max_weekends(ctx: Context, rule: MaxWeekends, e: int, enforce: list[Literal]) -> list[Expr]:
    touched = _touch_literals(ctx, e, lambda s: ctx.data.burden[s, e].weekends, "weekend")
    name = f"rule|weekends|{ctx.data.engineers[e].id}"
    return _limit(ctx, rule, sum(touched), 0, rule.max, len(touched), name, enforce)


def max_holidays(ctx: Context, rule: MaxHolidays, e: int, enforce: list[Literal]) -> list[Expr]:
    touched = _touch_literals(ctx, e, lambda s: ctx.data.burden[s, e].holidays, "holiday")
    name = f"rule|holidays|{ctx.data.engineers[e].id}"
    return _limit(ctx, rule, sum(touched), 0, rule.max, len(touched), name, enforce)


def _touch_literals(
    ctx: Context, e: int, days_of: Callable[[int], tuple[dt.date, ...]], what: str
) -> list[Literal]:
    """One literal per day (weekend or holiday) equal to 'some duty of e touches it'."""
    shifts_by_day: dict[dt.date, list[int]] = {}
    for s in ctx.data.holdable(e):
        for day in days_of(s):
            shifts_by_day.setdefault(day, []).append(s)
    literals = []
    for day, shifts in sorted(shifts_by_day.items()):
        holds = [ctx.vars.hold[s, e] for s in shifts]
        if len(holds) == 1:
            literals.append(holds[0])
            continue
        touched = ctx.model.new_bool_var(f"{what}|{day}|{ctx.data.engineers[e].id}")
        ctx.model.add_max_equality(touched, holds)
        literals.append(touched)
    return literals


# --------------------------------------------------------------------------------------------
# Sequences over a rotation's slots


def _rotations(ctx: Context, rotation: str | None) -> list[str]:
    return [rotation] if rotation is not None else [r.id for r in ctx.data.team.rotations]


def _on_duty(ctx: Context, rotation: str, e: int) -> list[Literal | int]:
    """Per slot of `rotation`: a literal 'e holds a shift in this slot', or 0 if e never can.

    Made once per engineer and rotation, whichever rules need it."""
    key = ("on", rotation, e)
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[no-any-return]
    on: list[Literal | int] = []
    for shifts in ctx.data.slots.get(rotation, []):
        holds = [ctx.vars.hold[s, e] for s in shifts if (s, e) in ctx.vars.hold]
        if not holds:
            on.append(0)
        elif len(holds) == 1:
            on.append(holds[0])
        else:
            slot_on = ctx.model.new_bool_var(f"on|{rotation}|{ctx.data.engineers[e].id}")
            ctx.model.add_max_equality(slot_on, holds)
            on.append(slot_on)
    ctx.memo[key] = on
    return on


def max_consecutive(
    ctx: Context, rule: MaxConsecutive, e: int, enforce: list[Literal]
) -> list[Expr]:
    units: list[Expr] = []
    for rotation in _rotations(ctx, rule.rotation):
        on = _on_duty(ctx, rotation, e)
        for first in range(len(on) - rule.max):
            window = on[first : first + rule.max + 1]
            if any(isinstance(x, int) for x in window):
                continue
            name = f"rule|consecutive|{ctx.data.engineers[e].id}|{first}"
            units += _forbid_all(ctx, rule, window, name, enforce)  # type: ignore[arg-type]
    return units


def min_consecutive(
    ctx: Context, rule: MinConsecutive, e: int, enforce: list[Literal]
) -> list[Expr]:
    return _short_runs(ctx, rule, rule.rotation, rule.min, e, enforce, on_runs=True)


def min_consecutive_off(
    ctx: Context, rule: MinConsecutiveOff, e: int, enforce: list[Literal]
) -> list[Expr]:
    return _short_runs(ctx, rule, rule.rotation, rule.min, e, enforce, on_runs=False)


def _short_runs(ctx: Context, rule: RuleBase, rotation: str | None, minimum: int, e: int,
                enforce: list[Literal], on_runs: bool) -> list[Expr]:
    """Forbid (or price at minimum - L) each run of L < minimum slots, bordered on both sides,
    of slots on duty (on_runs) or off duty. Runs touching the first or last slot are exempt."""
    units: list[Expr] = []
    for rot in _rotations(ctx, rotation):
        on = _on_duty(ctx, rot, e)
        # a literal true when the slot is inside the run, and one true when it borders it
        inside = on if on_runs else [_negate(x) for x in on]
        for length in range(1, minimum):
            for first in range(1, len(on) - length):
                run = inside[first : first + length]
                borders = [_negate(inside[first - 1]), _negate(inside[first + length])]
                pattern = run + borders
                if any(isinstance(x, int) and x == 0 for x in pattern):
                    continue  # the pattern can never occur
                literals = [x for x in pattern if not isinstance(x, int)]
                name = f"rule|run|{ctx.data.engineers[e].id}|{first}|{length}"
                found = _forbid_all(ctx, rule, literals, name, enforce)  # type: ignore[arg-type]
                units += [(minimum - length) * unit for unit in found]
    return units


def _negate(x: Literal | int) -> Literal | int:
    return 1 - x if isinstance(x, int) else ~x  # type: ignore[return-value]


def min_rest(ctx: Context, rule: MinRest, e: int, enforce: list[Literal]) -> list[Expr]:
    rest = dt.timedelta(hours=rule.hours)
    held = sorted(ctx.data.holdable(e), key=lambda s: ctx.data.shifts[s].start)
    starts = [ctx.data.shifts[s].start for s in held]
    units: list[Expr] = []
    for a in held:
        end = ctx.data.shifts[a].end
        lo = bisect.bisect_left(starts, end)
        hi = bisect.bisect_left(starts, end + rest)
        for b in held[lo:hi]:
            pair = [ctx.vars.hold[a, e], ctx.vars.hold[b, e]]
            name = f"rule|rest|{ctx.data.engineers[e].id}|{a}|{b}"
            units += _forbid_all(ctx, rule, pair, name, enforce)
    return units


def forbidden_succession(
    ctx: Context, rule: ForbiddenSuccession, e: int, enforce: list[Literal]
) -> list[Expr]:
    data, v = ctx.data, ctx.vars
    units: list[Expr] = []
    for rotation in _rotations(ctx, rule.rotation):
        for a, b in _successions(ctx, rotation, rule.first, rule.then):
            if (a, e) not in v.hold or (b, e) not in v.hold:
                continue
            name = f"rule|succession|{data.engineers[e].id}|{a}|{b}"
            units += _forbid_all(ctx, rule, [v.hold[a, e], v.hold[b, e]], name, enforce)
    return units


def _successions(ctx: Context, rotation: str, first: str, then: str) -> list[tuple[int, int]]:
    """Pairs (a, b): a shift of type `first` in slot k, one of type `then` in slot k + 1;
    found once per rotation and pair of types, whoever the rule binds."""
    key = ("succession", rotation, first, then)
    if key not in ctx.memo:
        shifts, slots = ctx.data.shifts, ctx.data.slots.get(rotation, [])
        ctx.memo[key] = [
            (a, b)
            for k in range(len(slots) - 1)
            for a in slots[k] if shifts[a].shift_type == first
            for b in slots[k + 1] if shifts[b].shift_type == then
        ]
    return ctx.memo[key]  # type: ignore[no-any-return]


FAMILIES: dict[type, Callable[..., list[Expr]]] = {
    ShiftCount: shift_count,
    HourCount: hour_count,
    MaxConsecutive: max_consecutive,
    MinConsecutive: min_consecutive,
    MinConsecutiveOff: min_consecutive_off,
    MinRest: min_rest,
    ForbiddenSuccession: forbidden_succession,
    MaxWeekends: max_weekends,
    MaxHolidays: max_holidays,
}
