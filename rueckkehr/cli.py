"""Command-line tools: ``flask seed-demo`` and ``flask create-user``."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from .accounts.models import Role, User
from .extensions import db
from .places.models import Town

MIN_PASSWORD_LENGTH = 12


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo data; running it again changes nothing."""
    from .demo import seed_demo

    created = seed_demo()
    if created:
        click.echo("Demo data loaded: " + ", ".join(f"{count} new {name}" for name, count in created.items()) + ".")
    else:
        click.echo("Demo data is up to date; nothing changed.")


@click.command("create-user")
@click.option("--email", required=True, help="The login e-mail address.")
@click.option("--password", help="Asked for when not given; it is never printed.")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--town", "town_slugs", multiple=True, help="Slug of a town an organizer manages (repeatable).")
def create_user_command(email: str, password: str | None, role: str, town_slugs: tuple[str, ...]) -> None:
    """Create an account for an admin, an organizer (bound to towns) or an employer."""
    email = email.strip().lower()
    if "@" not in email or any(char.isspace() for char in email):
        raise click.BadParameter("not an e-mail address", param_hint="--email")
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise click.ClickException(f"A user with the address {email} exists already.")
    towns = []
    for slug in town_slugs:
        town = db.session.scalar(select(Town).where(Town.slug == slug))
        if town is None:
            known = ", ".join(db.session.scalars(select(Town.slug).order_by(Town.slug)))
            raise click.BadParameter(f"unknown town {slug!r}; known: {known}", param_hint="--town")
        towns.append(town)
    towns.sort(key=lambda town: town.sort_order)
    if role == Role.ORGANIZER and not towns:
        raise click.BadParameter("an organizer needs at least one --town", param_hint="--town")
    if role != Role.ORGANIZER and towns:
        raise click.BadParameter("only organizers are bound to towns", param_hint="--town")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="--password")
    user = User(email=email, role=Role(role), towns=towns)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    where = f" for {', '.join(town.name for town in towns)}" if towns else ""
    click.echo(f"Created {role} {email}{where}.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_user_command)
