"""The conversation as files a user keeps: Markdown with the quotes and their sources, and JSON with every
citation; and the "connect" panel's text (how other tools reach this server)."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rag.serve import MCP_PATH, answer_markdown


def conversation_markdown(answers: Sequence[Mapping[str, Any]]) -> str:
    """Each question as a heading, then its answer with ``[n]`` markers, its notes and its sources."""
    parts = [f"# Conversation\n\nExported {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}."]
    for answer in answers:
        parts.append(f"## {answer.get('question', '')}\n\n{answer_markdown(answer)}")
    return "\n\n".join(parts) + "\n"


def conversation_json(answers: Sequence[Mapping[str, Any]]) -> str:
    """``{"exported", "turns": [Answer.to_dict(), ...]}``: every citation, its quote, document and spans."""
    return json.dumps(
        {"exported": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "turns": list(answers)},
        ensure_ascii=False,
        indent=2,
    )


def export_files(answers: Sequence[Mapping[str, Any]]) -> list[str]:
    """The conversation written to ``conversation.md`` and ``conversation.json`` in a new temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="rag-export-"))
    (folder / "conversation.md").write_text(conversation_markdown(answers), encoding="utf-8")
    (folder / "conversation.json").write_text(conversation_json(answers), encoding="utf-8")
    return [str(folder / "conversation.md"), str(folder / "conversation.json")]


def connect_markdown(base_url: str, index_dir: Path, key_required: bool) -> str:
    """How to point the ``openai`` SDK, Open WebUI or an MCP client at the server at ``base_url``."""
    base_url = base_url.rstrip("/")
    key = "the key rag serve was started with" if key_required else "any text (no key is set)"
    return f"""**OpenAI-compatible API** (the `openai` SDK, Open WebUI, LibreChat…)
- Base URL: `{base_url}/v1` — model `rag/extractive` — API key: {key}

```python
from openai import OpenAI
client = OpenAI(base_url="{base_url}/v1", api_key="...")
reply = client.chat.completions.create(model="rag/extractive",
    messages=[{{"role": "user", "content": "Who built the Bushehr nuclear power plant?"}}])
print(reply.choices[0].message.content)  # the citations: reply.choices[0].message.citations
```

**MCP** (Claude Desktop, IDE assistants, agents): tools `ask`, `search`, `list_documents`, `get_document`
- Streamable HTTP: `{base_url}{MCP_PATH}`
- stdio: `rag mcp --index-dir {index_dir}`
"""
