//! Who the debtors are: names, addresses, telephone numbers and e-mail addresses that a
//! French credit manager would find ordinary, built from tables of common word parts.
//!
//! Everything is made up, and made so that the demo can never reach a real person:
//! - e-mail domains end in `.example`, a top-level domain reserved by RFC 2606 that no
//!   mail server will ever answer for;
//! - French numbers are drawn from the blocks ARCEP keeps unallocated for works of fiction
//!   (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49, 06 39 98), and UK numbers from
//!   Ofcom's drama ranges (020 7946 0xxx, 0161 496 0xxx, ..., 07700 900xxx);
//! - German, Belgian, Spanish and Italian regulators publish no such blocks, so those
//!   numbers only have the national shape (area code and length). A demo database must
//!   therefore never be connected to a real SMS or telephone gateway.
//!
//! Street names and cities are real places; house numbers and names are not real people.

use crate::rng::Rng;
use domain::{Contact, ContactKind};

/// The countries of the demo's debtors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Country {
    Fr,
    De,
    Be,
    Es,
    It,
    Gb,
}

impl Country {
    /// ISO 3166-1 alpha-2 (the United Kingdom is `GB`).
    pub fn code(self) -> &'static str {
        match self {
            Country::Fr => "FR",
            Country::De => "DE",
            Country::Be => "BE",
            Country::Es => "ES",
            Country::It => "IT",
            Country::Gb => "GB",
        }
    }

    /// The last line of an envelope posted from France.
    fn postal_name(self) -> &'static str {
        match self {
            Country::Fr => "FRANCE",
            Country::De => "ALLEMAGNE",
            Country::Be => "BELGIQUE",
            Country::Es => "ESPAGNE",
            Country::It => "ITALIE",
            Country::Gb => "ROYAUME-UNI",
        }
    }
}

/// What a debtor is called, speaks and can be reached by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    /// ISO 639-1.
    pub language: &'static str,
    pub contacts: Vec<Contact>,
}

/// What kind of party to invent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Company {
        /// Big customers get a named finance contact besides the generic mailbox.
        big: bool,
    },
    PublicBody,
    Person,
}

/// Invents a debtor of `country`.
pub fn identity(rng: &mut Rng, country: Country, party: Party) -> Identity {
    match country {
        Country::Fr => france(rng, party),
        Country::De => germany(rng, party),
        Country::Be => belgium(rng, party),
        Country::Es => spain(rng, party),
        Country::It => italy(rng, party),
        Country::Gb => united_kingdom(rng, party),
    }
}

// ---------------------------------------------------------------------------------------
// France

#[rustfmt::skip]
const FR_SURNAMES: &[&str] = &[
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard",
    "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez",
    "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
    "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix", "Olivier",
    "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland",
    "Guillaume", "Lecomte", "Lopez", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier",
    "Sanchez", "Dupuis", "Moulin", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury",
    "Royer", "Klein", "Jacquet", "Adam", "Poirier", "Marty", "Aubry", "Guyot", "Carré",
    "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
    "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
    "Millet", "Perrot", "Le Roux", "Cousin", "Germain", "Breton", "Besson", "Langlois", "Rémy",
    "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré", "Lebrun", "Marchal",
    "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier", "Michaud", "Guichard",
    "Gillet", "Étienne", "Tessier", "Chauvin", "Da Silva", "Bouchet", "Lemaître", "Maréchal",
    "Humbert", "Reynaud", "Antoine", "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune",
    "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
];

#[rustfmt::skip]
const FR_MALE: &[&str] = &[
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Patrick",
    "Laurent", "Frédéric", "Éric", "Stéphane", "David", "Sébastien", "Julien", "Thomas",
    "Olivier", "Pascal", "Daniel", "Bernard", "Thierry", "Christian", "François", "Jérôme",
    "Vincent", "Antoine", "Maxime", "Alexandre", "Romain", "Guillaume", "Kévin", "Mathieu",
    "Hugo", "Lucas", "Louis", "Théo", "Nathan", "Léo", "Gabriel", "Arthur", "Paul", "Raphaël",
    "Karim", "Mehdi", "Yannick", "Jean-Pierre", "Jean-Luc", "Gilles", "Bruno",
];

#[rustfmt::skip]
const FR_FEMALE: &[&str] = &[
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Valérie", "Christine",
    "Sandrine", "Sophie", "Céline", "Stéphanie", "Véronique", "Anne", "Martine", "Monique",
    "Julie", "Aurélie", "Émilie", "Camille", "Laura", "Sarah", "Manon", "Léa", "Chloé", "Emma",
    "Inès", "Pauline", "Élodie", "Caroline", "Virginie", "Nadia", "Fatima", "Claire", "Hélène",
    "Mélanie", "Laetitia", "Audrey", "Jeanne", "Alice", "Marie-Claire",
];

#[rustfmt::skip]
const FR_ACTIVITIES: &[&str] = &[
    "Transports", "Menuiserie", "Charpente", "Serrurerie", "Métallerie", "Chaudronnerie",
    "Mécanique", "Maintenance", "Bâtiment", "Électricité", "Plomberie", "Chauffage",
    "Couverture", "Agencement", "Carrosserie", "Garage", "Imprimerie", "Emballages",
    "Plasturgie", "Automatismes", "Hydraulique", "Logistique", "Matériel Agricole",
    "Boulangerie", "Scierie", "Ascenseurs", "Fermetures", "Outillage", "Fonderie", "Usinage",
    "Froid Industriel", "Levage", "Constructions", "Terrassement", "Travaux Publics", "Négoce",
    "Paysages", "Ferronnerie", "Tôlerie", "Maçonnerie",
];

const FR_COINED_HEADS: &[&str] = &[
    "Techni", "Métal", "Indus", "Proto", "Norma", "Atlan", "Euro", "Alpi", "Armor", "Sud", "Multi",
    "Inno", "Logi", "Hydro", "Therm", "Méca", "Élec", "Galva", "Cita", "Vallée",
];

const FR_COINED_TAILS: &[&str] = &[
    "fer", "plast", "bat", "tec", "nov", "pro", "form", "tub", "inox", "log", "tech", "service",
    "alu", "équip", "concept", "system",
];

#[rustfmt::skip]
const FR_REGIONS: &[&str] = &[
    "du Val de Loire", "de l'Ouest", "du Rhône", "de Provence", "des Alpes", "du Nord",
    "de Bretagne", "d'Alsace", "du Sud-Ouest", "de Normandie", "du Centre", "de l'Est",
    "du Dauphiné", "d'Auvergne", "de Bourgogne", "du Languedoc", "de Picardie", "de Lorraine",
    "des Landes", "de Touraine",
];

const FR_FORMS: &[(&str, u32)] = &[
    ("SAS", 40),
    ("SARL", 35),
    ("SASU", 10),
    ("EURL", 8),
    ("SA", 7),
];

#[rustfmt::skip]
const FR_NOTABLES: &[&str] = &[
    "Jules Verne", "Jean Moulin", "Marie Curie", "Victor Hugo", "Gustave Eiffel",
    "Louise Michel", "Jean Jaurès", "Simone Veil", "Antoine de Saint-Exupéry",
    "Pierre Mendès France",
];

#[rustfmt::skip]
const FR_STREETS: &[&str] = &[
    "rue de la République", "rue Victor Hugo", "avenue Jean Jaurès", "boulevard Gambetta",
    "rue du Général Leclerc", "rue Pasteur", "rue de la Gare", "avenue de la Libération",
    "rue des Lilas", "impasse des Tilleuls", "chemin des Vignes", "rue du Moulin",
    "allée des Érables", "place de l'Église", "rue Nationale", "route de Paris",
    "rue Jean Moulin", "avenue du Maréchal Foch", "rue des Écoles", "rue de la Paix",
    "boulevard de la Liberté", "rue Émile Zola", "rue du Stade", "rue des Jardins",
];

#[rustfmt::skip]
const FR_BUSINESS_STREETS: &[&str] = &[
    "rue de l'Industrie", "avenue de l'Europe", "rue des Artisans", "ZI des Paluds",
    "ZA du Moulin", "rue Denis Papin", "rue Gutenberg", "ZAC de la Plaine", "allée des Forges",
    "rue de l'Innovation", "parc d'activités des Portes", "rue Ampère", "rue Édouard Branly",
    "chemin du Fief", "boulevard de l'Artisanat", "rue Nicéphore Niépce",
];

/// A French city: its name, the postcodes used for it, its telephone zone (1 Île-de-France,
/// 2 North-West, 3 North-East, 4 South-East, 5 South-West) and a weight (roughly the
/// business population it stands for).
struct FrCity {
    name: &'static str,
    postcodes: &'static [&'static str],
    zone: u8,
    weight: u32,
}

#[rustfmt::skip]
const FR_CITIES: &[FrCity] = &[
    FrCity { name: "Paris", zone: 1, weight: 70, postcodes: &["75002", "75008", "75009", "75010", "75011", "75012", "75013", "75015", "75017", "75019"] },
    FrCity { name: "Boulogne-Billancourt", zone: 1, weight: 8, postcodes: &["92100"] },
    FrCity { name: "Nanterre", zone: 1, weight: 6, postcodes: &["92000"] },
    FrCity { name: "Montreuil", zone: 1, weight: 6, postcodes: &["93100"] },
    FrCity { name: "Créteil", zone: 1, weight: 5, postcodes: &["94000"] },
    FrCity { name: "Argenteuil", zone: 1, weight: 5, postcodes: &["95100"] },
    FrCity { name: "Versailles", zone: 1, weight: 5, postcodes: &["78000"] },
    FrCity { name: "Évry-Courcouronnes", zone: 1, weight: 4, postcodes: &["91000"] },
    FrCity { name: "Lyon", zone: 4, weight: 30, postcodes: &["69002", "69003", "69006", "69007", "69008", "69009"] },
    FrCity { name: "Villeurbanne", zone: 4, weight: 8, postcodes: &["69100"] },
    FrCity { name: "Marseille", zone: 4, weight: 25, postcodes: &["13002", "13006", "13008", "13010", "13014", "13015"] },
    FrCity { name: "Toulouse", zone: 5, weight: 20, postcodes: &["31000", "31100", "31200", "31300"] },
    FrCity { name: "Nice", zone: 4, weight: 12, postcodes: &["06000", "06200", "06300"] },
    FrCity { name: "Nantes", zone: 2, weight: 16, postcodes: &["44000", "44100", "44200", "44300"] },
    FrCity { name: "Montpellier", zone: 4, weight: 12, postcodes: &["34000", "34070", "34080"] },
    FrCity { name: "Strasbourg", zone: 3, weight: 13, postcodes: &["67000", "67100", "67200"] },
    FrCity { name: "Bordeaux", zone: 5, weight: 16, postcodes: &["33000", "33100", "33200", "33300", "33800"] },
    FrCity { name: "Lille", zone: 3, weight: 15, postcodes: &["59000", "59160", "59260", "59800"] },
    FrCity { name: "Rennes", zone: 2, weight: 12, postcodes: &["35000", "35200", "35700"] },
    FrCity { name: "Reims", zone: 3, weight: 8, postcodes: &["51100"] },
    FrCity { name: "Toulon", zone: 4, weight: 7, postcodes: &["83000", "83100", "83200"] },
    FrCity { name: "Saint-Étienne", zone: 4, weight: 8, postcodes: &["42000", "42100"] },
    FrCity { name: "Le Havre", zone: 2, weight: 7, postcodes: &["76600", "76610", "76620"] },
    FrCity { name: "Grenoble", zone: 4, weight: 9, postcodes: &["38000", "38100"] },
    FrCity { name: "Dijon", zone: 3, weight: 7, postcodes: &["21000"] },
    FrCity { name: "Angers", zone: 2, weight: 7, postcodes: &["49000", "49100"] },
    FrCity { name: "Nîmes", zone: 4, weight: 6, postcodes: &["30000", "30900"] },
    FrCity { name: "Clermont-Ferrand", zone: 4, weight: 7, postcodes: &["63000", "63100"] },
    FrCity { name: "Le Mans", zone: 2, weight: 6, postcodes: &["72000", "72100"] },
    FrCity { name: "Aix-en-Provence", zone: 4, weight: 7, postcodes: &["13090", "13100", "13290"] },
    FrCity { name: "Brest", zone: 2, weight: 6, postcodes: &["29200"] },
    FrCity { name: "Tours", zone: 2, weight: 7, postcodes: &["37000", "37100", "37200"] },
    FrCity { name: "Amiens", zone: 3, weight: 5, postcodes: &["80000", "80080", "80090"] },
    FrCity { name: "Limoges", zone: 5, weight: 5, postcodes: &["87000", "87100", "87280"] },
    FrCity { name: "Annecy", zone: 4, weight: 6, postcodes: &["74000", "74370", "74600", "74960"] },
    FrCity { name: "Perpignan", zone: 4, weight: 5, postcodes: &["66000", "66100"] },
    FrCity { name: "Metz", zone: 3, weight: 6, postcodes: &["57000", "57050", "57070"] },
    FrCity { name: "Besançon", zone: 3, weight: 5, postcodes: &["25000"] },
    FrCity { name: "Orléans", zone: 2, weight: 6, postcodes: &["45000", "45100"] },
    FrCity { name: "Rouen", zone: 2, weight: 7, postcodes: &["76000", "76100"] },
    FrCity { name: "Mulhouse", zone: 3, weight: 5, postcodes: &["68100", "68200"] },
    FrCity { name: "Caen", zone: 2, weight: 6, postcodes: &["14000"] },
    FrCity { name: "Nancy", zone: 3, weight: 6, postcodes: &["54000", "54100"] },
    FrCity { name: "Poitiers", zone: 5, weight: 4, postcodes: &["86000"] },
    FrCity { name: "Pau", zone: 5, weight: 4, postcodes: &["64000"] },
    FrCity { name: "La Rochelle", zone: 5, weight: 4, postcodes: &["17000"] },
    FrCity { name: "Avignon", zone: 4, weight: 4, postcodes: &["84000"] },
    FrCity { name: "Valence", zone: 4, weight: 4, postcodes: &["26000"] },
    FrCity { name: "Chambéry", zone: 4, weight: 4, postcodes: &["73000"] },
    FrCity { name: "Troyes", zone: 3, weight: 4, postcodes: &["10000"] },
    FrCity { name: "Niort", zone: 5, weight: 3, postcodes: &["79000"] },
    FrCity { name: "Cholet", zone: 2, weight: 3, postcodes: &["49300"] },
    FrCity { name: "Vannes", zone: 2, weight: 3, postcodes: &["56000"] },
    FrCity { name: "Saint-Nazaire", zone: 2, weight: 3, postcodes: &["44600"] },
    FrCity { name: "Colmar", zone: 3, weight: 3, postcodes: &["68000"] },
    FrCity { name: "Bayonne", zone: 5, weight: 3, postcodes: &["64100"] },
    FrCity { name: "Angoulême", zone: 5, weight: 3, postcodes: &["16000"] },
    FrCity { name: "Oyonnax", zone: 4, weight: 2, postcodes: &["01100"] },
];

/// The ARCEP blocks kept out of allocation for works of fiction, by telephone zone
/// (index 0 unused, 1 to 5 geographic, 6 mobile).
const FR_FICTION_BLOCKS: [&str; 7] = ["", "99 00", "61 91", "53 01", "65 71", "36 49", "39 98"];

fn france(rng: &mut Rng, party: Party) -> Identity {
    let city = pick_fr_city(rng);
    let postcode = *rng.choose(city.postcodes);
    let mut contacts = Vec::with_capacity(4);
    let name = match party {
        Party::Person => {
            let (first, last) = fr_person(rng);
            if rng.chance(600) {
                contacts.push(personal_email(rng, first, last));
            }
            if rng.chance(800) {
                contacts.push(phone(fr_phone(rng, 6), "mobile"));
            }
            let street = *rng.choose(FR_STREETS);
            contacts.push(address(
                format!(
                    "{}{} {street}, {postcode} {}",
                    house_number(rng),
                    bis(rng),
                    city.name
                ),
                "home",
            ));
            format!("{first} {last}")
        }
        Party::Company { big } => {
            let name = fr_company_name(rng);
            let domain = domain_of(&name);
            if rng.chance(950) {
                let local = *rng.choose(&[
                    "compta",
                    "comptabilite",
                    "factures",
                    "fournisseurs",
                    "administration",
                ]);
                contacts.push(email(format!("{local}@{domain}"), "accounts payable"));
            }
            if big && rng.chance(500) {
                let (first, last) = fr_person(rng);
                contacts.push(email(named_local(first, last, &domain), "CFO"));
            }
            if rng.chance(850) {
                contacts.push(phone(fr_phone(rng, city.zone), "switchboard"));
            }
            contacts.push(address(
                fr_business_address(rng, postcode, city.name),
                "billing address",
            ));
            name
        }
        Party::PublicBody => {
            let name = fr_public_name(rng, city.name);
            let domain = domain_of(&name);
            contacts.push(email(
                format!(
                    "{}@{domain}",
                    rng.choose(&["comptabilite", "finances", "service.financier"])
                ),
                "accounts payable",
            ));
            contacts.push(phone(fr_phone(rng, city.zone), "finance department"));
            contacts.push(address(
                fr_business_address(rng, postcode, city.name),
                "billing address",
            ));
            name
        }
    };
    Identity {
        name,
        language: "fr",
        contacts,
    }
}

fn pick_fr_city(rng: &mut Rng) -> &'static FrCity {
    let total: u64 = FR_CITIES.iter().map(|c| u64::from(c.weight)).sum();
    let mut r = rng.below(total);
    for c in FR_CITIES {
        if r < u64::from(c.weight) {
            return c;
        }
        r -= u64::from(c.weight);
    }
    &FR_CITIES[0]
}

fn fr_person(rng: &mut Rng) -> (&'static str, &'static str) {
    let first = if rng.chance(500) {
        *rng.choose(FR_MALE)
    } else {
        *rng.choose(FR_FEMALE)
    };
    (first, *rng.choose(FR_SURNAMES))
}

fn fr_company_name(rng: &mut Rng) -> String {
    let form = rng.pick(FR_FORMS);
    let pattern = rng.below(100);
    let surname = *rng.choose(FR_SURNAMES);
    let activity = *rng.choose(FR_ACTIVITIES);
    match pattern {
        // "Transports Leroy SAS"
        0..55 => format!("{activity} {surname} {form}"),
        // "Normaplast SARL"
        55..75 => {
            let head = *rng.choose(FR_COINED_HEADS);
            let tail = *rng.choose(FR_COINED_TAILS);
            format!("{head}{tail} {form}")
        }
        // "Leroy et Fils SARL", "Établissements Leroy SA"
        75..90 => {
            let style = *rng.choose(&[
                "{} et Fils",
                "{} Frères",
                "Établissements {}",
                "{} & Associés",
            ]);
            format!("{} {form}", style.replace("{}", surname))
        }
        // "Menuiserie du Val de Loire SAS"
        _ => format!("{activity} {} {form}", rng.choose(FR_REGIONS)),
    }
}

/// "de Tours", "d'Angers", "du Mans": the French preposition before a city name.
fn de(city: &str) -> String {
    if let Some(rest) = city.strip_prefix("Le ") {
        return format!("du {rest}");
    }
    let vowel = city.chars().next().is_some_and(|c| "AEIOUYÉÈÊ".contains(c));
    if vowel {
        format!("d'{city}")
    } else {
        format!("de {city}")
    }
}

fn fr_public_name(rng: &mut Rng, city: &str) -> String {
    match rng.below(4) {
        0 => format!("Centre hospitalier {}", de(city)),
        1 => format!("Communauté d'agglomération {}", de(city)),
        2 => format!("Lycée professionnel {}", rng.choose(FR_NOTABLES)),
        _ => format!("Ville {}", de(city)),
    }
}

fn fr_business_address(rng: &mut Rng, postcode: &str, city: &str) -> String {
    let street = if rng.chance(500) {
        *rng.choose(FR_BUSINESS_STREETS)
    } else {
        *rng.choose(FR_STREETS)
    };
    format!(
        "{}{} {street}, {postcode} {city}",
        house_number(rng),
        bis(rng)
    )
}

/// `+33 1 99 00 42 17`: zone 1 to 5 for a landline, 6 for a mobile.
fn fr_phone(rng: &mut Rng, zone: u8) -> String {
    let block = FR_FICTION_BLOCKS[usize::from(zone.clamp(1, 6))];
    format!(
        "+33 {zone} {block} {:02} {:02}",
        rng.below(100),
        rng.below(100)
    )
}

// ---------------------------------------------------------------------------------------
// Germany

#[rustfmt::skip]
const DE_SURNAMES: &[&str] = &[
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause",
];

#[rustfmt::skip]
const DE_ACTIVITIES: &[&str] = &[
    "Maschinenbau", "Metallbau", "Logistik", "Spedition", "Bau", "Elektrotechnik", "Anlagenbau",
    "Stahlbau", "Fahrzeugtechnik", "Haustechnik", "Industrieservice", "Fördertechnik",
];

#[rustfmt::skip]
const DE_STREETS: &[&str] = &[
    "Hauptstraße", "Bahnhofstraße", "Industriestraße", "Gewerbestraße", "Schulstraße",
    "Gartenstraße", "Bergstraße", "Lindenstraße", "Am Hafen", "Siemensstraße",
    "Robert-Bosch-Straße", "Daimlerstraße",
];

/// (city, postcode, area code without the leading 0).
const DE_CITIES: &[(&str, &str, &str)] = &[
    ("Berlin", "10115", "30"),
    ("Hamburg", "20095", "40"),
    ("München", "80331", "89"),
    ("Köln", "50667", "221"),
    ("Frankfurt am Main", "60311", "69"),
    ("Stuttgart", "70173", "711"),
    ("Düsseldorf", "40213", "211"),
    ("Dortmund", "44135", "231"),
    ("Essen", "45127", "201"),
    ("Leipzig", "04109", "341"),
    ("Bremen", "28195", "421"),
    ("Dresden", "01067", "351"),
    ("Hannover", "30159", "511"),
    ("Nürnberg", "90402", "911"),
    ("Karlsruhe", "76133", "721"),
    ("Freiburg im Breisgau", "79098", "761"),
    ("Saarbrücken", "66111", "681"),
];

fn germany(rng: &mut Rng, party: Party) -> Identity {
    let (city, postcode, area) = *rng.choose(DE_CITIES);
    let surname = *rng.choose(DE_SURNAMES);
    let name = match rng.below(10) {
        0..6 => format!("{surname} {} GmbH", rng.choose(DE_ACTIVITIES)),
        6..8 => format!("{surname} & Söhne GmbH & Co. KG"),
        _ => format!("{} {surname} AG", rng.choose(DE_ACTIVITIES)),
    };
    let domain = domain_of(&name);
    let mut contacts = Vec::with_capacity(4);
    contacts.push(email(
        format!(
            "{}@{domain}",
            rng.choose(&["buchhaltung", "rechnungen", "kreditoren"])
        ),
        "accounts payable",
    ));
    if matches!(party, Party::Company { big: true }) && rng.chance(500) {
        contacts.push(email(format!("finanzen@{domain}"), "CFO"));
    }
    if rng.chance(850) {
        // Area codes of two digits take eight-digit numbers, of three digits seven.
        let digits = if area.len() == 2 { 8 } else { 7 };
        contacts.push(phone(
            format!("+49 {area} {}", digit_string(rng, digits)),
            "switchboard",
        ));
    }
    contacts.push(address(
        format!(
            "{} {}, {postcode} {city}, {}",
            rng.choose(DE_STREETS),
            house_number(rng),
            Country::De.postal_name()
        ),
        "billing address",
    ));
    Identity {
        name,
        language: "de",
        contacts,
    }
}

// ---------------------------------------------------------------------------------------
// Belgium

#[rustfmt::skip]
const BE_FR_SURNAMES: &[&str] = &[
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Lejeune", "Renard",
    "Leclercq", "Collard", "François", "Legrand", "Gilson", "Thiry", "Denis", "Lemaire",
];
#[rustfmt::skip]
const BE_NL_SURNAMES: &[&str] = &[
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
    "Wouters", "De Smet", "Dubois", "Vermeulen", "Van den Broeck", "De Clercq", "Hermans",
];
#[rustfmt::skip]
const BE_NL_ACTIVITIES: &[&str] = &[
    "Bouw", "Metaalwerken", "Transport", "Logistiek", "Techniek", "Schrijnwerkerij",
    "Staalbouw", "Installaties",
];
#[rustfmt::skip]
const BE_FR_STREETS: &[&str] = &[
    "Rue de la Station", "Avenue Louise", "Chaussée de Namur", "Rue du Commerce",
    "Rue de l'Industrie", "Boulevard du Souverain", "Rue des Champs", "Chaussée de Liège",
];
#[rustfmt::skip]
const BE_NL_STREETS: &[&str] = &[
    "Stationsstraat", "Kerkstraat", "Industrielaan", "Nijverheidsstraat", "Molenstraat",
    "Dorpstraat", "Kouter", "Brusselsesteenweg",
];
/// (city, postcode, zone without the leading 0).
const BE_FR_CITIES: &[(&str, &str, &str)] = &[
    ("Bruxelles", "1000", "2"),
    ("Liège", "4000", "4"),
    ("Charleroi", "6000", "71"),
    ("Namur", "5000", "81"),
    ("Mons", "7000", "65"),
    ("Wavre", "1300", "10"),
    ("Arlon", "6700", "63"),
    ("Tournai", "7500", "69"),
];
const BE_NL_CITIES: &[(&str, &str, &str)] = &[
    ("Antwerpen", "2000", "3"),
    ("Gent", "9000", "9"),
    ("Brugge", "8000", "50"),
    ("Leuven", "3000", "16"),
    ("Hasselt", "3500", "11"),
    ("Mechelen", "2800", "15"),
    ("Kortrijk", "8500", "56"),
    ("Brussel", "1000", "2"),
];

fn belgium(rng: &mut Rng, party: Party) -> Identity {
    let dutch = rng.chance(420);
    let (city, postcode, zone) = *rng.choose(if dutch { BE_NL_CITIES } else { BE_FR_CITIES });
    let name = if dutch {
        let surname = *rng.choose(BE_NL_SURNAMES);
        let form = *rng.choose(&["BV", "BV", "BV", "NV"]);
        format!("{surname} {} {form}", rng.choose(BE_NL_ACTIVITIES))
    } else {
        let surname = *rng.choose(BE_FR_SURNAMES);
        let form = *rng.choose(&["SRL", "SRL", "SRL", "SA"]);
        format!("{} {surname} {form}", rng.choose(FR_ACTIVITIES))
    };
    let domain = domain_of(&name);
    let mut contacts = Vec::with_capacity(4);
    let local = if dutch {
        *rng.choose(&["boekhouding", "facturen", "administratie"])
    } else {
        *rng.choose(&["comptabilite", "factures", "administration"])
    };
    contacts.push(email(format!("{local}@{domain}"), "accounts payable"));
    if matches!(party, Party::Company { big: true }) && rng.chance(500) {
        contacts.push(email(format!("finance@{domain}"), "CFO"));
    }
    if rng.chance(850) {
        // Zones of one digit: +32 2 123 45 67; of two digits: +32 81 12 34 56.
        let number = if zone.len() == 1 {
            format!(
                "+32 {zone} {:03} {:02} {:02}",
                rng.between(100, 999),
                rng.below(100),
                rng.below(100)
            )
        } else {
            format!(
                "+32 {zone} {:02} {:02} {:02}",
                rng.between(10, 99),
                rng.below(100),
                rng.below(100)
            )
        };
        contacts.push(phone(number, "switchboard"));
    }
    let street = *rng.choose(if dutch { BE_NL_STREETS } else { BE_FR_STREETS });
    contacts.push(address(
        format!(
            "{street} {}, {postcode} {city}, {}",
            house_number(rng),
            Country::Be.postal_name()
        ),
        "billing address",
    ));
    Identity {
        name,
        language: if dutch { "nl" } else { "fr" },
        contacts,
    }
}

// ---------------------------------------------------------------------------------------
// Spain

#[rustfmt::skip]
const ES_SURNAMES: &[&str] = &[
    "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Álvarez",
];
#[rustfmt::skip]
const ES_ACTIVITIES: &[&str] = &[
    "Transportes", "Construcciones", "Metalúrgica", "Talleres", "Instalaciones",
    "Suministros Industriales", "Logística", "Carpintería Metálica",
];
#[rustfmt::skip]
const ES_STREETS: &[&str] = &[
    "Calle Mayor", "Avenida de la Constitución", "Calle Real", "Calle de Alcalá",
    "Avenida de Andalucía", "Calle del Comercio", "Polígono Industrial Norte, calle A",
    "Calle de la Industria",
];
/// (city, postcode, first digits of the landline).
const ES_CITIES: &[(&str, &str, &str)] = &[
    ("Madrid", "28013", "91"),
    ("Barcelona", "08001", "93"),
    ("Valencia", "46001", "96"),
    ("Sevilla", "41001", "95"),
    ("Zaragoza", "50001", "976"),
    ("Bilbao", "48001", "94"),
    ("Málaga", "29001", "952"),
    ("Donostia-San Sebastián", "20001", "943"),
    ("Pamplona", "31001", "948"),
    ("A Coruña", "15001", "981"),
];

fn spain(rng: &mut Rng, party: Party) -> Identity {
    let (city, postcode, prefix) = *rng.choose(ES_CITIES);
    let form = *rng.choose(&["S.L.", "S.L.", "S.L.", "S.A."]);
    let name = format!(
        "{} {} {form}",
        rng.choose(ES_ACTIVITIES),
        rng.choose(ES_SURNAMES)
    );
    let domain = domain_of(&name);
    let mut contacts = Vec::with_capacity(4);
    contacts.push(email(
        format!(
            "{}@{domain}",
            rng.choose(&["contabilidad", "facturas", "administracion"])
        ),
        "accounts payable",
    ));
    if matches!(party, Party::Company { big: true }) && rng.chance(500) {
        contacts.push(email(format!("finanzas@{domain}"), "CFO"));
    }
    if rng.chance(850) {
        // Nine digits, written 3-3-3.
        let digits = format!("{prefix}{}", digit_string(rng, 9 - prefix.len()));
        contacts.push(phone(
            format!("+34 {} {} {}", &digits[0..3], &digits[3..6], &digits[6..9]),
            "switchboard",
        ));
    }
    contacts.push(address(
        format!(
            "{}, {}, {postcode} {city}, {}",
            rng.choose(ES_STREETS),
            house_number(rng),
            Country::Es.postal_name()
        ),
        "billing address",
    ));
    Identity {
        name,
        language: "es",
        contacts,
    }
}

// ---------------------------------------------------------------------------------------
// Italy

const IT_SURNAMES: &[&str] = &[
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
    "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Fontana",
];
#[rustfmt::skip]
const IT_ACTIVITIES: &[&str] = &[
    "Meccanica", "Trasporti", "Costruzioni", "Impianti", "Carpenteria Metallica", "Logistica",
    "Automazione", "Forniture Industriali",
];
#[rustfmt::skip]
const IT_STREETS: &[&str] = &[
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via dell'Industria", "Corso Italia",
    "Via Giuseppe Verdi", "Via dell'Artigianato", "Viale Europa",
];
/// (city, postcode, province, area code with its leading 0).
const IT_CITIES: &[(&str, &str, &str, &str)] = &[
    ("Milano", "20121", "MI", "02"),
    ("Torino", "10121", "TO", "011"),
    ("Roma", "00184", "RM", "06"),
    ("Bologna", "40121", "BO", "051"),
    ("Genova", "16121", "GE", "010"),
    ("Verona", "37121", "VR", "045"),
    ("Brescia", "25121", "BS", "030"),
    ("Bergamo", "24121", "BG", "035"),
    ("Firenze", "50123", "FI", "055"),
    ("Padova", "35121", "PD", "049"),
    ("Napoli", "80133", "NA", "081"),
];

fn italy(rng: &mut Rng, party: Party) -> Identity {
    let (city, postcode, province, area) = *rng.choose(IT_CITIES);
    let surname = *rng.choose(IT_SURNAMES);
    let activity = *rng.choose(IT_ACTIVITIES);
    let name = match rng.below(10) {
        0..5 => format!("{surname} {activity} S.r.l."),
        5..8 => format!("{activity} {surname} S.r.l."),
        _ => format!("{surname} {activity} S.p.A."),
    };
    let domain = domain_of(&name);
    let mut contacts = Vec::with_capacity(4);
    contacts.push(email(
        format!(
            "{}@{domain}",
            rng.choose(&["amministrazione", "contabilita", "fatture"])
        ),
        "accounts payable",
    ));
    if matches!(party, Party::Company { big: true }) && rng.chance(500) {
        contacts.push(email(format!("finanza@{domain}"), "CFO"));
    }
    if rng.chance(850) {
        // Milan and Rome (two-digit codes) have eight-digit numbers, the others seven.
        let number = if area.len() == 2 {
            let d = digit_string(rng, 8);
            format!("+39 {area} {} {}", &d[0..4], &d[4..8])
        } else {
            let d = digit_string(rng, 7);
            format!("+39 {area} {} {}", &d[0..3], &d[3..7])
        };
        contacts.push(phone(number, "switchboard"));
    }
    contacts.push(address(
        format!(
            "{} {}, {postcode} {city} {province}, {}",
            rng.choose(IT_STREETS),
            house_number(rng),
            Country::It.postal_name()
        ),
        "billing address",
    ));
    Identity {
        name,
        language: "it",
        contacts,
    }
}

// ---------------------------------------------------------------------------------------
// United Kingdom

const GB_SURNAMES: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
];
#[rustfmt::skip]
const GB_ACTIVITIES: &[&str] = &[
    "Engineering", "Logistics", "Fabrications", "Construction", "Haulage", "Building Supplies",
    "Industrial Services", "Metalworks",
];
#[rustfmt::skip]
const GB_STREETS: &[&str] = &[
    "High Street", "Station Road", "Church Lane", "Mill Road", "Victoria Road", "Park Road",
    "Riverside Industrial Estate", "Enterprise Way",
];
/// (city, postcode outward codes, Ofcom drama-range prefix in international form).
const GB_CITIES: &[(&str, &[&str], &str)] = &[
    (
        "London",
        &["EC1V", "SE1", "E14", "N1", "W1T"],
        "+44 20 7946 0",
    ),
    ("Manchester", &["M1", "M3", "M15"], "+44 161 496 0"),
    ("Birmingham", &["B1", "B5", "B12"], "+44 121 496 0"),
    ("Leeds", &["LS1", "LS9", "LS11"], "+44 113 496 0"),
    ("Sheffield", &["S1", "S3", "S9"], "+44 114 496 0"),
    ("Bristol", &["BS1", "BS2", "BS5"], "+44 117 496 0"),
    ("Nottingham", &["NG1", "NG2", "NG7"], "+44 115 496 0"),
    ("Leicester", &["LE1", "LE4"], "+44 116 496 0"),
    ("Glasgow", &["G1", "G2", "G40"], "+44 141 496 0"),
    ("Liverpool", &["L1", "L3", "L20"], "+44 151 496 0"),
];

fn united_kingdom(rng: &mut Rng, party: Party) -> Identity {
    let (city, outwards, phone_prefix) = *rng.choose(GB_CITIES);
    let surname = *rng.choose(GB_SURNAMES);
    let activity = *rng.choose(GB_ACTIVITIES);
    let name = match rng.below(10) {
        0..7 => format!("{surname} {activity} Ltd"),
        7..9 => format!("{surname} & Sons Ltd"),
        _ => format!("{surname} {activity} plc"),
    };
    let domain = domain_of(&name);
    let mut contacts = Vec::with_capacity(4);
    contacts.push(email(
        format!(
            "{}@{domain}",
            rng.choose(&["accounts", "accounts.payable", "purchase.ledger"])
        ),
        "accounts payable",
    ));
    if matches!(party, Party::Company { big: true }) && rng.chance(500) {
        contacts.push(email(format!("finance.director@{domain}"), "CFO"));
    }
    if rng.chance(850) {
        // The number has the drama prefix's city code and "496 0" then three digits.
        let local = format!("{phone_prefix}{:03}", rng.below(1000));
        contacts.push(phone(local, "switchboard"));
    }
    // Inward codes: a digit and two letters, never C, I, K, M, O or V.
    const INWARD: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let postcode = format!(
        "{} {}{}{}",
        rng.choose(outwards),
        rng.below(10),
        char::from(*rng.choose(INWARD)),
        char::from(*rng.choose(INWARD))
    );
    let street = *rng.choose(GB_STREETS);
    let line = if street.contains("Estate") {
        format!("Unit {}, {street}", rng.between(1, 40))
    } else {
        format!("{} {street}", house_number(rng))
    };
    contacts.push(address(
        format!("{line}, {city} {postcode}, {}", Country::Gb.postal_name()),
        "billing address",
    ));
    Identity {
        name,
        language: "en",
        contacts,
    }
}

// ---------------------------------------------------------------------------------------
// Shared pieces

fn email(value: String, label: &str) -> Contact {
    Contact {
        kind: ContactKind::Email,
        value,
        label: Some(label.to_string()),
    }
}

fn phone(value: String, label: &str) -> Contact {
    Contact {
        kind: ContactKind::Phone,
        value,
        label: Some(label.to_string()),
    }
}

fn address(value: String, label: &str) -> Contact {
    Contact {
        kind: ContactKind::Address,
        value,
        label: Some(label.to_string()),
    }
}

/// Fake mailbox providers for individuals (see the module documentation).
#[rustfmt::skip]
const MAIL_PROVIDERS: &[&str] = &[
    "courriel.example", "messagerie.example", "boitemail.example",
];

fn personal_email(rng: &mut Rng, first: &str, last: &str) -> Contact {
    let (f, l) = (ascii_slug(first, ""), ascii_slug(last, ""));
    let initial = &f[..1.min(f.len())];
    let local = match rng.below(5) {
        0 | 1 => format!("{f}.{l}"),
        2 => format!("{f}.{l}{}", rng.between(1, 99)),
        3 => format!("{initial}{l}"),
        _ => format!("{l}.{f}"),
    };
    email(
        format!("{local}@{}", rng.choose(MAIL_PROVIDERS)),
        "personal",
    )
}

fn named_local(first: &str, last: &str, domain: &str) -> String {
    let f = ascii_slug(first, "");
    format!("{}.{}@{domain}", &f[..1.min(f.len())], ascii_slug(last, ""))
}

/// The fake web domain of a company: its name without the legal form, lower case, ASCII,
/// words joined by hyphens, under `.example` — "Transports Leroy SAS" gives
/// `transports-leroy.example`.
pub fn domain_of(name: &str) -> String {
    const FORMS: &[&str] = &[
        "sas", "sarl", "sasu", "eurl", "sa", "gmbh", "ag", "kg", "co", "srl", "bv", "nv", "ltd",
        "plc",
    ];
    let slug = ascii_slug(name, "-");
    // Single letters are the debris of dotted forms ("S.L.", "S.r.l.") and of elisions
    // ("d'Angers").
    let mut words: Vec<&str> = slug.split('-').filter(|w| w.len() > 1).collect();
    while words.len() > 1 && words.last().is_some_and(|w| FORMS.contains(w)) {
        words.pop();
    }
    format!("{}.example", words.join("-"))
}

/// Lower-case ASCII: accents dropped, every run of other characters replaced by `sep`.
fn ascii_slug(text: &str, sep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded: &str = match c {
            'à' | 'â' | 'ä' | 'á' => "a",
            'ç' => "c",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' => "y",
            'ñ' => "n",
            'ß' => "ss",
            'œ' => "oe",
            'æ' => "ae",
            _ => "",
        };
        if !folded.is_empty() || c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push_str(sep);
            }
            pending = false;
            if folded.is_empty() {
                out.push(c);
            } else {
                out.push_str(folded);
            }
        } else {
            pending = true;
        }
    }
    out
}

/// A house number: mostly small, as on real streets.
fn house_number(rng: &mut Rng) -> i64 {
    match rng.below(10) {
        0..6 => rng.between(1, 40),
        6..9 => rng.between(41, 120),
        _ => rng.between(121, 350),
    }
}

/// " bis" or " ter" now and then.
fn bis(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..4 => " bis",
        4 => " ter",
        _ => "",
    }
}

fn digit_string(rng: &mut Rng, len: usize) -> String {
    // The first digit is never 0: it would read as a trunk prefix.
    let mut s = String::with_capacity(len);
    for i in 0..len {
        let d = if i == 0 {
            rng.between(1, 9)
        } else {
            rng.between(0, 9)
        };
        s.push(char::from(b'0' + d as u8));
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
mod tests {
    use super::*;

    #[test]
    fn domains_drop_legal_forms_and_accents() {
        assert_eq!(
            domain_of("Transports Leroy SAS"),
            "transports-leroy.example"
        );
        assert_eq!(
            domain_of("Métallerie Lefèvre SARL"),
            "metallerie-lefevre.example"
        );
        assert_eq!(
            domain_of("Müller & Söhne GmbH & Co. KG"),
            "muller-sohne.example"
        );
        assert_eq!(
            domain_of("Construcciones Pérez S.L."),
            "construcciones-perez.example"
        );
        assert_eq!(
            domain_of("Rossi Meccanica S.r.l."),
            "rossi-meccanica.example"
        );
        assert_eq!(domain_of("Peeters Bouw BV"), "peeters-bouw.example");
        assert_eq!(domain_of("Smith & Sons Ltd"), "smith-sons.example");
        assert_eq!(domain_of("Ville d'Angers"), "ville-angers.example");
    }

    #[test]
    fn city_prepositions_elide() {
        assert_eq!(de("Tours"), "de Tours");
        assert_eq!(de("Angers"), "d'Angers");
        assert_eq!(de("Évry-Courcouronnes"), "d'Évry-Courcouronnes");
        assert_eq!(de("Le Mans"), "du Mans");
        assert_eq!(de("La Rochelle"), "de La Rochelle");
    }

    #[test]
    fn french_numbers_come_from_the_fiction_blocks() {
        let mut rng = Rng::new(9);
        for zone in 1..=6u8 {
            let n = fr_phone(&mut rng, zone);
            assert!(
                n.starts_with(&format!(
                    "+33 {zone} {}",
                    FR_FICTION_BLOCKS[usize::from(zone)]
                )),
                "{n}"
            );
            assert_eq!(n.chars().filter(char::is_ascii_digit).count(), 11, "{n}");
        }
    }

    #[test]
    fn every_country_gives_a_full_identity() {
        let mut rng = Rng::new(1);
        for country in [
            Country::Fr,
            Country::De,
            Country::Be,
            Country::Es,
            Country::It,
            Country::Gb,
        ] {
            for party in [Party::Company { big: true }, Party::Company { big: false }] {
                for _ in 0..50 {
                    let id = identity(&mut rng, country, party);
                    assert!(!id.name.is_empty());
                    assert!(id.contacts.iter().any(|c| c.kind == ContactKind::Address));
                    for c in &id.contacts {
                        match c.kind {
                            ContactKind::Email => {
                                assert!(c.value.ends_with(".example"), "{}", c.value);
                                assert!(c.value.is_ascii(), "{}", c.value);
                                assert_eq!(c.value.matches('@').count(), 1, "{}", c.value);
                            }
                            ContactKind::Phone => assert!(c.value.starts_with('+'), "{}", c.value),
                            ContactKind::Address => {}
                        }
                    }
                }
            }
        }
        for _ in 0..50 {
            let p = identity(&mut rng, Country::Fr, Party::Person);
            // First and last name ("Nadia Le Gall").
            assert!(p.name.split(' ').count() >= 2, "{}", p.name);
            assert!(p.contacts.iter().any(|c| c.kind == ContactKind::Address));
            let public = identity(&mut rng, Country::Fr, Party::PublicBody);
            assert!(public.contacts.len() == 3, "{public:?}");
        }
    }
}
