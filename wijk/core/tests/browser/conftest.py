"""Browser tests: Debian's Chromium driven by Playwright (sync API) against pytest-django's live
server. Every test logs in through the real forms (password, then the TOTP code), axe-core
checks pages against WCAG 2.1 A and AA, and any console error, uncaught exception or
Content-Security-Policy violation fails the test.

Tests here use `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`: the live
server answers from another thread, so data must be committed, and serialized_rollback puts
back the areas and reference lists that the data migrations loaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from wijk.accounts.models import User
from wijk.conftest_constants import PASSWORD

# The authorization matrix's own `objects` fixture (team, resident, other_user and whatever its
# rows need next), so that every page is visited with the arguments the matrix uses.
from wijk.core.tests.test_authorization_matrix import objects  # noqa: F401


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every browser test that uses the live server restores the migrations' data after it
    (serialized_rollback): one that does not empties the areas and reference lists for every
    transactional test after it, which then fail far from the cause."""
    here = Path(__file__).parent
    for item in items:
        if here not in Path(str(item.path)).parents or "live_server" not in getattr(
            item, "fixturenames", ()
        ):
            continue
        mark = item.get_closest_marker("django_db")
        if mark is None or not mark.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: mark it django_db(transaction=True, serialized_rollback=True)"
            )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Reports every CSP violation on the console as well, whatever Chromium itself logs for it.
# Init scripts are added through the DevTools protocol, so the page's CSP does not block them.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const blocked = event.blockedURI || "inline";
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all browser tests.

    While Playwright's sync API is started it keeps an asyncio loop running on the test
    thread. Django then takes the thread for async code: it refuses ORM calls unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set, and it looks its database connections up per async
    context, so the test thread would get new connection objects without the serialized
    contents that serialized_rollback restores. So the thread keeps its own connections while
    the loop runs, and the scope is the package, not the session: Playwright stops when the
    browser tests are done, which keeps the exemption and the loop away from the rest of the
    suite."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium).")
    own_connections = {alias: connections[alias] for alias in connections}
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, connection in own_connections.items():
                connections[alias] = connection
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class ConsoleWatch:
    """Console errors and uncaught exceptions of one page.

    Chromium logs "Failed to load resource" for every document answered with 4xx, also the
    404, 403 and 429 pages a test opens on purpose, and for the /favicon.ico it asks for on
    its own (wijk has no icon); those are left out. A failing stylesheet, script or image
    that a page asks for still counts."""

    errors: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    documents: set[str] = field(default_factory=set)

    def problems(self) -> list[str]:
        return [
            text
            for text, url in self.errors
            if not (
                text.startswith("Failed to load resource")
                and (url in self.documents or url.endswith("/favicon.ico"))
            )
        ]

    def clear(self) -> None:
        self.errors.clear()


_WATCHES: dict[int, ConsoleWatch] = {}


def console_watch(page: Page) -> ConsoleWatch:
    return _WATCHES[id(page)]


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh context (cookies, storage) per test, in Dutch, watched for console errors."""
    context = browser.new_context(locale="nl-NL", base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    new_page = context.new_page()
    watch = ConsoleWatch()
    _WATCHES[id(new_page)] = watch

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.errors.append((message.text, message.location.get("url", "")))

    def on_response(response: Any) -> None:
        if response.request.resource_type == "document":
            watch.documents.add(response.url)

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: watch.errors.append((f"Uncaught: {error}", "")))
    new_page.on("response", on_response)
    try:
        yield new_page
        problems = watch.problems()
        assert not problems, "Console errors or CSP violations:\n" + "\n".join(problems)
    finally:
        _WATCHES.pop(id(new_page), None)
        context.close()


def totp_code(user: User) -> str:
    """The code the user's authenticator app shows now."""
    device = TOTPDevice.objects.get(user=user)
    return totp_code_for(device)


def totp_code_for(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def password_step(page: Page, live_server: Any, user: User, password: str = PASSWORD) -> None:
    """The first step of the login form: username and password."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Gebruikersnaam", exact=True).fill(user.username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Volgende stap").click()


def login(page: Page, live_server: Any, user: User, password: str = PASSWORD) -> None:
    """Log in through the real forms: username and password, then the TOTP code."""
    password_step(page, live_server, user, password)
    expect(page).to_have_url(live_server.url + reverse("accounts:verify"))
    page.get_by_label("Code uit uw authenticator-app").fill(totp_code(user))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(live_server.url + reverse("core:home"))


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now, for WCAG 2.0 and 2.1, levels A and AA.

    Injected with evaluate, which the page's strict CSP does not apply to: no script tag, and
    the CSP stays as it is."""
    page.evaluate(AXE_SCRIPT.read_text())
    violations: list[dict[str, Any]] = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations",
        WCAG_TAGS,
    )
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    at {node['target'][0]}" for node in violation["nodes"]]
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No axe-core violation, and no console error or CSP violation so far."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"axe-core found {len(violations)} violation(s) on {page.url}:\n"
            + describe_violations(violations),
            pytrace=False,
        )
    problems = console_watch(page).problems()
    if problems:
        pytest.fail(f"Console errors on {page.url}:\n" + "\n".join(problems), pytrace=False)


# A phone (390 px, as wide as most) and a tablet held upright (768 px).
SMALL_SCREENS = (390, 768)

# What sticks out past the right edge of the screen: the innermost such elements, so the
# message names the table, word or field to fix rather than every box around it.
_STICKING_OUT = """() => {
  const width = document.documentElement.clientWidth;
  const out = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  };
  return Array.from(document.body.querySelectorAll("*"))
    .filter((element) => out(element) && !Array.from(element.children).some(out))
    .slice(0, 5)
    .map((element) => `${element.outerHTML.slice(0, 120)} (right edge at ${
      Math.round(element.getBoundingClientRect().right)} px)`);
}"""


# Resolves after two frames: resize handlers run before a frame's animation callbacks.
_NEXT_FRAMES = "() => new Promise((go) => requestAnimationFrame(() => requestAnimationFrame(go)))"


def assert_fits_small_screens(page: Page) -> None:
    """The page as it is now, at the width of a phone and of a tablet, scrolls only up and
    down: nothing is wider than the screen. The page is laid out again at each width (not
    reloaded), and the viewport is put back as it was."""
    size = page.viewport_size
    try:
        for width in SMALL_SCREENS:
            page.set_viewport_size({"width": width, "height": 844})
            page.evaluate(_NEXT_FRAMES)  # the page's resize handlers have run
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                pytest.fail(
                    f"{page.url} is {scroll_width} px wide on a screen of {width} px:\n"
                    + "\n".join(page.evaluate(_STICKING_OUT)),
                    pytrace=False,
                )
    finally:
        if size is not None:
            page.set_viewport_size(size)
