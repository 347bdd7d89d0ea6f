"""Every notebook runs from top to bottom and shows its figures.

Each notebook is executed in memory from a copy, with the notebooks folder as working directory;
the committed file (saved with outputs for readers on GitHub) is never rewritten. Together they
take about two and a half minutes on the project's 2-core machine (measured, not asserted).
"""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
# notebook -> the least number of figures it must show
FIGURES = {"01_quickstart.ipynb": 3, "02_scenarios.ipynb": 3, "03_sweeps.ipynb": 4, "04_discovery.ipynb": 2}


def _png_outputs(nb) -> int:
    return sum("image/png" in out.get("data", {})
               for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", []))


def test_every_notebook_is_checked():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(FIGURES)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FIGURES))
def test_notebook_executes_and_shows_figures(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
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
    assert _png_outputs(nb) >= FIGURES[name], f"{name}: expected at least {FIGURES[name]} figures as image/png"
    code = [cell.source for cell in nb.cells if cell.cell_type == "code"]
    assert not any(line.lstrip().startswith(("def ", "class ")) for source in code for line in source.splitlines()), \
        f"{name} defines functions or classes: logic belongs in model/ or experiments/"
