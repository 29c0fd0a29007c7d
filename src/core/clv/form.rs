//! The CLV settings: one set of rules for every front end ([`ClvParams::check`]), and the page's
//! form of them as typed ([`ClvForm`]: dates as text, the discount in percent). The command line
//! reads its flags into [`ClvParams`] and checks them with the same rules.

use crate::core::clv::summary::Unit;
use crate::core::clv::ClvParams;
use crate::core::values::{format_day, parse_iso_date, DateError};
use serde::{Deserialize, Serialize};

/// The longest horizon, in months: ten years. Further out a purchase-rate model only extrapolates.
pub const MAX_HORIZON_MONTHS: u32 = 120;

/// Settings no CLV run can use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClvParamsError {
    #[error("the horizon must be 1 to {MAX_HORIZON_MONTHS} months, not {0}")]
    Horizon(u32),
    #[error("the monthly discount rate must be from 0 to 1, not {0}")]
    Discount(f64),
    #[error("the holdout end must be after the calibration end")]
    HoldoutBeforeCalibration,
}

impl ClvParamsError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Horizon(_) => "clv_horizon",
            Self::Discount(_) => "clv_discount",
            Self::HoldoutBeforeCalibration => "clv_holdout_before_calibration",
        }
    }
}

/// CLV settings that passed [`ClvParams::check`]: what [`crate::core::clv::prepare`] and
/// [`crate::core::clv::analyse`] take.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidClvParams(ClvParams);

impl std::ops::Deref for ValidClvParams {
    type Target = ClvParams;

    fn deref(&self) -> &ClvParams {
        &self.0
    }
}

impl ClvParams {
    /// Checks the settings: a horizon of 1 to [`MAX_HORIZON_MONTHS`] months, a monthly discount
    /// rate in [0, 1), a holdout end after the calibration end.
    ///
    /// # Errors
    /// [`ClvParamsError`] naming the setting that cannot be used.
    pub fn check(self) -> Result<ValidClvParams, ClvParamsError> {
        if !(1..=MAX_HORIZON_MONTHS).contains(&self.horizon_months) {
            return Err(ClvParamsError::Horizon(self.horizon_months));
        }
        if !(self.discount_monthly.is_finite() && (0.0..1.0).contains(&self.discount_monthly)) {
            return Err(ClvParamsError::Discount(self.discount_monthly));
        }
        if let (Some(c), Some(h)) = (self.calibration_end, self.holdout_end) {
            if h <= c {
                return Err(ClvParamsError::HoldoutBeforeCalibration);
            }
        }
        Ok(ValidClvParams(self))
    }
}

/// The CLV page's form, as typed: dates as `YYYY-MM-DD` (the holdout end may be empty), the
/// horizon in months, the monthly discount in percent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvForm {
    pub calibration_end: String,
    pub holdout_end: String,
    pub unit: Unit,
    pub horizon_months: String,
    pub discount_percent: String,
}

/// What is wrong with the form as typed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClvFormError {
    #[error("calibration end: {0}")]
    CalibrationEnd(DateError),
    #[error("holdout end: {0}")]
    HoldoutEnd(DateError),
    #[error("horizon: a whole number of months, 1–{MAX_HORIZON_MONTHS}")]
    Horizon,
    #[error("discount: a monthly rate in percent, 0–100")]
    Discount,
    #[error(transparent)]
    Params(#[from] ClvParamsError),
}

impl ClvFormError {
    /// A stable key for the page to translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::CalibrationEnd(_) => "clv_calibration_end",
            Self::HoldoutEnd(_) => "clv_holdout_end",
            Self::Horizon => "clv_horizon",
            Self::Discount => "clv_discount",
            Self::Params(e) => e.code(),
        }
    }
}

impl ClvForm {
    /// The form showing `params`, the calibration end defaulting to `last_day`.
    pub fn from_params(params: &ClvParams, last_day: Option<i32>) -> Self {
        Self {
            calibration_end: params.calibration_end.or(last_day).map(format_day).unwrap_or_default(),
            holdout_end: params.holdout_end.map(format_day).unwrap_or_default(),
            unit: params.unit,
            horizon_months: params.horizon_months.to_string(),
            discount_percent: format!("{}", params.discount_monthly * 100.0),
        }
    }

    /// The settings the form describes, checked.
    ///
    /// # Errors
    /// [`ClvFormError`] naming the field that cannot be read, or the rule the settings break.
    pub fn to_params(&self) -> Result<ClvParams, ClvFormError> {
        let calibration_end = parse_iso_date(&self.calibration_end).map_err(ClvFormError::CalibrationEnd)?;
        let holdout_end = match self.holdout_end.trim() {
            "" => None,
            h => Some(parse_iso_date(h).map_err(ClvFormError::HoldoutEnd)?),
        };
        let horizon_months = self.horizon_months.trim().parse::<u32>().map_err(|_| ClvFormError::Horizon)?;
        let percent =
            self.discount_percent.trim().trim_end_matches('%').trim().parse::<f64>().map_err(|_| ClvFormError::Discount)?;
        let params = ClvParams {
            calibration_end: Some(calibration_end),
            holdout_end,
            unit: self.unit,
            horizon_months,
            discount_monthly: percent / 100.0,
        };
        params.clone().check().map_err(|e| match e {
            // Worded as the form asks for them: months 1–120, percent 0–100.
            ClvParamsError::Horizon(_) => ClvFormError::Horizon,
            ClvParamsError::Discount(_) => ClvFormError::Discount,
            other => ClvFormError::Params(other),
        })?;
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ClvForm {
        ClvForm {
            calibration_end: "1997-09-30".into(),
            holdout_end: "1998-06-30".into(),
            unit: Unit::Week,
            horizon_months: "12".into(),
            discount_percent: "1".into(),
        }
    }

    #[test]
    fn a_form_as_typed_becomes_checked_settings() {
        let p = form().to_params().unwrap();
        assert_eq!(p.calibration_end, Some(parse_iso_date("1997-09-30").unwrap()));
        assert_eq!(p.holdout_end, Some(parse_iso_date("1998-06-30").unwrap()));
        assert_eq!((p.horizon_months, p.discount_monthly), (12, 0.01));
        let no_holdout = ClvForm { holdout_end: " ".into(), discount_percent: "1.5 %".into(), ..form() };
        let p = no_holdout.to_params().unwrap();
        assert_eq!((p.holdout_end, p.discount_monthly), (None, 0.015));
    }

    #[test]
    fn the_page_and_the_command_line_refuse_the_same_settings() {
        type Edit = fn(&mut ClvForm);
        let cases: [(Edit, &str); 8] = [
            (|f| f.calibration_end = "1997-02-30".into(), "clv_calibration_end"),
            (|f| f.holdout_end = "soon".into(), "clv_holdout_end"),
            (|f| f.holdout_end = "1997-09-30".into(), "clv_holdout_before_calibration"),
            (|f| f.horizon_months = "0".into(), "clv_horizon"),
            (|f| f.horizon_months = "121".into(), "clv_horizon"),
            (|f| f.horizon_months = "a year".into(), "clv_horizon"),
            (|f| f.discount_percent = "100".into(), "clv_discount"),
            (|f| f.discount_percent = "-1".into(), "clv_discount"),
        ];
        for (edit, code) in cases {
            let mut f = form();
            edit(&mut f);
            let e = f.to_params().unwrap_err();
            assert_eq!(e.code(), code, "{f:?}: {e}");
        }
        // The same rules on the settings themselves, as the command line checks its flags.
        let ok = form().to_params().unwrap();
        assert_eq!(ClvParams { horizon_months: 121, ..ok.clone() }.check(), Err(ClvParamsError::Horizon(121)));
        assert_eq!(ClvParams { discount_monthly: 1.0, ..ok.clone() }.check(), Err(ClvParamsError::Discount(1.0)));
        assert_eq!(ClvParams { discount_monthly: f64::NAN, ..ok.clone() }.check().map_err(|e| e.code()), Err("clv_discount"));
        let edge = ClvParams { horizon_months: 120, discount_monthly: 0.0, ..ok };
        assert_eq!(edge.clone().check().as_deref(), Ok(&edge));
    }

    #[test]
    fn the_form_shows_the_settings_it_was_made_from() {
        let p = form().to_params().unwrap();
        assert_eq!(ClvForm::from_params(&p, None).to_params().unwrap(), p);
        let fresh = ClvForm::from_params(&ClvParams::default(), Some(parse_iso_date("2025-12-31").unwrap()));
        assert_eq!((fresh.calibration_end.as_str(), fresh.discount_percent.as_str()), ("2025-12-31", "1"));
    }
}
