"""Claims in scenario files: the headline conclusions of a model, as named predicates on its result.

A scenario file may end with an array of ``[[claims]]`` tables, each a sentence a reader sees and the
predicates that must all hold on the model's result at a parameter point for the sentence to be true::

    [[claims]]
    id = "pd"
    text = "At the defaults the game is a Prisoner's Dilemma: both deploy."
    holds = { classification = "Prisoner's Dilemma", equilibrium = ["Deploy", "Deploy"], equilibria = 1 }

``negotiation robustness MODEL`` (:func:`negotiation.robustness`) then reports where in the documented
parameter space each claim holds. The claims are data, read like the rest of the file: nothing is executed.

The predicate vocabulary
------------------------
Each key of ``holds``, its value, and when it holds:

- ``classification`` (a classic-game name): the symmetric 2×2 game is of that class, as ``negotiation
  solve`` names it (``"Prisoner's Dilemma"``, ``"Stag Hunt"``, ``"Chicken"``, ``"Harmony"``, ``"Deadlock"``).
- ``equilibrium`` (strategy labels, in player order): this pure profile is an equilibrium.
- ``equilibria`` (a whole number): the model has exactly that many equilibria.
- ``mixed`` (true or false): some equilibrium is (is not) properly mixed.
- ``outcome`` (the actions of a path, from the root): in a subgame-perfect equilibrium of the tree the
  play starts with these actions with probability 1 (chance moves included as their labels; a shorter
  list is a prefix of every path played).
- ``zone`` (``"exists"`` or ``"empty"``): the bargaining zone of agreement (agreements that beat no deal
  for every party).
- ``linkage_gain`` (``"both"`` or ``"not both"``): the package gains over settling issue by issue for both
  parties (Nash rule).
- ``solution_terms`` (a table ``{solution, issue, at_least, at_most}``): that bargaining solution's term on
  that issue lies in ``[at_least, at_most]`` (either bound may be left out).
- ``stable`` (true or false): the Richardson steady state of the file's ``[dynamics]`` is asymptotically
  stable.
- ``interior`` (true or false): every equilibrium choice of the continuous game is interior (no bound
  binds).
- ``critical_discount_below`` (a number such as ``"9/10"``): the smallest critical discount factor of the
  ``[repetition]`` strategies is below it.
- ``sustained`` (true or false): some strategy of ``[repetition]`` sustains its target at the point's
  discount factor.
- ``pooling``, ``separating`` (true or false): some equilibrium of the signaling game pools, separates.
- ``core`` (``"nonempty"`` or ``"empty"``): the cooperative game's core (a least-core value ≤ 0 means a
  non-empty core).

Unknown keys and malformed values are one-line :class:`~negotiation.scenario.model.ScenarioError`\\ s at
load. Whether a predicate applies to the model's kind is decided when the claim is evaluated
(:mod:`negotiation.sweeps.robustness`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from negotiation.core.labels import normalise_label
from negotiation.scenario.model import ScenarioError

__all__ = ["MAX_CLAIMS", "PREDICATES", "Claim", "check_claim_labels", "parse_claims"]

#: Claims in one scenario file. The bundled files declare one to four; each claim is evaluated at every
#: sampled point of a robustness run, so the run's work grows with their number.
MAX_CLAIMS = 32

CLAIM_KEYS = {"id", "text", "holds"}


@dataclass(frozen=True)
class Claim:
    """A headline conclusion of a scenario: an id, the sentence a reader sees, and its predicates.

    Attributes
    ----------
    id : str
        A short name (an identifier), unique in the file.
    text : str
        The sentence the claim stands for.
    holds : tuple of (str, object)
        The predicates, ``(key, value)`` in the file's order; values are normalised (numbers as
        :class:`~fractions.Fraction`, label lists as tuples).
    """

    id: str
    text: str
    holds: tuple

    def predicates(self) -> dict:
        """The predicates as a dict (key -> value)."""
        return dict(self.holds)

    def describe(self) -> str:
        """``classification = Prisoner's Dilemma; equilibria = 1`` — the predicates in one line."""
        def shown(value):
            if isinstance(value, tuple):
                return "(" + ", ".join(str(v) for v in value) + ")"
            if isinstance(value, dict):
                return "{" + ", ".join(f"{k} = {v}" for k, v in value.items()) + "}"
            return str(value).lower() if isinstance(value, bool) else str(value)
        return "; ".join(f"{key} = {shown(value)}" for key, value in self.holds)


def _choice(*allowed):
    def read(value, where):
        if value not in allowed:
            raise ScenarioError(f"{where}: expected {' or '.join(repr(a) for a in allowed)}, found {_short(value)}")
        return value
    return read


def _boolean(value, where):
    if not isinstance(value, bool):
        raise ScenarioError(f"{where}: expected true or false, found {_short(value)}")
    return value


def _count(value, where):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
        raise ScenarioError(f"{where}: expected a whole number from 0 to 1000000, found {_short(value)}")
    return value


def _text(value, where):
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ScenarioError(f"{where}: expected a non-empty string of at most 200 characters, found {_short(value)}")
    return normalise_label(value.strip(), where=where, what="label", error=ScenarioError)


def _labels(value, where):
    if not isinstance(value, list) or not value or len(value) > 64:
        raise ScenarioError(f"{where}: expected a list of 1 to 64 strategy or action labels, found {_short(value)}")
    return tuple(_text(item, f"{where}[{k}]") for k, item in enumerate(value))


def _number(value, where):
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: expected a number such as 9/10, found {value}")
    if isinstance(value, (int, float)):
        return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if isinstance(value, str) and len(value) <= 60:
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise ScenarioError(f"{where}: expected a number such as 9/10 or 0.9, found {_short(value)}")


TERMS_KEYS = {"solution", "issue", "at_least", "at_most"}


def _terms(value, where):
    if not isinstance(value, dict) or set(value) - TERMS_KEYS or not {"solution", "issue"} <= set(value):
        raise ScenarioError(f"{where}: expected a table with solution, issue and at_least and/or at_most, "
                            f"found {_short(value)}")
    if "at_least" not in value and "at_most" not in value:
        raise ScenarioError(f"{where}: expected at_least or at_most (or both)")
    terms = {"solution": _text(value["solution"], f"{where}.solution"), "issue": _text(value["issue"], f"{where}.issue")}
    for bound in ("at_least", "at_most"):
        if bound in value:
            terms[bound] = _number(value[bound], f"{where}.{bound}")
    return terms


#: The predicate vocabulary: key -> reader of its value (see the module docstring).
PREDICATES = {
    "classification": _text,
    "equilibrium": _labels,
    "equilibria": _count,
    "mixed": _boolean,
    "outcome": _labels,
    "zone": _choice("exists", "empty"),
    "linkage_gain": _choice("both", "not both"),
    "solution_terms": _terms,
    "stable": _boolean,
    "interior": _boolean,
    "critical_discount_below": _number,
    "sustained": _boolean,
    "pooling": _boolean,
    "separating": _boolean,
    "core": _choice("nonempty", "empty"),
}


def _short(value) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def parse_claims(items, source: str) -> tuple:
    """The ``[[claims]]`` of a scenario file as :class:`Claim`\\ s; one-line errors naming the field.

    Examples
    --------
    >>> claims = parse_claims([{"id": "pd", "text": "It is a Prisoner's Dilemma.",
    ...                         "holds": {"classification": "Prisoner's Dilemma", "equilibria": 1}}], "f.toml")
    >>> claims[0].describe()
    "classification = Prisoner's Dilemma; equilibria = 1"
    >>> parse_claims([{"id": "pd", "text": "x", "holds": {"colour": "red"}}], "f.toml")
    Traceback (most recent call last):
        ...
    negotiation.scenario.model.ScenarioError: f.toml: claims[0].holds: unknown predicate 'colour' (expected one of: classification, core, critical_discount_below, equilibria, equilibrium, interior, linkage_gain, mixed, outcome, pooling, separating, solution_terms, stable, sustained, zone)
    """
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ScenarioError(f"{source}: claims: expected [[claims]] tables with id, text and holds")
    if len(items) > MAX_CLAIMS:
        raise ScenarioError(f"{source}: claims: {len(items)} claims; at most {MAX_CLAIMS} (MAX_CLAIMS)")
    claims, seen = [], set()
    for index, item in enumerate(items):
        where = f"{source}: claims[{index}]"
        unknown = sorted(set(item) - CLAIM_KEYS)
        if unknown:
            raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: holds, id, text)")
        for key in ("id", "text", "holds"):
            if key not in item:
                raise ScenarioError(f"{where}: missing {key!r}")
        claim_id = item["id"]
        if not isinstance(claim_id, str) or not claim_id.isidentifier() or len(claim_id) > 60:
            raise ScenarioError(f"{where}.id: expected an identifier (letters, digits, _), found {_short(claim_id)}")
        if claim_id in seen:
            raise ScenarioError(f"{where}.id: {claim_id!r} is declared twice")
        seen.add(claim_id)
        text = item["text"]
        if not isinstance(text, str) or not text.strip():
            raise ScenarioError(f"{where}.text: expected a non-empty string")
        holds = item["holds"]
        if not isinstance(holds, dict) or not holds:
            raise ScenarioError(f"{where}.holds: expected a table of predicates, e.g. "
                                "holds = { classification = \"Prisoner's Dilemma\" }")
        predicates = []
        for key, value in holds.items():
            if key not in PREDICATES:
                raise ScenarioError(f"{where}.holds: unknown predicate {key!r} "
                                    f"(expected one of: {', '.join(sorted(PREDICATES))})")
            predicates.append((key, PREDICATES[key](value, f"{where}.holds.{key}")))
        claims.append(Claim(claim_id, " ".join(text.split()), tuple(predicates)))
    return tuple(claims)


def check_claim_labels(claims, game, source: str) -> None:
    """Refuse an ``equilibrium`` predicate whose labels are not strategies of the players, in order
    (strategic-form models only: other models have no strategy lists to check against)."""
    strategies = getattr(game, "strategies", None)
    players = getattr(game, "players", None)
    if strategies is None or players is None or not isinstance(strategies, tuple):
        return
    for index, claim in enumerate(claims):
        labels = claim.predicates().get("equilibrium")
        if labels is None:
            continue
        where = f"{source}: claims[{index}].holds.equilibrium"
        if len(labels) != len(players):
            raise ScenarioError(f"{where}: expected {len(players)} strategy labels (one per player: "
                                f"{', '.join(players)}), found {len(labels)}")
        for player, own, label in zip(players, strategies, labels):
            if label not in own:
                raise ScenarioError(f"{where}: {label!r} is not a strategy of {player} "
                                    f"(expected one of: {', '.join(own)})")
