"""Tables of games and results: plain text, Markdown, booktabs LaTeX, CSV, HTML.

Every table uses labels (players, strategies), never indices, and shows
exact numbers as fractions (``3/4``; ``\\frac{3}{4}`` in LaTeX).
"""

from __future__ import annotations

import csv
import html
import io
from fractions import Fraction

from negotiation.core.numeric import format_number

__all__ = [
    "result_records", "result_text", "result_markdown", "result_latex", "result_csv",
    "game_text", "game_markdown", "game_html", "latex_number",
]


# ---------------------------------------------------------------------- numbers
def latex_number(value) -> str:
    """``Fraction(-3, 4)`` -> ``-\\frac{3}{4}``; integers and floats as they are.

    Examples
    --------
    >>> latex_number(Fraction(-3, 4))
    '-\\\\frac{3}{4}'
    """
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        sign = "-" if value < 0 else ""
        return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"
    if hasattr(value, "free_symbols"):
        import sympy

        return sympy.latex(value)
    return format_number(value)


def _latex_escape(text: str) -> str:
    replacements = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(replacements.get(c, c) for c in str(text))


def _summary(result) -> str:
    flags = ["exact" if result.exact else "floating point",
             "complete" if result.complete else "not necessarily complete"]
    if result.degenerate is True:
        flags.append("degenerate")
    elif result.degenerate is False:
        flags.append("nondegenerate")
    return f"{result.method} ({', '.join(flags)})"


def _parameters_text(result) -> str:
    return ", ".join(f"{k} = {format_number(v)}" for k, v in result.parameters.items())


def _component_of(result) -> dict[int, str]:
    labels = {}
    for number, members in enumerate(result.components, start=1):
        for k in members:
            labels.setdefault(k, []).append(str(number))
    return {k: ",".join(v) for k, v in labels.items()}


# ---------------------------------------------------------------------- results
def result_records(result) -> list[dict]:
    """One flat dict per equilibrium, labelled.

    Keys: the parameters, ``equilibrium`` (1-based), ``kind``, ``component``,
    ``"<player>: <strategy>"`` probabilities, ``"payoff <player>"``. Values are
    exact (``Fraction``) or floats.
    """
    components = _component_of(result)
    records = []
    for k, equilibrium in enumerate(result.equilibria):
        record = dict(result.parameters)
        record["equilibrium"] = k + 1
        record["kind"] = equilibrium.kind
        record["component"] = components.get(k, "")
        profile = equilibrium.profile
        for player, labels, probs in zip(profile.players, profile.strategies, profile.probabilities):
            for label, p in zip(labels, probs):
                record[f"{player}: {label}"] = p
        for player, payoff in zip(profile.players, equilibrium.payoffs):
            record[f"payoff {player}"] = payoff
        records.append(record)
    return records


def _rows(result):
    """Header and rows for the compact equilibrium table: one column per player's strategy mix."""
    game = result.game
    components = _component_of(result)
    header = ["#", "kind", *game.players, *(f"payoff {p}" for p in game.players)]
    if any(len(c) > 1 for c in result.components):
        header.insert(2, "component")
    rows = []
    for k, equilibrium in enumerate(result.equilibria):
        profile = equilibrium.profile
        cells = [str(k + 1), equilibrium.kind]
        if "component" in header:
            cells.append(components.get(k, ""))
        for player in game.players:
            cells.append(_mix_text(profile, player))
        cells.extend(format_number(v) for v in equilibrium.payoffs)
        rows.append(cells)
    return header, rows


def _mix_text(profile, player) -> str:
    support = [(s, p) for s, p in profile[player].items() if p > 0]
    if len(support) == 1:
        return support[0][0]
    return " + ".join(f"{format_number(p)} {s}" for s, p in support)


def _components_text(result) -> list[str]:
    lines = []
    for number, members in enumerate(result.components, start=1):
        if len(members) > 1:
            listed = ", ".join(str(k + 1) for k in members)
            lines.append(
                f"Component {number}: equilibria {listed} span a convex set; every mixture of them "
                "(player by player) is an equilibrium too."
            )
    return lines


def _align(header, rows) -> list[str]:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    return lines


def result_text(result) -> str:
    """Plain-text report for the terminal."""
    game = result.game
    lines = [game.title or "Game"]
    if result.parameters:
        lines.append(f"Parameters: {_parameters_text(result)}")
    for key in ("classification",):
        if key in result.details:
            lines.append(f"Classic game: {result.details[key]}")
    lines.append(f"Method: {_summary(result)}")
    if "value" in result.details:
        lines.append(f"Value of the game: {format_number(result.details['value'])}")
    lines.append("")
    if result.equilibria:
        header, rows = _rows(result)
        lines.extend(_align(header, rows))
    else:
        lines.append("No equilibrium found by this method.")
    extra = _components_text(result)
    if extra:
        lines.append("")
        lines.extend(extra)
    for message in result.messages:
        lines.append(f"Note: {message}")
    return "\n".join(lines)


def result_markdown(result) -> str:
    """GitHub-flavoured Markdown table with a one-line caption."""
    game = result.game
    caption = f"**{game.title or 'Game'}**"
    if result.parameters:
        caption += f" ({_parameters_text(result)})"
    caption += f". Method: {_summary(result)}."
    if "classification" in result.details:
        caption += f" Classic game: {result.details['classification']}."
    lines = [caption, ""]
    header, rows = _rows(result)
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    extra = _components_text(result)
    if extra:
        lines.append("")
        lines.extend(extra)
    return "\n".join(lines)


def result_latex(result) -> str:
    """A booktabs ``tabular`` (needs ``\\usepackage{booktabs}``), exact values as ``\\frac``."""
    game = result.game
    components = _component_of(result)
    show_components = any(len(c) > 1 for c in result.components)
    columns = ["\\#", "kind"] + (["component"] if show_components else [])
    columns += [_latex_escape(p) for p in game.players] + [f"$u_{{\\mathrm{{{_latex_escape(p)}}}}}$" for p in game.players]
    lines = [f"% {_latex_escape(game.title or 'Game')}: {_latex_escape(_summary(result))}"]
    if result.parameters:
        lines.append("% parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in result.parameters.items()))
    lines.append("\\begin{tabular}{" + "l" * len(columns) + "}")
    lines.append("\\toprule")
    lines.append(" & ".join(columns) + " \\\\")
    lines.append("\\midrule")
    for k, equilibrium in enumerate(result.equilibria):
        cells = [str(k + 1), equilibrium.kind]
        if show_components:
            cells.append(components.get(k, ""))
        for player in game.players:
            support = [(s, p) for s, p in equilibrium.profile[player].items() if p > 0]
            if len(support) == 1:
                cells.append(_latex_escape(support[0][0]))
            else:
                cells.append(" + ".join(f"${latex_number(p)}$ {_latex_escape(s)}" for s, p in support))
        cells.extend(f"${latex_number(v)}$" for v in equilibrium.payoffs)
        lines.append(" & ".join(cells) + " \\\\")
    lines.append("\\bottomrule")
    lines.append("\\end{tabular}")
    return "\n".join(lines)


def result_csv(result) -> str:
    """CSV with one row per equilibrium (the records), exact values as fraction strings."""
    records = result_records(result)
    buffer = io.StringIO()
    if not records:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: format_number(v) if isinstance(v, (Fraction, float)) else v for k, v in record.items()})
    return buffer.getvalue()


# ---------------------------------------------------------------------- games
def _payoff_cells(game):
    """For two-player games: rows of 'u1, u2' cells; for others, one row per profile."""
    if game.n_players == 2:
        header = [f"{game.players[0]} \\ {game.players[1]}", *game.strategies[1]]
        rows = []
        for i, row_label in enumerate(game.strategies[0]):
            cells = [row_label]
            for j in range(len(game.strategies[1])):
                cells.append(", ".join(format_number(v) for v in game.payoffs[i, j]))
            rows.append(cells)
        return header, rows
    header = [*game.players, *(f"payoff {p}" for p in game.players)]
    rows = []
    import itertools

    for position in itertools.product(*(range(n) for n in game.shape)):
        labels = [game.strategies[i][j] for i, j in enumerate(position)]
        rows.append(labels + [format_number(v) for v in game.payoffs[position]])
    return header, rows


def game_text(game) -> str:
    """The payoff table as aligned text (row player's payoff first in each cell)."""
    header, rows = _payoff_cells(game)
    return "\n".join(_align(header, rows))


def game_markdown(game) -> str:
    header, rows = _payoff_cells(game)
    lines = [f"**{game.title}**" if game.title else "", ""] if game.title else []
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(" --- " for _ in header) + "|")
    for row in rows:
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def game_html(game) -> str:
    """HTML table for Jupyter: strategies as row/column headers, cells 'u1, u2'."""
    header, rows = _payoff_cells(game)
    parts = ["<table>"]
    if game.title:
        parts.append(f"<caption>{html.escape(game.title)}</caption>")
    parts.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        first, *rest = row
        parts.append(f"<tr><th>{html.escape(first)}</th>" + "".join(f"<td>{html.escape(c)}</td>" for c in rest) + "</tr>")
    parts.append("</table>")
    return "".join(parts)
