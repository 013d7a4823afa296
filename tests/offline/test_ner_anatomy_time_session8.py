"""Offline detector, session 8 (anatomy and time): numbered bones and named vessels as one site, "base of" placing
the site, more site idioms, and time expressions by PROCEDURE.md section 4's convention (ages are not times,
"currently", "tomorrow morning", "within 20 minutes", "since the last increase", a follow-up booked with a
test). Each case runs on the punctuated text and on its recogniser form, through the pipeline's normalisation."""

from __future__ import annotations

import pytest

from medscribe.evaluation.asr_form import recogniser_form
from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text

P = pytest.param
FORMS = [P(lambda t: t, id="punctuated"), P(recogniser_form, id="recogniser")]


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


def _resp(detector: OfflineEntityDetector, text: str) -> dict:
    return detector.detect_entities(normalize_clinical_text(text))


def sites(detector: OfflineEntityDetector, text: str) -> list[str]:
    return [e["Text"].lower() for e in _resp(detector, text)["Entities"] if e["Category"] == "ANATOMY"]


def times(detector: OfflineEntityDetector, text: str) -> dict[str, list[str]]:
    return {
        e["Text"].lower(): [a["Text"].lower() for a in e["Attributes"]]
        for e in _resp(detector, text)["Entities"]
        if e["Category"] == "TIME_EXPRESSION"
    }


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Tender over the fifth metacarpal.", "5th metacarpal"),
        ("Callus under the first metatarsal head.", "first metatarsal head"),
        ("Pacemaker inserted via the left subclavian vein.", "subclavian vein"),
        ("Narrowing of the right common iliac artery.", "common iliac artery"),
        ("Axillary nodes not palpable.", "axillary nodes"),
        ("Bruising below the left collarbone.", "collarbone"),
        ("Tingling in the fingertips.", "fingertips"),
        ("Swelling of the lower limb.", "lower limb"),
    ],
)
def test_a_numbered_bone_or_a_named_vessel_is_one_site(detector, form, text: str, site: str) -> None:
    assert site in sites(detector, form(text))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("Tender over the fifth metacarpal and the base of the thumb.", "base", {"5th metacarpal", "thumb"}),
        # a plural place word, and "the back of" a thing that is no body part (anat13)
        ("Hypopigmentation on the backs of both hands.", "backs", {"hands"}),
        ("Blood soaked through the back of his shirt.", "back", set()),
    ],
)
def test_the_base_of_a_site_is_not_a_site(detector, form, text: str, place: str, expected: set[str]) -> None:
    found = sites(detector, form(text))
    assert place not in found
    assert set(found) == expected


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        # an idiom
        P("Dad says she has been on her toes all week.", id="idiom: on her toes"),
        P("He keeps his nose clean.", id="idiom: keeps his nose clean"),
        P("He has been sticking his neck out for his brother.", id="idiom: sticking his neck out"),
        P("Weaning is going hand in hand with teething.", id="idiom: hand in hand"),
        P("A hands-on family; his son lives next door.", id="idiom: hands-on"),
        P("His heart is not in the treatment.", id="idiom: his heart is not in it"),
        P("He has been dragging his feet over stopping smoking.", id="idiom: dragging his feet"),
        P("She has a good head for figures.", id="idiom: a head for figures"),
        # a site word naming a feeling, a test or a product
        P("She has a gut feeling things will improve.", id="a feeling: gut feeling"),
        P("Bone profile normal.", id="a test: bone profile"),
        P("Nicotine gum as needed.", id="a product: nicotine gum"),
        # a site word before a visit, or an organ word naming a specialty's place or clinician (as "Kidney
        # clinic", "Breast clinic"): the organ names the specialty, no site of the patient
        P("Out-of-hours base visit: 45-year-old woman with shingles.", id="a place: base visit"),
        P("Home visit for a woman with a cough.", id="a place: home visit"),
        P("Referred to the eye hospital.", id="a specialty's place: eye hospital"),
        P("Seen by the heart specialist.", id="a specialty's clinician: heart specialist"),
        P("Seen by the chest physician.", id="a specialty's clinician: chest physician"),
        P("The knee surgeon will see her.", id="a specialty's clinician: knee surgeon"),
        P("Eye department tomorrow.", id="a specialty's place: eye department"),
        # a structure word of a treatment or a condition
        P("Root canal treatment last year.", id="a treatment: root canal"),
        P("Pilonidal sinus for a year.", id="a condition: pilonidal sinus"),
        # an organ or vessel given as a graft or bypassed (site12: the references of three batches)
        P("Six years after a kidney transplant.", id="a graft: kidney transplant"),
        P("Heart transplant clinic today.", id="a graft: heart transplant clinic"),
        P("After a coronary artery bypass graft in October.", id="a graft: coronary artery bypass graft"),
        # a drug, a product or an exercise for the site, hyphenated or not (anat13)
        P("She takes a nerve painkiller she calls Lyrica.", id="a drug for the site: nerve painkiller"),
        P("Heel raises twice a day.", id="an exercise: heel raises"),
        P("Her heel-prick screen was normal.", id="a test, hyphenated: heel-prick"),
    ],
)
def test_a_site_word_that_names_no_site_of_the_patient_is_no_site(detector, form, text: str) -> None:
    assert sites(detector, form(text)) == []


@pytest.mark.parametrize("form", FORMS)
def test_a_pain_in_the_neck_as_a_nuisance_is_neither_site_nor_condition(detector, form) -> None:
    resp = _resp(detector, form("He says the therapist is a pain in the neck."))
    assert [e for e in resp["Entities"] if e["Category"] in ("ANATOMY", "MEDICAL_CONDITION")] == []
    # the literal reading stays
    assert "neck" in sites(detector, form("She has a pain in the neck."))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        ("Angiogram tomorrow morning.", "tomorrow morning", "angiogram"),
        ("Cuts from self-harm last Saturday night.", "last saturday night", "self-harm"),
        ("Wound infection on day five.", "on day 5", "infection"),
        ("Dizziness on standing since the last increase.", "since the last increase", "dizziness"),
        (
            "Wheeze and swelling of the face within 20 minutes of eating a cashew.",
            "within 20 minutes",
            "wheeze",
        ),
        ("A cough for two nights.", "for two nights", "cough"),
        ("She is currently on metformin.", "currently", "metformin"),
        ("Review in 6 weeks with an ECG.", "in 6 weeks", "ecg"),
    ],
)
def test_time_expressions_of_the_convention(detector, form, text: str, time: str, dated: str) -> None:
    found = {k.replace("two", "2"): v for k, v in times(detector, form(text)).items()}
    key = time.replace("two", "2")
    assert key in found, found
    assert any(dated in d.replace(" ", "-") or dated in d for d in found[key])


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text", ["Migraines in her twenties.", "Migraine since her teens.", "OCD in her late teens."]
)
def test_an_age_is_not_a_time_expression(detector, form, text: str) -> None:
    # PROCEDURE.md section 4 (session 8): ages are AGE, not time
    assert times(detector, form(text)) == {}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        ("Hypos three times a week, mostly before lunch.", "3 times a week", "hypos"),
        ("Hypos three times a week, mostly before lunch.", "before lunch", "hypos"),
        ("Panic attacks two or three times a week.", "two or 3 times a week", "panic attacks"),
        ("Bloody diarrhoea up to ten times a day.", "up to 10 times a day", "diarrhoea"),
        ("Poor appetite at lunchtime.", "at lunchtime", "poor appetite"),
    ],
)
def test_a_symptoms_recurrence_or_timing_is_its_time_expression(detector, form, text, time, dated) -> None:
    # PROCEDURE.md section 4 (session 8): a condition has no FREQUENCY attribute, so its recurrence is a time
    found = times(detector, form(text))
    assert dated in found.get(time, []), found


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    "text",
    [
        "Metformin 500 mg three times a day.",
        "Salbutamol two puffs up to four times a day.",
        "Reduce NovoRapid to 4 units with lunch.",
        "Ibuprofen 200 mg before bed.",
    ],
)
def test_a_drugs_schedule_stays_its_frequency(detector, form, text: str) -> None:
    assert times(detector, form(text)) == {}


@pytest.mark.parametrize("form", FORMS)
def test_an_imaging_test_names_its_site_after_the_modality_only(detector, form) -> None:
    assert "head" in sites(detector, form("Admitted after a first seizure; CT head normal."))
    assert sites(detector, form("Chest X-ray clear.")) == []


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        (
            "Diabetic neuropathy in both legs below the knees, worse in the evenings for the past year.",
            "for the past year",
            "diabetic neuropathy",
        ),
        ("Stab wound to the right flank an hour and a half ago.", "an hour and a half ago", "wound"),
        ("Asthma since she was at primary school.", "since she was at primary school", "asthma"),
    ],
)
def test_more_time_reach_and_forms(detector, form, text: str, time: str, dated: str) -> None:
    found = times(detector, form(text))
    assert dated in found.get(time, []), found


@pytest.mark.parametrize("form", FORMS)
def test_a_drugs_course_after_the_lesion_it_is_applied_to_stays_the_drugs(detector, form) -> None:
    # "for 4 weeks" is Dovobet's DURATION (section 4: a medication's duration is an attribute), not the plaques'
    assert times(detector, form("Dovobet gel once daily to the plaques for 4 weeks.")) == {}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Pain in the shoulder blade.", "shoulder blade"),
        ("Tight hamstrings.", "hamstrings"),
        ("Swelling over the breastbone.", "breastbone"),
        ("Airway clear.", "airway"),
        ("Tenderness over the tailbone.", "tailbone"),
        ("Alendronic acid 70 mg once weekly for bone protection.", "bone"),
        # the zones of a chest film and the teeth by their kind (site12)
        ("Crackles over both upper zones.", "upper zones"),
        ("Extraction of two premolars next week.", "premolars"),
        ("Pericoronitis of the lower wisdom tooth.", "wisdom tooth"),
    ],
)
def test_more_lay_and_formal_site_words(detector, form, text: str, site: str) -> None:
    assert site in sites(detector, form(text))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Tender patellar tendon.", "patellar tendon"),
        ("Pain in the knee joint.", "knee joint"),
        ("Swollen MCP joints.", "mcp joints"),
        ("Pain in the popliteal fossa.", "popliteal fossa"),
    ],
)
def test_a_site_adjective_or_site_with_its_structure_is_one_site(
    detector, form, text: str, site: str
) -> None:
    assert site in sites(detector, form(text))


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"), [("Normal joints.", "joints"), ("Medial collateral ligament.", "collateral ligament")]
)
def test_an_ordinary_adjective_or_a_direction_stays_out_of_the_site(
    detector, form, text: str, site: str
) -> None:
    assert sites(detector, form(text)) == [site]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("The CT shows an early left middle cerebral artery infarct.", "middle cerebral artery"),
        ("Bleeding from the middle meningeal artery.", "middle meningeal artery"),
        ("Swelling of the middle finger.", "middle finger"),
    ],
)
def test_middle_is_part_of_the_sites_name_not_a_direction(detector, form, text: str, site: str) -> None:
    # "middle" is no word of AWS's DIRECTION list (left, right, medial, lateral, upper, lower, posterior, anterior,
    # distal, proximal, contralateral, bilateral, ipsilateral, dorsal, ventral): it belongs to the site's name,
    # while the side stays its DIRECTION
    found = sites(detector, form(text))
    assert site in found
    assert site.split(" ", 1)[1] not in found


@pytest.mark.parametrize("form", FORMS)
def test_a_site_before_a_care_word_elsewhere_stays_a_site(detector, form) -> None:
    assert sites(
        detector, form("Pain in her eye; the doctor saw it. Bruising on the knee, doctor to review.")
    ) == [
        "eye",
        "knee",
    ]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("The MRI shows a disc prolapse compressing the S1 nerve root.", "nerve root"),
        ("Abscess at the tooth root.", "tooth root"),
        ("Dilated aortic root on the echo.", "aortic root"),
        ("A closed cervical os on speculum examination.", "cervical os"),
        ("MRI of the internal auditory meatus in six weeks.", "internal auditory meatus"),
        ("Purulent discharge from the urethral meatus.", "urethral meatus"),
        ("A pressure ulcer over the ischial tuberosity.", "ischial tuberosity"),
        ("Bone marrow taken from the iliac crest.", "iliac crest"),
        ("Atheroma at the left carotid bifurcation.", "carotid bifurcation"),
        ("Thinning of the renal cortex.", "renal cortex"),
    ],
)
def test_a_structure_named_with_its_site_is_one_site(detector, form, text: str, site: str) -> None:
    # the part or opening after a site or a site adjective is one ANATOMY name, never the site word alone
    found = sites(detector, form(text))
    assert site in found
    assert site.split()[-2] not in found


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Right upper quadrant pain for two weeks.", "upper quadrant"),
        ("Right iliac fossa pain since yesterday.", "iliac fossa"),
        ("Tender in the left lower quadrant.", "lower quadrant"),
    ],
)
def test_a_region_is_named_without_its_side_and_apart_from_a_sensation(
    detector, form, text: str, site: str
) -> None:
    # the side is the site's DIRECTION; a site of two words before "pain" is no usual name: site + "pain"
    resp = _resp(detector, form(text))
    anatomy = [e for e in resp["Entities"] if e["Category"] == "ANATOMY"]
    assert [e["Text"].lower() for e in anatomy] == [site]
    assert {a["Text"].lower() for a in anatomy[0]["Attributes"]} & {"left", "right"}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "name"), [("Left knee pain.", "knee pain"), ("Low back pain.", "low back pain")]
)
def test_a_usual_pain_name_keeps_its_site(detector, form, text: str, name: str) -> None:
    conditions = [
        e["Text"].lower()
        for e in _resp(detector, form(text))["Entities"]
        if e["Category"] == "MEDICAL_CONDITION"
    ]
    assert conditions == [name]
    assert sites(detector, form(text)) == []


def test_no_listed_site_holds_a_side_unless_the_side_names_the_structure() -> None:
    # Given every site of the two anatomy lexicons
    listed = {s for row in lex._read_pipe_file("anatomy.txt") for s in row}
    listed |= {site for (site,) in lex._read_pipe_file("anatomy_icd10cm.txt")}
    sided = {s for s in listed if s.split()[0] in {"left", "right", "both", "bilateral"}}
    # Then a side is in a listed name only where it names another structure (a heart chamber, a coronary artery;
    # PROCEDURE.md sections 18 and 25): elsewhere it is the site's DIRECTION ("right upper quadrant" -> `upper
    # quadrant`, "bilateral lungs" -> `lungs`)
    assert all(s.split()[-1] in {"atrium", "ventricle", "artery"} for s in sided)
    assert {"upper quadrant", "lower quadrant", "lungs"} <= listed


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a site noun and its muscle group or tendon; a muscle's action and its tendon or surface; a bone by its
        # adjective; a twin joint named with "proximal" / "distal" (PROCEDURE.md, anat11)
        ("Weakness of the neck flexors.", ["neck flexors"]),
        ("Wasting of the hand muscles on the left.", ["hand muscles"]),
        ("A cut to the extensor tendon of the thumb.", ["extensor tendon", "thumb"]),
        ("A graze over the plantar surface of the foot.", ["plantar surface", "foot"]),
        ("Bruising over the frontal bone.", ["frontal bone"]),
        ("Swelling of the distal interphalangeal joint.", ["distal interphalangeal joint"]),
        # the end of a long bone and a bone's part, as fracture sites are named (site12)
        ("A displaced fracture of the right distal radius.", ["distal radius"]),
        ("Tender over the proximal humerus.", ["proximal humerus"]),
        ("A scaphoid waist fracture of the wrist.", ["scaphoid waist", "wrist"]),
        ("Swelling of the distal leg.", ["leg"]),  # guard: elsewhere "distal" is the DIRECTION
        # spinal levels and dermatomes, as said and as the recogniser spells them
        ("A prolapsed disc at L4/5 on the scan.", ["l4/5|l 4 over 5"]),
        ("Reduced sensation in the S1 dermatome.", ["s1 dermatome|s one dermatome"]),
        ("Stenosis at C5/6 and L5/S1.", ["c5/6|c 5 over 6", "l5/s1|l 5 s one"]),
        # guards: a disease's adjective before "bone", a hormone or heart sound named like a level
        ("Sclerotic bone seen at the hip.", ["bone", "hip"]),
        ("A nuclear bone scan is booked.", ["bone"]),
        ("Free T4 was normal, S1 and S2 heard.", []),
    ],
)
def test_a_site_with_its_structure_or_a_spinal_level_is_one_site(detector, form, text: str, expected) -> None:
    found = sites(detector, form(text))
    assert len(found) == len(expected)
    assert all(got in want.split("|") for got, want in zip(found, expected, strict=True))
