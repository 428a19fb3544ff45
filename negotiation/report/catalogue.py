"""The main job: every bundled scenario's table at its defaults and one figure of its key trade-off.

:func:`write_catalogue` writes, for each scenario, its result at the defaults as
text, Markdown, LaTeX, CSV and JSON, one figure (PNG and SVG), and an index
(``README.md`` and ``index.html``) that links them. Which figure a scenario gets
depends on its kind:

=================  ===============================================================
kind               figure
=================  ===============================================================
normal-form        the recursive inspection game by quota (``[inspection]``), else an
                   equilibrium map over the first two parameters (classic-game regions
                   where the scenario names its cooperative strategy)
extensive-form     the tree with the subgame-perfect path highlighted
bargaining         the feasible set, the zone of agreement and the bargaining solutions
bayesian           how many equilibria (Bayesian) or which surviving perfect Bayesian
                   equilibria (signaling) hold over the first two parameters
continuous         the Richardson phase plane (scenarios with ``[dynamics]``), else the
                   best-response curves
cooperative        the imputation simplex with the core, the Shapley value and the nucleolus
                   (three players), else the solutions by player as bars
=================  ===============================================================

The index also lists each scenario's ``[[claims]]`` with its robustness figure (issue 13). A robustness
run solves the model at hundreds of points (minutes for ``buffer_zone``), so ``tables`` does not sample:
it reads the figures recorded in ``models/robustness.json`` (:func:`record_robustness`, from the JSON of
``negotiation robustness NAME``) together with the SHA-256 of the scenario file they were computed on,
and says so where the file has changed since (the figure is then marked stale, with the command that
refreshes it).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from fractions import Fraction
from pathlib import Path

from negotiation.report.bargaining import plot_agreement_set
from negotiation.report.continuous import plot_best_responses
from negotiation.core.errors import NegotiationError
from negotiation.core.progress import progress_bar
from negotiation.report.maps import equilibrium_map, point_map
from negotiation.report.dynamics import plot_phase
from negotiation.scenario import bundled_models, load, models_directory
from negotiation.sweeps import sweep

__all__ = ["write_catalogue", "key_figure", "record_robustness", "claim_lines", "ROBUSTNESS_RECORD"]

#: The file (in the bundled models' folder) holding the recorded robustness figures of their claims.
ROBUSTNESS_RECORD = "robustness.json"

#: Points per axis of the parameter maps drawn point by point (Bayesian and signaling models).
MAP_POINTS = 21


def _pyplot():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        try:
            matplotlib.use("Agg")
        except Exception:  # pragma: no cover - a backend already in use
            pass
    import matplotlib.pyplot as plt

    return plt


def _two_parameters(scenario):
    names = [p.name for p in scenario.parameters.parameters if p.low is not None and p.high is not None]
    return names[:2]


def _label_signaling(result) -> str:
    surviving = [eq for eq in result if getattr(eq, "intuitive", None) is None or eq.intuitive.survives]
    if not len(result):
        return "no pure PBE"
    kinds = sorted({eq.kind for eq in surviving})
    return ("intuitive: " + " + ".join(kinds)) if kinds else "no PBE survives the intuitive criterion"


def _label_count(result) -> str:
    n = len(result)
    return f"{n} equilibri{'um' if n == 1 else 'a'}"


def key_figure(scenario, result=None):
    """The figure of a scenario's key trade-off (matplotlib Figure), or None if it has none.

    Examples
    --------
    >>> import negotiation as ng
    >>> figure = key_figure(ng.load("vienna_document_inspection"))
    >>> figure.axes[0].get_xlabel()
    'inspection quota (inspections in 12 periods)'
    """
    kind = scenario.kind
    if kind == "normal-form":
        return _normal_form_figure(scenario, result)
    if kind == "extensive-form":
        tree = scenario.game_at()
        return tree.plot(result if result is not None else scenario.solve())
    if kind == "bargaining":
        outcome = result if result is not None else scenario.bargain()
        if len(outcome.problem.parties) != 2:
            return None
        return plot_agreement_set(outcome)
    if kind == "bayesian":
        game = scenario.game_at()
        if type(game).__name__ == "SignalingGame":
            return point_map(scenario, _label_signaling, "pure PBE surviving the intuitive criterion",
                             points=MAP_POINTS)
        return point_map(scenario, _label_count, "Bayesian Nash equilibria", points=MAP_POINTS)
    if kind == "cooperative":
        return (result if result is not None else scenario.solve()).plot()
    if kind == "continuous":
        if getattr(scenario, "dynamics", None) is not None and hasattr(scenario, "dynamics_at"):
            return plot_phase(scenario.dynamics_at())
        game = scenario.game_at()
        if len(game.players) != 2:
            return None
        return plot_best_responses(game, result=result)
    return None


def _normal_form_figure(scenario, result=None):
    """The recursive inspection game by quota (``[inspection]``), else the equilibrium map over the first
    two parameters (classic-game regions where the scenario names its cooperative strategy)."""
    analyses = getattr(result, "analyses", None) or (scenario.analyses() if getattr(scenario, "options", ()) else {})
    for analysis in analyses.values():
        if hasattr(analysis, "plot"):
            try:
                return analysis.plot()
            except NegotiationError:  # a result type without a registered figure
                continue
    names = _two_parameters(scenario)
    if len(names) < 2:
        return None
    parameters = {p.name: p for p in scenario.parameters.parameters}
    grid = {n: (Fraction(parameters[n].low), Fraction(parameters[n].high), 41) for n in names}
    table = sweep(scenario, grid=grid)
    by = "classification" if getattr(scenario, "cooperate", None) else "equilibria"
    return equilibrium_map(table, names[0], names[1], by=by)


def _result(scenario):
    if scenario.kind == "bargaining":
        return scenario.bargain()
    return scenario.solve()


def write_catalogue(out, models=None, *, echo=print, jobs: int = 1) -> list[dict]:
    """Write every bundled scenario's table at its defaults, its key figure, and an index, under ``out``.

    Returns one record per scenario (name, title, kind, files written).

    ``jobs`` > 1 writes that many models at a time in forked worker processes (on Linux, from a process
    with one thread; elsewhere one at a time): every model is independent of the others, and the tables
    are echoed and the index written here, in the order of ``models``, so what is written is the same.
    """
    plt = _pyplot()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    models = bundled_models() if models is None else models
    items = [(out, name, path) for name, path in models.items()]
    workers = min(jobs, len(items)) if jobs > 1 and len(items) > 1 and _can_fork() else 0
    entries = []
    # the workers are forked before the progress bar exists (a bar may start a thread); forked, they start
    # with everything imported here (matplotlib, the package), write the files and send back only the text
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) if workers \
            else contextlib.nullcontext() as pool:
        written = pool.map(_write_model, items) if pool is not None else None
        with progress_bar(len(models), "tables", unit="models") as bar:  # on a terminal only (core.progress)
            say = bar.echo(echo)
            for item in items:
                if written is None:
                    bar.describe(item[1])
                entry, text = next(written) if written is not None else _write_model(item, plt)
                say(text)
                say("")
                entries.append(entry)
                bar.advance()
    _write_index(out, entries)
    return entries


def _can_fork() -> bool:
    """Forked workers only on Linux and from a process with one thread.

    Elsewhere a fork after matplotlib and numpy's libraries are loaded is unsafe, and a thread (a Jupyter
    kernel's, a test runner's) may hold a lock that the forked copy would wait on for ever.
    """
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods() \
        and threading.active_count() == 1


def _write_model(item, plt=None) -> tuple[dict, str]:
    """One scenario's tables and key figure under ``out``: its index entry and the text to echo."""
    out, name, path = item
    plt = plt if plt is not None else _pyplot()
    scenario = load(path)
    result = _result(scenario)
    files, markdown, text = _write_tables(out, name, scenario, result)
    figure = key_figure(scenario, result)
    if figure is not None:
        figure.savefig(out / f"{name}.png", dpi=150, bbox_inches="tight")
        figure.savefig(out / f"{name}.svg", bbox_inches="tight")
        plt.close(figure)
        files["figure"] = f"{name}.png"
        files["figure_svg"] = f"{name}.svg"
    entry = {"name": name, "title": scenario.title, "kind": scenario.kind, "files": files, "markdown": markdown,
             "claims": claim_lines(name, scenario, Path(path))}
    return entry, text


def _write_tables(out: Path, name: str, scenario, result) -> tuple[dict, str, str]:
    """The result of one scenario as text, Markdown, LaTeX, CSV and JSON; returns the files, Markdown and text."""
    analyses = scenario.analyses() if getattr(scenario, "options", ()) else {}
    # a result renders the analyses it carries itself; add only those it does not carry
    analyses = {key: a for key, a in analyses.items() if key not in (getattr(result, "analyses", None) or {})}
    text = "\n\n".join([result.to_text(), *(a.to_text() for a in analyses.values())])
    markdown = "\n\n".join([result.to_markdown(), *(a.to_markdown() for a in analyses.values())])
    latex = "\n\n".join([result.to_latex(), *(a.to_latex() for a in analyses.values())])
    data = {**result.to_dict(), **{key: a.to_dict() for key, a in analyses.items()}}
    files = {"text": f"{name}.txt", "markdown": f"{name}.md", "latex": f"{name}.tex",
             "csv": f"{name}.csv", "json": f"{name}.json"}
    (out / files["text"]).write_text(text + "\n", encoding="utf-8")
    (out / files["markdown"]).write_text(markdown + "\n", encoding="utf-8")
    (out / files["latex"]).write_text(latex + "\n", encoding="utf-8")
    (out / files["csv"]).write_text(result.to_csv(), encoding="utf-8")
    (out / files["json"]).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return files, markdown, text


def _write_index(out: Path, entries) -> None:
    lines = ["# Bundled models at their defaults", "",
             "Written by `negotiation tables`. Each model: its equilibria or agreement set at the defaults",
             "(text, Markdown, LaTeX, CSV, JSON) and one figure of its key trade-off.", "",
             "| model | kind | tables | figure |", "|---|---|---|---|"]
    for e in entries:
        f = e["files"]
        tables = " · ".join(f"[{k}]({f[k]})" for k in ("text", "markdown", "latex", "csv", "json"))
        figure = f"[PNG]({f['figure']}) · [SVG]({f['figure_svg']})" if "figure" in f else "—"
        lines.append(f"| [{e['title']}](#{e['name']}) | {e['kind']} | {tables} | {figure} |")
    for e in entries:
        lines += ["", f"## {e['title']}", f"<a id=\"{e['name']}\"></a>", "",
                  f"Model file: `models/{e['name']}.toml`", ""]
        if "figure" in e["files"]:
            lines += [f"![{e['title']}]({e['files']['figure']})", ""]
        if e.get("claims"):
            lines += ["Claims (`negotiation robustness " + e["name"] + "`):", "", *e["claims"], ""]
        lines.append(e["markdown"])
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = []
    for e in entries:
        f = e["files"]
        links = " · ".join(f'<a href="{html.escape(f[k])}">{k}</a>' for k in ("text", "markdown", "latex", "csv", "json"))
        figure = f'<a href="{html.escape(f["figure"])}"><img src="{html.escape(f["figure"])}" width="320"></a>' \
            if "figure" in f else ""
        rows.append(f"<tr><td>{html.escape(e['title'])}</td><td>{html.escape(e['kind'])}</td>"
                    f"<td>{links}</td><td>{figure}</td></tr>")
    page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>negotiation: bundled models</title>"
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}td{padding:6px;"
            "vertical-align:top;border-bottom:1px solid #ddd}</style></head><body>"
            "<h1>Bundled models at their defaults</h1><table><tr><th>model</th><th>kind</th><th>tables</th>"
            "<th>figure</th></tr>" + "".join(rows) + "</table></body></html>\n")
    (out / "index.html").write_text(page, encoding="utf-8")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_robustness(results: dict, *, commands: dict | None = None, folder=None) -> Path:
    """Write the robustness figures of bundled models to ``ROBUSTNESS_RECORD`` (merged with those there).

    ``results`` maps a model name to its :class:`~negotiation.results.robustness.RobustnessResult` or that
    result's ``to_dict()`` (the JSON of ``negotiation robustness NAME --format json``); ``commands`` gives the
    command that produced each (default ``negotiation robustness NAME``). Returns the file written.
    """
    folder = Path(folder) if folder is not None else models_directory()
    path = folder / ROBUSTNESS_RECORD
    record = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for name, result in results.items():
        data = result.to_dict() if hasattr(result, "to_dict") else result
        record[name] = {
            "sha256": _digest(folder / f"{name}.toml"),
            "command": (commands or {}).get(name, f"negotiation robustness {name}"),
            "samples": data["samples"], "seed": data["seed"],
            "claims": {c["id"]: {"holds_at_defaults": c["holds_at_defaults"], "share": c["share"],
                                 "share_95": c["share_95"], "holding": c["holding"], "evaluated": c["samples"],
                                 "undefined": c["undefined"]} for c in data["claims"]},
        }
    path.write_text(json.dumps(dict(sorted(record.items())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def claim_lines(name: str, scenario, path: Path) -> list[str]:
    """Markdown bullets: each claim of the scenario with its recorded robustness figure (or why there is none)."""
    if not getattr(scenario, "claims", ()):
        return []
    record_path = path.parent / ROBUSTNESS_RECORD
    try:
        record = json.loads(record_path.read_text(encoding="utf-8")).get(name) if record_path.exists() else None
    except (OSError, ValueError):
        record = None
    stale = record is not None and record.get("sha256") != _digest(path)
    lines = []
    for claim in scenario.claims:
        figure = (record or {}).get("claims", {}).get(claim.id)
        if figure is None:
            shown = f"no recorded figure (run `negotiation robustness {name}`)"
        else:
            low, high = figure["share_95"]
            defaults = "holds" if figure["holds_at_defaults"] else "does not hold"
            shown = (f"{defaults} at the defaults; holds in {100 * figure['share']:.0f} % of the sampled "
                     f"assumption space (95 %: {100 * low:.0f}–{100 * high:.0f} %, {figure['evaluated']} points; "
                     f"`{record['command']}`)")
            if stale:
                shown += f" — stale: models/{name}.toml changed since; rerun the command"
        lines.append(f"- **{claim.id}**: {claim.text} — {shown}")
    return lines
