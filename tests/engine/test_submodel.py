"""Sub-models cut from a model: every solution of one completes to a solution of the whole,
and its optimum is the whole model's optimum with the other variables held."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from rotasat.engine import submodel
from rotasat.engine.submodel import Neighbourhoods, Unsupported

KINDS = ("or", "and", "at_most_one", "exactly_one", "linear", "max")


Draw = Callable[[st.SearchStrategy[Any]], Any]


def _random_model(draw: Draw) -> tuple[cp_model.CpModel, int, list[int]]:
    """Booleans (the decisions) and a few integer auxiliaries tied to them by every kind of
    constraint the engine writes, with an objective over both."""
    model = cp_model.CpModel()
    n = draw(st.integers(4, 8))
    x = [model.new_bool_var(f"x{i}") for i in range(n)]
    aux = [model.new_int_var(0, 3, f"a{i}") for i in range(draw(st.integers(1, 3)))]

    def literal() -> Any:
        v = x[draw(st.integers(0, n - 1))]
        return v if draw(st.booleans()) else v.Not()

    for _ in range(draw(st.integers(3, 10))):
        kind = draw(st.sampled_from(KINDS))
        literals = [literal() for _ in range(draw(st.integers(1, 3)))]
        if kind == "or":
            ct = model.add_bool_or(literals)
        elif kind == "and":
            ct = model.add_bool_and(literals)
        elif kind == "at_most_one":
            ct = model.add_at_most_one({lit.index: lit for lit in literals}.values())
        elif kind == "exactly_one":
            ct = model.add_exactly_one({lit.index: lit for lit in literals}.values())
        elif kind == "linear":
            a = aux[draw(st.integers(0, len(aux) - 1))]
            ct = model.add(sum(literals) - a <= draw(st.integers(-1, 2)))
        else:
            ct = model.add_max_equality(aux[draw(st.integers(0, len(aux) - 1))],
                                        [2 * lit for lit in literals])
        if draw(st.booleans()):
            ct.only_enforce_if(literal())
    model.minimize(sum(draw(st.integers(-3, 3)) * v for v in x) + sum(aux))
    return model, n, [v.index for v in x]


def _solve(model: cp_model.CpModel) -> tuple[int, list[int]] | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    if solver.solve(model) != cp_model.OPTIMAL:
        return None
    return round(solver.objective_value), [int(v) for v in solver.response_proto.solution]


def _held(model: cp_model.CpModel, values: list[int], free: set[int]) -> cp_model.CpModel:
    """The whole model with every variable outside `free` fixed to its value."""
    held = model.clone()
    for i, value in enumerate(values):
        if i not in free:
            held.add(held.get_int_var_from_proto_index(i) == value)
    return held


@pytest.mark.parametrize("long", [0, 32], ids=["sums in numpy", "sums in python"])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_cut_holds_every_rule_and_finds_the_held_optimum(long: int, data: st.DataObject
                                                           ) -> None:
    default, submodel._Cut.LONG = submodel._Cut.LONG, long
    try:
        _cut_and_compare(data)
    finally:
        submodel._Cut.LONG = default


def _cut_and_compare(data: st.DataObject) -> None:
    model, n, decisions = _random_model(data.draw)
    solved = _solve(model)
    if solved is None:
        return  # an infeasible model has no assignment to cut from
    # a feasible assignment that is not the optimum: the whole model with one decision flipped
    flip = data.draw(st.integers(0, n - 1))
    other = _held(model, [], set())
    other.add(other.get_int_var_from_proto_index(flip) != solved[1][flip])
    start = _solve(other) or solved
    values = start[1]
    seeds = data.draw(st.sets(st.integers(0, n - 1), min_size=1))
    reach = data.draw(st.integers(0, 3))
    neighbourhoods = Neighbourhoods(model, decisions)
    sub = neighbourhoods.cut(values, seeds, reach)
    free = {int(v) for v in sub.free}
    assert set(seeds) <= free and free - set(seeds) <= set(range(n, len(values)))
    cut = _solve(sub.model)
    held = _solve(_held(model, values, free))
    assert (cut is None) == (held is None)
    if cut is None or held is None:
        return
    every = sub.complete(values, cut[1])
    # every rule of the whole model holds for the completed assignment ...
    assert _solve(_held(model, every, set())) is not None
    # ... and it is the best the whole model has with the other variables held
    assert _solve(_held(model, every, set()))[0] == held[0]  # type: ignore[index]


def test_auxiliaries_follow_their_duties_within_reach() -> None:
    # works[d] is the max of day d's duties; a run limit ties works of neighbouring days, and
    # a slack pays for breaking it. Freeing day 1's duties frees works[1] at reach 1, the
    # run's slack at reach 2 (with works[0] and works[2]), never another day's duties.
    model = cp_model.CpModel()
    duty = [[model.new_bool_var(f"d{d}{s}") for s in range(2)] for d in range(3)]
    works = [model.new_bool_var(f"w{d}") for d in range(3)]
    slack = model.new_int_var(0, 3, "slack")
    for d in range(3):
        model.add_max_equality(works[d], duty[d])
    model.add(sum(works) - slack <= 2)
    model.minimize(slack)
    decisions = [v.index for day in duty for v in day]
    neighbourhoods = Neighbourhoods(model, decisions)
    seeds = [v.index for v in duty[1]]
    assert set(neighbourhoods.free_variables(seeds, 0)) == set(seeds)
    assert set(neighbourhoods.free_variables(seeds, 1)) == {*seeds, works[1].index}
    assert set(neighbourhoods.free_variables(seeds, 2)) == {
        *seeds, works[1].index, works[0].index, works[2].index, slack.index}
    # every day worked (slack 1): day 1 freed alone can drop its duties and the slack with it
    values = [1, 0, 1, 0, 1, 0, 1, 1, 1, 1]
    sub = neighbourhoods.cut(values, seeds, 2)
    solver = cp_model.CpSolver()
    assert solver.solve(sub.model) == cp_model.OPTIMAL
    every = sub.complete(values, [int(v) for v in solver.response_proto.solution])
    assert every[slack.index] == 0 and every[works[1].index] == 0
    assert every[:2] == [1, 0] and every[4:6] == [1, 0]  # days 0 and 2 untouched


def test_parts_are_independent_when_no_constraint_meets_both() -> None:
    # Two days, each with its own duties and its own at-most-one; a shared cap on day 0's
    # first duty and day 1's first duty joins them, and only them.
    model = cp_model.CpModel()
    duty = [[model.new_bool_var(f"d{d}{s}") for s in range(2)] for d in range(2)]
    for day in duty:
        model.add_at_most_one(day)
    model.add(duty[0][0] + duty[1][0] <= 1)
    neighbourhoods = Neighbourhoods(model, [v.index for day in duty for v in day])
    values = [0, 1, 0, 1]

    def part(*seeds: cp_model.IntVar) -> submodel.SubModel:
        return neighbourhoods.cut(values, [v.index for v in seeds], 2)

    assert neighbourhoods.independent([part(duty[0][1]), part(duty[1][1])])
    assert not neighbourhoods.independent([part(duty[0][0]), part(duty[1][0])])
    assert not neighbourhoods.independent([part(duty[0][1]), part(duty[0][0])])


@pytest.mark.parametrize("kind", ["bool_or", "at_most_one", "exactly_one", "linear", "max"])
def test_a_broken_body_keeps_its_enforcement_off(kind: str) -> None:
    # x and y stay as they are (x on, y off or both on); only e is free, and the objective
    # wants it on. The constraint's body fails with those values, so e must stay off.
    model = cp_model.CpModel()
    x, y, e = (model.new_bool_var(name) for name in "xye")
    a = model.new_int_var(0, 3, "a")
    values = [1, 0, 0, 0]
    if kind == "bool_or":
        ct = model.add_bool_or([x.Not(), y])
    elif kind == "at_most_one":
        ct, values = model.add_at_most_one([x, y]), [1, 1, 0, 0]
    elif kind == "exactly_one":
        ct, values = model.add_exactly_one([x, y]), [1, 1, 0, 0]
    elif kind == "linear":
        ct = model.add(x + y == 2)
    else:
        ct = model.add_max_equality(a, [2 * x, y])  # a stays 0, the maximum is 2
    ct.only_enforce_if(e)
    model.minimize(-e)
    sub = Neighbourhoods(model, [x.index, y.index, e.index]).cut(values, [e.index], 0)
    solver = cp_model.CpSolver()
    assert solver.solve(sub.model) == cp_model.OPTIMAL
    assert sub.complete(values, list(solver.response_proto.solution))[e.index] == 0


def test_a_constraint_it_cannot_cut_is_said_up_front() -> None:
    model = cp_model.CpModel()
    a, b = model.new_int_var(0, 3, "a"), model.new_int_var(0, 3, "b")
    model.add_multiplication_equality(a, [b, b])
    with pytest.raises(Unsupported):
        Neighbourhoods(model, [b.index])
