"""Figures for slides and papers: one call writes PNG, SVG and PDF; a slide style with readable fonts.

* :func:`slide_style` is a context manager.  Every plot function of the
  toolkit called inside it (equilibrium maps, bifurcation and tornado plots,
  tree plots, agreement sets, …) draws with large fonts (at least
  :data:`MIN_FONT_SIZE` points), thicker lines and a 16:10 figure (where the
  function does not set its own size); on leaving the block, figures created
  inside it are checked once more so that no text is smaller than the minimum
  (some plot functions set their own sizes).
* :func:`apply_slide_style` does the same to a figure made elsewhere.
* :func:`save_figure` writes one figure in several formats at once; :func:`write_figure` writes it to
  exactly one file, in the format its suffix names (:func:`figure_format`).
* Writing is all or nothing: the figure is drawn in memory, then written to a temporary file beside the
  target and renamed onto it (a device such as ``/dev/null`` is written in place). A full disk, a
  missing permission or a folder in the way is a one-line
  :class:`~negotiation.core.errors.NegotiationError` naming the file, and leaves no partial file.
* The figure set-up every plot function of the report layer shares: :func:`pyplot` (Agg where
  there is no display), :func:`new_axes`, :func:`new_figure` (a figure outside pyplot's state),
  :func:`colours` (a colour-blind-friendly palette), :func:`category_colours` (the one colour of each
  classic game, :data:`CLASSIC_GAME_COLOURS`, in every figure), :func:`wrap_label` and :data:`FONT_SIZE`.

Examples
--------
>>> import negotiation as ng
>>> from negotiation.sweeps import sweep
>>> from negotiation.report.maps import equilibrium_map
>>> result = sweep(ng.load("security_dilemma"), grid=["omega=0:1:11", "phi=0:1:11"])
>>> with slide_style():
...     figure = equilibrium_map(result, "omega", "phi")
>>> min(text.get_fontsize() for text in visible_texts(figure)) >= MIN_FONT_SIZE
True
"""

from __future__ import annotations

import contextlib
import io
import os
import secrets
import stat
import sys
import textwrap
from pathlib import Path

from negotiation.core.errors import NegotiationError

__all__ = ["new_figure", "new_axes", "best_legend", "pyplot", "colours", "save_figure", "write_figure", "figure_format",
           "slide_style", "apply_slide_style", "visible_texts", "SLIDE_RC", "MIN_FONT_SIZE", "FONT_SIZE", "PALETTE",
           "FORMATS", "CLASSIC_GAME_COLOURS", "category_colours", "wrap_label"]

#: Font size (points) of the toolkit's figures outside the slide style.
FONT_SIZE = 11
#: Colour-blind-friendly qualitative palette (Okabe and Ito); :func:`colours` continues with tab20.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: The colour of each classic game (the labels of :mod:`negotiation.solvers.classification`), the same in
#: every figure whatever other games a figure shows: the key figures of ``negotiation tables``, the maps
#: of ``negotiation sweep --map`` and the explorer all colour through :func:`category_colours`.
#: Okabe and Ito colours; a boundary case is a set of measure zero, drawn as a black line.
CLASSIC_GAME_COLOURS = {
    "Harmony": "#009E73",
    "Prisoner's Dilemma": "#D55E00",
    "Stag Hunt": "#0072B2",
    "Chicken": "#E69F00",
    "Deadlock": "#CC79A7",
    "boundary case": "#000000",
    "not symmetric": "#999999",
}

#: Smallest font size (points) on a slide figure.
MIN_FONT_SIZE = 12
#: Formats :func:`save_figure` can write.
FORMATS = ("png", "svg", "pdf")
#: matplotlib settings of the slide style.
SLIDE_RC = {
    "font.size": 16,
    "axes.titlesize": 18,
    "axes.labelsize": 16,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "legend.fontsize": 14,
    "legend.title_fontsize": 14,
    "figure.titlesize": 20,
    "figure.figsize": (10.0, 6.25),
    "lines.linewidth": 2.2,
    "lines.markersize": 9,
    "axes.linewidth": 1.2,
    "axes.titleweight": "bold",
    "savefig.bbox": "tight",
    "pdf.fonttype": 42,  # embed TrueType fonts: text stays editable and searchable in the PDF
    "svg.fonttype": "none",  # text as text in SVG
}


# ---------------------------------------------------------------------- figure set-up
def _has_display() -> bool:
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def pyplot():
    """``matplotlib.pyplot``, with the non-interactive Agg backend where there is no display."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules and not os.environ.get("MPLBACKEND") and not _has_display():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def new_axes(ax, figsize):
    """``(figure, axes)``: those of ``ax`` when given, else a new pyplot figure of ``figsize`` inches."""
    if ax is not None:
        return ax.figure, ax
    plt = pyplot()
    with plt.rc_context({"font.size": FONT_SIZE}):
        figure, ax = plt.subplots(figsize=figsize, layout="constrained")
    return figure, ax


def colours(n: int) -> list:
    """``n`` distinguishable colours: :data:`PALETTE`, then tab20 for more categories.

    Examples
    --------
    >>> colours(2)
    ['#0072B2', '#E69F00']
    """
    if n <= len(PALETTE):
        return PALETTE[:n]
    import matplotlib

    cmap = matplotlib.colormaps["tab20"]
    return [matplotlib.colors.to_hex(cmap(i % 20)) for i in range(n)]


def category_colours(labels) -> dict:
    """``{label: colour}``: a classic game always gets its :data:`CLASSIC_GAME_COLOURS` entry, whatever else
    the figure shows; other labels (sets of equilibria) the colours of :func:`colours` in order, skipping
    those of the classic games among ``labels``.

    Examples
    --------
    >>> category_colours(["Stag Hunt", "Harmony"])
    {'Stag Hunt': '#0072B2', 'Harmony': '#009E73'}
    >>> category_colours(["Chicken", "Stag Hunt", "Harmony"])["Stag Hunt"]
    '#0072B2'
    >>> category_colours(["pure (Deploy, Deploy)", "pure (Restrain, Restrain)"])
    {'pure (Deploy, Deploy)': '#0072B2', 'pure (Restrain, Restrain)': '#E69F00'}
    """
    labels = list(dict.fromkeys(labels))
    others = [label for label in labels if label not in CLASSIC_GAME_COLOURS]
    taken = {CLASSIC_GAME_COLOURS[label] for label in labels if label in CLASSIC_GAME_COLOURS}
    free = [colour for colour in colours(len(others) + len(taken)) if colour not in taken]
    mapping = dict(zip(others, free))
    return {label: CLASSIC_GAME_COLOURS.get(label) or mapping[label] for label in labels}


def wrap_label(text: str, inches: float, fontsize: float = FONT_SIZE) -> str:
    """``text`` broken into lines at most ``inches`` wide at ``fontsize`` points (never cut short).

    An average character of the default sans-serif font is about 0.55 of the font size wide.

    Examples
    --------
    >>> print(wrap_label("pi: NATO's prior probability that Russia is a security seeker", 3.0, 11))
    pi: NATO's prior probability that
    Russia is a security seeker
    """
    width = max(12, int(inches * 72 / (0.55 * fontsize)))
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def new_figure(**options):
    """A matplotlib ``Figure`` that is not tied to pyplot's global state (no window, no leak in loops).

    In a Jupyter kernel pyplot's display backend is loaded first, so that such a figure shows itself
    when it is the last value of a cell.

    Examples
    --------
    >>> new_figure(figsize=(4, 3)).get_size_inches().tolist()
    [4.0, 3.0]
    """
    if "ipykernel" in sys.modules:
        try:
            import matplotlib.pyplot as plt

            plt._get_backend_mod()  # registers the inline display of Figure objects
        except Exception:  # pragma: no cover - display is a convenience
            pass
    from matplotlib.figure import Figure

    return Figure(**options)


def best_legend(ax, **options):
    """``ax.legend(loc="best", **options)`` that looks for the best place once per layout, not at every draw.

    matplotlib searches for the "best" place of a legend each time something asks for the legend's
    extent -- about seven times per file for a figure with a constrained layout saved with
    ``bbox_inches="tight"`` -- and each search visits every vertex of every line and patch of the axes
    (the arrows of a streamplot: 0.2 s a search, most of ``negotiation tables``' Richardson figure).
    The place found depends only on the legend's size, the renderer, the figure's resolution and the
    axes' position, limits and contents, so it is remembered under those: the figure drawn is the same.

    Examples
    --------
    >>> figure = new_figure(figsize=(4, 3))
    >>> ax = figure.add_subplot()
    >>> _ = ax.plot([0, 1], [0, 1], label="rising")
    >>> best_legend(ax, fontsize=8).get_texts()[0].get_text()
    'rising'
    """
    legend = ax.legend(loc="best", **options)
    search = getattr(legend, "_find_best_position", None)
    if search is None:  # pragma: no cover - a matplotlib without the method: its own search at every draw
        return legend
    places = {}

    def remembered(width, height, renderer, *args, **kwargs):
        key = (width, height, type(renderer).__name__, getattr(renderer, "dpi", None), ax.figure.dpi,
               tuple(ax.bbox.bounds), tuple(ax.viewLim.bounds), tuple(legend.get_bbox_to_anchor().bounds),
               len(ax.get_children()), args, tuple(sorted(kwargs.items())))
        if key not in places:
            places[key] = search(width, height, renderer, *args, **kwargs)
        return places[key]

    legend._find_best_position = remembered
    return legend


def visible_texts(figure) -> list:
    """Every visible, non-empty text artist of ``figure`` (titles, labels, ticks, legends, annotations)."""
    from matplotlib.text import Text

    texts = []
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip() and _shown(text):
            texts.append(text)
    return texts


def _shown(artist) -> bool:
    """False for the text of an axis that is switched off (``ax.axis("off")``)."""
    axes = getattr(artist, "axes", None)
    if axes is not None and not axes.axison:
        return artist not in axes.xaxis.get_ticklabels(which="both") + axes.yaxis.get_ticklabels(which="both")
    return True


def apply_slide_style(figure, *, min_size: float = MIN_FONT_SIZE):
    """Raise every text of ``figure`` to at least ``min_size`` points (tick labels included); returns it.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> figure = Figure()
    >>> label = figure.add_subplot().set_xlabel("omega", fontsize=8)
    >>> apply_slide_style(figure).axes[0].xaxis.label.get_fontsize()
    12.0
    """
    for ax in figure.axes:
        ax.tick_params(axis="both", which="both", labelsize=max(min_size, _tick_size(ax)))
    for text in visible_texts(figure):
        if text.get_fontsize() < min_size:
            text.set_fontsize(min_size)
    return figure


def _tick_size(ax) -> float:
    labels = ax.xaxis.get_ticklabels() + ax.yaxis.get_ticklabels()
    return max((label.get_fontsize() for label in labels), default=MIN_FONT_SIZE)


@contextlib.contextmanager
def slide_style(*, min_size: float = MIN_FONT_SIZE, rc: dict | None = None):
    """Draw slide figures: large fonts, thick lines, 16:10; yields the matplotlib settings used.

    Every figure created inside the block (with pyplot or ``Figure()``) gets
    :func:`apply_slide_style` when the block ends, so text that a plot function sizes
    itself is raised to ``min_size`` as well.

    Parameters
    ----------
    min_size : float
        Smallest font size in points.
    rc : dict, optional
        Further matplotlib settings (``{"font.family": "serif"}``), applied over :data:`SLIDE_RC`.
    """
    from matplotlib.figure import Figure

    plt = pyplot()
    settings = {**SLIDE_RC, **(rc or {})}
    created = []
    original = Figure.__init__

    def recording(self, *args, **kwargs):  # plot functions make figures with pyplot or Figure(); see both
        original(self, *args, **kwargs)
        created.append(self)

    Figure.__init__ = recording
    try:
        with plt.rc_context(settings):
            yield settings
    finally:
        Figure.__init__ = original
    for figure in created:
        apply_slide_style(figure, min_size=min_size)


def figure_format(path, *, option: str = "") -> str:
    """The format of the figure file ``path`` from its suffix: ``"png"``, ``"svg"`` or ``"pdf"``.

    A path without one of these suffixes is refused (no suffix is ever added): one line naming the file
    and, from the command line, the ``option``.

    Examples
    --------
    >>> figure_format("out/zone.PDF")
    'pdf'
    >>> figure_format("/dev/full", option="--plot")
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: --plot /dev/full: unsupported figure format '(none)' (expected .png, .svg or .pdf)
    """
    suffix = Path(path).suffix.lower()
    if suffix.lstrip(".") not in FORMATS or not suffix:
        where = f"{option} {path}" if option else str(path)
        raise NegotiationError(f"{where}: unsupported figure format {suffix or '(none)'!r} "
                               "(expected .png, .svg or .pdf)")
    return suffix[1:]


#: What the formats leave out so that the same figure gives the same bytes (no software or date stamp).
_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def write_figure(figure, path, *, dpi: int = 150, format: str | None = None) -> Path:
    """Write ``figure`` to exactly ``path``, in the format of its suffix (or ``format``); returns the path.

    The figure is drawn in memory first and the file replaced in one step, so a failed write (a full disk,
    no permission) leaves no partial file; it raises one line naming the file. Missing folders are created.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> write_figure(Figure(), "zone.gif")
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: zone.gif: unsupported figure format '.gif' (expected .png, .svg or .pdf)
    """
    path = Path(path)
    suffix = format.lower().lstrip(".") if format else figure_format(path)
    if suffix not in FORMATS:
        raise NegotiationError(f"{path}: {format!r} is not a figure format (expected png, svg or pdf)")
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "negotiation"}):  # stable SVG ids
        figure.savefig(buffer, format=suffix, dpi=dpi, bbox_inches="tight", metadata=_METADATA[suffix])
    try:
        _write_bytes(path, buffer.getvalue())
    except OSError as error:
        raise NegotiationError(f"{path}: cannot write the figure: {error.strerror or error}") from None
    return path


def _write_bytes(path: Path, data: bytes) -> None:
    """``data`` into ``path`` in one step: a temporary file beside it, renamed onto it (devices in place)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a directory")
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        raise OSError(0, "a pipe or socket, not a file")  # opening a pipe for writing could wait forever
    if mode is not None and not stat.S_ISREG(mode):  # /dev/null, /dev/full: there is nothing to replace
        with open(path, "wb") as handle:
            handle.write(data)
        return
    target = path.resolve()  # a link to a file replaces the file, not the link
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise NotADirectoryError(20, "Not a directory") from None
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def save_figure(figure, path, *, formats=FORMATS, dpi: int = 200) -> list[Path]:
    """Write ``figure`` once per format: ``path`` with its suffix replaced by ``.png``, ``.svg``, ``.pdf``.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    path : str or Path
        ``out/map`` or ``out/map.png`` both give ``out/map.png``, ``out/map.svg``,
        ``out/map.pdf``; missing folders are created. A suffix that is not one of ``formats``
        (``map.gif``) is refused, never replaced or extended.
    formats : sequence of str
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    dpi : int
        Resolution of the PNG (and of rasterised parts of SVG/PDF).

    Returns
    -------
    list of Path
        The files written, in the order of ``formats``.  Files carry no creation
        date, so the same figure gives the same bytes (for SVG and PDF).

    Examples
    --------
    >>> save_figure(None, "map", formats=("gif",))
    Traceback (most recent call last):
        ...
    negotiation.core.errors.NegotiationError: formats: 'gif' is not a figure format (expected png, svg or pdf)
    """
    formats = tuple(formats)
    for name in formats:
        if str(name).lower().lstrip(".") not in FORMATS:
            raise NegotiationError(f"formats: {name!r} is not a figure format (expected png, svg or pdf)")
    if not formats:
        raise NegotiationError("formats: empty (expected one or more of png, svg, pdf)")
    path = Path(path)
    suffixes = [str(name).lower().lstrip(".") for name in formats]
    suffix = path.suffix.lower().lstrip(".")
    if path.suffix and suffix not in suffixes:  # never a silent map.gif.png, or map.svg for map.png
        raise NegotiationError(f"{path}: the suffix {path.suffix!r} is not one of the formats asked for "
                               f"({', '.join(suffixes)}); give the path without a suffix, or with one of them")
    stem = path.with_suffix("") if path.suffix else path
    return [write_figure(figure, stem.parent / f"{stem.name}.{name}", dpi=dpi, format=name) for name in suffixes]
