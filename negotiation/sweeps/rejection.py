"""Monte Carlo samples that respect a scenario's assumptions: rejection sampling, chunk by chunk.

A scenario's ``[[assumptions]]`` (``L >= W`` in the security dilemma) restrict where its model
means anything. A Monte Carlo sweep draws *candidates* from the priors and keeps those that satisfy
every assumption: the sample of ``N`` points is the first ``N`` accepted candidates, so it is drawn
from the priors **conditioned on the assumptions** (von Neumann 1951; Robert and Casella 2004,
§2.3), and its summary's probabilities are conditional probabilities.

Design (what it keeps of the sweeps' promises)
----------------------------------------------
* Candidates are indexed globally and drawn exactly as before by
  :func:`~negotiation.core.priors.sample_points`: candidate ``i`` has the same values whatever the
  chunking, because block ``b`` of :data:`~negotiation.core.priors.SAMPLE_BLOCK` candidates has its
  own generator. Whether a candidate is accepted depends on its values only (below), so the
  accepted sequence is a fixed function of the seed, the priors and the fixed values.
* When the plan is made, a **pre-pass** (:func:`count_accepted`) draws the candidates block by
  block and evaluates the assumptions on them, vectorised, without solving anything, and keeps one
  number per block: how many of its candidates are accepted (:class:`Acceptance`). It stops at the
  block holding the ``N``-th accepted candidate. A few kilobytes describe millions of points,
  and they travel with the plan to every worker.
* Chunk ``k`` holds the accepted points ``[start, stop)`` as before. From the per-block counts it
  knows the first block holding one of its points and how many accepted candidates of that block
  belong to earlier chunks, redraws exactly those blocks, evaluates the assumptions again and
  keeps its points (:meth:`AcceptedDraws.draw`). Chunks stay independent work: any chunk can be
  computed alone, in any process, in any order, and resumed; the table is byte for byte the same
  whatever the chunk size, the workers or an interruption. Redrawing costs a block of draws per
  chunk at most (the draws are a few nanoseconds a value; solving a point costs microseconds).
* Scenarios whose assumptions do not involve a swept parameter have no pre-pass: candidate ``i``
  is point ``i``, exactly as before this module existed. A sample that never needed a rejection
  also has the same points as before (the first ``N`` candidates), so the plan's fingerprint is
  unchanged and ``resume`` keeps working across the change.

Deciding a candidate
--------------------
Each assumption is evaluated on the floats of a block. A comparison ``lhs >= rhs`` (``>``, ``<=``,
``<``) is decided by the sign of ``lhs - rhs`` when it is clearly away from zero, more than
:data:`BOUNDARY_TOLERANCE` times ``|lhs| + |rhs|``; a candidate closer to the boundary (probability
about 1e-9 under a continuous prior) is decided exactly, at the binary rational value of each
float, as ``scenario.solve`` would decide it. ``And``, ``Or`` and ``Not`` combine these three-valued
verdicts; any other condition is decided exactly wherever its float verdict is false.

Limits
------
At most :data:`MAX_CANDIDATES_PER_SAMPLE` candidates per requested point, and
:data:`MAX_CANDIDATES` in all. When the acceptance rate
is too small for that (below 1/1000), the pre-pass stops with one line naming the scenario, the
assumptions that reject, the acceptance rate seen and what to change; it stops as soon as the
99.9 % upper bound of the rate seen says the cap would be reached. An assumption that no draw can
satisfy (a multilinear comparison whose best corner of the priors' supports fails it, or an
assumption on fixed parameters only that fails) is refused before any draw.

References
----------
von Neumann, J. (1951). Various techniques used in connection with random digits. *National
Bureau of Standards Applied Mathematics Series* 12, 36–38.
Robert, C. P. and Casella, G. (2004). *Monte Carlo Statistical Methods*, 2nd ed. Springer,
§2.3 (the accept–reject method), pp. 47–53.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.lambdify import lambdify_numpy
from negotiation.core.priors import SAMPLE_BLOCK, sample_points
from negotiation.sweeps.summary import wilson_interval

__all__ = ["BOUNDARY_TOLERANCE", "MAX_CANDIDATES", "MAX_CANDIDATES_PER_SAMPLE", "Acceptance", "AcceptedDraws",
           "AssumptionTest", "check_possible", "count_accepted"]

#: Candidate draws per requested sample point (a sample of N points draws at most 1,000 × N candidates):
#: acceptance rates below 1/1000 are refused. The pre-pass draws and tests the security dilemma's
#: ``L >= W`` (two uniform priors) at about 6.5 million candidates a second (2 cores at load average 10,
#: 2026), so the 10,000,000 draws of a 10,000-point sample take about 1.5 s before the error, and an
#: acceptance rate just above the limit (0.00125) needs 8 million draws, 1.0 s. A smaller rate means
#: assumptions that exclude nearly all of the priors' mass: the error asks for other priors.
MAX_CANDIDATES_PER_SAMPLE = 1000
#: Candidate draws of one sample in all, whatever its size: 10⁹ draws at 6.5 million a second are about
#: 2.5 minutes of pre-pass on the loaded machine above, so a 10,000,000-point sample (the most a sweep
#: takes) may reject at most 99 draws in 100.
MAX_CANDIDATES = 1_000_000_000
#: Relative distance from a comparison's boundary below which a candidate is decided exactly.
BOUNDARY_TOLERANCE = 1e-9
#: Two-sided 99.9 % standard normal quantile: the bound behind stopping the pre-pass early.
Z999 = 3.2905267314918945
#: Largest step of the pre-pass, in blocks: 262,144 candidates, 2 MB of draws per parameter (how the
#: pre-pass works, not a limit on the input).
PREPASS_STEP_BLOCKS = 64
#: Most corners of the priors' supports tried when checking that an assumption can hold at all (more swept
#: parameters in one assumption: the check is left to the pre-pass).
CORNERS_TRIED = 4096

_COMPARISONS = (sympy.GreaterThan, sympy.StrictGreaterThan, sympy.LessThan, sympy.StrictLessThan)


@dataclass(frozen=True, eq=False)
class Acceptance:
    """What the pre-pass found: accepted candidates per block of candidates, and how many were drawn.

    ``per_block[b]`` is the number of accepted candidates among candidates
    ``b * SAMPLE_BLOCK .. (b + 1) * SAMPLE_BLOCK - 1``, for every block up to the one holding the
    last accepted point of the sample (that block counted whole: its accepted candidates beyond the
    sample are simply not asked for). ``n_candidates`` counts the candidates up to and including that
    point; ``rejected`` gives, per assumption text, how many of them it rejected (a candidate may
    break several).

    Attributes
    ----------
    per_block : ndarray of uint16
        Accepted candidates in each block of :data:`~negotiation.core.priors.SAMPLE_BLOCK` draws.
    n_candidates : int
        Draws up to and including the sample's last point.
    n_accepted : int
        Points of the sample.
    rejected : tuple of (str, int)
        Per assumption (its text), the draws it rejected.
    """

    per_block: np.ndarray
    n_candidates: int
    n_accepted: int
    rejected: tuple = ()

    @property
    def rate(self) -> float:
        """Accepted points per candidate drawn."""
        return self.n_accepted / self.n_candidates if self.n_candidates else 1.0

    def interval(self) -> tuple[float, float]:
        """Wilson 95 % interval of the acceptance rate."""
        return wilson_interval(self.n_accepted, self.n_candidates)

    def describe(self) -> str:
        """``"10,000 samples accepted of 13,337 draws (acceptance rate 0.750 ± 0.007, 95 %)"``.

        The ± is half the width of the Wilson 95 % interval.

        Examples
        --------
        >>> Acceptance(np.array([3], dtype=np.uint16), 4, 3).describe()
        '3 samples accepted of 4 draws (acceptance rate 0.750 ± 0.327, 95 %)'
        """
        low, high = self.interval()
        return (f"{self.n_accepted:,} samples accepted of {self.n_candidates:,} draws "
                f"(acceptance rate {self.rate:.3f} ± {(high - low) / 2:.3f}, 95 %)")

    def to_dict(self) -> dict:
        """The figures a manifest or a JSON output records."""
        low, high = self.interval()
        return {"candidates": self.n_candidates, "accepted": self.n_accepted, "acceptance_rate": self.rate,
                "acceptance_95": [low, high], "rejected_by": dict(self.rejected)}


# ====================================================================== evaluating the assumptions
class _Condition:
    """One assumption's condition as a numpy function giving (certainly true, certainly false) per point."""

    def __init__(self, condition, names: list[str]):
        self.condition = condition
        symbols = {s.name: s for s in condition.free_symbols}
        self.names = [n for n in names if n in symbols]
        arguments = [symbols[n] for n in self.names]
        self.kind = "other"
        if isinstance(condition, (sympy.And, sympy.Or, sympy.Not)):
            self.kind = type(condition).__name__
            self.parts = [_Condition(part, names) for part in condition.args]
        elif isinstance(condition, _COMPARISONS):
            self.kind = "comparison"
            greater = isinstance(condition, (sympy.GreaterThan, sympy.StrictGreaterThan))
            high, low = (condition.lhs, condition.rhs) if greater else (condition.rhs, condition.lhs)
            self.function = lambdify_numpy(arguments, [high, low])
        else:
            self.function = lambdify_numpy(arguments, condition)

    def verdicts(self, floats: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``(true, false)``: points where the condition certainly holds, certainly fails (neither: decide exactly)."""
        if self.kind in ("And", "Or"):
            results = [part.verdicts(floats, n) for part in self.parts]
            trues, falses = [r[0] for r in results], [r[1] for r in results]
            if self.kind == "And":
                return np.logical_and.reduce(trues), np.logical_or.reduce(falses)
            return np.logical_or.reduce(trues), np.logical_and.reduce(falses)
        if self.kind == "Not":
            true, false = self.parts[0].verdicts(floats, n)
            return false, true
        args = [floats[name] for name in self.names]
        with np.errstate(all="ignore"):
            if self.kind == "comparison":
                high, low = (np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)) for v in self.function(*args))
                difference = high - low
                margin = BOUNDARY_TOLERANCE * (np.abs(high) + np.abs(low))
                return difference > margin, difference < -margin  # NaN: neither, decided exactly
            verdict = np.broadcast_to(np.asarray(self.function(*args), dtype=bool), (n,))
        return verdict.copy(), np.zeros(n, dtype=bool)  # a float "false" is confirmed exactly


class AssumptionTest:
    """The scenario's assumptions that involve swept parameters, evaluated on blocks of candidates.

    ``fixed`` gives the exact values of the parameters that are not swept.
    """

    def __init__(self, scenario, swept, fixed: dict):
        names = list(scenario.parameters.names)
        self.fixed = dict(fixed)
        self.fixed_floats = {name: float(value) for name, value in fixed.items()}
        self.assumptions = [a for a in scenario.assumptions
                            if {s.name for s in a.condition.free_symbols} & set(swept)]
        self.conditions = [_Condition(a.condition, names) for a in self.assumptions]
        self._decided: dict = {}  # exact verdicts near a boundary, by assumption and point

    @property
    def active(self) -> bool:
        return bool(self.assumptions)

    def accept(self, draws: dict, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``(accepted, rejections)``: per candidate whether every assumption holds, and per assumption how
        many candidates it rejects."""
        floats = {**self.fixed_floats, **draws}
        accepted = np.ones(n, dtype=bool)
        rejections = np.zeros(len(self.assumptions), dtype=np.int64)
        for index, (assumption, condition) in enumerate(zip(self.assumptions, self.conditions)):
            true, false = condition.verdicts(floats, n)
            holds = true.copy()
            for j in np.flatnonzero(~true & ~false).tolist():
                holds[j] = self._holds_exactly(assumption, draws, j)
            rejections[index] = n - int(np.count_nonzero(holds))
            accepted &= holds
        return accepted, rejections

    def _holds_exactly(self, assumption, draws: dict, j: int) -> bool:
        """The assumption at candidate ``j``'s exact values (each float read as the binary rational it is);
        each distinct point is decided once (a prior on a single value puts every draw on the boundary)."""
        key = (assumption.text, *(float(array[j]) for array in draws.values()))
        found = self._decided.get(key)
        if found is None:
            values = {**self.fixed, **{name: Fraction(float(array[j])) for name, array in draws.items()}}
            try:
                found = bool(assumption.holds(values))
            except (TypeError, ValueError, ArithmeticError):  # undefined there (a division by zero): rejected
                found = False
            if len(self._decided) > 4096:
                self._decided.clear()
            self._decided[key] = found
        return found


# ====================================================================== the pre-pass
def count_accepted(scenario, priors: dict, fixed: dict, seed: int, n_points: int) -> Acceptance | None:
    """The pre-pass: accepted candidates per block until ``n_points`` are accepted (``None``: no assumption
    involves a swept parameter, so every candidate is a point).

    Raises a one-line :class:`~negotiation.core.errors.NegotiationError` when the sample would need more
    than :data:`MAX_CANDIDATES_PER_SAMPLE` × ``n_points`` candidates.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.core.priors import resolve_priors
    >>> scenario = ng.load("security_dilemma")
    >>> priors = resolve_priors({"L": "uniform:0:20", "W": "uniform:0:10"}, scenario.parameters)
    >>> fixed = {n: v for n, v in scenario.parameters.resolve({}).items() if n not in priors}
    >>> acceptance = count_accepted(scenario, priors, fixed, seed=0, n_points=5000)
    >>> acceptance.n_accepted, round(acceptance.rate, 2)
    (5000, 0.75)
    >>> int(acceptance.per_block[:-1].sum()) < 5000 <= int(acceptance.per_block.sum())  # the last block counted whole
    True
    """
    test = AssumptionTest(scenario, list(priors), fixed)
    if not test.active:
        return None
    cap = min(MAX_CANDIDATES_PER_SAMPLE * n_points, MAX_CANDIDATES)
    counts: list[np.ndarray] = []
    accepted = drawn = 0
    rejected = np.zeros(len(test.assumptions), dtype=np.int64)
    step = 1
    while True:
        size = step * SAMPLE_BLOCK
        mask, rejections = test.accept(sample_points(priors, seed, drawn, drawn + size), size)
        per_block = np.count_nonzero(mask.reshape(step, SAMPLE_BLOCK), axis=1)
        complete = accepted + int(per_block.sum()) >= n_points
        if complete or drawn + size >= cap:
            # the last candidate that counts: the n-th accepted one, or the last one the cap allows
            last = int(np.flatnonzero(mask)[n_points - accepted - 1]) if complete else size - 1
            head = min(last + 1, cap - drawn)
            _, rejections = test.accept(sample_points(priors, seed, drawn, drawn + head), head)
            rejected += rejections
            if drawn + last + 1 > cap or not complete:
                raise _too_rare(scenario, test, accepted + int(np.count_nonzero(mask[:head])), drawn + head,
                                rejected, n_points, cap)
            n_candidates = drawn + last + 1
            counts.append(per_block[:last // SAMPLE_BLOCK + 1])
            break
        counts.append(per_block)
        accepted += int(per_block.sum())
        drawn += size
        rejected += rejections
        if wilson_interval(accepted, drawn, Z999)[1] * cap < n_points:  # the cap would be reached
            raise _too_rare(scenario, test, accepted, drawn, rejected, n_points, cap)
        step = min(step * 2, PREPASS_STEP_BLOCKS)
    per_block = np.concatenate(counts).astype(np.uint16)  # at most SAMPLE_BLOCK (4,096) a block
    rejected_by = tuple((a.text, int(r)) for a, r in zip(test.assumptions, rejected.tolist()))
    return Acceptance(per_block, n_candidates, n_points, rejected_by)


def _too_rare(scenario, test, accepted, drawn, rejected, n_points, cap) -> NegotiationError:
    """The one line of a sample whose acceptance rate is too small for the cap."""
    order = np.argsort(-rejected, kind="stable").tolist()
    rejecting = ", ".join(f"'{test.assumptions[i].text}' ({int(rejected[i]):,} of {drawn:,})"
                          for i in order if rejected[i]) or "none"
    return NegotiationError(
        f"{getattr(scenario, 'id', 'scenario')}: --samples {n_points:,}: only {accepted:,} of {drawn:,} draws "
        f"satisfy the assumptions (acceptance rate {accepted / drawn:.2g}); {n_points:,} samples would need more "
        f"than the limit of {cap:,} draws ({_cap_rule(cap, n_points)}); rejected by {rejecting}; "
        "choose priors (--prior NAME=FAMILY:ARGS) or fixed values (--set) under which the assumptions hold more "
        "often" + ("" if cap == MAX_CANDIDATES_PER_SAMPLE * n_points else ", or ask for fewer --samples"))


def _cap_rule(cap: int, n_points: int) -> str:
    if cap == MAX_CANDIDATES_PER_SAMPLE * n_points:
        return f"{MAX_CANDIDATES_PER_SAMPLE:,} per sample"
    return "the most one sample may draw"


# ====================================================================== an assumption no draw satisfies
def check_possible(scenario, priors: dict, fixed: dict) -> None:
    """Refuse, in one line, an assumption that no draw from ``priors`` can satisfy (when that is cheap to tell).

    An assumption on fixed parameters only is checked at their values. A comparison whose two sides differ
    by a multilinear polynomial in the swept parameters takes its largest value at a corner of the
    priors' supports (linear in each parameter on its own), so the corners tell whether it can hold.
    Anything else is left to the pre-pass.

    Examples
    --------
    >>> import negotiation as ng
    >>> from negotiation.core.priors import resolve_priors
    >>> scenario = ng.load("security_dilemma")
    >>> priors = resolve_priors({"L": "uniform:0:4", "W": "uniform:5:10"}, scenario.parameters)
    >>> check_possible(scenario, priors, {})
    Traceback (most recent call last):
    ...
    negotiation.core.errors.NegotiationError: security_dilemma: assumption 'L >= W' cannot hold for any draw: L - W is at most -1 on the priors' supports (L on [0, 4], W on [5, 10]); change the priors (--prior) or the fixed values (--set)
    """
    swept = set(priors)
    for assumption in scenario.assumptions:
        names = {s.name for s in assumption.condition.free_symbols}
        if not names & swept:
            if names <= set(fixed) and not assumption.holds(fixed):
                shown = ", ".join(f"{n}={fixed[n]}" for n in sorted(names))
                raise NegotiationError(f"{getattr(scenario, 'id', 'scenario')}: assumption '{assumption.text}' "
                                       f"does not hold at {shown} (--set)")
            continue
        best = _best_corner(assumption.condition, priors, fixed)
        if best is None:
            continue
        difference, value, strict = best
        if value < 0 or (strict and value == 0):
            supports = ", ".join(f"{n} on [{priors[n].low:g}, {priors[n].high:g}]" for n in sorted(names & swept))
            raise NegotiationError(
                f"{getattr(scenario, 'id', 'scenario')}: assumption '{assumption.text}' cannot hold for any draw: "
                f"{difference} is at most {_number(value)} on the priors' supports ({supports}); change the "
                "priors (--prior) or the fixed values (--set)")


def _best_corner(condition, priors: dict, fixed: dict):
    """``(lhs - rhs as text, its largest value over the supports' corners, strict)`` of a multilinear
    comparison (written so that it holds when the difference is positive), else ``None``."""
    if not isinstance(condition, _COMPARISONS):
        return None
    greater = isinstance(condition, (sympy.GreaterThan, sympy.StrictGreaterThan))
    strict = isinstance(condition, (sympy.StrictGreaterThan, sympy.StrictLessThan))
    difference = (condition.lhs - condition.rhs) if greater else (condition.rhs - condition.lhs)
    symbols = {s.name: s for s in difference.free_symbols}
    known = {symbols[n]: sympy.Rational(Fraction(v)) for n, v in fixed.items() if n in symbols}
    swept = sorted(n for n in symbols if n in priors)
    if set(symbols) - set(swept) - {n for n in fixed if n in symbols} or not swept:
        return None
    bounds = [(priors[n].low, priors[n].high) for n in swept]
    if any(b is None for pair in bounds for b in pair) or 2 ** len(swept) > CORNERS_TRIED:
        return None
    substituted = sympy.expand(difference.xreplace(known))
    try:
        polynomial = sympy.Poly(substituted, *[symbols[n] for n in swept])
    except sympy.PolynomialError:
        return None
    if polynomial.free_symbols - {symbols[n] for n in swept} or any(d > 1 for d in polynomial.degree_list()):
        return None
    best = None
    for corner in itertools.product(*bounds):
        point = {symbols[n]: sympy.Rational(Fraction(v)) for n, v in zip(swept, corner)}
        value = Fraction(str(substituted.xreplace(point)))
        best = value if best is None else max(best, value)
    return str(difference), best, strict


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


# ====================================================================== a chunk's accepted points
class AcceptedDraws:
    """The accepted points ``start .. stop - 1`` of a sample: what a chunk (or a result's
    :meth:`~negotiation.sweeps.result.SweepResult.parameter_values`) draws."""

    def __init__(self, scenario, priors: dict, fixed: dict, seed: int, acceptance: Acceptance | None):
        self.priors, self.seed, self.acceptance = priors, seed, acceptance
        self.test = AssumptionTest(scenario, list(priors), fixed) if acceptance is not None else None
        if acceptance is not None:
            self.ends = np.cumsum(acceptance.per_block, dtype=np.int64)  # accepted up to each block, inclusive

    def draw(self, start: int, stop: int) -> dict:
        """``name -> float64 array`` of the accepted points ``start .. stop - 1``."""
        if self.acceptance is None or stop <= start:
            return sample_points(self.priors, self.seed, start, stop)
        ends = self.ends
        first = int(np.searchsorted(ends, start, side="right"))  # the block holding accepted point `start`
        last = int(np.searchsorted(ends, stop - 1, side="right"))
        if last >= ends.size:
            raise NegotiationError(f"points {start}..{stop - 1}: beyond the {int(ends[-1]):,} accepted by the pre-pass")
        before = int(ends[first - 1]) if first else 0
        begin, end = first * SAMPLE_BLOCK, (last + 1) * SAMPLE_BLOCK
        draws = sample_points(self.priors, self.seed, begin, end)
        mask, _ = self.test.accept(draws, end - begin)
        chosen = np.flatnonzero(mask)[start - before:stop - before]
        if chosen.size != stop - start:  # the pre-pass and this chunk must decide every candidate alike
            raise NegotiationError(f"points {start}..{stop - 1}: the assumptions accepted {chosen.size} candidates "
                                   f"where the pre-pass counted {stop - start}")
        return {name: np.ascontiguousarray(values[chosen]) for name, values in draws.items()}
