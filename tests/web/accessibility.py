"""Accessibility checks of a page in the browser tests: axe-core (vendored in
tests/fixtures/axe, MPL-2.0, test-only) run on the page as it stands, failing on every
serious or critical violation.

axe is evaluated through the browser's debugging protocol, not added as a ``<script>``: the
pages' Content-Security-Policy (``script-src 'self'``) refuses inline scripts, and the check
should see the pages with their real headers. Minor and moderate findings (best practices
such as a region for every bit of content) are left to review; what a screen reader or a
keyboard user cannot get past fails the test.
"""

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from tests.conftest import FIXTURES

if TYPE_CHECKING:
    from playwright.sync_api import Page

AXE = FIXTURES / "axe" / "axe.min.js"
BLOCKING = frozenset({"serious", "critical"})
RUN = """async () => await axe.run(document, {
  resultTypes: ["violations"],
  runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                  "best-practice"]},
})"""


def violations(page: "Page") -> list[dict[str, Any]]:
    """Every violation axe finds on ``page``, whatever its impact."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = page.evaluate(RUN)["violations"]
    return found


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violation and the elements it is on, for a failing assertion."""
    lines = []
    for v in found:
        lines.append(f"{v['impact']}: {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_accessible(page: "Page", *, allowed: Collection[str] = ()) -> None:
    """Fail when axe finds a serious or critical violation on ``page``; ``allowed`` names
    rules (axe ids) whose violations are known and let pass, each to be fixed."""
    found = [v for v in violations(page) if v["impact"] in BLOCKING and v["id"] not in allowed]
    assert not found, f"{page.url}: accessibility violations\n{describe(found)}"
