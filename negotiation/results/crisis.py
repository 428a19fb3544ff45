"""Results of the closed-form models of crisis bargaining: Fearon, Powell and Rubinstein.

:class:`BargainingRangeResult` (Fearon's bargaining range), :class:`RiskReturnResult` (the
risk–return trade-off), :class:`CommitmentResult` (Powell's commitment problem) and
:class:`RubinsteinResult` (alternating offers) are returned by the functions of
:mod:`negotiation.bargaining.crisis` and :mod:`negotiation.bargaining.rubinstein`. Each carries its
inputs, the closed form's values (exact ``Fraction``, float or sympy expression), a statement in
words, its provenance (published, or a toolkit parametrisation) and its sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from negotiation.core.document import Cell, Document, Table, Text, latex_number
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import coerce_number, format_number, json_number
from negotiation.results.base import Result
from negotiation.results.bargaining import PUBLISHED, TOOLKIT, json_map

__all__ = ["BargainingRangeResult", "RiskReturnResult", "CommitmentResult", "RubinsteinResult"]


def _cell(value) -> Cell:
    """A value as text (``3/5``, ``c_A + c_B``) and as LaTeX math (``\\frac{3}{5}``)."""
    return Cell(format_number(value), f"${latex_number(value)}$")


def _quantities(rows) -> Table:
    """A two-column table of named values."""
    return Table(("quantity", "value"), tuple((name, _cell(value)) for name, value in rows))


def _provenance(result) -> Text:
    return Text((f"Status: {result.provenance}", *(f"Source: {r}" for r in result.references)))


def _kind(result) -> str:
    return "symbolic" if result.symbolic else ("exact" if result.exact else "floating point")


def _account(result) -> dict:
    """The entries every crisis-bargaining result ends its JSON with: how it was obtained and from where."""
    return {"symbolic": result.symbolic, "provenance": result.provenance, "references": list(result.references),
            "messages": list(result.messages)}


# --------------------------------------------------------------------------
# Fearon's bargaining range
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class BargainingRangeResult(Result):
    """Fearon's bargaining range: the splits both states prefer to war.

    Attributes
    ----------
    players : tuple of str
        ``(A, B)``; shares are A's share ``x`` of the good.
    p : number or sympy expression
        A's probability of winning a war.
    costs : mapping
        Party label → cost of war.
    utility_exponents : mapping
        Party label → ``a`` in ``u(x) = x**a``; empty for risk-neutral states.
    war_values : mapping
        Party label → expected utility of war (``p - c_A``, ``1 - p - c_B``).
    low, high : number or sympy expression
        A's share at which A (``low``) and B (``high``) are indifferent
        between the deal and war. Risk neutral: ``p - c_A`` and ``p + c_B``
        (they may lie outside ``[0, 1]``). Risk averse: the solutions of
        ``u_A(x) = p - c_A`` and ``u_B(1 - x) = 1 - p - c_B`` (0 or 1 when a war
        value is negative: that party prefers every split to war).
    feasible_low, feasible_high : number or sympy expression
        The range intersected with ``[0, 1]``.
    risk_neutral_low, risk_neutral_high : number or sympy expression
        ``p - c_A`` and ``p + c_B``, for comparison.
    width : number or sympy expression
        ``high - low``.
    status : str
        ``"non-empty"``, ``"degenerate"`` (one point), ``"empty"`` or
        ``"symbolic"`` (depends on the symbols).
    statement : str
        The result in words.
    exact_endpoints : mapping
        For irrational endpoints returned as floats: ``{"low"/"high": sympy expression}``.
    exact, symbolic : bool
    provenance : str
    method : str
        The closed form used.
    references, messages : tuple of str
    """

    players: tuple
    p: Any
    costs: Mapping
    utility_exponents: Mapping
    war_values: Mapping
    low: Any
    high: Any
    feasible_low: Any
    feasible_high: Any
    risk_neutral_low: Any
    risk_neutral_high: Any
    width: Any
    status: str
    statement: str
    exact_endpoints: Mapping = field(default_factory=dict)
    exact: bool = True
    symbolic: bool = False
    provenance: str = PUBLISHED
    method: str = "closed form (Fearon 1995)"
    references: tuple = ()
    messages: tuple = ()

    _leading = ("model",)

    def contains(self, x) -> bool:
        """Whether A's share ``x`` is in the (feasible) range, endpoints included (numeric only)."""
        if self.symbolic:
            raise NegotiationError("the range depends on symbols: substitute numbers first")
        value = coerce_number(x, where="share")
        return self.feasible_low <= value <= self.feasible_high and self.status != "empty"

    def to_records(self) -> list[dict]:
        """One record: the inputs, the war values, the range and its width."""
        a, b = self.players
        record = {"p": self.p, f"cost {a}": self.costs[a], f"cost {b}": self.costs[b]}
        record.update({f"utility exponent {k}": v for k, v in self.utility_exponents.items()})
        record.update({f"war value {k}": v for k, v in self.war_values.items()})
        record.update({"low": self.low, "high": self.high, "feasible low": self.feasible_low,
                       "feasible high": self.feasible_high, "width": self.width, "status": self.status})
        return [record]

    def document(self) -> Document:
        a, _ = self.players
        heading = [f"{a} wins a war with probability {format_number(self.p)}; costs of war: "
                   + ", ".join(f"{k} {format_number(v)}" for k, v in self.costs.items())]
        if self.utility_exponents:
            heading.append("Risk aversion, u(x) = x^a: "
                           + ", ".join(f"{k} a = {format_number(v)}" for k, v in self.utility_exponents.items()))
        heading.append(f"Method: {self.method} ({_kind(self)})")
        rows = [(f"war value of {k}", v) for k, v in self.war_values.items()]
        rows += [(f"low end of {a}'s share", self.low), (f"high end of {a}'s share", self.high),
                 ("low end within [0, 1]", self.feasible_low), ("high end within [0, 1]", self.feasible_high),
                 ("width", self.width)]
        if self.utility_exponents:
            rows += [("risk-neutral low end", self.risk_neutral_low), ("risk-neutral high end", self.risk_neutral_high)]
        blocks = (Text(tuple(heading)), _quantities(rows),
                  Text((f"Range of {a}'s share ({self.status}): {self.statement}",)), _provenance(self))
        return Document("Bargaining range (Fearon 1995)", blocks, notes=tuple(self.messages))

    def _content(self) -> dict:
        data = {
            "model": "fearon_bargaining_range",
            "players": list(self.players),
            "p": json_number(self.p),
            "costs": json_map(self.costs),
            "utility_exponents": json_map(self.utility_exponents),
            "war_values": json_map(self.war_values),
            "range": [json_number(self.low), json_number(self.high)],
            "feasible_range": [json_number(self.feasible_low), json_number(self.feasible_high)],
            "risk_neutral_range": [json_number(self.risk_neutral_low), json_number(self.risk_neutral_high)],
            "width": json_number(self.width),
            "status": self.status,
            "statement": self.statement,
            **_account(self),
        }
        if self.exact_endpoints:
            data["exact_endpoints"] = {k: str(v) for k, v in self.exact_endpoints.items()}
        return data


# --------------------------------------------------------------------------
# The risk-return trade-off
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RiskReturnResult(Result):
    """The optimal take-it-or-leave-it offer under private information about B's cost.

    Attributes
    ----------
    players : tuple of str
        ``(A, B)``: A offers, B accepts or fights.
    p, c_A, c_bar : number or sympy expression
        A's probability of winning, A's cost, upper end of B's cost ``c_B ~ U[0, c_bar]``.
    offer : number or sympy expression
        ``x*``, A's optimal demand (A's share).
    probability_of_war : number or sympy expression
        ``Pr(c_B < x* - p)``.
    expected_utility : number or sympy expression
        A's expected utility ``U(x*)``.
    interior : bool or None
        ``c_A < c_bar`` (A risks war); ``None`` when it depends on symbols.
    capped : bool
        The unconstrained optimum exceeded the whole good and was capped at 1.
    statement : str
    exact, symbolic : bool
    provenance : str
        ``"toolkit parametrisation"`` (toolkit derivation from [@Fearon1995]).
    method : str
    references, messages : tuple of str
    """

    players: tuple
    p: Any
    c_A: Any
    c_bar: Any
    offer: Any
    probability_of_war: Any
    expected_utility: Any
    interior: bool | None
    capped: bool
    statement: str
    exact: bool = True
    symbolic: bool = False
    provenance: str = TOOLKIT
    method: str = "closed form (Fearon 1995 risk-return trade-off; toolkit parametrisation)"
    references: tuple = ()
    messages: tuple = ()

    _leading = ("model",)

    def to_records(self) -> list[dict]:
        """One record: the inputs, the optimal offer, the probability of war and A's expected utility."""
        return [{"p": self.p, "c_A": self.c_A, "c_bar": self.c_bar, "offer": self.offer,
                 "probability of war": self.probability_of_war, "expected utility": self.expected_utility,
                 "interior": self.interior, "capped": self.capped}]

    def document(self) -> Document:
        a, b = self.players
        heading = (f"{a} wins a war with probability {format_number(self.p)}, its cost {format_number(self.c_A)}; "
                   f"{b}'s cost is private, uniform on [0, {format_number(self.c_bar)}]",
                   f"Method: {self.method} ({_kind(self)})")
        rows = [(f"optimal offer ({a}'s share)", self.offer), ("probability of war", self.probability_of_war),
                (f"{a}'s expected utility", self.expected_utility)]
        blocks = (Text(heading), _quantities(rows), Text((self.statement,)), _provenance(self))
        return Document("Risk-return trade-off (Fearon 1995; closed form: toolkit parametrisation)", blocks,
                        notes=tuple(self.messages))

    def _content(self) -> dict:
        return {
            "model": "fearon_risk_return_tradeoff",
            "players": list(self.players),
            "p": json_number(self.p),
            "c_A": json_number(self.c_A),
            "c_bar": json_number(self.c_bar),
            "offer": json_number(self.offer),
            "probability_of_war": json_number(self.probability_of_war),
            "expected_utility": json_number(self.expected_utility),
            "interior": self.interior,
            "capped": self.capped,
            "statement": self.statement,
            **_account(self),
        }


# --------------------------------------------------------------------------
# Powell's commitment problem
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class CommitmentResult(Result):
    """Whether a shift in power makes war unavoidable (commitment problem).

    Attributes
    ----------
    players : tuple of str
        ``(declining state, rising state)``.
    p_now, p_next : number or sympy expression
        The rising state's probability of winning a war now and after the shift.
    costs : mapping
        Party label → per-period cost of war.
    discount : number or sympy expression
        Discount factor per period.
    horizon : int or None
        Number of periods (``None``: infinite).
    shift : number or sympy expression
        ``p_next - p_now``.
    threshold_shift : number or sympy expression
        The largest shift that still allows peace: war is unavoidable iff
        ``shift > threshold_shift``.
    war : bool or sympy relational
        Whether war is unavoidable (a relational when it depends on symbols).
    condition : str
        The war condition in the flow form of this horizon.
    values : mapping
        Discounted sums from now: ``"declining war value"``, ``"declining peace value"``
        (its best peaceful payoff), ``"rising war value"``, ``"rising minimum"`` (the
        least the rising state accepts in peace), ``"surplus"`` (total cost of war).
        Empty for the patient limit (infinite horizon, ``discount = 1``).
    statement : str
    exact, symbolic : bool
    provenance : str
        ``"toolkit parametrisation"`` (toolkit derivation from [@Powell2006]).
    method : str
    references, messages : tuple of str
    """

    players: tuple
    p_now: Any
    p_next: Any
    costs: Mapping
    discount: Any
    horizon: int | None
    shift: Any
    threshold_shift: Any
    war: Any
    condition: str
    values: Mapping
    statement: str
    exact: bool = True
    symbolic: bool = False
    provenance: str = TOOLKIT
    method: str = "closed form (Powell 2006; toolkit parametrisation)"
    references: tuple = ()
    messages: tuple = ()

    _leading = ("model",)

    def to_records(self) -> list[dict]:
        """One record: the inputs, the shift, the threshold, whether war is unavoidable, the discounted values."""
        declining, rising = self.players
        record = {"p_now": self.p_now, "p_next": self.p_next, f"cost {declining}": self.costs[declining],
                  f"cost {rising}": self.costs[rising], "discount": self.discount, "horizon": self.horizon,
                  "shift": self.shift, "threshold shift": self.threshold_shift,
                  "war": self.war if isinstance(self.war, bool) else str(self.war)}
        record.update(self.values)
        return [record]

    def document(self) -> Document:
        declining, rising = self.players
        horizon = "infinite horizon" if self.horizon is None else f"{self.horizon} periods"
        heading = (f"{rising}'s probability of winning: {format_number(self.p_now)} now, "
                   f"{format_number(self.p_next)} from the next period (shift {format_number(self.shift)})",
                   "Per-period costs of war: " + ", ".join(f"{k} {format_number(v)}" for k, v in self.costs.items())
                   + f"; discount factor {format_number(self.discount)}",
                   f"War is unavoidable iff {self.condition}",
                   f"Method: {self.method} ({_kind(self)})")
        rows = [("threshold shift", self.threshold_shift), *self.values.items()]
        blocks = (Text(heading), _quantities(rows), Text((self.statement,)), _provenance(self))
        return Document(f"Commitment problem (Powell 2006; toolkit parametrisation), {horizon}", blocks,
                        notes=tuple(self.messages))

    def _content(self) -> dict:
        return {
            "model": "powell_commitment_problem",
            "players": list(self.players),
            "p_now": json_number(self.p_now),
            "p_next": json_number(self.p_next),
            "costs": json_map(self.costs),
            "discount": json_number(self.discount),
            "horizon": self.horizon,
            "shift": json_number(self.shift),
            "threshold_shift": json_number(self.threshold_shift),
            "war": self.war if isinstance(self.war, bool) else str(self.war),
            "condition": self.condition,
            "values": json_map(self.values),
            "statement": self.statement,
            **_account(self),
        }


# --------------------------------------------------------------------------
# Alternating offers
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class RubinsteinResult(Result):
    """The subgame perfect equilibrium of an alternating-offers game.

    Attributes
    ----------
    players : tuple of str
        The two party labels, in the order of the discount factors.
    proposer : str
        The party that proposes first.
    shares : mapping
        The equilibrium agreement (reached at once): party label → share of the pie.
    discount_factors : mapping
        Party label → discount factor per period (empty for the frequent-offers limit).
    pie : Fraction, float or sympy expression
    horizon : int or None
        Number of rounds; ``None`` for the infinite horizon.
    outside_options : mapping
        Party label → outside option (only the parties that have one).
    binding_options : tuple of str or None
        Parties whose outside option binds in the first round they respond
        (``None`` when it depends on symbols).
    offers : mapping
        Party label → the split that party proposes when it is the proposer
        (in a finite game: the first round in which it proposes).
    acceptance_thresholds : mapping
        Party label → the least share it accepts when responding (in a
        finite game: the first round in which it responds).
    strategies : tuple of str
        The equilibrium offers and acceptance rules in words.
    rounds : tuple of dict
        Finite horizon only: for each round, ``{"round", "proposer",
        "shares", "opts_out_if_rejected"}`` (the split proposed and accepted
        if that round is reached).
    discount_rates : mapping
        Party label → continuous discount rate, when the game was given by rates.
    period_length : Fraction, float, sympy expression or None
        Length of a bargaining period, when given by rates (``None``: the limit).
    method : str
        ``"closed_form"``, ``"backward_induction"`` or ``"frequent_offers_limit"``.
    exact : bool
        Every number is an exact rational (or an exact sympy expression).
    symbolic : bool
        The numbers are sympy expressions in symbols.
    provenance : str
        ``"published"`` (a cited closed form) or ``"toolkit parametrisation"`` ([D]).
    references : tuple of str
    messages : tuple of str
        Assumptions and notes for the reader.
    """

    players: tuple
    proposer: str
    shares: Mapping
    discount_factors: Mapping
    pie: Any
    horizon: int | None
    outside_options: Mapping
    binding_options: tuple | None
    offers: Mapping
    acceptance_thresholds: Mapping
    strategies: tuple
    rounds: tuple = ()
    discount_rates: Mapping = field(default_factory=dict)
    period_length: Any = None
    method: str = "closed_form"
    exact: bool = True
    symbolic: bool = False
    provenance: str = PUBLISHED
    references: tuple = ()
    messages: tuple = ()

    _leading = ("model",)

    def share(self, player) -> Any:
        """The equilibrium share of ``player`` (label or index 0/1)."""
        if isinstance(player, str):
            if player not in self.players:
                raise NegotiationError(f"unknown player {player!r}; the players are {list(self.players)}")
            return self.shares[player]
        if isinstance(player, int) and not isinstance(player, bool) and player in (0, 1):
            return self.shares[self.players[player]]
        raise NegotiationError(f"player must be a player label or 0/1, got {player!r}")

    def to_records(self) -> list[dict]:
        """One record: the inputs and each party's equilibrium share."""
        record = {"proposer": self.proposer, "pie": self.pie, "horizon": self.horizon}
        record.update({f"discount factor {p}": v for p, v in self.discount_factors.items()})
        record.update({f"discount rate {p}": v for p, v in self.discount_rates.items()})
        record.update({f"outside option {p}": v for p, v in self.outside_options.items()})
        record.update({f"share {p}": v for p, v in self.shares.items()})
        return [record]

    def document(self) -> Document:
        heading = [f"Pie: {format_number(self.pie)}; first proposer: {self.proposer}"]
        for label, values in (("Discount rates", self.discount_rates), ("Discount factors", self.discount_factors),
                              ("Outside options", self.outside_options)):
            if values:
                heading.append(f"{label}: " + ", ".join(f"{p} {format_number(v)}" for p, v in values.items()))
        heading.append(f"Method: {self.method} ({_kind(self)})")
        table = Table(("party", "equilibrium share", "accepts at least"),
                      tuple((p, _cell(self.shares[p]), _cell(self.acceptance_thresholds[p])) for p in self.players),
                      caption="Equilibrium (subgame perfect), agreement at once")
        blocks = (Text(tuple(heading)), table, Text(tuple(self.strategies), style="list"), _provenance(self))
        return Document(self._title(), blocks, notes=tuple(self.messages))

    def _title(self) -> str:
        if self.method == "frequent_offers_limit":
            return "Alternating offers, frequent-offers limit (period length → 0)"
        if self.horizon is None:
            return "Alternating offers (Rubinstein), infinite horizon"
        return f"Alternating offers, finite horizon of {self.horizon} round(s)"

    def _content(self) -> dict:
        data = {
            "model": "rubinstein",
            "players": list(self.players),
            "proposer": self.proposer,
            "pie": json_number(self.pie),
            "horizon": self.horizon,
            "discount_factors": json_map(self.discount_factors),
            "outside_options": json_map(self.outside_options),
            "shares": json_map(self.shares),
            "offers": {p: json_map(split) for p, split in self.offers.items()},
            "acceptance_thresholds": json_map(self.acceptance_thresholds),
            "binding_options": None if self.binding_options is None else list(self.binding_options),
            "strategies": list(self.strategies),
            **_account(self),
        }
        if self.rounds:
            data["rounds"] = [{"round": r["round"], "proposer": r["proposer"], "shares": json_map(r["shares"]),
                               "opts_out_if_rejected": r["opts_out_if_rejected"]} for r in self.rounds]
        if self.discount_rates:
            data["discount_rates"] = json_map(self.discount_rates)
            data["period_length"] = None if self.period_length is None else json_number(self.period_length)
        return data
