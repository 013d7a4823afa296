"""Entity matching: each matcher over the document in turn (dictionary phrases, sites, findings, drugs, fuzzy
names, history heads, procedures) after PHI; acuity and quality words kept off a condition's name."""

from __future__ import annotations

from medscribe.offline import ner_lexicon as lex
from medscribe.offline.ner import (
    compound_names,
    context_matching,
    deficiencies,
    dictionary_phrases,
    drug_modifiers,
    eponyms,
    findings,
    fuzzy_drugs,
    history_heads,
    idioms,
    lay_findings,
    not_drugs,
    phi_spans,
    procedure_forms,
    products,
    site_adjectives,
    site_disorders,
    site_structures,
    sites,
    verb_forms,
    word_forms,
)
from medscribe.offline.ner.negative_prefix import absent_signs, keep_non
from medscribe.offline.ner.substance_conditions import substance_conditions
from medscribe.offline.ner.text import Doc, Span


def find_entities(doc: Doc, *, fuzzy: bool) -> list[Span]:
    phi = phi_spans.phi(doc)
    taken = [False] * len(doc.toks)
    for s in phi:
        for i in range(s.t0, s.t1):
            taken[i] = True
    found = sites.merge_site_symptoms(
        doc, idioms.without_idioms(doc, dictionary_phrases.phrases(doc, taken), taken)
    )
    found = sites.extend_site_names(doc, found)  # "fifth metacarpal", "subclavian vein"
    found = site_structures.join_structures(doc, found)  # "neck flexors", "parietal bone", "L4/5"
    found = sites.organ_cancers(doc, sites.split_sites(doc, found))
    found = site_disorders.disorder_names(doc, found, taken)  # "kidney damage", "bowel sounds": no site apart
    found += site_disorders.sign_sites(doc, found)  # "cold hands": the sign's site too
    found = sites.split_elicited(doc, found, taken)  # "suprapubic tenderness": the sign and its site
    found += sites.procedure_sites(doc, found)
    _split_acuity(doc, found)
    keep_non(doc, found)  # "non-productive cough": never the opposite condition
    absent_signs(doc, found)  # "non-tender": a sign's absence
    context_matching.extend_flares(doc, found, taken)
    found += context_matching.exam_findings(doc, found, taken)
    found += findings.site_signs(doc, found, taken)
    found += findings.reduced_functions(doc, taken)
    found += findings.discharges(doc, taken)
    found += findings.lay_signs(doc, found, taken)
    found += findings.quality_symptoms(doc, found, taken)
    found += lay_findings.lay_findings(doc, found, taken)
    found += eponyms.eponym_conditions(doc, found, taken)
    found += eponyms.possessive_eponyms(doc, taken)
    found += deficiencies.enzyme_deficiencies(
        doc, found, taken
    )  # "21-hydroxylase deficiency": an enzyme's name
    found += word_forms.word_form_conditions(doc, taken)  # "hypomagnesaemia": a name no list holds
    found += verb_forms.verb_form_conditions(doc, taken)  # "sprained", "tingled": a condition said as a verb
    found += context_matching.supplements(doc, found, taken)
    found = products.refine(doc, found, taken)  # drug names apart from forms and devices; drug levels
    not_drugs.results_as_tests(doc, found, taken)  # "9 am cortisol was 40": the test
    found = drug_modifiers.modifiers(doc, found, taken)  # "quinolone antibiotics": a drug word as a modifier
    found += substance_conditions(
        doc, found, taken
    )  # "lithium toxicity", "alcohol withdrawal": after the drugs
    found = compound_names.bind_modifiers(doc, found)  # "IgA nephropathy", "breakthrough pain": whole names
    found += site_adjectives.free_site_adjectives(doc, found, taken)  # "occipital headaches": the site too
    if fuzzy:
        found += fuzzy_drugs.fuzzy_drugs(doc, taken)
    found += context_matching.unknown_drugs(doc, found, taken)
    found = drug_modifiers.modifiers(doc, found, taken)  # again: the fuzzy and unknown names
    found += history_heads.after_history_heads(doc, taken)  # "Known IVDU": last, every list has had its turn
    # "hemicolectomy", "aortic valve replacement": after the history heads, which keep "history of X" a condition
    found += procedure_forms.procedure_words(doc, found, taken)
    return sorted(phi + found, key=lambda s: s.begin)


_ACUITY_WORDS = {"acute", "chronic", "subacute", "recurrent"}
# the guide's acuity words a condition name may start with ("persistent cough"): AWS names the condition
# without them (its ACUITY attribute); quality words too ("productive cough" -> "cough", its QUALITY attribute;
# PROCEDURE.md section 4, condition names; the words: compound_names.quality_words()).
_QUALIFIER_WORDS = _ACUITY_WORDS | {"persistent", "sudden", "gradual", "permanent", "longstanding"}


def _split_acuity(doc: Doc, found: list[Span]) -> None:
    """ "Acute sinusitis": acuity is an attribute (ACUITY), not part of the condition's name."""
    phrases = lex.clinical_lexicon().phrases
    qualifiers = _QUALIFIER_WORDS | compound_names.quality_words()
    for s in found:
        while s.category == "MEDICAL_CONDITION" and s.t1 - s.t0 >= 2 and doc.toks[s.t0].norm in qualifiers:
            whole = " ".join(t.norm for t in doc.toks[s.t0 : s.t1])
            rest = " ".join(t.norm for t in doc.toks[s.t0 + 1 : s.t1])
            concept, rest_concept = phrases.get(whole), phrases.get(rest)
            # only a synonym of the same concept ("acute sinusitis", "productive cough"), or a qualified
            # name of a known condition ("non healing ulcer"), never a named disease ("chronic kidney
            # disease", "chronic pain", "dry eye")
            same = concept is not None and rest_concept is concept
            qualified = concept is None and rest_concept is not None and rest_concept.category == s.category
            if not (same or qualified) or lex.normalize((concept or rest_concept).canonical) == whole:  # type: ignore[union-attr]
                break
            s.t0 += 1
            s.begin = doc.toks[s.t0].begin
