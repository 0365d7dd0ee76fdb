//! Searching: the words people type, filters and facets, ranked hits with excerpts.

use crate::SearchError;
use crate::document::ActKind;
use crate::index::SearchIndex;
use serde::{Deserialize, Serialize};
use std::ops::Bound;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::agg_result::{AggregationResult, AggregationResults, BucketResult};
use tantivy::aggregation::{AggContextParams, AggregationCollector, Key};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Searcher, SegmentOrdinal, TantivyDocument, Term};

/// Who searches: the public sees published acts only, whatever it asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Staff,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// Words, "exact phrases", prefixes ("subv*"), a deliberation number or a SIRET.
    pub text: String,
    pub year: Option<i32>,
    pub body: Option<String>,
    /// ACTES code ("7.5").
    pub matter: Option<String>,
    pub beneficiary: Option<String>,
    pub kind: Option<ActKind>,
    pub min_amount_centimes: Option<i64>,
    pub max_amount_centimes: Option<i64>,
    /// Drafts too (staff only; ignored for the public).
    pub include_drafts: bool,
    pub limit: usize,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub key: String,
    pub kind: ActKind,
    pub number: Option<String>,
    pub title: String,
    pub date: String,
    pub body: String,
    pub matter: Option<String>,
    pub amount_centimes: Option<i64>,
    /// The passage that matched, HTML-escaped, matched words in `<b>`.
    pub excerpt_html: String,
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub years: Vec<FacetCount>,
    pub bodies: Vec<FacetCount>,
    pub matters: Vec<FacetCount>,
    pub beneficiaries: Vec<FacetCount>,
    pub kinds: Vec<FacetCount>,
}

/// Counts are exact up to this many matches; beyond, the total says "more than" and the
/// facets are counted on the first this many matches in index order, as web search and
/// Elasticsearch (`track_total_hits`) do: counting a million matches' facets costs more
/// than finding the top ten, and no reader needs them to the unit.
pub const COUNT_BOUND: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The matches, exact up to [`COUNT_BOUND`]; [`COUNT_BOUND`] when there are more.
    pub total: usize,
    /// False when there are more matches than `total` ("plus de 10 000").
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    /// Counted on every match, or on the first [`COUNT_BOUND`] ones (approximate).
    pub facets: Facets,
    pub facets_exact: bool,
    /// How the query was understood: "identifiant" when a number or SIRET found its act.
    pub matched_by: &'static str,
}

/// A deliberation number ("2023-479", "CP-2023-12") or a SIRET / SIREN, spaces allowed.
fn identifier(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if (digits.len() == 14 || digits.len() == 9) && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(digits);
    }
    let looks_numbered = !t.contains(char::is_whitespace)
        && t.contains(|c: char| c.is_ascii_digit())
        && t.contains(['-', '_', '/'])
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/'));
    looks_numbered.then(|| t.to_lowercase())
}

/// How much a deliberation outranks a report or convention that matches as well.
const DELIBERATION_BOOST: f32 = 1.2;

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

/// The facets, as tantivy aggregations over the fast fields: (name in the request, field,
/// buckets kept). Beneficiaries are many: the most frequent only.
const FACETS: [(&str, &str, u32); 5] = [
    ("annee", "year", 200),
    ("instance", "body", 50),
    ("matiere", "matter_code", 100),
    ("beneficiaire", "beneficiary", 20),
    ("type", "kind", 10),
];

fn facets_request() -> Result<Aggregations, SearchError> {
    let request: serde_json::Map<String, serde_json::Value> = FACETS
        .iter()
        .map(|(name, field, size)| {
            (
                name.to_string(),
                serde_json::json!({ "terms": { "field": field, "size": size } }),
            )
        })
        .collect();
    serde_json::from_value(serde_json::Value::Object(request))
        .map_err(|e| SearchError::Index(format!("facettes : {e}")))
}

/// A facet's buckets, most frequent first, then by value.
fn facet_counts(results: &AggregationResults, name: &str) -> Vec<FacetCount> {
    let Some(AggregationResult::BucketResult(BucketResult::Terms { buckets, .. })) =
        results.0.get(name)
    else {
        return Vec::new();
    };
    let mut out: Vec<FacetCount> = buckets
        .iter()
        .map(|b| FacetCount {
            value: match &b.key {
                Key::Str(s) => s.clone(),
                Key::I64(n) => n.to_string(),
                Key::U64(n) => n.to_string(),
                // Years come back as floats; they are whole numbers.
                Key::F64(n) => format!("{n:.0}"),
            },
            count: b.doc_count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    out
}

impl SearchIndex {
    /// The words' query: prefixes ("subv*") as term prefixes, the rest through tantivy's
    /// parser (phrases in quotes, all words required), over titles, beneficiaries, texts
    /// and visas.
    fn words_query(&self, text: &str) -> Box<dyn Query> {
        let f = &self.fields;
        let mut parser =
            QueryParser::for_index(&self.index, vec![f.title, f.beneficiaries, f.text, f.visas]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 3.0);
        parser.set_field_boost(f.beneficiaries, 2.0);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut rest = Vec::new();
        for word in text.split_whitespace() {
            match word.strip_suffix('*') {
                Some(prefix) if !prefix.is_empty() && !prefix.contains('"') => {
                    // The indexed terms are stemmed and folded. A typed prefix may be a
                    // whole word longer than its stem ("métier*" against "meti"): look for
                    // terms starting with the folded prefix or with its stem.
                    let folded: String = crate::analyzer::fold(prefix);
                    let mut starts = vec![regex_escape(&folded)];
                    starts.extend(
                        crate::analyzer::terms(prefix)
                            .first()
                            .map(|stem| regex_escape(stem)),
                    );
                    starts.retain(|s| !s.is_empty());
                    starts.sort();
                    starts.dedup();
                    if starts.is_empty() {
                        continue;
                    }
                    let alternatives: Vec<(Occur, Box<dyn Query>)> = starts
                        .iter()
                        .flat_map(|start| {
                            let pattern = format!("{start}.*");
                            [f.title, f.beneficiaries, f.text].into_iter().filter_map(
                                move |field| RegexQuery::from_pattern(&pattern, field).ok(),
                            )
                        })
                        .map(|q| (Occur::Should, Box::new(q) as Box<dyn Query>))
                        .collect();
                    clauses.push((Occur::Must, Box::new(BooleanQuery::new(alternatives))));
                }
                _ => rest.push(word),
            }
        }
        let rest = rest.join(" ");
        if !rest.trim().is_empty() {
            let (parsed, _errors) = parser.parse_query_lenient(&rest);
            clauses.push((Occur::Must, parsed));
        }
        if clauses.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(clauses))
        }
    }

    fn filters(&self, q: &SearchQuery, audience: Audience) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if audience == Audience::Public || !q.include_drafts {
            out.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.published, 1),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(y) = q.year {
            out.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_i64(f.year, i64::from(y)),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(b) = &q.body {
            out.push((Occur::Must, exact(f.body, b)));
        }
        if let Some(m) = &q.matter {
            out.push((Occur::Must, exact(f.matter_code, m)));
        }
        if let Some(b) = &q.beneficiary {
            out.push((Occur::Must, exact(f.beneficiary, b)));
        }
        if let Some(k) = q.kind {
            out.push((Occur::Must, exact(f.kind, k.code())));
        }
        if q.min_amount_centimes.is_some() || q.max_amount_centimes.is_some() {
            let bound = |v: Option<i64>, inclusive: fn(Term) -> Bound<Term>| {
                v.map_or(Bound::Unbounded, |a| {
                    inclusive(Term::from_field_i64(f.amount, a))
                })
            };
            out.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    bound(q.min_amount_centimes, Bound::Included),
                    bound(q.max_amount_centimes, Bound::Included),
                )),
            ));
        }
        out
    }

    pub fn search(
        &self,
        q: &SearchQuery,
        audience: Audience,
    ) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let limit = q.limit.clamp(1, 1_000);
        if let Some(id) = identifier(&q.text) {
            let mut clauses = self.filters(q, audience);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.ids, &id),
                    IndexRecordOption::Basic,
                )),
            ));
            let query = BooleanQuery::new(clauses);
            let results = self.run(&searcher, &query, limit, q.offset, "identifiant")?;
            if results.total > 0 {
                return Ok(results);
            }
        }
        let mut clauses = self.filters(q, audience);
        clauses.push((Occur::Must, self.words_query(&q.text)));
        let query = BooleanQuery::new(clauses);
        self.run(&searcher, &query, limit, q.offset, "texte")
    }

    fn run(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        limit: usize,
        offset: usize,
        matched_by: &'static str,
    ) -> Result<SearchResults, SearchError> {
        let f = &self.fields;
        let bound = COUNT_BOUND;
        // Deliberations first among equals: they are the acts people look for.
        let top = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
            |segment: &tantivy::SegmentReader| {
                let deliberation = segment
                    .fast_fields()
                    .u64("deliberation")
                    .ok()
                    .map(|c| c.first_or_default_col(0));
                move |doc: tantivy::DocId, score: tantivy::Score| match &deliberation {
                    Some(c) if c.get_val(doc) == 1 => score * DELIBERATION_BOOST,
                    _ => score,
                }
            },
        );
        let (top, total, first) = searcher
            .search(query, &(top, Count, FirstMatches(bound)))
            .map_err(|e| SearchError::Index(format!("recherche : {e}")))?;
        let aggregations = self.facets_of(searcher, &first)?;
        let exact = total <= bound;
        let mut text_snippets = SnippetGenerator::create(searcher, query, f.text)
            .map_err(|e| SearchError::Index(format!("extraits : {e}")))?;
        text_snippets.set_max_num_chars(200);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            hits.push(self.hit(searcher, address, score, &text_snippets)?);
        }
        Ok(SearchResults {
            total: total.min(bound),
            total_exact: exact,
            facets_exact: exact,
            hits,
            facets: Facets {
                years: facet_counts(&aggregations, "annee"),
                bodies: facet_counts(&aggregations, "instance"),
                matters: facet_counts(&aggregations, "matiere"),
                beneficiaries: facet_counts(&aggregations, "beneficiaire"),
                kinds: facet_counts(&aggregations, "type"),
            },
            matched_by,
        })
    }

    /// The facets of the matches given (per segment, in index order), through tantivy's
    /// aggregations over the fast fields.
    fn facets_of(
        &self,
        searcher: &Searcher,
        matches: &[(SegmentOrdinal, Vec<DocId>)],
    ) -> Result<AggregationResults, SearchError> {
        let failed = |e: tantivy::TantivyError| SearchError::Index(format!("facettes : {e}"));
        let facets = AggregationCollector::from_aggs(
            facets_request()?,
            AggContextParams::new(Default::default(), self.index.tokenizers().clone()),
        );
        let mut fruits = Vec::with_capacity(matches.len());
        for (segment, docs) in matches {
            let reader = searcher.segment_reader(*segment);
            let mut counting = facets.for_segment(*segment, reader).map_err(failed)?;
            counting.collect_block(docs);
            fruits.push(counting.harvest());
        }
        facets.merge_fruits(fruits).map_err(failed)
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        snippets: &SnippetGenerator,
    ) -> Result<Hit, SearchError> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| SearchError::Index(format!("lecture d'un résultat : {e}")))?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64());
        let snippet = snippets.snippet_from_doc(&doc);
        let excerpt_html = if snippet.is_empty() {
            // Nothing matched in the text (the title or a beneficiary did): its opening.
            let opening: String = text(f.text).chars().take(200).collect();
            html_escape(&opening)
        } else {
            snippet.to_html()
        };
        let number = text(f.number);
        let matter = text(f.matter);
        Ok(Hit {
            key: text(f.key),
            kind: ActKind::from_code(&text(f.kind)).unwrap_or(ActKind::Archive),
            number: (!number.is_empty()).then_some(number),
            title: text(f.title),
            date: text(f.date),
            body: text(f.body),
            matter: (!matter.is_empty()).then_some(matter),
            amount_centimes: int(f.amount),
            excerpt_html,
            score,
        })
    }
}

/// The first matches of a search in index order (segment by segment), up to a bound: the
/// facets are counted on them. Each segment keeps its first `bound` matches at most; the
/// merge keeps the first `bound` of all, whatever order the segments were read in.
struct FirstMatches(usize);

struct FirstMatchesInSegment {
    segment: SegmentOrdinal,
    bound: usize,
    docs: Vec<DocId>,
}

impl Collector for FirstMatches {
    type Fruit = Vec<(SegmentOrdinal, Vec<DocId>)>;
    type Child = FirstMatchesInSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        _: &tantivy::SegmentReader,
    ) -> tantivy::Result<FirstMatchesInSegment> {
        Ok(FirstMatchesInSegment {
            segment,
            bound: self.0,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        mut segments: Vec<(SegmentOrdinal, Vec<DocId>)>,
    ) -> tantivy::Result<Self::Fruit> {
        segments.sort_by_key(|(segment, _)| *segment);
        let mut room = self.0;
        for (_, docs) in &mut segments {
            docs.truncate(room);
            room -= docs.len();
        }
        segments.retain(|(_, docs)| !docs.is_empty());
        Ok(segments)
    }
}

impl SegmentCollector for FirstMatchesInSegment {
    type Fruit = (SegmentOrdinal, Vec<DocId>);

    fn collect(&mut self, doc: DocId, _: tantivy::Score) {
        if self.docs.len() < self.bound {
            self.docs.push(doc);
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.segment, self.docs)
    }
}

fn regex_escape(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_recognised() {
        let cases = [
            ("2023-479", Some("2023-479")),
            ("13002374000439", Some("13002374000439")),
            ("130 023 740 00439", Some("13002374000439")),
            ("130023740", Some("130023740")),
            ("CP-2023-12", Some("cp-2023-12")),
            ("subventions 2023", None),
            ("collèges", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(identifier(text).as_deref(), expected, "{text}");
        }
    }
}
