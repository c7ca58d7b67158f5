"""A loaded index with its embedder and retriever, cached per process and kept fresh.

Loading an index and its embedder takes seconds; answering takes milliseconds. So each (index folder,
settings) pair is loaded once and shared, and reloaded only when another process (or an upload) has made a
new generation live. The bundled index follows its sources: when the seed files or the embedder/chunker
settings change, it is brought up to date before the first answer. Any other index built with another
embedder is refused with the command that rebuilds it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..errors import IndexMismatchError, IndexNotFoundError, RayNotConfiguredError
from ..index import health, store
from ..index.build import build_index, build_settings_record, recorded_paths, source_fingerprints
from ..index.embedding import Embedder, get_embedder
from ..retrieve.retrieval import Retriever
from ..retrieve.searcher import Searcher
from ..settings import DEFAULT_INDEX_DIR, Settings
from . import generators
from .generators import Generator

log = logging.getLogger(__name__)


class Pipeline:
    """Retrieval over one index folder with one set of settings."""

    def __init__(self, index_dir: Path, settings: Settings) -> None:
        self.index_dir = index_dir
        self.settings = settings
        self.embedder: Embedder = get_embedder(
            settings.embedder,
            backend=settings.embedder_backend,
            device=settings.device,
            batch_size=settings.batch_size,
        )
        self._lock = threading.Lock()
        self._retriever: Searcher | None = None
        self._generators: dict[str, Generator] = {}

    def generator(self, name: str | None = None) -> Generator:
        """The shared generator ``name`` (default from settings): created once, its model loaded on first use."""
        name = name or self.settings.generator
        with self._lock:
            if name not in self._generators:
                self._generators[name] = generators.create(
                    name,
                    settings=self.settings,
                    embedder=self.embedder,
                    term_weights=lambda: self.retriever.term_weights,
                    documents=lambda: self.retriever.documents,
                    # a sharded index's router has no stored sentence vectors: its sentences are embedded
                    sentence_vectors=lambda: getattr(self.retriever, "sentence_vectors", None),
                    pipeline=self,
                )
            return self._generators[name]

    @property
    def retriever(self) -> Searcher:
        """The searcher over the live generation, (re)loaded when the generation changed.

        A local index gives a ``Retriever``; a sharded one (its manifest lists ``shards``) the Ray router.
        """
        live = store.current_generation(self.index_dir)
        current = self._retriever
        if current is None or live is None or current.generation != live:
            with self._lock:
                if self._retriever is None or self._retriever.generation != store.current_generation(
                    self.index_dir
                ):
                    self._retriever = self._load()
        return self._retriever  # type: ignore[return-value]

    def _load(self) -> Searcher:
        manifest = store.read_manifest(self.index_dir)
        if self._is_bundled():
            manifest = self._refresh_bundled(manifest)
        if manifest is None:
            store.load_index(
                self.index_dir
            )  # raises what is wrong: no index, or a damaged one (and the repair)
            raise IndexNotFoundError(
                f"No index at {self.index_dir}. Build one with: rag index SOURCES --index-dir {self.index_dir}"
            )
        store.check_compatible(
            manifest, self.settings.embedder, self.settings.embedder_backend, self.index_dir
        )
        if not self._is_bundled() and self._sources_changed(manifest):
            log.warning(
                "The documents behind %s changed since it was built; run `rag index` to update it.",
                self.index_dir,
            )
        if manifest.get("shards"):
            return self._open_sharded()
        return Retriever(store.load_index(self.index_dir), self.embedder, self.settings)

    def _open_sharded(self) -> Searcher:
        """The Ray router over a sharded index; Ray is imported only here, and only for a sharded index."""
        from ..cluster.errors import not_connected_message

        if not self.settings.ray_address:
            raise RayNotConfiguredError(not_connected_message(self.index_dir))
        from ..cluster.router import open_sharded

        return open_sharded(self.index_dir, self.embedder, self.settings)

    def _is_bundled(self) -> bool:
        return self.index_dir.resolve() == DEFAULT_INDEX_DIR.resolve()

    def _sources_changed(self, manifest: dict) -> bool:
        sources = recorded_paths(self.index_dir, manifest)
        if not sources or not all(s.exists() for s in sources):
            return False
        return source_fingerprints(sources, self.index_dir) != manifest.get("files")

    def _refresh_bundled(self, manifest: dict | None) -> dict | None:
        """Rebuild the bundled index when its seeds or the settings changed (incremental when only seeds did),
        or when it is damaged."""
        settings_changed = manifest is not None and any(
            manifest.get(key) != value
            for key, value in build_settings_record(self.settings, self.embedder).items()
        )
        if (
            manifest is None
            or settings_changed
            or manifest.get("format_version") != store.FORMAT_VERSION
            or self._sources_changed(manifest)
            or health.inspect(self.index_dir, count_lines=False).damaged  # repaired like a missing index
        ):
            report = build_index(
                None, index_dir=self.index_dir, settings=self.settings
            )  # its recorded sources
            if report.changed:
                log.info("Updated the bundled index: %s", report.summary())
            manifest = store.read_manifest(self.index_dir)
        return manifest


_PIPELINES: dict[tuple[Path, Settings], Pipeline] = {}
_PIPELINES_LOCK = threading.Lock()


def get_pipeline(index_dir: Path, settings: Settings) -> Pipeline:
    """The shared pipeline for this index folder and settings."""
    key = (index_dir.resolve(), settings)
    with _PIPELINES_LOCK:
        if key not in _PIPELINES:
            _PIPELINES[key] = Pipeline(index_dir, settings)
        return _PIPELINES[key]


__all__ = ["IndexMismatchError", "Pipeline", "get_pipeline"]
