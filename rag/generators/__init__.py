"""Answer generators: the registry, and the built-ins (imported here so they register themselves)."""

from . import extractive  # noqa: F401  (registers "extractive")
from .base import ENTRY_POINT_GROUP, Generator, Turn, available, create, register

__all__ = ["ENTRY_POINT_GROUP", "Generator", "Turn", "available", "create", "register"]
