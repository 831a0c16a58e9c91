"""Shared judgements about background work (django.tasks with the database backend), so that the
paper, response import and Excel export pages say the same thing at the same moment."""

from datetime import datetime, timedelta

from django.utils import timezone

# Queued longer than this and never picked up: the worker (``manage.py db_worker``) may not be running.
WORKER_WAIT = timedelta(minutes=2)


def waited_too_long(queued_at: datetime | None, *, now: datetime | None = None) -> bool:
    """Whether work queued at ``queued_at`` (and still queued) has waited longer than WORKER_WAIT."""
    return queued_at is not None and (now or timezone.now()) - queued_at > WORKER_WAIT
