"""An agent-based model of the race between digital health-credential standards.

Plain Mesa and numpy: this package never imports hydra, `experiments` or plotting.
"""

from .agents import Country, Organisation, Sponsor
from .choice import choice_probabilities, choose
from .events import EVENT_TYPES
from .model import CredentialModel, default_params
from .params import (
    ClaimSpec,
    ConfigError,
    DecisionParams,
    EventSpec,
    ModelParams,
    OrganisationSpec,
    PairDealParams,
    ScenarioParams,
    SponsorSpec,
    StandardSpec,
    VaccineParams,
    WinRule,
    WorldParams,
    describe,
)
from .world import World, build_world

__all__ = [
    "EVENT_TYPES", "ClaimSpec", "ConfigError", "Country", "CredentialModel", "DecisionParams", "EventSpec",
    "ModelParams", "Organisation", "OrganisationSpec", "PairDealParams", "ScenarioParams", "Sponsor", "SponsorSpec",
    "StandardSpec", "VaccineParams", "WinRule", "World", "WorldParams", "build_world", "choice_probabilities",
    "choose", "default_params", "describe",
]
