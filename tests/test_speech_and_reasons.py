"""Questions that come close to what a document says without it answering them, and requests for someone's
words: who speaks in a quotation of several sentences, what a "why" asks the reason of, an amount of money
against a count, a speaker named by a role. Rules are checked on tables; answers on a small article written
here, indexed with the real embedder, every quote checked verbatim at its span."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_verbatim, index_of

from rag import ask
from rag.settings import Settings

HARBOUR = """# Harbour Dredging Delayed Again

By Tom Reyes

May 2, 2025

The port of Welby will not finish dredging its main channel before winter, the harbour board said on Friday.
The work has stopped for three months because the dredging company hired for the job went bankrupt in February.

The board's chair, Ilse Moran, defended the delay at a meeting with the visiting Danish minister on Thursday.
"We will not rush a contract of this size," she said. "Ships can still reach the inner quay at high tide."
Moran blamed the late start on "a winter nobody could dredge in".

Piet Vos, who runs a fishing cooperative of twelve boats, criticised the board. "Every month of waiting costs
us catches," he said. "If the channel silts up, our boats stay in port and the fish market closes."

The old pilot boats are being retired. They are too slow to guide the new container ships safely.

The board has bought four new pilot boats for the harbour, which will guide larger ships through the channel.

After the Welby council's budget vote, the mayor warned the board that the town could not pay for another year of
delays. Roughly a third of the port's income comes from the fish market, the board said. The board spent
1.2 million euros on the four pilot boats.

The delay was never the fault of the fishing cooperative, and the silt in the channel should not be blamed on
its boats. The harbour board and the town council should sign a new dredging contract before the autumn storms.
"""


@pytest.fixture(scope="module")
def harbour_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "harbour-speech", {"harbour.md": HARBOUR})


def _ask(question: str, index: Path):
    return ask(question, index_dir=index, settings=Settings())


_verbatim = assert_verbatim


@pytest.mark.parametrize(
    ("span", "question", "reason"),
    [
        # the thing asked about is itself the cause of something else
        (
            "The road stayed shut for a month because the builder hired to mend it went bankrupt.",
            "Why did the builder go bankrupt?",
            False,
        ),
        (
            "The road stayed shut for a month because the builder hired to mend it went bankrupt.",
            "Why did the road stay shut?",
            True,
        ),
        ("Because the builder went bankrupt, the road stayed shut.", "Why did the road stay shut?", True),
        (
            "Because the builder went bankrupt, the road stayed shut.",
            "Why did the builder go bankrupt?",
            False,
        ),
        # a temporal "since" clause holds the event asked about, not its reason
        (
            "Complaints have risen since the plant doubled its output.",
            "Why did the plant double its output?",
            False,
        ),
        # of two causes, the second says why the thing asked about happened
        (
            "Profit fell due to the closure of the mill, which shut because its machines were old.",
            "Why did the mill shut?",
            True,
        ),
        # "after" / "following" a meeting: the meeting asked about is when, not why
        (
            "He spoke to reporters following a meeting with the Dutch minister in Ghent.",
            "Why did he meet the Dutch minister in Ghent?",
            False,
        ),
        ("The vote came after the board met the mayor.", "Why did the board meet the mayor?", False),
        # what someone fears is why they worry
        (
            "Some workers fear the ruling could cost jobs.",
            "Why are some workers worried about the ruling?",
            True,
        ),
        # a connective before a sentence-initial cause ("Second, because ...")
        (
            "Second, because the town has little to gain, it can afford to wait.",
            "Why can the town wait?",
            True,
        ),
        # a purpose said as an infinitive after what was done is why; after a word of intending it is what
        (
            "Fees will rise from 180 to 195 pounds in April to cover the rising cost of insurance.",
            "Why are fees rising?",
            True,
        ),
        ("The firm plans to cut 200 jobs at the plant.", "Why is the firm cutting jobs?", False),
        # the cause asked in other words
        ("The steamer sank after its boiler exploded.", "What caused the steamer to sink?", True),
        ("The steamer was lost in October 1929.", "What caused the steamer to sink?", False),
        # "as" giving a cause, not "as he said"
        ("Never wash the burrs with water, as they will rust.", "Why mustn't I wash the burrs?", True),
        ("The burrs were washed, as he said on Monday.", "Why were the burrs washed?", False),
        # what a closure is for is why; how long it lasts is not
        (
            "The school will close early on Friday for staff training.",
            "Why is the school closing early?",
            True,
        ),
        ("The school closed for two days in March.", "Why did the school close?", False),
        # a decision given with its reason in the decider's words
        (
            "The committee refused a request for a fifth storey, saying it would overshadow homes.",
            "Why did the committee refuse the fifth storey?",
            True,
        ),
    ],
)
def test_a_why_question_is_not_answered_by_its_event_given_as_a_cause(
    span: str, question: str, reason: bool
) -> None:
    from rag.answer.generators.answer_checks import gives_reason

    assert gives_reason(span, question) is reason


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much is the city paying for the new trams?", "money"),
        ("How much did the club spend on players?", "money"),
        ("How much did the farm cut its water use?", "quantity"),  # an amount, not of money
        ("How many trams did the city buy?", "quantity"),
    ],
)
def test_how_much_with_a_verb_of_paying_asks_for_money(question: str, expected: str) -> None:
    from rag.answer.generators.answer_checks import expected_type

    assert expected_type(question) == expected


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did the Danish minister say about the delay?", "Danish minister"),
        ("What did the French prime minister say at the summit?", "French prime minister"),
        ("What did Ilse Moran say?", "Moran"),
        ("What did the board decide?", None),  # no verb of speech
        ("What did the University of Leeds say about it?", "Leeds"),  # a name joined by "of"
        # a body named in common words speaks too; the document, its writer or "the analyst" (one: its
        # author) do not
        ("What did the hotel association say about the cut?", "hotel association"),
        ("What did the supermarkets say about the recall?", "supermarkets"),
        ("What did the article say about the recall?", None),
        ("What did the reviewer say about the keyboard?", None),
        ("What does the analyst claim about the talks?", None),
    ],
)
def test_a_speaker_may_be_named_by_a_role(question: str, who: str | None) -> None:
    from rag.answer.generators.answer_checks import speaker

    assert speaker(question) == who


@pytest.mark.parametrize(
    ("question", "kind", "about"),
    [
        (
            "Give me the sentence where the mayor defends the budget.",
            "quote",
            "the mayor defends the budget",
        ),
        ("Show me the line in which the report mentions tolls.", "quote", "the report mentions tolls"),
        ("Give me a summary of the report.", "summary", None),
    ],
)
def test_a_request_for_the_sentence_where_something_is_said_is_a_quote_request(
    question: str, kind: str, about: str | None
) -> None:
    from rag.answer.question_kinds import classify, quoted_topic

    assert classify(question).kind == kind
    if about is not None:
        assert quoted_topic(question) == about


def test_a_quotation_of_several_sentences_is_its_speakers_words(harbour_index: Path) -> None:
    # "If the channel silts up ..." names nobody: it goes on the quotation that "he said" attributes to the
    # one named the sentence before
    answer = _ask("What did Piet Vos say about the fish market?", harbour_index)
    assert not answer.abstained
    assert "fish market closes" in " ".join(c.quote for c in answer.citations)
    _verbatim(answer, harbour_index)


def test_the_sentence_where_someone_defends_a_decision_comes_with_their_words(harbour_index: Path) -> None:
    answer = _ask("Give me the sentence where Ilse Moran defends the delay.", harbour_index)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "defended the delay" in quoted and "rush a contract" in quoted
    _verbatim(answer, harbour_index)


def test_why_abstains_when_the_document_gives_the_event_only_as_a_cause(harbour_index: Path) -> None:
    # the document says the bankruptcy stopped the work, not why the company went bankrupt
    assert _ask("Why did the dredging company hired for the job go bankrupt?", harbour_index).abstained
    answer = _ask("Why has the dredging work stopped?", harbour_index)
    assert "went bankrupt" in " ".join(c.quote for c in answer.citations)


def test_a_role_only_met_is_not_a_speaker(harbour_index: Path) -> None:
    answer = _ask("What did the Danish minister say at the meeting?", harbour_index)
    assert answer.abstained
    assert "Danish minister's own words" in answer.text


@pytest.mark.parametrize(
    ("sentence", "who", "tells"),
    [
        ("The council and its partners should sign the contract.", "council", True),
        ("The council must act now.", "council", True),
        (
            "The plan was never a favour to the council, and the delay should not be blamed on it.",
            "council",
            False,
        ),
        ("Residents say the council is slow. The mayor should resign.", "council", False),
        ("In theory, the council could show goodwill by cutting fees.", "council", True),  # "could do"
    ],
)
def test_advice_is_for_the_one_who_should_act(sentence: str, who: str, tells: bool) -> None:
    from rag.answer.summaries import advised, advises

    assert advised(f"What should the {who} do?") == who
    assert advised(f"What does the author suggest the {who} could do?") == who
    assert advises(sentence, who) is tells


def test_what_should_x_do_quotes_the_advice_given_to_x(harbour_index: Path) -> None:
    # "... the fault of the fishing cooperative, and ... should not be blamed ..." names the cooperative
    # but advises nobody; the board is told what to do in the next sentence
    answer = _ask("What should the harbour board do about the dredging?", harbour_index)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "sign a new dredging contract" in quoted
    _verbatim(answer, harbour_index)


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        (
            "What share of the port's income comes from fishing?",
            "A third of the income comes from fishing.",
            True,
        ),
        (
            "What share of the port's income comes from fishing?",
            "One reason is that 12 boats fish here.",
            False,
        ),
        ("What percentage of nurses left?", "19 percent of nurses left in the year.", True),
        ("What proportion of the budget is spent on roads?", "Most of the budget goes to roads.", False),
    ],
)
def test_a_share_is_answered_by_a_part_of_a_whole(question: str, sentence: str, fits: bool) -> None:
    from rag.answer.generators.answer_checks import expected_type, fits_type

    assert fits_type(sentence, expected_type(question)) is fits


@pytest.mark.parametrize(
    ("span", "name", "speaks"),
    [
        # "he" is the one named as a person, not a name that qualifies a noun before it
        ("After the Moran government fell, the mayor spoke. He warned the board.", "Moran", False),
        ("Moran's aide met the board. He said the plan would wait.", "Moran", False),
        ("Moran met the board. She said the plan would wait.", "Moran", True),
    ],
)
def test_a_pronoun_speaks_for_a_person_not_for_a_name_that_qualifies(
    span: str, name: str, speaks: bool
) -> None:
    from rag.answer.generators.answer_checks import quotes_speaker

    assert quotes_speaker(span, name, f"What did {name} say?") is speaks


def test_a_reply_of_someone_only_warned_is_not_in_the_document(harbour_index: Path) -> None:
    # the mayor warned the board; what the board replied is never said
    assert (
        speaker_of("What did the Welby board reply to the mayor?") is None
    )  # a board is no role of a person
    assert _ask("What did Moran reply to the mayor's warning?", harbour_index).abstained


def speaker_of(question: str) -> str | None:
    from rag.answer.generators.answer_checks import speaker

    return speaker(question)


def test_a_speakers_words_on_the_asked_topic_answer_though_they_share_few_words(harbour_index: Path) -> None:
    # the question's framing and the speaker's name are not in the quotation; its topic ("catches") is
    answer = _ask("What exactly did Piet Vos say about catches?", harbour_index)
    assert not answer.abstained
    assert "costs us catches" in " ".join(c.quote for c in answer.citations).replace("\n", " ")
    _verbatim(answer, harbour_index)


def test_a_share_the_document_does_not_give_abstains(harbour_index: Path) -> None:
    # "four new pilot boats" is a count, not a part of a whole
    assert _ask("What share of the pilot boats will guide larger ships?", harbour_index).abstained


@pytest.mark.parametrize(
    ("span", "question", "fits"),
    [
        (
            "The board spent 1.2 million euros on the boats.",
            "How much did the board pay for each boat?",
            False,
        ),
        ("Each boat cost 300,000 euros.", "How much did the board pay for each boat?", True),
        ("Pilots earn 40 euros an hour.", "How much is each pilot paid?", True),
        (
            "The board spent 1.2 million euros on the boats.",
            "How much did the board spend on the boats?",
            True,
        ),
    ],
)
def test_an_amount_for_each_one_is_not_a_total(span: str, question: str, fits: bool) -> None:
    from rag.answer.generators.answer_checks import gives_rate

    assert gives_rate(span, question) is fits


def test_a_total_does_not_answer_how_much_each_cost(harbour_index: Path) -> None:
    assert _ask("How much did the board pay for each pilot boat?", harbour_index).abstained
    answer = _ask("How much did the board spend on the pilot boats?", harbour_index)
    assert answer.text.startswith("**1.2 million euros**")  # the answer line names the currency word
    _verbatim(answer, harbour_index)


def test_a_claim_is_quoted_with_the_next_sentence_that_explains_it(harbour_index: Path) -> None:
    # "The old pilot boats are being retired." says what is asked, the next sentence why ("too slow to")
    answer = _ask("Why are the old pilot boats being retired?", harbour_index)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "being retired. They are too slow" in quoted
    _verbatim(answer, harbour_index)


@pytest.mark.parametrize(
    ("sentence", "explains"),
    [
        ("They are too slow to guide the ships.", True),
        ("The cut would free money for a new line.", True),
        ("It shut because its machines were old.", True),
        (
            "A survey found that a third of riders travel for work.",
            False,
        ),  # "that ... travel" tells no reason
        ("In June, the court ruled under pressure from residents.", False),
    ],
)
def test_a_sentence_after_a_claim_explains_it_only_with_a_reason_said_outright(
    sentence: str, explains: bool
) -> None:
    from rag.answer.generators.answer_checks import explains as gives

    assert gives(sentence) is explains


def test_a_speakers_words_are_found_by_their_topic(harbour_index: Path) -> None:
    # the third sentence of her quotation: neither her name nor the request's words are in it
    answer = _ask("What did Ilse Moran say about the inner quay?", harbour_index)
    assert not answer.abstained
    assert "reach the inner quay" in " ".join(c.quote for c in answer.citations)
    _verbatim(answer, harbour_index)


def test_the_topic_of_a_request_for_words_is_scored_alone_and_with_the_speaker() -> None:
    from rag.answer.generators.answer_checks import speech_topics

    assert speech_topics("What did Ilse Moran say about the inner quay?") == [
        "the inner quay",
        "Moran: the inner quay",
    ]
    assert speech_topics("What did Ilse Moran say?") == []
    assert speech_topics("What do the articles say about the quay?") == []  # no speaker


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What exactly did Acme's chief executive say about the strike?", "chief executive"),
        ("What did the union's branch secretary say?", "branch secretary"),
        ("Quote Ana Lutz's words about the quay.", "Lutz"),
        ("What was Ana Lutz's exact phrase for the delay?", "Lutz"),
        (
            "How many messages did the analysis find in Lutz's remarks?",
            None,
        ),  # remarks asked about, not words
    ],
)
def test_whose_words_are_asked_for(question: str, who: str | None) -> None:
    from rag.answer.generators.answer_checks import speaker

    assert speaker(question) == who


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What was the price of the new boats?", "money"),
        ("What did the company say about the price war?", None),  # a price war is no amount
    ],
)
def test_a_price_war_asks_for_no_amount(question: str, expected: str | None) -> None:
    from rag.answer.generators.answer_checks import expected_type

    assert expected_type(question) == expected


def test_a_quote_request_goes_on_into_the_next_quotation_of_the_same_speaker(harbour_index: Path) -> None:
    # "X criticised the board." reports his words; two quotations follow, the second after "he said"
    answer = _ask("Quote what Piet Vos said when he criticised the board.", harbour_index)
    quoted = " ".join(c.quote for c in answer.citations)
    assert "criticised the board" in quoted and "fish market closes" in quoted
    _verbatim(answer, harbour_index)


def test_the_exact_phrase_someone_blamed_a_delay_on(harbour_index: Path) -> None:
    answer = _ask("What was Ilse Moran's exact phrase for the cause of the late start?", harbour_index)
    assert "a winter nobody could dredge in" in " ".join(c.quote for c in answer.citations)
    _verbatim(answer, harbour_index)


def test_a_speaker_named_after_the_verb_and_a_role() -> None:
    from rag.answer.generators.answer_checks import _speaks

    said = "\u201cWe never stopped,\u201d said the club\u2019s assistant manager, Jo Whitfield."
    assert _speaks(said, said.index("Whitfield"), "Whitfield")
    met = "The club\u2019s assistant manager met the mayor, Jo Whitfield."
    assert not _speaks(met, met.index("Whitfield"), "Whitfield")
