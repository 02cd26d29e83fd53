"""Demo pages of the six towns: living and working there. Only empty sections are filled, so organizers keep theirs."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..places.models import Town

# slug: (intro, work, housing, childcare, leisure); illustrative texts for the demo
PAGES = {
    "finsterwalde": (
        "Die **Sängerstadt** im Süden Brandenburgs: Sitz des RWK-Büros und der Präsenzstelle der BTU.",
        "- Mittelständische Industrie und Handwerk\n- Studium und Weiterbildung in der BTU-Präsenzstelle",
        "- Bauplätze im Wohngebiet Süd\n- Sanierte Altbauwohnungen in der Innenstadt",
        "- Acht Kitas, Grundschulen und das Sängerstadtgymnasium",
        "- Sängerfest, Freibad, Radwege in die Niederlausitz",
    ),
    "grossraeschen": (
        "Die Stadt am **Großräschener See**, mit den IBA-Terrassen und dem neuen Stadthafen.",
        "- Medizinisches Zentrum Senftenberg–Großräschen\n- Tourismus am See",
        "- Bauland mit Seeblick\n- Wohnungen der städtischen Wohnungsgesellschaft",
        "- Kitas in allen Ortsteilen, Grund- und Oberschule",
        "- Hafen, Weinberg, Seebrücke",
    ),
    "lauchhammer": (
        "Industriestadt im Wandel: vom Braunkohlenrevier zum **Seecampus** und zu neuen Energien.",
        "- Wasserstoff und Windkraft\n- Seecampus Niederlausitz für Ausbildung",
        "- Günstige Bauplätze und Mietwohnungen",
        "- Kitas und Schulen am Seecampus",
        "- Biotürme, Kunstgussmuseum, Grünewalder Lauch",
    ),
    "schwarzheide": (
        "Chemiestandort mit Waldstadt-Charakter: Heimat der **BASF Schwarzheide**.",
        "- Chemie, Batteriematerialien, Ausbildung im Verbund",
        "- Einfamilienhäuser im Grünen, Bauland am Stadtrand",
        "- Kitas, Grund- und Oberschule, Gymnasium in der Nachbarschaft",
        "- Wandelhalle, Waldbad, Radwege zum Senftenberger See",
    ),
    "senftenberg": (
        "Die Hochschulstadt am **Senftenberger See**: Sitz der BTU Cottbus–Senftenberg und des Kreises.",
        "- Verwaltung, Gesundheit, Hochschule, Tourismus",
        "- Bauland am See, Wohnungen in der Altstadt und in Brieske",
        "- Zahlreiche Kitas, alle Schulformen, Hochschule vor Ort",
        "- Strand, Hafen, Festung, Theater Neue Bühne",
    ),
    "schipkau": (
        "Die Gemeinde rund um den **Lausitzring**, Verwaltungssitz in Klettwitz.",
        "- Automobil- und Energiewirtschaft am Lausitzring",
        "- Bauplätze in Klettwitz, Hörlitz und Annahütte",
        "- Kitas in den Ortsteilen, Grundschulen vor Ort",
        "- Motorsport, Seen der Bergbaufolgelandschaft",
    ),
}
FIELDS = ("page_intro", "page_work", "page_housing", "page_childcare", "page_leisure")


def seed_town_pages() -> None:
    """Fill the empty sections of each town's page."""
    for town in db.session.scalars(select(Town)):
        for name, text in zip(FIELDS, PAGES.get(town.slug, ()), strict=False):
            if not getattr(town, name):
                setattr(town, name, text)
