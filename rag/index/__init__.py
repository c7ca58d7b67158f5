"""Stage 2, indexing: Documents in, a stored index out.

Sentences and token-aware chunks, their vectors (torch or the ONNX int8 export), and the FAISS + BM25 folder.
"""
