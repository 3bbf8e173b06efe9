"""Issue 24, item 3: the keyword screen refuses every wording of "no bots / no AI / humans only" the issue found let
through (and paraphrases of our own, in English and the main European languages), and no longer refuses rules that
welcome bots or mention the moderators' AutoModerator. A rule missed here risks a ban."""

import pytest

from helpers.reddit import preflight
from helpers.reddit.bot_rules import bot_rule, bot_word

FOUND_REFUSE = ["Comments must be written by a human.", "Keine KI-generierten Kommentare.", "No A.I. content.",
                "No chatbots.", "No AIs allowed", "No computer-generated comments", "Written by humans only.",
                "Claude or Gemini replies are removed"]
FOUND_ALLOW = ["Bots are welcome if they are helpful.", "Our AutoModerator bot removes reposts."]
MORE_REFUSE = [
    "No bots", "No AI-generated content", "No A.I content", "No AI’s, please", "no machine generated text",
    "No ChatGPT answers", "No LLM output", "Posting with Copilot is banned", "Human-written posts only",
    "No automated accounts", "Answers produced by Llama or DeepSeek are removed", "GPT-4 answers get you banned",
    "Only content made by real people", "Bots are welcome only with mod approval", "Bots are not welcome",
    "No generative tools", "Don't post anything an artificial intelligence wrote",
    # German
    "Keine Bots", "Kommentare müssen von Menschen verfasst werden", "Keine Inhalte von künstlicher Intelligenz",
    "Maschinell erstellte Antworten werden gelöscht", "Keine K.I.-Texte",
    "Automatisch generierte Beiträge sind verboten",
    # French
    "Pas de contenu généré par IA.", "Les commentaires doivent être écrits par des humains.",
    "Aucun contenu d'intelligence artificielle", "Les réponses générées automatiquement seront supprimées",
    "Pas de bots",
    # Spanish
    "Prohibido el contenido generado por inteligencia artificial.", "Los comentarios deben ser escritos por personas",
    "Nada de respuestas de I.A.", "Contenido generado automáticamente será eliminado",
    # Italian
    "Niente contenuti generati da IA", "I commenti devono essere scritti da persone",
    "Vietata l'intelligenza artificiale",
    # Portuguese
    "Proibido conteúdo gerado por IA", "Os comentários devem ser escritos por pessoas",
    "Nada de inteligência artificial",
    # Dutch
    "Geen door AI gegenereerde reacties", "Reacties moeten door mensen geschreven zijn",
    "Geen kunstmatige intelligentie", "Automatisch gegenereerde berichten worden verwijderd",
]
MORE_ALLOW = [
    "Be civil", "No spoilers without tags", "No self-promotion", "AutoMod will remove posts without flair.",
    "Posts are automatically removed if your account is new.", "Helpful bots are welcome.", "Bots welcome!",
    "Moderators may remove any post.", "Be kind to beginners", "Said and done: no reposts", "Aim for quality",
    "Detailed explanations only", "Bottom line: be nice", "Botany questions go to the weekly thread",
    "Use the daily thread for recommendations", "Our automoderator removes links from new accounts",
    "Kein Spam", "Pas de spam", "Sé amable", "Nessuno spam", "Sem spam", "Geen reclame", "Italia e Spagna",
    "Maintain civility in the comments", "Explain your reasoning",
]


@pytest.mark.parametrize("text", FOUND_REFUSE + MORE_REFUSE)
def test_every_wording_about_bots_ai_or_human_written_text_is_refused(text):
    assert bot_word(text), text
    assert bot_rule([{"short_name": "Rule 3", "description": text}])[0] == "Rule 3"


@pytest.mark.parametrize("text", FOUND_ALLOW + MORE_ALLOW)
def test_rules_that_welcome_bots_or_name_automoderator_are_not_refused(text):
    assert bot_word(text) is None, (text, bot_word(text))


def test_one_bot_rule_among_allowances_is_still_found():
    rules = [{"short_name": "Bots are welcome if they are helpful."},
             {"short_name": "Our AutoModerator bot removes reposts."},
             {"short_name": "Be nice", "description": "No A.I. replies."}]
    assert bot_rule(rules) == ("Be nice", "ai")


def test_the_preflight_refuses_a_subreddit_with_a_found_wording(reddit, server):
    server.state.communities.set_subreddit("writingclub", rules=[{"short_name": "Written by humans only."}])
    server.state.communities.set_subreddit("helpfulbots", rules=[{"short_name": "Bots are welcome if they are "
                                                                                "helpful."}])
    v = preflight.preflight(reddit, ["writingclub", "helpfulbots"]).table.set_index("subreddit")
    assert v.loc["writingclub", "verdict"] == "refused" and "written by humans" in v.loc["writingclub", "reason"]
    assert v.loc["helpfulbots", "verdict"] == "ok"
