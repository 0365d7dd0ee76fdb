//! Reading what a form, a JSON body or a dataset sends into the strings the input structs
//! hold: a form sends "1", a JSON client 1, and both mean the same tranche. Values stay text
//! until `app` parses them, so that every mistake gets its French message naming the field.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

struct Text;

impl Visitor<'_> for Text {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("un texte ou un nombre")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        // A JSON client that sends 120000.5 for "120 000,50" gets it read as typed text;
        // the amount parser decides whether it is acceptable.
        Ok(v.to_string())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(if v { "1" } else { "" }.to_string())
    }
}

/// A text field that also takes a JSON number.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(Text)
}

/// An optional text field that also takes a JSON number; `null` is absent.
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct OptText;
    impl<'de> Visitor<'de> for OptText {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("un texte, un nombre ou null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
            text(d).map(Some)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Option<String>, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
            Ok(Some(v.to_string()))
        }
    }
    d.deserialize_option(OptText)
}

/// A whole number typed in a form ("12") or sent as a JSON number (12).
pub fn number<'de, D: Deserializer<'de>, T: std::str::FromStr>(d: D) -> Result<T, D::Error> {
    let typed = text(d)?;
    typed.trim().parse().map_err(|_| {
        de::Error::custom(format!(
            "« {} » n'est pas un nombre entier",
            typed.trim().escape_debug()
        ))
    })
}

/// An optional whole number: blank or absent is `None`.
pub fn opt_number<'de, D: Deserializer<'de>, T: std::str::FromStr>(
    d: D,
) -> Result<Option<T>, D::Error> {
    match opt_text(d)? {
        Some(t) if !t.trim().is_empty() => t.trim().parse().map(Some).map_err(|_| {
            de::Error::custom(format!(
                "« {} » n'est pas un nombre entier",
                t.trim().escape_debug()
            ))
        }),
        _ => Ok(None),
    }
}

/// A yes/no field: a JSON boolean, or a checkbox's "1", "on", "true" or "oui" (an unchecked
/// box sends nothing).
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Flag;
    impl Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("oui ou non")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            match v.trim().to_lowercase().as_str() {
                "1" | "on" | "true" | "oui" => Ok(true),
                "" | "0" | "off" | "false" | "non" => Ok(false),
                other => Err(E::custom(format!("« {other} » n'est ni oui ni non"))),
            }
        }
    }
    d.deserialize_any(Flag)
}

/// A list of lines: a JSON array of strings, or one text (a form's text area) cut at its
/// line breaks; blank lines are dropped.
pub fn lines<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    struct Lines;
    impl<'de> Visitor<'de> for Lines {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("un texte (une ligne par élément) ou une liste de textes")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(v.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(line) = seq.next_element::<String>()? {
                if !line.trim().is_empty() {
                    out.push(line.trim().to_string());
                }
            }
            Ok(out)
        }
    }
    d.deserialize_any(Lines)
}

// The JSON schemas of what these deserializers take, for the OpenAPI document: it must
// describe what the server accepts, no more and no less.

#[cfg(feature = "schema")]
pub fn text_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [{ "type": "string" }, { "type": "number" }] })
}

#[cfg(feature = "schema")]
pub fn opt_text_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [{ "type": "string" }, { "type": "number" }], "nullable": true })
}

#[cfg(feature = "schema")]
pub fn number_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [
        { "type": "integer" },
        { "type": "string", "pattern": "^\\s*[0-9]+\\s*$" }
    ] })
}

#[cfg(feature = "schema")]
pub fn opt_number_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [
        { "type": "integer" },
        { "type": "string", "pattern": "^\\s*[0-9]*\\s*$" }
    ], "nullable": true })
}

#[cfg(feature = "schema")]
pub fn lines_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [
        { "type": "string" },
        { "type": "array", "items": { "type": "string" } }
    ] })
}

#[cfg(feature = "schema")]
pub fn flag_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [
        { "type": "boolean" },
        { "type": "string", "enum": ["", "0", "1", "on", "off", "true", "false", "oui", "non"] }
    ] })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Form {
        #[serde(deserialize_with = "super::text")]
        tranche: String,
        #[serde(default, deserialize_with = "super::opt_text")]
        note: Option<String>,
        #[serde(default, deserialize_with = "super::flag")]
        secret: bool,
    }

    #[test]
    fn numbers_and_text_read_the_same() {
        let json: Form = serde_json::from_str(r#"{"tranche": 1, "note": null}"#).unwrap();
        let typed: Form =
            serde_json::from_str(r#"{"tranche": "1", "secret": true, "note": 7}"#).unwrap();
        assert_eq!(json.tranche, typed.tranche);
        assert_eq!((json.note, json.secret), (None, false));
        assert_eq!((typed.note.as_deref(), typed.secret), (Some("7"), true));
        for (value, expected) in [("oui", true), ("on", true), ("", false), ("0", false)] {
            let f: Form =
                serde_json::from_str(&format!(r#"{{"tranche": "1", "secret": "{value}"}}"#))
                    .unwrap();
            assert_eq!(f.secret, expected, "{value}");
        }
        assert!(
            serde_json::from_str::<Form>(r#"{"tranche": "1", "secret": "peut-être"}"#).is_err()
        );
    }
}
