"""Signaling games: pure perfect Bayesian equilibria, belief sets, the intuitive criterion.

Expected values come from hand derivations written out in the comments (beer–quiche: Cho &
Kreps 1987; Kydd's reassurance gesture: the separating condition derived in
models/reassurance_signal.toml), from a second, independent implementation in this file
(brute force over the strategic form of the game tree plus candidate off-path beliefs), and
from zero regret in the reduced strategic form built by negotiation.models.tree.
"""

import csv
import io
import itertools
import json
import random
from fractions import Fraction as F
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.scenario import load
from negotiation.models.signaling import SignalingError, SignalingGame, beer_quiche, to_tree
from negotiation.results.signaling import BeliefSet
from negotiation.solvers.signaling import intuitive_criterion, pure_pbe

MODELS = Path(__file__).resolve().parents[1] / "models"


# ---------------------------------------------------------------------- beer–quiche
# Cho & Kreps (1987), QJE 102(2):179-221, the beer-quiche example (also Fudenberg & Tirole 1991,
# Game Theory, ch. 11; page and figure numbers not re-checked). Prior: Strong 9/10, Weak 1/10. The sender gets 1 for its
# preferred breakfast (Strong: Beer, Weak: Quiche) + 2 if there is no duel; the receiver gets 1
# for dueling Weak or not dueling Strong.
#
# Hand derivation of every pure PBE:
# * Separating (Strong Beer, Weak Quiche): posteriors are degenerate, so Receiver duels after
#   Quiche and not after Beer. Weak gets 1 + 0 = 1 but Beer would give 0 + 2 = 2: not a PBE.
# * Separating (Strong Quiche, Weak Beer): Receiver duels after Beer, not after Quiche. Weak gets
#   0 but Quiche gives 1 + 2 = 3: not a PBE.
# * Pooling on Beer: posterior after Beer = prior; not dueling gives 9/10 > dueling 1/10, so
#   NotDuel. Payoffs Strong 1 + 2 = 3, Weak 0 + 2 = 2. If Receiver did not duel after Quiche,
#   Weak would get 1 + 2 = 3 > 2, so Receiver must Duel after Quiche (then Weak gets 1 < 2,
#   Strong 0 < 3): a best reply iff μ(Weak|Quiche)·1 >= (1 - μ(Weak|Quiche))·1, i.e.
#   μ(Weak|Quiche) >= 1/2. One PBE.
# * Pooling on Quiche: NotDuel after Quiche (9/10 > 1/10); Strong gets 0 + 2 = 2, Weak 1 + 2 = 3.
#   Receiver must Duel after Beer (else Strong gets 1 + 2 = 3 > 2), a best reply iff
#   μ(Weak|Beer) >= 1/2; then Strong gets 1 < 2 and Weak 0 < 3. One PBE.
# Receiver's expected payoff in both pooling equilibria: 9/10 (it does not duel; right 9/10 of
# the time).
# Intuitive criterion for pooling on Quiche, off-path Beer: Receiver's responses that are best
# replies to some belief are {Duel, NotDuel}; Weak's best from Beer is 0 + 2 = 2 < 3 (its
# equilibrium payoff): Weak is equilibrium-dominated; Strong's best is 3 > 2: not. With beliefs
# on Strong only, the best reply is NotDuel, giving Strong 3 > 2: the equilibrium FAILS.
# For pooling on Beer, off-path Quiche: Strong's best from Quiche is 2 < 3 (dominated), Weak's
# 3 > 2 (not). Beliefs on Weak only: Duel, giving Weak 1 < 2 and Strong 0 < 3: it SURVIVES.

def test_beer_quiche_has_exactly_the_two_pooling_equilibria():
    result = pure_pbe(beer_quiche())
    assert result.method == "pure_pbe" and result.exact and result.complete
    assert len(result) == 2
    assert [e.kind for e in result] == ["pooling", "pooling"]
    beer, quiche = result
    assert beer.sender_strategy == {"Strong": "Beer", "Weak": "Beer"}
    assert beer.receiver_strategy == {"Beer": "NotDuel", "Quiche": "Duel"}
    assert quiche.sender_strategy == {"Strong": "Quiche", "Weak": "Quiche"}
    assert quiche.receiver_strategy == {"Beer": "Duel", "Quiche": "NotDuel"}
    assert beer.sender_payoffs == (F(3), F(2)) and quiche.sender_payoffs == (F(2), F(3))
    assert beer.receiver_payoff == F(9, 10) and quiche.receiver_payoff == F(9, 10)
    assert beer.sender_expected_payoff == F(9, 10) * 3 + F(1, 10) * 2
    assert result.pooling == (beer, quiche) and result.separating == ()


def test_beer_quiche_beliefs_on_and_off_the_path():
    beer, quiche = pure_pbe(beer_quiche())
    assert beer.on_path == ("Beer",) and beer.off_path == ("Quiche",)
    assert beer.belief("Beer") == {"Strong": F(9, 10), "Weak": F(1, 10)}
    off = quiche.belief("Beer")
    assert isinstance(off, BeliefSet) and not off.is_empty and not off.is_everything
    assert off.interval("Weak") == (F(1, 2), F(1)) and off.interval("Strong") == (F(0), F(1, 2))
    assert off.describe() == "μ(Weak | Beer) ∈ [1/2, 1]"
    assert off.contains({"Strong": F(1, 2), "Weak": F(1, 2)})
    assert not off.contains({"Strong": F(51, 100), "Weak": F(49, 100)})
    assert beer.belief("Quiche").interval("Weak") == (F(1, 2), F(1))


def test_beer_quiche_intuitive_criterion():
    game = beer_quiche()
    beer, quiche = pure_pbe(game)
    passed = intuitive_criterion(game, beer)
    failed = intuitive_criterion(game, quiche)
    assert passed.survives and not failed.survives
    (test,) = failed.tests
    assert test.message == "Beer" and test.dominated == ("Weak",) and test.responses == ("NotDuel",)
    assert test.deviators == ("Strong",) and test.fails
    assert "Strong would get at least 3 instead of 2" in failed.reason
    (test,) = passed.tests
    assert test.dominated == ("Strong",) and test.responses == ("Duel",) and not test.fails
    result = pure_pbe(game)
    assert result.surviving == (result[0],)
    # the criterion attached by pure_pbe agrees with the stand-alone call
    assert [e.intuitive.survives for e in result] == [True, False]
    assert [e.intuitive is None for e in pure_pbe(game, intuitive=False)] == [True, True]


def test_beer_quiche_with_a_likely_weak_type_has_no_pure_equilibrium():
    # Prior Strong 1/4: after a pooling message the posterior puts 3/4 on Weak, so Receiver duels.
    # Pooling on Beer: Strong gets 1, Weak 0; Weak deviates to Quiche (>= 1 whatever the answer,
    # since Duel gives it 1 and NotDuel 3). Pooling on Quiche: Strong gets 0 and deviates to Beer
    # (>= 1). The separating profiles fail as with any prior (see above). So no pure PBE.
    assert len(pure_pbe(beer_quiche(F(1, 4)))) == 0


def test_float_game_gives_the_same_equilibria_with_float_beliefs():
    result = pure_pbe(beer_quiche(0.9))
    assert not result.exact and len(result) == 2
    low, high = result[1].belief("Beer").interval("Weak")
    assert low == pytest.approx(0.5) and high == pytest.approx(1.0)
    assert result[0].receiver_payoff == pytest.approx(0.9)
    assert [e.intuitive.survives for e in result] == [True, False]


# ---------------------------------------------------------------------- three types
def matching_game(prior=(F(1, 3), F(1, 3), F(1, 3))):
    """Types A, B, C; messages x, y; Receiver guesses a, b or c and gets 1 if it matches the type.
    A and B get 1 when the answer is a, C gets 1 when it is c; messages are free."""
    payoffs = {}
    for t in "ABC":
        for m in "xy":
            for a in "abc":
                sender = 1 if (t in "AB" and a == "a") or (t == "C" and a == "c") else 0
                payoffs[(t, m, a)] = (sender, 1 if a == t.lower() else 0)
    return SignalingGame("S", "R", ("A", "B", "C"), prior, ("x", "y"), ("a", "b", "c"), payoffs, title="Matching")


def test_three_types_semi_separating_and_belief_polytope():
    result = pure_pbe(matching_game())
    by_profile = {(tuple(e.sender_strategy.values()), tuple(e.receiver_strategy.values())): e for e in result}
    # A, B send x and C sends y: posterior after x is (1/2, 1/2, 0), so a and b tie (1/2 each) and
    # c gets 0; after y it is (0, 0, 1), so c. With x -> a: A, B get 1 and C gets 1: nobody deviates.
    semi = by_profile[(("x", "x", "y"), ("a", "c"))]
    assert semi.kind == "semi-separating"
    assert semi.belief("x") == {"A": F(1, 2), "B": F(1, 2), "C": F(0)}
    assert semi.sender_payoffs == (F(1), F(1), F(1))
    assert semi.receiver_payoff == F(1, 3) * 1 + F(1, 3) * 0 + F(1, 3) * 1
    # Pooling on x with x -> a: posterior uniform, a ties with b and c (1/3 each). C gets 0, so y
    # must not be answered with c. y -> a is a best reply iff μ(A) >= μ(B) and μ(A) >= μ(C): a
    # polytope with corners (1,0,0), (1/2,1/2,0), (1/2,0,1/2), (1/3,1/3,1/3).
    pooling = by_profile[(("x", "x", "x"), ("a", "a"))]
    off = pooling.belief("y")
    assert pooling.kind == "pooling"
    assert set(off.vertices) == {(F(1), F(0), F(0)), (F(1, 2), F(1, 2), F(0)), (F(1, 2), F(0), F(1, 2)),
                                 (F(1, 3), F(1, 3), F(1, 3))}
    assert off.inequalities() == ["μ(A) - μ(B) ≥ 0", "μ(A) - μ(C) ≥ 0"]
    assert off.describe() == "μ(A) - μ(B) ≥ 0; μ(A) - μ(C) ≥ 0"
    assert off.interval("A") == (F(1, 3), F(1)) and off.interval("C") == (F(0), F(1, 2))
    # pooling on x answered by c would give C its best: then A, B get 0 and need y not answered by a
    assert (("x", "x", "x"), ("a", "c")) not in by_profile  # C deviates to y (1 > 0)
    assert all(e.kind in ("pooling", "separating", "semi-separating") for e in result)


def test_zero_prior_type_still_optimises_and_its_message_is_off_path():
    # prior (1/2, 0, 1/2): B has prior 0. Profile A->x, B->y, C->x: y is sent only by B, so it is
    # off the path. After x the posterior is (1/2, 0, 1/2): a and c tie (1/2 each), b gives 0.
    #   x->a, y->a: A 1 (y gives 1 too), C 0 (y gives 0), B 1: PBE.
    #   x->a, y->b: B gets 0 but x would give it 1: not a PBE, although B's prior is 0 (a Nash
    #               equilibrium of the strategic form, where B's payoff has weight 0).
    #   x->a, y->c: C gets 0, y would give 1: not.      x->c, y->a: A gets 0, y gives 1: not.
    #   x->c, y->b and x->c, y->c: A 0 = 0, B 0 = 0, C 1: PBE.
    result = pure_pbe(matching_game((F(1, 2), F(0), F(1, 2))))
    found = [e for e in result if e.sender_strategy == {"A": "x", "B": "y", "C": "x"}]
    assert all(e.off_path == ("y",) for e in found)
    assert {tuple(e.receiver_strategy.values()) for e in found} == {("a", "a"), ("c", "b"), ("c", "c")}
    assert {e.kind for e in found} == {"semi-separating"}


# ---------------------------------------------------------------------- Kydd's reassurance
def reassurance():
    
    return load(MODELS / "reassurance_signal.toml", kind="bayesian")


def separating_exists(game):
    return any(e.sender_strategy == {"Trustworthy": "Gesture", "Untrustworthy": "No gesture"}
               for e in pure_pbe(game))


# Hand-derived (models/reassurance_signal.toml): the separating PBE (Trustworthy gestures,
# Untrustworthy does not; NATO cooperates after a gesture, defects without) exists iff
# T_u - P_u <= s <= R_t - P_t. Defaults R_t = 4, P_t = 2, T_u = 3, P_u = 2: 1 <= s <= 2.
@pytest.mark.parametrize("cost, expected", [
    (F(0), False), (F(1, 2), False), (F(999, 1000), False),   # below: Untrustworthy mimics (3 - s > 2)
    (F(1), True),                                            # lower end: Untrustworthy indifferent
    (F(3, 2), True),                                         # inside
    (F(2), True),                                            # upper end: Trustworthy indifferent
    (F(2001, 1000), False), (F(5, 2), False), (F(5), False),  # above: Trustworthy prefers 2 to 4 - s
])
def test_reassurance_separates_exactly_on_the_hand_derived_interval(cost, expected):
    assert separating_exists(reassurance().game_at({"s": cost})) is expected


def test_reassurance_defaults_payoffs_and_the_pooling_equilibrium():
    result = reassurance().solve()
    assert len(result) == 2
    separating, pooling = result
    # separating: Trustworthy 4 - 3/2 = 5/2, Untrustworthy P_u = 2, NATO 2/5*4 + 3/5*2 = 14/5
    assert separating.kind == "separating"
    assert separating.sender_payoffs == (F(5, 2), F(2)) and separating.receiver_payoff == F(14, 5)
    assert separating.receiver_strategy == {"Gesture": "Cooperate", "No gesture": "Defect"}
    assert separating.intuitive.survives
    # pooling on No gesture: NATO defects (2/5*4 + 3/5*0 = 8/5 < 2); Defect after the gesture iff
    # μ(T)*4 + μ(U)*0 <= 2, i.e. μ(Untrustworthy | Gesture) >= 1/2. Intuitive criterion: U gets 2,
    # at most 3 - 3/2 = 3/2 from the gesture (dominated); T trusted after it gets 5/2 > 2: fails.
    assert pooling.kind == "pooling" and pooling.sender_payoffs == (F(2), F(2))
    assert pooling.belief("Gesture").interval("Untrustworthy") == (F(1, 2), F(1))
    assert not pooling.intuitive.survives
    assert pooling.intuitive.tests[0].dominated == ("Untrustworthy",)
    assert pooling.intuitive.tests[0].deviators == ("Trustworthy",)


@settings(max_examples=25, deadline=None)
@given(st.integers(-5, 5), st.integers(1, 5), st.integers(-5, 5), st.integers(1, 5),
       st.fractions(0, 5, max_denominator=8), st.sampled_from([F(1, 10), F(2, 5), F(1, 2), F(9, 10)]))
def test_reassurance_separating_condition_property(P_t, gain_t, P_u, gain_u, cost, pi):
    values = {"P_t": P_t, "R_t": P_t + gain_t, "P_u": P_u, "T_u": P_u + gain_u, "s": cost, "pi": pi}
    game = reassurance().game_at(values)
    assert separating_exists(game) == (gain_u <= cost <= gain_t)


# ---------------------------------------------------------------------- cross-checks with the tree
def strategy_labels(tree, game, equilibrium):
    """Labels of the reduced strategic form (actions joined with '/' in information-set order)."""
    owners = list(tree.information_set_player)
    sender_sets = [label for label, p in zip(tree.information_set_labels, owners) if p == 0]
    receiver_sets = [label for label, p in zip(tree.information_set_labels, owners) if p == 1]
    assert sender_sets == list(game.types) and receiver_sets == list(game.messages)
    return ("/".join(equilibrium.sender_strategy[t] for t in sender_sets),
            "/".join(equilibrium.receiver_strategy[m] for m in receiver_sets))


def regret(strategic, profile):
    worst = 0
    for i, player in enumerate(strategic.players):
        here = strategic[profile][player]
        for s in strategic.strategies[i]:
            deviation = profile[:i] + (s,) + profile[i + 1:]
            worst = max(worst, strategic[deviation][player] - here)
    return worst


@pytest.mark.parametrize("make", [beer_quiche, lambda: reassurance().game_at(), lambda: reassurance().game_at(
    {"s": 2}), matching_game])
def test_every_pbe_is_a_nash_equilibrium_of_the_tree(make):
    game = make()
    tree = to_tree(game)
    strategic = tree.to_strategic_form()
    result = pure_pbe(game)
    assert len(result) > 0
    for equilibrium in result:
        assert regret(strategic, strategy_labels(tree, game, equilibrium)) == 0


def off_path_supported(game, sigma, rho):
    """Whether each off-path response of a two-type game is a best reply to some belief: with
    q = μ(second type), the supporting set is an interval whose ends lie in {0, 1, every
    indifference point between two responses}, so it is non-empty iff it contains one of them."""
    for m in game.messages:
        if m in sigma.values():
            continue
        u = {a: (game.payoff(game.types[0], m, a)[1], game.payoff(game.types[1], m, a)[1])
             for a in game.responses_to(m)}
        candidates = {F(0), F(1)}
        for a, b in itertools.combinations(u, 2):
            slope = (u[a][1] - u[a][0]) - (u[b][1] - u[b][0])
            if slope != 0:
                q = (u[b][0] - u[a][0]) / slope
                if 0 <= q <= 1:
                    candidates.add(q)

        def value(a, q):
            return (1 - q) * u[a][0] + q * u[a][1]

        if not any(all(value(rho[m], q) >= value(a, q) for a in u) for q in candidates):
            return False
    return True


def brute_force_pbe(game):
    """Independent pure PBE of a two-type game with positive priors: the pure Nash equilibria of
    the tree's reduced strategic form whose off-path responses some belief supports."""
    tree = to_tree(game)
    strategic = tree.to_strategic_form()
    found = set()
    for sender_label, receiver_label in itertools.product(*strategic.strategies):
        if regret(strategic, (sender_label, receiver_label)) != 0:
            continue
        sigma = dict(zip(game.types, sender_label.split("/")))
        rho = dict(zip(game.messages, receiver_label.split("/")))
        if off_path_supported(game, sigma, rho):
            found.add((tuple(sigma.values()), tuple(rho.values())))
    return found


def _supported(game, profiles):
    """Of Gambit's pure agent-form equilibria (sender's message by type, receiver's response by message),
    those whose off-path responses some belief supports: with positive priors, the pure PBE."""
    found = set()
    for messages, responses in profiles:
        sigma, rho = dict(zip(game.types, messages)), dict(zip(game.messages, responses))
        if off_path_supported(game, sigma, rho):
            found.add((tuple(sigma.values()), tuple(rho.values())))
    return found


def gambit_pbe(game, tmp_path):
    """The same with live Gambit as the Nash oracle: pure agent-form equilibria of the tree written as
    .efg (with positive priors these are the pure Nash equilibria of a signaling game)."""
    gbt = pytest.importorskip("pygambit")
    from negotiation.formats.efg import format_efg

    path = tmp_path / "game.efg"
    path.write_text(format_efg(to_tree(game)), encoding="utf-8")
    efg = gbt.read_efg(str(path))
    profiles = []
    for profile in gbt.nash.enumpure_agent_solve(efg).equilibria:
        chosen = {(player.label, infoset.label): action.label for player in efg.players
                  for infoset in player.infosets for action in infoset.actions if profile[action] == 1}
        profiles.append((tuple(chosen[(game.sender, t)] for t in game.types),
                         tuple(chosen[(game.receiver, m)] for m in game.messages)))
    return _supported(game, profiles)


def _pure_pbe_set(game):
    return {(tuple(e.sender_strategy.values()), tuple(e.receiver_strategy.values())) for e in pure_pbe(game)}


BEER_QUICHE_POOLING = {(("Beer", "Beer"), ("NotDuel", "Duel")), (("Quiche", "Quiche"), ("Duel", "NotDuel"))}


def random_two_type_game(seed):
    """A random two-type, two-message game with 2 or 3 responses and payoffs in -3..3 (as two_type_games draws)."""
    rng = random.Random(seed)
    responses = ("a", "b", "c")[:rng.randint(2, 3)]
    prior = rng.choice([F(1, 4), F(1, 3), F(1, 2), F(3, 5), F(9, 10)])
    payoffs = {(t, m, a): (rng.randint(-3, 3), rng.randint(-3, 3))
               for t in ("T1", "T2") for m in ("m1", "m2") for a in responses}
    return SignalingGame("S", "R", ("T1", "T2"), (prior, 1 - prior), ("m1", "m2"), responses, payoffs)


def signaling_corpus():
    """Beer-quiche and 25 seeded random two-type games: Gambit's answers are committed in
    tests/reference/signaling_pure_agent.json (tests/reference/generate_gambit_reference.py)."""
    yield "beer-quiche", beer_quiche()
    for seed in range(25):
        yield f"random {seed}", random_two_type_game(seed)


def test_beer_quiche_and_random_games_against_gambit(gambit_reference):
    from negotiation.formats.efg import format_efg

    cases = gambit_reference("signaling_pure_agent")["cases"]
    corpus = list(signaling_corpus())
    assert [name for name, _ in corpus] == [case["name"] for case in cases]
    for (name, game), case in zip(corpus, cases):
        assert case["efg"] == format_efg(to_tree(game)), name  # Gambit solved the game we build
        theirs = _supported(game, [tuple(map(tuple, p)) for p in case["pure_agent_equilibria"]])
        assert _pure_pbe_set(game) == theirs, name
    # Gambit's pure equilibria of the beer-quiche tree are exactly the two pooling profiles
    assert _supported(beer_quiche(), [tuple(map(tuple, p)) for p in cases[0]["pure_agent_equilibria"]]) == \
        BEER_QUICHE_POOLING


@pytest.mark.gambit
def test_beer_quiche_against_gambit(tmp_path):
    # Gambit's pure equilibria of the beer-quiche tree are exactly the two pooling profiles
    assert _pure_pbe_set(beer_quiche()) == gambit_pbe(beer_quiche(), tmp_path) == BEER_QUICHE_POOLING


random_payoff = st.integers(-3, 3)


@st.composite
def two_type_games(draw):
    n_responses = draw(st.integers(2, 3))
    responses = ("a", "b", "c")[:n_responses]
    prior = draw(st.sampled_from([F(1, 4), F(1, 3), F(1, 2), F(3, 5), F(9, 10)]))
    payoffs = {(t, m, a): (draw(random_payoff), draw(random_payoff))
               for t in ("T1", "T2") for m in ("m1", "m2") for a in responses}
    return SignalingGame("S", "R", ("T1", "T2"), (prior, 1 - prior), ("m1", "m2"), responses, payoffs)


@settings(max_examples=40, deadline=None)
@given(two_type_games())
def test_pure_pbe_matches_brute_force_on_random_two_type_games(game):
    assert _pure_pbe_set(game) == brute_force_pbe(game)


@pytest.mark.gambit
@settings(max_examples=15, deadline=None)
@given(game=two_type_games())
def test_pure_pbe_matches_gambit_on_random_two_type_games(game, tmp_path_factory):
    assert _pure_pbe_set(game) == gambit_pbe(game, tmp_path_factory.mktemp("efg"))


@settings(max_examples=25, deadline=None)
@given(two_type_games(), st.integers(1, 4), st.integers(-3, 3))
def test_equilibria_invariant_under_positive_affine_payoff_changes(game, scale, shift):
    # A positive affine change of the receiver's payoffs (and separately of the sender's) leaves
    # every best reply, and so every PBE and its belief sets, unchanged.
    changed = SignalingGame(game.sender, game.receiver, game.types, game.prior, game.messages, game.responses,
                            {(t, m, a): (scale * u + shift, 2 * scale * v - shift)
                             for i, t in enumerate(game.types) for j, m in enumerate(game.messages)
                             for k, a in enumerate(game.responses[j])
                             for u, v in [game.payoffs[i][j][k]]})
    before, after = pure_pbe(game), pure_pbe(changed)
    assert [(e.sender_choice, e.receiver_choice) for e in before] == [(e.sender_choice, e.receiver_choice)
                                                                     for e in after]
    for e, f in zip(before, after):
        assert [b.vertices if isinstance(b, BeliefSet) else b for b in e.beliefs] == \
               [b.vertices if isinstance(b, BeliefSet) else b for b in f.beliefs]
        assert e.intuitive.survives == f.intuitive.survives


# ---------------------------------------------------------------------- game object and errors
def test_symbolic_game_substitutes_and_refuses_to_be_solved_symbolically():
    c = sympy.Symbol("c")
    payoffs = {(t, m, a): (-c if m == "m" else 0, 1 if (t, a) in (("A", "x"), ("B", "y")) else 0)
               for t in "AB" for m in "mn" for a in "xy"}
    game = SignalingGame("S", "R", ("A", "B"), ("1/2", "1/2"), ("m", "n"), ("x", "y"), payoffs)
    assert game.is_symbolic and game.parameters.names == ("c",)
    with pytest.raises(SignalingError, match="substitute parameter values"):
        pure_pbe(game)
    numeric = game.substitute(c=3)
    assert numeric.payoff("B", "m", "y") == (F(-3), F(1)) and numeric.values == {"c": F(3)}


def test_tree_of_a_symbolic_game_is_symbolic():
    game = reassurance().game
    tree = to_tree(game)
    assert tree.is_symbolic and tree.n_leaves == 8


def test_per_message_responses():
    payoffs = {("A", "m", "x"): (1, 1), ("A", "n", "y"): (0, 0), ("A", "n", "z"): (2, 0),
               ("B", "m", "x"): (0, 0), ("B", "n", "y"): (1, 1), ("B", "n", "z"): (0, 1)}
    game = SignalingGame("S", "R", ("A", "B"), {"A": "1/2", "B": "1/2"}, ("m", "n"), {"m": ["x"], "n": ["y", "z"]},
                         payoffs)
    assert game.responses == (("x",), ("y", "z"))
    result = pure_pbe(game)
    # A: m gives 1; n gives 0 (y) or 2 (z). B: m gives 0; n gives 1 (y) or 0 (z).
    # Separating A->m, B->n: after n posterior B, y and z tie for R (1 each); y: A gets 1 >= 0 ok,
    # B gets 1 >= 0 ok -> PBE. z: A would deviate (2 > 1).
    profiles = {(tuple(e.sender_strategy.values()), tuple(e.receiver_strategy.values())) for e in result}
    assert (("m", "n"), ("x", "y")) in profiles and (("m", "n"), ("x", "z")) not in profiles
    assert "  A     n        z         2, 0" in game.to_text()


@pytest.mark.parametrize("change, message", [
    (dict(prior=("1/2", "1/3")), "prior: probabilities sum to 5/6, expected 1"),
    (dict(prior=("3/2", "-1/2")), "prior of type 'Weak': -1/2 is negative"),
    (dict(prior=("1/2",)), "prior: 1 probabilities given for 2 types"),
    (dict(types=("Strong", "Strong")), "types: duplicate label 'Strong'"),
    (dict(receiver="Sender"), "is also the sender"),
    (dict(messages=()), "messages: expected a non-empty list"),
    (dict(responses={"Beer": ["Duel"]}), "responses: no responses given after message 'Quiche'"),
    (dict(drop=("Weak", "Quiche", "Duel")), "payoffs: no payoffs for (Weak, Quiche, Duel)"),
    (dict(extra=(("Mild", "Beer", "Duel"), (0, 0))), "payoffs: unknown type 'Mild'"),
    (dict(extra=(("Weak", "Beer", "Flee"), (0, 0))), "payoffs: 'Flee' is not a response after 'Beer'"),
    (dict(extra=(("Weak", "Beer", "Duel"), (0,))), "expected two payoffs"),
    (dict(extra=(("Weak", "Beer", "Duel"), ("x", 0))), "payoff (Weak, Beer, Duel) of the sender"),
])
def test_invalid_games_raise_one_line_errors(change, message):
    base = beer_quiche()
    arguments = dict(sender=base.sender, receiver=base.receiver, types=base.types, prior=base.prior,
                     messages=base.messages, responses=base.responses[0])
    payoffs = {(t, m, a): base.payoff(t, m, a) for t in base.types for m in base.messages for a in base.responses[0]}
    drop = change.pop("drop", None)
    extra = change.pop("extra", None)
    if drop:
        del payoffs[drop]
    if extra:
        payoffs[extra[0]] = extra[1]
    arguments.update(change)
    with pytest.raises(SignalingError) as error:
        SignalingGame(payoffs=payoffs, **arguments)
    text = str(error.value)
    assert message in text and "\n" not in text


def test_symbolic_prior_that_cannot_sum_to_one_is_rejected():
    p = sympy.Symbol("p")
    base = beer_quiche()
    payoffs = {(t, m, a): base.payoff(t, m, a) for t in base.types for m in base.messages for a in ("Duel", "NotDuel")}
    with pytest.raises(SignalingError, match="prior: probabilities sum to"):
        SignalingGame("S", "R", base.types, (p, 2 - p), base.messages, ("Duel", "NotDuel"), payoffs)


# ---------------------------------------------------------------------- output formats
def test_result_formats():
    result = pure_pbe(beer_quiche())
    data = json.loads(json.dumps(result.to_dict()))
    assert data["method"] == "pure_pbe" and data["exact"] is True and data["complete"] is True
    assert data["game"]["prior"] == {"Strong": "9/10", "Weak": "1/10"}
    first, second = data["equilibria"]
    assert first["beliefs"]["Beer"] == {"on_path": True, "belief": {"Strong": "9/10", "Weak": "1/10"}}
    assert second["beliefs"]["Beer"]["intervals"]["Weak"] == ["1/2", "1"]
    assert second["intuitive_criterion"]["survives"] is False
    assert first["payoffs"] == {"Sender": {"Strong": "3", "Weak": "2"}, "Receiver": "9/10"}
    assert any("pure PBE only" in m for m in data["messages"])
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    # numbers as numbers, with the exact text where a float rounds (issue 15)
    assert len(rows) == 2 and rows[1]["belief min Weak | Beer"] == "0.5" and rows[0]["payoff Receiver"] == "0.9"
    assert rows[0]["payoff Receiver_exact"] == "9/10"
    records = result.to_records()
    assert records[0]["Sender: Strong"] == "Beer" and records[1]["intuitive criterion"] is False
    text = result.to_text()
    assert "pure PBE only" in text and "μ(Weak | Beer) ∈ [1/2, 1]" in text and "fails" in text
    markdown = result.to_markdown()
    assert "| Sender if Strong | Beer | Quiche |" in markdown
    latex = result.to_latex()
    assert "\\begin{tabular}" in latex and "$\\mu$" in latex and "μ" not in latex
    empty = pure_pbe(beer_quiche(F(1, 4)))
    assert "No pure perfect Bayesian equilibrium" in empty.to_text() and empty.to_csv() == ""


def test_game_to_dict_is_json_ready():
    data = json.loads(json.dumps(reassurance().game_at().to_dict()))
    assert data["schema"] == "negotiation.signaling/1"
    assert data["prior"] == {"Trustworthy": "2/5", "Untrustworthy": "3/5"}
    assert {"type": "Trustworthy", "message": "Gesture", "response": "Cooperate", "Russia": "5/2",
            "NATO": "4"} in data["payoffs"]
