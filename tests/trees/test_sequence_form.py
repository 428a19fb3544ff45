"""Sequence form of two-player trees: LP for zero-sum trees, Lemke for general-sum trees.

Expected values come from the literature (Kuhn 1950), from hand computations shown in
comments, and from an independent route: the reduced strategic form solved by
``linear_program`` / ``vertex_enumeration`` (strategies enumerated by ``GameTree``, not by
the sequence form).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.models.profile import MixedProfile, regrets
from negotiation.solvers.sequence_form import SequenceFormError, best_response_value, sequence_form
from negotiation.solvers.sequence_form_lemke import sequence_form_lemke
from negotiation.solvers.sequence_form_lp import is_constant_sum, sequence_form_lp
from negotiation.solvers.tree import solve_sequence_form, solve_tree
from negotiation.solvers.vertex_enumeration import vertex_enumeration
from negotiation.solvers.zero_sum import linear_program
from negotiation.models.tree import GameTree, TreeError, chance, decision, terminal


# ---------------------------------------------------------------------- reference trees
def kuhn_poker():
    """Kuhn (1950) three-card poker: ante 1, bet 1; player 1 checks or bets, player 2 checks/bets or folds/calls,
    player 1 may call a bet after checking. Each of the 6 deals has probability 1/6."""
    cards = ["J", "Q", "K"]
    deals = {}
    for c1, c2 in itertools.permutations(cards, 2):
        win = 1 if cards.index(c1) > cards.index(c2) else -1
        showdown, called = terminal(win, -win), terminal(2 * win, -2 * win)
        p1_after_bet = decision("P1", {"Fold": terminal(-1, 1), "Call": called},
                                information_set=f"P1 {c1} after check, bet")
        p2_after_check = decision("P2", {"Check": showdown, "Bet": p1_after_bet},
                                  information_set=f"P2 {c2} after check")
        p2_after_bet = decision("P2", {"Fold": terminal(1, -1), "Call": called},
                                information_set=f"P2 {c2} after bet")
        deals[f"{c1}{c2}"] = ("1/6", decision("P1", {"Check": p2_after_check, "Bet": p2_after_bet},
                                              information_set=f"P1 {c1}"))
    return GameTree.from_nested(("P1", "P2"), chance(deals), title="Kuhn poker")


def matching_pennies():
    return GameTree.from_nested(("Hider", "Seeker"), decision("Hider", {
        "Left": decision("Seeker", {"Left": terminal(-1, 1), "Right": terminal(1, -1)}, information_set="guess"),
        "Right": decision("Seeker", {"Left": terminal(1, -1), "Right": terminal(-1, 1)}, information_set="guess")}))


def outside_option_game():
    """Player 1 takes an outside option (1/2, 3) or enters a simultaneous game (player 2 does not see U/D):

            l       r
        U  (4, 0)  (0, 1)
        D  (0, 1)  (1, 0)

    The simultaneous game has no pure equilibrium (each pure profile has a profitable deviation), so its unique
    equilibrium mixes: player 2 indifferent, 1 - p = p, p = P(U) = 1/2, payoff 1/2; player 1 indifferent,
    4q = 1 - q, q = P(l) = 1/5, payoff 4/5. Entering with positive probability reaches both information sets,
    so play there is that equilibrium and In earns 4/5 > 1/2: In is played for sure. Out for sure would need
    max(4q, 1 - q) <= 1/2, i.e. q <= 1/8 and q >= 1/2: impossible. Unique equilibrium: In; U 1/2; l 1/5;
    payoffs (4/5, 1/2).
    """
    def column(left, right):
        return decision("P2", {"l": terminal(*left), "r": terminal(*right)}, information_set="P2")
    return GameTree.from_nested(("P1", "P2"), decision("P1", {
        "Out": terminal("1/2", 3),
        "In": decision("P1", {"U": column((4, 0), (0, 1)), "D": column((0, 1), (1, 0))}, information_set="P1 in")}))


# ---------------------------------------------------------------------- random trees with perfect recall
def random_tree(seed, *, zero_sum, depth=3, max_actions=2, chance_share=0.25, merge=0.8):
    """A random two-player tree with chance nodes and information sets, perfect recall by construction.

    A decision node joins an existing information set of its player only if that set has the same number of
    actions and its nodes have the same own history (the player's earlier information sets and actions), and
    never one of its own ancestors' sets (the own history of a descendant is longer).
    """
    rng = random.Random(seed)
    sets: dict = {}  # (player, own history, n actions) -> list of information-set labels
    counter = itertools.count()

    def build(level, histories):
        if level == depth or (level > 0 and rng.random() < 0.2):
            u1 = rng.randint(-5, 5)
            u2 = -u1 if zero_sum else rng.randint(-5, 5)
            return terminal(u1, u2)
        if level > 0 and rng.random() < chance_share:
            n = rng.randint(2, 3)
            weights = [rng.randint(1, 3) for _ in range(n)]
            return chance({f"c{k}": (F(w, sum(weights)), build(level + 1, histories)) for k, w in enumerate(weights)})
        player = rng.randint(0, 1)
        n = rng.randint(2, max_actions)
        key = (player, histories[player], n)
        existing = sets.setdefault(key, [])
        if existing and rng.random() < merge:
            label = rng.choice(existing)
        else:
            label = f"h{next(counter)}"
            existing.append(label)
        children = {}
        for a in range(n):
            own = histories[player] + ((label, a),)
            children[f"a{a}"] = build(level + 1, (own, histories[1]) if player == 0 else (histories[0], own))
        return decision(("P1", "P2")[player], children, information_set=label)

    return GameTree.from_nested(("P1", "P2"), build(0, ((), ())))


def random_bayesian_tree(seed):
    """Chance picks player 1's type (two types, random probabilities); player 1 sees its type and picks T or B;
    player 2 sees neither and picks L or R. Payoffs are random integers in [-20, 20]."""
    rng = random.Random(seed)
    weights = [rng.randint(1, 4), rng.randint(1, 4)]

    def column(type_):
        return decision("P2", {"L": terminal(rng.randint(-20, 20), rng.randint(-20, 20)),
                               "R": terminal(rng.randint(-20, 20), rng.randint(-20, 20))}, information_set="P2")

    types = {}
    for k, w in enumerate(weights):
        types[f"type {k}"] = (F(w, sum(weights)), decision("P1", {"T": column(k), "B": column(k)},
                                                           information_set=f"P1 type {k}"))
    return GameTree.from_nested(("P1", "P2"), chance(types))


def reduced_mixed(tree, profile):
    """A mixed strategy of the reduced strategic form realisation-equivalent to a behaviour profile (Kuhn):
    a reduced strategy's probability is the product of the behaviour probabilities of its actions at the
    information sets it does not leave open ('*'). Open information sets of the profile are only met below a
    probability-0 action, so any value (here uniform) gives the same product."""
    game = tree.to_strategic_form()
    vectors = []
    for p, (labels, assignment, sets) in enumerate(tree._reduced_strategies()):
        vector = []
        for row in assignment:
            probability = F(1)
            for k, a in zip(sets, row):
                if a < 0:
                    continue
                mix = profile._distribution(int(k))
                n = len(tree.information_set_actions[k])
                probability *= F(1, n) if mix is None else mix[a]
            vector.append(probability)
        vectors.append(vector)
    return game, MixedProfile.from_vectors(game, vectors)


# ---------------------------------------------------------------------- the form itself
def test_sequence_form_of_kuhn_poker_has_the_right_size_and_constraints():
    tree = kuhn_poker()
    form = sequence_form(tree)
    # each player: 6 information sets with 2 actions -> 1 + 12 sequences; E has 1 + 6 rows
    assert form.shape == (13, 13)
    assert form.E.shape == (7, 13) and form.F.shape == (7, 13)
    assert form.sequences[0][0] == "∅" and "P1 K: Bet" in form.sequences[0]
    # A folds in the chance probabilities: with both players uniform, a deal where player 1 wins w = +-1 at a
    # showdown is worth 1/2 (Check: 1/2 w + 1/2 (1/2 (-1) + 1/2 (2w))) + 1/2 (Bet: 1/2 (+1) + 1/2 (2w))
    # = 1/2 (w - 1/4) + 1/2 (w + 1/2) = w + 1/8; over the 6 deals (three w = 1, three w = -1): 1/8.
    uniform = [F(1)] + [F(1, 2)] * 6 + [F(1, 4)] * 6  # first moves 1/2, after check-bet 1/2 * 1/2
    plan1 = form.realisation_plan(0, [(F(1, 2), F(1, 2))] * tree.n_information_sets)
    assert sorted(plan1) == sorted(uniform)
    plan2 = form.realisation_plan(1, [(F(1, 2), F(1, 2))] * tree.n_information_sets)
    assert form.payoffs(plan1, plan2) == (F(1, 8), F(-1, 8))


@pytest.mark.parametrize("seed", range(6))
def test_sequence_count_is_one_plus_information_set_action_pairs(seed):
    tree = random_tree(seed, zero_sum=False)
    form = sequence_form(tree)
    for p in (0, 1):
        pairs = sum(len(tree.information_set_actions[k]) for k in range(tree.n_information_sets)
                    if tree.information_set_player[k] == p)
        assert len(form.sequences[p]) == 1 + pairs
        count = int(np.sum(tree.information_set_player == p))
        assert form.constraints(p)[0].shape == (1 + count, 1 + pairs)


def test_errors_are_one_line_and_name_the_problem():
    three = GameTree.from_nested(("A", "B", "C"), decision("A", L=terminal(1, 2, 3), R=terminal(0, 0, 0)))
    with pytest.raises(TreeError, match="two-player tree, this one has 3 players"):
        sequence_form(three)
    # absent-minded driver style: player 1 forgets its own earlier move
    forgetful = GameTree.from_nested(("A", "B"), decision("A", {
        "L": decision("A", {"x": terminal(1, 0), "y": terminal(0, 0)}, information_set="later"),
        "R": decision("B", {"l": decision("A", {"x": terminal(0, 1), "y": terminal(2, 0)}, information_set="later"),
                            "r": terminal(0, 0)})}))
    with pytest.raises(TreeError, match="perfect recall"):
        sequence_form_lemke(forgetful)
    with pytest.raises(TreeError, match="zero-sum .* sum to"):
        sequence_form_lp(outside_option_game())
    with pytest.raises(TreeError) as info:
        sequence_form_lp(outside_option_game())
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------------- reference games
def test_kuhn_poker_value_is_minus_one_eighteenth():
    # Kuhn (1950): the value of the three-card game is -1/18 for player 1
    result = sequence_form_lp(kuhn_poker())
    assert result.method == "sequence_form_lp" and result.exact and not result.complete
    assert result.details["value"] == F(-1, 18)
    assert isinstance(result.details["value"], F)
    assert result[0].payoffs == (F(-1, 18), F(1, 18))
    profile = result[0].profile
    # Kuhn's family of optimal strategies for player 2 is unique: with the K always call/bet, with the Q call a
    # bet 1/3 of the time and check after a check, with the J fold to a bet and bluff 1/3 after a check.
    assert profile["P2"]["P2 Q after bet"] == {"Fold": F(2, 3), "Call": F(1, 3)}
    assert profile["P2"]["P2 J after check"] == {"Check": F(2, 3), "Bet": F(1, 3)}
    assert profile["P2"]["P2 K after bet"] == {"Fold": 0, "Call": 1}
    # player 1 with a K bets 3 times as often as with a J (Kuhn's alpha family)
    alpha = profile["P1"]["P1 J"]["Bet"]
    assert 0 <= alpha <= F(1, 3) and profile["P1"]["P1 K"]["Bet"] == 3 * alpha


def test_kuhn_poker_lemke_reaches_the_value_too():
    result = sequence_form_lemke(kuhn_poker())
    assert result.method == "sequence_form_lemke" and result.exact
    assert result[0].payoffs == (F(-1, 18), F(1, 18))


def test_kuhn_poker_value_matches_gambit(gambit_reference):
    """Gambit's lp_solve value, committed in tests/reference/ (the `gambit` suite asks pygambit live)."""
    from negotiation.formats.efg import format_efg

    (case,) = gambit_reference("sequence_form_kuhn")["cases"]
    assert case["efg"] == format_efg(kuhn_poker())  # Gambit solved the tree we build
    assert F(case["value"]) == sequence_form_lp(kuhn_poker()).details["value"]


@pytest.mark.gambit
def test_kuhn_poker_value_matches_live_gambit():
    pygambit = pytest.importorskip("pygambit")
    import io

    from negotiation.formats.efg import format_efg

    game = pygambit.read_efg(io.StringIO(format_efg(kuhn_poker())))
    gambit = pygambit.nash.lp_solve(game, rational=True)
    player = list(game.players)[0]
    assert F(str(gambit.equilibria[0].payoff(player))) == sequence_form_lp(kuhn_poker()).details["value"]


@pytest.mark.parametrize("solver", [sequence_form_lp, sequence_form_lemke])
def test_matching_pennies_as_a_tree(solver):
    # value 0, both mix 1/2-1/2 (the unique equilibrium of matching pennies)
    result = solver(matching_pennies())
    assert result[0].profile.to_dict() == {"Hider": {"root": {"Left": "1/2", "Right": "1/2"}},
                                           "Seeker": {"guess": {"Left": "1/2", "Right": "1/2"}}}
    assert result[0].payoffs == (0, 0)
    if solver is sequence_form_lp:
        assert result.details["value"] == 0


def test_outside_option_game_unique_equilibrium_by_hand():
    tree = outside_option_game()
    result = sequence_form_lemke(tree)
    (equilibrium,) = result
    assert equilibrium.profile.to_dict() == {
        "P1": {"root": {"Out": "0", "In": "1"}, "P1 in": {"U": "1/2", "D": "1/2"}},
        "P2": {"P2": {"l": "1/5", "r": "4/5"}}}
    assert equilibrium.payoffs == (F(4, 5), F(1, 2))
    assert sum(p for _, p in equilibrium.outcomes) == 1
    assert solve_sequence_form(tree).method == "sequence_form_lemke"
    assert not is_constant_sum(tree)


def test_open_information_sets_are_left_open():
    # Player 1 never enters (Out gives 5, more than anything inside): its later set is not determined
    tree = GameTree.from_nested(("P1", "P2"), decision("P1", {
        "Out": terminal(5, 0),
        "In": decision("P1", {"U": decision("P2", {"l": terminal(1, 1), "r": terminal(0, 0)}, information_set="P2"),
                              "D": decision("P2", {"l": terminal(0, 0), "r": terminal(1, 1)}, information_set="P2")},
                       information_set="P1 in")}))
    result = sequence_form_lemke(tree)
    assert result[0].payoffs[0] == 5
    assert ("P1", "P1 in") in result[0].profile.undetermined
    assert any("left open" in m for m in result.messages)


def test_float_tree_is_solved_on_the_exact_rationals_and_reported_as_floats():
    tree = matching_pennies().to_float()
    result = sequence_form_lemke(tree)
    assert not result.exact and isinstance(result[0].payoffs[0], float)
    assert result[0].profile["Seeker"]["guess"]["Left"] == pytest.approx(0.5)
    lp = sequence_form_lp(tree)
    assert lp.details["value"] == pytest.approx(0.0)


def test_best_response_value_against_a_pure_plan():
    # Matching pennies, Seeker plays Left for sure: the Hider's best reply is Right, worth 1
    form = sequence_form(matching_pennies())
    assert best_response_value(form, 0, (F(1), F(1), F(0))) == 1


def test_pivot_budget_gives_a_clear_error():
    with pytest.raises(SequenceFormError, match="pivot budget of 1 exhausted"):
        sequence_form_lemke(kuhn_poker(), max_pivots=1)


def test_registered_in_tree_methods():
    from negotiation.solvers.tree import TREE_METHODS

    assert {"sequence_form", "sequence_form_lp", "sequence_form_lemke"} <= set(TREE_METHODS)
    assert solve_tree(kuhn_poker(), method="sequence_form").details["value"] == F(-1, 18)
    assert solve_tree(outside_option_game(), method="sequence_form_lemke")[0].payoffs == (F(4, 5), F(1, 2))
    import negotiation as ng

    result = ng.solve(outside_option_game(), method="sequence_form")
    assert result.method == "sequence_form_lemke"
    assert result.to_dict()["equilibria"][0]["payoffs"] == {"P1": "4/5", "P2": "1/2"}
    assert ng.solve(kuhn_poker(), method="sequence_form_lp").to_dict()["details"]["value"] == "-1/18"
    three = GameTree.from_nested(("A", "B", "C"), decision("A", L=terminal(1, 2, 3), R=terminal(0, 0, 0)))
    with pytest.raises(TreeError, match="two-player tree"):
        solve_tree(three, method="sequence_form")


# ---------------------------------------------------------------------- random trees against the strategic form
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), depth=st.integers(2, 4))
def test_zero_sum_value_equals_the_reduced_strategic_form_value(seed, depth):
    tree = random_tree(seed, zero_sum=True, depth=depth)
    if tree.n_information_sets == 0:
        return
    result = sequence_form_lp(tree)
    reference = linear_program(tree.to_strategic_form())
    assert result.details["value"] == reference.details["value"]
    game, mixed = reduced_mixed(tree, result[0].profile)
    assert max(regrets(game, mixed)) == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), depth=st.integers(2, 4))
def test_lemke_equilibrium_has_zero_regret_in_the_reduced_strategic_form(seed, depth):
    tree = random_tree(seed, zero_sum=False, depth=depth)
    if tree.n_information_sets == 0:
        return
    result = sequence_form_lemke(tree)
    (equilibrium,) = result
    game, mixed = reduced_mixed(tree, equilibrium.profile)
    assert all(sum(v) == 1 and min(v) >= 0 for v in mixed.probabilities)
    assert max(regrets(game, mixed)) == 0  # exact
    # the behaviour profile's payoffs are those of the realisation-equivalent mixed profile
    from negotiation.models.profile import expected_payoffs

    assert tuple(expected_payoffs(game, mixed)) == equilibrium.payoffs
    if max(game.shape) <= 8:  # keep vertex enumeration fast
        reference = vertex_enumeration(game)
        if len(reference) == 1 and reference.complete:
            assert equilibrium.payoffs == tuple(reference[0].payoffs)


def test_some_random_trees_have_a_unique_equilibrium_and_lemke_finds_it():
    # make sure the uniqueness branch above is really exercised on fixed seeds
    matched = 0
    for seed in range(30):
        tree = random_bayesian_tree(seed)
        game = tree.to_strategic_form()
        reference = vertex_enumeration(game)
        if len(reference) == 1 and reference.complete:
            assert sequence_form_lemke(tree)[0].payoffs == tuple(reference[0].payoffs)
            matched += 1
    assert matched >= 10


def test_random_trees_have_imperfect_information_and_chance():
    trees = [random_tree(seed, zero_sum=False, depth=4) for seed in range(20)]
    assert sum(not t.is_perfect_information for t in trees) >= 5
    assert sum(t.has_chance for t in trees) >= 5
    assert all(t.has_perfect_recall for t in trees)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10**6), scale=st.integers(1, 5), shift=st.integers(-7, 7))
def test_lp_value_moves_with_a_positive_affine_map_of_the_payoffs(seed, scale, shift):
    # u1 -> scale u1 + shift, u2 -> scale u2 - shift keeps the tree constant-sum; the value becomes scale v + shift
    tree = random_tree(seed, zero_sum=True, depth=3)
    if tree.n_information_sets == 0:
        return
    moved = GameTree.from_arrays(
        tree.players, tree.parent, tree.node_player, [tree.action_label(j) for j in range(tree.n_nodes)],
        [[scale * row[0] + shift, scale * row[1] - shift] for row in tree.payoffs],
        probabilities=tree.probabilities,
        information_sets=[int(k) if k >= 0 else None for k in tree.node_information_set])
    assert is_constant_sum(moved)
    value = sequence_form_lp(tree).details["value"]
    assert sequence_form_lp(moved).details["value"] == scale * value + shift


def n_card_kuhn(n):
    """Kuhn poker with ``n`` cards (as above, generalised): 2n information sets per player."""
    cards = [f"c{k}" for k in range(n)]
    deals = {}
    for c1, c2 in itertools.permutations(cards, 2):
        win = 1 if cards.index(c1) > cards.index(c2) else -1
        showdown, called = terminal(win, -win), terminal(2 * win, -2 * win)
        p1_after_bet = decision("P1", {"Fold": terminal(-1, 1), "Call": called}, information_set=f"P1 {c1} cb")
        p2_after_check = decision("P2", {"Check": showdown, "Bet": p1_after_bet}, information_set=f"P2 {c2} c")
        p2_after_bet = decision("P2", {"Fold": terminal(1, -1), "Call": called}, information_set=f"P2 {c2} b")
        deals[f"{c1}{c2}"] = (F(1, n * (n - 1)),
                              decision("P1", {"Check": p2_after_check, "Bet": p2_after_bet}, information_set=f"P1 {c1}"))
    return GameTree.from_nested(("P1", "P2"), chance(deals), title=f"{n}-card Kuhn poker")


def test_auto_uses_the_sequence_form_when_the_reduced_form_is_large():
    # Matching pennies as a tree: 2 x 2 profiles -> the reduced strategic form (every extreme equilibrium).
    assert solve_tree(matching_pennies()).method == "vertex_enumeration"
    # 3-card Kuhn poker: up to 2^6 x 2^6 = 4,096 profiles -> the sequence form, value -1/18 (Kuhn 1950),
    # and the result says why.
    kuhn = solve_tree(kuhn_poker())
    assert kuhn.method == "sequence_form_lp" and kuhn[0].payoffs[0] == F(-1, 18)
    assert any("sequence form" in m for m in kuhn.messages)
    # 6 cards: value -11/180 (benchmarks/results/sequence_form.md, cross-checked there with Gambit's lcp_solve).
    assert solve_tree(n_card_kuhn(6))[0].payoffs[0] == F(-11, 180)


# ---------------------------------------------------------------------- strategic-form budget (issue 16)
def test_reduced_strategies_are_counted_without_listing_them():
    from negotiation.models.tree_strategic import reduced_strategy_counts
    # Kuhn poker: player 1 bets, or checks then folds or calls, with each of 3 cards (3^3 = 27); player 2 calls or
    # folds after a bet and bets or checks after a check, with each card (2^6 = 64)
    assert reduced_strategy_counts(kuhn_poker()) == (27, 64)
    assert tuple(len(labels) for labels, _, _ in kuhn_poker()._reduced_strategies()) == (27, 64)


def test_a_strategic_form_past_the_limit_is_refused_before_its_strategies_are_listed():
    from negotiation.core.errors import SolverLimitError
    # A picks one of 150 actions, B one of 150 without seeing A's: 150 × 150 = 22 500 profiles, over 20 000
    tree = GameTree.from_nested(("A", "B"), decision("A", {
        f"a{i}": decision("B", {f"b{j}": terminal(i, j) for j in range(150)}, information_set="h")
        for i in range(150)}))
    with pytest.raises(SolverLimitError, match=r"would be 150×150 \(22,500 pure profiles, more than 20,000"):
        tree.to_strategic_form()
    assert "_reduced_cache" not in tree.__dict__  # refused by the count, before any strategy was listed
