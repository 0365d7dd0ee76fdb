//! Validated identifiers: SIREN, SIRET, RNA, RIB and IBAN. A value of these types has passed
//! its check digits; there is no other way to build one.

use crate::error::FieldError;
use crate::french::{NARROW_NBSP, NBSP, field_label};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Removes the separators people type inside identifiers (spaces, dashes, dots).
fn compact(input: &str) -> String {
    input
        .chars()
        .filter(|c| !matches!(*c, ' ' | NBSP | NARROW_NBSP | '-' | '.' | '\t'))
        .collect()
}

/// Luhn check over a string of ASCII digits.
fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0u32;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum.is_multiple_of(10)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn refuse(field: &str, input: &str, reason: &str) -> FieldError {
    FieldError::new(
        field,
        format!("{} : « {} » {reason}", field_label(field), input.trim()),
    )
}

macro_rules! string_serde {
    ($t:ty, $field:literal) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                <$t>::parse($field, &raw).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
    };
}

/// SIREN: 9 digits with a Luhn check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siren(String);

impl Siren {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = compact(input);
        if s.len() != 9 || !all_digits(&s) {
            return Err(refuse(field, input, "doit compter 9 chiffres."));
        }
        if !luhn_valid(&s) {
            return Err(refuse(
                field,
                input,
                "est invalide : la clé de contrôle (Luhn) ne correspond pas.",
            ));
        }
        Ok(Siren(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Siren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(Siren, "siren");

/// La Poste's establishments share one SIREN and escape Luhn: their digits sum to a multiple
/// of 5 instead (INSEE rule, as implemented by python-stdnum).
const LA_POSTE_SIREN: &str = "356000000";
const LA_POSTE_HEAD_OFFICE: &str = "35600000000048";

/// SIRET: SIREN + NIC (14 digits), Luhn over the 14 digits and over the SIREN, except for
/// La Poste's establishments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siret(String);

impl Siret {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = compact(input);
        if s.len() != 14 || !all_digits(&s) {
            return Err(refuse(field, input, "doit compter 14 chiffres."));
        }
        let valid = if s.starts_with(LA_POSTE_SIREN) && s != LA_POSTE_HEAD_OFFICE {
            s.bytes()
                .map(|b| u32::from(b - b'0'))
                .sum::<u32>()
                .is_multiple_of(5)
        } else {
            luhn_valid(&s) && luhn_valid(&s[..9])
        };
        if !valid {
            return Err(refuse(
                field,
                input,
                "est invalide : la clé de contrôle (Luhn) ne correspond pas.",
            ));
        }
        Ok(Siret(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> Siren {
        Siren(self.0[..9].to_string())
    }

    /// "130 023 740 00439", as printed in conventions.
    pub fn grouped(&self) -> String {
        let s = &self.0;
        format!("{} {} {} {}", &s[..3], &s[3..6], &s[6..9], &s[9..])
    }
}

/// A SIRET cell of a file someone made with a spreadsheet: the SIRET as written, the SIRET
/// read back from what the spreadsheet did to it, or why none can be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiretCell {
    Valid(Siret),
    /// Stored as a number by a spreadsheet (leading zero lost, ".0" added) and read back
    /// whole: the SIRET and what was corrected, in French.
    Restored(Siret, String),
    /// Not a SIRET, or rounded by a spreadsheet beyond repair: why, in French.
    Refused(String),
}

impl Siret {
    /// Reads a SIRET cell of a published file, recognising what spreadsheets do to long
    /// numbers: scientific notation ("2,18601946E+13", its last digits rounded away), a
    /// number with decimals ("21860194600013.0"), a lost leading zero (13 digits).
    pub fn from_cell(field: &str, input: &str) -> SiretCell {
        let t = input.trim();
        let label = field_label(field);
        let error = match Siret::parse(field, t) {
            Ok(siret) => return SiretCell::Valid(siret),
            Err(e) => e.message,
        };
        let numeric = |c: char| c.is_ascii_digit() || matches!(c, ',' | '.' | '+' | '-' | ' ');
        if t.contains(['e', 'E']) && t.chars().all(|c| numeric(c) || matches!(c, 'e' | 'E')) {
            return SiretCell::Refused(format!(
                "{label} : « {t} » est en notation scientifique : un tableur a arrondi ce \
                 SIRET et ses derniers chiffres sont perdus."
            ));
        }
        let decimals = [".0", ",0", ".00", ",00"]
            .iter()
            .find_map(|suffix| t.strip_suffix(suffix));
        let digits = decimals.unwrap_or(t);
        if !all_digits(digits) || digits.len() > 14 || (decimals.is_none() && digits.len() != 13) {
            return SiretCell::Refused(error);
        }
        let padded = format!("{digits:0>14}");
        match Siret::parse(field, &padded) {
            Ok(siret) => SiretCell::Restored(
                siret.clone(),
                format!(
                    "{label} : « {t} » a été enregistré comme un nombre par un tableur ; lu {siret}."
                ),
            ),
            Err(_) if digits.ends_with("00") => SiretCell::Refused(format!(
                "{label} : « {t} » a été enregistré comme un nombre par un tableur, qui en a \
                 arrondi les derniers chiffres : la clé de contrôle ne correspond plus."
            )),
            Err(e) => SiretCell::Refused(e.message),
        }
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(Siret, "siret");

/// RNA: the national register of associations, "W" followed by 9 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rna(String);

impl Rna {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = compact(input).to_uppercase();
        let valid = s.len() == 10 && s.starts_with('W') && all_digits(&s[1..]);
        if !valid {
            return Err(refuse(
                field,
                input,
                "n'est pas un numéro RNA valide (W suivi de 9 chiffres).",
            ));
        }
        Ok(Rna(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Rna {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(Rna, "rna");

/// The digit a letter of a French account number stands for in the RIB key computation.
fn rib_letter_value(c: char) -> Option<u64> {
    match c {
        '0'..='9' => c.to_digit(10).map(u64::from),
        'A' | 'J' => Some(1),
        'B' | 'K' | 'S' => Some(2),
        'C' | 'L' | 'T' => Some(3),
        'D' | 'M' | 'U' => Some(4),
        'E' | 'N' | 'V' => Some(5),
        'F' | 'O' | 'W' => Some(6),
        'G' | 'P' | 'X' => Some(7),
        'H' | 'Q' | 'Y' => Some(8),
        'I' | 'R' | 'Z' => Some(9),
        _ => None,
    }
}

/// French RIB: bank code (5 digits), branch code (5 digits), account number (11 characters)
/// and key (2 digits) with 97 − ((89 × bank + 15 × branch + 3 × account) mod 97) = key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rib {
    bank: String,
    branch: String,
    account: String,
    key: String,
}

impl Rib {
    /// Reads "13507 00100 30765812164 66", "13507-00100-30765812164-66" or 23 characters.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = compact(input).to_uppercase();
        if s.len() != 23 || !s.is_ascii() {
            return Err(refuse(
                field,
                input,
                "doit compter 23 caractères (banque 5, guichet 5, compte 11, clé 2).",
            ));
        }
        let (bank, rest) = s.split_at(5);
        let (branch, rest) = rest.split_at(5);
        let (account, key) = rest.split_at(11);
        if !all_digits(bank) || !all_digits(branch) || !all_digits(key) {
            return Err(refuse(
                field,
                input,
                "est mal formé : codes banque, guichet et clé en chiffres.",
            ));
        }
        let Some(expected) = Self::compute_key(bank, branch, account) else {
            return Err(refuse(
                field,
                input,
                "est mal formé : le numéro de compte ne prend que des chiffres et des lettres.",
            ));
        };
        if format!("{expected:02}") != key {
            return Err(refuse(
                field,
                input,
                &format!("est invalide : la clé RIB devrait être {expected:02}, pas {key}."),
            ));
        }
        Ok(Rib {
            bank: bank.to_string(),
            branch: branch.to_string(),
            account: account.to_string(),
            key: key.to_string(),
        })
    }

    fn compute_key(bank: &str, branch: &str, account: &str) -> Option<u64> {
        let number = |s: &str| -> Option<u64> {
            s.chars()
                .try_fold(0u64, |acc, c| Some(acc * 10 + rib_letter_value(c)?))
        };
        let b = number(bank)?;
        let g = number(branch)?;
        let c = number(account)?;
        Some(97 - ((89 * b + 15 * g + 3 * c) % 97))
    }

    pub fn bank_code(&self) -> &str {
        &self.bank
    }
    pub fn branch_code(&self) -> &str {
        &self.branch
    }
    pub fn account_number(&self) -> &str {
        &self.account
    }
    pub fn key(&self) -> &str {
        &self.key
    }

    /// "13507-00100-30765812164-66", as the seed's convention prints it.
    pub fn dashed(&self) -> String {
        format!(
            "{}-{}-{}-{}",
            self.bank, self.branch, self.account, self.key
        )
    }

    /// The French IBAN that carries this RIB as its BBAN.
    pub fn to_iban(&self) -> Iban {
        let bban = format!("{}{}{}{}", self.bank, self.branch, self.account, self.key);
        let check = 98 - mod97(&format!("{bban}FR00"));
        Iban(format!("FR{check:02}{bban}"))
    }
}

impl fmt::Display for Rib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {}",
            self.bank, self.branch, self.account, self.key
        )
    }
}

impl Serialize for Rib {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}
impl<'de> Deserialize<'de> for Rib {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Rib::parse("rib", &raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}

/// ISO 7064 MOD 97-10 over an alphanumeric string, letters counting 10 to 35.
fn mod97(s: &str) -> u32 {
    let mut rem: u32 = 0;
    for c in s.chars() {
        if let Some(d) = c.to_digit(36) {
            if d >= 10 {
                rem = (rem * 100 + d) % 97;
            } else {
                rem = (rem * 10 + d) % 97;
            }
        }
    }
    rem
}

/// IBAN (ISO 13616): country-specific length and format, MOD 97-10 check digits; a French
/// IBAN must also carry a valid RIB.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);

impl Iban {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = compact(input).to_uppercase();
        if let Err(e) = s.parse::<iban::Iban>() {
            let reason = match e {
                iban::ParseIbanError::InvalidBaseIban {
                    source: iban::ParseBaseIbanError::InvalidChecksum,
                } => "est invalide : les chiffres de contrôle ne correspondent pas.",
                iban::ParseIbanError::InvalidBaseIban { .. } => {
                    "n'est pas un IBAN (2 lettres de pays, 2 chiffres de contrôle, puis le compte)."
                }
                iban::ParseIbanError::UnknownCountry(_) => "est invalide : code pays inconnu.",
                iban::ParseIbanError::InvalidBban(_) => {
                    "est invalide : le format du compte ne correspond pas au pays."
                }
            };
            return Err(refuse(field, input, reason));
        }
        if let Some(bban) = s.strip_prefix("FR") {
            Rib::parse(field, &bban[2..]).map_err(|_| {
                refuse(
                    field,
                    input,
                    "est invalide : la clé RIB du compte français ne correspond pas.",
                )
            })?;
        }
        Ok(Iban(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The RIB inside a French IBAN.
    pub fn rib(&self) -> Option<Rib> {
        let bban = self.0.strip_prefix("FR")?.get(2..)?;
        Rib::parse("iban", bban).ok()
    }

    /// "FR76 1350 7001 0030 7658 1216 466": groups of four.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Iban {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}
string_serde!(Iban, "iban");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siren_table() {
        for ok in ["226200012", "214502494", "380475558", "226 200 012"] {
            assert!(Siren::parse("siren", ok).is_ok(), "{ok}");
        }
        for bad in ["226200013", "22620001", "22620001A", ""] {
            let e = Siren::parse("siren", bad).unwrap_err();
            assert!(e.message.starts_with("SIREN : «"), "{}", e.message);
        }
    }

    #[test]
    fn siret_cells_damaged_by_a_spreadsheet_are_recognised() {
        let restored = |input: &str| match Siret::from_cell("idBeneficiaire", input) {
            SiretCell::Restored(s, note) => (s.to_string(), note),
            other => panic!("{input}: {other:?}"),
        };
        let refused = |input: &str| match Siret::from_cell("idBeneficiaire", input) {
            SiretCell::Refused(reason) => reason,
            other => panic!("{input}: {other:?}"),
        };
        assert_eq!(
            Siret::from_cell("idBeneficiaire", " 21860194600013 "),
            SiretCell::Valid(Siret::parse("siret", "21860194600013").unwrap())
        );
        let table = [
            ("21860194600013.0", "21860194600013"),
            ("21860194600013,00", "21860194600013"),
            // SIREN 0… lost its leading zero in a number cell.
            ("5473083300016", "05473083300016"),
        ];
        for (input, siret) in table {
            let (read, note) = restored(input);
            assert_eq!(read, siret, "{input}");
            assert!(note.contains("comme un nombre par un tableur"), "{note}");
        }
        for (input, reason) in [
            ("2,18601946E+13", "notation scientifique"),
            ("2.18601946e13", "notation scientifique"),
            ("21860194600000.0", "arrondi les derniers chiffres"),
            ("21860194600014.0", "clé de contrôle (Luhn)"),
            ("218601946", "14 chiffres"),
            ("SIRET inconnu", "14 chiffres"),
        ] {
            let message = refused(input);
            assert!(message.contains(reason), "{input}: {message}");
        }
    }

    #[test]
    fn siret_table() {
        let valid = [
            "21860194600013",
            "23350001600040",
            "38047555800058",
            "21060004500392",
            "35600000049837",
            "35600000000048",
            "130 023 740 00439",
        ];
        for ok in valid {
            assert!(Siret::parse("siret", ok).is_ok(), "{ok}");
        }
        let invalid = [
            ("35600000000049", "clé de contrôle"),
            ("13002374000438", "clé de contrôle"),
            ("1300237400043", "14 chiffres"),
            ("1300237400043X", "14 chiffres"),
        ];
        for (bad, why) in invalid {
            let e = Siret::parse("beneficiaire.siret", bad).unwrap_err();
            assert_eq!(e.field, "beneficiaire.siret");
            assert!(e.message.starts_with("SIRET : «"), "{}", e.message);
            assert!(e.message.contains(why), "{}", e.message);
        }
        let s = Siret::parse("siret", "13002374000439").unwrap();
        assert_eq!(s.grouped(), "130 023 740 00439");
        assert_eq!(s.siren().as_str(), "130023740");
    }

    #[test]
    fn rna_table() {
        assert!(Rna::parse("rna", "W380475558").is_ok());
        assert!(Rna::parse("rna", "w380475558").is_ok());
        for bad in ["380475558", "W38047555", "X380475558"] {
            assert!(Rna::parse("rna", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rib_table() {
        let seed = Rib::parse("rib", "13507 00100 30765812164 66").unwrap();
        assert_eq!(seed.dashed(), "13507-00100-30765812164-66");
        assert_eq!(seed.to_iban().as_str(), "FR7613507001003076581216466");
        assert!(Rib::parse("rib", "13507-00100-30765812164-66").is_ok());
        assert!(Rib::parse("rib", "20041 01005 0500013M026 06").is_ok());
        assert!(Rib::parse("rib", "30006000011234567890189").is_ok());
        let e = Rib::parse("rib", "13507 00100 30765812164 67").unwrap_err();
        assert_eq!(
            e.message,
            "RIB : « 13507 00100 30765812164 67 » est invalide : la clé RIB devrait être 66, pas 67."
        );
        assert!(Rib::parse("rib", "1350700100307658121646").is_err());
        assert!(Rib::parse("rib", "13507 00100 3076581216é 66").is_err());
        assert!(Rib::parse("rib", "A3507 00100 30765812164 66").is_err());
    }

    #[test]
    fn iban_table() {
        for ok in [
            "FR1420041010050500013M02606",
            "FR76 3000 6000 0112 3456 7890 189",
            "FR7613507001003076581216466",
            "DE89370400440532013000",
        ] {
            assert!(Iban::parse("iban", ok).is_ok(), "{ok}");
        }
        let e = Iban::parse("iban", "FR7713507001003076581216466").unwrap_err();
        assert!(e.message.starts_with("IBAN : «"), "{}", e.message);
        assert!(e.message.contains("contrôle"), "{}", e.message);
        assert!(Iban::parse("iban", "XX").is_err());
        assert!(Iban::parse("iban", "").is_err());
        let iban = Iban::parse("iban", "FR7613507001003076581216466").unwrap();
        assert_eq!(iban.grouped(), "FR76 1350 7001 0030 7658 1216 466");
        assert_eq!(iban.rib().unwrap().key(), "66");
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,40}") {
            let _ = Siren::parse("siren", &s);
            let _ = Siret::parse("siret", &s);
            let _ = Rna::parse("rna", &s);
            let _ = Rib::parse("rib", &s);
            let _ = Iban::parse("iban", &s);
        }

        #[test]
        fn every_rib_built_from_its_key_is_valid_and_its_iban_too(
            bank in 0u32..100_000, branch in 0u32..100_000, account in "[0-9A-Z]{11}"
        ) {
            let bank = format!("{bank:05}");
            let branch = format!("{branch:05}");
            let key = Rib::compute_key(&bank, &branch, &account).unwrap();
            let rib = Rib::parse("rib", &format!("{bank}{branch}{account}{key:02}")).unwrap();
            let iban = rib.to_iban();
            proptest::prop_assert!(Iban::parse("iban", iban.as_str()).is_ok());
            let wrong = (key % 97) + 1;
            if wrong != key {
                let wrong_rib = format!("{bank}{branch}{account}{wrong:02}");
                proptest::prop_assert!(Rib::parse("rib", &wrong_rib).is_err());
            }
        }
    }
}

/// An e-mail address, checked for the shape an SMTP server accepts: one "@", a local part
/// and a domain with a dot, no spaces or angle brackets, at most 254 characters (RFC 5321).
/// Stored lowercased in its domain only, as the local part may be case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let bad = |why: &str| refuse(field, input, why);
        if s.is_empty() || s.len() > 254 {
            return Err(bad(
                "n'est pas une adresse électronique (254 caractères au plus).",
            ));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return Err(bad("n'est pas une adresse électronique (il manque « @ »)."));
        };
        let forbidden =
            |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\@".contains(c);
        let local_ok = !local.is_empty() && local.len() <= 64 && !local.chars().any(forbidden);
        let labels_ok = domain
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
        let domain_ok = domain.contains('.')
            && labels_ok
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if !local_ok || !domain_ok {
            return Err(bad(
                "n'est pas une adresse électronique valide (nom@domaine.fr).",
            ));
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
string_serde!(EmailAddress, "courriel");

#[cfg(test)]
mod email_tests {
    use super::EmailAddress;

    #[test]
    fn addresses_are_checked_for_what_smtp_accepts() {
        let table = [
            ("jc.leroy@pasdecalais.fr", Some("jc.leroy@pasdecalais.fr")),
            ("  Elu.Un@PasDeCalais.FR ", Some("Elu.Un@pasdecalais.fr")),
            ("prénom@département.fr", Some("prénom@département.fr")),
            ("sans-arobase.fr", None),
            ("a@b", None),
            ("a b@c.fr", None),
            ("@c.fr", None),
            ("a@.fr", None),
            ("a@c..fr", None),
            ("a@-c.fr", None),
            ("<a@c.fr>", None),
            ("a@c.fr\r\nBcc: x@y.fr", None),
            ("", None),
        ];
        for (input, expected) in table {
            let got = EmailAddress::parse("courriel", input);
            assert_eq!(got.as_ref().ok().map(|e| e.as_str()), expected, "{input:?}");
            if let Err(e) = got {
                assert!(e.message.starts_with("Courriel"), "{}", e.message);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn parsing_never_panics_and_is_stable(s in ".{0,80}") {
            if let Ok(e) = EmailAddress::parse("courriel", &s) {
                let again = EmailAddress::parse("courriel", e.as_str());
                proptest::prop_assert_eq!(again.ok(), Some(e));
            }
        }
    }
}
