//! Control characters in what a client sends: a NUL byte, the other C0 controls but tab
//! and line breaks, DEL and the C1 controls. PostgreSQL refuses NUL in text where SQLite
//! stores it; acta refuses all of them alike before any use case runs, with a French 400.

use crate::problem::Problem;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn forbidden(code: u32) -> bool {
    (code < 0x20 && !matches!(code, 0x09 | 0x0A | 0x0D)) || (0x7F..=0x9F).contains(&code)
}

fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// Percent-encoded text (an address, a form): `%00`… and the C1 controls' UTF-8 `%C2%80`….
pub fn in_percent_encoded(text: &[u8], allow_line_breaks: bool) -> bool {
    let byte_at = |i: usize| -> Option<u32> {
        match text.get(i..i + 3) {
            Some([b'%', a, b]) => Some(hex(*a)? * 16 + hex(*b)?),
            _ => None,
        }
    };
    // Raw bytes: only ASCII ones can be controls (0x80-0xBF also continue UTF-8 sequences).
    let raw = text.iter().any(|b| {
        *b < 0x80
            && (forbidden(u32::from(*b)) || (!allow_line_breaks && matches!(b, 0x09 | 0x0A | 0x0D)))
    });
    raw || (0..text.len()).any(|i| match byte_at(i) {
        Some(0xC2) => byte_at(i + 3).is_some_and(|next| (0x80..=0x9F).contains(&next)),
        Some(code) if code < 0x80 => {
            forbidden(code) || (!allow_line_breaks && matches!(code, 0x09 | 0x0A | 0x0D))
        }
        _ => false,
    })
}

/// A form body (application/x-www-form-urlencoded): line breaks and tabs are text.
pub fn in_form(body: &[u8]) -> bool {
    in_percent_encoded(body, true)
}

/// A JSON body: raw control bytes, `\u0000`-style escapes, and C1 characters as UTF-8.
pub fn in_json(body: &[u8]) -> bool {
    // C1 controls as UTF-8 (C2 80 to C2 9F); raw ASCII controls.
    let raw_c1 = body
        .windows(2)
        .any(|w| w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]));
    let raw = body.iter().any(|b| *b < 0x80 && forbidden(u32::from(*b)));
    // One pass over the escapes: "\\u0000" is an escaped backslash, then text.
    let mut escaped = false;
    let mut i = 0;
    while i < body.len() && !escaped {
        if body[i] != b'\\' {
            i += 1;
            continue;
        }
        if body.get(i + 1) == Some(&b'u') {
            let code = body.get(i + 2..i + 6).and_then(|digits| {
                digits
                    .iter()
                    .try_fold(0u32, |acc, d| Some(acc * 16 + hex(*d)?))
            });
            escaped = code.is_some_and(forbidden);
            i += 6;
        } else {
            i += 2;
        }
    }
    raw_c1 || raw || escaped
}

pub fn refusal() -> Problem {
    Problem::new(
        StatusCode::BAD_REQUEST,
        "Caractère de contrôle refusé",
        "La requête contient un caractère de contrôle (octet nul ou caractère invisible) : retirez-le et recommencez.".to_string(),
    )
}

/// Refuses an address (path or query) that carries a control character.
pub async fn refuse_in_address(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().as_bytes().to_vec())
        .unwrap_or_default();
    if in_percent_encoded(&target, false) {
        return refusal().into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_however_they_are_written() {
        for address in [
            "/api/deliberations/2023%00479",
            "/recherche?q=a%1Fb",
            "/a%c2%85",
            "/x%7F",
        ] {
            assert!(in_percent_encoded(address.as_bytes(), false), "{address}");
        }
        for address in [
            "/api/deliberations/2023-479",
            "/recherche?q=%C3%A9t%C3%A9",
            "/a%20b",
            "/100%25",
        ] {
            assert!(!in_percent_encoded(address.as_bytes(), false), "{address}");
        }
        assert!(in_form(b"nom=a%00b"));
        assert!(!in_form(b"articles=ligne+1%0D%0Aligne+2&x=%09"));
        assert!(in_json(br#"{"nom": "a\u0000b"}"#));
        assert!(in_json(br#"{"nom": "a\u009fb"}"#));
        assert!(in_json("{\"nom\": \"a\u{85}b\"}".as_bytes()));
        assert!(!in_json(
            br#"{"nom": "a\\u0000b", "texte": "l1\nl2\u000a"}"#
        ));
        assert!(!in_json("{\"nom\": \"Métiers – l’Artisanat\"}".as_bytes()));
    }
}
