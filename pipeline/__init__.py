"""juesuan: scanned 部门决算 reports into structured, verified records.

Data flows one way: ingest → layout → extract → validate → store.
"""

__version__ = "0.1.0"
