"""One writer per output: the lock file ``<out>.lock`` beside a sweep's table.

A sweep holds an operating-system lock on ``<out>.lock`` (``fcntl.flock``; ``msvcrt.locking`` on
Windows) from before it touches the table until it ends, and writes into it who holds it: the
process id, the start time and the host. A second sweep into the same ``--out`` (or a ``--resume``
of it) finds the lock taken and stops with one line naming the running sweep, having written
nothing. The system releases the lock when the process ends, however it ends, so a lock file
left behind by a killed sweep is stale and is simply taken over; a sweep that ends removes it.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> out = Path(tempfile.mkdtemp()) / "table.csv"
>>> first = OutputLock(out).acquire()
>>> try:
...     OutputLock(out).acquire()
... except NegotiationError as error:
...     print(str(error).split(" (PID")[0].replace(str(out), "OUT"))
... finally:
...     first.release()
OUT: another sweep is writing it
>>> OutputLock(out).acquire().release()  # free again
"""

from __future__ import annotations

import errno
import os
import socket
import time
from pathlib import Path

from negotiation.core.errors import NegotiationError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None
    import msvcrt

__all__ = ["OutputLock"]

#: Attempts to take a lock file that a finishing sweep removes between our open and our lock.
_ATTEMPTS = 8
#: What a lock call says when another process holds the lock.
_TAKEN = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, getattr(errno, "EDEADLOCK", errno.EDEADLK)}
#: Byte locked by msvcrt (far from the holder's text, which must stay readable).
_WINDOWS_BYTE = 1 << 30


def _try_lock(descriptor: int) -> bool:
    """Take the lock without waiting; ``False`` if another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            os.lseek(descriptor, _WINDOWS_BYTE, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
            os.lseek(descriptor, 0, os.SEEK_SET)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:
        if error.errno in _TAKEN:
            return False
        raise
    return True


def _holder(descriptor: int) -> str:
    """Who holds the lock, from the lock file: ``PID 1234, started 2025-01-31 14:02:11 on host``."""
    try:
        text = os.pread(descriptor, 4096, 0).decode("utf-8", "replace")
    except (OSError, AttributeError):
        text = ""
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if "pid" not in fields:
        return "PID unknown, just starting"
    started = fields.get("started", "?")
    host = fields.get("host")
    where = f" on {host}" if host and host != socket.gethostname() else ""
    return f"PID {fields['pid']}, started {started}{where}"


class OutputLock:
    """The lock of one output path (``<out>.lock``): :meth:`acquire` it, :meth:`release` it."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = self.out.with_name(self.out.name + ".lock")
        self._descriptor: int | None = None

    def acquire(self) -> "OutputLock":
        """Take the lock, or raise a one-line :class:`NegotiationError` naming the sweep that holds it."""
        for _ in range(_ATTEMPTS):
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as error:
                raise NegotiationError(f"{self.out}: cannot create the lock file {self.path} "
                                       f"({error.strerror or error})") from None
            if not _try_lock(descriptor):
                holder = _holder(descriptor)
                os.close(descriptor)
                raise NegotiationError(f"{self.out}: another sweep is writing it ({holder}); wait for it to "
                                       "finish or choose another --out")
            # a sweep that just finished may have removed the file we opened: lock the file at the path
            try:
                current = os.path.samestat(os.fstat(descriptor), os.stat(self.path))
            except FileNotFoundError:
                current = False
            if current:
                self._descriptor = descriptor
                self._write_holder()
                return self
            os.close(descriptor)
        raise NegotiationError(f"{self.path}: the lock file keeps changing; is another sweep starting on {self.out}?")

    def _write_holder(self) -> None:
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        text = f"pid={os.getpid()}\nstarted={started}\nhost={socket.gethostname()}\n".encode("utf-8")
        try:
            os.ftruncate(self._descriptor, 0)
            os.pwrite(self._descriptor, text, 0)
        except (OSError, AttributeError):  # who holds it is a courtesy; the lock itself is taken
            pass

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def release(self) -> None:
        """Remove the lock file (while still holding it, so no one takes a file about to vanish) and unlock."""
        if self._descriptor is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self._descriptor)
        self._descriptor = None

    def __enter__(self) -> "OutputLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
