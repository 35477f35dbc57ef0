"""Word lists the rules share: roles, occupations, charges, places, common words.

Kept apart from the rules so that a journalist can extend a list without reading a
regular expression.
"""

from __future__ import annotations

# Titles that make a person hold a role in an organisation (holdsRole), longest first in use.
ROLES = [
    "first vice president", "second vice president", "deputy prime minister", "prime minister",
    "deputy president", "acting president", "vice president", "vice-president", "president",
    "deputy secretary-general", "secretary-general", "secretary general", "deputy leader",
    "leader", "spokesperson", "spokesman", "spokeswoman", "executive director", "director",
    "chief", "head", "chairman", "chairwoman", "chair", "founder", "co-founder", "senator",
    "lawmaker", "parliamentarian", "MP", "minister", "governor", "deputy governor", "judge",
    "presiding judge", "prosecutor", "ambassador", "commander", "mayor", "councillor",
    "councilor", "treasurer", "secretary", "adviser", "advisor", "official", "coordinator",
    "representative", "commune chief", "deputy director", "PM", "organiser", "organizer",
]
# Plurals the press uses before a list of names ("KWP senators A and B").
ROLE_PLURALS = {
    "senators": "senator", "lawmakers": "lawmaker", "leaders": "leader", "officials": "official",
    "ministers": "minister", "presidents": "president", "vice presidents": "vice president",
    "deputy presidents": "deputy president", "judges": "judge", "advisers": "adviser",
    "spokespeople": "spokesperson", "spokesmen": "spokesman", "councillors": "councillor",
    "members": "member", "activists": "activist", "lawyers": "lawyer", "journalists": "journalist",
}
# Occupations (occupation predicate), with the modifiers that may precede them.
OCCUPATIONS = [
    "lawyer", "attorney", "journalist", "reporter", "editor", "activist", "advocate", "monk",
    "teacher", "farmer", "researcher", "analyst", "unionist", "union leader", "environmentalist",
    "defender", "blogger", "writer", "poet", "filmmaker", "photographer", "economist",
    "academic", "professor", "businessman", "businesswoman", "tycoon", "doctor", "student",
    "singer", "artist", "scholar", "commentator", "pastor", "priest",
]
OCCUPATION_MODIFIERS = [
    "human rights", "rights", "land", "environmental", "political", "opposition", "youth",
    "labour", "labor", "union", "freelance", "independent", "prominent", "veteran", "senior",
    "democracy", "media", "social media", "community", "student", "pro-democracy", "defence",
    "defense", "housing", "anti-corruption", "Buddhist", "women's",
]
# Lowercase words that may stand before a role and belong to it.
ROLE_MODIFIERS = [
    "ruling party", "opposition party", "opposition", "party", "provincial", "commune", "district",
    "government", "founding", "interim", "honorary", "senior", "top",
]
MINISTRY_WORDS = [
    "Interior", "Justice", "Foreign", "Information", "Defence", "Defense", "Health", "Education",
    "Finance", "Economy", "Labour", "Labor", "Environment", "Agriculture", "Commerce", "Tourism",
    "Culture", "Planning", "Commerce", "Religion", "Rural Development", "Social Affairs",
]

CHARGES = [
    "incitement to commit a felony", "incitement to cause social unrest", "incitement",
    "conspiracy to commit treason", "conspiracy", "treason", "defamation", "insulting the king",
    "insult", "lese majeste", "lèse-majesté", "lese-majeste", "forgery", "fraud", "corruption",
    "bribery", "espionage", "sedition", "terrorism", "plotting", "plot", "embezzlement",
    "money laundering", "drug trafficking", "human trafficking", "murder", "robbery", "theft",
    "extortion", "issuing bad cheques", "issuing bad checks", "bad cheques", "bad checks",
    "obstruction of justice", "obstruction", "breach of trust", "abuse of power", "rebellion",
    "insurrection", "subversion", "spying", "collusion", "attempted murder", "assault",
    "illegal logging", "land grabbing", "discrimination", "incitement to discrimination",
    "spreading fake news", "fake news", "violence", "intentional violence", "destruction of property",
    "possession of weapons", "illegal possession of weapons", "treasonous acts",
]

DEMONYMS = {
    "american": "United States", "cambodian": "Cambodia", "french": "France", "australian": "Australia",
    "canadian": "Canada", "british": "United Kingdom", "thai": "Thailand", "vietnamese": "Vietnam",
    "chinese": "China", "japanese": "Japan", "german": "Germany", "swiss": "Switzerland",
    "new zealander": "New Zealand", "korean": "South Korea", "malaysian": "Malaysia",
    "indonesian": "Indonesia", "filipino": "Philippines", "laotian": "Laos", "belgian": "Belgium",
    "dutch": "Netherlands", "swedish": "Sweden", "norwegian": "Norway", "danish": "Denmark",
}
COUNTRIES = {
    "Cambodia", "France", "United States", "the United States", "US", "U.S.", "Australia", "Canada",
    "United Kingdom", "UK", "Thailand", "Vietnam", "China", "Japan", "Germany", "Switzerland",
    "New Zealand", "South Korea", "Malaysia", "Indonesia", "Philippines", "Laos", "Belgium",
    "Netherlands", "Sweden", "Norway", "Denmark", "Singapore", "Myanmar", "India",
}

PLACES = {
    "cambodia", "phnom penh", "geneva", "siem reap", "battambang", "kampong cham", "kampong chhnang",
    "kampong speu", "kampong thom", "kampot", "kandal", "koh kong", "kratie", "mondulkiri",
    "preah vihear", "prey veng", "pursat", "ratanakiri", "stung treng", "svay rieng", "takeo",
    "oddar meanchey", "kep", "pailin", "preah sihanouk", "sihanoukville", "tboung khmum",
    "tbong khmum", "banteay meanchey", "bangkok", "hanoi", "paris", "washington", "new york",
    "tokyo", "beijing", "manila", "jakarta", "kuala lumpur", "singapore", "europe", "asia",
    "southeast asia", "united states", "america", "france", "thailand", "vietnam", "australia",
    "canada", "china", "japan", "laos", "myanmar", "mekong", "tonle sap", "angkor",
}

# Words that start sentences or title-case headlines and never make a person's name.
COMMON = set("""
the a an in on at of for and but or as by with from to this that these those it its he she they
we i you his her their our my your local rights right government leaders leader call photo prime
minister president former opposition party court prison national international human ruling
state news police king queen mr mrs ms dr most many some all no not there here when while after
before since during however meanwhile according monday tuesday wednesday thursday friday saturday
sunday january february march april may june july august september october november december
un eu asean cambodian cambodians khmer american
french chinese thai vietnamese english western foreign deputy vice chief director spokesperson
senator senators lawmaker members member activists activist lawyer journalist officials official
ministry committee council commission election elections general commune senate assembly
supreme municipal provincial appeal city district province village people workers group groups
authorities authority interior justice information defence health education union alliance
movement democracy democratic freedom free liberty independence new old first second third last
next other another one two three four five six seven eight nine ten such even also only still
just yet so if then than both either neither each every any what which who whom whose why how
where is are was were be been being has have had do does did will would can could should may
might must shall said says told asked added rights-group ngo ngos civil society press media
public private royal regime ruling-party coalition bloc camp faction wing team staff office
department agency bureau board panel unit force forces army military soldiers troops judge
judges prosecutor prosecutors trial hearing verdict ruling sentence charges charge case cases
prisoner prisoners detainee detainees inmate inmates release pardon amnesty visit visits
meeting meetings talks session conference summit forum protest protests rally rallies march
""".split())
