"""What kind of answer a question asks for: an amount, a date, a name …

Each answer type pairs the question wording that asks for it with the pattern a supporting
sentence must contain. A yes/no question asks for no particular type.
"""

from __future__ import annotations

import re

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "january|february|march|june|july|august|october"
)

# Expected answer type -> (question pattern, pattern a supporting sentence must contain)
# A name: 'NZa', 'IGJ', or a capitalised word within a sentence ('het Zorginstituut'). Not
# the law and agreement abbreviations a question is about, unless they name parties
# ('IZA-partijen'); not a thing named after one ('NZa-beleidsregel', 'WIz-zorg'); and not a
# law ('Wet …', 'Jeugdwet'): a law is no organisation.
_NAME = (
    r"\b(?!(?:Zvw|Wlz|WIz|Wmg|Wmo|Wpg|Jw|IZA|MBI|DOS)\b(?!-(?:partij|organisatie|instelling)))"
    r"(?![A-Z]\w*wet\b|Wet\b)"
    r"([A-Z][a-z]*[A-Z]\w*|[A-Z]{2,}\w*|(?<=[a-z,;] )[A-Z][a-z]{2,}(?:[- ][A-Z][a-z]+)*)"
    r"(?:-(?:partij|organisatie|instelling)\w*)?\b(?!-[a-z])"
)
# Who acts: the public bodies and roles of this domain, or a name
_AGENT = re.compile(
    r"\b(NZa|Zorginstituut|minister\w*|CIZ|IGJ|Autoriteit\w*|zorgverzeker\w+|"
    r"zorgkanto\w+|gemeente\w*|ministerie|Kamer|kabinet|staatssecretaris|"
    r"brancheorganisatie\w*|zorgaanbieder\w*|veldpartij\w*|werkgroep)\b|" + _NAME
)

ANSWER_TYPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "amount": (
        re.compile(
            r"\b(bedrag\w*|euro'?s?|how much money|amount|budget van hoeveel)\b"
            # what something costs: 'Wat kost …', 'Hoe hoog is het tarief …', 'How much … cost'
            r"|\b(wat|hoeveel) (kost|kosten|kostte|kostten)\b|\bhoe duur\b"
            r"|\bhoe (hoog|groot)\b[^?]*?(tarie[fv]|bedrag|budget|vergoeding|prijs|prijzen|"
            r"kosten|premie|eigen risico|uitgaven)"
            r"|\bhow much\b[^?]*\b(cost|costs|spend|spent|pay|paid|budget)\b"
            r"|\bwhat (does|do|will|would)\b[^?]*\bcost\b"
            r"|\bhow (high|large|big)\b[^?]*\b(tariff|rate|fee|price|budget|deductible|premium)",
            re.I,
        ),
        re.compile(
            r"€\s*\d|\b\d+([.,]\d+)?\s*(euro|miljoen|miljard|mln|mld)\b"
            # nothing to pay is an amount too: 'geen eigen risico', 'kosteloos'
            r"|\b(kosteloos|gratis|free of charge)\b|\bgeen (eigen risico|eigen bijdrage|kosten)\b",
            re.I,
        ),
    ),
    "date": (
        re.compile(r"\b(op welke datum|welke datum|on what date|which date|exact date)\b", re.I),
        re.compile(
            rf"\b\d{{1,2}}\s+({_MONTHS})(\s+(19|20)\d{{2}})?\b|\b\d{{1,2}}-\d{{1,2}}-\d{{4}}\b",
            re.I,
        ),
    ),
    "time": (
        # not 'Wanneer mag/vindt/geldt …': that asks in which case, not at what time
        re.compile(
            r"\b(wanneer|vanaf wanneer|per wanneer|when|from when|by when)\b"
            r"(?!\s+(mag|mogen|moet|moeten|vindt|vinden|geldt|gelden|valt|vallen|is er sprake|"
            r"may|must|should)\b)"
            r"|\b(in )?welk jaar\b|\b(in )?(which|what) year\b",
            re.I,
        ),
        # a whole date is one expression: '4 oktober 2023', 'mei 2021', not 'oktober, 2023'
        re.compile(
            rf"\b(\d{{1,2}}\s+)?({_MONTHS})(\s+(19|20)\d{{2}})?\b|\b(19|20)\d{{2}}\b"
            r"|\b(jaar|jaren|maanden|years?)\b",
            re.I,
        ),
    ),
    "duration": (
        re.compile(r"\b(hoe ?lang|how long|voor hoeveel tijd)\b", re.I),
        re.compile(
            r"\b(\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|"
            r"one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+"
            r"(jaar|jaren|maanden|maand|weken|week|dagen|dag|years?|months?|weeks?|days?)\b",
            re.I,
        ),
    ),
    "frequency": (
        re.compile(r"\b(hoe vaak|hoe dikwijls|how often|how frequently)\b", re.I),
        re.compile(
            r"\b(jaarlijks\w*|maandelijks\w*|wekelijks\w*|tweejaarlijks\w*|periodiek\w*|"
            r"eenmalig\w*|(elk|ieder|per|eens per|één keer per|een keer per) (jaar|maand|week|"
            r"kwartaal)|\w+ keer|annual\w*|yearly|monthly|weekly|once|twice|every \w+)\b",
            re.I,
        ),
    ),
    "article": (
        re.compile(
            r"\b(welk(e)? (wets)?artikel\w*|op grond van welk (wets)?artikel|"
            r"which (article|section|legal basis)|what legal basis)\b",
            re.I,
        ),
        re.compile(r"\b(artikel|art\.|article)\s+\d+(\.\d+)*[a-z]?\b", re.I),
    ),
    "share": (
        re.compile(
            r"\b(welk percentage|welk deel|hoeveel procent|what share|what percentage|"
            r"what proportion|which share)\b",
            re.I,
        ),
        re.compile(
            r"\d+([.,]\d+)?\s*(%|procent|percent)|\b(helft|derde|kwart|half|third|quarter)\b",
            re.I,
        ),
    ),
    "count": (
        re.compile(r"\b(hoeveel(?! procent)|how many)\b", re.I),
        re.compile(r"\b\d+([.,]\d+)?\s*(%|procent|percent)?|\b(twee|drie|vier|vijf|tien)\b", re.I),
    ),
    "agent": (
        re.compile(r"^(wie|who)\b|\b(wie|who) (is|zijn|stelt|werkt|voert|beslist|decides)\b", re.I),
        _AGENT,
    ),
    "name": (
        re.compile(
            r"\b(welke?|which)\s+(\w+(?:\s+|-))?(organisaties?|brancheorganisaties?|instanties?|"
            r"zorgverzekeraars?|verzekeraars?|ziekenhuis|ziekenhuizen|regio'?s?|"
            r"organi[sz]ations?|authority|authorities|body|bodies|hospitals?|insurers?|"
            r"regions?|gemeenten?|municipalit(y|ies))(?!\w)",
            re.I,
        ),
        re.compile(_NAME),
    ),
    # 'Welke partijen …' is answered by a role ('zorgverzekeraars en zorgaanbieders') as
    # much as by a name ('het Zorginstituut')
    "party": (
        re.compile(r"\b(welke?|which)\s+(\w+(?:\s+|-))?(partij\w*|party|parties)(?!\w)", re.I),
        _AGENT,
    ),
}
# The types that ask which organisation: the name (or role) must stand where the question's
# event is, not anywhere in the passages (`_name_share`)
WHICH_ORGANISATION = ("name", "party")

# A question that opens with one of these asks yes or no ('Mag het zorgkantoor met welk
# bedrag ...' is about whether, not how much): it expects no particular answer type.
_YES_NO = re.compile(
    r"^(mag|mogen|kan|kunnen|moet|moeten|is|zijn|geldt|gelden|valt|vallen|gaat|wordt|worden|"
    r"heeft|hebben|verandert|veranderen|zal|zullen|blijft|does|do|can|is|are|must|may|will|"
    r"should|has|have)\b",
    re.I,
)


def asks_yes_no(question: str) -> bool:
    return bool(_YES_NO.match(question.strip()))


def expected_types(question: str) -> list[str]:
    text = question.strip()
    if asks_yes_no(text):
        return []
    found = [name for name, (asks, _) in ANSWER_TYPES.items() if asks.search(text)]
    if "date" in found and "time" in found:
        found.remove("time")
    if "agent" in found and set(WHICH_ORGANISATION) & set(found):
        found.remove("agent")
    if "amount" in found and "count" in found:  # 'Hoeveel kost …' asks an amount
        found.remove("count")
    return found
