"""Priors over parameters for Monte Carlo sweeps, with seeds that do not depend on batching.

Four families, each restricted to the parameter's declared range:

==============  ===============================  =====================================
command line    Python                           distribution
==============  ===============================  =====================================
``uniform``     ``Prior.uniform(low, high)``     uniform on [low, high] (default: range)
``normal:M:S``  ``Prior.normal(M, S)``           normal, truncated to the range (or to
                                                 ``normal:M:S:LOW:HIGH``)
``beta:A:B``    ``Prior.beta(A, B)``             Beta(A, B) scaled to the range (or to
                                                 ``beta:A:B:LOW:HIGH``)
``triangular``  ``Prior.triangular(MODE)``       triangular with mode MODE on the range
``:MODE``                                        (or ``triangular:LOW:MODE:HIGH``)
==============  ===============================  =====================================

Determinism: the samples are drawn in blocks of :data:`SAMPLE_BLOCK` points;
block ``b`` uses the generator seeded with
``np.random.SeedSequence(seed, spawn_key=(b,))`` (the ``b``-th child of
``SeedSequence(seed).spawn``), and inside a block the parameters are drawn one
after the other in the scenario's declaration order.  Point ``i`` therefore
gets the same values whatever the chunk size, the number of workers or the
order in which chunks finish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from negotiation.core.numeric import exact_value
from negotiation.core.errors import NegotiationError

__all__ = ["Prior", "SAMPLE_BLOCK", "parse_prior", "resolve_priors", "sample_points"]

#: Points per random-number block (fixed: independent of chunking and workers).
SAMPLE_BLOCK = 4096

_FAMILIES = ("uniform", "normal", "beta", "triangular")


@dataclass(frozen=True)
class Prior:
    """A prior distribution of one parameter.

    Bounds left as ``None`` are filled in from the parameter's range by
    :meth:`bind`.

    Examples
    --------
    >>> Prior.beta(2, 5).describe()
    'beta(2, 5)'
    >>> Prior.parse("normal:2:0.5:0:4").describe()
    'normal(2, 0.5) truncated to [0, 4]'
    """

    family: str
    arguments: tuple = ()
    low: float | None = None
    high: float | None = None

    # ---------------------------------------------------------------- constructors
    @classmethod
    def uniform(cls, low=None, high=None) -> "Prior":
        return cls("uniform", (), _float(low), _float(high))

    @classmethod
    def normal(cls, mean, sd, low=None, high=None) -> "Prior":
        """Normal with ``mean`` and standard deviation ``sd``, truncated to [low, high] (default: the range)."""
        return cls("normal", (_float(mean), _float(sd)), _float(low), _float(high))

    @classmethod
    def beta(cls, a, b, low=None, high=None) -> "Prior":
        """Beta(a, b) scaled from [0, 1] to [low, high] (default: the range)."""
        return cls("beta", (_float(a), _float(b)), _float(low), _float(high))

    @classmethod
    def triangular(cls, mode, low=None, high=None) -> "Prior":
        return cls("triangular", (_float(mode),), _float(low), _float(high))

    @classmethod
    def parse(cls, spec: str, *, name: str = "parameter") -> "Prior":
        """Read ``uniform[:LOW:HIGH]``, ``normal:MEAN:SD[:LOW:HIGH]``, ``beta:A:B[:LOW:HIGH]``, ``triangular:MODE`` or ``triangular:LOW:MODE:HIGH``."""
        return parse_prior(spec, name=name)

    # ---------------------------------------------------------------- use
    def bind(self, parameter) -> "Prior":
        """Fill missing bounds from ``parameter``'s range and check the prior fits in it."""
        where = f"--prior {parameter.name}"
        low = self.low if self.low is not None else _float(parameter.low)
        high = self.high if self.high is not None else _float(parameter.high)
        if low is None or high is None:
            if self.family != "normal":
                raise NegotiationError(f"{where}: {self.family} prior needs bounds (the parameter has no range); "
                                 f"give them, e.g. {self.family}:...:LOW:HIGH")
        if low is not None and high is not None and not low <= high:
            raise NegotiationError(f"{where}: lower bound {low:g} is above upper bound {high:g}")
        for bound in (low, high):
            if bound is not None:
                parameter.check(exact_value(bound, where=where), where=where)
        if self.family == "normal":
            mean, sd = self.arguments
            if not sd > 0:
                raise NegotiationError(f"{where}: normal prior needs a positive standard deviation, got {sd:g}")
        elif self.family == "beta":
            a, b = self.arguments
            if not (a > 0 and b > 0):
                raise NegotiationError(f"{where}: beta prior needs positive shape parameters, got {a:g} and {b:g}")
        elif self.family == "triangular":
            (mode,) = self.arguments
            if not low <= mode <= high:
                raise NegotiationError(f"{where}: triangular mode {mode:g} is outside [{low:g}, {high:g}]")
        return Prior(self.family, self.arguments, low, high)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws (float64) with generator ``rng``; the prior must be bound."""
        low, high = self.low, self.high
        if self.family == "uniform":
            return rng.uniform(low, high, size) if high > low else np.full(size, float(low))
        if self.family == "beta":
            a, b = self.arguments
            return low + (high - low) * rng.beta(a, b, size)
        if self.family == "triangular":
            (mode,) = self.arguments
            if high == low:
                return np.full(size, float(low))
            return rng.triangular(low, mode, high, size)
        mean, sd = self.arguments
        return _truncated_normal(rng.random(size), mean, sd, low, high)

    def describe(self) -> str:
        def g(x):
            return f"{x:g}"

        arguments = ", ".join(g(a) for a in self.arguments)
        text = f"{self.family}({arguments})"
        if self.low is not None or self.high is not None:
            bounds = f"[{'-inf' if self.low is None else g(self.low)}, {'inf' if self.high is None else g(self.high)}]"
            text += (" truncated to " if self.family == "normal" else " on ") + bounds
        return text

    def mean(self) -> float:
        """Mean of the (bound) prior, for checks and reports."""
        low, high = self.low, self.high
        if self.family == "uniform":
            return (low + high) / 2
        if self.family == "beta":
            a, b = self.arguments
            return low + (high - low) * a / (a + b)
        if self.family == "triangular":
            return (low + self.arguments[0] + high) / 3
        from scipy import stats

        mean, sd = self.arguments
        a = -math.inf if low is None else (low - mean) / sd
        b = math.inf if high is None else (high - mean) / sd
        return float(stats.truncnorm.mean(a, b, loc=mean, scale=sd))


def _float(value):
    if value is None:
        return None
    if isinstance(value, str):
        return float(exact_value(value))
    return float(value)


def _truncated_normal(u, mean, sd, low, high):
    """Inverse-CDF draws of a normal truncated to [low, high] (stable in either tail)."""
    from scipy.special import ndtr, ndtri

    a = -math.inf if low is None else (low - mean) / sd
    b = math.inf if high is None else (high - mean) / sd
    if a > 0:  # upper tail: mirror, so that the CDF differences keep their precision
        return 2 * mean - _truncated_normal(u, mean, sd, 2 * mean - high if high is not None else None,
                                            2 * mean - low)
    fa, fb = ndtr(a), ndtr(b)
    z = ndtri(fa + u * (fb - fa))
    z = np.clip(z, a, b)
    return mean + sd * z


def parse_prior(spec, *, name: str = "parameter") -> Prior:
    """Parse a prior from the command-line form (see the module docstring).

    Examples
    --------
    >>> parse_prior("beta:2:5")
    Prior(family='beta', arguments=(2.0, 5.0), low=None, high=None)
    >>> parse_prior("uniform:0:1/2").high
    0.5
    >>> parse_prior("triangular:0:1:4").arguments
    (1.0,)
    """
    if isinstance(spec, Prior):
        return spec
    where = f"--prior {name}"
    text = str(spec).strip()
    family, *raw = [part.strip() for part in text.split(":")]
    family = family.lower()
    if family not in _FAMILIES:
        raise NegotiationError(f"{where}: unknown prior {family!r} (expected one of: {', '.join(_FAMILIES)})")
    try:
        numbers = [float(exact_value(x, where=where)) for x in raw]
    except ValueError as error:
        raise NegotiationError(str(error)) from None
    counts = {"uniform": (0, 2), "normal": (2, 4), "beta": (2, 4), "triangular": (1, 3)}[family]
    if len(numbers) not in counts:
        forms = {"uniform": "uniform or uniform:LOW:HIGH", "normal": "normal:MEAN:SD or normal:MEAN:SD:LOW:HIGH",
                 "beta": "beta:A:B or beta:A:B:LOW:HIGH",
                 "triangular": "triangular:MODE or triangular:LOW:MODE:HIGH"}[family]
        raise NegotiationError(f"{where}: {text!r} has {len(numbers)} numbers; expected {forms}")
    if family == "uniform":
        return Prior.uniform(*numbers)
    if family == "normal":
        return Prior.normal(*numbers)
    if family == "beta":
        return Prior.beta(*numbers)
    if len(numbers) == 1:
        return Prior.triangular(numbers[0])
    return Prior.triangular(numbers[1], numbers[0], numbers[2])


def resolve_priors(priors, parameters) -> dict:
    """Bound priors by parameter, in the declaration order of ``parameters``.

    ``priors`` is a mapping ``name -> Prior or spec string``, or a sequence of
    ``"NAME=SPEC"`` strings (the command-line form).
    """
    if priors is None:
        return {}
    if not isinstance(priors, Mapping):
        items = {}
        for item in priors:
            name, sep, spec = str(item).partition("=")
            if not sep or not name.strip():
                raise NegotiationError(f"--prior {item!r}: expected NAME=FAMILY:ARGS, e.g. --prior omega=beta:2:5")
            if name.strip() in items:
                raise NegotiationError(f"--prior {name.strip()}: given twice")
            items[name.strip()] = spec
        priors = items
    for name in priors:
        if name not in parameters.names:
            declared = ", ".join(parameters.names) or "none"
            raise NegotiationError(f"--prior {name}: unknown parameter (declared: {declared})")
    return {p.name: parse_prior(priors[p.name], name=p.name).bind(p) for p in parameters if p.name in priors}


def block_generator(seed: int, block: int) -> np.random.Generator:
    """The generator of block ``block``: child ``block`` of ``SeedSequence(seed)``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def sample_points(priors: Mapping[str, Prior], seed: int, start: int, stop: int) -> dict:
    """Draws for points ``start .. stop-1``: ``name -> float64 array``, independent of how points are chunked.

    Examples
    --------
    >>> priors = {"omega": Prior.uniform(0, 1)}
    >>> whole = sample_points(priors, 7, 0, 10)["omega"]
    >>> parts = [sample_points(priors, 7, a, b)["omega"] for a, b in [(0, 3), (3, 10)]]
    >>> bool((whole == np.concatenate(parts)).all())
    True
    """
    out = {name: np.empty(stop - start) for name in priors}
    if stop <= start:
        return out
    first, last = start // SAMPLE_BLOCK, (stop - 1) // SAMPLE_BLOCK
    for block in range(first, last + 1):
        rng = block_generator(seed, block)
        block_start = block * SAMPLE_BLOCK
        lo, hi = max(start, block_start), min(stop, block_start + SAMPLE_BLOCK)
        for name, prior in priors.items():
            values = prior.sample(rng, SAMPLE_BLOCK)
            out[name][lo - start:hi - start] = values[lo - block_start:hi - block_start]
    return out
