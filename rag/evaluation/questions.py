"""Evaluation question sets: one JSON object per line, validated with errors that name the line and the fix.

A line looks like::

    {"id": "q01", "question": "When was the crane contract signed?", "answerable": true,
     "answers": ["2007"], "doc_ids": ["harbour_report"], "evidence": ["When the contract was ..."],
     "history": [{"role": "user", "content": "..."}, {"role": "assistant", "content": "..."}], "type": "fact"}

Only ``id`` and ``question`` are required; ``answerable`` defaults to true, the lists to empty.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import QuestionSetError

REQUIRED = ("id", "question")
LIST_FIELDS = ("answers", "doc_ids", "evidence")
CHECK_FIELDS = ("only_docs", "min_quotes", "min_docs")  # extra checks a question may ask for
KNOWN_FIELDS = (*REQUIRED, "type", "split", "history", "answerable", *LIST_FIELDS, *CHECK_FIELDS, "notes")
ROLES = ("user", "assistant")
MAX_REPORTED = 10  # a badly broken file lists its first problems, not hundreds


@dataclass(frozen=True)
class Question:
    """One evaluation question and what a right answer looks like."""

    id: str
    question: str
    type: str = ""
    history: tuple[tuple[str, str], ...] = ()  # (role, content) turns, oldest first
    answerable: bool = True
    answers: tuple[str, ...] = ()  # reference answers or key phrases
    doc_ids: tuple[str, ...] = ()  # the documents that hold the answer
    evidence: tuple[str, ...] = ()  # sentences or spans of those documents that support it
    split: str = ""  # "calibration" or "heldout": held-out questions are never used to tune anything
    only_docs: bool = False  # every quote must come from one of ``doc_ids``
    min_quotes: int = 0  # at least this many verified quotes
    min_docs: int = 0  # quotes from at least this many different documents of ``doc_ids``

    def history_turns(self) -> list[dict[str, str]]:
        """The history as ``ask()`` takes it: ``[{"role", "content"}]``."""
        return [{"role": role, "content": content} for role, content in self.history]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "type": self.type,
            "history": self.history_turns(),
            "answerable": self.answerable,
            "answers": list(self.answers),
            "doc_ids": list(self.doc_ids),
            "evidence": list(self.evidence),
            "split": self.split,
            "only_docs": self.only_docs,
            "min_quotes": self.min_quotes,
            "min_docs": self.min_docs,
        }


def _strings(record: dict[str, Any], name: str) -> tuple[str, ...]:
    value = record.get(name, [])
    if isinstance(value, str):
        raise ValueError(
            f"'{name}' must be a list of strings; wrap the single value in brackets: "
            f"[{json.dumps(value, ensure_ascii=False)}]"
        )
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"'{name}' must be a list of non-empty strings, got {json.dumps(value)[:80]}")
    return tuple(value)


def _history(value: Any) -> tuple[tuple[str, str], ...]:
    """``[{"role", "content"}]`` turns or ``[[user, assistant], ...]`` pairs, as ``ask()`` accepts."""
    if not isinstance(value, list):
        raise ValueError('\'history\' must be a list of turns like {"role": "user", "content": "..."}')
    turns: list[tuple[str, str]] = []
    for i, item in enumerate(value, start=1):
        if isinstance(item, dict):
            role, content = item.get("role"), item.get("content")
            if role not in ROLES or not isinstance(content, str) or not content.strip():
                raise ValueError(
                    f'history turn {i} must have "role" ({" or ".join(ROLES)}) and a non-empty "content"'
                )
            turns.append((role, content))
        elif isinstance(item, list) and 1 <= len(item) <= 2 and all(isinstance(x, str) for x in item):
            turns.extend(zip(ROLES, item, strict=False))
        else:
            raise ValueError(f'history turn {i} must be {{"role", "content"}} or a [user, assistant] pair')
    return tuple(turns)


def parse_question(record: Any) -> Question:
    """One question from a decoded JSON line.

    Raises:
        ValueError: a missing or malformed field (the message says which and what it should be).
    """
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    unknown = [k for k in record if k not in KNOWN_FIELDS]
    if unknown:
        hints = [
            f"'{k}' (did you mean '{m[0]}'?)"
            if (m := difflib.get_close_matches(k, KNOWN_FIELDS, 1))
            else f"'{k}'"
            for k in unknown
        ]
        raise ValueError(f"unknown field {', '.join(hints)}; known fields: {', '.join(KNOWN_FIELDS)}")
    for name in REQUIRED:
        if name not in record:
            raise ValueError(f"no '{name}' field")
    if (
        not isinstance(record["id"], str | int)
        or isinstance(record["id"], bool)
        or not str(record["id"]).strip()
    ):
        raise ValueError("'id' must be a non-empty string")
    if not isinstance(record["question"], str) or not record["question"].strip():
        raise ValueError("'question' must be non-empty text")
    answerable = record.get("answerable", True)
    if not isinstance(answerable, bool):
        raise ValueError(f"'answerable' must be true or false, got {json.dumps(answerable)}")
    answers, doc_ids, evidence = (_strings(record, name) for name in LIST_FIELDS)
    if not answerable and (answers or doc_ids or evidence):
        raise ValueError(
            "an unanswerable question ('answerable': false) cannot have answers, doc_ids or "
            "evidence; remove them or set 'answerable' to true"
        )
    kind = record.get("type", "")
    if not isinstance(kind, str):
        raise ValueError("'type' must be a string")
    split = record.get("split", "")
    if split not in ("", "calibration", "heldout"):
        raise ValueError(f'\'split\' must be "calibration" or "heldout", got {json.dumps(split)}')
    only_docs = record.get("only_docs", False)
    if not isinstance(only_docs, bool):
        raise ValueError(f"'only_docs' must be true or false, got {json.dumps(only_docs)}")
    counts = {name: record.get(name, 0) for name in ("min_quotes", "min_docs")}
    for name, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"'{name}' must be a whole number >= 0, got {json.dumps(value)}")
    if only_docs and not doc_ids:
        raise ValueError("'only_docs' needs 'doc_ids': the documents the quotes may come from")
    return Question(
        id=str(record["id"]),
        question=record["question"],
        type=kind,
        history=_history(record.get("history", [])),
        answerable=answerable,
        answers=answers,
        doc_ids=doc_ids,
        evidence=evidence,
        split=split,
        only_docs=only_docs,
        min_quotes=counts["min_quotes"],
        min_docs=counts["min_docs"],
    )


def load_questions(path: str | Path) -> list[Question]:
    """Every question of a JSONL question file, in file order (blank lines are ignored).

    Raises:
        QuestionSetError: the file is missing, empty, or has broken lines or duplicate ids; the message lists
            the first problems as ``file:line: what is wrong``.
    """
    path = Path(path)
    if not path.is_file():
        raise QuestionSetError(
            f"No question file at {path}. Pass a JSONL file with one question per line "
            "(see the README, 'Evaluation')."
        )
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise QuestionSetError(f"{path} is not UTF-8 text; re-save it as UTF-8.") from e
    questions: list[Question] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            question = parse_question(json.loads(line))
        except json.JSONDecodeError as e:
            problems.append(f"{path}:{number}: not valid JSON ({e.msg} at column {e.colno})")
            continue
        except ValueError as e:
            problems.append(f"{path}:{number}: {e}")
            continue
        if question.id in seen:
            problems.append(
                f"{path}:{number}: id '{question.id}' was already used on line {seen[question.id]}; "
                "ids must be unique"
            )
            continue
        seen[question.id] = number
        questions.append(question)
    if problems:
        more = f"\n... and {len(problems) - MAX_REPORTED} more" if len(problems) > MAX_REPORTED else ""
        raise QuestionSetError(
            f"{len(problems)} broken line(s) in {path}:\n" + "\n".join(problems[:MAX_REPORTED]) + more
        )
    if not questions:
        raise QuestionSetError(f"{path} holds no questions; write one JSON object per line.")
    return questions
