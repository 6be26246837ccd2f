"""Names, job titles and the staff of the demo's service desk (all fictional)."""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = (
    "Anna", "Anouk", "Bart", "Bas", "Britt", "Bram", "Carla", "Chantal", "Daan", "Daniëlle",
    "Dennis", "Dirk", "Eline", "Emma", "Erik", "Esther", "Eva", "Fatima", "Femke", "Frank",
    "Gerard", "Hanneke", "Hans", "Ilse", "Inge", "Iris", "Jan", "Jasper", "Jeroen", "Joost",
    "Judith", "Julia", "Karin", "Kees", "Koen", "Laura", "Lisa", "Loes", "Lotte", "Maarten",
    "Marco", "Mark", "Marloes", "Martijn", "Mehmet", "Mirjam", "Mohamed", "Monique", "Naima",
    "Niels", "Nina", "Noor", "Patrick", "Peter", "Priya", "Rachid", "Remco", "Richard", "Rob",
    "Roos", "Ruben", "Sander", "Sanne", "Saskia", "Sem", "Sophie", "Stefan", "Suzanne", "Thijs",
    "Thomas", "Tim", "Tom", "Vera", "Willem", "Wouter", "Yasmina", "Yvonne", "Zeynep",
)  # fmt: skip

LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
    "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek",
    "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster",
    "van Dam", "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Lange", "Kuipers",
    "van Wijk", "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten",
    "van Wijngaarden", "Hoogendoorn", "Verhoef", "Boon", "Timmermans", "Kaya", "Yilmaz",
    "El Amrani", "Bouzid", "Öztürk", "Baldewsingh", "Ramdin", "Nguyen", "Hoogerwerf",
    "Stam", "van Es", "Groenendijk", "Molenaar", "Heijboer", "Rijsdijk", "Kortlever",
)  # fmt: skip

JOB_TITLES = (
    "Medewerker burgerzaken", "Klantmanager werk en inkomen", "Beleidsadviseur",
    "Vergunningverlener", "Toezichthouder", "Medewerker belastingen", "Teamleider",
    "Projectleider", "Juridisch medewerker", "Medewerker openbare ruimte", "Wijkregisseur",
    "Administratief medewerker", "Consulent schuldhulpverlening", "Adviseur ruimtelijke ordening",
    "Bestuurssecretaris", "Communicatieadviseur", "Controller", "Medewerker archief",
    "Buitengewoon opsporingsambtenaar", "Medewerker secretariaat", "Afdelingshoofd",
    "Inspecteur milieu", "Adviseur crisisbeheersing", "Medewerker sociaal domein",
)  # fmt: skip


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str  # a directory.roles.Role value
    first_name: str
    last_name: str
    departments: tuple[str, ...] = ()
    description: str = ""  # shown with the demo logins; empty keeps it off that list


KLANT = "klant"

STAFF: tuple[StaffMember, ...] = (
    StaffMember(KLANT, "customer", "Karin", "de Vries",
                description="customer (klant): employee of Gemeente Dordrecht, uses the portal"),
    StaffMember("servicedesk", "first_line", "Sanne", "Bakker",
                description="first-line agent (servicedesk): works every channel and queue"),
    StaffMember("specialist-hr", "specialist", "Henk", "Verhoeven", ("hr",),
                description="specialist at HR (HRM); also a customer of IT"),
    StaffMember("specialist-it", "specialist", "Daan", "Mulder", ("it",),
                description="specialist at IT (ICT)"),
    StaffMember("teamleider", "team_lead", "Marieke", "Hoogendoorn",
                description="team lead: queues, SLAs, first-contact resolution, services"),
    StaffMember("verandermanager", "change_lead", "Peter", "van Dam",
                description="change lead (verandermanager): runs the transition"),
    StaffMember("beheerder", "administrator", "Erik", "Smit",
                description="administrator (beheerder): directory, settings, Django admin"),
    # More first-line agents, so the central desk has names.
    StaffMember("anouk.visser", "first_line", "Anouk", "Visser"),
    StaffMember("mohamed.elamrani", "first_line", "Mohamed", "El Amrani"),
    StaffMember("lisa.verhoef", "first_line", "Lisa", "Verhoef"),
    StaffMember("jeroen.kok", "first_line", "Jeroen", "Kok"),
    # Second specialists and the other departments' specialists.
    StaffMember("ruben.dekker", "specialist", "Ruben", "Dekker", ("it",)),
    StaffMember("ilse.brouwer", "specialist", "Ilse", "Brouwer", ("hr",)),
    StaffMember("specialist-finance", "specialist", "Frank", "de Graaf", ("finance",),
                description="specialist at Finance (Financiën)"),
    StaffMember("naima.bouzid", "specialist", "Naima", "Bouzid", ("finance",)),
    StaffMember("specialist-purchasing", "specialist", "Judith", "Schouten", ("purchasing",),
                description="specialist at Purchasing (Inkoop)"),
    StaffMember("specialist-information", "specialist", "Stefan", "van der Linden",
                ("information",), description="specialist at Information services"),
    StaffMember("vera.kuipers", "specialist", "Vera", "Kuipers", ("information",)),
    StaffMember("specialist-communication", "specialist", "Roos", "Hoekstra", ("communication",),
                description="specialist at Communication (Communicatie)"),
    StaffMember("specialist-facility", "specialist", "Kees", "Blom", ("facility",),
                description="specialist at Facility Services (Facilitaire Zaken)"),
    StaffMember("wouter.prins", "specialist", "Wouter", "Prins", ("facility",)),
    StaffMember("specialist-legal", "specialist", "Esther", "van Leeuwen", ("legal",),
                description="specialist at Legal Affairs (Juridische Zaken)"),
    StaffMember("rachid.ouali", "specialist", "Rachid", "Ouali", ("legal",)),
)  # fmt: skip

DEMO_LOGINS: list[tuple[str, str]] = [
    (member.username, member.description) for member in STAFF if member.description
]
