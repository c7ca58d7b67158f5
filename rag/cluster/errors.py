"""Messages for a missing or unreachable Ray, kept free of Ray imports so a local user can get them."""

from __future__ import annotations

from pathlib import Path

from ..errors import ClusterError

INSTALL = "pip install -e '.[cluster]'"


def not_connected_message(index_dir: Path) -> str:
    """One line: this index is sharded, and the commands that start a Ray cluster to serve it."""
    return (
        f"The index at {index_dir} is sharded and is served by Ray: start a cluster with "
        "`ray start --head --port=6379` (and `ray start --address=HEAD_IP:6379` on each worker machine), "
        "then pass --ray 127.0.0.1:6379 (or set RAG_RAY_ADDRESS)."
    )


def import_ray():
    """The ``ray`` module, or a ``ClusterError`` naming the extra to install."""
    try:
        import ray
    except ImportError as e:
        raise ClusterError(f"Ray is not installed; install the cluster extra: {INSTALL}") from e
    return ray


def connect(address: str) -> None:
    """Connect this process to the Ray cluster at ``address`` (once; later calls reuse the connection).

    Raises:
        ClusterError: Ray is missing, or no cluster answers at ``address``.
    """
    ray = import_ray()
    if ray.is_initialized():
        return
    try:
        ray.init(address=address, namespace="rag", logging_level="WARNING", log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as e:
        raise ClusterError(
            f"No Ray cluster answers at {address} ({str(e).splitlines()[0] if str(e) else type(e).__name__}). "
            "Start one with `ray start --head --port=6379`, or check --ray / RAG_RAY_ADDRESS."
        ) from e
