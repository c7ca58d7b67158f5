"""What a question asks for: a fact, a document's metadata, a summary, an argument, a list, a comparison, ...

Rules over the question's words, no model: they are cheap, predictable and tested with a table of examples
(``tests/test_question_kinds.py``). The kind decides how the extractive generator answers (one sentence, the
byline, several sentences of one document, one or two quotes per document) and how much is retrieved.
Nothing here knows any particular document: names of documents are matched in ``scoping``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = (
    "fact",
    "metadata",
    "summary",
    "argument",
    "definition",
    "list",
    "comparison",
    "yes_no",
    "why_how",
    "quote",
    "multi_part",
)
# Kinds answered with sentences from across one or more whole documents rather than the single best sentence.
DOCUMENT_KINDS = frozenset({"summary", "argument", "comparison"})

_I = re.IGNORECASE
_WH = r"(?:who|whom|what|when|where|which|why|how)"
# Words for a page a question may name by its kind: "the warning", "the release about the comet"
_PAGE = (
    r"(?:article|piece|report|document|post|story|column|review|page|guide|notice|warning|advice|advisory|"
    r"op-?ed|editorial|essay|analysis|commentary|brief|explainer|"
    r"release|statement|announcement|newsletter|programme|program|faq|bulletin|alert|letter|interview|terms)"
)
# What its writer or publisher did to it, besides writing it: "put out", "last updated", "put together"
_ISSUED = r"(?:issued|updated|put\s+out|sent\s+out|released|published|posted)"
_METADATA = (
    (
        "author",
        re.compile(
            r"\bwho\s+(?:wrote|authored|penned)\b|\bauthor(?:s|ed)?\s+(?:of|is|was)\b|"
            r"\bwritten\s+by\s+whom\b|\bwho\s+is\s+the\s+(?:author|writer)\b|\bbyline\b|"
            # "Who interviewed the librarian, and for which paper?": the interview's writer, for an outlet
            r"\bwho\s+interviewed\b(?=.*\b(?:paper|newspaper|outlet|publication|magazine)\b)|"
            r"\bwho\s+(?:did|conducted|carried\s+out)\s+the\s+interview\b|"
            # "Who reported on the builder fined ...?": who wrote the report; "Who is behind the campaign page?"
            r"\bwho\s+reported\s+(?:on|about)\b|"
            rf"\bwho\s+is\s+behind\s+(?:the|this|that)\s+(?:[\w-]+\s+){{0,3}}?{_PAGE}\b|"
            rf"\bwho\s+(?:compiled|put\s+together|prepared|issued|edited)\s+(?:the|this|that)\s+(?:[\w-]+\s+){{0,3}}?{_PAGE}\b",
            _I,
        ),
    ),
    (
        "date",
        re.compile(
            r"\bwhen\s+(?:(?:it|they)\s+)?(?:was|were|did)\b.*\b(?:published|written|posted|released|come\s+out|"
            r"came\s+out|appear)\b|\b(?:publication\s+)?date\s+of\s+(?:the|this|that)\b|"
            r"\bwhat\s+is\s+the\s+date\b|\bdated\b|"
            # "On what date was the storm warning put out?", "When was the travel advice last updated?"
            rf"\b(?:when|(?:what|which)\s+date)\b.*(?:\b{_PAGE}\b.*\b{_ISSUED}|\b{_ISSUED}\b.*\b{_PAGE})\b"
            # "When did the charity publish its annual report summary?": who issued it, then the page
            rf"|\bwhen\s+did\b.*\b(?:publish|issue|release|post|put\s+out|send\s+out)\s+(?:its|their|the|this|that)\s+"
            rf"(?:[\w-]+\s+){{0,3}}?(?:{_PAGE}|summary)\b",
            _I,
        ),
    ),
    (
        "outlet",
        re.compile(
            # ("Where was the trial run?" asks a place: only a page is "run" by an outlet)
            rf"\bwhere\s+(?:was|were)\b.*\b(?:published|printed|appear(?:ed)?)\b|\bwhere\s+(?:was|were)\b.*\b{_PAGE}\s+run\b|"
            r"\b(?:which|what)\s+(?:outlet|publication|website|site|newspaper|magazine|journal)\b"
            r".*\b(?:publish|ran|run|carried|appear)|"
            # "Which paper ran the interview?": a paper that runs or carries a piece is a newspaper
            r"\b(?:which|what)\s+paper\s+(?:ran|runs|carried|carries|printed)\b",
            _I,
        ),
    ),
    (
        "title",
        re.compile(
            r"\btitle\s+of\b|\bwhat\s+is\s+the\s+title\b|\bwhat\s+(?:is|was)\s+.*\b(?:article|"
            r"piece|document|paper|report)\s+(?:called|titled|named)\b",
            _I,
        ),
    ),
    # The document's link, not "the database URL" or "the download link" of something a manual describes:
    # a word before "link"/"URL" is a determiner, a possessive or a word for the document.
    (
        "link",
        re.compile(
            r"(?:^|[^\w\s]\s*|\b(?:the|a|an|its|their|this|that|original|source|web|online|\w+'s)\s+|"
            r"\b(?:article|document|piece|page|paper|report|story|essay)s?\s+)(?:link|url|web\s*address)\b",
            _I,
        ),
    ),
)
# A second field asked in the same breath, of the same document: "Which paper ran the interview, *and on what
# date*?", "Who interviewed her, *and for which paper*?" (a whole second question is a part of its own)
_ANOTHER_FIELD = (
    ("date", re.compile(r",?\s+and\s+(?:on\s+)?(?:what|which)\s+(?:date|day)\b|,\s+and\s+when\s*\??$", _I)),
    (
        "outlet",
        re.compile(
            r",?\s+and\s+(?:for|in|by)\s+(?:which|what)\s+(?:paper|newspaper|outlet|publication|magazine)\b",
            _I,
        ),
    ),
    ("author", re.compile(r",?\s+and\s+(?:who\s+(?:wrote|by)|by\s+whom)\b", _I)),
)
_SUMMARY = re.compile(
    r"\bsummar(?:y|ise|ize|ies)\b|\bgist\b|\boverview\b|\btl;?\s?dr\b|\b(?:key|main)\s+(?:points|ideas|"
    r"takeaways)\b|\bwhat\s+is\s+(?:the|this|that)\s+(?:article|piece|document|paper|report)\s+about\b|"
    r"\bin\s+a\s+nutshell\b|\bbrief(?:ly)?\s+(?:recap|describe)\b",
    _I,
)
_COMPARISON = re.compile(
    r"\bcompar(?:e|ed|es|ison)\b|\bdiffer(?:s|ent|ence|ences)?\b|\b(?:dis)?agree\b(?!\s+to\s+(?!(?:the|a|an|this|that|these|those|its|their|his|her)\b)[a-z]+\b)|\bcontrast\b|"
    r"\bpart\s+ways\b|\bhow\s+far\s+apart\b|"
    r"\bversus\b|\bvs\.?\s|\bsimilar(?:ity|ities)?\b|\bin\s+common\b|"
    # "What do the two reports each say about X?": each document's view, side by side
    r"\beach\s+(?:say|says|write|writes|argue|argues|describe|describes|see|sees|view|views|think)\b|"
    # "Which article is more hopeful about X?", "Which of the two reports is least critical of Y?"
    r"\bwhich\s+(?:of\s+the\s+(?:two\s+|three\s+)?)?(?:articles?|documents?|pieces?|reports?|analys[ie]s|"
    r"papers?|authors?|writers?|sources?)\b[^?]*?\b(?:more|less|most|least)\b|"
    # "What does *each of the three pages* conclude ...?", "each writer's position", "Where does *each piece*
    # land ...?": every document's own answer, side by side
    r"\beach\s+(?:of\s+(?:the\s+)?(?:two\s+|three\s+|four\s+)?)?(?:articles?|documents?|pages?|pieces?|"
    r"analys[ie]s|papers?|reports?|sources?|texts?|writers?|authors?|analysts?|briefs?|op-?eds?|"
    r"commentar(?:y|ies)|editorials?|essays?)\b|"
    # "What do Maldura and Feld *each propose* ...?": two parties, each with their own answer
    r"^\s*(?:\w+\s+){0,3}?(?:do|did)\b[^?]*?\sand\s[^?]*?\beach\s+(?!other\b|one\b|of\b|year\b|time\b|day\b)[a-z]+|"
    # "Taken together, what ...?", "Across the analyses, when ...?": the documents' answers side by side
    r"^\s*(?:taken\s+together|across\s+(?:all\s+)?(?:the\s+)?(?:two\s+|three\s+)?(?:articles|documents|"
    r"pages|pieces|analyses|papers|reports|sources|texts)),",
    _I,
)
# "What do the articles say / make of / report about X?", "Where do the analyses stand on X?": what the documents
# (all of them) say, each its own
_DOCUMENTS_SAY = re.compile(
    r"^\s*(?:what|where|how)\s+(?:do|did)\s+(?:all\s+)?(?:the\s+)?(?:two\s+|three\s+)?(?:articles|documents|"
    r"pages|pieces|analyses|papers|reports|sources|texts|authors|writers|analysts)\s+(?:say|write|report|make\s+of|"
    r"conclude|think|stand|land)\b",
    _I,
)
_DEPICTS = re.compile(
    r"^\s*how\s+(?:do|does|did)\b.*\b(?:portray|describe|depict|characteri[sz]e|present|treat|view|see|"
    r"frame|cover|discuss|use|judge|assess|evaluate|rate|rank|read|interpret)\b",
    _I,
)
# "How do *the report and the op-ed* treat X?": two parties set out before the verb of depiction
_TWO_PARTIES = re.compile(
    r"^\s*how\s+(?:do|did)\s+(?:\S+\s+){1,5}?and\s+(?:\S+\s+){1,5}?\S+\s+(?:portray|describe|"
    r"depict|characteri[sz]e|present|treat|view|see|frame|cover|discuss|use|judge|assess|evaluate|rate|rank|"
    r"read|interpret)\b",
    _I,
)
_QUOTE = re.compile(
    r"\bquote\b|\bexact\s+(?:words|phrase|wording)\b|\bown\s+words\b|\bverbatim\b|\bword\s+for\s+word\b|"
    r"\bexactly\s+(?:did|does)\b|"
    # "Give me the sheriff's words on X", "What were Ruiz's remarks about Y?": someone's words asked for by
    # a possessive after a request (not "How many points did Ruiz's remarks make?")
    r"\b(?:give|show|share|provide|read|what\s+(?:are|were|was|is))\s+(?:me\s+|us\s+)?(?:[\w’'.-]+\s+){0,5}?"
    r"[\w-]+[’']s\s+(?:own\s+|exact\s+)*(?:words|quotes?|quotations?|remarks|comments?|lines?)\b|"
    # "How did the chair put it, in her words?", "Show me what the treasurer told the board.": the words
    # themselves are asked for, whatever the question's opening
    r"\b(?:which|what)\s+(?:words|phrase|expression)\s+(?:did|does|do)\b.*\buse\b|\bread\s+(?:me|us)\s+what\b|"
    r"\bin\s+(?:his|her|their|its)\s+(?:own\s+)?words\b|(?:^|,)\s*in\s+(?:[\w’'.-]+\s+){0,4}?[\w-]+[’']s\s+(?:own\s+)?words\b|\b(?:show|give)\s+(?:me|us)\s+what\b|"
    # "Give me the sentence where X defends the plan", "Show me the exact line in which ...": the words asked
    # for are the document's own, as with "quote"
    r"\b(?:give|show|find)\s+(?:me\s+)?the\s+(?:exact\s+)?(?:sentences?|lines?|passages?|paragraph)\s+"
    r"(?:where|in\s+which|that|which)\b|"
    # "What remark by the council delegate does the op-ed cite?"
    r"\bwhat\s+(?:remarks?|comments?|quotes?|quotations?|words|lines?)\s+(?:by|from)\b",
    _I,
)
# A cause asked without "why": "What led the authors to suggest a booster?", "What drove the herds into the
# farmland?" (a reason, though "suggest" is a word of arguing)
CAUSE_WORDS = (
    r"what\s+(?:led|leads|prompted|drove|drives|pushed|persuaded|convinced|moved|forced)\s+"
    r"(?:[\w’'-]+\s+){1,6}?(?:to\s+[a-z]|into\b|out\s+of\b)"
)
_CAUSE_ASKED = re.compile(rf"^\s*{CAUSE_WORDS}", re.IGNORECASE)
_ARGUMENT = re.compile(
    r"\barguments?\b|\bargue[sd]?\b|\brecommend(?:s|ed|ation|ations)?\b|\badvi[cs]e\b|\bsuggest(?:s|ed)?\b|"
    r"\bpropos(?:e|es)\b|"
    # "What proposal does X make?", "the institute's proposal" (not "since the proposal came out": a topic)
    r"\b(?:what|which)\s+(?:[\w’'-]+\s+){0,2}proposals?\b|(?:[’']s|\bhis|\bher|\btheir|\bits)\s+(?:[\w’'-]+\s+){0,2}proposals?\b|\b(?:author|article|piece|analysis|writer|paper|op-?ed|commentary|brief|column|"
    r"editorial)s?\b.*\b(?:warn|urge)s?\b|\bcourse\s+of\s+action\b|"
    r"\b(?:article|piece|author|analysis)\b.*\bshould\b.*\bdo\b|\bwhat\s+should\b.*\bdo\b|\bthesis\b|"
    # "What is the main point of X?", "What does X conclude?", "What does X call for?", "What does the
    # mayor want the board to do?": what a writer or speaker argues for, in other words
    # ("What is the central case the former director makes?": a writer's case is what they argue)
    r"\b(?:main|central|chief|core|key)\s+(?:point|claim|message|conclusion|case)\b|\bthe\s+point\s+of\s+(?:the|this|that)\b|"
    # "What is the overall position X takes in her op-ed?": the stance a writer argues
    r"\b(?:overall|main|central|basic|general)\s+(?:position|stance|thrust|line\s+of\s+argument)\b|"
    r"\bconclu(?:de|des|ded|sion)\b|\bwhat\s+(?:should|must|ought\s+to)\s+(?!i\b|we\b|you\b)|"
    # "What does X think the board should do?", "What warning does X give?"
    r"\bwhat\s+(?:does|did|do)\b.{1,60}\b(?:think|believe|say)s?\b.{0,40}\b(?:should|must)\b|"
    r"\bwhat\s+(?:warnings?|advice|alternatives?|solutions?)\s+(?:does|did|do)\b|"
    # "What is X's case for the ban?", "What is the verdict of the review?"
    # ("When did the bloc bring *its case against* X?": an organisation's case is a lawsuit)
    r"(?<!\bits\s)(?<!\btheir\s)\bcase\s+(?:for|against)\b|\bverdict\b|\bcall(?:s|ed)?\s+for\b|\bwhat\s+(?:does|did|do)\b.{1,60}\bwants?\b.{1,40}\bto\s+do\b|"
    # "What does Ruth Kessane urge donors to do?", "What role does the analysis want the bank to play?",
    # "What role should the legal case play?"
    r"\bwhat\s+(?:\w+\s+)?(?:does|did|do)\b.{1,60}\burges?\b|"
    r"\bwhat\s+(?:role|part)\s+(?:does|did|do)\b.{1,60}\bwants?\b.{1,40}\bto\s+play\b|"
    r"\bwhat\s+(?:role|part)\s+(?:should|must)\b",
    _I,
)
_LIST = re.compile(
    r"^\s*(?:please\s+)?(?:list|enumerate|name)\b|\b(?:list|enumerate)\s+(?:the|all|every)\b"
    # "What does the claim cover?", "What is in the package?", "What does the accord provide for?": its contents
    r"|^\s*what\s+(?:does|do|did|will|would)\s+.{3,80}?\s+(?:cover|include|contain|comprise|provide\s+for)\s*\?*\s*$"
    r"|^\s*what\s+(?:is|was|will\s+be)\s+in\s+the\b"
    # "What are the demands ...?": things asked for by a plural
    r"|^\s*what\s+(?:are|were)\s+the\s+(?:main\s+|key\s+)?(?:demands|conditions|terms|steps|measures|"
    r"options|proposals|risks|reasons|changes|elements|components|provisions)\b"
    # "What are the three messages ...?": a count of things asked for
    r"|^\s*(?:what|which)\s+(?:are|were)\s+(?:the\s+)?(?:two|three|four|five|six|seven|\d+)\s+",
    _I,
)
_PLURAL_AFTER_WH = re.compile(
    r"^\s*(?i:which|what)\s+(?i:(?:two|three|four|five|six|\d+|main|key|other)\s+)?"
    r"(?:[A-Z]\w+\s+)?(\w+s|people|men|women|children)\b"
)
_VERBS_AFTER_WHAT = (
    "happens",
    "means",
    "makes",
    "remains",
    "seems",
    "matters",
    "causes",
    "explains",
    "lies",
    "counts",
    "qualifies",
)
_NOT_PLURAL = frozenset(
    [
        "is",
        "was",
        "does",
        "has",
        "this",
        "its",
        "his",
        "hers",
        "yes",
        "us",
        "as",
        "less",
        "across",
        "whereas",
        "thus",
        "perhaps",
        "news",
        "always",
        "unless",
        "series",
        *_VERBS_AFTER_WHAT,
    ]
)
_WH_HEAD = re.compile(r"^\s*(?:which|what)\s+(.+)$", re.IGNORECASE)
_AUX_WORD = re.compile(
    r"(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|might|may)$", re.IGNORECASE
)
# "What does the author of X argue": the author is who argues, not what is asked.
_AUTHOR_SUBJECT = re.compile(r"\b(?:does|did|do)\s+the\s+(?:author|writer)s?\b", re.IGNORECASE)
_YES_NO = re.compile(
    r"^\s*(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had|should|must)\b", _I
)
_WHY_HOW = re.compile(r"^\s*(?:why\b|how\b(?!\s+(?:many|much|long|old|often|far|big|large)\b))", _I)
_DEFINITION = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?:[\w“”\"'’.+&/-]+\s*){1,4}\??\s*$"
    r"|^\s*(?:define|what\s+does\s+.{1,40}\s+(?:mean|stand\s+for))\b"
    # "What counts as severe weather?", "What qualifies as a repair?": what the term covers
    r"|^\s*what\s+(?:counts|qualifies)\s+as\b",
    _I,
)
# "What was revenue in 2020?" asks for a value at a time, not what something is.
_NOT_DEFINITION = re.compile(r"\d|\b(?:in|during|after|before|since|by)\b", _I)
# A second question joined to the first: "..., and when ...", "...? What ...".
_AUX = r"(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should)"
_PART_BREAK = re.compile(
    rf"(?:,?\s+and\s+(?={_WH}\b)|,\s+and\s+(?={_AUX}\s+(?:the\s+)?[A-Za-z])|;\s+(?={_WH}\b|{_AUX}\b)|"
    r"\?\s+(?=[A-Z]))",
    _I,
)
_BOTH = re.compile(rf"^(?P<stem>{_WH}\b[^,]{{8,}}),\s+both\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$", _I)
MIN_PART_WORDS = 3  # "..., and why?" leans wholly on the first question: it is not a question of its own
# documents spoken of together ("the articles", "both op-eds")
DOCUMENTS_PLURAL = (
    r"(?:articles|documents|pieces|papers|reports|sources|texts|analyses|op-?eds|editorials|pages|briefs|essays|"
    r"commentaries)"
)
_ALL_DOCUMENTS = re.compile(
    # ("the two *Kessa* op-eds", "both *Ana Roe* articles": names of what they share may come first)
    r"\b(?:the|all|both|each|every|these|those)\s+(?:the\s+)?(?:two\s+|three\s+)?(?:[A-Z][\w’'-]*\s+){0,3}"
    # "the opinion pieces", "the 2021 and 2022 articles"
    rf"(?:opinion\s+|(?:19|20)\d\d\s+(?:and\s+(?:19|20)\d\d\s+)?)?{DOCUMENTS_PLURAL}\b|"
    r"\b(?:each|every)\s+(?:article|document|piece|page)\b|"
    # ("the authors", "both writers"; not "the Aldermoor authors", the co-authors of one piece)
    r"\b(?:the|all|both|each|every|these|those)\s+(?:the\s+)?(?:two\s+|three\s+)?(?:analysts|authors|writers)\b",
    _I,
)


@dataclass(frozen=True)
class QuestionKind:
    """What a question asks for.

    ``kind`` is one of ``KINDS``; ``field`` the metadata asked for (author, date, outlet, title, link) for a
    metadata question; ``parts`` the separate questions of a multi-part one (else the question alone);
    ``all_documents`` whether it is about every document ("the articles").
    """

    kind: str
    field: str | None = None
    parts: tuple[str, ...] = ()
    all_documents: bool = False
    # Every metadata field asked, ``field`` first: "Which paper ran it, and on what date?" asks two
    fields: tuple[str, ...] = ()


# The framing comes first ("Compare what the documents say about X"); a later "said about" is part of X.
# It may name its parties in twelve words ("Compare what the residents' article and the council report say
# about X").
# A stance asked of the documents frames it too: "Which article is more hopeful *about* X?".
_TOPIC = re.compile(
    r"^\s*(?:\S+\s+){0,12}?(?:say|says|said|write|report|agree|disagree|differ|compare|conclude|concludes|"
    r"think|thinks|stand|stands|land|lands|part\s+ways|(?:more|less|most|least)\s+\w+)\s+"
    r"(?:about|on|regarding|over|from|of|towards?)\s+(.+)$|"
    # "Do they differ *in how they read* X?", "differ in their assessment of X", "differ in judging X"
    r"^\s*(?:\S+\s+){0,12}?(?:differ|agree|disagree)\s+in\s+(?:how\s+(?:they|it)\s+\w+|(?:their\s+)?"
    r"(?:assessments?|judge?ments?|views?|readings?|accounts?|estimates?|treatment)\s+of|\w+ing)\s+(.+)$|"
    # "Do the analyses agree *that* X?"
    r"^\s*(?:\S+\s+){0,12}?(?:agree|disagree|accept|concede|deny)\s+that\s+(.+)$|"
    # "How do the articles *portray* X?": a verb of depiction takes its topic as its object
    r"^\s*(?:\S+\s+){0,12}?(?:portray|portrays|describe|describes|depict|depicts|characteri[sz]e|"
    r"characteri[sz]es|present|presents|treat|treats|view|views|frame|frames|cover|covers|discuss|discusses|"
    r"use|uses|judge|judges|assess|assesses|evaluate|evaluates|rate|rates|rank|ranks|interpret|interprets|"
    r"(?:make|makes|made)\s+of)\s+(?!of\s)(.+)$|"
    # "Contrast the views of X and Y on Z", "Compare the two reports' positions on Z"
    r"^\s*(?:\S+\s+){0,6}?(?:views?|positions?|stances?|opinions?|takes?)\s+(?:of\s+)?(?:\S+\s+){0,8}?"
    r"(?:on|about|regarding|over|towards?)\s+(.+)$",
    _I,
)


_POINTERS = frozenset({"it", "this", "that", "them", "these", "those", "him", "her"})


# "Taken together, ...", "Across the analyses, ...", "..., according to the brief and the op-ed": the framing
# of a question put to several documents around what is asked of each
_ACROSS = re.compile(
    r"^\s*(?:taken\s+together|across\s+(?:all\s+)?(?:the\s+)?(?:two\s+|three\s+)?\w+),\s*|"
    r",?\s+according\s+to\s+(?:the\s+|both\s+|each\s+)[^,?]*\??\s*$",
    _I,
)


def topic(question: str) -> str:
    """What a comparison is about, without its framing ("what do the documents say about X" -> "X")."""
    # "Across the analyses, when is the pipeline expected to open?": what is asked of each is the rest
    inner = _ACROSS.sub("", question).strip()
    m = _TOPIC.search(inner)
    found = next(g for g in m.groups() if g).strip(" ?.") if m else ""
    # one word is a topic ("about Lima"), unless it only points back ("about it")
    if len(found.split()) >= 2 or (found and found.casefold() not in _POINTERS):
        return found
    if inner != question.strip() and len(inner.split()) >= 3:
        inner = inner.strip(" ?.")
        return inner[0].upper() + inner[1:]
    return question


# "called on X to ...", "relied on": "on" belongs to the verb there, it does not say what the quote is about
_QUOTED_ON = re.compile(
    r"\b(?:about|(?<!called\s)(?<!calls\s)(?<!call\s)(?<!relied\s)(?<!relies\s)on|regarding|describing)\s+(.+)$",
    _I,
)


_SENTENCE_WHERE = re.compile(
    r"\b(?:sentences?|lines?|passages?|paragraph)\s+(?:where|in\s+which)\s+(.+)$", _I
)


def quoted_topic(question: str) -> str:
    """What a request for a quote is about ("Give me the exact words the analysis uses *about Chilean
    tariffs*" -> "Chilean tariffs"): the request's own words (quote, exact words, uses) match every sentence
    alike. The question itself when it says no "about"/"on"; "the sentence where X happens" is about all of
    "X happens" (its "about" is a detail of it)."""
    where = _SENTENCE_WHERE.search(question)
    if where:
        return where.group(1).strip(" ?.")
    m = _QUOTED_ON.search(question)
    found = m.group(1).strip(" ?.") if m else ""
    return found if found and found.casefold() not in _POINTERS else question


# "Which outlets does the report cite?", "Which officials are quoted in it?": the items are the sources a
# document names where it attributes words or figures to them, a publication or a person.
_CITES = re.compile(
    # "Which residents spoke at the meeting?": those a document quotes as speaking
    r"\b(?:cit(?:e|es|ed|ing)|quot(?:e|es|ed|ing)|draws?\s+on|rel(?:y|ies)\s+on|refer(?:s|red)?\s+to|"
    r"sp(?:oke|eak|eaks|oken)|talked)\b",
    _I,
)
_PUBLICATIONS = (
    r"(?:outlets?|newspapers?|papers?|media|publications?|agenc(?:y|ies)|magazines?|journals?|websites?|"
    r"sources?|studies|surveys?|polls?)"
)
_PEOPLE = (
    r"(?:officials?|people|persons|experts?|analysts?|leaders?|ministers?|diplomats?|politicians?|scholars?|"
    r"researchers?|spokes(?:man|men|woman|women|people|persons?)|individuals|figures|economists?|scientists?|"
    r"residents?|critics?|witnesses|participants|speakers|villagers|locals|members|voters|activists)"
)
_SOURCE_TYPE = re.compile(
    rf"^\s*(?:please\s+)?(?:which|what|list|name|who\s+(?:are|were))\s+(?:(?:the|all|any)\s+)?(?:[\w’'-]+\s+){{0,2}}?"
    rf"(?:(?P<publication>{_PUBLICATIONS})|(?P<person>{_PEOPLE}))\b",
    _I,
)


# "Which officials does it name?": people a document names, quoted or not
_NAMES = re.compile(r"\b(?:nam(?:e|es|ed)|mention(?:s|ed)?|refer(?:s|red)?\s+to)\b", _I)


def asks_sources(question: str) -> str | None:
    """ "publication" or "person" when the question asks which sources a document cites or quotes
    ("Which news outlets does it cite?", "Which officials are quoted?"), "named" when it asks which people
    it names ("Which officials are named in it?"); else None."""
    m = _SOURCE_TYPE.search(question)
    if m is None:
        return None
    if _CITES.search(question):
        return "publication" if m.group("publication") else "person"
    return "named" if m.group("person") and _NAMES.search(question) else None


# "Compare the affiliations of the authors", "What is the writer's background?": about the people who wrote
# the documents, which their author boxes say, not about the documents' subject or their bylines.
_AUTHOR_PROFILE = re.compile(
    r"\b(?:affiliat\w*|background|biograph\w*|credentials|expertise|employers?|institutions?|"
    r"works?\s+(?:for|at)|positions?|jobs?|careers?)\b",
    _I,
)
_AUTHORS = re.compile(r"\b(?:author|writer|analyst)s?\b|\b(?:authors|writers|analysts)['’]", _I)


def asks_about_authors(question: str) -> bool:
    """Whether the question asks about the documents' authors themselves (affiliation, background)."""
    return bool(_AUTHORS.search(question) and _AUTHOR_PROFILE.search(question))


# "How do the pages judge X?", "How do their verdicts differ?", "What position do they take on X?", "Where does
# each piece land on X?", "What do they make of X?", "Do they agree that X is a bluff?": each document's verdict
# on X is asked for, which is a sentence that judges (``summaries.JUDGING``) more than one that reports X
_JUDGEMENT = re.compile(
    r"\bjudg(?:e|es|ed|ing|ements?|ments?)\b|\bverdicts?\b|\bview(?:s|ed)?\b|\bmake\s+of\b|"
    r"\bassess(?:es|ed|ing|ments?)?\b|\b(?:positions?|stances?)\b|\bstand\s+on\b|\bland\s+on\b|"
    r"\bcharacteri[sz](?:e|es|ed|ing)\b|\bthink\s+of\b|\bopinions?\b|\bagree\b.{0,80}\b(?:whether|that|is|was)\b|"
    r"\bhow\s+(?:convincing|fair|reasonable|serious|strong|credible|justified|sound|persuasive)\b",
    _I,
)


def asks_judgement(question: str) -> bool:
    """Whether the question asks how a document judges something (its verdict), not what it reports."""
    return bool(_JUDGEMENT.search(question))


def asks_argument(question: str) -> bool:
    """Whether the question asks what someone argues, recommends or advises."""
    return bool(_ARGUMENT.search(question))


def split_parts(question: str) -> tuple[str, ...]:
    """The questions joined in ``question`` ("Who built it and when ...?"), each as its own question."""
    both = _BOTH.match(question.strip())
    if both:  # "How did X change, both after A and in B?" asks it of A and of B
        stem = both.group("stem")
        return (f"{stem} {both.group('a')}?", f"{stem} {both.group('b').rstrip(' ?.')}?")
    pieces = [p.strip(" ,;") for p in _PART_BREAK.split(question.strip()) if p and p.strip(" ,;?")]
    parts = []
    for piece in pieces:
        text = piece if piece.endswith("?") else piece + "?"
        parts.append(text[0].upper() + text[1:])
    if len(parts) < 2 or any(len(p.split()) < MIN_PART_WORDS for p in parts):
        return (question.strip(),)
    return tuple(parts)


def plural(word: str) -> bool:
    """Whether ``word`` looks like a plural noun ("outlets", not "news", "its" or "happens")."""
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "'s", "’s")) and w not in _NOT_PLURAL


# Plurals without an "s": "Which *people* criticised the plan?" asks for a list as "Which officials" does.
_IRREGULAR_PLURALS = frozenset(["people", "men", "women", "children", "persons"])


# "Who are the bidders?", "Who were the speakers at X?": the people of a plural, as "Which bidders ..."
_WHO_ARE_THE = re.compile(r"^\s*who\s+(?:are|were)\s+the\s+([\w’'-]+)(?:\s+([\w’'-]+))?", _I)


# "According to X and Y, what steps has ...?", "Into what packages does ...?": what comes before the question word
_LEAD_IN = re.compile(
    r"^\s*(?:according\s+to\s+[^,?]{1,80},\s*|(?:in|into|on|for|from|to|with|at|by|under)\s+"
    # ("On what grounds ...?", "For what reasons ...?" ask why)
    r"(?=(?:which|what)\s+(?!grounds\b|reasons?\b|basis\b|purposes?\b)))",
    _I,
)


def _asks_list(question: str) -> bool:
    for _ in range(2):
        question = _LEAD_IN.sub("", question, count=1)
    if _LIST.search(question):
        return True
    who = _WHO_ARE_THE.search(question)
    if who and any(plural(w) for w in who.groups() if w):
        return True
    m = _PLURAL_AFTER_WH.search(question)
    if m and plural(m.group(1)):
        return True
    # "Which news outlets does ...", "What trade figures ... does": a plural among the first words of what
    # is asked for, before its verb.
    words = _WH_HEAD.match(question)
    if not words:
        return False
    head = []
    for word in words.group(1).split()[:3]:
        if _AUX_WORD.match(word):
            break
        head.append(word)
    return any(plural(w) for w in head[1:])  # the first word alone is the rule above


# "Do the articles say how many residents were resettled?": the question inside is what is asked, of them all
_FRAMED = re.compile(
    r"^\s*(?:do|does|did)\s+(?:any\s+of\s+)?(?:the\s+)?(?:two\s+|three\s+)?(?:articles?|documents?|pages?|pieces?|"
    r"analys[ie]s|sources?|reports?|texts?|they|it)\s+(?:say|mention|state|tell\s+(?:us|me)|give|explain|report|"
    r"reveal|specify|indicate)\s+(?=(?:how|what|when|where|who|which|why)\b)",
    _I,
)


def classify(question: str) -> QuestionKind:
    """The kind of ``question`` (first matching rule wins, in the order of the checks below)."""
    text = " ".join(question.split())
    all_documents = bool(_ALL_DOCUMENTS.search(text))
    framed = _FRAMED.match(text)
    if framed and len(text[framed.end() :].split()) >= MIN_PART_WORDS:
        rest = text[framed.end() :]
        inner = classify(rest[0].upper() + rest[1:])
        # (answered from whichever document says it, as the question inside it would be)
        return QuestionKind(inner.kind, inner.field, (text,), inner.all_documents, inner.fields)
    parts = split_parts(text)
    # Two questions of different kinds ("Who wrote it, and what does it recommend?") are each answered as
    # their own kind; two of one kind (two facts) may still be one metadata or comparison question.
    if len(parts) > 1 and len({(k.kind, k.field) for k in map(classify, parts)}) > 1:
        return QuestionKind("multi_part", parts=parts, all_documents=all_documents)
    if asks_about_authors(text):
        # what the author boxes say: several documents' authors are compared, one author's is a fact
        kind = "comparison" if all_documents or _COMPARISON.search(text) else "fact"
        return QuestionKind(kind, parts=(text,), all_documents=all_documents)
    for field, pattern in _METADATA:
        if pattern.search(text) and not (field == "author" and _AUTHOR_SUBJECT.search(text)):
            more = tuple(f for f, tail in _ANOTHER_FIELD if f != field and tail.search(text))
            return QuestionKind(
                "metadata", field=field, parts=(text,), all_documents=all_documents, fields=(field, *more)
            )
    if _SUMMARY.search(text):
        return QuestionKind("summary", parts=(text,), all_documents=all_documents)
    if (
        _COMPARISON.search(text)
        or ((all_documents or _TWO_PARTIES.search(text)) and _DEPICTS.search(text))
        or _DOCUMENTS_SAY.search(text)
    ):
        # "How do the articles portray X?", "How do the report and the op-ed treat X?": how each document
        # depicts it, side by side
        return QuestionKind("comparison", parts=(text,), all_documents=all_documents)
    if len(parts) > 1:
        return QuestionKind("multi_part", parts=parts, all_documents=all_documents)
    if asks_sources(text):
        kind = "list"  # "Which experts does it quote?" asks for the people quoted, not for their words
    elif _QUOTE.search(text):
        kind = "quote"
    elif _CAUSE_ASKED.search(text):
        kind = "why_how"
    elif _ARGUMENT.search(text):
        kind = "argument"
    elif _asks_list(text):
        kind = "list"
    elif _YES_NO.search(text):
        kind = "yes_no"
    elif _DEFINITION.search(text) and not _NOT_DEFINITION.search(text):
        kind = "definition"
    elif _WHY_HOW.search(text):
        kind = "why_how"
    else:
        kind = "fact"
    return QuestionKind(kind, parts=(text,), all_documents=all_documents)
