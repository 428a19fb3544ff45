"""Jervis's four worlds in `security_dilemma`, the security seeker across files, and the two force-posture forms.

Every expected value below is computed by hand in the docstrings from the payoff formulas of the
model files (never pasted from the solver's output):

security_dilemma (R = 0):  T = v*G*omega*(1 - phi*(1 - omega)) - k,  S = -omega*L*(1 - phi),
                           P = -k - omega*W;   defaults k = 1, G = 4, L = 10, W = 2.
The symmetric mixed equilibrium of a Stag Hunt restrains with probability
q* = (P - S)/((R - T) + (P - S)) (Rapoport and Guyer 1966; Harsanyi and Selten 1988, risk dominance:
mutual deployment is risk dominant iff q* > 1/2).
"""

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import negotiation as ng
from negotiation.solvers.continuous import best_response

OFFENCE, DEFENCE = "3/4", "1/4"
INDISTINGUISHABLE, DISTINGUISHABLE = "1/4", "3/4"


def _classification(values):
    return ng.load("security_dilemma").solve(values).details["classification"]


def _restrain_probability_of_the_mixed_equilibrium(values):
    result = ng.load("security_dilemma").solve(values)
    mixed = [record for record in result.to_records() if record.get("kind") == "mixed"]
    assert len(mixed) == 1, result.to_text()
    return Fraction(str(mixed[0]["NATO: Restrain"]))


def test_doubly_dangerous_world_is_a_stag_hunt_with_deployment_risk_dominant_for_security_seekers():
    """Offence has the advantage, postures indistinguishable (omega = 3/4, phi = 1/4), v = 0.

    T = -1; S = -(3/4)(10)(3/4) = -45/8; P = -1 - (3/4)(2) = -5/2.
    R = 0 > T = -1 > P = -5/2 > S = -45/8: Stag Hunt.
    q* = (-5/2 + 45/8)/(1 + 25/8) = (25/8)/(33/8) = 25/33 > 1/2: mutual deployment is risk dominant,
    restraint needs trust of at least 25/33 — "doubly dangerous" (Jervis 1978, p. 211).
    Greedy states (v = 1): T = 4(3/4)(1 - (1/4)(1/4)) - 1 = 45/16 - 1 = 29/16 > R: Prisoner's Dilemma.
    """
    values = {"omega": OFFENCE, "phi": INDISTINGUISHABLE, "v": 0}
    assert _classification(values).startswith("Stag Hunt")
    assert _restrain_probability_of_the_mixed_equilibrium(values) == Fraction(25, 33)
    assert _classification({**values, "v": 1}).startswith("Prisoner's Dilemma")


def test_defence_indistinguishable_world_keeps_a_dilemma_but_restraint_is_risk_dominant():
    """Defence has the advantage, postures indistinguishable (omega = 1/4, phi = 1/4), v = 0.

    T = -1; S = -(1/4)(10)(3/4) = -15/8; P = -1 - (1/4)(2) = -3/2.
    R > T > P > S: Stag Hunt (mutual deployment is still an equilibrium: a security dilemma), and
    q* = (3/8)/(1 + 3/8) = 3/11 < 1/2: restraint is risk dominant — "security requirements may be
    compatible" (Jervis 1978, p. 211).
    """
    values = {"omega": DEFENCE, "phi": INDISTINGUISHABLE, "v": 0}
    assert _classification(values).startswith("Stag Hunt")
    assert _restrain_probability_of_the_mixed_equilibrium(values) == Fraction(3, 11)


def test_offence_distinguishable_world_has_no_dilemma_for_security_seekers_but_aggression_is_possible():
    """Offence has the advantage, postures distinguishable (omega = 3/4, phi = 3/4).

    v = 0: T = -1; S = -(3/4)(10)(1/4) = -15/8; P = -5/2. R > T and S > P: Harmony, no security
    dilemma. v = 1: T = 4(3/4)(1 - (3/4)(1/4)) - 1 = 39/16 - 1 = 23/16 > R = 0 > S = -15/8 > P = -5/2:
    Chicken — a greedy state may deploy against a restrained one ("aggression possible", p. 211).
    """
    values = {"omega": OFFENCE, "phi": DISTINGUISHABLE}
    assert _classification({**values, "v": 0}).startswith("Harmony")
    assert _classification({**values, "v": 1}).startswith("Chicken")


def test_doubly_stable_world_is_harmony_for_security_seekers_and_for_greedy_states():
    """Defence has the advantage, postures distinguishable (omega = 1/4, phi = 3/4).

    S = -(1/4)(10)(1/4) = -5/8 > P = -3/2. v = 0: T = -1 < R; v = 1: T = 4(1/4)(1 - (3/4)(3/4)) - 1
    = 7/16 - 1 = -9/16 < R. Harmony for both — "doubly stable" (Jervis 1978, p. 211).
    """
    values = {"omega": DEFENCE, "phi": DISTINGUISHABLE}
    assert _classification({**values, "v": 0}).startswith("Harmony")
    assert _classification({**values, "v": 1}).startswith("Harmony")


def test_defaults_are_a_prisoners_dilemma_for_greedy_states_and_a_stag_hunt_for_security_seekers():
    """omega = 1/2, phi = 1/4: S = -(1/2)(10)(3/4) = -15/4, P = -1 - 1 = -2.

    v = 1 (default): T = 4(1/2)(1 - (1/4)(1/2)) - 1 = 7/4 - 1 = 3/4 > R > P > S: Prisoner's Dilemma.
    v = 0: T = -1, q* = (7/4)/(1 + 7/4) = 7/11: Stag Hunt.
    """
    assert _classification({}).startswith("Prisoner's Dilemma")
    assert _classification({"v": 0}).startswith("Stag Hunt")
    assert _restrain_probability_of_the_mixed_equilibrium({"v": 0}) == Fraction(7, 11)


def test_distinguishability_lowers_the_temptation():
    """The defect of issue 13: phi entered only S. Now dT/dphi = -v*G*omega*(1 - omega) < 0 for v, G > 0
    and 0 < omega < 1: at omega = 1/2, v = 1, T falls from 4(1/2) - 1 = 1 (phi = 0) to 4(1/2)(1/2) - 1 = 0
    (phi = 1), so at phi = 1 deploying alone no longer pays: with S = 0 > P = -2 the game is not Chicken.
    """
    assert _classification({"phi": 0}).startswith("Prisoner's Dilemma")
    assert not _classification({"phi": 1}).startswith("Chicken")


@settings(max_examples=60, deadline=None, derandomize=True)
@given(omega=st.fractions(0, 1), phi=st.fractions(0, 1), k=st.fractions(0, 10).filter(lambda k: k > 0),
       G=st.fractions(0, 20), L=st.fractions(0, 20), W=st.fractions(0, 10))
def test_a_pure_security_seeker_prefers_mutual_restraint_to_exploitation(omega, phi, k, G, L, W):
    # R = 0 and, with v = 0, T = 0*G*... - k = -k < 0 = R for every k > 0 in the documented range:
    # the security seeker of Kydd (2005, ch. 2) and of security_dilemma_bayesian (R > T).
    values = {"omega": omega, "phi": phi, "k": k, "G": G, "L": L, "W": W, "v": 0}
    if L < W:  # outside the model's assumption L >= W
        L, W = W, L
        values.update(L=L, W=W)
    nato = ng.load("security_dilemma").game_at(values).payoff_array(0)  # rows: NATO Restrain, Deploy
    reward, temptation = nato[0][0], nato[1][0]
    assert reward == 0 and temptation == -k
    assert reward > temptation


def test_the_bayesian_security_seeker_also_prefers_mutual_restraint_to_exploitation():
    # security_dilemma_bayesian: the security seeker's R = 4 > T = 3 at the defaults (Kydd 2005, ch. 2,
    # Assurance preferences R > T > P > S), and its description defines the type by R > T.
    scenario = ng.load("security_dilemma_bayesian")
    defaults = {parameter.name: parameter.default for parameter in scenario.parameters.parameters}
    assert defaults["R"] > defaults["T"]
    assert "(R > T)" in scenario.description


def test_cournot_best_response_slopes_down_by_one_half():
    """force_posture_cournot: d/dx [x(V - s(x + y)) - c_N x] = V - 2sx - sy - c_N = 0 gives
    x(y) = (V - c_N - s y)/(2s) = (9 - y/4)/(1/2) = 18 - y/2 at the defaults: slope -1/2 (strategic
    substitutes; Bulow, Geanakoplos and Klemperer 1985)."""
    game = ng.load("force_posture_cournot").game_at({})
    for y in (0, 4, 10, 20):
        assert best_response(game, "NATO", {"Russia": y}) == pytest.approx(18 - y / 2, abs=1e-6)


def test_contest_best_response_slopes_up_below_v_over_4c_and_down_above():
    """force_posture_contest: d/dx [V x/(x + y) - c_N x] = V y/(x + y)^2 - c_N = 0 gives
    x(y) = sqrt(V y / c_N) - y = sqrt(40 y) - y at the defaults, slope sqrt(40/y)/2 - 1: at y = 4
    sqrt(10)/2 - 1 > 0 (complements), at y = 16 sqrt(5/2)/2 - 1 < 0 (substitutes), zero at y = V/(4 c_N) = 10."""
    game = ng.load("force_posture_contest").game_at({})

    def reply(y):
        return best_response(game, "NATO", {"Russia": y})

    for y in (1, 4, 9, 16, 25):
        assert reply(y) == pytest.approx((40 * y) ** 0.5 - y, abs=1e-6)
    assert reply(4.5) - reply(3.5) > 0.5   # slope about sqrt(10)/2 - 1 = 0.58
    assert reply(16.5) - reply(15.5) < -0.15   # slope about -0.21


def test_contest_equilibrium_is_tullocks_v_over_four_and_moves_with_costs():
    """Two players, r = 1, cost 1: x* = y* = V/4 = 10 (Tullock 1980). With costs c_N, c_R the two
    first-order conditions V y/(x + y)^2 = c_N and V x/(x + y)^2 = c_R give x/y = c_R/c_N and
    x + y = V/(c_N + c_R), so x* = V c_R/(c_N + c_R)^2 = 40*2/9 = 80/9 and y* = 40/9 at c_R = 2.
    Payoff at equal costs: V/2 - V/4 = 10."""
    scenario = ng.load("force_posture_contest")
    equal = scenario.solve({})
    assert len(equal) == 1 and equal.exact and equal.complete
    assert (equal[0]["NATO"], equal[0]["Russia"]) == (Fraction(10), Fraction(10))
    unequal = scenario.solve({"c_R": 2})
    assert (unequal[0]["NATO"], unequal[0]["Russia"]) == (Fraction(80, 9), Fraction(40, 9))


def test_derived_regions_agree_with_the_solver_and_security_seekers_never_face_a_prisoners_dilemma():
    """`derive` on the corrected file: with v = 0, T = -k < R, so only Harmony (S > P) and the Stag Hunt
    (P > S, i.e. omega (L (1 - phi) - W) > k) remain; at random points of the documented ranges (L >= W)
    the derived class is the solver's."""
    scenario = ng.load("security_dilemma")
    seekers = ng.derive(scenario, {"v": 0})
    for name in ("Prisoner's Dilemma", "Chicken", "Deadlock"):
        assert seekers.classification[name].never, name
    derivation = ng.derive(scenario)
    rng = random.Random(13)
    seen = set()
    for _ in range(150):
        values = {"omega": Fraction(rng.randint(0, 40), 40), "phi": Fraction(rng.randint(0, 40), 40),
                  "k": Fraction(rng.randint(1, 100), 10), "G": Fraction(rng.randint(0, 200), 10),
                  "W": Fraction(rng.randint(0, 100), 10), "v": Fraction(rng.randint(0, 40), 10)}
        values["L"] = values["W"] + Fraction(rng.randint(0, 200 - int(10 * values["W"])), 10)
        solved = scenario.solve(values).details["classification"].split(" (")[0]
        assert derivation.classify(values) == solved, values
        seen.add(solved)
    assert {"Harmony", "Stag Hunt", "Prisoner's Dilemma", "Chicken"} <= seen
