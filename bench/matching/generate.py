"""Realistic UK-style person records with known duplicates, for the matching benchmark.

People live in households (shared surname, address, postcode and landline; twins now and
then), so many different people look alike. About a quarter of people are recorded more than
once, by agencies that write them differently: typos, nicknames, accents dropped, upper case,
first and last names swapped, day and month transposed, a wrong digit in the date, moved
house, postcode spacing, missing fields, a married or double-barrelled surname, and on some
records a PNC, NHS or NI number the other agencies also hold. Seeded, so runs are repeatable.

    python -m bench.matching.generate 1000 > people.csv
"""

import csv
import datetime as dt
import random
import string
import sys
from dataclasses import dataclass, replace

from casebridge.matching.engine import PersonRecord
from casebridge.matching.nicknames import NICKNAMES

MALE = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Jacob",
    "Noah",
    "Charlie",
    "Thomas",
    "Oscar",
    "William",
    "James",
    "Leo",
    "Alfie",
    "Henry",
    "Joshua",
    "Freddie",
    "Archie",
    "Ethan",
    "Isaac",
    "Alexander",
    "Joseph",
    "Edward",
    "Samuel",
    "Max",
    "Daniel",
    "Arthur",
    "Lucas",
    "Mohammed",
    "Logan",
    "Theo",
    "Harrison",
    "Benjamin",
    "Mason",
    "Sebastian",
    "Finley",
    "Adam",
    "Dylan",
    "Zachary",
    "Riley",
    "Jake",
    "Toby",
    "David",
    "Michael",
    "John",
    "Robert",
    "Richard",
    "Paul",
    "Mark",
    "Andrew",
    "Stephen",
    "Christopher",
    "Peter",
    "Anthony",
    "Kevin",
    "Gary",
    "Ian",
    "Simon",
    "Matthew",
    "Jonathan",
    "Nicholas",
    "Timothy",
    "Patrick",
    "Craig",
    "Lee",
    "Darren",
    "Wayne",
    "Dean",
    "Kieran",
    "Callum",
    "Connor",
    "Liam",
    "Ryan",
    "Nathan",
    "Aaron",
    "Luke",
    "Jordan",
    "Bradley",
    "Jamie",
    "Kyle",
    "Reece",
    "Ashley",
    "Carl",
    "Neil",
    "Graham",
    "Keith",
    "Colin",
    "Brian",
    "Trevor",
    "Terence",
    "Raymond",
    "Kenneth",
    "Ronald",
    "Derek",
    "Leonard",
    "Francis",
    "Gareth",
    "Rhys",
    "Dafydd",
    "Sean",
    "Declan",
    "José",
    "Rafał",
    "Mateusz",
    "Andrei",
    "Ahmed",
    "Imran",
    "Tariq",
    "Hamza",
    "Yusuf",
    "Ravi",
    "Sanjay",
    "Arjun",
    "Kwame",
    "Tomasz",
    "Piotr",
    "Jesús",
]
FEMALE = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Emily",
    "Isabella",
    "Mia",
    "Poppy",
    "Ella",
    "Lily",
    "Jessica",
    "Sophie",
    "Grace",
    "Evie",
    "Charlotte",
    "Freya",
    "Chloé",
    "Sophia",
    "Alice",
    "Ruby",
    "Florence",
    "Lucy",
    "Matilda",
    "Rosie",
    "Phoebe",
    "Elizabeth",
    "Katherine",
    "Catherine",
    "Margaret",
    "Sarah",
    "Rebecca",
    "Deborah",
    "Susan",
    "Patricia",
    "Victoria",
    "Jennifer",
    "Amanda",
    "Nicola",
    "Joanne",
    "Samantha",
    "Natasha",
    "Christine",
    "Elaine",
    "Julie",
    "Karen",
    "Tracey",
    "Donna",
    "Michelle",
    "Kelly",
    "Claire",
    "Louise",
    "Emma",
    "Hannah",
    "Laura",
    "Gemma",
    "Stacey",
    "Kayleigh",
    "Chelsea",
    "Jade",
    "Leanne",
    "Danielle",
    "Abigail",
    "Eleanor",
    "Rachel",
    "Helen",
    "Anne",
    "Mary",
    "Dorothy",
    "Gillian",
    "Jacqueline",
    "Pamela",
    "Valerie",
    "Teresa",
    "Alison",
    "Frances",
    "Zoë",
    "Siân",
    "Niamh",
    "Aoife",
    "Bethany",
    "Megan",
    "Caitlin",
    "Shannon",
    "Amber",
    "Courtney",
    "Aisha",
    "Fatima",
    "Zainab",
    "Priya",
    "Ananya",
    "Agnieszka",
    "Magdalena",
    "Ioana",
    "Chantelle",
    "Precious",
    "Renée",
    "Stephanie",
    "Melanie",
    "Kathleen",
    "Christina",
    "Alexandra",
]
SURNAMES = (
    (
        "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker "
        "White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris "
        "Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
        "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
        "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
        "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher "
        "Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart "
        "Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill "
        "Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson "
        "Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland "
        "Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke "
        "Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls "
        "Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins "
        "Moss McCarthy Chambers Kowalski Nowak Wiśniewski Popescu Nguyen Okafor Mensah Da_Silva Fernández"
        " Müller Ó_Súilleabháin"
    )
    .replace("_", " ")
    .split(" ")
)
# Most people have a less common surname: English place-name surnames built from common parts.
TAIL_STARTS = [
    "Ash",
    "Black",
    "Brad",
    "Brook",
    "Buck",
    "Cald",
    "Chad",
    "Chat",
    "Cran",
    "Cul",
    "Dal",
    "Dun",
    "Elm",
    "Fair",
    "Farn",
    "Hal",
    "Hart",
    "Hay",
    "Heath",
    "Hol",
    "Kirk",
    "Lang",
    "Lock",
    "Marl",
    "Mid",
    "Mor",
    "New",
    "North",
    "Oak",
    "Ock",
    "Pen",
    "Ram",
    "Red",
    "Rock",
    "Ros",
    "Shel",
    "Small",
    "South",
    "Stan",
    "Thorn",
    "Whit",
    "Wick",
    "Wood",
    "Work",
]
TAIL_ENDS = [
    "by",
    "bridge",
    "brook",
    "burn",
    "bury",
    "combe",
    "cott",
    "croft",
    "den",
    "don",
    "field",
    "ford",
    "gate",
    "ham",
    "hurst",
    "ington",
    "land",
    "leigh",
    "ley",
    "low",
    "more",
    "ridge",
    "shaw",
    "stead",
    "stone",
    "thorpe",
    "ton",
    "well",
    "wick",
    "wood",
    "worth",
]
TAIL = [start + end for start in TAIL_STARTS for end in TAIL_ENDS]

# Alternative spellings that agencies really do mix up.
VARIANTS = {
    "Smith": "Smyth",
    "Thompson": "Thomson",
    "Clarke": "Clark",
    "Davies": "Davis",
    "Gray": "Grey",
    "Reid": "Reed",
    "Stevens": "Stephens",
    "Nicholls": "Nichols",
    "McDonald": "MacDonald",
    "Philips": "Phillips",
    "Catherine": "Katherine",
    "Stephen": "Steven",
    "Jonathan": "Johnathan",
    "Mohammed": "Muhammad",
    "Sean": "Shaun",
}
OUTWARD = [
    "GU15",
    "GU16",
    "GU17",
    "GU18",
    "GU19",
    "GU20",
    "GU24",
    "GU21",
    "GU22",
    "GU1",
    "GU2",
    "GU14",
    "KT15",
    "KT16",
    "KT12",
    "KT13",
    "TW18",
    "TW19",
    "TW20",
    "TW15",
    "RG12",
    "RG40",
    "SL5",
    "SL4",
    "RH1",
    "RH2",
    "KT22",
    "KT17",
    "CR0",
    "SM1",
    "SE1",
    "SE5",
    "SE15",
    "E1",
    "E2",
    "N1",
    "N7",
    "SW2",
    "SW9",
    "W3",
    "W12",
    "M1",
    "M14",
    "B1",
    "B12",
    "LS6",
    "L8",
    "S1",
    "NG7",
    "BS5",
]
STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Park Road",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Kings Road",
    "Queens Road",
    "Grove Road",
    "Mill Lane",
    "London Road",
    "The Crescent",
    "Chestnut Avenue",
    "Oak Close",
    "Beech Drive",
    "Elm Grove",
    "Windsor Road",
    "Albert Road",
    "York Road",
    "St John's Road",
    "Alexandra Road",
    "Heathside Road",
    "Frimley Road",
    "Portesbery Road",
    "Guildford Road",
    "Pembroke Broadway",
    "Laburnum Way",
    "Meadow View",
    "Springfield Road",
    "Richmond Road",
    "Stanley Road",
    "Cambridge Road",
]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
EMAIL_DOMAINS = ("gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "btinternet.com", "icloud.com")
ID_LETTERS = "ABCEGHJKLMNPRSTWXYZ"

REVERSE_NICKNAMES: dict[str, list[str]] = {}
for _short, _canonicals in NICKNAMES.items():
    for _canonical in _canonicals:
        REVERSE_NICKNAMES.setdefault(_canonical, []).append(_short)


@dataclass(frozen=True)
class Generated:
    records: list[PersonRecord]
    cluster_of: dict[str, int]


def _zipf(rng: random.Random, items: list[str], exponent: float = 0.6) -> str:
    weights = _ZIPF_CACHE.setdefault((id(items), exponent), [1 / (rank + 1) ** exponent for rank in range(len(items))])
    return rng.choices(items, weights=weights)[0]


_ZIPF_CACHE: dict[tuple[int, float], list[float]] = {}


def _surname(rng: random.Random) -> str:
    return _zipf(rng, SURNAMES) if rng.random() < 0.6 else rng.choice(TAIL)


def _postcode(rng: random.Random) -> str:
    return f"{rng.choice(OUTWARD)} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _address(rng: random.Random) -> str:
    return f"{rng.randint(1, 180)} {rng.choice(STREETS)}"


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    position = rng.randrange(1, len(text))
    kind = rng.random()
    if kind < 0.3:
        return text[:position] + rng.choice(string.ascii_lowercase) + text[position + 1 :]
    if kind < 0.55:
        return text[:position] + text[position + 1 :]
    if kind < 0.8:
        return text[:position] + rng.choice(string.ascii_lowercase) + text[position:]
    if position < len(text) - 1:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text + text[-1]


def _date_of_birth(rng: random.Random, start: int = 1945, end: int = 2010) -> dt.date:
    return dt.date(start, 1, 1) + dt.timedelta(days=rng.randrange((dt.date(end, 12, 31) - dt.date(start, 1, 1)).days))


def _pnc(rng: random.Random) -> str:
    return f"{rng.randint(0, 25):02d}/{rng.randint(0, 999_999):06d}{rng.choice(ID_LETTERS)}"


def _nhs(rng: random.Random) -> str:
    return f"{rng.randint(400, 799)} {rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"


def _ni(rng: random.Random) -> str:
    return f"{rng.choice(ID_LETTERS)}{rng.choice(ID_LETTERS)}{rng.randint(0, 999_999):06d}{rng.choice('ABCD')}"


def _true_person(rng: random.Random, entity: int, household: dict[str, str], surname: str) -> PersonRecord:
    female = rng.random() < 0.5
    first = _zipf(rng, FEMALE if female else MALE, 0.5)
    email = ""
    if rng.random() < 0.5:
        local = f"{first}.{surname}" if rng.random() < 0.6 else f"{first[0]}{surname}{rng.randint(1, 99)}"
        email = f"{local.lower().replace(' ', '').replace(chr(39), '')}@{rng.choice(EMAIL_DOMAINS)}"
    phone = f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}" if rng.random() < 0.6 else household["phone"]
    return PersonRecord(
        id=str(entity),
        first_name=first,
        last_name=surname,
        date_of_birth=_date_of_birth(rng),
        gender="Female" if female else "Male",
        postcode=household["postcode"],
        address=household["address"],
        phone=phone,
        email=email,
        pnc=_pnc(rng) if rng.random() < 0.35 else "",
        nhs=_nhs(rng) if rng.random() < 0.6 else "",
        ni=_ni(rng) if rng.random() < 0.5 else "",
    )


def _recorded(rng: random.Random, truth: PersonRecord, record_id: str, first_copy: bool) -> PersonRecord:
    """One agency's record of a true person, with that agency's errors."""
    first, last, dob = truth.first_name, truth.last_name, truth.date_of_birth
    postcode, address, phone = truth.postcode, truth.address, truth.phone
    if not first_copy:
        chance = rng.random()
        if chance < 0.25 and first.lower() in REVERSE_NICKNAMES:
            first = rng.choice(REVERSE_NICKNAMES[first.lower()]).title()
        elif chance < 0.35:
            first = _typo(rng, first)
        elif chance < 0.4:
            first = VARIANTS.get(first, first)
        chance = rng.random()
        if chance < 0.1:
            last = _typo(rng, last)
        elif chance < 0.16:
            last = VARIANTS.get(last, last)
        elif chance < 0.2:
            last = f"{last}-{_surname(rng)}" if "-" not in last else last.split("-")[0]
        if rng.random() < 0.04:
            first, last = last, first
        if dob is not None:
            chance = rng.random()
            if chance < 0.08 and dob.day <= 12:
                dob = dob.replace(day=dob.month, month=dob.day)
            elif chance < 0.13:
                dob = _date_typo(rng, dob)
        if rng.random() < 0.25:
            postcode, address = _postcode(rng), _address(rng)
            if rng.random() < 0.5:
                phone = ""
    if rng.random() < 0.15:
        first, last = first.upper(), last.upper()
    if rng.random() < 0.2:
        first, last = _strip_accents(first), _strip_accents(last)
    if rng.random() < 0.2:
        postcode = postcode.replace(" ", "") if rng.random() < 0.5 else postcode.lower()
    return replace(
        truth,
        id=record_id,
        first_name=first,
        last_name=last,
        date_of_birth=None if rng.random() < 0.08 else dob,
        gender="" if rng.random() < 0.05 else truth.gender,
        postcode="" if rng.random() < 0.08 else postcode,
        address="" if rng.random() < 0.15 else address,
        phone=phone if rng.random() < 0.5 else "",
        email=truth.email if rng.random() < 0.5 else "",
        pnc=truth.pnc if rng.random() < 0.3 else "",
        nhs=truth.nhs if rng.random() < 0.3 else "",
        ni=truth.ni if rng.random() < 0.3 else "",
    )


def _date_typo(rng: random.Random, value: dt.date) -> dt.date:
    part = rng.randrange(3)
    if part == 0:
        return (
            value.replace(year=value.year + rng.choice((-1, 1, -10, 10)))
            if value.month * 100 + value.day != 229
            else value
        )
    if part == 1:
        return value.replace(month=1 + (value.month + rng.randint(0, 10)) % 12) if value.day <= 28 else value
    return value.replace(day=1 + (value.day + rng.randint(0, 26)) % 28)


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def generate(count: int, *, seed: int = 1, duplicate_share: float = 0.25) -> Generated:
    rng = random.Random(seed)
    records: list[PersonRecord] = []
    cluster_of: dict[str, int] = {}
    entity = 0
    while len(records) < count:
        household = {
            "postcode": _postcode(rng),
            "address": _address(rng),
            "phone": f"01{rng.randint(200, 999)} {rng.randint(100000, 999999)}",
        }
        surname = _surname(rng)
        members = rng.choice((1, 1, 1, 2, 2, 3, 4))
        twins = members > 1 and rng.random() < 0.05
        previous: PersonRecord | None = None
        for _ in range(members):
            if len(records) >= count:
                break
            entity += 1
            truth = _true_person(rng, entity, household, surname if rng.random() < 0.85 else _surname(rng))
            if twins and previous is not None:
                truth = replace(truth, date_of_birth=previous.date_of_birth, last_name=previous.last_name)
            previous = truth
            copies = 1
            if rng.random() < duplicate_share:
                copies += 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
            for copy in range(copies):
                if len(records) >= count:
                    break
                record = _recorded(rng, truth, f"P{len(records) + 1:07d}", copy == 0)
                records.append(record)
                cluster_of[record.id] = entity
    rng.shuffle(records)
    return Generated(records=records, cluster_of=cluster_of)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    generated = generate(count)
    writer = csv.writer(sys.stdout)
    writer.writerow(["cluster", *PersonRecord.__dataclass_fields__])
    for record in generated.records:
        writer.writerow(
            [generated.cluster_of[record.id], *(getattr(record, name) for name in PersonRecord.__dataclass_fields__)]
        )


if __name__ == "__main__":
    main()
