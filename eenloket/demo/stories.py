"""What customers write and what the desk answers, per service, for the demo's tickets.

A few hand-written variants per service; the history picks one with its seeded random.
`tried` and `needed` fill the structured handover (overdracht) to the department.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    subjects: tuple[str, ...]
    messages: tuple[str, ...]
    resolutions: tuple[str, ...]
    tried: tuple[str, ...] = ("Kennisbank geraadpleegd; er is geen artikel dat dit oplost.",)
    needed: tuple[str, ...] = ("Graag beoordelen en de klant rechtstreeks antwoorden.",)
    asks: tuple[str, ...] = ()


STORIES: dict[str, Story] = {
    # ---- ICT ----
    "ict-wachtwoord": Story(
        subjects=(
            "Wachtwoord verlopen",
            "Account geblokkeerd na thuiswerken",
            "Kan niet inloggen op mijn laptop",
        ),
        messages=(
            "Ik heb drie keer een verkeerd wachtwoord ingevoerd en nu is mijn account "
            "geblokkeerd. Ik kan niet meer bij mijn mail en het zaaksysteem.",
            "Mijn wachtwoord is verlopen terwijl ik met vakantie was. Het wijzigen via de "
            "selfservicepagina lukt niet, ik krijg een foutmelding.",
        ),
        resolutions=(
            "Identiteit gecontroleerd met personeelsnummer en geboortedatum, account "
            "gedeblokkeerd en een tijdelijk wachtwoord ingesteld. De klant heeft het meteen "
            "gewijzigd.",
            "Wachtwoord gereset en samen met de klant een nieuw wachtwoord gekozen. Uitgelegd "
            "hoe de selfservicepagina werkt (kennisartikel KB-0012).",
        ),
    ),
    "ict-laptop-defect": Story(
        subjects=(
            "Laptop start niet meer op",
            "Beeldscherm blijft zwart",
            "Dockingstation herkent mijn laptop niet",
        ),
        messages=(
            "Sinds vanochtend start mijn laptop niet meer op. Het lampje brandt wel, maar het "
            "scherm blijft zwart. Ik heb hem al een uur aan de lader gehad.",
            "Als ik mijn laptop in het dockingstation zet, krijg ik geen beeld op de twee "
            "schermen. Losgekoppeld werkt hij wel.",
            "Er zit een barst in het scherm van mijn laptop, hij is van mijn bureau gevallen.",
        ),
        resolutions=(
            "Laptop omgewisseld voor een vervangend exemplaar; de gegevens stonden in OneDrive "
            "en zijn direct beschikbaar.",
            "Firmware van het dockingstation bijgewerkt en de beeldschermdriver opnieuw "
            "geïnstalleerd. Beide schermen werken weer.",
        ),
        tried=(
            "Harde reset gedaan (aan/uit-knop 30 seconden), andere lader geprobeerd, ander "
            "dockingstation geprobeerd. Zelfde resultaat.",
            "Stappen uit kennisartikel 'Geen beeld via dockingstation' doorlopen zonder resultaat.",
        ),
        needed=(
            "Hardware controleren en zo nodig een vervangende laptop klaarzetten.",
            "Graag op locatie kijken of omruilen; klant kan nu niet werken.",
        ),
        asks=(
            "Kunt u het inventarisnummer doorgeven? Dat staat op de sticker aan de "
            "onderkant van de laptop.",
        ),
    ),
    "ict-nieuw-account": Story(
        subjects=(
            "Account voor nieuwe collega",
            "Nieuwe medewerker per de 1e",
            "Inlog en mailadres aanvragen voor stagiair",
        ),
        messages=(
            "Volgende maand begint er een nieuwe collega bij ons team. Wilt u een account, "
            "mailadres en laptop klaarzetten?",
            "Graag een account aanmaken voor onze nieuwe stagiair, met toegang tot de "
            "teamschijf en het zaaksysteem (alleen raadplegen).",
        ),
        resolutions=(
            "Account en mailadres aangemaakt, laptop staat klaar bij de balie. Inloggegevens "
            "zijn op de eerste werkdag op te halen bij de servicedesk.",
            "Account aangemaakt met de rechten van het team; de leidinggevende heeft de "
            "rechten goedgekeurd.",
        ),
        asks=(
            "Welke rechten heeft de nieuwe collega nodig? Zijn die gelijk aan die van een "
            "teamgenoot?",
        ),
    ),
    "ict-software": Story(
        subjects=(
            "Software nodig voor kaartmateriaal",
            "Aanvraag Adobe Acrobat Pro",
            "Power BI installeren",
        ),
        messages=(
            "Voor mijn werk aan de omgevingsvisie heb ik QGIS nodig. Kan dit op mijn laptop "
            "worden geïnstalleerd?",
            "Ik moet regelmatig PDF-formulieren aanpassen en ondertekenen. Kan ik een licentie "
            "voor Acrobat Pro krijgen?",
        ),
        resolutions=(
            "Software getoetst en via het softwarecentrum beschikbaar gesteld. De klant kan het "
            "zelf installeren.",
            "Licentie toegekend en het pakket op afstand geïnstalleerd.",
        ),
        tried=("Gekeken of het pakket al in het softwarecentrum staat: nee.",),
        needed=("Licentie en veiligheid toetsen en het pakket beschikbaar stellen.",),
        asks=("Heeft uw leidinggevende ingestemd met de licentiekosten?",),
    ),
    "ict-storing-applicatie": Story(
        subjects=(
            "Zaaksysteem geeft foutmelding bij opslaan",
            "Burgerzaken reageert niet",
            "Financieel systeem erg traag",
        ),
        messages=(
            "Bij het opslaan van een zaak krijg ik 'Er is een onverwachte fout opgetreden'. "
            "Mijn collega's hebben hetzelfde. We kunnen geen zaken afhandelen.",
            "Aan de balie Burgerzaken loopt de applicatie vast bij het aanvragen van een "
            "paspoort. Er staan klanten te wachten.",
            "Het financiële systeem is sinds vanochtend extreem traag; een factuur openen duurt "
            "minuten.",
        ),
        resolutions=(
            "Een certificaat op de applicatieserver was verlopen en is vernieuwd. De applicatie "
            "werkt weer; gebruikers hoeven niets te doen.",
            "De leverancier heeft een fout in de laatste update hersteld. Getest met de klant: "
            "opslaan werkt weer.",
        ),
        tried=(
            "Melding gecontroleerd bij twee andere gebruikers: zij hebben hetzelfde. Browser-"
            "cache geleegd en opnieuw ingelogd, zonder resultaat.",
        ),
        needed=(
            "Storing onderzoeken op de applicatieserver en zo nodig de leverancier "
            "inschakelen. Meerdere afdelingen geraakt.",
        ),
    ),
    "ict-thuiswerken": Story(
        subjects=(
            "VPN maakt geen verbinding",
            "Nieuwe telefoon voor tweestapsverificatie",
            "Thuis geen toegang tot de teamschijf",
        ),
        messages=(
            "Thuis krijg ik geen verbinding met de VPN. Op kantoor werkt alles wel.",
            "Ik heb een nieuwe telefoon en krijg nu de code voor tweestapsverificatie niet "
            "meer. Hoe zet ik de app over?",
        ),
        resolutions=(
            "Samen met de klant de VPN-client opnieuw gestart en het profiel bijgewerkt. "
            "Verbinding werkt weer.",
            "Tweestapsverificatie gereset na identiteitscontrole; de klant heeft de app op de "
            "nieuwe telefoon gekoppeld (kennisartikel KB-0031).",
        ),
    ),
    "ict-printer": Story(
        subjects=(
            "Printer 3e verdieping geeft papierstoring",
            "Scannen naar e-mail werkt niet",
            "Multifunctional print alleen lege pagina's",
        ),
        messages=(
            "De printer bij de koffiehoek geeft steeds 'papierstoring lade 2', maar er zit "
            "geen papier vast.",
            "Als ik iets scan naar mijn e-mail, komt er niets binnen. Vorige week werkte het nog.",
        ),
        resolutions=(
            "Monteur van de leverancier heeft de invoerrol van lade 2 vervangen.",
            "Het scanprofiel verwees naar een oud mailadres; aangepast en getest.",
        ),
        tried=(
            "Printer uit en aan gezet, lade gecontroleerd, testpagina geprint: zelfde foutmelding.",
        ),
        needed=("Graag de leverancier inschakelen voor een monteur.",),
    ),
    "ict-mobiel": Story(
        subjects=(
            "Telefoon kwijt in de trein",
            "Zakelijke telefoon voor nieuwe functie",
            "Scherm telefoon kapot",
        ),
        messages=(
            "Ik ben mijn zakelijke telefoon gisteren in de trein verloren. Kan hij geblokkeerd "
            "worden en kan ik een vervangende krijgen?",
            "Ik word per volgende maand toezichthouder en heb voor de buitendienst een "
            "telefoon nodig.",
        ),
        resolutions=(
            "Toestel op afstand gewist en geblokkeerd. Vervangend toestel ligt klaar bij de balie.",
            "Telefoon uitgegeven en ingericht met de zakelijke apps.",
        ),
    ),
    # ---- HRM ----
    "hr-loonstrook": Story(
        subjects=(
            "Vraag over mijn loonstrook van deze maand",
            "Inhouding klopt niet",
            "Toelage onregelmatigheid niet uitbetaald",
        ),
        messages=(
            "Op mijn loonstrook van deze maand staat een inhouding die ik niet begrijp. Kunt u "
            "uitleggen waar dit voor is?",
            "Ik heb vorige maand avonddiensten gedraaid, maar de toelage staat niet op mijn "
            "loonstrook.",
        ),
        resolutions=(
            "Uitgelegd dat het de jaarlijkse inhouding voor het pensioen van het "
            "partnerpensioen betreft; dit staat ook in kennisartikel KB-0140.",
            "De toelage was te laat ingevoerd en wordt met de volgende salarisbetaling nabetaald.",
        ),
        tried=(
            "Loonstrook samen met de klant doorgenomen en de kennisbank geraadpleegd; de "
            "inhouding is niet te verklaren vanuit de standaardposten.",
        ),
        needed=("Salarisadministratie: graag de berekening controleren en de klant informeren.",),
    ),
    "hr-verlof": Story(
        subjects=(
            "Hoeveel verlof heb ik nog?",
            "Bijzonder verlof voor verhuizing",
            "Ouderschapsverlof aanvragen",
        ),
        messages=(
            "Ik zie in het personeelssysteem een ander verlofsaldo dan ik had verwacht. Hoe "
            "kan dat?",
            "Ik ga verhuizen. Heb ik recht op bijzonder verlof en hoe vraag ik dat aan?",
        ),
        resolutions=(
            "Uitgelegd dat het saldo de bovenwettelijke uren van vorig jaar apart toont. Het "
            "totaal klopt.",
            "Verwezen naar de regeling bijzonder verlof: één dag bij verhuizing, aan te vragen "
            "in het personeelssysteem onder 'Verlof'.",
        ),
    ),
    "hr-ziekmelding": Story(
        subjects=("Ziekmelding medewerker", "Herstelmelding", "Ziekmelding vanaf vandaag"),
        messages=(
            "Mijn medewerker heeft zich vanochtend ziek gemeld. Wilt u dit registreren?",
            "Mijn medewerker is per vandaag weer volledig hersteld.",
        ),
        resolutions=(
            "Ziekmelding geregistreerd; de arbodienst is automatisch geïnformeerd.",
            "Herstelmelding verwerkt in het personeelssysteem.",
        ),
    ),
    "hr-declaratie-reiskosten": Story(
        subjects=(
            "Declaratie treinreis Den Haag",
            "Parkeerkosten declareren",
            "Reiskosten cursus Utrecht",
        ),
        messages=(
            "Hierbij mijn declaratie voor de treinreis naar Den Haag voor overleg bij het "
            "ministerie. Het reisoverzicht zit in de bijlage.",
            "Ik wil parkeerkosten declareren voor een werkbezoek. Bon bijgevoegd.",
        ),
        resolutions=(
            "Declaratie goedgekeurd en verwerkt; uitbetaling met de volgende salarisbetaling.",
            "Verwerkt. Let op: parkeerkosten zonder bon kunnen we niet vergoeden.",
        ),
        asks=("De bon ontbreekt nog. Kunt u die als bijlage toevoegen?",),
    ),
    "hr-arbeidsvoorwaarden": Story(
        subjects=(
            "IKB inzetten voor een fiets",
            "Vraag over pensioen bij deeltijd",
            "Reiskostenvergoeding bij thuiswerken",
        ),
        messages=(
            "Kan ik mijn individueel keuzebudget gebruiken voor een fiets van de zaak?",
            "Wat betekent het voor mijn pensioen als ik minder ga werken?",
        ),
        resolutions=(
            "Uitgelegd hoe het IKB voor de fietsregeling werkt; aanvraagformulier gestuurd.",
            "Verwezen naar de pensioenplanner van het ABP en een gesprek met de HR-adviseur "
            "ingepland.",
        ),
        tried=(
            "Algemene uitleg gegeven uit de kennisbank; de klant heeft een persoonlijke situatie.",
        ),
        needed=("HR-adviseur: graag persoonlijk advies geven.",),
    ),
    "hr-indiensttreding": Story(
        subjects=(
            "Indiensttreding nieuwe klantmanager",
            "Nieuwe medewerker vergunningen",
            "Contract nieuwe collega",
        ),
        messages=(
            "Per volgende maand start een nieuwe collega in ons team. Graag contract en "
            "salaris regelen.",
            "De sollicitatieprocedure is afgerond. Wilt u de indiensttreding in gang zetten?",
        ),
        resolutions=(
            "Contract opgesteld en verstuurd; de medewerker is ingevoerd in het personeelssysteem.",
            "Indiensttreding verwerkt; ICT en Facilitaire Zaken zijn geïnformeerd voor "
            "account en pas.",
        ),
        asks=("In welke salarisschaal wordt de medewerker ingeschaald?",),
    ),
    "hr-werkgeversverklaring": Story(
        subjects=("Werkgeversverklaring voor hypotheek", "Verklaring voor huurwoning"),
        messages=(
            "Wij kopen een huis en de hypotheekadviseur vraagt om een werkgeversverklaring.",
            "Voor een huurwoning heb ik een werkgeversverklaring nodig.",
        ),
        resolutions=("Werkgeversverklaring opgesteld, ondertekend en naar de klant gemaild.",),
    ),
    # ---- Financiën ----
    "fin-factuur-status": Story(
        subjects=(
            "Factuur nog niet betaald",
            "Status factuur leverancier",
            "Leverancier belt over openstaande factuur",
        ),
        messages=(
            "Een leverancier belde dat zijn factuur van twee maanden geleden nog niet betaald "
            "is. Kunt u nagaan wat de status is?",
            "Is deze factuur al goedgekeurd? Ik zie hem niet in mijn werkbak.",
        ),
        resolutions=(
            "De factuur lag bij de verkeerde budgethouder. Doorgezet en inmiddels betaald.",
            "Factuur is gisteren betaald; de leverancier is geïnformeerd.",
        ),
        tried=("Factuur opgezocht: staat op 'in behandeling', geen budgethouder zichtbaar.",),
        needed=("Crediteurenadministratie: graag nagaan waar de factuur blijft.",),
    ),
    "fin-crediteur": Story(
        subjects=("Nieuwe leverancier aanmaken", "Crediteur vastleggen voor opdracht"),
        messages=(
            "We gaan een opdracht verstrekken aan een nieuwe leverancier. Wilt u deze "
            "aanmaken als crediteur?",
        ),
        resolutions=("Crediteur aangemaakt na controle van KvK en IBAN.",),
        asks=(
            "Het IBAN komt niet overeen met de naam in het KvK-uittreksel. Kunt u dit "
            "navragen bij de leverancier?",
        ),
    ),
    "fin-budget": Story(
        subjects=("Uitputting budget klopt niet", "Vraag over maandrapportage"),
        messages=(
            "In de maandrapportage staat mijn budget op 110 procent, maar volgens mij zijn er "
            "boekingen op de verkeerde kostenplaats gedaan.",
            "Kunt u uitleggen hoe de verplichtingen in de rapportage worden meegeteld?",
        ),
        resolutions=(
            "Twee boekingen stonden op de verkeerde kostenplaats; gecorrigeerd in de "
            "administratie.",
            "Uitleg gegeven over verplichtingen en realisatie in de rapportage.",
        ),
        tried=("Rapportage bekeken met de klant; de afwijking is niet te verklaren.",),
        needed=("Controller: graag de boekingen op de kostenplaats nalopen.",),
    ),
    "fin-debiteur": Story(
        subjects=("Betalingsregeling voor huurder", "Aanmaning terwijl al betaald"),
        messages=(
            "Een huurder van een gemeentelijk pand vraagt om een betalingsregeling.",
            "Een vereniging heeft een aanmaning gekregen, maar zegt al betaald te hebben.",
        ),
        resolutions=(
            "Betalingsregeling in zes termijnen vastgelegd en bevestigd.",
            "Betaling was op een verkeerde factuur geboekt; gecorrigeerd en aanmaning ingetrokken.",
        ),
        tried=("Debiteur opgezocht: er staat één vordering open.",),
        needed=("Debiteurenadministratie: graag beoordelen en contact opnemen.",),
    ),
    "fin-kostenplaats": Story(
        subjects=("Nieuwe kostenplaats voor project", "Boeking op verkeerde kostenplaats"),
        messages=(
            "Voor het nieuwe project wijkvernieuwing hebben we een eigen kostenplaats nodig.",
        ),
        resolutions=("Kostenplaats aangemaakt en gekoppeld aan de budgethouder.",),
    ),
    "fin-toegang": Story(
        subjects=("Toegang financieel systeem", "Rol budgethouder aanvragen"),
        messages=(
            "Ik ben per deze maand budgethouder en heb toegang nodig tot het financiële systeem.",
        ),
        resolutions=("Rol toegekend na goedkeuring door het hoofd van de afdeling.",),
    ),
    # ---- Inkoop ----
    "ink-advies": Story(
        subjects=(
            "Inkoopadvies onderhoud speeltoestellen",
            "Inhuur projectleider",
            "Welke procedure voor nieuwe software?",
        ),
        messages=(
            "We willen het onderhoud van de speeltoestellen opnieuw inkopen. Welke procedure "
            "moeten we volgen?",
            "Wij willen een projectleider inhuren voor een jaar. Kan dat via de raamovereenkomst?",
        ),
        resolutions=(
            "Advies gegeven: meervoudig onderhandse procedure met drie offertes. Sjablonen "
            "zijn gestuurd.",
            "Inhuur kan via de raamovereenkomst; de aanvraag is uitgezet bij de leveranciers.",
        ),
    ),
    "ink-contract": Story(
        subjects=("Mag ik bij deze leverancier bestellen?", "Loopt het contract nog?"),
        messages=(
            "Mag ik koffiebekers bestellen bij een andere leverancier dan de gecontracteerde?",
            "Wanneer loopt de raamovereenkomst voor schoonmaak af?",
        ),
        resolutions=(
            "Nee: er is een raamovereenkomst, bestellen via de webshop.",
            "De overeenkomst loopt tot eind volgend jaar, met een optie tot verlenging.",
        ),
        tried=("Contractenregister geraadpleegd; de einddatum is niet ingevuld.",),
        needed=("Contractmanager: graag de looptijd bevestigen.",),
    ),
    "ink-webshop": Story(
        subjects=("Bestelling in webshop lukt niet", "Werkkleding bestellen"),
        messages=(
            "Ik kan in de webshop mijn bestelling niet afronden; de knop 'bestellen' blijft grijs.",
            "Hoe bestel ik werkkleding voor de buitendienst?",
        ),
        resolutions=(
            "De kostenplaats ontbrak in het profiel; ingevuld, bestelling is gelukt.",
            "Uitgelegd waar werkkleding in de webshop staat (kennisartikel KB-0210).",
        ),
    ),
    "ink-klacht-leverancier": Story(
        subjects=("Leverancier levert steeds te laat", "Klacht over catering"),
        messages=(
            "De kantoorartikelen worden al drie keer te laat geleverd. Kunt u de leverancier "
            "aanspreken?",
            "De catering bij onze raadsvergadering was niet volgens de bestelling.",
        ),
        resolutions=(
            "Leverancier aangesproken; afspraken over levertijd vastgelegd in het contractoverleg.",
        ),
        tried=("Bestelhistorie gecontroleerd: drie leveringen te laat.",),
        needed=("Contractmanager: leverancier aanspreken op de afspraken.",),
    ),
    "ink-aanbesteding": Story(
        subjects=("Europese aanbesteding afvalinzameling", "Aanbesteding nieuw zaaksysteem"),
        messages=(
            "Het contract voor afvalinzameling loopt over anderhalf jaar af. We willen de "
            "aanbesteding voorbereiden.",
        ),
        resolutions=("Aanbestedingsplan opgesteld; de marktconsultatie is gepland.",),
    ),
    # ---- Informatievoorziening ----
    "iv-rapportage": Story(
        subjects=(
            "Cijfers bijstand per kwartaal",
            "Rapportage doorlooptijden vergunningen",
            "Verzuimcijfers voor MT",
        ),
        messages=(
            "Voor de raadsinformatiebrief hebben we de aantallen bijstandsuitkeringen per "
            "kwartaal nodig over de afgelopen twee jaar.",
            "Kunnen jullie een overzicht maken van de doorlooptijden van omgevingsvergunningen?",
        ),
        resolutions=(
            "Rapportage opgesteld en gedeeld via de teamsite.",
            "Dashboard ingericht; de klant heeft leesrechten.",
        ),
    ),
    "iv-privacy": Story(
        subjects=("Inzageverzoek van een inwoner", "Mag ik deze gegevens delen?"),
        messages=(
            "Een inwoner vraagt welke gegevens wij van hem hebben. Hoe pakken we dat aan?",
            "Mag ik de adressen van deelnemers doorsturen aan de organisator van een "
            "buurtactiviteit?",
        ),
        resolutions=(
            "Privacy officer heeft het verzoek geregistreerd; termijn van één maand bewaakt.",
            "Advies: niet zonder toestemming delen. Sjabloon voor toestemming meegestuurd.",
        ),
        tried=("Kennisartikel over inzageverzoeken doorgenomen.",),
        needed=("Privacy officer: verzoek registreren en beoordelen.",),
    ),
    "iv-datalek": Story(
        subjects=("Brief naar verkeerd adres gestuurd", "Mail met BSN naar verkeerde persoon"),
        messages=(
            "Een beschikking met persoonsgegevens is naar een verkeerd adres gestuurd.",
            "Per ongeluk een Excelbestand met BSN's naar een externe partij gemaild.",
        ),
        resolutions=(
            "Datalek beoordeeld en gemeld bij de Autoriteit Persoonsgegevens; betrokkenen "
            "geïnformeerd.",
            "Ontvanger heeft bevestigd de mail te hebben verwijderd. Geregistreerd; melding bij "
            "de AP niet nodig.",
        ),
    ),
    "iv-archief": Story(
        subjects=("Bouwvergunning uit 1998 opvragen", "Dossier Voorstraat opvragen"),
        messages=(
            "Voor een handhavingszaak hebben we de bouwvergunning uit 1998 van dit adres nodig.",
            "Kunt u het dossier van dit pand uit het archief halen?",
        ),
        resolutions=("Dossier gedigitaliseerd en in het zaaksysteem bij de zaak gevoegd.",),
        tried=("Gezocht in het digitale archief: niet gevonden, waarschijnlijk alleen op papier.",),
        needed=("Archief: papieren dossier opzoeken en scannen.",),
    ),
    "iv-zaaktype": Story(
        subjects=("Nieuw zaaktype voor evenementen", "Termijn in e-formulier aanpassen"),
        messages=(
            "De termijn voor een evenementenvergunning is gewijzigd. Kan het zaaktype worden "
            "aangepast?",
        ),
        resolutions=(
            "Zaaktype aangepast en getest in de acceptatieomgeving, daarna in productie gezet.",
        ),
    ),
    # ---- Communicatie ----
    "com-website": Story(
        subjects=(
            "Fout in openingstijden op website",
            "Nieuwsbericht plaatsen",
            "Pagina afvalkalender aanpassen",
        ),
        messages=(
            "Op de website staan nog de oude openingstijden van de milieustraat.",
            "Wilt u dit nieuwsbericht over de opening van het nieuwe park plaatsen?",
        ),
        resolutions=("Tekst aangepast en gepubliceerd.", "Nieuwsbericht geplaatst."),
        tried=("Gecontroleerd: de pagina is alleen door de webredactie te wijzigen.",),
        needed=("Webredactie: tekst aanpassen en publiceren.",),
    ),
    "com-pers": Story(
        subjects=("Persvraag over woningbouw", "Journalist vraagt naar brand"),
        messages=(
            "Een journalist van de regionale krant belde met vragen over de vertraging bij "
            "het woningbouwproject. Hij wil vandaag een reactie.",
        ),
        resolutions=("Woordvoerder heeft de journalist teruggebeld en een reactie gegeven.",),
    ),
    "com-huisstijl": Story(
        subjects=("Waar vind ik het logo?", "Briefsjabloon met nieuwe adressen"),
        messages=(
            "Ik heb het logo nodig in hoge resolutie voor een presentatie.",
            "In het briefsjabloon staat nog het oude postadres.",
        ),
        resolutions=(
            "Verwezen naar de huisstijlpagina op intranet (kennisartikel KB-0302).",
            "Uitgelegd dat het nieuwe sjabloon via 'Nieuw > Sjablonen' beschikbaar is.",
        ),
    ),
    "com-social": Story(
        subjects=("Bericht over wegafsluiting", "Post over de Sportprijs"),
        messages=(
            "Kunt u een bericht plaatsen over de afsluiting van de Merwedestraat volgende week?",
        ),
        resolutions=("Bericht ingepland en geplaatst.",),
    ),
    "com-drukwerk": Story(
        subjects=("Folders voor informatieavond", "Visitekaartjes bestellen"),
        messages=("Voor de informatieavond hebben we 500 folders nodig.",),
        resolutions=("Drukwerk besteld; levering volgens planning.",),
        asks=("Is de tekst van de folder al definitief?",),
    ),
    # ---- Facilitaire Zaken ----
    "fac-toegangspas": Story(
        subjects=(
            "Toegangspas kwijt",
            "Pas werkt niet bij de achteringang",
            "Pas voor nieuwe collega",
        ),
        messages=(
            "Ik ben mijn toegangspas kwijt. Kan hij geblokkeerd worden?",
            "Mijn pas werkt niet meer bij de achteringang van het stadskantoor.",
        ),
        resolutions=(
            "Oude pas geblokkeerd; nieuwe pas is aangemaakt en opgehaald aan de balie.",
            "Rechten voor de achteringang toegevoegd.",
        ),
        tried=("Pas uitgelezen aan de balie: de rechten voor de achteringang ontbreken.",),
        needed=("Beveiliging: rechten toevoegen of nieuwe pas aanmaken.",),
    ),
    "fac-vergaderruimte": Story(
        subjects=("Vergaderruimte voor 12 personen", "Raadzaal reserveren"),
        messages=(
            "Ik zoek een vergaderruimte met beamer voor twaalf personen.",
            "Is de raadzaal beschikbaar voor een bijeenkomst met inwoners?",
        ),
        resolutions=("Ruimte gereserveerd; bevestiging staat in de agenda.",),
    ),
    "fac-storing-gebouw": Story(
        subjects=(
            "Het is veel te warm op de 4e verdieping",
            "Lift blijft hangen",
            "Lekkage in de vergaderruimte",
        ),
        messages=(
            "Het is op de vierde verdieping al dagen 27 graden. Werken is bijna niet mogelijk.",
            "De lift aan de oostzijde blijft tussen de verdiepingen hangen.",
        ),
        resolutions=(
            "Installateur heeft de klimaatregeling opnieuw ingesteld.",
            "Liftmonteur heeft de deurcontacten vervangen.",
        ),
        tried=("Gecontroleerd bij de gebouwbeheerder ter plaatse: storing bevestigd.",),
        needed=("Gebouwbeheer: installateur inschakelen.",),
    ),
    "fac-werkplek": Story(
        subjects=("Ergonomische stoel op advies bedrijfsarts", "Zit-sta-bureau aanvragen"),
        messages=("De bedrijfsarts adviseert een aangepaste stoel vanwege rugklachten.",),
        resolutions=("Stoel besteld en geleverd op de werkplek.",),
    ),
    "fac-catering": Story(
        subjects=("Lunch voor 20 personen", "Koffie en thee voor de raadscommissie"),
        messages=("Graag een lunch voor twintig personen bij de bijeenkomst.",),
        resolutions=("Catering besteld en bevestigd.",),
    ),
    "fac-post": Story(
        subjects=("Aangetekende brief zoek", "Pakket niet ontvangen"),
        messages=(
            "Er zou een aangetekende brief voor ons team zijn, maar we hebben hem niet gekregen.",
        ),
        resolutions=("De brief lag in het postvak van de afdeling ernaast; opgehaald.",),
    ),
    # ---- Juridische Zaken ----
    "jur-advies": Story(
        subjects=(
            "Advies over handhavingsbesluit",
            "Juridisch advies subsidie",
            "Vraag over grondverkoop",
        ),
        messages=(
            "Wij willen een last onder dwangsom opleggen. Kunt u meekijken naar het "
            "conceptbesluit?",
            "Mag de subsidie worden teruggevorderd als de activiteit niet is doorgegaan?",
        ),
        resolutions=(
            "Advies uitgebracht: besluit kan met twee aanpassingen worden genomen.",
            "Advies gegeven: terugvordering is mogelijk, met een hoorzitting vooraf.",
        ),
    ),
    "jur-bezwaar": Story(
        subjects=(
            "Bezwaarschrift tegen omgevingsvergunning",
            "Bezwaar tegen WOZ-beschikking",
            "Bezwaar tegen boete",
        ),
        messages=(
            "Vandaag is een bezwaarschrift binnengekomen tegen de verleende omgevingsvergunning.",
            "Een inwoner maakt bezwaar tegen de opgelegde boete.",
        ),
        resolutions=("Bezwaarschrift geregistreerd en de ontvangstbevestiging verstuurd.",),
        tried=("Bezwaarschrift gescand en gecontroleerd op handtekening en datum.",),
        needed=("Bezwaarcommissie: registreren en termijn bewaken.",),
    ),
    "jur-contracttoets": Story(
        subjects=("Samenwerkingsovereenkomst toetsen", "Huurcontract laten checken"),
        messages=("Kunt u de samenwerkingsovereenkomst met de woningcorporatie toetsen?",),
        resolutions=("Overeenkomst getoetst; opmerkingen in het concept verwerkt.",),
    ),
    "jur-aansprakelijkheid": Story(
        subjects=("Schade door losliggende stoeptegel", "Auto beschadigd door boomtak"),
        messages=(
            "Een inwoner is gevallen over een losliggende stoeptegel en stelt de gemeente "
            "aansprakelijk.",
            "Door een afgebroken tak is een geparkeerde auto beschadigd.",
        ),
        resolutions=("Claim doorgestuurd naar de verzekeraar; inwoner geïnformeerd.",),
        tried=("Claim en foto's ontvangen en gecontroleerd.",),
        needed=("Juridische Zaken: aansprakelijkheid beoordelen.",),
    ),
    "jur-woo": Story(
        subjects=("Woo-verzoek over windmolens", "Woo-verzoek communicatie evenement"),
        messages=(
            "Er is een Woo-verzoek binnengekomen over de besluitvorming rond de windmolens.",
        ),
        resolutions=("Besluit op het Woo-verzoek genomen en verzonden.",),
    ),
    "jur-klacht": Story(
        subjects=("Klacht over behandeling aan de balie", "Geen reactie op mijn vraag"),
        messages=(
            "Ik ben aan de balie onvriendelijk behandeld en wil daarover een klacht indienen.",
            "Ik heb drie weken geleden een vraag gesteld en nog steeds geen antwoord.",
        ),
        resolutions=("Klachtgesprek gevoerd; excuses aangeboden en afspraken gemaakt.",),
        tried=("Klacht aangenomen en de klant bedankt voor de melding.",),
        needed=("Klachtencoördinator: klacht behandelen binnen de termijn.",),
    ),
}

# --- generic texts -------------------------------------------------------------------------

FIRST_REPLIES = (
    "Dank voor uw melding. We gaan ermee aan de slag en laten u zo snel mogelijk weten wat "
    "we hebben gedaan.",
    "We hebben uw vraag ontvangen en in behandeling genomen.",
)
DEPARTMENT_REPLIES = (
    "Uw melding ligt nu bij onze afdeling. We bekijken het en komen bij u terug.",
    "Ik heb uw vraag opgepakt en zoek het voor u uit.",
)
ASKS = (
    "Kunt u wat meer informatie geven? Wanneer is het begonnen en krijgt u een foutmelding?",
    "Om verder te kunnen hebben we nog wat gegevens van u nodig. Kunt u die aanvullen?",
)
CUSTOMER_ANSWERS = (
    "Bedankt voor uw reactie. Hierbij de gevraagde informatie.",
    "Het begon gisteren rond het middaguur. Een foutmelding krijg ik niet.",
    "Ik heb het nagevraagd bij mijn leidinggevende; de gegevens staan hieronder.",
)
REOPEN_MESSAGES = (
    "Het probleem is helaas terug. Kunt u nog eens kijken?",
    "Dit is nog niet opgelost, ik heb nog steeds hetzelfde.",
)
NOTES = (
    "Klant telefonisch niet bereikt, voicemail ingesproken.",
    "Vergelijkbare melding vorige maand; zie oplossing daar.",
    "Afgestemd met collega; oppakken zodra de leverancier reageert.",
    "Let op: klant is vanaf volgende week twee weken afwezig.",
)
STATUS_CALLS = (
    "Klant belde over de stand van zaken. Uitgelegd dat de afdeling ermee bezig is.",
    "Klant belde: vraagt wanneer het opgelost is. Terugbelverzoek doorgegeven.",
)
RETURN_REASONS = (
    "Dit kan de eerste lijn zelf afhandelen met het kennisartikel; de oplossing staat in de "
    "kennisbank.",
    "Hoort niet bij onze afdeling; graag opnieuw beoordelen.",
)
