//! How users name things they act on: a sitting by its number or its date, an award by its
//! number or by the deliberation that awarded it. Each key is parsed once, at the edge, so
//! that a use case never has to guess what a string meant.

use crate::error::FieldError;
use crate::grant::Award;
use crate::ids::Id;
use crate::sitting::Sitting;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A deliberation's number as the register writes it ("2023-479").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliberationNumber(String);

impl DeliberationNumber {
    /// Refuses an empty number and characters no register prints (controls, slashes that
    /// would read as a path).
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let t = input.trim();
        let refuse = |why: &str| {
            FieldError::new(
                field,
                format!("Numéro de délibération : « {} » {why}.", t.escape_debug()),
            )
        };
        if t.is_empty() {
            return Err(refuse("est vide"));
        }
        if t.chars().count() > 40 {
            return Err(refuse("est trop long (40 caractères au plus)"));
        }
        if t.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
            return Err(refuse("contient un caractère qu'un numéro ne peut porter"));
        }
        Ok(DeliberationNumber(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeliberationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A sitting: its number in the register, or the date it was held (enough when one body
/// sat that day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SittingKey {
    Id(Id<Sitting>),
    Date(Date),
}

impl SittingKey {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let t = input.trim();
        if let Ok(n) = t.parse::<i64>()
            && n > 0
        {
            return Ok(SittingKey::Id(Id::new(n)));
        }
        crate::french::parse_date(field, t)
            .map(SittingKey::Date)
            .map_err(|_| {
                FieldError::new(
                    field,
                    format!(
                        "Séance : « {} » n'est ni un numéro de séance ni une date (AAAA-MM-JJ).",
                        t.escape_debug()
                    ),
                )
            })
    }
}

impl From<Id<Sitting>> for SittingKey {
    fn from(id: Id<Sitting>) -> Self {
        SittingKey::Id(id)
    }
}

impl fmt::Display for SittingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SittingKey::Id(id) => write!(f, "{id}"),
            SittingKey::Date(d) => write!(f, "{d}"),
        }
    }
}

/// An award: its own number, written "#12" (or "n°12"), or the number of the deliberation
/// that made it ("2023-479"). A bare "12" is a deliberation number: with a numbering
/// pattern of `{seq}` alone deliberations are numbered so, and an award number never
/// shadows one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwardKey {
    Id(Id<Award>),
    Deliberation(DeliberationNumber),
}

impl AwardKey {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let t = input.trim();
        let award_number = t
            .strip_prefix('#')
            .or_else(|| t.strip_prefix("n°"))
            .or_else(|| t.strip_prefix("N°"));
        match award_number {
            Some(n) => match n.trim().parse::<i64>() {
                Ok(n) if n > 0 => Ok(AwardKey::Id(Id::new(n))),
                _ => Err(FieldError::new(
                    field,
                    format!(
                        "Aide : « {} » n'est pas un numéro d'attribution (exemple : #12).",
                        t.escape_debug()
                    ),
                )),
            },
            None => DeliberationNumber::parse(field, t).map(AwardKey::Deliberation),
        }
    }
}

impl From<Id<Award>> for AwardKey {
    fn from(id: Id<Award>) -> Self {
        AwardKey::Id(id)
    }
}

impl fmt::Display for AwardKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AwardKey::Id(id) => write!(f, "#{id}"),
            AwardKey::Deliberation(n) => write!(f, "{n}"),
        }
    }
}

macro_rules! text_key {
    ($key:ty, $field:literal) => {
        impl FromStr for $key {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                <$key>::parse($field, s)
            }
        }
        impl Serialize for $key {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $key {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                <$key>::parse($field, &text).map_err(serde::de::Error::custom)
            }
        }
    };
}

text_key!(DeliberationNumber, "numero");
text_key!(SittingKey, "seance");
text_key!(AwardKey, "aide");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_award_number_and_a_deliberation_number_never_meet() {
        for (typed, expected) in [
            ("#12", AwardKey::Id(Id::new(12))),
            ("n°12", AwardKey::Id(Id::new(12))),
            (
                "12",
                AwardKey::Deliberation(DeliberationNumber("12".into())),
            ),
            (
                " 2023-479 ",
                AwardKey::Deliberation(DeliberationNumber("2023-479".into())),
            ),
        ] {
            assert_eq!(typed.parse::<AwardKey>().unwrap(), expected, "{typed}");
        }
        for bad in ["#", "#-1", "#douze", "", "2023/479", "20\u{0}23"] {
            assert!(bad.parse::<AwardKey>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_sitting_is_a_number_or_a_date() {
        assert_eq!(
            "12".parse::<SittingKey>().unwrap(),
            SittingKey::Id(Id::new(12))
        );
        assert_eq!(
            "20/11/2023".parse::<SittingKey>().unwrap(),
            SittingKey::Date(Date::new(2023, 11, 20).unwrap())
        );
        let err = "demain".parse::<SittingKey>().unwrap_err();
        assert!(err.message.contains("ni un numéro de séance ni une date"));
        assert!("0".parse::<SittingKey>().is_err());
    }

    #[test]
    fn keys_read_back_what_they_print() {
        for typed in ["#7", "2023-479", "2023-11-20", "3"] {
            if let Ok(k) = typed.parse::<AwardKey>() {
                assert_eq!(k.to_string().parse::<AwardKey>().unwrap(), k);
            }
            if let Ok(k) = typed.parse::<SittingKey>() {
                assert_eq!(k.to_string().parse::<SittingKey>().unwrap(), k);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn parsing_any_text_never_panics(s in ".{0,60}") {
            let _ = s.parse::<AwardKey>();
            let _ = s.parse::<SittingKey>();
            let _ = s.parse::<DeliberationNumber>();
        }
    }
}
