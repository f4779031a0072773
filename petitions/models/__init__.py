"""The casework's models, one module per subject.

- `visits`: door-to-door visits (走访), their photos, and visit frequencies for key groups
- `petitions`: petitions (诉求), their categories and their immutable events
"""

from .petitions import Category, Petition, PetitionEvent, PetitionPhoto
from .visits import Visit, VisitFrequency, VisitPhoto

__all__ = [
    "Category",
    "Petition",
    "PetitionEvent",
    "PetitionPhoto",
    "Visit",
    "VisitFrequency",
    "VisitPhoto",
]
