//! Money as integer centimes. Never a float.

use crate::error::FieldError;
use crate::french::{NARROW_NBSP, NBSP};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;

/// An amount in euro centimes. Signed so that differences (a balance, a correction) can be
/// expressed; each use states whether a negative amount is acceptable.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_centimes(centimes: i64) -> Self {
        Amount(centimes)
    }

    /// Whole euros; `None` when the value does not fit.
    pub fn from_euros(euros: i64) -> Option<Self> {
        euros.checked_mul(100).map(Amount)
    }

    pub const fn centimes(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        self.0.checked_sub(other.0).map(Amount)
    }

    /// Sum that reports an overflow instead of wrapping.
    pub fn checked_sum<I: IntoIterator<Item = Amount>>(amounts: I) -> Option<Amount> {
        amounts
            .into_iter()
            .try_fold(Amount::ZERO, |acc, a| acc.checked_add(a))
    }

    /// `self × numerator ÷ denominator`, rounded down to the centime (in favour of the
    /// payer: a prorata never rounds a sum up). `None` when the denominator is zero.
    pub fn prorata_floor(self, numerator: i64, denominator: i64) -> Option<Amount> {
        if denominator == 0 {
            return None;
        }
        let v = i128::from(self.0) * i128::from(numerator) / i128::from(denominator);
        i64::try_from(v).ok().map(Amount)
    }

    /// Whole euros and remaining centimes of the absolute value.
    pub fn euros_and_centimes(self) -> (u64, u8) {
        let abs = self.0.unsigned_abs();
        (abs / 100, (abs % 100) as u8)
    }

    /// Reads an amount as staff type it: "120 000,00", "120000", "120 000 €", "1234.5",
    /// with ordinary, non-breaking or narrow spaces between thousands.
    pub fn parse_fr(field: &str, input: &str) -> Result<Amount, FieldError> {
        let invalid = || {
            FieldError::new(
                field,
                format!(
                    "{} : « {} » n'est pas un montant valide (exemple attendu : 120 000,00).",
                    crate::french::field_label(field),
                    input.trim()
                ),
            )
        };
        let cleaned: String = input
            .trim()
            .trim_end_matches('€')
            .trim_end_matches("EUR")
            .chars()
            .filter(|c| !matches!(*c, ' ' | NBSP | NARROW_NBSP | '\''))
            .collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        if digits.is_empty() {
            return Err(invalid());
        }
        let (whole, fraction) = match digits.find([',', '.']) {
            Some(pos) => (&digits[..pos], &digits[pos + 1..]),
            None => (digits, ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > 2
        {
            return Err(invalid());
        }
        let euros: i64 = whole.parse().map_err(|_| invalid())?;
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| invalid())? * 10,
            _ => fraction.parse().map_err(|_| invalid())?,
        };
        let value = euros
            .checked_mul(100)
            .and_then(|v| v.checked_add(cents))
            .ok_or_else(invalid)?;
        Ok(Amount(if negative { -value } else { value }))
    }

    /// "140 000,00": the figure of a budget table, always with centimes.
    pub fn format_fr(self) -> String {
        let (euros, cents) = self.euros_and_centimes();
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{},{cents:02}", group_thousands(euros))
    }

    /// "120 000 €" for whole euros, "1 234,50 €" otherwise: the amount of a sentence.
    pub fn format_euros_fr(self) -> String {
        let (euros, cents) = self.euros_and_centimes();
        let sign = if self.0 < 0 { "-" } else { "" };
        if cents == 0 {
            format!("{sign}{}{NBSP}€", group_thousands(euros))
        } else {
            format!("{sign}{},{cents:02}{NBSP}€", group_thousands(euros))
        }
    }

    /// "120000.00": the decimal-point form of open data (SCDL).
    pub fn format_decimal_point(self) -> String {
        let (euros, cents) = self.euros_and_centimes();
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}{euros}.{cents:02}")
    }
}

impl Sum for Amount {
    /// Saturating sum for display purposes; rules use [`Amount::checked_sum`].
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        Amount(iter.fold(0i64, |acc, a| acc.saturating_add(a.0)))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_euros_fr())
    }
}

/// Groups digits by three with a narrow no-break space (U+202F), as French typography and
/// CLDR `fr-FR` do.
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NARROW_NBSP);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        s.replace([NARROW_NBSP, NBSP], " ")
    }

    #[test]
    fn parses_what_staff_type() {
        let cases = [
            ("120 000,00", 12_000_000),
            ("120000", 12_000_000),
            ("120 000 €", 12_000_000),
            ("140\u{202f}000,00", 14_000_000),
            ("1234.5", 123_450),
            ("0,07", 7),
            ("-20,00", -2_000),
        ];
        for (input, centimes) in cases {
            assert_eq!(
                Amount::parse_fr("montant", input),
                Ok(Amount::from_centimes(centimes)),
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for input in ["", "abc", "12,345", "1.2.3", ",50", "99999999999999999999"] {
            let err = Amount::parse_fr("montant", input).unwrap_err();
            assert_eq!(err.field, "montant");
            assert!(err.message.starts_with("Montant"), "{}", err.message);
        }
    }

    #[test]
    fn formats_the_french_way() {
        let a = Amount::from_euros(140_000).unwrap();
        assert_eq!(a.format_fr(), "140\u{202f}000,00");
        assert_eq!(plain(&a.format_euros_fr()), "140 000 €");
        assert_eq!(
            plain(&Amount::from_centimes(123_450).format_euros_fr()),
            "1 234,50 €"
        );
        assert_eq!(Amount::from_centimes(5).format_fr(), "0,05");
        assert_eq!(
            Amount::from_centimes(12_000_000).format_decimal_point(),
            "120000.00"
        );
        assert_eq!(plain(&Amount::from_centimes(-2_000).format_fr()), "-20,00");
    }

    #[test]
    fn prorata_rounds_down() {
        let a = Amount::from_centimes(100);
        assert_eq!(a.prorata_floor(1, 3), Some(Amount::from_centimes(33)));
        assert_eq!(a.prorata_floor(1, 0), None);
    }

    proptest::proptest! {
        #[test]
        fn format_then_parse_is_identity(c in -10_000_000_000_000i64..10_000_000_000_000i64) {
            let a = Amount::from_centimes(c);
            proptest::prop_assert_eq!(Amount::parse_fr("montant", &a.format_fr()), Ok(a));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Amount::parse_fr("montant", &s);
        }
    }
}

/// A share in basis points: 7 500 is 75 %.
pub type BasisPoints = u32;

/// Reads "75", "75 %", "75,5 %" or "0,75"… no: a share is always written in percent.
/// Returns basis points (75 % → 7 500), between 0 and 100 %.
pub fn parse_percentage(field: &str, input: &str) -> Result<BasisPoints, FieldError> {
    let invalid = || {
        FieldError::new(
            field,
            format!(
                "{} : « {} » n'est pas un pourcentage entre 0 et 100 (exemple : 75 %).",
                crate::french::field_label(field),
                input.trim()
            ),
        )
    };
    let cleaned: String = input
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !matches!(*c, ' ' | NBSP | NARROW_NBSP))
        .collect();
    let (whole, fraction) = match cleaned.find([',', '.']) {
        Some(pos) => (&cleaned[..pos], &cleaned[pos + 1..]),
        None => (cleaned.as_str(), ""),
    };
    if whole.is_empty()
        || whole.len() > 3
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    let units: u32 = whole.parse().map_err(|_| invalid())?;
    let hundredths: u32 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u32>().map_err(|_| invalid())? * 10,
        _ => fraction.parse().map_err(|_| invalid())?,
    };
    let bp = units * 100 + hundredths;
    if bp > 10_000 {
        return Err(invalid());
    }
    Ok(bp)
}

/// "75 %", "12,5 %".
pub fn format_percentage(bp: BasisPoints) -> String {
    if bp.is_multiple_of(100) {
        format!("{}{NBSP}%", bp / 100)
    } else {
        let s = format!("{},{:02}", bp / 100, bp % 100);
        format!("{}{NBSP}%", s.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod percentage_tests {
    use super::*;

    #[test]
    fn percentages() {
        for (input, bp) in [
            ("75", 7_500),
            ("75 %", 7_500),
            ("12,5 %", 1_250),
            ("0,01", 1),
            ("100", 10_000),
        ] {
            assert_eq!(parse_percentage("taux", input), Ok(bp), "{input}");
        }
        for bad in ["101", "-5", "abc", "", "1,234"] {
            assert!(parse_percentage("taux", bad).is_err(), "{bad}");
        }
        assert_eq!(format_percentage(7_500), "75\u{a0}%");
        assert_eq!(format_percentage(1_250), "12,5\u{a0}%");
    }
}
