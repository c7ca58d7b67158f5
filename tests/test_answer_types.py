"""What kind of thing answers a question (``answer_checks.expected_type``), and whether a sentence gives it:
"how long will X take" a span of time, not a date, a frequency or a year; "how much" an amount of money, in
figures or in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from tests.conftest import ask_checked, index_of
from tests.test_sentence_in_context import DREDGING, ORCHARD


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("How long will the repairs take?", "The repairs will take three weeks.", True),
        ("How long will the repairs take?", "The repairs will start in the spring.", False),
        ("How long did the strike last?", "It lasted eighteen months.", True),
        ("How long did the strike last?", "The strike ended on 4 May.", False),
        ("For how long was the road closed?", "The road was closed until the inquiry ended.", True),
        ("How long has the ferry run?", "The ferry sails twice a day.", False),  # how often, not how long
        ("How long will the ward stay open?", "It treated 33,000 patients last year.", False),  # when
        (
            "How long may a job run?",
            "| `timeout` | 30 | Seconds a job may run. |",
            True,
        ),  # a row and its unit
        ("How long is the bridge?", "The bridge is 400 metres long.", True),  # a length: not a time question
    ],
)
def test_a_how_long_question_needs_a_span_of_time(question: str, sentence: str, fits: bool) -> None:
    assert answer_checks.fits_type(sentence, answer_checks.expected_type(question)) is fits


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("How much would the toll be?", "A daily toll of eight pounds would change that.", True),  # in words
        ("How much would the toll be?", "A daily toll would change that.", False),
        ("How much did the repairs cost?", "The repairs cost twenty-five thousand dollars.", True),
        # "prize money": money, so a count of something else does not answer
        ("How much prize money did the winner get?", "The winner beat three grandmasters.", False),
        ("How much prize money did the winner get?", "The winner took home 2,000 euros.", True),
        (
            "How much was the council's loan to the shop?",
            "She saved for six years.",
            False,
        ),  # a sum by its name
        ("How much was the council's loan to the shop?", "The loan was 20,000 pounds.", True),
    ],
)
def test_how_much_needs_an_amount_of_money(question: str, sentence: str, fits: bool) -> None:
    assert answer_checks.fits_type(sentence, answer_checks.expected_type(question)) is fits


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(tmp_path_factory, "durations", {"dredging.txt": DREDGING, "orchard.txt": ORCHARD})


def test_how_long_is_answered_by_the_sentence_that_gives_the_time(articles: Path) -> None:
    answer = ask_checked("How long will the dredging take?", articles)
    assert not answer.abstained and "two years" in answer.citations[0].quote, answer.text


def test_how_long_abstains_when_no_time_is_given(articles: Path) -> None:
    # The article says when planting happened, never how long it took.
    answer = ask_checked("How long did the volunteers spend planting the orchard?", articles)
    assert answer.abstained and not answer.citations, answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "fits"),
    [
        ("How long will the footbridge be?", "The council voted 31 to 17 to build it.", False),
        ("How long will the footbridge be?", "The bridge will be 140 metres long.", True),
        ("How long is the film?", "It runs for two hours.", True),  # a length of time answers too
        ("How tall is the tower?", "The tower was built in two years.", False),
        ("How tall is the tower?", "The tower is 120 m tall.", True),
        ("How tall is the tower?", "I am sure it is tall.", False),  # "am" is no unit
        ("How far is the station?", "The station is a ten-minute walk away.", True),
        ("What time does the bakery open?", "She opened her bakery on Mill Street.", False),
        ("What time does the bakery open?", "It opens at 7 a.m. on weekdays.", True),
        ("What time does the bakery open?", "The doors open at seven in the morning.", True),
        ("Where did she open the bakery?", "She opened her bakery on Mill Street.", True),
        ("Where did she open the bakery?", "She opened her bakery on Saturday.", False),
        # what happens every day is answered by a time of day or a season as well as a date
        (
            "When is the sun strongest?",
            "It is strongest between 11 in the morning and 3 in the afternoon.",
            True,
        ),
        ("When does the market open?", "The market opens on Saturdays.", True),
        ("When is the sun strongest?", "Drink water regularly.", False),
        ("When was the bridge built?", "It was built in the spring.", False),  # a past event needs its date
        # a digit inside a code counts nothing; "sell X for" asks for money
        ("How many models are recalled?", "The recall covers the KT-200 model.", False),
        ("How many models are recalled?", "Two models are recalled.", True),
        ("How much did the maker sell the KT-200 for?", "The recall covers the KT-200 model.", False),
        ("How much did the maker sell the KT-200 for?", "It sold the KT-200 for 39 pounds.", True),
        # a pay rise is said as a share as often as in money; "the third strike" says how many so far
        ("What pay rise did the operator offer?", "It offered a rise of 4 percent.", True),
        ("How many strikes have drivers held this year?", "It is the third strike this year.", True),
        # a speed and an age are their own kinds of number
        ("How fast does the drone fly?", "The drone can fly 40 kilometres on one charge.", False),
        ("How fast does the drone fly?", "It cruises at 80 km/h.", True),
        ("How old was the councillor?", "The councillor, Ron Baxter, died in August.", False),
        ("How old is the candidate?", "Ferreira, a 34-year-old teacher, won.", True),
        ("How old was she?", "She has died aged 94.", True),
        # a thing's age is told by when it was made
        ("How old is the icebreaker fleet?", "Three of its five icebreakers were built before 1990.", True),
        ("How old is the bridge?", "The bridge, dating from 1874, was closed in 2019.", True),
        ("How old is the icebreaker fleet?", "The fleet was last refitted in 2019.", False),
    ],
)
def test_a_size_a_time_of_day_and_a_street(question: str, sentence: str, fits: bool) -> None:
    assert answer_checks.fits_type(sentence, answer_checks.expected_type(question)) is fits


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Can soda bread be frozen?", "frozen"),  # the passive's verb must be stated
        ("Did Nordline deliver the ferries?", "deliver"),
        ("Can I get the report?", None),  # a request
    ],
)
def test_the_verb_a_yes_no_question_asks_about(question: str, verb: str | None) -> None:
    assert answer_checks.yes_no_verb(question) == verb


@pytest.mark.parametrize(
    ("span", "thing", "counted"),
    [
        ("A drone built to carry parcels of up to 2.5 kilograms.", "drones", False),  # a measure
        ("The company has sold 300 drones.", "drones", True),
        ("The strike lasted 12 days.", "days", True),  # the unit is what is counted
        # people counted by what they are ("40 workers"), not by a word those words begin ("working aircraft")
        ("The colonel had only five working aircraft to send.", "people", False),
        ("The mill employs 40 workers.", "people", True),
    ],
)
def test_a_measure_counts_no_things(span: str, thing: str, counted: bool) -> None:
    assert answer_checks.counts(span, thing) is counted


@pytest.mark.parametrize(
    ("question", "sentence", "line"),
    [
        # a name of several words may open the sentence; a day is no one
        ("Who won the by-election?", "The Green Party won the by-election on Thursday.", "Green Party"),
        ("Who won the open?", "Sixteen-year-old Mira Cole won the open on Sunday.", "Mira Cole"),
        ("Who led the study?", "Songbirds arrive earlier, a study published on Tuesday found.", None),
        # nor a place
        (
            "Who taught her to bake?",
            "She learned from her mother, who sold bread at a market in Durban.",
            None,
        ),
        (
            "Who scored the winner?",
            "Rovers won 3-2 at Fernside Park, with Tomi Okafor heading the winner.",
            "Tomi Okafor",
        ),
    ],
)
def test_who_is_answered_by_a_name_not_a_day(question: str, sentence: str, line: str | None) -> None:
    from rag.answer.direct_answers import answer_line

    assert answer_line(question, sentence) == line


@pytest.mark.parametrize(
    ("question", "sentence", "line"),
    [
        # the number that counts what is asked, not the first number of the sentence
        (
            "How many boats were out on the banks?",
            "When the Aster-4 rocket fell, the crews of the 41 boats on the banks saw it.",
            "41",
        ),
        (
            "How many megawatts can the dam generate?",
            "The 145-metre dam can generate 4,200 megawatts of electricity.",
            "4,200",
        ),
        (
            "How many dams does it oversee?",
            "It employs four engineers to oversee 212 tailings and water dams.",
            "212",
        ),
        ("How many engineers does it employ?", "It employs four engineers to oversee 212 dams.", "four"),
        # none said to count it: the first
        ("How many engineers does it employ?", "Its staff of four oversee 212 dams.", "four"),
    ],
)
def test_a_number_is_the_one_that_counts_the_thing_asked(question: str, sentence: str, line: str) -> None:
    from rag.answer.direct_answers import answer_line

    assert answer_line(question, sentence) == line


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("If you lose power, report it by calling 105.", True),
        ("Text POLLEN to 60711 to sign up.", True),
        ("Call our support line on 0800 555 0192.", True),
        ("The bistro is at 2 Slipway Row and opened in 2025.", False),  # a house number, a year
        ("A table for two costs £34.99.", False),
    ],
)
def test_a_number_to_call_is_written_in_digits(sentence: str, fits: bool) -> None:
    asked = answer_checks.expected_type("What number should I ring if the power goes off?")
    assert asked == "phone" and answer_checks.fits_type(sentence, asked) is fits


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("Alan Lowe, 67, of Bradford, photographed a smudge near the constellation Lynx.", True),
        ("He photographed a faint smudge near the constellation Lynx on 24 January.", False),
        ("Russia and other members of the P5+1 signed an interim agreement.", False),
    ],
)
def test_which_town_is_answered_by_a_place(sentence: str, fits: bool) -> None:
    asked = answer_checks.expected_type("Which town does Alan Lowe live in?")
    assert answer_checks.fits_type(sentence, asked) is fits


@pytest.mark.parametrize(
    ("sentence", "fits"),
    [
        ("Cover costs £24 a month for a dog.", True),
        ("Monthly premiums start at £18.", True),
        ("You pay the first £99 of each claim.", False),  # a rate, for another thing
        ("It costs £280 a year.", False),  # for another period
    ],
)
def test_a_rate_asked_for_a_period_is_a_rate_for_that_period(sentence: str, fits: bool) -> None:
    assert answer_checks.gives_rate(sentence, "How much does the policy cost per month?") is fits


def test_every_answer_type_is_named_when_an_abstention_says_what_is_missing() -> None:
    from rag.answer.generators import extractive_kinds

    types = answer_checks.ANSWER_TYPES
    assert set(answer_checks._UNIT_FITS) - types == set()
    assert types - set(extractive_kinds._WANTED) == set()
