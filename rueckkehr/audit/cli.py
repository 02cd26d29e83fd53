"""``flask audit tail``: the newest entries of the audit trail (the workspace shows them at /organizer/audit)."""

from __future__ import annotations

import json

import click
from sqlalchemy import select

from ..dates import BERLIN
from ..extensions import db
from .models import AuditEntry


@click.group("audit")
def audit_cli() -> None:
    """Read the audit trail."""


def format_entry(entry: AuditEntry) -> str:
    """One entry on one line: time (Berlin), actor, verb, object, changes."""
    actor = entry.actor_kind.value + (f" {entry.actor_user_id}" if entry.actor_user_id else "")
    if entry.actor_label:
        actor += f" ({entry.actor_label})"
    subject = f"{entry.object_type}:{entry.object_id}" if entry.object_id is not None else entry.object_type
    changes = json.dumps(entry.changes, ensure_ascii=False, sort_keys=True) if entry.changes else ""
    when = entry.created_at.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S")
    return " ".join(part for part in (when, actor, entry.verb, subject, changes) if part)


@audit_cli.command("tail")
@click.option("-n", "--lines", "count", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--verb", help="Only entries whose verb starts with this, e.g. registration.")
def tail_command(count: int, verb: str | None) -> None:
    """Print the newest entries, oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(count)
    if verb:
        query = query.where(AuditEntry.verb.startswith(verb, autoescape=True))
    for entry in reversed(list(db.session.scalars(query))):
        click.echo(format_entry(entry))
