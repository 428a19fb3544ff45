"""Alternating offers: Rubinstein (1982), finite horizons, outside options, frequent offers.

Two parties divide a pie by alternating offers. In each period one party
proposes a split; the other accepts (the game ends with that split) or
rejects, and then proposes in the next period. A payoff received after ``t``
periods is discounted by ``delta_i ** t``.

Infinite horizon (Rubinstein 1982; [@Rubinstein1982; @OsborneRubinstein1990]). The unique subgame
perfect equilibrium (SPE) is stationary and agreement is immediate. The first
proposer gets ``(1 - delta_2) / (1 - delta_1 * delta_2)`` of the pie and the
responder ``delta_2 * (1 - delta_1) / (1 - delta_1 * delta_2)``; with equal
discount factors these are ``1 / (1 + delta)`` and ``delta / (1 + delta)``.
Each party offers the other exactly the discounted value of proposing next
period, and accepts any offer that gives it at least that much.

Finite horizon [@Stahl1972] ([C]). With ``T`` rounds the last proposer takes
everything (the responder's alternative is disagreement, worth 0). Backward
induction gives the responder of round ``t`` the discounted share it would
get as proposer of round ``t + 1``: for ``T = 2`` the first proposer gets
``1 - delta_2``, for ``T = 3`` ``1 - delta_2 * (1 - delta_1)``. As ``T``
grows the shares converge to the infinite-horizon shares.

Outside options (the outside-option principle: Binmore, Shaked & Sutton 1989;
Osborne & Rubinstein 1990, *Bargaining and Markets*, §3.12; [@Rubinstein1982; @OsborneRubinstein1990],
[D]). A party with outside option ``b`` may, after rejecting an offer, opt
out at once: it gets ``b`` and the other party gets 0. The option matters only
if it exceeds the share the party would otherwise get as a responder; then the
party is offered exactly ``b``. It is not a disagreement point: an option
below that share changes nothing. Both parties may hold an option; the
responders' shares are the unique solution of ``s_2 = max(b_2,
delta_2 * (pie - s_1))`` and ``s_1 = max(b_1, delta_1 * (pie - s_2))``
(a contraction, so the stationary SPE is unique). Results with outside options
are labelled "toolkit parametrisation".

Frequent offers (Binmore, Rubinstein & Wolinsky 1986; [C]). With continuous
discount rates ``r_i`` and period length ``Δ``, ``delta_i = exp(-r_i Δ)``; as
``Δ → 0`` party 1's share tends to ``r_2 / (r_1 + r_2)``, the asymmetric Nash
bargaining solution with weights ``r_j / (r_i + r_j)`` (disagreement point 0),
whoever proposes first.

Numbers are exact (``Fraction``) when every input is exact, floats when any
input is a float, and sympy expressions when any input is a sympy expression
with symbols (symbolic discount factors give the closed forms).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Mapping

from negotiation.bargaining.inputs import one as _one, read_players as _players, unify_inputs as _unify
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number
from negotiation.results.bargaining import PUBLISHED, TOOLKIT
from negotiation.results.crisis import RubinsteinResult

__all__ = ["RubinsteinResult", "rubinstein", "rubinstein_continuous_time"]

#: Labels used when the caller gives none.
DEFAULT_PLAYERS = ("Player 1", "Player 2")

#: Sources, with confidence tags: [S] checked against the source, [C] verified by exact computation, [D] toolkit derivation, [U] unverified.
REFERENCES = {
    "infinite": "Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. "
    "Econometrica 50(1): 97-109 [C]",
    "finite": "Ståhl, I. (1972). Bargaining Theory (finite horizon by backward induction) [C]",
    "outside": "Binmore, Shaked & Sutton (1989), QJE; Osborne & Rubinstein (1990), "
    "Bargaining and Markets, §3.12 (outside-option principle) [D]",
    "limit": "Binmore, Rubinstein & Wolinsky (1986). The Nash bargaining solution in "
    "economic modelling. RAND J. Econ. 17(2) [C]",
}


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


def rubinstein(
    delta_1,
    delta_2,
    *,
    players=DEFAULT_PLAYERS,
    proposer=None,
    pie=1,
    outside_options=None,
    horizon: int | None = None,
) -> RubinsteinResult:
    """The subgame perfect equilibrium of alternating offers over a pie.

    Parameters
    ----------
    delta_1, delta_2 : number or sympy expression
        Per-period discount factors of the two parties, in ``[0, 1]``; the
        infinite horizon needs ``delta_1 * delta_2 < 1``. Ints, Fractions and
        numeric strings are exact, floats give float results, sympy symbols
        give closed forms.
    players : pair of str, default ``("Player 1", "Player 2")``
        Labels, in the order of the discount factors (e.g. ``("NATO", "Russia")``).
    proposer : str or int, optional
        The party that proposes first (label or index); default the first party.
    pie : number or sympy expression, default 1
        Size of what is divided (positive).
    outside_options : mapping or pair, optional
        Party label (or position) → outside option ``b``, in units of the pie.
        After rejecting an offer, a party may opt out and take ``b`` (the other
        party then gets 0). ``None`` entries mean no option. An option may not
        exceed the pie (the party would opt out of every offer).
    horizon : int, optional
        Number of rounds ``T >= 1``; ``None`` (default) for the infinite horizon.
        After a rejection in round ``T`` both get 0 (or the responder its option).

    Returns
    -------
    RubinsteinResult

    Raises
    ------
    ValueError
        A discount factor outside ``[0, 1]``, ``delta_1 * delta_2 = 1`` with an
        infinite horizon, a non-positive pie, an option larger than the pie,
        an unknown proposer or a bad horizon.

    Examples
    --------
    >>> from fractions import Fraction
    >>> result = rubinstein(Fraction(9, 10), Fraction(4, 5), players=("NATO", "Russia"))
    >>> result.shares
    {'NATO': Fraction(5, 7), 'Russia': Fraction(2, 7)}
    >>> rubinstein("1/2", "1/2").shares["Player 1"]          # 1/(1+δ)
    Fraction(2, 3)
    >>> rubinstein("1/2", "1/2", horizon=3).shares["Player 1"]  # 1 - δ + δ²
    Fraction(3, 4)
    >>> options = {"Russia": Fraction(1, 2)}                  # beats Russia's 1/3: binds
    >>> rubinstein("1/2", "1/2", players=("NATO", "Russia"), outside_options=options).shares
    {'NATO': Fraction(1, 2), 'Russia': Fraction(1, 2)}
    >>> import sympy
    >>> d1, d2 = sympy.symbols("delta_1 delta_2", positive=True)
    >>> rubinstein(d1, d2).shares["Player 1"]
    (1 - delta_2)/(-delta_1*delta_2 + 1)
    """
    players = _players(players)
    first = _index(proposer, players, what="proposer") if proposer is not None else 0
    options = _options(outside_options, players)
    if horizon is not None:
        if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
            raise NegotiationError(f"horizon must be a whole number of rounds >= 1 (or None), got {horizon!r}")
    names = [f"discount factor of {players[0]}", f"discount factor of {players[1]}", "pie"]
    names += [f"outside option of {p}" for p in players]
    values, mode = _unify(dict(zip(names, [delta_1, delta_2, pie, *options])))
    d1, d2, size, b1, b2 = (values[n] for n in names)
    messages = _check(players, (d1, d2), size, (b1, b2), mode, infinite=horizon is None)
    if horizon is None:
        return _infinite(players, first, d1, d2, size, b1, b2, mode, messages)
    return _finite(players, first, d1, d2, size, b1, b2, mode, messages, horizon)


def rubinstein_continuous_time(
    rate_1,
    rate_2,
    *,
    period_length=None,
    players=DEFAULT_PLAYERS,
    proposer=None,
    pie=1,
    outside_options=None,
) -> RubinsteinResult:
    """Alternating offers with continuous discount rates, and the frequent-offers limit.

    Party ``i`` discounts a delay of ``t`` by ``exp(-rate_i * t)``; offers
    are made every ``period_length``. With ``period_length=None`` the limit
    ``period_length → 0`` is returned: party ``i`` gets
    ``pie * rate_j / (rate_i + rate_j)``, the asymmetric Nash bargaining
    solution with weights ``rate_j / (rate_i + rate_j)`` and disagreement
    point 0; the first-mover advantage vanishes (Binmore, Rubinstein &
    Wolinsky 1986). With outside options the limit applies the
    outside-option principle to these shares.

    Parameters
    ----------
    rate_1, rate_2 : number or sympy expression
        Non-negative discount rates (per unit of time), not both zero.
    period_length : number or sympy expression, optional
        Positive time between offers; ``delta_i = exp(-rate_i * period_length)``.
        Numeric inputs give float discount factors (``exp`` of a rational is
        irrational); symbolic inputs keep ``exp`` exact.
    players, proposer, pie, outside_options
        As in :func:`rubinstein`.

    Returns
    -------
    RubinsteinResult

    Examples
    --------
    >>> result = rubinstein_continuous_time(1, 3, players=("NATO", "Russia"))
    >>> result.shares                   # the more patient party (NATO) gets more
    {'NATO': Fraction(3, 4), 'Russia': Fraction(1, 4)}
    >>> result.method
    'frequent_offers_limit'
    >>> round(rubinstein_continuous_time(1, 3, period_length="1/1000").shares["Player 1"], 4)
    0.7504
    """
    players = _players(players)
    first = _index(proposer, players, what="proposer") if proposer is not None else 0
    names = [f"discount rate of {players[0]}", f"discount rate of {players[1]}"]
    values, mode = _unify(dict(zip(names, [rate_1, rate_2])))
    r1, r2 = values[names[0]], values[names[1]]
    if mode != "symbolic":
        for name, rate in zip(names, (r1, r2)):
            if rate < 0:
                raise NegotiationError(f"{name} must be >= 0, got {format_number(rate)}")
        if r1 + r2 == 0:
            raise NegotiationError("the discount rates must not both be 0 (nobody would be impatient)")
    if period_length is not None:
        return _periodic_offers(players, first, r1, r2, period_length, pie, outside_options)
    return _frequent_offers_limit(players, first, r1, r2, pie, outside_options)


def _periodic_offers(players, first, r1, r2, period_length, pie, outside_options) -> RubinsteinResult:
    """Offers every ``period_length``: Rubinstein's game with ``delta_i = exp(-rate_i * period_length)``."""
    rates = {players[0]: r1, players[1]: r2}
    values, step_mode = _unify({"period_length": period_length, "rate": r1, "rate 2": r2})
    step = values["period_length"]
    if step_mode != "symbolic" and step <= 0:
        raise NegotiationError(f"period_length must be > 0, got {format_number(step)}")
    if step_mode == "symbolic":
        import sympy  # symbolic inputs only

        deltas = [sympy.exp(-values["rate"] * step), sympy.exp(-values["rate 2"] * step)]
    else:
        deltas = [math.exp(-float(r1) * float(step)), math.exp(-float(r2) * float(step))]
    result = rubinstein(*deltas, players=players, proposer=first, pie=pie, outside_options=outside_options)
    notes = result.messages
    if step_mode != "symbolic":
        notes += ("discount factors exp(-rate * period_length) are irrational: computed as floats",)
    return replace(result, discount_rates=rates, period_length=step, messages=notes)


def _frequent_offers_limit(players, first, r1, r2, pie, outside_options) -> RubinsteinResult:
    """The limit ``period_length → 0``: the asymmetric Nash solution with weights ``r_j/(r_i + r_j)``, then the
    outside-option principle."""
    options = _options(outside_options, players)
    names = [f"discount rate of {players[0]}", f"discount rate of {players[1]}", "pie"]
    names += [f"outside option of {p}" for p in players]
    values, mode = _unify(dict(zip(names, [r1, r2, pie, *options])))
    r1, r2, size, b1, b2 = (values[n] for n in names)
    rates = {players[0]: r1, players[1]: r2}
    one = _one(mode)
    messages = _check(players, (one, one), size, (b1, b2), mode, infinite=False, rates=True)
    nash_1 = _tidy(size * r2 / (r1 + r2), mode)
    nash_2 = _tidy(size * r1 / (r1 + r2), mode)
    s1, s2, case = _responder_shares(nash_1, nash_2, one, one, b1, b2, size, mode)
    offers = {
        players[0]: {players[0]: _tidy(size - s2, mode), players[1]: s2},
        players[1]: {players[0]: s1, players[1]: _tidy(size - s1, mode)},
    }
    binding = _binding(case, players)
    words = [
        f"limit of alternating offers as the period length → 0: {players[0]} gets "
        f"pie·r_2/(r_1+r_2) = {_show(nash_1)}, {players[1]} gets pie·r_1/(r_1+r_2) = {_show(nash_2)} "
        "(asymmetric Nash bargaining solution, weights r_j/(r_i+r_j), disagreement point 0)",
    ]
    words += _option_words(players, (b1, b2), binding, mode)
    provenance = TOOLKIT if (b1 is not None or b2 is not None) else PUBLISHED
    references = (REFERENCES["limit"],) + ((REFERENCES["outside"],) if provenance == TOOLKIT else ())
    return RubinsteinResult(
        players=players, proposer=players[first], shares=dict(offers[players[first]]), discount_factors={},
        pie=size, horizon=None, outside_options=_option_map(players, (b1, b2)), binding_options=binding,
        offers=offers, acceptance_thresholds={players[0]: s1, players[1]: s2}, strategies=tuple(words),
        discount_rates=rates, period_length=None, method="frequent_offers_limit", exact=mode != "float",
        symbolic=mode == "symbolic", provenance=provenance, references=references, messages=messages,
    )


# --------------------------------------------------------------------------
# Equilibrium computations
# --------------------------------------------------------------------------


def _infinite(players, first, d1, d2, size, b1, b2, mode, messages) -> RubinsteinResult:
    one = _one(mode)
    denominator = one - d1 * d2
    proposer_1 = _tidy(size * (one - d2) / denominator, mode)  # party 1's share as proposer
    proposer_2 = _tidy(size * (one - d1) / denominator, mode)  # party 2's share as proposer
    plain_1 = _tidy(d1 * proposer_1, mode)  # shares as responder (stationarity)
    plain_2 = _tidy(d2 * proposer_2, mode)
    s1, s2, case = _responder_shares(plain_1, plain_2, d1, d2, b1, b2, size, mode)
    if case == "neither":
        keep_1, keep_2 = proposer_1, proposer_2
    else:
        keep_1, keep_2 = _tidy(size - s2, mode), _tidy(size - s1, mode)
    offers = {
        players[0]: {players[0]: keep_1, players[1]: s2},
        players[1]: {players[0]: s1, players[1]: keep_2},
    }
    binding = _binding(case, players)
    words = [
        f"agreement is immediate: {players[first]}'s first offer is accepted",
    ]
    for i, j in ((0, 1), (1, 0)):
        p, q = players[i], players[j]
        split = offers[p]
        words.append(
            f"when {p} proposes, it offers {q} {_show(split[q])} and keeps {_show(split[p])}"
        )
    for j, q in enumerate(players):
        words.append(_acceptance_words(q, (s1, s2)[j], (b1, b2)[j], binding, mode))
    words += _option_words(players, (b1, b2), binding, mode)
    provenance = TOOLKIT if (b1 is not None or b2 is not None) else PUBLISHED
    references = (REFERENCES["infinite"],) + ((REFERENCES["outside"],) if provenance == TOOLKIT else ())
    return RubinsteinResult(
        players=players,
        proposer=players[first],
        shares=dict(offers[players[first]]),
        discount_factors={players[0]: d1, players[1]: d2},
        pie=size,
        horizon=None,
        outside_options=_option_map(players, (b1, b2)),
        binding_options=binding,
        offers=offers,
        acceptance_thresholds={players[0]: s1, players[1]: s2},
        strategies=tuple(words),
        method="closed_form",
        exact=mode != "float",
        symbolic=mode == "symbolic",
        provenance=provenance,
        references=references,
        messages=messages,
    )


def _finite(players, first, d1, d2, size, b1, b2, mode, messages, horizon) -> RubinsteinResult:
    deltas, options = (d1, d2), (b1, b2)
    rounds = _backward_induction(players, first, deltas, options, size, mode, horizon)
    offers, thresholds = {}, {}
    for r in rounds:
        p = r["proposer"]
        q = players[1 - players.index(p)]
        offers.setdefault(p, r["shares"])
        thresholds.setdefault(q, r["shares"][q])
    if mode == "symbolic" and any(b is not None for b in options):
        binding = None
    else:  # parties whose option binds in the first round in which they respond
        binding = tuple(
            q for q in players
            if next((r["opts_out_if_rejected"] for r in rounds if r["proposer"] != q), False)
        )
    words = _finite_words(players, first, rounds, options, horizon)
    provenance = TOOLKIT if any(b is not None for b in options) else PUBLISHED
    references = (REFERENCES["finite"], REFERENCES["infinite"])
    if provenance == TOOLKIT:
        references += (REFERENCES["outside"],)
    return RubinsteinResult(
        players=players,
        proposer=players[first],
        shares=dict(rounds[0]["shares"]),
        discount_factors={players[0]: d1, players[1]: d2},
        pie=size,
        horizon=horizon,
        outside_options=_option_map(players, options),
        binding_options=binding,
        offers=offers,
        acceptance_thresholds=thresholds,
        strategies=tuple(words),
        rounds=tuple(rounds),
        method="backward_induction",
        exact=mode != "float",
        symbolic=mode == "symbolic",
        provenance=provenance,
        references=references,
        messages=messages,
    )


def _backward_induction(players, first, deltas, options, size, mode, horizon) -> list:
    """The split proposed (and accepted) in each round, from the last round back to the first."""
    zero = _zero(mode)
    rounds = []
    next_proposer_share = zero  # after a rejection in the last round: disagreement, 0
    for t in range(horizon, 0, -1):
        i = first if (t - 1) % 2 == 0 else 1 - first
        j = 1 - i
        continuation = deltas[j] * next_proposer_share
        option = options[j]
        if option is None:
            responder_share = continuation
            opts_out = False
        elif mode == "symbolic":
            import sympy

            responder_share = sympy.Max(option, continuation)
            opts_out = None
        else:
            opts_out = option > continuation
            responder_share = option if opts_out else continuation
        responder_share = _tidy(responder_share, mode)
        proposer_share = _tidy(size - responder_share, mode)
        shares = {players[i]: proposer_share, players[j]: responder_share}
        rounds.append(
            {
                "round": t,
                "proposer": players[i],
                "shares": {p: shares[p] for p in players},
                "opts_out_if_rejected": opts_out,
            }
        )
        next_proposer_share = proposer_share
    rounds.reverse()
    return rounds


def _finite_words(players, first, rounds, options, horizon) -> list:
    """The equilibrium of a finite game in words: who proposes what in each round, who accepts what."""
    words = [f"agreement is immediate: {players[first]}'s round-1 offer is accepted"]
    for r in rounds:
        p = r["proposer"]
        q = players[1 - players.index(p)]
        shares = r["shares"]
        rule = f"{q} accepts any offer giving it at least {_show(shares[q])}"
        if r["round"] == horizon:
            fallback = "its outside option" if options[players.index(q)] is not None else "disagreement, worth 0"
            words.append(
                f"round {r['round']} (last): {p} proposes, keeps {_show(shares[p])} and offers {q} "
                f"{_show(shares[q])}; {rule} (its alternative is {fallback})"
            )
        else:
            words.append(
                f"round {r['round']}: {p} proposes, keeps {_show(shares[p])} and offers {q} "
                f"{_show(shares[q])}; {rule}"
            )
    if all(b is None for b in options):
        words.append("in the last round the proposer takes everything")
    return words


def _responder_shares(plain_1, plain_2, d1, d2, b1, b2, size, mode):
    """Responders' shares ``(s_1, s_2)`` with outside options, and which case holds.

    Solves ``s_2 = max(b_2, d2 * (size - s_1))``, ``s_1 = max(b_1, d1 * (size - s_2))``
    given the solution ``(plain_1, plain_2)`` without options. Cases, tried in
    order: no option binds; only party 2's; only party 1's; both. Exactly one
    holds (the map is a contraction), up to ties on a boundary, where the
    formulas agree. Symbolic inputs give ``Piecewise`` shares (case ``None``).
    """
    candidates = [("neither", plain_1, plain_2, [(b1, "<=", plain_1), (b2, "<=", plain_2)])]
    if b2 is not None:
        candidates.append(
            ("second", d1 * (size - b2), b2, [(b2, ">=", plain_2), (b1, "<=", d1 * (size - b2))])
        )
    if b1 is not None:
        candidates.append(
            ("first", b1, d2 * (size - b1), [(b1, ">=", plain_1), (b2, "<=", d2 * (size - b1))])
        )
    if b1 is not None and b2 is not None:
        candidates.append(("both", b1, b2, []))
    if len(candidates) == 1:
        return plain_1, plain_2, "neither"
    if mode == "symbolic":
        import sympy

        def condition(tests):
            parts = []
            for left, relation, right in tests:
                if left is None:
                    continue
                parts.append(sympy.Le(left, right) if relation == "<=" else sympy.Ge(left, right))
            return sympy.And(*parts) if parts else sympy.true

        pieces_1 = [(c[1], condition(c[3])) for c in candidates[:-1]] + [(candidates[-1][1], True)]
        pieces_2 = [(c[2], condition(c[3])) for c in candidates[:-1]] + [(candidates[-1][2], True)]
        return _tidy(sympy.Piecewise(*pieces_1), mode), _tidy(sympy.Piecewise(*pieces_2), mode), None
    for name, s1, s2, tests in candidates:
        if all(
            left is None or (left <= right if relation == "<=" else left >= right)
            for left, relation, right in tests
        ):
            return s1, s2, name
    name, s1, s2, _ = candidates[-1]  # float round-off on a boundary: the formulas agree there
    return s1, s2, name


def _binding(case, players):
    if case is None:
        return None
    return {"neither": (), "second": (players[1],), "first": (players[0],), "both": tuple(players)}[case]


def _acceptance_words(label, threshold, option, binding, mode) -> str:
    text = f"{label} accepts any offer giving it at least {_show(threshold)} and rejects smaller ones"
    if option is None:
        return text + "; after a rejection it proposes next period"
    if binding is None:
        return text + (
            f"; after a rejection it opts out (taking {_show(option)}) if that beats proposing next "
            "period, otherwise it proposes next period"
        )
    if label in binding:
        return text + f"; after a rejection it opts out and takes its outside option {_show(option)}"
    return text + "; after a rejection it proposes next period (its outside option is not worth taking)"


def _option_words(players, options, binding, mode) -> list:
    words = []
    for label, option in zip(players, options):
        if option is None:
            continue
        if binding is None:
            words.append(
                f"outside-option principle: {label}'s option {_show(option)} matters only where it "
                "exceeds the share it would otherwise get; there it gets exactly the option"
            )
        elif label in binding:
            words.append(
                f"outside-option principle: {label}'s option {_show(option)} exceeds the share it "
                "would otherwise get as responder, so it is offered exactly its option"
            )
        else:
            words.append(
                f"outside-option principle: {label}'s option {_show(option)} does not exceed the "
                "share it gets anyway, so it changes nothing (it is not a disagreement point)"
            )
    return words


# --------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------


def _check(players, deltas, size, options, mode, *, infinite, rates=False) -> tuple:
    """Validate numeric inputs; return the messages (assumptions) for the result."""
    messages = []
    if mode == "symbolic":
        if rates:
            assumed = "rate_i >= 0, rate_1 + rate_2 > 0"
        else:
            assumed = "0 <= delta_i <= 1" + (", delta_1*delta_2 < 1" if infinite else "")
        messages.append(f"symbolic inputs: assumes {assumed}, pie > 0 and outside options <= pie")
        messages.append("symbolic results are the closed forms; substitute numbers to evaluate")
        return tuple(messages)
    for label, delta in zip(players, deltas):
        if not 0 <= delta <= 1:
            raise NegotiationError(f"the discount factor of {label} must be in [0, 1], got {format_number(delta)}")
    if infinite and deltas[0] * deltas[1] >= 1:
        raise NegotiationError(
            "with an infinite horizon the discount factors must not both be 1 "
            "(delta_1 * delta_2 < 1): perfectly patient parties have no unique equilibrium"
        )
    if size <= 0:
        raise NegotiationError(f"the pie must be positive, got {format_number(size)}")
    for label, option in zip(players, options):
        if option is not None and option > size:
            raise NegotiationError(
                f"the outside option of {label} ({format_number(option)}) exceeds the pie "
                f"({format_number(size)}): {label} would opt out of every offer, so there is no agreement"
            )
    if mode == "float":
        messages.append("float inputs: shares are floats")
    return tuple(messages)


def _index(player, players, *, what="player") -> int:
    if isinstance(player, str):
        if player not in players:
            raise NegotiationError(f"unknown {what} {player!r}; the players are {list(players)}")
        return players.index(player)
    if isinstance(player, int) and not isinstance(player, bool) and player in (0, 1):
        return player
    raise NegotiationError(f"{what} must be a player label or 0/1, got {player!r}")


def _options(outside_options, players) -> list:
    if outside_options is None:
        return [None, None]
    if isinstance(outside_options, Mapping):
        options = [None, None]
        for key, value in outside_options.items():
            options[_index(key, players, what="party in outside_options")] = value
        return options
    options = list(outside_options)
    if len(options) != 2:
        raise NegotiationError(f"outside_options needs one entry per party (or a mapping), got {options!r}")
    return options


def _option_map(players, options) -> dict:
    return {p: b for p, b in zip(players, options) if b is not None}


def _zero(mode):
    return _one(mode) - _one(mode)


def _tidy(value, mode):
    """Symbolic values in a readable normal form; numbers unchanged.

    Polynomials are expanded (``1 - delta + delta**2``); rational functions are
    cancelled when that makes them shorter (``(1 - delta)/(1 - delta**2)`` is
    ``1/(delta + 1)``); piecewise values are tidied piece by piece.
    """
    if mode != "symbolic":
        return value
    import sympy

    if value.has(sympy.Piecewise):
        folded = sympy.piecewise_fold(value)
        if isinstance(folded, sympy.Piecewise):
            return sympy.Piecewise(*[(_tidy(v, mode), _tidy_condition(c)) for v, c in folded.args])
        return folded
    if value.has(sympy.Max, sympy.Min):
        return value
    cancelled = sympy.cancel(value)
    numerator, denominator = sympy.fraction(cancelled)
    if denominator == 1 and cancelled.is_polynomial():
        return sympy.expand(cancelled)
    factored = sympy.factor(cancelled)
    return factored if sympy.count_ops(factored) < sympy.count_ops(value) else value


def _tidy_condition(condition):
    import sympy

    if isinstance(condition, sympy.Rel):
        return type(condition)(_tidy(condition.lhs, "symbolic"), _tidy(condition.rhs, "symbolic"))
    if isinstance(condition, (sympy.And, sympy.Or)):
        return type(condition)(*[_tidy_condition(c) for c in condition.args])
    return condition


def _show(value) -> str:
    return format_number(value)
