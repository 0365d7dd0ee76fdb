//! The official documents of acta's data: deliberation, report, convention, minutes and
//! register page, worded and formatted in French here, laid out by acta-docs.

use crate::{Acta, AppError, lookup};
use acta_docs::{
    AttendanceGroup, ConventionDoc, DeliberationDoc, DocsError, Document, DocumentKind,
    DocumentsConfig, Format, Header, Meta, MinutesDoc, MinutesItem, RegisterDoc, Renderer,
    ReportDoc, SignatureBlock, Table, fill,
};
use acta_domain::budget::budget_row;
use acta_domain::collectivity::{BodyKind, Collectivity};
use acta_domain::convention::{ReimbursementKind, Trigger};
use acta_domain::deliberation::Deliberation;
use acta_domain::french::{format_date_long, format_date_numeric, typographic_spaces};
use acta_domain::grant::Award;
use acta_domain::keys::SittingKey;
use acta_domain::people::{Member, Signatory};
use acta_domain::sitting::{AttendanceStatus, Sitting};
use acta_domain::text::{Block, ListItem, RichText};
use acta_domain::vote::{Outcome, VoteChoice};
use acta_domain::words::amount_in_words;
use acta_domain::{Id, Stored};
use acta_store::Tx;
use std::collections::HashMap;

/// French typography on every text of a document.
fn t(s: &str) -> String {
    typographic_spaces(s)
}

fn rt(r: &RichText) -> RichText {
    r.map_text(&|s| typographic_spaces(s))
}

impl From<DocsError> for AppError {
    fn from(e: DocsError) -> Self {
        match e {
            DocsError::File(m) => AppError::File(m),
            other => AppError::File(other.to_string()),
        }
    }
}

/// What every document of a collectivity shares.
struct Context {
    collectivity: Collectivity,
    header: Header,
    names: HashMap<Id<Member>, String>,
    config: DocumentsConfig,
}

impl Context {
    async fn load(tx: &mut Tx, config: &DocumentsConfig) -> Result<Context, AppError> {
        let collectivity = crate::lookup::collectivity(tx).await?;
        let header = Header {
            collectivity: if config.header.collectivity.trim().is_empty() {
                collectivity.header_name.clone()
            } else {
                config.header.collectivity.clone()
            },
            lines: config.header.lines.clone(),
            logo: (!config.header.logo.trim().is_empty()).then(|| config.header.logo.clone()),
        };
        let names = tx
            .members()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name.with_civility()))
            .collect();
        Ok(Context {
            collectivity,
            header,
            names,
            config: config.clone(),
        })
    }

    fn name(&self, id: Id<Member>) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("élu n°{id}"))
    }

    /// "du Pas-de-Calais", from "Département du Pas-de-Calais".
    fn departement(&self) -> String {
        self.collectivity
            .name
            .strip_prefix("Département ")
            .unwrap_or(&self.collectivity.name)
            .to_string()
    }
}

fn upper_sitting_line(date: jiff::civil::Date) -> String {
    format!("REUNION DU {}", format_date_long(date).to_uppercase())
}

fn signature_lines(s: &Signatory, signed_word: &str) -> SignatureBlock {
    let mut lines = Vec::new();
    if let Some(b) = &s.on_behalf_of {
        lines.push(t(b));
    }
    lines.push(t(&s.capacity));
    if s.signed {
        lines.push(signed_word.to_string());
    }
    lines.push(s.name.clone());
    SignatureBlock { lines }
}

async fn attendance_groups(
    tx: &mut Tx,
    ctx: &Context,
    sitting: &Stored<Sitting>,
    frozen: Option<&acta_domain::presence::Presence>,
) -> Result<Vec<AttendanceGroup>, AppError> {
    let roll: Vec<_> = tx.attendance(sitting.id).await?;
    let mut groups: Vec<(AttendanceStatus, Vec<String>)> = AttendanceStatus::ALL
        .iter()
        .map(|s| (*s, Vec::new()))
        .collect();
    let mut represented = Vec::new();
    for a in &roll {
        // At a closed item, presence is what the vote froze; the roll call says why the
        // others were not there.
        let status = match frozen {
            Some(p) if a.status.has_vote() => {
                if p.present.contains(&a.member) {
                    AttendanceStatus::Present
                } else if let Some(holder) = p.represented.get(&a.member) {
                    represented.push(format!(
                        "{} (pouvoir à {})",
                        ctx.name(a.member),
                        ctx.name(*holder)
                    ));
                    continue;
                } else if a.status == AttendanceStatus::Present {
                    AttendanceStatus::Absent
                } else {
                    a.status
                }
            }
            _ => a.status,
        };
        if let Some(g) = groups.iter_mut().find(|(s, _)| *s == status) {
            g.1.push(ctx.name(a.member));
        }
    }
    if frozen.is_none() {
        for p in tx.proxies(sitting.id).await? {
            represented.push(format!(
                "{} (pouvoir à {})",
                ctx.name(p.giver),
                ctx.name(p.holder)
            ));
        }
    }
    let mut out = Vec::new();
    for (status, names) in groups {
        if !names.is_empty() {
            out.push(AttendanceGroup {
                heading: t(&format!("{} :", status.heading())),
                names: format!("{}.", names.join(", ")),
            });
        }
        if status == AttendanceStatus::Excused && !represented.is_empty() {
            out.push(AttendanceGroup {
                heading: t("Représenté(s) :"),
                names: format!("{}.", represented.join(", ")),
            });
        }
    }
    Ok(out)
}

fn vote_lines(
    v: &acta_domain::vote::VoteRecord,
    group_names: &HashMap<Id<acta_domain::people::PoliticalGroup>, String>,
) -> Vec<String> {
    let groups = |c: VoteChoice| {
        let list: Vec<String> = v
            .groups_with(c)
            .filter_map(|g| group_names.get(&g).cloned())
            .collect();
        if list.is_empty() {
            String::new()
        } else {
            format!(" ({})", list.join(" ; "))
        }
    };
    let mut lines = vec![
        t(&format!(
            "Pour : {} voix{}",
            v.tally.for_,
            groups(VoteChoice::For)
        )),
        t(&format!(
            "Contre : {} voix{}",
            v.tally.against,
            groups(VoteChoice::Against)
        )),
        t(&format!(
            "Abstention : {} voix{}",
            v.tally.abstention,
            groups(VoteChoice::Abstention)
        )),
    ];
    if v.tally.not_participating > 0 {
        lines.push(t(&format!(
            "Ne prend pas part au vote : {}",
            v.tally.not_participating
        )));
    }
    lines
}

fn outcome_line(o: Outcome) -> String {
    match o {
        Outcome::Adopted => "(Adopté)".to_string(),
        Outcome::Rejected => "(Rejeté)".to_string(),
        Outcome::TakenNote => "(L’assemblée prend acte)".to_string(),
    }
}

async fn budget_rows(
    tx: &mut Tx,
    awards: &[Stored<Award>],
) -> Result<Vec<acta_domain::budget::BudgetRow>, AppError> {
    let mut rows = Vec::new();
    for award in awards {
        let Some(line) = tx.budget_line(award.budget_line).await? else {
            continue;
        };
        let commitments = crate::grants::commitments(tx, line.id).await?;
        rows.push(budget_row(
            &line,
            &commitments,
            Some(award.id),
            award.amount,
        )?);
    }
    Ok(rows)
}

fn file_stem(prefix: &str, key: &str) -> String {
    let cleaned: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{prefix}-{cleaned}")
}

async fn deliberation_doc(
    tx: &mut Tx,
    ctx: &Context,
    d: &Stored<Deliberation>,
) -> Result<DeliberationDoc, AppError> {
    let (sitting, body) = lookup::sitting_and_body(tx, d.sitting).await?;
    let number = d
        .number
        .clone()
        .unwrap_or_else(|| "(non numérotée)".to_string());
    let frozen = match d.report {
        Some(r) => match tx
            .agenda(sitting.id)
            .await?
            .into_iter()
            .find(|i| i.report == r)
        {
            Some(item) => tx
                .vote_of_item(item.id)
                .await?
                .map(|v| v.data.evaluation.presence),
            None => None,
        },
        None => None,
    };
    let attendance = attendance_groups(tx, ctx, &sitting, frozen.as_ref()).await?;
    let president = match sitting.president {
        Some(p) => tx.member(p).await?,
        None => None,
    };
    let awards = tx.awards_of_deliberation(d.id).await?;
    let rows = budget_rows(tx, &awards).await?;
    let table = Table {
        caption: "Imputation budgétaire de la dépense".to_string(),
        headers: [
            "Code Opération",
            "Imputation budgétaire",
            "Libellé Opération",
            "CP €",
            "Dépense €",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.operation_code.clone(),
                    r.imputation.clone(),
                    r.label.clone(),
                    r.voted.format_fr(),
                    r.proposed.format_fr(),
                ]
            })
            .collect(),
        numeric: vec![false, false, false, true, true],
    };
    let group_names = tx
        .groups()
        .await?
        .into_iter()
        .map(|g| (g.id, g.data.name))
        .collect();
    let w = &ctx.config.wording;
    let (body_title, subject) = match body.kind {
        BodyKind::Council => (&w.council_title, &w.council_subject),
        _ => (&w.commission_title, &w.commission_subject),
    };
    let signatures = if d.signatories.is_empty() {
        president
            .as_ref()
            .map(|p| {
                vec![SignatureBlock {
                    lines: vec![
                        "LE PRESIDENT DU CONSEIL DEPARTEMENTAL,".to_string(),
                        p.name.full(),
                    ],
                }]
            })
            .unwrap_or_default()
    } else {
        d.signatories
            .iter()
            .map(|s| signature_lines(s, "Signé"))
            .collect()
    };
    Ok(DeliberationDoc {
        meta: Meta {
            kind: DocumentKind::Deliberation,
            title: format!("Délibération N°{number} — {}", d.title),
            author: ctx.collectivity.name.clone(),
            date: d.date.to_string(),
            file_stem: file_stem("deliberation", &number),
        },
        header: ctx.header.clone(),
        body_title: body_title.clone(),
        sitting_line: upper_sitting_line(sitting.date),
        presidency: president
            .as_ref()
            .map(|p| {
                format!(
                    "PRESIDENCE DE {} {}",
                    p.name.civility.word().to_uppercase(),
                    p.name.full().to_uppercase()
                )
            })
            .unwrap_or_default(),
        secretary: sitting
            .secretary
            .map(|s| t(&format!("Secrétaire : {}", ctx.name(s)))),
        attendance,
        title: d.title.clone(),
        number_line: format!("(N°{number})"),
        subject_line: fill(subject, &[("departement", &ctx.departement())]),
        visas: d.visas.iter().map(|v| t(&v.text)).collect(),
        considerations: d.considerations.iter().map(|c| t(c)).collect(),
        formula: w.formula.clone(),
        decides: t(&w.decides),
        articles: d
            .articles
            .iter()
            .map(|a| acta_docs::Article {
                heading: t(&format!("Article {} :", a.number)),
                body: rt(&a.body),
                table: (a.budget_table && !table.rows.is_empty()).then(|| table.clone()),
                after: RichText::default(),
            })
            .collect(),
        vote_intro: d
            .vote
            .as_ref()
            .filter(|v| v.outcome != Outcome::TakenNote)
            .map(|_| t(&w.vote_intro)),
        vote_lines: d
            .vote
            .as_ref()
            .filter(|v| v.outcome != Outcome::TakenNote)
            .map(|v| vote_lines(v, &group_names))
            .unwrap_or_default(),
        outcome: d.outcome().map(outcome_line),
        place_date: format!("{}, le {}", d.place, format_date_long(d.date)),
        signatures,
    })
}

async fn report_doc(
    tx: &mut Tx,
    ctx: &Context,
    report: &Stored<acta_domain::report::Report>,
) -> Result<ReportDoc, AppError> {
    let (sitting, body) = lookup::sitting_and_body(tx, report.sitting).await?;
    let pole = match report.pole {
        Some(p) => tx.service(p).await?.map(|s| s.data.name),
        None => None,
    };
    let awards = tx.awards_of_report(report.id).await?;
    let rows = budget_rows(tx, &awards).await?;
    let opinion = match &report.commission_opinion {
        Some(o) => tx.body(o.commission).await?.map(|c| {
            let name = match c.ordinal {
                Some(n) => format!(
                    "La {} Commission - {}",
                    acta_domain::french::ordinal_feminine(n),
                    c.name
                ),
                None => format!("La {}", c.name),
            };
            t(&format!(
                "{name} a émis un avis {} sur ce rapport lors de sa réunion du {}.",
                o.opinion.label(),
                format_date_numeric(o.date)
            ))
        }),
        None => None,
    };
    let w = &ctx.config.wording;
    let body_line = match body.kind {
        BodyKind::Council => "CONSEIL DEPARTEMENTAL".to_string(),
        _ => format!("{} DU CONSEIL DEPARTEMENTAL", body.name.to_uppercase()),
    };
    Ok(ReportDoc {
        meta: Meta {
            kind: DocumentKind::Report,
            title: format!("Rapport N°{} — {}", report.number, report.title),
            author: ctx.collectivity.name.clone(),
            date: sitting.date.to_string(),
            file_stem: file_stem("rapport", &format!("{}-{}", sitting.date, report.number)),
        },
        header: ctx.header.clone(),
        pole,
        report_line: format!("RAPPORT N°{}", report.number),
        scope_lines: vec![
            t(&format!(
                "Territoire(s): {}",
                report.scope.territories_label()
            )),
            t(&format!("Canton(s): {}", report.scope.cantons_label())),
            t(&format!("EPCI(s): {}", report.scope.epcis_label())),
        ],
        body_line,
        sitting_line: upper_sitting_line(sitting.date),
        title: report.title.clone(),
        sections: report
            .sections
            .iter()
            .map(|s| acta_docs::Article {
                heading: t(&format!("{} – {}", s.number, s.heading)),
                body: rt(&s.body),
                table: None,
                after: RichText::default(),
            })
            .collect(),
        conclusion_heading: t(&w.conclusion_heading),
        conclusion: rt(&report.conclusion),
        budget_intro: (!rows.is_empty()).then(|| t(&w.report_budget_intro)),
        budget: (!rows.is_empty()).then(|| Table {
            caption: "Crédits de l’opération : votés, disponibles, proposés et solde".to_string(),
            headers: [
                "Code Opération",
                "Imputation Budgétaire",
                "Libellé Opération",
                "CP",
                "Disponible",
                "Proposition",
                "Solde",
            ]
            .map(String::from)
            .to_vec(),
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        r.operation_code.clone(),
                        r.imputation.clone(),
                        r.label.clone(),
                        r.voted.format_fr(),
                        r.available.format_fr(),
                        r.proposed.format_fr(),
                        r.balance.format_fr(),
                    ]
                })
                .collect(),
            numeric: vec![false, false, false, true, true, true, true],
        }),
        opinion,
        closing: t(&w.report_closing),
        signature: report
            .signatory
            .as_ref()
            .map(|s| signature_lines(s, "SIGNE")),
    })
}

fn tranche_line(tr: &acta_domain::convention::Tranche, year: i16, last: bool) -> String {
    let amount = tr.amount.format_euros_fr();
    let trigger = match &tr.trigger {
        Trigger::OnDocument { document, due } => {
            let due = due
                .map(|r| {
                    let d = jiff::civil::Date::new(year, r.month, r.day).ok();
                    let when = match (r.years_after, d) {
                        (1, Some(d)) => format!(
                            "avant le {} {} de l’année n+1",
                            d.day(),
                            acta_domain::french::month_name(d)
                        ),
                        (_, _) => r
                            .due_date(year)
                            .map(|d| format!("avant le {}", format_date_long(d)))
                            .unwrap_or_default(),
                    };
                    format!(". Ce document sera adressé au Département {when}")
                })
                .unwrap_or_default();
            format!("sur présentation d’un {document}{due}")
        }
        other => other.describe(year),
    };
    let label = tr
        .label
        .as_deref()
        .map(|l| format!("{l} soit "))
        .unwrap_or_default();
    format!("{label}{amount} {trigger}{}", if last { "." } else { "," })
}

async fn convention_doc(
    tx: &mut Tx,
    ctx: &Context,
    c: &Stored<acta_domain::convention::Convention>,
) -> Result<ConventionDoc, AppError> {
    let b = tx
        .beneficiary(c.beneficiary)
        .await?
        .ok_or_else(|| AppError::not_found("Bénéficiaire introuvable."))?;
    let deliberation = tx
        .deliberation(c.deliberation)
        .await?
        .ok_or_else(|| AppError::not_found("Délibération introuvable."))?;
    let (_, body) = lookup::sitting_and_body(tx, deliberation.sitting).await?;
    let account = match c.bank_account {
        Some(a) => tx.bank_account(a).await?,
        None => None,
    };
    let mut services = Vec::new();
    for s in [c.pole, c.direction].into_iter().flatten() {
        if let Some(s) = tx.service(s).await? {
            services.push(s.data.name);
        }
    }
    let cl = &ctx.config.clauses;
    let usual = b.usual_name().to_string();
    let amount_text = c.amount.format_euros_fr();
    let words = amount_in_words(c.amount);
    let versements = match c.schedule.len() {
        1 => "un versement".to_string(),
        n => format!(
            "{} versements",
            acta_domain::words::number_in_words(n as u64)
        ),
    };
    let (account_number, holder, bank, bank_address) = match &account {
        Some(a) => (
            a.rib()
                .map(|r| r.dashed())
                .unwrap_or_else(|| a.iban.grouped()),
            a.holder.clone(),
            a.bank_name.clone(),
            a.bank_address.clone().unwrap_or_default(),
        ),
        None => (
            "(RIB à produire)".to_string(),
            usual.clone(),
            String::new(),
            String::new(),
        ),
    };
    let year = c.year.to_string();
    let court = c.court.clone();
    let values: Vec<(&str, &str)> = vec![
        ("beneficiaire", &usual),
        ("montant", &amount_text),
        ("montant_lettres", &words),
        ("versements", &versements),
        ("comptable", &c.paying_accountant),
        ("compte", &account_number),
        ("titulaire", &holder),
        ("banque", &bank),
        ("adresse_banque", &bank_address),
        ("annee", &year),
        ("tribunal", &court),
    ];
    let f = |s: &str| t(&fill(s, &values));
    let list = |texts: Vec<String>| {
        Block::List(
            texts
                .into_iter()
                .map(|text| ListItem {
                    text,
                    children: vec![],
                })
                .collect(),
        )
    };
    let cases = |kind: ReimbursementKind| -> Vec<String> {
        c.reimbursement_cases
            .iter()
            .filter(|r| r.reason.kind() == kind)
            .map(|r| t(&r.text))
            .collect()
    };
    let mut article5 = vec![Block::Paragraph(f(&cl.article5_intro))];
    article5.push(list(
        c.schedule
            .iter()
            .enumerate()
            .map(|(i, tr)| t(&tranche_line(tr, c.year, i + 1 == c.schedule.len())))
            .collect(),
    ));
    article5.push(Block::Paragraph(f(&cl.article5_payment)));
    article5.push(Block::Paragraph(f(&cl.article5_rib)));
    article5.push(Block::Paragraph(f(&cl.article5_breach)));
    article5.push(Block::Heading(f(&cl.article5_total)));
    article5.push(list(cases(ReimbursementKind::Total)));
    article5.push(Block::Heading(f(&cl.article5_partial)));
    article5.push(list(cases(ReimbursementKind::Partial)));

    let mut article2 = vec![Block::Paragraph(t(&c.objectives_intro))];
    for (i, o) in c.objectives.iter().enumerate() {
        article2.push(Block::Heading(t(&format!("{}) {}", i + 1, o.title))));
        article2.push(list(o.actions.iter().map(|a| t(a)).collect()));
    }
    let mut article3 = vec![Block::Paragraph(t(&c.programme_intro))];
    for (i, axis) in c.programme.iter().enumerate() {
        article3.push(Block::Heading(t(&format!(
            "Axe {} : {}",
            i + 1,
            axis.title
        ))));
        article3.extend(rt(&axis.body).0);
    }
    for p in &c.beneficiary_commitments {
        article3.push(Block::Paragraph(t(p)));
    }
    let article = |heading: &str, blocks: Vec<Block>| acta_docs::Article {
        heading: f(heading),
        body: RichText(
            blocks
                .into_iter()
                .filter(|b| !matches!(b, Block::Paragraph(p) if p.is_empty()))
                .collect(),
        ),
        table: None,
        after: RichText::default(),
    };
    let rep = &c.department_representative;
    let appointed = b
        .representative
        .as_ref()
        .and_then(|r| r.appointed_on)
        .map(|d| format!(", nommée en date du {}", format_date_long(d)))
        .unwrap_or_default();
    let beneficiary_party = format!(
        "La {}, {}, dont le siège est situé {}, identifiée au répertoire SIREN sous le n° {}{}.",
        b.name,
        b.legal_status,
        b.address.one_line(),
        b.siret
            .as_ref()
            .map(|s| s.grouped())
            .or_else(|| b.rna.as_ref().map(|r| r.to_string()))
            .unwrap_or_default(),
        b.representative
            .as_ref()
            .map(|r| format!(
                ", représentée par {} {}, {}{appointed}",
                r.name.civility.word(),
                r.name.full(),
                r.capacity
            ))
            .unwrap_or_default()
    );
    Ok(ConventionDoc {
        meta: Meta {
            kind: DocumentKind::Convention,
            title: c.title.clone(),
            author: ctx.collectivity.name.clone(),
            date: c.signed_on.unwrap_or(deliberation.date).to_string(),
            file_stem: file_stem(
                "convention",
                &format!(
                    "{}-{}",
                    deliberation.number.as_deref().unwrap_or("projet"),
                    c.id
                ),
            ),
        },
        header: ctx.header.clone(),
        services,
        object_line: t(&format!("Objet : {}", c.subject)),
        parties: vec![
            t(&format!(
                "Entre le {}, dont le siège est en l’{}, représenté par {} {}, {}, dûment autorisé par délibération de la {} du Conseil départemental en date du {},",
                ctx.collectivity.name,
                ctx.collectivity.address.one_line(),
                rep.name.civility.word(),
                rep.name.full(),
                rep.capacity,
                body.name,
                format_date_long(deliberation.date)
            )),
            t("ci-après désigné par « le Département » d’une part,"),
            "Et".to_string(),
            t(&beneficiary_party),
            t(&format!(
                "ci-après désigné « {} » d’autre part.",
                b.designation.as_deref().unwrap_or(&usual)
            )),
        ],
        visas: c
            .visas
            .iter()
            .filter(|v| !v.text.starts_with("Vu :"))
            .map(|v| t(&v.text))
            .collect(),
        title_lines: vec!["CONVENTION".to_string(), c.year.to_string()],
        approval: c
            .visas
            .iter()
            .find(|v| v.text.starts_with("Vu :"))
            .map(|v| t(&v.text)),
        preamble_heading: t(&ctx.config.wording.preamble_heading),
        preamble: rt(&c.preamble),
        agreed: t(&ctx.config.wording.agreed),
        articles: vec![
            article(&cl.article1_heading, rt(&c.object).0),
            article(&cl.article2_heading, article2),
            article(&cl.article3_heading, article3),
            article(
                &cl.article4_heading,
                vec![Block::Paragraph(f(&cl.article4))],
            ),
            article(&cl.article5_heading, article5),
            article(
                &cl.article6_heading,
                cl.article6.iter().map(|p| Block::Paragraph(f(p))).collect(),
            ),
            article(
                &cl.article7_heading,
                vec![Block::Paragraph(f(&cl.article7))],
            ),
            article(
                &cl.article8_heading,
                cl.article8.iter().map(|p| Block::Paragraph(f(p))).collect(),
            ),
            article(&cl.article9_heading, rt(&c.communication).0),
            article(&cl.article10_heading, rt(&c.image_rights).0),
        ],
        place_line: match c.signed_on {
            Some(d) => format!("A {}, le {}", c.signature_place, format_date_long(d)),
            None => format!("A {}, le", c.signature_place),
        },
        copies_line: format!("En {} exemplaires", c.copies),
        signatures: c
            .signatories
            .iter()
            .map(|s| signature_lines(s, "Signé"))
            .collect(),
    })
}

async fn minutes_doc(
    tx: &mut Tx,
    ctx: &Context,
    sitting: &Stored<Sitting>,
) -> Result<MinutesDoc, AppError> {
    let body = tx
        .body(sitting.body)
        .await?
        .ok_or_else(|| AppError::not_found("Instance introuvable."))?;
    let attendance = attendance_groups(tx, ctx, sitting, None).await?;
    let mut agenda = Vec::new();
    let mut items = Vec::new();
    let mut quorum = None;
    for item in tx.agenda(sitting.id).await? {
        let Some(report) = tx.report(item.report).await? else {
            continue;
        };
        agenda.push(t(&format!(
            "{}. Rapport N°{} — {}",
            item.position, report.number, report.title
        )));
        let mut lines = Vec::new();
        let mut voters = Vec::new();
        if let Some((to, reason)) = tx.postponement(item.id).await? {
            let date = tx.sitting(to).await?.map(|s| format_date_long(s.date));
            lines.push(t(&format!(
                "Point reporté à la séance du {} : {reason}.",
                date.unwrap_or_default()
            )));
        }
        if let Some(reason) = tx.agenda_emergency(item.id).await? {
            lines.push(t(&format!(
                "Point inscrit à l’ordre du jour selon la procédure d’urgence : {reason}."
            )));
        }
        if let Some(text) = tx.discussion(item.id.get()).await? {
            lines.push(t(&format!("Teneur des discussions : {text}")));
        }
        let deliberation = tx.deliberation_of_report(report.id).await?;
        if let Some(v) = tx.vote_of_item(item.id).await? {
            let e = &v.data.evaluation;
            quorum.get_or_insert_with(|| e.quorum.explanation.clone());
            lines.push(t(&format!(
                "Présents : {} ; représentés : {} ; absents ou excusés : {}.",
                e.presence.present_count(),
                e.presence.represented_count(),
                e.presence.absent.len()
            )));
            lines.push(t(&format!("Quorum : {}.", e.quorum.explanation)));
            if let Some(r) = &e.vote {
                lines.push(t(&format!(
                    "Vote{} : pour {}, contre {}, abstention {}, ne prend pas part au vote {}.",
                    if v.secret { " (scrutin secret)" } else { "" },
                    r.tally.for_,
                    r.tally.against,
                    r.tally.abstention,
                    r.tally.not_participating
                )));
                if r.ballots.is_empty() {
                    if !v.secret {
                        voters.push(t(
                            "Vote recueilli en totaux : les noms des votants n’ont pas été saisis.",
                        ));
                    }
                } else {
                    for choice in VoteChoice::ALL {
                        let names: Vec<String> = r
                            .ballots
                            .iter()
                            .filter(|b| b.choice == choice)
                            .map(|b| match b.cast_by {
                                Some(h) => format!("{} (par {})", ctx.name(b.member), ctx.name(h)),
                                None => ctx.name(b.member),
                            })
                            .collect();
                        if !names.is_empty() {
                            voters.push(t(&format!("{} : {}.", choice.label(), names.join(", "))));
                        }
                    }
                }
                for flag in &r.flags {
                    lines.push(t(&format!("Observation : {flag}")));
                }
            }
            lines.push(t(&e.decision.explanation));
            if let Some(n) = deliberation.as_ref().and_then(|d| d.number.clone()) {
                lines.push(t(&format!(
                    "Délibération N°{n} ({}).",
                    e.decision.outcome.label()
                )));
            }
        } else {
            lines.push("Point non encore délibéré.".to_string());
        }
        items.push(MinutesItem {
            heading: t(&format!(
                "Point {} — Rapport N°{} — {}",
                item.position, report.number, report.title
            )),
            lines,
            voters,
        });
    }
    let president = sitting.president.map(|p| ctx.name(p));
    let secretary = sitting.secretary.map(|s| ctx.name(s));
    let mut opening = vec![t(&format!(
        "Le {}{}{}, la {} du Conseil départemental s’est réunie{}.",
        format_date_long(sitting.date),
        sitting
            .time
            .map(|h| format!(" à {}", h.strftime("%H h %M")))
            .unwrap_or_default(),
        sitting
            .place
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default(),
        body.name,
        president
            .as_deref()
            .map(|p| format!(" sous la présidence de {p}"))
            .unwrap_or_default()
    ))];
    if let Some(s) = &secretary {
        opening.push(t(&format!("Secrétaire de séance : {s}.")));
    }
    if let Some(c) = tx.convocation(sitting.id).await? {
        opening.push(t(&match &c.emergency_reason {
            Some(reason) => format!(
                "Convocation adressée le {} selon la procédure d’urgence : {reason}.",
                format_date_long(c.sent_on)
            ),
            None => format!("Convocation adressée le {}.", format_date_long(c.sent_on)),
        }));
    }
    let quorum = quorum.unwrap_or_else(|| "Aucun point n’a encore été délibéré.".to_string());
    let mut signatures = Vec::new();
    if let Some(p) = president {
        signatures.push(SignatureBlock {
            lines: vec!["Le président de séance,".to_string(), p],
        });
    }
    if let Some(s) = secretary {
        signatures.push(SignatureBlock {
            lines: vec!["Le secrétaire de séance,".to_string(), s],
        });
    }
    Ok(MinutesDoc {
        meta: Meta {
            kind: DocumentKind::Minutes,
            title: format!(
                "Procès-verbal — {} du {}",
                body.display_name(),
                format_date_long(sitting.date)
            ),
            author: ctx.collectivity.name.clone(),
            date: sitting.date.to_string(),
            file_stem: file_stem(
                "proces-verbal",
                &format!("{}-{}", body.code(), sitting.date),
            ),
        },
        header: ctx.header.clone(),
        title: format!(
            "PROCÈS-VERBAL DE LA {} — {}",
            body.name.to_uppercase(),
            upper_sitting_line(sitting.date)
        ),
        opening,
        attendance,
        quorum: t(&format!("Quorum : {quorum}.")),
        agenda,
        items,
        signatures,
    })
}

async fn register_doc(
    tx: &mut Tx,
    ctx: &Context,
    d: &Stored<Deliberation>,
) -> Result<RegisterDoc, AppError> {
    let (sitting, body) = lookup::sitting_and_body(tx, d.sitting).await?;
    let number = d
        .number
        .clone()
        .unwrap_or_else(|| "(non numérotée)".to_string());
    let report = match d.report {
        Some(r) => tx.report(r).await?.map(|r| format!("N°{}", r.number)),
        None => None,
    };
    let mut fields = vec![
        ("Numéro".to_string(), number.clone()),
        (
            "Numéro @ctes".to_string(),
            acta_domain::numbering::actes_number(&number).unwrap_or_default(),
        ),
        ("Instance".to_string(), body.display_name()),
        ("Séance".to_string(), format_date_long(sitting.date)),
        ("Objet".to_string(), d.title.clone()),
    ];
    if let Some(code) = &d.matter_code {
        fields.push((
            "Matière".to_string(),
            format!(
                "{code} {}",
                acta_domain::actes::matter_label(code).unwrap_or("")
            )
            .trim()
            .to_string(),
        ));
    }
    if let Some(r) = report {
        fields.push(("Rapport".to_string(), r));
    }
    if let Some(v) = &d.vote {
        fields.push((
            "Résultat".to_string(),
            if v.outcome == Outcome::TakenNote {
                v.outcome.label().to_string()
            } else {
                format!(
                    "{} — pour {}, contre {}, abstention {}",
                    v.outcome.label(),
                    v.tally.for_,
                    v.tally.against,
                    v.tally.abstention
                )
            },
        ));
    }
    fields.push((
        "Lieu et date".to_string(),
        format!("{}, le {}", d.place, format_date_long(d.date)),
    ));
    Ok(RegisterDoc {
        meta: Meta {
            kind: DocumentKind::Register,
            title: format!("Registre — délibération N°{number}"),
            author: ctx.collectivity.name.clone(),
            date: d.date.to_string(),
            file_stem: file_stem("registre", &number),
        },
        header: ctx.header.clone(),
        title: format!(
            "REGISTRE DES DÉLIBÉRATIONS — {}",
            body.display_name().to_uppercase()
        ),
        fields: fields.into_iter().map(|(k, v)| (k, t(&v))).collect(),
        signatures: d
            .signatories
            .first()
            .map(|s| vec![signature_lines(s, "Signé")])
            .unwrap_or_default(),
    })
}

impl Acta {
    /// The deliberation's document ("2023-479").
    pub async fn deliberation_document(
        &self,
        config: &DocumentsConfig,
        number: &str,
    ) -> Result<Document, AppError> {
        let mut tx = self.read().await?;
        let ctx = Context::load(&mut tx, config).await?;
        let d = crate::lookup::deliberation(&mut tx, number).await?;
        Ok(Document::Deliberation(
            deliberation_doc(&mut tx, &ctx, &d).await?,
        ))
    }

    /// The report a deliberation was voted on.
    pub async fn report_document(
        &self,
        config: &DocumentsConfig,
        number: &str,
    ) -> Result<Document, AppError> {
        let mut tx = self.read().await?;
        let ctx = Context::load(&mut tx, config).await?;
        let d = crate::lookup::deliberation(&mut tx, number).await?;
        let r = match d.report {
            Some(r) => tx.report(r).await?,
            None => None,
        }
        .ok_or_else(|| AppError::not_found("Cette délibération n'a pas de rapport."))?;
        Ok(Document::Report(report_doc(&mut tx, &ctx, &r).await?))
    }

    /// The convention of a grant ("2023-479").
    pub async fn convention_document(
        &self,
        config: &DocumentsConfig,
        key: &acta_domain::keys::AwardKey,
    ) -> Result<Document, AppError> {
        let mut tx = self.read().await?;
        let ctx = Context::load(&mut tx, config).await?;
        let award = crate::execution::find_award(&mut tx, key).await?;
        let c = tx
            .convention_of_award(award.id)
            .await?
            .ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
        Ok(Document::Convention(
            convention_doc(&mut tx, &ctx, &c).await?,
        ))
    }

    /// The minutes of a sitting.
    pub async fn minutes_document(
        &self,
        config: &DocumentsConfig,
        sitting: &SittingKey,
    ) -> Result<Document, AppError> {
        let mut tx = self.read().await?;
        let ctx = Context::load(&mut tx, config).await?;
        let sitting = lookup::sitting(&mut tx, sitting).await?;
        Ok(Document::Minutes(
            minutes_doc(&mut tx, &ctx, &sitting).await?,
        ))
    }

    /// Every document of a sitting: minutes; for each item its report, deliberation,
    /// register page and conventions.
    pub async fn sitting_documents(
        &self,
        config: &DocumentsConfig,
        sitting: &SittingKey,
    ) -> Result<Vec<Document>, AppError> {
        let mut tx = self.read().await?;
        let ctx = Context::load(&mut tx, config).await?;
        let sitting = lookup::sitting(&mut tx, sitting).await?;
        let mut docs = vec![Document::Minutes(
            minutes_doc(&mut tx, &ctx, &sitting).await?,
        )];
        for item in tx.agenda(sitting.id).await? {
            let Some(report) = tx.report(item.report).await? else {
                continue;
            };
            docs.push(Document::Report(report_doc(&mut tx, &ctx, &report).await?));
            if let Some(d) = tx.deliberation_of_report(report.id).await?
                && d.number.is_some()
            {
                docs.push(Document::Deliberation(
                    deliberation_doc(&mut tx, &ctx, &d).await?,
                ));
                docs.push(Document::Register(register_doc(&mut tx, &ctx, &d).await?));
                for c in tx.conventions_of_deliberation(d.id).await? {
                    docs.push(Document::Convention(
                        convention_doc(&mut tx, &ctx, &c).await?,
                    ));
                }
            }
        }
        Ok(docs)
    }
}

/// A rendered file: its place in the batch, its name and its bytes.
type Rendered = (usize, String, Vec<u8>);

/// Renders documents on every core; `progress` is called after each one.
pub fn render_all(
    renderer: &Renderer,
    docs: &[Document],
    formats: &[Format],
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    renderer.check(docs)?;
    let jobs: Vec<(&Document, Format)> = docs
        .iter()
        .flat_map(|d| formats.iter().map(move |f| (d, *f)))
        .collect();
    let cores = std::env::var("ACTA_RENDER_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let workers = cores.min(jobs.len().max(1));
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Vec<Rendered>, AppError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let jobs = &jobs;
                let done = &done;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (i, (doc, format)) in jobs.iter().enumerate().skip(w).step_by(workers) {
                        let bytes = renderer.render(doc, *format)?;
                        out.push((
                            i,
                            format!("{}.{}", doc.meta().file_stem, format.extension()),
                            bytes,
                        ));
                        progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(AppError::File("Un rendu a échoué.".into())))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(jobs.len());
    for r in results {
        all.extend(r?);
    }
    all.sort_by_key(|(i, _, _)| *i);
    Ok(all
        .into_iter()
        .map(|(_, name, bytes)| (name, bytes))
        .collect())
}

/// The convocation letters of a sitting, under the Département's header, signed by whoever
/// presides (or the President of the Conseil départemental when no one is named yet).
pub(crate) async fn convocation_doc(
    tx: &mut Tx,
    config: &DocumentsConfig,
    sitting: &Stored<Sitting>,
    body_name: &str,
    sent_on: jiff::civil::Date,
    letters: Vec<acta_docs::ConvocationLetter>,
) -> Result<acta_docs::ConvocationDoc, AppError> {
    let ctx = Context::load(tx, config).await?;
    let signer = match sitting.president {
        Some(p) => vec!["Le Président,".to_string(), ctx.name(p)],
        None => vec!["Le Président du Conseil départemental".to_string()],
    };
    Ok(acta_docs::ConvocationDoc {
        meta: Meta {
            kind: DocumentKind::Convocation,
            title: format!(
                "Convocation — {body_name} du {}",
                format_date_long(sitting.date)
            ),
            author: ctx.collectivity.name.clone(),
            date: sent_on.to_string(),
            file_stem: file_stem("convocation", &sitting.date.to_string()),
        },
        header: ctx.header.clone(),
        place_date: t(&format!(
            "{}, le {}",
            title_case(&ctx.collectivity.seat_city),
            format_date_long(sent_on)
        )),
        title: t(&format!(
            "CONVOCATION — {} DU {}",
            body_name.to_uppercase(),
            format_date_long(sitting.date).to_uppercase()
        )),
        letters,
        signatures: vec![SignatureBlock { lines: signer }],
    })
}

/// "ARRAS" → "Arras", "BOULOGNE-SUR-MER" → "Boulogne-sur-Mer" (small words stay small).
fn title_case(city: &str) -> String {
    let small = [
        "sur", "sous", "en", "le", "la", "les", "de", "du", "des", "lès", "lez",
    ];
    city.split('-')
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && small.contains(&lower.as_str()) {
                return lower;
            }
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// What a letter to a beneficiary says; the header, place and signature come from the
/// Département's configuration.
pub(crate) struct LetterParts {
    pub recipient: Vec<String>,
    pub title: String,
    pub object: String,
    pub salutation: String,
    pub body: Vec<String>,
    pub facts: Vec<(String, String)>,
    pub closing: Vec<String>,
    /// Who signs: the instructing direction, for the President.
    pub signer: Vec<String>,
    pub date: jiff::civil::Date,
    pub file_stem: String,
}

/// A letter to a beneficiary (acknowledgement, notification of a decision).
pub(crate) async fn beneficiary_letter(
    tx: &mut Tx,
    config: &DocumentsConfig,
    parts: LetterParts,
) -> Result<acta_docs::LetterDoc, AppError> {
    let ctx = Context::load(tx, config).await?;
    Ok(acta_docs::LetterDoc {
        meta: Meta {
            kind: DocumentKind::Letter,
            title: t(&parts.title),
            author: ctx.collectivity.name.clone(),
            date: parts.date.to_string(),
            file_stem: file_stem(&parts.file_stem, &parts.date.to_string()),
        },
        header: ctx.header.clone(),
        recipient: parts.recipient.iter().map(|l| t(l)).collect(),
        place_date: t(&format!(
            "{}, le {}",
            title_case(&ctx.collectivity.seat_city),
            format_date_long(parts.date)
        )),
        title: t(&parts.title),
        object: t(&parts.object),
        salutation: parts.salutation,
        body: parts.body.iter().map(|p| t(p)).collect(),
        facts: parts
            .facts
            .into_iter()
            .map(|(k, v)| (t(&k), t(&v)))
            .collect(),
        closing: parts.closing.iter().map(|p| t(p)).collect(),
        signatures: vec![SignatureBlock {
            lines: parts.signer,
        }],
    })
}
