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
    detect_and_check(bytes).0
}

/// Detects the encoding of `bytes`, and when they are UTF-8 without a BOM, returns them as text:
/// checked once, for a file of any size.
pub fn detect_and_check(bytes: &[u8]) -> (Detected, Option<&str>) {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return (Detected { encoding, bom: true }, None);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (Detected { encoding, bom: false }, None);
    }
    // With SIMD: a whole file, mostly multi-byte characters in a Chinese export.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return (Detected { encoding: UTF_8, bom: false }, Some(text));
    }
    (Detected { encoding: guess_legacy(bytes), bom: false }, None)
}

/// How many bytes of lines with non-ASCII bytes, after the first [`GUESS_WINDOW`], the detector
/// is also fed.
const GUESS_MORE: usize = 4 << 20;

/// The legacy encoding of text that is not UTF-8, guessed by `chardetng` from the first
/// [`GUESS_WINDOW`] bytes and the lines after them that have non-ASCII bytes in them: a file whose
/// head is plain ASCII (a UCI invoice file, with `£` in a description far down) is judged by the
/// lines that can tell. A handful of distinct non-ASCII bytes cannot tell the Latin code pages
/// apart (`£` is `Ł` in windows-1250): windows-1252, what Western Windows and Excel write, is
/// taken then.
fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    let window = &bytes[..bytes.len().min(GUESS_WINDOW)];
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let rest = &bytes[window.len()..];
    detector.feed(window, false);
    let mut fed = 0;
    for line in rest.split(|&b| b == b'\n').filter(|l| !l.is_ascii()) {
        if fed + line.len() > GUESS_MORE {
            break;
        }
        detector.feed(line, false);
        detector.feed(b"\n", false);
        fed += line.len() + 1;
    }
    detector.feed(b"", true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
    // Chinese, Japanese and Korean text has runs of bytes over 0x7F (a character is two of them
    // or more); a file whose every such byte stands alone between ASCII ones is Latin text with a
    // stray `£` or `é`, whatever a few bytes made the detector guess (one `£` made it say Big5).
    let cjk = ["GBK", "gb18030", "Big5", "Shift_JIS", "EUC-JP", "EUC-KR"];
    if cjk.contains(&guess.name()) && !bytes.windows(2).any(|w| !w[0].is_ascii() && !w[1].is_ascii()) {
        return encoding_rs::WINDOWS_1252;
    }
    let latin = ["windows-1250", "windows-1254", "windows-1257", "ISO-8859-2", "ISO-8859-4", "ISO-8859-13", "ISO-8859-15"];
    if latin.contains(&guess.name()) {
        let mut seen = [false; 128];
        for &b in bytes.iter().filter(|b| !b.is_ascii()) {
            seen[usize::from(b - 128)] = true;
        }
        if seen.iter().filter(|&&s| s).count() <= 8 {
            return encoding_rs::WINDOWS_1252;
        }
    }
    guess
}

/// UTF-16 text of mostly ASCII characters has a zero in every other byte; a file saved without a BOM
/// is recognised by that pattern.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
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

/// How [`decode_mixed`] read a file that is not valid UTF-8 as a whole.
#[derive(Debug)]
pub struct Mixed {
    pub decoded: Decoded<'static>,
    /// Lines read in the legacy encoding; 0 means the file is UTF-8 with a few broken lines.
    pub legacy_lines: usize,
}

/// A file glued together from exports in two encodings (lines that are valid UTF-8 with Chinese,
/// Japanese or Korean text in them, beside lines that are not UTF-8 at all), or a UTF-8 file with a
/// few broken byte sequences. Each line is decoded as what it is: UTF-8, `legacy` (the encoding
/// guessed for the file), or, for a line that is neither but reads as UTF-8 with CJK text around
/// the damage, UTF-8 with U+FFFD for the broken bytes. `None` when the file has no valid UTF-8
/// line with at least two CJK characters: legacy CJK text is almost never valid UTF-8 over a whole
/// line, so a pure GBK file is never taken for a mixture.
pub fn decode_mixed(bytes: &[u8], legacy: &'static Encoding) -> Option<Mixed> {
    if legacy == UTF_8 || legacy == UTF_16LE || legacy == UTF_16BE {
        return None;
    }
    let cjk = |t: &str| t.chars().filter(|&c| matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)).count();
    let any_utf8_cjk = bytes.split(|&b| b == b'\n').any(|line| std::str::from_utf8(line).is_ok_and(|t| cjk(t) >= 2));
    if !any_utf8_cjk {
        return None;
    }
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let (mut had_errors, mut legacy_lines) = (false, 0);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        if let Ok(t) = std::str::from_utf8(line) {
            text.push_str(t);
            continue;
        }
        let lossy = String::from_utf8_lossy(line);
        let (as_legacy, _, legacy_errors) = legacy.decode(line);
        if legacy_errors || cjk(&lossy) >= 2 {
            had_errors = true;
            text.push_str(&lossy);
        } else {
            legacy_lines += 1;
            text.push_str(&as_legacy);
        }
    }
    (legacy_lines > 0 || had_errors).then_some(Mixed { decoded: Decoded { text: Cow::Owned(text), had_errors }, legacy_lines })
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

    #[test]
    fn a_stray_latin_byte_is_windows_1252_and_chinese_stays_gbk() {
        // One pound sign in an otherwise ASCII file: chardetng alone says Big5 for this one.
        let mut bytes = b"abc,def\n123,456\n".repeat(1000);
        bytes.extend_from_slice(b"x\xA3y\n");
        let mut alone = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        alone.feed(&bytes, true);
        assert_eq!(alone.guess(None, chardetng::Utf8Detection::Allow).name(), "Big5");
        let (detected, _) = detect_and_check(&bytes);
        assert_eq!(detected.encoding, encoding_rs::WINDOWS_1252);
        assert!(decode(&bytes, detected.encoding).text.contains("x£y"));
        // GBK text, even a little of it, stays GBK.
        let (gbk, _, _) = GBK.encode("客户,日期,金额\n张三,2024-01-01,5\n");
        assert_eq!(detect_and_check(&gbk).0.encoding, GBK);
    }

    #[test]
    fn a_latin1_file_whose_accents_come_after_the_first_megabyte_is_windows_1252() {
        // Two megabytes of ASCII invoice lines, then a few with £ and È (Latin-1 bytes A3, C8).
        let mut bytes = Vec::new();
        while bytes.len() < 2 << 20 {
            bytes.extend_from_slice(
                b"536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850,United Kingdom\n",
            );
        }
        bytes.extend_from_slice(b"536370,POST,POSTAGE \xA3 CHARGE,3,12/1/2010 8:45,18,12583,France\n");
        bytes.extend_from_slice(b"536371,22728,ALARM CLOCK BAKELIKE CR\xC8ME,24,12/1/2010 8:45,3.75,12583,France\n");
        let (detected, text) = detect_and_check(&bytes);
        assert!(text.is_none());
        assert_eq!(detected.encoding, encoding_rs::WINDOWS_1252);
        let decoded = decode(&bytes, detected.encoding);
        assert!(!decoded.had_errors && decoded.text.contains("POSTAGE £ CHARGE") && decoded.text.contains("CRÈME"));
    }

    #[test]
    fn a_file_mixing_utf8_and_gbk_lines_is_decoded_line_by_line() {
        let mut bytes = "id,channel\nc1,线上商城\n".as_bytes().to_vec();
        bytes.extend_from_slice(&GBK.encode("c2,线下门店\n").0);
        bytes.extend_from_slice("c3,线上商城".as_bytes());
        let m = decode_mixed(&bytes, GBK).unwrap();
        assert_eq!(m.decoded.text, "id,channel\nc1,线上商城\nc2,线下门店\nc3,线上商城");
        assert_eq!((m.legacy_lines, m.decoded.had_errors), (1, false));
        // A UTF-8 file with a broken sequence (a character cut in half) stays UTF-8, flagged.
        let mut broken = "id,channel\nc1,线上商城\nc2,线下门".as_bytes().to_vec();
        broken.extend_from_slice(&"店".as_bytes()[..2]);
        broken.extend_from_slice(",x\n".as_bytes());
        let m = decode_mixed(&broken, GBK).unwrap();
        assert_eq!(m.decoded.text, "id,channel\nc1,线上商城\nc2,线下门\u{fffd},x\n");
        assert_eq!((m.legacy_lines, m.decoded.had_errors), (0, true));
        // Pure GBK, and pure UTF-8, are not mixtures.
        assert!(decode_mixed(&GBK.encode("id,channel\nc1,线上商城\nc2,线下门店\n").0, GBK).is_none());
        assert!(decode_mixed("id,channel\nc1,线上商城\n".as_bytes(), GBK).is_none());
    }
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
