//! Search: the acts as the index sees them, and the index kept in step with the register.
//! The index records the journal entry it reflects; any later entry about an act re-indexes
//! that act, and an index that does not match the register (missing, of another schema,
//! or of another database) is rebuilt.

use crate::{Acta, AppError};
use acta_domain::collectivity::Body;
use acta_domain::deliberation::Deliberation;
use acta_domain::text::RichText;
use acta_domain::{Amount, Id, Stored};
use acta_search::{
    ActDocument, ActKind, Audience, IndexUpdate, IndexedBeneficiary, SearchIndex, SearchQuery,
    SearchResults,
};
use acta_store::{Tx, entity};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

impl From<acta_search::SearchError> for AppError {
    fn from(e: acta_search::SearchError) -> Self {
        AppError::File(e.to_string())
    }
}

/// What bringing the index up to date did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct IndexSync {
    /// "reconstruit", "mis à jour" or "à jour".
    pub action: &'static str,
    /// Acts (re)indexed.
    pub acts: usize,
    /// The journal entry the index now reflects.
    pub journal_seq: i64,
}

fn marker(seq: i64, hash: &str) -> String {
    format!("{seq}:{hash}")
}

fn plain(text: &RichText) -> String {
    text.plain_lines().join("\n")
}

/// Names read once per indexing run.
#[derive(Default)]
struct Names {
    bodies: HashMap<Id<Body>, String>,
    beneficiaries: HashMap<i64, IndexedBeneficiary>,
}

impl Names {
    async fn body(
        &mut self,
        tx: &mut Tx,
        sitting: Id<acta_domain::sitting::Sitting>,
    ) -> Result<(String, Option<jiff::civil::Date>), AppError> {
        let Some(s) = tx.sitting(sitting).await? else {
            return Ok((String::new(), None));
        };
        if let Some(name) = self.bodies.get(&s.body) {
            return Ok((name.clone(), Some(s.date)));
        }
        let name = tx
            .body(s.body)
            .await?
            .map(|b| b.display_name())
            .unwrap_or_default();
        self.bodies.insert(s.body, name.clone());
        Ok((name, Some(s.date)))
    }

    async fn beneficiary(
        &mut self,
        tx: &mut Tx,
        id: Id<acta_domain::beneficiary::Beneficiary>,
    ) -> Result<IndexedBeneficiary, AppError> {
        if let Some(b) = self.beneficiaries.get(&id.get()) {
            return Ok(b.clone());
        }
        let b = tx
            .beneficiary(id)
            .await?
            .map(|b| IndexedBeneficiary {
                name: b.name.clone(),
                siret: b.siret.as_ref().map(|s| s.as_str().to_string()),
            })
            .unwrap_or(IndexedBeneficiary {
                name: String::new(),
                siret: None,
            });
        self.beneficiaries.insert(id.get(), b.clone());
        Ok(b)
    }
}

/// The deliberation, its report and its conventions as the index sees them; all three
/// are public when the deliberation is (`Deliberation::is_public`).
async fn act_documents(
    tx: &mut Tx,
    names: &mut Names,
    d: &Stored<Deliberation>,
) -> Result<Vec<ActDocument>, AppError> {
    let (body, sitting_date) = names.body(tx, d.sitting).await?;
    // The public sees what was published on the portal, and its report and conventions.
    let published = d.is_public() && tx.publication(d.id.get()).await?.is_some();
    let awards = match d.report {
        Some(r) => tx.awards_of_report(r).await?,
        None => tx.awards_of_deliberation(d.id).await?,
    };
    let mut beneficiaries = Vec::new();
    for a in &awards {
        let b = names.beneficiary(tx, a.beneficiary).await?;
        if !beneficiaries.contains(&b) {
            beneficiaries.push(b);
        }
    }
    let amount = Amount::checked_sum(awards.iter().map(|a| a.amount)).filter(|a| !a.is_zero());
    let matter = d.matter_code.as_ref().map(|code| {
        (
            code.clone(),
            acta_domain::actes::matter_label(code)
                .unwrap_or("")
                .to_string(),
        )
    });
    let date = sitting_date.unwrap_or(d.date);
    let base = |kind: ActKind, id: i64, title: &str, text: String| ActDocument {
        key: format!("{}:{id}", kind.code()),
        kind,
        number: d.number.clone(),
        title: title.to_string(),
        text,
        visas: Vec::new(),
        beneficiaries: beneficiaries.clone(),
        body: body.clone(),
        date: date.to_string(),
        year: i32::from(date.year()),
        matter: matter.clone(),
        amount_centimes: amount.map(|a| a.centimes()),
        published,
    };
    let mut text = d.considerations.join("\n");
    for a in &d.articles {
        text.push_str(&format!("\nArticle {} : ", a.number));
        text.push_str(&plain(&a.body));
    }
    let mut docs = vec![ActDocument {
        visas: d.visas.iter().map(|v| v.text.clone()).collect(),
        ..base(ActKind::Deliberation, d.id.get(), &d.title, text)
    }];
    if let Some(report_id) = d.report
        && let Some(r) = tx.report(report_id).await?
    {
        let mut text = String::new();
        for s in &r.sections {
            text.push_str(&s.heading);
            text.push('\n');
            text.push_str(&plain(&s.body));
            text.push('\n');
        }
        text.push_str(&plain(&r.conclusion));
        docs.push(base(ActKind::Report, r.id.get(), &r.title, text));
    }
    for c in tx.conventions_of_deliberation(d.id).await? {
        let b = names.beneficiary(tx, c.beneficiary).await?;
        let mut text = format!(
            "{}\n{}\n{}\n",
            c.subject,
            plain(&c.preamble),
            plain(&c.object)
        );
        for o in &c.objectives {
            text.push_str(&o.title);
            text.push('\n');
            text.push_str(&o.actions.join("\n"));
            text.push('\n');
        }
        for p in &c.programme {
            text.push_str(&p.title);
            text.push('\n');
            text.push_str(&plain(&p.body));
            text.push('\n');
        }
        text.push_str(&c.beneficiary_commitments.join("\n"));
        docs.push(ActDocument {
            visas: c.visas.iter().map(|v| v.text.clone()).collect(),
            beneficiaries: vec![b],
            amount_centimes: Some(c.amount.centimes()),
            ..base(ActKind::Convention, c.id.get(), &c.title, text)
        });
    }
    Ok(docs)
}

/// The deliberations a journal entry touches; `None` when it may touch any (a name used by
/// many acts changed): the index is then rebuilt.
async fn touched(
    tx: &mut Tx,
    entity_name: &str,
    entity_id: &str,
) -> Result<Option<Vec<Id<Deliberation>>>, AppError> {
    let Ok(n) = entity_id.parse::<i64>() else {
        return Ok(Some(Vec::new()));
    };
    Ok(Some(match entity_name {
        entity::DELIBERATION | entity::TRANSMISSION | entity::PUBLICATION => vec![Id::new(n)],
        entity::REPORT => tx
            .deliberation_of_report(Id::new(n))
            .await?
            .map(|d| d.id)
            .into_iter()
            .collect(),
        entity::CONVENTION => tx
            .convention(Id::new(n))
            .await?
            .map(|c| c.deliberation)
            .into_iter()
            .collect(),
        entity::AWARD => match tx.award(Id::new(n)).await? {
            Some(a) => crate::lookup::deliberation_of_award(tx, &a.data)
                .await?
                .into_iter()
                .collect(),
            None => Vec::new(),
        },
        // A beneficiary's name or SIRET is shown by the acts of its awards.
        entity::BENEFICIARY => {
            let mut out = Vec::new();
            for a in tx.awards_of_beneficiary(Id::new(n)).await? {
                out.extend(crate::lookup::deliberation_of_award(tx, &a.data).await?);
            }
            out
        }
        // A sitting's date is shown by the acts on its agenda.
        entity::SITTING => {
            let mut out = Vec::new();
            for item in tx.agenda(Id::new(n)).await? {
                out.extend(tx.deliberation_of_report(item.report).await?.map(|d| d.id));
            }
            out
        }
        // Names shown by every act: rebuild.
        entity::BODY | entity::COLLECTIVITY => return Ok(None),
        _ => Vec::new(),
    }))
}

/// An imported archive as the index sees it: public, as every archived act was published.
fn archive_document(view: &crate::archives::ArchiveView) -> ActDocument {
    let r = &view.record;
    let mut text: Vec<String> = r.considerants.iter().map(|c| c.value.clone()).collect();
    text.extend(
        r.articles
            .iter()
            .map(|a| format!("Article {} : {}", a.value.number, a.value.text)),
    );
    let euros = r
        .beneficiaries
        .iter()
        .filter(|b| b.value.amount.currency == acta_import::Currency::Euro)
        .map(|b| b.value.amount.amount);
    let date = r.sitting_date.as_ref().map(|d| d.value);
    ActDocument {
        key: format!("{}:{}", ActKind::Archive.code(), view.id),
        kind: ActKind::Archive,
        number: r.number.as_ref().map(|n| n.value.clone()),
        title: r
            .title
            .as_ref()
            .map(|t| t.value.clone())
            .unwrap_or_default(),
        text: text.join("\n"),
        visas: r.visas.iter().map(|v| v.value.clone()).collect(),
        beneficiaries: r
            .beneficiaries
            .iter()
            .map(|b| IndexedBeneficiary {
                name: b.value.beneficiary.clone(),
                siret: None,
            })
            .collect(),
        body: r.body.as_ref().map(|b| b.value.clone()).unwrap_or_default(),
        date: date.map(|d| d.to_string()).unwrap_or_default(),
        year: date.map_or(0, |d| i32::from(d.year())),
        matter: None,
        amount_centimes: Amount::checked_sum(euros).map(Amount::centimes),
        published: true,
    }
}

/// Indexes archived acts: these ids, or all of them (a page at a time) when `ids` is `None`.
async fn index_archives(
    tx: &mut Tx,
    update: &mut IndexUpdate,
    ids: Option<&[i64]>,
) -> Result<usize, AppError> {
    let mut acts = 0;
    match ids {
        Some(ids) => {
            for id in ids {
                if let Some(stored) = tx.archived_act(*id).await? {
                    update.put(&archive_document(&stored.try_into()?))?;
                    acts += 1;
                }
            }
        }
        None => {
            let mut after = 0;
            loop {
                let page = tx.archived_acts_after(after, BATCH as i64).await?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for stored in page {
                    update.put(&archive_document(&stored.try_into()?))?;
                    acts += 1;
                }
            }
        }
    }
    Ok(acts)
}

/// Deliberations read per batch when (re)indexing: the documents of one batch are in
/// memory at a time, whatever the register's size.
const BATCH: usize = 500;

/// Indexes the documents of these deliberations into `update`, a batch at a time;
/// `progress` receives the deliberations done. Returns the acts indexed.
async fn index_deliberations(
    tx: &mut Tx,
    update: &mut IndexUpdate,
    ids: &[Id<Deliberation>],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<usize, AppError> {
    let mut names = Names::default();
    let mut acts = 0;
    for (i, batch) in ids.chunks(BATCH).enumerate() {
        progress(i * BATCH, ids.len());
        let mut docs = Vec::new();
        for id in batch {
            if let Some(d) = tx.deliberation(*id).await? {
                docs.extend(act_documents(tx, &mut names, &d).await?);
            }
        }
        for d in &docs {
            update.put(d)?;
        }
        acts += docs.len();
    }
    progress(ids.len(), ids.len());
    Ok(acts)
}

impl Acta {
    /// Rebuilds the index in `dir` from the register.
    pub async fn rebuild_search_index(
        &self,
        dir: &Path,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexSync, AppError> {
        let index = SearchIndex::open_or_create(dir)?;
        self.rebuild(&index, progress).await
    }

    async fn rebuild(
        &self,
        index: &SearchIndex,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexSync, AppError> {
        let mut tx = self.read().await?;
        let head = tx.journal_head().await?;
        let all: Vec<_> = tx
            .deliberation_index()
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        let mut update = index.begin()?;
        update.clear()?;
        let mut acts = index_deliberations(&mut tx, &mut update, &all, progress).await?;
        acts += index_archives(&mut tx, &mut update, None).await?;
        drop(tx);
        index.commit(update, &marker(head.seq, &head.hash))?;
        Ok(IndexSync {
            action: "reconstruit",
            acts,
            journal_seq: head.seq,
        })
    }

    /// Brings the index in `dir` up to date with the register: nothing to do, the acts
    /// changed since it was last updated, or a rebuild when it cannot tell.
    pub async fn sync_search_index(
        &self,
        dir: &Path,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexSync, AppError> {
        let index = SearchIndex::open_or_create(dir)?;
        self.sync(&index, progress).await
    }

    async fn sync(
        &self,
        index: &SearchIndex,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<IndexSync, AppError> {
        let mut tx = self.read().await?;
        let head = tx.journal_head().await?;
        let Some((seq, hash)) = index.marker().and_then(|m| {
            let (seq, hash) = m.split_once(':')?;
            Some((seq.parse::<i64>().ok()?, hash.to_string()))
        }) else {
            drop(tx);
            return self.rebuild(index, progress).await;
        };
        if seq == head.seq && hash == head.hash {
            return Ok(IndexSync {
                action: "à jour",
                acts: 0,
                journal_seq: seq,
            });
        }
        // A replica behind what the index already holds (brought up to date on the
        // primary): the index is searched as it is, and follows the primary's next sync.
        if seq > head.seq && self.reads_replica() {
            return Ok(IndexSync {
                action: "en avance sur la réplique",
                acts: 0,
                journal_seq: seq,
            });
        }
        // Another database, or a journal rewritten: the index cannot follow it.
        if seq > head.seq || tx.journal_hash_at(seq).await?.as_deref() != Some(hash.as_str()) {
            drop(tx);
            return self.rebuild(index, progress).await;
        }
        let mut deliberations = BTreeSet::new();
        let mut archives = BTreeSet::new();
        for (entity_name, entity_id) in tx.journal_changes_after(seq).await? {
            if entity_name == entity::ARCHIVED_ACT {
                archives.extend(entity_id.parse::<i64>());
                continue;
            }
            match touched(&mut tx, &entity_name, &entity_id).await? {
                Some(ids) => deliberations.extend(ids.into_iter().map(Id::get)),
                None => {
                    drop(tx);
                    return self.rebuild(index, progress).await;
                }
            }
        }
        let ids: Vec<_> = deliberations.into_iter().map(Id::new).collect();
        let mut update = index.begin()?;
        let mut acts = index_deliberations(&mut tx, &mut update, &ids, progress).await?;
        let archives: Vec<i64> = archives.into_iter().collect();
        acts += index_archives(&mut tx, &mut update, Some(&archives)).await?;
        drop(tx);
        index.commit(update, &marker(head.seq, &head.hash))?;
        Ok(IndexSync {
            action: "mis à jour",
            acts,
            journal_seq: head.seq,
        })
    }

    /// Searches the acts, after bringing the index up to date.
    pub async fn search(
        &self,
        dir: &Path,
        query: &SearchQuery,
        audience: Audience,
    ) -> Result<(SearchResults, IndexSync), AppError> {
        let index = SearchIndex::open_or_create(dir)?;
        let sync = self.sync(&index, &|_, _| {}).await?;
        Ok((index.search(query, audience)?, sync))
    }
}

/// How many acts a search found, as a sentence starts: "1 acte", "1 234 actes", "Plus de
/// 10 000 actes" beyond the bound where counting stops being exact.
pub fn count_phrase(results: &SearchResults, one: &str, many: &str) -> String {
    let n = acta_domain::money::group_thousands(results.total as u64);
    match (results.total_exact, results.total) {
        (false, _) => format!("Plus de {n} {many}"),
        (true, 0 | 1) => format!("{n} {one}"),
        (true, _) => format!("{n} {many}"),
    }
}

/// A facet's count: "environ 12" when the facets were counted on the first matches only.
pub fn facet_count(results: &SearchResults, count: u64) -> String {
    let n = acta_domain::money::group_thousands(count);
    if results.facets_exact {
        n
    } else {
        format!("environ {n}")
    }
}

/// What the facets were counted on, when not on every match.
pub fn facets_note(results: &SearchResults) -> Option<String> {
    (!results.facets_exact).then(|| {
        format!(
            "Décomptes approximatifs, établis sur les {} premiers résultats.",
            acta_domain::money::group_thousands(acta_search::query::COUNT_BOUND as u64)
        )
    })
}

/// A search as typed: amounts in French, the kind by its French code. The command line,
/// the portal's form and the API's query string all fill it.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
pub struct SearchInput {
    /// Mots, « expression exacte » entre guillemets, préfixe (subv*), numéro ou SIRET.
    #[serde(default, rename = "q", alias = "text")]
    #[cfg_attr(feature = "cli", arg(default_value = ""))]
    pub text: String,
    /// Année de la séance, ex. 2023.
    #[serde(default, rename = "annee", alias = "year")]
    #[cfg_attr(feature = "cli", arg(long = "year"))]
    pub year: Option<String>,
    /// Instance : « Commission permanente », « Conseil départemental »…
    #[serde(default, rename = "instance", alias = "body")]
    #[cfg_attr(feature = "cli", arg(long = "body"))]
    pub body: Option<String>,
    /// Matière ACTES, ex. 7.5.
    #[serde(default, rename = "matiere", alias = "matter")]
    #[cfg_attr(feature = "cli", arg(long = "matter"))]
    pub matter: Option<String>,
    /// Bénéficiaire (nom exact, tel que dans les facettes).
    #[serde(default, rename = "beneficiaire", alias = "beneficiary")]
    #[cfg_attr(feature = "cli", arg(long = "beneficiary"))]
    pub beneficiary: Option<String>,
    /// deliberation, rapport, convention ou archive.
    #[serde(default, rename = "type", alias = "kind")]
    #[cfg_attr(feature = "cli", arg(long = "kind"))]
    pub kind: Option<String>,
    /// Montant minimal (euros), ex. "10 000".
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub min: Option<String>,
    /// Montant maximal (euros).
    #[serde(default)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub max: Option<String>,
    /// Inclure les projets non publiés (agents) : jamais depuis une adresse publique.
    #[serde(skip)]
    #[cfg_attr(feature = "cli", arg(long))]
    pub drafts: bool,
    /// Nombre maximal de résultats (200 au plus).
    #[serde(
        default,
        rename = "limite",
        alias = "limit",
        deserialize_with = "crate::input::de::opt_number"
    )]
    #[cfg_attr(feature = "cli", arg(long = "limit", default_value = "10"))]
    pub limit: Option<usize>,
    /// La page de résultats (le portail).
    #[serde(default, deserialize_with = "crate::input::de::opt_number")]
    #[cfg_attr(feature = "cli", arg(skip))]
    pub page: Option<usize>,
}

/// At most this many results per request.
pub const MAX_RESULTS: usize = 200;

/// A filter that was given: a form sends empty fields for filters not chosen.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl SearchInput {
    pub fn parse(&self) -> Result<SearchQuery, AppError> {
        let mut errors = acta_domain::error::Errors::new();
        let amount = |errors: &mut acta_domain::error::Errors, field: &str, v: &Option<String>| {
            given(v)
                .and_then(|v| errors.check(Amount::parse_fr(field, v)))
                .map(|a| a.centimes())
        };
        let min = amount(&mut errors, "montant_min", &self.min);
        let max = amount(&mut errors, "montant_max", &self.max);
        let kind = match given(&self.kind) {
            None => None,
            Some(k) => match ActKind::from_code(k.trim()) {
                Some(kind) => Some(kind),
                None => {
                    errors.push(acta_domain::FieldError::new(
                        "type",
                        format!("Type : « {k} » n'est pas un type d'acte (deliberation, rapport, convention, archive)."),
                    ));
                    None
                }
            },
        };
        let year = match given(&self.year) {
            None => None,
            Some(y) => errors.check(
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (1..=9999).contains(y))
                    .ok_or(())
                    .map_err(|_| {
                        acta_domain::FieldError::new(
                            "annee",
                            format!("Année : « {y} » n'est pas une année."),
                        )
                    }),
            ),
        };
        if self.limit.is_some_and(|l| l > MAX_RESULTS) {
            errors.push(acta_domain::FieldError::new(
                "limite",
                format!("Limite : au plus {MAX_RESULTS} résultats par page."),
            ));
        }
        errors.into_result()?;
        let limit = self.limit.unwrap_or(20).clamp(1, MAX_RESULTS);
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(SearchQuery {
            text: self.text.clone(),
            year,
            body: blank(&self.body),
            matter: blank(&self.matter),
            beneficiary: blank(&self.beneficiary),
            kind,
            min_amount_centimes: min,
            max_amount_centimes: max,
            include_drafts: self.drafts,
            limit,
            offset: self.page.unwrap_or(1).clamp(1, 100_000).saturating_sub(1) * limit,
        })
    }
}
