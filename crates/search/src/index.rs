//! The index on disk (or in memory for tests): its schema, its updates and its marker — the
//! point of the register it reflects, kept in tantivy's commit payload.

use crate::SearchError;
use crate::analyzer;
use crate::document::ActDocument;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Bumped whenever the schema or the analyser changes: an index built otherwise is rebuilt.
const SCHEMA_VERSION: u32 = 2;

/// Indexing memory, shared by the writer's threads.
const WRITER_HEAP: usize = 200_000_000;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub number: Field,
    pub title: Field,
    pub text: Field,
    pub visas: Field,
    pub beneficiaries: Field,
    pub ids: Field,
    /// Beneficiaries' names as written: filter and facet.
    pub beneficiary: Field,
    pub year: Field,
    pub amount: Field,
    pub published: Field,
    /// 1 for a deliberation: ranks it first among equals.
    pub deliberation: Field,
    pub date: Field,
    /// The body's name as written: shown, filter and facet.
    pub body: Field,
    /// "code label", shown.
    pub matter: Field,
    /// The ACTES code alone: filter and facet.
    pub matter_code: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let french = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::FRENCH)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let identifiers = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::IDENTIFIER)
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        number: b.add_text_field("number", STORED),
        title: b.add_text_field("title", french(true)),
        text: b.add_text_field("text", french(true)),
        visas: b.add_text_field("visas", french(false)),
        beneficiaries: b.add_text_field("beneficiaries", french(true)),
        ids: b.add_text_field("ids", identifiers),
        beneficiary: b.add_text_field("beneficiary", STRING | FAST),
        year: b.add_i64_field("year", INDEXED | FAST | STORED),
        amount: b.add_i64_field("amount", INDEXED | FAST | STORED),
        published: b.add_u64_field("published", INDEXED | FAST),
        deliberation: b.add_u64_field("deliberation", FAST),
        date: b.add_text_field("date", STORED),
        body: b.add_text_field("body", STRING | STORED | FAST),
        matter: b.add_text_field("matter", STORED),
        matter_code: b.add_text_field("matter_code", STRING | FAST),
    };
    (b.build(), fields)
}

/// What the commit payload records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    marker: String,
}

pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
}

fn err(context: &str) -> impl Fn(tantivy::TantivyError) -> SearchError + '_ {
    move |e| SearchError::Index(format!("{context} : {e}"))
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates it. An index of another schema version is
    /// emptied and has no marker: the caller rebuilds it.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| {
            SearchError::Index(format!("dossier de l'index « {} » : {e}", dir.display()))
        })?;
        let (schema, fields) = schema();
        let opened = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| SearchError::Index(format!("dossier de l'index : {e}")))?;
        let index = if Index::exists(&opened).unwrap_or(false) {
            let index = Index::open(opened.clone()).map_err(err("ouverture de l'index"))?;
            if index.schema() == schema {
                index
            } else {
                // Another version's index: start afresh.
                drop(index);
                clear_dir(dir)?;
                Index::create_in_dir(dir, schema).map_err(err("création de l'index"))?
            }
        } else {
            Index::create_in_dir(dir, schema).map_err(err("création de l'index"))?
        };
        SearchIndex::with(index, fields)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema();
        SearchIndex::with(Index::create_in_ram(schema), fields)
    }

    fn with(mut index: Index, fields: Fields) -> Result<SearchIndex, SearchError> {
        // A search reads its segments in parallel, one thread per core.
        index
            .set_default_multithread_executor()
            .map_err(err("lecture de l'index"))?;
        index
            .tokenizers()
            .register(analyzer::FRENCH, analyzer::french());
        index
            .tokenizers()
            .register(analyzer::IDENTIFIER, analyzer::identifier());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err("lecture de l'index"))?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// The point of the register the index reflects, as the last update recorded it; none
    /// for a new index or one of another schema version.
    pub fn marker(&self) -> Option<String> {
        let meta = self.index.load_metas().ok()?;
        let payload: Payload = serde_json::from_str(meta.payload.as_deref()?).ok()?;
        (payload.schema == SCHEMA_VERSION).then_some(payload.marker)
    }

    /// Number of acts indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies `changes` and commits them with `marker`; searches see them afterwards.
    /// Nothing is kept if `changes` fails.
    pub fn update(
        &self,
        marker: &str,
        changes: impl FnOnce(&mut IndexUpdate) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut update = self.begin()?;
        changes(&mut update)?;
        self.commit(update, marker)
    }

    /// Starts changes that [`SearchIndex::commit`] makes visible together, for callers that
    /// feed them in batches. Dropping the update without committing keeps the index as it
    /// was.
    pub fn begin(&self) -> Result<IndexUpdate, SearchError> {
        let writer: IndexWriter = self
            .index
            .writer(WRITER_HEAP)
            .map_err(err("écriture dans l'index"))?;
        Ok(IndexUpdate {
            writer,
            fields: self.fields,
        })
    }

    /// Commits `update` with `marker`; searches see the changes afterwards.
    pub fn commit(&self, mut update: IndexUpdate, marker: &str) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            marker: marker.to_string(),
        })
        .map_err(|e| SearchError::Index(e.to_string()))?;
        let mut prepared = update
            .writer
            .prepare_commit()
            .map_err(err("enregistrement de l'index"))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(err("enregistrement de l'index"))?;
        update
            .writer
            .wait_merging_threads()
            .map_err(err("fusion de l'index"))?;
        self.reader.reload().map_err(err("lecture de l'index"))?;
        Ok(())
    }
}

fn clear_dir(dir: &Path) -> Result<(), SearchError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| SearchError::Index(format!("dossier de l'index : {e}")))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.map_err(|e| SearchError::Index(format!("« {} » : {e}", path.display())))?;
    }
    Ok(())
}

/// Changes to the index, committed together by [`SearchIndex::update`].
pub struct IndexUpdate {
    writer: IndexWriter,
    fields: Fields,
}

impl IndexUpdate {
    /// Indexes an act, replacing any earlier version with the same key.
    pub fn put(&mut self, d: &ActDocument) -> Result<(), SearchError> {
        let f = &self.fields;
        self.writer
            .delete_term(Term::from_field_text(f.key, &d.key));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, &d.key);
        doc.add_text(f.kind, d.kind.code());
        doc.add_text(f.title, &d.title);
        doc.add_text(f.text, &d.text);
        for visa in &d.visas {
            doc.add_text(f.visas, visa);
        }
        if let Some(number) = &d.number {
            doc.add_text(f.number, number);
            doc.add_text(f.ids, number);
        }
        for b in &d.beneficiaries {
            doc.add_text(f.beneficiaries, &b.name);
            doc.add_text(f.beneficiary, &b.name);
            if let Some(siret) = &b.siret {
                doc.add_text(f.ids, siret);
                // The SIREN (first nine digits) finds every establishment.
                if let Some(siren) = siret.get(..9) {
                    doc.add_text(f.ids, siren);
                }
            }
        }
        if !d.body.is_empty() {
            doc.add_text(f.body, &d.body);
        }
        if let Some((code, label)) = &d.matter {
            doc.add_text(f.matter_code, code);
            doc.add_text(f.matter, format!("{code} {label}"));
        }
        doc.add_i64(f.year, i64::from(d.year));
        if let Some(a) = d.amount_centimes {
            doc.add_i64(f.amount, a);
        }
        doc.add_u64(f.published, u64::from(d.published));
        doc.add_u64(
            f.deliberation,
            u64::from(d.kind == crate::document::ActKind::Deliberation),
        );
        doc.add_text(f.date, &d.date);
        self.writer
            .add_document(doc)
            .map_err(err("ajout à l'index"))?;
        Ok(())
    }

    pub fn remove(&mut self, key: &str) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, key));
    }

    /// Empties the index (for a rebuild in the same update).
    pub fn clear(&mut self) -> Result<(), SearchError> {
        self.writer
            .delete_all_documents()
            .map_err(err("vidage de l'index"))?;
        Ok(())
    }
}
