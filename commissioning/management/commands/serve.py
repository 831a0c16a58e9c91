"""``manage.py serve``: the web server and the background worker together, for development.

``make run`` ends with this, so a paper's PDF (laid out by the worker) is ready without a second
terminal. Ctrl+C (or SIGTERM) stops both; if either stops by itself, the other is stopped too and
the command exits with its status, so a broken worker is never left unnoticed behind a server.
In production run them as separate services (gunicorn and ``manage.py db_worker``).
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site and run the background worker together (development); Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        commands = {
            "server": [sys.executable, manage, "runserver", addrport, "--noreload"],
            "worker": [sys.executable, manage, "db_worker", "--no-reload", "--interval", "1"],
        }
        children = {name: subprocess.Popen(command) for name, command in commands.items()}
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                ended = {name: child.poll() for name, child in children.items() if child.poll() is not None}
                if ended:
                    name, status = next(iter(ended.items()))
                    self.stderr.write(f"The {name} stopped (exit status {status}); stopping the rest.")
                    return_code = status or 1
                    break
                time.sleep(0.5)
            else:
                return_code = 0
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children.values():
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if return_code:
            sys.exit(return_code)
