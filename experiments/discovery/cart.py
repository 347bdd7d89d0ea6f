"""CART on a binary outcome: ema_workbench's CART tree, its paths to the positive class as rules.

The rules are read from the fitted scikit-learn tree (`CART.clf`), not from `CART.boxes`, which
fails under pandas 3 on integer parameters the way PRIM's paste step does (ema_compat.py). Each
rule merges the splits on one parameter into one condition. Accuracy is given twice: on the runs
the tree was fitted to, and by 5-fold cross-validation (a tree that only memorised the design
scores well on the first and not on the second).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .declare import Labels, Parameter, label_of
from .evaluate import design_columns, outcome_cases
from .words import format_bound, format_table

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    from ema_workbench.analysis import cart as ema_cart

SEP = ema_cart.CART.sep  # between a categorical parameter and its choice in a dummy column's name


def _paths(tree, node: int = 0, path: tuple = ()):
    """(leaf, [(feature index, '<=' or '>', threshold), ...]) for every leaf below `node`."""
    left, right = tree.children_left[node], tree.children_right[node]
    if left == -1:
        yield node, list(path)
        return
    f, t = int(tree.feature[node]), float(tree.threshold[node])
    yield from _paths(tree, left, (*path, (f, "<=", t)))
    yield from _paths(tree, right, (*path, (f, ">", t)))


def _merge(path, features: list[str], x: pd.DataFrame) -> list[tuple[str, str, object, object]]:
    """A path's splits merged per parameter: (name, kind, lower, upper) as PRIM limits are."""
    numeric: dict[str, list[float]] = {}
    chosen: dict[str, set] = {}
    for f, op, t in path:
        name = features[f]
        if SEP in name:  # a 0/1 dummy: '> 0.5' means the choice, '<= 0.5' any other
            column, choice = name.split(SEP, 1)
            choices = chosen.setdefault(column, {str(v) for v in x[column].unique()})
            chosen[column] = {choice} & choices if op == ">" else choices - {choice}
        else:
            low, high = numeric.setdefault(name, [np.nan, np.nan])
            if op == ">":
                numeric[name][0] = t if np.isnan(low) else max(low, t)
            else:
                numeric[name][1] = t if np.isnan(high) else min(high, t)
    merged = [(n, "numeric", lo, hi) for n, (lo, hi) in numeric.items()]
    merged += [(c, "categorical", tuple(sorted(v)), None) for c, v in chosen.items()]
    return merged


@dataclass
class CartResult:
    """The tree's rules for the positive class of one outcome, and how well the tree classifies."""

    outcome: str
    rules: pd.DataFrame  # conditions (list of (name, kind, lower, upper)), rule, coverage, density, mass
    accuracy: float  # on the runs the tree was fitted to
    cv_accuracy: float  # 5-fold cross-validated
    base_rate: float
    tree: object  # the fitted sklearn DecisionTreeClassifier
    features: list[str]

    def rule_text(self, labels: Labels | None = None) -> list[str]:
        """Each rule in words, e.g. 'x1 between 0.2 and 0.5 and x2 > 0.7'."""
        return [" and ".join(format_bound(*c, labels=labels) for c in conditions) or "always"
                for conditions in self.rules["conditions"]]

    def describe(self, labels: Labels | None = None) -> str:
        what = label_of(self.outcome, labels)
        if self.rules.empty:
            return f"CART finds no leaf where {what} is more likely than not (accuracy {self.accuracy:.0%})."
        rules = "; or ".join(self.rule_text(labels))
        return (f"{what}: CART finds it where {rules} (accuracy {self.accuracy:.0%} on the design, "
                f"{self.cv_accuracy:.0%} cross-validated; base rate {self.base_rate:.0%}).")

    def __str__(self) -> str:
        table = self.rules.drop(columns="conditions")
        return (f"CART rules for {self.outcome} (accuracy {self.accuracy:.3f}, cross-validated "
                f"{self.cv_accuracy:.3f}, base rate {self.base_rate:.3f}):\n{format_table(table)}")

    def figure(self, labels: Labels | None = None) -> Figure:
        """The tree (scikit-learn's plot_tree) on a Figure."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from sklearn.tree import plot_tree

        fig = Figure(figsize=(11, 6), layout="constrained")
        FigureCanvasAgg(fig)  # plot_tree measures text with the canvas's renderer
        ax = fig.subplots()
        names = [label_of(f, labels) if SEP not in f else f.replace(SEP, " = ") for f in self.features]
        plot_tree(self.tree, feature_names=names, class_names=["no", "yes"], filled=True, ax=ax, fontsize=7,
                  impurity=False, proportion=True)
        ax.set_title(f"CART: {label_of(self.outcome, labels)}")
        return fig


def cart_rules(runs: pd.DataFrame, outcome: str, parameters: Sequence[str | Parameter], *,
               mass_min: float = 0.05, folds: int = 5, seed: int = 0) -> CartResult:
    """CART on `outcome` (0/1) over the `parameters` columns; leaves hold at least `mass_min` of the runs."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.tree import DecisionTreeClassifier

    y = outcome_cases(runs, outcome, "CART")
    x = design_columns(runs, parameters)
    model = ema_cart.CART(x, y, mass_min=mass_min)
    model.build_tree()
    model.clf.set_params(random_state=seed).fit(model._x, y)  # ema leaves the tie-breaking unseeded
    tree, features = model.clf, list(model.feature_names)
    matrix = np.asarray(model._x, dtype=float)
    positive = list(tree.classes_).index(1)
    rows = []
    for leaf, path in _paths(tree.tree_):
        n = int(tree.tree_.n_node_samples[leaf])
        share = float(tree.tree_.value[leaf][0][positive] / tree.tree_.value[leaf][0].sum())
        if share > 0.5:
            conditions = _merge(path, features, x)
            rows.append({"conditions": conditions, "rule": " and ".join(format_bound(*c) for c in conditions),
                         "coverage": share * n / y.sum(), "density": share, "mass": n / len(y)})
    rules = pd.DataFrame(rows, columns=["conditions", "rule", "coverage", "density", "mass"])
    rules = rules.sort_values("coverage", ascending=False, ignore_index=True)
    folds = min(folds, int(y.sum()), int(len(y) - y.sum()))  # each fold needs both cases
    cv = [np.nan]
    if folds >= 2:
        splits = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        leaf_size = max(1, int(mass_min * len(y)))
        cv = cross_val_score(DecisionTreeClassifier(min_samples_leaf=leaf_size, random_state=seed), matrix, y,
                             cv=splits)
    return CartResult(outcome=outcome, rules=rules, accuracy=float(tree.score(matrix, y)),
                      cv_accuracy=float(np.mean(cv)), base_rate=float(y.mean()), tree=tree, features=features)
