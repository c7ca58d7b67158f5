"""Cheap checks that a sentence can answer a question at all, used by the extractive generator.

Similarity alone cannot tell "Nordline is poised to sell thirty-two Lu-9 ferries" from an answer to "How much
would the ferries cost?": both are about the ferries. Classic question answering adds two checks, kept here:
- the expected answer type: a "when" question needs a date, a "how many" question a number, a "how much
  does it cost" question an amount of money; a question that names a year needs that year;
- the question's names: a name the question asks about (Germany, the Harbour Authority) that no retrieved passage
  mentions means the passages are about something else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Container, Mapping, Sequence

from ...index import lexical
from ..question_kinds import CAUSE_WORDS, DOCUMENTS_PLURAL
from ..scoping import PIECE_WORDS, WRITER_WORDS
from ..synonyms import COUNTED_NAMES

_FULL_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTH_NAMES = frozenset(_FULL_MONTHS.split("|"))
_SHORT_MONTHS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_MONTHS = f"{_FULL_MONTHS}|{_SHORT_MONTHS}"  # (matched without regard to case)
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)s?\b")
# (a month is written with its capital: "may eventually", "march on" are no dates)
_DATE = re.compile(
    rf"\b(1[6-9]\d\d|20\d\d)s?\b|\b((?-i:{_MONTHS}))\b\.?|\b\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    "sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|dozens|percent|half"
)
# (with the teens, for amounts and spans written in words: "eighteen months", "fifteen pounds")
_COUNT_WORDS = f"{_NUMBER_WORDS}|(?:thir|four|fif|six|seven|eigh|nine)teen"
# (a digit inside a code, "KT-200" or "A320", counts nothing)
# ("It is the third strike this year": an ordinal says how many so far)
_QUANTITY = re.compile(
    rf"(?<![\w-])\d|\b({_NUMBER_WORDS}|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b|%",
    re.IGNORECASE,
)
_CURRENCIES = r"(dollars?|euros?|rubles?|roubles?|rials?|pounds?|yuan)"
_MONEY = re.compile(
    rf"[$€£¥₽]\s?\d|\b\d[\d,.]*\s?{_CURRENCIES}\b|"
    # "a charge of eight pounds", "twenty-five euros"
    rf"\b(?:{_COUNT_WORDS})(?:[\s-]+(?:{_NUMBER_WORDS}))*\s+{_CURRENCIES}\b|"
    # "raised 3 million in funding" (not "28 million people", "6 million doses": a count of things, which a
    # currency's name, known or not, is not: "8.3 billion halvers")
    r"\b(million|billion|trillion)\b(?![\s-]+(?:[a-z]+[\s-]+)?(?:people|persons|residents|citizens|inhabitants|users|"
    r"customers|subscribers|voters|households|homes|families|children|pupils|students|patients|workers|jobs|members|"
    r"passengers|visitors|tourists|travell?ers|migrants|refugees|animals|birds|fish|trees|vehicles|cars|trucks|"
    r"tonnes|tons|barrels|doses|vaccines|units|copies|items|pieces|devices|phones|bags|boxes|bottles|litres|liters|"
    r"gallons|cubic|square|hectares|acres|kilometres|kilometers|miles|metres|meters|kilowatt|megawatt|watts|"
    r"kilowatts|megawatts|gigawatts|hours|days|years|times|words|views|downloads|visits|calls|messages|"
    r"trips|journeys|flights|rides|meals|cases|infections|deaths|votes|signatures|shares)\b)",
    re.IGNORECASE,
)

_ASKS_DATE = re.compile(
    r"^\s*(when\b|(in|by|since|until|on|from)\s+(what|which)\s+(year|month|date|day)\b|what\s+(year|date|month)\b|"
    r"which\s+(year|month|date)\b)",
    re.IGNORECASE,
)
_ASKS_MONEY = re.compile(
    r"\b(cost|costs|price(?!\s+(?:war|wars|competition|cuts?|rises?|increases?|pressure|controls?)\b)|priced|worth(?!\s+(?:it\b|\w+ing\b))|paid|"
    # ("What pay rise did the firm offer?" asks a rise, said as "4 percent" as often as in money)
    r"pay(?!\s+(?:rises?|raises?|increases?|cuts?|deals?|dispute|talks|claims?|offers?|gap|freeze))|value|"
    r"how\s+much\s+(?:\w+\s+)?(?:money|cash|funding)|"
    # "How large was trade in 2020 *in dollars*?": a size asked for in money
    r"in\s+(?:dollars|euros|pounds|sterling|yen|yuan|rubles|roubles|francs|rupees|US\s+dollars))\b",
    re.IGNORECASE,
)
# "What number do I ring?", "the phone number for bookings": a number to call, written in digits
_ASKS_PHONE = re.compile(
    r"\bwhat\s+(?:(?:phone|telephone|contact)\s+)?number\s+(?:do|should|can|could|would|must|will)\s+\w+\s+"
    r"(?:ring|call|dial|text|phone|use)\b|\b(?:phone|telephone|contact|helpline|emergency)\s+number\b|"
    r"\bnumber\s+to\s+(?:ring|call|dial|text)\b",
    re.IGNORECASE,
)
# What comes right before a short number to call: "calling 105", "dial 999", "Emergency number: 112"
_CALLED = re.compile(
    r"\b(?:call(?:ing|s)?|ring(?:ing|s)?|dial(?:ling|s)?|phon(?:e|ing)|text(?:ing)?|tel(?:ephone)?|number|"
    r"line)\W*$",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\d.,£$€])\b(?!(?:1[6-9]|20)\d\d\b)\d{3,}(?:[\s-]\d{2,})*\b(?![.,]\d)")
_ASKS_QUANTITY = re.compile(
    r"\bhow\s+(many|much)\b|\b(number|amount|capacity|percentage|share)\s+of\b|"
    # "What is the exchange rate / the pollen count / the population?": a figure
    r"\bwhat\s+(?:is|was|are|were|will\s+be)\s+the\s+(?:[\w-]+\s+){0,2}?(?:rate|population|score|count|"
    r"magnitude|total|tally|turnout|attendance)\b|\bwhat\s+(?:magnitude|score|population|turnout)\b|"
    r"\bwhat\s+(percentage|share|proportion)\b|\b(?:what|which)\s+(?:\w+\s+)?(?:figures|numbers|statistics)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w’'-]*[\w])")
NOT_NAMES = frozenset(
    {
        "I",
        "What",
        "Who",
        "When",
        "Where",
        "Why",
        "How",
        "Which",
        "Did",
        "Does",
        "Do",
        "Is",
        "Was",
        "Were",
        "Are",
        "According",
        "The",
        "A",
        "An",
        "In",
        "On",
        "Of",
    }
)


# "Quote the words on *the cost of* the jets": an amount asked for, whatever the question's shape
# "How much is X *paying* for ...", "how much did it *spend*": an amount of money, not a count of things
_HOW_MUCH_MONEY = re.compile(
    r"\bhow\s+much\b(?!\s+(?:more|less|longer|further|of)\b).*\b(?:pay(?:s|ing)?|paid|spen[dt]\w*|cost(?:s|ing)?|"
    r"charg(?:e|es|ed|ing)|earn\w*|invest\w*|sell(?:s|ing)?\b.*\bfor|sold\b.*\bfor|bought\b.*\bfor|raised?|raising|"
    # "How much was the council's loan?": a sum of money by its name
    r"loans?|grants?|fees?|fines?|salary|salaries|wages?|budgets?|subsid(?:y|ies)|donations?|fares?|rent|"
    r"debts?|bonus(?:es)?|prizes?|fund(?:s|ing)?|tax(?:es)?|bills?|compensation|damages)\b",
    re.IGNORECASE,
)
# "What share / percentage / proportion of X ...": a part of a whole, said as one ("40 percent", "a third")
_ASKS_SHARE = re.compile(
    # ("Which part of Valdoria ...?" asks a place)
    r"\b(?:what|which)\s+(?:share|percentage|proportion|fraction|part(?=\s+of\s+(?-i:[a-z])))\s+of\b|"
    # "What percentage discount ...?", "By what percentage ...?": a percentage, whatever it is of
    r"\bwhat\s+percentage\b|"
    # "What turnout did the commission announce?": a share of the voters
    r"\bwhat\s+(?:[a-z]+\s+)?turnout\b|"
    r"\bhow\s+(?:big|large)\s+a\s+share\b|"
    # "What interest rate would the bank charge?": a rate said as a share of the sum (not "$250 million")
    r"\bwhat\s+(?:[a-z]+\s+)?(?:interest|inflation|unemployment|growth|tax|vacancy|discount)\s+rate\b",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"%|\bper\s?cent\b|\bpercentage\b|\b(?:a|one|two)[\s-](?:half|halves|third|thirds|quarter|quarters|fifth|fifths|"
    r"tenth|tenths)\b|\bhalf\b|"
    # "one in five", "3 out of 10" (not "finished in 2009": a year is no whole)
    rf"\b(?:\d+|{_COUNT_WORDS})\s+(?:in|out\s+of)\s+(?:every\s+)?(?:(?!(?:1[6-9]|20)\d\d\b)\d+|ten|five|four|three|"
    r"hundred)\b|"
    r"\bmajority\b|\bminority\b|"
    # (a rate asked: "interest-free", "at zero interest", "no interest" state it too)
    r"\binterest[\s-]free\b|\b(?:zero|no)\s+interest\b",
    re.IGNORECASE,
)
# "What will the grant pay for?", "What was the money spent on?": what the money buys, not how much it is
# "How much is a staff parking permit?", "How much are the tickets each?": the price of one
_PRICE_OF_ONE = re.compile(
    r"^\s*how\s+much\s+(?:is|are|was|were|will\s+be)\s+(?:a|an|one|each)\s+", re.IGNORECASE
)
# ("Under the plan, what would ...": a setting may come first; "..., per the Wexley analysis?": where the answer
# is said may follow)
_PAID_WHAT = re.compile(
    r"(?:^\s*|,\s*)what\b.*\b(?:pay|paid|spend|spent|used)\s+(?:for|on)\s*(?:,\s*(?:according\s+to|per|in|says?)\b[^?]*)?"
    r"[?.!]*$",
    re.IGNORECASE,
)
# A question whose asked thing is no amount, though it speaks of paying or costs: "What <changes / warning /
# course> ...", a manner ("How does / should ..."), a cause ("What has pushed up ..."), "Do they agree that ..."
_ASKS_OTHER_THAN_AMOUNT = re.compile(
    r"^\s*(?:(?:according\s+to|in)\s+[^,]{1,60},\s*)?(?:"
    r"(?:what|which)\s+(?!(?:prices?|costs?|fees?|sums?|amounts?|figures?|totals?|bills?|rents?|salar(?:y|ies)|"
    r"wages?|fines?|charges?|tariffs?|tolls?|budgets?|fares?|money|funding|compensation|payments?|valuations?|"
    r"damages|subsid(?:y|ies)|grants?|loans?|debts?|levels?|rates?|price\s+tag)\b)[a-z]+s?\s+"
    r"(?:did|does|do|is|are|was|were|has|have|will|would|should)\s+(?:the\s+)?(?:N\b|[a-z])|"
    r"how\s+(?:does|do|did|should|would|could|can|will|is|are|was|were)\s+(?!it\s+cost\b)|"
    r"what\s+(?:has|have|had)\s+(?:pushed|driven|caused|led|forced)\b|"
    r"(?:do|does|did)\s+.{1,80}\bagree\b)"
    # "What is X's main case about *who should carry the cost* of ...?": who pays, not how much, wherever asked
    r"|\bwho\s+(?:should|must|would|will|ought\s+to|is\s+to|has\s+to)\s+(?:carry|bear|pay|meet|cover|foot|shoulder)\b",
    re.IGNORECASE,
)
_THE_COST = re.compile(r"\b(?:the|its|their)\s+(?:cost|price)s?\s+of\b", re.IGNORECASE)


# "In which month ...", "what year", "on what day": a date as fine as asked; a year does not give the month
# ("On what *date* ...?" asks the day: a month or a year alone does not give it)
_ASKS_UNIT = re.compile(r"\b(?:what|which)\s+(month|year|day|weekday|date)\b", re.IGNORECASE)
_NUMERIC_DATE = r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
# ("May" alone is a verb as often as a month: a month only before a day, "of" or a comma)
_A_MONTH = _FULL_MONTHS.replace("May", r"May(?=\s+\d|\s+of\b|,)")
_MONTH_NAME = re.compile(rf"\b(?:{_A_MONTH}|(?:{_SHORT_MONTHS})\.?(?=\s*\d))\b|{_NUMERIC_DATE}")
_DAY = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)s?\b|"
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_FULL_MONTHS})\b|{_NUMERIC_DATE}"
)
# "Where was the treaty signed?": the place of an event, said after "in", "at", "near" ... with a name ("in
# Lyon", "at the Hotel Vega"); a sentence that says only who signed it does not say where. Not where someone
# lives, works or is from (a state, said as "Location: Lisbon" or "works for Acme" as often), nor "Where does X
# stand on Y?", which asks a position.
_ASKS_PLACE = re.compile(
    r"^\s*where\s+(?:was|were|did|will|would|has|have|had)\b"
    # ("Where have guards found lirenol hidden?": in crates, in fuel tanks: a spot, seldom a named place)
    r"(?!.*\b(?:stand|lead|go\s+from|live[sd]?|work(?:s|ed)?|stud(?:y|ied)|based|born|from|hidden|concealed|"
    r"stashed|tucked|stored|kept)\b)|"
    # "Which town does he live in?": a place by its name ("of Bradford" as well as "in Bradford")
    r"^\s*(?:in\s+)?(?:which|what)\s+(?:town|city|village|country|county|region|island)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    rf"\b(?i:in|at|near|outside|inside|across|around|throughout|from)\s+(?:(?i:the)\s+)?(?!(?i:{_MONTHS})\b)[A-Z][\w’'-]+"
    # "Alan Lowther, 67, of Bradford": where someone lives
    r"|,\s+(?i:of)\s+[A-Z][\w’'-]+"
    r"|\b(?i:here|there|abroad|locally|nationwide|at\s+home|on\s+site)\b"
    # "on Mill Street", "on the Harbour Road"
    r"|\b(?i:on|off)\s+(?:(?i:the)\s+)?(?:[A-Z][\w’'-]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Square|Drive|"
    r"Way|Boulevard|Place|Hill|Quay|Row|Terrace|Close|Crescent|Parade|Embankment|Wharf|Green|Island|Coast)\b"
)
# "How long will the repairs take?", "how long did the strike last?", "for how long": a span of time, not a
# length ("How long is the bridge?" names no verb of time and is left alone).
_ASKS_DURATION = re.compile(
    r"^\s*(?:for\s+)?how\s+long\b(?=.*\b(?:take[sn]?|took|last(?:s|ed)?|stay(?:s|ed)?|remain(?:s|ed)?|wait(?:s|ed)?|"
    r"been|ago|spen[dt]|spends|serve[sd]?|run|ran|keep|kept|continue[sd]?|go\s+on|went\s+on)\b)"
    r"|^\s*for\s+how\s+long\b"
    # "How long did she study painting?", "how long has he lived there": any verb after did/has
    r"|^\s*how\s+long\s+(?:did|does|do|has|have|had)\b"
    # "How much advance warning / notice / time ...": a span of time ("72 hours' notice", "a week's warning")
    r"|^\s*how\s+much\s+(?:(?:advance|prior|lead|more|extra|additional|flying|travel|journey|waiting)\s+){0,2}"
    r"(?:warning|notice|time)\b",
    re.IGNORECASE,
)
# "How long will the bridge be?", "how tall is the tower", "how far is it": a measure of size or distance
_ASKS_MEASURE = re.compile(
    r"^\s*how\s+(long|tall|high|wide|deep|far|heavy)\s+(?:is|was|are|were|will|would|does|do)\b",
    re.IGNORECASE,
)
_UNITS = (
    r"(?:(?:kilo|centi|milli)?met(?:re|er)s?|km|cm|mm|m|miles?|feet|foot|ft|yards?|inches|inch|storeys|stories|"
    r"floors|(?:kilo)?grams?|kg|tonnes?|tons?|pounds|lbs?)\b"
)
_MEASURE = re.compile(
    rf"\b\d[\d,.]*[\s-]*{_UNITS}|"
    rf"\b(?:{_COUNT_WORDS}|a|an)[\s-]+{_UNITS}|"
    # "a ten-minute walk away": a distance told by the time it takes
    r"\b(?:minute|hour)s?['’]?[\s-]+(?:walk|drive|ride|cycle|journey)\b",
    re.IGNORECASE,
)
# "When is the sun strongest?", "when does the shop open?": what happens every day or every year is answered
# by a time of day or a season as well as by a date
_ASKS_HABIT = re.compile(r"^\s*when\s+(?:is|are|does|do|should|can)\b", re.IGNORECASE)
_SEASON = re.compile(r"\b(?:spring|summer|autumn|fall|winter|weekends?|weekdays?|nights?)\b", re.IGNORECASE)
# "How fast does the drone fly?": a speed; "How old was she?": an age
_ASKS_SPEED = re.compile(r"^\s*(?:at\s+)?(?:how\s+fast|what\s+(?:top\s+)?speed)\b", re.IGNORECASE)
_SPEED = re.compile(
    r"\b\d[\d,.]*\s*(?:km/h|kph|mph|knots|m/s)|"
    # "80 kilometres an hour", "half a metre a day", "2 cm per week": a distance in a time
    rf"\b(?:\d[\d,.]*|{_COUNT_WORDS}|half\s+an?|an?)[\s-]*{_UNITS}\s+(?:an?|per|each|every)\s+"
    r"(?:second|minute|hour|day|week|month|year)\b",
    re.IGNORECASE,
)
_ASKS_AGE = re.compile(
    r"^\s*(?:how\s+old|at\s+what\s+age|what\s+age)\b"
    # "What is the minimum age for volunteer drivers?", "Is there an age limit?": an age all the same
    r"|\b(?:minimum|maximum|lowest|youngest|oldest|min\.?|max\.?)\s+age\b|\bage\s+(?:limit|requirement|restriction)s?\b",
    re.IGNORECASE,
)
_AGE = re.compile(
    rf"\baged?\s+(?:\d+|{_NUMBER_WORDS})|\b(?:\d+|{_NUMBER_WORDS})[- ]years?[- ]old\b|,\s*\d{{1,3}},|"
    # "over-18s", "under 16", "18 or over", "21+": an age limit
    r"\b(?:over|under)[\s-]+\d{1,2}s?\b|\b\d{1,2}\s*\+|\b\d{1,2}\s+(?:or|and)\s+(?:over|older|above|under|younger)\b|"
    r"\b(?:in\s+(?:his|her|their)\s+(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b|"
    # the age of a thing, by when it was made: "built before 1990", "commissioned in 1978", "dating from 1961"
    r"\b(?:built|made|launched|commissioned|constructed|laid\s+down|dat(?:es|ing)\s+(?:back\s+)?(?:to|from))\s+"
    r"(?:(?:in|before|around|after|since|by)\s+)?(?:the\s+)?(?:1[6-9]|20)\d\d",
    re.IGNORECASE,
)
# "How often will the bus run?": a frequency ("every 20 minutes", "twice a day", "weekly"), which a sentence
# that only says the bus runs does not give
_ASKS_FREQUENCY = re.compile(
    r"^\s*how\s+(?:often|frequently)\b|\bhow\s+many\s+times\s+(?:a|an|per|each)\b", re.I
)
_FREQUENCY = re.compile(
    r"\bevery\b|\beach\s+(?:day|night|week|month|year|morning|evening|hour)\b|\b(?:once|twice|thrice)\b|"
    rf"\b(?:\d+|{_NUMBER_WORDS}|several|many|few)\s+times\b|"
    r"\b(?:hourly|daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually|biannually)\b|"
    r"\b(?:an?|per)\s+(?:hour|day|night|week|fortnight|month|year)\b|\bminutes?\s+apart\b|\bintervals?\b|"
    r"\b(?:always|never|rarely|seldom|often|frequently|occasionally|sometimes|regularly|usually)\b",
    re.IGNORECASE,
)
# "What time does the shop open?": a time of day
_ASKS_TIME = re.compile(
    # "What are the pool's opening hours?", "What hours does the zone operate?": times of day too
    r"^\s*(?:at\s+)?what\s+time\b|\bopening\s+(?:hours|times)\b|^\s*what\s+hours\b|\bwhat\s+are\s+the\s+hours\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)|\b\d{1,2}:\d\d\b|\bo['’]clock\b|\b(?:noon|midday|midnight|"
    r"dawn|dusk|sunrise|sunset)\b|\b(?:in\s+the|this|each|every)\s+(?:morning|afternoon|evening)\b|"
    rf"\b(?:{_NUMBER_WORDS})\s+(?:in\s+the\s+(?:morning|evening|afternoon)|at\s+night)\b",
    re.IGNORECASE,
)
_DURATION = re.compile(
    # "three long weeks"; "30 | Seconds", a table row's value and the unit its next cell names. Not "twice a
    # day" (how often) nor "33,000 last year" (when).
    rf"(?<!once )(?<!twice )(?<!times )\b(?:\d[\d,.]*|an?|{_COUNT_WORDS}|"
    r"several|few|many|some|couple\s+of)(?:[\s|-]+(?:long|more|full|further|whole|straight|consecutive|extra|short))?"
    r"[\s|-]+"
    r"(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|nights?|seasons?|terms?)\b"
    r"|\b(?:until|till|since|indefinitely|permanently|for\s+good|overnight)\b",
    re.IGNORECASE,
)
_UNIT_FITS = {
    "month": _MONTH_NAME,
    "year": _YEAR,
    "day": _DAY,
    "place": _PLACE,
    "duration": _DURATION,
    "measure": _MEASURE,
    "length": re.compile(f"{_MEASURE.pattern}|{_DURATION.pattern}", re.IGNORECASE),
    "time": _CLOCK,
    "speed": _SPEED,
    "age": _AGE,
    "frequency": _FREQUENCY,
}
_WHEN = (_CLOCK, _SEASON, _DAY)


# Every kind of thing ``expected_type`` may ask for (an abstention names the one missing: ``extractive_kinds``)
ANSWER_TYPES = frozenset(
    {
        "date",
        "month",
        "year",
        "day",
        "phone",
        "when",
        "duration",
        "speed",
        "age",
        "frequency",
        "length",
        "measure",
        "time",
        "place",
        "money",
        "share",
        "quantity",
    }
)


# Someone's words or view on a question asked inside the question: "What did X say about how much ...?"
_ASKS_WORDS_ON = re.compile(
    r"^\s*what\s+(?:did|does|do|has|have|had)\s+.{1,60}?\b(?:say|said|think|argue|believe|claim|tell|told|"
    r"feel|write|wrote)\s+(?:about|on|regarding)\s+(?:how|when|where|why|whether|what|which|who)\b",
    re.IGNORECASE,
)


_SAID_ABOUT = re.compile(
    r"^\s*what\s+(?:did|does|do|has|have|had)\s+.{1,80}?\b(?:say|said|tell|told|write|wrote)"
    # ("What did Vellin say *in April* about his government's willingness to pay ...?": when, then what about)
    r"(?:\s+(?:about|on|regarding)|(?:\s+[\w’',-]+){1,5}?\s+(?:about|regarding))\b",
    re.IGNORECASE,
)
# "What was Orsak's line to reporters about the cost of ...?", "What remark by X on the cost ...": words asked
# for by the name of what was said
_WORDS_BY_NAME = re.compile(
    r"^\s*what\s+(?:(?:was|is|were|are)\s+.{1,60}?[’']s?\s+|(?:\w+\s+)?)(?:line|remark|comment|quip|"
    r"words|retort|soundbite|quote|quotation)s?\b",
    re.IGNORECASE,
)
_HOW_MUCH_WEIGHT = re.compile(
    r"\bhow\s+much\s+(?:weight|importance|attention|credence|emphasis|faith|trust|stock|significance)\b",
    re.IGNORECASE,
)
_ASKS_CHANGE = re.compile(r"\bwhat\b.{0,40}\bhappen(?:ed|s)?\s+to\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def expected_type(question: str) -> str | None:
    """ "date", "month", "year", "day" (a date at least that fine), "phone" (a number to call), "duration" (a span of time), "measure"
    (a size or distance), "length" (either), "time" (of day), "money",
    "share" (a part of a whole), "quantity" or None (anything goes)."""
    if _ASKS_WORDS_ON.search(question) or _SAID_ABOUT.search(question) or _WORDS_BY_NAME.search(question):
        # "What did Solberg say about how much the car park is used?", "... about the cost dispute?" want her
        # words, any
        return None
    if _ASKS_CHANGE.search(question):
        return None  # "What happened to the price of rice?": a change ("doubled"), in figures or not
    if _HOW_MUCH_WEIGHT.search(question):
        return None  # "How much weight do the pieces give to X?": how much it matters, in words
    unit = _ASKS_UNIT.search(question)
    if unit:
        return unit.group(1).casefold().replace("weekday", "day").replace("date", "day")
    if _ASKS_PHONE.search(question):
        return "phone"
    if _ASKS_HABIT.search(question):
        return "when"
    if _ASKS_DATE.search(question):
        return "date"
    if _ASKS_DURATION.search(question):
        return "duration"
    if _ASKS_SPEED.search(question):
        return "speed"
    if _ASKS_AGE.search(question):
        return "age"
    if _ASKS_FREQUENCY.search(question):
        return "frequency"
    measure = _ASKS_MEASURE.search(question)
    if measure:  # "How long is the film?" is a span of time as often as "how long is the bridge" a length
        return "length" if measure.group(1).casefold() == "long" else "measure"
    if _ASKS_TIME.search(question):
        return "time"
    if _ASKS_PLACE.search(question):
        return "place"
    # (a name is no word of money: "What did Anwen Price say?", "Who is Grace Worth?")
    named = names(question)
    question = re.sub(rf"\b(?:{'|'.join(map(re.escape, named))})\b", "N", question) if named else question
    # "How can I pay for parking?" asks a way, not an amount
    if _PAID_WHAT.search(question) or _ASKS_HOW_TO.match(question):
        return None
    if _HOW_MUCH_FIGURE.search(question):
        return "money"
    if _ASKS_SHARE.search(question):
        return "share"  # "What share of mission costs does each member pay?": a part, said in percent
    if _ASKS_OTHER_THAN_AMOUNT.search(question):
        # "What changes does the op-ed want before donors pay?", "How does X hurt its chances of getting the
        # insurers to pay?", "What has pushed up the cost of pilots?": words of money around another question
        return None
    if (
        _THE_COST.search(question)
        or _HOW_MUCH_MONEY.search(question)
        or (
            _ASKS_MONEY.search(question)
            # (the question's own "what" or "how", not one inside a clause: "opaque about how it calculates
            # its costs")
            and (
                _ASKS_QUANTITY.search(question) or re.search(r"(?:^|[,;:])\s*(?:what|how)\b", question, re.I)
            )
        )
    ):
        return "money"
    if _PRICE_OF_ONE.search(question):
        return "money"
    if _ASKS_QUANTITY.search(question):
        return "quantity"
    return None


# "How deep is the harbour?": the dimension a measure must be said to be of ("dredged to a depth of 14 metres",
# "14 metres deep"), not another one of the same things ("a 42-kilometre connector")
_DIMENSIONS = {
    "deep": r"deep|depth|draught|draft",
    "tall": r"tall|high|height",
    "high": r"tall|high|height|altitude",
    "wide": r"wide|width|across|breadth",
    "heavy": r"heavy|weigh\w*",
}
DIMENSION_REACH = 40  # characters from a measure's number to the word that says which dimension it is


def states_dimension(sentence: str, question: str) -> bool:
    """Whether ``sentence`` says a "how deep / tall / wide / high / heavy" question's dimension beside a
    number (a length says nothing of depth); other questions: True."""
    m = _ASKS_MEASURE.search(question)
    if m is None or m.group(1).casefold() not in _DIMENSIONS:
        return True
    said = re.compile(rf"\b(?:{_DIMENSIONS[m.group(1).casefold()]})\b", re.IGNORECASE)
    return any(
        said.search(sentence, max(0, n.start() - DIMENSION_REACH), n.end() + DIMENSION_REACH)
        for n in re.finditer(r"\d", sentence)
    )


# a year that names a thing ("the 2003 agreement", "the 2019 census"), not when something happened ("in 2003")
_NAMING_YEAR = re.compile(r"\b((?:1[6-9]|20)\d\d)\s+(?!(?:and|or|to|did|was|were|is|are|has|had)\b)(?=[a-z])")


def money_at(text: str) -> list[int]:
    """Where ``text`` gives an amount of money ("$2.4 million", "420 million marks")."""
    return [m.start() for m in _MONEY.finditer(text)]


def new_figure(sentence: str, question: str, kind: str | None) -> bool:
    """For a question asking a number ("How many of the 41,000 who fled have returned?"), whether ``sentence``
    holds a figure the question does not give itself: its own figures are what it asks about, not the answer."""
    if kind in ("date", "when"):
        # "When was the *2003* agreement last amended?": the year that names the agreement is no answer
        named_by = _NAMING_YEAR.findall(question)
        if not named_by:
            return True
        return fits_type(re.sub(rf"\b(?:{'|'.join(named_by)})\b", " ", sentence), kind)
    if kind not in ("quantity", "money", "share"):
        return True
    given = {re.sub(r"\D", "", m.group()) for m in _NUMBER.finditer(question)}
    if not given:
        return True
    text = _DAY_OF_MONTH.sub(" ", _YEAR.sub(" ", sentence))
    return any(re.sub(r"\D", "", m.group()) not in given for m in _NUMBER.finditer(text))


# "What would leaving cost Veskland?": "about 11 percent of GDP", a cost said as a share of the economy
_SHARE_OF_ECONOMY = re.compile(
    r"\d[\d.,]*(?:\s+(?:to|or)\s+\d[\d.,]*)?\s*(?:percent|per\s+cent|%)\s+of\s+(?:its\s+|the\s+)?"
    r"(?:GDP|gross\s+domestic\s+product|national\s+(?:output|income)|economic\s+output)\b",
    re.IGNORECASE,
)


def fits_type(sentence: str, kind: str | None) -> bool:
    """Whether ``sentence`` contains the kind of thing the question asks for."""
    if kind == "date":
        return bool(_DATE.search(sentence))
    if kind == "when":
        return bool(_DATE.search(sentence)) or any(p.search(sentence) for p in _WHEN)
    if kind in _UNIT_FITS:
        return bool(_UNIT_FITS[kind].search(sentence))
    if kind == "money":
        return bool(_MONEY.search(sentence) or _SHARE_OF_ECONOMY.search(sentence))
    if kind == "phone":
        # a number to call has five digits or more (a text short code), or a short one is said to be called
        # ("report it by calling 105"; "rehomes around 250 cats" is no phone)
        return any(
            len(re.sub(r"\D", "", m.group())) >= 5 or _CALLED.search(sentence, 0, m.start()) is not None
            for m in _PHONE.finditer(sentence)
        )
    if kind == "share":
        return bool(_SHARE.search(sentence))
    if kind == "quantity":
        # a year is not a quantity, nor the day of a date ("from 2 February 2026")
        return bool(_QUANTITY.search(_DAY_OF_MONTH.sub(" ", _YEAR.sub(" ", sentence))))
    return True


_TIME_UNITS = re.compile(
    r"\b(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centur(?:y|ies)|nights?|seasons?|"
    r"terms?|long|often|old|age)\b",
    re.IGNORECASE,
)


# "What share of Dravenians say ...?": the group a share is asked of, named by a capitalised word
_SHARE_OF_GROUP = re.compile(r"\b(?:share|percentage|proportion|fraction)\s+of\s+(?:the\s+)?([A-Z][\w’'-]+)")
_PERCENT_OF = re.compile(r"(?:%|\bper\s?cent)\s+of\s+(?:the\s+|all\s+)?([A-Z][\w’'-]+)", re.IGNORECASE)


def share_of_group(span: str, question: str) -> bool:
    """False when the question asks a share of a group it names ("What share of Dravenians ...?") and
    ``span`` gives shares only of other named groups ("38 percent of Orvanians") without naming the one asked;
    True otherwise."""
    asked = _SHARE_OF_GROUP.search(question)
    if asked is None:
        return True
    group = asked.group(1)
    others = [m.group(1) for m in _PERCENT_OF.finditer(span) if m.group(1)[:1].isupper()]
    if not others or names_subject(span, group):
        return True
    stem = group.casefold()[:5]
    return any(o.casefold().startswith(stem) for o in others)


def counts_not_time(span: str, question: str) -> bool:
    """For a question asking a quantity of something that is no span of time ("What is the generating
    capacity of the plant?"), whether ``span`` has a number besides its dates and spans of time ("two years
    before the deal" counts no capacity); True for other questions, and for one that asks about time."""
    if expected_type(question) != "quantity" or _TIME_UNITS.search(question):
        return True
    return fits_type(_DURATION.sub(" ", span), "quantity")


# "How much is paid *per* nurse / to *each* nurse": an amount for one of them, which a total does not give
_ASKS_RATE = re.compile(r"\bhow\s+(?:much|many)\b.*\b(?:each|per|apiece|every)\b", re.IGNORECASE)
# "What would the weir cost to run each year?", "What does the pool pay per dose?": an amount for each, asked
# with "what"
_ASKS_COST_EACH = re.compile(
    r"\bwhat\b.*\b(?:cost|costs|price|fee|fees|charge|charges|pay|pays|paid|spend|spends|earn|earns)\b.*"
    r"\b(?:each|per|every)\s+(?!(?:of|one)\b)[a-z]+",
    re.IGNORECASE,
)
_RATE = re.compile(
    r"\b(?:each|per|apiece|every)\b|\ba\s+(?:head|piece|year|month|week|day|night|hour|person|seat|ticket)\b|"
    r"\ban\s+(?:hour|hectare|acre)\b|/\s?(?:h|hr|hour|day|year|month)\b|"
    r"\b(?:yearly|annually|annual|monthly|weekly|daily|nightly|hourly)\b",
    re.IGNORECASE,
)
# "What do the two analyses say the fleet costs each year?", "How do they differ in their estimates of ...":
# what each document says, which a comparison quotes as it is put
_ASKS_WHAT_SAID = re.compile(r"\b(?:say|says|said|estimates?|puts?|differ|agree|compare)\b", re.IGNORECASE)


# "How much does it cost *per month*?": the period a rate is asked for, which a rate for another ("the first
# £99 of each claim", "£30 a year") does not give
_PERIODS = {
    "year": "yearly|annually|annual",
    "month": "monthly",
    "week": "weekly",
    "day": "daily",
    "night": "nightly",
    "hour": "hourly",
}
_ASKS_PERIOD = re.compile(
    rf"\b(?:each|per|a|an|every)\s+({'|'.join(_PERIODS)})\b|\b({'|'.join(_PERIODS.values())})\b",
    re.IGNORECASE,
)


# "..., per the agency's register", "per Castellan": "per" naming a source, not a rate (which a plain noun
# follows: "per nurse", "per month")
# (or "per" left dangling where the words that name a document were taken out: "... burn, per?")
_PER_SOURCE = re.compile(
    r"\b[Pp]er(?:\s+(?=(?:the|his|her|its|their|this|that|these)\b|[A-Z])|(?=\s*[?.!,]|\s*$))"
)
# "How many fragments does *each of the three pieces* say ...?": each source asked, not a count for each one
_EACH_SOURCE = re.compile(
    r"\beach\s+(?:of\s+(?:the\s+|these\s+|those\s+)?(?:two\s+|three\s+|four\s+)?)?(?:pieces?|articles?|documents?|"
    r"reports?|analys[ie]s|authors?|writers?|op-eds?|commentar(?:y|ies)|papers?|sources?|sides?)\b",
    re.IGNORECASE,
)


def gives_rate(span: str, question: str) -> bool:
    """Whether ``span`` can answer a question about an amount for each one ("How much does each nurse earn?"):
    it says an amount per thing ("each", "per", "a year", "an hour"), not only a total ("2 million pounds on
    agency staff"), and for the period asked when the question names one ("per month"); other questions: True."""
    question = _EACH_SOURCE.sub("the sources", _PER_SOURCE.sub("according to ", question))
    asks_cost_each = _ASKS_COST_EACH.search(question) is not None and not _ASKS_WHAT_SAID.search(question)
    if _ASKS_RATE.search(question) is None and not asks_cost_each:
        return True
    if _RATE.search(span) is None:
        return False
    asked = _ASKS_PERIOD.search(question)
    if asked is None:
        return True
    period = asked.group(1) or next(
        p for p, words in _PERIODS.items() if re.fullmatch(words, asked.group(2), re.I)
    )
    said = rf"\b(?:each|per|a|an|every)\s+{period}\b|\b(?:{_PERIODS[period]})\b|/\s?{period}\b"
    return re.search(said, span, re.IGNORECASE) is not None


# "How much of the £480,000 will go on the school roofs?": a sentence whose only sum is the one the question
# gives ("We are raising £480,000 to ...") says nothing of the part asked
_AMOUNT = re.compile(r"[$€£¥₽]\s?\d(?:[\d,.]*\d)?")
_ASKS_WHAT = re.compile(r"\s*(?:how|what|which)\b", re.IGNORECASE)


def adds_amount(span: str, question: str) -> bool:
    """Whether ``span`` gives a sum besides those the question names (True when it gives none: the type
    checks judge it then)."""
    asked = {a.replace(" ", "") for a in _AMOUNT.findall(question)}
    if not asked or not _ASKS_WHAT.match(question):
        return True
    said = {a.replace(" ", "") for a in _AMOUNT.findall(span)}
    return not said or bool(said - asked)


# "What counts as severe weather?": a sentence that only uses the term ("In severe weather, payments start
# ...") does not say what it covers
_ASKS_WHAT_COUNTS = re.compile(r"^\s*what\s+(?:counts|qualifies)\s+as\b", re.IGNORECASE)
_DEFINES = re.compile(
    r"\b(?:counts?\s+as|qualif(?:y|ies)\s+as|means?|meant|defined?|definition|includes?|including|such\s+as|"
    r"covers?|refers?\s+to|is\s+when|are\s+when|considered|classed\s+as|treated\s+as)\b",
    re.IGNORECASE,
)


def defines(span: str, question: str) -> bool:
    """Whether ``span`` can answer "What counts as X?": it says what X covers, not only that X happens."""
    return _ASKS_WHAT_COUNTS.match(question) is None or _DEFINES.search(span) is not None


# "How do I sign up for the register?": a way to do it. A sentence that says only who is on the register gives
# none; one that instructs does ("Call us on ...", "You can give online", "by ringing", "To claim, fill in ...",
# "Residents will be able to leave ...")
_ASKS_HOW_TO = re.compile(
    r"^\s*how\s+(?:do|can|should|would|could|must)\s+(?:I|we|you|one|people|customers|residents|members|"
    r"parents|users|patients|visitors|tenants|applicants|guests|owners|drivers|students)\s+",
    re.IGNORECASE,
)
_INSTRUCTION_VERBS = (
    r"call|phone|ring|text|email|e-mail|visit|go|fill|complete|apply|register|sign|contact|write|use|click|tap|"
    r"select|choose|press|hold|run|install|open|close|bring|book|send|ask|make|take|enter|log|follow|check|read|"
    r"download|upload|add|put|keep|tell|see|return|pay|print|cancel|remove|turn|switch|leave|drop|give|join|"
    r"speak|talk|attend|come|submit|post|place|set|try|avoid|wear|store|wash|clean|lift|insert|plug|"
    r"unplug|start|stop|let|wait|get|find|look|search|head|please"
)
_GIVES_WAY = re.compile(
    rf"^(?:\s*(?:[AQ]:|[-*•]|\d{{1,2}}[.)]))?\s*(?:{_INSTRUCTION_VERBS})\b|[.;:!]\s+(?:{_INSTRUCTION_VERBS})\b|"
    r"\byou(?:r|'ll|’ll)?\b|\bby\s+\w+ing\b|\b(?:^|[.;]\s+)to\s+\w+\b|\bable\s+to\b|"
    r"\b(?:can|could|may|should|must|need\s+to|needs\s+to|have\s+to|has\s+to|will)\s+(?:be\s+\w+ed\b|"
    r"(?:first\s+|also\s+|simply\s+|then\s+)?(?:" + _INSTRUCTION_VERBS + r")\b)",
    re.IGNORECASE,
)


def gives_way(span: str, question: str) -> bool:
    """Whether ``span`` can answer "How do I ...?": it instructs or says what one can do."""
    return _ASKS_HOW_TO.match(question) is None or _GIVES_WAY.search(span) is not None


# (written apart, "non-members": "nonreceptor" is a word of its own; and asked, not claimed: a statement to
# find evidence for, "Carriers drink less than non-carriers.", is supported by a sentence on the carriers)
_NEGATED = re.compile(r"\bnon-([a-z]{3,})\b(?=.*\?\s*$)", re.IGNORECASE)


def keeps_negated(span: str, question: str) -> bool:
    """Whether ``span`` says the "non-" words the question asks about ("non-members", "non-residents"): a
    sentence on what members pay does not say what non-members pay."""
    return all(
        re.search(rf"\bnon[-\s]?{re.escape(m.group(1))}", span, re.IGNORECASE)
        for m in _NEGATED.finditer(question)
    )


# the kinds of answer that are a figure (a count, an amount, a share, a measure)
COUNTED_KINDS = frozenset({"quantity", "money", "share", "measure", "length", "duration"})


def required_years(question: str) -> set[str]:
    """Years the question names: an answer about another year does not answer it."""
    return {m.group(1) for m in _YEAR.finditer(question)}


_RELATIVE_YEAR = {"last year": -1, "this year": 0, "next year": 1, "a year ago": -1, "the previous year": -1}


def says_year(text: str, year: str, dated: str | None) -> bool:
    """Whether ``text`` names ``year``, itself or as a document dated ``dated`` (ISO 8601) counts it: "It lost
    $51 million last year" in a piece of 2024 is about 2023."""
    if year in text:
        return True
    if not dated or not dated[:4].isdigit():
        return False
    folded = text.casefold()
    return any(
        phrase in folded and int(dated[:4]) + shift == int(year) for phrase, shift in _RELATIVE_YEAR.items()
    )


# "By how much did fuel prices go up *in April*?": the month the figure is asked for ("in", "during", "on"
# before the month's name, or the month before a year)
_IN_MONTH = re.compile(
    rf"\b(?i:in|during|on)\s+({_FULL_MONTHS})\b(?!\s+\d{{1,2}}\b)|\b({_FULL_MONTHS})\s+(?:1[6-9]|20)\d\d\b"
)


def says_month(text: str, month: str) -> bool:
    """Whether ``text`` names ``month`` (a whole word, its case as written)."""
    return re.search(rf"\b{month}\b", text) is not None


def required_months(question: str) -> set[str]:
    """Months the question asks a figure or an event for ("in March", "March 2024"): a sentence that gives a
    figure without that month says another month's, or none it can vouch for. (A day of the month, "on March
    3", is a date the sentence may write another way.)"""
    return {m.group(1) or m.group(2) for m in _IN_MONTH.finditer(question)}


# Where a sentence joins two statements, each with its own figures and year: "employed four engineers in 2022,
# and it last inspected the dam in 2019"
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but|while|whereas)\s+|\s+(?:whereas|while)\s+")
_FIGURE = re.compile(rf"(?<![\w-])\d[\d,.]*(?![\d-])|\b(?:{_COUNT_WORDS})\b", re.IGNORECASE)


def figure_in_year(sentence: str, question: str) -> bool:
    """Whether a figure of ``sentence`` is said in a clause of the year(s) ``question`` asks about, or in a
    clause that names no year; False when every clause with a figure names only other years ("How many
    engineers did it employ in 2019?": "It employed four engineers in 2022, and it last inspected the dam in
    2019."). True when the question names no year."""
    years = required_years(question)
    if not years:
        return True
    clauses = [c for c in _CLAUSE_BREAK.split(sentence) if c]
    for clause in clauses:
        said = {m.group(1) for m in _YEAR.finditer(clause)}
        # (a year is a figure too: only the others count)
        figures = [m for m in _FIGURE.finditer(clause) if not _YEAR.fullmatch(m.group(0).rstrip(",."))]
        if figures and (not said or said & years):
            return True
    return False


def figure_of_subject(sentence: str, name: str, dated: bool) -> bool:
    """Whether a clause of ``sentence`` that says ``name`` also holds a figure (a date, when ``dated``); True
    when no clause says it (the name is given before the sentence) or the sentence is one clause. False when
    the name and every figure sit in clauses of their own ("... reopen the Tessen crossing, closed since
    October 2021, and the smaller Ulmar crossing ..." for "When was the Ulmar crossing closed?")."""
    clauses = [c for c in _CLAUSE_BREAK.split(sentence) if c]
    naming = [c for c in clauses if names_subject(c, name)]
    if len(clauses) < 2 or not naming:
        return True
    pattern = _DATE if dated else _FIGURE
    return any(pattern.search(c) for c in naming)


def names(question: str) -> list[str]:
    """Capitalised words inside the question (not its first word): the names it asks about."""
    return [
        m.group(1)
        for m in _NAME.finditer(question.strip())
        if m.group(1) not in NOT_NAMES and not _PLURAL_ACRONYM.match(m.group(1))
    ]


# "MPs", "NGOs", "SMEs": a plural of an abbreviation is a kind of people or things, not one named
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


def missing_names(question: str, vocabulary: Container[str]) -> list[str]:
    """The question's names that the documents never mention.

    ``vocabulary`` holds the BM25 terms (stems) of the whole index. A name matches a term it extends by a
    few letters too, so "Chilean" is found through "Chile" and "Kenyans" through "Kenya".
    """
    wanted = names(question)
    if not wanted:
        return []
    missing = []
    for name, terms in zip(wanted, lexical.tokenize(wanted), strict=True):
        if (
            terms
            and not any(_known(term, vocabulary) for term in terms)
            and not _post_known(name, vocabulary)
        ):
            missing.append(name)
    return missing


def _post_known(name: str, vocabulary: Container[str]) -> bool:
    """Whether ``name`` is a post the documents call by another name ("CEO": "chief executive")."""
    return any(
        all(_known(term, vocabulary) for term in lexical.tokenize([other])[0])
        for other in _POST_SYNONYMS.get(name.casefold(), [])
    )


RARE_NAME = 0.5  # share of the index's highest idf above which a name is what a question is about


# The last words of places' names, which say only what the place is: "the Varga *Hills*" is named again "Varga"
_GENERIC_HEADS = frozenset(
    re.findall(
        r"\w+",
        "hills mountains mountain river valley bay strait straits sea lake island islands gulf coast plain plains "
        "basin delta pass peninsula canal desert forest range heights highlands uplands ridge",
    )
)


def subject(question: str, weights: Mapping[str, float]) -> str | None:
    """The question's rarest name, when it is rare in the index (idf at least ``RARE_NAME`` of the
    highest): what a date or a number must be about ("When did Nordline deliver the *Lu-9* ferries?"). A name
    found in most passages ("Nordline" in articles about Nordline) says nothing about a sentence: None then,
    or when the question names nothing."""
    # ("under the Varga *Hills*": the last word of a place's name says only what it is; the page names the place
    # again by its first, "the Varga Tunnel")
    generic = {m.group(1) for m in _FULL_NAME.finditer(question) if m.group(1).casefold() in _GENERIC_HEADS}
    wanted = [n for n in names(question) if n not in generic]
    top = max(weights.values(), default=0.0)
    rarest: tuple[float, str | None] = (RARE_NAME * top, None)
    for name, terms in zip(wanted, lexical.tokenize(wanted) if wanted else [], strict=True):
        idf = max((_weight(t, weights) for t in terms), default=0.0)
        if terms and idf >= rarest[0]:
            rarest = (idf, name)
    return rarest[1]


# Where a question says its answer is to be found: "according to Castellan", "per Ferris", "as cited by
# Talbot and Ferris", "in Drake's view", "does Drake estimate"
_SOURCE_BEFORE = r"(?:according\s+to|[Pp]er|by|in\s+the\s+view\s+of|for)\s+(?:[\w.'’-]+\s+){0,3}?"
_SOURCE_AFTER = (
    r"(?:['’]s?\s+(?:view|views|piece|analysis|op-ed|commentary|column|paper|estimate|count|figures?|account|"
    r"reading|telling)|\s+(?:says?|argues?|writes?|claims?|estimates?|counts?|puts?|reckons?|thinks?|believes?|"
    r"calculates?|puts?\s+it))\b"
)


def cites(question: str, name: str) -> bool:
    """Whether ``question`` names ``name`` as where its answer is said ("How much fuel was left, according to
    Castellan?"), not as what it asks about."""
    said = re.escape(name)
    return (
        re.search(rf"\b{_SOURCE_BEFORE}{said}\b", question) is not None
        or re.search(rf"\b{said}{_SOURCE_AFTER}", question) is not None
        # "per the Wexley analysis", "the Wexley authors": a piece named by where its writers work
        or re.search(rf"\bthe\s+{said}\s+(?:{WRITER_WORDS}|{PIECE_WORDS})\b", question, re.IGNORECASE)
        is not None
    )


# "How many fish farms does *Ketrany* operate?", "How much does *Alunde* spend ...?": who does what is counted,
# named right after the question's auxiliary
_ACTOR = re.compile(
    r"^\s*(?i:how)\s+(?:much|many)\b[^?]*?\b(?:did|does|do|has|have|had|will|would)\s+(?:the\s+)?"
    r"((?:[A-Z][\w’'-]*\s+){0,3}[A-Z][\w’'-]*)(?![\w’'-])(?![’']s\b)"
)


def actor(question: str) -> str | None:
    """The one a "How many / how much" question says does the counted thing ("How many farms does Ketrany
    operate?": Ketrany), named right after its auxiliary; None when none is (or it is a source cited:
    "according to Castellan")."""
    m = _ACTOR.match(question)
    if m is None or m.group(1).split()[0] in NOT_NAMES:
        return None
    return m.group(1) if not cites(question, m.group(1)) else None


# "What jobless figures do Langmoor and Quillfeather give?": the writers named as who gives the figures
_GIVES = re.compile(
    r"\b(?:do|does|did)\s+(?:[\w’'.-]+\s+){1,6}?(?:give|put|cite|use|quote|report|offer|estimate|provide)\b",
    re.IGNORECASE,
)


def uncited_subject(
    question: str, about: str, weights: Mapping[str, float], bylines: Callable[[], Sequence[str]]
) -> str | None:
    """The name a date or number asked must be about, when the rarest one, ``about``, is an author or where
    one works (a name in one of ``bylines``: a document's byline and author box) that the question cites as
    its source ("How much fuel was left on Tamsin-2, according to Castellan?": every sentence of Castellan's
    piece is his, and the figure is about Tamsin-2): the next rarest name, or None; else ``about``."""
    name: str | None = about
    while (
        name is not None
        and (cites(question, name) or _GIVES.search(question) is not None)
        and any(name.casefold() in byline.casefold() for byline in bylines())
    ):
        question = re.sub(rf"\b{re.escape(name)}(?:['’]s)?\b", " ", question)
        name = subject(question, weights)
    return name


# "Why ...?", and the cause asked in other words: "What caused the steamer to sink?"
_WHY = re.compile(
    # ("In Selvane's view, what made the agency opt for ...?", "According to X, why did ...?": whose reason)
    r"^\s*(?:(?:in\s+(?:[\w’'.-]+\s+){1,5}?(?:view|opinion|eyes|account)|according\s+to\s+[^,?]{1,60}),\s+)?"
    r"(?:why\b|what\s+(?:caused|causes|led\s+to|prompted|triggered)\b|"
    rf"{CAUSE_WORDS}|"
    # "What makes auctions attractive?", "What explains why ...?", "What accounts for ...?"
    r"what\s+(?:makes|made)\s+(?!up\b)|what\s+(?:explains|explained|accounts\s+for|lies\s+behind)\b|"
    r"what\s+(?:is|was|were|are)\s+the\s+(?:main\s+)?(?:reasons?|causes?)\s+(?:for|of|behind)\b)",
    re.IGNORECASE,
)
# What states a reason: a cause ("because", "due to", "over fears of"), a purpose ("in order to", "aim"),
# a condition it followed from ("once", "given", "under pressure"), what the thing does ("blame a mite
# *that weakens* the bees").
_REASON = re.compile(
    r"\b(?:because|(?<!\bhave\s)(?<!\bhas\s)(?<!\bhad\s)(?<!\bever\s)"
    rf"since(?!\s+(?:\d|(?:the\s+start|then|last|early|late|{_FULL_MONTHS})\b))|due\s+to|owing\s+to|thanks\s+to|as\s+a\s+result|result(?:ed|s)?\s+(?:of|in|from)|"
    r"so\s+that|in\s+order\s+to|so\s+as\s+to|reasons?|why|given\s+(?:that|the|its|their|his|her|a|an)\b|once|after|amid|under|over\s+(?:fears?|concerns?)|"
    r"fears?\s+(?:of|that)|for\s+fear|led\s+to|lead\s+to|leads\s+to|caus\w*|driven|motiv\w*|aim\w*|"
    r"goal|purpose|desire|in\s+this\s+context|hence|therefore|thus|follow(?:s|ed|ing)|consequences?\s+of|"
    # what is feared is why ("some workers fear the ruling could cost jobs")
    r"(?:fear|fears|feared|worry|worries|worried)\s+(?:that\s+)?[^.;]{0,60}?\b(?:could|would|will|might|may)|"
    # ("so far", "so-called" give no reason)
    r"so\b(?!\s+far\b|-called)|explanation|explain\w*|crucial|(?:that|which)\s+[a-z]+s|"
    r"to\s+(?:secure|avoid|ensure|prevent|protect|keep|help|gain|win)|too\s+\w+\s+(?:for|to)|"
    # what a step is for: "the cut would free money for a new line"
    r"(?:would|will|could)\s+(?:free|allow|enable|let|fund|pay\s+for|make\s+room))\b",
    re.IGNORECASE,
)


# A cause given outright: what follows it is the cause, what comes before it the thing caused.
_CAUSE = re.compile(
    # ("since April 2024", "since 2019", "since then" say when, not why)
    r"\b(?:because(?:\s+of)?|due\s+to|owing\s+to|as\s+a\s+result\s+of|"
    rf"since(?!\s+(?:\d|(?:the\s+start|then|last|early|late|{_FULL_MONTHS})\b))|after|following)\b",
    re.IGNORECASE,
)
_WHY_WORDS = re.compile(
    r"^\s*(?:why|what\s+(?:caused|causes|led\s+to|prompted|triggered))\s+"
    r"(?:(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could)\s+)?",
    re.I,
)


# A reason said outright, which a sentence after a claim may give for it (not "after", "under", "that takes":
# those tell how things stood and are read as a reason only in a sentence that says the thing asked itself)
_EXPLICIT_REASON = re.compile(
    r"\b(?:because|due\s+to|owing\s+to|so\s+that|in\s+order\s+to|so\s+as\s+to|too\s+\w+\s+(?:for|to)|"
    r"the\s+reason|as\s+a\s+result|(?:would|will|could)\s+(?:free|allow|enable|let|fund|pay\s+for|make\s+room)|"
    # "..., a consequence of families storing water in open containers": what brought it about
    r"(?:a|the)\s+consequence\s+of)\b",
    re.IGNORECASE,
)


def explains(sentence: str) -> bool:
    """Whether ``sentence`` gives a reason outright ("because", "too old to", "would free money for")."""
    return _EXPLICIT_REASON.search(sentence) is not None


def asks_why(question: str) -> bool:
    """Whether the question asks for a reason ("Why did ...")."""
    return _WHY.search(question) is not None


# A purpose said as an infinitive after what was done: "fees will rise ... *to cover* the rising cost", "it
# needs 10 cm of space *to stay* cool"; not after a word of intending ("plans to cut 200 jobs" says what, not
# why), nor "... saying it would overshadow homes" (a reason given for a decision, as the decider's words).
_PURPOSE = re.compile(
    r"\b([\w’']+)\s+to\s+(?:cover|fund|pay\s+for|meet|offset|reduce|cut|lower|improve|raise|boost|save|"
    r"support|replace|repair|tackle|address|attract|encourage|stop|reflect|cope|comply|fix|stay|free\s+up|"
    r"make\s+(?:way|room|up))\b|,\s+saying\b|"
    # "Never use water on the burrs, as they will rust": "as" giving a cause (not "as he said")
    r",\s+as\s+(?:they|it|he|she|this|that|we|you|there)\s+(?:will|would|can|could|may|might|is|are|was|were|"
    r"has|have|had|do|does|did|need|needs)\b|"
    # "..., as the main car park will be used for the plant stalls"
    r",\s+as\s+(?:the|a|an|our|its|their|his|her|this|these|those)\s+(?:[\w’'-]+\s+){0,4}?(?:will|would|can|"
    r"could|may|might|is|are|was|were|has|have|had|must|needs?)\b|"
    # "... must stop at 10.30pm out of consideration for neighbouring houses"
    r"\bout\s+of\s+(?:consideration|respect|concern|courtesy|kindness)\s+for\b|\bfor\s+the\s+sake\s+of\b|"
    # what a closure or a stop is for: "closed for repairs", "close early on Friday for staff training"
    r"\b(?P<for>for)\s+(?:[\w-]+\s+)?(?:repairs?|maintenance|refurbishment|renovations?|works|cleaning|"
    r"inspections?|training|upgrades?|resurfacing|(?:safety|security|health|operational)\s+reasons)\b",
    re.IGNORECASE,
)
_INTENDING = re.compile(
    r"plan(?:s|ned|ning)?|wan(?:t|ts|ted)|agreed?|voted?|decided?|expect(?:s|ed)?|going|ha[sd]|have|"
    r"need(?:s|ed)?|aim(?:s|ed)?|intend(?:s|ed)?|hop(?:e|es|ed)|able|set|due|likely|tr(?:y|ies|ied)|"
    r"seeks?|sought|promised?|vowed|pledged|propos(?:e|es|ed)|refused|failed|used|will|would|could|should|"
    r"must|may|might|can|asked|urged|allowed|forced|chose",
    re.IGNORECASE,
)


def _states_purpose(span: str) -> bool:
    return any(m.group(1) is None or not _INTENDING.fullmatch(m.group(1)) for m in _PURPOSE.finditer(span))


# "What chunk size is used, and why?": the reason is asked with the fact
_AND_WHY = re.compile(r",?\s+and\s+why\s*\??\s*$", re.IGNORECASE)


def gives_reason(span: str, question: str, *, grounds: bool = True) -> bool:
    """Whether ``span`` can answer a "why" question: it states a cause or a purpose. A sentence that only
    says the thing happened ("X gave the mask to the museum") does not say why, nor one where the thing asked
    about is itself the cause of something else; other questions: True."""
    if not (_WHY.search(question) or _AND_WHY.search(question)):
        return True
    stated = _REASON.search(span) is not None or _states_purpose(span)
    if not stated and grounds and _WHY_VIEW.search(question):
        # "Why does the op-ed think the road would not help freight?": a writer's reasons are their argument,
        # which rarely says "because" ("The freight case ignores that most trade travels by sea"); a sentence
        # that says more than the view asked about gives it, one that only restates the view does not
        return _says_beyond(span, question)
    return stated and not _asked_as_cause(span, question)


# "Why does X think / consider / argue ...?", "Why is X worried / unconvinced ...?": the grounds of a view
_WHY_VIEW = re.compile(
    r"^\s*why\s+(?:does|did|do|is|are|was|were)\s+(?:.{0,80}?\s)?(?:thinks?|consider|considers|argue|argues|"
    r"believes?|regards?|sees?|calls?|doubts?|opposes?|warns?|insists?|expects?|fears?|rejects?|dismiss(?:es)?|"
    r"favou?rs?|prefers?|single\s+out|singles\s+out|worried|concerned|unconvinced|sceptical|skeptical|"
    r"doubtful|confident|optimistic|pessimistic|critical|against|opposed)\b|"
    # "Why, in Marsk's view, is Lunmark so reluctant ...?", "Why, in the op-ed's telling, did ...?": the
    # reasons as a writer sees them
    r"^\s*why\b[^?]{0,40}?\bin\s+(?:[\w’'-]+\s+){1,4}?(?:view|opinion|telling|account|reading|judg(?:e)?ment)\b|"
    # "What makes Castellan think a national vault would be a mistake?"
    r"^\s*what\s+makes\s+.{0,60}?\b(?:think|believe|consider|doubt|argue|say|fear)s?\b",
    re.IGNORECASE,
)


def asks_view(question: str) -> bool:
    """Whether ``question`` asks for the grounds of someone's view ("Why does the op-ed consider the threat
    an empty one?"): its verb (consider, think) is the view's, not an event a reason is given for."""
    return _WHY_VIEW.search(question) is not None


BEYOND_TERMS = 6  # terms a sentence says beyond a question's, at least, to give grounds and not restate it


def _says_beyond(span: str, question: str) -> bool:
    """Whether ``span`` says at least ``BEYOND_TERMS`` terms the question does not, and they are at least
    half of its own."""
    asked = set(lexical.tokenize([question])[0])
    said = set(lexical.tokenize([span])[0])
    new = {t for t in said if not (_known(t, asked) or _extends(t, asked))}
    return len(new) >= BEYOND_TERMS and 2 * len(new) >= len(said)


def _asked_as_cause(span: str, question: str) -> bool:
    """Whether ``span`` says what the why-question asks about only as the cause of something else: "The
    road stayed shut because the builder went bankrupt" does not say why the builder went bankrupt. More of
    the question's words are in the cause than in what it caused, and fewer than half in the latter, for every cause the span gives ("a charge due to the closure of the
    plant, which shut because its machines were old" says why the plant shut in its second)."""
    asked = set(lexical.tokenize([_WHY_WORDS.sub("", question)])[0])
    causes = list(_CAUSE.finditer(span))
    if len(asked) < 2 or not causes:
        return False
    return all(_only_in_cause(span, m, asked) for m in causes)


# What a cause is given for when a question asks why something matters: its weight ("... matters", "This is
# important")
_WEIGHS = re.compile(r"\b(?:matters?|mattered|is\s+(?:important|significant|crucial))\W*$", re.IGNORECASE)


def _only_in_cause(span: str, m: re.Match[str], asked: set[str]) -> bool:
    if len(span[: m.start()].split()) <= 2:
        # "(Second,) because the builder went bankrupt, the road stayed shut": the cause runs to the comma
        comma = span.find(",", m.end())
        cause, caused = (span[m.end() : comma], span[comma:]) if comma > 0 else (span[m.end() :], "")
    else:
        cause, caused = span[m.end() :], span[: m.start()]
    if _WEIGHS.search(caused):
        return False  # "The difference matters, because ...": why it matters, the very thing asked
    in_cause = sum(_known(t, set(lexical.tokenize([cause])[0])) for t in asked)
    in_caused = sum(_known(t, set(lexical.tokenize([caused])[0])) for t in asked)
    return in_cause > in_caused and 2 * in_caused < len(asked)


def _weight(term: str, weights: Mapping[str, float]) -> float:
    """The idf of ``term``, or of the index term it extends ("chilean" -> "chile", as in ``_known``)."""
    if term in weights:
        return weights[term]
    cuts = (term[:cut] for cut in range(len(term) - 1, max(4, len(term) - 3) - 1, -1))
    return next((weights[c] for c in cuts if c in weights), 0.0)


# "Who is the chef at the Salt Lantern?": the role asked for, by its last word
_WHO_IS_THE_ROLE = re.compile(
    r"^\s*who\s+(?:is|was|are|were|will\s+be)\s+(?:the|its|their)\s+(?:[a-z-]+\s+){0,2}?([a-z-]{3,})\s+"
    r"(?:of|at|in|for|on|behind)\b",
    re.IGNORECASE,
)


def role_asked(question: str) -> str | None:
    """The role a "Who is the <role> at/of X?" question asks who holds ("chef", "manager"), or None."""
    m = _WHO_IS_THE_ROLE.match(question)
    return m.group(1) if m else None


def names_subject(span: str, name: str) -> bool:
    """Whether ``span`` names ``name`` (or a word it extends, as in ``missing_names``)."""
    said = set(lexical.tokenize([span])[0])
    return any(_known(t, said) for t in lexical.tokenize([name])[0])


def _known(term: str, vocabulary: Container[str]) -> bool:
    if term in vocabulary:
        return True
    if any(term[:cut] in vocabulary for cut in range(max(4, len(term) - 3), len(term))):
        return True
    # a people's or a thing's word for a place: "Daleran" for Daleria, "Valdorian" for Valdoria
    demonym = _DEMONYM.match(term)
    return demonym is not None and any(demonym.group(1) + end in vocabulary for end in ("ia", "a", "y"))


_DEMONYM = re.compile(r"^([a-z]{4,}?)(?:ian|an|ese)$")


ROLES = (
    r"secretary-general|president|prime\s+minister|minister|ambassador|chancellor|mayor|governor|spokes(?:man|woman|person)|"
    r"secretary|envoy|official|chief\s+executive|chief|leader|chair(?:man|woman|person)?|director|judge|"
    r"commissioner|mediator|negotiator|adviser|advisor|representative|commander|prosecutor|inspector|captain|"
    r"skipper|delegate|regulator|auditor|ombudsman|treasurer|registrar"
)
# What a request for someone's words calls them ("X's own words", "X's quote", "X's remarks"), and the
# request before them ("Give me", "Show us the", "What were")
_ASKING = (
    r"\b(?i:give|show|quote|share|provide|read|what\s+(?:are|were|was|is))\s+(?i:me\s+|us\s+)?"
    r"(?:(?i:the|some\s+of|a\s+few\s+of)\s+)?"
)
_WORDS_ASKED = r"(?:own\s+|exact\s+)*(?:words|phrase|wording|quotes?|quotations?|remarks|comments?|lines?)\b"
# A document's own words are its author's, not a speaker's to find in it ("the report's exact words")
# ("What does the commentary argue ...?": the piece's own words, however it is labelled: scoping's PIECE_WORDS)
_DOCUMENT_NOUNS = rf"(?:{PIECE_WORDS}|document|text|book|essay|editorial|author|writer)"
# Who wrote a document, called by their job: their words are the document's text
_AUTHOR_NOUNS = (
    r"(?:reviewer|critic|columnist|editor|journalist|reporter|interviewer|correspondent|study|survey|review)"
)
_SPEAKER = re.compile(
    # "What did the head of the Cardel Alliance say ...?", "How did Halvoria's head of government react?",
    # "Quote the boss of the state railway on ...": who leads a body, found by the post held there
    r"\b(?:(?i:what|how)\s+(?:exactly\s+)?(?i:did|does|do|has|have)|(?i:quote)(?:\s+what)?)\s+"
    r"(?:[A-Z][\w-]*[’']s\s+|the\s+)((?i:head|boss|leader|chief|chair)\s+of\s+(?:the\s+)?"
    r"(?:government|state|(?:[\w’'-]+\s+){0,4}?[\w’'-]+))\s+(?:[a-z]+ly\s+)?"
    r"(?:say|said|tell|told|describe|react|respond|sum\s+up|on|about|admit|acknowledge|concede|warn)\b|"
    # "the Harbour Authority", "the Coast Herald": a name may come with its article
    r"\b(?i:what|how)\s+(?:exactly\s+)?(?i:did|does|do|has|have)\s+(?:the\s+)?"
    # ("What did contact officer Declan Huxley say": a post in lower case before the name; "Greyfold's general
    # counsel Martin Avery": whose post it is before that)
    # ("SRDB president Tomas Vanderhalt": a body's name, bare, before the post)
    r"(?:[A-Z][\w-]*(?:[’']s)?\s+(?=[a-z]))?(?:(?!(?:the|of|for|at|in)\s)[a-z][\w-]*\s+){0,3}?"
    r"(?:(?:[A-Z][\w’'.-]+|van|der|de|al|bin|of|for)\s+){0,5}?([A-Z][\w’'-]+)(?<![’']s)\s+"
    r"(?:say|tell|said|argue|think|write|claim|call|describe|put|report|reply|respond|answer|"
    # ("How did Petra Holvik *dismiss* the claim?": what she said of it)
    r"dismiss|critici[sz]e|praise|characteri[sz]e|sum\s+up|"
    # "How did X justify the fee?" (not "How did X explain why ...", which asks a reason however it is given)
    r"(?:justify|explain|defend)(?=\s+(?:the|its|their|his|her)\b))\b"
    # "Quote what X said", and the same asked as "Show me / give me / tell me what X told the board"
    r"|\b(?i:quote|(?:show|give|tell|read)\s+(?:me|us))\s+what\s+(?:the\s+)?(?:(?:[A-Z][\w’'.-]+|van|der|de|al|bin|of|for)\s+){0,5}?([A-Z][\w’'-]+)\s+"
    r"(?:said|says|told|wrote|argued|reported|called|urged|warned)\b"
    # "Quote Ana Ruiz's own words on ...", "the governor's exact words"
    r"|(?<![.!?]\s)(?<!^)\b([A-Z][\w-]+)[’']s\s+(?:own\s+|exact\s+)*(?:words|phrase|wording)\b"
    # "What is Ana Ruiz's opinion of the sale?": a view is what the person says
    r"|(?<![.!?]\s)(?<!^)\b(?P<view>[A-Z][\w-]+)[’']s\s+(?:own\s+)?(?:opinion|views?|position|stance|reaction|assessment)\s+"
    r"(?i:of|on|about)\b"
    # "What did the Dutch minister say ...": one named by a role, which the quote must name as the speaker (a
    # sentence that names "the Dutch minister" only as someone met or mentioned does not give their words)
    # "... the Dutch minister", "... Acme's chief executive", "... the union's branch secretary"
    # ("the regional aviation council's secretary-general": up to three words of whose post it is)
    rf"|\b(?i:what|how)\s+(?:exactly\s+)?(?i:did|does|do|has|have)\s+(?:the\s+(?:(?:[\w-]+\s+){{0,2}}[\w-]+[’']s\s+)?|(?:[A-Z][\w-]*\s+){{0,2}}[A-Z][\w-]*(?:[’']s|s[’'])\s+)"
    rf"((?:[A-Z][\w’'-]+\s+|(?:[a-z]+\s+)(?=(?:[a-z]+\s+)?(?i:{ROLES})))*?(?i:{ROLES}))\s*"
    # ("What did Kelmaria's deputy foreign minister*, Irena Dalsvik,* say ...?": the holder's name aside)
    r"(?:,\s+(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+,)?\s+"
    # ("What did Orvenna's envoy *to the agency* say ...?": where the post is held)
    r"(?:(?:to|at|in)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?[\w’'-]+\s+)?(?:[a-z]+ly\s+)?"
    # ("How did Acme's trade minister describe the ban?", "What did the mediator reportedly admit ...?")
    r"(?:say|tell|said|argue|think|write|claim|describe|characteri[sz]e|admit|acknowledge|warn|call|sum\s+up|"
    # ("How did the harbour minister *explain* the new dues?", as "How did Ruiz explain the fee?" above)
    r"(?:justify|explain|defend)(?=\s+(?:the|its|their|his|her)\b))\b"
    # "Quote what Acme's opposition leader told parliament ...": one named by a role
    # (the post alone, in lower case: "the Vashgaz chief executive" is "the chief executive of Vashgaz" too)
    rf"|\b(?i:quote|(?:show|give|tell|read)\s+(?:me|us))\s+what\s+(?:the\s+(?:[\w-]+[’']s\s+)?|[A-Z][\w-]*[’']s\s+)"
    rf"(?:[A-Z][\w’'-]+\s+)*((?:[a-z]+\s+(?=(?:[a-z]+\s+)?(?i:{ROLES})))*?(?i:{ROLES}))\s+"
    r"(?:said|says|told|wrote|argued|reported|called|urged|warned)\b"
    # "Give me Ana Ruiz's quote about ...", "What were Ruiz's remarks on ...": the words asked for by a
    # possessive after a request (not "How many points did Ruiz's remarks make?", which asks about them)
    rf"|{_ASKING}(?:[A-Z][\w’'.-]+\s+){{0,4}}?([A-Z][\w-]+)[’']s\s+{_WORDS_ASKED}"
    # "Give me the sheriff's words on ...": one named by a lower-case role, which the quote must name as who
    # speaks ("Sheriff Ann Roe said ...", "the county sheriff told ..."); a document's words are its author's
    rf"|{_ASKING}(?!{_DOCUMENT_NOUNS}[’']s)([a-z][a-z-]+)[’']s\s+{_WORDS_ASKED}"
    # "Which words did Ruiz use ...?", "Quote Ruiz on the fee": the words asked for, said of who spoke them
    r"|\b(?i:which|what)\s+(?i:words|phrase|expression|term)\s+(?i:did|does|do)\s+(?:the\s+)?"
    r"(?:[A-Z][\w’'.-]+\s+){0,4}?([A-Z][\w’'-]+)\s+(?i:use)\b"
    r"|\b(?i:quote)\s+(?:[A-Z][\w’'.-]+\s+){0,4}?([A-Z][\w’'-]+)\s+(?i:on|about|regarding)\b"
    # "In the sheriff's words, how ...?", "..., in Ruiz's own words?" (not "the points in Ruiz's remarks")
    r"|(?:^|,)\s*(?i:in)\s+(?:(?i:the)\s+)?(?:[A-Z][\w’'.-]+\s+){0,4}?([A-Z][\w-]+|[a-z][a-z-]+)[’']s\s+"
    r"(?:own\s+)?words\b"
    # "What did the hotel association say about X?", "the supermarkets", "the heart charity": a body named in
    # common words, which the quote must show speaking; not the document or whoever wrote it
    rf"|\b(?i:what|how)\s+(?:exactly\s+)?(?i:did|does|do|has|have)\s+the\s+"
    # ("the analyst", one, is an analysis's author; "the analysts" are those it quotes)
    rf"(?!(?:{_DOCUMENT_NOUNS}|{_AUTHOR_NOUNS})s?\b|(?:analyst|expert|scholar|commentator)\b)"
    r"((?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\s+"
    # ("What has the hospital at Marrowby Point said ...": a body named with its place)
    r"(?:(?:at|in|of|from)\s+(?:[A-Z][\w’'-]*\s+){1,3})?"
    r"(?:say|tell|said|argue|claim|reply|respond)\b"
    # "What explanation did Kaltberg Systems give for ...?": the explanation is what the firm said
    r"|\b(?i:what)\s+(?i:explanations?|justifications?|excuses?|defen[cs]es?)\s+(?i:did|does|do|has|have)\s+"
    r"(?:the\s+)?(?:[A-Z][\w’'.-]+\s+){0,4}?([A-Z][\w’'-]+)\s+(?i:give|gave|given|offer|offered|provide|provided)\b"
    # "What remark by Ebrisia's council delegate does the op-ed cite?", "What words from Ruiz ...": the words
    # asked for by what they are, then whose
    rf"|\b(?i:what|which)\s+(?i:remarks?|comments?|quotes?|quotations?|words|lines?)\s+(?i:by|from)\s+"
    rf"(?:the\s+)?(?:[A-Z][\w-]*[’']s\s+)?(?:((?:[a-z]+\s+)*?(?i:{ROLES}))|(?:[A-Z][\w’'.-]+\s+){{0,4}}([A-Z][\w’'-]+))\b",
)
SPEECH_VERBS = (
    r"(?:said|says|told|tells|added|noted|argued|stated|warned|urged|called|described|dismissed|defended|"
    r"praised|wrote|claimed|insisted|admitted|put|reported|blamed|critici[sz]ed|welcomed|denied|explained|"
    r"acknowledged|conceded|complained|replied|responded|according\s+to|"
    # ("she remarked at a closed briefing", "Reidl declared", "the chief testified")
    r"remarked|announced|declared|observed|recalled|cautioned|asserted|stressed|emphasi[sz]ed|commented|"
    r"testified|answered|countered|characteri[sz]ed|retorted|predicted|promised|pledged|vowed|"
    # "leaked audio of X *admitting* that ...", "X, *saying* the plan had failed"
    r"saying|telling|admitting|arguing|insisting|claiming|noting|explaining|acknowledging|conceding|complaining)"
)
_SPEECH_VERB = re.compile(rf"\b{SPEECH_VERBS}\b", re.IGNORECASE)
_YES_NO_VERB = re.compile(
    # (not "Can I get ...", "Could you show ...": a request, whose verb no document needs to state)
    r"^\s*(?i:did|does|do|has|have|had|will|would|can|could)\s+(?!(?i:I|you|we)\s)(?:the\s+)?"
    r"(?:[A-Z][\w.’'-]*\s+)+([a-z]\w+)\b(?!-)"
    # "Can soda bread be frozen?", "Was the bridge ever finished?": the passive's verb
    r"|^\s*(?i:can|could|should|will|would|may|must)\s+(?!(?i:I|you|we)\s)(?:[\w’'-]+\s+){1,4}?be\s+([a-z]+(?:ed|en))\b"
)
_EVENT_VERB = re.compile(
    # "When did Tosk's parliament *ratify* the treaty?", "How much did Acme's board *pay* for ...?": the verb
    # after the owner's body, which is no verb ("parliament"); the verb is followed by its object
    r"^\s*(?i:when|why|how\s+(?:much|many)\s+(?:[a-z][\w-]*\s+){0,3}?)\s*(?i:did|does|do|has|have|had|will|would)\s+"
    r"(?:the\s+)?(?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.-]*[’']s\s+(?:[a-z][\w-]*\s+){1,2}?(?:[a-z]+ly\s+)?"
    r"([a-z]\w+)\s+(?=(?:the|a|an|its|their|his|her|for|to|on|in|[A-Z])\b)"
    # "When did Nordline *receive* ...": a date of another event of the same thing answers less surely
    r"|^\s*(?i:when)\s+(?i:did|does|do|has|have|had|will|would)\s+(?:the\s+)?"
    r"(?:[A-Z][\w.’'-]*\s+)+(?:[a-z]+ly\s+)?([a-z]\w+)\b"
    # "Who *succeeded* X": the relation asked about (a regular verb; "who built" has many wordings)
    r"|^\s*(?i:who)\s+(?!(?:is|was|are|were|has|have|had|did|does|do)\b)([a-z]+ed)\b"
    # "Who *presides* over the panel?", "Who *chairs* the board?": a post held now, said by its verb
    r"|^\s*(?i:who)\s+(presides|chairs|heads|leads|runs|owns|manages|directs|represents|funds|oversees)\b"
    # "When was the Harbour Authority *founded*?"
    # ("In what year was the Fisheries Commission *founded*?", "When are the Hawkmoth drones due to be *delivered*?")
    # ("In what year was the Treaty of Lorne *last amended*?": a name with "of" in it, the verb after an adverb)
    r"|^\s*(?i:when|(?:in\s+)?(?:what|which)\s+year)\s+(?i:was|were|is|are)\s+(?:the\s+)?"
    r"(?:[A-Z][\w.’'-]*\s+(?:(?:of|for|and|on|the)\s+(?=[A-Z]))*)+"
    r"(?:[a-z]+\s+){0,2}?(?:(?:first|last|originally|formally|officially|finally)\s+|due\s+to\s+be\s+)?"
    r"([a-z]+ed|built|made|held|begun|founded|set\s+up)\b"
    # "By what year does the study expect the aquifer to be *exhausted*?"
    r"|^\s*(?i:when|(?:by\s+|in\s+)?(?:what|which)\s+year)\b.*\bto\s+be\s+([a-z]+ed|built|made|held|done)\s*\??\s*$"
    # "Why did the club *sell* X?": a reason given for another event of X ("he chose X because ...") answers
    # less surely than one for the selling
    r"|^\s*(?i:why)\s+(?i:did|does|do|has|have|had|will|would)\s+(?:the\s+)?"
    r"(?:[A-Z][\w.’'-]*\s+)+(?:[a-z]+ly\s+)?([a-z]\w+)\b"
    # "How much did Belmora *pay* for ...?", "How many megawatts would the line *export*?": a figure of another
    # event of the same things answers less surely
    # (not "How much butter do I need?": the reader's own need is no event of the document's)
    r"|^\s*(?i:how\s+(?:much|many))\s+(?:[a-z][\w-]*\s+){0,3}?(?i:did|does|do|will|would)\s+(?:the\s+)?"
    r"(?!I\s)(?:[A-Z][\w.’'-]*\s+)+(?:[a-z]+ly\s+)?([a-z]\w+)\b"
    # "In what year was the Varkeshi satellite Tamsin-2 *launched*?": the participle that ends the question,
    # whatever words name the thing
    # (of a named thing: "When was the dam finished?" may be said in many words)
    r"|^\s*(?i:when|(?:in\s+)?(?:what|which)\s+year)\s+(?i:was|were)\s+(?=(?:[\w.’'-]+\s+){0,5}[A-Z])"
    r"(?:[\w.’'-]+\s+){1,6}?"
    r"(?:(?:first|last|originally|formally|officially|finally)\s+)?([a-z]{3,}ed|built|made|held|begun|founded)\s*\?\s*$"
    # "When is the pact due to *expire*?" (not a light verb: "due to hold its first hearing" is "scheduled")
    r"|^\s*(?i:when)\s+(?i:is|are|was|were)\s+(?:[\w.’'-]+\s+){1,6}?due\s+to\s+"
    r"(?!(?:be|hold|take|have|make|get|give|go|come|do|start|begin)\b)([a-z]{3,})\b"
)


def reports_speech(sentence: str) -> bool:
    """Whether ``sentence`` has a verb of speech ("X said the plan failed", "according to X")."""
    return _SPEECH_VERB.search(sentence) is not None


def speaker(question: str) -> str | None:
    """The person whose words the question asks for ("What did Ruiz say ...", "Quote what X said")."""
    m = _SPEAKER.search(question)
    if m is None:
        return None
    if m.group("view") and not _ASKS_VIEW.match(question):
        return None  # "Why does the city's view of X matter?" asks a reason, not for the city's words
    found = next((g for g in m.groups() if g), None)
    # "What do the three pieces say X will cost?": what the documents say, each its own (a comparison), not
    # the words of a speaker named "the three pieces"
    return None if found is not None and _DOCUMENTS_SPEAKING.fullmatch(found) else found


_DOCUMENTS_SPEAKING = re.compile(
    rf"(?:the\s+)?(?:(?:two|three|four|both|all|these|those)\s+)?(?:[\w’'-]+\s+)?{DOCUMENTS_PLURAL}",
    re.IGNORECASE,
)


_ASKS_VIEW = re.compile(r"\s*(?:what|how|describe|give|tell|quote|summari[sz]e)\b", re.IGNORECASE)


def speech_topics(question: str) -> list[str]:
    """For a request for someone's words that names what they are about, that topic alone and with who
    speaks ("What did Ruiz say about the petition?" -> ["the petition", "Ruiz: the petition"]); else []."""
    who = speaker(question)
    m = _ABOUT.search(question) if who else None
    return [m.group(1), f"{who}: {m.group(1)}"] if m else []


SENTENCE_END = re.compile(r"[.!?][”’\"']?\s")
# opens with, holds, or closes quoted words ('... in January."' ends a quotation opened a sentence before)
_QUOTATION = re.compile(r"^\W*[“\"]|[“\"]\w|[\w.!?,][”\"]")
SPEECH_REACH = 6  # words from a name to its verb of speech: "X, the deputy minister, told ..."
APPOSITION_REACH = 25  # words of an aside between a name and its verb ("X, a ... who ..., said")
APPOSITION = re.compile(rf"^,(?:\s+[^,;:.!?\s]+){{1,{APPOSITION_REACH}}},\s+(?:also\s+|later\s+)?$")
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|wrote|according\s+to)\s+(?:[\w’'.-]+\s+){0,3}$"
    # "..., said the union's regional organiser, Gary Holt": the role first, the name after its comma
    r"|\b(?:said|says|added|wrote)\s+(?:[\w’'.-]+\s+){1,7}?[\w’'.-]+,\s+(?:[A-Z][\w’'.-]*\s+){0,3}$"
    # '..., said Bertil Amund, the Union's energy commissioner': the name first, the post after its comma
    r"|\b(?:said|says|added|wrote)\s+(?:[A-Z][\w’'.-]+\s+){0,2}[A-Z][\w’'.-]+,\s+(?:the\s+|an?\s+)?(?:[\w’'.-]+\s+){0,5}$",
    re.IGNORECASE,
)
_UNSAID = re.compile(r"\b(?:could|should|would|might|must)\s+(?:not\s+|never\s+)?have\s+$", re.IGNORECASE)
_PRONOUN_SPEECH = re.compile(rf"\b(?:he|she)\s+(?:also\s+|then\s+|later\s+)?{SPEECH_VERBS}\b", re.IGNORECASE)
# "What did X tell *Y*", "what did X say to *Y*": the one addressed, whom the quote must name too.
_ADDRESSEE = re.compile(
    r"\b(?i:tell|tells|told|say\s+to|said\s+to)\s+(?![A-Z]{2,}s\b)((?:[A-Z][\w’'.-]*\s*)+)"
)


def _speaks(span: str, at: int, name: str) -> bool:
    """Whether the name at ``at`` in ``span`` is who speaks: a verb of speech within a few words after it
    ("X told", "X, the minister, said"), one just before it ("said X", "according to X"), or "he said"
    later on (a quotation attributed to the one just named)."""
    after = span[at + len(name) :]
    verb = _SPEECH_VERB.search(after)
    between = after[: verb.start()] if verb is not None else ""
    # "X's government could have explained that better": what was not said, not a report of speech
    if verb is not None and _UNSAID.search(between):
        verb = None
    # within the name's own sentence: "X met Y. Reporters said ..." is said by the reporters
    if verb is not None and len(between.split()) <= SPEECH_REACH and not SENTENCE_END.search(between):
        return True
    # "Ana Ruiz, a geologist at the Lima institute who was not involved in the survey, said ...": an
    # aside set off by commas stands between the name and its verb, however long it is
    if verb is not None and APPOSITION.match(between) and not SENTENCE_END.search(between):
        return True
    if _SPEECH_BEFORE.search(span[:at]) is not None:
        return True
    # "... said Dr Hester Quayle, a transport economist at ...": a post set beside the name of who speaks
    apposed = _APPOSED.search(span[:at])
    if apposed is not None and _speaks(span, apposed.start(1), apposed.group(1)):
        return True
    # "he said" goes back to a person named as one: not to a name that qualifies something ("the *Ruiz*
    # government", "*Ruiz*'s aide"), after which "he" is someone else
    attributive = re.search(r"\bthe\s+$", span[:at], re.IGNORECASE) or re.match(r"[’']s\b", after)
    return not attributive and _PRONOUN_SPEECH.search(after) is not None


_APPOSED = re.compile(r"\b((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*),\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}$")
_HOLDER = re.compile(r"\s+(?:[A-Z][\w’'.-]+\s+){0,2}([A-Z][\w’'-]+)(?![\w’'-])")


# "..., Marvessa's interior minister, Ana Varlan, ...", "Ana Varlan, Marvessa's interior minister, ...": who
# holds a post, named right after it or right before it
_HOLDER_AFTER = re.compile(r",?" + _HOLDER.pattern)
_HOLDER_BEFORE = re.compile(
    r"([A-Z][\w’'-]+),\s+(?:the\s+)?(?:[A-Z][\w’'-]*[’']s\s+)?(?:[a-z][\w-]*\s+){0,2}$"
)


def post_holders(text: str, post: str, owner: str | None = None) -> list[str]:
    """The surnames of those ``text`` says hold ``post`` (asked in lower case: "interior minister"), where it
    names them next to it ("Marvessa's interior minister, Ana Varlan," or "Ana Varlan, Marvessa's interior
    minister"): a quote that gives the holder's words by surname alone ("Varlan told reporters") gives the
    post's. ``owner``: whose post it is ("Marvessa"), which must be said just before the post (China's foreign
    minister is not Russia's). Empty for a name or a one-word post (a "minister" may be any minister)."""
    if len(post.split()) < 2 or not post.islower():
        return []
    found = []
    for m in re.finditer(rf"\b{re.escape(post)}\b", text, re.IGNORECASE):
        if owner is not None and not _says_owner(text[max(0, m.start() - POST_REACH) : m.start()], owner):
            continue
        after = _HOLDER_AFTER.match(text, m.end())
        before = _HOLDER_BEFORE.search(text, max(0, m.start() - 80), m.start())
        found += [h.group(1) for h in (after, before) if h is not None]
    return list(dict.fromkeys(found))


# Words of rank that say the same of a post: "lead inspector" is the "chief inspector"
_RANKS = frozenset(lexical.tokenize(["lead chief head senior principal top"])[0])
POST_REACH = 40  # characters around a post's head noun where its other words are looked for


# A post's head noun said as what its holder does ("who commands the coastguard", "who chairs the panel")
_POST_AS_VERB = {
    "commander": ("commands", "commanded"),
    "director": ("directs", "directed"),
    "chair": ("chairs", "chaired"),
    "head": ("heads", "headed"),
    "leader": ("leads", "led"),
    "manager": ("manages", "managed"),
    "governor": ("governs", "governed"),
}


def _post_forms(span: str, post: str) -> list[tuple[int, str]]:
    """Where ``span`` names a post asked in lower case ("energy minister") in another form: each place of
    its head noun ("minister") with the post's other words, ranks aside, said within ``POST_REACH``
    characters of it ("minister of energy"); none for a name or a one-word post."""
    words = post.split()
    if len(words) < 2 or not post.islower():
        return []
    head = words[-1]
    others = set(lexical.tokenize([" ".join(words[:-1])])[0]) - _RANKS
    found = []
    # ("Captain Rosa Delmar, who *commands* the coastguard": the coastguard commander, the post said as a verb)
    said_as = "|".join(re.escape(v) for v in _POST_AS_VERB.get(head.casefold(), ()))
    for m in re.finditer(
        rf"\b(?:{re.escape(head)}{'|' + said_as if said_as else ''})\b", span, re.IGNORECASE
    ):
        reach = max(0, m.start() - POST_REACH)
        if re.search(r"\b(?:its|their)\s+$", span[reach : m.start()], re.IGNORECASE):
            # "The Joint Reserve Commission met four times ..., and *its chair*, Hendrik Sollo, said": the body
            # the pronoun stands for is named earlier in the sentence
            reach = span.rfind(". ", 0, m.start()) + 1
        around = set(lexical.tokenize([span[reach : m.end() + POST_REACH]])[0])
        if others <= around:
            found.append((m.start(), m.group(0)))
    return found


# "the head of the Cardel Alliance", "the boss of the state railway": who leads a body, which a page calls by
# the post it holds there ("secretary-general of the Cardel Alliance", "Halvern's chief executive", "who led
# the mission"); "head of government" and "head of state" are offices of their own
_HEAD_ASKED = re.compile(r"^(?:head|boss|leader|chief|chair)\s+of\s+(?:the\s+)?(.+)$", re.IGNORECASE)
_HEADS = re.compile(
    r"\b(?:chief\s+executive|CEO|chair(?:man|woman|person)?|president|director(?:-general)?|secretary-general|"
    r"head|leader|boss|chief|(?:heads|headed|leads|led|runs|ran|directs|directed|chairs|chaired))\b"
)
_OFFICES = {
    "government": re.compile(r"\b(?:prime\s+minister|premier|chancellor)\b", re.IGNORECASE),
    "state": re.compile(r"\b(?:president|king|queen|monarch|emir)\b", re.IGNORECASE),
}
_NAME_BEFORE = re.compile(
    r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*),\s+(?:who\s+|the\s+|a\s+|an\s+)?(?:[\w’'-]+\s+){0,6}$"
)


def _heads_speaking(span: str, body: str) -> list[int]:
    """Where in ``span`` someone said to lead ``body`` (a post or a verb of leading, with the body's names,
    or one of its words, beside it) is who speaks: the positions of their names."""
    office = _OFFICES.get(body.casefold())
    pattern = office or _HEADS
    named = names(" x " + body)
    terms = [t for t in lexical.tokenize([body])[0] if len(t) > 2]
    found = []
    for m in pattern.finditer(span):
        if office is None:
            around = span[max(0, m.start() - POST_REACH) : m.end() + 2 * POST_REACH + len(body)]
            # its names ("the Cardel Humanitarian Alliance"), or the body called again by its head noun
            # ("the consortium's chief executive" for the Meridian Orbital Consortium's); a body with no name
            # by one of its words ("the Authority's chair" for the joint rail authority's)
            if named:
                # ("the port authority's director" for the Kessport Port Authority's; not "the Merrow Alliance"
                # for the Cardel Aid Alliance)
                again = re.search(
                    rf"\bthe\s+(?-i:[a-z][\w-]*\s+){{0,2}}?{re.escape(body.split()[-1])}\b",
                    around,
                    re.IGNORECASE,
                )
                if again is None and not all(names_subject(around, n) for n in named):
                    continue
            else:
                said = set(lexical.tokenize([around])[0])
                if not any(mentions({t}, said) for t in terms):
                    continue
        who = _NAME_BEFORE.search(span[: m.start()])
        if who is not None and _speaks(span, who.start(1), who.group(1)):
            found.append(who.start(1))
        elif _speaks(span, m.start(), m.group(0)):  # "..., the Authority's chair said"
            found.append(m.start())
    return found


def post_owner(question: str, post: str) -> str | None:
    """The name that owns the post a question asks for someone's words by ("*Kaimora*'s foreign minister"),
    or None (a name asked, or a post with no owner)."""
    if post[:1].isupper():
        return None
    m = re.search(
        rf"((?:[A-Z][\w.-]*\s+){{0,3}}[A-Z][\w.-]*)[’']s\s+(?:[a-z-]+\s+){{0,3}}?{re.escape(post)}\b",
        question,
    )
    return m.group(1) if m else None


def _says_owner(span: str, owner: str) -> bool:
    """Whether ``span`` names ``owner`` or a word made from it ("Valdorian" for "Valdoria")."""
    said = set(lexical.tokenize([span])[0])
    return all(_known(t, said) or _extends(t, said) for t in lexical.tokenize([owner])[0])


# Posts a page may call by another name than the question's
_POST_SYNONYMS = {
    "ceo": ["chief executive"],
    "chief executive": ["CEO"],
    "captain": ["skipper"],
    "skipper": ["captain"],
    "envoy": ["ambassador"],
    "ambassador": ["envoy"],
    "spokesman": ["spokesperson", "spokeswoman"],
    "spokeswoman": ["spokesperson", "spokesman"],
    "spokesperson": ["spokesman", "spokeswoman"],
    "chair": ["chairman", "chairwoman", "chairperson"],
    # a post in newspaper shorthand ("Valdoria's top diplomat": "the Valdorian foreign minister")
    "top diplomat": ["foreign minister", "foreign secretary", "secretary of state"],
    "treasury chief": ["treasury secretary", "finance minister", "treasurer"],
    "finance chief": ["finance minister", "chief financial officer"],
    "lead inspector": ["chief inspector"],
    "chief inspector": ["lead inspector"],
}


# a post asked with its owner's name before it: "the Serrat Airways chief executive"
_OWNED_POST = re.compile(r"^((?:[A-Z][\w’'&-]*\s+)+)([a-z][a-z-]*(?:\s+[a-z][a-z-]*)+)$")


def quotes_speaker(
    span: str, name: str, question: str, quoted: str | None = None, title: str = "", goes_on: str = ""
) -> bool:
    """Whether ``span`` gives words of ``name`` on the question's topic.

    The name must be who speaks (``_speaks``): a sentence that only names the person ("X visited Lima",
    "... a meeting with X", "X visited Lima; sources there said ...") does not say what they said. A name
    the question gives as the topic ("say about the Lima strike") or as the one addressed ("tell
    Ruiz") must be in it too.

    ``quoted``: the part of ``span`` that would be quoted, when ``span`` also holds the sentence before it
    (who speaks in "..., he said"). A speaker named only there must go on speaking in the quoted part (a
    quotation, "he said"): otherwise the quote is someone else's sentence.

    ``title``: the title of the document ``span`` is from. A topic it names is what the whole document is
    about: "What did Ruiz say about the footbridge?" is answered by Ruiz's words in the article titled
    "Council backs footbridge ...", though they say "the project" or nothing of it.

    ``goes_on``: the quoted words that follow ``span`` ('"A pool this old costs more to heat ..."'), which say
    the topic too, though not who speaks (a "she said" there goes back to the speaker of ``span``).
    """
    folded = span.casefold()
    # "head gardener Tomasz Reid ... 'You don't need a greenhouse,' Reid said": a post followed by who holds
    # it, then called by surname
    called = [name] + [
        follow.group(1)
        for m in re.finditer(re.escape(name.casefold()), folded)
        if (follow := _HOLDER.match(span, m.end())) is not None
    ]
    called += _POST_SYNONYMS.get(name.casefold(), [])  # "Halvard's CEO": "the company's chief executive"
    speaking = sorted(
        m.start()
        for each in dict.fromkeys(called)
        for m in re.finditer(re.escape(each.casefold()), folded)
        if _speaks(span, m.start(), each)
    )
    head = _HEAD_ASKED.match(name)
    if not speaking and head is not None:
        speaking = _heads_speaking(span, head.group(1))
    if not speaking:
        # "the energy minister" written "Kelmaria's minister of energy", "the presiding judge" "Judge Arbath,
        # the tribunal's president": the post's head noun, with its other words said around it
        speaking = [at for at, head in _post_forms(span, name) if _speaks(span, at, head)]
    owned = _OWNED_POST.match(name)
    if not speaking and owned is not None:
        # "the Serrat Airways chief executive": "Lucia Ferrant, the chief executive of Serrat Airways", the owner
        # named beside the post
        speaking = [
            at
            for at, head in _post_forms(span, owned.group(2))
            if _speaks(span, at, head)
            and all(
                names_subject(span[max(0, at - POST_REACH) : at + 2 * POST_REACH], n)
                for n in names(" x " + owned.group(1))
            )
        ]
    if not speaking:
        return False
    own = span.rfind(quoted) if quoted else 0
    if own > 0 and speaking[-1] < own and not (_PRONOUN_SPEECH.search(quoted) or _QUOTATION.search(quoted)):
        return False
    # "China's foreign minister": a foreign minister of another country is someone else ("Deputy Foreign
    # Minister Sergey Ryabkov" in a piece on Russia); the owner is said with the post ("the Valdorian health
    # minister" for "Valdoria's") or in the sentence before
    owner = post_owner(question, name)
    if owner is not None and not _says_owner(span, owner):
        return False
    told = _ADDRESSEE.search(question)
    # the one addressed comes after the speaker ("X told Reuters"), the surname is enough
    if told and told.group(1).split()[-1].casefold() not in folded[speaking[0] :]:
        return False
    # (with the title's help, every word of the topic: "about the Ukraine buildup" is not what an article
    # titled "Will the Ukraine Standoff Affect the Iran Talks?" is about as a whole)
    said = f"{span} {goes_on}" if goes_on else span
    return (
        covers_topic(said, question) or bool(title) and covers_topic(f"{title}\n{said}", question, every=True)
    )


# Words of a topic that say nothing of what it is ("about *whether there would have been* a deal").
_TOPIC_FILLER = frozenset(
    [
        "whether",
        "can",
        "themselves",
        "itself",
        "would",
        "could",
        "should",
        "have",
        "has",
        "had",
        "been",
        "being",
        "there",
        "their",
        "them",
        "they",
        "what",
        "which",
        "that",
        "this",
        "these",
        "those",
        "with",
        "without",
        "from",
        "into",
        "about",
        "over",
        "under",
        "after",
        "before",
        "when",
        "where",
        "while",
        "such",
        "some",
        "other",
        "its",
        "his",
        "her",
        "our",
        "your",
        "about",
        "only",
        "also",
        "just",
        "very",
        "more",
        "most",
        "much",
        "many",
        "make",
        "made",
        "does",
        "did",
        "said",
        "says",
        "say",
        "tell",
        "told",
        # ("say to justify *the decision*", "explain *the move*": the act the words defend, which they seldom
        # name)
        "decision",
        "move",
        "step",
        "out",
    ]
)
# (as BM25 terms too, "many" is "mani"; and the words that ask: "about *how many* hours learners *usually* need")
_TOPIC_FILLER_TERMS = _TOPIC_FILLER | frozenset(
    lexical.tokenize(
        [" ".join([*_TOPIC_FILLER, "how", "why", "who", "usually", "often", "ever", "generally"])]
    )[0]
)
_ABOUT = re.compile(
    r"\b(?:about|(?:opinion|views?|position|stance|reaction|assessment)\s+(?:of|on)|"
    # "What does Haugen think of the proposal ...?", "What do they make of the fund?"
    r"(?:think|thinks|thought|make|makes)\s+of|"
    # "How did Ruiz justify the fee?": her words on the fee, which a quote on another matter does not give
    r"(?:justify|explain|defend)(?=\s+(?:the|its|their|his|her)\b)|"
    # "Quote Ruiz on the fee"
    r"(?<=\b[Qq]uote\s)(?:[A-Z][\w’'.-]+\s+){1,5}(?:on|regarding)|"
    # "the sheriff's words on the curfew", "Ruiz's remarks regarding the fee"
    r"(?:words|remarks|comments?|quotes?|quotations?)\s+(?:on|regarding|concerning)|"
    r"(?:reply|replied|respond|responded|react|reacted)\s+to|in\s+(?:response|reply|answer)\s+to)\s+([^?!]+?)"
    # ("about the ban *when the complaint was lodged*": when it was said, not what it is about)
    r"(?:,?\s+(?:when|after|before|while|during|as)\s+(?:the|it|they|he|she|[A-Z])[^?!]*|"
    # ("... about the cost dispute *at her press conference in Lisk*": where it was said)
    r",?\s+(?:at|in|during)\s+(?:a|an|the|his|her|their|its)\s+(?:\w+\s+)?(?:press\s+conference|speech|"
    r"interview|hearing|rally|meeting|summit|address|statement|testimony)\b[^?!]*)?\s*[.]*\s*(?:[?!]|$)",
    re.IGNORECASE,
)


# the head noun of a topic said as "the <noun> to/of/for ...", right after its article
_TOPIC_HEAD = re.compile(r"^(?:the|a|an|this|that|its|their|his|her)\s+([a-z]+)\s+(?:to|of|for|on|that)\s")
# heads that only hold the topic ("the state of the talks", "the future of the accord"): what follows is it
_CONTAINER_HEADS = frozenset(
    re.findall(
        r"\w+",
        "state future question issue matter idea subject prospect prospects role level size scale pace timing fate "
        "outcome status handling progress possibility risk cost costs effect effects impact conduct behaviour "
        "behavior treatment performance situation record condition use",
    )
)


def topic_terms(question: str) -> list[str]:
    """The content terms (BM25 stems) of what a question asks someone's words "about" (all of it, to the
    end of the question), filler left out; empty when it names no topic."""
    m = _ABOUT.search(question)
    if m is None:
        return []
    return [t for t in lexical.tokenize([m.group(1)])[0] if t not in _TOPIC_FILLER_TERMS and len(t) > 2]


def covers_topic(span: str, question: str, *, every: bool = False) -> bool:
    """Whether ``span`` is on the topic the question asks about: the names that open it (not one that owns
    it: "Ana's") and at least half of its content words, by stem or a word they extend
    ("What did Ruiz say about the *petition*?" is not answered by Ruiz's words on the budget), or one of
    them when it has three or more; ``every``: all of its content words."""
    m = _ABOUT.search(question)
    if m is None:
        return True
    # the names that open the topic must be said ("about the Lima strike"); one with a possessive owns the
    # topic and is often said as "our" or "its" ("about Peru's approach": "we laid out our approach")
    opening = " ".join(m.group(1).split()[:3])
    if not all(names_subject(span, w) for w in names(" x " + opening) if not re.search(r"[’']s$", w)):
        return False
    wanted = topic_terms(question)
    said = set(lexical.tokenize([span])[0])
    # ("about being asked to pay": "We paid for a port ...")
    said |= set(
        lexical.tokenize([" ".join(PAST_OF[w] for w in re.findall(r"[a-z]+", span) if w in PAST_OF)])[0]
    )
    covered = sum(_known(t, said) or _extends(t, said) for t in wanted)
    # "about the *proposal* to move the centre to Port Esk": the thing the topic is, before what it is to do or
    # be of, must be said; her words on the centre and Port Esk are about something else
    head = _TOPIC_HEAD.match(m.group(1))
    if head is not None and head.group(1).casefold() not in _CONTAINER_HEADS:
        terms = [t for t in lexical.tokenize([head.group(1)])[0] if t not in _TOPIC_FILLER_TERMS]
        if terms and not (_known(terms[0], said) or _extends(terms[0], said)):
            return False
    if not wanted:
        return True
    if every:
        return covered == len(wanted)
    # A long topic is often said in other words ("who bears responsibility for launches from the island":
    # "We rent out the land, not our responsibility"): one of three or more of its words will do there
    return 2 * covered >= len(wanted) or (len(wanted) >= 3 and covered >= 1)


def mentions(words: set[str], said: set[str]) -> bool:
    """Whether every term of ``words`` is in ``said`` by stem or a word that extends it, either way round
    ("the ferry *shortage*" is said by "short of 12 crews"; "*driver*" by "drivers"; the stemmer leaves
    "buses" as "buse", which "bus" says)."""
    return all(_known(t, said) or _extends(t, said) or _plural_e(t, said) for t in words)


COMMON_TERM = 0.25  # share of a topic's highest idf under which a word of it is in nearly every passage
_FULL_NAME = re.compile(r"\b(?:[A-Z][\w’'-]*\s+)+([A-Z][\w’'-]*)")
# The last words of organisations' names, which say little: "Castell *Power*" is named again as "Castell".
_BODY_WORDS = frozenset(
    re.findall(
        r"\w+",
        "power energy group rail railways works bank batteries chemical chemicals systems industries "
        "holdings partners transit motors airlines research institute council network alliance trust union "
        "association agency authority ministry company corporation corp inc ltd times post herald news press "
        "service services foundation fund club party",
    )
)


def short_names(topic: str) -> str:
    """``topic`` with each name of several words cut to the word it is named again by: a person's last
    ("Ana Ruiz" -> "Ruiz"), a body's first when its last says only what it is ("Castell Power" ->
    "Castell")."""

    def short(m: re.Match[str]) -> str:
        words = m.group(0).split()
        return words[0] if words[-1].casefold() in _BODY_WORDS else words[-1]

    return _FULL_NAME.sub(short, _NAME_BODY.sub(r"\1", topic))


# "the Ruiz administration", "the Lima government": a name with a word that says only what of it is meant,
# which the name alone says again ("President Ruiz's decision")
_NAME_BODY = re.compile(
    r"\b([A-Z][\w’'-]*)\s+(?:administration|government|cabinet|campaign|era|presidency)\b"
)


def telling_terms(words: set[str], weights: Mapping[str, float] | None) -> set[str]:
    """The terms of a short topic (its names cut by ``short_names``) that a sentence on it must say: a
    word found in nearly every passage of the index (idf under ``COMMON_TERM`` of the topic's rarest: "the
    *ferries*" in a collection about ferries) says nothing about a sentence when the topic has a rarer one
    ("refitting the ferries")."""
    if not weights or len(words) < 2:
        return words
    top = max(weights.get(t, 0.0) for t in words)
    return {t for t in words if weights.get(t, top) >= COMMON_TERM * top}


def _plural_e(term: str, said: set[str]) -> bool:
    """Whether ``term`` is a said term and the "e" of its plural the stemmer kept ("buse" for "bus")."""
    return len(term) >= 4 and term.endswith("e") and term[:-1] in said


def covers_terms(words: set[str], said: set[str]) -> bool:
    """Whether ``said`` holds at least half of ``words`` (and two, when there are more than two), by stem
    or a word that extends it."""
    found = sum(_known(t, said) or _extends(t, said) for t in words)
    return 2 * found >= len(words) and found >= min(2, len(words))


def _extends(term: str, said: set[str]) -> bool:
    """Whether a term of ``said`` extends ``term`` by a few letters ("result" -> "results")."""
    return len(term) >= 4 and any(t.startswith(term) and len(t) - len(term) <= 3 for t in said)


_PERFECT_VERB = re.compile(
    r"^\s*(?i:how\s+(?:many|much))\b.*?\b(?i:has|have|had)\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s+)+"
    r"(?:(?:already|so\s+far|ever|now)\s+)?([a-z]\w+(?:ed|en|t))\b"
)


def yes_no_verb(question: str) -> str | None:
    """The verb a question asks about, which a sentence must state to answer it: "Did Nordline *deliver* the
    ferries?", "How many ferries has Chile *received*?" (a sentence about selling them does not say how many were
    received). None for "X or Y" questions and other shapes."""
    if " or " in question:
        return None
    m = _YES_NO_VERB.search(question) or _PERFECT_VERB.search(question)
    verb = next((g for g in m.groups() if g), None) if m else None
    # "How many cases has Sollet *recorded*?": a verb of tallying says only that the count exists ("produced
    # 1,340 suspected cases")
    if verb is not None and m is not None and m.re is _PERFECT_VERB and verb.casefold() in _TALLIED:
        return None
    return verb


_TALLIED = frozenset(
    ["recorded", "reported", "registered", "counted", "logged", "seen", "had", "experienced"]
)


@functools.lru_cache(maxsize=1024)  # asked of every sentence judged for one question
def event_verb(question: str) -> str | None:
    """The verb of the event a "When did X *verb*" or "Who *verbed* X" question asks about. Unlike a yes/no
    question's verb it is often said in other words ("halt" for "suspended"), so a sentence that does not
    state it is only scored lower (``EVENT_PENALTY`` in the generator), not refused."""
    # ("Why does X *consider* the threat empty?": the verb of a view, which its grounds never repeat)
    if " or " in question or _WHY_VIEW.search(question):
        return None
    m = _EVENT_VERB.search(question)
    verb = next((g for g in m.groups() if g), None) if m else None
    # "Why does Valdoma *end up* using more ...?": "end up" says how things turned out, not an event of its own
    if verb in ("end", "wind") and re.search(rf"\b{verb}\s+up\b", question):
        return None
    # ("How much reserve did Kestria *have* ...?": having is no event, and its forms are no words the index keeps)
    if verb in ("have", "has", "had"):
        return None
    return verb


# "When does the exhibition *close*?": the last verb of a when-question about an event with an opposite, which a
# sentence that states only the opposite ("The exhibition opens on 18 May") does not answer
_WHEN_ENDS = re.compile(
    r"^\s*when\s+(?:does|did|do|will|is|was|are|were)\b.*\b(open|close|start|end|begin|finish|arrive|leave|"
    r"depart)s?\s*\??\s*$",
    re.IGNORECASE,
)
_OPPOSITES = {
    "open": ("close",),
    "close": ("open",),
    "start": ("end", "finish"),
    "begin": ("end", "finish"),
    "end": ("start", "begin", "open"),
    "finish": ("start", "begin"),
    "arrive": ("leave", "depart"),
    "leave": ("arrive",),
    "depart": ("arrive",),
}


def not_opposite(span: str, question: str) -> bool:
    """False when ``span`` states only the opposite of the event a when-question asks about ("When does the
    exhibition close?" against "The exhibition opens on 18 May"); True otherwise."""
    m = _WHEN_ENDS.search(question)
    if m is None:
        return True
    verb = m.group(1).casefold()
    return not _only_another(span, (verb,), [(o,) for o in _OPPOSITES[verb]])


def _only_another(span: str, asked: Sequence[str], others: Sequence[Sequence[str]]) -> bool:
    """Whether ``span`` states one of ``others`` (each a set of wordings) and none of the ``asked`` wordings:
    the date or figure it gives is another event's (an opening for a closing, a signing for a ratifying)."""
    if any(states_verb(span, form) for form in asked):
        return False
    return any(states_verb(span, form) for other in others for form in other)


_ORDINALS = (
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d+(?:st|nd|rd|th)"
)
_ORDINAL_NOUN = re.compile(rf"\b({_ORDINALS})\s+([a-z][a-z-]{{2,}})\b", re.IGNORECASE)


def same_ordinal(span: str, question: str) -> bool:
    """False when the question asks about the n-th of something and ``span`` speaks of another one of them
    only ("What happened at the third round of talks?" against "The fourth round of talks ended ..."); True
    otherwise."""
    for asked, noun in _ORDINAL_NOUN.findall(question):
        stem = noun.casefold()[: max(4, len(noun) - 2)]  # "round" in "rounds", "summit" in "summits"
        said = re.findall(rf"\b({_ORDINALS})\s+(?:[\w-]+\s+)?{re.escape(stem)}", span, re.IGNORECASE)
        if said and asked.casefold() not in {o.casefold() for o in said}:
            return False
    return True


# Stages of one process, in the order they happen: a date or a figure of one stage is not another's ("When did
# Tosk ratify the agreement?" against "Arvel and Tosk signed the agreement on 12 April 2019"). Each stage is
# its wordings; a stage's noun counts when it begins with the verb's stem ("delivery" for "deliver").
_STAGES = (
    (("propose",), ("negotiate",), ("sign",), ("ratify", "ratification"), ("approve", "adopt"), ("implement",),
     ("expire",), ("terminate", "scrap")),
    (("order",), ("buy", "purchase"), ("build",), ("deliver",), ("retire", "decommission")),
    (("arrest", "detain"), ("charge", "indict"), ("convict",), ("sentence",), ("acquit",)),
    (("file", "lodge"), ("hear",), ("rule",), ("appeal",)),
    (("elect",), ("appoint",), ("resign",), ("dismiss", "sack")),
    (("found", "establish", "set up", "create", "form", "launch"), ("merge",), ("dissolve", "disband", "abolish")),
)  # fmt: skip
# A body is founded once, and a sentence on it with a date but no word of its founding ("the Commission's
# survey of 2014") dates something else: the founding must be said
_SAID_OR_REFUSED = frozenset(["found"])


@functools.lru_cache(maxsize=256)
def _stage_of(verb: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None:
    """The stage ``verb`` names and the other stages of its process, or None (no known process)."""
    wanted = set(lexical.tokenize([verb])[0])
    for family in _STAGES:
        for stage in family:
            if any(set(lexical.tokenize([form])[0]) == wanted for form in stage):
                return stage, tuple(other for other in family if other is not stage)
    return None


def same_stage(span: str, question: str) -> bool:
    """False when ``span`` states another stage of the process whose stage the question asks about, and not
    the asked one ("When did Tosk ratify ...?" against "... signed ... on 12 April 2019"), or does not state
    a founding asked about; True otherwise.

    (Not for "Why did X ratify ...?": a reason is given for a process as a whole as often as for one step.)"""
    verb = event_verb(question)
    if verb is None or asks_why(question):
        return True
    found = _stage_of(verb)
    if found is None:
        return True
    stage, others = found
    if stage[0] in _SAID_OR_REFUSED:
        return any(states_verb(span, form) for form in stage)
    return not _only_another(span, stage, others)


# The past forms of common irregular verbs: "When did the Council *give* Nordline control?" is answered by "gave"
# (and of a few verbs said as often in other words).
_IRREGULAR = {
    "give": "gave given",
    "sell": "sold sale",
    "buy": "bought",
    "take": "took taken",
    "make": "made",
    "send": "sent",
    "build": "built",
    "begin": "began begun",
    "come": "came",
    "go": "went gone",
    "get": "got gotten",
    "hold": "held",
    "lead": "led",
    "meet": "met",
    "pay": "paid",
    "say": "said",
    "see": "saw seen",
    "tell": "told",
    "win": "won",
    "leave": "left",
    "bring": "brought",
    "keep": "kept",
    "find": "found",
    "become": "became",
    "fall": "fell fallen",
    "run": "ran",
    "spend": "spent",
    "write": "wrote written",
    "lose": "lost",
    "grow": "grew grown",
    "know": "knew known",
    "break": "broke broken",
    "choose": "chose chosen",
    "draw": "drew drawn",
    "rise": "rose risen",
    "speak": "spoke spoken",
    "steal": "stole stolen",
    "strike": "struck",
    "withdraw": "withdrew withdrawn",
    # and a few verbs said as often in other words: "hand Nordline control" is "gave Nordline control"
    "hand": "gave given transferred",
    "transfer": "gave given handed",
    "obtain": "got received acquired",
}


PAST_OF = {form: base for base, forms in _IRREGULAR.items() for form in forms.split()}
# "Do the articles agree on *how many jets X has delivered*?": a question set inside a comparison
# (Not "when the board approved it": a date is often said of its event in other words, "gave X control"
# for "X took control", so a fact question's event verb only lowers a score, and a comparison's is not asked.)
_CLAUSE = re.compile(r"^\s*(?i:how\s+(?:many|much))\s+(?P<rest>.+)$")


def clause_verb(topic: str) -> str | None:
    """The verb of a "how many" question a comparison's topic holds ("how many ferries the port has
    *received*"), which a compared sentence must state, as the sentence of "How many ferries has the port
    received?" must; None for any other topic. (The first word after "how many" is what is counted.)"""
    m = _CLAUSE.match(topic)
    if m is None:
        return None
    for word in re.findall(r"[\w’'.-]+", m.group("rest"))[1:]:
        if re.fullmatch(r"[a-z]{3,}ed", word):
            return word
        if word in PAST_OF:
            # ("how much of the flying *went* to Valdoma": a light verb, which "used 58 percent of" says too)
            return None if PAST_OF[word] in _LIGHT_VERBS else PAST_OF[word]
    return None


_LIGHT_VERBS = frozenset(["go", "come", "get", "have", "make", "take", "do", "be"])


def states_verb(span: str, verb: str | None) -> bool:
    """Whether ``span`` states ``verb`` (any form with its stem, or an irregular past form)."""
    if not verb:
        return True
    said = set(lexical.tokenize([span])[0])
    wanted = set(lexical.tokenize([verb])[0])
    # "delivery" states "deliver", "agreement" "agree": a noun made from the verb begins with its stem
    if all(w in said or (len(w) >= 5 and any(t.startswith(w) for t in said)) for w in wanted):
        return True
    forms = _IRREGULAR.get(verb.lower(), "").split()
    return any(set(lexical.tokenize([form])[0]) <= said for form in forms)


_HOW_MANY = re.compile(r"\bhow\s+many\s+((?:[\w’'.,-]+\s*){1,4})", re.IGNORECASE)
_AUX = re.compile(r"^(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could)$", re.IGNORECASE)
_DONE = re.compile(r"^(?:[a-z]+ed|died|fled|left|lost|won|paid|fell|taken|killed|hurt)$", re.IGNORECASE)


# "How much *profit* did Acme make?": a figure a firm or body reports under its own name, which the number must
# be said to be ("reported a *loss* of $14 million" is no profit; "2.1 million passengers" no revenue)
_FIGURES = (
    r"profits?|revenues?|income|loss(?:es)?|debts?|deficits?|surplus|salar(?:y|ies)|budgets?|turnover|"
    r"earnings|sales|taxe?s?|rent|wages?|fees?|fines?|subsid(?:y|ies)|grants?|donations?|(?:aid|support)\s+packages?"
)
_HOW_MUCH_FIGURE = re.compile(
    rf"\bhow\s+much\s+(?:in\s+)?({_FIGURES})\b|"
    # "How much is the joining fee?", "How large was the Levy Board grant?"
    # ("How big is Varkesh's annual space budget?": a name's, as "its"; "N" is a name as ``expected_type`` masks it)
    rf"\bhow\s+(?:much|large|big)\s+(?:is|was|are|were|will\s+be)\s+(?:the|a|an|its|their|N|[\w’'-]+[’']s)\s+"
    rf"(?:[\w’'-]+\s+){{0,4}}?({_FIGURES})\b|"
    # "What operating profit did Acme make?"
    rf"^\s*what\s+(?:[\w-]+\s+)?({_FIGURES})\s+(?:did|does|do|will|would|has|have|had)\b|"
    # "What was Kessaria's defence budget in 2022?", "What is the council's annual grant?"
    rf"^\s*what\s+(?:is|was|were|are)\s+(?:the\s+)?(?:[\w’'-]+[’']s\s+)?(?:[a-z][\w-]*\s+)?({_FIGURES})\b",
    re.IGNORECASE,
)


# "How much butter do I need?": a quantity of a substance, which the number must measure ("125 g butter"),
# not another number of the passage ("only four ingredients")
_HOW_MUCH_OF = re.compile(
    r"^\s*how\s+much\s+(?!(?:money|cash|time|more|less|extra|additional|else|longer|further|of|is|was|are|were|does|do|did|will|"
    r"would|should|can|could|has|have|had)\b)([a-z][a-z-]+)\s+(?:do|does|did|is|are|was|were|will|should|would|"
    r"can|could|has|have|had|goes|go|went)\b",
    re.IGNORECASE,
)


def measured_thing(question: str) -> str | None:
    """What a "how much X" question measures ("How much *butter* do I need?"), or the figure a "how much
    profit / revenue / rent" question asks for, or None."""
    figure = _HOW_MUCH_FIGURE.search(question)
    # ("a surplus of 4,300 pounds": a sum of money, whose number comes with its currency)
    if figure is not None:
        return next(g for g in figure.groups() if g)
    m = _HOW_MUCH_OF.search(question)
    return m.group(1) if m else None


def counted_thing(question: str) -> str | None:
    """What a "how many" question counts ("How many *engineers* worked there?"), or None.

    The last plural-looking word before the verb; a number in a sentence about something else ("two years
    before ...") does not count engineers.
    """
    m = _HOW_MANY.search(question)
    if m is None:
        return None
    words = []
    said = m.group(1).split()
    for i, word in enumerate(said):
        if _AUX.match(word):
            # "How many people have died ...?": people counted by what befell them, said after the auxiliary
            rest = [w.strip("?.,") for w in said[i + 1 :] if not _AUX.match(w) and w.casefold() != "been"]
            if len(words) == 1 and words[0].casefold() in _ANYONE and rest and _DONE.match(rest[0]):
                words.append(rest[0])
            break
        words.append(word.strip("?.,"))
    # "How many of the 41,000 Dravonians who fled ...": of those, counted again
    while words and (words[0].casefold() in ("of", "the", "these", "those") or words[0][:1].isdigit()):
        words = words[1:]
    # "How many packets of seeds": the packets are counted, not the seeds
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    plural = [w for w in words if len(w) > 3 and w.lower().endswith("s") and not w.lower().endswith("ss")]
    # "How many people signed the petition?": people counted by what they did, which the number may name
    # instead ("a petition with 8,900 signatures")
    if words and not plural and words[0].lower() in _ANYONE and len(words) > 1 and words[1].endswith("ed"):
        return f"{words[0]} {words[1]}"
    return (plural[-1] if plural else words[0]) if words else None


_ANYONE = frozenset(["people", "persons", "individuals"])


# A number as written: "4,200", "$2.5", "40%", "thirty-two", "two million"
_NUMBER = re.compile(rf"[$€£¥₽]?\d[\d,.]*%?|\b(?i:{_NUMBER_WORDS}|a\s+dozen)(?:-\w+)?\b")
COUNT_REACH = (
    5  # words after a number that may name what it counts ("900 *doors*", "32 Su-35 fighter *jets*")
)
COUNT_BEFORE = (
    8  # words before it in its clause ("*homes* destroyed: 40", "*revenue* from X had grown to $2.8 billion")
)


# A unit right after a number: what the number measures (lengths and weights as ``_MEASURE`` has them, money,
# time, shares)
_UNIT_AFTER = re.compile(
    rf"[\s-]*(?:%|°|{_UNITS}|(?:{_CURRENCIES}|per\s*cent|percent|litres?|liters?|ml|g|hours?|minutes?|seconds?|"
    r"days?|weeks?|months?|years?|degrees?)\b)",
    re.IGNORECASE,
)


# "3 August", "August 3": a date's day
_DAY_OF_MONTH = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?i:{_MONTHS})\b|\b(?i:{_MONTHS})\s+\d{{1,2}}\b"
)
# Plural things a number names right after it ("six or more people", "40 new homes")
_COUNTED_NOUN = re.compile(
    r"(?:\s+(?:or|and)\s+(?:more|fewer|less|over|under))?(?:\s+[a-z-]+)?\s+(?:people|children|men|women|[a-z]{3,}s)\b"
)


_ANYONE_TERMS = frozenset(lexical.tokenize([" ".join(_ANYONE)])[0])
# Things counted under another common name ("How many households": "41,000 homes"; "library jobs": "34 library
# posts"; "workers": "120 people"), as BM25 terms
_COUNTED_AS = {
    term: frozenset(terms) - {term}
    for names in COUNTED_NAMES
    for terms in [lexical.tokenize([names])[0]]
    for term in terms
    if term != lexical.tokenize(["people"])[0][0] and term != lexical.tokenize(["staff"])[0][0]
}


_PEOPLE_TERMS = frozenset(lexical.tokenize(["people persons"])[0])
# Nouns that count people by what they are to something (a crew, a staff, a camp, a protest)
_PERSONS_TERMS = frozenset(
    lexical.tokenize(
        [
            "crew staff employees workers residents passengers demonstrators protesters soldiers officers "
            "villagers refugees civilians volunteers pupils students patients delegates inhabitants fishermen"
        ]
    )[0]
)


def counts(span: str, thing: str, *, measured: bool = False, question: str = "") -> bool:
    """Whether a number in ``span`` counts the ``thing`` asked about: the thing (its stem, as the BM25 terms
    spell it) named a few words after the number or just before it. "How many homes did the fire destroy?"
    is not answered by "4,200 residents were ordered to leave their homes": 4,200 counts residents.
    ``measured``: a quantity of the thing ("125 g butter"), whose number comes with a unit. ``question``: the
    question asked, whose own figures count nothing new ("How many of the 31 people killed were citizens?":
    "killed 31 people" does not say how many)."""
    wanted = set(lexical.tokenize([thing])[0])
    if not wanted:
        return True
    # "How many people were detained?": "23 crew members", "a staff of 23" (people asked for as such, not
    # workers, whose synonyms include people: "three members" of a consortium are no workers)
    asked_people = bool(wanted & _PEOPLE_TERMS)
    wanted |= {other for t in wanted for other in _COUNTED_AS.get(t, ())}
    if asked_people:
        wanted |= _PERSONS_TERMS
    # (a noun that counts people is said as itself, not by a word it begins: "working aircraft" are no workers)
    loose = wanted - (_PERSONS_TERMS if asked_people else frozenset())
    text = _DAY_OF_MONTH.sub(" ", _YEAR.sub(" ", span))  # a year, or a day of a month, counts nothing
    text = _CLOCK.sub(" ", text)  # ("Shortly after 2 a.m.": a time of day)
    given = {n.replace(",", "") for n in re.findall(r"\d[\d,]*", question)}
    for m in _NUMBER.finditer(text):
        if m.group(0).replace(",", "") in given:
            continue
        if not measured and (
            m.group(0).endswith("%")
            or m.group(0).casefold() == "percent"
            or _PERCENT_AFTER.match(text, m.end())
        ):
            continue  # ("61 percent of departing passengers": a share of them, not how many)
        unit = _UNIT_AFTER.match(text, m.end())
        if unit and not measured and not set(lexical.tokenize([unit.group(0)])[0]) & wanted:
            continue  # "parcels of up to 2.5 kilograms": a measure, which counts no parcels or drones
        after = " ".join(text[m.end() :].split()[:COUNT_REACH])
        # ("dozens of highland villages *whose* residents ...": a relative clause is about what was counted)
        after = re.split(r"\b(?:whose|who|which|where|while)\b", after, maxsplit=1)[0]
        # (within its clause: "the inhaler Breathix, which rose from $98" does not count inhalers)
        before = " ".join(re.split(r"[,;]", text[: m.start()])[-1].split()[-COUNT_BEFORE:])
        said_after = set(lexical.tokenize([after])[0])
        if any(_known(t, said_after) if t in loose else t in said_after for t in wanted):
            return True
        # ("people signed": "8,900 signatures" names them by the verb's noun)
        by_deed = wanted - _ANYONE_TERMS if " " in thing else set()
        if any(len(t) >= 4 and any(w.startswith(t) for w in said_after) for t in by_deed):
            return True
        # "*homes* destroyed: 40"; but "households of six or more *people*" counts the people
        counted_after = _COUNTED_NOUN.match(text, m.end()) if unit is None else None
        said_before = set(lexical.tokenize([before])[0])
        if counted_after is None and any(
            _known(t, said_before) if t in loose else t in said_before for t in wanted
        ):
            return True
    return False


_PERCENT_AFTER = re.compile(r"\s*(?:percent|per\s+cent)\b", re.IGNORECASE)


def folded(text: str) -> str:
    """``text`` lower-cased, punctuation as spaces, white space single: for comparing wordings."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def repeats(asked: str, sentence: str) -> bool:
    """Whether ``sentence`` cites the question itself (``asked``, folded): "... still abstains on 'What is
    X?'" mentions the question, it does not answer it."""
    # The cited question keeps its question mark; a sentence that merely uses the question's words (a user
    # asking in the document's own phrasing) does not have one.
    return len(asked.split()) >= 4 and "?" in sentence and asked in folded(sentence)
