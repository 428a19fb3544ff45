"""Fuzz the command line: ``negotiation.cli.main(argv)`` over generated argument lists (issue 16, item 3).

Every command (and its alias) is driven with real and garbage model names, hostile scenario files,
options with good, bad and hostile values, and paths that cannot be written (``/dev/full``, a file in a
missing folder, a folder, a file below a file). Whatever the input, the command line

* exits with status 0, 1, 2 or 130 (2 only from argparse, as ``SystemExit``);
* on status 1 prints exactly one line on standard error, starting ``negotiation: error:``, and that line
  holds no raw control or bidirectional formatting character;
* never lets another exception escape (no traceback);
* finishes each call within :data:`CPU_SECONDS_PER_CALL` seconds of CPU (the issue's 2 s with a margin for
  a loaded machine; the models and sizes below are small, so a slow call means a missing limit).

The number of examples is :data:`EXAMPLES` (``NEGOTIATION_FUZZ_EXAMPLES`` in the environment raises it for a
longer search); the derandomised search makes a failure reproducible.
"""

from __future__ import annotations

import contextlib
import io
import os
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.cli import main

#: Examples per test (small: the file runs in seconds on two cores).
EXAMPLES = int(os.environ.get("NEGOTIATION_FUZZ_EXAMPLES", "60"))
#: CPU seconds one call may take (the issue asks for 2 s; the margin absorbs a loaded machine).
CPU_SECONDS_PER_CALL = 8.0

#: Bundled models that every command handles in well under a second (``nato_enlargement_bayesian`` and
#: ``buffer_zone`` take about a second per call and are left out to keep the fuzz quick).
MODELS = ["security_dilemma", "security_dilemma_bayesian", "security_dilemma_repeated", "reassurance_signal",
          "richardson_arms_race", "force_posture_cournot", "infrastructure_limits", "nato_enlargement",
          "vienna_document_inspection", "enlargement_vs_infrastructure", "cfe2"]
GARBAGE_NAMES = ["", " ", "-", "nonexistent", "security_dilemma.toml", "security_dilemma.nfg", "../../etc/passwd",
                 "/dev/null", "/dev/full", "/", ".", "x" * 300, "\u202eevil", "mod\u00e8le", "a\nb", "\x00",
                 "\u200fname", "ﬁ", "NUL.toml", "models/README.md"]

PLAIN_GAME = """schema = "negotiation.scenario/1"
id = "tiny"
title = "Tiny"
kind = "normal-form"
[players]
A = ["x", "y"]
B = ["x", "y"]
[parameters.a]
default = 1
range = [0, 2]
[payoffs]
"x, x" = ["a", 1]
"x, y" = [0, 0]
"y, x" = [0, 0]
"y, y" = [1, "a"]
"""

#: Hostile scenario files, written once into the fuzz folder: name -> text (bytes for binary).
FILES = {
    "tiny.toml": PLAIN_GAME,
    "empty.toml": "",
    "binary.toml": b"\xff\xfe\x00garbage",
    "not_toml.toml": "[[[",
    "bidi.toml": PLAIN_GAME.replace('A = ["x", "y"]', 'A = ["x\u202e", "y"]'),
    "confidence.toml": PLAIN_GAME.replace("range = [0, 2]", 'range = [0, 2]\nconfidence = ["published"]'),
    "ligature.toml": PLAIN_GAME.replace("[parameters.a]", '[parameters."ﬁ"]\ndefault = 1\n[parameters.fi]\n'
                                        'default = 2\n[parameters.a]'),
    "self.toml": """schema = "negotiation.scenario/1"
id = "self"
title = "Self"
kind = "bargaining"
parties = ["A", "B"]
[polytope]
vertices = [[0, 0], [1, 0], [0, 1]]
[disagreement]
scenario = "self.toml"
equilibrium = "x, x"
""",
    "game.nfg": 'NFG 1 R "g" { "A" "B" } { 2 2 }\n1 1 0 0 0 0 1 1\n',
    "bad.nfg": 'NFG 1 R "g" { "A" "B" } { 99999 99999 }\n1 1\n',
    "bad.efg": "EFG 2 R \"t\" { \"A\" }\np \"\" 1 1 \"\" { \"a\" } 0\n",
}

PATH_NAMES = list(FILES) + ["missing.toml", "folder", "folder/missing.toml"]

#: Where a figure or table may be asked to go: good, badly suffixed, and unwritable places.
OUTPUTS = ["out.png", "out.svg", "out.pdf", "out.gif", "out", "out.PNG", "missing/sub/out.png", "folder",
           "folder/", "tiny.toml/out.png", "/dev/full", "/dev/null", "/proc/i16e-fuzz.png", "out.csv",
           "out.parquet", "out.md", "out.json", "out.tex", "\u202eout.png", "é.png", ""]

SETS = ["a=1/2", "a=0", "a=3", "a=", "=1", "a", "omega=0.5", "omega=2", "omega=-1", "phi=1/3", "k=1e3",
        "a=1e400", "a=nan", "a=inf", "a=1/0", "ﬁ=1", "a=\u202e1", "a=1,b=2", "x=x", "omega=1e-300", "c=2", "g=1",
        "m=1", "n=1/2", "W=3", "W=0", "pi=1/2", "l=1/2", "d=1", "V=10", "omega=1/2", "phi=0"]
GRIDS = ["a=0:1:3", "omega=0:1:3", "omega=0:1:2", "phi=0:1:2", "omega=1:0:3", "omega=0:1:1", "omega=0:1:0",
         "omega=0:1:-5", "omega=a:b:3", "omega", "omega=0:1", "k=0:10:4", "=0:1:2", "omega=0:1:3:4"]

#: Each command's options: option -> strategy for its value (None: a flag without a value).
_number = st.sampled_from(["0", "1", "-1", "3", "20", "1e3", "0.5", "nan", "inf", "-inf", "x", "", "1e400",
                           "99999999999999999999"])
_small_int = st.sampled_from(["0", "1", "2", "-1", "5", "50", "x", "", "1.5"])
_output = st.sampled_from(OUTPUTS)
_sets = st.sampled_from(SETS)
def _formats(*names):
    return st.sampled_from(names)


OPTIONS = {
    "solve": {"--format": _formats("text", "json", "markdown", "latex", "csv"), "--set": _sets,
              "--method": st.sampled_from(["auto", "pure", "vertex", "lemke_howson", "support", "bogus", "",
                                           "sequence_form", "backward_induction", "logit", "correlated"])},
    "show": {"--set": _sets},
    "derive": {"--format": _formats("text", "latex", "json"), "--set": _sets,
               "--parameter": st.sampled_from(["a", "omega", "phi", "bogus", "", "ﬁ"])},
    "models": {"--format": _formats("text", "json")},
    "agree": {"--format": _formats("text", "json", "markdown", "latex"), "--set": _sets,
              "--solution": st.sampled_from(["all", "nash", "kalai_smorodinsky", "egalitarian", "utilitarian"]),
              "--sweep": st.sampled_from(["W", "W=0:4:3", "a=0:1:2", "bogus", "=", "W=0:4:1", "W=x:y:3",
                                          "W=0:4"]),
              "--plot": _output, "--plot-issues": _output,
              "--axes": st.sampled_from(["stationing", "a,b", "", "x,y,z"]),
              "--linkage": None,
              "--status-quo": st.sampled_from(["stationing=10000", "x=1", "=", "bogus"])},
    "learn": {"--format": _formats("text", "json", "csv"), "--set": _sets,
              "--rule": st.sampled_from(["fictitious_play", "best_response", "replicator", "logit"]),
              "--steps": _small_int, "--time": st.sampled_from(["1", "0", "-1", "nan", "inf", "x", "5"]),
              "--simultaneous": None,
              "--max-precision": st.sampled_from(["10", "1", "0", "-1", "nan", "inf", "x", "100"]),
              "--plot": _output},
    "arms-race": {"--format": _formats("text", "json"), "--set": _sets,
                  "--start": st.sampled_from(["0,0", "1,2", "x", "1", "1,2,3", "1/0,1", "nan,1", "inf,0", ""]),
                  "--time": st.sampled_from(["1", "5", "0", "-1", "nan", "inf", "x", "1e3"]),
                  "--plot": _output},
    "convert": {"--to": st.sampled_from(["nfg", "efg", "json"]), "--set": _sets,
                "--version": st.sampled_from(["outcome", "payoff"]), "--out": _output},
    "sweep": {"--format": _formats("csv", "parquet"), "--set": _sets,
              "--grid": st.sampled_from(GRIDS), "--samples": _small_int,
              "--seed": st.sampled_from(["0", "1", "-1", "x"]),
              "--prior": st.sampled_from(["omega=uniform", "omega=beta:2:5", "omega=normal:0:1", "x=bogus", "="]),
              "--out": _output, "--chunk-size": _small_int, "--resume": None, "--summary": _output,
              "--map": _output, "--map-axes": st.sampled_from(["omega,phi", "a,b", "omega", ""]),
              "--by": st.sampled_from(["equilibria", "classification"]),
              "--progress": None, "--no-progress": None, "--workers": st.sampled_from(["1", "0", "-2", "x"])},
}
ALIASES = {"dynamics": "arms-race"}
#: Commands that must not run for real here (a web server; every bundled model) get only arguments
#: that argparse refuses or answers itself.
PARSE_ONLY = {"app": ["--port", "--bogus", "-h"], "tables": ["--bogus", "--out", "-h"]}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A folder with the hostile files; the fuzzed commands run inside it (relative outputs land here)."""
    folder = tmp_path_factory.mktemp("cli_fuzz")
    for name, text in FILES.items():
        path = folder / name
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")
    (folder / "folder").mkdir()
    previous = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(previous)


def _text():
    """Short unicode garbage, control and bidirectional characters included (surrogates excluded: argv is
    decoded with surrogateescape and never holds lone surrogates that came from a terminal otherwise)."""
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


#: Options a command needs to do anything at all (drawn for most examples, left out for some).
REQUIRED = {"convert": ("--to",), "sweep": ("--out", "--grid")}


#: The models each command is for (the others it refuses in one line, which is tried too).
FITTING = {"agree": ["infrastructure_limits", "enlargement_vs_infrastructure", "cfe2"],
           "arms-race": ["richardson_arms_race"], "dynamics": ["richardson_arms_race"]}


def _path(command):
    """Mostly models that work, sometimes garbage names, hostile files and unicode."""
    good = st.sampled_from(FITTING.get(command, MODELS + ["tiny.toml", "game.nfg"]))
    return st.one_of(good, good, good, st.sampled_from(MODELS), st.sampled_from(GARBAGE_NAMES),
                     st.sampled_from(PATH_NAMES), _text())


def _now_and_then(draw, one_in: int) -> bool:
    """True about once in ``one_in`` draws (hypothesis favours the ends of a range, so not at an end)."""
    return draw(st.integers(0, one_in - 1)) == one_in // 2


def _value(draw, strategy):
    """A value of the option's own kind, now and then unicode garbage instead."""
    return draw(_text()) if _now_and_then(draw, 8) else draw(strategy)


@st.composite
def argument_lists(draw):
    """A command, a model (real, garbage or hostile file) and a handful of its options with values."""
    command = draw(st.sampled_from(sorted(OPTIONS) * 4 + sorted(ALIASES) + sorted(PARSE_ONLY) + ["bogus"]))
    if command in PARSE_ONLY:
        option = draw(st.sampled_from(PARSE_ONLY[command]))
        value = draw(st.sampled_from(["x", "0", "99999", "-1", ""]))
        return [command, option, value] if option == "--port" else [command, option]
    if command == "bogus":
        return [command] + draw(st.lists(_text(), max_size=3))
    argv = [command] if command == "models" else [command, draw(_path(command))]
    options = OPTIONS[ALIASES.get(command, command)]
    chosen = [o for o in REQUIRED.get(command, ()) if not _now_and_then(draw, 10)]
    chosen += draw(st.lists(st.sampled_from(sorted(options)), max_size=3))
    if _now_and_then(draw, 40):
        chosen.append("--bogus")
    for option in chosen:
        argv.append(option)
        if option in options and options[option] is not None:
            argv.append(_value(draw, options[option]))
    return argv


def _refused_characters(line: str) -> list:
    return [c for c in line if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


def run_main(argv):
    """``(status, stdout, stderr, CPU seconds)`` of ``main(argv)``; status 2 (or 0 for ``-h``) from argparse."""
    out, err = io.StringIO(), io.StringIO()
    started = time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse: usage errors (2), --help and --version (0)
            assert exit_.code in (0, 2), f"{argv!r}: SystemExit({exit_.code!r})"
            status = exit_.code
    return status, out.getvalue(), err.getvalue(), time.process_time() - started


def check_run(argv):
    """Run ``argv`` and check the command line's promises (see the module docstring)."""
    status, out, err, seconds = run_main(argv)
    assert status in (0, 1, 2, 130), f"{argv!r}: exit status {status!r}"
    assert "Traceback" not in err, f"{argv!r}: {err}"
    if status == 1:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("negotiation: error: "), f"{argv!r}: stderr {err!r}"
        assert not _refused_characters(lines[0]), f"{argv!r}: raw control characters in {lines[0]!r}"
    assert seconds < CPU_SECONDS_PER_CALL, f"{argv!r}: {seconds:.1f} s of CPU"
    return status, out, err


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(argv=argument_lists())
def test_generated_command_lines_exit_cleanly(workdir, argv):
    check_run(argv)


#: Hand-picked command lines that once raised a traceback or lied (exit 0 writing another file).
KNOWN = [
    ["agree", "infrastructure_limits", "--plot", "/dev/full"],
    ["agree", "infrastructure_limits", "--plot-issues", "/dev/full"],
    ["arms-race", "richardson_arms_race", "--plot", "/dev/full"],
    ["dynamics", "richardson_arms_race", "--plot", "/dev/full"],
    ["learn", "security_dilemma", "--plot", "/dev/full"],
    ["learn", "security_dilemma", "--steps", "5", "--plot", "tiny.toml/out.png"],
    ["learn", "security_dilemma", "--steps", "5", "--plot", "out"],
    ["sweep", "security_dilemma", "--grid", "omega=0:1:2", "--out", "t.csv", "--map", "/dev/full"],
    ["solve", "confidence.toml"],
    ["show", "self.toml"],
    ["show", "bidi.toml"],
    ["show", "ligature.toml"],
    ["solve", "\u202eevil"],
    ["solve", "a\nb"],
]


@pytest.mark.parametrize("argv", KNOWN, ids=lambda argv: " ".join(argv).encode("unicode_escape").decode())
def test_known_hostile_command_lines(workdir, argv):
    figures = set(workdir.glob("**/*.png"))  # the fuzz tests share the folder and may have written out.png
    status, out, err = check_run(argv)
    assert status == 1, f"{argv!r}: exit {status}, stdout {out!r}"
    assert set(workdir.glob("**/*.png")) == figures  # no figure written anywhere else (out.png, tiny.toml.png, …)
    if "/dev/full" in argv:  # the error names the file given, not a /dev/full.png written instead
        assert "/dev/full:" in err and "/dev/full." not in err
