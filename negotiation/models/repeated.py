"""Repeated games: the terms on which a stage game is repeated.

The stage game itself is a :class:`~negotiation.models.game.Game`; :class:`Repetition` holds what a
repeated-game analysis needs besides it (:func:`negotiation.solvers.repeated.analyse_repetition`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Repetition"]


@dataclass(frozen=True)
class Repetition:
    """A stage game's repetition: the profile to sustain, the horizon, the discount, the punishment and the
    strategies whose critical discount factors are asked for (a scenario's ``[repetition]`` section).

    Attributes
    ----------
    target : tuple of str
        The profile to sustain (one strategy label per player).
    rounds : int or None
        Number of rounds; ``None`` for infinite repetition.
    discount : Fraction, float, sympy expression or None
        The discount factor δ, possibly a formula in the parameters.
    discount_text : str or None
        The discount as written in the file.
    punishment : str or tuple of str
        ``"nash"`` (the worst pure stage equilibrium for each deviator) or a profile.
    strategies : tuple of str
        Strategy names (``grim_trigger``, ``tit_for_tat``; see ``negotiation.results.repeated.STRATEGY_TITLES``).
    source : str
        The file, for messages.

    Examples
    --------
    >>> Repetition(target=("C", "C")).infinite
    True
    """

    target: tuple
    rounds: int | None = None
    discount: Any = None
    discount_text: str | None = None
    punishment: Any = "nash"
    strategies: tuple = ("grim_trigger",)
    source: str = ""

    @property
    def infinite(self) -> bool:
        return self.rounds is None


    def to_dict(self) -> dict:
        """The section as JSON-ready data (the discount as written)."""
        return {
            "discount": self.discount_text,
            "rounds": "infinite" if self.rounds is None else self.rounds,
            "target": list(self.target),
            "punishment": self.punishment if isinstance(self.punishment, str) else list(self.punishment),
            "strategies": list(self.strategies),
        }
