"""The OpenAI-compatible API of ``rag serve``, driven by the official ``openai`` client over loopback."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fake_openai import INVENTED_QUOTE, fake_openai_server
from serving import rag_serve, verbatim

import rag

openai = pytest.importorskip("openai")

pytestmark = pytest.mark.integration
KEY = "test-key-5f1c2a9e7d"  # what the log must never show
BUSHEHR = "Who built the Bushehr nuclear power plant?"
ABSENT = "What is the capital of Peru?"


@pytest.fixture(scope="module")
def index_copy(seeds_index: Path, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("openai_api")
    shutil.copytree(seeds_index.parent, base / "copy")
    return base / "copy" / "vectors"


@pytest.fixture(scope="module")
def upstream():
    with fake_openai_server() as url:
        yield url


@pytest.fixture(scope="module")
def server(index_copy: Path, tmp_path_factory, upstream):
    log = tmp_path_factory.mktemp("openai_log") / "serve.log"
    env = {"OPENAI_BASE_URL": upstream, "OPENAI_API_KEY": "", "RAG_LLM_MODEL": "test-model",
           "RAG_LLM_MAX_RETRIES": "0", "RAG_FALLBACK_GENERATOR": "none"}  # fmt: skip
    with rag_serve(index_copy, log, "--api-key", KEY, env=env) as served:
        yield served


@pytest.fixture(scope="module")
def client(server):
    return openai.OpenAI(base_url=server.url + "/v1", api_key=KEY, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def documents(index_copy: Path) -> dict[str, str]:
    return {
        d.doc_id: rag.get_document(d.doc_id, index_dir=index_copy).text
        for d in rag.list_documents(index_copy)
    }


def _stream(client, messages, model="rag/extractive"):
    """(content, the last choice-carrying chunk's delta as a dict, every chunk) of a streamed completion."""
    chunks = list(client.chat.completions.create(model=model, messages=messages, stream=True))
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    last = [c for c in chunks if c.choices][-1]
    return content, last.choices[0].model_dump(), chunks


def test_models_are_the_generators_default_first(client):
    ids = [m.id for m in client.models.list()]
    assert ids[0] == "rag/extractive"
    assert sorted(ids) == sorted(f"rag/{g}" for g in rag.available_generators())


def test_plain_answer_has_the_fact_markers_sources_and_verbatim_citations(client, documents):
    reply = client.chat.completions.create(
        model="rag/extractive", messages=[{"role": "user", "content": BUSHEHR}]
    )
    message = reply.choices[0].message
    assert "Atomstroyexport" in message.content and "[1]" in message.content
    assert "**Sources**" in message.content and "000_ef786f168e0479b6" in message.content
    citations = message.model_extra["citations"]
    verbatim(citations, documents)
    assert "Atomstroyexport" in citations[0]["quote"]
    assert {"title", "author", "date", "url", "start", "end", "status"} <= set(citations[0])
    assert reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens > 0
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    assert reply.model == "rag/extractive" and reply.choices[0].finish_reason == "stop"


def test_streamed_answer_ends_with_the_citations_and_matches_the_plain_one(client, documents):
    messages = [{"role": "user", "content": BUSHEHR}]
    content, last, _ = _stream(client, messages)
    plain = client.chat.completions.create(model="rag/extractive", messages=messages).choices[0].message
    assert content == plain.content and "Atomstroyexport" in content
    assert last["finish_reason"] == "stop"
    verbatim(last["delta"]["citations"], documents)
    assert last["delta"]["citations"] == plain.model_extra["citations"]


def test_an_llm_answer_streams_only_checked_text_by_default(client, documents):
    content, last, chunks = _stream(client, [{"role": "user", "content": BUSHEHR}], model="rag/openai")
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) == 1  # the checked answer at once: no word of the unchecked draft went out first
    assert "**Checked answer**" not in content and "Atomstroyexport" in content
    citations = last["delta"]["citations"]
    assert [c["status"] for c in citations] == ["verified", "unverified"]  # the invented quote is not one
    verbatim(citations[:1], documents)
    assert "not found" in content and "**Sources**" in content
    plain = client.chat.completions.create(
        model="rag/openai", messages=[{"role": "user", "content": BUSHEHR}]
    )
    assert plain.choices[0].message.content == content
    assert plain.choices[0].message.model_extra["citations"] == citations


def test_asked_for_drafts_an_llm_answer_streams_as_written_then_the_checked_answer(
    index_copy, upstream, documents, monkeypatch
):
    from rag.serve.openai_api import ChatCompletions
    from rag.serve.openai_format import parse_request

    monkeypatch.setenv("OPENAI_BASE_URL", upstream)
    monkeypatch.setenv("OPENAI_API_KEY", "")
    settings = rag.Settings().with_overrides(
        stream_drafts=True, llm_model="test-model", llm_max_retries=0, fallback_generator="none"
    )
    completions = ChatCompletions(index_copy, settings)
    body = {"model": "rag/openai", "stream": True, "messages": [{"role": "user", "content": BUSHEHR}]}
    request = parse_request(body, rag.available_generators())
    first, rest = completions.start(request)
    events = [
        json.loads(e[len("data: ") :])
        for e in completions.events(request, first, rest)
        if e.startswith("data: {")
    ]
    deltas = [e["choices"][0]["delta"] for e in events]
    pieces = [d["content"] for d in deltas if d.get("content")]
    assert len(pieces) > 10  # word by word, as the model wrote it
    draft, checked = "".join(pieces).split("**Checked answer** (quotes verified against the documents):")
    assert INVENTED_QUOTE in draft and "Atomstroyexport" in draft
    assert "not found" in checked and "**Sources**" in checked
    citations = deltas[-1]["citations"]
    assert [c["status"] for c in citations] == ["verified", "unverified"]
    verbatim(citations[:1], documents)


def test_stream_reports_usage_when_asked(client):
    chunks = list(
        client.chat.completions.create(
            model="rag/extractive",
            messages=[{"role": "user", "content": BUSHEHR}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0


def test_abstention_is_an_ordinary_answer_without_citations(client):
    plain = client.chat.completions.create(
        model="rag/extractive", messages=[{"role": "user", "content": ABSENT}]
    )
    assert "do not answer" in plain.choices[0].message.content
    assert plain.choices[0].message.model_extra["citations"] == []
    assert plain.choices[0].message.model_extra["abstained"] is True
    content, last, _ = _stream(client, [{"role": "user", "content": ABSENT}])
    assert "do not answer" in content and last["delta"]["citations"] == []


def test_follow_up_given_as_messages_uses_the_conversation(client, documents):
    first = client.chat.completions.create(
        model="rag/extractive", messages=[{"role": "user", "content": BUSHEHR}]
    )
    follow_up = "When was it handed over?"
    alone = client.chat.completions.create(
        model="rag/extractive", messages=[{"role": "user", "content": follow_up}]
    )
    assert alone.choices[0].message.model_extra["abstained"] is True  # the question alone says too little
    messages = [
        {"role": "user", "content": BUSHEHR},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": follow_up},
    ]
    reply = client.chat.completions.create(model="rag/extractive", messages=messages).choices[0].message
    assert "September 2013" in reply.content
    verbatim(reply.model_extra["citations"], documents)
    content, last, _ = _stream(client, messages)
    assert "September 2013" in content and last["delta"]["citations"]


def test_a_system_message_is_not_used_and_the_notes_say_so(client):
    messages = [{"role": "system", "content": "Answer in French."}, {"role": "user", "content": BUSHEHR}]
    message = client.chat.completions.create(model="rag/extractive", messages=messages).choices[0].message
    assert "Atomstroyexport" in message.content
    assert any("system message was not used" in n for n in message.model_extra["notes"])
    assert "system message was not used" in message.content


def test_unknown_model_is_a_404_naming_the_models(client):
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": BUSHEHR}])
    assert caught.value.status_code == 404
    body = caught.value.body
    assert body["code"] == "model_not_found" and "rag/extractive" in body["message"]


@pytest.mark.parametrize(
    ("messages", "says"),
    [
        ([], "non-empty list"),
        ([{"role": "assistant", "content": "Hello"}], "last message must be the user's question"),
        ([{"role": "user", "content": "   "}], "question is empty"),
        ([{"role": "user", "content": "?!?"}], "no words"),
    ],
)
def test_bad_requests_are_400_with_a_message(client, messages, says):
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="rag/extractive", messages=messages)
    assert caught.value.status_code == 400 and says in caught.value.body["message"]


def test_bad_k_and_bad_json_are_400(client, server):
    import httpx

    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="rag/extractive", messages=[{"role": "user", "content": BUSHEHR}], extra_body={"k": 500}
        )
    assert "between 1 and 50" in caught.value.body["message"]
    raw = httpx.post(
        server.url + "/v1/chat/completions", content=b"{not json", headers={"Authorization": f"Bearer {KEY}"}
    )
    assert raw.status_code == 400 and raw.json()["error"]["message"] == "The request body is not valid JSON."


def test_missing_or_wrong_key_is_401_and_the_key_is_never_logged(server):
    for key in ("", "wrong-key"):
        unauthorised = openai.OpenAI(base_url=server.url + "/v1", api_key=key or "x", max_retries=0)
        if not key:  # the SDK always sends a header: remove it to send none
            unauthorised = unauthorised.with_options(default_headers={"Authorization": ""})
        with pytest.raises(openai.AuthenticationError) as caught:
            unauthorised.chat.completions.create(
                model="rag/extractive", messages=[{"role": "user", "content": BUSHEHR}]
            )
        assert caught.value.status_code == 401 and "API key" in caught.value.body["message"]
        with pytest.raises(openai.AuthenticationError):
            unauthorised.models.list()
    log = server.log()
    assert "Refused POST /v1/chat/completions" in log and "Incorrect API key" in log  # refusals are logged
    assert KEY not in log and "wrong-key" not in log  # the keys are not


def test_eight_concurrent_completions_each_get_their_own_answer(client, documents):
    cases = [
        (BUSHEHR, "Atomstroyexport"),
        ("When did Russia annex Crimea?", "March 2014"),
        ("What did Putin's aide Yury Ushakov tell TASS?", "Ushakov"),
        (
            "How should Iran keep its expectations of Russian help, according to the AL-Monitor analysis?",
            "soberly modest",
        ),
    ]
    jobs = [(q, fact, stream) for q, fact in cases for stream in (False, True)]

    def run(job):
        question, _, stream = job
        messages = [{"role": "user", "content": question}]
        if stream:
            content, last, _ = _stream(client, messages)
            return content, last["delta"]["citations"]
        message = client.chat.completions.create(model="rag/extractive", messages=messages).choices[0].message
        return message.content, message.model_extra["citations"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, jobs))
    for (_, fact, _), (content, citations) in zip(jobs, results, strict=True):
        assert fact in content
        verbatim(citations, documents)
        assert any(fact in c["quote"] for c in citations)


@pytest.mark.parametrize("stream", [False, True])
def test_no_index_is_a_503_that_says_how_to_build_one(tmp_path, stream):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from rag.serve.openai_api import build_router

    app = FastAPI()
    app.include_router(build_router(tmp_path / "none", rag.Settings()))
    no_index = openai.OpenAI(
        base_url="http://testserver/v1", api_key="x", http_client=TestClient(app), max_retries=0
    )
    with pytest.raises(openai.InternalServerError) as caught:
        no_index.chat.completions.create(
            model="rag/extractive", messages=[{"role": "user", "content": BUSHEHR}], stream=stream
        )
    assert caught.value.status_code == 503
    assert caught.value.body["code"] == "index_unavailable" and "rag index" in caught.value.body["message"]
