"""The closed word classes :mod:`.cue_spans` reads a span with (English function words, not a clinical lexicon):
what ends a span, what leads a part, what a dose, a form, a frequency or a reaction looks like."""

from __future__ import annotations

import re

HARD = frozenset(".;:!?()")
CONJUNCTIONS = frozenset((",", "and", "or", "plus", "&"))
PREPOSITIONS = frozenset(
    (
        "in", "on", "at", "of", "from", "to", "into", "onto", "over", "under", "behind", "around", "across", "about",
        "with", "by", "near", "above", "below", "between", "through", "towards", "toward", "within", "along",
    )
)  # fmt: skip
# Words that start another clause or end a statement: the span stops before them.
BOUNDARY = frozenset(
    (
        "he", "she", "they", "i", "we", "you", "it", "mum", "dad", "patient", "this", "these", "those", "there",
        "that", "which", "who", "whom", "whose", "when", "where", "while", "whilst", "because", "but", "so",
        "although", "though", "as", "if", "unless", "until", "then", "than", "also", "since", "for", "after",
        "before", "during", "ago", "today", "yesterday", "tonight", "tomorrow", "now", "currently", "recently",
        "previously", "last", "next", "every", "each", "daily", "weekly", "nightly", "worse", "better", "again",
        "still", "already", "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would",
        "should", "could", "can", "cannot", "can't", "may", "might", "must", "does", "did", "do", "doesn't",
        "don't", "isn't", "wasn't", "says", "said", "denies", "denied", "no", "nil", "without", "not", "never",
        "plan", "examination", "exam", "please", "review", "follow", "advised",
        "stop", "stopped", "continue", "start", "started", "increase", "reduce", "we'll", "she's", "he's",
        "they're", "we're", "it's", "her's", "hes", "shes", "likely", "probably", "which", "per", "according",
        "today's", "well", "otherwise", "ok", "okay", "fine", "normal", "seen", "given", "taken",
        # nothing to name ("Family history: nothing of note", "Allergies: none known", "diagnosis is uncertain")
        "nothing", "none", "clear", "unremarkable", "noncontributory", "uncertain", "unclear", "unknown", "pending",
        "awaited",
        # what an allergen does ("penicillin causes hives") and instructions ("…, return immediately")
        "causes", "caused", "causing", "gives", "gave", "giving", "makes", "made", "brings", "brought", "leaves",
        "triggers", "triggered", "treated", "return", "come", "call", "seek", "attend", "check", "repeat", "recheck",
        "refer", "arrange", "book", "send", "admit", "discharge", "discharged", "consider", "monitor",
    )
)  # fmt: skip
# Words at the start of a part that are not what it names: they are quoted but never key words.
LEADING = frozenset(
    (
        "a", "an", "the", "some", "any", "his", "her", "their", "its", "my", "your", "our", "both", "several",
        "being", "feeling", "not", "cannot", "can't", "unable", "to", "very", "quite", "more", "much", "little",
        "bit", "lots", "of", "what", "sounds", "like", "other", "another", "possibly", "probable", "likely", "?", "get", "getting",
        "off", "out", "up", "down", "away",
    )
)  # fmt: skip
# A head noun that qualifies what its "of" names ("a flare of X", "episodes of X"): the head is read after "of".
QUALIFIERS = frozenset(
    (
        "flare", "flares", "exacerbation", "exacerbations", "episode", "episodes", "bout", "bouts", "attack",
        "attacks", "history", "diagnosis", "signs", "sign", "symptoms", "symptom", "onset", "recurrence",
        "worsening", "relapse", "complication", "complications", "case", "type", "form", "kind", "touch", "lot",
        "bit", "spell", "spells", "feeling", "feelings", "sense", "sensation",
    )
)  # fmt: skip
# Prepositions whose phrase is not where or what the head is ("Pseudomonas with ciprofloxacin", "POTS by the
# previous team"): the quote stops before them.
NOT_PLACES = frozenset(("with", "by", "from", "to", "towards", "toward", "about"))
# Said after "and"/"or" inside a list, these go on with it ("low mood and cannot get off to sleep", "tired and
# not sleeping"); elsewhere they end the span.
LISTED_NEGATIVES = frozenset(("not", "cannot", "can't", "unable"))
NEGATIONS = frozenset(("no", "not", "nil", "denies", "denied", "never", "without", "nor", "non"))
# The "non-" prefix said right before a sign ("abdomen non-tender", "non distended"): the sign's own negation. A
# pattern that ends at the sign's first character; the findings reader and the placement guard both read it.
NON_PREFIX = r"\bnon[\s-]+$"
UNITS = frozenset(
    (
        "mg", "mcg", "g", "ml", "micrograms", "microgram", "milligrams", "milligram", "grams", "gram", "units",
        "unit", "iu", "puffs", "puff", "tablets", "tablet", "capsules", "capsule", "drops", "sachet", "sachets",
        # the containers a dose is counted in ("two vials IV", "one ampoule"), as amounts.py reads them
        "vial", "vials", "ampoule", "ampoules",
    )
)  # fmt: skip
# verbs of giving a drug, said before its name ("give X, two vials", "administer X, 5 mg")
GIVING = frozenset(("give", "administer", "infuse", "inject", "prescribe"))
FORMS = frozenset(
    (
        "tablet", "tablets", "capsule", "capsules", "injection", "injections", "inhaler", "inhalers", "drops",
        "cream", "ointment", "patch", "patches", "spray", "gel", "pessary", "pessaries", "liquid", "syrup",
        "solution", "suspension", "sachet", "sachets", "pen", "pens", "infusion", "lotion", "suppository",
        "suppositories", "mouthwash", "nebuliser", "nebulizer",
    )
)  # fmt: skip
FREQUENCIES = frozenset(
    (
        "once", "twice", "daily", "nightly", "weekly", "monthly", "bd", "tds", "qds", "od", "prn", "mane", "nocte",
        "morning", "night", "hourly", "fortnightly", "thrice",
    )
)  # fmt: skip
REACTIONS = re.compile(
    r"^(?:with|which|gives?|gave|causes?|caused|causing|brings?|brought|leaves?|left|rash\w*|hives|blister\w*|"
    r"weals?|welts?|swell\w*|swollen|itch\w*|wheez\w*|vomit\w*|anaphyla\w*|hallucinat\w*|sick|diarrh\w*|red|"
    r"breaks?|broke|blotch\w*|urticaria)$"
)
# Words said before a dose that are not a drug's name ("take 5 mg", "taper by 5 mg", "a total of 40 mg").
DOSE_WORDS = frozenset(
    (
        "take", "takes", "taper", "tapers", "restart", "give", "gives", "use", "uses", "inject", "apply", "dose",
        "doses", "dosage", "total", "max", "maximum", "usual", "extra", "another", "further", "additional",
        "initially", "up", "down", "titrate", "increase", "reduce", "decrease", "raise", "lower", "drop", "then",
        "only", "just", "about", "approximately", "around", "least", "most", "least", "be", "new", "old",
        "current", "same", "regular", "stat", "loading", "bolus", "over", "single", "each", "per",
        "transfuse", "infuse", "administer", "prescribe", "add", "double", "halve", "change", "switch", "make",
        # corrections and glosses ("that's 4.5 mg", "sorry, I mean 5 mg")
        "that's", "thats", "it's", "mean", "means", "meant", "wait", "sorry", "say", "actually", "equals", "makes",
        "making",
        # routes ("orally 10 mg", "IV 1 g")
        "oral", "orally", "iv", "im", "sc", "subcut", "subcutaneous", "subcutaneously", "intravenous",
        "intravenously", "intramuscular", "intramuscularly", "topical", "topically", "inhaled", "nebulised",
        "rectal", "rectally", "sublingual", "sublingually", "po", "pr",
    )
)  # fmt: skip

NUMBER_WORDS = frozenset(
    (
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "twenty", "thirty", "forty", "fifty", "hundred", "half", "couple", "once", "twice",
    )
)  # fmt: skip
# Words before a form that say what kind it is, not which drug ("nasal spray", "eye drops", "steroid cream").
FORM_KINDS = frozenset(
    (
        "nasal", "eye", "ear", "skin", "steroid", "steroids", "moisturising", "moisturizing", "barrier", "pain",
        "reliever", "preventer", "blue", "brown", "purple", "red", "green", "white", "pink", "orange", "yellow",
        "rescue", "emollient", "soluble", "dispersible", "chewable", "effervescent", "slow", "release", "modified",
        "prolonged", "long", "short", "acting", "insulin", "vitamin", "iron", "antibiotic", "antibiotics",
        "medicated", "sugar", "free", "oral", "combined", "contraceptive", "hrt", "gtn", "the", "her", "his",
    )
)  # fmt: skip
# A duration's or a purpose's first word after "for", not a condition ("for a further 5 days", "for now", "for sleep",
# "for pain relief", "for rate control"): no indication (cue_spans._indications).
NOT_AN_INDICATION = frozenset(
    (
        "a", "an", "another", "up", "the", "further", "now", "review", "life", "sleep", "relief", "comfort", "cover",
        "protection", "prevention", "rate", "control",
    )
)  # fmt: skip
# Words of a duration after "for" ("for a few days", "for months"): no indication.
DURATIONS = frozenset(
    ("day", "days", "week", "weeks", "month", "months", "year", "years", "fortnight", "while", "few")
)
# A pronoun that takes something, and the verbs it takes it with ("For agitation he may take …").
TAKERS = frozenset(("she", "he", "they", "we", "i"))
TAKING = frozenset(
    ("takes", "take", "taking", "uses", "use", "using", "has", "have", "is", "gets", "get", "give")
)
