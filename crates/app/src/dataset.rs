//! A dataset: a whole case (collectivity, bodies, members, sittings, reports,
//! deliberations, budget, beneficiaries, awards, conventions) in one TOML file, loaded in
//! one transaction through the same checks as typed input. `acta demo` loads the seed's.

use crate::beneficiaries::{add_bank_account_in, add_beneficiary_in};
use crate::input::{
    AddressInput, BankAccountInput, BeneficiaryInput, PersonInput, amount_field, date_field,
    non_blank, optional,
};
use crate::{Acta, Actor, AppError};
use acta_domain::ballot::VoteEntry;
use acta_domain::beneficiary::{BankAccount, Beneficiary};
use acta_domain::budget::{BudgetLine, Commitment, CommitmentSource, Imputation, check_proposal};
use acta_domain::collectivity::{
    Body, BodyKind, Collectivity, CollectivityKind, ScopeList, Service, ServiceKind,
    TerritorialScope,
};
use acta_domain::convention::{
    Convention, ConventionStatus, DepartmentRepresentative, ProgrammeAxis, ReimbursementCase,
    SharedObjective, Tranche, Trigger,
};
use acta_domain::deliberation::{Article, Deliberation, Visa};
use acta_domain::error::{DomainError, Errors};
use acta_domain::grant::{Award, AwardKind, AwardStatus};
use acta_domain::identifiers::{Siren, Siret};
use acta_domain::item::VoteOptions;
use acta_domain::majority::MajorityRule;
use acta_domain::people::{Mandate, Member, PoliticalGroup, Role, Signatory};
use acta_domain::report::{CommissionOpinion, Opinion, Report, Section};
use acta_domain::sitting::{
    AgendaItem, Attendance, AttendanceStatus, ItemKind, Movement, MovementKind, Proxy, Sitting,
};
use acta_domain::text::RichText;
use acta_domain::vote::{GroupPosition, Outcome, Tally, VoteChoice};
use acta_domain::{Amount, Id};
use acta_store::Tx;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub collectivity: CollectivityInput,
    #[serde(default)]
    pub bodies: Vec<BodyInput>,
    #[serde(default)]
    pub groups: Vec<GroupInput>,
    #[serde(default)]
    pub members: Vec<MemberInput>,
    #[serde(default)]
    pub mandates: Vec<MandateInput>,
    #[serde(default)]
    pub services: Vec<ServiceInput>,
    #[serde(default)]
    pub budget_lines: Vec<BudgetLineInput>,
    /// The council's delegations to the Commission permanente, as its form takes them.
    #[serde(default)]
    pub delegations: Vec<crate::input::DelegationInput>,
    #[serde(default)]
    pub beneficiaries: Vec<BeneficiaryEntry>,
    #[serde(default)]
    pub sittings: Vec<SittingInput>,
    #[serde(default)]
    pub reports: Vec<ReportInput>,
    #[serde(default)]
    pub deliberations: Vec<DeliberationInput>,
    #[serde(default)]
    pub awards: Vec<AwardInput>,
    #[serde(default)]
    pub conventions: Vec<ConventionInput>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectivityInput {
    pub name: String,
    pub header_name: String,
    pub kind: CollectivityKind,
    pub department_code: String,
    pub siren: String,
    pub siret: Option<String>,
    pub address: AddressInput,
    pub seat_city: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyInput {
    pub key: String,
    pub kind: BodyKind,
    pub name: String,
    pub ordinal: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupInput {
    pub name: String,
    #[serde(default)]
    pub unaffiliated: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    #[serde(flatten)]
    pub person: PersonInput,
    /// Name of the political group, when known.
    pub group: Option<String>,
}

/// The same mandate for several members ("Prénom NOM" each).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MandateInput {
    pub body: String,
    pub role: String,
    pub vice_president_rank: Option<u32>,
    pub voting: bool,
    pub start: Option<String>,
    pub end: Option<String>,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceInput {
    pub key: String,
    pub kind: ServiceKind,
    pub name: String,
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLineInput {
    pub key: String,
    pub year: i16,
    pub operation_code: String,
    pub label: String,
    /// "6568//9361".
    pub imputation: String,
    /// "140 000,00".
    pub voted: String,
    /// Total committed before the line was recorded in acta, when any.
    pub prior_commitments: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BeneficiaryEntry {
    pub key: String,
    #[serde(flatten)]
    pub beneficiary: BeneficiaryInput,
    #[serde(default)]
    pub bank_accounts: Vec<BankAccountInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    #[serde(default)]
    pub present: Vec<String>,
    #[serde(default)]
    pub excused: Vec<String>,
    #[serde(default)]
    pub absent: Vec<String>,
    #[serde(default)]
    pub present_without_vote: Vec<String>,
    #[serde(default)]
    pub excused_without_vote: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyInput {
    pub giver: String,
    pub holder: String,
    /// From which agenda item (1 when absent: the whole sitting).
    pub from_position: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementInput {
    pub member: String,
    pub kind: MovementKind,
    pub from_position: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SittingInput {
    pub key: String,
    pub body: String,
    pub date: String,
    pub time: Option<String>,
    pub place: Option<String>,
    pub president: Option<String>,
    pub secretary: Option<String>,
    #[serde(default)]
    pub attendance: AttendanceInput,
    #[serde(default)]
    pub proxies: Vec<ProxyInput>,
    #[serde(default)]
    pub movements: Vec<MovementInput>,
}

/// "all" or a list of names.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ScopeInput {
    Keyword(String),
    Names(Vec<String>),
}

impl ScopeInput {
    fn to_domain(&self, field: &str) -> Result<ScopeList, DomainError> {
        match self {
            ScopeInput::Keyword(k) if k == "all" => Ok(ScopeList::All),
            ScopeInput::Keyword(k) => Err(DomainError::field(
                field,
                format!("Périmètre : « {k} » n'est ni « all » ni une liste de noms."),
            )),
            ScopeInput::Names(names) => Ok(ScopeList::Named(names.clone())),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    pub heading: String,
    pub body: RichText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionInput {
    pub commission: String,
    pub opinion: Opinion,
    pub date: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub key: String,
    pub sitting: String,
    pub number: u32,
    pub title: String,
    pub pole: Option<String>,
    pub direction: Option<String>,
    pub territories: ScopeInput,
    pub cantons: ScopeInput,
    pub epcis: ScopeInput,
    pub sections: Vec<SectionInput>,
    pub conclusion: RichText,
    pub opinion: Option<OpinionInput>,
    pub signatory: Option<Signatory>,
    /// The assembly only takes note ("prend acte").
    #[serde(default)]
    pub take_note: bool,
    /// "simple" (default) or a fraction such as "2/3".
    pub majority: Option<String>,
}

/// A vote as an act states it: totals, groups by position, result.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteInput {
    #[serde(rename = "for")]
    pub for_: u32,
    pub against: u32,
    pub abstention: u32,
    #[serde(default)]
    pub not_participating: u32,
    #[serde(default)]
    pub groups_for: Vec<String>,
    #[serde(default)]
    pub groups_against: Vec<String>,
    #[serde(default)]
    pub groups_abstention: Vec<String>,
    #[serde(default)]
    pub secret: bool,
    /// The president's own vote, needed to settle a tie.
    pub president_vote: Option<String>,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliberationInput {
    pub report: String,
    pub number: Option<String>,
    pub title: String,
    pub matter: Option<String>,
    pub visas: Vec<Visa>,
    #[serde(default)]
    pub considerations: Vec<String>,
    pub articles: Vec<Article>,
    pub vote: Option<VoteInput>,
    pub place: String,
    pub date: String,
    pub signatories: Vec<Signatory>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    pub key: String,
    /// The report that proposes it; its deliberation decides it.
    pub report: String,
    pub beneficiary: String,
    pub budget_line: String,
    pub kind: AwardKind,
    pub amount: String,
    pub year: i16,
    pub purpose: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrancheInput {
    pub amount: String,
    pub trigger: Trigger,
    pub label: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConventionInput {
    pub award: String,
    pub title: String,
    pub subject: String,
    pub year: i16,
    pub pole: Option<String>,
    pub direction: Option<String>,
    pub department_representative: RepresentativeEntry,
    pub visas: Vec<Visa>,
    pub preamble: RichText,
    pub object: RichText,
    pub objectives_intro: String,
    pub objectives: Vec<SharedObjective>,
    pub programme_intro: String,
    pub programme: Vec<ProgrammeAxis>,
    pub beneficiary_commitments: Vec<String>,
    pub schedule: Vec<TrancheInput>,
    /// Index (from 0) of the beneficiary's bank account to pay.
    pub bank_account: Option<usize>,
    pub paying_accountant: String,
    pub reimbursement_cases: Vec<ReimbursementCase>,
    pub court: String,
    pub communication: RichText,
    pub image_rights: RichText,
    pub signature_place: String,
    pub copies: u32,
    pub signatories: Vec<Signatory>,
    pub signed_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeEntry {
    #[serde(flatten)]
    pub person: PersonInput,
    pub capacity: String,
}

/// What a load created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LoadSummary {
    pub bodies: usize,
    pub members: usize,
    pub sittings: usize,
    pub reports: usize,
    pub deliberations: usize,
    pub beneficiaries: usize,
    pub awards: usize,
    pub conventions: usize,
    pub journal_entries: i64,
}

impl Dataset {
    /// Only the standing data: collectivity, bodies, groups, members, mandates, services,
    /// budget lines and beneficiaries — no sitting, report, deliberation, award or
    /// convention. A sitting can then be held from scratch.
    pub fn referential(mut self) -> Dataset {
        self.sittings.clear();
        self.reports.clear();
        self.deliberations.clear();
        self.awards.clear();
        self.conventions.clear();
        self
    }

    pub fn from_toml(text: &str) -> Result<Dataset, AppError> {
        toml::from_str(text).map_err(|e| AppError::File(format!("Jeu de données illisible : {e}")))
    }
}

/// Prefixes an error with where it is in the dataset.
fn at(context: impl Into<String>) -> impl FnOnce(AppError) -> AppError {
    at_context(context)
}

fn at_context(context: impl Into<String>) -> impl FnOnce(AppError) -> AppError {
    let context = context.into();
    move |e| AppError::File(format!("Jeu de données, {context} : {e}"))
}

fn domain_at(context: impl Into<String>) -> impl FnOnce(DomainError) -> AppError {
    let f = at(context);
    move |e| f(AppError::Domain(e))
}

fn missing(context: &str, what: &str, key: &str) -> AppError {
    AppError::File(format!(
        "Jeu de données, {context} : {what} « {key} » n'est pas déclaré."
    ))
}

/// Folds a "Prénom NOM" reference for lookup: case and spacing do not matter.
fn name_key(name: &str) -> String {
    acta_domain::french::normalize_spaces(name).to_lowercase()
}

fn lookup<T: Copy>(
    map: &HashMap<String, T>,
    context: &str,
    what: &str,
    key: &str,
) -> Result<T, AppError> {
    map.get(key)
        .copied()
        .ok_or_else(|| missing(context, what, key))
}

struct Keys {
    bodies: HashMap<String, Id<Body>>,
    groups: HashMap<String, Id<PoliticalGroup>>,
    members: HashMap<String, Id<Member>>,
    services: HashMap<String, Id<Service>>,
    lines: HashMap<String, Id<BudgetLine>>,
    beneficiaries: HashMap<String, (Id<Beneficiary>, Vec<Id<BankAccount>>)>,
    sittings: HashMap<String, (Id<Sitting>, u32)>,
    /// Report key → (report, sitting, agenda position).
    reports: HashMap<String, (Id<Report>, Id<Sitting>, u32)>,
    deliberations: HashMap<String, Id<Deliberation>>,
    awards: HashMap<String, (Id<Award>, Award)>,
}

impl Keys {
    fn member(&self, context: &str, name: &str) -> Result<Id<Member>, AppError> {
        lookup(&self.members, context, "l'élu", &name_key(name))
    }
}

async fn load_collectivity(tx: &mut Tx, c: &CollectivityInput) -> Result<(), AppError> {
    let mut errors = Errors::new();
    let siren = errors.check(Siren::parse("siren", &c.siren));
    let siret = optional(&mut errors, &c.siret, |v| Siret::parse("siret", v));
    errors.into_result().map_err(domain_at("collectivité"))?;
    let Some(siren) = siren else {
        return Err(AppError::File(
            "Jeu de données, collectivité : SIREN manquant.".into(),
        ));
    };
    let collectivity = Collectivity {
        name: c.name.trim().to_string(),
        header_name: c.header_name.trim().to_string(),
        kind: c.kind,
        department_code: c.department_code.trim().to_string(),
        siren,
        siret,
        address: c.address.to_domain(),
        seat_city: c.seat_city.trim().to_string(),
    };
    collectivity.validate().map_err(domain_at("collectivité"))?;
    tx.put_collectivity(&collectivity).await?;
    Ok(())
}

async fn load_people(tx: &mut Tx, d: &Dataset, keys: &mut Keys) -> Result<(), AppError> {
    for b in &d.bodies {
        let body = Body {
            kind: b.kind,
            name: b.name.trim().to_string(),
            ordinal: b.ordinal,
        };
        let context = format!("instance « {} »", b.key);
        body.validate().map_err(domain_at(&context))?;
        let id = tx.insert_body(&body).await?;
        keys.bodies.insert(b.key.clone(), id);
    }
    for g in &d.groups {
        let group = PoliticalGroup {
            name: acta_domain::french::normalize_spaces(&g.name),
            unaffiliated: g.unaffiliated,
        };
        group
            .validate()
            .map_err(domain_at(format!("groupe « {} »", g.name)))?;
        let id = tx.insert_group(&group).await?;
        keys.groups.insert(name_key(&group.name), id);
    }
    for (i, m) in d.members.iter().enumerate() {
        let context = format!("élu n°{}", i + 1);
        let mut errors = Errors::new();
        let name = m.person.parse(&mut errors, "nom");
        errors.into_result().map_err(domain_at(&context))?;
        let Some(name) = name else { continue };
        let group = m
            .group
            .as_deref()
            .map(|g| lookup(&keys.groups, &context, "le groupe", &name_key(g)))
            .transpose()?;
        let member = Member { name, group };
        member.validate().map_err(domain_at(&context))?;
        let key = name_key(&member.name.full());
        if keys.members.contains_key(&key) {
            return Err(AppError::File(format!(
                "Jeu de données, {context} : « {} » est déclaré deux fois.",
                member.name.full()
            )));
        }
        let id = tx.insert_member(&member).await?;
        keys.members.insert(key, id);
    }
    for (i, m) in d.mandates.iter().enumerate() {
        let context = format!("mandats n°{}", i + 1);
        let body = lookup(&keys.bodies, &context, "l'instance", &m.body)?;
        let role = match m.role.as_str() {
            "president" => Role::President,
            "vice_president" => Role::VicePresident {
                rank: m.vice_president_rank,
            },
            "member" => Role::Member,
            other => {
                return Err(AppError::File(format!(
                    "Jeu de données, {context} : rôle « {other} » inconnu (president, vice_president, member)."
                )));
            }
        };
        let mut errors = Errors::new();
        let start = optional(&mut errors, &m.start, |v| {
            acta_domain::french::parse_date("date_debut", v)
        });
        let end = optional(&mut errors, &m.end, |v| {
            acta_domain::french::parse_date("date_fin", v)
        });
        errors.into_result().map_err(domain_at(&context))?;
        for name in &m.members {
            let mandate = Mandate {
                member: keys.member(&context, name)?,
                body,
                role,
                voting: m.voting,
                start,
                end,
            };
            mandate.validate().map_err(domain_at(&context))?;
            tx.insert_mandate(&mandate).await?;
        }
    }
    for s in &d.services {
        let context = format!("service « {} »", s.key);
        let parent = s
            .parent
            .as_deref()
            .map(|p| lookup(&keys.services, &context, "le service", p))
            .transpose()?;
        let service = Service {
            kind: s.kind,
            name: acta_domain::french::normalize_spaces(&s.name),
            parent,
        };
        service.validate().map_err(domain_at(&context))?;
        let id = tx.insert_service(&service).await?;
        keys.services.insert(s.key.clone(), id);
    }
    Ok(())
}

async fn load_finance(tx: &mut Tx, d: &Dataset, keys: &mut Keys) -> Result<(), AppError> {
    for l in &d.budget_lines {
        let context = format!("ligne budgétaire « {} »", l.key);
        let mut errors = Errors::new();
        let voted = amount_field(&mut errors, "cp_votes", &l.voted);
        let prior = optional(&mut errors, &l.prior_commitments, |v| {
            Amount::parse_fr("engagements_anterieurs", v)
        });
        errors.into_result().map_err(domain_at(&context))?;
        let imputation =
            Imputation::parse("imputation", &l.imputation).map_err(domain_at(&context))?;
        let line = BudgetLine {
            year: l.year,
            operation_code: l.operation_code.trim().to_string(),
            label: acta_domain::french::normalize_spaces(&l.label),
            imputation,
            voted: voted.unwrap_or_default(),
        };
        line.validate().map_err(domain_at(&context))?;
        let id = tx.insert_budget_line(&line).await?;
        if let Some(amount) = prior.filter(|a| !a.is_zero()) {
            let commitment = Commitment {
                line: id,
                amount,
                source: CommitmentSource::Prior {
                    label: "Engagements antérieurs".to_string(),
                },
                active: true,
            };
            check_proposal(&line, &[], None, Amount::ZERO, amount).map_err(domain_at(&context))?;
            tx.insert_commitment(&commitment).await?;
        }
        keys.lines.insert(l.key.clone(), id);
    }
    for b in &d.beneficiaries {
        let context = format!("bénéficiaire « {} »", b.key);
        let id = add_beneficiary_in(tx, &b.beneficiary)
            .await
            .map_err(at(&context))?;
        let mut accounts = Vec::new();
        for account in &b.bank_accounts {
            accounts.push(
                add_bank_account_in(tx, id, account)
                    .await
                    .map_err(at(&context))?,
            );
        }
        keys.beneficiaries.insert(b.key.clone(), (id, accounts));
    }
    Ok(())
}

async fn load_sittings(tx: &mut Tx, d: &Dataset, keys: &mut Keys) -> Result<(), AppError> {
    for s in &d.sittings {
        let context = format!("séance « {} »", s.key);
        let body = lookup(&keys.bodies, &context, "l'instance", &s.body)?;
        let mut errors = Errors::new();
        let date = date_field(&mut errors, "date", &s.date);
        let time = optional(&mut errors, &s.time, |v| {
            v.trim().parse::<jiff::civil::Time>().map_err(|_| {
                acta_domain::FieldError::new(
                    "heure",
                    format!("Heure : « {v} » n'est pas une heure (HH:MM)."),
                )
            })
        });
        errors.into_result().map_err(domain_at(&context))?;
        let person = |name: &Option<String>| -> Result<Option<Id<Member>>, AppError> {
            name.as_deref()
                .map(|n| keys.member(&context, n))
                .transpose()
        };
        let sitting = Sitting {
            body,
            date: date.unwrap_or_default(),
            time,
            place: non_blank(&s.place),
            president: person(&s.president)?,
            secretary: person(&s.secretary)?,
            reconvenes: None,
        };
        sitting.validate().map_err(domain_at(&context))?;
        let id = tx.insert_sitting(&sitting).await?;
        let lists = [
            (&s.attendance.present, AttendanceStatus::Present),
            (&s.attendance.excused, AttendanceStatus::Excused),
            (&s.attendance.absent, AttendanceStatus::Absent),
            (
                &s.attendance.present_without_vote,
                AttendanceStatus::PresentWithoutVote,
            ),
            (
                &s.attendance.excused_without_vote,
                AttendanceStatus::ExcusedWithoutVote,
            ),
        ];
        let mut seen = HashMap::new();
        for (names, status) in lists {
            for name in names {
                let member = keys.member(&context, name)?;
                if seen.insert(member, status).is_some() {
                    return Err(AppError::File(format!(
                        "Jeu de données, {context} : « {name} » figure dans deux listes de présence."
                    )));
                }
                tx.set_attendance(&Attendance {
                    sitting: id,
                    member,
                    status,
                })
                .await?;
            }
        }
        for p in &s.proxies {
            let proxy = Proxy {
                sitting: id,
                giver: keys.member(&context, &p.giver)?,
                holder: keys.member(&context, &p.holder)?,
                from_position: p.from_position.unwrap_or(1),
            };
            tx.insert_proxy(&proxy).await?;
        }
        for m in &s.movements {
            if m.from_position == 0 {
                return Err(AppError::File(format!(
                    "Jeu de données, {context} : les points de l'ordre du jour commencent à 1."
                )));
            }
            tx.insert_movement(&Movement {
                sitting: id,
                member: keys.member(&context, &m.member)?,
                kind: m.kind,
                from_position: m.from_position,
            })
            .await?;
        }
        keys.sittings.insert(s.key.clone(), (id, 0));
    }
    for r in &d.reports {
        let context = format!("rapport « {} »", r.key);
        let (sitting, position) = keys
            .sittings
            .get(&r.sitting)
            .copied()
            .ok_or_else(|| missing(&context, "la séance", &r.sitting))?;
        let service = |key: &Option<String>| -> Result<Option<Id<Service>>, AppError> {
            key.as_deref()
                .map(|k| lookup(&keys.services, &context, "le service", k))
                .transpose()
        };
        let opinion = match &r.opinion {
            Some(o) => {
                let mut errors = Errors::new();
                let date = date_field(&mut errors, "avis.date", &o.date);
                errors.into_result().map_err(domain_at(&context))?;
                Some(CommissionOpinion {
                    commission: lookup(&keys.bodies, &context, "la commission", &o.commission)?,
                    opinion: o.opinion,
                    date: date.unwrap_or_default(),
                })
            }
            None => None,
        };
        let report = Report {
            sitting,
            number: r.number,
            title: acta_domain::french::normalize_spaces(&r.title),
            pole: service(&r.pole)?,
            direction: service(&r.direction)?,
            scope: TerritorialScope {
                territories: r
                    .territories
                    .to_domain("territoires")
                    .map_err(domain_at(&context))?,
                cantons: r
                    .cantons
                    .to_domain("cantons")
                    .map_err(domain_at(&context))?,
                epcis: r.epcis.to_domain("epci").map_err(domain_at(&context))?,
            },
            sections: r
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| Section {
                    number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    heading: s.heading.clone(),
                    body: s.body.clone(),
                })
                .collect(),
            conclusion: r.conclusion.clone(),
            commission_opinion: opinion,
            signatory: r.signatory.clone(),
        };
        report.validate().map_err(domain_at(&context))?;
        let id = tx.insert_report(&report).await.map_err(|e| {
            if e.is_unique_violation() {
                AppError::File(format!(
                    "Jeu de données, {context} : la séance a déjà un rapport n°{}.",
                    r.number
                ))
            } else {
                e.into()
            }
        })?;
        let position = position + 1;
        let majority = MajorityRule::parse(r.majority.as_deref().unwrap_or("simple"))
            .map_err(domain_at(&context))?;
        tx.insert_agenda_item(&AgendaItem {
            sitting,
            position,
            report: id,
            kind: if r.take_note {
                ItemKind::TakeNote
            } else {
                ItemKind::Vote
            },
            majority,
        })
        .await?;
        keys.sittings.insert(r.sitting.clone(), (sitting, position));
        keys.reports.insert(r.key.clone(), (id, sitting, position));
    }
    Ok(())
}

async fn load_deliberations(tx: &mut Tx, d: &Dataset, keys: &mut Keys) -> Result<(), AppError> {
    for del in &d.deliberations {
        let context = format!("délibération du rapport « {} »", del.report);
        let (report, sitting, _) = keys
            .reports
            .get(&del.report)
            .copied()
            .ok_or_else(|| missing(&context, "le rapport", &del.report))?;
        let mut errors = Errors::new();
        let date = date_field(&mut errors, "date", &del.date);
        errors.into_result().map_err(domain_at(&context))?;
        let deliberation = Deliberation {
            sitting,
            report: Some(report),
            number: non_blank(&del.number),
            title: acta_domain::french::normalize_spaces(&del.title),
            matter_code: non_blank(&del.matter),
            visas: del.visas.clone(),
            considerations: del.considerations.clone(),
            articles: del.articles.clone(),
            // The vote is recorded when the item is closed, below.
            vote: None,
            place: del.place.trim().to_string(),
            date: date.unwrap_or_default(),
            signatories: del.signatories.clone(),
        };
        deliberation.validate().map_err(domain_at(&context))?;
        let id = tx.insert_deliberation(&deliberation).await.map_err(|e| {
            if e.is_unique_violation() {
                AppError::File(format!(
                    "Jeu de données, {context} : le numéro {} est déjà pris.",
                    del.number.as_deref().unwrap_or("")
                ))
            } else {
                e.into()
            }
        })?;
        if let Some(number) = &deliberation.number {
            let body = tx
                .sitting(sitting)
                .await?
                .map(|s| s.body)
                .ok_or_else(|| missing(&context, "la séance", &del.report))?;
            let rules = crate::sittings::load_rules(tx).await?;
            crate::sittings::register_number(tx, &rules, body, deliberation.date, number).await?;
        }
        keys.deliberations.insert(del.report.clone(), id);
    }
    Ok(())
}

/// Closes the items whose deliberation states a vote: the count goes through the same
/// checks as a vote entered at the sitting, and must give the outcome the act states.
async fn close_voted_items(
    tx: &mut Tx,
    d: &Dataset,
    keys: &Keys,
    at: &str,
) -> Result<(), AppError> {
    let rules = crate::sittings::load_rules(tx).await?;
    for del in &d.deliberations {
        let Some(v) = &del.vote else { continue };
        let context = format!("vote de la délibération du rapport « {} »", del.report);
        let (_, sitting, position) = keys
            .reports
            .get(&del.report)
            .copied()
            .ok_or_else(|| missing(&context, "le rapport", &del.report))?;
        let mut groups = Vec::new();
        for (names, choice) in [
            (&v.groups_for, VoteChoice::For),
            (&v.groups_against, VoteChoice::Against),
            (&v.groups_abstention, VoteChoice::Abstention),
        ] {
            for name in names {
                groups.push(GroupPosition {
                    group: lookup(&keys.groups, &context, "le groupe", &name_key(name))?,
                    choice,
                });
            }
        }
        let president_vote = match v.president_vote.as_deref() {
            Some(c) => Some(VoteChoice::parse(c).ok_or_else(|| {
                AppError::File(format!(
                    "Jeu de données, {context} : vote du président « {c} » inconnu (pour, contre, abstention, npp)."
                ))
            })?),
            None => None,
        };
        let entry = (v.outcome != Outcome::TakenNote).then_some(VoteEntry::Totals {
            tally: Tally {
                for_: v.for_,
                against: v.against,
                abstention: v.abstention,
                not_participating: v.not_participating,
            },
            groups,
        });
        let sitting = tx
            .sitting(sitting)
            .await?
            .ok_or_else(|| missing(&context, "la séance", &del.report))?;
        crate::sittings::close(
            tx,
            &rules,
            sitting,
            position,
            entry.as_ref(),
            &VoteOptions {
                secret: v.secret,
                president_vote,
            },
            Some(v.outcome),
            at,
        )
        .await
        .map_err(at_context(&context))?;
    }
    Ok(())
}

async fn load_awards(tx: &mut Tx, d: &Dataset, keys: &mut Keys) -> Result<(), AppError> {
    for a in &d.awards {
        let context = format!("attribution « {} »", a.key);
        let (report, _, _) = keys
            .reports
            .get(&a.report)
            .copied()
            .ok_or_else(|| missing(&context, "le rapport", &a.report))?;
        let (beneficiary, _) = keys
            .beneficiaries
            .get(&a.beneficiary)
            .cloned()
            .ok_or_else(|| missing(&context, "le bénéficiaire", &a.beneficiary))?;
        let line_id = lookup(&keys.lines, &context, "la ligne budgétaire", &a.budget_line)?;
        let mut errors = Errors::new();
        let amount = amount_field(&mut errors, "montant", &a.amount);
        errors.into_result().map_err(domain_at(&context))?;
        // Proposed until its item is closed, which commits or releases the credits.
        let award = Award {
            beneficiary,
            report: Some(report),
            deliberation: keys.deliberations.get(&a.report).copied(),
            budget_line: line_id,
            kind: a.kind,
            amount: amount.unwrap_or_default(),
            year: a.year,
            purpose: acta_domain::french::normalize_spaces(&a.purpose),
            status: AwardStatus::Proposed,
        };
        award.validate().map_err(domain_at(&context))?;
        let line = tx
            .budget_line(line_id)
            .await?
            .ok_or_else(|| missing(&context, "la ligne budgétaire", &a.budget_line))?;
        // A proposal must fit in what the line has left; adoption then commits it.
        crate::grants::check_line(tx, &line, None, award.amount)
            .await
            .map_err(at(&context))?;
        let id = tx.insert_award(&award).await?;
        keys.awards.insert(a.key.clone(), (id, award));
    }
    Ok(())
}

async fn load_conventions(tx: &mut Tx, d: &Dataset, keys: &Keys, at: &str) -> Result<(), AppError> {
    for c in &d.conventions {
        let context = format!("convention de l'attribution « {} »", c.award);
        let (award_id, award) = keys
            .awards
            .get(&c.award)
            .cloned()
            .ok_or_else(|| missing(&context, "l'attribution", &c.award))?;
        let Some(deliberation) = award.deliberation else {
            return Err(AppError::File(format!(
                "Jeu de données, {context} : une convention suit la délibération qui l'approuve."
            )));
        };
        let accounts = keys
            .beneficiaries
            .values()
            .find(|(id, _)| *id == award.beneficiary)
            .map(|(_, accounts)| accounts.clone())
            .unwrap_or_default();
        let bank_account = match c.bank_account {
            Some(i) => Some(accounts.get(i).copied().ok_or_else(|| {
                AppError::File(format!(
                    "Jeu de données, {context} : le bénéficiaire n'a pas de compte n°{i}."
                ))
            })?),
            None => None,
        };
        let mut errors = Errors::new();
        let mut schedule = Vec::new();
        for (i, t) in c.schedule.iter().enumerate() {
            if let Some(amount) =
                amount_field(&mut errors, &format!("echeancier.{i}.montant"), &t.amount)
            {
                schedule.push(Tranche {
                    amount,
                    trigger: t.trigger.clone(),
                    label: t.label.clone(),
                });
            }
        }
        let signed_on = optional(&mut errors, &c.signed_on, |v| {
            acta_domain::french::parse_date("date_signature", v)
        });
        let mut representative_errors = Errors::new();
        let name = c
            .department_representative
            .person
            .parse(&mut representative_errors, "representant_departement");
        representative_errors
            .into_result()
            .map_err(domain_at(&context))?;
        errors.into_result().map_err(domain_at(&context))?;
        let service = |key: &Option<String>| -> Result<Option<Id<Service>>, AppError> {
            key.as_deref()
                .map(|k| lookup(&keys.services, &context, "le service", k))
                .transpose()
        };
        let Some(name) = name else { continue };
        let convention = Convention {
            award: award_id,
            deliberation,
            beneficiary: award.beneficiary,
            title: c.title.clone(),
            subject: c.subject.clone(),
            year: c.year,
            amount: award.amount,
            pole: service(&c.pole)?,
            direction: service(&c.direction)?,
            department_representative: DepartmentRepresentative {
                name,
                capacity: c.department_representative.capacity.clone(),
            },
            visas: c.visas.clone(),
            preamble: c.preamble.clone(),
            object: c.object.clone(),
            objectives_intro: c.objectives_intro.clone(),
            objectives: c.objectives.clone(),
            programme_intro: c.programme_intro.clone(),
            programme: c.programme.clone(),
            beneficiary_commitments: c.beneficiary_commitments.clone(),
            schedule,
            bank_account,
            paying_accountant: c.paying_accountant.clone(),
            reimbursement_cases: c.reimbursement_cases.clone(),
            tacit_renewal: false,
            court: c.court.clone(),
            communication: c.communication.clone(),
            image_rights: c.image_rights.clone(),
            signature_place: c.signature_place.clone(),
            copies: c.copies,
            signatories: c.signatories.clone(),
            status: if signed_on.is_some() {
                ConventionStatus::Signed
            } else {
                ConventionStatus::Draft
            },
            signed_on,
            execution_end: None,
        };
        convention.validate().map_err(domain_at(&context))?;
        let id = tx.insert_convention(&convention).await?;
        tx.insert_convention_version(id, 1, None, at, &convention)
            .await?;
    }
    Ok(())
}

impl Acta {
    /// Loads a dataset in one transaction: everything or nothing.
    pub async fn load_dataset(
        &self,
        actor: &Actor,
        dataset: &Dataset,
    ) -> Result<LoadSummary, AppError> {
        let mut tx = self.write(actor).await?;
        let before = tx.journal_head().await?.seq;
        let mut keys = Keys {
            bodies: HashMap::new(),
            groups: HashMap::new(),
            members: HashMap::new(),
            services: HashMap::new(),
            lines: HashMap::new(),
            beneficiaries: HashMap::new(),
            sittings: HashMap::new(),
            reports: HashMap::new(),
            deliberations: HashMap::new(),
            awards: HashMap::new(),
        };
        if tx.collectivity().await?.is_some() {
            return Err(AppError::conflict(
                "La base contient déjà une collectivité : un jeu de données se charge dans une base neuve (acta init sur un nouveau fichier).",
            ));
        }
        load_collectivity(&mut tx, &dataset.collectivity).await?;
        load_people(&mut tx, dataset, &mut keys).await?;
        for (i, delegation) in dataset.delegations.iter().enumerate() {
            crate::budget_year::add_delegation_in(&mut tx, delegation)
                .await
                .map_err(at(format!("délégation n°{}", i + 1)))?;
        }
        load_finance(&mut tx, dataset, &mut keys).await?;
        load_sittings(&mut tx, dataset, &mut keys).await?;
        load_deliberations(&mut tx, dataset, &mut keys).await?;
        load_awards(&mut tx, dataset, &mut keys).await?;
        let at = self.now().to_string();
        close_voted_items(&mut tx, dataset, &keys, &at).await?;
        load_conventions(&mut tx, dataset, &keys, &at).await?;
        let summary = LoadSummary {
            bodies: dataset.bodies.len(),
            members: dataset.members.len(),
            sittings: dataset.sittings.len(),
            reports: dataset.reports.len(),
            deliberations: dataset.deliberations.len(),
            beneficiaries: dataset.beneficiaries.len(),
            awards: dataset.awards.len(),
            conventions: dataset.conventions.len(),
            journal_entries: 0,
        };
        // The head moves only at commit; count what this load appended.
        tx.commit().await?;
        let after = self.read().await?.journal_head().await?.seq;
        Ok(LoadSummary {
            journal_entries: after - before,
            ..summary
        })
    }
}
