"""One error hierarchy for the library: every message says what went wrong and how to fix it.

The CLI prints these as a single line and exits non-zero; the UI shows them in the chat.
"""

from __future__ import annotations


class RagError(Exception):
    """Base class of every error the library raises on purpose."""


class SourceNotFoundError(RagError):
    """A source path given to ingestion or indexing does not exist."""


class IndexNotFoundError(RagError):
    """No index exists at the given folder."""


class NothingToIndexError(IndexNotFoundError):
    """A new index with no sources to build it from (an installed copy before its first documents)."""


class IndexMismatchError(RagError):
    """The index was built with other settings (embedder, dimension, format) than the ones in use."""


class ModelUnavailableError(RagError):
    """A model (embedder or LLM) cannot be loaded: not installed, not cached, or not found."""


class IndexDamagedError(IndexNotFoundError):
    """The index folder holds an index that cannot be read as it is: a file missing, cut short or unparsable.

    The message names what is damaged and the command that repairs it (``rag index --index-dir DIR``).
    """


class EncodingUnavailableError(RagError):
    """tiktoken's encoding file cannot be had offline."""


class MissingDependencyError(RagError, ImportError):
    """A package a command needs is not installed; the message gives the install command."""


class InvalidQuestionError(RagError, ValueError):
    """The question is empty or unusable."""


class UnknownGeneratorError(RagError, KeyError):
    """No answer generator is registered under that name; the message lists the known ones."""

    def __str__(self) -> str:  # KeyError would repr() the message, quotes and all
        return str(self.args[0]) if self.args else ""


class GeneratorError(RagError):
    """An answer generator failed (server down, timeout, bad reply) and no fallback was allowed."""


class SettingError(RagError, ValueError):
    """A setting has a value the product does not know; the message lists the known ones."""


class QuestionSetError(RagError, ValueError):
    """An evaluation question file (or BEIR folder) is missing or malformed; the message names file and line."""


class ClusterError(RagError):
    """Building or serving a sharded index on Ray failed: Ray missing or unreachable, or a shard down."""


class RayNotConfiguredError(ClusterError):
    """A sharded index was opened without a Ray cluster to serve it; the message says how to start one."""


class ShardUnavailableError(ClusterError):
    """A shard of a sharded index could not answer, even after retries; the message names the shard."""
