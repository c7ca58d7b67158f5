"""Follow-up questions: a standalone query for retrieval from the question and the conversation so far.

With no language model at hand, a follow-up ("When did they hand it over?") is made searchable by putting
the previous question in front of it; questions that stand on their own are left alone, so a change of topic
does not drag the old one along.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_ANAPHORA = re.compile(
    r"\b(it|its|they|them|their|theirs|he|him|his|she|her|hers|this|these|those|the same)\b",
    re.IGNORECASE,
)


def normalise_history(
    history: Sequence[Mapping[str, str]] | Sequence[Sequence[str]] | None,
) -> list[dict[str, str]]:
    """History as ``[{"role", "content"}]``; also accepts ``[(user, assistant), ...]`` pairs."""
    turns: list[dict[str, str]] = []
    for item in history or ():
        if isinstance(item, Mapping):
            role, content = str(item.get("role", "user")), item.get("content")
            if isinstance(content, str) and content.strip():
                turns.append({"role": role, "content": content})
        else:
            pair = list(item)
            for role, content in zip(("user", "assistant"), pair, strict=False):
                if isinstance(content, str) and content.strip():
                    turns.append({"role": role, "content": content})
    return turns


def is_follow_up(question: str) -> bool:
    """Whether ``question`` leans on earlier turns: it refers back, or is too short to stand alone."""
    return bool(_ANAPHORA.search(question)) or len(question.split()) <= 4


def standalone_question(question: str, history: Sequence[Mapping[str, str]]) -> str:
    """The query to retrieve with: the last user question prepended when ``question`` is a follow-up."""
    previous = [t["content"] for t in history if t.get("role") == "user"]
    if not previous or not is_follow_up(question):
        return question
    return f"{previous[-1]} {question}"
