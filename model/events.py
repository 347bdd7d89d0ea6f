"""Dated events: one registry of handlers, each checking its own fields and applying itself.

An event type is a name, the fields it requires, a check and an `apply(model, event, countries)`.
A standard's launch is an ordinary event: the model schedules one per standard at its launch
month (a `launch` event in the scenario only moves that date). `docs/ODD.md` 7.7 has the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .params import ConfigError, EventSpec, ModelParams, ParamInfo, months_between
from .schema import check_month, check_number

if TYPE_CHECKING:
    from .model import CredentialModel

UNIT = ParamInfo("level", "share", 0.0, 1.0)
MULTIPLIER = ParamInfo("multiplier", "multiplier", 0.0, 100.0)
INCENTIVE = ParamInfo("incentive", "share of the adoption cost", 0.0, 10.0)
MONTHS = ParamInfo("months", "months", 0, 1200, integer=True)


@dataclass(frozen=True)
class EventType:
    name: str
    summary: str  # what it does, for the ODD and --help
    apply: Callable[[CredentialModel, EventSpec, np.ndarray], None]
    check: Callable[[ModelParams, EventSpec, str], None]
    uses: frozenset[str]  # the numeric fields it reads (any other set number is refused: it would be ignored)


EVENT_TYPES: dict[str, EventType] = {}


def event_type(name: str, summary: str, check: Callable[[ModelParams, EventSpec, str], None], uses=()):
    def register(apply):
        EVENT_TYPES[name] = EventType(name, summary, apply, check, frozenset(uses))
        return apply
    return register


# ---------------------------------------------------------------- checks shared by several types

def _standard_after_launch(p: ModelParams, ev: EventSpec, key: str) -> None:
    """The event names a known standard and does not come before its launch."""
    p.require_standard(ev.standard, f"{key}.standard")
    launch = p.launch_month(ev.standard)
    if months_between(launch, ev.date) < 0:
        raise ConfigError(f"{key}.date: {ev.date} is before {ev.standard}'s launch {launch}")


def _organisation(p: ModelParams, ev: EventSpec, key: str) -> None:
    p.require_organisation(ev.by, f"{key}.by")


def _countries_required(ev: EventSpec, key: str) -> None:
    if not ev.countries:
        raise ConfigError(f"{key}.countries: a {ev.type} event needs countries or blocs")


def _value(ev: EventSpec, key: str) -> None:
    if ev.value is None:
        raise ConfigError(f"{key}.value: required for a {ev.type} event, in [0, 1]")
    check_number(ev.value, UNIT, f"{key}.value")


def _optional(ev: EventSpec, key: str, name: str, info: ParamInfo) -> None:
    if getattr(ev, name) is not None:
        check_number(getattr(ev, name), info, f"{key}.{name}")


def validate_event(p: ModelParams, ev: EventSpec, key: str) -> None:
    """Check one event's type, date and the fields its type needs; ConfigError naming the key."""
    if ev.type not in EVENT_TYPES:
        raise ConfigError(f"{key}.type = {ev.type!r}: must be one of {', '.join(EVENT_TYPES)}")
    p.check_in_horizon(ev.date, f"{key}.date")
    for name in ("value", "surveillance", "concern", "incentive", "duration"):
        value = getattr(ev, name)
        uses = EVENT_TYPES[ev.type].uses
        if value is not None and name not in uses:
            raise ConfigError(f"{key}.{name}: a {ev.type} event does not read it; "
                              f"it reads {', '.join(sorted(uses)) or 'no numbers'}")
    EVENT_TYPES[ev.type].check(p, ev, key)


# ---------------------------------------------------------------- the types

def _check_launch(p, ev, key):
    p.require_standard(ev.standard, f"{key}.standard")


@event_type("launch", "the standard can be adopted; its initial adopters adopt it", _check_launch)
def launch(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    model.launch(model.index_of[ev.standard], countries)


def _check_endorse(p, ev, key):
    _standard_after_launch(p, ev, key)
    _organisation(p, ev, key)


@event_type("endorse", "the organisation endorses the standard: a bonus of decision.endorsement_value", _check_endorse)
def endorse(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    model.organisations[ev.by].endorse(model.index_of[ev.standard])


@event_type("host_platform", "the organisation hosts the standard as its platform: members verify it and accept "
                             "each other's credentials; issuers (and `countries`) join at once", _check_endorse)
def host_platform(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    standard = model.index_of[ev.standard]
    founders = countries
    if ev.issuers_join:
        founders = np.union1d(founders, np.flatnonzero(model.state == standard))
    model.organisations[ev.by].host(standard, founders)


def _check_bridge(p, ev, key):
    if len(ev.standards) != 2 or ev.standards[0] == ev.standards[1]:
        raise ConfigError(f"{key}.standards: a bridge joins two different standards, got {ev.standards}")
    for s in ev.standards:
        _standard_after_launch(p, EventSpec(date=ev.date, type="bridge", standard=s), key)
    _organisation(p, ev, key)


@event_type("bridge", "destinations on either standard accept the other's credentials", _check_bridge)
def bridge(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    a, b = (model.index_of[s] for s in ev.standards)
    model.organisations[ev.by].bridge(a, b)


def _check_wave(p, ev, key):
    _standard_after_launch(p, ev, key)
    _countries_required(ev, key)
    if not p.standards[ev.standard].sponsor:
        raise ConfigError(f"{key}.standard: '{ev.standard}' has no sponsor to offer deals")
    _optional(ev, key, "incentive", INCENTIVE)
    _optional(ev, key, "duration", MONTHS)


@event_type("deal_wave", "the sponsor offers a deal to each listed country not on its standard, not locked in, "
                         "not at home and not excluded (no budget charged)", _check_wave,
            uses=("incentive", "duration"))
def deal_wave(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    sponsor = model.sponsor_of[model.index_of[ev.standard]]
    incentive = sponsor.spec.incentive if ev.incentive is None else ev.incentive
    duration = sponsor.spec.duration if ev.duration is None else ev.duration
    free = sponsor.free_to_court()  # the sponsor's targets list does not limit a wave
    for i in countries.tolist():
        if free[i]:
            sponsor.offer(i, incentive, duration, kind="wave")


def _check_scandal(p, ev, key):
    if ev.surveillance is None and ev.concern is None:
        raise ConfigError(f"{key}: a privacy_scandal sets surveillance (with standard) or concern (with countries)")
    if ev.surveillance is not None:
        _standard_after_launch(p, ev, key)
        check_number(ev.surveillance, UNIT, f"{key}.surveillance")
    _optional(ev, key, "concern", MULTIPLIER)


@event_type("privacy_scandal", "the standard's surveillance level is set, and/or the countries' privacy concern "
                               "is multiplied (all countries if none are listed)", _check_scandal,
            uses=("surveillance", "concern"))
def privacy_scandal(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    if ev.surveillance is not None:
        model.surveillance[model.index_of[ev.standard]] = ev.surveillance
    if ev.concern is not None:
        who = countries if len(countries) else slice(None)
        model.concern[who] = model.concern[who] * ev.concern


def _check_openness(p, ev, key):
    _countries_required(ev, key)
    _value(ev, key)


@event_type("travel_openness", "the countries' borders open to `value` (0 closed, 1 open)", _check_openness,
            uses=("value",))
def travel_openness(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    model.openness[countries] = ev.value
    model.refresh_travel()


def _check_demand(p, ev, key):
    _value(ev, key)


@event_type("credential_demand", "the share of borders asking for credentials becomes `value`", _check_demand,
            uses=("value",))
def credential_demand(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    model.demand = ev.value


def _check_adopt(p, ev, key):
    _standard_after_launch(p, ev, key)
    _countries_required(ev, key)
    _optional(ev, key, "duration", MONTHS)


@event_type("adopt", "the countries adopt the standard, locked in for `duration` months if set", _check_adopt,
            uses=("duration",))
def adopt(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    standard = model.index_of[ev.standard]
    model.set_states(countries, np.full(len(countries), standard))
    if ev.duration:
        model.locked_until[countries] = np.maximum(model.locked_until[countries], model.month + ev.duration)


def _check_treaty(p, ev, key):
    _standard_after_launch(p, ev, key)
    _countries_required(ev, key)
    check_month(ev.until, f"{key}.until")
    if months_between(ev.date, ev.until) < 0:
        raise ConfigError(f"{key}.until: {ev.until} is before the treaty's date {ev.date}")


@event_type("treaty", "the countries issue the standard by law and cannot leave it (nor be courted) through "
                      "`until`", _check_treaty)
def treaty(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    standard = model.index_of[ev.standard]
    model.set_states(countries, np.full(len(countries), standard))
    through = months_between(model.params.scenario.start, ev.until) + 1  # may revise from the month after
    model.locked_until[countries] = np.maximum(model.locked_until[countries], through)


def _check_vaccine(p, ev, key):
    if not ev.group:
        raise ConfigError(f"{key}.group: a vaccine_approval names a vaccine group, e.g. chinese")
    if ev.group not in p.vaccines.reliance:
        raise ConfigError(f"{key}.group: unknown vaccine group '{ev.group}'; known: {', '.join(p.vaccines.reliance)}")
    _countries_required(ev, key)


@event_type("vaccine_approval", "the countries recognise the vaccine group at their borders from now on",
            _check_vaccine)
def vaccine_approval(model: CredentialModel, ev: EventSpec, countries: np.ndarray) -> None:
    model.approve_vaccines(ev.group, countries)

