"""Maximum-likelihood estimation of the logit QRE from observed choice counts.

The data are counts ``n_ij`` of how often player ``i`` was seen playing strategy ``j``. At precision
``λ`` (and payoff parameters ``θ``) the model's prediction is the logit QRE ``π(λ, θ)`` on the principal
branch (:mod:`negotiation.solvers.quantal_response`), and the log-likelihood of the counts is the
multinomial one without its constant,

    log L(λ, θ) = Σ_ij n_ij log π_ij(λ, θ)

(McKelvey & Palfrey 1995, section 5; Bland & Turocy 2023). :func:`estimate_qre` maximises it:

1. The branch is traced from ``λ = 0`` at the starting payoff parameters and ``log L`` is evaluated at
   every traced point; the best point is the global maximiser along the principal branch (as Gambit's
   ``pygambit.qre.logit_estimate`` does).
2. From there a quasi-Newton method (L-BFGS-B, with ``λ ≥ 0`` and the parameters' declared ranges as
   bounds) refines ``(λ, θ)`` with the exact score: the QRE at a trial point is followed from the
   previous one by Newton's method on the QRE equations (continuation, bisecting the step if Newton
   fails), and the score is ``n · dw/d(λ, θ)`` with ``dw/d(λ, θ) = -H_w⁻¹ H_(λ, θ)`` from the implicit
   function theorem (``w``: the log probabilities, ``H``: the QRE equations).
3. Standard errors come from the observed information ``-∂² log L``, the central differences of the
   exact score at the optimum (step ``1e-4`` relative), inverted.
4. The likelihood-ratio test of Nash (λ = ∞, the limit of the principal branch) against the QRE: with
   ``μ = 1/λ`` the null ``μ = 0`` is on the boundary of the parameter space, so the statistic
   ``2 (log L(λ̂) - log L(Nash))`` is asymptotically ``½χ²₀ + ½χ²₁`` (Self & Liang 1987, case 5) where
   the QRE is a smooth function of ``μ`` at 0 (a mixed Nash limit). When the limit is a strict pure
   equilibrium the statistic is 0 (every observation on it) or infinite (one off it): the test is
   then decided by the data without an asymptotic argument.

References
----------
McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form games. *Games and
Economic Behavior* 10(1): 6-38, section 5 (maximum-likelihood estimation).

Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response equilibrium
correspondence. *Games and Economic Behavior* 51(2): 243-263.

Self, S. G. and Liang, K.-Y. (1987). Asymptotic properties of maximum likelihood estimators and
likelihood ratio tests under nonstandard conditions. *Journal of the American Statistical Association*
82(398): 605-610, case 5 (one parameter on the boundary: ½χ²₀ + ½χ²₁).

Bland, J. R. and Turocy, T. L. (2023). Quantal response equilibrium as a structural model for
estimation: the missing manual. SSRN working paper 4425515.
"""

from __future__ import annotations

import copy
import csv
import io
import math
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.core.lambdify import lambdify_numpy
from negotiation.formats.text import read_text
from negotiation.models.game import Game
from negotiation.models.profile import MixedProfile
from negotiation.results.estimation import PRECISION, QREEstimate
from negotiation.solvers.logit_path import LogitSystem, newton_at_precision
from negotiation.solvers.quantal_response import logit_branch

__all__ = ["EstimationError", "estimate_qre", "read_counts", "MAX_COUNT_ROWS", "MAX_FITTED_PARAMETERS",
           "MAX_ESTIMATION_ITERATIONS"]

#: Rows of a counts file (one per strategy; a game has far fewer strategies than this).
MAX_COUNT_ROWS = 10_000
#: Payoff parameters fitted jointly with λ (each adds a column to the score and two QRE solves to the Hessian;
#: the fit of every payoff of a 2 × 2 game, 8 parameters, took 3 s on 2 cores shared by six processes).
MAX_FITTED_PARAMETERS = 8
#: Iterations of the quasi-Newton refinement (the default of ``max_iterations=`` is 200); each costs one or a
#: few Newton solves of the QRE, about 5 ms on a 3 × 3 game on a loaded machine, so 1000 take about 5 s.
MAX_ESTIMATION_ITERATIONS = 1000
#: Newton's tolerance on the log probabilities of a QRE.
_NEWTON_TOLERANCE = 1e-12
#: Halvings of a continuation step before the QRE at a trial point is given up.
_MAX_HALVINGS = 12


class EstimationError(NegotiationError):
    """Bad input to an estimation (counts, labels, parameters, options) or a fit that cannot be made."""


# ---------------------------------------------------------------------- the data
def read_counts(path) -> dict:
    """Choice counts from a CSV file with the header ``player,strategy,count`` (labels, not indices).

    One row per strategy observed; a strategy without a row has count 0. Counts are non-negative
    numbers (whole numbers are counts of observations; fractional ones act as weights).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "counts.csv"
    >>> _ = path.write_text("player,strategy,count\\nNATO,Restrain,30\\nNATO,Deploy,20\\n")
    >>> read_counts(path)
    {'NATO': {'Restrain': 30.0, 'Deploy': 20.0}}
    """
    text, source = read_text(path, _FileError)
    return parse_counts(text, source)


class _FileError(EstimationError):
    def __init__(self, message, *, source=None, line=None):
        super().__init__(message)


def parse_counts(text: str, source: str = "<counts>") -> dict:
    """The counts of :func:`read_counts` from the text of the file."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["player", "strategy", "count"]:
        raise EstimationError(f"{source}: line 1: expected the header 'player,strategy,count', found "
                              f"{','.join(header or [])!r}")
    counts: dict = {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_COUNT_ROWS:
            raise EstimationError(f"{source}: more than {MAX_COUNT_ROWS:,} rows (MAX_COUNT_ROWS)")
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise EstimationError(f"{source}: line {line}: expected 3 fields (player,strategy,count), found {len(row)}")
        player, strategy, value = (cell.strip() for cell in row)
        number = _count(value, f"{source}: line {line}: count")
        if strategy in counts.setdefault(player, {}):
            raise EstimationError(f"{source}: line {line}: strategy {strategy!r} of {player!r} appears twice")
        counts[player][strategy] = number
    return counts


def _count(value, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EstimationError(f"{where} {value!r}: expected a non-negative number") from None
    if not math.isfinite(number) or number < 0:
        raise EstimationError(f"{where} {value!r}: expected a finite non-negative number")
    return number


def count_vector(game, counts: Mapping) -> np.ndarray:
    """The counts in the game's order (players, then each player's strategies), checked against its labels."""
    if not isinstance(counts, Mapping):
        raise EstimationError(f"counts: expected a mapping player -> {{strategy: count}} or a CSV file, "
                              f"found {type(counts).__name__}")
    vector = []
    for player in counts:
        if player not in game.players:
            raise EstimationError(f"counts: unknown player {player!r} (players: {', '.join(game.players)})")
    for player, labels in zip(game.players, game.strategies):
        row = counts.get(player, {})
        if not isinstance(row, Mapping):
            raise EstimationError(f"counts of {player!r}: expected a mapping strategy -> count")
        for strategy in row:
            if strategy not in labels:
                raise EstimationError(f"counts: unknown strategy {strategy!r} of {player!r} "
                                      f"(strategies: {', '.join(labels)})")
        vector.extend(_count(row.get(s, 0), f"count of {player!r} playing {s!r}") for s in labels)
    vector = np.array(vector, dtype=float)
    if not vector.sum() > 0:
        raise EstimationError("counts: no observations (every count is 0)")
    return vector


# ---------------------------------------------------------------------- the model at (λ, θ)
class _Model:
    """The QRE equations at trial values of λ and the fitted payoff parameters, in the scaled units of a
    :class:`~negotiation.solvers.logit_path.LogitSystem` (payoffs divided by ``2**exponent``)."""

    def __init__(self, game, names: tuple, fixed: Mapping, start: Sequence[float]):
        self.names = names
        self.game = game
        self.fixed = dict(fixed)
        start_game = self.game_at(start)
        self.system = LogitSystem(start_game)
        self.unit = math.ldexp(1.0, self.system.exponent)
        if names:
            import sympy

            replacement = {game.symbols[k]: sympy.Rational(Fraction(v)) for k, v in self.fixed.items()
                           if k in game.symbols}
            symbols = [game.symbols[name] for name in names]
            expressions = [[e.xreplace(replacement) for e in np.moveaxis(game.payoffs, -1, 0)[i].ravel()]
                           for i in range(game.n_players)]
            self._payoffs = lambdify_numpy(symbols, expressions)
            self._derivatives = [lambdify_numpy(symbols, [[sympy.diff(e, s) for e in row] for row in expressions])
                                 for s in symbols]

    def game_at(self, parameters) -> Game:
        """The float game at the fitted values (the fixed ones as given), recording the values."""
        if not self.names:
            return self.game.substitute(self.fixed) if self.game.is_symbolic else self.game
        fitted = {n: float(v) for n, v in zip(self.names, parameters)}
        # substituted exactly (a float 0 payoff trips core.numeric's magnitude check under sympy 1.13), then floats
        exact = self.game.substitute({**self.fixed, **{n: Fraction(v) for n, v in fitted.items()}})
        return Game(exact.players, exact.strategies, exact.to_float().payoffs, title=exact.title,
                    parameters=exact.parameters, values={**exact.values, **fitted})

    def _tensors(self, function, parameters):
        shape = self.game.shape
        raw = function(*(float(v) for v in parameters))
        return [np.broadcast_to(np.asarray(row, dtype=float), (int(np.prod(shape)),)).reshape(shape) / self.unit
                for row in raw]

    def system_at(self, parameters) -> LogitSystem:
        if not self.names:
            return self.system
        system = copy.copy(self.system)
        system.tensors = self._tensors(self._payoffs, parameters)
        return system

    def solve(self, w, theta_from, theta_to):
        """Log probabilities of the QRE at ``theta_to = (λ, θ…)`` followed from ``w`` at ``theta_from``."""
        theta_from, theta_to = np.asarray(theta_from, float), np.asarray(theta_to, float)
        done, current, share = 0.0, w, 1.0
        halvings = 0
        while done < 1.0:
            step = min(share, 1.0 - done)
            target = theta_from + (done + step) * (theta_to - theta_from)
            system = self.system_at(target[1:])
            found = newton_at_precision(system, current, target[0], _NEWTON_TOLERANCE)
            if found is None or float(np.max(np.abs(found - current))) > 1.0:
                halvings += 1
                if halvings > _MAX_HALVINGS:
                    return None
                share = step / 2
                continue
            current, done = found, done + step
        return current

    def score(self, w, theta) -> np.ndarray:
        """``dw/dθ`` (columns: λ, then each fitted parameter) at the QRE ``w``, by the implicit function theorem."""
        system = self.system_at(theta[1:])
        x = np.concatenate([w, [theta[0]]])
        jacobian = system.jacobian(x)
        m = system.dimension
        columns = [jacobian[:, m]]
        if self.names:
            probabilities = [np.exp(v) for v in system.split(w)]
            for derivative in self._derivatives:
                shifted = copy.copy(system)
                shifted.tensors = self._tensors(derivative, theta[1:])
                expected = shifted.payoffs(probabilities)
                column = np.zeros(m)
                for i, (o, n) in enumerate(zip(system.offsets, system.sizes)):
                    column[o + 1:o + n] = -theta[0] * (expected[i][1:] - expected[i][0])
                columns.append(column)
        return -np.linalg.solve(jacobian[:, :m], np.column_stack(columns))


# ---------------------------------------------------------------------- the estimate
def estimate_qre(game, counts, *, parameters=None, values: Mapping | None = None,
                 max_precision: float | None = None, tolerance: float = 1e-8,
                 max_iterations: int = 200) -> QREEstimate:
    """Fit the logit QRE (λ, and optionally payoff parameters) to observed choice counts by maximum likelihood.

    Parameters
    ----------
    game : Game or Scenario
        The game; symbolic (or a scenario of a strategic-form game) when ``parameters`` are fitted.
    counts : mapping or path
        ``{player: {strategy: count}}`` or a CSV file with the header ``player,strategy,count``
        (:func:`read_counts`).
    parameters : sequence of str or mapping, optional
        Payoff parameters fitted jointly with λ: names (starting at their values in ``values`` or their
        defaults) or ``{name: starting value}``. At most :data:`MAX_FITTED_PARAMETERS`.
    values : mapping, optional
        Values of the payoff parameters that are not fitted (default: the declared defaults).
    max_precision : float, optional
        How far the principal branch is searched for the global maximum (default: as
        :func:`~negotiation.solvers.quantal_response.logit_branch`).
    tolerance : float
        The optimiser's tolerance on the score per observation.
    max_iterations : int
        Iterations of the quasi-Newton refinement, at most :data:`MAX_ESTIMATION_ITERATIONS`.

    Returns
    -------
    QREEstimate

    Raises
    ------
    EstimationError
        Unknown labels or parameters, negative counts, bad options, or a fit that cannot be made.

    Notes
    -----
    The estimate of a one-player game (a decision problem) with two choices whose payoffs differ by
    ``d`` solves ``n_1 / N = 1 / (1 + exp(-λ d))``: ``λ̂ = logit(n_1 / N) / d``, with standard error
    ``1 / (|d| sqrt(N p (1 - p)))`` — the binary logit's closed form, which the tests check.

    References
    ----------
    McKelvey and Palfrey (1995), GEB 10: 6-38, section 5; Self and Liang (1987), JASA 82: 605-610;
    see the module's docstring.

    Examples
    --------
    >>> import negotiation as ng

    In this prisoner's dilemma defecting gains 1 whatever the other does, so the QRE plays D with
    probability ``1 / (1 + exp(-λ))`` and the fit is the binary logit: ``λ̂ = log(0.8 / 0.2) = log 4``,
    standard error ``1 / sqrt(200 · 0.8 · 0.2)``.

    >>> pd = ng.Game.from_arrays([[3, 0], [4, 1]], [[3, 4], [0, 1]], strategies=(("C", "D"), ("C", "D")))
    >>> fit = estimate_qre(pd, {"Player 1": {"C": 20, "D": 80}, "Player 2": {"C": 20, "D": 80}})
    >>> round(fit.precision, 6), round(fit.standard_errors["lambda"], 6)
    (1.386294, 0.176777)
    >>> fit.nash.describe(), fit.p_value
    ('Player 1: D; Player 2: D', 0.0)
    """
    if not (isinstance(max_iterations, int) and 1 <= max_iterations <= MAX_ESTIMATION_ITERATIONS):
        raise EstimationError(f"max_iterations {max_iterations!r}: expected a whole number from 1 to "
                              f"{MAX_ESTIMATION_ITERATIONS} (MAX_ESTIMATION_ITERATIONS)")
    if not (isinstance(tolerance, (int, float)) and 0 < tolerance < 1e-2):
        raise EstimationError(f"tolerance {tolerance!r}: expected a number in (0, 1e-2)")
    game, fixed = _game_and_values(game, values)
    names, start = _fitted(game, parameters, fixed)
    vector = count_vector(game, read_counts(counts) if not isinstance(counts, Mapping) else counts)
    fixed = {k: v for k, v in fixed.items() if k not in names}
    model = _Model(game, names, fixed, start)
    branch = logit_branch(model.game_at(start), max_precision=max_precision)
    curve = branch.log_probabilities @ vector
    best = int(np.argmax(curve))
    messages = [(f"maximum likelihood over the principal branch of logit QRE (traced to λ = "
                f"{branch.max_precision:.6g}); the best traced point refined by L-BFGS-B with the exact score "
                f"(implicit function theorem), tolerance {tolerance:g} on the score per observation; floating point")]
    if best == len(curve) - 1:
        if names:
            raise EstimationError("the likelihood increases without bound in λ at the starting parameter values "
                                  "(the counts are on a Nash equilibrium): fit λ alone, or start elsewhere")
        return _at_infinity(game, branch, vector, curve, tolerance, messages)
    if names:
        best = max(best, 1)  # at λ = 0 the payoffs do not matter: no gradient in the parameters there
    theta = np.array([branch.precisions[best] * model.unit, *start], dtype=float)
    w, theta, iterations = _refine(model, branch.log_probabilities[best], theta, vector, tolerance,
                                   max_iterations, branch.max_precision * model.unit, messages)
    if theta[0] <= 0:
        messages.append("the estimate λ = 0 is on the boundary (uniform play fits best): no standard errors")
        covariance, errors = np.full((len(theta),) * 2, math.nan), [math.nan] * len(theta)
    else:
        covariance, errors = _standard_errors(model, w, theta, vector, names, messages)
    fitted_game = model.game_at(theta[1:])
    fitted_branch = logit_branch(fitted_game, max_precision=max_precision) if names else branch
    log_likelihood = float(vector @ w)
    limit = fitted_branch.limit()
    nash_ll = _log_likelihood(vector, [float(p) for probs in limit.profile.probabilities for p in probs])
    statistic, p_value = _likelihood_ratio(log_likelihood, nash_ll)
    messages.append(f"{iterations} quasi-Newton iterations; standard errors from the observed information "
                    "(central differences of the exact score, step 1e-4 relative)")
    messages.append("likelihood-ratio test of Nash (λ = ∞, the limit of the principal branch"
                    + (", at the fitted payoff parameters: an upper bound on the statistic with them re-fitted"
                       if names else "") + "): p-value from ½χ²₀ + ½χ²₁ (Self and Liang 1987, the null on the "
                    "boundary μ = 1/λ = 0); asymptotic only where the limit is mixed")
    estimates = {PRECISION: float(theta[0] / model.unit), **dict(zip(names, (float(v) for v in theta[1:])))}
    return QREEstimate(
        game=fitted_game, estimates=estimates, standard_errors=dict(zip(estimates, errors)),
        covariance=covariance, log_likelihood=log_likelihood, counts=_rows(game, vector),
        fitted=_profile(game, np.exp(w)), nash=limit.profile, nash_log_likelihood=nash_ll,
        lr_statistic=statistic, p_value=p_value,
        curve=np.column_stack([fitted_branch.precisions, fitted_branch.log_probabilities @ vector]),
        tolerance=float(tolerance), messages=tuple(messages))


def _game_and_values(game, values):
    """A game and the values of its parameters: a scenario gives its symbolic game and resolved values."""
    if not isinstance(game, Game) and hasattr(game, "resolve") and isinstance(getattr(game, "game", None), Game):
        return game.game, dict(game.resolve(values))
    if not isinstance(game, Game):
        raise EstimationError(f"estimate_qre takes a strategic-form game or its scenario, not "
                              f"{type(game).__name__}")
    defaults = {k: v for k, v in game.parameters.defaults.items() if v is not None} if game.is_symbolic else {}
    return game, {**defaults, **dict(game.values), **dict(values or {})}


def _fitted(game, parameters, fixed) -> tuple[tuple, list]:
    if parameters is None:
        parameters = ()
    if isinstance(parameters, str):
        parameters = [p.strip() for p in parameters.split(",") if p.strip()]
    if len(parameters) > MAX_FITTED_PARAMETERS:
        raise EstimationError(f"{len(parameters)} fitted parameters: at most {MAX_FITTED_PARAMETERS} "
                              "(MAX_FITTED_PARAMETERS)")
    names, start = [], []
    for name in parameters:
        if not game.is_symbolic or name not in game.symbols:
            declared = ", ".join(game.symbols) if game.is_symbolic else "none"
            raise EstimationError(f"fitted parameter {name!r}: the game's payoffs do not use it "
                                  f"(parameters: {declared})")
        value = parameters[name] if isinstance(parameters, Mapping) else fixed.get(name)
        if value is None:
            raise EstimationError(f"fitted parameter {name!r}: no starting value (give one: {{{name!r}: value}})")
        names.append(name)
        start.append(float(value))
    missing = [s for s in (game.symbols if game.is_symbolic else ()) if s not in names and s not in fixed]
    if missing:
        raise EstimationError(f"parameter {missing[0]!r} has no value: set it (values=...) or fit it")
    return tuple(names), start


def _bounds(model, lambda_max) -> list:
    bounds = [(0.0, lambda_max)]
    for name in model.names:
        parameter = model.game.parameters[name]
        bounds.append((None if parameter.low is None else float(parameter.low),
                       None if parameter.high is None else float(parameter.high)))
    return bounds


def _refine(model, w, theta, vector, tolerance, max_iterations, lambda_max, messages):
    """L-BFGS-B on ``-log L / N`` from the best traced point, following the QRE by continuation."""
    from scipy.optimize import minimize

    total = float(vector.sum())
    state = {"w": w, "theta": theta}

    def objective(candidate):
        found = model.solve(state["w"], state["theta"], candidate)
        if found is None:
            return math.inf, np.zeros_like(candidate)
        state["w"], state["theta"] = found, np.array(candidate, dtype=float)
        gradient = vector @ model.score(found, candidate)
        return -float(vector @ found) / total, -gradient / total

    outcome = minimize(objective, theta, jac=True, method="L-BFGS-B", bounds=_bounds(model, lambda_max),
                       options={"maxiter": max_iterations, "gtol": tolerance, "ftol": 1e-15})
    final = model.solve(state["w"], state["theta"], outcome.x)
    if final is None or not np.all(np.isfinite(final)):
        raise EstimationError("the QRE could not be followed to the optimiser's point (a fold of the QRE "
                              "correspondence?): try other starting values")
    if not outcome.success:
        messages.append(f"the optimiser stopped before its tolerance: {outcome.message}")
    if outcome.x[0] >= lambda_max * (1 - 1e-9):
        messages.append("the estimate of λ is at the end of the searched range (max_precision)")
    return final, np.asarray(outcome.x, dtype=float), int(outcome.nit)


def _standard_errors(model, w, theta, vector, names, messages):
    """Covariance (in the game's λ units) and standard errors from the observed information."""
    k = len(theta)
    hessian = np.zeros((k, k))
    for j in range(k):
        step = 1e-4 * max(1.0, abs(theta[j]))
        scores = []
        for sign in (1, -1):
            shifted = theta.copy()
            shifted[j] += sign * step
            found = model.solve(w, theta, shifted)
            if found is None:
                messages.append("standard errors not available: the QRE could not be followed near the optimum")
                return np.full((k, k), math.nan), [math.nan] * k
            scores.append(vector @ model.score(found, shifted))
        hessian[:, j] = (scores[0] - scores[1]) / (2 * step)
    information = -(hessian + hessian.T) / 2
    scale = np.diag([1 / model.unit] + [1.0] * len(names))  # internal λ back to the game's
    try:
        eigenvalues = np.linalg.eigvalsh(information)
        if eigenvalues.min() <= 1e-12 * max(abs(eigenvalues.max()), 1e-300):
            raise np.linalg.LinAlgError
        covariance = scale @ np.linalg.inv(information) @ scale
    except np.linalg.LinAlgError:
        messages.append("the observed information is not positive definite: the parameters are not identified "
                        "from these counts (or the optimum is on a boundary); no standard errors")
        return np.full((k, k), math.nan), [math.nan] * k
    return covariance, [float(math.sqrt(v)) for v in np.diag(covariance)]


def _log_likelihood(vector, probabilities) -> float:
    total = 0.0
    for n, p in zip(vector, probabilities):
        if n > 0:
            if p <= 0:
                return -math.inf
            total += n * math.log(p)
    return total


def _likelihood_ratio(log_likelihood, nash_log_likelihood) -> tuple[float, float]:
    """The statistic and its p-value under ½χ²₀ + ½χ²₁ (Self and Liang 1987, case 5)."""
    from scipy.stats import chi2

    if nash_log_likelihood == -math.inf:
        return math.inf, 0.0
    statistic = max(0.0, 2 * (log_likelihood - nash_log_likelihood))
    return statistic, (1.0 if statistic == 0 else 0.5 * float(chi2.sf(statistic, 1)))


def _at_infinity(game, branch, vector, curve, tolerance, messages) -> QREEstimate:
    """The estimate when the likelihood increases along the whole branch: λ → ∞, the Nash limit."""
    limit = branch.limit()
    probabilities = [float(p) for probs in limit.profile.probabilities for p in probs]
    nash_ll = _log_likelihood(vector, probabilities)
    messages.append("the likelihood increases along the whole principal branch: the estimate is λ → ∞ (the "
                    "counts are best explained by the Nash equilibrium the branch converges to); no standard error")
    return QREEstimate(
        game=game, estimates={PRECISION: math.inf}, standard_errors={PRECISION: math.nan},
        covariance=np.full((1, 1), math.nan), log_likelihood=nash_ll, counts=_rows(game, vector),
        fitted=limit.profile, nash=limit.profile, nash_log_likelihood=nash_ll, lr_statistic=0.0, p_value=1.0,
        curve=np.column_stack([branch.precisions, curve]), tolerance=float(tolerance), at_infinity=True,
        messages=tuple(messages))


def _rows(game, vector) -> tuple:
    rows, start = [], 0
    for n in game.shape:
        rows.append(tuple(float(v) for v in vector[start:start + n]))
        start += n
    return tuple(rows)


def _profile(game, vector) -> MixedProfile:
    return MixedProfile(tuple(game.players), tuple(game.strategies), _rows(game, vector))
