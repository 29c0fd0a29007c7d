//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while
//! alive, a customer buys at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
//! probability p ~ Beta(a, b).
//!
//! # Formulas (x repeat purchases, t_x recency, T age)
//! - LL = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//!   + ln[(α+T)^−(r+x) + 1{x>0} · a/(b+x−1) · (α+t_x)^−(r+x)], the last term by log-sum-exp.
//! - P(alive) = 1 / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
//! - E[X(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
//!   / (1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).
//! - E[X(t)] of a new customer = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].

use super::fit::{maximise, Fit};
use super::special::{hyp2f1, ln_beta, ln_gamma, log_sum_exp};
use super::{ClvError, Rft};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl BgNbd {
    fn from(p: &[f64]) -> Self {
        Self { r: p[0], alpha: p[1], a: p[2], b: p[3] }
    }

    /// One customer's log-likelihood.
    pub fn ll(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let Self { r, alpha, a, b } = *self;
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_beta(a, b + x) - ln_beta(a, b);
        let alive = -(r + x) * (alpha + t).ln();
        let tail = if x > 0.0 { a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln() } else { f64::NEG_INFINITY };
        head + log_sum_exp(alive, tail)
    }

    /// 1 + 1{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x), the odds term shared by P(alive) and E[X].
    fn death_odds(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x == 0.0 {
            return 1.0;
        }
        let ln = (self.a / (self.b + x - 1.0)).ln() + (self.r + x) * ((self.alpha + t) / (self.alpha + t_x)).ln();
        1.0 + ln.exp()
    }

    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        1.0 / self.death_odds(x, t_x, t)
    }

    /// Expected purchases in the next `horizon` units of a customer with (x, t_x, T).
    pub fn expected(&self, horizon: f64, x: f64, t_x: f64, t: f64) -> f64 {
        if horizon <= 0.0 {
            return 0.0;
        }
        let Self { r, alpha, a, b } = *self;
        let z = horizon / (alpha + t + horizon);
        let hyp = hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let second = 1.0 - ((r + x) * ((alpha + t) / (alpha + t + horizon)).ln()).exp() * hyp;
        (a + b + x - 1.0) / (a - 1.0) * second / self.death_odds(x, t_x, t)
    }

    /// Expected repeat purchases of a new customer in their first `t` units.
    pub fn expected_new(&self, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let Self { r, alpha, a, b } = *self;
        let hyp = hyp2f1(r, b, a + b - 1.0, t / (alpha + t));
        (a + b - 1.0) / (a - 1.0) * (1.0 - (alpha / (alpha + t)).powf(r) * hyp)
    }
}

/// Fits BG/NBD to the customers' (x, t_x, T), each distinct triple weighted by its count.
///
/// # Errors
/// [`ClvError`] for data the model cannot be fitted to, or a failed fit.
pub fn fit(data: &[Rft]) -> Result<(BgNbd, Fit), ClvError> {
    super::check_counts(data)?;
    let groups = super::group(data);
    let ll = |p: &[f64]| {
        let m = BgNbd::from(p);
        groups.iter().map(|&((x, t_x, t), w)| w * m.ll(x, t_x, t)).sum::<f64>()
    };
    let mean_t = data.iter().map(|d| d.2).sum::<f64>() / data.len() as f64;
    let starts = [
        vec![1.0, 1.0, 1.0, 1.0],
        vec![0.5, mean_t / 10.0, 0.8, 2.5],
        vec![1.0, mean_t, 0.5, 1.0],
        vec![0.2, mean_t / 3.0, 2.0, 5.0],
    ];
    let f = maximise(&ll, &starts).map_err(ClvError::Fit)?;
    Ok((BgNbd::from(&f.params), f))
}
