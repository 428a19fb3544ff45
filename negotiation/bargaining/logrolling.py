"""Multi-issue bargaining: issue-by-issue splits, package deals and logrolling.

Model [@Raiffa1982; @Sebenius1983; @TollisonWillett1979].
Two parties bargain over ``K`` divisible issues. A *package* gives the first
party the share ``x_k ∈ [0, 1]`` of issue ``k`` and the second party the
rest. Utilities are additive: ``u_1(x) = Σ_k w_1k·x_k`` and
``u_2(x) = Σ_k w_2k·(1 - x_k)``.

* The *issue-by-issue split* settles every issue on its own (by default
  half each; or in proportion to the weights, or any given shares).
* A *package deal* trades across issues. Its Pareto frontier (a fractional
  knapsack): order the issues by ``w_1k / w_2k``, highest first; efficient
  packages concede issues to the first party in that order, with at most one
  issue split. Joint gains over the equal split exist iff the ratios differ
  (logrolling: each side concedes what it cares about less).
* The packages that Pareto-dominate the split form the part of the frontier
  between two extreme packages: the best for each party that leaves the
  other at least its split utility. They are found by linear programs solved
  with SciPy's HiGHS and then rebuilt exactly for rational data (free shares
  solved from the tight constraints, checked exactly, and compared with the
  exact frontier). The *balanced package* maximises the smaller of the two
  gains (leximin: usually equal gains; where the frontier is flat, the other
  party gains as much as it can on top).
* The *efficient trade* gives each issue to the party that values it more
  (``w_1k > w_2k``: to the first party; ties keep the split share). It
  maximises the sum of utilities, which compares weights across parties: it
  is meaningful only if the weights are on a common scale, and it need not
  leave both parties better off than the split.

Results are labelled "toolkit parametrisation" (a toolkit derivation from [@Raiffa1982; @Sebenius1983]).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping, Sequence

from negotiation.core.errors import NegotiationError
from negotiation.core.linalg import solve_exact
from negotiation.core.numeric import coerce_number, format_number
from negotiation.results.linkage import LogrollingPackage, LogrollingResult

__all__ = ["LogrollingPackage", "LogrollingResult", "logrolling"]

#: A float share within this of 0 or 1 is read as on that bound; a float slack below it as tight.
LP_TOLERANCE = 1e-9


def logrolling(
    weights,
    *,
    players: Sequence[str] | None = None,
    issues: Sequence[str] | None = None,
    split="equal",
) -> LogrollingResult:
    """Compare issue-by-issue splitting with package deals (logrolling).

    Parameters
    ----------
    weights : mapping or 2×K array_like
        Either ``{party: {issue: weight}}`` (labels from the keys; both
        parties must weight the same issues), or two rows of ``K``
        non-negative weights with ``players`` and ``issues`` as labels.
        Ints, Fractions and numeric strings are exact; floats give float results.
    players : pair of str, optional
        Labels for array input (default ``("Player 1", "Player 2")``).
    issues : sequence of str, optional
        Issue labels for array input (default ``"Issue 1"``, ...).
    split : ``"equal"``, ``"proportional"``, number, mapping or sequence
        The issue-by-issue rule: half each; the first party's share
        ``w_1k / (w_1k + w_2k)``; one share for every issue; or a share per issue.

    Returns
    -------
    LogrollingResult

    Examples
    --------
    NATO cares more about enlargement, Russia about deployments:

    >>> weights = {"NATO": {"enlargement": 3, "deployments": 1},
    ...            "Russia": {"enlargement": 1, "deployments": 3}}
    >>> result = logrolling(weights)
    >>> result.split.utilities, result.efficient_trade.utilities
    ({'NATO': Fraction(2, 1), 'Russia': Fraction(2, 1)}, {'NATO': Fraction(3, 1), 'Russia': Fraction(3, 1)})
    >>> result.best_for["NATO"].shares                  # Russia kept at its split utility 2
    {'enlargement': Fraction(1, 1), 'deployments': Fraction(1, 3)}
    >>> result.max_gains
    {'NATO': Fraction(4, 3), 'Russia': Fraction(4, 3)}
    """
    players, issues, w1, w2, mode = _read_weights(weights, players, issues)
    split_shares, split_rule = _split(split, issues, w1, w2, mode)
    model = _Additive(players, issues, w1, w2, split_shares, mode)
    messages = []
    # Efficient trade: each issue to the party that values it more.
    corner = [model.one if a > b else model.zero if a < b else s for a, b, s in zip(w1, w2, split_shares)]
    efficient_trade = model.package("efficient trade", corner)
    messages.append(
        "the efficient trade compares weights across parties (meaningful only on a common scale) "
        "and need not leave both better off than the split"
    )
    # Exact Pareto frontier (fractional knapsack), used to certify the LP answers.
    order, vertices = _frontier(w1, w2, split_shares, model.one, model.zero)
    frontier = tuple(model.package("frontier vertex", x) for x in vertices)
    # Linear programs (HiGHS), rebuilt exactly for rational data and certified against the exact frontier.
    notes = []
    best_1, best_2 = _best_packages(model, frontier, notes)
    balanced = model.package("balanced package", _balanced_package(model, frontier, notes))
    messages += list(dict.fromkeys(notes))
    best_for = {
        players[0]: model.package(f"best for {players[0]}", best_1),
        players[1]: model.package(f"best for {players[1]}", best_2),
    }
    low_u1 = best_for[players[1]].utilities[players[0]]
    high_u1 = best_for[players[0]].utilities[players[0]]
    inner = tuple(
        LogrollingPackage("efficient package", v.shares, v.utilities, v.gains)
        for v in frontier
        if low_u1 < v.utilities[players[0]] < high_u1
    )
    max_gains = {
        players[0]: best_for[players[0]].gains[players[0]],
        players[1]: best_for[players[1]].gains[players[1]],
    }
    tolerance = 0 if mode == "exact" else 1e-9 * max(1.0, float(sum(w1)) + float(model.total_2))
    if mode == "float":
        messages.append(f"float weights: results are floats (HiGHS, tolerance {LP_TOLERANCE:g})")
    return LogrollingResult(
        players=players,
        issues=issues,
        weights={players[0]: dict(zip(issues, w1)), players[1]: dict(zip(issues, w2))},
        issue_order=tuple(issues[i] for i in order),
        split=model.package("issue-by-issue split", split_shares),
        split_rule=split_rule,
        efficient_trade=efficient_trade,
        best_for=best_for,
        balanced=balanced,
        frontier=frontier,
        dominating_frontier=(best_for[players[1]],) + inner + (best_for[players[0]],),
        max_gains=max_gains,
        logrolling_gains=bool(min(balanced.gains.values()) > tolerance),
        method="linear_program (HiGHS)" + (" with exact rebuild" if mode == "exact" else ""),
        exact=mode == "exact",
        messages=tuple(messages),
    )


class _Additive:
    """The two parties' additive utilities over the issues, and gains measured against the split."""

    def __init__(self, players, issues, w1, w2, split_shares, mode):
        self.players, self.issues, self.w1, self.w2, self.mode = players, issues, w1, w2, mode
        self.one, self.zero = (1.0, 0.0) if mode == "float" else (Fraction(1), Fraction(0))
        self.total_2 = sum(w2, self.zero)
        self.base = self.utilities(split_shares)
        self.u1_split, self.u2_split = self.base[players[0]], self.base[players[1]]

    def utilities(self, shares) -> dict:
        u1 = sum((a * x for a, x in zip(self.w1, shares)), self.zero)
        u2 = sum((b * (self.one - x) for b, x in zip(self.w2, shares)), self.zero)
        return {self.players[0]: u1, self.players[1]: u2}

    def package(self, name, shares) -> LogrollingPackage:
        utilities = self.utilities(shares)
        gains = {p: utilities[p] - self.base[p] for p in self.players}
        return LogrollingPackage(name, dict(zip(self.issues, shares)), utilities, gains)

    def gain_1(self, x):
        return sum((a * v for a, v in zip(self.w1, x)), self.zero) - self.u1_split

    def gain_2(self, x):
        return sum((b * (self.one - v) for b, v in zip(self.w2, x)), self.zero) - self.u2_split

    def gains_of(self, package) -> tuple:
        return package.gains[self.players[0]], package.gains[self.players[1]]


def _best_packages(model: _Additive, frontier, notes) -> tuple:
    """The best package for the first party that leaves the second its split utility, and vice versa."""
    k = len(model.issues)
    best_1 = _solve(
        objective=[-a for a in model.w1],
        rows=[(list(model.w2), model.total_2 - model.u2_split)],
        certificate=_walk(frontier, lambda pk: model.gains_of(pk)[1], "last"),
        value_of=model.gain_1, mode=model.mode, k=k, notes=notes,
    )
    best_2 = _solve(
        objective=list(model.w2),
        rows=[([-a for a in model.w1], -model.u1_split)],
        certificate=_walk(frontier, lambda pk: model.gains_of(pk)[0], "first"),
        value_of=model.gain_2, mode=model.mode, k=k, notes=notes,
    )
    return best_1, best_2


def _balanced_package(model: _Additive, frontier, notes) -> list:
    """Shares of the leximin package: the largest smaller gain ``t``, then the largest total with both >= ``t``."""
    k, one, zero, w1, w2 = len(model.issues), model.one, model.zero, model.w1, model.w2
    gains_of = model.gains_of
    equal_gains = _walk(frontier, lambda pk: gains_of(pk)[1] - gains_of(pk)[0], "last")
    stage_1 = _solve(  # the largest smaller gain t: a free variable
        objective=[zero] * k + [-one],
        rows=[([-a for a in w1] + [one], -model.u1_split), (list(w2) + [one], model.total_2 - model.u2_split)],
        certificate=equal_gains,
        value_of=lambda x: min(model.gain_1(x), model.gain_2(x)), mode=model.mode, k=k, notes=notes,
        extra_variable=True,
    )
    smaller_gain = min(model.gain_1(stage_1), model.gain_2(stage_1))
    if model.mode == "float":
        smaller_gain -= LP_TOLERANCE * max(1.0, float(sum(w1)) + float(model.total_2))
    # keeping both gains at least t, the largest total (no efficient gain is wasted)
    candidates = [
        _walk(frontier, lambda pk: gains_of(pk)[1] - smaller_gain, "last"),
        _walk(frontier, lambda pk: gains_of(pk)[0] - smaller_gain, "first"),
    ] + [list(v.shares.values()) for v in frontier if min(gains_of(v)) >= smaller_gain]
    return _solve(
        objective=[b - a for a, b in zip(w1, w2)],
        rows=[([-a for a in w1], -model.u1_split - smaller_gain),
              (list(w2), model.total_2 - model.u2_split - smaller_gain)],
        certificate=max(candidates, key=lambda x: model.gain_1(x) + model.gain_2(x)),
        value_of=lambda x: model.gain_1(x) + model.gain_2(x), mode=model.mode, k=k, notes=notes,
    )


# --------------------------------------------------------------------------
# Frontier and linear programs
# --------------------------------------------------------------------------


def _frontier(w1, w2, split_shares, one, zero):
    """Issue order by ``w1/w2`` (highest first) and the frontier's vertex packages.

    Vertices run from "everything to party 2" to "everything to party 1";
    issues with equal ratios are conceded together (no collinear vertices).
    Issues nobody values keep their split share.
    """
    relevant = [k for k in range(len(w1)) if w1[k] > 0 or w2[k] > 0]
    ignored = [k for k in range(len(w1)) if k not in relevant]

    def ratio_key(k):  # compare w1[k]/w2[k] without dividing by zero
        return (w2[k] == 0, w1[k] / w2[k] if w2[k] else w1[k])

    order = sorted(relevant, key=ratio_key, reverse=True)
    groups = []
    for k in order:
        if groups and w1[k] * w2[groups[-1][0]] == w1[groups[-1][0]] * w2[k]:
            groups[-1].append(k)
        else:
            groups.append([k])
    x = list(split_shares)
    for k in relevant:
        x[k] = zero
    vertices = [list(x)]
    for group in groups:
        for k in group:
            x[k] = one
        vertices.append(list(x))
    return tuple(order + ignored), vertices


def _walk(frontier, measure, which):
    """The frontier point where ``measure`` crosses 0, as the package's shares.

    The frontier runs from the second party's best package to the first's.
    ``which="last"``: walking that way (``measure`` decreasing), the last
    point with ``measure >= 0``; ``which="first"``: walking back (``measure``
    decreasing that way), the last point with ``measure >= 0``. Shares are
    interpolated exactly on the crossing segment.
    """
    points = list(frontier)
    if which == "first":  # walk from the first party's end instead
        points = points[::-1]
    values = [measure(pk) for pk in points]
    if values[0] < 0:  # cannot happen for the split's own thresholds
        return [points[0].shares[i] for i in points[0].shares]
    for a, b, va, vb in zip(points, points[1:], values, values[1:]):
        if vb < 0:
            t = va / (va - vb)
            return [xa + t * (xb - xa) for xa, xb in zip(a.shares.values(), b.shares.values())]
    return list(points[-1].shares.values())


def _solve(*, objective, rows, certificate, value_of, mode, k, notes, extra_variable=False):
    """Solve ``min objective·z`` s.t. ``row·z <= bound``, ``0 <= x <= 1`` with HiGHS; return ``x``.

    ``z`` is the shares ``x`` and, with ``extra_variable``, a free variable
    ``t`` last. Float data: the HiGHS solution. Exact data: the solution
    rebuilt exactly (shares near 0 or 1 fixed, the others and ``t`` solved
    from the tight rows), accepted only if it is exactly feasible and its
    ``value_of`` equals that of ``certificate``, the optimum read off the
    exact frontier; otherwise ``certificate`` itself (with a note).
    """
    import numpy as np
    from scipy.optimize import linprog

    n = k + (1 if extra_variable else 0)
    result = linprog(
        c=np.array([float(v) for v in objective]),
        A_ub=np.array([[float(v) for v in row] for row, _ in rows]),
        b_ub=np.array([float(b) for _, b in rows]),
        bounds=[(0, 1)] * k + ([(None, None)] if extra_variable else []),
        method="highs",
    )
    if result.status != 0:  # pragma: no cover - the split itself is always feasible
        notes.append(f"HiGHS failed ({result.message}); used the exact frontier")
        return list(certificate)
    if mode == "float":
        return [min(1.0, max(0.0, float(v))) for v in result.x[:k]]
    rebuilt = _rebuild(result.x, rows, k, n)
    if rebuilt is not None and value_of(rebuilt) == value_of(certificate):
        return rebuilt
    notes.append("an LP solution could not be rebuilt exactly; used the exact frontier")
    return list(certificate)


def _rebuild(z, rows, k, n):
    """Exact shares from a float LP vertex, or ``None`` if the rebuild fails its checks."""
    fixed = {}
    free = []
    for j in range(k):
        if z[j] <= LP_TOLERANCE:
            fixed[j] = Fraction(0)
        elif z[j] >= 1 - LP_TOLERANCE:
            fixed[j] = Fraction(1)
        else:
            free.append(j)
    free += list(range(k, n))  # the free variable t, if any
    tight = [
        (row, bound)
        for row, bound in rows
        if abs(sum(float(a) * v for a, v in zip(row, z)) - float(bound)) <= 1e-7 * max(1.0, abs(float(bound)))
    ]
    if free:
        equations = [[row[j] for j in free] for row, _ in tight]
        rhs = [bound - sum((row[j] * value for j, value in fixed.items()), Fraction(0)) for row, bound in tight]
        solution = None
        if equations:
            solution = solve_exact(equations, rhs)
        if solution is None:
            return None
        values = dict(fixed)
        values.update(zip(free, solution))
    else:
        values = dict(fixed)
    full = [values[j] for j in range(n)]
    if any(not 0 <= full[j] <= 1 for j in range(k)):
        return None
    if any(sum((a * v for a, v in zip(row, full)), Fraction(0)) > bound for row, bound in rows):
        return None
    return full[:k]


# --------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------


def _read_weights(weights, players, issues):
    if isinstance(weights, Mapping):
        labels = tuple(weights)
        if len(labels) != 2:
            raise NegotiationError(f"weights must be given for exactly two parties, got {list(labels)}")
        if players is not None and tuple(players) != labels:
            raise NegotiationError(f"players {tuple(players)} do not match the keys of weights {labels}")
        rows = [weights[p] for p in labels]
        if not all(isinstance(r, Mapping) for r in rows):
            raise NegotiationError("weights as a mapping must map each party to {issue: weight}")
        issue_labels = tuple(rows[0])
        if set(rows[1]) != set(issue_labels):
            only = sorted(set(rows[0]) ^ set(rows[1]))
            raise NegotiationError(f"both parties must weight the same issues; differs on {only}")
        if issues is not None and set(issues) != set(issue_labels):
            raise NegotiationError(f"issues {list(issues)} do not match the weighted issues {list(issue_labels)}")
        issue_labels = tuple(issues) if issues is not None else issue_labels
        raw = [[rows[0][i] for i in issue_labels], [rows[1][i] for i in issue_labels]]
        players = labels
    else:
        raw = [list(r) for r in weights]
        if len(raw) != 2:
            raise NegotiationError(f"weights needs two rows (one per party), got {len(raw)}")
        if len(raw[0]) != len(raw[1]):
            raise NegotiationError("both rows of weights need one weight per issue")
        players = tuple(players) if players is not None else ("Player 1", "Player 2")
        issue_labels = tuple(issues) if issues is not None else tuple(f"Issue {k + 1}" for k in range(len(raw[0])))
        if len(issue_labels) != len(raw[0]):
            raise NegotiationError(f"{len(issue_labels)} issue labels for {len(raw[0])} issues")
    if len(players) != 2 or not all(isinstance(p, str) and p for p in players) or players[0] == players[1]:
        raise NegotiationError(f"players must be two different non-empty labels, got {players!r}")
    if not issue_labels:
        raise NegotiationError("there must be at least one issue")
    if len(set(issue_labels)) != len(issue_labels) or not all(isinstance(i, str) and i for i in issue_labels):
        raise NegotiationError(f"issue labels must be distinct non-empty strings, got {list(issue_labels)}")
    values = []
    for p, row in zip(players, raw):
        converted = []
        for issue, value in zip(issue_labels, row):
            if type(value).__module__.startswith("sympy") and getattr(value, "free_symbols", None):
                raise NegotiationError(
                    f"weight of {p} on {issue!r}: symbolic weights are not supported; substitute numbers"
                )
            number = coerce_number(value, where=f"weight of {p} on {issue!r}")
            if number < 0:
                raise NegotiationError(f"weight of {p} on {issue!r} must be >= 0, got {format_number(number)}")
            converted.append(number)
        values.append(converted)
    mode = "float" if any(isinstance(v, float) for row in values for v in row) else "exact"
    if mode == "float":
        values = [[float(v) for v in row] for row in values]
    return players, issue_labels, values[0], values[1], mode


def _split(split, issues, w1, w2, mode):
    one = 1.0 if mode == "float" else Fraction(1)
    if isinstance(split, str) and split == "equal":
        return [one / 2] * len(issues), "equal"
    if isinstance(split, str) and split == "proportional":
        return [a / (a + b) if a + b else one / 2 for a, b in zip(w1, w2)], "proportional"
    if isinstance(split, Mapping):
        unknown = [i for i in split if i not in issues]
        missing = [i for i in issues if i not in split]
        if unknown or missing:
            raise NegotiationError(f"split needs one share per issue {list(issues)}, got {list(split)}")
        raw = [split[i] for i in issues]
    elif isinstance(split, (list, tuple)):
        if len(split) != len(issues):
            raise NegotiationError(f"split needs {len(issues)} shares, got {len(split)}")
        raw = list(split)
    elif isinstance(split, str) and "/" not in split and not split.replace(".", "", 1).isdigit():
        raise NegotiationError(f"split must be 'equal', 'proportional', a share or one share per issue, got {split!r}")
    else:
        raw = [split] * len(issues)
    shares = []
    for issue, value in zip(issues, raw):
        number = coerce_number(value, where=f"split share of {issue!r}")
        if not 0 <= number <= 1:
            raise NegotiationError(f"split share of {issue!r} must be in [0, 1], got {format_number(number)}")
        shares.append(float(number) if mode == "float" else number)
    if mode == "exact" and any(isinstance(s, float) for s in shares):
        raise NegotiationError("float split shares need float weights (or give the shares exactly, e.g. '1/3')")
    return shares, "given shares"

