"""The result of a finitely repeated game: subgame-perfect play over a known number of rounds.

:func:`negotiation.solvers.repeated.finitely_repeated` returns a :class:`FiniteRepetitionResult`
(the result protocol of :mod:`negotiation.results.base`); each analysed target profile is a
:class:`FiniteTarget` (Benoît & Krishna 1985).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from negotiation.core.document import Document, Table, Text
from negotiation.results.base import Result
from negotiation.results.repeated import (RepeatedGameError, game_header, json_value, number_cell, number_text,
                                          parameters_line, profile_text, vector_cell, vector_text, word_cell)

__all__ = ["FiniteTarget", "FiniteRepetitionResult"]


@dataclass(frozen=True)
class FiniteTarget:
    """A pure profile sustained in the early rounds of a finitely repeated game (Benoît & Krishna 1985).

    On the path the target is played in rounds ``1 … target_rounds`` and the
    stage equilibrium ``reward`` in the last ``equilibrium_rounds`` rounds;
    after a deviation by a player in the target phase, the pure stage
    equilibrium worst for that player (``punishments``) is played in every
    remaining round.

    Attributes
    ----------
    profile, payoffs : tuple
        The target (labels) and its stage payoffs.
    sustainable : bool
        Whether the construction sustains the target in at least round 1.
    target_rounds : int
        Rounds (from the first) in which the target is played (0 if not sustainable).
    equilibrium_rounds : int or None
        Number of final rounds in which stage equilibria are played (the
        smallest that works).
    reward : tuple of str or None
        Stage equilibrium played in the last rounds on the path.
    punishments : dict
        Player -> stage equilibrium (labels) played after its deviation.
    conditions : tuple of str
        Each player's incentive condition, exactly: one-round gain ≤ future loss
        at the most tempting round of deviation.
    total_payoffs : tuple or None
        Discounted sums of stage payoffs along the path (plain sums for δ = 1).
    reason : str
        Why the target cannot be sustained, if it cannot.
    """

    profile: tuple
    payoffs: tuple
    sustainable: bool
    target_rounds: int = 0
    equilibrium_rounds: int | None = None
    reward: tuple | None = None
    punishments: dict = field(default_factory=dict)
    conditions: tuple = ()
    total_payoffs: tuple | None = None
    reason: str = ""

    @property
    def switch_round(self) -> int | None:
        """First round in which the stage equilibrium is played on the path."""
        if not self.sustainable or not self.equilibrium_rounds:
            return None
        return self.target_rounds + 1

    def to_dict(self, players) -> dict:
        return {
            "profile": dict(zip(players, self.profile)),
            "payoffs": {p: json_value(v) for p, v in zip(players, self.payoffs)},
            "sustainable": self.sustainable,
            "target_rounds": self.target_rounds,
            "equilibrium_rounds": self.equilibrium_rounds,
            "switch_round": self.switch_round,
            "reward": dict(zip(players, self.reward)) if self.reward else None,
            "punishments": {p: dict(zip(players, labels)) for p, labels in self.punishments.items()},
            "conditions": list(self.conditions),
            "total_payoffs": ({p: json_value(v) for p, v in zip(players, self.total_payoffs)}
                              if self.total_payoffs is not None else None),
            "reason": self.reason,
        }


@dataclass(frozen=True, eq=False)
class FiniteRepetitionResult(Result):
    """Subgame-perfect play of a finitely repeated game, and how it was obtained.

    Attributes
    ----------
    game : Game
        The numeric stage game.
    rounds : int
    discount : Fraction or float
        Weight ``δ`` of each later round (1: plain sums).
    stage_equilibria : SolveResult
        The stage game's equilibria (:func:`negotiation.solve`).
    unique : bool or None
        Whether the stage game has exactly one equilibrium (``None``: not
        established, e.g. mixed equilibria of 3+-player games are not enumerated).
    exact : bool
    equilibrium : Equilibrium or None
        The unique stage equilibrium, if ``unique``.
    total_payoffs : tuple or None
        Its discounted total over all rounds, if ``unique``.
    targets : tuple of FiniteTarget
        Reward/punishment analysis of non-equilibrium pure profiles.
    method : str
    messages : tuple of str
        What the result states and what is not covered.
    """

    game: Any = field(repr=False)
    rounds: int
    discount: Any
    stage_equilibria: Any = field(repr=False)
    unique: bool | None
    exact: bool = True
    equilibrium: Any = None
    total_payoffs: tuple | None = None
    targets: tuple = ()
    method: str = ""
    messages: tuple = ()

    @property
    def parameters(self) -> dict:
        """The parameter values the stage game was built with."""
        return dict(self.game.values)

    @property
    def complete(self) -> bool:
        """Whether the stage equilibria were enumerated completely (uniqueness rests on it)."""
        return self.stage_equilibria.complete

    @property
    def players(self) -> tuple:
        return self.game.players

    def target(self, labels) -> FiniteTarget:
        """The analysis of one target profile (labels)."""
        labels = tuple(labels)
        for entry in self.targets:
            if entry.profile == labels:
                return entry
        raise RepeatedGameError(f"target: {labels} was not analysed")

    def to_records(self) -> list:
        """One flat dict per analysed target (or one for the unique equilibrium)."""
        base = {"rounds": self.rounds, "discount": self.discount}
        if self.unique:
            record = dict(base)
            record["play"] = "unique stage equilibrium every round"
            record.update({f"{p}": _mixture(self.equilibrium.profile, p) for p in self.players})
            record.update({f"total payoff {p}": v for p, v in zip(self.players, self.total_payoffs)})
            return [record]
        records = []
        for entry in self.targets:
            record = dict(base)
            record.update(zip(self.players, entry.profile))
            record["sustainable"] = entry.sustainable
            record["target rounds"] = entry.target_rounds
            record["equilibrium rounds"] = entry.equilibrium_rounds
            record["reward"] = profile_text(entry.reward) if entry.reward else None
            if entry.total_payoffs is not None:
                record.update({f"total payoff {p}": v for p, v in zip(self.players, entry.total_payoffs)})
            records.append(record)
        return records

    def _content(self) -> dict:
        return {
            "game": game_header(self.game),
            "rounds": self.rounds,
            "discount": json_value(self.discount),
            "stage_equilibria": [e.to_dict() for e in self.stage_equilibria],
            "stage_equilibria_complete": self.stage_equilibria.complete,
            "unique": self.unique,
            "equilibrium": self.equilibrium.to_dict() if self.equilibrium is not None else None,
            "total_payoffs": ({p: json_value(v) for p, v in zip(self.players, self.total_payoffs)}
                              if self.total_payoffs is not None else None),
            "targets": [t.to_dict(self.players) for t in self.targets],
        }

    def table(self) -> Table:
        """The unique equilibrium's play and totals, or one row per analysed target."""
        if self.unique:
            header = ("play", *(f"total payoff {p}" for p in self.players))
            row = (f"{self.equilibrium.profile.describe()} in every round", *map(number_cell, self.total_payoffs))
            return Table(header, (row,), caption="Subgame-perfect equilibrium")
        header = ("target", "payoffs", "sustained", "target in rounds", "then", "reward", "total payoffs")
        rows = []
        for t in self.targets:
            if t.sustainable:
                span = f"1–{t.target_rounds}" if t.target_rounds > 1 else "1"
                if t.switch_round is None:
                    then = "—"
                elif t.switch_round < self.rounds:
                    then = f"rounds {t.switch_round}–{self.rounds}"
                else:
                    then = f"round {t.switch_round}"
                rows.append((profile_text(t.profile), vector_cell(t.payoffs), "yes", word_cell(span), word_cell(then),
                             profile_text(t.reward) if t.reward else word_cell("—"), vector_cell(t.total_payoffs)))
            else:
                rows.append((profile_text(t.profile), vector_cell(t.payoffs), "no", *[word_cell("—")] * 4))
        return Table(header, tuple(rows))

    def _explanations(self) -> list:
        lines = []
        for t in self.targets:
            if t.sustainable:
                lines.append(f"{profile_text(t.profile)}: punish a deviation by "
                             + "; ".join(f"{p} with {profile_text(labels)}" for p, labels in t.punishments.items()))
                lines.extend(f"  {c}" for c in t.conditions)
            else:
                lines.append(f"{profile_text(t.profile)}: {t.reason}")
        return lines

    def document(self) -> Document:
        listed = "; ".join(f"{e.profile.describe()} -> {vector_text(e.payoffs)}" for e in self.stage_equilibria)
        flag = "complete" if self.stage_equilibria.complete else "not necessarily complete"
        heading = [*parameters_line(self.parameters), f"Method: {self.summary()}",
                   f"Stage equilibria ({self.stage_equilibria.method}, {flag}): {listed or 'none found'}"]
        blocks = [Text(tuple(heading))]
        if self.unique or self.targets:
            blocks.append(self.table())
        if self.targets:
            blocks.append(Text(tuple(self._explanations())))
        return Document(f"Finitely repeated game: {self.game.title or 'stage game'}, {self.rounds} rounds, "
                        f"δ = {number_text(self.discount)}", tuple(blocks), notes=tuple(self.messages))


def _mixture(profile, player) -> str:
    support = [(s, p) for s, p in profile[player].items() if p > 0]
    if len(support) == 1:
        return support[0][0]
    return " + ".join(f"{number_text(p)} {s}" for s, p in support)
