"""The resident's case file (dossier): who the resident is, their household, and the records
of the apps that hold their work, each read through that app's own selector as the signed-in
user, so every part is access-checked and logged as a read of its own.

One selector builds the whole page's data before rendering starts: no template tag reads
person-level data while the page renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wijk.core.rows import Capped
from wijk.requests.selectors import RequestRow, resident_requests_for_user
from wijk.residents.selectors import ResidentView, resident_get_for_user
from wijk.trajectories.selectors import ResidentTrajectory, resident_trajectories_for_user

if TYPE_CHECKING:
    from wijk.accounts.models import User


@dataclass(frozen=True)
class CaseFile:
    view: ResidentView
    requests: Capped[RequestRow]
    trajectories: list[ResidentTrajectory]


def case_file_for_user(*, user: User, pk: int) -> CaseFile:
    """The case file of resident `pk`, or the resident selector's NotFoundError /
    BreakGlassRequired. The parts after the resident are read only once the resident is
    known to be visible, and only as far as each part's own access rule allows."""
    view = resident_get_for_user(user=user, pk=pk)
    return CaseFile(
        view=view,
        requests=resident_requests_for_user(user=user, resident=view.resident),
        trajectories=resident_trajectories_for_user(user=user, resident=view.resident),
    )
