//! The host name a collectivity's portal and back office answer at, when one deployment
//! serves several collectivities ("actes.pasdecalais.fr").

use crate::error::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A DNS host name, lower-cased, without port or scheme (RFC 1123 labels).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HostName(String);

const FIELD: &str = "hote";
const MAX_LENGTH: usize = 253;
const MAX_LABEL: usize = 63;

impl HostName {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host a request names in its `Host` header or address: without its port,
    /// lower-cased; `None` when it is not a host name.
    pub fn of_request(authority: &str) -> Option<HostName> {
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => authority,
        };
        host.parse().ok()
    }
}

impl FromStr for HostName {
    type Err = DomainError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let host = input.trim().trim_end_matches('.').to_ascii_lowercase();
        let refused = |why: &str| {
            Err(DomainError::field(
                FIELD,
                format!("Nom d'hôte « {} » : {why}", input.trim()),
            ))
        };
        if host.is_empty() {
            return refused("il est vide.");
        }
        if host.len() > MAX_LENGTH {
            return refused("il dépasse 253 caractères.");
        }
        for label in host.split('.') {
            if label.is_empty() || label.len() > MAX_LABEL {
                return refused("chaque partie entre deux points compte de 1 à 63 caractères.");
            }
            if !label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return refused(
                    "seuls les lettres sans accent, les chiffres, le tiret et le point sont permis (ex. actes.exemple.fr).",
                );
            }
            if label.starts_with('-') || label.ends_with('-') {
                return refused("une partie ne commence ni ne finit par un tiret.");
            }
        }
        Ok(HostName(host))
    }
}

impl TryFrom<String> for HostName {
    type Error = DomainError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<HostName> for String {
    fn from(host: HostName) -> String {
        host.0
    }
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn host_names_are_read_as_dns_writes_them() {
        let cases: &[(&str, Option<&str>)] = &[
            ("actes.pasdecalais.fr", Some("actes.pasdecalais.fr")),
            ("Actes.PasDeCalais.FR.", Some("actes.pasdecalais.fr")),
            ("  localhost ", Some("localhost")),
            ("nord-59.exemple.fr", Some("nord-59.exemple.fr")),
            ("", None),
            ("actes..fr", None),
            ("-actes.fr", None),
            ("actes-.fr", None),
            ("département.fr", None),
            ("http://actes.fr", None),
            ("actes.fr:8080", None),
            ("actes fr", None),
        ];
        for (given, expected) in cases {
            let read = given.parse::<HostName>().ok();
            assert_eq!(read.as_ref().map(HostName::as_str), *expected, "{given:?}");
        }
        let long_label = format!("{}.fr", "a".repeat(64));
        assert!(long_label.parse::<HostName>().is_err());
    }

    #[test]
    fn a_refusal_names_the_field_in_french() {
        let err = "département.fr".parse::<HostName>().unwrap_err();
        assert!(
            err.to_string().contains("Nom d'hôte « département.fr »"),
            "{err}"
        );
    }

    #[test]
    fn a_request_names_its_host_with_or_without_port() {
        let read = |a: &str| HostName::of_request(a).map(|h| h.to_string());
        assert_eq!(read("a.test:8080").as_deref(), Some("a.test"));
        assert_eq!(read("A.Test").as_deref(), Some("a.test"));
        assert_eq!(read("127.0.0.1:8090").as_deref(), Some("127.0.0.1"));
        assert_eq!(read("[::1]:8090"), None);
        assert_eq!(read(""), None);
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_panic(input in "\\PC{0,80}") {
            if let Ok(host) = input.parse::<HostName>() {
                prop_assert_eq!(host.as_str().parse::<HostName>().ok(), Some(host.clone()));
            }
            let _ = HostName::of_request(&input);
        }
    }
}
