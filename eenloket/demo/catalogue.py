"""The demo's reference data as plain Python: organizations, departments, calendars, service
levels and the service catalogue of a Drechtsteden-like shared services center.

Everything here is fictional: email domains end in `.example`; the phone numbers only have the
shape of Dutch numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- customer organizations --------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    short_name: str
    domain: str
    phone: str
    area_code: str  # for the landlines of its people
    weight: int  # relative number of people
    prefix: str  # of employee numbers


SSC_KEY = "scd"
DORDRECHT_KEY = "dordrecht"

ORGANIZATIONS: tuple[Org, ...] = (
    Org("alblasserdam", "Gemeente Alblasserdam", "Alblasserdam", "alblasserdam.example",
        "078-6912000", "078", 8, "ALB"),
    Org(DORDRECHT_KEY, "Gemeente Dordrecht", "Dordrecht", "dordrecht.example",
        "078-7708000", "078", 40, "DOR"),
    Org("hia", "Gemeente Hendrik-Ido-Ambacht", "H.I. Ambacht", "h-i-ambacht.example",
        "078-7705500", "078", 10, "HIA"),
    Org("papendrecht", "Gemeente Papendrecht", "Papendrecht", "papendrecht.example",
        "078-7705000", "078", 12, "PAP"),
    Org("sliedrecht", "Gemeente Sliedrecht", "Sliedrecht", "sliedrecht.example",
        "0184-495900", "0184", 10, "SLI"),
    Org("zwijndrecht", "Gemeente Zwijndrecht", "Zwijndrecht", "zwijndrecht.example",
        "078-7706000", "078", 15, "ZWI"),
    Org("hardinxveld", "Gemeente Hardinxveld-Giessendam", "Hardinxveld-Giessendam",
        "hardinxveld-giessendam.example", "0184-675000", "0184", 8, "HAG"),
    Org(SSC_KEY, "Servicecentrum Drechtsteden", "SCD", "scdrechtsteden.example",
        "078-7707000", "078", 20, "SCD"),
    Org("sdd", "Sociale Dienst Drechtsteden", "SDD", "sddrechtsteden.example",
        "078-7707700", "078", 22, "SDD"),
    Org("ozhz", "Omgevingsdienst Zuid-Holland Zuid", "OZHZ", "ozhz.example",
        "078-7708100", "078", 14, "OZH"),
    Org("vrzhz", "Veiligheidsregio Zuid-Holland Zuid", "VRZHZ", "vrzhz.example",
        "078-7708200", "078", 16, "VRZ"),
)  # fmt: skip

# --- departments -------------------------------------------------------------------------

# (code, Dutch name, English name)
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("it", "ICT", "IT"),
    ("hr", "HRM", "HR"),
    ("finance", "Financiën", "Finance"),
    ("purchasing", "Inkoop", "Purchasing"),
    ("information", "Informatievoorziening", "Information services"),
    ("communication", "Communicatie", "Communication"),
    ("facility", "Facilitaire Zaken", "Facility Services"),
    ("legal", "Juridische Zaken", "Legal Affairs"),
)
DEPARTMENT_CODES = tuple(code for code, _, _ in DEPARTMENTS)
# What each department does in the customer's words: the portal's catalogue headings.
CUSTOMER_NAMES: dict[str, tuple[str, str]] = {
    "it": ("Computer, telefoon en accounts", "Computer, phone and accounts"),
    "hr": ("Personeel, salaris en verlof", "Staff, pay and leave"),
    "finance": ("Facturen, betalingen en declaraties", "Invoices, payments and expenses"),
    "purchasing": ("Inkopen en bestellen", "Buying and ordering"),
    "information": ("Gegevens, archief en rapportages", "Data, archives and reports"),
    "communication": ("Website, intranet en publicaties", "Website, intranet and publications"),
    "facility": ("Gebouw, werkplek en passen", "Building, workplace and passes"),
    "legal": ("Juridisch advies en klachten", "Legal advice and complaints"),
}

FIRST_LINE_QUEUE = ("eerstelijn", "Servicedesk (eerste lijn)")

# --- business calendars ------------------------------------------------------------------

OFFICE = "Kantoortijden"
COUNTER = "Balie"
# name -> rows of (weekday, opens "HH:MM", closes "HH:MM")
CALENDARS: dict[str, tuple[tuple[int, str, str], ...]] = {
    OFFICE: tuple((day, "08:00", "17:00") for day in range(5)),
    COUNTER: (
        *((day, "08:30", "16:30") for day in range(4)),
        (4, "08:30", "12:30"),
    ),
}
TEAM_DAY_REASON = "Teamdag servicecentrum: de servicedesk is gesloten"

# --- service levels (business minutes; a business day is 540 minutes) ----------------------

STANDARD = "Standaard"
CRITICAL = "Bedrijfskritisch"
PERSONNEL = "Personeelszaken"
FACILITY = "Balie en gebouw"
LEGAL = "Juridisch advies"

# name -> (calendar, description, {priority: (response, resolution)})
SLA_POLICIES: dict[str, tuple[str, str, dict[str, tuple[int, int]]]] = {
    STANDARD: (
        OFFICE,
        "De servicenorm voor de meeste vragen en verzoeken.",
        {"P1": (60, 480), "P2": (120, 1080), "P3": (480, 2700), "P4": (1080, 5400)},
    ),
    CRITICAL: (
        OFFICE,
        "Voor systemen en processen waar het primaire proces van de gemeenten op draait.",
        {"P1": (15, 240), "P2": (30, 540), "P3": (120, 1620), "P4": (240, 2700)},
    ),
    PERSONNEL: (
        OFFICE,
        "Voor personeelszaken: zorgvuldig, vertrouwelijk en op tijd voor de salarisrun.",
        {"P1": (120, 540), "P2": (240, 1620), "P3": (540, 2700), "P4": (1080, 5400)},
    ),
    FACILITY: (
        COUNTER,
        "Gebouw, passen en balie; gemeten in de openingstijden van de balie.",
        {"P1": (30, 240), "P2": (60, 480), "P3": (240, 1440), "P4": (480, 2880)},
    ),
    LEGAL: (
        OFFICE,
        "Juridisch advies en toetsing: grondig, met termijnen die de afdeling zelf bewaakt.",
        {"P1": (240, 1080), "P2": (540, 2700), "P3": (1080, 5400), "P4": (2160, 10800)},
    ),
}

# --- the service catalogue ---------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    key: str
    label_nl: str
    label_en: str
    type: str  # text, choice, date, number, file
    required: bool = False
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    # For text fields: answers a customer might give. For date fields: days after opening.
    samples: tuple = ()


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    department: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    kind: str  # incident, request, question, complaint
    routing: str  # first_line, first_then_department, department
    impact: str = "low"
    urgency: str = "medium"
    policy: str = STANDARD
    weight: int = 10  # how often it is asked, relative to its department's other services
    fields: tuple[FormField, ...] = field(default_factory=tuple)


FL, FTD, DEP = "first_line", "first_then_department", "department"

YES_NO = ("Ja", "Nee", "Weet ik niet")

SERVICES: tuple[ServiceSpec, ...] = (
    # ---- ICT ----------------------------------------------------------------------------
    ServiceSpec(
        "ict-wachtwoord",
        "it",
        "Wachtwoord vergeten of account geblokkeerd",
        "Forgotten password or locked account",
        "Kunt u niet inloggen omdat uw wachtwoord verlopen is of uw account is geblokkeerd? "
        "De servicedesk helpt u direct, na controle van uw identiteit.",
        "Can't log in because your password expired or your account is locked? The service "
        "desk helps you at once, after checking your identity.",
        "incident",
        FL,
        impact="low",
        urgency="high",
        weight=30,
    ),
    ServiceSpec(
        "ict-laptop-defect",
        "it",
        "Laptop of pc defect",
        "Broken laptop or PC",
        "Meld een laptop, pc, dockingstation of beeldscherm dat niet (goed) werkt.",
        "Report a laptop, PC, docking station or screen that does not work (properly).",
        "incident",
        FTD,
        impact="low",
        urgency="medium",
        weight=18,
        fields=(
            FormField(
                "apparaat",
                "Welk apparaat?",
                "Which device?",
                "choice",
                True,
                choices=("Laptop", "Pc", "Dockingstation", "Beeldscherm", "Headset"),
            ),
            FormField(
                "inventarisnummer",
                "Inventarisnummer (sticker)",
                "Asset number (sticker)",
                "text",
                samples=("SCD-L-04518", "SCD-L-03321", "SCD-M-00912", "SCD-L-05107"),
            ),
        ),
    ),
    ServiceSpec(
        "ict-nieuw-account",
        "it",
        "Nieuw account aanvragen",
        "Request a new account",
        "Vraag een netwerkaccount, e-mailadres en basiswerkplek aan voor een nieuwe collega. "
        "Doe dit minstens vijf werkdagen voor de startdatum.",
        "Request a network account, email address and standard workplace for a new colleague, "
        "at least five working days before the start date.",
        "request",
        DEP,
        impact="low",
        urgency="medium",
        weight=12,
        fields=(
            FormField(
                "naam",
                "Naam nieuwe medewerker",
                "Name of the new employee",
                "text",
                True,
                samples=(
                    "Femke de Groot",
                    "Youssef Amrani",
                    "Lotte van Dijk",
                    "Bram Hoekstra",
                    "Noor Visser",
                ),
            ),
            FormField("startdatum", "Startdatum", "Start date", "date", True, samples=(7, 10, 14)),
            FormField(
                "afdeling",
                "Afdeling",
                "Department",
                "text",
                True,
                samples=(
                    "Burgerzaken",
                    "Vergunningen",
                    "Sociaal Domein",
                    "Belastingen",
                    "Openbare Ruimte",
                ),
            ),
            FormField(
                "rol",
                "Rol",
                "Role",
                "choice",
                True,
                choices=("Medewerker", "Leidinggevende", "Stagiair", "Inhuur"),
            ),
        ),
    ),
    ServiceSpec(
        "ict-software",
        "it",
        "Software aanvragen",
        "Request software",
        "Vraag een programma of app aan die niet in de standaardwerkplek zit. ICT toetst "
        "licentie, veiligheid en privacy.",
        "Request a program or app that is not part of the standard workplace. IT checks the "
        "licence, security and privacy.",
        "request",
        FTD,
        impact="low",
        urgency="low",
        weight=10,
        fields=(
            FormField(
                "pakket",
                "Welke software?",
                "Which software?",
                "text",
                True,
                samples=("QGIS", "Adobe Acrobat Pro", "Visio", "Power BI Desktop", "Notepad++"),
            ),
            FormField(
                "reden",
                "Waarvoor heeft u het nodig?",
                "What do you need it for?",
                "text",
                True,
                samples=(
                    "Voor het bewerken van kaarten in de omgevingsvisie.",
                    "Om formulieren te kunnen ondertekenen.",
                    "Voor rapportages aan het college.",
                ),
            ),
            FormField(
                "licentie",
                "Is er al een licentie?",
                "Is there a licence already?",
                "choice",
                choices=YES_NO,
            ),
        ),
    ),
    ServiceSpec(
        "ict-storing-applicatie",
        "it",
        "Storing in een applicatie",
        "Application outage",
        "Werkt een bedrijfsapplicatie niet of niet goed? Meld het direct, ook als collega's "
        "hetzelfde merken.",
        "Is a business application down or not working properly? Report it right away, even "
        "if colleagues notice the same.",
        "incident",
        FTD,
        impact="medium",
        urgency="high",
        policy=CRITICAL,
        weight=14,
        fields=(
            FormField(
                "applicatie",
                "Applicatie",
                "Application",
                "choice",
                True,
                choices=(
                    "Zaaksysteem",
                    "Burgerzaken",
                    "Financieel systeem",
                    "Personeelssysteem",
                    "E-mail en agenda",
                    "Anders",
                ),
            ),
            FormField("sinds", "Sinds wanneer?", "Since when?", "date", samples=(0,)),
        ),
    ),
    ServiceSpec(
        "ict-thuiswerken",
        "it",
        "Thuiswerken en VPN",
        "Working from home and VPN",
        "Vragen over inloggen op afstand, VPN, tweestapsverificatie en thuiswerken.",
        "Questions about remote log-in, VPN, two-factor authentication and working from home.",
        "question",
        FL,
        weight=12,
    ),
    ServiceSpec(
        "ict-printer",
        "it",
        "Printer of multifunctional werkt niet",
        "Printer or multifunction device not working",
        "Papierstoring, geen toner, printen lukt niet of de scanner mailt niets door.",
        "Paper jam, no toner, printing fails or the scanner sends nothing.",
        "incident",
        FTD,
        weight=10,
        fields=(
            FormField(
                "locatie",
                "Locatie van de printer",
                "Location of the printer",
                "text",
                True,
                samples=(
                    "Stadskantoor, 3e verdieping, bij de koffiehoek",
                    "Gemeentehuis, begane grond",
                    "Spuiboulevard, 2e etage",
                ),
            ),
        ),
    ),
    ServiceSpec(
        "ict-mobiel",
        "it",
        "Mobiele telefoon aanvragen of vervangen",
        "Request or replace a mobile phone",
        "Een zakelijke telefoon voor een nieuwe functie, of vervanging bij defect, verlies of "
        "diefstal. Bij verlies blokkeren we het toestel direct.",
        "A business phone for a new position, or a replacement when it is broken, lost or "
        "stolen. A lost phone is blocked at once.",
        "request",
        DEP,
        weight=7,
        fields=(
            FormField(
                "reden",
                "Reden",
                "Reason",
                "choice",
                True,
                choices=("Nieuw", "Defect", "Verloren of gestolen"),
            ),
            FormField("ingangsdatum", "Gewenst per", "Wanted by", "date", samples=(5, 10)),
        ),
    ),
    # ---- HRM ----------------------------------------------------------------------------
    ServiceSpec(
        "hr-loonstrook",
        "hr",
        "Vraag over loonstrook",
        "Question about your payslip",
        "Een vraag over uw salaris, toeslagen, inhoudingen of de jaaropgave.",
        "A question about your salary, allowances, deductions or annual statement.",
        "question",
        FTD,
        policy=PERSONNEL,
        weight=16,
    ),
    ServiceSpec(
        "hr-verlof",
        "hr",
        "Verlof en verlofsaldo",
        "Leave and leave balance",
        "Vragen over uw verlofsaldo, bijzonder verlof, ouderschapsverlof en het aanvragen in "
        "het personeelssysteem.",
        "Questions about your leave balance, special leave, parental leave and requesting it "
        "in the HR system.",
        "question",
        FL,
        policy=PERSONNEL,
        weight=14,
    ),
    ServiceSpec(
        "hr-ziekmelding",
        "hr",
        "Ziek- en herstelmelding",
        "Reporting sick or recovered",
        "Leidinggevenden melden hier een medewerker ziek of hersteld.",
        "Managers report an employee sick or recovered here.",
        "request",
        FL,
        urgency="high",
        policy=PERSONNEL,
        weight=10,
        fields=(
            FormField(
                "medewerker",
                "Naam medewerker",
                "Employee's name",
                "text",
                True,
                samples=("J. de Wit", "M. Kaya", "S. Verhoeven", "A. Boer"),
            ),
            FormField(
                "eerste_dag",
                "Eerste ziektedag",
                "First day of illness",
                "date",
                True,
                samples=(0, -1),
            ),
            FormField(
                "soort",
                "Soort melding",
                "Kind of report",
                "choice",
                True,
                choices=("Ziekmelding", "Herstelmelding", "Gedeeltelijk herstel"),
            ),
        ),
    ),
    ServiceSpec(
        "hr-declaratie-reiskosten",
        "hr",
        "Declaratie reiskosten",
        "Travel expense claim",
        "Declareer dienstreizen, parkeerkosten en openbaar vervoer. Voeg de bon of het "
        "reisoverzicht toe.",
        "Claim business travel, parking and public transport. Attach the receipt or travel "
        "statement.",
        "request",
        DEP,
        policy=PERSONNEL,
        weight=12,
        fields=(
            FormField(
                "bedrag",
                "Bedrag (euro)",
                "Amount (euro)",
                "number",
                True,
                min_value=1,
                max_value=2500,
            ),
            FormField(
                "datum",
                "Datum van de reis",
                "Date of the trip",
                "date",
                True,
                samples=(-3, -7, -12),
            ),
            FormField("bon", "Bon of reisoverzicht", "Receipt or travel statement", "file"),
            FormField(
                "omschrijving",
                "Omschrijving",
                "Description",
                "text",
                samples=(
                    "Treinreis Dordrecht - Den Haag voor overleg met het ministerie",
                    "Parkeren bij het provinciehuis",
                    "Cursus in Utrecht",
                ),
            ),
        ),
    ),
    ServiceSpec(
        "hr-arbeidsvoorwaarden",
        "hr",
        "Vraag over arbeidsvoorwaarden (IKB, pensioen)",
        "Question about terms of employment (IKB budget, pension)",
        "Het individueel keuzebudget, pensioen bij ABP, reiskostenregeling en andere "
        "arbeidsvoorwaarden.",
        "The individual choice budget, ABP pension, travel allowance and other terms of "
        "employment.",
        "question",
        FTD,
        policy=PERSONNEL,
        weight=10,
    ),
    ServiceSpec(
        "hr-indiensttreding",
        "hr",
        "Indiensttreding nieuwe medewerker",
        "Onboarding a new employee",
        "Leidinggevenden geven hier een nieuwe medewerker op voor contract, salaris en "
        "personeelsdossier.",
        "Managers register a new employee here for contract, salary and personnel file.",
        "request",
        DEP,
        policy=PERSONNEL,
        weight=8,
        fields=(
            FormField(
                "naam",
                "Naam",
                "Name",
                "text",
                True,
                samples=("Sophie Bakker", "Daan Meijer", "Aylin Yilmaz", "Ruben Kok"),
            ),
            FormField("startdatum", "Startdatum", "Start date", "date", True, samples=(14, 21)),
            FormField(
                "functie",
                "Functie",
                "Position",
                "text",
                True,
                samples=(
                    "Adviseur ruimtelijke ordening",
                    "Klantmanager",
                    "Medewerker burgerzaken",
                    "Beleidsmedewerker",
                ),
            ),
            FormField(
                "uren", "Uren per week", "Hours per week", "number", True, min_value=4, max_value=40
            ),
        ),
    ),
    ServiceSpec(
        "hr-werkgeversverklaring",
        "hr",
        "Werkgeversverklaring aanvragen",
        "Request an employer's statement",
        "Een werkgeversverklaring voor een hypotheek of huurwoning, binnen vijf werkdagen.",
        "An employer's statement for a mortgage or rental, within five working days.",
        "request",
        DEP,
        policy=PERSONNEL,
        weight=6,
        fields=(
            FormField(
                "doel",
                "Waarvoor?",
                "What for?",
                "choice",
                True,
                choices=("Hypotheek", "Huurwoning", "Anders"),
            ),
        ),
    ),
    # ---- Financiën ------------------------------------------------------------------------
    ServiceSpec(
        "fin-factuur-status",
        "finance",
        "Status van een factuur",
        "Invoice status",
        "Is een factuur al betaald, of waarom nog niet? Leveranciers en budgethouders vragen "
        "het hier.",
        "Has an invoice been paid, and if not, why not? Suppliers and budget holders ask here.",
        "question",
        FTD,
        weight=16,
        fields=(
            FormField(
                "factuurnummer",
                "Factuurnummer",
                "Invoice number",
                "text",
                True,
                samples=("F2026-0412", "INV-88213", "2026-1187", "VF-30451"),
            ),
            FormField(
                "leverancier",
                "Leverancier",
                "Supplier",
                "text",
                samples=(
                    "Groenvoorziening Zuid BV",
                    "Drukkerij Merwede",
                    "Schoonmaakbedrijf Dordt",
                    "Adviesbureau Van Rijn",
                ),
            ),
        ),
    ),
    ServiceSpec(
        "fin-crediteur",
        "finance",
        "Nieuwe leverancier (crediteur) aanmaken",
        "Create a new supplier",
        "Laat een nieuwe leverancier vastleggen, zodat facturen betaald kunnen worden.",
        "Have a new supplier registered, so that its invoices can be paid.",
        "request",
        DEP,
        weight=8,
        fields=(
            FormField(
                "bedrijfsnaam",
                "Bedrijfsnaam",
                "Company name",
                "text",
                True,
                samples=(
                    "Hoveniersbedrijf De Linde",
                    "Zaalverhuur Het Veer",
                    "Tolkenbureau Drechtsteden",
                ),
            ),
            FormField(
                "kvk",
                "KvK-nummer",
                "Chamber of Commerce number",
                "text",
                True,
                samples=("24123456", "90012345", "71234567"),
            ),
            FormField(
                "iban",
                "IBAN",
                "IBAN",
                "text",
                True,
                samples=("NL91ABNA0417164300", "NL20INGB0001234567"),
            ),
        ),
    ),
    ServiceSpec(
        "fin-budget",
        "finance",
        "Vraag over budget of budgetrapportage",
        "Question about a budget or budget report",
        "Budgethouders vragen hier naar uitputting, verplichtingen en de maandrapportage.",
        "Budget holders ask about spending, commitments and the monthly report here.",
        "question",
        FTD,
        weight=10,
    ),
    ServiceSpec(
        "fin-debiteur",
        "finance",
        "Debiteur of openstaande vordering",
        "Debtor or outstanding claim",
        "Vragen over een openstaande vordering, een betalingsregeling of een aanmaning.",
        "Questions about an outstanding claim, a payment plan or a reminder.",
        "question",
        FTD,
        weight=8,
    ),
    ServiceSpec(
        "fin-kostenplaats",
        "finance",
        "Kostenplaats of grootboekrekening wijzigen",
        "Change a cost centre or ledger account",
        "Een nieuwe of gewijzigde kostenplaats, of een boeking op de verkeerde rekening.",
        "A new or changed cost centre, or a booking on the wrong account.",
        "request",
        DEP,
        weight=6,
        fields=(
            FormField(
                "kostenplaats",
                "Kostenplaats",
                "Cost centre",
                "text",
                True,
                samples=("6120 Wijkbeheer", "4410 Jeugd", "7030 Sportaccommodaties"),
            ),
            FormField("ingangsdatum", "Ingangsdatum", "Effective date", "date", samples=(7, 30)),
        ),
    ),
    ServiceSpec(
        "fin-toegang",
        "finance",
        "Toegang tot het financiële systeem",
        "Access to the financial system",
        "Vraag een rol aan in het financiële systeem. De budgethouder keurt goed.",
        "Request a role in the financial system. The budget holder approves.",
        "request",
        DEP,
        weight=6,
        fields=(
            FormField(
                "rol",
                "Rol",
                "Role",
                "choice",
                True,
                choices=("Raadplegen", "Budgethouder", "Crediteurenadministratie"),
            ),
        ),
    ),
    # ---- Inkoop ---------------------------------------------------------------------------
    ServiceSpec(
        "ink-advies",
        "purchasing",
        "Inkoopadvies aanvragen",
        "Request procurement advice",
        "Wilt u iets inkopen boven de € 50.000? Inkoop adviseert over de procedure.",
        "Want to buy something above € 50,000? Purchasing advises on the procedure.",
        "request",
        DEP,
        weight=12,
        fields=(
            FormField(
                "waarde",
                "Geschatte waarde (euro)",
                "Estimated value (euro)",
                "number",
                True,
                min_value=1000,
                max_value=10_000_000,
            ),
            FormField(
                "omschrijving",
                "Wat wilt u inkopen?",
                "What do you want to buy?",
                "text",
                True,
                samples=(
                    "Onderhoud van speeltoestellen",
                    "Inhuur van een projectleider",
                    "Nieuwe vergaderstoelen",
                    "Software voor afvalinzameling",
                ),
            ),
            FormField(
                "start", "Gewenste startdatum", "Wanted start date", "date", samples=(60, 90)
            ),
        ),
    ),
    ServiceSpec(
        "ink-contract",
        "purchasing",
        "Vraag over een contract of raamovereenkomst",
        "Question about a contract or framework agreement",
        "Mag ik bestellen bij deze leverancier? Loopt het contract nog? Vraag het hier.",
        "May I order from this supplier? Is the contract still running? Ask here.",
        "question",
        FTD,
        weight=14,
    ),
    ServiceSpec(
        "ink-webshop",
        "purchasing",
        "Bestellen via de webshop",
        "Ordering through the web shop",
        "Hulp bij het bestellen van kantoorartikelen en werkkleding via de webshop.",
        "Help with ordering office supplies and work clothes through the web shop.",
        "question",
        FL,
        weight=14,
    ),
    ServiceSpec(
        "ink-klacht-leverancier",
        "purchasing",
        "Klacht over een leverancier",
        "Complaint about a supplier",
        "Levert een gecontracteerde leverancier te laat of niet volgens afspraak? Inkoop "
        "spreekt de leverancier aan.",
        "Does a contracted supplier deliver late or not as agreed? Purchasing takes it up with "
        "the supplier.",
        "complaint",
        FTD,
        urgency="medium",
        weight=7,
        fields=(
            FormField(
                "leverancier",
                "Leverancier",
                "Supplier",
                "text",
                True,
                samples=("Kantoorvakhandel Merwede", "Cateraar De Smaak", "Uitzendbureau Zuid"),
            ),
        ),
    ),
    ServiceSpec(
        "ink-aanbesteding",
        "purchasing",
        "Europese aanbesteding starten",
        "Start a European tender",
        "Begeleiding van een Europese aanbesteding, van marktverkenning tot gunning.",
        "Guidance through a European tender, from market research to award.",
        "request",
        DEP,
        impact="medium",
        urgency="low",
        weight=4,
        fields=(
            FormField(
                "waarde",
                "Geschatte waarde (euro)",
                "Estimated value (euro)",
                "number",
                True,
                min_value=100_000,
                max_value=50_000_000,
            ),
            FormField(
                "gunning", "Gewenste gunningsdatum", "Wanted award date", "date", samples=(120, 180)
            ),
        ),
    ),
    # ---- Informatievoorziening -------------------------------------------------------------
    ServiceSpec(
        "iv-rapportage",
        "information",
        "Rapportage of dataverzoek",
        "Report or data request",
        "Cijfers of een overzicht uit de registraties nodig? Vraag een rapportage aan.",
        "Need figures or an overview from the registers? Request a report.",
        "request",
        DEP,
        weight=12,
        fields=(
            FormField(
                "onderwerp",
                "Onderwerp",
                "Subject",
                "text",
                True,
                samples=(
                    "Aantal bijstandsuitkeringen per kwartaal",
                    "Doorlooptijden omgevingsvergunningen",
                    "Verzuimcijfers per afdeling",
                ),
            ),
            FormField("gewenst", "Gewenst per", "Wanted by", "date", samples=(10, 20)),
            FormField(
                "formaat", "Formaat", "Format", "choice", choices=("Excel", "PDF", "Dashboard")
            ),
        ),
    ),
    ServiceSpec(
        "iv-privacy",
        "information",
        "Privacyvraag of AVG-verzoek",
        "Privacy question or GDPR request",
        "Vragen over de AVG, een verwerkingsregister, of een inzage- of verwijderverzoek van "
        "een inwoner.",
        "Questions about the GDPR, the register of processing, or a resident's request for "
        "access or erasure.",
        "question",
        FTD,
        weight=10,
    ),
    ServiceSpec(
        "iv-datalek",
        "information",
        "Datalek melden",
        "Report a data breach",
        "Persoonsgegevens bij de verkeerde persoon terechtgekomen? Meld het direct: de "
        "meldplicht bij de Autoriteit Persoonsgegevens geldt binnen 72 uur.",
        "Personal data ended up with the wrong person? Report it at once: the breach must be "
        "notified to the Dutch DPA within 72 hours.",
        "incident",
        DEP,
        impact="high",
        urgency="high",
        policy=CRITICAL,
        weight=5,
        fields=(
            FormField("ontdekt", "Ontdekt op", "Discovered on", "date", True, samples=(0,)),
            FormField(
                "betrokkenen",
                "Aantal betrokkenen (schatting)",
                "Number of people affected (estimate)",
                "number",
                min_value=1,
                max_value=100_000,
            ),
        ),
    ),
    ServiceSpec(
        "iv-archief",
        "information",
        "Archiefstuk of dossier opvragen",
        "Request archived records",
        "Vraag een dossier op uit het archief, digitaal of op papier.",
        "Request a file from the archive, digital or on paper.",
        "request",
        FTD,
        weight=10,
        fields=(
            FormField(
                "dossiernummer",
                "Dossiernummer of adres",
                "File number or address",
                "text",
                True,
                samples=("BWT-1998-0412", "Voorstraat 181", "Z-2019-03321"),
            ),
            FormField("jaar", "Jaar", "Year", "number", min_value=1900, max_value=2030),
        ),
    ),
    ServiceSpec(
        "iv-zaaktype",
        "information",
        "Wijziging in zaaktype of e-formulier",
        "Change to a case type or e-form",
        "Een nieuw zaaktype, een aangepaste termijn of een wijziging in een e-formulier.",
        "A new case type, a changed deadline or a change to an e-form.",
        "request",
        DEP,
        weight=6,
    ),
    # ---- Communicatie ----------------------------------------------------------------------
    ServiceSpec(
        "com-website",
        "communication",
        "Wijziging op website of intranet",
        "Change to the website or intranet",
        "Een tekst aanpassen, een nieuwspagina plaatsen of een fout op de website melden.",
        "Change a text, publish a news page or report an error on the website.",
        "request",
        FTD,
        weight=14,
        fields=(
            FormField(
                "pagina",
                "Welke pagina?",
                "Which page?",
                "text",
                True,
                samples=(
                    "https://www.dordrecht.example/afval",
                    "intranet: Nieuws > Organisatie",
                    "https://www.papendrecht.example/parkeren",
                ),
            ),
            FormField("publiceren", "Publiceren per", "Publish on", "date", samples=(2, 5)),
        ),
    ),
    ServiceSpec(
        "com-pers",
        "communication",
        "Persvraag doorzetten",
        "Forward a press enquiry",
        "Een journalist belt of mailt? Zet de vraag hier door; de woordvoerder neemt dezelfde "
        "dag contact op.",
        "A journalist calls or mails? Forward the question here; the press officer responds "
        "the same day.",
        "request",
        DEP,
        impact="medium",
        urgency="high",
        weight=6,
    ),
    ServiceSpec(
        "com-huisstijl",
        "communication",
        "Huisstijl en sjablonen",
        "House style and templates",
        "Waar vind ik het logo, de briefsjablonen of de PowerPoint-huisstijl?",
        "Where do I find the logo, letter templates or the PowerPoint style?",
        "question",
        FL,
        weight=10,
    ),
    ServiceSpec(
        "com-social",
        "communication",
        "Bericht op sociale media",
        "Social media post",
        "Een bericht laten plaatsen op de kanalen van de gemeente.",
        "Have a post published on the municipality's channels.",
        "request",
        DEP,
        weight=8,
        fields=(
            FormField(
                "kanaal",
                "Social-mediakanaal",
                "Social media channel",
                "choice",
                True,
                choices=("LinkedIn", "Instagram", "Facebook", "X"),
            ),
            FormField("datum", "Gewenste datum", "Wanted date", "date", samples=(3, 7)),
        ),
    ),
    ServiceSpec(
        "com-drukwerk",
        "communication",
        "Drukwerk of promotiemateriaal bestellen",
        "Order printed matter or promotional material",
        "Folders, posters, visitekaartjes en banners in de huisstijl.",
        "Leaflets, posters, business cards and banners in the house style.",
        "request",
        DEP,
        weight=8,
        fields=(
            FormField(
                "oplage", "Oplage", "Quantity", "number", True, min_value=1, max_value=100_000
            ),
            FormField("leverdatum", "Leverdatum", "Delivery date", "date", samples=(10, 15)),
        ),
    ),
    # ---- Facilitaire Zaken -----------------------------------------------------------------
    ServiceSpec(
        "fac-toegangspas",
        "facility",
        "Toegangspas aanvragen of blokkeren",
        "Request or block an access pass",
        "Een nieuwe toegangspas, extra rechten, of direct blokkeren bij verlies.",
        "A new access pass, extra rights, or blocking it at once when lost.",
        "request",
        FTD,
        urgency="medium",
        policy=FACILITY,
        weight=14,
        fields=(
            FormField(
                "reden",
                "Reden",
                "Reason",
                "choice",
                True,
                choices=("Nieuwe medewerker", "Pas kwijt", "Pas defect", "Extra rechten"),
            ),
            FormField("vanaf", "Nodig vanaf", "Needed from", "date", samples=(1, 5)),
        ),
    ),
    ServiceSpec(
        "fac-vergaderruimte",
        "facility",
        "Vergaderruimte reserveren",
        "Book a meeting room",
        "Reserveer een vergaderruimte of de raadzaal, met of zonder beamer.",
        "Book a meeting room or the council chamber, with or without a projector.",
        "request",
        FL,
        policy=FACILITY,
        weight=12,
        fields=(
            FormField("datum", "Datum", "Date", "date", True, samples=(2, 6, 9)),
            FormField(
                "personen",
                "Aantal personen",
                "Number of people",
                "number",
                True,
                min_value=2,
                max_value=120,
            ),
        ),
    ),
    ServiceSpec(
        "fac-storing-gebouw",
        "facility",
        "Storing in het gebouw (klimaat, licht, lift)",
        "Building fault (climate, lighting, lift)",
        "Te warm, te koud, kapotte verlichting, een lift die vastzit of een lekkage.",
        "Too hot, too cold, broken lighting, a stuck lift or a leak.",
        "incident",
        FTD,
        impact="medium",
        urgency="medium",
        policy=FACILITY,
        weight=12,
        fields=(
            FormField(
                "locatie",
                "Locatie",
                "Location",
                "text",
                True,
                samples=(
                    "Stadskantoor, kamer 4.12",
                    "Gemeentehuis Sliedrecht, hal",
                    "Spuiboulevard 300, 2e etage, oostzijde",
                ),
            ),
        ),
    ),
    ServiceSpec(
        "fac-werkplek",
        "facility",
        "Werkplekinrichting of ergonomische stoel",
        "Workstation set-up or ergonomic chair",
        "Een aangepaste stoel, zit-sta-bureau of andere hulpmiddelen, eventueel op advies van "
        "de bedrijfsarts.",
        "An adapted chair, sit-stand desk or other aids, if needed on the company doctor's advice.",
        "request",
        DEP,
        policy=FACILITY,
        weight=6,
    ),
    ServiceSpec(
        "fac-catering",
        "facility",
        "Catering bestellen",
        "Order catering",
        "Koffie, lunch of een borrel bij een vergadering of bijeenkomst.",
        "Coffee, lunch or drinks for a meeting or event.",
        "request",
        FL,
        urgency="low",
        policy=FACILITY,
        weight=8,
        fields=(
            FormField("datum", "Datum", "Date", "date", True, samples=(3, 7)),
            FormField(
                "aantal",
                "Aantal personen",
                "Number of people",
                "number",
                True,
                min_value=1,
                max_value=300,
            ),
        ),
    ),
    ServiceSpec(
        "fac-post",
        "facility",
        "Post en pakketten",
        "Mail and parcels",
        "Vragen over interne post, aangetekende stukken en pakketten.",
        "Questions about internal mail, registered letters and parcels.",
        "question",
        FL,
        policy=FACILITY,
        weight=6,
    ),
    # ---- Juridische Zaken -----------------------------------------------------------------
    ServiceSpec(
        "jur-advies",
        "legal",
        "Juridisch advies aanvragen",
        "Request legal advice",
        "Advies over een besluit, overeenkomst, handhaving of aansprakelijkheid.",
        "Advice on a decision, agreement, enforcement or liability.",
        "request",
        DEP,
        policy=LEGAL,
        weight=12,
        fields=(
            FormField(
                "onderwerp",
                "Onderwerp",
                "Subject",
                "text",
                True,
                samples=(
                    "Handhaving bij illegale bewoning",
                    "Subsidievaststelling sportvereniging",
                    "Overeenkomst grondverkoop",
                ),
            ),
            FormField(
                "deadline", "Advies nodig vóór", "Advice needed by", "date", samples=(10, 20)
            ),
        ),
    ),
    ServiceSpec(
        "jur-bezwaar",
        "legal",
        "Bezwaarschrift doorsturen",
        "Forward a notice of objection",
        "Een inwoner of bedrijf maakt bezwaar tegen een besluit. Stuur het bezwaarschrift door; "
        "de wettelijke termijn loopt vanaf ontvangst.",
        "A resident or company objects to a decision. Forward the notice; the statutory term "
        "runs from receipt.",
        "request",
        FTD,
        urgency="high",
        policy=LEGAL,
        weight=10,
        fields=(
            FormField(
                "ontvangen", "Ontvangen op", "Received on", "date", True, samples=(0, -1, -2)
            ),
            FormField(
                "zaaknummer",
                "Zaaknummer besluit",
                "Case number of the decision",
                "text",
                samples=("Z-2026-04412", "Z-2026-03987", "Z-2026-05120"),
            ),
        ),
    ),
    ServiceSpec(
        "jur-contracttoets",
        "legal",
        "Contract laten toetsen",
        "Contract review",
        "Laat een overeenkomst juridisch toetsen voordat u tekent.",
        "Have an agreement reviewed before you sign.",
        "request",
        DEP,
        policy=LEGAL,
        weight=8,
        fields=(
            FormField(
                "waarde",
                "Contractwaarde (euro)",
                "Contract value (euro)",
                "number",
                min_value=0,
                max_value=50_000_000,
            ),
            FormField("tekenen", "Tekenen vóór", "Sign before", "date", samples=(10, 15)),
            FormField("concept", "Concept-overeenkomst", "Draft agreement", "file"),
        ),
    ),
    ServiceSpec(
        "jur-aansprakelijkheid",
        "legal",
        "Aansprakelijkstelling of schadeclaim",
        "Liability claim",
        "Een inwoner stelt de gemeente aansprakelijk, bijvoorbeeld voor schade door een "
        "losliggende stoeptegel.",
        "A resident holds the municipality liable, for instance for damage from a loose paving "
        "stone.",
        "request",
        FTD,
        policy=LEGAL,
        weight=7,
    ),
    ServiceSpec(
        "jur-woo",
        "legal",
        "Woo-verzoek (openbaarheid)",
        "Freedom of information (Woo) request",
        "Een verzoek op grond van de Wet open overheid. De beslistermijn is vier weken.",
        "A request under the Open Government Act. The decision term is four weeks.",
        "request",
        DEP,
        urgency="medium",
        policy=LEGAL,
        weight=6,
        fields=(
            FormField("ontvangen", "Ontvangen op", "Received on", "date", True, samples=(0, -1)),
        ),
    ),
    ServiceSpec(
        "jur-klacht",
        "legal",
        "Klacht over de dienstverlening",
        "Complaint about our service",
        "Niet tevreden over hoe u geholpen bent? De klachtencoördinator neemt uw klacht in "
        "behandeling.",
        "Not satisfied with how you were helped? The complaints coordinator handles your "
        "complaint.",
        "complaint",
        FTD,
        weight=6,
    ),
)

SERVICE_BY_CODE = {service.code: service for service in SERVICES}
