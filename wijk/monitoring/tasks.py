"""The monitoring pages' background work: every figure the asker may see, in one CSV file
(a download too large to make while the page waits), run by `wijk worker` as a background job
(wijk.core.background) with its progress on the job's page and the file offered there to the
asker only.

What the file holds is what the dashboard shows its asker, for every indicator and every
month, quarter and year since the contract began: exact figures for management, the
municipality's (published or protected) figures for team leads and the municipality. Who may
see what is looked up when the work runs, not when it was asked for: an asker who lost the
role in the meantime gets no file. The rows are written as they are computed, an indicator at
a time, so memory holds one indicator's rows, never the file."""

from __future__ import annotations

import datetime
from typing import Any, BinaryIO

from django.tasks import TaskContext, task
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from wijk.accounts.roles import account_gate
from wijk.core.background import Progress, job_asker, job_file_write, job_run
from wijk.core.errors import DomainError
from wijk.core.replica import reporting_reads
from wijk.monitoring.downloads import write_csv
from wijk.monitoring.indicators import (
    CONTRACT_START,
    indicator_codes,
    indicator_rows,
    municipality_rows,
)
from wijk.monitoring.selectors import Period, PeriodUnit, monitoring_scope_of, period_of


class FiguresNotAllowed(DomainError):
    code = "figures_not_allowed"
    status = 403
    message = gettext_lazy("de aanvrager mag deze cijfers niet meer zien")


def periods_since_contract(today: datetime.date) -> list[Period]:
    """Every month, quarter and year from the one holding the contract's first day up to the
    one holding `today`, by unit and then by start."""
    periods = []
    for unit in (PeriodUnit.MONTH, PeriodUnit.QUARTER, PeriodUnit.YEAR):
        period = period_of(unit, CONTRACT_START)
        while period.start <= today:
            periods.append(period)
            period = period_of(unit, period.end)
    return periods


def write_everything(
    out: BinaryIO, *, exact: bool, today: datetime.date, progress: Progress | None = None
) -> int:
    """Write every indicator's rows over `periods_since_contract` to `out` as the dashboard's
    CSV download: exact (management) or the municipality's; `progress` hears of each
    indicator done. The rows written."""
    periods = periods_since_contract(today)
    codes = indicator_codes()
    written = 0
    for done, code in enumerate(codes):
        if progress is not None:
            progress(done, len(codes))
        with reporting_reads():  # on the read replica, when there is one (docs/adr/0048)
            if exact:
                rows = indicator_rows(periods=periods, codes=[code], exact=True, today=today)
            else:
                rows = municipality_rows(periods=periods, codes=[code], today=today)
            written += write_csv(rows, out, header=done == 0)
    if progress is not None:
        progress(len(codes), len(codes))
    return written


@task(takes_context=True)
def figures_file(context: TaskContext[Any, Any], *, job_id: str) -> str:
    """Every figure its asker may see, as a CSV file on the job's page."""

    def work(progress: Progress) -> str:
        asker = job_asker(job_id)
        scope = monitoring_scope_of(account_gate(asker))
        if asker is None or not scope.compliance:
            raise FiguresNotAllowed
        today = timezone.localdate()
        exact = scope.exact and scope.all_teams
        written = 0

        def write(out: BinaryIO) -> None:
            nonlocal written
            written = write_everything(out, exact=exact, today=today, progress=progress)

        name = f"wijk-alle-cijfers-{today:%Y-%m-%d}.csv"
        job_file_write(job_id=job_id, name=name, role=asker.role, write=write)
        return gettext("%(rows)s cijfers, van %(start)s tot en met %(today)s.") % {
            "rows": written,
            "start": CONTRACT_START.strftime("%d-%m-%Y"),
            "today": today.strftime("%d-%m-%Y"),
        }

    return job_run(context, job_id=job_id, work=work)
