"""Dataset names: each list under a name FtM's dataset check accepts, read back either way."""

from followthemoney.dataset.util import dataset_name_check

from watchkeeper.service.datasets import DatasetNames


def test_every_list_gets_a_name_ftm_accepts() -> None:
    names = DatasetNames(["un", "ofac", "ofac-cons", "partner-acme-benign", "a_b", "a-b"])
    assert names.dataset("ofac-cons") == "ofac_cons"
    assert names.dataset("partner-acme-benign") == "partner_acme_benign"
    assert names.dataset("un") == "un"
    assert {names.dataset("a-b"), names.dataset("a_b")} == {"a_b", "a_b_2"}
    assert all(dataset_name_check(n) == n for n in names.of_list.values())


def test_either_spelling_reads_back_to_the_list() -> None:
    names = DatasetNames(["ofac-cons"])
    assert names.list_of("ofac_cons") == names.list_of("ofac-cons") == "ofac-cons"
    assert names.list_of("us_ofac_sdn") is None
