"""A chunk's rows as CSV bytes, assembled with Arrow string kernels (the fast path of CSV output).

Same text as :meth:`ChunkRows.build <negotiation.sweeps.rows.ChunkRows.build>` followed by
:meth:`ChunkTable.to_csv_bytes <negotiation.sweeps.writers.ChunkTable.to_csv_bytes>` (a test
compares the bytes). Each row is ``prefix[point] , EP , payoffs... [, classification]`` where the
prefix (point index and parameters) is joined once per point, ``EP`` (equilibrium number, kind,
component and the probabilities) comes from a small dictionary for rows whose probabilities are
all 0 or 1 and is joined only for the others, and every distinct float is formatted once. Arrow
arrays are made from buffers and kernels called directly (``pyarrow.array`` would import pandas,
0.2 s).
"""

from __future__ import annotations

import numpy as np

from negotiation.sweeps.labels import KINDS
from negotiation.sweeps.writers import (arrow_call, arrow_concat, arrow_numbers, arrow_strings, arrow_text,
                                        csv_quote, format_value)

__all__ = ["encode_csv"]


def _join(parts, separator=None):
    """Element-wise concatenation of Arrow string arrays (and scalars), with ``,`` between them."""
    if separator is None:
        separator = arrow_strings([","])[0]
    return arrow_call("binary_join_element_wise", [*parts, separator])


def _take(labels, codes):
    return arrow_call("take", [labels, arrow_numbers(np.asarray(codes, dtype=np.int64))])


def _prefix(compiled, n: int, start: int, cells):
    """Per point of the chunk: ``"point,parameters"`` (runs of fixed parameters joined once)."""
    pieces, constant = [arrow_text(arrow_numbers(np.arange(start, start + n, dtype=np.int64)))], None
    for name in compiled.names:
        cell = cells[name]
        if cell[0] == "fixed":
            text = format_value(cell[1])
            constant = text if constant is None else constant + "," + text
            continue
        if constant is not None:
            pieces.append(arrow_strings([constant])[0])
            constant = None
        if cell[0] == "axis":
            # the axis's floats (each exact value's nearest float), formatted once per chunk
            pieces.append(_take(arrow_text(arrow_numbers(np.asarray(cell[3], dtype=np.float64) + 0.0)), cell[1]))
        else:
            pieces.append(arrow_text(arrow_numbers(np.asarray(cell[1], dtype=np.float64) + 0.0)))
    if constant is not None:
        pieces.append(arrow_strings([constant])[0])
    return _join(pieces) if len(pieces) > 1 else pieces[0]


def _special_cells(rows, S: int, P: int):
    """Codes of the cells not written as floats (blanks, exact values): ``(p codes, u codes, labels)``,
    ``-1`` where a cell is a float; ``(None, None, {})`` when there are none."""
    labels: dict = {}

    def code(label: str) -> int:
        return labels.setdefault(label, len(labels))

    empty = rows.empty
    if not (empty.any() or rows.exact_cells):
        return None, None, labels
    R = rows.point.size
    p_special = np.full((R, S), -1, dtype=np.int64)
    u_special = np.full((R, P), -1, dtype=np.int64)
    if empty.any():
        blank = code("")
        p_special[empty] = blank
        u_special[empty] = blank
    for (which, c), values in rows.exact_cells.items():
        target = p_special if which == "p" else u_special
        for r, v in values.items():
            target[r, c] = code(format_value(v))
    return p_special, u_special, labels


def _equilibrium_labels(width: int, component_labels) -> tuple[list, int]:
    """``"E,kind,component"`` for every code ``(E * 3 + kind) * n_components + component``."""
    n_components = max(len(component_labels), 1)
    quoted = [csv_quote(c) for c in component_labels] or [""]
    labels = [f"{e if e else ''},{KINDS[k]},{quoted[c]}"
              for e in range(width + 1) for k in range(3) for c in range(n_components)]
    return labels, n_components


def _equilibrium_and_probabilities(rows, width, probabilities, simple, complex_rows, labels, p_codes):
    """The ``"equilibrium,kind,component,p1,...,pS"`` cells of every row.

    Rows whose probabilities are all 0 or 1 take their text from the combinations present (one
    dictionary entry each); the others are joined from the float labels (``p_codes``).
    """
    S = probabilities.shape[1]
    R = rows.point.size
    e_labels, n_components = _equilibrium_labels(width, rows.component_labels)
    e_codes = (np.where(rows.empty, 0, rows.number) * 3 + rows.kind) * n_components + rows.component
    bits = np.zeros(R, dtype=np.int64)
    for c in range(S):
        bits |= (probabilities[:, c] == 1.0).astype(np.int64) << c
    ep_codes = e_codes * (1 << S) + bits
    simple_codes = ep_codes[simple]
    present = np.flatnonzero(np.bincount(simple_codes)) if simple_codes.size else np.zeros(0, dtype=np.int64)
    texts = []
    for code in present.tolist():
        e, b = divmod(code, 1 << S)
        texts.append(e_labels[e] + "," + ",".join("1" if (b >> c) & 1 else "0" for c in range(S)))
    lookup = np.zeros(int(present.max()) + 1 if present.size else 1, dtype=np.int64)
    lookup[present] = np.arange(present.size)
    index = np.empty(R, dtype=np.int64)
    index[simple] = lookup[simple_codes]
    dictionary = arrow_strings(texts)
    if complex_rows.size:
        parts = [_take(arrow_strings(e_labels), e_codes[complex_rows])]
        parts += [_take(labels, p_codes[:, c]) for c in range(S)]
        dictionary = arrow_concat([dictionary, _join(parts)])
        index[complex_rows] = present.size + np.arange(complex_rows.size)
    return _take(dictionary, index)


def encode_csv(chunk_rows, n: int, start: int, cells, class_codes, class_labels):
    """The chunk's rows as CSV bytes: ``(payload, n_rows, outcome codes, outcome labels)``.

    ``payload`` is the Arrow buffer itself (written through the buffer protocol, pickled as
    bytes): no copy.
    """
    compiled = chunk_rows.compiled
    S, P = chunk_rows.n_strategies, chunk_rows.n_players
    rows = chunk_rows.assemble()
    point = rows.point
    R = point.size
    outcome_codes, outcome_labels, width = chunk_rows.outcomes(n, rows)
    one_per_point = R == n
    prefix = _prefix(compiled, n, start, cells)
    if not one_per_point:
        prefix = _take(prefix, point)
    p_special, u_special, special_labels = _special_cells(rows, S, P)
    probabilities = rows.probabilities + 0.0  # -0.0 -> 0.0
    payoffs = rows.payoffs + 0.0
    # rows whose probabilities are all exactly 0 or 1 (and not exact cells): small dictionary
    simple = ((probabilities == 0.0) | (probabilities == 1.0)).all(axis=1)
    if p_special is not None:
        simple &= (p_special < 0).all(axis=1)
    complex_rows = np.flatnonzero(~simple)
    # one dictionary of distinct floats: payoffs of every row, probabilities of the complex rows
    values = payoffs.reshape(-1)
    if complex_rows.size:
        values = np.concatenate([values, probabilities[complex_rows].reshape(-1)])
    encoded = arrow_call("dictionary_encode", [arrow_numbers(values)])
    indices = encoded.indices
    float_codes = np.frombuffer(indices.buffers()[1], dtype=np.int32)[indices.offset:indices.offset + len(indices)]
    float_labels = arrow_text(encoded.dictionary)
    n_floats = len(float_labels)
    labels = arrow_concat([float_labels, arrow_strings(list(special_labels))]) if special_labels else float_labels
    u_codes = float_codes[:R * P].reshape(R, P)
    if u_special is not None:
        u_codes = np.where(u_special >= 0, u_special + n_floats, u_codes)
    p_codes = None
    if complex_rows.size:
        p_codes = float_codes[R * P:].reshape(complex_rows.size, S)
        if p_special is not None:
            special = p_special[complex_rows]
            p_codes = np.where(special >= 0, special + n_floats, p_codes)
    ep = _equilibrium_and_probabilities(rows, width, probabilities, simple, complex_rows, labels, p_codes)
    # payoffs, classification, line ends
    columns = [prefix, ep]
    if class_codes is not None:
        last = arrow_strings([csv_quote(label) + "\n" for label in class_labels])
        columns += [_take(labels, u_codes[:, c]) for c in range(P)]
        columns.append(_take(last, class_codes if one_per_point else class_codes[point]))
    else:
        columns += [_take(labels, u_codes[:, c]) for c in range(P - 1)]
        with_end = _join([labels, arrow_strings(["\n"])[0]], arrow_strings([""])[0])
        columns.append(_take(with_end, u_codes[:, P - 1]))
    lines = _join(columns)
    buffers = lines.buffers()
    bounds = np.frombuffer(buffers[1], dtype=np.int32)[lines.offset:lines.offset + R + 1]
    begin, end = int(bounds[0]), int(bounds[-1])
    return buffers[2].slice(begin, end - begin), R, outcome_codes, outcome_labels
