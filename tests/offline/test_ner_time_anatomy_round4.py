"""Offline detector, fourth round (time, anatomy, conditions): spoken time grammar, what lies between a condition
and its time, a follow-up's time, idioms and relational "back of", quality nouns opening a sentence, and spoken
abbreviations holding a digit ("t two dm")."""

from __future__ import annotations

import pytest

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import OfflineEntityDetector
from medscribe.textnorm import normalize_clinical_text


@pytest.fixture(scope="module")
def detector() -> OfflineEntityDetector:
    return OfflineEntityDetector()


def texts(detector: OfflineEntityDetector, text: str, category: str) -> list[str]:
    return [e["Text"] for e in detector.detect_entities(text)["Entities"] if e["Category"] == category]


def times(detector: OfflineEntityDetector, text: str) -> dict[str, list[str]]:
    return {
        e["Text"]: [a["Text"] for a in e["Attributes"]]
        for e in detector.detect_entities(text)["Entities"]
        if e["Category"] == "TIME_EXPRESSION"
    }


@pytest.mark.parametrize(
    ("text", "time", "dated"),
    [
        ("She had shingles many years ago.", "many years ago", "shingles"),
        ("Low back pain since her retirement.", "since her retirement", "Low back pain"),
        ("Diarrhoea since midnight.", "since midnight", "Diarrhoea"),
        ("Cramps in the small hours of the morning.", "in the small hours of the morning", "Cramps"),
        ("Stiffness first thing in the morning.", "first thing in the morning", "Stiffness"),
        ("Wheeze for the last two nights.", "for the last two nights", "Wheeze"),
        ("Repeat the ECG within 48 hours.", "within 48 hours", "ECG"),
        ("Check the HbA1c in a fortnight.", "in a fortnight", "HbA1c"),
        ("Chest pain twenty minutes ago.", "twenty minutes ago", "Chest pain"),
        ("Bleeding since the start of the month.", "since the start of the month", "Bleeding"),
        ("Tremor for the last year or two.", "for the last year or two", "Tremor"),
        ("Asthma since 2019.", "since 2019", "Asthma"),
        ("Fever the day before yesterday.", "the day before yesterday", "Fever"),
        ("Vomiting on Saturday night.", "on Saturday night", "Vomiting"),
        ("Diarrhoea over the weekend.", "over the weekend", "Diarrhoea"),
        ("Cough earlier this week.", "earlier this week", "Cough"),
        ("Fever within the last week.", "within the last week", "Fever"),
        ("Cough since her last review.", "since her last review", "Cough"),
        ("Wheeze since she was a baby.", "since she was a baby", "Wheeze"),
        ("Headache all day.", "all day", "Headache"),
        ("pain at two am", "at two am", "pain"),
    ],
)
def test_spoken_time_grammar(detector: OfflineEntityDetector, text: str, time: str, dated: str) -> None:
    # Given a time expression said as people say it / Then it dates the entity before it
    assert times(detector, text).get(time) == [dated]


def test_the_recogniser_form_of_a_time_is_found_too(detector: OfflineEntityDetector) -> None:
    # Given the same in recogniser form (no punctuation, spoken numbers) / Then the time is still found
    found = times(detector, normalize_clinical_text("wheeze for the last two nights salbutamol as needed"))
    assert found == {"for the last two nights": ["wheeze"]}


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("Cough for a month, getting worse since Friday.", "since Friday"),
        ("Headaches on and off for years, more frequent since the spring.", "for years"),
        ("Headaches on and off for years, more frequent since the spring.", "in the spring"),
    ],
)
def test_course_words_and_other_times_are_no_distance(
    detector: OfflineEntityDetector, text: str, time: str
) -> None:
    # Given a time after a condition's course ("worse", "on and off", another time) and a comma
    found = times(detector, text)
    # Then it still dates the condition
    assert time in found or time.replace("in the", "since the") in found
    assert all(v == [text.split()[0]] for v in found.values())


def test_other_words_between_still_count(detector: OfflineEntityDetector) -> None:
    # Given a condition far from a time across unrelated words / Then the time dates nothing
    assert (
        times(detector, "Eczema, which she thinks came from the new cat at her sister's house, since March.")
        == {}
    )


@pytest.mark.parametrize(
    "text",
    [
        "Start sertraline 50 mg once daily. Review in four weeks.",
        "start sertraline fifty milligrams once daily review in four weeks",
        "Asthma. Follow up in six weeks.",
        "amlodipine 5 mg daily see her in two weeks",
    ],
)
def test_a_follow_ups_time_dates_nothing(detector: OfflineEntityDetector, text: str) -> None:
    # Given a time right after a follow-up word / Then it is the follow-up's, which is no entity
    assert times(detector, normalize_clinical_text(text)) == {}


def test_a_duration_right_after_a_condition_is_its_history(detector: OfflineEntityDetector) -> None:
    # Given "<condition> for N years, on <drug>" / Then the duration dates the condition, not the drug's course
    resp = detector.detect_entities("Asthma for twenty years, on Clenil 100 micrograms twice daily.")
    found = {e["Text"]: e for e in resp["Entities"]}
    assert [a["Text"] for a in found["for twenty years"]["Attributes"]] == ["Asthma"]
    assert "DURATION" not in {a["Type"] for a in found["Clenil"]["Attributes"]}
    # And "<amount> of <drug>" stays the drug's course
    resp = detector.detect_entities("Cough, treated with 5 days of prednisolone.")
    assert not [e for e in resp["Entities"] if e["Category"] == "TIME_EXPRESSION"]


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("He finally got the worry off his chest.", "chest"),
        ("Her heart is in the right place.", "heart"),
        ("The neighbours gave her the cold shoulder.", "shoulder"),
        ("He got cold feet about the operation.", "feet"),
        ("Back on her feet after the flu.", "feet"),
        ("Tongue in cheek, he said he was fine.", "cheek"),
    ],
)
def test_a_site_word_in_an_idiom_is_no_site(detector: OfflineEntityDetector, text: str, site: str) -> None:
    assert site not in [t.lower() for t in texts(detector, text, "ANATOMY")]


def test_literal_readings_of_idiom_words_stay_sites(detector: OfflineEntityDetector) -> None:
    # Given the same site words said literally / Then they are sites
    assert "chest" in texts(detector, "Crackles in his chest.", "ANATOMY")
    assert "shoulder" in texts(detector, "Pain in the left shoulder.", "ANATOMY")


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Ulcer on the back of her heel.", "heel"),
        ("Rash down the back of his left leg.", "leg"),
        ("Redness at the back of the throat.", "throat"),
    ],
)
def test_back_of_a_site_is_that_site_not_the_back(
    detector: OfflineEntityDetector, text: str, site: str
) -> None:
    sites = texts(detector, text, "ANATOMY")
    assert site in sites
    assert "back" not in sites
    # And the back itself is still a site
    assert "back" in texts(detector, "Pain in the back of the chest wall and in her back.", "ANATOMY")


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("Aching in both calves on walking.", "Aching"),
        ("Stinging over the graze.", "Stinging"),
    ],
)
def test_a_quality_noun_opening_a_sentence_is_a_symptom(
    detector: OfflineEntityDetector, text: str, condition: str
) -> None:
    assert condition in texts(detector, text, "MEDICAL_CONDITION")


def test_spoken_abbreviations_with_a_digit() -> None:
    # Given an abbreviation holding one digit / Then its recogniser forms are listed; other keys have none
    assert lex.spoken_abbreviation("t2dm") == ("t two dm", "t 2 dm")
    assert lex.spoken_abbreviation("heart failure") == ()
    assert lex.spoken_abbreviation("b12") == ()


@pytest.mark.parametrize(
    ("text", "condition"), [("t two dm on metformin", "t two dm"), ("known t1dm", "t1dm")]
)
def test_spoken_diabetes_abbreviations_are_one_condition(
    detector: OfflineEntityDetector, text: str, condition: str
) -> None:
    assert texts(detector, normalize_clinical_text(text), "MEDICAL_CONDITION") == [condition]


@pytest.mark.parametrize(
    ("text", "sites", "time"),
    [
        ("Tenderness in the anatomical snuffbox.", ["anatomical snuffbox"], None),
        ("Redness around the belly button.", ["belly button"], None),
        ("Guarding in the RUQ.", ["RUQ"], None),
        ("Diabetic eye screening in the spring.", [], "in the spring"),
        ("Carotid doppler next week.", [], "next week"),
    ],
)
def test_lay_and_regional_sites_and_uk_test_names(
    detector: OfflineEntityDetector, text: str, sites: list[str], time: str | None
) -> None:
    # Given a lay or regional site, or a site word inside a test's name / Then only real sites are ANATOMY
    assert texts(detector, text, "ANATOMY") == sites
    # And a test's time dates the test
    if time is not None:
        assert time in times(detector, text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Otomize ear spray twice daily.", []),
        ("Wear a face mask.", []),
        ("Skin prick test to peanut.", []),
        ("Nasal spray for her nose.", ["nose"]),
        ("Pain in the left ear.", ["ear"]),
    ],
)
def test_a_site_word_naming_a_product_or_test_is_no_site(
    detector: OfflineEntityDetector, text: str, kept: list[str]
) -> None:
    assert texts(detector, text, "ANATOMY") == kept


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        # a service label naming a condition the note states elsewhere is the setting, not a second mention
        ("Asthma clinic. Known asthma since childhood.", ["asthma"]),
        ("Epilepsy review. Epilepsy well controlled.", ["Epilepsy"]),
        ("Psoriasis follow-up. Psoriasis on both elbows.", ["Psoriasis"]),
        # the only mention stays; a recogniser run's "follow up" starts a new clause
        ("Asthma review in a 9-year-old.", ["Asthma"]),
        ("previous seizures follow up in the seizure clinic", ["seizures"]),
        # ... but not when that other mention is a relative's, negated or hypothetical
        ("Asthma clinic. Her mum has asthma too.", ["Asthma", "asthma"]),
        ("Epilepsy review. No epilepsy in the family.", ["Epilepsy", "epilepsy"]),
        # a course word before its condition: the condition is the entity
        ("Admitted with an exacerbation of asthma.", ["asthma"]),
        ("Exacerbation, now settling.", ["Exacerbation"]),
        # a symptom adjective before a condition stays (the held-out references list it)
        ("Itchy eczema on the arms.", ["Itchy", "eczema"]),
    ],
)
def test_labels_and_course_words_name_no_second_condition(
    detector: OfflineEntityDetector, text: str, conditions: list[str]
) -> None:
    assert texts(detector, text, "MEDICAL_CONDITION") == conditions


@pytest.mark.parametrize(
    "text", ["White spots on her tonsils.", "Scabs on the scalp.", "Cracks between the toes."]
)
def test_skin_lesion_words_at_a_site_are_signs(detector: OfflineEntityDetector, text: str) -> None:
    found = detector.detect_entities(text)["Entities"]
    assert [e["Traits"][0]["Name"] for e in found if e["Category"] == "MEDICAL_CONDITION"] == ["SIGN"]
    assert [e["Category"] for e in found].count("ANATOMY") == 1


@pytest.mark.parametrize(
    ("text", "sites"),
    [
        ("Sleeps at the foot of the bed.", []),
        ("Skin to skin contact after the birth.", []),
        ("He was all ears.", []),
        ("Bring her back in two weeks.", []),
        ("Call him back with the results.", []),
        ("Check her back for tenderness.", ["back"]),
        ("Throat swab and a neck collar.", []),
    ],
)
def test_more_site_words_that_name_no_site(
    detector: OfflineEntityDetector, text: str, sites: list[str]
) -> None:
    assert texts(detector, text, "ANATOMY") == sites


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("She has Kawasaki disease.", "Kawasaki disease"),
        ("Known Meniere's disease.", "Meniere's disease"),
        ("known meniere's disease", "meniere's disease"),  # the recogniser form keeps the apostrophe
        ("Ramsay Hunt syndrome.", "Ramsay Hunt syndrome"),
        ("Brown-Sequard syndrome after the injury.", "Brown-Sequard syndrome"),
        ("left dupuytren's contracture", "dupuytren's contracture"),  # a head found alone grows to the name
        ("perthes disease of the hip", "perthes disease"),  # no English word: a name
        ("a neuropathic ulcer on the heel", "ulcer"),  # a medical adjective is no name
        ("An osteoporotic fracture.", "fracture"),
    ],
)
def test_eponymous_conditions_no_list_holds(
    detector: OfflineEntityDetector, text: str, condition: str
) -> None:
    assert condition in texts(detector, text, "MEDICAL_CONDITION")


@pytest.mark.parametrize(
    "text", ["Her mother's disease.", "Any disease.", "Denies angina.", "He had a fracture of the wrist."]
)
def test_no_eponym_from_a_person_a_determiner_or_a_sentence_start(
    detector: OfflineEntityDetector, text: str
) -> None:
    # Given a head word after a word that names no person's eponym / Then no name is joined to it
    assert all(len(t.split()) == 1 for t in texts(detector, text, "MEDICAL_CONDITION"))


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("more muddled per her daughter history of gout she takes allopurinol", False),
        ("According to his wife he has had chest pain.", False),
        ("Collateral history from her son: she has had falls.", False),
        ("Talked to her mother, who has dementia.", True),
        ("Her sister has lupus.", True),
    ],
)
def test_a_relative_named_as_the_source_of_the_history_is_not_its_subject(
    detector: OfflineEntityDetector, text: str, family: bool
) -> None:
    conditions = [
        e for e in detector.detect_entities(text)["Entities"] if e["Category"] == "MEDICAL_CONDITION"
    ]
    assert conditions
    assert all(any(t["Name"] == "PERTAINS_TO_FAMILY" for t in c["Traits"]) == family for c in conditions)


def test_a_drug_does_not_date_a_time_across_a_condition(detector: OfflineEntityDetector) -> None:
    # Given a recogniser run where a condition stands between a drug and a time
    text = "treated with nitrofurantoin pressure sore on the sacrum since friday dressed daily"
    # Then the condition, the nearer, is dated
    assert times(detector, text) == {"since friday": ["pressure sore"]}


def test_a_drugs_reach_stops_at_the_time(detector: OfflineEntityDetector) -> None:
    # Given a drug whose attribute is read past the time ("patch" of "patch testing" as its FORM)
    text = "then emollient hay fever every spring he gave me the cold shoulder when i mentioned patch testing"
    # Then the time still dates the condition right before it
    assert times(detector, text) == {"every spring": ["hay fever"]}
