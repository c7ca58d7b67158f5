"""The Gradio app: a chat that answers with quoted, cited passages, a document list, and uploads.

``build_app`` lays out the page and wires its events to ``ui.chat.ChatApp``; ``serve`` loads the index and the
embedder once, then starts the server with Gradio's queue so many users share one model.

The app's API (for ``gradio_client``):

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    answer = client.predict("Who built the Bushehr nuclear power plant?", 5, "extractive", [],
                            api_name="/ask")
    documents = client.predict(api_name="/documents")
"""

import logging
import socket
import sys
import threading
from pathlib import Path
from typing import Any

import gradio as gr

import rag
from rag import MAX_UPLOAD_BYTES, UPLOAD_SUFFIXES, default_index_dir
from rag.serve import apis_lifespan

from .chat import ChatApp, Conversation, failure_message
from .export import connect_markdown, export_files
from .style import CSS, theme

log = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 4  # answers are CPU-bound: more at once only makes each one slower
EXAMPLES = [
    "Who built the Bushehr nuclear power plant?",
    "When did Russia annex Crimea?",
    "What did Putin's aide Yury Ushakov tell TASS?",
    "Why should Biden not expect help from Moscow on the Iran deal?",
]
HEADER = """<div id="app-header"><h1>Ask the articles</h1>
<p>Answers quote the documents word for word. Every quote is checked against its source; open a citation to
read the passage it comes from.</p></div>"""
LEGEND = """<div class="legend"><div class="section-h">How quotes are marked</div>
<span class="badge b-verified">✓ exact quote</span>found word for word<br>
<span class="badge b-repaired">≈ corrected</span>replaced by the source's exact words<br>
<span class="badge b-unverified">✗ not found</span>not in the source: not a quote</div>"""
PLACEHOLDER = (
    "**Ask a question about the articles.**<br>The answer quotes them word for word, "
    "with a numbered source for every quote."
)


def build_app(
    index_dir: str | Path | None = None, settings: rag.Settings | None = None, key_required: bool = False
) -> gr.Blocks:
    """The app over ``index_dir`` (default ``vectors/``); not started: see ``serve``.

    ``key_required``: the connect panel says that ``/v1`` and ``/mcp`` need ``serve``'s API key.
    """
    settings = settings or rag.Settings.from_env()
    chat = ChatApp(Path(index_dir) if index_dir is not None else default_index_dir(), settings)
    names = rag.available_generators()
    default_generator = settings.generator if settings.generator in names else (names[0] if names else None)

    with gr.Blocks(title="Ask the articles", analytics_enabled=False) as app:
        conversation = gr.State(Conversation())
        gr.HTML(HEADER)
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"), gr.Row(equal_height=False):
                with gr.Column(scale=4):
                    chatbot = gr.Chatbot(
                        elem_id="chat",
                        height=620,
                        render_markdown=False,
                        sanitize_html=True,
                        latex_delimiters=[],
                        show_label=False,
                        layout="bubble",
                        buttons=[],
                        feedback_options=None,
                        placeholder=PLACEHOLDER,
                        group_consecutive_messages=False,
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            elem_id="question",
                            placeholder="Ask a question about the articles…",
                            show_label=False,
                            scale=8,
                            lines=1,
                            max_lines=6,
                            autofocus=True,
                            submit_btn=False,
                        )
                        ask = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="ask")
                    gr.Examples(EXAMPLES, inputs=[question], label="Try one of these")
                with gr.Column(scale=1, min_width=250):
                    generator = gr.Dropdown(
                        names,
                        value=default_generator,
                        label="Generator",
                        info="What writes the answer",
                        elem_id="generator",
                    )
                    k = gr.Slider(
                        1, 20, value=settings.top_k, step=1, label="Passages to retrieve", elem_id="k"
                    )
                    show_passages = gr.Checkbox(
                        False, label="Show the retrieved passages", elem_id="show-passages"
                    )
                    clear = gr.Button("Clear the chat", variant="secondary", elem_id="clear")
                    export = gr.Button("Export the conversation", variant="secondary", elem_id="export")
                    exported = gr.File(
                        label="Markdown and JSON (every citation)",
                        file_count="multiple",
                        interactive=False,
                        visible=False,
                        elem_id="exported",
                    )
                    gr.HTML(LEGEND)
            with gr.Tab("Documents", id="documents-tab"):
                gr.Markdown(
                    f"Add **{', '.join(UPLOAD_SUFFIXES)}** files of up to "
                    f"{MAX_UPLOAD_BYTES // 2**20} MB each. They are indexed at once and can be asked about "
                    "as soon as they are listed below."
                )
                files = gr.File(
                    file_count="multiple",
                    file_types=list(UPLOAD_SUFFIXES),
                    type="filepath",
                    label="Add documents",
                    elem_id="upload",
                    height=140,
                )
                upload_report = gr.HTML(elem_id="upload-report")
                documents = gr.HTML(elem_id="documents")
                refresh = gr.Button("Refresh the list", size="sm", variant="secondary")
                with gr.Row(equal_height=True):
                    to_remove = gr.Dropdown(
                        [],
                        multiselect=True,
                        label="Remove documents",
                        info="An uploaded file is deleted; a file from a source folder stays on disk and is "
                        "no longer indexed.",
                        elem_id="remove-choice",
                        scale=4,
                    )
                    remove = gr.Button(
                        "Remove from the index", variant="stop", elem_id="remove", scale=1, min_width=160
                    )
                remove_report = gr.HTML(elem_id="remove-report")
            with gr.Tab("Connect", id="connect-tab"):
                connect = gr.Markdown(elem_id="connect")

        inputs = [question, conversation, generator, k, show_passages]
        outputs = [chatbot, conversation, question]
        for trigger in (ask.click, question.submit):
            trigger(chat.respond, inputs, outputs, api_visibility="private", show_progress="hidden")
        clear.click(chat.clear, None, outputs, api_visibility="private", queue=False)
        chatbot.clear(chat.clear, None, outputs, api_visibility="private", queue=False)

        def upload(paths: list[str] | None, progress=gr.Progress()) -> tuple[str, str, None]:  # noqa: B008
            return chat.upload(paths, progress)

        def choices() -> gr.Dropdown:
            return gr.Dropdown(choices=chat.document_choices(), value=[])

        files.upload(
            upload,
            [files],
            [upload_report, documents, files],
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="upload-remove",
            show_progress="full",
        ).then(choices, None, to_remove, api_visibility="private")
        remove.click(
            chat.remove,
            [to_remove],
            [remove_report, documents],
            api_visibility="private",
            concurrency_limit=1,
            concurrency_id="upload-remove",
        ).then(choices, None, to_remove, api_visibility="private")
        refresh.click(chat.documents_html, None, documents, api_visibility="private").then(
            choices, None, to_remove, api_visibility="private"
        )
        app.load(chat.documents_html, None, documents, api_visibility="private").then(
            choices, None, to_remove, api_visibility="private"
        )

        def export_conversation(conversation: Conversation | None) -> Any:
            if conversation is None or not conversation.answers:
                gr.Info("Nothing to export yet: ask a question first.")
                return gr.update(value=None, visible=False)
            return gr.update(value=export_files(conversation.answers), visible=True)

        def connect_text(request: gr.Request) -> str:
            host = request.headers.get("host", "127.0.0.1:7860")
            scheme = request.headers.get("x-forwarded-proto", "http")
            return connect_markdown(f"{scheme}://{host}", chat.index_dir, key_required)

        export.click(export_conversation, [conversation], [exported], api_visibility="private", queue=False)
        app.load(connect_text, None, connect, api_visibility="private", queue=False)

        def ask_api(
            question: str, k: int = 5, generator: str = "", history: list[dict[str, str]] | None = None
        ) -> dict[str, Any]:
            """Answer a question from the indexed documents: Answer.to_dict() (text, citations, passages)."""
            try:
                return chat.api_ask(question, k, generator, history)
            except rag.RagError as e:  # the caller's mistake or a missing index: a message, no traceback
                raise gr.Error(failure_message(e, generator), print_exception=False) from e

        def documents_api() -> list[dict[str, Any]]:
            """Every indexed document: doc_id, title, author, date, url, chunks, source_path."""
            try:
                return chat.api_documents()
            except rag.RagError as e:
                raise gr.Error(str(e), print_exception=False) from e

        gr.api(ask_api, api_name="ask")
        gr.api(documents_api, api_name="documents")
    return app


def _warm_up(index_dir: Path, settings: rag.Settings) -> None:
    """Answer one question offline so the embedder is loaded before the first user asks (seconds on a CPU).

    Only the offline extractive generator is used: warming up must never call a paid or remote model.
    """
    if "extractive" not in rag.available_generators():
        return
    try:
        rag.ask(
            "What are these documents about?", generator="extractive", index_dir=index_dir, settings=settings
        )
    except Exception:  # a failed warm-up only means the first answer is slower
        log.warning("Warm-up failed; the first answer may be slow.", exc_info=True)


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now (a socket in TIME_WAIT does not count as taken)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def port_in_use(host: str, port: int) -> str:
    """The one line a user reads when ``host:port`` is taken."""
    return (
        f"Port {port} on {host} is already in use (another rag serve?): stop that server, or serve on another "
        f"port (rag serve --port {port + 1})."
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 7860,
    index_dir: str | Path | None = None,
    share: bool = False,
    auth: tuple[str, str] | None = None,
    settings: rag.Settings | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    block: bool = True,
    api_key: str | None = None,
) -> gr.Blocks:
    """Load the index, then serve the chat at ``http://host:port`` while the models warm up.

    Binds to this machine only unless ``host`` says otherwise; ``share`` opens a public gradio.live link.
    With ``block=False`` it returns the running app at once (tests; stop it with ``app.close()``).
    The same server answers the OpenAI chat API at ``/v1`` and MCP at ``/mcp`` (``rag.serve``); with
    ``api_key`` those two require ``Authorization: Bearer <api_key>``.

    Raises:
        IndexNotFoundError / IndexMismatchError: no usable index at ``index_dir`` (checked before starting).
    """
    settings = settings or rag.Settings.from_env()
    folder = Path(index_dir) if index_dir is not None else default_index_dir()
    if not port_free(host, port):  # before any work, and before a thread that would outlive the error
        raise rag.RagError(port_in_use(host, port))
    # Fails here, before a server starts, when there is no usable index; builds the bundled one if needed.
    # A new index with nothing to build it from (an installed copy) starts empty: documents are uploaded.
    try:
        documents = rag.list_documents(folder, settings=settings)
    except rag.NothingToIndexError:
        documents = []
        print(f"No documents are indexed at {folder} yet: add some in the Documents tab, or with: rag index "
              "SOURCES", file=sys.stderr, flush=True)  # fmt: skip
    log.info("Serving %d documents from %s", len(documents), folder)
    warning = exposure_warning(host, port, share=share, auth=auth)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    if documents:
        threading.Thread(target=_warm_up, args=(folder, settings), name="warm-up", daemon=True).start()
    app = build_app(folder, settings, key_required=bool(api_key))
    app.queue(default_concurrency_limit=concurrency)
    # Gradio's own start-up lines speak to Python users ("set share=True in launch()"): it is launched quiet,
    # and the lines a `rag serve` user needs are printed instead.
    try:
        app.launch(
            server_name=host,
            server_port=port,
            share=share,
            auth=auth,
            max_file_size=MAX_UPLOAD_BYTES,
            theme=theme(),
            css=CSS,
            ssr_mode=False,
            show_error=False,
            prevent_thread_lock=True,
            inbrowser=False,
            quiet=True,
            app_kwargs={"lifespan": apis_lifespan(folder, settings, api_key=api_key, host=host)},
        )
    except OSError as e:
        if port_free(host, port):
            raise
        # taken between the check above and the bind (another server started meanwhile)
        raise rag.RagError(port_in_use(host, port)) from e
    if block:
        print(f"* Running on local URL:  {app.local_url}", flush=True)
        if not share:
            print("* To open a public gradio.live link as well, start it with: rag serve --share", flush=True)
        app.block_thread()
    return app


def _loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def exposure_warning(host: str, port: int, *, share: bool, auth: tuple[str, str] | None) -> str | None:
    """A warning when the chat is reachable beyond this machine with no password, else None."""
    if auth:
        return None
    if share:
        return (
            "Warning: --share opens a public gradio.live link without --auth: anyone who has the link can "
            "ask questions, read the documents and add or remove documents. Add --auth USER:PASS."
        )
    if not _loopback(host):
        return (
            f"Warning: --host {host} makes the chat reachable from other machines, and without --auth anyone "
            f"who can reach port {port} can ask questions, read the documents and add or remove documents. "
            "Add --auth USER:PASS, or bind to 127.0.0.1 (the default)."
        )
    return None


__all__ = ["build_app", "exposure_warning", "serve"]
