"""The cost of building formulas stays bounded before sympy's expensive steps (issue 16, derived_chains)."""

import time

import pytest
import sympy
from sympy.core.cache import clear_cache
from sympy.core.random import seed

from negotiation.core.expressions import ExpressionError, parse_expression

# What the scenario loader makes of a parameter with range [0, 10].
P = sympy.Symbol("p", real=True, nonnegative=True)


def _at_zero(levels: int) -> int:
    value = 0
    for _ in range(levels):
        value = (value + 1) ** 2  # 1, 4, 25, 676, 458329, ...
    return value


AT_ZERO = _at_zero(9)


def square_plus_one_chain(levels: int):
    """d_k = (d_{k-1} + 1)**2 from d_0 = p: degree 2**k."""
    value = P
    for level in range(1, levels + 1):
        value = parse_expression("(d + 1)**2", {"p": P, "d": value}, where=f"derived.d{level}")
    return value


def test_a_degree_doubling_chain_builds_fast_whatever_order_sympy_asks_its_assumptions():
    # sympy shuffles the order of its assumption queries; some orders asked the sign of (d8 + 1), a
    # polynomial of degree 256, which isolated the real roots of its derivative (a second or more).
    start = time.process_time()
    for order in range(6):
        clear_cache()
        seed(order)
        chain = square_plus_one_chain(9)
        assert chain.xreplace({P: 0}) == AT_ZERO
    assert time.process_time() - start < 2.0  # the budget for one run (it took seconds in some orders)


def test_the_degree_limit_refuses_the_tenth_square_before_building_it():
    clear_cache()
    seed(5)
    start = time.process_time()
    with pytest.raises(ExpressionError, match="derived.d10: expression reaches degree 1,024 .* limit of 1,000"):
        square_plus_one_chain(10)
    assert time.process_time() - start < 2.0  # the budget for one run


def test_logarithms_nested_past_the_limit_are_refused_before_anything_evaluates_them():
    # sympy evaluates log(log(...)) at a point in time exponential in the depth (12 deep: seconds).
    p = sympy.Symbol("p", real=True, nonnegative=True)
    six = "log(" * 6 + "p + 10" + ")" * 6
    assert parse_expression(six, {"p": p}, where="w").xreplace({p: 0}).count(sympy.log) == 6
    start = time.process_time()
    with pytest.raises(ExpressionError, match=r"logarithms are nested \d+ deep .* limit of 6"):
        parse_expression("log(" * 50 + "p + 10" + ")" * 50, {"p": p}, where="w")
    assert time.process_time() - start < 2.0  # the budget for one run
