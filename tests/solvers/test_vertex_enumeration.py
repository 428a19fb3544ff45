"""All extreme equilibria of two-player games: literature games, degenerate games, properties, oracles."""

from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import negotiation as ng
from negotiation.solvers import vertex_enumeration

DATA = Path(__file__).resolve().parents[1] / "data"
VS75 = DATA / "vonstengel1999_6x6_75eq.nfg"


def equilibrium_set(result):
    return {(tuple(e.profile.probabilities[0]), tuple(e.profile.probabilities[1])) for e in result}


def game(A, B, **kw):
    return ng.Game.from_arrays(A, B, **kw)


# ---------------------------------------------------------------------- literature games
def test_prisoners_dilemma_has_only_mutual_defection():
    # T=5 > R=3 > P=1 > S=0 (Axelrod's payoffs): (D, D) is the unique equilibrium.
    result = vertex_enumeration(game([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert equilibrium_set(result) == {((0, 1), (0, 1))}
    assert result.exact and result.complete and result.degenerate is False


def test_stag_hunt_mixed_equilibrium_matches_closed_form():
    # domain.md §M1: q* = (P - S) / ((R - T) + (P - S)) = (2 - 0) / ((4 - 3) + 2) = 2/3.
    result = vertex_enumeration(game([[4, 0], [3, 2]], [[4, 3], [0, 2]]))
    assert equilibrium_set(result) == {
        ((1, 0), (1, 0)), ((F(2, 3), F(1, 3)), (F(2, 3), F(1, 3))), ((0, 1), (0, 1))
    }
    mixed = next(e for e in result if e.kind == "mixed")
    assert mixed.payoffs == (F(8, 3), F(8, 3))  # 2/3 * 4 + 1/3 * 0


def test_chicken():
    # Swerve/Straight, payoffs (0,0), (-1,1), (1,-1), (-10,-10): mixed Pr(Swerve) = 9/10 by indifference
    # -1*(1-q) + 0*q ... : u(Swerve) = -(1-q) , u(Straight) = q - 10(1-q)  =>  q = 9/10.
    result = vertex_enumeration(game([[0, -1], [1, -10]], [[0, 1], [-1, -10]]))
    assert equilibrium_set(result) == {
        ((1, 0), (0, 1)), ((0, 1), (1, 0)), ((F(9, 10), F(1, 10)), (F(9, 10), F(1, 10)))
    }


def test_battle_of_the_sexes():
    # Classic: A = [[2,0],[0,1]], B = [[1,0],[0,2]]; mixed x = (2/3, 1/3), y = (1/3, 2/3).
    result = vertex_enumeration(game([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    assert equilibrium_set(result) == {
        ((1, 0), (1, 0)), ((0, 1), (0, 1)), ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3)))
    }


def test_matching_pennies_and_rock_paper_scissors():
    pennies = vertex_enumeration(game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    assert equilibrium_set(pennies) == {((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))}
    rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    result = vertex_enumeration(game(rps, -rps))
    third = (F(1, 3),) * 3
    assert equilibrium_set(result) == {(third, third)}
    assert result[0].payoffs == (0, 0)


def test_von_stengel_nondegenerate_3x2_example():
    # von Stengel, AGT (2007) ch. 3, Fig. 3.3; equilibria checked by hand:
    # ((1,0,0),(1,0)); ((4/5,1/5,0),(2/3,1/3)): Ay = (3,3,2), x^T B = (14/5,14/5);
    # ((0,1/3,2/3),(1/3,2/3)): Ay = (3,4,4), x^T B = (8/3,8/3).
    result = vertex_enumeration(game([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]]))
    assert equilibrium_set(result) == {
        ((1, 0, 0), (1, 0)),
        ((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))),
        ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    }
    assert result.degenerate is False
    assert result.components == ((0,), (1,), (2,))


def test_cyclic_best_responses_unique_completely_mixed_equilibrium():
    # Best responses cycle (row 1 -> col 3 -> row 2 -> col 1 -> row 3 -> col 2 -> row 1), so there is no
    # pure equilibrium; the uniform profile gives Ay = (1/3, 1/3, 1/3) and x^T B = (1/3, 1/3, 1/3).
    A = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    B = [[0, 0, 1], [1, 0, 0], [0, 1, 0]]
    result = vertex_enumeration(game(A, B))
    third = (F(1, 3),) * 3
    assert equilibrium_set(result) == {(third, third)}


# ---------------------------------------------------------------------- degenerate games
def test_entry_game_continuum_is_one_component():
    # Entrant: Out (0, 2) or In; incumbent: Fight (-1, -1) or Accommodate (1, 1).
    # Equilibria: (In, Acc) and the segment (Out, q Fight + (1-q) Acc) for q >= 1/2
    # whose extreme points are q = 1 and q = 1/2 (In pays -q + (1-q) <= 0 iff q >= 1/2).
    g = game([[0, 0], [-1, 1]], [[2, 2], [-1, 1]],
             players=("Entrant", "Incumbent"), strategies=(("Out", "In"), ("Fight", "Accommodate")))
    result = vertex_enumeration(g)
    assert equilibrium_set(result) == {
        ((1, 0), (1, 0)), ((1, 0), (F(1, 2), F(1, 2))), ((0, 1), (0, 1))
    }
    assert result.degenerate is True
    out_set = {k for k, e in enumerate(result) if e["Entrant"]["Out"] == 1}
    assert set(map(frozenset, result.components)) == {frozenset(out_set), frozenset({({0, 1, 2} - out_set).pop()})}


def test_constant_game_every_profile_one_component():
    result = vertex_enumeration(game([[1, 1], [1, 1]], [[2, 2], [2, 2]]))
    assert equilibrium_set(result) == {((1, 0), (1, 0)), ((1, 0), (0, 1)), ((0, 1), (1, 0)), ((0, 1), (0, 1))}
    assert result.components == ((0, 1, 2, 3),)
    assert result.degenerate is True


def test_agt_degenerate_3x2_game():
    # AGT ch. 3 degenerate example A=[[3,3],[2,5],[0,6]], B=[[3,3],[2,6],[3,1]] (anchors.md §2d):
    # Gambit finds 3 extreme equilibria; by hand: (T, L) with y in [2/3? ...]. Row 1 (3,3) makes
    # the column player indifferent, so (x=(1,0,0), y) is an equilibrium for y_L >= 2/3 (row 1 best:
    # 3 >= 2y_L + 5(1-y_L) iff y_L >= 2/3), giving extreme points y=(1,0) and y=(2/3,1/3); and the mixed
    # ((0,1/3,2/3),(1/3,2/3)) where x^T B = (0+2/3+2, 0+2+2/3) is indifferent and Ay = (3,4,4).
    result = vertex_enumeration(game([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]]))
    assert equilibrium_set(result) == {
        ((1, 0, 0), (1, 0)),
        ((1, 0, 0), (F(2, 3), F(1, 3))),
        ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    }
    assert result.degenerate is True
    assert sorted(map(len, result.components)) == [1, 2]


def test_weakly_dominant_prisoners_dilemma_two_pure():
    # anchors.md §2d "weak-dominance PD": ties make (C, C) and (D, D) both equilibria.
    # By hand: (C, C) needs y_C = 1 and x_C = 1; (D, D) is strict; no mixture survives.
    result = vertex_enumeration(game([[1, 0], [1, 1]], [[1, 1], [0, 1]]))
    assert equilibrium_set(result) == {((1, 0), (1, 0)), ((0, 1), (0, 1))}


def test_all_zero_payoff_column_is_solved():
    # nashpy's vertex enumeration returns no equilibrium at all here (anchors.md §2c).
    A = [[25, 0], [52, 0]]
    B = [[48, 22], [77, 92]]
    result = vertex_enumeration(game(A, B))
    # row 2 strictly dominates row 1 against column 1 and ties against column 2; column 2 is
    # the best reply to row 2 (92 > 77), and then rows tie (0 = 0): (row 2, col 2) and
    # (row 1 mixed in, col 2) as long as column 2 stays best: 48x + 77(1-x) <= 22x + 92(1-x) iff x <= 15/41.
    assert equilibrium_set(result) == {((0, 1), (0, 1)), ((F(15, 41), F(26, 41)), (0, 1))}
    assert result.components == ((0, 1),)


def test_one_strategy_player_and_indifferent_opponent():
    # Player 2 is indifferent (all zeros): every y is a best reply, so the equilibria form one
    # simplex whose vertices are the three pure strategies of player 2.
    result = vertex_enumeration(game([[1, 2, 0]], [[0, 0, 0]]))
    assert equilibrium_set(result) == {((1,), (1, 0, 0)), ((1,), (0, 1, 0)), ((1,), (0, 0, 1))}
    assert result.components == ((0, 1, 2),)


# ---------------------------------------------------------------------- von Stengel's 75-equilibria game
def test_von_stengel_75_equilibria():
    scenario = ng.load(VS75)
    result = ng.solve(scenario)
    assert len(result) == 75  # von Stengel (1999), DCG 21: 75 equilibria
    assert result.exact and result.complete
    assert result.degenerate is False
    assert len(result.components) == 75


# ---------------------------------------------------------------------- floats
def test_float_payoffs_give_float_equilibria_within_tolerance():
    result = vertex_enumeration(game([[4.0, 0.0], [3.0, 2.0]], [[4.0, 3.0], [0.0, 2.0]]))
    assert not result.exact
    mixed = [e for e in result if e.kind == "mixed"][0]
    assert mixed.profile.probabilities[0][0] == pytest.approx(2 / 3, abs=1e-12)
    assert len(result) == 3


# ---------------------------------------------------------------------- properties
small_int_games = st.integers(1, 4).flatmap(
    lambda m: st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
        )
    )
)


def _regret_float(A, B, x, y):
    A = np.array(A, dtype=float)
    B = np.array(B, dtype=float)
    x = np.array([float(v) for v in x])
    y = np.array([float(v) for v in y])
    return max((A @ y).max() - x @ A @ y, (x @ B).max() - x @ B @ y)


@settings(max_examples=150, deadline=None)
@given(small_int_games)
def test_every_equilibrium_has_zero_regret_and_is_a_distribution(data):
    A, B = data
    result = vertex_enumeration(game(A, B))
    assert len(result) >= 1  # Nash's theorem
    for e in result:
        x, y = e.profile.probabilities
        assert all(isinstance(v, F) for v in x + y)
        assert sum(x) == 1 and sum(y) == 1 and min(x) >= 0 and min(y) >= 0
        # independent recomputation in exact arithmetic
        Ay = [sum(F(A[i][j]) * y[j] for j in range(len(y))) for i in range(len(x))]
        xB = [sum(x[i] * F(B[i][j]) for i in range(len(x))) for j in range(len(y))]
        assert sum(x[i] * Ay[i] for i in range(len(x))) == max(Ay)
        assert sum(xB[j] * y[j] for j in range(len(y))) == max(xB)


@settings(max_examples=100, deadline=None)
@given(small_int_games, st.integers(1, 5), st.integers(-10, 10), st.integers(1, 5), st.integers(-10, 10))
def test_invariant_under_positive_affine_transformations(data, a, b, c, d):
    A, B = (np.array(M, dtype=object) for M in data)
    base = equilibrium_set(vertex_enumeration(game(A, B)))
    moved = equilibrium_set(vertex_enumeration(game(A * F(a, 3) + b, B * F(c, 2) + d)))
    assert base == moved


@settings(max_examples=100, deadline=None)
@given(small_int_games, st.randoms(use_true_random=False))
def test_relabelling_permutes_equilibria(data, random):
    A, B = (np.array(M, dtype=object) for M in data)
    m, n = A.shape
    rows = list(range(m))
    cols = list(range(n))
    random.shuffle(rows)
    random.shuffle(cols)
    base = equilibrium_set(vertex_enumeration(game(A, B)))
    permuted = equilibrium_set(vertex_enumeration(game(A[rows][:, cols], B[rows][:, cols])))
    assert permuted == {(tuple(x[i] for i in rows), tuple(y[j] for j in cols)) for x, y in base}
    # swapping the players transposes the game
    swapped = equilibrium_set(vertex_enumeration(game(B.T, A.T)))
    assert swapped == {(y, x) for x, y in base}


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_generic_games_have_an_odd_number_of_equilibria(m, n, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(0, 10**6, (m, n))
    B = rng.integers(0, 10**6, (m, n))
    result = vertex_enumeration(game(A, B))
    if result.degenerate is False:
        assert len(result) % 2 == 1
        assert all(len(c) == 1 for c in result.components)


# ---------------------------------------------------------------------- oracles
# Gambit's enummixed answers on these corpora are committed in tests/reference/ (written by
# tests/reference/generate_gambit_reference.py from the corpus functions here); the default suite compares
# with them, the `gambit` suite (pytest -m gambit) with live pygambit.
def random_corpus():
    """400 random bimatrix games, 1x1 to 6x6; small payoff ranges make many of them degenerate."""
    rng = np.random.default_rng(20261122)
    for trial in range(400):
        m, n = rng.integers(1, 7, size=2)
        high = [2, 3, 5, 100][trial % 4]
        yield rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n))


def degenerate_corpus():
    """40 games of 5x5 to 7x7 with payoffs in {0, 1}, {0, 1, 2} or {0, ..., 3}: many ties."""
    rng = np.random.default_rng(5)
    for trial in range(40):
        m, n = rng.integers(5, 8, size=2)
        high = [2, 3, 4][trial % 3]
        yield rng.integers(0, high, (m, n)), rng.integers(0, high, (m, n))


def _fractions(profiles):
    return {(tuple(F(v) for v in x), tuple(F(v) for v in y)) for x, y in profiles}


def _same_games(corpus, cases):
    """The committed games are the ones the corpus function builds (the file cannot drift from the test)."""
    games = [(A.tolist(), B.tolist()) for A, B in corpus]
    assert games == [(case["A"], case["B"]) for case in cases]


def _gambit_set(gbt, A, B):
    g = gbt.Game.from_arrays([[F(int(v)) for v in row] for row in A], [[F(int(v)) for v in row] for row in B])
    players = list(g.players)
    found = set()
    for eq in gbt.nash.enummixed_solve(g, rational=True).equilibria:
        x = tuple(F(str(eq[s])) for s in players[0].strategies)
        y = tuple(F(str(eq[s])) for s in players[1].strategies)
        found.add((x, y))
    return found


def test_agrees_with_gambit_enummixed_on_random_and_degenerate_games(gambit_reference):
    reference = gambit_reference("vertex_enumeration_random")
    _same_games(random_corpus(), reference["cases"])
    for case in reference["cases"]:
        A, B = case["A"], case["B"]
        assert equilibrium_set(vertex_enumeration(game(A, B))) == _fractions(case["equilibria"]), (A, B)


@pytest.mark.gambit
def test_agrees_with_live_gambit_enummixed_on_random_and_degenerate_games():
    gbt = pytest.importorskip("pygambit")
    for A, B in random_corpus():
        assert equilibrium_set(vertex_enumeration(game(A, B))) == _gambit_set(gbt, A, B), (A.tolist(), B.tolist())


def test_agrees_with_gambit_on_von_stengel_75(gambit_reference):
    (case,) = gambit_reference("vertex_enumeration_vs75")["cases"]
    assert (Path(__file__).resolve().parents[2] / case["file"]) == VS75
    expected = _fractions(case["equilibria"])
    assert len(expected) == 75
    assert equilibrium_set(ng.solve(ng.load(VS75))) == expected


@pytest.mark.gambit
def test_agrees_with_live_gambit_on_von_stengel_75():
    gbt = pytest.importorskip("pygambit")
    reference = gbt.read_nfg(str(VS75))
    players = list(reference.players)
    found = set()
    for eq in gbt.nash.enummixed_solve(reference, rational=True).equilibria:
        found.add((tuple(F(str(eq[s])) for s in players[0].strategies),
                   tuple(F(str(eq[s])) for s in players[1].strategies)))
    assert equilibrium_set(ng.solve(ng.load(VS75))) == found


@pytest.mark.slow
def test_agrees_with_nashpy_vertex_enumeration_on_generic_games():
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(7)
    for _ in range(150):
        m, n = rng.integers(2, 5, size=2)
        A = rng.integers(1, 100, (m, n))
        B = rng.integers(1, 100, (m, n))
        ours = vertex_enumeration(game(A, B))
        if ours.degenerate:
            continue
        theirs = list(nashpy.Game(A, B).vertex_enumeration())
        assert len(theirs) == len(ours)
        for x, y in theirs:
            assert any(
                np.allclose(x, [float(v) for v in e.profile.probabilities[0]], atol=1e-9)
                and np.allclose(y, [float(v) for v in e.profile.probabilities[1]], atol=1e-9)
                for e in ours
            )


def test_agrees_with_gambit_on_larger_degenerate_games(gambit_reference):
    """The floating-point polytope walk (used above 40 bases) on games with many ties, 5x5 to 7x7."""
    reference = gambit_reference("vertex_enumeration_degenerate")
    _same_games(degenerate_corpus(), reference["cases"])
    degenerate = 0
    for case in reference["cases"]:
        result = vertex_enumeration(game(case["A"], case["B"]))
        degenerate += bool(result.degenerate)
        assert equilibrium_set(result) == _fractions(case["equilibria"]), (case["A"], case["B"])
    assert degenerate >= 20  # the sample really exercises degenerate polytopes


@pytest.mark.gambit
def test_agrees_with_live_gambit_on_larger_degenerate_games():
    gbt = pytest.importorskip("pygambit")
    for A, B in degenerate_corpus():
        assert equilibrium_set(vertex_enumeration(game(A, B))) == _gambit_set(gbt, A, B), (A.tolist(), B.tolist())


# ---------------------------------------------------------------------- work budget (issue 16)
def test_vertex_bound_is_the_upper_bound_theorem():
    from negotiation.solvers.vertex_enumeration import vertex_bound
    # a polygon has as many vertices as edges; the cube (3 dimensions, 6 facets) attains the bound 8;
    # the dual of the cyclic 4-polytope with 8 facets has n(n-3)/2 = 20 vertices (Ziegler, Lectures on Polytopes, 8.4)
    assert (vertex_bound(2, 7), vertex_bound(3, 6), vertex_bound(4, 8)) == (7, 8, 20)


def test_games_past_the_vertex_budget_are_refused_before_the_walk():
    from negotiation.core.errors import SolverLimitError
    # 13×13: each polytope may have C(19, 13) + C(19, 13) = 54 264 vertices, with 14 variables that may enter at
    # each: 2 × 54 264 × 14 = 1 519 392 basis steps, over 700 000
    zeros = game(np.zeros((13, 13), dtype=int).tolist(), np.zeros((13, 13), dtype=int).tolist())
    with pytest.raises(SolverLimitError, match=r"13×13 game's best-response polytopes may take 1,519,392 basis steps "
                                               r".*lemke_howson.*max_work="):
        ng.solve(zeros)


def test_max_work_raises_the_vertex_budget_exactly_at_the_bound():
    from negotiation.core.errors import SolverLimitError
    # identity 7×7: each polytope may have C(14 - 4, 7) + C(14 - 4, 7) = 240 vertices, 8 variables may enter at
    # each (2 × 240 × 8 = 3840 basis steps), and the game
    # 2^7 - 1 = 127 equilibria (uniform play on any common nonempty support)
    identity = np.eye(7, dtype=int).tolist()
    with pytest.raises(SolverLimitError, match="3,840 basis steps"):
        vertex_enumeration(game(identity, identity), max_work=3839)
    assert len(vertex_enumeration(game(identity, identity), max_work=3840)) == 127


def test_too_many_candidate_equilibria_are_refused_before_they_are_rebuilt():
    from negotiation.core.errors import SolverLimitError
    identity = np.eye(10, dtype=int).tolist()  # 2^10 - 1 = 1023 equilibria, more than 600
    with pytest.raises(SolverLimitError, match="1,023 candidate equilibria .*lemke_howson"):
        ng.solve(game(identity, identity))
