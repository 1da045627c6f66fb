"""Service pieces without services: the queue's durability settings, when the LLM counts as down, the review
page and the CSV."""

from __future__ import annotations

import csv
import io
import json

from pipeline.extract import ExtractionResult, PartError
from pipeline.llm.ledger import Ledger
from pipeline.record import Record, figure
from pipeline.service.celery_app import TASK_NAME, make_celery
from pipeline.service.models import RecordRow
from pipeline.service.review import output_of, review_html, table_csv
from pipeline.service.settings import ServiceSettings
from pipeline.service.work import outcome_of, unavailable_reason
from pipeline.validate import ValidationReport, Violation


def test_job_queue_is_durable_and_job_messages_persistent():
    """What a broker restart needs (RabbitMQ; Redis with appendonly): a durable queue, persistent messages,
    acks only after the job is settled, publisher confirms. Checked on the config and on a sent message."""
    celery = make_celery(ServiceSettings(broker_url="memory://", queue="unit-durable"))
    conf = celery.conf
    (queue,) = conf.task_queues
    assert (queue.name, queue.durable, queue.auto_delete, queue.exclusive) == ("unit-durable", True, False, False)
    assert queue.exchange.durable and queue.exchange.type == "direct" and queue.routing_key == "unit-durable"
    assert conf.task_default_delivery_mode == "persistent" and not conf.task_create_missing_queues
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["confirm_publish"] is True
    assert list(celery.amqp.queues) == ["unit-durable"]

    celery.send_task(TASK_NAME, args=["ab" * 16], queue="unit-durable")
    with celery.connection_for_read() as conn:
        message = celery.amqp.queues["unit-durable"](conn.default_channel).get(no_ack=True)
    assert message is not None and message.headers["task"] == TASK_NAME
    assert message.properties["delivery_mode"] == 2  # persistent
    assert message.delivery_info["routing_key"] == "unit-durable"


def result(errors: list[PartError], **ledger) -> ExtractionResult:
    return ExtractionResult(
        document="r.pdf", sha256="0" * 64, record=Record(), status="unresolved",
        validation=ValidationReport(grounded_document=True), ledger=Ledger(**ledger), errors=errors,
    )


def test_llm_down_only_when_sent_calls_failed_and_left_parts_unread():
    down = PartError(part="summary", stage="extract", error="LLM x [summary]: connection failed (gave up)")
    assert "connection failed" in unavailable_reason(result([down], calls=4, failed_calls=4))
    assert unavailable_reason(result([], calls=4, failed_calls=1)) is None  # a retried call that then worked
    assert unavailable_reason(result([down], calls=3, invalid_outputs=3)) is None  # answered, badly
    spent = PartError(part="summary", stage="extract", error="budget", budget_spent=True)
    assert unavailable_reason(result([spent], calls=9, failed_calls=1)) is None
    repair = PartError(part="summary", stage="repair", error="LLM x: HTTP 503")
    assert unavailable_reason(result([repair], calls=5, failed_calls=2)) is None  # first answer kept


def test_outcome_keeps_errors_and_identity():
    r = result([PartError(part="income", stage="extract", error="boom")])
    r.record.department, r.record.fiscal_year = "某局", 2024
    out = outcome_of(r)
    assert (out.department, out.fiscal_year, out.status) == ("某局", 2024, "unresolved")
    assert out.errors == [{"part": "income", "stage": "extract", "error": "boom", "chunk": None,
                           "budget_spent": False}]


def test_outcome_keeps_the_status_reasons_and_refused_numbers_for_the_review_page(tmp_path):
    """The service's review page lists the numbers refused and why the record is unresolved, as the CLI's
    does: they are stored with the record and come back in its output."""
    from pipeline.extract.answers import RejectedFigure

    r = result([])
    r.status_reasons = ["T5 not read"]
    r.rejected = [RejectedFigure(part="income", path="income.other", label="其他收入", value="9.99",
                                 quote="其他收入9.99万元", reason="原文中找不到这段引文")]
    out = outcome_of(r)
    row = RecordRow(record_json=r.record.model_dump_json(), validation_json=r.validation.model_dump_json(),
                    status=out.status, errors_json="[]", details_json=json.dumps(out.details, ensure_ascii=False))
    output = output_of(row)
    assert output["status_reasons"] == ["T5 not read"] and output["rejected"][0]["path"] == "income.other"
    html = review_html("r.pdf", tmp_path / "gone.pdf", output)
    assert "income.other" in html and "原文中找不到这段引文" in html and "T5 not read" in html
    assert output_of(_row(Record(), ValidationReport(grounded_document=False), "reconciled"))["status"] == "reconciled"


def _row(record: Record, report: ValidationReport, status: str) -> RecordRow:
    return RecordRow(record_json=record.model_dump_json(), validation_json=report.model_dump_json(),
                     status=status, errors_json="[]")


def test_review_page_escapes_document_text_and_lists_violations(tmp_path):
    record = Record(department="<b>某局</b>", fiscal_year=2024)
    record.summary.total = figure("1234.56", "总计<script>alert(1)</script>1,234.56万元", page=3)
    report = ValidationReport(grounded_document=True, violations=[Violation(
        rule="T1.total", title_zh="收支总计", title_en="totals", subject="summary.total", severity="error",
        cls="extraction", message="income ≠ expenditure <img>",
    )])
    html = review_html("a&b.pdf", tmp_path / "gone.pdf", output_of(_row(record, report, "unresolved")))
    assert "<script>alert" not in html and "&lt;script&gt;" in html and "<img>" not in html
    assert "&lt;b&gt;某局&lt;/b&gt;" in html
    assert "summary.total" in html and "1234.56" in html and "T1.total" in html and 'id="v1"' in html


def test_figures_csv_is_the_shared_writers_with_page_and_quote_per_figure():
    record = Record(department="某局")
    record.summary.total = figure("1234.56", "总计1,234.56万元", page=3)
    record.income.total = figure("1000", "@SUM(A1:A9)收入合计1,000.00", page=4)
    output = output_of(_row(record, ValidationReport(grounded_document=False), "reconciled"))
    text = table_csv("figures", "a.pdf", output, "/v1/documents/x/review", "en")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["path"], r["value"], r["page"], r["department"]) for r in rows] == [
        ("summary.total", "1234.56", "3", "某局"), ("income.total", "1000", "4", "某局")]
    assert rows[0]["quote"] == "总计1,234.56万元" and rows[0]["review"] == "/v1/documents/x/review#f1"
    assert rows[1]["quote"].startswith("'@SUM")  # a formula from a crafted PDF never runs in a spreadsheet
    zh = list(csv.DictReader(io.StringIO(table_csv("figures", "a.pdf", output, None, "zh").lstrip("\ufeff"))))
    assert zh[0]["指标"] == "收支总计" and zh[0]["原文"] == "总计1,234.56万元"


def test_worker_concurrency_splits_cores_between_jobs_unless_threads_are_set(monkeypatch):
    from pipeline.service import main

    monkeypatch.setattr(main, "usable_cores", lambda: 8)
    env: dict[str, str] = {}
    main.split_cores(1, env)
    assert env == {}  # one job at a time: the libraries' defaults (every core)
    main.split_cores(3, env)
    assert env == {"JUESUAN_LLM_THREADS": "2", "JUESUAN_OCR_THREADS": "2"}
    env = {"JUESUAN_LLM_THREADS": "0"}  # given: kept
    main.split_cores(16, env)
    assert env == {"JUESUAN_LLM_THREADS": "0", "JUESUAN_OCR_THREADS": "1"}
