"""The words the clause guards (:mod:`.clause_guard`) read: cues that make an item not the patient's current fact,
and what ends a cue's reach. Structural words only (pronouns, modals, stop verbs, relations): never a drug or a
condition name, so they hold on words no list knows."""

from __future__ import annotations

import re

from medscribe.logic.document.cue_words import DOSE_WORDS, FORMS, FREQUENCIES, NUMBER_WORDS, UNITS
from medscribe.logic.document.relation_words import FAMILY, OTHERS, REPORTING, SAYING
from medscribe.logic.document.scope_words import any_of

WINDOW_WORDS = 12  # how far back a cue may stand in a run with no sentence mark (a recogniser's run-on)
AFTER_WORDS = 4  # how far after the item a cue said right after it may stand ("X may be an option")
STATE_AFTER_WORDS = 12  # how far after the item its clause may say its state ("X 40 mg … is on hold")
HARD = re.compile(r"[.;!?\n]")
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:[.,/]\d+)*")

# Another person as the subject of a clause. A relation after "with"/"by" is a companion, not a subject
# ("seen with mum", "with his wife present"); a relation that says or reports something is a speaker, and what
# follows is the patient's ("mum says he …"): both are left out here.
RELATION = re.compile(rf"\b(?:{FAMILY}|{OTHERS}|grandad|granddad|grandpa|grandma|nan|nanna)(?:'s)?\b", re.I)
COMPANION_BEFORE = re.compile(
    r"\b(?:with|by|accompanied\s+by|to|from|and)(?:\s+(?:her|his|their|the|a|an|my|our))?"
    r"(?:\s+(?:older|elder|younger|big|little|twin|new|own))?\s*$",
    re.I,
)
# A speaker: the speaking verbs of :mod:`.relation_words` (a bare "tells" / "told": nothing need follow it here),
# or a relation who is only there ("brought him", "rang", "is present").
SPEAKER_AFTER = re.compile(
    rf"^\s*(?:,\s*who\s+[^.;]{{0,60}}?,\s*)?(?:{SAYING}|{REPORTING}|tells|told|feels|is\s+worried|is\s+concerned|"
    r"brought|called|rang|phoned|collects|is\s+here|is\s+present|was\s+present)\b",
    re.I,
)
OWN = re.compile(r"\b(?P<pronoun>his|her|their)\s+own\b", re.I)
SUBJECT_PRONOUN = re.compile(r"\b(?P<pronoun>he|she)\b", re.I)
POSSESSIVE_BEFORE_RELATION = re.compile(rf"\b(?P<pronoun>his|her)\s+(?:\w+\s+)?(?:{FAMILY}|{OTHERS})\b", re.I)
FEMALE = frozenset(("she", "her", "herself"))

# Said before the item: a condition or an option ("if …", "should he need …", "consider …").
CONDITIONAL_BEFORE = re.compile(
    r"\bif\b(?!\s+(?:needed|required|necessary)\b)"
    r"|\bshould(?=\s+(?:he|she|they|it|the|his|her|their|this|there)\b)|"
    + any_of(r"unless", r"in\s+case", r"consider(?:ing)?", r"option", r"would"),
    re.I,
)
# Said right after the item: "X may be an option", "X if …" (not "if needed", which is an as-needed dose).
CONDITIONAL_AFTER = re.compile(
    r"^\s*,?\s*(?:may|might|could|would)\s+be\b|^\s*,?\s*(?:as\s+an\s+option|if|unless|should)\b"
    r"(?!\s+(?:needed|required|necessary|sore|in\s+pain|pain|tolerated|symptomatic|wheezy|breathless))"
    # a start said for later: "X to start once the flare has settled", "X to be started when …, after …"
    r"|^\s*,?\s*(?:is\s+|are\s+)?to\s+(?:be\s+)?(?:start(?:ed)?|begin|begun|commence(?:d)?)\s+"
    r"(?:once|when|after|if|at\s+the\s+next|from\s+next|next)\b",
    re.I,
)
STOPPED_BEFORE = re.compile(
    r"\b(?:stopped|withheld|held|discontinued|suspended)\s*:|"
    + any_of(
        r"stop(?:ped)?\s+(?:the|his|her|their)",
        r"came\s+off",
        r"come\s+off",
        r"coming\s+off",
        r"no\s+longer\s+(?:on|takes|taking|uses)",
    )
    # "she has not been taking the folic acid", "he hasn't been using his inhaler", "she has never been on" (not a
    # bare "not on": "Not on any blood thinners apart from aspirin" names the one taken)
    + r"|(?:\bnot|n't|\bnever)\s+(?:been\s+)?(?:taking|using)\b|(?:\bnot|n't|\bnever)\s+been\s+on\b"
    # a past trial said before the drug: "she has tried several …", "failed two …", "no response to …"
    + r"|\b(?:has|have|had)\s+(?:already\s+)?(?:tried|trialled|failed)\b"
    + r"|\b(?:tried|trialled|failed)\s+(?:several|two|three|four|many|multiple|various|different|other)\b"
    + r"|\bno\s+(?:response|benefit)\s+(?:to|from)\b|\b(?:did\s+not|didn't|failed\s+to)\s+respond\s+to\b",
    re.I,
)
# Said after the item in its clause ("Adalimumab 40 mg … every two weeks is on hold", "Champix was not tolerated
# last year", "Elvanse was tried last year and caused …").
STOPPED_AFTER = re.compile(
    r"\b(?:(?:was|were|has\s+been|had\s+been|is|are|been|now)\s+)?(?:never\s+started|not\s+started|stopped|"
    r"discontinued|withheld|held|ceased|suspended|on\s+hold|not\s+tolerated|tried\s+(?:before|previously|last|in|and)|"
    r"refused|declined|abandoned|finished|completed|(?:supposed|meant)\s+to\s+(?:be\s+)?start(?:ed)?|"
    r"did\s+not\s+(?:agree\s+with|suit)|didn't\s+(?:agree\s+with|suit)|"
    # left out or avoided ("is left out on the day of the operation", "is avoided because …"), not to be given
    # again ("will not be restarted"), or said to have done nothing ("did nothing for her", "did not help")
    r"left\s+out|omitted|avoided|(?:will|is|are)\s+not\s+(?:to\s+)?be\s+(?:re)?start(?:ed)?|"
    r"did\s+nothing|did\s+not\s+(?:help|work)|didn't\s+(?:help|work)|"
    # said to have had no effect ("made no difference", "had no effect", "was no help", "was ineffective"), or
    # replaced by another drug ("was swapped for", "was exchanged for", "was replaced by"; not "switched to" or
    # "converted to", said of a time or a route too: "switched to the evening", "converted to oral")
    r"made\s+no\s+difference|had\s+no\s+(?:effect|benefit)|(?:of\s+)?no\s+(?:help|use|benefit)|ineffective|"
    r"(?:swapped|exchanged)\s+for|replaced\s+(?:by|with)|"
    # said not to be given at all: contraindicated, or not indicated / required / needed … (a closed class of the
    # predicates of a treatment's need: "Antibiotics are not indicated", "bisoprolol is contraindicated")
    r"contraindicated|not\s+(?:indicated|required|needed|necessary|recommended|advised|appropriate|suitable"
    r"|prescribed|given)|"
    r"no\s+longer|to\s+be\s+returned|should\s+be\s+returned)\b",
    re.I,
)
# Right before the item: "her old Lantus pen", "his previous inhaler".
STOPPED_RIGHT_BEFORE = re.compile(
    r"(?:(?<!year\s)(?<!years\s)(?<!year-)\b(?:old|previous|former)"
    r"|\b(?:stopped|withheld|held|discontinued|suspended|stop|hold)(?:\s+(?:the|his|her|their))?"
    # an intolerance said right before the drug ("unable to tolerate statins", "could not tolerate the …"), the
    # patient having given it up ("she gave up the HRT", "has given up his Spiriva"): right before it only, so
    # "gave up smoking, so varenicline …" is no cue
    r"|\b(?:unable\s+to|cannot|can't|can\s+not|could\s+not|couldn't|not\s+able\s+to)\s+tolerate"
    r"(?:\s+(?:the|his|her|their))?"
    r"|\b(?:gave|given)\s+up(?:\s+on)?(?:\s+(?:the|his|her|their))?)\s+$",
    re.I,
)
ALLERGY = re.compile(r"\b(?:allerg\w*|intoleran\w*|reacts?|reactions?|sensitive\s+to|sensitivity)\b", re.I)
# A drug said after an allergy cue that introduces a substance ("allergic to codeine, …, and to sulfa drugs").
ALLERGY_TO = re.compile(
    r"\b(?:allergic\s+to|allerg(?:y|ies)\s+to|allergies\s*:?|intolerant\s+(?:of|to)|reacts?\s+to|reactions?\s+to"
    r"|sensitive\s+to)(?=\s)",
    re.I,
)
# An allergy statement reaches a problem only through its reaction's verb ("allergic to X, which caused a rash",
# "Allergies: plasters cause a rash"): "allergic rhinitis and asthma", "seasonal allergies with a runny nose" are
# problems of their own.
REACTION_VERB = re.compile(
    r"\b(?:caus(?:es|ed|ing)|cause|gives?|gave|giving|makes?\s+(?:her|him|them)|made\s+(?:her|him|them)|brings?\s+(?:her|him|them)\s+out|brought\s+(?:her|him|them)\s+out"
    r"|leads?\s+to|led\s+to|results?\s+in|resulted\s+in|triggers?|triggered)\b",
    re.I,
)

# What ends a cue's reach before the item, in a run with no sentence mark: an instruction or a header (a new
# statement about the patient), or a dose of another drug (a new prescription).
RESET = re.compile(
    any_of(
        r"start",
        r"restart",
        r"continue",
        r"continues",
        r"increase",
        r"reduce",
        r"decrease",
        r"switch",
        r"commence",
        r"prescribe",
        r"add",
        r"(?:current\s+|discharge\s+|regular\s+)?medications",
        r"problems",
        r"diagnosis",
        r"impression",
        r"plan",
        r"the\s+patient",
        r"on\s+examination",
        r"try",
        r"trial",
        r"instead",
        r"so",
        r"but",
        r"we",
        r"i",
    ),
    re.I,
)
DOSE = re.compile(
    r"\b\d+(?:[.,/]\d+)*\s*(?:mg|mcg|micrograms?|milligrams?|units?|ml|millilitres?|g|grams?|tablets?|puffs?|"
    r"drops?|sachets?|capsules?)\b",
    re.I,
)
# A finite verb: between a stop or allergy cue and a drug it starts another clause ("stop her Microgynon her calf
# is still sore paracetamol …"); after a drug before its state, the drug's own clause has ended ("Concerta 36 mg
# works well Elvanse was tried …").
FINITE = re.compile(
    any_of(
        r"is", r"are", r"was", r"were", r"has", r"have", r"had", r"works?", r"worked", r"helps?", r"helped",
        r"gets?", r"got", r"takes?", r"took", r"uses?", r"used", r"says?", r"said", r"seems?", r"feels?", r"felt",
        r"keeps?", r"kept", r"goes", r"went", r"comes?", r"came", r"needs?", r"needed", r"wants?", r"runs?", r"ran",
    ),
    re.I,
)  # fmt: skip
# Where an item's own clause ends after it in a run with no sentence mark: a new subject.
NEW_SUBJECT = re.compile(any_of(r"he", r"she", r"they", r"we", r"i", r"the", r"his", r"her", r"their"), re.I)
# Words of a drug's own statement between it and its state ("Adalimumab 40 mg subcutaneous injection every two
# weeks is on hold", "sertraline 100 mg daily, which is on hold"): a state said after any other word is that
# word's ("… once daily lurasidone was stopped").
OWN_STATEMENT = (
    UNITS
    | FORMS
    | FREQUENCIES
    | DOSE_WORDS
    | NUMBER_WORDS
    | frozenset(
        (
            "day", "days", "week", "weeks", "month", "months", "hour", "hours", "times", "a", "an", "every", "at",
            "xl", "mr", "sr", "la", "which", "that", "and", "now", "also", "bedtime", "evening", "mornings",
            "nights", "meals", "with", "for", "in", "the", "as", "needed", "required", "patch", "tabs",
        )
    )
)  # fmt: skip
# An instruction to take the drug right before it: "continue mycophenolate …" is not a stop.
PRESCRIBED_RIGHT_BEFORE = re.compile(
    r"\b(?:start|started|restart|restarted|continue|continued|commence|commenced|prescribe|prescribed|add|added|"
    r"increase|increased|reduce|reduced|switch\s+to|switched\s+to|change\s+to|changed\s+to)"
    r"(?:\s+(?:the|his|her|their|on))?\s+$",
    re.I,
)
ALLERGEN_REACH_WORDS = (
    3  # "allergic to X": X is the allergen; a drug said further on in a run is not ("… allergic to
)
# penicillin which gives him a rash discharge with EpiPen")
ALLERGY_LIST_AND = re.compile(r"\b(?:and|or)\s+to\s+$", re.I)  # "allergic to codeine, …, and to sulfa drugs"
