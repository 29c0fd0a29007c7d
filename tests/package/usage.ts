// Type-checked (not run) by `make package-test` against the package's declarations: the calls a
// host page makes, with the types it relies on. A declaration that drifts from this use fails tsc.
import { open, init, LoyaltyWorker, LoyaltyError, toLoyaltyError } from 'loyalty-lens';
import type { Actions, ActionRow, FollowUpRow, Profile, Funnel, MemberRow, ClvGroups, Cohorts, CrossSell, Winback, Dataset, Pyramid, Segmentation, RfmReport, ClvReport, NpsReport, Report, ListPage, CustomerRow, CustomerClv, ExportFile, Filter, Engagement } from 'loyalty-lens';

export async function host(file: File, bytes: Uint8Array): Promise<number> {
  await init();
  const dataset: Dataset = await open(file, { map: { customer_id: '买家会员名', amount: 3 }, encoding: 'GBK', date_order: 'dmy', onProgress: ({ stage, fraction }) => console.log(stage, fraction) });
  const report: Report = dataset.inspect();
  const rfm: RfmReport = dataset.rfm({ bins: 5, r_thresholds: [30, 90, 180, 365] });
  const seg: Segmentation = dataset.segments({ as_of: '2025-07-01', tier_shares: [5, 15, 30], period: 'quarter' });
  const pyramid: Pyramid = dataset.pyramid({ measure: 'total_spend', tiers: [['Super fans', 5], ['Active', 30], ['Base', 65]] });
  const cohorts: Cohorts = dataset.cohorts({ period: 'quarter' });
  const acts: Actions = dataset.actions({ lang: 'zh' });
  const complaints: FollowUpRow[] = dataset.followUp({ passives: true });
  const leads: Funnel = dataset.funnel(dataset, { compare: ['广告', '推荐'] }, { period: 'month' });
  await dataset.useEvents('customer_id,date,event_type\na,2024-01-01,内测\n', { name: 'events.csv' });
  const engaged: Engagement | undefined = dataset.segments({ measure: 'engagement', event_weights: '内测: 4', half_life_days: 60 }).engagement;
  const versus = dataset.pyramid({ measure: 'engagement' }).participation?.engaged_not_spending.customers ?? 0;
  const never: MemberRow[] = dataset.funnelList(dataset, 'never');
  const story: Profile = dataset.profile('c1', { lang: 'zh', survey: dataset }, { as_of: '2025-07-01' });
  const remoteStory: Profile = await (await new LoyaltyWorker().open(file)).profile('c1', { playbook: [{ action: 'Call' }] });
  const list: ActionRow[] = dataset.actionList({ playbook: [{ stages: ['decline'], action: 'Win back', response_rate: 0.1 }, { action: 'Newsletter' }], action: 'Win back' });
  const win: Winback = dataset.winback({ winback_dormant_days: 90, floor: 500 });
  const sheet: ExportFile = dataset.exportActions({}, 'xlsx');
  const cross: CrossSell = dataset.crossSell({ anchor: '手机', targets: ['穿戴设备', '智能家居'], within_days: 90, benchmark: null }, { period: 'quarter' });
  const survey = await open(bytes, { name: 'survey.csv' });
  const nps: NpsReport = survey.nps({ latest: true, transactions: dataset });
  const controller = new AbortController();
  const clv: ClvReport = await dataset.clv({ calibration_end: '2025-06-30', unit: 'week', horizon_months: 12, discount: 0.01 }, { onProgress: ({ step, index, steps }) => console.log(step, index / steps), signal: controller.signal });
  const byGroup: ClvGroups = dataset.clvGroups({ measure: 'clv' });
  const top: ListPage<CustomerClv> = dataset.clvCustomers('p_alive', { limit: 10 });
  const filters: Filter[] = ['all', { segment: 'Champions' }, { stage: 'decline' }, { moved: { from: 'loyal', to: 'lapsed' } }, { cell: { r: 5, f: 5 } }, { cohort: { label: '2024-01', k: 1 } }, { stage_moved: { from: 'stability', to: 'end' } }, { not_yet: { anchor: ['手机'], targets: '穿戴设备' } }];
  const page: ListPage<CustomerRow> = dataset.customers(filters[1], { offset: 0, limit: 50 });
  const file1: ExportFile = dataset.export({ abc: 'A' }, 'xlsx');
  try {
    dataset.segments({ bins: 99 });
  } catch (e) {
    const error: LoyaltyError = toLoyaltyError(e);
    if (error.code === 'no_customer_column') console.log(error.columns?.join());
  }
  const worker = new LoyaltyWorker();
  const remote = await worker.open(file);
  const tiers: Pyramid = await remote.pyramid();
  const remoteNps: NpsReport = await remote.nps({ transactions: remote });
  await remote.free();
  worker.terminate();
  dataset.free();
  return leads.total.leads + never.length + (leads.comparison?.first_order?.p_value ?? 0) + complaints.length + story.timeline.length + (story.clv?.p_alive ?? 0) + remoteStory.periods.length + report.rows_accepted + rfm.rows.length + seg.segments.length + pyramid.ladder[0] + nps.nps + (clv.total_clv ?? 0) + top.total + page.total + file1.bytes.length + tiers.tiers.length + remoteNps.responses + cohorts.cohorts.length + (seg.stage_chain.expected_periods_to_end[0] ?? 0) + (seg.kpi_trends.latest?.reactivation?.p_value ?? 0) + (await remote.cohorts()).left_out + byGroup.total + (byGroup.multiple?.ci95?.[0] ?? 0) + acts.unmatched + list.length + win.invest_customers + sheet.bytes.length + (await remote.winback()).floor + cross.converted.hits + (cross.median_days ?? 0) + (engaged?.matched ?? 0) + versus + (await remote.crossSell({ anchor: ['手机'], targets: ['配件'] })).not_yet;
}
