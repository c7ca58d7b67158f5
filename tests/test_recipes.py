"""A how-to document's lists: a list's line is a quote of its own, and "How do I make X?" of a document about
X is answered with the section its heading calls the steps (real embedder, real index)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ask_checked, index_of

RECIPE = """# How to make oat flapjacks

*By Rosa Lind · 2 March 2025*

Flapjacks keep for a week in a tin and need only four ingredients.

## Ingredients

- 250 g rolled oats
- 125 g butter
- 125 g light brown sugar
- 3 tablespoons golden syrup

## Method

1. Heat the oven to 180 °C and line a square tin with baking paper.
2. Melt the butter, sugar and syrup together in a pan over a low heat.
3. Stir in the oats until every flake is coated.
4. Press the mixture into the tin and bake for 25 minutes, until golden at the edges.
"""


@pytest.fixture(scope="module")
def recipe(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "recipe", {"flapjacks.md": RECIPE})


def test_a_line_of_a_list_answers(recipe: Path) -> None:
    answer = ask_checked("How much butter do I need for the flapjacks?", recipe)
    assert not answer.abstained and answer.citations[0].quote == "125 g butter", answer.text


def test_how_to_make_the_documents_subject_gives_its_method(recipe: Path) -> None:
    # every word asked is the title's: the section called "Method" holds the steps
    answer = ask_checked("How do I make oat flapjacks?", recipe)
    assert answer.text.startswith("Under *Method*:"), answer.text
    assert "Heat the oven to 180 °C" in answer.text and "bake for 25 minutes" in answer.text
