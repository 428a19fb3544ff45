"""Bayesian games: Harsanyi and agent forms, Bayesian Nash equilibria, symbolic conditions.

Expected values come from textbook examples (cited), exact hand computation (shown in
comments), an independent brute-force check written here, or nashpy's vertex enumeration.
"""

import itertools
import json
import random
from fractions import Fraction as F

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.scenario import load
import negotiation as ng
from negotiation.models.bayesian import BayesianError, BayesianGame, agent_form, harsanyi
from negotiation.solvers import enumerate_pure
from negotiation.solvers.bayesian import solve_bayesian
from negotiation.symbolic.bayesian import bayesian_conditions

FEW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------- independent helpers
def interim_table(game, i, k, strategy):
    """Brute force: prior-weighted expected payoff of each action of player i's type k
    against the others' behaviour ``strategy[j][t_j] = {action: probability}``."""
    out = {}
    for a_label in game.actions[i]:
        total = 0
        for t in itertools.product(*(range(n) for n in game.type_shape)):
            if t[i] != k or game.prior[t] == 0:
                continue
            for a in itertools.product(*(range(m) for m in game.action_shape)):
                if game.actions[i][a[i]] != a_label:
                    continue
                weight = game.prior[t]
                for j in range(game.n_players):
                    if j != i:
                        weight *= strategy[j][t[j]].get(game.actions[j][a[j]], 0)
                total += weight * game.payoffs[t + a + (i,)]
        out[a_label] = total
    return out


def is_bne(game, profile):
    """Every type of positive probability plays only best responses (exact arithmetic)."""
    strategy = [[profile.probabilities[i][k] and dict(zip(game.actions[i], profile.probabilities[i][k]))
                 for k in range(len(game.types[i]))] for i in range(game.n_players)]
    for i in range(game.n_players):
        for k in range(len(game.types[i])):
            if strategy[i][k] is None:
                continue
            table = interim_table(game, i, k, strategy)
            best = max(table.values())
            for action, p in strategy[i][k].items():
                if p > 0 and table[action] != best:
                    return False
    return True


def behaviour_key(probabilities, digits=6):
    return tuple(tuple(None if x is None else tuple(round(float(v), digits) for v in x) for x in player)
                 for player in probabilities)


def random_game(rng, types=(1, 2), actions=(2, 2), low=0, high=9):
    players = [f"P{i + 1}" for i in range(len(types))]
    type_labels = {p: [f"t{k}" for k in range(n)] for p, n in zip(players, types) if n > 1}
    action_labels = {p: [f"a{j}" for j in range(m)] for p, m in zip(players, actions)}
    weights = [rng.randint(1, 5) for _ in range(int(np.prod(types)))]
    profiles = list(itertools.product(*([f"t{k}" for k in range(n)] if n > 1 else ["known"] for n in types)))
    prior = {profile: F(w, sum(weights)) for profile, w in zip(profiles, weights)}
    table = {}
    for profile in profiles:
        table[profile] = {a: tuple(rng.randint(low, high) for _ in players)
                          for a in itertools.product(*action_labels.values())}
    return BayesianGame.from_tables(type_labels, action_labels, prior, table)


# ---------------------------------------------------------------------- Kydd's trust threshold
MODEL = "security_dilemma_bayesian"


def test_kydd_cooperative_region_is_the_closed_form_threshold():
    # domain.md §M3 [D]: the BNE in which trustworthy types cooperate exists iff each side's
    # prior pi >= pi* = (P - S)/((R - T) + (P - S)), with the trustworthy type's payoffs.
    scenario = load(MODEL, kind="bayesian")
    conditions = ng.derive(scenario)
    cooperative = [e for e in conditions.interior
                   if all(plan == {"Security seeker": "Cooperate", "Greedy": "Defect"} for plan in e.plan.values())]
    assert len(cooperative) == 1
    (conjunction,) = cooperative[0].interior.alternatives
    symbols = scenario.parameters.symbols
    R, T, P, S = (symbols[n] for n in "RTPS")
    wanted = {symbols["pi_NATO"], symbols["pi_Russia"]}
    seen = set()
    for atom in conjunction:
        assert atom.shown_relation == ">="
        (pi,) = atom.expression.free_symbols & wanted
        seen.add(pi)
        # lhs - rhs >= 0 must be exactly pi*((R - T) + (P - S)) - (P - S) >= 0
        assert sympy.expand(atom.lhs - atom.rhs - (pi * ((R - T) + (P - S)) - (P - S))) == 0
    assert seen == wanted and len(conjunction) == 2
    # the all-defect BNE holds everywhere (P > S)
    assert any(str(e.condition).startswith("always") and all(set(plan.values()) == {"Defect"}
                                                               for plan in e.plan.values())
               for e in conditions.interior)
    thresholds = {(t.parameter, t.value) for t in conditions.thresholds if t.parameter.startswith("pi")}
    assert thresholds == {("pi_NATO", F(2, 3)), ("pi_Russia", F(2, 3))}  # (2-0)/((4-3)+(2-0)) = 2/3


def _cooperative_present(result):
    return any(all(e.profile.distribution(p, "Security seeker") == {"Cooperate": 1, "Defect": 0}
                   and e.profile.distribution(p, "Greedy") == {"Cooperate": 0, "Defect": 1}
                   for p in ("NATO", "Russia")) for e in result.pure)


@pytest.mark.parametrize("payoffs", [
    {"R": 4, "T": 3, "P": 2, "S": 0},                       # pi* = 2/(1 + 2) = 2/3
    {"R": 7, "T": 2, "P": 3, "S": F(-1, 2), "T_u": 9},     # pi* = (7/2)/(5 + 7/2) = 7/17
])
def test_kydd_threshold_numerically_just_below_and_above(payoffs):
    scenario = load(MODEL, kind="bayesian")
    R, T, P, S = (F(payoffs[n]) for n in "RTPS")
    threshold = (P - S) / ((R - T) + (P - S))
    epsilon = F(1, 1000)
    for pi, expected in ((threshold - epsilon, False), (threshold, True), (threshold + epsilon, True)):
        for values in ({"pi_NATO": pi, "pi_Russia": pi}, {"pi_NATO": F(99, 100), "pi_Russia": pi},
                       {"pi_NATO": pi, "pi_Russia": F(99, 100)}):
            result = scenario.solve({**payoffs, **values})
            assert result.exact and result.complete
            assert _cooperative_present(result) is expected, (values, pi)
            for equilibrium in result:
                assert is_bne(result.game, equilibrium.profile)


def test_kydd_defaults_hand_computed():
    # pi = 3/4 on both sides, R=4, T=3, P=2, S=0, T_u=5, P_u=2.
    # Cooperative BNE: security seeker's interim payoff 3/4*4 + 1/4*0 = 3; greedy 3/4*5 + 1/4*2 = 17/4.
    # Symmetric mixed BNE: security seekers cooperate w.p. q; C gives 3/4*q*4 = 3q,
    # D gives 3/4*(3q + 2(1-q)) + 1/4*2 = 3q/4 + 2, equal at q = 8/9 (interim payoff 8/3).
    # All-defect BNE: everyone gets P = P_u = 2.
    result = load(MODEL, kind="bayesian").solve()
    assert len(result) == 3 and result.complete and result.degenerate is False
    by_q = {e.profile.distribution("NATO", "Security seeker")["Cooperate"]: e for e in result}
    assert set(by_q) == {1, F(8, 9), 0}
    assert by_q[1].interim_payoff("NATO", "Security seeker") == 3
    assert by_q[1].interim_payoff("Russia", "Greedy") == F(17, 4)
    assert by_q[F(8, 9)].profile.distribution("Russia", "Security seeker")["Cooperate"] == F(8, 9)
    assert by_q[F(8, 9)].interim_payoff("Russia", "Security seeker") == F(8, 3)
    assert by_q[0].payoffs == (2, 2)


def test_one_sided_trust_game_symbolic_region():
    # Russia's type is private; NATO is a known security seeker. NATO cooperates iff
    # pi*R + (1 - pi)*S >= pi*T + (1 - pi)*P, i.e. pi >= (P - S)/((R - T) + (P - S)).
    from negotiation.core.parameters import Parameter, ParameterSpace

    space = ParameterSpace((Parameter("pi", F(1, 2), 0, 1), Parameter("R", 4, 0, 10), Parameter("T", 3, 0, 10),
                            Parameter("P", 2, 0, 10), Parameter("S", 0, -10, 10), Parameter("T_u", 5, 0, 20)))
    pi, R, T, P, S, T_u = space.symbols.values()
    trusting = {("C", "C"): (R, R), ("C", "D"): (S, T), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    greedy = {("C", "C"): (R, R), ("C", "D"): (S, T_u), ("D", "C"): (T, S), ("D", "D"): (P, P)}
    game = BayesianGame.from_tables(
        {"Russia": ["Trustworthy", "Greedy"]}, {"NATO": ["C", "D"], "Russia": ["C", "D"]},
        {"Russia": {"Trustworthy": pi, "Greedy": 1 - pi}},
        lambda t, a: (trusting if t["Russia"] == "Trustworthy" else greedy)[a["NATO"], a["Russia"]],
        parameters=space)
    conditions = bayesian_conditions(game, {"R": 5, "T": 1, "P": 3, "S": -2, "T_u": 6})
    cooperative = next(e for e in conditions.equilibria if e.plan["NATO"] == {"known": "C"}
                       and e.plan["Russia"] == {"Trustworthy": "C", "Greedy": "D"})
    # pi* = (3 + 2)/((5 - 1) + (3 + 2)) = 5/9
    assert cooperative.condition.holds({"pi": F(5, 9)}) and not cooperative.condition.holds({"pi": F(5, 9) - F(1, 10**6)})
    assert [t.value for t in conditions.thresholds if t.parameter == "pi"] == [F(5, 9)]
    # symbolic and numeric agree at sampled points (away from the boundary)
    for value in (F(1, 10), F(1, 2), F(4, 7), F(9, 10)):
        numeric = solve_bayesian(game, values={"pi": value, "R": 5, "T": 1, "P": 3, "S": -2, "T_u": 6})
        predicted = {e.label for e in conditions.equilibria_at({"pi": value})}
        found = {e.profile.describe() for e in numeric.pure}
        assert predicted == found, value


# ---------------------------------------------------------------------- a textbook example
def osborne_bos():
    # Osborne (2004), An Introduction to Game Theory, §9.1 "Variant of BoS with imperfect
    # information" (p. 273, page from memory): player 1 does not know whether player 2 wishes
    # to meet her (BoS payoffs) or to avoid her, probability 1/2 each.
    meet = {("B", "B"): (2, 1), ("B", "S"): (0, 0), ("S", "B"): (0, 0), ("S", "S"): (1, 2)}
    avoid = {("B", "B"): (2, 0), ("B", "S"): (0, 2), ("S", "B"): (0, 1), ("S", "S"): (1, 0)}
    return BayesianGame.from_tables(
        {"2": ["meet", "avoid"]}, {"1": ["B", "S"], "2": ["B", "S"]}, {"2": {"meet": F(1, 2), "avoid": F(1, 2)}},
        lambda t, a: (meet if t["2"] == "meet" else avoid)[a["1"], a["2"]], title="BoS, meet or avoid")


def test_osborne_bos_variant_all_equilibria():
    # Published: (B, (B, S)) is the unique pure BNE. The mixed ones by hand: with p = Pr(1 plays B),
    # type meet is indifferent iff p = 2(1 - p)/... i.e. p*1 = (1 - p)*2, p = 2/3; type avoid iff
    # (1 - p)*1 = 2p, p = 1/3; player 1 is indifferent iff 2*(q_m + q_v)/2 = 1 - (q_m + q_v)/2,
    # q_m + q_v = 2/3. So (p, q_m, q_v) = (2/3, 2/3, 0) and (1/3, 0, 2/3); no other p works.
    result = solve_bayesian(osborne_bos())
    assert result.exact and result.complete and result.method == "vertex_enumeration"
    found = {(e.profile.distribution("1", "known")["B"], e.profile.distribution("2", "meet")["B"],
              e.profile.distribution("2", "avoid")["B"]) for e in result}
    assert found == {(1, 1, 0), (F(2, 3), F(2, 3), 0), (F(1, 3), 0, F(2, 3))}
    assert [e.profile.describe() for e in result.pure] == ["1: B; 2: meet: B, avoid: S"]
    pure = result.pure[0]
    # 1 gets 1/2*2 + 1/2*0 = 1; type meet gets 1 at (B, B), type avoid 2 at (B, S); ex ante 3/2
    assert pure.interim == ((1,), (1, 2)) and pure.payoffs == (1, F(3, 2))
    mixed = next(e for e in result if e.profile.distribution("1", "known")["B"] == F(2, 3))
    # type meet: 2/3*1 = 2/3; type avoid plays S: 2*2/3 = 4/3; player 1: q_m + q_v = 2/3
    assert mixed.interim == ((F(2, 3),), (F(2, 3), F(4, 3))) and mixed.payoffs == (F(2, 3), 1)


def test_harsanyi_payoffs_match_a_direct_sum():
    game = osborne_bos()
    normal = harsanyi(game)
    assert normal.strategies == (("B", "S"), ("meet: B, avoid: B", "meet: B, avoid: S",
                                              "meet: S, avoid: B", "meet: S, avoid: S"))
    # (B, "meet: B, avoid: S"): 1 gets 1/2*2 + 1/2*0 = 1, 2 gets 1/2*1 + 1/2*2 = 3/2
    assert normal["B", "meet: B, avoid: S"] == {"1": 1, "2": F(3, 2)}
    # (S, "meet: S, avoid: B"): 1 gets 1/2*1 + 1/2*0 = 1/2, 2 gets 1/2*2 + 1/2*1 = 3/2
    assert normal["S", "meet: S, avoid: B"] == {"1": F(1, 2), "2": F(3, 2)}


# ---------------------------------------------------------------------- cross-checks
def test_random_games_agree_with_nashpy_vertex_enumeration():
    import warnings

    nashpy = pytest.importorskip("nashpy")
    rng = random.Random(20240521)
    compared = 0
    for _ in range(40):
        shape = rng.choice([((1, 2), (2, 2)), ((2, 2), (2, 2)), ((2, 1), (3, 2)), ((1, 3), (2, 2))])
        game = random_game(rng, *shape)
        result = solve_bayesian(game)
        for equilibrium in result:
            assert is_bne(game, equilibrium.profile)
        if result.degenerate:
            continue
        normal = harsanyi(game)
        A = np.array(normal.payoff_array(0), dtype=float)
        B = np.array(normal.payoff_array(1), dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = list(nashpy.Game(A, B).vertex_enumeration())
        plans = [list(itertools.product(range(len(game.actions[i])), repeat=len(game.types[i]))) for i in range(2)]
        keys = set()
        for vectors in theirs:
            behaviour = []
            for i, vector in enumerate(vectors):
                behaviour.append(tuple(tuple(sum(x for plan, x in zip(plans[i], vector) if plan[k] == a)
                                             for a in range(len(game.actions[i])))
                                       for k in range(len(game.types[i]))))
            keys.add(behaviour_key(behaviour))
        assert keys == {behaviour_key(e.profile.probabilities) for e in result}
        compared += 1
    assert compared >= 20


def test_pure_equilibria_of_the_agent_form_are_the_pure_bne():
    rng = random.Random(7)
    for _ in range(15):
        game = random_game(rng, (2, 2), (2, 2), high=4)  # small range: ties and several equilibria
        agents = agent_form(game)
        pure_agents = {tuple(e.profile.support(p)[0] for p in agents.players) for e in enumerate_pure(agents)}
        pure_bne = set()
        for e in solve_bayesian(game, method="enumerate_pure"):
            pure_bne.add(tuple(e.profile.action_text(i, k) for i in range(2) for k in range(2)))
        assert pure_agents == pure_bne


def test_three_players_use_the_exact_n_player_solver():
    rng = random.Random(3)
    game = random_game(rng, (1, 2, 1), (2, 2, 2))
    result = solve_bayesian(game)
    assert result.method == "support_enumeration_polynomial"
    assert len(result) >= 1
    for equilibrium in result:
        assert is_bne(game, equilibrium.profile)  # exact best-response check of every type
    pure = solve_bayesian(game, method="enumerate_pure")
    assert pure.complete is False
    # every pure Bayesian equilibrium is among the complete solver's equilibria
    assert {e.profile.describe() for e in pure} <= {e.profile.describe() for e in result}


# ---------------------------------------------------------------------- properties
@st.composite
def small_games(draw):
    seed = draw(st.integers(0, 10**6))
    shape = draw(st.sampled_from([((1, 2), (2, 2)), ((2, 2), (2, 2)), ((2, 1), (2, 3))]))
    return random_game(random.Random(seed), *shape)


def _relabelled(game, permutation):
    """Player 2's types renamed and reordered by ``permutation``."""
    types = [f"new {game.types[1][k]}" for k in permutation]
    prior = {(game.types[0][a], types[b]): game.prior[a, permutation[b]]
             for a in range(game.type_shape[0]) for b in range(len(permutation))}
    table = {}
    for a in range(game.type_shape[0]):
        for b in range(len(permutation)):
            table[game.types[0][a], types[b]] = {
                (game.actions[0][x], game.actions[1][y]): tuple(game.payoffs[a, permutation[b], x, y])
                for x in range(game.action_shape[0]) for y in range(game.action_shape[1])}
    return BayesianGame.from_tables({game.players[0]: game.types[0], game.players[1]: types},
                                    dict(zip(game.players, game.actions)), prior, table)


@FEW
@given(small_games(), st.randoms(use_true_random=False))
def test_relabelling_types_leaves_equilibria_unchanged(game, rng):
    permutation = list(range(game.type_shape[1]))
    rng.shuffle(permutation)
    original = solve_bayesian(game)
    relabelled = solve_bayesian(_relabelled(game, permutation))

    def described(result, order):
        out = set()
        for e in result:
            first = e.profile.probabilities[0]
            second = e.profile.probabilities[1]
            out.add((first, tuple(second[k] for k in order)))
        return out

    inverse = [permutation.index(k) for k in range(len(permutation))]
    assert described(relabelled, inverse) == described(original, range(len(permutation)))


@FEW
@given(small_games(), st.integers(1, 5), st.integers(-7, 7), st.integers(1, 3), st.integers(-7, 7))
def test_positive_affine_payoff_changes_leave_equilibria_unchanged(game, a1, b1, a2, b2):
    payoffs = np.array(game.payoffs, dtype=object)
    payoffs[..., 0] = payoffs[..., 0] * a1 + b1
    payoffs[..., 1] = payoffs[..., 1] * F(a2, 2) + b2
    changed = BayesianGame(game.players, game.types, game.actions, game.prior, payoffs)
    key = lambda result: {e.profile.probabilities for e in result}  # noqa: E731
    assert key(solve_bayesian(changed)) == key(solve_bayesian(game))


@FEW
@given(small_games())
def test_every_equilibrium_has_zero_regret_and_payoffs_add_up(game):
    for e in solve_bayesian(game):
        assert e.regret == 0 and is_bne(game, e.profile)
        for i in range(2):
            marginal = list(game.marginal(i).values())
            assert sum(m * v for m, v in zip(marginal, e.interim[i])) == e.payoffs[i]


# ---------------------------------------------------------------------- zero-probability types
def test_types_of_probability_zero_are_unconstrained_and_flagged():
    game = BayesianGame.from_tables(
        {"2": ["meet", "avoid"]}, {"1": ["B", "S"], "2": ["B", "S"]}, {"2": {"meet": 1, "avoid": 0}},
        lambda t, a: osborne_bos().payoffs[(0, 0 if t["2"] == "meet" else 1, "BS".index(a["1"]),
                                            "BS".index(a["2"]))])
    result = solve_bayesian(game)
    # with type avoid impossible this is BoS itself: (B, B), (S, S) and the mix (2/3 B, 1/3 B)
    found = {(e.profile.distribution("1", "known")["B"], e.profile.distribution("2", "meet")["B"]) for e in result}
    assert found == {(1, 1), (0, 0), (F(2, 3), F(1, 3))}
    for e in result:
        assert e.profile.distribution("2", "avoid") is None and e.interim[1][1] is None
        assert e.profile.undetermined == (("2", "avoid"),)
    assert result.details["zero_probability_types"] == {"2": ["avoid"]}
    assert any("probability 0" in m for m in result.messages)
    assert json.loads(json.dumps(result.to_dict()))["equilibria"][0]["profile"]["2"]["avoid"] is None
    with pytest.raises(BayesianError, match="prior probability 0"):
        agent_form(game, conditional=True)
    # prior-weighted agent form: the zero-probability agent's payoffs are all zero
    assert set(agent_form(game).payoff_array("2 (avoid)").flat) == {0}


# ---------------------------------------------------------------------- validation and output
@pytest.mark.parametrize("arguments, message", [
    (dict(prior={"2": {"meet": F(1, 2), "avoid": F(1, 3)}}), r"prior of 2: probabilities sum to 5/6, expected 1"),
    (dict(prior={("known", "meet"): F(3, 2), ("known", "avoid"): F(-1, 2)}), r"prior \(1: known, 2: avoid\): -1/2 is negative"),
    (dict(prior={"2": {"meet": 1, "never": 0}}), r"prior of 2: unknown type 'never'"),
    (dict(types={"3": ["x"]}), r"types: unknown player '3'"),
    (dict(payoffs={("known", "meet"): {("B", "B"): (1, 1)}}), r"payoffs: none given at types"),
    (dict(payoffs=lambda t, a: (1, 2, 3)), r"expected 2 payoffs \(one per player\), got 3"),
])
def test_bad_input_gives_one_line_errors(arguments, message):
    base = dict(types={"2": ["meet", "avoid"]}, actions={"1": ["B", "S"], "2": ["B", "S"]},
                prior={"2": {"meet": F(1, 2), "avoid": F(1, 2)}}, payoffs=lambda t, a: (0, 0))
    with pytest.raises(BayesianError, match=message) as error:
        BayesianGame.from_tables(**{**base, **arguments})
    assert "\n" not in str(error.value)


def test_raw_constructor_checks_shapes_and_labels():
    with pytest.raises(BayesianError, match=r"payoffs have shape \(2, 2, 2\), expected \(2, 2, 1\)"):
        BayesianGame(("A",), (("x", "y"),), (("L", "R"),), [F(1, 2), F(1, 2)], np.zeros((2, 2, 2)))
    with pytest.raises(BayesianError, match="duplicate type label 'x'"):
        BayesianGame(("A",), (("x", "x"),), (("L",),), [F(1, 2), F(1, 2)], np.zeros((2, 1, 1)))
    with pytest.raises(BayesianError, match="sum to 1.1, expected 1"):
        BayesianGame(("A",), (("x", "y"),), (("L",),), [0.5, 0.6], np.zeros((2, 1, 1)))
    pi = sympy.Symbol("pi")
    with pytest.raises(BayesianError, match=r"sum to 2\*pi, expected 1"):
        BayesianGame(("A",), (("x", "y"),), (("L",),), [pi, pi], np.zeros((2, 1, 1)))


def test_symbolic_game_substitutes_and_serialises():
    scenario = load(MODEL, kind="bayesian")
    game = scenario.game
    assert game.is_symbolic and not game.is_exact
    numeric = game.substitute({"pi_NATO": F(1, 2)})
    assert numeric.is_exact and numeric.marginal("NATO") == {"Security seeker": F(1, 2), "Greedy": F(1, 2)}
    assert numeric.values["pi_Russia"] == F(3, 4)
    data = json.loads(json.dumps(game.to_dict()))
    assert data["schema"] == "negotiation.bayesian-game/1" and data["parameters"][0] == "pi_NATO"
    assert data["prior"][0] == {"types": {"NATO": "Security seeker", "Russia": "Security seeker"},
                                "probability": "pi_NATO*pi_Russia"}
    assert "Types: NATO Greedy, Russia Greedy (probability" in game.to_text()
    assert "| NATO \\ Russia | Cooperate | Defect |" in game.to_markdown()
    symbolic_normal = harsanyi(game)
    assert symbolic_normal.is_symbolic
    assert symbolic_normal.substitute().payoffs.tolist() == harsanyi(game.substitute()).payoffs.tolist()


def test_result_conversions():
    result = solve_bayesian(osborne_bos())
    data = json.loads(json.dumps(result.to_dict()))
    assert data["equilibria"][0]["profile"] == {"1": {"known": {"B": "1", "S": "0"}},
                                                "2": {"meet": {"B": "1", "S": "0"}, "avoid": {"B": "0", "S": "1"}}}
    assert data["equilibria"][0]["interim_payoffs"]["2"] == {"meet": "1", "avoid": "2"}
    assert data["method"] == "vertex_enumeration" and data["transformation"] == "harsanyi"
    assert data["game"]["prior"]["2"] == {"meet": "1/2", "avoid": "1/2"}
    records = result.to_records()
    assert records[1]["2: meet: B"] == F(2, 3) and records[1]["interim 2: avoid"] == F(4, 3)
    csv = result.to_csv().splitlines()
    assert csv[0].startswith("equilibrium,kind,component,1: known: B") and "2/3" in csv[2]
    text = result.to_text()
    assert "meet (1/2)" in text and "2/3 B + 1/3 S" in text and "ex ante" in text
    assert "| 2 | avoid (1/2) |" in result.to_markdown()
    latex = result.to_latex()
    assert "\\frac{2}{3}" in latex and "\\toprule" in latex
    assert str(result) == text


def test_conditions_conversions():
    conditions = load(MODEL, kind="bayesian").derive({"R": 4, "T": 3, "P": 2, "S": 0})
    data = json.loads(json.dumps(conditions.to_dict()))
    assert data["schema"] == "negotiation.bne-conditions/1" and data["values"]["R"] == "4"
    assert len(conditions.interior) == 2
    assert "pi_Russia >= 2/3" in conditions.to_text().replace("3*pi_Russia >= 2", "pi_Russia >= 2/3")
    assert "holds where" in conditions.to_text() and "\\geq" in conditions.to_latex()
    assert conditions.to_markdown().count("\n| ") == 4


def test_float_games_and_other_methods():
    game = osborne_bos()
    floats = BayesianGame(game.players, game.types, game.actions, game.prior.astype(float), game.payoffs.astype(float))
    result = solve_bayesian(floats)
    assert not result.exact and result.complete and len(result) == 3
    expected = {(1.0, 1.0, 0.0), (2 / 3, 2 / 3, 0.0), (1 / 3, 0.0, 2 / 3)}  # as in the exact test above
    found = {tuple(round(e.profile.distribution(p, t)["B"], 9) for p, t in (("1", "known"), ("2", "meet"), ("2", "avoid")))
             for e in result}
    assert found == {tuple(round(v, 9) for v in x) for x in expected}
    one = solve_bayesian(game, method="lemke_howson")
    assert len(one) == 1 and not one.complete and is_bne(game, one[0].profile)


# ---------------------------------------------------------------------- work budget (issue 16)
def _coordination_with_types(n_types):
    types = [f"t{k}" for k in range(n_types)]
    return BayesianGame.from_tables({"A": types, "B": types}, {"A": ["L", "R"], "B": ["L", "R"]},
                                    {"A": {t: f"1/{n_types}" for t in types}, "B": {t: f"1/{n_types}" for t in types}},
                                    lambda t, a: (1, 1) if a["A"] == a["B"] else (0, 0))


def test_a_harsanyi_form_past_the_budget_is_refused_before_it_is_built():
    from negotiation.core.errors import SolverLimitError
    # six types of two actions each side: 2^6 × 2^6 = 64 × 64 plans, summed over 6 × 6 = 36 type profiles
    with pytest.raises(SolverLimitError, match=r"64×64 type-contingent plans, summed over 36 type profiles: "
                                               r"147,456 steps\) is over the limit of 50,000.*max_harsanyi_work="):
        ng.solve(_coordination_with_types(6))


def test_max_harsanyi_work_admits_exactly_the_work_asked_for():
    from negotiation.core.errors import SolverLimitError
    # four types each side: 16 × 16 plans × 16 type profiles = 4096 steps; everyone playing L (or R) whatever
    # the type is a pure Bayesian equilibrium of this coordination game
    game = _coordination_with_types(4)
    with pytest.raises(SolverLimitError, match="4,096 steps"):
        solve_bayesian(game, method="enumerate_pure", max_harsanyi_work=4095)
    result = solve_bayesian(game, method="enumerate_pure", max_harsanyi_work=4096)
    described = {e.profile.describe() for e in result}
    assert "A: t0: L, t1: L, t2: L, t3: L; B: t0: L, t1: L, t2: L, t3: L" in described


def test_a_solver_limit_on_the_harsanyi_form_says_so():
    from negotiation.core.errors import SolverLimitError
    # ten types against one: 2^10 × 2 plans, 1024 rows: past vertex enumeration's budget (12×12 and the like)
    types = [f"t{k}" for k in range(10)]
    game = BayesianGame.from_tables({"A": types}, {"A": ["L", "R"], "B": ["L", "R"]},
                                    {"A": {t: "1/10" for t in types}},
                                    lambda t, a: (1, 1) if a["A"] == a["B"] else (0, 0))
    with pytest.raises(SolverLimitError, match=r"^the Harsanyi form \(1024×2 type-contingent plans\) of the "
                                               r"Bayesian game: vertex_enumeration"):
        ng.solve(game)
