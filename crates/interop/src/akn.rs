//! Akoma Ntoso 3.0 (OASIS LegalDocML): a deliberation as a `statement` — preface (title,
//! number, date, body), preamble (each visa a `citation`, "DÉCIDE" a formula), articles,
//! conclusions with place, date and signatures, and the vote as
//! `analysis/parliamentary/voting` counts.

use crate::xml::{Xml, escape};
use acta_domain::text::{Block, ListItem, RichText};
use jiff::civil::Date;

pub const NAMESPACE: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// A deliberation as Akoma Ntoso needs it.
#[derive(Debug, Clone)]
pub struct AknDeliberation {
    /// "fr".
    pub country: String,
    /// "062".
    pub department_code_3: String,
    pub collectivity: String,
    pub body: String,
    pub number: String,
    pub date: Date,
    pub title: String,
    pub date_text: String,
    pub visas: Vec<String>,
    pub considerations: Vec<String>,
    /// "Après en avoir délibéré,", "DÉCIDE :".
    pub formula: Vec<String>,
    pub articles: Vec<(String, RichText)>,
    pub vote: Option<AknVote>,
    pub place: String,
    pub signatures: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Copy)]
pub struct AknVote {
    pub present: u32,
    pub represented: u32,
    pub for_: u32,
    pub against: u32,
    pub abstention: u32,
    pub not_participating: u32,
    pub adopted: bool,
}

fn paragraphs(text: &RichText) -> Vec<String> {
    fn items(out: &mut Vec<String>, list: &[ListItem], depth: usize) {
        for i in list {
            out.push(format!("{}– {}", "  ".repeat(depth), i.text));
            items(out, &i.children, depth + 1);
        }
    }
    let mut out = Vec::new();
    for b in &text.0 {
        match b {
            Block::Paragraph(t) | Block::Heading(t) => out.push(t.clone()),
            Block::List(list) => items(&mut out, list, 0),
        }
    }
    out
}

fn slug(s: &str) -> String {
    acta_domain::french::fold(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The XML of a deliberation (UTF-8).
pub fn deliberation(d: &AknDeliberation) -> String {
    let date = d.date.to_string();
    let work = format!(
        "/akn/{}/statement/deliberation/{}/{}/{}",
        d.country,
        d.department_code_3,
        date,
        slug(&d.number)
    );
    let expression = format!("{work}/fra@");
    let body_id = slug(&d.body);
    let mut x = Xml::new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    x.open("akomaNtoso", &[("xmlns", NAMESPACE)]);
    x.open("statement", &[("name", "deliberation")]);
    x.open("meta", &[]);
    x.open("identification", &[("source", "#acta")]);
    for (level, this, uri) in [
        ("FRBRWork", format!("{work}/!main"), work.clone()),
        (
            "FRBRExpression",
            format!("{expression}/!main"),
            expression.clone(),
        ),
        (
            "FRBRManifestation",
            format!("{expression}/!main.xml"),
            format!("{expression}.akn"),
        ),
    ] {
        x.open(level, &[]);
        x.empty("FRBRthis", &[("value", &this)]);
        x.empty("FRBRuri", &[("value", &uri)]);
        x.empty("FRBRdate", &[("date", &date), ("name", "adoption")]);
        x.empty("FRBRauthor", &[("href", &format!("#{body_id}"))]);
        match level {
            "FRBRWork" => {
                x.empty("FRBRcountry", &[("value", &d.country)]);
                x.empty("FRBRnumber", &[("value", &d.number)]);
                x.empty("FRBRname", &[("value", "délibération")]);
            }
            "FRBRExpression" => {
                x.empty("FRBRlanguage", &[("language", "fra")]);
            }
            _ => {}
        }
        x.close();
    }
    x.close();
    if let Some(v) = &d.vote {
        x.open("analysis", &[("source", "#acta")]);
        x.open("parliamentary", &[]);
        x.open(
            "quorumVerification",
            &[("eId", "quorum_1"), ("outcome", "#quorum-atteint")],
        );
        x.empty(
            "quorum",
            &[("value", &v.present.to_string()), ("refersTo", "#presents")],
        );
        x.empty(
            "quorum",
            &[
                ("value", &v.represented.to_string()),
                ("refersTo", "#representes"),
            ],
        );
        x.close();
        x.open(
            "voting",
            &[
                ("eId", "vote_1"),
                ("outcome", if v.adopted { "#adopte" } else { "#rejete" }),
            ],
        );
        for (value, refers) in [
            (v.for_, "#pour"),
            (v.against, "#contre"),
            (v.abstention, "#abstention"),
            (v.not_participating, "#ne-prend-pas-part"),
        ] {
            x.empty(
                "count",
                &[("value", &value.to_string()), ("refersTo", refers)],
            );
        }
        x.close();
        x.close();
        x.close();
    }
    x.open("references", &[("source", "#acta")]);
    x.empty(
        "TLCOrganization",
        &[
            ("eId", "acta"),
            ("href", "/ontology/organization/acta"),
            ("showAs", "acta"),
        ],
    );
    x.empty(
        "TLCOrganization",
        &[
            ("eId", &body_id),
            (
                "href",
                &format!("/ontology/organization/{}/{body_id}", d.country),
            ),
            ("showAs", &format!("{} — {}", d.body, d.collectivity)),
        ],
    );
    x.empty(
        "TLCLocation",
        &[
            ("eId", "lieu"),
            (
                "href",
                &format!("/ontology/location/{}/{}", d.country, slug(&d.place)),
            ),
            ("showAs", &d.place),
        ],
    );
    for (id, label) in [
        ("adopte", "Adopté"),
        ("rejete", "Rejeté"),
        ("quorum-atteint", "Quorum atteint"),
        ("presents", "Présents"),
        ("representes", "Représentés"),
        ("pour", "Pour"),
        ("contre", "Contre"),
        ("abstention", "Abstention"),
        ("ne-prend-pas-part", "Ne prend pas part au vote"),
    ] {
        x.empty(
            "TLCConcept",
            &[
                ("eId", id),
                ("href", &format!("/ontology/concept/acta/{id}")),
                ("showAs", label),
            ],
        );
    }
    x.close();
    x.close();
    x.open("preface", &[]);
    x.raw(
        "longTitle",
        &[],
        &format!("<p><docTitle>{}</docTitle></p>", escape(&d.title)),
    );
    x.raw(
        "p",
        &[],
        &format!("<docNumber>{}</docNumber>", escape(&d.number)),
    );
    x.raw(
        "p",
        &[],
        &format!(
            "<docDate date=\"{date}\">{}</docDate>",
            escape(&d.date_text)
        ),
    );
    x.raw(
        "p",
        &[],
        &format!(
            "<docProponent refersTo=\"#{body_id}\">{}</docProponent>",
            escape(&d.body)
        ),
    );
    x.close();
    x.open("preamble", &[]);
    if !d.visas.is_empty() {
        x.open("citations", &[]);
        for (i, v) in d.visas.iter().enumerate() {
            x.raw(
                "citation",
                &[("eId", &format!("cit_{}", i + 1))],
                &format!("<p>{}</p>", escape(v)),
            );
        }
        x.close();
    }
    if !d.considerations.is_empty() {
        x.open("recitals", &[]);
        for (i, c) in d.considerations.iter().enumerate() {
            x.raw(
                "recital",
                &[("eId", &format!("rec_{}", i + 1))],
                &format!("<p>{}</p>", escape(c)),
            );
        }
        x.close();
    }
    let formula: String = d
        .formula
        .iter()
        .map(|f| format!("<p>{}</p>", escape(f)))
        .collect();
    x.raw("formula", &[("name", "enactingFormula")], &formula);
    x.close();
    x.open("mainBody", &[]);
    for (i, (heading, body)) in d.articles.iter().enumerate() {
        x.open("article", &[("eId", &format!("art_{}", i + 1))]);
        x.text("num", &[], heading);
        let paras = paragraphs(body);
        let content: String = if paras.is_empty() {
            "<p/>".to_string()
        } else {
            paras
                .iter()
                .map(|p| format!("<p>{}</p>", escape(p)))
                .collect()
        };
        x.raw("content", &[], &content);
        x.close();
    }
    x.close();
    x.open("conclusions", &[]);
    x.raw(
        "p",
        &[],
        &format!(
            "<location refersTo=\"#lieu\">{}</location>, le <date date=\"{date}\">{}</date>",
            escape(&d.place),
            escape(&d.date_text)
        ),
    );
    // Each signature block: its capacity lines, then the name marked as the signature.
    for (i, s) in d.signatures.iter().enumerate() {
        let mut inner = String::new();
        for (j, line) in s.iter().enumerate() {
            if j + 1 == s.len() {
                inner.push_str(&format!("<p><signature>{}</signature></p>", escape(line)));
            } else {
                inner.push_str(&format!("<p>{}</p>", escape(line)));
            }
        }
        x.raw(
            "container",
            &[("name", "signature"), ("eId", &format!("sign_{}", i + 1))],
            &inner,
        );
    }
    x.close();
    x.finish()
}
