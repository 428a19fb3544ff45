"""The fast exact n-player solver: multiplication matrices (FLINT), vectorised pruning, auto up to 3×3×3.

Independent sources: equilibria derived by hand below; sympy's Gröbner bases (``engine="sympy"``, the
previous implementation, kept callable) for set equality; exact regrets on the game's own payoffs, and
for irrational equilibria an exact check of the closed forms by sympy (polynomial remainder modulo the
minimal polynomial); the definition of conditional dominance evaluated profile by profile.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import sympy

import negotiation as ng
from negotiation.models.profile import regrets
from negotiation.solvers.multiplication_matrices import solve_by_multiplication_matrices
from negotiation.solvers.polynomial import (
    SupportEnumerationError,
    support_enumeration_polynomial,
    support_profiles,
)
from negotiation.solvers.polynomial_systems import solve_square_system
from negotiation.solvers.support_pruning import (
    conditionally_dominated,
    profile_table,
    segment_is_empty,
)


def vectors(equilibrium):
    return tuple(tuple(p) for p in equilibrium.profile.probabilities)


def float_points(result):
    return sorted(tuple(round(float(p), 10) for vector in vectors(e) for p in vector) for e in result)


def random_game(seed, shape, high=100):
    rng = np.random.default_rng(seed)
    return ng.Game.from_arrays(*[rng.integers(0, high, size=shape) for _ in shape])


def exact_zero_regret(game, result):
    """Every equilibrium has regret exactly 0: rational ones by Fractions, irrational ones by sympy."""
    closed = {c["equilibrium"]: c for c in result.details.get("closed_forms", [])}
    for k, e in enumerate(result):
        if k not in closed:
            assert e.profile.is_exact and max(regrets(game, e.profile)) == 0
            continue
        alpha = sympy.Symbol("alpha")

        def parse(text, alpha=alpha):
            expression = sympy.sympify(text)
            roots = expression.atoms(sympy.CRootOf)
            return expression.subs({root: alpha for root in roots}), roots

        profile = []
        for player, labels in zip(game.players, game.strategies):
            profile.append([parse(closed[k]["profile"][player][label]) for label in labels])
        roots = set().union(*(r for vector in profile for _, r in vector))
        assert len(roots) <= 1
        minimal = value = None
        if roots:
            (root,) = roots
            minimal = sympy.Poly(root.expr, root.poly.gen).as_expr().subs(root.poly.gen, alpha)
            value = float(root.evalf(30))
        probabilities = [[expression for expression, _ in vector] for vector in profile]

        def is_zero(expression, minimal=minimal, alpha=alpha):
            if minimal is not None:
                return sympy.rem(sympy.expand(expression), minimal, alpha) == 0
            return sympy.simplify(expression) == 0

        def sign(expression, value=value, alpha=alpha):
            return float(expression.subs(alpha, value).evalf(40)) if value is not None else float(expression.evalf(40))

        for vector in probabilities:
            assert is_zero(sum(vector) - 1)
        for i in range(game.n_players):
            u = game.payoff_array(i)
            values = []
            for s in range(game.shape[i]):
                total = sympy.Integer(0)
                for others in itertools.product(*(range(n) for j, n in enumerate(game.shape) if j != i)):
                    position = list(others)
                    position.insert(i, s)
                    weight = sympy.Rational(u[tuple(position)].numerator, u[tuple(position)].denominator)
                    for j, a in zip([j for j in range(game.n_players) if j != i], others):
                        weight *= probabilities[j][a]
                    total += weight
                values.append(total)
            support = [s for s, p in enumerate(e.profile.probabilities[i]) if p > 1e-12]
            for s in support:
                assert is_zero(values[s] - values[support[0]])
            for s in range(game.shape[i]):
                if s not in support:
                    assert sign(values[s] - values[support[0]]) < 1e-12


# ---------------------------------------------------------------------- derived by hand
def test_three_player_threshold_game_with_an_irrational_equilibrium():
    # Each player i prefers strategy 1 iff 2 * (product of the others' probabilities of strategy 1) > 1:
    # u_i(1, others) = 1 if both others play 1 else -1, u_i(2, ·) = 0. With p, q, r the probabilities of
    # strategy 1: D1 = 2qr - 1, D2 = 2pr - 1, D3 = 2pq - 1. By hand: pure profiles (D = ±1 there, no ties):
    # (1,1,1) and (2,2,2) only; one mixer needs 2qr = 1 with q, r pure: impossible; two mixers (r pure):
    # D1 = 0 needs r = 1, q = 1/2, and D2 = 0 gives p = 1/2, but then D3 = -1/2 < 0 and 3 must play 2:
    # none; all mixing: qr = pr = pq = 1/2 gives p = q = r = sqrt(2)/2. Three equilibria.
    shape = (2, 2, 2)
    arrays = []
    for i in range(3):
        u = np.zeros(shape, dtype=object)
        for profile in itertools.product((0, 1), repeat=3):
            others = [a for k, a in enumerate(profile) if k != i]
            u[profile] = (1 if all(a == 0 for a in others) else -1) if profile[i] == 0 else 0
        arrays.append(u)
    game = ng.Game.from_arrays(*arrays)
    result = support_enumeration_polynomial(game)
    assert result.complete and not result.exact and len(result) == 3
    pure = {vectors(e) for e in result if e.kind == "pure"}
    assert pure == {((1, 0),) * 3, ((0, 1),) * 3}
    (mixed,) = [e for e in result if e.kind != "pure"]
    for vector in vectors(mixed):
        assert float(vector[0]) == pytest.approx(2 ** 0.5 / 2, abs=1e-15)
    (closed,) = result.details["closed_forms"]
    assert closed["profile"]["Player 2"] == {"1": "sqrt(2)/2", "2": "1 - sqrt(2)/2"}
    assert closed["minimal_polynomial"] in ("t**2 - 1/2", "t**2 - 2*t + 1/2")
    exact_zero_regret(game, result)


def test_one_mixer_segment_without_an_equilibrium_is_decided_exactly():
    # Player 1 is indifferent when 2 and 3 both play strategy 2 (index 1): u1 = 5 there for both its
    # strategies. With p = P1's probability of strategy 1, player 2's gain from leaving 2 for 1 is
    # 2p - (1 - p) = 3p - 1 (<= 0 iff p <= 1/3) and player 3's is -p + 2(1 - p) = 2 - 3p (<= 0 iff
    # p >= 2/3): no p satisfies both, so that support holds no equilibrium although its indifference
    # equation vanishes identically. Neither deviation is conditionally dominated (mixed signs).
    u1 = np.array([[[7, 1], [2, 5]], [[3, 8], [9, 5]]], dtype=object)
    u2 = np.zeros((2, 2, 2), dtype=object)
    u3 = np.zeros((2, 2, 2), dtype=object)
    u2[0, 0, 1], u2[0, 1, 1] = 2, 0      # p = 1: leaving costs -2 (gain 2)
    u2[1, 0, 1], u2[1, 1, 1] = 0, 1      # p = 0: gain -1
    u3[0, 1, 0], u3[0, 1, 1] = 0, 1      # p = 1: gain -1
    u3[1, 1, 0], u3[1, 1, 1] = 2, 0      # p = 0: gain 2
    u2[:, :, 0] = [[4, 6], [1, 3]]
    u3[:, 0, :] = [[6, 2], [1, 7]]
    payoffs = [np.array(u, dtype=object) for u in (u1, u2, u3)]
    assert segment_is_empty(payoffs, ((0, 1), (1,), (1,))) is True
    assert segment_is_empty(payoffs, ((0, 1), (0, 1), (1,))) is None  # two mixers: not this test's case
    game = ng.Game.from_arrays(u1, u2, u3)
    result = support_enumeration_polynomial(game)
    assert result.complete and not any("non-isolated" in m for m in result.messages)
    # the same game with player 3's gain 1 - 4p (<= 0 iff p >= 1/4): every p in [1/4, 1/3] is an
    # equilibrium, a non-isolated component, reported as such
    u3b = u3.copy()
    u3b[0, 1, 0], u3b[0, 1, 1] = 0, 3    # p = 1: gain -3
    u3b[1, 1, 0], u3b[1, 1, 1] = 1, 0    # p = 0: gain 1  -> gain(p) = -3p + (1 - p) = 1 - 4p
    payoffs_b = [payoffs[0], payoffs[1], np.array(u3b, dtype=object)]
    assert segment_is_empty(payoffs_b, ((0, 1), (1,), (1,))) is False
    degenerate = support_enumeration_polynomial(ng.Game.from_arrays(u1, u2, u3b))
    assert not degenerate.complete and degenerate.degenerate is True


# ---------------------------------------------------------------------- pieces against their definitions
@pytest.mark.parametrize("shape,seed,high", [((2, 2, 2), 1, 4), ((3, 3, 3), 2, 5), ((2, 2, 2, 2), 3, 3),
                                             ((2, 3, 4), 4, 100)])
def test_vectorised_conditional_dominance_matches_the_definition(shape, seed, high):
    rng = np.random.default_rng(seed)
    screens = [rng.integers(0, high, size=shape) for _ in shape]
    profiles = tuple(support_profiles(shape))
    found = conditionally_dominated(screens, shape, profile_table(shape, profiles))
    for k, supports in enumerate(profiles):
        expected = False
        for i, u in enumerate(screens):
            others = [j for j in range(len(shape)) if j != i]
            pure = list(itertools.product(*(supports[j] for j in others)))
            for s in supports[i]:
                for better in range(shape[i]):
                    if better == s:
                        continue

                    def at(strategy, actions, i=i, u=u):
                        position = list(actions)
                        position.insert(i, strategy)
                        return u[tuple(position)]

                    if all(at(better, a) > at(s, a) for a in pure):
                        expected = True
        assert bool(found[k]) == expected, supports


def test_multiplication_matrices_on_small_systems_with_known_solutions():
    # x^2 - 2 = 0, y - x = 0: two solutions (±sqrt 2, ±sqrt 2), eliminant of degree 2
    status, (eliminant, coordinates) = solve_by_multiplication_matrices([{(2, 0): 1, (0, 0): -2},
                                                                         {(0, 1): 1, (1, 0): -1}], 2)
    assert status == "ok" and len(eliminant) == 3
    roots = np.roots([float(c) for c in reversed(eliminant)])
    for t in roots:
        x, y = (np.polyval([float(c) for c in reversed(g)], t) for g in coordinates)
        assert x == pytest.approx(y) and x * x == pytest.approx(2)
    assert solve_by_multiplication_matrices([{(1, 0): 1, (0, 0): -1}, {(1, 0): 1, (0, 0): -2}], 2)[0] == "empty"
    assert solve_by_multiplication_matrices([{(1, 1): 1}], 2)[0] == "continuum"
    # a double root (x^2 = 0, y = 1): no square-free eliminant, so it hands over; sympy takes the radical
    assert solve_by_multiplication_matrices([{(2, 0): 1}, {(0, 1): 1, (0, 0): -1}], 2) is None
    status, points = solve_square_system([{(2, 0): 1}, {(0, 1): 1, (0, 0): -1}], 2)
    assert status == "ok" and [[c.value() for c in coordinates] for _, coordinates in points] == [[0, 1]]


# ---------------------------------------------------------------------- the two engines agree
# seeds whose games have irrational equilibria (quadratic fields; 2×3×3 seed 106 also two quartic ones)
@pytest.mark.parametrize("shape,seeds", [((2, 2, 2), range(100, 108)), ((2, 2, 3), (100, 102, 106)),
                                         ((2, 2, 2, 2), (101, 103)), ((2, 3, 3), (106,))])
def test_flint_and_sympy_engines_give_the_same_equilibria(shape, seeds):
    for seed in seeds:
        game = random_game(seed, shape)
        fast = support_enumeration_polynomial(game, max_work=1000)
        reference = support_enumeration_polynomial(game, max_work=1000, engine="sympy")
        assert fast.complete == reference.complete and fast.exact == reference.exact
        assert float_points(fast) == float_points(reference)
        exact = {vectors(e) for e in fast if e.profile.is_exact}
        assert exact == {vectors(e) for e in reference if e.profile.is_exact}
        minimal = sorted(c["minimal_polynomial"] for c in fast.details.get("closed_forms", []))
        assert len(minimal) == len(reference.details.get("closed_forms", []))


# 3×3×3 seed 101 has an equilibrium in a quartic field, 102 four quadratic ones; 2×3×3 seed 106 two quartic
@pytest.mark.parametrize("shape,seed", [((3, 3, 3), 101), ((3, 3, 3), 102), ((2, 2, 2, 2), 101), ((2, 3, 3), 106)])
def test_every_equilibrium_of_larger_games_has_exactly_zero_regret(shape, seed):
    game = random_game(seed, shape)
    result = support_enumeration_polynomial(game, max_work=1000)
    assert result.complete and result.details["closed_forms"]
    exact_zero_regret(game, result)


def test_relabelling_strategies_and_players_gives_the_same_equilibria():
    game = random_game(11, (2, 3, 3))
    arrays = [game.payoff_array(i) for i in range(3)]
    base = support_enumeration_polynomial(game)
    # players in the order (3, 1, 2), and player 3's strategies reversed
    order = (2, 0, 1)
    moved = [np.flip(np.transpose(arrays[k], order), axis=0) for k in order]   # axis 0 is now player 3
    changed = support_enumeration_polynomial(ng.Game.from_arrays(*moved))
    assert len(base) == len(changed) and base.complete == changed.complete
    assert sum("non-isolated" in m for m in base.messages) == sum("non-isolated" in m for m in changed.messages)

    def canonical(result, unmove):
        return sorted(tuple(round(float(p), 12) for vector in unmove(vectors(e)) for p in vector) for e in result)

    assert canonical(base, lambda v: v) == canonical(changed, lambda v: (v[1], v[2], tuple(reversed(v[0]))))


# ---------------------------------------------------------------------- options and auto
def test_engine_option_is_checked():
    with pytest.raises(SupportEnumerationError, match="engine must be 'flint' or 'sympy', got 'numeric'"):
        support_enumeration_polynomial(random_game(0, (2, 2, 2)), engine="numeric")


def test_auto_runs_the_complete_method_on_three_by_three_by_three_and_says_when_it_cannot():
    game = random_game(21, (3, 3, 3))
    result = ng.solve(game)
    assert result.method == "support_enumeration_polynomial" and result.complete
    assert float_points(result) == float_points(support_enumeration_polynomial(game, max_work=343))
    assert ng.solve(random_game(22, (2, 2, 2, 2))).method == "support_enumeration_polynomial"
    # 3×3×4: 7 · 7 · 15 = 735 support profiles, over the auto budget: pure equilibria only, and it says so
    bigger = ng.solve(random_game(23, (3, 3, 4)))
    assert bigger.method == "enumerate_pure" and not bigger.complete
    assert any("pure-strategy equilibria only" in m for m in bigger.messages)
