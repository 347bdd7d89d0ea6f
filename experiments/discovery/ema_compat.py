"""ema_workbench 3.0 under pandas 3: two dtype errors in PRIM, worked around by subclassing.

pandas 3 refuses to write a value into a column that cannot hold it (it raised a FutureWarning
before). ema_workbench 3.0 does so in two places:

1. The paste step (`Prim._real_paste`) writes a quantile such as 2.5 into the int64 column of
   an integer parameter's box limits: `TypeError: Invalid value '2.5' for dtype 'int64'`, so
   `find_box()` fails whenever an integer parameter is restricted. Reported upstream as
   quaquel/EMAworkbench#448; the fix (#451) is not in a release yet.
2. `PrimBox.inspect()` (styles "table" and "data") fills a float table with the box limits, and
   a categorical limit is a set: `TypeError: Invalid value '{'a'}' for dtype 'float64'`.

`Prim` here is ema_workbench's Prim with both fixed: an integer parameter is pasted on float
limits, then the new limit is rounded inwards (up for a lower limit, down for an upper one),
which keeps exactly the same whole numbers in the box; and the inspect table is built with a
column per limit that holds whatever the limit is. tests/discovery/test_ema_compat.py shows both
errors on the unpatched classes (so the day a release fixes them, that test says so) and that
the patched ones work. (Its constructor's `drop(..., inplace=True)`, deprecated in pandas 3.1, is
only silenced.) ema_workbench's own `PrimBox.resample` builds unpatched Prims, so
prim.py draws its own bootstrap resamples.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

with warnings.catch_warnings():  # "ipyparallel not installed": an evaluator this package never uses
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    from ema_workbench.analysis import prim as ema_prim


class PrimBox(ema_prim.PrimBox):
    """ema_workbench's PrimBox whose `inspect()` also works for categorical limits under pandas 3."""

    def _inspect_data(self, i: int, uncs) -> tuple[pd.Series, pd.DataFrame]:
        stats = self.peeling_trajectory.iloc[i]
        rows = []
        for unc in uncs:
            lower, upper = self.box_lims[i][unc].tolist()
            qp = [np.nan if q == -1 else q for q in self.p_values[i][unc]]
            rows.append([lower, upper, *qp])
        columns = pd.MultiIndex.from_product([[f"box {i}"], ["min", "max", "qp value", "qp value"]])
        return stats, pd.DataFrame(rows, index=list(uncs), columns=columns)


class Prim(ema_prim.Prim):
    """ema_workbench's Prim whose paste step works on integer parameters under pandas 3."""

    def __init__(self, *args, **kwargs) -> None:
        with warnings.catch_warnings():  # drop(columns="scenario", inplace=True): deprecated in pandas 3.1
            warnings.filterwarnings("ignore", message="The inplace keyword in DataFrame.drop is deprecated")
            super().__init__(*args, **kwargs)
        self._prim_box_klass = PrimBox

    def _integer_paste(self, box, u, x, resdim):
        limits = box.box_lims[-1]
        box.box_lims[-1] = limits.astype({u: "float64"})  # room for a fractional paste value
        try:
            pastes = ema_prim.BasePrim._real_paste(self, box, u, x, resdim)
        finally:
            box.box_lims[-1] = limits
        rounded = []
        for indices, candidate in pastes:
            lower, upper = candidate[u].tolist()
            candidate = candidate.copy()
            candidate[u] = pd.Series([math.ceil(lower), math.floor(upper)], index=candidate.index,
                                     dtype=limits[u].dtype)
            rounded.append((indices, candidate))  # the same whole numbers inside, so the same indices
        return rounded

    # BasePrim picks the paste function by dtype from this table, not by method lookup
    _pastes = {**ema_prim.BasePrim._pastes, "int": _integer_paste}
