"""The seminar notebooks: each one runs top to bottom, and the committed files are stripped and up to date.

Every notebook checks the numbers its text states with ``assert`` lines (hand derivations and
closed forms written next to them), so executing it without an error output is the check of
those numbers. The notebooks run in a fresh Jupyter kernel of the current interpreter, with
``cwd = notebooks/``, ``MPLBACKEND=Agg`` and figures written to a temporary folder.

Every notebook also embeds the live explorer (``explorer(...)`` in a code cell, after a
"predict, then move the slider" prompt): the executed notebook must hold the widget (a
widget-view output and the widget state in its metadata), and the same explorer, built here from
the arguments read out of that cell, must answer a slider move with what a hand computation or an
independent search says.
"""

from __future__ import annotations

import ast
import importlib.util
import itertools
import math
import os
import sys
from fractions import Fraction
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
EXPECTED = [
    "01-getting-started", "02-security-dilemma", "03-trust-and-signals", "04-shadow-of-the-future",
    "05-nato-enlargement", "06-infrastructure-vs-enlargement", "07-buffer-zones", "08-cfe2-logrolling",
    "09-verification", "10-crisis-bargaining",
    "11-robustness",  # issue 13: robustness of claims
]
TIMEOUT = 300
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _build_module():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _kernel_name(tmp_root: Path) -> str:
    """``python3``, made to run this interpreter (the venv's).

    jupyter_client starts a spec whose command is plain ``python`` with ``sys.executable``.
    If no ``python3`` spec exists, or it names another interpreter, a spec for this one is
    installed into a temporary folder that is put first on ``JUPYTER_PATH``.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        command = KernelSpecManager().get_kernel_spec("python3").argv[0]
    except NoSuchKernel:
        command = None
    if command not in ("python", "python3", sys.executable):
        from ipykernel.kernelspec import install

        install(prefix=str(tmp_root), kernel_name="python3")
        share = tmp_root / "share" / "jupyter"
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share), os.environ.get("JUPYTER_PATH")]))
    return "python3"


def test_every_notebook_is_there():
    assert [path.stem for path in NOTEBOOK_FILES] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_committed_notebook_is_stripped(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_has_the_parts_of_a_seminar_class(path):
    notebook = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    assert "Learning goal" in markdown
    assert "## Exercises" in markdown
    assert markdown.count("<details><summary>Answer</summary>") >= 2
    hidden = [c for c in notebook.cells if c.cell_type == "code" and c.metadata.get("jupyter", {}).get("source_hidden")]
    assert hidden, f"{path.name}: no collapsed answer cell"
    assert "save_figure(" in code and "NEGOTIATION_FIGURES" in code
    assert code.count("assert ") >= 3


def test_notebooks_match_their_sources():
    build = _build_module()
    for source in sorted(build.SOURCES.glob("[0-9][0-9]-*.py")):
        expected = build.render(build.build_notebook(source))
        target = build.target_of(source)
        assert target.read_text(encoding="utf-8") == expected, f"{target.name} is stale: run notebooks/_build.py"


def test_build_splits_cells():
    build = _build_module()
    cells = build.split_cells("# %% [markdown]\n# # Title\n#\n# Text\n# %%\nx = 1\n# %% [answer]\ny = 2\n")
    assert cells == [("markdown", "# Title\n\nText"), ("code", "x = 1"), ("answer", "y = 2")]
    with pytest.raises(build.BuildError, match="unknown cell marker"):
        build.split_cells("# %% [raw]\nx\n")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_executes_without_errors(path, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("NEGOTIATION_FIGURES", str(tmp_path / "figures"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    kernel = _kernel_name(tmp_path / "kernel")
    notebook = nbformat.read(path, as_version=4)
    before = set(NOTEBOOKS.rglob("*"))
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name=kernel, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
              if output.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
    index, _, _, _ = _explorer_call(notebook)
    views = [output.data[WIDGET_VIEW]["model_id"] for output in notebook.cells[index].outputs
             if output.output_type in ("display_data", "execute_result") and WIDGET_VIEW in output.data]
    assert views, f"{path.name}: the explorer cell shows no widget"
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert views[0] in state, f"{path.name}: the notebook metadata lacks the explorer's widget state"
    sliders = [model for model in state.values() if model.get("model_name") == "FloatSliderModel"]
    assert sliders, f"{path.name}: the widget state has no slider"
    figures = list((tmp_path / "figures").glob("*.png"))
    assert figures, f"{path.name}: no figure saved"
    written = sorted(str(p.relative_to(ROOT)) for p in set(NOTEBOOKS.rglob("*")) - before)
    assert not written, f"{path.name} wrote into the repository: {written}"


# ---------------------------------------------------------------------- the live explorer
def _explorer_call(notebook) -> tuple:
    """``(cell index, scenario, values, options)`` of the notebook's ``explorer(...)`` call.

    Read from the cell's source with ``ast`` (literals, or a name bound in an earlier cell to a
    literal or to ``parse_scenario(literal)``), so that a test builds exactly what the notebook
    builds without repeating its constants.
    """
    from negotiation.scenario import parse_scenario

    bound, found = {}, []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for statement in ast.parse(cell.source).body:
            found += [(index, node, dict(bound)) for node in ast.walk(statement) if isinstance(node, ast.Call)
                      and isinstance(node.func, ast.Name) and node.func.id == "explorer"]
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                bound[statement.targets[0].id] = statement.value
    assert len(found) == 1, f"expected one explorer(...) call, found {len(found)}"
    index, call, bound = found[0]

    def value(node):
        if isinstance(node, ast.Name):
            return value(bound[node.id])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "parse_scenario":
            return parse_scenario(*map(value, node.args), **{k.arg: value(k.value) for k in node.keywords})
        return ast.literal_eval(node)

    arguments = [value(node) for node in call.args]
    options = {keyword.arg: value(keyword.value) for keyword in call.keywords}
    scenario = arguments[0] if arguments else options.pop("scenario_or_name")
    values = arguments[1] if len(arguments) > 1 else options.pop("values", None)
    return index, scenario, values, options


def _move(app, name: str, position: float):
    """Move one slider as a user would (the widget snaps it to its exact grid value) and return the new state."""
    before = (app.state.equilibria_rows, app.state.model_text)
    app.sliders[name].value = position
    assert app.error is None, app.error
    assert (app.state.equilibria_rows, app.state.model_text) != before, f"moving {name} changed nothing"
    return app.state


def _column(state, name: str) -> list:
    position = state.equilibria_header.index(name)
    return [row[position] for row in state.equilibria_rows]


def _row(state, first: str) -> dict:
    rows = [row for row in state.equilibria_rows if row[0] == first]
    assert len(rows) == 1, f"expected one row {first!r}, found {len(rows)}"
    return dict(zip(state.equilibria_header, rows[0]))


def _respond_01(app):
    # Hand, at omega = 1/5 (others default, v = 1; README: a Stag Hunt between 2/11 and 0.303):
    # T = 1*4*(1/5)*(1 - (1/4)*(4/5)) - 1 = 16/25 - 1 = -9/25, S = -1/5*10*3/4 = -3/2, P = -1 - 2/5 = -7/5
    # -> R > T > P > S; restraint in the mixed equilibrium (P - S)/((R - T) + (P - S)) = (1/10)/(46/100) = 5/23.
    state = _move(app, "omega", 0.2)
    assert app.values["omega"] == Fraction(1, 5)
    assert "classic game: Stag Hunt" in state.summary
    assert "5/23 Restrain + 18/23 Deploy" in _column(state, "NATO")
    assert _column(state, "NATO") == ["Restrain", "5/23 Restrain + 18/23 Deploy", "Deploy"]


def _respond_02(app):
    # Hand, at omega = 1/4, phi = 1/2, v = 0 (security seekers): T = -1 < R = 0 and S = -1/4*10*1/2 = -5/4
    # > P = -1 - 1/2 = -3/2: Harmony, mutual restraint the only equilibrium, payoffs (0, 0).
    state = _move(app, "phi", 0.5)
    assert "classic game: Harmony" in state.summary
    assert [(row[2], row[3], row[4], row[5]) for row in state.equilibria_rows] == [("Restrain", "Restrain", "0", "0")]


def _respond_03(app):
    # Hand: separation needs T_u - P_u = 1 <= s <= 2 = R_t - P_t; at s = 1 the trustworthy type gets R_t - s = 3.
    assert "separating" in _column(app.state, "kind")
    state = _move(app, "s", 2.5)
    assert "separating" not in _column(state, "kind") and "pooling" in _column(state, "kind")
    state = _move(app, "s", 1.0)
    assert state.result.separating[0].sender_payoffs[0] == 3


def _respond_04(app):
    # Friedman's grim trigger: delta* = (T - R)/(T - P) = (4w - 1)/(6w) (k = 1, G = 4, W = 2, v = 0).
    def critical(omega):
        return (4 * omega - 1) / (6 * omega)

    assert (app.state.map.x, app.state.map.y) == ("omega", "delta")
    grim = app.state.analyses["repetition"].thresholds[0]
    assert not grim.sustained
    state = _move(app, "delta", 0.4)
    grim = state.analyses["repetition"].thresholds[0]
    assert grim.threshold == critical(Fraction(1, 2)) == Fraction(1, 3) and grim.sustained
    state = _move(app, "omega", 1.0)
    grim = state.analyses["repetition"].thresholds[0]
    assert grim.threshold == critical(Fraction(1)) == Fraction(1, 2) and not grim.sustained
    assert state.map.point == (Fraction(1), Fraction(2, 5))
    assert _column(state, "NATO") == ["Deploy"]  # the stage game does not depend on delta


def _respond_05(app):
    # Hand (m = 4, t = 5, k = 3): at l = 3/10 Russia would militarise after limits ((1 - l)t = 7/2 > k),
    # so NATO admits fully and Russia militarises: (m - k, -k) = (1, -3).
    assert _column(app.state, "outcome") == ["Admit with limits → Accept"]
    state = _move(app, "l", 0.3)
    assert [(row["outcome"], row["payoff NATO"], row["payoff Russia"])
            for row in (dict(zip(state.equilibria_header, r)) for r in state.equilibria_rows)] \
        == [("Admit → Militarise", "1", "-3")]


def _respond_06(app):
    # Hand (notebook 06, Part C): the most even package gives both -3279/2600; no deal is -1 - W/2, so the
    # egalitarian gain is -3279/2600 + 1 + W/2 and the zone closes at W = 679/1300.
    state = _move(app, "W", 1.0)
    gain = Fraction(-3279, 2600) + 1 + Fraction(1, 2)
    row = _row(state, "egalitarian")
    assert (row["gain NATO"], row["gain Russia"]) == (str(gain), str(gain)) == ("621/2600", "621/2600")
    state = _move(app, "W", 0.5)
    assert state.result.zone.max_min_gain <= 0 < Fraction(679, 1300) - Fraction(1, 2)


def _respond_07(app):
    # An independent grid search (numpy, without the toolkit) for the Nash depths at detect = 1/50:
    # maximise the product of the gains over no deal, the unilateral equilibrium (NATO stays at 0,
    # Russia withdraws z = 30 ln(5/3) from its first-order condition (1/3) exp(-z/30) = 1/5).
    import numpy as np

    state = _move(app, "detect", 0.02)
    nu = 1 - (1 - 1 / 50) ** 12
    alone = 30 * math.log(5 / 3)
    d_nato, d_russia = -10 * math.exp(-nu * alone / 30), -10 * math.exp(-alone / 30) - 0.2 * alone
    z_nato, z_russia = np.meshgrid(np.arange(0, 15, 0.05), np.arange(0, 40, 0.05), indexing="ij")
    u_nato = -10 * np.exp(-(z_nato + nu * z_russia) / 30) - 0.5 * z_nato
    u_russia = -10 * np.exp(-(z_russia + nu * z_nato) / 30) - 0.2 * z_russia
    gains = np.where((u_nato >= d_nato) & (u_russia >= d_russia), (u_nato - d_nato) * (u_russia - d_russia), -np.inf)
    best = np.unravel_index(np.argmax(gains), gains.shape)
    nash = state.result.solutions["nash"].agreement.terms
    assert abs(nash["z_NATO"] - z_nato[best]) < 0.2 and abs(nash["z_Russia"] - z_russia[best]) < 0.2
    assert z_nato[best] < 0.7 and 16 < z_russia[best] < 18.5


def _cfe2_nash_package(scenario, values) -> dict:
    """The Nash package of ``cfe2`` by brute force over its 58,320 packages, from the formulas of
    notebook 08 (force ratio, own holdings, upkeep saved) written here in plain Python."""
    categories = ["tanks", "acv", "artillery", "aircraft", "helicopters"]
    issues = {issue.name: issue for issue in scenario.problem_at({}).agreements.issues}
    numbers = {name: float(value) for name, value in scenario.parameters.resolve(values).items()}

    def utility(side, package):
        own, other = ("N", "R") if side == "NATO" else ("R", "N")
        total = 0.0
        for k in categories:
            ceiling = float(issues[k].value_of(package[k]))
            held, held_other = numbers[f"H{own}_{k}"], numbers[f"H{other}_{k}"]
            mine, theirs = min(held, ceiling), min(held_other, ceiling)
            w, s = numbers[f"w{own}_{k}"], numbers[f"s_{side}"]
            total += w * math.log(mine / theirs) + s * math.log(mine / held) + numbers["upkeep_scale"] * (w + s) * (held - mine) / held
        return total

    no_treaty = {k: "no limit" for k in categories}
    d_nato, d_russia = utility("NATO", no_treaty), utility("Russia", no_treaty)
    return max((dict(zip(categories, combination))
                for combination in itertools.product(*(issues[k].options for k in categories))),
               key=lambda package: (max(0, utility("NATO", package) - d_nato)
                                    * max(0, utility("Russia", package) - d_russia)))


def _respond_08(app):
    state = _move(app, "wR_aircraft", 0.0)
    expected = _cfe2_nash_package(app.scenario, {"wR_aircraft": 0})
    assert state.result.solutions["nash"].agreement.terms == expected
    assert expected["aircraft"] == "no limit"


def _respond_09(app):
    # Hand (notebook 09): Pr(inspect) = d/(q(d + b)), Pr(conceal) = e/(q(c - a + e)); d = 1, q = 4/5,
    # e = 1/10, c = 2, a = 1. At b = 4: 1/4 and 5/44 (b is not in the second).
    assert (app.state.map.x, app.state.map.y) == ("b", "q")
    d, q, e, c, a, b = 1, Fraction(4, 5), Fraction(1, 10), 2, 1, 4
    inspect, conceal = Fraction(d) / (q * (d + b)), e / (q * (c - a + e))
    state = _move(app, "b", 4.0)
    assert (inspect, conceal) == (Fraction(1, 4), Fraction(5, 44))
    assert _column(state, "Inspecting states") == [f"{inspect} Inspect + {1 - inspect} Do not inspect"]
    assert _column(state, "Exercising state") == [f"{1 - conceal} Notify + {conceal} Conceal"]
    assert state.map.point == (Fraction(4), Fraction(4, 5))


def _respond_10(app):
    # Fearon 1995: the range is [p - c_A, p + c_B]; with linear utilities the Nash solution splits the
    # surplus c_A + c_B equally: x = p + (c_B - c_A)/2.
    p, c_a = app.values["p"], app.values["c_A"]
    state = _move(app, "c_B", 0.05)
    c_b = Fraction(1, 20)
    assert state.result.solutions["nash"].agreement.terms == {"x": p + (c_b - c_a) / 2} == {"x": Fraction(19, 40)}
    row = _row(state, "Nash")
    assert (row["gain A"], row["gain B"]) == (str((c_a + c_b) / 2),) * 2 == ("3/40", "3/40")


def _respond_11(app):
    # Hand (security_dilemma, omega = 1/2, phi = 1/4, G = 4, L = 10, W = 2, v = 1): T = 7/4 - k, S = -15/4,
    # P = -1 - k. At k = 5/2: R = 0 > T = -3/4 > P = -7/2 > S: a Stag Hunt; at k = 3, S > P = -4: Harmony.
    state = _move(app, "k", 2.5)
    assert app.values["k"] == Fraction(5, 2)
    assert "classic game: Stag Hunt" in state.summary
    state = _move(app, "k", 3.0)
    assert "classic game: Harmony" in state.summary


RESPONSES = {"01-getting-started": _respond_01, "02-security-dilemma": _respond_02,
             "03-trust-and-signals": _respond_03, "04-shadow-of-the-future": _respond_04,
             "05-nato-enlargement": _respond_05, "06-infrastructure-vs-enlargement": _respond_06,
             "07-buffer-zones": _respond_07, "08-cfe2-logrolling": _respond_08,
             "09-verification": _respond_09, "10-crisis-bargaining": _respond_10,
             "11-robustness": _respond_11}  # issue 13


def test_every_teaching_notebook_has_a_slider_check():
    assert sorted(RESPONSES) == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_explorer_follows_a_prediction_prompt(path):
    notebook = nbformat.read(path, as_version=4)
    index, _, _, _ = _explorer_call(notebook)
    prompt = notebook.cells[index - 1]
    assert prompt.cell_type == "markdown" and "**Predict, then move the slider.**" in prompt.source
    assert "<details><summary>Answer</summary>" in prompt.source
    following = notebook.cells[index + 1]
    assert following.cell_type == "code" and following.metadata.get("jupyter", {}).get("source_hidden"), \
        f"{path.name}: the explorer is not followed by a collapsed answer cell"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
def test_notebook_explorer_responds_to_a_slider(path):
    pytest.importorskip("ipywidgets")
    from negotiation.report.explorer import Explorer

    _, scenario, values, options = _explorer_call(nbformat.read(path, as_version=4))
    app = Explorer(scenario, values, **options)
    assert app.error is None, app.error
    for name, value in (values or {}).items():
        assert app.values[name] == Fraction(str(value))
    RESPONSES[path.stem](app)


@pytest.mark.parametrize("axes", [("omega", "zeta"), ("omega", "omega"), ("omega",)])
def test_explorer_map_axes_must_name_two_parameters_with_a_range(axes):
    pytest.importorskip("ipywidgets")
    from negotiation.report.explorer import Explorer, ExplorerError

    with pytest.raises(ExplorerError, match=r"map_axes .*: expected two different parameters of security_dilemma"):
        Explorer("security_dilemma", map_axes=axes, map_resolution=3)
