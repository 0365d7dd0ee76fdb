//! Electronic signatures of acts: which document is signed by whom, the visible mention
//! each signature prints, and the rules a signature must keep.
//!
//! A document is prepared for signature once: it is rendered with a mention "Signé
//! électroniquement par … le …" in the block of each signer who signs in acta, dated the
//! day of preparation. Signing adds a PAdES signature without touching the rendered bytes,
//! so the mention must be true when the signature is made: the signer is the one printed,
//! their certificate names them, and they sign on the day printed. A signed document is
//! frozen; a change needs a new version, prepared and signed again.

use crate::error::{DomainError, FieldError};
use crate::french::format_date_long;
use crate::people::Signatory;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The documents acta signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignedKind {
    Deliberation,
    /// The procès-verbal of a sitting (L3121-13): signed by the president and the secretary.
    Minutes,
    /// Signed by the Département, then countersigned by the beneficiary.
    Convention,
}

pub const ALL_SIGNED_KINDS: [SignedKind; 3] = [
    SignedKind::Deliberation,
    SignedKind::Minutes,
    SignedKind::Convention,
];

impl SignedKind {
    pub fn code(self) -> &'static str {
        match self {
            SignedKind::Deliberation => "deliberation",
            SignedKind::Minutes => "proces-verbal",
            SignedKind::Convention => "convention",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SignedKind::Deliberation => "délibération",
            SignedKind::Minutes => "procès-verbal",
            SignedKind::Convention => "convention",
        }
    }

    pub fn parse(field: &str, code: &str) -> Result<SignedKind, FieldError> {
        ALL_SIGNED_KINDS
            .into_iter()
            .find(|k| k.code() == code.trim())
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    format!(
                        "Document : « {} » inconnu (deliberation, proces-verbal ou convention).",
                        code.trim()
                    ),
                )
            })
    }
}

/// In what capacity someone signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignerRole {
    /// The President of the Conseil départemental, or the president of the sitting.
    President,
    /// The secretary of the sitting (the minutes).
    Secretary,
    /// A signatory by delegation named in the act (the Directrice générale des services…).
    Delegate,
    /// The beneficiary's representative (a convention's countersignature).
    Beneficiary,
}

pub const ALL_SIGNER_ROLES: [SignerRole; 4] = [
    SignerRole::President,
    SignerRole::Secretary,
    SignerRole::Delegate,
    SignerRole::Beneficiary,
];

impl SignerRole {
    pub fn code(self) -> &'static str {
        match self {
            SignerRole::President => "president",
            SignerRole::Secretary => "secretaire",
            SignerRole::Delegate => "delegataire",
            SignerRole::Beneficiary => "beneficiaire",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SignerRole::President => "président",
            SignerRole::Secretary => "secrétaire de séance",
            SignerRole::Delegate => "signataire par délégation",
            SignerRole::Beneficiary => "représentant du bénéficiaire",
        }
    }

    pub fn parse(field: &str, code: &str) -> Result<SignerRole, FieldError> {
        ALL_SIGNER_ROLES
            .into_iter()
            .find(|r| r.code() == code.trim())
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    format!(
                        "Qualité : « {} » inconnue (president, secretaire, delegataire ou beneficiaire).",
                        code.trim()
                    ),
                )
            })
    }
}

/// Where a certificate's password is read at signing time: never kept by acta, never typed
/// on a command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordSource {
    /// An environment variable of the process that signs.
    Environment(String),
    /// A file readable by that process only.
    File(String),
}

impl PasswordSource {
    /// Reads "env:NAME" or "file:/path".
    pub fn parse(field: &str, text: &str) -> Result<PasswordSource, FieldError> {
        let text = text.trim();
        let refused = || {
            FieldError::new(
                field,
                "Mot de passe du certificat : indiquez où le lire, « env:VARIABLE » ou « file:/chemin/du/fichier » (jamais le mot de passe lui-même).",
            )
        };
        if let Some(name) = text.strip_prefix("env:") {
            let valid = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            return if valid {
                Ok(PasswordSource::Environment(name.to_string()))
            } else {
                Err(refused())
            };
        }
        if let Some(path) = text.strip_prefix("file:") {
            return if path.trim().is_empty() {
                Err(refused())
            } else {
                Ok(PasswordSource::File(path.trim().to_string()))
            };
        }
        Err(refused())
    }

    pub fn describe(&self) -> String {
        match self {
            PasswordSource::Environment(name) => format!("env:{name}"),
            PasswordSource::File(path) => format!("file:{path}"),
        }
    }
}

/// A person able to sign in acta: their name as acts print it, their capacity, their
/// certificate file and where its password is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignerSetting {
    pub name: String,
    pub role: SignerRole,
    /// Path of the PKCS#12 file (.p12, .pfx) on the server.
    pub pkcs12_path: String,
    pub password: PasswordSource,
}

impl SignerSetting {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Vec::new();
        if normalized_name(&self.name).is_empty() {
            errors.push(FieldError::new(
                "nom",
                "Nom : le nom du signataire, tel que les actes l'impriment, est obligatoire.",
            ));
        }
        if self.pkcs12_path.trim().is_empty() {
            errors.push(FieldError::new(
                "certificat",
                "Certificat : le chemin du fichier PKCS#12 (.p12 ou .pfx) est obligatoire.",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(errors))
        }
    }
}

/// Someone a prepared document waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredSigner {
    pub name: String,
    pub role: SignerRole,
}

/// A signature made, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    pub signer_name: String,
    pub role: SignerRole,
    /// "CN=Jean-Claude LEROY,O=…".
    pub certificate_subject: String,
    pub certificate_issuer: String,
    /// Hexadecimal.
    pub certificate_serial: String,
    pub signed_at: jiff::Timestamp,
}

/// Where a prepared document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureState {
    /// Prepared, no signature yet.
    ToSign,
    PartlySigned,
    /// Every required signature is there: the document is frozen.
    Signed,
    /// A later version took its place before it was signed by everyone.
    Replaced,
}

impl SignatureState {
    pub fn code(self) -> &'static str {
        match self {
            SignatureState::ToSign => "a-signer",
            SignatureState::PartlySigned => "signe-en-partie",
            SignatureState::Signed => "signe",
            SignatureState::Replaced => "remplace",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SignatureState::ToSign => "à signer",
            SignatureState::PartlySigned => "signé en partie",
            SignatureState::Signed => "signé",
            SignatureState::Replaced => "remplacé par une nouvelle version",
        }
    }

    pub fn parse(code: &str) -> Option<SignatureState> {
        [
            SignatureState::ToSign,
            SignatureState::PartlySigned,
            SignatureState::Signed,
            SignatureState::Replaced,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// The state once `done` of `required` signatures are made.
    pub fn after(required: usize, done: usize) -> SignatureState {
        match done {
            0 => SignatureState::ToSign,
            d if d < required => SignatureState::PartlySigned,
            _ => SignatureState::Signed,
        }
    }
}

/// A name reduced for comparison: upper case, without accents, civility or extra spaces
/// ("M. Jean-Claude Leroy" and "Jean-Claude LEROY" are the same person).
pub fn normalized_name(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'A',
            'ç' | 'Ç' => 'C',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'î' | 'ï' | 'Î' | 'Ï' => 'I',
            'ô' | 'ö' | 'Ô' | 'Ö' => 'O',
            'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'U',
            'ÿ' | 'Ÿ' => 'Y',
            '’' | '\'' => '\'',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    let words: Vec<&str> = plain.split_whitespace().collect();
    let civilities = ["M.", "MME", "MME.", "MLLE", "MONSIEUR", "MADAME"];
    let start = usize::from(words.first().is_some_and(|w| civilities.contains(w)));
    words[start..].join(" ")
}

/// Whether two spellings name the same person.
pub fn same_person(a: &str, b: &str) -> bool {
    let (a, b) = (normalized_name(a), normalized_name(b));
    !a.is_empty() && a == b
}

/// The visible mention of an electronic signature.
pub fn mention(name: &str, date: Date) -> String {
    format!(
        "Signé électroniquement par {} le {}",
        name.trim(),
        format_date_long(date)
    )
}

/// Who signs a deliberation: the signatory chosen among those the act prints, else the
/// President's block (the one signing in their own name), else the first block; an act
/// without signature blocks is signed by the president of the sitting.
pub fn deliberation_signers(
    signatories: &[Signatory],
    chosen: Option<&str>,
    sitting_president: Option<&str>,
) -> Result<Vec<RequiredSigner>, DomainError> {
    let role_of = |s: &Signatory| {
        if s.on_behalf_of.is_some() {
            SignerRole::Delegate
        } else {
            SignerRole::President
        }
    };
    let signer = match chosen.map(str::trim).filter(|c| !c.is_empty()) {
        Some(name) => {
            if let Some(s) = signatories.iter().find(|s| same_person(&s.name, name)) {
                RequiredSigner {
                    name: s.name.clone(),
                    role: role_of(s),
                }
            } else if signatories.is_empty()
                && sitting_president.is_some_and(|p| same_person(p, name))
            {
                RequiredSigner {
                    name: name.to_string(),
                    role: SignerRole::President,
                }
            } else {
                let mut names: Vec<&str> = signatories.iter().map(|s| s.name.as_str()).collect();
                if signatories.is_empty() {
                    names.extend(sitting_president);
                }
                return Err(DomainError::field(
                    "signataire",
                    format!(
                        "Signataire : {name} n'est pas signataire de cette délibération ({}).",
                        if names.is_empty() {
                            "elle n'en nomme aucun".to_string()
                        } else {
                            format!("signataires : {}", names.join(", "))
                        }
                    ),
                ));
            }
        }
        None => match signatories
            .iter()
            .find(|s| s.on_behalf_of.is_none())
            .or_else(|| signatories.first())
        {
            Some(s) => RequiredSigner {
                name: s.name.clone(),
                role: role_of(s),
            },
            None => RequiredSigner {
                name: sitting_president
                    .ok_or_else(|| {
                        DomainError::rule(
                            "Cette délibération ne nomme aucun signataire et sa séance n'a pas de président.",
                        )
                    })?
                    .to_string(),
                role: SignerRole::President,
            },
        },
    };
    Ok(vec![signer])
}

/// Who signs the minutes: the president and the secretary of the sitting (L3121-13).
pub fn minutes_signers(
    president: Option<&str>,
    secretary: Option<&str>,
) -> Result<Vec<RequiredSigner>, DomainError> {
    match (president, secretary) {
        (Some(p), Some(s)) => Ok(vec![
            RequiredSigner {
                name: p.to_string(),
                role: SignerRole::President,
            },
            RequiredSigner {
                name: s.to_string(),
                role: SignerRole::Secretary,
            },
        ]),
        (None, _) => Err(DomainError::rule(
            "Le procès-verbal est signé par le président de séance (L3121-13) : la séance n'en a pas.",
        )),
        (_, None) => Err(DomainError::rule(
            "Le procès-verbal est signé par le secrétaire de séance (L3121-13) : la séance n'en a pas.",
        )),
    }
}

/// Who signs a convention: the Département's signatory (its first block), then the
/// beneficiary's representative (its last block).
pub fn convention_signers(signatories: &[Signatory]) -> Result<Vec<RequiredSigner>, DomainError> {
    let (Some(own), Some(other)) = (signatories.first(), signatories.last()) else {
        return Err(DomainError::rule(
            "La convention ne nomme pas ses signataires (le Département et le bénéficiaire).",
        ));
    };
    if signatories.len() < 2 {
        return Err(DomainError::rule(
            "La convention ne nomme qu'un signataire : il faut celui du Département et celui du bénéficiaire.",
        ));
    }
    let own_role = if own.capacity.to_lowercase().contains("président") {
        SignerRole::President
    } else {
        SignerRole::Delegate
    };
    Ok(vec![
        RequiredSigner {
            name: own.name.clone(),
            role: own_role,
        },
        RequiredSigner {
            name: other.name.clone(),
            role: SignerRole::Beneficiary,
        },
    ])
}

/// Checks that `name` may sign now: awaited by the document and not signed yet. Gives the
/// awaited signer.
pub fn awaited<'a>(
    required: &'a [RequiredSigner],
    done: &[SignatureRecord],
    name: &str,
) -> Result<&'a RequiredSigner, DomainError> {
    let signer = required
        .iter()
        .find(|r| same_person(&r.name, name))
        .ok_or_else(|| {
            let names: Vec<&str> = required.iter().map(|r| r.name.as_str()).collect();
            DomainError::field(
                "signataire",
                format!(
                    "Signataire : {} ne signe pas ce document (il attend : {}).",
                    name.trim(),
                    names.join(", ")
                ),
            )
        })?;
    if done.iter().any(|d| same_person(&d.signer_name, name)) {
        return Err(DomainError::rule(format!(
            "{} a déjà signé ce document.",
            signer.name
        )));
    }
    Ok(signer)
}

/// Checks that the certificate names the signer the document prints.
pub fn check_certificate_holder(signer: &str, holder: &str) -> Result<(), DomainError> {
    if same_person(signer, holder) {
        Ok(())
    } else {
        Err(DomainError::field(
            "certificat",
            format!(
                "Certificat : il est au nom de {}, pas de {} ; la mention imprimée ne serait pas vraie.",
                holder.trim(),
                signer.trim()
            ),
        ))
    }
}

/// Checks that the signature is made on the day the mention prints.
pub fn check_signing_day(printed: Date, today: Date) -> Result<(), DomainError> {
    if printed == today {
        Ok(())
    } else {
        Err(DomainError::rule(format!(
            "La mention imprimée porte le {} : signer le {} la rendrait fausse. Préparez une nouvelle version du document pour la signer aujourd'hui.",
            format_date_long(printed),
            format_date_long(today)
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn signer(name: &str, role: SignerRole) -> RequiredSigner {
        RequiredSigner {
            name: name.to_string(),
            role,
        }
    }

    fn record(name: &str) -> SignatureRecord {
        SignatureRecord {
            signer_name: name.to_string(),
            role: SignerRole::President,
            certificate_subject: format!("CN={name}"),
            certificate_issuer: "CN=AC".to_string(),
            certificate_serial: "01".to_string(),
            signed_at: "2023-12-18T10:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn names_compare_without_case_accents_or_civility() {
        let cases = [
            ("Jean-Claude LEROY", "M. Jean-Claude Leroy", true),
            ("Mme Maryse DELASSUS", "Maryse  Delassus", true),
            ("Mireille HINGREZ-CÉRÉDA", "MIREILLE HINGREZ-CEREDA", true),
            ("Jean-Claude LEROY", "Jean LEROY", false),
            ("", "", false),
        ];
        for (a, b, same) in cases {
            assert_eq!(same_person(a, b), same, "{a} / {b}");
        }
    }

    #[test]
    fn the_minutes_wait_for_their_two_signers_once_each() {
        let required = [
            signer("Jean-Claude LEROY", SignerRole::President),
            signer("Maryse DELASSUS", SignerRole::Secretary),
        ];
        assert_eq!(
            awaited(&required, &[], "M. Jean-Claude LEROY")
                .unwrap()
                .role,
            SignerRole::President
        );
        let done = [record("Jean-Claude LEROY")];
        assert_eq!(
            awaited(&required, &done, "Jean-Claude LEROY").unwrap_err(),
            DomainError::rule("Jean-Claude LEROY a déjà signé ce document.")
        );
        let err = awaited(&required, &done, "Daniel MACIEJASZ").unwrap_err();
        assert_eq!(
            err,
            DomainError::field(
                "signataire",
                "Signataire : Daniel MACIEJASZ ne signe pas ce document (il attend : Jean-Claude LEROY, Maryse DELASSUS)."
            )
        );
        assert_eq!(SignatureState::after(2, 0), SignatureState::ToSign);
        assert_eq!(SignatureState::after(2, 1), SignatureState::PartlySigned);
        assert_eq!(SignatureState::after(2, 2), SignatureState::Signed);
    }

    #[test]
    fn the_mention_must_stay_true() {
        assert_eq!(
            mention("Jean-Claude LEROY", date(2023, 12, 1)),
            "Signé électroniquement par Jean-Claude LEROY le 1er décembre 2023"
        );
        assert!(check_certificate_holder("Jean-Claude LEROY", "JEAN-CLAUDE LEROY").is_ok());
        assert!(check_certificate_holder("Jean-Claude LEROY", "Maryse DELASSUS").is_err());
        assert!(check_signing_day(date(2023, 12, 1), date(2023, 12, 1)).is_ok());
        let err = check_signing_day(date(2023, 12, 1), date(2023, 12, 2)).unwrap_err();
        assert!(
            err.to_string().contains("porte le 1er décembre 2023"),
            "{err}"
        );
    }

    fn block(on_behalf_of: Option<&str>, capacity: &str, name: &str) -> Signatory {
        Signatory {
            on_behalf_of: on_behalf_of.map(str::to_string),
            capacity: capacity.to_string(),
            name: name.to_string(),
            signed: false,
        }
    }

    #[test]
    fn each_document_names_its_signers() {
        // The seed's deliberation: the President's block, then the DGS by delegation.
        let blocks = [
            block(
                None,
                "LE PRESIDENT DU CONSEIL DEPARTEMENTAL,",
                "Jean-Claude LEROY",
            ),
            block(
                Some("Pour le Président du Conseil départemental,"),
                "La Directrice générale des services,",
                "Maryline VINCLAIRE",
            ),
        ];
        // (signer chosen, expected signer and role; None when refused)
        type Case<'a> = (Option<&'a str>, Option<(&'a str, SignerRole)>);
        let cases: [Case; 4] = [
            (None, Some(("Jean-Claude LEROY", SignerRole::President))),
            (
                Some("maryline vinclaire"),
                Some(("Maryline VINCLAIRE", SignerRole::Delegate)),
            ),
            (
                Some("Jean-Claude LEROY"),
                Some(("Jean-Claude LEROY", SignerRole::President)),
            ),
            (Some("Daniel MACIEJASZ"), None),
        ];
        for (chosen, expected) in cases {
            let got = deliberation_signers(&blocks, chosen, Some("Jean-Claude LEROY"))
                .map(|v| (v[0].name.clone(), v[0].role));
            match expected {
                Some((name, role)) => assert_eq!(got, Ok((name.to_string(), role)), "{chosen:?}"),
                None => assert!(got.is_err(), "{chosen:?}"),
            }
        }
        let by_sitting = deliberation_signers(&[], None, Some("Jean-Claude LEROY")).unwrap();
        assert_eq!(by_sitting[0].role, SignerRole::President);
        assert!(deliberation_signers(&[], None, None).is_err());

        let minutes =
            minutes_signers(Some("M. Jean-Claude LEROY"), Some("Mme Maryse DELASSUS")).unwrap();
        assert_eq!(minutes[1].role, SignerRole::Secretary);
        assert!(minutes_signers(Some("M. Jean-Claude LEROY"), None).is_err());

        let convention = convention_signers(&[
            block(
                Some("Pour le Département du Pas-de-Calais"),
                "Le Président du Conseil départemental,",
                "Jean-Claude LEROY",
            ),
            block(
                Some("Pour la Chambre de Métiers et de l’Artisanat de région Hauts-de-France"),
                "La Présidente de la Délégation Départementale du Pas-de-Calais,",
                "Marie-José ORLOF",
            ),
        ])
        .unwrap();
        assert_eq!(
            convention
                .iter()
                .map(|s| (s.name.as_str(), s.role))
                .collect::<Vec<_>>(),
            [
                ("Jean-Claude LEROY", SignerRole::President),
                ("Marie-José ORLOF", SignerRole::Beneficiary)
            ]
        );
        assert!(convention_signers(&blocks[..1]).is_err());
    }

    #[test]
    fn passwords_are_read_from_the_environment_or_a_file_only() {
        assert_eq!(
            PasswordSource::parse("mot_de_passe", "env:ACTA_P12_LEROY"),
            Ok(PasswordSource::Environment("ACTA_P12_LEROY".to_string()))
        );
        assert_eq!(
            PasswordSource::parse("mot_de_passe", "file:/etc/acta/leroy.pass"),
            Ok(PasswordSource::File("/etc/acta/leroy.pass".to_string()))
        );
        for refused in ["secret", "env:", "env:1ABC", "env:A-B", "file: ", ""] {
            assert!(
                PasswordSource::parse("mot_de_passe", refused).is_err(),
                "{refused}"
            );
        }
    }

    #[test]
    fn codes_read_back() {
        for k in ALL_SIGNED_KINDS {
            assert_eq!(SignedKind::parse("document", k.code()), Ok(k));
        }
        for r in ALL_SIGNER_ROLES {
            assert_eq!(SignerRole::parse("qualite", r.code()), Ok(r));
        }
        assert!(SignerRole::parse("qualite", "maire").is_err());
    }
}
