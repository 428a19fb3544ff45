"""The results of estimation from data: a logit QRE fitted to choice counts (:class:`QREEstimate`) and a
strategic-choice model fitted to the outcomes of a game tree (:class:`StrategicChoiceEstimate`).

Both are maximum-likelihood estimates in floating point (``exact=False``): each states its method,
the tolerance of the optimiser and how its standard errors were obtained (the observed information,
the negative Hessian of the log-likelihood at the optimum). The algorithms are in
:mod:`negotiation.solvers.qre_estimation` and :mod:`negotiation.solvers.strategic_choice`; the
figures in :mod:`negotiation.report.estimation`.

Examples
--------
>>> import negotiation as ng
>>> game = ng.Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]], strategies=(("U", "D"), ("L", "R")))
>>> fit = ng.estimate_qre(game, {"Player 1": {"U": 30, "D": 20}, "Player 2": {"L": 15, "R": 35}})
>>> fit.method, fit.exact, round(fit.precision, 3)
('logit_qre_mle', False, 0.13)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from negotiation.core.document import Document, Table, Text
from negotiation.models.profile import MixedProfile
from negotiation.results.base import Result

__all__ = ["QREEstimate", "StrategicChoiceEstimate", "PRECISION", "normal_quantile"]

#: The name of the logit precision among the estimates (``λ`` in what people read).
PRECISION = "lambda"


def normal_quantile(level: float) -> float:
    """The two-sided standard normal quantile for a confidence ``level`` (1.959964 for 0.95).

    Examples
    --------
    >>> round(normal_quantile(0.95), 6)
    1.959964
    """
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def _shown_name(name: str) -> str:
    return "λ" if name == PRECISION else name


def _number(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value:.6g}"


@dataclass(frozen=True, eq=False)
class QREEstimate(Result):
    """A logit QRE fitted by maximum likelihood to observed choice counts.

    Attributes
    ----------
    game : Game
        The numeric game at the fitted (and fixed) payoff parameter values.
    estimates : Mapping[str, float]
        ``"lambda"`` (the precision λ) first, then every fitted payoff parameter.
    standard_errors : Mapping[str, float]
        From the observed information (``nan`` where the optimum is on a boundary).
    covariance : numpy.ndarray
        The inverse of the observed information, in the order of :attr:`estimates`.
    log_likelihood : float
        ``Σ n_ij log π_ij`` at the estimate (multinomial, without the constant).
    counts : tuple of tuple of float
        The observed counts, per player and strategy (the game's order).
    fitted : MixedProfile
        The QRE at the estimate (floats).
    nash : MixedProfile or None
        The Nash equilibrium the principal branch converges to (λ → ∞).
    nash_log_likelihood : float
        The log-likelihood of the counts at :attr:`nash` (``-inf`` when a strategy played in the data has
        probability 0 there).
    lr_statistic, p_value : float
        The likelihood-ratio test of Nash (λ = ∞) against the QRE, and its p-value from the
        ½χ²₀ + ½χ²₁ mixture (the null is on the boundary of the parameter space).
    curve : numpy.ndarray
        Shape ``(K, 2)``: λ and the log-likelihood at the points of the principal branch traced
        at the fitted payoff parameters (the figure draws a finer grid on the same branch).
    tolerance : float
        The optimiser's tolerance on the score (relative to the log-likelihood).
    at_infinity : bool
        The likelihood still increases at the end of the traced branch: the estimate is λ → ∞.
    messages : tuple of str
        Method, tolerance, standard errors and test, and anything unusual.
    """

    game: Any = field(repr=False)
    estimates: Mapping
    standard_errors: Mapping
    covariance: np.ndarray = field(repr=False)
    log_likelihood: float
    counts: tuple = field(repr=False)
    fitted: MixedProfile = field(repr=False)
    nash: MixedProfile | None = field(repr=False)
    nash_log_likelihood: float
    lr_statistic: float
    p_value: float
    curve: np.ndarray = field(repr=False)
    tolerance: float = 1e-8
    at_infinity: bool = False
    messages: tuple = ()

    method = "logit_qre_mle"
    exact = False
    complete = False  # the likelihood is maximised over the principal branch only

    @property
    def parameters(self) -> Mapping:
        """The payoff parameter values of :attr:`game` (fixed ones and fitted ones)."""
        return dict(self.game.values)

    @property
    def precision(self) -> float:
        """The estimated λ."""
        return float(self.estimates[PRECISION])

    @property
    def n_observations(self) -> float:
        return float(sum(sum(row) for row in self.counts))

    @property
    def aic(self) -> float:
        """Akaike's information criterion, ``2 k - 2 log L`` (``k``: λ and the fitted parameters)."""
        return 2 * len(self.estimates) - 2 * self.log_likelihood

    @property
    def details(self) -> Mapping:
        # JSON has no number for ∞ or NaN: "inf", "-inf" and null stand for them
        return {"log_likelihood": _json_float(self.log_likelihood), "aic": _json_float(self.aic),
                "n_observations": self.n_observations, "nash_log_likelihood": _json_float(self.nash_log_likelihood),
                "lr_statistic": _json_float(self.lr_statistic), "p_value": self.p_value,
                "tolerance": self.tolerance, "at_infinity": self.at_infinity}

    def confidence_interval(self, name: str = PRECISION, level: float = 0.95) -> tuple[float, float]:
        """The Wald interval ``estimate ± z · SE`` of one estimate (``λ`` is kept non-negative)."""
        value, error = float(self.estimates[name]), float(self.standard_errors[name])
        half = normal_quantile(level) * error
        low = value - half
        return (max(low, 0.0) if name == PRECISION else low, value + half)

    def to_records(self) -> list[dict]:
        """One record per strategy: observed count and frequency, the fitted QRE and the Nash probability."""
        records = []
        for i, player in enumerate(self.game.players):
            total = sum(self.counts[i])
            for j, strategy in enumerate(self.game.strategies[i]):
                records.append({
                    "player": player, "strategy": strategy, "count": self.counts[i][j],
                    "observed": self.counts[i][j] / total if total else math.nan,
                    "fitted": float(self.fitted.probabilities[i][j]),
                    "nash": float(self.nash.probabilities[i][j]) if self.nash is not None else math.nan})
        return records

    def estimates_table(self) -> Table:
        """Estimates, standard errors and 95 % Wald intervals."""
        rows = []
        for name, value in self.estimates.items():
            error = self.standard_errors[name]
            if math.isfinite(error):
                low, high = self.confidence_interval(name)
                interval = f"[{low:.6g}, {high:.6g}]"
            else:
                interval = "—"
            rows.append((_shown_name(name), _number(value), _number(error), interval))
        return Table(("parameter", "estimate", "standard error", "95 % interval"),
                     tuple(rows))

    @property
    def title(self) -> str:
        return f"Logit QRE fitted to data{': ' + self.game.title if self.game.title else ''}"

    def document(self) -> Document:
        lines = [self.summary(),
                 (f"Observations: {self.n_observations:g}; log-likelihood {self.log_likelihood:.6f}; "
                 f"AIC {self.aic:.6f}"),
                 (f"Nash (λ → ∞) log-likelihood {_number(self.nash_log_likelihood)}; likelihood-ratio statistic "
                 f"{_number(self.lr_statistic)}, p-value {self.p_value:.4g} (½χ²₀ + ½χ²₁)")]
        frequencies = Table(("player", "strategy", "count", "observed", "fitted QRE", "Nash"),
                            tuple((r["player"], r["strategy"], f"{r['count']:g}", _number(r["observed"]),
                                   _number(r["fitted"]), _number(r["nash"])) for r in self.to_records()))
        return Document(self.title, (Text(tuple(lines)), self.estimates_table(), frequencies),
                        notes=tuple(self.messages))

    def _content(self) -> dict:
        return {
            "game": {"title": self.game.title, "players": list(self.game.players),
                     "strategies": {p: list(s) for p, s in zip(self.game.players, self.game.strategies)}},
            "estimates": {name: {"estimate": _json_float(float(value)),
                                 "standard_error": _json_float(float(self.standard_errors[name]))}
                          for name, value in self.estimates.items()},
            "log_likelihood": _json_float(self.log_likelihood),
            "aic": _json_float(self.aic),
            "n_observations": self.n_observations,
            "likelihood_ratio_test": {"null": "Nash equilibrium (lambda = infinity)",
                                      "nash_log_likelihood": _json_float(self.nash_log_likelihood),
                                      "statistic": _json_float(self.lr_statistic), "p_value": self.p_value,
                                      "distribution": "1/2 chi2(0) + 1/2 chi2(1)"},
            "frequencies": self.to_records(),
        }


def _json_float(value: float):
    """A float for JSON: ``"inf"``/``"-inf"`` for the infinities and ``None`` for NaN (JSON has no number for them)."""
    if math.isnan(value):
        return None
    return value if math.isfinite(value) else ("inf" if value > 0 else "-inf")


@dataclass(frozen=True, eq=False)
class StrategicChoiceEstimate(Result):
    """A strategic-choice model (Signorino 1999) fitted by maximum likelihood to observed outcomes of a tree.

    Attributes
    ----------
    model : str
        ``"logit"`` or ``"probit"``: the distribution of the agent errors.
    coefficients : tuple of str
        ``"U<player>(<outcome>): <regressor>"``, in the order of :attr:`estimates`.
    estimates, standard_errors : numpy.ndarray
        The coefficients and their standard errors (observed information).
    covariance : numpy.ndarray
        The inverse of the observed information.
    log_likelihood : float
        ``Σ log P(observed outcome)`` at the estimate.
    outcomes : tuple of str
        The outcome labels of the tree.
    observed : tuple of int
        How many rows ended in each outcome.
    fitted : tuple of float
        The mean fitted probability of each outcome over the rows.
    tree : str
        The tree, one line.
    tolerance : float
        The optimiser's tolerance on the gradient.
    messages : tuple of str
    """

    model: str
    coefficients: tuple
    estimates: np.ndarray = field(repr=False)
    standard_errors: np.ndarray = field(repr=False)
    covariance: np.ndarray = field(repr=False)
    log_likelihood: float
    outcomes: tuple
    observed: tuple
    fitted: tuple
    tree: str = ""
    tolerance: float = 1e-8
    messages: tuple = ()

    exact = False
    complete = True

    @property
    def method(self) -> str:
        return f"strategic_{self.model}"

    @property
    def n_observations(self) -> int:
        return int(sum(self.observed))

    @property
    def aic(self) -> float:
        return 2 * len(self.coefficients) - 2 * self.log_likelihood

    @property
    def details(self) -> Mapping:
        return {"log_likelihood": self.log_likelihood, "aic": self.aic, "n_observations": self.n_observations,
                "tolerance": self.tolerance}

    def coefficient(self, name: str) -> float:
        """One estimate by its name."""
        return float(self.estimates[self.coefficients.index(name)])

    def standard_error(self, name: str) -> float:
        return float(self.standard_errors[self.coefficients.index(name)])

    def to_records(self) -> list[dict]:
        """One record per coefficient: estimate, standard error, z and two-sided normal p-value."""
        from scipy.stats import norm

        records = []
        for name, value, error in zip(self.coefficients, self.estimates, self.standard_errors):
            z = float(value / error) if error > 0 else math.nan
            records.append({"coefficient": name, "estimate": float(value), "standard_error": float(error),
                            "z": z, "p_value": float(2 * norm.sf(abs(z))) if math.isfinite(z) else math.nan})
        return records

    @property
    def title(self) -> str:
        return f"Strategic {self.model} (Signorino 1999) fitted to {self.n_observations} outcomes"

    def document(self) -> Document:
        lines = [self.summary(), f"Tree: {self.tree}",
                 (f"Observations: {self.n_observations}; log-likelihood {self.log_likelihood:.6f}; "
                 f"AIC {self.aic:.6f}")]
        table = Table(("coefficient", "estimate", "standard error", "z", "p-value"),
                      tuple((r["coefficient"], _number(r["estimate"]), _number(r["standard_error"]),
                             _number(r["z"]), _number(r["p_value"])) for r in self.to_records()))
        outcomes = Table(("outcome", "observed", "fitted (mean)"),
                         tuple((o, str(n), f"{n / max(self.n_observations, 1):.4f} / {f:.4f}")
                               for o, n, f in zip(self.outcomes, self.observed, self.fitted)))
        return Document(self.title, (Text(tuple(lines)), table, outcomes), notes=tuple(self.messages))

    def _content(self) -> dict:
        return {"model": self.model, "tree": self.tree, "coefficients": self.to_records(),
                "log_likelihood": self.log_likelihood, "aic": self.aic,
                "outcomes": [{"outcome": o, "observed": n, "fitted": f}
                             for o, n, f in zip(self.outcomes, self.observed, self.fitted)]}
