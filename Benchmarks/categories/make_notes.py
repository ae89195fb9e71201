"""Writes N notes, one a line, for `urltriage rules categorize`: every note different.

Each note is a note from the category test set (Tests/TriageKitTests/Fixtures/
categories/notes.tsv) with words of its own before it (a name, a platform, a
number), so the categorizer's memory of notes it has seen never
answers; one note in a thousand is padded with ordinary words to 8-64 KiB, as a
pasted e-mail would be. A fixed seed gives the same file every time.
"""
from __future__ import annotations

import random
import sys

SEED = 20261204
NAMES = ["Mr Jones", "Mrs Patel", "Miss Begum", "Ms Carter", "Mr Okafor", "Jayden", "Amelia", "Noah", "Ava", "Leo"]
PLACES = ["tiktok", "snap", "insta", "youtube", "discord", "roblox", "whatsapp", "fb", "x", "twitch"]
FILLER = ("the parent rang the office this morning and said she had already reported it to the platform "
          "but nothing has happened and the pupil is upset and did not want to come in today ").split()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    out = sys.argv[2] if len(sys.argv) > 2 else "/dev/stdout"
    rng = random.Random(SEED)
    notes = []
    with open("Tests/TriageKitTests/Fixtures/categories/notes.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            notes.append(line.rstrip("\n").split("\t", 1)[1])
    with open(out, "w", encoding="utf-8") as f:
        for i in range(count):
            note = rng.choice(notes)
            head = f"from {rng.choice(NAMES)} via {rng.choice(PLACES)} #{i}: "
            text = head + note
            if i % 1000 == 999:
                words = []
                length = 0
                size = rng.randint(8 * 1024, 64 * 1024 - 200)
                while length < size:
                    word = rng.choice(FILLER)
                    words.append(word)
                    length += len(word) + 1
                text = head + " ".join(words) + " " + note
            f.write(text + "\n")


if __name__ == "__main__":
    main()
