"""Parameter grids: exact rational axes, their cartesian product, and fixed-size chunks.

An axis ``NAME=START:STOP:NUM`` is the exact rational linspace of ``NUM``
values from ``START`` to ``STOP`` (both included); ``START`` and ``STOP`` are
read exactly (``"1/4"``, ``"0.2"`` is ``1/5``).  The grid is the cartesian
product of its axes with the **first axis varying slowest** (the order of
:func:`itertools.product`), so point ``i`` always has the same parameter values
whatever the chunk size or the number of workers.
"""

from __future__ import annotations

import copy
import math
from fractions import Fraction
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from negotiation.core.numeric import exact_value, format_number
from negotiation.core.errors import NegotiationError

__all__ = ["Axis", "AxisValues", "Grid", "parse_axis"]


class Axis:
    """One swept parameter: a name and its exact values, in order.

    An axis ``START:STOP:NUM`` (:meth:`linspace`) keeps its start, step and length and computes a
    value when it is asked for (:meth:`value`, :meth:`values_at`, :meth:`floats_at`): a sweep
    takes the values of one chunk at a time, so an axis of ten million values costs nothing up
    front. :attr:`values` (all of them, as a tuple) is made only when something asks for it.

    Examples
    --------
    >>> axis = Axis.linspace("omega", "0", "1/2", 3)
    >>> axis.values
    (Fraction(0, 1), Fraction(1, 4), Fraction(1, 2))
    >>> axis.describe()
    'omega = 0:1/2:3'
    >>> big = Axis.linspace("omega", 0, 1, 10**7)
    >>> len(big), big.value(5_000_000), big.floats_at([0, 9_999_999]).tolist()
    (10000000, Fraction(5000000, 9999999), [0.0, 1.0])
    """

    __slots__ = ("name", "_values", "_start", "_step", "_size", "_floats")

    def __init__(self, name: str, values):
        values = tuple(exact_value(v, where=f"axis {name}") for v in values)
        if not values:
            raise NegotiationError(f"axis {name}: needs at least one value")
        self.name = name
        self._values, self._start, self._step, self._size, self._floats = values, None, None, len(values), None

    @classmethod
    def linspace(cls, name: str, start, stop, num: int) -> "Axis":
        """``num`` equally spaced exact values from ``start`` to ``stop`` (both included), computed when asked for."""
        where = f"--grid {name}"
        start = exact_value(start, where=where)
        stop = exact_value(stop, where=where)
        if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 1:
            raise NegotiationError(f"{where}: NUM must be a positive whole number, got {num!r}")
        num = int(num)
        if num == 1 and start != stop:
            raise NegotiationError(f"{where}: NUM = 1 needs START = STOP (got {start} and {stop})")
        axis = cls.__new__(cls)
        axis.name = name
        axis._values, axis._floats = None, None
        axis._start, axis._step, axis._size = start, (stop - start) / (num - 1) if num > 1 else Fraction(0), num
        return axis

    def renamed(self, name: str) -> "Axis":
        """The same values under another name."""
        axis = copy.copy(self)
        axis.name = name
        return axis

    def __len__(self) -> int:
        return self._size

    @property
    def size(self) -> int:
        """The number of values (also beyond ``sys.maxsize``, where ``len`` cannot answer)."""
        return self._size

    def __eq__(self, other) -> bool:
        if not isinstance(other, Axis):
            return NotImplemented
        if self.name != other.name or len(self) != len(other):
            return False
        if self._values is None and other._values is None:
            return (self._start, self._step) == (other._start, other._step)
        return self.values == other.values

    __hash__ = None

    def __repr__(self) -> str:
        return f"Axis({self.describe()!r})"

    @property
    def values(self) -> tuple:
        """Every value, in order (made once; a sweep itself asks for one chunk's values at a time)."""
        if self._values is None:
            self._values = tuple(self._start + k * self._step for k in range(self._size))
        return self._values

    def value(self, index: int) -> Fraction:
        """Value number ``index`` (exact)."""
        if self._values is not None:
            return self._values[index]
        if not 0 <= index < self._size:
            raise IndexError(f"axis {self.name}: index {index} outside 0..{self._size - 1}")
        return self._start + index * self._step

    def values_at(self, indices) -> list:
        """The exact values at ``indices`` (a sequence or an integer array)."""
        return [self.value(int(k)) for k in np.asarray(indices).tolist()]

    def bounds_at(self, indices) -> tuple[Fraction, Fraction]:
        """The smallest and the largest value at ``indices`` (a linear axis is monotonic: its ends suffice)."""
        indices = np.unique(np.asarray(indices, dtype=np.int64))
        if self._values is None:
            indices = indices[[0, -1]]
        values = self.values_at(indices)
        return min(values), max(values)

    def _line(self) -> tuple[int, int, int] | None:
        """``(offset, slope, denominator)`` with value ``k`` = ``(offset + slope * k) / denominator`` (in lowest
        common terms), when every numerator and the denominator fit in 53 bits; else ``None``.

        Within 53 bits the integers are exact in int64 and in float64, so numerators, denominators and
        floats of a chunk's values are computed as arrays.
        """
        if self._values is not None:
            return None
        start, step = self._start, self._step
        offset = start.numerator * step.denominator
        slope = step.numerator * start.denominator
        denominator = start.denominator * step.denominator
        common = math.gcd(offset, slope, denominator)
        offset, slope, denominator = offset // common, slope // common, denominator // common
        if abs(offset) + abs(slope) * (self._size - 1) > 1 << 53 or denominator > 1 << 53:
            return None
        return offset, slope, denominator

    def chunk_values(self, indices) -> "AxisValues":
        """The exact values at ``indices``, made only when asked for (a chunk's values of a long axis)."""
        return AxisValues(self, indices)

    def floats_at(self, indices) -> np.ndarray:
        """The values at ``indices`` as float64, each the float nearest to the exact value.

        A linear axis within 53 bits (:meth:`_line`) is computed as one float64 division per value
        (exact operands, so IEEE division rounds as ``float(Fraction)`` does); otherwise value by value.
        """
        indices = np.asarray(indices, dtype=np.int64)
        if self._floats is not None:
            return self._floats[indices]
        line = self._line() if indices.size else None
        if line is not None:
            offset, slope, denominator = line
            return (np.int64(offset) + np.int64(slope) * indices).astype(np.float64) / np.float64(denominator)
        return np.array([float(v) for v in self.values_at(indices)], dtype=np.float64)

    @property
    def low(self) -> Fraction:
        if self._values is not None:
            return min(self._values)
        return min(self._start, self.value(self._size - 1))

    @property
    def high(self) -> Fraction:
        if self._values is not None:
            return max(self._values)
        return max(self._start, self.value(self._size - 1))

    @property
    def floats(self) -> np.ndarray:
        """Every value as float64 (computed once)."""
        if self._floats is None:
            floats = self.floats_at(np.arange(self._size, dtype=np.int64))
            floats.setflags(write=False)
            self._floats = floats
        return self._floats

    def fingerprint(self) -> list:
        """What decides the values (for the key of a sweep), without listing them for a linear axis."""
        if self._values is None:
            return [self.name, "linspace", str(self._start), str(self._step), self._size]
        return [self.name, [str(v) for v in self._values]]

    def describe(self) -> str:
        if self._values is None and self._size > 2:
            return (f"{self.name} = {format_number(self._start)}:{format_number(self.value(self._size - 1))}:"
                    f"{self._size}")
        values = self.values
        if len(values) > 2:
            step = values[1] - values[0]
            if all(b - a == step for a, b in zip(values, values[1:])):
                return f"{self.name} = {format_number(values[0])}:{format_number(values[-1])}:{len(values)}"
        return f"{self.name} = " + ", ".join(format_number(v) for v in values)


class AxisValues(Sequence):
    """The exact values of an axis at some indices, each made when it is asked for.

    What a chunk of a sweep gets for a long axis: the table needs their text (:meth:`labels`,
    computed from integer arrays for a linear axis) and only the degenerate points need a
    ``Fraction``.

    Examples
    --------
    >>> values = Axis.linspace("omega", 0, 1, 5).chunk_values([1, 2, 4])
    >>> len(values), values[1], values.labels()
    (3, Fraction(1, 2), ['1/4', '1/2', '1'])
    """

    def __init__(self, axis: Axis, indices):
        self.axis = axis
        self.indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        line = axis._line()
        self._parts = None
        if line is not None:
            offset, slope, denominator = line
            numerators = np.int64(offset) + np.int64(slope) * self.indices
            common = np.gcd(numerators, np.int64(denominator))
            self._parts = (numerators // common, np.int64(denominator) // common)

    def __len__(self) -> int:
        return int(self.indices.size)

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[k] for k in range(*position.indices(len(self)))]
        if self._parts is None:
            return self.axis.value(int(self.indices[position]))
        numerators, denominators = self._parts
        return Fraction(int(numerators[position]), int(denominators[position]))

    def labels(self) -> list[str]:
        """``str`` of every value (``3/4``, ``-2``), as the table writes exact values."""
        if self._parts is None:
            return [str(v) for v in self]
        numerators, denominators = (part.tolist() for part in self._parts)
        return [f"{n}/{d}" if d != 1 else str(n) for n, d in zip(numerators, denominators)]


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
                    items.append(spec.renamed(name))
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
        return tuple(a.size for a in self.axes)

    @property
    def size(self) -> int:
        """The number of points (also beyond ``sys.maxsize``, where ``len`` cannot answer)."""
        return math.prod(self.shape)

    def __len__(self) -> int:
        return self.size

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
        indices = []
        for stride, n in zip(self.strides, self.shape):
            # runs of ``stride`` equal indices: whole blocks repeated (no division per point)
            first, last = start // stride, (stop - 1) // stride
            blocks = np.arange(first, last + 1, dtype=np.int64) % n
            if stride == 1:
                indices.append(blocks)
                continue
            lengths = np.full(blocks.size, stride, dtype=np.int64)
            lengths[0] = min(stride - start % stride, stop - start)
            if blocks.size > 1:
                lengths[-1] = stop - last * stride
            indices.append(np.repeat(blocks, lengths))
        return indices

    def point(self, index: int) -> dict:
        """Exact values of point ``index``."""
        if not 0 <= index < len(self):
            raise IndexError(f"point {index} is outside the grid of {len(self)} points")
        return {a.name: a.value(int(i[0])) for a, i in zip(self.axes, self.indices(index, index + 1))}

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

