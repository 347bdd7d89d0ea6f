"""The quickstart notebook runs from top to bottom and shows its figures.

The notebook is executed in memory from a copy, with the notebooks folder as working directory;
the committed file (saved with outputs for readers on GitHub) is never rewritten.
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
QUICKSTART = NOTEBOOKS / "01_quickstart.ipynb"


def _png_outputs(nb) -> int:
    return sum("image/png" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", []))


@pytest.mark.slow
def test_quickstart_executes_and_shows_figures():
    nb = nbformat.read(QUICKSTART, as_version=4)
    for cell in nb.cells:  # start from a clean copy so old outputs cannot satisfy the checks
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails

    errors = [out for cell in nb.cells if cell.cell_type == "code"
              for out in cell.outputs if out.output_type == "error"]
    assert not errors
    assert _png_outputs(nb) >= 2, "expected the adoption plot and the world map to render as image/png"
