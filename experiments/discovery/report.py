"""The discovery report: report.md, a self-contained report.html and the stable CSV contract.

Per outcome, in plain words: when it happens (PRIM boxes, CART rules), which parameters move it
most (Morris, Sobol), its tipping points, what it would take, and what the counterfactuals
change. Labels and units come from `labels` (key -> label or (label, unit)); sentences use them,
and tables show "label (key)" so a dotted key is never all a reader gets when a label exists.

Files (written together or not at all: everything goes to a temporary folder next to `folder`,
which is moved into place at the end, so a failure leaves nothing half-written):
    report.md, report.html (figures inline as base64 PNG, no external asset), figures/*.png,
    boxes.csv          outcome, box, coverage, density, mass, dimension, lower, upper, qp
    sensitivity.csv    outcome, parameter, method, S1, S1_conf, ST, ST_conf, mu_star, sigma
    thresholds.csv     standard, lever, threshold, lower, upper, start (the world the search started from)
    what_it_takes.csv  sponsor, one column per lever, cost, win_probability, lower, upper
    counterfactuals.csv scenario, outcome, baseline, value, difference, lower, upper
Empty cells mean "does not apply" (a Sobol row has no mu_star, a box bound left open is empty).
"""

from __future__ import annotations

import base64
import html
import io
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .cart import CartResult
from .counterfactuals import COLUMNS as COUNTERFACTUAL_COLUMNS
from .counterfactuals import Counterfactuals
from .declare import Labels, label_of
from .prim import BoxResult
from .sensitivity import SensitivityResult
from .thresholds import Hysteresis, Threshold
from .what_it_takes import Strategy
from .words import markdown_table, number

CSV_COLUMNS = {
    "boxes.csv": ["outcome", "box", "coverage", "density", "mass", "dimension", "lower", "upper", "qp"],
    "sensitivity.csv": ["outcome", "parameter", "method", "S1", "S1_conf", "ST", "ST_conf", "mu_star", "sigma"],
    "thresholds.csv": ["standard", "lever", "threshold", "lower", "upper", "start"],
    "what_it_takes.csv": ["sponsor", "cost", "win_probability", "lower", "upper"],  # lever columns after sponsor
    "counterfactuals.csv": COUNTERFACTUAL_COLUMNS,
}
KEY_COLUMNS = ("outcome", "parameter", "dimension", "lever", "standard", "sponsor", "scenario")


def csv_tables(boxes: Sequence[BoxResult], sensitivity: Sequence[SensitivityResult],
               thresholds: Sequence[Threshold | Hysteresis], strategies: Sequence[Strategy],
               counterfactuals: Sequence[Counterfactuals]) -> dict[str, pd.DataFrame]:
    """The five CSV tables, with exactly the contract's columns (empty tables keep their header)."""
    def table(name: str, frames: list[pd.DataFrame], columns: list[str] | None = None) -> pd.DataFrame:
        columns = columns or CSV_COLUMNS[name]
        frames = [f for f in frames if not f.empty]
        return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)

    rows = [r for t in thresholds for r in (t.rows() if isinstance(t, Hysteresis) else [t.row()])]
    levers = list(dict.fromkeys(k for s in strategies for k in s.levers))
    return {
        "boxes.csv": table("boxes.csv", [b.table() for b in boxes]),
        "sensitivity.csv": table("sensitivity.csv", [s.table() for s in sensitivity]),
        "thresholds.csv": table("thresholds.csv", [pd.DataFrame(rows, columns=CSV_COLUMNS["thresholds.csv"])]),
        "what_it_takes.csv": table("what_it_takes.csv", [pd.DataFrame([s.row() for s in strategies])],
                                   ["sponsor", *levers, "cost", "win_probability", "lower", "upper"]),
        "counterfactuals.csv": table("counterfactuals.csv", [c.csv() for c in counterfactuals]),
    }


def _with_label(key: str, labels: Labels | None) -> str:
    """'label (key)', also for a hysteresis row's 'key (from start)'."""
    base, start, rest = key.partition(" (from ")
    label = label_of(base, labels)
    return key if label == base else f"{label}{start}{rest} ({key})"


def _labelled(table: pd.DataFrame, labels: Labels | None) -> pd.DataFrame:
    """Key columns shown as 'label (key)' where a label exists."""
    shown = table.copy()
    for column in KEY_COLUMNS:
        if column in shown.columns:
            shown[column] = [_with_label(k, labels) for k in shown[column].astype(str)]
    return shown


def _sections(boxes, carts, sensitivity, thresholds, strategies, counterfactuals, labels) -> list[tuple]:
    """The report as blocks: ('h2', text), ('p', text), ('figure', name, Figure)."""
    pairs = [t for item in thresholds for t in ((item.a, item.b) if isinstance(item, Hysteresis) else (item,))]
    outcomes = list(dict.fromkeys(
        [b.outcome for b in boxes] + [c.outcome for c in carts]
        + [o for s in sensitivity for o in s.indices["outcome"]] + [t.outcome for t in pairs]
        + [s.outcome for s in strategies] + [o for c in counterfactuals for o in c.table["outcome"]]))
    blocks: list[tuple] = []
    for n, outcome in enumerate(outcomes):
        blocks.append(("h2", label_of(outcome, labels)))
        for b in (b for b in boxes if b.outcome == outcome):
            share = b.stability.set_index("dimension")["restricted_share"]
            stable = "; ".join(f"{label_of(d, labels)} {s:.0%}" for d, s in share.items() if s > 0)
            blocks += [("p", f"**When it happens.** {b.describe(labels)} Across {b.resamples} bootstrap resamples "
                             f"the box restricts: {stable or 'nothing'}."),
                       ("figure", f"box_{n}_{b.outcome}", b.figure(labels))]
        for c in (c for c in carts if c.outcome == outcome):
            blocks.append(("p", f"**Rules (CART).** {c.describe(labels)}"))
        for s in sensitivity:
            if outcome in set(s.indices["outcome"]):
                method = "Sobol indices" if s.method == "sobol" else "Morris screening"
                blocks.append(("p", f"**What moves it most ({method}).** {s.describe(outcome, labels)}"))
        for item in thresholds:
            if isinstance(item, Hysteresis) and item.a.outcome == outcome:
                blocks += [("p", f"**Tipping point.** {item.describe(labels)}"),
                           ("figure", f"hysteresis_{n}_{item.a.lever}", item.figure(labels))]
            elif isinstance(item, Threshold) and item.outcome == outcome:
                blocks += [("p", f"**Tipping point.** {item.describe(labels)}"),
                           ("figure", f"threshold_{n}_{item.lever}", item.figure(labels))]
        for s in (s for s in strategies if s.outcome == outcome):
            blocks += [("p", f"**What it would take.** {s.describe(labels)}"),
                       ("figure", f"what_it_takes_{n}_{s.sponsor}", s.figure(labels))]
        for c in counterfactuals:
            mine = c.table[c.table["outcome"] == outcome]
            if len(mine):
                lines = Counterfactuals(mine, c.level).describe(labels)
                blocks.append(("p", "**Counterfactuals.** " + " ".join(lines)))
    for i, s in enumerate(sensitivity):
        blocks.append(("figure", f"sensitivity_{i}_{s.method}", s.figure(labels)))
    for i, c in enumerate(counterfactuals):
        blocks.append(("figure", f"counterfactuals_{i}", c.figure(labels)))
    return blocks


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def _render(blocks, tables, title: str, labels, folder: Path, preface: Sequence[str] = ()) -> tuple[str, str]:
    """report.md and report.html; figures are written to folder/figures as they are met."""
    md = [f"# {title}", ""]
    body = [f"<h1>{html.escape(title)}</h1>"]
    if preface:  # the answer in a few lines, before the sections that back it
        md += ["## In short", "", *(f"- {line}" for line in preface), ""]
        body += ["<h2>In short</h2>", "<ul>", *(f"<li>{html.escape(line)}</li>" for line in preface), "</ul>"]
    md += ["Tables: boxes.csv, sensitivity.csv, thresholds.csv, what_it_takes.csv, counterfactuals.csv (the same "
           "numbers as the tables below).", ""]
    (folder / "figures").mkdir()
    for block in blocks:
        if block[0] == "h2":
            md += [f"## {block[1]}", ""]
            body.append(f"<h2>{html.escape(block[1])}</h2>")
        elif block[0] == "p":
            md += [block[1], ""]
            text = html.escape(block[1])
            if text.startswith("**"):
                head, _, rest = text[2:].partition("**")
                text = f"<strong>{head}</strong>{rest}"
            body.append(f"<p>{text}</p>")
        else:
            name, figure = _safe(block[1]), block[2]
            png = _png(figure)
            (folder / "figures" / f"{name}.png").write_bytes(png)
            md += [f"![{name}](figures/{name}.png)", ""]
            data = base64.b64encode(png).decode("ascii")
            body.append(f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,{data}"></figure>')
    md += ["## Tables", ""]
    body.append("<h2>Tables</h2>")
    for name, table in tables.items():
        shown = _labelled(table, labels)
        md += [f"### {name}", "", markdown_table(shown), ""]
        body += [f"<h3>{html.escape(name)}</h3>",
                 shown.to_html(index=False, na_rep="", float_format=number, border=0, escape=True)]
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
             "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px}"
             "img{max-width:100%}")
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    return "\n".join(md), page


def _move_into_place(built: Path, folder: Path) -> None:
    """A new folder is renamed into place in one step; into an existing one, each file is replaced
    in one step (a previous figures/ folder is swapped out whole)."""
    if not folder.exists():
        os.rename(built, folder)
        return
    for item in built.iterdir():
        target = folder / item.name
        if item.is_dir():
            old = None
            if target.exists():
                old = folder / f".{item.name}.old"
                shutil.rmtree(old, ignore_errors=True)
                os.rename(target, old)
            os.rename(item, target)
            if old is not None:
                shutil.rmtree(old)
        else:
            os.replace(item, target)
    built.rmdir()


def write_report(folder: str | os.PathLike, *, boxes: Sequence[BoxResult] = (), carts: Sequence[CartResult] = (),
                 sensitivity: Sequence[SensitivityResult] = (), thresholds: Sequence[Threshold | Hysteresis] = (),
                 strategies: Sequence[Strategy] = (), counterfactuals: Sequence[Counterfactuals] | None = None,
                 labels: Labels | None = None, title: str = "Who wins the credential race, and when",
                 preface: Sequence[str] = ()) -> Path:
    """Write the report and the CSV tables into `folder` (see the module docstring); return it."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"folder: '{folder}' is a file, not a folder")
    counterfactuals = list(counterfactuals or [])
    folder.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        tables = csv_tables(boxes, sensitivity, thresholds, strategies, counterfactuals)
        for name, table in tables.items():
            table.to_csv(built / name, index=False)
        blocks = _sections(boxes, carts, sensitivity, thresholds, strategies, counterfactuals, labels)
        md, page = _render(blocks, tables, title, labels, built, preface)
        (built / "report.md").write_text(md + "\n")
        (built / "report.html").write_text(page)
        _move_into_place(built, folder)
    finally:
        shutil.rmtree(built, ignore_errors=True)
    return folder
