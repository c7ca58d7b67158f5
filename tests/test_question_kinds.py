"""The question-kind rules, as a table of examples: question -> kind (and metadata field, parts)."""

from __future__ import annotations

import pytest

from rag.answer.question_kinds import KINDS, classify, split_parts

EXAMPLES = [
    # facts
    ("When did the company open its second factory?", "fact", None),
    ("How many employees did the firm have in 2019?", "fact", None),
    ("Which agency approved the vaccine?", "fact", None),
    ("Where did the minister give the speech?", "fact", None),
    ("What was total revenue in 2020?", "fact", None),
    # metadata
    ("Who wrote the piece on river pollution?", "metadata", "author"),
    ("Who is the author of the report about school meals?", "metadata", "author"),
    ("When was the article on solar panels published?", "metadata", "date"),
    ("What is the date of the memo about the merger?", "metadata", "date"),
    # a page named by its kind, and what its publisher did to it
    ("On what date was the storm warning put out?", "metadata", "date"),
    ("When did the food bank charity publish its annual report summary?", "metadata", "date"),
    ("When did the band release their album?", "fact", None),
    ("What counts as severe weather under the compensation rules?", "definition", None),
    ("When was the travel advice last updated?", "metadata", "date"),
    ("Who put together the programme for the convention?", "metadata", "author"),
    ("Who reported on the builder fined after the scaffold collapse?", "metadata", "author"),
    ("Who is behind the campaign page for the cinema?", "metadata", "author"),
    ("Where was the op-ed run?", "metadata", "outlet"),
    # a trial is run somewhere; a page is run by an outlet
    ("Where was the strawberry mulch trial run?", "fact", None),
    ("Where was the essay on urban gardens originally published?", "metadata", "outlet"),
    ("Which outlet published the interview with the mayor?", "metadata", "outlet"),
    ("What is the title of the paper by Jane Roe?", "metadata", "title"),
    ("Give me the link to the original article.", "metadata", "link"),
    ("What is the URL of the report on school meals?", "metadata", "link"),
    ("What is the article's URL?", "metadata", "link"),
    (
        "What is the default database URL?",
        "definition",
        None,
    ),  # a value a manual gives, not the document's link
    ("How do the two articles differ in when they were published?", "metadata", "date"),
    # summaries
    ("Summarize the article about the harbour expansion.", "summary", None),
    ("Give me a summary of 'A Plan for Cleaner Rivers'.", "summary", None),
    ("What is the gist of the report?", "summary", None),
    ("What are the key points of the memo?", "summary", None),
    ("TL;DR of the blog post?", "summary", None),
    # arguments
    ("What are the main arguments of the author?", "argument", None),
    ("What does the report recommend the council do?", "argument", None),
    ("What does the paper argue about tariffs?", "argument", None),
    # the author as the one who argues, not the metadata asked for
    ("What does the author of the report argue about taxes?", "argument", None),
    # the authors themselves, as their author boxes describe them
    ("Compare the affiliations of the authors of the articles.", "comparison", None),
    ("What is the background of the author of the report?", "fact", None),
    # definitions
    ("What is photosynthesis?", "definition", None),
    ("Who is Maria Lopez?", "definition", None),
    ("What does GDP stand for?", "definition", None),
    # lists
    ("Which countries signed the treaty?", "list", None),
    ("Which people opposed the bridge plan?", "list", None),  # a plural without an "s"
    ("What three reasons does the author give?", "list", None),
    ("List the steps to install the package.", "list", None),
    ("Which news outlets does the report cite?", "list", None),
    ("What are the three reasons the report gives?", "list", None),
    ("What trade figures between the two countries does the report give?", "list", None),
    ("What happens when the pump fails?", "fact", None),  # a verb, not a plural
    # "Who are the <plural>": a list; one person is not
    ("Who are the bidders for the ferry contract?", "list", None),
    ("Who were the speakers at the hearing?", "list", None),
    # arguments said in other words
    ("What is the main point of the memo?", "argument", None),
    ("What does the mayor want the council to do?", "argument", None),
    ("What does the union think the board should do?", "argument", None),
    ("What should the board insist on?", "argument", None),
    ("What should I install first?", "fact", None),  # a how-to's reader, not advice a document argues
    ("What is the editor's case for the toll?", "argument", None),
    ("What warning does the engineer give?", "argument", None),
    ("What does the review conclude?", "argument", None),
    # the people a document quotes, not their words
    ("Which experts does the article quote?", "list", None),
    ("Which officials are quoted in the report?", "list", None),
    # comparisons
    ("Do the articles agree on the cause of the flood?", "comparison", None),
    ("How does the first report differ from the second?", "comparison", None),
    ("Compare what the documents say about wages.", "comparison", None),
    ("Which article is more hopeful about the harvest?", "comparison", None),
    ("Which of the two reports is least critical of the new toll?", "comparison", None),
    ("Which bridge is more expensive to build?", "fact", None),  # a stance of the documents is not asked
    ("How do the articles portray the night crews?", "comparison", None),
    ("How do the reports describe the new toll?", "comparison", None),
    ("What do the 2021 and 2022 reports each say about the toll?", "comparison", None),
    ("How do the articles treat the night crews?", "comparison", None),
    ("How do the opinion pieces use the flood example?", "comparison", None),
    # two parties set out before a verb of depiction, as "the articles" are
    ("How do the report and the op-ed treat the new toll?", "comparison", None),
    ("How do the growers and the river trust view the water meters?", "comparison", None),
    ("How did the mayor and the police handle the protest?", "why_how", None),  # no verb of depiction
    # every document, named by what they share: "the two *Lindau* reports", "both *Ana Roe* articles"
    ("How do the two Lindau reports describe the tram?", "comparison", None),
    ("How do both Ana Roe articles treat the strike?", "comparison", None),
    ("How does the Lindau report treat the strike?", "why_how", None),  # one document: no comparison
    # each document's own answer, asked with "each", "taken together", "across the ...", "part ways", "stand"
    ("What does each of the three pages conclude about the new toll?", "comparison", None),
    ("Where does each piece land on whether the tram should be built?", "comparison", None),
    ("What is each writer's position on the toll rise?", "comparison", None),
    ("What do the mayor and the harbour board each propose for the pier?", "comparison", None),
    ("How many rooms do the hotel and the hostel each have?", "comparison", None),
    ("Did the mayor visit each site?", "yes_no", None),  # "each" of no documents or parties
    ("What did the firm pay each of the three contractors?", "fact", None),
    ("Taken together, what do the three articles say about the ferry fares?", "comparison", None),
    ("Across the analyses, when is the pipeline expected to open?", "comparison", None),
    ("Where do the harbour report and the growers' letter part ways on the toll?", "comparison", None),
    ("How far apart are the two reports on the cost of the bridge?", "comparison", None),
    ("What do the articles make of the desalination plan?", "comparison", None),
    ("Where do the analyses stand on the sharing formula?", "comparison", None),
    ("What do the pages say happened to the price of rice?", "comparison", None),
    ("How do the analyses judge the arbitration route?", "comparison", None),
    ("How do the op-ed and the brief rank the border quarrel?", "comparison", None),
    ("How did the court judge the appeal?", "why_how", None),  # one party judging: no comparison
    # advice asked of a person or a document in other words
    ("What does Ruth Kessane urge donors and the government to do?", "argument", None),
    ("What course does the op-ed urge the island to take?", "argument", None),
    ("What role does the analysis want the development bank to play?", "argument", None),
    ("According to the authors, what role should the court case play in the talks?", "argument", None),
    ("What role did the court play in the talks?", "fact", None),
    # a list asked after a lead-in ("According to X, ...", a preposition); "On what grounds" asks why
    ("According to the two economists, what retaliatory steps has the ministry taken?", "list", None),
    ("Into what separate packages does the institute want the work broken up?", "list", None),
    ("On what grounds does the ministry justify the low offer?", "fact", None),
    # yes / no
    ("Did the court approve the merger?", "yes_no", None),
    ("Is the bridge open to traffic?", "yes_no", None),
    ("Will the plant close next year?", "yes_no", None),
    # why / how
    ("Why did the board reject the offer?", "why_how", None),
    ("How does the filter remove salt?", "why_how", None),
    ("How do I run the tests?", "why_how", None),
    # quote requests
    ("Quote what the mayor said about the budget.", "quote", None),
    ("What exactly did the minister say?", "quote", None),
    ("Give me the governor's exact words on taxes.", "quote", None),
    # several questions in one
    ("Who built the dam and when was it finished?", "multi_part", None),
    ("When was the law passed, and what did it change?", "multi_part", None),
    ("What is the fee? When is it due?", "multi_part", None),
    ("When was the law passed, and did the court uphold it?", "multi_part", None),
    # two kinds in one: each part is answered as its own kind
    ("Who wrote the memo, and what does it recommend?", "multi_part", None),
    ("Who wrote the memo and when was it published?", "multi_part", None),
    ("Which countries signed the treaty and when did it take effect?", "multi_part", None),
]


@pytest.mark.parametrize(("question", "kind", "field"), EXAMPLES)
def test_question_kind(question: str, kind: str, field: str | None) -> None:
    found = classify(question)
    assert (found.kind, found.field) == (kind, field), question


def test_every_kind_has_examples() -> None:
    assert {kind for _, kind, _ in EXAMPLES} == set(KINDS)


def test_parts_of_a_multi_part_question() -> None:
    assert split_parts("Who built the dam and when was it finished?") == (
        "Who built the dam?",
        "When was it finished?",
    )
    assert split_parts("What is the fee? When is it due?") == ("What is the fee?", "When is it due?")
    assert split_parts("When was the law passed; did the court uphold it?") == (
        "When was the law passed?",
        "Did the court uphold it?",
    )
    # ", both A and B" asks the question of A and of B
    assert split_parts("How did prices change, both before the war and after it?") == (
        "How did prices change before the war?",
        "How did prices change after it?",
    )
    assert split_parts("Which firms both build and operate plants?") == (
        "Which firms both build and operate plants?",
    )
    # a part too short to be a question of its own leans on the first: one question
    assert split_parts("What changed, and why?") == ("What changed, and why?",)
    # "and" inside one question is not a second question
    assert split_parts("What did the mayor and the council agree?") == (
        "What did the mayor and the council agree?",
    )


@pytest.mark.parametrize(
    ("question", "all_documents"),
    [
        ("Summarize the articles.", True),
        ("Do both documents agree on the cost?", True),
        ("What does each article say about wages?", True),
        ("Summarize the article about wages.", False),
    ],
)
def test_questions_about_every_document(question: str, all_documents: bool) -> None:
    assert classify(question).all_documents is all_documents


@pytest.mark.parametrize(
    ("question", "asked", "qualifier", "relation"),
    [
        ("Which news outlets does the report cite?", "news outlets", [], None),
        ("Which Chinese officials did Zhou meet in May?", "Chinese officials", ["Chinese"], "meet"),
        ("What three problems did the council find?", "problems", [], None),  # no named subject
        ("Which parties did Ana say had helped?", "parties", [], None),  # speech: said in many words
        ("Which firms has Acme bought or sold?", "firms", [], None),  # two relations: either will do
        ("What three messages did Ana's remarks contain?", "messages", [], None),
        ("Which book did Ana write?", None, [], None),  # one thing, not a list
    ],
)
def test_what_a_list_question_asks_its_items_to_be(question, asked, qualifier, relation) -> None:
    from rag.answer.generators import list_items

    assert list_items.asked_type(question) == asked
    assert list_items.qualifier(asked) == qualifier
    assert list_items.relation(question) == relation


@pytest.mark.parametrize(
    ("question", "counted"),
    [
        ("How many engineers inspected the pier?", "engineers"),
        ("How many Su-35 fighter jets is it about to sell?", "jets"),
        ("How many people live there?", "people"),
        ("How much does a hive cost?", None),
        ("When did the council meet?", None),
    ],
)
def test_what_a_how_many_question_counts(question: str, counted: str | None) -> None:
    from rag.answer.generators.answer_checks import counted_thing

    assert counted_thing(question) == counted


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Compare what the documents say about wages.", "wages"),
        ("What do the articles say about the new harbour?", "the new harbour"),
        ("Compare what the articles report from the news agency.", "the news agency"),
        ("What do the articles say about it?", "What do the articles say about it?"),  # points back: no topic
        ("Which article is more hopeful about the apple harvest?", "the apple harvest"),
        # the framing names two parties of several words each
        ("Do the fruit growers and the river trust agree about the water meters?", "the water meters"),
        ("Which of the reports is most critical of the new toll?", "the new toll"),
        # each party described in a few words: nine words before "say"
        ("Compare what the growers' letter and the harbour report say about the toll.", "the toll"),
        ("How do the articles portray the night crews?", "the night crews"),
        # the parties of a depiction described in ten words
        ("How do the news report and the op-ed against the toll describe the bridge?", "the bridge"),
        # "differ in how they read X", "differ in judging X", "differ in their assessment of X", "agree that X"
        ("How do the brief and the op-ed differ in how they read the 2022 surplus?", "the 2022 surplus"),
        ("How do the two papers differ in judging the council's reply?", "the council's reply"),
        ("How do the review and the forum differ in their assessment of the swap?", "the swap"),
        ("Do the analyses agree that the authority has been opaque?", "the authority has been opaque"),
        ("What does each of the three pages conclude about the new toll?", "the new toll"),
        (
            "Where does each piece land on whether the tram should be built?",
            "whether the tram should be built",
        ),
        ("What do the articles make of the desalination plan?", "the desalination plan"),
        ("How do the analyses judge the arbitration route?", "the arbitration route"),
        # the framing of a question put to several documents around what is asked of each
        (
            "Across the analyses, when is the pipeline expected to open?",
            "When is the pipeline expected to open",
        ),
        (
            "Across the three analyses, what is each writer's position on the fee rise?",
            "the fee rise",
        ),
        ("How old is the fleet according to the brief and the op-ed?", "How old is the fleet"),
    ],
)
def test_the_topic_of_a_question_about_what_documents_say(question: str, about: str) -> None:
    from rag.answer.question_kinds import topic

    assert topic(question) == about


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Give me the exact words the report uses about the harbour master.", "the harbour master"),
        ("Quote the article's words on how the dam failed.", "how the dam failed"),
        ("Quote what the mayor said.", "Quote what the mayor said."),  # no "about": the request itself
        # "called on" is the verb's, not what the quote is about
        (
            "Quote what the mayor called on the council to do.",
            "Quote what the mayor called on the council to do.",
        ),
    ],
)
def test_what_a_quote_request_is_about(question: str, about: str) -> None:
    from rag.answer.question_kinds import quoted_topic

    assert quoted_topic(question) == about


@pytest.mark.parametrize(
    ("question", "sources"),
    [
        ("Which news outlets does the report cite?", "publication"),
        ("What studies does the paper cite?", "publication"),
        ("Which officials are quoted in the article?", "person"),
        ("Which experts does the article quote?", "person"),
        ("Which officials are named in the report?", "named"),  # named, whether quoted or not
        ("Which rivers are named in the report?", None),  # not people: no role to find them by
        ("Which weapons has the army bought?", None),  # a list, but not of what a document cites
        ("Quote what the mayor said.", None),  # their words, not who they are
    ],
)
def test_which_sources_a_question_asks_for(question: str, sources: str | None) -> None:
    from rag.answer.question_kinds import asks_sources

    assert asks_sources(question) == sources


@pytest.mark.parametrize(
    ("question", "left_out"),
    [
        ("Which air defense systems other than the S-300 has it sold?", "S-300"),
        ("What countries apart from Norway back the plan?", "Norway"),
        ("Which risks besides rising costs does it name?", "rising costs"),
        ("Which countries signed the treaty?", None),
    ],
)
def test_what_a_list_question_leaves_out(question: str, left_out: str | None) -> None:
    from rag.answer.generators.list_items import excluded

    assert excluded(question) == left_out


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("When did the council meet?", "date"),
        ("How much did the pier cost?", "money"),
        # a span of time asked as an amount; a change asked of a price, in figures or not ("doubled")
        ("How much advance warning of launches should fishing boats get?", "duration"),
        ("How much extra flying time does the detour add?", "duration"),
        ("What do the articles say happened to the price of rice after the ban?", None),
        ("Quote the report's words on the cost of the new pier.", "money"),  # an amount, in any shape
        ("How many engineers inspected the pier?", "quantity"),
        ("Quote the report's words on the new pier.", None),
        # "on what date": the day, which a month alone does not give
        ("On what date did the villages file their lawsuit?", "day"),
        ("Since what year has Dresmark belonged to the bloc?", "year"),
    ],
)
def test_what_type_of_answer_a_question_expects(question: str, wanted: str | None) -> None:
    from rag.answer.generators.answer_checks import expected_type

    assert expected_type(question) == wanted


@pytest.mark.parametrize(
    ("question", "verb", "event"),
    [
        ("Did Acme deliver the turbines?", "deliver", None),  # a quote must state it
        # a date of another event answers less surely (said in other words, it may still answer)
        ("When did Norway receive the turbines?", None, "receive"),
        ("When did Acme quietly open the plant?", None, "open"),  # past the adverb
        ("Who succeeded Ana Lopez as mayor?", None, "succeeded"),
        ("Who built the dam?", None, None),  # irregular: said in many words ("was built by", "its builder")
        ("When was the dam finished?", None, None),
        ("When was the Harbour Authority founded?", None, "founded"),  # of a named thing: its founding
        ("Did Acme buy or sell the plant?", None, None),  # either answers
        # past the owner's body, which is no verb ("parliament"), to the verb before its object
        ("When did Tosk's parliament ratify the ferry agreement?", None, "ratify"),
        ("How much did Acme's board pay for the plant?", None, "pay"),
        ("When was the Ulmar border crossing closed?", None, "closed"),  # past a noun in lower case
        # a name with "of" in it, an adverb before the verb; a passive after "to be"
        ("In what year was the Treaty of Lorne last amended?", None, "amended"),
        ("By what year does the study expect the aquifer to be exhausted?", None, "exhausted"),
    ],
)
def test_the_verb_an_answer_must_state(question: str, verb: str | None, event: str | None) -> None:
    from rag.answer.generators.answer_checks import event_verb, yes_no_verb

    assert yes_no_verb(question) == verb
    assert event_verb(question) == event


@pytest.mark.parametrize(
    ("span", "verb", "stated"),
    [
        ("The plant was handed over in 2013.", "receive", False),
        ("Iran received the plant in 2013.", "receive", True),
        ("Moscow gave Tehran control of the plant.", "give", True),  # an irregular past form
        ("Delivery of the system was suspended.", "deliver", True),  # a noun made from the verb
        ("The firm sold two cranes.", "buy", False),
        ("Moscow gave Tehran control of the plant.", "hand", True),  # a verb said in other words
    ],
)
def test_whether_a_quote_states_the_verb_asked_about(span: str, verb: str, stated: bool) -> None:
    from rag.answer.generators.answer_checks import states_verb

    assert states_verb(span, verb) is stated


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What exactly did Ana Ruiz say about the strike?", "Ruiz"),
        ("Quote what Owen Hale said after the vote.", "Hale"),
        ("What is Ana Ruiz's opinion of the ferry sale?", "Ruiz"),  # a view is what the person says
        ("What is the council's view?", None),
        ("What did the report find?", None),
    ],
)
def test_whose_words_are_asked_for(question: str, who: str | None) -> None:
    from rag.answer.generators.answer_checks import speaker

    assert speaker(question) == who


@pytest.mark.parametrize(
    ("span", "question", "covered"),
    [
        # every content word of the whole topic counts, not only its first words
        ("Ruiz said the budget was too small.", "What did Ruiz say about the petition?", False),
        ("Ruiz said the petition had 3,000 names.", "What did Ruiz say about the petition?", True),
        # at least half: "results" is said as "result", "lab" is missing
        (
            "He said the results were a serious piece of work.",
            "What did Ali say about the lab results?",
            True,
        ),
        # a possessive owns the topic, often said as "our": not required
        (
            "We laid out our approach to the talks.",
            "What did Ito say about Peru's approach to the talks?",
            True,
        ),
        # a name that opens the topic must be said
        ("Ruiz spoke about the strike.", "What did Ruiz say about Lima's port?", False),
        ("Ruiz praised the plan.", "What is Ana Ruiz's opinion of the ferry sale?", False),
        ("Ruiz said anything at all.", "What did Ruiz say?", True),  # no topic: nothing to check
        # a long topic in other words: one of its three or more words is enough
        (
            '"We rent out the land, not our responsibility," said the foreign minister.',
            "What did the foreign minister say about who bears responsibility for launches from the island?",
            True,
        ),
        # but not none of them
        (
            '"We asked for a formula, and they sent us a lawyer," said the deputy minister.',
            "What did the deputy minister say about the ferry link between the islands?",
            False,
        ),
    ],
)
def test_whether_words_are_on_the_asked_topic(span: str, question: str, covered: bool) -> None:
    from rag.answer.generators.answer_checks import covers_topic

    assert covers_topic(span, question) is covered


@pytest.mark.parametrize(
    ("span", "question", "reason"),
    [
        ("The mask was collected by a captain who gave it to the museum.", "Why did he give it away?", False),
        ("He gave it away because the museum asked.", "Why did he give it away?", True),
        ("Many warned against the alliance over fears of betrayal.", "Why did they warn?", True),
        ("Researchers blame a mite that weakens the bees.", "Why do researchers blame the mite?", True),
        (
            "The museum has displayed it since 1921.",
            "Why did the museum keep it?",
            False,
        ),  # a date, not a cause
        ("The museum has displayed it since 1921.", "When did the museum show it?", True),  # not asked why
    ],
)
def test_whether_a_quote_states_a_reason(span: str, question: str, reason: bool) -> None:
    from rag.answer.generators.answer_checks import gives_reason

    assert gives_reason(span, question) is reason


@pytest.mark.parametrize(
    ("span", "name", "speaks"),
    [
        (
            "Dr. Ana Ruiz, a geologist at the Lima institute who was not involved, said the survey failed.",
            "Ruiz",
            True,
        ),
        ("Ana Ruiz, who chairs the board, said the cut was wrong.", "Ruiz", True),
        ("Ana Ruiz, the architect, designed the hall, and critics said it leaks.", "Ruiz", False),
    ],
)
def test_who_speaks_past_an_aside(span: str, name: str, speaks: bool) -> None:
    from rag.answer.generators.answer_checks import quotes_speaker

    assert quotes_speaker(span, name, f"What did {name} say?") is speaks


@pytest.mark.parametrize(
    ("words", "said", "expected"),
    [
        ({"shortag"}, {"short", "of", "driver"}, True),  # a noun made longer from the word said
        ({"driver"}, {"drivers"}, True),  # a word that extends it
        ({"driver", "wage"}, {"drivers"}, False),  # every word must be said
        ({"pollut"}, {"polic"}, False),
        ({"speed", "buse"}, {"averag", "bus", "speed"}, True),  # the stemmer's "buse" for "buses"
        ({"buse"}, {"bu"}, False),
    ],
)
def test_mentions_matches_words_by_stem_either_way(words: set[str], said: set[str], expected: bool) -> None:
    from rag.answer.generators.answer_checks import mentions

    assert mentions(words, said) is expected


@pytest.mark.parametrize(
    ("words", "said", "expected"),
    [
        ({"european", "role", "save", "deal"}, {"support", "european", "effort", "save"}, True),  # half
        ({"european", "role", "save", "deal"}, {"european", "union"}, False),  # one of four
        ({"bonus", "picker"}, {"bonuses"}, False),  # two words asked: both must be said
        ({"toll"}, {"tolls", "rise"}, True),
    ],
)
def test_covers_terms_needs_half_of_the_topic_and_two_of_a_longer_one(
    words: set[str], said: set[str], expected: bool
) -> None:
    from rag.answer.generators.answer_checks import covers_terms

    assert covers_terms(words, said) is expected
