"""ui.render / ui.sources / ui.documents / ui.chat: escaped HTML, quote styles, abstentions, chat handlers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import rag
from rag import Answer, Citation, Passage
from rag.answer.generators import base as generator_registry
from ui.chat import ChatApp, Conversation
from ui.documents import render_documents, render_upload_report
from ui.render import render_answer, render_draft, render_error, render_text, render_user
from ui.sources import safe_url

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
DOC = "Intro line. The plant was built by Atomstroyexport <b>fast</b>. Closing words here."


class Tags(HTMLParser):
    """Every start tag and attribute the HTML would create in a browser."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def passage(n: int = 1, text: str = DOC, title: str = "Title") -> Passage:
    return Passage(
        n=n, chunk_id=f"doc#{n}", doc_id="doc", title=title, text=text, start=0, end=len(text), score=0.9
    )


def citation(
    status: str = "verified", quote: str = "The plant was built by Atomstroyexport <b>fast</b>.", **kw
):
    start = DOC.find(quote) if status != "unverified" else 0
    values = dict(
        n=1,
        doc_id="doc",
        title="Title",
        author="Ann Author",
        date="2021-02-16",
        url="https://example.org/a",
        quote=quote,
        start=start,
        end=start + len(quote) if status != "unverified" else 0,
        score=0.9,
        verified=status in ("verified", "repaired"),
        status=status,
        passage_n=1,
    )
    values.update(kw)
    return Citation(**values)


def answer(text: str, citations=(), abstained=False, passages=None) -> Answer:
    return Answer(
        question="q",
        text=text,
        citations=tuple(citations),
        passages=tuple(passages if passages is not None else [passage()]),
        abstained=abstained,
        timings={"total": 0.25},
    )


def lookup(doc_id: str) -> str | None:
    return DOC if doc_id == "doc" else None


def test_verified_quote_opens_its_source_with_the_words_highlighted():
    c = citation()
    html = render_answer(answer(f"> {c.quote} [1]", [c]), lookup)
    assert "\n" not in html  # one HTML block: nothing in it can be read as Markdown
    assert '<blockquote class="quote q-verified">' in html
    assert "The plant was built by Atomstroyexport &lt;b&gt;fast&lt;/b&gt;." in html
    mark = re.search(r"<mark>(.*?)</mark>", html)
    assert mark and mark[1] == "The plant was built by Atomstroyexport &lt;b&gt;fast&lt;/b&gt;."
    assert '<details class="citation c-verified" data-n="1">' in html
    assert "Ann Author · 16 February 2021" in html
    assert 'href="https://example.org/a"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert [t for t, _ in Tags(html).tags].count("b") == 0  # the document's <b> is text, not markup


def test_statuses_look_different():
    shown = {}
    for status in ("verified", "repaired", "unverified"):
        c = citation(status, quote="built by Atomstroyexport" if status != "unverified" else "made up words")
        text = (
            f"> {c.quote} [1]"
            if status != "unverified"
            else f"{c.quote} [1] *(unverified: not found in the cited passage)*"
        )
        shown[status] = render_answer(answer(text, [c]), lookup)
    assert "q-verified" in shown["verified"] and "✓ exact quote" in shown["verified"]
    assert "q-repaired" in shown["repaired"] and "corrected" in shown["repaired"]
    assert "<blockquote" not in shown["unverified"]  # never styled as a quotation
    assert 'class="unverified-note"' in shown["unverified"] and "c-unverified" in shown["unverified"]
    assert "not in the cited passage" in shown["unverified"] and "<mark>" not in shown["unverified"]


def test_everything_from_documents_and_users_is_escaped():
    c = citation("verified", quote="Atomstroyexport", title=EVIL, author=EVIL, url="javascript:alert(1)")
    html = render_answer(
        answer(f"{EVIL}\n\n> Atomstroyexport [1]", [c], passages=[passage(title=EVIL)]),
        lookup,
        show_passages=True,
    )
    html += render_user(EVIL) + render_draft(EVIL) + render_error(EVIL)
    tags = Tags(html).tags
    assert not [t for t, _ in tags if t in ("script", "img")]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    assert "javascript:" not in " ".join(str(a.get("href")) for _, a in tags)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "No link to the original publication" in html


def test_abstention_shows_closest_passages_as_not_an_answer():
    passages = [passage(1), passage(2, "Another passage about something else entirely.")]
    html = render_answer(
        answer("The documents do not answer this question.", abstained=True, passages=passages), lookup
    )
    assert 'class="abstained"' in html and "The documents do not answer this question." in html
    assert "Closest passages found" in html and html.count("not an answer") >= 3
    assert "Sources" not in html


def test_render_text_keeps_paragraphs_lists_and_inline_quotes():
    c = citation(quote="built by Atomstroyexport")
    html = render_text("It was **Russia**:\n\n- one\n- two\n\nThey say “built by Atomstroyexport” [1].", [c])
    assert "<strong>Russia</strong>" in html and "<ul><li>one</li><li>two</li></ul>" in html
    assert '<span class="quote-inline q-verified">“built by Atomstroyexport”</span>' in html
    assert '<sup class="cite-ref c-verified"' in html


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "/relative/path", "data:text/html,x", "ftp://x.org/", ""]
)
def test_only_http_links(url):
    assert safe_url(url) is None
    assert safe_url("http://al-monitor.com") == "http://al-monitor.com"


def test_document_list_and_upload_report(seeds_index):
    html = render_documents(rag.list_documents(seeds_index))
    assert "3 documents" in html and "Don&#x27;t Expect Russia to Help Save the Iran Deal" in html
    report = rag.IndexReport(
        index_dir="x",
        documents=4,
        chunks=21,
        added=["notes"],
        skipped=[rag.collection.SkippedFile("bad.pdf", "not a PDF <b>")],
    )
    html = render_upload_report(report, ["bad.pdf", "notes.txt"])
    assert "Added 1 document: notes" in html and "bad.pdf — not a PDF &lt;b&gt;" in html


def test_chat_streams_then_shows_the_checked_answer_and_follow_ups_work(seeds_index):
    chat = ChatApp(seeds_index, rag.Settings())
    updates = list(
        chat.respond("Who built the Bushehr nuclear power plant?", Conversation(), "extractive", 5, False)
    )
    assert "Searching the articles" in updates[0][0][-1]["content"]  # the draft comes first
    shown, conversation, box = updates[-1]
    assert box == "" and len(shown) == 2 and "Atomstroyexport" in shown[-1]["content"]
    assert "<mark>" in shown[-1]["content"]
    assert conversation.turns[0] == {"role": "user", "content": "Who built the Bushehr nuclear power plant?"}
    # plain answer text, not HTML, for follow-ups: the answer line copied from the quote, then the quote
    assert conversation.turns[1]["content"].startswith("**Atomstroyexport**\n\n> ")
    *_, (shown, conversation, _) = chat.respond(
        "When did they hand it over to Iran?", conversation, "extractive", 5, False
    )
    assert "September 2013" in shown[-1]["content"] and len(conversation.turns) == 4


def test_a_failing_generator_is_a_message_not_a_stack_trace(seeds_index, monkeypatch, caplog):
    class Broken:
        name = "broken"

        def stream(self, question, passages, history=()):
            yield "Partial "
            raise ConnectionError("server at 127.0.0.1:9 refused the connection")

        def generate(self, question, passages, history=()):
            return "".join(self.stream(question, passages, history))

    monkeypatch.setitem(generator_registry._BUILTINS, "broken", lambda **_: Broken())
    chat = ChatApp(seeds_index, rag.Settings())
    *_, (shown, conversation, _) = chat.respond("Who built Bushehr?", Conversation(), "broken", 5, False)
    message = shown[-1]["content"]
    assert 'class="error"' in message and "ConnectionError" in message and "refused the connection" in message
    assert "Traceback" not in message and conversation.turns == []
    assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)  # the log has the details
    *_, (shown, _, _) = chat.respond("Who built Bushehr?", Conversation(), "no-such-generator", 5, False)
    assert "Unknown generator" in shown[-1]["content"] and "extractive" in shown[-1]["content"]


def test_answer_line_is_highlighted_in_its_quote_and_a_quoted_code_block_is_shown_as_code():
    html = render_text("**June 2010**\n\n> In June 2010, the UN passed a stronger arms embargo. [1]")
    assert '<mark class="answer">June 2010</mark>, the UN passed' in html
    code = render_text("Under *Tests*:\n\n> ```bash\n> pytest -q <tests>\n> \n> ruff check\n> ```\n> [1]")
    assert "<pre><code>```bash\npytest -q &lt;tests&gt;\n\nruff check\n```</code></pre>" in code
    assert "[1]</sup>" in code


def test_a_quoted_table_row_is_shown_as_a_table_under_its_header():
    html = render_text(
        "> | Option | Default | Meaning | [1]\n> | `port` | 8080 | TCP port <b>it</b> uses. | [2]"
    )
    assert '<table class="quote-table"><tr><th>Option</th><th>Default</th><th>Meaning</th>' in html
    assert "<td>`port`</td><td>8080</td><td>TCP port &lt;b&gt;it&lt;/b&gt; uses.</td>" in html
    assert html.count("</sup>") == 2 and "| 8080 |" not in html  # a marker per row; no bar left as text
    # one row alone, or a row among prose, stays a quotation as written
    assert "<table" not in render_text("> | `port` | 8080 | TCP port. | [1]")
