"""Attribute safety of the offline detector: a table of short clinical phrases -> the exact attributes.

Each row names every medication the phrase has (Score >= 0.5, the pipeline's filter), the exact attribute
texts linked to each (by DetectEntitiesV2 attribute Type), the traits it must carry, and the attributes that
must come back unmapped. A row passes only if the detector's reading equals it exactly: an extra, missing,
split or borrowed attribute is a misreading. Doses are typed as Comprehend Medical types them: an amount by
weight is the DOSAGE unless the drug also has a count of units (then the weight is the per-unit STRENGTH);
concentrations and percentages are STRENGTH.
"""

from __future__ import annotations

from typing import Any

import pytest

from medscribe.offline.ner import OfflineEntityDetector

S, D, R, F = "STRENGTH", "DOSAGE", "ROUTE_OR_MODE", "FREQUENCY"
DUR, FORM = "DURATION", "FORM"
NEG, HYP, PAST = "NEGATION", "HYPOTHETICAL", "PAST_HISTORY"

# (phrase, {drug: {attribute type: text}}, {drug: traits}, [(unmapped type, text)])
TABLE: list[tuple[str, dict[str, dict[str, str]], dict[str, set[str]], list[tuple[str, str]]]] = [
    # mixed numbers, fractions, spelled-out decimals, ranges: one span each
    ("Clonidine 0.2 mgs -- 1 and 1 / 2 tabs po qhs", {"Clonidine": {S: "0.2 mgs", D: "1 and 1 / 2 tabs", R: "po", F: "qhs"}}, {}, []),
    ("metoprolol 25 mg 1 and 1/2 tablets bid", {"metoprolol": {S: "25 mg", D: "1 and 1/2 tablets", F: "bid"}}, {}, []),
    ("take one and a half tablets of lisinopril daily", {"lisinopril": {D: "one and a half tablets", F: "daily"}}, {}, []),
    ("warfarin half a tablet daily", {"warfarin": {D: "half a tablet", F: "daily"}}, {}, []),
    ("tamsulosin zero point four milligrams at bedtime", {"tamsulosin": {D: "zero point four milligrams", F: "at bedtime"}}, {}, []),
    ("oxycodone 5 mg 1 to 2 tablets q6h prn", {"oxycodone": {S: "5 mg", D: "1 to 2 tablets", F: "q6h prn"}}, {}, []),
    ("insulin lispro 4 to 6 units with meals", {"insulin lispro": {D: "4 to 6 units", F: "with meals"}}, {}, []),
    ("tramadol 50 mg one or two tablets every 6 hours", {"tramadol": {S: "50 mg", D: "one or two tablets", F: "every 6 hours"}}, {}, []),
    ("vitamin D 50,000 units weekly", {"vitamin D": {D: "50,000 units", F: "weekly"}}, {}, []),
    ("take 1/2 tablet of metoprolol daily", {"metoprolol": {D: "1/2 tablet", F: "daily"}}, {}, []),
    ("ibuprofen 400-600 mg q6h prn", {"ibuprofen": {D: "400-600 mg", F: "q6h prn"}}, {}, []),
    ("albuterol 2.5 mg/3 ml neb q4h prn", {"albuterol": {S: "2.5 mg/3 ml", FORM: "neb", F: "q4h prn"}}, {}, []),
    ("amoxicillin 250 mg/5 ml suspension 5 ml tid", {"amoxicillin": {S: "250 mg/5 ml", FORM: "suspension", D: "5 ml", F: "tid"}}, {}, []),
    ("potassium chloride 20 meq po daily", {"potassium chloride": {D: "20 meq", R: "po", F: "daily"}}, {}, []),
    # Latin frequencies
    ("amlodipine 5 mg po qd", {"amlodipine": {D: "5 mg", R: "po", F: "qd"}}, {}, []),
    ("aspirin 81 mg po daily", {"aspirin": {D: "81 mg", R: "po", F: "daily"}}, {}, []),
    ("furosemide 40 mg IV bid", {"furosemide": {D: "40 mg", R: "IV", F: "bid"}}, {}, []),
    ("cephalexin 500 mg qid x 7 days", {"cephalexin": {D: "500 mg", F: "qid", DUR: "x 7 days"}}, {}, []),
    ("acetaminophen 650 mg po q6h prn", {"acetaminophen": {D: "650 mg", R: "po", F: "q6h prn"}}, {}, []),
    ("nitroglycerin 0.4 mg SL q5min prn", {"nitroglycerin": {D: "0.4 mg", R: "SL", F: "q5min prn"}}, {}, []),
    ("Keflex 500 mg po qid", {"Keflex": {D: "500 mg", R: "po", F: "qid"}}, {}, []),
    ("atorvastatin 40 mg p.o. q.h.s.", {"atorvastatin": {D: "40 mg", R: "p.o.", F: "q.h.s."}}, {}, []),
    ("metformin 500 mg tid with meals", {"metformin": {D: "500 mg", F: "tid with meals"}}, {}, []),
    # meal-linked and spelled-out frequencies
    ("glipizide 5 mg at breakfast daily", {"glipizide": {D: "5 mg", F: "at breakfast daily"}}, {}, []),
    ("omeprazole 20 mg before breakfast", {"omeprazole": {D: "20 mg", F: "before breakfast"}}, {}, []),
    ("lisinopril 10 mg once daily", {"lisinopril": {D: "10 mg", F: "once daily"}}, {}, []),
    ("atorvastatin 40 mg nightly", {"atorvastatin": {D: "40 mg", F: "nightly"}}, {}, []),
    ("levothyroxine 75 mcg every morning", {"levothyroxine": {D: "75 mcg", F: "every morning"}}, {}, []),
    ("sertraline fifty milligrams once a day", {"sertraline": {D: "fifty milligrams", F: "once a day"}}, {}, []),
    ("metformin five hundred milligrams two times a day by mouth", {"metformin": {D: "five hundred milligrams", F: "two times a day", R: "by mouth"}}, {}, []),
    ("ibuprofen 600 mg every 8 hours as needed", {"ibuprofen": {D: "600 mg", F: "every 8 hours as needed"}}, {}, []),
    ("melatonin 3 mg at bedtime as needed", {"melatonin": {D: "3 mg", F: "at bedtime as needed"}}, {}, []),
    ("methotrexate 15 mg weekly", {"methotrexate": {D: "15 mg", F: "weekly"}}, {}, []),
    ("cetirizine 10 mg at night", {"cetirizine": {D: "10 mg", F: "at night"}}, {}, []),
    # routes, forms, durations
    ("enoxaparin 40 mg subq daily", {"enoxaparin": {D: "40 mg", R: "subq", F: "daily"}}, {}, []),
    ("insulin glargine 20 units subcutaneously at bedtime", {"insulin glargine": {D: "20 units", R: "subcutaneously", F: "at bedtime"}}, {}, []),
    ("azithromycin 250 mg daily for 4 days", {"azithromycin": {D: "250 mg", F: "daily", DUR: "for 4 days"}}, {}, []),
    ("doxycycline 100 mg twice daily x 14 days", {"doxycycline": {D: "100 mg", F: "twice daily", DUR: "x 14 days"}}, {}, []),
    ("gabapentin 300 mg capsule tid", {"gabapentin": {D: "300 mg", FORM: "capsule", F: "tid"}}, {}, []),
    ("hydrocortisone 1% cream bid", {"hydrocortisone": {S: "1%", FORM: "cream", F: "bid"}}, {}, []),
    ("albuterol inhaler 2 puffs q4h prn", {"albuterol": {FORM: "inhaler", D: "2 puffs", F: "q4h prn"}}, {}, []),
    ("fluticasone nasal spray 2 sprays in each nostril daily", {"fluticasone": {FORM: "nasal spray", D: "2 sprays", R: "in each nostril", F: "daily"}}, {}, []),
    ("metoprolol 50 mg ER daily", {"metoprolol": {D: "50 mg", FORM: "ER", F: "daily"}}, {}, []),
    ("Zofran 4 mg ODT q8h prn", {"Zofran": {D: "4 mg", FORM: "ODT", F: "q8h prn"}}, {}, []),
    ("diclofenac gel to the knee qid", {"diclofenac": {FORM: "gel", F: "qid"}}, {}, []),
    # clause and sentence boundaries; two drugs in one sentence
    ("metformin 500 mg bid and glipizide 5 mg qd", {"metformin": {D: "500 mg", F: "bid"}, "glipizide": {D: "5 mg", F: "qd"}}, {}, []),
    ("take 2 tabs of Tylenol q6h", {"Tylenol": {D: "2 tabs", F: "q6h"}}, {}, []),
    ("Continue aspirin. 2 tablets twice daily.", {"aspirin": {}}, {}, [(D, "2 tablets"), (F, "twice daily")]),
    # "at night" after a condition is that condition's time expression, never the drug's frequency
    ("fluticasone two times daily. Denies cough at night.", {"fluticasone": {F: "two times daily"}}, {}, []),
    ("40 mg by mouth at bedtime", {}, {}, [(D, "40 mg"), (R, "by mouth"), (F, "at bedtime")]),
    ("losartan 50 mg. Recheck BP in 2 weeks.", {"losartan": {D: "50 mg"}}, {}, []),
    ("amoxicillin 875 mg bid for 10 days; follow up in 2 weeks", {"amoxicillin": {D: "875 mg", F: "bid", DUR: "for 10 days"}}, {}, []),
    # negated, hypothetical and history drugs
    ("not taking oxycodone 5 mg", {"oxycodone": {D: "5 mg"}}, {"oxycodone": {NEG}}, []),
    ("stopped metoprolol last week", {"metoprolol": {}}, {"metoprolol": {NEG}}, []),
    ("denies taking ibuprofen", {"ibuprofen": {}}, {"ibuprofen": {NEG}}, []),
    ("if needed consider prednisone 20 mg daily", {"prednisone": {D: "20 mg", F: "daily"}}, {"prednisone": {HYP}}, []),
    ("previously took warfarin", {"warfarin": {}}, {"warfarin": {PAST}}, []),
    ("history of lithium use", {"lithium": {}}, {"lithium": {PAST}}, []),
]  # fmt: skip

_CHECKED_TRAITS = {NEG, HYP, PAST}


def reading(
    resp: dict[str, Any],
) -> tuple[dict[str, dict[str, str]], dict[str, set[str]], list[tuple[str, str]]]:
    drugs: dict[str, dict[str, str]] = {}
    traits: dict[str, set[str]] = {}
    for e in resp["Entities"]:
        if e["Category"] != "MEDICATION" or e["Score"] < 0.5:
            continue
        found: dict[str, str] = {}
        for a in e["Attributes"]:
            assert a["Type"] not in found, (
                f"two {a['Type']} on {e['Text']!r}: {found[a['Type']]!r}, {a['Text']!r}"
            )
            found[a["Type"]] = a["Text"]
        drugs[e["Text"]] = found
        named = {t["Name"] for t in e["Traits"]} & _CHECKED_TRAITS
        if named:
            traits[e["Text"]] = named
    unmapped = [
        (u["Attribute"]["Type"], u["Attribute"]["Text"])
        for u in resp["UnmappedAttributes"]
        if u["Type"] == "MEDICATION"
    ]
    return drugs, traits, unmapped


def test_the_table_is_large_enough() -> None:
    assert len(TABLE) >= 40
    assert len({row[0] for row in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("phrase", "drugs", "traits", "unmapped"), TABLE, ids=[r[0][:40] for r in TABLE])
def test_phrase_is_read_exactly(
    detector: OfflineEntityDetector,
    phrase: str,
    drugs: dict[str, dict[str, str]],
    traits: dict[str, set[str]],
    unmapped: list[tuple[str, str]],
) -> None:
    # Given a short clinical phrase / When detecting entities
    resp = detector.detect_entities(phrase)
    got_drugs, got_traits, got_unmapped = reading(resp)
    # Then every drug carries exactly its own attributes, traits, and the orphans are unmapped
    assert got_drugs == drugs
    assert got_traits == traits
    assert sorted(got_unmapped) == sorted(unmapped)
