"""Scenario files of ``kind = "bargaining"``: a parametric bargaining problem written as data.

The file shares the header, ``[parameters]``, ``[derived]`` and
``[[assumptions]]`` sections of every scenario file (``models/README.md``) and
adds:

``parties``
    Party labels, e.g. ``["NATO", "Russia"]``.
``[issues.NAME]`` and ``[utilities]``
    An issue space. A continuous issue has ``range = [low, high]`` (and
    ``unit``); a discrete one ``options = ["ban", "moratorium"]`` (numeric
    values 0, 1, … in formulas) or ``options = {ban = 0, moratorium = 5}``.
    Both take ``label``, ``description``, ``source`` and ``confidence``.
    ``[utilities]`` gives each party either one formula over the issues and
    parameters (``NATO = "sqrt(troops/1000)"``), or a table of additive
    scores (Raiffa): ``[utilities.NATO]`` with one entry per issue -- a
    formula, or for a discrete issue a table ``{option = score}`` -- and an
    optional ``base`` formula.
``[[packages]]``
    A finite list of packages: ``label``, optional ``description``, and one
    utility (number or formula) per party.
``[polytope]``
    ``vertices = [[u1, u2], …]`` (optional ``labels``), or
    ``inequalities = ["NATO + Russia <= 1", …]`` (linear in the party names).
``lotteries``
    ``true`` to allow lotteries over packages (the convex hull).
``[disagreement]``
    Either one number or formula per party, or the payoffs of a pure
    equilibrium of another scenario::

        [disagreement]
        scenario = "security_dilemma"          # bundled name, or a path relative to this file
        equilibrium = "Deploy, Deploy"         # its labelled pure profile
        values = { omega = "omega", k = "k" }  # its parameters as formulas in ours (others: its defaults)
        players = { NATO = "NATO", Russia = "Russia" }   # our party -> its player (default: same names)

    The equilibrium must exist at every parameter point used; where it
    does not, the point is rejected with a one-line error.
``[weights]``
    Nash bargaining weights by party (numbers or formulas; default equal).

Every formula goes through :func:`negotiation.scenario.parse_expression`;
errors are one line naming the file and the field
(:class:`negotiation.scenario.ScenarioError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Mapping

import sympy

from negotiation.bargaining.issue_by_issue import issue_by_issue
from negotiation.bargaining.sensitivity import sensitivity, zone_thresholds
from negotiation.core.expressions import ExpressionError, parse_condition, parse_expression
from negotiation.core.labels import normalise_label, normalise_labels
from negotiation.core.numeric import format_number
from negotiation.core.parameters import CONFIDENCE_TAGS
from negotiation.models.bargaining import (BargainingError, BargainingProblem, Issue, IssueSpace, Packages, Polytope,
                                           as_sympy)
from negotiation.results.bargaining import BargainingResult, Sensitivity
from negotiation.results.linkage import IssueByIssueResult
from negotiation.scenario.loader import (load, parse_assumptions, parse_derived, parse_parameters,
                                         read_number, read_string, read_toml, register_kind, resolve_path, SCHEMA)
from negotiation.scenario.model import (describe_derived, describe_footer, describe_header, describe_parameters,
                                        Scenario, ScenarioError)
from negotiation.solvers.front_door import solve

__all__ = ["BargainingScenario", "parse_bargaining", "TOP_LEVEL_KEYS"]

TOP_LEVEL_KEYS = {"schema", "id", "title", "kind", "description", "references", "parties", "parameters",
                  "derived", "issues", "utilities", "packages", "polytope", "lotteries", "disagreement",
                  "weights", "assumptions", "notes", "status_quo"}
ISSUE_KEYS = {"label", "range", "options", "unit", "description", "source", "confidence"}
DISAGREEMENT_REFERENCE_KEYS = {"scenario", "equilibrium", "values", "players"}


# ---------------------------------------------------------------------- the scenario
@dataclass(frozen=True, eq=False)
class _EquilibriumReference:
    """The disagreement point taken from a pure equilibrium of another (normal-form) scenario."""

    scenario: object
    profile: tuple
    formulas: Mapping          # its parameter name -> formula in our parameters
    players: Mapping           # our party -> its player
    where: str

    def values_at(self, resolved: Mapping) -> dict:
        """The other scenario's parameter values at our resolved values."""
        ours = {}
        for name, formula in self.formulas.items():
            replacement = {s: as_sympy(resolved[s.name]) for s in formula.free_symbols if s.name in resolved}
            value = formula.xreplace(replacement)
            ours[name] = Fraction(int(value.p), int(value.q)) if isinstance(value, sympy.Rational) else float(value)
        return ours

    def check(self, resolved: Mapping) -> None:
        """Raise ScenarioError unless the profile is an equilibrium at these values."""
        values = self.values_at(resolved)
        result = solve(self.scenario, values=values)
        labels = [tuple(e.profile.support(p)[0] for p in result.game.players) for e in result.pure]
        if self.profile not in labels:
            found = "; ".join(", ".join(x) for x in labels) or "only mixed equilibria"
            shown = ", ".join(f"{k} = {format_number(v)}" for k, v in values.items()) or "its defaults"
            raise ScenarioError(
                f"{self.where}: ({', '.join(self.profile)}) is not an equilibrium of {self.scenario.id} at "
                f"{shown} (equilibria there: {found}), so it cannot serve as the no-deal point"
            )

    def describe(self) -> str:
        mapped = ", ".join(f"{k} = {v}" for k, v in self.formulas.items())
        return (f"no-deal point: payoffs of the equilibrium ({', '.join(self.profile)}) of "
                f"{self.scenario.id} ({self.scenario.title})" + (f" with {mapped}" if mapped else ""))


@dataclass(frozen=True, eq=False)
class BargainingScenario(Scenario):
    """A parametric bargaining problem loaded from a ``kind = "bargaining"`` file.

    The scenario's model (``game``, also ``problem``) is the parametric :class:`BargainingProblem`;
    :meth:`problem_at` gives the numeric problem at given parameter values (defaults for the others,
    checked against the ranges, the assumptions and the no-deal reference) and ``solve`` (or
    :meth:`bargain`) the full analysis.

    Examples
    --------
    >>> import negotiation as ng
    >>> scenario = ng.load("infrastructure_limits")
    >>> scenario.problem.parties
    ('NATO', 'Russia')
    >>> scenario.bargain().zone.empty
    False
    """

    reference: _EquilibriumReference | None = None
    status_quo: Mapping | None = None

    model_errors = (BargainingError,)
    substitute_always = True  # the numeric problem records the point it was built at

    @property
    def problem(self) -> BargainingProblem:
        """The parametric bargaining problem (the scenario's model)."""
        return self.game

    @property
    def parties(self) -> tuple:
        return self.game.parties

    def model_at_resolved(self, resolved: Mapping) -> BargainingProblem:
        """The numeric problem at values already resolved; the no-deal reference must hold there."""
        if self.reference is not None:
            self.reference.check(resolved)
        return super().model_at_resolved(resolved)

    def problem_at(self, values: Mapping | None = None) -> BargainingProblem:
        """The numeric bargaining problem at ``values`` (others at their defaults)."""
        return self.game_at(values)

    def bargain(self, values: Mapping | None = None, solution="all", **options) -> BargainingResult:
        """Zone, frontier and solutions at ``values``: ``ng.solve(self, values=values, solution=solution)``."""
        return self.solve(values, solution=solution, **options)

    def sensitivity(self, parameter: str, values: Mapping | None = None, **options) -> Sensitivity:
        """The zone and the solutions as ``parameter`` varies (:func:`negotiation.bargaining.sensitivity`);
        points the scenario rejects (ranges, assumptions, the no-deal reference) are reported as undefined."""
        return sensitivity(self.problem, parameter, values, problem_at=self.problem_at, **options)

    def zone_thresholds(self, parameter: str, values: Mapping | None = None, **options) -> list:
        """Where the zone opens or closes as ``parameter`` varies (:func:`negotiation.bargaining.zone_thresholds`)."""
        return zone_thresholds(self.problem, parameter, values, problem_at=self.problem_at, **options)

    def issue_by_issue(self, values: Mapping | None = None, solution: str = "nash", *,
                       status_quo: Mapping | None = None) -> IssueByIssueResult:
        """Each issue settled alone against the package (:func:`negotiation.bargaining.issue_by_issue`);
        the status quo defaults to the file's ``[status_quo]``, and issues left out of ``status_quo``
        keep the file's value (``status_quo={"membership": "deferred"}`` changes one issue)."""
        if status_quo is not None and self.status_quo is not None:
            status_quo = {**self.status_quo, **status_quo}
        status_quo = status_quo if status_quo is not None else self.status_quo
        return issue_by_issue(self.problem_at(values), solution, status_quo=status_quo)

    def describe(self, values: Mapping | None = None) -> str:
        """Parameters, issues, utilities, no-deal point, assumptions and sources, as text (``negotiation show``)."""
        problem = self.problem
        lines = describe_header(self)
        lines += ["", f"Kind: bargaining; parties: {', '.join(problem.parties)}"]
        lines += describe_parameters(self.parameters)
        lines += describe_derived(self)
        lines += _describe_agreements(problem)
        lines += ["", "No-deal point: " + ", ".join(f"{p} = {v}" for p, v in zip(problem.parties, problem.disagreement))]
        if self.reference is not None:
            lines.append(f"  ({self.reference.describe()})")
        numeric = self.problem_at(values)
        shown = ", ".join(f"{k} = {format_number(v)}" for k, v in numeric.values.items())
        lines.append("  at " + (shown or "the defaults") + ": " + ", ".join(
            f"{p} {format_number(v) if not hasattr(v, 'free_symbols') else v}"
            for p, v in zip(numeric.parties, numeric.disagreement)))
        if problem.weights is not None:
            lines += ["", "Nash bargaining weights: " + ", ".join(f"{p} = {w}" for p, w in zip(problem.parties, problem.weights))]
        lines += describe_footer(self)
        return "\n".join(lines)


def _describe_agreements(problem) -> list[str]:
    """``negotiation show``'s lines on the agreements: issues and utilities, packages, or the polytope."""
    agreements = problem.agreements
    if isinstance(agreements, IssueSpace):
        lines = ["", "Issues:"]
        for issue in agreements.issues:
            if issue.kind == "continuous":
                span = f"{format_number(issue.low)}–{format_number(issue.high)} {issue.unit}".rstrip()
            else:
                span = "options: " + ", ".join(issue.options)
            lines.append(f"  {issue.name}: {issue.title} ({span})")
            if issue.source:
                lines.append(f"      source: {issue.source} [{issue.confidence}]")
        lines += ["", "Utilities:"]
        for party, utility, scores in zip(problem.parties, agreements.utilities, agreements.scores):
            lines.append(f"  {party} = {utility}")
            for issue_name, table in scores.items():
                shown = ", ".join(f"{o}: {v}" for o, v in table.items())
                lines.append(f"      + score for {issue_name} ({shown})")
        return lines
    if isinstance(agreements, Packages):
        return ["", "Packages:"] + [f"  {label}: " + ", ".join(f"{p} {v}" for p, v in zip(problem.parties, row))
                                    for label, row in zip(agreements.labels, agreements.utilities)]
    lines = ["", "Polytope:"]
    lines += ["  vertex (" + ", ".join(str(v) for v in row) + ")" for row in agreements.vertices]
    lines += ["  " + " + ".join(f"{c}*{p}" for c, p in zip(a, problem.parties)) + f" <= {b}"
              for a, b in agreements.inequalities]
    return lines


# ---------------------------------------------------------------------- loading


@register_kind("bargaining")
def parse_bargaining(data: Mapping, source: str = "<scenario>") -> BargainingScenario:
    """Build a :class:`BargainingScenario` from the parsed TOML of a ``kind = "bargaining"`` file."""
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise ScenarioError(f"{source}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(TOP_LEVEL_KEYS))})")
    if data.get("schema") != SCHEMA:
        raise ScenarioError(f"{source}: schema: expected {SCHEMA!r}, found {data.get('schema')!r}")
    if data.get("kind") != "bargaining":
        raise ScenarioError(f"{source}: kind: expected 'bargaining', found {data.get('kind')!r}")
    scenario_id = read_string(data, "id", source)
    title = read_string(data, "title", source)
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{source}: description: expected a string")
    references = data.get("references", [])
    if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
        raise ScenarioError(f"{source}: references: expected a list of strings")
    parties = _parties(data.get("parties"), source)
    parameters = parse_parameters(data.get("parameters", {}), source)
    symbols = parameters.symbols
    derived = parse_derived(data.get("derived", {}), symbols, source)
    names = {**symbols, **derived}
    for party in parties:
        if party in names:
            raise ScenarioError(f"{source}: parties: {party!r} is also a parameter or derived name")
    lotteries = data.get("lotteries", False)
    if not isinstance(lotteries, bool):
        raise ScenarioError(f"{source}: lotteries: expected true or false")

    given = [key for key in ("issues", "packages", "polytope") if key in data]
    if len(given) != 1:
        raise ScenarioError(f"{source}: give the agreements as exactly one of [issues] (with [utilities]), "
                            f"[[packages]] or [polytope]" + (f" (found: {', '.join(given)})" if given else ""))
    if "utilities" in data and given[0] != "issues":
        raise ScenarioError(f"{source}: utilities: only used with [issues]; packages carry their own utilities")
    if given[0] == "issues":
        agreements = _issue_space(data, parties, names, lotteries, source)
    elif given[0] == "packages":
        agreements = _packages(data["packages"], parties, names, lotteries, source)
    else:
        agreements = _polytope(data["polytope"], parties, names, source)

    disagreement, reference = _disagreement(data.get("disagreement"), parties, names, symbols, source)
    weights = _weights(data.get("weights"), parties, names, source)
    assumptions = parse_assumptions(data.get("assumptions", []), names, source)
    notes = (reference.describe(),) if reference is not None else ()
    try:
        problem = BargainingProblem(parties, agreements, disagreement, title=title, weights=weights,
                                    parameters=parameters, notes=notes)
    except BargainingError as error:
        raise ScenarioError(f"{source}: {error}") from None
    status_quo = _status_quo(data.get("status_quo"), agreements, given[0], source)
    scenario = BargainingScenario(
        id=scenario_id, title=title, kind="bargaining", game=problem, parameters=parameters,
        description=description.strip(),
        assumptions=assumptions, references=tuple(references), derived=derived, reference=reference,
        source=Path(source) if source != "<scenario>" else None, status_quo=status_quo,
    )
    if len(parameters.defaults) == len(parameters):
        scenario.problem_at()  # the defaults must make a valid problem
    return scenario


# ---------------------------------------------------------------------- sections
def _status_quo(table, agreements, representation, source):
    """``[status_quo]``: each issue's value without a treaty (for issue-by-issue bargaining)."""
    if table is None:
        return None
    if representation != "issues":
        raise ScenarioError(f"{source}: status_quo: only for [issues] (the issue values without a treaty)")
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: status_quo: expected a table issue = value")
    issues = {issue.name: issue for issue in agreements.issues}
    values = {}
    for name, value in table.items():
        issue = issues.get(name)
        if issue is None:
            raise ScenarioError(f"{source}: status_quo.{name}: not an issue ({', '.join(issues)})")
        if issue.kind == "discrete":
            value = normalise_label(value, where=f"{source}: status_quo.{name}", what="option", error=ScenarioError)
            if value not in issue.options:
                raise ScenarioError(f"{source}: status_quo.{name}: expected one of {', '.join(issue.options)}, "
                                    f"found {value!r}")
            values[name] = value
        else:
            number = read_number(value, f"{source}: status_quo.{name}")
            if not issue.low <= number <= issue.high:
                raise ScenarioError(f"{source}: status_quo.{name}: {format_number(number)} is outside the issue's "
                                    f"range [{format_number(issue.low)}, {format_number(issue.high)}]")
            values[name] = number
    missing = [name for name in issues if name not in values]
    if missing:
        raise ScenarioError(f"{source}: status_quo.{missing[0]}: missing (give every issue's value without a treaty)")
    return values


def _parties(value, source) -> tuple:
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(p, str) and p.strip() for p in value):
        raise ScenarioError(f"{source}: parties: expected a list of at least two party labels")
    if len(set(value)) != len(value):
        duplicate = next(p for p in value if value.count(p) > 1)
        raise ScenarioError(f"{source}: parties: {duplicate!r} is listed twice")
    return normalise_labels(value, where=f"{source}: parties", what="party name", error=ScenarioError)


def _formula(value, names, where):
    """A number or formula string -> sympy expression (exact)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = read_number(value, where)
        return sympy.Rational(number.numerator, number.denominator)
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: expected a number or a formula string, found {value!r}")
    try:
        result = parse_expression(value, names, where=where)
    except ExpressionError as error:
        raise ScenarioError(str(error)) from None
    if not isinstance(result, sympy.Expr):
        raise ScenarioError(f"{where}: expected a value, got the condition {value!r}")
    return result


def _issues(data, parties, names, source) -> list:
    """``[issues.NAME]``: continuous issues (``range``) and discrete ones (``options``)."""
    table = data["issues"]
    if not isinstance(table, dict) or not table:
        raise ScenarioError(f"{source}: issues: expected one [issues.NAME] table per issue")
    issues = []
    for name, spec in table.items():
        where = f"{source}: issues.{name}"
        if not name.isidentifier():
            raise ScenarioError(f"{where}: issue names must be identifiers (letters, digits, _)")
        if name in names or name in parties or name == "base":
            raise ScenarioError(f"{where}: the name is already used by a parameter, a party or 'base'")
        if not isinstance(spec, dict):
            raise ScenarioError(f"{where}: expected a table with range (continuous) or options (discrete)")
        unknown = sorted(set(spec) - ISSUE_KEYS)
        if unknown:
            raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: {', '.join(sorted(ISSUE_KEYS))})")
        for key in ("label", "unit", "description", "source"):
            if key in spec and not isinstance(spec[key], str):
                raise ScenarioError(f"{where}.{key}: expected a string")
        confidence = spec.get("confidence", "assumption")
        if not isinstance(confidence, str) or confidence not in CONFIDENCE_TAGS:
            raise ScenarioError(f"{where}.confidence: expected one of {', '.join(CONFIDENCE_TAGS)}, found {confidence!r}")
        details = {k: spec[k] for k in ("label", "unit", "description", "source") if k in spec}
        details["confidence"] = confidence
        if ("range" in spec) == ("options" in spec):
            raise ScenarioError(f"{where}: give either range = [low, high] (continuous) or options (discrete)")
        try:
            if "range" in spec:
                bounds = spec["range"]
                if not isinstance(bounds, list) or len(bounds) != 2:
                    raise ScenarioError(f"{where}.range: expected [low, high]")
                low, high = (read_number(b, f"{where}.range") for b in bounds)
                if low > high:
                    raise ScenarioError(f"{where}.range: low {format_number(low)} is above high {format_number(high)}")
                issues.append(Issue.continuous(name, low, high, **details))
            else:
                options = spec["options"]
                if isinstance(options, dict):
                    labels = list(options)
                    values = [read_number(v, f"{where}.options.{k}") for k, v in options.items()]
                elif isinstance(options, list):
                    labels, values = options, None
                else:
                    raise ScenarioError(f"{where}.options: expected a list of labels or a table label = value")
                if not labels or not all(isinstance(o, str) and o.strip() for o in labels):
                    raise ScenarioError(f"{where}.options: expected non-empty option labels")
                labels = list(normalise_labels(labels, where=f"{where}.options", what="option label",
                                               error=ScenarioError))
                issues.append(Issue.discrete(name, labels, values, **details))
        except BargainingError as error:
            raise ScenarioError(f"{where}: {str(error).split(': ', 1)[-1]}") from None
    return issues


def _issue_space(data, parties, names, lotteries, source) -> IssueSpace:
    """``[issues]`` with ``[utilities]``: one formula per party, or additive scores per issue."""
    issues = _issues(data, parties, names, source)
    by_name = {i.name: i for i in issues}
    issue_symbols = {i.name: i.symbol for i in issues}
    utilities_table = data.get("utilities")
    if not isinstance(utilities_table, dict):
        raise ScenarioError(f"{source}: utilities: expected [utilities] with one entry per party")
    unknown = [k for k in utilities_table if k not in parties]
    if unknown:
        raise ScenarioError(f"{source}: utilities.{unknown[0]}: not a party ({', '.join(parties)})")
    utilities, scores = [], []
    for party in parties:
        where = f"{source}: utilities.{party}"
        if party not in utilities_table:
            raise ScenarioError(f"{where}: missing (every party needs a utility)")
        spec = utilities_table[party]
        if isinstance(spec, dict):
            total, party_scores = _additive_utility(spec, by_name, names, issue_symbols, where)
        else:
            total, party_scores = _formula(spec, {**names, **issue_symbols}, where), {}
        utilities.append(total)
        scores.append(party_scores)
    return IssueSpace(tuple(issues), tuple(utilities), tuple(scores), lotteries)


def _additive_utility(spec, by_name, names, issue_symbols, where):
    """``[utilities.PARTY]`` as additive scores: ``(the formula part, the option scores per discrete issue)``."""
    party_scores = {}
    total = _formula(0, {}, where)
    for key, value in spec.items():
        item = f"{where}.{key}"
        if key != "base" and key not in by_name:
            raise ScenarioError(f"{item}: not an issue ({', '.join(by_name)}) or 'base'")
        if isinstance(value, dict):
            issue = by_name.get(key)
            if issue is None or issue.kind != "discrete":
                raise ScenarioError(f"{item}: an option table is only for discrete issues")
            missing = [o for o in issue.options if o not in value]
            extra = [o for o in value if o not in issue.options]
            if extra:
                raise ScenarioError(f"{item}: unknown option {extra[0]!r} (options: {', '.join(issue.options)})")
            if missing:
                raise ScenarioError(f"{item}: no score for option {missing[0]!r}")
            party_scores[key] = {o: _formula(value[o], names, f"{item}.{o}") for o in issue.options}
        else:
            total = total + _formula(value, {**names, **issue_symbols}, item)
    return total, party_scores


def _packages(items, parties, names, lotteries, source) -> Packages:
    if not isinstance(items, list) or not items:
        raise ScenarioError(f"{source}: packages: expected [[packages]] tables with label and one utility per party")
    labels, rows, descriptions = [], [], []
    for k, item in enumerate(items):
        where = f"{source}: packages[{k}]"
        if not isinstance(item, dict):
            raise ScenarioError(f"{where}: expected a table")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise ScenarioError(f"{where}.label: expected a non-empty string")
        label = normalise_label(label, where=f"{where}.label", what="package label", error=ScenarioError)
        where = f"{source}: packages.\"{label}\""
        if label in labels:
            raise ScenarioError(f"{where}: the label is used twice")
        unknown = [key for key in item if key not in ("label", "description", *parties)]
        if unknown:
            raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected label, description and the parties "
                                f"{', '.join(parties)})")
        missing = [p for p in parties if p not in item]
        if missing:
            raise ScenarioError(f"{where}: no utility for {missing[0]!r}")
        labels.append(label)
        rows.append(tuple(_formula(item[p], names, f"{where}.{p}") for p in parties))
        description = item.get("description", "")
        if not isinstance(description, str):
            raise ScenarioError(f"{where}.description: expected a string")
        descriptions.append(description)
    return Packages(tuple(labels), tuple(rows), lotteries, tuple(descriptions) if any(descriptions) else ())


def _polytope(spec, parties, names, source) -> Polytope:
    where = f"{source}: polytope"
    if not isinstance(spec, dict) or set(spec) - {"vertices", "labels", "inequalities"}:
        raise ScenarioError(f"{where}: expected vertices = [[…], …] (with optional labels) or inequalities = [\"…\"]")
    if ("vertices" in spec) == ("inequalities" in spec):
        raise ScenarioError(f"{where}: give either vertices or inequalities")
    if "vertices" in spec:
        vertices = []
        for k, row in enumerate(spec["vertices"] if isinstance(spec["vertices"], list) else [None]):
            if not isinstance(row, list) or len(row) != len(parties):
                raise ScenarioError(f"{where}.vertices[{k}]: expected a list of {len(parties)} utilities (one per party)")
            vertices.append(tuple(_formula(v, names, f"{where}.vertices[{k}]") for v in row))
        labels = spec.get("labels", [])
        if not isinstance(labels, list) or (labels and len(labels) != len(vertices)) or not all(
                isinstance(x, str) for x in labels):
            raise ScenarioError(f"{where}.labels: expected one label per vertex")
        labels = normalise_labels(labels, where=f"{where}.labels", what="vertex label", error=ScenarioError)
        return Polytope(vertices=tuple(vertices), labels=tuple(labels))
    if not all(p.isidentifier() for p in parties):
        raise ScenarioError(f"{where}.inequalities: party labels must be identifiers to appear in formulas")
    utility = {p: sympy.Symbol(p, real=True) for p in parties}
    inequalities = []
    items = spec["inequalities"]
    if not isinstance(items, list) or not items:
        raise ScenarioError(f"{where}.inequalities: expected a list of inequalities such as \"NATO + Russia <= 1\"")
    for k, text in enumerate(items):
        item = f"{where}.inequalities[{k}]"
        try:
            condition = parse_condition(text, {**names, **utility}, where=item)
        except ExpressionError as error:
            raise ScenarioError(str(error)) from None
        if isinstance(condition, (sympy.LessThan, sympy.StrictLessThan)):
            difference = condition.lhs - condition.rhs
        elif isinstance(condition, (sympy.GreaterThan, sympy.StrictGreaterThan)):
            difference = condition.rhs - condition.lhs
        else:
            raise ScenarioError(f"{item}: expected one inequality with <= or >=, found {text!r}")
        try:
            poly = sympy.Poly(difference, *utility.values())
        except sympy.PolynomialError:
            poly = None
        if poly is None or poly.total_degree() > 1:
            raise ScenarioError(f"{item}: the inequality must be linear in the utilities {', '.join(parties)}")
        a = tuple(poly.coeff_monomial(utility[p]) for p in parties)
        b = -poly.coeff_monomial(1)
        inequalities.append((a, b))
    return Polytope(inequalities=tuple(inequalities))


def _disagreement(spec, parties, names, symbols, source):
    where = f"{source}: disagreement"
    if not isinstance(spec, dict):
        raise ScenarioError(f"{where}: expected [disagreement] with one value per party, or scenario and equilibrium")
    if "scenario" in spec or "equilibrium" in spec:
        return _reference(spec, parties, names, symbols, where)
    unknown = [k for k in spec if k not in parties]
    if unknown:
        raise ScenarioError(f"{where}.{unknown[0]}: not a party ({', '.join(parties)}); "
                            "or give scenario and equilibrium")
    missing = [p for p in parties if p not in spec]
    if missing:
        raise ScenarioError(f"{where}: no value for {missing[0]!r}")
    return tuple(_formula(spec[p], names, f"{where}.{p}") for p in parties), None


def _reference(spec, parties, names, symbols, where):
    unknown = sorted(set(spec) - DISAGREEMENT_REFERENCE_KEYS)
    if unknown:
        raise ScenarioError(f"{where}: unknown key {unknown[0]!r} (expected: "
                            f"{', '.join(sorted(DISAGREEMENT_REFERENCE_KEYS))})")
    name = spec.get("scenario")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"{where}.scenario: expected the name or path of a normal-form scenario")
    label = spec.get("equilibrium")
    if not isinstance(label, str) or not label.strip():
        raise ScenarioError(f"{where}.equilibrium: expected a pure profile such as \"Deploy, Deploy\"")
    other = _load_other(name, where)
    game = other.game
    text = label.strip()
    if text.lower().startswith("pure "):
        text = text[5:]
    if text.lower().startswith("mixed"):
        raise ScenarioError(f"{where}.equilibrium: only a pure equilibrium can be the no-deal point here; "
                            "give the no-deal payoffs as formulas instead")
    profile = tuple(part.strip() for part in normalise_label(text, where=f"{where}.equilibrium",
                                                             error=ScenarioError).split(","))
    if len(profile) != game.n_players:
        raise ScenarioError(f"{where}.equilibrium: expected {game.n_players} comma-separated strategies "
                            f"({', '.join(game.players)}), found {label!r}")
    for player, strategies, strategy in zip(game.players, game.strategies, profile):
        if strategy not in strategies:
            raise ScenarioError(f"{where}.equilibrium: {strategy!r} is not a strategy of {player} in {other.id} "
                                f"({', '.join(strategies)})")
    players = spec.get("players", {p: p for p in parties})
    if not isinstance(players, dict):
        raise ScenarioError(f"{where}.players: expected a table our party = its player")
    mapping = {}
    for party in parties:
        player = players.get(party)
        if isinstance(player, str):
            player = normalise_label(player, where=f"{where}.players.{party}", what="player", error=ScenarioError)
        if player not in game.players:
            raise ScenarioError(f"{where}.players: {party!r} has no player in {other.id} "
                                f"(its players: {', '.join(game.players)}); map it with players = {{ {party} = \"…\" }}")
        mapping[party] = player
    formulas_spec = spec.get("values", {})
    if not isinstance(formulas_spec, dict):
        raise ScenarioError(f"{where}.values: expected a table of its parameters = formulas in ours")
    formulas = {}
    for key, value in formulas_spec.items():
        if key not in other.parameters:
            raise ScenarioError(f"{where}.values.{key}: not a parameter of {other.id} "
                                f"({', '.join(other.parameters.names) or 'none'})")
        formulas[key] = _formula(value, names, f"{where}.values.{key}")
    # the payoffs at that profile, as formulas in our parameters
    position = tuple(s.index(x) for s, x in zip(game.strategies, profile))
    replacement = {}
    for parameter in other.parameters:
        if parameter.name in formulas:
            replacement[parameter.symbol] = formulas[parameter.name]
        else:
            default = parameter.default
            replacement[parameter.symbol] = sympy.Rational(default.numerator, default.denominator) \
                if isinstance(default, Fraction) else sympy.Float(default)
    disagreement = []
    for party in parties:
        entry = game.payoffs[position][game.players.index(mapping[party])]
        if hasattr(entry, "xreplace"):
            entry = entry.xreplace(replacement)
        disagreement.append(entry)
    reference = _EquilibriumReference(other, profile, formulas, mapping, where)
    return tuple(disagreement), reference


def _load_other(name, where):
    candidates = [Path(name)]
    base = Path(where.split(": ", 1)[0]).parent
    if not Path(name).is_absolute():
        candidates.insert(0, base / name)
        if not name.endswith(".toml"):
            candidates.insert(1, base / f"{name}.toml")
    target = next((c for c in candidates if c.is_file()), name)
    try:
        path = resolve_path(target)
    except ScenarioError as error:
        raise ScenarioError(f"{where}.scenario: cannot use {name!r}: {error}") from None
    # a reference to a file that is not a game (this file, or a bargaining file pointing back) is refused
    # before that file's own references are followed: no endless loop of loads
    _refuse_non_game(path, name, where)
    try:
        other = load(path)
    except ScenarioError as error:
        raise ScenarioError(f"{where}.scenario: cannot use {name!r}: {error}") from None
    if other.kind != "normal-form":
        raise ScenarioError(f"{where}.scenario: {name!r} is a {other.kind} model; the no-deal point must come "
                            "from a game (kind = \"normal-form\")")
    return other


def _refuse_non_game(path, name, where) -> None:
    """Refuse a scenario file whose ``kind`` is not ``normal-form``, from its header alone."""
    if path.suffix.lower() != ".toml":
        return
    if path.resolve() == Path(where.split(": ", 1)[0]).resolve():
        raise ScenarioError(f"{where}.scenario: {name!r} is this file itself; the no-deal point must come from "
                            "a game (kind = \"normal-form\")")
    try:
        kind = read_toml(path, bundled=False)[1].get("kind")
    except ScenarioError as error:
        raise ScenarioError(f"{where}.scenario: cannot use {name!r}: {error}") from None
    if isinstance(kind, str) and kind != "normal-form":
        raise ScenarioError(f"{where}.scenario: {name!r} is a {kind} model; the no-deal point must come "
                            "from a game (kind = \"normal-form\")")


def _weights(spec, parties, names, source):
    if spec is None:
        return None
    where = f"{source}: weights"
    if not isinstance(spec, dict) or set(spec) != set(parties):
        raise ScenarioError(f"{where}: expected one Nash bargaining weight per party ({', '.join(parties)})")
    return tuple(_formula(spec[p], names, f"{where}.{p}") for p in parties)

