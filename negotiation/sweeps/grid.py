"""Parameter grids: exact rational axes, their cartesian product, and fixed-size chunks.

An axis ``NAME=START:STOP:NUM`` is the exact rational linspace of ``NUM``
values from ``START`` to ``STOP`` (both included); ``START`` and ``STOP`` are
read exactly (``"1/4"``, ``"0.2"`` is ``1/5``).  The grid is the cartesian
product of its axes with the **first axis varying slowest** (the order of
:func:`itertools.product`), so point ``i`` always has the same parameter values
whatever the chunk size or the number of workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping

import numpy as np

from negotiation.core.numeric import exact_value, format_number
from negotiation.core.errors import NegotiationError

__all__ = ["Axis", "Grid", "parse_axis"]


@dataclass(frozen=True)
class Axis:
    """One swept parameter: a name and its exact values, in order.

    Examples
    --------
    >>> axis = Axis.linspace("omega", "0", "1/2", 3)
    >>> axis.values
    (Fraction(0, 1), Fraction(1, 4), Fraction(1, 2))
    >>> axis.describe()
    'omega = 0:1/2:3'
    """

    name: str
    values: tuple

    def __post_init__(self):
        values = tuple(exact_value(v, where=f"axis {self.name}") for v in self.values)
        if not values:
            raise NegotiationError(f"axis {self.name}: needs at least one value")
        object.__setattr__(self, "values", values)

    @classmethod
    def linspace(cls, name: str, start, stop, num: int) -> "Axis":
        """``num`` equally spaced exact values from ``start`` to ``stop`` (both included)."""
        where = f"--grid {name}"
        start = exact_value(start, where=where)
        stop = exact_value(stop, where=where)
        if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 1:
            raise NegotiationError(f"{where}: NUM must be a positive whole number, got {num!r}")
        num = int(num)
        if num == 1:
            if start != stop:
                raise NegotiationError(f"{where}: NUM = 1 needs START = STOP (got {start} and {stop})")
            return cls(name, (start,))
        step = (stop - start) / (num - 1)
        return cls(name, tuple(start + k * step for k in range(num)))

    def __len__(self) -> int:
        return len(self.values)

    @property
    def low(self) -> Fraction:
        return min(self.values)

    @property
    def high(self) -> Fraction:
        return max(self.values)

    @property
    def floats(self) -> np.ndarray:
        """The values as float64 (computed once)."""
        floats = self.__dict__.get("_floats")
        if floats is None:
            floats = np.array([float(v) for v in self.values], dtype=float)
            floats.setflags(write=False)
            object.__setattr__(self, "_floats", floats)
        return floats

    def describe(self) -> str:
        values = self.values
        if len(values) > 2:
            step = values[1] - values[0]
            if all(b - a == step for a, b in zip(values, values[1:])):
                return f"{self.name} = {format_number(values[0])}:{format_number(values[-1])}:{len(values)}"
        return f"{self.name} = " + ", ".join(format_number(v) for v in values)


def parse_axis(text: str) -> Axis:
    """Parse ``NAME=START:STOP:NUM`` (or ``NAME=VALUE`` for a single value).

    Examples
    --------
    >>> parse_axis("omega=0:1/2:3").values
    (Fraction(0, 1), Fraction(1, 4), Fraction(1, 2))
    >>> parse_axis("phi=0.2").values
    (Fraction(1, 5),)
    """
    name, sep, spec = str(text).partition("=")
    name = name.strip()
    if not sep or not name or not spec.strip():
        raise NegotiationError(f"--grid {text!r}: expected NAME=START:STOP:NUM, e.g. --grid omega=0:1:101")
    parts = spec.split(":")
    if len(parts) == 1:
        return Axis.linspace(name, parts[0], parts[0], 1)
    if len(parts) != 3:
        raise NegotiationError(f"--grid {text!r}: expected NAME=START:STOP:NUM, e.g. --grid omega=0:1:101")
    try:
        num = int(parts[2].strip())
    except ValueError:
        raise NegotiationError(f"--grid {text!r}: NUM must be a whole number, got {parts[2].strip()!r}") from None
    return Axis.linspace(name, parts[0], parts[1], num)


class Grid:
    """The cartesian product of axes; point ``i`` in a fixed order (first axis slowest).

    Parameters
    ----------
    axes : sequence of Axis, or of ``"NAME=START:STOP:NUM"`` strings, or a mapping
        A mapping takes ``name -> (start, stop, num)`` or ``name -> sequence of values``.

    Examples
    --------
    >>> grid = Grid(["omega=0:1:3", "phi=0:1/2:2"])
    >>> len(grid), grid.shape, grid.names
    (6, (3, 2), ('omega', 'phi'))
    >>> grid.point(3)
    {'omega': Fraction(1, 2), 'phi': Fraction(1, 2)}
    >>> [c for c in grid.chunks(4)]
    [(0, 4), (4, 6)]
    """

    def __init__(self, axes):
        if isinstance(axes, Grid):
            axes = axes.axes
        if isinstance(axes, Mapping):
            items = []
            for name, spec in axes.items():
                if isinstance(spec, Axis):
                    items.append(Axis(name, spec.values))
                elif isinstance(spec, str):
                    items.append(parse_axis(f"{name}={spec}"))
                elif isinstance(spec, tuple) and len(spec) == 3 and isinstance(spec[2], (int, np.integer)) \
                        and not isinstance(spec[2], bool):
                    items.append(Axis.linspace(name, *spec))
                else:
                    items.append(Axis(name, tuple(spec)))
            axes = items
        elif isinstance(axes, (str, Axis)):
            axes = [axes]
        parsed = [a if isinstance(a, Axis) else parse_axis(a) for a in axes]
        if not parsed:
            raise NegotiationError("a grid needs at least one axis (--grid NAME=START:STOP:NUM)")
        names = [a.name for a in parsed]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise NegotiationError(f"--grid {duplicates[0]}: parameter given twice")
        self.axes: tuple[Axis, ...] = tuple(parsed)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.axes)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.axes)

    def __len__(self) -> int:
        return math.prod(self.shape)

    def __getitem__(self, name: str) -> Axis:
        for axis in self.axes:
            if axis.name == name:
                return axis
        raise KeyError(name)

    def __repr__(self) -> str:
        return "Grid(" + "; ".join(a.describe() for a in self.axes) + ")"

    def describe(self) -> list[str]:
        """One ``"name = start:stop:num"`` string per axis."""
        return [a.describe() for a in self.axes]

    @property
    def strides(self) -> tuple[int, ...]:
        strides, step = [], 1
        for n in reversed(self.shape):
            strides.append(step)
            step *= n
        return tuple(reversed(strides))

    def indices(self, start: int, stop: int) -> list[np.ndarray]:
        """For points ``start .. stop-1``: the index into each axis (int64 arrays)."""
        points = np.arange(start, stop, dtype=np.int64)
        return [(points // stride) % n for stride, n in zip(self.strides, self.shape)]

    def point(self, index: int) -> dict:
        """Exact values of point ``index``."""
        if not 0 <= index < len(self):
            raise IndexError(f"point {index} is outside the grid of {len(self)} points")
        return {a.name: a.values[int(i[0])] for a, i in zip(self.axes, self.indices(index, index + 1))}

    def points(self) -> Iterable[dict]:
        """Every point in order (exact values)."""
        for index in range(len(self)):
            yield self.point(index)

    def chunks(self, size: int) -> Iterable[tuple[int, int]]:
        """``(start, stop)`` of consecutive chunks of ``size`` points (the last may be shorter)."""
        return chunk_bounds(len(self), size)

    def check(self, parameters) -> None:
        """Raise ``ValueError`` if an axis names an unknown parameter or leaves its range."""
        for axis in self.axes:
            if axis.name not in parameters.names:
                declared = ", ".join(parameters.names) or "none"
                raise NegotiationError(f"--grid {axis.name}: unknown parameter (declared: {declared})")
            parameter = parameters[axis.name]
            for value in (axis.low, axis.high):
                parameter.check(value, where=f"--grid {axis.name}")


def chunk_bounds(n_points: int, size: int) -> list[tuple[int, int]]:
    """Bounds of the chunks of ``size`` points covering ``0 .. n_points-1``.

    Examples
    --------
    >>> chunk_bounds(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    if size < 1:
        raise NegotiationError(f"chunk size must be at least 1, got {size}")
    return [(start, min(start + size, n_points)) for start in range(0, n_points, size)]

