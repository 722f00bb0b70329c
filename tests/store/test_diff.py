"""Comparing list versions: entries added, removed and changed, with the changed properties."""

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy import Engine

from tests.conftest import SHARED, requires_shared
from watchkeeper.sources import get_source
from watchkeeper.store import diff_versions, load_source


def _edited_un_list(un_xml_bytes: bytes, path: Path) -> Path:
    """The bundled list with QDi.325 removed, an alias of QDi.318 changed and an entry added."""
    root = ET.fromstring(un_xml_bytes)
    people = root.find("INDIVIDUALS")
    assert people is not None
    by_ref = {p.findtext("REFERENCE_NUMBER", "").strip(): p for p in people}
    people.remove(by_ref["QDi.325"])
    plain = [
        a
        for a in by_ref["QDi.318"].findall("INDIVIDUAL_ALIAS")
        if a.find("NOTE") is None and a.findtext("QUALITY") == "Good"
    ]
    alias = plain[0].find("ALIAS_NAME")  # a good alias without a note: only `alias` changes
    assert alias is not None and alias.text
    alias.text = alias.text + " Junior"
    clone = ET.fromstring(ET.tostring(by_ref["QDi.299"]))
    ref = clone.find("REFERENCE_NUMBER")
    assert ref is not None
    ref.text = "QDi.999"
    people.append(clone)
    path.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    return path


def test_diff_reports_added_removed_and_changed(
    un_store: Engine, tmp_path: Path, un_xml_bytes: bytes
) -> None:
    edited = _edited_un_list(un_xml_bytes, tmp_path / "v2.xml")
    load_source(un_store, get_source("un-xml", edited), "un", origin=str(edited), raw_dir=None)
    diff = diff_versions(un_store, "un", 1, 2)
    assert [r.record_id for r in diff.added] == ["un-QDi.999"]
    assert [r.record_id for r in diff.removed] == ["un-QDi.325"]
    assert diff.removed[0].schema == "Person"
    assert [c.record_id for c in diff.changed] == ["un-QDi.318"]
    change = diff.changed[0]
    assert change.changed_properties == ["Person.alias"]
    (prop,) = change.changes
    assert len(prop.added) == 1 and prop.added[0].endswith(" Junior")
    assert prop.removed == [prop.added[0].removesuffix(" Junior")]
    assert diff.unchanged == 1003 - 2


def _ent_nums(folder: Path) -> set[str]:
    with open(folder / "sdn.csv", encoding="utf-8", errors="replace", newline="") as fh:
        return {row[0] for row in csv.reader(fh) if row and row[0].strip().isdigit()}


@requires_shared
def test_ofac_2019_to_2021(engine: Engine) -> None:
    old_dir = SHARED / "sanctions" / "ofac_sdn_2019-01"
    new_dir = SHARED / "sanctions" / "ofac_sdn_2021-07"
    for folder in (old_dir, new_dir):
        source = get_source("ofac-csv", folder)
        # The 2019 comments file was re-saved in 2023: ten rows name entries it lacks.
        skip = folder == old_dir
        load_source(engine, source, "ofac-sdn", origin=str(folder), raw_dir=None, skip_bad=skip)
    diff = diff_versions(engine, "ofac-sdn", 1, 2)
    old, new = _ent_nums(old_dir), _ent_nums(new_dir)
    # 7,379: the last row of the 2019 sdn.csv has no line end, so `wc -l` says 7,378.
    assert (len(old), len(new)) == (7379, 8976)
    assert {r.record_id for r in diff.added} == {f"ofac-{n}" for n in new - old}
    assert {r.record_id for r in diff.removed} == {f"ofac-{n}" for n in old - new}
    assert len(diff.added) + len(diff.changed) + diff.unchanged == 8976
    assert len(diff.removed) + len(diff.changed) + diff.unchanged == 7379
    assert (len(diff.added), len(diff.removed), len(diff.changed)) == (1858, 261, 843)
    (change,) = [c for c in diff.changed if c.record_id == "ofac-10138"]
    assert {"Person.birthDate", "Person.gender"} <= set(change.changed_properties)
    props = {c.prop: (c.added, c.removed) for c in change.changes}
    assert props["birthDate"] == (["1972-08-16"], [])
    assert props["gender"] == (["male"], [])
