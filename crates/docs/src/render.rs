//! Rendering: Typst for PDF/A-2b, askama for HTML, from the same document.

use crate::config::DocumentsConfig;
use crate::model::{Document, DocumentKind};
use crate::{DocsError, html};
use std::path::Path;
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Smart};
use typst_as_lib::{TypstEngine, TypstTemplateCollection};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// A page with the logo alone: compiled to check that a logo can be printed.
const LOGO_CHECK: (&str, &str) = ("logo-check.typ", "#image(sys.inputs.logo, height: 1.5cm)");

const TEMPLATES: [(&str, &str); 8] = [
    ("common.typ", include_str!("../typst/common.typ")),
    (
        "deliberation.typ",
        include_str!("../typst/deliberation.typ"),
    ),
    ("report.typ", include_str!("../typst/report.typ")),
    ("convention.typ", include_str!("../typst/convention.typ")),
    ("minutes.typ", include_str!("../typst/minutes.typ")),
    ("register.typ", include_str!("../typst/register.typ")),
    ("convocation.typ", include_str!("../typst/convocation.typ")),
    ("letter.typ", include_str!("../typst/letter.typ")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Html,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Html => "html",
        }
    }

    pub fn parse(input: &str) -> Option<Format> {
        match input.trim().to_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "html" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Renders documents; built once, used for a whole batch, from several threads.
pub struct Renderer {
    engine: TypstEngine<TypstTemplateCollection>,
    config: DocumentsConfig,
    logo: Option<Vec<u8>>,
}

impl Renderer {
    /// The embedded templates, or those of `templates_dir` where it has a file of the same
    /// name; the logo of the configuration, read now.
    pub fn new(
        config: DocumentsConfig,
        templates_dir: Option<&Path>,
    ) -> Result<Renderer, DocsError> {
        let logo = match config.header.logo.trim() {
            "" => None,
            path => Some(std::fs::read(path).map_err(|e| DocsError::Config {
                origin: "header.logo".to_string(),
                message: format!("logo « {path} » illisible : {e}"),
            })?),
        };
        Renderer::with_logo(config, templates_dir, logo)
    }

    /// The same, with the logo given as bytes (a collectivity's, kept in its database)
    /// instead of the configuration's file.
    pub fn with_logo(
        config: DocumentsConfig,
        templates_dir: Option<&Path>,
        logo: Option<Vec<u8>>,
    ) -> Result<Renderer, DocsError> {
        let mut sources: Vec<(&'static str, String)> = Vec::new();
        for (name, embedded) in TEMPLATES {
            let text = match templates_dir.map(|d| d.join(name)) {
                Some(path) if path.exists() => {
                    std::fs::read_to_string(&path).map_err(|e| DocsError::Template {
                        template: path.display().to_string(),
                        message: e.to_string(),
                    })?
                }
                _ => embedded.to_string(),
            };
            sources.push((name, text));
        }
        sources.push((LOGO_CHECK.0, LOGO_CHECK.1.to_string()));
        let engine = TypstEngine::builder()
            .with_static_source_file_resolver(sources)
            .fonts(typst_assets::fonts().map(|f| f.to_vec()))
            // Keep layout caches for a few documents of a batch: faster than evicting after
            // each one, without the memory growth of longer ages (see BENCHMARKS.md).
            .comemo_evict_max_age(Some(5))
            .build();
        Ok(Renderer {
            engine,
            config,
            logo,
        })
    }

    pub fn config(&self) -> &DocumentsConfig {
        &self.config
    }

    /// The configured logo as a `data:` URI, for a web page's header.
    pub fn logo_data_uri(&self) -> Option<String> {
        crate::html::logo_uri(self.logo.as_deref())
    }

    fn inputs(&self, doc: &Document) -> Result<Dict, DocsError> {
        let data = serde_json::to_string(doc).map_err(|e| DocsError::Data {
            document: doc.meta().title.clone(),
            message: e.to_string(),
        })?;
        let mut dict = Dict::new();
        dict.insert("data".into(), data.into_value());
        if let Some(logo) = &self.logo {
            dict.insert("logo".into(), Bytes::new(logo.clone()).into_value());
        }
        Ok(dict)
    }

    /// Refuses a logo the documents could not print (a damaged or unknown image), naming
    /// the setting, before any document needs it.
    pub fn check_logo(&self) -> Result<(), DocsError> {
        let Some(logo) = &self.logo else {
            return Ok(());
        };
        let mut inputs = Dict::new();
        inputs.insert("logo".into(), Bytes::new(logo.clone()).into_value());
        let output: Result<PagedDocument, _> =
            self.engine.compile_with_input(LOGO_CHECK.0, inputs).output;
        output.map(|_| ()).map_err(|e| {
            let detail = format!("{e:?}");
            // The diagnostic's own words, without the compiler's structure around them.
            let reason = detail
                .split_once("message: \"")
                .and_then(|(_, rest)| rest.split_once('"'))
                .map_or(detail.as_str(), |(message, _)| message);
            DocsError::Config {
                origin: "header.logo".to_string(),
                message: format!("le logo ne s'imprime pas : {reason}"),
            }
        })
    }

    fn layout(&self, doc: &Document) -> Result<PagedDocument, DocsError> {
        let meta = doc.meta();
        let template = meta.kind.template();
        let result = self.engine.compile_with_input(template, self.inputs(doc)?);
        result.output.map_err(|e| DocsError::Render {
            document: meta.title.clone(),
            message: format!("{template} : {e:?}"),
        })
    }

    /// The document as PDF/A-2b, dated with the act's date so that it renders the same
    /// bytes every time.
    pub fn pdf(&self, doc: &Document) -> Result<Vec<u8>, DocsError> {
        let meta = doc.meta();
        let paged = self.layout(doc)?;
        let standards = PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| DocsError::Render {
            document: meta.title.clone(),
            message: format!("{e:?}"),
        })?;
        let date =
            acta_domain::french::parse_date("date", &meta.date).map_err(|e| DocsError::Data {
                document: meta.title.clone(),
                message: e.message,
            })?;
        let timestamp = Datetime::from_ymd(
            i32::from(date.year()),
            u8::try_from(date.month()).unwrap_or(1),
            u8::try_from(date.day()).unwrap_or(1),
        )
        .map(Timestamp::new_utc);
        let options = PdfOptions {
            ident: Smart::Custom(meta.file_stem.clone()),
            creator: Smart::Custom(Some("acta".to_string())),
            timestamp,
            page_ranges: None,
            standards,
            tagged: true,
            pretty: false,
        };
        typst_pdf::pdf(&paged, &options).map_err(|e| DocsError::Render {
            document: meta.title.clone(),
            message: format!("{e:?}"),
        })
    }

    pub fn html(&self, doc: &Document) -> Result<String, DocsError> {
        html::render(doc, self.logo.as_deref())
    }

    pub fn render(&self, doc: &Document, format: Format) -> Result<Vec<u8>, DocsError> {
        match format {
            Format::Pdf => self.pdf(doc),
            Format::Html => self.html(doc).map(String::into_bytes),
        }
    }

    /// Checks a batch before it starts: each document's data, then one layout per kind so
    /// that a template error shows at once, naming the document.
    pub fn check(&self, docs: &[Document]) -> Result<(), DocsError> {
        for doc in docs {
            crate::model::check(doc)?;
        }
        let mut seen: Vec<DocumentKind> = Vec::new();
        for doc in docs {
            let kind = doc.meta().kind;
            if !seen.contains(&kind) {
                seen.push(kind);
                self.layout(doc)?;
            }
        }
        Ok(())
    }
}
