"""Categories of command lines: unbounded counts (grids, samples, steps, sweeps, workers), output files
that cannot be written and two sweeps writing one file, and games that are simply too large."""

from __future__ import annotations

import corpus_toml as toml

SOLVE = ["solve", "{input}", "--format", "json"]
GAME, BARGAIN, CONTINUOUS = "_game.toml", "_bargain.toml", "_continuous.toml"


def _helpers(category, *names) -> None:
    """The small scenarios the command lines of a category run on (copied next to each run)."""
    scenarios = {GAME: toml.normal_form(), BARGAIN: toml.bargaining(), CONTINUOUS: toml.continuous(),
                 "_issues.toml": toml.issues_bargaining()}
    for name in names:
        category.add(name, scenarios[name], input_only=True)


def cli_counts(category) -> None:
    """Command lines asking for unbounded work: --grid omega=0:1:1000000000000, a 10^6 × 10^6 grid,
    --samples 10^12, learn --steps 1000000000000, agree --sweep omega=0:1:100000000, arms-race --time
    10^12, --workers beyond the CPUs and chunks, and malformed counts (0, negative, fractional, 30-digit).

    Issue 16: "--grid omega=0:1:1000000000000 grows to 3.8 GB and ends in a MemoryError traceback, as do
    a 10^6 × 10^6 grid and learn --steps 10^12; agree --sweep omega=0:1:100000000 hangs"; "--workers 12
    forks twelve processes for two chunks".
    """
    _helpers(category, GAME, BARGAIN, CONTINUOUS)
    sweep = ["sweep", "security_dilemma", "--out", "o.csv", "--no-progress"]
    for name, options in {
        "grid_10^12": ["--grid", "omega=0:1:1000000000000"],
        "grid_10^6_by_10^6": ["--grid", "omega=0:1:1000000", "--grid", "phi=0:1:1000000"],
        "grid_10^4_cubed": ["--grid", "omega=0:1:10000", "--grid", "phi=0:1:10000", "--grid", "k=0:10:10000"],
        "grid_10^30": ["--grid", "omega=0:1:" + "1" + "0" * 30],
        "grid_num_zero": ["--grid", "omega=0:1:0"],
        "grid_num_negative": ["--grid", "omega=0:1:-1"],
        "grid_num_fraction": ["--grid", "omega=0:1:2.5"],
        "grid_num_exponent": ["--grid", "omega=0:1:1e3"],
        "grid_num_missing": ["--grid", "omega=0:1"],
        "grid_name_only": ["--grid", "omega"],
        "grid_twice": ["--grid", "omega=0:1:3", "--grid", "omega=0:1:3"],
        "grid_unknown_parameter": ["--grid", "zeta=0:1:3"],
        "grid_outside_range": ["--grid", "omega=-5:5:3"],
        "samples_10^12": ["--samples", "1000000000000"],
        "samples_zero": ["--samples", "0"],
        "samples_negative": ["--samples", "-1"],
        "samples_and_grid": ["--samples", "3", "--grid", "omega=0:1:3"],
        "chunk_size_zero": ["--grid", "omega=0:1:3", "--chunk-size", "0"],
        "chunk_size_negative": ["--grid", "omega=0:1:3", "--chunk-size", "-5"],
        "chunk_size_10^12": ["--grid", "omega=0:1:3", "--chunk-size", "1000000000000"],
        "workers_zero": ["--grid", "omega=0:1:3", "--workers", "0"],
        "workers_negative": ["--grid", "omega=0:1:3", "--workers", "-1"],
        "workers_12_one_chunk": ["--grid", "omega=0:1:3", "--workers", "12"],
        "workers_32_two_chunks": ["--grid", "omega=0:1:10", "--chunk-size", "5", "--workers", "32"],
        "seed_negative": ["--samples", "3", "--seed", "-1"],
        "seed_10^30": ["--samples", "3", "--seed", "1" + "0" * 30],
        "prior_unknown_family": ["--samples", "3", "--prior", "omega=cauchy:0:1"],
        "prior_beta_zero": ["--samples", "3", "--prior", "omega=beta:0:0"],
        "prior_normal_negative_sd": ["--samples", "3", "--prior", "omega=normal:0:-1"],
        "set_swept_parameter": ["--grid", "omega=0:1:3", "--set", "omega=1/2"],
        "summary_of_10^12": ["--grid", "omega=0:1:1000000000000", "--summary", "s.md"],
        "map_one_axis": ["--grid", "omega=0:1:3", "--map", "m.png"],
        "map_axes_unknown": ["--grid", "omega=0:1:3", "--grid", "phi=0:1:3", "--map", "m.png", "--map-axes", "a,b"],
    }.items():
        category.cli(f"sweep_{name}", sweep + options)
    for name, options in {
        "steps_10^12": ["--steps", "1000000000000"],
        "steps_10^9": ["--steps", "1000000000"],
        "steps_10^7": ["--steps", "10000000"],
        "steps_zero": ["--steps", "0"],
        "steps_negative": ["--steps", "-1"],
        "steps_fraction": ["--steps", "2.5"],
        "best_response_steps_10^12": ["--rule", "best_response", "--steps", "1000000000000"],
        "replicator_steps_10^9": ["--rule", "replicator", "--steps", "1000000000"],
        "replicator_time_10^12": ["--rule", "replicator", "--time", "1000000000000"],
        "replicator_time_negative": ["--rule", "replicator", "--time", "-1"],
        "replicator_time_nan": ["--rule", "replicator", "--time", "nan"],
        "logit_precision_1e300": ["--rule", "logit", "--max-precision", "1e300"],
        "logit_precision_zero": ["--rule", "logit", "--max-precision", "0"],
        "logit_precision_negative": ["--rule", "logit", "--max-precision", "-1"],
        "csv_steps_10^7": ["--steps", "10000000", "--format", "csv"],
    }.items():
        category.cli(f"learn_{name}", ["learn", "security_dilemma"] + options)
    category.cli("agree_bundled_sweep_10^8", ["agree", "infrastructure_limits", "--sweep", "omega=0:1:100000000"])
    for name, options in {
        "sweep_10^12": ["--sweep", "a=0:4:1000000000000"],
        "sweep_10^8": ["--sweep", "a=0:4:100000000"],
        "sweep_zero": ["--sweep", "a=0:4:0"],
        "sweep_negative": ["--sweep", "a=0:4:-1"],
        "sweep_unknown": ["--sweep", "zeta=0:1:3"],
        "sweep_default_range": ["--sweep", "a"],
        "solution_unknown": ["--solution", "shapley"],
        "solution_1000_times": ["--solution", "nash"] * 1000,
        "set_unknown": ["--set", "zeta=1"],
    }.items():
        category.cli(f"agree_{name}", ["agree", BARGAIN] + options, with_=[BARGAIN])
    for name, options in {
        "time_10^12": ["--time", "1000000000000"],
        "time_1e300": ["--time", "1e300"],
        "time_negative": ["--time", "-1"],
        "time_zero": ["--time", "0"],
        "time_nan": ["--time", "nan"],
        "time_inf": ["--time", "inf"],
        "start_1e300": ["--start", "1e300,1e300"],
        "start_words": ["--start", "a,b"],
        "start_three": ["--start", "1,2,3"],
    }.items():
        category.cli(f"arms_race_{name}", ["arms-race", CONTINUOUS] + options, with_=[CONTINUOUS])
    set_many = [word for i in range(2000) for word in ("--set", f"p={i % 10}")]
    category.cli("solve_set_2000_times", ["solve", GAME] + set_many, with_=[GAME])
    category.cli("derive_parameter_1000_times", ["derive", GAME] + ["--parameter", "p"] * 1000, with_=[GAME])
    for name, options in {"set_unknown": ["--set", "zeta=1"], "set_without_value": ["--set", "p"],
                          "set_without_name": ["--set", "=1"], "method_unknown": ["--method", "magic"],
                          "format_unknown": ["--format", "yaml"]}.items():
        category.cli(f"solve_{name}", ["solve", GAME] + options, with_=[GAME])


def _sweep(out: str, points: int = 20001, *extra) -> list:
    return ["sweep", "security_dilemma", "--grid", f"omega=0:1:{points}", "--chunk-size", "1000",
            "--no-progress", "--out", out, *extra]


def cli_files(category) -> None:
    """Output that cannot be written -- --plot /dev/full, --out /dev/full, a missing directory, a
    directory, /proc -- and two sweeps started together with the same --out.

    Issue 16: "agree/dynamics --plot /dev/full exit 0 and write /dev/full.png instead; "No space left
    on device" names an empty file"; "two sweeps with the same --out at once both exit 0 and the file
    holds every row twice".
    """
    _helpers(category, GAME, BARGAIN, CONTINUOUS, "_issues.toml")
    # a run that writes next to /dev/full (/dev/full.png, /dev/full.progress) leaves a file in /dev: the
    # harness runs these cases one at a time, flags any new /dev/full* file and removes it
    full = {"status": "error", "no_new_path": "/dev/full?*",
            "note": "writing to a full device is an error; no /dev/full.png (or other /dev/full* file) may appear"}
    for name, argv, helper in (
        ("agree_plot_dev_full", ["agree", BARGAIN, "--plot", "/dev/full"], [BARGAIN]),
        ("arms_race_plot_dev_full", ["arms-race", CONTINUOUS, "--plot", "/dev/full"], [CONTINUOUS]),
        ("learn_plot_dev_full", ["learn", GAME, "--plot", "/dev/full"], [GAME]),
        ("sweep_map_dev_full", ["sweep", "security_dilemma", "--grid", "omega=0:1:3", "--grid", "phi=0:1:3",
                                "--out", "o.csv", "--map", "/dev/full"], []),
    ):
        category.cli(name, argv, with_=helper, expect=full, serial=True)
    for name, argv in (
        ("sweep_out_dev_full", ["sweep", GAME, "--grid", "p=0:1:3", "--format", "csv", "--out", "/dev/full"]),
        ("sweep_out_dev_full_parquet", ["sweep", GAME, "--grid", "p=0:1:3", "--format", "parquet", "--out",
                                        "/dev/full"]),
        ("convert_out_dev_full", ["convert", GAME, "--to", "nfg", "--out", "/dev/full"]),
    ):
        category.cli(name, argv, with_=[GAME], expect=full, serial=True)
    error = {"status": "error", "note": "nothing can be written there: a one-line error, not exit 0"}
    for name, argv in (
        ("sweep_out_is_directory", ["sweep", GAME, "--grid", "p=0:1:3", "--out", ".", "--format", "csv"]),
        ("sweep_out_proc", ["sweep", GAME, "--grid", "p=0:1:3", "--out", "/proc/version", "--format", "csv"]),
        ("sweep_out_empty_name", ["sweep", GAME, "--grid", "p=0:1:3", "--out", ""]),
    ):
        category.cli(name, argv, with_=[GAME], expect=error)
    # no expected answer: creating a missing directory, or writing CSV to o.txt, is a reasonable choice
    for name, argv, helper in (
        ("sweep_out_missing_directory", ["sweep", GAME, "--grid", "p=0:1:3", "--out", "no/such/dir/o.csv"], GAME),
        ("sweep_out_unknown_suffix", ["sweep", GAME, "--grid", "p=0:1:3", "--out", "o.txt"], GAME),
        ("sweep_resume_nothing", ["sweep", GAME, "--grid", "p=0:1:3", "--out", "o.csv", "--resume"], GAME),
        ("sweep_summary_unknown_suffix", ["sweep", GAME, "--grid", "p=0:1:3", "--out", "o.csv", "--summary",
                                          "s.xyz"], GAME),
        ("convert_out_missing_directory", ["convert", GAME, "--to", "nfg", "--out", "no/such/dir/g.nfg"], GAME),
        ("learn_plot_missing_directory", ["learn", GAME, "--plot", "no/such/dir/l.png"], GAME),
        ("agree_plot_unknown_suffix", ["agree", BARGAIN, "--plot", "a.exe"], BARGAIN),
        ("agree_plot_issues_unknown_suffix", ["agree", "_issues.toml", "--plot-issues", "a.exe"], "_issues.toml"),
    ):
        category.cli(name, argv, with_=[helper])
    category.cli("sweep_out_equals_summary", ["sweep", GAME, "--grid", "p=0:1:3", "--out", "o.csv",
                                              "--summary", "o.csv"], with_=[GAME])
    unique = {"csv_unique_rows": "same.csv", "note": "at most one writer; no row twice"}
    category.cli("two_sweeps_same_out", [_sweep("same.csv"), _sweep("same.csv")], expect=unique)
    category.cli("two_sweeps_same_out_workers", [_sweep("same.csv", 20001, "--workers", "2"),
                                                 _sweep("same.csv", 20001, "--workers", "2")], expect=unique)
    category.cli("two_sweeps_same_out_different_grids", [_sweep("same.csv", 20001), _sweep("same.csv", 20002)],
                 expect=unique)
    category.cli("two_sweeps_same_out_one_resumes", [_sweep("same.csv"), _sweep("same.csv", 20001, "--resume")],
                 expect=unique)
    category.cli("three_sweeps_same_out", [_sweep("same.csv")] * 3, expect=unique)


def _lcg(seed: int):
    """A fixed pseudo-random integer stream (no dependence on Python's random module or its version)."""
    state = seed
    while True:
        state = (6364136223846793005 * state + 1442695040888963407) % 2**64
        yield (state >> 33) % 100


def _nfg_payoff_version(shape, numbers) -> str:
    players = " ".join(f'"P{i + 1}"' for i in range(len(shape)))
    counts = " ".join(str(n) for n in shape)
    return f'NFG 1 R "large" {{ {players} }} {{ {counts} }}\n' + " ".join(str(n) for n in numbers) + "\n"


def _random_game(shape, seed) -> str:
    total = len(shape)
    for n in shape:
        total *= n
    stream = _lcg(seed)
    return _nfg_payoff_version(shape, (next(stream) for _ in range(total)))


def _identity(n: int) -> str:
    """The n×n coordination game with payoff 1 on the diagonal: 2^n - 1 equilibria."""
    numbers = []
    for column in range(n):
        for row in range(n):             # player 1's strategy varies fastest
            numbers += [1, 1] if row == column else [0, 0]
    return _nfg_payoff_version((n, n), numbers)


def game_size(category) -> None:
    """Games too large for exact enumeration: random 30×30 and 60×60 bimatrix games, identity games
    with 2^n - 1 equilibria, an all-zero 12×12 game, three- to six-player games for the polynomial
    solvers, a Bayesian game with ten types, each with the solver a user might pick.

    Issue 16: "a work budget for every input ... tree and game size".
    """
    category.run = {"nfg": SOLVE}
    for shape, seed in (((30, 30), 1), ((60, 60), 2), ((3, 3, 3), 3), ((4, 4, 4), 4), ((3, 3, 3, 3), 5),
                        ((2,) * 6, 6), ((6, 6, 6), 7)):
        name = "x".join(str(n) for n in shape)
        category.add(f"random_{name}.nfg", _random_game(shape, seed))
    for method in ("lemke_howson_enumeration", "logit_qre", "correlated", "support_enumeration_polynomial",
                   "iterated_elimination"):
        category.add(f"random_30x30_{method}.nfg", _random_game((30, 30), 1), argv=SOLVE + ["--method", method])
    category.add("random_6x6x6_support_enumeration_polynomial.nfg", _random_game((6, 6, 6), 7),
                 argv=SOLVE + ["--method", "support_enumeration_polynomial"])
    for n in (12, 16, 20):
        category.add(f"identity_{n}.nfg", _identity(n))
    category.add("identity_20_lemke_howson_enumeration.nfg", _identity(20),
                 argv=SOLVE + ["--method", "lemke_howson_enumeration"])
    category.add("zeros_12x12.nfg", _nfg_payoff_version((12, 12), [0] * 288))
    category.add("zeros_12x12_learn.nfg", _nfg_payoff_version((12, 12), [0] * 288), argv=["learn", "{input}"])
    types = [f"t{i}" for i in range(10)]
    bayesian = toml.bayesian()
    bayesian["players"]["A"]["types"] = types
    bayesian["prior"] = {"A": {t: "1/10" for t in types}}
    bayesian["payoffs"] = {t: {"C, C": [4, 4], "C, D": [0, 3], "D, C": [i % 6, 0], "D, D": [2, 2]}
                           for i, t in enumerate(types)}
    category.add("bayesian_10_types.toml", bayesian, argv=SOLVE)
    both = toml.bayesian()
    both["players"]["B"]["types"] = types[:6]
    both["players"]["A"]["types"] = types[:6]
    both["prior"] = {"A": {t: "1/6" for t in types[:6]}, "B": {t: "1/6" for t in types[:6]}}
    both["payoffs"] = {f"{a}, {b}": {"C, C": [4, 4], "C, D": [0, 3], "D, C": [3, 0], "D, D": [2, 2]}
                       for a in types[:6] for b in types[:6]}
    category.add("bayesian_6_by_6_types.toml", both, argv=SOLVE)
    repeated = toml.normal_form(
        players={"A": [f"s{i}" for i in range(8)], "B": [f"s{i}" for i in range(8)]},
        payoffs={f"s{i}, s{j}": [str((3 * i + j) % 7), str((i + 5 * j) % 7)] for i in range(8) for j in range(8)},
        repetition={"discount": "9/10", "target": ["s0", "s0"], "rounds": 1000,
                    "strategies": ["grim_trigger", "tit_for_tat"]})
    category.add("repeated_8x8_1000_rounds.toml", repeated, argv=SOLVE)


CATEGORIES = (cli_counts, cli_files, game_size)
