//! The CMS signature a PAdES signature carries (RFC 5652 SignedData, detached, with the
//! CAdES signed attributes: content type, message digest and signing-certificate-v2), and
//! its checking. The signing time is the PDF's /M entry, as PAdES baseline wants, not a
//! CMS attribute.

use crate::identity::SigningIdentity;
use crate::{SignError, certificate};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{
    ID_AA_SIGNING_CERTIFICATE_V_2, ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA,
    ID_SIGNING_TIME,
};
use const_oid::db::rfc5912::{
    ID_SHA_256, ID_SHA_384, ID_SHA_512, RSA_ENCRYPTION, SHA_256_WITH_RSA_ENCRYPTION,
    SHA_384_WITH_RSA_ENCRYPTION, SHA_512_WITH_RSA_ENCRYPTION,
};
use der::asn1::{Null, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Reader, Sequence, SliceReader};
use jiff::Timestamp;
use sha2::Digest;
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

/// ESS signing-certificate-v2 (RFC 5035): binds the signature to the signer's
/// certificate, which CAdES requires. The hash algorithm is SHA-256, the default, so it
/// is omitted.
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
}

#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn der_error(e: der::Error) -> SignError {
    SignError::invalid(format!("structure CMS illisible ({e})."))
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SignError> {
    let values = SetOfVec::try_from(vec![value]).map_err(der_error)?;
    Ok(Attribute { oid, values })
}

fn sha256_algorithm() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA_256,
        parameters: None,
    }
}

/// A detached CAdES signature of content whose SHA-256 is `digest`, as DER.
pub(crate) fn sign_detached(
    identity: &SigningIdentity,
    digest: &[u8],
) -> Result<Vec<u8>, SignError> {
    let cert = identity.certificate();
    let cert_der = cert.to_der().map_err(der_error)?;
    let signing_certificate = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(sha2::Sha256::digest(&cert_der).to_vec())
                .map_err(der_error)?,
        }],
    };
    let attributes = vec![
        attribute(
            ID_CONTENT_TYPE,
            Any::encode_from(&ID_DATA).map_err(der_error)?,
        )?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.to_vec()).map_err(der_error)?)
                .map_err(der_error)?,
        )?,
        attribute(
            ID_AA_SIGNING_CERTIFICATE_V_2,
            Any::encode_from(&signing_certificate).map_err(der_error)?,
        )?,
    ];
    let signed_attrs = SetOfVec::try_from(attributes).map_err(der_error)?;
    // The signature covers the attributes encoded as a SET OF, not with their [0] tag.
    let to_sign = signed_attrs.to_der().map_err(der_error)?;
    let (algorithm, signature) = identity.sign(&to_sign);
    let parameters = if algorithm == SHA_256_WITH_RSA_ENCRYPTION {
        Some(Any::encode_from(&Null).map_err(der_error)?)
    } else {
        None
    };
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate().issuer().clone(),
            serial_number: cert.tbs_certificate().serial_number().clone(),
        }),
        digest_alg: sha256_algorithm(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: AlgorithmIdentifierOwned {
            oid: algorithm,
            parameters,
        },
        signature: OctetString::new(signature).map_err(der_error)?,
        unsigned_attrs: None,
    };
    let mut certificates = vec![CertificateChoices::Certificate(cert.clone())];
    certificates.extend(
        identity
            .chain()
            .iter()
            .cloned()
            .map(CertificateChoices::Certificate),
    );
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256_algorithm()]).map_err(der_error)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet::from(
            SetOfVec::try_from(certificates).map_err(der_error)?,
        )),
        crls: None,
        signer_infos: SignerInfos::from(SetOfVec::try_from(vec![signer_info]).map_err(der_error)?),
    };
    let content_info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).map_err(der_error)?,
    };
    content_info.to_der().map_err(der_error)
}

/// What a checked CMS signature says.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub signer: Certificate,
    /// The other certificates the signature carries.
    pub others: Vec<Certificate>,
    /// The signingTime attribute, when the signer put one.
    pub signing_time: Option<Timestamp>,
}

/// Checks a detached CMS signature (DER, possibly followed by the zeros that pad a PDF's
/// /Contents) over `content`.
pub(crate) fn check_detached(der_bytes: &[u8], content: &[u8]) -> Result<Checked, SignError> {
    let mut reader = SliceReader::new(der_bytes).map_err(der_error)?;
    let content_info = ContentInfo::decode(&mut reader).map_err(der_error)?;
    if content_info.content_type != ID_SIGNED_DATA {
        return Err(SignError::invalid(
            "le contenu CMS n'est pas une signature.",
        ));
    }
    let signed_data: SignedData = content_info.content.decode_as().map_err(der_error)?;
    let certificates: Vec<Certificate> = signed_data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(cert) => Some(cert.clone()),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let signer_info = signed_data
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| SignError::invalid("la signature CMS n'a pas de signataire."))?;
    let position = certificates
        .iter()
        .position(|c| identifies(&signer_info.sid, c))
        .ok_or_else(|| {
            SignError::invalid("le certificat du signataire n'est pas joint à la signature.")
        })?;
    let mut others = certificates;
    let signer = others.remove(position);
    let digest_oid = signer_info.digest_alg.oid;
    let content_digest = digest(&digest_oid, content)?;
    let algorithm = signature_algorithm(&signer_info.signature_algorithm.oid, &digest_oid);
    let signature = signer_info.signature.as_bytes();
    let mut signing_time = None;
    match &signer_info.signed_attrs {
        Some(attrs) => {
            let message_digest = attrs
                .iter()
                .find(|a| a.oid == ID_MESSAGE_DIGEST)
                .and_then(|a| a.values.iter().next())
                .and_then(|v| v.decode_as::<OctetString>().ok())
                .ok_or_else(|| SignError::invalid("l'empreinte signée (messageDigest) manque."))?;
            if message_digest.as_bytes() != content_digest.as_slice() {
                return Err(SignError::invalid(
                    "le document a été modifié après sa signature (empreinte différente).",
                ));
            }
            signing_time = attrs
                .iter()
                .find(|a| a.oid == ID_SIGNING_TIME)
                .and_then(|a| a.values.iter().next())
                .and_then(|v| v.decode_as::<x509_cert::time::Time>().ok())
                .and_then(|t| {
                    let seconds = i64::try_from(t.to_unix_duration().as_secs()).ok()?;
                    Timestamp::from_second(seconds).ok()
                });
            let signed = attrs.to_der().map_err(der_error)?;
            certificate::verify(&signer, &algorithm, &signed, signature)?;
        }
        None => certificate::verify(&signer, &algorithm, content, signature)?,
    }
    // Trailing bytes are the zeros that pad /Contents; anything else is not a signature.
    let rest = reader
        .read_slice(reader.remaining_len())
        .map_err(der_error)?;
    if rest.iter().any(|b| *b != 0) {
        return Err(SignError::invalid(
            "des données suivent la signature CMS dans /Contents.",
        ));
    }
    Ok(Checked {
        signer,
        others,
        signing_time,
    })
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(id) => {
            &id.issuer == cert.tbs_certificate().issuer()
                && &id.serial_number == cert.tbs_certificate().serial_number()
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => cert
            .tbs_certificate()
            .get_extension::<x509_cert::ext::pkix::SubjectKeyIdentifier>()
            .ok()
            .flatten()
            .is_some_and(|(_, own)| own.0.as_bytes() == ski.0.as_bytes()),
    }
}

fn digest(oid: &ObjectIdentifier, content: &[u8]) -> Result<Vec<u8>, SignError> {
    match *oid {
        o if o == ID_SHA_256 => Ok(sha2::Sha256::digest(content).to_vec()),
        o if o == ID_SHA_384 => Ok(sha2::Sha384::digest(content).to_vec()),
        o if o == ID_SHA_512 => Ok(sha2::Sha512::digest(content).to_vec()),
        other => Err(SignError::invalid(format!(
            "algorithme d'empreinte {other} non pris en charge (SHA-256, SHA-384 ou SHA-512)."
        ))),
    }
}

/// CMS lets RSA signatures name the key algorithm alone; the digest then says which hash.
fn signature_algorithm(
    signature: &ObjectIdentifier,
    digest: &ObjectIdentifier,
) -> ObjectIdentifier {
    if *signature != RSA_ENCRYPTION {
        return *signature;
    }
    match *digest {
        d if d == ID_SHA_384 => SHA_384_WITH_RSA_ENCRYPTION,
        d if d == ID_SHA_512 => SHA_512_WITH_RSA_ENCRYPTION,
        _ => SHA_256_WITH_RSA_ENCRYPTION,
    }
}
