"""The feasible set of a numeric bargaining problem, split into pieces.

How each kind of agreement set is handled
-----------------------------------------
The feasible set is split into *pieces*, each of which is one of:

* a **finite set** of points (packages; issue spaces with only discrete
  issues) -- exact enumeration, vectorised with numpy and re-checked exactly;
* a **convex polygon** (two parties: lotteries over packages, vertex lists,
  inequality lists, issue spaces whose utilities are linear in the continuous
  issues) -- exact rational geometry. Inequality lists are traced with HiGHS
  linear programs whose optimal vertices are rebuilt exactly from the active
  constraints (and checked); linear issue spaces are zonotopes, built exactly
  by sorting the issues' generators by angle (the fractional-knapsack order of
  Raiffa's efficient frontier);
* a **convex polytope** for three or more parties -- HiGHS linear programs with
  exact rational rebuild of every optimum and an exact duality certificate
  (dual values from HiGHS rounded to rationals and verified);
* a **curve or surface** (utilities non-linear in the continuous issues) --
  one continuous issue: exact with sympy (roots of polynomial derivatives,
  algebraic numbers); several: SLSQP from several starting points, certified
  global when every utility is concave in the issues (checked with sympy).

A discrete issue next to continuous ones splits the set into one piece per
combination of options; the set is their union (not convex), unless lotteries
are allowed, in which case it is the convex hull.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import sympy

from negotiation.bargaining.curves import curve_piece
from negotiation.bargaining.linear_piece import LinearPiece
from negotiation.bargaining.linear_programs import LinearProgram
from negotiation.bargaining.numbers import TOL, is_exact, magnitude, simplify
from negotiation.bargaining.pieces import FinitePiece, PolygonPiece
from negotiation.bargaining.points import Point, hull, pareto_indices, zonotope
from negotiation.core.linalg import solve_exact
from negotiation.models.bargaining import BargainingError, Packages, Polytope, as_sympy, to_float
from negotiation.results.bargaining import Agreement

__all__ = ["build_pieces", "MAX_PIECES", "MAX_LOTTERY_OUTCOMES"]

#: Most option combinations enumerated next to continuous issues (one piece each).
MAX_PIECES = 5000
#: Most combinations of discrete options over which lotteries are formed (the convex hull of their utility
#: points; the same bound as for Genius domains read with lotteries, formats.genius.MAX_GENIUS_LOTTERY_OUTCOMES).
MAX_LOTTERY_OUTCOMES = 10_000


def _lottery_decoder(labels, agreements=None):
    """Decode lottery weights: one label -> that package (or its agreement), several -> a lottery."""
    def decode(v: Point):
        weights = {k: p for k, p in v.terms.items() if p != 0}
        if len(weights) == 1:
            label = next(iter(weights))
            return agreements[label] if agreements is not None else Agreement(package=label)
        return Agreement(lottery={k: weights[k] for k in labels if k in weights})

    return decode


def _issue_decoder(issues, fixed):
    def decode(v: Point):
        terms = {}
        for issue in issues:
            if issue.name in fixed:
                terms[issue.name] = fixed[issue.name]
            elif issue.name in v.terms:
                terms[issue.name] = simplify(v.terms[issue.name])
        return Agreement(terms=terms)

    return decode


def build_pieces(problem) -> tuple:
    """Split the (numeric) feasible set of ``problem`` into pieces (see the module docstring)."""
    if problem.is_symbolic:
        names = ", ".join(sorted(problem.symbols))
        raise BargainingError(f"the problem still has parameters ({names}): call substitute(...) first")
    agreements = problem.agreements
    n = problem.n_parties
    d = problem.disagreement
    if isinstance(agreements, Packages):
        rows = [tuple(r) for r in agreements.utilities]
        exact = all(is_exact(x) for r in rows for x in r) and all(is_exact(x) for x in d)
        labels = agreements.labels
        if agreements.lotteries:
            return (_convex_from_points(rows, labels, n, exact, d, "lotteries over the listed packages"),)

        def decode(k):
            return Agreement(package=labels[k])

        return (FinitePiece(_scaled(rows) if exact else rows, n, exact, decode, "enumeration of the packages"),)
    if isinstance(agreements, Polytope):
        exact = all(is_exact(x) for x in d)
        if agreements.vertices:
            rows = [tuple(r) for r in agreements.vertices]
            exact = exact and all(is_exact(x) for r in rows for x in r)
            labels = agreements.labels or tuple(f"vertex {k + 1}" for k in range(len(rows)))
            piece = _convex_from_points(rows, labels, n, exact, d, "convex hull of the vertices")
            if not agreements.labels:  # a set stated in utility space: no agreement to report
                piece.decode_terms = piece.decode_z = None
            return (piece,)
        inequalities = list(agreements.inequalities)
        exact = exact and all(is_exact(x) for a, b in inequalities for x in (*a, b))
        return (_convex_from_inequalities(inequalities, n, exact, d),)
    return _issue_pieces(problem)


def _convex_from_points(rows, labels, n, exact, d, method):
    points = [Point(r, {label: Fraction(1) if exact else 1.0}) for r, label in zip(rows, labels)]
    if n == 2:
        return PolygonPiece(hull(points, exact), exact, method + " (exact polygon)" if exact else method,
                             decode=_lottery_decoder(labels))
    # three or more parties: a linear program over the weights of the Pareto-efficient points
    floats = np.array([[to_float(x) for x in r] for r in rows])
    keep = sorted(pareto_indices(floats))  # efficient points suffice for efficient lotteries
    keep_rows = [rows[k] for k in keep]
    keep_labels = [labels[k] for k in keep]
    m = len(keep_rows)
    M = [[keep_rows[k][i] for k in range(m)] for i in range(n)]
    lp = LinearProgram([], [], [[1] * m], [1], [(0, None)] * m, exact)

    def decode(z):
        weights = {label: simplify(x) for label, x in zip(keep_labels, z) if x != 0 and abs(to_float(x)) > 1e-12}
        if len(weights) == 1:
            return Agreement(package=next(iter(weights)))
        return Agreement(lottery=weights)

    corners = [[1 if j == k else 0 for j in range(m)] for k in range(m)]
    return LinearPiece(M, [0] * n, lp, decode, method + " (HiGHS LP, exact rebuild)", corners=corners)


def _convex_from_inequalities(inequalities, n, exact, d):
    A = [list(a) for a, _ in inequalities]
    b = [bv for _, bv in inequalities]
    ir_rows = [[-1 if j == i else 0 for j in range(n)] for i in range(n)]
    lp = LinearProgram(A, b, [], [], [(None, None)] * n, exact)
    identity = [[1 if j == i else 0 for j in range(n)] for i in range(n)]
    if n > 2:
        corners = _vertex_enumeration(A + ir_rows, b + [-x for x in d], n, exact)
        return LinearPiece(identity, [0] * n, lp, None, "HiGHS LP over the inequalities, exact rebuild",
                            corners=corners)
    # two parties: trace the individually rational polygon with linear programs
    ir_lp = LinearProgram(A + ir_rows, b + [-x for x in d], [], [], [(None, None)] * 2, exact)
    vertices, exact = _trace_polygon(ir_lp, exact)
    closest = None
    if not vertices:
        linear = LinearPiece(identity, [0, 0], lp, None, "")
        point, t = linear.maxmin(d, (1, 1))
        closest = (Point(point.u), t) if point is not None else None
        exact = exact and linear.exact
    method = "polygon traced with HiGHS LPs" + (", vertices rebuilt exactly" if exact else "")
    return PolygonPiece(vertices, exact, method, ir_only=True, closest=closest)


def _trace_polygon(lp: LinearProgram, exact):
    """Vertices (CCW) of a bounded 2-D polygon ``{u : A u <= b}`` by the sandwich method."""
    def vertex(direction):
        result = lp.maximise(list(direction))
        if result is None:
            return None
        z, _, is_exact, _ = result
        if not is_exact:
            nonlocal exact
            exact = False
        return tuple(z)

    starts = []
    for direction in ((1, 0), (0, 1), (-1, 0), (0, -1)):
        v = vertex(direction)
        if v is None:
            return [], exact
        if v not in starts:
            starts.append(v)
    if len(starts) == 1:
        return [Point(starts[0])], exact
    polygon = list(starts)
    k = 0
    guard = 0
    while k < len(polygon) and guard < 10000:
        guard += 1
        p, q = polygon[k], polygon[(k + 1) % len(polygon)]
        normal = (q[1] - p[1], p[0] - q[0])
        if normal == (0, 0):
            k += 1
            continue
        r = vertex(normal)
        gain = normal[0] * (r[0] - p[0]) + normal[1] * (r[1] - p[1])
        limit = 0 if exact else TOL * magnitude([*p, *q, 1]) ** 2
        if gain > limit and r not in polygon:
            polygon.insert(k + 1, r)
        else:
            k += 1
    return hull([Point(v) for v in polygon], exact), exact


def _vertex_enumeration(A, b, n, exact):
    """Vertices of ``{u : A u <= b}`` (small problems) by solving every n-subset of constraints."""
    rows = list(zip(A, b))
    if math.comb(len(rows), n) > 20000:
        return []
    vertices = []
    for subset in itertools.combinations(range(len(rows)), n):
        if exact:
            solution = solve_exact([rows[k][0] for k in subset], [rows[k][1] for k in subset])
        else:
            try:
                solution = list(np.linalg.solve(np.array([rows[k][0] for k in subset], dtype=float),
                                                np.array([rows[k][1] for k in subset], dtype=float)))
            except np.linalg.LinAlgError:
                solution = None
        if solution is None:
            continue
        tol = 0 if exact else 1e-9
        if all(sum(a * x for a, x in zip(row, solution)) <= bv + tol for row, bv in rows):
            if solution not in vertices:
                vertices.append(solution)
    return vertices


def _issue_pieces(problem):
    """Pieces of an issue space: one finite set, or one piece per combination of discrete options."""
    space = problem.agreements
    discrete = space.discrete
    continuous = space.continuous
    combos = math.prod(len(i.options) for i in discrete) if discrete else 1
    if not continuous:
        piece = _finite_issue_piece(problem)
        return (_lotteries_over_outcomes(piece, problem),) if space.lotteries else (piece,)
    if combos > MAX_PIECES:
        raise BargainingError(f"{combos} combinations of discrete options next to continuous issues: "
                              f"at most {MAX_PIECES} are analysed (make an issue continuous or drop options)")
    symbols = [i.symbol for i in continuous]
    lows = [i.low for i in continuous]
    highs = [i.high for i in continuous]
    pieces = []
    for options in itertools.product(*(i.options for i in discrete)):
        fixed = dict(zip((i.name for i in discrete), options))
        replacement = {i.symbol: as_sympy(i.value_of(o)) for i, o in zip(discrete, options)}
        utilities = []
        for u, scores in zip(space.utilities, space.scores):
            value = u.xreplace(replacement)
            for issue_name, table in scores.items():
                value = value + as_sympy(table[fixed[issue_name]])
            utilities.append(value)
        linear = _linear_form(utilities, symbols)
        decode = _issue_decoder(space.issues, fixed)
        if linear is None:
            pieces.append(curve_piece(symbols, lows, highs, utilities, fixed, decode, problem.n_parties))
        else:
            pieces.append(_linear_issue_piece(*linear, symbols, lows, highs, problem.disagreement, fixed, decode))
    if space.lotteries and len(pieces) > 1:
        if any(p.kind == "curve" for p in pieces):
            raise BargainingError("lotteries over an issue space with non-linear utilities are not supported")
        return (_hull_of_pieces(pieces, problem),)
    return tuple(pieces)


def _linear_issue_piece(coefficients, constants, symbols, lows, highs, d, fixed, decode):
    """Utilities affine in the continuous issues over their box: a zonotope (two parties) or a polytope."""
    exact = all(is_exact(x) for x in (*constants, *d, *lows, *highs)) and all(
        is_exact(x) for row in coefficients for x in row)
    if len(d) == 2:
        origin_u = tuple(c + sum(a * lo for a, lo in zip(row, lows)) for row, c in zip(coefficients, constants))
        origin = Point(origin_u, {s.name: lo for s, lo in zip(symbols, lows)})
        generators = []
        for k, s in enumerate(symbols):
            width = highs[k] - lows[k]
            vector = (coefficients[0][k] * width, coefficients[1][k] * width)
            generators.append((vector, {s.name: lows[k]}, {s.name: highs[k]}))
        vertices = zonotope(origin, generators, exact)
        method = ("linear utilities: exact zonotope (issues conceded in the order of their weight ratios)"
                  if exact else "linear utilities: zonotope")
        box = ([s.name for s in symbols], lows, highs, [tuple(row) for row in coefficients], tuple(constants))
        return PolygonPiece(vertices, exact, method, decode=decode, fixed=fixed, box=box)
    lp = LinearProgram([], [], [], [], list(zip(lows, highs)), exact)
    corners = [list(c) for c in itertools.product(*zip(lows, highs))] if len(symbols) <= 12 else []

    def decode_z(z):
        return decode(Point((), {s.name: x for s, x in zip(symbols, z)}))

    return LinearPiece(coefficients, constants, lp, decode_z, "linear utilities: HiGHS LP, exact rebuild",
                       fixed=fixed, corners=corners)


def _lotteries_over_outcomes(piece, problem):
    """Lotteries over the combinations of discrete options: the convex hull of their utility points."""
    count = len(piece.floats)
    if count > MAX_LOTTERY_OUTCOMES:
        raise BargainingError(f"lotteries over {count} combinations of options: at most {MAX_LOTTERY_OUTCOMES} are "
                              "analysed (drop options, or set lotteries = false)")
    rows, labels, agreements = [], [], {}
    for k in range(count):
        agreement = piece.decode(k)
        label = agreement.describe()
        if label not in agreements:
            agreements[label] = agreement
            rows.append(piece.value(k))
            labels.append(label)
    return _hull_of_agreements(rows, labels, agreements, piece.exact, problem)


def _hull_of_pieces(pieces, problem):
    """Convex hull of several linear pieces (lotteries between their extreme agreements)."""
    rows, labels, agreements = [], [], {}
    exact = all(p.exact for p in pieces)
    for piece in pieces:
        extreme = piece.vertices if piece.kind == "polygon" else [piece._vertex(z) for z in piece.corners]
        for v in extreme:
            agreement = piece.agreement(v)
            label = agreement.describe()
            if label not in agreements:
                agreements[label] = agreement
                rows.append(v.u)
                labels.append(label)
    return _hull_of_agreements(rows, labels, agreements, exact, problem)


def _hull_of_agreements(rows, labels, agreements, exact, problem):
    """Lotteries between labelled agreements: a polygon (two parties) or a linear program over their weights."""
    n = problem.n_parties
    if n == 2:
        points = [Point(r, {label: Fraction(1) if exact else 1.0}) for r, label in zip(rows, labels)]
        return PolygonPiece(hull(points, exact), exact, "lotteries between extreme agreements (exact polygon)",
                             decode=_lottery_decoder(labels, agreements))
    return _convex_from_points(rows, labels, n, exact, problem.disagreement, "lotteries between extreme agreements")


def _linear_form(utilities, symbols):
    """``(coefficients, constants)`` if every utility is affine in the symbols with numeric coefficients."""
    coefficients, constants = [], []
    for u in utilities:
        if not u.is_polynomial(*symbols):
            return None
        try:
            poly = sympy.Poly(u, *symbols)
        except sympy.PolynomialError:
            return None
        if poly.total_degree() > 1:
            return None
        row = []
        for s in symbols:
            c = poly.coeff_monomial(s)
            if not c.is_number:
                return None
            row.append(_number(c))
        constant = poly.coeff_monomial(1)
        if not constant.is_number:
            return None
        coefficients.append(row)
        constants.append(_number(constant))
    return coefficients, constants


def _number(value):
    if isinstance(value, sympy.Rational):
        return Fraction(int(value.p), int(value.q))
    return float(value)


def _finite_issue_piece(problem):
    """All combinations of discrete options, evaluated on the grid (exact where every value is rational).

    Each party's utility is a sum of blocks, each depending on a few issues
    (one per issue for additive scores). Exact blocks are scaled to integers
    over a common denominator and summed with numpy over the full grid.
    """
    space = problem.agreements
    discrete = space.discrete
    shape = tuple(len(i.options) for i in discrete)
    names = [i.name for i in discrete]
    n = problem.n_parties
    exact = all(is_exact(x) for x in problem.disagreement)
    party_blocks = []
    for u, scores in zip(space.utilities, space.scores):
        blocks = _grid_blocks(u, discrete, shape)
        for issue_name, table in scores.items():
            axis = names.index(issue_name)
            values = np.empty(len(discrete[axis].options), dtype=object)
            values[:] = [table[o] for o in discrete[axis].options]
            blocks.append(((axis,), values))
        exact = exact and all(all(is_exact(x) for x in block.flat) for _, block in blocks)
        party_blocks.append(blocks)
    size = math.prod(shape)
    if exact:
        numerators, denominators = [], []
        for blocks in party_blocks:
            denominator = math.lcm(*(Fraction(x).denominator for _, block in blocks for x in block.flat)) or 1
            bound = sum(max(abs(Fraction(x)) for x in block.flat) for _, block in blocks) * denominator
            dtype = np.int64 if bound < 2**62 else object
            total = np.zeros(shape, dtype=dtype)
            for key, block in blocks:
                scaled = np.array([int(Fraction(x) * denominator) for x in block.flat], dtype=dtype).reshape(block.shape)
                total = total + _spread(scaled, key, len(shape))
            numerators.append(np.broadcast_to(total, shape).reshape(size))
            denominators.append(denominator)
        values = (np.stack(numerators, axis=1), denominators)
    else:
        columns = []
        for blocks in party_blocks:
            total = np.zeros(shape)
            for key, block in blocks:
                total = total + _spread(np.array([to_float(x) for x in block.flat]).reshape(block.shape), key,
                                        len(shape))
            columns.append(np.broadcast_to(total, shape).reshape(size))
        values = np.stack(columns, axis=1)

    def decode(k):
        position = np.unravel_index(int(k), shape)
        return Agreement(terms={name: issue.options[j] for name, issue, j in zip(names, discrete, position)})

    # the result's method line says "exact" or "floating point" itself (results.base)
    return FinitePiece(values, n, exact, decode, "enumeration of every combination of options")


def _scaled(rows):
    """Exact rows as ``(integer numerators, denominator per party)``."""
    columns = list(zip(*rows))
    denominators = [math.lcm(*(Fraction(x).denominator for x in column)) for column in columns]
    bound = max(abs(Fraction(x)) * dn for column, dn in zip(columns, denominators) for x in column)
    dtype = np.int64 if bound < 2**62 else object
    numerators = np.array([[int(Fraction(x) * dn) for x, dn in zip(row, denominators)] for row in rows], dtype=dtype)
    return numerators.reshape(len(rows), len(denominators)), denominators


def _spread(block, key, dimensions):
    """A block over the issues ``key`` reshaped to broadcast over the full grid."""
    index = [None] * dimensions
    for axis in key:
        index[axis] = slice(None)
    return block[tuple(index)] if key else block


def _grid_blocks(expression, discrete, shape):
    """``expression`` split into terms by the discrete issues they use, each evaluated on its own small grid."""
    index = {i.symbol: k for k, i in enumerate(discrete)}
    groups: dict[tuple, list] = {}
    for term in sympy.Add.make_args(expression):
        key = tuple(sorted(index[s] for s in term.free_symbols if s in index))
        groups.setdefault(key, []).append(term)
    blocks = []
    for key, terms in groups.items():
        sub = sympy.Add(*terms)
        sub_shape = tuple(shape[k] for k in key)
        if math.prod(sub_shape) > 50000:
            function = sympy.lambdify([discrete[k].symbol for k in key], sub, "numpy")
            grids = np.meshgrid(*[np.array([to_float(v) for v in discrete[k].values]) for k in key], indexing="ij")
            values = np.asarray(function(*grids))
            if np.iscomplexobj(values) or not np.isfinite(values).all():  # log or sqrt of a negative option value
                raise BargainingError(f"utility term {sub} is not a real number at some options of "
                                      f"{', '.join(discrete[k].name for k in key)}")
            blocks.append((key, values.astype(float)))
            continue
        block = np.empty(sub_shape, dtype=object)
        for position in itertools.product(*(range(s) for s in sub_shape)):
            replacement = {discrete[k].symbol: as_sympy(discrete[k].values[j]) for k, j in zip(key, position)}
            value = sub.xreplace(replacement)
            block[position] = Fraction(int(value.p), int(value.q)) if isinstance(value, sympy.Rational) \
                else _real(value, sub, [(discrete[k], j) for k, j in zip(key, position)])
        blocks.append((key, block))
    return blocks


def _real(value, term, options) -> float:
    """``value`` as a float; a complex or undefined value (log or sqrt of a negative option value) is a
    one-line error naming the options."""
    try:
        number = float(value)
    except TypeError:  # complex
        number = math.nan
    if not math.isfinite(number):
        at = ", ".join(f"{issue.name} = {issue.options[j]}" for issue, j in options)
        raise BargainingError(f"utility term {term} at {at} is {value}, not a real number")
    return number
