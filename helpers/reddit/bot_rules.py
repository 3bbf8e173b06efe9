"""The keyword screen over a subreddit's rules: the preflight's first pass (a person then reads the rules once, see
helpers.reddit.rules_confirm). It refuses a subreddit whose rules mention bots, automation, AI or AI assistants, or
ask for human-written text, in English and the main European languages (German, French, Spanish, Italian,
Portuguese, Dutch), and lets through the obvious allowances ("bots are welcome", the AutoModerator bot).

Why a screen and a person: a rule missed here risks a ban, and no word list catches every wording; a person's reading
catches what the list misses, and the list keeps a person's attention for the rules that matter.
"""

from __future__ import annotations

import re
import unicodedata

# Each alternative is one way a rule speaks about bots or AI; the text is normalised first (normalise()).
_TERMS = [
    # bots and automation
    r"(?:chat)?bots?", r"botting", r"bot-?(?:accounts?|comments?|kommentare?|konten|antworten|posts?)",
    r"automated", r"automation", r"auto-?generated", r"automatically generated",
    r"(?:computer|machine|software|program|algorithm)[- ]?(?:generated|written|made|created|produced)",
    # AI, in the languages' own words and abbreviations (a.i., k.i., i.a. are normalised to ai, ki, ia)
    r"ais?", r"ai's", r"ki", r"ia", r"artificial intelligence", r"künstliche\w* intelligenz",
    r"intelligence artificielle", r"inteligencia artificial", r"intelligenza artificiale", r"inteligência artificial",
    r"kunstmatige intelligentie", r"llms?", r"(?:large )?language models?", r"sprachmodell\w*", r"generative",
    r"genai",
    # named assistants and models
    r"chat-?gpt", r"gpt(?:-?\d\w*)?", r"openai", r"claude", r"gemini", r"copilot", r"llama", r"deepseek", r"mistral",
    r"midjourney", r"dall-?e",
    # human-written only
    r"human[- ](?:written|made|authored|created|generated)", r"humans? only", r"real people only",
    r"(?:written|made|created|authored) by (?:a |real |actual )?(?:humans?|people|persons?)",
    r"(?:by|from) (?:a |real |actual )?humans?",
    # German, French, Spanish, Italian, Portuguese, Dutch: machine-made text and human-written only
    r"maschinell\w*", r"automatisch (?:generiert|erstellt|erzeugt)\w*", r"von (?:einem )?menschen\w* "
    r"(?:geschrieben|verfasst)\w*", r"(?:geschrieben|verfasst) von menschen\w*",
    r"g[ée]n[ée]r[ée]e?s? (?:automatiquement|par (?:une |un )?(?:ia|machine|ordinateur|programme))",
    r"[ée]crits? par (?:des |un |une )?(?:humains?|personnes?|[êe]tres? humains?)",
    r"generad[oa]s? (?:automáticamente|automaticamente|por (?:una |un )?(?:ia|máquina|maquina|computadora|"
    r"ordenador|programa))", r"escrit[oa]s? por (?:una? )?(?:humanos?|personas?|seres humanos)",
    r"generat[oaie] (?:automaticamente|da (?:una? |un'|macchin\w+|computer|programm\w+))",
    r"scritt[oaie] da (?:esseri umani|umani|persone|una persona)",
    r"gerad[oa]s? (?:automaticamente|por (?:uma? )?(?:ia|máquina|maquina|computador|programa))",
    r"escrit[oa]s? por (?:humanos|pessoas|uma pessoa|seres humanos)",
    r"automatisch gegenereerd\w*", r"gegenereerd door", r"(?:geschreven door|door) (?:mensen|een mens)"
    r"(?: geschreven)?",
]
BOT_TERMS = re.compile(r"(?<!\w)(?:" + "|".join(_TERMS) + r")(?!\w)", re.IGNORECASE)

# Allowances: a mention of the moderators' own bot, and a sentence that welcomes bots without a condition.
MOD_BOT = re.compile(r"(?<!\w)(?:auto-?mod(?:erator)?|mod(?:erator)?|moderation)(?:'s)?(?: bots?)?(?!\w)",
                     re.IGNORECASE)
WELCOME = re.compile(r"(?<!\w)(?:(?:helpful|useful|friendly|good) )?bots? (?:are|is) (?:very |always |also )?"
                     r"(?:welcome|allowed|permitted|fine|ok(?:ay)?)(?!\w)|(?<!\w)bots? welcome(?!\w)", re.IGNORECASE)
CONDITION = re.compile(r"(?<!\w)(?:not|no|never|only|unless|except|without|but|must|approval|approved|permission|"
                       r"ban\w*|remov\w*|forbid\w*|prohibit\w*|disclos\w*)(?!\w)", re.IGNORECASE)
_DOTTED = {"a.i.": "ai", "a. i.": "ai", "k.i.": "ki", "k. i.": "ki", "i.a.": "ia", "i. a.": "ia"}


def normalise(text: str) -> str:
    """Lower case, Unicode-composed, typographic quotes and dashes plain, dotted abbreviations (A.I., K.I., I.A.)
    written as words, so that one pattern matches every spelling."""
    t = unicodedata.normalize("NFC", str(text)).lower()
    t = t.replace("\u00ad", "").replace("’", "'").replace("‘", "'").replace("‐", "-").replace("‑", "-")
    t = t.replace("–", "-").replace("—", "-")
    for dotted, word in _DOTTED.items():
        t = re.sub(r"(?<!\w)" + re.escape(dotted) + r"(?!\w)", word, t)
        t = re.sub(r"(?<!\w)" + re.escape(dotted[:-1]) + r"(?=\W|$)", word, t)  # "A.I" without its last dot
    return re.sub(r"\s+", " ", t)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


def screened(text: str) -> str:
    """The text without its allowances: mentions of the moderators' own bot, and sentences that welcome bots with
    no condition ("Bots are welcome if they are helpful."; not "Bots are welcome only with approval")."""
    keep = []
    for sentence in _sentences(normalise(text)):
        if WELCOME.search(sentence) and not CONDITION.search(sentence):
            continue
        keep.append(MOD_BOT.sub(" ", sentence))
    return " ".join(keep)


def bot_word(text: str) -> str | None:
    """The first word or phrase of ``text`` that speaks about bots, AI or human-written text (None: none)."""
    m = BOT_TERMS.search(screened(text))
    return m.group(0) if m else None


def bot_rule(rules: list[dict]) -> tuple[str, str] | None:
    """(the rule's short name, the word that matched) of the first rule about bots, automation or AI; else None."""
    for r in rules:
        text = "\n".join(str(r.get(k) or "") for k in ("short_name", "description", "violation_reason"))
        word = bot_word(text)
        if word:
            return str(r.get("short_name") or text[:60]).strip(), word
    return None
