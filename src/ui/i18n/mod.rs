//! Interface texts in Chinese and English. The language follows the browser and can be switched;
//! the choice (a setting, not customer data) is remembered in localStorage.

use crate::core::analysis::pyramid::PyramidError;
use crate::core::clv::form::{ClvFormError, MAX_HORIZON_MONTHS};
use crate::core::ingest::roles::Role;
use crate::core::report::rules::RulesError;
use crate::protocol::ProgressStage;
use crate::ui::state::Problem;

mod en;
mod zh;

pub use self::en::EN;
pub use self::zh::ZH;
use self::zh::{zh_field, zh_problem};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

#[cfg(target_arch = "wasm32")]
const STORAGE_KEY: &str = "loyalty-lens.lang";

impl Lang {
    /// The saved choice, else the browser's language.
    #[cfg(target_arch = "wasm32")]
    pub fn initial() -> Lang {
        let window = web_sys::window();
        let saved =
            window.as_ref().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let code = saved.or_else(|| window.and_then(|w| w.navigator().language())).unwrap_or_default();
        if code.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// Remembers the choice (a setting, not customer data) for the next visit.
    #[cfg(target_arch = "wasm32")]
    pub fn save(self) {
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(STORAGE_KEY, self.code());
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    pub fn role(self, role: Role) -> &'static str {
        let (zh, en) = match role {
            Role::CustomerId => ("客户ID", "Customer ID"),
            Role::Date => ("下单日期", "Order date"),
            Role::Amount => ("金额", "Amount"),
            Role::OrderId => ("订单号", "Order ID"),
            Role::Quantity => ("数量", "Quantity"),
            Role::Channel => ("渠道", "Channel"),
            Role::Category => ("品类", "Category"),
            Role::MemberLevel => ("会员等级", "Member level"),
            Role::Score => ("NPS 评分", "NPS score"),
            Role::Comment => ("评论", "Comment"),
            Role::UnitPrice => ("单价", "Unit price"),
            Role::OrderStatus => ("订单状态", "Order status"),
            Role::RefundAmount => ("退款金额", "Refund amount"),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Why a role went to its column, in the page's language.
    pub fn why(self, reason: &crate::core::ingest::roles::Reason) -> String {
        use crate::core::ingest::roles::{Reason, ValueKind};
        if self == Lang::En {
            return reason.to_string();
        }
        match reason {
            Reason::Header { name } => format!("来自列名 {name}"),
            Reason::HeaderPart { name, part } => format!("来自列名 {name}（“{part}”）"),
            Reason::Values { kind, distinct, rows } => {
                let what = match kind {
                    ValueKind::Dates => "个日期",
                    ValueKind::Ids => "个ID",
                    ValueKind::Amounts => "个金额",
                    ValueKind::Quantities => "个整数",
                    ValueKind::OrderNumbers => "个订单号",
                };
                format!("来自数据：{rows} 行中有 {distinct} {what}")
            }
            Reason::Chosen => "手动选择".into(),
        }
    }

    /// What reading did to rows ([`crate::core::ingest::tally::Notice`]), in the page's language.
    pub fn notice(self, notice: &crate::core::ingest::tally::Notice) -> String {
        use crate::core::ingest::tally::Notice as N;
        use crate::ui::format::{int, money};
        match (self, notice) {
            (Lang::En, N::Guests { rows, share, amount }) => format!(
                "{} line(s) ({:.0}%, amount {}) have no customer id: guest orders, left out of the customer analyses",
                int(*rows),
                share * 100.0,
                money(*amount)
            ),
            (Lang::En, _) => notice.to_string(),
            (Lang::Zh, n) => self.notice_zh(n),
        }
    }

    fn notice_zh(self, notice: &crate::core::ingest::tally::Notice) -> String {
        use crate::core::ingest::tally::Notice as N;
        use crate::ui::format::{int, money};
        match notice {
            N::Guests { rows, share, amount } => {
                format!(
                    "{} 行（{:.0}%，金额 {}）没有客户ID：是游客订单，不计入客户分析",
                    int(*rows),
                    share * 100.0,
                    money(*amount)
                )
            }
            N::StatusesLeftOut { rows, lines, statuses } => {
                let names: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}（{n}）")).collect();
                let more = if *lines > 0 { format!("（另有这些订单的 {lines} 行明细）") } else { String::new() };
                format!("{rows} 行因订单状态不计入{more}：{}", names.join("、"))
            }
            N::OrderLines { lines } => format!("{lines} 行明细没有自己的金额：它们属于金额写在首行的订单，随订单计算"),
            N::Cancellations { rows } => format!("{rows} 行是取消单（订单号以 C 开头）：按退货计算"),
            N::RefundedInFull { rows } => format!("{rows} 行已全额退款：不算作订单"),
            N::CellsLeftOut { role, cells, row, value } => {
                format!("{cells} 个“{}”单元格无法读取，已略去（第一个：第 {row} 行，“{value}”）；所在行保留", self.role(*role))
            }
            N::NoAnswer { rows } => format!("{rows} 行没有评分：记为未作答"),
            N::DateOrderSettled { day_first, line, text } => {
                format!("日期为{}：第 {line} 行是 {text}", if *day_first { "日在前" } else { "月在前" })
            }
            N::FactsFile { customers, lines } => format!(
                "这是客户事实文件：{} 位客户，{} 条汇总明细（代表他们的订单与退货）；客户详情显示这些汇总明细，而不是原始订单行",
                int(*customers),
                int(*lines)
            ),
        }
    }

    /// A warning about the file in the page's language.
    pub fn warning(self, warning: &crate::core::ingest::tally::Warning) -> String {
        use crate::core::ingest::tally::Warning as W;
        if self == Lang::En {
            return warning.to_string();
        }
        match warning {
            W::EncodingErrors { encoding } => {
                format!("部分字节不是有效的 {encoding}，已替换为 �。如果文字显示为乱码，请选择其他编码。")
            }
            W::TitleLines { lines } => format!("已跳过表格上方的 {lines} 行标题"),
            W::DuplicateHeader { name } => format!("表头中“{name}”出现了不止一次；按列名选择时使用第一列"),
            W::SurveyWithoutIds => "没有客户ID列：这些回答计入 NPS，但无法与购买记录关联".to_string(),
            W::RegistrationList => {
                "日期列是注册日期且没有金额：这是会员或线索名单，不是购买记录（可作为漏斗的会员名单使用，或映射购买日期）".to_string()
            }
            W::MixedDateOrders { day_first, month_first } => format!(
                "日期列既有日在前的日期（{day_first} 个，如 13/01），也有月在前的日期（{month_first} 个，如 01/13）；两部分都不超过 12 的日期按月在前读取：如有误，请选择日期顺序"
            ),
            W::AmbiguousDates => {
                "03/04/2024 这样的日期既可能是日在前也可能是月在前；已按月在前读取：如有误，请选择日期顺序".to_string()
            }
        }
    }

    /// How the amount is made, in the page's language.
    pub fn amount_from(self, from: crate::core::ingest::AmountFrom) -> &'static str {
        use crate::core::ingest::AmountFrom as A;
        match (self, from) {
            (Lang::Zh, A::Amount) => "金额 = 金额列",
            (Lang::Zh, A::QuantityTimesUnitPrice) => "金额 = 数量 × 单价",
            (Lang::Zh, A::UnitPrice) => "金额 = 单价（每行一件）",
            (Lang::En, A::Amount) => "Amount = the amount column",
            (Lang::En, A::QuantityTimesUnitPrice) => "Amount = Quantity × Unit price",
            (Lang::En, A::UnitPrice) => "Amount = Unit price (one unit a line)",
        }
    }

    /// A Chinese sentence for an ingest error code; English shows the core's own message.
    pub fn error(self, code: &str) -> Option<&'static str> {
        if self == Lang::En {
            return None;
        }
        Some(match code {
            "empty" => "文件是空的，没有可读取的数据行。",
            "binary" => "这不是客户数据表格，请选择 CSV、文本或 Excel 文件。",
            "workbook" => "无法读取这个 Excel 工作簿：文件可能已损坏，或不是 Excel 格式。",
            "no_customer_column" => "没有找到可以作为客户ID的列。",
            "unknown_column" => "指定的列不存在。",
            "unknown_encoding" => "不认识这个编码。",
            "too_large" => "文件太大，浏览器放不下：请使用 loyalty-lens 命令行工具处理更大的文件。",
            "too_wide" => "有一行的字段超过 16,384 个，比表格能有的列还多：文件的换行符可能丢失了。",
            "replaced" => "已改为读取另一个文件。",
            "facts_invalid" => {
                "这个客户事实文件的内容与它的表头不符（某一行的汇总列与明细不一致，或格式有误），没有读取任何数据。"
            }
            _ => return None,
        })
    }

    /// A pyramid tier's name in the page's language: the default names are bilingual
    /// (`超级米粉 Super fans`) so that exports read in both; a page shows its own half. A name the
    /// user typed stays as it is.
    pub fn tier_label(self, name: &str) -> String {
        match crate::core::analysis::pyramid::default_tier_halves(name) {
            Some((zh, en)) => if self == Lang::Zh { zh } else { en }.to_string(),
            None => name.to_string(),
        }
    }

    /// A named segment in the page's language (a name of an edited map stays as it is).
    pub fn segment_label(self, name: &str) -> String {
        match self {
            Lang::Zh => crate::core::analysis::rfm::segment_name_zh(name).unwrap_or(name).to_string(),
            Lang::En => name.to_string(),
        }
    }

    /// An 8-class model class as the lists carry it (its Chinese name) in the page's language.
    pub fn class_label(self, zh: &str) -> String {
        use crate::core::analysis::rfm::CnSegment;
        match (self, CnSegment::ALL.into_iter().find(|c| c.zh() == zh)) {
            (Lang::En, Some(c)) => c.en().to_string(),
            _ => zh.to_string(),
        }
    }

    /// A lifecycle stage's name in the page's language.
    pub fn stage_name(self, s: crate::core::analysis::lifecycle::Stage) -> &'static str {
        if self == Lang::Zh {
            s.zh()
        } else {
            s.en()
        }
    }

    /// A customer state's name in the page's language.
    pub fn state_name(self, s: crate::core::analysis::states::State) -> &'static str {
        if self == Lang::Zh {
            s.zh()
        } else {
            s.en()
        }
    }

    /// A lifecycle stage as the lists carry it (its Chinese name) in the page's language.
    pub fn stage_label(self, zh: &str) -> String {
        use crate::core::analysis::lifecycle::Stage;
        Stage::ALL.into_iter().find(|s| s.zh() == zh).map_or_else(|| zh.to_string(), |s| self.stage_name(s).to_string())
    }

    /// A customer state as the lists carry it (its English name) in the page's language.
    pub fn state_label(self, en: &str) -> String {
        use crate::core::analysis::states::State;
        State::ALL.into_iter().find(|s| s.en() == en).map_or_else(|| en.to_string(), |s| self.state_name(s).to_string())
    }

    /// Why the worker could not segment, fit CLV or export, in the page's language: Chinese by the
    /// problem's code, else its English message.
    pub fn problem(self, problem: &Problem) -> String {
        if self == Lang::Zh {
            if let Some(zh) = zh_problem(&problem.code) {
                return zh.to_string();
            }
            // Problems whose English message carries the specifics: a Chinese lead, then it.
            let lead = match problem.code.as_str() {
                "clv_summary" => "无法汇总客户",
                "clv_fit" => "模型拟合失败",
                "export_failed" => "导出失败",
                "unknown_category" => "文件中没有这个品类",
                "unknown_customer" => "没有这个客户",
                "playbook_empty" | "playbook_header" | "playbook_line" | "playbook_unknown_segment" | "playbook_unknown_tier" => {
                    "行动手册有误"
                }
                _ => return problem.message.clone(),
            };
            return format!("{lead}（{}）", problem.message);
        }
        problem.message.clone()
    }

    /// A rules form that cannot be applied, in the page's language.
    pub fn rules_error(self, e: &RulesError) -> String {
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            RulesError::NotANumber { field, text } => format!("{}：“{text}”不是数字", zh_field(*field)),
            RulesError::NotWhole { field, text } => format!("{}：“{text}”不是整数", zh_field(*field)),
            RulesError::AsOf(_) => "截止日期不是有效的日期（例如 2024-03-05）".into(),
            RulesError::StateWindows => "流失窗口和沉睡阈值都至少是一天".into(),
            RulesError::MapNoColon { line } => format!("分群规则第 {line} 行：应写作“名称: 555 554 …”"),
            RulesError::MapNoName { line } => format!("分群规则第 {line} 行：分群没有名称"),
            RulesError::MapCode { line, name, code } => {
                format!("分群规则第 {line} 行（{name}）：“{code}”不是 RFM 代码（三位数字，每位 1 到 5）")
            }
            RulesError::MapEmpty => "分群规则是空的".into(),
            RulesError::Rule(rule) => zh_problem(rule.code()).map_or_else(|| rule.to_string(), str::to_string),
        }
    }

    /// CLV settings that cannot be used, in the page's language.
    pub fn clv_form_error(self, e: &ClvFormError) -> String {
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            ClvFormError::CalibrationEnd(_) => "校准截止日期应写作 YYYY-MM-DD，且是日历上的一天".into(),
            ClvFormError::HoldoutEnd(_) => "验证截止日期应写作 YYYY-MM-DD，且是日历上的一天（或留空）".into(),
            ClvFormError::Horizon => format!("预测期：1–{MAX_HORIZON_MONTHS} 的整数月数"),
            ClvFormError::Discount => "折现率：每月的百分比，0–100".into(),
            ClvFormError::Params(p) => zh_problem(p.code()).map_or_else(|| p.to_string(), str::to_string),
        }
    }

    /// Pyramid tiers that cannot be used, in the page's language.
    pub fn pyramid_error(self, e: &PyramidError) -> String {
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            PyramidError::LineNoColon { line } => format!("金字塔第 {line} 行：应写作“名称: 百分比”"),
            PyramidError::LineNotPercent { line, name, text } => format!("金字塔第 {line} 行（{name}）：“{text}”不是百分比"),
            PyramidError::TierCount(n) => format!("金字塔需要 2 到 6 层，而不是 {n} 层"),
            other => zh_problem(other.code()).map_or_else(|| other.to_string(), str::to_string),
        }
    }

    /// A Chinese reason for a rejected row's code; English shows the core's own reason.
    pub fn reason(self, code: &str) -> Option<&'static str> {
        if self == Lang::En {
            return None;
        }
        Some(match code {
            "id_empty" => "客户ID为空",
            "row_too_short" => "这一行的列数不够",
            "date_empty" => "日期为空",
            "date_invalid" => "不是日期（应为 2024-03-05、2024/3/5、20240305 或 2024年3月5日 等）",
            "date_no_such_day" => "日历上没有这一天",
            "date_year_out_of_range" => "年份不在 1900–2100 之间",
            "date_ambiguous" => "无法确定日和月的先后：请选择日期顺序",
            "amount_empty" => "金额为空",
            "amount_invalid" => "不是数字（应为 1299.00、¥1,299，退款可写作 -35.50 或 (35.50)）",
            "amount_not_finite" => "不是有限的数字",
            "amount_too_large" => "金额大得不合理（超过 10¹²）",
            "quantity_invalid" => "数量不是数字",
            "score_invalid" => "评分应为 0–10 的整数",
            "score_empty" => "问卷行没有评分",
            _ => return None,
        })
    }

    pub fn stage(self, stage: ProgressStage) -> &'static str {
        let t = self.texts();
        match stage {
            ProgressStage::Reading => t.stage_reading,
            ProgressStage::Generating => t.stage_generating,
            ProgressStage::Workbook => t.stage_workbook,
            ProgressStage::Decoding => t.stage_decoding,
            ProgressStage::Parsing => t.stage_parsing,
        }
    }
}

pub struct Texts {
    pub title: &'static str,
    pub tagline: &'static str,
    pub privacy: &'static str,
    pub drop_here: &'static str,
    pub choose_file: &'static str,
    pub formats_hint: &'static str,
    pub try_sample: &'static str,
    pub clear_data: &'static str,
    pub stage_reading: &'static str,
    pub stage_generating: &'static str,
    pub stage_workbook: &'static str,
    pub stage_decoding: &'static str,
    pub stage_parsing: &'static str,
    pub error_title: &'static str,
    pub error_hint: &'static str,
    /// Under the message of a file refused while another one is shown.
    pub refusal_kept: &'static str,
    pub dismiss: &'static str,
    pub summary_title: &'static str,
    pub rows_accepted: &'static str,
    pub rows_rejected: &'static str,
    pub customers: &'static str,
    pub orders: &'static str,
    pub date_range: &'static str,
    pub revenue: &'static str,
    pub refunds: &'static str,
    pub responses: &'static str,
    pub reading_title: &'static str,
    pub format: &'static str,
    pub encoding: &'static str,
    pub delimiter: &'static str,
    pub header: &'static str,
    pub header_yes: &'static str,
    pub header_no: &'static str,
    pub sheet: &'static str,
    pub hidden: &'static str,
    pub date_order: &'static str,
    pub date_order_ambiguous: &'static str,
    pub auto: &'static str,
    pub mapping_title: &'static str,
    pub mapping_hint: &'static str,
    pub role: &'static str,
    pub column: &'static str,
    pub samples: &'static str,
    pub not_mapped: &'static str,
    pub rejected_title: &'static str,
    pub rejected_none: &'static str,
    pub rejected_shown: &'static str,
    pub download_csv: &'static str,
    pub row: &'static str,
    pub value: &'static str,
    pub reason: &'static str,
    pub preview_title: &'static str,
    pub warnings_title: &'static str,
    pub worker_failed: &'static str,
    /// The worker crashed after it had started; a new one replaced it.
    pub worker_crashed: &'static str,
    /// The screen shown when the page itself hits an internal error.
    pub crash_title: &'static str,
    pub crash_body: &'static str,
    pub crash_reload: &'static str,
    pub tab_data: &'static str,
    pub tab_segments: &'static str,
    pub seg_rules: &'static str,
    pub as_of: &'static str,
    pub bins: &'static str,
    pub apply: &'static str,
    pub segments_title: &'static str,
    pub segments_hint: &'static str,
    pub cn_title: &'static str,
    pub rf_title: &'static str,
    /// The heat map's title without amounts (no mean spend in the cells).
    pub rf_title_counts: &'static str,
    pub abc_title: &'static str,
    pub gini: &'static str,
    pub top20: &'static str,
    pub lorenz: &'static str,
    pub group: &'static str,
    pub customer_share: &'static str,
    pub revenue_share: &'static str,
    pub mean_r: &'static str,
    pub mean_f: &'static str,
    pub mean_m: &'static str,
    pub list_title: &'static str,
    pub export_csv: &'static str,
    pub prev: &'static str,
    pub next: &'static str,
    pub recency: &'static str,
    pub frequency: &'static str,
    pub monetary: &'static str,
    pub segment: &'static str,
    pub cn_segment: &'static str,
    pub abc_class: &'static str,
    pub seg_unavailable: &'static str,
    pub rows_after_as_of: &'static str,
    pub all_customers: &'static str,
    pub tab_lifecycle: &'static str,
    pub kpi_repurchase: &'static str,
    pub kpi_reactivation: &'static str,
    pub kpi_cross: &'static str,
    pub kpi_top5: &'static str,
    pub tiers_title: &'static str,
    pub stages_title: &'static str,
    pub states_title: &'static str,
    pub transitions_title: &'static str,
    pub whole_history: &'static str,
    pub last_transition: &'static str,
    pub projection_title: &'static str,
    pub chain_title: &'static str,
    /// `{period}` month or quarter, `{churn}` the churn days.
    pub chain_rule: &'static str,
    pub chain_expected: &'static str,
    pub chain_never: &'static str,
    pub trends_title: &'static str,
    /// The KPI rules; `{dormant}` is the dormancy in days.
    pub trends_rule: &'static str,
    pub kpi_repeat_customers: &'static str,
    pub kpi_returning_buyers: &'static str,
    pub kpi_reactivation_period: &'static str,
    pub trend_before: &'static str,
    pub trend_after: &'static str,
    pub trend_change: &'static str,
    pub trend_significant: &'static str,
    pub trend_not_significant: &'static str,
    pub trend_untestable: &'static str,
    pub points: &'static str,
    /// `{label}` the latest period, `{previous}` the one before.
    pub latest_vs: &'static str,
    pub cohorts_title: &'static str,
    /// The cohort rules; `{period}` is month or quarter in words.
    pub cohorts_rule: &'static str,
    pub cohort_retention: &'static str,
    pub cohort_revenue: &'static str,
    pub cohort_repeat: &'static str,
    pub cohort_partial: &'static str,
    pub cohort_left_out: &'static str,
    pub month_word: &'static str,
    pub quarter_word: &'static str,
    pub periods_title: &'static str,
    pub period: &'static str,
    pub reactivation: &'static str,
    pub channels_title: &'static str,
    pub channel: &'static str,
    pub repeat_rate: &'static str,
    pub revenue_per_customer: &'static str,
    pub aov: &'static str,
    pub category_matrix_title: &'static str,
    pub ahead: &'static str,
    pub r_thresholds: &'static str,
    pub f_thresholds: &'static str,
    pub m_thresholds: &'static str,
    pub abc_a: &'static str,
    pub abc_b: &'static str,
    pub tier_mode: &'static str,
    pub tier_by_share: &'static str,
    pub tier_by_amount: &'static str,
    pub window_days: &'static str,
    pub rise: &'static str,
    pub fall: &'static str,
    pub tab_actions: &'static str,
    pub pb_title: &'static str,
    pub pb_rule: &'static str,
    pub pb_segment: &'static str,
    pub pb_stage: &'static str,
    pub pb_pyramid: &'static str,
    pub pb_action: &'static str,
    pub pb_channel: &'static str,
    pub pb_priority: &'static str,
    pub pb_rate: &'static str,
    pub pb_add: &'static str,
    pub pb_remove: &'static str,
    pub pb_default: &'static str,
    pub pb_load: &'static str,
    pub pb_save: &'static str,
    pub pb_names: &'static str,
    pub act_title: &'static str,
    pub act_revenue: &'static str,
    pub act_clv: &'static str,
    pub act_expected: &'static str,
    pub act_unmatched: &'static str,
    pub act_export_all: &'static str,
    pub wb_title: &'static str,
    pub wb_rule: &'static str,
    pub wb_basis_clv: &'static str,
    pub wb_basis_spend: &'static str,
    pub wb_dormant: &'static str,
    pub wb_floor: &'static str,
    pub wb_invest: &'static str,
    pub wb_let_go: &'static str,
    pub wb_value: &'static str,
    pub wb_floor_used: &'static str,
    pub wb_spend_12m: &'static str,
    pub clv_first_channel: &'static str,
    pub clv_groups_title: &'static str,
    pub clv_multiple: &'static str,
    pub clv_groups_customer_share: &'static str,
    pub clv_groups_clv_share: &'static str,
    pub clv_groups_mean: &'static str,
    pub beh_loyal: &'static str,
    pub beh_repeat: &'static str,
    pub beh_new: &'static str,
    pub beh_lapsed: &'static str,
    pub lm_title: &'static str,
    pub lm_rule: &'static str,
    pub lm_true: &'static str,
    pub lm_latent: &'static str,
    pub lm_spurious: &'static str,
    pub lm_none: &'static str,
    pub lm_after: &'static str,
    pub pf_open: &'static str,
    pub pf_title: &'static str,
    pub pf_close: &'static str,
    pub pf_keys: &'static str,
    pub pf_timeline: &'static str,
    pub pf_timeline_desc: &'static str,
    pub pf_periods: &'static str,
    pub pf_answers: &'static str,
    pub pf_no_answers: &'static str,
    pub pf_first_order: &'static str,
    pub pf_last_purchase: &'static str,
    pub pf_days_ago: &'static str,
    pub pf_aov: &'static str,
    pub pf_spend_12m: &'static str,
    pub pf_first_channel: &'static str,
    pub pf_categories: &'static str,
    pub pf_channels: &'static str,
    pub pf_pyramid: &'static str,
    pub pf_p_alive: &'static str,
    pub pf_expected: &'static str,
    pub pf_no_clv: &'static str,
    pub pf_action: &'static str,
    pub pf_everyone_in: &'static str,
    pub pf_date: &'static str,
    pub pf_amount: &'static str,
    pub pf_rows: &'static str,
    pub pf_return: &'static str,
    pub pf_period: &'static str,
    pub pf_after_as_of: &'static str,
    pub pf_stage: &'static str,
    pub pf_state: &'static str,
    pub pf_state_short: &'static str,
    pub pf_tier: &'static str,
    pub pf_orders: &'static str,
    pub pf_spend: &'static str,
    pub clv_needs_amount: &'static str,
    /// In place of a figure of money when the file has no amounts.
    pub needs_amount: &'static str,
    /// Under a table whose money columns are left out.
    pub money_left_out: &'static str,
    /// The banner of a file without amounts: what is left out, what holds.
    pub no_amounts_banner: &'static str,
    pub abc_needs_amount: &'static str,
    pub tiers_need_amount: &'static str,
    pub cn_needs_amount: &'static str,
    pub ev_title: &'static str,
    pub ev_choose: &'static str,
    pub ev_remove: &'static str,
    pub ev_hint: &'static str,
    pub ev_status: &'static str,
    pub ev_unknown: &'static str,
    pub ev_after: &'static str,
    pub ev_bad_points: &'static str,
    pub ev_formula: &'static str,
    pub ev_weights: &'static str,
    pub ev_half_life: &'static str,
    pub ev_type: &'static str,
    pub ev_weight: &'static str,
    pub ev_events: &'static str,
    pub ev_spent: &'static str,
    pub ev_versus_title: &'static str,
    pub ev_versus_hint: &'static str,
    pub ev_by_engagement: &'static str,
    pub ev_by_spend: &'static str,
    pub ev_both_top: &'static str,
    pub ev_engaged_not_spending: &'static str,
    pub ev_spending_not_engaged: &'static str,
    pub ev_versus_needs_amount: &'static str,
    pub engagement_measure: &'static str,
    pub engagement_score: &'static str,
    pub fn_predicted_per_lead: &'static str,
    pub g_overview_q: &'static str,
    pub g_overview_a: &'static str,
    pub g_data_q: &'static str,
    pub g_data_a: &'static str,
    pub g_segments_q: &'static str,
    pub g_segments_a: &'static str,
    pub g_lifecycle_q: &'static str,
    pub g_lifecycle_a: &'static str,
    pub g_pyramid_q: &'static str,
    pub g_pyramid_a: &'static str,
    pub g_pyramid_a_plain: &'static str,
    pub report_file: &'static str,
    pub report_generated: &'static str,
    pub report_privacy: &'static str,
    pub report_kpis: &'static str,
    pub report_measure: &'static str,
    pub report_value: &'static str,
    pub report_definition: &'static str,
    pub report_no_survey: &'static str,
    pub report_clv_not_fitted: &'static str,
    pub report_clv_calibration: &'static str,
    pub def_customers: &'static str,
    pub def_revenue: &'static str,
    pub def_repurchase: &'static str,
    pub def_top20: &'static str,
    pub def_gini: &'static str,
    pub def_reactivation: &'static str,
    pub def_nps: &'static str,
    pub def_repeat_buyers: &'static str,
    pub def_clv: &'static str,
    pub def_holdout_error: &'static str,
    pub def_bgnbd: &'static str,
    pub score: &'static str,
    pub chart_as_table: &'static str,
    pub chart_as_table_hint: &'static str,
    pub tour_title: &'static str,
    pub tour_step: &'static str,
    pub tour_back: &'static str,
    pub tour_next: &'static str,
    pub tour_done: &'static str,
    pub tour_close: &'static str,
    pub tour_never: &'static str,
    /// The first-run tour's steps, one per page it opens.
    pub tour_steps: [&'static str; 8],
    pub nps_rule: &'static str,
    pub g_clv_q: &'static str,
    pub g_clv_a: &'static str,
    pub g_clv_a_fitted: &'static str,
    pub g_clv_a_fitted_plain: &'static str,
    pub g_actions_q: &'static str,
    pub g_actions_a: &'static str,
    pub g_nps_q: &'static str,
    pub g_nps_a: &'static str,

    pub pf_events: &'static str,
    pub pf_last_event: &'static str,
    /// The pyramid's rule when it is ranked by engagement.
    pub pyramid_rule_engagement: &'static str,
    pub wb_needs_amount: &'static str,
    pub fn_title: &'static str,
    pub fn_choose: &'static str,
    pub fn_remove: &'static str,
    pub fn_rule: &'static str,
    pub fn_status: &'static str,
    pub fn_source: &'static str,
    pub fn_cohort: &'static str,
    pub fn_leads: &'static str,
    pub fn_first: &'static str,
    pub fn_second: &'static str,
    pub fn_days: &'static str,
    pub fn_per_lead: &'static str,
    pub fn_already: &'static str,
    pub fn_no_source: &'static str,
    pub fn_compare: &'static str,
    pub fn_against: &'static str,
    pub fn_never: &'static str,
    pub fn_once: &'static str,
    pub fn_by_cohort: &'static str,
    pub fn_all: &'static str,
    pub fu_title: &'static str,
    pub fu_rule: &'static str,
    pub fu_passives: &'static str,
    pub fu_score: &'static str,
    pub fu_answered: &'static str,
    pub fu_comment: &'static str,
    pub fu_history: &'static str,
    pub cross_title: &'static str,
    /// `{days}` the window, `{same}` whether same-day purchases count.
    pub cross_rule: &'static str,
    pub cross_same_counts: &'static str,
    pub cross_same_excluded: &'static str,
    pub cross_anchor: &'static str,
    pub cross_targets: &'static str,
    pub cross_within: &'static str,
    pub cross_same_day: &'static str,
    pub cross_benchmark: &'static str,
    pub cross_share: &'static str,
    pub cross_median: &'static str,
    /// `{eligible}` anchor buyers counted, `{recent}` too recent.
    pub cross_counted: &'static str,
    pub cross_vs_benchmark: &'static str,
    pub cross_not_yet: &'static str,
    pub cross_open: &'static str,
    pub cross_partial: &'static str,
    pub cross_real: &'static str,
    pub cross_anchor_buyers: &'static str,
    pub stable_orders: &'static str,
    pub stable_spend: &'static str,
    /// The stage names' toggle: the four-stage names and the alternative ones.
    pub stage_names_classic: &'static str,
    pub stage_names_alternative: &'static str,
    pub period_label: &'static str,
    pub month: &'static str,
    pub quarter: &'static str,
    pub churn_days: &'static str,
    pub dormant_days: &'static str,
    pub more_rules: &'static str,
    pub segment_map: &'static str,
    pub export: &'static str,
    pub high_means: &'static str,
    pub kpi_rules: &'static str,
    pub tab_nps: &'static str,
    pub nps_title: &'static str,
    pub responses_label: &'static str,
    pub promoters: &'static str,
    pub passives: &'static str,
    pub detractors: &'static str,
    pub ci_wald: &'static str,
    pub ci_adjusted: &'static str,
    pub distribution_title: &'static str,
    pub trend_title: &'static str,
    pub change_significant: &'static str,
    pub change_not_significant: &'static str,
    pub by_channel_title: &'static str,
    pub by_segment_title: &'static str,
    pub by_stage_title: &'static str,
    pub by_tier_title: &'static str,
    pub interval: &'static str,
    pub tab_pyramid: &'static str,
    pub pyramid_title: &'static str,
    pub size_by: &'static str,
    pub by_customers: &'static str,
    pub by_revenue: &'static str,
    pub multiple: &'static str,
    pub orders_per_customer: &'static str,
    pub ladder_title: &'static str,
    pub ladder_customer: &'static str,
    pub ladder_repeat: &'static str,
    pub ladder_loyal: &'static str,
    pub ladder_advocate: &'static str,
    pub pyramid_rule: &'static str,
    pub rank_by: &'static str,
    pub rfm_composite: &'static str,
    pub total_spend: &'static str,
    pub spend_12m: &'static str,
    pub pyramid_tiers: &'static str,
    pub tab_overview: &'static str,
    pub overview_title: &'static str,
    pub overview_rules: &'static str,
    pub print_report: &'static str,
    pub survey_title: &'static str,
    pub survey_add: &'static str,
    pub survey_replace: &'static str,
    pub survey_remove: &'static str,
    pub survey_hint: &'static str,
    pub data_transactions: &'static str,
    pub data_survey: &'static str,
    pub by_pyramid_title: &'static str,
    pub comments_title: &'static str,
    pub comments_terms: &'static str,
    pub comments_filter: &'static str,
    pub comments_all: &'static str,
    pub no_comments: &'static str,
    pub nps_needs_survey: &'static str,
    pub needs_transactions: &'static str,
    pub chart_export: &'static str,
    pub nps_latest: &'static str,
    // Texts of the CLV page, the rows-left-out card, the customer picker, the mapping panel.
    pub picker_the_customer_id_is_in: &'static str,
    pub picker_choose_a_column: &'static str,
    pub mapping_why: &'static str,
    pub mapping_how_the_amount_is_made: &'static str,
    pub mapping_currency: &'static str,
    pub mapping_from_the_file: &'static str,
    pub statuses_empty: &'static str,
    pub statuses_download_their_lines: &'static str,
    pub statuses_rows_left_out: &'static str,
    pub statuses_order_status_ticked_left_out: &'static str,
    pub statuses_rows: &'static str,
    pub statuses_amount: &'static str,
    pub tab_clv: &'static str,
    pub clv_yes: &'static str,
    pub clv_no: &'static str,
    pub clv_summary: &'static str,
    pub clv_predicting: &'static str,
    pub clv_customer_lifetime_value_clv: &'static str,
    pub clv_calibration_end: &'static str,
    pub clv_holdout_end_optional: &'static str,
    pub clv_unit: &'static str,
    pub clv_week: &'static str,
    pub clv_day: &'static str,
    pub clv_horizon_months: &'static str,
    pub clv_monthly_discount: &'static str,
    pub clv_cancel: &'static str,
    pub clv_fit_the_models: &'static str,
    pub clv_recency_t_x_rows_repeat_purchases: &'static str,
    pub clv_weeks: &'static str,
    pub clv_days: &'static str,
    pub clv_actual: &'static str,
    pub clv_expected: &'static str,
    pub clv_repeat_purchases_in_calibration_hold: &'static str,
    pub clv_week_1: &'static str,
    pub clv_week_2: &'static str,
    pub clv_holdout: &'static str,
    pub clv_cumulative_repeat_purchases: &'static str,
    pub clv_customers: &'static str,
    pub clv_repeat_buyers: &'static str,
    pub clv_total_clv: &'static str,
    pub clv_months: &'static str,
    pub clv_holdout_total_error: &'static str,
    pub clv_mae_per_customer: &'static str,
    pub clv_calibration_end_2: &'static str,
    pub clv_holdout_end: &'static str,
    pub clv_unit_2: &'static str,
    pub clv_models: &'static str,
    pub clv_model: &'static str,
    pub clv_parameters_standard_error: &'static str,
    pub clv_log_likelihood: &'static str,
    pub clv_converged: &'static str,
    pub clv_correlation_of_purchase_frequency_an: &'static str,
    pub clv_high_gamma_gamma_assumes_they_are_in: &'static str,
    pub clv_near_0_as_gamma_gamma_assumes: &'static str,
    pub clv_holdout_by_calibration_frequency: &'static str,
    pub clv_cumulative_repeat_purchases_actual_v: &'static str,
    pub clv_p_alive_by_frequency_and_recency: &'static str,
    pub clv_expected_purchases_next_month_by_fre: &'static str,
    pub clv_customer_predictions: &'static str,
    pub clv_sort_by: &'static str,
    pub clv_p_alive: &'static str,
    pub clv_expected_purchases: &'static str,
    pub clv_export_csv: &'static str,
    pub clv_customer: &'static str,
    pub clv_repeats: &'static str,
    pub clv_recency: &'static str,
    pub clv_mean_value: &'static str,
    pub clv_expected_purchases_2: &'static str,
    pub clv_expected_value: &'static str,
    pub pyramid_predicted_clv_fit_on_the_clv_page_fi: &'static str,
    pub clv_intro: &'static str,
    pub clv_left_out: &'static str,
    pub statuses_hint: &'static str,
    pub picker_hint: &'static str,
}

impl Texts {
    /// "survey.csv: 625 answers, 600 joined to customers, 25 anonymous".
    pub fn survey_status(&self, file: &str, answers: usize, matched: Option<usize>, anonymous: usize) -> String {
        let zh = std::ptr::eq(self, &ZH);
        let n = |v: usize| crate::ui::format::int(v as u64);
        let mut out = if zh { format!("{file}：{} 份答卷", n(answers)) } else { format!("{file}: {} answers", n(answers)) };
        if let Some(m) = matched {
            out += &if zh {
                format!("，其中 {} 份关联到交易客户", n(m))
            } else {
                format!(", {} joined to customers", n(m))
            };
        }
        if anonymous > 0 {
            out += &if zh { format!("，{} 份匿名", n(anonymous)) } else { format!(", {} anonymous", n(anonymous)) };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::customers::FactsError;
    use crate::core::analysis::lifecycle::LifecycleError;
    use crate::core::analysis::pareto::AbcError;
    use crate::core::analysis::rfm::RfmError;
    use crate::core::clv::form::ClvParamsError;
    use crate::core::clv::ClvError;
    use crate::core::report::segments::SegmentError;
    use crate::worker::session::Refusal;

    /// Every refusal the worker can send about the data, one of each kind.
    fn refusals() -> Vec<Refusal> {
        let segment: Vec<SegmentError> = vec![
            FactsError::NoDates.into(),
            FactsError::SurveyOnly.into(),
            FactsError::RegistrationDates.into(),
            FactsError::NoRows.into(),
            FactsError::NothingRead.into(),
            RfmError::Bins(1).into(),
            RfmError::Thresholds { metric: "recency", why: "x".into() }.into(),
            RfmError::Code { segment: "A".into(), code: 9 }.into(),
            AbcError::Cuts { a: 0.9, b: 0.2 }.into(),
            LifecycleError::TierShares.into(),
            LifecycleError::TierAmounts.into(),
            LifecycleError::Stages.into(),
            PyramidError::TierCount(1).into(),
            PyramidError::Shares.into(),
            PyramidError::NeedsClv.into(),
            PyramidError::NeedsAmounts.into(),
            PyramidError::NeedsEvents.into(),
            crate::core::analysis::engagement::EngagementError::HalfLife.into(),
            crate::core::analysis::engagement::EngagementError::Weight("x".into()).into(),
            crate::core::analysis::engagement::EngagementError::Line { line: 1 }.into(),
        ];
        let clv = [
            ClvError::Summary("no dates".into()),
            ClvError::TooFew(1),
            ClvError::NoRepeat,
            ClvError::OneDay,
            ClvError::Spend(vec!["a".into()]),
            ClvError::Fit("did not converge".into()),
        ];
        let mut all = vec![
            Refusal::NoData,
            Refusal::NoSegmentation,
            Refusal::NoClv,
            Refusal::ClvNoTransactions,
            Refusal::Export("disk".into()),
        ];
        all.extend(segment.into_iter().map(Refusal::Segment));
        all.extend(clv.into_iter().map(Refusal::Clv));
        all
    }

    #[test]
    fn every_refusal_reads_in_chinese_on_the_chinese_page_and_as_its_message_on_the_english_one() {
        for r in refusals() {
            let problem = Problem { code: r.code().into(), message: r.to_string() };
            assert_eq!(Lang::En.problem(&problem), r.to_string());
            let zh = Lang::Zh.problem(&problem);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{}: {zh}", r.code());
        }
    }

    #[test]
    fn the_default_pyramid_tiers_read_in_the_page_s_language() {
        assert_eq!(
            (Lang::Zh.tier_label("超级米粉 Super fans"), Lang::En.tier_label("超级米粉 Super fans")),
            ("超级米粉".into(), "Super fans".into())
        );
        assert_eq!(Lang::En.tier_label("潜在用户 Base"), "Base");
        assert_eq!(Lang::Zh.tier_label("Top spenders"), "Top spenders", "a name the user typed stays");
    }

    #[test]
    fn list_values_read_in_the_page_s_language() {
        assert_eq!(Lang::Zh.segment_label("Champions"), "冠军客户");
        assert_eq!(Lang::En.segment_label("Champions"), "Champions");
        assert_eq!(Lang::Zh.segment_label("My own segment"), "My own segment");
        assert_eq!((Lang::En.stage_label("退化期"), Lang::Zh.stage_label("退化期")), ("Decline".into(), "退化期".into()));
        assert_eq!((Lang::Zh.state_label("Lapsed"), Lang::En.state_label("Lapsed")), ("沉默".into(), "Lapsed".into()));
        assert_eq!(Lang::En.class_label("重要价值客户"), "Important value");
        assert_eq!(Lang::En.class_label(""), "");
    }

    #[test]
    fn codes_of_different_refusals_differ() {
        let mut codes: Vec<&str> = refusals().iter().map(Refusal::code).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "{codes:?}");
    }

    #[test]
    fn clv_settings_read_in_chinese_too() {
        for e in [ClvParamsError::Horizon(0), ClvParamsError::Discount(2.0), ClvParamsError::HoldoutBeforeCalibration] {
            let zh = Lang::Zh.clv_form_error(&ClvFormError::Params(e.clone()));
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e}: {zh}");
            assert_eq!(Lang::En.clv_form_error(&ClvFormError::Params(e.clone())), e.to_string());
        }
    }

    #[test]
    fn warnings_about_a_file_read_in_the_page_s_language() {
        use crate::core::ingest::tally::Warning as W;
        // A file with a title line, a repeated column name and dates that could be either order.
        let file = "订单报表 2024\n会员ID,日期,金额,金额\nA,03/04/2024,10,1\nB,05/06/2024,20,2\n";
        let ds = crate::core::ingest::ingest(file.as_bytes(), "orders.csv", &Default::default(), &mut |_, _| {})
            .expect("the file reads");
        let codes = &ds.report.warning_codes;
        assert_eq!(
            codes,
            &vec![W::TitleLines { lines: 1 }, W::DuplicateHeader { name: "金额".into() }, W::AmbiguousDates],
            "{:?}",
            ds.report.warnings
        );
        // The report's English list is unchanged: one sentence per warning, as before.
        assert_eq!(ds.report.warnings[0], "skipped 1 title line(s) above the table");
        let all = [
            W::EncodingErrors { encoding: "GBK".into() },
            W::TitleLines { lines: 2 },
            W::DuplicateHeader { name: "amount".into() },
            W::SurveyWithoutIds,
            W::RegistrationList,
            W::MixedDateOrders { day_first: 3, month_first: 4 },
            W::AmbiguousDates,
        ];
        for w in all {
            assert_eq!(Lang::En.warning(&w), w.to_string());
            let zh = Lang::Zh.warning(&w);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{w}: {zh}");
            assert!(!zh.contains("the ") && !zh.contains("column"), "{zh}");
        }
    }
}
