"""Foreign names as Latvian and Lithuanian write them: with their nominative endings.

Latvian and Lithuanian decline every name, foreign ones included, and their documents and
press write a man's foreign name in the nominative: Latvian adds -s (Vladimirs Putins,
Sergejs Lavrovs), Lithuanian -as, -is, -us or -ys (Vladimiras Putinas, Sergejus). Against a
list that writes the name bare, every word then differs by its ending. A name reads as such
when each of its words (two or more) ends in s; each word then also stands for its stem
without the ending, so Putinas is compared as Putin as well. Names that merely happen to end
in s (Carlos Santos) gain a stem that rarely meets another name (carlo, santo).
"""

ENDINGS = ("as", "is", "us", "ys")  # Lithuanian; Latvian's -s is the shortest case
SHORTEST_STEM = 4  # Putin, Ivan: a stem shorter than this is another word, not a name


def baltic_stems(words: list[str]) -> list[tuple[str, ...]] | None:
    """For a name of Baltic shape, each word with the stems its ending may hide, the
    written word first; None for any other name."""
    if len(words) < 2 or not all(_declined(w) for w in words):
        return None
    return [_spellings(w) for w in words]


def _declined(word: str) -> bool:
    return word.isascii() and word.isalpha() and word.endswith("s") and len(word) > SHORTEST_STEM


def _spellings(word: str) -> tuple[str, ...]:
    stems = [word[:-1]]
    if word.endswith(ENDINGS) and len(word) - 2 >= SHORTEST_STEM:
        stems.append(word[:-2])
    return (word, *stems)
