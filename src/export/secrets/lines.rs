//! The line scanner: reads a stream in blocks of whole lines, finds the kinds' literal
//! anchors in a lower-cased copy of each block (one fast vectorised pass over every byte), and
//! matches the exact patterns only around the anchors it found.
//!
//! Any bytes can be scanned: the patterns are matched within the stretch of text around an
//! anchor (bounded by control bytes such as NUL, CR or LF, and by a window), so text inside a
//! binary file reads like a line of its own.

use std::io::{self, Read};

use super::Hit;
use super::kinds::{KINDS, Matcher, Scope, accept, matcher};

/// Bytes read at a time.
pub(super) const BLOCK: usize = 1 << 20;
/// Longest stretch of a line looked at on each side of an anchor, and the context kept when a
/// line is longer than a block.
pub(super) const WINDOW: usize = 4096;
/// Findings recorded per evidence file; past that the file is refused anyway.
pub(super) const MAX_HITS: usize = 100;

/// Buffers reused from one stream to the next.
#[derive(Default)]
pub(super) struct LineScanner {
    buf: Vec<u8>,
    lower: Vec<u8>,
    found: Vec<Candidate>,
}

/// An anchor found, with the kind it may start and the stretch of text around it.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    kind: usize,
    at: usize,
    run: (usize, usize),
}

/// A byte that ends a stretch of text: control characters other than the tab.
fn breaks(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// A byte that can come just before the `>` closing a markup tag, as in `<w:t>`, `<t a="b">`
/// or `<br/>` (and not as in `=>` or `->`).
fn ends_a_tag(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'"' | b'\'' | b'/')
}

impl LineScanner {
    /// Scans `r` to its end, adding findings at `place` to `hits` (up to `MAX_HITS`). A read
    /// error ends the scan after what was read so far is scanned, and is returned.
    pub(super) fn scan(
        &mut self,
        r: &mut dyn Read,
        place: &str,
        hits: &mut Vec<Hit>,
    ) -> io::Result<()> {
        let m = matcher();
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        // The line number of `buf[0]`, and whether `buf[0]` is in the middle of a line.
        let mut line = 1u64;
        let mut mid_line = false;
        let mut failed = None;
        let mut eof = false;
        while !eof && hits.len() < MAX_HITS {
            // Appended without zeroing the buffer first, which matters for many small entries.
            let start = buf.len();
            buf.reserve(BLOCK);
            match (&mut *r).take(BLOCK as u64).read_to_end(&mut buf) {
                Ok(n) => eof = n < BLOCK,
                Err(e) => {
                    // What was read before the error is in `buf`, and is scanned.
                    failed = Some(e);
                    eof = true;
                }
            }
            debug_assert!(buf.len() - start <= BLOCK);
            // Anchors in complete lines are looked at now; the unfinished line waits for the
            // next block. A line longer than a block is cut, keeping a window of context.
            let upto = if eof {
                buf.len()
            } else {
                match memchr::memrchr(b'\n', &buf) {
                    Some(i) => i + 1,
                    None => buf.len() - WINDOW,
                }
            };
            self.block(m, &buf, upto, line, mid_line, place, hits);
            line += memchr::memchr_iter(b'\n', &buf[..upto]).count() as u64;
            mid_line = upto > 0 && buf[upto - 1] != b'\n';
            buf.drain(..upto);
        }
        self.buf = buf;
        match failed {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Looks at the anchors that start before `upto` in `text`, whose first line is `first`.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        m: &Matcher,
        text: &[u8],
        upto: usize,
        first: u64,
        mid_line: bool,
        place: &str,
        hits: &mut Vec<Hit>,
    ) {
        // Copied and lower-cased in one pass.
        self.lower.clear();
        self.lower.extend(text.iter().map(u8::to_ascii_lowercase));
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        let mut line = first;
        // Newlines are counted up to `counted`; `seen` is how far the text was searched.
        let mut counted = 0usize;
        let mut seen = 0usize;
        let mut run = (0usize, 0usize);
        let mut found_line = first;
        for a in m.anchors.find_iter(&self.lower[..]) {
            let at = a.start();
            if at >= upto || hits.len() >= MAX_HITS {
                break;
            }
            if let Some(i) = memchr::memrchr(b'\n', &text[seen..at]) {
                let next = seen + i + 1;
                line += memchr::memchr_iter(b'\n', &text[counted..next]).count() as u64;
                counted = next;
            }
            seen = at;
            if line != found_line {
                self.judge(m, text, mid_line, &found, found_line, place, hits);
                found.clear();
                found_line = line;
            }
            if !(run.0 <= at && at < run.1) {
                let lo = text[..at]
                    .iter()
                    .rposition(|&b| breaks(b))
                    .map_or(0, |i| i + 1);
                let hi = text[at..]
                    .iter()
                    .position(|&b| breaks(b))
                    .map_or(text.len(), |i| at + i);
                run = (lo, hi);
            }
            for &kind in &m.kinds_of[a.pattern().as_usize()] {
                found.push(Candidate { kind, at, run });
            }
        }
        self.judge(m, text, mid_line, &found, found_line, place, hits);
        self.found = found;
    }

    /// Matches the candidates of one line, in the kinds' order of precedence, and records the
    /// first finding.
    #[allow(clippy::too_many_arguments)]
    fn judge(
        &self,
        m: &Matcher,
        text: &[u8],
        mid_line: bool,
        found: &[Candidate],
        line: u64,
        place: &str,
        hits: &mut Vec<Hit>,
    ) {
        if found.is_empty() || hits.iter().any(|h| h.line == line && h.place == place) {
            return;
        }
        let mut order: Vec<Candidate> = found.to_vec();
        order.sort_by_key(|c| c.kind);
        // The window last matched for a kind, so a line full of anchors is matched once per
        // stretch, not once per anchor.
        let mut done: Option<(usize, usize, usize)> = None;
        for c in order {
            let kind = &KINDS[c.kind];
            let re = &m.patterns[c.kind];
            // A stretch that starts the block may be the end of a longer line.
            let starts_line = c.run.0 > 0 || !mid_line;
            let hit = match kind.scope {
                Scope::Anchor | Scope::LineStart => {
                    let boundary = match kind.scope {
                        Scope::LineStart => {
                            (c.at == c.run.0 && starts_line)
                                || (c.at > c.run.0 + 1
                                    && text[c.at - 1] == b'>'
                                    && ends_a_tag(text[c.at - 2]))
                        }
                        _ => c.at == 0 || !text[c.at - 1].is_ascii_alphanumeric(),
                    };
                    let end = c.run.1.min(c.at + WINDOW);
                    boundary
                        && re
                            .captures(&text[c.at..end])
                            .is_some_and(|caps| accept(kind, &caps))
                }
                Scope::Around | Scope::Line => {
                    let lo = c.run.0.max(c.at.saturating_sub(WINDOW));
                    let hi = c.run.1.min(c.at + WINDOW);
                    let near = (c.at.saturating_sub(256).max(lo), (c.at + 256).min(hi));
                    if let Some((k, dlo, dhi)) = done
                        && k == c.kind
                        && dlo <= near.0
                        && near.1 <= dhi
                    {
                        continue;
                    }
                    done = Some((c.kind, lo, hi));
                    if !starts_line && kind.scope == Scope::Line {
                        continue;
                    }
                    // The stretch from its start, so `^` means the start of the stretch.
                    let hay = &text[c.run.0..hi];
                    let mut from = lo - c.run.0;
                    let mut hit = false;
                    while let Some(caps) = re.captures_at(hay, from) {
                        if accept(kind, &caps) {
                            hit = true;
                            break;
                        }
                        let whole = caps.get(0).map_or(from, |w| w.end());
                        from = whole.max(from + 1);
                        if from > hay.len() {
                            break;
                        }
                    }
                    hit
                }
            };
            if hit {
                hits.push(Hit {
                    place: place.to_string(),
                    line,
                    kind: kind.name,
                });
                return;
            }
        }
    }
}
