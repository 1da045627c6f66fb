"""Sending a job's message to the broker: once per claim, never twice for one claim.

A send is claimed in the database first (:func:`jobs.claim_send`, a conditional UPDATE) and only the caller
that won the claim publishes, under a message id of its own choosing (the Celery task id), so a delivery
can tell the job's current message from a stale duplicate. A publish that fails gives the claim back.
"""

from __future__ import annotations

import uuid

from celery import Celery
from sqlalchemy.orm import Session

from pipeline.service import jobs
from pipeline.service.celery_app import TASK_NAME


class Dispatcher:
    def __init__(self, celery: Celery, queue: str):
        self.celery = celery
        self.queue = queue

    def publish(self, job_id: str, message_id: str) -> None:
        self.celery.send_task(TASK_NAME, args=[job_id], queue=self.queue, task_id=message_id)

    def enqueue(self, session: Session, job_id: str) -> bool:
        """Send the job's message unless another caller has claimed that already; True when this call sent
        it. Raises (the claim given back) when the broker cannot be reached."""
        message_id = uuid.uuid4().hex
        if not jobs.claim_send(session, job_id, message_id):
            return False
        self.send_claimed(session, job_id, message_id)
        return True

    def send_claimed(self, session: Session, job_id: str, message_id: str) -> None:
        try:
            self.publish(job_id, message_id)
        except Exception:
            jobs.release_send(session, job_id, message_id)
            raise
