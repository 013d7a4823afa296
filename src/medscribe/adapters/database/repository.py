"""Every table family over one driver: what ``ResultsRepository`` callers get."""

from __future__ import annotations

from medscribe.adapters.database.audit import AuditTable
from medscribe.adapters.database.details import DetailsTables
from medscribe.adapters.database.results import ResultsTables


class SqlRepository(ResultsTables, AuditTable, DetailsTables):
    """``ResultsRepository`` over any driver that provides ``_transaction()``."""
