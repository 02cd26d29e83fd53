"""Who acts in the current unit of work: a logged-in user, a returnee through their own link, the public, the system.

The boundary names the actor (a request from its login, ``acting_as`` in the self-service views, the job runner,
the command line), so operations never take it as an argument; the audit trail writes it down.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import click
from flask import g, has_request_context
from flask_login import current_user

_ACTOR_KEY = "rueckkehr_actor"


class ActorKind(enum.StrEnum):
    """A logged-in user, a returnee through their own link, the public (a form), or the system."""

    USER = "user"
    RETURNEE = "returnee"
    PUBLIC = "public"
    SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who acts: the kind, a label that is never a name (a role, a command, a job), and the user or profile."""

    kind: ActorKind
    label: str = ""
    user_id: int | None = None
    profile_id: int | None = None


def user(user_id: int, role: str) -> Actor:
    """A user: logged in, or just now proving who they are (a log-in, the second factor's enrolment or a recovery
    code), which is theirs to be credited with although the request began without them."""
    return Actor(ActorKind.USER, label=role, user_id=user_id)


def returnee(profile_id: int) -> Actor:
    """A returnee acting through their own link."""
    return Actor(ActorKind.RETURNEE, label="self-service link", profile_id=profile_id)


def system(label: str) -> Actor:
    """The system: a periodic job or another process without a person behind it."""
    return Actor(ActorKind.SYSTEM, label=label)


def current_actor() -> Actor:
    """The actor set by ``acting_as``; else the logged-in user or the public in a request; else the command line."""
    chosen: Actor | None = g.get(_ACTOR_KEY)
    if chosen is not None:
        return chosen
    if has_request_context():
        if current_user.is_authenticated:
            return user(current_user.id, str(current_user.role))
        return Actor(ActorKind.PUBLIC, label="public")
    command = click.get_current_context(silent=True)
    return system(command.command_path if command is not None else "system")


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """Name the actor of everything done inside the block."""
    previous = g.get(_ACTOR_KEY)
    setattr(g, _ACTOR_KEY, actor)
    try:
        yield actor
    finally:
        setattr(g, _ACTOR_KEY, previous)
