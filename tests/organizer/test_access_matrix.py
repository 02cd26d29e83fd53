"""The role matrix: every organizer route, for an admin, an organizer of the town, one of another town, an employer
and a visitor. An organizer of Senftenberg gets 404 for every object of Finsterwalde; a new organizer route that
is not in the matrix makes the first test fail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rueckkehr.accounts.models import Role, User
from rueckkehr.events.models import Event, EventStatus
from rueckkehr.extensions import db
from rueckkehr.mail.models import OutboxMessage, OutboxStatus
from rueckkehr.registrations.models import Registration, RegistrationStatus

# (method, rule as in the URL map, what it names): "town" = an object of Finsterwalde, "admin" = admins only,
# "shared" = shared by every town (series), "list" = a page of the organizer's own things, "own" = something of the
# Finsterwalde organizer alone (a background export): even an admin gets 404.
MATRIX: list[tuple[str, str, str]] = [
    ("GET", "/organizer", "list"),
    ("GET", "/organizer/mails", "list"),
    ("POST", "/organizer/mails/<int:message_id>/retry", "town"),
    ("GET", "/organizer/audit", "list"),
    ("GET", "/organizer/security", "list"),
    ("POST", "/organizer/security", "list"),
    ("GET", "/organizer/accounts", "admin"),
    ("POST", "/organizer/accounts", "admin"),
    ("GET", "/organizer/accounts/<int:user_id>", "admin"),
    ("POST", "/organizer/accounts/<int:user_id>", "admin"),
    ("POST", "/organizer/accounts/<int:user_id>/<action>", "admin"),
    ("GET", "/organizer/events", "list"),
    ("GET", "/organizer/events/new", "list"),
    ("POST", "/organizer/events/new", "list"),
    ("GET", "/organizer/events/<int:event_id>", "town"),
    ("GET", "/organizer/events/<int:event_id>/edit", "town"),
    ("POST", "/organizer/events/<int:event_id>/edit", "town"),
    ("GET", "/organizer/events/<int:event_id>/move", "town"),
    ("POST", "/organizer/events/<int:event_id>/move", "town"),
    ("GET", "/organizer/events/<int:event_id>/cancel", "town"),
    ("POST", "/organizer/events/<int:event_id>/cancel", "town"),
    ("POST", "/organizer/events/<int:event_id>/delete", "town"),
    ("POST", "/organizer/events/<int:event_id>/publish", "town"),
    ("POST", "/organizer/events/<int:event_id>/duplicate", "town"),
    ("POST", "/organizer/events/<int:event_id>/programme", "town"),
    ("POST", "/organizer/events/<int:event_id>/programme/<int:item_id>/delete", "town"),
    ("GET", "/organizer/series", "list"),
    ("POST", "/organizer/series", "list"),
    ("GET", "/organizer/series/<int:series_id>", "shared"),
    ("GET", "/organizer/series/<int:series_id>/edit", "town"),  # a series of Finsterwalde's events: theirs to change
    ("POST", "/organizer/series/<int:series_id>/edit", "town"),
    ("POST", "/organizer/series/<int:series_id>/publish", "shared"),
    ("GET", "/organizer/series/<int:series_id>/registrations", "shared"),
    ("GET", "/organizer/venues", "list"),
    ("GET", "/organizer/venues/new", "list"),
    ("POST", "/organizer/venues/new", "list"),
    ("GET", "/organizer/venues/<int:venue_id>", "town"),
    ("POST", "/organizer/venues/<int:venue_id>", "town"),
    ("GET", "/organizer/events/<int:event_id>/registrations", "town"),
    ("GET", "/organizer/events/<int:event_id>/registrations/walk-in", "town"),
    ("POST", "/organizer/events/<int:event_id>/registrations/walk-in", "town"),
    ("GET", "/organizer/events/<int:event_id>/registrations/<int:registration_id>", "town"),
    ("GET", "/organizer/events/<int:event_id>/registrations/<int:registration_id>/cancel", "town"),
    ("POST", "/organizer/events/<int:event_id>/registrations/<int:registration_id>/cancel", "town"),
    ("POST", "/organizer/events/<int:event_id>/registrations/<int:registration_id>/move-up", "town"),
    ("GET", "/organizer/events/<int:event_id>/mail", "town"),
    ("POST", "/organizer/events/<int:event_id>/mail", "town"),
    ("GET", "/organizer/events/<int:event_id>/check-in", "town"),
    ("GET", "/organizer/events/<int:event_id>/check-in/list.json", "town"),
    ("POST", "/organizer/events/<int:event_id>/check-in/scans", "town"),
    ("GET", "/organizer/approvals", "list"),
    ("GET", "/organizer/approvals/<kind>/<int:item_id>", "town"),
    ("POST", "/organizer/approvals/<kind>/<int:item_id>/approve", "town"),
    ("POST", "/organizer/approvals/<kind>/<int:item_id>/decline", "town"),
    ("GET", "/organizer/advice", "list"),
    ("POST", "/organizer/advice/take", "town"),
    ("GET", "/organizer/advice/<int:talk_id>", "town"),
    ("POST", "/organizer/advice/<int:talk_id>", "town"),
    ("GET", "/organizer/towns", "list"),
    ("GET", "/organizer/towns/<slug>", "town"),
    ("POST", "/organizer/towns/<slug>", "town"),
    ("GET", "/organizer/events/<int:event_id>/export", "town"),
    ("POST", "/organizer/events/<int:event_id>/export", "town"),
    ("GET", "/organizer/series/<int:series_id>/export", "town"),
    ("POST", "/organizer/series/<int:series_id>/export", "town"),
    ("POST", "/organizer/exports/presets/<int:preset_id>/delete", "town"),
    ("GET", "/organizer/exports/<int:job_id>", "own"),
    ("GET", "/organizer/exports/<int:job_id>/download", "own"),
    ("GET", "/organizer/figures", "list"),
    ("GET", "/organizer/figures/events/<int:event_id>", "town"),
    ("GET", "/organizer/figures/series/<int:series_id>", "town"),
    ("GET", "/organizer/figures/events/<int:event_id>/figures.csv", "town"),
    ("GET", "/organizer/figures/series/<int:series_id>/figures.csv", "town"),
    ("GET", "/organizer/figures/events/<int:event_id>/<dimension>.svg", "town"),
    ("GET", "/organizer/figures/series/<int:series_id>/<dimension>.svg", "town"),
    ("GET", "/organizer/retention", "admin"),
]
PUBLIC_ORGANIZER_RULES = {"/organizer/join/<token>"}  # behind a token from a mail, for people not logged in yet


def requests_for(objects: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every row of the matrix as a request: method, path, scope, form data (approvals once per kind)."""
    requests = []
    for method, rule, scope in MATRIX:
        data = {"profile_id": objects["profile_id"], "town_id": objects["town_id"]} if rule.endswith("/take") else {}
        if rule == "/organizer/security":
            data = {"action": "renew"}  # the button's own word (anything else is a 400)
        if "<kind>" in rule:
            for kind, item_id in objects["kinds"].items():
                path = rule.replace("<kind>", kind).replace("<int:item_id>", str(item_id))
                requests.append((method, path, scope, {"reason": "Nein."}))
            continue
        path = rule
        for name in (
            "event_id",
            "item_id",
            "series_id",
            "venue_id",
            "registration_id",
            "message_id",
            "user_id",
            "talk_id",
            "preset_id",
            "job_id",
        ):
            path = path.replace(f"<int:{name}>", str(objects[name]))
        path = path.replace("<slug>", objects["slug"]).replace("<action>", objects["action"])
        path = path.replace("<dimension>", "hometown")
        requests.append((method, path, scope, data))
    return requests


def test_the_matrix_covers_every_organizer_route(app: Flask) -> None:
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/organizer") and rule.rule not in PUBLIC_ORGANIZER_RULES
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert rules == {(method, rule) for method, rule, _scope in MATRIX}


def test_an_organizer_of_senftenberg_gets_404_for_everything_of_finsterwalde(
    client: FlaskClient, finsterwalde: dict[str, Any], make_staff: Callable[..., User], staff_login: Callable
) -> None:
    staff_login(client, make_staff())
    for method, path, scope, data in requests_for(finsterwalde):
        response = client.open(path, method=method, data=data)
        text = response.get_data(as_text=True)
        if scope in ("town", "admin", "own"):
            assert response.status_code == 404, (method, path, response.status_code)
        else:
            assert response.status_code in (200, 303, 422), (method, path, response.status_code)
        for secret in ("Geheimtag Finsterwalde", "Greta", "Geheime Mail", "Sängerstadt Werke", "Geheime Stelle"):
            assert secret not in text, (method, path, secret)
    db.session.rollback()
    event = db.session.get(Event, finsterwalde["event_id"])
    assert event.status == EventStatus.PUBLISHED
    assert db.session.get(Registration, finsterwalde["registration_id"]).status == RegistrationStatus.WAITING
    assert db.session.get(OutboxMessage, finsterwalde["message_id"]).status == OutboxStatus.FAILED
    assert db.session.get(User, finsterwalde["user_id"]).active


def test_an_organizer_of_finsterwalde_and_an_admin_reach_them(
    client: FlaskClient, finsterwalde: dict[str, Any], make_staff: Callable[..., User], staff_login: Callable
) -> None:
    for user, allowed in (
        (db.session.get(User, finsterwalde["user_id"]), {"town", "shared", "list", "own"}),
        (make_staff(role=Role.ADMIN), {"town", "shared", "list", "admin"}),
    ):
        staff_login(client, user)
        for method, path, scope, _data in requests_for(finsterwalde):
            if method == "GET" and scope in allowed:
                response = client.get(path)
                assert response.status_code == 200, (user.role, path, response.status_code)
            elif method == "GET":
                assert client.get(path).status_code == 404, (user.role, path)
        assert "Geheimtag Finsterwalde" in client.get("/organizer").get_data(as_text=True)
        client.post("/logout")


def test_visitors_employers_and_half_logged_in_organizers_stay_out(
    client: FlaskClient,
    finsterwalde: dict[str, Any],
    make_employer: Callable[..., Any],
    make_staff: Callable[..., User],
    login: Callable,
) -> None:
    for method, path, _scope, data in requests_for(finsterwalde):
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302 and "/login" in response.location, (method, path)
    organizer = make_staff()
    client.post("/login", data={"email": organizer.email, "password": "correct horse battery staple"})
    for method, path, _scope, data in requests_for(finsterwalde):  # password given, second factor not yet
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302 and "/login" in response.location, (method, path)
    client.post("/logout")
    login(client, make_employer().users[0].email)
    for method, path, _scope, data in requests_for(finsterwalde):
        assert client.open(path, method=method, data=data).status_code == 404, (method, path)


@pytest.mark.parametrize(
    "path",
    [
        "/organizer/events/99999999999999999999",
        "/organizer/events/2147483648",
        "/organizer/events/0/registrations",
        "/organizer/approvals/unknown/1",
        "/organizer/approvals/employers/9999999999",
        "/organizer/towns/%00",
        "/towns/%00",
        "/events?town=%00",
        "/organizer/mails/4294967296/retry",
    ],
)
def test_odd_ids_are_404(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, path: str
) -> None:
    staff_login(client, make_staff(role=Role.ADMIN))
    method = "POST" if path.endswith("retry") else "GET"
    assert client.open(path, method=method).status_code == 404


def test_odd_parameters_never_break_a_list(
    client: FlaskClient, make_staff: Callable[..., User], staff_login: Callable, make_event: Callable[..., Event]
) -> None:
    staff_login(client, make_staff(role=Role.ADMIN))
    event = make_event(starts_at=datetime.now(UTC) + timedelta(days=3))
    for query in ("?q=%00", "?status=%00x", "?verb=%00"):  # a NUL byte anywhere is refused before any view runs
        assert client.get(f"/organizer/events/{event.id}/registrations{query}").status_code == 404, query
        assert client.get(f"/organizer/audit{query}").status_code == 404, query
    for query in (
        "?page=99999999999999",
        "?page=0",
        "?sort=';drop",
        "?level=abc",
        "?hometown=&hometown_op=not",
        "?interest=%22%25",
        "?field=x" * 30,
        "?status=abc",
        "?status=CONFIRMED&status_op=not",
        "?hometown=xyz&level=9&status=waiting",
    ):
        assert client.get(f"/organizer/events/{event.id}/registrations{query}").status_code == 200, query
        assert client.get(f"/organizer/events/{event.id}/export{query}").status_code == 200, query
    for query in ("?person=x", "?from=31.02.2026", "?object_id=99999999999", "?page=0", "?page=00"):
        assert client.get(f"/organizer/audit{query}").status_code == 200, query


def test_the_work_before_a_404_tells_nothing_of_another_towns_registrations(
    app: Flask,
    client: FlaskClient,
    finsterwalde: dict[str, Any],
    make_staff: Callable[..., User],
    make_event: Callable[..., Event],
    staff_login: Callable,
) -> None:
    """However an organizer of Senftenberg searches, filters or pages Finsterwalde's list, the server does for the
    404 what it does for an event that does not exist: the same statements (the log-in check, the page behind its
    towns' gate, the event, the error page's log-in check), and the page's statement stops at its gate before it
    reads a registration: as much work as for an event of that town without any. So neither the answer nor its time
    says whether someone is registered there, or how many.
    """
    from sqlalchemy import event as sqlalchemy_event

    staff_login(client, make_staff())
    empty = make_event(venue=db.session.get(Event, finsterwalde["event_id"]).venue, title="Leerer Tag").id
    db.session.commit()
    statements: list[str] = []
    work: list[tuple[str, Any, int]] = []  # each page statement, its parameters and the work it did (SQLite)

    def keep(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        statements.append(" ".join(statement.split())[:60])
        if "party_size" in statement:
            work.append((statement, parameters, 0))
            if conn.dialect.name == "sqlite":  # count the virtual machine's steps while the statement runs
                conn.connection.driver_connection.set_progress_handler(count_step, 1)

    def count_step() -> int:
        statement, parameters, steps = work[-1]
        work[-1] = (statement, parameters, steps + 1)
        return 0

    def done(conn: Any, *args: Any) -> None:
        if conn.dialect.name == "sqlite":
            conn.connection.driver_connection.set_progress_handler(None, 1)

    def failed(context: Any) -> None:  # a statement that fails leaves no counter on the pooled connection
        if context.connection is not None:
            done(context.connection)

    with app.app_context():
        engine = db.engine
    probes = ("", "?q=geheim@example.org", "?q=nobody@example.org", "?page=2", "?page=999999", "?status=waiting",
              "?status=confirmed", "?hometown=finsterwalde&hometown_op=not&sort=hometown", "?hometown=other",
              "?sort=-name", "?sort=registered", "?sort=-registered", "?sort=status", "?field=43", "?level=2",
              "?interest=advice&interest_op=not")  # fmt: skip
    for query in probes:  # once before: the towns a hometown filter names are read once, then kept
        client.get(f"/organizer/events/{finsterwalde['event_id']}/registrations{query}")
    sqlalchemy_event.listen(engine, "before_cursor_execute", keep)
    sqlalchemy_event.listen(engine, "after_cursor_execute", done)
    sqlalchemy_event.listen(engine, "handle_error", failed)
    try:
        seen = {}
        for event_id in (finsterwalde["event_id"], empty, 2_000_000_000):  # another town's, an empty one, none
            for query in probes:
                statements.clear()
                assert client.get(f"/organizer/events/{event_id}/registrations{query}").status_code == 404, query
                seen[event_id, query] = [
                    statement for statement in statements if statement.upper().startswith("SELECT")
                ]
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", keep)
        sqlalchemy_event.remove(engine, "after_cursor_execute", done)
        sqlalchemy_event.remove(engine, "handle_error", failed)
    assert len(set(map(tuple, seen.values()))) == 1, seen
    assert len(seen[finsterwalde["event_id"], ""]) == 4, seen
    count = len(probes)
    assert len(work) == 3 * count, [statement[:60] for statement, _parameters, _steps in work]
    if db.engine.dialect.name == "sqlite":  # as many steps for the other town's event as for one without anybody
        by_event = [steps for _statement, _parameters, steps in work]
        assert by_event[:count] == by_event[count : 2 * count], list(
            zip(probes, by_event, by_event[count:], strict=False)
        )
    else:  # PostgreSQL: the look-up by the gate's NULL finds nothing, and nothing else that reads registrations ran
        # (the gate's value is shown as $1 up to PostgreSQL 16, as (InitPlan 1).col1 from 17)
        for statement, parameters, _steps in work[:count]:
            with db.engine.connect() as connection:
                plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", parameters).scalar()
            scans = list(_nodes_over("registrations", plan[0]["Plan"]))
            assert scans, plan
            for node in scans:
                assert node["Actual Rows"] == 0 and not node.get("Rows Removed by Filter"), (statement, node)
                condition = node.get("Index Cond", "") + node.get("Recheck Cond", "")  # a bitmap scan's on its heap
                by_gate = "$" in condition or "InitPlan" in condition
                assert node["Actual Loops"] == 0 or by_gate, (statement, node)


def _nodes_over(table: str, node: dict[str, Any]) -> Any:
    """The nodes of a PostgreSQL plan (``EXPLAIN (FORMAT JSON)``) that read ``table``."""
    if node.get("Relation Name") == table:
        yield node
    for child in node.get("Plans", []):
        yield from _nodes_over(table, child)
