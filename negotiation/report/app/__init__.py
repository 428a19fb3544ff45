"""The browser app's page (``negotiation app``): the explorer notebook and the explorer it shows.

``explorer.ipynb`` (served by Voilà, see :mod:`negotiation.cli.app`) shows :func:`page_explorer`,
and ``index.html.j2`` is its page template (Voilà's, without links to a CDN).  The server keeps a
spare kernel that has run :func:`prepare` before a page gets it, so that the page's explorer is
already built (its imports, its first solution and its first figure) when the browser asks for it.
"""

from __future__ import annotations

from negotiation.report.explorer import Explorer

__all__ = ["page_explorer", "prepare"]

#: The explorer built ahead of the page by :func:`prepare` (one per kernel, shown once).
_prepared: list[Explorer] = []


def prepare() -> None:
    """Build the explorer the next page of this kernel will show (the server's spare kernel runs this)."""
    _prepared[:] = [Explorer()]


def page_explorer() -> Explorer:
    """The explorer for the page: the one :func:`prepare` built, the first time, else a new one.

    The prepared explorer is the one a new ``Explorer()`` would be (the default model at its
    default values), built earlier.

    Examples
    --------
    >>> from negotiation.report.app import page_explorer
    >>> page_explorer()                                  # doctest: +SKIP
    Explorer('security_dilemma', values={omega: 1/2, ...})
    """
    return _prepared.pop() if _prepared else Explorer()
