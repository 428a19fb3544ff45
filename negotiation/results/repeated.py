"""Results of repeated-game analyses: the folk theorem, finite repetition, a ``[repetition]`` section.

* :class:`FolkTheoremResult` — minmax values (:class:`MinmaxProfile`), the feasible and
  individually rational payoffs, and one :class:`ProfileSustainability` per pure profile
  (:func:`negotiation.solvers.repeated.folk_theorem`).
* :class:`~negotiation.results.finite_repetition.FiniteRepetitionResult` — subgame-perfect play of a
  finitely repeated game (:mod:`negotiation.results.finite_repetition`).
* :class:`RepeatedAnalysis` — the answer to a scenario's ``[repetition]`` section: one
  :class:`StrategyThreshold` per listed strategy, the folk theorem and, for a finite horizon, the
  finite result (:func:`negotiation.solvers.repeated.analyse_repetition`).

The ``*Result``/``Analysis`` types follow the result protocol (:mod:`negotiation.results.base`);
the others are their components.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from negotiation.core.document import Cell, Document, Table, Text, latex_escape, latex_number
from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import Result

__all__ = ["RepeatedGameError", "FOLK_VERDICTS", "STRATEGY_TITLES", "MinmaxProfile", "ProfileSustainability",
           "FolkTheoremResult", "StrategyThreshold", "RepeatedAnalysis"]


class RepeatedGameError(NegotiationError):
    """Bad input to a repeated-game analysis (one line naming the argument and what was expected)."""


#: Verdicts of the folk theorem on a pure profile played every period: code -> (short, long).
FOLK_VERDICTS = {
    "stage-nash": ("yes, every δ (stage Nash)",
                   "a stage Nash equilibrium: playing it in every period is subgame perfect for every δ"),
    "sustainable": ("yes, for δ near 1",
                    "strictly above every minmax value: a subgame-perfect equilibrium payoff for δ close "
                    "to 1 (Fudenberg & Maskin 1986)"),
    "below-minmax": ("no (below minmax)",
                     "below a player's minmax value: no equilibrium of the repeated game has this payoff"),
    "boundary": ("not covered (at minmax)",
                 "a payoff equals a minmax value: the folk theorem does not apply"),
    "not-full-dimensional": ("not covered (not full-dimensional)",
                             "the feasible, individually rational set is not full-dimensional: the "
                             "n-player folk theorem does not apply"),
    "undetermined": ("undetermined",
                     "only bounds on the 3+-player minmax values are known, and they do not decide"),
}

#: Strategies a ``[repetition]`` section may list, with their titles.
STRATEGY_TITLES = {"grim_trigger": "grim trigger (Nash reversion)", "tit_for_tat": "tit-for-tat (Axelrod)"}

#: Exact numbers with more digits than this are shown (and written to JSON) as floats.
MAX_SHOWN_DIGITS = 60

_VERDICT_WORDS = {True: "sustained", False: "not sustained", None: "—"}


# ---------------------------------------------------------------------- how numbers read
def _huge(value) -> bool:
    return (isinstance(value, Fraction)
            and max(abs(value.numerator), value.denominator).bit_length() > 3.33 * MAX_SHOWN_DIGITS)


def number_text(value) -> str:
    """A number as the repeated-game results show it: ``3/4``; ``≈0.25`` for a fraction too long to read."""
    if _huge(value):
        return f"≈{float(value):.6g}"
    return format_number(value)


def json_value(value):
    """:func:`json_number`, except exact numbers too long to read are written as JSON floats."""
    return float(value) if _huge(value) else json_number(value)


def vector_text(values) -> str:
    """``(3, 13/3)``."""
    return "(" + ", ".join(number_text(v) for v in values) + ")"


def profile_text(labels) -> str:
    """``(Cooperate, Defect)``."""
    return "(" + ", ".join(labels) + ")"


def _latex(text: str) -> str:
    """Plain text for a LaTeX cell: special characters escaped, δ, ≈ and dashes as LaTeX writes them."""
    escaped = latex_escape(text)
    for character, written in (("δ", r"$\delta$"), ("≈", r"$\approx$"), ("—", "---"), ("–", "--")):
        escaped = escaped.replace(character, written)
    return escaped


def word_cell(text: str) -> Cell:
    """A text cell that reads the same in LaTeX (δ, dashes)."""
    return Cell(text, _latex(text))


def _number_latex(value) -> str:
    if _huge(value):
        return f"$\\approx {float(value):.6g}$"
    return f"${latex_number(value)}$"


def number_cell(value) -> Cell:
    return Cell(number_text(value), _number_latex(value))


def vector_cell(values) -> Cell:
    """``(3, 3)``; in LaTeX ``($3$, $3$)``."""
    return Cell(vector_text(values), "(" + ", ".join(_number_latex(v) for v in values) + ")")


def condition_cell(threshold) -> Cell:
    """``δ ≥ 1/2`` (``—`` without a threshold)."""
    if threshold is None:
        return Cell("—", "---")
    return Cell(f"δ ≥ {number_text(threshold)}", f"$\\delta \\geq {_number_latex(threshold)[1:-1]}$")


def game_header(game) -> dict:
    return {"title": game.title, "players": list(game.players),
            "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)}}


def parameters_line(values) -> list:
    return ["Parameters: " + ", ".join(f"{k} = {number_text(v)}" for k, v in values.items())] if values else []


def inline_blocks(document: Document) -> list:
    """The blocks of ``document`` to show inside another one: its title and heading, tables, notes."""
    blocks = list(document.blocks)
    heading = list(blocks.pop(0).lines) if blocks and isinstance(blocks[0], Text) else []
    inlined = [Text((document.title, *heading)), *blocks]
    if document.notes:
        inlined.append(Text(tuple(f"Note: {note}" for note in document.notes)))
    return inlined


# ---------------------------------------------------------------------- folk theorem
@dataclass(frozen=True)
class MinmaxProfile:
    """How the other players hold one player down to its minmax value.

    Attributes
    ----------
    player : str
        The punished player.
    value : Fraction or float
        Its minmax value. For three or more players this is the value with
        *correlated* punishers (an LP), a lower bound on the minmax with
        independently mixing punishers.
    punishers : tuple of str
        The other players, in game order.
    distribution : dict
        ``{punishers' strategy labels (tuple): probability}``, positive entries
        only. For two players: the opponent's minmaxing mixed strategy.
    best_responses : tuple of str
        The punished player's strategies that attain ``value`` against it.
    correlated : bool
        ``True`` for three or more players (the distribution may not be a
        product of independent mixed strategies).
    pure_value : Fraction or float
        Minmax over the punishers' pure profiles: an upper bound on the minmax.
    exact : bool
        Whether value and distribution were rebuilt and verified exactly.
    """

    player: str
    value: Any
    punishers: tuple
    distribution: dict
    best_responses: tuple
    correlated: bool
    pure_value: Any
    exact: bool

    @property
    def determined(self) -> bool:
        """Whether ``value`` is the minmax with independent mixing (always for two players)."""
        return not self.correlated or self.value == self.pure_value

    def describe(self) -> str:
        """One line: who plays what, the value, and the best replies."""
        if len(self.punishers) == 1:
            mix = " + ".join(f"{number_text(q)} {labels[0]}" if q != 1 else labels[0]
                             for labels, q in self.distribution.items())
            how = f"{self.punishers[0]} plays {mix}"
        else:
            mix = " + ".join(f"{number_text(q)} {profile_text(labels)}" if q != 1 else profile_text(labels)
                             for labels, q in self.distribution.items())
            how = f"{', '.join(self.punishers)} play {'(correlated) ' if self.correlated else ''}{mix}"
        text = f"{self.player}: {number_text(self.value)} ({how}; best replies: {', '.join(self.best_responses)})"
        if self.correlated and not self.determined:
            text += (f"; with independent mixing the minmax lies in [{number_text(self.value)}, "
                     f"{number_text(self.pure_value)}]")
        return text

    def to_dict(self) -> dict:
        return {
            "player": self.player,
            "value": json_number(self.value),
            "punishers": list(self.punishers),
            "distribution": [{"profile": dict(zip(self.punishers, labels)), "probability": json_number(q)}
                             for labels, q in self.distribution.items()],
            "best_responses": list(self.best_responses),
            "correlated": self.correlated,
            "pure_minmax": json_number(self.pure_value),
            "exact": self.exact,
        }


@dataclass(frozen=True)
class ProfileSustainability:
    """Whether playing one pure profile in every period can be an equilibrium of the repeated game.

    Attributes
    ----------
    profile : tuple of str
        One strategy label per player.
    payoffs : tuple
        The stage payoffs of the profile.
    stage_nash : bool
        Whether the profile is a Nash equilibrium of the stage game.
    individually_rational, strictly_individually_rational : bool or None
        ``payoffs >= minmax`` (``>``) for every player; ``None`` when only
        bounds on a 3+-player minmax are known and they do not decide.
    folk : str
        A key of :data:`FOLK_VERDICTS`.
    grim_threshold : Fraction, float or None
        Smallest δ at which grim trigger with Nash reversion sustains the
        profile (condition ``δ ≥ grim_threshold``); ``None`` if it cannot (see
        ``grim_note``).
    grim_note : str
        Why grim trigger does not apply, if it does not.
    sustained : bool or None
        Whether grim trigger sustains the profile at the given discount factor
        (``None`` without one, or without a threshold).
    """

    profile: tuple
    payoffs: tuple
    stage_nash: bool
    individually_rational: bool | None
    strictly_individually_rational: bool | None
    folk: str
    grim_threshold: Any = None
    grim_note: str = ""
    sustained: bool | None = None

    @property
    def sustainable_near_one(self) -> bool | None:
        """``True`` if sustainable for δ close to 1, ``False`` if never, ``None`` if not covered."""
        if self.folk in ("stage-nash", "sustainable"):
            return True
        if self.folk == "below-minmax":
            return False
        return None

    @property
    def grim_condition(self) -> str:
        """``"δ ≥ 1/2"``, or ``"—"`` when grim trigger cannot sustain the profile."""
        return str(condition_cell(self.grim_threshold))

    def to_dict(self, players) -> dict:
        return {
            "profile": dict(zip(players, self.profile)),
            "payoffs": {p: json_number(v) for p, v in zip(players, self.payoffs)},
            "stage_nash": self.stage_nash,
            "individually_rational": self.individually_rational,
            "strictly_individually_rational": self.strictly_individually_rational,
            "folk_theorem": self.folk,
            "folk_theorem_text": FOLK_VERDICTS[self.folk][1],
            "grim_trigger": {
                "critical_discount": None if self.grim_threshold is None else json_number(self.grim_threshold),
                "condition": self.grim_condition,
                "note": self.grim_note,
            },
            "sustained_at_discount": self.sustained,
        }


@dataclass(frozen=True, eq=False)
class FolkTheoremResult(Result):
    """What the folk theorem says about an infinitely repeated game, and how it was obtained.

    Attributes
    ----------
    game : Game
        The numeric stage game.
    minmax : dict
        Minmax value per player (for three or more players: the correlated
        lower bound, see :class:`MinmaxProfile`).
    minmax_profiles : tuple of MinmaxProfile
    feasible_vertices : tuple
        Two players: vertices of the convex hull of the pure payoff vectors,
        counterclockwise. Empty for three or more players.
    individually_rational_vertices : tuple
        Two players: vertices of the feasible payoffs with ``u >= minmax``.
    strictly_individually_rational : bool or None
        Whether some feasible payoff is strictly above every minmax value (for
        two players its closure is then the polygon above; ``None``: undecided).
    dimension : int
        Affine dimension of the feasible set.
    full_dimensional : bool or None
        ``dimension == number of players`` and the strictly individually
        rational part is nonempty: the condition of the n-player folk theorem.
    stage_equilibria : SolveResult
        Equilibria of the stage game (:func:`negotiation.solve`).
    exact : bool
        All numbers exact (exact game, minmax LPs rebuilt exactly).
    profiles : tuple of ProfileSustainability
        One entry per pure profile.
    discount : Fraction, float or None
    method : str
    messages : tuple of str
        The theorem as applied, and notes on how numbers were obtained.
    """

    game: Any = field(repr=False)
    minmax: dict
    minmax_profiles: tuple
    feasible_vertices: tuple
    individually_rational_vertices: tuple
    strictly_individually_rational: bool | None
    dimension: int
    full_dimensional: bool | None
    stage_equilibria: Any = field(repr=False)
    exact: bool = True
    profiles: tuple = field(repr=False, default=())
    discount: Any = None
    method: str = "folk theorem (Fudenberg-Maskin 1986) and grim trigger with Nash reversion (Friedman 1971)"
    messages: tuple = ()

    @property
    def parameters(self) -> dict:
        """The parameter values the stage game was built with."""
        return dict(self.game.values)

    @property
    def players(self) -> tuple:
        return self.game.players

    def profile(self, labels) -> ProfileSustainability:
        """The entry of one pure profile (strategy labels)."""
        labels = tuple(labels)
        for entry in self.profiles:
            if entry.profile == labels:
                return entry
        raise RepeatedGameError(f"profile: unknown pure profile {labels}")

    @property
    def sustainable(self) -> tuple:
        """Pure profiles sustainable for δ close to 1 (including stage equilibria)."""
        return tuple(e.profile for e in self.profiles if e.sustainable_near_one)

    def to_records(self) -> list:
        """One flat dict per pure profile, keyed by labels."""
        records = []
        for entry in self.profiles:
            record = {}
            if self.discount is not None:
                record["discount"] = self.discount
            record.update(zip(self.players, entry.profile))
            record.update({f"payoff {p}": v for p, v in zip(self.players, entry.payoffs)})
            record["stage Nash"] = entry.stage_nash
            record["strictly individually rational"] = entry.strictly_individually_rational
            record["folk theorem"] = entry.folk
            record["grim trigger critical discount"] = entry.grim_threshold
            if self.discount is not None:
                record["sustained by grim trigger"] = entry.sustained
            records.append(record)
        return records

    def _content(self) -> dict:
        return {
            "game": game_header(self.game),
            "minmax": {p: json_number(v) for p, v in self.minmax.items()},
            "minmax_profiles": [m.to_dict() for m in self.minmax_profiles],
            "feasible_set": [[json_number(x) for x in v] for v in self.feasible_vertices],
            "individually_rational_set": [[json_number(x) for x in v]
                                          for v in self.individually_rational_vertices],
            "strictly_individually_rational": self.strictly_individually_rational,
            "dimension": self.dimension,
            "full_dimensional": self.full_dimensional,
            "stage_equilibria": [e.to_dict() for e in self.stage_equilibria],
            "discount": json_number(self.discount) if self.discount is not None else None,
            "profiles": [e.to_dict(self.players) for e in self.profiles],
        }

    def summary_lines(self) -> list:
        """Minmax values, the feasible and individually rational payoffs, the stage equilibria (text lines)."""
        lines = ["Minmax values:"]
        lines.extend(f"  {m.describe()}" for m in self.minmax_profiles)
        if self.feasible_vertices:
            lines.append("Feasible payoffs: convex hull of "
                         + ", ".join(vector_text(v) for v in self.feasible_vertices))
            lines.append("Individually rational part (u ≥ minmax): "
                         + ("vertices " + ", ".join(vector_text(v) for v in self.individually_rational_vertices)
                            if self.individually_rational_vertices else "empty"))
        lines.append(f"Affine dimension of the feasible set: {self.dimension} (of {len(self.players)})")
        strict = {True: "nonempty", False: "empty", None: "undecided"}[self.strictly_individually_rational]
        lines.append(f"Strictly individually rational part (u > minmax): {strict}")
        nash = "; ".join(f"{e.profile.describe()} -> {vector_text(e.payoffs)}" for e in self.stage_equilibria)
        lines.append(f"Stage equilibria ({self.stage_equilibria.method}): {nash or 'none found'}")
        return lines

    def table(self) -> Table:
        """One row per pure profile: payoffs, the folk theorem's verdict, grim trigger's condition."""
        header = ["profile", "payoffs", "folk theorem", "grim trigger"]
        if self.discount is not None:
            header.append(word_cell(f"at δ = {number_text(self.discount)}"))
        rows = []
        for entry in self.profiles:
            row = [profile_text(entry.profile), vector_cell(entry.payoffs), word_cell(FOLK_VERDICTS[entry.folk][0]),
                   condition_cell(entry.grim_threshold)]
            if self.discount is not None:
                row.append(word_cell(_VERDICT_WORDS[entry.sustained]))
            rows.append(tuple(row))
        return Table(tuple(header), tuple(rows))

    def document(self) -> Document:
        heading = [*parameters_line(self.parameters), f"Method: {self.summary()}", *self.summary_lines()]
        blocks = [Text(tuple(heading)), self.table()]
        notes = [f"Grim trigger, {profile_text(e.profile)}: {e.grim_note}" for e in self.profiles if e.grim_note]
        if notes:
            blocks.append(Text(tuple(notes)))
        return Document(f"Folk theorem: {self.game.title or 'repeated game'}", tuple(blocks),
                        notes=tuple(self.messages))


# ---------------------------------------------------------------------- a [repetition] section
@dataclass(frozen=True)
class StrategyThreshold:
    """The critical discount factor of one repeated-game strategy for the target profile.

    Attributes
    ----------
    strategy : str
        ``"grim_trigger"`` or ``"tit_for_tat"``.
    threshold : Fraction, float or None
        ``δ*`` at the parameter values; ``None`` if the strategy cannot sustain
        the target (see ``note``).
    formula : sympy expression or None
        ``δ*`` in the scenario's parameters (valid where the payoffs are ordered
        as at the given values).
    sustained : bool or None
        Whether the scenario's discount factor satisfies ``δ ≥ δ*`` (``None``:
        no discount given, no threshold, or a finite horizon).
    condition : str
        ``"δ ≥ 1/3"`` and, with a symbolic discount, the condition in the parameters.
    note : str
    """

    strategy: str
    threshold: Any
    formula: Any
    sustained: bool | None
    condition: str
    note: str = ""

    @property
    def title(self) -> str:
        return STRATEGY_TITLES.get(self.strategy, self.strategy)

    def to_dict(self) -> dict:
        return {
            "strategy": self.strategy,
            "critical_discount": json_number(self.threshold) if self.threshold is not None else None,
            "formula": str(self.formula) if self.formula is not None else None,
            "condition": self.condition,
            "sustained": self.sustained,
            "note": self.note,
        }


@dataclass(frozen=True, eq=False)
class RepeatedAnalysis(Result):
    """The answer to a scenario's ``[repetition]`` section at one parameter point.

    Attributes
    ----------
    game : Game
        The numeric stage game at the parameter values.
    repetition : Repetition
        The terms of the repetition (:class:`negotiation.models.repeated.Repetition`).
    discount : Fraction, float or None
        The discount factor at the parameter values.
    thresholds : tuple of StrategyThreshold
        One per listed strategy.
    folk : FolkTheoremResult
    parameters : dict
        Parameter values used.
    finite : FiniteRepetitionResult or None
        When ``rounds`` is a number.
    messages : tuple of str
    """

    game: Any = field(repr=False)
    repetition: Any
    discount: Any
    thresholds: tuple
    folk: Any = field(repr=False)
    parameters: dict = field(default_factory=dict)
    finite: Any = field(repr=False, default=None)
    messages: tuple = ()

    #: The section's terms lead its JSON object, as in the file.
    _leading = ("target", "rounds", "discount", "punishment")

    @property
    def method(self) -> str:
        """What was computed: the listed strategies' thresholds, the folk theorem, finite repetition."""
        parts = [*(t.strategy for t in self.thresholds), "folk_theorem"]
        return " + ".join(parts + (["finitely_repeated"] if self.finite is not None else []))

    @property
    def exact(self) -> bool:
        return self.folk.exact and (self.finite is None or self.finite.exact)

    @property
    def target(self) -> tuple:
        return tuple(self.repetition.target)

    def threshold(self, strategy) -> StrategyThreshold:
        for entry in self.thresholds:
            if entry.strategy == strategy:
                return entry
        raise RepeatedGameError(f"strategy: {strategy!r} was not analysed")

    def _discount_text(self) -> str:
        text = getattr(self.repetition, "discount_text", None)
        if self.discount is None:
            return "not given"
        if text and text != number_text(self.discount):
            return f"{text} = {number_text(self.discount)}"
        return number_text(self.discount)

    def _rounds(self):
        return "infinite" if self.repetition.rounds is None else self.repetition.rounds

    def to_records(self) -> list:
        records = []
        for entry in self.thresholds:
            record = dict(self.parameters)
            record.update({f"target {p}": s for p, s in zip(self.game.players, self.target)})
            record["rounds"] = self._rounds()
            record["discount"] = self.discount
            record["strategy"] = entry.strategy
            record["critical discount"] = entry.threshold
            record["formula"] = str(entry.formula) if entry.formula is not None else None
            record["sustained"] = entry.sustained
            records.append(record)
        return records

    def _content(self) -> dict:
        punishment = self.repetition.punishment
        return {
            "target": dict(zip(self.game.players, self.target)),
            "rounds": self._rounds(),
            "discount": {"expression": getattr(self.repetition, "discount_text", None),
                         "value": json_number(self.discount) if self.discount is not None else None},
            "punishment": punishment if isinstance(punishment, str) else dict(zip(self.game.players, punishment)),
            "strategies": [t.to_dict() for t in self.thresholds],
            "folk_theorem": self.folk.to_dict(),
            "finite": self.finite.to_dict() if self.finite is not None else None,
        }

    def table(self) -> Table:
        """One row per strategy: the critical δ, in the parameters, and whether this δ sustains the target."""
        rows = []
        for t in self.thresholds:
            value = word_cell("—") if t.threshold is None else number_cell(t.threshold)
            formula = word_cell("—") if t.formula is None else t.formula
            rows.append((t.title, value, formula, word_cell(_VERDICT_WORDS[t.sustained])))
        return Table(("strategy", word_cell("critical δ"), "in the parameters", word_cell("at this δ")), tuple(rows))

    def document(self) -> Document:
        punishment = self.repetition.punishment
        heading = [*parameters_line(self.parameters),
                   "Punishment: " + ("the worst pure stage equilibrium for the deviator (Nash reversion)"
                                     if punishment == "nash" else profile_text(punishment))]
        blocks = [Text(tuple(heading)), self.table()]
        explanations = []
        for t in self.thresholds:
            if t.note:
                explanations.append(f"{t.title}: {t.note}")
            if t.threshold is not None and t.condition:
                explanations.append(f"{t.title}: {t.condition}")
        if explanations:
            blocks.append(Text(tuple(explanations)))
        entry = self.folk.profile(self.target)
        blocks.append(Text((f"Folk theorem for {profile_text(self.target)} {vector_text(entry.payoffs)}: "
                            f"{FOLK_VERDICTS[entry.folk][1]}", *self.folk.summary_lines())))
        if self.finite is not None:
            blocks.extend(inline_blocks(self.finite.document()))
        horizon = "infinitely repeated" if self.repetition.rounds is None else f"{self.repetition.rounds} rounds"
        return Document(f"Repeated game: {self.game.title or 'stage game'}, target {profile_text(self.target)}, "
                        f"{horizon}, δ = {self._discount_text()}", tuple(blocks), notes=tuple(self.messages))
