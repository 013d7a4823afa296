"""Anatomy names made of a site and one of its structures, and spinal levels: "neck flexors", "hand muscles", "flexor
tendon", "parietal bone", "volar aspect", "proximal interphalangeal joint", "distal radius", "scaphoid waist", "L4/5",
"C6 dermatome".

A reader names a muscle group, a tendon, a bone or a surface together with the site or the adjective that says which
one it is; AWS's ANATOMY entity is "references to the parts of the body ... and the locations of those parts", so the
whole name is one SYSTEM_ORGAN_SITE, as "knee joint" and "subclavian vein" already are (``sites.extend_site_names``).
The word classes below are short closed classes written out by hand for this module (the English forms of anatomy's
general terms for a muscle's action — flexor, extensor, abductor, adductor, levator, rotator, pronator, supinator,
tensor, depressor — and for tendon, bone and the palmar / plantar / articular surfaces; not checked against a
published file), not words of one note. Spinal levels are
the segment names of the vertebral column and spinal cord (C1-C8, T1-T12, L1-L5, S1-S5).
"""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner.sites import _NOT_SITE_ADJ, _STRUCTURE_ADJ, _adjacent
from medscribe.offline.ner.text import Doc, Span

# muscle groups and parts a site noun names ("neck flexors", "hand muscles", "calf muscle", "wrist extensors")
_GROUP_PARTS = frozenset({
    "muscle", "muscles", "flexors", "extensors", "abductors", "adductors", "rotators", "tendon", "tendons",
})  # fmt: skip
# a muscle's action naming a muscle, tendon or surface ("flexor tendon", "extensor surfaces", "abductor muscles")
_ACTIONS = frozenset({
    "flexor", "extensor", "abductor", "adductor", "levator", "rotator", "pronator", "supinator", "tensor",
    "depressor",
})  # fmt: skip
_ACTION_PARTS = frozenset({
    "tendon", "tendons", "muscle", "muscles", "surface", "surfaces", "compartment", "compartments", "sheath",
    "sheaths", "retinaculum", "aspect", "aspects",
})  # fmt: skip
# a bone named by its adjective ("parietal bone", "nasal bones", "temporal bone")
_BONES = frozenset({"bone", "bones"})
# a word after "bone" that makes it a test's or a measure's name ("a nuclear bone scan", "bone density")
_BONE_COMPOUNDS = frozenset({"scan", "scans", "density", "profile", "protection", "mineral", "age"})
# a surface named by its side of a hand or foot or by its joint ("volar aspect", "plantar surface")
_SURFACE_ADJ = frozenset({"volar", "palmar", "plantar", "articular"})
_SURFACES = frozenset({"aspect", "aspects", "surface", "surfaces"})
# a joint with a twin in the same limb is named with "proximal" / "distal" ("proximal interphalangeal joint",
# "distal radioulnar joint"): the word is the joint's name, not a DIRECTION, when its adjective names the joint
_TWIN_JOINT_SIDES = frozenset({"proximal", "distal"})
_JOINTS = frozenset({"joint", "joints"})
# the long bones of the limbs and the carpal and tarsal bones (anatomy's closed lists): "proximal" / "distal" before a
# long bone names its end as fracture sites are named ("distal radius", "proximal humerus"), and a bone's part after
# it is one site with it ("scaphoid waist", "radius shaft"); elsewhere the words stay the DIRECTION ("distal leg")
_LONG_BONES = frozenset({
    "humerus", "radius", "ulna", "femur", "tibia", "fibula", "clavicle", "phalanx", "phalanges",
})  # fmt: skip
_SHORT_BONES = frozenset({
    "scaphoid", "lunate", "triquetrum", "pisiform", "trapezium", "trapezoid", "capitate", "hamate", "talus",
    "calcaneus", "navicular", "cuboid", "cuneiform",
})  # fmt: skip
_BONE_PARTS = frozenset({"waist", "pole", "head", "neck", "shaft", "base", "body", "tuberosity", "tubercle"})

# "L4/5", "L5/S1", "C5-6", "C6 dermatome", "T10 vertebra"; the recogniser form "l four over five", "c six dermatome"
_NUM = r"(?:[1-9]|1[0-2]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_LEVEL = rf"[ctls] ?{_NUM}"
_LEVEL_FOLLOWERS = r"dermatomes?|vertebrae?|vertebral body|nerve roots?|roots?|level|myotome"
# a level before "disc" names the disc of a condition ("an L5/S1 disc prolapse"): it stays inside that name
_DISC_RE = re.compile(r"\s+discs?\b", re.IGNORECASE)
_SPINAL_RE = re.compile(
    rf"\b(?:{_LEVEL}(?:/{_NUM}|/{_LEVEL}|-{_NUM}| over {_NUM}| {_LEVEL})(?:\s+(?:{_LEVEL_FOLLOWERS}))?"
    rf"|{_LEVEL}\s+(?:{_LEVEL_FOLLOWERS}))\b",
    re.IGNORECASE,
)


def _site(doc: Doc, t0: int, t1: int) -> Span:
    return doc.span(doc.toks[t0].begin, doc.toks[t1 - 1].end, "ANATOMY", "SYSTEM_ORGAN_SITE", 0.9)


def _condition_word(norm: str) -> bool:
    concept = lex.clinical_lexicon().phrases.get(norm)
    return concept is not None and concept.category != "ANATOMY"


def join_structures(doc: Doc, spans: list[Span]) -> list[Span]:
    """A site and its structure as one ANATOMY name; spinal levels as ANATOMY (see the module docstring)."""
    taken = {t: s for s in spans for t in range(s.t0, s.t1)}
    drop: set[int] = set()
    added: list[Span] = []

    def free_or_site(t: int) -> bool:
        other = taken.get(t)
        return other is None or (other.category == "ANATOMY" and id(other) not in drop)

    def claim(t0: int, t1: int) -> None:
        inner = {id(taken[t]): taken[t] for t in range(t0, t1) if t in taken}
        drop.update(inner)
        site = _site(doc, t0, t1)
        added.append(site)
        for t in range(t0, t1):
            taken[t] = site

    n = len(doc.toks)
    for i in range(n - 1):
        word, nxt = doc.toks[i].norm, doc.toks[i + 1].norm
        if not _adjacent(doc, i, i + 1) or not (free_or_site(i) and free_or_site(i + 1)):
            continue
        first = taken.get(i)
        if nxt in _GROUP_PARTS and first is not None and first.t1 == i + 1 and first.category == "ANATOMY":
            if doc.toks[first.t1 - 1].norm not in _GROUP_PARTS:
                claim(first.t0, i + 2)  # "neck flexors", "right hand muscles" (the side is outside the site)
        elif (word in _ACTIONS and nxt in _ACTION_PARTS) or (word in _SURFACE_ADJ and nxt in _SURFACES):
            claim(i, i + 2)  # "flexor tendon", "extensor surfaces", "volar aspect"
        elif (
            nxt in _BONES
            and first is None
            and _STRUCTURE_ADJ.match(word)
            and word not in _NOT_SITE_ADJ
            and not _condition_word(word)
            and not word.endswith("tic")  # a disease's adjective: "metastatic bone", "osteoporotic bones"
            and not (i + 2 < n and doc.toks[i + 2].norm in _BONE_COMPOUNDS)
        ):
            claim(i, i + 2)  # "parietal bone"
    for s in [*spans, *added]:
        before = s.t0 - 1
        if (
            s.category == "ANATOMY"
            and id(s) not in drop
            and s.t1 - s.t0 >= 2
            and doc.toks[s.t1 - 1].norm in _JOINTS
            and _STRUCTURE_ADJ.match(doc.toks[s.t0].norm)
            and before >= 0
            and before not in taken
            and doc.toks[before].norm in _TWIN_JOINT_SIDES
            and _adjacent(doc, before, s.t0)
        ):
            s.t0, s.begin = before, doc.toks[before].begin  # "proximal interphalangeal joint"
            taken[before] = s
    for s in [*spans, *added]:
        one_site = s.category == "ANATOMY" and s.t1 - s.t0 == 1
        if id(s) in drop or not (one_site or s.category == "MEDICAL_CONDITION"):
            continue
        word, before, after = doc.toks[s.t0].norm, s.t0 - 1, s.t1
        if (
            word in _LONG_BONES  # the site, or a condition named with it ("distal radius fracture")
            and before >= 0
            and before not in taken
            and doc.toks[before].norm in _TWIN_JOINT_SIDES
            and _adjacent(doc, before, s.t0)
        ):
            s.t0, s.begin = before, doc.toks[before].begin  # "distal radius"
            taken[before] = s
        elif (
            one_site
            and word in _LONG_BONES | _SHORT_BONES
            and after < n
            and after not in taken
            and doc.toks[after].norm in _BONE_PARTS
            and _adjacent(doc, s.t0, after)
        ):
            s.t1, s.end = after + 1, doc.toks[after].end  # "scaphoid waist"
            taken[after] = s
    for m in _SPINAL_RE.finditer(doc.text):
        if _DISC_RE.match(doc.text, m.end()) or doc.text[max(0, m.start() - 1) : m.start()] in (
            "'",
            "\u2019",
        ):
            continue  # a disc's level, or the "s" of "it's 2/3"
        t0, t1 = doc.tok_range(m.start(), m.end())
        if t1 > t0 and all(t not in taken for t in range(t0, t1)) and doc.sent[t0] == doc.sent[t1 - 1]:
            claim(t0, t1)
    out = [s for s in spans if id(s) not in drop] + added
    return sorted(out, key=lambda s: s.begin)
