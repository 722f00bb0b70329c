"""Listed names found inside free text."""

from watchkeeper.matching.index import NameIndex
from watchkeeper.matching.mentions import mentions
from watchkeeper.matching.screener import Screener
from watchkeeper.matching.subject import Subject


def test_a_listed_name_in_a_remittance_line(un_screener: Screener) -> None:
    text = "INVOICE 1526395 SUPPORT FOR ABU MOHAMED AL-ADNANI FAMILY, THANK YOU"
    [found] = mentions(text, un_screener.index)
    assert found.hit.entity_id == "un-QDi.325"
    assert text[found.start : found.end] == found.text
    assert "ADNANI" in found.text and "INVOICE" not in found.text


def test_ordinary_text_names_nobody(un_screener: Screener) -> None:
    text = "IMPORT OF GOOD INV NO 1526395 INV DATE 10.10.2025 MACHINERY PARTS"
    assert mentions(text, un_screener.index) == []


def test_two_names_in_one_text(un_screener: Screener) -> None:
    text = "Payment from Ayman al-Zawahiri to Abu Mohamed al-Adnani"
    found = mentions(text, un_screener.index)
    assert [m.hit.entity_id for m in found] == ["un-QDi.006", "un-QDi.325"]


def test_a_name_retrieval_reads_by_syllable_is_found_as_written() -> None:
    """Retrieval keys Xi Jinping by syllable (Jin, Ping), but a text writes the words whole:
    the text is matched word by word, by each word's own key."""
    index = NameIndex.build([Subject("Person", ("Xi Jinping",), entity_id="listed")])
    [found] = mentions("Payment approved by Xi Jinping yesterday", index)
    assert (found.hit.entity_id, found.text) == ("listed", "Xi Jinping")
