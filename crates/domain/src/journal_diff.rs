//! The compact form of a journal entry for a change: only the fields that changed, each
//! with its value before and after, instead of the whole record twice. A record's history
//! is rebuilt by applying the changes in order to the record as it was created.
//!
//! The form is a JSON object whose keys are JSON Pointers (RFC 6901) to the changed
//! values, each mapped to `{"avant": …, "apres": …}`; a side is left out when the value
//! did not exist on it (a field added or removed). Objects are compared key by key,
//! anything else (numbers, texts, lists) as a whole.

use serde_json::{Map, Value};

const BEFORE: &str = "avant";
const AFTER: &str = "apres";

/// What changed from `before` to `after`; an empty object when nothing did.
pub fn diff(before: &Value, after: &Value) -> Value {
    let mut changes = Map::new();
    collect(&mut changes, String::new(), Some(before), Some(after));
    Value::Object(changes)
}

fn collect(
    changes: &mut Map<String, Value>,
    at: String,
    before: Option<&Value>,
    after: Option<&Value>,
) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            for (key, old) in b {
                collect(changes, pointer_to(&at, key), Some(old), a.get(key));
            }
            for (key, new) in a {
                if !b.contains_key(key) {
                    collect(changes, pointer_to(&at, key), None, Some(new));
                }
            }
        }
        (b, a) if b == a => {}
        (b, a) => {
            let mut sides = Map::new();
            if let Some(b) = b {
                sides.insert(BEFORE.to_string(), b.clone());
            }
            if let Some(a) = a {
                sides.insert(AFTER.to_string(), a.clone());
            }
            changes.insert(at, Value::Object(sides));
        }
    }
}

fn pointer_to(parent: &str, key: &str) -> String {
    format!("{parent}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Why a change cannot be applied to a record: it was not written for that record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoesNotApply(pub String);

/// The record after the change, from the record before it.
pub fn apply_forward(record: &Value, changes: &Value) -> Result<Value, DoesNotApply> {
    apply(record, changes, AFTER)
}

/// The record before the change, from the record after it.
pub fn apply_backward(record: &Value, changes: &Value) -> Result<Value, DoesNotApply> {
    apply(record, changes, BEFORE)
}

fn apply(record: &Value, changes: &Value, side: &str) -> Result<Value, DoesNotApply> {
    let Value::Object(changes) = changes else {
        return Err(DoesNotApply("le changement n'est pas un objet JSON".into()));
    };
    let mut out = record.clone();
    for (pointer, sides) in changes {
        let Value::Object(sides) = sides else {
            return Err(DoesNotApply(format!("{pointer} : avant/après attendus")));
        };
        set(&mut out, pointer, sides.get(side).cloned())?;
    }
    Ok(out)
}

/// Sets (or removes, with `None`) the value at `pointer`, creating the objects on its way.
fn set(record: &mut Value, pointer: &str, value: Option<Value>) -> Result<(), DoesNotApply> {
    if pointer.is_empty() {
        *record = value.unwrap_or(Value::Null);
        return Ok(());
    }
    let Some(path) = pointer.strip_prefix('/') else {
        return Err(DoesNotApply(format!("{pointer} : chemin invalide")));
    };
    let keys: Vec<String> = path
        .split('/')
        .map(|k| k.replace("~1", "/").replace("~0", "~"))
        .collect();
    let Some((last, parents)) = keys.split_last() else {
        return Err(DoesNotApply(format!("{pointer} : chemin vide")));
    };
    let mut here = record;
    for key in parents {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else {
            return Err(DoesNotApply(format!("{pointer} : objet attendu")));
        };
        here = map
            .entry(key.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !here.is_object() {
        *here = Value::Object(Map::new());
    }
    let Value::Object(map) = here else {
        return Err(DoesNotApply(format!("{pointer} : objet attendu")));
    };
    match value {
        Some(v) => {
            map.insert(last.clone(), v);
        }
        None => {
            map.remove(last);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn only_the_changed_fields_are_kept_with_both_values() {
        let cases = [
            (
                json!({"a": 1, "b": "x"}),
                json!({"a": 2, "b": "x"}),
                json!({"/a": {"avant": 1, "apres": 2}}),
            ),
            (json!({"a": 1}), json!({"a": 1}), json!({})),
            (
                json!({"a": 1}),
                json!({"a": 1, "c": null}),
                json!({"/c": {"apres": null}}),
            ),
            (
                json!({"a": 1, "c": 3}),
                json!({"a": 1}),
                json!({"/c": {"avant": 3}}),
            ),
            (
                json!({"adresse": {"ville": "Arras", "cp": "62000"}}),
                json!({"adresse": {"ville": "Lens", "cp": "62000"}}),
                json!({"/adresse/ville": {"avant": "Arras", "apres": "Lens"}}),
            ),
            (
                json!({"l": [1, 2]}),
                json!({"l": [1, 3]}),
                json!({"/l": {"avant": [1, 2], "apres": [1, 3]}}),
            ),
            (
                json!({"a/b": 1, "c~": 1}),
                json!({"a/b": 2, "c~": 2}),
                json!({"/a~1b": {"avant": 1, "apres": 2}, "/c~0": {"avant": 1, "apres": 2}}),
            ),
            (
                json!({"o": {"x": 1}}),
                json!({"o": 5}),
                json!({"/o": {"avant": {"x": 1}, "apres": 5}}),
            ),
        ];
        for (before, after, expected) in cases {
            let d = diff(&before, &after);
            assert_eq!(d, expected, "{before} → {after}");
            assert_eq!(apply_forward(&before, &d), Ok(after.clone()));
            assert_eq!(apply_backward(&after, &d), Ok(before.clone()));
        }
    }

    #[test]
    fn a_change_that_is_not_one_is_refused() {
        for changes in [json!([1]), json!({"/a": 3}), json!({"a": {"apres": 1}})] {
            assert!(
                apply_forward(&json!({"a": 1}), &changes).is_err(),
                "{changes}"
            );
        }
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-z~/]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                prop::collection::btree_map("[a-c~/]{1,3}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn a_record_is_rebuilt_both_ways_from_its_change(
            before in prop::collection::btree_map("[a-c~/]{1,3}", value(), 0..5),
            after in prop::collection::btree_map("[a-c~/]{1,3}", value(), 0..5),
        ) {
            let before = Value::Object(before.into_iter().collect());
            let after = Value::Object(after.into_iter().collect());
            let d = diff(&before, &after);
            prop_assert_eq!(apply_forward(&before, &d), Ok(after.clone()));
            prop_assert_eq!(apply_backward(&after, &d), Ok(before.clone()));
        }
    }
}
