"""What kind of amount a number question asks for, and what kind a number in a sentence states.

"How many stores …" asks for a count, "how much was she fined" for money, "how old is he" for
an age, "what percentage …" for a share. A sentence's numbers say what they are by their
surroundings: a currency sign or word, a per cent sign, a unit of measure, a clock time, or the
shape of an age ("Jane Roe, 41, said", "a 41-year-old"). A number of the wrong kind ("$2.53" for
"how many stores") is a confident wrong answer waiting to happen; the answer model and the
answerability model weigh these kinds as features (qa.features, qa.answerability), they do not
decide alone.
"""

from __future__ import annotations

import functools
import re

AmountKind = str  # "money", "percent", "age", "measure", "time", "duration" or "count"

# Words of a question that ask for money when it asks "how much" (or names them as what it asks).
MONEY_WORDS = frozenset(
    """
    cost costs costing price priced prices pay pays paid paying spend spends spent earn earns earned earning earnings
    fine fined fines worth charge charges charged salary salaries wage wages revenue revenues profit profits
    budget money dollars fee fees owe owes owed raise raised raising donate donated bid valued value income
    loss losses debt compensation sell sells sold fetch fetched bail ransom reward tax taxes
    """.split()
)
PERCENT_WORDS = frozenset("percent percentage percentages proportion".split())
MEASURE_QUESTIONS = re.compile(r"\bhow (?:far|tall|high|wide|deep|heavy|fast|hot|cold)\b")
AGE_QUESTIONS = re.compile(r"\bhow old\b|\b(?:what|which) age\b|\bage (?:of|was|is)\b")
# "What time does the match start?", "… at what time?": a clock time. Not "during what time" (an era),
# nor "what time period / of day / frame" (the noun after "time" says what is asked).
CLOCK_QUESTIONS = re.compile(
    r"(?<!during )\bwhat time (?:do|does|did|will|would|is|was|are|were|can|could|should|shall|has|have|had)\b|\bat what time\W*$"
)

# After "what"/"which", only words that name money itself ("what did the town spend", "what is her
# salary"), not verbs that may take other objects ("what was sold", "what did they raise").
WHAT_MONEY_WORDS = frozenset(
    """
    cost costs price prices pay paid spend spent earn earned earnings fine fines salary salaries wage wages
    revenue revenues profit profits budget fee fees income loss losses debt compensation bail ransom reward
    """.split()
)
# One vocabulary of amounts, shared by the number finder (qa.extract: which words belong to a
# number's span) and by the kinds of amounts here (what a number states), so the two never disagree
# on what a unit, a currency sign or a clock time is.
TIME_UNITS = ("second", "minute", "hour", "day", "night", "week", "month", "year", "decade", "century")
TIME_UNIT_WORDS = "(?:" + "|".join("century|centuries" if unit == "century" else f"{unit}s?" for unit in TIME_UNITS) + ")"
# Units of measure kept with their number ("40 miles", "12 percent", "3.5 mL"); qa.extract matches
# them case-sensitively ("mL", "MB"), the kind of amount case-insensitively.
MEASURE_UNITS = (
    "per cent", "percent", "%", "°C", "°F", "°", "degrees", "degree",
    "square miles", "square mile", "square kilometres", "square kilometers", "square metres", "square meters",
    "square feet", "cubic metres", "cubic meters", "cubic feet", "sq mi", "km2", "km²", "km/h", "kph", "km",
    "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "mi", "metres", "meters", "metre", "meter", "m",
    "feet", "foot", "ft", "inches", "inch", "cm", "centimetres", "centimeters", "mm", "kg", "kilograms", "kilogram",
    "grams", "gram", "g", "tonnes", "tonne", "tons", "ton", "lb", "lbs", "pounds", "ounces", "ounce", "oz", "mph",
    "mL", "ml", "milliliters", "millilitres", "litres", "liters", "litre", "liter", "gallons", "gallon", "barrels",
    "acres", "acre", "hectares", "hectare", "kW", "MW", "GW", "watts", "volts", "Hz", "kHz", "MHz", "GHz", "bits",
    "bytes", "kB", "MB", "GB", "TB", "lbf", "kN", "kPa", "AU", "light-years", "gigatons", "gigatonnes", "megatons",
    "megatonnes", "pence", "cents", "knots", "knot", "ppm", "mg", "kcal", "calories", "storeys", "stories",
)  # fmt: skip
MEASURE_UNIT_PATTERN = "(?:" + "|".join(re.escape(unit) for unit in sorted(MEASURE_UNITS, key=len, reverse=True)) + r")(?![\w°/²-])"
# A currency sign right before a number ("$5", "US$5", "£85m").
CURRENCY_SIGN = r"(?:\b(?:US|A|C|NZ|HK)\$|[$£€¥₹])"
# A clock time: "10:30", "10:30 a.m.", "10am", "5 o'clock".
CLOCK = re.compile(
    r"(?<![\w:.,])\d{1,2}(?:(?::\d{2}){1,2}(?:\s?[ap]\.?\s?m\b\.?)?(?![\w:])|\s?[ap]\.?\s?m\b\.?|\s?o['’]clock\b)", re.IGNORECASE
)
_WHAT_MONEY = re.compile(r"\b(?:what|which)\b(?:\s+[\w'’]+){0,3}?\s+(?:" + "|".join(sorted(WHAT_MONEY_WORDS)) + r")\b")
_CURRENCY_SIGN = re.compile(CURRENCY_SIGN)
_CURRENCY_WORD = re.compile(
    r"\b(?:dollars?|euros?|pounds? sterling|pounds|pence|yen|yuan|renminbi|rupees?|cents?|francs?|roubles?|rubles?|pesos?|reais|lira|dinars?|rials?|shekels?)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"%|\bper ?cent\b|\bpercentage points?\b", re.IGNORECASE)
_MEASURE_UNIT = re.compile(r"^\s*(?:-\s*)?" + MEASURE_UNIT_PATTERN, re.IGNORECASE)
# "Jane Roe, 41, said" / "Jane Roe (41)" / "aged 41" / "at the age of 41" / "a 41-year-old" / "41 years old"
_NAME_COMMA = re.compile(r"[A-Z][\w'’.-]+\s*[,(]\s*$")
_AGED = re.compile(r"\b(?:aged|age|at (?:the )?age of)\s+$", re.IGNORECASE)
_AGE_AFTER_WORDS = re.compile(r"-year-old|\s+years?[ -]old\b")


@functools.lru_cache(maxsize=256)
def wanted_amount(question_text: str) -> AmountKind | None:
    """The kind of amount a question asks for, or None when it does not say."""
    lowered = question_text.lower()
    words = set(re.findall(r"[a-z]+", lowered))
    if AGE_QUESTIONS.search(lowered):
        return "age"
    if CLOCK_QUESTIONS.search(lowered):
        return "time"
    if words & PERCENT_WORDS or re.search(r"\bwhat (?:share|rate)\b", lowered):
        return "percent"
    if MEASURE_QUESTIONS.search(lowered):
        return "measure"
    after_how_many = re.search(r"\bhow many\s+(.*)", lowered)
    if after_how_many and _CURRENCY_WORD.match(after_how_many.group(1)):
        return "money"
    if after_how_many and _MEASURE_UNIT.match(" " + after_how_many.group(1)):
        return "measure"  # "how many square miles", "how many feet": a measure, not a count of things
    if re.search(r"\bhow many\s+" + TIME_UNIT_WORDS + r"\b", lowered):
        return "duration"  # "how many years did it last?": "four years", not a count of things
    if re.search(r"\bhow many\b|\b(?:population|number of|death toll)\b", lowered):
        return "count"
    if re.search(r"\bhow much\b", lowered) and words & MONEY_WORDS:
        return "money"
    if _WHAT_MONEY.search(lowered):
        return "money"  # "what price …", "what is her salary?"
    return None


def stated_amount(sentence: str, start: int, end: int) -> AmountKind:
    """The kind of amount the number at `sentence[start:end]` states, read from its surroundings."""
    text = sentence[start:end]
    before = sentence[max(0, start - 30) : start]
    after = sentence[end : end + 30]
    if _CURRENCY_SIGN.search(text) or _CURRENCY_SIGN.search(before[-4:]) or _CURRENCY_WORD.search(text) or _CURRENCY_WORD.match(after.lstrip()[:20]):
        return "money"
    if _PERCENT.search(text) or _PERCENT.match(after.lstrip()[:20]):
        return "percent"
    if CLOCK.search(text) or CLOCK.match(sentence[max(0, end - 1) : end + 8]):
        return "time"
    if _MEASURE_UNIT.match(after) or _MEASURE_UNIT.match(" " + " ".join(text.split()[1:])):
        return "measure"
    if re.fullmatch(r"\d{1,3}", text.strip()) and (
        _AGE_AFTER_WORDS.match(after) or _AGED.search(before) or (_NAME_COMMA.search(before) and re.match(r"\s*[,)]", after))
    ):
        return "age"
    if re.search(r"\b" + TIME_UNIT_WORDS + r"\b", text, re.IGNORECASE) or re.match(r"\s+(?:\w+\s+)?" + TIME_UNIT_WORDS + r"\b", after, re.IGNORECASE):
        return "duration"  # "one day after", "three full weeks"
    return "count"


def amount_agreement(wanted: AmountKind | None, stated: AmountKind) -> str | None:
    """"match", "conflict", "unmarked" (a bare count where money or a share is asked) or None when
    the question does not say what it wants."""
    if wanted is None:
        return None
    if wanted == stated:
        return "match"
    if stated == "count" and wanted in {"money", "percent", "measure", "age", "duration"}:
        return "unmarked"
    if wanted == "count" and stated == "age":
        return None  # "41" may be counted; nothing says it is wrong
    return "conflict"
