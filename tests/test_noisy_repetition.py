"""Repeated games with noise (issue 18, item 1): automata, exact long-run payoffs, equilibria, critical δ(ε).

Every expected value below comes from a hand computation written out in the test's docstring, from a
published closed form (Axelrod 1984; Friedman 1971; Nowak and Sigmund 1992, 1993), or from a second
module of the toolkit that knows nothing of noise (solvers/trigger_strategies.py).
"""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.models.automata import Automaton, AutomatonError, standard_automaton
from negotiation.results.noisy_repetition import NoisyRepetitionError
from negotiation.solvers.noisy_repetition import all_policies, best_reply, bind_automaton, stage_payoffs
from negotiation.solvers.trigger_strategies import grim_trigger_threshold, tit_for_tat_threshold

CD = (("C", "D"), ("C", "D"))


def prisoners_dilemma(T, R, P, S):
    return ng.Game.from_arrays([[R, S], [T, P]], [[R, T], [S, P]], strategies=CD, players=("Row", "Column"))


PD = prisoners_dilemma(5, 3, 1, 0)


def symbolic_pd():
    R, S, T, P = sympy.symbols("R S T P")
    return ng.Game.from_arrays([[R, S], [T, P]], [[R, T], [S, P]], strategies=CD)


# ---------------------------------------------------------------------- tit-for-tat against itself
@pytest.mark.parametrize("eps", [F(1, 1000), F(1, 10), F(1, 3), F(1, 2), F(9, 10), F(999, 1000)])
def test_tit_for_tat_against_itself_averages_the_four_payoffs_for_every_error_rate(eps):
    """With implementation errors the joint state of two TFT players is (what 2 played, what 1 played) last
    period, so P[(s1, s2) → (b, a)] = q(a|s1) q(b|s2) with q(a|s) = 1 − ε if a = s else ε. Each column sums to
    (Σ_s1 q(a|s1)) (Σ_s2 q(b|s2)) = 1: the matrix is doubly stochastic, irreducible for 0 < ε < 1, so the
    stationary distribution is uniform, and the mean payoff is Σ_{a,b} u(a, b) · (1/4) · 1 · 1 = (R+S+T+P)/4."""
    result = ng.noisy_payoffs(PD, "TFT", "TFT", noise=eps)
    assert result.limit_of_means == (F(9, 4), F(9, 4))
    assert result.classes == 1
    assert result.frequencies == (F(1, 4),) * 4


def test_tit_for_tat_identity_holds_symbolically_in_epsilon_and_the_payoffs():
    game = symbolic_pd()
    R, S, T, P = (game.symbols[k] for k in "RSTP")
    eps = sympy.Symbol("epsilon", positive=True)
    value = ng.noisy_payoffs(game, "TFT", "TFT", noise=eps).limit_of_means[0]
    assert sympy.simplify(value - (R + S + T + P) / 4) == 0


def test_tit_for_tat_with_perception_errors_only_also_averages_the_four_payoffs():
    """Perception errors alone: both play their state exactly, and the next state of each is its reading of the
    other's action, wrong with probability ε'. P[(s1, s2) → (o1, o2)] = r(o1|s2) r(o2|s1): doubly stochastic
    as above, so uniform, and in state (s1, s2) the payoff is u(s1, s2): the mean is again (R+S+T+P)/4."""
    assert ng.noisy_payoffs(PD, "TFT", "TFT", perception=F(1, 7)).limit_of_means == (F(9, 4), F(9, 4))


def test_a_three_action_tit_for_tat_averages_all_nine_payoffs():
    """n = 3: an error replaces the intended action by each other one with probability ε/2, so
    Σ_s q(a|s) = (1 − ε) + 2 · ε/2 = 1 and the same doubly-stochastic argument gives the mean of the 9 payoffs."""
    labels = ("L", "M", "H")
    payoffs = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    game = ng.Game.from_arrays(payoffs, [list(r) for r in zip(*payoffs)], strategies=(labels, labels))
    mimic = Automaton("mimic", labels, labels, labels,
                      tuple(tuple(F(int(a == s)) for a in range(3)) for s in range(3)),
                      tuple(tuple(tuple(range(3)) for _ in range(3)) for _ in range(3)))
    assert mimic.next_state("L", "H", "M") == "M"  # next state = the other's observed action, whatever own
    result = ng.noisy_payoffs(game, mimic, mimic, noise=F(1, 5))
    assert result.limit_of_means[0] == F(46, 9)


# ---------------------------------------------------------------------- closed forms
def test_always_cooperate_against_always_defect_by_hand():
    """ALLC plays C with probability 1 − ε, ALLD plays D with probability 1 − ε, every period alike, so both
    the discounted value and the mean are (1−ε)² S + ε(1−ε)(R + P) + ε² T for ALLC (T and S swapped for ALLD)."""
    game = symbolic_pd()
    R, S, T, P = (game.symbols[k] for k in "RSTP")
    eps, delta = sympy.symbols("epsilon delta", positive=True)
    result = ng.noisy_payoffs(game, "ALLC", "ALLD", noise=eps, discount=delta)
    allc = (1 - eps) ** 2 * S + eps * (1 - eps) * (R + P) + eps ** 2 * T
    alld = (1 - eps) ** 2 * T + eps * (1 - eps) * (R + P) + eps ** 2 * S
    assert sympy.simplify(result.limit_of_means[0] - allc) == 0
    assert sympy.simplify(result.limit_of_means[1] - alld) == 0
    assert sympy.simplify(result.discounted[0] - allc) == 0


def test_win_stay_lose_shift_against_itself_closed_form():
    """Nowak and Sigmund (1993): WSLS repeats its own (actually played) action after the other cooperated and
    switches after a defection. Both start in CC. From CC: no error (prob (1−ε)²) or two errors (ε², both
    played D, both switch) → CC; one error (2ε(1−ε)) → DD. From DD: (D, D) played ((1−ε)²) → both switch → CC;
    (C, C) played (ε²) → both stay with C → CC; one error → DD. So with a = 2ε(1−ε), b = 1 − a the chain on
    {CC, DD} has the same row (b, a) from both states: stationary (b, a). The expected stage payoffs are
    CC: (1−ε)²R + ε(1−ε)(S+T) + ε²P, DD: (1−ε)²P + ε(1−ε)(S+T) + ε²R."""
    game = symbolic_pd()
    R, S, T, P = (game.symbols[k] for k in "RSTP")
    eps = sympy.Symbol("epsilon", positive=True)
    a = 2 * eps * (1 - eps)
    b = 1 - a
    expected = (b * ((1 - eps) ** 2 * R + eps ** 2 * P) + a * ((1 - eps) ** 2 * P + eps ** 2 * R)
                + eps * (1 - eps) * (S + T))
    result = ng.noisy_payoffs(game, "WSLS", "WSLS", noise=eps)
    assert sympy.simplify(result.limit_of_means[0] - expected) == 0
    assert result.classes == 1


def test_grim_against_always_defect_discounted_without_noise():
    """Without errors GRIM cooperates once (S), then punishes for ever (P): (1 − δ) S + δ P."""
    result = ng.noisy_payoffs(PD, "GRIM", "ALLD", discount=F(3, 4))
    assert result.discounted == (F(1, 4) * 0 + F(3, 4) * 1, F(1, 4) * 5 + F(3, 4) * 1)


def test_a_chain_with_two_recurrent_classes_weighs_them_by_the_probability_of_reaching_them():
    """A coin-flipping automaton plays C or D with probability 1/2 once, then stays with 'good' (C) or 'bad'
    (D) for ever, whatever it sees. Against ALLC without errors the chain splits into two absorbing joint
    states reached with probability 1/2 each: the mean from the start is R/2 + T/2 = 4, and there are 2
    recurrent classes."""
    half = (F(1, 2), F(1, 2))
    coin = Automaton("coin", ("C", "D"), ("C", "D"), ("start", "good", "bad"), (half, (F(1), F(0)), (F(0), F(1))),
                     (((1, 1), (2, 2)), ((1, 1), (1, 1)), ((2, 2), (2, 2))))
    result = ng.noisy_payoffs(PD, coin, "ALLC")
    assert result.classes == 2
    assert result.limit_of_means == (F(4), F(3, 2))
    assert "not ergodic" in result.to_text()


# ---------------------------------------------------------------------- critical discount factors
@pytest.mark.parametrize("payoffs", [(5, 3, 1, 0), (4, 3, 1, 0), (1, 0, -2, F(-15, 4))])
def test_at_no_noise_the_critical_discounts_are_the_perfect_monitoring_ones(payoffs):
    """At ε = 0: grim trigger against ALLD gives Friedman's (T − R)/(T − P), tit-for-tat against all
    strategies Axelrod's max{(T − R)/(T − P), (T − R)/(R − S)}, as solvers/trigger_strategies.py computes them.
    The third game is security_dilemma_repeated at its defaults."""
    game = prisoners_dilemma(*payoffs)
    grim = ng.critical_discount_under_noise(game, "GRIM", noise=0, against=["ALLD"], points=2)
    assert grim.threshold == grim_trigger_threshold(game, ("C", "C"))
    grim_all = ng.critical_discount_under_noise(game, "GRIM", noise=0, points=2)
    assert grim_all.threshold == grim_trigger_threshold(game, ("C", "C"))
    tft = ng.critical_discount_under_noise(game, "TFT", noise=0, points=2)
    assert tft.threshold == tit_for_tat_threshold(game)


def test_grim_against_always_defect_under_noise_closed_form():
    """GRIM–GRIM against ALLD–GRIM with errors, T, R, P, S = 5, 3, 1, 0: the formula at ε = 0 is
    (T − R)/(T − P) = 1/2 and must be increasing in ε (noise makes punishments start by mistake)."""
    result = ng.critical_discount_under_noise(PD, "GRIM", noise=F(1, 100), against=["ALLD"], points=3)
    eps = sympy.Symbol("epsilon")
    assert result.formula.subs(eps, 0) == sympy.Rational(1, 2)
    assert sympy.Rational(result.threshold.numerator, result.threshold.denominator) == result.formula.subs(
        eps, sympy.Rational(1, 100))
    assert result.curve[0][1] < result.curve[1][1]


@pytest.mark.parametrize("payoffs, bound", [((5, 3, 1, 0), F(1, 3)), ((4, 3, 2, 0), F(1, 2))])
def test_the_largest_stable_generosity_of_generous_tit_for_tat(payoffs, bound):
    """Nowak and Sigmund (1992): GTFT(g) is stable iff g < min{1 − (T−R)/(R−S), (R−P)/(T−P)}.

    Derivation of the exact condition tested. Without errors two GTFT players cooperate for ever: R. GTFT's
    state is the other's last action, so a best reply is a stationary policy on {C, D} (Puterman 1994,
    Thm 6.2.10); the deviator's policy decides GTFT's next state. Always D earns T now, then gT + (1−g)P:
    (1−δ)T + δ(gT + (1−g)P) ≤ R  ⟺  δ ≥ (T−R)/((1−g)(T−P)). Alternating D, C earns T, then gR + (1−g)S, ...:
    (T + δ(gR + (1−g)S))/(1 + δ) ≤ R  ⟺  δ ≥ (T−R)/((1−g)(R−S)). Always C earns R. So δ*(g) is the larger
    of the two, and it is below 1 exactly when g < 1 − (T−R)/(R−S) and g < (R−P)/(T−P): at the bound no δ < 1
    works, just below it δ* is the formula."""
    T, R, P, S = payoffs
    assert min(1 - F(T - R, R - S), F(R - P, T - P)) == bound
    game = prisoners_dilemma(*payoffs)
    at_bound = ng.critical_discount_under_noise(game, f"GTFT({bound})", noise=0, points=2)
    assert at_bound.threshold is None
    g = bound - F(1, 100)
    below = ng.critical_discount_under_noise(game, f"GTFT({g})", noise=0, points=2)
    assert below.threshold == max(F(T - R) / ((1 - g) * (T - P)), F(T - R) / ((1 - g) * (R - S)))


def test_win_stay_lose_shift_critical_discount_formula():
    """T, R, P, S = 4, 3, 1, 0. Without errors WSLS against all strategies: WSLS's state is its next action,
    and against a deviator it moves C → D after the deviator's D and D → C after (D, D). From CC the deviator's
    best one-shot deviation gives T, then meets D: answering D gives P and both return to CC, so
    (1−δ)(T + δP) + δ²R ≤ R ⟺ T − R ≤ δ(R − P) ⟺ δ ≥ (T − R)/(R − P) = 1/2; answering C instead gives S and
    leaves WSLS in D, which is worse here (S < P). So δ*(0) = 1/2, and errors raise it."""
    game = prisoners_dilemma(4, 3, 1, 0)
    result = ng.critical_discount_under_noise(game, "WSLS", noise=F(1, 100), points=3)
    eps = sympy.Symbol("epsilon")
    assert result.formula.subs(eps, 0) == sympy.Rational(1, 2)
    assert result.curve[0][1] == F(1, 2)
    assert result.threshold > F(1, 2)


# ---------------------------------------------------------------------- equilibria
def test_policy_iteration_finds_the_best_stationary_policy():
    """The best reply by policy iteration equals the best of all stationary policies, enumerated."""
    payoffs = stage_payoffs(PD)
    for name in ("TFT", "GRIM", "WSLS", "GTFT(1/3)"):
        opponent = bind_automaton(PD, name, 1)
        values, _ = best_reply(payoffs[0], opponent, F(1, 20), F(4, 5))
        enumerated = max(ng.noisy_payoffs(PD, policy, opponent, noise=F(1, 20), discount=F(4, 5)).discounted[0]
                         for policy in all_policies(opponent))
        assert values[opponent.initial] == enumerated


def test_equilibria_without_noise_follow_the_perfect_monitoring_thresholds():
    """At ε = 0 and T, R, P, S = 5, 3, 1, 0: GRIM needs δ ≥ 1/2, TFT δ ≥ 2/3 (Axelrod), ALLD always."""
    high = ng.noisy_equilibria(PD, ["ALLD", "GRIM", "TFT"], noise=0, discount=F(3, 4))
    low = ng.noisy_equilibria(PD, ["ALLD", "GRIM", "TFT"], noise=0, discount=F(3, 5))
    for result, tft in ((high, True), (low, False)):
        assert result.pair("ALLD", "ALLD").against_all
        assert result.pair("GRIM", "GRIM").against_all
        assert result.pair("TFT", "TFT").against_all is tft


def test_with_perception_errors_only_the_set_is_checked():
    result = ng.noisy_equilibria(PD, ["ALLD", "TFT"], perception=F(1, 100), discount=F(9, 10))
    assert not result.all_strategies and result.method == "markov_chain"
    assert all(p.against_all is None for p in result.pairs)
    assert "private" in result.to_text()


# ---------------------------------------------------------------------- properties
AUTOMATA = ("ALLC", "ALLD", "GRIM", "TFT", "GTFT(1/3)", "WSLS")
fractions = st.fractions(min_value=-10, max_value=10, max_denominator=7)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(fractions, min_size=8, max_size=8), st.fractions(min_value=F(1, 5), max_value=5, max_denominator=5),
       fractions, st.sampled_from(AUTOMATA), st.sampled_from(AUTOMATA),
       st.fractions(min_value=0, max_value=F(1, 2), max_denominator=9),
       st.fractions(min_value=0, max_value=F(8, 9), max_denominator=9))
def test_payoffs_are_affine_equivariant(numbers, scale, shift, first, second, eps, delta):
    """Values are expectations of stage payoffs with weights that do not depend on them: a·u + b gives a·V + b."""
    one = [numbers[:2], numbers[2:4]]
    two = [numbers[4:6], numbers[6:]]
    game = ng.Game.from_arrays(one, two, strategies=CD)
    moved = ng.Game.from_arrays([[scale * x + shift for x in r] for r in one],
                                [[scale * x + shift for x in r] for r in two], strategies=CD)
    before = ng.noisy_payoffs(game, first, second, noise=eps, discount=delta)
    after = ng.noisy_payoffs(moved, first, second, noise=eps, discount=delta)
    assert after.discounted == tuple(scale * v + shift for v in before.discounted)
    assert after.limit_of_means == tuple(scale * v + shift for v in before.limit_of_means)


# ---------------------------------------------------------------------- inputs
def test_bad_inputs_are_one_line_errors():
    with pytest.raises(NoisyRepetitionError, match="noise: expected an error rate"):
        ng.noisy_payoffs(PD, "TFT", "TFT", noise=2)
    with pytest.raises(NoisyRepetitionError, match="unknown automaton 'NICE'"):
        ng.noisy_payoffs(PD, "NICE", "TFT")
    with pytest.raises(NoisyRepetitionError, match="discount"):
        ng.noisy_payoffs(PD, "TFT", "TFT", discount=1)
    with pytest.raises(NoisyRepetitionError, match="MAX_COMPARED_AUTOMATA"):
        ng.noisy_equilibria(PD, ["TFT"] * 13)
    with pytest.raises(AutomatonError, match="MAX_AUTOMATON_STATES"):
        Automaton("big", ("C", "D"), ("C", "D"), tuple(str(i) for i in range(7)), ((F(1), F(0)),) * 7,
                  (((0, 0), (0, 0)),) * 7)
    with pytest.raises(AutomatonError, match="add up to 1"):
        Automaton("bad", ("C", "D"), ("C", "D"), ("s",), ((F(1, 2), F(1, 3)),), (((0, 0), (0, 0)),))
    with pytest.raises(NoisyRepetitionError, match="name the automata"):
        ng.critical_discount_under_noise(PD, "TFT", perception=F(1, 10))


def test_library_automata_and_their_labels():
    assert standard_automaton("pavlov").name == "WSLS"
    assert standard_automaton("GTFT").name == "GTFT(1/3)"
    grim = bind_automaton(PD, "GRIM", 0, cooperate="D")  # a game read the other way round
    assert grim.action_in("cooperate") == "D"


def test_float_inputs_are_read_exactly_and_flagged():
    """0.5 is exactly 1/2 in binary: ALLC against itself with no errors earns R = 0.5 exactly, and the result
    says that floats were given (exact=False)."""
    game = ng.Game.from_arrays([[0.5, 0.0], [1.0, 0.25]], [[0.5, 1.0], [0.0, 0.25]], strategies=CD)
    result = ng.noisy_payoffs(game, "ALLC", "ALLC", discount=F(1, 2))
    assert result.discounted == (F(1, 2), F(1, 2)) and result.exact is False
    assert "binary" in result.to_text()


def test_a_symbolic_discount_gives_the_value_as_a_function_of_delta():
    """GRIM against ALLD without errors: (1 − δ) S + δ P = δ at T, R, P, S = 5, 3, 1, 0."""
    delta = sympy.Symbol("delta")
    value = ng.noisy_payoffs(PD, "GRIM", "ALLD", discount=delta).discounted[0]
    assert sympy.simplify(value - delta) == 0


def test_equilibria_need_numbers():
    with pytest.raises(NoisyRepetitionError, match="give numbers"):
        ng.noisy_equilibria(PD, ["TFT"], noise=sympy.Symbol("epsilon"))
