"""A place name for a GPS position, offline: the nearest of a small table of Korean places.

No geocoding service is called, so photos' positions never leave the server.
"""

from __future__ import annotations

import math

# (name, latitude, longitude)
PLACES: list[tuple[str, float, float]] = [
    ("서울 종로구", 37.5730, 126.9794),
    ("서울 중구", 37.5638, 126.9976),
    ("서울 강남구", 37.5172, 127.0473),
    ("서울 마포구", 37.5663, 126.9019),
    ("서울 송파구", 37.5145, 127.1059),
    ("서울 용산구", 37.5324, 126.9907),
    ("성남 분당구", 37.3827, 127.1189),
    ("인천", 37.4563, 126.7052),
    ("수원", 37.2636, 127.0286),
    ("춘천", 37.8813, 127.7298),
    ("강릉", 37.7519, 128.8761),
    ("대전", 36.3504, 127.3845),
    ("세종", 36.4800, 127.2890),
    ("청주", 36.6424, 127.4890),
    ("전주", 35.8242, 127.1480),
    ("광주", 35.1595, 126.8526),
    ("대구", 35.8714, 128.6014),
    ("경주", 35.8562, 129.2247),
    ("울산", 35.5384, 129.3114),
    ("부산", 35.1796, 129.0756),
    ("부산 해운대구", 35.1631, 129.1636),
    ("여수", 34.7604, 127.6622),
    ("제주시", 33.4996, 126.5312),
    ("서귀포", 33.2541, 126.5600),
    ("제주 성산", 33.4586, 126.9425),
    ("제주 애월", 33.4631, 126.3310),
]
MAX_KM = 40.0


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def place_name(latitude: float, longitude: float) -> str:
    """The nearest known place within MAX_KM, or "" when none is that close."""
    name, distance = min(((n, _km(latitude, longitude, la, lo)) for n, la, lo in PLACES), key=lambda p: p[1])
    return name if distance <= MAX_KM else ""
