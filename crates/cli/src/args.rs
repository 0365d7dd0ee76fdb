//! The command line's shape. Help texts are French: they are what users read.

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

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crée la base de données (ou met son schéma à jour).
    Init,
    /// Charge le cas réel de démonstration : délibération N°2023-479 du Pas-de-Calais.
    Demo {
        #[arg(long)]
        json: bool,
    },
    /// Charge un jeu de données (fichier TOML) dans une base neuve.
    Load {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
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
}

#[derive(Debug, Subcommand)]
pub enum ShowCommand {
    /// Une délibération par son numéro (ex. 2023-479).
    Deliberation {
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// Une séance par son numéro ou sa date (AAAA-MM-JJ).
    Sitting {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Une convention par son numéro, ou celle d'une délibération (ex. 2023-479).
    Convention {
        key: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum JournalCommand {
    /// Vérifie le chaînage : signale la première entrée modifiée ou supprimée.
    Verify {
        #[arg(long)]
        json: bool,
    },
    /// Les dernières entrées.
    List {
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BeneficiaryCommand {
    /// Enregistre un bénéficiaire.
    Add(Box<BeneficiaryAdd>),
    /// Liste les bénéficiaires.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct BeneficiaryAdd {
    /// Raison sociale.
    #[arg(long)]
    pub name: String,
    /// Nom court utilisé dans les textes.
    #[arg(long)]
    pub short_name: Option<String>,
    /// Désignation dans les conventions (« ci-après désigné … »).
    #[arg(long)]
    pub designation: Option<String>,
    /// Statut juridique (association, établissement public…).
    #[arg(long)]
    pub legal_status: String,
    #[arg(long)]
    pub siret: Option<String>,
    /// Numéro RNA (W suivi de 9 chiffres).
    #[arg(long)]
    pub rna: Option<String>,
    #[arg(long)]
    pub street: String,
    #[arg(long)]
    pub postal_code: String,
    #[arg(long)]
    pub city: String,
    #[arg(long)]
    pub json: bool,
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
    /// Titulaire du compte.
    #[arg(long)]
    pub holder: String,
    /// Nom de la banque.
    #[arg(long)]
    pub bank: String,
    #[arg(long)]
    pub bank_address: Option<String>,
    #[arg(long)]
    pub iban: Option<String>,
    /// RIB : banque, guichet, compte, clé (ex. 13507 00100 30765812164 66).
    #[arg(long)]
    pub rib: Option<String>,
    #[arg(long)]
    pub json: bool,
}
