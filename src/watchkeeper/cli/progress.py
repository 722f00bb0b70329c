"""Progress of long commands on stderr: one bar with counts, rate and time left, drawn only
when stderr is a terminal, so that pipes, files and tests get nothing but the results."""

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from watchkeeper.cli import common
from watchkeeper.matching.screener import Hit, Matcher
from watchkeeper.matching.subject import Subject


class Tracker:
    """What a command tells the bar: ``advance`` by some items, or ``update`` to a count
    (and a better estimate of the total). A tracker without a bar does nothing, so that the
    command's loop reads the same in a pipe."""

    def __init__(self, bar: Progress | None = None, task: TaskID | None = None) -> None:
        self._bar = bar
        self._task = task

    def advance(self, items: int = 1) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, items)

    def update(self, completed: int, total: int | None = None) -> None:
        if self._bar is not None and self._task is not None:
            if total is not None:
                self._bar.update(self._task, completed=completed, total=total)
            else:
                self._bar.update(self._task, completed=completed)


class _Rate(ProgressColumn):
    """Items a second, in the command's unit ("1,234 rows/s")."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} {self.unit}/s" if speed else f"- {self.unit}/s")


class _Count(ProgressColumn):
    """The count alone, while the total is unknown."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        return Text(f"{int(task.completed):,} {self.unit}")


@contextmanager
def progress(
    what: str, total: int | None = None, unit: str = "rows", console: Console | None = None
) -> Iterator[Tracker]:
    """A bar for ``what`` (``total`` items when known: then the bar fills and says the time
    left) on ``console`` (stderr by default), removed when done. Nothing at all is drawn
    when the console is not a terminal."""
    shown = console or common.err
    if not shown.is_terminal:
        yield Tracker()
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn() if total is not None else _Count(unit),
        _Rate(unit),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=shown, transient=True) as bar:
        yield Tracker(bar, bar.add_task(what, total=total))


class CountedMatcher:
    """A matcher that advances a bar for each subject it screens: the lanes screen a whole
    batch of travellers or payment parties in one call, and this is how the bar sees each."""

    def __init__(self, matcher: Matcher, tracker: Tracker) -> None:
        self._matcher = matcher
        self._tracker = tracker

    @property
    def threshold(self) -> float:
        return self._matcher.threshold

    def screen(self, subject: Subject, limit: int = 10) -> list[Hit]:
        hits = self._matcher.screen(subject, limit)
        self._tracker.advance()
        return hits
