"""Questions that come close to what a page says and ask something it does not: the answerer abstains rather
than quote a sentence on the same subject (real embedder, real index of pages written here; the checks' tables
beside)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import answer_checks
from rag.answer.question_kinds import classify
from tests.conftest import ask_checked, index_of

NOTICE = """NOTICE OF PAVING WORKS - QUARRY HILL, EASTON MILL
Issued by Dunholm District Council Highways, 14 May 2026. Contact officer: Petra Vance.

Dunholm District Council will repave Quarry Hill between the junction with Kiln Street and the entrance to the
recreation ground. Work will start on Monday 8 June 2026 and is expected to take six working days.

Councillor Anwen Price said: "A new surface will last far longer than another round of patching."

Bus route 22 will not serve the Quarry Hill stops while the road is closed; temporary stops will be placed on
Mill Lane.
"""

HALL = """Hiring Elm Road Scout Hall

The hall is available to hire for parties, classes and meetings.

RATES
Main hall: £19 per hour (weekdays), £24 per hour (weekends)
Side room: £9 per hour
Kitchen use: £12 per booking
"""

CLINIC = """Ferndale Pet Clinic - Spring Newsletter

By Dr Tomas Ekberg, Practice Principal

Wellness Plan: For £12.50 a month, plan members get yearly boosters and 10% off other treatment.

Volunteers: We are looking for volunteer dog walkers with a clean driving licence.

Customers on our Priority Callback list, such as owners of diabetic cats, receive a call within an hour.

To join the Priority Callback list, ring reception on 01632 960123.
"""


GROW_DAY = """Seed Swap Day at Alder Bank Nursery

At 2pm, head gardener Imke Rowe will give a talk on growing beans in pots. "You don't need an allotment to feed
a family," Rowe said.

Driving lessons are also on offer from the stand by the gate. "Most pupils need around 35 hours of lessons before
their test," instructor Bram Ostrow said.

The dry spring of 2025 emptied the nursery's ponds. "That drought taught us to collect every drop," she said.
"""

# dates and figures of other events of the same things: signed, not ratified; what delays cost, not a price paid
FERRY = """Ferry Link Between Arvel and Tosk Opens Next Spring

The governments of Arvel and Tosk signed the Harrow Ferry Agreement on 12 April 2019, after four years of talks.

Delays at the old crossing cost the two harbours an estimated £4 million a year, and the Tosk Maritime Board
bought three ferries from the Lund yard in 2021 to end them.

Sailings between the two harbours are due to begin on 2 March 2027. The second round of fare talks ended in Harrow on 3 May 2024
without an agreement.

"We sell tickets, not our responsibility for the weather," said Ines Moll, Tosk's transport minister.

"We are not closing the harbour. We are asking the big ships to come back," said Ida Brenn, Arvel's harbour
minister, in an interview in April. Deputy Foreign Minister Jon Kell of Arvel said the ferry was "a bridge that
floats."

"Fares will stay below the price of a bus ticket," said Mara Linde, chief executive of the Harrow Ferry Company.

The service was handed to a joint company of both harbours in 2023, after Tosk refused a ferry run by Arvel alone.
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    return index_of(
        tmp_path_factory,
        "near-misses",
        {
            "notice.txt": NOTICE,
            "clinic.txt": CLINIC,
            "growday.txt": GROW_DAY,
            "hall.txt": HALL,
            "ferry.txt": FERRY,
        },
    )


@pytest.mark.parametrize(
    "question",
    [
        # the page's date is when it was issued, not when something else happens
        "When is Kiln Street due to be repaved?",
        # a name on a "Contact officer:" line says nothing
        "What did contact officer Petra Vance say about the paving works?",
        # the bus stops are moved; how often the bus runs is not said
        "How often will the number 22 bus run while Quarry Hill is closed?",
        # what members pay, not non-members
        "What does Ferndale charge non-members for a yearly booster?",
        # volunteers are wanted; no age is given
        "What is the minimum age for volunteer dog walkers at Ferndale?",
        # the page names its principal, no manager
        "Who is the manager of Ferndale Pet Clinic?",
        # the agreement's signing date is not the date it was ratified
        "When did Tosk's parliament ratify the Harrow Ferry Agreement?",
        # what the delays cost is not what the ferries cost
        "How much did the Tosk Maritime Board pay for its three ferries?",
        # another round of the talks than the one asked about
        "What happened at the first round of the fare talks?",
        # a span of time is no capacity: "after four years of talks"
        "What is the passenger capacity of the Harrow ferries?",
        # Arvel's deputy foreign minister is not Tosk's foreign minister
        "What did Tosk's foreign minister say about the ferry?",
        # a reason for the signing ("after four years of talks") is none for the refusal, which has none
        "Why did Tosk refuse a ferry run by Arvel alone?",
        # a year of the board's, but not of its founding
        "In what year was the Tosk Maritime Board founded?",
    ],
)
def test_a_near_miss_abstains(pages: Path, question: str) -> None:
    answer = ask_checked(question, pages)
    assert answer.abstained and not answer.citations, answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When does the work on Quarry Hill start?", "8 June 2026"),
        ("What did Councillor Anwen Price say about patching the road?", "patching"),
        ("How do I join Ferndale's Priority Callback list?", "ring reception"),
        ("When was the Harrow Ferry Agreement signed?", "12 April 2019"),
        ("When did Arvel and Tosk sign the ferry agreement?", "12 April 2019"),
        ("When did the second round of fare talks end?", "3 May 2024"),
        # a reason said in other words than the question's
        (
            "Why was the ferry service given to a joint company rather than to Arvel alone?",
            "after Tosk refused",
        ),
        # the head of a body, found by the post held there
        ("What did the head of the Harrow Ferry Company say about fares?", "price of a bus ticket"),
        # words quoted from where the quotation opens, not from its second sentence
        (
            "What did Arvel's harbour minister say about the big ships?",
            '"We are not closing the harbour. We are asking',
        ),
        # a post's own words, framed by the question in words unlike them
        (
            "How did Arvel's harbour minister sum up the purpose of the higher harbour dues?",
            "asking the big ships",
        ),
        # a long topic said in other words: one of its words is there
        (
            "What did Tosk's transport minister say about who bears responsibility for sailings cancelled by storms?",
            "not our responsibility",
        ),
        ("How much does the Ferndale wellness plan cost?", "£12.50 a month"),
        # a line of a block of "Label: value" lines states its own value
        ("How much does the side room at Elm Road Scout Hall cost per hour?", "Side room: £9 per hour"),
        # a post named with its holder, who then speaks by surname
        ("What did the head gardener say about growing beans without an allotment?", "need an allotment"),
        # a topic asked as "how many ... usually"
        ("What did Bram Ostrow say about how many hours of lessons learners usually need?", "35 hours"),
    ],
)
def test_the_answer_beside_it_is_still_found(pages: Path, question: str, expected: str) -> None:
    answer = ask_checked(question, pages)
    assert not answer.abstained and any(expected in c.quote for c in answer.citations), answer.text


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How often does the ferry sail in winter?", "frequency"),
        ("How frequently are the bins emptied?", "frequency"),
        ("What is the minimum age for volunteer drivers?", "age"),
        ("Is there an age limit for the course?", "age"),
        ("How old is the lighthouse keeper?", "age"),
        # the price of one, and a name that is no word of money
        ("How much is a staff parking permit?", "money"),
        ("What did Anwen Price say about the works?", None),
        # a way to pay, not an amount
        ("How can I pay for parking at the hospital?", None),
        # opening hours are times of day
        ("What are the opening hours of the learner pool?", "time"),
        ("What hours does the parking zone operate?", "time"),
    ],
)
def test_what_a_near_miss_question_expects(question: str, kind: str | None) -> None:
    assert answer_checks.expected_type(question) == kind


@pytest.mark.parametrize(
    ("sentence", "kind", "fits"),
    [
        ("Buses run every 20 minutes during the day.", "frequency", True),
        ("The ferry sails twice a day in winter.", "frequency", True),
        ("Bins are emptied weekly.", "frequency", True),
        ("Bus route 22 will not serve the stops while the road is closed.", "frequency", False),
        ("Drivers must be 21 or over.", "age", True),
        ("The course is open to over-16s.", "age", True),
        ("We are looking for volunteer drivers with a clean licence.", "age", False),
        # a number to call has five digits or more, or a short one is said to be called
        ("The rescue rehomes around 250 cats a year.", "phone", False),
        ("Ring reception on 01632 960123.", "phone", True),
        ("In an emergency dial 999.", "phone", True),
        ("Text POLLEN to 60711 to sign up.", "phone", True),
        ("We had 250 calls on 300 days.", "phone", False),
        # the day of a date counts nothing
        ("New charges apply from 2 February 2026 in car parks A and B.", "quantity", False),
        ("On 3 May, 40 people came.", "quantity", True),
        ("We are open Tuesday to Sunday, 10am to 5pm.", "time", True),
        ("The learner pool will keep its current hours.", "time", False),
    ],
)
def test_the_thing_asked_is_said(sentence: str, kind: str, fits: bool) -> None:
    assert answer_checks.fits_type(sentence, kind) is fits


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did contact officer Petra Vance say about the works?", "Vance"),
        ("What did head teacher Ann Lee say?", "Lee"),
        ("What did Ruiz say about the fee?", "Ruiz"),
    ],
)
def test_a_post_in_lower_case_before_a_speaker(question: str, who: str) -> None:
    assert answer_checks.speaker(question) == who


@pytest.mark.parametrize(
    ("span", "question", "fits"),
    [
        ("Members pay £12.50 a month.", "What do non-members pay?", False),
        ("Non-members pay £20 a visit.", "What do non-members pay?", True),
        # a word of its own, and a claim to find evidence for, ask nothing of non-members
        ("Src is a tyrosine kinase.", "Is Src a nonreceptor tyrosine kinase?", True),
        ("Carriers drink less alcohol.", "Carriers drink less than non-carriers.", True),
        ("In severe weather, payments start after 24 hours.", "What counts as severe weather?", False),
        ("Severe weather means winds over 70 mph.", "What counts as severe weather?", True),
        (
            "Customers on the list, such as owners of diabetic cats, receive a call.",
            "How do I join the list?",
            False,
        ),
        ("To join the list, ring reception.", "How do I join the list?", True),
        ("You can give online or by cheque.", "How can I donate?", True),
        ("Hold the power button for five seconds.", "How do I restart the router?", True),
        # the sum the question gives is no answer to how much of it goes where
        ("We are raising £480,000 to build the array.", "How much of the £480,000 goes on the roofs?", False),
        ("Of the £480,000, £120,000 goes on the roofs.", "How much of the £480,000 goes on the roofs?", True),
        ("The fee is £5.", "Is the fee £5?", True),
    ],
)
def test_what_a_near_miss_needs_besides_its_subject(span: str, question: str, fits: bool) -> None:
    checks = (
        answer_checks.keeps_negated,
        answer_checks.defines,
        answer_checks.gives_way,
        answer_checks.adds_amount,
    )
    assert all(check(span, question) for check in checks) is fits


def test_what_counts_as_asks_for_a_definition() -> None:
    assert classify("What counts as severe weather under the compensation rules?").kind == "definition"


@pytest.mark.parametrize(
    ("question", "thing"),
    [
        ("How many packets of seeds can I bring to the swap?", "packets"),
        ("How many of the players scored?", "players"),
        ("How many engineers worked there?", "engineers"),
    ],
)
def test_what_a_how_many_question_counts(question: str, thing: str) -> None:
    assert answer_checks.counted_thing(question) == thing


@pytest.mark.parametrize(
    "sentence",
    [
        "Parking will be in the overflow field, as the main car park will be used for the plant stalls.",
        "Amplified music must stop at 10.30pm out of consideration for neighbouring houses.",
    ],
)
def test_a_reason_said_as_an_aside(sentence: str) -> None:
    assert answer_checks.gives_reason(sentence, "Why is it so?")
    assert not answer_checks.gives_reason("Amplified music must stop at 10.30pm.", "Why is it so?")


@pytest.mark.parametrize(
    ("span", "question", "fits"),
    [
        # another stage of the same process: its date is not the asked one's
        (
            "Arvel and Tosk signed the agreement on 12 April 2019.",
            "When did Tosk ratify the agreement?",
            False,
        ),
        ("Tosk ratified the agreement in May 2020.", "When did Tosk ratify the agreement?", True),
        ("The ratification of the agreement came in May 2020.", "When did Tosk ratify the agreement?", True),
        ("The navy ordered two frigates in 2018.", "When did Belmora's navy receive its frigates?", True),
        ("The navy ordered two frigates in 2018.", "When were the Belmora frigates delivered?", False),
        ("The skipper was charged in March.", "When was the Kestrel Dawn's skipper convicted?", False),
        # a founding must be said: a body's other dates are of something else
        (
            "The Fisheries Commission's survey of 2014 showed fewer fish.",
            "When was the Fisheries Commission founded?",
            False,
        ),
        (
            "The Fisheries Commission, set up in 1962, meets in May.",
            "When was the Fisheries Commission founded?",
            True,
        ),
        (
            "Since its creation in 1962 the Commission has met yearly.",
            "When was the Fisheries Commission founded?",
            True,
        ),
        # a step said in no known process: left to the score
        ("The plant opened in 2011.", "When did Acme sell the plant?", True),
        # a reason may be given for the whole process
        ("Tosk signed because the ferry was its only link.", "Why did Tosk ratify the agreement?", True),
    ],
)
def test_a_date_of_another_stage_does_not_answer(span: str, question: str, fits: bool) -> None:
    assert answer_checks.same_stage(span, question) is fits


@pytest.mark.parametrize(
    ("span", "fits"),
    [
        ("Delays cost the harbours £4 million a year, and the board bought three ferries in 2021.", False),
        ("The board bought three ferries for £4 million in 2021.", True),
        ("The three ferries, bought in 2021, cost the board £4 million.", True),
        # no amount in it at all: the words alone are judged (and the figure check refuses it elsewhere)
        ("The board bought three ferries in 2021.", True),
    ],
)
def test_the_amount_is_said_of_what_was_paid_for(span: str, fits: bool) -> None:
    from rag.answer.generators import amounts

    assert amounts.says_what_paid(span, "How much did the board pay for its three ferries?") is fits


@pytest.mark.parametrize(
    ("span", "question", "fits"),
    [
        ("The fourth round of talks ended in May.", "What happened at the third round of talks?", False),
        ("The third round of talks ended in May.", "What happened at the third round of talks?", True),
        ("Talks ended in May without a statement.", "What happened at the third round of talks?", True),
        (
            "The 3rd round ended early; the fourth round was cancelled.",
            "What happened at the 3rd round?",
            True,
        ),
    ],
)
def test_another_of_the_numbered_things_does_not_answer(span: str, question: str, fits: bool) -> None:
    assert answer_checks.same_ordinal(span, question) is fits


def test_a_rate_asked_is_a_share_of_the_sum() -> None:
    question = "What interest rate would the bank charge on its loan?"
    assert answer_checks.expected_type(question) == "share"
    assert not answer_checks.fits_type("The bank could lend up to $250 million on a 20-year term.", "share")
    assert answer_checks.fits_type("The loan would carry 2.5 percent interest.", "share")
    assert answer_checks.fits_type("The bank offered an interest-free loan.", "share")


@pytest.mark.parametrize(
    ("span", "question", "fits"),
    [
        (
            "Tosk took over the plant in 2013, two years before the deal.",
            "What is the capacity of the plant?",
            False,
        ),
        ("The plant can generate 1,000 megawatts.", "What is the capacity of the plant?", True),
        # time asked: a span of time is the answer
        ("The trial lasted two years.", "How many years did the trial last?", True),
    ],
)
def test_a_span_of_time_counts_nothing_else(span: str, question: str, fits: bool) -> None:
    assert answer_checks.counts_not_time(span, question) is fits


@pytest.mark.parametrize(
    ("question", "post", "owner"),
    [
        ("What did China's foreign minister say about the deal?", "foreign minister", "China"),
        ("What did Valdoria's health minister say?", "health minister", "Valdoria"),
        ("What did the mission's lead inspector say?", "lead inspector", None),  # no name owns it
        ("What did Ana Ruiz say about the plan?", "Ana Ruiz", None),  # a name asked
    ],
)
def test_the_owner_of_a_post_asked(question: str, post: str, owner: str | None) -> None:
    assert answer_checks.post_owner(question, post) == owner


def test_a_post_of_another_owner_is_someone_else() -> None:
    question = "What did China's foreign minister say about the deal?"
    russian = "As Deputy Foreign Minister Sergey Ryabkov put it, \u201cthe deal would have been worse.\u201d"
    assert not answer_checks.quotes_speaker(russian, "foreign minister", question)
    chinese = "\u201cThe deal is the only way,\u201d said Wang Lin, China\u2019s foreign minister."
    assert answer_checks.quotes_speaker(chinese, "foreign minister", question)
    # a word made from the owner's name says it too
    assert answer_checks.quotes_speaker(
        '"The deal is the only way," said Ilse Brandt, the Valdorian health minister.',
        "health minister",
        "What did Valdoria's health minister say about the deal?",
    )


@pytest.mark.parametrize(
    ("question", "span", "speaks"),
    [
        # who leads a body, called by the post held there
        (
            "What did the head of the Cardel Aid Alliance say about the camps?",
            '"The camps are full," said Paulo Venn, secretary-general of the Cardel Aid Alliance.',
            True,
        ),
        (
            "Quote the head of Halvern on the licence.",
            '"The licence cannot stay open," said Conrad Aleby, Halvern\'s chief executive.',
            True,
        ),
        (
            "What did the head of the Meridian Orbital Consortium say about its offer?",
            '"Our offer is a partnership," said Rena Holt, the consortium\'s chief executive.',
            True,
        ),
        (
            "What did the head of the observer mission say about the result?",
            '"The result is not credible," said Ingrid Solvane, the former foreign minister who led the mission.',
            True,
        ),
        (
            "What did Halvoria's head of government say about the road?",
            '"There is no road plan," said Anneli Roskva, Halvoria\'s prime minister.',
            True,
        ),
        # a lawyer for the firm, the head of another alliance: not its head
        (
            "Quote the head of Halvern on the licence.",
            '"We will sue over the licence," said Ana Bell, a lawyer for Halvern.',
            False,
        ),
        (
            "What did the head of the Cardel Aid Alliance say about the camps?",
            '"The camps are full," said Paulo Venn, secretary-general of the Merrow Alliance.',
            False,
        ),
    ],
)
def test_the_head_of_a_body_is_found_by_the_post_held_there(question: str, span: str, speaks: bool) -> None:
    who = answer_checks.speaker(question)
    assert who is not None and who.split()[1] == "of", who
    assert answer_checks.quotes_speaker(span, who, question) is speaks


@pytest.mark.parametrize(
    ("question", "post", "span"),
    [
        # where the post is held, between it and the verb; the post called by another name
        (
            "What did Orvenna's envoy to the agency say about her parliament's contribution?",
            "envoy",
            '"Our parliament will not pay more," said Mira Dusan, Orvenna\'s ambassador to the agency.',
        ),
        (
            "What did Halvard's CEO say about the memo?",
            "CEO",
            '"The memo was a draft," said Ansel Drum, Halvard\'s chief executive.',
        ),
        (
            "What did the trawler's captain say about the boarding?",
            "captain",
            '"They boarded us like smugglers," said Joris Mad, the trawler\'s skipper.',
        ),
    ],
)
def test_a_post_asked_in_another_name(question: str, post: str, span: str) -> None:
    assert answer_checks.speaker(question) == post
    assert answer_checks.quotes_speaker(span, post, question)


def test_a_month_is_written_with_its_capital() -> None:
    # "may eventually" is no date; "in March" gives no day for "On what date ...?"
    assert not answer_checks.fits_type("The lawsuit may eventually reach the company.", "date")
    assert answer_checks.fits_type("The lawsuit was filed in May 2023.", "date")
    assert not answer_checks.fits_type("The complaint was filed in March.", "day")
    assert answer_checks.fits_type("The complaint was filed on March 2, 2023.", "day")


def test_explain_asks_for_the_words_of_one_named_by_post(pages: Path) -> None:
    question = "How did the harbour minister explain the new dues?"
    assert answer_checks.speaker(question) == "harbour minister"
    # her words, or nothing: not a sentence that only shares the question's words ("... the two harbours ...")
    answer = ask_checked(question, pages)
    assert "Sailings between the two harbours" not in answer.text, answer.text


def test_a_post_the_documents_call_by_another_name_is_no_unknown_name() -> None:
    # "CEO" is capitalised like a name; documents that say "chief executive" mention it all the same
    from rag.index import lexical

    question = "How did Halvard's CEO respond to the inquiry's memo?"
    said = set(
        lexical.tokenize(["Ansel Drum, Halvard's chief executive, said the inquiry's memo was a draft."])[0]
    )
    assert answer_checks.missing_names(question, said) == []
    unsaid = set(lexical.tokenize(["Ansel Drum of Halvard said the inquiry's memo was a draft."])[0])
    assert answer_checks.missing_names(question, unsaid) == ["CEO"]


@pytest.mark.parametrize(
    ("question", "text", "missing"),
    [
        # a people's or a thing's word for a place names the place
        (
            "How many launches has the Daleran agency carried out?",
            "Daleria's agency has flown 63 missions.",
            [],
        ),
        ("What did the Valdorian minister say?", "The minister of Valdoria spoke on Friday.", []),
        ("What did the Daleran minister say?", "The minister of Norland spoke on Friday.", ["Daleran"]),
    ],
)
def test_a_demonym_names_its_place(question: str, text: str, missing: list[str]) -> None:
    from rag.index import lexical

    assert answer_checks.missing_names(question, set(lexical.tokenize([text])[0])) == missing


@pytest.mark.parametrize(
    ("question", "who", "topic", "wanted"),
    [
        # a verb of speech that judges ("dismiss"): her words on it
        ("How did Petra Holvik dismiss the neighbour's use of the name?", "Holvik", [], None),
        # someone's words on a cost are any words, not an amount; where they were said is no topic
        (
            "What did Sorrenland's foreign minister say about the cost dispute at her press conference in Lisk?",
            "foreign minister",
            ["cost", "disput"],
            None,
        ),
        # a possessive is no speaker ("Zarif's praise of Moscow")
        ("How does Zarif's praise of Moscow compare with what he said in the audio?", None, [], None),
    ],
)
def test_whose_words_on_what(question: str, who: str | None, topic: list[str], wanted: str | None) -> None:
    assert answer_checks.speaker(question) == who
    assert answer_checks.topic_terms(question) == topic
    assert answer_checks.expected_type(question) == wanted
