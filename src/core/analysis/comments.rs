//! Survey comments per NPS category, with their most frequent terms.
//!
//! # Terms
//! No word segmenter: Chinese text is cut into runs of Han characters and every substring of 2 to 6
//! characters is a candidate term; other text is cut into lower-cased words, and runs of 1 to 3
//! words that start and end on a word of 3+ letters that is not a stop word are candidates. A term
//! counts once per comment (how many comments mention it). Chinese candidates holding a function
//! character (的, 了, 很, …) are dropped, and so is any term explained by a longer term containing
//! it (the longer term appears in at least 80% of the comments the shorter one does), so that
//! 客服回复慢 is listed once rather than as 客服, 回复, 客服回, 服回复, …. Terms need 2+ comments.

use crate::core::dataset::{Dataset, MISSING};
use crate::core::values::format_day;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
// foldhash (hashbrown's default): tens of thousands of comments cut into millions of candidates.
use hashbrown::HashMap;

/// Comments sent to the app for reading; the terms and counts cover all of them.
pub const MAX_SHOWN: usize = 1_000;
/// Terms listed per category.
pub const TOP_TERMS: usize = 12;

/// Han characters that make a candidate term a fragment of grammar rather than a topic.
const FUNCTION_CHARS: &str = "的了是我你他她它们很也都就在和与及还这那个吧吗呢啊哦呀着过被把让给对就得地有用买";
const STOP_WORDS: &[&str] = &[
    "the", "and", "for", "was", "are", "but", "with", "this", "that", "have", "has", "you", "they", "its", "too", "all", "our",
    "out", "very", "just", "one", "from", "had", "were", "been", "would", "could", "than", "then", "there", "their", "what",
    "when", "your", "about", "into", "more", "some", "will", "can", "get", "got", "also", "really",
];

/// One comment, for reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub score: u8,
    pub text: String,
    pub customer: Option<String>,
    pub date: Option<String>,
    pub channel: Option<String>,
}

/// A frequent term and how many comments contain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub term: String,
    pub comments: usize,
}

/// Comments by category: promoters, passives, detractors (index 0, 1, 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Comments {
    /// Answers with a comment.
    pub total: usize,
    pub by_category: [usize; 3],
    pub terms: [Vec<Term>; 3],
    /// The latest [`MAX_SHOWN`] comments (by date, then row), newest first.
    pub shown: Vec<Comment>,
}

/// The category index of a score: 0 promoter, 1 passive, 2 detractor.
pub fn category(score: u8) -> usize {
    match score {
        9..=10 => 0,
        7..=8 => 1,
        _ => 2,
    }
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Longest Chinese term, in characters, and longest English term, in words.
const MAX_HAN: usize = 6;
const MAX_WORDS: usize = 3;

fn is_content_word(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !STOP_WORDS.contains(&w)
}

/// Working lists of [`candidates`], reused from one comment to the next.
#[derive(Default)]
struct Scratch {
    chars: Vec<(usize, char)>,
    grammar: Vec<bool>,
    words: Vec<String>,
}

/// The candidate terms of one comment, added to `out` (a term may be added more than once).
/// Chinese terms are slices of the comment itself (no allocation for each of the many windows);
/// English phrases are lower-cased, so owned.
fn candidates<'t>(text: &'t str, scratch: &mut Scratch, out: &mut Vec<Cow<'t, str>>) {
    let Scratch { chars, grammar, words } = scratch;
    // Each character with where it starts in `text`, and the end of the text after the last.
    chars.clear();
    chars.extend(text.char_indices());
    let at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    words.clear();
    // English phrases: 1–3 words in a row, starting and ending on a content word.
    let flush = |words: &mut Vec<String>, out: &mut Vec<Cow<'t, str>>| {
        for n in 1..=MAX_WORDS {
            for w in words.windows(n) {
                if is_content_word(&w[0]) && is_content_word(&w[n - 1]) {
                    out.push(Cow::Owned(w.join(" ")));
                }
            }
        }
        words.clear();
    };
    let mut i = 0;
    while i < chars.len() {
        if is_han(chars[i].1) {
            flush(words, out);
            let start = i;
            while i < chars.len() && is_han(chars[i].1) {
                i += 1;
            }
            grammar.clear();
            grammar.extend(chars[start..i].iter().map(|&(_, c)| FUNCTION_CHARS.contains(c)));
            for n in 2..=MAX_HAN {
                for k in 0..grammar.len().saturating_sub(n - 1) {
                    if !grammar[k..k + n].contains(&true) {
                        out.push(Cow::Borrowed(&text[at(start + k)..at(start + k + n)]));
                    }
                }
            }
        } else if chars[i].1.is_alphanumeric() {
            let start = i;
            while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '\'') && !is_han(chars[i].1) {
                i += 1;
            }
            words.push(text[at(start)..at(i)].to_lowercase());
        } else {
            // Spaces join words into phrases; punctuation ends a phrase.
            if !chars[i].1.is_whitespace() {
                flush(words, out);
            }
            i += 1;
        }
    }
    flush(words, out);
}

/// The shorter terms inside a term: Chinese substrings of 2+ characters, English sub-phrases.
fn parts(term: &str) -> Vec<String> {
    if term.chars().all(is_han) {
        let c: Vec<char> = term.chars().collect();
        (2..c.len()).flat_map(|n| c.windows(n).map(|w| w.iter().collect()).collect::<Vec<String>>()).collect()
    } else {
        let w: Vec<&str> = term.split(' ').collect();
        (1..w.len()).flat_map(|n| w.windows(n).map(|x| x.join(" ")).collect::<Vec<String>>()).collect()
    }
}

/// The most frequent terms of `texts` (see the module rules), most frequent first, then by term.
pub fn terms<'t>(texts: impl IntoIterator<Item = &'t str>, top: usize) -> Vec<Term> {
    // Identical comments (默认好评, 不错, …) are cut into candidates once, counted as often as
    // they were written.
    let mut same: HashMap<&'t str, usize> = HashMap::new();
    for text in texts {
        *same.entry(text).or_default() += 1;
    }
    let mut counts: HashMap<Cow<'t, str>, usize> = HashMap::new();
    let (mut scratch, mut found) = (Scratch::default(), Vec::new());
    for (text, times) in same {
        found.clear();
        candidates(text, &mut scratch, &mut found);
        // A term counts once per comment.
        found.sort_unstable();
        found.dedup();
        for term in found.drain(..) {
            *counts.entry(term).or_default() += times;
        }
    }
    most_frequent(counts.into_iter(), top)
}

/// The `top` terms of (term, comments) counts, most frequent first, then by term: those in 2+
/// comments, less terms explained by a longer one (see the module rules).
fn most_frequent<'t>(counts: impl Iterator<Item = (Cow<'t, str>, usize)>, top: usize) -> Vec<Term> {
    let counts: HashMap<Cow<'t, str>, usize> = counts.filter(|&(_, n)| n >= 2).collect();
    // How often the most frequent longer term containing each term occurs.
    let mut longer: HashMap<String, usize> = HashMap::new();
    for (term, &n) in &counts {
        for part in parts(term) {
            let best = longer.entry(part).or_default();
            *best = (*best).max(n);
        }
    }
    let explained = |t: &str, n: usize| longer.get(t).is_some_and(|&m| m * 5 >= n * 4);
    let mut kept: Vec<Term> = counts
        .iter()
        .filter(|&(t, &n)| !explained(t, n) && (t.chars().count() >= 2))
        .map(|(t, &n)| Term { term: t.to_string(), comments: n })
        .collect();
    kept.sort_by(|a, b| b.comments.cmp(&a.comments).then_with(|| a.term.cmp(&b.term)));
    kept.truncate(top);
    kept
}

/// The comments of the answered `rows` of a dataset.
pub fn summarise(ds: &Dataset, rows: &[usize]) -> Comments {
    let (Some(list), Some(scores)) = (&ds.comments, &ds.score) else { return Comments::default() };
    let mut answered = vec![false; ds.rows()];
    for &r in rows {
        if let Some(a) = answered.get_mut(r) {
            *a = true;
        }
    }
    let mut picked: Vec<(usize, &str)> =
        list.iter().map(|(r, t)| (*r as usize, t.as_str())).filter(|&(r, _)| answered.get(r).copied().unwrap_or(false)).collect();
    let mut out = Comments { total: picked.len(), ..Comments::default() };
    let mut texts: [Vec<&str>; 3] = Default::default();
    for &(r, t) in &picked {
        let c = category(scores[r]);
        out.by_category[c] += 1;
        texts[c].push(t);
    }
    for (c, t) in texts.into_iter().enumerate() {
        out.terms[c] = terms(t, TOP_TERMS);
    }
    let day = |r: usize| ds.day.as_ref().map_or(0, |d| d[r]);
    // Latest first; on one day by customer, then text, so that the list never depends on the order
    // of the rows.
    picked
        .sort_by(|&(r, t), &(q, u)| day(q).cmp(&day(r)).then(ds.customer[r].cmp(&ds.customer[q])).then(t.cmp(u)).then(r.cmp(&q)));
    let label = |c: &Option<crate::core::dataset::Categorical>, r: usize| {
        c.as_ref().and_then(|c| (c.codes[r] != MISSING).then(|| c.labels.name(c.codes[r]).map(str::to_string)).flatten())
    };
    out.shown = picked
        .into_iter()
        .take(MAX_SHOWN)
        .map(|(r, t)| Comment {
            score: scores[r],
            text: t.to_string(),
            customer: ds.customers.name(ds.customer[r]).map(str::to_string),
            date: ds.day.as_ref().map(|d| format_day(d[r])),
            channel: label(&ds.channel, r),
        })
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`terms`]' counting the simple way, the reference for the fast path: each comment's
    /// candidates in a set of their own, every comment cut on its own, counted in std's maps.
    fn terms_simple<'t>(texts: impl IntoIterator<Item = &'t str>, top: usize) -> Vec<Term> {
        let mut counts: std::collections::HashMap<Cow<'t, str>, usize> = std::collections::HashMap::new();
        for text in texts {
            let mut found = Vec::new();
            candidates(text, &mut Scratch::default(), &mut found);
            for term in found.into_iter().collect::<std::collections::HashSet<_>>() {
                *counts.entry(term).or_default() += 1;
            }
        }
        most_frequent(counts.into_iter(), top)
    }

    proptest::proptest! {
        /// The fast path (identical comments cut once, candidates deduplicated by sorting, foldhash)
        /// lists the same terms as the simple way, on comments drawn from a few Han characters
        /// (function characters among them), English words and punctuation, with repeats.
        #[test]
        fn terms_match_the_simple_way(
            texts in proptest::collection::vec("([物流很快慢的客服好差价比]{1,8}|[ ,，!]|(battery|life|the|short|Good|phone|ok)){0,6}", 0..40),
            repeats in proptest::collection::vec(0usize..40, 0..20),
            top in 1usize..20,
        ) {
            let mut all: Vec<&str> = texts.iter().map(String::as_str).collect();
            all.extend(repeats.iter().filter_map(|&k| texts.get(k).map(String::as_str)));
            proptest::prop_assert_eq!(terms(all.iter().copied(), top), terms_simple(all.iter().copied(), top));
        }
    }

    fn names(t: &[Term]) -> Vec<(&str, usize)> {
        t.iter().map(|t| (t.term.as_str(), t.comments)).collect()
    }

    #[test]
    fn chinese_terms_are_frequent_two_and_three_character_strings() {
        let texts = ["物流很快，性价比高", "性价比不错", "物流慢，性价比一般", "物流快"];
        let t = terms(texts, 5);
        // 性价比 is in 3 comments; its pieces 性价 and 价比 are explained by it and dropped. 物流 is
        // in 3; 物流快 only in 1 (物流很快 is cut at 很), so 物流 stays.
        assert_eq!(names(&t), vec![("性价比", 3), ("物流", 3)]);
    }

    #[test]
    fn a_phrase_longer_than_three_characters_is_listed_once_not_in_pieces() {
        let texts = ["客服回复慢", "包装破损，客服回复慢", "客服回复慢！", "客服很好"];
        // 客服 is also in 客服很好, so it is not only part of the phrase and stays.
        assert_eq!(names(&terms(texts, 5)), vec![("客服", 4), ("客服回复慢", 3)]);
    }

    #[test]
    fn a_term_counts_once_per_comment_and_english_words_are_folded() {
        let texts = ["Battery battery BATTERY", "battery life is short", "Short battery life", "the the the"];
        let t = terms(texts, 10);
        // "life" always comes as "battery life", so the phrase stands for it.
        assert_eq!(names(&t), vec![("battery", 3), ("battery life", 2), ("short", 2)]);
    }

    #[test]
    fn comments_are_split_by_category_and_newest_first() {
        use crate::core::ingest::{ingest, IngestOptions};
        let text = "日期,评分,评论\n2024-01-01,10,发货快 包装好\n2024-01-03,9,发货快\n2024-01-02,3,售后太差\n2024-01-04,7,\n";
        let ds = ingest(text.as_bytes(), "s.csv", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset;
        let rows: Vec<usize> = (0..ds.rows()).collect();
        let c = summarise(&ds, &rows);
        assert_eq!((c.total, c.by_category), (3, [2, 0, 1]));
        assert_eq!(names(&c.terms[0]), vec![("发货快", 2)]);
        assert_eq!(
            c.shown.iter().map(|c| c.date.as_deref().unwrap_or("")).collect::<Vec<_>>(),
            ["2024-01-03", "2024-01-02", "2024-01-01"]
        );
        assert_eq!(c.shown[0].customer, None, "the survey has no customer id");
    }
}
