"""tiktoken's ``cl100k_base`` encoding, found offline.

tiktoken downloads its rank file on first use; these machines (and many users') have no network. So we look
for the file ourselves before letting tiktoken try the network, and fail with the exact fix when it is nowhere.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import tiktoken

from ..errors import EncodingUnavailableError
from ..settings import PROJECT_ROOT

ENCODING_NAME = "cl100k_base"
# The sha256 tiktoken itself checks for cl100k_base, and the cache file name it uses (sha1 of the download URL).
_CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
_CL100K_CACHE_NAME = "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"


def _local_rank_files() -> list[Path]:
    """Where a copy of the rank file may lie on this machine, most explicit first."""
    found: list[Path] = []
    if explicit := os.environ.get("RAG_TIKTOKEN_FILE"):
        found.append(Path(explicit))
    found.append(PROJECT_ROOT.parent / "shared" / "tiktoken" / f"{ENCODING_NAME}.tiktoken")
    return found


def _prime_cache() -> None:
    """Put a local rank file where tiktoken's own cache looks, so tiktoken loads (and hash-checks) it offline."""
    cache_dir = Path(os.environ.get("TIKTOKEN_CACHE_DIR") or PROJECT_ROOT / ".cache" / "tiktoken")
    cached = cache_dir / _CL100K_CACHE_NAME
    if not cached.is_file():
        source = next((p for p in _local_rank_files() if p.is_file()), None)
        if source is None:
            return  # nothing local: tiktoken will try the network
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, cached)
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)


@functools.lru_cache(maxsize=1)
def get_encoding() -> tiktoken.Encoding:
    """The ``cl100k_base`` encoding, from a local rank file when one exists, else through tiktoken's download.

    Raises:
        EncodingUnavailableError: no local file and tiktoken could not download it.
    """
    _prime_cache()
    try:
        return tiktoken.get_encoding(ENCODING_NAME)
    except Exception as e:  # network errors come in many types from requests/urllib3
        raise EncodingUnavailableError(
            f"tiktoken's '{ENCODING_NAME}' encoding is not available offline and could not be downloaded. "
            f"Get the rank file 'cl100k_base.tiktoken' (sha256 {_CL100K_SHA256[:12]}...) and set "
            f"RAG_TIKTOKEN_FILE=/path/to/cl100k_base.tiktoken, or copy it to "
            f"$TIKTOKEN_CACHE_DIR/{_CL100K_CACHE_NAME}. Cause: {type(e).__name__}"
        ) from e


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text``."""
    return len(get_encoding().encode(text, disallowed_special=()))
