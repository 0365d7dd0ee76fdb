//! A report before the sitting: the draft written by a direction (projet de rapport), the
//! validation circuit it goes through (service, direction, pôle, finances, legal,
//! assemblies service…), and the states of its life up to the agenda. Every transition is
//! decided here; the application stores what these functions return.

use crate::account::StaffRole;
use crate::error::{DomainError, Errors, FieldError};
use serde::{Deserialize, Serialize};

/// Who validates a step: anyone holding a role, or one named account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Validator {
    Role(StaffRole),
    /// An account's login.
    Account(String),
}

impl Validator {
    /// "role=finances" or "compte=jdupont", as typed on the command line.
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let input = input.trim();
        match input.split_once('=') {
            Some(("role" | "rôle", code)) => {
                let role = StaffRole::parse_account_role(code).map_err(|e| match e {
                    DomainError::Invalid(mut list) if !list.is_empty() => {
                        list.swap_remove(0).within(field)
                    }
                    other => FieldError::new(field, other.to_string()),
                })?;
                Ok(Validator::Role(role))
            }
            Some(("compte", login)) if !login.trim().is_empty() => {
                Ok(Validator::Account(login.trim().to_string()))
            }
            _ => Err(FieldError::new(
                field,
                format!(
                    "Valideur : « {input} » n'est pas reconnu (role=finances ou compte=identifiant)."
                ),
            )),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Validator::Role(r) => r.label().to_string(),
            Validator::Account(login) => format!("compte {login}"),
        }
    }

    /// Whether an account (its login and role) may act for this step. An administrator
    /// may do everything staff may do, validations included.
    pub fn admits(&self, login: &str, role: StaffRole) -> bool {
        role == StaffRole::Administrator
            || match self {
                Validator::Role(r) => *r == role,
                Validator::Account(l) => l == login,
            }
    }
}

/// What a step checks, hence what a later change invalidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Covers {
    /// The exposé and the draft deliberation.
    Text,
    /// The budget imputation (finances).
    Budget,
    /// Everything.
    All,
}

impl Covers {
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        match input.trim() {
            "texte" => Ok(Covers::Text),
            "budget" => Ok(Covers::Budget),
            "" | "tout" => Ok(Covers::All),
            other => Err(FieldError::new(
                field,
                format!("Portée : « {other} » n'est pas reconnue (texte, budget ou tout)."),
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Covers::Text => "texte",
            Covers::Budget => "budget",
            Covers::All => "tout",
        }
    }

    fn touched_by(self, change: Change) -> bool {
        match self {
            Covers::All => change.text || change.budget,
            Covers::Text => change.text,
            Covers::Budget => change.budget,
        }
    }
}

/// One step of a circuit. Steps sharing a stage run in parallel: the next stage opens when
/// all of them have validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub stage: u32,
    pub label: String,
    pub validator: Validator,
    pub covers: Covers,
}

impl Step {
    /// "2:Finances:role=finances:budget" (the scope is optional: everything).
    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let parts: Vec<&str> = input.split(':').map(str::trim).collect();
        let (stage, label, validator, covers) = match parts.as_slice() {
            [s, l, v] => (*s, *l, *v, ""),
            [s, l, v, c] => (*s, *l, *v, *c),
            _ => {
                return Err(FieldError::new(
                    field,
                    format!(
                        "Étape : « {} » ne suit pas la forme rang:libellé:valideur[:portée] (ex. 2:Finances:role=finances:budget).",
                        input.trim()
                    ),
                ));
            }
        };
        let stage = stage
            .parse::<u32>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                FieldError::new(
                    field,
                    format!("Étape : le rang « {stage} » doit être un entier à partir de 1."),
                )
            })?;
        Ok(Step {
            stage,
            label: label.to_string(),
            validator: Validator::parse(field, validator)?,
            covers: Covers::parse(field, covers)?,
        })
    }
}

/// A validation circuit, configured per report type or direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Circuit {
    pub name: String,
    pub steps: Vec<Step>,
}

/// The most steps a circuit may have: more is a configuration error, not a circuit.
pub const MAX_STEPS: usize = 30;

impl Circuit {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.name.trim().is_empty() {
            errors.push(FieldError::new(
                "nom",
                "Nom : le circuit doit avoir un nom.",
            ));
        }
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            errors.push(FieldError::new(
                "etapes",
                format!("Étapes : un circuit a de 1 à {MAX_STEPS} étapes."),
            ));
        }
        for (i, step) in self.steps.iter().enumerate() {
            if step.label.trim().is_empty() {
                errors.push(FieldError::new(
                    format!("etapes.{i}"),
                    format!("Étape {} : son libellé est obligatoire.", i + 1),
                ));
            }
        }
        let stages = self.stages();
        if stages.iter().enumerate().any(|(i, s)| *s as usize != i + 1) {
            errors.push(FieldError::new(
                "etapes",
                format!(
                    "Étapes : les rangs doivent se suivre à partir de 1 (rangs donnés : {}).",
                    stages
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        errors.into_result()
    }

    /// The distinct stages, in order.
    pub fn stages(&self) -> Vec<u32> {
        let mut s: Vec<u32> = self.steps.iter().map(|s| s.stage).collect();
        s.sort_unstable();
        s.dedup();
        s
    }

    /// The stage waiting for validations (the lowest with a step not validated), or None
    /// when every step has validated.
    pub fn current_stage(&self, validated: &[usize]) -> Option<u32> {
        self.steps
            .iter()
            .enumerate()
            .filter(|(i, _)| !validated.contains(i))
            .map(|(_, s)| s.stage)
            .min()
    }

    /// The steps of the current stage not yet validated (their indexes).
    pub fn pending(&self, validated: &[usize]) -> Vec<usize> {
        let Some(stage) = self.current_stage(validated) else {
            return Vec::new();
        };
        self.steps
            .iter()
            .enumerate()
            .filter(|(i, s)| s.stage == stage && !validated.contains(i))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Where a report stands before (and at) its sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Written by its direction, not yet submitted.
    Draft,
    /// Going through its circuit.
    InCircuit,
    /// Sent back to its author by a step, with a reason.
    SentBack,
    /// Every step validated: may go on an agenda.
    Ready,
    /// On a sitting's agenda.
    OnAgenda,
    /// Withdrawn by its direction or the assemblies service.
    Withdrawn,
}

impl ReportState {
    pub const ALL: [ReportState; 6] = [
        ReportState::Draft,
        ReportState::InCircuit,
        ReportState::SentBack,
        ReportState::Ready,
        ReportState::OnAgenda,
        ReportState::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportState::Draft => "brouillon",
            ReportState::InCircuit => "en_circuit",
            ReportState::SentBack => "renvoye",
            ReportState::Ready => "pret",
            ReportState::OnAgenda => "inscrit",
            ReportState::Withdrawn => "retire",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportState::Draft => "Brouillon",
            ReportState::InCircuit => "En circuit de validation",
            ReportState::SentBack => "Renvoyé à son auteur",
            ReportState::Ready => "Prêt à inscrire",
            ReportState::OnAgenda => "Inscrit à l'ordre du jour",
            ReportState::Withdrawn => "Retiré",
        }
    }

    /// Whether the text may still change through the report's own form (on the agenda,
    /// the draft deliberation is edited on the item).
    pub fn editable(self) -> bool {
        matches!(
            self,
            ReportState::Draft
                | ReportState::SentBack
                | ReportState::InCircuit
                | ReportState::Ready
        )
    }
}

/// What a report carries through its circuit: the exposé, the draft deliberation and the
/// budget imputation that finances checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportText {
    pub title: String,
    /// The exposé of the President's report, one paragraph per line.
    pub expose: String,
    pub visas: Vec<String>,
    pub considerations: Vec<String>,
    pub articles: Vec<String>,
    /// The budget imputation ("Sous-fonction 91 – Article 65738 – 120 000,00 €"), one line
    /// per imputation.
    pub budget: Vec<String>,
}

/// Which parts of a report a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Change {
    pub text: bool,
    pub budget: bool,
}

impl ReportText {
    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(
                "titre",
                "Titre : le rapport doit avoir un titre.",
            ));
        }
        for (field, lines) in [
            ("visas", &self.visas),
            ("considerants", &self.considerations),
            ("articles", &self.articles),
            ("budget", &self.budget),
        ] {
            if lines.iter().any(|l| l.trim().is_empty()) {
                errors.push(FieldError::new(
                    field,
                    format!(
                        "{} : une ligne est vide ; retirez-la.",
                        crate::french::field_label(field)
                    ),
                ));
            }
        }
        errors.into_result()
    }

    /// What must be there before the circuit starts: an exposé and at least one article.
    pub fn check_complete(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if self.expose.trim().is_empty() {
            errors.push(FieldError::new(
                "expose",
                "Exposé : le rapport doit exposer l'affaire avant d'être soumis.",
            ));
        }
        if self.articles.is_empty() {
            errors.push(FieldError::new(
                "articles",
                "Articles : le projet de délibération doit avoir au moins un article avant d'être soumis.",
            ));
        }
        errors.into_result()
    }

    /// Which parts differ from `earlier`.
    pub fn change_from(&self, earlier: &ReportText) -> Change {
        Change {
            text: self.title != earlier.title
                || self.expose != earlier.expose
                || self.visas != earlier.visas
                || self.considerations != earlier.considerations
                || self.articles != earlier.articles,
            budget: self.budget != earlier.budget,
        }
    }

    /// The report as lines, to compare two versions.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!("Titre : {}", self.title)];
        out.extend(self.expose.lines().map(|l| format!("Exposé : {l}")));
        out.extend(self.visas.iter().map(|l| format!("Visa : {l}")));
        out.extend(
            self.considerations
                .iter()
                .map(|l| format!("Considérant : {l}")),
        );
        out.extend(
            self.articles
                .iter()
                .enumerate()
                .map(|(i, l)| format!("Article {} : {l}", i + 1)),
        );
        out.extend(self.budget.iter().map(|l| format!("Budget : {l}")));
        out
    }
}

/// A report's circuit progress: its state and the steps validated so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub state: ReportState,
    /// Indexes of the circuit's validated steps.
    pub validated: Vec<usize>,
}

/// What a transition decided, to be journaled as the report's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub progress: Progress,
    /// The steps whose validation a change cancelled (labels), for the message and history.
    pub invalidated: Vec<String>,
}

fn refuse_state(action: &str, state: ReportState) -> DomainError {
    DomainError::rule(format!(
        "Rapport : impossible de {action} un rapport dans l'état « {} ».",
        state.label().to_lowercase()
    ))
}

/// Submits a draft (or a report sent back) to the first stage of its circuit.
pub fn submit(progress: &Progress, text: &ReportText) -> Result<Progress, DomainError> {
    if !matches!(progress.state, ReportState::Draft | ReportState::SentBack) {
        return Err(refuse_state("soumettre", progress.state));
    }
    text.check_complete()?;
    Ok(Progress {
        state: ReportState::InCircuit,
        validated: Vec::new(),
    })
}

/// The step of the current stage that `login` (with `role`) may act for: the one named
/// by `label` when given, else the only one they are admitted to.
pub fn step_for(
    circuit: &Circuit,
    progress: &Progress,
    login: &str,
    role: StaffRole,
    label: Option<&str>,
) -> Result<usize, DomainError> {
    if progress.state != ReportState::InCircuit {
        return Err(refuse_state("valider ou renvoyer", progress.state));
    }
    let pending = circuit.pending(&progress.validated);
    let mine: Vec<usize> = pending
        .iter()
        .copied()
        .filter(|&i| circuit.steps[i].validator.admits(login, role))
        .filter(|&i| {
            label.is_none_or(|l| {
                crate::french::fold(l) == crate::french::fold(&circuit.steps[i].label)
            })
        })
        .collect();
    let waiting = || {
        pending
            .iter()
            .map(|&i| {
                let s = &circuit.steps[i];
                format!("{} ({})", s.label, s.validator.label())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match mine.as_slice() {
        [one] => Ok(*one),
        [] => Err(DomainError::rule(format!(
            "Circuit : le rapport attend la validation de {} ; ce compte n'en fait pas partie.",
            waiting()
        ))),
        _ => Err(DomainError::field(
            "etape",
            format!(
                "Étape : ce compte peut valider plusieurs étapes en attente ({}) ; précisez laquelle.",
                waiting()
            ),
        )),
    }
}

/// A step validates; when it was the last, the report is ready for an agenda.
pub fn validate_step(
    circuit: &Circuit,
    progress: &Progress,
    step: usize,
) -> Result<Progress, DomainError> {
    if progress.state != ReportState::InCircuit {
        return Err(refuse_state("valider", progress.state));
    }
    if !circuit.pending(&progress.validated).contains(&step) {
        return Err(DomainError::rule(
            "Circuit : cette étape n'attend pas de validation.",
        ));
    }
    let mut validated = progress.validated.clone();
    validated.push(step);
    validated.sort_unstable();
    let state = if circuit.current_stage(&validated).is_none() {
        ReportState::Ready
    } else {
        ReportState::InCircuit
    };
    Ok(Progress { state, validated })
}

/// A step sends the report back to its author, with a reason: every validation falls and
/// the report will go through the whole circuit again once resubmitted.
pub fn send_back(progress: &Progress, reason: &str) -> Result<Progress, DomainError> {
    if progress.state != ReportState::InCircuit {
        return Err(refuse_state("renvoyer", progress.state));
    }
    if reason.trim().is_empty() {
        return Err(DomainError::field(
            "motif",
            "Motif : dites à l'auteur ce qui doit changer.",
        ));
    }
    Ok(Progress {
        state: ReportState::SentBack,
        validated: Vec::new(),
    })
}

/// The report's text changes: the validations of the steps that checked what changed
/// fall, with those of every later stage (they validated on the earlier text), and a
/// ready report goes back into its circuit.
pub fn edit(
    circuit: &Circuit,
    progress: &Progress,
    before: &ReportText,
    after: &ReportText,
) -> Result<Outcome, DomainError> {
    if !progress.state.editable() {
        return Err(refuse_state("modifier", progress.state));
    }
    after.validate()?;
    let change = after.change_from(before);
    let first_touched = progress
        .validated
        .iter()
        .filter(|&&i| circuit.steps[i].covers.touched_by(change))
        .map(|&i| circuit.steps[i].stage)
        .min();
    let Some(from_stage) = first_touched else {
        return Ok(Outcome {
            progress: progress.clone(),
            invalidated: Vec::new(),
        });
    };
    let (kept, dropped): (Vec<usize>, Vec<usize>) = progress
        .validated
        .iter()
        .partition(|&&i| circuit.steps[i].stage < from_stage);
    Ok(Outcome {
        progress: Progress {
            state: ReportState::InCircuit,
            validated: kept,
        },
        invalidated: dropped
            .iter()
            .map(|&i| circuit.steps[i].label.clone())
            .collect(),
    })
}

/// A ready report goes on a sitting's agenda.
pub fn place_on_agenda(progress: &Progress) -> Result<Progress, DomainError> {
    if progress.state != ReportState::Ready {
        return Err(DomainError::rule(format!(
            "Ordre du jour : seul un rapport validé par tout son circuit s'inscrit ; celui-ci est « {} ».",
            progress.state.label().to_lowercase()
        )));
    }
    Ok(Progress {
        state: ReportState::OnAgenda,
        validated: progress.validated.clone(),
    })
}

/// A report is withdrawn before it reaches an agenda.
pub fn withdraw(progress: &Progress, reason: &str) -> Result<Progress, DomainError> {
    if matches!(
        progress.state,
        ReportState::OnAgenda | ReportState::Withdrawn
    ) {
        return Err(refuse_state("retirer", progress.state));
    }
    if reason.trim().is_empty() {
        return Err(DomainError::field(
            "motif",
            "Motif : dites pourquoi le rapport est retiré.",
        ));
    }
    Ok(Progress {
        state: ReportState::Withdrawn,
        validated: progress.validated.clone(),
    })
}

/// One line of a comparison between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", content = "line", rename_all = "snake_case")]
pub enum LineChange {
    Same(String),
    Removed(String),
    Added(String),
}

/// Compares two texts line by line (longest common subsequence), as a reader wants to
/// see what changed between two versions of a report.
pub fn compare(before: &[String], after: &[String]) -> Vec<LineChange> {
    let (n, m) = (before.len(), after.len());
    // Reports are a few hundred lines at most; past this the table would be too large and
    // the comparison falls back to "all removed, all added".
    if n.saturating_mul(m) > 4_000_000 {
        let mut out: Vec<LineChange> = before.iter().cloned().map(LineChange::Removed).collect();
        out.extend(after.iter().cloned().map(LineChange::Added));
        return out;
    }
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if before[i] == after[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < n && j < m {
        if before[i] == after[j] {
            out.push(LineChange::Same(before[i].clone()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(LineChange::Removed(before[i].clone()));
            i += 1;
        } else {
            out.push(LineChange::Added(after[j].clone()));
            j += 1;
        }
    }
    out.extend(before[i..].iter().cloned().map(LineChange::Removed));
    out.extend(after[j..].iter().cloned().map(LineChange::Added));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three_steps() -> Circuit {
        Circuit {
            name: "Subventions".into(),
            steps: vec![
                Step::parse("e", "1:Direction:role=instructeur:texte")
                    .unwrap_or_else(|e| panic!("{e}")),
                Step::parse("e", "2:Finances:role=finances:budget")
                    .unwrap_or_else(|e| panic!("{e}")),
                Step::parse("e", "3:Assemblées:role=assemblees").unwrap_or_else(|e| panic!("{e}")),
            ],
        }
    }

    fn text() -> ReportText {
        ReportText {
            title: "Participation à la CMA".into(),
            expose: "La CMA accompagne les artisans.".into(),
            articles: vec!["D'attribuer 120 000 €.".into()],
            budget: vec!["6574 – 120 000 €".into()],
            ..ReportText::default()
        }
    }

    #[test]
    fn steps_and_circuits_are_read_and_checked() {
        let table = [
            ("1:Direction:role=instructeur", true),
            ("2:Finances:role=finances:budget", true),
            ("1:Juridique:compte=jdupont:texte", true),
            ("0:Direction:role=instructeur", false),
            ("1:Direction", false),
            ("1:Direction:role=maire", false),
            ("1:Direction:compte=", false),
            ("1:Direction:role=finances:tout:plus", false),
            ("x:Direction:role=finances", false),
        ];
        for (input, ok) in table {
            assert_eq!(Step::parse("etape", input).is_ok(), ok, "{input}");
        }
        assert!(three_steps().validate().is_ok());
        let mut gap = three_steps();
        gap.steps[2].stage = 4;
        assert!(gap.validate().is_err());
        let empty = Circuit {
            name: " ".into(),
            steps: vec![],
        };
        assert!(matches!(empty.validate(), Err(DomainError::Invalid(l)) if l.len() == 2));
    }

    #[test]
    fn a_report_goes_through_its_circuit_is_sent_back_and_goes_again() {
        let c = three_steps();
        let draft = Progress {
            state: ReportState::Draft,
            validated: vec![],
        };
        let p = submit(&draft, &text()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.pending(&p.validated), vec![0]);
        // Finances may not validate before the direction.
        assert!(step_for(&c, &p, "f", StaffRole::Finance, None).is_err());
        let s =
            step_for(&c, &p, "d", StaffRole::Instructor, None).unwrap_or_else(|e| panic!("{e}"));
        let p = validate_step(&c, &p, s).unwrap_or_else(|e| panic!("{e}"));
        let s = step_for(&c, &p, "f", StaffRole::Finance, None).unwrap_or_else(|e| panic!("{e}"));
        assert!(send_back(&p, " ").is_err());
        let back = send_back(&p, "Imputation à revoir").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            back,
            Progress {
                state: ReportState::SentBack,
                validated: vec![]
            }
        );
        assert!(validate_step(&c, &back, s).is_err());
        let mut p = submit(&back, &text()).unwrap_or_else(|e| panic!("{e}"));
        for role in [
            StaffRole::Instructor,
            StaffRole::Finance,
            StaffRole::AssembliesService,
        ] {
            let s = step_for(&c, &p, "x", role, None).unwrap_or_else(|e| panic!("{e}"));
            p = validate_step(&c, &p, s).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(p.state, ReportState::Ready);
        assert_eq!(
            place_on_agenda(&p).map(|p| p.state),
            Ok(ReportState::OnAgenda)
        );
        assert!(place_on_agenda(&draft).is_err());
    }

    #[test]
    fn a_change_invalidates_the_steps_that_checked_it_and_those_after() {
        let c = three_steps();
        let ready = Progress {
            state: ReportState::Ready,
            validated: vec![0, 1, 2],
        };
        let same = edit(&c, &ready, &text(), &text()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(same.progress, ready);
        let mut budget = text();
        budget.budget = vec!["6574 – 100 000 €".into()];
        let o = edit(&c, &ready, &text(), &budget).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            o.progress,
            Progress {
                state: ReportState::InCircuit,
                validated: vec![0]
            }
        );
        assert_eq!(
            o.invalidated,
            vec!["Finances".to_string(), "Assemblées".to_string()]
        );
        let mut wording = text();
        wording.expose.push_str(" Et les apprentis.");
        let o = edit(&c, &ready, &text(), &wording).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.progress.validated, Vec::<usize>::new());
        let on_agenda = Progress {
            state: ReportState::OnAgenda,
            validated: vec![0, 1, 2],
        };
        assert!(edit(&c, &on_agenda, &text(), &wording).is_err());
    }

    #[test]
    fn parallel_steps_open_the_next_stage_together() {
        let c = Circuit {
            name: "Parallèle".into(),
            steps: vec![
                Step::parse("e", "1:Finances:role=finances").unwrap_or_else(|e| panic!("{e}")),
                Step::parse("e", "1:Juridique:compte=jurist").unwrap_or_else(|e| panic!("{e}")),
                Step::parse("e", "2:Assemblées:role=assemblees").unwrap_or_else(|e| panic!("{e}")),
            ],
        };
        let p = Progress {
            state: ReportState::InCircuit,
            validated: vec![],
        };
        assert_eq!(c.pending(&p.validated), vec![0, 1]);
        let p = validate_step(&c, &p, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.pending(&p.validated), vec![0]);
        assert!(validate_step(&c, &p, 2).is_err());
        // An administrator admitted to both parallel steps must say which.
        let q = Progress {
            state: ReportState::InCircuit,
            validated: vec![],
        };
        assert!(step_for(&c, &q, "admin", StaffRole::Administrator, None).is_err());
        assert_eq!(
            step_for(&c, &q, "admin", StaffRole::Administrator, Some("juridique")),
            Ok(1)
        );
    }

    #[test]
    fn versions_compare_line_by_line() {
        let a: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let b: Vec<String> = ["a", "x", "c", "d"].map(String::from).to_vec();
        assert_eq!(
            compare(&a, &b),
            vec![
                LineChange::Same("a".into()),
                LineChange::Removed("b".into()),
                LineChange::Added("x".into()),
                LineChange::Same("c".into()),
                LineChange::Added("d".into()),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn a_comparison_rebuilds_both_versions(
            a in proptest::collection::vec("[abc]", 0..12),
            b in proptest::collection::vec("[abc]", 0..12),
        ) {
            let diff = compare(&a, &b);
            let before: Vec<String> = diff.iter().filter_map(|c| match c {
                LineChange::Same(l) | LineChange::Removed(l) => Some(l.clone()),
                LineChange::Added(_) => None,
            }).collect();
            let after: Vec<String> = diff.iter().filter_map(|c| match c {
                LineChange::Same(l) | LineChange::Added(l) => Some(l.clone()),
                LineChange::Removed(_) => None,
            }).collect();
            proptest::prop_assert_eq!(before, a);
            proptest::prop_assert_eq!(after, b);
        }
    }
}
