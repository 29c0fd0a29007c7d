//! One row at a time into the dataset: each mapped cell converted once, a bad cell rejecting its
//! row with the row, column, value and reason.

use super::*;

/// Converts the mapped cells of each row, appending to the dataset or recording a rejection.
#[derive(Debug)]
pub(crate) struct RowReader {
    names: Vec<String>,
    cols: Vec<(Role, usize)>,
    date_order: DateOrder,
    decimal_mark: DecimalMark,
    pub(crate) dataset: Dataset,
    pub(crate) rejected: Vec<Rejection>,
    pub(crate) rows: usize,
    pub(crate) currencies: BTreeMap<std::borrow::Cow<'static, str>, usize>,
    /// What the rows showed besides rejections.
    pub(crate) tally: Tally,
    /// Survey answers: the customer id may be empty (an anonymous answer), the score may not.
    survey: bool,
    amount_from: AmountFrom,
    pub(crate) cancel_prefix: bool,
    date_provisional: bool,
    pub(crate) zero_is_guest: bool,
    exclude_statuses: Option<Vec<String>>,
    /// Columns read before the others: the amount (order lines), the order id, the status.
    amount_col: Option<usize>,
    order_col: Option<usize>,
    status_col: Option<usize>,
    /// Customer ids read but not yet interned: their rows' codes are [`HELD`] until
    /// [`RowReader::flush`].
    held: Held,
    /// Channels, categories and member levels seen first.
    recent: [Recent; 3],
}

/// The code of a row whose customer id is held to be interned with the next batch.
pub(super) const HELD: u32 = MISSING - 1;

/// One row's converted values before they are committed.
#[derive(Default)]
pub(super) struct Parsed<'r> {
    day: values::Day,
    amount: f64,
    price: f64,
    quantity: Option<f64>,
    refund: f64,
    score: u8,
    /// The date had both parts 12 or under while the date order is open.
    undecided: bool,
    texts: [&'r str; 5],
}

/// An invoice id with the cancellation marker: `C` and digits (`C536379`).
pub(super) fn is_cancellation(id: &str) -> bool {
    id.strip_prefix(['C', 'c']).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A cell, or nothing when it is empty or a "no value" marker ([`values::is_missing`]).
#[inline]
pub(super) fn present(cell: &str) -> &str {
    if values::is_missing(cell) {
        ""
    } else {
        cell
    }
}

/// The text of column `col` of a row, trimmed; empty when it is missing or a "no value" marker.
pub(super) fn text_at(row: &dyn Row, col: usize) -> &str {
    present(trim_with(row.get(col).unwrap_or(""), char::is_whitespace))
}

/// Whether a cell holds nothing but white space (a visible first byte answers at once).
#[inline]
pub(super) fn is_empty_cell(cell: &str) -> bool {
    !cell.as_bytes().first().is_some_and(u8::is_ascii_graphic) && cell.trim().is_empty()
}

/// Money from arithmetic, rounded to a millionth: `6 × 2.55` is 15.3, not 15.299999999999999.
pub(super) fn money(v: f64) -> f64 {
    (v * 1e6).round() / 1e6 + 0.0
}

impl RowReader {
    pub(crate) fn new(plan: &Plan) -> Self {
        let mapping = &plan.mapping;
        let has = |r: Role| mapping.contains_key(&r);
        let money = has(Role::Amount) || has(Role::UnitPrice);
        let dataset = Dataset {
            day: has(Role::Date).then(Vec::new),
            amount: money.then(Vec::new),
            order: has(Role::OrderId).then(OrderIds::default),
            channel: has(Role::Channel).then(Categorical::default),
            category: has(Role::Category).then(Categorical::default),
            member_level: has(Role::MemberLevel).then(Categorical::default),
            score: has(Role::Score).then(Vec::new),
            comments: has(Role::Comment).then(Vec::new),
            ..Dataset::default()
        };
        Self {
            names: plan.names.clone(),
            cols: mapping.iter().map(|(&r, &i)| (r, i)).collect(),
            date_order: if plan.date_provisional { DateOrder::Ymd } else { plan.date_order },
            decimal_mark: plan.decimal_mark,
            dataset,
            rejected: Vec::new(),
            rows: 0,
            currencies: BTreeMap::new(),
            tally: Tally::default(),
            survey: plan.survey,
            amount_from: plan.amount_from,
            cancel_prefix: plan.cancel_prefix,
            date_provisional: plan.date_provisional,
            zero_is_guest: plan.zero_is_guest,
            exclude_statuses: plan.exclude_statuses.clone(),
            amount_col: mapping.get(&Role::Amount).copied(),
            order_col: mapping.get(&Role::OrderId).copied(),
            status_col: mapping.get(&Role::OrderStatus).copied(),
            held: Held::default(),
            recent: Default::default(),
        }
    }

    /// Interns the customer ids still held: to be called once the rows are read, before the
    /// dataset is used.
    pub(crate) fn flush(&mut self) {
        let ds = &mut self.dataset;
        ds.customers.intern_held(&mut self.held, &mut ds.customer);
    }

    /// Puts the rows read so far aside in `spill` (their customer ids interned first) and empties
    /// the columns for the next ones; the labels stay.
    pub(crate) fn spill_into(&mut self, spill: &mut crate::core::dataset::spill::Spill) {
        self.flush();
        spill.take(&self.dataset, &self.tally.undecided_rows);
        // The rows' indices start again from 0: those of the open dates went with their rows.
        self.tally.undecided_rows.clear();
        let ds = &mut self.dataset;
        ds.customer.clear();
        if let Some(v) = ds.day.as_mut() {
            v.clear();
        }
        if let Some(v) = ds.amount.as_mut() {
            v.clear();
        }
        if let Some(v) = ds.score.as_mut() {
            v.clear();
        }
        if let Some(o) = ds.order.as_mut() {
            o.keys.clear();
        }
        for c in [&mut ds.channel, &mut ds.category, &mut ds.member_level].into_iter().flatten() {
            c.codes.clear();
        }
        if let Some(v) = ds.comments.as_mut() {
            v.clear();
        }
    }

    /// Makes room for about `rows` rows, so that the columns do not grow by doubling and copying:
    /// fewer copies, and a tenth of the memory high-water mark on big files. Room reserved but not
    /// used is never written, so the browser does not back it with memory.
    pub(crate) fn reserve(&mut self, rows: usize) {
        // Where the room cannot be had (a browser tab's memory is limited), columns grow as they go.
        fn room<T>(column: Option<&mut Vec<T>>, rows: usize) {
            if let Some(v) = column {
                let _ = v.try_reserve(rows);
            }
        }
        let ds = &mut self.dataset;
        room(Some(&mut ds.customer), rows);
        room(ds.day.as_mut(), rows);
        room(ds.amount.as_mut(), rows);
        room(ds.score.as_mut(), rows);
        room(ds.order.as_mut().map(|o| &mut o.keys), rows);
        for c in [&mut ds.channel, &mut ds.category, &mut ds.member_level].into_iter().flatten() {
            room(Some(&mut c.codes), rows);
        }
    }

    fn reject(&mut self, pos: Position, col: usize, value: &str, (code, reason): (&'static str, String)) {
        self.rejected.push(Rejection {
            row: pos.line,
            column: <[String]>::get(&self.names, col).cloned().unwrap_or_else(|| format!("column {}", col + 1)),
            value: quote(value),
            reason,
            code: code.to_string(),
        });
    }

    /// The row's amount as well as it can be read, for the tally of a row left out (0 when it
    /// cannot be).
    fn rough_amount(&self, row: &dyn Row) -> f64 {
        let number = |role: Role| {
            let col = self.cols.iter().find(|(r, _)| *r == role).map(|&(_, c)| c)?;
            values::parse_amount(present(row.get(col)?), self.decimal_mark).ok().map(|a| a.value)
        };
        self.amount_from.line(number(Role::Amount), number(Role::Quantity), number(Role::UnitPrice)).unwrap_or(0.0)
    }

    /// Reads a date while the date order is open: `a/b/yyyy` with a part over 12 settles it (and is
    /// counted), one with both parts 12 or under is read month first and marked undecided.
    fn provisional_date(&mut self, cell: &str, line: u64, p: &mut Parsed) -> Result<values::Day, values::DateError> {
        match values::parse_date(cell, DateOrder::Ymd) {
            Err(values::DateError::Ambiguous) => {
                p.undecided = true;
                values::parse_date(cell, DateOrder::Mdy)
            }
            Ok(day) => {
                let seen = match values::detect_date_order(std::iter::once(cell)) {
                    (DateOrder::Dmy, false) => &mut self.tally.day_first,
                    (DateOrder::Mdy, false) => &mut self.tally.month_first,
                    _ => return Ok(day),
                };
                *seen += 1;
                if self.tally.settled_by.is_none() {
                    self.tally.settled_by = Some((line, cell.trim().to_string()));
                }
                Ok(day)
            }
            Err(e) => Err(e),
        }
    }

    /// The order (fingerprint) a row belongs to when it is an order's further line: no amount of
    /// its own, an order id, and the amount read from an amount column.
    fn order_line(&self, row: &dyn Row) -> Option<u64> {
        let (AmountFrom::Amount, Some(ac), Some(oc)) = (self.amount_from, self.amount_col, self.order_col) else { return None };
        if row.len() <= ac || !is_empty_cell(present(row.get(ac).unwrap_or(""))) {
            return None;
        }
        let order = text_at(row, oc);
        (!order.is_empty()).then(|| crate::core::dataset::order_key(order))
    }

    /// Takes back the count of a row's status (the row turned out to be an order's further line).
    fn uncount_status(&mut self, row: &dyn Row) {
        if let Some(sc) = self.status_col {
            let status = text_at(row, sc);
            if let Some(entry) = self.tally.statuses.iter_mut().find(|s| s.status == status) {
                entry.rows -= 1;
            }
        }
    }

    pub(crate) fn read(&mut self, pos: Position, row: &dyn Row, customer_col: Option<usize>) {
        self.rows += 1;
        let id = present(trim_with(customer_col.and_then(|c| row.get(c)).unwrap_or(""), is_blank));
        let id = if self.zero_is_guest && !id.is_empty() && id.bytes().all(|b| b == b'0') { "" } else { id };
        if let (true, Some(customer_col)) = (id.is_empty() && !self.survey, customer_col) {
            if row.len() <= customer_col {
                let reason = format!("the row has {} column(s); the customer id is in column {}", row.len(), customer_col + 1);
                self.reject(pos, customer_col, row.get(customer_col).unwrap_or(""), ("row_too_short", reason));
                return;
            }
        }
        if id.len() > MAX_ID_CHARS && id.chars().count() > MAX_ID_CHARS {
            if let Some(customer_col) = customer_col {
                let n = id.chars().count();
                let reason = format!("customer id is {n} characters long; ids longer than {MAX_ID_CHARS} are not accepted");
                self.reject(pos, customer_col, id, ("id_too_long", reason));
                return;
            }
        }
        // Statuses that mean no sale leave the row out before anything else is asked of it (a
        // closed, unpaid order has no payment time).
        if let Some(sc) = self.status_col {
            let status = text_at(row, sc);
            let amount = self.rough_amount(row);
            let exclude = &self.exclude_statuses;
            let entry = self.tally.status(status, |s| match exclude {
                Some(list) => list.iter().any(|x| x.trim() == s),
                None => tally::excluded_by_default(s),
            });
            entry.rows += 1;
            entry.amount += amount;
            if entry.excluded {
                if let Some(oc) = self.order_col {
                    let order = text_at(row, oc);
                    if !order.is_empty() {
                        self.tally.excluded_orders.push(crate::core::dataset::order_key(order));
                    }
                }
                return;
            }
        }
        let mut p = Parsed { score: NO_SCORE, ..Parsed::default() };
        for k in 0..self.cols.len() {
            let (role, col) = self.cols[k];
            let raw = row.get(col).unwrap_or("");
            let cell = present(raw);
            let result: Result<(), (&'static str, String)> = match role {
                Role::CustomerId | Role::OrderStatus => Ok(()),
                Role::Date => {
                    let parsed = if self.date_provisional {
                        self.provisional_date(cell, pos.line, &mut p)
                    } else {
                        values::parse_date(cell, self.date_order)
                    };
                    parsed.map(|d| p.day = d).map_err(|e| {
                        if row.len() <= col {
                            ("row_too_short", format!("the row has {} column(s); the date is in column {}", row.len(), col + 1))
                        } else {
                            (e.code(), e.to_string())
                        }
                    })
                }
                Role::Amount if self.amount_from != AmountFrom::Amount => Ok(()),
                Role::UnitPrice if self.amount_from == AmountFrom::Amount => Ok(()),
                Role::Amount | Role::UnitPrice => match values::parse_amount(cell, self.decimal_mark) {
                    Ok(a) => {
                        if role == Role::Amount {
                            p.amount = a.value;
                        } else {
                            p.price = a.value;
                        }
                        if let Some(c) = a.currency {
                            *self.currencies.entry(std::borrow::Cow::Borrowed(c)).or_default() += 1;
                        }
                        Ok(())
                    }
                    Err(e) if role == Role::Amount => Err((e.code(), e.to_string())),
                    Err(values::AmountError::Empty) => Err(("unit_price_empty", "unit price is empty".into())),
                    Err(e) => Err(("unit_price_invalid", format!("unit price: {e}"))),
                },
                Role::Quantity => {
                    let needed = self.amount_from == AmountFrom::QuantityTimesUnitPrice;
                    match values::parse_amount(cell, self.decimal_mark) {
                        Ok(q) => {
                            p.quantity = Some(q.value);
                            Ok(())
                        }
                        Err(_) if needed && cell.trim().is_empty() => {
                            Err(("quantity_empty", "quantity is empty (the amount is quantity × unit price)".into()))
                        }
                        Err(_) if needed => Err(("quantity_invalid", "quantity is not a number".into())),
                        Err(_) => {
                            if !cell.trim().is_empty() {
                                self.tally.leave_out(role, pos.line, cell);
                            }
                            Ok(())
                        }
                    }
                }
                Role::RefundAmount if is_empty_cell(cell) => Ok(()),
                Role::RefundAmount => match values::parse_amount(cell, self.decimal_mark) {
                    Ok(a) => {
                        p.refund = a.value.abs();
                        Ok(())
                    }
                    Err(e) => Err(("refund_invalid", format!("refund amount: {e}"))),
                },
                Role::Score if is_empty_cell(cell) => {
                    if self.survey {
                        self.tally.no_answer += 1;
                    }
                    Ok(())
                }
                Role::Score => {
                    match parse_score(cell) {
                        Ok(s) => p.score = s,
                        // One unreadable answer does not make the row's purchase unreadable.
                        Err(_) => self.tally.leave_out(role, pos.line, cell),
                    }
                    Ok(())
                }
                Role::OrderId | Role::Channel | Role::Category | Role::MemberLevel | Role::Comment => {
                    let slot = match role {
                        Role::OrderId => 0,
                        Role::Channel => 1,
                        Role::Category => 2,
                        Role::MemberLevel => 3,
                        _ => 4,
                    };
                    p.texts[slot] = trim_with(cell, char::is_whitespace);
                    Ok(())
                }
            };
            if let Err(reason) = result {
                // An order's further line where the order's amount is on its first line only
                // (Shopify): not rejected, not counted again; checked against the orders once all
                // rows are read. Asked only of rows that fail, so that good rows pay nothing.
                if let Some(order) = self.order_line(row) {
                    self.uncount_status(row);
                    self.tally.order_lines.push((order, pos.line));
                    return;
                }
                self.reject(pos, col, raw, reason);
                return;
            }
        }
        // Quantity × unit price only reaches here with a quantity (a row without one is rejected).
        p.amount = self.amount_from.line(Some(p.amount), p.quantity, Some(p.price)).unwrap_or(0.0);
        if self.cancel_prefix && is_cancellation(p.texts[0]) {
            // A cancellation invoice returns what was bought: never an order.
            p.amount = -p.amount.abs();
            self.tally.cancellations += 1;
        }
        if p.refund > 0.0 {
            let gross = p.amount;
            p.amount = money(gross - p.refund);
            if gross > 0.0 && p.amount <= 0.0 {
                self.tally.refunded_rows += 1;
                // Wholly refunded: not an order. Its net zero is written −0, the sign that marks a
                // row as no purchase (see `customers`), so that a free order (+0) still counts.
                if p.amount == 0.0 {
                    p.amount = -0.0;
                }
            }
        }
        if id.is_empty() && !self.survey {
            self.tally.guest_rows += 1;
            self.tally.guest_amount += p.amount;
            self.tally.guest_lines.push(pos.line);
            return;
        }
        let ds = &mut self.dataset;
        let index = ds.customer.len() as u32;
        if id.is_empty() {
            ds.customer.push(MISSING);
        } else {
            ds.customers.hold(&mut self.held, index, id);
            ds.customer.push(HELD);
            if self.held.len() >= Held::BATCH {
                ds.customers.intern_held(&mut self.held, &mut ds.customer);
            }
        }
        if p.undecided {
            self.tally.undecided_rows.push(index);
        }
        if let Some(v) = ds.day.as_mut() {
            v.push(p.day);
        }
        if let Some(v) = ds.amount.as_mut() {
            v.push(p.amount);
        }
        if let Some(v) = ds.score.as_mut() {
            v.push(p.score);
        }
        if let Some(order) = ds.order.as_mut() {
            order.push(p.texts[0]);
        }
        let columns = [&mut ds.channel, &mut ds.category, &mut ds.member_level];
        for ((slot, text), recent) in columns.into_iter().zip(&p.texts[1..]).zip(&mut self.recent) {
            if let Some(c) = slot.as_mut() {
                c.push_recent(text, recent);
            }
        }
        if let (Some(v), comment) = (ds.comments.as_mut(), p.texts[4]) {
            if !comment.is_empty() {
                v.push((index, comment.to_string()));
            }
        }
    }
}

/// An NPS answer: a whole number 0–10; empty means not surveyed.
pub(super) fn parse_score(cell: &str) -> Result<u8, String> {
    let c = cell.trim();
    if c.is_empty() {
        return Ok(NO_SCORE);
    }
    match c.parse::<f64>() {
        Ok(v) if !v.is_finite() => Err(format!("score '{c}' is not a number 0–10")),
        Ok(v) if v.fract() != 0.0 => Err(format!("score {c} is not a whole number 0–10")),
        Ok(v) if !(0.0..=10.0).contains(&v) => Err(format!("score {c} is outside 0–10")),
        Ok(v) => Ok(v as u8),
        Err(_) => Err(format!("score '{c}' is not a number 0–10")),
    }
}
