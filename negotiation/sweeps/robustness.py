"""How robust is each claim of a scenario? ``ng.robustness(model)`` and ``negotiation robustness MODEL``.

For each ``[[claims]]`` entry of a scenario file (:mod:`negotiation.scenario.claims`) the run reports:

* whether the claim holds at the defaults;
* the **share of the documented parameter space** where it holds: every ``assumption``-tagged parameter
  with a range is drawn from its declared prior (``prior = "…"``) or else uniformly over its range, the
  others stay at their defaults; draws that break the scenario's ``[[assumptions]]`` are discarded and
  redrawn (the rejection sampler of :mod:`negotiation.sweeps.rejection`, with its acceptance rate), so
  the share is the probability that the claim holds under the priors conditioned on the assumptions.
  Its 95 % interval is Wilson's score interval (Wilson 1927);
* the parameters the claim is **most sensitive to**: the first-order (variance-based) index
  ``S_i = V(E[Y | X_i]) / V(Y)`` of the 0/1 verdict ``Y`` with respect to parameter ``X_i``
  (Saltelli et al. 2008, ch. 4), the share of the verdict's variance that ``X_i`` alone explains. It is
  estimated from the same sample as the correlation ratio of ``Y`` on ten equal-count bins of ``X_i``;
  for a parameter that does not matter the estimate is about ``(bins − 1) / n`` rather than 0, so
  indices below twice that are reported as 0;
* for a claim about a symmetric or general **2×2 strategic-form game** (predicates ``classification``,
  ``equilibrium``, ``equilibria``, ``mixed``), the **exact** one-parameter analysis: each varied parameter
  alone over its range, the others at their defaults. The equilibria and the classic-game class of a
  2×2 game depend only on the signs of the differences between one player's payoffs, so the verdict can
  change only where such a difference (or an assumption's two sides) changes sign; those points are
  the real roots of polynomials in the parameter, found exactly (sympy's ``real_roots``), and the
  verdict is decided once inside each sub-interval. The holding sub-intervals, the flip points and,
  under a uniform prior, the exact share of the range follow.

Resumable: with ``out=DIR`` every point's verdicts are appended to ``DIR/robustness.csv`` as they are
computed (with the plan in ``DIR/robustness.json``); ``resume=True`` continues an interrupted run and
gives the same table.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal
of the American Statistical Association* 22(158), 209–212.
Saltelli, A., Ratto, M., Andres, T., Campolongo, F., Cariboni, J., Gatelli, D., Saisana, M. and
Tarantola, S. (2008). *Global Sensitivity Analysis: The Primer*. Wiley, ch. 4 (variance-based methods).
"""

from __future__ import annotations

import csv
import itertools
import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy

from negotiation.core.errors import NegotiationError
from negotiation.core.priors import resolve_priors
from negotiation.core.progress import progress_bar
from negotiation.models.game import Game
from negotiation.results.robustness import (
    ClaimRobustness,
    ParameterFlips,
    RobustnessResult,
)
from negotiation.scenario.loader import load
from negotiation.scenario.model import Scenario, ScenarioError
from negotiation.sweeps.claim_checks import ClaimError, PointResults, claim_holds
from negotiation.sweeps.rejection import AcceptedDraws, count_accepted
from negotiation.sweeps.summary import wilson_interval

__all__ = ["DEFAULT_SAMPLES", "MAX_ROBUSTNESS_SAMPLES", "RobustnessError", "robustness"]

#: Points sampled by one robustness run. Each point solves the model once (and evaluates every claim): the
#: slowest bundled model (buffer_zone, Newton's method on a bargaining surface, about 0.15 s a point on the
#: loaded 2-core machine of 2026) takes about 50 minutes for 20,000 points, a 2×2 game about 30 s.
MAX_ROBUSTNESS_SAMPLES = 20_000
#: Points sampled when none are asked for: a share's 95 % interval is then at most ±5 points wide.
DEFAULT_SAMPLES = 400
#: Bins of a parameter's values for the first-order sensitivity index.
SENSITIVITY_BINS = 10
#: Strategic-form predicates: claims made only of these get the exact one-parameter analysis (2×2 games).
EXACT_PREDICATES = {"classification", "equilibrium", "equilibria", "mixed"}
#: Points between two appends to the resume file.
FLUSH_EVERY = 50


class RobustnessError(NegotiationError):
    """A robustness run cannot start (no claims, an unknown claim, a resume that does not match)."""


def robustness(scenario_or_name, *, samples: int = DEFAULT_SAMPLES, seed: int = 0, claims=None,
               out=None, resume: bool = False, progress: bool | None = None) -> RobustnessResult:
    """The robustness of a scenario's claims over its assumption-tagged parameters.

    Parameters
    ----------
    scenario_or_name : Scenario, str or Path
        A scenario with ``[[claims]]``, or a file or bundled model name.
    samples : int
        Points to sample (accepted by the assumptions), at most :data:`MAX_ROBUSTNESS_SAMPLES`.
    seed : int
        Random seed (the same seed gives the same points and table).
    claims : sequence of str, optional
        Ids of the claims to assess (default: all of the file's).
    out : str or Path, optional
        A directory for the per-point verdicts (``robustness.csv``) and the plan, so a run can resume.
    resume : bool
        Continue the run in ``out`` (its plan must match).
    progress : bool, optional
        Show a progress bar (default: on a terminal).

    Returns
    -------
    RobustnessResult

    Examples
    --------
    >>> import negotiation as ng
    >>> result = ng.robustness("security_dilemma", samples=200, seed=1)
    >>> claim = result.claims[0]
    >>> claim.at_defaults, claim.samples
    (True, 200)
    >>> [(f.parameter, f.describe_holding()) for f in claim.flips][:1]
    [('k', '[0, 7/4]')]
    """
    scenario = scenario_or_name if isinstance(scenario_or_name, Scenario) else load(scenario_or_name)
    where = str(scenario.source) if scenario.source else scenario.id
    chosen = _chosen_claims(scenario, claims, where)
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= MAX_ROBUSTNESS_SAMPLES:
        raise RobustnessError(f"samples: expected a whole number from 1 to {MAX_ROBUSTNESS_SAMPLES:,} "
                              f"(MAX_ROBUSTNESS_SAMPLES), found {samples!r}")
    defaults = scenario.resolve({})
    varied = [p for p in scenario.parameters if p.confidence == "assumption" and p.low is not None and p.low < p.high]
    specs = {p.name: scenario.priors.get(p.name, f"uniform:{p.low}:{p.high}") for p in varied}
    priors = resolve_priors(specs, scenario.parameters)
    fixed = {name: value for name, value in defaults.items() if name not in priors}
    acceptance = count_accepted(scenario, priors, fixed, seed, samples) if priors else None
    draws = AcceptedDraws(scenario, priors, fixed, seed, acceptance).draw(0, samples) if priors else {}
    plan = {"model": scenario.id, "seed": seed, "samples": samples, "claims": [c.id for c in chosen],
            "priors": specs}
    verdicts = _verdicts(scenario, chosen, draws, samples, plan, out, resume, progress)
    results = []
    for index, claim in enumerate(chosen):
        column = verdicts[:, index]
        defined = column >= 0
        holding, evaluated = int(np.count_nonzero(column == 1)), int(np.count_nonzero(defined))
        results.append(ClaimRobustness(
            id=claim.id, text=claim.text, predicates=claim.describe(),
            at_defaults=_verdict(_for_claim(scenario, claim), claim, {}), holding=holding, samples=evaluated,
            undefined=samples - evaluated, interval=wilson_interval(holding, evaluated),
            sensitivity=_sensitivity(column[defined] == 1, {n: v[defined] for n, v in draws.items()}),
            flips=_exact_flips(_for_claim(scenario, claim), claim, varied, defaults, specs)))
    messages = [] if varied else ["No parameter is tagged assumption with a range: every draw is the defaults."]
    for index, (claim, found) in enumerate(zip(chosen, results)):
        if found.undefined:
            first = int(np.flatnonzero(verdicts[:, index] < 0)[0])
            why = _why_undefined(_for_claim(scenario, claim), claim, _point(draws, first))
            messages.append(f"{claim.id}: undefined at {found.undefined} of {samples} points, e.g. at point {first}: "
                            f"{why}")
    return RobustnessResult(
        model=scenario.id, title=scenario.title, claims=tuple(results), varied=tuple(specs.items()),
        samples=samples, seed=seed, acceptance=None if acceptance is None else acceptance.to_dict(),
        parameters=dict(defaults), messages=tuple(messages))


def _chosen_claims(scenario, claims, where: str) -> tuple:
    if not scenario.claims:
        raise RobustnessError(f"{where}: the scenario declares no [[claims]] (add [[claims]] tables: docs/reference/robustness.md)")
    if claims is None:
        return scenario.claims
    by_id = {c.id: c for c in scenario.claims}
    wanted = [claims] if isinstance(claims, str) else list(claims)
    for claim_id in wanted:
        if claim_id not in by_id:
            raise RobustnessError(f"{where}: no claim {claim_id!r} (declared: {', '.join(by_id)})")
    return tuple(by_id[c] for c in wanted)


#: Predicates that read the analyses of a scenario's options (``[repetition]``): other claims are evaluated
#: on the scenario without its options, so that an option's own requirements (a whole number of inspections)
#: do not make the point undefined for a claim about the one-shot game.
OPTION_PREDICATES = {"sustained", "critical_discount_below"}


def _for_claim(scenario, claim):
    """The scenario a claim is evaluated on: without its options unless a predicate reads them."""
    if scenario.options and not {key for key, _ in claim.holds} & OPTION_PREDICATES:
        return replace(scenario, options=(), _analyses={})
    return scenario


def _verdict(scenario, claim, values) -> bool | None:
    """The claim at ``values`` (exact): True or False, None where the model cannot be solved there."""
    return _point_verdict(claim, PointResults(scenario, values))


def _point_verdict(claim, point) -> bool | None:
    try:
        return claim_holds(claim, point)
    except ClaimError:
        raise
    except (NegotiationError, ArithmeticError):
        return None


def _why_undefined(scenario, claim, values) -> str:
    """The one-line error that made the claim undefined at ``values`` (computed again, for the report)."""
    try:
        claim_holds(claim, PointResults(scenario, values))
    except (NegotiationError, ArithmeticError) as error:
        return str(error)
    return "no error on a second evaluation"


def _point(draws: dict, index: int) -> dict:
    # each float draw read as the binary rational it is: the model is solved exactly at the draw
    return {name: Fraction(float(values[index])) for name, values in draws.items()}


def _verdicts(scenario, claims, draws, samples, plan, out, resume, progress) -> np.ndarray:
    """``samples × claims`` verdicts: 1 holds, 0 does not, -1 undefined; read from and appended to ``out``."""
    table = np.zeros((samples, len(claims)), dtype=np.int8)
    done, writer = 0, None
    if out is not None:
        done, writer = _open_out(Path(out), plan, table, draws, resume)
    code = {True: 1, False: 0, None: -1}
    variants = [_for_claim(scenario, claim) for claim in claims]
    with progress_bar(samples, f"robustness {scenario.id}", unit="points", enabled=progress) as bar:
        bar.advance_to(done)
        rows = []
        for index in range(done, samples):
            values = _point(draws, index)
            points = {}  # one solve per variant of the scenario at this point
            for column, (claim, variant) in enumerate(zip(claims, variants)):
                point = points.setdefault(id(variant), PointResults(variant, values))
                table[index, column] = code[_point_verdict(claim, point)]
            bar.advance()
            if writer is not None:
                rows.append([index, *(repr(float(v)) for v in values.values()), *table[index].tolist()])
                if len(rows) >= FLUSH_EVERY:
                    writer(rows)
                    rows = []
        if writer is not None and rows:
            writer(rows)
    return table


def _open_out(directory: Path, plan: dict, table: np.ndarray, draws: dict, resume: bool):
    """Check or write the plan; read the verdicts already computed; return ``(done, append)``."""
    plan_path, rows_path = directory / "robustness.json", directory / "robustness.csv"
    header = ["point", *draws, *plan["claims"]]
    if plan_path.exists() and not resume:
        raise RobustnessError(f"{directory}: holds a robustness run already (pass --resume to continue it, "
                              "or choose another --out)")
    done = 0
    if resume and plan_path.exists():
        try:
            found = json.loads(plan_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise RobustnessError(f"{plan_path}: unreadable plan (not the JSON a robustness run writes)") from None
        if found != plan:
            raise RobustnessError(f"{plan_path}: the run there has another plan ({_plan_text(found)}); "
                                  f"this one is {_plan_text(plan)}")
        with rows_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != header:
                raise RobustnessError(f"{rows_path}: expected the header {','.join(header)}")
            for row in reader:
                if len(row) != len(header) or row[0] != str(done):  # a torn last line: compute it again
                    break
                table[done] = [int(x) for x in row[len(header) - table.shape[1]:]]
                done += 1
        rows = rows_path.read_text(encoding="utf-8").splitlines()[:done + 1]
        rows_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    else:
        directory.mkdir(parents=True, exist_ok=True)
        plan_path.write_text(json.dumps(plan, sort_keys=True), encoding="utf-8")
        with rows_path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerow(header)

    def append(rows):
        with rows_path.open("a", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)

    return done, append


def _plan_text(plan) -> str:
    if not isinstance(plan, dict):
        return "unknown"
    return f"model {plan.get('model')}, seed {plan.get('seed')}, samples {plan.get('samples')}, " \
           f"claims {', '.join(map(str, plan.get('claims', [])))}"


def _sensitivity(holds: np.ndarray, draws: dict) -> tuple:
    """``(parameter, first-order index)`` for every varied parameter, largest first (see the module docstring).

    Examples
    --------
    >>> x = np.linspace(0, 1, 1000)
    >>> [(name, round(index, 2)) for name, index in _sensitivity(x < 0.5, {"x": x, "y": x[::-1] * 0 + 0.3})]
    [('x', 1.0), ('y', 0.0)]
    """
    n = holds.size
    y = holds.astype(float)
    variance = float(((y - y.mean()) ** 2).sum())
    indices = []
    for name, values in draws.items():
        if variance == 0 or n < 2 * SENSITIVITY_BINS:
            indices.append((name, 0.0))
            continue
        # equal-count bins by value (tied values share a bin, so a constant parameter explains nothing)
        edges = np.quantile(values, np.linspace(0, 1, SENSITIVITY_BINS + 1)[1:-1])
        bins = np.searchsorted(edges, values, side="right")
        between = sum(np.count_nonzero(bins == b) * (y[bins == b].mean() - y.mean()) ** 2
                      for b in np.unique(bins))
        index = float(between) / variance
        indices.append((name, index if index > 2 * (SENSITIVITY_BINS - 1) / n else 0.0))
    return tuple(sorted(indices, key=lambda item: -item[1]))


# ====================================================================== exact, one parameter at a time
def _exact_flips(scenario, claim, varied, defaults, specs) -> tuple:
    """The exact one-parameter analysis of a strategic-form claim on a 2×2 game (else ``()``)."""
    game = scenario.game
    if not (isinstance(game, Game) and game.is_symbolic and game.shape == (2, 2)
            and {key for key, _ in claim.holds} <= EXACT_PREDICATES):
        return ()
    flips = []
    for parameter in varied:
        found = _one_parameter(scenario, claim, parameter, defaults, uniform=specs[parameter.name].startswith("uniform"))
        if found is not None:
            flips.append(found)
    return tuple(flips)


def _one_parameter(scenario, claim, parameter, defaults, *, uniform: bool) -> ParameterFlips | None:
    symbols = dict(scenario.game.symbols)
    symbols.update({s.name: s for a in scenario.assumptions for s in a.condition.free_symbols})
    x = symbols.get(parameter.name, sympy.Symbol(parameter.name))
    replacement = {symbol: sympy.Rational(defaults[name].numerator, defaults[name].denominator)
                   for name, symbol in symbols.items() if name != parameter.name and name in defaults}
    table = np.asarray(scenario.game.payoffs, dtype=object)  # (row strategy, column strategy, player)
    payoffs = [[sympy.sympify(v).xreplace(replacement) for v in table[..., player].ravel()]
               for player in range(table.shape[-1])]
    differences = [a - b for own in payoffs for i, a in enumerate(own) for b in own[i + 1:]]
    for assumption in scenario.assumptions:
        condition = assumption.condition.xreplace(replacement)
        if hasattr(condition, "lhs"):
            differences.append(condition.lhs - condition.rhs)
    low, high = sympy.Rational(str(parameter.low)), sympy.Rational(str(parameter.high))
    cuts = set()
    for difference in differences:
        if not difference.free_symbols <= {x}:
            return None
        numerator, denominator = sympy.fraction(sympy.together(difference))
        for polynomial in (numerator, denominator):
            if x not in polynomial.free_symbols:
                continue
            for root in sympy.Poly(polynomial, x).real_roots():
                if low < root < high:
                    cuts.add(root)
    points = [low, *sorted(cuts, key=lambda r: sympy.N(r, 50)), high]
    pieces = []  # (a, b, verdict or None where the assumptions fail)
    for a, b in itertools.pairwise(points):
        middle = Fraction(str(sympy.Rational(sympy.N((a + b) / 2, 40))))
        try:
            scenario.resolve({parameter.name: middle})
        except ScenarioError:
            pieces.append((a, b, None))
            continue
        pieces.append((a, b, bool(_verdict(scenario, claim, {parameter.name: middle}))))
    holding, flips = [], []
    previous = None
    for a, b, verdict in pieces:
        if verdict is None:
            previous = None
            continue
        if previous is not None and verdict != previous:
            flips.append(a)
        if verdict and holding and holding[-1][1] == a and previous:
            holding[-1] = (holding[-1][0], b)
        elif verdict:
            holding.append((a, b))
        previous = verdict
    share = None
    if uniform:
        accepted = sum((b - a for a, b, v in pieces if v is not None), sympy.Integer(0))
        share = sympy.radsimp(sympy.simplify(sum((b - a for a, b in holding), sympy.Integer(0)) / accepted)) \
            if accepted else None
    return ParameterFlips(parameter.name, parameter.low, parameter.high, tuple(_exact(h) for h in holding),
                          tuple(_exact(f) for f in flips), _exact(share))


def _exact(value):
    """Rational sympy numbers as Fractions (the package's exact numbers); algebraic ones stay sympy."""
    if isinstance(value, tuple):
        return tuple(_exact(v) for v in value)
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return value
