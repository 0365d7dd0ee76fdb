//! What users type, as strings, and its checked conversion into domain values. Every
//! mistake is reported with its field, all at once.
//!
//! Each write use case takes one input struct. The command line (clap, with the `cli`
//! feature), the back office's forms and the JSON API (serde, French field names with the
//! older English ones as aliases) fill the same struct, and the server's OpenAPI document
//! describes it (schemars, with the `schema` feature). Field doc comments are the French
//! help and descriptions users read.

pub mod applications;
pub mod budget_year;
pub mod de;
pub mod grants;
pub mod preparation;
pub mod publication;
pub mod signatures;
pub mod sittings;
pub mod transmissions;

pub use applications::{
    ApplicationInput, DispositifInput, GrantDocumentInput, HolderInput, InstructionInput,
    MergeInput, PieceRequestInput, PieceUploadInput, ProposalInput, RegistrationInput, ReviewInput,
};
pub use budget_year::{
    AuthorisationInput, BudgetDecisionInput, DelegationInput, EnvelopeInput, NewBudgetDecision,
};
pub use grants::{
    DocumentInput, NewAmendment, NewBudgetLine, NewConvention, PaymentInput, ReimbursementInput,
    ScheduleInput, SignatureInput, TerminationInput, TrancheSpec,
};
pub use preparation::{
    AgendaPlacement, AnnotationInput, CircuitInput, ConvocationInput, InterestInput,
    MailSettingsInput, MemberEmailInput, NewReportDraft, PostponeInput, ReasonInput, ReplyInput,
    ReportTextInput, StepDecision,
};
pub use publication::{NotificationInput, PublishInput, WithdrawalInput};
pub use signatures::{PrepareInput, SignInput, SignerInput};
pub use sittings::{
    AttendanceInput, AwardInput, DraftInput, MovementInput, NewAward, NewItem, NewSitting,
    OpinionInput, ProxyInput, VoteInput, VoteRequest,
};
pub use transmissions::TdtSettingsInput;

use acta_domain::beneficiary::{BankAccount, Beneficiary, Representative};
use acta_domain::collectivity::Address;
use acta_domain::error::{DomainError, Errors, FieldError};
use acta_domain::french::parse_date;
use acta_domain::identifiers::{Iban, Rib, Rna, Siret};
use acta_domain::people::{Civility, PersonName};
use acta_domain::{Amount, Id};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The trimmed, space-normalised text of an optional field, `None` when empty.
pub fn non_blank(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(acta_domain::french::normalize_spaces)
        .filter(|s| !s.is_empty())
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|v| v.trim().is_empty())
}

/// `Some(parsed)` for a filled optional field, `None` for an empty one.
pub fn optional<T>(
    errors: &mut Errors,
    value: &Option<String>,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Option<T> {
    if blank(value) {
        return None;
    }
    value.as_deref().and_then(|v| errors.check(parse(v)))
}

pub fn date_field(errors: &mut Errors, field: &str, value: &str) -> Option<Date> {
    errors.check(parse_date(field, value))
}

pub fn amount_field(errors: &mut Errors, field: &str, value: &str) -> Option<Amount> {
    errors.check(Amount::parse_fr(field, value))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    pub street: String,
    pub postal_code: String,
    pub city: String,
}

impl AddressInput {
    pub fn to_domain(&self) -> Address {
        Address {
            street: acta_domain::french::normalize_spaces(&self.street),
            postal_code: self.postal_code.trim().to_string(),
            city: acta_domain::french::normalize_spaces(&self.city),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    pub civility: String,
    pub first_name: String,
    pub last_name: String,
}

impl PersonInput {
    pub fn parse(&self, errors: &mut Errors, field: &str) -> Option<PersonName> {
        let civility = errors.check(Civility::parse(
            &format!("{field}.civilite"),
            &self.civility,
        ))?;
        let name = PersonName {
            civility,
            first_name: self.first_name.trim().to_string(),
            last_name: self.last_name.trim().to_string(),
        };
        errors.check(name.validate(field))?;
        Some(name)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepresentativeInput {
    #[serde(flatten)]
    pub person: PersonInput,
    pub capacity: String,
    pub appointed_on: Option<String>,
}

/// A beneficiary as entered: identifiers are strings until checked.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BeneficiaryInput {
    pub name: String,
    pub short_name: Option<String>,
    pub designation: Option<String>,
    pub legal_status: String,
    pub siret: Option<String>,
    pub rna: Option<String>,
    pub address: AddressInput,
    pub representative: Option<RepresentativeInput>,
}

impl BeneficiaryInput {
    pub fn parse(&self) -> Result<Beneficiary, DomainError> {
        let mut errors = Errors::new();
        let siret = optional(&mut errors, &self.siret, |v| Siret::parse("siret", v));
        let rna = optional(&mut errors, &self.rna, |v| Rna::parse("rna", v));
        let representative = self.representative.as_ref().and_then(|r| {
            let name = r.person.parse(&mut errors, "representant")?;
            let appointed_on = optional(&mut errors, &r.appointed_on, |v| {
                parse_date("representant.date_nomination", v)
            });
            Some(Representative {
                name,
                capacity: acta_domain::french::normalize_spaces(&r.capacity),
                appointed_on,
            })
        });
        let beneficiary = Beneficiary {
            name: acta_domain::french::normalize_spaces(&self.name),
            short_name: non_blank(&self.short_name),
            designation: non_blank(&self.designation),
            legal_status: acta_domain::french::normalize_spaces(&self.legal_status),
            siret,
            rna,
            address: self.address.to_domain(),
            representative,
        };
        let identifier_typed = !blank(&self.siret) || !blank(&self.rna);
        if let Err(DomainError::Invalid(list)) = beneficiary.validate() {
            for e in list {
                // A typed but refused SIRET already has its message; "SIRET or RNA
                // required" would only repeat it.
                if e.field == "siret" && identifier_typed {
                    continue;
                }
                errors.push(e);
            }
        }
        errors.into_result()?;
        Ok(beneficiary)
    }
}

/// A beneficiary as a form or the command line sends it: the address flat, one field per
/// line of the form. JSON clients and datasets send [`BeneficiaryInput`], whose address is
/// nested; both read into the same checks.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct BeneficiaryForm {
    /// Raison sociale.
    #[serde(rename = "nom", alias = "name")]
    #[cfg_attr(feature = "cli", arg(long = "name"))]
    pub name: String,
    /// Nom court utilisé dans les textes.
    #[serde(default, rename = "nom_court", alias = "short_name")]
    #[cfg_attr(feature = "cli", arg(long = "short-name"))]
    pub short_name: Option<String>,
    /// Désignation dans les conventions (« ci-après désigné … »).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub designation: Option<String>,
    /// Statut juridique (association loi 1901, établissement public…).
    #[serde(rename = "statut", alias = "legal_status")]
    #[cfg_attr(feature = "cli", arg(long = "legal-status"))]
    pub legal_status: String,
    /// SIRET (14 chiffres).
    #[serde(default, deserialize_with = "de::opt_text")]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::opt_text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long))]
    pub siret: Option<String>,
    /// Numéro RNA (W suivi de 9 chiffres).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub rna: Option<String>,
    /// Adresse (numéro et voie).
    #[serde(rename = "adresse", alias = "street")]
    #[cfg_attr(feature = "cli", arg(long = "street"))]
    pub street: String,
    /// Code postal.
    #[serde(
        rename = "code_postal",
        alias = "postal_code",
        deserialize_with = "de::text"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::input::de::text_schema")
    )]
    #[cfg_attr(feature = "cli", arg(long = "postal-code"))]
    pub postal_code: String,
    /// Ville.
    #[serde(rename = "ville", alias = "city")]
    #[cfg_attr(feature = "cli", arg(long = "city"))]
    pub city: String,
}

impl From<BeneficiaryForm> for BeneficiaryInput {
    fn from(f: BeneficiaryForm) -> Self {
        BeneficiaryInput {
            name: f.name,
            short_name: f.short_name,
            designation: f.designation,
            legal_status: f.legal_status,
            siret: f.siret,
            rna: f.rna,
            address: AddressInput {
                street: f.street,
                postal_code: f.postal_code,
                city: f.city,
            },
            representative: None,
        }
    }
}

/// A bank account as entered: an IBAN, or a French RIB from which the IBAN is derived.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct BankAccountInput {
    /// Titulaire du compte.
    #[serde(rename = "titulaire", alias = "holder")]
    #[cfg_attr(feature = "cli", arg(long = "holder"))]
    pub holder: String,
    /// Nom de la banque.
    #[serde(rename = "banque", alias = "bank_name")]
    #[cfg_attr(feature = "cli", arg(long = "bank"))]
    pub bank_name: String,
    /// Adresse de la banque.
    #[serde(default, rename = "adresse_banque", alias = "bank_address")]
    #[cfg_attr(feature = "cli", arg(long = "bank-address"))]
    pub bank_address: Option<String>,
    /// IBAN.
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub iban: Option<String>,
    /// RIB : banque, guichet, compte, clé (ex. 13507 00100 30765812164 66).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub rib: Option<String>,
}

impl BankAccountInput {
    pub fn parse(&self, beneficiary: Id<Beneficiary>) -> Result<BankAccount, DomainError> {
        let mut errors = Errors::new();
        let iban = optional(&mut errors, &self.iban, |v| Iban::parse("iban", v));
        let rib = optional(&mut errors, &self.rib, |v| Rib::parse("rib", v));
        let iban = match (iban, rib, blank(&self.iban), blank(&self.rib)) {
            (Some(iban), Some(rib), _, _) => {
                if iban.rib().as_ref() != Some(&rib) {
                    errors.push(FieldError::new(
                        "rib",
                        "RIB : le RIB ne correspond pas au compte de l'IBAN donné.",
                    ));
                }
                Some(iban)
            }
            (Some(iban), None, _, _) => Some(iban),
            (None, Some(rib), _, _) => Some(rib.to_iban()),
            (None, None, true, true) => {
                errors.push(FieldError::new(
                    "iban",
                    "IBAN : donnez l'IBAN ou le RIB du compte.",
                ));
                None
            }
            (None, None, _, _) => None,
        };
        errors.into_result()?;
        let Some(iban) = iban else {
            return Err(DomainError::field("iban", "IBAN : compte illisible."));
        };
        let account = BankAccount {
            beneficiary,
            holder: acta_domain::french::normalize_spaces(&self.holder),
            bank_name: acta_domain::french::normalize_spaces(&self.bank_name),
            bank_address: non_blank(&self.bank_address),
            iban,
        };
        account.validate()?;
        Ok(account)
    }
}
