"""The production layout, read as files (docker is not on the test machines): the compose file
runs PostgreSQL, the app under gunicorn and the task worker from the one image; gunicorn's
settings bound a request; connections persist."""

import runpy
from pathlib import Path

from django.conf import settings
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return YAML(typ="safe").load((ROOT / "compose.yaml").read_text())


def test_compose_runs_postgres_the_app_and_the_worker_from_one_image():
    services = compose()["services"]
    assert {"db", "app", "worker", "migrate"} <= set(services)
    assert services["db"]["image"].startswith("postgres:")
    app, worker = services["app"], services["worker"]
    assert app["build"] == worker["build"] == "."
    assert app["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]
    # The worker is the one manage.py serve starts beside the development server.
    assert worker["command"] == ["python", "manage.py", "db_worker"]
    for service in (app, worker):
        env = service["environment"]
        assert env["DEBUG"] == "false"
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert "media:/app/media" in service["volumes"]  # PDFs the worker writes, the app serves
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]


def test_dockerfile_installs_collects_static_and_runs_gunicorn():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert lines[[line.startswith("FROM") for line in lines].index(True)] == "FROM python:3.12-slim"
    text = "\n".join(lines)
    assert "pip install -e ." in text
    assert "manage.py collectstatic --noinput" in text
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "commissioning.wsgi"]' in text
    assert "USER commissioning" in text


def test_gunicorn_settings_bound_every_request():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["timeout"] == 60
    assert config["graceful_timeout"] == 30
    assert config["worker_class"] == "gthread" and config["threads"] >= 2 and config["workers"] >= 1
    assert config["control_socket_disable"] is True
    assert "gunicorn" in (ROOT / "pyproject.toml").read_text()


def test_connections_persist():
    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
