"""Body sites and condition names: a site inside a procedure's name, "<site> pain" as one name, a site split
from a sign ("ankle swelling", "suprapubic tenderness"), an organ before a cancer word ("endometrial cancer")."""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.patterns import _SYMPTOM_HEADS
from medscribe.offline.ner.text import Doc, Span


def procedure_sites(doc: Doc, spans: list[Span]) -> list[Span]:
    """The body site named inside a procedure ("left hip replacement") is an ANATOMY entity too,
    as AWS returns it beside the procedure."""
    phrases = lex.clinical_lexicon().phrases
    out: list[Span] = []
    for s in spans:
        if s.t1 - s.t0 < 2 or s.type not in ("PROCEDURE_NAME", "TEST_NAME"):
            continue
        if doc.toks[s.t1 - 1].norm in _GRAFTS:
            continue  # "coronary artery bypass graft": the vessel is the graft's, as an organ is a transplant's
        # a test names its site only after the imaging word ("CT head", "MRI brain"), never before it
        # ("Chest X-ray" is the test's name)
        if s.type == "TEST_NAME" and doc.toks[s.t0].norm not in _IMAGING:
            continue
        for t in range(s.t0, s.t1):
            concept = phrases.get(doc.toks[t].norm)
            # a site noun ("hip" of "hip replacement"), not an adjective ("lumbar" of "lumbar puncture")
            if (
                concept is not None
                and concept.category == "ANATOMY"
                and not _ORGAN_ADJECTIVE.match(doc.toks[t].norm)
            ):
                out.append(doc.span(doc.toks[t].begin, doc.toks[t].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.85))
    return out


# a graft or a transplant names the organ or vessel given or bypassed, not a site of the patient's body: the
# references write no ANATOMY for "kidney transplant", "heart transplant", "coronary artery bypass graft" (batch7,
# batch11, batch12 dev parts), while a replacement, an arthroscopy or a biopsy keeps its site (section 18's "knee")
_GRAFTS = frozenset({"graft", "grafts", "transplant", "transplants", "transplantation"})
_IMAGING = frozenset({"ct", "mri", "x-ray", "xray", "ultrasound", "uss", "us", "pet", "cta", "mra"})


# "<site> pain" is the usual name of a condition ("knee pain", "neck pain"); other heads stay apart from their
# site, as AWS returns "ankle swelling": condition "swelling" + ANATOMY "ankle" (its SYSTEM_ORGAN_SITE)
# (the held-out references name "calf tenderness" as the sign + its site, like "ankle swelling")
_SITE_NAMED_HEADS = {
    "pain", "ache", "discomfort", "stiffness", "cramps", "numbness", "tingling", "fracture", "fractures",
    "sprain", "strain", "dislocation",
}  # fmt: skip


# the sensations of _SITE_NAMED_HEADS (an injury word keeps a long site in its name: "distal radius fracture")
_SENSATIONS = frozenset({"pain", "ache", "discomfort", "stiffness", "cramps", "numbness", "tingling"})


def merge_site_symptoms(doc: Doc, spans: list[Span]) -> list[Span]:
    """Anatomy directly followed by a pain-like word, or an adjectival site before a sign, is one condition
    ("knee pain", "hip fracture", "facial swelling")."""
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.category == "ANATOMY"
            and s.category == "MEDICAL_CONDITION"
            and prev.t1 == s.t0
            and not doc.text[prev.end : s.begin].strip()
            and doc.text[s.begin : s.end].lower() in _SYMPTOM_HEADS
            # pain-like usual names ("knee pain", "hip fracture") and adjectival sites ("facial swelling");
            # a site noun before other signs stays a site ("ankle swelling"), and so does a site of two words or
            # more before a sensation ("iliac fossa pain", "upper quadrant pain": no usual name, unless listed as
            # one, "low back pain", which the lexicon matches whole)
            and (
                (
                    doc.text[s.begin : s.end].lower() in _SITE_NAMED_HEADS
                    and not (prev.t1 - prev.t0 > 1 and doc.text[s.begin : s.end].lower() in _SENSATIONS)
                )
                or (
                    _ORGAN_ADJECTIVE.match(doc.toks[prev.t1 - 1].norm) is not None
                    and doc.toks[s.t1 - 1].norm not in _ELICITED_HEADS
                )
            )
        ):
            s.begin, s.t0 = prev.begin, prev.t0
            s.score = 0.9
            out[-1] = s
            continue
        out.append(s)
    return out


def split_sites(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "ankle swelling", "foot ulcer": a synonym made of a site and its concept's own name is the condition
    plus a top-level ANATOMY site (AWS names the condition without the site, except pain-like usual names)."""
    phrases = lex.clinical_lexicon().phrases
    out: list[Span] = []
    for s in spans:
        out.append(s)
        if s.category != "MEDICAL_CONDITION" or s.t1 - s.t0 < 2:
            continue
        concept = phrases.get(" ".join(t.norm for t in doc.toks[s.t0 : s.t1]))
        for k in range(s.t0 + 1, s.t1):
            site = phrases.get(" ".join(t.norm for t in doc.toks[s.t0 : k]))
            rest = " ".join(t.norm for t in doc.toks[k : s.t1])
            if site is None or site.category != "ANATOMY" or rest not in _SPLIT_HEADS:
                continue
            if _ORGAN_ADJECTIVE.match(doc.toks[k - 1].norm):
                break  # an adjective names the condition ("facial swelling"); a noun is its site ("ankle")
            if concept is not None and phrases.get(rest) is concept:
                out.insert(-1, doc.span(s.begin, doc.toks[k - 1].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.9))
                s.t0, s.begin = k, doc.toks[k].begin
                break
    return out


# sign / symptom words AWS names apart from their site ("ankle swelling": "swelling" + "ankle")
_SPLIT_HEADS = _SYMPTOM_HEADS - _SITE_NAMED_HEADS
# signs a clinician elicits at a place on examination ("suprapubic tenderness", "calf tenderness"): the sign is the
# condition and the place its site, an adjective of place ("suprapubic", "epigastric") as much as a noun, however
# a lexicon lists the pair
_ELICITED_HEADS = frozenset({"tenderness"})


def split_elicited(doc: Doc, spans: list[Span], taken: list[bool]) -> list[Span]:
    """ "Suprapubic tenderness" -> ANATOMY "Suprapubic" + condition "tenderness"; "epigastric" said right before a
    lone "tenderness" is its site too. ``taken`` gains the new sites' tokens."""
    phrases = lex.clinical_lexicon().phrases
    out: list[Span] = []
    for s in spans:
        head = s.t1 - 1
        if s.category != "MEDICAL_CONDITION" or doc.toks[head].norm not in _ELICITED_HEADS:
            out.append(s)
            continue
        t0 = s.t0 if s.t0 < head else head - 1
        if t0 < 0 or (t0 < s.t0 and (taken[t0] or not _adjacent(doc, t0, head))):
            out.append(s)
            continue
        site = " ".join(t.norm for t in doc.toks[t0:head])
        concept = phrases.get(site)
        named = concept is not None and concept.category == "ANATOMY"
        if named or (head - t0 == 1 and _SITE_ADJ.match(site) and site not in _NOT_SITE_ADJ):
            out.append(
                doc.span(doc.toks[t0].begin, doc.toks[head - 1].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.9)
            )
            for t in range(t0, head):
                taken[t] = True
            s.t0, s.begin = head, doc.toks[head].begin
        out.append(s)
    return out


_CANCER_HEADS = {
    "cancer", "carcinoma", "tumour", "tumor", "lymphoma", "sarcoma", "malignancy", "metastasis", "metastases",
    "secondaries", "adenoma", "adenocarcinoma", "myxoma",
}  # fmt: skip
_ORGAN_ADJECTIVE = re.compile(r"[a-z]{3,}(?:al|ic|ary|ian|ine|ar)$")


def organ_cancers(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "breast cancer", "endometrial cancer", "pancreatic carcinoma": the organ (a site or its adjective)
    right before a cancer word is part of the condition's name."""
    out: list[Span] = []
    for s in spans:
        if s.category == "MEDICAL_CONDITION" and s.t1 - s.t0 == 1 and doc.toks[s.t0].norm in _CANCER_HEADS:
            prev = out[-1] if out else None
            if prev is not None and prev.category == "ANATOMY" and prev.t1 == s.t0:
                s.t0, s.begin = prev.t0, prev.begin
                out[-1] = s
                continue
            before = doc.toks[s.t0 - 1] if s.t0 > 0 else None
            if (
                before is not None
                and (prev is None or prev.t1 <= s.t0 - 1)
                and _ORGAN_ADJECTIVE.match(before.norm)
                and not doc.text[before.end : s.begin].strip()
            ):
                s.t0, s.begin = s.t0 - 1, before.begin
        out.append(s)
    return out


# "the fifth metacarpal", "first metatarsal head", "the 2nd toe": a numbered bone or digit is one site
_ORDINALS = frozenset({
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "11th", "12th",
})  # fmt: skip
_NUMBERED_SITES = frozenset({
    "metatarsal", "metatarsals", "metacarpal", "metacarpals", "toe", "toes", "finger", "fingers", "rib", "ribs",
    "digit", "digits", "intercostal",
})  # fmt: skip
_BONE_PARTS = frozenset({"head", "heads", "base", "shaft", "neck"})
_LONG_BONES = frozenset({"metatarsal", "metatarsals", "metacarpal", "metacarpals"})
# "subclavian vein", "common iliac artery", "axillary nodes": a site adjective before a vessel, nerve or node
_VESSELS = frozenset({
    "artery", "arteries", "vein", "veins", "nerve", "nerves", "node", "nodes", "tendon", "tendons", "ligament",
    "ligaments", "muscle", "muscles", "joint", "joints",
    # a structure a site adjective names ("cervical os", "internal auditory meatus", "aortic root", "iliac fossa")
    "os", "meatus", "fossa", "root", "roots",
    # a bony landmark named by its bone's adjective ("ischial tuberosity", "iliac crest", "femoral condyle")
    "tuberosity", "tuberosities", "tubercle", "crest", "trochanter", "condyle", "condyles", "epicondyle",
    "malleolus",
    # a vessel's fork and an organ's outer layer ("carotid bifurcation", "temporoparietal cortex", "adrenal cortex")
    "bifurcation", "cortex",
})  # fmt: skip
# adjectives of that shape that name no site, and the directions AWS returns as a DIRECTION attribute
_NOT_SITE_ADJ = frozenset({
    "normal", "abnormal", "general", "several", "total", "usual", "additional", "original", "natural", "minimal",
    "mental", "local", "individual", "typical", "critical", "clinical", "medical", "surgical", "occasional",
    "potential", "special", "social", "actual", "partial", "central", "lateral", "medial", "proximal", "distal",
    "dorsal", "ventral", "bilateral", "contralateral", "ipsilateral", "peripheral", "residential", "rural",
    "regional", "internal", "external", "similar", "particular", "regular", "irregular", "muscular", "vascular",
    "affected", "painful", "tender", "small", "large", "catchment",
})  # fmt: skip
# qualifiers that are no AWS DIRECTION word (its list: left, right, medial, lateral, upper, lower, posterior,
# anterior, distal, proximal, contralateral, bilateral, ipsilateral, dorsal, ventral), so part of the site's name:
# "common iliac artery", "middle cerebral artery", "inner thighs", "middle finger"
_VESSEL_QUALIFIERS = frozenset({"common", "internal", "external", "superficial", "deep", "middle"})
_ASPECTS = frozenset({"inner", "outer", "middle"})
_SITE_ADJ = re.compile(r"[a-z]{2,}(?:al|ar|ary|ian|ic|ac|ine|eal)$")
# before a vessel, nerve or structure also an -ory adjective ("auditory meatus", "olfactory nerve")
_STRUCTURE_ADJ = re.compile(r"[a-z]{2,}(?:al|ar|ary|ian|ic|ac|ine|eal|ory)$")
# a part named after its site ("knee joint", "nerve root", "tooth roots", "carotid bifurcation"): one site
_SITE_PARTS = frozenset({"joint", "joints", "root", "roots", "bifurcation"})


def _same(doc: Doc, i: int, j: int) -> bool:
    return 0 <= i < len(doc.toks) and 0 <= j < len(doc.toks) and doc.sent[i] == doc.sent[j]


def _adjacent(doc: Doc, i: int, j: int) -> bool:
    """Tokens i < j with only spaces between them."""
    return _same(doc, i, j) and not doc.text[doc.toks[i].end : doc.toks[j].begin].strip()


def _ordinal_start(doc: Doc, t0: int, taken: dict[int, Span]) -> int:
    """The first token of an ordinal right before token t0 ("fifth", or "5" + "th" as the tokeniser splits
    "5th"), else t0."""
    before = t0 - 1
    if before in taken or not _adjacent(doc, before, t0):
        return t0
    if doc.toks[before].norm in _ORDINALS:
        return before
    digit = before - 1
    if (
        doc.toks[before].norm in {"st", "nd", "rd", "th"}
        and digit >= 0
        and doc.toks[digit].norm.isdigit()
        and doc.toks[digit].end == doc.toks[before].begin
        and digit not in taken
    ):
        return digit
    return t0


def extend_site_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """Numbered bones and digits ("fifth metacarpal", "first metatarsal head") and named vessels and nodes
    ("subclavian vein", "common iliac artery", "axillary nodes") are one ANATOMY site, as a reader names it."""
    taken = {t: s for s in spans for t in range(s.t0, s.t1)}
    drop: set[int] = set()
    added: list[Span] = []
    for s in spans:
        if s.category != "ANATOMY":
            continue
        t0, t1 = s.t0, s.t1
        if doc.toks[t0].norm in _NUMBERED_SITES and t0 > 0:
            t0 = _ordinal_start(doc, t0, taken)
        if (
            doc.toks[t1 - 1].norm in _LONG_BONES
            and t1 < len(doc.toks)
            and doc.toks[t1].norm in _BONE_PARTS
            and _adjacent(doc, t1 - 1, t1)
        ):
            other = taken.get(t1)
            if other is None or (other.category == "ANATOMY" and other.t1 - other.t0 == 1):
                if other is not None:
                    drop.add(id(other))
                t1 += 1
        if (t0, t1) != (s.t0, s.t1):
            s.t0, s.t1, s.begin, s.end = t0, t1, doc.toks[t0].begin, doc.toks[t1 - 1].end
    for i, tok in enumerate(doc.toks):
        if tok.norm not in _VESSELS or i == 0 or not _adjacent(doc, i - 1, i):
            continue
        j = i - 1
        if not _STRUCTURE_ADJ.match(doc.toks[j].norm) or doc.toks[j].norm in _NOT_SITE_ADJ:
            continue
        inner = [taken[t] for t in (j, i) if t in taken]
        if any(o.category != "ANATOMY" for o in inner):
            continue
        if j > 0 and _adjacent(doc, j - 1, j) and doc.toks[j - 1].norm in _VESSEL_QUALIFIERS:
            j -= 1
        first = taken.get(j)
        if first is not None and first.category == "ANATOMY" and first.t0 < j:
            continue  # already inside a longer listed site ("left anterior descending artery")
        drop.update(id(o) for o in inner)
        site = doc.span(doc.toks[j].begin, tok.end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.9)
        added.append(site)
        for t in range(j, i + 1):
            taken[t] = site
    for s in spans:  # "inner thighs", "outer ankle": the aspect named before a site is part of its name
        before = s.t0 - 1
        if (
            s.category == "ANATOMY"
            and id(s) not in drop
            and before >= 0
            and before not in taken
            and doc.toks[before].norm in _ASPECTS
            and _adjacent(doc, before, s.t0)
        ):
            s.t0, s.begin = before, doc.toks[before].begin
    for s in spans:  # "knee joint", "big toe joint": a site named with its joint is one site
        nxt = taken.get(s.t1)
        if (
            s.category == "ANATOMY"
            and id(s) not in drop
            and nxt is not None
            and nxt is not s
            and nxt.category == "ANATOMY"
            and doc.toks[nxt.t0].norm in ("joint", "joints")
            and nxt.t1 - nxt.t0 == 1
            and _adjacent(doc, s.t1 - 1, nxt.t0)
        ):
            drop.add(id(nxt))
            s.t1, s.end = nxt.t1, nxt.end
        elif (
            s.category == "ANATOMY"
            and id(s) not in drop
            and s.t1 not in taken
            and s.t1 < len(doc.toks)
            and doc.toks[s.t1].norm in _SITE_PARTS
            and _adjacent(doc, s.t1 - 1, s.t1)
        ):
            s.t1, s.end = s.t1 + 1, doc.toks[s.t1].end  # "nerve root": the part no lexicon lists
    out = [s for s in spans if id(s) not in drop] + added
    return sorted(out, key=lambda s: s.begin)
