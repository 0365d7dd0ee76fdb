//! A small XML writer: escaped text and attributes, nothing else to get wrong.

/// Escapes text for element content and attribute values (always written between double
/// quotes, so apostrophes stay as they are and read naturally).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 forbids are dropped rather than written.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An XML document built element by element, indented.
#[derive(Debug, Default)]
pub struct Xml {
    out: String,
    stack: Vec<String>,
}

impl Xml {
    pub fn new(declaration: &str) -> Xml {
        Xml {
            out: format!("{declaration}\n"),
            stack: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.stack.len() {
            self.out.push_str("  ");
        }
    }

    fn attributes(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            self.out.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attrs);
        self.out.push_str(">\n");
        self.stack.push(name.to_string());
        self
    }

    pub fn close(&mut self) -> &mut Self {
        if let Some(name) = self.stack.pop() {
            self.indent();
            self.out.push_str(&format!("</{name}>\n"));
        }
        self
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attrs);
        self.out.push_str("/>\n");
        self
    }

    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attrs);
        self.out.push('>');
        self.out.push_str(&escape(text));
        self.out.push_str(&format!("</{name}>\n"));
        self
    }

    /// An element whose content is already XML (inline markup).
    pub fn raw(&mut self, name: &str, attrs: &[(&str, &str)], inner: &str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attributes(attrs);
        self.out.push('>');
        self.out.push_str(inner);
        self.out.push_str(&format!("</{name}>\n"));
        self
    }

    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.close();
        }
        self.out
    }
}
