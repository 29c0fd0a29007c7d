//! A CLV analysis in steps — the summary, each model's fit, the predictions — so that a front end
//! can show progress and cancel between them (the app's worker and the npm package both do).
//! Stepping a [`Run`] to its end gives exactly what [`super::analyse`] gives.

use super::bgnbd::BgNbd;
use super::form::ValidClvParams;
use super::pareto_nbd::ParetoNbd;
use super::summary::Summary;
use super::{fit_pareto, fit_purchases, fit_spend, prepare, report, ClvError, ClvReport, Fitted, SpendModel};
use crate::core::dataset::Dataset;
use serde::{Deserialize, Serialize};

/// The steps of a CLV run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClvStep {
    Summary,
    BgNbd,
    ParetoNbd,
    GammaGamma,
    Predicting,
}

impl ClvStep {
    pub const ALL: [ClvStep; 5] =
        [ClvStep::Summary, ClvStep::BgNbd, ClvStep::ParetoNbd, ClvStep::GammaGamma, ClvStep::Predicting];
}

/// A CLV run between its steps.
#[derive(Debug, Clone)]
pub struct Run {
    params: ValidClvParams,
    summary: Option<Summary>,
    bgnbd: Option<Fitted<BgNbd>>,
    pareto: Option<Result<Fitted<ParetoNbd>, String>>,
    spend: Option<Result<SpendModel, String>>,
}

impl Run {
    pub fn new(params: ValidClvParams) -> Self {
        Self { params, summary: None, bgnbd: None, pareto: None, spend: None }
    }

    /// The step [`Run::advance`] does next.
    pub fn next(&self) -> ClvStep {
        match (&self.summary, &self.bgnbd, &self.pareto, &self.spend) {
            (None, ..) => ClvStep::Summary,
            (_, None, ..) => ClvStep::BgNbd,
            (_, _, None, _) => ClvStep::ParetoNbd,
            (.., None) => ClvStep::GammaGamma,
            _ => ClvStep::Predicting,
        }
    }

    /// Does the next step on `ds` (the dataset of every step of the run); the report after the last.
    ///
    /// # Errors
    /// [`ClvError`] when the summary cannot be built or BG/NBD cannot be fitted: the run is over.
    /// A run that has given its report is spent (stepped again, it would fit again).
    pub fn advance(&mut self, ds: &Dataset) -> Result<Option<ClvReport>, ClvError> {
        let Some(summary) = &self.summary else {
            self.summary = Some(prepare(ds, &self.params)?);
            return Ok(None);
        };
        if self.bgnbd.is_none() {
            self.bgnbd = Some(fit_purchases(summary)?);
        } else if self.pareto.is_none() {
            self.pareto = Some(fit_pareto(summary));
        } else if self.spend.is_none() {
            self.spend = Some(fit_spend(ds, summary));
        } else if let (Some(bg), Some(pareto), Some(spend)) = (self.bgnbd.take(), self.pareto.take(), self.spend.take()) {
            return Ok(Some(report(ds, summary, &self.params, bg, pareto, spend)));
        }
        Ok(None)
    }

    /// Every step to the end.
    ///
    /// # Errors
    /// As [`Run::advance`].
    pub fn finish(mut self, ds: &Dataset) -> Result<ClvReport, ClvError> {
        loop {
            if let Some(report) = self.advance(ds)? {
                return Ok(report);
            }
        }
    }
}
