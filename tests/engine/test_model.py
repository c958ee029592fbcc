"""The component model's reader: a schedule's figures read off every variable's value at once
must be exactly what CP-SAT's own `value` reads, term by term."""

from ortools.sat.python import cp_model
from rotasat.engine.data import build_team_data
from rotasat.engine.model import ComponentModel, components
from rotasat.models.generator import generate


def test_the_reader_agrees_with_cp_sat_on_every_term_and_variable():
    # a small team with incidents and sprints: sums of literals, slacks with exact values,
    # spreads (max - min), knowledge (a constant less a sum) and negated literals all occur
    instance = generate(1, 6, 28, seed=3, incidents=40, sprint_days=14)
    (team_ids, incidents), = components(instance)
    datas = [build_team_data(instance, instance.team(t)) for t in team_ids]
    component = ComponentModel(instance, datas, incidents)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    solver.parameters.stop_after_first_solution = True
    assert solver.solve(component.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    read = component.reader(list(solver.response_proto.solution))
    assert len(component.terms) > 8
    for term in component.terms:
        assert term.evaluate(read) == term.evaluate(solver.value), term.name
        assert read(term.value) == solver.value(term.value), term.name
    model = component.model
    for i in range(len(model.proto.variables)):
        variable = model.get_int_var_from_proto_index(i)
        assert read(variable) == solver.value(variable)
    literal = model.get_bool_var_from_proto_index(0)
    assert read(3 - 2 * ~literal) == solver.value(3 - 2 * ~literal)
    assert read(7) == 7
