//! Published views kept as JSON between writes. Every write adds a journal entry, so the
//! journal's last sequence number versions the whole register: a view cached at that
//! number is served as long as the number has not moved, and the cache empties when it
//! moves. Reading that number is one query, against one per part of a view.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::Mutex;

/// Views kept at most: beyond, the cache starts again empty.
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct ViewCache {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    seq: i64,
    views: HashMap<String, Bytes>,
}

impl ViewCache {
    /// The JSON of `key` cached at journal entry `seq`, if any.
    pub fn get(&self, seq: i64, key: &str) -> Option<Bytes> {
        let entries = self.inner.lock().ok()?;
        if entries.seq != seq {
            return None;
        }
        entries.views.get(key).cloned()
    }

    /// Keeps the JSON of `key`, read at journal entry `seq`; a newer `seq` drops what was
    /// kept before it. A view read at an older `seq` (on a replica that lags) is not kept:
    /// it would drop newer ones.
    pub fn put(&self, seq: i64, key: &str, json: Bytes) {
        let Ok(mut entries) = self.inner.lock() else {
            return;
        };
        if seq < entries.seq {
            return;
        }
        if entries.seq != seq || entries.views.len() >= CAPACITY {
            entries.views.clear();
            entries.seq = seq;
        }
        entries.views.insert(key.to_string(), json);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_is_served_until_the_journal_moves() {
        let cache = ViewCache::default();
        let json = Bytes::from_static(b"{}");
        cache.put(7, "2023-479", json.clone());
        assert_eq!(cache.get(7, "2023-479"), Some(json.clone()));
        assert_eq!(cache.get(7, "2023-480"), None);
        assert_eq!(cache.get(8, "2023-479"), None, "a write happened since");
        cache.put(8, "2023-480", Bytes::from_static(b"[]"));
        assert_eq!(
            cache.get(8, "2023-479"),
            None,
            "dropped with the older entry"
        );
        cache.put(7, "2023-479", json);
        assert_eq!(
            cache.get(8, "2023-480"),
            Some(Bytes::from_static(b"[]")),
            "a view read behind (on a lagging replica) keeps the newer ones"
        );
        assert_eq!(cache.get(7, "2023-479"), None);
    }
}
