"""Reading interchange files as text, with the one-line errors every format reports, and the names and
labels they hold, by the rules of :mod:`negotiation.core.labels`."""

from __future__ import annotations

import os

from negotiation.core.labels import character_name, normal_form, refused_character, visible

__all__ = ["read_text", "read_bytes", "read_label", "read_labels", "MAX_FILE_BYTES"]

#: Largest interchange file read, in bytes (a 1000 × 1000 game written as a .nfg is about 8 MB).
MAX_FILE_BYTES = 64 * 2**20


def read_bytes(path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """At most ``limit`` bytes of ``path`` (a file name, or a binary stream such as standard input); ``None``
    when it holds more.

    The size is measured by reading, not by ``stat``: a device (``/dev/zero``, ``/dev/urandom``) or a pipe
    reports size 0 and never ends, so a plain ``read()`` would fill the memory. A stream is read up to
    ``limit + 1`` bytes and left open.

    Examples
    --------
    >>> import io
    >>> read_bytes(io.BytesIO(b"NFG 1 R"), 7), read_bytes(io.BytesIO(b"NFG 1 R"), 6)
    (b'NFG 1 R', None)
    """
    if hasattr(path, "read"):
        raw = _read_stream(path, limit + 1)
    else:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    return None if len(raw) > limit else raw


def _read_stream(stream, size: int) -> bytes:
    """Up to ``size`` bytes of ``stream``: a pipe's ``read(n)`` may return fewer before its end, so read on."""
    parts, count = [], 0
    while count < size:
        part = stream.read(size - count)
        if not part:
            break
        parts.append(part)
        count += len(part)
    return b"".join(parts)


def read_text(path, error, limit: int = MAX_FILE_BYTES) -> tuple[str, str]:
    """Read a UTF-8 file (a byte-order mark is ignored) of at most ``limit`` bytes; return ``(text, source)``.

    ``error`` is the format's exception class, called as
    ``error(message, source=..., line=...)``: a missing file gives
    ``"<path>: no such file"``, a non-UTF-8 byte ``"<path>: line L: expected UTF-8 text, found byte 0x.."``,
    a longer file ``"<path>: more than N bytes (the limit)"``.
    """
    source = os.fspath(path)
    source = source if isinstance(source, str) else os.fsdecode(source)
    try:
        raw = read_bytes(path, limit)
    except FileNotFoundError:
        raise error(f"{source}: no such file", source=source) from None
    except OSError as exc:
        raise error(f"{source}: cannot read file: {exc.strerror or exc}", source=source) from None
    if raw is None:
        raise error(f"{source}: more than {limit:,} bytes (the limit for a file read)", source=source)
    try:
        return raw.decode("utf-8-sig"), source
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(f"{source}: line {line}: expected UTF-8 text, found byte 0x{raw[exc.start]:02x}",
                    source=source, line=line) from None


#: Characters of a label shown in a message (a label may be as long as the file).
SHOWN_CHARACTERS = 40


def _shown(text: str) -> str:
    text = text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS - 3] + "..."
    return "'\"" + visible(text) + "\"'"


def read_label(text: str, *, source: str, line: int, what: str, error, normalise: bool = True) -> str:
    """A quoted name or label of an interchange file (line ``line`` of ``source``) in Unicode form NFKC.

    A control or bidirectional formatting character (:data:`negotiation.core.labels.REFUSED_CATEGORIES`)
    is refused with the format's one line, ``"<source>: line L: expected <what> without control or
    bidirectional formatting characters, found '"…"' (U+202E (RIGHT-TO-LEFT OVERRIDE))"``: a label is
    shown on one line exactly as it reads. ``error`` is the format's exception class (called as
    ``error(message, source=..., line=...)``); ``normalise=False`` keeps the text as written (a title).

    Examples
    --------
    >>> from negotiation.core.errors import NegotiationError
    >>> class FormatError(NegotiationError):
    ...     def __init__(self, message, *, source=None, line=None):
    ...         super().__init__(message)
    >>> read_label("\ufb01ght", source="g.nfg", line=2, what="strategy label", error=FormatError)
    'fight'
    >>> read_label("De\\u202eploy", source="g.nfg", line=2, what="strategy label", error=FormatError)
    Traceback (most recent call last):
        ...
    negotiation.formats.text.FormatError: g.nfg: line 2: expected strategy label without control or bidirectional formatting characters, found '"De\\u202eploy"' (U+202E (RIGHT-TO-LEFT OVERRIDE))
    """
    bad = refused_character(text)
    if bad is not None:
        raise error(f"{source}: line {line}: expected {what} without control or bidirectional formatting "
                    f"characters, found {_shown(text)} ({character_name(bad)})", source=source, line=line)
    return normal_form(text) if normalise else text


def read_labels(items, *, source: str, what: str, error) -> tuple:
    """The labels of one list (the players, one player's strategies, one node's actions), each through
    :func:`read_label`; ``items`` are ``(text, line)`` pairs. Two different texts that are the same label
    after normalisation (``ﬁght`` and ``fight``) are refused at the second one's line; identical texts are
    left to the caller, which names them in its own words.

    Examples
    --------
    >>> from negotiation.core.errors import NegotiationError
    >>> class FormatError(NegotiationError):
    ...     def __init__(self, message, *, source=None, line=None):
    ...         super().__init__(message)
    >>> read_labels([("fight", 1), ("\ufb01ght", 3)], source="g.nfg", what="strategy label", error=FormatError)
    Traceback (most recent call last):
        ...
    negotiation.formats.text.FormatError: g.nfg: line 3: expected strategy label distinct from the others after Unicode normalisation (NFKC), found '"ﬁght"', the same as '"fight"'
    """
    labels, first = [], {}
    for text, line in items:
        label = read_label(text, source=source, line=line, what=what, error=error)
        other = first.setdefault(label, text)
        if other != text:
            raise error(f"{source}: line {line}: expected {what} distinct from the others after Unicode "
                        f"normalisation (NFKC), found {_shown(text)}, the same as {_shown(other)}",
                        source=source, line=line)
        labels.append(label)
    return tuple(labels)
