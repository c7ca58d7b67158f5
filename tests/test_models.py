"""Loading models and encodings: other embedders through the real loading code, and clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from rag.answer.pipeline import Pipeline
from rag.errors import EncodingUnavailableError, IndexMismatchError, ModelUnavailableError
from rag.index.build import build_index
from rag.index.embedding import Embedder
from rag.index.store import load_index, read_manifest
from rag.settings import Settings


@pytest.fixture(scope="module")
def tiny_embedder(tmp_path_factory) -> Path:
    """A sentence-transformers model folder built here: a 1-layer BERT with a 64-piece window, random weights."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny")
    words = sorted(
        {
            w.strip(".,;:“”\"'()").lower()
            for f in SEEDS.glob("*.txt")
            for w in f.read_text(encoding="utf-8").split()
        }
        - {""}
    )[:2000]
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    (folder / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"))
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    hf_dir = folder / "hf"
    BertModel(config).save_pretrained(hf_dir)
    tokenizer.save_pretrained(hf_dir)
    transformer = Transformer(str(hf_dir), max_seq_length=64)
    model = SentenceTransformer(modules=[transformer, Pooling(32, pooling_mode="mean")])
    model.save(str(folder / "st"))
    return folder / "st"


def test_a_local_model_folder_indexes_with_its_own_window(tiny_embedder: Path, tmp_path: Path):
    settings = Settings(embedder=str(tiny_embedder), chunk_tokens=200, chunk_overlap=20)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    report = build_index([tmp_path / "seeds"], index_dir=tmp_path / "v", settings=settings)
    manifest = read_manifest(tmp_path / "v")
    assert manifest["embedder"]["name"] == str(tiny_embedder)
    assert manifest["embedder"]["dimension"] == 32 and manifest["embedder"]["max_tokens"] == 64
    embedder = Embedder(str(tiny_embedder))
    loaded = load_index(tmp_path / "v")
    assert loaded.embeddings.shape == (report.chunks, 32)
    for chunk in loaded.chunks:  # every chunk, with its title, fits the 64-piece window
        title = loaded.documents[chunk.doc_id].title
        assert embedder.count_tokens([f"{title}\n{chunk.text}"])[0] <= 64
    # The default embedder must not search vectors of this one.
    with pytest.raises(IndexMismatchError, match="rag index"):
        Pipeline(tmp_path / "v", Settings()).retriever  # noqa: B018


def test_a_model_that_is_not_installed_says_what_to_do(tmp_path: Path):
    with pytest.raises(ModelUnavailableError, match="local model folder|pip install"):
        Embedder("acme/embedder-that-does-not-exist").dimension  # noqa: B018
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    with pytest.raises(ModelUnavailableError, match=str(empty.name)):
        Embedder(str(empty)).dimension  # noqa: B018


def test_a_missing_or_damaged_tiktoken_file_says_to_reinstall(monkeypatch):
    import rag.index.tokens as tokens

    monkeypatch.setattr(tokens.resources, "files", lambda _package: _Missing())
    with pytest.raises(EncodingUnavailableError, match="missing from the installed package.*reinstall"):
        tokens.get_encoding.__wrapped__()
    monkeypatch.undo()
    monkeypatch.setattr(tokens, "_rank_file_bytes", lambda: b"not the rank file\n")
    with pytest.raises(EncodingUnavailableError, match="damaged.*reinstall"):
        tokens.get_encoding.__wrapped__()


class _Missing:
    """importlib.resources' view of a package whose data file was left out of the install."""

    def joinpath(self, *_parts):
        return self

    def read_bytes(self) -> bytes:
        raise FileNotFoundError("cl100k_base.tiktoken")
