"""Unsupported text is never passed off as an answer: abstentions keep the model's text apart, and every
sentence of a citing answer that no verified quote supports is listed (and styled) as uncited."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators.extractive import ABSTENTION
from rag.answer.quotes import verify_answer
from rag.answer.support import sentences, shown_answer, uncited_sentences
from rag.index.store import load_index
from rag.types import Answer, Passage
from ui.render import render_answer


@pytest.fixture(scope="module")
def seeds(seeds_index: Path):
    index = load_index(seeds_index)
    chunk = next(c for c in index.chunks if "Atomstroyexport" in c.text)
    passage = Passage(1, chunk.chunk_id, chunk.doc_id, "T", chunk.text, chunk.start, chunk.end, 1.0)
    sentence = next(s for s in chunk.text.replace("\n", " ").split(". ") if "Atomstroyexport" in s)
    return index.documents, passage, sentence


def test_sentences_keep_quotations_and_their_markers_whole():
    text = (
        "It was built by Russians: “First sentence. Second sentence.” [1] Then Iran paid [2] and U.S. "
        "officials said no. Canberra is the capital.\n\n> A blockquote line. [3]\n\n- An item. Another [1]."
    )
    assert sentences(text) == [
        "It was built by Russians: “First sentence. Second sentence.” [1]",
        "Then Iran paid [2] and U.S. officials said no.",
        "Canberra is the capital.",
        "> A blockquote line. [3]",
        "An item.",
        "Another [1].",
    ]


def test_citing_answer_lists_every_sentence_without_a_verified_quote(seeds):
    documents, passage, sentence = seeds
    raw = (
        f"The builder is named in the documents. “{sentence}” [1] Canberra is the capital of Australia. "
        "“Russia sold Iran a fleet of submarines” [1]"
    )
    verified = verify_answer(raw, [passage], documents)
    shown = shown_answer(verified.text, verified.citations)
    assert not shown.abstained and shown.model_text is None and shown.text == verified.text
    assert shown.uncited == (
        "The builder is named in the documents.",
        "Canberra is the capital of Australia.",
        "Russia sold Iran a fleet of submarines [2] *(unverified: not found in the cited passage)*",
    )
    assert not any("Atomstroyexport" in s for s in shown.uncited)


def test_label_lines_made_of_copied_words_are_not_uncited_but_new_claims_are(seeds):
    # The extractive generator's answer line ("**2010**") and a title over its quotes copy words from the
    # verified quote and its document's card; an emphasised line with a word of its own is still uncited.
    documents, passage, sentence = seeds
    word = next(w for w in sentence.split() if w.isalpha() and len(w) > 5)
    title = documents[passage.doc_id].title
    raw = f"**{word}**\n\n**{title}**\n\n> {sentence} [1]\n\n**Canberra**"
    verified = verify_answer(raw, [passage], documents)
    shown = shown_answer(verified.text, verified.citations)
    assert not shown.abstained
    assert shown.uncited == ("**Canberra**",)


def test_answer_without_a_verified_quote_shows_the_abstention_not_the_model_text(seeds):
    documents, passage, _ = seeds
    raw = "The capital of Australia is Canberra. “Canberra is the capital of Australia” [1]"
    verified = verify_answer(raw, [passage], documents)
    shown = shown_answer(verified.text, verified.citations)
    assert shown.abstained and shown.text == ABSTENTION and shown.uncited == ()
    assert (
        shown.model_text is not None and "Canberra" in shown.model_text and "unverified" in shown.model_text
    )
    # A model that only declines has nothing of its own worth keeping.
    declined = shown_answer("The documents do not answer this question.", ())
    assert declined.abstained and declined.model_text is None


def test_chat_collapses_the_model_text_and_styles_uncited_sentences(seeds):
    documents, passage, sentence = seeds
    verified = verify_answer("Canberra is the capital of Australia. [1]", [passage], documents)
    shown = shown_answer(verified.text, verified.citations)
    answer = Answer(
        "q", shown.text, verified.citations, (passage,), True, "llamacpp", model_text=shown.model_text
    )
    html = render_answer(answer, lambda doc_id: documents[doc_id].text)
    body, _, collapsed = html.partition('<details class="model-text">')
    assert "Canberra" not in body and "The documents do not answer" in body and "Sources" not in body
    assert "not supported by the documents" in collapsed and "Canberra" in collapsed.split("</details>")[0]

    verified = verify_answer(f"Canberra is the capital. “{sentence}” [1]", [passage], documents)
    uncited = uncited_sentences(verified.text, verified.citations)
    answer = Answer("q", verified.text, verified.citations, (passage,), False, "llamacpp", uncited=uncited)
    html = render_answer(answer, lambda doc_id: documents[doc_id].text)
    assert (
        '<span class="uncited" title="No verified quote supports this sentence">Canberra is the capital.'
        in html
    )
    assert (
        answer.to_dict()["uncited"] == ["Canberra is the capital."] and answer.to_dict()["model_text"] is None
    )


def test_eval_reports_the_share_of_uncited_sentences(seeds):
    from rag.evaluation.questions import parse_question
    from rag.evaluation.runner import summarise
    from rag.evaluation.scoring import score_answer

    documents, passage, sentence = seeds
    question = parse_question({"id": "q", "question": "Who built it?", "doc_ids": [passage.doc_id]})
    verified = verify_answer(f"Canberra is the capital. “{sentence}” [1] It is big.", [passage], documents)
    shown = shown_answer(verified.text, verified.citations)
    answer = Answer("q", shown.text, verified.citations, (passage,), False, "llamacpp", uncited=shown.uncited)
    abstention = Answer("q", ABSTENTION, (), (passage,), True, "llamacpp", model_text="Canberra. It is big.")
    scores = [score_answer(question, a, documents) for a in (answer, abstention)]
    assert (scores[0].sentences, scores[0].uncited) == (3, 2) and (
        scores[1].sentences,
        scores[1].uncited,
    ) == (0, 0)
    assert summarise(scores, 5)["quotes"]["uncited_sentence_share"] == pytest.approx(2 / 3)


def test_a_quoted_code_block_and_its_heading_label_are_not_uncited():
    from rag.types import Citation, Passage

    block = "```bash\n# 2. Run the tests\nmake check\n```"
    passage = Passage(1, "m#1", "m", "Manual", f"Two commands\n\n{block}", 0, 40, 1.0)
    quote = Citation(1, "m", "Manual", None, None, None, block, 14, 14 + len(block), 1.0, True, passage_n=1)
    text = "Under *Two commands*:\n\n" + "\n".join(f"> {line}" for line in block.splitlines()) + "\n> [1]"
    assert sentences(text)[1].endswith("> [1]")  # the block's lines and its marker are one unit
    assert uncited_sentences(text, [quote], [passage]) == ()
    # the heading label must be the cited passage's words; other words are a claim of their own
    assert uncited_sentences(text.replace("Two commands", "Fast setup"), [quote], [passage]) == (
        "Under *Fast setup*:",
    )
    # two quote lines, each with its own marker, stay two units (an unverified one is still listed)
    assert len(sentences("> One quote. [1]\n> Another quote. [2]")) == 2
