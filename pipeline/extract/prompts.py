"""Chat messages from the Jinja2 templates in ``pipeline.prompts`` (the top-level prompts/ folder).

A pointer call's system message (the fixed instructions and example) is the same for every call, and the
tagged text comes last, after the part's fields: the local server reuses the longest shared prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

import jinja2

from pipeline.extract.fields import FieldSpec, PartSpec


@dataclass
class IssueFigure:
    """A figure the repair prompt shows: the label the model used, its value and quote, why it failed."""

    label: str
    value: str
    quote: str | None = None
    reason: str | None = None


@dataclass
class Issue:
    """What went wrong in a part: a violated identity (or a rejected number) and the figures involved."""

    rule: str
    title: str
    message: str
    identity: str | None = None
    figures: list[IssueFigure] = field(default_factory=list)


def _load(name: str) -> str:
    return files("pipeline.prompts").joinpath(name).read_text(encoding="utf-8")


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_load),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render(name: str, **values) -> str:
    return _env().get_template(name).render(**values).strip()


def system() -> dict:
    return {"role": "system", "content": render("extract_system.j2")}


def identity_messages(text: str) -> list[dict]:
    return [system(), {"role": "user", "content": render("extract_identity.j2", text=text)}]


def table_messages(title: str, unit: str | None, fields: tuple[FieldSpec, ...], text: str) -> list[dict]:
    user = render("extract_table.j2", title=title, unit=unit, fields=fields, text=text)
    return [system(), {"role": "user", "content": user}]


def pointer_messages(
    part: PartSpec,
    asks: list,
    rows: bool,
    text: str,
    issues: list[Issue] | None = None,
    options: list | None = None,
) -> list[dict]:
    """A pointer call: the fixed instructions (system), the part's fields with their candidate ids, the
    tagged text last, so calls share the longest prompt prefix the server can reuse."""
    note = render("pointer_repair.j2", issues=issues, options=options or []) if issues else None
    spec = part.rows if rows else None
    user = render("pointer_part.j2", title=part.title, asks=asks, rows=spec, note=note, text=text)
    return [{"role": "system", "content": render("pointer_system.j2")}, {"role": "user", "content": user}]
