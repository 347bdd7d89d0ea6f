"""What it takes: the cheapest setting of a sponsor's levers that makes an outcome happen with
P >= 1/2 (or another `target`).

Optimiser: Optuna's TPE sampler, minimising the caller's cost with the constraint
target - P(outcome) <= 0 (Trial.set_constraint). TPE was chosen over ema_workbench's optimisation
(platypus' evolutionary algorithms) because the question is one cheap, known objective under one
noisy constraint, within a budget of tens to a few hundred strategies: TPE models where feasible,
cheap strategies lie and samples there, where an evolutionary algorithm needs thousands of
evaluations and answers a many-objective question. It is seeded, so a search is reproducible.

Budget: `candidates` strategies, each run with the same R `seeds` (common seeds, so two strategies
are compared on the same luck). Most of it goes to TPE; the last `trim_share` trims the best
strategy found: each lever in turn is bisected towards its cheaper end while the estimate stays at
or above the target. TPE finds the region; the trim walks down to its edge, where the optimum
lies when cost and chance of success both rise with a lever.

The best `confirm` strategies are run again on `confirm_seeds`, fresh seeds, since a strategy
picked for its luck on the search seeds looks better than it is: the cheapest that reached the
target in the search; that one made 1, 2, 4 and 8% dearer along the lever trimmed last (the
search seeds' edge is where their luck puts it, the true edge may be a little further up); the
next cheapest that reached the target, each at least 1% dearer than the one before (not copies
of one borderline strategy); then the most successful of the rest. When none of these `confirm`
holds up on the fresh seeds (a borderline strategy and its rungs can fill them all), the other
strategies that reached the target in the search are re-estimated, the most convincing there first
(highest P on the search seeds, then the cheapest), until one holds up or EXTRA_CONFIRM x `confirm`
have been tried in all, so a dearer strategy that surely wins (a known route given as `start`) is
not lost behind lucky cheap ones. The answer is the cheapest
whose re-estimated P reaches the target, with a Wilson interval; when none does, the best found
is returned and flagged (`reached` False) with a plain message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .declare import Labels, Parameter, Simulator, Value, label_of, parameter_names
from .evaluate import common_seeds, run_design
from .intervals import wilson
from .words import format_table, number, setting

Cost = Callable[[dict[str, Value]], float]
MIN_SAVING = 1e-3  # the trim stops bisecting a lever when what is left to save is below this share of the cost
SPACING = 0.01  # strategies re-estimated are at least 1% apart in cost, so they are not five copies of one
LADDER = (0.01, 0.02, 0.04, 0.08)  # the trimmed strategy is also re-estimated this much dearer
EXTRA_CONFIRM = 4  # when none of the first `confirm` holds up, up to this many times `confirm` are re-estimated


def linear_cost(prices: Mapping[str, float]) -> Cost:
    """cost(levers) = sum of price x value over the priced levers (a lever without a price is free)."""
    prices = dict(prices)

    def cost(levers: dict[str, Value]) -> float:
        return float(sum(price * float(levers[name]) for name, price in prices.items()))

    return cost


@dataclass
class Strategy:
    """The cheapest strategy found for one sponsor and outcome, and the search behind it."""

    sponsor: str
    outcome: str
    levers: dict[str, Value]
    cost: float
    win_probability: float  # re-estimated on the confirmation seeds
    lower: float
    upper: float
    reached: bool  # False: nothing within the budget reached the target
    target: float
    candidates: pd.DataFrame  # stage, lever values, cost, probability (on the search seeds)
    confirmed: pd.DataFrame  # lever values, cost, win_probability, lower, upper (confirmation seeds)
    budget: str

    @property
    def message(self) -> str:
        """The verdict in one line, by the outcome's name."""
        chance = f"{self.win_probability:.2f} [{self.lower:.2f}, {self.upper:.2f}]"
        if self.reached:
            return f"cheapest found costs {number(self.cost)} with P = {chance}"
        return (f"nothing within the budget ({self.budget}) reached P({self.outcome}) >= {self.target:g}; the best "
                f"found reaches {chance} at cost {number(self.cost)}")

    def row(self) -> dict:
        """A row of what_it_takes.csv: sponsor, one column per lever, cost, win_probability, lower, upper."""
        return {"sponsor": self.sponsor, **self.levers, "cost": self.cost, "win_probability": self.win_probability,
                "lower": self.lower, "upper": self.upper}

    def describe(self, labels: Labels | None = None) -> str:
        levers = ", ".join(f"{label_of(k, labels)} = {setting(v, k, labels)}" for k, v in self.levers.items())
        what = label_of(self.outcome, labels)
        chance = (f"P = {self.win_probability:.2f} (95% interval {self.lower:.2f} to {self.upper:.2f})")
        if self.reached:
            return f"{label_of(self.sponsor, labels)}: the cheapest strategy found that gives {what} P >= " \
                   f"{self.target:g} costs {number(self.cost)}: {levers}; {chance}. Search: {self.budget}."
        return (f"{label_of(self.sponsor, labels)}: nothing within the budget reached P({what}) >= {self.target:g}; "
                f"the best found reaches {self.win_probability:.2f} [{self.lower:.2f}, {self.upper:.2f}] at cost "
                f"{number(self.cost)} ({levers}). Search: {self.budget}.")

    def __str__(self) -> str:
        return (f"What it takes for {self.outcome} ({self.sponsor}): {self.message}\n"
                f"Re-estimated candidates:\n{format_table(self.confirmed)}")

    def figure(self, labels: Labels | None = None) -> Figure:
        """Cost against P for every strategy tried; the re-estimated ones with their intervals."""
        fig = Figure(figsize=(6, 4), layout="constrained")
        ax = fig.subplots()
        for stage, rows in self.candidates.groupby("stage", sort=False):
            ax.scatter(rows["cost"], rows["probability"], s=12, alpha=0.6, label=f"{stage} (search seeds)")
        c = self.confirmed
        ax.errorbar(c["cost"], c["win_probability"], yerr=[c["win_probability"] - c["lower"],
                                                           c["upper"] - c["win_probability"]],
                    fmt="s", color="black", ms=4, label="re-estimated")
        ax.scatter([self.cost], [self.win_probability], s=150, facecolors="none", edgecolors="red",
                   label="answer" if self.reached else "best found (target not reached)")
        ax.axhline(self.target, color="grey", lw=0.8, ls="--")
        ax.set(xlabel="cost", ylabel=f"P({label_of(self.outcome, labels)})", ylim=(-0.03, 1.03),
               title=f"What it takes: {label_of(self.sponsor, labels)}")
        ax.legend(loc="best", fontsize=7)
        return fig


class _Search:
    """Runs candidate strategies on the search seeds, at most `budget` of them, remembering each."""

    def __init__(self, simulate, levers, cost, outcome, seeds, fixed, target, budget):
        self.simulate, self.levers, self.cost, self.outcome = simulate, levers, cost, outcome
        self.seeds, self.fixed, self.target, self.budget = seeds, fixed, target, budget
        self.rows: list[dict] = []
        self.trimmed: tuple[Parameter, float] | None = None  # the last lever trimmed, and its cheaper end

    @property
    def left(self) -> int:
        return self.budget - len(self.rows)

    def probability(self, values: dict[str, Value], seeds: Sequence[int]) -> np.ndarray:
        design = pd.DataFrame([values]).astype({p.name: p.dtype for p in self.levers})
        y = run_design(self.simulate, design, seeds, [self.outcome], self.fixed)[self.outcome].to_numpy()
        if not np.isin(y, (0.0, 1.0)).all():
            raise ValueError(f"outcome {self.outcome}: not binary (what it takes needs 0/1 runs)")
        return y

    def evaluate(self, values: dict[str, Value], stage: str) -> float:
        p = float(self.probability(values, self.seeds).mean())
        self.rows.append({"stage": stage, **values, "cost": self.cost(values), "probability": p})
        return p

    def best_feasible(self) -> dict | None:
        feasible = [r for r in self.rows if r["probability"] >= self.target]
        return min(feasible, key=lambda r: r["cost"]) if feasible else None


def _tpe(search: _Search, trials: int, seed: int, study=None, start: Sequence[dict] = ()):
    """Run `trials` TPE trials (continuing `study` when given; the `start` strategies first) and
    return the study."""
    import optuna

    def objective(trial) -> float:
        values = {}
        for p in search.levers:
            if p.choices is not None:
                values[p.name] = trial.suggest_categorical(p.name, list(p.choices))
            elif p.integer:
                values[p.name] = trial.suggest_int(p.name, int(p.low), int(p.high), log=p.log)
            else:
                values[p.name] = trial.suggest_float(p.name, p.low, p.high, log=p.log)
        trial.set_constraint("shortfall", search.target - search.evaluate(values, "tpe"))
        return search.cost(values)

    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = study or optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))
        for values in start:
            study.enqueue_trial(dict(values))
        study.optimize(objective, n_trials=trials)
    finally:
        optuna.logging.set_verbosity(verbosity)
    return study


def _trim(search: _Search, steps: int = 12) -> None:
    """Bisect each lever of the best feasible strategy towards its cheaper end, keeping P >= target."""
    improved = True
    while search.left > 0 and improved:
        improved = False
        for p in search.levers:
            best = search.best_feasible()
            if best is None or search.left <= 0:
                return
            current = {q.name: best[q.name] for q in search.levers}
            if p.choices is not None:
                for choice in p.choices:
                    trial = {**current, p.name: choice}
                    if search.left > 0 and search.cost(trial) < best["cost"]:
                        improved |= search.evaluate(trial, "trim") >= search.target
                continue
            ends = [v for v in (p.low, p.high) if search.cost({**current, p.name: v}) < best["cost"]]
            if not ends:
                continue
            cheaper_end = float(min(ends, key=lambda v: search.cost({**current, p.name: v})))
            good, far = float(current[p.name]), cheaper_end
            for _ in range(steps):
                middle = (good + far) / 2
                middle = round(middle) if p.integer else middle
                saving = search.cost({**current, p.name: good}) - search.cost({**current, p.name: far})
                if search.left <= 0 or middle in (good, far) or saving < MIN_SAVING * abs(best["cost"]):
                    break
                if search.evaluate({**current, p.name: middle}, "trim") >= search.target:
                    good, improved = middle, True
                    search.trimmed = (p, cheaper_end)
                else:
                    far = middle


def _ladder(search: _Search, start: dict) -> list[dict]:
    """The trimmed strategy backed off along its last trimmed lever until it costs LADDER more
    (bisection on the lever, which costs no run): the search seeds put the edge where their own
    luck puts it, so the true edge may lie a little further up."""
    if search.trimmed is None:
        return []
    p, cheaper_end = search.trimmed
    dearer_end = p.high if cheaper_end == p.low else p.low
    values = {q.name: start[q.name] for q in search.levers}
    base, rungs = search.cost(values), []
    for step in LADDER:
        goal, near, far = base * (1 + step) if base else step, float(values[p.name]), float(dearer_end)
        if search.cost({**values, p.name: far}) < goal:
            break  # the lever cannot buy that much more
        for _ in range(50):
            middle = (near + far) / 2
            near, far = (middle, far) if search.cost({**values, p.name: middle}) < goal else (near, middle)
        rungs.append({**values, p.name: round(far) if p.integer else far})
    return rungs


def cheapest_strategy(simulate: Simulator, levers: Sequence[Parameter], cost: Cost, outcome: str,
                      seeds: Sequence[int], *, candidates: int = 100, confirm: int = 6,
                      confirm_seeds: Sequence[int] | None = None, fixed: Mapping[str, Value] | None = None,
                      target: float = 0.5, trim_share: float = 0.2, seed: int = 0,
                      sponsor: str | None = None, start: Sequence[Mapping[str, Value]] = ()) -> Strategy:
    """The cheapest lever setting with P(`outcome`) >= `target` (see the module docstring).

    `start`: strategies tried first (a known route to winning, say), so the search can begin from a
    feasible point and spend its budget cutting the cost."""
    if candidates < 1:
        raise ValueError(f"candidates = {candidates}: the evaluation budget needs at least 1 candidate strategy")
    if len(seeds) == 0:
        raise ValueError("seeds: empty; each candidate strategy needs at least one seed")
    if confirm < 1:
        raise ValueError(f"confirm = {confirm}: re-estimate at least the best candidate")
    if not levers:
        raise ValueError("levers: empty; give the sponsor at least one lever")
    names = parameter_names(levers)
    confirm_seeds = list(confirm_seeds) if confirm_seeds is not None else common_seeds(
        max(40, 4 * len(seeds)), seed=seed, stream=1)
    search = _Search(simulate, list(levers), cost, outcome, list(seeds), fixed, target, candidates)
    trim = int(trim_share * candidates) if candidates >= 10 else 0
    study = _tpe(search, candidates - trim, seed, start=[dict(s) for s in start])
    _trim(search)
    if search.left > 0:  # nothing feasible to trim: spend the rest on the search
        _tpe(search, search.left, seed, study)
    table = pd.DataFrame(search.rows)
    unique = table.drop_duplicates(subset=names)
    feasible = unique[unique["probability"] >= target].sort_values("cost", kind="stable")
    kept, last = [], -np.inf
    for i, c in zip(feasible.index, feasible["cost"], strict=True):
        if c >= last + SPACING * abs(last) or not kept:
            kept.append(i)
            last = c
    feasible = feasible.loc[kept]
    others = unique[unique["probability"] < target].sort_values(["probability", "cost"], ascending=[False, True],
                                                                  kind="stable")
    chosen = pd.concat([feasible, others])[names].astype(object).to_dict("records")
    if search.trimmed is not None and len(feasible):
        chosen = chosen[:1] + _ladder(search, chosen[0]) + chosen[1:]
    # if none of the first `confirm` holds up: the rest that reached the target in the search, the
    # most convincing there first (highest P on the search seeds, then the cheapest)
    first = chosen[:confirm]
    more = [r for r in feasible.sort_values(["probability", "cost"], ascending=[False, True], kind="stable")[names]
            .astype(object).to_dict("records") if r not in first][:(EXTRA_CONFIRM - 1) * confirm]
    rows = []
    for k, values in enumerate(first + more):
        if k >= confirm and any(r["win_probability"] >= target for r in rows):
            break  # past the first `confirm`, re-estimate only until one holds up on fresh seeds
        values = {n: v.item() if isinstance(v, np.generic) else v for n, v in values.items()}
        y = search.probability(values, confirm_seeds)
        lower, upper = wilson(int(y.sum()), len(y))
        rows.append({**values, "cost": cost(values), "win_probability": float(y.mean()), "lower": lower,
                     "upper": upper})
    confirmed = pd.DataFrame(rows)
    ok = confirmed[confirmed["win_probability"] >= target].sort_values("cost", kind="stable")
    reached = not ok.empty
    best = ok.iloc[0] if reached else confirmed.sort_values(["win_probability", "cost"], ascending=[False, True],
                                                           kind="stable").iloc[0]
    budget = (f"{len(search.rows)} candidate strategies x {len(seeds)} seeds, the best {len(confirmed)} "
              f"re-run on {len(confirm_seeds)} fresh seeds")
    levers_found = {n: best[n].item() if isinstance(best[n], np.generic) else best[n] for n in names}
    return Strategy(sponsor=sponsor or outcome, outcome=outcome, levers=levers_found,
                    cost=float(best["cost"]), win_probability=float(best["win_probability"]),
                    lower=float(best["lower"]), upper=float(best["upper"]), reached=reached, target=target,
                    candidates=table, confirmed=confirmed, budget=budget)
