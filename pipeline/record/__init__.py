"""The disclosure record: typed figures with provenance, the nine standard tables, and their JSON Schema."""

from pipeline.record.figure import Alternate, Figure, Source, SourceKind, figure
from pipeline.record.model import ClassRow, ItemRow, ProjectRow, Record
from pipeline.record.tables import StandardTable, TableRow

__all__ = [
    "Alternate",
    "ClassRow",
    "Figure",
    "ItemRow",
    "ProjectRow",
    "Record",
    "Source",
    "SourceKind",
    "StandardTable",
    "TableRow",
    "figure",
]
