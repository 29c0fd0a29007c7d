//! The options of the commands, named as the CLI's flags are (`--date-order` is `date_order`): the
//! CLI fills them from its flags, the npm package deserialises them from the page's objects, where
//! a number may be given as a number, a list of thresholds as an array.

use super::ApiError;
use crate::core::analysis::cross_sell::CrossSellParams;
use crate::core::analysis::lifecycle::{Stage, TIER_NAMES, TIER_NAMES_EN};
use crate::core::analysis::pareto::Abc;
use crate::core::analysis::pyramid::{parse_tiers, Measure};
use crate::core::analysis::rfm::CnSegment;
use crate::core::analysis::states::State;
use crate::core::clv::form::ValidClvParams;
use crate::core::clv::summary::Unit;
use crate::core::clv::ClvParams;
use crate::core::ingest::table::Format;
use crate::core::ingest::{AmountFrom, IngestOptions, MapOverride};
use crate::core::report::rules::RulesForm;
use crate::core::report::segments::{CustomerFilter, Segmentation, SegmentationParams};
use crate::core::values::{parse_iso_date, DateOrder, DecimalMark};
use serde::Deserialize;

/// How a key is named in messages: `--r-thresholds` on the command line, `r_thresholds` in the
/// package.
pub type Naming = fn(&str) -> String;

/// Names keys as the CLI's flags.
pub fn flag(key: &str) -> String {
    format!("--{}", key.replace('_', "-"))
}

/// Names keys as the package's options.
pub fn key(key: &str) -> String {
    key.to_string()
}

/// How to read a file; everything is detected unless given.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadOptions {
    /// `ROLE=COLUMN` assignments, COLUMN a header name or 1-based position; `ROLE=` unmaps.
    pub map: Vec<String>,
    pub encoding: Option<String>,
    /// csv, tsv, semicolon, pipe or whitespace.
    pub delimiter: Option<String>,
    /// Whether the first row is a header.
    pub header: Option<bool>,
    /// An Excel sheet, by name or 1-based position.
    pub sheet: Option<String>,
    /// ymd, dmy or mdy.
    pub date_order: Option<String>,
    /// dot or comma.
    pub decimal: Option<String>,
    /// amount, quantity-x-unit-price or unit-price.
    pub amount_from: Option<String>,
    /// Statuses to leave out (replacing the default list of statuses that mean no sale).
    pub exclude_status: Vec<String>,
    pub keep_all_statuses: bool,
    /// An ISO code such as CNY.
    pub currency: Option<String>,
}

impl ReadOptions {
    /// The reader's options; `name` names keys in messages.
    ///
    /// # Errors
    /// An option that names no known delimiter, date order, decimal mark, amount rule or role.
    pub fn options(&self, name: Naming) -> Result<IngestOptions, ApiError> {
        let format =
            match &self.delimiter {
                Some(d) => Some(Format::from_key(d).ok_or_else(|| {
                    ApiError::option(format!("unknown delimiter '{d}' (csv, tsv, semicolon, pipe, whitespace)"))
                })?),
                None => None,
            };
        let date_order = match &self.date_order {
            Some(d) => Some(
                DateOrder::from_key(d).ok_or_else(|| ApiError::option(format!("unknown date order '{d}' (ymd, dmy, mdy)")))?,
            ),
            None => None,
        };
        let decimal_mark = match self.decimal.as_deref().map(str::trim) {
            Some("dot" | ".") => Some(DecimalMark::Dot),
            Some("comma" | ",") => Some(DecimalMark::Comma),
            Some(other) => return Err(ApiError::option(format!("unknown decimal mark '{other}' (dot, comma)"))),
            None => None,
        };
        let amount_from = match &self.amount_from {
            Some(a) => Some(AmountFrom::from_key(a).ok_or_else(|| {
                ApiError::option(format!("unknown {} '{a}' (amount, quantity-x-unit-price, unit-price)", name("amount_from")))
            })?),
            None => None,
        };
        Ok(IngestOptions {
            encoding: self.encoding.clone(),
            format,
            header: self.header,
            sheet: self.sheet.clone(),
            date_order,
            decimal_mark,
            map: self.map.iter().map(|m| MapOverride::parse(m)).collect::<Result<_, _>>().map_err(ApiError::option)?,
            amount_from,
            currency: self.currency.clone(),
            exclude_statuses: if self.keep_all_statuses {
                Some(Vec::new())
            } else {
                (!self.exclude_status.is_empty()).then(|| self.exclude_status.clone())
            },
        })
    }
}

/// A rule's value as given: text as typed on the command line, or a number, or a list of numbers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Given {
    Text(String),
    Number(f64),
    List(Vec<f64>),
}

impl Given {
    /// As the rules form takes it.
    fn text(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(x) => x.to_string(),
            Self::List(xs) => xs.iter().map(f64::to_string).collect::<Vec<_>>().join(","),
        }
    }
}

/// Every segmentation rule (defaults as in the app), and the pyramid's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// YYYY-MM-DD; default the day after the last transaction.
    pub as_of: Option<String>,
    pub bins: Option<Given>,
    pub r_thresholds: Option<Given>,
    pub f_thresholds: Option<Given>,
    pub m_thresholds: Option<Given>,
    pub abc_a: Option<Given>,
    pub abc_b: Option<Given>,
    pub tier_shares: Option<Given>,
    pub tier_amounts: Option<Given>,
    pub window_days: Option<Given>,
    pub rise: Option<Given>,
    pub fall: Option<Given>,
    /// The stable level: orders and spend in the lifecycle window.
    pub stable_orders: Option<Given>,
    pub stable_spend: Option<Given>,
    /// month or quarter.
    pub period: Option<String>,
    pub churn_days: Option<Given>,
    pub dormant_days: Option<Given>,
    /// The segment map's text, one segment per line: `Name: 555 554 …`.
    pub segment_map: Option<String>,
    /// The pyramid's ranking: rfm (default), total_spend, spend_12m or clv.
    pub measure: Option<String>,
    /// The pyramid's tiers, top first, one per line or separated by commas: `Name: percent`.
    pub tiers: Option<String>,
    /// Engagement weights per event type: `type: weight`, one per line or separated by commas.
    pub event_weights: Option<String>,
    /// Days after which an event counts half in the engagement score (default 90).
    pub half_life_days: Option<Given>,
    /// NPS counts each customer's latest answer only.
    pub nps_latest: bool,
}

impl Rules {
    /// The segmentation's parameters (not yet checked); `name` names keys in messages.
    ///
    /// # Errors
    /// A rule that cannot be read as its kind (a number, three numbers, a date …).
    pub fn params(&self, name: Naming) -> Result<SegmentationParams, ApiError> {
        let base = SegmentationParams::default();
        let mut form = RulesForm::from_params(&base, None);
        let set = |field: &mut String, given: &Option<Given>| {
            if let Some(g) = given {
                *field = g.text();
            }
        };
        form.as_of = self.as_of.clone().unwrap_or_default();
        set(&mut form.bins, &self.bins);
        set(&mut form.r_thresholds, &self.r_thresholds);
        set(&mut form.f_thresholds, &self.f_thresholds);
        set(&mut form.m_thresholds, &self.m_thresholds);
        set(&mut form.abc_a, &self.abc_a);
        set(&mut form.abc_b, &self.abc_b);
        let three = |key: &str, given: &Given| -> Result<[String; 3], ApiError> {
            let parts: Vec<String> = given.text().split(',').map(|x| x.trim().to_string()).collect();
            <[String; 3]>::try_from(parts)
                .map_err(|_| ApiError::option(format!("{} takes three numbers, e.g. 5,15,30", name(key))))
        };
        if let Some(t) = &self.tier_shares {
            form.tier_mode = "share".into();
            form.tiers = three("tier_shares", t)?;
        }
        if let Some(t) = &self.tier_amounts {
            form.tier_mode = "amount".into();
            form.tiers = three("tier_amounts", t)?;
        }
        set(&mut form.window_days, &self.window_days);
        set(&mut form.rise, &self.rise);
        set(&mut form.fall, &self.fall);
        set(&mut form.stable_orders, &self.stable_orders);
        set(&mut form.stable_spend, &self.stable_spend);
        if let Some(p) = &self.period {
            form.period = p.clone();
        }
        set(&mut form.churn_days, &self.churn_days);
        set(&mut form.dormant_days, &self.dormant_days);
        if let Some(map) = &self.segment_map {
            form.segments = map.clone();
        }
        let mut params = form.to_params(&base)?;
        if let Some(m) = &self.measure {
            params.pyramid.measure = match m.as_str() {
                "rfm" | "rfm_composite" => Measure::RfmComposite,
                "total_spend" => Measure::TotalSpend,
                "spend_12m" => Measure::Spend12Months,
                "clv" => Measure::Clv,
                "engagement" => Measure::Engagement,
                other => {
                    return Err(ApiError::option(format!(
                        "{} '{other}': rfm, total_spend, spend_12m, clv or engagement",
                        name("measure")
                    )))
                }
            };
        }
        if let Some(t) = &self.tiers {
            params.pyramid.tiers = parse_tiers(&t.replace([',', '，'], "\n"))?;
        }
        if let Some(w) = &self.event_weights {
            params.engagement.weights = crate::core::analysis::engagement::parse_weights(w)?;
        }
        if let Some(h) = &self.half_life_days {
            params.engagement.half_life_days = h
                .text()
                .trim()
                .parse()
                .map_err(|_| ApiError::option(format!("{} takes a number of days", name("half_life_days"))))?;
        }
        params.nps_latest = self.nps_latest;
        Ok(params)
    }
}

/// The CLV settings as given.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClvOptions {
    /// YYYY-MM-DD; default the last purchase day (no holdout).
    pub calibration_end: Option<String>,
    pub holdout_end: Option<String>,
    /// week or day.
    pub unit: String,
    pub horizon_months: u32,
    /// Monthly, e.g. 0.01.
    pub discount: f64,
}

impl Default for ClvOptions {
    fn default() -> Self {
        let p = ClvParams::default();
        Self {
            calibration_end: None,
            holdout_end: None,
            unit: "week".into(),
            horizon_months: p.horizon_months,
            discount: p.discount_monthly,
        }
    }
}

impl ClvOptions {
    /// The CLV parameters, checked.
    ///
    /// # Errors
    /// A date that cannot be read, an unknown unit, or a setting [`ClvParams::check`] refuses.
    pub fn params(&self, name: Naming) -> Result<ValidClvParams, ApiError> {
        let day = |key: &str, v: &Option<String>| {
            v.as_deref()
                .map(|text| parse_iso_date(text).map_err(|e| ApiError::new(e.code(), format!("{} {text}: {e}", name(key)))))
                .transpose()
        };
        let unit = match self.unit.as_str() {
            "week" | "weeks" => Unit::Week,
            "day" | "days" => Unit::Day,
            other => return Err(ApiError::option(format!("{} '{other}': week or day", name("unit")))),
        };
        let params = ClvParams {
            calibration_end: day("calibration_end", &self.calibration_end)?,
            holdout_end: day("holdout_end", &self.holdout_end)?,
            unit,
            horizon_months: self.horizon_months,
            discount_monthly: self.discount,
        };
        Ok(params.check()?)
    }
}

/// Category names: a list, or one text with names separated by commas.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Names {
    List(Vec<String>),
    Text(String),
}

impl Default for Names {
    fn default() -> Self {
        Self::List(Vec::new())
    }
}

impl Names {
    pub fn names(&self) -> Vec<String> {
        match self {
            Self::List(names) => names.iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect(),
            Self::Text(text) => text.split([',', '，']).map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect(),
        }
    }
}

/// Cross-purchase in sequence, named as the `cross-sell` command's flags: `anchor` and `targets`
/// (category names), `within_days` (default 180), `same_day` (default true), `benchmark` (a share,
/// default 0.28; `null` or `"none"` for none).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CrossSellOptions {
    pub anchor: Names,
    pub targets: Names,
    pub within_days: Option<Given>,
    pub same_day: bool,
    /// `None` (`null`) for no benchmark.
    pub benchmark: Option<Given>,
}

impl Default for CrossSellOptions {
    fn default() -> Self {
        Self {
            anchor: Names::default(),
            targets: Names::default(),
            within_days: None,
            same_day: true,
            benchmark: Some(Given::Number(0.28)),
        }
    }
}

impl CrossSellOptions {
    /// The core's parameters; `name` names keys in messages.
    ///
    /// # Errors
    /// `bad_option` for a window or benchmark that is not a number.
    pub fn params(&self, name: Naming) -> Result<CrossSellParams, ApiError> {
        let defaults = CrossSellParams::default();
        let within_days = match &self.within_days {
            None => defaults.within_days,
            Some(g) => g.text().trim().parse().map_err(|_| {
                ApiError::option(format!("{}: '{}' is not a whole number of days", name("within_days"), g.text()))
            })?,
        };
        let benchmark =
            match &self.benchmark {
                None => None,
                Some(g) if matches!(g.text().trim(), "" | "none") => None,
                Some(g) => Some(g.text().trim().parse::<f64>().map_err(|_| {
                    ApiError::option(format!("{}: '{}' is not a share such as 0.28", name("benchmark"), g.text()))
                })?),
            };
        Ok(CrossSellParams {
            anchor: self.anchor.names(),
            targets: self.targets.names(),
            within_days,
            same_day: self.same_day,
            benchmark,
        })
    }
}

/// The `actions` command's options: the playbook (its CSV or JSON text, or its rows; none: the
/// built-in one with its action names in `lang`), and for the list, one `action` by name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionsOptions {
    pub playbook: Option<PlaybookGiven>,
    /// `en` (default) or `zh`.
    pub lang: Option<String>,
    pub action: Option<String>,
}

/// A playbook as given: its file's text, or its rows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum PlaybookGiven {
    Text(String),
    Rows(Vec<crate::core::report::actions::PlaybookRow>),
}

impl ActionsOptions {
    /// The playbook.
    ///
    /// # Errors
    /// The playbook's own errors (`playbook_line`, `playbook_header` …), or an unknown language.
    pub fn playbook(&self) -> Result<crate::core::report::actions::Playbook, ApiError> {
        use crate::core::report::actions::Playbook;
        let zh = match self.lang.as_deref() {
            None | Some("en") => false,
            Some("zh") => true,
            Some(other) => return Err(ApiError::option(format!("lang '{other}': en or zh"))),
        };
        Ok(match &self.playbook {
            None => Playbook::default_in(zh),
            Some(PlaybookGiven::Text(text)) => Playbook::parse(text)?,
            Some(PlaybookGiven::Rows(rows)) => {
                Playbook::parse(&serde_json::to_string(rows).map_err(|e| ApiError::new("internal", e))?)?
            }
        })
    }

    /// The index of `action` in `playbook`, when one is named.
    ///
    /// # Errors
    /// `bad_option` for a name the playbook does not have.
    pub fn action(&self, playbook: &crate::core::report::actions::Playbook, name: Naming) -> Result<Option<usize>, ApiError> {
        self.action
            .as_ref()
            .map(|a| {
                playbook
                    .rows
                    .iter()
                    .position(|r| &r.action == a)
                    .ok_or_else(|| ApiError::option(format!("{} '{a}': the playbook has no such action", name("action"))))
            })
            .transpose()
    }
}

/// The `winback` command's options, named as its flags.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WinbackOptions {
    pub winback_dormant_days: Option<i32>,
    pub floor: Option<f64>,
}

impl WinbackOptions {
    pub fn params(&self) -> crate::core::report::actions::WinbackParams {
        let d = crate::core::report::actions::WinbackParams::default();
        crate::core::report::actions::WinbackParams {
            dormant_days: self.winback_dormant_days.unwrap_or(d.dormant_days),
            floor: self.floor,
        }
    }
}

/// Which customers a list holds, by the names the results use: `{"segment": "Champions"}`,
/// `{"cn_segment": "important_value"}`, `{"cell": {"r": 5, "f": 4}}`, `{"abc": "A"}`,
/// `{"tier": "金卡"}`, `{"stage": "decline"}`, `{"state": "lapsed"}`,
/// `{"moved": {"from": "loyal", "to": "lapsed"}}`, `{"pyramid": "活跃用户 Active"}`,
/// `{"cohort": {"label": "2024-03", "k": 1}}`, `{"not_yet": {"anchor": ["手机"], "targets": "穿戴设备,智能家居"}}`,
/// or `"all"`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Filter {
    #[default]
    All,
    Segment(String),
    CnSegment(CnSegment),
    Cell {
        r: u8,
        f: u8,
    },
    Abc(Abc),
    Tier(String),
    Stage(Stage),
    State(State),
    Moved {
        from: State,
        to: State,
    },
    Pyramid(String),
    /// Customers in tier `engagement` of the pyramid by engagement and tier `spend` of the pyramid
    /// by total spend (tier names): needs an events file and amounts.
    Participation {
        engagement: String,
        spend: String,
    },
    /// Customers whose stage (or `end`) moved from `from` to `to` in the stage chain's last transition.
    StageMoved {
        from: Stage,
        to: Stage,
    },
    /// A cohort by its label (`2024-03`, `2024Q1`), or with `k` those of it who bought k periods later.
    Cohort {
        label: String,
        #[serde(default)]
        k: Option<usize>,
    },
    /// A cell of the behaviour × attitude matrix.
    Attitude {
        behaviour: crate::core::report::attitude::Behaviour,
        attitude: crate::core::report::attitude::Attitude,
    },
    /// Customers who bought an `anchor` category and no `targets` category yet.
    NotYet {
        anchor: Names,
        targets: Names,
    },
}

impl Filter {
    /// The segmentation's filter: names looked up among its segments, tiers and pyramid tiers, and
    /// categories among `ds`'s.
    ///
    /// # Errors
    /// `unknown_group` for a name the segmentation does not have; `unknown_category` and the
    /// other cross-sell codes for categories that cannot be used.
    pub fn resolve(&self, ds: &crate::core::dataset::Dataset, seg: &Segmentation) -> Result<CustomerFilter, ApiError> {
        let find = |kind: &str, names: Vec<&str>, name: &str| -> Result<usize, ApiError> {
            names
                .iter()
                .position(|n| *n == name)
                .ok_or_else(|| ApiError::new("unknown_group", format!("there is no {kind} named '{name}'")))
        };
        Ok(match self {
            Self::All => CustomerFilter::All,
            Self::Segment(name) if name == "Unassigned" => CustomerFilter::Segment(seg.rfm.segment_map().len()),
            Self::Segment(name) => {
                CustomerFilter::Segment(find("segment", seg.rfm.segment_map().iter().map(|s| s.0.as_str()).collect(), name)?)
            }
            Self::CnSegment(c) => CustomerFilter::Cn(*c),
            Self::Cell { r, f } => CustomerFilter::Cell { r: *r, f: *f },
            Self::Abc(_) if seg.pareto.is_none() => {
                return Err(ApiError::new("no_amounts", "ABC classes are by revenue: the file has no amounts"));
            }
            Self::Abc(a) => CustomerFilter::Abc(*a),
            Self::Tier(name) => {
                // By the name the customer lists show (钻石) or the summary's key (Diamond).
                fn english(n: &str) -> &str {
                    TIER_NAMES.iter().position(|t| *t == n).map_or(n, |p| TIER_NAMES_EN[p])
                }
                let Some(tiers) = &seg.tiers else {
                    return Err(ApiError::new("no_amounts", "membership tiers are by spend: the file has no amounts"));
                };
                let names = tiers.names.iter().map(|n| if n == name { n.as_str() } else { english(n) }).collect();
                CustomerFilter::Tier(find("tier", names, name)?)
            }
            Self::Stage(s) => CustomerFilter::Stage(*s),
            Self::State(s) => CustomerFilter::State(*s),
            Self::Moved { from, to } => CustomerFilter::Moved { from: *from, to: *to },
            Self::Pyramid(name) => {
                CustomerFilter::Pyramid(find("pyramid tier", seg.pyramid.tiers.iter().map(|t| t.name.as_str()).collect(), name)?)
            }
            Self::StageMoved { from, to } => CustomerFilter::StageMoved { from: *from, to: *to },
            Self::Participation { engagement, spend } => {
                if seg.pyramid.participation.is_none() {
                    return Err(ApiError::new(
                        "no_participation",
                        "the participation comparison needs an events file and a file with amounts",
                    ));
                }
                let names: Vec<&str> = seg.pyramid.tiers.iter().map(|t| t.name.as_str()).collect();
                CustomerFilter::Participation {
                    engagement: find("pyramid tier", names.clone(), engagement)?,
                    spend: find("pyramid tier", names, spend)?,
                }
            }
            Self::Cohort { label, k } => {
                let at = find("cohort", seg.cohorts.cohorts.iter().map(|c| c.label.as_str()).collect(), label)?;
                CustomerFilter::Cohort { period: seg.cohorts.cohorts[at].period, k: *k }
            }
            Self::Attitude { behaviour, attitude } => CustomerFilter::Attitude { behaviour: *behaviour, attitude: *attitude },
            Self::NotYet { anchor, targets } => {
                let (anchor, targets) = (anchor.names(), targets.names());
                CrossSellParams { anchor: anchor.clone(), targets: targets.clone(), ..CrossSellParams::default() }
                    .resolve(ds)
                    .map_err(ApiError::from)?;
                CustomerFilter::NotYet { anchor, targets }
            }
        })
    }
}
