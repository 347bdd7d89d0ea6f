"""Check what each named scenario claims against its baseline, on common seeds.

A scenario states its claims in its config (`scenario.claims`: an outcome, a standard, a direction,
the baseline scenario). Replication r of the scenario and of the baseline run on the same seed and,
under a calibrated ensemble, with the same parameter set, so their difference removes the luck both
share. A claim holds when the 95% interval of the paired difference lies entirely on the claimed side
of zero (paired t for counts and shares, Newcombe's interval for wins).

    .venv/bin/python -m experiments.claims                      # every scenario that states claims
    .venv/bin/python -m experiments.claims who_endorses_china replications=100
"""

from __future__ import annotations

import sys
from functools import cache

import numpy as np
import pandas as pd

from model.params import ClaimSpec, ModelParams

from .cli import command_options, guard, integer, usage
from .config import CONFIG_DIR, compose, to_experiment
from .discovery.counterfactuals import paired_difference
from .factory import model_from
from .outcomes import parse, read_all
from .runner import RunRecord, record_of, replication_seeds

COLUMNS = ["scenario", "outcome", "direction", "baseline", "value", "difference", "lower", "upper", "holds"]


def claim_outcome(claim: ClaimSpec) -> str:
    """The declared outcome a claim reads (experiments/outcomes.py)."""
    if claim.outcome == "win":
        return f"win.{claim.standard}"
    name = claim.outcome if not claim.standard else f"{claim.outcome}.{claim.standard}"
    return f"{name}@{claim.month}" if claim.month else name


@cache
def _runs(scenario: str, replications: int, seed: int) -> list[tuple[ModelParams, RunRecord]]:
    """`replications` runs of a scenario on the common seeds, each with its parameters (cached, so a
    scenario and a baseline shared by several claims run once)."""
    exp = to_experiment(compose(scenario))
    runs = []
    for r, s in enumerate(replication_seeds(seed, replications)):
        model = model_from(exp, s).run()
        runs.append((model.params, record_of(model, r, s)))
    return runs


def _values(scenario: str, name: str, replications: int, seed: int) -> np.ndarray:
    """One declared outcome over the runs of a scenario."""
    return np.array([read_all([parse(name, params, f"scenario {scenario}")], record, params)[name]
                     for params, record in _runs(scenario, replications, seed)], dtype=float)


def scenarios_with_claims() -> list[str]:
    out = []
    for path in sorted((CONFIG_DIR / "scenario").glob("*.yaml")):
        if to_experiment(compose(path.stem)).scenario.claims:
            out.append(path.stem)
    return out


def check(scenario: str, replications: int = 40, seed: int = 0) -> pd.DataFrame:
    """One row per claim of the scenario: baseline and scenario means, the paired difference with
    its 95% interval, and whether the claim holds."""
    claims = to_experiment(compose(scenario)).scenario.claims
    rows = []
    for claim in claims:
        name = claim_outcome(claim)
        base = _values(claim.against, name, replications, seed)
        value = _values(scenario, name, replications, seed)
        found = paired_difference(base, value, kind="binary" if claim.outcome == "win" else "continuous")
        holds = found["lower"] > 0 if claim.direction == "up" else found["upper"] < 0
        rows.append({"scenario": scenario, "outcome": name, "direction": claim.direction,
                     **{k: found[k] for k in ("baseline", "value", "difference", "lower", "upper")},
                     "holds": bool(holds and np.isfinite(found["difference"]))})
    return pd.DataFrame(rows, columns=COLUMNS)


HELP = usage("claims", "[SCENARIO ...] [replications=N] [seed=S]",
             "Check each named scenario's stated effect (scenario.claims) against its baseline on common seeds:\n"
             "the paired difference with its 95% interval; exit 1 if a claim does not hold.",
             [("SCENARIO", "scenarios to check (default: every scenario that states claims)"),
              ("replications=N", "runs of each scenario and of its baseline (default 40)"),
              ("seed=S", "experiment seed the common seeds are spawned from (default 0)")],
             ["", "who_endorses_china replications=100"])


def main(argv: list[str] | None = None) -> None:
    parsed = command_options(argv, HELP, {"replications": "40", "seed": "0"}, "claims", positional=100)
    if parsed is None:
        return
    options, names = parsed
    with guard(checking=True):
        replications, seed = integer(options, "replications", 2), integer(options, "seed", 0)
        for name in names:
            to_experiment(compose(name))
    names = names or scenarios_with_claims()
    print(f"claims: {len(names)} scenario(s), {replications} replications each and of each baseline, seed {seed}",
          flush=True)
    with guard():
        tables = [check(s, replications, seed) for s in names]
    table = pd.concat(tables, ignore_index=True)
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if not table["holds"].all():
        sys.exit(1)


if __name__ == "__main__":
    main()
