//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005 note "The Gamma-Gamma model of monetary
//! value"): a customer's transaction values vary around their mean ν, with ν ~ InverseGamma-like
//! through Gamma(q, γ); with x repeat transactions of mean m:
//!
//! LL = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x),
//! E[M | x, m] = p (γ + m x) / (p x + q − 1).
//!
//! Fitted on the customers with at least one repeat purchase and a positive mean value. It assumes
//! spend does not depend on frequency: [`independence`] gives the correlation to show the user.

use super::fit::{maximise, Fit};
use super::special::ln_gamma;
use super::ClvError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    /// γ, called v in the lifetimes package and in the CLI output.
    pub v: f64,
}

impl GammaGamma {
    pub fn ll(&self, x: f64, m: f64) -> f64 {
        let Self { p, q, v } = *self;
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q) + q * v.ln() + (p * x - 1.0) * m.ln() + p * x * x.ln()
            - (p * x + q) * (v + m * x).ln()
    }

    /// The expected mean transaction value of a customer with x repeats of mean m (the population
    /// mean p γ / (q − 1) when x = 0).
    pub fn expected_value(&self, x: f64, m: f64) -> f64 {
        let Self { p, q, v } = *self;
        p * (v + m * x) / (p * x + q - 1.0)
    }
}

/// Pearson correlation of frequency and mean value over the repeat buyers.
pub fn independence(data: &[(f64, f64)]) -> Option<f64> {
    let n = data.len() as f64;
    if data.len() < 3 {
        return None;
    }
    let (mx, mm) = (data.iter().map(|d| d.0).sum::<f64>() / n, data.iter().map(|d| d.1).sum::<f64>() / n);
    let cov: f64 = data.iter().map(|d| (d.0 - mx) * (d.1 - mm)).sum();
    let (vx, vm) = (data.iter().map(|d| (d.0 - mx).powi(2)).sum::<f64>(), data.iter().map(|d| (d.1 - mm).powi(2)).sum::<f64>());
    (vx > 0.0 && vm > 0.0).then(|| cov / (vx * vm).sqrt())
}

/// Fits the model to (x, m) of repeat buyers; `ids` name them in errors.
///
/// # Errors
/// [`ClvError::Spend`] naming customers with zero or negative mean value, [`ClvError::NoRepeat`]
/// with fewer than two repeat buyers, or a failed fit.
pub fn fit(data: &[(f64, f64)], ids: &[String]) -> Result<(GammaGamma, Fit), ClvError> {
    let bad: Vec<String> =
        data.iter().zip(ids).filter(|(d, _)| !(d.1 > 0.0 && d.1.is_finite())).map(|(_, id)| id.clone()).collect();
    if !bad.is_empty() {
        return Err(ClvError::Spend(bad));
    }
    if data.len() < 2 {
        return Err(ClvError::NoRepeat);
    }
    let ll = |p: &[f64]| {
        let g = GammaGamma { p: p[0], q: p[1], v: p[2] };
        data.iter().map(|&(x, m)| g.ll(x, m)).sum::<f64>()
    };
    let mean_m = data.iter().map(|d| d.1).sum::<f64>() / data.len() as f64;
    let starts = [vec![1.0, 1.0, 1.0], vec![5.0, 3.0, mean_m], vec![2.0, 2.0, mean_m / 2.0], vec![10.0, 5.0, mean_m * 2.0]];
    let f = maximise(&ll, &starts).map_err(ClvError::Fit)?;
    Ok((GammaGamma { p: f.params[0], q: f.params[1], v: f.params[2] }, f))
}
