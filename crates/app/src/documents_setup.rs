//! Each collectivity's own documents configuration (header, wording, clauses) and logo,
//! kept in its database, so that a commune's deliberations do not read "Conseil
//! départemental" and every server of a deployment prints the same documents. Without one,
//! the embedded configuration (the seed's Département) applies.

use crate::{Acta, Actor, AppError};
use acta_docs::{DocumentsConfig, Renderer, logo_media_type};
use acta_domain::{DomainError, FieldError};
use serde::{Deserialize, Serialize};

const SETTINGS_KEY: &str = "documents";

/// A logo larger than this is refused: it is printed a few centimetres wide.
pub const LOGO_MAX_BYTES: usize = 1 << 20;

/// What the setting holds: the configuration's text as given (its logo path emptied) and
/// the stored file of the logo.
#[derive(Debug, Serialize, Deserialize)]
struct DocumentsSetting {
    config: String,
    logo_file: Option<i64>,
}

/// A collectivity's documents configuration, as it applies.
pub struct DocumentsSetup {
    pub config: DocumentsConfig,
    pub logo: Option<Vec<u8>>,
    /// The configuration's text (the embedded one when the collectivity has none).
    pub text: String,
    /// Whether the collectivity has its own (else the embedded one applies).
    pub own: bool,
}

/// A logo given with a configuration: its file name and bytes.
pub struct Logo {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Acta {
    /// The collectivity's documents configuration and logo, or the embedded ones.
    pub async fn documents_setup(&self) -> Result<DocumentsSetup, AppError> {
        let mut tx = self.read().await?;
        let Some(value) = tx.setting(SETTINGS_KEY).await? else {
            return Ok(DocumentsSetup {
                config: DocumentsConfig::embedded()?,
                logo: None,
                text: DocumentsConfig::EMBEDDED_TEXT.to_string(),
                own: false,
            });
        };
        let setting: DocumentsSetting = serde_json::from_value(value).map_err(|e| {
            AppError::File(format!(
                "Configuration des documents enregistrée illisible : {e}"
            ))
        })?;
        let config = DocumentsConfig::from_toml(&setting.config, "configuration enregistrée")?;
        let logo = match setting.logo_file {
            Some(id) => Some(
                tx.file_content(id)
                    .await?
                    .ok_or_else(|| {
                        AppError::File(format!(
                            "Configuration des documents : le logo (fichier n° {id}) n'est plus en base."
                        ))
                    })?
                    .1,
            ),
            None => None,
        };
        Ok(DocumentsSetup {
            config,
            logo,
            text: setting.config,
            own: true,
        })
    }

    /// The renderer of the collectivity's documents (its configuration and logo).
    pub async fn documents_renderer(&self) -> Result<Renderer, AppError> {
        let setup = self.documents_setup().await?;
        Ok(Renderer::with_logo(setup.config, None, setup.logo)?)
    }

    /// Gives the collectivity its own documents configuration (TOML, as `acta render
    /// --config` reads it) and logo; refused whole, in French, naming the setting, when
    /// the text or the logo is not right. The configuration's `header.logo` path is not
    /// kept: the logo given is kept in the database instead.
    pub async fn set_documents_config(
        &self,
        actor: &Actor,
        text: &str,
        logo: Option<Logo>,
    ) -> Result<(), AppError> {
        let config = DocumentsConfig::from_toml(text, "configuration des documents")?;
        if let Some(logo) = &logo {
            check_logo(logo)?;
            // Printed once now, so that a damaged image is refused here, not at the next
            // publication.
            Renderer::with_logo(config, None, Some(logo.bytes.clone()))?
                .check_logo()
                .map_err(|e| logo_refused(format!("Logo « {} » : {e}", logo.name)))?;
        }
        let stored_text = without_logo_path(text)?;
        let mut tx = self.write(actor).await?;
        let logo_file = match logo {
            Some(logo) => Some(
                tx.insert_file(
                    &logo.name,
                    logo_media_type(&logo.bytes).unwrap_or("image/svg+xml"),
                    &logo.bytes,
                    &self.now().to_string(),
                )
                .await?,
            ),
            None => None,
        };
        let value = serde_json::to_value(DocumentsSetting {
            config: stored_text,
            logo_file,
        })
        .map_err(|e| AppError::File(e.to_string()))?;
        tx.put_setting(SETTINGS_KEY, &value).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Goes back to the embedded configuration.
    pub async fn reset_documents_config(&self, actor: &Actor) -> Result<(), AppError> {
        let mut tx = self.write(actor).await?;
        tx.delete_setting(SETTINGS_KEY).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A refusal of the logo, under the setting that names it.
fn logo_refused(message: String) -> AppError {
    AppError::Domain(DomainError::Invalid(vec![FieldError::new(
        "header.logo",
        message,
    )]))
}

fn check_logo(logo: &Logo) -> Result<(), AppError> {
    if logo.bytes.len() > LOGO_MAX_BYTES {
        return Err(logo_refused(format!(
            "Logo « {} » : {} octets, au-delà de la limite de {LOGO_MAX_BYTES} octets (1 Mio).",
            logo.name,
            logo.bytes.len()
        )));
    }
    if logo_media_type(&logo.bytes).is_none() {
        return Err(logo_refused(format!(
            "Logo « {} » : ce n'est ni une image PNG, ni JPEG, ni SVG.",
            logo.name
        )));
    }
    Ok(())
}

/// The configuration's text with `header.logo` emptied, its comments and layout kept.
fn without_logo_path(text: &str) -> Result<String, AppError> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| AppError::File(format!("Configuration des documents illisible : {e}")))?;
    if let Some(header) = doc.get_mut("header").and_then(|h| h.as_table_like_mut())
        && header.contains_key("logo")
    {
        header.insert("logo", toml_edit::value(""));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logo_path_is_emptied_and_the_rest_kept() {
        let text = "# Commune\n[header]\ncollectivity = \"COMMUNE DE GRAPPE\"\nlogo = \"/srv/logo.png\" # the town's\n";
        let kept = without_logo_path(text).unwrap();
        assert!(kept.contains("# Commune"), "{kept}");
        assert!(
            kept.contains("collectivity = \"COMMUNE DE GRAPPE\""),
            "{kept}"
        );
        assert!(!kept.contains("/srv/logo.png"), "{kept}");
        assert_eq!(without_logo_path("[wording]\n").unwrap(), "[wording]\n");
    }

    #[test]
    fn a_logo_is_a_small_png_jpeg_or_svg() {
        let logo = |bytes: &[u8]| Logo {
            name: "logo".into(),
            bytes: bytes.to_vec(),
        };
        assert!(check_logo(&logo(b"\x89PNG\r\n\x1a\n....")).is_ok());
        assert!(check_logo(&logo(&[0xff, 0xd8, 0xff, 0xe0])).is_ok());
        assert!(
            check_logo(&logo(
                b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"
            ))
            .is_ok()
        );
        let refused = check_logo(&logo(b"%PDF-1.7")).unwrap_err();
        assert_eq!(refused.field_errors()[0].field, "header.logo");
        assert!(
            refused.to_string().contains("ni une image PNG"),
            "{refused}"
        );
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(LOGO_MAX_BYTES + 1, 0);
        assert!(
            check_logo(&logo(&big))
                .unwrap_err()
                .to_string()
                .contains("1 Mio")
        );
    }
}
