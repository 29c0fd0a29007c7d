//! Number formatting for display: thousands separators, money with two decimals, file sizes.

/// `23570` → `23,570`.
pub fn int(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2500315.634` → `2,500,315.63`, negative values with a minus sign.
pub fn money(v: f64) -> String {
    let cents = (v.abs() * 100.0).round() as u64;
    let sign = if v < 0.0 && cents > 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", int(cents / 100), cents % 100)
}

/// Money where a card has little room: `¥1.71 亿` in Chinese, `¥170.9 M` in English from a million
/// up ([`crate::core::report::compact`]); below that as [`money`].
pub fn money_compact(v: f64, currency: Option<&str>, lang: crate::ui::i18n::Lang) -> String {
    use crate::core::report::compact::{compact, Grouping, Unit};
    let grouping = if lang == crate::ui::i18n::Lang::Zh { Grouping::Chinese } else { Grouping::Western };
    let symbol = currency_symbol(currency);
    match compact(v, grouping) {
        (_, Unit::One) => format!("{symbol}{}", money(v)),
        (x, unit) => {
            let word = match unit {
                Unit::Wan => "万",
                Unit::Yi => "亿",
                Unit::Million => "M",
                Unit::Billion => "B",
                Unit::One => "",
            };
            let digits = if x.abs() >= 100.0 { 1 } else { 2 };
            format!("{symbol}{x:.digits$} {word}")
        }
    }
}

/// Money to the cent with its currency's symbol (`¥170,928,040.00`): what a compact figure stands for.
pub fn money_exact(v: f64, currency: Option<&str>) -> String {
    format!("{}{}", currency_symbol(currency), money(v))
}

/// The symbol for an ISO currency code (none for others).
pub fn currency_symbol(code: Option<&str>) -> &'static str {
    match code {
        Some("CNY") => "¥",
        Some("USD") => "$",
        Some("EUR") => "€",
        Some("GBP") => "£",
        Some("HKD") => "HK$",
        Some("JPY") => "JP¥",
        Some("AUD") => "A$",
        Some("CAD") => "C$",
        Some("SGD") => "S$",
        Some("TWD") => "NT$",
        _ => "",
    }
}

/// `13601999` → `13.6 MB`.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} KB", n as f64 / 1e3),
        n => format!("{n} B"),
    }
}

/// One decimal, without a "-0.0" for values that round to zero.
pub fn one_decimal(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{:.1}", if r == 0.0 { 0.0 } else { r })
}
