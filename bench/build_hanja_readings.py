"""Build ``src/watchkeeper/data/hanja_hangul.tsv``: the Korean reading of each Han character
(Hanja) as a name is read, so that 金正恩 reads as 김정은 (Kim Jong Un).

Source: the ``kHangul`` field of ``Unihan_Readings.txt`` (the Unicode Character Database,
Unicode 15.0.0, © 1991-2022 Unicode, Inc., Unicode License; Debian's ``unicode-data``
15.0.0-1 ships it as ``/usr/share/unicode/Unihan_Readings.txt.bz2``). A value lists the
character's readings, each with the sources giving it; ``N`` marks a reading in the
Supreme Court of Korea's list of characters for personal names. The table keeps one
reading per character: the first marked ``N``, else the first (金: 김 not 금). The file
written is a modified Unicode Data File and says so in its header, with the Unicode
copyright and permission notice, as the licence asks.

    python bench/build_hanja_readings.py UNIHAN_READINGS [--out PATH]
"""

import argparse
import bz2
from pathlib import Path

from watchkeeper.matching.names.hanja import TABLE

NOTICE = """\
# Korean readings of Han characters for names: char<TAB>Hangul syllable.
# Modified from Unihan_Readings.txt (field kHangul; one reading kept per character, the
# first used for personal names), Unicode 15.0.0, by bench/build_hanja_readings.py.
# Copyright (c) 1991-2022 Unicode, Inc. All rights reserved.
# Distributed under the Terms of Use in https://www.unicode.org/copyright.html.
# Permission is hereby granted, free of charge, to any person obtaining a copy of the
# Unicode data files and any associated documentation (the "Data Files") or Unicode
# software and any associated documentation (the "Software") to deal in the Data Files or
# Software without restriction, including without limitation the rights to use, copy,
# modify, merge, publish, distribute, and/or sell copies of the Data Files or Software,
# and to permit persons to whom the Data Files or Software are furnished to do so,
# provided that (a) this copyright and permission notice appear with all copies of the
# Data Files or Software, (b) this copyright and permission notice appear in associated
# Documentation, and (c) there is clear notice in each modified Data File or in the
# Software as well as in the documentation associated with the Data File(s) or Software
# that the data or software has been modified.
# THE DATA FILES AND SOFTWARE ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS
# OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR
# A PARTICULAR PURPOSE AND NONINFRINGEMENT OF THIRD PARTY RIGHTS. IN NO EVENT SHALL THE
# COPYRIGHT HOLDER OR HOLDERS INCLUDED IN THIS NOTICE BE LIABLE FOR ANY CLAIM, OR ANY
# SPECIAL INDIRECT OR CONSEQUENTIAL DAMAGES, OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS
# OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS
# ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THE DATA FILES OR
# SOFTWARE.
# Except as contained in this notice, the name of a copyright holder shall not be used in
# advertising or otherwise to promote the sale, use or other dealings in these Data Files
# or Software without prior written authorization of the copyright holder.
"""


def name_reading(value: str) -> str:
    """The reading of a ``kHangul`` value a name uses: the first marked N, else the first."""
    readings = [item.split(":") for item in value.split()]
    named = [hangul for hangul, sources in readings if "N" in sources]
    return named[0] if named else readings[0][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("unihan", type=Path, help="Unihan_Readings.txt, or .txt.bz2")
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args()
    opener = bz2.open if args.unihan.suffix == ".bz2" else open
    rows: list[str] = []
    with opener(args.unihan, "rt", encoding="utf-8") as lines:
        for line in lines:
            code, field, value = [*line.rstrip("\n").split("\t"), "", ""][:3]
            if field == "kHangul" and code.startswith("U+"):
                rows.append(f"{chr(int(code[2:], 16))}\t{name_reading(value)}\n")
    args.out.write_text(NOTICE + "".join(sorted(rows)), encoding="utf-8")
    print(f"{len(rows)} characters -> {args.out}")


if __name__ == "__main__":
    main()
