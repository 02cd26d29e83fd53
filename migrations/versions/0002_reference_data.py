"""Reference data: the RWK towns and the KldB 2010 occupation classification.

Source of the occupations: Bundesagentur für Arbeit, Klassifikation der Berufe 2010 – überarbeitete Fassung 2020
(KldB 2010), Berufsbereiche (1-Steller) and Berufshauptgruppen (2-Steller).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 07:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOWNS = [
    # slug, name, postal codes, sort order
    ("finsterwalde", "Finsterwalde", "03238", 1),
    ("grossraeschen", "Großräschen", "01983", 2),
    ("lauchhammer", "Lauchhammer", "01979", 3),
    ("schwarzheide", "Schwarzheide", "01987", 4),
    ("senftenberg", "Senftenberg", "01968 01996", 5),
    ("schipkau", "Schipkau", "01968 01993 01994 01998", 6),
]

OCCUPATION_AREAS = [
    ("0", "Militär"),
    ("1", "Land-, Forst- und Tierwirtschaft und Gartenbau"),
    ("2", "Rohstoffgewinnung, Produktion und Fertigung"),
    ("3", "Bau, Architektur, Vermessung und Gebäudetechnik"),
    ("4", "Naturwissenschaft, Geografie und Informatik"),
    ("5", "Verkehr, Logistik, Schutz und Sicherheit"),
    ("6", "Kaufmännische Dienstleistungen, Warenhandel, Vertrieb, Hotel und Tourismus"),
    ("7", "Unternehmensorganisation, Buchhaltung, Recht und Verwaltung"),
    ("8", "Gesundheit, Soziales, Lehre und Erziehung"),
    (
        "9",
        "Sprach-, Literatur-, Geistes-, Gesellschafts- und Wirtschaftswissenschaften, Medien, Kunst, Kultur und Gestaltung",
    ),
]

OCCUPATION_GROUPS = [
    ("01", "Angehörige der regulären Streitkräfte"),
    ("11", "Land-, Tier- und Forstwirtschaftsberufe"),
    ("12", "Gartenbauberufe und Floristik"),
    ("21", "Rohstoffgewinnung und -aufbereitung, Glas und Keramik"),
    ("22", "Kunststoff- und Holzherstellung und -verarbeitung"),
    ("23", "Papier- und Druckberufe, technische Mediengestaltung"),
    ("24", "Metallerzeugung und -bearbeitung, Metallbauberufe"),
    ("25", "Maschinen- und Fahrzeugtechnikberufe"),
    ("26", "Mechatronik-, Energie- und Elektroberufe"),
    ("27", "Technische Forschung, Entwicklung, Konstruktion und Produktionssteuerung"),
    ("28", "Textil- und Lederberufe"),
    ("29", "Lebensmittelherstellung und -verarbeitung"),
    ("31", "Bauplanungs-, Architektur- und Vermessungsberufe"),
    ("32", "Hoch- und Tiefbauberufe"),
    ("33", "(Innen-)Ausbauberufe"),
    ("34", "Gebäude- und versorgungstechnische Berufe"),
    ("41", "Mathematik-, Biologie-, Chemie- und Physikberufe"),
    ("42", "Geologie-, Geografie- und Umweltschutzberufe"),
    ("43", "Informatik-, Informations- und Kommunikationstechnologieberufe"),
    ("51", "Verkehrs- und Logistikberufe (ohne Fahrzeugführung)"),
    ("52", "Führer/innen von Fahrzeug- und Transportgeräten"),
    ("53", "Schutz-, Sicherheits- und Überwachungsberufe"),
    ("54", "Reinigungsberufe"),
    ("61", "Einkaufs-, Vertriebs- und Handelsberufe"),
    ("62", "Verkaufsberufe"),
    ("63", "Tourismus-, Hotel- und Gaststättenberufe"),
    ("71", "Berufe in Unternehmensführung und -organisation"),
    ("72", "Finanzdienstleistungs-, Rechnungswesen- und Steuerberatungsberufe"),
    ("73", "Berufe in Recht und Verwaltung"),
    ("81", "Medizinische Gesundheitsberufe"),
    ("82", "Nichtmedizinische Gesundheits-, Körperpflege- und Wellnessberufe"),
    ("83", "Erziehung, soziale und hauswirtschaftliche Berufe, Theologie"),
    ("84", "Lehrende und ausbildende Berufe"),
    ("91", "Sprach-, Literatur-, Geistes-, Gesellschafts- und Wirtschaftswissenschaften"),
    ("92", "Werbung, Marketing, kaufmännische und redaktionelle Medienberufe"),
    ("93", "Produktdesign, Kunsthandwerk, bildende Kunst, Musikinstrumentenbau"),
    ("94", "Darstellende und unterhaltende Berufe"),
]

towns = sa.table(
    "towns",
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("postal_codes", sa.String),
    sa.column("sort_order", sa.Integer),
)
areas = sa.table("occupation_areas", sa.column("code", sa.String), sa.column("name", sa.String))
groups = sa.table(
    "occupation_groups", sa.column("code", sa.String), sa.column("area_code", sa.String), sa.column("name", sa.String)
)


def upgrade():
    op.bulk_insert(
        towns,
        [{"slug": s, "name": n, "postal_codes": p, "sort_order": o} for s, n, p, o in TOWNS],
    )
    op.bulk_insert(areas, [{"code": code, "name": name} for code, name in OCCUPATION_AREAS])
    op.bulk_insert(groups, [{"code": code, "area_code": code[0], "name": name} for code, name in OCCUPATION_GROUPS])


def downgrade():
    op.execute(groups.delete())
    op.execute(areas.delete())
    op.execute(towns.delete())
