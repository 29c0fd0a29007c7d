//! Interface texts in Chinese and English. The language follows the browser and can be switched;
//! the choice (a setting, not customer data) is remembered in localStorage.

use crate::core::analysis::pyramid::PyramidError;
use crate::core::clv::form::{ClvFormError, MAX_HORIZON_MONTHS};
use crate::core::ingest::roles::Role;
use crate::core::report::rules::{Field, RulesError};
use crate::protocol::ProgressStage;
use crate::ui::state::Problem;

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

    /// A text written in place, for pages whose texts live with them.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
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
            _ => return None,
        })
    }

    /// Why the worker could not segment, fit CLV or export, in the page's language: Chinese by the
    /// problem's code, else its English message.
    pub fn problem(self, problem: &Problem) -> String {
        if self == Lang::Zh {
            if let Some(zh) = zh_problem(&problem.code) {
                return zh.to_string();
            }
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
}

pub static ZH: Texts = Texts {
    title: "客户洞察",
    tagline: "RFM 分层 · NPS · 忠诚度金字塔 · 客户终身价值",
    privacy: "🔒 数据只在本浏览器标签页中处理，从不上传；关闭页面或点击“清除数据”即全部丢弃。",
    drop_here: "把 CSV 或 Excel 文件拖到这里",
    choose_file: "选择文件",
    formats_hint: "支持 CSV、TSV、分号分隔、空格对齐文本、Excel (.xlsx/.xls)；UTF-8、GBK/GB18030、UTF-16 自动识别",
    try_sample: "试用示例数据",
    clear_data: "清除数据",
    stage_reading: "读取文件",
    stage_generating: "生成示例数据",
    stage_workbook: "读取工作簿",
    stage_decoding: "识别编码与格式",
    stage_parsing: "解析数据行",
    error_title: "无法使用这个文件",
    error_hint: "可以换一个文件，或试用示例数据。",
    refusal_kept: "当前的分析结果保持不变。",
    dismiss: "关闭",
    summary_title: "文件概览",
    rows_accepted: "有效行",
    rows_rejected: "被拒绝的行",
    customers: "客户数",
    orders: "订单数",
    date_range: "日期范围",
    revenue: "总金额（已扣退款）",
    refunds: "退款行",
    responses: "NPS 答卷",
    reading_title: "识别结果",
    format: "格式",
    encoding: "编码",
    delimiter: "分隔符",
    header: "首行",
    header_yes: "是表头",
    header_no: "是数据",
    sheet: "工作表",
    hidden: "隐藏",
    date_order: "日期顺序",
    date_order_ambiguous: "无法从数据判断 03/04/2024 这类日期是日在前还是月在前，请确认。",
    auto: "自动",
    mapping_title: "字段映射",
    mapping_hint: "已根据列名和数据自动识别，可逐项修改。",
    role: "字段",
    column: "列",
    samples: "示例值",
    not_mapped: "（不使用）",
    rejected_title: "被拒绝的行",
    rejected_none: "所有数据行都已读取。",
    rejected_shown: "显示前 100 行；下载可获得全部。",
    download_csv: "下载全部 (CSV)",
    row: "行",
    value: "值",
    reason: "原因",
    preview_title: "数据预览",
    warnings_title: "提示",
    worker_failed: "分析引擎无法启动，请刷新页面。",
    worker_crashed: "分析引擎遇到内部错误，已自动重启。之前的数据已随之丢弃（从未离开本浏览器），请重新选择文件。",
    crash_title: "页面遇到内部错误",
    crash_body: "很抱歉，页面出现了程序错误。您的数据从未离开本浏览器，重新加载后即被丢弃。请重新加载页面后再试；如果问题反复出现，请把下面的错误信息告诉我们。",
    crash_reload: "重新加载",
    tab_data: "数据",
    tab_segments: "客户分层",
    seg_rules: "规则",
    as_of: "截止日期",
    bins: "分档数",
    apply: "重新计算",
    segments_title: "RFM 客户分层",
    segments_hint: "点击任一分层查看客户名单。",
    cn_title: "RFM 八类客户（与均值比较）",
    rf_title: "R × F 热力图（格内：人数 / 平均消费）",
    abc_title: "ABC / 帕累托分析",
    gini: "基尼系数",
    top20: "前 20% 客户贡献的收入",
    lorenz: "洛伦兹曲线",
    group: "分组",
    customer_share: "客户占比",
    revenue_share: "收入占比",
    mean_r: "平均 R（天）",
    mean_f: "平均 F（单）",
    mean_m: "平均 M",
    list_title: "客户名单",
    export_csv: "导出 CSV",
    prev: "上一页",
    next: "下一页",
    recency: "最近购买（天）",
    frequency: "购买次数",
    monetary: "消费金额",
    segment: "分层",
    cn_segment: "八类",
    abc_class: "ABC",
    seg_unavailable: "无法分层",
    rows_after_as_of: "晚于截止日期的行未计入：",
    all_customers: "全部客户",
    tab_lifecycle: "生命周期与 KPI",
    kpi_repurchase: "复购率",
    kpi_reactivation: "沉睡客户唤醒率（月均）",
    kpi_cross: "跨品类购买率",
    kpi_top5: "前 5% 客户人均收入倍数",
    tiers_title: "会员等级",
    stages_title: "生命周期阶段",
    states_title: "客户状态（最近一期）",
    transitions_title: "状态转移矩阵（行：本期 → 列：下期）",
    whole_history: "全部历史",
    last_transition: "最近一次",
    projection_title: "状态结构预测",
    periods_title: "各期指标",
    period: "期间",
    reactivation: "唤醒率",
    channels_title: "首购渠道表现",
    channel: "渠道",
    repeat_rate: "复购率",
    revenue_per_customer: "人均收入",
    aov: "客单价",
    category_matrix_title: "跨品类购买（行：买过 A 的客户中，也买过列 B 的比例）",
    ahead: "期后",
    r_thresholds: "R 阈值（天，升序；留空按排名）",
    f_thresholds: "F 阈值（单）",
    m_thresholds: "M 阈值（金额）",
    abc_a: "A 类收入占比 %",
    abc_b: "B 类收入占比 %",
    tier_mode: "会员等级规则",
    tier_by_share: "按客户占比 %",
    tier_by_amount: "按近 12 个月消费额",
    window_days: "生命周期窗口（天）",
    rise: "形成期倍数 >",
    fall: "退化期倍数 <",
    period_label: "状态周期",
    month: "月",
    quarter: "季度",
    churn_days: "流失窗口（天）",
    dormant_days: "沉睡阈值（天）",
    more_rules: "更多规则",
    export: "导出",
    high_means: "“高”指优于全体客户均值：",
    kpi_rules: "复购率 = 有 2 单及以上的客户 / 全部客户；唤醒率 = 期初已 180 天以上未购买、本期内购买的客户 / 期初沉睡客户（各期平均）；跨品类 = 买过 2 个及以上品类的客户 / 有品类记录的客户；倍数 = 前 5% 客户人均收入 / 其余客户人均收入",
    tab_nps: "NPS 净推荐值",
    nps_title: "净推荐值 NPS",
    responses_label: "答卷",
    promoters: "推荐者 (9–10)",
    passives: "中立者 (7–8)",
    detractors: "贬损者 (0–6)",
    ci_wald: "95% 置信区间（Wald）",
    ci_adjusted: "95% 置信区间（调整 Wald，小样本）",
    distribution_title: "评分分布",
    trend_title: "NPS 趋势（阴影为 95% 置信区间）",
    change_significant: "最近一期与上一期相比的变化在统计上显著",
    change_not_significant: "最近一期与上一期相比的变化在统计上不显著，可能只是抽样波动",
    by_channel_title: "按渠道",
    by_segment_title: "按 RFM 分层",
    by_stage_title: "按生命周期阶段",
    by_tier_title: "按会员等级",
    interval: "区间",
    tab_pyramid: "忠诚度金字塔",
    pyramid_title: "忠诚度金字塔",
    size_by: "高度按",
    by_customers: "客户数",
    by_revenue: "收入",
    multiple: "人均收入倍数",
    orders_per_customer: "人均订单",
    ladder_title: "忠诚度阶梯",
    ladder_customer: "客户",
    ladder_repeat: "复购客户（2 单及以上）",
    ladder_loyal: "忠诚客户（近 4 期中 3 期购买）",
    ladder_advocate: "推荐者（忠诚且最近评分 9–10）",
    pyramid_rule: "点击任一层查看客户名单。RFM 综合得分 = R + F + M；同分按累计消费排序。",
    rank_by: "排序依据",
    rfm_composite: "RFM 综合得分",
    total_spend: "累计消费",
    spend_12m: "近 12 个月消费",
    pyramid_tiers: "分层（每行：名称: 百分比，自上而下，2–6 层）",
    segment_map: "分层映射（每行一个分层：名称: R-F-M 代码，按 1–5 分）",
    tab_overview: "总览",
    overview_title: "客户洞察报告",
    overview_rules: "计算规则",
    print_report: "打印报告",
    survey_title: "NPS 问卷文件",
    survey_add: "添加问卷文件",
    survey_replace: "更换问卷文件",
    survey_remove: "移除问卷",
    survey_hint: "问卷可以单独上传（客户ID 可选，日期、0–10 评分、渠道、意见），按客户ID 与交易数据关联。",
    data_transactions: "交易数据",
    data_survey: "问卷数据",
    by_pyramid_title: "按金字塔层级",
    comments_title: "客户意见",
    comments_terms: "高频词",
    comments_filter: "筛选意见…",
    comments_all: "全部",
    no_comments: "没有意见。",
    nps_needs_survey: "上传含评分列的交易文件，或添加问卷文件，即可看到 NPS。",
    needs_transactions: "这一页需要交易数据：请上传交易文件。",
    chart_export: "导出图表",
    nps_latest: "每位客户只计最近一次答卷（默认计入全部答卷）",
};

pub static EN: Texts = Texts {
    title: "loyalty-lens",
    tagline: "RFM segments · NPS · loyalty pyramid · customer lifetime value",
    privacy: "🔒 Your data is processed in this browser tab and never uploaded. Close the tab or click “Clear data” to drop it.",
    drop_here: "Drop a CSV or Excel file here",
    choose_file: "Choose a file",
    formats_hint: "CSV, TSV, semicolon-separated, space-aligned text, Excel (.xlsx/.xls); UTF-8, GBK/GB18030 and UTF-16 detected automatically",
    try_sample: "Try sample data",
    clear_data: "Clear data",
    stage_reading: "Reading the file",
    stage_generating: "Generating sample data",
    stage_workbook: "Reading the workbook",
    stage_decoding: "Detecting encoding and layout",
    stage_parsing: "Parsing rows",
    error_title: "This file cannot be used",
    error_hint: "Choose another file, or try the sample data.",
    refusal_kept: "The analysis on screen is unchanged.",
    dismiss: "Dismiss",
    summary_title: "File summary",
    rows_accepted: "Rows read",
    rows_rejected: "Rows rejected",
    customers: "Customers",
    orders: "Orders",
    date_range: "Date range",
    revenue: "Revenue (refunds netted)",
    refunds: "Refund rows",
    responses: "NPS responses",
    reading_title: "How the file was read",
    format: "Format",
    encoding: "Encoding",
    delimiter: "Delimiter",
    header: "First row",
    header_yes: "is a header",
    header_no: "is data",
    sheet: "Sheet",
    hidden: "hidden",
    date_order: "Date order",
    date_order_ambiguous: "Nothing in the data says whether dates like 03/04/2024 are day-first or month-first: please check.",
    auto: "auto",
    mapping_title: "Column mapping",
    mapping_hint: "Proposed from the column names and values; change any of them.",
    role: "Field",
    column: "Column",
    samples: "Sample values",
    not_mapped: "(not used)",
    rejected_title: "Rejected rows",
    rejected_none: "Every data row was read.",
    rejected_shown: "The first 100 are shown; download them all.",
    download_csv: "Download all (CSV)",
    row: "Row",
    value: "Value",
    reason: "Reason",
    preview_title: "Data preview",
    warnings_title: "Notes",
    worker_failed: "The analysis engine could not start: reload the page.",
    worker_crashed: "The analysis engine hit an internal error and was restarted. The data it held is gone (it never left this browser): choose the file again.",
    crash_title: "The page hit an internal error",
    crash_body: "Sorry: the page ran into a bug. Your data never left this browser and is dropped when the page reloads. Reload to continue; if it happens again, please tell us the error below.",
    crash_reload: "Reload",
    tab_data: "Data",
    tab_segments: "Segments",
    seg_rules: "Rules",
    as_of: "As of",
    bins: "Score bins",
    apply: "Recalculate",
    segments_title: "RFM segments",
    segments_hint: "Click a segment to see its customers.",
    cn_title: "Chinese 8-class RFM (against the mean)",
    rf_title: "R × F heat map (cell: customers / mean spend)",
    abc_title: "ABC / Pareto",
    gini: "Gini coefficient",
    top20: "Revenue from the top 20% of customers",
    lorenz: "Lorenz curve",
    group: "Group",
    customer_share: "Customers %",
    revenue_share: "Revenue %",
    mean_r: "Mean R (days)",
    mean_f: "Mean F (orders)",
    mean_m: "Mean M",
    list_title: "Customers",
    export_csv: "Export CSV",
    prev: "Previous",
    next: "Next",
    recency: "Recency (days)",
    frequency: "Frequency",
    monetary: "Monetary",
    segment: "Segment",
    cn_segment: "8-class",
    abc_class: "ABC",
    seg_unavailable: "Segmentation is not available",
    rows_after_as_of: "Rows after the as-of date, left out: ",
    all_customers: "All customers",
    tab_lifecycle: "Lifecycle & KPIs",
    kpi_repurchase: "Repurchase rate",
    kpi_reactivation: "Dormant reactivation (mean per period)",
    kpi_cross: "Cross-category purchase rate",
    kpi_top5: "Top 5% revenue per customer, × the rest",
    tiers_title: "Membership tiers",
    stages_title: "Lifecycle stages",
    states_title: "Customer states (last period)",
    transitions_title: "Transition matrix (row: this period → column: next)",
    whole_history: "Whole history",
    last_transition: "Last transition",
    projection_title: "Projected state mix",
    periods_title: "By period",
    period: "Period",
    reactivation: "Reactivation",
    channels_title: "First-purchase channel performance",
    channel: "Channel",
    repeat_rate: "Repeat rate",
    revenue_per_customer: "Revenue per customer",
    aov: "Avg order value",
    category_matrix_title: "Cross-category (row A: share of A's buyers who also bought column B)",
    ahead: "ahead",
    r_thresholds: "R thresholds (days, ascending; empty = by rank)",
    f_thresholds: "F thresholds (orders)",
    m_thresholds: "M thresholds (amount)",
    abc_a: "A: % of revenue",
    abc_b: "B: % of revenue",
    tier_mode: "Tier rule",
    tier_by_share: "by share of customers %",
    tier_by_amount: "by 12-month spend",
    window_days: "Lifecycle window (days)",
    rise: "Formation factor >",
    fall: "Decline factor <",
    period_label: "State period",
    month: "month",
    quarter: "quarter",
    churn_days: "Churn window (days)",
    dormant_days: "Dormant after (days)",
    more_rules: "More rules",
    export: "Export",
    high_means: "“High” means better than the customers' mean:",
    kpi_rules: "Repurchase = customers with 2+ orders / all customers; reactivation = customers dormant 180+ days at a period's start who buy in it / those dormant (mean over periods); cross-category = customers with 2+ categories / customers with any; multiple = revenue per customer of the top 5% / of the rest",
    tab_nps: "NPS",
    nps_title: "Net Promoter Score",
    responses_label: "answers",
    promoters: "Promoters (9–10)",
    passives: "Passives (7–8)",
    detractors: "Detractors (0–6)",
    ci_wald: "95% interval (Wald)",
    ci_adjusted: "95% interval (adjusted Wald, small sample)",
    distribution_title: "Score distribution",
    trend_title: "NPS trend (band: 95% interval)",
    change_significant: "The change from the previous period to the last is statistically significant",
    change_not_significant: "The change from the previous period to the last is not statistically significant: it may be sampling noise",
    by_channel_title: "By channel",
    by_segment_title: "By RFM segment",
    by_stage_title: "By lifecycle stage",
    by_tier_title: "By membership tier",
    interval: "Interval",
    tab_pyramid: "Loyalty pyramid",
    pyramid_title: "Loyalty pyramid",
    size_by: "Height by",
    by_customers: "customers",
    by_revenue: "revenue",
    multiple: "× base revenue per customer",
    orders_per_customer: "Orders per customer",
    ladder_title: "Loyalty ladder",
    ladder_customer: "Customers",
    ladder_repeat: "Repeat customers (2+ orders)",
    ladder_loyal: "Loyal (bought in 3 of the last 4 periods)",
    ladder_advocate: "Advocates (loyal and last score 9–10)",
    pyramid_rule: "Click a tier for its customers. RFM composite = R + F + M; ties by total spend.",
    rank_by: "Rank by",
    rfm_composite: "RFM composite",
    total_spend: "Total spend",
    spend_12m: "Last-12-months spend",
    pyramid_tiers: "Tiers (one per line, top first — Name: percent; 2 to 6)",
    segment_map: "Segment map (one segment per line — Name: R-F-M codes on the 1–5 scale)",
    tab_overview: "Overview",
    overview_title: "Customer insight report",
    overview_rules: "Rules used",
    print_report: "Print report",
    survey_title: "Survey file (NPS)",
    survey_add: "Add a survey file",
    survey_replace: "Replace the survey file",
    survey_remove: "Remove the survey",
    survey_hint: "Survey answers can come in a file of their own (customer id optional; date, 0–10 score, channel, comment); they join the transactions by customer id.",
    data_transactions: "Transactions",
    data_survey: "Survey",
    by_pyramid_title: "By pyramid tier",
    comments_title: "Comments",
    comments_terms: "Frequent terms",
    comments_filter: "Filter comments…",
    comments_all: "All",
    no_comments: "No comments.",
    nps_needs_survey: "Upload a transaction file with a score column, or add a survey file, to see NPS.",
    needs_transactions: "This page needs transactions: upload a transaction file.",
    chart_export: "Export chart",
    nps_latest: "Count only each customer's latest answer (default: every answer counts)",
};

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

/// A rules form field's Chinese name.
fn zh_field(field: Field) -> &'static str {
    match field {
        Field::Bins => "分箱数",
        Field::RecencyThresholds => "最近消费阈值",
        Field::FrequencyThresholds => "消费频次阈值",
        Field::MonetaryThresholds => "消费金额阈值",
        Field::AbcA => "ABC A 类 %",
        Field::AbcB => "ABC B 类 %",
        Field::Diamond => "钻石",
        Field::Gold => "金卡",
        Field::Silver => "银卡",
        Field::Window => "生命周期窗口",
        Field::Rise => "形成期系数",
        Field::Fall => "退化期系数",
        Field::Churn => "流失窗口",
        Field::Dormant => "沉睡阈值",
    }
}

/// The Chinese sentence for a problem's code (segmentation, rules, CLV, the session), where there
/// is one.
fn zh_problem(code: &str) -> Option<&'static str> {
    Some(match code {
        "no_dates" => "计算最近消费需要日期：请指定日期列。",
        "no_amounts" => "计算消费金额需要金额：请指定金额列。",
        "no_rows" => "截止日期当天及之前没有消费记录。",
        "nothing_read" => "文件中没有一行能读取：所有行都被拒绝（“数据”页列出了每一行及原因）。",
        "no_data" => "还没有可以分群的数据：请选择文件。",
        "no_segmentation" => "还没有分群结果：请选择文件。",
        "no_clv" => "还没有 CLV 结果：请先拟合模型。",
        "clv_no_transactions" => "CLV 需要交易文件：请选择一个。",
        "rfm_bins" => "分箱数必须是 2 到 10。",
        "rfm_thresholds" => "阈值必须是从小到大的有限数字，个数比分箱数少一。",
        "rfm_segment_code" => "分群规则中有不是 RFM 代码的值（三位数字，每位 1 到 5）。",
        "abc_cuts" => "ABC 分界必须是 0 到 1 之间的比例，合计不超过 100%。",
        "tier_shares" => "会员等级的比例必须在 0 到 100% 之间，合计不超过 100%。",
        "tier_amounts" => "会员等级的金额必须从钻石到银卡依次递减。",
        "stage_params" => "生命周期窗口至少一天，且 0 < 退化期系数 ≤ 形成期系数。",
        "pyramid_shares" => "金字塔各层的比例必须为正，合计 100%。",
        "pyramid_needs_clv" => "按预测 CLV 排序前，请先在 CLV 页拟合模型。",
        "clv_no_repeat" => "校准期结束前没有客户再次购买：模型需要重复购买来估计购买率，请选择更晚的校准截止日期。",
        "clv_holdout_before_calibration" => "验证截止日期必须晚于校准截止日期。",
        "clv_one_day" => "所有购买都在校准截止日当天：没有可供学习的时间，请选择更晚的校准截止日期。",
        _ => return None,
    })
}
