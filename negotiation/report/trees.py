"""Drawings of game trees (matplotlib, imported only when a plot is made).

:func:`plot_tree` lays the tree out top down (terminal nodes evenly spaced,
each parent centred over its children), colours decision nodes by player,
draws chance nodes as squares and links the nodes of an information set with a
dashed line. Given a result, it highlights one equilibrium: the actions chosen
with positive probability are drawn bold, the path of play (the edges reached
with positive probability) thick and red, and mixed choices are labelled with
their probabilities.

``tree.plot(result)`` and ``result.plot()`` (for a :class:`~negotiation.results.tree.TreeSolveResult`)
come here through :func:`negotiation.core.drawing.plot`: this module registers :func:`plot_tree`
with :func:`negotiation.core.drawing.draw` for both types.
"""

from __future__ import annotations

import textwrap

from negotiation.core.drawing import draw
from negotiation.core.numeric import format_number
from negotiation.models.tree import CHANCE, DECISION, GameTree, TreeError
from negotiation.report.figures import new_figure
from negotiation.results.tree import TreeSolveResult

__all__ = ["plot_tree", "plot_tree_result"]

_PATH_COLOUR = "#c0392b"
_CHOSEN_COLOUR = "#2c3e50"
_OTHER_COLOUR = "#b3b3b3"


@draw.register(GameTree)
def plot_tree(tree, result=None, *, equilibrium: int = 0, ax=None, max_nodes: int = 400,
              show_payoffs: bool = True, title: str | None = None):
    """Draw a game tree, optionally highlighting one equilibrium of ``result``.

    Parameters
    ----------
    tree : GameTree
    result : TreeSolveResult, optional
        Equilibria of ``tree`` (or of the same tree at parameter values); the one at
        index ``equilibrium`` is highlighted.
    equilibrium : int
        Which equilibrium of ``result`` to show.
    ax : matplotlib Axes, optional
        Draw into these axes; otherwise a new figure is made.
    max_nodes : int
        Larger trees are refused (a drawing of thousands of nodes is unreadable).
    show_payoffs : bool
        Write the payoffs under the terminal nodes.
    title : str, optional
        Defaults to the tree's title and the highlighted outcome.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from negotiation.models.tree import GameTree, decision, terminal
    >>> from negotiation.solvers.backward_induction import backward_induction
    >>> tree = GameTree.from_nested(("Entrant", "Incumbent"), decision("Entrant", {
    ...     "Out": terminal(0, 2),
    ...     "In": decision("Incumbent", {"Fight": terminal(-1, -1), "Accommodate": terminal(1, 1)})}))
    >>> figure = plot_tree(tree, backward_induction(tree))
    >>> figure.axes[0].get_title()
    'SPE 1: In → Accommodate'
    """
    if tree.n_nodes > max_nodes:
        raise TreeError(f"the tree has {tree.n_nodes} nodes, more than max_nodes={max_nodes} can show readably")
    if ax is None:
        width = min(40.0, max(6.0, 1.5 * tree.n_leaves + 1))
        height = min(30.0, max(3.5, 1.4 * (tree.depth + 1) + 1))
        figure = new_figure(figsize=(width, height))
        ax = figure.subplots()
    else:
        figure = ax.figure
    x, y = _layout(tree)
    chosen, reached = _highlight(tree, result, equilibrium)
    import matplotlib  # heavy: loaded when a figure is drawn

    palette = matplotlib.colormaps["tab10"]
    colours = [palette(i % 10) for i in range(tree.n_players)]
    _draw_edges(ax, tree, x, y, chosen, reached)
    if not tree.is_perfect_information:
        _draw_information_sets(ax, tree, x, y)
    _draw_nodes(ax, tree, x, y, colours, reached, show_payoffs)
    _draw_legend(ax, tree, colours, highlighted=chosen is not None)
    ax.set_axis_off()
    ax.margins(x=0.08, y=0.18)
    if title is None:
        if result is not None and result.equilibria:
            shown = result.equilibria[equilibrium]
            name = "SPE" if result.method == "backward_induction" else "Equilibrium"
            title = f"{name} {equilibrium + 1}: {shown.path_text()}"
        else:
            title = tree.title or ""
    ax.set_title(title, fontsize=10)
    if tree.title and result is not None and figure is not None and ax is figure.axes[0]:
        figure.suptitle(tree.title, fontsize=11)
    return figure


def _draw_edges(ax, tree, x, y, chosen, reached) -> None:
    """Every edge with its action label: the path of play thick and red, other chosen actions bold,
    the rest light (dashed at decision nodes); chance probabilities and mixed choices in the label."""
    for node in range(1, tree.n_nodes):
        parent = int(tree.parent[node])
        probability = chosen.get(node) if chosen is not None else None
        if chosen is None:
            colour, width, style = _CHOSEN_COLOUR, 1.2, "-"
        elif node in reached:
            colour, width, style = _PATH_COLOUR, 3.2, "-"
        elif probability:
            colour, width, style = _CHOSEN_COLOUR, 2.0, "-"
        else:
            colour, width, style = _OTHER_COLOUR, 1.0, "--" if tree.node_kind[parent] == DECISION else "-"
        ax.plot([x[parent], x[node]], [y[parent], y[node]], color=colour, linewidth=width, linestyle=style,
                zorder=1)
        label = tree.action_label(node)
        if tree.node_kind[parent] == CHANCE:
            label += f" ({format_number(tree.probabilities[node])})"
        elif probability not in (None, 0, 1):
            label += f" [{format_number(probability)}]"
        share = 0.62 if tree.n_children[parent] > 2 else 0.5
        position = (x[parent] + share * (x[node] - x[parent]), y[parent] + share * (y[node] - y[parent]))
        ax.annotate(label, position, fontsize=7,
                    ha="center", va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})


def _draw_information_sets(ax, tree, x, y) -> None:
    """A dotted line through the nodes of each information set with several nodes, and its label."""
    for k, members in enumerate(tree._information_set_nodes()):
        if len(members) < 2:
            continue
        xs = sorted((x[int(j)], y[int(j)]) for j in members)
        ax.plot([p[0] for p in xs], [p[1] for p in xs], color="#7f8c8d", linestyle=":", linewidth=1.5, zorder=0)
        ax.annotate(tree.information_set_labels[k], (xs[0][0], xs[0][1]), xytext=(-6, 8),
                    textcoords="offset points", fontsize=7, color="#7f8c8d", ha="right")


def _draw_nodes(ax, tree, x, y, colours, reached, show_payoffs) -> None:
    """Decision nodes in their player's colour, chance nodes as squares, terminal nodes with their payoffs."""
    for node in range(tree.n_nodes):
        kind = tree.node_kind[node]
        if kind == DECISION:
            player = int(tree.node_player[node])
            ax.scatter([x[node]], [y[node]], s=140, color=colours[player], zorder=4, edgecolors="black")
            ax.annotate(tree.players[player], (x[node], y[node]), xytext=(0, 9), textcoords="offset points",
                        fontsize=8, ha="center", va="bottom", zorder=5)
        elif kind == CHANCE:
            ax.scatter([x[node]], [y[node]], s=140, marker="s", color="white", edgecolors="black", zorder=4)
            ax.annotate("chance", (x[node], y[node]), xytext=(0, 9), textcoords="offset points", fontsize=8,
                        ha="center", va="bottom", zorder=5)
        else:
            on_path = node in reached if reached is not None else False
            ax.scatter([x[node]], [y[node]], s=30, color=_PATH_COLOUR if on_path else "black", zorder=4)
            if show_payoffs:
                payoffs = tree.leaf_payoffs(node)
                text = "(" + ", ".join(_short(v) for v in payoffs.values()) + ")"
                label = tree.leaf_label(node)
                if label:
                    text = "\n".join(textwrap.wrap(label, 16)) + "\n" + text
                ax.annotate(text, (x[node], y[node]), xytext=(0, -9), textcoords="offset points", fontsize=7,
                            ha="center", va="top", zorder=5)


def _draw_legend(ax, tree, colours, *, highlighted: bool) -> None:
    from matplotlib.lines import Line2D  # heavy: loaded when a figure is drawn

    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=colours[i], markeredgecolor="black",
                      label=player) for i, player in enumerate(tree.players)]
    if highlighted:
        handles += [Line2D([], [], color=_PATH_COLOUR, linewidth=3.2, label="path of play"),
                    Line2D([], [], color=_CHOSEN_COLOUR, linewidth=2.0, label="chosen off the path"),
                    Line2D([], [], color=_OTHER_COLOUR, linewidth=1.0, linestyle="--", label="not chosen")]
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)


@draw.register(TreeSolveResult)
def plot_tree_result(result, *, equilibrium: int = 0, **options):
    """The solved tree with one of ``result``'s equilibria highlighted (``result.plot()``): :func:`plot_tree`."""
    return plot_tree(result.tree, result, equilibrium=equilibrium, **options)


def _short(value) -> str:
    if hasattr(value, "free_symbols"):
        return str(value)
    return format_number(value, digits=4)


def _layout(tree):
    """x: terminal nodes 0, 1, 2, … in depth-first order, parents centred; y: minus the depth."""
    x = [0.0] * tree.n_nodes
    depth = tree._structure["depth"]
    y = [-float(d) for d in depth.tolist()]
    order = list(tree._preorder())
    leaf = 0
    for node in order:
        if tree.n_children[node] == 0:
            x[node] = float(leaf)
            leaf += 1
    for node in reversed(order):
        if tree.n_children[node]:
            children = tree.children(node)
            x[node] = (x[children[0]] + x[children[-1]]) / 2
    return x, y


def _highlight(tree, result, index):
    """``({node: probability of the action leading to it}, {nodes reached})`` for one equilibrium."""
    if result is None or not result.equilibria:
        return None, None
    if index >= len(result.equilibria):
        raise IndexError(f"equilibrium {index} of {len(result.equilibria)}")
    equilibrium = result.equilibria[index]
    profile = equilibrium.profile
    chosen = {}
    for node in range(1, tree.n_nodes):
        parent = int(tree.parent[node])
        action = node - int(tree.first_child[parent])
        if tree.node_kind[parent] == DECISION:
            probabilities = profile._distribution(int(tree.node_information_set[parent]))
            chosen[node] = None if probabilities is None else probabilities[action]
        elif tree.node_kind[parent] == CHANCE:
            chosen[node] = tree.probabilities[node]
    reached = set()
    stack = [0]
    while stack:
        node = stack.pop()
        reached.add(node)
        for child in tree.children(node):
            if chosen.get(child):
                stack.append(child)
    reached.discard(0)
    return chosen, reached
