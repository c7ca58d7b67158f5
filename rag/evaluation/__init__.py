"""Offline evaluation: how good the answers are, and whether a change made them better or worse.

``rag eval QUESTIONS.jsonl`` runs ``ask()`` over a question set (``questions``: the file format; ``runner``:
asking and summarising; ``scoring``: one answer's figures; ``answer_metrics`` and ``metrics``: the formulas;
``report`` and ``chart``: the report files; ``floors``: the regression gate). ``rag eval --beir DIR`` ranks a
BEIR corpus and scores it against the published numbers (``beir``: the files; ``benchmark``: the run;
``beir_report``: its report and TREC run file).
"""
