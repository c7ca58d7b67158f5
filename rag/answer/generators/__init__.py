"""Answer generators: the registry, and the built-ins (imported here so they register themselves)."""

# Imported so that they register themselves; torch, transformers, openai and llama_cpp load only when used.
from . import extractive, hf_local, llamacpp, openai_chat  # noqa: F401
from .base import ENTRY_POINT_GROUP, Generator, Turn, available, create, register

__all__ = ["ENTRY_POINT_GROUP", "Generator", "Turn", "available", "create", "register"]
