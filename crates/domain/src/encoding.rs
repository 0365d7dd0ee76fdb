//! Bytes into text, line by line. Files that collectivities publish are UTF-8 or
//! Windows-1252, and sometimes both: a file written in UTF-8 and later appended to by a
//! tool that writes Windows-1252. Deciding the encoding once for the whole file garbles
//! every good line for one bad byte; deciding it per line keeps the good lines and names
//! the others.

/// Windows-1252 characters for the bytes 0x80 to 0x9F; the five unassigned bytes keep their
/// Latin-1 control character.
pub const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

pub fn windows_1252_char(byte: u8) -> char {
    match byte {
        0x80..=0x9F => CP1252_HIGH[usize::from(byte - 0x80)],
        other => char::from(other),
    }
}

/// The Windows-1252 byte of a character, if it has one.
pub fn windows_1252_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    if code < 0x80 || (0xA0..=0xFF).contains(&code) {
        return u8::try_from(code).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|known| *known == c)
        .and_then(|i| u8::try_from(i + 0x80).ok())
}

/// Text decoded line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDecoded {
    pub text: String,
    /// Lines (from 1) that were not UTF-8 and were read as Windows-1252.
    pub windows_1252_lines: Vec<usize>,
    /// Whether other lines hold non-ASCII UTF-8: the file mixes both encodings.
    pub has_utf8_text: bool,
}

impl LineDecoded {
    /// The file's encoding as a person would name it.
    pub fn encoding(&self) -> &'static str {
        match (self.windows_1252_lines.is_empty(), self.has_utf8_text) {
            (true, _) => "UTF-8",
            (false, false) => "Windows-1252",
            (false, true) => "mixte (UTF-8 et Windows-1252)",
        }
    }

    /// A French warning when the file mixes encodings, naming the lines read otherwise.
    pub fn mixed_warning(&self) -> Option<String> {
        if self.windows_1252_lines.is_empty() || !self.has_utf8_text {
            return None;
        }
        let shown: Vec<String> = self
            .windows_1252_lines
            .iter()
            .take(10)
            .map(usize::to_string)
            .collect();
        let more = if self.windows_1252_lines.len() > 10 {
            format!(" et {} autre(s)", self.windows_1252_lines.len() - 10)
        } else {
            String::new()
        };
        Some(format!(
            "Le fichier mélange deux encodages : lu en UTF-8, sauf {} ligne(s) lue(s) en Windows-1252 (ligne(s) {}{more}) ; vérifiez leurs accents.",
            self.windows_1252_lines.len(),
            shown.join(", ")
        ))
    }
}

/// Decodes each line (split on line feeds) as UTF-8 when it is valid, as Windows-1252
/// otherwise. A byte-order mark at the start is dropped.
pub fn decode_lines(bytes: &[u8]) -> LineDecoded {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return LineDecoded {
            text: text.to_string(),
            windows_1252_lines: Vec::new(),
            has_utf8_text: !text.is_ascii(),
        };
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
    let mut windows_1252_lines = Vec::new();
    let mut has_utf8_text = false;
    for (index, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if index > 0 {
            text.push('\n');
        }
        match std::str::from_utf8(line) {
            Ok(valid) => {
                has_utf8_text |= !valid.is_ascii();
                text.push_str(valid);
            }
            Err(_) => {
                windows_1252_lines.push(index + 1);
                text.extend(line.iter().map(|b| windows_1252_char(*b)));
            }
        }
    }
    LineDecoded {
        text,
        windows_1252_lines,
        has_utf8_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_line_keeps_its_own_encoding() {
        let table: &[(&[u8], &str, &[usize], &str)] = &[
            (
                "Département\nRégion".as_bytes(),
                "Département\nRégion",
                &[],
                "UTF-8",
            ),
            (
                b"D\xe9partement\nR\xe9gion \x80",
                "Département\nRégion €",
                &[1, 2],
                "Windows-1252",
            ),
            (
                b"D\xc3\xa9partement de l'H\xc3\xa9rault\nfin \xe9t\xe9",
                "Département de l'Hérault\nfin été",
                &[2],
                "mixte (UTF-8 et Windows-1252)",
            ),
            (b"\xEF\xBB\xBFVu", "Vu", &[], "UTF-8"),
            (b"ascii\nR\xe9gion", "ascii\nRégion", &[2], "Windows-1252"),
        ];
        for (bytes, text, lines, encoding) in table {
            let d = decode_lines(bytes);
            assert_eq!(d.text, *text);
            assert_eq!(d.windows_1252_lines, *lines);
            assert_eq!(d.encoding(), *encoding, "{text}");
        }
    }

    #[test]
    fn a_mixed_file_is_named_with_its_lines() {
        let mut bytes = "nom\nDépartement de l'Hérault\n".repeat(3).into_bytes();
        bytes.extend_from_slice(b"Caf\xe9");
        let d = decode_lines(&bytes);
        let warning = d.mixed_warning().unwrap();
        assert!(warning.contains("ligne(s) 7"), "{warning}");
        assert!(d.text.starts_with("nom\nDépartement de l'Hérault"));
        assert!(decode_lines(b"R\xe9gion").mixed_warning().is_none());
    }

    #[test]
    fn windows_1252_bytes_round_trip() {
        for byte in 0u8..=255 {
            assert_eq!(windows_1252_byte(windows_1252_char(byte)), Some(byte));
        }
    }

    proptest! {
        #[test]
        fn any_bytes_decode_with_the_same_number_of_lines(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let d = decode_lines(&bytes);
            let lines = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes).split(|b| *b == b'\n').count();
            prop_assert_eq!(d.text.split('\n').count(), lines);
        }
    }
}
