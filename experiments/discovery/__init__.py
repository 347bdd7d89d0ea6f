"""Scenario discovery for the credential race: when does an outcome happen, what moves it, where
does it tip, and what would it take.

Everything here depends on one interface, not on the model: a simulator is any callable
`simulate(params: dict[str, float | int | str], seed: int) -> dict[str, float]` returning the
named outcomes of one run. Parameters (uncertainties and levers) and outcomes are declared with
`Parameter` and `Outcome`; runs use common seeds (seed r is the same for every design point).

    from experiments.discovery import *

    params = [Parameter("decision.privacy_weight", 0.1, 5.0, log=True),
              Parameter("who.platform", choices=("eu", "china", "none"))]
    seeds = common_seeds(20)
    runs = run_design(simulate, lhs_design(params, 500), seeds)         # one row per run
    box = find_box(runs, "win_china_hc", params)                        # PRIM box, with its stability
    rules = cart_rules(runs, "win_china_hc", params)
    screen = morris(simulate, params, ["travel_share_eu_dcc"], seeds[:5])
    keep = [p for p in params if p.name in screen.screened()]
    indices = sobol(simulate, keep, ["travel_share_eu_dcc"], seeds[:5], fixed=defaults)
    tip = find_threshold(simulate, params[0], "win_eu_dcc", seeds, fixed=defaults)
    cost = linear_cost({"sponsors.eu.deals_per_month": 1.0})
    plan = cheapest_strategy(simulate, eu_levers, cost, "win_eu_dcc", seeds, sponsor="eu")
    change = run_counterfactuals(simulate, defaults, {"who_hosts_china": {"who.platform": "china"}},
                                 outcomes, seeds)
    write_report("outputs/discovery", boxes=[box], carts=[rules], sensitivity=[screen, indices],
                 thresholds=[tip], strategies=[plan], counterfactuals=[change], labels=labels)

Modules: declare (parameters, outcomes, labels), evaluate (designs, seeds, runs), prim and cart
(scenario discovery), sensitivity (Morris, Sobol, replication noise), thresholds (tipping points,
hysteresis), counterfactuals (paired differences), what_it_takes (cheapest strategy), report
(files), ema (an ema_workbench Model), intervals and words (helpers), ema_compat (pandas-3 fixes
for ema_workbench 3.0's PRIM).
"""

from .cart import CartResult, cart_rules
from .counterfactuals import Counterfactuals, compare, paired_difference, run_counterfactuals
from .declare import Outcome, Parameter, Simulator
from .ema import ema_model, runs_from_ema
from .evaluate import common_seeds, design_from_unit, lhs_design, point_means, run_design
from .prim import BoxResult, find_box
from .report import write_report
from .sensitivity import SensitivityResult, morris, noise_share, sobol
from .thresholds import Hysteresis, Threshold, find_threshold, hysteresis
from .what_it_takes import Strategy, cheapest_strategy, linear_cost

__all__ = ["BoxResult", "CartResult", "Counterfactuals", "Hysteresis", "Outcome", "Parameter", "SensitivityResult",
           "Simulator", "Strategy", "Threshold", "cart_rules", "cheapest_strategy", "common_seeds", "compare",
           "design_from_unit", "ema_model", "find_box", "find_threshold", "hysteresis", "lhs_design", "linear_cost",
           "morris", "noise_share", "paired_difference", "point_means", "run_counterfactuals", "run_design",
           "runs_from_ema", "sobol", "write_report"]
