"""The load test's own arithmetic and refusals (its figures come from running it: README)."""

import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from commissioning.management.commands.load_test import SERVER_KEEPALIVE, Command, pause, percentile


def test_percentile_is_the_nearest_rank():
    times = [float(n) for n in range(1, 101)]  # 1 to 100
    # 0.95 of the 99 steps from the first to the last is 94.05, rounded to 94: the 95th value.
    assert percentile(times, 0.95) == 95.0
    assert percentile(times, 0.5) == 51.0  # 49.5 rounds to the even 50: the 51st value
    assert percentile([3.0], 0.95) == 3.0


@pytest.mark.django_db
def test_it_refuses_a_user_who_does_not_exist():
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("load_test", "--user", "nobody", "--seconds", "1")


def test_a_users_reading_times_are_even_around_the_mean_and_the_same_on_a_rerun():
    draws = [pause(random.Random(7), 5.0) for _ in range(2)]
    assert draws[0] == draws[1]  # the same user number, the same pause
    rng = random.Random(3)
    pauses = [pause(rng, 5.0) for _ in range(2000)]
    assert min(pauses) >= 2.5 and max(pauses) <= 7.5  # 0.5 to 1.5 times the mean
    assert 4.8 < sum(pauses) / len(pauses) < 5.2  # an even spread's mean is the middle, 5 s
    assert pause(random.Random(1), 0.0) == 0.0  # no reading time: the saturation run


@pytest.mark.django_db
def test_it_refuses_a_negative_reading_time():
    with pytest.raises(CommandError, match="--think must be 0 seconds or more"):
        call_command("load_test", "--think", "-1", "--seconds", "1")


def test_users_reconnect_after_the_servers_keepalive():
    """After a pause the server has closed an idle connection: the load test's idea of how long it
    keeps one is gunicorn.conf.py's, or every user would fail on its next page."""
    settings = {}
    exec((django_settings.BASE_DIR / "gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own file
    assert settings["keepalive"] == SERVER_KEEPALIVE


class ClosesEveryConnection(BaseHTTPRequestHandler):
    """Answers 200 as HTTP/1.1 (so the client keeps the connection) then closes it, as gunicorn
    does to an idle connection or when it renews a worker."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        self.close_connection = True

    def log_message(self, *args):
        pass


def test_a_kept_connection_the_server_closed_is_asked_again_not_an_error():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ClosesEveryConnection)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        line = Command().level(server.server_address[1], "a=b", ["/one", "/two"], users=2, seconds=1)
    finally:
        server.shutdown()
        server.server_close()
    requests = int(line.split(": ", 1)[1].split(" requests")[0])
    assert requests > 2  # each user asked more than once on its kept connection, each time closed
    assert line.endswith("errors 0")
