//! A synthetic register of acts for benchmarks: grants of a French département over
//! twenty-seven years, written from phrase lists so that common words ("subvention",
//! "Département") are everywhere and names (a commune, a collège) are rare, as in a real
//! register. Act `n` depends on `n` alone: the corpus is the same on every run and can be
//! generated in any order. Also the fixed query set the benchmark times.

use acta_search::{ActDocument, ActKind, IndexedBeneficiary};

/// Pas-de-Calais communes.
const COMMUNES: &[&str] = &[
    "Arras",
    "Boulogne-sur-Mer",
    "Calais",
    "Lens",
    "Liévin",
    "Béthune",
    "Saint-Omer",
    "Hénin-Beaumont",
    "Bruay-la-Buissière",
    "Carvin",
    "Berck",
    "Étaples",
    "Montreuil-sur-Mer",
    "Le Touquet-Paris-Plage",
    "Outreau",
    "Avion",
    "Nœux-les-Mines",
    "Bully-les-Mines",
    "Oignies",
    "Harnes",
    "Méricourt",
    "Sallaumines",
    "Courrières",
    "Auchel",
    "Lillers",
    "Aire-sur-la-Lys",
    "Longuenesse",
    "Arques",
    "Saint-Pol-sur-Ternoise",
    "Hesdin",
    "Bapaume",
    "Saint-Laurent-Blangy",
    "Achicourt",
    "Wimereux",
    "Marck",
    "Oye-Plage",
    "Guînes",
    "Ardres",
    "Audruicq",
    "Desvres",
    "Samer",
    "Fruges",
    "Aubigny-en-Artois",
    "Avesnes-le-Comte",
    "Vimy",
    "Wingles",
    "Douvrin",
    "Isbergues",
    "Marquise",
    "Calonne-Ricouart",
    "Divion",
    "Barlin",
    "Houdain",
    "Libercourt",
    "Dourges",
    "Montigny-en-Gohelle",
    "Rouvroy",
    "Grenay",
    "Mazingarbe",
    "Loos-en-Gohelle",
    "Vendin-le-Vieil",
    "Beuvry",
    "Annezin",
    "Vermelles",
    "Cucq",
    "Merlimont",
    "Rang-du-Fliers",
    "Le Portel",
];

/// Kinds of beneficiary, "{}" standing for the commune.
const BENEFICIARY_KINDS: &[&str] = &[
    "Association sportive de {}",
    "Commune de {}",
    "Comité des fêtes de {}",
    "Football Club de {}",
    "Office de tourisme de {}",
    "Centre social de {}",
    "École de musique de {}",
    "Association des parents d'élèves de {}",
    "Harmonie municipale de {}",
    "Club de handball de {}",
    "Amicale laïque de {}",
    "Association d'aide à domicile de {}",
];

/// Collèges are named after people.
const COLLEGE_NAMES: &[&str] = &[
    "Jean Jaurès",
    "Victor Hugo",
    "Jules Ferry",
    "Louis Pasteur",
    "Albert Camus",
    "Jean Moulin",
    "Pierre Mendès France",
    "Marie Curie",
    "Paul Langevin",
    "Léon Blum",
    "Jean Macé",
    "Anatole France",
];

const PURPOSES: &[&str] = &[
    "la rénovation du gymnase",
    "l'organisation du festival d'été",
    "l'achat de matériel pédagogique",
    "les voyages scolaires des élèves",
    "la restauration de l'église classée",
    "l'aménagement d'une aire de jeux",
    "le fonctionnement de l'école de musique",
    "l'accompagnement des personnes âgées à domicile",
    "l'insertion professionnelle des jeunes",
    "la création d'un jardin partagé",
    "la mise en accessibilité des locaux",
    "l'équipement numérique des classes",
    "la saison culturelle",
    "le tournoi régional de handball",
    "la formation des bénévoles",
    "l'entretien des chemins de randonnée",
    "la réfection de la toiture de la salle des fêtes",
    "l'accueil des enfants pendant les vacances",
    "la prévention des addictions chez les collégiens",
    "la valorisation du patrimoine minier",
    "l'apprentissage et la formation des artisans",
    "la lutte contre la précarité énergétique",
    "le transport des élèves en situation de handicap",
    "la protection des espaces naturels sensibles",
    "la promotion du tourisme sur la Côte d'Opale",
    "le développement de la lecture publique",
];

const TITLES: &[&str] = &[
    "Subvention à {b} pour {p}",
    "Participation financière {y} au profit de {b}",
    "Aide à l'investissement : {p}",
    "Convention de partenariat avec {b}",
    "Attribution d'une subvention de fonctionnement à {b}",
    "Soutien départemental à {p}",
    "Dotation complémentaire pour {p}",
];

const VISAS: &[&str] = &[
    "Vu le Code Général des Collectivités Territoriales et notamment ses articles L.3211-1 et L.3211-2 ;",
    "Vu la délibération n°2021-250 du Conseil départemental en date du 1er juillet 2021 « Délégations du Conseil départemental à sa Commission permanente » ;",
    "Vu la loi n°2000-321 du 12 avril 2000 relative aux droits des citoyens dans leurs relations avec les administrations ;",
    "Vu le Code de l'éducation ;",
    "Vu le Code de l'action sociale et des familles ;",
    "Vu le rapport du Président du Conseil départemental ;",
    "Vu l'avis de la commission thématique compétente ;",
];

const SENTENCES: &[&str] = &[
    "Le Département du Pas-de-Calais accompagne les acteurs du territoire dans leurs projets d'intérêt départemental.",
    "Les crédits nécessaires sont inscrits au budget départemental.",
    "Le bénéficiaire s'engage à mentionner le soutien du Département dans toute communication.",
    "Le versement interviendra sur présentation des justificatifs de dépenses.",
    "Cette opération s'inscrit dans la politique départementale en faveur de la jeunesse et des solidarités.",
    "Les élèves et leurs familles bénéficient directement de cette action.",
    "La convention précise les objectifs, les modalités de suivi et d'évaluation.",
    "En cas de non-respect de ses engagements, le bénéficiaire reverse tout ou partie de l'aide.",
    "Le projet associe les habitants, les associations locales et les établissements scolaires.",
    "Le montant de l'aide est calculé sur la base du budget prévisionnel présenté.",
    "L'association a déposé un dossier complet de demande de subvention.",
    "Le comité de pilotage se réunira au moins une fois par an.",
];

const MATTERS: &[(&str, &str)] = &[
    ("7.5", "Subventions"),
    ("8.1", "Enseignement"),
    ("8.2", "Aide sociale"),
    ("8.3", "Voirie"),
    ("8.4", "Aménagement du territoire"),
    ("8.5", "Politique de la ville, habitat, logement"),
    ("8.8", "Environnement"),
    ("8.9", "Culture"),
    ("9.1", "Autres domaines de compétences des départements"),
    ("7.4", "Interventions économiques"),
];

/// SplitMix64: a few well-mixed bits from a counter, enough for a varied corpus.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        // n is a list length: far below u64's range, so the bias is negligible.
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list.get(self.below(list.len())).copied().unwrap_or("")
    }
}

/// Number of distinct synthetic beneficiaries.
pub fn beneficiary_count() -> usize {
    COMMUNES.len() * (BENEFICIARY_KINDS.len() + COLLEGE_NAMES.len())
}

/// The `n`-th synthetic beneficiary, with a SIRET made of digits (not checked here).
pub fn beneficiary(n: usize) -> IndexedBeneficiary {
    let n = n % beneficiary_count();
    let commune = COMMUNES[n % COMMUNES.len()];
    let kind = n / COMMUNES.len();
    let name = match BENEFICIARY_KINDS.get(kind) {
        Some(pattern) => pattern.replace("{}", commune),
        None => {
            let person = COLLEGE_NAMES[(kind - BENEFICIARY_KINDS.len()) % COLLEGE_NAMES.len()];
            format!("Collège {person} de {commune}")
        }
    };
    IndexedBeneficiary {
        name,
        siret: Some(format!("{:09}{:05}", 200_000_000 + n, n % 100_000)),
    }
}

/// The `n`-th act of the synthetic register.
pub fn act(n: u64) -> ActDocument {
    let mut draw = Draw(n.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xACDA);
    let kind = match draw.below(10) {
        0..=4 => ActKind::Deliberation,
        5..=7 => ActKind::Report,
        _ => ActKind::Convention,
    };
    let year = 2000 + (n % 27) as i32;
    let month = 1 + draw.below(12);
    let day = 1 + draw.below(28);
    let body = if draw.below(5) == 0 {
        "Conseil départemental"
    } else {
        "Commission permanente"
    };
    let b = beneficiary(draw.below(beneficiary_count()));
    let purpose = draw.pick(PURPOSES);
    let euros = 500 + draw.below(250_000) as i64;
    let title = draw
        .pick(TITLES)
        .replace("{b}", &b.name)
        .replace("{p}", purpose)
        .replace("{y}", &year.to_string());
    let (matter_code, matter_label) = MATTERS[draw.below(MATTERS.len())];
    let mut text = format!(
        "Considérant que {} sollicite l'aide du Département pour {purpose} ;\n",
        b.name
    );
    for _ in 0..2 + draw.below(5) {
        text.push_str(draw.pick(SENTENCES));
        text.push('\n');
    }
    text.push_str(&format!(
        "Article 1 : D'attribuer à {} une subvention de {euros} € au titre de l'année {year} pour {purpose}.\n",
        b.name
    ));
    text.push_str("Article 2 : D'autoriser le Président du Conseil départemental à signer, au nom et pour le compte du Département, la convention à intervenir.\n");
    for _ in 0..draw.below(4) {
        text.push_str(draw.pick(SENTENCES));
        text.push('\n');
    }
    let visas = (0..2 + draw.below(3))
        .map(|_| draw.pick(VISAS).to_string())
        .collect();
    // One act in twenty is a draft, hidden from the public.
    let published = draw.below(20) != 0;
    ActDocument {
        key: format!("{}:{n}", kind.code()),
        kind,
        number: published.then(|| format!("{year}-{}", n / 27 % 100_000)),
        title,
        text,
        visas,
        beneficiaries: vec![b],
        body: body.to_string(),
        date: format!("{year}-{month:02}-{day:02}"),
        year,
        matter: Some((matter_code.to_string(), matter_label.to_string())),
        amount_centimes: Some(euros * 100),
        published,
    }
}

/// One query of the benchmark's fixed set, as a user types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchQuery {
    pub text: &'static str,
    pub year: Option<i32>,
}

/// The fixed query set: broad and narrow words, plurals and missing accents, phrases,
/// a prefix, names, and filtered searches.
pub fn queries() -> Vec<BenchQuery> {
    let q = |text, year| BenchQuery { text, year };
    vec![
        q("subvention", None),
        q("subventions associations", None),
        q("collège", None),
        q("eleves", None),
        q("rénovation gymnase", None),
        q("\"voyages scolaires\"", None),
        q("\"école de musique\"", None),
        q("festival été", None),
        q("restaur*", None),
        q("apprentissage artisans", None),
        q("Boulogne-sur-Mer", None),
        q("football Arras", None),
        q("matériel pédagogique Liévin", None),
        q("Jean Jaurès Lens", None),
        q("tourisme", Some(2015)),
        q("association sportive", Some(2023)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_the_same_on_every_run_and_varied() {
        assert_eq!(act(42), act(42));
        assert_ne!(act(42).text, act(43).text);
        let names: std::collections::BTreeSet<_> = (0..5_000)
            .map(|n| act(n).beneficiaries[0].name.clone())
            .collect();
        assert!(names.len() > 1_000, "{} beneficiaries", names.len());
        let drafts = (0..5_000).filter(|n| !act(*n).published).count();
        assert!((150..350).contains(&drafts), "{drafts} drafts");
    }

    #[test]
    fn beneficiaries_cover_every_kind_and_commune() {
        assert_eq!(beneficiary(0).name, "Association sportive de Arras");
        let last = beneficiary(beneficiary_count() - 1).name;
        assert_eq!(last, "Collège Anatole France de Le Portel");
    }
}
