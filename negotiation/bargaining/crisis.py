"""Crisis bargaining: Fearon's bargaining range, the risk–return trade-off, Powell's commitment problem.

Fearon (1995), "Rationalist explanations for war", *IO* 49(3): 379–414
[@Fearon1995]. States A and B bargain over ``x ∈ [0, 1]``, A's share.
War is a lottery: A wins the whole with probability ``p``; it costs A ``c_A``
and B ``c_B`` (in utility units), so war is worth ``p - c_A`` to A and
``1 - p - c_B`` to B.

* :func:`bargaining_range` [S]: with risk-neutral states every split in
  ``[p - c_A, p + c_B]`` is weakly preferred by both to war (strictly in the
  interior); the range is non-empty because war is costly. Risk aversion
  widens it; with utility ``u(x) = x**a`` (``0 < a <= 1``) the endpoints are
  ``(p - c_A)**(1/a)`` and ``1 - (1 - p - c_B)**(1/b)`` (toolkit
  parametrisation of Fearon's verbal claim).
* :func:`risk_return_tradeoff` [D]: B's cost is private, ``c_B ~ U[0, c̄]``;
  A makes a take-it-or-leave-it offer and B accepts iff ``x <= p + c_B``.
  A maximises ``U(x) = (1 - (x - p)/c̄)·x + ((x - p)/c̄)·(p - c_A)``, so
  ``x* = p + (c̄ - c_A)/2`` and ``Pr(war) = (c̄ - c_A)/(2 c̄)`` if
  ``c_A < c̄``; otherwise ``x* = p`` and war never happens. Labelled
  "toolkit parametrisation" (the closed form is ours, after [@Fearon1995]; Fearon's
  claim is verbal).
* :func:`commitment_problem` [D]: Powell (2006), "War as a commitment
  problem", *IO* 60(1): a large, rapid shift in power makes war unavoidable.
  Our specialisation (after [@Powell2006]): each period a flow of 1 is divided.
  The declining state S either attacks or offers the rising state D a share
  of this period's flow; D accepts or attacks. War is absorbing: it locks in
  the current odds ``p_t`` (D's probability of winning) and pays
  ``p_t - c_D`` to D and ``1 - p_t - c_S`` to S in every remaining period.
  Power shifts once, from ``p_now`` to ``p_next >= p_now`` from the next
  period on. War is unavoidable iff the discounted rise in D's war value
  exceeds the bargaining surplus (the total cost of war):
  ``B·(p_next - c_D) - A·(p_now - c_D) > A·(c_S + c_D)``, where ``A`` is the
  discounted number of periods from now and ``B`` from the next period on.
  Equivalently the shift ``p_next - p_now`` exceeds
  ``c_S + c_D + (p_now + c_S)/B``. Infinite horizon: ``B = δ/(1-δ)``, the
  condition is ``δ·p_next - p_now > c_S + δ·c_D`` and the threshold tends to
  ``c_S + c_D`` as ``δ → 1``; two periods: ``B = δ``, the condition is
  ``δ·p_next - (1+δ)·p_now > (1+δ)·c_S + δ·c_D``. Powell's own equation is
  more general; results are labelled "toolkit parametrisation".

Numbers are exact (``Fraction``) when every input is exact, floats when any
input is a float, and sympy expressions when any input has symbols.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from negotiation.bargaining.inputs import one as _one, read_players as _players, unify_inputs as _unify
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number
from negotiation.results.bargaining import PUBLISHED, TOOLKIT
from negotiation.results.crisis import BargainingRangeResult, CommitmentResult, RiskReturnResult

__all__ = [
    "BargainingRangeResult",
    "RiskReturnResult",
    "CommitmentResult",
    "bargaining_range",
    "risk_return_tradeoff",
    "commitment_problem",
]

REFERENCES = {
    "fearon": "Fearon, J. D. (1995). Rationalist explanations for war. International "
    "Organization 49(3): 379-414",
    "powell": "Powell, R. (2006). War as a commitment problem. International Organization 60(1)",
}

#: Float endpoints must satisfy ``|u(x) - war value| <= ENDPOINT_TOLERANCE``.
ENDPOINT_TOLERANCE = 1e-12


# --------------------------------------------------------------------------
# Fearon's bargaining range
# --------------------------------------------------------------------------


def bargaining_range(p, c_A, c_B, *, utility_exponents=None, players=("A", "B")) -> BargainingRangeResult:
    """The splits that both states prefer to war (Fearon 1995).

    Parameters
    ----------
    p : number or sympy expression
        A's probability of winning a war, in ``[0, 1]``.
    c_A, c_B : number or sympy expression
        Costs of war (utility units). Fearon assumes them positive; zero
        costs give a degenerate range, negative total costs an empty one.
    utility_exponents : number, pair or mapping, optional
        Risk aversion: ``u(x) = x**a`` with ``0 < a <= 1`` over one's own
        share, one exponent for both or one per party. ``None``: risk neutral.
    players : pair of str, default ``("A", "B")``
        Labels; shares are the first party's share.

    Returns
    -------
    BargainingRangeResult

    Notes
    -----
    Risk-averse endpoints are exact when they are rational (e.g. ``a = 1/2``
    squares the war value). Otherwise they are floats evaluated from the
    exact closed form (kept in ``exact_endpoints``) and checked to satisfy
    ``|u(x) - war value| <= ENDPOINT_TOLERANCE``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> r = bargaining_range(Fraction(1, 2), Fraction(1, 10), Fraction(1, 5), players=("NATO", "Russia"))
    >>> r.low, r.high, r.status
    (Fraction(2, 5), Fraction(7, 10), 'non-empty')
    >>> bargaining_range("1/2", 0, 0).status                # costless war: a single point
    'degenerate'
    >>> averse = bargaining_range("1/2", "1/10", "1/5", utility_exponents="1/2")
    >>> averse.low, averse.high                              # (2/5)**2, 1 - (3/10)**2: wider
    (Fraction(4, 25), Fraction(91, 100))
    >>> import sympy
    >>> p, cA, cB = sympy.symbols("p c_A c_B", positive=True)
    >>> bargaining_range(p, cA, cB).width
    c_A + c_B
    """
    players = _players(players)
    exponents = _exponents(utility_exponents, players)
    names = ["p", f"cost of {players[0]}", f"cost of {players[1]}"]
    names += [f"utility exponent of {q}" for q in players]
    values, mode = _unify(dict(zip(names, [p, c_A, c_B, *exponents])))
    p, c_A, c_B, a_A, a_B = (values[n] for n in names)
    one = _one(mode)
    messages = []
    if mode == "symbolic":
        messages.append("symbolic inputs: assumes 0 <= p <= 1" + (", 0 < a <= 1" if a_A is not None else ""))
    else:
        if not 0 <= p <= 1:
            raise NegotiationError(f"p must be a probability in [0, 1], got {format_number(p)}")
        for label, a in zip(players, (a_A, a_B)):
            if a is not None and not 0 < a <= 1:
                raise NegotiationError(
                    f"the utility exponent of {label} must be in (0, 1] (concave u(x) = x^a), got {format_number(a)}"
                )
    war_A, war_B = p - c_A, one - p - c_B
    neutral_low, neutral_high = p - c_A, p + c_B
    exact_forms = {}
    if a_A is None:
        low, high = neutral_low, neutral_high
        provenance = PUBLISHED
    else:
        low, high, exact_forms, notes = _risk_averse_range(players, war_A, war_B, a_A, a_B, mode)
        messages += notes
        provenance = TOOLKIT
    width = _simplify(high - low, mode)
    feasible_low, feasible_high, status, statement = _range_statement(players, low, high, width, c_A + c_B,
                                                                      a_A is not None, mode)
    references = (REFERENCES["fearon"] + " [S: bargaining range]",)
    if a_A is not None:
        messages.append(
            "risk aversion as u(x) = x^a is a toolkit parametrisation of Fearon's verbal claim that "
            "risk aversion widens the range"
        )
    return BargainingRangeResult(
        players=players,
        p=p,
        costs={players[0]: c_A, players[1]: c_B},
        utility_exponents={} if a_A is None else {players[0]: a_A, players[1]: a_B},
        war_values={players[0]: war_A, players[1]: war_B},
        low=low,
        high=high,
        feasible_low=feasible_low,
        feasible_high=feasible_high,
        risk_neutral_low=neutral_low,
        risk_neutral_high=neutral_high,
        width=width,
        status=status,
        statement=statement,
        exact_endpoints=exact_forms,
        exact=mode != "float" and not exact_forms,
        symbolic=mode == "symbolic",
        provenance=provenance,
        method="closed form (Fearon 1995)" if a_A is None else
        "closed form (Fearon 1995; risk aversion u(x) = x^a: toolkit parametrisation)",
        references=references,
        messages=tuple(messages),
    )


def _risk_averse_range(players, war_A, war_B, a_A, a_B, mode):
    """Endpoints with ``u(x) = x**a``: ``(low, high, exact forms of irrational endpoints, notes)``."""
    one = _one(mode)
    low, form_low, note_low = _inverse_utility(war_A, a_A, mode)
    high_B, form_high, note_high = _inverse_utility(war_B, a_B, mode)
    high = one - high_B
    exact_forms = {}
    if form_low is not None:
        exact_forms["low"] = form_low
    if form_high is not None:
        exact_forms["high"] = 1 - form_high
    notes = list(dict.fromkeys(n for n in (note_low, note_high) if n))
    if mode != "symbolic":
        for label, war in ((players[0], war_A), (players[1], war_B)):
            if war < 0:
                notes.append(f"{label}'s war value is negative: it prefers every split to war")
    return low, high, exact_forms, notes


def _range_statement(players, low, high, width, total_cost, risk_averse, mode):
    """``(feasible low, feasible high, status, statement)`` of the range ``[low, high]``."""
    a, b = players
    if mode == "symbolic":
        import sympy

        condition = "the endpoints satisfy low < high" if risk_averse else "c_A + c_B > 0"
        statement = (f"Both prefer any split giving {a} between {_show(low)} and {_show(high)} to war; "
                     f"the range is non-empty iff {condition}.")
        return sympy.Max(0, low), sympy.Min(1, high), "symbolic", statement
    one = _one(mode)
    feasible_low, feasible_high = max(0 * one, low), min(one, high)
    if width > 0:
        statement = (f"{a} and {b} both strictly prefer to war every split giving {a} more than {_show(low)} and "
                     f"less than {_show(high)}; at an endpoint one side is indifferent. Width {_show(width)}"
                     + (" (risk aversion widens it)." if risk_averse else " (= c_A + c_B: war destroys value)."))
        return feasible_low, feasible_high, "non-empty", statement
    if width == 0:
        statement = (f"War is costless (c_A + c_B = 0): the range is the single split x = {_show(low)}, where "
                     f"both are indifferent between the deal and war; no split is strictly preferred by both.")
        return feasible_low, feasible_high, "degenerate", statement
    statement = (f"War is jointly profitable (c_A + c_B = {_show(total_cost)} < 0): no split is acceptable "
                 "to both, so the bargaining range is empty.")
    return feasible_low, feasible_high, "empty", statement


def _inverse_utility(war_value, exponent, mode):
    """Solve ``x**exponent = war_value`` for ``x`` in ``[0, 1]``: ``(value, exact form, note)``.

    A negative war value gives 0 (every share beats war).
    """
    if mode == "symbolic":
        import sympy

        return sympy.Max(war_value, 0) ** (1 / exponent), None, None
    if war_value <= 0:
        return 0 * war_value, None, None
    if mode == "float":
        value = float(war_value) ** (1 / float(exponent))
        _check_endpoint(value, war_value, exponent)
        return value, None, "float endpoint computed in floating point"
    root = 1 / exponent  # a Fraction m/n
    m, n = root.numerator, root.denominator
    raised = war_value**m
    top, top_exact = _integer_root(raised.numerator, n)
    bottom, bottom_exact = _integer_root(raised.denominator, n)
    if top_exact and bottom_exact:
        return Fraction(top, bottom), None, None
    import sympy

    form = sympy.Rational(war_value.numerator, war_value.denominator) ** sympy.Rational(m, n)
    value = float(form.evalf(30))
    _check_endpoint(value, war_value, exponent)
    note = (
        f"irrational endpoint {form} evaluated from its exact form to 30 digits and rounded to "
        f"a float; |u(x) - war value| <= {ENDPOINT_TOLERANCE:g}"
    )
    return value, form, note


def _check_endpoint(value, war_value, exponent):
    residual = abs(value ** float(exponent) - float(war_value))
    if residual > ENDPOINT_TOLERANCE:  # pragma: no cover - guards against float trouble
        raise ArithmeticError(f"endpoint check failed: residual {residual:g}")


def _integer_root(number: int, n: int) -> tuple[int, bool]:
    """``(floor(number ** (1/n)), exact?)`` for a non-negative integer."""
    if number < 2 or n == 1:
        return number, True
    low, high = 0, 1 << (number.bit_length() // n + 1)
    while low < high:
        middle = (low + high + 1) // 2
        if middle**n <= number:
            low = middle
        else:
            high = middle - 1
    return low, low**n == number


def _exponents(utility_exponents, players) -> list:
    if utility_exponents is None:
        return [None, None]
    if isinstance(utility_exponents, Mapping):
        missing = [q for q in players if q not in utility_exponents]
        unknown = [k for k in utility_exponents if k not in players]
        if missing or unknown:
            raise NegotiationError(
                f"utility_exponents needs one exponent per party {list(players)}, got {list(utility_exponents)}"
            )
        return [utility_exponents[q] for q in players]
    if isinstance(utility_exponents, (list, tuple)):
        if len(utility_exponents) != 2:
            raise NegotiationError(f"utility_exponents needs one exponent per party, got {utility_exponents!r}")
        return list(utility_exponents)
    return [utility_exponents, utility_exponents]


# --------------------------------------------------------------------------
# Risk-return trade-off
# --------------------------------------------------------------------------


def risk_return_tradeoff(p, c_A, c_bar, *, players=("A", "B")) -> RiskReturnResult:
    """A's optimal take-it-or-leave-it offer when B's cost of war is private.

    B's cost is ``c_B ~ U[0, c_bar]``, known only to B; B accepts A's demand
    ``x`` iff ``x <= p + c_B``. A maximises
    ``U(x) = (1 - (x - p)/c_bar)·x + ((x - p)/c_bar)·(p - c_A)``. The closed
    form ([@Fearon1995], "toolkit parametrisation"): if ``c_A < c_bar``,
    ``x* = p + (c_bar - c_A)/2`` and ``Pr(war) = (c_bar - c_A)/(2 c_bar)``;
    otherwise ``x* = p`` and ``Pr(war) = 0``. ``U`` is concave, so a demand
    above the whole good is capped at ``x = 1`` (noted in the result).

    Parameters
    ----------
    p : number or sympy expression
        A's probability of winning, in ``[0, 1]``.
    c_A : number or sympy expression
        A's cost of war, ``>= 0``.
    c_bar : number or sympy expression
        Upper end of B's cost distribution, ``> 0``.
    players : pair of str, default ``("A", "B")``

    Returns
    -------
    RiskReturnResult

    Examples
    --------
    >>> r = risk_return_tradeoff("1/2", "1/10", "3/10", players=("NATO", "Russia"))
    >>> r.offer, r.probability_of_war
    (Fraction(3, 5), Fraction(1, 3))
    >>> risk_return_tradeoff("1/2", "2/5", "3/10").probability_of_war   # c_A >= c_bar: no risk taken
    Fraction(0, 1)
    """
    players = _players(players)
    values, mode = _unify({"p": p, f"cost of {players[0]}": c_A, "c_bar": c_bar})
    p, c_A, c_bar = values["p"], values[f"cost of {players[0]}"], values["c_bar"]
    one = _one(mode)
    a, b = players
    messages = []
    references = (REFERENCES["fearon"] + " [S: verbal risk-return trade-off]",)
    if mode == "symbolic":
        import sympy

        interior_offer = p + (c_bar - c_A) / 2
        offer = sympy.Piecewise((interior_offer, c_A < c_bar), (p, True))
        war = sympy.Piecewise(((c_bar - c_A) / (2 * c_bar), c_A < c_bar), (0, True))
        utility = sympy.piecewise_fold((1 - (offer - p) / c_bar) * offer + ((offer - p) / c_bar) * (p - c_A))
        utility = sympy.Piecewise(*[(sympy.factor(sympy.expand(v)), c) for v, c in utility.args])
        messages.append(
            "symbolic inputs: assumes 0 <= p <= 1, c_A >= 0, c_bar > 0 and p + (c_bar - c_A)/2 <= 1 "
            "(otherwise the demand is capped at 1)"
        )
        statement = (
            f"If c_A < c_bar, {a} demands p + (c_bar - c_A)/2, more than {b}'s lowest acceptable share, "
            f"and risks war with probability (c_bar - c_A)/(2 c_bar); otherwise it offers p and war never happens."
        )
        return RiskReturnResult(
            players=players, p=p, c_A=c_A, c_bar=c_bar, offer=offer, probability_of_war=war,
            expected_utility=utility, interior=None, capped=False, statement=statement,
            exact=True, symbolic=True, references=references, messages=tuple(messages),
        )
    if not 0 <= p <= 1:
        raise NegotiationError(f"p must be a probability in [0, 1], got {format_number(p)}")
    if c_A < 0:
        raise NegotiationError(f"the cost of war of {a} must be >= 0, got {format_number(c_A)}")
    if c_bar <= 0:
        raise NegotiationError(f"c_bar (the largest possible cost of {b}) must be > 0, got {format_number(c_bar)}")
    interior = c_A < c_bar
    offer = p + (c_bar - c_A) / 2 if interior else p
    capped = offer > one
    if capped:
        offer = one
        messages.append(
            f"the unconstrained optimum p + (c_bar - c_A)/2 = {_show(p + (c_bar - c_A) / 2)} exceeds the "
            "whole good; U is concave, so the demand is capped at 1"
        )
    war = (offer - p) / c_bar
    utility = (one - war) * offer + war * (p - c_A)
    if interior:
        statement = (
            f"{a} demands {_show(offer)}, more than the {_show(p)} every type of {b} accepts: "
            f"{b} fights with probability {_show(war)} (the types whose cost is below {_show(offer - p)}). "
            f"{a} trades a higher chance of war for a better deal; knowing {b}'s cost it would offer "
            f"p + c_B and there would be no war."
        )
    else:
        statement = (
            f"War costs {a} at least as much as {b}'s largest possible cost (c_A >= c_bar): {a} offers "
            f"{_show(offer)}, which every type of {b} accepts; war never happens."
        )
    if mode == "float":
        messages.append("float inputs: results are floats")
    return RiskReturnResult(
        players=players, p=p, c_A=c_A, c_bar=c_bar, offer=offer, probability_of_war=war,
        expected_utility=utility, interior=interior, capped=capped, statement=statement,
        exact=mode == "exact", symbolic=False, references=references, messages=tuple(messages),
    )


# --------------------------------------------------------------------------
# Powell's commitment problem
# --------------------------------------------------------------------------


def commitment_problem(
    p_now,
    p_next,
    c_declining,
    c_rising,
    *,
    discount=1,
    horizon: int | None = None,
    players=("Declining state", "Rising state"),
) -> CommitmentResult:
    """Whether a shift in power makes war unavoidable (Powell 2006, our specialisation).

    Each period a flow of 1 is divided. The declining state S attacks or
    offers the rising state D a share ``x_t`` of this period's flow; D accepts
    or attacks. War is absorbing and locks in the odds at its start: D wins
    with probability ``p_t`` and war pays ``p_t - c_D`` to D and
    ``1 - p_t - c_S`` to S in every remaining period. D's odds are ``p_now``
    in the first period and ``p_next`` from the second on.

    After the shift S buys peace by paying D its war value
    ``max(0, p_next - c_D)`` each period; it cannot promise more later in
    exchange for less now. Now, D accepts ``x_1`` iff
    ``x_1 + B·max(0, p_next - c_D) >= A·(p_now - c_D)``, where ``A`` and
    ``B`` are the discounted numbers of periods from now and from the next
    period on. S attacks iff its war value ``A·(1 - p_now - c_S)`` beats its
    best peace, ``A - max(A·(p_now - c_D), B·max(0, p_next - c_D))``; that is,
    iff the discounted rise in D's war value exceeds the surplus
    ``A·(c_S + c_D)``, iff the shift exceeds

        ``threshold = c_S + c_D + (p_now + c_S) / B``.

    Infinite horizon (``A = 1/(1-δ)``, ``B = δ/(1-δ)``): war iff
    ``δ·p_next - p_now > c_S + δ·c_D``, threshold
    ``(c_S + δ·c_D + (1-δ)·p_now)/δ``, which tends to ``c_S + c_D`` as
    ``δ → 1`` (``discount=1`` gives this limit). Two periods (``A = 1 + δ``,
    ``B = δ``): war iff ``δ·p_next - (1+δ)·p_now > (1+δ)·c_S + δ·c_D``.

    Parameters
    ----------
    p_now, p_next : number or sympy expression
        The rising state's probability of winning a war now and after the
        shift, ``0 <= p_now <= p_next <= 1``.
    c_declining, c_rising : number or sympy expression
        Per-period costs of war ``c_S, c_D >= 0``.
    discount : number or sympy expression, default 1
        Discount factor ``δ`` in ``(0, 1]``; with an infinite horizon
        ``δ = 1`` means the patient limit ``δ → 1``.
    horizon : int, optional
        Number of periods ``T >= 2``; ``None`` (default) for the infinite horizon.
    players : pair of str, default ``("Declining state", "Rising state")``

    Returns
    -------
    CommitmentResult

    Examples
    --------
    The example of [@Powell2006] (δ = 9/10, p: 3/10 → 6/10, costs 1/10):

    >>> r = commitment_problem("3/10", "6/10", "1/10", "1/10", discount="9/10",
    ...                        players=("Russia", "NATO"))
    >>> r.war, r.threshold_shift
    (True, Fraction(11, 45))
    >>> commitment_problem("3/10", "6/10", "1/10", "1/10").threshold_shift   # δ → 1: c_S + c_D
    Fraction(1, 5)
    >>> commitment_problem("1/10", "1/2", "1/10", "1/10", horizon=2).war     # threshold 2/5: not exceeded
    False
    """
    players = _players(players)
    if horizon is not None and (isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 2):
        raise NegotiationError(f"horizon must be a whole number of periods >= 2 (or None), got {horizon!r}")
    declining, rising = players
    names = ["p_now", "p_next", f"cost of {declining}", f"cost of {rising}", "discount"]
    values, mode = _unify(dict(zip(names, [p_now, p_next, c_declining, c_rising, discount])))
    p, q, c_S, c_D, delta = (values[n] for n in names)
    messages = _check_commitment(players, p, q, c_S, c_D, delta, mode, horizon)
    limit = horizon is None and (mode != "symbolic" and delta == 1)
    now_weight, future_weight, threshold, condition = _commitment_weights(p, c_S, c_D, delta, horizon, limit, mode)
    shift = q - p
    value_table = {}
    if not limit:
        value_table, notes = _commitment_values(p, q, c_S, c_D, now_weight, future_weight, mode)
        messages += notes
    war, statement = _commitment_statement(players, p, shift, threshold, mode)
    if mode == "float":
        messages.append("float inputs: results are floats; comparisons near the threshold are in floating point")
    if limit:
        messages.append("discount 1 with an infinite horizon: the patient limit δ → 1 (discounted values are infinite)")
    return CommitmentResult(
        players=players,
        p_now=p,
        p_next=q,
        costs={declining: c_S, rising: c_D},
        discount=delta,
        horizon=horizon,
        shift=shift,
        threshold_shift=threshold,
        war=war,
        condition=condition,
        values=value_table,
        statement=statement,
        exact=mode != "float",
        symbolic=mode == "symbolic",
        references=(REFERENCES["powell"] + " [verbal result; equation here is ours, toolkit derivation from [@Powell2006]]",),
        messages=tuple(messages),
    )


def _check_commitment(players, p, q, c_S, c_D, delta, mode, horizon) -> list:
    """Check numeric inputs (one-line errors); the assumptions behind symbolic ones, as messages."""
    declining, rising = players
    if mode == "symbolic":
        return ["symbolic inputs: assumes 0 <= p_now <= p_next <= 1, costs >= 0 and 0 < discount <= 1"
                + (" (< 1 for the values)" if horizon is None else "")]
    if not 0 <= p <= q <= 1:
        raise NegotiationError(
            f"need 0 <= p_now <= p_next <= 1 (power shifts toward the rising state {rising}), "
            f"got p_now = {format_number(p)}, p_next = {format_number(q)}"
        )
    for label, cost in ((declining, c_S), (rising, c_D)):
        if cost < 0:
            raise NegotiationError(f"the cost of war of {label} must be >= 0, got {format_number(cost)}")
    if not 0 < delta <= 1:
        raise NegotiationError(f"discount must be in (0, 1], got {format_number(delta)}")
    return []


def _commitment_weights(p, c_S, c_D, delta, horizon, limit, mode):
    """``(A, B, threshold shift, war condition)``: the discounted numbers of periods from now (A) and from the
    next period (B; both None in the patient limit), and the largest shift that still allows peace."""
    one = _one(mode)
    if horizon is None:
        condition = "δ·p_next - p_now > c_S + δ·c_D" + (" (δ → 1: p_next - p_now > c_S + c_D)" if limit else "")
        if limit:
            return None, None, c_S + c_D, condition
        # c_S + c_D + (p + c_S)/B with B = δ/(1-δ); equals (c_S + δ·c_D + (1-δ)·p_now)/δ
        return one / (one - delta), delta / (one - delta), c_S + c_D + (one - delta) * (p + c_S) / delta, condition
    future_weight = sum((delta**t for t in range(1, horizon)), 0 * one)
    if horizon == 2:
        condition = "δ·p_next - (1+δ)·p_now > (1+δ)·c_S + δ·c_D"
    else:
        condition = "B·p_next - A·p_now > A·c_S + B·c_D, with A = 1 + δ + … + δ^(T-1), B = A - 1"
    return one + future_weight, future_weight, c_S + c_D + (p + c_S) / future_weight, condition


def _commitment_values(p, q, c_S, c_D, now_weight, future_weight, mode):
    """The discounted values of war and peace for both states (see :class:`CommitmentResult`), and notes."""
    one = _one(mode)
    notes = []
    rising_war = now_weight * (p - c_D)
    declining_war = now_weight * (one - p - c_S)
    if mode == "symbolic":
        import sympy

        future_rising = future_weight * (q - c_D)  # assumes p_next >= c_D
        rising_minimum = sympy.Max(rising_war, future_rising)
        notes.append("symbolic values assume p_next >= c_D (the rising state's peace payment is not 0)")
    else:
        future_rising = future_weight * max(0 * one, q - c_D)
        rising_minimum = max(rising_war, future_rising)
    values = {
        "declining war value": _simplify(declining_war, mode),
        "declining peace value": _simplify(now_weight - rising_minimum, mode),
        "rising war value": _simplify(rising_war, mode),
        "rising minimum": _simplify(rising_minimum, mode),
        "surplus": _simplify(now_weight * (c_S + c_D), mode),
    }
    return values, notes


def _commitment_statement(players, p, shift, threshold, mode):
    """``(war, statement)``: whether the shift makes war unavoidable (a relational for symbols), in words."""
    declining, rising = players
    if mode == "symbolic":
        import sympy

        return sympy.StrictGreaterThan(shift, threshold), (
            f"War is unavoidable iff the shift toward {rising} exceeds {_show(threshold)}: {declining} "
            f"then prefers fighting now to the best peace {rising} could credibly offer.")
    if shift > threshold:
        return True, (
            f"War is unavoidable: the shift {_show(shift)} exceeds the threshold {_show(threshold)}. "
            f"{rising} cannot commit to give {declining} more after the shift than its future war value, "
            f"so {declining} prefers to fight now, while the odds are {_show(p)}.")
    return False, (
        f"Peace is possible: the shift {_show(shift)} does not exceed the threshold "
        f"{_show(threshold)}, so {declining}'s best peaceful deal is worth at least its war value.")


# --------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------


def _simplify(value, mode):
    if mode != "symbolic":
        return value
    import sympy

    if value.has(sympy.Max, sympy.Min, sympy.Piecewise):
        return value
    simpler = sympy.factor(sympy.cancel(value))
    expanded = sympy.expand(value)
    best = min((value, expanded, simpler), key=sympy.count_ops)
    return best


def _show(value) -> str:
    return format_number(value)
