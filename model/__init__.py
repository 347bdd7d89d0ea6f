"""An agent-based model of the race between digital health-credential standards.

Plain Mesa and numpy: this package never imports hydra, `experiments` or plotting.
"""

from .agents import Country, Organisation, Sponsor
from .choice import choice_probabilities, choose
from .model import CredentialModel, default_params
from .params import (
    ConfigError,
    DecisionParams,
    EventSpec,
    ModelParams,
    PairDealParams,
    ScenarioParams,
    SponsorSpec,
    StandardSpec,
    WorldParams,
)
from .world import World, build_world

__all__ = [
    "ConfigError", "Country", "CredentialModel", "DecisionParams", "EventSpec", "ModelParams",
    "Organisation", "PairDealParams", "ScenarioParams", "Sponsor", "SponsorSpec", "StandardSpec",
    "World", "WorldParams", "build_world", "choice_probabilities", "choose", "default_params",
]
