//! Signing in tests: signers with certificates of a test authority, the tools that read
//! the signed files (poppler's pdfsig and pdftotext, qpdf).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use acta_app::input::{SignInput, SignerInput};
use acta_docs::{DocumentsConfig, Renderer};
use acta_sign::testing::{KeyKind, PASSWORD, TestAuthority};
use std::process::Command;

pub fn run(tool: &str, args: &[&str], pdf: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let path = path.to_string_lossy().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.push(&path);
    if tool == "pdftotext" {
        all.push("-");
    }
    let out = Command::new(tool)
        .args(&all)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (poppler-utils, qpdf): {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// The PDF's text in reading order, with every run of spaces and line breaks as one space
/// (the signature blocks are set in columns and wrap).
pub fn words(pdf: &[u8]) -> String {
    let (_, text) = run("pdftotext", &[], pdf);
    text.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The test authority's signers: a PKCS#12 file each, their password in a file.
pub struct Signers {
    _dir: tempfile::TempDir,
    pub files: Vec<(String, String)>,
    pub password: String,
    pub authority_pem: String,
}

impl Signers {
    pub fn new(names: &[&str]) -> Signers {
        let authority = TestAuthority::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let password = dir.path().join("mot-de-passe");
        std::fs::write(&password, format!("{PASSWORD}\n")).unwrap();
        let files = names
            .iter()
            .map(|name| {
                let path = dir.path().join(format!("{}.p12", name.replace(' ', "-")));
                std::fs::write(
                    &path,
                    authority.issue(name, KeyKind::EcP256, 2023, 2030).unwrap(),
                )
                .unwrap();
                (name.to_string(), path.to_string_lossy().to_string())
            })
            .collect();
        Signers {
            authority_pem: authority.certificate_pem(),
            _dir: dir,
            files,
            password: format!("file:{}", password.to_string_lossy()),
        }
    }

    pub fn input(&self, name: &str, role: &str) -> SignerInput {
        let (_, path) = self.files.iter().find(|(n, _)| n == name).unwrap();
        SignerInput {
            name: name.to_string(),
            role: role.to_string(),
            pkcs12: path.clone(),
            password_from: self.password.clone(),
        }
    }
}

pub fn renderer() -> Renderer {
    Renderer::new(DocumentsConfig::embedded().unwrap(), None).unwrap()
}

pub fn signer(name: &str) -> SignInput {
    SignInput {
        signer: name.to_string(),
    }
}
