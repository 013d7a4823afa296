"""A drug named only as part of a condition (issue 15: a drug is never stated as a current prescription on words
that do not say it is taken).

"insulin-dependent diabetes", "steroid-induced hyperglycaemia", "lithium toxicity", "opioid dependence", "a
paracetamol overdose", "an overdose of amitriptyline", "aspirin-exacerbated respiratory disease": the drug's name is
said as what a condition is about, not as a drug the patient takes. The same holds of a drug said as the modifier of
a service's or test's noun ("the warfarin clinic", "an aspirin challenge", "a dobutamine stress echo", "methotrexate
monitoring", "lithium levels"): AWS returns the drug's name there as a MEDICATION (PROCEDURE.md section 14), and the
words name a clinic or a test, not a drug taken. Whether it is taken now is not said, so the row is not moved (the
patient may well be on it): it is flagged ``NOT_VERIFIED_CURRENT`` naming NOT_TAKING / UNCLEAR and quoting the words.
Structural words only (closed classes of the nouns and participles a drug's name modifies), never drug names; an
allergy's words ("penicillin allergy", "statin intolerance") are the allergy reader's (:mod:`.allergies`).
"""

from __future__ import annotations

import re

from medscribe.logic.document.model import ReviewFlag
from medscribe.logic.document.pronoun_stop import not_current
from medscribe.logic.document.susceptibility import said_of_organism

# the kind words of a test named by its agent, said between the drug and the test's noun ("a dexamethasone
# suppression test", "a Synacthen stimulation test", "a mannitol inhalation challenge", "a lactulose breath test")
_TEST_KINDS = (
    r"(?:suppression|stimulation|tolerance|provocation|challenge|inhalation|breath|perfusion|infusion|loading"
    r"|skin|prick|patch|reversibility|washout)"
)
# the nouns of a service or a test a drug's name modifies ("warfarin clinic", "aspirin challenge test")
SERVICE_OR_TEST = (
    r"(?:clinics?|service|monitoring|challenge|provocation|test|tests|testing|stress\s+(?:echo|test|mri|scan)"
    rf"|levels?|assay|screen|screening|{_TEST_KINDS}\s+(?:tests?|testing|study|studies|scan|challenge))"
)
_SERVICE_OR_TEST = re.compile(rf"(?:\s*-\s*|\s+){SERVICE_OR_TEST}\b", re.IGNORECASE)
# the word said right after the drug makes the drug the condition's cause or subject
_AFTER = re.compile(
    r"(?:\s*-\s*|\s+)(?:induced|related|associated|resistant|resistance|dependent|dependence|dependency|toxicity"
    r"|toxic|overdose|od|withdrawal|misuse|abuse|poisoning|use\s+disorder|addiction|refractory|exacerbated"
    r"|naive|na\u00efve|responsive|unresponsive|deficiency|apnoea|apnea"
    rf"|{SERVICE_OR_TEST})\b",
    re.IGNORECASE,
)
# "an overdose of amitriptyline", "toxicity from lithium", "withdrawal from alcohol"
_BEFORE = re.compile(
    r"\b(?:overdose|overdosed|toxicity|poisoning|withdrawal|addiction|addicted)\s+(?:of|on|from|to|with)\s+"
    r"(?:(?:his|her|their|the|a|an)\s+)?$",
    re.IGNORECASE,
)
_REACH = 40  # characters before the drug the condition's word may start
# a condition's head a drug said right before it names: the condition is printed with its drug ("lithium
# toxicity"); AWS returns the two as separate entities ("lithium", "toxicity")
_HEADS = frozenset({"toxicity", "overdose", "overdoses", "poisoning", "intoxication", "withdrawal"})


def in_condition(text: str, mention: tuple[int, int]) -> str:
    """The words naming the drug at ``mention`` as part of a condition ("lithium toxicity"), or ""."""
    begin, end = mention
    organism = said_of_organism(text, mention)  # "sensitive to nitrofurantoin": a culture's result
    if organism:
        return organism
    after = _AFTER.match(text, end)
    if after is not None:
        return " ".join(text[begin : after.end()].split())
    before = _BEFORE.search(text, max(0, begin - _REACH), begin)
    if before is not None:
        return " ".join(text[before.start() : end].split())
    return ""


def flag(name: str, mention: tuple[int, int], said: str, text: str = "") -> ReviewFlag:
    named = (
        "an organism's sensitivity or resistance (a culture's result)"
        if text and said_of_organism(text, mention)
        else "a clinic's or test's name"
        if text and _SERVICE_OR_TEST.match(text, mention[1])
        else "a condition"
    )
    why = (
        f"it is said only as part of {named} (“{said}”), not as a drug taken: NOT_TAKING or UNCLEAR, "
        "check whether it is taken now"
    )
    return not_current(name, mention, why)


def condition_start(text: str, name: str, begin: int, medications: list[tuple[int, int]]) -> int:
    """Where the condition ``name`` said at ``begin`` starts with the drug said right before it ("lithium
    toxicity": the drug's start), else ``begin``."""
    if name.lower() not in _HEADS:
        return begin
    for start, end in medications:
        if start < end <= begin and begin - end <= 2 and not text[end:begin].strip(" -"):
            return start
    return begin


def condition_name(text: str, name: str, begin: int, medications: list[tuple[int, int]]) -> str:
    """``name`` ("toxicity") with the drug said right before it at ``begin`` ("lithium toxicity"), or ``name``."""
    start = condition_start(text, name, begin, medications)
    return name if start == begin else " ".join(text[start : begin + len(name)].split())
