"""Name and word pools for the benchmark data generator (Albanian, Serbian Latin and Cyrillic).

Every pool is a tuple of (female, male) given names and family names written as people write
them, with the diacritics and letters that make folding and collation hard (ë ç č ć đ š ž dž
lj nj and Cyrillic).
"""

from __future__ import annotations

ALBANIAN_FEMALE = (
    "Arbëresha", "Arta", "Besa", "Blerta", "Dafina", "Drita", "Elira", "Elona", "Fatmire",
    "Flutura", "Gentiana", "Hana", "Jehona", "Kaltrina", "Linda", "Lumnije", "Mimoza",
    "Nora", "Qëndresa", "Rina", "Shqipe", "Teuta", "Valbona", "Vjosa", "Xhevahire", "Zana",
    "Ëndrita", "Çiljeta", "Albulena", "Donjeta",
)
ALBANIAN_MALE = (
    "Agim", "Albin", "Arbën", "Ardian", "Arianit", "Bashkim", "Besnik", "Dardan", "Driton",
    "Enver", "Fatos", "Faton", "Gëzim", "Ilir", "Kushtrim", "Lirim", "Mërgim", "Petrit",
    "Qëndrim", "Shpëtim", "Valon", "Visar", "Xhemajl", "Ymer", "Çlirim", "Blerim", "Jetmir",
    "Liridon", "Rrahman", "Zenel",
)
ALBANIAN_FAMILY = (
    "Krasniqi", "Gashi", "Berisha", "Morina", "Shala", "Bytyçi", "Hoxha", "Kelmendi", "Rexhepi",
    "Hyseni", "Ahmeti", "Osmani", "Mustafa", "Thaçi", "Haradinaj", "Sejdiu", "Zeqiri", "Çeku",
    "Dobruna", "Ramadani", "Kryeziu", "Bajrami", "Limani", "Haliti", "Musliu", "Qosja",
    "Përvizi", "Gërguri", "Dërmaku", "Shkodra", "Çitaku", "Ibrahimi", "Jashari", "Maloku",
    "Rugova", "Salihu", "Veseli", "Xhaferi", "Zymberi", "Begolli",
)

SERBIAN_LATIN_FEMALE = (
    "Ana", "Bojana", "Dragana", "Đurđica", "Gordana", "Ivana", "Jelena", "Katarina", "Ljiljana",
    "Milica", "Nataša", "Njegoslava", "Olivera", "Snežana", "Tijana", "Vesna", "Zorica",
    "Žaklina", "Čarna", "Daša",
)
SERBIAN_LATIN_MALE = (
    "Aleksandar", "Bojan", "Dragan", "Đorđe", "Dušan", "Goran", "Ivan", "Ljubomir", "Marko",
    "Miloš", "Nemanja", "Njegoš", "Predrag", "Srđan", "Stevan", "Uroš", "Vladimir", "Željko",
    "Živorad", "Ćira",
)
SERBIAN_LATIN_FAMILY = (
    "Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić",
    "Stanković", "Pavlović", "Milošević", "Todorović", "Živković", "Šarić", "Čolić",
    "Ćirković", "Đukić", "Lukić", "Kostić", "Popović", "Savić", "Džajić", "Ljubičić",
    "Njegovan", "Vučković", "Radenković", "Simić", "Obradović", "Šćepanović", "Tadić",
    "Ivanović",
)

SERBIAN_CYRILLIC_FEMALE = (
    "Ана", "Бојана", "Драгана", "Ђурђица", "Гордана", "Ивана", "Јелена", "Катарина",
    "Љиљана", "Милица", "Наташа", "Оливера", "Снежана", "Тијана", "Весна", "Жаклина",
)
SERBIAN_CYRILLIC_MALE = (
    "Александар", "Бојан", "Драган", "Ђорђе", "Душан", "Горан", "Љубомир", "Марко",
    "Милош", "Немања", "Његош", "Предраг", "Срђан", "Урош", "Владимир", "Жељко",
)
SERBIAN_CYRILLIC_FAMILY = (
    "Јовановић", "Петровић", "Николић", "Марковић", "Ђорђевић", "Стојановић", "Илић",
    "Станковић", "Павловић", "Тодоровић", "Живковић", "Шарић", "Чолић", "Ћирковић",
    "Ђукић", "Лукић", "Костић", "Поповић", "Џајић", "Љубичић", "Вучковић", "Шћепановић",
)

INTERNATIONAL_FEMALE = ("Anna", "Claire", "Emily", "Sophie", "Ingrid", "Maria", "Laura")
INTERNATIONAL_MALE = ("James", "Thomas", "Lukas", "Pierre", "Jonas", "Michael", "Stefan")
INTERNATIONAL_FAMILY = ("Smith", "Müller", "Dubois", "Andersson", "O'Neill", "Rossi",
                        "Schneider", "van der Berg", "García", "Novak")

HONORIFICS = ("Dr.", "Prof.", "Prof. Dr.", "H.E.", "Mr.", "Ms.", "Mag.")

POSITIONS = (
    "Minister", "Deputy Minister", "Director", "Director General", "Head of Cyber Security Unit",
    "Senior Policy Advisor", "Policy Officer", "Legal Advisor", "Chief Information Security "
    "Officer", "IT Manager", "Researcher", "Senior Researcher", "Professor", "Journalist",
    "Editor-in-Chief", "Programme Manager", "Project Officer", "Member of Parliament",
    "Chair of the Committee on Security", "Police Inspector", "Data Protection Officer",
    "Drejtor i Departamentit", "Këshilltar i Lartë", "Zyrtar për Siguri Kibernetike",
    "Šef odseka", "Savetnik za bezbednost", "Начелник одељења",
)

TOPICS = (
    ("Cyber Security", "Sigurisë Kibernetike", "Sajber bezbednosti", "сајбер безбедности"),
    ("Critical Infrastructure", "Infrastrukturës Kritike", "Kritične infrastrukture",
     "критичне инфраструктуре"),
    ("Data Protection", "Mbrojtjes së të Dhënave", "Zaštite podataka", "заштите података"),
    ("Digital Affairs", "Çështjeve Digjitale", "Digitalnih poslova", "дигиталних послова"),
    ("Internal Affairs", "Punëve të Brendshme", "Unutrašnjih poslova", "унутрашњих послова"),
    ("Media Freedom", "Lirisë së Medieve", "Slobode medija", "слободе медија"),
    ("Energy", "Energjisë", "Energetike", "енергетике"),
    ("Telecommunications", "Telekomunikacioneve", "Telekomunikacija", "телекомуникација"),
)

# kind -> (English template, Albanian template, Serbian Latin template, Serbian Cyrillic template)
ORG_TEMPLATES = {
    "ministry": ("Ministry of {}", "Ministria e {}", "Ministarstvo {}", "Министарство {}"),
    "agency": ("Agency for {}", "Agjencia e {}", "Agencija za {}", "Агенција за {}"),
    "regulator": ("Regulatory Authority for {}", "Autoriteti Rregullativ i {}",
                  "Regulatorno telo {}", "Регулаторно тело {}"),
    "parliament": ("Parliamentary Committee on {}", "Komisioni Parlamentar për {}",
                   "Skupštinski odbor {}", "Скупштински одбор {}"),
    "police_security": ("Directorate for {}", "Drejtoria për {}", "Uprava {}", "Управа {}"),
    "critical_infrastructure": ("National Operator of {}", "Operatori Kombëtar i {}",
                                "Nacionalni operator {}", "Национални оператор {}"),
    "private_company": ("{} Solutions", "{} Sh.p.k.", "{} d.o.o.", "{} д.о.о."),
    "academia": ("Institute of {}", "Instituti i {}", "Institut {}", "Институт {}"),
    "civil_society": ("Centre for {}", "Qendra për {}", "Centar za {}", "Центар за {}"),
    "media": ("{} Review", "Revista e {}", "Portal {}", "Портал {}"),
    "international": ("International Mission for {}", "Misioni Ndërkombëtar për {}",
                      "Međunarodna misija {}", "Међународна мисија {}"),
    "embassy_donor": ("Fund for {}", "Fondi për {}", "Fond za {}", "Фонд за {}"),
}

COUNTRIES = (("XK", 55), ("RS", 15), ("AL", 12), ("MK", 5), ("ME", 4), ("BA", 4), ("DE", 2),
             ("US", 2), ("BE", 1))

SESSION_TOPICS = (
    "Securing Kosovo's critical infrastructure", "Disinformation and elections",
    "Personal data protection in the public sector", "Cyber incident response in the Western "
    "Balkans", "Regional cooperation on cyber crime", "Digital rights and media freedom",
    "Resilience of the energy grid", "Public-private partnerships for cyber security",
)
