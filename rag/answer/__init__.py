"""Stage 4, answering: Passages in, an Answer with verified, cited quotes out.

The loaded index with its generators (pipeline), the generators themselves, and the quote check.
"""
