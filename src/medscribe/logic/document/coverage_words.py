"""The word classes of the coverage guard (:mod:`.coverage`): small closed classes of ordinary words (function, time,
admin, normal-finding, action words), never a clinical word."""

from __future__ import annotations

# Function words: pronouns, determiners, auxiliaries, prepositions, conjunctions, degree and reporting words.
FUNCTION = frozenset(
    (
        "the", "and", "but", "for", "nor", "yet", "with", "without", "from", "into", "onto", "upon", "about",
        "above", "below", "over", "under", "after", "before", "since", "until", "while", "during", "through",
        "between", "against", "around", "again", "also", "then", "than", "that", "this", "these", "those", "there",
        "here", "where", "when", "which", "who", "whom", "whose", "what", "why", "how", "she", "her", "hers",
        "herself", "him", "his", "himself", "they", "them", "their", "theirs", "its", "it's", "our", "ours", "you",
        "your", "yours", "we", "me", "my", "mine", "myself", "one", "ones", "some", "any", "all", "both", "each",
        "every", "either", "neither", "none", "nothing", "something", "anything", "everything", "other", "others",
        "another", "such", "same", "own", "not", "nil", "no", "yes", "can", "can't", "cannot", "could", "would",
        "should", "shall", "will", "won't", "may", "might", "must", "has", "have", "had", "having", "hasn't",
        "haven't", "does", "did", "doing", "done", "don't", "doesn't", "didn't", "are", "was", "were", "been",
        "being", "isn't", "wasn't", "aren't", "get", "gets", "got", "getting", "goes", "going", "gone", "went",
        "come", "comes", "came", "coming", "make", "makes", "made", "take", "takes", "took", "taking", "taken",
        "says", "said", "say", "tells", "told", "reports", "reported", "states", "stated", "mentions",
        "mentioned", "feels", "felt", "feel", "thinks", "thought", "think", "know", "knows", "known", "notes",
        "noted", "still", "just", "only", "even", "very", "really", "quite", "rather", "much", "more", "most",
        "less", "least", "few", "lot", "lots", "bit", "little", "well", "too", "so", "now", "ago", "ever",
        "never", "always", "often", "sometimes", "usually", "already", "yet", "though", "although", "however",
        "because", "unless", "whether", "okay", "ok", "right", "like", "things", "thing", "way", "off", "out",
        "back", "down", "away", "along", "per", "via", "etc", "patient", "patients", "mr", "mrs", "ms", "miss",
        "dr", "doctor", "gentleman", "lady", "man", "woman", "year", "years", "old", "aged", "age", "who's",
        "he's", "she's", "they're", "i'm", "we're", "there's", "that's", "let's", "let", "please", "mum", "dad",
        "wife", "husband", "daughter", "son", "partner", "mother", "father", "brother", "sister", "grandmother",
        "grandfather", "uncle", "aunt", "friend", "carer", "worker", "nurse", "someone", "anyone", "everyone",
    )
)  # fmt: skip
# Time words: when something happens is not what happens.
TIME = frozenset(
    (
        "today", "yesterday", "tomorrow", "tonight", "morning", "mornings", "afternoon", "evening", "evenings",
        "night", "nights", "day", "days", "week", "weeks", "month", "months", "time", "times", "last", "next",
        "recent", "recently", "currently", "current", "previous", "previously", "first", "second", "third",
        "once", "twice", "daily", "weekly", "monthly", "hour", "hours", "minute", "minutes", "moment", "past",
        "new", "overnight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    )
)  # fmt: skip
# A clause opening with one of these is follow-up or admin: it carries no problem or drug.
ADMIN = frozenset(
    (
        "seen", "see", "review", "reviewed", "reviewing", "follow", "followup", "follow-up", "discussed",
        "discuss", "advised", "advice", "explained", "reassured", "counselled", "thank", "thanks", "dear",
        "regards", "hello", "hi", "sincerely", "letter", "copy", "cc", "booked", "book", "appointment", "plan",
        "attended", "attends", "accompanied", "safety", "safety-netting", "return", "call", "phone",
        "rebook", "recall", "arrange", "arranged", "consent", "consented", "dictated",
        "dictation", "signed", "note", "notes", "summary", "consultation", "department", "clinic",
        "round", "routine", "telephone", "history", "emergency", "discharge", "inpatient", "outpatient", "ward",
        "team", "referral", "refer", "referred", "pharmacy", "pharmacist", "prescription", "prescriptions",
        "drive", "driving", "dvla", "gp", "recheck", "repeat", "observe", "straight", "support", "readings",
        "reading", "average", "rate", "observations", "obs", "medication", "medications", "medicines", "visit",
    )
)  # fmt: skip
# A clause holding one of these says a finding is normal (an exam or vitals line).
NORMAL = frozenset(
    (
        "normal", "normally", "unremarkable", "clear", "nad", "satisfactory", "stable", "fine", "settled",
        "reassuring", "good", "nothing", "intact", "equal", "regular", "afebrile", "comfortable", "well",
        "soft", "non-tender", "nontender", "improved", "improving", "better", "resolved", "unchanged",
    )
)  # fmt: skip
# Instructions and reports about something named elsewhere in the clause ("which stops today", "he asked whether").
ACTION = frozenset(
    (
        "start", "starts", "started", "stop", "stops", "stopped", "continue", "continues", "continued", "increase",
        "increased", "reduce", "reduced", "change", "changed", "switch", "switched", "offer", "offered", "give",
        "given", "use", "used", "using", "need", "needs", "needed", "want", "wants", "wanted", "ask", "asks",
        "asked", "indicated", "try", "tried", "keep", "kept", "put", "told", "tell", "check", "checked",
        "discontinued", "restart", "restarted", "restarting", "stopping", "starting", "corrected", "confirmed",
        "confirm", "checking", "explained", "sure", "remember", "wait", "instead", "anyway", "bring", "brought",
        "collects", "collect", "talking", "talk", "spoke", "speak", "speakerphone", "mixed", "look", "looks",
        "interacts", "borrowing", "borrowed", "taken", "quit", "quitting", "hers", "herself", "himself",
    )
)  # fmt: skip
# Acuity, course and severity words: in DetectEntitiesV2 they are attributes of a condition, not a statement of
# their own ("on examination mild | crackles", "sudden severe | headache"); the offline NER's qualifier words
# (offline/ner_hpo.py, offline/ner_icd10.py) and "worst", "ongoing".
QUALIFIER = frozenset(
    (
        "acute", "chronic", "subacute", "recurrent", "recurring", "episodic", "intermittent", "progressive",
        "persistent", "transient", "frequent", "severe", "mild", "moderate", "profound", "sudden", "gradual",
        "worst", "ongoing", "marked",
    )
)  # fmt: skip
