//! Structured text of reports, deliberations and conventions: paragraphs, headings and
//! (nested) lists, kept as data so that every document is rendered from it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    Paragraph(String),
    /// A line that introduces what follows ("Cible « collégiens et actions collèges » :").
    Heading(String),
    List(Vec<ListItem>),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ListItem>,
}

/// A sequence of blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RichText(pub Vec<Block>);

impl RichText {
    pub fn paragraph(text: impl Into<String>) -> Self {
        RichText(vec![Block::Paragraph(text.into())])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every piece of text, in reading order: for search, checks and plain-text output.
    pub fn plain_lines(&self) -> Vec<String> {
        fn items(out: &mut Vec<String>, list: &[ListItem], depth: usize) {
            for item in list {
                out.push(format!("{}- {}", "  ".repeat(depth), item.text));
                items(out, &item.children, depth + 1);
            }
        }
        let mut out = Vec::new();
        for block in &self.0 {
            match block {
                Block::Paragraph(t) | Block::Heading(t) => out.push(t.clone()),
                Block::List(list) => items(&mut out, list, 0),
            }
        }
        out
    }

    /// Each text of the blocks, for validations that look at every string.
    pub fn texts(&self) -> Vec<&str> {
        fn items<'a>(out: &mut Vec<&'a str>, list: &'a [ListItem]) {
            for item in list {
                out.push(&item.text);
                items(out, &item.children);
            }
        }
        let mut out = Vec::new();
        for block in &self.0 {
            match block {
                Block::Paragraph(t) | Block::Heading(t) => out.push(t.as_str()),
                Block::List(list) => items(&mut out, list),
            }
        }
        out
    }
}

impl RichText {
    /// The same text with every string passed through `f` (typography, placeholders).
    pub fn map_text(&self, f: &impl Fn(&str) -> String) -> RichText {
        fn items(list: &[ListItem], f: &impl Fn(&str) -> String) -> Vec<ListItem> {
            list.iter()
                .map(|i| ListItem {
                    text: f(&i.text),
                    children: items(&i.children, f),
                })
                .collect()
        }
        RichText(
            self.0
                .iter()
                .map(|b| match b {
                    Block::Paragraph(t) => Block::Paragraph(f(t)),
                    Block::Heading(t) => Block::Heading(f(t)),
                    Block::List(list) => Block::List(items(list, f)),
                })
                .collect(),
        )
    }
}

/// Escapes text for HTML: the documents' HTML and the portal's pages.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
