//! Open data and the prefecture exchange: SCDL files, @ctes bundles and acknowledgements,
//! Akoma Ntoso, Popolo, and other collectivities' SCDL subsidies files.

use crate::{Acta, Actor, AppError, lookup};
use acta_docs::{DocumentsConfig, Format, Renderer};
use acta_domain::actes::{act_identifier, matter_levels, prefecture_id, scdl_matter_name};
use acta_domain::convention::ConventionStatus;
use acta_domain::french::{format_date_long, parse_date};
use acta_domain::grant::AwardStatus;
use acta_domain::identifiers::Siret;
use acta_domain::keys::SittingKey;
use acta_domain::ledger::CONVENTION_THRESHOLD;
use acta_domain::numbering::actes_number;
use acta_domain::vote::Outcome;
use acta_domain::{Amount, DomainError};
use acta_interop::scdl::{DeliberationRow, DeliberationsWriter, ScdlVote, SubsidyRow};
use acta_interop::{InteropError, actes, akn, popolo, scdl_import};
use acta_store::{ExternalSubsidy, Transmission};
use futures::StreamExt;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;

const SETTINGS_KEY: &str = "open_data";

impl From<InteropError> for AppError {
    fn from(e: InteropError) -> Self {
        AppError::File(e.to_string())
    }
}

/// The collectivity's settings for open data and @ctes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OpenDataSettings {
    /// BUDGET_NOM of deliberations with a budget impact.
    pub budget_name: String,
    /// Where the published PDFs are: DELIB_URL is this followed by "/deliberation-N.pdf".
    pub documents_url: String,
    /// The version date of the ACTES classification in use (actes:ClassificationDateVersion).
    pub classification_date: String,
    pub arrondissement: String,
    /// The collectivity's nature code in the @ctes envelope (to confirm with the prefecture).
    pub envelope_nature: String,
    pub referent_name: String,
    pub referent_phone: String,
    pub referent_email: String,
    pub return_email: String,
}

impl Default for OpenDataSettings {
    fn default() -> Self {
        OpenDataSettings {
            budget_name: "Budget principal".to_string(),
            documents_url: String::new(),
            classification_date: "2023-01-01".to_string(),
            arrondissement: "1".to_string(),
            envelope_nature: String::new(),
            referent_name: String::new(),
            referent_phone: String::new(),
            referent_email: String::new(),
            return_email: String::new(),
        }
    }
}

/// What an SCDL import read: the file's shape, then how many rows, grants and euros were
/// read, imported (with warnings or not) and refused, with each warning and refusal.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub encoding: &'static str,
    /// Set when the file mixes encodings: the lines read as Windows-1252.
    pub encoding_warning: Option<String>,
    pub delimiter: char,
    /// The version of the format its header is.
    pub format: &'static str,
    /// The SCDL columns the file does not have.
    pub missing_columns: Vec<&'static str>,
    pub rows: u64,
    pub imported: usize,
    /// Imported rows with at least one warning.
    pub imported_with_warnings: usize,
    /// The sum of the imported subsidies.
    pub amount: Amount,
    pub refused: usize,
    pub warnings: Vec<scdl_import::CellWarning>,
    pub errors: Vec<scdl_import::RowError>,
}

/// The collectivity's SIRET, which every SCDL file carries.
fn published_siret(c: &acta_domain::collectivity::Collectivity) -> Result<String, AppError> {
    c.siret.as_ref().map(|s| s.as_str().to_string()).ok_or_else(|| {
        AppError::conflict(
            "SIRET de la collectivité : il n'est pas renseigné ; les données ouvertes l'exigent (acta collectivity set-siret …).",
        )
    })
}

impl Acta {
    pub async fn open_data_settings(&self) -> Result<OpenDataSettings, AppError> {
        let mut tx = self.read().await?;
        match tx.setting(SETTINGS_KEY).await? {
            Some(v) => serde_json::from_value(v).map_err(|e| {
                AppError::File(format!("Paramètres de données ouvertes illisibles : {e}"))
            }),
            None => Ok(OpenDataSettings::default()),
        }
    }

    pub async fn set_open_data_settings(
        &self,
        actor: &Actor,
        s: &OpenDataSettings,
    ) -> Result<(), AppError> {
        parse_date("classification_date", &s.classification_date)?;
        let value = serde_json::to_value(s).map_err(|e| AppError::File(e.to_string()))?;
        let mut tx = self.write(actor).await?;
        tx.put_setting(SETTINGS_KEY, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the head office's SIRET of the collectivity (it must belong to its SIREN).
    pub async fn set_collectivity_siret(&self, actor: &Actor, siret: &str) -> Result<(), AppError> {
        let siret = Siret::parse("siret", siret)?;
        let mut tx = self.write(actor).await?;
        let mut c = lookup::collectivity(&mut tx).await?;
        c.siret = Some(siret);
        c.validate()?;
        tx.put_collectivity(&c).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Writes the SCDL deliberations file, streaming from the database.
    pub async fn export_scdl_deliberations(&self, out: impl Write) -> Result<u64, AppError> {
        let settings = self.open_data_settings().await?;
        let collectivity = lookup::collectivity(&mut self.read().await?).await?;
        let siret = published_siret(&collectivity)?;
        let mut writer = DeliberationsWriter::new(out)?;
        let mut stream = self.store().stream_deliberation_exports();
        // A register uses a few dozen matters: their SCDL names are built once each.
        let mut matter_names: HashMap<String, String> = HashMap::new();
        let mut url = String::new();
        while let Some(record) = stream.next().await {
            let r = record?;
            let Some(code) = r.matter_code.as_deref() else {
                return Err(AppError::conflict(format!(
                    "Délibération N°{} : sans matière ACTES, elle ne peut être publiée ; renseignez-la.",
                    r.number
                )));
            };
            if !matter_names.contains_key(code) {
                let name = scdl_matter_name(code).ok_or_else(|| {
                    AppError::conflict(format!(
                        "Délibération N°{} : matière « {code} » inconnue.",
                        r.number
                    ))
                })?;
                matter_names.insert(code.to_string(), name);
            }
            let matiere_nom = matter_names.get(code).map_or("", String::as_str);
            let voted = matches!(r.outcome.as_deref(), Some("adopted" | "rejected"));
            let count = |v: Option<i64>| u32::try_from(v.unwrap_or(0)).unwrap_or(0);
            let vote = voted.then(|| {
                let (pour, contre, abstention) = (
                    count(r.vote_for),
                    count(r.vote_against),
                    count(r.vote_abstention),
                );
                ScdlVote {
                    effectif: count(r.in_office).max(pour + contre + abstention),
                    pour,
                    contre,
                    abstention,
                }
            });
            url.clear();
            if !settings.documents_url.is_empty() {
                url.push_str(settings.documents_url.trim_end_matches('/'));
                url.push_str("/deliberation-");
                url.extend(r.number.chars().map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' {
                        c
                    } else {
                        '-'
                    }
                }));
                url.push_str(".pdf");
            }
            writer.write(&DeliberationRow {
                coll_nom: &collectivity.name,
                coll_siret: &siret,
                delib_id: &r.number,
                delib_date: &r.date,
                matiere_code: code,
                matiere_nom,
                objet: &r.title,
                budget: r.budget_year.map(|y| (y, settings.budget_name.as_str())),
                prefecture: r.prefecture_id.as_deref().zip(r.received_on.as_deref()),
                vote,
                url: &url,
            })?;
        }
        Ok(writer.finish()?)
    }

    /// The SCDL subsidies rows: awards above 23 000 € a year with a signed convention.
    pub async fn scdl_subsidies(&self) -> Result<Vec<SubsidyRow>, AppError> {
        let mut tx = self.read().await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        let siret = published_siret(&collectivity)?;
        let mut rows = Vec::new();
        for id in tx.convention_ids().await? {
            let Some(c) = tx.convention(id).await? else {
                continue;
            };
            let Some(signed_on) = c.signed_on else {
                continue;
            };
            if c.status == ConventionStatus::Draft {
                continue;
            }
            let Some(award) = tx.award(c.award).await? else {
                continue;
            };
            if award.status != AwardStatus::Adopted {
                continue;
            }
            let annual = Amount::checked_sum(
                tx.awards_of_beneficiary(award.beneficiary)
                    .await?
                    .into_iter()
                    .filter(|a| a.year == award.year && a.status == AwardStatus::Adopted)
                    .map(|a| a.amount),
            )
            .unwrap_or(Amount::ZERO);
            if annual <= CONVENTION_THRESHOLD {
                continue;
            }
            let Some(d) = tx.deliberation(c.deliberation).await? else {
                continue;
            };
            let Some(b) = tx.beneficiary(c.beneficiary).await? else {
                continue;
            };
            let terms = c.payment_terms(d.date);
            rows.push(SubsidyRow {
                nom_attribuant: collectivity.name.clone(),
                id_attribuant: siret.clone(),
                date_convention: signed_on.to_string(),
                reference_decision: d.number.clone().unwrap_or_default(),
                nom_beneficiaire: b.name.clone(),
                id_beneficiaire: b
                    .siret
                    .as_ref()
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                rna_beneficiaire: b
                    .rna
                    .as_ref()
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_default(),
                objet: c.title.clone(),
                montant: c.amount.format_decimal_point(),
                nature: "aide en numéraire".to_string(),
                conditions_versement: terms.conditions.to_string(),
                dates_periode_versement: terms.period,
                notification_ue: false,
                pourcentage: "1.00".to_string(),
            });
        }
        Ok(rows)
    }

    pub async fn export_scdl_subsidies(&self, out: impl Write) -> Result<u64, AppError> {
        let rows = self.scdl_subsidies().await?;
        Ok(acta_interop::scdl::write_subsidies(out, &rows)?)
    }

    /// The @ctes transmission of a deliberation: its message, PDF, annexes (report and
    /// conventions), envelope and archive.
    pub async fn actes_bundle(
        &self,
        renderer: &Renderer,
        number: &str,
        sent_on: Date,
    ) -> Result<actes::Bundle, AppError> {
        let settings = self.open_data_settings().await?;
        let config: DocumentsConfig = renderer.config().clone();
        let mut tx = self.read().await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let code = d.matter_code.clone().ok_or_else(|| {
            AppError::conflict("@ctes : la délibération n'a pas de matière ACTES.")
        })?;
        let conventions = tx.conventions_of_deliberation(d.id).await?;
        drop(tx);
        let act_doc = self.deliberation_document(&config, number).await?;
        let mut annex_docs = Vec::new();
        if d.report.is_some() {
            annex_docs.push(self.report_document(&config, number).await?);
        }
        for c in &conventions {
            annex_docs.push(self.convention_document(&config, &c.award.into()).await?);
        }
        let act_pdf = renderer.render(&act_doc, Format::Pdf)?;
        let annexes = annex_docs
            .iter()
            .map(|doc| renderer.render(doc, Format::Pdf))
            .collect::<Result<Vec<_>, _>>()?;
        let act = actes::ActesAct {
            department_code_3: collectivity.department_code_3(),
            siren: collectivity.siren.as_str().to_string(),
            decision_date: d.date,
            number: actes_number(number.trim())?,
            nature_code: 1,
            nature_abbreviation: "DE".to_string(),
            matter_levels: matter_levels(&code).unwrap_or_default(),
            object: d.title.clone(),
            classification_date: parse_date("classification_date", &settings.classification_date)?,
            act_pdf,
            annexes,
        };
        let sender = actes::ActesSender {
            arrondissement: settings.arrondissement,
            nature: settings.envelope_nature,
            referent_name: settings.referent_name,
            referent_phone: settings.referent_phone,
            referent_email: settings.referent_email,
            return_email: settings.return_email,
        };
        Ok(actes::bundle(&act, &sender, sent_on)?)
    }

    /// Sets or corrects a deliberation's ACTES matière, which transmission and open data
    /// need; refused once the act has gone to the prefecture.
    pub async fn set_deliberation_matter(
        &self,
        actor: &Actor,
        number: &str,
        code: &str,
    ) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        if Acta::is_signed(
            &mut tx,
            acta_domain::signature::SignedKind::Deliberation,
            d.id.get(),
        )
        .await?
        {
            return Err(AppError::conflict(format!(
                "La délibération N°{} est signée : elle est figée.",
                number.trim()
            )));
        }
        let transmitted = tx.transmission(d.id).await?.is_some();
        let mut updated = d.data.clone();
        updated.set_matter(code, transmitted)?;
        updated.validate()?;
        tx.update_deliberation(d.id, &updated).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the prefecture's acknowledgement: the act is transmitted and enforceable,
    /// and PREF_ID / PREF_DATE fill the open data.
    pub async fn record_acknowledgement(
        &self,
        actor: &Actor,
        number: &str,
        act_id: &str,
        received_on: &str,
    ) -> Result<Transmission, AppError> {
        let received_on = parse_date("date_reception", received_on)?;
        let mut tx = self.write(actor).await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let expected = act_identifier(
            &collectivity.department_code_3(),
            collectivity.siren.as_str(),
            d.date,
            &actes_number(number.trim())?,
        );
        if act_id.trim() != expected {
            return Err(DomainError::field(
                "id_acte",
                format!(
                    "Accusé de réception : l'identifiant « {} » n'est pas celui de la délibération N°{} ({expected}).",
                    act_id.trim(),
                    number.trim()
                ),
            )
            .into());
        }
        if received_on < d.date {
            return Err(DomainError::field(
                "date_reception",
                format!(
                    "Date de réception : le {} précède la délibération du {}.",
                    format_date_long(received_on),
                    format_date_long(d.date)
                ),
            )
            .into());
        }
        if tx.transmission(d.id).await?.is_some() {
            return Err(AppError::conflict(format!(
                "La délibération N°{} a déjà son accusé de réception.",
                number.trim()
            )));
        }
        let t = Transmission {
            act_id: expected,
            prefecture_id: prefecture_id(&collectivity.department_code_3()),
            received_on,
        };
        tx.insert_transmission(d.id, &t).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// Akoma Ntoso 3.0 XML of a deliberation.
    pub async fn akoma_ntoso(&self, number: &str) -> Result<String, AppError> {
        let mut tx = self.read().await?;
        let collectivity = lookup::collectivity(&mut tx).await?;
        let d = lookup::deliberation(&mut tx, number).await?;
        let (_, body) = lookup::sitting_and_body(&mut tx, d.sitting).await?;
        let vote = match tx.vote_of_deliberation(d.id).await? {
            Some(v) => v.data.evaluation.vote.as_ref().map(|r| akn::AknVote {
                present: v.evaluation.presence.present_count(),
                represented: v.evaluation.presence.represented_count(),
                for_: r.tally.for_,
                against: r.tally.against,
                abstention: r.tally.abstention,
                not_participating: r.tally.not_participating,
                adopted: v.outcome() == Outcome::Adopted,
            }),
            None => None,
        };
        let signatures = d
            .signatories
            .iter()
            .map(|s| {
                let mut lines = Vec::new();
                if let Some(b) = &s.on_behalf_of {
                    lines.push(b.clone());
                }
                lines.push(s.capacity.clone());
                lines.push(s.name.clone());
                lines
            })
            .collect();
        Ok(akn::deliberation(&akn::AknDeliberation {
            country: "fr".to_string(),
            department_code_3: collectivity.department_code_3(),
            collectivity: collectivity.name.clone(),
            body: body.display_name(),
            number: d.number.clone().unwrap_or_default(),
            date: d.date,
            title: d.title.clone(),
            date_text: format_date_long(d.date),
            visas: d.visas.iter().map(|v| v.text.clone()).collect(),
            considerations: d.considerations.clone(),
            formula: vec![
                "Après en avoir délibéré,".to_string(),
                "DÉCIDE :".to_string(),
            ],
            articles: d
                .articles
                .iter()
                .map(|a| (format!("Article {}", a.number), a.body.clone()))
                .collect(),
            vote,
            place: d.place.clone(),
            signatures,
        }))
    }

    /// Popolo JSON of a sitting's vote events.
    pub async fn popolo(&self, sitting: &SittingKey) -> Result<popolo::PopoloExport, AppError> {
        let mut tx = self.read().await?;
        let sitting = lookup::sitting(&mut tx, sitting).await?;
        let body = tx
            .body(sitting.body)
            .await?
            .ok_or_else(|| AppError::not_found("Instance introuvable."))?;
        let body_id = format!("instance-{}", body.id);
        let groups = tx.groups().await?;
        let members = tx.members().await?;
        let mut organizations = vec![popolo::Organization {
            id: body_id.clone(),
            name: body.display_name(),
            classification: "committee".to_string(),
            parent_id: None,
        }];
        for g in &groups {
            organizations.push(popolo::Organization {
                id: format!("groupe-{}", g.id),
                name: g.name.clone(),
                classification: "party".to_string(),
                parent_id: None,
            });
        }
        let persons = members
            .iter()
            .map(|m| popolo::Person {
                id: format!("elu-{}", m.id),
                name: m.name.full(),
                given_name: m.name.first_name.clone(),
                family_name: m.name.last_name.clone(),
                honorific_prefix: m.name.civility.abbreviation().to_string(),
            })
            .collect();
        let group_of = |id: acta_domain::Id<acta_domain::people::Member>| {
            members
                .iter()
                .find(|m| m.id == id)
                .and_then(|m| m.group)
                .map(|g| format!("groupe-{g}"))
        };
        let memberships = tx
            .mandates_in(body.id)
            .await?
            .into_iter()
            .filter(|m| m.active_on(sitting.date))
            .map(|m| popolo::Membership {
                person_id: format!("elu-{}", m.member),
                organization_id: body_id.clone(),
                on_behalf_of_id: group_of(m.member),
                role: if m.voting {
                    m.role.label()
                } else {
                    "Membre sans voix délibérative".to_string()
                },
            })
            .collect();
        let session_id = format!("seance-{}", sitting.id);
        let mut vote_events = Vec::new();
        for item in tx.agenda(sitting.id).await? {
            let Some(v) = tx.vote_of_item(item.id).await? else {
                continue;
            };
            let Some(r) = v.evaluation.vote.as_ref() else {
                continue;
            };
            let d = tx.deliberation(v.deliberation).await?;
            let result = if v.outcome() == Outcome::Adopted {
                "pass"
            } else {
                "fail"
            };
            let mut counts: Vec<popolo::Count> = acta_domain::vote::VoteChoice::ALL
                .iter()
                .map(|c| popolo::Count {
                    option: popolo::option(*c).to_string(),
                    value: r.tally.get(*c),
                })
                .collect();
            counts.push(popolo::Count {
                option: "absent".to_string(),
                value: u32::try_from(v.evaluation.presence.absent.len()).unwrap_or(0),
            });
            vote_events.push(popolo::VoteEvent {
                id: format!("vote-{}", v.id),
                identifier: d.as_ref().and_then(|d| d.number.clone()),
                organization_id: body_id.clone(),
                legislative_session_id: session_id.clone(),
                start_date: sitting.date.to_string(),
                motion: popolo::Motion {
                    text: d.as_ref().map(|d| d.title.clone()).unwrap_or_default(),
                    requirement: v.evaluation.majority.label(),
                    result: result.to_string(),
                },
                result: result.to_string(),
                counts,
                group_results: r
                    .groups
                    .iter()
                    .map(|g| popolo::GroupResult {
                        group_id: format!("groupe-{}", g.group),
                        option: popolo::option(g.choice).to_string(),
                    })
                    .collect(),
                votes: r
                    .ballots
                    .iter()
                    .map(|b| popolo::Vote {
                        voter_id: format!("elu-{}", b.member),
                        option: popolo::option(b.choice).to_string(),
                        group_id: group_of(b.member),
                        role: b.cast_by.map(|_| "proxy".to_string()),
                        proxy_holder_id: b.cast_by.map(|h| format!("elu-{h}")),
                    })
                    .collect(),
            });
        }
        Ok(popolo::PopoloExport {
            organizations,
            persons,
            memberships,
            events: vec![popolo::Event {
                id: session_id,
                name: format!(
                    "{} — réunion du {}",
                    body.display_name(),
                    format_date_long(sitting.date)
                ),
                start_date: sitting.date.to_string(),
                organization_id: body_id,
                classification: "sitting".to_string(),
            }],
            vote_events,
        })
    }

    /// Reads another collectivity's SCDL subsidies file and keeps every readable row, in one
    /// transaction; unreadable rows are reported with their line.
    pub async fn import_scdl_subsidies(
        &self,
        actor: &Actor,
        source: &str,
        bytes: &[u8],
    ) -> Result<ImportReport, AppError> {
        let outcome = scdl_import::read(bytes).map_err(AppError::File)?;
        let amount = Amount::checked_sum(outcome.subsidies.iter().map(|s| s.subsidy.amount))
            .ok_or_else(|| {
                AppError::File(format!(
                    "{source} : la somme des montants dépasse ce que acta sait compter ; rien n'est importé."
                ))
            })?;
        let mut tx = self.write(actor).await?;
        for s in &outcome.subsidies {
            tx.insert_external_subsidy(&ExternalSubsidy {
                source: source.to_string(),
                source_line: i64::try_from(s.line).unwrap_or(i64::MAX),
                subsidy: s.subsidy.clone(),
            })
            .await
            .map_err(crate::error::on_duplicate(format!(
                "Le fichier « {source} » a déjà été importé."
            )))?;
        }
        tx.commit().await?;
        let warned: std::collections::BTreeSet<u64> =
            outcome.warnings.iter().map(|w| w.line).collect();
        Ok(ImportReport {
            file: source.to_string(),
            encoding: outcome.encoding,
            encoding_warning: outcome.encoding_warning,
            delimiter: outcome.delimiter,
            format: outcome.format,
            missing_columns: outcome.missing_columns,
            rows: outcome.rows,
            imported: outcome.subsidies.len(),
            imported_with_warnings: warned.len(),
            amount,
            refused: outcome.errors.len(),
            warnings: outcome.warnings,
            errors: outcome.errors,
        })
    }
}
