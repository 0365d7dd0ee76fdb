//! The PDF side of a signature: reading what an incremental update needs (the catalog,
//! the first page, the cross-reference chain) and writing the update after the signed
//! bytes, which are never touched. The update's cross-reference is written the way the
//! document's last one is (a table or a stream), so that the file stays one PDF/A-2b
//! document to every reader.

use crate::SignError;
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use std::fmt::Write as _;

/// A document as the update sees it.
pub(crate) struct Base {
    pub doc: lopdf::Document,
    /// Where the last cross-reference section starts.
    pub startxref: usize,
    /// Whether that section is a cross-reference stream (PDF 1.5+).
    pub xref_stream: bool,
    /// The first object number free for the update.
    pub next_id: u32,
    pub root: ObjectId,
}

impl Base {
    pub fn open(bytes: &[u8]) -> Result<Base, SignError> {
        let doc = lopdf::Document::load_mem(bytes)
            .map_err(|e| SignError::pdf(format!("document illisible ({e}).")))?;
        if doc.trailer.get(b"Encrypt").is_ok() {
            return Err(SignError::pdf(
                "un document chiffré ne peut pas être signé ici.",
            ));
        }
        let startxref = last_startxref(bytes)?;
        let xref_stream = !bytes
            .get(startxref..)
            .is_some_and(|rest| trim_start(rest).starts_with(b"xref"));
        let root = doc
            .trailer
            .get(b"Root")
            .and_then(Object::as_reference)
            .map_err(|_| SignError::pdf("le document n'a pas de catalogue (/Root)."))?;
        let size = doc
            .trailer
            .get(b"Size")
            .and_then(Object::as_i64)
            .ok()
            .and_then(|s| u32::try_from(s).ok())
            .unwrap_or(0);
        Ok(Base {
            startxref,
            xref_stream,
            next_id: size.max(doc.max_id.saturating_add(1)),
            root,
            doc,
        })
    }

    pub fn dictionary(&self, id: ObjectId) -> Result<Dictionary, SignError> {
        self.doc
            .get_dictionary(id)
            .cloned()
            .map_err(|_| SignError::pdf(format!("objet {} {} R introuvable.", id.0, id.1)))
    }

    pub fn first_page(&self) -> Result<ObjectId, SignError> {
        self.doc
            .get_pages()
            .values()
            .next()
            .copied()
            .ok_or_else(|| SignError::pdf("le document n'a aucune page."))
    }

    /// The trailer entries an update carries over.
    fn carried(&self) -> Vec<(&'static [u8], Object)> {
        [&b"Info"[..], &b"ID"[..]]
            .into_iter()
            .filter_map(|key| {
                self.doc
                    .trailer
                    .get(key)
                    .ok()
                    .cloned()
                    .map(|value| (key, value))
            })
            .collect()
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// The offset after the file's last `startxref` keyword.
fn last_startxref(bytes: &[u8]) -> Result<usize, SignError> {
    let keyword = b"startxref";
    let at = bytes
        .windows(keyword.len())
        .rposition(|w| w == keyword)
        .ok_or_else(|| SignError::pdf("mot-clé startxref absent."))?;
    let rest = trim_start(&bytes[at + keyword.len()..]);
    let digits: String = rest
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|b| char::from(*b))
        .collect();
    digits
        .parse()
        .map_err(|_| SignError::pdf("position de la table des références illisible."))
}

/// Objects appended after the document, then their cross-reference and trailer.
pub(crate) struct Update {
    base_len: usize,
    pub body: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

impl Update {
    pub fn new(base: &[u8]) -> Update {
        let mut body = Vec::new();
        // The update starts on a line of its own.
        if !base.ends_with(b"\n") && !base.ends_with(b"\r") {
            body.push(b'\n');
        }
        Update {
            base_len: base.len(),
            body,
            offsets: Vec::new(),
        }
    }

    /// Where the next byte written lands in the whole file.
    pub fn position(&self) -> usize {
        self.base_len + self.body.len()
    }

    /// Starts object `id`; its content follows, then `end_object`.
    pub fn begin_object(&mut self, id: u32) {
        self.offsets.push((id, self.position()));
        self.body
            .extend_from_slice(format!("{id} 0 obj\n").as_bytes());
    }

    pub fn end_object(&mut self) {
        self.body.extend_from_slice(b"\nendobj\n");
    }

    pub fn object(&mut self, id: u32, value: &Object) -> Result<(), SignError> {
        self.begin_object(id);
        let mut text = Vec::new();
        write_object(&mut text, value)?;
        self.body.extend_from_slice(&text);
        self.end_object();
        Ok(())
    }

    /// Writes the cross-reference section and trailer; gives the update's bytes.
    pub fn finish(mut self, base: &Base, next_id: u32) -> Result<Vec<u8>, SignError> {
        let root = base.root;
        let carried = base.carried();
        if base.xref_stream {
            let xref_id = next_id;
            let size = xref_id + 1;
            let xref_offset = self.position();
            self.offsets.push((xref_id, xref_offset));
            self.offsets.sort_unstable();
            let mut data = Vec::with_capacity(self.offsets.len() * 7);
            for (_, offset) in &self.offsets {
                let offset = u32::try_from(*offset)
                    .map_err(|_| SignError::pdf("document trop volumineux (plus de 4 Go)."))?;
                data.push(1u8);
                data.extend_from_slice(&offset.to_be_bytes());
                data.extend_from_slice(&[0, 0]);
            }
            let mut dict = Dictionary::new();
            dict.set("Type", Object::Name(b"XRef".to_vec()));
            dict.set("Size", Object::Integer(i64::from(size)));
            dict.set("Root", Object::Reference(root));
            for (key, value) in carried {
                dict.set(key, value);
            }
            dict.set("Prev", Object::Integer(offset_i64(base.startxref)?));
            dict.set(
                "W",
                Object::Array(vec![
                    Object::Integer(1),
                    Object::Integer(4),
                    Object::Integer(2),
                ]),
            );
            dict.set("Index", Object::Array(index_array(&self.offsets)));
            dict.set("Length", Object::Integer(offset_i64(data.len())?));
            self.body
                .extend_from_slice(format!("{xref_id} 0 obj\n").as_bytes());
            write_object(&mut self.body, &Object::Dictionary(dict))?;
            self.body.extend_from_slice(b"\nstream\n");
            self.body.extend_from_slice(&data);
            self.body.extend_from_slice(b"\nendstream\nendobj\n");
            self.body
                .extend_from_slice(format!("startxref\n{xref_offset}\n%%EOF\n").as_bytes());
        } else {
            let xref_offset = self.position();
            self.offsets.sort_unstable();
            let mut text = String::from("xref\n");
            for run in runs(&self.offsets) {
                let _ = writeln!(text, "{} {}", run[0].0, run.len());
                for (_, offset) in run {
                    let _ = write!(text, "{offset:010} 00000 n\r\n");
                }
            }
            self.body.extend_from_slice(text.as_bytes());
            let mut trailer = Dictionary::new();
            trailer.set("Size", Object::Integer(i64::from(next_id)));
            trailer.set("Root", Object::Reference(root));
            for (key, value) in carried {
                trailer.set(key, value);
            }
            trailer.set("Prev", Object::Integer(offset_i64(base.startxref)?));
            self.body.extend_from_slice(b"trailer\n");
            write_object(&mut self.body, &Object::Dictionary(trailer))?;
            self.body
                .extend_from_slice(format!("\nstartxref\n{xref_offset}\n%%EOF\n").as_bytes());
        }
        Ok(self.body)
    }
}

fn offset_i64(n: usize) -> Result<i64, SignError> {
    i64::try_from(n).map_err(|_| SignError::pdf("document trop volumineux."))
}

/// Consecutive object numbers, as cross-reference subsections group them.
fn runs(offsets: &[(u32, usize)]) -> Vec<&[(u32, usize)]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=offsets.len() {
        if i == offsets.len() || offsets[i].0 != offsets[i - 1].0 + 1 {
            runs.push(&offsets[start..i]);
            start = i;
        }
    }
    runs
}

fn index_array(offsets: &[(u32, usize)]) -> Vec<Object> {
    runs(offsets)
        .into_iter()
        .flat_map(|run| {
            [
                Object::Integer(i64::from(run[0].0)),
                Object::Integer(i64::try_from(run.len()).unwrap_or(i64::MAX)),
            ]
        })
        .collect()
}

/// Writes a PDF object in its text form. Streams are never rewritten by an update.
pub(crate) fn write_object(out: &mut Vec<u8>, object: &Object) -> Result<(), SignError> {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(real(*r).as_bytes()),
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Literal) => write_literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            out.extend_from_slice(hex::encode_upper(bytes).as_bytes());
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item)?;
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict)?,
        Object::Reference((id, generation)) => {
            out.extend_from_slice(format!("{id} {generation} R").as_bytes());
        }
        Object::Stream(_) => {
            return Err(SignError::pdf(
                "un flux ne peut pas être réécrit dans une mise à jour de signature.",
            ));
        }
    }
    Ok(())
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) -> Result<(), SignError> {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        out.push(b' ');
        write_object(out, value)?;
        out.push(b' ');
    }
    out.extend_from_slice(b">>");
    Ok(())
}

fn real(r: f32) -> String {
    let text = format!("{r:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        let regular = (0x21..=0x7e).contains(&b) && !b"#()<>[]{}/%".contains(&b);
        if regular {
            out.push(b);
        } else {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        }
    }
}

fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

/// A text string: ASCII as is, anything else in UTF-16BE with its byte order mark, as
/// PDF text strings allow.
pub(crate) fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Reads a text string back (PDFDocEncoding taken as Latin-1, or UTF-16BE with BOM).
pub(crate) fn read_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|b| char::from(*b)).collect()
}

/// A PDF date in UTC: "D:20231120103000Z".
pub(crate) fn pdf_date(at: jiff::Timestamp) -> String {
    format!("D:{}", at.strftime("%Y%m%d%H%M%SZ"))
}

/// Reads a PDF date ("D:YYYYMMDDHHmmSS" with "Z", "+HH'mm'" or nothing).
pub(crate) fn parse_pdf_date(text: &str) -> Option<jiff::Timestamp> {
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < 4 {
        return None;
    }
    let field = |from: usize, len: usize, default: i32| -> Option<i32> {
        match digits.get(from..from + len) {
            Some(d) => d.parse().ok(),
            None => Some(default),
        }
    };
    let year = i16::try_from(field(0, 4, 0)?).ok()?;
    let month = i8::try_from(field(4, 2, 1)?).ok()?;
    let day = i8::try_from(field(6, 2, 1)?).ok()?;
    let hour = i8::try_from(field(8, 2, 0)?).ok()?;
    let minute = i8::try_from(field(10, 2, 0)?).ok()?;
    let second = i8::try_from(field(12, 2, 0)?).ok()?;
    let local = jiff::civil::DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
    let rest = &text[digits.len()..];
    let offset_seconds = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let numbers: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let hours: i32 = numbers.get(0..2)?.parse().ok()?;
            let minutes: i32 = numbers.get(2..4).and_then(|m| m.parse().ok()).unwrap_or(0);
            let magnitude = hours * 3600 + minutes * 60;
            if sign == '-' { -magnitude } else { magnitude }
        }
        _ => 0,
    };
    let offset = jiff::tz::Offset::from_seconds(offset_seconds).ok()?;
    offset.to_timestamp(local).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_written_in_their_text_form() {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Annot".to_vec()));
        dict.set(
            "T",
            Object::String(b"a(b)\\".to_vec(), StringFormat::Literal),
        );
        dict.set("Odd name", Object::Integer(-3));
        dict.set(
            "Rect",
            Object::Array(vec![Object::Real(0.5), Object::Reference((12, 0))]),
        );
        let mut out = Vec::new();
        write_object(&mut out, &Object::Dictionary(dict)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<</Type /Annot /T (a\\(b\\)\\\\) /Odd#20name -3 /Rect [0.5 12 0 R] >>"
        );
    }

    #[test]
    fn text_strings_keep_accents() {
        let Object::String(bytes, _) = text_string("Réunion") else {
            panic!("a string")
        };
        assert_eq!(read_text(&bytes), "Réunion");
        let Object::String(bytes, _) = text_string("Arras") else {
            panic!("a string")
        };
        assert_eq!(bytes, b"Arras");
    }

    #[test]
    fn pdf_dates_read_back() {
        let at: jiff::Timestamp = "2023-11-20T10:30:00Z".parse().unwrap();
        assert_eq!(pdf_date(at), "D:20231120103000Z");
        assert_eq!(parse_pdf_date(&pdf_date(at)), Some(at));
        assert_eq!(parse_pdf_date("D:20231120113000+01'00'"), Some(at));
        assert_eq!(
            parse_pdf_date("D:2023"),
            "2023-01-01T00:00:00Z".parse().ok()
        );
        assert_eq!(parse_pdf_date("garbage"), None);
    }

    #[test]
    fn runs_group_consecutive_numbers() {
        let offsets = [(3, 10), (4, 20), (7, 30)];
        let grouped: Vec<usize> = runs(&offsets).iter().map(|r| r.len()).collect();
        assert_eq!(grouped, [2, 1]);
    }
}
