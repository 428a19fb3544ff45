"""Strategic-choice estimation on small game trees (Signorino 1999): agent-error logit and probit.

Each row of the data is one play of a perfect-information tree — say the four-outcome deterrence game,
where state 1 challenges the status quo or not, state 2 resists or capitulates, and state 1 then fights
or backs down — with the outcome observed (``SQ``, ``CAP``, ``BD``, ``WAR``) and regressors. The players'
utilities for the outcomes are linear in the regressors, ``U_i(o) = x_r · β_(i,o)``, with unlisted ones
fixed at 0 (the normalisation that identifies the model). Every player's choice at a node has an agent
error: with errors of type-I extreme value (logit) the player takes action ``a`` with probability

    P(a) = exp(V_a) / Σ_b exp(V_b),

``V_a`` the player's expected utility of the subtree after ``a`` given the choice probabilities below it;
with independent standard normal errors (probit, two actions) ``P(a) = Φ((V_a - V_b) / √2)``. Solving the
tree from the leaves gives every outcome's probability as a function of ``β`` (Signorino 1999, equations
(3)-(6) for the deterrence game), and ``β`` is estimated by maximum likelihood. The errors' scale is 1,
which fixes the scale of the utilities.

The maximisation is quasi-Newton (BFGS) on ``-log L / N`` with central-difference gradients from ``β = 0``;
the standard errors come from the observed information, the central second differences of ``log L`` at the
optimum (step ``1e-4`` relative), inverted.

References
----------
Signorino, C. S. (1999). Strategic interaction and the statistical analysis of international conflict.
*American Political Science Review* 93(2): 279-297 (the agent-error model: pp. 282-285, equations 3-6,
Figure 2, the deterrence game).

Signorino, C. S. (2003). Structure and uncertainty in discrete choice models. *Political Analysis* 11(4):
316-344 (agent error vs private information).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from negotiation.core.errors import NegotiationError
from negotiation.formats.text import read_text
from negotiation.results.estimation import StrategicChoiceEstimate
from negotiation.solvers.qre_estimation import MAX_ESTIMATION_ITERATIONS

__all__ = ["StrategicChoiceError", "ChoiceTree", "deterrence_tree", "estimate_strategic_choice",
           "outcome_probabilities", "read_table", "simulate_outcomes", "MAX_STRATEGIC_CHOICE_ROWS", "MAX_STRATEGIC_CHOICE_COEFFICIENTS",
           "MAX_CHOICE_TREE_NODES"]

#: Rows of a data table (the default of ``max_rows=``): the fit of 30 coefficients to 100,000 rows of the
#: deterrence game took 25 s (94 BFGS iterations, 2 cores shared), to 20,000 rows about 5 s, 7 coefficients
#: to 20,000 rows under 1 s.
MAX_STRATEGIC_CHOICE_ROWS = 20_000
#: Coefficients of one model (the Hessian costs 4 k² log-likelihoods).
MAX_STRATEGIC_CHOICE_COEFFICIENTS = 30
#: Decision nodes and outcomes of a tree.
MAX_CHOICE_TREE_NODES = 50
#: The name of the constant regressor (a column of ones, unless the data has a column of that name).
CONSTANT = "const"
_UTILITY = re.compile(r"^U(?P<player>[^()]+)\((?P<outcome>[^()]+)\)$")


class StrategicChoiceError(NegotiationError):
    """Bad input to a strategic-choice estimation (tree, utilities, data table, options) or a fit that fails."""


# ---------------------------------------------------------------------- the tree
@dataclass(frozen=True)
class ChoiceTree:
    """A perfect-information game tree for strategic choice: a decision node or an outcome.

    Attributes
    ----------
    player : str or None
        Who moves here (``None`` at an outcome).
    actions : tuple of (str, ChoiceTree)
        The actions and the subtrees they lead to.
    outcome : str or None
        The outcome label at a leaf.
    """

    player: str | None = None
    actions: tuple = ()
    outcome: str | None = None

    @classmethod
    def build(cls, spec) -> ChoiceTree:
        """From nested data: an outcome label, or ``(player, [(action, subtree), …])``."""
        tree = cls._build(spec, [0])
        outcomes = tree.outcomes
        if len(set(outcomes)) != len(outcomes):
            raise StrategicChoiceError(f"tree: every outcome label must be distinct, found {list(outcomes)}")
        return tree

    @classmethod
    def _build(cls, spec, count) -> ChoiceTree:
        count[0] += 1
        if count[0] > MAX_CHOICE_TREE_NODES:
            raise StrategicChoiceError(f"tree: more than {MAX_CHOICE_TREE_NODES} nodes (MAX_CHOICE_TREE_NODES)")
        if isinstance(spec, ChoiceTree):
            return spec
        if isinstance(spec, str):
            return cls(outcome=spec)
        try:
            player, actions = spec
            actions = [(str(label), cls._build(child, count)) for label, child in actions]
        except (TypeError, ValueError):
            raise StrategicChoiceError(f"tree: expected an outcome label or (player, [(action, subtree), ...]), "
                                       f"found {spec!r}") from None
        if len(actions) < 2:
            raise StrategicChoiceError(f"tree: player {player!r} needs at least two actions at a node")
        return cls(player=str(player), actions=tuple(actions))

    @property
    def outcomes(self) -> tuple:
        """The outcome labels, left to right."""
        if self.outcome is not None:
            return (self.outcome,)
        return tuple(o for _, child in self.actions for o in child.outcomes)

    @property
    def players(self) -> tuple:
        """Who moves somewhere in the tree, in order of first appearance."""
        found = [] if self.player is None else [self.player]
        for _, child in self.actions:
            found.extend(p for p in child.players if p not in found)
        return tuple(dict.fromkeys(found))

    def describe(self) -> str:
        """One line: ``1: [not challenge -> SQ, challenge -> 2: [...]]``."""
        if self.outcome is not None:
            return self.outcome
        return f"{self.player}: [" + ", ".join(f"{a} -> {c.describe()}" for a, c in self.actions) + "]"


def deterrence_tree() -> ChoiceTree:
    """Signorino's (1999, Figure 2) four-outcome deterrence game.

    Examples
    --------
    >>> deterrence_tree().outcomes
    ('SQ', 'CAP', 'BD', 'WAR')
    """
    return ChoiceTree.build(("1", [("not challenge", "SQ"),
                                   ("challenge", ("2", [("not resist", "CAP"),
                                                        ("resist", ("1", [("back down", "BD"),
                                                                          ("fight", "WAR")]))]))]))


def outcome_probabilities(tree: ChoiceTree, utilities: Mapping, model: str = "logit") -> dict:
    """Each outcome's probability under agent error, from each player's utility of each outcome.

    ``utilities`` maps ``(player, outcome)`` to a number or an array (one value per row); missing ones are 0.

    Examples
    --------
    With every utility 0, each of two actions is taken with probability 1/2:

    >>> {o: float(p) for o, p in outcome_probabilities(deterrence_tree(), {}).items()}
    {'SQ': 0.5, 'CAP': 0.25, 'BD': 0.125, 'WAR': 0.125}
    """
    if model not in ("logit", "probit"):
        raise StrategicChoiceError(f"model {model!r}: expected 'logit' or 'probit'")
    _, probabilities = _solve(tree, utilities, tree.players, model)
    return probabilities


def _solve(node, utilities, players, model):
    """(expected utility of each player, probability of each outcome) of the subtree at ``node``."""
    if node.outcome is not None:
        return ({p: np.asarray(utilities.get((p, node.outcome), 0.0), dtype=float) for p in players},
                {node.outcome: np.asarray(1.0)})
    children = [_solve(child, utilities, players, model) for _, child in node.actions]
    values = np.stack(np.broadcast_arrays(*(c[0][node.player] for c in children)))
    if model == "logit":
        shifted = np.exp(values - values.max(axis=0))
        choice = shifted / shifted.sum(axis=0)
    else:
        if len(children) != 2:
            raise StrategicChoiceError(f"probit: the node of player {node.player!r} has {len(children)} actions; "
                                       "the agent-error probit here takes two")
        from scipy.special import ndtr

        first = ndtr((values[0] - values[1]) / math.sqrt(2))
        choice = np.stack([first, 1 - first])
    expected = {p: sum(choice[a] * c[0][p] for a, c in enumerate(children)) for p in players}
    probabilities = {}
    for a, (_, below) in enumerate(children):
        for outcome, p in below.items():
            probabilities[outcome] = choice[a] * p
    return expected, probabilities


# ---------------------------------------------------------------------- the data
def read_table(path, max_rows: int = MAX_STRATEGIC_CHOICE_ROWS) -> dict:
    """A data table from a CSV file with a header: one column ``outcome`` (labels) and numeric regressors.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "crises.csv"
    >>> _ = path.write_text("outcome,x\\nSQ,0.5\\nWAR,-1\\n")
    >>> read_table(path)
    {'outcome': ['SQ', 'WAR'], 'x': ['0.5', '-1']}
    """
    text, source = read_text(path, _FileError)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if "outcome" not in header:
        raise StrategicChoiceError(f"{source}: line 1: expected a header with a column 'outcome', found "
                                   f"{','.join(header)!r}")
    columns = {name: [] for name in header}
    for line, row in enumerate(reader, start=2):
        if line - 1 > max_rows:
            raise StrategicChoiceError(f"{source}: more than {max_rows:,} rows (MAX_STRATEGIC_CHOICE_ROWS; "
                                       "max_rows= or --max-rows raises it)")
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise StrategicChoiceError(f"{source}: line {line}: expected {len(header)} fields, found {len(row)}")
        for name, cell in zip(header, row):
            columns[name].append(cell.strip())
    return columns


class _FileError(StrategicChoiceError):
    def __init__(self, message, *, source=None, line=None):
        super().__init__(message)


def _columns(data, max_rows) -> dict:
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        return {str(c): list(data[c]) for c in data.columns}
    if isinstance(data, Mapping):
        return {str(k): list(v) for k, v in data.items()}
    return read_table(data, max_rows)


def _specification(utilities, tree) -> list:
    """``[((player, outcome), [regressor, …]), …]`` from ``{"U1(SQ)": ["const", "x"], …}``."""
    if not isinstance(utilities, Mapping) or not utilities:
        raise StrategicChoiceError("utilities: expected a mapping like {'U1(WAR)': ['const', 'x']}")
    specification = []
    for key, regressors in utilities.items():
        if isinstance(key, tuple):
            player, outcome = (str(v) for v in key)
        else:
            match = _UTILITY.match(str(key).replace(" ", ""))
            if match is None:
                raise StrategicChoiceError(f"utilities: {key!r}: expected 'U<player>(<outcome>)' such as 'U1(WAR)'")
            player, outcome = match["player"], match["outcome"]
        if player not in tree.players or outcome not in tree.outcomes:
            raise StrategicChoiceError(f"utilities: {key!r}: players are {', '.join(tree.players)} and outcomes "
                                       f"{', '.join(tree.outcomes)}")
        names = [regressors] if isinstance(regressors, str) else list(regressors)
        specification.append(((player, outcome), [str(n) for n in names]))
    return specification


def _design(columns, specification, tree, max_rows):
    """The outcome index of every row and the regressor matrix of every utility."""
    if "outcome" not in columns:
        raise StrategicChoiceError("data: expected a column 'outcome'")
    outcomes = columns["outcome"]
    rows = len(outcomes)
    if not 0 < rows <= max_rows:
        raise StrategicChoiceError(f"data: {rows:,} rows; expected 1 to {max_rows:,} (MAX_STRATEGIC_CHOICE_ROWS; "
                                   "max_rows= or --max-rows raises it)")
    labels = tree.outcomes
    index = np.empty(rows, dtype=int)
    for r, outcome in enumerate(outcomes):
        if str(outcome) not in labels:
            raise StrategicChoiceError(f"data: row {r + 1}: outcome {outcome!r} is not one of {', '.join(labels)}")
        index[r] = labels.index(str(outcome))
    matrices = []
    for (player, outcome), names in specification:
        matrix = []
        for name in names:
            if name not in columns and name != CONSTANT:
                raise StrategicChoiceError(f"utilities: U{player}({outcome}): no column {name!r} in the data "
                                           f"(columns: {', '.join(columns)})")
            matrix.append(np.ones(rows) if name not in columns else _numbers(columns[name], name))
        matrices.append(np.column_stack(matrix) if matrix else np.zeros((rows, 0)))
    return index, matrices


def _numbers(values, name) -> np.ndarray:
    try:
        array = np.array([float(v) for v in values], dtype=float)
    except (TypeError, ValueError):
        raise StrategicChoiceError(f"data: column {name!r}: expected numbers") from None
    if not np.all(np.isfinite(array)):
        raise StrategicChoiceError(f"data: column {name!r}: expected finite numbers")
    return array


# ---------------------------------------------------------------------- the estimate
def estimate_strategic_choice(data, utilities: Mapping, *, tree=None, model: str = "logit",
                              tolerance: float = 1e-7, max_iterations: int = 500,
                              max_rows: int = MAX_STRATEGIC_CHOICE_ROWS) -> StrategicChoiceEstimate:
    """Fit a strategic-choice model (Signorino 1999) by maximum likelihood.

    Parameters
    ----------
    data : mapping, DataFrame or path
        Columns: ``outcome`` (labels of the tree's outcomes) and numeric regressors; a CSV file with a header
        (:func:`read_table`).
    utilities : mapping
        ``{"U<player>(<outcome>)": [regressor, …]}``: the regressors of each utility that is not fixed at 0
        (``"const"``: a constant). Each becomes one coefficient ``"U1(WAR): x"``.
    tree : ChoiceTree or nested data, optional
        A perfect-information tree (:meth:`ChoiceTree.build`); default :func:`deterrence_tree`.
    model : {"logit", "probit"}
        The distribution of the agent errors (probit: nodes with two actions).
    tolerance : float
        The optimiser's tolerance on the gradient of ``log L`` per row.
    max_rows : int
        Refuse a table with more rows (default :data:`MAX_STRATEGIC_CHOICE_ROWS`; each row costs time in every
        iteration).
    max_iterations : int
        BFGS iterations, at most :data:`~negotiation.solvers.qre_estimation.MAX_ESTIMATION_ITERATIONS`.

    Returns
    -------
    StrategicChoiceEstimate

    Examples
    --------
    With constants only the model has three free probabilities and three coefficients, so the fit
    reproduces the frequencies: state 1 fights after resistance with odds 20 : 20 (``U1(WAR) = 0``),
    state 2 resists with odds 40 : 20 given a fight probability of 1/2 (``U2(WAR) · 1/2 = log 2``).

    >>> data = {"outcome": ["SQ"] * 40 + ["CAP"] * 20 + ["BD"] * 20 + ["WAR"] * 20}
    >>> fit = estimate_strategic_choice(data, {"U1(WAR)": ["const"], "U2(WAR)": ["const"], "U1(SQ)": ["const"]})
    >>> abs(fit.coefficient("U1(WAR): const")) < 1e-8, round(fit.coefficient("U2(WAR): const"), 6)
    (True, 1.386294)

    References
    ----------
    Signorino (1999), APSR 93(2): 279-297, equations (3)-(6); see the module's docstring.
    """
    tree = deterrence_tree() if tree is None else ChoiceTree.build(tree)
    if model not in ("logit", "probit"):
        raise StrategicChoiceError(f"model {model!r}: expected 'logit' or 'probit'")
    if not (isinstance(max_iterations, int) and 1 <= max_iterations <= MAX_ESTIMATION_ITERATIONS):
        raise StrategicChoiceError(f"max_iterations {max_iterations!r}: expected a whole number from 1 to "
                                   f"{MAX_ESTIMATION_ITERATIONS} (MAX_ESTIMATION_ITERATIONS)")
    if not (isinstance(max_rows, int) and max_rows >= 1):
        raise StrategicChoiceError(f"max_rows {max_rows!r}: expected a positive whole number")
    if not (isinstance(tolerance, (int, float)) and 0 < tolerance < 1e-2):
        raise StrategicChoiceError(f"tolerance {tolerance!r}: expected a number in (0, 1e-2)")
    specification = _specification(utilities, tree)
    names = tuple(f"U{player}({outcome}): {r}" for (player, outcome), regressors in specification
                  for r in regressors)
    if not 0 < len(names) <= MAX_STRATEGIC_CHOICE_COEFFICIENTS:
        raise StrategicChoiceError(f"{len(names)} coefficients: expected 1 to {MAX_STRATEGIC_CHOICE_COEFFICIENTS} "
                                   "(MAX_STRATEGIC_CHOICE_COEFFICIENTS)")
    index, matrices = _design(_columns(data, max_rows), specification, tree, max_rows)
    likelihood = _Likelihood(tree, specification, matrices, index, model)
    beta, messages = _maximise(likelihood, len(names), tolerance, max_iterations)
    covariance = _covariance(likelihood.hessian(beta), names)
    # one Newton step with the observed information removes what the optimiser's tolerance left
    beta = beta + covariance @ likelihood.gradient(beta)
    observed = tuple(int(np.sum(index == k)) for k in range(len(tree.outcomes)))
    fitted = likelihood.mean_probabilities(beta)
    messages.append("then one Newton step with the observed information; standard errors from the observed "
                    "information (each row's second differences in its utilities, step 1e-4, by the chain rule)")
    return StrategicChoiceEstimate(
        model=model, coefficients=names, estimates=beta, standard_errors=np.sqrt(np.diag(covariance)),
        covariance=covariance, log_likelihood=likelihood.value(beta), outcomes=tree.outcomes, observed=observed,
        fitted=fitted, tree=tree.describe(), tolerance=float(tolerance), messages=tuple(messages))


class _Likelihood:
    """``log L`` and its derivatives in ``β`` through the utilities.

    Each row's log-likelihood depends only on that row's utilities (a handful: one per listed utility), so a
    difference in one utility, made in every row at once, gives every row's derivative; the chain rule
    (the utilities are linear in ``β``) then gives the gradient ``Σ_r g_m(r) x_r`` and the Hessian
    ``Σ_r h_mn(r) x_r x_rᵀ``. The cost is a few log-likelihoods per utility, whatever the number of coefficients.
    """

    def __init__(self, tree, specification, matrices, index, model):
        self.tree, self.index, self.model = tree, index, model
        self.rows = len(index)
        self.keys = list(dict.fromkeys(key for key, _ in specification))
        self.blocks, start = [], 0
        for (key, _), matrix in zip(specification, matrices):
            self.blocks.append((self.keys.index(key), slice(start, start + matrix.shape[1]), matrix))
            start += matrix.shape[1]

    def utilities(self, beta) -> list:
        values = [np.zeros(self.rows) for _ in self.keys]
        for m, part, matrix in self.blocks:
            values[m] = values[m] + matrix @ beta[part]
        return values

    def per_row(self, values) -> np.ndarray:
        probabilities = outcome_probabilities(self.tree, dict(zip(self.keys, values)), self.model)
        table = np.stack([np.broadcast_to(probabilities[o], (self.rows,)) for o in self.tree.outcomes])
        return np.log(np.maximum(table[self.index, np.arange(self.rows)], 1e-300))

    def mean_probabilities(self, beta) -> tuple:
        """Each outcome's probability averaged over the rows."""
        probabilities = outcome_probabilities(self.tree, dict(zip(self.keys, self.utilities(beta))), self.model)
        return tuple(float(np.mean(np.broadcast_to(probabilities[o], (self.rows,)))) for o in self.tree.outcomes)

    def value(self, beta) -> float:
        return float(np.sum(self.per_row(self.utilities(beta))))

    def _shifted(self, values, shifts) -> np.ndarray:
        moved = list(values)
        for m, step in shifts:
            moved[m] = moved[m] + step
        return self.per_row(moved)

    def gradient(self, beta, step: float = 1e-5) -> np.ndarray:
        values = self.utilities(beta)
        row_gradients = [(self._shifted(values, [(m, step)]) - self._shifted(values, [(m, -step)])) / (2 * step)
                         for m in range(len(self.keys))]
        out = np.zeros(len(beta))
        for m, part, matrix in self.blocks:
            out[part] += matrix.T @ row_gradients[m]
        return out

    def hessian(self, beta, step: float = 1e-4) -> np.ndarray:
        values = self.utilities(beta)
        centre = self.per_row(values)
        size = len(self.keys)
        second = {}
        for m in range(size):
            second[m, m] = (self._shifted(values, [(m, step)]) - 2 * centre
                            + self._shifted(values, [(m, -step)])) / step ** 2
            for n in range(m + 1, size):
                total = sum(sign * self._shifted(values, [(m, a * step), (n, b * step)])
                            for a, b, sign in ((1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)))
                second[m, n] = second[n, m] = total / (4 * step ** 2)
        out = np.zeros((len(beta), len(beta)))
        for m, part_m, matrix_m in self.blocks:
            for n, part_n, matrix_n in self.blocks:
                out[part_m, part_n] = matrix_m.T @ (second[m, n][:, None] * matrix_n)
        return out


def _maximise(likelihood, size, tolerance, max_iterations):
    from scipy.optimize import minimize

    rows = likelihood.rows
    outcome = minimize(lambda beta: -likelihood.value(beta) / rows, np.zeros(size),
                       jac=lambda beta: -likelihood.gradient(beta) / rows, method="BFGS",
                       options={"gtol": tolerance, "maxiter": max_iterations})
    messages = [(f"maximum likelihood by BFGS from β = 0 ({outcome.nit} iterations; gradient by the chain rule from "
                f"central differences in the utilities, tolerance {tolerance:g} on the gradient per row); agent "
                "errors of scale 1; floating point")]
    if not outcome.success and float(np.max(np.abs(likelihood.gradient(outcome.x)))) / rows > 100 * tolerance:
        messages.append(f"the optimiser stopped before its tolerance: {outcome.message}")
    return np.asarray(outcome.x, dtype=float), messages


def _covariance(hessian, names) -> np.ndarray:
    information = -(hessian + hessian.T) / 2
    eigenvalues = np.linalg.eigvalsh(information)
    if eigenvalues.min() <= 1e-9 * max(abs(eigenvalues.max()), 1e-300):
        # the eigenvector of the smallest eigenvalue names the combination the data cannot pin down
        direction = np.linalg.eigh(information)[1][:, 0]
        involved = ", ".join(n for n, v in zip(names, direction) if abs(v) > 0.1)
        raise StrategicChoiceError(f"the observed information is singular: the coefficients ({involved}) are not "
                                   "identified from these data (a constant in every utility of a player, a regressor "
                                   "without variation, or an outcome never observed?)")
    return np.linalg.inv(information)


def simulate_outcomes(tree: ChoiceTree, utilities: Mapping, rng, model: str = "logit") -> list:
    """Draw one outcome per row from the agent-error model (for tests and examples).

    ``utilities`` as for :func:`outcome_probabilities` (arrays of one value per row); ``rng`` a
    :class:`numpy.random.Generator`.
    """
    probabilities = outcome_probabilities(tree, utilities, model)
    rows = max(np.size(p) for p in probabilities.values())
    table = np.stack([np.broadcast_to(probabilities[o], (rows,)) for o in tree.outcomes], axis=1)
    draws = rng.random(rows)
    chosen = (np.cumsum(table, axis=1) < draws[:, None]).sum(axis=1)
    return [tree.outcomes[min(k, len(tree.outcomes) - 1)] for k in chosen]

