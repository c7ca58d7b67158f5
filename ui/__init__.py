"""The chat in the browser: a Gradio app over the ``rag`` API (``rag serve`` or ``python -m ui``).

The package holds no retrieval or answering logic; it renders what ``rag`` returns, escaped, as HTML.
Gradio is imported only by ``ui.app``, so ``ui.render`` and friends work without it.
"""

import os

# Before gradio or the model libraries are imported: a local app makes no calls home and never reaches for
# the model hub unless the user opted in.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

__all__ = ["app", "chat", "documents", "render", "sources"]
