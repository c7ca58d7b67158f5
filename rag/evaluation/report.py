"""Write an evaluation to a folder: ``report.md``, ``report.json``, ``answers.jsonl`` and ``report.png``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .chart import write_chart
from .floors import flatten
from .kinds import kinds_table
from .runner import TARGETS, Evaluation

ANSWER_PREVIEW = 600  # characters of an answer shown under a failed question


def fmt(value: Any) -> str:
    """A figure for a table: shares with 3 decimals, counts as integers, missing as n/a."""
    if value is None:
        return "n/a"
    if isinstance(value, bool | int):
        return str(int(value))
    return f"{value:.3f}"


def summary_table(
    figures: Mapping[str, Any],
    targets: Mapping[str, float] | None = None,
    floors: Mapping[str, float] | None = None,
) -> list[str]:
    """Markdown table rows: figure, value, and the target and floor where there is one."""
    targets, floors = targets or {}, floors or {}
    lines = ["| figure | value | target | floor |", "| --- | ---: | ---: | ---: |"]
    for name, value in flatten(dict(figures)).items():
        shown = (
            f"{value * 1000:.0f} ms" if name.startswith("latency_s.") and value is not None else fmt(value)
        )
        lines.append(
            f"| {name.replace('latency_s.', 'latency.')} | {shown} | "
            f"{fmt(targets.get(name)) if name in targets else ''} | "
            f"{fmt(floors.get(name)) if name in floors else ''} |"
        )
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def failure_section(evaluation: Evaluation) -> list[str]:
    """Every failed question: what was asked and expected, what went wrong, and what came back."""
    failed = [
        (q, a, s)
        for q, a, s in zip(evaluation.questions, evaluation.answers, evaluation.scores, strict=True)
        if not s.passed
    ]
    lines = [f"## Failed questions ({len(failed)} of {len(evaluation.scores)})", ""]
    if not failed:
        return [*lines, "None.", ""]
    for q, a, s in failed:
        lines += [f"### {q.id}{f' ({q.type})' if q.type else ''}: {q.question}", ""]
        for role, content in q.history:
            lines.append(f"- history, {role}: {_one_line(content)}")
        phrases = json.dumps(list(q.answers), ensure_ascii=False)
        where = ", ".join(q.doc_ids) or "any document"
        expected = (
            f"answers {phrases} from {where}" if q.answerable else "abstain (the documents do not answer)"
        )
        lines += [f"- expected: {expected}", f"- wrong: {'; '.join(s.failures)}"]
        cited = ", ".join(f"[{c.n}] {c.doc_id} ({c.status})" for c in a.citations) or "nothing"
        retrieved = ", ".join(dict.fromkeys(p.doc_id for p in a.passages)) or "nothing"
        body = _one_line(a.text)
        preview = body[:ANSWER_PREVIEW] + (" ..." if len(body) > ANSWER_PREVIEW else "")
        lines += [
            f"- came back ({'abstained' if a.abstained else 'answered'}; cited {cited}; "
            f"retrieved {retrieved}):",
            "",
            "  ```text",
            f"  {preview}",
            "  ```",
            "",
        ]
    return lines


def write_report(
    evaluation: Evaluation,
    out_dir: str | Path,
    *,
    title: str = "Evaluation",
    floors: Mapping[str, float] | None = None,
    regressions: list[str] | None = None,
    chart: bool = True,
) -> dict[str, Path]:
    """Write the four report files into ``out_dir`` (created if needed); returns their paths by name."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("report.md", "report.json", "answers.jsonl", "report.png")}
    with open(paths["answers.jsonl"], "w", encoding="utf-8") as f:
        for q, a, s in zip(evaluation.questions, evaluation.answers, evaluation.scores, strict=True):
            f.write(
                json.dumps(
                    {"id": q.id, "passed": s.passed, "failures": list(s.failures), **a.to_dict()},
                    ensure_ascii=False,
                )
                + "\n"
            )
    record = {
        "figures": evaluation.figures,
        "targets": TARGETS,
        "floors": dict(floors or {}),
        "regressions": regressions or [],
        "config": evaluation.config,
        "warnings": evaluation.warnings,
        "questions": [
            {**s.__dict__, "failures": list(s.failures), "passed": s.passed} for s in evaluation.scores
        ],
    }
    paths["report.json"].write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    c = evaluation.config
    lines = [
        f"# {title}",
        "",
        f"{len(evaluation.questions)} questions, generator `{c.get('generator')}`, k={c.get('k')}, "
        f"index `{c.get('index_dir')}` ({c.get('documents')} documents), {c.get('date')}.",
        "",
        *summary_table(evaluation.figures, TARGETS, floors),
        "",
    ]
    lines += [
        "## Per kind of question (right / asked)",
        "",
        *kinds_table(evaluation.questions, evaluation.scores),
        "",
    ]
    if regressions:
        lines += ["## Below the floors", "", *[f"- {r}" for r in regressions], ""]
    if evaluation.warnings:
        lines += ["## Question set warnings", "", *[f"- {w}" for w in evaluation.warnings], ""]
    lines += failure_section(evaluation)
    paths["report.md"].write_text("\n".join(lines), encoding="utf-8")

    if chart:
        flat = flatten(evaluation.figures)
        shares = {
            n: v
            for n, v in flat.items()
            if n.split(".")[0] in ("retrieval", "answers", "citations", "abstention", "kinds")
            or n == "quotes.verbatim_share"
        }
        write_chart(paths["report.png"], shares, [s.latency_s for s in evaluation.scores], title=title)
    else:
        paths.pop("report.png")
    return paths
