"""``flask seed-demo``: the demo data that follows the calendar."""

from __future__ import annotations

import click
from flask import Flask

from .transactions import transactional


@click.command("seed-demo")
@transactional
def seed_demo_command() -> None:
    """Load the demo data; running it again changes nothing."""
    from .demo import seed_demo

    created = seed_demo()
    if created:
        click.echo("Demo data loaded: " + ", ".join(f"{count} new {name}" for name, count in created.items()) + ".")
    else:
        click.echo("Demo data is up to date; nothing changed.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
