//! Electronic signatures of acta's documents: the deliberation by its President (or the
//! signatory the act names), the minutes by the president and the secretary of the sitting,
//! the convention by the Département then the beneficiary.
//!
//! A document is prepared once (rendered with the mention of each signature to come, dated
//! the day of preparation), then each signer signs it in turn: their certificate is read
//! from its PKCS#12 file, its password from the environment or a file, and a PAdES
//! signature is added without touching the signed bytes. The beneficiary may instead
//! countersign the Département's signed PDF with their own tool; acta checks it. Every
//! version and every signature is kept and journaled; a signed document is frozen.

use crate::execution::{find_award, mark_convention_signed};
use crate::input::{PrepareInput, SignInput, SignerInput};
use crate::{Acta, Actor, AppError, lookup};
use acta_docs::{Document, Format, Renderer};
use acta_domain::DomainError;
use acta_domain::french::format_date_long;
use acta_domain::keys::{AwardKey, DeliberationNumber, SittingKey};
use acta_domain::signature::{
    PasswordSource, RequiredSigner, SignatureRecord, SignatureState, SignedKind, SignerSetting,
    awaited, check_certificate_holder, check_signing_day, convention_signers, deliberation_signers,
    mention, minutes_signers, same_person,
};
use acta_sign::{Certificate, SignatureRequest, SigningIdentity};
use acta_store::{SignedDocument, StoredSignature, Tx};
use serde::Serialize;

/// The setting that holds the certification authorities the collectivity trusts (PEM).
const TRUSTED_AUTHORITIES: &str = "autorites_de_confiance";

/// What a signature is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignTarget {
    Deliberation(DeliberationNumber),
    Minutes(SittingKey),
    Convention(AwardKey),
}

impl SignTarget {
    /// Reads a document kind ("deliberation", "proces-verbal", "convention") and its key.
    pub fn parse(kind: &str, key: &str) -> Result<SignTarget, AppError> {
        Ok(match SignedKind::parse("document", kind)? {
            SignedKind::Deliberation => SignTarget::Deliberation(key.parse()?),
            SignedKind::Minutes => SignTarget::Minutes(key.parse()?),
            SignedKind::Convention => SignTarget::Convention(key.parse()?),
        })
    }

    pub fn kind(&self) -> SignedKind {
        match self {
            SignTarget::Deliberation(_) => SignedKind::Deliberation,
            SignTarget::Minutes(_) => SignedKind::Minutes,
            SignTarget::Convention(_) => SignedKind::Convention,
        }
    }
}

/// A target resolved in the register.
struct Subject {
    id: i64,
    /// "Délibération N°2023-479".
    label: String,
}

async fn resolve(tx: &mut Tx, target: &SignTarget) -> Result<Subject, AppError> {
    match target {
        SignTarget::Deliberation(number) => {
            let d = lookup::deliberation(tx, number.as_str()).await?;
            Ok(Subject {
                id: d.id.get(),
                label: format!("Délibération N°{number}"),
            })
        }
        SignTarget::Minutes(key) => {
            let id = lookup::sitting(tx, key).await?.id;
            let (sitting, body) = lookup::sitting_and_body(tx, id).await?;
            Ok(Subject {
                id: sitting.id.get(),
                label: format!(
                    "Procès-verbal — {} du {}",
                    body.display_name(),
                    format_date_long(sitting.date)
                ),
            })
        }
        SignTarget::Convention(key) => {
            let award = find_award(tx, key).await?;
            let c = tx
                .convention_of_award(award.id)
                .await?
                .ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
            Ok(Subject {
                id: c.id.get(),
                label: format!("Convention — {}", c.title),
            })
        }
    }
}

/// A signer as the back office lists them (never a password).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignerView {
    pub nom: String,
    pub qualite: String,
    pub qualite_libelle: String,
    pub certificat: String,
    pub mot_de_passe_depuis: String,
    pub actif: bool,
}

/// One awaited signature of a prepared document.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignerStatus {
    pub nom: String,
    pub qualite: String,
    /// "le 4 décembre 2026 à 10 h 30", once signed.
    pub signe_le: Option<String>,
    /// Signed outside acta (a countersigned PDF received).
    pub exterieure: bool,
    pub certificat: Option<String>,
    pub numero_de_serie: Option<String>,
}

/// Where a document's signature stands.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignatureView {
    /// "deliberation", "proces-verbal" or "convention".
    pub document: String,
    /// "Délibération N°2023-479".
    pub objet: String,
    pub version: i64,
    /// "a-signer", "signe-en-partie", "signe" or "remplace".
    pub etat: String,
    pub etat_libelle: String,
    /// The date the mentions print.
    pub date_mention: String,
    pub signataires: Vec<SignerStatus>,
    pub fichier: String,
    /// SHA-256 of the current bytes.
    pub empreinte: String,
    pub taille: i64,
}

/// One signature of a verified PDF.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifiedSignature {
    pub signataire: String,
    pub certificat: String,
    pub emetteur: String,
    pub numero_de_serie: String,
    pub signe_le: Option<String>,
    pub document_entier: bool,
    pub certificat_valide_a_la_signature: bool,
    pub autorite_reconnue: bool,
    pub chaine: Vec<String>,
    pub probleme: Option<String>,
}

/// The verdict on a PDF's signatures.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerificationView {
    pub valide: bool,
    /// In words: "2 signatures valides ; le document n'a pas été modifié depuis." or why not.
    pub verdict: String,
    pub signatures: Vec<VerifiedSignature>,
}

fn at_paris(t: jiff::Timestamp) -> String {
    match t.in_tz("Europe/Paris") {
        Ok(z) => format!(
            "le {} à {}",
            format_date_long(z.date()),
            z.strftime("%H h %M")
        ),
        Err(_) => format!("le {} (UTC)", t.strftime("%d/%m/%Y %H:%M")),
    }
}

/// Reads a small file a setting names (a certificate, a password, an authority): a
/// missing, special or oversized file is refused with the field to correct.
pub(crate) async fn read_setting_file(
    field: &str,
    what: &str,
    path: &str,
) -> Result<Vec<u8>, AppError> {
    const MOST: u64 = 1024 * 1024;
    let refused = |reason: String| {
        AppError::Domain(DomainError::field(
            field,
            format!("{what} : le fichier {path} {reason}."),
        ))
    };
    let meta = tokio::fs::metadata(path)
        .await
        .map_err(|e| refused(format!("est illisible ({e})")))?;
    if !meta.is_file() {
        return Err(refused("n'est pas un fichier ordinaire".to_string()));
    }
    if meta.len() > MOST {
        return Err(refused("dépasse 1 Mio".to_string()));
    }
    tokio::fs::read(path)
        .await
        .map_err(|e| refused(format!("est illisible ({e})")))
}

/// Reads a password where its setting says; `what` names it in the messages
/// ("Certificat de signature").
pub(crate) async fn read_password(what: &str, source: &PasswordSource) -> Result<String, AppError> {
    const FIELD: &str = "mot_de_passe_depuis";
    match source {
        PasswordSource::Environment(name) => std::env::var(name).map_err(|_| {
            AppError::Domain(DomainError::field(
                FIELD,
                format!(
                    "{what} : la variable d'environnement {name}, qui doit contenir son mot de passe, n'est pas définie."
                ),
            ))
        }),
        PasswordSource::File(path) => {
            let bytes = read_setting_file(FIELD, &format!("{what}, mot de passe"), path).await?;
            let text = String::from_utf8(bytes).map_err(|_| {
                AppError::Domain(DomainError::field(
                    FIELD,
                    format!("{what} : le fichier du mot de passe {path} n'est pas du texte UTF-8."),
                ))
            })?;
            Ok(text.trim_end_matches(['\r', '\n']).to_string())
        }
    }
}

async fn identity(setting: &SignerSetting) -> Result<SigningIdentity, AppError> {
    let what = format!("Certificat de signature de {}", setting.name);
    let bytes = read_setting_file("certificat", &what, &setting.pkcs12_path).await?;
    let password = read_password("Certificat de signature", &setting.password).await?;
    SigningIdentity::from_pkcs12(&bytes, &password)
        .map_err(|e| AppError::Domain(DomainError::field("certificat", format!("{what} : {e}"))))
}

fn sign_error(e: acta_sign::SignError) -> AppError {
    match e {
        acta_sign::SignError::Identity(_) | acta_sign::SignError::Pdf(_) => {
            AppError::File(e.to_string())
        }
        other => AppError::Domain(DomainError::rule(other.to_string())),
    }
}

impl Acta {
    /// Records a person able to sign, with their certificate. The file is opened with its
    /// password at once, so that a wrong path or password is known now, not at the sitting.
    pub async fn add_signer(&self, actor: &Actor, input: &SignerInput) -> Result<(), AppError> {
        let setting = input.parse()?;
        let opened = identity(&setting).await?;
        check_certificate_holder(&setting.name, &opened.holder_name())?;
        let mut tx = self.write(actor).await?;
        tx.insert_signer(&setting)
            .await
            .map_err(crate::error::on_duplicate(format!(
                "{} est déjà enregistré comme {}.",
                setting.name,
                setting.role.label()
            )))?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn signers(&self) -> Result<Vec<SignerView>, AppError> {
        let mut tx = self.read().await?;
        Ok(tx
            .signers()
            .await?
            .into_iter()
            .map(|s| SignerView {
                nom: s.setting.name.clone(),
                qualite: s.setting.role.code().to_string(),
                qualite_libelle: s.setting.role.label().to_string(),
                certificat: s.setting.pkcs12_path.clone(),
                mot_de_passe_depuis: s.setting.password.describe(),
                actif: s.active,
            })
            .collect())
    }

    /// Sets the certification authorities the collectivity trusts (PEM, one or several).
    pub async fn set_trusted_authorities(
        &self,
        actor: &Actor,
        pem: &str,
    ) -> Result<usize, AppError> {
        let certificates = acta_sign::read_certificates(pem.as_bytes())
            .map_err(|e| AppError::Domain(DomainError::field("autorites", e.to_string())))?;
        let mut tx = self.write(actor).await?;
        tx.put_setting(
            TRUSTED_AUTHORITIES,
            &serde_json::Value::String(pem.to_string()),
        )
        .await?;
        tx.commit().await?;
        Ok(certificates.len())
    }

    async fn trusted_authorities(&self) -> Result<Vec<Certificate>, AppError> {
        let mut tx = self.read().await?;
        match tx.setting(TRUSTED_AUTHORITIES).await? {
            Some(serde_json::Value::String(pem)) => acta_sign::read_certificates(pem.as_bytes())
                .map_err(|e| AppError::File(e.to_string())),
            _ => Ok(Vec::new()),
        }
    }

    /// Checks the signatures of any PDF: who signed, whether it changed since, whether the
    /// certificates were valid then and come from a trusted authority.
    pub async fn verify_pdf(&self, bytes: &[u8]) -> Result<VerificationView, AppError> {
        let trusted = self.trusted_authorities().await?;
        let verification = match acta_sign::verify(bytes, &trusted) {
            Ok(v) => v,
            Err(acta_sign::SignError::Unsigned) => {
                return Ok(VerificationView {
                    valide: false,
                    verdict: acta_sign::SignError::Unsigned.to_string(),
                    signatures: Vec::new(),
                });
            }
            // Not a PDF, or one too damaged to read: the user's file, not acta's fault.
            Err(acta_sign::SignError::Pdf(reason)) => {
                return Err(DomainError::field(
                    "fichier",
                    format!("Vérification : ce fichier n'est pas un PDF lisible ({reason})."),
                )
                .into());
            }
            Err(e) => return Err(sign_error(e)),
        };
        let verdict = match verification.check() {
            Ok(()) => format!(
                "{} ; le document n'a pas été modifié depuis la dernière.",
                match verification.signatures.len() {
                    1 => "1 signature valide".to_string(),
                    n => format!("{n} signatures valides"),
                }
            ),
            Err(e) => e.to_string(),
        };
        Ok(VerificationView {
            valide: verification.is_valid(),
            verdict,
            signatures: verification
                .signatures
                .iter()
                .map(|s| VerifiedSignature {
                    signataire: s.signer.clone(),
                    certificat: s.subject.clone(),
                    emetteur: s.issuer.clone(),
                    numero_de_serie: s.serial.clone(),
                    signe_le: s.signed_at.map(at_paris),
                    document_entier: s.covers_whole_document,
                    certificat_valide_a_la_signature: s.certificate_valid_at_signing,
                    autorite_reconnue: s.trusted,
                    chaine: s.chain.clone(),
                    probleme: s.problem.clone(),
                })
                .collect(),
        })
    }

    /// Renders a document for signature, with the mention of each signature to come in
    /// acta, dated today; a version not fully signed yet is replaced.
    pub async fn prepare_signature(
        &self,
        actor: &Actor,
        renderer: &Renderer,
        target: &SignTarget,
        input: &PrepareInput,
    ) -> Result<SignatureView, AppError> {
        let today = self.today();
        let config = renderer.config().clone();
        let (required, previous, subject_id) = {
            let mut tx = self.read().await?;
            let subject = resolve(&mut tx, target).await?;
            // Minutes are signed once approved at a later sitting (L3121-13).
            if let SignTarget::Minutes(key) = target
                && crate::minutes::approved_on(&mut tx, subject.id)
                    .await?
                    .is_none()
            {
                return Err(crate::minutes::not_approved(
                    lookup::sitting(&mut tx, key).await?.date,
                ));
            }
            let required = self.required_signers(&mut tx, target, input).await?;
            let previous = tx.latest_signed_document(target.kind(), subject.id).await?;
            (required, previous, subject.id)
        };
        if let Some(p) = &previous
            && p.state == SignatureState::Signed
        {
            return Err(AppError::conflict(
                "Ce document est signé : il est figé. Une modification demande un nouvel acte.",
            ));
        }
        let settings = {
            let mut tx = self.read().await?;
            tx.signers().await?
        };
        let mut document = match target {
            SignTarget::Deliberation(n) => self.deliberation_document(&config, n.as_str()).await?,
            SignTarget::Minutes(k) => self.minutes_document(&config, k).await?,
            SignTarget::Convention(k) => self.convention_document(&config, k).await?,
        };
        // A mention for each signer who signs in acta; the beneficiary who countersigns
        // with their own tool prints their own.
        for signer in &required {
            let in_acta = settings
                .iter()
                .any(|s| s.active && same_person(&s.setting.name, &signer.name));
            if in_acta {
                print_mention(&mut document, &signer.name, mention(&signer.name, today))?;
            }
        }
        let pdf = renderer.render(&document, Format::Pdf)?;
        let name = format!("{}.pdf", document.meta().file_stem);
        let now = self.now().to_string();
        let mut tx = self.write(actor).await?;
        let file = tx.insert_file(&name, "application/pdf", &pdf, &now).await?;
        if let Some(p) = &previous {
            tx.update_signed_document(p.id, SignatureState::Replaced, p.file)
                .await?;
        }
        tx.insert_signed_document(&SignedDocument {
            id: 0,
            kind: target.kind(),
            subject: subject_id,
            version: previous.map_or(1, |p| p.version + 1),
            mention_date: today,
            required,
            state: SignatureState::ToSign,
            file,
            prepared_at: now,
        })
        .await?;
        tx.commit().await?;
        self.signature_status(target)
            .await?
            .ok_or_else(|| AppError::not_found("Document introuvable après sa préparation."))
    }

    async fn required_signers(
        &self,
        tx: &mut Tx,
        target: &SignTarget,
        input: &PrepareInput,
    ) -> Result<Vec<RequiredSigner>, AppError> {
        let member_name = async |tx: &mut Tx, id| -> Result<Option<String>, AppError> {
            Ok(tx.member(id).await?.map(|m| m.name.full()))
        };
        Ok(match target {
            SignTarget::Deliberation(number) => {
                let d = lookup::deliberation(tx, number.as_str()).await?;
                let sitting = tx
                    .sitting(d.sitting)
                    .await?
                    .ok_or_else(|| AppError::not_found("Séance introuvable."))?;
                let president = match sitting.president {
                    Some(p) => member_name(tx, p).await?,
                    None => None,
                };
                deliberation_signers(
                    &d.signatories,
                    input.signer.as_deref(),
                    president.as_deref(),
                )?
            }
            SignTarget::Minutes(key) => {
                let sitting = lookup::sitting(tx, key).await?;
                let president = match sitting.president {
                    Some(p) => member_name(tx, p).await?,
                    None => None,
                };
                let secretary = match sitting.secretary {
                    Some(s) => member_name(tx, s).await?,
                    None => None,
                };
                minutes_signers(president.as_deref(), secretary.as_deref())?
            }
            SignTarget::Convention(key) => {
                let award = find_award(tx, key).await?;
                let c = tx
                    .convention_of_award(award.id)
                    .await?
                    .ok_or_else(|| AppError::not_found("Cette aide n'a pas de convention."))?;
                convention_signers(&c.signatories)?
            }
        })
    }

    /// Signs the prepared document as `input.signer`, with their certificate.
    pub async fn sign_document(
        &self,
        actor: &Actor,
        target: &SignTarget,
        input: &SignInput,
    ) -> Result<SignatureView, AppError> {
        let (document, done, setting, label) = {
            let mut tx = self.read().await?;
            let subject = resolve(&mut tx, target).await?;
            let document = awaiting(&mut tx, target, subject.id).await?;
            let done = tx.signatures_of(document.id).await?;
            let records: Vec<SignatureRecord> = done.iter().map(|s| s.record.clone()).collect();
            let signer = awaited(&document.required, &records, &input.signer)?.clone();
            let settings = tx.signers().await?;
            let setting = settings
                .iter()
                .filter(|s| s.active && same_person(&s.setting.name, &signer.name))
                .max_by_key(|s| s.setting.role == signer.role)
                .map(|s| s.setting.clone())
                .ok_or_else(|| {
                    AppError::conflict(format!(
                        "{} n'a pas de certificat de signature enregistré (acta signer add).",
                        signer.name
                    ))
                })?;
            (document, done, (signer, setting), subject.label)
        };
        let (signer, setting) = setting;
        check_signing_day(document.mention_date, self.today())?;
        let identity = identity(&setting).await?;
        check_certificate_holder(&signer.name, &identity.holder_name())?;
        let current = self.file_bytes(document.file).await?;
        let now = self.now();
        let signed = acta_sign::sign(
            &current,
            &SignatureRequest {
                identity: &identity,
                time: now,
                reason: Some(label),
                location: None,
            },
        )
        .map_err(sign_error)?;
        let record = SignatureRecord {
            signer_name: signer.name.clone(),
            role: signer.role,
            certificate_subject: acta_sign::certificate::subject(identity.certificate()),
            certificate_issuer: acta_sign::certificate::issuer(identity.certificate()),
            certificate_serial: acta_sign::certificate::serial_hex(identity.certificate()),
            signed_at: now,
        };
        self.record_signature(actor, target, &document, done.len(), record, false, &signed)
            .await
    }

    /// Takes the convention countersigned by the beneficiary with their own tool: it must
    /// be the Département's signed PDF with one more signature, valid, by the beneficiary's
    /// representative the convention names.
    pub async fn countersign_convention(
        &self,
        actor: &Actor,
        key: &AwardKey,
        pdf: &[u8],
    ) -> Result<SignatureView, AppError> {
        let target = SignTarget::Convention(key.clone());
        let (document, done) = {
            let mut tx = self.read().await?;
            let subject = resolve(&mut tx, &target).await?;
            let document = awaiting(&mut tx, &target, subject.id).await?;
            let done = tx.signatures_of(document.id).await?;
            (document, done)
        };
        let current = self.file_bytes(document.file).await?;
        if done.is_empty() {
            return Err(AppError::conflict(
                "Le Département n'a pas encore signé cette convention : le bénéficiaire contresigne le PDF signé par le Département.",
            ));
        }
        if !pdf.starts_with(&current) {
            return Err(AppError::Domain(DomainError::field(
                "fichier",
                "Fichier : ce n'est pas la convention signée par le Département, contresignée (le PDF doit la reprendre telle quelle, signature ajoutée).",
            )));
        }
        let trusted = self.trusted_authorities().await?;
        let verification = acta_sign::verify(pdf, &trusted).map_err(sign_error)?;
        verification.check().map_err(|e| {
            AppError::Domain(DomainError::field("fichier", format!("Fichier : {e}")))
        })?;
        let Some(last) = verification.signatures.last() else {
            return Err(AppError::Domain(DomainError::field(
                "fichier",
                "Fichier : aucune signature.",
            )));
        };
        if verification.signatures.len() != done.len() + 1 {
            return Err(AppError::Domain(DomainError::field(
                "fichier",
                format!(
                    "Fichier : {} signature(s) trouvée(s), {} attendue(s) (celles du Département et celle du bénéficiaire).",
                    verification.signatures.len(),
                    done.len() + 1
                ),
            )));
        }
        let records: Vec<SignatureRecord> = done.iter().map(|s| s.record.clone()).collect();
        let signer = awaited(&document.required, &records, &last.signer).map_err(|_| {
            let expected: Vec<&str> = document
                .required
                .iter()
                .filter(|r| !records.iter().any(|d| same_person(&d.signer_name, &r.name)))
                .map(|r| r.name.as_str())
                .collect();
            AppError::Domain(DomainError::field(
                "fichier",
                format!(
                    "Fichier : la contre-signature est celle de {}, la convention attend {}.",
                    last.signer,
                    expected.join(", ")
                ),
            ))
        })?;
        let record = SignatureRecord {
            signer_name: signer.name.clone(),
            role: signer.role,
            certificate_subject: last.subject.clone(),
            certificate_issuer: last.issuer.clone(),
            certificate_serial: last.serial.clone(),
            signed_at: last.signed_at.unwrap_or_else(|| self.now()),
        };
        self.record_signature(actor, &target, &document, done.len(), record, true, pdf)
            .await
    }

    /// Stores a new signature and the bytes it produced; the last one freezes the document
    /// and, for a convention, records its signature.
    #[allow(clippy::too_many_arguments)]
    async fn record_signature(
        &self,
        actor: &Actor,
        target: &SignTarget,
        document: &SignedDocument,
        already: usize,
        record: SignatureRecord,
        external: bool,
        signed: &[u8],
    ) -> Result<SignatureView, AppError> {
        let name = {
            let mut tx = self.read().await?;
            tx.file_meta(document.file)
                .await?
                .map(|m| m.name)
                .unwrap_or_else(|| "document.pdf".to_string())
        };
        let now = self.now().to_string();
        let signed_on = record
            .signed_at
            .in_tz("Europe/Paris")
            .map(|z| z.date())
            .unwrap_or_else(|_| self.today());
        let mut tx = self.write(actor).await?;
        // Read again in the write transaction: a concurrent signature wins, this one fails.
        let fresh = tx
            .signed_document(document.id)
            .await?
            .ok_or_else(|| AppError::not_found("Document à signer introuvable."))?;
        if fresh.file != document.file || fresh.state != document.state {
            return Err(AppError::conflict(
                "Le document vient d'être signé ou remplacé : rechargez-le avant de signer.",
            ));
        }
        let file = tx
            .insert_file(&name, "application/pdf", signed, &now)
            .await?;
        let position = i64::try_from(already + 1).unwrap_or(i64::MAX);
        tx.insert_signature(
            document.id,
            &StoredSignature {
                position,
                record,
                external,
                file,
            },
        )
        .await?;
        let state = SignatureState::after(document.required.len(), already + 1);
        tx.update_signed_document(document.id, state, file).await?;
        if state == SignatureState::Signed
            && let SignTarget::Convention(key) = target
        {
            let award = find_award(&mut tx, key).await?;
            let signed_already = tx
                .convention_of_award(award.id)
                .await?
                .is_some_and(|c| c.signed_on.is_some());
            if !signed_already {
                mark_convention_signed(&mut tx, &award, signed_on).await?;
            }
        }
        // The Département may publish its deliberations as soon as they are signed.
        if state == SignatureState::Signed
            && let SignTarget::Deliberation(number) = target
            && crate::publications::publication_settings(&mut tx)
                .await?
                .automatique
        {
            let d = lookup::deliberation(&mut tx, number.as_str()).await?;
            if tx.publication(d.id.get()).await?.is_none() {
                let today = self.today();
                crate::publications::record_publication(
                    &mut tx,
                    actor,
                    &d,
                    signed_on.min(today),
                    today,
                    &now,
                    file,
                    true,
                )
                .await?;
            }
        }
        tx.commit().await?;
        self.signature_status(target)
            .await?
            .ok_or_else(|| AppError::not_found("Document introuvable après sa signature."))
    }

    async fn file_bytes(&self, id: i64) -> Result<Vec<u8>, AppError> {
        let mut tx = self.read().await?;
        tx.file_content(id)
            .await?
            .map(|(_, bytes)| bytes)
            .ok_or_else(|| AppError::not_found(format!("Fichier n°{id} introuvable.")))
    }

    /// Where a document's signature stands, if it was ever prepared.
    pub async fn signature_status(
        &self,
        target: &SignTarget,
    ) -> Result<Option<SignatureView>, AppError> {
        let mut tx = self.read().await?;
        let subject = resolve(&mut tx, target).await?;
        let Some(document) = tx.latest_signed_document(target.kind(), subject.id).await? else {
            return Ok(None);
        };
        let done = tx.signatures_of(document.id).await?;
        let meta = tx
            .file_meta(document.file)
            .await?
            .ok_or_else(|| AppError::not_found("Fichier du document introuvable."))?;
        let signataires = document
            .required
            .iter()
            .map(|r| {
                let made = done
                    .iter()
                    .find(|d| same_person(&d.record.signer_name, &r.name));
                SignerStatus {
                    nom: r.name.clone(),
                    qualite: r.role.label().to_string(),
                    signe_le: made.map(|d| at_paris(d.record.signed_at)),
                    exterieure: made.is_some_and(|d| d.external),
                    certificat: made.map(|d| d.record.certificate_subject.clone()),
                    numero_de_serie: made.map(|d| d.record.certificate_serial.clone()),
                }
            })
            .collect();
        Ok(Some(SignatureView {
            document: document.kind.code().to_string(),
            objet: subject.label,
            version: document.version,
            etat: document.state.code().to_string(),
            etat_libelle: document.state.label().to_string(),
            date_mention: format_date_long(document.mention_date),
            signataires,
            fichier: meta.name,
            empreinte: meta.sha256,
            taille: meta.size,
        }))
    }

    /// The current PDF of a prepared document (signed or not yet): its name and bytes.
    pub async fn signature_pdf(&self, target: &SignTarget) -> Result<(String, Vec<u8>), AppError> {
        let mut tx = self.read().await?;
        let subject = resolve(&mut tx, target).await?;
        let document = tx
            .latest_signed_document(target.kind(), subject.id)
            .await?
            .ok_or_else(|| {
                AppError::not_found("Ce document n'a pas été préparé pour la signature.")
            })?;
        tx.file_content(document.file)
            .await?
            .map(|(meta, bytes)| (meta.name, bytes))
            .ok_or_else(|| AppError::not_found("Fichier du document introuvable."))
    }

    /// Whether a document is signed in full (and so frozen).
    pub(crate) async fn is_signed(
        tx: &mut Tx,
        kind: SignedKind,
        subject: i64,
    ) -> Result<bool, AppError> {
        Ok(tx
            .latest_signed_document(kind, subject)
            .await?
            .is_some_and(|d| {
                matches!(
                    d.state,
                    SignatureState::Signed | SignatureState::PartlySigned
                )
            }))
    }
}

/// The document awaiting signatures for a target.
async fn awaiting(
    tx: &mut Tx,
    target: &SignTarget,
    subject: i64,
) -> Result<SignedDocument, AppError> {
    let document = tx
        .latest_signed_document(target.kind(), subject)
        .await?
        .ok_or_else(|| {
            AppError::conflict(format!(
                "Ce document n'a pas été préparé pour la signature ({}).",
                target.kind().label()
            ))
        })?;
    match document.state {
        SignatureState::ToSign | SignatureState::PartlySigned => Ok(document),
        SignatureState::Signed => Err(AppError::conflict(
            "Ce document est déjà signé par tous ses signataires.",
        )),
        SignatureState::Replaced => Err(AppError::conflict(
            "Cette version a été remplacée ; signez la dernière.",
        )),
    }
}

/// Prints `text` in the signature block of `name`.
fn print_mention(document: &mut Document, name: &str, text: String) -> Result<(), AppError> {
    let block = document
        .signature_blocks_mut()
        .iter_mut()
        .find(|b| b.signer().is_some_and(|s| same_person(s, name)))
        .ok_or_else(|| {
            AppError::conflict(format!(
                "Le document n'a pas de bloc de signature au nom de {name}."
            ))
        })?;
    block.sign_electronically(text);
    Ok(())
}
