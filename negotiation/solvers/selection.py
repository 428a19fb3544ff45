"""Equilibrium selection in 2×2 games: payoff dominance and risk dominance (Harsanyi and Selten 1988).

A 2×2 game with two strict pure equilibria has them on one diagonal: ``E = (a, b)`` and ``E' = (a', b')``
with ``a ≠ a'``, ``b ≠ b'``. Each player's *deviation loss* at ``E`` is what it loses by switching alone:
``u1(a, b) − u1(a', b)`` and ``u2(a, b) − u2(a, b')``. ``E`` **risk-dominates** ``E'`` when the product of the
deviation losses at ``E`` is larger (the Nash-product criterion; Harsanyi and Selten 1988, §3.9, p. 87; for
symmetric games equivalently: ``E``'s strategy is the best reply to the other player choosing each strategy
with probability 1/2). ``E`` **payoff-dominates** ``E'`` when every player is strictly better off at ``E``.

For a game with parameters the answer is a condition on them: where in parameter space each equilibrium is
selected (both strict, and the criterion), as exact sympy relations — where is mutual restraint risk dominant?

References
----------
Harsanyi, J. C. and Selten, R. (1988). *A General Theory of Equilibrium Selection in Games*. MIT Press,
§3.9 (pp. 80–90: payoff dominance, risk dominance and the Nash product for 2×2 games).
"""

from __future__ import annotations

from fractions import Fraction

from negotiation.core.errors import NegotiationError
from negotiation.models.game import Game
from negotiation.results.selection import CRITERIA, SelectionResult

__all__ = ["select_equilibrium", "SelectionError"]

_DIAGONALS = (((0, 0), (1, 1)), ((0, 1), (1, 0)))


class SelectionError(NegotiationError):
    """A selection was asked of a game or with a criterion it does not apply to (one line)."""


def _check(game, criterion) -> None:
    if criterion not in CRITERIA:
        raise SelectionError(f"criterion: expected one of {', '.join(CRITERIA)}, got {criterion!r}")
    if not isinstance(game, Game):
        kind = getattr(game, "kind", None) or type(game).__name__
        raise SelectionError(f"equilibrium selection by {criterion} dominance applies to 2×2 strategic-form games, "
                             f"not a {kind} model")
    if game.n_players != 2 or tuple(game.shape) != (2, 2):
        shape = "×".join(str(n) for n in game.shape)
        raise SelectionError(f"equilibrium selection by {criterion} dominance applies to 2×2 games, not a {shape} game")


def _losses(payoffs, profile, other):
    """Deviation losses of both players at ``profile`` (the other equilibrium ``other`` on the same diagonal)."""
    (a, b), (a2, b2) = profile, other
    return payoffs[a, b, 0] - payoffs[a2, b, 0], payoffs[a, b, 1] - payoffs[a, b2, 1]


def _labels(game, profile) -> tuple:
    return tuple(game.strategies[p][s] for p, s in enumerate(profile))


def select_equilibrium(game: Game, criterion: str = "risk") -> SelectionResult:
    """The strict pure equilibrium of a 2×2 game that payoff or risk dominance selects.

    Parameters
    ----------
    game : Game
        A two-player 2×2 game, numeric (exact or float) or with parameters.
    criterion : {"risk", "payoff"}

    Returns
    -------
    SelectionResult
        For a numeric game, the two strict equilibria compared, their measures and the one selected
        (``None``: a tie, no Pareto ranking, or not two strict equilibria — the messages say which). For a
        game with parameters, ``conditions``: where each candidate of the coordination diagonal is selected.

    Examples
    --------
    The Stag Hunt with R = 4, T = 3, P = 2, S = 0: mutual cooperation is payoff dominant, mutual defection
    risk dominant (the deviation losses are 4 − 3 = 1 at (C, C) and 2 − 0 = 2 at (D, D): 1·1 < 2·2).

    >>> import negotiation as ng
    >>> hunt = ng.Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]], strategies=(("C", "D"), ("C", "D")))
    >>> select_equilibrium(hunt, "risk").selected, select_equilibrium(hunt, "payoff").selected
    (('D', 'D'), ('C', 'C'))
    """
    _check(game, criterion)
    if game.is_symbolic:
        return _conditions(game, criterion)
    payoffs = game.payoffs
    strict = [d for d in _DIAGONALS if all(min(_losses(payoffs, e, f)) > 0 for e, f in (d, d[::-1]))]
    method = f"{criterion}_dominance"
    if not strict:
        return SelectionResult(criterion, tuple(game.players), (), (), None, method=method, exact=game.is_exact,
                               parameters=dict(game.values or {}),
                               messages=("the game has not two strict pure equilibria: neither criterion applies",))
    first, second = strict[0]
    if criterion == "risk":
        measures = tuple(_product(_losses(payoffs, e, f)) for e, f in ((first, second), (second, first)))
        better = measures[0] > measures[1], measures[1] > measures[0]
    else:
        measures = tuple(tuple(payoffs[e[0], e[1], p] for p in (0, 1)) for e in (first, second))
        better = (all(x > y for x, y in zip(*measures)), all(y > x for x, y in zip(*measures)))
    selected = (_labels(game, first) if better[0] else _labels(game, second) if better[1] else None)
    messages = () if selected else (("the two products are equal: neither is risk dominant",) if criterion == "risk"
                                    else ("neither equilibrium is better for both players",))
    return SelectionResult(criterion, tuple(game.players), (_labels(game, first), _labels(game, second)), measures,
                           selected, method=method, exact=game.is_exact, messages=messages,
                           parameters=dict(game.values or {}))


def _product(losses):
    first, second = losses
    return first * second if not isinstance(first, float) else float(first) * float(second)


def _conditions(game, criterion) -> SelectionResult:
    """Where each equilibrium of the main (coordination) diagonal is selected, as exact relations."""
    import sympy  # conditions in the parameters

    payoffs = game.payoffs
    first, second = _DIAGONALS[0]
    strict = [loss > 0 for e, f in ((first, second), (second, first)) for loss in _losses(payoffs, e, f)]
    conditions = {}
    for e, f in ((first, second), (second, first)):
        if criterion == "risk":
            wins = sympy.factor(_product(_losses(payoffs, e, f)) - _product(_losses(payoffs, f, e))) > 0
        else:
            wins = sympy.And(*(payoffs[e[0], e[1], p] > payoffs[f[0], f[1], p] for p in (0, 1)))
        condition = sympy.And(*strict, wins)
        conditions["(" + ", ".join(_labels(game, e)) + ")"] = str(condition)
    measures = tuple(str(sympy.factor(_product(_losses(payoffs, e, f)))) if criterion == "risk" else
                     tuple(str(payoffs[e[0], e[1], p]) for p in (0, 1)) for e, f in ((first, second), (second, first)))
    return SelectionResult(criterion, tuple(game.players), (_labels(game, first), _labels(game, second)), measures,
                           None, conditions=conditions, method=f"{criterion}_dominance",
                           messages=("conditions on the parameters: both equilibria strict, and the criterion",))


