"""Write a BEIR run: ``run.tsv`` (TREC-style), ``report.md``, ``report.json``, ``report.png`` and, where the
corpus has gold evidence sentences, ``quotes.jsonl``."""

from __future__ import annotations

import json
from pathlib import Path

from .benchmark import BeirEvaluation
from .chart import write_chart
from .report import fmt

RETRIEVAL = ("ndcg@10", "recall@100", "mrr@10")
LABELS = {"ndcg@10": "nDCG@10", "recall@100": "Recall@100", "mrr@10": "MRR@10"}


def write_run(path: str | Path, rankings: dict[str, list[tuple[str, float]]]) -> Path:
    """``qid<TAB>doc_id<TAB>rank<TAB>score`` per line, ranks from 1, best first; no header line."""
    path = Path(path)
    with open(path, "w", encoding="utf-8") as f:
        for query_id, ranking in rankings.items():
            for rank, (doc_id, score) in enumerate(ranking, start=1):
                f.write(f"{query_id}\t{doc_id}\t{rank}\t{score:.6f}\n")
    return path


def write_beir_report(result: BeirEvaluation, out_dir: str | Path, *, chart: bool = True) -> dict[str, Path]:
    """Write the run and its report into ``out_dir`` (created if needed); returns the paths by name."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"run.tsv": write_run(out / "run.tsv", result.rankings)}
    record = {"figures": result.figures, "published": result.published, "config": result.config}
    paths["report.json"] = out / "report.json"
    paths["report.json"].write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if result.quotes:
        paths["quotes.jsonl"] = out / "quotes.jsonl"
        with open(paths["quotes.jsonl"], "w", encoding="utf-8") as f:
            for row in result.quotes:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")

    ours = result.figures["retrieval"]
    c = result.config
    lines = [
        f"# {result.name}, {result.split} split",
        "",
        f"{result.figures['queries']} queries over {c['documents']} documents; {c['date']}.",
        f"Index: {c['index']}.",
        f"Fusion `{c['settings']['fusion']}` (dense weight {c['settings']['dense_weight']}), chunks of "
        f"{c['settings']['chunk_tokens']} tokens; embedder `{c['settings']['embedder']}`.",
        "",
        "| system | " + " | ".join(LABELS[m] for m in RETRIEVAL) + " |",
        "| --- |" + " ---: |" * len(RETRIEVAL),
        "| **this run** | " + " | ".join(f"**{fmt(ours.get(m))}**" for m in RETRIEVAL) + " |",
    ]
    for system, values in result.published.items():
        lines.append(f"| {system} (published) | " + " | ".join(fmt(values.get(m)) for m in RETRIEVAL) + " |")
    latency = result.figures["latency_s"]
    lines += [
        "",
        f"Retrieval latency per query: median {latency['median'] * 1000:.1f} ms, "
        f"p95 {latency['p95'] * 1000:.1f} ms.",
        "",
    ]
    quotes = result.figures.get("quotes")
    if quotes:
        lines += [
            "## Quotes against the gold evidence sentences",
            "",
            "For each query with evidence whose top-ranked document is one of its cited documents, the "
            "extractive generator quotes from that document (abstention off); a quote is right when it "
            "covers at least half of a gold evidence sentence, or lies at least half inside one.",
            "",
            "| figure | value |",
            "| --- | ---: |",
            *[f"| {name} | {fmt(value)} |" for name, value in quotes.items()],
            "",
        ]
    paths["report.md"] = out / "report.md"
    paths["report.md"].write_text("\n".join(lines), encoding="utf-8")

    if chart:
        figures = {LABELS[m]: ours.get(m) for m in RETRIEVAL}
        if quotes:
            figures["first quote on evidence"] = quotes.get("first_quote_on_evidence")
        references = {
            system: {LABELS[m]: v for m, v in values.items() if m in LABELS and v is not None}
            for system, values in result.published.items()
        }
        paths["report.png"] = write_chart(
            out / "report.png",
            figures,
            result.latencies_s,
            title=f"{result.name} {result.split}",
            references=references,
            latency_label="retrieval latency per query",
        )
    return paths
