"""Recursive (Dresher) inspection games against closed forms and hand computations."""

from fractions import Fraction
from math import comb

import pytest

from negotiation.solvers.inspection import InspectionError, dresher_value, recursive_inspection


@pytest.mark.parametrize("n", range(1, 13))
def test_dresher_closed_form_every_state(n):
    # von Stengel (2016, Math. Oper. Res. 41(3)), domain.md §M9c:
    # v(n, m) = C(n-1, m) / sum_{i<=m} C(n, i) for gain = penalty = detection = 1.
    game = recursive_inspection(n, n)
    for m in range(0, n + 1):
        expected = Fraction(comb(n - 1, m), sum(comb(n, i) for i in range(m + 1)))
        assert game.state(n, m).value == expected
        assert dresher_value(n, m) == expected


def test_two_periods_one_inspection_by_hand():
    # Stage matrix (inspectee's payoff; rows violate/legal, columns inspect/not):
    # [[-1, 1], [v(1,0)=1, v(1,1)=0]]; indifference of the inspectee: 1 - 2β = β -> β = 1/3;
    # of the inspector: -α + (1-α)·1 = α·1 + 0 -> α = 1/3; value 1/3.
    game = recursive_inspection(2, 1)
    state = game.state()
    assert (state.value, state.inspect, state.violate) == (Fraction(1, 3),) * 3
    # violation over the horizon: 1/3 now, otherwise (2/3)·[β·1 + (1-β)·0] = 2/9 later -> 5/9;
    # detected: only a violation in an inspected period is caught: 1/3·1/3 = 1/9 now, 0 later.
    assert game.violation_probability() == Fraction(5, 9)
    assert game.detection_probability() == Fraction(1, 9)


@pytest.mark.parametrize("periods,inspections,gain,penalty,detection", [
    (5, 2, 1, 1, 1), (12, 3, 1, 2, Fraction(4, 5)), (8, 3, 3, 1, Fraction(1, 2)), (6, 6, 2, 5, Fraction(9, 10)),
])
def test_every_state_is_an_equilibrium_of_its_stage_game(periods, inspections, gain, penalty, detection):
    # Independent check of the recursion: in each state the mixed strategies leave the other side
    # indifferent (or play a best response at a saddle point), given the continuation values.
    game = recursive_inspection(periods, inspections, gain=gain, penalty=penalty, detection=detection)
    violate_inspected = detection * (-penalty) + (1 - detection) * gain
    for (n, m), s in game.states.items():
        if m == 0:
            assert s.value == gain and s.violate == 1
            continue
        free = game.state(n - 1, m).value if n > 1 else 0
        inspected = game.state(n - 1, m - 1).value if n > 1 else 0
        row_violate = s.inspect * violate_inspected + (1 - s.inspect) * gain
        row_legal = s.inspect * inspected + (1 - s.inspect) * free
        column_inspect = s.violate * violate_inspected + (1 - s.violate) * inspected
        column_free = s.violate * gain + (1 - s.violate) * free
        assert max(row_violate, row_legal) == s.value  # the inspectee cannot gain
        assert min(column_inspect, column_free) == s.value  # nor can the inspector
        if 0 < s.violate < 1:
            assert row_violate == row_legal
        if 0 < s.inspect < 1:
            assert column_inspect == column_free


def test_more_inspections_deter_more_and_perfect_coverage_deters_fully():
    game = recursive_inspection(12, 12, gain=1, penalty=1)
    values = [game.state(12, m).value for m in range(13)]
    assert all(a > b for a, b in zip(values, values[1:-1]))
    assert values[-1] == 0  # one inspection per period: violating never pays
    assert game.violation_probability(12, 12) == 0


def test_worse_detection_raises_the_inspectees_value():
    good = recursive_inspection(12, 3, detection=1).value
    poor = recursive_inspection(12, 3, detection=Fraction(1, 2)).value
    assert poor > good


def test_float_inputs_give_float_results_close_to_exact():
    exact = recursive_inspection(9, 3, gain=1, penalty=2, detection=Fraction(3, 4))
    approx = recursive_inspection(9, 3, gain=1.0, penalty=2.0, detection=0.75)
    assert not approx.exact and exact.exact
    assert abs(approx.value - float(exact.value)) < 1e-12
    assert abs(approx.violation_probability() - float(exact.violation_probability())) < 1e-12


@pytest.mark.parametrize("kwargs,message", [
    (dict(periods=0, inspections=1), "periods: expected at least 1"),
    (dict(periods=3, inspections=-1), "inspections: expected 0 or more"),
    (dict(periods=3, inspections=1, detection=0), "detection: expected a probability"),
    (dict(periods=3, inspections=1, penalty=-1), "penalty: expected a positive number"),
    (dict(periods=2.5, inspections=1), "periods: expected a whole number"),
])
def test_bad_input_is_one_line(kwargs, message):
    periods, inspections = kwargs.pop("periods"), kwargs.pop("inspections")
    with pytest.raises(InspectionError, match=message) as error:
        recursive_inspection(periods, inspections, **kwargs)
    assert "\n" not in str(error.value)


def test_outputs():
    game = recursive_inspection(4, 2)
    data = game.to_dict()
    assert data["value"] == str(dresher_value(4, 2)) and len(data["by_quota"]) == 3
    assert game.to_markdown().count("\n") == 6 and "inspections" in game.to_csv().splitlines()[0]


def test_records_read_every_quota_from_one_pass_over_the_states():
    # Dresher's game, 2 periods, 1 inspection: the inspectee violates with probability 5/9 over the
    # horizon (hand computation, as above); with no inspection left it violates at once, never caught
    rows = recursive_inspection(2, 1).to_records()
    assert [(r["inspections"], r["violation over horizon"], r["detected violation"]) for r in rows][0] == (0, 1, 0)
    assert rows[1]["violation over horizon"] == Fraction(5, 9)
    # 100 periods, quota 50 (issue 16: 102 passes over 5,100 states of long fractions took 43 s)
    import time

    game = recursive_inspection(100, 50, gain=1, penalty=2, detection=Fraction(4, 5))
    started = time.process_time()
    rows = game.to_records()
    assert time.process_time() - started < 1.5
    for m in (0, 7, 50):
        assert rows[m]["violation over horizon"] == game.violation_probability(100, m)
        assert rows[m]["detected violation"] == game.detection_probability(100, m)


def test_state_limit_bounds_the_exact_work():
    # 300 periods with 70 inspections: 70·73/2 + 230·71 = 18,885 states, above the 10,000 limit
    with pytest.raises(InspectionError, match="18,885 states, more than the limit of 10,000"):
        recursive_inspection(300, 70)
    assert recursive_inspection(300, 70, max_states=18_885).inspections == 70
