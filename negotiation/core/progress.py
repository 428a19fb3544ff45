"""Progress bars and informational notes on standard error: the one place the toolkit draws them.

Every long operation (sweeps, ``negotiation tables``, parameter sweeps of a bargaining problem,
the exact n-player support enumeration when it runs past a second) reports through :func:`progress_bar`, a thin layer over `tqdm
<https://tqdm.github.io>`_ with the toolkit's rules:

* a bar goes to **standard error**, never to standard output, so results can be piped;
* by default (``enabled=None``) a bar is drawn only when standard error is a terminal, and only
  the outermost one: a bar opened while another is showing stays silent (the sweep inside
  ``negotiation tables`` does not draw a second bar);
* ``enabled=True`` draws it anyway (``negotiation sweep --progress``), ``enabled=False`` never;
* :func:`silenced` (``negotiation -q``/``--quiet``) silences every bar and every :func:`note`,
  whatever ``enabled`` says. Results and errors are never silenced.

tqdm is imported only when a bar is actually drawn (it costs about 50 ms, more than the whole
``negotiation --help``).

Examples
--------
>>> with progress_bar(3, "work", unit="step") as bar:   # stderr is not a terminal here: silent
...     for _ in range(3):
...         bar.advance()
>>> bar.shown, bar.count
(False, 3)
>>> with silenced():
...     quiet()
True
>>> quiet()
False
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Self

__all__ = ["Progress", "iterate", "note", "progress_bar", "quiet", "silenced", "would_show"]

#: Set by :func:`silenced` (the command line's ``--quiet``): no bar, no note.
_QUIET = False
#: Bars being drawn now (a bar opened inside another stays silent unless forced).
_SHOWING: list = []


def quiet() -> bool:
    """Whether bars and notes are silenced (``negotiation --quiet``)."""
    return _QUIET


@contextmanager
def silenced(flag: bool = True) -> Iterator[None]:
    """Silence every progress bar and note inside the ``with`` block (when ``flag`` is true)."""
    global _QUIET
    previous = _QUIET
    _QUIET = bool(flag) or previous
    try:
        yield
    finally:
        _QUIET = previous


def _stderr_is_terminal() -> bool:
    isatty = getattr(sys.stderr, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def would_show(enabled: bool | None = None) -> bool:
    """Whether a bar opened now with ``enabled`` would be drawn (see the module's rules)."""
    if _QUIET or enabled is False:
        return False
    if enabled is True:
        return True
    return not _SHOWING and _stderr_is_terminal()


def _width() -> dict:
    """tqdm's size options: follow the terminal's size, or a fixed one where the terminal reports none (a
    pseudo-terminal without a size says 0 × 0, and tqdm would then draw nothing)."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):
        size = os.terminal_size((0, 0))
    if size.columns > 0 and size.lines > 0:
        return {"dynamic_ncols": True}
    fallback = shutil.get_terminal_size()  # $COLUMNS and $LINES, else 80 × 24
    return {"ncols": fallback.columns, "nrows": fallback.lines}


class Progress:
    """One progress bar over ``total`` units (tqdm on standard error), or nothing at all.

    Count with :meth:`advance` (by a number of units) or :meth:`advance_to` (to an absolute
    count); :attr:`count` is kept whether or not the bar is drawn. Use it as a context manager,
    or call :meth:`close`.
    """

    def __init__(self, total: int | None, description: str, unit: str = "it", enabled: bool | None = None,
                 initial: int = 0, min_interval: float = 0.1, delay: float = 0.0):
        self.total = total
        self.description = description
        self.count = int(initial)
        self.shown = would_show(enabled)
        self._bar = None
        if self.shown:
            from tqdm import tqdm  # heavy (about 50 ms): only when a bar is drawn

            # file: stderr at the moment of drawing (pytest and redirections replace sys.stderr)
            self._bar = tqdm(total=total, desc=description, unit=f" {unit}", initial=self.count, file=sys.stderr,
                             leave=True, mininterval=min_interval, miniters=None if min_interval else 1,
                             smoothing=0.1, delay=delay, **_width())
            _SHOWING.append(self)

    def advance(self, units: int = 1) -> None:
        """Count ``units`` more."""
        self.count += units
        if self._bar is not None:
            self._bar.update(units)

    def advance_to(self, count: int) -> None:
        """Set the count to ``count`` (never backwards)."""
        if count > self.count:
            self.advance(count - self.count)

    def describe(self, text: str) -> None:
        """Show ``text`` after the counts (what is being worked on now)."""
        if self._bar is not None:
            self._bar.set_postfix_str(text, refresh=False)

    def echo(self, write: Callable[[str], object], file=None) -> Callable[[str], None]:
        """``write`` (e.g. ``print``, writing to ``file``, default standard output), made to clear the bar
        before writing and redraw it after, so that the bar's line and the text do not mix."""
        if self._bar is None:
            return write

        def cleared(text: str = "") -> None:
            with self._bar.external_write_mode(file=file or sys.stdout):
                write(text)
        return cleared

    def close(self) -> None:
        """Finish the bar (its last line stays on the terminal)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            if self in _SHOWING:
                _SHOWING.remove(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def progress_bar(total: int | None, description: str, *, unit: str = "it", enabled: bool | None = None,
                 initial: int = 0, min_interval: float = 0.1, delay: float = 0.0) -> Progress:
    """A :class:`Progress` over ``total`` units named ``unit`` (``None``: an unknown total).

    Parameters
    ----------
    total : int or None
        Units of the whole operation (points, models, values).
    description : str
        What is running, shown before the bar.
    unit : str
        The unit counted (``"points"``, ``"models"``).
    enabled : bool or None
        ``None``: drawn only on a terminal and when no other bar is showing; ``True``: always;
        ``False``: never. :func:`silenced` overrides all three.
    initial : int
        Units done already (a resumed sweep).
    min_interval : float
        Seconds between two drawings at least; 0 draws every update (for updates that are few and
        each worth seeing, such as a sweep's committed chunks).
    delay : float
        Seconds before the bar first appears: an operation that is usually quick (a solve) shows a
        bar only when it turns out long.
    """
    return Progress(total, description, unit=unit, enabled=enabled, initial=initial, min_interval=min_interval,
                    delay=delay)


def iterate(items: Iterable, description: str, *, total: int | None = None, unit: str = "it",
            enabled: bool | None = None) -> Iterator:
    """The items of ``items``, with a bar that advances after each one."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    with progress_bar(total, description, unit=unit, enabled=enabled) as bar:
        for item in items:
            yield item
            bar.advance()


def note(text: str) -> None:
    """An informational line on standard error (``negotiation: note: …``), unless silenced.

    For what a command says about how it ran (a cap applied, a fallback taken), never for a result.
    """
    if _QUIET:
        return
    line = f"negotiation: note: {text}"
    if _SHOWING:
        _SHOWING[-1].echo(lambda t: print(t, file=sys.stderr), file=sys.stderr)(line)
    else:
        print(line, file=sys.stderr)
