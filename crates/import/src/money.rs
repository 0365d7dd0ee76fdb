//! Amounts as texts write them: "120 000 €", "120 000,00 euros", "1.500 €", "15 000 F",
//! "2 000 francs", "500 USD". The currency is kept as written: never converted.

use crate::record::{Currency, Money};
use acta_domain::money::Amount;

/// An amount found in a text, with its byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundAmount {
    pub money: Money,
    pub start: usize,
    pub end: usize,
}

/// Every amount followed by a currency in the text.
pub fn find_amounts(text: &str) -> Vec<FoundAmount> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b','));
        if starts_number && let Some((amount, end)) = amount_at(text, i) {
            found.push(FoundAmount {
                money: amount,
                start: i,
                end,
            });
            i = end;
            continue;
        }
        i += 1;
    }
    found
}

/// Reads the number starting at `start` and the currency after it.
fn amount_at(text: &str, start: usize) -> Option<(Money, usize)> {
    let (units, cents, number_end) = number_at(text, start)?;
    let (currency, end) = currency_after(text, number_end)?;
    let centimes = units.checked_mul(100)?.checked_add(cents)?;
    Some((
        Money {
            amount: Amount::from_centimes(centimes),
            currency,
        },
        end,
    ))
}

/// The integer part (groups of three digits separated by a space or a dot may follow the
/// first digits) and the decimals after a comma; returns (units, hundredths, end).
pub fn number_at(text: &str, start: usize) -> Option<(i64, i64, usize)> {
    let bytes = text.as_bytes();
    let digits_end = |from: usize| {
        let mut j = from;
        while j < bytes.len() && bytes[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let mut end = digits_end(start);
    if end - start > 12 {
        return None;
    }
    let mut integer: String = text[start..end].to_string();
    loop {
        let separator = text[end..]
            .chars()
            .next()
            .filter(|c| matches!(c, ' ' | '.' | '\u{a0}' | '\u{202f}'));
        let Some(separator) = separator else { break };
        let group_start = end + separator.len_utf8();
        let group_end = digits_end(group_start);
        let boundary = !bytes.get(group_end).is_some_and(u8::is_ascii_digit);
        if group_end - group_start == 3 && boundary && integer.len() < 13 {
            integer.push_str(&text[group_start..group_end]);
            end = group_end;
        } else {
            break;
        }
    }
    let mut cents = 0;
    if bytes.get(end) == Some(&b',') {
        let decimals_end = digits_end(end + 1);
        let decimals = &text[end + 1..decimals_end];
        if (1..=2).contains(&decimals.len()) {
            cents = decimals.parse::<i64>().ok()? * if decimals.len() == 1 { 10 } else { 1 };
            end = decimals_end;
        }
    }
    Some((integer.parse().ok()?, cents, end))
}

/// The currency written right after a number, and where it ends.
fn currency_after(text: &str, from: usize) -> Option<(Currency, usize)> {
    let rest = &text[from..];
    let trimmed = rest.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
    let offset = from + (rest.len() - trimmed.len());
    let word_end = trimmed
        .find(|c: char| !(c.is_alphabetic() || c == '€' || c == '$' || c == '£' || c == '.'))
        .unwrap_or(trimmed.len());
    let word = trimmed[..word_end].trim_end_matches('.');
    let end = offset + word.len();
    if let Some(after_euro) = trimmed.strip_prefix('€') {
        return Some((Currency::Euro, offset + (trimmed.len() - after_euro.len())));
    }
    let currency = match word.to_lowercase().as_str() {
        "euros" | "euro" | "eur" => Currency::Euro,
        "f" | "ff" | "frf" | "francs" | "franc" | "frs" | "fr" => Currency::Franc,
        "$" | "usd" | "dollars" => Currency::Other("USD".into()),
        "chf" => Currency::Other("CHF".into()),
        "£" | "gbp" => Currency::Other("GBP".into()),
        _ => return None,
    };
    Some((currency, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amounts(text: &str) -> Vec<(i64, Currency)> {
        find_amounts(text)
            .into_iter()
            .map(|f| (f.money.amount.centimes(), f.money.currency))
            .collect()
    }

    #[test]
    fn reads_amounts_and_their_currency() {
        let cases: [(&str, Vec<(i64, Currency)>); 9] = [
            (
                "de 120 000 € au titre de 2023",
                vec![(12_000_000, Currency::Euro)],
            ),
            ("140 000,00 120 000,00", vec![]),
            ("la somme de 1.500,5 euros", vec![(150_050, Currency::Euro)]),
            (
                "15 000 F versés en 1998",
                vec![(1_500_000, Currency::Franc)],
            ),
            ("2 000 francs", vec![(200_000, Currency::Franc)]),
            (
                "500 USD et 20 CHF",
                vec![
                    (50_000, Currency::Other("USD".into())),
                    (2_000, Currency::Other("CHF".into())),
                ],
            ),
            ("le 20 novembre 2023", vec![]),
            (
                "40 000 € HT et 100 000 € HT",
                vec![(4_000_000, Currency::Euro), (10_000_000, Currency::Euro)],
            ),
            ("12 Fondation", vec![]),
        ];
        for (text, expected) in cases {
            assert_eq!(amounts(text), expected, "{text}");
        }
    }

    #[test]
    fn numbers_too_long_are_not_amounts() {
        assert_eq!(amounts("99999999999999999999 €"), vec![]);
    }
}
