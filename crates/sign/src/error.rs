//! Why a signature could not be made or does not hold, in words a département's staff read.

use thiserror::Error;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SignError {
    /// The signing identity (PKCS#12 file, password, key) cannot be used.
    #[error("Certificat de signature : {0}")]
    Identity(String),
    /// The PDF cannot be read or written back.
    #[error("PDF : {0}")]
    Pdf(String),
    /// The document carries no signature at all.
    #[error("Ce document ne porte aucune signature électronique.")]
    Unsigned,
    /// A signature is present but does not hold (integrity, certificate, coverage).
    #[error("Signature invalide : {0}")]
    Invalid(String),
}

impl SignError {
    pub(crate) fn pdf(message: impl Into<String>) -> SignError {
        SignError::Pdf(message.into())
    }

    pub(crate) fn identity(message: impl Into<String>) -> SignError {
        SignError::Identity(message.into())
    }

    pub(crate) fn invalid(message: impl Into<String>) -> SignError {
        SignError::Invalid(message.into())
    }
}
