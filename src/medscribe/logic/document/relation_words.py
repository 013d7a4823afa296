"""The words :mod:`.scope` reads about whose an item is: relations (family and other people), "family history"
headers, reports, recipients, companions, speakers, possessives and the patient's own markers. Word lists, not
string cases: each entry is a general English or clinical-dictation form. (The other scope words, headers,
instructions, conditions and negation: :mod:`.scope_words`.)"""

from __future__ import annotations

import re

from medscribe.logic.document.scope_words import DOUBT_SAID, any_of

FAMILY = (
    r"mother|mom|mum|father|dad|sister|sisters|brother|brothers|siblings?|aunt|aunts|uncle|uncles"
    r"|grand(?:mother|father|ma|pa|parents?|dad|daughters?|sons?|children)|grandad|granddad|granny|gran|nan|nanna"
    r"|cousins?|sons?|daughters?|nieces?|nephews?|parents|twin"
    r"|family\s+members?|relatives?|children"
)
# Other people: not family (Other people, never Family history). Family history is what the patient may have
# inherited: a husband, wife or spouse is no blood relative, so what they have or take is another person's, as a
# partner's, a friend's, a flatmate's, a carer's or "the lady next door"'s is.
OTHERS = (
    r"husband|wife|spouse|ex-?(?:husband|wife)|partner|boyfriend|girlfriend|fiancee?|friends?|room-?mate"
    r"|flatmate|housemate"
    # people the patient travels, lives, studies or works beside ("his travelling companion", "her lodger",
    # "her classmate"); not "mate" alone, a drink too ("yerba mate", "mate tea"), nor "companion" before a noun
    # ("a companion diagnostic")
    r"|companions?(?!\s+(?:diagnostics?|tests?|animals?|dogs?|cats?))|lodgers?|landlord|landlady|acquaintances?"
    r"|(?:class|school|team|work|cell|ship|bunk|play)-?mates?"
    r"|neighbou?rs?|co-?worker|colleague|caregiver|carer|boss|(?:support|key|care)\s+worker"
    r"|(?:lady|man|woman|gentleman|chap|couple|family|people)\s+next\s+door"
)
PREPOSITION = re.compile(
    r"\b(?:with|by|to|from|for|in|and|of|at|about|than|like|per|(?<!\bthe\s)(?<!\blast\s)(?<!\bnext\s)(?<!\bthis\s)(?<!\bprevious\s)visit(?:ing|ed)?|accompanied\s+by)"
    r"(?:\s+(?:her|his|their|the|a|an|my|our|your|patient'?s|pt'?s))?\s+$",
    re.IGNORECASE,
)
RELATION = re.compile(rf"\b(?:(?P<family>{FAMILY})|(?P<other>{OTHERS}))(?:'s)?\b", re.IGNORECASE)
# "… died of a heart attack and his brother has type 1 diabetes": after "and", a relation followed by its own
# verb opens a clause of its own (a subject, not a second object of "with her husband and …")
AND_BEFORE = re.compile(r"\band(?:\s+(?:her|his|their|the|a|an|my|our|your))?\s+$", re.IGNORECASE)
OWN_VERB = re.compile(
    r"\s+(?:also\s+|too\s+|both\s+|all\s+)?(?:has|had|have|is|was|were|takes?|took|died|suffers?|suffered|developed"
    r"|gets?|got|needs?|needed|uses?|used|lives?\s+with)\b",
    re.IGNORECASE,
)
FH = re.compile(
    r"\b(?:family\s+(?:medical\s+)?(?:history|hx)|fhx?)\b(?P<of>\s*(?:of|is\s+significant\s+for))?",
    re.IGNORECASE,
)
# said right after a condition, its owner: "Lynch syndrome runs in the family", "diabetes in her family" (not "the
# family doctor", "family history")
IN_THE_FAMILY = re.compile(
    r"\s+(?:(?:runs?|ran|running|is|are)\s+)?in\s+(?:the|her|his|their|our)\s+family\b"
    r"(?!\s+(?:history|hx|members?|doctor|gp|planning|therapy|support|home|meeting|tree|friends?)\b)",
    re.IGNORECASE,
)
# The patient reports, or the encounter speaks: a new clause about the patient ("mother had cancer denies chest
# pain", "blood pressure today 130/80").
REPORT = re.compile(
    any_of(
        r"denies",
        r"denied",
        r"reports",
        r"reported",
        r"complains",
        r"complained",
        r"endorses",
        r"presents",
        r"presented",
        r"c/o",
        r"today",
        r"this\s+visit",
        r"treated\s+as",  # "… treated as anaphylaxis": the clinician's account of the patient
        r"diagnosed\s+(?:as|with)",
        r"managed\s+as",
    ),
    re.IGNORECASE,
)
# What may lie between "family history of" and the concepts it names ("of diabetes and colon cancer in her
# father on the maternal side").
FH_GLUE = re.compile(
    r"(?:[\s,/]|\b(?:and|or|in|her|his|their|the|a|an|both|maternal|paternal|side|on|of|early|premature)\b)*",
    re.IGNORECASE,
)
# "mum gives him salbutamol", "his wife applies the cream for him": the relation is the agent, the patient takes
RECIPIENT = re.compile(
    r"\s+(?:gives?|gave|giving|administers?|administered|applies|applied|puts|put|helps|helped|draws\s+up)"
    r"\s+(?:him|her|them|the\s+(?:child|baby|patient|boy|girl|infant))\b",
    re.IGNORECASE,
)
# The words that give a relation's clause a drug: "her husband takes warfarin", "mother on levothyroxine", "the
# lady next door was prescribed it". Without one between the relation and a drug said later in the same run-on
# ("his brother drinks heavily too zopiclone 7.5 mg at night"), whose the drug is is unclear.
TAKES_DRUG = re.compile(
    r"\b(?:takes?|taking|took|on|uses?|using|used|prescribed|given|gets?|got|has|had|have|having|needs?|needed"
    r"|started|stopped|tried|injects?|inhaler|tablets?|pills?|medications?|meds|with|of|for)\b",
    re.IGNORECASE,
)
# Words that give a relation a condition, a test or a drug in their clause ("has", "had", "with", "diagnosed",
# "is", "takes", …): a clause with none of them ("collects the blister packs", "drives her to clinic") is about
# what the relation does, not what they have.
HAS_CONCEPT = re.compile(
    r"\b(?:has|had|have|having|'s|with|is|was|are|were|been|being|diagnosed|suffers?|suffered|suffering|developed"
    r"|died|takes?|took|taking|uses?|using|used|gets?|got|needs?|needed|underwent|undergoing|history)\b",
    re.IGNORECASE,
)
# "his daughter is with him", "accompanied by …" is read elsewhere: a relation present at the visit, whose clause
# ends there (what follows in a recogniser's run-on is the patient's, unless the relation is named again)
COMPANION = re.compile(
    r"\s+(?:is|was|are|were)\s+(?:also\s+)?(?:here\s+|present\s+)?(?:with\s+(?:him|her|them)|here|present)\b"
    r"|\s+(?:came|comes|attended|attends|is\s+visiting)\s+with\s+(?:him|her|them)\b"
    r"|\s+accompan(?:ies|ied)\s+(?:him|her|them)\b"
    r"|\s+(?:is\s+|was\s+)?(?:on\s+(?:the\s+)?(?:speaker\s*phone|phone|line|video(?:\s+call)?)|in\s+attendance"
    r"|translating|interpreting)\b",  # "her husband on speakerphone": present, not a subject
    re.IGNORECASE,
)
# What a possessive owns before a drug's name: a few words ending in a form ("the carer's blood pressure tablets,
# bendroflumethiazide"), the name an apposition of it.
OWNED_FORM = re.compile(
    r"\s+(?:[\w-]+\s+){0,4}?(?:tablets?|pills?|medications?|medicines?|meds|inhalers?|creams?|drops|injections?"
    r"|pens?|patch(?:es)?|syrup|capsules?)\s*,?\s*",
    re.IGNORECASE,
)
# The speaking verbs: the one list of what a relation says or reports of the patient, read here (REPORTED_BY,
# SAYS, REPORTER) and by :data:`.clause_words.SPEAKER_AFTER`. Each reader takes the verbs it reads, named below,
# and adds only what is its own (said where it is):
# - SAYING: the relation speaks ("mum says", "dad mentioned");
# - TELLING: to the clinician ("she tells us", "he told me"; a bare "tells" only where nothing follows the verb);
# - REPORTING: the relation reports what it saw or thinks ("mum noticed", "dad thinks", "her husband describes");
# - WORRYING: the relation's worry ("is worried", "was concerned", "worries").
SAYING = r"says|said|mentions|mentioned|explains|explained"
TELLING = r"tells\s+(?:us|me)|told\s+(?:us|me)"
REPORTING = r"reports|reported|thinks|describes|described|notes|noticed|has\s+noticed"
WORRYING = r"(?:is|was)\s+(?:worried|concerned)|worries"
# "The daughter says her mother is more confused": a relation spoken of, with "her" / "his", by another relation
# who speaks for the patient may be the patient (a daughter's mother): the words cannot say whose it is. (Not
# "was concerned": the one worry word this reader has never read.)
REPORTED_BY = re.compile(
    rf"\b(?P<speaker>{FAMILY}|{OTHERS})\b(?:\s*,?\s+who\s+[^.;]{{0,60}}?,?)?\s+(?:{SAYING}|{TELLING}|{REPORTING}"
    r"|feels|(?:is|was)\s+worried|worries|is\s+concerned)\s+(?:that\s+)?(?:her|his|their)\s+$",
    re.IGNORECASE,
)
# A relation as the speaker: "Dad says the wheeze …", "her colleague wasn't certain, for her diabetes": what is
# reported is the patient's (unless a pronoun after it makes whose unclear), flagged SUBJECT_UNCLEAR.
# SAYS: the verbs after which a pronoun is the subject of what is reported (:data:`SPEAKS`); a relation's doubt
# ("mum is unsure whether", "dad can't remember if": the doubt words of :data:`.scope_words.DOUBT_SAID`) is said
# of the patient like "mum says". REPORTER: SAYS, the reporting verbs, and a relation's belief or question.
SAYS = rf"{SAYING}|{TELLING}|{WORRYING}|(?:(?:is|was)\s+)?{DOUBT_SAID}(?:\s+(?:if|whether|that|about)\b)?"
REPORTER = re.compile(
    rf"\s+(?:{SAYS}|{REPORTING}|thought|believes|reckons"
    r"|(?:is|was)\s*n[o']?t\s+(?:certain|sure)|(?:is|was)\s+(?:not\s+)?(?:certain|sure|worried|concerned)"
    r"|asks|asked|wonders|wondered)\b",
    re.IGNORECASE,
)
# What ends a relation's clause in a run-on (read by :mod:`.scope_subject`):
# the relation, a few words of its own ("brought her in and"), a reporting verb, then a pronoun as the subject of
# what is reported
SPEAKS = re.compile(
    rf"(?:\s+[\w'-]+){{0,6}}?\s+(?:{SAYS})\s+(?:that\s+)?(?P<pronoun>she|he|they)\b", re.IGNORECASE
)
PLANNED = re.compile(
    any_of(r"consider", r"recommend", r"recommended", r"suggest\s+(?:starting|trying)"), re.I
)
_NUMBER_WORD = (
    r"\d+(?:[.,/]\d+)*|zero|nought|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|point|and|a|half"
)
_NUMBER = rf"\b(?:{_NUMBER_WORD})\b(?:[\s-]+(?:{_NUMBER_WORD})\b)*"
# a drug followed by its own dose: "montelukast ten milligrams", "Humalog 10 units", "abidec drops 0.3 ml"
DOSED = re.compile(
    rf"\s+(?:[a-z]+\s+)?(?:{_NUMBER})\s*(?:mg|mcg|milligrams?|micrograms?|grams?|g|units?|ml|millilitres?"
    r"|puffs?|tablets?|capsules?|sachets?|drops)\b",
    re.IGNORECASE,
)
FEMALE = frozenset({"mother", "mom", "mum", "sister", "aunt", "grandmother", "grandma", "gran", "granny", "nan",
                    "nanna", "daughter", "granddaughter", "niece", "wife", "girlfriend", "fiancee"})  # fmt: skip
MALE = frozenset({"father", "dad", "brother", "uncle", "grandfather", "grandpa", "grandad", "granddad", "son",
                  "grandson", "nephew", "husband", "boyfriend", "fiance"})  # fmt: skip
POSSESSIVE = {"her": "she", "his": "he"}
# "his wife", "with his father dad": the patient's possessive before the relation gives the patient's gender
PATIENT_POSSESSIVE = re.compile(r"\b(?P<own>his|her)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
OWNER_BEFORE = re.compile(r"\b(?P<own>his|her)\s+$", re.IGNORECASE)
# "her own", "his own" in a relation's clause: a new subject when gender tells the owner from the relation
OWN = re.compile(r"\b(?P<own>her|his)\s+own\b", re.IGNORECASE)
# what joins a drug to the relation's clause: a conjunction or a verb of taking ("and takes pregabalin …")
JOINED = re.compile(
    r",|\b(?:and|or|nor|also|plus|takes?|took|taking|on|uses?|used|using|with|including)\b", re.I
)
# A verb of taking that carries its own subject's clause on ("has AF and takes …", "has AF, takes …", "… who
# takes …"); bare after a concept in a run-on ("had lupus takes amlodipine 5 mg"), its subject is unsaid.
BARE_TAKING = re.compile(r"\b(?:takes?|took|taking|uses?|used|using)\b", re.IGNORECASE)
SUBJECT_JOIN = re.compile(r",|\b(?:and|or|nor|also|plus|on|with|including|who|she|he|they)\b", re.IGNORECASE)
# "the daughter herself has hyperthyroidism": a reflexive right after a relation is the relation's, not the patient
REFLEXIVE_OF_RELATION = re.compile(
    # "the daughter herself has …"; "her husband, who has epilepsy himself": a reflexive in the relation's own
    # relative clause (no sentence end between) is the relation's, not the patient's
    rf"\b(?:{FAMILY}|{OTHERS})(?:\s*,?\s+(?:who|that)\b[^.;!?]*?)?\s+$",
    re.IGNORECASE,
)
RELATION_REACH_WORDS = 15
POSSESSIVE_REACH_WORDS = 8  # a pronoun after "his wife's <noun>" may be hers this far on ("… and she is on X")  # without a sentence end, a relation's subjecthood fades: further on, flagged

PATIENT = re.compile(
    any_of(r"patient", r"pt", r"i", r"we", r"herself", r"himself", r"personally"), re.IGNORECASE
)
PRONOUN = re.compile(any_of("she", "he", "they"), re.IGNORECASE)
# "the quetiapine belongs to the flatmate", "the inhaler is her sister's": whose, said after the mention
OWNED_BY = re.compile(
    rf"\s*,?\s+(?:(?:(?:belongs?|belonged)\s+to)\s+(?:the|her|his|their|a)\s+(?:(?P<family>{FAMILY})|(?P<other>{OTHERS}))\b"
    rf"|(?:is|was|are|were)\s+(?:the|her|his|their)\s+(?:(?P<family_s>{FAMILY})|(?P<other_s>{OTHERS}))'s\b"
    # "hydroxychloroquine, which her friend takes for lupus"
    rf"|which\s+(?:the|her|his|their|a)\s+(?:(?P<family_w>{FAMILY})|(?P<other_w>{OTHERS}))\s+"
    r"(?:takes|took|uses|used|is\s+on|was\s+on|has|had)\b)",
    re.IGNORECASE,
)
