"""Service settings (broker, database, data directory, limits), read from JUESUAN_* like the pipeline's own."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(user_data_dir("juesuan", appauthor=False))


class ServiceSettings(BaseSettings):
    """Every field can be set as JUESUAN_<NAME>, e.g. JUESUAN_BROKER_URL=amqp://guest:guest@mq:5672//."""

    model_config = SettingsConfigDict(env_prefix="JUESUAN_", extra="ignore")

    broker_url: str = Field("redis://127.0.0.1:6379/0", description="redis://… or amqp://…")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL, e.g. postgresql+psycopg://user@db/juesuan; default: SQLite in data_dir"
    )
    data_dir: Path = Field(default_factory=_default_data_dir, description="uploaded files, by content hash")
    queue: str = Field("juesuan", description="the Celery queue jobs go to")
    api_token: SecretStr | None = Field(None, description="bearer token; required off loopback")
    max_upload_mb: float = Field(100.0, gt=0, description="larger uploads are refused (HTTP 413)")

    job_time_limit_s: int = Field(3600, ge=10, description="a job running longer is killed and failed")
    visibility_timeout_s: int = Field(
        7200, ge=20, description="Redis: an unacknowledged job is redelivered after this; > job_time_limit_s"
    )
    max_lost_deliveries: int = Field(
        3, ge=1, description="deliveries that died mid-job (worker killed) before the job is failed as poison"
    )
    llm_retries: int = Field(3, ge=0, description="re-queues of a job whose LLM endpoint stayed unreachable")
    llm_retry_backoff_s: float = Field(30.0, gt=0, description="first re-queue delay; doubles per retry")
    llm_retry_backoff_max_s: float = Field(600.0, gt=0)
    lease_grace_s: int = Field(
        60, ge=1, description="a running job is taken for dead this long after its hard time limit (reaper)"
    )
    requeue_queued_after_s: int | None = Field(
        None, ge=60, description="re-send a job queued this long and never started; default visibility_timeout_s"
    )
    reap_interval_s: float = Field(
        60.0, ge=0, description="how often the API looks for left-behind jobs (0: only at start-up)"
    )

    @model_validator(mode="after")
    def _visibility_outlasts_jobs(self) -> ServiceSettings:
        # Redis redelivers an unacknowledged message once this passes: shorter than a job means a second
        # worker starts the same job while the first is still on it.
        if self.visibility_timeout_s <= self.job_time_limit_s:
            raise ValueError(
                f"visibility_timeout_s ({self.visibility_timeout_s}) must exceed job_time_limit_s "
                f"({self.job_time_limit_s})"
            )
        if self.llm_retry_backoff_max_s >= self.visibility_timeout_s:
            raise ValueError("llm_retry_backoff_max_s must be shorter than visibility_timeout_s")
        if self.requeue_after_s <= self.llm_retry_backoff_max_s:  # a job waiting for an LLM retry is queued
            raise ValueError("requeue_queued_after_s must be longer than llm_retry_backoff_max_s")
        return self

    @property
    def requeue_after_s(self) -> int:
        return self.requeue_queued_after_s or self.visibility_timeout_s

    @property
    def lease_s(self) -> int:
        """How long a delivery can be alive: the hard time limit kills it by then, plus time to settle."""
        return self.job_time_limit_s + self.lease_grace_s

    @property
    def db_url(self) -> str:
        """The database URL: the setting, else a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'juesuan.db'}"

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)
