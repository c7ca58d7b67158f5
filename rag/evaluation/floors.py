"""Regression floors: the least each figure may be, recorded in the repository from a measured run.

A floor is the measured value minus a small margin, so run-to-run noise does not fail the gate but a change
that loses a question does. The verbatim share of quotes has no margin: the product promises 100%.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from ..errors import RagError

# Figures where higher is better and that describe quality, not the machine (latency) or the set (counts).
GATED = ("retrieval.", "answers.", "citations.", "abstention.", "kinds.", "quotes.verbatim_share")
EXACT = {"quotes.verbatim_share": 1.0}
DEFAULT_MARGIN = 0.02


def flatten(figures: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": 1}``: the names floors and reports use."""
    flat: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def gated_figures(figures: dict[str, Any]) -> dict[str, float]:
    """The flat figures a floor applies to (those with a value)."""
    return {
        name: value
        for name, value in flatten(figures).items()
        if name.startswith(GATED) and isinstance(value, int | float)
    }


def make_floors(
    figures: dict[str, Any],
    *,
    margin: float = DEFAULT_MARGIN,
    how: str = "",
    config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A floors record: each gated figure minus ``margin`` (never below 0), and how it was measured."""
    measured = gated_figures(figures)
    floors = {name: EXACT.get(name, round(max(0.0, value - margin), 4)) for name, value in measured.items()}
    return {
        "_comment": "Regression floors for tests/test_seeds_regression.py: measured value minus the margin. "
        "Re-measure and rewrite with the command under 'measured.command'.",
        "measured": {
            "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
            "command": how,
            "margin": margin,
            "figures": {name: round(value, 4) for name, value in measured.items()},
            "config": config or {},
        },
        "floors": floors,
    }


def write_floors(path: str | Path, figures: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Write ``make_floors(figures, **kwargs)`` to ``path`` as indented JSON; returns the record."""
    record = make_floors(figures, **kwargs)
    Path(path).write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return record


def read_floors(path: str | Path) -> dict[str, float]:
    """The ``floors`` mapping of a floors file.

    Raises:
        RagError: the file is missing or not a floors record.
    """
    path = Path(path)
    try:
        floors = json.loads(path.read_text(encoding="utf-8"))["floors"]
    except FileNotFoundError as e:
        raise RagError(f"No floors file at {path}; write one with rag eval ... --write-floors {path}") from e
    except (ValueError, KeyError, TypeError) as e:
        raise RagError(
            f"{path} is not a floors file (JSON with a 'floors' object); rewrite it with "
            f"rag eval ... --write-floors {path}"
        ) from e
    if not isinstance(floors, dict) or not all(isinstance(v, int | float) for v in floors.values()):
        raise RagError(f"'floors' in {path} must map figure names to numbers.")
    return floors


def below_floors(figures: dict[str, Any], floors: dict[str, float]) -> list[str]:
    """One line per figure under its floor (or missing), empty when every floor holds."""
    flat = flatten(figures)
    problems = []
    for name, floor in sorted(floors.items()):
        value = flat.get(name)
        if not isinstance(value, int | float):
            problems.append(f"{name}: no value (floor {floor:.4f})")
        elif value < floor - 1e-9:
            problems.append(f"{name}: {value:.4f} < floor {floor:.4f}")
    return problems
