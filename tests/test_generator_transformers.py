"""The ``transformers`` generator with a tiny randomly initialised Llama that the tests build and save.

Nothing is downloaded: the tokenizer is a word-level ``tokenizers`` model wrapped in
``PreTrainedTokenizerFast``, with a chat template; the model has two layers of width 32. Its output layer is
zeroed except for a handful of "quote" tokens, so whatever it writes is made of nonsense quotations with
passage numbers, which verification must refuse to present as quotes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rag import Answer, GeneratorError, ModelUnavailableError, Settings, ask, ask_stream
from rag.answer.generators import create
from rag.answer.generators.extractive import ABSTENTION
from rag.answer.generators.hf_local import _MODELS, load_local_model, render

QUESTION = "Who built the Bushehr nuclear power plant?"
SPECIAL = ["<unk>", "<s>", "</s>", "<|system|>", "<|user|>", "<|assistant|>", "<|end|>"]
WORDS = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "was",
    "by",
    "plant",
    "built",
    "russia",
    "iran",
    "nuclear",
    "power",
    "bushehr",
    "question",
    "passages",
]
NONSENSE = [  # everything the model can write: quotations the documents never contain, with markers
    "“The reactor was assembled by penguins” [1]",
    "“Moscow sold the moon to Tehran in 1850” [2]",
    "“Atomstroyexport built the plant on Mars” [1]",
    "“Nobody has ever heard of Iran” [9]",
]
TEMPLATE = (
    "{% for m in messages %}<|{{ m.role }}|> {{ m.content }} <|end|> {% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)
CONTEXT = 1024


def build_tiny_model(folder: Path, *, chat_template: str | None = TEMPLATE) -> Path:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(SPECIAL + WORDS)}
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    backend.decoder = decoders.WordPiece(prefix="##")  # joins words with spaces
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        unk_token="<unk>",
        bos_token="<s>",
        eos_token="</s>",
        additional_special_tokens=SPECIAL[3:],
    )
    tokenizer.add_tokens(NONSENSE)
    tokenizer.chat_template = chat_template
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=CONTEXT,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.eos_token_id,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    with torch.no_grad():  # only the nonsense quotations can win the argmax
        silent = torch.ones(len(tokenizer), dtype=torch.bool)
        silent[tokenizer.convert_tokens_to_ids(NONSENSE)] = False
        model.lm_head.weight[silent] = 0.0
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"))


def _settings(model: Path, **overrides) -> Settings:
    base = Settings(
        generator="transformers",
        llm_model=str(model),
        max_answer_tokens=24,
        llm_context_tokens=600,
        fallback_generator="none",
        device="cpu",
    )
    return base.with_overrides(**overrides)


def test_model_loads_from_its_folder_on_first_use_only(tiny_model: Path, tmp_path: Path):
    folder = shutil.copytree(tiny_model, tmp_path / "copy")
    generator = create("transformers", settings=_settings(folder))
    assert (str(folder), "cpu") not in _MODELS, "creating the generator does not load the model"
    loaded = generator.load()
    assert (str(folder), "cpu") in _MODELS and loaded is load_local_model(str(folder), "cpu")
    assert loaded.context_tokens == CONTEXT and loaded.model.config.num_hidden_layers == 2
    assert next(loaded.model.parameters()).device.type == "cpu"


def test_prompt_goes_through_the_chat_template(tiny_model: Path, seeds_index: Path):
    generator = create("transformers", settings=_settings(tiny_model))
    passages = ask(QUESTION, index_dir=seeds_index).passages
    prompt = generator.prompt(
        QUESTION,
        passages,
        [{"role": "user", "content": "Who runs Bushehr?"}, {"role": "assistant", "content": "Iran does."}],
    )
    text = render(generator.load(), prompt.messages)
    assert text.startswith("<|system|> You answer questions")
    assert "<|user|> Who runs Bushehr? <|end|> <|assistant|> Iran does. <|end|> <|user|> <passages>" in text
    assert text.endswith("<|assistant|>"), "the template's generation prompt"


def test_passages_are_fitted_to_the_context_window_with_the_models_tokenizer(
    tiny_model: Path, seeds_index: Path
):
    generator = create("transformers", settings=_settings(tiny_model))
    passages = ask(QUESTION, index_dir=seeds_index).passages
    prompt = generator.prompt(QUESTION, passages)
    loaded = generator.load()
    real = len(loaded.tokenizer(render(loaded, prompt.messages), add_special_tokens=False)["input_ids"])
    assert prompt.tokens == real <= 600 - 24
    assert prompt.shown and prompt.left_out, "some passages fit, some did not"
    assert sorted(prompt.shown + prompt.left_out) == [p.n for p in passages]
    assert "did not fit in the model's context window (600 tokens, 24 kept for the answer)" in prompt.notes[0]
    # Without a configured limit, the model's own window (max_position_embeddings) is the budget.
    roomy = create("transformers", settings=_settings(tiny_model, llm_context_tokens=0)).prompt(
        QUESTION, passages
    )
    assert roomy.context_tokens == CONTEXT and len(roomy.shown) > len(prompt.shown)


def test_streams_and_verification_refuses_its_nonsense_quotes(tiny_model: Path, seeds_index: Path):
    settings = _settings(tiny_model)
    items = list(ask_stream(QUESTION, index_dir=seeds_index, settings=settings))
    pieces, answer = items[:-1], items[-1]
    assert isinstance(answer, Answer) and answer.generator == "transformers"
    assert len(pieces) > 1, "the text arrives in pieces while the model writes"
    raw = "".join(pieces)
    generator = create("transformers", settings=settings)
    assert raw == generator.generate(QUESTION, answer.passages), "greedy decoding: the same text either way"
    assert re.search(r"“[^”]+” \[\d\]", raw), "the model wrote quotations with passage numbers"

    assert answer.abstained and not any(c.verified for c in answer.citations)
    assert all(c.status == "unverified" for c in answer.citations) and answer.citations
    # Nothing supported: the answer is the abstention message; the model's text is kept apart, checked.
    assert answer.text == ABSTENTION and answer.model_text is not None
    assert "“" not in answer.model_text, "no nonsense is shown as a quotation"
    assert re.findall(r"\[(\d+)\]", answer.model_text) == [str(c.n) for c in answer.citations]
    assert answer.model_text.count("*(unverified") == len(answer.citations)
    assert any("did not fit" in n for n in answer.notes) and any(
        "cut off at 24 tokens" in n for n in answer.notes
    )


def test_missing_model_is_a_clear_error_or_falls_back(tmp_path: Path, seeds_index: Path):
    settings = _settings(tmp_path / "no-such-model")
    with pytest.raises(ModelUnavailableError, match="RAG_LLM_MODEL"):
        ask(QUESTION, index_dir=seeds_index, settings=settings)
    answer = ask(
        QUESTION, index_dir=seeds_index, settings=settings.with_overrides(fallback_generator="extractive")
    )
    assert answer.generator == "extractive" and answer.citations[0].verified
    assert any("transformers generator failed" in n for n in answer.notes)


def test_model_without_a_chat_template_is_refused(tmp_path: Path):
    folder = build_tiny_model(tmp_path / "base", chat_template=None)
    with pytest.raises(ModelUnavailableError, match="no chat template"):
        create("transformers", settings=_settings(folder)).load()


def test_a_context_window_too_small_for_the_question_says_what_to_change(tiny_model: Path):
    generator = create("transformers", settings=_settings(tiny_model, llm_context_tokens=100))
    with pytest.raises(GeneratorError, match="RAG_LLM_CONTEXT_TOKENS"):
        generator.generate(QUESTION, [])
