//! Benchmarks only: the acts the search index holds, also in SQLite FTS5 and in
//! PostgreSQL full-text search, queried the way each engine is meant to be, so that acta's
//! index is compared with what the databases offer on the same data and the same queries.

use acta_store::StoreError;
use sqlx::{Connection, Row};

/// One act as both engines store it.
#[derive(Debug, Clone, Copy)]
pub struct FtsRow<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub beneficiaries: &'a str,
    pub year: i32,
    pub published: bool,
}

/// A query as typed, in the parts the engines' syntaxes need: plain words, "exact
/// phrases" and prefixes ("restaur*").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedQuery {
    pub words: Vec<String>,
    pub phrases: Vec<String>,
    pub prefixes: Vec<String>,
}

impl TypedQuery {
    pub fn parse(text: &str) -> TypedQuery {
        let mut q = TypedQuery::default();
        for (i, part) in text.split('"').enumerate() {
            // Odd parts were between quotes.
            if i % 2 == 1 {
                if !part.trim().is_empty() {
                    q.phrases.push(part.trim().to_string());
                }
                continue;
            }
            for word in part.split_whitespace() {
                match word.strip_suffix('*') {
                    Some(prefix) if !prefix.is_empty() => q.prefixes.push(prefix.to_string()),
                    _ => q.words.push(word.to_string()),
                }
            }
        }
        q
    }

    /// FTS5's MATCH expression: every part quoted (so that hyphens and apostrophes are
    /// text, not syntax), all required.
    pub fn fts5(&self) -> String {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut parts: Vec<String> = self.words.iter().map(|w| quote(w)).collect();
        parts.extend(self.phrases.iter().map(|p| quote(p)));
        parts.extend(self.prefixes.iter().map(|p| format!("{}*", quote(p))));
        parts.join(" ")
    }

    /// PostgreSQL's words and phrases (for `websearch_to_tsquery`) and prefixes (for
    /// `to_tsquery`, as `word:*`).
    pub fn postgres(&self) -> (String, String) {
        let mut web: Vec<String> = self.words.clone();
        web.extend(self.phrases.iter().map(|p| format!("\"{p}\"")));
        let prefixes: Vec<String> = self
            .prefixes
            .iter()
            .map(|p| {
                let clean: String = p.chars().filter(|c| c.is_alphanumeric()).collect();
                format!("{clean}:*")
            })
            .filter(|p| p.len() > 2)
            .collect();
        (web.join(" "), prefixes.join(" & "))
    }
}

fn sqlite_error(e: rusqlite::Error) -> StoreError {
    StoreError::Config(format!("SQLite FTS5 : {e}"))
}

/// The acts in an FTS5 table: accents folded by the unicode61 tokenizer (FTS5 has no
/// French stemmer), ranked by bm25 with the index's field weights.
pub struct Fts5Baseline {
    conn: rusqlite::Connection,
}

impl Fts5Baseline {
    pub fn create(path: &std::path::Path) -> Result<Fts5Baseline, StoreError> {
        let conn = rusqlite::Connection::open(path).map_err(sqlite_error)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
             CREATE VIRTUAL TABLE acts USING fts5(
                 key UNINDEXED, title, text, beneficiaries, year UNINDEXED, published UNINDEXED,
                 tokenize = 'unicode61 remove_diacritics 2');",
        )
        .map_err(sqlite_error)?;
        Ok(Fts5Baseline { conn })
    }

    /// Adds rows in one transaction.
    pub fn insert(&mut self, rows: &[FtsRow<'_>]) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(sqlite_error)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO acts (key, title, text, beneficiaries, year, published) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sqlite_error)?;
            for r in rows {
                insert
                    .execute(rusqlite::params![
                        r.key,
                        r.title,
                        r.text,
                        r.beneficiaries,
                        r.year,
                        r.published
                    ])
                    .map_err(sqlite_error)?;
            }
        }
        tx.commit().map_err(sqlite_error)
    }

    /// Merges the index's segments, as one would after a bulk load.
    pub fn optimize(&self) -> Result<(), StoreError> {
        self.conn
            .execute("INSERT INTO acts (acts) VALUES ('optimize')", [])
            .map_err(sqlite_error)?;
        self.conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(sqlite_error)
    }

    pub fn size_bytes(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|n| u64::try_from(n).unwrap_or(0))
            .map_err(sqlite_error)
    }

    /// The ten best published acts' keys.
    pub fn top10(&self, q: &TypedQuery, year: Option<i32>) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached(
                "SELECT key FROM acts WHERE acts MATCH ?1 AND published = 1 AND (?2 IS NULL OR year = ?2)
                 ORDER BY bm25(acts, 0.0, 3.0, 1.0, 2.0, 0.0, 0.0) LIMIT 10",
            )
            .map_err(sqlite_error)?;
        let rows = statement
            .query_map(rusqlite::params![q.fts5(), year], |row| row.get(0))
            .map_err(sqlite_error)?;
        rows.collect::<Result<Vec<String>, _>>()
            .map_err(sqlite_error)
    }
}

/// The acts in a PostgreSQL table with a stored, weighted `tsvector` (French stemming,
/// and accents folded by `unaccent` when the server has it) and a GIN index; ranked by
/// `ts_rank`.
pub struct PostgresFtsBaseline {
    conn: sqlx::PgConnection,
    config: String,
    pub unaccent: bool,
}

impl PostgresFtsBaseline {
    /// Creates the table in the schema `url` works in (a throw-away one).
    pub async fn create(url: &str, schema: &str) -> Result<PostgresFtsBaseline, StoreError> {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        // Ranking hundreds of thousands of rows looks expensive to the planner; compiling
        // it would cost more than running it.
        sqlx::query("SET jit = off").execute(&mut conn).await?;
        sqlx::query("SET maintenance_work_mem = '1GB'")
            .execute(&mut conn)
            .await?;
        let config = format!("{schema}.acta_fr");
        let unaccent = unaccent_schema(&mut conn, schema).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TEXT SEARCH CONFIGURATION {config} (COPY = pg_catalog.french)"
        )))
        .execute(&mut conn)
        .await?;
        if let Some(ns) = &unaccent {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ALTER TEXT SEARCH CONFIGURATION {config} ALTER MAPPING FOR hword, hword_part, word WITH {ns}.unaccent, french_stem"
            )))
            .execute(&mut conn)
            .await?;
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "CREATE TABLE {schema}.fts_acts (
                 key text PRIMARY KEY, title text NOT NULL, body text NOT NULL,
                 beneficiaries text NOT NULL, year integer NOT NULL, published boolean NOT NULL,
                 tsv tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector('{config}', title), 'A')
                     || setweight(to_tsvector('{config}', beneficiaries), 'B')
                     || to_tsvector('{config}', body)) STORED)"
        )))
        .execute(&mut conn)
        .await?;
        Ok(PostgresFtsBaseline {
            conn,
            config,
            unaccent: unaccent.is_some(),
        })
    }

    /// Adds rows with one COPY.
    pub async fn insert(&mut self, rows: &[FtsRow<'_>]) -> Result<(), StoreError> {
        let mut data = String::new();
        for r in rows {
            for field in [r.key, r.title, r.text, r.beneficiaries] {
                copy_escape(field, &mut data);
                data.push('\t');
            }
            data.push_str(&r.year.to_string());
            data.push('\t');
            data.push_str(if r.published { "t" } else { "f" });
            data.push('\n');
        }
        let mut copy = self
            .conn
            .copy_in_raw(
                "COPY fts_acts (key, title, body, beneficiaries, year, published) FROM STDIN",
            )
            .await?;
        copy.send(data.as_bytes()).await?;
        copy.finish().await?;
        Ok(())
    }

    /// Builds the GIN index and the planner's statistics, after the bulk load.
    pub async fn build_index(&mut self) -> Result<(), StoreError> {
        sqlx::query("CREATE INDEX fts_acts_tsv ON fts_acts USING gin (tsv)")
            .execute(&mut self.conn)
            .await?;
        sqlx::query("VACUUM ANALYZE fts_acts")
            .execute(&mut self.conn)
            .await?;
        Ok(())
    }

    pub async fn size_bytes(&mut self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query("SELECT pg_total_relation_size('fts_acts')")
            .fetch_one(&mut self.conn)
            .await?
            .try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The ten best published acts' keys.
    pub async fn top10(
        &mut self,
        q: &TypedQuery,
        year: Option<i32>,
    ) -> Result<Vec<String>, StoreError> {
        let (web, prefixes) = q.postgres();
        let config = &self.config;
        let query = match (web.is_empty(), prefixes.is_empty()) {
            (false, true) => format!("websearch_to_tsquery('{config}', $1)"),
            (true, false) => format!("to_tsquery('{config}', $2)"),
            _ => format!("websearch_to_tsquery('{config}', $1) && to_tsquery('{config}', $2)"),
        };
        let sql = format!(
            "SELECT key FROM fts_acts, {query} AS q
             WHERE tsv @@ q AND published AND ($3::integer IS NULL OR year = $3)
             ORDER BY ts_rank(tsv, q) DESC LIMIT 10"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(web)
            .bind(prefixes)
            .bind(year)
            .fetch_all(&mut self.conn)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<String, _>(0).map_err(StoreError::from))
            .collect()
    }

    pub async fn close(self) -> Result<(), StoreError> {
        self.conn.close().await?;
        Ok(())
    }
}

/// The schema holding the `unaccent` dictionary: where it is already installed, or the
/// throw-away schema when it can be installed there; none when the server lacks it.
async fn unaccent_schema(
    conn: &mut sqlx::PgConnection,
    schema: &str,
) -> Result<Option<String>, StoreError> {
    let installed: Option<String> = sqlx::query(
        "SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'",
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    if installed.is_some() {
        return Ok(installed);
    }
    let created = sqlx::query(sqlx::AssertSqlSafe(format!(
        "CREATE EXTENSION unaccent SCHEMA {schema}"
    )))
    .execute(&mut *conn)
    .await;
    Ok(created.ok().map(|_| schema.to_string()))
}

/// COPY's text format: backslash, tab, newline and carriage return escaped.
fn copy_escape(field: &str, out: &mut String) {
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn typed_queries_split_into_words_phrases_and_prefixes() {
        // Typed text, words, phrases, prefixes, FTS5 MATCH, PostgreSQL (web, prefixes).
        type Case<'a> = (
            &'a str,
            &'a [&'a str],
            &'a [&'a str],
            &'a [&'a str],
            &'a str,
            (&'a str, &'a str),
        );
        let cases: [Case; 5] = [
            (
                "subventions associations",
                &["subventions", "associations"],
                &[],
                &[],
                "\"subventions\" \"associations\"",
                ("subventions associations", ""),
            ),
            (
                "\"voyages scolaires\"",
                &[],
                &["voyages scolaires"],
                &[],
                "\"voyages scolaires\"",
                ("\"voyages scolaires\"", ""),
            ),
            (
                "restaur*",
                &[],
                &[],
                &["restaur"],
                "\"restaur\"*",
                ("", "restaur:*"),
            ),
            (
                "Boulogne-sur-Mer",
                &["Boulogne-sur-Mer"],
                &[],
                &[],
                "\"Boulogne-sur-Mer\"",
                ("Boulogne-sur-Mer", ""),
            ),
            (
                "école \"de musique\" mus*",
                &["école"],
                &["de musique"],
                &["mus"],
                "\"école\" \"de musique\" \"mus\"*",
                ("école \"de musique\"", "mus:*"),
            ),
        ];
        for (text, words, phrases, prefixes, fts5, postgres) in cases {
            let q = TypedQuery::parse(text);
            assert_eq!(q.words, words, "{text}");
            assert_eq!(q.phrases, phrases, "{text}");
            assert_eq!(q.prefixes, prefixes, "{text}");
            assert_eq!(q.fts5(), fts5, "{text}");
            let (web, prefix) = q.postgres();
            assert_eq!((web.as_str(), prefix.as_str()), postgres, "{text}");
        }
    }

    #[test]
    fn copy_fields_escape_their_separators() {
        let mut out = String::new();
        copy_escape("a\tb\nc\\d\re", &mut out);
        assert_eq!(out, "a\\tb\\nc\\\\d\\re");
    }

    #[test]
    fn fts5_finds_words_without_accents_and_ranks_titles_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut fts = Fts5Baseline::create(&dir.path().join("fts.db")).unwrap();
        let rows = [
            FtsRow {
                key: "a",
                title: "Voyages scolaires",
                text: "Les élèves du collège partent en voyage.",
                beneficiaries: "Collège Jean Jaurès de Lens",
                year: 2023,
                published: true,
            },
            FtsRow {
                key: "b",
                title: "Subvention aux élèves",
                text: "Rien d'autre.",
                beneficiaries: "",
                year: 2023,
                published: true,
            },
            FtsRow {
                key: "c",
                title: "Élèves (projet)",
                text: "",
                beneficiaries: "",
                year: 2023,
                published: false,
            },
        ];
        fts.insert(&rows).unwrap();
        fts.optimize().unwrap();
        let hits = fts.top10(&TypedQuery::parse("eleves"), None).unwrap();
        assert_eq!(hits, ["b", "a"]);
        assert!(
            fts.top10(&TypedQuery::parse("eleves"), Some(2022))
                .unwrap()
                .is_empty()
        );
        assert!(fts.size_bytes().unwrap() > 0);
    }
}
