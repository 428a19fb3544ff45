"""What every parametric model type shares: the numbers it holds and its declared parameters."""

from __future__ import annotations

__all__ = ["ParametricModel", "ARITHMETICS"]

#: The numbers a model can hold: exact rationals, floats, or sympy expressions in its parameters.
ARITHMETICS = ("exact", "float", "symbolic")


class ParametricModel:
    """Mixin of the model types whose numbers may be exact, float or symbolic in declared parameters.

    A subclass sets ``_arithmetic`` (one of :data:`ARITHMETICS`) when it is built and has a
    ``parameters`` :class:`~negotiation.core.parameters.ParameterSpace`; ``kind`` names the kind of
    model (the ``kind`` of its scenario files).
    """

    __slots__ = ()

    @property
    def arithmetic(self) -> str:
        """``"exact"``, ``"float"`` or ``"symbolic"``: the numbers the model holds."""
        return self._arithmetic

    @property
    def is_exact(self) -> bool:
        """Every number is an exact rational."""
        return self._arithmetic == "exact"

    @property
    def is_symbolic(self) -> bool:
        """Some number is a formula in the declared parameters (substitute values to solve)."""
        return self._arithmetic == "symbolic"

    @property
    def symbols(self) -> dict:
        """Declared parameter symbols, name -> sympy symbol."""
        return self.parameters.symbols
