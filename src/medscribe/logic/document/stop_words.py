"""The words that stop or hold a drug, read around its mention by :mod:`.mention_context` (data only)."""

from __future__ import annotations

import re

HOLD_BEFORE = re.compile(r"\b(?:hold(?:ing)?|omit(?:ting)?)\s+(?:(?:the|his|her|their)\s+)?$", re.IGNORECASE)
# "stop ibuprofen", "discontinue X", "no longer taking X": read from the words, whatever the backend's traits
STOP_BEFORE = re.compile(
    r"\b(?:stop|stopping|stopped|discontinue|discontinuing|discontinued|d/c|cease|quit|no\s+longer\s+(?:taking|takes|on|using)"
    r"|(?:came|come|coming|weaned|tapered)\s+off|(?:finished|completed)(?:\s+(?:the|a|her|his|their))?(?:\s+course\s+of)?"
    r"|(?:ran|run|running|has\s+run|had\s+run)\s+out\s+of"
    r"|switch(?:ed|ing)?\s+from|chang(?:e|ed|ing)\s+from|instead\s+of"
    # "Trimbow …, which replaces her old Fostair": the drug replaced is no longer taken
    r"|(?P<replaced>replac(?:es|ed|ing)|in\s+place\s+of)"
    # "she must not take ibuprofen", "not to use X", "avoid X": never to be taken
    r"|(?P<never>(?:must|should|do|does|is|are|to|shall)\s+not\s+(?:take|use|have|be\s+given|restart)"
    r"|(?:don'?t|doesn'?t|mustn'?t|shouldn'?t|never)\s+(?:take|use|give|restart)|avoid(?:s|ing)?"
    # "sildenafil 50 mg …, and never with nitrates": a drug never to be combined with the one prescribed
    r"|never\s+(?:together\s+)?(?:with|alongside)|not\s+(?:to\s+be\s+)?(?:taken|used|given|combined)\s+with))"
    r"\s+(?:(?:the|his|her|their|taking|using)\s+)?(?:(?:old|previous|former|usual)\s+)?$",
    re.IGNORECASE,
)
# "stopped working", "stopped helping": the drug no longer works, it is still taken (no stop)
NOT_A_STOP_AFTER = r"(?!\s+(?:working|helping|having\s+(?:any|an|much)\s+effect))"
# "ibuprofen was stopped", "co-amoxiclav to be avoided", "aspirin should be stopped", a plural class ("NSAIDs are
# to be avoided", "all sulfonamide antibiotics are best avoided"): the auxiliaries' closed class, singular and plural
STOPPED_AFTER = re.compile(
    r"\s*(?:(?:was|is|are|were|has\s+been|have\s+been|(?:is|are|was|were)\s+(?:best\s+|now\s+)?to\s+be|to\s+be"
    r"|(?:is|are)\s+best|(?:will|should|must|would|needs?\s+to|ought\s+to)\s+(?:now\s+)?be)\s+)?"
    rf"(?:stopped|discontinued|ceased|withdrawn|weaned\s+off|tapered\s+off|avoided)\b{NOT_A_STOP_AFTER}",
    re.IGNORECASE,
)
# "warfarin was switched to apixaban": a stop only when another drug is named next (not "switched to oral",
# "changed to 10 mg", "switched to the evening"). The gap's words are separated by a space or a comma: a word that
# may split anywhere (``\s*`` between them) made these patterns backtrack exponentially on a long recogniser run.
SWITCHED_AFTER = re.compile(
    r"(?P<gap>(?:(?:\s*,\s*|\s+)[\w./%-]+){0,6}?)\s*,?\s*(?:and\s+)?(?:then\s+|later\s+|subsequently\s+)?"
    r"(?:(?:was|is|has\s+been|have\s+been|were|to\s+be|will\s+be)\s+)?"
    r"(?:(?:switched|changed)\s+(?:over\s+)?(?:to|for|onto)|replaced\s+(?:by|with))\s+"
    r"(?:(?:oral|iv|intravenous|subcutaneous|inhaled|topical|the|a|an)\s+)*",
    re.IGNORECASE,
)
# A stop said of the drug by a pronoun, or after its start, in the drug's stretch (before another drug is named):
# "amlodipine, but that has been discontinued", "apixaban 5 mg bd, last dose this morning, hold it", "doxazosin
# was started, then stopped", "bisoprolol was tried before and stopped", "…, which I've told him to stop".
ANAPHORIC_STOP = re.compile(
    # "so that's held for now": a contracted "is" too
    # "…, which we have stopped", "…, which the GP has held": the one who stopped it said between
    r"\b(?:(?:it|that|this|they|which)(?:['\u2019]s\s+|\s+(?:(?:i|we|they)['\u2019]ve\s+|(?:i|we|they"
    r"|the\s+(?:gp|team|ward|hospital|doctors?))\s+)?(?:(?:has|have|had|was|were|is|are)\s+)?)"
    r"(?:now\s+|since\s+|also\s+)?"
    r"(?:(?:should|must|will|needs\s+to|need\s+to|is\s+to|has\s+to|ought\s+to)\s+(?:now\s+)?be\s+|been\s+)?"
    rf"(?P<done>stopped{NOT_A_STOP_AFTER}|discontinued|ceased|withdrawn|held|paused|on\s+hold)"
    r"|(?:was|were|had\s+been|has\s+been)\s+(?:started|tried|given|commenced)"
    r"(?:\s+(?:before|previously|earlier|once|in\s+the\s+past))?\s*,?\s*"
    r"(?:and\s+(?:then\s+|later\s+|subsequently\s+)?|(?:then|later|subsequently)\s+)"
    r"(?:was\s+)?(?P<after>stopped|discontinued|withdrawn)"
    # "…, which I've told him to stop for now", "his bumetanide …, which must stop"
    r"|(?:which|that)\s+(?:i|we)(?:'ve|\s+have|\s+had)?\s+(?:told|asked|advised)\s+(?:him|her|them)\s+to\s+"
    r"(?P<told>stop|hold|pause)"
    r"|(?:it|which|that)\s+(?:must|should|will\s+have\s+to|needs\s+to|has\s+to)\s+(?P<must>stop)"
    # "…, which she should no longer do", "…, which she should not take": never to be taken
    r"|(?:which|that)\s+(?:she|he|they|you)\s+(?:should|must|is\s+to|are\s+to)\s+(?:no\s+longer|not|never)\s+"
    r"(?P<never>do|use|take|have)"
    r"|(?P<verb>hold|withhold|omit|stop|discontinue)\s+(?:it|them|this|that)\b(?!\s+(?:is|was|has)\b)"
    # "clopidogrel 75 mg daily, withhold for seven days before the operation": the object left unsaid, the hold's
    # time said next (a pre-operative instruction)
    # ("hold on the day of surgery"; never the dictation's "hold on, sorry, 10 mg")
    r"|(?P<bare>withhold|omit|hold|pause)(?=\s+(?:for|from|until|till|before|prior\s+to|during"
    r"|on\s+(?:the|his|her|their|days?|mornings?|evenings?|nights?|admission|surgery)\b)\b))\b",
    re.IGNORECASE,
)
ANAPHOR_WORDS = 16  # how far after the drug its pronoun may stand
# "Eliquis, sorry, apixaban": the speaker corrects the name; what is said of the second is said of the first
CORRECTION = re.compile(r"\s*,?\s*(?:sorry|i\s+mean|or\s+rather|rather|that\s+is)\s*,?\s*", re.IGNORECASE)
# "prednisolone 40 mg in hospital, which has now stopped", "IV co-amoxiclav, now completed", "lamotrigine was
# considered but not started": a stop said a few words after the drug (its dose, route, setting between).
STOPPED_LATER = re.compile(
    r"(?P<gap>(?:(?:\s*,\s*|\s+)[\w./%-]+){0,8}?)\s*,?\s*(?:(?:which|that)\s+)?"
    r"(?:(?:has|have|had|was|is|were|are)\s+)?(?:now\s+)?(?:been\s+)?"
    r"(?:(?:considered|discussed|offered|suggested)\s+but\s+)?"
    rf"(?:stopped{NOT_A_STOP_AFTER}|discontinued|completed|finished|ceased|withdrawn|(?:not|never)\s+(?:been\s+)?started"
    # "his ibuprofen for his back pain should stop": the drug is the subject of a stop to come
    r"|(?:should|must|will|needs\s+to|has\s+to|is\s+to)\s+(?:now\s+)?stop)\b",
    re.IGNORECASE,
)
# "change the Clenil to Symbicort": the drug changed from, when another drug is named just after "to"
CHANGE_BEFORE = re.compile(
    r"\b(?:chang(?:e|ed|ing)|switch(?:ed|ing)?|swap(?:ped|ping)?)\s+(?:(?:the|his|her|their)\s+)?$",
    re.IGNORECASE,
)
CHANGED_TO = re.compile(
    r"(?P<gap>(?:(?:\s*,\s*|\s+)[\w./%-]+){0,3}?)\s*,?\s+(?:over\s+)?(?:to|for|onto|with)\s+"
    r"(?:(?:the|a|an)\s+)?",
    re.IGNORECASE,
)
# Words that make a later "completed"/"stopped" a condition or another clause, not this drug's stop.
NOT_A_STOP_GAP = re.compile(
    r"\b(?:until|till|when|once(?!\s+(?:a\s+|daily|weekly|nightly|monthly|every))|after|if|before|unless|then|course|and|or|but|to|be|will|should|must"
    r"|he|she|they|we|i|patient|pt|who)\b",
    re.IGNORECASE,
)
HOLD_CONDITION = re.compile(
    r"\b(?:if|for|when|whenever|until|till|while|during|before|after|prior\s+to|unless|in\s+case\s+of)\b",
    re.IGNORECASE,
)
# A hold's end, not its condition: the drug is held now ("until …", "for two weeks")
HELD_NOW = re.compile(
    r"(?:until|till|pending)\b|for\s+(?:\w+\s+){0,2}?(?:days?|weeks?|months?|nights?)\b", re.IGNORECASE
)
PAST_STOP = re.compile(
    r"(?:came|weaned|tapered)\s+off|(?:had|took)\s+a\s+(?:short\s+)?course|stopped|discontinued|ceased|quit|finished|completed|(?:ran|had\s+run|has\s+run)"
    r"\s+out|switched|changed|no\s+longer|replac(?:es|ed|ing)|in\s+place\s+of",
    re.IGNORECASE,
)
# where a recogniser's run-on "until …" ends: the next instruction said in the past or a new subject
NEXT_CLAUSE = re.compile(
    r"\b(?:started|commenced|continued|restarted|stopped|increased|reduced|he|she|they|we|patient)\b",
    re.IGNORECASE,
)
NOT_A_CONDITION = re.compile(r"for\s+(?:now|the\s+time\s+being)\b", re.IGNORECASE)
# "Elvanse was tried last year and caused poor appetite", "Champix was not tolerated": a past trial, not taken now
TRIED_BEFORE = re.compile(
    r"\s*,?\s*(?:was|were|had\s+been|has\s+been)\s+(?:(?:tried|trialled)\s+(?:before|previously|earlier|once"
    r"|in\s+the\s+past|last\s+(?:year|month|week|time)|(?:\w+\s+)?(?:years?|months?)\s+ago|as\s+a\s+child)"
    r"|not\s+tolerated|never\s+(?:been\s+)?started|not\s+(?:been\s+)?started)\b",
    re.IGNORECASE,
)
# "Adalimumab 40 mg … every two weeks is on hold until …", "fluoxetine 20 mg once daily, to be held for now", "her
# old Madopar capsules should be returned to the pharmacy": held or put away, said a few words after the drug (its dose, form, schedule between)
HELD_LATER = re.compile(
    r"(?P<gap>(?:(?:\s*,\s*|\s+)[\w./%-]+){0,8}?)\s*,?\s+(?:(?:is|are|was|were|(?:is\s+|are\s+)?to\s+be|will\s+be)\s+"
    r"(?:now\s+)?(?P<held>on\s+hold|held|withheld|paused)"
    r"|(?:should|must|are\s+to|is\s+to|need\s+to|needs\s+to)\s+(?:be\s+(?P<away>returned|disposed\s+of|destroyed"
    r"|stopped|discontinued)|(?P<halt>stop)))\b",
    re.IGNORECASE,
)
HELD_AFTER = re.compile(
    r"\s*(?:(?:is|was|are|were|being|been|to\s+be|will\s+be)\s+)?(?:held|on\s+hold|paused)\b", re.IGNORECASE
)
THEN_BEFORE = re.compile(r"\bthen\s+$", re.IGNORECASE)  # "… then 5 mg then stop thiamine": whose stop?
# "… for three days then stop X …" (no punctuation): the "stop" may end the taper step said before it
TAPER_STEP_BEFORE = re.compile(
    r"\b(?:days?|weeks?|months?|nights?|doses?)\s*,?\s*(?:and\s+)?then\s+$", re.IGNORECASE
)
