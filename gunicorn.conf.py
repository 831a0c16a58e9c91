"""gunicorn's settings in production: ``gunicorn -c gunicorn.conf.py commissioning.wsgi``.

Stateless app servers: nothing is held in a worker's memory between requests (sessions, sign-in
throttling and queued tasks are rows in PostgreSQL), so scaling out is more of these processes,
on this machine or others, behind the proxy, all on the same database. Each can be tuned from the
environment without editing this file.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# One worker per core; each answers several requests at once on threads, which wait on PostgreSQL
# rather than compute. 2 workers x 4 threads on a 2-core machine.
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request that takes longer than this is killed: CSV exports stream, so even 40,000 rows answer
# well inside it; a long paper is printed by the task worker, never in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On a restart or scale-down, a worker finishes the requests it has for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Renew workers now and then, staggered, so a slow leak never builds up.
max_requests = 2000
max_requests_jitter = 200
# Logs to stdout and stderr, for the container's or the service manager's log.
accesslog = "-"
errorlog = "-"
# gunicorn 27 opens a control socket under ~/.gunicorn by default; the service never uses it.
control_socket_disable = True
# Behind the proxy: trust its X-Forwarded-* headers (TRUST_PROXY_HEADERS=true in the app too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
