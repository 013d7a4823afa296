"""Regular expressions and word tables of the offline NER (case-insensitive, on the original text)."""

from __future__ import annotations

import re

from medscribe.offline import ner_lexicon as lex

# ---------------------------------------------------------------------------------------------------------
# Number and attribute patterns (case-insensitive, on the original text so offsets are exact)
# ---------------------------------------------------------------------------------------------------------
_NUMW = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    r"thousand)"
)
_FRAC = r"\d+\s*/\s*\d+"
_NUM = (
    rf"(?:(?<![\w.])\d+(?:[.,]\d+)?(?:\s+and\s+(?:{_FRAC}|an?\s+(?:half|quarter))\b|\s*/\s*\d+(?:\.\d+)?)?"
    rf"|\b(?:a\s+)?half(?:\s+an?\b)?"
    rf"|\b{_NUMW}(?:(?:\s+|-)(?:and\s+)?{_NUMW})*(?:\s+point\s+(?:{_NUMW}|oh)(?:\s+{_NUMW})*)?"
    rf"(?:\s+and\s+a\s+(?:half|quarter))?\b)"
)
_NUMR = rf"{_NUM}(?:\s*(?:-|to|or)\s*{_NUM})?"
_END = r"(?![\w])"

_STRENGTH_RE = re.compile(
    # a concentration: "250 mg/5 ml", "250 mg per 5 ml", "250 mg in 5 ml"
    rf"{_NUMR}\s*(?:(?:mg|mcg|g|units?)\s*(?:/|\s+(?:per|in)\s+)\s*(?:\d+(?:\.\d+)?\s*)?(?:ml|l)|"
    # by weight or body surface, per day or per dose when said: "60 mg/kg/day", "15 mg/m2", "10 mg per kg"
    rf"(?:mg|mcg|micrograms?|milligrams?|g|grams?|units?)\s*(?:/|\s+per\s+)\s*(?:kg|kilograms?|kilos?|m2|m²"
    rf"|square\s+met(?:re|er)s?|met(?:re|er)\s+squared)(?:\s*(?:/|\s+per\s+|\s+a\s+)\s*(?:day|dose|24\s*hours?))?|"
    rf"mg|mgs|milligrams?|mcg|mcgs|micrograms?|µg|nanograms?|g|gm|grams?|meq|milliequivalents?|iu|"
    rf"international\s+units|%|percent|milligrams?\s+per\s+(?:kilogram|milliliter)){_END}",
    re.IGNORECASE,
)
_DOSAGE_RE = re.compile(
    rf"(?:{_NUMR}|\ban?\b)\s*(?:tablets?|tabs?|capsules?|caps?|pills?|puffs?|drops?|sprays?|units?|ml|mls|"
    rf"milliliters?|cc|teaspoons?|tablespoons?|tsp|tbsp|patch(?:es)?|injections?|inhalations?|vials?|"
    rf"packets?|suppositor(?:y|ies)|lozenges?|doses?|sachets?|ampules?){_END}",
    re.IGNORECASE,
)
_RATE_RE = re.compile(
    rf"{_NUMR}\s*(?:mg|ml|units?|mcg|µg|cc|milligrams?|micrograms?|milliliters?)(?:\s*(?:/|per)\s*(?:kg|kilogram))?"
    rf"\s*(?:/|per|an|a)\s*(?:hr|hour|h|min|minute|24\s*hours?)"  # "25 micrograms/24 hours": a patch a day
    rf"{_END}",
    re.IGNORECASE,
)
# "three times", "two or three times", "up to ten times"
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TIMES = rf"(?:(?:up\s+to\s+)?(?:once|twice|thrice|(?:{_NUMR}(?:\s+or\s+{_NUMR})?|several|a\s+few|many|multiple)\s+times?))"
_PERIOD = r"(?:day|week|month|night|morning|evening|hour)"
_FREQ_STRONG_RE = re.compile(
    # a weekly dose's day first: "once a week on Fridays" is one frequency, never "once a week" without its day
    rf"\b(?:(?:once\s+)?(?:weekly|a\s+week|every\s+week)\s+on\s+{_DAY}s?"
    # food only after a count a day ("twice daily with food"): "struggling with food" is no schedule
    rf"|(?:{_TIMES}\s+(?:a|per|each)\s+day|{_TIMES}\s+daily)\s+(?:with|after|before)\s+food"
    rf"|{_TIMES}\s+(?:a|per|each|every)\s+{_PERIOD}|{_TIMES}\s+(?:daily|weekly|monthly|nightly)"
    rf"|(?:every|each)\s+(?:other\s+)?(?:{_NUMR}\s+)?(?:hours?|hrs?|days?|weeks?|months?|morning|afternoon|evening|night|bedtime)"
    rf"|(?:at|before)\s+(?:bedtime|night|bed|lunchtime|teatime)|in\s+the\s+(?:mornings?|evenings?)"
    # a weekly dose's day: "every Monday", "once weekly on Mondays" (never "on Monday": a date)
    # ("on Saturdays" alone is no dose's: "drives her to Bristol on Saturdays")
    rf"|(?:(?:once\s+)?(?:weekly|a\s+week|every\s+week)\s+)?(?:every|each)\s+{_DAY}"
    rf"|(?:at|with|before|after)\s+(?:meals|each\s+meal|breakfast|dinner|supper|lunch)"
    rf"|as\s+needed|when\s+needed|(?:as|when)\s+(?:required|necessary)|as\s+and\s+when(?:\s+(?:needed|required))?"
    rf"|if\s+(?:needed|required)(?!\s*,?\s*(?:consider|start|add|try|we|will|may|could|can|then|use|give)\b)){_END}",
    re.IGNORECASE,
)
_FREQ_ABBR_RE = re.compile(
    r"\b(?:q\s?\d+\s?(?:h|hr|hrs|hours|min|mins|minutes)|q\.\s?h\.\s?s\.?|q\.\s?(?:am|pm|hs|d|day|wk|week|od)\.?|q(?:am|pm|hs|d|day|wk|od)|qhs|"
    r"qam|qpm|qod|qd|[btq]\.i\.d\.?|p\.r\.n\.?|bid|tid|qid|prn|[btq]\s+i\s+d|p\s+r\s+n|"
    # UK shorthand (BNF): at night, in the morning, twice / three / four times daily
    r"nocte|mane|bd|b\.d\.?|tds|t\.d\.s\.?|qds|q\.d\.s\.?)(?![\w])",
    re.IGNORECASE,
)
_FREQ_WEAK_RE = re.compile(
    r"\b(?:daily|nightly|weekly|monthly|every\s+day|a\s+day|per\s+day)\b", re.IGNORECASE
)
_ROUTE_RE = re.compile(
    r"\b(?:by\s+mouth|orally|oral|p\.?\s?o\.?|per\s+os|intravenous(?:ly)?|i\.?\s?v\.?|intramuscular(?:ly)?|"
    r"subcutaneous(?:ly)?|sub\s?-?q|s\.?q\.?|topical(?:ly)?|inhaled|via\s+(?:inhaler|nebulizer)|"
    r"by\s+inhalation|sublingual(?:ly)?|per\s+rectum|rectal(?:ly)?|transdermal(?:ly)?|intranasal(?:ly)?|"
    r"nasal(?:ly)?|in\s+each\s+nostril|vaginal(?:ly)?|by\s+injection|ophthalmic|in\s+(?:each|both)\s+eyes?)"
    r"(?![\w])|\b(?:IM|SC|SL)\b",
    re.IGNORECASE,
)
_ROUTE_CASED = {"im", "sc", "sl"}  # only in upper case ("IM"), never the words "im"/"sc"
# "about a week", "nearly 2 months": an approximate amount of time is still one duration or time expression
_APPROX = r"(?:about|approximately|around|roughly|nearly|almost|over|more\s+than|less\s+than|at\s+least)"
_FEW_D = r"(?:a\s+few|few|several|a\s+couple\s+of|couple\s+of)"
# clinical shorthand for days / weeks / months: "2/52" (two weeks), "3/7", "6/12"; spoken "two over fifty two"
_CLIN = (
    rf"(?:(?<![\w/.])\d{{1,2}}|\b{_NUMW}(?:[\s-]+{_NUMW})?)\s*(?:/|\s+over\s+)\s*"
    rf"(?:7|52|12|seven|fifty[\s-]+two|twelve)(?![\w/])"
)
_DURATION_RE = re.compile(
    rf"\b(?:(?:for|x|times|over)\s+(?:the\s+next\s+|another\s+|a\s+total\s+of\s+|an?\s+additional\s+)?"
    rf"(?:{_APPROX}\s+)?"
    rf"(?:{_NUMR}|an?|another|{_FEW_D})\s+(?:more\s+)?(?:days?|weeks?|months?|years?|doses?|hours?|fortnights?|nights)"
    rf"|for\s+(?:days|weeks|months|years)"
    rf"|{_NUMR}[\s-]+(?:days?|weeks?|months?)[\s-]+(?:course|supply|trial))\b"
    rf"|\b(?:for|x|over)\s+(?:the\s+(?:last|past)\s+)?{_CLIN}",
    re.IGNORECASE,
)
_FORM_RE = re.compile(
    r"\b(?:(?:extended|delayed|immediate|modified|prolonged|sustained|controlled)[\s-]+release\s+)?(?:tablets?|tabs?|capsules?|pills?|injection|"
    r"inhaler|nebs?|nebulizer|cream|ointment|patch(?:es)?|solution|suspension|nasal\s+spray|spray|gel|lotion|syrup|suppository|"
    r"lozenge|pen|elixir|linctus|liquid|eye\s+drops|ear\s+drops|drops|chewable|extended[\s-]+release|"
    r"(?:delayed|modified|prolonged|sustained|controlled)[\s-]+release)\b|\b(?:XR|ER|SR|XL|ODT|HFA|MR|CR)\b",
    re.IGNORECASE,
)
_FORM_CASED = {"xr", "er", "sr", "xl", "odt", "hfa", "mr", "cr"}
_QUALITY_RE = re.compile(
    r"\b(?:severe|mild|moderate|moderately\s+severe|sharp|dull|burning|throbbing|stabbing|aching|"
    r"intermittent|constant|worsening|productive|nonproductive|non-productive|pitting|watery|purulent|(?:stage|grade)\s+(?:\d[abc]?|[iv]+[abc]?)\b)\b",
    re.IGNORECASE,
)
_DIRECTION_RE = re.compile(
    r"\b(?:left|right|bilateral|bilaterally|medial|lateral|upper|lower|posterior|anterior|distal|proximal|"
    r"contralateral|ipsilateral|dorsal|ventral)\b",
    re.IGNORECASE,
)
_ACUITY_RE = re.compile(
    r"\b(?:acute|chronic|subacute|recurrent|acute\s+on\s+chronic|sudden|persistent|gradual)\b", re.IGNORECASE
)
_MONTH_NAMES = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_TIME_UNIT = r"(?:days?|weeks?|months?|years?|hours?|fortnights?|nights)"  # "for the last three nights"
_FEW = r"(?:a\s+few|few|several|a\s+couple\s+of|couple\s+of)"
# A point in time ("yesterday", "last week", "this morning", "on Monday", "3 days ago"), optionally bounded by
# "since / until / till / from" ("since this morning", "until last year"); a stretch of time ending now
# ("for the past 2 weeks", "since 3 days"); a time ahead ("in 2 weeks"). Longest wins, so the preposition
# stays part of the expression as in AWS's output ("since yesterday").
_TIME_POINT = (
    rf"(?:(?:{_APPROX}\s+)?(?:{_NUMR}|an?|{_FEW})\s+(?:{_TIME_UNIT}|minutes?)(?:\s+and\s+a\s+half)?\s+ago"
    rf"|(?:on\s+|last\s+)?(?:yesterday|this|{_WEEKDAY})\s+(?:morning|afternoon|evening|night)"
    rf"|currently"  # one of AWS's own examples, a reference when it dates a drug or condition (section 4)
    rf"|the\s+day\s+before\s+yesterday|yesterday|today|tonight|overnight|all\s+(?:day|night)(?:\s+long)?"
    rf"|(?:earlier|later)\s+this\s+(?:week|month|year|morning|afternoon|evening)"
    rf"|this\s+past\s+(?:week|weekend|month|year|fortnight)|(?:at|over|during)\s+the\s+weekend"
    rf"|(?:many\s+|some\s+)?(?:years|months|weeks)\s+ago"  # "glandular fever years ago"
    rf"|(?:earlier|later)\s+today|(?:last|this|past|next)\s+(?:night|week|weekend|fortnight|month|year|visit|"
    rf"morning|afternoon|evening|winter|summer|spring|autumn|{_WEEKDAY})"
    rf"|(?:on\s+)?{_WEEKDAY})"
)
_TIME_RE = re.compile(
    rf"\b(?:(?:(?:since|until|till|from)\s+)?{_TIME_POINT}"
    rf"|(?:since|(?:for|over|during|in|within)\s+the\s+(?:past|last|previous))\s+(?:(?:{_APPROX}\s+)?(?:{_NUMR}|{_FEW})\s+)?{_TIME_UNIT}"
    rf"(?:\s+or\s+(?:so|two|more))?"  # "for the last year or two"
    rf"|since\s+the\s+(?:start|beginning|end)\s+of\s+(?:the|this|last)\s+(?:week|month|year)"
    # "since the weekend", "since the summer", "since childhood"
    rf"|since\s+(?:the\s+)?(?:weekend|summer|winter|spring|autumn|new\s+year|holidays?|birth)"
    rf"|since\s+(?:childhood|infancy|puberty|adolescence|birth|discharge)|in\s+childhood"
    rf"|since\s+(?:she|he|they)\s+(?:was|were)\s+(?:a\s+)?(?:baby|child|toddler|teenager|little)"
    rf"|since\s+(?:she|he|they)\s+(?:was|were)\s+(?:at|in)\s+(?:primary|secondary|high|junior|nursery|middle)\s+school"
    rf"|since\s+(?:19|20)\d\d\b|since\s+(?:her|his|their|my|the)\s+last\s+(?:visit|review|appointment|admission)"
    rf"|since\s+the\s+(?:early|small)\s+hours"
    # a personal or clinical event: "since her birthday", "since the operation", "since the last increase"
    # (an age, "in her teens", is AGE, not time: PROCEDURE.md section 4, session 8)
    rf"|since\s+(?:her|his|their|my|the)\s+(?:last\s+|[a-z]+\s+)?(?:birthday|delivery|holiday|retirement|wedding"
    rf"|operation|surgery|op|procedure|fall|accident|injury|crash|increase|dose\s+change|change|switch|stroke"
    rf"|infection)"
    rf"|since\s+the\s+clocks\s+(?:went|changed|go)\s+(?:back|forward)"
    # session 8: "tomorrow morning", "the same night", "on day five" (not "in 2015": the conformance set, from
    # AWS's examples, has "Hx of MI in 2015" with no time expression)
    rf"|tomorrow(?:\s+(?:morning|afternoon|evening|night))?"
    rf"|the\s+same\s+(?:day|night|morning|afternoon|evening|week)|on\s+day\s+(?:{_NUMR}|one)"
    rf"|within\s+the\s+next\s+(?:(?:{_NUMR}|{_FEW})\s+)?(?:days?|weeks?|months?|hours?)"
    # a part of the day: "since lunchtime", "in the early hours", "first thing in the morning"
    rf"|since\s+(?:lunchtime|lunch|teatime|breakfast|midnight|midday)"
    rf"|in\s+the\s+(?:early|small)\s+hours(?:\s+of\s+the\s+morning)?|first\s+thing\s+in\s+the\s+morning"
    # a deadline: "within the hour", "within 48 hours"
    rf"|within\s+(?:the\s+(?:hour|day|week|month)|(?:{_NUMR}|an?|a\s+few)\s+(?:minutes?|hours?|days?|weeks?|months?))"
    # a month or a festival: "since March", "in early September", "since Christmas", "over Easter"
    rf"|(?:(?:since|from|over|in)\s+(?:early\s+|late\s+|mid\s+)?|last\s+)"
    rf"(?:{_MONTH_NAMES}|christmas|easter|new\s+year|the\s+new\s+year|half\s+term|the\s+holidays)"
    # a season ahead or a yearly recurrence: "in the spring", "every summer", "most nights"
    rf"|in\s+the\s+(?:spring|summer|autumn|fall|winter)|every\s+(?:spring|summer|autumn|winter|weekend)"
    rf"|(?:most|some)\s+(?:nights|days|mornings|evenings)|{_CLIN}\s+ago|in\s+{_CLIN}"
    rf"|in\s+the\s+(?:afternoons|nights)|by\s+(?:the\s+)?(?:morning|evening|afternoon|weekend|tomorrow)"
    # a clock time in a day: "since 6 this morning", "at 3am"; the events of a stay: "on arrival"
    rf"|(?:since|from|at)\s+(?:about\s+|around\s+)?(?:\d{{1,2}}(?:[:.]\d{{2}})?|{_NUMW})\s*(?:am|pm|o'clock)?"
    rf"\s+(?:this|yesterday|last)\s+(?:morning|afternoon|evening|night)"
    rf"|(?:since|from|at)\s+(?:\d{{1,2}}(?:[:.]\d{{2}})?|{_NUMW})\s*(?:am|pm|a\s+m|p\s+m)\b"
    rf"|on\s+(?:arrival|admission|discharge|presentation)"
    # session 9: a 24-hour clock ("at 14:20", spoken "at fourteen twenty" -> "at 14 20"), never before a unit
    # (a clock time before "daily" is a drug's schedule, not a time expression)
    rf"|(?:since|from|at|until|till)\s+(?:about\s+|around\s+)?(?:(?:[01]?\d|2[0-3]):[0-5]\d|(?:[01]\d|2[0-3])\.[0-5]\d|(?:[01]?\d|2[0-3])\s+(?:oh\s+)?[0-5]?\d)"
    rf"(?:\s*(?:am|pm|a\s+m|p\s+m)\b)?"
    rf"(?![\d.:/]|\s*(?:mg|mcg|g|ml|units?|%|mmol|kg|times|tablets?|puffs?|doses?)|\s+(?:to|or|and|over)\s+\d"
    rf"|\s+(?:daily|each|every|nightly)\b)"
    # a time counted from an event: "five minutes later", "an hour before arrival", "two days after surgery"
    rf"|(?:{_NUMR}|an?|a\s+few|{_FEW})\s+(?:minutes?|hours?|days?|weeks?|months?)\s+later"
    rf"|(?:{_NUMR}|an?|a\s+few|{_FEW})\s+(?:minutes?|hours?|days?|weeks?)\s+(?:before|after|into)\s+"
    rf"(?:arrival|admission|discharge|surgery|delivery|(?:the|her|his)\s+(?:operation|procedure|delivery|birth))"
    # (not before "of": "after four days of diarrhoea" is the history's stretch, "four days", below)
    rf"|(?:in|after)\s+(?:{_APPROX}\s+)?(?:{_NUMR}|an?|a\s+few)\s+(?:days?|weeks?|months?|fortnights?)\b(?!\s+of\b)"
    # "two days of ear pain": a stretch of time naming the condition it is the history of
    rf"|(?:{_NUMR}|a\s+few|several)\s+{_TIME_UNIT}(?=\s+of\s+(?!the\b|this\b|that\b)))\b",
    re.IGNORECASE,
)
_TEST_PREFIX_RE = re.compile(
    r"(?:\s*[:=,]?\s*(?:of|is|was|were|are|at|today|now|reading|measured|came\s+back|level|levels|value|"
    r"about|around|approximately|down\s+to|up\s+to|improved\s+to|increased\s+to|decreased\s+to|to)\b)*"
    r"\s*[:=]?\s*",
    re.IGNORECASE,
)
_TEST_VALUE_RE = re.compile(
    rf"(?:\d{{2,3}}\s*(?:/|over)\s*\d{{2,3}}(?![\w])"
    rf"|\b{_NUMW}(?:[\s-]+(?:and\s+)?{_NUMW})*\s+over\s+{_NUMW}(?:[\s-]+{_NUMW})*\b"
    rf"|{_NUM}|\b(?:normal|abnormal|elevated|high|low|negative|positive|unremarkable|"
    rf"within\s+normal\s+limits)\b)",
    re.IGNORECASE,
)
_TEST_UNIT_RE = re.compile(
    r"\s*(?:percent|%|mg\s*/\s*dl|milligrams?\s+per\s+deciliter|mmol\s*/\s*l|mm\s?hg|millimeters\s+of\s+"
    r"mercury|bpm|beats\s+per\s+minute|breaths\s+per\s+minute|kg|kilograms?|lbs?|pounds?|degrees(?:\s+"
    r"(?:fahrenheit|celsius|f|c))?|ml\s*/\s*min|units?\s*/\s*l|ng\s*/\s*ml|miu\s*/\s*l|g\s*/\s*dl)(?![\w])",
    re.IGNORECASE,
)

# PHI
_AGE_RE = re.compile(
    rf"(?P<n>{_NUM})[\s-]*(?:years?|yrs?|y)[\s-]*(?:/\s*)?(?:old|o|of\s+age)\b"
    rf"|(?P<n2>(?<![\w.])\d{{1,3}})\s*(?:yo|y/o|y\.o\.)(?![\w])"
    rf"|\b(?:aged?|age\s+of)\s+(?P<n3>{_NUM})",
    re.IGNORECASE,
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_ORD = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"twenty[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|thirtieth|thirty[\s-]first)"
)
_YEAR = rf"(?:\d{{4}}|(?:nineteen|twenty)(?:[\s-]+{_NUMW}){{1,2}}|two\s+thousand(?:[\s-]+(?:and\s+)?{_NUMW}){{0,2}})"
_DATE_RE = re.compile(
    rf"\b(?:{_MONTHS}\.?\s+{_ORD}(?:,?\s+{_YEAR})?|{_ORD}\s+(?:of\s+)?{_MONTHS}(?:,?\s+{_YEAR})?|"
    rf"{_MONTHS}\s+\d{{4}})\b|(?<![\w/])\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?![\w/])|\b\d{{4}}-\d{{2}}-\d{{2}}\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?<![\w])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w])")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_ID_RE = re.compile(
    r"\b(?:mrn|medical\s+record\s+(?:number|no)|record\s+number|patient\s+id|id\s+number|account\s+number|"
    r"member\s+id|ssn|social\s+security\s+number)\s*(?:is|:|#|number)?\s*(?P<id>[A-Z0-9][A-Z0-9-]{3,})\b"
    r"|\b(?P<ssn>\d{3}-\d{2}-\d{4})\b",
    re.IGNORECASE,
)
_NAME_CUE_RE = re.compile(
    r"\b(?:(?:mr|mrs|ms|dr)\.?|mister|missus|miss|doctor|patient\s+named|named|name\s+is)\s+", re.IGNORECASE
)
_NAME_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]+")

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "vs", "approx", "etc", "e.g", "i.e", "pt", "no"}
_SENT_END_RE = re.compile(r"[.!?;]+(?=\s|$)|\n\s*\n|\n(?=\s*[A-Z-])")
_TOKEN_RE = lex.WORD_RE

_TRAIT_SCORE = 0.85
_SYMPTOM_HEADS = {
    "pain", "weakness", "swelling", "numbness", "tingling", "rash", "tenderness", "stiffness", "redness",
    "itching", "bleeding", "cramps", "discomfort", "pressure", "tightness", "infection", "ulcer", "wound",
    "edema", "bruising", "erythema", "effusion", "fracture", "sprain", "strain",
}  # fmt: skip
_NUMBER_WORDS = set(_NUMW[3:-1].split("|")) | {"and", "point", "half", "a", "oh"}

# Negation (NegEx-style) and clause tables, on normalized tokens.
# Negation (NegEx-style), on normalized tokens.
_NEG_PRE = {
    "no": 0.95, "not": 0.9, "denies": 0.97, "denied": 0.95, "deny": 0.93, "denying": 0.95, "without": 0.9,
    "negative for": 0.97, "no evidence of": 0.97, "no signs of": 0.96, "no sign of": 0.96,
    "no history of": 0.93, "free of": 0.9, "absence of": 0.92, "rule out": 0.75, "rules out": 0.75,
    "ruled out": 0.8, "r o": 0.7, "never had": 0.9, "does not have": 0.93, "doesn't have": 0.93,
    "did not have": 0.92, "didn't have": 0.92, "no longer has": 0.88, "no complaints of": 0.93, "nor": 0.85,
    "resolution of": 0.8, "excluded": 0.85, "has excluded": 0.88, "have excluded": 0.88, "excludes": 0.85,
    # a contrast that sets a name aside ("hypoadrenalism rather than hyperadrenalism")
    "rather than": 0.85, "as opposed to": 0.85,
}  # fmt: skip
_NEG_PRE_MED = {
    "not taking": 0.95, "not on": 0.9, "no longer taking": 0.95, "no longer on": 0.92, "stopped": 0.9,
    "stop": 0.88, "stopping": 0.88, "discontinue": 0.93, "discontinued": 0.93, "discontinuing": 0.92,
    "dc": 0.8, "d c": 0.75, "hold": 0.8, "held": 0.8, "holding": 0.8, "off": 0.75, "quit": 0.85,
    "quit taking": 0.9, "stopped taking": 0.93, "does not take": 0.93, "doesn't take": 0.93,
    "never took": 0.88, "allergic to": 0.0, "avoid": 0.85, "avoiding": 0.85, "do not take": 0.93,
    "don't take": 0.93, "do not use": 0.9, "declined": 0.85, "declines": 0.85, "refused": 0.85,
    "refuses": 0.85,
}  # fmt: skip
_NEG_POST = {
    "is negative": 0.9, "was negative": 0.9, "were negative": 0.9, "ruled out": 0.85, "was ruled out": 0.88,
    "has been ruled out": 0.88, "unlikely": 0.75, "is unlikely": 0.78, "not present": 0.88,
    "is absent": 0.88, "was absent": 0.88, "denied": 0.85, "excluded": 0.85, "was excluded": 0.88,
    "has been excluded": 0.88,
    # a name corrected as an error of a letter or record ("the letter's 'hypertonia' is a typing error")
    "is a typing error": 0.88, "was a typing error": 0.88, "is a typo": 0.88, "was a typo": 0.88,
    "is an error": 0.8, "was an error": 0.8, "is a mistake": 0.8, "was a mistake": 0.8,
}  # fmt: skip
_NEG_POST_MED = {
    "was discontinued": 0.92, "were discontinued": 0.92, "has been discontinued": 0.92,
    "was stopped": 0.9, "were stopped": 0.9, "has been stopped": 0.9, "is on hold": 0.85,
    "which she stopped": 0.88, "which he stopped": 0.88, "which was stopped": 0.9, "which they stopped": 0.85,
    "which was discontinued": 0.92,
}  # fmt: skip
# PAST_HISTORY / HYPOTHETICAL triggers: a pre-trigger covers the entities after it in its clause (a list
# runs on: "PMH: asthma, depression"), a post-trigger the entity just before it.
_PAST_PRE = {
    "history of": 0.9, "hx of": 0.9, "h o": 0.85, "past medical history": 0.92, "pmh": 0.9,
    "past history of": 0.9, "medical history of": 0.9, "previously": 0.85, "previous": 0.8, "prior": 0.75,
    "was on": 0.85, "were on": 0.85, "used to take": 0.88, "used to be on": 0.88, "status post": 0.85,
    "s p": 0.8, "formerly": 0.8, "in the past": 0.8, "childhood": 0.75, "remote history of": 0.9,
}  # fmt: skip
# not "previously" / "years ago" after a drug: "metformin 1000 mg, previously 500 mg", "started metformin
# 3 years ago" are current drugs
_PAST_POST = {"in the past": 0.85, "as a child": 0.8}  # fmt: skip
# past triggers that say a drug was taken: they make a drug past history, never a condition that follows in the
# clause ("she was on the combined pill until last year vaginal dryness": the recogniser form's run-on)
_PAST_PRE_MED = frozenset({"was on", "were on", "used to take", "used to be on"})
_PAST_BLOCK = {"no", "denies", "family", "not", "without"}  # "no history of" is a negation
_HYP_PRE = {
    "if": 0.8, "if needed": 0.85, "consider": 0.85, "considering": 0.85, "may consider": 0.85,
    "would consider": 0.85, "in case of": 0.8, "may need": 0.75, "might need": 0.75, "unless": 0.7, "in the event of": 0.8, "watch for": 0.75, "monitor for": 0.75,
    "may start": 0.8, "might start": 0.8, "could start": 0.8, "may add": 0.8, "may try": 0.8,
    "may restart": 0.8, "may switch to": 0.8,
}  # fmt: skip
# FUTURE (medications, tests, procedures): an instruction or order for later, not yet given.
_FUT_PRE = {
    "will start": 0.85, "will begin": 0.85, "will add": 0.85, "will check": 0.85, "will order": 0.85,
    "will obtain": 0.85, "will repeat": 0.85, "will schedule": 0.85, "will get": 0.8, "will arrange": 0.8,
    "will refer for": 0.8, "plan to start": 0.85, "plan to check": 0.85, "plan to": 0.8, "planning to": 0.8,
    "going to start": 0.8, "to be started on": 0.8, "will be started on": 0.85, "scheduled for": 0.85,
    "will need": 0.75,
}  # fmt: skip
_PSEUDO = {
    "no change", "no changes", "no increase", "no further", "not only", "not certain", "not sure",
    "without difficulty", "no new", "not necessarily", "gram negative", "no longer", "not been", "no more",
    # a treatment's outcome, not a finding ("stopped after three weeks with no benefit"): what follows is not its
    # object (a recogniser's run-on: "… with no benefit prednisolone thirty milligrams …")
    "no benefit", "no effect", "no improvement", "no response", "no relief", "no difference",
    # a recogniser's answer then the next question ("any blood in the vomit no any chest pain yes"): the "no"
    # answers the question before it, never the next one's item
    "no any",
}  # fmt: skip
_TERMINATORS = {
    "but", "however", "although", "though", "except", "aside", "apart", "which", "who", "whom", "whose",
    "because", "secondary", "due", "presents", "presenting", "reports", "reported", "reporting", "complains",
    "complaining", "states", "endorses", "endorsing", "admits", "has", "have", "had", "is", "was", "are",
    "were", "start", "started", "starting", "begin", "began", "continue", "continued", "continues",
    "continuing", "resume", "resumed", "increase", "increased", "decrease", "decreased", "add", "added",
    "prescribed", "prescribe", "switch", "switched", "change", "changed", "will", "plan", "also", "yes",
    "positive", "takes", "uses", "using", "then", "recommend", "recommended", "given", "ordered",
    "stable", "well", "controlled", "she", "he", "patient", "use", "take", "give", "apply", "try",
    # an examination opens the findings' clause: "denies chest pain or cough on examination crackles" (a
    # recogniser's run-on of "... cough. On examination, crackles")
    "examination", "exam", "examined", "auscultation", "palpation", "inspection",
}  # fmt: skip
_CLAUSE_VERBS = {
    "start", "started", "starting", "continue", "continued", "recheck", "check", "checked", "follow", "return",
    "schedule", "order", "ordered", "obtain", "repeat", "add", "added", "increase", "increased", "decrease",
    "decreased", "stop", "stopped", "restart", "begin", "discontinue", "discontinued", "hold", "resume",
    "switch", "switched", "change", "refill", "prescribe", "prescribed", "give", "use", "take", "takes",
}  # fmt: skip
_NEG_WINDOW = 6
_MAX_PHRASE = 6
