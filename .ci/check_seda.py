"""Checks a SEDA 2.3 transfer package: every file the bordereau lists is in the ZIP with
the SHA-512 digest and size it states, and nothing else is. Usage: check_seda.py ZIP OUT_DIR
(the manifest is extracted to OUT_DIR/manifest.xml for xmllint)."""
import hashlib
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"s": "fr:gouv:culture:archivesdefrance:seda:v2.3"}

package, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(package) as z:
    manifest = z.read("manifest.xml")
    with open(f"{out}/manifest.xml", "wb") as f:
        f.write(manifest)
    root = ET.fromstring(manifest)
    listed = set()
    for obj in root.iterfind(".//s:BinaryDataObject", NS):
        uri = obj.findtext("s:Uri", namespaces=NS)
        digest = obj.find("s:MessageDigest", NS)
        size = int(obj.findtext("s:Size", namespaces=NS))
        data = z.read(uri)
        assert digest.get("algorithm") == "SHA-512", uri
        assert hashlib.sha512(data).hexdigest() == digest.text, f"{uri}: digest differs"
        assert len(data) == size, f"{uri}: size differs"
        listed.add(uri)
    extra = set(z.namelist()) - listed - {"manifest.xml"}
    assert not extra, f"files not in the bordereau: {extra}"
    assert listed, "the bordereau lists no file"
print(f"{package}: {len(listed)} files, digests and sizes as the bordereau states")
