//! Interface texts in Chinese and English. The language follows the browser and can be switched;
//! the choice (a setting, not customer data) is remembered in localStorage.

use crate::core::roles::Role;
use crate::protocol::ProgressStage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

const STORAGE_KEY: &str = "loyalty-lens.lang";

impl Lang {
    /// The saved choice, else the browser's language.
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
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
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
            _ => return None,
        })
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
            _ => return None,
        })
    }

    pub fn stage(self, stage: ProgressStage) -> &'static str {
        let t = self.texts();
        match stage {
            ProgressStage::Reading => t.stage_reading,
            ProgressStage::Generating => t.stage_generating,
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
    pub stage_decoding: &'static str,
    pub stage_parsing: &'static str,
    pub error_title: &'static str,
    pub error_hint: &'static str,
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
    stage_decoding: "识别编码与格式",
    stage_parsing: "解析数据行",
    error_title: "无法使用这个文件",
    error_hint: "可以换一个文件，或试用示例数据。",
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
    stage_decoding: "Detecting encoding and layout",
    stage_parsing: "Parsing rows",
    error_title: "This file cannot be used",
    error_hint: "Choose another file, or try the sample data.",
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
};
