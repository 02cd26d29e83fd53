"""How far apart the six RWK towns are: a small table, so matching can order places by distance without maps.

Straight-line distances between the town centres, rounded to whole kilometres, computed once (haversine) from the
coordinates of the towns' centres as OpenStreetMap gives them: Finsterwalde 51.633 N 13.700 E, Großräschen 51.587 N
14.011 E, Lauchhammer 51.498 N 13.766 E, Schwarzheide 51.476 N 13.874 E, Senftenberg 51.525 N 14.016 E, Schipkau
(seat of the administration in Klettwitz) 51.550 N 13.885 E. Roads are about a quarter longer; the order is the same.
"""

from __future__ import annotations

TOWN_SLUGS = ("finsterwalde", "grossraeschen", "lauchhammer", "schwarzheide", "senftenberg", "schipkau")

_PAIRS_KM = {
    ("finsterwalde", "grossraeschen"): 22,
    ("finsterwalde", "lauchhammer"): 16,
    ("finsterwalde", "schwarzheide"): 21,
    ("finsterwalde", "senftenberg"): 25,
    ("finsterwalde", "schipkau"): 16,
    ("grossraeschen", "lauchhammer"): 20,
    ("grossraeschen", "schwarzheide"): 16,
    ("grossraeschen", "senftenberg"): 7,
    ("grossraeschen", "schipkau"): 10,
    ("lauchhammer", "schwarzheide"): 8,
    ("lauchhammer", "senftenberg"): 18,
    ("lauchhammer", "schipkau"): 10,
    ("schwarzheide", "senftenberg"): 11,
    ("schwarzheide", "schipkau"): 8,
    ("senftenberg", "schipkau"): 9,
}
DISTANCES_KM: dict[tuple[str, str], int] = {
    **_PAIRS_KM,
    **{(b, a): km for (a, b), km in _PAIRS_KM.items()},
    **{(slug, slug): 0 for slug in TOWN_SLUGS},
}


def distance_km(one: str, other: str) -> int | None:
    """Kilometres between two RWK towns (by slug), or None when one of them is not an RWK town."""
    return DISTANCES_KM.get((one, other))
