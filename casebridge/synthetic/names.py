"""Common UK first names, surnames, streets and towns for synthetic data (written out, no Faker)."""

FEMALE_FIRST_NAMES = """
Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Willow Freya Florence Emily Ella Poppy Evie
Elsie Charlotte Evelyn Sienna Sofia Daisy Phoebe Sophie Alice Harper Matilda Ruby Emilia Maya Millie Isabelle
Eva Luna Jessica Aria Elizabeth Erin Maisie Esme Scarlett Penelope Thea Imogen Lucy Chloe Hallie Mila Holly
Violet Aurora Eleanor Bonnie Layla Molly Robyn Zara Georgia Hannah Martha Ellie Anna Nancy Ada Amelie Harriet
Bella Ayla Rose Lottie Maryam Orla Clara Eliza Arabella Niamh Beatrice Margot Iris Lyla Edith Fatima Hazel
Emma Katie Lauren Megan Rebecca Amy Bethany Leah Abigail Caitlin Courtney Danielle Gemma Jade Jasmine Kayleigh
Natalie Rachel Samantha Sarah Stacey Victoria Zoe Laura Claire Nicola Emma Kelly Lisa Michelle Joanne Donna
Tracey Karen Julie Susan Helen Deborah Amanda Angela Dawn Jacqueline Sharon Alison Elaine Jane Andrea Louise
Kirsty Leanne Hayley Charlene Chantelle Shannon Demi Kirsty Sian Rhian Bronwen Ffion Mairi Shona Fiona Morag
Catriona Ailsa Kerry Paula Wendy Carol Linda Janet Patricia Margaret Barbara Christine Jean Pauline Maureen
Sandra Brenda Sheila Irene Doreen Joan Valerie Beverley Lorraine Yvonne Gillian Lesley Anne Mary Ruth Joy
Priya Aisha Amira Zainab Hafsa Noor Sana Amina Khadija Anaya Riya Simran Harleen Jaspreet Gurpreet Nadia
Agnieszka Katarzyna Joanna Monika Oksana Ioana Elena Maria Ana Chioma Ngozi Adaeze Folake Abena Precious
Shanice Tia Keisha Aaliyah Kiera Paige Chelsea Amber Tegan Jodie Rhiannon Lacey Summer Skye Aimee Abbie
"""

MALE_FIRST_NAMES = """
Muhammad Noah Oliver George Leo Arthur Oscar Harry Archie Jack Henry Charlie Freddie Theodore Thomas Finley
Theo Alfie Jacob William Isaac Tommy Joshua James Lucas Alexander Arlo Roman Edward Elijah Teddy Mohammed
Max Albie Adam Ezra Jude Sebastian Ronnie Reggie Hugo Louie Albert Rory Ethan Mason Frankie Joseph Daniel
Samuel Benjamin Harrison Dylan Jenson Logan Toby Jaxon Riley Elliot Felix Jesse Zachary Ollie Stanley Bobby
Louis Caleb Rowan Grayson Ralph David Michael Luca Otis Carter Jackson Harvey Hunter Ryan Kai Jayden Tyler
Callum Connor Kieran Liam Jordan Bradley Lewis Jake Luke Nathan Kyle Aaron Ashley Craig Dean Darren Gary
Jason Lee Mark Neil Paul Richard Robert Scott Simon Stephen Steven Stuart Wayne Andrew Anthony Christopher
Colin Derek Dennis Gordon Graham Ian John Keith Kenneth Kevin Malcolm Martin Nigel Peter Philip Raymond Roy
Terry Tony Trevor Barry Brian Clive Alan Alistair Angus Callum Duncan Euan Fraser Hamish Iain Ross Struan
Gareth Gethin Dafydd Emyr Huw Iwan Rhys Owain Aled Cian Ciaran Declan Eoin Padraig Seamus Niall Conor
Ahmed Ali Hassan Hussain Ibrahim Imran Omar Yusuf Zain Bilal Tariq Arjun Aarav Rohan Vikram Sanjay Harjit
Gurdeep Mandeep Jaswinder Tomasz Piotr Krzysztof Marcin Andrei Ionut Mihai Florin Dmitri Chinedu Emeka
Kwame Kofi Tunde Oluwaseun Femi Jamal Marcus Tyrone Kane Reece Brandon Kieron Tyler Jamie Shane Lloyd Dale
"""

SURNAMES = """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker
White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris
Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young
Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan
Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali
Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher
Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart
Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill
Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson
Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland
Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke
Bates Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls
Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss
McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle Wallace George
Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond
Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens
Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash
Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Middleton
Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward Carroll Douglas Dickinson Todd Barlow Peters Lucas
Knowles Hartley Miah Simmons Morton Alexander Field Morrison Norris Townsend Preston Hancock Thornton Baldwin
Burrows Briggs Storey Pugh Jarrett Nowak Kowalski Wisniewski Popescu Ionescu Okafor Adeyemi Mensah Owusu
Chowdhury Rahman Islam Uddin Sharma Kumar Mistry Chauhan Sandhu Dhillon Sidhu Malik Iqbal Mahmood Aziz
Fraser MacLeod Campbell MacKenzie Sinclair Munro Paterson Kerr Boyle Docherty Gallacher McLaughlin Doherty
"""

STREET_BLOCK = """
High Church Station Victoria Park London Green Manor Queens Kings Grange North South Mill Chapel New School
Albert York Springfield Windsor Highfield Main Richmond Alexandra Cedar Elm Oak Beech Ash Willow Lime Chestnut
Meadow Orchard Brook Heathside Common Broadway Hawthorn Holly Poplar Sycamore Birch Rowan Laurel Maple Rose
Cambridge Oxford Nelson Wellington Stanley Clarence Osborne Balmoral Sandringham Tudor Stuart Beaufort Kent
Mulberry Larch Hazel Primrose Bluebell Foxglove Heather Juniper Kingfisher Swallow Falcon Wren Lark Robin
"""

STREET_SUFFIXES = [
    "Road", "Road", "Road", "Street", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Crescent", "Gardens",
    "Court", "Place", "Grove", "Terrace", "Rise", "Walk", "Mews", "Hill",
]  # fmt: skip

# Towns with plausible outward-code areas and district numbers (not a gazetteer: plausible, not exact).
TOWNS: list[tuple[str, str, tuple[int, ...]]] = [
    ("Camberley", "GU", (15, 16, 17)),
    ("Frimley", "GU", (16,)),
    ("Bagshot", "GU", (19,)),
    ("Lightwater", "GU", (18,)),
    ("Woking", "GU", (21, 22)),
    ("Guildford", "GU", (1, 2, 3, 4)),
    ("Farnborough", "GU", (14,)),
    ("Aldershot", "GU", (11, 12)),
    ("Addlestone", "KT", (15,)),
    ("Chertsey", "KT", (16,)),
    ("Weybridge", "KT", (13,)),
    ("Egham", "TW", (20,)),
    ("Staines-upon-Thames", "TW", (18, 19)),
    ("Ashford", "TW", (15,)),
    ("Reading", "RG", (1, 2, 4, 30)),
    ("Bracknell", "RG", (12, 42)),
    ("Slough", "SL", (1, 2, 3)),
    ("Windsor", "SL", (4,)),
    ("Basingstoke", "RG", (21, 22, 24)),
    ("Croydon", "CR", (0, 2, 7)),
]

ORGANISATION_TEMPLATES: list[tuple[str, str]] = [
    ("police", "{town} Police Neighbourhood Team"),
    ("council", "{town} Borough Council"),
    ("housing", "{town} Homes"),
    ("council", "{town} Community Safety Team"),
    ("housing", "{town} Housing Association"),
    ("youth_justice", "{town} Youth Justice Service"),
    ("health", "{town} Community Mental Health Team"),
    ("education", "{town} Secondary School"),
    ("voluntary", "{town} Victim Support"),
    ("probation", "{town} Probation Delivery Unit"),
    ("fire", "{town} Fire Station"),
    ("voluntary", "{town} Citizens Advice"),
    ("voluntary", "{town} Domestic Abuse Service"),
    ("education", "{town} Primary School"),
    ("voluntary", "{town} Youth Club"),
]

TEAM_NAMES = ["Casework", "Neighbourhood", "Early Help", "Tenancy Enforcement", "Safeguarding", "Outreach"]


def _words(block: str) -> list[str]:
    return sorted(set(block.split()))


FEMALE = _words(FEMALE_FIRST_NAMES)
MALE = _words(MALE_FIRST_NAMES)
LAST = _words(SURNAMES)
STREET_NAMES = _words(STREET_BLOCK)
