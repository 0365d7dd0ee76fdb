//! Staff accounts: who may log in, with which role, and what each role may do. Passwords
//! are never held here; only the rules they must follow.

use crate::error::{DomainError, Errors, FieldError};
use serde::{Deserialize, Serialize};

/// The roles of the département's staff, and the anonymous public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Manages accounts and may do everything staff may do.
    Administrator,
    /// Service des assemblées: sittings, attendance, votes, numbering.
    AssembliesService,
    /// Direction instructrice: reports, beneficiaries, conventions, documents received.
    Instructor,
    /// Finances: budget lines, bank details, payments, reimbursements.
    Finance,
    /// Élu: reads the back office, changes nothing.
    ElectedMember,
    /// A person of a beneficiary organisation: its own applications and grants only.
    Beneficiary,
    /// Anonymous visitors of the portal; no account has this role.
    Public,
}

pub const ALL_ROLES: [StaffRole; 7] = [
    StaffRole::Administrator,
    StaffRole::AssembliesService,
    StaffRole::Instructor,
    StaffRole::Finance,
    StaffRole::ElectedMember,
    StaffRole::Beneficiary,
    StaffRole::Public,
];

impl StaffRole {
    /// The code stored and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            StaffRole::Administrator => "administrateur",
            StaffRole::AssembliesService => "assemblees",
            StaffRole::Instructor => "instructeur",
            StaffRole::Finance => "finances",
            StaffRole::ElectedMember => "elu",
            StaffRole::Beneficiary => "beneficiaire",
            StaffRole::Public => "public",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StaffRole::Administrator => "Administrateur",
            StaffRole::AssembliesService => "Service des assemblées",
            StaffRole::Instructor => "Direction instructrice",
            StaffRole::Finance => "Finances",
            StaffRole::ElectedMember => "Élu (lecture seule)",
            StaffRole::Beneficiary => "Bénéficiaire (organisme)",
            StaffRole::Public => "Public",
        }
    }

    /// The role an account created by an administrator may hold, from its code. A
    /// beneficiary's account is opened by its registration, for its organisation.
    pub fn parse_account_role(code: &str) -> Result<StaffRole, DomainError> {
        let code = code.trim();
        ALL_ROLES
            .into_iter()
            .filter(|r| r.is_created_by_staff())
            .find(|r| r.code() == code)
            .ok_or_else(|| {
                DomainError::field(
                    "role",
                    format!(
                        "Rôle : « {code} » n'existe pas ; choisissez parmi {}.",
                        ALL_ROLES
                            .iter()
                            .filter(|r| r.is_created_by_staff())
                            .map(|r| r.code())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    /// A stored account's role, from its code.
    pub fn from_code(code: &str) -> Option<StaffRole> {
        ALL_ROLES
            .into_iter()
            .find(|r| *r != StaffRole::Public && r.code() == code)
    }

    /// Whether the role belongs to a logged-in account.
    pub fn is_staff(self) -> bool {
        self != StaffRole::Public
    }

    /// Whether an administrator opens accounts with this role.
    pub fn is_created_by_staff(self) -> bool {
        !matches!(self, StaffRole::Public | StaffRole::Beneficiary)
    }
}

/// A login: 2 to 64 characters among lowercase letters, digits, '.', '-' and '_'.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Login(String);

impl Login {
    pub fn parse(input: &str) -> Result<Login, FieldError> {
        let login = input.trim().to_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c);
        if !(2..=64).contains(&login.chars().count()) || !login.chars().all(allowed) {
            return Err(FieldError::new(
                "identifiant",
                format!(
                    "Identifiant : « {} » ne convient pas ; de 2 à 64 caractères parmi les lettres sans accent, les chiffres, « . », « - » et « _ ».",
                    input.trim()
                ),
            ));
        }
        Ok(Login(login))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A staff account as stored, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub login: Login,
    /// "Mme Claire DUPONT, service des assemblées".
    pub name: String,
    pub role: StaffRole,
    pub active: bool,
}

impl StaffAccount {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new("nom", "Nom : il est obligatoire."));
        }
        if self.role == StaffRole::Public {
            errors.push(FieldError::new(
                "role",
                "Rôle : le public n'a pas de compte ; choisissez un rôle du personnel ou d'élu.",
            ));
        }
        errors.into_result()
    }
}

/// The shortest password accepted, in characters (ANSSI's guidance for passwords guarding
/// an application without other factor is 12 or more).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// How long a session lasts after logging in, in seconds: one working day.
pub const SESSION_SECONDS: i64 = 10 * 3600;

/// Refuses a password that is too short or too plain.
pub fn check_password(password: &str, login: &Login) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(FieldError::new(
            "mot_de_passe",
            format!("Mot de passe : {MIN_PASSWORD_CHARS} caractères au moins (il en a {chars})."),
        ));
    }
    if password.to_lowercase().contains(login.as_str()) {
        return Err(FieldError::new(
            "mot_de_passe",
            "Mot de passe : il ne doit pas contenir l'identifiant.",
        ));
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Err(FieldError::new(
            "mot_de_passe",
            "Mot de passe : un seul caractère répété ne convient pas.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_lowercased_and_limited_to_plain_characters() {
        let cases: &[(&str, Option<&str>)] = &[
            ("  CDupont ", Some("cdupont")),
            ("c.dupont-2_x", Some("c.dupont-2_x")),
            ("é", None),
            ("a", None),
            ("jean dupont", None),
            ("", None),
            (&"x".repeat(65), None),
        ];
        for (input, expected) in cases {
            let got = Login::parse(input).ok().map(|l| l.as_str().to_string());
            assert_eq!(got.as_deref(), *expected, "{input:?}");
        }
        let err = Login::parse("jean dupont").unwrap_err();
        assert_eq!(err.field, "identifiant");
        assert!(err.message.contains("« jean dupont »"));
    }

    #[test]
    fn passwords_must_be_long_and_not_the_login() {
        let login = Login::parse("cdupont").unwrap();
        let cases: &[(&str, bool)] = &[
            ("court", false),
            ("onze-caract", false),
            ("douze-caract", true),
            ("xxCDUPONTxxxxxx", false),
            ("aaaaaaaaaaaaaaaa", false),
            ("Séance du 20 novembre", true),
        ];
        for (password, ok) in cases {
            assert_eq!(check_password(password, &login).is_ok(), *ok, "{password}");
        }
        let err = check_password("court", &login).unwrap_err();
        assert_eq!(
            err.message,
            "Mot de passe : 12 caractères au moins (il en a 5)."
        );
    }

    #[test]
    fn account_roles_exclude_the_public() {
        for role in ALL_ROLES {
            let parsed = StaffRole::parse_account_role(role.code());
            let by_staff = !matches!(role, StaffRole::Public | StaffRole::Beneficiary);
            assert_eq!(parsed.is_ok(), by_staff, "{role:?}");
            // Stored accounts of every role but the public's read back.
            assert_eq!(
                StaffRole::from_code(role.code()),
                (role != StaffRole::Public).then_some(role)
            );
        }
        let account = StaffAccount {
            login: Login::parse("visiteur").unwrap(),
            name: "Visiteur".into(),
            role: StaffRole::Public,
            active: true,
        };
        assert!(account.validate().is_err());
    }
}
