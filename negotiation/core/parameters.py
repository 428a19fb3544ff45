"""Model parameters: defaults, ranges, units and sources.

A :class:`Parameter` is one named assumption of a model (the cost of arming,
the offence–defence balance, …). A :class:`ParameterSpace` is the ordered set
of a model's parameters; it turns user input into exact values, checks ranges
and provides the sympy symbols that payoff expressions are written in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Mapping

from negotiation.core.numeric import coerce_number, format_number
from negotiation.core.errors import NegotiationError
from negotiation.core.labels import normal_form, normalise_label

__all__ = ["Parameter", "ParameterSpace", "CONFIDENCE_TAGS"]

#: Confidence tags and what each means to a user. ``show`` prints ``[tag: meaning]``, so a meaning never repeats
#: its tag (it once did: "[assumption: assumption: unverified …]").
CONFIDENCE_TAGS = {
    "published": "checked against the published source",
    "computed": "closed form verified by exact computation",
    "toolkit": "our parametrisation, consistent with the cited argument",
    "assumption": "unverified or illustrative, not an estimate",
}


@dataclass(frozen=True)
class Parameter:
    """One named model parameter.

    Parameters
    ----------
    name : str
        Identifier used in payoff expressions (``omega``, ``c_A``).
    default : Fraction or float
        Value used when the user sets none.
    low, high : Fraction or float or None
        Inclusive range of admissible values (``None``: unbounded).
    unit, description : str
        Shown to users.
    source : str
        Where the value or its meaning comes from.
    confidence : str
        One of :data:`CONFIDENCE_TAGS`.

    Examples
    --------
    >>> Parameter("k", Fraction(1), low=Fraction(0)).symbol
    k
    """

    name: str
    default: Fraction | float | None = None
    low: Fraction | float | None = None
    high: Fraction | float | None = None
    unit: str = ""
    description: str = ""
    source: str = ""
    confidence: str = "assumption"

    def __post_init__(self):
        # the name as formulas read it (NFKC: ``ﬁ`` is ``fi``), with no control or bidirectional characters
        object.__setattr__(self, "name", normalise_label(self.name, where="parameters", what="parameter name"))

    @property
    def symbol(self):
        """The sympy symbol (real; positive or nonnegative when the range says so)."""
        import sympy

        assumptions = {"real": True}
        if self.low is not None and self.low > 0:
            assumptions["positive"] = True
        elif self.low is not None and self.low >= 0:
            assumptions["nonnegative"] = True
        return sympy.Symbol(self.name, **assumptions)

    def check(self, value, *, where: str = "") -> Fraction | float:
        """Coerce ``value`` to a number and check it lies in the range."""
        label = where or f"parameter {self.name}"
        number = coerce_number(value, where=label)
        if self.low is not None and number < self.low:
            raise NegotiationError(
                f"{label}: {format_number(number)} is below the range "
                f"[{_bound(self.low)}, {_bound(self.high)}]"
            )
        if self.high is not None and number > self.high:
            raise NegotiationError(
                f"{label}: {format_number(number)} is above the range "
                f"[{_bound(self.low)}, {_bound(self.high)}]"
            )
        return number


def _bound(value) -> str:
    return "unbounded" if value is None else format_number(value)


@dataclass(frozen=True)
class ParameterSpace:
    """An ordered collection of :class:`Parameter` objects.

    Examples
    --------
    >>> space = ParameterSpace((Parameter("g", Fraction(1)), Parameter("c", Fraction(2))))
    >>> space.names
    ('g', 'c')
    >>> space.resolve({"c": "5/2"})
    {'g': Fraction(1, 1), 'c': Fraction(5, 2)}
    """

    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def __post_init__(self):
        names = [p.name for p in self.parameters]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise NegotiationError(f"duplicate parameter name(s): {', '.join(duplicates)}")

    @classmethod
    def from_names(cls, names: Iterable[str]) -> "ParameterSpace":
        """A space of parameters with no defaults or ranges."""
        return cls(tuple(Parameter(name) for name in names))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters)

    @property
    def symbols(self) -> dict:
        """Mapping name -> sympy symbol."""
        return {p.name: p.symbol for p in self.parameters}

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.parameters if p.default is not None}

    def __getitem__(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    def __contains__(self, name) -> bool:
        return name in self.names

    def __iter__(self):
        return iter(self.parameters)

    def __len__(self) -> int:
        return len(self.parameters)

    def substitution(self, values: Mapping, *, symbolic: bool, error: type = ValueError, what: str = "game"):
        """What a model's ``substitute`` needs: ``None`` for a numeric model (which refuses parameter
        values), else ``(resolved values, {symbol: sympy number})``; problems raise ``error`` (one line).

        Examples
        --------
        >>> space = ParameterSpace([Parameter("c", default=Fraction(2))])
        >>> resolved, replacement = space.substitution({"c": Fraction(1, 3)}, symbolic=True)
        >>> resolved, list(replacement.values())
        ({'c': Fraction(1, 3)}, [1/3])
        """
        if not symbolic:
            if values:
                unknown = next(iter(values))
                raise error(f"unknown parameter {unknown!r}: this {what} has no parameters" if not self.parameters
                            else f"{what} is already numeric; cannot set {unknown!r}")
            return None
        try:
            resolved = self.resolve(values)
        except ValueError as problem:
            raise error(str(problem)) from None
        import sympy

        symbols = self.symbols
        replacement = {symbols[name]: (sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction)
                                       else sympy.Float(v)) for name, v in resolved.items()}
        return resolved, replacement

    def resolve(self, values: Mapping | None = None, *, where: str = "") -> dict:
        """Complete ``values`` with defaults, check names and ranges.

        Returns a dict name -> number in declaration order. Unknown names and
        parameters that have neither a value nor a default raise ``ValueError``.
        """
        given = dict(values or {})
        values = {normal_form(name): value for name, value in given.items()}  # names as declared (NFKC)
        prefix = f"{where}: " if where else ""
        if len(values) != len(given):
            raise NegotiationError(f"{prefix}a parameter is given twice under names that are the same after Unicode "
                                   f"normalisation ({', '.join(map(repr, given))})")
        unknown = [name for name in values if name not in self.names]
        if unknown:
            declared = ", ".join(self.names) or "none"
            raise NegotiationError(
                f"{prefix}unknown parameter {unknown[0]!r} (declared: {declared})"
            )
        resolved = {}
        for parameter in self.parameters:
            if parameter.name in values:
                resolved[parameter.name] = parameter.check(
                    values[parameter.name], where=f"{prefix}parameter {parameter.name}"
                )
            elif parameter.default is not None:
                resolved[parameter.name] = parameter.default
            else:
                raise NegotiationError(
                    f"{prefix}parameter {parameter.name!r} has no value and no default"
                )
        return resolved
