"""Equilibrium maps from the CLI carry the symbolic boundaries of `negotiation derive`."""

import sympy

import negotiation as ng
from negotiation.cli.sweep import _derived_boundaries


def test_security_dilemma_map_boundaries_are_the_classification_thresholds():
    scenario = ng.load("security_dilemma")
    boundaries = dict(_derived_boundaries(scenario, ["omega", "phi"], {}))
    assert {"T = R", "P = S"} <= set(boundaries)
    # by hand from models/security_dilemma.toml (issue 13): T = R where v G omega (1 - phi (1 - omega)) = k, at the
    # defaults v = 1, G = 4, k = 1: omega = 1/4 at phi = 0 and phi = 1 at omega = 1/2; P = S where
    # omega (L (1 - phi) - W) = k: omega = 1/(15/2 - 2) = 2/11 at phi = 1/4
    symbols = {name: sympy.Symbol(name) for name in ("omega", "phi", "k", "v", "G", "L", "W")}
    defaults = {symbols[k]: v for k, v in {"k": 1, "v": 1, "G": 4, "L": 10, "W": 2}.items()}

    def zero_at(label, omega, phi):
        expression = sympy.sympify(boundaries[label], locals=symbols)  # our own generated text, not user input
        return sympy.simplify(expression.subs(defaults).subs({symbols["omega"]: omega, symbols["phi"]: phi})) == 0

    assert zero_at("T = R", sympy.Rational(1, 4), 0)
    assert zero_at("T = R", sympy.Rational(1, 2), 1)
    assert not zero_at("T = R", sympy.Rational(1, 4), sympy.Rational(1, 3))
    assert zero_at("P = S", sympy.Rational(2, 11), sympy.Rational(1, 4))


def test_no_boundaries_for_a_game_without_parameters(tmp_path):
    scenario = ng.load(__import__("pathlib").Path(__file__).resolve().parents[1] / "data" / "vonstengel1999_6x6_75eq.nfg")
    assert _derived_boundaries(scenario, ["a", "b"], {}) is None
