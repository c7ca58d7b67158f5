"""Words that name the same counted or measured thing: a question asks "how much land", its answer says "14,000
hectares". Kept small and general (no word of any one document), and shared by the checks that decide a number
answers (``generators.answer_checks.counts``) and the answer line that copies it (``direct_answers``)."""

from __future__ import annotations

COUNTED_NAMES = (
    "household home house",
    "job post role position",
    "worker employee staff people",
    # "How much land did the fire burn?": "14,000 hectares"; "How much fuel was left?": "14 kilograms of
    # propellant"
    "land area hectare acre",
    "fuel propellant",
    # "How many people have died?": "212 deaths", "40 dead"
    "died death dead fatality",
    "injured injury wounded",
)


def counted_as(word: str) -> list[str]:
    """The other words of ``word``'s group (compared by their first letters, so plurals match), else []."""
    folded = word.casefold()
    for names in COUNTED_NAMES:
        group = names.split()
        if any(folded.startswith(w[: max(4, len(w) - 1)]) for w in group):
            return [w for w in group if not folded.startswith(w[: max(4, len(w) - 1)])]
    return []


# Who is advised, named two ways: "What does the analysis urge on *the two capitals*?" is answered by advice to
# "the two governments" (a capital stands for its government, in any country)
ADVISED_NAMES = ("government capital administration",)


def advised_as(term: str) -> list[str]:
    """The stems (six letters at most, to meet the index's stems either way) that name the same advised party as
    ``term`` (a BM25 stem of five letters or more), else []."""
    if len(term) < 5:
        return []
    for names in ADVISED_NAMES:
        stems = [w[:6] for w in names.split()]
        if any(term.startswith(st) or st.startswith(term) for st in stems):
            return [st for st in stems if not (term.startswith(st) or st.startswith(term))]
    return []
