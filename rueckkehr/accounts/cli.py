"""``flask create-user``: the first admin (and any other account) from the command line."""

from __future__ import annotations

import click
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from ..places.models import Town
from ..transactions import transactional
from .models import Role
from .operations import create_user


@click.command("create-user")
@click.option("--email", required=True, help="The login e-mail address.")
@click.option("--password", help="Asked for when not given; it is never printed.")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--town", "town_slugs", multiple=True, help="Slug of a town an organizer manages (repeatable).")
@transactional
def create_user_command(email: str, password: str | None, role: str, town_slugs: tuple[str, ...]) -> None:
    """Create an account for an admin, an organizer (bound to towns) or an employer."""
    towns = []
    for slug in town_slugs:
        town = db.session.scalar(select(Town).where(Town.slug == slug))
        if town is None:
            known = ", ".join(db.session.scalars(select(Town.slug).order_by(Town.slug)))
            raise click.BadParameter(f"unknown town {slug!r}; known: {known}", param_hint="--town")
        towns.append(town)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with force_locale("en"):
            user = create_user(email, password, Role(role), towns)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    where = f" for {', '.join(town.name for town in user.towns)}" if user.towns else ""
    click.echo(f"Created {role} {user.email}{where}.")
