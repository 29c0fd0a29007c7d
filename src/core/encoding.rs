//! Text encodings: work out what a file was saved as and decode it to UTF-8.
//!
//! Chinese Excel on Windows writes GBK (a subset of GB18030) unless told otherwise; other tools write
//! UTF-8 with or without a byte-order mark, or UTF-16 with one. The order of the checks matters: a BOM
//! is proof, valid UTF-8 is near-proof (GBK text is almost never valid UTF-8), and only then do we ask
//! `chardetng` (Firefox's detector) to guess among the legacy encodings.

use encoding_rs::{Encoding, GBK, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

/// How many bytes the statistical detector looks at; enough for thousands of rows.
const GUESS_WINDOW: usize = 1 << 20;

/// What [`detect`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    /// The file starts with a byte-order mark for `encoding`.
    pub bom: bool,
}

/// Detects the encoding of `bytes`.
pub fn detect(bytes: &[u8]) -> Detected {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return Detected { encoding, bom: true };
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return Detected { encoding, bom: false };
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Detected { encoding: UTF_8, bom: false };
    }
    let window = &bytes[..bytes.len().min(GUESS_WINDOW)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(window, window.len() == bytes.len());
    Detected { encoding: detector.guess(None, chardetng::Utf8Detection::Allow), bom: false }
}

/// UTF-16 text of mostly ASCII characters has a zero in every other byte; a file saved without a BOM
/// is recognised by that pattern.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let window = &bytes[..bytes.len().min(4096) & !1];
    let pairs = window.len() / 2;
    if pairs < 4 {
        return None;
    }
    let even = window.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = window.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 > pairs * 3 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 > pairs * 3 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decoded text and whether any byte sequence was invalid (and replaced with U+FFFD).
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub had_errors: bool,
}

/// Decodes `bytes` as `encoding`, dropping a BOM of that encoding. Valid UTF-8 is borrowed, not copied.
pub fn decode<'a>(bytes: &'a [u8], encoding: &'static Encoding) -> Decoded<'a> {
    let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
    Decoded { text, had_errors }
}

/// The name users know an encoding by.
pub fn label(encoding: &'static Encoding) -> &'static str {
    encoding.name()
}

/// Looks up an encoding by any WHATWG label (`utf-8`, `gbk`, `gb18030`, `utf-16le`, `big5`, …).
pub fn from_label(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    if label.eq_ignore_ascii_case("gb2312") || label.eq_ignore_ascii_case("cp936") {
        return Some(GBK);
    }
    if label.eq_ignore_ascii_case("utf-16") {
        return Some(UTF_16LE);
    }
    Encoding::for_label(label.as_bytes())
}

/// Encodings offered in the app's override menu, most likely first.
pub const CHOICES: &[&str] = &["UTF-8", "GBK", "gb18030", "UTF-16LE", "UTF-16BE", "Big5", "Shift_JIS", "EUC-KR", "windows-1252"];

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::GB18030;

    #[test]
    fn a_utf8_bom_is_detected_and_removed() {
        let bytes = b"\xEF\xBB\xBFid,amount\n1,2\n";
        let d = detect(bytes);
        assert_eq!(d, Detected { encoding: UTF_8, bom: true });
        assert_eq!(decode(bytes, d.encoding).text, "id,amount\n1,2\n");
    }

    #[test]
    fn plain_utf8_chinese_is_utf8_and_borrowed() {
        let text = "客户ID,金额\n00042,12.5\n";
        let d = detect(text.as_bytes());
        assert_eq!(d.encoding, UTF_8);
        assert!(matches!(decode(text.as_bytes(), UTF_8).text, Cow::Borrowed(_)));
    }

    #[test]
    fn gbk_from_chinese_excel_is_detected() {
        let text = "客户ID,下单时间,实付金额,渠道\n00042,2024年3月5日,￥1299.00,线上商城\n00043,2024年3月6日,￥99,零售门店\n";
        let (bytes, _, _) = GBK.encode(text);
        let d = detect(&bytes);
        assert!(d.encoding == GBK || d.encoding == GB18030, "got {}", d.encoding.name());
        assert_eq!(decode(&bytes, d.encoding).text, text);
    }

    #[test]
    fn utf16_with_either_bom_is_detected() {
        let le = b"\xFF\xFEi\0d\0\n\0";
        let be = b"\xFE\xFF\0i\0d\0\n";
        assert_eq!(detect(le), Detected { encoding: UTF_16LE, bom: true });
        assert_eq!(detect(be), Detected { encoding: UTF_16BE, bom: true });
        assert_eq!(decode(le, UTF_16LE).text, "id\n");
        assert_eq!(decode(be, UTF_16BE).text, "id\n");
    }

    #[test]
    fn utf16le_without_bom_is_recognised_by_its_zero_bytes() {
        let bytes: Vec<u8> = "customer,amount\n1,2\n".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(detect(&bytes).encoding, UTF_16LE);
    }

    #[test]
    fn labels_users_type_are_understood() {
        assert_eq!(from_label("gbk"), Some(GBK));
        assert_eq!(from_label("GB2312"), Some(GBK));
        assert_eq!(from_label(" utf-8 "), Some(UTF_8));
        assert_eq!(from_label("no-such-encoding"), None);
    }
}
