//! What kind of file the bytes are, before anything is parsed: a workbook, a document, an image
//! or an archive; text with stray NULs or binary bytes.

use super::*;

/// The first bytes of a zip archive (an .xlsx workbook) and of an OLE compound file (an .xls one).
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
pub(super) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Recognises files that are certainly not tables, by their first bytes.
pub(super) fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"Rar!", "a RAR archive"),
    ];
    for &(magic, kind) in MAGIC {
        if bytes.starts_with(magic) {
            return Some(kind);
        }
    }
    None
}

/// Text without NUL characters, when it has a few (under 10% of the first 8,192 characters) and
/// no other control characters; `None` when there is nothing to strip or it looks like binary data.
pub(super) fn strip_stray_nuls(text: &str) -> Option<String> {
    if !text.contains('\0') {
        return None;
    }
    let window: Vec<char> = text.chars().take(8192).collect();
    let nul = window.iter().filter(|&&c| c == '\0').count();
    let other = window.iter().filter(|&&c| c != '\0' && (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')).count();
    (nul * 10 < window.len() && other * 100 <= window.len()).then(|| text.replace('\0', ""))
}

/// Text files that are plainly not tables: a web page saved as .csv (often a login page downloaded
/// instead of the export), or JSON.
pub(super) fn text_kind(text: &str) -> Option<&'static str> {
    let start = text.trim_start_matches(is_blank);
    let head: String = start.chars().take(16).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Some("an HTML web page");
    }
    let end = text.trim_end();
    if (start.starts_with('{') && end.ends_with('}'))
        || (start.starts_with('[') && end.ends_with(']') && start[1..].trim_start().starts_with(['{', '[', '"']))
    {
        return Some("a JSON document");
    }
    None
}

/// Text with many NUL or control characters is binary data, whatever its name says.
pub(super) fn looks_binary(text: &str) -> bool {
    let window: Vec<char> = text.chars().take(8192).collect();
    if window.is_empty() {
        return false;
    }
    let control = window.iter().filter(|&&c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')).count();
    control * 100 > window.len()
}
