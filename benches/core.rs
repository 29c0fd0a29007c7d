//! Native micro-benchmarks of the core (divan): ingest, per-customer facts, RFM scoring, the whole
//! segmentation, and the CLV fits on the CDNOW master data (23,570 customers). Run with
//! `cargo bench --bench core`; regressions show as changed medians. The browser and cross-tool
//! comparisons are `make bench` (BENCHMARKS.md).

use loyalty_lens::core::analysis::{customers, rfm};
use loyalty_lens::core::clv::summary::{summarise, Summary, Unit};
use loyalty_lens::core::clv::{bgnbd, gamma_gamma, pareto_nbd};
use loyalty_lens::core::dataset::Dataset;
use loyalty_lens::core::ingest::{ingest, IngestOptions};
use loyalty_lens::core::report::segments;
use loyalty_lens::core::values::day_from_ymd;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn master_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cdnow/CDNOW_master.txt")).unwrap())
}

fn master() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| ingest(master_bytes(), "CDNOW_master.txt", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset)
}

fn calibration() -> &'static Summary {
    static S: OnceLock<Summary> = OnceLock::new();
    S.get_or_init(|| summarise(master(), day_from_ymd(1997, 9, 30).unwrap(), None, Unit::Week).unwrap())
}

fn rft() -> Vec<(f64, f64, f64)> {
    calibration().customers.iter().map(|c| (c.x, c.t_x, c.t)).collect()
}

#[divan::bench(sample_count = 10)]
fn ingest_cdnow_master(b: divan::Bencher) {
    b.bench(|| {
        ingest(master_bytes(), "CDNOW_master.txt", &IngestOptions::default(), &mut |_, _| {}).unwrap().dataset.customer.len()
    });
}

#[divan::bench(sample_count = 20)]
fn facts_cdnow_master(b: divan::Bencher) {
    let ds = master();
    b.bench(|| customers::facts(ds, None).unwrap());
}

#[divan::bench(sample_count = 20)]
fn rfm_score_cdnow_master(b: divan::Bencher) {
    let facts = customers::facts(master(), None).unwrap();
    let params = rfm::RfmParams::default();
    b.bench(|| rfm::score(&facts.customers, &params).unwrap());
}

#[divan::bench(sample_count = 20)]
fn cohorts_cdnow_master(b: divan::Bencher) {
    let facts = customers::facts(master(), None).unwrap();
    b.bench(|| {
        loyalty_lens::core::analysis::cohorts::cohorts(master(), &facts, loyalty_lens::core::analysis::states::Period::Month)
    });
}

#[divan::bench(sample_count = 20)]
fn stage_chain_cdnow_master(b: divan::Bencher) {
    let facts = customers::facts(master(), None).unwrap();
    let p = segments::SegmentationParams::default();
    b.bench(|| {
        loyalty_lens::core::analysis::stage_chain::chain(
            &facts.customers,
            facts.as_of,
            p.states.period,
            p.states.churn_days,
            &p.stages,
            4,
        )
    });
}

#[divan::bench(sample_count = 10)]
fn segmentation_cdnow_master(b: divan::Bencher) {
    let ds = master();
    let params = segments::SegmentationParams::default().check().unwrap();
    b.bench(|| segments::segment(ds, &params).unwrap());
}

#[divan::bench(sample_count = 20)]
fn clv_summary_cdnow_master(b: divan::Bencher) {
    let ds = master();
    let end = day_from_ymd(1997, 9, 30).unwrap();
    b.bench(|| summarise(ds, end, None, Unit::Week).unwrap());
}

#[divan::bench(sample_count = 20)]
fn bgnbd_fit_cdnow_master(b: divan::Bencher) {
    let data = rft();
    b.bench(|| bgnbd::fit(&data).unwrap());
}

#[divan::bench(sample_count = 20)]
fn gamma_gamma_fit_cdnow_master(b: divan::Bencher) {
    let repeat: Vec<(f64, f64)> = calibration().customers.iter().filter(|c| c.x > 0.0).map(|c| (c.x, c.monetary)).collect();
    let ids: Vec<String> = (0..repeat.len()).map(|i| i.to_string()).collect();
    b.bench(|| gamma_gamma::fit(&repeat, &ids).unwrap());
}

#[divan::bench(sample_count = 3)]
fn pareto_nbd_fit_cdnow_master(b: divan::Bencher) {
    let data = rft();
    b.bench(|| pareto_nbd::fit(&data).unwrap());
}
