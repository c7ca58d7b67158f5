"""All configuration in one frozen dataclass.

Precedence: an explicit argument > a CLI option > a ``RAG_*`` environment variable > the default here.
Secrets (API keys) are never stored in settings: generators read them from the environment when used.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def user_data_dir() -> Path:
    """Where an installed copy keeps its index: ``$XDG_DATA_HOME/rag-quotes``, else ``~/.local/share/rag-quotes``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "rag-quotes"


def bundled_defaults(root: Path) -> tuple[Path, tuple[Path, ...]]:
    """The default index folder and the folders it starts from, for a copy of the project at ``root``.

    A checkout (``seeds/`` beside ``rag/``) answers from its bundled articles and their built ``vectors/``. An
    installed copy (``pip install .``, no ``seeds/`` in site-packages) must not write into site-packages: its
    index lives in the user's data folder and starts empty, to be filled with ``rag index SOURCES``.
    """
    if (root / "seeds").is_dir():
        return root / "vectors", (root / "seeds",)
    return user_data_dir() / "vectors", ()


DEFAULT_INDEX_DIR, DEFAULT_SOURCES = bundled_defaults(PROJECT_ROOT)


def cache_dir() -> Path:
    """Where runtime caches live (the ONNX export, BEIR indexes): ``RAG_CACHE_DIR``, else the checkout's
    ``.cache/``, else (an installed copy) ``$XDG_CACHE_HOME/rag-quotes`` or ``~/.cache/rag-quotes``."""
    if os.environ.get("RAG_CACHE_DIR"):
        return Path(os.environ["RAG_CACHE_DIR"])
    if DEFAULT_SOURCES:  # a checkout
        return PROJECT_ROOT / ".cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "rag-quotes"


DEFAULT_EMBEDDER = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_EMBEDDER_BACKEND = "onnx-int8"  # ~2.5x torch fp32, nDCG@10 -0.004: README "Speed and scale"


@dataclass(frozen=True)
class Settings:
    """How documents are chunked, embedded, retrieved and answered.

    The embedder and chunker fields are recorded in the index manifest: an index built with other values is
    rebuilt (``rag index``) or refused (``ask``) rather than silently mixed.
    """

    # embedding
    embedder: str = DEFAULT_EMBEDDER  # a sentence-transformers name or a local folder
    embedder_backend: str = DEFAULT_EMBEDDER_BACKEND  # "torch" (fp32) or "onnx-int8"
    device: str | None = None  # None: sentence-transformers picks (GPU when present)
    batch_size: int = 32
    # chunking (tokens counted with tiktoken's cl100k_base); defaults measured, see README "Chunking"
    chunk_tokens: int = 200
    chunk_overlap: int = 40
    # retrieval; fusion and weights measured on SciFact train, see README "Retrieval"
    top_k: int = 5
    candidates: int = 100  # how many each retriever returns before fusion
    fusion: str = "convex"  # "convex" (min-max normalised scores) or "rrf" (reciprocal rank)
    dense_weight: float = 0.5  # convex: weight of the dense score; rrf: weight of the dense ranking
    rrf_k: int = 60
    mmr: bool = False
    mmr_lambda: float = 0.7
    # dense index: exact up to exact_max_chunks, then approximate ("auto"); or "flat", "ivf-pq4fs",
    # "ivf-sq8", "ivf-flat", "hnsw". Approximate indexes are tuned at build to recall@10 >= 0.98 vs exact; see README "Speed and scale"
    dense_index: str = "auto"
    exact_max_chunks: int = 100_000  # flat search p95 ~10 ms at 100k here; IVF-SQ8 ~3.5 ms
    # store every chunk sentence's vector at index time, so that answering reads them instead of embedding them:
    # faster answers for about twice the index time and disk (rag/index/sentence_store.py, README "ask() latency")
    sentence_vectors: bool = False
    # documents (rag eval --beir): "late" re-ranks the top 30 by token-level MaxSim and the best stored sentence;
    # off by default: ~0.04-0.1 s of CPU per document not yet cached, 50 ms per query once warm (document_rerank.py)
    document_rerank: str = "none"
    # answering
    generator: str = "extractive"
    abstain_threshold: float = 0.572  # calibrated on tests/data/seeds_qa.jsonl, see README "Abstention"
    max_question_chars: int = 2000  # longer questions are truncated (with a note), not refused
    fallback_generator: str = "extractive"  # used when the chosen generator fails; "none": fail instead
    # An LLM's draft is text whose quotes are not yet checked: `rag ask` and the /v1 stream show only the checked
    # answer unless this is on (the chat shows the draft greyed out, marked as being checked, then replaces it).
    stream_drafts: bool = False
    # LLM generators ("openai", "transformers"); the API key is read from OPENAI_API_KEY, never stored here
    llm_model: str | None = None  # openai: the served model's name; transformers: a folder or cached name
    llm_timeout: float = 60.0  # seconds to wait for a reply (openai) or for the next token (transformers)
    llm_max_retries: int = 2  # openai: retries, with backoff, on rate limits, server errors and timeouts
    llm_context_tokens: int = 0  # the context window; 0: the model's own (transformers) or 8192 (openai)
    max_answer_tokens: int = 512  # room kept in the context window for the answer
    # scaling out (rag/cluster/, the `cluster` extra): a sharded index is built and served on this Ray cluster
    ray_address: str | None = None  # "127.0.0.1:6379", "auto"; None: everything runs in this process
    replicas: int = 1  # Ray Serve replicas per shard
    # llamacpp: quotes copied by construction (a grammar from the passages), and who decides to abstain:
    # "evidence" (the extractive threshold; then a quote is required) or "model". See README "Local models".
    constrained_quotes: bool = True
    llm_abstain: str = "evidence"
    llm_threads: int = (
        0  # llamacpp: CPU threads; 0: every CPU this process may use (1 is faster on a busy machine)
    )

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given fields replaced; ``None`` values are ignored so CLI defaults can pass through."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Defaults overridden by ``RAG_<FIELD>`` environment variables (``RAG_CHUNK_TOKENS=256``)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"RAG_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            default = getattr(cls, f.name)
            if isinstance(default, bool):
                values[f.name] = raw.strip().lower() in {"1", "true", "yes", "on"}
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_index_dir() -> Path:
    """``RAG_INDEX_DIR`` if set, else the checkout's ``vectors/`` (an installed copy: the user's data folder)."""
    return Path(os.environ.get("RAG_INDEX_DIR") or DEFAULT_INDEX_DIR)
