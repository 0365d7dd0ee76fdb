//! Accessible HTML pages of the documents, from the same data as the PDFs: one heading
//! hierarchy, tables with captions and column headers, French language declared.

use crate::DocsError;
use crate::model::{
    Article, ConventionDoc, ConvocationDoc, DeliberationDoc, Document, LetterDoc, MinutesDoc,
    RegisterDoc, ReportDoc, SignatureBlock, Table,
};
use acta_domain::text::{Block, ListItem, RichText};
use askama::Template;

pub use acta_domain::text::escape_html as escape;

fn items(out: &mut String, list: &[ListItem]) {
    out.push_str("<ul>");
    for item in list {
        out.push_str("<li>");
        out.push_str(&escape(&item.text));
        if !item.children.is_empty() {
            items(out, &item.children);
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// Structured text as HTML (already escaped).
pub fn rich(text: &RichText) -> String {
    let mut out = String::new();
    for block in &text.0 {
        match block {
            Block::Paragraph(t) => {
                out.push_str("<p>");
                out.push_str(&escape(t));
                out.push_str("</p>");
            }
            Block::Heading(t) => {
                out.push_str("<p class=\"intertitre\"><strong>");
                out.push_str(&escape(t));
                out.push_str("</strong></p>");
            }
            Block::List(list) => items(&mut out, list),
        }
    }
    out
}

fn table(t: &Table) -> String {
    let mut out = String::from("<table><caption>");
    out.push_str(&escape(&t.caption));
    out.push_str("</caption><thead><tr>");
    for h in &t.headers {
        out.push_str("<th scope=\"col\">");
        out.push_str(&escape(h));
        out.push_str("</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if t.numeric.get(i).copied().unwrap_or(false) {
                out.push_str("<td class=\"nombre\">");
            } else {
                out.push_str("<td>");
            }
            out.push_str(&escape(cell));
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

fn article(a: &Article) -> String {
    let mut out = String::from("<section><h2>");
    out.push_str(&escape(&a.heading));
    out.push_str("</h2>");
    out.push_str(&rich(&a.body));
    if let Some(t) = &a.table {
        out.push_str(&table(t));
    }
    out.push_str(&rich(&a.after));
    out.push_str("</section>");
    out
}

fn articles(list: &[Article]) -> String {
    list.iter().map(article).collect()
}

fn signatures(list: &[SignatureBlock]) -> String {
    let mut out = String::from("<div class=\"signatures\">");
    for s in list {
        out.push_str("<p class=\"signature\">");
        out.push_str(
            &s.lines
                .iter()
                .map(|l| escape(l))
                .collect::<Vec<_>>()
                .join("<br>"),
        );
        out.push_str("</p>");
    }
    out.push_str("</div>");
    out
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub(crate) fn logo_uri(logo: Option<&[u8]>) -> Option<String> {
    let bytes = logo?;
    let mime = logo_media_type(bytes).unwrap_or("image/svg+xml");
    Some(format!("data:{mime};base64,{}", base64(bytes)))
}

/// The kind of a logo file, by its first bytes: PNG, JPEG or SVG, the three the documents
/// print; none for anything else.
pub fn logo_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Some("image/jpeg");
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let svg = head.starts_with("<svg")
        || ((head.starts_with("<?xml") || head.starts_with("<!--")) && head.contains("<svg"));
    svg.then_some("image/svg+xml")
}

#[derive(Template)]
#[template(path = "deliberation.html")]
struct DeliberationPage<'a> {
    d: &'a DeliberationDoc,
    logo: Option<String>,
    articles: String,
    signatures: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    d: &'a ReportDoc,
    logo: Option<String>,
    sections: String,
    conclusion: String,
    budget: String,
    signature: String,
}

#[derive(Template)]
#[template(path = "convention.html")]
struct ConventionPage<'a> {
    d: &'a ConventionDoc,
    logo: Option<String>,
    preamble: String,
    articles: String,
    signatures: String,
}

#[derive(Template)]
#[template(path = "minutes.html")]
struct MinutesPage<'a> {
    d: &'a MinutesDoc,
    logo: Option<String>,
    signatures: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    d: &'a RegisterDoc,
    logo: Option<String>,
    signatures: String,
}

#[derive(Template)]
#[template(path = "convocation.html")]
struct ConvocationPage<'a> {
    d: &'a ConvocationDoc,
    logo: Option<String>,
    signatures: String,
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage<'a> {
    d: &'a LetterDoc,
    logo: Option<String>,
    signatures: String,
}

pub fn render(doc: &Document, logo: Option<&[u8]>) -> Result<String, DocsError> {
    let logo = logo_uri(logo);
    let result = match doc {
        Document::Deliberation(d) => DeliberationPage {
            d,
            logo,
            articles: articles(&d.articles),
            signatures: signatures(&d.signatures),
        }
        .render(),
        Document::Report(d) => ReportPage {
            d,
            logo,
            sections: articles(&d.sections),
            conclusion: rich(&d.conclusion),
            budget: d.budget.as_ref().map(table).unwrap_or_default(),
            signature: d
                .signature
                .as_ref()
                .map(|s| signatures(std::slice::from_ref(s)))
                .unwrap_or_default(),
        }
        .render(),
        Document::Convention(d) => ConventionPage {
            d,
            logo,
            preamble: rich(&d.preamble),
            articles: articles(&d.articles),
            signatures: signatures(&d.signatures),
        }
        .render(),
        Document::Minutes(d) => MinutesPage {
            d,
            logo,
            signatures: signatures(&d.signatures),
        }
        .render(),
        Document::Register(d) => RegisterPage {
            d,
            logo,
            signatures: signatures(&d.signatures),
        }
        .render(),
        Document::Convocation(d) => ConvocationPage {
            d,
            logo,
            signatures: signatures(&d.signatures),
        }
        .render(),
        Document::Letter(d) => LetterPage {
            d,
            logo,
            signatures: signatures(&d.signatures),
        }
        .render(),
    };
    result.map_err(|e| DocsError::Render {
        document: doc.meta().title.clone(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_encodes() {
        assert_eq!(escape("a <b> & « c »"), "a &lt;b&gt; &amp; « c »");
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
