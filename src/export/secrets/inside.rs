//! The text inside file formats whose bytes do not show it as it reads: XML whose words are
//! split over tags (a Word paragraph in several runs, a rich-text cell), the compressed
//! streams and text operators of a PDF, and the compressed text chunks of a PNG.
//!
//! Each function only finds; the scan decides what to read, within its bounds.

use quick_xml::events::Event;

/// Element names (without their prefix) that end a line of text: paragraphs, headings, list
/// items, line breaks, table rows and cells, shared strings.
const LINE_ENDS: &[&[u8]] = &[
    b"p",
    b"h",
    b"br",
    b"cr",
    b"li",
    b"tr",
    b"tc",
    b"row",
    b"c",
    b"si",
    b"div",
    b"tab",
    b"table-cell",
    b"line-break",
];

/// The text of an XML document, one line per paragraph, cell or line break, with the pieces
/// of a paragraph joined and references decoded. `Err` holds the text up to the place where
/// the XML stopped being readable, with that place.
pub(super) fn xml_text(xml: &[u8]) -> Result<Vec<u8>, (Vec<u8>, u64)> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Text(t)) => out.extend_from_slice(t.into_inner().as_bytes()),
            Ok(Event::CData(t)) => out.extend_from_slice(t.into_inner().as_bytes()),
            Ok(Event::GeneralRef(r)) => push_reference(&mut out, &r),
            Ok(Event::End(e)) if ends_a_line(e.local_name().into_inner().as_bytes()) => {
                out.push(b'\n')
            }
            Ok(Event::Empty(e)) if ends_a_line(e.local_name().into_inner().as_bytes()) => {
                out.push(b'\n')
            }
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(_) => return Err((out, reader.buffer_position())),
        }
    }
}

fn ends_a_line(name: &[u8]) -> bool {
    LINE_ENDS.contains(&name)
}

/// Appends what `&name;` stands for; an unknown entity is kept as written.
fn push_reference(out: &mut Vec<u8>, r: &quick_xml::events::BytesRef) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        return;
    }
    let c = match &**r {
        "amp" => b'&',
        "lt" => b'<',
        "gt" => b'>',
        "quot" => b'"',
        "apos" => b'\'',
        name => {
            out.push(b'&');
            out.extend_from_slice(name.as_bytes());
            out.push(b';');
            return;
        }
    };
    out.push(c);
}

/// One stream of a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PdfStream<'a> {
    /// `object 12`, or `a stream at byte 345` when no object number is found.
    pub name: String,
    pub filter: PdfFilter,
    pub data: &'a [u8],
}

/// How a PDF stream is encoded, as far as the scan is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PdfFilter {
    /// Not encoded: its bytes were scanned with the file's.
    None,
    /// Deflated: the scan inflates it.
    Flate,
    /// A picture (JPEG, JPEG 2000, JBIG2, fax): no text to read.
    Picture,
    /// An encoding the scan does not read, by its name.
    Other(String),
}

/// The streams of a PDF, in order, found in one pass over it.
pub(super) fn pdf_streams(pdf: &[u8]) -> Vec<PdfStream<'_>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(k) = memchr::memmem::find(&pdf[at..], b"stream") {
        let keyword = at + k;
        at = keyword + 6;
        if pdf[..keyword].ends_with(b"end") {
            continue;
        }
        let start = match pdf.get(at..at + 2) {
            Some(b"\r\n") => at + 2,
            Some([b'\n' | b'\r', _]) => at + 1,
            _ => continue,
        };
        let dict = &pdf[keyword.saturating_sub(4096)..keyword];
        let dict = match memchr::memmem::rfind(dict, b"obj") {
            Some(o) => &dict[o..],
            None => dict,
        };
        let end =
            memchr::memmem::find(&pdf[start..], b"endstream").map_or(pdf.len(), |e| start + e);
        found.push(PdfStream {
            name: object_name(&pdf[..keyword])
                .unwrap_or_else(|| format!("a stream at byte {start}")),
            filter: pdf_filter(dict),
            data: &pdf[start..end],
        });
        at = end;
    }
    found
}

/// `object N` for the `N 0 obj` that opens the object a stream keyword is in.
fn object_name(before: &[u8]) -> Option<String> {
    let near = &before[before.len().saturating_sub(4096)..];
    let o = memchr::memmem::rfind(near, b" obj")?;
    let head = near[..o].trim_ascii_end();
    let generation = head.rsplit(|b| b.is_ascii_whitespace()).next()?;
    let number = head[..head.len() - generation.len()].trim_ascii_end();
    let number = number.rsplit(|b| !b.is_ascii_digit()).next()?;
    (!number.is_empty() && generation.iter().all(u8::is_ascii_digit))
        .then(|| format!("object {}", String::from_utf8_lossy(number)))
}

fn pdf_filter(dict: &[u8]) -> PdfFilter {
    let Some(f) = memchr::memmem::find(dict, b"/Filter") else {
        return PdfFilter::None;
    };
    let rest = &dict[f + 7..];
    let names: Vec<&[u8]> = rest
        .split(|&b| b == b'/')
        .skip(1)
        .map(|n| {
            let end = n
                .iter()
                .position(|b| !b.is_ascii_alphanumeric())
                .unwrap_or(n.len());
            &n[..end]
        })
        .take_while(|n| n.ends_with(b"Decode") || matches!(*n, b"Fl" | b"DCT" | b"Crypt"))
        .collect();
    match names.as_slice() {
        [] => PdfFilter::None,
        [b"FlateDecode" | b"Fl"] => PdfFilter::Flate,
        names
            if names.iter().any(|n| {
                matches!(
                    *n,
                    b"DCTDecode" | b"DCT" | b"JPXDecode" | b"JBIG2Decode" | b"CCITTFaxDecode"
                )
            }) =>
        {
            PdfFilter::Picture
        }
        names => PdfFilter::Other(
            names
                .iter()
                .map(|n| format!("/{}", String::from_utf8_lossy(n)))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    }
}

/// True when the PDF is encrypted (its trailer names an `/Encrypt` dictionary), so its
/// streams are unreadable without the password.
pub(super) fn pdf_encrypted(pdf: &[u8]) -> bool {
    let tail = &pdf[pdf.len().saturating_sub(64 << 10)..];
    memchr::memmem::find(tail, b"/Encrypt").is_some()
}

/// True when text is drawn with fonts whose codes are glyph numbers (`/Identity-H`), which
/// read as nothing without the font's own map.
pub(super) fn glyph_numbered(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"/Identity-")
        .any(|at| matches!(bytes.get(at + 10), Some(b'H' | b'V')))
}

/// The text a PDF content stream draws: the strings of its text operators, the pieces of one
/// `TJ` joined, one line per line of text.
pub(super) fn pdf_text(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut lex = Lexer { s: content, at: 0 };
    // The strings and numbers since the last operator.
    let mut operands: Vec<Operand> = Vec::new();
    while let Some(token) = lex.next() {
        match token {
            Token::Operator(op) => {
                draw(&mut out, op, &operands);
                operands.clear();
            }
            Token::Operand(o) => {
                if operands.len() < 4096 {
                    operands.push(o);
                }
            }
        }
    }
    out
}

/// Ends the line of text being drawn, if one is.
fn line_end(out: &mut Vec<u8>) {
    if out.last().is_some_and(|&b| b != b'\n') {
        out.push(b'\n');
    }
}

/// Adds what operator `op` draws to `out`.
fn draw(out: &mut Vec<u8>, op: &[u8], operands: &[Operand]) {
    match op {
        b"Tj" | b"'" | b"\"" => {
            if op != b"Tj" {
                line_end(out);
            }
            if let Some(Operand::Text(t)) = operands.last() {
                out.extend_from_slice(t);
            }
        }
        b"TJ" => {
            for o in operands {
                match o {
                    Operand::Text(t) => out.extend_from_slice(t),
                    // A wide gap between pieces is a space between words.
                    Operand::Number(n) if *n < -180.0 => out.push(b' '),
                    _ => {}
                }
            }
        }
        b"T*" | b"ET" | b"Tm" => line_end(out),
        b"Td" | b"TD" => {
            if matches!(operands.last(), Some(Operand::Number(y)) if *y != 0.0) {
                line_end(out);
            }
        }
        _ => {}
    }
}

enum Operand {
    Text(Vec<u8>),
    Number(f64),
    Other,
}

enum Token<'a> {
    Operand(Operand),
    Operator(&'a [u8]),
}

/// Reads the tokens of a content stream; it never fails, taking what it cannot read as other
/// operands.
struct Lexer<'a> {
    s: &'a [u8],
    at: usize,
}

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let &b = self.s.get(self.at)?;
            match b {
                b'%' => self.skip_while(|b| b != b'\n' && b != b'\r'),
                b'(' => {
                    self.at += 1;
                    return Some(Token::Operand(Operand::Text(self.literal())));
                }
                b'<' if self.s.get(self.at + 1) == Some(&b'<') => {
                    self.at += 2;
                    return Some(Token::Operand(Operand::Other));
                }
                b'<' => {
                    self.at += 1;
                    return Some(Token::Operand(Operand::Text(self.hex())));
                }
                b'[' | b']' | b'>' | b'{' | b'}' | b')' => self.at += 1,
                b'/' => {
                    self.at += 1;
                    self.skip_while(regular);
                    return Some(Token::Operand(Operand::Other));
                }
                _ if b.is_ascii_whitespace() || b == 0 => self.at += 1,
                _ => {
                    let start = self.at;
                    self.skip_while(regular);
                    if self.at == start {
                        self.at += 1;
                        continue;
                    }
                    let word = &self.s[start..self.at];
                    let number = std::str::from_utf8(word).ok().and_then(|w| w.parse().ok());
                    return Some(match number {
                        Some(n) => Token::Operand(Operand::Number(n)),
                        None => Token::Operator(word),
                    });
                }
            }
        }
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.s.get(self.at).is_some_and(|&b| keep(b)) {
            self.at += 1;
        }
    }

    /// A literal string after its `(`, with its escapes read.
    fn literal(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        while let Some(&b) = self.s.get(self.at) {
            self.at += 1;
            match b {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                b'\\' => {
                    if let Some(c) = self.escape() {
                        out.push(c);
                    }
                    continue;
                }
                _ => {}
            }
            out.push(b);
        }
        out
    }

    /// The byte an escape after `\` stands for, if any.
    fn escape(&mut self) -> Option<u8> {
        let &b = self.s.get(self.at)?;
        self.at += 1;
        Some(match b {
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'b' => 8,
            b'f' => 12,
            b'\r' | b'\n' => {
                if b == b'\r' && self.s.get(self.at) == Some(&b'\n') {
                    self.at += 1;
                }
                return None;
            }
            b'0'..=b'7' => {
                let mut v = u32::from(b - b'0');
                for _ in 0..2 {
                    match self.s.get(self.at) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            self.at += 1;
                        }
                        _ => break,
                    }
                }
                (v & 0xff) as u8
            }
            other => other,
        })
    }

    /// A hex string after its `<`: its bytes, read as UTF-16 when they look like it.
    fn hex(&mut self) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&b) = self.s.get(self.at) {
            self.at += 1;
            let digit = match b {
                b'>' => break,
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => continue,
            };
            match high.take() {
                Some(h) => bytes.push(h << 4 | digit),
                None => high = Some(digit),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        let utf16 = bytes.len() >= 2
            && bytes.len() % 2 == 0
            && bytes.chunks(2).all(|p| p[0] == 0 && p[1] != 0);
        if utf16 {
            bytes.chunks(2).map(|p| p[1]).collect()
        } else {
            bytes
        }
    }
}

/// A byte that can be part of a name, number or operator.
fn regular(b: u8) -> bool {
    !(b.is_ascii_whitespace()
        || b == 0
        || matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        ))
}

/// The compressed text of a PNG: `(what, zlib data)` for each `zTXt` chunk and each
/// compressed `iTXt` chunk, in order; `Err` names where the chunks stop making sense.
pub(super) fn png_compressed_text(png: &[u8]) -> (Vec<(String, &[u8])>, Option<String>) {
    let mut found = Vec::new();
    let mut at = 8usize;
    while at < png.len() {
        let Some(head) = png.get(at..at + 8) else {
            return (found, Some(format!("a damaged chunk at byte {at}")));
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let Some(data) = png.get(at + 8..(at + 8).saturating_add(len)) else {
            return (found, Some(format!("a chunk cut short at byte {at}")));
        };
        if let Some(text) = compressed_text(&kind, data) {
            found.push(text);
        }
        if &kind == b"IEND" {
            break;
        }
        at = at + 12 + len;
    }
    (found, None)
}

/// The compressed text of one chunk, if it has some.
fn compressed_text<'a>(kind: &[u8; 4], data: &'a [u8]) -> Option<(String, &'a [u8])> {
    let nul = memchr::memchr(0, data)?;
    let keyword = String::from_utf8_lossy(&data[..nul.min(79)]).into_owned();
    let rest = &data[nul + 1..];
    match kind {
        b"zTXt" => Some((format!("zTXt chunk {keyword}"), rest.get(1..)?)),
        b"iTXt" if rest.first() == Some(&1) => {
            // Flag, method, language tag and translated keyword, then the text.
            let tags = rest.get(2..)?;
            let lang = memchr::memchr(0, tags)?;
            let translated = memchr::memchr(0, &tags[lang + 1..])?;
            Some((
                format!("iTXt chunk {keyword}"),
                &tags[lang + 1 + translated + 1..],
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_joins_runs_and_breaks_at_paragraphs() {
        let xml = br#"<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>ab</w:t></w:r><w:r><w:t xml:space="preserve">c&amp;d&#65;</w:t></w:r></w:p><w:p><w:r><w:t><![CDATA[e<f]]></w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(xml_text(xml).unwrap(), b"abc&dA\ne<f\n");
    }

    #[test]
    fn damaged_xml_gives_the_text_before_the_damage() {
        let (text, at) = xml_text(b"<a><p>one</p><p>two</p><b c=\"x></a>").unwrap_err();
        assert_eq!(text, b"one\ntwo\n");
        assert!(at > 10);
    }

    #[test]
    fn pdf_streams_are_found_with_object_and_filter() {
        let pdf = b"%PDF-1.7\n4 0 obj\n<< /Length 3 /Filter /FlateDecode >>\nstream\r\nabc\nendstream\nendobj\n5 0 obj << /Filter [/DCTDecode] >> stream\nxyz\nendstream\n6 0 obj << /Filter /LZWDecode >>stream\nq\nendstream 7 0 obj << /Length 1 >> stream\nz\nendstream";
        let s = pdf_streams(pdf);
        let got: Vec<_> = s
            .iter()
            .map(|s| (s.name.as_str(), s.filter.clone(), s.data))
            .collect();
        assert_eq!(
            got,
            vec![
                ("object 4", PdfFilter::Flate, &b"abc\n"[..]),
                ("object 5", PdfFilter::Picture, &b"xyz\n"[..]),
                (
                    "object 6",
                    PdfFilter::Other("/LZWDecode".into()),
                    &b"q\n"[..]
                ),
                ("object 7", PdfFilter::None, &b"z\n"[..]),
            ]
        );
    }

    #[test]
    fn pdf_text_joins_the_pieces_of_a_line() {
        let content = b"BT /F1 12 Tf 72 700 Td (Key: gh) Tj [(p_ab) -20 (cd\\051) -300 (x)] TJ 0 -14 Td <00650066> Tj (\\101\\
B) ' ET";
        assert_eq!(pdf_text(content), b"Key: ghp_abcd) x\nef\nAB\n");
    }

    #[test]
    fn png_compressed_chunks_are_found_and_damage_is_named() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (&b"zTXt"[..], &b"Comment\0\0ZZ"[..]),
            (b"iTXt", b"XML\0\x01\0en\0\0YY"),
            (b"iTXt", b"Plain\0\0\0\0\0text"),
            (b"IEND", b""),
        ] {
            png.extend_from_slice(&(data.len() as u32).to_be_bytes());
            png.extend_from_slice(kind);
            png.extend_from_slice(data);
            png.extend_from_slice(&[0; 4]);
        }
        let (found, damage) = png_compressed_text(&png);
        assert_eq!(
            found,
            vec![
                ("zTXt chunk Comment".to_string(), &b"ZZ"[..]),
                ("iTXt chunk XML".to_string(), &b"YY"[..])
            ]
        );
        assert_eq!(damage, None);
        let (_, damage) = png_compressed_text(&png[..20]);
        assert!(damage.is_some());
    }
}
