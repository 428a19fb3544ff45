"""Drawings of game trees (matplotlib, imported only when a plot is made).

:func:`plot_tree` lays the tree out top down (terminal nodes evenly spaced,
each parent centred over its children) or, when that would be wider than
:data:`MAX_WIDTH` inches, left to right (the root at the left, one row per
terminal node, its outcome and payoffs on one line beside it), so that no figure
is wider than a page or a slide at a readable font size; colours decision nodes by player,
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
from negotiation.report.figures import new_figure, wrap_label
from negotiation.results.tree import TreeSolveResult

__all__ = ["plot_tree", "plot_tree_result", "MAX_WIDTH"]

#: Widest tree figure (inches): 1,950 pixels at the 150 dpi of ``negotiation tables``. A top-down tree needs
#: about 1.5 inches per terminal node for its labels; one with more than eight terminal nodes is laid out
#: left to right instead, 0.42 inches per terminal node down the page.
MAX_WIDTH = 13.0
#: Font size (points) of the labels on a tree: 7.5 points is 16 pixels at 150 dpi.
_LABEL_SIZE = 7.5

_PATH_COLOUR = "#c0392b"
_CHOSEN_COLOUR = "#2c3e50"
_OTHER_COLOUR = "#b3b3b3"


@draw.register(GameTree)
def plot_tree(tree, result=None, *, equilibrium: int = 0, ax=None, max_nodes: int = 400,
              show_payoffs: bool = True, title: str | None = None, orientation: str = "auto"):
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
    orientation : {"auto", "down", "right"}
        ``"down"``: the root at the top; ``"right"``: the root at the left; ``"auto"``: down unless that
        is wider than :data:`MAX_WIDTH` inches.

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
    if orientation not in ("auto", "down", "right"):
        raise TreeError(f"orientation={orientation!r}: expected 'auto', 'down' or 'right'")
    sideways = orientation == "right" or (orientation == "auto" and _down_width(tree) > MAX_WIDTH)
    x, y = _layout(tree)
    if sideways:  # the root at the left: depth to the right, terminal nodes down the page
        x, y = [-value for value in y], [-value for value in x]
    text_units = _leaf_text_width(tree, show_payoffs) / _INCHES_PER_LEVEL if sideways else 0.0
    if ax is None:
        if sideways:
            width = min(MAX_WIDTH, _INCHES_PER_LEVEL * (tree.depth + text_units) + 1.2)
            height = min(30.0, max(3.5, 0.42 * tree.n_leaves + 1.6))
        else:
            width = min(MAX_WIDTH, _down_width(tree))
            height = min(30.0, max(3.5, 1.4 * (tree.depth + 1) + 1))
        figure = new_figure(figsize=(width, height), layout="constrained")
        ax = figure.subplots()
    else:
        figure = ax.figure
    chosen, reached = _highlight(tree, result, equilibrium)
    import matplotlib  # heavy: loaded when a figure is drawn

    palette = matplotlib.colormaps["tab10"]
    colours = [palette(i % 10) for i in range(tree.n_players)]
    _draw_edges(ax, tree, x, y, chosen, reached)
    if not tree.is_perfect_information:
        _draw_information_sets(ax, tree, x, y)
    _draw_nodes(ax, tree, x, y, colours, reached, show_payoffs, sideways)
    _draw_legend(ax, tree, colours, highlighted=chosen is not None, sideways=sideways)
    ax.set_axis_off()
    if sideways:
        ax.set_xlim(-0.25, tree.depth + 0.15 + text_units)
        ax.margins(y=0.04)
    else:
        ax.margins(x=0.08, y=0.18)
    if title is None:
        if result is not None and result.equilibria:
            shown = result.equilibria[equilibrium]
            name = "SPE" if result.method == "backward_induction" else "Equilibrium"
            title = f"{name} {equilibrium + 1}: {shown.path_text()}"
        else:
            title = tree.title or ""
    width = figure.get_size_inches()[0]
    ax.set_title(wrap_label(title, 0.95 * width, 10), fontsize=10)
    if tree.title and result is not None and figure is not None and ax is figure.axes[0]:
        figure.suptitle(wrap_label(tree.title, 0.95 * width, 11), fontsize=11)
    return figure


#: Inches per level of depth in a tree laid out left to right.
_INCHES_PER_LEVEL = 2.0


def _down_width(tree) -> float:
    """Inches a top-down drawing needs: 1.5 per terminal node."""
    return max(6.0, 1.5 * tree.n_leaves + 1)


def _leaf_text_width(tree, show_payoffs: bool) -> float:
    """Inches taken by the longest line written beside a terminal node (left-to-right layout)."""
    if not show_payoffs:
        return 0.3
    longest = max((len(_leaf_text(tree, node, sideways=True)) for node in range(tree.n_nodes)
                   if tree.node_kind[node] not in (DECISION, CHANCE)), default=0)
    return 0.3 + longest * 0.55 * _LABEL_SIZE / 72


def _leaf_text(tree, node, *, sideways: bool) -> str:
    """A terminal node's outcome label and payoffs: on one line beside it, or wrapped under it."""
    text = "(" + ", ".join(_short(v) for v in tree.leaf_payoffs(node).values()) + ")"
    label = tree.leaf_label(node)
    if not label:
        return text
    return f"{label} {text}" if sideways else "\n".join(textwrap.wrap(label, 16)) + "\n" + text


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
        ax.annotate(label, position, fontsize=_LABEL_SIZE,
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
                    textcoords="offset points", fontsize=_LABEL_SIZE, color="#7f8c8d", ha="right")


def _draw_nodes(ax, tree, x, y, colours, reached, show_payoffs, sideways=False) -> None:
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
                text = _leaf_text(tree, node, sideways=sideways)
                where = {"xytext": (8, 0), "ha": "left", "va": "center"} if sideways else \
                    {"xytext": (0, -9), "ha": "center", "va": "top"}
                ax.annotate(text, (x[node], y[node]), textcoords="offset points", fontsize=_LABEL_SIZE, zorder=5,
                            **where)


def _draw_legend(ax, tree, colours, *, highlighted: bool, sideways: bool = False) -> None:
    from matplotlib.lines import Line2D  # heavy: loaded when a figure is drawn

    handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=colours[i], markeredgecolor="black",
                      label=player) for i, player in enumerate(tree.players)]
    if highlighted:
        handles += [Line2D([], [], color=_PATH_COLOUR, linewidth=3.2, label="path of play"),
                    Line2D([], [], color=_CHOSEN_COLOUR, linewidth=2.0, label="chosen off the path"),
                    Line2D([], [], color=_OTHER_COLOUR, linewidth=1.0, linestyle="--", label="not chosen")]
    if sideways:  # below the tree: beside it, the terminal nodes' lines run to the right edge
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 0.0), fontsize=8, frameon=False,
                  ncol=min(len(handles), 4))
    else:
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
