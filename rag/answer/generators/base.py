"""What an answer generator is, and the registry that finds one by name.

A generator turns a question, the conversation so far and numbered passages into answer text in which every
quote is followed by the number of the passage it comes from: ``> quoted words [2]`` (a blockquote line) or
``“quoted words” [2]`` inline. ``rag.answer.quotes`` then checks every quote against the passages; a generator never
has to be trusted.

Built-ins register themselves by name; third-party packages register a factory under the entry-point group
``rag.generators``. A factory takes keyword arguments (``settings``, ``embedder``) and returns a generator;
heavy models must load on first use, not in the factory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any, Protocol, runtime_checkable

from ...errors import UnknownGeneratorError
from ...types import Passage

Turn = Mapping[str, str]  # {"role": "user" | "assistant", "content": "..."}, as chat APIs and Gradio use
ENTRY_POINT_GROUP = "rag.generators"


@runtime_checkable
class Generator(Protocol):
    """Anything with a name that writes answer text from passages, whole or as a stream of pieces."""

    name: str

    def generate(self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()) -> str:
        """The whole answer text, quotes followed by ``[n]`` passage numbers."""
        ...

    def stream(
        self, question: str, passages: Sequence[Passage], history: Sequence[Turn] = ()
    ) -> Iterator[str]:
        """The same text in pieces, as they are produced; the pieces joined equal ``generate``'s text."""
        ...


GeneratorFactory = Callable[..., Generator]
_BUILTINS: dict[str, GeneratorFactory] = {}


def register(name: str, factory: GeneratorFactory) -> None:
    """Make ``factory`` available as generator ``name`` (later registrations replace earlier ones)."""
    _BUILTINS[name] = factory


def _plugins() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    """Every generator name that can be asked for, built-in or plugin."""
    return sorted({*_BUILTINS, *_plugins()})


def create(name: str, **context: Any) -> Generator:
    """A new generator ``name`` built with ``context`` (``settings``, ``embedder``).

    Raises:
        UnknownGeneratorError: no generator has that name (the message lists the known ones).
    """
    factory = _BUILTINS.get(name)
    if factory is None:
        plugin = _plugins().get(name)
        if plugin is None:
            raise UnknownGeneratorError(
                f"Unknown generator '{name}'. Known generators: {', '.join(available())}."
            )
        factory = plugin.load()
    return factory(**context)
