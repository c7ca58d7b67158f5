"""How the onnx-int8 embedder cuts a batch of texts into onnxruntime calls that the cores share evenly.

A call is padded to its longest text, so texts of similar length go together (the rows come sorted, longest
first, and each call is a contiguous run of them). A call stays under a token budget: past it, activations no
longer fit the core's cache and batching gets slower than one text per call. Within those rules the calls
are as even as the lengths allow, in a number the workers share: a question's dozen sentences (~400 tokens
on 2 cores) used to become two full calls and a third that ran alone while the other core waited (1.47x the
even split's time, measured on 100 SciFact questions); cut evenly they are two calls of ~200 tokens.
"""

from __future__ import annotations

from collections.abc import Sequence


def split(lengths: Sequence[int], budget: int, workers: int) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of ``lengths`` (token counts, longest first), one per onnxruntime call.

    Args:
        lengths: each text's token count, in non-increasing order.
        budget: padded tokens (texts x the longest one) a call should not exceed; 0 or less: one text a call.
        workers: calls that run at once; the number of calls is a multiple of it when the texts allow.

    Returns:
        Contiguous ranges covering every text once, in order. A text longer than ``budget`` is a call alone.
    """
    n = len(lengths)
    if n == 0:
        return []
    if budget <= 0:
        return [(i, i + 1) for i in range(n)]
    workers = max(1, workers)
    calls = -(-sum(lengths) // budget)  # the fewest calls the budget allows, padding aside
    calls = min(n, -(-calls // workers) * workers)
    while True:
        cap = _smallest_cap(lengths, calls)
        if cap <= budget or calls >= n:
            break
        calls = min(n, calls + workers)  # padding made the calls too big: a round more for every worker
    # cap > budget only when a text alone exceeds it: that one is a call alone, the others stay in budget
    return _greedy(lengths, min(cap, budget))


def _greedy(lengths: Sequence[int], cap: int) -> list[tuple[int, int]]:
    """The fewest contiguous calls of at most ``cap`` padded tokens each (a longer text is a call alone).

    Taking as many texts as fit is optimal here: the rows are sorted longest first, so a call that starts
    later costs no more for the same end.
    """
    ranges = []
    at = 0
    while at < len(lengths):
        end = at + 1
        while end < len(lengths) and (end - at + 1) * lengths[at] <= cap:
            end += 1
        ranges.append((at, end))
        at = end
    return ranges


def _smallest_cap(lengths: Sequence[int], calls: int) -> int:
    """The least padded tokens per call with which ``lengths`` fit in ``calls`` contiguous calls."""
    low, high = max(lengths), len(lengths) * lengths[0]
    while low < high:
        middle = (low + high) // 2
        if len(_greedy(lengths, middle)) <= calls:
            high = middle
        else:
            low = middle + 1
    return low
