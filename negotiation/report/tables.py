"""Tables outside a document: :func:`table_lines`, the aligned text of one table (a game's payoffs in
``negotiation show``, a branch in ``negotiation learn``).

Games and results render through :mod:`negotiation.core.document` (``Game.document()``,
``result.document()``). The LaTeX helpers and the equilibrium-component labels below are what is left
of the table code before it; result types of other families and the sweeps still use them, until they
move onto the document renderer too.
"""

from __future__ import annotations

from fractions import Fraction

from negotiation.core.document import Document, Table, render_text
from negotiation.core.numeric import format_number

__all__ = ["table_lines", "latex_number"]


def table_lines(table: Table) -> list[str]:
    """The aligned lines of one table as plain text: the header, a rule, the rows.

    Examples
    --------
    >>> table_lines(Table(("λ", "Row: 1"), ((0.1, 0.597516), (1.0, 0.893576))))
    ['λ    Row: 1', '---  --------', '0.1  0.597516', '1    0.893576']
    """
    # render_text writes a document's title and a blank line before its first table
    return render_text(Document("", (table,))).splitlines()[2:]


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


def _component_of(result) -> dict[int, str]:
    """Equilibrium index -> the numbers of the components it belongs to (``"1,2"``)."""
    labels = {}
    for number, members in enumerate(result.components, start=1):
        for k in members:
            labels.setdefault(k, []).append(str(number))
    return {k: ",".join(v) for k, v in labels.items()}
