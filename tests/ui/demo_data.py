"""The data the GUI tests run on: the demo data set (services.demo)."""

from __future__ import annotations

from smartconf.services.demo import load_demo
from smartconf.store.database import Database
from smartconf.store.session import unit_of_work

ACTOR = "tester"


def fill_database(database: Database) -> None:
    """Load the demo data into an empty database."""
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR)


class Known:
    """Values the demo data is known to hold (the pages must show them)."""

    conference_title = ("Protecting Critical Infrastructure under Kosovo's Law: the Role of the "
                        "Division for Critical Infrastructure")
    conference_code = "SB-CI"
    cyrillic_colic = "Ђорђе Чолић"  # as written
    latin_colic = "Đorđe Čolić"  # its Latin form
    ministry = "Ministry of Internal Affairs"
    division = "Division for Critical Infrastructure"  # inside the ministry
    room = "Diamond Ballroom"
    agenda_title = ("The Division for Critical Infrastructure: mandate, first designations and "
                    "the road ahead")
    agenda_time = "09:30–10:00"  # conference time zone
    participant = "Egzon Ahmeti"
    checked_in = "Erëza Maloku"  # the latest admission at the running conference
    outcome_text = ("The Division will publish the draft administrative instruction on "
                    "designation criteria for public consultation.")
