//! What the commands print: French text of the views, `--json` output, progress bars,
//! and the files exports write.

use acta_app::AppError;
use acta_app::views::{ConventionView, DeliberationView, SittingView, VoteView};
use acta_domain::french::format_date_long;
use acta_domain::journal::JournalEntry;
use acta_domain::sitting::AttendanceStatus;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;

/// What a command that creates something prints: `{"id": N}` with `--json`, else the
/// French sentence.
/// A list for the terminal: all of it as JSON, or `none` when it is empty, or each item
/// as `item` prints it.
pub fn print_list<T: serde::Serialize>(
    json: bool,
    list: &[T],
    none: &str,
    item: impl FnMut(&T),
) -> Result<(), AppError> {
    if json {
        return print_json(&list);
    }
    if list.is_empty() {
        println!("{none}");
    }
    list.iter().for_each(item);
    Ok(())
}

pub fn print_created(
    json: bool,
    id: impl serde::Serialize,
    sentence: &str,
) -> Result<(), AppError> {
    if json {
        print_json(&serde_json::json!({ "id": id }))
    } else {
        println!("{sentence}");
        Ok(())
    }
}

/// A progress bar on standard error, hidden when it is not a terminal.
pub fn progress(total: i64, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(u64::try_from(total).unwrap_or(0));
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

fn vote_line(v: &VoteView) -> String {
    let groups = |list: &[String]| {
        if list.is_empty() {
            String::new()
        } else {
            format!(" ({})", list.join(" ; "))
        }
    };
    let mut line = format!(
        "Pour : {} voix{}\nContre : {} voix{}\nAbstention : {} voix{}",
        v.for_,
        groups(&v.groups_for),
        v.against,
        groups(&v.groups_against),
        v.abstention,
        groups(&v.groups_abstention)
    );
    if v.not_participating > 0 {
        line.push_str(&format!(
            "\nNe prend pas part au vote : {}",
            v.not_participating
        ));
    }
    line.push_str(&format!("\n({})", v.outcome_label));
    line
}

/// The presidency, the secretary, the roll call by status and the proxies.
fn attendance(
    president: Option<&str>,
    secretary: Option<&str>,
    attendance: &acta_app::views::AttendanceView,
) {
    if let Some(p) = president {
        println!("Présidence : {p}");
    }
    if let Some(s) = secretary {
        println!("Secrétaire : {s}");
    }
    println!();
    for status in AttendanceStatus::ALL {
        let list = attendance.list(status);
        if !list.is_empty() {
            println!(
                "{} ({}) : {}.",
                status.heading(),
                list.len(),
                list.join(", ")
            );
        }
    }
    for p in &attendance.proxies {
        println!("{} a donné pouvoir à {}.", p.giver, p.holder);
    }
}

fn heading(view: &DeliberationView) -> String {
    format!(
        "DÉLIBÉRATION N°{} — {} du {}",
        view.number.as_deref().unwrap_or("(non numérotée)"),
        view.body.name,
        format_date_long(view.sitting_date)
    )
}

/// The few lines `acta demo` ends with.
pub fn deliberation_summary(view: &DeliberationView) {
    println!("{}", heading(view));
    println!("{}", view.title);
    for row in &view.budget {
        println!(
            "Opération {} — imputation {} — {} : CP {} / disponible {} / proposition {} / solde {}",
            row.operation_code,
            row.imputation,
            row.label,
            row.voted.text,
            row.available.text,
            row.proposed.text,
            row.balance.text
        );
    }
    for a in &view.awards {
        println!(
            "Bénéficiaire : {} (SIRET {}) — {}",
            a.beneficiary.name,
            a.beneficiary.siret_grouped.as_deref().unwrap_or("—"),
            a.amount.text
        );
    }
    if let Some(v) = &view.vote {
        println!("{}", vote_line(v).replace('\n', " — "));
    }
    if let Some(t) = &view.transmission {
        println!("{}", t.text);
    }
    println!("{}", view.enforceability.texte);
}

pub fn deliberation(view: &DeliberationView) {
    if let Some(c) = &view.collectivity {
        println!("{}", c.to_uppercase());
    }
    println!("{}", heading(view));
    attendance(
        view.president.as_deref(),
        view.secretary.as_deref(),
        &view.attendance,
    );
    println!();
    println!("{}", view.title);
    if let Some(m) = &view.matter {
        println!("Matière : {} {}", m.code, m.label.as_deref().unwrap_or(""));
    }
    println!();
    for v in &view.visas {
        println!("{v}");
    }
    for c in &view.considerations {
        println!("{c}");
    }
    println!("\nAprès en avoir délibéré,\nDÉCIDE :\n");
    for a in &view.articles {
        println!("Article {} :", a.number);
        for line in &a.text {
            println!("{line}");
        }
        if a.budget_table {
            for row in &view.budget {
                println!(
                    "  {} | {} | {} | CP € {} | Dépense € {}",
                    row.operation_code,
                    row.imputation,
                    row.label,
                    row.voted.figure,
                    row.proposed.figure
                );
            }
        }
        println!();
    }
    if let Some(v) = &view.vote {
        println!(
            "Dans les conditions de vote ci-dessous :\n{}\n",
            vote_line(v)
        );
    }
    for a in &view.awards {
        println!(
            "Bénéficiaire : {} — SIRET {} — {} ({} {})",
            a.beneficiary.name,
            a.beneficiary.siret_grouped.as_deref().unwrap_or("—"),
            a.amount.text,
            a.kind_label(),
            a.year
        );
    }
    println!("{}, le {}", view.place, format_date_long(view.date));
    for s in &view.signatories {
        let mut block = Vec::new();
        if let Some(b) = &s.on_behalf_of {
            block.push(b.clone());
        }
        block.push(s.capacity.clone());
        if s.signed {
            block.push("Signé".to_string());
        }
        block.push(s.name.clone());
        println!("  {}", block.join(" / "));
    }
    if let Some(t) = &view.transmission {
        println!("\n{}", t.text);
    }
    if let Some(p) = &view.publication {
        println!("{}", p.mentions.join(" — "));
        if let Some(w) = &p.retrait {
            println!("{w}");
        }
    }
    println!("{}", view.enforceability.texte);
    if let Some(a) = &view.archiving {
        println!("{}", a.texte);
    }
    for a in &view.awards {
        if let Some(n) = &a.notification.notification {
            println!("Attribution n°{} ({}) : {n}.", a.id, a.beneficiary.name);
        }
    }
}

trait AwardLabel {
    fn kind_label(&self) -> &'static str;
}

impl AwardLabel for acta_app::views::AwardView {
    fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

pub fn sitting(view: &SittingView) {
    println!(
        "{} — réunion du {}{}{}",
        view.body.name,
        format_date_long(view.date),
        view.time
            .as_deref()
            .map(|t| format!(" à {t}"))
            .unwrap_or_default(),
        view.place
            .as_deref()
            .map(|p| format!(", {p}"))
            .unwrap_or_default()
    );
    attendance(
        view.president.as_deref(),
        view.secretary.as_deref(),
        &view.attendance,
    );
    println!("\nOrdre du jour :");
    for item in &view.agenda {
        println!(
            "  {}. Rapport N°{} — {}{}",
            item.position,
            item.report_number,
            item.title,
            match (&item.deliberation_number, item.outcome) {
                (Some(n), Some(o)) => format!(" — délibération N°{n} ({})", o.label()),
                (Some(n), None) => format!(" — délibération N°{n}"),
                _ => String::new(),
            }
        );
        if let Some(v) = &item.vote {
            println!("     Quorum : {}", v.quorum);
            if v.mode != "take_note" {
                println!(
                    "     Vote : pour {}, contre {}, abstention {}, ne prend pas part {}",
                    v.for_, v.against, v.abstention, v.not_participating
                );
            }
            println!("     {}", v.decision);
            for f in &v.flags {
                println!("     Alerte : {f}");
            }
            for n in &v.notes {
                println!("     Remarque : {n}");
            }
        }
    }
}

pub fn convention(view: &ConventionView) {
    println!("{}", view.subject);
    println!(
        "État : {}{}",
        view.status_label,
        view.signed_on
            .map(|d| format!(", signée le {}", format_date_long(d)))
            .unwrap_or_default()
    );
    if let Some(n) = &view.deliberation_number {
        println!("Approuvée par la délibération N°{n}");
    }
    println!(
        "Bénéficiaire : {} — SIRET {} — {}",
        view.beneficiary.name,
        view.beneficiary.siret_grouped.as_deref().unwrap_or("—"),
        view.beneficiary_address
    );
    if let Some(r) = &view.beneficiary_representative {
        println!("Représenté(e) par {}, {}", r.name, r.capacity);
    }
    println!("Pour le Département : {}", view.department_representative);
    println!("Montant : {}", view.amount.text);
    println!("Échéancier :");
    for t in &view.schedule {
        println!(
            "  {}. {}{} {}",
            t.position,
            t.label
                .as_deref()
                .map(|l| format!("{l} : "))
                .unwrap_or_default(),
            t.amount.text,
            t.trigger
        );
    }
    if let Some(a) = &view.bank_account {
        println!(
            "Compte : {} — {} — IBAN {}{}",
            a.holder,
            a.bank_name,
            a.iban,
            a.rib
                .as_deref()
                .map(|r| format!(" (RIB n°{r})"))
                .unwrap_or_default()
        );
    }
    println!(
        "Durée : année {} ; tacite reconduction : {} ; litiges : {}",
        view.year,
        if view.tacit_renewal { "oui" } else { "non" },
        view.court
    );
    println!("Cas de remboursement : {}", view.reimbursement_cases.len());
}

pub fn journal(entries: &[JournalEntry]) {
    for e in entries {
        println!(
            "n°{} {} {} : {} {} n°{}",
            e.seq, e.at, e.actor, e.action, e.entity, e.entity_id
        );
    }
}

/// A record's history: each entry, and what it changed field by field.
pub fn record_history(entries: &[JournalEntry]) {
    for e in entries {
        println!("n°{} {} {} : {}", e.seq, e.at, e.actor, e.action);
        match (&e.diff, &e.before, &e.after) {
            (Some(diff), _, _) => {
                let changes: serde_json::Value =
                    serde_json::from_str(diff).unwrap_or(serde_json::Value::Null);
                let Some(changes) = changes.as_object() else {
                    println!("  (changement illisible)");
                    continue;
                };
                if changes.is_empty() {
                    println!("  aucun champ changé");
                }
                for (pointer, sides) in changes {
                    let side = |name: &str| {
                        sides
                            .get(name)
                            .map_or_else(|| "(absent)".to_string(), |v| v.to_string())
                    };
                    let field = pointer.trim_start_matches('/').replace('/', ".");
                    println!("  {field} : {} → {}", side("avant"), side("apres"));
                }
            }
            (None, None, Some(_)) => println!("  créé"),
            (None, Some(_), None) => println!("  supprimé"),
            _ => {}
        }
    }
}

pub fn item(r: &acta_app::sittings::ItemReport) {
    let e = &r.evaluation;
    println!(
        "Point {} — Rapport N°{} — {}{}",
        r.position,
        r.report_number,
        r.title,
        if r.closed { " (clos)" } else { "" }
    );
    println!(
        "Présence au point {} : {} présent(s), {} représenté(s), {} absent(s) ou excusé(s), {} en exercice",
        e.presence.position,
        r.present.len(),
        r.represented.len(),
        r.absent.len(),
        e.presence.in_office
    );
    for (giver, holder) in &r.represented {
        println!("  {giver} représenté(e) par {holder}");
    }
    if !r.absent.is_empty() {
        println!("  Absents ou excusés : {}", r.absent.join(", "));
    }
    for note in &e.presence.notes {
        println!("  Remarque : {note}");
    }
    println!("Quorum : {}", e.quorum.explanation);
    if e.vote.is_some() {
        println!("Vote : {}", r.vote_line());
    }
    println!("Majorité : {}", e.decision.explanation);
    if r.closed {
        match &r.number {
            Some(n) => println!(
                "Résultat : {} — délibération N°{n}{}",
                e.decision.outcome.label(),
                r.actes_number
                    .as_deref()
                    .map(|a| format!(" (@ctes : {a})"))
                    .unwrap_or_default()
            ),
            None => println!("Résultat : {} (non numérotée)", e.decision.outcome.label()),
        }
    }
    if let Some(v) = &e.vote
        && !v.flags.is_empty()
    {
        println!("Alertes :");
        for f in &v.flags {
            println!("  - {f}");
        }
    }
}

/// Prints a value as pretty JSON: the `--json` mode of every command.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| AppError::File(format!("Sortie JSON impossible : {e}")))?;
    println!("{text}");
    Ok(())
}

/// A file, or standard output, buffered.
/// Where an export goes: standard output, or a file that appears only once complete — an
/// export that fails half-way leaves no half-written file behind.
/// Standard output that ends the command quietly, with status 0, when the reader has gone
/// (`acta export … | head`), as shell tools do on SIGPIPE: the export is not wanted any more.
struct QuitOnClosedPipe<W>(W);

impl<W: Write> QuitOnClosedPipe<W> {
    fn check<T>(result: std::io::Result<T>) -> std::io::Result<T> {
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            other => other,
        }
    }
}

impl<W: Write> Write for QuitOnClosedPipe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Self::check(self.0.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Self::check(self.0.flush())
    }
}

pub enum Output {
    Stdout,
    File {
        temp: tempfile::NamedTempFile,
        path: PathBuf,
    },
}

impl Output {
    pub fn open(out: &Option<PathBuf>) -> Result<Output, AppError> {
        let Some(path) = out else {
            return Ok(Output::Stdout);
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => std::path::Path::new("."),
        };
        let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
            let e = acta_domain::french::io_reason(&e);
            AppError::File(format!(
                "Écriture de « {} » impossible : {e}",
                path.display()
            ))
        })?;
        Ok(Output::File {
            temp,
            path: path.clone(),
        })
    }

    pub fn writer(&self) -> Result<Box<dyn Write>, AppError> {
        Ok(match self {
            Output::Stdout => Box::new(std::io::BufWriter::new(QuitOnClosedPipe(
                std::io::stdout().lock(),
            ))),
            Output::File { temp, path } => {
                Box::new(std::io::BufWriter::new(temp.reopen().map_err(|e| {
                    let e = acta_domain::french::io_reason(&e);
                    AppError::File(format!(
                        "Écriture de « {} » impossible : {e}",
                        path.display()
                    ))
                })?))
            }
        })
    }

    /// Writes a whole text at once.
    pub fn write_all(self, bytes: &[u8]) -> Result<(), AppError> {
        let mut w = self.writer()?;
        w.write_all(bytes).and_then(|()| w.flush()).map_err(|e| {
            AppError::File(format!(
                "Écriture impossible : {}",
                acta_domain::french::io_reason(&e)
            ))
        })?;
        drop(w);
        self.finish()
    }

    pub fn finish(self) -> Result<(), AppError> {
        if let Output::File { temp, path } = self {
            temp.persist(&path).map_err(|e| {
                let e = acta_domain::french::io_reason(&e.error);
                AppError::File(format!(
                    "Écriture de « {} » impossible : {e}",
                    path.display()
                ))
            })?;
        }
        Ok(())
    }
}
