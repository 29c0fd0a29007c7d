//! Exported files: CSV in UTF-8 with a byte-order mark (so Excel shows Chinese) or GBK for older
//! Excel on Chinese Windows, and XLSX workbooks. The last stage of the core: it writes what the
//! stages before it computed (customer lists, CLV predictions, rejected rows) and nothing imports it.

pub mod csv;
pub mod facts;
pub mod facts_sql;
pub mod tables;
pub mod xlsx;

pub use self::csv::{guard_csv, neutralise};
pub use self::facts::{facts_csv, write_spilled_facts};
pub use self::tables::{
    action_csv, action_xlsx, clv_csv, customers_csv, customers_xlsx, follow_up_csv, follow_up_xlsx, member_csv, member_xlsx,
    rejections_csv, winback_csv, winback_xlsx,
};
pub use self::xlsx::{xlsx, Cell};

use serde::{Deserialize, Serialize};

/// The encoding of an exported CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExportEncoding {
    #[default]
    Utf8Bom,
    Gbk,
}

/// What a list is exported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    #[default]
    CsvUtf8,
    CsvGbk,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::CsvUtf8 | Self::CsvGbk => "csv",
            Self::Xlsx => "xlsx",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Self::CsvUtf8 | Self::CsvGbk => "text/csv",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// Encodes CSV text for download. GBK cannot write every character (emoji, for one): those become
/// HTML-style numeric references such as `&#128512;`, as the WHATWG encoder specifies; `lossy` says
/// whether that happened.
pub fn encode(text: &str, encoding: ExportEncoding) -> (Vec<u8>, bool) {
    match encoding {
        ExportEncoding::Utf8Bom => {
            let mut out = Vec::with_capacity(text.len() + 3);
            out.extend_from_slice(b"\xEF\xBB\xBF");
            out.extend_from_slice(text.as_bytes());
            (out, false)
        }
        ExportEncoding::Gbk => {
            let (bytes, _, lossy) = encoding_rs::GBK.encode(text);
            (bytes.into_owned(), lossy)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gets_a_bom_and_gbk_round_trips_chinese() {
        let text = "customer_id,segment\n00042,重要价值客户\n";
        let (utf8, lossy) = encode(text, ExportEncoding::Utf8Bom);
        assert!(!lossy);
        assert_eq!(&utf8[..3], b"\xEF\xBB\xBF");
        let (gbk, lossy) = encode(text, ExportEncoding::Gbk);
        assert!(!lossy);
        assert_eq!(encoding_rs::GBK.decode(&gbk).0, text);
        assert!(gbk.len() < utf8.len(), "two bytes per Chinese character instead of three");
        assert!(encode("😀", ExportEncoding::Gbk).1);
    }
}
