//! The serialize stage: minimal, re-parse-stable escaping into any output.
//!
//! Text escapes `&`, `<`, `>`, U+00A0, and the two characters a parser would
//! not give back (CR, normalised to LF; U+FEFF, dropped at the start of an
//! input). Attribute values are always double-quoted and escape `&`, `"`,
//! `<`, `>`, U+00A0 and CR. Raw-text elements are never emitted, so no text
//! is ever written unescaped.

use std::io;

/// Where cleaned HTML goes.
pub(crate) trait Out {
    fn push(&mut self, s: &str);
}

impl Out for String {
    #[inline]
    fn push(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// An `io::Write` adaptor that buffers and keeps the first error.
pub(crate) struct WriteOut<W: io::Write> {
    inner: W,
    buf: String,
    pub(crate) error: Option<io::Error>,
}

impl<W: io::Write> WriteOut<W> {
    pub(crate) fn new(inner: W) -> WriteOut<W> {
        WriteOut {
            inner,
            buf: String::with_capacity(1 << 16),
            error: None,
        }
    }

    fn drain(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.inner.write_all(self.buf.as_bytes()) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.drain();
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.inner.flush()
    }
}

impl<W: io::Write> Out for WriteOut<W> {
    fn push(&mut self, s: &str) {
        self.buf.push_str(s);
        if self.buf.len() >= 1 << 16 {
            self.drain();
        }
    }
}

#[inline]
fn escape_with<O: Out + ?Sized>(out: &mut O, text: &str, attr: bool) {
    let bytes = text.as_bytes();
    // Next candidate positions for each group of special bytes (SIMD
    // searches; each is redone only once passed). usize::MAX = none left.
    let find = |from: usize, which: u8| -> usize {
        let hay = &bytes[from..];
        let found = match which {
            0 => memchr::memchr3(b'&', b'<', b'>', hay),
            1 => memchr::memchr3(b'\r', 0xC2, 0xEF, hay),
            _ => memchr::memchr(b'"', hay),
        };
        found.map_or(usize::MAX, |p| p + from)
    };
    let mut next = [
        find(0, 0),
        find(0, 1),
        if attr { find(0, 2) } else { usize::MAX },
    ];
    let mut start = 0;
    loop {
        let i = next[0].min(next[1]).min(next[2]);
        if i == usize::MAX {
            break;
        }
        let (rep, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\r' => ("&#13;", 1),
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            0xEF if bytes.get(i + 1) == Some(&0xBB) && bytes.get(i + 2) == Some(&0xBF) => {
                ("&#xFEFF;", 3)
            }
            _ => ("", 0),
        };
        if len > 0 {
            out.push(&text[start..i]);
            out.push(rep);
            start = i + len;
        }
        let resume = i + len.max(1);
        for (k, n) in next.iter_mut().enumerate() {
            if *n != usize::MAX && *n < resume {
                *n = if k == 2 && !attr {
                    usize::MAX
                } else {
                    find(resume, k as u8)
                };
            }
        }
    }
    out.push(&text[start..]);
}

/// Escape text content.
#[inline]
pub(crate) fn text<O: Out + ?Sized>(out: &mut O, text: &str) {
    escape_with(out, text, false);
}

/// Escape an attribute value (to go between double quotes).
#[inline]
pub(crate) fn attr<O: Out + ?Sized>(out: &mut O, value: &str) {
    escape_with(out, value, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_minimally() {
        let mut s = String::new();
        text(&mut s, "a & b < c > d \"e\" \u{a0}\r\u{feff}é");
        assert_eq!(s, "a &amp; b &lt; c &gt; d \"e\" &nbsp;&#13;&#xFEFF;é");
        let mut s = String::new();
        attr(&mut s, "x\"y&<");
        assert_eq!(s, "x&quot;y&amp;&lt;");
    }

    #[test]
    fn write_out_reports_errors() {
        struct Fail;
        impl io::Write for Fail {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = WriteOut::new(Fail);
        w.push("x");
        assert!(w.finish().is_err());
    }
}
