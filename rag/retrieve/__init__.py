"""Stage 3, retrieval: a question (and the conversation so far) in, ranked Passages out.

Dense and BM25 candidates from the stored index, fused into one ranking.
"""
