"""``flask matches send-digests``: one round of job-alert digests, as the periodic job runs it."""

from __future__ import annotations

import click

from ..transactions import transactional
from .models import Frequency
from .rounds import send_digests


@click.group("matches")
def matches_cli() -> None:
    """Job matching and alerts."""


@matches_cli.command("send-digests")
@click.option("--frequency", type=click.Choice([frequency.value for frequency in Frequency]), default=None)
@transactional
def send_digests_command(frequency: str | None) -> None:
    """Send one round of digests to every recipient who is due (of one frequency, if given)."""
    counts = send_digests(Frequency(frequency) if frequency else None)
    click.echo(
        f"digests to returnees {counts['returnees']}, to subscribers {counts['subscribers']}, "
        f"nothing new for {counts['nothing_new']}"
    )
