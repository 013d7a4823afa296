"""Site words that are not body sites: "back at work", "on the other hand", "face to face", "5 feet".

AWS returns an ANATOMY entity for a body site; the same words in everyday idioms name no site ("she is back
at work", "head of department", "keep an eye on it", "six feet tall"). General rules, on normalised tokens:

- "back" is the body site only with a word that makes it a noun ("her back", "the back", "lower back"), as
  an exam heading ("Back: no tenderness"), coordinated with another site ("the chest and back"), or before
  a condition ("back spasms"); never right after a verb of motion or return ("came back", "call back").
- a site noun naming a service, a kind of care, a device, a product, a test or an activity ("diabetic foot
  check", "breast clinic", "skin care", "arm sling", "breast feeding", "heel prick", "ear spray", "face mask",
  "eye test") is not the patient's site.
- a site word inside a longer idiom ("off his chest", "the cold shoulder", "heart is in the right place", "got
  cold feet") names no site; "the back of her throat" places the throat, it is not the back.
- a site adjective before a noun that is no site ("lumbar puncture", "abdominal ultrasound" when unlisted,
  "cervical smear") names that thing, not a site; before "region" / "area" it is one ("lumbar region").
- "hand", "head", "face", "eye", "heart", "foot" / "feet", "thumb", "chin", "stomach" in fixed expressions
  ("on the other hand", "left-hand side", "head teacher", "face to face", "eye contact", "by heart", "on
  foot", "5 feet", "rule of thumb").
"""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import labels
from medscribe.offline.ner.text import Doc, Span

# "comes back high", "call back", "go back to work": "back" after such a verb is an adverb
_BACK_VERBS = frozenset({
    "come", "comes", "came", "coming", "go", "goes", "went", "going", "get", "gets", "got", "call", "calls",
    "called", "bring", "brings", "brought", "feed", "fed", "report", "reports", "reported", "check", "checks",
    "cut", "cutting", "step", "stepped", "switch", "switched", "switching", "put", "looking", "look", "looked",
})  # fmt: skip
# words before "back" that make it the noun, the body site
_BACK_NOUN = frozenset({
    "the", "her", "his", "my", "their", "your", "our", "a", "lower", "upper", "low", "mid", "middle", "whole",
    "entire", "left", "right", "small", "of", "sore", "painful", "stiff", "bad",
})  # fmt: skip
_COORD = frozenset({"and", "or", "nor"})
_OBJECTS = frozenset({"her", "him", "them", "it", "me", "us"})
# "bring her back", "call him back": a verb and its object before "back" (not "check her back": the site)
_BACK_OBJECT_VERBS = frozenset({
    "bring", "brings", "brought", "call", "calls", "called", "see", "invite", "ask", "send", "sent", "take",
    "took", "get", "got", "ring", "phone", "put", "give", "gave",
})  # fmt: skip

# (word before or "", the site word, word after or "") of an idiom; "*" matches any word
_IDIOMS = frozenset({
    ("other", "hand", "*"), ("at", "hand", "*"), ("first", "hand", "*"), ("second", "hand", "*"),
    ("*", "hand", "side"), ("*", "hand", "corner"), ("*", "hand", "over"), ("*", "hand", "in"),
    ("*", "head", "of"), ("*", "head", "teacher"), ("*", "head", "office"), ("*", "head", "home"),
    ("*", "head", "nurse"), ("*", "head", "start"), ("*", "heads", "up"), ("*", "head", "up"),
    ("*", "face", "to"), ("to", "face", "*"), ("*", "face", "value"),
    ("an", "eye", "on"), ("*", "eye", "contact"), ("*", "eye", "out"),
    ("by", "heart", "*"), ("at", "heart", "*"), ("on", "foot", "*"), ("of", "thumb", "*"),
    ("*", "chin", "up"), ("can't", "stomach", "*"), ("cannot", "stomach", "*"),
    ("*", "gut", "feeling"), ("*", "gut", "feelings"), ("*", "gut", "instinct"), ("*", "gut", "reaction"),
})  # fmt: skip
# longer fixed expressions holding a site word ("get it off his chest", "gave me the cold shoulder"): any site
# inside a match names no site. Literal readings stay ("cold feet on the left", "pain in the neck").
_IDIOM_RE = re.compile(
    r"\b(?:off\s+(?:his|her|my|their|your|our)\s+chest|heart\s+(?:is|was|'s)\s+in\s+the\s+right\s+place"
    r"|heart\s+set\s+on|cold\s+shoulder|(?:get|gets|got|getting|had|having)\s+cold\s+feet"
    r"|chin\s+up|arm\s+and\s+a\s+leg|break\s+a\s+leg|head\s+over\s+heels|(?:pull|pulling)\s+(?:his|her|my|your)\s+leg"
    r"|back\s+on\s+(?:his|her|my|their|your)\s+feet|(?:put|puts)\s+(?:his|her|my|their)\s+foot\s+down"
    r"|(?:lend|give)\s+(?:a|me\s+a|him\s+a|her\s+a)\s+hand|sweet\s+tooth|tongue\s+in\s+cheek|eye\s+to\s+eye"
    r"|stiff\s+upper\s+lip|elbow\s+grease|skin\s+of\s+(?:his|her|my|their)\s+teeth|(?:hands|hand)\s+full"
    r"|thumbs?\s+up|neck\s+and\s+neck|finger\s+on\s+the\s+pulse|(?:keep|kept|keeping)\s+(?:his|her|my|their)\s+head"
    r"|(?:put|puts|putting)\s+(?:his|her|my|their)\s+feet\s+up|foot\s+of\s+the\s+(?:bed|stairs|page)"
    r"|skin\s+to\s+skin|all\s+ears|butterflies\s+in\s+(?:his|her|my|their|the)\s+stomach"
    # session 8: "been on her toes all week", "keeps his nose clean", "sticking his neck out", "hand in hand",
    # "a hands-on family", "his heart is not in it", "dragging his feet", "a good head for figures"
    r"|(?:been|be|being|is|was|stay|stays|staying|keep|keeps|kept|keeping)\s+on\s+(?:his|her|my|their|your|our)"
    r"\s+(?:toes|feet)(?=\s+(?:all|every|for|most|the\s+whole)\b|\s*[.,;]|\s*$)"
    r"|(?:keep|keeps|kept|keeping)\s+(?:his|her|my|their)\s+nose\s+clean|nose\s+to\s+the\s+grindstone"
    r"|stick(?:s|ing|ed)?\s+(?:his|her|my|their)\s+necks?\s+out|hand\s+in\s+hand|hands-on"
    r"|(?:a|very|more|less)\s+hands\s+on\b|heart\s+(?:is|was|'s|isn't|wasn't)\s+(?:not\s+|really\s+)*in\s+(?:it|the|this|that)"
    r"|drag(?:s|ging|ged)?\s+(?:his|her|my|their)\s+feet|head\s+for\s+(?:figures|heights|numbers|business))\b",
    re.IGNORECASE,
)
# a nuisance said as "a pain in the neck": neither a site nor a condition (every entity inside is dropped);
# "she has a pain in the neck" stays a symptom and its site
_NUISANCE_RE = re.compile(
    r"\b(?:is|was|'s|are|were|being|be)\s+(?:a|such\s+a)\s+(?:real\s+|right\s+|bit\s+of\s+a\s+)?pain\s+in\s+the"
    r"\s+(?:neck|backside|bum|arse)\b",
    re.IGNORECASE,
)
# "the base of the thumb", "the tip of her finger": the word places the site after it, it is not a site itself
# (plurals too: "the backs of both hands", "the fronts of her knees")
_PLACE_WORDS = frozenset({
    "base", "tip", "top", "front", "side", "edge", "bases", "tips", "tops", "fronts", "sides", "edges", "backs",
})  # fmt: skip
# "the back of his shirt", "the backs of both hands": "back(s) of" places a site or names part of a thing
_BACKS = frozenset({"back", "backs"})
_LENGTH_UNITS = frozenset({"foot", "feet"})
_SITE_ADJECTIVE = re.compile(r"[a-z]{3,}(?:al|ic|ar)$")
_SERVICE_HEADS = frozenset({
    "clinic", "clinics", "care", "check", "checks", "team", "teams", "nurse", "nurses", "service",
    "services", "appointment", "referral", "review", "washing", "feeding", "fed", "compressions", "sling",
    "collar", "splint", "brace", "pump", "prick", "protector", "protectors", "support", "wear", "hygiene",
    # a product or a test for the site ("ear spray", "face mask", "eye test", "skin prick test")
    "spray", "sprays", "ointment", "mask", "masks", "test", "tests", "testing", "screening", "swab", "swabs",
    "gel", "spa", "guard", "monitor", "cast", "profile",  # "bone profile" is a blood test
    "visit", "visits",  # a visit to a place ("home visit", "out-of-hours base visit")
    # a place or a clinician of a specialty named by its organ ("eye hospital", "chest physician"); not words that
    # open a clause of an unpunctuated transcript ("... on the knee doctor to review", "knee unit number 4")
    "hospital", "hospitals", "department", "departments", "surgeon", "surgeons", "physician", "physicians",
    "specialist", "specialists",
    # an organ given as a graft ("a kidney transplant", "heart transplant clinic"; ``sites._GRAFTS``)
    "transplant", "transplants", "transplantation",
    # a drug, a product or an exercise for the site ("a nerve painkiller", "heart tablets", "skin cream", "ear
    # drops", "heel raises", "neck exercises")
    "tablet", "tablets", "pill", "pills", "medicine", "medicines", "medication", "medications", "painkiller",
    "painkillers", "drops", "cream", "creams", "lotion", "raises", "exercises", "stretches",
})  # fmt: skip
_SITE_NOUNS = frozenset({"region", "regions", "area", "areas", "side", "spine", "aspect", "surface"})
_FUNCTION_WORDS = frozenset({
    "and", "or", "nor", "but", "of", "in", "on", "at", "to", "with", "from", "by", "for", "is", "was", "are",
    "were", "the", "a", "an", "which", "that", "not", "no", "as",
})  # fmt: skip


def _norm(doc: Doc, i: int) -> str:
    return doc.toks[i].norm if 0 <= i < len(doc.toks) else ""


def _same_sentence(doc: Doc, i: int, j: int) -> bool:
    return 0 <= j < len(doc.toks) and doc.sent[i] == doc.sent[j]


def _is_idiom(doc: Doc, i: int) -> bool:
    word = _norm(doc, i)
    before = _norm(doc, i - 1) if _same_sentence(doc, i, i - 1) else ""
    after = _norm(doc, i + 1) if _same_sentence(doc, i, i + 1) else ""
    if word in _LENGTH_UNITS and before[:1].isdigit():
        return True  # "5 feet 2", "six foot": a length (spoken numbers come back as digits)
    return any((b, word, a) in _IDIOMS for b in (before, "*") for a in (after, "*") if (b, a) != ("*", "*"))


def _back_of_a_site(doc: Doc, s: Span, spans: list[Span], k: int) -> bool:
    """ "the back of her throat", "down the back of his thigh": "back" places the site after it, it is not the
    back. Likewise "the front / side / top of"."""
    i = s.t1
    if i >= len(doc.toks) or doc.toks[i].norm != "of" or doc.sent[i] != doc.sent[s.t0]:
        return False
    nxt = spans[k + 1] if k + 1 < len(spans) else None
    return (
        nxt is not None
        and nxt.category == "ANATOMY"
        and 0 < nxt.t0 - i <= 5  # "the base of the 5 th metatarsal"
        and doc.sent[nxt.t0] == doc.sent[i]
    )


def _of_after(doc: Doc, s: Span) -> bool:
    """ "back of": the word is followed by "of" in its sentence."""
    i = s.t1
    return i < len(doc.toks) and doc.toks[i].norm == "of" and doc.sent[i] == doc.sent[s.t0]


def _back_is_site(doc: Doc, s: Span, spans: list[Span], k: int) -> bool:
    i = s.t0
    if _back_of_a_site(doc, s, spans, k) or _of_after(doc, s):
        return False  # "the back of her throat" places the throat; "the back of his shirt" is no body part
    before = _norm(doc, i - 1) if _same_sentence(doc, i, i - 1) else ""
    if before in _BACK_VERBS:
        return False
    if (
        before in _OBJECTS
        and i > 1
        and doc.sent[i - 2] == doc.sent[i]
        and _norm(doc, i - 2) in _BACK_OBJECT_VERBS
    ):
        return False  # "bring her back in two weeks", "call him back"
    if before in _BACK_NOUN or doc.text[s.end : s.end + 2].lstrip().startswith(":"):
        return True
    prev = spans[k - 1] if k > 0 else None
    if before in _COORD and prev is not None and prev.category == "ANATOMY" and prev.t1 == i - 1:
        return True  # "the chest and back"
    nxt = spans[k + 1] if k + 1 < len(spans) else None
    return nxt is not None and nxt.category == "MEDICAL_CONDITION" and nxt.t0 == s.t1


def _adjective_of_a_thing(doc: Doc, s: Span, spans: list[Span], k: int) -> bool:
    """ "Lumbar puncture": a site adjective right before a word that no entity covers."""
    if not _SITE_ADJECTIVE.match(doc.toks[s.t0].norm):
        return False
    i = s.t1
    if i >= len(doc.toks) or doc.sent[i] != doc.sent[s.t0] or doc.text[s.end : doc.toks[i].begin].strip():
        return False
    nxt = spans[k + 1] if k + 1 < len(spans) else None
    covered = nxt is not None and nxt.t0 <= i < nxt.t1
    return (
        not covered
        and doc.toks[i].norm.isalpha()
        and doc.toks[i].norm not in _SITE_NOUNS
        and doc.toks[i].norm not in _FUNCTION_WORDS  # "the fifth metacarpal and the thumb": a noun, a site
    )


# plurals whose singular is no "-s" less ("feet", "teeth")
_IRREGULAR_PLURALS = frozenset({"feet", "teeth"})


def _plural(word: str) -> bool:
    """A plural site word ("ankles", "knees", "feet"): its singular is a listed site."""
    if word in _IRREGULAR_PLURALS:
        return True
    phrases = lex.clinical_lexicon().phrases
    singulars = (word[:-1], word[:-2]) if word.endswith("es") else (word[:-1],)
    return (
        word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and any((c := phrases.get(w)) is not None and c.category == "ANATOMY" for w in singulars)
    )


def _names_a_service(doc: Doc, s: Span) -> bool:
    """ "foot check", "breast clinic", "arm sling", "heel-prick": the site word before a service, care or device
    word. A noun before another is singular ("foot review", never "feet review"), so a plural site before such a
    word ends its clause ("oedema to both ankles review in 6 weeks", a recogniser's run-on) and stays a site."""
    i = s.t1
    return (
        i < len(doc.toks)
        and doc.sent[i] == doc.sent[s.t0]
        and doc.toks[i].norm in _SERVICE_HEADS
        and doc.text[s.end : doc.toks[i].begin].strip() in ("", "-")
        and not _plural(doc.toks[s.t1 - 1].norm)
    )


def without_idioms(doc: Doc, spans: list[Span], taken: list[bool]) -> list[Span]:
    """Drop single-word ANATOMY matches that are part of an idiom or an adverb ("back at work"), or a site
    adjective naming something else ("lumbar puncture")."""
    spans = labels.without_labels(doc, spans)  # condition words that name no condition ("Diabetes clinic")
    out: list[Span] = []
    idioms = [(m.start(), m.end()) for m in _IDIOM_RE.finditer(doc.text)]
    nuisances = [(m.start(), m.end()) for m in _NUISANCE_RE.finditer(doc.text)]
    for k, s in enumerate(spans):
        if any(b <= s.begin and s.end <= e for b, e in nuisances):
            for t in range(s.t0, s.t1):
                taken[t] = False
            continue
        if s.category == "ANATOMY" and any(b <= s.begin and s.end <= e for b, e in idioms):
            for t in range(s.t0, s.t1):
                taken[t] = False
            continue
        if s.category == "ANATOMY" and s.t1 - s.t0 == 1:
            word = doc.toks[s.t0].norm
            drop = (
                _is_idiom(doc, s.t0)
                or (word == "back" and not _back_is_site(doc, s, spans, k))
                or (word in _PLACE_WORDS and _back_of_a_site(doc, s, spans, k))
                or (word in _BACKS and _of_after(doc, s))
                or _adjective_of_a_thing(doc, s, spans, k)
                or _names_a_service(doc, s)
            )
            if drop:
                taken[s.t0] = False
                continue
        out.append(s)
    return out
