//! Field-level precision and recall against a labelled set. A record becomes a set of facts
//! ("present" = "Jean-Claude LEROY", "vote.for" = "44"…); expected facts are written by hand
//! in TOML with the same keys. Values are compared folded (case, accents, spaces, final
//! punctuation), so that a label need not copy the source's typography.

use crate::lex::{fold, trim_end_punctuation};
use crate::record::*;
use std::collections::{BTreeMap, BTreeSet};

/// (deliberation index in the file, field, folded value).
pub type Fact = (usize, String, String);

fn norm(value: &str) -> String {
    fold(trim_end_punctuation(value))
        .replace(['«', '»'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn moment(m: &Option<Moment>) -> String {
    match m {
        None => String::new(),
        Some(Moment::Item(n)) => format!("point {n}"),
        Some(Moment::Time(t)) => format!("{:02}:{:02}", t.hour(), t.minute()),
    }
}

fn money(m: &Money) -> String {
    let code = match &m.currency {
        Currency::Euro => "EUR".to_string(),
        Currency::Franc => "FRF".to_string(),
        Currency::Other(code) => code.clone(),
    };
    let (units, cents) = (m.amount.centimes() / 100, m.amount.centimes() % 100);
    format!("{units}.{cents:02} {code}")
}

fn position(p: Position) -> &'static str {
    match p {
        Position::For => "for",
        Position::Against => "against",
        Position::Abstention => "abstention",
        Position::NotVoting => "not_voting",
    }
}

/// Every fact of the deliberations of one file.
pub fn facts(deliberations: &[ImportedDeliberation]) -> BTreeSet<Fact> {
    let mut out = BTreeSet::new();
    for (index, d) in deliberations.iter().enumerate() {
        let mut add = |field: &str, value: String| {
            out.insert((index, field.to_string(), norm(&value)));
        };
        if let Some(v) = &d.collectivity {
            add("collectivity", v.value.clone());
        }
        if let Some(v) = &d.body {
            add("body", v.value.clone());
        }
        if let Some(v) = &d.sitting_date {
            add("sitting_date", v.value.to_string());
        }
        if let Some(v) = &d.sitting_time {
            add(
                "sitting_time",
                format!("{:02}:{:02}", v.value.hour(), v.value.minute()),
            );
        }
        if let Some(v) = &d.president {
            add("president", v.value.name.clone());
        }
        if let Some(v) = &d.secretary {
            add("secretary", v.value.name.clone());
        }
        for (field, list) in [
            ("present", &d.present),
            ("excused", &d.excused),
            ("absent", &d.absent),
            ("present_without_vote", &d.present_without_vote),
            ("excused_without_vote", &d.excused_without_vote),
        ] {
            for p in list {
                add(field, p.value.name.clone());
            }
        }
        for p in &d.represented {
            add(
                "represented",
                format!("{} > {}", p.value.giver.name, p.value.holder.name),
            );
        }
        for p in &d.partial {
            add(
                "partial",
                format!(
                    "{} | {} | {}",
                    p.value.member.name,
                    moment(&p.value.from),
                    moment(&p.value.until)
                ),
            );
        }
        if let Some(v) = &d.number {
            add("number", v.value.clone());
        }
        if let Some(v) = &d.report_number {
            add("report_number", v.value.clone());
        }
        if let Some(v) = &d.title {
            add("title", v.value.clone());
        }
        for v in &d.visas {
            add("visa", v.value.clone());
        }
        for v in &d.considerants {
            add("considerant", v.value.clone());
        }
        for v in &d.articles {
            add("article", format!("{}: {}", v.value.number, v.value.text));
        }
        for v in &d.beneficiaries {
            add(
                "beneficiary",
                format!("{} = {}", v.value.beneficiary, money(&v.value.amount)),
            );
        }
        for v in &d.imputations {
            let i = &v.value;
            let part = |o: &Option<String>| o.clone().unwrap_or_default();
            add(
                "imputation",
                format!(
                    "{} | {} | {} | {} | {}",
                    part(&i.operation),
                    part(&i.chapter),
                    part(&i.nature),
                    part(&i.function),
                    i.amount.as_ref().map(money).unwrap_or_default()
                ),
            );
        }
        for c in &d.counts {
            add(
                &format!("count.{}", c.value.kind.key()),
                c.value.value.to_string(),
            );
        }
        if let Some(vote) = &d.vote {
            let vote = &vote.value;
            for s in &vote.stances {
                let p = position(s.position);
                if let Some(count) = s.count {
                    add(&format!("vote.{p}"), count.to_string());
                }
                for g in &s.groups {
                    add(&format!("vote.{p}.group"), g.clone());
                }
                for m in &s.members {
                    add(&format!("vote.{p}.member"), m.name.clone());
                }
            }
            if vote.unanimous {
                add("vote.unanimous", "true".into());
            }
            if let Some(outcome) = vote.outcome {
                let name = match outcome {
                    Outcome::Adopted => "adopted",
                    Outcome::Rejected => "rejected",
                    Outcome::Noted => "noted",
                };
                add("vote.outcome", name.into());
            }
        }
        for s in &d.signatories {
            add("signatory", format!("{} | {}", s.value.role, s.value.name));
        }
        if let Some(v) = &d.place {
            add("place", v.value.clone());
        }
        if let Some(v) = &d.signed_on {
            add("signed_on", v.value.to_string());
        }
    }
    out
}

/// Expected facts from a label: `[[deliberation]]` tables whose keys are the fields above
/// and whose values are a string, a number, a boolean, or an array of them.
pub fn expected_facts(
    label: &BTreeMap<String, Vec<BTreeMap<String, LabelValue>>>,
) -> BTreeSet<Fact> {
    let mut out = BTreeSet::new();
    for (index, table) in label.get("deliberation").into_iter().flatten().enumerate() {
        for (field, value) in table {
            for v in value.values() {
                out.insert((index, field.clone(), norm(&v)));
            }
        }
    }
    out
}

/// A value of a label file.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(untagged)]
pub enum LabelValue {
    Text(String),
    Number(i64),
    Flag(bool),
    List(Vec<LabelValue>),
}

impl LabelValue {
    fn values(&self) -> Vec<String> {
        match self {
            LabelValue::Text(t) => vec![t.clone()],
            LabelValue::Number(n) => vec![n.to_string()],
            LabelValue::Flag(b) => vec![b.to_string()],
            LabelValue::List(items) => items.iter().flat_map(LabelValue::values).collect(),
        }
    }
}

/// Counts of one field, or of all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub found: usize,
    pub expected: usize,
    pub correct: usize,
}

impl Score {
    pub fn add(&mut self, other: Score) {
        self.found += other.found;
        self.expected += other.expected;
        self.correct += other.correct;
    }

    pub fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.correct as f64 / self.found as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }
}

/// Scores per field (the vote's sub-fields under "vote").
pub fn score(found: &BTreeSet<Fact>, expected: &BTreeSet<Fact>) -> BTreeMap<String, Score> {
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let field = |f: &str| f.split('.').take(2).collect::<Vec<_>>().join(".");
    for fact in found {
        let s = scores.entry(field(&fact.1)).or_default();
        s.found += 1;
        if expected.contains(fact) {
            s.correct += 1;
        }
    }
    for fact in expected {
        scores.entry(field(&fact.1)).or_default().expected += 1;
    }
    scores
}
