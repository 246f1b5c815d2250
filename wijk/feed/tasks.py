"""The feed's background work: the daily delivery to the municipality, enqueued by the daily
schedule (settings.WIJK_SCHEDULE, entry "feed", at WIJK_FEED_AT) and run by `wijk worker` as a
background job (wijk.core.background): its progress is the delivery's, a failed run is tried
again and the last failure recorded on the job (and on the Delivery record by run_delivery)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import TaskContext, task
from django.utils.translation import gettext

from wijk.core.background import Progress, job_run
from wijk.feed.selectors import last_successful_day
from wijk.feed.services import FORMATS, run_delivery


@task(takes_context=True)
def feed_deliver(context: TaskContext[Any, Any], *, job_id: str, day: str) -> str:
    """The delivery of `day` (ISO date) into settings.FEED_DIR in every format: incremental
    since the last delivery that succeeded there (full when there is none). A day already
    delivered there (by `wijk export`, or a run before) is left as it is. Aggregates only:
    the record-level part is asked for with `wijk export --records`."""
    delivery_day = datetime.date.fromisoformat(day)

    def work(progress: Progress) -> str:
        out_dir = Path(settings.FEED_DIR)
        since = last_successful_day(directory=out_dir)
        if since is not None and since >= delivery_day:
            return gettext("De levering van %(day)s was er al.") % {"day": day}
        delivery = run_delivery(
            out_dir=out_dir,
            day=delivery_day,
            since=since,
            formats=FORMATS,
            progress=progress,
        )
        rows = sum(delivery.row_counts.values())
        return gettext("Levering van %(day)s geschreven naar %(path)s (%(rows)s rijen).") % {
            "day": day,
            "path": Path(delivery.directory) / day,
            "rows": rows,
        }

    return job_run(context, job_id=job_id, work=work)
