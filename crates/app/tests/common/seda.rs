//! Checks of SEDA 2.3 packages against the official schemas (xmllint) and their digests.

use std::io::Read;
use std::process::Command;

/// The official SEDA 2.3 schema, kept in the shared folder.
pub fn schema() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../interop/schemas/seda-2.3/seda-2.3-main.xsd")
}

/// Validates an XML message against SEDA 2.3 with xmllint; panics with its report.
pub fn validate(xml: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("message.xml");
    std::fs::write(&path, xml).unwrap();
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema())
        .arg(&path)
        .output()
        .expect("xmllint (libxml2-utils) is needed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Opens the ZIP, validates its manifest, checks that every listed file is there with the
/// SHA-512 digest and size the manifest states; gives the files' paths.
pub fn check_package(zip: &[u8]) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut manifest = String::new();
    archive
        .by_name("manifest.xml")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    validate(manifest.as_bytes());
    let mut listed = Vec::new();
    for block in manifest.split("<BinaryDataObject ").skip(1) {
        let between = |open: &str, close: &str| -> String {
            let start = block.find(open).unwrap() + open.len();
            let end = block[start..].find(close).unwrap() + start;
            block[start..end].to_string()
        };
        let uri = between("<Uri>", "</Uri>");
        let digest = between("<MessageDigest algorithm=\"SHA-512\">", "</MessageDigest>");
        let size: usize = between("<Size>", "</Size>").parse().unwrap();
        let mut bytes = Vec::new();
        archive
            .by_name(&uri)
            .unwrap_or_else(|_| panic!("{uri} is listed but not in the package"))
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(acta_interop::seda::sha512_hex(&bytes), digest, "{uri}");
        assert_eq!(bytes.len(), size, "{uri}");
        listed.push(uri);
    }
    assert_eq!(
        archive.len(),
        listed.len() + 1,
        "every file is in the manifest"
    );
    listed
}

/// An ArchiveTransferReply as an SAE sends it, validated against the schema.
pub fn reply(request: &str, code: &str, units: &[(&str, &str)]) -> String {
    let mut archive_units = String::new();
    for (i, (number, id)) in units.iter().enumerate() {
        archive_units.push_str(&format!(
            "<ArchiveUnit id=\"AU{i}\"><Content><DescriptionLevel>File</DescriptionLevel><Title>Délibération N°{number}</Title><OriginatingSystemId>{number}</OriginatingSystemId><ArchivalAgencyArchiveUnitIdentifier>{id}</ArchivalAgencyArchiveUnitIdentifier></Content></ArchiveUnit>"
        ));
    }
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ArchiveTransferReply xmlns="fr:gouv:culture:archivesdefrance:seda:v2.3">
  <Date>2026-12-07T15:00:00</Date>
  <MessageIdentifier>ATR-{request}</MessageIdentifier>
  <CodeListVersions><ReplyCodeListVersion>ReplyCodeListVersion0</ReplyCodeListVersion></CodeListVersions>
  <DataObjectPackage><DescriptiveMetadata>{archive_units}</DescriptiveMetadata><ManagementMetadata/></DataObjectPackage>
  <ReplyCode>{code}</ReplyCode>
  <MessageRequestIdentifier>{request}</MessageRequestIdentifier>
  <GrantDate>2026-12-07T15:00:00</GrantDate>
  <ArchivalAgency><Identifier>FRAD062</Identifier></ArchivalAgency>
  <TransferringAgency><Identifier>226200012</Identifier></TransferringAgency>
</ArchiveTransferReply>
"#
    );
    validate(xml.as_bytes());
    xml
}
