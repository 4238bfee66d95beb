//! The serialize stage: minimal, re-parse-stable escaping into any output.
//!
//! Text escapes `&`, `<`, `>`, U+00A0, and the two characters a parser would
//! not give back (CR, normalised to LF; U+FEFF, dropped at the start of an
//! input). Attribute values are always double-quoted and escape `&`, `"`,
//! `<`, `>`, U+00A0 and CR. Raw-text elements are never emitted, so no text
//! is ever written unescaped.

use std::io;

use crate::swar;

/// Where cleaned HTML goes.
pub(crate) trait Out {
    fn push(&mut self, s: &str);

    /// Where the output stands now, for [`Out::rewind`]; `None` when this
    /// output cannot go back (it may have left the process).
    fn mark(&self) -> Option<usize> {
        None
    }

    /// Go back to a [`mark`](Out::mark): what was pushed since is gone.
    fn rewind(&mut self, _to: usize) {}
}

impl Out for String {
    #[inline]
    fn push(&mut self, s: &str) {
        self.push_str(s);
    }

    fn mark(&self) -> Option<usize> {
        Some(self.len())
    }

    fn rewind(&mut self, to: usize) {
        self.truncate(to);
    }
}

/// Output compared with an input as it is written: nothing is stored while
/// it matches the input so far.
pub(crate) struct Diff<'a> {
    input: &'a str,
    /// Bytes of the input matched so far (while `out` is `None`).
    matched: usize,
    /// The output, once it differs from the input.
    out: Option<String>,
}

impl<'a> Diff<'a> {
    pub(crate) fn new(input: &'a str) -> Diff<'a> {
        Diff {
            input,
            matched: 0,
            out: None,
        }
    }

    /// The output: the input itself when they are equal.
    pub(crate) fn finish(self) -> std::borrow::Cow<'a, str> {
        match self.out {
            Some(s) => std::borrow::Cow::Owned(s),
            None if self.matched == self.input.len() => std::borrow::Cow::Borrowed(self.input),
            // A proper prefix of the input (a char boundary: it matched a str).
            None => std::borrow::Cow::Owned(self.input[..self.matched].to_owned()),
        }
    }
}

impl Out for Diff<'_> {
    /// While the output still matches the input: how much of it does.
    fn mark(&self) -> Option<usize> {
        self.out.is_none().then_some(self.matched)
    }

    fn rewind(&mut self, to: usize) {
        // The mark was taken while nothing differed: the output was the
        // first `to` bytes of the input.
        self.out = None;
        self.matched = to;
    }

    fn push(&mut self, s: &str) {
        match &mut self.out {
            Some(out) => out.push_str(s),
            None => {
                let rest = &self.input.as_bytes()[self.matched..];
                // The input's own bytes (the plain-text path writes the
                // input itself) match without being compared.
                let same_bytes = std::ptr::eq(rest.as_ptr(), s.as_ptr()) && s.len() <= rest.len();
                if same_bytes || rest.starts_with(s.as_bytes()) {
                    self.matched += s.len();
                } else {
                    let mut out =
                        String::with_capacity(self.input.len() + self.input.len() / 4 + 16);
                    out.push_str(&self.input[..self.matched]);
                    out.push_str(s);
                    self.out = Some(out);
                }
            }
        }
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

/// Bytes that may need escaping: 1 in text and attribute values (`&`, `<`,
/// `>`, CR, and the first bytes of U+00A0 and U+FEFF), 2 in attribute
/// values only (`"`).
static SPECIAL: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'&' as usize] = 1;
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[0xC2] = 1;
    t[0xEF] = 1;
    t[b'"' as usize] = 2;
    t
};

/// Strings up to this long are escaped in one byte-by-byte pass; longer
/// ones with SIMD searches (whose setup costs more than a short scan).
const SHORT: usize = 64;

#[inline]
fn escape_with<O: Out + ?Sized>(out: &mut O, text: &str, attr: bool) {
    let bytes = text.as_bytes();
    if bytes.len() <= SHORT {
        escape_short(out, text, if attr { 2 } else { 1 });
        return;
    }
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
        let (rep, len) = replacement(bytes, i);
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

/// What the byte at `i` (a candidate the caller found) is written as, and
/// how many input bytes that replaces (0: the byte stays, e.g. a lead byte
/// 0xC2 not followed by 0xA0). The one table of what is escaped.
#[inline]
fn replacement(bytes: &[u8], i: usize) -> (&'static str, usize) {
    match bytes[i] {
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
    }
}

/// Does the 8-byte word `v` hold a byte that may need escaping: `&`, `<`,
/// `>`, CR, 0xC2 and 0xEF (the first bytes of U+00A0 and U+FEFF), and with
/// `attr` `"`? Exact ([`swar::eq`] has no false negative), so other
/// non-ASCII text is skipped eight bytes at a time.
#[inline]
fn word_may_escape(v: u64, attr: bool) -> bool {
    let eq = |b: u8| swar::eq(v, b);
    let mut m = eq(b'&') | eq(b'<') | eq(b'>') | eq(b'\r') | eq(0xC2) | eq(0xEF);
    if attr {
        m |= eq(b'"');
    }
    m != 0
}

/// [`escape_with`] for short strings: one pass over the bytes, eight at a
/// time while none may need escaping. `level` 1 escapes text, 2 attribute
/// values.
fn escape_short<O: Out + ?Sized>(out: &mut O, text: &str, level: u8) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut stop = 0;
    while i < bytes.len() {
        if i >= stop {
            // The word at `i`, or for the last bytes the last eight (which
            // overlap bytes already read: the test's answer is the same).
            let w = bytes
                .get(i..i + 8)
                .or_else(|| bytes.len().checked_sub(8).map(|s| &bytes[s..]));
            if let Some(w) = w {
                let mut a = [0u8; 8];
                a.copy_from_slice(w);
                if !word_may_escape(u64::from_le_bytes(a), level == 2) {
                    i += 8;
                    continue;
                }
            }
            // Look at this word (or the tail) byte by byte.
            stop = i + 8;
        }
        let class = SPECIAL[bytes[i] as usize];
        if class == 0 || class > level {
            i += 1;
            continue;
        }
        let (rep, len) = replacement(bytes, i);
        if len > 0 {
            out.push(&text[start..i]);
            out.push(rep);
            start = i + len;
            i += len;
        } else {
            i += 1;
        }
    }
    out.push(&text[start..]);
}

/// Escape text content known to hold no `&`, `<` or CR (the plain-text
/// path has checked): only `>`, U+00A0 and U+FEFF can need escaping, one
/// search finds whether any is there, and without one the text is written
/// as it is.
pub(crate) fn plain_text<O: Out + ?Sized>(out: &mut O, text: &str) {
    if !plain_may_escape(text.as_bytes()) {
        out.push(text);
    } else {
        escape_with(out, text, false);
    }
}

/// Does `b` hold `>`, 0xC2 or 0xEF? Short text (most text between tags)
/// is read eight bytes at a time, as memchr's setup costs more than that.
#[inline]
fn plain_may_escape(b: &[u8]) -> bool {
    if b.len() > 32 {
        return memchr::memchr3(b'>', 0xC2, 0xEF, b).is_some();
    }
    let word_has = |w: &[u8]| {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        let v = u64::from_le_bytes(a);
        swar::eq(v, b'>') | swar::eq(v, 0xC2) | swar::eq(v, 0xEF) != 0
    };
    if b.len() < 8 {
        return b.iter().any(|&c| matches!(c, b'>' | 0xC2 | 0xEF));
    }
    let mut words = b.chunks_exact(8);
    if words.by_ref().any(word_has) {
        return true;
    }
    // The last bytes: the last eight, which overlap words already read
    // (the answer is the same).
    !words.remainder().is_empty() && word_has(&b[b.len() - 8..])
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

    /// What escaping must give, one character at a time.
    fn escape_reference(text: &str, attr: bool) -> String {
        let mut s = String::new();
        for c in text.chars() {
            match c {
                '&' => s.push_str("&amp;"),
                '<' => s.push_str("&lt;"),
                '>' => s.push_str("&gt;"),
                '\r' => s.push_str("&#13;"),
                '\u{a0}' => s.push_str("&nbsp;"),
                '\u{feff}' => s.push_str("&#xFEFF;"),
                '"' if attr => s.push_str("&quot;"),
                c => s.push(c),
            }
        }
        s
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Text and attribute escaping, short (word at a time) and long
        /// (SIMD searches), agree with a character-by-character escape,
        /// around every lead byte that only sometimes starts an escape
        /// (0xC2 of U+00A0 and ©, 0xEF of U+FEFF, U+FFFD, U+FE00).
        #[test]
        fn escaping_agrees_with_char_by_char(
            chars in proptest::collection::vec(proptest::sample::select(vec![
                'a', 'b', '&', '<', '>', '"', '\'', '\r', '\n', '\u{a0}', '\u{feff}', '\u{a9}',
                '\u{fffd}', '\u{fe00}', '\u{e9}', '\u{1f600}',
            ]), 0..120),
            attr: bool,
        ) {
            let text: String = chars.into_iter().collect();
            let mut out = String::new();
            escape_with(&mut out, &text, attr);
            proptest::prop_assert_eq!(out, escape_reference(&text, attr));
            if !attr && !text.contains(['&', '<', '\r']) {
                let mut out = String::new();
                plain_text(&mut out, &text);
                proptest::prop_assert_eq!(out, escape_reference(&text, false));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// The word-at-a-time test agrees with a byte-by-byte one on every
        /// length around its 8- and 32-byte steps.
        #[test]
        fn plain_text_specials_are_found_as_byte_by_byte(
            b in proptest::collection::vec(proptest::sample::select(
                vec![b'a', b'x', b'y', b'>', 0xC2, 0xEF, 0xA0, 0xBB, b'<', 0x3E ^ 0x80]), 0..48),
            plain in 0usize..48,
        ) {
            // A plain prefix, so that a special byte comes late too.
            let mut b = b;
            for c in b.iter_mut().take(plain) {
                *c = b'x';
            }
            proptest::prop_assert_eq!(
                plain_may_escape(&b),
                b.iter().any(|&c| matches!(c, b'>' | 0xC2 | 0xEF))
            );
        }
    }

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
    fn plain_text_escapes_like_text() {
        for t in [
            "",
            "plain",
            "a > b",
            "\u{a0}x",
            "\u{feff}",
            "é€",
            "x\u{c2}\u{bf}",
        ] {
            let (mut a, mut b) = (String::new(), String::new());
            text(&mut a, t);
            plain_text(&mut b, t);
            assert_eq!(a, b, "{t:?}");
        }
        let input = "no markup at all";
        let mut d = Diff::new(input);
        plain_text(&mut d, input);
        assert!(matches!(d.finish(), std::borrow::Cow::Borrowed(s) if s == input));
    }

    #[test]
    fn short_and_long_strings_escape_alike() {
        let pieces = [
            "a",
            "&",
            "<",
            ">",
            "\"",
            "\r",
            "\u{a0}",
            "\u{feff}",
            "é",
            "\u{c2}",
            "\u{ef}",
            "€",
            " ",
            "plain text",
            "12345678",
        ];
        let mut x: u64 = 7;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(x % 40) {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            }
            for level in [1u8, 2] {
                let mut short = String::new();
                escape_short(&mut short, &s, level);
                // Padding past SHORT takes the SIMD path.
                let long = format!("{s}{}", "z".repeat(SHORT + 1));
                let mut simd = String::new();
                escape_with(&mut simd, &long, level == 2);
                assert_eq!(format!("{short}{}", "z".repeat(SHORT + 1)), simd, "{s:?}");
            }
        }
    }

    #[test]
    fn diff_borrows_only_equal_output() {
        fn run<'a>(input: &'a str, pieces: &[&str]) -> std::borrow::Cow<'a, str> {
            let mut d = Diff::new(input);
            for p in pieces {
                d.push(p);
            }
            d.finish()
        }
        assert!(matches!(
            run("abc", &["a", "bc"]),
            std::borrow::Cow::Borrowed("abc")
        ));
        assert_eq!(run("abc", &["a", "x"]), "ax");
        assert_eq!(run("abc", &["ab"]), "ab");
        assert_eq!(run("abc", &["abc", "d"]), "abcd");
        assert_eq!(run("é", &["é", ""]), "é");
        assert_eq!(run("", &[]), "");
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
