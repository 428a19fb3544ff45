"""The robustness of a scenario's claims: where in the documented parameter space each one holds.

:class:`RobustnessResult` is what :func:`negotiation.robustness` and ``negotiation robustness MODEL``
return: per claim (:class:`ClaimRobustness`) whether it holds at the defaults, the share of sampled
points where it holds with its Wilson 95 % interval, the parameters it is most sensitive to, and, for
strategic-form claims, the exact sub-intervals of each parameter's range where it holds when that
parameter alone varies (:class:`ParameterFlips`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from negotiation.core.document import Document, Table, Text
from negotiation.core.numeric import format_number, json_number
from negotiation.results.base import Result

__all__ = ["ClaimRobustness", "ParameterFlips", "RobustnessResult"]


def _shown(value) -> str:
    """An exact number as text (``1/4``; an algebraic number as sympy prints it), a float to 3 digits."""
    if isinstance(value, float):
        return f"{value:.3g}"
    return format_number(value) if not hasattr(value, "free_symbols") else str(value)


@dataclass(frozen=True)
class ParameterFlips:
    """Where a claim holds when one parameter varies over its range and the others stay at their defaults.

    Attributes
    ----------
    parameter : str
        The parameter varied.
    low, high : Fraction
        Its range.
    holding : tuple of (low, high)
        The sub-intervals where the claim holds (exact numbers; endpoints are flip points or range ends).
    flips : tuple
        The values inside the range where the verdict changes.
    share : Fraction, sympy number or None
        The exact share of the range (of its part where the assumptions hold) where the claim holds, under
        the uniform prior; ``None`` when the parameter has a declared non-uniform prior.
    """

    parameter: str
    low: Any
    high: Any
    holding: tuple
    flips: tuple
    share: Any = None

    def describe_holding(self) -> str:
        """``[0, 1/4) ∪ (2/11, 1]`` style text of the holding intervals (``none`` if empty)."""
        if not self.holding:
            return "nowhere"
        return " ∪ ".join(f"[{_shown(a)}, {_shown(b)}]" for a, b in self.holding)


@dataclass(frozen=True)
class ClaimRobustness:
    """One claim's robustness figures (see :class:`RobustnessResult`).

    Attributes
    ----------
    id, text, predicates : str
        The claim's id, its sentence and its predicates in one line.
    at_defaults : bool or None
        Whether it holds at the defaults (``None``: the model is undefined there).
    holding, samples, undefined : int
        Sampled points where it holds, points where it was evaluated, and sampled points where the model
        has no answer (the solver refused the point: e.g. no arms race to escape); those are left out of
        the share and counted here.
    interval : tuple of float
        Wilson 95 % interval of the holding share (``holding`` of ``samples``).
    sensitivity : tuple of (str, float)
        Every varied parameter with its estimated first-order index, largest first.
    flips : tuple of ParameterFlips
        The exact one-parameter analysis (strategic-form claims; empty otherwise).
    """

    id: str
    text: str
    predicates: str
    at_defaults: bool | None
    holding: int
    samples: int
    undefined: int
    interval: tuple
    sensitivity: tuple = ()
    flips: tuple = ()

    @property
    def share(self) -> float:
        """Share of the sampled points where the claim holds."""
        return self.holding / self.samples if self.samples else float("nan")

    def most_sensitive(self, count: int = 2) -> tuple:
        """The ``count`` parameters with the largest positive index (names)."""
        return tuple(name for name, index in self.sensitivity[:count] if index > 0)

    def figure(self) -> str:
        """``holds in 39 % (36–42 %, 95 %)``: the robustness figure of the claim in one phrase."""
        low, high = self.interval
        return f"holds in {100 * self.share:.0f} % of draws ({100 * low:.0f}–{100 * high:.0f} %, 95 %)"


@dataclass(frozen=True, eq=False)
class RobustnessResult(Result):
    """The robustness of a scenario's claims over its assumption-tagged parameters.

    Attributes
    ----------
    model : str
        The scenario's id.
    title : str
        Its title.
    claims : tuple of ClaimRobustness
        One per claim, in the file's order.
    varied : tuple of (str, str)
        The parameters sampled and their priors (``uniform:0:20``); the others stay at their defaults.
    samples : int
        Points sampled (accepted by the assumptions).
    seed : int
        The random seed.
    acceptance : dict or None
        ``candidates``, ``accepted``, ``acceptance_rate`` and ``acceptance_95`` of the rejection sampler
        (``None``: no assumption involves a varied parameter, every draw is accepted).
    method, exact, complete, parameters, messages, details
        The result protocol; ``exact`` is False because the shares are Monte Carlo estimates (the
        one-parameter flip points and their shares are exact, see ``details``).
    """

    model: str
    title: str
    claims: tuple
    varied: tuple
    samples: int
    seed: int
    acceptance: Mapping | None = None
    method: str = "monte_carlo"
    exact: bool = False
    complete: bool = True
    parameters: dict = field(default_factory=dict)
    messages: tuple = ()
    details: dict = field(default_factory=dict)

    _leading = ("model",)

    def claim(self, claim_id: str) -> ClaimRobustness:
        """One claim's figures by its id."""
        for claim in self.claims:
            if claim.id == claim_id:
                return claim
        raise KeyError(claim_id)

    def to_records(self) -> list[dict]:
        records = []
        for claim in self.claims:
            low, high = claim.interval
            records.append({
                "claim": claim.id, "text": claim.text, "holds_at_defaults": claim.at_defaults,
                "share": claim.share, "share_low_95": low, "share_high_95": high, "holding": claim.holding,
                "samples": claim.samples, "undefined": claim.undefined,
                "most_sensitive": ", ".join(claim.most_sensitive()),
                "flips": "; ".join(f"{f.parameter} = {', '.join(_shown(v) for v in f.flips)}"
                                   for f in claim.flips if f.flips),
            })
        return records

    def document(self) -> Document:
        heading = [f"Model: {self.model} — {self.title}",
                   "Varied (assumption-tagged, others at their defaults): "
                   + (", ".join(f"{name} ~ {prior}" for name, prior in self.varied) or "none"),
                   (f"Samples: {self.samples:,} (seed {self.seed}); shares are Monte Carlo estimates with "
                    "Wilson 95 % intervals")]
        if self.acceptance is not None:
            rate, (a, b) = self.acceptance["acceptance_rate"], self.acceptance["acceptance_95"]
            heading.append(f"Acceptance: {self.acceptance['accepted']:,} of {self.acceptance['candidates']:,} "
                           f"draws kept by the assumptions (rate {rate:.3f}, 95 % {a:.3f}–{b:.3f})")
        verdict = {True: "yes", False: "no", None: "undefined"}
        rows = tuple((c.id, verdict[c.at_defaults], f"{100 * c.share:.1f} %",
                      f"{100 * c.interval[0]:.1f}–{100 * c.interval[1]:.1f} %",
                      str(c.undefined), ", ".join(c.most_sensitive()) or "none", c.text) for c in self.claims)
        blocks = [Text(tuple(heading)),
                  Table(("claim", "at defaults", "share", "95 % interval", "undefined", "most sensitive to", "claim text"), rows)]
        exact_rows = tuple((c.id, f.parameter, f.describe_holding(),
                            ", ".join(_shown(v) for v in f.flips) or "none",
                            "—" if f.share is None else _shown(f.share))
                           for c in self.claims for f in c.flips)
        if exact_rows:
            blocks.append(Table(("claim", "parameter alone", "holds on", "flips at", "exact share"), exact_rows,
                                caption="Exact, one parameter at a time (the others at their defaults):"))
        notes = (("Undefined: sampled points where the model has no answer (the solver refused them); they are "
                  "left out of the share."),
                 ("Sensitivity: the first-order index V(E[Y | X_i]) / V(Y) of the 0/1 verdict Y, estimated "
                  "from the sample with ten equal-count bins of X_i (Saltelli et al. 2008, ch. 4)."))
        return Document(f"Robustness of the claims of {self.model}", tuple(blocks), notes=notes + tuple(self.messages))

    def _content(self) -> dict:
        claims = []
        for c in self.claims:
            claims.append({
                "id": c.id, "text": c.text, "predicates": c.predicates, "holds_at_defaults": c.at_defaults,
                "holding": c.holding, "samples": c.samples, "undefined": c.undefined, "share": c.share,
                "share_95": list(c.interval),
                "sensitivity": {name: index for name, index in c.sensitivity},
                "exact": [{"parameter": f.parameter, "range": [json_number(f.low), json_number(f.high)],
                           "holding": [[_json(a), _json(b)] for a, b in f.holding],
                           "flips": [_json(v) for v in f.flips],
                           "share": None if f.share is None else _json(f.share)} for f in c.flips],
            })
        return {"model": self.model, "title": self.title, "varied": dict(self.varied), "samples": self.samples,
                "seed": self.seed, "acceptance": None if self.acceptance is None else dict(self.acceptance),
                "claims": claims}


def _json(value):
    """An exact number as JSON: a fraction string (``"1/4"``), an algebraic one as sympy prints it."""
    return str(value) if hasattr(value, "free_symbols") else json_number(value)
