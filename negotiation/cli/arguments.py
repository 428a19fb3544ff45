"""What every command of the command line shares: ``--set`` values, loading a model, output formats."""

from __future__ import annotations

import json
from pathlib import Path

from negotiation.core.errors import NegotiationError
from negotiation.core.numeric import format_number, parse_assignments
from negotiation.scenario import load

__all__ = ["FORMATS", "UserError", "parse_sets", "load_model", "render", "write_text", "values_comment"]

#: ``--format`` choices of the commands that print a result.
FORMATS = ("text", "json", "markdown", "latex", "csv")


class UserError(NegotiationError):
    """A mistake in the user's input: reported in one line, exit status 1."""


def parse_sets(items) -> dict:
    """``--set NAME=VALUE`` items as exact numbers (a one-line error names the bad item)."""
    try:
        return parse_assignments(items)
    except ValueError as error:
        raise UserError(str(error)) from None


def load_model(path):
    """A scenario file, a Gambit file or a bundled model by name: the only place the CLI turns a path into an object."""
    return load(path)


def render(result, fmt: str) -> str:
    """A result in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)
    if fmt == "markdown":
        return result.to_markdown()
    if fmt == "latex":
        return result.to_latex()
    if fmt == "csv":
        return result.to_csv().rstrip("\n")
    return result.to_text()


def write_text(text: str, out=None) -> None:
    """Write ``text`` to the file ``out`` (with a final newline), or print it."""
    if out:
        try:
            Path(out).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        except OSError as error:  # a full disk reports no file name of its own: name the file given
            raise UserError(f"{out}: cannot write: {error.strerror or error}") from None
    else:
        print(text.rstrip("\n"))


def values_comment(model) -> str:
    """``parameters: a = 1, b = 1/2`` for the comment of a written file (empty without values)."""
    if not model.values:
        return ""
    return "parameters: " + ", ".join(f"{k} = {format_number(v)}" for k, v in model.values.items())
