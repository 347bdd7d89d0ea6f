"""A three-country world small enough to check every number by hand.

Travel shares (row = origin):      A     B     C        travel weight
                          A        -   0.75  0.25           0.5
                          B      0.5     -   0.5            0.3
                          C      1.0   0.0    -             0.2
Democracy A 8, B 6, C 2 (privacy concern 0.8, 0.6, 0.2). GDP per head A 40k, B 10k, C 1k.
Mutual ties: A-B 0.625, A-C 0.625, B-C 0.25 (candidate pairs in that order).
"""

from __future__ import annotations

import numpy as np

from model import (
    CredentialModel,
    DecisionParams,
    ModelParams,
    OrganisationSpec,
    PairDealParams,
    ScenarioParams,
    StandardSpec,
    VaccineParams,
    WinRule,
)
from model.world import World

A, B, C = 0, 1, 2


def three_countries(chinese: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> World:
    """The world above; `chinese` is each country's share of Chinese vaccine products."""
    travel = np.array([[0.0, 0.75, 0.25], [0.5, 0.0, 0.5], [1.0, 0.0, 0.0]])
    return World(
        codes=np.array(["AAA", "BBB", "CCC"]), names=np.array(["A", "B", "C"], dtype=object),
        region=np.array(["North", "North", "South"], dtype=object), lat=np.zeros(3), lon=np.zeros(3),
        population=np.array([1e6, 1e6, 1e6]), gdp=np.array([4e10, 1e10, 1e9]),
        democracy=np.array([8.0, 6.0, 2.0]), travel=travel, travel_weight=np.array([0.5, 0.3, 0.2]),
        blocs={"NORTH": np.array([0, 1])}, source="tests/tiny.py",
        vaccine_share={"chinese": np.array(chinese, dtype=float)},
    )


def silent_decision(**weights) -> DecisionParams:
    """Every utility term off, then the given ones on."""
    base = dict(rationality=float("inf"), revision_rate=0.0, network_weight=0.0, alignment_weight=0.0,
                political_similarity=0.0, deal_alignment=0.0, privacy_weight=0.0, adoption_cost=0.0,
                openness_discount=0.0, wealth_discount=0.0, endorsement_value=0.0, switching_cost=0.0,
                verification_privacy=0.0)
    base.update(weights)
    return DecisionParams(**base)


def two_standards(**overrides) -> dict[str, StandardSpec]:
    s1 = dict(name="One", launch="2021-01", surveillance=0.0, openness=1.0)
    s2 = dict(name="Two", launch="2021-01", surveillance=0.5, openness=0.0, verification="online")
    s1.update(overrides.get("s1", {}))
    s2.update(overrides.get("s2", {}))
    return {"s1": StandardSpec(**s1), "s2": StandardSpec(**s2)}


def tiny_model(decision: DecisionParams | None = None, standards=None, sponsors=None, events=None,
               pair_deals: PairDealParams | None = None, horizon: int = 6, rng: int = 0,
               openness: dict | None = None, organisations: dict | None = None, world: World | None = None,
               win: WinRule | None = None) -> CredentialModel:
    params = ModelParams(
        decision=decision or silent_decision(),
        pair_deals=pair_deals or PairDealParams(enabled=False),
        vaccines=VaccineParams(reliance={"chinese": 1.0}),
        standards=standards or two_standards(),
        sponsors=sponsors or {},
        organisations={"WHO": OrganisationSpec(name="WHO", join_cost=0.0)} if organisations is None else organisations,
        scenario=ScenarioParams(start="2021-01", horizon=horizon, events=events or {}, openness=openness or {},
                                win=win or WinRule()),
    )
    return CredentialModel(world=world or three_countries(), params=params, rng=rng)


def place(model: CredentialModel, **states: str) -> None:
    """Put countries on standards by id, e.g. place(m, A="s1", C="none"), launching everything."""
    model.launched[:] = True
    model.available[:] = ~model.excluded
    for name, sid in states.items():
        model.set_state(globals()[name], model.index_of[sid])
