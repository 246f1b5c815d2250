"""Screenshots of wijk's look for people who cannot log in: `make screenshots`.

Loads the demo city into a throwaway SQLite database, starts wijk on a free local port, logs
in through the real forms (password, then the code of the demo account's authenticator, as
`wijk demo_totp` prints it) and saves the home page, the team worklist, a resident's case file,
a form with errors, a municipality page, "mijn werk", a support plan and the dashboard, each
1366 and 390 px wide, as PNG files in docs/screenshots/, with a README.md there that shows
them. Nothing of the usual database or var/ is touched; the temporary directory is removed
afterwards.

The pages are reached as a user reaches them where that needs an id (the case file: from the
professional's own trajectories); the other addresses come from Django's URL names."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIJK = ROOT / ".venv" / "bin" / "wijk"
CHROMIUM = "/usr/bin/chromium"
OUT = ROOT / "docs" / "screenshots"
WIDTHS = (1366, 390)
# A very long page is cut off here: the look shows in the top part, and the files stay small.
MAX_HEIGHT = {1366: 2400, 390: 3600}
PASSWORD_SUFFIX = "-demo-2026"  # noqa: S105  (the demo accounts' known passwords)

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijk.settings")

import django  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402


def say(sentence: str) -> None:
    print(sentence, flush=True)


def run(*args: str, env: dict[str, str], log: Path) -> str:
    """A wijk command against the throwaway database; its output goes to the log file, and to
    the screen only when it fails."""
    done = subprocess.run([str(WIJK), *args], env=env, capture_output=True, text=True, check=False)
    with log.open("a") as file:
        file.write(f"$ wijk {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    if done.returncode != 0:
        say(done.stdout + done.stderr)
        raise SystemExit(f"`wijk {' '.join(args)}` failed (exit code {done.returncode}).")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[str]:
    """wijk's development server on a free port, stopped afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("a") as file:
        process = subprocess.Popen(
            [str(WIJK), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + reverse("core:healthz")):  # noqa: S310
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"wijk did not start; see {log}") from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass(frozen=True)
class Shot:
    name: str  # the file name's stem
    title: str  # a caption for the README
    username: str
    reach: Callable[[Page, str], None]  # goes to the page (and puts it in the state to show)


def go(name: str) -> Callable[[Page, str], None]:
    def reach(page: Page, base: str) -> None:
        page.goto(base + reverse(name))

    return reach


def case_file(page: Page, base: str) -> None:
    """A resident whose file has something in it: the first trajectory the demo professional
    coordinates, and from there the resident."""
    page.goto(base + reverse("trajectories:list"))
    page.locator("main table a").first.click()
    pattern = re.escape(reverse("residents:detail", args=[987654321])).replace("987654321", r"\d+")
    for link in page.locator("main a[href]").all():
        href = link.get_attribute("href") or ""
        if re.fullmatch(pattern, href):
            page.goto(base + href)
            return
    raise SystemExit(f"No link to a resident on {page.url}")


def _first_link(page: Page, pattern: str) -> re.Match[str] | None:
    for link in page.locator("main a[href]").all():
        found = re.fullmatch(pattern, link.get_attribute("href") or "")
        if found:
            return found
    return None


def _id_pattern(name: str) -> str:
    return re.escape(reverse(name, args=[987654321])).replace("987654321", r"(\d+)")


def support_plan(page: Page, base: str) -> None:
    """A plan of the demo professional's team: one whose evaluation is due on the team's
    work, or else one on the case file of a resident of the professional's trajectories."""
    page.goto(base + reverse("core:team_work") + "?soort=plan_evaluation")
    found = _first_link(page, _id_pattern("plans:evaluation_new"))
    if found is None:
        page.goto(base + reverse("trajectories:list"))
        trajectories = [
            link.get_attribute("href") or "" for link in page.locator("main table a").all()
        ]
        for href in trajectories[:20]:
            page.goto(base + href)
            resident = _first_link(page, _id_pattern("residents:detail"))
            if resident is None:
                continue
            page.goto(base + resident.group(0) + "?soort=plan")
            found = _first_link(page, _id_pattern("plans:detail"))
            if found is not None:
                break
    if found is None:
        raise SystemExit("No support plan of the demo professional's team found")
    page.goto(base + reverse("plans:detail", args=[int(found.group(1))]))


def form_with_errors(page: Page, base: str) -> None:
    page.goto(base + reverse("residents:register"))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


SHOTS = (
    Shot("1-start", "Startpagina van een teamleider", "demo-team-lead", go("core:home")),
    Shot(
        "2-werklijst-team",
        "Werklijst van het team",
        "demo-team-lead",
        go("requests:team_worklist"),
    ),
    Shot("3-dossier", "Dossier van een inwoner", "demo-professional", case_file),
    Shot(
        "4-formulier-met-fouten",
        "Inwoner registreren, leeg verstuurd",
        "demo-professional",
        form_with_errors,
    ),
    Shot(
        "5-termijnen-gemeente",
        "Termijnen, voor de gemeente",
        "demo-municipality",
        go("monitoring:compliance"),
    ),
    Shot(
        "6-mijn-werk", "Mijn werk: al het werk op één lijst", "demo-professional", go("core:work")
    ),
    Shot("7-ondersteuningsplan", "Een ondersteuningsplan", "demo-professional", support_plan),
    Shot(
        "8-dashboard-gemeente",
        "Dashboard, voor de gemeente",
        "demo-municipality",
        go("monitoring:dashboard"),
    ),
)


def log_in(page: Page, base: str, username: str, env: dict[str, str], log: Path) -> None:
    page.goto(base + reverse("accounts:login"))
    page.get_by_label("Gebruikersnaam", exact=True).fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(username + PASSWORD_SUFFIX)
    page.get_by_role("button", name="Volgende stap").click()
    page.wait_for_url(base + reverse("accounts:verify"))
    code = run("demo_totp", username, env=env, log=log).strip()
    page.get_by_label("Code uit uw authenticator-app").fill(code)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + reverse("core:home"))


def capture(page: Page, shot: Shot, base: str) -> list[Path]:
    files = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot.reach(page, base)
        page.evaluate("document.fonts.ready")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[width])
        path = OUT / f"{shot.name}-{width}.png"
        page.screenshot(
            path=str(path),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": height},
            animations="disabled",
            caret="hide",
        )
        files.append(path)
    return files


def write_index(shots: tuple[Shot, ...]) -> None:
    lines = [
        "# Screenshots",
        "",
        "How wijk looks, on a laptop (1366 px wide) and on a phone (390 px), with the demo city",
        "(`make demo`). Made by `make screenshots` (scripts/screenshots.py); run it again after a",
        "change to the look. Long pages are cut off at the bottom.",
        "",
    ]
    for shot in shots:
        lines += [
            f"## {shot.title}",
            "",
            f"![{shot.title}, 1366 px]({shot.name}-1366.png)",
            f"![{shot.title}, 390 px]({shot.name}-390.png)",
            "",
        ]
    (OUT / "README.md").write_text("\n".join(lines))


def main() -> None:
    if not WIJK.exists():
        raise SystemExit("Run `make install` first: .venv/bin/wijk is missing.")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make chromium`.")
    work = Path(tempfile.mkdtemp(prefix="wijk-screenshots-"))
    log = work / "wijk.log"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    django.setup()
    try:
        say(f"Loading the demo city into a throwaway database in {work} (about a minute).")
        run("migrate", "--no-input", env=env, log=log)
        run("seed", "--scale", "0.05", "--years", "2", "--seed", "1", env=env, log=log)
        run("demo_accounts", env=env, log=log)
        OUT.mkdir(parents=True, exist_ok=True)
        with server(env, log) as base, sync_playwright() as playwright:
            say(f"wijk runs on {base}; taking the screenshots.")
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--lang=nl-NL"],
            )
            pages: dict[str, Page] = {}
            for shot in SHOTS:
                if shot.username not in pages:
                    context = browser.new_context(locale="nl-NL", device_scale_factor=1)
                    pages[shot.username] = context.new_page()
                    log_in(pages[shot.username], base, shot.username, env, log)
                for path in capture(pages[shot.username], shot, base):
                    say(f"  {path.relative_to(ROOT)}")
            browser.close()
        write_index(SHOTS)
        say(f"Done: {len(SHOTS) * len(WIDTHS)} screenshots in {OUT.relative_to(ROOT)}/.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
