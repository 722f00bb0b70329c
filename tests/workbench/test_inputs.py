"""The input behind each lane's alert (``workbench.inputs``), read back from what the store
kept of real inputs screened through the lanes."""

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, select

from tests.workbench.conftest import ANALYST, MT103_LISTED, NOW, Screened, alert_id
from watchkeeper.lanes.travel.retention import Retention, run_retention
from watchkeeper.store.schema import alerts
from watchkeeper.workbench.documents_input import DocumentInput, MentionView
from watchkeeper.workbench.finance_input import FinanceInput
from watchkeeper.workbench.images_input import ImageInput, Thumbnail
from watchkeeper.workbench.inputs import InputNotKept, alert_input
from watchkeeper.workbench.travel_input import TravelInput


def test_a_paxlst_alert_shows_only_its_travellers_segments(screened: Screened) -> None:
    found = alert_id(screened.engine, "travel", "watchlist", "un")
    shown = alert_input(screened.engine, ANALYST, found)
    assert isinstance(shown, TravelInput)
    assert (shown.kind, shown.flight, shown.traveller, shown.marked) == (
        "PAXLST",
        "XY123",
        "YASER KHALAF NAZZAL ALRAWI",
        22,
    )
    assert [line.text for line in shown.segments] == [
        "NAD+FL+++ALRAWI:YASER:KHALAF:NAZZAL'",
        "ATT+2++M'",
        "DTM+329:770101'",
        "LOC+180+:::BINNISH SYR'",
        "LOC+178+IST'",
        "LOC+179+LHR'",
        "NAT+2+IRQ'",
        "RFF+AVF:SYN001'",
        "DOC+P:110:111+A7730218'",
        "DTM+36:280930'",
        "LOC+91+IRQ'",
    ]
    assert [line.number for line in shown.segments if line.marked] == [22]
    assert {line.owner for line in shown.segments} == {"traveller"}


def test_a_pnr_alert_shows_the_booking_without_the_other_travellers_group(
    screened: Screened,
) -> None:
    found = alert_id(screened.engine, "travel", "rule", name="AYSE KARAMAN")
    shown = alert_input(screened.engine, ANALYST, found)
    assert isinstance(shown, TravelInput)
    assert (shown.kind, shown.traveller, shown.record_locator) == (
        "PNRGOV",
        "AYSE KARAMAN",
        "Q7WK2M",
    )
    texts = [line.text for line in shown.segments]
    assert "TIF+KARAMAN+AYSE MRS:A:2'" in texts
    assert any("U29017733" in text for text in texts)  # her passport
    assert not any("U29017732" in text for text in texts)  # not his
    assert "TIF+KARAMAN+MEHMET MR:A:1'" not in texts
    assert "RCI+XY:Q7WK2M::010326:0915'" in texts  # the booking they share
    # The rule fired on the booking's first cash payment: shown, marked, as the booking's.
    [marked] = [line for line in shown.segments if line.marked]
    assert (marked.text, marked.owner) == ("FOP+CA::9800.00'", "booking")


def test_a_csv_payment_alert_shows_the_transaction(screened: Screened) -> None:
    found = alert_id(screened.engine, "finance", "watchlist", source_id=screened.csv.id)
    shown = alert_input(screened.engine, ANALYST, found)
    assert isinstance(shown, FinanceInput)
    [tx] = shown.transactions
    assert (tx.id, tx.amount, tx.currency, tx.booked, tx.remittance) == (
        "T1",
        Decimal("250.00"),
        "EUR",
        datetime(2026, 3, 2),
        "gift for Abu Mohamed al-Adnani",
    )
    parties = {(p.role, p.name, p.account, p.screened) for p in tx.parties}
    assert parties == {
        ("debtor", "Marta Kowalska", "PL61109010140000071219812874", False),
        ("creditor", "Abu Mohamed al-Adnani", "SY021234567890", True),
    }


def test_a_mt103_alert_shows_amount_banks_and_remittance(screened: Screened) -> None:
    found = alert_id(screened.engine, "finance", "watchlist", source_id=screened.mt103.id)
    shown = alert_input(screened.engine, ANALYST, found)
    assert isinstance(shown, FinanceInput) and shown.path == "a_2014.fin"
    [tx] = shown.transactions
    assert (tx.id, tx.amount, tx.currency) == ("990OTT250922014", Decimal("100"), "JPY")
    assert tx.remittance is not None and tx.remittance.startswith("IMPORT OF GOOD")
    creditor = next(p for p in tx.parties if p.screened)
    assert (creditor.role, creditor.name, creditor.account) == ("creditor", MT103_LISTED, "2563529")
    debtor = next(p for p in tx.parties if p.role == "debtor")
    assert debtor.account == "100811000148"


def test_a_mention_and_a_rule_alert_show_their_payments(screened: Screened) -> None:
    mention = alert_id(screened.engine, "finance", "mention")
    shown = alert_input(screened.engine, ANALYST, mention)
    assert isinstance(shown, FinanceInput)
    assert [(t.id, t.mention) for t in shown.transactions] == [("T1", "Abu Mohamed al-Adnani")]
    rule = alert_input(screened.engine, ANALYST, alert_id(screened.engine, "finance", "rule"))
    assert isinstance(rule, FinanceInput)
    assert rule.rule == "fatf-increased-monitoring"
    assert [t.id for t in rule.transactions] == ["T1"]


def test_a_document_alert_shows_each_mention_marked_in_its_text(screened: Screened) -> None:
    found = alert_id(screened.engine, "documents", "watchlist", "un", entity_id="un-QDi.006")
    shown = alert_input(screened.engine, ANALYST, found)
    assert isinstance(shown, DocumentInput)
    assert (shown.path, shown.kind, shown.total) == ("news.txt", "text", 1)
    [mention] = shown.mentions
    assert mention == MentionView(
        start=84,
        end=101,
        page=None,
        how="name",
        score=mention.score,
        before="Prosecutors said on Tuesday that a recording attributed to",
        text="Ayman al-Zawahiri",
        after="had been circulated among supporters of the Islamic State o",
    )
    assert 0.9 < mention.score <= 1


def test_an_image_alert_shows_the_hash_distance_entry_and_thumbnail(screened: Screened) -> None:
    found = alert_id(screened.engine, "images", "hash")
    shown = alert_input(screened.engine, ANALYST, found)
    assert isinstance(shown, ImageInput)
    assert (shown.origin, shown.distance, shown.max_distance, shown.variant) == (
        "q0122.jpg",
        shown.distance,
        31,
        "original",
    )
    assert shown.distance is not None and shown.distance <= 31
    assert len(shown.hash) == 64
    assert (shown.entry.label, shown.entry.source) == ("recruitment poster", "ThreatExchange q0122")
    assert shown.thumbnail == Thumbnail(screened.image.id, "image/jpeg")


def copy_without_input(engine: Engine, alert: int) -> int:
    """A copy of ``alert`` as a command-line scan stores it: no kept input behind it."""
    with engine.begin() as conn:
        row = conn.execute(select(alerts).where(alerts.c.id == alert)).one()
        values = {k: v for k, v in row._mapping.items() if k != "id"}
        values.update(source_table=None, source_id=None)
        key = conn.execute(alerts.insert().values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def test_a_document_not_kept_is_shown_from_the_alerts_snippets(
    screened: Screened, screened_copy: Engine
) -> None:
    kept = alert_id(screened_copy, "documents", "watchlist", "un", entity_id="un-QDi.006")
    shown = alert_input(screened_copy, ANALYST, copy_without_input(screened_copy, kept))
    assert isinstance(shown, DocumentInput)
    assert (shown.input_id, shown.received_at, shown.path) == (None, None, "news.txt")
    [mention] = shown.mentions
    assert (mention.before, mention.text, mention.after) == (
        "… Prosecutors said on Tuesday that a recording attributed to",
        "Ayman al-Zawahiri",
        "had been circulated among supporters of the Islamic State o …",
    )


def test_a_payment_not_kept_says_so(screened_copy: Engine) -> None:
    kept = alert_id(screened_copy, "finance", "rule")
    shown = alert_input(screened_copy, ANALYST, copy_without_input(screened_copy, kept))
    assert shown == InputNotKept(
        "finance", "screened without its input being kept (a command-line scan)"
    )


def test_a_depersonalised_message_still_shows_the_masked_segments(screened_copy: Engine) -> None:
    run_retention(screened_copy, Retention(), apply=True, now=NOW + timedelta(days=200))
    found = alert_id(screened_copy, "travel", "watchlist", "un")
    shown = alert_input(screened_copy, ANALYST, found)
    assert isinstance(shown, TravelInput) and shown.depersonalised
    assert shown.segments[0].text == "NAD+FL+++XXXXXX:XXXXX:XXXXXX:XXXXXX'"
    assert shown.segments[0].marked
    assert "DOC+P:XXX:XXX+XXXXXXXX'" in [line.text for line in shown.segments]
