"""`make run` from a fresh clone, as a new user runs it: installs the runtime dependencies only,
loads the demo data, serves the site with the background worker; a paper generated through the
web pages comes back as a real PDF; the README's commands work afterwards; Ctrl+C stops it all.

Slow (it builds a virtual environment), so it runs once per suite; the clone is of the
committed HEAD, as CI sees it.
"""

import http.cookiejar
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.urlwalk import html_forms

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser: cookies, and forms posted with the CSRF token they carry."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path) -> tuple[str, bytes, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.geturl(), response.read(), response.headers.get("Content-Type", "")

    def submit(self, page: str, action_contains: str, **values) -> tuple[str, bytes, str]:
        """Post the page's form whose action contains ``action_contains``, with ``values`` typed in."""
        form = next(f for f in html_forms(page) if action_contains in f.action and f.method == "post")
        data = {name: values[name] for name in values} | {
            name: field.values[0]
            for name, field in form.fields.items()
            if field.values and name not in values
        }
        request = urllib.request.Request(
            self.base + form.action if form.action.startswith("/") else self.base + action_contains,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": self.base + "/"},
        )
        with self.opener.open(request, timeout=60) as response:
            return response.geturl(), response.read(), response.headers.get("Content-Type", "")


def sign_in_and_download_a_paper(base: str) -> str:
    """As notts.officer: open the Nottinghamshire case, its paper, press "Generate paper", wait for
    the worker, download the PDF. Returns the PDF's text."""
    browser = Browser(base)
    _, login, _ = browser.get("/accounts/login/")
    url, _, _ = browser.submit(
        login.decode(), "/accounts/login/", username="notts.officer", password="demo-password-1"
    )
    assert not url.endswith("/accounts/login/"), "the demo login signs in"
    _, case, _ = browser.get("/case/notts-2011/")
    paper_path = re.search(r'href="(/paper/\d+/)"', case.decode()).group(1)
    _, page, _ = browser.get(paper_path)
    browser.submit(page.decode(), "/versions/new/")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        _, page, _ = browser.get(paper_path)
        text = page.decode()
        assert "could not be printed" not in text, re.search(
            r"could not be printed.{0,400}", text, re.S
        ).group(0)
        if "Download PDF<span" in text:
            break
        time.sleep(2)
    else:
        pytest.fail("the worker did not print the paper within 3 minutes:\n" + text[-3000:])
    _, pdf, content_type = browser.get(paper_path + "pdf/")
    assert content_type == "application/pdf"
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="make run serves SQLite whatever DATABASE_URL says (this test drops it), so it is the "
    "same test in the PostgreSQL pass: CI runs it once, in the SQLite pass",
)
def test_make_run_from_fresh_clone_serves_the_site_and_prints_papers(tmp_path):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.fail("make run must be tested from a git clone; no git repository found")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env.pop("VIRTUAL_ENV", None)
    log = (tmp_path / "make-run.log").open("w+")
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"make run exited with {proc.returncode}:\n{log.read()[-4000:]}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as response:
                    body = response.read().decode()
                    status = response.status
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(2)
        else:
            log.seek(0)
            pytest.fail(f"make run did not serve within 15 minutes:\n{log.read()[-4000:]}")

        assert status == 200
        assert "Sign in" in body

        # Every other page needs a login: the dashboard redirects to the login page.
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"http://127.0.0.1:{port}/", timeout=5)
        assert redirect.value.code == 302
        assert "/accounts/login/" in redirect.value.headers["Location"]

        log.seek(0)
        output = log.read()
        assert f"http://127.0.0.1:{port}/" in output
        assert "notts.officer" in output, "the demo logins are printed"
        for reference in ("notts-2011", "staffs-2022", "leics-2019", "dorset-2019", "notts-foi-10653"):
            assert reference in output, f"seed case {reference} is loaded"

        # Runtime dependencies only: nothing from the test extra is installed.
        venv_python = clone / ".venv" / "bin" / "python"
        for test_only in ("pytest", "playwright", "factory"):
            found = subprocess.run([venv_python, "-c", f"import {test_only}"], capture_output=True)
            assert found.returncode != 0, f"make run installed {test_only}, a test dependency"

        # A paper generated through the web pages comes back from the worker as a real PDF.
        text = sign_in_and_download_a_paper(f"http://127.0.0.1:{port}")
        for fact in ("Nottinghamshire County Council", "£361,658", "£972,926", "Option B"):
            assert fact in text, f"{fact} is in the PDF"

        # The README's commands work as written, with nothing exported (make run wrote .env).
        assert "DEBUG=true" in (clone / ".env").read_text()
        plain = {k: v for k, v in env.items() if k not in {"DEBUG"}}
        command = subprocess.run(
            [venv_python, "manage.py", "load_seed_cases"],
            cwd=clone,
            env=plain,
            capture_output=True,
            text=True,
        )
        assert command.returncode == 0, command.stderr
        assert "notts-2011: 0 created, 0 updated" in command.stdout

        # Ctrl+C stops the server and the worker together.
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
        left = subprocess.run(["pgrep", "-f", f"{clone}/manage.py"], capture_output=True, text=True)
        assert left.stdout.strip() == "", f"still running after Ctrl+C: {left.stdout}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()
