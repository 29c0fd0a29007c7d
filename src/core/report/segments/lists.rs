//! Customer lists for drill-down and export: which customers a filter holds, in what order, as
//! display rows.

use super::*;

/// Which customers a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerFilter {
    All,
    /// Index into the segment list; one past its end means customers whose code no segment lists.
    Segment(usize),
    Cn(CnSegment),
    Cell {
        r: u8,
        f: u8,
    },
    Abc(Abc),
    Tier(usize),
    Stage(Stage),
    State(State),
    /// Customers who moved from one state to another in the last transition.
    Moved {
        from: State,
        to: State,
    },
    /// A tier of the loyalty pyramid, top first.
    Pyramid(usize),
    /// The customers of the cohort first buying in `period` (months or quarters since year 0, as
    /// the rules' period counts), or, with `k`, those of them who bought in the k-th period after.
    Cohort {
        period: i32,
        k: Option<usize>,
    },
    /// Customers whose lifecycle stage (or 终止) went from `from` to `to` in the stage chain's last
    /// transition.
    StageMoved {
        from: Stage,
        to: Stage,
    },
    /// Customers in tier `engagement` of the pyramid by engagement and tier `spend` of the pyramid
    /// by total spend (the participation comparison).
    Participation {
        engagement: usize,
        spend: usize,
    },
    /// Customers of one cell of the behaviour × attitude matrix.
    Attitude {
        behaviour: crate::core::report::attitude::Behaviour,
        attitude: crate::core::report::attitude::Attitude,
    },
    /// Customers who bought one of the `anchor` categories and none of the `targets` (at any time):
    /// whom to offer a target (see `analysis::cross_sell`). Needs the rows, so only
    /// [`Segmentation::order`] knows them.
    NotYet {
        anchor: Vec<String>,
        targets: Vec<String>,
    },
}

impl Segmentation {
    /// Customer `i`'s (index into the facts) named segment; `Unassigned` when no segment lists
    /// their code.
    pub fn segment_name(&self, i: usize) -> &str {
        self.rfm.scores[i].segment.map_or("Unassigned", |k| self.rfm.segment_map()[k].0.as_str())
    }

    /// Whether customer `i` (index into the facts) passes `filter`; never for
    /// [`CustomerFilter::NotYet`], which needs the rows ([`Segmentation::order`]).
    pub fn matches(&self, i: usize, filter: &CustomerFilter) -> bool {
        let s = &self.rfm.scores[i];
        match *filter {
            CustomerFilter::NotYet { .. } => false,
            CustomerFilter::Attitude { behaviour, attitude } => {
                crate::core::report::attitude::Behaviour::of(self.states.current[i]) == behaviour
                    && self.attitude.get(i).copied().flatten().is_some_and(|a| a.0 == attitude)
            }
            CustomerFilter::All => true,
            CustomerFilter::Segment(k) if k >= self.rfm.segment_map().len() => s.segment.is_none(),
            CustomerFilter::Segment(k) => s.segment == Some(k),
            CustomerFilter::Cn(c) => s.cn_segment == Some(c),
            CustomerFilter::Cell { r, f } => s.r == r && s.f == f,
            CustomerFilter::Abc(a) => self.pareto.as_ref().is_some_and(|p| p.classes[i] == a),
            CustomerFilter::Tier(t) => self.tiers.as_ref().is_some_and(|x| x.of[i] == t),
            CustomerFilter::Stage(st) => self.stages[i] == st,
            CustomerFilter::State(st) => self.states.current[i] == st,
            CustomerFilter::Moved { from, to } => self.states.previous[i] == Some(from) && self.states.current[i] == to,
            CustomerFilter::Pyramid(k) => self.pyramid.of.get(i) == Some(&k),
            CustomerFilter::Participation { engagement, spend } => self
                .pyramid
                .participation
                .as_ref()
                .is_some_and(|p| p.engagement_of.get(i) == Some(&engagement) && p.spend_of.get(i) == Some(&spend)),
            CustomerFilter::StageMoved { from, to } => {
                self.chain.previous.get(i) == Some(&Some(from)) && self.chain.current.get(i) == Some(&Some(to))
            }
            CustomerFilter::Cohort { period, k } => {
                let (c, length) = (&self.facts.customers[i], self.params.states.period);
                length.of(c.first_day) == period
                    && k.is_none_or(|k| {
                        let q = period + k as i32;
                        c.orders_between(length.start(q), length.end(q)) > 0
                    })
            }
        }
    }

    /// Customer `i`'s (index into the facts) engagement score, to 6 decimals, when an events
    /// file is given.
    pub fn engagement_score(&self, i: usize) -> Option<f64> {
        let e = self.engagement.as_ref()?;
        let score = e.score.get(self.facts.customers[i].customer as usize).copied().unwrap_or(0.0);
        Some((score * 1e6).round() / 1e6 + 0.0)
    }

    /// Customers passing `filter` as display rows, highest monetary value first.
    pub fn rows(&self, dataset: &Dataset, filter: &CustomerFilter) -> Vec<CustomerRow> {
        self.order(dataset, filter).into_iter().map(|i| self.row(dataset, i)).collect()
    }

    /// Indices (into the facts) of the customers passing `filter`, highest monetary value (to the
    /// cent) first — without amounts, most orders first — ties by customer id. Cheap to keep, so a
    /// paged list sorts once, not per page.
    pub fn order(&self, dataset: &Dataset, filter: &CustomerFilter) -> Vec<usize> {
        let cents = |i: usize| {
            let c = &self.facts.customers[i];
            if self.facts.amounts {
                (c.monetary * 100.0).round()
            } else {
                f64::from(c.frequency)
            }
        };
        let id = |i: usize| dataset.customers.name(self.facts.customers[i].customer).unwrap_or_default();
        let mut out: Vec<usize> = match filter {
            CustomerFilter::NotYet { anchor, targets } => {
                let params = CrossSellParams { anchor: anchor.clone(), targets: targets.clone(), ..CrossSellParams::default() };
                // Names that are not categories hold nobody (the API checks them before).
                let pending = cross_sell(dataset, self.facts.as_of, self.params.states.period, &params)
                    .map(|x| x.pending)
                    .unwrap_or_default();
                let pending = |i: usize| pending.get(self.facts.customers[i].customer as usize).copied().unwrap_or(false);
                (0..self.facts.customers.len()).filter(|&i| pending(i)).collect()
            }
            _ => (0..self.facts.customers.len()).filter(|&i| self.matches(i, filter)).collect(),
        };
        out.sort_by(|&a, &b| cents(b).total_cmp(&cents(a)).then_with(|| id(a).cmp(id(b))));
        out
    }

    /// Customer `i` (index into the facts) as a display row.
    pub fn row(&self, dataset: &Dataset, i: usize) -> CustomerRow {
        let RfmRow { customer_id, recency_days, frequency, monetary, r, f, m, segment, cn_segment } =
            RfmRow::of(dataset, &self.facts, &self.rfm, i);
        CustomerRow {
            customer_id: customer_id.to_string(),
            recency_days,
            frequency,
            monetary,
            r,
            f,
            m,
            segment: segment.to_string(),
            cn_segment: cn_segment.to_string(),
            abc: self.pareto.as_ref().map(|p| p.classes[i].label().to_string()).unwrap_or_default(),
            tier: self.tiers.as_ref().and_then(|t| t.names.get(t.of[i]).cloned()).unwrap_or_default(),
            stage: self.stages[i].zh().to_string(),
            state: self.states.current[i].en().to_string(),
            engagement_score: self.engagement_score(i),
            source: None,
        }
    }
}

/// One customer in a list; the first nine fields are the `rfm` CSV columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub customer_id: String,
    pub recency_days: i32,
    pub frequency: u32,
    /// `None` without amounts (printed empty).
    pub monetary: Option<f64>,
    pub r: u8,
    pub f: u8,
    pub m: Option<u8>,
    pub segment: String,
    pub cn_segment: String,
    pub abc: String,
    pub tier: String,
    pub stage: String,
    pub state: String,
    /// The engagement score (to 6 decimals) when an events file is given; the column is left out
    /// of the export otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement_score: Option<f64>,
    /// The acquisition source of the member list, when one is given (empty for a customer it
    /// does not list); the column is left out of the export otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The columns of a customer list exported ([`crate::core::export::customers_csv`]), in the order of [`CustomerRow`]'s fields.
pub const CUSTOMER_COLUMNS: [&str; 13] = [
    "customer_id",
    "recency_days",
    "frequency",
    "monetary",
    "r",
    "f",
    "m",
    "segment",
    "cn_segment",
    "abc",
    "tier",
    "stage",
    "state",
];
