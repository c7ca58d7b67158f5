"""Answer generators: the registry, and the built-ins (imported here so they register themselves)."""

# Imported so that they register themselves; torch, transformers and openai load only when a model is used.
from . import extractive, hf_local, openai_chat  # noqa: F401
from .base import ENTRY_POINT_GROUP, Generator, Turn, available, create, register

__all__ = ["ENTRY_POINT_GROUP", "Generator", "Turn", "available", "create", "register"]
