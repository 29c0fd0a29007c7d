//! Interned labels: customer ids and the text columns (channel, category, member level) as `u32`
//! codes, each distinct text once.

use super::MISSING;
use std::hash::BuildHasher;

/// Interned labels: each distinct text gets a code, in order of first appearance.
///
/// Built for a million distinct customer ids: the texts live end to end in one buffer, and the
/// index holds only codes with a tag of their text (hashed with foldhash), so interning allocates
/// nothing per label. (Order ids, mostly distinct, are fingerprinted instead: [`OrderIds`](super::OrderIds).)
#[derive(Clone, Default)]
pub struct Labels {
    /// Every label's text, end to end.
    text: String,
    /// Where each label ends in `text`; label `i` starts where label `i - 1` ends.
    ends: Vec<usize>,
    /// Codes with a tag of their text (kept, so that growing the table never rehashes text).
    index: Index,
    hasher: hashbrown::DefaultHashBuilder,
}

/// An open-addressing table of (tag, code) pairs, 8 bytes each, probed linearly.
///
/// Interning a million ids is bound by cache misses, not by arithmetic: each new id lands
/// somewhere random in a table of megabytes. Here the pair is the slot, so finding
/// a place (or the code) costs one miss; a swiss table reads its control bytes and then, elsewhere,
/// the bucket: two. At most three quarters full.
#[derive(Clone, Default)]
struct Index {
    /// `tag << 32 | code`, or [`EMPTY`]; a power of two long (or empty).
    slots: Vec<u64>,
    len: usize,
}

/// Texts waiting to be interned together ([`Labels::hold`], [`Labels::intern_held`]).
///
/// Interning a row's customer id costs a cache miss (the table probe), and the rest of a row's
/// work is too long for the processor to reach the next row's probe while one is outstanding.
/// Interned a batch at a time, the probes' first slots are loaded one after another first, so
/// that their misses overlap.
#[derive(Debug, Clone, Default)]
pub struct Held {
    /// Where each code goes, and the text's tag.
    waiting: Vec<(u32, u32)>,
    text: String,
    ends: Vec<usize>,
}

impl Held {
    /// How many texts a batch holds.
    pub const BATCH: usize = 64;

    pub fn len(&self) -> usize {
        self.waiting.len()
    }
    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }
}

/// A free slot: no label has the code `u32::MAX` ([`MISSING`]).
const EMPTY: u64 = u64::MAX;

impl Index {
    /// Where the probe for `tag` starts: the top bits of its spread hash.
    #[inline]
    fn home(&self, tag: u32) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (spread(tag) >> (64 - bits)) as usize
    }

    /// The slot where the probe for `tag` starts ([`EMPTY`] in an empty table).
    #[inline]
    fn first_slot(&self, tag: u32) -> u64 {
        if self.slots.is_empty() {
            return EMPTY;
        }
        self.slots.get(self.home(tag)).copied().unwrap_or(EMPTY)
    }

    #[inline]
    fn find(&self, tag: u32, same: impl Fn(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(tag);
        loop {
            let slot = self.slots[at];
            if slot == EMPTY {
                return None;
            }
            if (slot >> 32) as u32 == tag && same(slot as u32) {
                return Some(slot as u32);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds a pair known not to be there.
    #[inline]
    fn insert(&mut self, tag: u32, code: u32) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            // Cannot fail to find room short of running out of memory, as any growing Vec.
            self.resize(((self.len + 1) * 4 / 3 + 1).next_power_of_two().max(16));
        }
        self.put(u64::from(tag) << 32 | u64::from(code));
        self.len += 1;
    }

    fn put(&mut self, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut at = self.home((slot >> 32) as u32);
        while self.slots[at] != EMPTY {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
    }

    /// Moves the pairs into `slots` free slots (a power of two).
    fn resize(&mut self, slots: usize) {
        let mut table = Vec::with_capacity(slots);
        table.resize(slots, EMPTY);
        let old = std::mem::replace(&mut self.slots, table);
        for slot in old.into_iter().filter(|&s| s != EMPTY) {
            self.put(slot);
        }
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Labels {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text && self.ends == other.ends
    }
}

/// Tags with this bit set are ids of 1–9 digits written exactly into the other 31 bits (see
/// [`digit_key`]): equal tags are equal texts, found without reading the text.
const EXACT: u32 = 1 << 31;

/// The table's hash of a tag: mixed, so that consecutive ids spread over the table (its top bits
/// pick the slot).
fn spread(tag: u32) -> u64 {
    u64::from(tag).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Ids of 1–9 ASCII digits, numbered without gaps or overlaps across lengths (`7`, `07` and `007`
/// differ): below 1,111,111,110, so that the number fits beside [`EXACT`].
fn digit_key(text: &str) -> Option<u32> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = bytes.iter().fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
    // How many ids are shorter: 10 + 100 + … + 10^(len-1).
    let shorter = (10u32.pow(bytes.len() as u32) - 10) / 9;
    Some(shorter + value)
}

impl Labels {
    #[inline]
    fn get(&self, code: usize) -> &str {
        let start = if code == 0 { 0 } else { self.ends[code - 1] };
        &self.text[start..self.ends[code]]
    }

    /// The code of `text`, adding it if new.
    pub fn intern(&mut self, text: &str) -> u32 {
        self.intern_tagged(self.tag(text), text)
    }
    #[inline]
    fn intern_tagged(&mut self, tag: u32, text: &str) -> u32 {
        if let Some(code) = self.code_tagged(tag, text) {
            return code;
        }
        let code = self.ends.len() as u32;
        self.text.push_str(text);
        self.ends.push(self.text.len());
        self.index.insert(tag, code);
        code
    }
    /// Holds `text` in `held`, to be interned with the rest of the batch by
    /// [`Labels::intern_held`], which writes its code to `codes[at]`.
    pub fn hold(&self, held: &mut Held, at: u32, text: &str) {
        held.waiting.push((at, self.tag(text)));
        held.text.push_str(text);
        held.ends.push(held.text.len());
    }
    /// Interns the texts of `held`, in the order they were held (codes are given in order of
    /// first appearance, as by [`Labels::intern`]), writing each code to `codes[at]`.
    pub fn intern_held(&mut self, held: &mut Held, codes: &mut [u32]) {
        // Each probe's first slot loaded first, in a short loop of independent loads: their cache
        // misses overlap, and the probes below find the slots in cache.
        let touched = held.waiting.iter().fold(0u64, |sink, &(_, tag)| sink ^ self.index.first_slot(tag));
        std::hint::black_box(touched);
        let mut start = 0;
        for (&(at, tag), &end) in held.waiting.iter().zip(&held.ends) {
            let code = self.intern_tagged(tag, held.text.get(start..end).unwrap_or_default());
            start = end;
            if let Some(slot) = codes.get_mut(at as usize) {
                *slot = code;
            }
        }
        held.waiting.clear();
        held.text.clear();
        held.ends.clear();
    }
    /// Short numeric ids are their own tag (customer and member numbers mostly are: the most
    /// frequent lookup of all is then one table probe); other texts get 31 bits of their hash.
    fn tag(&self, text: &str) -> u32 {
        match digit_key(text) {
            Some(key) => key | EXACT,
            None => (self.hasher.hash_one(text) >> 33) as u32,
        }
    }
    fn code_tagged(&self, tag: u32, text: &str) -> Option<u32> {
        let exact = tag & EXACT != 0;
        self.index.find(tag, |code| exact || self.get(code as usize) == text)
    }
    /// The code of `text`, if it is known.
    pub fn code(&self, text: &str) -> Option<u32> {
        self.code_tagged(self.tag(text), text)
    }
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn name(&self, code: u32) -> Option<&str> {
        ((code as usize) < self.ends.len()).then(|| self.get(code as usize))
    }
    /// The labels in code order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|code| self.get(code))
    }
    /// The labels' text end to end and where each ends, without the index.
    pub fn into_texts(self) -> (String, Vec<usize>) {
        (self.text, self.ends)
    }
    /// The labels in code order, collected.
    pub fn names(&self) -> Vec<&str> {
        self.iter().collect()
    }
}

/// A text column stored as codes into its labels ([`MISSING`] where empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Categorical {
    pub labels: Labels,
    pub codes: Vec<u32>,
}

impl Categorical {
    pub fn push(&mut self, text: &str) {
        let code = if text.is_empty() { MISSING } else { self.labels.intern(text) };
        self.codes.push(code);
    }

    /// [`Categorical::push`], looking `text` up in `recent` first: the same codes.
    pub fn push_recent(&mut self, text: &str, recent: &mut Recent) {
        let code = if text.is_empty() {
            MISSING
        } else {
            match recent.find(text) {
                Some(code) => code,
                None => {
                    let code = self.labels.intern(text);
                    recent.learn(text, code);
                    code
                }
            }
        };
        self.codes.push(code);
    }
}

/// The codes of a column's first few short labels, found by comparing a text's bytes as two
/// numbers, without hashing it, probing the labels' table and comparing it with the label there.
/// Channels, categories and member levels have a handful of labels of 2–4 Chinese characters (6–12
/// bytes), one of each in every row; a column with many labels turns it off.
#[derive(Debug, Default)]
pub struct Recent {
    /// Each label's key and code.
    known: Vec<(ShortKey, u32)>,
    looked: u32,
    found: u32,
    off: bool,
}

/// A text of 1–16 bytes, exactly: its length, and its first and last bytes (up to eight each,
/// overlapping in texts under 16 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortKey(u64, u64, usize);

impl ShortKey {
    fn of(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        let n = b.len();
        let word = |at: usize| b.get(at..).and_then(|r| r.first_chunk::<8>()).map_or(0, |w| u64::from_le_bytes(*w));
        let half = |at: usize| b.get(at..).and_then(|r| r.first_chunk::<4>()).map_or(0, |w| u64::from(u32::from_le_bytes(*w)));
        match n {
            8..=16 => Some(Self(word(0), word(n - 8), n)),
            4..=7 => Some(Self(half(0) | half(n - 4) << 32, 0, n)),
            1..=3 => Some(Self(u64::from(b[0]) | u64::from(b[n / 2]) << 8 | u64::from(b[n - 1]) << 16, 0, n)),
            _ => None,
        }
    }
}

impl Recent {
    /// Labels kept.
    const SIZE: usize = 8;
    /// Looked up this many times, it turns itself off unless it found at least half.
    const TRIAL: u32 = 1 << 14;

    fn find(&mut self, text: &str) -> Option<u32> {
        if self.off {
            return None;
        }
        let key = ShortKey::of(text)?;
        let found = self.known.iter().find(|&&(k, _)| k == key).map(|&(_, code)| code);
        if self.looked < Self::TRIAL {
            self.looked += 1;
            self.found += u32::from(found.is_some());
            self.off = self.looked == Self::TRIAL && self.found < Self::TRIAL / 2;
        }
        found
    }

    fn learn(&mut self, text: &str, code: u32) {
        if let (false, true, Some(key)) = (self.off, self.known.len() < Self::SIZE, ShortKey::of(text)) {
            self.known.push((key, code));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// Two texts of 1–16 bytes with the same short key are the same text, whatever their
        /// lengths and characters.
        #[test]
        fn short_keys_tell_texts_apart(
            a in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "订", "单", "é", "\0"]), 1..10),
            b in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "订", "单", "é", "\0"]), 1..10),
            at in 0usize..10,
            other in proptest::sample::select(vec!["a", "b", "订", "单", "é", "\0"]),
        ) {
            // Unrelated texts, and texts one character apart.
            let mut near = a.clone();
            let i = at % near.len();
            near[i] = other;
            for (a, b) in [(a.concat(), b.concat()), (a.concat(), near.concat())] {
                if let (Some(ka), Some(kb)) = (ShortKey::of(&a), ShortKey::of(&b)) {
                    proptest::prop_assert_eq!(ka == kb, a == b, "{:?} {:?}", a, b);
                }
                proptest::prop_assert_eq!(ShortKey::of(&a).is_some(), a.len() <= 16);
            }
        }

        /// A column read through [`Recent`] has exactly the labels and codes of one read without
        /// it: few labels or many (it turns itself off), short or long, empty cells.
        #[test]
        fn recent_labels_give_the_codes_interning_gives(
            texts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec!["普通", "银卡", "金卡", "钻石", "线上商城", "a", "ab", "abcd", "", "一个很长很长的渠道名称"]).prop_map(str::to_string),
                    (0u32..3000).prop_map(|n| format!("类{n}")),
                ],
                0..400,
            ),
            repeat in 1usize..60,
        ) {
            // Repeated past the trial, so that a column of many labels turns it off part-way.
            let rows: Vec<&String> = texts.iter().cycle().take(texts.len() * repeat).collect();
            let (mut plain, mut cached, mut recent) = (Categorical::default(), Categorical::default(), Recent::default());
            for text in &rows {
                plain.push(text);
                cached.push_recent(text, &mut recent);
            }
            proptest::prop_assert_eq!(cached, plain);
        }
    }

    #[test]
    fn numeric_ids_get_distinct_keys_across_lengths() {
        assert_eq!(digit_key("0"), Some(0));
        assert_eq!(digit_key("9"), Some(9));
        assert_eq!(digit_key("00"), Some(10));
        assert_eq!(digit_key("99"), Some(109));
        assert_eq!(digit_key("000"), Some(110));
        assert_eq!(digit_key("999999999"), Some(1_111_111_109));
        assert!(digit_key("999999999").unwrap() < EXACT);
        for not in ["", "1234567890", "12a", " 12", "１２", "-1"] {
            assert_eq!(digit_key(not), None, "{not}");
        }
    }

    proptest::proptest! {
        /// Two texts get one code exactly when they are the same text, numeric or not.
        #[test]
        fn interning_gives_one_code_per_distinct_text(texts in proptest::collection::vec("[0-9]{1,11}|[0-9a-c]{1,4}|0{1,3}[1-9]?", 1..300)) {
            let mut labels = Labels::default();
            let codes: Vec<u32> = texts.iter().map(|t| labels.intern(t)).collect();
            for (i, a) in texts.iter().enumerate() {
                proptest::prop_assert_eq!(labels.name(codes[i]), Some(a.as_str()));
                proptest::prop_assert_eq!(labels.code(a), Some(codes[i]));
                for (j, b) in texts.iter().enumerate() {
                    proptest::prop_assert_eq!(codes[i] == codes[j], a == b);
                }
            }
            proptest::prop_assert_eq!(labels.len(), texts.iter().collect::<std::collections::HashSet<_>>().len());
        }
    }

    proptest::proptest! {
        /// Texts held and interned in batches of any size get the codes interning them one by
        /// one gives, in the same order of first appearance, and land where they were held for.
        #[test]
        fn held_texts_get_the_codes_interning_one_by_one_gives(
            texts in proptest::collection::vec("[0-9]{1,11}|[0-9a-c]{1,4}|订单[0-9]{0,2}", 1..300),
            batch in 1usize..80,
        ) {
            let mut one_by_one = Labels::default();
            let expected: Vec<u32> = texts.iter().map(|t| one_by_one.intern(t)).collect();
            let (mut labels, mut held) = (Labels::default(), Held::default());
            let mut codes = vec![u32::MAX; texts.len()];
            for (i, t) in texts.iter().enumerate() {
                labels.hold(&mut held, i as u32, t);
                if held.len() >= batch {
                    labels.intern_held(&mut held, &mut codes);
                }
            }
            labels.intern_held(&mut held, &mut codes);
            proptest::prop_assert!(held.is_empty());
            proptest::prop_assert_eq!(codes, expected);
            proptest::prop_assert_eq!(labels, one_by_one);
        }
    }

    #[test]
    fn the_index_finds_every_label_through_growing() {
        let text = |i: usize| if i.is_multiple_of(3) { format!("{i}") } else { format!("SO{i:010}") };
        let mut labels = Labels::default();
        assert_eq!(labels.code("x"), None);
        // From empty through many doublings.
        for i in 0..150_000 {
            assert_eq!(labels.intern(&text(i)), i as u32);
            // The table never fills beyond three quarters, so every probe ends at a free slot.
            assert!(labels.index.len * 4 <= labels.index.slots.len() * 3);
        }
        for i in 0..150_000 {
            assert_eq!(labels.code(&text(i)), Some(i as u32));
            assert_eq!(labels.intern(&text(i)), i as u32);
        }
        assert_eq!(labels.code("SO9999999999"), None);
        assert_eq!(labels.code("999999999"), None);
        assert_eq!(labels.len(), 150_000);
    }

    #[test]
    fn labels_keep_ids_exactly_as_written() {
        let mut l = Labels::default();
        assert_eq!(l.intern("00042"), 0);
        assert_eq!(l.intern("42"), 1);
        assert_eq!(l.intern("00042"), 0);
        assert_eq!(l.name(0), Some("00042"));
        assert_eq!(l.len(), 2);
    }
}
