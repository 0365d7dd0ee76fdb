//! PAdES signatures (ETSI EN 319 142, baseline B-B): a signature field on the first page,
//! a signature dictionary whose /ByteRange covers the whole file but its own /Contents,
//! and in /Contents a detached CAdES signature of those bytes. Each signature is an
//! incremental update: the bytes signed before stay as they were, so a second signature
//! (the secretary's after the president's) leaves the first one valid.

use crate::cms;
use crate::identity::SigningIdentity;
use crate::pdf::{Base, Update, parse_pdf_date, pdf_date, read_text, text_string, write_object};
use crate::{SignError, certificate};
use jiff::Timestamp;
use lopdf::{Dictionary, Object, ObjectId};
use sha2::Digest;
use x509_cert::Certificate;

/// Bytes reserved for the CMS signature: a chain of three RSA-4096 certificates fits
/// with room to spare.
const CONTENTS_BYTES: usize = 16_384;

/// The ByteRange placeholder: four fixed-width numbers, patched in place once the file's
/// length is known (leading zeros are valid in PDF integers).
const BYTE_RANGE_PLACEHOLDER: &str = "[0000000000 0000000000 0000000000 0000000000]";

/// What a signature says besides the signer.
#[derive(Debug, Clone)]
pub struct SignatureRequest<'a> {
    pub identity: &'a SigningIdentity,
    /// The signing time written in /M (and shown by readers).
    pub time: Timestamp,
    /// "Délibération N°2023-479".
    pub reason: Option<String>,
    /// "Arras".
    pub location: Option<String>,
}

/// Signs `pdf`, giving the signed file (the original bytes followed by the update).
pub fn sign(pdf: &[u8], request: &SignatureRequest) -> Result<Vec<u8>, SignError> {
    request.identity.check_valid_at(request.time)?;
    let base = Base::open(pdf)?;
    let page_id = base.first_page()?;
    let sig_id = base.next_id;
    let widget_id = sig_id + 1;
    let next_id = widget_id + 1;
    let widget_ref = Object::Reference((widget_id, 0));
    let mut update = Update::new(pdf);

    // The catalog's form, with the new field.
    let mut catalog = base.dictionary(base.root)?;
    let (acroform, acroform_id) = match catalog.get(b"AcroForm") {
        Ok(Object::Reference(id)) => (base.dictionary(*id)?, Some(*id)),
        Ok(Object::Dictionary(d)) => (d.clone(), None),
        _ => (Dictionary::new(), None),
    };
    let mut acroform = acroform;
    let (mut fields, fields_id) = array_entry(&base, &acroform, b"Fields")?;
    let field_number = fields.len() + 1;
    fields.push(widget_ref.clone());
    match fields_id {
        Some(id) => update.object(id.0, &Object::Array(fields))?,
        None => acroform.set("Fields", Object::Array(fields)),
    }
    // SignaturesExist | AppendOnly: readers must keep updates incremental.
    acroform.set("SigFlags", Object::Integer(3));
    match acroform_id {
        Some(id) => update.object(id.0, &Object::Dictionary(acroform))?,
        None => {
            catalog.set("AcroForm", Object::Dictionary(acroform));
            update.object(base.root.0, &Object::Dictionary(catalog))?;
        }
    }

    // The page's annotations, with the field's widget.
    let mut page = base.dictionary(page_id)?;
    let (mut annots, annots_id) = array_entry(&base, &page, b"Annots")?;
    annots.push(widget_ref);
    match annots_id {
        Some(id) => update.object(id.0, &Object::Array(annots))?,
        None => {
            page.set("Annots", Object::Array(annots));
            update.object(page_id.0, &Object::Dictionary(page))?;
        }
    }

    // The widget: invisible (a zero rectangle needs no appearance in PDF/A-2), printable
    // and locked, as PDF/A wants annotations flagged.
    let mut widget = Dictionary::new();
    widget.set("Type", Object::Name(b"Annot".to_vec()));
    widget.set("Subtype", Object::Name(b"Widget".to_vec()));
    widget.set("FT", Object::Name(b"Sig".to_vec()));
    widget.set("T", text_string(&format!("Signature{field_number}")));
    widget.set("V", Object::Reference((sig_id, 0)));
    widget.set("F", Object::Integer(4 + 128));
    widget.set("Rect", Object::Array(vec![Object::Integer(0); 4]));
    widget.set("P", Object::Reference(page_id));
    update.object(widget_id, &Object::Dictionary(widget))?;

    // The signature dictionary, written by hand around its two placeholders.
    update.begin_object(sig_id);
    update.body.extend_from_slice(
        b"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ",
    );
    let byte_range_at = update.position();
    update
        .body
        .extend_from_slice(BYTE_RANGE_PLACEHOLDER.as_bytes());
    update.body.extend_from_slice(b" /Contents ");
    let contents_at = update.position();
    update.body.push(b'<');
    update
        .body
        .extend(std::iter::repeat_n(b'0', CONTENTS_BYTES * 2));
    update.body.push(b'>');
    let contents_end = update.position();
    let mut rest = Dictionary::new();
    rest.set(
        "M",
        Object::String(
            pdf_date(request.time).into_bytes(),
            lopdf::StringFormat::Literal,
        ),
    );
    rest.set("Name", text_string(&request.identity.holder_name()));
    if let Some(reason) = &request.reason {
        rest.set("Reason", text_string(reason));
    }
    if let Some(location) = &request.location {
        rest.set("Location", text_string(location));
    }
    let mut tail = Vec::new();
    write_object(&mut tail, &Object::Dictionary(rest))?;
    // Splice the other entries into the same dictionary: drop their own "<<" and ">>".
    update.body.push(b' ');
    update.body.extend_from_slice(&tail[2..tail.len() - 2]);
    update.body.extend_from_slice(b">>");
    update.end_object();

    let appended = update.finish(&base, next_id)?;
    let mut signed = Vec::with_capacity(pdf.len() + appended.len());
    signed.extend_from_slice(pdf);
    signed.extend_from_slice(&appended);

    let total = signed.len();
    let after = total - contents_end;
    let byte_range = format!(
        "[{:010} {:010} {:010} {:010}]",
        0, contents_at, contents_end, after
    );
    if byte_range.len() != BYTE_RANGE_PLACEHOLDER.len() {
        return Err(SignError::pdf("document trop volumineux pour être signé."));
    }
    signed[byte_range_at..byte_range_at + byte_range.len()].copy_from_slice(byte_range.as_bytes());

    let mut hasher = sha2::Sha256::new();
    hasher.update(&signed[..contents_at]);
    hasher.update(&signed[contents_end..]);
    let digest = hasher.finalize();
    let signature = cms::sign_detached(request.identity, &digest)?;
    let encoded = hex::encode_upper(&signature);
    if encoded.len() > CONTENTS_BYTES * 2 {
        return Err(SignError::identity(
            "la chaîne de certificats est trop longue pour la place réservée à la signature.",
        ));
    }
    signed[contents_at + 1..contents_at + 1 + encoded.len()].copy_from_slice(encoded.as_bytes());
    Ok(signed)
}

/// An array entry of a dictionary, inline or held in an object of its own (then its id).
fn array_entry(
    base: &Base,
    dict: &Dictionary,
    key: &[u8],
) -> Result<(Vec<Object>, Option<ObjectId>), SignError> {
    match dict.get(key) {
        Ok(Object::Array(items)) => Ok((items.clone(), None)),
        Ok(Object::Reference(id)) => match base.doc.get_object(*id) {
            Ok(Object::Array(items)) => Ok((items.clone(), Some(*id))),
            _ => Err(SignError::pdf(format!(
                "/{} ne désigne pas un tableau.",
                String::from_utf8_lossy(key)
            ))),
        },
        _ => Ok((Vec::new(), None)),
    }
}

/// One signature of a document, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    /// The signer's name (the certificate's common name).
    pub signer: String,
    /// The certificate's subject and issuer, as "CN=…,O=…".
    pub subject: String,
    pub issuer: String,
    /// The certificate's serial number, in hexadecimal.
    pub serial: String,
    /// The claimed signing time (/M, else the CMS signing time).
    pub signed_at: Option<Timestamp>,
    pub reason: Option<String>,
    /// Whether this signature covers every byte of the file.
    pub covers_whole_document: bool,
    /// Whether the certificate was valid at the signing time.
    pub certificate_valid_at_signing: bool,
    /// The chain the signature carries, checked link by link up to its last certificate.
    pub chain: Vec<String>,
    /// Whether the chain reaches one of the trusted authorities given.
    pub trusted: bool,
    /// Why the signature does not hold, when it does not.
    pub problem: Option<String>,
}

/// The signatures of a document, in the order they were made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub signatures: Vec<SignatureReport>,
}

impl Verification {
    /// The verdict: every signature holds and the last covers the whole document.
    pub fn check(&self) -> Result<(), SignError> {
        for (i, s) in self.signatures.iter().enumerate() {
            if let Some(problem) = &s.problem {
                return Err(SignError::invalid(format!(
                    "signature {} ({}) : {problem}",
                    i + 1,
                    s.signer
                )));
            }
        }
        match self.signatures.last() {
            None => Err(SignError::Unsigned),
            Some(last) if !last.covers_whole_document => Err(SignError::invalid(
                "le document a été modifié après la dernière signature.",
            )),
            Some(_) => Ok(()),
        }
    }

    pub fn is_valid(&self) -> bool {
        self.check().is_ok()
    }
}

/// Checks every signature of `pdf`; `trusted` are the certification authorities the
/// collectivity recognises (DER certificates).
pub fn verify(pdf: &[u8], trusted: &[Certificate]) -> Result<Verification, SignError> {
    let doc = lopdf::Document::load_mem(pdf)
        .map_err(|e| SignError::pdf(format!("document illisible ({e}).")))?;
    let mut found: Vec<(Vec<i64>, Dictionary)> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"ByteRange").is_ok() && d.get(b"Contents").is_ok())
        .filter_map(|d| {
            let range = d
                .get(b"ByteRange")
                .and_then(Object::as_array)
                .ok()?
                .iter()
                .map(|o| o.as_i64().ok())
                .collect::<Option<Vec<i64>>>()?;
            Some((range, d.clone()))
        })
        .collect();
    if found.is_empty() {
        return Err(SignError::Unsigned);
    }
    found.sort_by_key(|(range, _)| {
        range.get(2).copied().unwrap_or(0) + range.get(3).copied().unwrap_or(0)
    });
    let signatures = found
        .iter()
        .map(|(range, dict)| check_one(pdf, range, dict, trusted))
        .collect();
    Ok(Verification { signatures })
}

fn check_one(
    pdf: &[u8],
    range: &[i64],
    dict: &Dictionary,
    trusted: &[Certificate],
) -> SignatureReport {
    let mut report = SignatureReport {
        signer: dict
            .get(b"Name")
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(read_text)
            .unwrap_or_else(|| "signataire inconnu".to_string()),
        subject: String::new(),
        issuer: String::new(),
        serial: String::new(),
        signed_at: dict
            .get(b"M")
            .ok()
            .and_then(|o| o.as_str().ok())
            .and_then(|b| parse_pdf_date(&read_text(b))),
        reason: dict
            .get(b"Reason")
            .ok()
            .and_then(|o| o.as_str().ok())
            .map(read_text),
        covers_whole_document: false,
        certificate_valid_at_signing: false,
        chain: Vec::new(),
        trusted: false,
        problem: None,
    };
    let signed = match signed_bytes(pdf, range, dict) {
        Ok(s) => s,
        Err(problem) => {
            report.problem = Some(problem);
            return report;
        }
    };
    report.covers_whole_document = signed.covers_whole;
    let checked = match cms::check_detached(&signed.contents, &signed.content) {
        Ok(c) => c,
        Err(e) => {
            report.problem = Some(match e {
                SignError::Invalid(m) => m,
                other => other.to_string(),
            });
            return report;
        }
    };
    report.signer = certificate::holder_name(&checked.signer);
    report.subject = certificate::subject(&checked.signer);
    report.issuer = certificate::issuer(&checked.signer);
    report.serial = certificate::serial_hex(&checked.signer);
    if report.signed_at.is_none() {
        report.signed_at = checked.signing_time;
    }
    report.certificate_valid_at_signing = report
        .signed_at
        .is_some_and(|at| certificate::valid_at(&checked.signer, at));
    let (chain, complete) = chain_of(&checked.signer, &checked.others);
    report.trusted = trusted.iter().any(|anchor| {
        chain_certificates(&checked.signer, &checked.others)
            .iter()
            .any(|c| c == anchor || certificate::issued_by(c, anchor))
    });
    report.chain = chain;
    if !report.certificate_valid_at_signing {
        report.problem = Some(match report.signed_at {
            Some(at) => format!(
                "le certificat n'était pas valide au moment de la signature ({}).",
                at.strftime("%d/%m/%Y %H:%M UTC")
            ),
            None => "la date de signature manque.".to_string(),
        });
    } else if !complete {
        report.problem = Some(
            "la chaîne de certificats jointe est rompue (un certificat n'est pas signé par son émetteur)."
                .to_string(),
        );
    }
    report
}

struct Signed {
    contents: Vec<u8>,
    content: Vec<u8>,
    covers_whole: bool,
}

/// The bytes a signature covers, after checking that its /ByteRange leaves out exactly
/// its own /Contents.
fn signed_bytes(pdf: &[u8], range: &[i64], dict: &Dictionary) -> Result<Signed, String> {
    let numbers: Option<Vec<usize>> = range.iter().map(|n| usize::try_from(*n).ok()).collect();
    let [a, b, c, d] = numbers.as_deref().unwrap_or(&[]) else {
        return Err("/ByteRange doit compter quatre nombres positifs.".to_string());
    };
    let (a, b, c, d) = (*a, *b, *c, *d);
    let end = c.checked_add(d).ok_or("/ByteRange hors du fichier.")?;
    if a != 0 || b >= c || end > pdf.len() {
        return Err("/ByteRange ne couvre pas le document comme il se doit.".to_string());
    }
    let gap = &pdf[b..c];
    let contents = match dict.get(b"Contents").and_then(Object::as_str) {
        Ok(bytes) => bytes.to_vec(),
        Err(_) => return Err("/Contents illisible.".to_string()),
    };
    let expected = format!("<{}>", hex::encode(&contents));
    if !gap.eq_ignore_ascii_case(expected.as_bytes()) {
        return Err(
            "/ByteRange laisse hors signature autre chose que la signature elle-même.".to_string(),
        );
    }
    let mut content = Vec::with_capacity(b + d);
    content.extend_from_slice(&pdf[..b]);
    content.extend_from_slice(&pdf[c..end]);
    Ok(Signed {
        contents,
        content,
        covers_whole: end == pdf.len(),
    })
}

/// The signer's certificate and its issuers among the carried ones, nearest first.
fn chain_certificates(signer: &Certificate, others: &[Certificate]) -> Vec<Certificate> {
    let mut chain = vec![signer.clone()];
    while let Some(last) = chain.last() {
        let next = others
            .iter()
            .find(|c| !chain.contains(c) && certificate::issued_by(last, c));
        match next {
            Some(c) => chain.push(c.clone()),
            None => break,
        }
    }
    chain
}

/// The chain by name, and whether it is unbroken: every carried issuer named by a
/// certificate of the chain signed it.
fn chain_of(signer: &Certificate, others: &[Certificate]) -> (Vec<String>, bool) {
    let chain = chain_certificates(signer, others);
    let names = chain.iter().map(certificate::subject).collect();
    let Some(last) = chain.last() else {
        return (names, false);
    };
    // A carried certificate that names itself the issuer without having signed is a break.
    let broken = others.iter().any(|c| {
        c.tbs_certificate().subject() == last.tbs_certificate().issuer() && !chain.contains(c)
    });
    (names, !broken)
}
