"""Extraction of one document: tables, identity, every part, validation, bounded repair, a status.

``extract_document(document, client, settings)`` works on a parsed Document; ``extract_path(path, settings,
client)`` ingests and lays out the file first (timed as the ledger's ``ocr`` and ``layout`` stages). A part
whose call fails is listed in ``errors`` with its cause and the record ends ``unresolved``; nothing is
dropped silently and nothing loops: repairs stop after ``extract_repair_rounds`` or when the token budget is
spent.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from pipeline.config import Settings
from pipeline.document import Document
from pipeline.extract import identity as ident
from pipeline.extract import pointers, tagging
from pipeline.extract.answers import Answer, RejectedFigure
from pipeline.extract.assemble import Assembled, assemble
from pipeline.extract.fields import PartSpec
from pipeline.extract.parts import Identity, parse_value, response_model
from pipeline.extract.projects import read_projects
from pipeline.extract.prompts import Issue, identity_messages, pointer_messages, table_messages
from pipeline.extract.repair import collect, labels
from pipeline.extract.routing import route
from pipeline.extract.table_headers import map_headers
from pipeline.extract.table_reread import Reread, reread_tables
from pipeline.extract.tables import TableText, messy_tables, table_fields, table_source
from pipeline.llm.client import LLMClient
from pipeline.llm.errors import BudgetExceeded, LLMError
from pipeline.llm.ledger import Ledger
from pipeline.record.figure import Figure
from pipeline.record.model import Record
from pipeline.record.money import WAN
from pipeline.textindex import TextIndex
from pipeline.validate import ValidationReport, validate

if TYPE_CHECKING:
    from pipeline.reports import ReportProfile

Status = Literal["reconciled", "source_inconsistent", "unresolved"]
Owner = tuple[str, int]


class PartError(BaseModel):
    """A part (or one chunk of it) whose call failed for good: listed, never dropped silently."""

    part: str
    stage: Literal["identity", "extract", "table", "repair"]
    error: str
    chunk: int | None = None
    budget_spent: bool = False

    @property
    def fatal(self) -> bool:
        """An extraction that never came back leaves the record incomplete; a failed repair keeps the first answer."""
        return self.stage in ("extract", "table")


class PartReport(BaseModel):
    """How a part was read: where its text came from, how many calls, what was kept and rejected."""

    route: str
    section: str | None = None
    chunks: int = 0
    truncated: bool = False
    figures: int = 0
    rows: int = 0
    rejected: int = 0


class RepairRound(BaseModel):
    round: int
    parts: list[str]
    rules: list[str]


class ExtractionResult(BaseModel):
    document: str
    sha256: str
    record: Record
    status: Status
    status_reasons: list[str] = Field(default_factory=list, description="why the status is not reconciled")
    validation: ValidationReport
    ledger: Ledger
    errors: list[PartError] = Field(default_factory=list)
    rejected: list[RejectedFigure] = Field(default_factory=list)
    parts: dict[str, PartReport] = Field(default_factory=dict)
    repairs: list[RepairRound] = Field(default_factory=list)
    rereads: list[Reread] = Field(default_factory=list, description="tables read a second time, why and how")

    def output(self) -> dict:
        """The file ``juesuan extract`` writes: the record, its status, validation, ledger and errors."""
        return {
            "document": self.document,
            "sha256": self.sha256,
            "record": self.record.model_dump(mode="json"),
            "status": self.status,
            "status_reasons": self.status_reasons,
            "coverage": self.validation.coverage.model_dump(mode="json"),
            "validation": self.validation.model_dump(mode="json"),
            "ledger": self.ledger.model_dump(mode="json"),
            "errors": [e.model_dump(mode="json") for e in self.errors],
            "rejected": [r.model_dump(mode="json") for r in self.rejected],
            "parts": {k: v.model_dump(mode="json") for k, v in self.parts.items()},
            "repairs": [r.model_dump(mode="json") for r in self.repairs],
            "rereads": [r.model_dump(mode="json") for r in self.rereads],
        }


def status_of(report: ValidationReport, errors: list[PartError]) -> Status:
    return verdict(report, errors)[0]


def verdict(report: ValidationReport, errors: list[PartError]) -> tuple[Status, list[str]]:
    """The status and why. unresolved: a part failed, or our reading still breaks a rule or left the core
    tables unread (the reasons name the tables and cells); source_inconsistent: every figure involved was
    read from its cell or sentence and the report itself does not add up (or states one item two ways);
    else reconciled."""
    ours = [f"{e.part}: {e.error}" for e in errors if e.fatal] + report.unresolved_reasons()
    if ours:
        return "unresolved", ours
    theirs = [f"{v.rule} {v.subject}: {v.message}" for v in report.errors("source")] + [
        f"{v.rule} {v.subject}: {v.message}"
        for v in report.violations
        if v.rule == "AMB.alternates" and v.cls == "source" and v.severity != "error"
    ]
    return ("source_inconsistent", theirs) if theirs else ("reconciled", [])


class Extractor:
    """One document through the parts, validation and repairs, charging every call to the client's ledger."""

    def __init__(self, document: Document, client: LLMClient, settings: Settings, profile: ReportProfile,
                 parts: tuple[PartSpec, ...] | None = None):
        self.document = document
        self.client = client
        self.settings = settings
        self.profile = profile
        self.parts = profile.parts if parts is None else parts
        parts = self.parts
        self.ledger = client.ledger
        self.labels = labels(profile.parts)  # record path → the label the model answers under
        self.identities = {r.id: r.identity for r in profile.rules}  # what a repair prompt says was violated
        self.index = TextIndex(document)
        self.tables = profile.read_tables(document, None)
        self._figures_of_tables()
        self.projects = read_projects(self.index)
        self.routes = {p.name: route(document, p) for p in parts}
        self.regions = {name: self.index.region(r.blocks) for name, r in self.routes.items() if r.blocks}
        self.tagged: dict[str, list[tagging.Tagged]] = {}  # each chunk's text with its numbers' ids
        self.texts: dict[str, pointers.PartText] = {}  # what a part's chunks share: decisions, printed rows
        self.truncated: dict[str, bool] = {}
        for p in parts:
            region, r = self.regions.get(p.name, []), self.routes[p.name]
            spans, cut = tagging.chunk(self.index, region, p.chunk_chars, p.max_chunks)
            self.tagged[p.name] = [tagging.tag(self.index, c) for c in spans]
            template = r.how == "section" and self.settings.extract_prefill  # off: the model decides every field
            self.texts[p.name] = pointers.PartText.of(self.index, p, region, template, r.section)
            self.truncated[p.name] = cut
        self.answers: dict[Owner, Answer] = {}
        self.errors: list[PartError] = []
        self.repairs: list[RepairRound] = []
        self.identity = Identity()
        self.header_maps: list = []
        self.rereads: list[Reread] = []

    # ---- calls ----

    def _call_pointer(self, part: PartSpec, chunk: int, issues: list[Issue] | None = None) -> Answer | PartError:
        """One chunk read by pointing: pre-filled fields, then the model picks ids for the rest (if any)."""
        r = self.routes[part.name]
        tagged = self.tagged[part.name][chunk]
        reask = frozenset(f.label for i in issues or [] for f in i.figures)
        plan = pointers.plan(self.index, tagged, part, self.texts[part.name], chunk == 0, reask)
        name = f"repair:{part.name}" if issues else part.name
        stage = "repair" if issues else "extract"
        picked = None
        if plan.needs_model:
            options = [(a.spec.label, "、".join(f"{t} {tagged.tags[t].shown()}" for t in a.candidates))
                       for a in plan.questions if a.spec.label in reask]
            messages = pointer_messages(part, plan.questions, plan.ask_rows, tagged.text, issues, options)
            try:
                picked = self.client.complete(pointers.response_model(plan, self.index), messages, part=name)
            except LLMError as e:
                return PartError(part=part.name, stage=stage, error=str(e), chunk=chunk,
                                 budget_spent=isinstance(e, BudgetExceeded))
        try:
            return pointers.answer(self.index, plan, picked, chunk, self.regions[part.name], r.section)
        except Exception as e:  # noqa: BLE001 - a bug in one part must cost that part, not the document
            return PartError(part=part.name, stage=stage, error=f"pointing failed: {e!r}", chunk=chunk)

    def _call_table(self, tt: TableText) -> Answer | PartError:
        name = f"table:{tt.tid}"
        try:
            answer = self.client.complete(
                _table_model(tt), table_messages(tt.title, tt.table.unit, tt.fields, tt.text), part=name
            )
        except LLMError as e:
            return PartError(part=name, stage="table", error=str(e))
        out = Answer(name, 0)
        specs = {f.label: f for f in tt.fields}
        for item in answer.figures:
            spec = specs.get(item.field)
            value = parse_value(item.value)
            reason = None
            found = table_source(tt, item.quote, _plain(item.value)) if spec and value is not None else None
            if spec is None or value is None:
                reason = "不是数字" if value is None else "未知项目"
            elif found is None:
                reason = f"表中没有一行“{item.quote}”印有 {item.value}"
            elif not _names(spec, tt.tid, found[0].row or "", found[1], self.profile.links):
                reason = f"该单元格是“{found[0].row}”，不是“{spec.label}”"
            if reason is not None:
                out.rejected.append(
                    RejectedFigure(part=name, path=spec.path if spec else "?", label=item.field,
                                   value=str(item.value), quote=item.quote, reason=reason)
                )
                continue
            src, _ = found
            scale = WAN if tt.table.unit == "元" else 1
            out.figures.append((spec.path, Figure(value=value / scale, unit=spec.unit, sources=[src])))
        return out

    def _run(self, jobs: list) -> list:
        workers = max(1, min(self.settings.llm_max_concurrency, len(jobs)))
        if workers == 1:
            return [job() for job in jobs]
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda job: job(), jobs))

    # ---- stages ----

    def read_tables(self) -> None:
        """Standard tables with value columns no header rule recognised: the model maps those headers."""
        self.header_maps = map_headers(self.document, self.tables, self.client)
        if any(m.columns for m in self.header_maps):
            self._figures_of_tables()
        self.errors += [PartError(part=f"header:{m.table}", stage="table", error=m.error)
                        for m in self.header_maps if m.error]

    def reread(self, suspects: dict[str, list[str]]) -> bool:
        """Read the tables the validator doubts a second time (once); True when a reading changed."""
        with self.ledger.stage("repair"):
            done, maps = reread_tables(self.document, self.tables, suspects, self.client)
        self.rereads = done
        self.header_maps += maps
        if not any(r.how != "unchanged" for r in done):
            return False
        self._figures_of_tables()
        return True

    def _figures_of_tables(self) -> None:
        """The record fields and the 类/项 lists the typed tables state (again whenever a table is re-read)."""
        self.table_figures = table_fields(self.tables, self.profile.links)
        self.classes, self.items = self.profile.table_lists(self.tables)

    def read_identity(self) -> None:
        """The title block decides; the model is asked only when it names no department."""
        fallback = ident.heuristic(self.document)
        answer = None
        text = ident.cover_text(self.document)
        if text and fallback.department is None:
            try:
                answer = self.client.complete(Identity, identity_messages(text), part="identity")
            except LLMError as e:
                self.errors.append(PartError(part="identity", stage="identity", error=str(e)))
        self.identity = ident.reconcile(answer, self.document, fallback)

    def read_parts(self) -> None:
        jobs, keys = [], []
        messy = messy_tables(self.document, self.tables, self.profile.links, self.profile.parts,
                             self.profile.table_names) if self.profile.model_tables else []
        for tt in messy:
            jobs.append(lambda tt=tt: self._call_table(tt))
            keys.append((f"table:{tt.tid}", 0))
        for part in self.parts:
            for i in range(self._chunks(part.name)):
                jobs.append(lambda part=part, i=i: self._call_pointer(part, i))
                keys.append((part.name, i))
        for key, result in zip(keys, self._run(jobs), strict=True):
            if isinstance(result, PartError):
                self.errors.append(result)
            else:
                self.answers[key] = result

    def assemble(self) -> Assembled:
        base = Record(
            document=Path(self.document.source).name,
            department=self.identity.department,
            fiscal_year=self.identity.fiscal_year,
            report_type=self.identity.report_type,
            unit=self.identity.unit,
            tables=self.tables,
            warnings=list(self.document.warnings),  # damaged pages, unreadable images: said with the record
        )
        ordered = sorted(self.answers.items(), key=lambda kv: (not kv[0][0].startswith("table:"), self._order(kv[0])))
        answers = [a for _, a in ordered]
        return assemble(base, self.table_figures, self.classes, self.items, answers, self.projects)

    def rejected(self) -> list[RejectedFigure]:
        return [r for _, a in sorted(self.answers.items(), key=lambda kv: self._order(kv[0])) for r in a.rejected]

    def check(self) -> tuple[Assembled, ValidationReport, dict[Owner, list[Issue]]]:
        with self.ledger.stage("validate"):
            assembled = self.assemble()
            report = validate(assembled.record, self.document, profile=self.profile)
            report.violations += ident.violations(self.identity)
        return assembled, report, collect(report, assembled, self.answers, self.identities, self.labels)

    def repair(self, issues: dict[Owner, list[Issue]], round_no: int) -> bool:
        """Re-ask each chunk with issues; False when the budget stopped it."""
        jobs, keys = [], []
        for (part_name, chunk), part_issues in issues.items():
            part = next((p for p in self.parts if p.name == part_name), None)
            if part is None or part_name not in self.routes:
                continue
            jobs.append(lambda part=part, chunk=chunk, pi=part_issues: self._call_pointer(part, chunk, pi))
            keys.append((part_name, chunk))
        if not jobs:
            return False
        self.repairs.append(
            RepairRound(
                round=round_no,
                parts=sorted({k[0] for k in keys}),
                rules=sorted({i.rule for k in keys for i in issues[k]}),
            )
        )
        budget_hit = False
        for key, result in zip(keys, self._run(jobs), strict=True):
            if isinstance(result, PartError):
                self.errors.append(result)
                budget_hit = budget_hit or result.budget_spent
                continue
            self.answers[key] = _merge(self.answers.get(key), result, issues[key], self.labels)
        return not budget_hit

    def run(self, rounds: int) -> ExtractionResult:
        with self.ledger.stage("extract"):
            self.read_identity()
            if self.profile.model_tables:  # the model maps headers the kind's column words do not know
                self.read_tables()
            self.read_parts()
        assembled, report, issues = self.check()
        if self.profile.model_tables and report.suspect_tables() and self.reread(report.suspect_tables()):
            assembled, report, issues = self.check()
        for round_no in range(1, rounds + 1):
            if not issues:
                break
            if self.ledger.remaining() == 0:
                self.errors.append(PartError(part="*", stage="repair", error="token budget spent: repairs stopped"))
                break
            with self.ledger.stage("repair"):
                go_on = self.repair(issues, round_no)
            assembled, report, issues = self.check()
            if not go_on:
                break
        status, reasons = verdict(report, self.errors)
        return ExtractionResult(
            document=Path(self.document.source).name,
            sha256=self.document.sha256,
            record=assembled.record,
            status=status,
            status_reasons=reasons,
            validation=report,
            ledger=self.ledger,
            errors=self.errors,
            rejected=self.rejected(),
            parts=self._part_reports(),
            repairs=self.repairs,
            rereads=self.rereads,
        )

    def _order(self, key: Owner) -> tuple[int, int]:
        names = [p.name for p in self.parts]
        return (names.index(key[0]) if key[0] in names else -1, key[1])

    def _chunks(self, name: str) -> int:
        return len(self.tagged[name])

    def _part_reports(self) -> dict[str, PartReport]:
        out = {}
        for name, r in self.routes.items():
            answers = [a for (p, _), a in self.answers.items() if p == name]
            out[name] = PartReport(
                route=r.how,
                section=r.section,
                chunks=self._chunks(name),
                truncated=self.truncated[name],
                figures=sum(len(a.figures) for a in answers),
                rows=sum(len(a.rows) for a in answers),
                rejected=sum(len(a.rejected) for a in answers),
            )
        for (name, _), a in self.answers.items():
            if name.startswith("table:"):
                out[name] = PartReport(route="table", figures=len(a.figures), rejected=len(a.rejected), chunks=1)
        return out


def _names(spec, tid: str, row: str, words: str, links) -> bool:
    """The cell's row label, column header or title names the field; a 合计/总计 row is the table's total."""
    if any(w in "".join(words.split()) for w in spec.words):
        return True
    total_row = "".join(row.split()) in ("合计", "总计")
    return total_row and any(
        path == spec.path and ref.startswith(f"{tid}[") and "total]" in ref for path, ref in links
    )


def _plain(value) -> str:
    d = parse_value(value)
    return format(d, "f") if d is not None else str(value)


def _merge(old: Answer | None, new: Answer, issues: list[Issue], labels: dict[str, str]) -> Answer:
    """The repaired answer, keeping earlier figures the issues did not question and the new one lacks."""
    if old is None:
        return new
    questioned = {f.label for i in issues for f in i.figures}
    kept = [
        (p, f) for p, f in old.figures
        if labels.get(p, p) not in questioned and p not in {q for q, _ in new.figures}
    ]
    new.figures = kept + new.figures
    if not new.rows:
        new.rows = old.rows
    return new


def _table_model(tt: TableText):
    """The scalar-figures schema for a table's fields (a throwaway PartSpec with those fields)."""
    spec = PartSpec(f"table_{tt.tid}", tt.title, (), tt.fields, max_items=min(12, len(tt.fields)))
    return response_model(spec)


def extract_document(document: Document, client: LLMClient, settings: Settings,
                     profile: ReportProfile | None = None) -> ExtractionResult:
    """A validated record of a parsed document (the client's ledger is the document's ledger), read by
    ``profile``: by default the kind the document was laid out as (the entry point looks it up once)."""
    if profile is None:
        from pipeline.reports import detect

        profile = detect(document.report_type)
    return Extractor(document, client, settings, profile).run(settings.extract_repair_rounds)


def extract_path(path: Path, settings: Settings, client: LLMClient) -> ExtractionResult:
    """Ingest, lay out and extract one file, with a fresh ledger on the shared client: the report's kind is
    picked once, after ingestion (``settings.report_type`` or its title's words), and passed down."""
    from pipeline.ingest import ingest
    from pipeline.parse import lay_out, profile_of

    doc_client = client.for_document()
    path = Path(path)
    with doc_client.ledger.stage("ocr"):
        result = ingest(path, settings)
    profile = profile_of(result.document, settings)
    with doc_client.ledger.stage("layout"):
        document = lay_out(result, path, settings, profile)
    return extract_document(document, doc_client, settings, profile)


__all__ = [
    "ExtractionResult",
    "Extractor",
    "PartError",
    "extract_document",
    "extract_path",
    "status_of",
    "verdict",
]
