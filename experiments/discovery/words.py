"""Numbers, bounds and tables as text: what results print and what the report writes."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .declare import Labels, label_of, unit_of


def number(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant figures; '-' for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return f"{value:.{digits}g}"


def with_unit(value: float, key: str, labels: Labels | None) -> str:
    unit = unit_of(key, labels)
    return f"{number(value)} {unit}" if unit else number(value)


def choice(value) -> str:
    """A categorical value as the command line writes it: 'true'/'false' for a switch, else as it is."""
    if isinstance(value, (bool, np.bool_)) or value in ("True", "False"):  # a table may hold a switch as text
        return str(value).lower()
    return str(value)


def setting(value, key: str, labels: Labels | None) -> str:
    """A lever's value in words: a switch or a named choice as written on the command line, a number
    with its unit."""
    if isinstance(value, (bool, np.bool_, str)):
        return choice(value)
    return with_unit(value, key, labels)


def wrapped(text: str, width: int = 38) -> str:
    """A panel title on as many lines as it needs, so that neighbouring titles never overlap."""
    return "\n".join(textwrap.wrap(text, width)) or text


def panels(n: int, columns: int, size: tuple[float, float]) -> tuple[Figure, list]:
    """A figure of `n` panels of `size` (width, height) in rows of at most `columns`; the unused cells
    of the last row are removed."""
    columns, rows = min(n, columns), -(-n // columns)
    fig = Figure(figsize=(size[0] * columns, size[1] * rows), layout="constrained")
    axes = list(np.atleast_1d(fig.subplots(rows, columns)).ravel())
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def format_bound(key: str, kind: str, lower, upper, labels: Labels | None = None) -> str:
    """One restricted dimension of a box in words: 'privacy weight < 1.2', 'bloc is EU or BRI'."""
    name = label_of(key, labels)
    if kind == "categorical":
        values = [choice(v) for v in lower]
        return f"{name} is {values[0]}" if len(values) == 1 else f"{name} is {', '.join(values[:-1])} " \
                                                                  f"or {values[-1]}"
    has_lower, has_upper = not math.isnan(lower), not math.isnan(upper)
    if has_lower and has_upper:
        return f"{name} between {number(lower)} and {with_unit(upper, key, labels)}"
    if has_lower:
        return f"{name} > {with_unit(lower, key, labels)}"
    return f"{name} < {with_unit(upper, key, labels)}"


def format_table(table: pd.DataFrame) -> str:
    """A fixed-width text table with numbers to 3 significant figures."""
    if table.empty:
        return "(none)"
    return table.to_string(index=False, formatters={c: number for c in table.columns
                                                    if pd.api.types.is_float_dtype(table[c])})


def markdown_table(table: pd.DataFrame) -> str:
    """A GitHub-flavoured markdown table, numbers to 3 significant figures."""
    if table.empty:
        return "_(none)_"

    def cell(v) -> str:
        text = number(v) if isinstance(v, (float, np.floating, int, np.integer)) and not isinstance(v, bool) \
            else str(v)
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)
