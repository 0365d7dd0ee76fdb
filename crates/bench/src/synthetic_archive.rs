//! A synthetic archive for the benchmark: files of one to five deliberations in the forms
//! real archives use (département and commune headings, proxies, group votes, unanimity,
//! page marks, a budget table), generated from a seed so that every run reads the same text.

use acta_domain::french::month_name_of;

const SURNAMES: [&str; 16] = [
    "LEROY", "DUPONT", "MARTIN", "DURAND", "PETIT", "MOREL", "ROUX", "FOURNIER", "GIRARD",
    "LAMBERT", "BONNET", "FRANCOIS", "MERCIER", "LEFEBVRE", "DELASSUS", "CAUWET",
];
const FIRST_NAMES: [(&str, &str); 12] = [
    ("M.", "Jean"),
    ("Mme", "Anne"),
    ("M.", "Paul"),
    ("Mme", "Claire"),
    ("M.", "Luc"),
    ("Mme", "Sophie"),
    ("M.", "Marc"),
    ("Mme", "Julie"),
    ("M.", "Éric"),
    ("Mme", "Hélène"),
    ("M.", "Pierre"),
    ("Mme", "Maïté"),
];
const CITIES: [&str; 6] = [
    "ARRAS",
    "LENS",
    "BÉTHUNE",
    "CALAIS",
    "SAINT-OMER",
    "BOULOGNE-SUR-MER",
];

/// A small deterministic generator (xorshift): the same seed gives the same archive.
pub struct Archive {
    state: u64,
    file: u64,
}

impl Archive {
    pub fn new(seed: u64) -> Self {
        Archive {
            state: seed.max(1),
            file: 0,
        }
    }

    fn next(&mut self, bound: usize) -> usize {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        usize::try_from(self.state % (bound.max(1) as u64)).unwrap_or(0)
    }

    fn name(&mut self) -> String {
        let (civility, first) = FIRST_NAMES[self.next(FIRST_NAMES.len())];
        let surname = SURNAMES[self.next(SURNAMES.len())];
        format!("{civility} {first} {surname}")
    }

    /// The next file's text and the number of deliberations it holds.
    pub fn next_file(&mut self) -> (String, usize) {
        self.file += 1;
        let count = 1 + self.next(5);
        let day = 1 + self.next(28);
        let month = month_name_of(1 + self.next(12));
        let year = 1995 + self.next(30);
        let commune = self.next(2) == 0;
        let mut text = String::with_capacity(8 * 1024);
        if commune {
            let city = CITIES[self.next(CITIES.len())];
            text.push_str(&format!(
                "COMMUNE DE {city}\n\nEXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU CONSEIL MUNICIPAL\n\nSéance du {day} {month} {year} à 18 h 30\n\nSous la présidence de {}, Maire\n\n",
                self.name()
            ));
        } else {
            text.push_str(&format!(
                "DEPARTEMENT DU PAS-DE-CALAIS\n\nDELIBERATION DE LA COMMISSION PERMANENTE\nDU CONSEIL DEPARTEMENTAL\n\nREUNION DU {day} {} {year}\n\nPRESIDENCE DE MONSIEUR JEAN-CLAUDE LEROY\n\n",
                month.to_uppercase()
            ));
        }
        text.push_str(&format!("Secrétaire : {}\n\n", self.name()));
        let present: Vec<String> = (0..20 + self.next(25)).map(|_| self.name()).collect();
        text.push_str("Étaient présents : ");
        wrap_into(&mut text, &present.join(", "));
        text.push_str(&format!(
            ".\n\nExcusé(s) : {} (pouvoir à {}), {}.\n\nAbsent(s) : {}.\n\n",
            self.name(),
            self.name(),
            self.name(),
            self.name()
        ));
        for index in 0..count {
            self.deliberation(&mut text, year, index);
            text.push_str(&format!("\n{} / {count}\n\u{c}", index + 1));
        }
        (text, count)
    }

    fn deliberation(&mut self, text: &mut String, year: usize, index: usize) {
        let number = 100 + self.file * 5 + index as u64;
        let amount = (1 + self.next(400)) * 250;
        let association = [
            "Association Les Amis du Livre",
            "Club Athlétique Municipal",
            "Comité des Fêtes",
            "Chambre de Métiers et de l'Artisanat",
        ][self.next(4)];
        text.push_str(&format!(
            "SUBVENTION A L'ASSOCIATION N°{number} - PARTICIPATION {year}\n\n(N°{year}-{number})\n\n"
        ));
        text.push_str("Vu le Code Général des Collectivités Territoriales et, notamment, ses articles L.3211-1 et\nL.3211-2 ;\n");
        text.push_str(&format!(
            "Vu la délibération n°{}-12 en date du 01/07/{} « Délégation d’attributions » ;\n",
            year - 1,
            year - 1
        ));
        text.push_str("Vu le rapport du Président, ci-annexé ;\n\nConsidérant l'intérêt des actions menées sur le terri-\ntoire ;\n\nAprès en avoir délibéré,\n\nDECIDE :\n\nArticle 1 :\n\n");
        wrap_into(
            text,
            &format!(
                "D’attribuer à {association}, la participation financière de {} € au titre de l’année {year}, pour la réalisation du programme d’actions tel que décrit au rapport en annexe.",
                group(amount)
            ),
        );
        text.push_str("\n\nArticle 2 :\n\n");
        wrap_into(
            text,
            "D’autoriser le Président à signer, au nom et pour le compte de la collectivité, la convention correspondante dans les termes du projet joint à la présente délibération.",
        );
        text.push_str(&format!(
            "\n\nArticle 3 :\n\nLa dépense est imputée sur le budget comme suit :\n\nCode Opération Imputation budgétaire Libellé Opération CP € Dépense €\n\nC01-620A06 6568//9361 PARTENARIAT - ARTISANAT {},00 {},00\n\n",
            group(amount * 2),
            group(amount)
        ));
        if self.next(3) == 0 {
            text.push_str("Adopté à l'unanimité.\n\n");
        } else {
            let against = self.next(5);
            text.push_str(&format!(
                "Dans les conditions de vote ci-dessous :\n\nPour : {} voix (Groupe Socialiste, Républicain et Citoyen ; Groupe Union pour le Pas-de-Calais)\nContre : {against} voix (Groupe Rassemblement National)\nAbstention : 0 voix\n\n(Adopté)\n\n",
                30 + self.next(15)
            ));
        }
        text.push_str(&format!(
            "LE PRESIDENT DU CONSEIL DEPARTEMENTAL,\n\nJean-Claude LEROY\n\n{}, le {} {} {year}\n\n",
            CITIES[self.next(CITIES.len())],
            1 + self.next(28),
            month_name_of(1 + self.next(12))
        ));
    }
}

/// "120 000" for 120000.
fn group(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Appends the text wrapped at about 90 characters, as a PDF's lines come out.
fn wrap_into(out: &mut String, text: &str) {
    let mut width = 0;
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            if width + word.len() > 90 {
                out.push('\n');
                width = 0;
            } else {
                out.push(' ');
                width += 1;
            }
        }
        out.push_str(word);
        width += word.len();
    }
}
