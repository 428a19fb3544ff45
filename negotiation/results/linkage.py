"""Results of multi-issue bargaining: logrolling across issues, issue-by-issue talks against the package.

:class:`LogrollingResult` (:func:`negotiation.bargaining.logrolling`) compares the issue-by-issue
split of divisible issues with package deals for two parties with additive weights;
:class:`IssueByIssueResult` (:func:`negotiation.bargaining.issue_by_issue`) settles each issue of an
issue-space problem alone and compares the outcome with the package solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from negotiation.core.document import Cell, Document, Table, Text, latex_number
from negotiation.core.numeric import format_number, json_number
from negotiation.models.bargaining import show
from negotiation.results.base import Result
from negotiation.results.bargaining import TOOLKIT, json_map, json_terms, number_cell, option_number, term_cells

__all__ = ["LogrollingPackage", "LogrollingResult", "IssueSettlement", "IssueByIssueResult", "LOGROLLING_REFERENCES"]

LOGROLLING_REFERENCES = (
    "Raiffa, H. (1982). The Art and Science of Negotiation (additive scoring, efficient frontier) [U]",
    "Sebenius, J. K. (1983). Negotiation arithmetic: adding and subtracting issues and parties. "
    "International Organization 37(2) [U]",
    "Tollison, R. D. & Willett, T. D. (1979). An economic theory of mutually advantageous issue "
    "linkages in international negotiations. International Organization 33(4) [U]",
)


def _cell(value) -> Cell:
    return Cell(format_number(value), f"${latex_number(value)}$")


def _signed(value) -> str:
    text = format_number(value)
    return text if text.startswith("-") else "+" + text


# --------------------------------------------------------------------------
# Logrolling
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class LogrollingPackage:
    """One package: the first party's share of each issue, utilities and gains over the split.

    Attributes
    ----------
    name : str
        ``"issue-by-issue split"``, ``"efficient trade"``, ``"best for NATO"``, ...
    shares : mapping
        Issue label → share of the *first* party (the second gets the rest).
    utilities : mapping
        Party label → additive utility.
    gains : mapping
        Party label → utility minus its utility under the issue-by-issue split.
    """

    name: str
    shares: Mapping
    utilities: Mapping
    gains: Mapping

    @property
    def pareto_dominates_split(self) -> bool:
        """No party loses and at least one gains, compared with the split (numeric results)."""
        gains = list(self.gains.values())
        return all(g >= 0 for g in gains) and any(g > 0 for g in gains)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "shares": json_map(self.shares),
            "utilities": json_map(self.utilities),
            "gains": json_map(self.gains),
        }


@dataclass(frozen=True, eq=False)
class LogrollingResult(Result):
    """Issue-by-issue split versus package deals for two parties with additive weights.

    Attributes
    ----------
    players : tuple of str
        The two parties; shares are the first party's.
    issues : tuple of str
    weights : mapping
        Party label → {issue label → weight}.
    issue_order : tuple of str
        Issues by ``w_1k / w_2k``, highest first: the order in which efficient
        packages concede issues to the first party.
    split : LogrollingPackage
        The issue-by-issue split (gains 0 by definition).
    split_rule : str
        How the split was made (``"equal"``, ``"proportional"`` or ``"given shares"``).
    efficient_trade : LogrollingPackage
        Each issue to the party that values it more (corner solution).
    best_for : mapping
        Party label → the package best for that party among those that leave
        the other at least its split utility (an end of the dominating set).
    balanced : LogrollingPackage
        The package with the largest smaller gain, and then the largest
        total gain (leximin; usually the efficient package with equal gains).
    frontier : tuple of LogrollingPackage
        Vertices of the Pareto frontier, from best for the second party to
        best for the first.
    dominating_frontier : tuple of LogrollingPackage
        The efficient packages that weakly dominate the split: ``best_for``
        of the second party, the frontier vertices strictly between, and
        ``best_for`` of the first party.
    max_gains : mapping
        Party label → the largest gain it can get without the other losing.
    logrolling_gains : bool
        Some package makes both parties strictly better off than the split.
    method : str
    exact : bool
    provenance : str
    references, messages : tuple of str
    """

    players: tuple
    issues: tuple
    weights: Mapping
    issue_order: tuple
    split: LogrollingPackage
    split_rule: str
    efficient_trade: LogrollingPackage
    best_for: Mapping
    balanced: LogrollingPackage
    frontier: tuple
    dominating_frontier: tuple
    max_gains: Mapping
    logrolling_gains: bool
    method: str = "linear_program (HiGHS) with exact rebuild"
    exact: bool = True
    provenance: str = TOOLKIT
    references: tuple = LOGROLLING_REFERENCES
    messages: tuple = ()

    _leading = ("model",)

    @property
    def packages(self) -> tuple:
        """The packages shown: the split, the efficient trade, the best for each party, the balanced package."""
        return (self.split, self.efficient_trade, *self.best_for.values(), self.balanced)

    def to_records(self) -> list[dict]:
        """One record per package shown: the first party's share of each issue, utilities, gains over the split."""
        records = []
        for package in self.packages:
            record = {"package": package.name}
            record.update({f"share {issue}": v for issue, v in package.shares.items()})
            record.update({f"utility {p}": v for p, v in package.utilities.items()})
            record.update({f"gain {p}": v for p, v in package.gains.items()})
            records.append(record)
        return records

    def document(self) -> Document:
        first, second = self.players
        weights = Table(("issue", f"weight {first}", f"weight {second}"),
                        tuple((i, _cell(self.weights[first][i]), _cell(self.weights[second][i])) for i in self.issues))
        packages = Table(("package", *(f"{first}'s share of {i}" for i in self.issues),
                          *(f"utility {p}" for p in self.players), *(f"gain {p}" for p in self.players)),
                         tuple((package.name, *(_cell(v) for v in package.shares.values()),
                                *(_cell(v) for v in package.utilities.values()),
                                *(_signed(v) for v in package.gains.values())) for package in self.packages))
        if self.logrolling_gains:
            verdict = (f"logrolling pays: package deals make both better off (up to {first} "
                       f"{_signed(self.max_gains[first])}, {second} {_signed(self.max_gains[second])})")
        else:
            verdict = "no package makes both strictly better off than the split"
        heading = (f"Issues in order of {first}'s relative weight: {', '.join(self.issue_order)}",
                   f"Issue-by-issue rule: {self.split_rule}",
                   f"Method: {self.method} ({'exact' if self.exact else 'floating point'}); "
                   f"status: {self.provenance}")
        return Document("Multi-issue bargaining: issue-by-issue split vs package deals",
                        (Text(heading), weights, packages, Text((verdict,))), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {
            "model": "logrolling",
            "players": list(self.players),
            "issues": list(self.issues),
            "weights": {p: json_map(w) for p, w in self.weights.items()},
            "issue_order": list(self.issue_order),
            "split_rule": self.split_rule,
            "split": self.split.to_dict(),
            "efficient_trade": self.efficient_trade.to_dict(),
            "best_for": {p: package.to_dict() for p, package in self.best_for.items()},
            "balanced": self.balanced.to_dict(),
            "frontier": [package.to_dict() for package in self.frontier],
            "dominating_frontier": [package.to_dict() for package in self.dominating_frontier],
            "max_gains": json_map(self.max_gains),
            "logrolling_gains": self.logrolling_gains,
            "provenance": self.provenance,
            "references": list(self.references),
            "messages": list(self.messages),
        }


# --------------------------------------------------------------------------
# Issue by issue against the package
# --------------------------------------------------------------------------
def _json(value):
    """A term for JSON: a number (exact as a string); an option label as the number it states, or null."""
    return json_number(option_number(value) if isinstance(value, str) else value)


def _json_labelled(name: str, value) -> dict:
    """``{name: number}``, and ``{name + "_label": option}`` when ``value`` is an option label."""
    return {name: _json(value), **({f"{name}_label": value} if isinstance(value, str) else {})}


def _show(value) -> str:
    return value if isinstance(value, str) else show(value)


@dataclass(frozen=True)
class IssueSettlement:
    """How one issue fares when negotiated on its own.

    Attributes
    ----------
    issue : str
    value : number or str
        The settled value (or option), or the status quo if no agreement.
    status_quo : number or str
    agreed : bool
        Whether the one-issue zone is non-empty (the issue moves only if the
        solution differs from the status quo).
    utilities : tuple or None
        The one-issue solution's utilities (others at the status quo).
    exact : bool
    method : str
    """

    issue: str
    value: object
    status_quo: object
    agreed: bool
    utilities: tuple | None
    exact: bool
    method: str

    def to_dict(self, parties) -> dict:
        return {"issue": self.issue, **_json_labelled("value", self.value),
                **_json_labelled("status_quo", self.status_quo), "agreed": self.agreed, "exact": self.exact, "method": self.method,
                "utilities": None if self.utilities is None else {p: json_number(u) for p, u in
                                                                   zip(parties, self.utilities)}}


@dataclass(frozen=True, eq=False)
class IssueByIssueResult(Result):
    """Issue-by-issue outcome versus package solution.

    Attributes
    ----------
    parties : tuple of str
    solution : str
        The bargaining solution used for every problem (``"nash"``, ...).
    status_quo : mapping
        Issue -> value without a treaty (the convention of :mod:`negotiation.bargaining.issue_by_issue`).
    settlements : tuple of IssueSettlement
    issue_by_issue : mapping
        Issue -> value of the combined issue-by-issue outcome.
    issue_by_issue_utilities : tuple
    package : mapping or None
        Issue -> value of the package solution (None if the package zone is empty).
    package_utilities : tuple or None
    disagreement : tuple
    linkage_gains : tuple or None
        Package minus issue-by-issue utility, per party.
    dominated : bool
        Whether some package gives every party at least its issue-by-issue
        utility and someone strictly more (the issue-by-issue outcome is
        Pareto-dominated).
    exact : bool
    method : str
    messages : tuple of str
    parameters : mapping
        Parameter values the problem was built with.
    none_agreed : bool
        Whether no issue is settled on its own; then no treaty is signed and the
        issue-by-issue utilities are the no-deal point (the gain from linkage is
        measured from no deal, not from the status-quo point).
    """

    parties: tuple
    solution: str
    status_quo: Mapping
    settlements: tuple
    issue_by_issue: Mapping
    issue_by_issue_utilities: tuple
    package: Mapping | None
    package_utilities: tuple | None
    disagreement: tuple
    linkage_gains: tuple | None
    dominated: bool
    exact: bool
    method: str = "bargaining solution per issue (others at the status quo) vs the same solution on the package"
    messages: tuple = field(default=())
    parameters: Mapping = field(default_factory=dict)
    none_agreed: bool = False

    _leading = ("model",)

    @property
    def gains_by_party(self) -> dict:
        """Linkage gains by party (empty when the package zone is empty)."""
        return {} if self.linkage_gains is None else dict(zip(self.parties, self.linkage_gains))

    def _rows(self):
        label = "issue by issue (no deal)" if self.none_agreed else "issue by issue"
        rows = [("no deal", self.disagreement), (label, self.issue_by_issue_utilities)]
        if self.package_utilities is not None:
            rows.append(("package", self.package_utilities))
            rows.append(("gain from linkage", self.linkage_gains))
        return rows

    def verdict(self) -> str:
        """Whether linking the issues adds anything, in one sentence."""
        if self.package_utilities is None:
            return "The package zone is empty: no agreement beats no deal for every party."
        if self.none_agreed and self.dominated:
            return ("No issue is settled on its own, so issue by issue ends in no deal: the gain from linkage is "
                    "the package's gain over no deal.")
        if self.dominated:
            return ("The issue-by-issue outcome is Pareto-dominated: some package is better for one party "
                    "and no worse for any.")
        return "The issue-by-issue outcome is Pareto-efficient: linking the issues adds nothing."

    def to_records(self) -> list[dict]:
        """One record per outcome (no deal, issue by issue, package, gain from linkage): utilities by party."""
        terms = {"issue by issue": self.issue_by_issue, "package": self.package or {}}  # no terms for no deal
        records = []
        for label, values in self._rows():
            record = dict(self.parameters)
            record["outcome"] = label
            record.update({f"utility {p}": v for p, v in zip(self.parties, values)})
            record.update(term_cells(terms.get(label, {})))
            records.append(record)
        return records

    def document(self) -> Document:
        """The convention, each issue alone against the package, the utilities, the verdict."""
        heading = ("Convention: each issue negotiated alone, the others at their status-quo values; "
                   "no deal = the problem's no-deal point.",
                   f"Method: {self.method} ({'exact' if self.exact else 'floating point'})")
        settlements = Table(("issue", "status quo", "alone", "package"), tuple(
            (s.issue, _show(s.status_quo), _show(s.value) if s.agreed else "no agreement",
             _show(self.package[s.issue]) if self.package is not None else "–") for s in self.settlements))
        utilities = Table(("", *self.parties), tuple((label, *(number_cell(v) for v in values))
                                                     for label, values in self._rows()))
        return Document(f"Issue by issue vs package ({self.solution} solution)",
                        (Text(heading), settlements, utilities, Text((self.verdict(),))), notes=tuple(self.messages))

    def _content(self) -> dict:
        parties = self.parties

        def by_party(values):
            return None if values is None else {p: json_number(v) for p, v in zip(parties, values)}

        return {
            "model": "issue_by_issue", "solution": self.solution, "parties": list(parties),
            "convention": "each issue settled alone, other issues at their status-quo values, "
                          "disagreement = the no-deal point",
            "status_quo": json_terms(self.status_quo)["terms"],
            **({"status_quo_labels": json_terms(self.status_quo)["labels"]}
               if "labels" in json_terms(self.status_quo) else {}),
            "settlements": [s.to_dict(parties) for s in self.settlements],
            "issue_by_issue": {**json_terms(self.issue_by_issue),
                               "utilities": by_party(self.issue_by_issue_utilities)},
            "package": None if self.package is None else {
                **json_terms(self.package),
                "utilities": by_party(self.package_utilities)},
            "disagreement": by_party(self.disagreement),
            "linkage_gains": by_party(self.linkage_gains),
            "issue_by_issue_dominated": self.dominated,
            "issue_by_issue_none_agreed": self.none_agreed,
            "messages": list(self.messages),
        }
