"""Equilibrium components of two-player games: maximal cliques of extreme equilibria.

Two extreme equilibria ``(x, y)`` and ``(x', y')`` lie in a common convex set
of equilibria exactly when ``(x, y')`` and ``(x', y)`` are equilibria too.
The maximal convex sets are therefore the maximal complete bipartite subgraphs
("cliques") of the bipartite graph that links ``x`` to ``y`` whenever
``(x, y)`` is an extreme equilibrium (Avis, Rosenberg, Savani and von Stengel,
"Enumeration of Nash equilibria for two-player games", Economic Theory 42,
2010, §4). Each clique ``X × Y`` spans the convex set ``conv X × conv Y``.
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["maximal_cliques"]


def maximal_cliques(pairs: Sequence[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """Group equilibria into maximal cliques.

    Parameters
    ----------
    pairs : sequence of (x id, y id)
        Equilibrium ``k`` is the pair ``pairs[k]`` of vertex identifiers.

    Returns
    -------
    tuple of tuple of int
        Each clique as sorted indices into ``pairs``; cliques sorted by their
        first index. A nondegenerate game gives one singleton per equilibrium.

    Examples
    --------
    Entry deterrence: (Out, Fight), (Out, ½ Fight) and (In, Accommodate). The
    first two share player 1's strategy and form one segment:

    >>> maximal_cliques([(0, 0), (0, 1), (1, 2)])
    ((0, 1), (2,))
    """
    neighbours: dict[int, frozenset] = {}
    for x, y in pairs:
        neighbours[x] = neighbours.get(x, frozenset()) | {y}
    # Closed y-sets: all non-empty intersections of neighbourhoods (formal concepts).
    closed = set(neighbours.values())
    frontier = set(closed)
    while frontier:
        new = set()
        for ys in frontier:
            for ny in neighbours.values():
                meet = ys & ny
                if meet and meet not in closed:
                    new.add(meet)
        closed |= new
        frontier = new
    index = {pair: k for k, pair in enumerate(pairs)}
    cliques = set()
    for ys in closed:
        xs = [x for x, ny in neighbours.items() if ys <= ny]
        members = tuple(sorted(index[(x, y)] for x in xs for y in ys))
        cliques.add(members)
    # keep only maximal ones (closed sets already are, but guard against duplicates/containment)
    maximal = [c for c in cliques if not any(set(c) < set(other) for other in cliques)]
    return tuple(sorted(maximal))
