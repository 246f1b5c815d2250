"""Every figure in one file, made in the background (wijk.monitoring.tasks): the dashboard's
reader asks for it on its page, `wijk worker` makes it, and the job's page offers it to the
asker only. What it holds is what the dashboard shows that reader: exact for management, the
municipality's figures (small numbers hidden) for the municipality. Who may see what is looked
up when the work runs; the file is removed after its days."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wijk.accounts.models import Role
from wijk.areas.models import Buurt
from wijk.core.background import job_file_write, job_files_prune
from wijk.core.models import BackgroundJob, JobStatus
from wijk.monitoring.indicators import AREA_WIJK
from wijk.monitoring.selectors import PeriodUnit, period_of
from wijk.monitoring.tests.factories import TrajectoryFactory
from wijk.residents.tests.factories import AddressFactory, ResidentFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE = "monitoring:dashboard_everything"


@pytest.fixture(autouse=True)
def job_files(settings: Any, tmp_path: Any) -> Any:
    settings.WIJK_JOB_FILES_DIR = tmp_path / "jobs"
    settings.WIJK_JOB_ATTEMPTS = 1
    return tmp_path / "jobs"


@pytest.fixture
def support() -> tuple[str, str, datetime.date]:
    """Twelve residents in support in one wijk since last month, two in another and six in a
    third (which the municipality does not see: with the city's total it would give the two
    away)."""
    buurten = list(Buurt.objects.select_related("wijk").order_by("code"))
    first = buurten[0]
    second = next(b for b in buurten if b.wijk.code != first.wijk.code)
    third = next(b for b in buurten if b.wijk.code not in {first.wijk.code, second.wijk.code})
    month = period_of(PeriodUnit.MONTH, timezone.localdate()).start
    start = month - datetime.timedelta(days=20)
    for buurt, count in ((first, 12), (second, 2), (third, 6)):
        for _ in range(count):
            resident = ResidentFactory(address=AddressFactory(buurt=buurt))
            TrajectoryFactory(resident=resident, inflow_date=start)
    return first.wijk.code, second.wijk.code, period_of(PeriodUnit.MONTH, start).start


def _run_worker() -> None:
    call_command(
        "worker", "--batch", "--no-schedule", "--no-startup-delay", "--interval", "0", verbosity=0
    )


def _ask(client: Any) -> BackgroundJob:
    page = client.get(reverse(PAGE))
    assert page.status_code == 200
    asked = client.post(reverse(PAGE))
    assert asked.status_code == 302
    job = BackgroundJob.objects.get()
    assert asked["Location"] == reverse("core:background_job", kwargs={"pk": job.pk})
    return job


def _csv_rows(download: Any) -> list[dict[str, str]]:
    content = b"".join(download.streaming_content)
    assert content.startswith("\ufeff".encode())  # a spreadsheet reads the accents
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _reach(rows: list[dict[str, str]], wijk: str, month: datetime.date) -> str:
    (value,) = [
        row["waarde"]
        for row in rows
        if row["indicator"] == "bereik"
        and row["periode_eenheid"] == PeriodUnit.MONTH
        and row["periode_begin"] == month.isoformat()
        and row["niveau"] == AREA_WIJK
        and row["gebied"] == wijk
        and row["categorie"] == ""
    ]
    return value


def test_management_gets_every_exact_figure_in_a_file_only_it_can_download(
    support, make_user, client_for, job_files
) -> None:
    first, second, month = support
    management = make_user(Role.MANAGEMENT)
    job = _ask(client_for(management))

    _run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.file_name.endswith(".csv")
    assert job.result.endswith(f"tot en met {timezone.localdate():%d-%m-%Y}.")
    page = client_for(management).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    file_url = reverse("core:background_job_file", kwargs={"pk": job.pk})
    assert file_url in page.text
    download = client_for(management).get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(download)
    assert f"{len(rows)} cijfers" in job.result
    assert _reach(rows, first, month) == "12"
    assert _reach(rows, second, month) == "2"  # exact: the consortium's own figures
    assert {row["periode_eenheid"] for row in rows} == set(PeriodUnit.ALL)
    # From the period of each unit that holds the contract's first day, 1 July 2022.
    firsts = {
        unit: min(row["periode_begin"] for row in rows if row["periode_eenheid"] == unit)
        for unit in PeriodUnit.ALL
    }
    assert firsts == {
        PeriodUnit.MONTH: "2022-07-01",
        PeriodUnit.QUARTER: "2022-07-01",
        PeriodUnit.YEAR: "2022-01-01",
    }

    # Only its maker can read the file on the machine.
    assert (job_files / str(job.pk) / job.file_name).stat().st_mode & 0o077 == 0
    # Another manager, a colleague of the same role, gets neither the file nor the page.
    other = client_for(make_user(Role.MANAGEMENT))
    assert other.get(file_url).status_code == 404
    assert other.get(reverse("core:background_job", kwargs={"pk": job.pk})).status_code == 404


def test_the_municipality_gets_its_own_figures_without_small_numbers(
    support, make_user, client_for
) -> None:
    first, second, month = support
    municipality = make_user(Role.MUNICIPALITY)
    job = _ask(client_for(municipality))

    _run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    download = client_for(municipality).get(
        reverse("core:background_job_file", kwargs={"pk": job.pk})
    )
    rows = _csv_rows(download)
    assert _reach(rows, first, month) == "12"
    assert _reach(rows, second, month) == ""  # two residents: hidden
    assert "2" not in {row["waarde"] for row in rows if row["gebied"] == second}


def test_an_asker_who_lost_the_role_before_the_work_ran_gets_no_file(
    support, make_user, client_for
) -> None:
    management = make_user(Role.MANAGEMENT)
    job = _ask(client_for(management))
    management.role = Role.PROFESSIONAL
    management.save(update_fields=["role"])

    _run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.file_name == ""
    assert job.error == "de aanvrager mag deze cijfers niet meer zien"


def test_a_file_is_removed_after_its_days(make_user, client_for, job_files) -> None:
    management = make_user(Role.MANAGEMENT)
    job = BackgroundJob.objects.create(
        user=management,
        kind="figures_file",
        label="Alle cijfers",
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
    )
    job_file_write(
        job_id=str(job.pk),
        name="cijfers.csv",
        role=management.role,
        write=lambda out: out.write(b"a,b\r\n"),
    )
    file_url = reverse("core:background_job_file", kwargs={"pk": job.pk})
    assert client_for(management).get(file_url).status_code == 200

    assert job_files_prune(now=timezone.now() + datetime.timedelta(days=6)) == 0
    assert job_files_prune(now=timezone.now() + datetime.timedelta(days=8)) == 1

    assert not (job_files / str(job.pk)).exists()
    assert client_for(management).get(file_url).status_code == 404
    job.refresh_from_db()
    assert job.file_name == ""


def test_exact_figures_are_not_served_after_the_askers_role_changed(
    support, make_user, client_for
) -> None:
    """The file was made with management's exact figures; once the account is the
    municipality's, neither its link nor its address serves it."""
    management = make_user(Role.MANAGEMENT)
    job = _ask(client_for(management))
    _run_worker()
    job.refresh_from_db()
    file_url = reverse("core:background_job_file", kwargs={"pk": job.pk})
    assert client_for(management).get(file_url).status_code == 200

    management.role = Role.MUNICIPALITY
    management.save(update_fields=["role"])

    assert client_for(management).get(file_url).status_code == 404
    page = client_for(management).get(reverse("core:background_job", kwargs={"pk": job.pk}))
    assert page.status_code == 200 and file_url not in page.text


def test_asking_again_while_the_file_is_made_leads_to_the_same_job(make_user, client_for) -> None:
    client = client_for(make_user(Role.MUNICIPALITY))
    first = client.post(reverse(PAGE))
    second = client.post(reverse(PAGE))
    assert first["Location"] == second["Location"]
    assert BackgroundJob.objects.count() == 1
