"""The derivation's limits are checked before any work (issue 16, expressions_huge): a payoff whose degree or
number of Min/Max/Piecewise pieces would keep sympy busy for seconds is refused with one line."""

import time

import pytest
import sympy

from negotiation import Game, Parameter, ParameterSpace
from negotiation.symbolic import derive
from negotiation.symbolic.simplify import DerivationLimitError

SPACE = ParameterSpace((Parameter("p", 1, 0, 10), Parameter("x", 0.5, 0, 1)))
P, X = SPACE.symbols["p"], SPACE.symbols["x"]


def game_with(payoff):
    return Game.from_arrays([[payoff, 0], [1, 0]], [[0, 1], [0, P]], parameters=SPACE)


def refused(payoff) -> str:
    start = time.process_time()
    with pytest.raises(DerivationLimitError) as error:
        derive(game_with(payoff), name="hostile.toml")
    assert time.process_time() - start < 2.0  # refused before the factoring (seconds to minutes), within the budget
    message = str(error.value)
    assert message.startswith("hostile.toml: ") and "\n" not in message and "negotiation sweep" in message
    return message


def test_a_difference_of_hundredth_powers_is_refused_by_its_degree():
    # (p + 1)**100 - (p - 1)**100 = 2 * (100 p**99 + ...): degree 99 once expanded, 100 as written.
    assert "degree 100, more than 12" in refused((P + 1)**100 - (P - 1)**100)


def test_a_product_of_forty_sums_is_refused_by_its_degree():
    assert "degree 40, more than 12" in refused(sympy.Mul(*[P + k for k in range(40)]))


def test_a_max_of_a_hundred_terms_is_refused_by_its_pieces():
    many = sympy.Max(*[P * X + k for k in range(100)], evaluate=False)
    assert "100 Min/Max arguments and Piecewise branches, more than 50" in refused(many)


def test_a_payoff_within_the_limits_is_derived():

    # p**2 + 1 against 1 for A ties at p = 0, as does B's p against 0: the one threshold on [0, 10].
    derivation = derive(game_with(P**2 + 1), name="fine.toml")
    assert {str(threshold.value) for threshold in derivation.thresholds} == {"0"}


def test_a_nested_chain_of_max_and_min_counts_each_occurrence():
    # d_k = Max(d_{k-1}, x) + Min(d_{k-1}, 1 - x) with d_0 = p: written out it has 4, 12, 28, 60 Min/Max
    # arguments at k = 1..4 (a_k = 2 a_{k-1} + 4); its distinct parts alone stayed under the limit while
    # level 5 took more than 2 s to derive
    chain = P
    for _ in range(4):
        chain = sympy.Max(chain, X, evaluate=False) + sympy.Min(chain, 1 - X, evaluate=False)
    assert "has 60 Min/Max arguments and Piecewise branches, more than 50" in refused(chain)
