//! Reports before the sitting: the circuits they go through, their drafting with every
//! version kept, the steps' validations and sendings back, withdrawal, their placement on
//! a sitting's agenda (before the deadline and the convocation, or through the emergency
//! path), and the dashboard of the assemblies service. The rules are the domain's
//! (`circuit`, `convocation`); this module loads what they need and keeps what they
//! decide, with each transition in the report's history.

use crate::input::preparation::{
    AgendaPlacement, CircuitInput, NewReportDraft, PostponeInput, ReasonInput, ReportTextInput,
    StepDecision,
};
use crate::sittings::{ItemParts, load_rules, put_on_agenda};
use crate::{Acta, Actor, AppError, lookup};
use acta_domain::account::{Login, StaffRole};
use acta_domain::circuit::{self, Circuit, LineChange, Progress, ReportState, ReportText};
use acta_domain::collectivity::{Service, TerritorialScope};
use acta_domain::convocation::{check_agenda_addition, check_postponement, submission_deadline};
use acta_domain::deliberation::DraftText;
use acta_domain::keys::SittingKey;
use acta_domain::majority::MajorityRule;
use acta_domain::report::{Report, Section};
use acta_domain::sitting::ItemKind;
use acta_domain::text::{Block, ListItem, RichText};
use acta_domain::{DomainError, Id};
use acta_store::{DraftEvent, DraftVersion, ReportDraft, Tx};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// A circuit as listed.
#[derive(Debug, Clone, Serialize)]
pub struct CircuitView {
    pub id: i64,
    pub name: String,
    /// "1. Direction (Direction instructrice, texte)".
    pub steps: Vec<String>,
}

/// A step of a report's circuit and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub stage: u32,
    pub label: String,
    pub validator: String,
    pub covers: String,
    /// "validée", "en attente" (its stage is open) or "à venir".
    pub status: String,
}

/// A report in preparation, as its page and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDraftView {
    pub id: i64,
    pub title: String,
    pub state: ReportState,
    pub state_label: String,
    pub circuit: String,
    pub steps: Vec<StepView>,
    pub author: String,
    pub direction: Option<String>,
    pub sitting_id: Option<i64>,
    pub sitting_date: Option<Date>,
    /// The last day to submit it for its sitting.
    pub deadline: Option<Date>,
    /// Past its deadline and not yet on the agenda.
    pub late: bool,
    pub matter: Option<String>,
    pub text: ReportText,
    pub version: i64,
    /// Once on the agenda: the sitting's report and the item's position.
    pub report_id: Option<i64>,
    pub position: Option<u32>,
    pub history: Vec<DraftEvent>,
    pub versions: Vec<(i64, String, String)>,
}

/// What a change did to the circuit.
#[derive(Debug, Clone, Serialize)]
pub struct EditOutcome {
    pub version: i64,
    pub state: ReportState,
    /// The steps whose validation the change cancelled.
    pub invalidated: Vec<String>,
}

/// The assemblies service's view of the reports in preparation.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Dashboard {
    /// Count per state (label).
    pub by_state: Vec<(String, usize)>,
    /// Count per direction ("sans direction" when none).
    pub by_direction: Vec<(String, usize)>,
    /// Reports past the submission deadline of their sitting and not on its agenda.
    pub late: Vec<ReportDraftView>,
    pub reports: Vec<ReportDraftView>,
}

/// What a transition decided, for the report and its history.
struct Transition {
    progress: Progress,
    action: &'static str,
    step: Option<String>,
    reason: Option<String>,
}

impl Transition {
    fn new(
        progress: Progress,
        action: &'static str,
        step: Option<String>,
        reason: Option<String>,
    ) -> Self {
        Transition {
            progress,
            action,
            step,
            reason,
        }
    }
}

/// The step of the current stage the acting account may decide for.
fn own_step(
    circuit: &Circuit,
    d: &ReportDraft,
    account: Option<(String, StaffRole)>,
    decision: &StepDecision,
) -> Result<usize, DomainError> {
    let Some((login, role)) = account else {
        return Err(DomainError::rule(
            "Circuit : une étape se décide au nom d'un compte.",
        ));
    };
    circuit::step_for(circuit, &d.progress, &login, role, decision.step.as_deref())
}

async fn circuit_of(tx: &mut Tx, id: i64) -> Result<Circuit, AppError> {
    tx.circuits()
        .await?
        .into_iter()
        .find(|(cid, _)| *cid == id)
        .map(|(_, c)| c)
        .ok_or_else(|| AppError::not_found(format!("Circuit n°{id} introuvable.")))
}

async fn circuit_by_name(tx: &mut Tx, name: &str) -> Result<(i64, Circuit), AppError> {
    let wanted = acta_domain::french::fold(name);
    tx.circuits()
        .await?
        .into_iter()
        .find(|(id, c)| {
            acta_domain::french::fold(&c.name) == wanted || id.to_string() == name.trim()
        })
        .ok_or_else(|| {
            AppError::Domain(DomainError::field(
                "circuit",
                format!("Circuit : aucun circuit ne s'appelle « {} ».", name.trim()),
            ))
        })
}

async fn draft(tx: &mut Tx, id: i64) -> Result<ReportDraft, AppError> {
    tx.report_draft(id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Rapport en préparation n°{id} introuvable.")))
}

/// The account acting, with its role: circuits are validated by accounts.
async fn acting_account(tx: &mut Tx, actor: &Actor) -> Result<(String, StaffRole), AppError> {
    let refused = || {
        AppError::Domain(DomainError::rule(format!(
            "Circuit : « {} » n'est pas un compte ; une étape se valide au nom d'un compte (en ligne de commande : --as identifiant).",
            actor.0
        )))
    };
    let login = Login::parse(&actor.0).map_err(|_| refused())?;
    let account = tx.account_by_login(&login).await?.ok_or_else(refused)?;
    if !account.account.active {
        return Err(refused());
    }
    Ok((login.as_str().to_string(), account.account.role))
}

pub(crate) async fn direction(
    tx: &mut Tx,
    name: &Option<String>,
) -> Result<Option<Id<Service>>, AppError> {
    let Some(name) = crate::input::non_blank(name) else {
        return Ok(None);
    };
    let wanted = acta_domain::french::fold(&name);
    tx.services()
        .await?
        .into_iter()
        .find(|s| acta_domain::french::fold(&s.name) == wanted || s.id.to_string() == name)
        .map(|s| Some(s.id))
        .ok_or_else(|| {
            AppError::Domain(DomainError::field(
                "direction",
                format!("Direction : « {name} » n'est pas au référentiel des services."),
            ))
        })
}

async fn target_sitting(tx: &mut Tx, key: &Option<String>) -> Result<Option<i64>, AppError> {
    match crate::input::non_blank(key) {
        Some(k) => {
            let key = SittingKey::parse("seance", &k)?;
            Ok(Some(lookup::sitting(tx, &key).await?.id.get()))
        }
        None => Ok(None),
    }
}

impl Acta {
    fn event(
        &self,
        actor: &Actor,
        action: &str,
        step: Option<String>,
        reason: Option<String>,
    ) -> DraftEvent {
        DraftEvent {
            at: self.now().to_string(),
            by: actor.0.clone(),
            action: action.to_string(),
            step,
            reason,
        }
    }

    pub async fn create_circuit(
        &self,
        actor: &Actor,
        input: &CircuitInput,
    ) -> Result<i64, AppError> {
        let circuit = input.parse()?;
        let mut tx = self.write(actor).await?;
        let id = tx
            .insert_circuit(&circuit)
            .await
            .map_err(crate::error::on_duplicate(&format!(
                "Circuit : « {} » existe déjà.",
                circuit.name
            )))?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn circuits(&self) -> Result<Vec<CircuitView>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx
            .circuits()
            .await?
            .into_iter()
            .map(|(id, c)| CircuitView {
                id,
                name: c.name,
                steps: c
                    .steps
                    .iter()
                    .map(|s| {
                        format!(
                            "{}. {} ({}, {})",
                            s.stage,
                            s.label,
                            s.validator.label(),
                            s.covers.code()
                        )
                    })
                    .collect(),
            })
            .collect())
    }

    /// Starts a report in preparation, as a draft (version 1).
    pub async fn create_report_draft(
        &self,
        actor: &Actor,
        input: &NewReportDraft,
    ) -> Result<i64, AppError> {
        let text = input.text.parse()?;
        let mut tx = self.write(actor).await?;
        let (circuit, _) = circuit_by_name(&mut tx, &input.circuit).await?;
        let direction = direction(&mut tx, &input.direction).await?;
        let sitting = target_sitting(&mut tx, &input.sitting).await?;
        let now = self.now().to_string();
        let d = ReportDraft {
            id: 0,
            circuit,
            direction: direction.map(Id::get),
            sitting,
            author: actor.0.clone(),
            matter: crate::input::non_blank(&input.matter),
            text: text.clone(),
            version: 1,
            progress: Progress {
                state: ReportState::Draft,
                validated: Vec::new(),
            },
            report: None,
            created_at: now.clone(),
            updated_at: now.clone(),
        };
        let id = tx.insert_report_draft(&d).await?;
        tx.insert_draft_version(
            id,
            &DraftVersion {
                version: 1,
                text,
                saved_by: actor.0.clone(),
                saved_at: now,
            },
        )
        .await?;
        tx.insert_draft_event(id, &self.event(actor, "creation", None, None))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves a new version of the text; the validations it invalidates fall.
    pub async fn edit_report_draft(
        &self,
        actor: &Actor,
        id: i64,
        input: &ReportTextInput,
    ) -> Result<EditOutcome, AppError> {
        let text = input.parse()?;
        let mut tx = self.write(actor).await?;
        let mut d = draft(&mut tx, id).await?;
        let circuit = circuit_of(&mut tx, d.circuit).await?;
        let outcome = circuit::edit(&circuit, &d.progress, &d.text, &text)?;
        if text == d.text {
            return Ok(EditOutcome {
                version: d.version,
                state: d.progress.state,
                invalidated: Vec::new(),
            });
        }
        d.version = d
            .version
            .checked_add(1)
            .ok_or_else(|| AppError::conflict("Rapport : trop de versions enregistrées."))?;
        d.text = text.clone();
        d.progress = outcome.progress.clone();
        d.updated_at = self.now().to_string();
        tx.update_report_draft(&d).await?;
        tx.insert_draft_version(
            id,
            &DraftVersion {
                version: d.version,
                text,
                saved_by: actor.0.clone(),
                saved_at: d.updated_at.clone(),
            },
        )
        .await?;
        tx.insert_draft_event(
            id,
            &self.event(
                actor,
                "modification",
                None,
                Some(format!("version {}", d.version)),
            ),
        )
        .await?;
        for label in &outcome.invalidated {
            tx.insert_draft_event(
                id,
                &self.event(
                    actor,
                    "invalidation",
                    Some(label.clone()),
                    Some("le texte qu'elle avait validé a changé".to_string()),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(EditOutcome {
            version: d.version,
            state: d.progress.state,
            invalidated: outcome.invalidated,
        })
    }

    /// One transition of a report's life: `decide` reads the circuit, the progress and the
    /// acting account and returns the new progress with the history line's action, step
    /// and reason; the report and its history are written in one transaction.
    async fn transition(
        &self,
        actor: &Actor,
        id: i64,
        decide: impl FnOnce(
            &Circuit,
            &ReportDraft,
            Option<(String, StaffRole)>,
        ) -> Result<Transition, DomainError>,
        needs_account: bool,
    ) -> Result<ReportDraftView, AppError> {
        let mut tx = self.write(actor).await?;
        let account = if needs_account {
            Some(acting_account(&mut tx, actor).await?)
        } else {
            None
        };
        let mut d = draft(&mut tx, id).await?;
        let circuit = circuit_of(&mut tx, d.circuit).await?;
        let t = decide(&circuit, &d, account)?;
        d.progress = t.progress;
        d.updated_at = self.now().to_string();
        tx.update_report_draft(&d).await?;
        tx.insert_draft_event(id, &self.event(actor, t.action, t.step, t.reason))
            .await?;
        tx.commit().await?;
        self.report_draft(id).await
    }

    pub async fn submit_report_draft(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<ReportDraftView, AppError> {
        self.transition(
            actor,
            id,
            |_, d, _| {
                Ok(Transition::new(
                    circuit::submit(&d.progress, &d.text)?,
                    "soumission",
                    None,
                    None,
                ))
            },
            false,
        )
        .await
    }

    /// The acting account validates its step of the report's circuit.
    pub async fn validate_report_step(
        &self,
        actor: &Actor,
        id: i64,
        decision: &StepDecision,
    ) -> Result<ReportDraftView, AppError> {
        self.transition(
            actor,
            id,
            |circuit, d, account| {
                let step = own_step(circuit, d, account, decision)?;
                Ok(Transition::new(
                    circuit::validate_step(circuit, &d.progress, step)?,
                    "validation",
                    Some(circuit.steps[step].label.clone()),
                    crate::input::non_blank(&decision.reason),
                ))
            },
            true,
        )
        .await
    }

    /// The acting account's step sends the report back to its author, with a reason.
    pub async fn send_back_report(
        &self,
        actor: &Actor,
        id: i64,
        decision: &StepDecision,
    ) -> Result<ReportDraftView, AppError> {
        self.transition(
            actor,
            id,
            |circuit, d, account| {
                let step = own_step(circuit, d, account, decision)?;
                let reason = decision.reason.clone().unwrap_or_default();
                Ok(Transition::new(
                    circuit::send_back(&d.progress, &reason)?,
                    "renvoi",
                    Some(circuit.steps[step].label.clone()),
                    Some(acta_domain::french::normalize_spaces(&reason)),
                ))
            },
            true,
        )
        .await
    }

    pub async fn withdraw_report_draft(
        &self,
        actor: &Actor,
        id: i64,
        input: &ReasonInput,
    ) -> Result<ReportDraftView, AppError> {
        self.transition(
            actor,
            id,
            |_, d, _| {
                Ok(Transition::new(
                    circuit::withdraw(&d.progress, &input.reason)?,
                    "retrait",
                    None,
                    Some(acta_domain::french::normalize_spaces(&input.reason)),
                ))
            },
            false,
        )
        .await
    }

    /// Puts a ready report on a sitting's agenda: its report and draft deliberation are
    /// created from its text. Past the submission deadline or once the convocation has
    /// gone, only through the emergency path, and the item is marked.
    pub async fn place_report_on_agenda(
        &self,
        actor: &Actor,
        id: i64,
        input: &AgendaPlacement,
    ) -> Result<u32, AppError> {
        let majority = MajorityRule::parse(input.majority.as_deref().unwrap_or("simple"))?;
        let mut tx = self.write(actor).await?;
        let rules = load_rules(&mut tx).await?;
        let mut d = draft(&mut tx, id).await?;
        let progress = circuit::place_on_agenda(&d.progress)?;
        let sitting_id = match target_sitting(&mut tx, &input.sitting).await? {
            Some(s) => s,
            None => d.sitting.ok_or_else(|| {
                AppError::Domain(DomainError::field(
                    "seance",
                    "Séance : le rapport ne vise aucune séance ; indiquez laquelle.",
                ))
            })?,
        };
        let s = lookup::sitting(&mut tx, &SittingKey::Id(Id::new(sitting_id))).await?;
        let convened = tx.convocation(s.id).await?.is_some();
        let emergency = check_agenda_addition(
            &rules,
            self.today(),
            s.date,
            convened,
            input.emergency.as_deref(),
        )?;
        let number = match input.report_number {
            Some(n) => n,
            None => tx
                .reports_of(s.id)
                .await?
                .iter()
                .map(|r| r.number)
                .max()
                .unwrap_or(0)
                .saturating_add(1),
        };
        let report = report_from_text(s.id, number, &d);
        let draft_text = DraftText {
            visas: d.text.visas.clone(),
            considerations: d.text.considerations.clone(),
            articles: d.text.articles.clone(),
            budget_table_article: None,
        };
        let placed = put_on_agenda(
            &mut tx,
            &s,
            ItemParts {
                report,
                kind: ItemKind::Vote,
                majority,
                matter: d.matter.clone(),
                draft: Some(draft_text),
                emergency: emergency.clone(),
            },
        )
        .await?;
        d.progress = progress;
        d.sitting = Some(s.id.get());
        d.report = Some(placed.report.get());
        d.updated_at = self.now().to_string();
        tx.update_report_draft(&d).await?;
        tx.insert_draft_event(
            id,
            &self.event(
                actor,
                "inscription",
                None,
                Some(match &emergency {
                    Some(r) => format!(
                        "séance du {}, point {} ; inscription en urgence : {r}",
                        acta_domain::french::format_date_long(s.date),
                        placed.position
                    ),
                    None => format!(
                        "séance du {}, point {}",
                        acta_domain::french::format_date_long(s.date),
                        placed.position
                    ),
                }),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(placed.position)
    }

    /// A report on the agenda goes to a later sitting of the same body (reporté): its item
    /// stays where it was, marked and never voted; a new item takes the report's text on
    /// the later sitting's agenda (its deadline and convocation apply there).
    pub async fn postpone_report(
        &self,
        actor: &Actor,
        id: i64,
        input: &PostponeInput,
    ) -> Result<u32, AppError> {
        let mut tx = self.write(actor).await?;
        let rules = load_rules(&mut tx).await?;
        let mut d = draft(&mut tx, id).await?;
        let (Some(report), ReportState::OnAgenda) = (d.report, d.progress.state) else {
            return Err(DomainError::rule(
                "Report : seul un rapport inscrit à l'ordre du jour se reporte.",
            )
            .into());
        };
        let item = tx
            .agenda_item_of_report(Id::new(report))
            .await?
            .ok_or_else(|| AppError::not_found("Point de l'ordre du jour introuvable."))?;
        let from = tx
            .sitting(item.sitting)
            .await?
            .ok_or_else(|| AppError::not_found("Séance du point introuvable."))?;
        let to = lookup::sitting(&mut tx, &SittingKey::parse("seance", &input.sitting)?).await?;
        let voted =
            tx.vote_of_item(item.id).await?.is_some() || tx.postponement(item.id).await?.is_some();
        check_postponement(
            voted,
            (from.body, from.date),
            (to.body, to.date),
            &input.reason,
        )?;
        let reason = acta_domain::french::normalize_spaces(&input.reason);
        let convened = tx.convocation(to.id).await?.is_some();
        let emergency = check_agenda_addition(
            &rules,
            self.today(),
            to.date,
            convened,
            input.emergency.as_deref(),
        )?;
        tx.insert_postponement(item.id, to.id, &reason, &self.now().to_string())
            .await?;
        let number = tx
            .reports_of(to.id)
            .await?
            .iter()
            .map(|r| r.number)
            .max()
            .unwrap_or(0)
            .saturating_add(1);
        let placed = put_on_agenda(
            &mut tx,
            &to,
            ItemParts {
                report: report_from_text(to.id, number, &d),
                kind: item.kind,
                majority: item.majority,
                matter: d.matter.clone(),
                draft: Some(DraftText {
                    visas: d.text.visas.clone(),
                    considerations: d.text.considerations.clone(),
                    articles: d.text.articles.clone(),
                    budget_table_article: None,
                }),
                emergency,
            },
        )
        .await?;
        d.sitting = Some(to.id.get());
        d.report = Some(placed.report.get());
        d.updated_at = self.now().to_string();
        tx.update_report_draft(&d).await?;
        tx.insert_draft_event(
            id,
            &self.event(
                actor,
                "report",
                None,
                Some(format!(
                    "de la séance du {} à celle du {}, point {} : {reason}",
                    acta_domain::french::format_date_long(from.date),
                    acta_domain::french::format_date_long(to.date),
                    placed.position
                )),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(placed.position)
    }

    pub async fn report_draft(&self, id: i64) -> Result<ReportDraftView, AppError> {
        let mut tx = self.read().await?;
        let d = draft(&mut tx, id).await?;
        let rules = load_rules(&mut tx).await?;
        view(&mut tx, d, &rules, self.today(), true).await
    }

    /// Compares two versions of a report's text, line by line.
    pub async fn compare_report_versions(
        &self,
        id: i64,
        from: i64,
        to: i64,
    ) -> Result<Vec<LineChange>, AppError> {
        let mut tx = self.read().await?;
        draft(&mut tx, id).await?;
        let versions = tx.draft_versions(id).await?;
        let find = |v: i64, field: &str| {
            versions
                .iter()
                .find(|x| x.version == v)
                .map(|x| x.text.lines())
                .ok_or_else(|| {
                    AppError::Domain(DomainError::field(
                        field,
                        format!(
                            "Version : le rapport n'a pas de version {v} (versions 1 à {}).",
                            versions.len()
                        ),
                    ))
                })
        };
        Ok(circuit::compare(&find(from, "de")?, &find(to, "a")?))
    }

    pub async fn report_dashboard(&self) -> Result<Dashboard, AppError> {
        let mut tx = self.read().await?;
        let rules = load_rules(&mut tx).await?;
        let today = self.today();
        let mut reports = Vec::new();
        for d in tx.report_drafts().await? {
            reports.push(view(&mut tx, d, &rules, today, false).await?);
        }
        let mut by_state: BTreeMap<usize, (String, usize)> = BTreeMap::new();
        let mut by_direction: BTreeMap<String, usize> = BTreeMap::new();
        for r in &reports {
            let rank = ReportState::ALL
                .iter()
                .position(|s| *s == r.state)
                .unwrap_or(usize::MAX);
            by_state
                .entry(rank)
                .or_insert_with(|| (r.state_label.clone(), 0))
                .1 += 1;
            *by_direction
                .entry(
                    r.direction
                        .clone()
                        .unwrap_or_else(|| "Sans direction".to_string()),
                )
                .or_default() += 1;
        }
        Ok(Dashboard {
            by_state: by_state.into_values().collect(),
            by_direction: by_direction.into_iter().collect(),
            late: reports.iter().filter(|r| r.late).cloned().collect(),
            reports,
        })
    }
}

/// The sitting's report made from the text its circuit validated.
fn report_from_text(
    sitting: Id<acta_domain::sitting::Sitting>,
    number: u32,
    d: &ReportDraft,
) -> Report {
    let mut blocks: Vec<Block> = d
        .text
        .expose
        .lines()
        .map(|l| Block::Paragraph(l.to_string()))
        .collect();
    if !d.text.budget.is_empty() {
        blocks.push(Block::Heading("Imputation budgétaire :".to_string()));
        blocks.push(Block::List(
            d.text
                .budget
                .iter()
                .map(|b| ListItem {
                    text: b.clone(),
                    children: Vec::new(),
                })
                .collect(),
        ));
    }
    Report {
        sitting,
        number,
        title: d.text.title.clone(),
        pole: None,
        direction: d.direction.map(Id::new),
        scope: TerritorialScope::everywhere(),
        sections: vec![Section {
            number: 1,
            heading: "Exposé".to_string(),
            body: RichText(blocks),
        }],
        conclusion: RichText::default(),
        commission_opinion: None,
        signatory: None,
    }
}

async fn view(
    tx: &mut Tx,
    d: ReportDraft,
    rules: &acta_domain::rules::AssemblyRules,
    today: Date,
    full: bool,
) -> Result<ReportDraftView, AppError> {
    let circuit = circuit_of(tx, d.circuit).await?;
    let current = circuit.current_stage(&d.progress.validated);
    let steps = circuit
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| StepView {
            stage: s.stage,
            label: s.label.clone(),
            validator: s.validator.label(),
            covers: s.covers.code().to_string(),
            status: if d.progress.validated.contains(&i) {
                "validée"
            } else if d.progress.state == ReportState::InCircuit && current == Some(s.stage) {
                "en attente"
            } else {
                "à venir"
            }
            .to_string(),
        })
        .collect();
    let direction = match d.direction {
        Some(id) => tx.service(Id::new(id)).await?.map(|s| s.data.name),
        None => None,
    };
    let sitting = match d.sitting {
        Some(id) => tx.sitting(Id::new(id)).await?,
        None => None,
    };
    let deadline = sitting.as_ref().map(|s| submission_deadline(rules, s.date));
    let late = deadline.is_some_and(|dl| today > dl)
        && !matches!(
            d.progress.state,
            ReportState::OnAgenda | ReportState::Withdrawn
        );
    let position = match d.report {
        Some(r) => tx
            .agenda_item_of_report(Id::new(r))
            .await?
            .map(|i| i.data.position),
        None => None,
    };
    let (history, versions) = if full {
        (
            tx.draft_events(d.id).await?,
            tx.draft_versions(d.id)
                .await?
                .into_iter()
                .map(|v| (v.version, v.saved_by, v.saved_at))
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ReportDraftView {
        id: d.id,
        title: d.text.title.clone(),
        state: d.progress.state,
        state_label: d.progress.state.label().to_string(),
        circuit: circuit.name,
        steps,
        author: d.author,
        direction,
        sitting_id: d.sitting,
        sitting_date: sitting.map(|s| s.date),
        deadline,
        late,
        matter: d.matter,
        text: d.text,
        version: d.version,
        report_id: d.report,
        position,
        history,
        versions,
    })
}
