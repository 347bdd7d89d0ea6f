"""ema_workbench 3.0's PRIM under pandas 3: both dtype errors reproduced on the unpatched classes,
and the patched ones in ema_compat.py finding the same boxes without them.

If a test named test_upstream_* fails, a release of ema_workbench has fixed that error: drop the
matching workaround in experiments/discovery/ema_compat.py and this test with it.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from experiments.discovery.ema_compat import Prim

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    from ema_workbench.analysis import cart as ema_cart
    from ema_workbench.analysis import prim as ema_prim


def design(n: int = 1500) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"x1": rng.uniform(size=n), "k": rng.integers(0, 10, n),
                         "bloc": pd.Series(rng.choice(["eu", "bri", "us"], n), dtype=object)})


def integer_box(x: pd.DataFrame) -> np.ndarray:
    """1 when x1 > 0.2 and 3 <= k <= 6: PRIM has to restrict (and paste) the integer column k."""
    return ((x["x1"] > 0.2) & (x["k"] >= 3) & (x["k"] <= 6)).to_numpy().astype(int)


def categorical_box(x: pd.DataFrame) -> np.ndarray:
    return ((x["x1"] > 0.2) & (x["bloc"] == "eu")).to_numpy().astype(int)


# the unpatched constructor's drop(..., inplace=True) is deprecated in pandas 3.1 (ema_compat.Prim silences it)
UPSTREAM = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.drop is deprecated")


@UPSTREAM
def test_upstream_paste_fails_on_an_integer_parameter():
    x = design()
    with pytest.raises(TypeError, match="Invalid value .* for dtype 'int64'"):
        ema_prim.Prim(x[["x1", "k"]], integer_box(x)).find_box()


@UPSTREAM
def test_upstream_inspect_fails_on_a_categorical_parameter():
    x = design()
    box = ema_prim.Prim(x[["x1", "bloc"]], categorical_box(x)).find_box()
    with pytest.raises(TypeError, match="Invalid value .* for dtype 'float64'"):
        box.inspect(style="data")


def test_upstream_cart_boxes_fail_on_an_integer_parameter():
    """CART.boxes has the same error; cart.py reads the tree instead of calling it."""
    x = design()
    model = ema_cart.CART(x[["x1", "k"]], integer_box(x))
    model.build_tree()
    with pytest.raises(TypeError, match="Invalid value .* for dtype 'int64'"):
        _ = model.boxes


def test_patched_prim_restricts_the_integer_column_to_whole_numbers():
    x = design()
    y = integer_box(x)
    box = Prim(x[["x1", "k"]], y).find_box()
    limits = box.box_lim
    assert str(limits["k"].dtype) == "int64"
    assert limits["k"].tolist() == [3, 6]
    assert limits.loc[0, "x1"] == pytest.approx(0.2, abs=0.02)
    assert box.density == 1.0 and box.coverage > 0.95


def test_patched_paste_keeps_the_same_runs_as_a_float_limit():
    """Rounding a pasted limit inwards keeps exactly the whole numbers the fractional limit kept."""
    x = design()
    prim = Prim(x[["x1", "k"]], integer_box(x))
    box = prim.find_box()
    limits = box.box_lim.astype({"k": "float64"})
    pastes = prim._integer_paste(box, "k", prim.x.loc[prim.yi_remaining, :], ["x1", "k"])
    for indices, candidate in pastes:
        inside = ((prim.x["k"] >= candidate.loc[0, "k"]) & (prim.x["k"] <= candidate.loc[1, "k"])
                  & (prim.x["x1"] >= limits.loc[0, "x1"]) & (prim.x["x1"] <= limits.loc[1, "x1"]))
        assert sorted(indices) == sorted(np.flatnonzero(inside.to_numpy()))


def test_patched_inspect_shows_a_categorical_limit():
    x = design()
    box = Prim(x[["x1", "bloc"]], categorical_box(x)).find_box()
    [(stats, table)] = box.inspect(style="data")
    assert table.loc["bloc"].iloc[0] == {"eu"}
    assert stats["density"] == pytest.approx(box.density)
    box.inspect()  # the table style prints the same table
