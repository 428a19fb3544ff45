"""Documents: a title, blocks of text and tables, written once as plain text, Markdown, LaTeX and HTML.

Every result (and every model that shows itself) describes what it has to say as a
:class:`Document`; the four renderings below are the only table code of the toolkit. Numbers
in cells stay numbers until they are rendered: exact values show as fractions (``3/4``;
``\\frac{3}{4}`` in LaTeX), floats with six significant digits, sympy expressions as sympy
prints them.

Examples
--------
>>> from fractions import Fraction
>>> document = Document("Stag Hunt", (
...     Text(("Method: vertex_enumeration (exact)",)),
...     Table(("#", "NATO"), (("1", "Restrain"), ("2", Fraction(1, 3)))),
... ), notes=("ties broken by label",))
>>> print(render_text(document))
Stag Hunt
Method: vertex_enumeration (exact)
<BLANKLINE>
#  NATO
-  --------
1  Restrain
2  1/3
Note: ties broken by label
>>> print(render_latex(document).splitlines()[-4])
2 & $\\frac{1}{3}$ \\\\
"""

from __future__ import annotations

import csv
import html
import io
import numbers
from dataclasses import dataclass, replace
from fractions import Fraction

from negotiation.core.numeric import format_number, is_sympy, scale_of, snap_zero

__all__ = ["Cell", "Document", "Table", "Text", "aligned_lines", "assumptions_line", "zeros_shown", "csv_value", "latex_escape", "latex_number", "render_csv",
           "render_html", "render_latex", "render_markdown", "render_text", "show"]


# ---------------------------------------------------------------------- the parts
@dataclass(frozen=True)
class Cell:
    """A cell that reads differently in LaTeX (``Cell("→", "$\\\\to$")``); elsewhere ``text`` is shown."""

    text: str
    latex: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Text:
    """Lines of text. ``style="list"`` shows them as a bulleted list in Markdown and HTML."""

    lines: tuple
    style: str = "plain"


@dataclass(frozen=True)
class Table:
    """A table: ``header``, body ``rows`` and optional ``footer`` rows (shown after a rule).

    Cells are strings, numbers (exact, float or sympy) or :class:`Cell`; ``caption`` is a line
    shown above the table.
    """

    header: tuple
    rows: tuple
    footer: tuple = ()
    caption: str = ""


@dataclass(frozen=True)
class Document:
    """What a result says: a ``title``, then ``blocks`` (:class:`Text` and :class:`Table`), then ``notes``.

    The first block, when it is :class:`Text`, is the heading (parameters, method): plain text
    puts it right under the title; later blocks are separated by blank lines. ``empty`` is shown
    where the document has no table (for example "No equilibrium found by this method.").
    """

    title: str
    blocks: tuple = ()
    notes: tuple = ()
    empty: str = ""


def assumptions_line(tagged) -> str:
    """The line every rendering of a scenario's result ends with: which parameters are tagged ``assumption``
    (unverified or illustrative) and the values the result was computed at; a parameter left symbolic
    (``None``) is named alone. Empty when nothing is tagged.

    >>> assumptions_line({"k": 1, "G": Fraction(9, 2), "L": None})
    'Assumption-tagged parameters (illustrative values): k = 1, G = 9/2, L (symbolic)'
    """
    if not tagged:
        return ""
    shown = [f"{name} (symbolic)" if value is None else f"{name} = {show(value)}" for name, value in tagged.items()]
    return "Assumption-tagged parameters (illustrative values): " + ", ".join(shown)


# ---------------------------------------------------------------------- numbers and escapes
def show(value) -> str:
    """A cell or number as text (``3/4``, ``0.333333``, ``-2``, ``x/2``); ``None`` is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return format_number(value)


def latex_number(value) -> str:
    """``Fraction(-3, 4)`` -> ``-\\frac{3}{4}``; integers and floats as they are; sympy through ``sympy.latex``.

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
    if is_sympy(value):
        import sympy  # only for symbolic results, which already imported sympy

        return sympy.latex(value)
    return format_number(value)


def latex_escape(text) -> str:
    """Escape LaTeX's special characters in plain text (labels, titles).

    Examples
    --------
    >>> latex_escape("R&D_budget 50%")
    'R\\\\&D\\\\_budget 50\\\\%'
    """
    replacements = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
                    "→": r"$\to$", "≥": r"$\geq$", "≤": r"$\leq$", "μ": r"$\mu$", "−": "-"}
    return "".join(replacements.get(c, c) for c in str(text))


def _latex_cell(value) -> str:
    if isinstance(value, Cell):
        return value.latex
    if value is None:
        return ""
    if isinstance(value, str):
        return latex_escape(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Number) or is_sympy(value):
        return f"${latex_number(value)}$"
    return latex_escape(str(value))


def csv_value(value) -> str:
    """A value as machine output writes it: exact values in full (``-6787359/5238800``), floats with every
    digit, ``None`` empty, booleans ``True``/``False``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return str(value)


def zeros_shown(table: Table) -> Table:
    """``table`` with each float within :data:`~negotiation.core.numeric.ZERO_TOLERANCE` of zero, relative
    to the largest finite number in the table, as ``0.0`` (what every display format shows; exact values
    and machine outputs are never changed).

    Examples
    --------
    >>> zeros_shown(Table(("gain",), ((10.0,), (-1.48e-12,), (Fraction(1, 10**15),)))).rows
    ((10.0,), (0.0,), (Fraction(1, 1000000000000000),))
    """
    cells = [c for row in (*table.rows, *table.footer) for c in row]
    scale = scale_of(cells)
    if all(snap_zero(c, scale) is c for c in cells):
        return table
    return replace(table, rows=tuple(tuple(snap_zero(c, scale) for c in row) for row in table.rows),
                   footer=tuple(tuple(snap_zero(c, scale) for c in row) for row in table.footer))


# ---------------------------------------------------------------------- plain text
def aligned_lines(table: Table) -> list[str]:
    """The lines of one table as aligned plain text: the caption, the header, a rule, the rows (and footer)."""
    table = zeros_shown(table)
    body = [[show(c) for c in row] for row in table.rows]
    footer = [[show(c) for c in row] for row in table.footer]
    header = [show(c) for c in table.header]
    widths = [max(len(row[i]) if i < len(row) else 0 for row in [header, *body, *footer])
              for i in range(len(header))]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = ([table.caption] if table.caption else []) + [line(header), rule] + [line(r) for r in body]
    if footer:
        lines += [rule] + [line(r) for r in footer]
    return lines


def render_text(document: Document) -> str:
    """Plain text for the terminal: aligned columns, ``Note:`` lines at the end."""
    lines = [document.title]
    blocks = list(document.blocks)
    if blocks and isinstance(blocks[0], Text):
        lines += list(blocks.pop(0).lines)
    tables = any(isinstance(b, Table) for b in blocks)
    if document.empty and not tables:
        blocks.insert(0, Text((document.empty,)))
    for block in blocks:
        lines.append("")
        lines += aligned_lines(block) if isinstance(block, Table) else list(block.lines)
    lines += [f"Note: {note}" for note in document.notes]
    return "\n".join(lines)


# ---------------------------------------------------------------------- Markdown
def _markdown_cell(value) -> str:
    return show(value).replace("|", "\\|")


def render_markdown(document: Document) -> str:
    """GitHub-flavoured Markdown: the title in bold, the heading lines, tables, notes."""
    lines = [f"**{document.title}**"]
    blocks = list(document.blocks)
    if blocks and isinstance(blocks[0], Text):
        lines = [lines[0] + "  "] + [f"{line}  " for line in blocks.pop(0).lines]
    tables = any(isinstance(b, Table) for b in blocks)
    if document.empty and not tables:
        blocks.insert(0, Text((document.empty,)))
    for block in blocks:
        lines.append("")
        if isinstance(block, Table):
            block = zeros_shown(block)
            if block.caption:
                lines += [f"*{block.caption}*", ""]
            lines.append("| " + " | ".join(_markdown_cell(c) for c in block.header) + " |")
            lines.append("|" + "|".join(" --- " for _ in block.header) + "|")
            lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in (*block.rows, *block.footer)]
        elif block.style == "list":
            lines += [f"- {line.strip()}" for line in block.lines]
        else:
            lines += [f"{line}  " for line in block.lines]
    if document.notes:
        lines.append("")
        lines += [f"*Note:* {note}  " for note in document.notes]
    return "\n".join(lines)


# ---------------------------------------------------------------------- LaTeX
def render_latex(document: Document) -> str:
    """Booktabs ``tabular`` environments (``\\usepackage{booktabs}``); text becomes ``%`` comments."""
    lines = [f"% {latex_escape(document.title)}"]
    tables = [b for b in document.blocks if isinstance(b, Table)]
    for block in document.blocks:
        if isinstance(block, Text):
            lines += [f"% {latex_escape(line.strip())}" for line in block.lines if line.strip()]
            continue
        block = zeros_shown(block)
        if block.caption:
            lines.append(f"% {latex_escape(block.caption)}")
        lines.append("\\begin{tabular}{" + "l" * len(block.header) + "}")
        lines.append("\\toprule")
        lines.append(" & ".join(_latex_cell(c) for c in block.header) + " \\\\")
        lines.append("\\midrule")
        lines += [" & ".join(_latex_cell(c) for c in row) + " \\\\" for row in block.rows]
        if block.footer:
            lines.append("\\midrule")
            lines += [" & ".join(_latex_cell(c) for c in row) + " \\\\" for row in block.footer]
        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
    if document.empty and not tables:
        lines.append(f"% {latex_escape(document.empty)}")
    lines += [f"% note: {latex_escape(note)}" for note in document.notes]
    return "\n".join(lines)


# ---------------------------------------------------------------------- HTML (Jupyter)
def render_html(document: Document) -> str:
    """An HTML fragment for Jupyter: a bold title, the text, tables with header rows, notes."""
    parts = [f"<p><strong>{html.escape(document.title)}</strong>"]
    blocks = list(document.blocks)
    if blocks and isinstance(blocks[0], Text):
        parts.append("".join(f"<br>{html.escape(line)}" for line in blocks.pop(0).lines))
    parts.append("</p>")
    tables = any(isinstance(b, Table) for b in blocks)
    if document.empty and not tables:
        blocks.insert(0, Text((document.empty,)))
    for block in blocks:
        if isinstance(block, Table):
            block = zeros_shown(block)
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(show(c))}</td>" for c in row) + "</tr>"
                           for row in (*block.rows, *block.footer))
            caption = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
            head = "".join(f"<th>{html.escape(show(c))}</th>" for c in block.header)
            parts.append(f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif block.style == "list":
            parts.append("<ul>" + "".join(f"<li>{html.escape(line.strip())}</li>" for line in block.lines) + "</ul>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line) for line in block.lines) + "</p>")
    if document.notes:
        parts.append("<p>" + "<br>".join(f"<em>Note:</em> {html.escape(n)}" for n in document.notes) + "</p>")
    return "".join(parts)


# ---------------------------------------------------------------------- CSV
def render_csv(records: list) -> str:
    """Records (flat dicts) as CSV: one column per key in order of first appearance; empty for no records."""
    if not records:
        return ""
    fields = list(dict.fromkeys(key for record in records for key in record))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({key: csv_value(value) for key, value in record.items()})
    return buffer.getvalue()
