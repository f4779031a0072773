"""`refused`: call a transition expected to be refused, check it changed nothing, return why."""

import pytest
from django.utils import translation

from petitions.models import Petition, PetitionEvent
from petitions.services.transitions import TransitionError


def refused(func, petition, **kw) -> str:
    before = Petition.objects.get(pk=petition.pk)
    events = PetitionEvent.objects.count()
    with pytest.raises(TransitionError) as excinfo, translation.override("zh-hans"):
        func(petition, **kw)
    after = Petition.objects.get(pk=petition.pk)
    assert (after.status, after.level, after.version) == (
        before.status,
        before.level,
        before.version,
    )
    assert PetitionEvent.objects.count() == events
    return excinfo.value.message
