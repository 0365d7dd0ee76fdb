//! Synthetic datasets built from the seed: a sitting of many reports (the documents
//! benchmark) and a register of many deliberations (`acta demo --synthetic`, open data at
//! scale).

use acta_app::AppError;
use acta_app::dataset::Dataset;
use acta_app::demo::seed_dataset;

/// The seed's sitting with `reports` items: the seed's report, deliberation, award and
/// convention repeated with their own numbers, for benchmarks.
pub fn synthetic_sitting(reports: usize) -> Result<Dataset, AppError> {
    let mut d = seed_dataset()?;
    let report = d.reports[0].clone();
    let deliberation = d.deliberations[0].clone();
    let award = d.awards[0].clone();
    let convention = d.conventions[0].clone();
    let per_award: i64 = 120_000;
    d.budget_lines[0].voted = format!(
        "{},00",
        per_award * i64::try_from(reports).unwrap_or(0) + 20_000
    );
    d.reports.clear();
    d.deliberations.clear();
    d.awards.clear();
    d.conventions.clear();
    for i in 0..reports {
        let key = format!("r{i}");
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        d.reports.push(acta_app::dataset::ReportInput {
            key: key.clone(),
            number,
            ..report.clone()
        });
        d.deliberations.push(acta_app::dataset::DeliberationInput {
            report: key.clone(),
            number: Some(format!("2023-{}", 1000 + i)),
            ..deliberation.clone()
        });
        d.awards.push(acta_app::dataset::AwardInput {
            key: format!("a{i}"),
            report: key,
            ..award.clone()
        });
        d.conventions.push(acta_app::dataset::ConventionInput {
            award: format!("a{i}"),
            ..convention.clone()
        });
    }
    Ok(d)
}

/// A valid SIRET for the n-th synthetic beneficiary (Luhn key computed).
fn synthetic_siret(n: usize) -> String {
    let base = format!("{:08}", 40_000_000 + n);
    let luhn = |digits: &str| -> u32 {
        digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
                } else {
                    d
                }
            })
            .sum()
    };
    let siren_key = (0..10)
        .find(|k| luhn(&format!("{base}{k}")) % 10 == 0)
        .unwrap_or(0);
    let siren = format!("{base}{siren_key}");
    let nic = "0001";
    let siret_key = (0..10)
        .find(|k| luhn(&format!("{siren}{nic}{k}")) % 10 == 0)
        .unwrap_or(0);
    format!("{siren}{nic}{siret_key}")
}

/// A register of `count` deliberations over weekly sittings of 100 items, with grants to
/// 50 beneficiaries — various matters, amounts (some under 23 000 €), votes, schedules and
/// signed conventions — for checking open data at scale.
pub fn synthetic_register(count: usize) -> Result<Dataset, AppError> {
    let mut d = seed_dataset()?.referential();
    let template = seed_dataset()?;
    let beneficiary = template.beneficiaries[0].clone();
    d.beneficiaries.clear();
    for b in 0..50 {
        let mut entry = beneficiary.clone();
        entry.key = format!("b{b}");
        entry.beneficiary.name = format!("Association synthétique n°{}", b + 1);
        entry.beneficiary.short_name = Some(format!("l'association n°{}", b + 1));
        entry.beneficiary.designation = None;
        entry.beneficiary.siret = Some(synthetic_siret(b));
        d.beneficiaries.push(entry);
    }
    // Forty lines a year: a real line carries hundreds of grants, not thousands.
    let line_template = d.budget_lines[0].clone();
    d.budget_lines.clear();
    let first_sitting = jiff::civil::date(2023, 1, 9);
    let weeks = i64::try_from(count / 100 + 1).unwrap_or(0);
    let last_sitting = first_sitting
        .checked_add(jiff::Span::new().days(7 * weeks))
        .map_err(|e| AppError::File(e.to_string()))?;
    for year in first_sitting.year()..=last_sitting.year() {
        for n in 0..40 {
            let mut line = line_template.clone();
            line.key = format!("l{year}-{n}");
            line.year = year;
            line.operation_code = format!("C01-S{n:02}");
            line.label = format!("SUBVENTIONS SYNTHÉTIQUES N°{}", n + 1);
            line.voted = "50 000 000,00".to_string();
            line.prior_commitments = None;
            d.budget_lines.push(line);
        }
    }
    let matters = ["7.5", "8.1", "8.2", "7.4", "8.9", "5.3", "8.3", "9.2"];
    let mut sitting_date = first_sitting;
    for i in 0..count {
        if i % 100 == 0 {
            if i > 0 {
                sitting_date = sitting_date
                    .checked_add(jiff::Span::new().days(7))
                    .map_err(|e| AppError::File(e.to_string()))?;
            }
            let mut s = template.sittings[0].clone();
            s.key = format!("s{}", i / 100);
            s.date = sitting_date.to_string();
            d.sittings.push(s);
        }
        let sitting = format!("s{}", i / 100);
        let key = format!("r{i}");
        let mut report = template.reports[0].clone();
        report.key = key.clone();
        report.sitting = sitting.clone();
        report.number = u32::try_from(i % 100 + 1).unwrap_or(1);
        report.title = format!("RAPPORT SYNTHÉTIQUE N°{} - AIDE {}", i + 1, i % 97);
        d.reports.push(report);
        let mut deliberation = template.deliberations[0].clone();
        deliberation.report = key.clone();
        deliberation.number = Some(format!("S-{}", i + 1));
        deliberation.title = format!("AIDE SYNTHÉTIQUE N°{}", i + 1);
        deliberation.matter = Some(matters[i % matters.len()].to_string());
        deliberation.date = d
            .sittings
            .last()
            .map(|s| s.date.clone())
            .unwrap_or_default();
        let against = u32::try_from(i % 7).unwrap_or(0);
        let abstention = u32::try_from(i % 5).unwrap_or(0);
        if let Some(v) = deliberation.vote.as_mut() {
            v.for_ = 42 - against - abstention;
            v.against = against;
            v.abstention = abstention;
            v.groups_for.truncate(i % 6);
        }
        d.deliberations.push(deliberation);
        // Every third deliberation grants nothing; the others grant 5 000 € to 200 000 €.
        if i % 3 != 2 {
            let mut award = template.awards[0].clone();
            award.key = format!("a{i}");
            award.report = key.clone();
            award.beneficiary = format!("b{}", i % 50);
            award.year = sitting_date.year();
            award.budget_line = format!("l{}-{}", award.year, i % 40);
            let euros = 5_000 + (i * 7_919) % 195_000;
            award.amount = euros.to_string();
            d.awards.push(award);
            if euros > 23_000 {
                let mut c = template.conventions[0].clone();
                c.award = format!("a{i}");
                c.signed_on = Some(
                    d.sittings
                        .last()
                        .map(|s| s.date.clone())
                        .unwrap_or_default(),
                );
                c.signatories.truncate(1);
                if i % 4 == 0 {
                    c.schedule.truncate(1);
                    c.schedule[0].amount = euros.to_string();
                } else {
                    // 80 % then the balance, in centimes.
                    let first = euros * 80;
                    let balance = euros * 100 - first;
                    c.schedule[0].amount = format!("{},{:02}", first / 100, first % 100);
                    c.schedule[1].amount = format!("{},{:02}", balance / 100, balance % 100);
                }
                d.conventions.push(c);
            }
        }
    }
    Ok(d)
}
