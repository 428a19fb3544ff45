"""Read and write Gambit ``.nfg`` strategic-form game files.

This module is self-contained: it depends only on :mod:`numpy` and the
standard library, and works on the neutral :class:`NfgData` structure rather
than on the toolkit's own game type.

Two variants of the format exist and both are read and written:

*payoff version*
    After the header comes a flat list of numbers: for every pure strategy
    profile, the payoffs of all players in player order.  Profiles are listed
    with **player 1's strategy varying fastest**, then player 2's, and so on
    (like counting with the least significant digit first).

*outcome version*
    After the header comes a braced list of outcomes
    ``{ { "label" u1 u2 ... } ... }`` (payoffs may be separated by commas),
    then one outcome index per profile in the same order.  Index ``0`` is the
    null outcome (all payoffs zero); index ``k`` is the ``k``-th outcome.

The header is ``NFG 1 R`` (``NFG 1 D`` is accepted too), a quoted title, the
quoted player names in braces, the strategies either as counts ``{ 3 2 }``
(labels become ``"1"``, ``"2"``, ...) or as nested label lists
``{ { "a" "b" } { "c" "d" } }``, and an optional quoted comment.

Numbers may be integers, decimals (``0.5``, ``-.25``), rationals
(``1/10``) or in scientific notation (``2.5E+2``); all are read into exact
:class:`fractions.Fraction` values (decimals exactly, ``Fraction("0.1")``).
Strings are double-quoted UTF-8 with ``\\"`` and ``\\\\`` escapes; a backslash
before any other character stands for itself (as in Gambit), so ``"\\u202e"`` is six
characters, not an escape. Player names, strategy and outcome labels are read in Unicode
normal form NFKC and the title as written; a control or bidirectional formatting
character in any of them, or two labels of one list that NFKC makes equal, is refused
(:mod:`negotiation.core.labels`). The comment is free text (Gambit writes it on several
lines) and is not checked.

The format is described in the Gambit manual ("Game representation
formats"); this implementation is independent of Gambit's code.
"""

from __future__ import annotations

import math
import numbers
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterator, NamedTuple, Union

import numpy as np

from negotiation.formats.text import read_label, read_labels, read_text
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normalise_label, normalise_labels, visible
from negotiation.models.game import MAX_PROFILES

__all__ = [
    "NfgData",
    "NfgFormatError",
    "parse_nfg",
    "read_nfg",
    "format_nfg",
    "write_nfg",
]

PathLike = Union[str, "os.PathLike[str]"]

_VERSIONS = ("outcome", "payoff")


# ---------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class NfgData:
    """A strategic-form game as stored in a ``.nfg`` file.

    Attributes
    ----------
    title : str
        Title of the game.
    players : tuple of str
        Player names, in player order.
    strategies : tuple of tuple of str
        For each player, the labels of that player's strategies.
    payoffs : numpy.ndarray
        Array of shape ``(n_1, ..., n_N, N)`` indexed
        ``[s_1, ..., s_N, player]``.  Arrays produced by the reader have
        ``dtype=object``, hold :class:`fractions.Fraction` entries and are
        read-only.  The writer also accepts integer or float arrays.
    comment : str, optional
        Free-text comment of the file (empty if absent).

    Notes
    -----
    The class does not validate its fields; :func:`format_nfg` checks that
    the shape of ``payoffs`` matches ``players`` and ``strategies``.
    Equality comparison is identity (``eq=False``) because element-wise
    array comparison has no single truth value.
    """

    title: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    comment: str = ""


class NfgFormatError(NegotiationError):
    """A ``.nfg`` file could not be read.

    The message is a single line of the form
    ``"<source>: line L: expected ..., found '...'"`` (when the problem is a
    count, the count is given unquoted, e.g. ``found 7``).  A missing file
    gives ``"<path>: no such file"``.

    Parameters
    ----------
    message : str
        The complete message; any line breaks are replaced by spaces.
    source : str, optional
        Name of the text that was read (path or ``"<string>"``).
    line : int, optional
        1-based line number of the problem, if known.

    Attributes
    ----------
    source : str or None
        See above.
    line : int or None
        See above.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        message = " ".join(str(message).splitlines())
        super().__init__(message)
        self.source = source
        self.line = line


# ---------------------------------------------------------------------------
# Lexer
# ---------------------------------------------------------------------------

_LBRACE, _RBRACE, _COMMA, _STRING, _WORD, _EOF = "{", "}", ",", "string", "word", "eof"

_WHITESPACE = " \t\n\r\f\v"
_DELIMITERS = _WHITESPACE + '{}",'

_NUMBER_RE = re.compile(
    r"[+-]?(?:\d+/\d+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\Z"
)
_UINT_RE = re.compile(r"\+?\d+\Z")


class _Token(NamedTuple):
    kind: str
    text: str  # decoded content for strings, raw text otherwise
    line: int


def _show(token: _Token) -> str:
    """Render a token for an error message (always a single line)."""
    if token.kind == _EOF:
        return "end of file"
    if token.kind == _STRING:
        text = '"' + _escape(token.text) + '"'
    else:
        text = token.text
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{visible(text)}'"  # control and bidirectional characters as escapes (\n, \u202e)


class _Lexer:
    """Split ``.nfg`` text into tokens, tracking line numbers."""

    def __init__(self, text: str, source: str):
        self.text = text
        self.source = source
        self.tokens = list(self._scan())
        self.pos = 0

    # -- errors -------------------------------------------------------------
    def error(self, line: int, message: str) -> NfgFormatError:
        return NfgFormatError(f"{self.source}: line {line}: {message}", source=self.source, line=line)

    def unexpected(self, token: _Token, expected: str) -> NfgFormatError:
        return self.error(token.line, f"expected {expected}, found {_show(token)}")

    # -- scanning -----------------------------------------------------------
    def _scan(self) -> Iterator[_Token]:
        text = self.text
        n = len(text)
        i = 0
        line = 1
        last_line = 1  # line of the last token, reported for end of file
        while True:
            while i < n and text[i] in _WHITESPACE:
                if text[i] == "\n":
                    line += 1
                i += 1
            if i >= n:
                yield _Token(_EOF, "", last_line)
                return
            last_line = line
            c = text[i]
            if c in "{},":
                yield _Token(c, c, line)
                i += 1
            elif c == '"':
                start_line = line
                i += 1
                parts = []
                while True:
                    if i >= n:
                        raise self.error(
                            start_line,
                            f"expected closing '\"' of the string opened on line {start_line},"
                            " found end of file",
                        )
                    c = text[i]
                    if c == '"':
                        i += 1
                        break
                    if c == "\\" and i + 1 < n and text[i + 1] in '"\\':
                        parts.append(text[i + 1])
                        i += 2
                        continue
                    if c == "\n":
                        line += 1
                    parts.append(c)
                    i += 1
                yield _Token(_STRING, "".join(parts), start_line)
            else:
                j = i
                while j < n and text[j] not in _DELIMITERS:
                    j += 1
                yield _Token(_WORD, text[i:j], line)
                i = j

    # -- token access -------------------------------------------------------
    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def next(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != _EOF:
            self.pos += 1
        return token

    def expect(self, kind: str, expected: str) -> _Token:
        token = self.next()
        if token.kind != kind:
            raise self.unexpected(token, expected)
        return token

    def number(self, token: _Token, expected: str) -> Fraction:
        """Convert a token to an exact Fraction or raise a format error."""
        if token.kind != _WORD or not _NUMBER_RE.match(token.text):
            raise self.unexpected(token, expected)
        if _number_size(token.text) > _MAX_NUMBER_DIGITS:
            raise self.unexpected(token, f"{expected} of at most {_MAX_NUMBER_DIGITS} digits")
        try:
            return Fraction(token.text)
        except ZeroDivisionError:
            raise self.unexpected(token, expected + " with a nonzero denominator") from None


# Bound on the size of one number (digits plus the magnitude of its exponent),
# which keeps "1e999999999" from taking forever and every value printable
# under Python's default limit on int-to-str conversion (4300 digits).
_MAX_NUMBER_DIGITS = 4000


def _number_size(text: str) -> int:
    """Rough number of decimal digits of the exact value of a number token."""
    mantissa, _, exponent = text.lower().partition("e")
    if len(exponent.lstrip("+-")) > 6:
        return _MAX_NUMBER_DIGITS + 1
    return len(mantissa) + abs(int(exponent or "0"))


def _is_number(token: _Token) -> bool:
    return token.kind == _WORD and _NUMBER_RE.match(token.text) is not None


# ---------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------


def _check_distinct(lex: _Lexer, tokens: list[_Token], what: str) -> None:
    seen: set[str] = set()
    for token in tokens:
        if token.text in seen:
            raise lex.error(token.line, f"expected distinct {what}, found duplicate {_show(token)}")
        seen.add(token.text)


def _labels(lex: _Lexer, tokens: list[_Token], what: str) -> tuple[str, ...]:
    """The labels of ``tokens`` in NFKC; control and bidirectional characters refused (with the line)."""
    return read_labels(((t.text, t.line) for t in tokens), source=lex.source, what=what, error=NfgFormatError)


def _parse_header(lex: _Lexer):
    magic = lex.next()
    if magic.kind != _WORD or magic.text != "NFG":
        raise lex.unexpected(magic, "'NFG' file type indicator")
    version = lex.next()
    if version.kind != _WORD or version.text != "1":
        raise lex.unexpected(version, "NFG format version '1' after 'NFG'")
    dtype = lex.next()
    if dtype.kind != _WORD or dtype.text not in ("R", "D"):
        raise lex.unexpected(dtype, "data type 'R' or 'D' after 'NFG 1'")
    title_token = lex.expect(_STRING, "quoted game title")
    title = read_label(title_token.text, source=lex.source, line=title_token.line, what="game title",
                       error=NfgFormatError, normalise=False)

    # Players.
    lex.expect(_LBRACE, "'{' opening the list of player names")
    player_tokens = []
    while lex.peek().kind == _STRING:
        player_tokens.append(lex.next())
    end = lex.next()
    if end.kind != _RBRACE:
        raise lex.unexpected(end, "quoted player name or '}'")
    if not player_tokens:
        raise lex.unexpected(end, "at least one quoted player name")
    players = _labels(lex, player_tokens, "player name")
    _check_distinct(lex, player_tokens, "player names")

    # Strategies: counts or nested label lists.
    lex.expect(_LBRACE, "'{' opening the list of strategies")
    # Per player: a tuple of labels, or a count whose labels "1".."n" are only
    # built once the body has been read (so a huge count fails cheaply).
    strategies: list[tuple[str, ...] | int] = []
    if lex.peek().kind == _LBRACE:
        for name in players:
            lex.expect(_LBRACE, f"'{{' opening the strategy labels of player '{name}'")
            label_tokens = []
            while lex.peek().kind == _STRING:
                label_tokens.append(lex.next())
            end = lex.next()
            if end.kind != _RBRACE:
                raise lex.unexpected(end, f"quoted strategy label of player '{name}' or '}}'")
            if not label_tokens:
                raise lex.unexpected(end, f"at least one strategy label for player '{name}'")
            strategies.append(_labels(lex, label_tokens, f"strategy label of player '{name}'"))
            _check_distinct(lex, label_tokens, f"strategy labels for player '{name}'")
    else:
        for name in players:
            token = lex.next()
            expected = f"positive integer strategy count for player '{name}'"
            if token.kind != _WORD or not _UINT_RE.match(token.text) or len(token.text) > 18:
                raise lex.unexpected(token, expected)
            if int(token.text) < 1:
                raise lex.unexpected(token, expected)
            strategies.append(int(token.text))
    lex.expect(_RBRACE, f"'}}' closing the list of strategies ({len(players)} players)")

    comment = ""
    if lex.peek().kind == _STRING:
        comment = lex.next().text
    return title, players, strategies, comment


def _parse_payoff_body(lex: _Lexer, n_profiles: int, n_players: int) -> list[Fraction]:
    expected_count = n_profiles * n_players
    what = f"{expected_count} payoffs ({n_profiles} profiles x {n_players} players)"
    values: list[Fraction] = []
    while len(values) < expected_count:
        token = lex.next()
        if token.kind == _EOF:
            raise lex.error(token.line, f"expected {what}, found {len(values)}")
        values.append(lex.number(token, f"number (payoff {len(values) + 1} of {expected_count})"))
    if _is_number(lex.peek()):
        first_extra = lex.peek()
        extra = 0
        while _is_number(lex.peek()):
            lex.next()
            extra += 1
        raise lex.error(first_extra.line, f"expected {what}, found {expected_count + extra}")
    return values


def _parse_outcome_body(lex: _Lexer, n_profiles: int, n_players: int) -> list[Fraction]:
    lex.expect(_LBRACE, "'{' opening the list of outcomes")
    outcomes: list[list[Fraction]] = [[Fraction(0)] * n_players]  # index 0: null outcome
    while True:
        token = lex.next()
        if token.kind == _RBRACE:
            break
        if token.kind != _LBRACE:
            raise lex.unexpected(token, "'{' opening an outcome or '}' closing the outcome list")
        k = len(outcomes)
        label = lex.expect(_STRING, f"quoted label of outcome {k}")
        read_label(label.text, source=lex.source, line=label.line, what=f"label of outcome {k}", error=NfgFormatError)
        values: list[Fraction] = []
        after_number = False
        while True:
            token = lex.next()
            if token.kind == _RBRACE:
                break
            if token.kind == _COMMA and after_number:
                after_number = False
                continue
            if _is_number(token):
                values.append(lex.number(token, f"number (payoff in outcome {k})"))
                after_number = True
                continue
            raise lex.unexpected(token, f"number (payoff in outcome {k}) or '}}'")
        if len(values) != n_players:
            raise lex.error(
                token.line,
                f"expected {n_players} payoffs in outcome {k} (one per player), found {len(values)}",
            )
        outcomes.append(values)

    n_outcomes = len(outcomes) - 1
    what = f"{n_profiles} outcome indices (one per profile)"
    expected_index = f"outcome index in 0..{n_outcomes}"
    indices: list[int] = []
    while len(indices) < n_profiles:
        token = lex.next()
        if token.kind == _EOF:
            raise lex.error(token.line, f"expected {what}, found {len(indices)}")
        if token.kind != _WORD or not _UINT_RE.match(token.text):
            raise lex.unexpected(token, expected_index)
        index = int(token.text) if len(token.text) <= 18 else n_outcomes + 1
        if index > n_outcomes:
            raise lex.unexpected(token, expected_index)
        indices.append(index)
    if _is_number(lex.peek()):
        first_extra = lex.peek()
        extra = 0
        while _is_number(lex.peek()):
            lex.next()
            extra += 1
        raise lex.error(first_extra.line, f"expected {what}, found {n_profiles + extra}")
    return [value for index in indices for value in outcomes[index]]


def parse_nfg(text: str, *, source: str = "<string>") -> NfgData:
    """Parse the text of a Gambit ``.nfg`` file.

    Both the payoff version and the outcome version of the format are
    accepted, with strategies given either as counts or as label lists.

    Parameters
    ----------
    text : str
        Contents of the file.
    source : str, optional
        Name used in error messages (for example the file path).

    Returns
    -------
    NfgData
        The game; ``payoffs`` is a read-only ``dtype=object`` array of
        :class:`fractions.Fraction` indexed ``[s_1, ..., s_N, player]``.

    Raises
    ------
    NfgFormatError
        If the text is not a valid ``.nfg`` file.  The message is one line
        naming ``source``, the line number, what was expected and what was
        found.

    Examples
    --------
    Profiles are listed with player 1's strategy varying fastest, so the
    second profile below is (Row plays ``D``, Column plays ``L``):

    >>> data = parse_nfg('''NFG 1 R "Example" { "Row" "Column" }
    ... { { "U" "D" } { "L" "R" } }
    ... 1 1   0 1/2   2 0.25   -3 1e1''')
    >>> data.players
    ('Row', 'Column')
    >>> data.payoffs.shape
    (2, 2, 2)
    >>> tuple(data.payoffs[1, 0])
    (Fraction(0, 1), Fraction(1, 2))
    >>> data.payoffs[1, 1, 1]
    Fraction(10, 1)
    """
    lex = _Lexer(text, source)
    title, players, strategy_spec, comment = _parse_header(lex)
    shape = tuple(s if isinstance(s, int) else len(s) for s in strategy_spec)
    n_players = len(players)
    n_profiles = math.prod(shape)

    start = lex.peek()
    if n_profiles > MAX_PROFILES:  # the limit of every game description, before the body is read
        raise lex.error(start.line, f"expected at most {MAX_PROFILES:,} profiles (a game's payoffs are held in "
                                    f"memory, one exact number each), found {' × '.join(map(str, shape))} = "
                                    f"{n_profiles:,}")
    if start.kind == _LBRACE:
        flat = _parse_outcome_body(lex, n_profiles, n_players)
    elif _is_number(start):
        flat = _parse_payoff_body(lex, n_profiles, n_players)
    else:
        raise lex.unexpected(start, "payoff list or '{' opening an outcome list")
    end = lex.next()
    if end.kind != _EOF:
        raise lex.unexpected(end, "end of file")

    strategies = tuple(
        tuple(str(k) for k in range(1, s + 1)) if isinstance(s, int) else s for s in strategy_spec
    )
    table = np.empty((n_profiles, n_players), dtype=object)
    for k, value in enumerate(flat):
        table[divmod(k, n_players)] = value
    # Player 1 varies fastest, i.e. profiles are in Fortran (column-major) order.
    payoffs = np.ascontiguousarray(table.reshape(shape + (n_players,), order="F"))
    payoffs.flags.writeable = False
    return NfgData(title=title, players=players, strategies=strategies, payoffs=payoffs, comment=comment)


def read_nfg(path: PathLike) -> NfgData:
    """Read a Gambit ``.nfg`` file.

    Parameters
    ----------
    path : str or os.PathLike
        File to read; it must be UTF-8 encoded (a byte-order mark is
        ignored).

    Returns
    -------
    NfgData
        The game, as for :func:`parse_nfg`.

    Raises
    ------
    NfgFormatError
        If the file does not exist (``"<path>: no such file"``), cannot be
        read, is not UTF-8 or is not a valid ``.nfg`` file.  The ``source``
        in messages is ``str(path)``.
    """
    text, source = read_text(path, NfgFormatError)
    return parse_nfg(text, source=source)


# ---------------------------------------------------------------------------
# Writer
# ---------------------------------------------------------------------------


_BACKSLASH_TO_ESCAPE = re.compile(r'\\(?=[\\"]|\Z)')


def _escape(text: str) -> str:
    """Escape a string for use between double quotes.

    ``"`` is always written as ``\\"``.  A backslash is doubled only where the
    reader would otherwise take it as part of an escape: before ``\\``, before
    ``"`` and at the end of the string.  Other backslashes are written as
    they are, which is also how Gambit's own reader keeps them.
    """
    return _BACKSLASH_TO_ESCAPE.sub(r"\\\\", text).replace('"', '\\"')


def quote_label(text: str) -> str:
    return '"' + _escape(text) + '"'


def format_payoff(value) -> str:
    """Format one payoff: exact values as ``p`` or ``p/q``, floats with repr."""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (numbers.Integral, np.integer)):
        return str(int(value))
    if isinstance(value, numbers.Rational):
        value = Fraction(value.numerator, value.denominator)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise NegotiationError(f"cannot write non-finite payoff {value!r}")
        value = Fraction(value)
    elif isinstance(value, (numbers.Real, np.floating)):
        value = float(value)
        if not math.isfinite(value):
            raise NegotiationError(f"cannot write non-finite payoff {value!r}")
        # Gambit's reader rejects an explicit "+" in the exponent ("1e+16").
        return repr(value).replace("e+", "e")
    else:
        raise TypeError(f"cannot write payoff of type {type(value).__name__}: {value!r}")
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def _check_data(data: NfgData) -> tuple[int, ...]:
    players = tuple(data.players)
    strategies = tuple(tuple(s) for s in data.strategies)
    if not players:
        raise NegotiationError("a game needs at least one player")
    if len(strategies) != len(players):
        raise NegotiationError(f"{len(players)} players but strategies for {len(strategies)}")
    if len(set(players)) != len(players):
        raise NegotiationError(f"duplicate player names in {players!r}")
    # what the reader refuses is not written: control and bidirectional characters, NFKC look-alikes
    normalise_label(data.title, where="title", what="game title", normalise=False)
    normalise_labels(players, where="players", what="player name")
    for name, labels in zip(players, strategies):
        if not labels:
            raise NegotiationError(f"player {name!r} has no strategies")
        if len(set(labels)) != len(labels):
            raise NegotiationError(f"duplicate strategy labels for player {name!r}: {labels!r}")
        normalise_labels(labels, where=f"strategies of {name}", what="strategy label")
    shape = tuple(len(s) for s in strategies)
    payoffs = np.asarray(data.payoffs)
    if payoffs.shape != shape + (len(players),):
        raise NegotiationError(f"payoffs have shape {payoffs.shape}, expected {shape + (len(players),)}")
    return shape


def format_nfg(data: NfgData, *, version: str = "outcome") -> str:
    """Write a game as the text of a Gambit ``.nfg`` file.

    Parameters
    ----------
    data : NfgData
        The game.  ``payoffs`` may hold :class:`fractions.Fraction`, integers,
        other rationals, :class:`decimal.Decimal` or floats.
    version : {"outcome", "payoff"}, optional
        ``"outcome"`` (default) writes Gambit's own style: labelled
        strategies, one outcome per profile (with an empty label) and then
        the outcome indices.  ``"payoff"`` writes the flat payoff list, one
        profile per line; strategies are written as counts when all labels
        are the default ``"1"``, ``"2"``, ..., and as label lists otherwise.

    Returns
    -------
    str
        The file contents, ending with a newline.

    Raises
    ------
    ValueError
        If ``version`` is unknown, the shape of ``payoffs`` does not match
        the players and strategies, names or labels are duplicated (also
        after Unicode normalisation NFKC) or hold a control or bidirectional
        formatting character (the reader refuses them), or a payoff is not
        finite.
    TypeError
        If a payoff is not a number.

    Notes
    -----
    Exact values are written as integers or ``p/q``; floats are written with
    :func:`repr` (with ``e+`` shortened to ``e``, since Gambit rejects a
    ``+`` in the exponent) and so are read back as the exact decimal shown.
    Profiles are written with player 1's strategy varying fastest.

    Gambit 16.7 (pygambit) itself only accepts player, strategy and outcome
    labels made of printable ASCII without leading, trailing or doubled
    spaces, renames empty and duplicate labels, and cannot decode non-ASCII
    titles or comments; this writer does not impose those limits.
    ``parse_nfg(format_nfg(d, version=v))`` reproduces ``d`` exactly when
    its payoffs are exact and its labels in NFKC (as those of every
    :class:`negotiation.Game` are; others are read back in NFKC).
    """
    if version not in _VERSIONS:
        raise NegotiationError(f"version must be 'outcome' or 'payoff', not {version!r}")
    shape = _check_data(data)
    n_players = len(shape)
    n_profiles = math.prod(shape)
    table = np.asarray(data.payoffs).reshape((n_profiles, n_players), order="F")
    rows = [[format_payoff(v) for v in table[k]] for k in range(n_profiles)]

    players = " ".join(quote_label(p) for p in data.players)
    lines = [f"NFG 1 R {quote_label(data.title)} {{ {players} }}", ""]
    default_labels = all(
        tuple(labels) == tuple(str(k) for k in range(1, len(labels) + 1)) for labels in data.strategies
    )
    label_lists = ["{ " + " ".join(quote_label(s) for s in labels) + " }" for labels in data.strategies]

    if version == "payoff":
        if default_labels:
            lines.append("{ " + " ".join(str(n) for n in shape) + " }")
        else:
            lines.append("{ " + label_lists[0])
            lines.extend(label_lists[1:])
            lines.append("}")
        lines.append(quote_label(data.comment))
        lines.append("")
        lines.extend(" ".join(row) for row in rows)
    else:
        lines.append("{ " + label_lists[0])
        lines.extend(label_lists[1:])
        lines.append("}")
        lines.append(quote_label(data.comment))
        lines.append("")
        lines.append("{")
        lines.extend('{ "" ' + ", ".join(row) + " }" for row in rows)
        lines.append("}")
        lines.append(" ".join(str(k) for k in range(1, n_profiles + 1)))
    return "\n".join(lines) + "\n"


def write_nfg(data: NfgData, path: PathLike, *, version: str = "outcome") -> None:
    """Write a game to a Gambit ``.nfg`` file (UTF-8).

    Parameters
    ----------
    data : NfgData
        The game.
    path : str or os.PathLike
        Destination; an existing file is overwritten.
    version : {"outcome", "payoff"}, optional
        Variant of the format, see :func:`format_nfg`.

    Raises
    ------
    ValueError, TypeError
        As for :func:`format_nfg`; nothing is written in that case.
    """
    text = format_nfg(data, version=version)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
