"""The one error root of the toolkit.

Every mistake a user can make (a bad scenario file, a parameter outside its range, an
assumption that fails, an unknown method, a malformed ``.nfg`` file) raises a
:class:`NegotiationError` whose message is one line naming the file, field or value and what
was expected. The command line turns it into that line on standard error and exit status 1.

``NegotiationError`` subclasses :class:`ValueError`, which is what callers caught before the
toolkit had a root of its own, so ``except ValueError`` keeps working.

Examples
--------
>>> from negotiation.core.errors import NegotiationError, SolverLimitError
>>> issubclass(SolverLimitError, NegotiationError) and issubclass(SolverLimitError, RuntimeError)
True
"""

from __future__ import annotations

__all__ = ["NegotiationError", "SolverLimitError"]


class NegotiationError(ValueError):
    """A user-facing error: the input (file, field, value, option) is not what the toolkit expects."""


class SolverLimitError(NegotiationError, RuntimeError):
    """A valid input that a method could not finish: a pivot budget, a polytope too degenerate to walk,
    a linear-programming solver that failed. Another ``method=`` may succeed."""

