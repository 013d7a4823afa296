"""Offline stand-in for Amazon Comprehend Medical ``DetectEntitiesV2``: dictionaries + rules.

``OfflineEntityDetector().detect_entities(text)`` returns a dict in exactly the DetectEntitiesV2 response
shape (``Entities``, ``UnmappedAttributes``, ``ModelVersion``; validated by
``medscribe.shapes.DetectEntitiesV2Response``), with exact offsets (``text[BeginOffset:EndOffset] == Text``).

What it finds
-------------
- MEDICATION (GENERIC_NAME / BRAND_NAME): exact, case-insensitive, whole-token matches of the
  drug-named-entity-recognition dictionary (up to 4 tokens, longest first), corrected and extended by
  ``data/ner/drug_overrides.txt`` and ``data/ner/drug_products.txt`` (UK approved names, UK / US brands,
  vaccines named by what they prevent, lay and class names); the name without its form or delivery device
  ("Lantus SoloStar" -> "Lantus" + FORM "SoloStar"; a device alone is no drug), and "<drug> level" a test
  (``products``); plus fuzzy matches for ASR/typing errors (rapidfuzz ``ratio`` against
  the commonly prescribed single-word names with the same first letter; single tokens that are not
  English words, or two adjacent tokens joined: "met formin"; two tokens spelling a common name exactly, "sita
  gliptin", are an exact match); never a prescribing abbreviation ("nocte", "bd", "stat": ``prescribing``,
  ``data/ner/prescribing_abbreviations.txt``) nor a person word ("flatmate": ``people``). Attributes DOSAGE, STRENGTH, FREQUENCY,
  ROUTE_OR_MODE, DURATION, FORM, RATE (digits or spelled-out numbers), each linked to its governing drug:
  the nearest drug before it in the same sentence (within 15 tokens), or the next one when the attribute
  reads "<amount> of <drug>" or no drug precedes it (within 4 tokens); never across a sentence end,
  another drug, or a verb that opens a new instruction ("start", "continue", "recheck", ...). Unlinked
  ones go to UnmappedAttributes (a DURATION with no drug near becomes a condition's time expression).
  Amounts are kept whole: mixed numbers and fractions ("1 and 1/2 tabs", "one and a half tablets", "half a
  tablet"), spoken decimals ("zero point four milligrams"), ranges ("1 to 2 tablets"); adjacent frequency
  pieces are one FREQUENCY ("q6h prn", "tid with meals", "at breakfast daily"). DOSAGE vs STRENGTH as AWS
  types them: an amount by weight is the DOSAGE ("aspirin 20 mg po daily") unless the drug also has a count
  of units, which is then the DOSAGE and the weight the per-unit STRENGTH ("Clonidine 0.2 mgs 1 and 1/2
  tabs"); concentrations and percentages are STRENGTH ("250 mg/5 ml", "1% cream").
- MEDICAL_CONDITION (DX_NAME, traits DIAGNOSIS / SYMPTOM / SIGN) from ``data/ner/conditions.txt``, plus exam
  findings on "<Organ>: ..." lines ("Lungs: clear", "Abdomen: soft, nontender"; trait SIGN).
  "<diagnosis> flare / exacerbation" is one name ("gout flare"). Attributes:
  ACUITY ("acute", split off a synonym: "acute sinusitis" -> "sinusitis" + ACUITY), QUALITY ("severe",
  "sharp"), DIRECTION ("left"), SYSTEM_ORGAN_SITE (Category ANATOMY: "pain in the left knee", "otitis media,
  left ear", "rash on the chest and back", "pain radiating to the left leg", "erythema and warmth over the
  shin" (both), the organ heading an exam line). Findings said as statements (``lay_findings``): lay symptom
  phrases (``data/ner/lay_symptoms.txt``: "off her food"), a weight said with a change verb ("lost weight";
  "weight 82 kg" stays a test), "<finding noun> still / is <abnormal adjective>" ("mood still low"). A one-word
  name no list holds, known by its form (``word_forms``, ``data/ner/condition_word_forms.txt``: a disease or
  symptom suffix, "hyperlactataemia", "coccydynia"; never an English word).
- TEST_TREATMENT_PROCEDURE (TEST_NAME / PROCEDURE_NAME / TREATMENT_NAME) from
  ``data/ner/tests_procedures.txt``, with TEST_VALUE / TEST_UNIT ("A1c of 7.2 percent", "BP 140/90"); a
  procedure no list holds, named by its word form (``procedure_forms``: "hemicolectomy", "mitral valve repair").
- ANATOMY (SYSTEM_ORGAN_SITE) from ``data/ner/anatomy.txt``: every mention is a top-level entity with its
  DIRECTION attribute ("left ear"), and also the SYSTEM_ORGAN_SITE attribute of the condition it locates (one
  mention, one Id), as AWS returns it.
- PROTECTED_HEALTH_INFORMATION: AGE (the number of "54 year old" / "fifty four year old"), DATE, NAME
  (after Mr./Mrs./Ms./Dr., "patient named", "name is"), PHONE_OR_FAX, EMAIL, ID (MRN, SSN-like numbers).
- TIME_EXPRESSION ("three days ago", "since yesterday", "since Monday", "until last year", "this morning",
  "in 2 weeks", "in 2015", "on 3 March", "for 3 days" / "for about a week" after a condition, "more than once a
  week" of a symptom; the grammar in ``time_grammar``) as AWS returns it: a
  top-level entity, Type TIME_TO_DX_NAME / TIME_TO_MEDICATION_NAME / TIME_TO_TEST_NAME / ..., whose
  Attributes are the entities it dates (RelationshipType OVERLAP, the same Id as the entity): the nearest
  one in its sentence (a comma counts as distance; a time expression opening its sentence, "Yesterday, the
  patient took ibuprofen", dates the first entity of its clause) and the entities of its kind coordinated
  with it ("cough and fever for 3 days", "CBC and TSH in 6 weeks"). A time expression with nothing to date is
  not reported. It dates nothing after it across another clause's subject or negation, or a condition named as
  the reason ("... in 2009 for reflux nephropathy"; ``time_links``).
- Nutrients the drug dictionary blocks as lab analytes ("iron", "potassium") are medications right before a
  form or a drug strength ("iron tablets", "potassium 20 meq"), tests otherwise ("potassium 3.1").
- Unknown drug names: a non-English word in no dictionary right before a strength ("Zyntravex 10 mg") or a
  dose-form noun ("Zyntravex tablets") is a MEDICATION with Score 0.55 and trait LOW_CONFIDENCE (kept by the 0.5 filter, below the review threshold).
- PAST_HISTORY ("PMH:", "history of", "previously", "was on ... in the past") and HYPOTHETICAL ("if ...",
  "consider ...", "may start ...", "return if ... develops") traits on conditions, medications, tests and
  procedures; FUTURE ("will start", "plan to check") on medications, tests and procedures; with NegEx-like
  scopes. PERTAINS_TO_FAMILY on conditions (``family``): a family member's clause ("her sister has lupus"),
  "<condition> in her mother", and a "Family history:" section up to the next section.
- NEGATION trait (NegEx-style): pre-triggers ("no", "denies", "negative for", "without", "rule out", and
  for medications, tests and procedures "not taking", "stopped", "discontinue", "hold", "avoid", "declined",
  ...) negate conditions / medications / tests that follow within the trigger's scope; post-triggers ("was
  ruled out", "was discontinued") look back, never onto a test ("CT was negative": the test was done).
  The scope ends at a sentence end, a terminator ("but", "however", "which", "reports", "started", ...),
  another trigger (and, when each item of a list restates the trigger, "no A, no B, C", at C), an entity
  of another kind than the ones it already negated (a condition list does not run on into a medication), or 6 tokens after the trigger or after the last entity it negated (so
  lists like "denies fever, chills, nausea or vomiting" are all negated). Unpunctuated ASR text is handled by that
  token window.

What the scores mean
--------------------
Scores are heuristic confidences in [0, 1], ordered so that the pipeline's ``Score >= 0.5`` filter keeps
what is reliable and drops guesses:

- Medication, exact match: 0.97 generic / 0.95 brand for a commonly prescribed drug (one with a
  MedlinePlus or NHS monograph, or a listed brand); 0.9 for other DrugBank drugs; 0.75 for a
  dictionary-only name (chemical / MeSH name); x0.8 for names of 3 letters ("asa"); 0.45 for a
  dictionary-only multi-word name made of ordinary English words (kept, but filtered).
- Medication, two tokens spelling a commonly prescribed name exactly ("sita gliptin"): 0.85.
- Medication, fuzzy match: ``0.9 * similarity * length_factor`` (similarity = rapidfuzz ratio / 100,
  >= 0.8; length factor 0.45 for 5 letters, 0.6 for 6, 0.75 for 7, 0.85 for 8, 0.95 for 9+), times 0.85
  when the match joins two ASR tokens ("met formin"). So "metforman" -> 0.76, while a 5-letter near-miss
  scores about 0.3-0.4 and is dropped by the 0.5 filter. Always below the exact-match score of the same
  drug.
- Conditions / tests / anatomy (curated lexicon): 0.95 for multi-word phrases, 0.92 for single words,
  0.8 for abbreviations of 4 letters or fewer that are not English words ("htn", "cbc").
- Attributes: ``Score`` is the strength of the pattern (0.97 "500 mg"; 0.95 "twice daily"; 0.9 "BID",
  "by mouth", "for 7 days"; 0.85 "daily", forms; 0.8 "a tablet"). ``RelationshipScore`` decays with the
  token distance to the linked entity: 0.99 - 0.025 per token between them (floor 0.55); 0.95 for
  "<amount> of <drug>"; 0.9 - 0.03 per token for a drug that follows without "of".
- NEGATION: the trigger's strength (0.97 "denies" / "negative for", 0.95 "no", 0.75 "rule out", ...)
  minus 0.02 per token between trigger and entity (floor 0.6). DX traits: 0.85.
- PHI: 0.99 email, 0.95 phone / digit ages, 0.9 dates / spelled ages / IDs, 0.85 names after a title.

Performance (2-core machine): constructing the detector does nothing; the first call loads the
dictionaries and keeps them for the process: ~1 s from the on-disk drug table cache, ~5 s when that cache
must first be built from the package's data (see ``medscribe.offline.ner_lexicon``); ~40 MB. Then about
0.1-0.3 s per 1,000 words, linear in the text length.

Stages (one module each): ``text`` (tokens, sentences) -> ``matching`` + ``context_matching`` (dictionary
and context matches, PHI; ``dictionary_phrases``: lexicon phrases; ``fuzzy_drugs``: misheard drug names;
``phi_spans``: PHI by patterns; ``sites``: site and condition-name rules; ``idioms``: site words that name no
site; ``findings``: signs and symptoms said in words no lexicon holds; ``products``: drug names apart from
their forms and devices; ``lay_findings``: problems stated in lay words; ``prescribing``: abbreviations never
drugs; ``people``: person words and salts never drugs alone; ``not_drugs``: routes and function-word joins never drugs,
analytes said as results tests) -> ``attributes`` (attribute patterns) -> ``linking`` + ``relations`` (attribute
and time/site relations, UnmappedAttributes) -> ``traits`` (NEGATION, PAST_HISTORY, HYPOTHETICAL) ->
``family`` (PERTAINS_TO_FAMILY) -> ``response`` (the DetectEntitiesV2 dict); ``detector`` runs them; ``patterns`` holds the regexes and word
tables; ``conformance`` scores a response against the conformance notes.
"""

from medscribe.offline.ner.detector import MODEL_VERSION, OfflineEntityDetector

__all__ = ["MODEL_VERSION", "OfflineEntityDetector"]
