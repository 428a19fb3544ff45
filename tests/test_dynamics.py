"""Tests for negotiation.dynamics and the ``learn`` command.

Independent sources: Robinson (1951) (fictitious play converges in two-player zero-sum
games), Shapley (1964) (it need not converge: his 3x3 game), Maynard Smith (1982, ch. 2)
(Hawk-Dove ESS plays Hawk with probability V/C), nashpy's fictitious play and
replicator dynamics, and the logit QRE branch solved independently with fsolve.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import negotiation as ng
from negotiation.core.errors import SolverLimitError
from negotiation.models.profile import regrets
from negotiation.dynamics import (
    DynamicsError,
    best_response_dynamics,
    fictitious_play,
    logit_dynamics,
    replicator_dynamics,
)
from negotiation.cli.learn import add_parser as add_learn_parser


def bimatrix(a, b, labels=None):
    strategies = labels or (tuple(str(i + 1) for i in range(len(a))), tuple(str(j + 1) for j in range(len(a[0]))))
    return ng.Game.from_arrays(a, b, players=("Row", "Column"), strategies=strategies)


PENNIES = bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], (("Heads", "Tails"), ("Heads", "Tails")))
RPS = bimatrix([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
               (("Rock", "Paper", "Scissors"),) * 2)
# Shapley (1964): unique equilibrium uniform, fictitious play cycles with growing lengths.
SHAPLEY = bimatrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
PD = bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]], (("C", "D"), ("C", "D")))


# ---------------------------------------------------------------------- fictitious play
@pytest.mark.parametrize("game, n", [(PENNIES, 2), (RPS, 3)])
def test_fictitious_play_converges_in_zero_sum_games(game, n):
    # Robinson (1951): empirical frequencies converge to the (here unique, uniform) equilibrium.
    run = fictitious_play(game, 10_000)
    assert len(run) == 10_000 and run.times[-1] == 10_000
    for array in run.probabilities:
        assert np.max(np.abs(array[-1] - 1 / n)) < 0.02
    assert run.converged and run.limit is not None


def test_fictitious_play_does_not_converge_in_shapleys_game():
    run = fictitious_play(SHAPLEY, 10_000)
    assert not run.converged and run.limit is None
    # Frequencies keep swinging far from the equilibrium (1/3, 1/3, 1/3) late in the run
    late = run.probabilities[0][5000:]
    assert np.max(np.abs(late - 1 / 3)) > 0.1
    # ... and the play keeps moving around a cycle of profiles (Shapley 1964; the runs get longer)
    assert len({tuple(p) for p in run.plays}) >= 6
    assert np.any(np.diff(run.plays[5000:], axis=0) != 0)


def test_fictitious_play_agrees_with_nashpy():
    nash = pytest.importorskip("nashpy")
    rng = np.random.default_rng(11)
    a = rng.normal(size=(3, 4))
    b = rng.normal(size=(3, 4))
    game = bimatrix(a, b)
    prior_row = np.array([1.0, 2.0, 1.0])
    prior_column = np.array([2.0, 1.0, 1.0, 3.0])
    initial = {"Row": dict(zip(game.strategies[0], prior_row)),
               "Column": dict(zip(game.strategies[1], prior_column))}
    run = fictitious_play(game, 300, initial=initial)
    theirs = list(nash.Game(a, b).fictitious_play(iterations=300, play_counts=[prior_row, prior_column]))
    for k in (1, 10, 100, 300):
        rows, columns = theirs[k]
        assert np.allclose(run.probabilities[0][k - 1], rows / rows.sum())
        assert np.allclose(run.probabilities[1][k - 1], columns / columns.sum())


def test_fictitious_play_three_players_dominant_strategies():
    # Each player gets 1 from strategy 2 and 0 from strategy 1 whatever the others do.
    payoffs = np.zeros((2, 2, 2, 3), dtype=int)
    for i in range(3):
        index = [slice(None)] * 3
        index[i] = 1
        payoffs[tuple(index) + (i,)] = 1
    game = ng.Game(("A", "B", "C"), (("x", "y"),) * 3, payoffs)
    run = fictitious_play(game, 50)
    assert all(a[-1][1] == 1 for a in run.probabilities)
    assert run.converged


# ---------------------------------------------------------------------- best response
def test_best_response_reaches_mutual_defection():
    for simultaneous in (False, True):
        run = best_response_dynamics(PD, 20, simultaneous=simultaneous)
        assert run.converged and run.limit.describe() == "Row: D; Column: D"
        assert run.cycle == ()


def test_best_response_cycles_in_matching_pennies():
    # From (Heads, Heads): Column switches to Tails, Row to Tails, Column to Heads, Row to Heads.
    run = best_response_dynamics(PENNIES, 12)
    assert not run.converged
    assert run.cycle == (("Heads", "Heads"), ("Heads", "Tails"), ("Tails", "Tails"), ("Tails", "Heads"))
    assert len(run) == 13
    simultaneous = best_response_dynamics(PENNIES, 12, simultaneous=True)
    assert not simultaneous.converged and len(simultaneous.cycle) == 4


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10 ** 6))
def test_best_response_limit_is_a_pure_equilibrium(seed):
    rng = np.random.default_rng(seed)
    game = bimatrix(rng.integers(0, 9, (3, 3)).tolist(), rng.integers(0, 9, (3, 3)).tolist())
    run = best_response_dynamics(game, 50)
    if run.converged:
        assert max(regrets(game, run.limit)) == 0
    else:
        assert run.cycle  # a finite deterministic system ends in a fixed point or a cycle


# ---------------------------------------------------------------------- replicator
def hawk_dove(value, cost):
    # Maynard Smith (1982): H v H (V - C)/2, H v D V, D v H 0, D v D V/2.
    a = [[(value - cost) / 2, value], [0, value / 2]]
    return bimatrix(a, np.array(a).T.tolist(), (("Hawk", "Dove"), ("Hawk", "Dove")))


@pytest.mark.parametrize("value, cost", [(2, 6), (1, 4), (3, 4)])
def test_replicator_hawk_dove_converges_to_mixed_ess(value, cost):
    run = replicator_dynamics(hawk_dove(value, cost), 200, initial={"Row": {"Hawk": 0.9, "Dove": 0.1}})
    assert run.parameters["populations"] == 1
    assert run.converged
    assert run.limit["Row"]["Hawk"] == pytest.approx(value / cost, abs=1e-6)


def test_replicator_agrees_with_nashpy_one_population():
    nash = pytest.importorskip("nashpy")
    game = hawk_dove(2, 6)
    run = replicator_dynamics(game, 10, initial={"Row": {"Hawk": 0.8, "Dove": 0.2}}, points=101)
    a = np.array([[-2.0, 2.0], [0.0, 1.0]])
    theirs = nash.Game(a, a.T).replicator_dynamics(y0=np.array([0.8, 0.2]), timepoints=run.times)
    assert np.max(np.abs(run.probabilities[0] - theirs)) < 1e-6


def test_replicator_agrees_with_nashpy_two_populations():
    nash = pytest.importorskip("nashpy")
    a = np.array([[9.0, 0.0], [0.0, 1.0]])
    b = np.array([[0.0, 1.0], [1.0, 0.0]])
    game = bimatrix(a.tolist(), b.tolist())
    initial = {"Row": {"1": 0.3, "2": 0.7}, "Column": {"1": 0.6, "2": 0.4}}
    run = replicator_dynamics(game, 5, initial=initial, points=51)
    assert run.parameters["populations"] == "per player"
    rows, columns = nash.Game(a, b).asymmetric_replicator_dynamics(
        x0=np.array([0.3, 0.7]), y0=np.array([0.6, 0.4]), timepoints=run.times)
    assert np.max(np.abs(run.probabilities[0] - rows)) < 1e-6
    assert np.max(np.abs(run.probabilities[1] - columns)) < 1e-6


# ---------------------------------------------------------------------- logit dynamics
def test_logit_dynamics_rest_point_is_the_qre():
    from scipy.optimize import fsolve
    from scipy.special import expit

    game = bimatrix([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    run = logit_dynamics(game, 2000, precision=0.5, rate=0.3)
    assert run.converged

    def equations(z):  # logit equations in log-odds (McKelvey & Palfrey 1995)
        p, q = expit(z)
        return [z[0] - 0.5 * (9 * q - (1 - q)), z[1] - 0.5 * ((1 - p) - p)]

    p, q = expit(fsolve(equations, [0.0, 0.0], xtol=1e-13))
    assert run.limit["Row"]["1"] == pytest.approx(p, abs=1e-8)
    assert run.limit["Column"]["1"] == pytest.approx(q, abs=1e-8)


# ---------------------------------------------------------------------- output
def test_records_frame_text_and_dict():
    run = best_response_dynamics(PD, 5)
    records = run.to_records()
    assert list(records[0]) == ["step", "Row: C", "Row: D", "Column: C", "Column: D", "play Row", "play Column"]
    assert records[-1]["play Row"] == "D"
    assert run.to_frame().shape == (len(run), 7)
    assert "Converged to: Row: D; Column: D" in run.to_text()
    data = json.loads(json.dumps(run.to_dict()))
    assert data["converged"] is True and data["limit"]["Row"]["D"] == "1"
    long = fictitious_play(PENNIES, 1000)
    assert len(long.to_records(every=100)) == 11


def test_plots_have_labels():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = replicator_dynamics(hawk_dove(2, 6), 10).plot()
    paths, phase = fig.axes
    assert paths.get_xlabel() == "time" and paths.get_ylabel() == "probability"
    assert phase.get_xlabel() == "p = Pr(Row plays Hawk)" and phase.get_ylabel() == "q = Pr(Column plays Hawk)"
    plt.close(fig)
    fig = fictitious_play(RPS, 100).plot()
    assert len(fig.axes) == 1 and fig.axes[0].get_ylabel() == "empirical frequency"
    assert len(fig.axes[0].get_legend().get_texts()) == 6
    plt.close(fig)
    with pytest.raises(DynamicsError, match="phase plot"):
        fictitious_play(RPS, 10).plot(kind="phase")


def test_errors():
    with pytest.raises(DynamicsError, match="steps 0"):
        fictitious_play(PENNIES, 0)
    with pytest.raises(DynamicsError, match="unknown strategy 'Edge'"):
        best_response_dynamics(PENNIES, 3, initial={"Row": "Edge"})
    with pytest.raises(DynamicsError, match="unknown player"):
        replicator_dynamics(PENNIES, 1, initial={"Nobody": {"Heads": 1}})
    with pytest.raises(DynamicsError, match="populations=1"):
        replicator_dynamics(PENNIES, 1, populations=1)
    with pytest.raises(DynamicsError, match="time -1"):
        replicator_dynamics(PENNIES, -1)
    with pytest.raises(DynamicsError, match="rate"):
        logit_dynamics(PENNIES, 3, precision=1, rate=2)


# ---------------------------------------------------------------------- command line
PENNIES_NFG = '''NFG 1 R "Matching pennies" { "Row" "Column" }
{ { "Heads" "Tails" } { "Heads" "Tails" } }
""

1 -1
-1 1
-1 1
1 -1
'''


@pytest.fixture
def main(monkeypatch):
    """cli.main with the learn command added (whether or not cli.py wires it yet)."""
    from negotiation import cli

    original = cli.build_parser

    def build(*args):
        parser = original(*args)
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if "learn" not in commands.choices:
            add_learn_parser(commands)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
    return cli.main


@pytest.fixture
def pennies_file(tmp_path):
    path = tmp_path / "pennies.nfg"
    path.write_text(PENNIES_NFG)
    return str(path)


@pytest.mark.parametrize("rule, extra", [("fictitious_play", ["--steps", "2000"]),
                                         ("best_response", ["--steps", "10"]),
                                         ("replicator", ["--steps", "50", "--time", "5"]),
                                         ("logit", ["--max-precision", "1000"])])
def test_learn_json_for_each_rule(main, capsys, pennies_file, rule, extra):
    code = main(["learn", pennies_file, "--rule", rule, "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["rule"] == rule
    assert data["game"]["players"] == ["Row", "Column"]
    if rule == "logit":
        assert data["limit"]["profile"] == {"Row": {"Heads": "1/2", "Tails": "1/2"},
                                            "Column": {"Heads": "1/2", "Tails": "1/2"}}
        assert [row["precision"] for row in data["table"]][:3] == [0.0, 0.1, 0.3]
    elif rule == "best_response":
        assert data["converged"] is False and len(data["cycle"]) == 4
    elif rule == "fictitious_play":
        assert data["converged"] is True and len(data["rows"]) == 2000


def test_learn_text_csv_and_plot(main, capsys, tmp_path):
    code = main(["learn", "security_dilemma", "--rule", "logit"])
    out, _ = capsys.readouterr()
    assert code == 0 and "Limit as λ grows: NATO: Deploy; Russia: Deploy" in out
    code = main(["learn", "security_dilemma", "--rule", "best_response", "--format", "csv"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.splitlines()[0].startswith("step,NATO: Restrain")
    figure = tmp_path / "run.png"
    code = main(["learn", "security_dilemma", "--rule", "replicator", "--plot", str(figure), "--steps", "20"])
    capsys.readouterr()
    assert code == 0 and figure.stat().st_size > 1000


def test_learn_errors(main, capsys, pennies_file):
    with pytest.raises(SystemExit) as exit_info:
        main(["learn", pennies_file, "--rule", "telepathy"])
    assert exit_info.value.code == 2
    capsys.readouterr()
    code = main(["learn", pennies_file, "--steps", "0"])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "--steps 0" in err
    code = main(["learn", "no_such_model"])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1


def test_trajectory_columns_by_label():
    run = best_response_dynamics(PD, 5)
    assert run.labels == run.columns == ("Row: C", "Row: D", "Column: C", "Column: D")
    assert np.array_equal(run["Row: D"], run.probability("Row", "D"))
    with pytest.raises(DynamicsError, match="unknown strategy 'E'"):
        run.probability("Row", "E")


# ---------------------------------------------------------------------- work limits (issue 16)
def test_step_limits_refuse_before_any_step():
    # 10^12 rounds would need a 16 TB plays array; refused from the count alone, at once
    for rule in (fictitious_play, best_response_dynamics):
        with pytest.raises(SolverLimitError, match=r"steps 1,000,000,000,000: more than the limit of 20,000 .*--max-steps"):
            rule(PENNIES, 10**12)
    with pytest.raises(SolverLimitError, match="limit of 20,000"):
        logit_dynamics(PENNIES, 20_001, precision=1.0)
    with pytest.raises(SolverLimitError, match="points 1,000,000,001"):
        replicator_dynamics(PENNIES, 5, points=10**9 + 1)
    # raised by the keyword: 30 rounds under a limit of 30 run, 31 do not
    assert len(fictitious_play(PENNIES, 30, max_steps=30).times) == 30
    with pytest.raises(SolverLimitError, match="steps 31: more than the limit of 30"):
        fictitious_play(PENNIES, 31, max_steps=30)
    with pytest.raises(DynamicsError, match="max_steps"):
        fictitious_play(PENNIES, 3, max_steps=-1)


def test_step_limit_scales_with_players_and_profiles():
    # three players: a step evaluates three payoff tensors, 3/2 of a two-player step
    three = ng.Game.from_arrays(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(SolverLimitError, match="limit of 13,333 for a game of 3 players and 8 profiles"):
        fictitious_play(three, 13_334)
    # 200 x 100 = 20,000 profiles: twice the small-game cost per step
    wide = ng.Game.from_arrays(np.zeros((200, 100)), np.zeros((200, 100)))
    with pytest.raises(SolverLimitError, match="limit of 10,000 for a game of 2 players and 20,000 profiles"):
        logit_dynamics(wide, 10_001, precision=1.0)


def test_replicator_time_limit_in_payoff_ranges():
    # Pennies' payoff range is 2 (from -1 to 1): the default 1,000 allows time 500
    with pytest.raises(SolverLimitError, match=r"time 1e\+12: more than the limit of 500 .*--max-time"):
        replicator_dynamics(PENNIES, 10**12)
    with pytest.raises(SolverLimitError, match="time 501: more than the limit of 500"):
        replicator_dynamics(PENNIES, 501)
    run = replicator_dynamics(PENNIES, 3, max_time=6)  # 3 × 2 = 6: exactly at the raised limit
    assert run.times[-1] == 3
    with pytest.raises(SolverLimitError, match="limit of 2.5"):
        replicator_dynamics(PENNIES, 3, max_time=5)


def test_learn_count_limits_are_one_line(main, capsys, pennies_file):
    for extra in (["--steps", "1000000000000"], ["--rule", "replicator", "--steps", "1000000000"],
                  ["--rule", "replicator", "--time", "1e12"], ["--steps", "31", "--max-steps", "30"],
                  ["--max-steps", "0"], ["--rule", "replicator", "--max-time", "-1"]):
        code = main(["learn", pennies_file, *extra])
        _, err = capsys.readouterr()
        assert code == 1 and err.count("\n") == 1, extra
    code = main(["learn", pennies_file, "--steps", "20001"])
    _, err = capsys.readouterr()
    assert code == 1 and "steps 20,001: more than the limit of 20,000" in err and "--max-steps N" in err
    code = main(["learn", pennies_file, "--steps", "25000", "--max-steps", "25000", "--format", "json"])
    out, _ = capsys.readouterr()
    assert code == 0 and len(json.loads(out)["rows"]) == 25_000
