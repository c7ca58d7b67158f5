"""A how-to whose words a section's heading holds is answered with that section's steps, in order.

Two documents: a tool's README whose *Installation* section is a code block, and another tool's HTML manual
whose *Installing Quillbox* section is a numbered list. "How do I install Quillbox?" shares "install" with
both headings; only the manual's holds every word asked, and its steps (no code) are the answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_of

from rag import ask

README = """# Ferrule

Ferrule converts spreadsheets to charts.

## Installation

```bash
pip install ferrule
ferrule init
```

## Usage

Run ferrule with a spreadsheet to get its charts in a folder next to it.
"""

MANUAL = """<html><head><title>Quillbox manual</title></head><body><h1>Quillbox manual</h1>
<p>Quillbox keeps a diary of the plants in a garden and reminds its owner to water them.</p>
<h2>Installing Quillbox</h2>
<ol>
<li>Download the package for your phone from the project page.</li>
<li>Open the package and allow it to send reminders.</li>
<li>Add the first plant with the plus button on the main screen.</li>
</ol>
<h2>Watering reminders</h2>
<p>Each plant gets a reminder on the days its watering schedule names.</p>
</body></html>
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "steps", {"ferrule.md": README, "quillbox.html": MANUAL})


def test_a_how_to_is_answered_with_the_steps_of_the_section_its_words_name(index: Path) -> None:
    answer = ask("How do I install Quillbox?", index_dir=index)
    assert not answer.abstained
    assert "Under *Installing Quillbox*:" in answer.text
    assert [c.quote for c in answer.citations] == [
        "Download the package for your phone from the project page.",
        "Open the package and allow it to send reminders.",
        "Add the first plant with the plus button on the main screen.",
    ]
    assert all(c.verified and c.doc_id == "quillbox" for c in answer.citations)


def test_a_how_to_whose_section_has_a_code_block_still_gets_the_block(index: Path) -> None:
    answer = ask("How do I install Ferrule?", index_dir=index)
    assert answer.citations and answer.citations[0].quote.startswith("```bash")
    assert "pip install ferrule" in answer.citations[0].quote
