"""The limits of a sweep: how many points, how many per chunk, how many worker processes.

Every limit is checked when the plan is made, before a point, an axis value or a worker exists
(a grid ``omega=0:1:1000000000000`` is refused from its ``NUM`` alone). A breach is one line
naming the option, the count and the limit, with the option that raises it where there is one.

============================  ==============  ==========================================  =====================
limit                         value           bounds                                      raised by
============================  ==============  ==========================================  =====================
:data:`MAX_POINTS`            10,000,000      points of a grid (the product of its axes,  ``--max-points N``,
                                              and so each axis) or of a Monte Carlo       ``max_points=N``
                                              sample
:data:`MAX_CHUNK_SIZE`        1,048,576       points per chunk (the memory of a worker)   none: smaller chunks
                                                                                          give the same table
worker processes              the CPUs, and   ``--workers N`` / ``workers=N`` (the cap    none
                              the chunks left is said in ``result.messages``)
============================  ==============  ==========================================  =====================

What a sweep holds while it runs does not grow with the grid beyond two 4-byte codes per point
(its equilibrium set and classic game, for the summary and the map): the points, their parameter
values and their rows exist one chunk at a time, and an axis ``START:STOP:NUM`` computes its
values when a chunk needs them.

Examples
--------
>>> check_points(10**12, MAX_POINTS, "--grid omega")
Traceback (most recent call last):
...
negotiation.core.errors.NegotiationError: --grid omega: 1,000,000,000,000 points, more than the limit of 10,000,000 (raise it with --max-points N)
>>> worker_count(12, 2, cpus=8)
(2, '--workers 12 capped at 2 (2 chunks to compute)')
"""

from __future__ import annotations

import os

import numpy as np

from negotiation.core.errors import NegotiationError

__all__ = ["MAX_POINTS", "MAX_CHUNK_SIZE", "check_points", "check_chunk_size", "resolve_max_points",
           "available_cpus", "worker_count"]

#: Points of one sweep (grid or sample), unless ``--max-points`` / ``max_points=`` says otherwise.
MAX_POINTS = 10_000_000
#: Points of one chunk: the unit of work a worker holds in memory at once.
MAX_CHUNK_SIZE = 1 << 20


def _whole(value) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, np.integer))


def resolve_max_points(max_points) -> int:
    """``max_points`` checked (a whole number >= 1); ``None`` gives :data:`MAX_POINTS`."""
    if max_points is None:
        return MAX_POINTS
    if not _whole(max_points) or max_points < 1:
        raise NegotiationError(f"--max-points must be a whole number >= 1, got {max_points!r}")
    return int(max_points)


def check_points(count: int, max_points: int, where: str) -> None:
    """Refuse ``count`` points (of a grid, an axis or a sample) above ``max_points``."""
    if count > max_points:
        raise NegotiationError(f"{where}: {count:,} points, more than the limit of {max_points:,} "
                               "(raise it with --max-points N)")


def check_chunk_size(chunk_size) -> int:
    """``chunk_size`` checked (1 .. :data:`MAX_CHUNK_SIZE`)."""
    if not _whole(chunk_size) or chunk_size < 1:
        raise NegotiationError(f"chunk size (--chunk-size) must be a positive whole number, got {chunk_size!r}")
    if chunk_size > MAX_CHUNK_SIZE:
        raise NegotiationError(f"chunk size (--chunk-size) {chunk_size:,}: at most {MAX_CHUNK_SIZE:,} points per chunk "
                               "(a chunk is held in memory; smaller chunks give the same table)")
    return int(chunk_size)


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says, else the machine's count)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


def worker_count(requested, n_chunks: int, cpus: int | None = None) -> tuple[int, str | None]:
    """Worker processes for ``requested`` workers and ``n_chunks`` chunks to compute, and why fewer.

    ``requested`` is capped at the CPUs and at the chunks (a process without a chunk, or without a
    CPU, only costs memory and start-up time); the second value says so, or is ``None``.
    """
    if requested is None:
        return 1, None
    requested = int(requested)
    cpus = available_cpus() if cpus is None else cpus
    used = max(min(requested, cpus, n_chunks), 1)
    if used >= requested:
        return used, None
    reasons = []
    if cpus < requested and used == cpus:
        reasons.append(f"{cpus} CPU{'s' if cpus != 1 else ''}")
    if n_chunks < requested and used == max(n_chunks, 1):
        reasons.append(f"{n_chunks} chunk{'s' if n_chunks != 1 else ''} to compute")
    return used, f"--workers {requested} capped at {used} ({', '.join(reasons)})"
