//! Byte tests eight at a time on a `u64` ("SWAR"), for the short runs the
//! fast parser and the serializer search (text between tags), where
//! memchr's setup costs more than the search.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit set in each byte of `v` (eight bytes read little-endian,
/// so byte `k` of the input is byte `k` of `v`) equal to `c`: exact up to the
/// first such byte (the borrow can only mark bytes above a match), so the
/// result is nonzero exactly when some byte equals `c`, and its
/// `trailing_zeros() / 8` is the first one.
#[inline]
pub(crate) fn eq(v: u64, c: u8) -> u64 {
    let d = v ^ (LO * u64::from(c));
    d.wrapping_sub(LO) & !d & HI
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// `eq` finds whether a byte is there and where the first one is,
        /// whatever the other bytes (borrows from zero and 0x80 bytes).
        #[test]
        fn eq_finds_the_first_equal_byte(
            w in proptest::collection::vec(proptest::sample::select(
                vec![0u8, 1, 0x7F, 0x80, 0x81, 0xFF, b'<', b'<' + 1, b'<' - 1]), 8),
            c in proptest::sample::select(vec![0u8, 1, 0x80, 0xFF, b'<']),
        ) {
            let m = eq(u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]), c);
            let first = w.iter().position(|&b| b == c);
            proptest::prop_assert_eq!(m != 0, first.is_some());
            if let Some(k) = first {
                proptest::prop_assert_eq!((m.trailing_zeros() / 8) as usize, k);
            }
        }
    }
}
