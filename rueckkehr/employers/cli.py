"""``flask employers``: approvals on the command line; /organizer/approvals calls the same operations."""

from __future__ import annotations

import click
from flask import current_app

from config import DEFAULT_BASE_URL

from ..transactions import transactional
from .operations import (
    OperationError,
    approve_employer,
    approve_profile_changes,
    confirm_stand,
    decline_profile_changes,
)
from .queries import pending_review
from .vacancies import publish_vacancy


@click.group("employers")
def employers_cli() -> None:
    """Approve employers, publish vacancies, confirm stands.

    The commands that change something deliver their mails before they return: set BASE_URL (the links in the
    mails) and the MAIL_* variables (the mail server) in the shell that runs them, as for the web server.
    """
    if current_app.config["BASE_URL"] == DEFAULT_BASE_URL:
        click.echo(
            f"Warning: BASE_URL is not set, so links in the mails of these commands point to {DEFAULT_BASE_URL}.",
            err=True,
        )


@employers_cli.command("pending")
def pending_command() -> None:
    """List what waits for approval."""
    pending = pending_review()
    for employer in pending["employers"]:
        verified = "verified" if any(user.email_verified_at for user in employer.users) else "address not confirmed"
        click.echo(f"employer {employer.id}: {employer.name} ({employer.town.name}; {verified})")
    for employer in pending["changes"]:
        click.echo(f"changes {employer.id}: {employer.name} ({', '.join(employer.pending_fields)})")
    for vacancy in pending["vacancies"]:
        click.echo(f"vacancy {vacancy.id}: {vacancy.title} ({vacancy.employer.name})")
    for stand in pending["stands"]:
        click.echo(f"stand {stand.id}: {stand.employer.name} at {stand.event.title} (event {stand.event_id})")
    if not any(pending.values()):
        click.echo("Nothing waits for approval.")


@employers_cli.command("approve")
@click.argument("employer_id", type=int)
@transactional
def approve_command(employer_id: int) -> None:
    """Approve an employer: its profile and published vacancies become public."""
    try:
        employer = approve_employer(employer_id)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Approved employer {employer.id}: {employer.name}.")


@employers_cli.command("approve-changes")
@click.argument("employer_id", type=int)
@transactional
def approve_changes_command(employer_id: int) -> None:
    """Let an approved employer's edited name, description, website or logo go public."""
    try:
        employer = approve_profile_changes(employer_id)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Approved the changes of employer {employer.id}: {employer.name}.")


@employers_cli.command("decline-changes")
@click.argument("employer_id", type=int)
@click.option("--reason", required=True, help="Why, in words the company understands; it is mailed to them.")
@transactional
def decline_changes_command(employer_id: int, reason: str) -> None:
    """Keep an approved employer's public profile as it was; its users learn why."""
    try:
        employer = decline_profile_changes(employer_id, reason)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Declined the changes of employer {employer.id}: {employer.name}.")


@employers_cli.command("publish-vacancy")
@click.argument("vacancy_id", type=int)
@transactional
def publish_command(vacancy_id: int) -> None:
    """Approve a submitted vacancy: it goes on the jobs board."""
    try:
        vacancy = publish_vacancy(vacancy_id)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Published vacancy {vacancy.id}: {vacancy.title}.")


@employers_cli.command("confirm-stand")
@click.argument("stand_id", type=int)
@transactional
def confirm_stand_command(stand_id: int) -> None:
    """Confirm a requested stand: the employer shows on the event page."""
    try:
        stand = confirm_stand(stand_id)
    except OperationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Confirmed stand {stand.id}: {stand.employer.name} at {stand.event.title}.")
