"""The words :mod:`.scope` reads: section headers, instructions, conditional triggers, negation cues,
coordination and what ends a negation's reach (whose words, relations and patient markers:
:mod:`.relation_words`). Word lists, not string cases: each
entry is a general English or clinical-dictation form."""

from __future__ import annotations

import re


def any_of(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# Section headers (not after a determiner: "her medications" is not a header).
HEADER = re.compile(
    r"(?<!\bher\s)(?<!\bhis\s)(?<!\bthe\s)(?<!\bno\s)(?<!\bany\s)(?<!\bnew\s)(?<!\bof\s)"
    + any_of(
        r"past\s+(?:medical\s+|surgical\s+)?history",
        r"(?:previous|prior)\s+history",  # "Previous history: depression, …"
        r"medical\s+history",
        r"surgical\s+history",
        r"social\s+history",
        r"pmh",
        r"psh",
        r"(?:current\s+|home\s+|discharge\s+)?medications",
        r"meds",
        r"allergies",
        r"review\s+of\s+systems",
        r"ros",
        r"(?:physical\s+)?exam(?:ination)?",
        r"on\s+exam",
        r"assessment(?:\s+and\s+plan)?",
        r"plan",
        r"impression",
        r"history\s+of\s+present\s+illness",
        r"hpi",
        r"chief\s+complaint",
        r"vitals",
        r"labs",
        r"diagnos[ie]s",
        r"disposition",
    ),
    re.IGNORECASE,
)
ACTIONS = (
    r"start|starting|begin|initiate|continue|resume|restart|stop|discontinue|hold|increase|decrease|reduce"
    r"|raise|lower|titrate|take|give|prescribe|add|switch|change|refill|order|check|recheck|follow|return"
    r"|call|schedule|refer|use|apply|then"
)
ACTION = re.compile(any_of(ACTIONS), re.IGNORECASE)
# "the start of", "at the start": the noun, no instruction to start anything
NOUN_START = r"(?<!\bthe\s)"
CONSEQUENCE_BEFORE = re.compile(
    r"\b(?:return|call|come\s+back|seek\s+(?:medical\s+)?(?:care|attention|help)|go\s+to|contact|present"
    r"|report|come\s+in|be\s+seen)\b(?:\s+\w+){0,4}\s*$"
    rf"|\b(?:{NOUN_START}start|begin|initiate|add|restart|resume)\b(?!\s+of\b)(?:\s+[\w./]+){{1,9}}\s*$",  # "start X …"
    re.IGNORECASE,
)
DEVELOP = (
    r"develops?|developed|appears?|occurs?|arises?|recurs?|returns?|worsens?|persists?|happens?|gets?\s+worse"
    r"|comes?\s+back|does\s+not\s+improve|doesn'?t\s+improve|fails?\s+to\s+improve|rises?|drops?|falls?"
    r"|exceeds?|is|are|becomes?|start(?:s|ed)?"
)
# "possible" after "where", "if", "as (soon as)": a hedge on advice ("avoid opioids where possible"), no possibility
HEDGE_NOT_BEFORE = r"(?<!\bwhere\s)(?<!\bwherever\s)(?<!\bwhen\s)(?<!\bwhenever\s)(?<!\bif\s)(?<!\bas\s)"
# "should" as "if" is said before its subject ("should her mood worsen", "should the pain return"); after a subject
# ("which she should not take", "it should settle") or before a verb or "not" ("should be reviewed", "should not
# take X") it is a modal: advice or an expectation, no condition.
SHOULD_IF = (
    r"(?<!\bshe\s)(?<!\bhe\s)(?<!\bthey\s)(?<!\bwe\s)(?<!\byou\s)(?<!\bi\s)(?<!\bit\s)(?<!\bwhich\s)"
    r"(?<!\bwho\s)(?<!\bthat\s)should(?!\s+(?:not|never|be|have|also|only|probably|then|always|still|now)\b)"
)
TRIGGER = re.compile(
    r"\b(?:(?P<if>if(?!\s+(?:needed|necessary|required|possible)\b)|unless|in\s+case(?:\s+of)?|whenever)"
    rf"|(?P<should>{SHOULD_IF})(?=(?:\s+\S+){{0,6}}?\s+(?:{DEVELOP}|not\s+improve)\b)"
    r"|(?P<consider>consider(?:ing)?|(?:may|might|could|can|would)\s+(?:want\s+to\s+)?"
    r"(?:start|begin|initiate|add|try|need|require|consider|benefit|switch|increase|change)\w*"
    r"|possibly\s+(?:start|add)\w*|option\s+(?:of|to)|discussed\s+(?:starting|adding)"
    # the patient's request is no prescription: "asked to switch to Concerta", "asked for antibiotics", "wants to
    # try melatonin", "would like to go on HRT" ("asked about the cough" is the history taken: no request)
    r"|(?:ask(?:s|ed|ing)?|enquir(?:es|ed|ing)|inquir(?:es|ed|ing))\s+(?:for|to\s+(?:start|try|switch\s+to"
    r"|change\s+to|go\s+on(?:to)?|have|be\s+(?:started|put)\s+on))"
    r"|(?:wants?|wanted|would\s+like|keen)\s+to\s+(?:start|try|switch\s+to|change\s+to|go\s+on(?:to)?|have)"
    r"|next\s+(?:step|option)\s+(?:would|will|could|may|might)\s+be|future\s+options?(?:\s+include)?"
    r"|await(?:s|ing)?\s+(?:a\s+|the\s+)?(?:decision|approval|funding|agreement)\s+(?:on|for|about|to\s+start))"
    r"|(?P<watch>watch(?:ing)?\s+for|monitor(?:ing)?\s+for|look\s+out\s+for|warning\s+signs\s+of"
    r"|(?<!\bno\s)(?<!\bany\s)(?<!\bwithout\s)signs\s+of"  # "no signs of infection": a negated finding
    r"|risk\s+(?:of|for)|to\s+prevent|prevent(?:ion\s+of|ing)?|prophylaxis\s+(?:against|for|of)|rule\s+out|r/o|screen(?:ing)?\s+for"
    r"|discuss(?:ed|ing)?(?:\s+the)?\s+(?:risks?|benefits?|side\s+effects?|options?|pros)"
    r"(?:\s+(?:and|&)\s+(?:risks?|benefits?|side\s+effects?|alternatives?|cons))?\s+of"
    r"|counsel+ed\s+(?:on|about)|educated\s+(?:on|about)|information\s+(?:on|about))"
    # a diagnosis queried, or a possibility named: only the concepts named next ("query appendicitis",
    # "lithium can cause tremor or hypothyroidism")
    rf"|(?P<query>query|queried|suspected|suspicion\s+of|{HEDGE_NOT_BEFORE}possible"
    r"|differential(?:\s+diagnosis)?\s+(?:of|includes?)"
    r"|(?:can|may|might|could)\s+(?:cause|lead\s+to|result\s+in|trigger|precipitate|induce)))\b",
    re.IGNORECASE,
)
# "… or he gets …": a condition joined to the one before it; "she wondered if …", "asked if …": a question
JOINED_BEFORE = re.compile(r"\b(?:or|and)\s+$", re.IGNORECASE)
ASKED_BEFORE = re.compile(
    r"\b(?:wonder(?:s|ed|ing)?|ask(?:s|ed|ing)?|enquir(?:es|ed|ing)|inquir(?:es|ed|ing)|unsure|not\s+sure)\s+$",
    re.IGNORECASE,
)
NEW_CLAUSE = re.compile(
    any_of(
        r"denies", r"denied", r"reports?", r"complains?", r"endorses?", r"lives", r"takes", r"has", r"had"
    ),
    re.IGNORECASE,
)
# A clause said in the past tense with a subject of its own ("her iron levels were normal"): a finding reported,
# which no condition said before it reaches (the word before it belongs to the condition: "if still blocked")
PAST_CLAUSE = re.compile(r"\s+(?:her|his|their|the)\s+(?:[\w-]+\s+){1,3}?(?:was|were)\b", re.IGNORECASE)
# The same in the present tense, with a possessive subject ("… consider X her bowel disease is quiet"): a state
# reported; after the consequence's instruction has been said, no condition reaches it (before it, "if her sugars
# are high" is the condition itself)
PRESENT_CLAUSE = re.compile(
    r"\s+(?:her|his|their)\s+(?:[\w-]+\s+){1,3}?(?:is|are|remains?|has\s+been|have\s+been)\b", re.IGNORECASE
)
# The verb of an "if" condition: the develop words, and "has" / "gets" / "experiences" ("if she has vomiting or
# diarrhoea": the condition runs on over its objects, not a new clause about the patient).
# A time said after a relation's concept that closes the statement ("… last week", "… two years ago", "… at age 50").
_PERIOD = r"(?:day|night|week|weekend|fortnight|month|year|summer|winter|spring|autumn|christmas)s?"
CLOSING_TIME = re.compile(
    rf"\s*,?\s*(?:(?:last|this|the\s+past|the\s+previous|earlier\s+this)\s+{_PERIOD}"
    rf"|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|some|a\s+few|\d+)\s+{_PERIOD}\s+ago"
    r"|yesterday|recently|in\s+(?:19|20)\d\d|(?:at|aged)\s+(?:the\s+)?(?:age\s+)?(?:of\s+)?\w+(?:\s+\w+)?"
    r"|as\s+a\s+child)\s*,?\s*",
    re.IGNORECASE,
)
# The subject of an "if" clause's consequence, said with a modal ("… she'll need", "he will require").
CONSEQUENCE_MODAL = re.compile(
    r"(?:'ll|\s+(?:will|would|may|might|should|could|can)(?:\s+(?:then|also|probably))?)\s+"
    r"(?:need|needs|require|requires|get|have|be\s+given|be\s+started|start)\b",
    re.IGNORECASE,
)
# "… or he gets a temperature he should come back for oral antibiotics": a safety net's own consequence, said
# with its subject and a modal; it holds what it is for ("for oral antibiotics") and no more
SAFETY_NET_MODAL = re.compile(
    r"(?:'ll|\s+(?:will|would|should|must|can|could|may|might)(?:\s+(?:then|also))?)\s+"
    r"(?:come\s+back|return|attend|seek|call|contact|be\s+seen|be\s+reviewed)\b",
    re.IGNORECASE,
)
# A condition said whole by a state word right after "if" ("if normal", "if needed", "if tolerated"): a concept
# named after it with no instruction between may be its consequence or a new item.
CONDITION_STATE = re.compile(
    r"\s+(?:(?:it\s+is|it's|results?\s+(?:is|are)|is|are)\s+)?(?:not\s+)?(?:normal|abnormal|negative|positive"
    r"|needed|required|necessary|indicated|tolerated|appropriate|unchanged|clear|so)\b",
    re.IGNORECASE,
)
DEVELOP_WORD = re.compile(rf"\b(?:{DEVELOP}|has|have|gets?|experiences?|notices?|feels?)\b", re.IGNORECASE)
# Doubt, not denial (issue 15): "not sure (if)", "unsure", "can't remember (if)", "doesn't know whether", "might
# have (had)", "thinks she had", "possibly", "query". Read as a cue of its own, before the negation cues (the "not"
# of "not sure" denies nothing); its reach is a negation's (:mod:`.scope_negation`), and it takes the subject and
# verb of the doubted clause with it ("not sure if he had a fever": the concept is the verb's object).
_DOUBTED_CLAUSE = (
    r"(?:\s+(?:if|whether|that|about)\b)?(?:\s+(?:she|he|they|i|it|there)(?:'s|'d)?\b)?"
    r"(?:\s+(?:has|had|have|was|were|is|been|ever|got|gets|having|actually|really|still|any)\b)*"
)
# The speaker's doubt itself ("not sure", "unsure", "can't remember", "doesn't know"), before what it doubts; a
# relation who says it is a speaker, like "mum says" (:mod:`.relation_words`)
DOUBT_SAID = (
    r"\b(?:(?:not|isn'?t|wasn'?t|aren'?t|weren'?t)\s+(?:sure|certain)|unsure|uncertain"
    r"|(?:can'?t|cannot|could\s+not|couldn'?t|does\s+not|doesn'?t|do\s+not|don'?t|did\s+not|didn'?t)"
    r"\s+(?:remember|recall|know))"
)
UNCERTAIN_CUE = (
    DOUBT_SAID + _DOUBTED_CLAUSE + r"|\b(?:might|may|could)\s+have\b(?!\s+to\b)(?:\s+(?:had|been))?"
    r"|\bthinks?\s+(?:she|he|they|i)\s+(?:had|has|have|was|is|(?:might|may)\s+have(?:\s+had)?)"
    r"|\b(?:possibly|query)\b"
)
NEGATION_CUE = re.compile(
    rf"(?P<uncertain>{UNCERTAIN_CUE})"
    r"|\b(?P<report>denies|denied|deny|denying)\b"
    # "CT excluded a bleed", "the scan has ruled out a fracture"; said after a concept it is that concept's
    # (:func:`.scope_negation.ruled_out_after`), never a cue for what follows ("DVT excluded, cellulitis likely")
    r"|\b(?P<both>(?:has\s+|have\s+)?(?:excluded|excludes|ruled\s+out|rules\s+out))\b"
    r"|\b(?:no|not|without|never|nor|negative\s+for|free\s+of|absence\s+of|no\s+evidence\s+of)\b",
    re.IGNORECASE,
)
# A gap between concepts that coordinates them with the negation before.
COORDINATION = re.compile(
    r"(?:[\s,/]|\b(?:and|or|nor|any|other|also|or\s+any|no|none|of|the|a|an)\b)*", re.IGNORECASE
)
TERMINATOR = re.compile(
    any_of(
        r"but",
        r"however",
        r"although",
        r"though",
        r"except",
        r"apart\s+from",
        r"aside\s+from",
        r"reports?",
        r"reported",
        r"endorses?",
        r"endorsed",
        r"complains?",
        r"complained",
        r"c/o",
        r"admits?",
        r"has",
        r"have",
        r"had",
        r"with",
        r"positive",
        r"presents?",
        r"notes?",
        r"noted",
        r"is",
        r"was",
        r"are",
        r"were",
        r"shows?",
        r"showed",
        r"found",
        r"seen",
        r"heard",
        r"exam",
        r"examination",
        r"auscultation",
        r"takes",
        r"taking",
        r"on",
        ACTIONS,
    )
    + r"|[;.!?:]",
    re.IGNORECASE,
)
# A habit between a cue and the first concept ("he does not smoke cough for three weeks"): the cue's object
SOCIAL = re.compile(
    r"\b(?:smok\w*|drink\w*|alcohol|driv\w*|work\w*|exercis\w*|sleep\w*|live|lives|living)\b", re.IGNORECASE
)
# Between a cue and the first drug it negates ("not taking", "denies using", "no longer on any"): not the end of the
# negation's reach, though "taking" / "on" end it elsewhere.
NEGATED_USE = re.compile(
    r"\s*(?:(?:longer|taking|take|takes|using|uses|used|on|any|been|had|given|prescribed|started|currently|regular"
    r"|the|his|her|their|a|an)\s+)+",
    re.IGNORECASE,
)
# Words that qualify a negated concept before it ("no recent significant chest pain"): not an item of their own.
MODIFIERS = re.compile(
    any_of(
        r"any",
        r"a",
        r"an",
        r"the",
        r"of",
        r"her",
        r"his",
        r"their",
        r"recent",
        r"significant",
        r"new",
        r"further",
        r"other",
        r"more",
        r"known",
        r"obvious",
        r"real",
        r"associated",
        r"previous",
        r"prior",
        r"history",
        r"episodes?",
        r"signs?",
        r"symptoms?",
        r"evidence",
        r"current",
        r"ongoing",
        r"acute",
        r"chronic",
        r"severe",
        r"mild",
        r"marked",
        r"major",
        r"focal",
        r"true",
        r"persistent",
        r"further",
    ),
    re.IGNORECASE,
)
# What after a juxtaposed concept makes the negation's reach undecidable.
STATE_AFTER = re.compile(  # used with .match(text, pos): no "^" (it would match only at the text's start)
    r"\s*,?\s*(?:on\s+(?:exam|examination|auscultation)|noted|present|heard|seen|found|bilaterally|stable"
    r"|(?:well\s+|poorly\s+)?controlled|improving|improved|worse|worsening|better|persists|ongoing|remains"
    r"|continues|is|was|has|since|all\s+over|on\s+and\s+off|intermittently|constantly"
    r"|for\s+(?:the\s+(?:last|past)\s+)?(?:a\s+few\s+|several\s+|\w+\s+)?(?:days?|weeks?|months?|years?|hours?))\b",
    re.IGNORECASE,
)

# A juxtaposed concept said with its own site ("no bony tenderness swelling over the lateral ligament", "no fever
# rash on both cheeks"): a finding described, as likely a new one as one more denied item.
SITE_AFTER = re.compile(
    r"\s*,?\s*(?:over|on|in|at|around|behind|across|along|under|of)\s+(?:the\s+|both\s+|her\s+|his\s+|their\s+)?"
    r"(?:left|right|lateral|medial|upper|lower|both|front|back|side|sides|base|bases|cheeks?|arms?|legs?|hands?"
    r"|feet|foot|ankles?|knees?|chest|abdomen|face|neck|skin|lateral|ligament|joint)\b",
    re.IGNORECASE,
)

# "hypothyroidism can occur with lithium": a possibility named after the concept, not the patient's fact; "DVT
# prophylaxis": the condition prevented (the drug after it is the prophylaxis itself, the patient's).
POSSIBILITY_AFTER = re.compile(
    r"\s*,?\s+(?:can|may|might|could)\s+(?:also\s+|sometimes\s+|rarely\s+)?"
    r"(?:occur|happen|develop|arise|result|follow|be\s+caused|be\s+a\s+(?:side|adverse)\s+effect)\b"
    r"|\s+(?:prophylaxis|prevention)\b",
    re.IGNORECASE,
)
# "if her COPD flares", "should the pain persist": the condition is a change in what the patient has now (joined
# as "<words between the trigger and the concept>#<words after it>")
PRESUPPOSED = re.compile(
    r"\s*(?:she|he|they)?\s*(?:(?:her|his|their|the|your|this|its)\s+)?(?:[a-z]+\s+)?#"
    r"\s*(?:flares?(?:\s+up)?|worsens?|gets?\s+worse|is\s+getting\s+worse|deteriorates?|persists?|continues?"
    r"|does\s+not\s+(?:improve|settle|resolve)|doesn'?t\s+(?:improve|settle|resolve)|fails?\s+to\s+(?:improve|settle)"
    r"|is\s+not\s+(?:controlled|improving|settling|better)|remains?|recurs?|spreads?)\b.*",
    re.IGNORECASE | re.DOTALL,
)
# What joins the concepts a "watch for" / "to prevent" names ("watch for fever, rash or jaundice").
WATCH_GLUE = re.compile(r"\s*(?:,|/|\band\b|\bor\b|\bnor\b)\s*(?:\b(?:any|other|new)\s+)?", re.IGNORECASE)
QUERY_GLUE = re.compile(r"\s*(?:,|/|\bor\b|\bversus\b|\bvs\.?)\s*(?:\bpossibly\s+)?", re.IGNORECASE)

# "appendicitis to be considered", "propranolol 10 mg as needed to be considered", "flucloxacillin should be
# started in case of infection", "co-amoxiclav only in case of …": a plan said after the concept (its dose words
# between, never another concept). ``verb`` alone makes it a plan; an initiation needs the condition after it.
PLAN_AFTER = re.compile(
    r"(?P<gap>(?:\s+[\w./%-]+){0,6}?)\s*,?\s+(?:(?:is|are)\s+)?(?:"
    r"(?P<verb>(?:to|should|will|may|might|could|would)\s+be\s+(?:considered|excluded|ruled\s+out|discussed))"
    r"|(?P<start>(?:to|should|will|would|can|may|could)\s+be\s+(?:started|used|given|added|tried|commenced"
    r"|prescribed|restarted|resumed|taken|offered)|only))\b",
    re.IGNORECASE,
)
PLAN_CONDITION = re.compile(
    r"\s*\b(?:if|unless|in\s+case|should|pending)\b(?!\s+(?:needed|necessary|required|tolerated)\b)",
    re.IGNORECASE,
)

# "will start apixaban if the echo shows atrial fibrillation": an initiation whose condition comes after it.
INITIATION_BEFORE = re.compile(
    # not the noun: "at the start of a headache" (:data:`NOUN_START`)
    rf"\b(?:{NOUN_START}start|starting|begin|initiate|add|adding|switch\s+to|restart|resume|then)\s+(?!of\b)"
    r"(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# A condition's own consequence after it: "… should her mood worsen the crisis team is to be contacted"
CONSEQUENCE_AFTER = re.compile(
    rf"{ACTION.pattern}|\b(?:is|are)\s+to\s+be\b|\b(?:contact|call|ring|return|seek|attend)\b", re.IGNORECASE
)
CONDITION_AFTER = re.compile(  # "restart furosemide 40 mg should her weight rise": "should" as "if"
    r"\b(?:if|unless|in\s+case)\b(?!\s+(?:needed|necessary|required|tolerated|possible)\b)"
    rf"|\b{SHOULD_IF}(?=(?:\s+\S+){{1,6}}?\s+(?:{DEVELOP}|not\s+improve)\b)",
    re.IGNORECASE,
)

# "no change in her tremor", "no side effects from amlodipine", "no benefit": what is denied is a change or an
# effect, not the concept after it
NOT_ABSENT = re.compile(
    r"\s*(?:(?:\w+\s+)?(?:change|improvement|better|worse|worsening|relief|response|resolution|difference"
    r"|side\s+effects?|adverse\s+effects?|problems?|issues?|concerns?|complaints?)\s+(?:in|of|with|from|on|to)\b"
    # "stopped after three weeks with no benefit prednisolone 30 mg …" (a recogniser's run-on): a treatment's outcome
    # is what is denied, the concept said right after it is not
    r"|\s*(?:any\s+)?(?:benefit|effect|improvement|response|relief|difference)\s*$)",
    re.IGNORECASE,
)
STOP_VERB = re.compile(r"\s*(?:stop|stopp\w*|discontinu\w*|ceas\w*|quit\w*)\b", re.IGNORECASE)
