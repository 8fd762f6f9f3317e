"""Stored files are everyone's: core.models.StoredFile (kept importable from here
for orders' own models)."""

from core.models import StoredFile

__all__ = ["StoredFile"]
