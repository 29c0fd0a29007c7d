// Type declarations of the loyalty-lens package. Results carry the keys the `loyalty-lens` command
// line prints as JSON (snake_case), and options are named as its flags (`--date-order` is
// `date_order`). The API reference in README.md is generated from this file
// (tests/package/apidoc.mjs).

/** A failure with a stable `code` (what a program branches on) and a message in English. */
export declare class LoyaltyError extends Error {
  readonly name: 'LoyaltyError';
  /** `no_customer_column`, `no_dates`, `no_amounts`, `binary`, `empty`, `rfm_bins`, `bad_option`, `cancelled`, … */
  readonly code: string;
  /** The file's columns, with `no_customer_column`: ask the user which one identifies the customer. */
  readonly columns?: string[];
}

/** What the WebAssembly module can be loaded from. */
export type WasmSource = BufferSource | WebAssembly.Module | URL | string | Response | Promise<Response>;

/** Loads the WebAssembly module (`open` does it on first use); `source` defaults to the .wasm file beside the package's index.js. */
export declare function init(source?: WasmSource): Promise<void>;

/** The `LoyaltyError` a value thrown by the WebAssembly side stands for. */
export declare function toLoyaltyError(e: unknown): LoyaltyError;

/** The roles a column can play. */
export type Role =
  | 'customer_id' | 'date' | 'amount' | 'order_id' | 'quantity' | 'channel' | 'category'
  | 'member_level' | 'score' | 'comment' | 'unit_price' | 'order_status' | 'refund_amount';

/** How to read a file; everything is detected unless given. */
export interface OpenOptions {
  /** The file's name (`.xlsx`, `.csv`, …): taken from a `File`; default `data`. */
  name?: string;
  /** Roles assigned to columns, by header name or 1-based position (`{ customer_id: '买家会员名' }`); an empty column unmaps. Or `ROLE=COLUMN` texts. */
  map?: Partial<Record<Role, string | number | null>> | string[];
  /** UTF-8, GBK, GB18030, UTF-16LE, … */
  encoding?: string;
  delimiter?: 'csv' | 'tsv' | 'semicolon' | 'pipe' | 'whitespace';
  /** Whether the first row is a header. */
  header?: boolean;
  /** An Excel sheet, by name or 1-based position. */
  sheet?: string;
  /** How to read dates like 03/04/2024. */
  date_order?: 'ymd' | 'dmy' | 'mdy';
  /** The decimal mark of amounts. */
  decimal?: 'dot' | 'comma';
  /** How each row's amount is made (default: the amount column when one is mapped, else quantity × unit price). */
  amount_from?: 'amount' | 'quantity-x-unit-price' | 'unit-price';
  /** Order statuses to leave out, replacing the default list of statuses that mean no sale (closed, cancelled, refunded, unpaid, …). */
  exclude_status?: string[];
  /** Keep rows of every order status. */
  keep_all_statuses?: boolean;
  /** The currency of the amounts, an ISO code such as CNY (default: from the file's symbols or codes). */
  currency?: string;
  /** Called as the file is read. */
  onProgress?: (progress: { stage: 'workbook' | 'decoding' | 'parsing'; fraction: number }) => void;
}

/** What `open` reads: a `File` or `Blob`, bytes, or a text (CSV). A customer facts file (`loyalty-lens facts`, or the Spark job of `loyalty-lens facts-sql`) is recognised by its header and gives the results of the transactions it was made from. */
export type Input = Blob | ArrayBuffer | ArrayBufferView | string;

/** Reads a file (detects its format, encoding, columns and their roles) into a `Dataset`. */
export declare function open(input: Input, options?: OpenOptions): Promise<Dataset>;

/** A number, or the text the command line takes. */
type Num = number | string;

/** The segmentation's rules, named as the command line's flags; defaults as in the app. */
export interface Rules {
  /** YYYY-MM-DD: the day recency is measured to (default: the day after the last transaction). */
  as_of?: string;
  /** Score bins, 2 to 10 (default 5). */
  bins?: Num;
  /** Recency thresholds in days, ascending, bins − 1 of them (default: by rank). */
  r_thresholds?: number[] | string;
  /** Frequency thresholds in orders, ascending. */
  f_thresholds?: number[] | string;
  /** Monetary thresholds, ascending. */
  m_thresholds?: number[] | string;
  /** Percent of revenue in ABC class A (default 80). */
  abc_a?: Num;
  /** Percent of revenue in class B (default 15). */
  abc_b?: Num;
  /** Tiers 钻石, 金卡, 银卡 by percent of customers (when no member level is mapped). */
  tier_shares?: [Num, Num, Num] | string;
  /** Tiers 钻石, 金卡, 银卡 by minimum 12-month spend. */
  tier_amounts?: [Num, Num, Num] | string;
  /** Lifecycle window in days (default 180). */
  window_days?: Num;
  /** Formation when recent orders or spend exceed this factor × the earlier rate (default 1.25). */
  rise?: Num;
  /** Decline when recent orders or spend fall below this factor × the earlier rate (default 0.75). */
  fall?: Num;
  /** Stability needs at least this many orders in the lifecycle window (default 2). */
  stable_orders?: Num;
  /** Stability needs at least this much spend in the lifecycle window (default 0). */
  stable_spend?: Num;
  period?: 'month' | 'quarter';
  churn_days?: Num;
  dormant_days?: Num;
  /** The segment map, one segment per line: `Name: 555 554 …`. */
  segment_map?: string;
  /** What the pyramid ranks customers by (`clv` once `clv()` has run on this dataset; `engagement` once `useEvents()` has read an events file). */
  measure?: 'rfm' | 'total_spend' | 'spend_12m' | 'clv' | 'engagement';
  /** Engagement weights per event type: `type: weight` lines or comma-separated (a type not named weighs 1). */
  event_weights?: string;
  /** Days after which an event counts half in the engagement score (default 90). */
  half_life_days?: Num;
  /** The pyramid's tiers, top first: `[['Super fans', 5], ['Active', 30], ['Base', 65]]`, or `Name: percent` lines. */
  tiers?: Array<[string, number]> | string;
  /** NPS counts each customer's latest answer only. */
  nps_latest?: boolean;
}

/** Net Promoter Score with its standard error and 95% interval. */
export interface Nps {
  nps: number;
  se: number;
  ci95: [number, number];
  /** `wald`, or `adjusted_wald` below 100 answers. */
  interval: string;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
}

/** What was understood of a file (`loyalty-lens inspect`). */
export interface Report {
  file: string;
  bytes: number;
  format: string;
  encoding: string;
  bom: boolean;
  encoding_errors: boolean;
  delimiter: string;
  sheets: string[];
  sheet: string | null;
  header: boolean;
  columns: Array<{ position: number; name: string; role: Role | null; samples: string[] }>;
  mapping: Partial<Record<Role, number | null>>;
  date_order: string;
  date_order_ambiguous: boolean;
  decimal_mark: string;
  rows: number;
  rows_accepted: number;
  rows_rejected: number;
  customers: number;
  orders: number;
  date_range: { first: string; last: string } | null;
  revenue: number;
  refunds: number;
  responses: number;
  channels: number;
  categories: number;
  currency: string | null;
  amount_from: string;
  rows_excluded: number;
  cancellations: number;
  statuses: Array<{ status: string; rows: number; amount: number; excluded: boolean }>;
  /** What to check about the file, one English sentence each. */
  warnings: string[];
  /** The same warnings as codes and their numbers, to word them in another language, e.g. `{ title_lines: { lines: 1 } }`, `"ambiguous_dates"`. */
  warning_codes: Array<string | Record<string, Record<string, unknown>>>;
  /** Every rejected row with its reason. */
  rejected: Array<{ row: number; column: string; value: string; reason: string }>;
  [more: string]: unknown;
}

/** One customer's RFM row (the `rfm` CSV columns). */
export interface RfmRow {
  customer_id: string;
  recency_days: number;
  frequency: number;
  /** `null` for a file without amounts (a visit log): no M score, no 8-class model (`cn_segment` empty), segments from the R-F map. */
  monetary: number | null;
  r: number;
  f: number;
  m: number | null;
  segment: string;
  cn_segment: string;
}

/** Every customer's RFM scores (`loyalty-lens rfm --format json`), in the order of first appearance. */
export interface RfmReport {
  as_of: string;
  bins: number;
  customers: number;
  rows_after_as_of: number;
  mean_recency_days: number;
  mean_frequency: number;
  /** `null` without amounts. */
  mean_monetary: number | null;
  rows: RfmRow[];
}

/** A group's totals (a segment, a class, a tier, a stage, a state). */
export interface GroupStat {
  key: string;
  zh: string | null;
  customers: number;
  /** `null`, as every figure of money, for a file without amounts (a visit log). */
  revenue: number | null;
  customer_share: number;
  revenue_share: number | null;
  mean_recency_days: number;
  mean_frequency: number;
  mean_monetary: number | null;
  repurchase_rate: number;
  average_order_value: number | null;
}

/** The loyalty pyramid (`loyalty-lens pyramid`). */
export interface Pyramid {
  measure: 'rfm_composite' | 'total_spend' | 'spend12_months' | 'clv' | string;
  tiers: Array<{
    name: string;
    customers: number;
    /** `null` without amounts. */
    revenue: number | null;
    revenue_share: number | null;
    orders_per_customer: number;
    repurchase_rate: number;
    /** Revenue per customer against the base tier's. */
    multiple: number | null;
    nps: Nps | null;
  }>;
  /** Customers, repeat customers, loyal customers, advocates. */
  ladder: [number, number, number, number];
  /** The tiers by engagement against the same tiers by total spend (an events file and amounts). */
  participation?: {
    /** Row = tier by engagement, column = tier by spend, top first. */
    cells: Array<Array<{ customers: number; revenue: number }>>;
    both_top: { customers: number; revenue: number };
    /** Top by engagement, bottom by spend. */
    engaged_not_spending: { customers: number; revenue: number };
    /** Top by spend, bottom by engagement. */
    spending_not_engaged: { customers: number; revenue: number };
  };
}

/** The cohort triangle (`loyalty-lens cohorts --format json`): customers by the period of their first order. */
export interface Cohorts {
  period: 'month' | 'quarter';
  /** Oldest first; each list has one entry per period from the cohort's first (k = 0) to the last. */
  cohorts: Array<{
    /** `2024-03` or `2024Q1`. */
    label: string;
    /** The period's index (months or quarters since year 0). */
    period: number;
    customers: number;
    /** Customers with an order in each period since the first. */
    active: number[];
    /** Net revenue of the cohort in each period since the first; `null` without amounts. */
    revenue: number[] | null;
    /** Customers with a second order by the end of each period since the first. */
    repeat: number[];
  }>;
  /** Whether the last period had ended by the as-of date. */
  last_complete: boolean;
  /** Customers of cohorts older than the 60 shown. */
  left_out: number;
}

/** What `crossSell` measures (named as the `cross-sell` command's flags). */
export interface CrossSellOptions {
  /** Anchor categories (e.g. `['手机']`, or `'手机'`), by their names in the file. */
  anchor: string[] | string;
  /** Target categories (e.g. `['穿戴设备', '智能家居']`, or `'穿戴设备,智能家居'`). */
  targets: string[] | string;
  /** A target bought at most this many days after the first anchor purchase counts (default 180). */
  within_days?: Num;
  /** Whether a target bought on the anchor's day counts (default true). */
  same_day?: boolean;
  /** The share to compare with (default 0.28); `null` or `'none'` for none. */
  benchmark?: Num | null;
}

/** Cross-purchase in sequence (`loyalty-lens cross-sell`). */
export interface CrossSell {
  params: { anchor: string[]; targets: string[]; within_days: number; same_day: boolean; benchmark: number | null };
  /** Customers who bought an anchor category. */
  anchor_buyers: number;
  /** Anchor buyers seen for fewer than `within_days` days since their first anchor purchase: left out. */
  too_recent: number;
  /** Anchor buyers who bought a target in time, of those seen long enough. */
  converted: Share;
  share: number | null;
  /** The share's 95% Wilson interval. */
  ci95: [number, number] | null;
  /** Median days from the first anchor purchase to the first target, of the converted. */
  median_days: number | null;
  /** The one-sample z-test against the benchmark. */
  test: { benchmark: number; difference: number; z: number | null; p_value: number | null; significant: boolean } | null;
  /** Anchor buyers with no target at all (the `not_yet` filter lists them). */
  not_yet: number;
  period: 'month' | 'quarter';
  /** By the period of the first anchor purchase, oldest first. */
  periods: Array<{ label: string; anchor_buyers: number; converted: Share }>;
}

/** One playbook row: the customers it matches (empty lists: any) and their action. */
export interface PlaybookRow {
  /** RFM segment names. */
  segments?: string[];
  stages?: Stage[];
  /** Pyramid tier names. */
  pyramid?: string[];
  action: string;
  channel?: string;
  /** 1 is the most urgent (default 3). */
  priority?: number;
  /** The share assumed to respond, 0..1. */
  response_rate?: number;
}

/** What `actions` applies (named as the `actions` command's flags). */
export interface ActionsOptions {
  /** The playbook: its CSV or JSON text (as saved by the app or `loyalty-lens actions --print-playbook`), or its rows; default the built-in one. */
  playbook?: string | PlaybookRow[];
  /** The built-in playbook's language (default `en`). */
  lang?: 'en' | 'zh';
  /** For the list: only this action's customers. */
  action?: string;
}

/** Each action's totals (`loyalty-lens actions --format json`). */
export interface Actions {
  playbook: { rows: Required<PlaybookRow>[] };
  /** One per playbook row, in its order. */
  stats: Array<{ action: string; channel: string; priority: number; response_rate: number; customers: number; revenue: number | null; clv: number | null; expected_revenue: number | null }>;
  /** Customers no row matched. */
  unmatched: number;
}

/** One customer of a campaign list (`loyalty-lens actions`' CSV columns). */
export interface ActionRow {
  customer_id: string;
  action: string;
  channel: string;
  priority: number;
  segment: string;
  r: number;
  f: number;
  /** `null`, as `spend`, without amounts. */
  m: number | null;
  pyramid_tier: string;
  stage: string;
  state: string;
  last_order: string;
  orders: number;
  spend: number | null;
  clv: number | null;
  p_alive: number | null;
  nps_score: number | null;
  nps_comment: string;
  /** With an events file (`useEvents`): the engagement score. */
  engagement_score?: number;
  /** With a member list (`--members`): the customer's acquisition source. */
  source?: string;
}

/** Win-back priorities (`loyalty-lens winback --format json`). */
export interface Winback {
  params: { dormant_days: number; floor: number | null };
  /** The floor used: the one given, or the candidates' median value at risk. */
  floor: number;
  /** Whether value at risk is CLV × (1 − P(alive)) (a `clv` run), not 12-month spend. */
  with_clv: boolean;
  invest_customers: number;
  invest_value: number;
  let_go_customers: number;
  let_go_value: number;
  rows: Array<{ customer_id: string; stage: string; recency_days: number; spend_12_months: number; clv: number | null; p_alive: number | null; value_at_risk: number; invest: boolean }>;
  /** Why there are no priorities: a file without amounts has no value at risk (absent otherwise). */
  notes?: string[];
}

/** One group's predicted CLV. */
export interface GroupClv {
  key: string;
  zh: string | null;
  customers: number;
  /** Customers with a prediction. */
  with_clv: number;
  clv: number;
  /** Over the customers with a prediction. */
  mean: number | null;
  customer_share: number;
  clv_share: number;
}

/** Predicted CLV by group (`loyalty-lens clv-groups`). */
export interface ClvGroups {
  total: number;
  by_pyramid: GroupClv[];
  by_segment: GroupClv[];
  by_stage: GroupClv[];
  /** Empty without a channel column. */
  by_channel: GroupClv[];
  by_tier: GroupClv[];
  /** The top pyramid tier's mean CLV over the bottom tier's, with its bootstrap interval. */
  multiple: { top: string; base: string; value: number; ci95: [number, number] | null } | null;
}

/** The whole segmentation (`loyalty-lens segments`). */
export interface Segmentation {
  as_of: string;
  customers: number;
  rows_after_as_of: number;
  /** `null`, as every figure of money below, for a file without amounts. */
  revenue: number | null;
  bins: number;
  rule: string;
  segments: GroupStat[];
  /** The 8 value classes; `null` without amounts. */
  cn_segments: GroupStat[] | null;
  cn_means: [number, number, number | null];
  grid: Array<{ r: number; f: number; customers: number; mean_monetary: number | null }>;
  /** ABC by revenue, with its Gini, top-20% share and Lorenz curve: `null` without amounts. */
  abc: GroupStat[] | null;
  abc_cuts: { a: number; b: number };
  gini: number | null;
  top20_share: number | null;
  lorenz: Array<[number, number]> | null;
  /** `null` when the tiers would come from spend and the file has no amounts. */
  tiers: GroupStat[] | null;
  tier_rule: string;
  stages: GroupStat[];
  stage_rule: string;
  states: {
    current: GroupStat[];
    periods: Array<{ label: string; mix: number[]; repurchase_rate: number; reactivation_rate: number }>;
    transitions: number[][];
    probabilities: number[][];
    last_transitions: number[][];
    last_probabilities: number[][];
    projection: number[][];
    mean_reactivation_rate: number;
    rule: string;
  };
  kpis: {
    repurchase_rate: number;
    top5_multiple: number;
    cross_category_rate: number | null;
    categories_total: number;
    categories: unknown[];
    category_matrix: number[][];
    channels: Array<{ channel: string; customers: number; repeat_rate: number; revenue_per_customer: number | null }>;
  };
  rules_zh: { rfm: string; tiers: string; stages: string; states: string };
  pyramid: Pyramid;
  cohorts: Cohorts;
  /** The loyalty KPIs period by period (shares with their counts) and the last complete period's change, tested. */
  kpi_trends: {
    periods: Array<{ label: string; repeat_customers: Share; returning_buyers: Share; reactivation: Share }>;
    dormant_days: number;
    latest: { label: string; previous: string; repeat_customers: ProportionTest | null; returning_buyers: ProportionTest | null; reactivation: ProportionTest | null } | null;
  };
  /** The lifecycle stages and 终止 as a Markov chain over the last 25 periods (rows and columns in `Stage` order). */
  stage_chain: {
    period: 'month' | 'quarter';
    churn_days: number;
    periods: string[];
    mix: number[][];
    transitions: number[][];
    probabilities: number[][];
    last_transitions: number[][];
    last_probabilities: number[][];
    /** From exploration, formation, stability, decline; null where the end is never reached. */
    expected_periods_to_end: Array<number | null>;
    projection: number[][];
  };
  /** Behaviour (loyal, repeat, new, lapsed) × attitude (promoter, passive, detractor) of the customers who answered; null without answers. */
  loyalty_matrix: {
    /** Rows loyal, repeat, new, lapsed; columns promoter, passive, detractor. */
    cells: Array<Array<{ customers: number; revenue: number | null }>>;
    true_loyalty: { customers: number; revenue: number | null };
    latent: { customers: number; revenue: number | null };
    spurious: { customers: number; revenue: number | null };
    no_loyalty: { customers: number; revenue: number | null };
    answered: number;
    promoters_bought_after: Share;
    detractors_bought_after: Share;
    test: ProportionTest | null;
  } | null;
  /** What could not be computed and why (a file without amounts); absent otherwise. */
  notes?: string[];
  /** With an events file (`useEvents`). */
  engagement?: Engagement;
}

/** `hits` of `of`. */
export interface Share {
  hits: number;
  of: number;
}

/** A two-proportion z-test of one share against another. */
export interface ProportionTest {
  /** As a share (0.13 is 13 points). */
  difference: number;
  z: number | null;
  p_value: number | null;
  ci95: [number, number];
  significant: boolean;
}

/** NPS options. */
export interface NpsOptions {
  /** Count each customer's latest answer only. */
  latest?: boolean;
  /** Transactions to join the answers to by customer id (adds `joined`). */
  transactions?: Dataset;
}

/** NPS overall and by channel (`loyalty-lens nps`). */
export interface NpsReport extends Nps {
  by_channel: Record<string, Nps>;
  joined?: {
    matched: number;
    by_segment: Record<string, Nps>;
    by_stage: Record<string, Nps>;
    by_tier: Record<string, Nps>;
    by_pyramid: Record<string, Nps>;
  };
}

/** CLV settings, named as the command line's flags. */
export interface ClvOptions {
  /** YYYY-MM-DD; default the last purchase day (no holdout). */
  calibration_end?: string;
  /** YYYY-MM-DD: purchases after the calibration end up to it are predicted and compared. */
  holdout_end?: string;
  unit?: 'week' | 'day';
  /** 1 to 120 (default 12). */
  horizon_months?: number;
  /** Monthly discount rate from 0 to 1 (default 0.01). */
  discount?: number;
}

/** A fitted model's parameters and how the fit went. */
export interface Fitted {
  converged: boolean;
  iterations: number;
  log_likelihood: number;
  /** Standard errors of the parameters, in their order. */
  se: number[];
  [parameter: string]: number | boolean | number[] | unknown;
}

/** The CLV models and predictions (`loyalty-lens clv`). */
export interface ClvReport {
  customers: number;
  unit: string;
  calibration_end: string;
  holdout_end: string | null;
  repeat_buyers: number;
  bgnbd: Fitted;
  pareto_nbd: Fitted | null;
  pareto_nbd_error: string | null;
  gamma_gamma: Fitted | null;
  gamma_gamma_error: string | null;
  horizon_months: number;
  discount_monthly: number;
  validation: {
    holdout_length: number;
    actual_total: number;
    expected_total: number;
    total_error_percent: number;
    mae_per_customer: number;
    by_frequency: Array<{ frequency: number; customers: number; actual: number; expected: number }>;
    tracking: number[][];
  } | null;
  matrix: { frequencies: number[]; recencies: number[]; t: number; horizon: number; expected: number[][]; p_alive: number[][] };
  total_clv: number | null;
  /** What the report leaves out and why (a file without amounts: no Gamma-Gamma, no CLV in money). */
  notes: string[];
}

/** One customer's CLV predictions (the `clv --customers` CSV columns). */
export interface CustomerClv {
  customer_id: string;
  frequency: number;
  recency: number;
  T: number;
  /** The mean value of the repeat purchases; `null` without amounts. */
  monetary_value: number | null;
  p_alive: number;
  expected_purchases: number;
  expected_value: number | null;
  clv: number | null;
  holdout_actual: number | null;
  holdout_expected: number | null;
}

/** How a long computation reports and is stopped. */
export interface RunOptions {
  /** Called before each step (`summary`, `bg_nbd`, `pareto_nbd`, `gamma_gamma`, `predicting`). */
  onProgress?: (progress: { step: string; index: number; steps: number }) => void;
  /** Stops the run between steps: it rejects with a `LoyaltyError` of code `cancelled`. */
  signal?: AbortSignal;
}

/** Which customers a list holds, by the names the results use. */
export type Filter =
  | 'all'
  | { segment: string }
  | { cn_segment: 'important_value' | 'important_develop' | 'important_keep' | 'important_retain' | 'general_value' | 'general_develop' | 'general_keep' | 'general_retain' }
  | { cell: { r: number; f: number } }
  | { abc: 'A' | 'B' | 'C' }
  | { tier: string }
  | { stage: Stage }
  | { state: 'new' | 'repeat' | 'loyal' | 'won_back' | 'lapsed' | 'churned' }
  | { moved: { from: string; to: string } }
  | { pyramid: string }
  /** Tier names of the pyramid: by engagement, and by total spend. */
  | { participation: { engagement: string; spend: string } }
  | { cohort: { label: string; k?: number } }
  | { stage_moved: { from: Stage; to: Stage } }
  | { not_yet: { anchor: string[] | string; targets: string[] | string } }
  | { attitude: { behaviour: 'loyal' | 'repeat' | 'new' | 'lapsed'; attitude: 'promoter' | 'passive' | 'detractor' } };

/** A lifecycle stage, or the end of the relationship (终止). */
export type Stage = 'exploration' | 'formation' | 'stability' | 'decline' | 'end';

/** Which part of a list. */
export interface Page {
  offset?: number;
  /** Default 100. */
  limit?: number;
}

/** One customer in a list (the export's columns). */
export interface CustomerRow extends RfmRow {
  abc: string;
  tier: string;
  stage: string;
  state: string;
  /** With an events file (`useEvents`): the engagement score, to 6 decimals. */
  engagement_score?: number;
  /** With a member list (the app's, `--members`): the customer's acquisition source. */
  source?: string;
}

/** What an events file held and how it scored the customers (`segments().engagement`). */
export interface Engagement {
  as_of: string;
  half_life_days: number;
  /** `score = Σ weight(type) × points × ½^(days before the as-of date / half-life)` in words. */
  formula: string;
  /** Rows of the events file. */
  events: number;
  /** Events of the transactions' customers up to the as-of date: those scored. */
  matched: number;
  /** Events of ids that bought nothing, those ids, and the first few of them. */
  unknown_events: number;
  unknown_customers: number;
  unknown_examples: string[];
  after_as_of: number;
  /** Customers with at least one scored event. */
  customers: number;
  points: boolean;
  /** Points cells that were not numbers (those events counted once). */
  bad_points: number;
  /** Most events first. */
  types: Array<{ name: string; weight: number; events: number; customers: number }>;
}

/** One customer to follow up (`loyalty-lens follow-up`'s CSV columns). */
export interface FollowUpRow {
  customer_id: string;
  /** The latest answer's score, its category (`detractor` or `passive`) and date (empty when undated). */
  score: number;
  category: 'detractor' | 'passive';
  answered: string;
  comment: string;
  /** Every score the customer gave, oldest first: `6 (2024-01-02) → 3 (2024-05-01)`. */
  history: string;
  segment: string;
  stage: string;
  last_order: string;
  orders: number;
  /** `null` without amounts. */
  spend: number | null;
  clv: number | null;
}

/** One customer's story (`loyalty-lens profile`). */
export interface Profile {
  /** The customer as the lists show them. */
  customer: CustomerRow;
  as_of: string;
  first_order: string;
  /** The last day with a purchase (what recency counts from). */
  last_order: string;
  tenure_days: number;
  /** `null`, as every figure of money of the story, without amounts. */
  average_order_value: number | null;
  spend_12_months: number | null;
  pyramid: string | null;
  first_channel: string | null;
  /** In the order first bought. */
  categories: string[];
  channels: string[];
  /** Orders (grouped as the facts count them) and returns, oldest first. */
  timeline: Array<{ date: string; days_before_as_of: number; amount: number | null; returned: boolean; rows: number; categories: string[]; channels: string[] }>;
  period: 'month' | 'quarter';
  /** From the period of the first order to the as-of date's; `stage` is null before the chain's last 25 periods. */
  periods: Array<{ period: string; orders: number; spend: number | null; state: 'new' | 'repeat' | 'loyal' | 'won_back' | 'lapsed' | 'churned'; stage: Stage | null }>;
  /** With an events file (`useEvents`): the score, events by type (most first) and the last event. */
  engagement?: { score: number; events: number; by_type: Array<[string, number]>; last_event: string | null };
  /** The last `clv` run's prediction. */
  clv: { p_alive: number; expected_purchases: number; expected_value: number | null; clv: number | null; horizon_months: number } | null;
  /** Every answer, oldest first. */
  answers: Array<{ date: string | null; score: number; category: 'promoter' | 'passive' | 'detractor'; comment: string | null }>;
  action: { action: string; channel: string; priority: number } | null;
  /** The customer's rows dated after the as-of date (not in the story). */
  rows_after_as_of: number;
}

/** One group's acquisition funnel (a source, a registration period, or everyone). */
export interface FunnelStage {
  key: string;
  /** Members who had not ordered before registering. */
  leads: number;
  first_order: { hits: number; of: number };
  first_order_ci95: [number, number] | null;
  second_order: { hits: number; of: number };
  second_order_ci95: [number, number] | null;
  median_days_to_first_order: number | null;
  /** `null` for orders without amounts. */
  revenue: number | null;
  revenue_per_lead: number | null;
  /** The leads' predicted CLV over the leads, once `clv()` has run on these orders (absent before). */
  predicted_value_per_lead?: number;
  /** Members who had ordered before registering (not in the rates). */
  already_customers: number;
}

/** The acquisition funnel (`loyalty-lens funnel --members`). */
export interface Funnel {
  as_of: string;
  period: 'month' | 'quarter';
  members: number;
  registered_after_as_of: number;
  total: FunnelStage;
  /** The most leads first; members without a source under "". */
  by_source: FunnelStage[];
  by_cohort: FunnelStage[];
  /** With `compare`: source `b`'s first-order conversion tested against `a`'s. */
  comparison?: { a: string; b: string; first_order: { difference: number; z: number | null; p_value: number | null; ci95: [number, number]; significant: boolean } | null };
}

/** A member of the funnel's activation lists (`funnel --list`'s CSV columns). */
export interface MemberRow {
  member_id: string;
  registered: string;
  source: string;
  orders_after: number;
  first_order_after: string;
}

/** A page of a list. */
export interface ListPage<T> {
  total: number;
  offset: number;
  rows: T[];
}

/** A file to save. */
export interface ExportFile {
  bytes: Uint8Array;
  extension: 'csv' | 'xlsx';
  mime: string;
}

/** A file read, and the analyses on it. */
export declare class Dataset {
  private constructor();
  /** What was understood: format, encoding, columns, roles, rows accepted, every rejected row. */
  inspect(): Report;
  /** Every customer's RFM scores and segments (only the RFM rules count). */
  rfm(rules?: Rules): RfmReport;
  /** The whole segmentation; `customers` and `export` then use these rules. */
  segments(rules?: Rules): Segmentation;
  /** The loyalty pyramid. */
  pyramid(rules?: Rules): Pyramid;
  /** The cohort triangle by the rules' `period`, up to their `as_of`. */
  cohorts(rules?: Rules): Cohorts;
  /** Cross-purchase from anchor to target categories, up to the rules' `as_of`, by their `period`. */
  crossSell(options: CrossSellOptions, rules?: Rules): CrossSell;
  /** Every customer's action under a playbook, and each action's totals (CLV from the last `clv` run). */
  actions(options?: ActionsOptions, rules?: Rules): Actions;
  /** The campaign list of `options.action` (every customer with an action when none is named). */
  actionList(options?: ActionsOptions, rules?: Rules): ActionRow[];
  /** The campaign list as a file: CSV (UTF-8 with a BOM, or GBK) or XLSX. */
  exportActions(options?: ActionsOptions, format?: 'csv' | 'csv_gbk' | 'xlsx', rules?: Rules): ExportFile;
  /** The last `clv` run's predictions by group under `rules`. */
  clvGroups(rules?: Rules): ClvGroups;
  /** Win-back priorities: 退化期 or dormant customers by value at risk, split at a value floor. */
  winback(options?: { winback_dormant_days?: number; floor?: number }, rules?: Rules): Winback;
  /** NPS with its interval, overall and by channel; joined to transactions when given. */
  nps(options?: NpsOptions): NpsReport;
  /** The acquisition funnel of `members` (a member or lead list: id, registration date, source) against these orders, by source and registration period; `compare` tests two sources. */
  funnel(members: Dataset, options?: { compare?: [string, string] }, rules?: Rules): Funnel;
  /** The members who registered and `never` bought, or bought `once` (leads only). */
  funnelList(members: Dataset, which?: 'never' | 'once', rules?: Rules): MemberRow[];
  /** Scores every later segmentation with an engagement events file (customer id, date, event type, optionally points); `null` forgets it. Throws `events_no_type` without an event-type column. */
  useEvents(input: Input | null, options?: { name?: string }): Promise<void>;
  /** Complaints to follow up: customers whose latest answer (this dataset's, or `survey`'s joined by id) is a detractor's (with `passives`, a passive's too), the most valuable first. */
  followUp(options?: { passives?: boolean; survey?: Dataset }, rules?: Rules): FollowUpRow[];
  /** One customer's story: orders, state and stage by period, scores, tiers, action, answers (this dataset's, or `survey`'s) and the last `clv` run's prediction. Throws `unknown_customer` for an id without purchases. */
  profile(id: string, options?: { playbook?: string | PlaybookRow[]; lang?: 'en' | 'zh'; survey?: Dataset }, rules?: Rules): Profile;
  /** Fits BG/NBD, Pareto/NBD and Gamma-Gamma and predicts every customer, step by step. */
  clv(params?: ClvOptions, run?: RunOptions): Promise<ClvReport>;
  /** A page of the last CLV run's customers, highest `sort` first. */
  clvCustomers(sort?: 'clv' | 'p_alive' | 'expected_purchases', page?: Page): ListPage<CustomerClv>;
  /** A page of the customers passing `filter`, highest spend first, under the last `segments` rules. */
  customers(filter?: Filter, page?: Page): ListPage<CustomerRow>;
  /** Every customer passing `filter` as a file: CSV (UTF-8 with a BOM, or GBK) or XLSX. */
  export(filter?: Filter, format?: 'csv' | 'csv_gbk' | 'xlsx'): ExportFile;
  /** Releases the dataset's memory at once. */
  free(): void;
}

/** A dataset held by a `LoyaltyWorker`: the `Dataset` methods, answered asynchronously. */
export interface WorkerDataset {
  inspect(): Promise<Report>;
  rfm(rules?: Rules): Promise<RfmReport>;
  segments(rules?: Rules): Promise<Segmentation>;
  pyramid(rules?: Rules): Promise<Pyramid>;
  cohorts(rules?: Rules): Promise<Cohorts>;
  crossSell(options: CrossSellOptions, rules?: Rules): Promise<CrossSell>;
  actions(options?: ActionsOptions, rules?: Rules): Promise<Actions>;
  actionList(options?: ActionsOptions, rules?: Rules): Promise<ActionRow[]>;
  exportActions(options?: ActionsOptions, format?: 'csv' | 'csv_gbk' | 'xlsx', rules?: Rules): Promise<ExportFile>;
  winback(options?: { winback_dormant_days?: number; floor?: number }, rules?: Rules): Promise<Winback>;
  clvGroups(rules?: Rules): Promise<ClvGroups>;
  /** `transactions` is another dataset of the same worker. */
  nps(options?: { latest?: boolean; transactions?: WorkerDataset }): Promise<NpsReport>;
  /** `members` is another dataset of the same worker. */
  funnel(members: WorkerDataset, options?: { compare?: [string, string] }, rules?: Rules): Promise<Funnel>;
  funnelList(members: WorkerDataset, which?: 'never' | 'once', rules?: Rules): Promise<MemberRow[]>;
  useEvents(input: Input | null, options?: { name?: string }): Promise<void>;
  /** `survey` is another dataset of the same worker. */
  followUp(options?: { passives?: boolean; survey?: WorkerDataset }, rules?: Rules): Promise<FollowUpRow[]>;
  profile(id: string, options?: { playbook?: string | PlaybookRow[]; lang?: 'en' | 'zh'; survey?: WorkerDataset }, rules?: Rules): Promise<Profile>;
  clv(params?: ClvOptions, run?: RunOptions): Promise<ClvReport>;
  clvCustomers(sort?: 'clv' | 'p_alive' | 'expected_purchases', page?: Page): Promise<ListPage<CustomerClv>>;
  customers(filter?: Filter, page?: Page): Promise<ListPage<CustomerRow>>;
  export(filter?: Filter, format?: 'csv' | 'csv_gbk' | 'xlsx'): Promise<ExportFile>;
  free(): Promise<void>;
  readonly handle: number;
}

/** Runs the analyses in a Web Worker (browsers), so that the page never blocks. */
export declare class LoyaltyWorker {
  /** `url` overrides where the package's worker.js is served from. */
  constructor(options?: { url?: string | URL });
  /** Reads a file in the worker (a `File` is read there, not copied through the page). */
  open(input: Input, options?: OpenOptions): Promise<WorkerDataset>;
  /** Stops the worker; every dataset it held is gone. */
  terminate(): void;
}
