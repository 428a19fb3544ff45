"""The equilibrium payoff set of a repeated two-player game at a given δ (negotiation.solvers.payoff_set).

Independent sources:

* closed forms for the Prisoner's Dilemma, derived in the docstrings below (grim trigger, Friedman 1971;
  the smallest δ with a non-Nash equilibrium payoff; the triangle between the two thresholds);
* the conditions of Abreu, Pearce & Stacchetti (1990) checked directly on the answer: every vertex is
  ``(1 − δ) g(a) + δ w`` with ``w`` in the set and no profitable one-shot deviation against the worst
  punishments (self-generation);
* QuantEcon's implementation of Abreu & Sannikov (2014), committed in tests/reference/quantecon/ (and live
  with ``pytest -m quantecon``);
* the folk theorem (Fudenberg & Maskin 1986): the set lies in the feasible individually rational payoffs and
  tends to them as δ → 1; stage Nash payoffs are always in it; an affine change of a player's payoffs moves
  the set with it.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.core.geometry import clip, convex_hull, distances_to_convex_polygon, hausdorff_distance
from negotiation.results.payoff_set import PayoffSetResult
from negotiation.results.repeated import RepeatedGameError
from negotiation.solvers.folk_theorem import feasible_individually_rational_set
from negotiation.solvers.payoff_set import MAX_PAYOFF_SET_PROFILES, MAX_PAYOFF_SET_WORK

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference"
#: Agreement required where the answer is known exactly: a multiple of the solver's relative tolerance (1e-10).
CLOSE = 1e-8


def _generator():
    spec = importlib.util.spec_from_file_location("generate_quantecon_reference",
                                                  REFERENCE / "generate_quantecon_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()


def prisoners_dilemma(T, R, P, S):
    """Row player's and column player's payoffs with strategies (C, D)."""
    return ng.Game.from_arrays([[R, S], [T, P]], [[R, T], [S, P]], players=("A", "B"),
                               strategies=(("C", "D"), ("C", "D")), title="Prisoner's Dilemma")


def distance(point, result) -> float:
    return float(distances_to_convex_polygon([point], result.points)[0])


def feasible_above(game, floor) -> list:
    """The feasible payoffs with ``u ≥ floor`` (exact polygon)."""
    polygon = convex_hull([tuple(Fraction(v) for v in game.payoffs[p]) for p in np.ndindex(*game.shape)])
    for axis in range(2):
        polygon = convex_hull(clip(polygon, (1, 0) if axis == 0 else (0, 1), Fraction(floor[axis])))
    return polygon


def pure_minmax(first, second):
    first, second = np.asarray(first), np.asarray(second)
    return int(first.max(axis=0).min()), int(second.max(axis=1).min())


# ---------------------------------------------------------------------- the Prisoner's Dilemma in closed form
# T > R > P > S with 2R > T + S: S, then the gaps P − S = p, R − P = r and T − R = t < p + r
pd_payoffs = st.tuples(st.integers(-4, 4), st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda spr: st.integers(1, spr[1] + spr[2] - 1).map(
        lambda t: (spr[0] + spr[1] + spr[2] + t, spr[0] + spr[1] + spr[2], spr[0] + spr[1], spr[0])))


@settings(max_examples=25, deadline=None)
@given(pd_payoffs, st.sampled_from([Fraction(1, 50), Fraction(1, 10)]))
def test_prisoners_dilemma_closed_form(payoffs, margin):
    """The whole picture of the Prisoner's Dilemma ``(T, R, P, S)``, ``T > R > P > S``, ``2R > T + S``.

    Write ``δ_C = (T − R)/(T − P)`` and ``δ_D = (P − S)/(T − P)``; every payoff is at least ``P``, the minmax
    value, which (D, D) forever gives.

    1. *(R, R) is an equilibrium payoff iff δ ≥ δ_C.* If: grim trigger (Friedman 1971) — cooperating forever
       is worth R, the best deviation T now and P forever after: ``R ≥ (1 − δ)T + δP``. Only if: (R, R) is the
       unique maximiser of ``u_1 + u_2`` on the feasible set (2R > T + S), so it is only reached by (C, C) in
       every period (public randomisation cannot help at an extreme point), whose continuation is (R, R)
       again and whose deviation is punished with at least P: the same inequality.
    2. *Below δ_C, (C, C) is never played.* Its incentive constraint needs a continuation ``w`` with
       ``w_i ≥ P + (1 − δ)(T − R)/δ``, which exceeds R for δ < δ_C, for both players, so
       ``w_1 + w_2 > 2R``, more than any feasible payoff gives. Every payoff is then an average of
       (D, C), (C, D) and (D, D) payoffs: ``V ⊆ Δ = co{(P, P), (T + S − P, P), (P, T + S − P)}``.
    3. *The smallest δ with a non-Nash payoff.* Let ``M`` be the largest coordinate in V, say ``v_1 = M``
       at ``v ∈ V``, below δ_C. If ``v`` starts with (D, D) or (C, D), ``M ≤ (1 − δ)P + δM`` or
       ``M ≤ (1 − δ)S + δM``, so ``M ≤ P``. If it starts with (D, C), player 2 needs
       ``w_2 ≥ P + (1 − δ)(P − S)/δ`` and ``w_2 ≤ M ≤ T + S − P`` (step 2), so ``δ ≥ (P − S)/(T − P) = δ_D``.
       Hence V = {(P, P)} for δ < min(δ_C, δ_D), and also for δ < δ_C when ``T + S ≤ 2P``.
    4. *Between δ_D and δ_C the set is the triangle Δ* (if ``T + S > 2P``): Δ is self-generating —
       ``(T + S − P, P)`` is (D, C) followed by ``(T + S − K, K)`` with ``K = P + (1 − δ)(P − S)/δ``
       on Δ's long edge when δ ≥ δ_D, its mirror image likewise, (P, P) is (D, D) forever, and public
       randomisation fills the hull (self-generation, Abreu, Pearce & Stacchetti 1990) — and V ⊆ Δ by step 2.
    """
    T, R, P, S = payoffs
    game = prisoners_dilemma(T, R, P, S)
    scale = T - S
    cooperate, defect = Fraction(T - R, T - P), Fraction(P - S, T - P)
    triangle = [(P, P), (T + S - P, P), (P, T + S - P)]

    above = ng.equilibrium_payoff_set(game, min(cooperate + margin, Fraction(99, 100)))
    assert distance((R, R), above) <= CLOSE * scale  # 1: grim trigger
    if cooperate - margin > 0:
        below = ng.equilibrium_payoff_set(game, cooperate - margin)
        assert below.converged
        # 1 and 2: V ⊆ Δ ∩ {u ≥ P}, where u_1 + u_2 ≤ max(T + S, 2P) < 2R
        assert distance((R, R), below) >= (2 * R - max(T + S, 2 * P)) / np.sqrt(2) - CLOSE * scale
        expected = triangle if (T + S > 2 * P and cooperate - margin >= defect) else [(P, P)]
        assert hausdorff_distance(below.points, expected) <= CLOSE * scale  # 3 and 4
    smallest = min(cooperate, defect) if T + S > 2 * P else cooperate
    if smallest - margin > 0:
        nash_only = ng.equilibrium_payoff_set(game, smallest - margin)
        assert hausdorff_distance(nash_only.points, [(P, P)]) <= CLOSE * scale  # 3


def test_prisoners_dilemma_at_three_discount_factors_by_hand():
    """(T, R, P, S) = (5, 3, 1, 0): δ_D = 1/4, δ_C = 1/2. At δ = 1/5 only (1, 1); at 3/10 the triangle with
    (4, 1) = T + S − P; from 1/2 the feasible individually rational set, whose corner on u_2 = 1 is where the
    edge from (5, 0) to (3, 3) meets it: (5 − 2/3, 1) = (13/3, 1)."""
    game = prisoners_dilemma(5, 3, 1, 0)
    expected = {"1/5": [(1, 1)], "3/10": [(1, 1), (4, 1), (1, 4)],
                "9/10": [(1, 1), (Fraction(13, 3), 1), (3, 3), (1, Fraction(13, 3))]}
    for discount, polygon in expected.items():
        result = ng.equilibrium_payoff_set(game, discount)
        assert result.converged and result.complete and not result.exact
        assert len(result.vertices) == len(polygon)
        for vertex, corner in zip(result.points, polygon):
            assert vertex == pytest.approx(tuple(float(x) for x in corner), abs=CLOSE * 5)
        assert tuple(result.punishment.values()) == pytest.approx((1, 1), abs=CLOSE * 5)


def test_vertex_provenance_by_hand():
    """At δ = 3/10, (4, 1) is (D, C) now — A gets T = 5, B gets S = 0 — then w with 0.7·(5, 0) + 0.3·w = (4, 1),
    i.e. w = (5/3, 10/3); B's constraint ``w_2 ≥ P + (1 − δ)/δ · (P − S) = 1 + 7/3 = 10/3`` binds."""
    result = ng.equilibrium_payoff_set(prisoners_dilemma(5, 3, 1, 0), "3/10")
    vertex = result.vertices[1]
    assert (vertex.label, vertex.profile, vertex.kind) == ("V2", ("D", "C"), "second")
    assert vertex.continuation == pytest.approx((5 / 3, 10 / 3), abs=1e-8)
    assert result.vertices[0].kind == "stationary" and result.vertices[0].profile == ("D", "D")
    assert "V2 = (4, 1): (D, C) first, then (1.66667, 3.33333) (on B's incentive line)" in result.to_text()


# ---------------------------------------------------------------------- the APS conditions on random games
small_games = st.tuples(st.integers(2, 3), st.integers(2, 3)).flatmap(
    lambda shape: st.tuples(*(st.lists(st.lists(st.integers(-4, 8), min_size=shape[1], max_size=shape[1]),
                                       min_size=shape[0], max_size=shape[0]),) * 2))


@settings(max_examples=20, deadline=None)
@given(small_games, st.sampled_from([Fraction(3, 10), Fraction(1, 2), Fraction(4, 5)]))
def test_self_generation_folk_bounds_and_stage_nash(payoffs, discount):
    """Every vertex v satisfies Abreu, Pearce & Stacchetti's conditions with the recorded profile a and
    continuation w: ``v = (1 − δ) g(a) + δ w``, ``w`` in the set, and ``w_i`` at least the worst payoff ``u_i``
    plus ``(1 − δ)/δ`` times i's best one-shot gain; the set lies in the feasible payoffs above the pure minmax
    values (inside the folk-theorem set) and contains every pure stage Nash payoff."""
    first, second = payoffs
    game = ng.Game.from_arrays(first, second)
    result = ng.equilibrium_payoff_set(game, discount)
    scale = max(max(map(max, first)), max(map(max, second))) - min(min(map(min, first)), min(map(min, second)))
    scale = scale or 1
    slack = 1e-7 * scale
    assert result.converged
    d = float(discount)
    a, b = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    worst = np.array([result.punishment[p] for p in game.players]) if result.vertices else None
    for vertex in result.vertices:
        r, c = (game.strategies[0].index(vertex.profile[0]), game.strategies[1].index(vertex.profile[1]))
        g = np.array([a[r, c], b[r, c]])
        w = np.array(vertex.continuation)
        assert np.allclose(vertex.payoffs, (1 - d) * g + d * w, atol=slack)
        assert distance(tuple(w), result) <= slack
        gains = np.array([a[:, c].max() - a[r, c], b[r, :].max() - b[r, c]])
        assert (w >= worst + (1 - d) / d * gains - slack).all()
    limit = feasible_above(game, pure_minmax(first, second))
    folk = [tuple(float(x) for x in v) for v in feasible_individually_rational_set(game)]
    for point in result.points:
        assert distances_to_convex_polygon([point], limit)[0] <= slack
        assert distances_to_convex_polygon([point], folk)[0] <= slack
    for _, nash in result.stage_nash:
        assert distance(tuple(float(x) for x in nash), result) <= slack
    assert bool(result.stage_nash) <= bool(result.vertices)


def test_the_set_grows_to_the_feasible_individually_rational_set_as_delta_tends_to_one():
    """Abreu & Sannikov's 3 × 3 example: the pure and mixed minmax values are both (0, 0), so the limit is the
    folk-theorem set (Fudenberg & Maskin 1986); with public randomisation the set grows with δ (Abreu, Pearce
    & Stacchetti 1990), so its Hausdorff distance to the limit does not increase."""
    first = [[16, 3, 0], [21, 10, -1], [9, 5, -5]]
    second = [[9, 13, 3], [1, 4, 0], [0, -4, -15]]
    game = ng.Game.from_arrays(first, second)
    assert ng.minmax_values(game) == {"Player 1": 0, "Player 2": 0} and pure_minmax(first, second) == (0, 0)
    folk = [tuple(float(x) for x in v) for v in feasible_individually_rational_set(game)]
    distances = [hausdorff_distance(ng.equilibrium_payoff_set(game, d).points, folk) for d in (0.3, 0.5, 0.8, 0.95)]
    assert all(later <= earlier + 1e-8 for earlier, later in itertools.pairwise(distances))
    assert distances[0] > 4 and distances[-1] <= 36 * 1e-8


@settings(max_examples=10, deadline=None)
@given(small_games, st.tuples(st.integers(1, 5), st.integers(-5, 5), st.integers(1, 5), st.integers(-5, 5)))
def test_affine_change_of_payoffs_moves_the_set_with_it(payoffs, change):
    """``u_i → a_i u_i + b_i`` with ``a_i > 0`` changes neither best replies nor the ranking of continuation
    payoffs, so the equilibrium payoff set is mapped by the same transformation."""
    (first, second), (a1, b1, a2, b2) = payoffs, change
    game = ng.Game.from_arrays(first, second)
    moved = ng.Game.from_arrays([[a1 * x + b1 for x in row] for row in first],
                                [[a2 * x + b2 for x in row] for row in second])
    original, transformed = (ng.equilibrium_payoff_set(g, "7/10") for g in (game, moved))
    image = [(a1 * x + b1, a2 * y + b2) for x, y in original.points]
    scale = max(a1, a2) * (max(np.max(first), np.max(second)) - min(np.min(first), np.min(second)) or 1)
    assert hausdorff_distance(image, transformed.points) <= 1e-7 * scale


# ---------------------------------------------------------------------- QuantEcon
def reference():
    return json.loads((REFERENCE / "quantecon" / "quantecon_payoff_sets.json").read_text(encoding="utf-8"))


def test_the_reference_file_describes_the_generator_cases():
    data = reference()
    assert data["quantecon"] == GENERATOR.QUANTECON_VERSION == "0.11.4"
    assert data["generator"] == GENERATOR.GENERATOR and (ROOT / data["generator"]).is_file()
    assert data["tolerance"] == GENERATOR.TOLERANCE
    expected = [(name, discount) for name, case in GENERATOR.CASES.items() for discount in case[5]]
    assert [(c["name"], c["discount"]) for c in data["cases"]] == expected
    assert sum(c["name"] == "prisoners_dilemma" for c in data["cases"]) == 3  # the "three values of δ"
    for case in data["cases"]:
        _, players, _, first, second, _ = GENERATOR.CASES[case["name"]]
        assert case["payoffs"] == [first, second] and case["players"] == list(players)
    assert GENERATOR.render(data) == (REFERENCE / "quantecon" / "quantecon_payoff_sets.json").read_text("utf-8")


def _game(case):
    first, second = ([[Fraction(str(x)) for x in row] for row in matrix] for matrix in case["payoffs"])
    return ng.Game.from_arrays(first, second, players=tuple(case["players"]),
                               strategies=tuple(tuple(s) for s in case["strategies"]))


@pytest.mark.parametrize("case", reference()["cases"], ids=lambda c: f"{c['name']}@{c['discount']}")
def test_agrees_with_quantecon(case):
    """Hausdorff distance to QuantEcon's polygon within the file's tolerance × the payoff range."""
    game = _game(case)
    result = ng.equilibrium_payoff_set(game, case["discount"])
    scale = float(max(np.max(np.asarray(m, dtype=float)) for m in [game.payoff_array(0), game.payoff_array(1)])
                  - min(np.min(np.asarray(m, dtype=float)) for m in [game.payoff_array(0), game.payoff_array(1)]))
    assert result.converged
    assert hausdorff_distance(result.points, case["vertices"]) <= reference()["tolerance"] * scale
    assert len(result.vertices) == len(case["vertices"])


def test_the_security_dilemma_case_is_the_bundled_model():
    _, players, strategies, first, second, _ = GENERATOR.CASES["security_dilemma_repeated"]
    game = ng.load("security_dilemma_repeated").game_at()
    assert game.players == players and game.strategies == strategies
    assert [[str(x) for x in row] for row in game.payoff_array(0)] == first
    assert [[str(x) for x in row] for row in game.payoff_array(1)] == second


@pytest.mark.quantecon
def test_the_generator_writes_the_committed_file_byte_for_byte():
    pytest.importorskip("quantecon")
    completed = subprocess.run([sys.executable, str(REFERENCE / "generate_quantecon_reference.py"), "--check"],
                               check=False, capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.quantecon
def test_agrees_with_live_quantecon_on_random_games():
    """60 seeded random games up to 3 × 3 at four discount factors; QuantEcon's hull (Qhull) cannot hold a
    point or a segment and it raises when no pure equilibrium exists: there ours must be degenerate or empty."""
    pytest.importorskip("quantecon")
    from scipy.spatial import QhullError

    generator = np.random.default_rng(18)
    compared = 0
    for _ in range(60):
        rows, columns = generator.integers(2, 4, size=2)
        first, second = (generator.integers(-5, 10, size=(rows, columns)).tolist() for _ in range(2))
        discount = str(generator.choice(["3/10", "1/2", "7/10", "9/10"]))
        ours = ng.equilibrium_payoff_set(ng.Game.from_arrays(first, second), discount)
        try:
            theirs = GENERATOR.quantecon_vertices(first, second, discount)
        except (QhullError, ValueError):  # Qhull: fewer than three points; ValueError: no pure equilibrium
            assert len(ours.vertices) <= 2
            continue
        scale = max(np.ptp(first + second), 1)
        assert hausdorff_distance(ours.points, theirs) <= GENERATOR.TOLERANCE * scale, (first, second, discount)
        compared += 1
    assert compared >= 20


# ---------------------------------------------------------------------- edges, errors, the result protocol
def test_no_pure_equilibrium_gives_an_empty_set():
    """Matching pennies: no pure stage equilibrium and pure minmax 1 for both while payoffs sum to 0, so no
    pure-strategy subgame-perfect equilibrium exists at any δ."""
    pennies = ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    result = ng.equilibrium_payoff_set(pennies, "9/10")
    assert result.empty and result.converged and result.punishment == {}
    assert "No pure-strategy subgame-perfect equilibrium" in result.to_text()
    assert result.to_dict()["vertices"] == []


def test_unfinished_iteration_says_so():
    result = ng.equilibrium_payoff_set(prisoners_dilemma(5, 3, 1, 0), "9/10", max_rounds=3)
    assert not result.converged and not result.complete and result.rounds == 3
    assert any("not converged" in m for m in result.messages)
    assert "not necessarily complete" in result.summary()


@pytest.mark.parametrize("arguments, message", [
    (("1",), "discount: expected a discount factor in (0, 1)"),
    (("0",), "discount: expected a discount factor in (0, 1)"),
    (("x",), "discount: 'x' is not a number"),
    (("1/2", 0), "tolerance: expected a number in (0, 1)"),
    (("1/2", 1e-10, MAX_PAYOFF_SET_WORK // 34 + 1), (f"work limit {MAX_PAYOFF_SET_WORK:,} (rounds × (profiles + 30), "
                                                     "MAX_PAYOFF_SET_WORK unless max_work= or --max-work raises it): "
                                                     f"at most {MAX_PAYOFF_SET_WORK // 34} rounds")),
    (("1/2", 1e-10, 0), "max_rounds: expected a positive whole number"),
    (("1/2", 1e-10, 100, 0), "max_work: expected a positive whole number"),
])
def test_bad_options_are_refused_in_one_line(arguments, message):
    discount, *rest = arguments
    options = dict(zip(("tolerance", "max_rounds", "max_work"), rest))
    with pytest.raises(RepeatedGameError, match=re.escape(message)):
        ng.equilibrium_payoff_set(prisoners_dilemma(5, 3, 1, 0), discount, **options)


def test_games_it_does_not_take():
    three = ng.Game.from_arrays(np.zeros((2, 2, 2)).tolist(), np.zeros((2, 2, 2)).tolist(),
                                np.zeros((2, 2, 2)).tolist())
    with pytest.raises(RepeatedGameError, match="two-player stage game, this one has 3 players"):
        ng.equilibrium_payoff_set(three, "1/2")
    side = int(np.sqrt(MAX_PAYOFF_SET_PROFILES)) + 1
    big = ng.Game.from_arrays(np.zeros((side, side)).tolist(), np.zeros((side, side)).tolist())
    with pytest.raises(RepeatedGameError, match="MAX_PAYOFF_SET_PROFILES"):
        ng.equilibrium_payoff_set(big, "1/2")
    with pytest.raises(RepeatedGameError, match="substitute parameter values first"):
        ng.equilibrium_payoff_set(ng.load("security_dilemma_repeated").game, "1/2")


def test_result_renderings():
    result = ng.equilibrium_payoff_set(prisoners_dilemma(5, 3, 1, 0), "1/2")
    assert isinstance(result, PayoffSetResult)
    data = result.to_dict()
    assert data["exact"] is False and data["complete"] is True and data["discount"] == "1/2"
    assert data["tolerance"]["relative"] == 1e-10 and data["tolerance"]["absolute"] == pytest.approx(5e-10)
    assert [v["label"] for v in data["vertices"]] == ["V1", "V2", "V3", "V4"]
    assert data["individually_rational_set"] == [["1", "1"], ["13/3", "1"], ["3", "3"], ["1", "13/3"]]
    assert data["stage_nash"] == [{"profile": {"A": "D", "B": "D"}, "payoffs": ["1", "1"]}]
    frame = result.to_frame()
    assert list(frame["vertex"]) == ["V1", "V2", "V3", "V4"] and "payoff A" in frame.columns
    assert "\\begin{tabular}" in result.to_latex()


def test_figure_draws_the_set_the_folk_theorem_set_and_the_stage_equilibria(tmp_path):
    figure = ng.equilibrium_payoff_set(prisoners_dilemma(5, 3, 1, 0), "3/10").plot()
    labels = figure.axes[0].get_legend_handles_labels()[1]
    assert labels[:2] == ["folk-theorem set (feasible, u ≥ minmax)", "equilibrium payoffs at δ = 3/10"]
    assert "stage Nash equilibria (pure)" in labels
    empty = ng.equilibrium_payoff_set(ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]), "1/2").plot()
    assert any("no pure-strategy" in t.get_text() for t in empty.axes[0].texts)


def test_cli(tmp_path, capsys):
    from negotiation.cli import main

    picture = tmp_path / "set.png"
    assert main(["payoff-set", "security_dilemma_repeated", "--delta", "9/10", "--plot", str(picture)]) == 0
    text = capsys.readouterr().out
    assert "Equilibrium payoff set: NATO–Russia security dilemma, repeated" in text
    assert "(Restrain, Restrain) in every period" in text and picture.stat().st_size > 0
    assert main(["payoff-set", "security_dilemma_repeated", "--delta", "1/2", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"].startswith("Abreu-Sannikov") and len(data["vertices"]) == 4
    assert main(["payoff-set", "security_dilemma_repeated", "--delta", "1"]) == 1
    assert "--delta: expected a discount factor in (0, 1)" in capsys.readouterr().err
    assert main(["payoff-set", "cfe2", "--delta", "1/2"]) == 1
    assert "which payoff-set takes: use negotiation agree cfe2" in capsys.readouterr().err


def test_max_work_raises_the_rounds_a_slow_discount_factor_needs():
    """Near δ = 1 the steps shrink like δ^rounds: the Prisoner's Dilemma needs about 2,150 rounds at δ = 0.99,
    more than the default work limit gives a 2 × 2 game (60,000 / 34 = 1,764 rounds): the result says it did
    not converge; ``max_work`` lifts the limit and the iteration converges."""
    game = prisoners_dilemma(5, 3, 1, 0)
    short = ng.equilibrium_payoff_set(game, "99/100")
    assert short.rounds == MAX_PAYOFF_SET_WORK // 34 and not short.complete
    full = ng.equilibrium_payoff_set(game, "99/100", max_work=4 * MAX_PAYOFF_SET_WORK)
    assert full.complete and full.rounds > MAX_PAYOFF_SET_WORK // 34
