//! UTF-16 text: recognised by its byte-order mark or, without one, by the NUL byte beside
//! every ASCII character, and turned into UTF-8 as it streams so the line scanner reads it
//! like any other text.

use std::io::{self, Read};

/// The byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Order {
    Little,
    Big,
}

/// The byte order of `head` if it starts UTF-16 text, and whether it starts with a mark.
pub(super) fn detect(head: &[u8]) -> Option<(Order, bool)> {
    match head {
        [0xFF, 0xFE, ..] => return Some((Order::Little, true)),
        [0xFE, 0xFF, ..] => return Some((Order::Big, true)),
        _ => {}
    }
    // Without a mark: most code units of Western text have a zero high byte, and the
    // characters they hold are printable.
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let units = head.chunks_exact(2);
    let zero_first = units.clone().filter(|u| u[0] == 0).count();
    let zero_second = units.clone().filter(|u| u[1] == 0).count();
    let (order, zero_high, zero_low) = if zero_second > zero_first {
        (Order::Little, zero_second, zero_first)
    } else {
        (Order::Big, zero_first, zero_second)
    };
    if zero_high * 10 < pairs * 7 || zero_low * 20 > pairs {
        return None;
    }
    let texty = units
        .map(|u| match order {
            Order::Little => (u[0], u[1]),
            Order::Big => (u[1], u[0]),
        })
        .filter(|&(low, high)| {
            (high == 0 && (low.is_ascii_graphic() || b" \t\r\n".contains(&low)))
                || (high != 0 && low != 0)
        })
        .count();
    (texty * 10 >= pairs * 9).then_some((order, false))
}

/// Reads UTF-16 from `inner` and gives UTF-8. Unpaired surrogates and a dangling odd byte
/// become U+FFFD.
pub(super) struct Decoder<R> {
    inner: R,
    order: Order,
    raw: Vec<u8>,
    /// Raw bytes carried to the next read: an odd byte.
    carry: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// A byte-order mark may still come first and is then dropped.
    mark: bool,
    out: Vec<u8>,
    pos: usize,
    done: bool,
}

const CHUNK: usize = 64 * 1024;

impl<R: Read> Decoder<R> {
    /// Skips a byte-order mark at the start when `skip_mark` is set.
    pub(super) fn new(inner: R, order: Order, skip_mark: bool) -> Decoder<R> {
        Decoder {
            inner,
            order,
            raw: vec![0; CHUNK],
            carry: None,
            high: None,
            mark: skip_mark,
            out: Vec::with_capacity(CHUNK * 3 / 2 + 8),
            pos: 0,
            done: false,
        }
    }

    fn push(&mut self, c: char) {
        let mut b = [0u8; 4];
        self.out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }

    fn unit(&mut self, u: u16) {
        if std::mem::take(&mut self.mark) && u == 0xFEFF {
            return;
        }
        match (self.high.take(), u) {
            (Some(h), 0xDC00..=0xDFFF) => {
                let c = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                self.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            (h, _) => {
                if h.is_some() {
                    self.push(char::REPLACEMENT_CHARACTER);
                }
                match u {
                    0xD800..=0xDBFF => self.high = Some(u),
                    0xDC00..=0xDFFF => self.push(char::REPLACEMENT_CHARACTER),
                    _ => self.push(char::from_u32(u32::from(u)).unwrap_or_default()),
                }
            }
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() && !self.done {
            let start = usize::from(self.carry.is_some());
            if let Some(b) = self.carry.take() {
                self.raw[0] = b;
            }
            let n = loop {
                match self.inner.read(&mut self.raw[start..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            let len = start + n;
            if n == 0 {
                self.done = true;
                if self.high.take().is_some() {
                    self.push(char::REPLACEMENT_CHARACTER);
                }
                if len == 1 {
                    self.push(char::REPLACEMENT_CHARACTER);
                }
                break;
            }
            let even = len - len % 2;
            if len % 2 == 1 {
                self.carry = Some(self.raw[len - 1]);
            }
            for i in (0..even).step_by(2) {
                let pair = [self.raw[i], self.raw[i + 1]];
                let u = match self.order {
                    Order::Little => u16::from_le_bytes(pair),
                    Order::Big => u16::from_be_bytes(pair),
                };
                self.unit(u);
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.out.len() {
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, order: Order, mark: bool) -> Vec<u8> {
        let mut v = Vec::new();
        let units = mark
            .then_some(0xFEFF)
            .into_iter()
            .chain(text.encode_utf16());
        for u in units {
            v.extend_from_slice(&match order {
                Order::Little => u.to_le_bytes(),
                Order::Big => u.to_be_bytes(),
            });
        }
        v
    }

    fn decode(bytes: &[u8], order: Order, mark: bool) -> String {
        let mut out = String::new();
        // A reader that hands out one byte at a time, to cross every boundary.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        Decoder::new(Trickle(bytes), order, mark)
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn both_orders_with_and_without_a_mark_are_recognised_and_decoded() {
        let text = "Zugang: päss 🙂\r\nDB_PASSWORD=hunter22secret\n";
        for order in [Order::Little, Order::Big] {
            for mark in [true, false] {
                let bytes = encode(text, order, mark);
                assert_eq!(detect(&bytes), Some((order, mark)), "{order:?} {mark}");
                assert_eq!(decode(&bytes, order, mark), text, "{order:?} {mark}");
            }
        }
    }

    #[test]
    fn ascii_binary_and_short_input_are_not_utf16() {
        assert_eq!(detect(b"plain ASCII text that goes on for a while"), None);
        assert_eq!(
            detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06"),
            None
        );
        assert_eq!(detect(&[0u8; 64]), None);
        assert_eq!(detect(&encode("hi", Order::Little, false)), None);
    }

    #[test]
    fn broken_input_gives_replacement_characters_not_errors() {
        // A lone high surrogate, a lone low one, and an odd last byte.
        let bytes = [0x00, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x42];
        assert_eq!(
            decode(&bytes, Order::Little, false),
            "\u{FFFD}A\u{FFFD}\u{FFFD}"
        );
    }
}
