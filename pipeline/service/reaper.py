"""Jobs nobody is working on are sent again: the reaper, run by the API at start-up and then periodically.

Three ways a job can be left behind, each found by a query and claimed by a conditional UPDATE (so several
API processes reaping at once send one message per job):

- queued and never sent: the broker was down at upload and nobody uploaded the file again;
- queued, sent long ago (``requeue_queued_after_s``) and never started: its message was lost (a broker
  restarted without persistence, a delivery that could not start and was dropped);
- running past its lease (start + the hard time limit + ``lease_grace_s``): the delivery died without the
  broker noticing (Redis keeps an unacknowledged message for hours). This counts as a lost delivery, and at
  ``max_lost_deliveries`` the job fails as poison instead of going round again.

A duplicate message a reaper sends when the old one was only slow is harmless: a delivery that finds its
job running under another message's live lease, or settled, does nothing.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from pipeline.service.dispatch import Dispatcher
from pipeline.service.models import Job, utcnow
from pipeline.service.settings import ServiceSettings

log = logging.getLogger(__name__)


def reap(sessions: sessionmaker[Session], dispatcher: Dispatcher, settings: ServiceSettings,
         now: datetime | None = None) -> list[str]:
    """Send every left-behind job again (or fail it as poison); the ids of the jobs sent."""
    now = now or utcnow()
    sent: list[str] = []
    with sessions() as session:
        unsent = session.scalars(select(Job.id).where(Job.status == "queued", Job.enqueued_at.is_(None))).all()
        stale = session.scalars(select(Job.id).where(
            Job.status == "queued", Job.enqueued_at < now - timedelta(seconds=settings.requeue_after_s))).all()
        dead = session.scalars(select(Job.id).where(_dead(now, settings))).all()
    for job_id in unsent:
        with sessions() as session:
            if _send(job_id, "never sent", dispatcher.enqueue, session, job_id):
                sent.append(job_id)
    for job_id in stale:
        still = and_(Job.status == "queued", Job.enqueued_at < now - timedelta(seconds=settings.requeue_after_s))
        with sessions() as session:
            if _claim_and_send(session, dispatcher, job_id, still, {}, "queued too long"):
                sent.append(job_id)
    for job_id in dead:
        with sessions() as session:
            if _requeue_dead(session, dispatcher, job_id, now, settings):
                sent.append(job_id)
    return sent


def _dead(now: datetime, settings: ServiceSettings):
    """A running job whose delivery cannot be alive any more (rows from before leases: by start time)."""
    longest = timedelta(seconds=settings.job_time_limit_s + settings.lease_grace_s)
    return and_(Job.status == "running", or_(
        Job.lease_until < now, and_(Job.lease_until.is_(None), Job.started_at < now - longest)))


def _requeue_dead(session: Session, dispatcher: Dispatcher, job_id: str, now: datetime,
                  settings: ServiceSettings) -> bool:
    job = session.get(Job, job_id)
    if job is None:
        return False
    lost = job.lost_deliveries + 1
    if lost >= settings.max_lost_deliveries:
        failed = session.execute(update(Job).where(Job.id == job_id, _dead(now, settings)).values(
            status="failed", stage=None, lost_deliveries=lost, lease_until=None, finished_at=now,
            error=f"gave up after {lost} deliveries died mid-job (last on {job.worker}, which stopped answering "
                  f"within its time limit): the document may crash the pipeline. "
                  f"Retry with POST /v1/jobs/{job_id}/retry")).rowcount
        session.commit()
        if failed:
            log.warning("job %s failed as poison after %d lost deliveries", job_id, lost)
        return False
    note = f"re-queued: the delivery on {job.worker} did not finish within its time limit"
    return _claim_and_send(session, dispatcher, job_id, _dead(now, settings), {
        "status": "queued", "stage": None, "lost_deliveries": lost, "lease_until": None, "error": note}, note)


def _claim_and_send(session: Session, dispatcher: Dispatcher, job_id: str, still, values: dict,
                    why: str) -> bool:
    """Set ``values`` and a new message id where ``still`` holds (one reaper wins), then send that message."""
    message_id = uuid.uuid4().hex
    claimed = session.execute(update(Job).where(Job.id == job_id, still).values(
        **values, enqueued_at=utcnow(), message_id=message_id, updated_at=utcnow())).rowcount
    session.commit()
    if not claimed:
        return False
    return _send(job_id, why, dispatcher.send_claimed, session, job_id, message_id)


def _send(job_id: str, why: str, send: Callable[..., object], *args: object) -> bool:
    try:
        done = send(*args)
    except Exception as e:  # broker down: the claim was given back; the next round tries again
        log.warning("could not re-send job %s (%s): %s", job_id, why, e)
        return False
    if done is False:
        return False  # another process claimed it first
    log.info("re-sent job %s: %s", job_id, why)
    return True


class ReaperThread(threading.Thread):
    """Runs :func:`reap` now and every ``settings.reap_interval_s`` until stopped; a failed round (database
    down) is logged and the next one tries again."""

    def __init__(self, sessions: sessionmaker[Session], dispatcher: Dispatcher, settings: ServiceSettings):
        super().__init__(name="juesuan-reaper", daemon=True)
        self.sessions, self.dispatcher, self.settings = sessions, dispatcher, settings
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                reap(self.sessions, self.dispatcher, self.settings)
            except Exception as e:
                log.warning("reaper round failed: %s", e)
            if not self.settings.reap_interval_s:
                return  # start-up only
            self.stopped.wait(self.settings.reap_interval_s)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)

