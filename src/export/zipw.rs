//! A streaming zip writer with parallel deflate.
//!
//! Written here rather than taken from the `zip` crate because the bundle needs three things
//! together that its writer does not offer: entries compressed on every core, memory that stays
//! flat however large a file is, and byte-identical output for the same input. Each entry is
//! read in 1 MiB chunks; the chunks are deflated independently on worker threads (pigz-style,
//! each ending on a byte boundary with a sync flush) and written back in order, so the output
//! does not depend on thread timing. Sizes and CRC-32 are patched into the local header after
//! the data (the output is seekable), so no data descriptors are needed. Zip64 records are
//! written only where sizes or offsets need them. The `zip` crate reads the result in tests.

use std::collections::BTreeMap;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use flate2::{Compress, Compression, FlushCompress, Status};
use sha2::{Digest, Sha256};

use crate::util::hex;

/// Input chunk size for the deflate workers: a quarter of the file, so even a small file
/// keeps every core busy, within these bounds. It depends on the file size only, never on
/// the number of threads, so the output is the same on every machine.
const CHUNK_MIN: usize = 128 << 10;
const CHUNK_MAX: usize = 1 << 20;

fn chunk_size(size_hint: u64) -> usize {
    ((size_hint / 4) as usize).clamp(CHUNK_MIN, CHUNK_MAX)
}
/// Entries at least this large get zip64 sizes in their local header from the start.
const ZIP64_AT: u64 = 0xF000_0000;
const U32_MAX: u64 = 0xFFFF_FFFF;
/// zlib-rs at level 2 deflates several times faster than level 6 and, measured on the
/// benchmark's evidence set, makes the archive under 3% larger (`bench/export.sh`).
pub const DEFLATE_LEVEL: u32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Stored,
    Deflated,
}

impl Method {
    fn code(self) -> u16 {
        match self {
            Method::Stored => 0,
            Method::Deflated => 8,
        }
    }
}

/// A date and time in MS-DOS form, as zip headers keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    pub date: u16,
    pub time: u16,
}

impl DosTime {
    /// From seconds since 1970 (UTC), clamped to the range zip can hold (1980 to 2107).
    pub fn from_unix(secs: i64) -> DosTime {
        let min = 315_532_800; // 1980-01-01
        let max = 4_354_819_198; // 2107-12-31 23:59:58
        let secs = secs.clamp(min, max);
        let t = time::OffsetDateTime::from_unix_timestamp(secs)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        DosTime {
            date: (((t.year() - 1980) as u16) << 9)
                | (u16::from(u8::from(t.month())) << 5)
                | u16::from(t.day()),
            time: (u16::from(t.hour()) << 11)
                | (u16::from(t.minute()) << 5)
                | u16::from(t.second() / 2),
        }
    }
}

/// What writing one entry found out about its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub size: u64,
    pub compressed: u64,
    pub crc32: u32,
    pub sha256: String,
}

#[derive(Debug)]
struct Central {
    name: String,
    time: DosTime,
    method: Method,
    crc32: u32,
    compressed: u64,
    size: u64,
    offset: u64,
    mode: u32,
}

/// Why an entry could not be written.
#[derive(Debug)]
pub enum ZipError {
    Io(io::Error),
    /// The progress callback asked to stop.
    Cancelled,
}

impl From<io::Error> for ZipError {
    fn from(e: io::Error) -> ZipError {
        ZipError::Io(e)
    }
}

pub struct ZipOut<W: Write + Seek + Send> {
    out: W,
    time: DosTime,
    comment: Vec<u8>,
    entries: Vec<Central>,
    workers: usize,
    pools: Arc<Pools>,
}

impl<W: Write + Seek + Send> ZipOut<W> {
    /// A writer whose entries all carry `time`; `workers` deflate threads (at least one).
    pub fn new(out: W, time: DosTime, workers: usize) -> ZipOut<W> {
        ZipOut {
            out,
            time,
            comment: Vec::new(),
            entries: Vec::new(),
            workers: workers.max(1),
            pools: Arc::default(),
        }
    }

    /// Adds one entry read from `data`. `size_hint` is the expected size (it decides whether
    /// the local header needs zip64 room); `progress` gets the bytes read so far and returns
    /// false to cancel.
    pub fn add(
        &mut self,
        name: &str,
        data: &mut dyn Read,
        size_hint: u64,
        method: Method,
        progress: &mut dyn FnMut(u64) -> bool,
    ) -> Result<Written, ZipError> {
        let offset = self.out.stream_position()?;
        let zip64 = size_hint >= ZIP64_AT;
        self.write_local_header(name, method, zip64, 0, 0, 0)?;
        let data_start = self.out.stream_position()?;
        let chunk = chunk_size(size_hint);
        let (crc32, size, sha256) = pipeline(
            &mut self.out,
            data,
            method,
            chunk,
            self.workers,
            &self.pools,
            progress,
        )?;
        let end = self.out.stream_position()?;
        let compressed = end - data_start;
        if !zip64 && (size >= U32_MAX || compressed >= U32_MAX) {
            return Err(ZipError::Io(io::Error::other(format!(
                "{name} grew past 4 GiB while it was being written"
            ))));
        }
        self.out.seek(SeekFrom::Start(offset))?;
        self.write_local_header(name, method, zip64, crc32, compressed, size)?;
        self.out.seek(SeekFrom::Start(end))?;
        self.entries.push(Central {
            name: name.to_string(),
            time: self.time,
            method,
            crc32,
            compressed,
            size,
            offset,
            mode: 0o100644,
        });
        Ok(Written {
            size,
            compressed,
            crc32,
            sha256,
        })
    }

    /// Entries added from now on carry `time`.
    pub fn set_time(&mut self, time: DosTime) {
        self.time = time;
    }

    /// The archive's comment, written at its end.
    pub fn set_comment(&mut self, comment: &[u8]) {
        self.comment = comment[..comment.len().min(0xFFFF)].to_vec();
    }

    /// Adds an entry already compressed with `method`: `raw` is copied as it is, with the
    /// CRC-32 and size it was made with (an entry copied from another archive).
    pub fn add_raw(
        &mut self,
        name: &str,
        method: Method,
        (crc32, size): (u32, u64),
        raw: &[u8],
    ) -> io::Result<()> {
        let compressed = raw.len() as u64;
        if size >= U32_MAX || compressed >= U32_MAX {
            return Err(io::Error::other(format!(
                "{name} is too large to copy (4 GiB or more)"
            )));
        }
        let offset = self.out.stream_position()?;
        self.write_local_header(name, method, false, crc32, compressed, size)?;
        self.out.write_all(raw)?;
        self.entries.push(Central {
            name: name.to_string(),
            time: self.time,
            method,
            crc32,
            compressed,
            size,
            offset,
            mode: 0o100644,
        });
        Ok(())
    }

    /// Adds an entry from bytes in memory (the summary, the manifest).
    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<Written, ZipError> {
        let method = if bytes.len() > 64 {
            Method::Deflated
        } else {
            Method::Stored
        };
        self.add(
            name,
            &mut &bytes[..],
            bytes.len() as u64,
            method,
            &mut |_| true,
        )
    }

    fn write_local_header(
        &mut self,
        name: &str,
        method: Method,
        zip64: bool,
        crc32: u32,
        compressed: u64,
        size: u64,
    ) -> io::Result<()> {
        let mut h = Vec::with_capacity(30 + name.len() + 20);
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&(if zip64 { 45u16 } else { 20u16 }).to_le_bytes());
        h.extend_from_slice(&0x0800u16.to_le_bytes()); // names are UTF-8
        h.extend_from_slice(&method.code().to_le_bytes());
        h.extend_from_slice(&self.time.time.to_le_bytes());
        h.extend_from_slice(&self.time.date.to_le_bytes());
        h.extend_from_slice(&crc32.to_le_bytes());
        if zip64 {
            h.extend_from_slice(&u32::MAX.to_le_bytes());
            h.extend_from_slice(&u32::MAX.to_le_bytes());
        } else {
            h.extend_from_slice(&(compressed as u32).to_le_bytes());
            h.extend_from_slice(&(size as u32).to_le_bytes());
        }
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(if zip64 { 20u16 } else { 0u16 }).to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        if zip64 {
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&compressed.to_le_bytes());
        }
        self.out.write_all(&h)
    }

    /// Writes the central directory and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        let cd_start = self.out.stream_position()?;
        let mut cd = Vec::new();
        for e in &self.entries {
            let big_size = e.size >= U32_MAX || e.compressed >= U32_MAX;
            let big_offset = e.offset >= U32_MAX;
            let mut extra = Vec::new();
            if big_size {
                extra.extend_from_slice(&e.size.to_le_bytes());
                extra.extend_from_slice(&e.compressed.to_le_bytes());
            }
            if big_offset {
                extra.extend_from_slice(&e.offset.to_le_bytes());
            }
            let needs64 = big_size || big_offset;
            cd.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            cd.extend_from_slice(&((3u16 << 8) | 45).to_le_bytes()); // made by Unix, 4.5
            cd.extend_from_slice(&(if needs64 { 45u16 } else { 20u16 }).to_le_bytes());
            cd.extend_from_slice(&0x0800u16.to_le_bytes());
            cd.extend_from_slice(&e.method.code().to_le_bytes());
            cd.extend_from_slice(&e.time.time.to_le_bytes());
            cd.extend_from_slice(&e.time.date.to_le_bytes());
            cd.extend_from_slice(&e.crc32.to_le_bytes());
            let (c, s) = if big_size {
                (u32::MAX, u32::MAX)
            } else {
                (e.compressed as u32, e.size as u32)
            };
            cd.extend_from_slice(&c.to_le_bytes());
            cd.extend_from_slice(&s.to_le_bytes());
            cd.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            let extra_len = if extra.is_empty() { 0 } else { extra.len() + 4 };
            cd.extend_from_slice(&(extra_len as u16).to_le_bytes());
            cd.extend_from_slice(&0u16.to_le_bytes()); // comment
            cd.extend_from_slice(&0u16.to_le_bytes()); // disk
            cd.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            cd.extend_from_slice(&(e.mode << 16).to_le_bytes());
            let off = if big_offset {
                u32::MAX
            } else {
                e.offset as u32
            };
            cd.extend_from_slice(&off.to_le_bytes());
            cd.extend_from_slice(e.name.as_bytes());
            if !extra.is_empty() {
                cd.extend_from_slice(&1u16.to_le_bytes());
                cd.extend_from_slice(&(extra.len() as u16).to_le_bytes());
                cd.extend_from_slice(&extra);
            }
        }
        self.out.write_all(&cd)?;
        let cd_end = self.out.stream_position()?;
        let cd_size = cd_end - cd_start;
        let count = self.entries.len() as u64;
        let mut tail = Vec::new();
        if count >= 0xFFFF || cd_start >= U32_MAX || cd_size >= U32_MAX {
            // Zip64 end of central directory record, then its locator.
            tail.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            tail.extend_from_slice(&44u64.to_le_bytes());
            tail.extend_from_slice(&((3u16 << 8) | 45).to_le_bytes());
            tail.extend_from_slice(&45u16.to_le_bytes());
            tail.extend_from_slice(&0u32.to_le_bytes());
            tail.extend_from_slice(&0u32.to_le_bytes());
            tail.extend_from_slice(&count.to_le_bytes());
            tail.extend_from_slice(&count.to_le_bytes());
            tail.extend_from_slice(&cd_size.to_le_bytes());
            tail.extend_from_slice(&cd_start.to_le_bytes());
            tail.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            tail.extend_from_slice(&0u32.to_le_bytes());
            tail.extend_from_slice(&cd_end.to_le_bytes());
            tail.extend_from_slice(&1u32.to_le_bytes());
        }
        tail.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        tail.extend_from_slice(&0u16.to_le_bytes());
        tail.extend_from_slice(&0u16.to_le_bytes());
        let n16 = count.min(0xFFFF) as u16;
        tail.extend_from_slice(&n16.to_le_bytes());
        tail.extend_from_slice(&n16.to_le_bytes());
        tail.extend_from_slice(&(cd_size.min(U32_MAX) as u32).to_le_bytes());
        tail.extend_from_slice(&(cd_start.min(U32_MAX) as u32).to_le_bytes());
        tail.extend_from_slice(&(self.comment.len() as u16).to_le_bytes());
        tail.extend_from_slice(&self.comment);
        self.out.write_all(&tail)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Reads up to `buf.len()` bytes, fewer only at the end of the input.
fn read_full(data: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match data.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Buffers and compressors handed back after use, so an export allocates them once rather
/// than once per chunk (which, with several threads, lets the allocator's caches grow).
#[derive(Default)]
pub struct Pools {
    bufs: Mutex<Vec<Vec<u8>>>,
    compressors: Mutex<Vec<Compress>>,
}

/// A buffer that goes back to its pool when dropped.
pub struct Pooled {
    data: Vec<u8>,
    pools: Arc<Pools>,
}

impl Drop for Pooled {
    fn drop(&mut self) {
        let data = std::mem::take(&mut self.data);
        if let Ok(mut free) = self.pools.bufs.lock()
            && free.len() < 64
        {
            free.push(data);
        }
    }
}

impl Pools {
    /// An empty buffer (its capacity kept from earlier use).
    fn buf(self: &Arc<Self>) -> Pooled {
        let mut data = self
            .bufs
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_default();
        data.clear();
        Pooled {
            data,
            pools: Arc::clone(self),
        }
    }

    fn compressor(&self) -> Compress {
        self.compressors
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_else(|| Compress::new(Compression::new(DEFLATE_LEVEL), false))
    }

    fn give_back(&self, c: Compress) {
        if let Ok(mut free) = self.compressors.lock() {
            free.push(c);
        }
    }
}

/// Deflates one chunk into `out` as a raw deflate segment: sync-flushed, or final for the
/// last one. The compressor is reset first, so every chunk is compressed the same way.
///
/// The output space is always more than deflate can produce for the input (stored blocks cost
/// 5 bytes per 16 KiB at worst), so one call finishes the segment: how much room a reused
/// buffer happened to have can never change the bytes.
fn deflate_chunk(c: &mut Compress, input: &[u8], last: bool, out: &mut Vec<u8>) -> io::Result<()> {
    c.reset();
    let bound = input.len() + input.len() / 8 + 1024;
    out.clear();
    out.resize(bound, 0);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let status = c.compress(input, out, flush).map_err(io::Error::other)?;
    let complete = c.total_in() as usize == input.len()
        && (c.total_out() as usize) < bound
        && (!last || status == Status::StreamEnd);
    if !complete {
        return Err(io::Error::other(
            "deflate did not finish a chunk in its bound",
        ));
    }
    out.truncate(c.total_out() as usize);
    Ok(())
}

/// A piece of output: a deflated segment, or a stored chunk shared with the hasher.
enum Segment {
    Deflated(Pooled),
    Stored(Arc<Pooled>),
}

impl Segment {
    fn bytes(&self) -> &[u8] {
        match self {
            Segment::Deflated(v) => &v.data,
            Segment::Stored(v) => &v.data,
        }
    }
}

type Job = (u64, Arc<Pooled>, bool);

/// Streams `data` into `out`, stored or deflated, on several threads: this one reads, a
/// hasher computes CRC-32 and SHA-256, `workers` threads deflate, and a writer puts the
/// pieces back in order. Every queue is bounded, so memory stays a few MiB per thread.
fn pipeline(
    out: &mut (dyn Write + Send),
    data: &mut dyn Read,
    method: Method,
    chunk_len: usize,
    workers: usize,
    pools: &Arc<Pools>,
    progress: &mut dyn FnMut(u64) -> bool,
) -> Result<(u32, u64, String), ZipError> {
    let depth = workers * 2;
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(depth);
    // Only the workers hold the job queue's receiver: if they stop (the writer failed), the
    // reader's next send fails instead of waiting for ever.
    let mut job_rx = Some(Arc::new(Mutex::new(job_rx)));
    let (seg_tx, seg_rx) = mpsc::sync_channel::<(u64, io::Result<Segment>)>(depth);
    let (hash_tx, hash_rx) = mpsc::sync_channel::<Arc<Pooled>>(depth);
    std::thread::scope(|scope| {
        let job_rx = job_rx.take().expect("set above");
        if method == Method::Deflated {
            for _ in 0..workers {
                let rx = Arc::clone(&job_rx);
                let tx = seg_tx.clone();
                let pools = Arc::clone(pools);
                scope.spawn(move || deflate_jobs(&rx, &tx, &pools));
            }
        }
        drop(job_rx);
        let hasher = scope.spawn(move || hash_all(hash_rx));
        let writer = scope.spawn(move || write_in_order(out, seg_rx));
        let stopped = || ZipError::Io(io::Error::other("a zip worker thread stopped"));
        let mut size = 0u64;
        let mut seq = 0u64;
        let read_result: Result<(), ZipError> = (|| {
            loop {
                let mut buf = pools.buf();
                buf.data.resize(chunk_len, 0);
                let n = read_full(data, &mut buf.data)?;
                if n == 0 {
                    break;
                }
                buf.data.truncate(n);
                let chunk = Arc::new(buf);
                size += n as u64;
                hash_tx.send(Arc::clone(&chunk)).map_err(|_| stopped())?;
                match method {
                    Method::Deflated => job_tx.send((seq, chunk, false)).map_err(|_| stopped())?,
                    Method::Stored => seg_tx
                        .send((seq, Ok(Segment::Stored(chunk))))
                        .map_err(|_| stopped())?,
                }
                seq += 1;
                if !progress(size) {
                    return Err(ZipError::Cancelled);
                }
            }
            if method == Method::Deflated {
                // An empty final block closes the stream.
                job_tx
                    .send((seq, Arc::new(pools.buf()), true))
                    .map_err(|_| stopped())?;
            }
            Ok(())
        })();
        drop(job_tx);
        drop(seg_tx);
        drop(hash_tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the zip writer thread panicked")));
        let (crc, sha) = hasher
            .join()
            .map_err(|_| ZipError::Io(io::Error::other("the hashing thread panicked")))?;
        // The writer's error is the cause when both failed (a full disk stops the workers).
        written?;
        read_result?;
        Ok((crc, size, sha))
    })
}

type Jobs = Arc<Mutex<mpsc::Receiver<Job>>>;
type Segments = mpsc::SyncSender<(u64, io::Result<Segment>)>;

/// A deflate thread: takes chunks off the queue until it closes, and sends each one's
/// compressed segment on with its number.
fn deflate_jobs(rx: &Jobs, tx: &Segments, pools: &Arc<Pools>) {
    let mut c = pools.compressor();
    loop {
        let job = match rx.lock() {
            Ok(guard) => guard.recv(),
            Err(_) => break,
        };
        let Ok((seq, chunk, last)) = job else {
            break;
        };
        let mut out = pools.buf();
        let seg = deflate_chunk(&mut c, &chunk.data, last, &mut out.data)
            .map(|()| Segment::Deflated(out));
        drop(chunk);
        if tx.send((seq, seg)).is_err() {
            break;
        }
    }
    pools.give_back(c);
}

/// The CRC-32 and SHA-256 of every chunk received, in order.
fn hash_all(rx: mpsc::Receiver<Arc<Pooled>>) -> (u32, String) {
    let mut crc = crc32fast::Hasher::new();
    let mut sha = Sha256::new();
    for chunk in rx {
        crc.update(&chunk.data);
        sha.update(&chunk.data);
    }
    (crc.finalize(), hex(&sha.finalize()))
}

/// Writes the segments received to `out` in the order of their numbers, whatever order they
/// come in.
fn write_in_order(
    out: &mut (dyn Write + Send),
    rx: mpsc::Receiver<(u64, io::Result<Segment>)>,
) -> io::Result<()> {
    let mut next = 0u64;
    let mut waiting: BTreeMap<u64, Segment> = BTreeMap::new();
    for (seq, seg) in rx {
        waiting.insert(seq, seg?);
        while let Some(seg) = waiting.remove(&next) {
            out.write_all(seg.bytes())?;
            next += 1;
        }
    }
    Ok(())
}

/// Whether deflating is worth it, judged from three 32 KiB samples (start, middle, end):
/// screenshots and archives barely shrink, logs and many PDFs do.
pub fn worth_deflating(file: &mut (impl Read + Seek), size: u64) -> io::Result<bool> {
    const SAMPLE: u64 = 32 * 1024;
    if size < 256 {
        return Ok(size > 0);
    }
    let mut starts = vec![0];
    if size > 3 * SAMPLE {
        starts.push(size / 2 - SAMPLE / 2);
        starts.push(size - SAMPLE);
    }
    let mut raw = 0usize;
    let mut packed = 0usize;
    let mut buf = vec![0u8; SAMPLE as usize];
    for s in starts {
        file.seek(SeekFrom::Start(s))?;
        let n = read_full(file, &mut buf)?;
        let mut c = Compress::new(Compression::fast(), false);
        let mut out = Vec::with_capacity(n + 1024);
        c.compress_vec(&buf[..n], &mut out, FlushCompress::Finish)
            .map_err(io::Error::other)?;
        raw += n;
        packed += out.len();
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(packed * 100 < raw * 92)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn deflate_roundtrip(data: &[u8], workers: usize) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let (crc, size, _) = pipeline(
            &mut out,
            &mut &data[..],
            Method::Deflated,
            CHUNK_MAX,
            workers,
            &Arc::default(),
            &mut |_| true,
        )
        .map_err(|e| format!("{e:?}"))
        .unwrap();
        assert_eq!(size, data.len() as u64);
        assert_eq!(crc, crc32fast::hash(data));
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&out.get_ref()[..])
            .read_to_end(&mut back)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn chunked_deflate_is_one_valid_stream_and_independent_of_thread_count() {
        let mut data = Vec::new();
        for i in 0..300_000u32 {
            data.extend_from_slice(format!("{{\"n\":{i},\"msg\":\"ok\"}}\n").as_bytes());
        }
        assert!(data.len() > 3 * CHUNK_MAX);
        let one = deflate_roundtrip(&data, 1);
        let two = deflate_roundtrip(&data, 2);
        let four = deflate_roundtrip(&data, 4);
        assert_eq!(one, two);
        assert_eq!(two, four);
        assert!(one.len() < data.len() / 4);
        deflate_roundtrip(&[], 2);
    }

    #[test]
    fn dos_time_from_unix_seconds() {
        // 2026-11-26 09:30:14 UTC
        let t = DosTime::from_unix(1_795_685_414);
        assert_eq!(t.date >> 9, 2026 - 1980);
        assert_eq!((t.date >> 5) & 0xF, 11);
        assert_eq!(t.date & 0x1F, 26);
        assert_eq!(t.time >> 11, 9);
        assert_eq!((t.time >> 5) & 0x3F, 30);
        assert_eq!((t.time & 0x1F) * 2, 14);
        assert_eq!(DosTime::from_unix(0), DosTime::from_unix(315_532_800));
    }

    #[test]
    fn samples_tell_text_from_noise() {
        let text: Vec<u8> = b"{\"level\":\"info\",\"msg\":\"request served\"}\n".repeat(10_000);
        assert!(worth_deflating(&mut Cursor::new(&text), text.len() as u64).unwrap());
        let mut noise = vec![0u8; 400_000];
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for b in noise.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = x as u8;
        }
        assert!(!worth_deflating(&mut Cursor::new(&noise), noise.len() as u64).unwrap());
    }
}

#[cfg(test)]
mod failures {
    use super::*;
    use std::io::Cursor;

    /// A writer that fails once it has taken `left` bytes, as a full disk does.
    struct Full {
        left: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.left == 0 {
                return Err(io::Error::other("No space left on device"));
            }
            let n = buf.len().min(self.left);
            self.left -= n;
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_error_ends_the_entry_with_that_error_and_never_hangs() {
        let data: Vec<u8> = b"{\"event\":\"ok\"}\n".repeat(400_000);
        for method in [Method::Deflated, Method::Stored] {
            let mut out = Full { left: 1_000 };
            let result = pipeline(
                &mut out,
                &mut &data[..],
                method,
                128 << 10,
                2,
                &Arc::default(),
                &mut |_| true,
            );
            match result {
                Err(ZipError::Io(e)) => assert!(e.to_string().contains("No space"), "{e}"),
                other => panic!("{method:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_bytes_do_not_depend_on_a_reused_buffer() {
        let mut c = Compress::new(Compression::new(DEFLATE_LEVEL), false);
        // Noise: the deflated chunk is a little larger than the input, the case in which the
        // output once depended on the buffer's capacity (5 of these 17 capacities differed).
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let input: Vec<u8> = (0..131_072)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let mut first = Vec::new();
        deflate_chunk(&mut c, &input, false, &mut first).unwrap();
        assert!(first.len() > input.len());
        // Capacities around the output's length are where an extra flush used to appear.
        for capacity in first.len() - 8..=first.len() + 8 {
            let mut out = Vec::with_capacity(capacity);
            deflate_chunk(&mut c, &input, false, &mut out).unwrap();
            assert_eq!(out, first, "capacity {capacity}");
        }
        let mut back = Vec::new();
        let mut whole = first.clone();
        let mut end = Vec::new();
        deflate_chunk(&mut c, &[], true, &mut end).unwrap();
        whole.extend_from_slice(&end);
        flate2::read::DeflateDecoder::new(Cursor::new(whole))
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, input);
    }
}

#[cfg(test)]
mod round_trip {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    /// One entry to write: its name, bytes, time, and how it goes in (0 stored, 1 deflated,
    /// 2 copied raw from a deflate stream made here).
    type Entry = (String, Vec<u8>, i64, u8);

    fn write(entries: &[Entry], comment: &[u8]) -> Vec<u8> {
        let mut zip = ZipOut::new(Cursor::new(Vec::new()), DosTime::from_unix(0), 2);
        for (name, data, time, how) in entries {
            zip.set_time(DosTime::from_unix(*time));
            match how {
                0 | 1 => {
                    let method = if *how == 0 {
                        Method::Stored
                    } else {
                        Method::Deflated
                    };
                    let size = data.len() as u64;
                    zip.add(name, &mut &data[..], size, method, &mut |_| true)
                        .map_err(|e| format!("{e:?}"))
                        .unwrap();
                }
                _ => {
                    let mut raw = Vec::new();
                    let mut d = flate2::write::DeflateEncoder::new(&mut raw, Compression::fast());
                    d.write_all(data).unwrap();
                    d.finish().unwrap();
                    let crc = crc32fast::hash(data);
                    zip.add_raw(name, Method::Deflated, (crc, data.len() as u64), &raw)
                        .unwrap();
                }
            }
        }
        zip.set_comment(comment);
        zip.finish().unwrap().into_inner()
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 48,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x2026_1204),
            ..ProptestConfig::default()
        })]

        /// Whatever goes in, the zip crate reads back the same names, bytes, times, methods
        /// and comment.
        #[test]
        fn the_zip_crate_reads_back_what_was_written(
            entries in proptest::collection::vec(
                ("[a-z][a-z0-9/._-]{0,20}", proptest::collection::vec(any::<u8>(), 0..3000), 315_532_800i64..4_000_000_000, 0u8..3),
                0..6,
            ),
            comment in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            // Names must differ for the archive to be readable by name.
            let mut entries = entries;
            for (i, e) in entries.iter_mut().enumerate() {
                e.0 = format!("{i}/{}", e.0);
            }
            let bytes = write(&entries, &comment);
            let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
            prop_assert_eq!(zip.len(), entries.len());
            prop_assert_eq!(zip.comment(), &comment[..]);
            for (i, (name, data, time, how)) in entries.iter().enumerate() {
                let mut e = zip.by_index(i).unwrap();
                prop_assert_eq!(e.name().unwrap(), name.as_str());
                let want = if *how == 0 { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
                prop_assert_eq!(e.compression(), want);
                let t = e.last_modified().unwrap();
                let dos = DosTime::from_unix(*time);
                prop_assert_eq!((t.datepart(), t.timepart()), (dos.date, dos.time));
                let mut back = Vec::new();
                e.read_to_end(&mut back).unwrap();
                prop_assert_eq!(&back, data);
            }
        }
    }
}
