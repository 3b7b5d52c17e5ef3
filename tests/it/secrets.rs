//! The secret scan over evidence as partners attach it, with every file generated at test
//! time in a scratch folder:
//!
//! - a secret corpus: one file per kind of secret and per carrier (plain text, a NUL early in
//!   the file, UTF-16 in both byte orders with and without a mark, gzip, a `.tar.gz`, a
//!   `.docx`, an `.xlsx`, a zip inside a zip, a PNG text chunk); every one must be caught, as
//!   its kind, at its place and line;
//! - a clean corpus of realistic evidence that talks about passwords and tokens without
//!   holding any; no file may be flagged;
//! - zip bombs (1 GiB of zeros in a few hundred KiB, alone, gzipped, nested, many at once),
//!   which must be reported as not fully scanned after reading and unpacking little;
//! - the real `ftr export` refusing a `.docx` with a token, naming the entry, and listing
//!   encrypted and bomb archives as not scanned.
//!
//! Tokens are assembled at run time, so no token-shaped string sits in the source.

use std::io::{Cursor, Write};
use std::path::Path;

use base64::Engine as _;
use ftr_wizard::export::secrets::{FileScan, Limits, scan_file, scan_file_with};
use predicates::prelude::*;
use proptest::prelude::*;

use crate::common::{self, Scratch};

// ---------------------------------------------------------------------------------------
// Makers of realistic values

/// Letters and digits that look random, the same for the same seed.
fn alnum(n: usize, seed: u64) -> String {
    const SET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(SET[(x % SET.len() as u64) as usize])
        })
        .collect()
}

fn digits(n: usize, seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(b'0' + (x % 10) as u8)
        })
        .collect()
}

fn noise(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// One line holding one secret, for every kind the scan knows.
fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut h = tar::Header::new_ustar();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn xz(data: &[u8]) -> Vec<u8> {
    let mut w = lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::default()).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut w = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

/// `text` cut in two halves (on a character boundary), so no tool sees it whole.
fn halves(text: &str) -> (&str, &str) {
    let mut mid = text.len() / 2;
    while !text.is_char_boundary(mid) {
        mid += 1;
    }
    text.split_at(mid)
}

/// A Word document whose paragraphs are `lines`, each split over two runs as Word does after
/// an edit, so no line is whole in the XML.
fn docx_split(lines: &[&str]) -> Vec<u8> {
    let mut doc = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"w\"><w:body>",
    );
    for l in lines {
        let (a, b) = halves(l);
        doc.push_str(&format!(
            "<w:p><w:r><w:t>{}</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            xml_escape(a),
            xml_escape(b)
        ));
    }
    doc.push_str("</w:body></w:document>");
    zip_of(&[("word/document.xml", doc.as_bytes())])
}

/// A workbook whose shared strings are `cells` in rich text, each split over two runs.
fn xlsx_rich(cells: &[&str]) -> Vec<u8> {
    let mut strings = String::from("<?xml version=\"1.0\"?><sst xmlns=\"s\">");
    for c in cells {
        let (a, b) = halves(c);
        strings.push_str(&format!(
            "<si><r><t>{}</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">{}</t></r></si>",
            xml_escape(a),
            xml_escape(b)
        ));
    }
    strings.push_str("</sst>");
    zip_of(&[("xl/sharedStrings.xml", strings.as_bytes())])
}

/// A PDF string literal.
fn pdf_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)");
    format!("({escaped})")
}

/// A PDF whose page draws `lines`, each as two kerned pieces of one `TJ`, in a deflated
/// content stream (object 4), next to a picture.
fn pdf_deflated(lines: &[&str], seed: u64) -> Vec<u8> {
    let mut content = String::from("BT /F1 11 Tf 72 720 Td\n");
    for l in lines {
        let (a, b) = halves(l);
        content.push_str(&format!(
            "0 -14 Td [{} -12 {}] TJ\n",
            pdf_string(a),
            pdf_string(b)
        ));
    }
    content.push_str("ET\n");
    let packed = zlib(content.as_bytes());
    let picture = noise(20_000, seed);
    let mut v =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".to_vec();
    v.extend_from_slice(
        format!(
            "4 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            packed.len()
        )
        .as_bytes(),
    );
    v.extend_from_slice(&packed);
    v.extend_from_slice(b"\nendstream\nendobj\n");
    v.extend_from_slice(
        format!(
            "5 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length {} >>\nstream\n",
            picture.len()
        )
        .as_bytes(),
    );
    v.extend_from_slice(&picture);
    v.extend_from_slice(b"\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    v
}

/// A PNG with `text` in a compressed chunk: `zTXt`, or `iTXt` with its compression flag.
fn png_compressed(text: &str, international: bool, seed: u64) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut v, b"IHDR", &[0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    let mut t = b"Comment\0".to_vec();
    if international {
        t.extend_from_slice(b"\x01\x00en\0Kommentar\0");
    } else {
        t.push(0);
    }
    t.extend_from_slice(&zlib(text.as_bytes()));
    png_chunk(&mut v, if international { b"iTXt" } else { b"zTXt" }, &t);
    png_chunk(&mut v, b"IDAT", &noise(30_000, seed));
    png_chunk(&mut v, b"IEND", &[]);
    v
}

fn secret_lines() -> Vec<(&'static str, String)> {
    vec![
        (
            "an AWS access key ID",
            format!(
                "deploy key {}{} in use",
                "AKIA",
                alnum(16, 1).to_uppercase()
            ),
        ),
        (
            "an AWS secret access key",
            format!("aws_secret_access_key = {}", alnum(40, 2)),
        ),
        (
            "a private key block",
            format!("-----BEGIN {} PRIVATE KEY-----", "OPENSSH"),
        ),
        (
            "a PuTTY private key",
            format!("{}-User-Key-File-3: ssh-ed25519", "PuTTY"),
        ),
        (
            "a GitHub token",
            format!("CI token {}{} for releases", "ghp_", alnum(36, 3)),
        ),
        (
            "a GitHub token",
            format!("{}{}_{}", "github_pat_", alnum(22, 4), alnum(59, 5)),
        ),
        (
            "a Slack token",
            format!(
                "bot {}{}-{}-{}",
                "xoxb-",
                digits(12, 6),
                digits(13, 7),
                alnum(24, 8)
            ),
        ),
        (
            "a Slack token",
            format!(
                "user {}{}-{}-{}-{}",
                "xoxp-",
                digits(12, 9),
                digits(12, 10),
                digits(13, 11),
                alnum(32, 12).to_lowercase()
            ),
        ),
        (
            "a Stripe live secret key",
            format!("stripe key {}{}", "sk_live_", alnum(24, 13)),
        ),
        (
            "a Stripe live secret key",
            format!("restricted {}{}", "rk_live_", alnum(24, 14)),
        ),
        (
            "an npm token",
            format!(
                "//registry.npmjs.org/:_authToken={}{}",
                "npm_",
                alnum(36, 15)
            ),
        ),
        (
            "a Docker registry credential",
            format!(
                r#"{{"auths": {{"registry.example.com": {{"auth": "{}"}}}}}}"#,
                b64(format!("ci-bot:{}", alnum(14, 16)).as_bytes())
            ),
        ),
        (
            "HTTP Basic credentials",
            format!(
                "Authorization: Basic {}",
                b64(format!("ops:{}", alnum(12, 17)).as_bytes())
            ),
        ),
        (
            "a password in YAML",
            format!("  password: {}-{}", alnum(8, 18), digits(4, 19)),
        ),
        (
            "a password in JSON",
            format!(
                r#"{{"db_password": "{}!{}"}}"#,
                alnum(10, 20),
                digits(3, 21)
            ),
        ),
        (
            "a password in a JDBC URL",
            format!(
                "jdbc:mysql://db.internal:3306/app?user=app&password={}",
                alnum(12, 22)
            ),
        ),
        (
            "a password in a JDBC URL",
            format!(
                "jdbc:sqlserver://db:1433;databaseName=app;user=app;password={};",
                alnum(12, 23)
            ),
        ),
        (
            "a password in a connection string",
            format!(
                "Server=db;Database=app;User Id=app;Password={};",
                alnum(12, 24)
            ),
        ),
        (
            "a password in a connection string",
            format!("redis://:{}@cache.internal:6379/0", alnum(16, 25)),
        ),
        (
            "a password in a connection string",
            format!("rediss://:{}@cache.internal:6380", alnum(16, 26)),
        ),
        (
            "a password in a connection string",
            format!("postgres://app:{}@db.internal:5432/app", alnum(12, 27)),
        ),
        (
            "a bearer token",
            format!(
                "Authorization: Bearer {}.{}.{}",
                alnum(20, 28),
                alnum(30, 29),
                alnum(20, 30)
            ),
        ),
        (
            "a credential in .env style",
            format!("DB_PASSWORD={}", alnum(14, 31)),
        ),
    ]
}

// ---------------------------------------------------------------------------------------
// Makers of carriers

fn utf16(text: &str, big: bool, mark: bool) -> Vec<u8> {
    let mut v = Vec::new();
    for u in mark
        .then_some(0xFEFF)
        .into_iter()
        .chain(text.encode_utf16())
    {
        v.extend_from_slice(&if big {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    v
}

fn gzip(name: &str, data: &[u8]) -> Vec<u8> {
    let mut w = flate2::GzBuilder::new()
        .filename(name)
        .write(Vec::new(), flate2::Compression::default());
    w.write_all(data).unwrap();
    w.finish().unwrap()
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn tar_gz(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    w.write_all(&tar_of(entries)).unwrap();
    w.finish().unwrap()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A Word document whose paragraphs are `lines`, one per line of `word/document.xml`
/// from line 3 on.
fn docx(lines: &[&str]) -> Vec<u8> {
    let mut doc = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\n",
    );
    for l in lines {
        doc.push_str(&format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>\n",
            xml_escape(l)
        ));
    }
    doc.push_str("</w:body></w:document>\n");
    zip_of(&[
        (
            "[Content_Types].xml",
            b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>",
        ),
        (
            "_rels/.rels",
            b"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>",
        ),
        ("word/document.xml", doc.as_bytes()),
    ])
}

/// A workbook whose shared strings are `cells`, one per line of `xl/sharedStrings.xml` from
/// line 3 on.
fn xlsx(cells: &[&str]) -> Vec<u8> {
    let mut strings = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{0}\" uniqueCount=\"{0}\">\n",
        cells.len()
    );
    for c in cells {
        strings.push_str(&format!(
            "<si><t xml:space=\"preserve\">{}</t></si>\n",
            xml_escape(c)
        ));
    }
    strings.push_str("</sst>\n");
    let sheet = "<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
    zip_of(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
        ("xl/workbook.xml", b"<?xml version=\"1.0\"?><workbook/>"),
        ("xl/sharedStrings.xml", strings.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&h.finalize().to_be_bytes());
}

/// A PNG with `text` in a tEXt chunk and noise for pixels.
fn png_with_text(text: &str, seed: u64) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    png_chunk(&mut v, b"IHDR", &[0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    let mut t = b"Comment\0".to_vec();
    t.extend_from_slice(text.as_bytes());
    png_chunk(&mut v, b"tEXt", &t);
    png_chunk(&mut v, b"IDAT", &noise(30_000, seed));
    png_chunk(&mut v, b"IEND", &[]);
    v
}

/// A file that carries `secret` on its second line, with where it is expected:
/// `(carrier, bytes, place, line)`.
fn carriers(secret: &str, seed: u64) -> Vec<(&'static str, Vec<u8>, String, u64)> {
    let text = format!("intro line\n{secret}\nlast line\n");
    let mut nul = b"\0\x01\x02BIN\0header\n".to_vec();
    nul.extend_from_slice(text.as_bytes());
    let inner = zip_of(&[("notes.txt", text.as_bytes())]);
    let png = png_with_text(&text, seed);
    let at = memchr::memmem::find(&png, secret.as_bytes()).expect("secret in the PNG");
    let png_line = 1 + png[..at].iter().filter(|&&b| b == b'\n').count() as u64;
    let crlf = text.replace('\n', "\r\n");
    let lines = ["intro line", secret, "last line"];
    vec![
        ("plain text", text.clone().into_bytes(), String::new(), 2),
        ("a NUL early in the file", nul, String::new(), 3),
        (
            "UTF-16 LE with a mark",
            utf16(&crlf, false, true),
            String::new(),
            2,
        ),
        ("UTF-16 LE", utf16(&crlf, false, false), String::new(), 2),
        (
            "UTF-16 BE with a mark",
            utf16(&crlf, true, true),
            String::new(),
            2,
        ),
        ("UTF-16 BE", utf16(&crlf, true, false), String::new(), 2),
        (
            "gzip",
            gzip("notes.txt", text.as_bytes()),
            "notes.txt".into(),
            2,
        ),
        (
            "a .tar.gz",
            tar_gz(&[("logs/notes.txt", text.as_bytes())]),
            "logs/notes.txt".into(),
            2,
        ),
        ("docx", docx(&lines), "word/document.xml".into(), 4),
        ("xlsx", xlsx(&lines), "xl/sharedStrings.xml".into(), 4),
        (
            "a zip in a zip",
            zip_of(&[("bundle/inner.zip", &inner)]),
            "bundle/inner.zip>notes.txt".into(),
            2,
        ),
        ("a PNG text chunk", png, String::new(), png_line),
        (
            "a docx with each paragraph split over two runs",
            docx_split(&lines),
            "word/document.xml, its text".into(),
            2,
        ),
        (
            "xlsx rich text split over two runs",
            xlsx_rich(&lines),
            "xl/sharedStrings.xml, its text".into(),
            2,
        ),
        (
            "a PDF page in a deflated stream, each line in two pieces",
            pdf_deflated(&lines, seed),
            "object 4, its text".into(),
            2,
        ),
        (
            "a PNG zTXt chunk",
            png_compressed(&text, false, seed),
            "zTXt chunk Comment".into(),
            2,
        ),
        (
            "a PNG compressed iTXt chunk",
            png_compressed(&text, true, seed),
            "iTXt chunk Comment".into(),
            2,
        ),
        ("xz", xz(text.as_bytes()), String::new(), 2),
        ("bzip2", bz2(text.as_bytes()), String::new(), 2),
        (
            "a .tar.xz",
            xz(&tar_of(&[("logs/notes.txt", text.as_bytes())])),
            "logs/notes.txt".into(),
            2,
        ),
        (
            "a .tar.bz2",
            bz2(&tar_of(&[("logs/notes.txt", text.as_bytes())])),
            "logs/notes.txt".into(),
            2,
        ),
    ]
}

fn hits(scan: &FileScan) -> Vec<(String, u64, &'static str)> {
    scan.hits
        .iter()
        .map(|h| (h.place.clone(), h.line, h.kind))
        .collect()
}

/// True when the scan found exactly the expected hit, or, for text split in the file's bytes
/// (expected in `…, its text`), found it as its kind in the text and nothing outside that
/// entry: a half of a split secret may still look like a secret of its own in the bytes.
fn caught(scan: &FileScan, expected: &(String, u64, &'static str)) -> bool {
    let found = hits(scan);
    let Some(entry) = expected.0.strip_suffix(", its text") else {
        return found == [expected.clone()];
    };
    found.contains(expected)
        || found
            .iter()
            .any(|(place, _, kind)| place == entry && *kind == expected.2)
            && found.iter().all(|(place, _, _)| place.starts_with(entry))
}

#[test]
fn every_secret_in_every_carrier_is_caught_as_its_kind_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let mut total = 0;
    let mut missed = Vec::new();
    for (k, (kind, secret)) in secret_lines().into_iter().enumerate() {
        for (c, (carrier, bytes, place, line)) in
            carriers(&secret, k as u64 + 100).into_iter().enumerate()
        {
            total += 1;
            let path = dir.path().join(format!("secret-{k}-{c}.bin"));
            std::fs::write(&path, bytes).unwrap();
            let scan = scan_file(&path).unwrap();
            let expected = vec![(place.clone(), line, kind)];
            if !caught(&scan, &expected[0]) || !scan.unscanned.is_empty() {
                missed.push(format!(
                    "{kind} in {carrier} ({secret}): expected {expected:?}, got {:?}, \
                     unscanned {:?}",
                    hits(&scan),
                    scan.unscanned
                ));
            }
        }
    }
    eprintln!(
        "secret corpus: {}/{total} secrets caught ({} kinds of line x {} carriers)",
        total - missed.len(),
        secret_lines().len(),
        total / secret_lines().len()
    );
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}

// ---------------------------------------------------------------------------------------
// The clean corpus

const POLICY: &str = "\
# Information Security Policy

Version 3.2, owner: Security Engineering. Reviewed every 12 months.

## Passwords and secrets

Passwords must be at least 14 characters and are checked against known breached passwords.
Password: required for every human user, together with MFA.
Administrators rotate their password every 90 days; service accounts use no passwords at all.
Secrets (API keys, tokens, database passwords) are kept in AWS Secrets Manager and never in
source code, tickets or chat. The secret access key of an IAM user is never created for
workloads: they use roles and short-lived credentials.

## Tokens

Our API accepts bearer tokens issued by Amazon Cognito. Tokens expire after 60 minutes;
refresh tokens after 30 days. A token presented after expiry is refused with 401.
The Authorization header carries the token; Basic authentication is disabled everywhere.
GitHub tokens, Slack tokens and npm tokens are fine-grained and expire within 90 days.

## Keys

Private keys for TLS are held in ACM; SSH access uses Session Manager instead of keys.
KMS customer managed keys are rotated yearly.
";

const RUNBOOK: &str = "\
# Runbook: database credential rotation

1. Fetch the current password:

       export DB_PASSWORD=\"$(aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text)\"

2. Connect with it from the bastion:

       psql \"postgres://app:${DB_PASSWORD}@db.internal:5432/app\"
       mysql -h db.internal -u admin -p\"$DB_PASSWORD\"

3. Call the health endpoint with a token from the environment:

       curl -H \"Authorization: Bearer $API_TOKEN\" https://api.example.com/healthz

4. Log in to the registry: `aws ecr get-login-password | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com`
5. Password: rotated by the Lambda function, never by hand.
6. Update the Kubernetes secret: kubectl create secret generic db --from-literal=password=\"$DB_PASSWORD\"
";

const IAM_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadAppSecrets",
      "Effect": "Allow",
      "Action": ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      "Resource": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/app-*"
    },
    {
      "Sid": "DenyPasswordChangesWithoutMfa",
      "Effect": "Deny",
      "Action": ["iam:ChangePassword", "iam:CreateAccessKey", "iam:UpdateLoginProfile"],
      "Resource": "*",
      "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
    },
    {
      "Sid": "DecryptWithAppKey",
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  ]
}
"#;

fn cloudtrail() -> String {
    let mut out = String::from("{\"Records\": [\n");
    for i in 0..400 {
        let event = match i % 4 {
            0 => format!(
                r#"{{"eventVersion": "1.08", "eventTime": "2026-11-{:02}T10:{:02}:00Z", "eventSource": "secretsmanager.amazonaws.com", "eventName": "GetSecretValue", "awsRegion": "eu-west-1", "sourceIPAddress": "10.0.{}.{}", "userAgent": "aws-sdk-java/2.20", "requestParameters": {{"secretId": "prod/db"}}, "responseElements": null, "readOnly": true}}"#,
                1 + i % 28,
                i % 60,
                i % 256,
                (i * 7) % 256
            ),
            1 => format!(
                r#"{{"eventVersion": "1.08", "eventTime": "2026-11-{:02}T11:00:00Z", "eventSource": "iam.amazonaws.com", "eventName": "CreateLoginProfile", "requestParameters": {{"userName": "dana{i}", "password": "HIDDEN_DUE_TO_SECURITY_REASONS", "passwordResetRequired": true}}, "responseElements": {{"loginProfile": {{"userName": "dana{i}", "passwordResetRequired": true}}}}}}"#,
                1 + i % 28
            ),
            2 => format!(
                r#"{{"eventVersion": "1.08", "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "additionalEventData": {{"MFAUsed": "Yes", "LoginTo": "https://console.aws.amazon.com/console/home"}}, "responseElements": {{"ConsoleLogin": "Success"}}, "eventID": "{}"}}"#,
                alnum(32, i).to_lowercase()
            ),
            _ => format!(
                r#"{{"eventVersion": "1.08", "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "requestParameters": {{"roleArn": "arn:aws:iam::123456789012:role/deploy", "roleSessionName": "token-refresh-{i}", "durationSeconds": 3600}}}}"#
            ),
        };
        out.push_str(&event);
        out.push_str(if i == 399 { "\n" } else { ",\n" });
    }
    out.push_str("]}\n");
    out
}

const CONFIG_YAML: &str = "\
# Application configuration; secrets come from the environment.
database:
  host: db.internal
  port: 5432
  user: app
  password: ${DB_PASSWORD}
  password_min_length: 14
  pool: 20
cache:
  url: redis://:${REDIS_PASSWORD}@cache.internal:6379/0
auth:
  token_ttl: 3600
  jwt_secret: \"{{ vault_jwt_secret }}\"
  api_token: ${API_TOKEN}
  admin_password: \"\"
  smtp_password: null
  backup_password: changeme
  oauth:
    client_secret: ${OAUTH_CLIENT_SECRET}
    token_url: https://auth.example.com/oauth2/token
";

const COMPOSE: &str = "\
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: app
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets:
      - db_password
  app:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/widget:1.4.2
    env_file: .env
    environment:
      - DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app
      - SECRET_KEY_BASE=${SECRET_KEY_BASE}
      - API_TOKEN
      - GITHUB_TOKEN=${GITHUB_TOKEN}
      - NPM_TOKEN=${NPM_TOKEN:-}
secrets:
  db_password:
    file: ./secrets/db_password.txt
";

fn scan_report_csv() -> String {
    let mut out = String::from("id,severity,check,resource,status,notes\n");
    let checks = [
        "Hardcoded password in source",
        "Secrets Manager rotation enabled",
        "Access keys older than 90 days",
        "Root account has access keys",
        "Password policy: minimum length 14",
        "Bearer token lifetime under 1 hour",
        "Private key files in S3 buckets",
        "Token validation on every request",
    ];
    for i in 0..300 {
        out.push_str(&format!(
            "CHK-{i:04},{},\"{}\",arn:aws:s3:::widget-bucket-{},{},\"checked by scanner v2.{}\"\n",
            ["low", "medium", "high"][i % 3],
            checks[i % checks.len()],
            i % 17,
            ["PASS", "PASS", "FAIL", "INFO"][i % 4],
            i % 9
        ));
    }
    out
}

fn base64_image() -> String {
    let data = b64(&png_with_text(
        "Created with the console screenshot tool",
        7,
    ));
    let mut out = String::from("<img alt=\"network diagram\" src=\"data:image/png;base64,");
    out.push_str(&data);
    out.push_str("\">\n");
    // And as a mail attachment would carry it, in lines of 76.
    let big = b64(&noise(60_000, 8));
    for chunk in big.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap());
        out.push('\n');
    }
    out
}

fn minified_js() -> String {
    let mut out = String::from("!function(){\"use strict\";");
    for i in 0..1500 {
        out.push_str(&format!(
            "function l{i}(e){{var t=e.token||\"\",n=e.password;return fetch(\"https://api.example.com/v1/login\",{{method:\"POST\",headers:{{\"Content-Type\":\"application/json\",Authorization:\"Bearer \"+t}},body:JSON.stringify({{username:e.user,password:n}})}}).then(function(r){{return r.ok?r.json():Promise.reject(new Error(\"token_expired\"))}})}}\
             var c{i}={{type:\"password\",label:\"Password\",secret:!1,apiKey:void 0,accessKey:null,tokenTtl:3600}};"
        ));
    }
    out.push_str("}();\n");
    out
}

fn pdf_like() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let texts = [
        "Access control review: passwords, tokens and keys",
        "All secrets are stored in AWS Secrets Manager.",
        "Password: managed by the identity provider",
        "Bearer tokens expire after one hour.",
    ];
    for (i, t) in texts.iter().enumerate() {
        let body = format!("BT /F1 11 Tf 72 {} Td ({t}) Tj ET", 700 - i * 20);
        v.extend_from_slice(
            format!(
                "{} 0 obj << /Length {} >> stream\n{body}\nendstream endobj\n",
                i + 1,
                body.len()
            )
            .as_bytes(),
        );
        let img = noise(40_000, 50 + i as u64);
        v.extend_from_slice(
            format!(
                "{} 0 obj << /Type /XObject /Subtype /Image /Length {} >> stream\n",
                i + 10,
                img.len()
            )
            .as_bytes(),
        );
        v.extend_from_slice(&img);
        v.extend_from_slice(b"\nendstream endobj\n");
    }
    v.extend_from_slice(b"trailer << /Root 1 0 R >>\n%%EOF\n");
    v
}

fn clean_corpus() -> Vec<(&'static str, Vec<u8>)> {
    let csv = scan_report_csv();
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![
        ("security-policy.md", POLICY.into()),
        ("runbook.md", RUNBOOK.into()),
        ("iam-policy.json", IAM_POLICY.into()),
        ("cloudtrail.json", cloudtrail().into_bytes()),
        ("config.yaml", CONFIG_YAML.into()),
        ("docker-compose.yml", COMPOSE.into()),
        ("scan-report.csv", csv.clone().into_bytes()),
        (
            "scan-report-excel.csv",
            utf16(&csv.replace('\n', "\r\n"), false, true),
        ),
        ("diagram.html", base64_image().into_bytes()),
        ("bundle.min.js", minified_js().into_bytes()),
        ("report.pdf", pdf_like()),
        (
            "report-deflated.pdf",
            pdf_deflated(&POLICY.lines().collect::<Vec<_>>(), 3),
        ),
        (
            "policy-edited.docx",
            docx_split(&RUNBOOK.lines().collect::<Vec<_>>()),
        ),
        ("rich.xlsx", xlsx_rich(&POLICY.lines().collect::<Vec<_>>())),
        (
            "annotated.png",
            png_compressed("Annotated: the password policy screen", true, 4),
        ),
        (
            "configs.tar.xz",
            xz(&tar_of(&[("config.yaml", CONFIG_YAML.as_bytes())])),
        ),
        ("runbook.md.bz2", bz2(RUNBOOK.as_bytes())),
        (
            "console.png",
            png_with_text("Created with the console screenshot tool", 9),
        ),
        ("policy.docx", docx(&POLICY.lines().collect::<Vec<_>>())),
        ("findings.xlsx", xlsx(&csv.lines().collect::<Vec<_>>())),
        (
            "logs.json.gz",
            gzip("cloudtrail.json", cloudtrail().as_bytes()),
        ),
        (
            "configs.tar.gz",
            tar_gz(&[
                ("etc/app/config.yaml", CONFIG_YAML.as_bytes()),
                ("etc/app/docker-compose.yml", COMPOSE.as_bytes()),
            ]),
        ),
    ];
    let all: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let archive = zip_of(&all);
    files.push(("evidence.zip", archive));
    files
}

#[test]
fn no_file_of_the_clean_corpus_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = clean_corpus();
    let mut flagged = Vec::new();
    for (name, bytes) in &corpus {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let scan = scan_file(&path).unwrap();
        if !scan.hits.is_empty() || !scan.unscanned.is_empty() {
            flagged.push(format!(
                "{name}: {:?}, unscanned {:?}",
                hits(&scan),
                scan.unscanned
            ));
        }
    }
    eprintln!(
        "clean corpus: {}/{} clean files flagged",
        flagged.len(),
        corpus.len()
    );
    assert!(flagged.is_empty(), "flagged:\n{}", flagged.join("\n"));
}

#[test]
fn what_the_scan_cannot_read_inside_is_named_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let ole = [&b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"[..], &noise(2048, 8)].concat();
    let lzw = b"%PDF-1.4\n3 0 obj << /Filter /LZWDecode /Length 4 >> stream\nabcd\nendstream endobj\n%%EOF\n".to_vec();
    let locked = b"%PDF-1.6\n1 0 obj << /Filter /FlateDecode /Length 4 >> stream\nabcd\nendstream endobj\ntrailer << /Root 2 0 R /Encrypt 9 0 R >>\n%%EOF\n".to_vec();
    let identity = [
        &b"%PDF-1.7\n7 0 obj << /Type /Font /Subtype /Type0 /Encoding /Identity-H >> endobj\n"[..],
        &pdf_deflated(&["page text"], 6)[9..],
    ]
    .concat();
    let seven = [&b"7z\xbc\xaf\x27\x1c\x00\x04"[..], &noise(512, 9)].concat();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "macros.xlsm",
            zip_of(&[("xl/vbaProject.bin", &ole)]),
            "xl/vbaProject.bin",
            "macro code",
        ),
        ("lzw.pdf", lzw, "object 3", "/LZWDecode"),
        ("locked.pdf", locked, "", "encrypted PDF"),
        ("identity.pdf", identity, "", "Identity-H"),
        ("logs.7z", seven, "", "7-Zip"),
        (
            "broken.docx",
            zip_of(&[(
                "word/document.xml",
                b"<?xml version=\"1.0\"?><w:p>a</w:p><w:r x=\"1></w:p>",
            )]),
            "word/document.xml",
            "cannot be read past byte",
        ),
    ];
    for (name, bytes, place, why) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let scan = scan_file(&path).unwrap();
        assert!(
            scan.unscanned
                .iter()
                .any(|u| u.place == place && u.why.contains(why)),
            "{name}: expected {place:?} not scanned for {why:?}, got {:?}",
            scan.unscanned
        );
    }
}

// ---------------------------------------------------------------------------------------
// Zip bombs

/// A raw deflate stream of `blocks` MiB of zeros: the compressed form of one MiB, ended with
/// a full flush so that copies of it follow one another, repeated, then a final empty block.
struct Zeros {
    chunk: Vec<u8>,
    tail: Vec<u8>,
    blocks: u64,
    crc: u32,
}

impl Zeros {
    fn new(blocks: u64) -> Zeros {
        let mib = vec![0u8; 1 << 20];
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        // Room to spare, so each call takes all its input and completes its flush.
        let mut chunk = Vec::with_capacity(1 << 20);
        c.compress_vec(&mib, &mut chunk, flate2::FlushCompress::Full)
            .unwrap();
        assert_eq!(c.total_in(), mib.len() as u64);
        assert!(chunk.len() < chunk.capacity());
        let mut tail = Vec::with_capacity(1024);
        let status = c
            .compress_vec(&[], &mut tail, flate2::FlushCompress::Finish)
            .unwrap();
        assert_eq!(status, flate2::Status::StreamEnd);
        let mut one = crc32fast::Hasher::new();
        one.update(&mib);
        let mut all = crc32fast::Hasher::new();
        for _ in 0..blocks {
            all.combine(&one);
        }
        Zeros {
            chunk,
            tail,
            blocks,
            crc: all.finalize(),
        }
    }

    fn size(&self) -> u64 {
        self.blocks << 20
    }

    fn packed(&self) -> u64 {
        self.chunk.len() as u64 * self.blocks + self.tail.len() as u64
    }

    fn write(&self, w: &mut impl Write) {
        for _ in 0..self.blocks {
            w.write_all(&self.chunk).unwrap();
        }
        w.write_all(&self.tail).unwrap();
    }
}

/// A zip of `names`, each entry the deflated zeros, written by hand (the sizes are known).
fn bomb_zip(path: &Path, names: &[&str], zeros: &Zeros) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut central = Vec::new();
    let mut offset = 0u64;
    let u16le = |v: usize| (v as u16).to_le_bytes();
    let u32le = |v: u64| (v as u32).to_le_bytes();
    for name in names {
        let mut local = b"PK\x03\x04".to_vec();
        local.extend_from_slice(&u16le(20)); // version needed
        local.extend_from_slice(&u16le(0)); // flags
        local.extend_from_slice(&u16le(8)); // deflated
        local.extend_from_slice(&[0, 0, 0x21, 0]); // 1980-01-01 00:00
        local.extend_from_slice(&zeros.crc.to_le_bytes());
        local.extend_from_slice(&u32le(zeros.packed()));
        local.extend_from_slice(&u32le(zeros.size()));
        local.extend_from_slice(&u16le(name.len()));
        local.extend_from_slice(&u16le(0));
        local.extend_from_slice(name.as_bytes());
        w.write_all(&local).unwrap();
        zeros.write(&mut w);
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&u16le(20));
        central.extend_from_slice(&local[4..30]);
        central.extend_from_slice(&[0; 8]); // comment, disk, internal and external attributes
        central.extend_from_slice(&[0; 2]);
        central.extend_from_slice(&u32le(offset));
        central.extend_from_slice(name.as_bytes());
        offset += local.len() as u64 + zeros.packed();
    }
    let mut end = b"PK\x05\x06\0\0\0\0".to_vec();
    end.extend_from_slice(&u16le(names.len()));
    end.extend_from_slice(&u16le(names.len()));
    end.extend_from_slice(&u32le(central.len() as u64));
    end.extend_from_slice(&u32le(offset));
    end.extend_from_slice(&[0, 0]);
    w.write_all(&central).unwrap();
    w.write_all(&end).unwrap();
    w.flush().unwrap();
}

fn bomb_gz(path: &Path, zeros: &Zeros) {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    w.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
        .unwrap();
    zeros.write(&mut w);
    w.write_all(&zeros.crc.to_le_bytes()).unwrap();
    w.write_all(&(zeros.size() as u32).to_le_bytes()).unwrap();
    w.flush().unwrap();
}

/// A stored zip holding the files at `paths` under their names.
fn stored_zip_of(out: &Path, paths: &[(&str, &Path)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    for (name, p) in paths {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        w.start_file(*name, options).unwrap();
        std::io::copy(&mut std::fs::File::open(p).unwrap(), &mut w).unwrap();
    }
    w.finish().unwrap();
}

fn why(scan: &FileScan) -> String {
    scan.unscanned
        .iter()
        .map(|u| format!("{}: {}", u.place, u.why))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn zip_bombs_are_stopped_early_cheaply_and_listed() {
    const GIB: u64 = 1 << 30;
    let dir = tempfile::tempdir().unwrap();
    let zeros = Zeros::new(1024);
    assert_eq!(zeros.size(), GIB);
    let limits = Limits::default();

    // One entry of 1 GiB.
    let one = dir.path().join("bomb.zip");
    bomb_zip(&one, &["zeros.bin"], &zeros);
    let size = std::fs::metadata(&one).unwrap().len();
    let scan = scan_file(&one).unwrap();
    eprintln!(
        "bomb.zip: {size} bytes on disk for 1 GiB; read {} bytes, unpacked {} bytes",
        scan.read, scan.unpacked
    );
    assert_eq!(scan.unscanned.len(), 1, "{}", why(&scan));
    assert_eq!(scan.unscanned[0].place, "zeros.bin");
    assert!(scan.unscanned[0].why.contains("zip bomb"), "{}", why(&scan));
    assert!(
        scan.unpacked <= limits.ratio_after + (1 << 20),
        "{}",
        scan.unpacked
    );
    assert!(scan.read < size / 4, "read {} of {size}", scan.read);

    // The same as a gzip file.
    let gz = dir.path().join("zeros.gz");
    bomb_gz(&gz, &zeros);
    let scan = scan_file(&gz).unwrap();
    eprintln!(
        "zeros.gz: read {} bytes, unpacked {} bytes",
        scan.read, scan.unpacked
    );
    assert_eq!(scan.unscanned.len(), 1, "{}", why(&scan));
    assert!(scan.unscanned[0].why.contains("zip bomb"), "{}", why(&scan));
    assert!(
        scan.unpacked <= limits.ratio_after + (1 << 20),
        "{}",
        scan.unpacked
    );

    // Ten bombs in one zip: three are tried, the rest left.
    let many = dir.path().join("many.zip");
    let names: Vec<String> = (0..10).map(|i| format!("part{i}.bin")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    bomb_zip(&many, &refs, &zeros);
    let scan = scan_file(&many).unwrap();
    eprintln!(
        "many.zip (10 GiB): read {} bytes, unpacked {} bytes",
        scan.read, scan.unpacked
    );
    assert_eq!(scan.unscanned.len(), 4, "{}", why(&scan));
    assert!(
        scan.unscanned[3].why.starts_with(
            "7 more entries not scanned: 3 entries before them expanded like a zip bomb"
        ),
        "{}",
        why(&scan)
    );
    assert!(
        scan.unpacked <= 3 * (limits.ratio_after + (1 << 20)),
        "{}",
        scan.unpacked
    );

    // Nested: the bombs inside a zip inside a zip.
    let middle = dir.path().join("middle.zip");
    stored_zip_of(&middle, &[("bomb.zip", &one), ("logs/zeros.gz", &gz)]);
    let outer = dir.path().join("outer.zip");
    stored_zip_of(&outer, &[("archive/middle.zip", &middle)]);
    let scan = scan_file(&outer).unwrap();
    eprintln!(
        "outer.zip (nested): read {} bytes, unpacked {} bytes",
        scan.read, scan.unpacked
    );
    let places: Vec<&str> = scan.unscanned.iter().map(|u| u.place.as_str()).collect();
    assert_eq!(
        places,
        [
            "archive/middle.zip>bomb.zip>zeros.bin",
            "archive/middle.zip>logs/zeros.gz"
        ],
        "{}",
        why(&scan)
    );
    assert!(scan.unscanned.iter().all(|u| u.why.contains("zip bomb")));
    // Copying the inner archives out is most of the cost; the bombs add little.
    let copied = std::fs::metadata(&middle).unwrap().len() + std::fs::metadata(&one).unwrap().len();
    assert!(
        scan.unpacked <= copied + 2 * (limits.ratio_after + (1 << 20)),
        "{}",
        scan.unpacked
    );

    // Within the per-file budget, a bomb that dodges the ratio still stops at the budget.
    let limits = Limits {
        ratio: u64::MAX,
        unpacked: 8 << 20,
        unpacked_per_byte: 0,
        ..Limits::default()
    };
    let scan = scan_file_with(&one, &limits).unwrap();
    assert_eq!(scan.unpacked, 8 << 20);
    assert!(scan.unscanned[0].why.contains("limit"), "{}", why(&scan));
}

proptest! {
    #![proptest_config(common::proptest_config(96))]

    /// Damaged containers and arbitrary bytes never make the scan fail or panic: whatever
    /// cannot be read is listed.
    #[test]
    fn damaged_input_never_fails_the_scan(
        which in 0usize..9,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        cut in any::<usize>(),
        raw in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let text = format!("intro\nDB_PASSWORD={}\n", alnum(14, 5));
        let mut bytes = match which {
            0 => zip_of(&[("a.txt", text.as_bytes()), ("b.gz", &gzip("b", text.as_bytes()))]),
            1 => gzip("notes.txt", text.as_bytes()),
            2 => docx(&["one", &text, "three"]),
            3 => tar_gz(&[("a.txt", text.as_bytes()), ("b.zip", &zip_of(&[("c", text.as_bytes())]))]),
            4 => pdf_deflated(&["one", &text], 1),
            5 => png_compressed(&text, true, 2),
            6 => xz(&tar_of(&[("a.txt", text.as_bytes())])),
            7 => bz2(text.as_bytes()),
            _ => raw,
        };
        for (at, b) in flips {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] ^= b;
            }
        }
        if !bytes.is_empty() {
            bytes.truncate(cut % (bytes.len() + 1));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.bin");
        std::fs::write(&path, &bytes).unwrap();
        let scan = scan_file(&path);
        prop_assert!(scan.is_ok(), "{:?}", scan.err());
    }
}

// ---------------------------------------------------------------------------------------
// Through the real binary

/// A project with one answer citing `files`, exported as a draft (the scan runs either way).
fn project_citing(s: &Scratch, files: &[&str]) {
    s.ftr()
        .args(["new", "--company", "Acme Ltd", "--product", "Widget Cloud"])
        .args(["--model", "customer-deployed"])
        .assert()
        .success();
    let mut cmd = s.ftr();
    cmd.args(["answer", "RM-001", "--status", "met", "--response"])
        .arg("Covered by the attached design documents.");
    for f in files {
        cmd.args(["--evidence", f]);
    }
    cmd.assert().success();
}

fn export_draft(s: &Scratch) -> assert_cmd::assert::Assert {
    s.ftr()
        .env("SOURCE_DATE_EPOCH", "1795680000")
        .args(["export", "--allow-incomplete"])
        .assert()
}

#[test]
fn export_refuses_a_docx_holding_a_github_token_and_names_the_entry() {
    let s = Scratch::new();
    let token = format!("{}{}", "ghp_", alnum(36, 77));
    s.write(
        "evidence/design.docx",
        docx(&["Deployment design", &format!("CI uses {token} to publish")]),
    );
    project_citing(&s, &["evidence/design.docx"]);
    export_draft(&s)
        .code(1)
        .stderr(predicate::str::contains(
            "evidence/design.docx (word/document.xml), line 4: a GitHub token",
        ))
        .stderr(predicate::str::contains("--allow-secrets"));
    assert!(!s.file("ftr-submission.zip").exists());
}

#[test]
fn export_lists_encrypted_and_bomb_archives_as_not_scanned_and_goes_on() {
    let s = Scratch::new();
    // An entry flagged as encrypted (general purpose flag bit 0, in both headers).
    let mut locked = zip_of(&[("secret.txt", b"DB_PASSWORD=not-readable-here\n")]);
    for (magic, at) in [(&b"PK\x03\x04"[..], 6usize), (&b"PK\x01\x02"[..], 8usize)] {
        let starts: Vec<usize> = memchr::memmem::find_iter(&locked, magic).collect();
        for p in starts {
            locked[p + at] |= 1;
        }
    }
    s.write("evidence/locked.zip", locked);
    std::fs::create_dir_all(s.file("evidence")).unwrap();
    bomb_zip(
        &s.file("evidence/bomb.zip"),
        &["zeros.bin"],
        &Zeros::new(256),
    );
    project_citing(&s, &["evidence/locked.zip", "evidence/bomb.zip"]);
    export_draft(&s)
        .success()
        .stdout(predicate::str::contains(
            "Not scanned for secrets (check these yourself):",
        ))
        .stdout(predicate::str::contains(
            "evidence/locked.zip (secret.txt): encrypted",
        ))
        .stdout(predicate::str::contains(
            "evidence/bomb.zip (zeros.bin): not fully scanned",
        ));
    // SUMMARY.md names them too, for whoever reads the bundle.
    let bundle = std::fs::File::open(s.file("ftr-submission.zip")).unwrap();
    let mut bundle = zip::ZipArchive::new(bundle).unwrap();
    let name = (0..bundle.len())
        .map(|i| bundle.by_index(i).unwrap().name().unwrap().to_string())
        .find(|n| n.ends_with("SUMMARY.md"))
        .unwrap();
    let mut summary = String::new();
    std::io::Read::read_to_string(&mut bundle.by_name(&name).unwrap(), &mut summary).unwrap();
    let section = summary
        .split("## Not scanned for secrets")
        .nth(1)
        .unwrap_or_else(|| panic!("no section of what was not scanned:\n{summary}"));
    assert!(
        section.contains("evidence/locked.zip (secret.txt): encrypted"),
        "{section}"
    );
    assert!(
        section.contains("evidence/bomb.zip (zeros.bin): not fully scanned"),
        "{section}"
    );
}
