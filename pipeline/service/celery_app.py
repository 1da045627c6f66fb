"""The Celery application: broker by URL, and the delivery guarantees the service depends on.

- ``acks_late`` + ``task_reject_on_worker_lost``: a job's message is acknowledged only after the job is
  settled, so a worker killed mid-job leaves it on the broker for another worker.
- prefetch 1: a worker holds only the job it is running; the rest stay available to other workers.
- Redis ``visibility_timeout`` longer than the longest job: an unacknowledged job is redelivered only after
  its worker can no longer be running it (swept every 10 s). RabbitMQ redelivers as soon as the worker's
  connection drops; its ``consumer_timeout`` must exceed the longest job (docs/service.md).
- The queue and its exchange are durable and every message persistent (delivery mode 2), set here rather
  than left to Celery's defaults, and publishing waits for the broker's confirm (RabbitMQ): a job that the API
  answered 202 for survives a broker restart, even a SIGKILL of RabbitMQ (tested). On Redis only with
  persistence switched on (``appendonly yes``), see docs/service.md.

``celery -A pipeline.service.celery_app worker`` uses ``app`` below, configured from JUESUAN_* variables.
"""

from __future__ import annotations

from celery import Celery
from kombu import Exchange, Queue

from pipeline.service.settings import ServiceSettings

TASK_NAME = "juesuan.run_job"


def job_queue(name: str) -> Queue:
    """The jobs' queue: durable, on a durable direct exchange of the same name (what Celery would declare
    by default, so brokers that hold the queue from an earlier version accept the declaration)."""
    return Queue(name, Exchange(name, type="direct", durable=True), routing_key=name, durable=True)


def make_celery(settings: ServiceSettings) -> Celery:
    celery = Celery("juesuan", broker=settings.broker_url, include=["pipeline.service.tasks"])
    celery.conf.update(
        task_queues=[job_queue(settings.queue)],
        task_create_missing_queues=False,  # only the durable queue above
        task_default_queue=settings.queue,
        task_default_exchange=settings.queue,
        task_default_routing_key=settings.queue,
        task_default_delivery_mode="persistent",
        task_routes={TASK_NAME: {"queue": settings.queue}},
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,  # failures are recorded in the database, not redelivered
        task_time_limit=settings.job_time_limit_s,
        task_soft_time_limit=max(settings.job_time_limit_s - 30, int(settings.job_time_limit_s * 0.9)),
        task_ignore_result=True,  # job state lives in the database; no result backend needed
        task_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,
        worker_max_memory_per_child=None,
        worker_hijack_root_logger=False,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_s,  # Redis / SQS
            # Redis: look for abandoned (unacknowledged, timed-out) jobs every 10 s rather than every ~100 s
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
            "confirm_publish": True,  # RabbitMQ: publishing returns only once the broker has the message
        },
        task_publish_retry=True,
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5,
                                   "interval_max": 1.0},
    )
    return celery


app = make_celery(ServiceSettings())
