"""Packages that a command needs but ``import rag`` does not: a missing one is named in one line, with the
install command that brings it back, before any work is done."""

from __future__ import annotations

import importlib

from .errors import MissingDependencyError


def require(module: str, *, extra: str, purpose: str, package: str | None = None) -> None:
    """Import ``module`` now, or fail with the one-line fix.

    Args:
        module: the module to import (``gradio``).
        extra: the extra of rag-quotes that installs it (``ui``).
        purpose: what needs it, for the message (``rag serve``).
        package: its name on the package index, when it differs from ``module``.

    Raises:
        MissingDependencyError: ``module`` cannot be imported.
    """
    try:
        importlib.import_module(module)
    except ImportError as e:
        name = package or module
        raise MissingDependencyError(
            f"{purpose} needs the {name} package, which is not installed: "
            f"pip install 'rag-quotes[{extra}]' (or bash .ci/setup in a clone)."
        ) from e


__all__ = ["require"]
