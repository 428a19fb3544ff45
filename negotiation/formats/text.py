"""Reading interchange files as text, with the one-line errors every format reports."""

from __future__ import annotations

import os

__all__ = ["read_text", "read_bytes", "MAX_FILE_BYTES"]

#: Largest interchange file read, in bytes (a 1000 × 1000 game written as a .nfg is about 8 MB).
MAX_FILE_BYTES = 64 * 2**20


def read_bytes(path, limit: int = MAX_FILE_BYTES) -> bytes | None:
    """At most ``limit`` bytes of ``path``; ``None`` when it holds more.

    The size is measured by reading, not by ``stat``: a device (``/dev/zero``, ``/dev/urandom``) or a pipe
    reports size 0 and never ends, so a plain ``read()`` would fill the memory.
    """
    with open(path, "rb") as f:
        raw = f.read(limit + 1)
    return None if len(raw) > limit else raw


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
