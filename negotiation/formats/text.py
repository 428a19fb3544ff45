"""Reading interchange files as text, with the one-line errors every format reports."""

from __future__ import annotations

import os

__all__ = ["read_text"]


def read_text(path, error) -> tuple[str, str]:
    """Read a UTF-8 file (a byte-order mark is ignored); return ``(text, source)``.

    ``error`` is the format's exception class, called as
    ``error(message, source=..., line=...)``: a missing file gives
    ``"<path>: no such file"``, a non-UTF-8 byte ``"<path>: line L: expected UTF-8 text, found byte 0x.."``.
    """
    source = os.fspath(path)
    source = source if isinstance(source, str) else os.fsdecode(source)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise error(f"{source}: no such file", source=source) from None
    except OSError as exc:
        raise error(f"{source}: cannot read file: {exc.strerror or exc}", source=source) from None
    try:
        return raw.decode("utf-8-sig"), source
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(f"{source}: line {line}: expected UTF-8 text, found byte 0x{raw[exc.start]:02x}",
                    source=source, line=line) from None
