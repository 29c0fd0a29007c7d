//! Writes and reads [`Part::encode`]'s buffer: numbers little-endian; texts as their length (u64)
//! and UTF-8 bytes; each optional column a flag byte, then its length and values.

use super::{Column, Part, Received, Texts, Wire, PIECE};
use crate::core::ingest::tally::Tally;
use crate::core::ingest::Rejection;

/// Where an encoded part goes: into a short buffer handed to `sink` whenever it holds a
/// [`PIECE`] (the whole buffer is never in this memory at once).
pub struct Out<'s> {
    pub buf: Vec<u8>,
    pub sink: &'s mut dyn FnMut(&[u8]),
}

impl Out<'_> {
    pub fn flush(&mut self) {
        if !self.buf.is_empty() {
            (self.sink)(&self.buf);
            self.buf.clear();
        }
    }

    /// Hands the buffer on once it holds a piece.
    fn spill(&mut self) {
        if self.buf.len() >= PIECE {
            self.flush();
        }
    }
}

pub fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_le_bytes());
}

pub fn put_bytes(out: &mut Out<'_>, bytes: &[u8]) {
    put_len(&mut out.buf, bytes.len());
    if bytes.len() >= PIECE {
        out.flush();
        (out.sink)(bytes);
    } else {
        out.buf.extend_from_slice(bytes);
        out.spill();
    }
}

pub trait Value: Copy + 'static {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    /// Writes the value into `slot` (exactly `SIZE` bytes).
    fn write(self, slot: &mut [u8]);
    fn get(bytes: &[u8]) -> Self;
}

macro_rules! value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn write(self, slot: &mut [u8]) {
                slot.copy_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut b = [0u8; std::mem::size_of::<$t>()];
                b.copy_from_slice(bytes);
                <$t>::from_le_bytes(b)
            }
        }
    )*};
}
value!(u8, u32, i32, u64, f64);

pub fn put_values<T: Value>(out: &mut Out<'_>, values: Option<&[T]>) {
    match values {
        None => out.buf.push(0),
        Some(values) => {
            out.buf.push(1);
            put_len(&mut out.buf, values.len());
            // A piece at a time, one bounds check for each, then a loop that compiles to plain
            // stores: a value at a time through `put` checked the capacity for each (a part
            // holds millions of values).
            for piece in values.chunks(PIECE / T::SIZE) {
                let start = out.buf.len();
                out.buf.resize(start + piece.len() * T::SIZE, 0);
                for (slot, &v) in out.buf[start..].chunks_exact_mut(T::SIZE).zip(piece) {
                    v.write(slot);
                }
                out.spill();
            }
        }
    }
}

/// Reads what the `put_` functions wrote, in the same order; `None` on a short or bad buffer.
/// From a wire not in this memory it copies a window of a [`PIECE`] or more at a time.
pub struct Reader<'b> {
    wire: Wire<'b>,
    /// The next byte to read.
    at: usize,
    /// Bytes from `window_at` on, copied from the wire.
    window: Vec<u8>,
    window_at: usize,
}

impl<'b> Reader<'b> {
    pub fn new(wire: Wire<'b>) -> Self {
        Self { wire, at: 0, window: Vec::new(), window_at: 0 }
    }

    /// Moves past the next `n` bytes, returning where they start.
    fn skip(&mut self, n: usize) -> Option<usize> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.wire.size())?;
        Some(std::mem::replace(&mut self.at, end))
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let wire = self.wire;
        let at = self.skip(n)?;
        let end = at + n;
        if let Some(all) = wire.as_slice() {
            return all.get(at..end);
        }
        if at < self.window_at || end > self.window_at + self.window.len() {
            self.window.resize(n.max(PIECE).min(wire.size() - at), 0);
            wire.copy_to(at, &mut self.window);
            self.window_at = at;
        }
        self.window.get(at - self.window_at..end - self.window_at)
    }

    pub fn len(&mut self) -> Option<usize> {
        usize::try_from(u64::get(self.take(8)?)).ok()
    }

    pub fn bytes(&mut self) -> Option<&[u8]> {
        let n = self.len()?;
        self.take(n)
    }

    pub fn text(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    pub fn value<T: Value>(&mut self) -> Option<T> {
        Some(T::get(self.take(T::SIZE)?))
    }

    pub fn flag(&mut self) -> Option<bool> {
        match self.take(1)?[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    pub fn values<T: Value>(&mut self) -> Option<Option<Vec<T>>> {
        if !self.flag()? {
            return Some(None);
        }
        let n = self.len()?.checked_mul(T::SIZE)?;
        Some(Some(self.take(n)?.chunks_exact(T::SIZE).map(T::get).collect()))
    }

    /// A column left in the buffer: where its bytes start, and how many there are.
    pub fn wired<T: Value>(&mut self) -> Option<Option<(usize, usize)>> {
        if !self.flag()? {
            return Some(None);
        }
        let n = self.len()?.checked_mul(T::SIZE)?;
        Some(Some((self.skip(n)?, n)))
    }

    pub fn wire(&self) -> Wire<'b> {
        self.wire
    }
}

impl Part {
    /// The part as one buffer (tests, and the warm-up of both readers in one worker).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_size());
        self.encode_into(&mut |piece| out.extend_from_slice(piece));
        out
    }

    /// The part's buffer handed to `sink` a piece at a time, in order, to send to another worker:
    /// the buffer is written where it is sent from, and never whole in this memory (about 26 MB for
    /// half a million rows).
    pub fn encode_into(&self, sink: &mut dyn FnMut(&[u8])) {
        use Value;
        let mut out = Out { buf: Vec::with_capacity(2 * PIECE), sink };
        let buf = &mut out.buf;
        buf.push(u8::from(self.start.is_some()));
        for n in [self.start.unwrap_or_default(), self.first_line, self.rows] {
            n.put(buf);
        }
        buf.push(u8::from(self.end.is_some()));
        let (end, end_line) = self.end.unwrap_or_default();
        for n in [end, end_line] {
            n.put(buf);
        }
        put_len(&mut out.buf, self.rejected.len());
        for r in &self.rejected {
            r.row.put(&mut out.buf);
            for text in [&r.column, &r.value, &r.reason, &r.code] {
                put_bytes(&mut out, text.as_bytes());
            }
        }
        put_len(&mut out.buf, self.currencies.len());
        for (currency, n) in &self.currencies {
            put_bytes(&mut out, currency.as_bytes());
            n.put(&mut out.buf);
        }
        put_bytes(&mut out, &self.tally.to_bytes());
        match &self.comments {
            None => out.buf.push(0),
            Some(comments) => {
                out.buf.push(1);
                put_len(&mut out.buf, comments.len());
                for (row, text) in comments {
                    row.put(&mut out.buf);
                    put_bytes(&mut out, text.as_bytes());
                }
            }
        }
        let texts = |out: &mut Out<'_>, t: &Texts| {
            put_bytes(out, t.text.as_bytes());
            let ends: Vec<u64> = t.ends.iter().map(|&e| e as u64).collect();
            put_values(out, Some(&ends));
        };
        texts(&mut out, &self.customers);
        put_values(&mut out, Some(&self.customer));
        put_values(&mut out, self.day.as_deref());
        put_values(&mut out, self.amount.as_deref());
        put_values(&mut out, self.score.as_deref());
        put_values(&mut out, self.order.as_deref());
        for coded in &self.coded {
            match coded {
                None => out.buf.push(0),
                Some((t, codes)) => {
                    out.buf.push(1);
                    texts(&mut out, t);
                    put_values(&mut out, Some(codes));
                }
            }
        }
        out.flush();
    }

    /// How many bytes [`Part::encode_into`] writes: the receiving buffer is made once, this size.
    pub fn encoded_size(&self) -> usize {
        /// A length and the bytes.
        fn bytes(n: usize) -> usize {
            8 + n
        }
        fn column<T>(column: Option<&[T]>) -> usize {
            1 + column.map_or(0, |c| 8 + std::mem::size_of_val(c))
        }
        fn texts(t: &Texts) -> usize {
            // The ends go as u64 whatever the size of usize.
            bytes(t.text.len()) + 1 + 8 + 8 * t.ends.len()
        }
        let rejected: usize = self
            .rejected
            .iter()
            .map(|r| 8 + [&r.column, &r.value, &r.reason, &r.code].iter().map(|t| bytes(t.len())).sum::<usize>())
            .sum();
        let currencies: usize = self.currencies.iter().map(|(c, _)| bytes(c.len()) + 8).sum();
        let tally = bytes(self.tally.encoded_len());
        let comments = self.comments.as_ref().map_or(0, |c| 8 + c.iter().map(|(_, text)| 4 + bytes(text.len())).sum::<usize>());
        let coded: usize = self.coded.iter().map(|c| 1 + c.as_ref().map_or(0, |(t, codes)| texts(t) + column(Some(codes)))).sum();
        1 + 3 * 8
            + 1
            + 2 * 8
            + 8
            + rejected
            + 8
            + currencies
            + tally
            + 1
            + comments
            + texts(&self.customers)
            + column(Some(&self.customer))
            + column(self.day.as_deref())
            + column(self.amount.as_deref())
            + column(self.score.as_deref())
            + column(self.order.as_deref())
            + coded
    }

    /// A part from [`Part::encode`]'s buffer, its columns left there; `None` if it is not one.
    pub fn decode(bytes: &[u8]) -> Option<Received<'_>> {
        Self::decode_from(Wire::Here(bytes))
    }

    /// A part from the buffer [`Part::encode_into`] wrote, wherever it is: its columns are left
    /// there until they are joined; `None` if it is not one.
    pub fn decode_from(wire: Wire<'_>) -> Option<Received<'_>> {
        let mut r = Reader::new(wire);
        let has_start = r.flag()?;
        let (start, first_line, rows) = (r.value::<u64>()?, r.value::<u64>()?, r.value::<u64>()?);
        let has_end = r.flag()?;
        let (end, end_line) = (r.value::<u64>()?, r.value::<u64>()?);
        let rejected = (0..r.len()?)
            .map(|_| {
                let row = r.value()?;
                Some(Rejection { row, column: r.text()?, value: r.text()?, reason: r.text()?, code: r.text()? })
            })
            .collect::<Option<Vec<_>>>()?;
        let currencies = (0..r.len()?).map(|_| Some((r.text()?, r.value()?))).collect::<Option<Vec<_>>>()?;
        let tally = Tally::from_bytes(r.bytes()?)?;
        let comments = match r.flag()? {
            false => None,
            true => Some((0..r.len()?).map(|_| Some((r.value()?, r.text()?))).collect::<Option<Vec<_>>>()?),
        };
        fn texts(r: &mut Reader<'_>) -> Option<Texts> {
            let text = String::from_utf8(r.bytes()?.to_vec()).ok()?;
            let ends: Vec<u64> = r.values()??;
            let ends: Vec<usize> = ends.into_iter().map(usize::try_from).collect::<Result<_, _>>().ok()?;
            // Ends must rise within the text, on character boundaries (`Texts::iter` slices there).
            let mut start = 0;
            for &end in &ends {
                text.get(start..end)?;
                start = end;
            }
            Some(Texts { text, ends })
        }
        fn wired<'b, T: Value>(r: &mut Reader<'b>) -> Option<Option<Column<'b, T>>> {
            let wire = r.wire();
            Some(r.wired::<T>()?.map(|(at, len)| Column::Wired { wire, at, len }))
        }
        let customers = texts(&mut r)?;
        let customer = wired::<u32>(&mut r)??;
        let day = wired::<i32>(&mut r)?;
        let amount = wired::<f64>(&mut r)?;
        let score = wired::<u8>(&mut r)?;
        let order = wired::<u64>(&mut r)?;
        let mut coded: [Option<(Texts, Column<u32>)>; 3] = Default::default();
        for slot in &mut coded {
            if r.flag()? {
                let t = texts(&mut r)?;
                *slot = Some((t, wired::<u32>(&mut r)??));
            }
        }
        Some(Received {
            start: has_start.then_some(start),
            first_line,
            end: has_end.then_some((end, end_line)),
            rows,
            customers,
            customer,
            day,
            amount,
            score,
            order,
            coded,
            comments,
            rejected,
            currencies,
            tally,
        })
    }
}
