"""Scenario discovery in one command: `python -m experiments.discover discover=NAME [discover.KEY=VALUE ...]`.

Where does each standard win, which levers matter, where does it tip, what would it take?
1. design: a Latin hypercube over the declared uncertainties, each point run `replications`
   times, in the resumable sweep store (<output>/design);
2. boxes: PRIM and CART on each binary outcome at the point level (the outcome happens at a
   point when its replication mean is above one half);
3. sensitivity: Morris screening of every uncertainty, then Sobol on the factors it ranks highest,
   on continuous outcomes, with bootstrap intervals and the share of variance that is replication noise;
4. thresholds: the lever value at which P(standard wins) crosses one half, on common seeds, and
   whether it depends on where the world starts (hysteresis);
5. counterfactuals: each named scenario against its baseline on common seeds;
6. strategies: for each sponsor, the cheapest strategy that makes its standard win with P >= 1/2
   (Optuna TPE under the constraint; experiments/discovery/what_it_takes.py), and what would have
   stopped the EU DCC;
7. report: report.md, report.html and the CSV tables in <output> (experiments/discovery/report.py).

Every simulation is kept on disk as it finishes (the design in the sweep store, the others in
<output>/cache), and each finished stage in <output>/stages, so the same command resumes after a
stop. Exit status: 0 done, 2 bad config (nothing written), 1 a stage failed, 130 interrupted.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.params import ConfigError

from .cli import guard
from .config import CONFIG_DIR, ExperimentConfig, compose, model_params, to_experiment
from .discover_spec import DiscoverSpec, StrategySpec, ThresholdSpec, check, register_discover_schema
from .outcomes import is_binary
from .runner import replication_seeds
from .simulate import ModelSimulator, RunCache
from .sweeps.store import atomic_write

USAGE = """usage: python -m experiments.discover [discover=NAME] [discover.KEY=VALUE ...] [EXPERIMENT_KEY=VALUE ...]

  discover=NAME        a discovery config from configs/discover/: {names}
  discover.KEY=VALUE   change it, e.g. discover.samples=200 discover.replications=5 discover.output=DIR
  KEY=VALUE            change the experiment every run starts from, e.g. decision.rationality=6
  --cfg                print the resolved config and the run counts; run nothing

Writes report.md, report.html, boxes.csv, sensitivity.csv, thresholds.csv, what_it_takes.csv and
counterfactuals.csv into discover.output (default outputs/discover/NAME); rerun to resume."""


# ---------------------------------------------------------------- config

def compose_spec(overrides: list[str]) -> DiscoverSpec:
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    register_discover_schema()
    if GlobalHydra.instance().is_initialized():
        cfg = hydra_compose(config_name="discover_config", overrides=list(overrides))
    else:
        with initialize_config_dir(version_base=None, config_dir=str(CONFIG_DIR)):
            cfg = hydra_compose(config_name="discover_config", overrides=list(overrides))
    return OmegaConf.to_object(cfg).discover


def load(argv: list[str]) -> tuple[DiscoverSpec, ExperimentConfig, list[str]]:
    """The checked discovery config, its base experiment, and the experiment overrides the user gave
    (which apply to every world the analyses run in: the base, the named scenarios, each start)."""
    own = [a for a in argv if a.lstrip("+~").split("=")[0].split(".")[0] == "discover"]
    experiment = [a for a in argv if a not in own]
    spec = check(compose_spec(own))
    base = to_experiment(compose(None, [*spec.base, *experiment]))
    params = model_params(base)
    from .outcomes import parse_all

    parse_all(spec.outcomes, params, "discover.outcomes")
    if spec.counterfactual_outcomes:
        parse_all(spec.counterfactual_outcomes, params, "discover.counterfactual_outcomes")
    return spec, base, experiment


def folder_of(spec: DiscoverSpec) -> Path:
    return Path(spec.output or f"outputs/discover/{spec.name}")


def _parameter(key: str, p, integer: bool):
    """An uncertainty or a lever (choices, or low..high) as the discovery package declares it."""
    from .discovery import Parameter

    if p.choices is not None:
        return Parameter(key, choices=tuple(p.choices))
    return Parameter(key, p.low, p.high, log=p.log, integer=integer)


def parameters(spec: DiscoverSpec, kinds: dict[str, type]) -> list:
    """The uncertainties as the discovery package declares them."""
    return [_parameter(key, p, kinds[key] is int) for key, p in spec.uncertainties.items()]


def labels(spec: DiscoverSpec, base: ExperimentConfig) -> dict[str, tuple[str, str]]:
    """Key -> (label, unit) for every parameter and outcome the report names."""
    from model import describe

    names = {sid: s.name or sid for sid, s in base.standards.items()}
    owners = {"standards": names, "sponsors": {sid: s.name or sid for sid, s in base.sponsors.items()}}
    out: dict[str, tuple[str, str]] = {}
    keys = set(spec.uncertainties) | {k for s in spec.strategies.values() for k in s.levers}
    keys |= {t.lever for t in spec.thresholds.values()}
    for key in keys:
        info = describe(key)
        if info is not None:
            prefix = ""
            parts = key.split(".")
            if parts[0] in owners and len(parts) > 2:
                prefix = f"{owners[parts[0]].get(parts[1], parts[1])}: "
            # a unit that reads after a number ("12 set-up costs"); scales and utilities go unsaid
            silent = ("utility", "0", "1 /", "weight", "share of the", "alignment")
            unit = "" if info.unit.startswith(silent) else info.unit
            out[key] = (prefix + info.label, unit)
        elif key.startswith("scenario.events."):
            out[key] = (f"event {key.split('.')[2]}: {key.split('.')[-1]}", "")
        elif key.split(".")[0] in ("standards", "sponsors", "organisations") and key.count(".") >= 2:
            parts = key.split(".")  # a choice without a number's metadata (a standard's verification, say)
            owner = owners.get(parts[0], {}).get(parts[1], parts[1])
            out[key] = (f"{owner}: {' '.join(parts[2:]).replace('_', ' ')}", "")
    for name in {*spec.outcomes, *spec.counterfactual_outcomes, *(s.outcome for s in spec.strategies.values())}:
        measure, _, rest = name.partition(".")
        standard = names.get(rest.split("@")[0], rest)
        words = {"win": f"{standard} wins", "lose": f"{standard} does not win",
                 "acceptance_reach": f"share of world trips accepting {standard}",
                 "foreign_adopters": f"foreign adopters of {standard}", "travel_share": f"travel carrying {standard}",
                 "fragmented": "no standard wins", "fragmentation": "trips with a refused credential"}
        out[name] = (words.get(measure, name), "")
    for sid, name in names.items():  # a tipping point is named by its standard
        out.setdefault(sid, (name, ""))
    for sid, strategy in spec.strategies.items():  # whose strategy: a sponsor's name, or what it is for
        purpose = strategy.note.split(" (")[0]
        out.setdefault(sid, (owners["sponsors"].get(sid) or purpose[:1].upper() + purpose[1:] or sid, ""))
    return out


# ---------------------------------------------------------------- stages, each resumable

def _stage_file(folder: Path, name: str) -> Path:
    return folder / "stages" / f"{name}.pkl"


def _done(folder: Path, name: str) -> Any:
    path = _stage_file(folder, name)
    return pickle.loads(path.read_bytes()) if path.is_file() else None


def _keep(folder: Path, name: str, result: Any) -> Any:
    path = _stage_file(folder, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(result)), durable=False)
    return result


def design_sweep(spec: DiscoverSpec, experiment: list[str], folder: Path):
    from .sweeps import SweepSpec, make_sweep

    sweep_spec = SweepSpec(name=f"discover-{spec.name}", description=spec.description, base=[],
                           parameters=dict(spec.uncertainties), design="lhs", samples=spec.samples, seed=spec.seed,
                           replications=spec.replications, executor=spec.executor, workers=spec.workers,
                           oversubscribe=spec.oversubscribe, output=str(folder / "design"), plots=False,
                           outcomes=list(spec.outcomes))
    return make_sweep(sweep_spec, experiment)


def point_table(runs: pd.DataFrame, keys: list[str], outcomes: list[str]) -> pd.DataFrame:
    """One row per point: its values and each outcome's replication mean; binary outcomes also as
    `<name>` = 1 when the mean is above one half."""
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby("point")[outcomes].mean()
    values = ok.groupby("point")[keys].first()
    table = values.join(means).reset_index()
    for name in outcomes:
        if is_binary(name):
            table[f"P({name})"] = table[name]
            table[name] = (table[name] > 0.5).astype(int)
    return table


def boxes_stage(spec: DiscoverSpec, points: pd.DataFrame, params: list) -> tuple[list, list]:
    from .discovery import cart_rules, find_box

    found, carts = [], []
    for name in spec.boxes:
        y = points[name]
        if y.sum() == 0:
            raise ConfigError(f"discover.boxes: '{name}' never happens in this design ({len(points)} points, "
                              f"{spec.replications} replications each: no point has it above one half); "
                              "widen the uncertainties or drop it from discover.boxes")
        if y.sum() == len(y):
            raise ConfigError(f"discover.boxes: '{name}' happens at every point of this design; there is no "
                              "condition to find; widen the uncertainties or drop it from discover.boxes")
        found.append(find_box(points, name, params, density_target=spec.density, resamples=spec.resamples,
                              seed=spec.seed))
        carts.append(cart_rules(points, name, params, seed=spec.seed))
    return found, carts


def sensitivity_task(base: ExperimentConfig, spec: DiscoverSpec, params: list, cache: Path) -> list:
    from .discovery import morris, sobol

    if not spec.sensitivity:
        return []
    sim = ModelSimulator(base, list(spec.sensitivity), RunCache(cache))
    seeds = replication_seeds(spec.seed + 1, spec.sensitivity_replications)
    try:
        screen = morris(sim, params, spec.sensitivity, seeds, trajectories=spec.morris_trajectories, seed=spec.seed)
        ranked = screen.indices.groupby("parameter")["mu_star"].max().sort_values(ascending=False)
        top = [p for p in params if p.name in set(ranked.index[: spec.sobol_top])]
        indices = sobol(sim, top, spec.sensitivity, seeds, samples=spec.sobol_samples, seed=spec.seed)
    finally:
        sim.close()
    return [screen, indices]


def _world(base: ExperimentConfig, spec: DiscoverSpec, scenario: str, overrides: list[str],
           experiment: list[str]) -> ExperimentConfig:
    """A named scenario (with the user's overrides), or the discovery's base; then `overrides`."""
    if scenario:
        return to_experiment(compose(scenario, [*experiment, *overrides]))
    return to_experiment(compose(None, [*spec.base, *experiment, *overrides])) if overrides else base


def threshold_task(base: ExperimentConfig, spec: DiscoverSpec, name: str, t: ThresholdSpec, params: list,
                   experiment: list[str], cache: Path):
    from .discovery import Parameter, find_threshold, hysteresis

    lever = next((p for p in params if p.name == t.lever), None)
    if t.low is not None and t.high is not None:
        lever = Parameter(t.lever, t.low, t.high, integer=lever.integer if lever else False)
    outcome = f"win.{t.standard}"
    seeds = replication_seeds(spec.seed + 2, spec.threshold_replications)
    if t.starts:
        sims = [ModelSimulator(_world(base, spec, t.scenario, overrides, experiment), [outcome],
                               RunCache(cache / start))
                for start, overrides in t.starts.items()]
        try:
            return hysteresis(*sims, lever, outcome, seeds, starts=tuple(t.starts), grid=spec.threshold_grid,
                              standard=t.standard)
        finally:
            for s in sims:
                s.close()
    sim = ModelSimulator(_world(base, spec, t.scenario, [], experiment), [outcome], RunCache(cache))
    try:
        return find_threshold(sim, lever, outcome, seeds, grid=spec.threshold_grid, standard=t.standard,
                              start=t.scenario or "base")
    finally:
        sim.close()


def kinds_of(outcomes: list[str]) -> list:
    """Declared outcome names as the discovery package's Outcomes: win, lose and fragmented are 0/1
    per run (paired differences get Newcombe's interval, inside [-1, 1]); the rest are continuous."""
    from .discovery import Outcome

    return [Outcome(o, kind="binary" if is_binary(o) else "continuous") for o in outcomes]


def counterfactual_task(spec: DiscoverSpec, experiment: list[str], cache: Path):
    from .discovery import run_counterfactuals

    outcomes = list(spec.counterfactual_outcomes or spec.outcomes)
    declared = kinds_of(outcomes)
    by_baseline: dict[str, dict[str, ModelSimulator]] = {}
    for name in spec.counterfactuals:
        exp = to_experiment(compose(name, experiment))
        against = exp.scenario.claims[0].against if exp.scenario.claims else "historical_2021"
        by_baseline.setdefault(against, {})[name] = ModelSimulator(exp, outcomes, RunCache(cache / name))
    seeds = replication_seeds(spec.seed + 3, spec.counterfactual_replications)
    results = []
    for against, sims in by_baseline.items():
        baseline = ModelSimulator(to_experiment(compose(against, experiment)), outcomes, RunCache(cache / against))
        try:
            results.append(run_counterfactuals(baseline, {}, sims, declared, seeds))
        finally:
            for s in [baseline, *sims.values()]:
                s.close()
    return results


def strategy_task(base: ExperimentConfig, spec: DiscoverSpec, name: str, s: StrategySpec, experiment: list[str],
                  cache: Path):
    from .discovery import cheapest_strategy

    world = _world(base, spec, s.scenario, list(s.overrides), experiment)
    levers = [_parameter(key, lever, lever.choices is None and _key_type(world, key) is int)
              for key, lever in s.levers.items()]
    cost = strategy_cost(s)
    sim = ModelSimulator(world, [s.outcome], RunCache(cache))
    try:
        return cheapest_strategy(sim, levers, cost, s.outcome, replication_seeds(spec.seed + 4,
                                 spec.strategy_replications), candidates=spec.strategy_candidates,
                                 confirm=spec.strategy_confirm, seed=spec.seed, sponsor=name,
                                 start=[dict(s.start)] if s.start else ())
    finally:
        sim.close()


def strategy_cost(s: StrategySpec):
    """cost(values) = sum over levers of price x |value - base| (a categorical lever: price unless it
    keeps its first choice): what a sponsor commits beyond what history did, in set-up costs."""
    def cost(values: dict[str, Any]) -> float:
        total = 0.0
        for key, lever in s.levers.items():
            value = values[key]
            if lever.choices is not None:
                total += lever.price * float(value != lever.choices[0])
            else:
                base = lever.low if lever.base is None else lever.base
                total += lever.price * abs(float(value) - base)
        return total

    return cost


def _key_type(exp: ExperimentConfig, key: str) -> type:
    from .keys import locate

    return locate(exp, key)[2]


def _first(sentences: str) -> str:
    return sentences.split(". ")[0].rstrip(".") + "."


def preface(spec: DiscoverSpec, points: pd.DataFrame, boxes, thresholds, strategies,
            counterfactuals, labels: dict) -> list[str]:
    """The answer in a few lines: where each standard wins, its tipping points, what it would take,
    and which scenarios change the winner."""
    from .discovery.declare import label_of

    found = {b.outcome: b for b in boxes[0]}
    lines = []
    for outcome in spec.outcomes:
        if not outcome.startswith("win."):
            continue
        wins = int(points[outcome].sum())
        line = (f"{label_of(outcome[4:], labels)} wins at {wins} of {len(points)} design points "
                f"({wins / len(points):.0%}; P(win) > 1/2 over {spec.replications} replications)")
        if outcome in found:
            where = " and ".join(found[outcome].conditions(labels)) or "anywhere (no dimension restricted)"
            line += f", mostly where {where}"
        lines.append(line + ".")
    lines += [_first(t.describe(labels)) for t in thresholds]
    lines += [_first(s.describe(labels)) for s in strategies]
    for result in counterfactuals:
        rows = result.table[result.table["outcome"].str.startswith("win.")
                            & ((result.table["lower"] > 0) | (result.table["upper"] < 0))]
        for r in rows.itertuples():
            lines.append(f"{r.scenario} moves {label_of(r.outcome[4:], labels)}'s P(win) from {r.baseline:.2f} "
                         f"to {r.value:.2f} (95% interval of the difference {r.lower:+.2f} to {r.upper:+.2f}).")
    return lines


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _named(name: str, function, args: tuple) -> tuple[str, Any]:
    return name, function(*args)


def _parallel(named: list[tuple[str, tuple]], workers: int) -> Iterator[tuple[str, Any]]:
    """Run (name, (function, args)) tasks on `workers` processes that end with this one; yields
    (name, result) as each finishes, so it is kept before the others end."""
    if workers <= 1 or len(named) <= 1:
        yield from ((name, f(*args)) for name, (f, args) in named)
        return
    from joblib import Parallel, delayed, parallel_config

    from .workers import exit_with_parent

    with parallel_config(backend="loky", initializer=exit_with_parent, initargs=(os.getpid(),)):
        yield from Parallel(n_jobs=min(workers, len(named)), return_as="generator_unordered")(
            delayed(_named)(name, f, args) for name, (f, args) in named)


def run(spec: DiscoverSpec, base: ExperimentConfig, experiment: list[str], *, say=print) -> Path:
    """Every stage (skipping those finished before), then the report; returns the output folder."""
    from .discovery import write_report
    from .sweeps import run_sweep
    from .workers import cores

    folder = folder_of(spec)
    workers = spec.workers or cores()
    sweep = design_sweep(spec, [*spec.base, *experiment], folder)
    say(f"discover {spec.name}: {spec.samples} points x {spec.replications} replications = "
        f"{spec.samples * spec.replications} runs, then boxes, sensitivity, "
        f"{_count(len(spec.thresholds), 'tipping point')}, {_count(len(spec.counterfactuals), 'counterfactual')} "
        f"and {_count(len(spec.strategies), 'strategy search', 'strategy searches')} on "
        f"{_count(workers, 'worker')} -> {folder}")
    start = time.perf_counter()
    results = run_sweep(sweep, command="python -m experiments.discover " + " ".join(experiment))
    if results.failures:
        raise ConfigError(f"discover: {results.failures} design runs failed; see {results.folder}/runs.parquet")
    params = parameters(spec, sweep.kinds)
    keys = list(spec.uncertainties)
    points = point_table(results.runs, keys, list(spec.outcomes))
    say(f"[1/6] design: {len(results.runs)} runs ({time.perf_counter() - start:.0f} s)")
    boxes = _done(folder, "boxes") or _keep(folder, "boxes", boxes_stage(spec, points, params))
    say(f"[2/6] boxes: PRIM and CART on {_count(len(spec.boxes), 'outcome')}")
    tasks, names = [], []
    if not _stage_file(folder, "sensitivity").is_file():
        tasks.append((sensitivity_task, (base, spec, params, folder / "cache" / "sensitivity")))
        names.append("sensitivity")
    for name, t in spec.thresholds.items():
        if not _stage_file(folder, f"threshold-{name}").is_file():
            tasks.append((threshold_task, (base, spec, name, t, params, experiment, folder / "cache" / name)))
            names.append(f"threshold-{name}")
    if spec.counterfactuals and not _stage_file(folder, "counterfactuals").is_file():
        tasks.append((counterfactual_task, (spec, experiment, folder / "cache" / "counterfactuals")))
        names.append("counterfactuals")
    for name, s in spec.strategies.items():
        if not _stage_file(folder, f"strategy-{name}").is_file():
            tasks.append((strategy_task, (base, spec, name, s, experiment, folder / "cache" / f"strategy-{name}")))
            names.append(f"strategy-{name}")
    say(f"[3/6] sensitivity, tipping points, counterfactuals and strategies: {_count(len(tasks), 'task')} to run "
        f"({len(names) and ', '.join(names) or 'all done before'})")
    began = time.perf_counter()
    finished = {}  # computed now; the others were kept by an earlier run
    for k, (name, result) in enumerate(_parallel(list(zip(names, tasks, strict=True)), workers), start=1):
        finished[name] = _keep(folder, name, result)
        say(f"      {k}/{len(tasks)} {name} ({time.perf_counter() - began:.0f} s)")

    def stage(name: str) -> Any:
        return finished[name] if name in finished else _done(folder, name)

    sensitivity = stage("sensitivity") or []
    thresholds = [stage(f"threshold-{n}") for n in spec.thresholds]
    counterfactuals = stage("counterfactuals") or []
    strategies = [stage(f"strategy-{n}") for n in spec.strategies]
    say(f"[4/6] analyses done ({time.perf_counter() - start:.0f} s)")
    words = labels(spec, base)
    write_report(folder, boxes=boxes[0], carts=boxes[1], sensitivity=sensitivity, thresholds=thresholds,
                 strategies=strategies, counterfactuals=counterfactuals, labels=words,
                 title=f"Who wins the credential race, and when: {spec.description or spec.name}",
                 preface=preface(spec, points, boxes, thresholds, strategies, counterfactuals, words))
    say(f"[5/6] report: {folder / 'report.md'}, {folder / 'report.html'}")
    say(f"[6/6] done in {time.perf_counter() - start:.0f} s")
    return folder


@dataclass
class DiscoveryReport:
    """A finished discovery folder, read back for a notebook: the "In short" answer, the tables
    and the figures (the same files `report.md` shows)."""

    folder: Path
    in_short: str  # the report's first section, Markdown
    boxes: pd.DataFrame
    sensitivity: pd.DataFrame
    thresholds: pd.DataFrame
    what_it_takes: pd.DataFrame
    counterfactuals: pd.DataFrame
    figures: dict[str, Path]  # file stem -> PNG path (box_0_win_eu_dcc, hysteresis_1_..., ...)

    def figure(self, prefix: str) -> list[Path]:
        """The figures whose name starts with `prefix` ("box_", "what_it_takes", "hysteresis")."""
        return [path for stem, path in self.figures.items() if stem.startswith(prefix)]


def discover(overrides: list[str]) -> Path:
    """Run (or resume) a discovery from Python, as `credential-race discover OVERRIDES` does; the folder."""
    spec, base, experiment = load(overrides)
    return run(spec, base, experiment)


def open_report(folder: str | Path) -> DiscoveryReport:
    """Read a discovery folder; FileNotFoundError naming the file when it is not a finished one."""
    folder = Path(folder)
    text = (folder / "report.md").read_text()
    lines = text.splitlines()
    start = lines.index("## In short") + 1 if "## In short" in lines else 0
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    tables = {name: pd.read_csv(folder / f"{name}.csv") for name in
              ("boxes", "sensitivity", "thresholds", "what_it_takes", "counterfactuals")}
    figures = {p.stem: p for p in sorted((folder / "figures").glob("*.png"))}
    return DiscoveryReport(folder=folder, in_short="\n".join(lines[start:end]).strip(), figures=figures, **tables)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in argv):
        names = sorted(p.stem for p in (CONFIG_DIR / "discover").glob("*.yaml"))
        print(USAGE.format(names=", ".join(names)))
        return
    show = "--cfg" in argv
    argv = [a for a in argv if a != "--cfg"]
    with guard(checking=True):
        spec, base, experiment = load(argv)
    if show:
        import dataclasses

        import yaml

        print(yaml.safe_dump({"discover": dataclasses.asdict(spec)}, sort_keys=False))
        print(f"# {spec.samples} points x {spec.replications} replications = {spec.samples * spec.replications} "
              f"design runs -> {folder_of(spec)}")
        return
    with guard(interrupted=lambda: f"interrupted: finished runs are kept in {folder_of(spec)}; "
                                   "run the same command to resume"):
        folder = run(spec, base, experiment)
    text = (folder / "report.md").read_text()
    print("\n".join(text.splitlines()[:40]))
    if len(text.splitlines()) > 40:
        print(f"... ({folder / 'report.md'} has the whole report)")


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
