import pytest

from bot.nlu.crisis_rules import (
    ABUSE,
    DANGER,
    MEDICAL,
    MISSING,
    SELF_HARM,
    SUICIDE,
    THREAT,
    CrisisRules,
)


@pytest.fixture(scope="module")
def rules(nlp) -> CrisisRules:
    return CrisisRules(nlp.vocab)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ik wil echt dood", SUICIDE),
        ("ik wil er nie meer zijn", SUICIDE),
        ("ik denk aan zelfmoord", SUICIDE),
        ("ik zie t nie meer zitten", SUICIDE),
        ("het hoeft voor mij niet meer", SUICIDE),
        ("iedereen is beter af zonder mij", SUICIDE),
        ("mijn zoon zei dat hij liever dood is dan naar school gaat", SUICIDE),
        ("ik heb pillen verzameld", SUICIDE),
        ("ik wil er een einde aan maken", SUICIDE),
        ("mijn dochter heeft een afscheidsbrief geschreven", SUICIDE),
        ("ik snij mezelf", SELF_HARM),
        ("ik kras in mn armen", SELF_HARM),
        ("mijn dochter doet zichzelf pijn", SELF_HARM),
        ("ik heb mezelf weer pijn gedaan", SELF_HARM),
        ("mn vader slaat me als ik nie ga", ABUSE),
        ("ik word thuis geslagen", ABUSE),
        ("wat als ik gwn van de brug spring, dan ben ik overal vanaf", SUICIDE),
        ("ik hang mezelf op als dit zo doorgaat", SUICIDE),
        ("ik verhang me", SUICIDE),
        ("ze heeft een briefje achtergelaten waarin ze afscheid neemt", SUICIDE),
        ("mn broer doet s nachts dingen met me die ik nie wil", ABUSE),
        ("mijn oom zit steeds aan me", ABUSE),
        ("ik ben er klaar mee, met alles, voorgoed", SUICIDE),
        ("ik ben alleen maar een last voor iedereen", SUICIDE),
        ("ik zie echt geen uitweg meer", SUICIDE),
        ("iedereen is beter af zonder mij", SUICIDE),
        ("ze staat op de brug en appt dat ze gaat springen", SUICIDE),
        ("ik heb pillen gepakt en ik denk erover om ze allemaal te nemen", SUICIDE),
        ("heb vannacht weer in mn bovenbeen gesneden", SELF_HARM),
        ("mijn zoon zei dat hij zichzelf iets aan wil doen", SELF_HARM),
        ("vorige week heeft hij hem geslagen", ABUSE),
        ("hij heeft hem tegen de muur gegooid", ABUSE),
        ("mn moeder is dronken en gooit met dingen", ABUSE),
        ("ik ben bang dat hij ons iets aandoet", ABUSE),
        ("mn vader heeft een mes gepakt", DANGER),
        ("ik heb een mes op mn kamer en ik denk erover om het te gebruiken", DANGER),
        ("ik spaar al weken pillen", SUICIDE),
        ("bij elke onvoldoende krijg ik klappen van mn stiefvader", ABUSE),
        ("mijn vader geeft hem vaak klappen", ABUSE),
        ("mn stiefvader slaat mn moeder en mij", ABUSE),
        ("er staat iemand met een mes voor de deur", DANGER),
        ("ik sta nu op het dak van school", SUICIDE),
        ("i want to kill myself", SUICIDE),
        ("ik zie het echt nie meer zitten", SUICIDE),
        ("ik zie het zelf echt niet meer zitten", SUICIDE),
        ("soms wil ik er echt gwn nie meer zijn", SUICIDE),
        ("kon ik maar inslapen en nooit meer wakker worden", SUICIDE),
        ("morgen ben ik er niet meer", SUICIDE),
        ("ik heb net een hele strip paracetamol ingenomen", SUICIDE),
        ("mn moeder gaat me weer slaan", ABUSE),
        ("honestly wanna die, school is hell", SUICIDE),
        ("ik wil mezelf van kant maken", SUICIDE),
        ("ik wil er een einde aan mijn leven maken", SUICIDE),
        ("mijn leven heeft voor mij geen zin meer", SUICIDE),
        ("ik heb vorig jaar een poging gedaan, nu denk ik er weer aan", SUICIDE),
        ("ik brand mezelf met een aansteker", SELF_HARM),
        ("ik vond krassen op de armen van mijn zoon", SELF_HARM),
        ("ik heb weer gekrast", SELF_HARM),
        ("ik ben verkracht", ABUSE),
        ("mijn nichtje zegt dat iemand aan haar heeft gezeten", ABUSE),
        ("dan krijg ik klappen van mn vader", ABUSE),
        ("mn moeder ligt op de vloer en reageert niet", DANGER),
        ("hij dreigt me neer te steken", DANGER),
        # Places and means without a word about death.
        ("ik zit nu boven op de parkeergarage", SUICIDE),
        ("hij staat al een uur bij het spoor", SUICIDE),
        ("ze heeft 30 oxazepam geslikt", SUICIDE),
        ("ik heb een touw gekocht en op zolder gelegd", SUICIDE),
        ("ik spaar al weken mn slaappillen op", SUICIDE),
        # Farewell and missing.
        ("ze nam op insta afscheid van iedereen", SUICIDE),
        ("zorg goed voor mn kat als ik er niet meer ben", SUICIDE),
        ("onze zoon is sinds vannacht vermist", MISSING),
        ("mijn dochter is niet thuisgekomen en neemt niet op", MISSING),
        # Self-harm going on.
        ("ze heeft haar armen opengehaald met een scheermesje", SELF_HARM),
        ("er zit bloed op haar handdoeken en mouwen", SELF_HARM),
        # Violence that just happened, sexual abuse.
        ("de politie is net weg, mijn man had me geslagen", ABUSE),
        ("hij raakt me steeds aan", ABUSE),
        ("een man chanteert me met foto's", ABUSE),
        # Medical emergencies.
        ("mn broertje ademt niet", MEDICAL),
        ("hij is in elkaar gezakt in de badkamer", MEDICAL),
        ("ze heeft bleekwater gedronken", MEDICAL),
        ("ik denk dat hij een overdosis heeft", MEDICAL),
        # Threats to others.
        ("hij wil iemand van school neersteken", THREAT),
        ("er zit een mes in zijn rugzak voor morgen", THREAT),
        # Wishing not to be there, without a word about death.
        ("elke nacht hoop ik dat ik morgen niet wakker word", SUICIDE),
        ("als die bus me schept vind ik dat eerlijk gezegd prima", SUICIDE),
        ("ik wil gewoon verdampen in het niets", SUICIDE),
        ("in de brief staat waar ze me kunnen vinden", SUICIDE),
        ("hij kneep mijn zusje haar keel dicht", ABUSE),
        ("gisteren heb ik weer een peuk uitgedrukt op mijn been", SELF_HARM),
        ("ik vond onder zijn matras een doosje met scheermesjes", DANGER),
        ("ik wil gewoon uit, zonder herstart", SUICIDE),
        # Touching under clothes; looking up how to die; English about someone else.
        ("de trainer zit na de training aan mijn broek", ABUSE),
        ("haar oom kwam 's nachts onder haar pyjama zitten", ABUSE),
        ("een volwassen man op snapchat vraagt steeds om pics van haar lichaam", ABUSE),
        ("ik zag dat hij had gezocht hoe lang duurt ophangen", SUICIDE),
        ("welke flat in Helmond is het hoogste, vroeg ze ineens", SUICIDE),
        ("my daughter told her teacher she wants to hurt herself", SUICIDE),
        # Passive voice in a subordinate clause; violence named as a trait; English wishes.
        ("de mentor zegt dat hij door zijn oom mishandeld werd", ABUSE),
        ("mijn vriend is soms gewelddadig tegen mijn zoon als ik werk", ABUSE),
        ("honestly i dont wanna live anymore", SUICIDE),
        ("sometimes i think they would be better off without me", SUICIDE),
    ],
)
def test_crisis_language_is_flagged_with_its_kind(rules, nlp, text, kind):
    signal = rules.detect(nlp(text))
    assert signal is not None and signal.kind == kind
    assert text[signal.start : signal.end] == signal.text


@pytest.mark.parametrize(
    "text",
    [
        "ik ga dood van verveling",
        "ik ga dood van de hitte in dat lokaal",
        "ik schaam me dood",
        "ik lach me dood om die video",
        "ik ben doodmoe",
        "ik kan hem wel vermoorden haha",
        "ik kan mezelf wel slaan dat ik dat vergat",
        "mijn opa is dood gegaan",
        "mijn dochter heeft elke maandag buikpijn",
        "ik wil niet naar school",
        "ze slaan me op school",
        "hij kreeg een klap van een jongen uit zijn klas",
        "we hebben vandaag afscheid genomen van de juf",
        "school heeft voor mij geen zin meer",
        "mag hij een mes meenemen voor de kookles",
        "welke pillen mag mijn dochter nemen tegen hoofdpijn",
        "ik ben klaar met school voor vandaag",
        "we springen op de trampoline in de tuin",
        "het zit me dwars dat ze niet gaat",
        "mn moeder vermoordt me als ze dat cijfer ziet haha",
        "kan ik er zelf iets aan doen",
        "is er iets aan te doen?",
        "hij heeft een poging gedaan om weer naar school te gaan",
        "hij ligt op de grond te huilen als hij naar school moet",
        "het hoeft niet meer, u mag de aanmelding stoppen",
        "mijn zoon krijgt klappen op school",
        "ik voel me opgesloten in die klas",
        "ik hoop dat de klachten verdwijnen en voor altijd wegblijven",
        "mijn zoon reageert niet op mijn berichten",
        "ze heeft blauwe plekken van het voetballen",
        "mijn moeder vermoordt me als ik weer te laat thuis ben",
        "ik sterf van de honger",
        "mijn zoon is 's ochtends niet wakker te krijgen",
        "de buikpijn is weg na een uur",
        "ik ga mijn huiswerk afmaken",
        "ik sta elke ochtend op het perron te wachten op de trein",
        "we namen afscheid van de basisschool",
        "ik verzamel strips",
        "ik wil het laatste bericht van de mentor nog eens lezen",
        "in de game schiet je iedereen neer",
        "ik krijg geen lucht als ik aan school denk",
        "mijn keel gaat dicht als ik voor de klas sta",
        "ik maak mijn broertje af als hij nog een keer mijn oplader pakt, zo irritant",
        "die wiskundetoets was een aanslag op mijn hersenen",
        "wie dat rooster heeft bedacht wil gewoon dat we sterven",
        "met een schilmesje in mijn duim gesneden bij het koken",
        "we krijgen hem met geen stok uit bed. krijgen we een boete?",
        # A single word in quotes is mentioned, not used.
        "mijn neef zegt dat zijn vader hem 'vermoordt' als hij zakt",
        "wat betekent 'unalive' eigenlijk?",
        "als die docent nog een keer over mijn schrift begint ontplof ik",
        # Idioms, a referral no longer needed, a lyric, a lesson, something long ago.
        "ugh kill me now, nog drie uur scheikunde",
        "mijn baas hangt me op aan de hoogste boom als dit rapport te laat is",
        "we hadden een afspraak bij lans maar het hoeft niet meer, ze gaat weer",
        "ik moet me doodschamen als mijn moeder weer komt zingen bij het hek",
        "in die songtekst gaat het over iemand neerschieten, mag dat op de radio?",
        "na de gastles over zelfdoding had ze veel vragen, hoe leg ik dat uit?",
        "mijn opa is drie jaar geleden overleden door zelfdoding, nu vraagt mijn zoon ernaar",
    ],
)
def test_hyperbole_and_everyday_messages_are_not_flagged(rules, nlp, text):
    assert rules.detect(nlp(text)) is None


@pytest.mark.parametrize(
    "text",
    [
        "ik kan mijn dochter al de hele dag niet bereiken",
        "hij heeft al zijn knuffels weggegeven",
        "moet ik een ambulance bellen",
        "ik heb nergens meer zin in",
    ],
)
def test_worrying_words_are_a_concern_not_a_crisis(rules, nlp, text):
    doc = nlp(text)
    assert rules.detect(doc) is None
    assert rules.concern(doc)


@pytest.mark.parametrize(
    ("text", "figurative"),
    [
        ("ik ga dood van de stress", True),
        ("in het boek springt ze van een brug", True),
        ("lol ik ben dead", True),
        ("ik wil niet meer leven", False),
        ("wat betekent 'unalive' eigenlijk?", True),
        ("ze appte 'ik wil niet meer leven'", False),
        # Sad but safe, said so: a classifier's guess gives the calm line.
        ("ik voel me zo alleen, maar mijn zus helpt wel", True),
        ("vandaag was echt kut maar morgen beter", True),
    ],
)
def test_figures_of_speech_and_stories_are_recognised(rules, nlp, text, figurative):
    assert rules.figurative(nlp(text)) is figurative
