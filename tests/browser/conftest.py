"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Fixtures for every browser test:

- ``live_page``: a Playwright page whose relative URLs go to the live server
  (``live_page.goto("/accounts/login/")``); the test fails if the page breaks the CSP.
- ``browser_user``: an officer of Nottinghamshire County Council with a known password
  (``BROWSER_PASSWORD``).
- ``logged_in_page``: ``live_page`` signed in as ``browser_user``.
- ``axe``: ``axe(page, "dashboard")`` runs axe-core on the page and fails on any WCAG 2.2 AA
  violation, listing each one.
- ``screenshot``: ``screenshot(page, "dashboard")`` saves test-output/screenshots/dashboard.png.

Chromium is Debian's (/usr/bin/chromium): never run ``playwright install`` (it downloads browsers
and fails here).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import OrganisationFactory, ProfileFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
BROWSER_PASSWORD = "correct horse battery staple"
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "locale": "en-GB"}


@pytest.fixture
def live_page(page, transactional_db):
    """A page on the live server that records Content Security Policy violations and script errors."""
    problems = []

    def on_console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"Script error: {error}"))
    page.set_default_timeout(10_000)
    yield page
    assert not problems, "The page broke the CSP or raised script errors:\n" + "\n".join(problems)


@pytest.fixture
def browser_user(transactional_db):
    organisation = OrganisationFactory(name="Nottinghamshire County Council", short_name="NCC")
    return ProfileFactory(
        user__username="notts.officer",
        user__first_name="Nina",
        user__last_name="Officer",
        user__password=BROWSER_PASSWORD,
        organisation=organisation,
    ).user


@pytest.fixture
def logged_in_page(live_page, browser_user, live_server):
    """Signed in by session cookie: quicker than the form, which test_journeys_basic covers."""
    client = Client()
    client.force_login(browser_user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    live_page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    return live_page


@pytest.fixture(scope="session")
def axe_source():
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm install` (axe-core is an npm devDependency)")
    return AXE_JS.read_text()


@pytest.fixture
def axe(axe_source):
    """Inject axe-core and assert zero WCAG 2.2 AA violations.

    Injected with page.evaluate, not page.add_script_tag: a <script> tag added to the page is
    subject to the strict CSP (no nonce) and would be blocked, while evaluate runs through the
    DevTools protocol, outside the page's CSP. So the page under test keeps its real policy.
    """

    def check(page, name=""):
        page.evaluate(axe_source)
        results = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = results["violations"]
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    "
            + "\n    ".join(node["html"][:200] for node in v["nodes"][:5])
            for v in violations
        )
        assert not violations, f"axe found {len(violations)} violation(s) on {name or page.url}:\n{report}"
        return results

    return check


@pytest.fixture
def screenshot():
    def save(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
