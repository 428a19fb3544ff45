"""Finite automata that play a repeated two-player game: small immutable data.

An :class:`Automaton` is a Moore machine (Rubinstein 1986; Kalai and Stanford 1988): a finite set of
states, in each state an action — or a probability of each action, for generous tit-for-tat — and a
transition on what the automaton sees at the end of the period: its own action as it was actually
played and the other player's action as it perceived it. The library (:func:`standard_automaton`)
holds ALLC, ALLD, GRIM, TFT, GTFT(g) and WSLS (Pavlov); scenario files may define others under
``[repetition.automaton.NAME]`` (:mod:`negotiation.scenario.repeated`).

:class:`NoisyRepetition` is a ``[repetition]`` section that also states error rates and automata.

References
----------
Rubinstein, A. (1986). Finite automata play the repeated prisoner's dilemma. *Journal of Economic
Theory* 39, 83–96.
Nowak, M. and Sigmund, K. (1992). Tit for tat in heterogeneous populations. *Nature* 355, 250–253.
Nowak, M. and Sigmund, K. (1993). A strategy of win-stay, lose-shift that outperforms tit-for-tat in
the Prisoner's Dilemma game. *Nature* 364, 56–58.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, is_sympy
from negotiation.models.repeated import Repetition

__all__ = ["Automaton", "AutomatonError", "NoisyRepetition", "STANDARD_AUTOMATA", "standard_automaton",
           "MAX_AUTOMATON_STATES", "DEFAULT_GENEROSITY"]

#: Most states of one automaton. Two automata of this size make a chain of 36 joint states, whose exact
#: (Fraction) solve with mixed actions and both kinds of error takes about 0.3 s on a laptop core; the
#: library automata have at most 2 states.
MAX_AUTOMATON_STATES = 6
#: Generosity of ``GTFT`` written without a value: Nowak and Sigmund's (1992) largest stable value at
#: T, R, P, S = 5, 3, 1, 0.
DEFAULT_GENEROSITY = Fraction(1, 3)

#: Names of the library automata, with what they do.
STANDARD_AUTOMATA = {
    "ALLC": "always cooperate",
    "ALLD": "always defect",
    "GRIM": "cooperate until the other is seen to defect, then defect for ever (Friedman 1971)",
    "TFT": "cooperate first, then do what the other was seen to do (Axelrod 1984)",
    "GTFT": "tit-for-tat that forgives a defection with probability g (Nowak and Sigmund 1992); GTFT(g)",
    "WSLS": "win-stay, lose-shift (Pavlov): repeat the own action after R or T, switch after S or P "
            "(Nowak and Sigmund 1993)",
}


class AutomatonError(NegotiationError):
    """A malformed automaton or an unknown automaton name (one line naming it and what was expected)."""


@dataclass(frozen=True)
class Automaton:
    """A finite automaton playing one side of a repeated two-player game.

    Attributes
    ----------
    name : str
        Its name (``"TFT"``, ``"GTFT(1/3)"``, a scenario's own name).
    actions : tuple of str
        Its own actions (the player's strategy labels).
    observed : tuple of str
        The other player's actions, as it can observe them.
    states : tuple of str
        State labels; the first is not special, see ``initial``.
    play : tuple of tuple
        ``play[state][action]``: the probability of each own action in each state (Fractions, floats or
        sympy expressions; a pure action is a row with one 1).
    transitions : tuple of tuple of tuple of int
        ``transitions[state][own][other]``: the next state after the own action ``own`` was played and the
        other's action ``other`` was observed (indices into ``actions`` and ``observed``).
    initial : int
        The state in the first period.

    Examples
    --------
    >>> tft = standard_automaton("TFT")
    >>> tft.states, tft.action_in("D"), tft.next_state("C", "C", "D")
    (('C', 'D'), 'D', 'D')
    """

    name: str
    actions: tuple
    observed: tuple
    states: tuple
    play: tuple
    transitions: tuple
    initial: int = 0
    description: str = ""

    def __post_init__(self):
        where = f"automaton {self.name}"
        if not 1 <= len(self.states) <= MAX_AUTOMATON_STATES:
            raise AutomatonError(f"{where}: expected 1 to {MAX_AUTOMATON_STATES} states (MAX_AUTOMATON_STATES), "
                                 f"found {len(self.states)}")
        if len(set(self.states)) != len(self.states):
            raise AutomatonError(f"{where}: a state is named twice in {list(self.states)}")
        if len(self.play) != len(self.states) or len(self.transitions) != len(self.states):
            raise AutomatonError(f"{where}: expected an action and a transition for each of its "
                                 f"{len(self.states)} states")
        if not 0 <= self.initial < len(self.states):
            raise AutomatonError(f"{where}: the initial state {self.initial} is not one of its states")
        for state, row, moves in zip(self.states, self.play, self.transitions):
            _check_row(row, len(self.actions), f"{where}: state {state}")
            if len(moves) != len(self.actions) or any(len(m) != len(self.observed) for m in moves):
                raise AutomatonError(f"{where}: state {state}: expected a next state for each own action and "
                                     "each observed action of the other")
            if any(not (isinstance(t, int) and 0 <= t < len(self.states)) for m in moves for t in m):
                raise AutomatonError(f"{where}: state {state}: a next state is not one of its states")

    @property
    def size(self) -> int:
        """Number of states."""
        return len(self.states)

    def action_in(self, state: str) -> str:
        """The label of the action played in ``state`` (``"mixed"`` when it randomises)."""
        row = self.play[self.states.index(state)]
        pure = [a for a, p in zip(self.actions, row) if p == 1]
        return pure[0] if pure else "mixed"

    def next_state(self, state: str, own: str, other: str) -> str:
        """The state after ``own`` was played and ``other`` was observed in ``state``."""
        index = self.transitions[self.states.index(state)][self.actions.index(own)][self.observed.index(other)]
        return self.states[index]

    def relabelled(self, actions, observed) -> Automaton:
        """The same automaton with its actions read in the order ``actions`` and ``observed`` (labels)."""
        try:
            own = [self.actions.index(a) for a in actions]
            seen = [self.observed.index(b) for b in observed]
        except ValueError:
            raise AutomatonError(f"automaton {self.name}: its actions {list(self.actions)} and observations "
                                 f"{list(self.observed)} are not the strategies {list(actions)} and "
                                 f"{list(observed)} of the game") from None
        if len(own) != len(self.actions) or len(seen) != len(self.observed):
            raise AutomatonError(f"automaton {self.name}: expected {len(self.actions)} own actions and "
                                 f"{len(self.observed)} of the other, the game has {len(own)} and {len(seen)}")
        play = tuple(tuple(row[a] for a in own) for row in self.play)
        moves = tuple(tuple(tuple(m[a][b] for b in seen) for a in own) for m in self.transitions)
        return Automaton(self.name, tuple(actions), tuple(observed), self.states, play, moves, self.initial,
                         self.description)

    def to_dict(self) -> dict:
        """JSON-ready data (probabilities as exact strings)."""
        return {
            "name": self.name, "states": list(self.states), "initial": self.states[self.initial],
            "play": {s: {a: format_number(p) for a, p in zip(self.actions, row) if p != 0}
                     for s, row in zip(self.states, self.play)},
            "next": {s: {f"{a}, {b}": self.states[moves[i][j]] for i, a in enumerate(self.actions)
                         for j, b in enumerate(self.observed)}
                     for s, moves in zip(self.states, self.transitions)},
        }


def _check_row(row, n_actions, where) -> None:
    if len(row) != n_actions:
        raise AutomatonError(f"{where}: expected a probability for each of {n_actions} actions, found {len(row)}")
    if any(is_sympy(p) for p in row):
        return  # a symbolic probability (a generosity g): checked where it is given a value
    if any(p < 0 for p in row) or abs(sum(row) - 1) > (0 if all(isinstance(p, (int, Fraction)) for p in row)
                                                      else 1e-12):
        raise AutomatonError(f"{where}: expected probabilities that are at least 0 and add up to 1, found "
                             f"{[format_number(p) for p in row]}")


def standard_automaton(name: str, cooperate: tuple = ("C", "D"), observed: tuple | None = None,
                       generosity: Any = None) -> Automaton:
    """One of the library automata for a player whose cooperative action is ``cooperate[0]``.

    Parameters
    ----------
    name : str
        ``ALLC``, ``ALLD``, ``GRIM``, ``TFT``, ``GTFT`` (or ``GTFT(g)``), ``WSLS`` (case-insensitive; also
        ``tit_for_tat``, ``grim_trigger``, ``pavlov``).
    cooperate : pair of str
        The player's own actions, cooperative first.
    observed : pair of str, optional
        The other player's actions, cooperative first (default: the same labels).
    generosity : number or sympy expression, optional
        GTFT's probability of cooperating after a defection (default :data:`DEFAULT_GENEROSITY`, or the value
        written in ``GTFT(g)``).

    Examples
    --------
    >>> standard_automaton("GTFT(1/4)").play
    ((Fraction(1, 1), Fraction(0, 1)), (Fraction(1, 4), Fraction(3, 4)))
    >>> standard_automaton("WSLS").next_state("D", "D", "D")
    'C'
    """
    observed = tuple(cooperate) if observed is None else tuple(observed)
    key, generosity = _name_and_generosity(name, generosity)
    one, zero = Fraction(1), Fraction(0)
    c, d = (one, zero), (zero, one)
    follow = ((0, 1), (0, 1))  # next state = the other's observed action (0 cooperate, 1 defect)
    if key == "ALLC":
        states, play, moves = ("C",), (c,), (((0, 0), (0, 0)),)
    elif key == "ALLD":
        states, play, moves = ("D",), (d,), (((0, 0), (0, 0)),)
    elif key == "GRIM":
        states, play, moves = ("cooperate", "punish"), (c, d), (((0, 1), (0, 1)), ((1, 1), (1, 1)))
    elif key == "TFT":
        states, play, moves = ("C", "D"), (c, d), (follow, follow)
    elif key == "GTFT":
        states, play, moves = ("C", "D"), (c, (generosity, 1 - generosity)), (follow, follow)
        name = f"GTFT({format_number(generosity)})"
    else:  # WSLS: stay with the own action after the other cooperated (R or T), switch after a defection
        states, play = ("C", "D"), (c, d)
        moves = (((0, 1), (1, 0)), ((0, 1), (1, 0)))
    name = name if key == "GTFT" else key
    return Automaton(name, tuple(cooperate), observed, states, play, moves, 0, STANDARD_AUTOMATA[key])


_ALIASES = {"TIT_FOR_TAT": "TFT", "GRIM_TRIGGER": "GRIM", "PAVLOV": "WSLS", "GENEROUS_TIT_FOR_TAT": "GTFT"}


def _name_and_generosity(name: str, generosity):
    text = str(name).strip()
    key = text.split("(", 1)[0].strip().upper()
    key = _ALIASES.get(key, key)
    if key not in STANDARD_AUTOMATA:
        raise AutomatonError(f"unknown automaton {text!r} (expected one of {', '.join(STANDARD_AUTOMATA)}, "
                             "or a name defined in the scenario)")
    if "(" in text:
        if key != "GTFT" or not text.endswith(")"):
            raise AutomatonError(f"automaton {text!r}: only GTFT takes a value, written GTFT(g)")
        inner = text[text.index("(") + 1:-1].strip()
        try:
            generosity = Fraction(inner)
        except (ValueError, ZeroDivisionError):
            raise AutomatonError(f"automaton {text!r}: expected a number g in [0, 1] in GTFT(g)") from None
    if key == "GTFT":
        generosity = DEFAULT_GENEROSITY if generosity is None else generosity
        if not is_sympy(generosity) and not 0 <= generosity <= 1:
            raise AutomatonError(f"automaton {text!r}: expected a generosity g in [0, 1], found "
                                 f"{format_number(generosity)}")
    return key, generosity


@dataclass(frozen=True)
class NoisyRepetition(Repetition):
    """A ``[repetition]`` section that also gives error rates and automata (``noise``, ``perception``,
    ``automata`` and ``[repetition.automaton.NAME]`` tables).

    Attributes
    ----------
    noise : Fraction or None
        Implementation error rate ε: the intended action is replaced by another with probability ε.
    perception : Fraction or None
        Perception error rate ε': each player misreads the other's action with probability ε'.
    automata : tuple of str
        Names of the automata to compare (library names or names defined in the section).
    defined : tuple of Automaton
        The automata the section defines.
    """

    noise: Any = None
    perception: Any = None
    automata: tuple = ()
    defined: tuple = ()

    def to_dict(self) -> dict:
        data = super().to_dict()
        data.update({"noise": None if self.noise is None else format_number(self.noise),
                     "perception": None if self.perception is None else format_number(self.perception),
                     "automata": list(self.automata)})
        if self.defined:
            data["automaton"] = {a.name: a.to_dict() for a in self.defined}
        return data
