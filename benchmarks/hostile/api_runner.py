"""Run one Python-API case of the hostile corpus: ``python api_runner.py OPERATION FILE [--method M]``.

The reliability benchmark (``benchmarks/bench_reliability.py``) starts this script, like
``python -m negotiation`` for the command-line cases, in a fresh temporary directory under CPU and
memory limits. It reads FILE (JSON), makes the one call of the public API that OPERATION names, and
prints the result's ``to_dict()`` as JSON on standard output.

A :class:`negotiation.core.errors.NegotiationError` is the toolkit's promise of a one-line error: it is
printed as ``negotiation: error: MESSAGE`` on standard error with exit status 1, as the command line
does. Anything else escapes as a Python traceback, on purpose: for the API the issue asks that every
user-facing error derive from the error root, so a ``TypeError``, ``ZeroDivisionError`` or plain
``ValueError`` is counted as a traceback, not forgiven.

Operations (FILE is JSON):

``from_arrays``
    ``{"arrays": [A, B, ...]}`` -> ``ng.solve(ng.Game.from_arrays(*arrays), method=M)``.
``from_dict``
    a ``negotiation.models.game/1`` object -> ``ng.solve(ng.Game.from_dict(data), method=M)``.
``tree_from_dict``
    a ``negotiation.models.tree/1`` object -> ``ng.solve(ng.GameTree.from_dict(data), method=M)``.
``solve_values``
    ``{"scenario": PATH, "values": {...}}`` -> ``ng.solve(ng.load(PATH), values=values, method=M)``.
``parse_expression``
    ``{"expression": TEXT, "names": [...]}`` -> ``parse_expression(TEXT, symbols of names)``.
"""

from __future__ import annotations

import argparse
import json
import sys


def _read(path):
    """The case's JSON. A file that is not JSON is the corpus's fault, not the toolkit's: exit 2."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError) as error:
        print(f"api_runner: error: {path}: not a JSON case file ({type(error).__name__})", file=sys.stderr)
        sys.exit(2)


def _operation(name, data, method):
    import negotiation as ng

    if name == "from_arrays":
        return ng.solve(ng.Game.from_arrays(*data["arrays"]), method=method).to_dict()
    if name == "from_dict":
        return ng.solve(ng.Game.from_dict(data), method=method).to_dict()
    if name == "tree_from_dict":
        return ng.solve(ng.GameTree.from_dict(data), method=method).to_dict()
    if name == "solve_values":
        return ng.solve(ng.load(data["scenario"]), values=data["values"], method=method).to_dict()
    if name == "parse_expression":
        import sympy  # only here: the other operations import what the toolkit itself imports, no more

        from negotiation.core.expressions import parse_expression

        symbols = {label: sympy.Symbol(label, real=True) for label in data.get("names", [])}
        return {"expression": str(parse_expression(data["expression"], symbols, where="expression"))}
    raise SystemExit(f"api_runner: unknown operation {name!r}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("operation")
    parser.add_argument("file")
    parser.add_argument("--method", default="auto")
    args = parser.parse_args(argv)
    data = _read(args.file)

    from negotiation.core.errors import NegotiationError

    try:
        answer = _operation(args.operation, data, args.method)
    except NegotiationError as error:
        print("negotiation: error: " + " ".join(str(error).split()), file=sys.stderr)
        return 1
    json.dump(answer, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
