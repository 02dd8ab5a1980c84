"""What the bridge itself says (everything else comes from Rasa). Plain Dutch, "u" for parents.

The retention period is the retention settings' own (LANS_RETENTION_CHAT_DAYS, one source).
"""

from __future__ import annotations

from bot.retention.defaults import chat_days_from_env

CHAT_DAYS = f"{chat_days_from_env():g}"

HELP_LINES = (
    "Bent u of is uw kind in gevaar? Bel 112.\n"
    "Denkt iemand aan zelfdoding? Bel 113 of gratis 0800-0113 (dag en nacht), of chat op 113.nl.\n"
    "Voor kinderen en jongeren: de Kindertelefoon, gratis 0800-0432.\n"
    "Zorgen over geweld thuis: Veilig Thuis, gratis 0800-2000."
)

HELP = (
    "Ik ben de chatbot van De Berkenschutse. Ik ben een computerprogramma, geen mens en geen "
    "therapeut.\n\n"
    "Ik vertel over schoolweigering en over LANS. U kunt een korte check doen en uw kind "
    "aanmelden. Typ gewoon uw vraag, of tik op een knop.\n\n"
    "/start - opnieuw beginnen met een groet\n"
    "/privacy - wat er met uw gegevens gebeurt\n"
    "/stop - het gesprek stoppen en wissen\n"
    "/help - deze uitleg\n\n" + HELP_LINES
)

PRIVACY = (
    "Uw privacy:\n"
    "- De assistent krijgt niet uw Telegram-naam, gebruikersnaam of nummer. Hij ziet alleen "
    "een code die daar niet naar terug te rekenen is.\n"
    "- Wat u typt, gebruikt de assistent alleen voor dit gesprek. Het wordt versleuteld "
    f"bewaard en na {CHAT_DAYS} dagen gewist. Met /stop wist u het meteen.\n"
    "- Telegram ziet uw berichten ook, zoals bij elk Telegram-gesprek.\n"
    "- Uw kind aanmelden doet u alleen als u eerst 'ja' zegt. De chatbot vertelt dan wat de "
    "school bewaart, wie het ziet en hoe lang.\n"
    "- Met uw referentienummer (bijvoorbeeld K7M-4QX) kunt u een aanmelding intrekken. "
    "De school wist dan uw gegevens meteen.\n"
    "- Niemand verkoopt uw gegevens."
)

STOPPED = (
    "Het gesprek is gestopt en gewist. De assistent weet niet meer wat u schreef. "
    "Een aanmelding die u al bevestigde, blijft bij de school (intrekken kan met uw "
    "referentienummer).\n"
    "Wilt u later verder? Stuur dan /start."
)

STOP_FAILED = (
    "Het lukt nu even niet om het gesprek te wissen. "
    "Stuur /stop over een paar minuten nog een keer."
)

ONLY_TEXT = (
    "Sorry, ik kan alleen tekst lezen. Foto's, spraakberichten en stickers begrijp ik niet. "
    "Wilt u uw vraag typen?"
)

UNKNOWN_COMMAND = "Die opdracht ken ik niet. Typ gewoon uw vraag, of stuur /help."

UNREACHABLE = (
    "Het lukt me nu even niet om te antwoorden. Dat ligt aan mij, niet aan u. Uw laatste "
    "bericht is niet verwerkt. Wilt u het over een paar minuten nog een keer sturen?\n\n"
    "Is het dringend? " + HELP_LINES
)

# Also what the user sees while an action server restarts: Rasa then answers nothing.
NO_ANSWER = (
    "Er kwam even geen antwoord. Misschien ging er iets mis. Wilt u uw bericht zo nog een keer "
    "sturen, of het anders zeggen?"
)

TOO_LONG = (
    "Uw bericht is te lang voor mij: maximaal {limit} tekens. Wilt u het korter maken, of in "
    "een paar losse berichten sturen?"
)

TOO_FAST = "U stuurt veel berichten snel na elkaar. Wacht een minuutje, dan lees ik weer mee."

OLD_BUTTON = "Deze knop werkt niet meer. Typ uw antwoord, of kies een nieuwere knop."
