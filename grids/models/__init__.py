"""The registry's models: one module per subject.

- `registry`: compounds, buildings, units, resident groups, households, sponsor departments
- `residents`: residents, their tags, the personal-data reveal log
- `party`: party organizations, their members, the four-haves checklist and star ratings,
  party-member model households
- `roles`: the "5+3" autonomy roles and their terms
"""

from .party import ModelHousehold, PartyMembership, PartyOrganization, StarRating
from .registry import Building, Compound, Household, ResidentGroup, Sponsorship, Unit
from .residents import Resident, RevealLog, Tag
from .roles import RURAL_CHAIN, SINGLE_HOLDER_KINDS, URBAN_CHAIN, Role, RoleKind, chain_of

__all__ = [
    "RURAL_CHAIN",
    "SINGLE_HOLDER_KINDS",
    "URBAN_CHAIN",
    "ModelHousehold",
    "PartyMembership",
    "PartyOrganization",
    "Role",
    "RoleKind",
    "StarRating",
    "chain_of",
    "Building",
    "Compound",
    "Household",
    "Resident",
    "ResidentGroup",
    "RevealLog",
    "Sponsorship",
    "Tag",
    "Unit",
]
