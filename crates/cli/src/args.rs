//! The command line's shape. Help texts are French: they are what users read.

use acta_app::input::{
    AuthorisationInput, AwardInput, BankAccountInput, BeneficiaryForm, BudgetDecisionInput,
    DelegationInput, DocumentInput, EnvelopeInput, NewBudgetLine, NewItem, NewSitting,
    PaymentInput, ProxyInput, ReimbursementInput, SignatureInput, TerminationInput,
};
use acta_domain::keys::{AwardKey, SittingKey};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "acta",
    version,
    about = "acta : délibérations, séances et subventions d'un Département",
    long_about = None
)]
pub struct Cli {
    /// Base de données : un fichier SQLite (par défaut acta.db) ou une adresse postgres://…
    #[arg(
        long,
        global = true,
        env = "ACTA_DATABASE_URL",
        default_value = "acta.db"
    )]
    pub database: String,

    /// Qui agit : inscrit dans chaque entrée du journal.
    #[arg(long = "as", global = true, env = "ACTA_USER", default_value = "cli")]
    pub actor: String,

    /// Dossier de l'index de recherche (par défaut, à côté du fichier SQLite :
    /// acta.db.index ; avec PostgreSQL : acta-index). Chaque collectivité autre que la
    /// n° 1 a le sien à côté : …-collectivite-N.
    #[arg(long, global = true, env = "ACTA_INDEX")]
    pub index: Option<PathBuf>,

    /// Collectivité pour laquelle on agit, quand une base PostgreSQL en tient plusieurs
    /// (un fichier SQLite n'en tient qu'une, la n° 1).
    #[arg(
        long,
        global = true,
        env = "ACTA_COLLECTIVITY",
        default_value_t = 1,
        value_name = "N"
    )]
    pub collectivity: i64,

    /// Sortie pour les machines : le résultat en JSON sur la sortie standard, au lieu des
    /// phrases (les commandes qui n'ont rien à rendre l'ignorent).
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crée la base de données (ou met son schéma à jour).
    Init,
    /// Charge le cas réel de démonstration : délibération N°2023-479 du Pas-de-Calais.
    Demo {
        /// Seulement le référentiel (élus, instances, budget, bénéficiaire), pour rejouer
        /// la séance pas à pas.
        #[arg(long)]
        referential_only: bool,
        /// Au lieu du cas réel, un registre synthétique de N délibérations (séances
        /// hebdomadaires de 100 points, 50 bénéficiaires), pour éprouver exports et volumes.
        #[arg(long, value_name = "N", conflicts_with = "referential_only")]
        synthetic: Option<usize>,
    },
    /// Charge un jeu de données (fichier TOML) dans une base neuve.
    Load { file: PathBuf },
    /// Affiche une délibération, une séance ou une convention.
    #[command(subcommand)]
    Show(ShowCommand),
    /// Journal des modifications.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Bénéficiaires de subventions.
    #[command(subcommand, name = "beneficiary", alias = "beneficiaire")]
    Beneficiary(BeneficiaryCommand),
    /// Comptes bancaires des bénéficiaires.
    #[command(subcommand, name = "bank-account", alias = "compte")]
    BankAccount(BankAccountCommand),
    /// Séances : création.
    #[command(subcommand, alias = "seance")]
    Sitting(SittingCommand),
    /// Appel : présents, excusés, absents, sans voix délibérative.
    #[command(alias = "presence")]
    Attendance(AttendanceArgs),
    /// Arrivée ou départ d'un élu en cours de séance.
    #[command(alias = "mouvement")]
    Movement(MovementArgs),
    /// Pouvoir (délégation de vote) pour une séance, ou sa réattribution.
    #[command(alias = "pouvoir")]
    Proxy(ProxyArgs),
    /// Points de l'ordre du jour : ajout, état (quorum, majorité), vote et clôture.
    #[command(subcommand, alias = "point")]
    Item(ItemCommand),
    /// Numérotation des délibérations.
    #[command(subcommand, alias = "numerotation")]
    Numbering(NumberingCommand),
    /// Règles d'assemblée (quorum, reconvocation, numérotation).
    #[command(subcommand, alias = "regles")]
    Rules(RulesCommand),
    /// Élus : liste, groupe politique.
    #[command(subcommand, alias = "elu")]
    Member(MemberCommand),
    /// Sièges d'élus dans les instances d'un bénéficiaire (déport).
    #[command(subcommand, alias = "siege")]
    Seat(SeatCommand),
    /// Lignes budgétaires : création, crédits disponibles.
    #[command(subcommand, name = "budget-line", alias = "ligne")]
    BudgetLine(BudgetLineCommand),
    /// Décisions budgétaires (BP, BS, DM, virements) proposées par un rapport et votées.
    #[command(subcommand, name = "budget-decision", alias = "decision-budgetaire")]
    BudgetDecision(BudgetDecisionCommand),
    /// Délégations du Conseil départemental à la commission permanente (CGCT L3211-2).
    #[command(subcommand)]
    Delegation(DelegationCommand),
    /// Autorisations de programme et d'engagement (AP/AE) et leur échéancier.
    #[command(subcommand, alias = "autorisation")]
    Authorisation(AuthorisationCommand),
    /// Attributions (subventions, participations) proposées par un rapport.
    #[command(subcommand, alias = "attribution")]
    Award(AwardCommand),
    /// Conventions : rédaction, signature, avenants, résiliation, clôture, versions.
    #[command(subcommand, name = "convention")]
    ConventionCmd(ConventionCommand),
    /// Versements (mandatements) d'une aide.
    #[command(subcommand, alias = "versement")]
    Payment(PaymentCommand),
    /// Documents reçus des bénéficiaires ; documents en retard.
    #[command(subcommand)]
    Document(DocumentCommand),
    /// Décision de reversement (titre de recette) : totale ou partielle.
    #[command(alias = "reversement")]
    Reimbursement(ReimbursementArgs),
    /// Documents officiels en PDF/A ou HTML : délibération, rapport, convention, séance.
    #[command(subcommand, alias = "edition")]
    Render(RenderCommand),
    /// La collectivité : SIRET du siège, nom d'hôte de son portail ; les collectivités
    /// de la base.
    #[command(subcommand, alias = "collectivite")]
    Collectivity(CollectivityCommand),
    /// Exports : données ouvertes SCDL, transmission @ctes, Akoma Ntoso, Popolo.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Imports de fichiers d'autres collectivités (SCDL subventions).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Contrôle de légalité : accusé de réception de la préfecture.
    #[command(subcommand)]
    Actes(ActesCommand),
    /// Signataires et leurs certificats ; autorités de certification reconnues.
    #[command(subcommand, alias = "signataire")]
    Signer(SignerCommand),
    /// Signature électronique (PAdES) : délibération, procès-verbal, convention.
    #[command(subcommand)]
    Signature(SignatureCommand),
    /// Vérifie les signatures d'un PDF : signataire, intégrité, validité du certificat.
    #[command(alias = "verifier")]
    Verify { file: PathBuf },
    /// Télétransmission à la préfecture (S²LOW) : envoi, accusé, courriers, annulation.
    #[command(subcommand, alias = "teletransmission")]
    Transmission(TransmissionCommand),
    /// Procès-verbal d'une séance : teneur des discussions, approbation, publication.
    #[command(subcommand, alias = "proces-verbal")]
    Minutes(MinutesCommand),
    /// Archivage électronique (SEDA 2.3) : paquet de versement d'une séance, réponse du SAE.
    #[command(subcommand, alias = "archivage")]
    Archive(ArchiveCommand),
    /// Publication sur le portail, retrait, notification des décisions individuelles,
    /// caractère exécutoire.
    #[command(subcommand)]
    Publication(PublicationCommand),
    /// Recherche plein texte dans les actes (délibérations, rapports, conventions).
    #[command(alias = "recherche")]
    Search(SearchArgs),
    /// Sert le portail public et l'API JSON (http://127.0.0.1:8080 par défaut).
    #[command(alias = "servir")]
    Serve {
        /// Adresse d'écoute.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Charge le cas réel (démo) si la base est vide, et ouvre le compte
        /// administrateur « demo » avec un mot de passe neuf, affiché au démarrage.
        #[arg(long)]
        demo: bool,
        /// Cookies de session « Secure » : le serveur est derrière un proxy TLS.
        #[arg(long)]
        secure_cookies: bool,
        #[command(flatten)]
        anchoring: ServeAnchoring,
        #[command(flatten)]
        replica: ServeReplica,
    },
    /// Comptes des agents et des élus (connexion à l'espace agents).
    #[command(subcommand, name = "account", alias = "utilisateur")]
    Account(AccountCommand),
    /// Circuits de validation des rapports.
    #[command(subcommand)]
    Circuit(CircuitCommand),
    /// Rapports en préparation : rédaction, circuit, inscription à l'ordre du jour.
    #[command(subcommand, alias = "rapport")]
    Report(ReportCommand),
    /// Convocation d'une séance par courriel, preuves d'envoi, présence attendue.
    #[command(subcommand)]
    Convocation(ConvocationCommand),
    /// Espace des élus, au nom du compte « elu » donné par --as.
    #[command(subcommand, name = "member-space", alias = "espace-elu")]
    MemberSpace(MemberSpaceCommand),
    /// Dispositifs d'aide (appels à projets).
    #[command(subcommand)]
    Dispositif(DispositifCommand),
    /// Demandes de subvention déposées par les organismes : instruction, proposition,
    /// notification de la décision.
    #[command(subcommand, alias = "demande")]
    Application(ApplicationCommand),
    /// Documents envoyés par les bénéficiaires après le vote (convention contresignée,
    /// pièces attendues par une tranche) : examen.
    #[command(subcommand, name = "grant-document", alias = "piece-beneficiaire")]
    GrantDocument(GrantDocumentCommand),
    /// Sauvegarde à chaud : la base à un instant donné (SQLite, ou pg_dump d'un instantané
    /// PostgreSQL), l'index de recherche et un manifeste des empreintes ; le journal de la
    /// copie est vérifié.
    #[command(alias = "sauvegarde")]
    Backup {
        /// Dossier neuf (ou vide) où écrire la sauvegarde.
        dir: PathBuf,
    },
    /// Restaure une sauvegarde dans une base vide (--database) et l'index (--index), puis
    /// vérifie le journal jusqu'à la tête notée dans le manifeste.
    #[command(alias = "restauration")]
    Restore {
        /// Le dossier écrit par « acta backup ».
        dir: PathBuf,
    },
    /// Reconstruit l'index de recherche à partir de la base.
    Reindex,
    /// Paramètres des données ouvertes et de @ctes (budget, URL, référent).
    #[command(subcommand, name = "open-data", alias = "donnees-ouvertes")]
    OpenData(OpenDataCommand),
    /// Mesures de performance (à lancer en --release).
    #[command(subcommand)]
    Bench(acta_bench::cli::BenchCommand),
    /// Exécution d'une aide : versé, dû, reversé, tranches.
    #[command(alias = "aide")]
    Grant {
        /// Numéro de délibération (ex. 2023-479) ou d'attribution (#12).
        key: AwardKey,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConventionCommand {
    /// Rédige la convention d'une aide adoptée (projet).
    Create {
        /// Numéro de délibération (ex. 2023-479) ou d'attribution (#12).
        key: AwardKey,
        /// Tranche : « MONTANT:signature[:sur-demande] », « MONTANT:document:DESCRIPTION[:JJ/MM+N] »
        /// ou « MONTANT:date:AAAA-MM-JJ » ; MONTANT en euros ou en pourcentage (80 %).
        #[arg(long = "tranche", required = true)]
        tranches: Vec<String>,
        /// Juridiction compétente, ex. « tribunal administratif de LILLE ».
        #[arg(long)]
        court: String,
        #[arg(long)]
        title: Option<String>,
    },
    /// Enregistre la signature.
    Sign {
        key: AwardKey,
        #[command(flatten)]
        input: SignatureInput,
    },
    /// Avenant : nouveau montant, échéancier ou fin d'exécution.
    Amend {
        key: AwardKey,
        #[arg(long)]
        date: String,
        #[arg(long)]
        object: String,
        #[arg(long)]
        amount: Option<String>,
        #[arg(long = "tranche")]
        tranches: Vec<String>,
        /// Fin de la période d'exécution (apurement).
        #[arg(long)]
        execution_end: Option<String>,
    },
    /// Résilie : ce qui reste dû est annulé.
    Terminate {
        key: AwardKey,
        #[command(flatten)]
        input: TerminationInput,
    },
    /// Clôt une convention soldée ou résiliée.
    Close { key: AwardKey },
    /// Toutes les versions de la convention (originale, puis après chaque avenant).
    Versions { key: AwardKey },
}

#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Enregistre un versement sur une tranche.
    Add {
        key: AwardKey,
        #[command(flatten)]
        input: PaymentInput,
    },
}

#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Enregistre la réception d'un document attendu par une tranche.
    Receive {
        key: AwardKey,
        #[command(flatten)]
        input: DocumentInput,
    },
    /// Liste les documents attendus et non reçus à l'échéance.
    Overdue {
        /// Date du jour (par défaut : aujourd'hui).
        #[arg(long)]
        date: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ReimbursementArgs {
    pub key: AwardKey,
    #[command(flatten)]
    pub input: ReimbursementInput,
}

#[derive(Debug, Subcommand)]
pub enum BudgetLineCommand {
    /// Crée une ligne du budget voté.
    Add {
        #[command(flatten)]
        input: NewBudgetLine,
    },
    /// Crédits votés, engagés et disponibles d'une ligne, et l'historique de ses crédits.
    Show {
        /// Code opération ou numéro de ligne.
        line: String,
        #[arg(long)]
        year: i16,
    },
}

#[derive(Debug, Subcommand)]
pub enum BudgetDecisionCommand {
    /// Propose une décision budgétaire au titre d'un point de l'ordre du jour.
    Propose {
        sitting: SittingKey,
        position: u32,
        #[command(flatten)]
        input: BudgetDecisionInput,
    },
    /// Les décisions budgétaires d'un exercice.
    List {
        #[arg(long)]
        year: i16,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuthorisationCommand {
    /// Enregistre une autorisation votée et son échéancier de crédits de paiement.
    Add {
        #[command(flatten)]
        input: AuthorisationInput,
    },
    /// Révise le montant et l'échéancier d'une autorisation.
    Revise {
        code: String,
        #[command(flatten)]
        input: EnvelopeInput,
    },
    /// Constate la caducité d'une autorisation.
    Lapse { code: String },
    /// Une autorisation : engagé, reste, crédits de chaque année.
    Show { code: String },
    /// Les autorisations enregistrées.
    List,
}

#[derive(Debug, Subcommand)]
pub enum DelegationCommand {
    /// Enregistre une délibération de délégation à la commission permanente.
    Add {
        #[command(flatten)]
        input: DelegationInput,
    },
    /// Les délégations enregistrées.
    List,
}

#[derive(Debug, Subcommand)]
pub enum AwardCommand {
    /// Annule une aide non versée : ses crédits sont libérés.
    Cancel { key: AwardKey },
    /// Propose une attribution au titre d'un point de l'ordre du jour.
    Propose {
        sitting: SittingKey,
        position: u32,
        #[command(flatten)]
        input: AwardInput,
    },
}

#[derive(Debug, Subcommand)]
pub enum SittingCommand {
    /// Crée une séance.
    Create {
        #[command(flatten)]
        input: NewSitting,
    },
}

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    /// La séance : numéro ou date.
    pub sitting: SittingKey,
    /// present, excuse, absent, sans_voix ou excuse_sans_voix.
    pub status: String,
    /// Les élus (« Prénom NOM »).
    #[arg(required = true)]
    pub members: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MovementArgs {
    pub sitting: SittingKey,
    pub member: String,
    /// Arrive à partir de ce point (inclus).
    #[arg(
        long,
        conflicts_with = "leaves_after",
        required_unless_present = "leaves_after"
    )]
    pub arrives_from: Option<u32>,
    /// Part après ce point : ne vote plus à partir du suivant.
    #[arg(long)]
    pub leaves_after: Option<u32>,
}

#[derive(Debug, Args)]
pub struct ProxyArgs {
    pub sitting: SittingKey,
    #[command(flatten)]
    pub input: ProxyInput,
}

/// The three ways to enter a vote, and its options.
#[derive(Debug, Args, Default)]
pub struct VoteArgs {
    /// Vote par élu : « Prénom NOM=pour » (pour, contre, abstention, npp) ; à répéter.
    #[arg(long = "member")]
    pub members: Vec<String>,
    /// Vote par groupe « Nom du groupe=pour » ; avec --for…, les groupes cités à côté des totaux.
    #[arg(long = "group")]
    pub groups: Vec<String>,
    /// Exception au vote de son groupe : « Prénom NOM=contre ».
    #[arg(long = "except")]
    pub exceptions: Vec<String>,
    /// Totaux : voix pour.
    #[arg(long = "for")]
    pub for_: Option<u32>,
    #[arg(long)]
    pub against: Option<u32>,
    #[arg(long)]
    pub abstention: Option<u32>,
    /// Ne prennent pas part au vote.
    #[arg(long)]
    pub not_participating: Option<u32>,
    /// Scrutin secret (totaux seulement ; pas de voix prépondérante).
    #[arg(long)]
    pub secret: bool,
    /// Vote du président, pour départager en cas d'égalité.
    #[arg(long)]
    pub president_vote: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Ajoute un rapport à l'ordre du jour, avec son projet de délibération.
    Add {
        sitting: SittingKey,
        #[command(flatten)]
        input: NewItem,
    },
    /// Montre un point : présence, quorum et, avec un vote, décompte et majorité (sans rien enregistrer).
    Show(ItemVote),
    /// Enregistre le vote, clôt le point et numérote la délibération.
    Close(ItemVote),
}

/// An agenda item and a vote on it, shown or recorded.
#[derive(Debug, Args)]
pub struct ItemVote {
    pub sitting: SittingKey,
    pub position: u32,
    #[command(flatten)]
    pub vote: VoteArgs,
}

#[derive(Debug, Subcommand)]
pub enum NumberingCommand {
    /// Fixe le dernier numéro donné d'une séquence (le suivant sera dernier + 1).
    Set {
        #[arg(long)]
        body: String,
        #[arg(long)]
        year: i16,
        #[arg(long)]
        last: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Affiche les règles en vigueur.
    Show,
    /// Remplace les règles par celles d'un fichier TOML.
    Set { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum MemberCommand {
    /// Liste les élus.
    List,
    /// Inscrit un élu dans un groupe politique.
    Group { member: String, group: String },
    /// Enregistre (ou efface) l'adresse électronique d'un élu, où partent ses convocations.
    Email(acta_app::input::MemberEmailInput),
}

#[derive(Debug, Subcommand)]
pub enum SeatCommand {
    /// Enregistre qu'un élu siège dans les instances d'un bénéficiaire.
    Add {
        #[arg(long)]
        member: String,
        /// Le bénéficiaire : numéro ou SIRET.
        #[arg(long)]
        beneficiary: String,
        /// Le siège : « membre du conseil d'administration »…
        #[arg(long)]
        capacity: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ShowCommand {
    /// Une délibération par son numéro (ex. 2023-479).
    Deliberation(ActNumber),
    /// Une séance par son numéro ou sa date (AAAA-MM-JJ).
    Sitting { key: SittingKey },
    /// La convention d'une aide : celle d'une délibération (ex. 2023-479) ou d'une
    /// attribution (#12).
    Convention { key: AwardKey },
    /// Une délibération archivée par son numéro, ou par son identifiant (#12).
    Archive { key: String },
}

/// Anchoring on a schedule while serving.
#[derive(Debug, Args)]
pub struct ServeAnchoring {
    /// Ancre le journal avec cette clé (acta journal key), au démarrage puis à intervalles.
    #[arg(long, value_name = "FICHIER", requires = "anchor_dir")]
    pub anchor_key: Option<PathBuf>,
    /// Le dossier où écrire les ancrages (ceux de la collectivité n° N, si N > 1, dans
    /// DOSSIER-collectivite-N, à côté).
    #[arg(long, value_name = "DOSSIER", requires = "anchor_key")]
    pub anchor_dir: Option<PathBuf>,
    /// Minutes entre deux ancrages (seulement si le journal a avancé).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=10080))]
    pub anchor_every: u64,
}

/// A streaming replica for the reads that tolerate lag.
#[derive(Debug, Args)]
pub struct ServeReplica {
    /// Réplique PostgreSQL (en flux) où lire le portail, la recherche et les données
    /// ouvertes ; les écritures vont toujours à --database.
    #[arg(long, value_name = "URL", env = "ACTA_READ_DATABASE")]
    pub read_database: Option<String>,
    /// Retard toléré de la réplique, en secondes : au-delà, la base principale est lue.
    #[arg(long, value_name = "SECONDES", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub max_read_lag: u64,
}

/// A deliberation by its number, printed as text or as JSON.
#[derive(Debug, Args)]
pub struct ActNumber {
    /// Le numéro de la délibération (ex. 2023-479).
    pub number: String,
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Vérifie le chaînage : signale la première entrée modifiée ou supprimée.
    Verify {
        /// Vérifie aussi le journal contre chaque ancrage de ce dossier (acta journal anchor).
        #[arg(long, value_name = "DOSSIER")]
        anchors: Option<PathBuf>,
        /// La clé publique de confiance (64 chiffres hexadécimaux, ou le fichier .pub).
        #[arg(long, requires = "anchors")]
        public_key: Option<String>,
    },
    /// Crée la clé d'ancrage (Ed25519) dans un fichier lisible de son seul propriétaire,
    /// et sa clé publique à côté (.pub). À garder hors de la base de données.
    Key {
        #[arg(long, value_name = "FICHIER")]
        out: PathBuf,
    },
    /// Ancre le journal : signe sa tête avec la clé et l'écrit dans le dossier des ancrages.
    Anchor {
        #[arg(long, value_name = "FICHIER")]
        key: PathBuf,
        #[arg(long, value_name = "DOSSIER")]
        dir: PathBuf,
    },
    /// Les dernières entrées.
    List {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// L'historique d'un enregistrement : sa création, puis chaque modification champ par
    /// champ (valeur avant, valeur après), reconstitué depuis le journal.
    History {
        /// Le type d'enregistrement, tel que le journal le nomme (elu, ligne_budgetaire…).
        entity: String,
        /// Son numéro.
        id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum BeneficiaryCommand {
    /// Enregistre un bénéficiaire.
    Add(Box<BeneficiaryAdd>),
    /// Liste les bénéficiaires.
    List,
    /// Fusionne un bénéficiaire en double dans celui qui est conservé.
    Merge(acta_app::input::MergeInput),
}

#[derive(Debug, Args)]
pub struct BeneficiaryAdd {
    #[command(flatten)]
    pub input: BeneficiaryForm,
}

#[derive(Debug, Subcommand)]
pub enum BankAccountCommand {
    /// Enregistre un compte bancaire (IBAN ou RIB).
    Add(BankAccountAdd),
}

#[derive(Debug, Args)]
pub struct BankAccountAdd {
    /// Le bénéficiaire : son numéro ou son SIRET.
    #[arg(long)]
    pub beneficiary: String,
    #[command(flatten)]
    pub input: BankAccountInput,
}

#[derive(Debug, Args)]
pub struct RenderOptions {
    /// pdf ou html (pour une séance : une liste, ex. pdf,html).
    #[arg(long, default_value = "pdf")]
    pub format: String,
    /// Fichier de configuration des documents (en-tête, logo, clauses types).
    #[arg(long, env = "ACTA_DOCUMENTS_CONFIG")]
    pub config: Option<PathBuf>,
    /// Dossier de modèles Typst qui remplacent ceux d'acta.
    #[arg(long, env = "ACTA_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// Fichier (document) ou dossier (séance) de sortie.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum RenderCommand {
    /// Une délibération par son numéro.
    Deliberation {
        number: String,
        #[command(flatten)]
        options: RenderOptions,
    },
    /// Le rapport d'une délibération.
    Report {
        number: String,
        #[command(flatten)]
        options: RenderOptions,
    },
    /// La convention d'une aide (numéro de délibération, ou d'attribution : #12).
    Convention {
        key: AwardKey,
        #[command(flatten)]
        options: RenderOptions,
    },
    /// Tous les documents d'une séance, en parallèle : procès-verbal, rapports,
    /// délibérations, pages du registre, conventions.
    Sitting {
        key: SittingKey,
        #[command(flatten)]
        options: RenderOptions,
    },
}

#[derive(Debug, Subcommand)]
pub enum CollectivityCommand {
    /// Enregistre le SIRET du siège (il doit appartenir au SIREN de la collectivité).
    SetSiret { siret: String },
    /// Nom d'hôte auquel `acta serve` sert le portail et l'espace agents de la
    /// collectivité (ex. actes.exemple.fr) ; sans nom, le retire.
    #[command(alias = "hote")]
    Host { host: Option<String> },
    /// Les collectivités que tient la base, avec leur nom d'hôte.
    #[command(alias = "liste")]
    List,
    /// La configuration des documents de la collectivité : en-tête, formules, clauses,
    /// logo (sans elle, la configuration intégrée s'applique).
    #[command(subcommand)]
    Documents(DocumentsConfigCommand),
}

#[derive(Debug, Subcommand)]
pub enum DocumentsConfigCommand {
    /// Affiche la configuration qui s'applique, en TOML (à copier pour en écrire une).
    #[command(alias = "affiche")]
    Show,
    /// Donne à la collectivité cette configuration (TOML, comme « acta render --config ») ;
    /// le logo que nomme header.logo est lu maintenant et gardé en base.
    Set { file: PathBuf },
    /// Revient à la configuration intégrée.
    Reset,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Fichier SCDL des délibérations (schéma 2.1.5), en flux.
    ScdlDeliberations {
        /// Fichier de sortie (sinon la sortie standard).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Ordres pour le comptable : un mandat par versement, un titre par reversement à
    /// recouvrer (CSV ou JSON, schéma crates/domain/schemas/ordres.schema.json).
    Ordres {
        /// Exercice (par défaut : tous).
        #[arg(long)]
        year: Option<i16>,
        /// csv ou json.
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Fichier SCDL des subventions (schéma 2.1.1).
    ScdlSubventions {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Transmission @ctes d'une délibération : message, PDF, annexes, enveloppe, archive.
    Actes {
        number: String,
        #[arg(long)]
        out: PathBuf,
        /// Date d'envoi (par défaut : aujourd'hui).
        #[arg(long)]
        date: Option<String>,
    },
    /// Akoma Ntoso 3.0 d'une délibération.
    Akn {
        number: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Popolo (JSON) des votes d'une séance.
    Popolo {
        sitting: SittingKey,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Les délibérations archivées importées : CSV (une ligne chacune) ou JSON Lines
    /// (tout ce que l'import a lu, avec confiance et ligne source).
    Archives {
        #[arg(long)]
        out: Option<PathBuf>,
        /// csv ou jsonl.
        #[arg(long, default_value = "csv")]
        format: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Un fichier SCDL subventions (virgule ou point-virgule, UTF-8 ou Windows-1252).
    ScdlSubventions { file: PathBuf },
    /// Des délibérations archivées : fichiers PDF ou texte, ou dossiers (parcourus), lus
    /// en parallèle ; chaque délibération trouvée devient un acte archivé.
    #[command(alias = "deliberations")]
    Archives {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Afficher le détail de chaque fichier.
        #[arg(long)]
        details: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActesCommand {
    /// Enregistre l'accusé de réception : l'acte est transmis.
    Ack {
        number: String,
        /// Le message actes:ARActe reçu.
        #[arg(long, conflicts_with_all = ["id", "date"])]
        file: Option<PathBuf>,
        /// Ou son identifiant (IDActe)…
        #[arg(long, requires = "date")]
        id: Option<String>,
        /// … et sa date de réception.
        #[arg(long)]
        date: Option<String>,
    },
    /// Fixe ou corrige la matière ACTES d'une délibération (avant sa transmission).
    #[command(alias = "matiere")]
    Matter {
        /// Numéro de la délibération, ex. 2023-479.
        number: String,
        /// Matière de la nomenclature ACTES, ex. 7.5 (Subventions).
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SignerCommand {
    /// Enregistre un signataire et son certificat (le fichier est ouvert pour vérification).
    Add {
        #[command(flatten)]
        input: acta_app::input::SignerInput,
    },
    /// Les signataires enregistrés.
    List,
    /// Autorités de certification reconnues (fichier PEM, une ou plusieurs).
    Trust { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum SignatureCommand {
    /// Prépare le document à signer (mentions datées du jour).
    Prepare {
        #[command(flatten)]
        document: DocumentRef,
        #[command(flatten)]
        input: acta_app::input::PrepareInput,
    },
    /// Signe le document préparé, au nom d'un signataire enregistré.
    Sign {
        #[command(flatten)]
        document: DocumentRef,
        #[command(flatten)]
        input: acta_app::input::SignInput,
    },
    /// Enregistre la convention contresignée par le bénéficiaire (PDF vérifié).
    Countersign {
        /// Numéro de délibération (ex. 2023-479) ou d'attribution (#12).
        key: AwardKey,
        file: PathBuf,
    },
    /// Où en est la signature d'un document.
    Status {
        #[command(flatten)]
        document: DocumentRef,
    },
    /// Écrit le PDF signé (ou à signer).
    Pdf {
        #[command(flatten)]
        document: DocumentRef,
        #[arg(long)]
        out: PathBuf,
    },
}

/// A document to sign, as its kind and key.
#[derive(Debug, Args)]
pub struct DocumentRef {
    /// deliberation, proces-verbal ou convention.
    #[arg(value_name = "DOCUMENT")]
    pub kind: String,
    /// Numéro de délibération, de séance ou d'attribution.
    #[arg(value_name = "CLE")]
    pub key: String,
}

#[derive(Debug, Subcommand)]
pub enum MinutesCommand {
    /// Enregistre la teneur des discussions d'un point (reprise au procès-verbal).
    Discussion {
        sitting: String,
        position: u32,
        #[command(flatten)]
        input: acta_app::minutes::DiscussionInput,
    },
    /// Approbation, signature, publication et alerte de délai (L3121-13).
    Status { sitting: String },
    /// Publie le procès-verbal signé sur le portail.
    Publish { sitting: String },
}

#[derive(Debug, Subcommand)]
pub enum ArchiveCommand {
    /// Le service d'archives et la règle du tableau de gestion pour les délibérations.
    Configure {
        /// Identifiant du service d'archives dans le SAE (ex. FRAD062).
        #[arg(long)]
        service: String,
        /// Accord de versement, s'il y en a un.
        #[arg(long)]
        agreement: Option<String>,
        /// Code de la règle de sort final du tableau de gestion.
        #[arg(long)]
        rule: String,
        /// Durée d'utilité administrative, en années.
        #[arg(long)]
        years: u32,
        /// conserver ou eliminer.
        #[arg(long = "final", default_value = "conserver")]
        final_action: String,
    },
    /// Construit le paquet de versement SEDA 2.3 (ZIP) d'une séance.
    Build {
        /// La séance : sa date (2023-11-20) ou son numéro.
        sitting: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Enregistre la réponse du SAE (ArchiveTransferReply) : actes archivés, ou refus.
    Reply { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum PublicationCommand {
    /// Publie une délibération numérotée sur le portail (PDF signé figé, mentions R3131-2).
    #[command(alias = "publier")]
    Publish {
        number: String,
        #[command(flatten)]
        input: acta_app::input::PublishInput,
    },
    /// Enregistre le retrait d'un acte publié : il reste en ligne avec son motif.
    #[command(alias = "retirer")]
    Withdraw {
        number: String,
        #[command(flatten)]
        input: acta_app::input::WithdrawalInput,
    },
    /// Publication et caractère exécutoire d'une délibération.
    Status(ActNumber),
    /// Enregistre la notification d'une attribution (décision individuelle) à son bénéficiaire.
    #[command(alias = "notifier")]
    Notify {
        /// L'aide : numéro de délibération, ou #12 pour une attribution.
        key: String,
        #[command(flatten)]
        input: acta_app::input::NotificationInput,
    },
    /// Publier chaque délibération dès sa dernière signature (oui ou non).
    Automatic { enabled: String },
}

#[derive(Debug, Subcommand)]
pub enum TransmissionCommand {
    /// Configure la plateforme (adresse, certificat de connexion, délais de suite).
    Configure {
        #[command(flatten)]
        input: acta_app::input::TdtSettingsInput,
    },
    /// Envoie une délibération signée (puis fait avancer les envois en cours).
    Send(ActNumber),
    /// Fait avancer les envois en cours et relève les courriers de la préfecture.
    Run,
    /// État de la transmission d'une délibération et courriers de la préfecture.
    Status(ActNumber),
    /// Répond à une demande de pièces ou à une lettre d'observations.
    Answer {
        number: String,
        /// Numéro du courrier de la préfecture (voir « transmission status »).
        reply: i64,
        /// envoi (pièces, justification) ou refus.
        #[arg(long)]
        answer: String,
        /// La réponse, en PDF.
        #[arg(long)]
        file: PathBuf,
    },
    /// Annule un acte transmis (annulation envoyée par la plateforme).
    Cancel(ActNumber),
    /// Écrit un fichier de la transmission : acte, accuse (ARActe) ou tampon.
    File {
        number: String,
        which: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Écrit le courrier de la préfecture (PDF).
    Letter {
        number: String,
        reply: i64,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum OpenDataCommand {
    Show,
    /// Remplace les paramètres par ceux d'un fichier TOML.
    Set {
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[command(flatten)]
    pub input: acta_app::search::SearchInput,
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Crée un compte. Le mot de passe est lu dans ACTA_PASSWORD, sinon sur l'entrée
    /// standard (première ligne).
    Add {
        login: String,
        /// Nom affiché (« Mme Claire DUPONT, service des assemblées »).
        #[arg(long)]
        name: String,
        /// administrateur, assemblees, instructeur, finances ou elu.
        #[arg(long)]
        role: String,
    },
    /// Liste les comptes.
    List,
    /// Change le mot de passe (lu comme pour « add ») et ferme les sessions du compte.
    Password { login: String },
    /// Ferme un compte : il ne peut plus se connecter et ses sessions prennent fin.
    Close { login: String },
    /// Rouvre un compte fermé.
    Reopen { login: String },
    /// Identifiants et adresses bloqués après trop d'échecs de connexion.
    Locks,
    /// Débloque un identifiant (ou « adresse:IP ») et oublie ses échecs.
    Unlock { key: String },
    /// Lie un compte « elu » à l'élu dont il ouvre l'espace.
    LinkMember {
        login: String,
        /// L'élu (« Prénom NOM » ou numéro).
        #[arg(long)]
        member: String,
    },
    /// Lie un compte d'agent à la direction pour laquelle il instruit les demandes de
    /// subvention (sans --direction : toutes les directions).
    LinkDirection {
        login: String,
        /// La direction, au référentiel des services (nom ou numéro).
        #[arg(long)]
        direction: Option<String>,
    },
}

/// A report in preparation, by its number, and whether to print JSON.
#[derive(Debug, clap::Args)]
pub struct DraftRef {
    /// Le numéro du rapport en préparation.
    pub id: i64,
}

/// A sitting by its date or number, and whether to print JSON.
#[derive(Debug, clap::Args)]
pub struct SittingRef {
    /// La séance : sa date (AAAA-MM-JJ) ou son numéro.
    pub sitting: String,
}

#[derive(Debug, Subcommand)]
pub enum CircuitCommand {
    /// Crée un circuit de validation (étapes « rang:libellé:valideur[:portée] »).
    Add(acta_app::input::CircuitInput),
    /// Liste les circuits.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Crée un rapport en préparation (brouillon, version 1).
    New {
        #[command(flatten)]
        input: acta_app::input::NewReportDraft,
    },
    /// Enregistre une nouvelle version du texte ; les validations qu'elle invalide tombent.
    Edit {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::ReportTextInput,
    },
    /// Soumet le rapport à son circuit.
    Submit(DraftRef),
    /// Valide l'étape du compte qui agit (--as identifiant).
    Validate {
        id: i64,
        #[command(flatten)]
        decision: acta_app::input::StepDecision,
    },
    /// Renvoie le rapport à son auteur, avec un motif (--reason).
    SendBack {
        id: i64,
        #[command(flatten)]
        decision: acta_app::input::StepDecision,
    },
    /// Retire le rapport.
    Withdraw {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::ReasonInput,
    },
    /// Inscrit le rapport validé à l'ordre du jour de sa séance.
    Place {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::AgendaPlacement,
    },
    /// Reporte le point du rapport à une séance ultérieure de la même instance.
    Postpone {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::PostponeInput,
    },
    /// Un rapport : état, étapes, historique, versions.
    Show(DraftRef),
    /// Compare deux versions du texte, ligne à ligne.
    Compare { id: i64, from: i64, to: i64 },
    /// Tableau de bord : par état, par direction, en retard.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ConvocationCommand {
    /// Configure le serveur SMTP des convocations.
    Configure {
        #[command(flatten)]
        input: acta_app::input::MailSettingsInput,
    },
    /// Envoie la convocation d'une séance (délai légal, ou --emergency avec son motif).
    Send {
        #[command(flatten)]
        sitting: SittingRef,
        #[command(flatten)]
        input: acta_app::input::ConvocationInput,
    },
    /// Renvoie les messages en échec.
    Resend(SittingRef),
    /// Les preuves d'envoi par élu.
    Status(SittingRef),
    /// Les lettres à imprimer pour les élus sans adresse électronique (PDF).
    Letters {
        /// La séance : sa date (AAAA-MM-JJ) ou son numéro.
        sitting: String,
        /// Fichier PDF à écrire.
        #[arg(long)]
        out: PathBuf,
    },
    /// La présence et le quorum attendus d'après les réponses des élus.
    Expected(SittingRef),
}

/// The elected member's own space, for the account given with --as.
#[derive(Debug, Subcommand)]
pub enum MemberSpaceCommand {
    /// Mes séances.
    Sittings,
    /// Une séance : ordre du jour, rapports, mes notes.
    Sitting { id: i64 },
    /// Ouvre mon lien personnel de convocation (le jeton du message).
    Open { token: String },
    /// Répond à la convocation : present, absent ou pouvoir (--holder).
    Reply {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::ReplyInput,
    },
    /// Ma note personnelle sur un point (texte vide : effacée).
    Note {
        id: i64,
        position: u32,
        #[arg(long)]
        text: String,
    },
    /// Déclare un intérêt sur un point.
    Interest {
        id: i64,
        position: u32,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum DispositifCommand {
    /// Crée un dispositif : dates, pièces exigées, plafond, fichiers admis.
    Add(Box<acta_app::input::DispositifInput>),
    /// Liste les dispositifs.
    List,
}

#[derive(Debug, Subcommand)]
pub enum ApplicationCommand {
    /// Les demandes déposées.
    List,
    /// Une demande : pièces, budget, avis, historique.
    Show { id: i64 },
    /// Demande une pièce manquante, avec une échéance (courriel au demandeur).
    RequestPiece {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::PieceRequestInput,
    },
    /// Enregistre l'avis de la direction (un avis défavorable est notifié).
    Instruct {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::InstructionInput,
    },
    /// Propose l'attribution au point d'une séance.
    Propose {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::ProposalInput,
    },
    /// Notifie la décision de l'assemblée (lettre et courriel).
    Notify { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum GrantDocumentCommand {
    /// Les documents qui attendent un examen.
    List,
    /// Accepte ou refuse un document.
    Review {
        id: i64,
        #[command(flatten)]
        input: acta_app::input::ReviewInput,
    },
}
