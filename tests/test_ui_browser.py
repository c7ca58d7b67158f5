"""The chat in a real browser: Debian's Chromium driven by Playwright against the app on a loopback port.

The app serves a temporary copy of the seeds index (uploads go into it, never into the repository). A
screenshot of the answered chat is saved under ``test-artifacts/``; its path is printed (``pytest -s``) and
shown in the test report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fake_openai import INVENTED_QUOTE, fake_openai_server
from serving import free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ANSWER_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed: apt-get install chromium"
    ),
]

NOTE = (
    "Zelenograd observatory\n\n"
    "The Zelenograd observatory was founded by the astronomer Irina Volkova in 1987 on a hill north of the town.\n"
)
EVIL = (
    "Harbour notes <script>window.__pwned=1</script>\n\n"
    "The harbour of Vardø was rebuilt in 1893 by the engineer Ole Hansen <script>window.__pwned=1</script> and "
    "his crew of forty.\n\n"
    'A picture of the quay <img src=x onerror="window.__pwned=1"> was printed in the town paper that winter.\n'
)
CONCURRENT = {
    "Who built the Bushehr nuclear power plant?": "Atomstroyexport",
    "When did Russia annex Crimea?": "March 2014",
    "Who did Pompeo meet in Russia?": "Lavrov",
    "What did Yury Ushakov tell TASS?": "briefly discussed",
    "Who is Anna Borshchevskaya?": "senior fellow",
    "What is the capital of France?": "do not answer",
    "What does Biden want?": "unified strategy",
    "What did the Kremlin's third message say?": "meant for the Iranian leadership",
}


@pytest.fixture(scope="module")
def chat_server():
    # slow enough (0.08 s a word) for a browser to see the draft grow
    with fake_openai_server(word_delay=0.08) as url, pytest.MonkeyPatch.context() as env:
        env.setenv("OPENAI_BASE_URL", url)
        env.delenv("OPENAI_API_KEY", raising=False)
        yield url


@pytest.fixture(scope="module")
def app_url(seeds_index, tmp_path_factory, chat_server):
    """The app started in this process (sharing the session's embedder) over a private copy of the index.

    Its ``openai`` generator talks to ``chat_server``; a failing generator is not replaced by another one.
    """
    import rag
    import ui.app

    base = tmp_path_factory.mktemp("ui_app")
    shutil.copytree(seeds_index.parent, base / "copy")
    port = free_port()
    settings = rag.Settings.from_env().with_overrides(
        generator="extractive", llm_model="test-model", llm_max_retries=0, llm_timeout=10.0,
        fallback_generator="none",
    )  # fmt: skip
    app = ui.app.serve(
        host="127.0.0.1", port=port, index_dir=base / "copy" / "vectors", settings=settings, block=False
    )
    yield f"http://127.0.0.1:{port}/"
    app.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    page = context.new_page()
    page.goto(app_url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def send(page, question: str) -> None:
    page.fill("#question textarea", question)
    page.click("#ask")


def wait_answer(page, count: int):
    """The ``count``-th finished answer (checked, or an error) of the page, once it is there."""
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .answer-foot, #chat .error').length >= n",
        arg=count,
        timeout=ANSWER_TIMEOUT_MS,
    )
    return page.locator("#chat [data-testid=bot]").nth(count - 1)


def ask(page, question: str):
    count = page.locator("#chat .answer-foot, #chat .error").count()
    send(page, question)
    return wait_answer(page, count + 1)


def upload(page, path: Path) -> str:
    page.get_by_role("tab", name="Documents").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    report = page.locator("#upload-report")
    report.locator(".ok, .error").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function(
        "name => document.querySelector('#upload-report').innerText.includes(name)",
        arg=path.stem,
        timeout=ANSWER_TIMEOUT_MS,
    )
    text = report.inner_text()
    page.get_by_role("tab", name="Chat").click()
    return text


def test_ask_cite_open_source_follow_up_upload_and_escape(page, tmp_path, request, capsys):
    from playwright.sync_api import expect

    answer = ask(page, "Who built the Bushehr nuclear power plant?")
    quote = answer.locator("blockquote.quote.q-verified")
    expect(quote).to_contain_text("Atomstroyexport")
    expect(quote.locator("sup.cite-ref")).to_have_text("[1]")
    citation = answer.locator("details.citation").first
    expect(citation.locator("summary")).to_contain_text("[1]")
    expect(citation.locator("summary")).to_contain_text(
        "Will the Ukraine Standoff Affect the Iran Nuclear Talks?"
    )
    expect(citation.locator("mark")).to_be_hidden()  # closed until the user opens it

    citation.locator("summary").click()
    mark = citation.locator("mark")
    expect(mark).to_be_visible()
    expect(mark).to_contain_text(
        "built and previously operated by the Russian state-owned company Atomstroyexport"
    )
    expect(citation).to_contain_text("Anna Borshchevskaya")
    expect(citation).to_contain_text("11 January 2022")
    link = citation.locator("a.source-link")
    assert link.get_attribute("href").startswith("https://")
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "ui-chat-answered.png"
    page.screenshot(path=str(screenshot), full_page=True)
    request.node.user_properties.append(("screenshot", str(screenshot)))
    with capsys.disabled():  # shown in the test output even when output is captured
        print(f"\nscreenshot of the answered chat: {screenshot}")

    follow_up = ask(page, "When did they hand it over to Iran?")
    expect(follow_up.locator("blockquote.quote")).to_contain_text("September 2013")

    note = tmp_path / "zelenograd.txt"
    note.write_text(NOTE, encoding="utf-8")
    assert "Added 1 document: zelenograd" in upload(page, note)
    expect(page.locator("#documents")).to_contain_text("Zelenograd observatory")
    answer = ask(page, "Who founded the Zelenograd observatory?")
    expect(answer.locator("blockquote.quote.q-verified")).to_contain_text("Irina Volkova")

    evil = tmp_path / "harbour-notes.txt"
    evil.write_text(EVIL, encoding="utf-8")
    assert "Added 1 document: harbour-notes" in upload(page, evil)
    documents = page.locator("#documents")
    expect(documents).to_contain_text("Harbour notes <script>window.__pwned=1</script>")
    answer = ask(page, "Who rebuilt the harbour of Vardø?")
    expect(answer.locator("blockquote.quote")).to_contain_text(
        "Ole Hansen <script>window.__pwned=1</script> and his crew"
    )
    answer.locator("details.citation summary").first.click()
    expect(answer.locator("details.citation").first).to_contain_text("Harbour notes <script>")
    show = page.locator("#show-passages input")
    show.check()
    answer = ask(page, "What picture was printed in the town paper?")
    answer.locator("details.retrieved > summary").click()
    harbour = answer.locator("details.retrieved details.passage-card", has_text="Harbour notes")
    harbour.locator("summary").click()
    expect(harbour.locator(".passage-text")).to_be_visible()
    expect(harbour.locator(".passage-text")).to_contain_text('<img src=x onerror="window.__pwned=1">')
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#chat script, #chat img[src=x], #documents script").count() == 0
    assert page.locator("#chat [onerror], #documents [onerror]").count() == 0


def test_llm_answer_streams_in_and_quote_statuses_look_different(page):
    from playwright.sync_api import expect

    page.locator("#generator input").click()
    page.get_by_role("option", name="openai").click()
    send(page, "Who built the Bushehr nuclear power plant?")
    draft = page.locator("#chat .answer.draft")
    expect(draft).to_contain_text("Russia built it", timeout=ANSWER_TIMEOUT_MS)  # seen while being written
    expect(draft.locator(".checking")).to_be_visible()
    answer = wait_answer(page, 1)
    expect(page.locator("#chat .answer.draft")).to_have_count(0)
    verified = answer.locator(".quote-inline.q-verified")
    expect(verified).to_contain_text("Atomstroyexport")
    expect(answer.locator(".unverified-note")).to_be_visible()
    expect(answer.locator(".quote-inline")).to_have_count(1)  # the invented words are not shown as a quote
    expect(answer).to_contain_text(INVENTED_QUOTE)
    colours = answer.evaluate(
        """a => [...a.querySelectorAll('sup.cite-ref')].map(s => getComputedStyle(s).color)"""
    )
    assert len(colours) == 2 and colours[0] != colours[1]
    statuses = answer.locator("details.citation .badge").all_inner_texts()
    assert statuses == ["✓ exact quote", "✗ not found in the source"]
    expect(answer).to_contain_text("openai")

    failed = ask(page, "Why did the plant fail?")
    expect(failed.locator(".error")).to_contain_text("Could not answer.")
    expect(failed.locator(".error")).to_contain_text("500")
    assert "Traceback" not in failed.inner_text()


def test_refused_upload_says_why(page, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"\x00\x01\x02 not text" * 20)
    text = upload(page, bad)
    assert "Not added: notes.txt" in text and "binary" in text


def test_the_documents_tab_removes_an_upload(page, tmp_path):
    from playwright.sync_api import expect

    note = tmp_path / "tide-tables.txt"
    note.write_text(
        "Tide tables of Wick\n\nThe harbour master of Wick kept the tide tables in a red ledger.\n"
    )
    assert "Added 1 document: tide-tables" in upload(page, note)
    page.get_by_role("tab", name="Documents").click()
    expect(page.locator("#documents")).to_contain_text("Tide tables of Wick")
    page.locator("#remove-choice input").click()
    page.get_by_role("option", name="Tide tables of Wick (tide-tables)").click()
    page.locator("#remove").click()
    expect(page.locator("#remove-report")).to_contain_text(
        "Removed 1 document: tide-tables", timeout=ANSWER_TIMEOUT_MS
    )
    expect(page.locator("#documents")).not_to_contain_text("Tide tables of Wick")


def test_the_api_checks_k_and_history_at_the_door(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    for kwargs, message in (
        ({"k": "abc"}, "whole number"),
        ({"k": 2.5}, "whole number"),
        ({"history": "hello"}, "history must be a list of turns"),
        ({"history": [{"role": "user"}]}, "turn 0"),
    ):
        with pytest.raises(Exception, match=message):
            client.predict(question="Who built the Bushehr nuclear power plant?", api_name="/ask", **kwargs)


def test_eight_sessions_at_once_each_get_their_own_answer(browser, app_url):
    sessions = []
    for question in CONCURRENT:
        context = browser.new_context()
        page = context.new_page()
        page.goto(app_url)
        page.wait_for_selector("#question textarea")
        sessions.append((context, page, question))
    for _context, page, question in sessions:  # all asked before any answer is awaited
        send(page, question)
    try:
        for _context, page, question in sessions:
            answer = wait_answer(page, 1)
            assert CONCURRENT[question] in answer.inner_text(), question
            users = page.locator("#chat [data-testid=user]")
            assert users.count() == 1 and users.first.inner_text().strip() == question
            others = [v for q, v in CONCURRENT.items() if q != question and v not in CONCURRENT[question]]
            assert not any(v in answer.inner_text() for v in others if v != "do not answer"), question
    finally:
        for context, _page, _question in sessions:
            context.close()


def test_gradio_client_calls_the_named_api(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    answer = client.predict(
        question="Who built the Bushehr nuclear power plant?", k=5, generator="extractive", history=[],
        api_name="/ask",
    )  # fmt: skip
    assert "Atomstroyexport" in answer["text"] and not answer["abstained"]
    first = answer["citations"][0]
    assert first["status"] == "verified" and first["doc_id"] == "000_ef786f168e0479b6"
    follow_up = client.predict(
        question="When did they hand it over to Iran?",
        history=[
            {"role": "user", "content": answer["question"]},
            {"role": "assistant", "content": answer["text"]},
        ],
        api_name="/ask",
    )
    assert "September 2013" in follow_up["text"]
    documents = client.predict(api_name="/documents")
    assert {"000_ef786f168e0479b6", "002_aa0b2b830c5057bb", "004_95f31d63a59dd7b7"} <= {
        d["doc_id"] for d in documents
    }
    with pytest.raises(Exception, match="empty"):
        client.predict(question="   ", api_name="/ask")


def test_export_the_conversation_and_the_connect_panel(page, app_url, seeds_index):
    """Export gives Markdown with the quotes and sources and JSON with every citation; Connect shows the URLs
    the same server answers the OpenAI API and MCP at."""
    import httpx
    from playwright.sync_api import expect

    import rag

    page.click("#export")  # nothing asked yet: nothing to export
    expect(page.locator("#exported")).to_be_hidden()
    ask(page, "Who built the Bushehr nuclear power plant?")
    ask(page, "When did Russia annex Crimea?")
    page.click("#export")
    links = page.locator("#exported a[href]")
    expect(links).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    files = {}
    for i in range(2):
        href = links.nth(i).get_attribute("href")
        url = href if href.startswith("http") else app_url.rstrip("/") + href
        files[url.split("?")[0].rsplit("/", 1)[-1]] = httpx.get(url, timeout=30).text
    markdown, exported = files["conversation.md"], json.loads(files["conversation.json"])
    assert (
        "## Who built the Bushehr nuclear power plant?" in markdown
        and "## When did Russia annex Crimea?" in markdown
    )
    assert "Atomstroyexport" in markdown and "March 2014" in markdown and "**Sources**" in markdown
    turns = exported["turns"]
    assert [t["question"] for t in turns] == [
        "Who built the Bushehr nuclear power plant?",
        "When did Russia annex Crimea?",
    ]
    for turn in turns:
        assert turn["citations"]
        for c in turn["citations"]:
            text = rag.get_document(c["doc_id"], index_dir=seeds_index).text
            assert text[c["start"] : c["end"]] == c["quote"] and c["quote"] in markdown

    page.get_by_role("tab", name="Connect").click()
    connect = page.locator("#connect")
    base = app_url.rstrip("/")
    expect(connect).to_contain_text(f"{base}/v1")
    expect(connect).to_contain_text(f"{base}/mcp")
    expect(connect).to_contain_text("rag mcp --index-dir")
    models = httpx.get(f"{base}/v1/models", timeout=30).json()  # the same process serves the API
    assert models["data"][0]["id"] == "rag/extractive"
