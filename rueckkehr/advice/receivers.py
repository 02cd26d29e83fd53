"""How advice talks answer the returnees package: an erased returnee's talks and notes go with them."""

from __future__ import annotations

from datetime import datetime

from ..returnees import signals
from ..returnees.models import ReturneeProfile
from .operations import erase_talks_of


@signals.profile_erasing.connect
def erase_talks(profile: ReturneeProfile, *, now: datetime) -> None:
    """Delete the advice talks of a profile that is being erased."""
    erase_talks_of(profile)
