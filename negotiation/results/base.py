"""The one result protocol.

Every result of the toolkit — equilibria of a game, a tree, a Bayesian or signaling game, a
continuous game; a derivation; a bargaining analysis; a repeated-game analysis; a sweep's
summary — is a frozen dataclass that subclasses :class:`Result`. It says how it was obtained:

``method``
    the algorithm or closed form (``"vertex_enumeration"``, ``"backward_induction"``, …);
``exact``
    every number is an exact rational (or an exact symbolic expression) and was checked exactly;
``complete``
    the method guarantees that every object of the kind it computes is listed;
``degenerate``
    whether the game is degenerate (``None`` where the notion does not apply or was not determined);
``parameters``
    the parameter values the model was evaluated at;
``messages``
    notes for the user (tolerances, fallbacks, what was left out);
``details``
    method-specific extras (the value of a zero-sum game, a classic-game label, counts);
``assumption_tagged``
    the parameters of the scenario the result was computed from that are tagged ``assumption``, with their
    values (empty for a plain model): every table (text, Markdown, LaTeX, HTML: a line under the heading;
    CSV: a column), the JSON object (a line of ``messages``) and the figure (a caption) say which results
    rest on illustrative values.

Each result type supplies three things: its rows (:meth:`Result.to_records`), what it says
(:meth:`Result.document`, a :class:`~negotiation.core.document.Document`) and its JSON payload
(:meth:`Result._content`). Everything else is written once, here: :meth:`~Result.to_text`,
:meth:`~Result.to_markdown`, :meth:`~Result.to_latex`, :meth:`~Result.to_csv`,
:meth:`~Result.to_frame`, :meth:`~Result.to_dict`, the Jupyter representations and
:meth:`~Result.plot`.

Examples
--------
>>> import negotiation as ng
>>> result = ng.solve(ng.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
>>> isinstance(result, Result), result.method, result.exact, result.complete
(True, 'vertex_enumeration', True, True)
>>> result.to_dict()["equilibria"][0]["profile"]["Player 1"]
{'1': '1/2', '2': '1/2'}
"""

from __future__ import annotations

import copy
from dataclasses import replace
from types import MappingProxyType
from typing import Mapping

from negotiation.core.document import (Document, Text, assumptions_line, render_csv, render_html, render_latex,
                                       render_markdown, render_text)
from negotiation.core.drawing import plot
from negotiation.core.numeric import json_number
from negotiation.results.machine import machine_frame, machine_records

__all__ = ["Result", "EquilibriumList", "ConditionalEquilibria", "json_deep"]

#: What a result type that does not carry a protocol attribute says for it.
_DEFAULTS = {"exact": True, "complete": True, "degenerate": None, "parameters": MappingProxyType({}),
             "messages": (), "details": MappingProxyType({}), "analyses": MappingProxyType({})}


class Result:
    """Base of every result type: how it was obtained, and every rendering written once.

    Subclasses are frozen dataclasses that carry the protocol attributes as fields (or properties):
    ``method`` always; ``exact``, ``complete``, ``degenerate``, ``parameters``, ``messages``,
    ``details`` and ``analyses`` where they apply (a type that does not carry one says what
    :data:`_DEFAULTS` says). The defaults are not class attributes, so that they never become the
    defaults of a subclass's dataclass fields.
    """

    __slots__ = ()

    #: Keys of :meth:`_content` that lead the JSON object (``"game"`` in ``negotiation solve``'s contract).
    _leading = ("game",)

    def __getattr__(self, name):
        # only reached when the type has no such field or property
        if name in _DEFAULTS:
            return _DEFAULTS[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ supplied by each type
    def to_records(self) -> list[dict]:
        """One flat dict per row (equilibrium, solution, point …), labelled; numbers stay exact."""
        raise NotImplementedError(f"{type(self).__name__} must define to_records()")

    def document(self) -> Document:
        """What the result says, as a :class:`~negotiation.core.document.Document` (title, text, tables)."""
        raise NotImplementedError(f"{type(self).__name__} must define document()")

    def _content(self) -> dict:
        """The type's own part of :meth:`to_dict` (JSON-ready: exact numbers as fraction strings)."""
        return {"records": [{str(k): json_deep(v) for k, v in record.items()} for record in self.to_records()]}

    # ------------------------------------------------------------------ written once
    @property
    def assumption_tagged(self) -> Mapping:
        """Assumption-tagged parameters of the scenario behind this result and their values (name -> value,
        ``None`` where the result keeps the parameter symbolic); empty for a plain model."""
        return getattr(self, "__dict__", {}).get("_assumption_tagged", MappingProxyType({}))

    def with_assumption_tags(self, tagged: Mapping) -> Result:
        """A copy of this result that lists ``tagged`` (:attr:`assumption_tagged`) in every rendering.

        The front doors call it when the model is a scenario (:mod:`negotiation.core.dispatch`), so no result
        type has to carry the tags itself (they are not a dataclass field).

        >>> import negotiation as ng
        >>> result = ng.solve(ng.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]]))
        >>> tagged = result.with_assumption_tags({"k": 1})
        >>> tagged.to_text().splitlines()[2], tagged.to_dict()["messages"], result.assumption_tagged
        ('Assumption-tagged parameters (illustrative values): k = 1', ['Assumption-tagged parameters (illustrative values): k = 1'], mappingproxy({}))
        """
        result = copy.copy(self)
        object.__setattr__(result, "_assumption_tagged", MappingProxyType(dict(tagged)))
        return result

    def _tagged_document(self) -> Document:
        """:meth:`document` with the assumptions line last in its heading, the first block (when the result has
        tags): next to the parameter values, before any table."""
        document, line = self.document(), assumptions_line(self.assumption_tagged)
        if not line:
            return document
        blocks = document.blocks
        if blocks and isinstance(blocks[0], Text):
            return replace(document, blocks=(replace(blocks[0], lines=(*blocks[0].lines, line)), *blocks[1:]))
        return replace(document, blocks=(Text((line,)), *blocks))

    def _tagged_records(self) -> list[dict]:
        """:meth:`to_records` with an ``assumptions`` column (when the result has tags)."""
        records, line = self.to_records(), assumptions_line(self.assumption_tagged)
        return [{**record, "assumptions": line} for record in records] if line else records

    def summary(self) -> str:
        """``vertex_enumeration (exact, complete, nondegenerate)``: the method and what it guarantees."""
        flags = ["exact" if self.exact else "floating point",
                 "complete" if self.complete else "not necessarily complete"]
        if self.degenerate is True:
            flags.append("degenerate")
        elif self.degenerate is False:
            flags.append("nondegenerate")
        return f"{self.method} ({', '.join(flags)})"

    def to_text(self) -> str:
        """Plain text for the terminal (then the text of each of :attr:`analyses`)."""
        return "\n\n".join([render_text(self._tagged_document()), *(a.to_text() for a in self.analyses.values())])

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown (a notebook, a wiki, a slide)."""
        return "\n\n".join([render_markdown(self._tagged_document()),
                            *(a.to_markdown() for a in self.analyses.values())])

    def to_latex(self) -> str:
        """Booktabs LaTeX tables for a paper (``\\usepackage{booktabs}``), exact values as ``\\frac``."""
        return "\n\n".join([render_latex(self._tagged_document()), *(a.to_latex() for a in self.analyses.values())])

    def to_csv(self) -> str:
        """The records as CSV that ``pandas.read_csv`` reads with numeric columns: numbers as numbers (floats with
        every digit), exact values that a float would round also as text in ``<column>_exact``, words among
        numbers in ``<column>_label`` (:func:`~negotiation.results.machine.machine_records`)."""
        return render_csv(machine_records(self._tagged_records()))

    def to_frame(self):
        """The records as a pandas DataFrame: ``int64``/``float64`` number columns with the same ``_exact`` and
        ``_label`` companions as :meth:`to_csv`."""
        return machine_frame(self._tagged_records())

    def to_dict(self) -> dict:
        """JSON-ready dict: how the result was obtained, then the type's content (exact numbers as strings)."""
        content = self._content()
        data = {key: content.pop(key) for key in self._leading if key in content}
        data.update({
            "parameters": {str(k): json_number(v) for k, v in self.parameters.items()},
            "method": self.method,
            "exact": self.exact,
            "complete": self.complete,
            "degenerate": self.degenerate,
        })
        data.update(content)
        messages = [*self.messages, *filter(None, [assumptions_line(self.assumption_tagged)])]
        if messages:
            data["messages"] = messages
        extras = {str(k): json_deep(v) for k, v in self.details.items() if not str(k).startswith("_")}
        if extras:
            data["details"] = extras
        for name, analysis in self.analyses.items():
            data[name] = analysis.to_dict()
        return data

    def plot(self, *args, **options):
        """The figure of this result (matplotlib), where its type has one; returns the figure.

        Figures live in the report layer; :func:`negotiation.core.drawing.plot` is the one door to them."""
        figure = plot(self, *args, **options)
        line = assumptions_line(self.assumption_tagged)
        if line and hasattr(figure, "text"):  # a matplotlib figure: the caption goes under the axes
            figure.text(0.01, 0.0, line, fontsize=8, ha="left", va="top", wrap=True)
        return figure

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return "".join([render_html(self._tagged_document()),
                        *(getattr(a, "_repr_html_", a.to_markdown)() for a in self.analyses.values())])


class EquilibriumList:
    """A result that is a sequence of its ``equilibria``: ``len``, iteration, indexing."""

    __slots__ = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, index):
        return self.equilibria[index]


class ConditionalEquilibria:
    """Shared by the symbolic results (``equilibria`` with a ``condition`` and ``boundary_only`` each):
    which equilibria hold at a parameter point, which have interior regions."""

    __slots__ = ()

    @property
    def interior(self) -> tuple:
        """The equilibria whose region has interior points (the generic cases)."""
        return tuple(e for e in self.equilibria if not e.boundary_only)

    @property
    def boundary_only(self) -> tuple:
        """The equilibria that hold only on boundaries (ties)."""
        return tuple(e for e in self.equilibria if e.boundary_only)

    def equilibria_at(self, values) -> list:
        """The entries whose condition holds at ``values`` (parameter name -> number)."""
        return [e for e in self.equilibria if e.condition.holds(values)]

    def on_boundary(self, values) -> bool:
        return any(e.condition.on_boundary(values) for e in self.equilibria)



def json_deep(value):
    """Nested mappings and sequences made JSON-ready: exact numbers as strings, counts as integers."""
    if isinstance(value, Mapping):
        return {str(k): json_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_deep(v) for v in value]
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, int):
        return value  # counts (pivots, rounds) stay JSON numbers
    if hasattr(value, "to_dict"):
        return value.to_dict()
    return json_number(value)
