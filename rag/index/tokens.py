"""tiktoken's ``cl100k_base`` encoding, from the rank file that ships inside the package.

tiktoken downloads its rank files on first use, and many machines (offline, behind a proxy) cannot. So the
package carries ``data/cl100k_base.tiktoken`` (1.6 MB, byte for byte the file tiktoken downloads), checks it
against tiktoken's own sha256 when it is loaded, and builds the encoding from it: nothing is downloaded, no
cache is read or written, and nothing outside the package is looked at.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from importlib import resources

import tiktoken

from ..errors import EncodingUnavailableError

ENCODING_NAME = "cl100k_base"
RANK_FILE = f"{ENCODING_NAME}.tiktoken"
# The sha256 tiktoken itself checks for cl100k_base (tiktoken_ext/openai_public.py).
CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
# cl100k_base's split pattern and special tokens, as tiktoken_ext/openai_public.py defines them (a test checks
# they still agree with the installed tiktoken).
CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|"""
    r"""\s*[\r\n]|\s+(?!\S)|\s"""
)
CL100K_SPECIAL_TOKENS = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}
_REINSTALL = "reinstall the package (pip install --force-reinstall rag-quotes, or bash .ci/setup in a clone)"


def _rank_file_bytes() -> bytes:
    try:
        return resources.files(__package__).joinpath("data", RANK_FILE).read_bytes()
    except OSError as e:
        raise EncodingUnavailableError(
            f"The tokenizer file rag/index/data/{RANK_FILE} is missing from the installed package; {_REINSTALL}."
        ) from e


def parse_ranks(data: bytes, expected_sha256: str = CL100K_SHA256) -> dict[bytes, int]:
    """The BPE ranks of a ``.tiktoken`` rank file, after checking its sha256 (tiktoken's own format and check).

    Raises:
        EncodingUnavailableError: the file's sha256 is not the expected one (a damaged or altered copy).
    """
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected_sha256:
        raise EncodingUnavailableError(
            f"The tokenizer file rag/index/data/{RANK_FILE} is damaged (sha256 {actual[:12]}..., expected "
            f"{expected_sha256[:12]}...); {_REINSTALL}."
        )
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@functools.lru_cache(maxsize=1)
def get_encoding() -> tiktoken.Encoding:
    """The ``cl100k_base`` encoding, built from the rank file shipped in the package (checked by sha256).

    Raises:
        EncodingUnavailableError: the shipped file is missing or damaged (the message says to reinstall).
    """
    return tiktoken.Encoding(
        name=ENCODING_NAME,
        pat_str=CL100K_PATTERN,
        mergeable_ranks=parse_ranks(_rank_file_bytes()),
        special_tokens=CL100K_SPECIAL_TOKENS,
    )


def count_tokens(text: str) -> int:
    """Number of cl100k_base tokens in ``text``."""
    return len(get_encoding().encode(text, disallowed_special=()))
