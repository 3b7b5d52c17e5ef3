//! Looks through evidence for secrets a partner should never send AWS: cloud and service
//! keys and tokens, private keys, passwords in configuration, connection strings and HTTP
//! credentials (the list and its patterns are in `kinds.rs`).
//!
//! Every file is scanned whatever its bytes: text, text inside binary files (a PNG text
//! chunk, a PDF's uncompressed stream), and UTF-16 text, decoded first. Containers are
//! recognised by their content, not their name, and looked into as they stream: gzip, tar,
//! and zip with the formats built on it (`.docx`, `.xlsx`, `.pptx`, `.odt`, `.jar`, …),
//! nested up to a depth. What is taken out of containers is bounded per evidence file and per
//! entry, so a zip bomb costs little; whatever could not be read (encrypted entries,
//! unsupported compression, damaged data, a bound reached) is reported as not scanned, with
//! the reason.

mod inside;
mod kinds;
mod lines;
mod utf16;

use std::cell::Cell;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::rc::Rc;

use flate2::read::{MultiGzDecoder, ZlibDecoder};
use zip::{CompressionMethod, ZipArchive};

use crate::util::human_size;
use lines::LineScanner;

/// One suspected secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Where inside the file: an entry of a container (`word/document.xml`), with `>` between
    /// nested ones (`logs.zip>app.log`); empty for the file itself. A gzip member adds its
    /// original name when that says more than the name of the file holding it.
    pub place: String,
    /// The line, counted in the decoded text of the place.
    pub line: u64,
    /// What it looks like, as a phrase ("a GitHub token").
    pub kind: &'static str,
}

/// Something in an evidence file that was not, or not fully, scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscanned {
    /// As in [`Hit::place`]; empty for the file itself.
    pub place: String,
    pub why: String,
}

/// What scanning one evidence file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileScan {
    pub hits: Vec<Hit>,
    pub unscanned: Vec<Unscanned>,
    /// Bytes read from the file itself.
    pub read: u64,
    /// Bytes taken out of containers (gzip streams, zip and tar entries), at every depth.
    pub unpacked: u64,
}

/// The bounds on looking into containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Containers opened inside one another, the evidence file's own counting as the first.
    pub depth: u32,
    /// Bytes taken out of containers per evidence file: this many, or `unpacked_per_byte`
    /// times the file's size if that is more.
    pub unpacked: u64,
    pub unpacked_per_byte: u64,
    /// An entry that gives more than this many bytes per compressed byte read is stopped
    /// (past its first `ratio_after` bytes)…
    pub ratio: u64,
    pub ratio_after: u64,
    /// …and after this many such entries, the rest of the file is left.
    pub bombs: usize,
    /// Container entries looked at per evidence file.
    pub entries: usize,
    /// Places listed as not scanned per evidence file; more are counted in one line.
    pub listed: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            depth: 3,
            unpacked: 256 << 20,
            unpacked_per_byte: 4,
            ratio: 100,
            ratio_after: 1 << 20,
            bombs: 3,
            entries: 10_000,
            listed: 20,
        }
    }
}

/// Scans one evidence file with the default [`Limits`]. An error means the file itself could
/// not be read; what could not be read inside it is in [`FileScan::unscanned`].
pub fn scan_file(path: &Path) -> io::Result<FileScan> {
    scan_file_with(path, &Limits::default())
}

/// Scans one evidence file within `limits`.
pub fn scan_file_with(path: &Path, limits: &Limits) -> io::Result<FileScan> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mut file = Counted::new(file);
    let read = Rc::clone(&file.count);
    let budget = limits
        .unpacked
        .max(size.saturating_mul(limits.unpacked_per_byte));
    let mut scan = Scan {
        limits: *limits,
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        // The buffers of the thread's last scan, so they are not allocated for every file.
        lines: LINES.take(),
        hits: Vec::new(),
        unscanned: Vec::new(),
        unlisted: 0,
        meter: Rc::new(Meter {
            unpacked: Cell::new(0),
            budget,
        }),
        entries: 0,
        bombs: 0,
    };
    let result = scan.input(Input::File(&mut file), "", 0);
    LINES.set(std::mem::take(&mut scan.lines));
    result?;
    if scan.unlisted > 0 {
        scan.unscanned.push(Unscanned {
            place: String::new(),
            why: format!(
                "{} more place{} inside could not be scanned either",
                scan.unlisted,
                if scan.unlisted == 1 { "" } else { "s" }
            ),
        });
    }
    Ok(FileScan {
        hits: scan.hits,
        unscanned: scan.unscanned,
        read: read.get(),
        unpacked: scan.meter.unpacked.get(),
    })
}

thread_local! {
    static LINES: Cell<LineScanner> = Cell::new(LineScanner::default());
}

/// Suspected secrets in text typed by the user, by line.
pub fn scan_text(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    // Reading from memory cannot fail.
    let _ = LineScanner::default().scan(&mut text.as_bytes(), "", &mut hits);
    hits
}

/// Bytes sniffed to tell what a stream holds.
const HEAD: usize = 4096;

/// What a stream holds, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Zip,
    Gzip,
    Xz,
    Bz2,
    Tar,
    /// Formats whose text is looked for inside as well as in their bytes.
    Pdf,
    Png,
    Xml,
    /// A format the scan does not open, by its name: only its bytes are scanned.
    Closed(&'static str),
    Utf16(utf16::Order, bool),
    Bytes,
}

impl Form {
    fn container(self) -> Option<&'static str> {
        match self {
            Form::Zip => Some("zip archive"),
            Form::Gzip => Some("gzip file"),
            Form::Xz => Some("xz file"),
            Form::Bz2 => Some("bzip2 file"),
            Form::Tar => Some("tar archive"),
            _ => None,
        }
    }
}

/// Formats recognised but not opened, by their first bytes.
const CLOSED: &[(&[u8], &str)] = &[
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an OLE compound file (an older Office document, or the macros of a workbook): its \
         compressed parts, such as macro code, are not read",
    ),
    (
        b"7z\xbc\xaf\x27\x1c",
        "a 7-Zip archive, which the scan does not open",
    ),
    (
        b"Rar!\x1a\x07",
        "a RAR archive, which the scan does not open",
    ),
    (
        b"\x28\xb5\x2f\xfd",
        "a Zstandard file, which the scan does not open",
    ),
    (
        b"\x04\x22\x4d\x18",
        "an LZ4 file, which the scan does not open",
    ),
    (b"LZIP", "an lzip file, which the scan does not open"),
];

fn sniff(head: &[u8]) -> Form {
    let xml = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Form::Zip
    } else if head.starts_with(&[0x1f, 0x8b, 0x08]) {
        Form::Gzip
    } else if head.starts_with(b"\xfd7zXZ\x00") {
        Form::Xz
    } else if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == *b"\x31\x41\x59\x26\x53\x59"
            || head[4..10] == *b"\x17\x72\x45\x38\x50\x90")
    {
        Form::Bz2
    } else if head.get(257..262) == Some(b"ustar") {
        Form::Tar
    } else if memchr::memmem::find(&head[..head.len().min(1024)], b"%PDF-").is_some() {
        Form::Pdf
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Form::Png
    } else if let Some((_, what)) = CLOSED.iter().find(|(magic, _)| head.starts_with(magic)) {
        Form::Closed(what)
    } else if xml.trim_ascii_start().starts_with(b"<?xml") {
        Form::Xml
    } else if let Some((order, mark)) = utf16::detect(head) {
        Form::Utf16(order, mark)
    } else {
        Form::Bytes
    }
}

/// A stream to scan.
enum Input<'a> {
    /// The evidence file, which can be read again from its start.
    File(&'a mut Counted<File>),
    /// Anything else, read once.
    Stream(&'a mut dyn Read),
}

impl Input<'_> {
    fn reader(&mut self) -> &mut dyn Read {
        match self {
            Input::File(f) => &mut **f,
            Input::Stream(r) => &mut **r,
        }
    }
}

/// Counts the bytes read through it.
struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    fn new(inner: R) -> Counted<R> {
        Counted {
            inner,
            count: Rc::new(Cell::new(0)),
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counted<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// The bytes taken out of containers for one evidence file, against its budget.
struct Meter {
    unpacked: Cell<u64>,
    budget: u64,
}

impl Meter {
    fn left(&self) -> u64 {
        self.budget.saturating_sub(self.unpacked.get())
    }
}

/// Why an entry was not read to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Ratio,
    Budget,
}

/// What comes out of one container entry, stopped (as if it ended) at the file's budget or
/// when it expands beyond the ratio.
struct Unpacked<R> {
    inner: R,
    meter: Rc<Meter>,
    /// Compressed bytes read so far by the container, and the count when the entry began.
    packed: Rc<Cell<u64>>,
    packed_at_start: u64,
    out: u64,
    ratio: u64,
    ratio_after: u64,
    stop: Option<Stop>,
}

impl<R: Read> Read for Unpacked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() || buf.is_empty() {
            return Ok(0);
        }
        let left = self.meter.left();
        if left == 0 {
            // At the budget: the entry may just have ended.
            let mut one = [0u8; 1];
            if self.inner.read(&mut one)? > 0 {
                self.stop = Some(Stop::Budget);
            }
            return Ok(0);
        }
        // Small steps, so a stop comes soon after the bound is passed.
        let want = buf
            .len()
            .min(STEP)
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.out += n as u64;
        self.meter
            .unpacked
            .set(self.meter.unpacked.get() + n as u64);
        let packed = self.packed.get().saturating_sub(self.packed_at_start);
        if self.out > self.ratio_after && self.out > self.ratio.saturating_mul(packed) {
            self.stop = Some(Stop::Ratio);
        }
        Ok(n)
    }
}

/// How a stream that failed part way is listed.
const DAMAGED: &str = "damaged, could not be read to the end";

/// The most of a PDF, PNG or XML document (or of a PDF's stream) kept in memory to look
/// inside; past it, the rest is still scanned as bytes.
const CAPTURE: usize = 16 << 20;

/// The most memory an xz stream may ask for (its dictionary), in KiB: enough for the
/// strongest preset.
const XZ_MEMORY_KIB: u32 = 100 << 10;

/// Passes a stream through, keeping its first `CAPTURE` bytes.
struct Capture<R> {
    inner: R,
    kept: Vec<u8>,
    /// False once more than `CAPTURE` bytes went through.
    whole: bool,
}

impl<R: Read> Read for Capture<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let room = CAPTURE.saturating_sub(self.kept.len());
        self.kept.extend_from_slice(&buf[..n.min(room)]);
        if n > room {
            self.whole = false;
        }
        Ok(n)
    }
}

/// The most taken out of a container entry at a time.
const STEP: usize = 64 * 1024;

/// `outer>inner`, or `inner` alone at the top.
fn join(outer: &str, inner: &str) -> String {
    if outer.is_empty() {
        inner.to_string()
    } else if inner.is_empty() {
        outer.to_string()
    } else {
        format!("{outer}>{inner}")
    }
}

/// The original name a gzip header carries, if any.
fn gzip_name(head: &[u8]) -> Option<String> {
    let flags = *head.get(3)?;
    let mut at = 10usize;
    if flags & 0x04 != 0 {
        let len = u16::from_le_bytes([*head.get(10)?, *head.get(11)?]);
        at += 2 + usize::from(len);
    }
    if flags & 0x08 == 0 {
        return None;
    }
    let rest = head.get(at..)?;
    let end = memchr::memchr(0, rest)?;
    // Latin-1, and only the last path component.
    let name: String = rest[..end].iter().map(|&b| char::from(b)).collect();
    let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    (!name.is_empty()).then(|| name.chars().take(200).collect())
}

/// True when a gzip member's original name `inner` only repeats the name of the file or
/// entry `outer` holding it (`app.log` in `app.log.gz`, `logs.tar` in `logs.tgz`), so it adds
/// nothing to the place.
fn names_itself(outer: &str, inner: &str) -> bool {
    let outer = outer.rsplit(['/', '\\']).next().unwrap_or(outer);
    let lower = outer.to_ascii_lowercase();
    [".gz", ".gzip", ".z"]
        .iter()
        .any(|ext| lower.ends_with(ext) && outer[..outer.len() - ext.len()] == *inner)
        || (lower.ends_with(".tgz") && format!("{}.tar", &outer[..outer.len() - 4]) == inner)
}

/// Reads until `buf` is full or the stream ends.
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The scan of one evidence file.
struct Scan {
    limits: Limits,
    /// The file's name, to tell whether a gzip header's name is worth showing.
    name: String,
    lines: LineScanner,
    hits: Vec<Hit>,
    unscanned: Vec<Unscanned>,
    /// Places not scanned beyond those listed.
    unlisted: usize,
    meter: Rc<Meter>,
    entries: usize,
    bombs: usize,
}

impl Scan {
    fn skip(&mut self, place: &str, why: String) {
        if self.unscanned.len() < self.limits.listed {
            self.unscanned.push(Unscanned {
                place: place.to_string(),
                why,
            });
        } else {
            self.unlisted += 1;
        }
    }

    fn full(&self) -> bool {
        self.hits.len() >= lines::MAX_HITS
    }

    /// Why no more container entries are opened in this file, if that is so.
    fn closed(&self) -> Option<String> {
        if self.meter.left() == 0 {
            Some(format!(
                "the limit of {} taken out of containers per evidence file was reached",
                human_size(self.meter.budget)
            ))
        } else if self.bombs >= self.limits.bombs {
            Some(format!(
                "{} entries before them expanded like a zip bomb",
                self.bombs
            ))
        } else if self.entries >= self.limits.entries {
            Some(format!(
                "over {} container entries in one evidence file",
                self.limits.entries
            ))
        } else {
            None
        }
    }

    fn unpacked<R: Read>(&self, inner: R, packed: &Rc<Cell<u64>>) -> Unpacked<R> {
        Unpacked {
            inner,
            meter: Rc::clone(&self.meter),
            packed: Rc::clone(packed),
            packed_at_start: packed.get(),
            out: 0,
            ratio: self.limits.ratio,
            ratio_after: self.limits.ratio_after,
            stop: None,
        }
    }

    /// Records how reading an entry at `place` ended.
    fn ended<R>(&mut self, entry: &Unpacked<R>, place: &str, result: io::Result<()>) {
        if let Err(e) = result {
            self.skip(place, format!("{DAMAGED} ({e})"));
        }
        match entry.stop {
            None => {}
            Some(Stop::Ratio) => {
                self.bombs += 1;
                self.skip(
                    place,
                    format!(
                        "not fully scanned: it expands more than {} times its compressed \
                         size, like a zip bomb (stopped after {})",
                        self.limits.ratio,
                        human_size(entry.out)
                    ),
                );
            }
            Some(Stop::Budget) => self.skip(
                place,
                format!(
                    "not fully scanned: the limit of {} taken out of containers per evidence \
                     file was reached",
                    human_size(self.meter.budget)
                ),
            ),
        }
    }

    /// Scans a stream at `place`, looking into it if it is a container. Errors are those of
    /// reading the stream itself; what goes wrong inside a container is recorded instead.
    fn input(&mut self, mut input: Input, place: &str, depth: u32) -> io::Result<()> {
        let mut head = [0u8; HEAD];
        let n = read_full(input.reader(), &mut head)?;
        let head = &head[..n];
        let form = sniff(head);
        if let Some(what) = form.container()
            && depth >= self.limits.depth
        {
            self.skip(
                place,
                format!(
                    "a {what} nested more than {} containers deep, not opened",
                    self.limits.depth
                ),
            );
            return Ok(());
        }
        match form {
            Form::Zip => match input {
                Input::File(f) => {
                    f.seek(SeekFrom::Start(0))?;
                    self.zip(f, place, depth)
                }
                Input::Stream(r) => {
                    // A zip is read from its end, so the entry is copied to an unnamed
                    // temporary file (within the budget: `r` is bounded).
                    let mut spool = tempfile::tempfile()?;
                    spool.write_all(head)?;
                    io::copy(r, &mut spool)?;
                    spool.seek(SeekFrom::Start(0))?;
                    self.zip(&mut Counted::new(spool), place, depth)
                }
            },
            Form::Gzip | Form::Xz | Form::Bz2 => {
                self.compressed(form, head, input.reader(), place, depth);
                Ok(())
            }
            Form::Pdf | Form::Png | Form::Xml => {
                self.looked_into(form, head.chain(input.reader()), place, depth)
            }
            Form::Closed(what) => {
                self.skip(place, format!("{what}; only its raw bytes were scanned"));
                self.lines
                    .scan(&mut head.chain(input.reader()), place, &mut self.hits)
            }
            Form::Tar => {
                let mut all = head.chain(input.reader());
                self.tar(&mut all, place, depth);
                Ok(())
            }
            Form::Utf16(order, mark) => {
                let mut text = utf16::Decoder::new(head.chain(input.reader()), order, mark);
                self.lines.scan(&mut text, place, &mut self.hits)
            }
            Form::Bytes => {
                let mut bytes = head.chain(input.reader());
                self.lines.scan(&mut bytes, place, &mut self.hits)
            }
        }
    }

    /// Scans what a compressed stream (gzip, xz, bzip2) holds, at `place` or, for gzip, at
    /// the name its header gives when that says more.
    fn compressed(
        &mut self,
        form: Form,
        head: &[u8],
        rest: &mut dyn Read,
        place: &str,
        depth: u32,
    ) {
        let inner = match form {
            Form::Gzip => self.gzip_place(head, place),
            _ => place.to_string(),
        };
        let mut src = Counted::new(head.chain(rest));
        let packed = Rc::clone(&src.count);
        let decoder: Box<dyn Read + '_> = match form {
            Form::Gzip => Box::new(MultiGzDecoder::new(&mut src)),
            Form::Xz => Box::new(lzma_rust2::XzReader::new_mem_limit(
                &mut src,
                true,
                XZ_MEMORY_KIB,
            )),
            _ => Box::new(bzip2::read::MultiBzDecoder::new(&mut src)),
        };
        let mut out = self.unpacked(decoder, &packed);
        let result = self.input(Input::Stream(&mut out), &inner, depth + 1);
        self.ended(&out, &inner, result);
    }

    /// Where a gzip member's text is placed: at the original name its header gives, unless
    /// that only repeats the name of what holds it.
    fn gzip_place(&self, head: &[u8], place: &str) -> String {
        let outer = if place.is_empty() {
            self.name.as_str()
        } else {
            place.rsplit('>').next().unwrap_or(place)
        };
        match gzip_name(head) {
            Some(n) if !names_itself(outer, &n) => join(place, &n),
            _ => place.to_string(),
        }
    }

    /// Scans a PDF, a PNG or an XML document as bytes, then looks inside for the text its
    /// bytes do not show as it reads (within its first `CAPTURE` bytes).
    fn looked_into(&mut self, form: Form, r: impl Read, place: &str, depth: u32) -> io::Result<()> {
        let mut kept = Capture {
            inner: r,
            kept: Vec::new(),
            whole: true,
        };
        self.lines.scan(&mut kept, place, &mut self.hits)?;
        if !kept.whole {
            self.skip(
                place,
                format!(
                    "larger than {}: only its first {} were looked into for compressed or \
                     split text, the rest was scanned as raw bytes",
                    human_size(CAPTURE as u64),
                    human_size(CAPTURE as u64)
                ),
            );
        }
        let data = kept.kept;
        match form {
            Form::Xml => self.xml(&data, place),
            _ if depth >= self.limits.depth => self.skip(
                place,
                format!(
                    "nested more than {} containers deep: its compressed parts were not \
                     opened, only its raw bytes were scanned",
                    self.limits.depth
                ),
            ),
            Form::Pdf => self.pdf(&data, place, depth),
            _ => self.png(&data, place, depth),
        }
        Ok(())
    }

    /// Scans the text of an XML document, its runs joined, for what its tags split.
    fn xml(&mut self, xml: &[u8], place: &str) {
        let text = match inside::xml_text(xml) {
            Ok(text) => text,
            Err((text, at)) => {
                self.skip(
                    place,
                    format!(
                        "XML that cannot be read past byte {at}: the text after it was \
                         scanned only as raw bytes"
                    ),
                );
                text
            }
        };
        self.text_view(&text, place, place);
    }

    /// Scans text taken out of the bytes at `place` (joined runs, a PDF's text operators),
    /// adding the kinds its bytes did not already show at `raw`.
    fn text_view(&mut self, text: &[u8], place: &str, raw: &str) {
        let here = if place.is_empty() {
            "its text".to_string()
        } else {
            format!("{place}, its text")
        };
        let mut found = Vec::new();
        // Reading from memory cannot fail.
        let _ = self.lines.scan(&mut &text[..], &here, &mut found);
        for hit in found {
            let known = self
                .hits
                .iter()
                .any(|h| h.place == raw && h.kind == hit.kind);
            if !known && !self.full() {
                self.hits.push(hit);
            }
        }
    }

    /// Scans a PDF's streams: deflated ones inflated, and the text every content stream
    /// draws; streams it cannot read are listed.
    fn pdf(&mut self, pdf: &[u8], place: &str, depth: u32) {
        if inside::pdf_encrypted(pdf) {
            self.skip(
                place,
                "an encrypted PDF: its compressed streams cannot be read".into(),
            );
            return;
        }
        let mut numbered = inside::glyph_numbered(pdf);
        for stream in inside::pdf_streams(pdf) {
            if self.full() {
                break;
            }
            if let Some(why) = self.closed() {
                self.skip(
                    place,
                    format!("the rest of the PDF's streams not scanned: {why}"),
                );
                break;
            }
            let here = join(place, &stream.name);
            match stream.filter {
                inside::PdfFilter::None => {
                    self.text_view(&inside::pdf_text(stream.data), &here, place);
                }
                inside::PdfFilter::Picture => {}
                inside::PdfFilter::Other(filter) => self.skip(
                    &here,
                    format!("a stream encoded with {filter}, which the scan does not read"),
                ),
                inside::PdfFilter::Flate => {
                    let data = self.inflate(stream.data, &here, depth);
                    numbered |= inside::glyph_numbered(&data);
                    self.text_view(&inside::pdf_text(&data), &here, &here);
                }
            }
        }
        if numbered {
            self.skip(
                place,
                "some of its text may be drawn with fonts that number their glyphs \
                 (Identity-H), which cannot be read back as text: check its pages by eye"
                    .into(),
            );
        }
    }

    /// Scans what a zlib stream at `place` holds, within the file's bounds, and returns its
    /// first `CAPTURE` bytes to look into further.
    fn inflate(&mut self, data: &[u8], place: &str, depth: u32) -> Vec<u8> {
        self.entries += 1;
        let mut src = Counted::new(data);
        let packed = Rc::clone(&src.count);
        let mut out = self.unpacked(ZlibDecoder::new(&mut src), &packed);
        let mut kept = Capture {
            inner: &mut out,
            kept: Vec::new(),
            whole: true,
        };
        let result = self.input(Input::Stream(&mut kept), place, depth + 1);
        let (data, whole) = (kept.kept, kept.whole);
        self.ended(&out, place, result);
        if !whole {
            self.skip(
                place,
                format!(
                    "only its first {} were looked into for the text it draws; all of it was \
                     scanned as bytes",
                    human_size(CAPTURE as u64)
                ),
            );
        }
        data
    }

    /// Scans the compressed text chunks of a PNG (its plain ones are in its bytes).
    fn png(&mut self, png: &[u8], place: &str, depth: u32) {
        let (texts, damage) = inside::png_compressed_text(png);
        if let Some(damage) = damage {
            self.skip(
                place,
                format!("a PNG with {damage}: its text chunks after it were not looked into"),
            );
        }
        for (name, data) in texts {
            if self.full() {
                break;
            }
            if let Some(why) = self.closed() {
                self.skip(
                    place,
                    format!("the rest of the PNG's text not scanned: {why}"),
                );
                break;
            }
            let here = join(place, &name);
            self.entries += 1;
            let mut src = Counted::new(data);
            let packed = Rc::clone(&src.count);
            let mut out = self.unpacked(ZlibDecoder::new(&mut src), &packed);
            let result = self.input(Input::Stream(&mut out), &here, depth + 1);
            self.ended(&out, &here, result);
        }
    }

    /// Scans every file of the tar archive in `r`, at `place`. What goes wrong is recorded.
    fn tar(&mut self, r: &mut dyn Read, place: &str, depth: u32) {
        let mut src = Counted::new(r);
        let packed = Rc::clone(&src.count);
        let mut archive = tar::Archive::new(&mut src);
        let entries = match archive.entries() {
            Ok(e) => e,
            Err(e) => {
                self.skip(place, format!("a tar archive that cannot be read ({e})"));
                return;
            }
        };
        // A file found damaged may have been cut short, which ends the archive too: that is
        // listed once, with the file.
        let mut cut_short = false;
        for (i, entry) in entries.enumerate() {
            if self.full() {
                break;
            }
            if let Some(why) = self.closed() {
                self.skip(
                    place,
                    format!("the rest of the tar archive not scanned: {why}"),
                );
                break;
            }
            let entry = match entry {
                Ok(e) => e,
                Err(_) if cut_short => break,
                Err(e) => {
                    self.skip(
                        place,
                        format!(
                            "a tar archive damaged after {i} entries, the rest not scanned ({e})"
                        ),
                    );
                    break;
                }
            };
            if !entry.header().entry_type().is_file() {
                continue;
            }
            self.entries += 1;
            let here = join(place, &String::from_utf8_lossy(&entry.path_bytes()));
            let listed = self.unscanned.len();
            let mut out = self.unpacked(entry, &packed);
            let result = self.input(Input::Stream(&mut out), &here, depth + 1);
            self.ended(&out, &here, result);
            cut_short = self.unscanned[listed..]
                .iter()
                .any(|u| u.why.starts_with(DAMAGED));
        }
    }

    /// Scans every entry of the zip archive in `reader`, at `place`.
    fn zip<R: Read + Seek>(
        &mut self,
        reader: &mut Counted<R>,
        place: &str,
        depth: u32,
    ) -> io::Result<()> {
        let packed = Rc::clone(&reader.count);
        let mut archive = match ZipArchive::new(&mut *reader) {
            Ok(a) => a,
            Err(e) => {
                // Still read its bytes as they are: stored text shows through.
                self.skip(
                    place,
                    format!(
                        "a zip archive that cannot be opened ({e}); only its raw bytes were scanned"
                    ),
                );
                reader.seek(SeekFrom::Start(0))?;
                return self.lines.scan(reader, place, &mut self.hits);
            }
        };
        let count = archive.len();
        for i in 0..count {
            if self.full() {
                break;
            }
            if let Some(why) = self.closed() {
                let left = count - i;
                self.skip(
                    place,
                    format!(
                        "{left} more entr{} not scanned: {why}",
                        if left == 1 { "y" } else { "ies" }
                    ),
                );
                break;
            }
            self.entries += 1;
            let (name, encrypted, method, is_dir) = match archive.by_index_data(i) {
                Ok(e) => (
                    String::from_utf8_lossy(e.name_raw()).into_owned(),
                    e.encrypted(),
                    e.compression(),
                    e.is_dir(),
                ),
                Err(e) => {
                    self.skip(place, format!("entry {} cannot be read ({e})", i + 1));
                    continue;
                }
            };
            let here = join(place, &name);
            if is_dir {
                continue;
            }
            if encrypted {
                self.skip(&here, "encrypted, so it cannot be read".into());
                continue;
            }
            if !matches!(
                method,
                CompressionMethod::Stored | CompressionMethod::Deflated | CompressionMethod::Bzip2
            ) {
                self.skip(
                    &here,
                    format!("compressed with a method the scan does not read ({method})"),
                );
                continue;
            }
            let entry = match archive.by_index(i) {
                Ok(e) => e,
                Err(e) => {
                    self.skip(&here, format!("cannot be read ({e})"));
                    continue;
                }
            };
            let mut out = self.unpacked(entry, &packed);
            let result = self.input(Input::Stream(&mut out), &here, depth + 1);
            self.ended(&out, &here, result);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::lines::BLOCK;
    use super::*;

    fn kinds(text: &str) -> Vec<(u64, &'static str)> {
        scan_text(text)
            .into_iter()
            .map(|h| (h.line, h.kind))
            .collect()
    }

    /// Letters and digits that look random, the same for the same seed. Tokens are made at
    /// run time so that no token-shaped string sits in the source.
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
        alnum(n * 4, seed)
            .bytes()
            .filter(u8::is_ascii_digit)
            .chain(std::iter::repeat(b'7'))
            .take(n)
            .map(char::from)
            .collect()
    }

    fn b64(s: &str) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    /// One line per new kind, with the kind it must be reported as.
    fn new_kind_lines() -> Vec<(String, &'static str)> {
        vec![
            (
                format!("CI uses {}{} for the release job", "ghp_", alnum(36, 1)),
                "a GitHub token",
            ),
            (
                format!("token {}{}_{}", "github_pat_", alnum(22, 2), alnum(59, 3)),
                "a GitHub token",
            ),
            (
                format!(
                    "SLACK_BOT={}{}-{}-{}",
                    "xoxb-",
                    digits(12, 4),
                    digits(13, 5),
                    alnum(24, 6)
                ),
                "a Slack token",
            ),
            (
                format!(
                    "app token {}1-A{}-{}-{}",
                    "xapp-",
                    alnum(10, 7).to_uppercase(),
                    digits(13, 8),
                    alnum(40, 9).to_lowercase()
                ),
                "a Slack token",
            ),
            (
                format!("stripe.api_key = '{}{}'", "sk_live_", alnum(24, 10)),
                "a Stripe live secret key",
            ),
            (
                format!("restricted: {}{}", "rk_live_", alnum(24, 11)),
                "a Stripe live secret key",
            ),
            (
                format!(
                    "//registry.npmjs.org/:_authToken={}{}",
                    "npm_",
                    alnum(36, 12)
                ),
                "an npm token",
            ),
            (
                format!(
                    r#"{{"auths": {{"registry.example.com": {{"auth": "{}"}}}}}}"#,
                    b64("ci-bot:Rg7-push-2024")
                ),
                "a Docker registry credential",
            ),
            (
                format!("Authorization: Basic {}", b64("ops:Xk9-basic-pw")),
                "HTTP Basic credentials",
            ),
            ("  password: Xk9-yaml-pw".into(), "a password in YAML"),
            (
                r#"{"db_password": "Xk9-json-pw!"}"#.into(),
                "a password in JSON",
            ),
            (
                "url=jdbc:mysql://db.internal:3306/app?user=app&password=Xk9jdbc2024".into(),
                "a password in a JDBC URL",
            ),
            (
                "jdbc:sqlserver://db:1433;databaseName=app;user=app;password=Xk9jdbc2024;".into(),
                "a password in a JDBC URL",
            ),
            (
                "Server=db;Database=app;User Id=app;Password=Xk9ado2024;".into(),
                "a password in a connection string",
            ),
            (
                "REDIS=redis://:Xk9redis2024@cache.internal:6379/0".into(),
                "a password in a connection string",
            ),
            (
                "cache: rediss://:Xk9redis2024@cache.internal:6380".into(),
                "a password in a connection string",
            ),
            (
                "PuTTY-User-Key-File-3: ssh-ed25519".into(),
                "a PuTTY private key",
            ),
        ]
    }

    #[test]
    fn finds_each_kind_with_its_line() {
        let text = "ok line\nkey AKIAIOSFODNN7EXAMPLE here\n\
                    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\
                    -----BEGIN RSA PRIVATE KEY-----\nMIIE\n\
                    Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc\n\
                    DB_PASSWORD=hunter22secret\n\
                    postgres://app:s3cretpass@db.internal:5432/app\n";
        let found = kinds(text);
        let lines: Vec<u64> = found.iter().map(|h| h.0).collect();
        assert_eq!(lines, vec![2, 3, 4, 6, 7, 8], "{found:?}");
    }

    #[test]
    fn each_new_kind_is_found_as_itself() {
        for (line, kind) in new_kind_lines() {
            let text = format!("first line\n{line}\nlast line\n");
            assert_eq!(kinds(&text), vec![(2, kind)], "{line}");
        }
    }

    #[test]
    fn placeholders_and_dummies_are_not_flagged() {
        let text = [
            "password: ${DB_PASSWORD}".to_string(),
            "password: \"{{ db_password }}\"".into(),
            "password: changeme".into(),
            "password: '****'".into(),
            "password: \"\"".into(),
            "password: null".into(),
            "password:".into(),
            "password: !Ref DbPassword".into(),
            "Password: required".into(),
            "Password: stored in AWS Secrets Manager".into(),
            r#"{"password": "<your-password>", "token": null}"#.into(),
            r#"{"password": "HIDDEN_DUE_TO_SECURITY_REASONS"}"#.into(),
            "jdbc:postgresql://db/app?user=app&password=${DB_PASSWORD}".into(),
            "redis://:${REDIS_PASSWORD}@cache:6379".into(),
            "postgres://user:password@localhost/app".into(),
            format!("Authorization: Basic {}", b64("user:changeme")),
            format!("Authorization: Basic {}", b64("no-colon-here")),
            r#""auth": """#.into(),
            format!("{}{}", "ghp_", "x".repeat(36)),
            format!("{}{}", "sk_test_", alnum(24, 20)),
            format!("{}{}", "pk_live_", alnum(24, 21)),
            "npm_config_cache=/tmp/npm".into(),
            "xoxb-your-token-here".into(),
            "API_KEY=<your-api-key>".into(),
            "DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db)".into(),
            "Authorization: Bearer <token>".into(),
            "Authorization: Bearer YOUR_ACCESS_TOKEN_HERE".into(),
            "Server=db;User Id=app;Password=%DB_PASSWORD%;".into(),
        ]
        .join("\n");
        assert_eq!(kinds(&text), vec![]);
    }

    #[test]
    fn ordinary_text_is_clean() {
        let text = "The password policy requires 14 characters.\n\
                    TOKEN_TTL_SECONDS=3600000\nDB_PASSWORD=${DB_PASSWORD}\nAPI_KEY=<your-api-key>\n\
                    We rotate access keys every 90 days; see runbook.\n\
                    PASSWORD_MIN_LENGTH=14\n\
                    {\"token_count\": 12, \"user\": \"AKIA-not-a-key\"}\n";
        // PASSWORD_MIN_LENGTH=14 is too short a value to be a credential.
        assert_eq!(kinds(text), vec![]);
    }

    #[test]
    fn a_token_in_a_credential_line_is_reported_as_its_own_kind() {
        let text = format!("GITHUB_TOKEN={}{}\n", "ghp_", alnum(36, 30));
        assert_eq!(kinds(&text), vec![(1, "a GitHub token")]);
    }

    #[test]
    fn a_secret_across_a_block_boundary_is_found_once() {
        let mut text = "x".repeat(BLOCK - 10);
        text.push_str("\nAKIAIOSFODNN7EXAMPLE\n");
        text.push_str(&"y\n".repeat(10));
        text.push_str("AKIAIOSFODNN7EXAMPLF\n");
        let found = kinds(&text);
        let id = "an AWS access key ID";
        assert_eq!(found, vec![(2, id), (13, id)]);
    }

    #[test]
    fn a_line_longer_than_a_block_is_still_scanned() {
        let mut text = "{\"k\":\"".to_string() + &"x".repeat(BLOCK + 100);
        text.push_str(" AKIAIOSFODNN7EXAMPLE ");
        text.push_str(&"y".repeat(BLOCK));
        text.push_str("\"}\nnext line\n");
        assert_eq!(kinds(&text), vec![(1, "an AWS access key ID")]);
    }

    #[test]
    fn a_secret_where_a_long_line_is_cut_is_found() {
        // The first block of a line with no end is cut a window before its end; put a
        // secret across every byte near that cut.
        for shift in [0usize, 10, 19, 20, 21, 40] {
            let mut text = "z ".repeat((BLOCK - lines::WINDOW - shift) / 2);
            text.push_str(" AKIAIOSFODNN7EXAMPLE ");
            text.push_str(&"q ".repeat(BLOCK));
            assert_eq!(
                kinds(&text),
                vec![(1, "an AWS access key ID")],
                "shift {shift}"
            );
        }
    }

    #[test]
    fn quoted_json_and_late_secrets_are_found() {
        let long_prefix = format!(
            "{{\"u\":\"https://a.example\",\"pad\":\"{}\"",
            "x".repeat(6000)
        );
        let text = format!(
            "DB_PASSWORD=\"hunter22secret\"\nexport API_TOKEN='abcdefghij'\n\
             PRIVATE_KEY=abcdef123456\n{{\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}}\n\
             {long_prefix},\"k\":\"AKIAIOSFODNN7EXAMPLE\"}}\n"
        );
        let lines: Vec<u64> = scan_text(&text).iter().map(|h| h.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4, 5]);
    }

    fn file_with(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        file_named("evidence.bin", bytes)
    }

    fn file_named(name: &str, bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }

    fn scan_bytes(bytes: &[u8]) -> FileScan {
        let (_dir, path) = file_with(bytes);
        scan_file(&path).unwrap()
    }

    fn found(scan: &FileScan) -> Vec<(&str, u64, &'static str)> {
        scan.hits
            .iter()
            .map(|h| (h.place.as_str(), h.line, h.kind))
            .collect()
    }

    #[test]
    fn a_nul_byte_early_in_a_file_does_not_turn_the_scan_off() {
        let mut bytes = b"HDR\0\x01\x02\0\0 binary header\n".to_vec();
        bytes.extend_from_slice(b"note\nDB_PASSWORD=hunter22secret\n");
        let scan = scan_bytes(&bytes);
        assert_eq!(found(&scan), vec![("", 3, "a credential in .env style")]);
        assert!(scan.unscanned.is_empty(), "{:?}", scan.unscanned);
    }

    #[test]
    fn text_between_binary_bytes_is_scanned_as_its_own_stretch() {
        // A `.env` line only counts at the start of a line; after a NUL, as in a PNG text
        // chunk, the text starts a stretch of its own.
        let mut bytes = vec![0x89, b'P', b'N', b'G', 0, 0, 0, 0x20];
        bytes.extend_from_slice(b"tEXtComment\0DB_PASSWORD=hunter22secret\0\xff\xfe");
        let scan = scan_bytes(&bytes);
        assert_eq!(found(&scan), vec![("", 1, "a credential in .env style")]);
    }

    #[test]
    fn utf16_text_is_decoded_and_lines_counted_in_the_text() {
        let text = "first\r\nsecond\r\nDB_PASSWORD=hunter22secret\r\n";
        for big in [false, true] {
            for mark in [false, true] {
                let mut bytes = Vec::new();
                for u in mark
                    .then_some(0xFEFF)
                    .into_iter()
                    .chain(text.encode_utf16())
                {
                    let pair = if big {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    };
                    bytes.extend_from_slice(&pair);
                }
                let scan = scan_bytes(&bytes);
                assert_eq!(
                    found(&scan),
                    vec![("", 3, "a credential in .env style")],
                    "big-endian {big}, mark {mark}"
                );
            }
        }
    }

    fn gzip(name: Option<&str>, data: &[u8]) -> Vec<u8> {
        let mut b = flate2::GzBuilder::new();
        if let Some(n) = name {
            b = b.filename(n);
        }
        let mut w = b.write(Vec::new(), flate2::Compression::fast());
        w.write_all(data).unwrap();
        w.finish().unwrap()
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        for (name, data) in entries {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated);
            w.start_file(*name, options).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Sets a field of every local and central header of a zip (`local` and `central` are
    /// the field's offsets in each).
    fn patch_zip(mut zip: Vec<u8>, local: usize, central: usize, value: u16) -> Vec<u8> {
        for (magic, at) in [(b"PK\x03\x04", local), (b"PK\x01\x02", central)] {
            let starts: Vec<usize> = memchr::memmem::find_iter(&zip, magic).collect();
            for s in starts {
                zip[s + at..s + at + 2].copy_from_slice(&value.to_le_bytes());
            }
        }
        zip
    }

    #[test]
    fn gzip_and_zip_are_recognised_by_content_and_entries_named() {
        let secret = b"line one\nDB_PASSWORD=hunter22secret\n";
        let scan = scan_bytes(&gzip(Some("app.log"), secret));
        assert_eq!(
            found(&scan),
            vec![("app.log", 2, "a credential in .env style")]
        );
        let scan = scan_bytes(&gzip(None, secret));
        assert_eq!(found(&scan), vec![("", 2, "a credential in .env style")]);
        assert!(scan.unpacked >= secret.len() as u64);

        let inner = zip_of(&[("deep/notes.txt", secret)]);
        let outer = zip_of(&[
            ("readme.txt", b"nothing here\n"),
            ("logs/app.log.gz", &gzip(Some("app.log"), secret)),
            ("inner.zip", &inner),
        ]);
        let scan = scan_bytes(&outer);
        assert_eq!(
            found(&scan),
            vec![
                ("logs/app.log.gz", 2, "a credential in .env style"),
                ("inner.zip>deep/notes.txt", 2, "a credential in .env style"),
            ]
        );
        assert!(scan.unscanned.is_empty(), "{:?}", scan.unscanned);
        // The whole file was read (the central directory more than once).
        assert!(scan.read >= outer.len() as u64, "{} bytes read", scan.read);
    }

    #[test]
    fn encrypted_entries_and_unknown_methods_are_listed_not_skipped() {
        let z = zip_of(&[("a.txt", b"DB_PASSWORD=hunter22secret\n")]);
        // General purpose flag bit 0: encrypted.
        let scan = scan_bytes(&patch_zip(z.clone(), 6, 8, 1));
        assert!(scan.hits.is_empty());
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert_eq!(scan.unscanned[0].place, "a.txt");
        assert!(scan.unscanned[0].why.contains("encrypted"));
        // Method 93: Zstandard, which is not read.
        let scan = scan_bytes(&patch_zip(z, 8, 10, 93));
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert!(
            scan.unscanned[0].why.contains("method"),
            "{:?}",
            scan.unscanned
        );
    }

    #[test]
    fn damaged_containers_are_listed_and_what_was_read_is_kept() {
        let mut text = "DB_PASSWORD=hunter22secret\n".to_string();
        text.push_str(&alnum(200_000, 40));
        let gz = gzip(Some("big.txt"), text.as_bytes());
        let scan = scan_bytes(&gz[..gz.len() / 2]);
        assert_eq!(
            found(&scan),
            vec![("big.txt", 1, "a credential in .env style")]
        );
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert!(scan.unscanned[0].why.contains("damaged"));

        // A zip cut short cannot be opened; its raw bytes are still read.
        let z = zip_of(&[("a.txt", b"x")]);
        let mut cut = z[..z.len() - 30].to_vec();
        cut.extend_from_slice(b"\nAKIAIOSFODNN7EXAMPLE\n");
        let scan = scan_bytes(&cut);
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert!(scan.unscanned[0].why.contains("cannot be opened"));
        assert_eq!(scan.hits.len(), 1);
    }

    #[test]
    fn containers_nested_past_the_depth_are_listed() {
        let secret: &[u8] = b"DB_PASSWORD=hunter22secret\n";
        let z1 = zip_of(&[("s.txt", secret)]);
        let z2 = zip_of(&[("z1.zip", &z1)]);
        let z3 = zip_of(&[("z2.zip", &z2)]);
        // Three deep is read.
        let scan = scan_bytes(&z3);
        assert_eq!(
            found(&scan),
            vec![("z2.zip>z1.zip>s.txt", 1, "a credential in .env style")]
        );
        // Four deep is not, and says so.
        let scan = scan_bytes(&zip_of(&[("z3.zip", &z3)]));
        assert!(scan.hits.is_empty());
        assert_eq!(scan.unscanned.len(), 1);
        assert_eq!(scan.unscanned[0].place, "z3.zip>z2.zip>z1.zip");
        assert!(scan.unscanned[0].why.contains("nested more than 3"));
    }

    #[test]
    fn an_entry_that_expands_too_far_is_stopped_early() {
        let zeros = vec![0u8; 4 << 20];
        let z = zip_of(&[
            ("zeros.bin", &zeros),
            ("after.txt", b"AKIAIOSFODNN7EXAMPLE\n"),
        ]);
        let (_dir, path) = file_with(&z);
        let limits = Limits {
            ratio_after: 64 << 10,
            ..Limits::default()
        };
        let scan = scan_file_with(&path, &limits).unwrap();
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert_eq!(scan.unscanned[0].place, "zeros.bin");
        assert!(scan.unscanned[0].why.contains("zip bomb"));
        assert!(scan.unpacked < 1 << 20, "{} bytes unpacked", scan.unpacked);
        // The next entry is still read.
        assert_eq!(found(&scan), vec![("after.txt", 1, "an AWS access key ID")]);
    }

    #[test]
    fn the_budget_and_the_entry_count_stop_a_file_and_are_listed() {
        let entries: Vec<(String, Vec<u8>)> = (0..5)
            .map(|i| (format!("f{i}.txt"), vec![b'a'; 10_000]))
            .collect();
        let refs: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let (_dir, path) = file_with(&zip_of(&refs));
        let limits = Limits {
            entries: 2,
            ..Limits::default()
        };
        let scan = scan_file_with(&path, &limits).unwrap();
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert!(
            scan.unscanned[0]
                .why
                .starts_with("3 more entries not scanned")
        );
        let limits = Limits {
            unpacked: 15_000,
            unpacked_per_byte: 0,
            ..Limits::default()
        };
        let scan = scan_file_with(&path, &limits).unwrap();
        assert_eq!(scan.unpacked, 15_000);
        let whys: Vec<&str> = scan.unscanned.iter().map(|u| u.why.as_str()).collect();
        assert_eq!(whys.len(), 2, "{whys:?}");
        assert!(whys[0].contains("limit"), "{whys:?}");
        assert!(whys[1].starts_with("3 more entries"), "{whys:?}");
    }

    fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_cksum();
            b.append_data(&mut h, name, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn tar_files_are_read_by_name_plain_or_gzipped() {
        let secret: &[u8] = b"line one\nDB_PASSWORD=hunter22secret\n";
        let tar = tar_of(&[
            ("logs/app.log", secret),
            ("logs/old.log.gz", &gzip(Some("old.log"), secret)),
        ]);
        let expected = vec![
            ("logs/app.log", 2, "a credential in .env style"),
            ("logs/old.log.gz", 2, "a credential in .env style"),
        ];
        let scan = scan_bytes(&tar);
        assert_eq!(found(&scan), expected);
        assert!(scan.unscanned.is_empty(), "{:?}", scan.unscanned);
        // A gzip header naming the tar inside adds nothing to the place.
        let (_dir, path) = file_named("logs.tar.gz", &gzip(Some("logs.tar"), &tar));
        let scan = scan_file(&path).unwrap();
        assert_eq!(found(&scan), expected);
        // Cut inside the second file: the first is still read, the rest is listed.
        let scan = scan_bytes(&tar[..1024 + 512 + 10]);
        assert_eq!(found(&scan), expected[..1].to_vec());
        assert_eq!(scan.unscanned.len(), 1, "{:?}", scan.unscanned);
        assert_eq!(scan.unscanned[0].place, "logs/old.log.gz");
        assert!(
            scan.unscanned[0].why.contains("damaged"),
            "{:?}",
            scan.unscanned
        );
    }

    #[test]
    fn a_gzip_name_is_shown_only_when_it_says_more_than_the_file_name() {
        assert!(names_itself("app.log.gz", "app.log"));
        assert!(names_itself("logs/APP.log.GZ", "APP.log"));
        assert!(names_itself("logs.tgz", "logs.tar"));
        assert!(!names_itself("bundle.gz", "app.log"));
        assert!(!names_itself("app.log", "app.log"));
    }

    #[test]
    fn gzip_names_come_from_the_header() {
        assert_eq!(
            gzip_name(&gzip(Some("dir/app.log"), b"x")).as_deref(),
            Some("app.log")
        );
        assert_eq!(gzip_name(&gzip(None, b"x")), None);
        assert_eq!(gzip_name(&[0x1f, 0x8b, 8, 0x08]), None);
    }
}
