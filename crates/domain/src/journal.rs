//! The append-only journal: every change, who made it, when, and the values before and
//! after, chained by SHA-256 so that an altered or removed entry is detected. A creation
//! keeps the record, a deletion the record removed; a modification keeps only the fields
//! it changed (`journal_diff`), from which [`history`] rebuilds the record before and after.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash the first entry chains to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One journal entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// 1, 2, 3… without gaps.
    pub seq: i64,
    /// RFC 3339 timestamp, UTC.
    pub at: String,
    pub actor: String,
    /// What was done: "creer", "modifier", "supprimer", or a business verb ("adopter").
    pub action: String,
    /// The kind of entity ("beneficiaire", "deliberation"…).
    pub entity: String,
    pub entity_id: String,
    /// JSON of the entity before the change, absent for a creation.
    pub before: Option<String>,
    /// JSON of the entity after the change, absent for a deletion.
    pub after: Option<String>,
    /// A modification's changed fields, with their values before and after (see
    /// `journal_diff`); `before` and `after` are then absent as stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The content of an entry before it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalDraft {
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub diff: Option<String>,
}

/// SHA-256 over every field, each length-prefixed so that no two different entries hash
/// the same bytes. A diff is hashed only when there is one: the entries written before
/// diffs existed keep their hash.
pub fn entry_hash(
    seq: i64,
    at: &str,
    draft_fields: [&str; 4],
    [before, after, diff]: [Option<&str>; 3],
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(&seq.to_be_bytes());
    field(at.as_bytes());
    for f in draft_fields {
        field(f.as_bytes());
    }
    for optional in [before, after] {
        match optional {
            Some(v) => {
                field(b"1");
                field(v.as_bytes());
            }
            None => field(b"0"),
        }
    }
    if let Some(diff) = diff {
        field(b"diff");
        field(diff.as_bytes());
    }
    field(prev_hash.as_bytes());
    let digest = h.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl JournalDraft {
    /// Chains the draft after the entry whose hash is `prev_hash`.
    pub fn seal(self, seq: i64, at: String, prev_hash: String) -> JournalEntry {
        let hash = entry_hash(
            seq,
            &at,
            [&self.actor, &self.action, &self.entity, &self.entity_id],
            [
                self.before.as_deref(),
                self.after.as_deref(),
                self.diff.as_deref(),
            ],
            &prev_hash,
        );
        JournalEntry {
            seq,
            at,
            actor: self.actor,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            before: self.before,
            after: self.after,
            diff: self.diff,
            prev_hash,
            hash,
        }
    }
}

impl JournalEntry {
    pub fn recomputed_hash(&self) -> String {
        entry_hash(
            self.seq,
            &self.at,
            [&self.actor, &self.action, &self.entity, &self.entity_id],
            [
                self.before.as_deref(),
                self.after.as_deref(),
                self.diff.as_deref(),
            ],
            &self.prev_hash,
        )
    }
}

impl JournalDraft {
    /// The entry for a change from `before` to `after` (the record, serialised as JSON): a
    /// creation or a deletion keeps the whole record, a modification only the fields it
    /// changed. Only a modification goes through JSON values; the others are written
    /// straight to text (bulk loading writes creations by the thousand).
    pub fn change<B: Serialize + ?Sized, A: Serialize + ?Sized>(
        [actor, action, entity, entity_id]: [&str; 4],
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<JournalDraft, serde_json::Error> {
        let (before, after, diff) = match (before, after) {
            (Some(b), Some(a)) => {
                let changes =
                    crate::journal_diff::diff(&serde_json::to_value(b)?, &serde_json::to_value(a)?);
                (None, None, Some(changes.to_string()))
            }
            (b, a) => (
                b.map(serde_json::to_string).transpose()?,
                a.map(serde_json::to_string).transpose()?,
                None,
            ),
        };
        Ok(JournalDraft {
            actor: actor.to_string(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            before,
            after,
            diff,
        })
    }
}

/// One record's entries (oldest first) with the record before and after each, rebuilt
/// from the creation through every change; an entry whose change cannot be applied (its
/// record's earlier entries are missing) keeps only its diff.
pub fn history(entries: Vec<JournalEntry>) -> Vec<JournalEntry> {
    let mut record: Option<serde_json::Value> = None;
    entries
        .into_iter()
        .map(|mut entry| {
            let parse = |text: &Option<String>| {
                text.as_deref()
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            };
            match parse(&entry.diff) {
                Some(changes) => {
                    let after = record
                        .as_ref()
                        .and_then(|r| crate::journal_diff::apply_forward(r, &changes).ok());
                    if let (Some(before), Some(after)) = (&record, &after) {
                        entry.before = Some(before.to_string());
                        entry.after = Some(after.to_string());
                    }
                    record = after;
                }
                None => record = parse(&entry.after),
            }
            entry
        })
        .collect()
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    /// The first entry that is not what was written.
    pub seq: i64,
    pub reason: String,
}

/// Checks entries one by one, in sequence order, without holding them all in memory.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainVerifier {
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the next entry; the first failure is where the journal was tampered with.
    pub fn check(&mut self, entry: &JournalEntry) -> Result<(), ChainBreak> {
        if entry.seq != self.expected_seq {
            return Err(ChainBreak {
                seq: self.expected_seq,
                reason: format!(
                    "l'entrée n°{} manque (l'entrée suivante trouvée est la n°{}) : elle a été supprimée",
                    self.expected_seq, entry.seq
                ),
            });
        }
        if entry.prev_hash != self.prev_hash {
            return Err(ChainBreak {
                seq: entry.seq,
                reason: format!(
                    "l'entrée n°{} ne s'enchaîne pas à la précédente : une entrée a été supprimée ou réécrite",
                    entry.seq
                ),
            });
        }
        if entry.recomputed_hash() != entry.hash {
            return Err(ChainBreak {
                seq: entry.seq,
                reason: format!(
                    "le contenu de l'entrée n°{} a été modifié après son écriture",
                    entry.seq
                ),
            });
        }
        self.expected_seq += 1;
        self.prev_hash = entry.hash.clone();
        Ok(())
    }

    /// Checks that the chain ends where the recorded head says it does (a removed last
    /// entry leaves no gap to see otherwise).
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        if head_seq != last {
            return Err(ChainBreak {
                seq: last + 1,
                reason: format!(
                    "le journal s'arrête à l'entrée n°{last} alors que {head_seq} entrées ont été écrites : les dernières ont été supprimées"
                ),
            });
        }
        if head_hash != self.prev_hash {
            return Err(ChainBreak {
                seq: last,
                reason: format!("la dernière entrée (n°{last}) a été réécrite"),
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<JournalEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let e = JournalDraft {
                    actor: "agent".into(),
                    action: "creer".into(),
                    entity: "membre".into(),
                    entity_id: seq.to_string(),
                    before: None,
                    after: Some(format!("{{\"n\":{seq}}}")),
                    diff: None,
                }
                .seal(seq, "2026-11-28T10:00:00Z".into(), prev.clone());
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[JournalEntry], head: (i64, &str)) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::new();
        for e in entries {
            v.check(e)?;
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, (5, &c[4].hash)), Ok(5));
    }

    #[test]
    fn altered_entry_is_found() {
        let mut c = chain(5);
        c[2].after = Some("{\"n\":99}".into());
        let head = c[4].hash.clone();
        assert_eq!(verify(&c, (5, &head)).unwrap_err().seq, 3);
    }

    #[test]
    fn removed_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        let head = c[3].hash.clone();
        assert_eq!(verify(&c, (5, &head)).unwrap_err().seq, 2);
        let mut c = chain(5);
        c.pop();
        let head = c[3].hash.clone();
        assert_eq!(verify(&c, (5, &head)).unwrap_err().seq, 5);
    }

    /// A record created, then changed three times: one creation and three diff entries.
    fn changes() -> Vec<JournalEntry> {
        let states = [
            serde_json::json!({"nom": "DELASSUS", "adresse": {"ville": "Arras"}, "actif": true}),
            serde_json::json!({"nom": "DELASSUS-MARTIN", "adresse": {"ville": "Arras"}, "actif": true}),
            serde_json::json!({"nom": "DELASSUS-MARTIN", "adresse": {"ville": "Lens"}, "actif": true}),
            serde_json::json!({"nom": "DELASSUS-MARTIN", "adresse": {"ville": "Lens"}}),
        ];
        let mut prev = GENESIS_HASH.to_string();
        let mut before = None;
        let mut out = Vec::new();
        for (i, state) in states.iter().enumerate() {
            let action = if i == 0 { "creation" } else { "modification" };
            let e = JournalDraft::change(["agent", action, "elu", "1"], before, Some(state))
                .unwrap()
                .seal(i as i64 + 1, "2026-12-07T10:00:00Z".into(), prev.clone());
            prev = e.hash.clone();
            before = Some(state);
            out.push(e);
        }
        out
    }

    #[test]
    fn a_modification_keeps_only_what_changed_and_the_history_is_rebuilt() {
        let c = changes();
        assert_eq!(verify(&c, (4, &c[3].hash)), Ok(4));
        assert!(
            c[0].after.is_some() && c[0].diff.is_none(),
            "a creation keeps the record"
        );
        assert_eq!(
            c[2].diff.as_deref(),
            Some(r#"{"/adresse/ville":{"apres":"Lens","avant":"Arras"}}"#)
        );
        assert!(c[2].before.is_none() && c[2].after.is_none());

        let rebuilt = history(c.clone());
        let after = |i: usize| -> serde_json::Value {
            serde_json::from_str(rebuilt[i].after.as_deref().unwrap()).unwrap()
        };
        assert_eq!(after(1)["nom"], "DELASSUS-MARTIN");
        assert_eq!(after(2)["adresse"]["ville"], "Lens");
        assert_eq!(after(3).get("actif"), None);
        assert_eq!(rebuilt[3].before.as_deref(), rebuilt[2].after.as_deref());
        // The rebuilt entries are for reading: the stored ones are what the chain proves.
        assert_eq!(rebuilt[2].diff, c[2].diff);

        // Without its creation, a record's changes keep their diff only.
        let orphan = history(c[1..].to_vec());
        assert!(orphan[0].before.is_none() && orphan[0].diff.is_some());
    }

    #[test]
    fn an_altered_removed_or_reordered_diff_entry_is_found() {
        let c = changes();
        let head = c[3].hash.clone();

        let mut altered = c.clone();
        altered[2].diff = Some(r#"{"/adresse/ville":{"apres":"Calais","avant":"Arras"}}"#.into());
        assert_eq!(verify(&altered, (4, &head)).unwrap_err().seq, 3);

        let mut emptied = c.clone();
        emptied[1].diff = None;
        assert_eq!(verify(&emptied, (4, &head)).unwrap_err().seq, 2);

        let mut removed = c.clone();
        removed.remove(2);
        assert_eq!(verify(&removed, (4, &head)).unwrap_err().seq, 3);

        // Rows swapped, with or without their numbers.
        let mut swapped = c.clone();
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped, (4, &head)).unwrap_err().seq, 2);
        let mut renumbered = swapped.clone();
        renumbered[1].seq = 2;
        renumbered[2].seq = 3;
        assert_eq!(verify(&renumbered, (4, &head)).unwrap_err().seq, 2);
    }

    #[test]
    fn rewritten_and_rechained_entry_is_found_by_its_successor() {
        let mut c = chain(4);
        c[1].actor = "intrus".into();
        c[1].hash = c[1].recomputed_hash();
        let head = c[3].hash.clone();
        assert_eq!(verify(&c, (4, &head)).unwrap_err().seq, 3);
    }
}
