"""A name or subject short enough for one encoded word is written as one, exactly as the email package's Header
writes it on a line of 76; longer text is left to Header's folding."""

from __future__ import annotations

import random
from email.header import Header, decode_header, make_header

from rueckkehr.mail.headers import encoded_text

ALPHABET = "abcdefghijklmnopqrstuvwxyzABC äöüßÄÖÜéèçñ-'._=?\"()<>@,;:\t\u4e2d\U0001f600"


def test_encoded_words_are_what_header_writes() -> None:
    rng = random.Random(11)
    texts = ["R 1", "Jana Müller", "Ümit Öztürk-Şahin", "Zoë", "=?utf-8?q?=0D=0A?=", "a" * 40, "Ö" * 30, "中文" * 20]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 90))) for _ in range(3000)]
    encoded_text.cache_clear()
    for text in texts:
        written = encoded_text(text)
        assert written == Header(text, "utf-8", maxlinelen=76).encode(linesep="\r\n"), text
        assert str(make_header(decode_header(written))) == text
        assert all(len(line) <= 77 for line in written.split("\r\n"))
