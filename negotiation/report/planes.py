"""The plane of an equilibrium map on a grid: which outcomes hold only on a line, and where a threshold
curve separates different outcomes.

* :func:`degenerate_codes` and :func:`thin_codes`: the outcomes of measure zero (a tie between payoffs,
  a degenerate game) that a grid samples as lines one cell wide or single points;
* :func:`filled_halves`: the cells to paint, those of such outcomes given half by half to the regions on
  either side; :func:`draw_lines` draws the outcomes themselves as lines and points;
* :func:`where_outcome_changes`: the runs of a threshold curve along which the outcome changes across it.

Used by :mod:`negotiation.report.maps`; matplotlib and scipy are imported only when a plane is drawn.
"""

from __future__ import annotations

import numpy as np

from negotiation.symbolic.regions import BOUNDARY

__all__ = ["Plane", "cell_edges", "degenerate_codes", "draw_lines", "filled_halves", "line_handle", "thin_codes",
           "where_outcome_changes"]


class Plane:
    """The categories of a full grid: axis values, the code of each cell (``image[row = y, column = x]``)
    and what is painted (``filled``: the cells of outcomes of measure zero given, half cell by half cell,
    to the nearest region; then its edges are those of half cells)."""

    def __init__(self, ux, uy, image, filled):
        self.ux, self.uy, self.image, self.filled = ux, uy, image, filled
        self.edges_x, self.edges_y = cell_edges(ux), cell_edges(uy)
        halves = filled.shape != image.shape
        self.filled_x = _halves(self.edges_x, ux) if halves else self.edges_x
        self.filled_y = _halves(self.edges_y, uy) if halves else self.edges_y

    def code_at(self, px, py):
        """The code of the cell holding each point ``(px, py)``."""
        return self.image[_cell(self.edges_y, py), _cell(self.edges_x, px)]

    def painted_at(self, px, py):
        """The code painted at each point ``(px, py)`` (a region's, never that of a line)."""
        return self.filled[_cell(self.filled_y, py), _cell(self.filled_x, px)]

    @property
    def steps(self):
        return float(np.median(np.diff(self.ux))), float(np.median(np.diff(self.uy)))


#: The directions along which a cell can lie between two cells of other outcomes: the axes and diagonals.
_DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


def _cell(edges: np.ndarray, values) -> np.ndarray:
    """Index of the cell between ``edges`` that holds each value (the outer cells for values beyond)."""
    return np.clip(np.searchsorted(edges, values) - 1, 0, len(edges) - 2)


def thin_codes(image: np.ndarray, candidates) -> set:
    """The ``candidates`` (outcomes of measure zero: :func:`degenerate_codes`) that this grid samples as
    lines one cell wide or single points: every cell of theirs lies between two cells of other outcomes
    along an axis or a diagonal. Painting them would draw a band one grid step wide where there is only a
    line. A candidate with a thicker patch somewhere (the whole plane a tie, say) stays painted.
    """
    candidates = set(candidates) & set(np.unique(image[image >= 0]).tolist())
    if not candidates:
        return set()
    rows, columns = image.shape
    padded = np.pad(image, 1, constant_values=-1)
    thin = np.zeros(image.shape, dtype=bool)
    for dr, dc in _DIRECTIONS:
        forward = padded[1 + dr:1 + dr + rows, 1 + dc:1 + dc + columns]
        backward = padded[1 - dr:1 - dr + rows, 1 - dc:1 - dc + columns]
        thin |= (forward >= 0) & (backward >= 0) & (forward != image) & (backward != image)
    thick = set(np.unique(image[~thin & (image >= 0)]).tolist())
    if not thick - candidates:  # nothing of positive measure to give their cells to
        return set()
    return candidates - thick


def degenerate_codes(codes, labels, ties) -> set:
    """Codes of outcomes that can hold only on a set of measure zero of the parameters: a tie between the
    payoffs of a classic game (``"boundary case"``, or every point of the outcome a tie: ``ties``), or an
    even number of equilibria (a nondegenerate game has an odd number of equilibria, Wilson 1971, so the
    game is degenerate there, which a generic point of the plane is not).

    References
    ----------
    Wilson, R. (1971). Computing equilibria of n-person games. SIAM Journal on Applied Mathematics 21, 80-87.
    """
    found = set()
    for code in np.unique(codes).tolist():
        label = labels[code] or ""
        parts = label.split("; ")
        even = len(parts) % 2 == 0 and all(part.startswith(("pure (", "mixed (")) for part in parts)
        if label == BOUNDARY or even or (ties is not None and bool(np.all(ties[codes == code]))):
            found.add(code)
    return found


def filled_halves(image: np.ndarray, thin: set) -> np.ndarray:
    """``image`` at half-cell resolution where ``thin`` is not empty: each half cell of an outcome of measure
    zero takes the outcome of the nearest cell of another one (so a line between two regions splits its
    cells between them); else ``image`` itself."""
    if not thin:
        return image
    from scipy import ndimage  # heavy: only for maps with an outcome of measure zero

    halves = np.repeat(np.repeat(image, 2, axis=0), 2, axis=1)
    on_line = np.isin(halves, list(thin))
    _, (row, column) = ndimage.distance_transform_edt(on_line, return_indices=True)
    return halves[row, column]


def _halves(edges: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Cell edges with the centres in between: the edges of half cells."""
    out = np.empty(2 * len(centres) + 1)
    out[0::2], out[1::2] = edges, centres
    return out


def draw_lines(ax, plane, thin: set, colours) -> None:
    """The cells of outcomes of measure zero as lines through their centres (to each neighbouring such
    cell, halfway in each one's colour) or, where alone, as points; a white edge keeps them visible."""
    if not thin:
        return
    from matplotlib import patheffects
    from matplotlib.collections import LineCollection

    image = plane.image
    on_line = np.pad(np.isin(image, list(thin)), 2)  # padded: a neighbour off the grid is never on a line
    halo = [patheffects.withStroke(linewidth=5, foreground="white")]
    for code in sorted(thin):
        segments, points = [], []
        for r, c in zip(*np.nonzero(image == code)):
            neighbours = _line_neighbours(on_line, r + 2, c + 2)
            centre = (plane.ux[c], plane.uy[r])
            for nr, nc in neighbours:
                middle = ((plane.ux[c] + plane.ux[nc]) / 2, (plane.uy[r] + plane.uy[nr]) / 2)
                segments.append([centre, middle])
            if not neighbours:
                points.append(centre)
        if segments:
            ax.add_collection(LineCollection(segments, colors=colours[code], linewidths=2.5, capstyle="round",
                                             path_effects=halo, zorder=5))
        if points:
            ax.plot(*np.array(points).T, "o", color=colours[code], markersize=5, path_effects=halo, zorder=5)


def _line_neighbours(on_line: np.ndarray, r: int, c: int) -> list:
    """The neighbours of cell ``(r, c)`` on a line with it (padded indices in, grid indices out): a cell on a
    line next to it in a direction along which the line runs through at least three cells (two cells side by
    side are two points, not a line); a diagonal step only where no cell beside it on the line takes it."""
    found = []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            if not (dr or dc) or not on_line[r + dr, c + dc]:
                continue
            if dr and dc and (on_line[r + dr, c] or on_line[r, c + dc]):
                continue
            if on_line[r - dr, c - dc] or on_line[r + 2 * dr, c + 2 * dc]:
                found.append((r + dr - 2, c + dc - 2))
    return found


def line_handle(colour, label):
    from matplotlib.lines import Line2D

    return Line2D([], [], color=colour, linewidth=2.5, marker="o", markersize=5, label=label)


def cell_edges(values: np.ndarray) -> np.ndarray:
    if len(values) == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5])
    middle = (values[1:] + values[:-1]) / 2
    return np.concatenate([[values[0] - (middle[0] - values[0])], middle, [values[-1] + (values[-1] - middle[-1])]])


def where_outcome_changes(line: np.ndarray, plane) -> list:
    """The runs of a polyline along which the outcome changes across it: the regions one grid step to
    either side differ, or the cell on the line holds an outcome of its own. Without a grid: all of it."""
    if plane is None or len(line) < 2:
        return [line] if len(line) >= 2 else []
    step_x, step_y = np.median(np.diff(plane.ux)), np.median(np.diff(plane.uy))
    middle = (line[1:] + line[:-1]) / 2
    along = (line[1:] - line[:-1]) / (step_x, step_y)  # in grid steps, so that "one step" is one cell
    normal = np.stack([-along[:, 1], along[:, 0]], axis=1)
    normal /= np.maximum(np.hypot(normal[:, 0], normal[:, 1]), 1e-300)[:, None]
    offset = normal * (step_x, step_y)
    left = plane.painted_at((middle - offset)[:, 0], (middle - offset)[:, 1])
    right = plane.painted_at((middle + offset)[:, 0], (middle + offset)[:, 1])
    on = plane.code_at(middle[:, 0], middle[:, 1])
    keep = (left != right) | (on != left) | (on != right)
    pieces, start = [], None
    for k, kept in enumerate(keep.tolist() + [False]):
        if kept and start is None:
            start = k
        elif not kept and start is not None:
            pieces.append(line[start:k + 1])
            start = None
    return pieces
