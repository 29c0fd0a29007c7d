//! The layout of a file from its first rows: the table, the header, the roles of its columns and
//! the reading options they imply, ready for the rows.

use super::*;

/// What was decided about the file before its rows are read.
#[derive(Debug)]
pub(super) struct Layout {
    pub(super) file: String,
    pub(super) bytes: u64,
    pub(super) format: Format,
    pub(super) encoding: String,
    pub(super) bom: bool,
    pub(super) encoding_errors: bool,
    pub(super) sheets: Vec<SheetInfo>,
    pub(super) sheet: Option<String>,
}

pub(super) fn resolve(column: &ColumnRef, names: &[String]) -> Option<usize> {
    match column {
        ColumnRef::Position(p) => p.checked_sub(1).filter(|&i| i < names.len()),
        ColumnRef::Spec(spec) => {
            let spec = spec.trim();
            names
                .iter()
                .position(|n| n == spec)
                .or_else(|| names.iter().position(|n| roles::normalise_name(n) == roles::normalise_name(spec)))
                .or_else(|| spec.parse::<usize>().ok().and_then(|p| p.checked_sub(1)).filter(|&i| i < names.len()))
        }
    }
}

/// The longest customer id accepted, in characters: longer "ids" are a column of something else
/// (comments, a whole row pasted into one cell).
pub(super) const MAX_ID_CHARS: usize = 256;

/// Whitespace and the invisible characters that copy-paste leaves around ids (zero-width space and
/// joiners, word joiner, a stray byte-order mark): `c1` and `c1` + U+200B are the same customer.
pub(super) fn is_blank(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// `s.trim_matches(blank)`, for a `blank` that holds for no printable ASCII character: most cells
/// start and end with one, and are returned without walking their characters.
pub(super) fn trim_with(s: &str, blank: fn(char) -> bool) -> &str {
    let b = s.as_bytes();
    if b.first().is_some_and(u8::is_ascii_graphic) && b.last().is_some_and(u8::is_ascii_graphic) {
        s
    } else {
        s.trim_matches(blank)
    }
}

pub(super) fn quote(value: &str) -> String {
    if value.chars().count() > MAX_QUOTED {
        let cut: String = value.chars().take(MAX_QUOTED).collect();
        format!("{cut}…")
    } else {
        value.to_string()
    }
}

pub(super) fn read_table(
    source: &Source,
    layout: Layout,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
    progress: &mut dyn FnMut(Stage, f64),
) -> Result<Table, IngestError> {
    let mut reading = prepare(source, layout, opts, split)?;
    source
        .for_each_row(|pos, row| reading.visit(pos, row, progress))
        .map_err(|e| IngestError::Workbook(format!("the file could not be read: {e}")))?;
    progress(Stage::Parsing, 1.0);
    Ok(reading.into_table())
}

/// A table being read: what was decided from its head, and the rows so far.
pub(super) struct Reading {
    head: Head,
    reader: RowReader,
    customer_col: Option<usize>,
    /// Rows up to and including this line are titles or the header.
    start_after: u64,
    /// Where the rows stop (a byte of the file): another reader reads from there on.
    stop_at: Option<u64>,
    /// Bytes before the text (a byte order mark): offsets in the text are offsets in the file less these.
    skipped: u64,
    /// Where the rows stopped at `stop_at` (the record's byte and line).
    stopped: Option<(u64, u64)>,
    last_reported: usize,
    /// Where the rows are put aside as they are read, when they are not kept ([`SpilledRead`]).
    pub(super) spill: Option<Spill>,
}

/// Works out a table's layout from its head (header, titles, column roles, date order, decimal
/// mark) and gets ready to read its rows.
pub(super) fn prepare(
    source: &Source,
    layout: Layout,
    opts: &IngestOptions,
    split: Option<Split<'_>>,
) -> Result<Reading, IngestError> {
    let head = source.head(HEAD_ROWS + 1);
    if head.is_empty() {
        return Err(IngestError::Empty);
    }
    let mut warnings = Vec::new();
    if layout.encoding_errors {
        warnings.push(Warning::EncodingErrors { encoding: layout.encoding.to_string() });
    }
    // Report titles above the header ("订单报表 2024年") have a single cell; skip them.
    let width = table::typical_width(&head);
    let titles = if width >= 3 {
        head.iter().take_while(|(_, r)| r.iter().filter(|c| !c.trim().is_empty()).count() == 1).count()
    } else {
        0
    };
    let titles = titles.min(head.len().saturating_sub(1));
    if titles > 0 {
        warnings.push(Warning::TitleLines { lines: titles });
    }
    let head = &head[titles..];
    // A row of tens of thousands of fields (the whole file on one line) is not a table: its columns
    // would not fit on a page, nor their profiles in the time a page has.
    if let Some((line, _)) = head.iter().find(|(_, r)| r.len() > table::MAX_COLUMNS) {
        return Err(IngestError::TooWide { line: *line });
    }
    let header = opts.header.unwrap_or_else(|| {
        let below: Vec<Vec<String>> = head.iter().skip(1).take(200).map(|(_, r)| r.clone()).collect();
        roles::looks_like_header(&head[0].1, &below)
    });
    let data_head: Vec<&(u64, Vec<String>)> = head.iter().skip(usize::from(header)).take(HEAD_ROWS).collect();
    let ncols = head.iter().map(|(_, r)| r.len()).max().unwrap_or(0).max(if header { head[0].1.len() } else { 0 });
    let names: Vec<String> = (0..ncols)
        .map(|i| {
            let name = if header { head[0].1.get(i).map(|s| s.trim().trim_start_matches('\u{feff}').to_string()) } else { None };
            name.filter(|n| !n.is_empty()).unwrap_or_else(|| format!("column {}", i + 1))
        })
        .collect();
    {
        let mut seen = std::collections::HashSet::new();
        for n in &names {
            if !seen.insert(n) {
                warnings.push(Warning::DuplicateHeader { name: n.to_string() });
            }
        }
    }
    let start_after = if header || titles > 0 { head[0].0.saturating_sub(u64::from(!header)) } else { 0 };
    let cells_of = |i: usize| -> Vec<&str> { data_head.iter().filter_map(|(_, r)| Row::get(r, i)).collect() };
    let profiles: Vec<Profile> = (0..ncols).map(|i| roles::profile(&cells_of(i))).collect();
    let proposal_names: Vec<String> = if header { names.clone() } else { vec![String::new(); ncols] };
    let proposal = roles::propose_with_reasons(&proposal_names, &profiles);
    let (mut mapping, mut reasons): (Mapping, BTreeMap<Role, Reason>) = (proposal.mapping, proposal.reasons);
    for o in &opts.map {
        mapping.remove(&o.role);
        reasons.remove(&o.role);
        if let Some(col) = &o.column {
            let i = resolve(col, &names).ok_or_else(|| IngestError::UnknownColumn {
                role: o.role,
                column: match col {
                    ColumnRef::Position(p) => p.to_string(),
                    ColumnRef::Spec(s) => s.clone(),
                },
                available: names.clone(),
            })?;
            // A column serves one role: moving it here unmaps it elsewhere.
            mapping.retain(|_, &mut j| j != i);
            mapping.insert(o.role, i);
            reasons.insert(o.role, Reason::Chosen);
        }
    }
    reasons.retain(|r, _| mapping.contains_key(r));
    // The amount: a total when one is mapped (it wins over a unit price), else made from the unit
    // price. What the user chose stands if its columns are mapped.
    let has = |r: Role| mapping.contains_key(&r);
    let amount_from = match opts.amount_from {
        Some(AmountFrom::QuantityTimesUnitPrice) if has(Role::Quantity) && has(Role::UnitPrice) => {
            AmountFrom::QuantityTimesUnitPrice
        }
        Some(AmountFrom::UnitPrice) if has(Role::UnitPrice) => AmountFrom::UnitPrice,
        _ if has(Role::Amount) => AmountFrom::Amount,
        _ if has(Role::UnitPrice) && has(Role::Quantity) => AmountFrom::QuantityTimesUnitPrice,
        _ if has(Role::UnitPrice) => AmountFrom::UnitPrice,
        _ => AmountFrom::Amount,
    };
    let money_col = match amount_from {
        AmountFrom::Amount => mapping.get(&Role::Amount).copied(),
        _ => mapping.get(&Role::UnitPrice).copied(),
    };
    // A survey file (answers, no amounts) may leave customers anonymous; transactions may not.
    let survey = mapping.contains_key(&Role::Score) && money_col.is_none();
    let customer_col = match mapping.get(&Role::CustomerId) {
        Some(&i) => Some(i),
        None if survey => None,
        None => return Err(IngestError::NoCustomerColumn { columns: names.clone() }),
    };
    if survey && customer_col.is_none() {
        warnings.push(Warning::SurveyWithoutIds);
    }
    let (date_order, date_order_ambiguous) = match (opts.date_order, mapping.get(&Role::Date)) {
        (Some(order), _) => (order, false),
        (None, Some(&i)) => values::detect_date_order(cells_of(i)),
        (None, None) => (DateOrder::Ymd, false),
    };
    // The head left it open: the rest of the column may settle it (`1/13/2011` further down).
    let date_provisional = date_order_ambiguous;
    let decimal_mark =
        opts.decimal_mark.unwrap_or_else(|| money_col.map_or(DecimalMark::Dot, |i| values::detect_decimal_mark(cells_of(i))));
    // Numeric customer ids: `0` is no customer (a shop's guest checkout), not one customer who
    // bought everything no one else did.
    let zero_is_guest = customer_col.is_some_and(|i| {
        let ids: Vec<&str> = cells_of(i).into_iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        let digits = ids.iter().filter(|c| c.bytes().all(|b| b.is_ascii_digit())).count();
        !ids.is_empty() && digits * 10 >= ids.len() * 9
    });
    // Invoice numbers with a cancellation marker (`C536379` beside `536379`): ids of digits.
    let cancel_prefix = mapping.get(&Role::OrderId).is_some_and(|&i| {
        let ids: Vec<&str> = cells_of(i).into_iter().map(str::trim).filter(|c| !c.is_empty()).collect();
        let digits = ids.iter().filter(|c| c.bytes().all(|b| b.is_ascii_digit())).count();
        !ids.is_empty()
            && digits * 2 >= ids.len()
            && ids.iter().all(|c| c.bytes().all(|b| b.is_ascii_digit()) || is_cancellation(c))
    });

    let currency_chosen = opts.currency.clone().filter(|c| !c.trim().is_empty()).map(|c| c.trim().to_ascii_uppercase());
    // The most frequent three-letter code of a currency column.
    let currency_column = (|| {
        let col = names.iter().position(|n| {
            matches!(roles::normalise_name(n).as_str(), "currency" | "ordercurrency" | "currencycode" | "币种" | "货币")
        })?;
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for c in cells_of(col) {
            let c = c.trim();
            if c.len() == 3 && c.bytes().all(|b| b.is_ascii_alphabetic()) {
                *counts.entry(c.to_ascii_uppercase()).or_default() += 1;
            }
        }
        counts.into_iter().max_by_key(|&(_, n)| n).map(|(c, _)| c)
    })();
    let columns: Vec<Column> = (0..ncols)
        .map(|i| Column {
            position: i + 1,
            name: names[i].clone(),
            role: mapping.iter().find(|(_, &j)| j == i).map(|(&r, _)| r),
            samples: cells_of(i).into_iter().filter(|c| !c.trim().is_empty()).take(3).map(quote).collect(),
        })
        .collect();
    let preview: Vec<Vec<String>> = data_head
        .iter()
        .take(PREVIEW_ROWS)
        .map(|(_, r)| (0..ncols).map(|i| r.get(i).map(quote).unwrap_or_default()).collect())
        .collect();

    let plan = Plan {
        format: layout.format,
        names: names.clone(),
        mapping: mapping.clone(),
        date_order,
        decimal_mark,
        survey,
        customer_col,
        amount_from,
        cancel_prefix,
        date_provisional,
        zero_is_guest,
        exclude_statuses: opts.exclude_statuses.clone(),
        rows: expected_rows(source, layout.bytes, data_head.iter().map(|(_, r)| r)),
        at: 0,
        until: None,
        total: layout.bytes,
    };
    let mut reader = RowReader::new(&plan);
    reader.reserve(plan.rows);
    let stop_at = split.and_then(|split| {
        let plan = Plan { at: split.at, ..plan };
        (split.begin)(&plan).then_some(split.at)
    });
    let skipped = if layout.bom { 3 } else { 0 };
    let head = Head {
        layout,
        header,
        columns,
        mapping: mapping
            .iter()
            .map(|(&r, &i)| {
                let reason = reasons.get(&r).cloned().unwrap_or(Reason::Chosen);
                (r, MappedColumn { column: i + 1, name: names[i].clone(), why: reason.to_string(), reason })
            })
            .collect(),
        amount_from,
        date_order,
        date_order_ambiguous,
        decimal_mark,
        preview,
        warnings,
        currency_chosen,
        currency_column,
    };
    Ok(Reading { head, reader, customer_col, start_after, stop_at, skipped, stopped: None, last_reported: 0, spill: None })
}

impl Reading {
    /// Reads one row of the table (titles, the header and blank rows are passed over); breaks at
    /// the split point.
    pub(super) fn visit(&mut self, pos: Position, row: &dyn Row, progress: &mut dyn FnMut(Stage, f64)) -> ControlFlow<()> {
        if pos.line > self.start_after {
            if self.stop_at.is_some_and(|at| pos.byte + self.skipped >= at) {
                self.stopped = Some((pos.byte + self.skipped, pos.line));
                return ControlFlow::Break(());
            }
            if !row.is_blank() {
                self.reader.read(pos, row, self.customer_col);
                if let Some(spill) = self.spill.as_mut() {
                    if self.reader.dataset.rows() >= spill.chunk() {
                        self.reader.spill_into(spill);
                    }
                }
                if self.reader.rows - self.last_reported >= 1 << 16 {
                    self.last_reported = self.reader.rows;
                    let fraction =
                        self.stop_at.map_or(pos.fraction, |at| ((pos.byte + self.skipped) as f64 / at as f64).min(1.0));
                    progress(Stage::Parsing, fraction);
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// The rows read and put aside ([`Reading::spill`] is set): all of them, or those before the
    /// split point.
    ///
    /// # Errors
    /// [`IngestError::Scratch`] when they cannot be put aside.
    pub(super) fn into_spilled(self) -> Result<SpilledStream, IngestError> {
        let Reading { head, mut reader, spill, stopped, .. } = self;
        let Some(mut spill) = spill else { return Err(IngestError::Scratch("the rows were not put aside".into())) };
        if let Some((at, line)) = stopped {
            return Ok(SpilledStream::Split(Box::new(Pending { head, reader, at, line, spill: Some(spill) })));
        }
        reader.spill_into(&mut spill);
        head.close_spilled(reader, spill).map(|read| SpilledStream::Read(Box::new(read)))
    }

    /// The rows read: all of them, or those before the split point.
    pub(super) fn into_table(self) -> Table {
        let Reading { head, reader, stopped, .. } = self;
        match stopped {
            Some((at, line)) => Table::Stopped(Box::new(Pending { head, reader, at, line, spill: None })),
            None => Table::Read(Box::new(head.finish(reader))),
        }
    }
}

/// What [`read_table`] made of the rows: all of them, or those before the point where another
/// reader took over.
pub(super) enum Table {
    Read(Box<Ingested>),
    Stopped(Box<Pending>),
}

impl Table {
    pub(super) fn into_streamed(self) -> Streamed {
        match self {
            Table::Read(i) => Streamed::Read(i),
            Table::Stopped(pending) => Streamed::Split(pending),
        }
    }

    /// The table of a read without a split point, which always reads all rows.
    pub(super) fn into_read(self) -> Ingested {
        match self {
            Table::Read(i) => *i,
            Table::Stopped(pending) => pending.head.finish(pending.reader),
        }
    }
}

/// What was decided from the head of the file, for its report.
#[derive(Debug)]
pub(crate) struct Head {
    layout: Layout,
    header: bool,
    columns: Vec<Column>,
    mapping: BTreeMap<Role, MappedColumn>,
    amount_from: AmountFrom,
    date_order: DateOrder,
    date_order_ambiguous: bool,
    decimal_mark: DecimalMark,
    preview: Vec<Vec<String>>,
    warnings: Vec<Warning>,
    /// The currency chosen by the user.
    currency_chosen: Option<String>,
    /// The currency a currency column names (`Currency`, `order_currency`, `币种`).
    currency_column: Option<String>,
}

impl Head {
    /// The end of a read whose rows were put aside in `spill` (all of them, every reader's): the
    /// dates settled in it, and the report where it counted the totals.
    ///
    /// # Errors
    /// [`IngestError::Scratch`] when the rows could not be put aside.
    pub(crate) fn close_spilled(self, reader: RowReader, mut spill: Spill) -> Result<SpilledRead, IngestError> {
        let mut counting = spill.take_counting();
        if let Some(counting) = counting.as_mut() {
            counting.settle();
        }
        let had = |key: u64| counting.as_ref().is_some_and(|c| c.had_order(key));
        let (ingested, day_first) = self.finish_with(reader, counting.is_some().then_some(&had as &dyn Fn(u64) -> bool));
        spill.settle_dates(day_first);
        spill.finish().map_err(|e| IngestError::Scratch(e.to_string()))?;
        // Counted as the rows passed, the report's totals are those of every row; otherwise the
        // report is not given (its totals would be those of no rows).
        let Ingested { mut report, dataset } = ingested;
        let report = counting.map(|counting| {
            report.rows_accepted = counting.rows() as u64;
            report.totals = counting.finish(&dataset, day_first);
            report
        });
        Ok(SpilledRead { dataset, spill, report })
    }

    pub(crate) fn finish(self, reader: RowReader) -> Ingested {
        self.finish_with(reader, None).0
    }

    /// [`Head::finish`], and whether the dates read while the date order was open were turned
    /// round (the rest of the file put the day first). `known`: whether a row read had an order
    /// key, where the dataset does not hold its rows.
    pub(crate) fn finish_with(self, mut reader: RowReader, known: Option<&dyn Fn(u64) -> bool>) -> (Ingested, bool) {
        reader.flush();
        let RowReader { mut dataset, mut rejected, rows, currencies, tally, cancel_prefix, zero_is_guest, .. } = reader;
        let mut warnings = self.warnings;
        dataset.registration_dates = self.mapping.get(&Role::Date).is_some_and(|m| super::roles::is_registration_date(&m.name));
        if dataset.registration_dates && dataset.amount.is_none() && dataset.score.is_none() {
            warnings.push(Warning::RegistrationList);
        }
        let Tally {
            guest_rows,
            guest_amount,
            guest_lines,
            mut statuses,
            cancellations,
            refunded_rows,
            order_lines,
            excluded_orders,
            mut left_out,
            no_answer,
            day_first,
            month_first,
            settled_by,
            undecided_rows,
        } = tally;
        // Lines without an amount belong to an order only if the order has a line with one.
        let mut merged_lines = order_lines.len() as u64;
        let mut excluded_lines = 0u64;
        if !order_lines.is_empty() {
            let held: std::collections::HashSet<u64> = match known {
                Some(_) => Default::default(),
                None => dataset.order.as_ref().map(|o| o.keys.iter().copied().collect()).unwrap_or_default(),
            };
            let known = |k: &u64| known.map_or_else(|| held.contains(k), |had| had(*k));
            let column = self.mapping.get(&Role::Amount).map_or_else(String::new, |m| m.name.clone());
            let excluded: std::collections::HashSet<u64> = excluded_orders.iter().copied().collect();
            // Lines of orders left out for their status go with them.
            let dropped = order_lines.iter().filter(|(k, _)| !known(k) && excluded.contains(k)).count() as u64;
            excluded_lines += dropped;
            let orphans: Vec<u64> =
                order_lines.iter().filter(|(k, _)| !known(k) && !excluded.contains(k)).map(|&(_, l)| l).collect();
            merged_lines -= orphans.len() as u64 + dropped;
            for line in orphans {
                let reason = "amount is empty, and no other line of its order has one".to_string();
                rejected.push(Rejection {
                    row: line,
                    column: column.clone(),
                    value: String::new(),
                    reason,
                    code: "amount_empty".into(),
                });
            }
            rejected.sort_by_key(|r| r.row);
        }
        // Most rows first, then by name: the lists do not depend on the order of the file's rows.
        statuses.sort_by(|a, b| b.rows.cmp(&a.rows).then_with(|| a.status.cmp(&b.status)));
        left_out.sort_by_key(|l| l.role);
        let mut notices = Vec::new();
        let (mut date_order, mut date_order_ambiguous) = (self.date_order, self.date_order_ambiguous);
        let mut turned = false;
        if date_order_ambiguous {
            match (day_first > 0, month_first > 0) {
                (true, false) => {
                    turned = true;
                    // Read month first until the file said otherwise: turn the undecided ones round.
                    if let Some(days) = dataset.day.as_mut() {
                        for &i in &undecided_rows {
                            if let Some(d) = days.get_mut(i as usize) {
                                *d = values::swap_day_month(*d);
                            }
                        }
                    }
                    (date_order, date_order_ambiguous) = (DateOrder::Dmy, false);
                }
                (false, true) => (date_order, date_order_ambiguous) = (DateOrder::Mdy, false),
                (true, true) => warnings.push(Warning::MixedDateOrders { day_first, month_first }),
                (false, false) => warnings.push(Warning::AmbiguousDates),
            }
            if let (false, Some((line, text))) = (date_order_ambiguous, &settled_by) {
                notices.push(Notice::DateOrderSettled {
                    day_first: date_order == DateOrder::Dmy,
                    line: *line,
                    text: text.clone(),
                });
            }
        }
        let guests = (guest_rows > 0).then(|| Guests {
            rows: guest_rows,
            share: guest_rows as f64 / rows.max(1) as f64,
            revenue: crate::core::values::to_cents(guest_amount),
        });
        if let Some(g) = &guests {
            notices.push(Notice::Guests { rows: g.rows, share: g.share, amount: g.revenue });
        }
        let rows_excluded: u64 = statuses.iter().filter(|s| s.excluded).map(|s| s.rows).sum::<u64>() + excluded_lines;
        if rows_excluded > 0 {
            let left: Vec<(String, u64)> = statuses.iter().filter(|s| s.excluded).map(|s| (s.status.clone(), s.rows)).collect();
            notices.push(Notice::StatusesLeftOut { rows: rows_excluded, lines: excluded_lines, statuses: left });
        }
        if merged_lines > 0 {
            notices.push(Notice::OrderLines { lines: merged_lines });
        }
        if cancellations > 0 {
            notices.push(Notice::Cancellations { rows: cancellations });
        }
        if refunded_rows > 0 {
            notices.push(Notice::RefundedInFull { rows: refunded_rows });
        }
        for l in &left_out {
            notices.push(Notice::CellsLeftOut { role: l.role, cells: l.cells, row: l.row, value: l.value.clone() });
        }
        if no_answer > 0 {
            notices.push(Notice::NoAnswer { rows: no_answer });
        }
        let totals = dataset.totals();
        // Chosen, else written with the amounts, else named by a currency column.
        let written = currencies.into_iter().max_by_key(|&(_, n)| n).map(|(c, _)| c.into_owned());
        let currency = self.currency_chosen.or(written).or(self.currency_column);
        let layout = self.layout;
        let report = Report {
            file: layout.file,
            bytes: layout.bytes,
            format: layout.format,
            encoding: layout.encoding,
            bom: layout.bom,
            encoding_errors: layout.encoding_errors,
            delimiter: layout.format.delimiter_label().map(str::to_string),
            sheets: layout.sheets,
            sheet: layout.sheet,
            header: self.header,
            columns: self.columns,
            mapping: self.mapping,
            date_order,
            date_order_ambiguous,
            decimal_mark: self.decimal_mark,
            rows: rows as u64,
            rows_accepted: dataset.rows() as u64,
            rows_rejected: rejected.len() as u64,
            totals,
            currency,
            preview: self.preview,
            warnings: warnings.iter().map(ToString::to_string).collect(),
            warning_codes: warnings,
            rejected,
            amount_from: self.amount_from,
            guests,
            notices,
            statuses,
            rows_excluded,
            cancellations,
            refunded_rows,
            order_lines: merged_lines,
            cells_left_out: left_out,
            no_answer,
            date_order_settled_by: if date_order_ambiguous { None } else { settled_by },
            guest_lines,
            zero_ids_are_guests: zero_is_guest,
            cancellation_marker: cancel_prefix,
        };
        (Ingested { report, dataset }, turned)
    }
}

/// About how many rows `source` holds, from its size and the length of its first rows (a little
/// more than that, so that a slightly longer tail does not make the columns grow).
pub(super) fn expected_rows<'r>(source: &Source, bytes: u64, head: impl Iterator<Item = &'r Vec<String>>) -> usize {
    match source {
        Source::Grid(grid) => grid.rows.len(),
        Source::Text { .. } => {
            let (mut n, mut len) = (0usize, 0usize);
            for row in head {
                n += 1;
                // The cells, a separator after each (the last one's is the line end), quotes unknown.
                len += row.iter().map(|c| c.len() + 1).sum::<usize>();
            }
            if n == 0 || len == 0 {
                return 0;
            }
            let estimate = bytes as f64 / (len as f64 / n as f64) * 1.1;
            // Never more than one row per two bytes, whatever the head says.
            estimate.min(bytes as f64 / 2.0) as usize
        }
    }
}
