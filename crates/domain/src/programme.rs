//! Programme and commitment authorisations (autorisations de programme et d'engagement,
//! CGCT L3312-4): a multi-year envelope voted with its yearly payment credits (échéancier
//! de crédits de paiement). An award on a multi-year operation commits the envelope and
//! draws each year's credits as its schedule says; the envelope may be revised, never
//! below what it has committed, and lapses (caducité) when the assembly closes it.

use crate::error::{DomainError, Errors, FieldError};
use crate::money::Amount;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// AP (investment) or AE (operating expenses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorisationKind {
    /// Autorisation de programme (section d'investissement).
    Programme,
    /// Autorisation d'engagement (section de fonctionnement).
    Engagement,
}

impl AuthorisationKind {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        match input.trim().to_lowercase().as_str() {
            "ap" | "programme" => Ok(AuthorisationKind::Programme),
            "ae" | "engagement" => Ok(AuthorisationKind::Engagement),
            other => Err(FieldError::new(
                field,
                format!(
                    "Nature : « {other} » (ap pour une autorisation de programme, ae pour une autorisation d'engagement)."
                ),
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AuthorisationKind::Programme => "Autorisation de programme",
            AuthorisationKind::Engagement => "Autorisation d'engagement",
        }
    }
}

/// Where an authorisation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorisationStatus {
    Open,
    /// Caducité: what it had not committed is released; nothing more may be committed.
    Lapsed,
}

impl AuthorisationStatus {
    /// "ouverte", "caduque".
    pub fn label(self) -> &'static str {
        match self {
            AuthorisationStatus::Open => "ouverte",
            AuthorisationStatus::Lapsed => "caduque",
        }
    }
}

/// A yearly amount: a payment credit of the échéancier, or an award's share of a year.
pub type Yearly = BTreeMap<i16, Amount>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorisation {
    /// "AP-2023-ARTISANAT".
    pub code: String,
    pub kind: AuthorisationKind,
    pub label: String,
    /// The envelope voted.
    pub amount: Amount,
    /// The échéancier: payment credits by year; their sum is the envelope.
    pub schedule: Yearly,
    pub status: AuthorisationStatus,
}

impl Authorisation {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.code.trim().is_empty() {
            errors.push(FieldError::new(
                "code",
                "Code : le code de l'autorisation est obligatoire (ex. AP-2023-01).",
            ));
        }
        if self.label.trim().is_empty() {
            errors.push(FieldError::new(
                "libelle",
                "Libellé : le libellé de l'autorisation est obligatoire.",
            ));
        }
        if !self.amount.centimes().is_positive() {
            errors.push(FieldError::new(
                "montant",
                "Montant : le montant de l'autorisation doit être positif.",
            ));
        }
        if self.schedule.is_empty() {
            errors.push(FieldError::new(
                "echeancier",
                "Échéancier : indiquez les crédits de paiement de chaque année (« 2023 = 100 000 »).",
            ));
        }
        for (year, amount) in &self.schedule {
            if amount.is_negative() {
                errors.push(FieldError::new(
                    "echeancier",
                    format!("Échéancier : les crédits de {year} ne peuvent pas être négatifs."),
                ));
            }
        }
        let total = Amount::checked_sum(self.schedule.values().copied());
        if !self.schedule.is_empty() && total != Some(self.amount) {
            errors.push(FieldError::new(
                "echeancier",
                format!(
                    "Échéancier : les crédits de paiement totalisent {} pour une autorisation de {} ; ils doivent la couvrir exactement.",
                    total.unwrap_or(Amount::ZERO).format_euros_fr(),
                    self.amount.format_euros_fr()
                ),
            ));
        }
        errors.into_result()
    }
}

/// What an authorisation has committed and drawn, from the yearly shares of its awards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthorisationBalance {
    pub committed: Amount,
    pub remaining: Amount,
    /// By year of the échéancier: the credits, what awards draw, what is left.
    pub years: Vec<YearBalance>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearBalance {
    pub year: i16,
    pub credits: Amount,
    pub drawn: Amount,
    pub left: Amount,
}

fn overflow() -> DomainError {
    DomainError::rule("Les montants de l'autorisation dépassent la capacité de calcul.")
}

/// The balance of an authorisation given the yearly shares of the awards on it.
pub fn balance(
    auth: &Authorisation,
    awards: &[Yearly],
) -> Result<AuthorisationBalance, DomainError> {
    let committed = Amount::checked_sum(awards.iter().flat_map(|a| a.values().copied()))
        .ok_or_else(overflow)?;
    let mut years = Vec::with_capacity(auth.schedule.len());
    for (&year, &credits) in &auth.schedule {
        let drawn = Amount::checked_sum(awards.iter().filter_map(|a| a.get(&year).copied()))
            .ok_or_else(overflow)?;
        years.push(YearBalance {
            year,
            credits,
            drawn,
            left: credits.checked_sub(drawn).ok_or_else(overflow)?,
        });
    }
    Ok(AuthorisationBalance {
        committed,
        remaining: auth.amount.checked_sub(committed).ok_or_else(overflow)?,
        years,
    })
}

/// Checks a new award's yearly shares against an authorisation: open, the envelope not
/// exceeded, and each year's share within that year's credits left. Every shortfall is named.
pub fn check_award(
    auth: &Authorisation,
    others: &[Yearly],
    shares: &Yearly,
    amount: Amount,
) -> Result<(), DomainError> {
    let name = format!("{} {}", auth.kind.label(), auth.code);
    if auth.status == AuthorisationStatus::Lapsed {
        return Err(DomainError::rule(format!(
            "{name} : elle est caduque ; plus rien ne s'y engage."
        )));
    }
    let mut errors = Errors::new();
    if Amount::checked_sum(shares.values().copied()) != Some(amount) {
        errors.push(FieldError::new(
            "echeancier",
            format!(
                "Échéancier de l'aide : les parts annuelles doivent totaliser le montant de l'aide ({}).",
                amount.format_euros_fr()
            ),
        ));
    }
    let before = balance(auth, others)?;
    if amount > before.remaining {
        errors.push(FieldError::new(
            "montant",
            format!(
                "{name} : il reste {} à engager ; l'aide en demande {}.",
                before.remaining.format_euros_fr(),
                amount.format_euros_fr()
            ),
        ));
    }
    for (year, share) in shares {
        match before.years.iter().find(|y| y.year == *year) {
            None => errors.push(FieldError::new(
                "echeancier",
                format!("Échéancier de l'aide : {name} n'a pas de crédits de paiement en {year}."),
            )),
            Some(y) if *share > y.left => errors.push(FieldError::new(
                "echeancier",
                format!(
                    "Échéancier de l'aide : les crédits de paiement {year} de {name} ont {} de disponible ; la part de l'aide en {year} est de {} ; il manque {}.",
                    y.left.format_euros_fr(),
                    share.format_euros_fr(),
                    share.checked_sub(y.left).unwrap_or(Amount::ZERO).format_euros_fr()
                ),
            )),
            Some(_) => {}
        }
    }
    errors.into_result()
}

/// Checks a revision (new envelope and échéancier) against what awards already draw.
/// What an award holds on its budget line: its own year's share when it is on an
/// authorisation (`shares`: its yearly shares; the other years draw their own credits),
/// else its whole amount.
pub fn share_on_line(amount: Amount, year: i16, shares: Option<&Yearly>) -> Amount {
    match shares {
        Some(shares) => shares.get(&year).copied().unwrap_or(Amount::ZERO),
        None => amount,
    }
}

pub fn check_revision(revised: &Authorisation, awards: &[Yearly]) -> Result<(), DomainError> {
    revised.validate()?;
    let b = balance(revised, awards)?;
    let mut errors = Errors::new();
    if b.remaining.is_negative() {
        errors.push(FieldError::new(
            "montant",
            format!(
                "Révision : {} ne couvre plus les {} déjà engagés.",
                revised.amount.format_euros_fr(),
                b.committed.format_euros_fr()
            ),
        ));
    }
    for y in b.years.iter().filter(|y| y.left.is_negative()) {
        errors.push(FieldError::new(
            "echeancier",
            format!(
                "Révision : les crédits de paiement {} ({}) ne couvrent plus les {} que les aides y tirent.",
                y.year,
                y.credits.format_euros_fr(),
                y.drawn.format_euros_fr()
            ),
        ));
    }
    for (year, share) in awards.iter().flatten() {
        if !revised.schedule.contains_key(year) && !share.is_zero() {
            errors.push(FieldError::new(
                "echeancier",
                format!("Révision : des aides tirent des crédits en {year} ; l'échéancier doit garder cette année."),
            ));
            break;
        }
    }
    errors.into_result()
}

/// Checks a payment made in `year` against the award's share of that year, given what was
/// already paid that year.
pub fn check_payment_year(
    shares: &Yearly,
    year: i16,
    paid_that_year: Amount,
    amount: Amount,
) -> Result<(), DomainError> {
    let share = shares.get(&year).copied().unwrap_or(Amount::ZERO);
    let after = paid_that_year.checked_add(amount).ok_or_else(overflow)?;
    if after > share {
        return Err(DomainError::rule(format!(
            "Versement : la part de l'aide en {year} sur les crédits de paiement de l'autorisation est de {} ; {} déjà versés, {} demandés.",
            share.format_euros_fr(),
            paid_that_year.format_euros_fr(),
            amount.format_euros_fr()
        )));
    }
    Ok(())
}

/// Checks a convention's dated tranches against the award's yearly shares: the tranches
/// due in a year never exceed the award's share of that year's payment credits.
pub fn check_tranche_years(shares: &Yearly, dated: &[(Date, Amount)]) -> Result<(), DomainError> {
    let mut by_year = Yearly::new();
    for (date, amount) in dated {
        let entry = by_year.entry(date.year()).or_insert(Amount::ZERO);
        *entry = entry.checked_add(*amount).ok_or_else(overflow)?;
    }
    let mut errors = Errors::new();
    for (year, amount) in by_year {
        let share = shares.get(&year).copied().unwrap_or(Amount::ZERO);
        if amount > share {
            errors.push(FieldError::new(
                "echeancier",
                format!(
                    "Échéancier de la convention : {} de tranches tombent en {year}, où la part de l'aide sur les crédits de paiement de l'autorisation est de {}.",
                    amount.format_euros_fr(),
                    share.format_euros_fr()
                ),
            ));
        }
    }
    errors.into_result()
}

/// Reads "2023 = 100 000" lines into yearly amounts.
pub fn parse_yearly(field: &str, lines: &[String]) -> Result<Yearly, DomainError> {
    let mut errors = Errors::new();
    let mut out = Yearly::new();
    for line in lines
        .iter()
        .flat_map(|l| l.split(';'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let Some((year, amount)) = line.split_once('=') else {
            errors.push(FieldError::new(
                field,
                format!("Échéancier : « {line} » ; écrivez « année = montant »."),
            ));
            continue;
        };
        let Ok(year) = year.trim().parse::<i16>() else {
            errors.push(FieldError::new(
                field,
                format!("Échéancier : « {} » n'est pas une année.", year.trim()),
            ));
            continue;
        };
        if let Some(amount) = errors.check(Amount::parse_fr(field, amount))
            && out.insert(year, amount).is_some()
        {
            errors.push(FieldError::new(
                field,
                format!("Échéancier : l'année {year} figure deux fois."),
            ));
        }
    }
    errors.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn euros(n: i64) -> Amount {
        Amount::from_centimes(n * 100)
    }

    #[test]
    fn an_award_holds_on_its_line_its_year_share_or_its_whole_amount() {
        let shares: Yearly = [(2024, euros(40_000)), (2025, euros(80_000))].into();
        let cases = [
            (None, 2024, euros(120_000)),
            (Some(&shares), 2024, euros(40_000)),
            (Some(&shares), 2025, euros(80_000)),
            (Some(&shares), 2026, Amount::ZERO),
        ];
        for (on_authorisation, year, expected) in cases {
            assert_eq!(
                share_on_line(euros(120_000), year, on_authorisation),
                expected,
                "{year} {on_authorisation:?}"
            );
        }
    }

    fn yearly(list: &[(i16, i64)]) -> Yearly {
        list.iter().map(|&(y, a)| (y, euros(a))).collect()
    }

    fn ap() -> Authorisation {
        Authorisation {
            code: "AP-2023-01".into(),
            kind: AuthorisationKind::Programme,
            label: "Ateliers de l'artisanat".into(),
            amount: euros(300_000),
            schedule: yearly(&[(2023, 100_000), (2024, 100_000), (2025, 100_000)]),
            status: AuthorisationStatus::Open,
        }
    }

    #[test]
    fn an_award_over_two_years_draws_each_years_credits() {
        let auth = ap();
        auth.validate().unwrap();
        let first = yearly(&[(2023, 80_000), (2024, 70_000)]);
        check_award(&auth, &[], &first, euros(150_000)).unwrap();
        let b = balance(&auth, std::slice::from_ref(&first)).unwrap();
        assert_eq!((b.committed, b.remaining), (euros(150_000), euros(150_000)));
        let left: Vec<(i16, Amount)> = b.years.iter().map(|y| (y.year, y.left)).collect();
        assert_eq!(
            left,
            [
                (2023, euros(20_000)),
                (2024, euros(30_000)),
                (2025, euros(100_000))
            ]
        );
        // 2023 has 20 000 left: a second award cannot take 30 000 from it.
        let refused = check_award(
            &auth,
            std::slice::from_ref(&first),
            &yearly(&[(2023, 30_000)]),
            euros(30_000),
        )
        .unwrap_err()
        .to_string()
        .replace(['\u{202f}', '\u{a0}'], " ");
        assert!(refused.contains("les crédits de paiement 2023 de Autorisation de programme AP-2023-01 ont 20 000 € de disponible"), "{refused}");
        assert!(refused.contains("il manque 10 000 €"), "{refused}");
        // Shares must add up, and fall in the échéancier's years.
        assert!(check_award(&auth, &[], &yearly(&[(2023, 10)]), euros(20)).is_err());
        assert!(check_award(&auth, &[], &yearly(&[(2026, 10)]), euros(10)).is_err());
        let mut lapsed = auth.clone();
        lapsed.status = AuthorisationStatus::Lapsed;
        assert!(
            check_award(&lapsed, &[], &yearly(&[(2025, 10)]), euros(10))
                .unwrap_err()
                .to_string()
                .contains("caduque")
        );
    }

    #[test]
    fn an_echeancier_covers_the_envelope_and_a_revision_its_commitments() {
        let mut auth = ap();
        auth.schedule = yearly(&[(2023, 100_000), (2024, 100_000)]);
        assert!(
            auth.validate()
                .unwrap_err()
                .to_string()
                .contains("couvrir exactement")
        );
        let drawn = [yearly(&[(2023, 80_000), (2024, 70_000)])];
        let mut revised = ap();
        revised.amount = euros(200_000);
        revised.schedule = yearly(&[(2023, 80_000), (2024, 70_000), (2025, 50_000)]);
        check_revision(&revised, &drawn).unwrap();
        revised.amount = euros(140_000);
        revised.schedule = yearly(&[(2023, 80_000), (2024, 60_000)]);
        let refused = check_revision(&revised, &drawn).unwrap_err().to_string();
        assert!(refused.contains("ne couvre plus"), "{refused}");
    }

    #[test]
    fn dated_tranches_fall_within_their_years_share() {
        let shares = yearly(&[(2023, 80_000), (2024, 70_000)]);
        let d = |y, m, day| jiff::civil::date(y, m, day);
        assert!(
            check_tranche_years(
                &shares,
                &[
                    (d(2023, 4, 1), euros(80_000)),
                    (d(2024, 2, 1), euros(70_000))
                ]
            )
            .is_ok()
        );
        let refused = check_tranche_years(
            &shares,
            &[
                (d(2023, 4, 1), euros(80_000)),
                (d(2023, 12, 1), euros(70_000)),
            ],
        )
        .unwrap_err();
        assert!(refused.to_string().contains("tombent en 2023"), "{refused}");
    }

    #[test]
    fn payments_stay_within_the_year_share() {
        let shares = yearly(&[(2023, 80_000), (2024, 70_000)]);
        assert!(check_payment_year(&shares, 2023, euros(0), euros(80_000)).is_ok());
        assert!(check_payment_year(&shares, 2023, euros(80_000), euros(1)).is_err());
        assert!(check_payment_year(&shares, 2025, euros(0), euros(1)).is_err());
    }

    #[test]
    fn yearly_lines_are_read_or_refused_by_field() {
        let read =
            parse_yearly("echeancier", &["2023 = 100 000; 2024 = 50 000,50".into()]).unwrap();
        assert_eq!(
            read,
            yearly(&[(2023, 100_000)])
                .into_iter()
                .chain([(2024, Amount::from_centimes(5_000_050))])
                .collect()
        );
        for bad in ["2023 100", "vingt = 5", "2023 = 5; 2023 = 6", "2023 = abc"] {
            assert!(parse_yearly("echeancier", &[bad.into()]).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        /// Awards accepted one after the other never draw more than a year's credits nor
        /// more than the envelope.
        #[test]
        fn accepted_awards_stay_within_every_year(
            shares in proptest::collection::vec(proptest::collection::vec((2023i16..2027, 1i64..80_000), 1..3), 0..20)
        ) {
            let auth = ap();
            let mut accepted: Vec<Yearly> = Vec::new();
            for list in shares {
                let mut s = Yearly::new();
                for (y, a) in list { s.insert(y, euros(a)); }
                let total = Amount::checked_sum(s.values().copied()).unwrap();
                if check_award(&auth, &accepted, &s, total).is_ok() {
                    accepted.push(s);
                }
                let b = balance(&auth, &accepted).unwrap();
                proptest::prop_assert!(!b.remaining.is_negative());
                proptest::prop_assert!(b.years.iter().all(|y| !y.left.is_negative()));
            }
        }
    }
}
