//! Anchors of the journal: its head (last entry number and hash) signed with an Ed25519
//! key kept outside the database, and stored where the Département keeps it. Whoever can
//! rewrite the whole chain and its head inside the database still cannot make it match the
//! hashes anchored before; the chain check alone cannot see such a rewrite.

use crate::journal::ChainBreak;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an anchor signs, versioned so that the format can change without ambiguity.
const MESSAGE_PREFIX: &str = "acta-ancrage-journal-v1";

/// The journal's head as signed at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The last entry's number when the anchor was made.
    pub seq: i64,
    /// That entry's hash.
    pub hash: String,
    /// RFC 3339, UTC.
    pub anchored_at: String,
    /// The Ed25519 public key, hexadecimal (64 characters).
    pub public_key: String,
    /// The Ed25519 signature of the message, hexadecimal (128 characters).
    pub signature: String,
}

fn message(seq: i64, hash: &str, anchored_at: &str) -> Vec<u8> {
    format!("{MESSAGE_PREFIX}\n{seq}\n{hash}\n{anchored_at}\n").into_bytes()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.trim();
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The private key that signs anchors, from its 32 secret bytes.
#[derive(Clone)]
pub struct AnchorKey(SigningKey);

impl AnchorKey {
    pub fn from_secret(secret: [u8; 32]) -> AnchorKey {
        AnchorKey(SigningKey::from_bytes(&secret))
    }

    /// Reads the key as acta writes it: the 32 secret bytes in hexadecimal.
    pub fn from_hex(text: &str) -> Option<AnchorKey> {
        from_hex::<32>(text).map(AnchorKey::from_secret)
    }

    pub fn secret_hex(&self) -> String {
        to_hex(&self.0.to_bytes())
    }

    pub fn public_hex(&self) -> String {
        to_hex(self.0.verifying_key().as_bytes())
    }

    /// Signs the head `seq`/`hash` at `anchored_at`.
    pub fn anchor(&self, seq: i64, hash: &str, anchored_at: &str) -> Anchor {
        let signature = self.0.sign(&message(seq, hash, anchored_at));
        Anchor {
            seq,
            hash: hash.to_string(),
            anchored_at: anchored_at.to_string(),
            public_key: self.public_hex(),
            signature: to_hex(&signature.to_bytes()),
        }
    }
}

/// A short form of a public key for people to compare: its first 16 hexadecimal digits.
pub fn fingerprint(public_key: &str) -> String {
    public_key.chars().take(16).collect()
}

impl Anchor {
    /// Checks the signature against the key the anchor names and, when given, against the
    /// key the Département trusts. The message says what is wrong, in French.
    pub fn check_signature(&self, trusted: Option<&str>) -> Result<(), String> {
        if let Some(trusted) = trusted
            && !trusted.trim().eq_ignore_ascii_case(&self.public_key)
        {
            return Err(format!(
                "l'ancrage de l'entrée n°{} est signé par la clé {}, pas par la clé de confiance {}",
                self.seq,
                fingerprint(&self.public_key),
                fingerprint(trusted.trim())
            ));
        }
        let key = from_hex::<32>(&self.public_key)
            .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
            .ok_or_else(|| {
                format!(
                    "l'ancrage de l'entrée n°{} porte une clé publique illisible",
                    self.seq
                )
            })?;
        let signature = from_hex::<64>(&self.signature)
            .map(|bytes| Signature::from_bytes(&bytes))
            .ok_or_else(|| {
                format!(
                    "l'ancrage de l'entrée n°{} porte une signature illisible",
                    self.seq
                )
            })?;
        key.verify(&message(self.seq, &self.hash, &self.anchored_at), &signature)
            .map_err(|_| {
                format!(
                    "la signature de l'ancrage de l'entrée n°{} ne correspond pas à son contenu : le fichier d'ancrage a été modifié",
                    self.seq
                )
            })
    }
}

/// Compares the journal with anchors whose signatures were checked. `hashes` holds, for
/// each anchored entry number that exists in the journal, the hash it has now; `head_seq`
/// is the journal's last entry. Returns the number of anchors that hold, or where the
/// journal first departs from what was anchored: the rewritten entry lies after the last
/// anchor that still holds and at or before the first that does not.
pub fn check_anchors(
    anchors: &[Anchor],
    hashes: &BTreeMap<i64, String>,
    head_seq: i64,
) -> Result<usize, ChainBreak> {
    let mut sorted: Vec<&Anchor> = anchors.iter().collect();
    sorted.sort_by(|a, b| (a.seq, &a.anchored_at).cmp(&(b.seq, &b.anchored_at)));
    let mut last_good = 0i64;
    for anchor in &sorted {
        if anchor.seq > head_seq {
            return Err(ChainBreak {
                seq: head_seq + 1,
                reason: format!(
                    "le journal s'arrête à l'entrée n°{head_seq} alors qu'il en comptait {} quand il a été ancré le {} : les dernières entrées ont été supprimées",
                    anchor.seq, anchor.anchored_at
                ),
            });
        }
        if anchor.seq < 1 {
            continue;
        }
        match hashes.get(&anchor.seq) {
            Some(hash) if *hash == anchor.hash => last_good = anchor.seq,
            _ => {
                let first = last_good + 1;
                let range = if first == anchor.seq {
                    format!("l'entrée n°{first} a été réécrite")
                } else {
                    format!(
                        "une entrée entre la n°{first} et la n°{} a été réécrite, et les suivantes rechaînées",
                        anchor.seq
                    )
                };
                return Err(ChainBreak {
                    seq: first,
                    reason: format!(
                        "{range} : l'entrée n°{} ne porte plus l'empreinte ancrée le {}",
                        anchor.seq, anchor.anchored_at
                    ),
                });
            }
        }
    }
    Ok(sorted.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> AnchorKey {
        AnchorKey::from_secret([7u8; 32])
    }

    #[test]
    fn a_signed_anchor_verifies_and_any_change_is_seen() {
        let anchor = key().anchor(42, "ab12", "2026-12-05T10:00:00Z");
        assert_eq!(anchor.check_signature(None), Ok(()));
        assert_eq!(anchor.check_signature(Some(&key().public_hex())), Ok(()));
        let other = AnchorKey::from_secret([8u8; 32]);
        assert!(
            anchor
                .check_signature(Some(&other.public_hex()))
                .unwrap_err()
                .contains("clé de confiance")
        );
        for altered in [
            Anchor {
                seq: 43,
                ..anchor.clone()
            },
            Anchor {
                hash: "ab13".into(),
                ..anchor.clone()
            },
            Anchor {
                anchored_at: "2026-12-05T10:00:01Z".into(),
                ..anchor.clone()
            },
        ] {
            assert!(
                altered
                    .check_signature(None)
                    .unwrap_err()
                    .contains("a été modifié")
            );
        }
        let garbled = Anchor {
            signature: "zz".into(),
            ..anchor
        };
        assert!(
            garbled
                .check_signature(None)
                .unwrap_err()
                .contains("illisible")
        );
    }

    #[test]
    fn the_key_round_trips_through_its_text() {
        let k = key();
        let again = AnchorKey::from_hex(&k.secret_hex()).unwrap();
        assert_eq!(again.public_hex(), k.public_hex());
        assert!(AnchorKey::from_hex("123").is_none());
        assert!(AnchorKey::from_hex(&"é".repeat(32)).is_none());
    }

    fn hashes(pairs: &[(i64, &str)]) -> BTreeMap<i64, String> {
        pairs.iter().map(|(s, h)| (*s, h.to_string())).collect()
    }

    #[test]
    fn anchors_locate_a_rewrite_between_the_last_that_holds_and_the_first_that_fails() {
        let k = key();
        let anchors = vec![
            k.anchor(10, "h10", "2026-12-01T00:00:00Z"),
            k.anchor(20, "h20", "2026-12-02T00:00:00Z"),
            k.anchor(30, "h30", "2026-12-03T00:00:00Z"),
        ];
        type Case<'a> = (&'a [(i64, &'a str)], i64, Result<usize, i64>);
        let table: &[Case] = &[
            (&[(10, "h10"), (20, "h20"), (30, "h30")], 35, Ok(3)),
            (&[(10, "h10"), (20, "x20"), (30, "x30")], 35, Err(11)),
            (&[(10, "x10"), (20, "x20"), (30, "x30")], 35, Err(1)),
            (&[(10, "h10"), (20, "h20")], 25, Err(26)),
        ];
        for (now, head, expected) in table {
            let got = check_anchors(&anchors, &hashes(now), *head).map_err(|b| b.seq);
            assert_eq!(&got, expected, "{now:?}");
        }
        let single = vec![k.anchor(5, "h5", "2026-12-01T00:00:00Z")];
        let err = check_anchors(&single, &hashes(&[(5, "x")]), 9).unwrap_err();
        assert_eq!(err.seq, 1);
        let exact = vec![
            k.anchor(4, "h4", "2026-12-01T00:00:00Z"),
            k.anchor(5, "h5", "2026-12-01T00:00:00Z"),
        ];
        let err = check_anchors(&exact, &hashes(&[(4, "h4"), (5, "x")]), 9).unwrap_err();
        assert_eq!(err.seq, 5);
        assert!(err.reason.starts_with("l'entrée n°5 a été réécrite"));
    }
}
