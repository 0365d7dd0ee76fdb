//! Sittings as they happen: attendance and movements, proxies, agenda items, votes in
//! three modes, quorum and majority, closing and numbering. Every rule is the domain's;
//! this module loads what the rules need, and stores what they decide.

use crate::{Acta, Actor, AppError, lookup};
use acta_domain::ballot::{VoteContext, VoteEntry};
use acta_domain::beneficiary::{Beneficiary, BeneficiarySeat};
use acta_domain::budget::{Commitment, CommitmentSource};
use acta_domain::collectivity::Body;
use acta_domain::delegation::Stage;
use acta_domain::deliberation::{Article, Deliberation};
use acta_domain::error::DomainError;
use acta_domain::french::{format_date_long, normalize_spaces};
use acta_domain::grant::AwardStatus;
use acta_domain::item::{ClosedVote, ItemEvaluation, VoteOptions, entry_mode, evaluate};
use acta_domain::keys::SittingKey;
use acta_domain::majority::MajorityRule;
use acta_domain::numbering::{actes_number, format_number, parse_number};
use acta_domain::people::{Member, PoliticalGroup};
use acta_domain::presence::AttendanceRecord;
use acta_domain::report::Report;
use acta_domain::rules::AssemblyRules;
use acta_domain::sitting::{
    AgendaItem, Attendance, AttendanceStatus, ItemKind, Movement, Proxy, Sitting,
};
use acta_domain::text::RichText;
use acta_domain::vote::{GroupPosition, Outcome, Tally, VoteChoice, VoteRecord};
use acta_domain::{Id, Stored};
use acta_store::Tx;
use jiff::civil::{Date, Time};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

const RULES_KEY: &str = "assembly_rules";

pub use crate::input::sittings::{
    AttendanceInput, MovementInput, NewItem, NewSitting, ProxyInput, VoteInput, VoteRequest,
};

/// What an item looks like at the vote: presence, quorum, count, majority, alerts, and
/// the number once closed.
#[derive(Debug, Clone, Serialize)]
pub struct ItemReport {
    pub sitting_id: i64,
    pub position: u32,
    pub report_number: u32,
    pub title: String,
    pub closed: bool,
    pub evaluation: ItemEvaluation,
    /// Names for the ids in `evaluation`.
    pub present: Vec<String>,
    pub represented: Vec<(String, String)>,
    pub absent: Vec<String>,
    pub groups: Vec<(String, VoteChoice)>,
    pub number: Option<String>,
    pub actes_number: Option<String>,
}

impl ItemReport {
    /// "Pour 44 (Groupe A ; Groupe B) · Contre 0 · Abstention 0 · Ne prend pas part 0": the
    /// count with the groups named beside each choice; empty before a vote is entered.
    pub fn vote_line(&self) -> String {
        let Some(v) = &self.evaluation.vote else {
            return String::new();
        };
        let groups = |c: VoteChoice| {
            let list: Vec<&str> = self
                .groups
                .iter()
                .filter(|(_, gc)| *gc == c)
                .map(|(g, _)| g.as_str())
                .collect();
            if list.is_empty() {
                String::new()
            } else {
                format!(" ({})", list.join(" ; "))
            }
        };
        format!(
            "Pour {}{} · Contre {}{} · Abstention {}{} · Ne prend pas part {}",
            v.tally.for_,
            groups(VoteChoice::For),
            v.tally.against,
            groups(VoteChoice::Against),
            v.tally.abstention,
            groups(VoteChoice::Abstention),
            v.tally.not_participating
        )
    }
}

fn choice(field: &str, input: &str) -> Result<VoteChoice, AppError> {
    Ok(VoteChoice::parse_field(field, "Vote", input)?)
}

/// All a rule needs to know about one item.
struct ItemContext {
    sitting: Stored<Sitting>,
    body: Stored<Body>,
    item: Stored<AgendaItem>,
    report: Stored<Report>,
    deliberation: Stored<Deliberation>,
    record: AttendanceRecord,
    names: HashMap<Id<Member>, String>,
    group_names: HashMap<Id<PoliticalGroup>, String>,
    groups_of: HashMap<Id<Member>, Id<PoliticalGroup>>,
    interested: BTreeMap<Id<Member>, String>,
    quorum_waived_because: Option<String>,
}

impl ItemContext {
    fn describe(&self, id: Id<Member>) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("élu n°{id}"))
    }
}

async fn attendance_record(
    tx: &mut Tx,
    sitting: &Stored<Sitting>,
) -> Result<AttendanceRecord, AppError> {
    let voting_members = tx
        .mandates_in(sitting.body)
        .await?
        .into_iter()
        .filter(|m| m.voting && m.active_on(sitting.date))
        .map(|m| m.member)
        .collect();
    Ok(AttendanceRecord {
        voting_members,
        roll_call: tx
            .attendance(sitting.id)
            .await?
            .into_iter()
            .map(|a| (a.member, a.status))
            .collect(),
        movements: tx
            .movements(sitting.id)
            .await?
            .into_iter()
            .map(|m| m.data)
            .collect(),
        proxies: tx
            .proxies(sitting.id)
            .await?
            .into_iter()
            .map(|p| p.data)
            .collect(),
    })
}

async fn member_names(
    tx: &mut Tx,
) -> Result<
    (
        HashMap<Id<Member>, String>,
        HashMap<Id<Member>, Id<PoliticalGroup>>,
    ),
    AppError,
> {
    let members = tx.members().await?;
    let groups_of = members
        .iter()
        .filter_map(|m| m.group.map(|g| (m.id, g)))
        .collect();
    let names = members
        .into_iter()
        .map(|m| (m.id, m.name.with_civility()))
        .collect();
    Ok((names, groups_of))
}

async fn load_item(
    tx: &mut Tx,
    sitting: Stored<Sitting>,
    position: u32,
    rules: &AssemblyRules,
) -> Result<ItemContext, AppError> {
    let body = tx
        .body(sitting.body)
        .await?
        .ok_or_else(|| AppError::not_found("Instance de la séance introuvable."))?;
    let item = tx
        .agenda_item_at(sitting.id, position)
        .await?
        .ok_or_else(|| {
            AppError::not_found(format!(
                "Ordre du jour : la séance du {} n'a pas de point n°{position}.",
                format_date_long(sitting.date)
            ))
        })?;
    let report = tx
        .report(item.report)
        .await?
        .ok_or_else(|| AppError::not_found("Rapport du point introuvable."))?;
    let deliberation = tx.deliberation_of_report(report.id).await?.ok_or_else(|| {
        AppError::not_found(format!(
            "Le rapport N°{} n'a pas de projet de délibération.",
            report.number
        ))
    })?;
    let record = attendance_record(tx, &sitting).await?;
    let (names, groups_of) = member_names(tx).await?;
    let group_names = tx
        .groups()
        .await?
        .into_iter()
        .map(|g| (g.id, g.data.name))
        .collect();
    let mut interested = BTreeMap::new();
    for award in tx.awards_of_report(report.id).await? {
        let Some(b) = tx.beneficiary(award.beneficiary).await? else {
            continue;
        };
        for seat in tx.seats_in(b.id).await? {
            interested.insert(
                seat.member,
                format!(
                    "siège dans les instances de {} ({})",
                    b.usual_name(),
                    seat.capacity
                ),
            );
        }
    }
    // What the member declared before the sitting flags the vote as a seat does.
    for (member, reason) in tx.interests(report.id).await? {
        interested
            .entry(member)
            .or_insert_with(|| format!("a déclaré un intérêt ({reason})"));
    }
    let quorum_waived_because = match sitting.reconvenes {
        Some(previous) => match tx.sitting(previous).await? {
            Some(prev) => {
                let days = prev
                    .date
                    .until(sitting.date)
                    .map(|span| span.get_days())
                    .unwrap_or(0);
                (days >= rules.reconvene_min_days).then(|| {
                    format!(
                        "séance reconvoquée {days} jours après la réunion du {} sans quorum : l'assemblée délibère quel que soit le nombre de présents (article L3121-14 du CGCT)",
                        format_date_long(prev.date)
                    )
                })
            }
            None => None,
        },
        None => None,
    };
    Ok(ItemContext {
        sitting,
        body,
        item,
        report,
        deliberation,
        record,
        names,
        group_names,
        groups_of,
        interested,
        quorum_waived_because,
    })
}

async fn entry_from_input(tx: &mut Tx, input: &VoteInput) -> Result<VoteEntry, AppError> {
    Ok(match input {
        VoteInput::PerMember { ballots } => {
            let mut out = Vec::new();
            for (name, c) in ballots {
                out.push((lookup::member(tx, name).await?.id, choice("vote", c)?));
            }
            VoteEntry::PerMember { ballots: out }
        }
        VoteInput::PerGroup { groups, exceptions } => {
            let mut g = Vec::new();
            for (name, c) in groups {
                g.push((lookup::group(tx, name).await?.id, choice("groupe", c)?));
            }
            let mut e = Vec::new();
            for (name, c) in exceptions {
                e.push((lookup::member(tx, name).await?.id, choice("sauf", c)?));
            }
            VoteEntry::PerGroup {
                groups: g,
                exceptions: e,
            }
        }
        VoteInput::Totals {
            for_,
            against,
            abstention,
            not_participating,
            groups,
        } => {
            let mut g = Vec::new();
            for (name, c) in groups {
                g.push(GroupPosition {
                    group: lookup::group(tx, name).await?.id,
                    choice: choice("groupe", c)?,
                });
            }
            VoteEntry::Totals {
                tally: Tally {
                    for_: *for_,
                    against: *against,
                    abstention: *abstention,
                    not_participating: *not_participating,
                },
                groups: g,
            }
        }
    })
}

fn evaluate_item(
    ctx: &ItemContext,
    rules: &AssemblyRules,
    entry: Option<&VoteEntry>,
    options: &VoteOptions,
) -> Result<ItemEvaluation, AppError> {
    let describe = |id: Id<Member>| ctx.describe(id);
    let describe_group = |id: Id<PoliticalGroup>| {
        ctx.group_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("groupe n°{id}"))
    };
    let presence = ctx.record.presence_at(ctx.item.position, describe);
    let vote_ctx = VoteContext {
        presence: &presence,
        groups_of: &ctx.groups_of,
        interested: &ctx.interested,
        describe: &describe,
        describe_group: &describe_group,
    };
    let evaluation = evaluate(
        ctx.item.kind,
        ctx.item.majority,
        presence.clone(),
        rules.quorum_counts_proxies(ctx.body.kind),
        ctx.quorum_waived_because.as_deref(),
        entry,
        options,
        ctx.sitting.president,
        &vote_ctx,
    )?;
    Ok(evaluation)
}

fn report_of(
    ctx: &ItemContext,
    evaluation: ItemEvaluation,
    closed: bool,
    number: Option<String>,
) -> ItemReport {
    let p = &evaluation.presence;
    let groups = evaluation
        .vote
        .as_ref()
        .map(|v| {
            v.groups
                .iter()
                .map(|g| {
                    (
                        ctx.group_names
                            .get(&g.group)
                            .cloned()
                            .unwrap_or_else(|| format!("groupe n°{}", g.group)),
                        g.choice,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    ItemReport {
        sitting_id: ctx.sitting.id.get(),
        position: ctx.item.position,
        report_number: ctx.report.number,
        title: ctx.report.title.clone(),
        closed,
        present: p.present.iter().map(|&m| ctx.describe(m)).collect(),
        represented: p
            .represented
            .iter()
            .map(|(&g, &h)| (ctx.describe(g), ctx.describe(h)))
            .collect(),
        absent: p.absent.iter().map(|&m| ctx.describe(m)).collect(),
        groups,
        actes_number: number.as_deref().and_then(|n| actes_number(n).ok()),
        number,
        evaluation,
    }
}

fn numbering_scope(rules: &AssemblyRules, body: Id<Body>, year: i16) -> String {
    if rules.numbering.per_body {
        format!("instance:{body}:{year}")
    } else {
        format!("annee:{year}")
    }
}

/// Keeps a sequence ahead of a number given outside it (an import, the demo).
pub(crate) async fn register_number(
    tx: &mut Tx,
    rules: &AssemblyRules,
    body: Id<Body>,
    date: Date,
    number: &str,
) -> Result<(), AppError> {
    if let Some((year, seq)) = parse_number(&rules.numbering, number) {
        let year = year.unwrap_or(date.year());
        let scope = numbering_scope(rules, body, year);
        if tx.numbering_last(&scope).await? < seq {
            tx.set_numbering_last(&scope, seq).await?;
        }
    }
    Ok(())
}

pub(crate) async fn load_rules(tx: &mut Tx) -> Result<AssemblyRules, AppError> {
    match tx.setting(RULES_KEY).await? {
        Some(value) => serde_json::from_value(value).map_err(|e| {
            AppError::File(format!("Règles d'assemblée enregistrées illisibles : {e}"))
        }),
        None => Ok(AssemblyRules::default()),
    }
}

/// Commits or releases the credits of the item's awards as the decision says.
async fn apply_decision_to_awards(
    tx: &mut Tx,
    report: Id<Report>,
    deliberation: Id<Deliberation>,
    outcome: Outcome,
) -> Result<(), AppError> {
    for award in tx.awards_of_report(report).await? {
        let mut updated = award.data.clone();
        updated.deliberation = Some(deliberation);
        match outcome {
            Outcome::Adopted => {
                let line = tx.budget_line(award.budget_line).await?.ok_or_else(|| {
                    AppError::not_found("Ligne budgétaire de l'attribution introuvable.")
                })?;
                let share = crate::budget_year::line_share(tx, &award).await?;
                crate::grants::check_line(tx, &line, Some(award.id), share).await?;
                updated.status = AwardStatus::Adopted;
                tx.insert_commitment(&Commitment {
                    line: line.id,
                    amount: share,
                    source: CommitmentSource::Award { award: award.id },
                    active: true,
                })
                .await?;
            }
            Outcome::Rejected => updated.status = AwardStatus::Rejected,
            Outcome::TakenNote => continue,
        }
        tx.update_award(award.id, &updated).await?;
    }
    let decided = tx.awards_of_report(report).await?;
    let year = acta_domain::grant::budget_year(decided.iter().map(|a| &a.data));
    tx.set_deliberation_budget_year(deliberation, year).await?;
    Ok(())
}

/// Closes an item inside an open transaction. `recorded` is the outcome an act already
/// states (a dataset): the computed decision must agree with it.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn close(
    tx: &mut Tx,
    rules: &AssemblyRules,
    sitting: Stored<Sitting>,
    position: u32,
    entry: Option<&VoteEntry>,
    options: &VoteOptions,
    recorded: Option<Outcome>,
    closed_at: &str,
) -> Result<ItemReport, AppError> {
    let ctx = load_item(tx, sitting, position, rules).await?;
    if let Some((to, reason)) = tx.postponement(ctx.item.id).await? {
        let date = tx.sitting(to).await?.map(|s| format_date_long(s.date));
        return Err(DomainError::rule(format!(
            "Le point n°{position} est reporté à la séance du {} ({reason}) ; il n'est pas voté ici.",
            date.unwrap_or_default()
        ))
        .into());
    }
    if tx.vote_of_item(ctx.item.id).await?.is_some() {
        return Err(AppError::conflict(format!(
            "Le point n°{position} est déjà clos{} ; un vote clos ne se modifie pas.",
            ctx.deliberation
                .number
                .as_deref()
                .map(|n| format!(" (délibération N°{n})"))
                .unwrap_or_default()
        )));
    }
    // A Commission permanente decides only what the council delegated to it.
    let delegation = if ctx.item.kind == ItemKind::Vote {
        crate::budget_year::check_delegation(
            tx,
            &ctx.sitting,
            &ctx.body,
            ctx.report.id,
            ctx.deliberation.matter_code.clone(),
            None,
            Stage::Vote,
        )
        .await?
    } else {
        None
    };
    let evaluation = evaluate_item(&ctx, rules, entry, options)?;
    let outcome = evaluation.decision.outcome;
    if let Some(stated) = recorded
        && stated != outcome
    {
        return Err(AppError::conflict(format!(
            "Le résultat indiqué ({}) contredit le décompte : {}",
            stated.label(),
            evaluation.decision.explanation
        )));
    }
    let numbered = match outcome {
        Outcome::Adopted => true,
        Outcome::TakenNote => rules.numbering.number_taken_note,
        Outcome::Rejected => false,
    };
    let mut deliberation = ctx.deliberation.data.clone();
    crate::budget_year::cite_delegation(&mut deliberation, delegation.as_ref());
    if numbered && deliberation.number.is_none() {
        let year = ctx.sitting.date.year();
        let scope = numbering_scope(rules, ctx.body.id, year);
        let next = tx.numbering_last(&scope).await? + 1;
        let number = format_number(&rules.numbering, &ctx.body.code(), year, next);
        actes_number(&number)?;
        if tx.deliberation_by_number(&number).await?.is_some() {
            return Err(AppError::conflict(format!(
                "Numérotation : le numéro {number} est déjà pris ; réglez la séquence (acta numbering set) au-delà du dernier numéro importé."
            )));
        }
        tx.set_numbering_last(&scope, next).await?;
        deliberation.number = Some(number);
    }
    deliberation.date = ctx.sitting.date;
    deliberation.vote = Some(match &evaluation.vote {
        Some(v) => VoteRecord {
            tally: v.tally,
            groups: v.groups.clone(),
            secret: options.secret,
            outcome,
        },
        None => VoteRecord {
            tally: Tally::default(),
            groups: Vec::new(),
            secret: false,
            outcome,
        },
    });
    tx.update_deliberation(ctx.deliberation.id, &deliberation)
        .await?;
    let closed = ClosedVote {
        deliberation: ctx.deliberation.id,
        item: ctx.item.id,
        mode: entry_mode(entry).to_string(),
        secret: options.secret,
        president_vote: options.president_vote,
        evaluation: evaluation.clone(),
        closed_at: closed_at.to_string(),
    };
    tx.insert_vote(&closed).await?;
    apply_decision_to_awards(tx, ctx.report.id, ctx.deliberation.id, outcome).await?;
    crate::budget_year::apply_vote_to_budget_decisions(
        tx,
        ctx.report.id,
        ctx.deliberation.id,
        outcome,
    )
    .await?;
    Ok(report_of(&ctx, evaluation, true, deliberation.number))
}

/// What goes on the agenda: the report, how the item is decided, its matière, the draft
/// deliberation's text when known, and the emergency reason of a late addition.
pub(crate) struct ItemParts {
    pub report: Report,
    pub kind: ItemKind,
    pub majority: MajorityRule,
    pub matter: Option<String>,
    pub draft: Option<acta_domain::deliberation::DraftText>,
    pub emergency: Option<String>,
}

/// Where an item was put.
pub(crate) struct Placed {
    pub position: u32,
    pub report: Id<Report>,
}

/// Puts a report on a sitting's agenda, last, with the draft of its deliberation.
pub(crate) async fn put_on_agenda(
    tx: &mut Tx,
    s: &Stored<Sitting>,
    parts: ItemParts,
) -> Result<Placed, AppError> {
    // The prefecture's transmission and the open data both classify every act: a
    // deliberation without its matière could be neither sent nor published.
    let Some(matter) = parts.matter.filter(|m| !m.trim().is_empty()) else {
        return Err(DomainError::field(
            "matiere",
            "Matière ACTES : elle est obligatoire (par exemple 7.5 pour une subvention) ; la transmission en préfecture et les données ouvertes la demandent.",
        )
        .into());
    };
    let collectivity = tx.collectivity().await?;
    let report = parts.report;
    report.validate()?;
    let report_id = tx.insert_report(&report).await.map_err(|e| {
        if e.is_unique_violation() {
            AppError::conflict(format!(
                "Rapport : la séance a déjà un rapport N°{}.",
                report.number
            ))
        } else {
            e.into()
        }
    })?;
    let position = tx.agenda(s.id).await?.last().map_or(1, |i| i.position + 1);
    let item = tx
        .insert_agenda_item(&AgendaItem {
            sitting: s.id,
            position,
            report: report_id,
            kind: parts.kind,
            majority: parts.majority,
        })
        .await?;
    if let Some(reason) = &parts.emergency {
        tx.insert_agenda_emergency(item, reason).await?;
    }
    let mut deliberation = Deliberation {
        sitting: s.id,
        report: Some(report_id),
        number: None,
        title: report.title.clone(),
        matter_code: Some(matter.trim().to_string()),
        visas: Vec::new(),
        considerations: Vec::new(),
        articles: Vec::<Article>::new(),
        vote: None,
        place: collectivity.map_or_else(String::new, |c| c.seat_city),
        date: s.date,
        signatories: Vec::new(),
    };
    if let Some(draft) = parts.draft {
        deliberation.set_draft_text(draft)?;
    }
    if parts.kind == ItemKind::Vote {
        let body = crate::budget_year::sitting_body(tx, s).await?;
        let delegation = crate::budget_year::check_delegation(
            tx,
            s,
            &body,
            report_id,
            deliberation.matter_code.clone(),
            None,
            Stage::Agenda,
        )
        .await?;
        crate::budget_year::cite_delegation(&mut deliberation, delegation.as_ref());
    }
    deliberation.validate()?;
    tx.insert_deliberation(&deliberation).await?;
    Ok(Placed {
        position,
        report: report_id,
    })
}

impl Acta {
    pub async fn rules(&self) -> Result<AssemblyRules, AppError> {
        let mut tx = self.read().await?;
        load_rules(&mut tx).await
    }

    pub async fn set_rules(&self, actor: &Actor, rules: &AssemblyRules) -> Result<(), AppError> {
        rules.validate()?;
        let value = serde_json::to_value(rules)
            .map_err(|e| AppError::File(format!("Règles illisibles : {e}")))?;
        let mut tx = self.write(actor).await?;
        tx.put_setting(RULES_KEY, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_sitting(
        &self,
        actor: &Actor,
        input: &NewSitting,
    ) -> Result<Id<Sitting>, AppError> {
        let mut tx = self.write(actor).await?;
        let body = lookup::body(&mut tx, &input.body).await?;
        if !body.kind.deliberates() {
            return Err(AppError::Domain(DomainError::field(
                "instance",
                format!(
                    "Instance : la {} donne des avis et ne délibère pas.",
                    body.display_name()
                ),
            )));
        }
        let date = acta_domain::french::parse_date("date", &input.date)?;
        let same_day = tx
            .sittings_on(date)
            .await?
            .iter()
            .any(|s| s.body == body.id);
        acta_domain::sitting::check_new_sitting_date(date, self.today(), same_day)?;
        let time = match input
            .time
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => Some(t.parse::<Time>().map_err(|_| {
                DomainError::field(
                    "heure",
                    format!("Heure : « {t} » n'est pas une heure (HH:MM)."),
                )
            })?),
            None => None,
        };
        let mut person = async |name: &Option<String>| -> Result<Option<Id<Member>>, AppError> {
            match name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                Some(n) => Ok(Some(lookup::member(&mut tx, n).await?.id)),
                None => Ok(None),
            }
        };
        let president = person(&input.president).await?;
        let secretary = person(&input.secretary).await?;
        let reconvenes = match input.reconvenes.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(key) => {
                let key = SittingKey::parse("reconvoque", key)?;
                Some(lookup::sitting(&mut tx, &key).await?.id)
            }
            None => None,
        };
        let sitting = Sitting {
            body: body.id,
            date,
            time,
            place: input
                .place
                .as_deref()
                .map(normalize_spaces)
                .filter(|p| !p.is_empty()),
            president,
            secretary,
            reconvenes,
        };
        sitting.validate()?;
        let id = tx.insert_sitting(&sitting).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the roll call of several members at once, all with one status.
    pub async fn record_attendance(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        input: &AttendanceInput,
    ) -> Result<usize, AppError> {
        let status = input.status()?;
        let marks: Vec<(String, AttendanceStatus)> =
            input.membres.iter().map(|m| (m.clone(), status)).collect();
        self.record_roll_call(actor, sitting, &marks).await
    }

    /// Records a roll call, each member (by name or number) with their status, in one
    /// transaction: a name that is not found leaves the roll call as it was.
    pub async fn record_roll_call(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        marks: &[(String, AttendanceStatus)],
    ) -> Result<usize, AppError> {
        let mut tx = self.write(actor).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        for (name, status) in marks {
            let m = lookup::member(&mut tx, name).await?;
            tx.set_attendance(&Attendance {
                sitting: s.id,
                member: m.id,
                status: *status,
            })
            .await?;
        }
        tx.commit().await?;
        Ok(marks.len())
    }

    /// A member arrives or leaves, effective from the item at `from_position`.
    pub async fn record_movement(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        input: &MovementInput,
    ) -> Result<(), AppError> {
        let kind = input.kind()?;
        let from_position = input.from_item;
        if from_position == 0 {
            return Err(DomainError::field(
                "a_partir_du_point",
                "À partir du point : les points de l'ordre du jour commencent à 1.",
            )
            .into());
        }
        let mut tx = self.write(actor).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let m = lookup::member(&mut tx, &input.member).await?;
        tx.insert_movement(&Movement {
            sitting: s.id,
            member: m.id,
            kind,
            from_position,
        })
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a proxy, or reassigns one from an item on.
    pub async fn give_proxy(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        input: &ProxyInput,
    ) -> Result<(), AppError> {
        let from_position = input.from_item;
        let mut tx = self.write(actor).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        let giver = lookup::member(&mut tx, &input.giver).await?;
        let holder = lookup::member(&mut tx, &input.holder).await?;
        let record = attendance_record(&mut tx, &s).await?;
        let (names, _) = member_names(&mut tx).await?;
        let last = tx.agenda(s.id).await?.last().map_or(1, |i| i.position);
        let proxy = Proxy {
            sitting: s.id,
            giver: giver.id,
            holder: holder.id,
            from_position,
        };
        let describe = |id: Id<Member>| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| format!("élu n°{id}"))
        };
        record.check_new_proxy(&proxy, last, describe)?;
        tx.insert_proxy(&proxy).await.map_err(|e| {
            if e.is_unique_violation() {
                AppError::conflict(format!(
                    "Pouvoir : {} a déjà donné un pouvoir à partir du point {from_position} ; pour le réattribuer, donnez-le à partir d'un point suivant.",
                    describe(giver.id)
                ))
            } else {
                e.into()
            }
        })?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a report to the agenda with the draft of its deliberation. Once the
    /// convocation has gone, only through the emergency path (the item is then marked).
    pub async fn add_item(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        input: &NewItem,
    ) -> Result<u32, AppError> {
        let majority = MajorityRule::parse(input.majority.as_deref().unwrap_or("simple"))?;
        let mut tx = self.write(actor).await?;
        let s = lookup::sitting(&mut tx, sitting).await?;
        // The direct path records agendas as they were (past sittings included): only the
        // convocation freezes it.
        let emergency = match tx.convocation(s.id).await? {
            Some(_) => Some(
                crate::input::non_blank(&input.emergency).ok_or_else(|| {
                    DomainError::rule(format!(
                        "Ordre du jour figé : la convocation de la séance du {} est partie ; une inscription tardive passe par la procédure d'urgence, avec son motif.",
                        format_date_long(s.date)
                    ))
                })?,
            ),
            None => None,
        };
        let report = Report {
            sitting: s.id,
            number: input.report_number,
            title: normalize_spaces(&input.title),
            pole: None,
            direction: None,
            scope: acta_domain::collectivity::TerritorialScope::everywhere(),
            sections: Vec::new(),
            conclusion: RichText::default(),
            commission_opinion: None,
            signatory: None,
        };
        let placed = put_on_agenda(
            &mut tx,
            &s,
            ItemParts {
                report,
                kind: if input.take_note {
                    ItemKind::TakeNote
                } else {
                    ItemKind::Vote
                },
                majority,
                matter: crate::input::non_blank(&input.matter),
                draft: None,
                emergency,
            },
        )
        .await?;
        if let Some(key) = crate::input::non_blank(&input.approves_minutes_of) {
            let key = SittingKey::parse("approuve_proces_verbal_de", &key)?;
            let approved = lookup::sitting(&mut tx, &key).await?;
            let already = crate::minutes::approved_on(&mut tx, approved.id.get()).await?;
            acta_domain::publication::check_minutes_approval(
                (approved.body == s.body, approved.date, s.date),
                already,
            )?;
            tx.insert_minutes_approval(placed.report.get(), approved.id.get())
                .await?;
        }
        tx.commit().await?;
        Ok(placed.position)
    }

    /// The item as it stands: presence, quorum and, with a vote entry, the count and the
    /// majority. Nothing is written. A closed item shows its frozen vote.
    pub async fn preview_item(
        &self,
        sitting: &SittingKey,
        position: u32,
        vote: Option<&VoteInput>,
        options: &VoteOptions,
    ) -> Result<ItemReport, AppError> {
        let mut tx = self.read().await?;
        let rules = load_rules(&mut tx).await?;
        let sitting = lookup::sitting(&mut tx, sitting).await?;
        let ctx = load_item(&mut tx, sitting, position, &rules).await?;
        if let Some(closed) = tx.vote_of_item(ctx.item.id).await? {
            return Ok(report_of(
                &ctx,
                closed.data.evaluation,
                true,
                ctx.deliberation.number.clone(),
            ));
        }
        let entry = match vote {
            Some(v) => Some(entry_from_input(&mut tx, v).await?),
            None => None,
        };
        // Without a vote entry, show presence and quorum only.
        let evaluation = match (entry.as_ref(), ctx.item.kind) {
            (None, ItemKind::Vote) => {
                let presence = ctx
                    .record
                    .presence_at(ctx.item.position, |id| ctx.describe(id));
                let quorum = acta_domain::quorum::check(
                    &presence,
                    rules.quorum_counts_proxies(ctx.body.kind),
                    ctx.quorum_waived_because.as_deref(),
                );
                ItemEvaluation {
                    kind: ctx.item.kind,
                    majority: ctx.item.majority,
                    presence,
                    quorum,
                    vote: None,
                    decision: acta_domain::majority::Decision {
                        outcome: Outcome::Rejected,
                        casting_vote_used: false,
                        explanation: format!(
                            "Vote non saisi ; il faudra la {}.",
                            ctx.item.majority.label()
                        ),
                    },
                }
            }
            _ => evaluate_item(&ctx, &rules, entry.as_ref(), options)?,
        };
        Ok(report_of(&ctx, evaluation, false, None))
    }

    /// Closes an item: checks quorum and vote, decides, numbers the deliberation, freezes
    /// the vote with its presence, and commits or releases the credits of its awards.
    pub async fn close_item(
        &self,
        actor: &Actor,
        sitting: &SittingKey,
        position: u32,
        vote: Option<&VoteInput>,
        options: &VoteOptions,
    ) -> Result<ItemReport, AppError> {
        let mut tx = self.write(actor).await?;
        let rules = load_rules(&mut tx).await?;
        let sitting = lookup::sitting(&mut tx, sitting).await?;
        let entry = match vote {
            Some(v) => Some(entry_from_input(&mut tx, v).await?),
            None => None,
        };
        let at = self.now().to_string();
        let report = close(
            &mut tx,
            &rules,
            sitting,
            position,
            entry.as_ref(),
            options,
            None,
            &at,
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Sets the last number given by a sequence (the next is `last + 1`).
    pub async fn set_numbering(
        &self,
        actor: &Actor,
        body: &str,
        year: i16,
        last: i64,
    ) -> Result<String, AppError> {
        if last < 0 {
            return Err(DomainError::field(
                "dernier",
                "Dernier numéro : il ne peut pas être négatif.",
            )
            .into());
        }
        let mut tx = self.write(actor).await?;
        let rules = load_rules(&mut tx).await?;
        let b = lookup::body(&mut tx, body).await?;
        let scope = numbering_scope(&rules, b.id, year);
        tx.set_numbering_last(&scope, last).await?;
        tx.commit().await?;
        Ok(format_number(&rules.numbering, &b.code(), year, last + 1))
    }

    /// Records that a member sits in a beneficiary's bodies (for déport).
    pub async fn add_beneficiary_seat(
        &self,
        actor: &Actor,
        member: &str,
        beneficiary: Id<Beneficiary>,
        capacity: &str,
    ) -> Result<(), AppError> {
        let capacity = normalize_spaces(capacity);
        if capacity.is_empty() {
            return Err(DomainError::field(
                "qualite",
                "Qualité : précisez le siège occupé (ex. membre du conseil d'administration).",
            )
            .into());
        }
        let mut tx = self.write(actor).await?;
        let m = lookup::member(&mut tx, member).await?;
        tx.insert_beneficiary_seat(&BeneficiarySeat {
            member: m.id,
            beneficiary,
            capacity,
        })
        .await
        .map_err(crate::error::on_duplicate(
            "Cet élu est déjà enregistré dans les instances de ce bénéficiaire.",
        ))?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a member in a political group.
    pub async fn set_member_group(
        &self,
        actor: &Actor,
        member: &str,
        group: &str,
    ) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let m = lookup::member(&mut tx, member).await?;
        let g = lookup::group(&mut tx, group).await?;
        let mut updated = m.data.clone();
        updated.group = Some(g.id);
        tx.update_member(m.id, &updated).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Acta {
    pub async fn members(&self) -> Result<Vec<Stored<Member>>, AppError> {
        Ok(self.read().await?.members().await?)
    }
}
