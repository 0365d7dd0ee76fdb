//! Bytes into text. Archives come as UTF-8, as Windows-1252, or as UTF-8 that was once read as
//! Windows-1252 and saved again ("DÃ©partement"): the last is repaired line by line, and
//! each repair is reported.

use acta_domain::encoding::{decode_lines, windows_1252_byte};

pub struct Decoded {
    pub text: String,
    /// Lines whose characters were repaired (1-based).
    pub repaired_lines: Vec<usize>,
    /// Lines that were not UTF-8 and were read as Windows-1252 (1-based).
    pub windows_1252_lines: Vec<usize>,
    /// The warning for a file that mixes UTF-8 and Windows-1252 lines.
    pub mixed_warning: Option<String>,
}

/// Reads bytes as text, line by line: UTF-8 when valid (a byte-order mark is dropped),
/// Windows-1252 otherwise; then repairs the lines that show UTF-8 read as Windows-1252.
pub fn decode(bytes: &[u8]) -> Decoded {
    let lines = decode_lines(bytes);
    let mixed_warning = lines.mixed_warning();
    let mut repaired_lines = Vec::new();
    let mut out = String::with_capacity(lines.text.len());
    for (index, line) in lines.text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match repair_line(line) {
            Some(repaired) => {
                repaired_lines.push(index + 1);
                out.push_str(&repaired);
            }
            None => out.push_str(line),
        }
    }
    Decoded {
        text: out,
        repaired_lines,
        windows_1252_lines: lines.windows_1252_lines,
        mixed_warning,
    }
}

/// The marks UTF-8 leaves when read as Windows-1252: a lead byte shown as "Ã", "Â" or "â"
/// followed by a continuation byte shown as one of 0x80–0xBF.
fn looks_mis_decoded(line: &str) -> bool {
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, 'Ã' | 'Â' | 'â' | 'Å')
            && let Some(next) = chars.peek()
            && windows_1252_byte(*next).is_some_and(|b| (0x80..=0xBF).contains(&b))
        {
            return true;
        }
    }
    false
}

/// The line re-read as UTF-8 when it shows mis-decoding and every character maps back to one
/// Windows-1252 byte; `None` when the line is fine or cannot be repaired safely.
fn repair_line(line: &str) -> Option<String> {
    if line.is_ascii() || !looks_mis_decoded(line) {
        return None;
    }
    let bytes: Option<Vec<u8>> = line.chars().map(windows_1252_byte).collect();
    String::from_utf8(bytes?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_utf8_read_as_windows_1252() {
        let decoded =
            decode("ok\nDÃ©partement du Pas-de-Calais â€“ dÃ©libÃ©ration\nsuite".as_bytes());
        assert_eq!(
            decoded.text,
            "ok\nDépartement du Pas-de-Calais – délibération\nsuite"
        );
        assert_eq!(decoded.repaired_lines, vec![2]);
    }

    #[test]
    fn reads_windows_1252_and_drops_the_byte_order_mark() {
        assert_eq!(decode(b"R\xe9gion \x80").text, "Région €");
        assert_eq!(decode(b"R\xe9gion").windows_1252_lines, vec![1]);
        assert_eq!(decode("\u{feff}Vu".as_bytes()).text, "Vu");
    }

    #[test]
    fn leaves_correct_text_alone() {
        let text = "Âge, Ça, Ôter, à l’unanimité — 120 000 €";
        let decoded = decode(text.as_bytes());
        assert_eq!(decoded.text, text);
        assert!(decoded.repaired_lines.is_empty());
    }
}
