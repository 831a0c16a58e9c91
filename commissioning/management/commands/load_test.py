"""``manage.py load_test``: a bounded load test of the production server on this machine.

Starts gunicorn with ``gunicorn.conf.py`` on 127.0.0.1 (a free port; ``--workers``, default 2),
signs one officer in (``--user``, default the scale data's ``scale.officer``), and for each number
of users (``--users 10 50``) and each think time (``--think 0 5``, seconds, default 0) runs that
many users for ``--seconds`` (default 60), each requesting a mixed workload in turn: the dashboard,
the registers, a case page, a CSV export. It prints, per level, requests, requests a second, median,
p95 and the slowest time, and the errors (any answer but 200, or a failed connection). It only
ever connects to 127.0.0.1 and stops gunicorn at the end, or on Ctrl+C.

The user model: a user asks for a page, reads it, then clicks the next. With ``--think 0`` nobody
reads: every user asks again the moment an answer arrives, so N users are N requests always in
flight, the server's saturation. With ``--think T`` each user pauses between an answer and its next
request for a time drawn evenly from 0.5 T to 1.5 T (mean T), and starts at a random moment in its
first T seconds so the users do not arrive together; the draws come from a generator seeded with
the user's number, so a rerun makes the same pauses. Only the requests are timed, never the pauses.
As a browser does, a user keeps its connection between pages, but after a pause longer than the
server keeps an idle connection (gunicorn.conf.py's ``keepalive``) it connects anew, and that
connection's time counts in the request's; if the server closes a kept connection before answering
(a worker renewed after ``max_requests``), the user asks once more on a new one, as browsers do, and
the request's time runs from the first attempt. Any other failure is an error.

The clients run in this process on threads, on the same cores as the server: on a shared 2-core
machine the figures are indicative, to compare runs of one session, not absolute capacities.
"""

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from importlib.util import find_spec

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse

from commissioning.management.commands.benchmark_pages import PAGES
from commissioning.models import Case
from commissioning.scale_data import FOCUS_OFFICER

# (label, URL name, query): the mix each client cycles through, a case page added at run time:
# the dashboard and the registers benchmark_pages times, a second page and a CSV download.
WORKLOAD = [
    *(page for page in PAGES if not page[2] and page[0] != "Organisations"),
    ("Cases page 2", "commissioning:case-list", "?page=2"),
    ("Contracts CSV", "contracts:contract-list", "?export=csv"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# gunicorn.conf.py's ``keepalive``: seconds the server keeps an idle connection open.
SERVER_KEEPALIVE = 5


# How a kept connection the server has closed fails on its next request, before any answer.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def get(connection: http.client.HTTPConnection, path: str, cookie: str) -> int:
    """One signed-in GET on ``connection`` (connecting if it is closed), read to its end: the status."""
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    return response.status


def pause(rng: random.Random, think: float) -> float:
    """One user's reading time before its next click: evenly from 0.5 to 1.5 times ``think``."""
    return rng.uniform(0.5 * think, 1.5 * think) if think > 0 else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Load-test gunicorn on 127.0.0.1 with a mixed workload at given numbers of users."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, nargs="+", default=[10, 50])
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument(
            "--think",
            type=float,
            nargs="+",
            default=[0.0],
            help="each user's mean reading time between pages, in seconds (0: none, the saturation)",
        )
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--user", default=FOCUS_OFFICER, help="the officer every client signs in as")

    def handle(self, *args, users, seconds, think, workers, user, **options):
        if any(mean < 0 for mean in think):
            raise CommandError("--think must be 0 seconds or more")
        if find_spec("gunicorn") is None:
            raise CommandError("gunicorn is not installed: it is a runtime dependency; run make run once")
        officer = get_user_model().objects.filter(username=user).first()
        if officer is None:
            raise CommandError(f"No user {user!r}: run generate_scale_data, or pass --user")
        paths = [reverse(name) + query for _, name, query in WORKLOAD]
        case = Case.objects.visible_to(officer).order_by("reference").first()
        if case is not None:
            paths.append(case.get_absolute_url())
        cookie = self.session_cookie(officer)
        port = free_port()
        server = self.start_server(port, workers)
        try:
            self.wait_until_up(port, server)
            self.stdout.write(
                f"gunicorn on 127.0.0.1:{port}: {workers} workers; {len(paths)} pages in the mix; "
                f"signed in as {user}; database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
            )
            warm = self.warm_up(port, cookie, paths, workers)
            self.stdout.write(f"warm-up: every page of the mix once per worker, {warm:.0f} s (not counted)")
            for mean in think:
                for count in users:
                    self.stdout.write(self.level(port, cookie, paths, count, seconds, mean))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()

    def session_cookie(self, officer) -> str:
        client = Client()
        client.force_login(officer)
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def start_server(self, port: int, workers: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            # The load test speaks plain HTTP to 127.0.0.1, with no proxy in front.
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
        ]
        return subprocess.Popen(
            [*command, "commissioning.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_until_up(self, port: int, server: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not start within 60 s")

    def warm_up(self, port: int, cookie: str, paths: list[str], workers: int) -> float:
        """Each worker's first requests import and compile what the rest reuse: send every page of
        the mix on as many connections as there are workers, once, before anything is timed."""
        started = time.monotonic()

        def fetch_all():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            for path in paths:
                connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                connection.getresponse().read()
            connection.close()

        threads = [threading.Thread(target=fetch_all, daemon=True) for _ in range(workers * 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - started

    def level(
        self, port: int, cookie: str, paths: list[str], users: int, seconds: float, think: float = 0.0
    ) -> str:
        times: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client(number: int):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            turn = number  # each client starts at a different page of the mix
            rng = random.Random(number)
            time.sleep(min(rng.uniform(0, think), max(0.0, stop_at - time.monotonic())))
            while time.monotonic() < stop_at:
                path = paths[turn % len(paths)]
                turn += 1
                start = time.perf_counter()
                try:
                    status = get(connection, path, cookie)
                except STALE_CONNECTION:
                    # The server closed a kept connection before answering (an idle timeout, or a
                    # worker renewed after max_requests): a browser asks again on a new one, once.
                    connection.close()
                    try:
                        status = get(connection, path, cookie)
                    except (OSError, http.client.HTTPException) as error:
                        status = type(error).__name__
                        connection.close()
                except (OSError, http.client.HTTPException) as error:
                    status = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                elapsed = time.perf_counter() - start
                with lock:
                    times.append(elapsed)
                    if status != 200:
                        errors.append(f"{path}: {status}")
                reading = pause(rng, think)
                time.sleep(min(reading, max(0.0, stop_at - time.monotonic())))
                if reading >= SERVER_KEEPALIVE:
                    connection.close()  # the server has closed its end: the next request reconnects
            connection.close()

        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(users)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        who = f"{users} users" + (f" reading {think:g} s a page" if think else " (no reading time)")
        if not times:
            return f"{who}: no request finished in {seconds:.0f} s"
        line = (
            f"{who} for {seconds:.0f} s: {len(times)} requests, {len(times) / wall:.1f}/s; "
            f"median {statistics.median(times) * 1000:.0f} ms, p95 {percentile(times, 0.95) * 1000:.0f} ms, "
            f"slowest {max(times) * 1000:.0f} ms; errors {len(errors)}"
        )
        if errors:
            line += " (" + "; ".join(sorted(set(errors))[:5]) + ")"
        return line
