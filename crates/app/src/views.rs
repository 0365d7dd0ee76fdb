//! Read models: what `acta show` prints and the API will serve, assembled from the store
//! and computed by the domain (budget figures are never stored, always computed).

use crate::{Acta, AppError};
use acta_domain::budget::{BudgetRow, budget_row};
use acta_domain::collectivity::BodyKind;
use acta_domain::convention::{Convention, ConventionStatus, ReimbursementCase};
use acta_domain::deliberation::Deliberation;
use acta_domain::grant::{AwardKind, AwardStatus};
use acta_domain::keys::{AwardKey, SittingKey};
use acta_domain::people::{Member, PoliticalGroup, Signatory};
use acta_domain::sitting::{AttendanceStatus, Sitting};
use acta_domain::vote::{Outcome, VoteChoice};
use acta_domain::{Amount, Id, Stored};
use acta_store::Tx;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::HashMap;

/// An amount for machines and for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    pub centimes: i64,
    /// "120000.00".
    pub decimal: String,
    /// "120 000,00": the figure of a budget table, narrow no-break spaces between thousands.
    pub figure: String,
    /// "120 000,00 €".
    pub text: String,
}

impl From<Amount> for Money {
    fn from(a: Amount) -> Self {
        Money {
            centimes: a.centimes(),
            decimal: a.format_decimal_point(),
            figure: a.format_fr(),
            text: format!("{}\u{a0}€", a.format_fr()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BodyView {
    pub id: i64,
    pub kind: BodyKind,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProxyView {
    pub giver: String,
    pub holder: String,
}

/// Attendance in the categories acts print.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AttendanceView {
    pub present: Vec<String>,
    pub excused: Vec<String>,
    pub absent: Vec<String>,
    pub present_without_vote: Vec<String>,
    pub excused_without_vote: Vec<String>,
    pub proxies: Vec<ProxyView>,
}

impl AttendanceView {
    pub fn list(&self, status: AttendanceStatus) -> &[String] {
        match status {
            AttendanceStatus::Present => &self.present,
            AttendanceStatus::Excused => &self.excused,
            AttendanceStatus::Absent => &self.absent,
            AttendanceStatus::PresentWithoutVote => &self.present_without_vote,
            AttendanceStatus::ExcusedWithoutVote => &self.excused_without_vote,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetRowView {
    pub operation_code: String,
    pub imputation: String,
    pub label: String,
    pub voted: Money,
    pub available: Money,
    pub proposed: Money,
    pub balance: Money,
}

impl From<BudgetRow> for BudgetRowView {
    fn from(r: BudgetRow) -> Self {
        BudgetRowView {
            operation_code: r.operation_code,
            imputation: r.imputation,
            label: r.label,
            voted: r.voted.into(),
            available: r.available.into(),
            proposed: r.proposed.into(),
            balance: r.balance.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct VoteView {
    #[serde(rename = "for")]
    pub for_: u32,
    pub against: u32,
    pub abstention: u32,
    pub not_participating: u32,
    pub groups_for: Vec<String>,
    pub groups_against: Vec<String>,
    pub groups_abstention: Vec<String>,
    pub secret: bool,
    pub outcome: Outcome,
    /// "Adopté".
    pub outcome_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BeneficiaryRef {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
    /// "130 023 740 00439".
    pub siret_grouped: Option<String>,
    pub rna: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardView {
    pub id: i64,
    pub beneficiary: BeneficiaryRef,
    pub kind: AwardKind,
    pub amount: Money,
    pub year: i16,
    pub purpose: String,
    pub status: AwardStatus,
    /// The notification to the beneficiary (an individual decision) and the award's
    /// enforceability.
    pub notification: crate::publications::NotificationView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub number: u32,
    pub text: Vec<String>,
    pub budget_table: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatterView {
    pub code: String,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeliberationView {
    pub id: i64,
    pub number: Option<String>,
    pub date: Date,
    pub title: String,
    pub matter: Option<MatterView>,
    pub collectivity: Option<String>,
    pub body: BodyView,
    pub sitting_id: i64,
    pub sitting_date: Date,
    pub president: Option<String>,
    pub secretary: Option<String>,
    pub attendance: AttendanceView,
    pub report_number: Option<u32>,
    pub visas: Vec<String>,
    pub considerations: Vec<String>,
    pub articles: Vec<ArticleView>,
    pub budget: Vec<BudgetRowView>,
    pub vote: Option<VoteView>,
    pub awards: Vec<AwardView>,
    pub place: String,
    pub signatories: Vec<Signatory>,
    pub conventions: Vec<i64>,
    /// The prefecture's acknowledgement, once received.
    pub transmission: Option<TransmissionView>,
    /// The publication on the portal, with its mentions (R3131-2).
    pub publication: Option<crate::publications::PublicationView>,
    /// "Exécutoire depuis le …" or what is missing (CGCT L3131-1).
    pub enforceability: crate::publications::EnforceabilityView,
    /// The transfer to the archiving system (SEDA), once built, and the SAE's answer.
    pub archiving: Option<crate::archiving::ArchivingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransmissionView {
    pub act_id: String,
    pub prefecture_id: String,
    pub received_on: Date,
    /// "Transmis le 24 novembre 2023 (accusé de réception …)."
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaEntryView {
    pub position: u32,
    pub report_id: i64,
    pub report_number: u32,
    pub title: String,
    pub kind: acta_domain::sitting::ItemKind,
    pub deliberation_number: Option<String>,
    pub outcome: Option<Outcome>,
    /// The frozen vote, once the item is closed.
    pub vote: Option<ClosedVoteView>,
}

/// A closed vote as the minutes state it.
#[derive(Debug, Clone, Serialize)]
pub struct ClosedVoteView {
    /// "per_member", "per_group", "totals" or "take_note".
    pub mode: String,
    pub present: u32,
    pub represented: u32,
    pub in_office: u32,
    pub quorum: String,
    #[serde(rename = "for")]
    pub for_: u32,
    pub against: u32,
    pub abstention: u32,
    pub not_participating: u32,
    pub decision: String,
    /// Suspicious records, explained.
    pub flags: Vec<String>,
    /// Remarks on proxies not used or lapsed.
    pub notes: Vec<String>,
    pub closed_at: String,
}

impl From<&acta_domain::item::ClosedVote> for ClosedVoteView {
    fn from(v: &acta_domain::item::ClosedVote) -> Self {
        let e = &v.evaluation;
        let tally = e.vote.as_ref().map(|r| r.tally).unwrap_or_default();
        ClosedVoteView {
            mode: v.mode.clone(),
            present: e.presence.present_count(),
            represented: e.presence.represented_count(),
            in_office: e.presence.in_office,
            quorum: e.quorum.explanation.clone(),
            for_: tally.for_,
            against: tally.against,
            abstention: tally.abstention,
            not_participating: tally.not_participating,
            decision: e.decision.explanation.clone(),
            flags: e.vote.as_ref().map(|r| r.flags.clone()).unwrap_or_default(),
            notes: e.presence.notes.clone(),
            closed_at: v.closed_at.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AttendanceCounts {
    pub present: usize,
    pub excused: usize,
    pub absent: usize,
    pub present_without_vote: usize,
    pub excused_without_vote: usize,
    pub proxies: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SittingView {
    pub id: i64,
    pub body: BodyView,
    pub date: Date,
    pub time: Option<String>,
    pub place: Option<String>,
    pub president: Option<String>,
    pub secretary: Option<String>,
    pub counts: AttendanceCounts,
    pub attendance: AttendanceView,
    pub agenda: Vec<AgendaEntryView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrancheView {
    pub position: usize,
    pub amount: Money,
    pub label: Option<String>,
    /// "à la signature de la convention sur appel à versement".
    pub trigger: String,
    /// When the tranche waits for a document: the date it is due.
    pub document_due: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BankAccountView {
    pub holder: String,
    pub bank_name: String,
    pub bank_address: Option<String>,
    pub iban: String,
    /// "13507-00100-30765812164-66" for a French account.
    pub rib: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepresentativeView {
    pub name: String,
    pub capacity: String,
    pub appointed_on: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConventionView {
    pub id: i64,
    pub title: String,
    pub subject: String,
    pub year: i16,
    pub status: ConventionStatus,
    pub status_label: String,
    pub signed_on: Option<Date>,
    pub amount: Money,
    pub deliberation_number: Option<String>,
    pub beneficiary: BeneficiaryRef,
    pub beneficiary_address: String,
    pub beneficiary_representative: Option<RepresentativeView>,
    pub department_representative: String,
    pub schedule: Vec<TrancheView>,
    pub bank_account: Option<BankAccountView>,
    pub paying_accountant: String,
    pub reimbursement_cases: Vec<ReimbursementCase>,
    pub tacit_renewal: bool,
    pub court: String,
    pub signature_place: String,
    pub copies: u32,
    pub signatories: Vec<Signatory>,
    pub execution_end: Option<Date>,
    /// Payments, documents, decisions and amendments, with the figures they give.
    pub execution: crate::execution::GrantExecution,
    pub content: Convention,
}

/// Names of members and groups, loaded once per view.
struct Names {
    members: HashMap<Id<Member>, String>,
    groups: HashMap<Id<PoliticalGroup>, String>,
}

impl Names {
    async fn load(tx: &mut Tx) -> Result<Names, AppError> {
        let members = tx
            .members()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name.with_civility()))
            .collect();
        let groups = tx
            .groups()
            .await?
            .into_iter()
            .map(|g| (g.id, g.data.name))
            .collect();
        Ok(Names { members, groups })
    }

    fn member(&self, id: Id<Member>) -> String {
        self.members
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("élu n°{id}"))
    }

    fn group(&self, id: Id<PoliticalGroup>) -> String {
        self.groups
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("groupe n°{id}"))
    }
}

async fn body_view(tx: &mut Tx, sitting: &Sitting) -> Result<BodyView, AppError> {
    let body = tx
        .body(sitting.body)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Instance n°{} introuvable.", sitting.body)))?;
    Ok(BodyView {
        id: body.id.get(),
        kind: body.kind,
        name: body.display_name(),
    })
}

async fn attendance_view(
    tx: &mut Tx,
    sitting: Id<Sitting>,
    names: &Names,
) -> Result<AttendanceView, AppError> {
    let mut view = AttendanceView::default();
    for a in tx.attendance(sitting).await? {
        let name = names.member(a.member);
        match a.status {
            AttendanceStatus::Present => view.present.push(name),
            AttendanceStatus::Excused => view.excused.push(name),
            AttendanceStatus::Absent => view.absent.push(name),
            AttendanceStatus::PresentWithoutVote => view.present_without_vote.push(name),
            AttendanceStatus::ExcusedWithoutVote => view.excused_without_vote.push(name),
        }
    }
    view.proxies = tx
        .proxies(sitting)
        .await?
        .into_iter()
        .map(|p| ProxyView {
            giver: names.member(p.giver),
            holder: names.member(p.holder),
        })
        .collect();
    Ok(view)
}

async fn beneficiary_ref(
    tx: &mut Tx,
    id: Id<acta_domain::beneficiary::Beneficiary>,
) -> Result<
    (
        BeneficiaryRef,
        Stored<acta_domain::beneficiary::Beneficiary>,
    ),
    AppError,
> {
    let b = tx
        .beneficiary(id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Bénéficiaire n°{id} introuvable.")))?;
    Ok((
        BeneficiaryRef {
            id: b.id.get(),
            name: b.name.clone(),
            siret: b.siret.as_ref().map(|s| s.as_str().to_string()),
            siret_grouped: b.siret.as_ref().map(|s| s.grouped()),
            rna: b.rna.as_ref().map(|r| r.as_str().to_string()),
        },
        b,
    ))
}

async fn deliberation_view(
    tx: &mut Tx,
    d: Stored<Deliberation>,
) -> Result<DeliberationView, AppError> {
    let names = Names::load(tx).await?;
    let sitting = tx
        .sitting(d.sitting)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Séance n°{} introuvable.", d.sitting)))?;
    let body = body_view(tx, &sitting).await?;
    let attendance = attendance_view(tx, sitting.id, &names).await?;
    let report_number = match d.report {
        Some(r) => tx.report(r).await?.map(|r| r.number),
        None => None,
    };
    let mut budget = Vec::new();
    let mut awards = Vec::new();
    for award in tx.awards_of_deliberation(d.id).await? {
        let line = tx.budget_line(award.budget_line).await?.ok_or_else(|| {
            AppError::not_found(format!(
                "Ligne budgétaire n°{} introuvable.",
                award.budget_line
            ))
        })?;
        let commitments = crate::grants::commitments(tx, line.id).await?;
        budget.push(budget_row(&line, &commitments, Some(award.id), award.amount)?.into());
        let (beneficiary, _) = beneficiary_ref(tx, award.beneficiary).await?;
        awards.push(AwardView {
            id: award.id.get(),
            beneficiary,
            kind: award.kind,
            amount: award.amount.into(),
            year: award.year,
            purpose: award.purpose.clone(),
            status: award.status,
            notification: crate::publications::notification_view(tx, &award).await?,
        });
    }
    let vote = d.vote.as_ref().map(|v| {
        let groups = |c: VoteChoice| v.groups_with(c).map(|g| names.group(g)).collect();
        VoteView {
            for_: v.tally.for_,
            against: v.tally.against,
            abstention: v.tally.abstention,
            not_participating: v.tally.not_participating,
            groups_for: groups(VoteChoice::For),
            groups_against: groups(VoteChoice::Against),
            groups_abstention: groups(VoteChoice::Abstention),
            secret: v.secret,
            outcome: v.outcome,
            outcome_label: v.outcome.label().to_string(),
        }
    });
    let conventions = tx
        .conventions_of_deliberation(d.id)
        .await?
        .into_iter()
        .map(|c| c.id.get())
        .collect();
    let collectivity = tx.collectivity().await?.map(|c| c.name);
    Ok(DeliberationView {
        id: d.id.get(),
        number: d.number.clone(),
        date: d.date,
        title: d.title.clone(),
        matter: d.matter_code.as_ref().map(|code| MatterView {
            code: code.clone(),
            label: acta_domain::actes::matter_label(code).map(str::to_string),
        }),
        collectivity,
        body,
        sitting_id: sitting.id.get(),
        sitting_date: sitting.date,
        president: sitting.president.map(|m| names.member(m)),
        secretary: sitting.secretary.map(|m| names.member(m)),
        attendance,
        report_number,
        visas: d.visas.iter().map(|v| v.text.clone()).collect(),
        considerations: d.considerations.clone(),
        articles: d
            .articles
            .iter()
            .map(|a| ArticleView {
                number: a.number,
                text: a.body.plain_lines(),
                budget_table: a.budget_table,
            })
            .collect(),
        budget,
        vote,
        awards,
        place: d.place.clone(),
        signatories: d.signatories.clone(),
        conventions,
        publication: crate::publications::publication_of(tx, &d).await?,
        archiving: crate::archiving::archiving_of(tx, d.id).await?,
        enforceability: (&crate::publications::deliberation_enforceability(tx, d.id).await?).into(),
        transmission: tx.transmission(d.id).await?.map(|t| TransmissionView {
            text: format!(
                "{}.",
                acta_domain::transmission::transmitted_mention(t.received_on, &t.act_id)
            ),
            act_id: t.act_id,
            prefecture_id: t.prefecture_id,
            received_on: t.received_on,
        }),
    })
}

impl Acta {
    /// A deliberation by its number ("2023-479").
    pub async fn deliberation_view(&self, number: &str) -> Result<DeliberationView, AppError> {
        let mut tx = self.read().await?;
        let d = crate::lookup::deliberation(&mut tx, number).await?;
        deliberation_view(&mut tx, d).await
    }

    /// Deliberation numbers, for lists and error messages.
    pub async fn deliberation_numbers(&self) -> Result<Vec<String>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx
            .deliberation_index()
            .await?
            .into_iter()
            .filter_map(|(_, n, _)| n)
            .collect())
    }

    /// A sitting by its number, or by its date when only one sitting was held that day.
    pub async fn sitting_view(&self, key: &SittingKey) -> Result<SittingView, AppError> {
        let mut tx = self.read().await?;
        let sitting = crate::lookup::sitting(&mut tx, key).await?;
        let names = Names::load(&mut tx).await?;
        let body = body_view(&mut tx, &sitting).await?;
        let attendance = attendance_view(&mut tx, sitting.id, &names).await?;
        let mut agenda = Vec::new();
        for item in tx.agenda(sitting.id).await? {
            let Some(report) = tx.report(item.report).await? else {
                continue;
            };
            let deliberation = tx.deliberation_of_report(report.id).await?;
            let vote = tx.vote_of_item(item.id).await?;
            agenda.push(AgendaEntryView {
                position: item.position,
                report_id: report.id.get(),
                report_number: report.number,
                title: report.title.clone(),
                kind: item.kind,
                deliberation_number: deliberation.as_ref().and_then(|d| d.number.clone()),
                outcome: deliberation.as_ref().and_then(|d| d.outcome()),
                vote: vote.as_ref().map(|v| ClosedVoteView::from(&v.data)),
            });
        }
        Ok(SittingView {
            id: sitting.id.get(),
            body,
            date: sitting.date,
            time: sitting.time.map(|t| t.strftime("%H:%M").to_string()),
            place: sitting.place.clone(),
            president: sitting.president.map(|m| names.member(m)),
            secretary: sitting.secretary.map(|m| names.member(m)),
            counts: AttendanceCounts {
                present: attendance.present.len(),
                excused: attendance.excused.len(),
                absent: attendance.absent.len(),
                present_without_vote: attendance.present_without_vote.len(),
                excused_without_vote: attendance.excused_without_vote.len(),
                proxies: attendance.proxies.len(),
            },
            attendance,
            agenda,
        })
    }

    /// The convention of an award ("#12", or the deliberation that made it).
    pub async fn convention_view(&self, key: &AwardKey) -> Result<ConventionView, AppError> {
        let mut tx = self.read().await?;
        let award = crate::execution::find_award(&mut tx, key).await?;
        let convention = tx.convention_of_award(award.id).await?.ok_or_else(|| {
            AppError::not_found(format!("Convention : l'aide {key} n'a pas de convention."))
        })?;
        let deliberation_number = tx
            .deliberation(convention.deliberation)
            .await?
            .and_then(|d| d.number.clone());
        let (beneficiary, b) = beneficiary_ref(&mut tx, convention.beneficiary).await?;
        let bank_account = match convention.bank_account {
            Some(id) => tx.bank_account(id).await?.map(|a| BankAccountView {
                holder: a.holder.clone(),
                bank_name: a.bank_name.clone(),
                bank_address: a.bank_address.clone(),
                iban: a.iban.as_str().to_string(),
                rib: a.rib().map(|r| r.dashed()),
            }),
            None => None,
        };
        let c = &convention.data;
        let execution = crate::execution::execution_of(&mut tx, &award).await?;
        Ok(ConventionView {
            id: convention.id.get(),
            title: c.title.clone(),
            subject: c.subject.clone(),
            year: c.year,
            status: c.status,
            status_label: c.status.label().to_string(),
            signed_on: c.signed_on,
            amount: c.amount.into(),
            deliberation_number,
            beneficiary,
            beneficiary_address: b.address.one_line(),
            beneficiary_representative: b.representative.as_ref().map(|r| RepresentativeView {
                name: r.name.with_civility(),
                capacity: r.capacity.clone(),
                appointed_on: r.appointed_on,
            }),
            department_representative: format!(
                "{}, {}",
                c.department_representative.name.with_civility(),
                c.department_representative.capacity
            ),
            schedule: c
                .schedule
                .iter()
                .enumerate()
                .map(|(i, t)| TrancheView {
                    position: i + 1,
                    amount: t.amount.into(),
                    label: t.label.clone(),
                    trigger: t.trigger.describe(c.year),
                    document_due: c
                        .document_due_dates()
                        .into_iter()
                        .find(|(index, _)| *index == i)
                        .map(|(_, d)| d),
                })
                .collect(),
            bank_account,
            paying_accountant: c.paying_accountant.clone(),
            reimbursement_cases: c.reimbursement_cases.clone(),
            tacit_renewal: c.tacit_renewal,
            court: c.court.clone(),
            signature_place: c.signature_place.clone(),
            copies: c.copies,
            signatories: c.signatories.clone(),
            execution_end: c.execution_end,
            execution,
            content: c.clone(),
        })
    }
}
