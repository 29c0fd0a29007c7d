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

use super::fit::{maximise_with, Fit};
use super::special::{digamma, hyp2f1, ln_beta, ln_gamma, log_sum_exp};
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

    /// The total log-likelihood of grouped customers (the same sum as [`BgNbd::ll`] per customer).
    fn ll_groups(&self, g: &super::Groups) -> f64 {
        self.ll_and_gradient_groups(g).0
    }

    /// The total log-likelihood of grouped customers and its gradient dLL/d(r, α, a, b), in one
    /// pass: terms that depend on x alone are computed once per distinct x, ln(α+t) and 1/(α+t)
    /// once per distinct time, and each customer group costs one exponential and one logarithm
    /// (none without repeat purchases). ψ is the digamma function.
    fn ll_and_gradient_groups(&self, g: &super::Groups) -> (f64, Vec<f64>) {
        let Self { r, alpha, a, b } = *self;
        let (psi_r, psi_ab, psi_b, ln_alpha) = (digamma(r), digamma(a + b), digamma(b), alpha.ln());
        let base = -ln_gamma(r) + r * ln_alpha - ln_beta(a, b);
        // Per distinct x: the head of the LL, the log-weight of the drop-out term, and the x parts
        // of the gradient in r, a and b.
        let per_x: Vec<(f64, f64, f64, f64, f64)> =
            g.xs.iter()
                .map(|&x| {
                    let head = base + ln_gamma(r + x) + ln_beta(a, b + x);
                    let tail = if x > 0.0 { a.ln() - (b + x - 1.0).ln() } else { f64::NEG_INFINITY };
                    let psi_abx = digamma(a + b + x);
                    (head, tail, digamma(r + x) - psi_r + ln_alpha, psi_ab - psi_abx, digamma(b + x) - psi_abx - psi_b + psi_ab)
                })
                .collect();
        let ln_at = g.ln_shifted(alpha);
        let inv_at: Vec<f64> = g.times.iter().map(|t| 1.0 / (alpha + t)).collect();
        let (mut ll, mut d) = (0.0, [0.0; 4]);
        // Σ ln(1 + e) over single customers is taken as ln Π(1 + e), one logarithm per 1,000
        // factors (each in (1, 2], so the product cannot overflow).
        let (mut product, mut factors) = (1.0_f64, 0);
        for ((&((x, _, _), w), &k), &(i_tx, i_t)) in g.groups.iter().zip(&g.x_index).zip(&g.time_index) {
            let (head, tail, d_r, d_a, d_b) = per_x[k];
            let (la, lt) = (ln_at[i_t], ln_at[i_tx]);
            let alive = -(r + x) * la;
            // ln(e^alive + e^dead) = max + ln(1 + e) with e = e^−|dead − alive|, and the dead
            // term's share of it, from one exponential.
            let (top, wd) = if x > 0.0 {
                let dead = tail - (r + x) * lt;
                let z = dead - alive;
                let e = (-z.abs()).exp();
                if w == 1.0 {
                    product *= 1.0 + e;
                    factors += 1;
                    if factors == 1000 {
                        ll += product.ln();
                        (product, factors) = (1.0, 0);
                    }
                } else {
                    ll += w * e.ln_1p();
                }
                if z > 0.0 {
                    (dead, 1.0 / (1.0 + e))
                } else {
                    (alive, e / (1.0 + e))
                }
            } else {
                (alive, 0.0)
            };
            let wa = 1.0 - wd;
            ll += w * (head + top);
            d[0] += w * (d_r - wa * la - wd * lt);
            d[1] += w * (r / alpha - (r + x) * (wa * inv_at[i_t] + wd * inv_at[i_tx]));
            d[2] += w * (d_a + wd / a);
            d[3] += w * (d_b - if x > 0.0 { wd / (b + x - 1.0) } else { 0.0 });
        }
        ll += product.ln();
        (ll, d.to_vec())
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
    let g = super::Groups::new(data);
    let ll = |p: &[f64]| BgNbd::from(p).ll_groups(&g);
    let grad = |p: &[f64]| BgNbd::from(p).ll_and_gradient_groups(&g);
    let mean_t = data.iter().map(|d| d.2).sum::<f64>() / data.len() as f64;
    let starts = [
        vec![1.0, 1.0, 1.0, 1.0],
        vec![0.5, mean_t / 10.0, 0.8, 2.5],
        vec![1.0, mean_t, 0.5, 1.0],
        vec![0.2, mean_t / 3.0, 2.0, 5.0],
    ];
    let f = maximise_with(&ll, Some(&grad), &starts).map_err(ClvError::Fit)?;
    Ok((BgNbd::from(&f.params), f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_and_per_customer_likelihoods_agree() {
        let data = [(0.0, 0.0, 30.0), (2.0, 10.0, 30.0), (2.0, 10.0, 30.0), (5.0, 25.5, 38.9), (0.0, 0.0, 12.0)];
        let m = BgNbd { r: 0.3, alpha: 4.0, a: 0.8, b: 2.5 };
        let each: f64 = data.iter().map(|&(x, t_x, t)| m.ll(x, t_x, t)).sum();
        let grouped = m.ll_groups(&crate::core::clv::Groups::new(&data));
        assert!((each - grouped).abs() < 1e-9, "{each} vs {grouped}");
    }

    #[test]
    fn the_analytic_gradient_matches_finite_differences() {
        let data = [(0.0, 0.0, 30.0), (2.0, 10.0, 30.0), (5.0, 25.5, 38.9), (1.0, 3.0, 12.0), (11.0, 37.0, 38.0)];
        let g = crate::core::clv::Groups::new(&data);
        let p = [0.3, 4.0, 0.8, 2.5];
        let analytic = BgNbd::from(&p).ll_and_gradient_groups(&g).1;
        for i in 0..4 {
            let h = 1e-6 * p[i];
            let (mut up, mut down) = (p, p);
            up[i] += h;
            down[i] -= h;
            let numeric = (BgNbd::from(&up).ll_groups(&g) - BgNbd::from(&down).ll_groups(&g)) / (2.0 * h);
            assert!((numeric - analytic[i]).abs() < 1e-5 * (1.0 + numeric.abs()), "param {i}: {numeric} vs {}", analytic[i]);
        }
    }

    #[test]
    fn degenerate_data_is_refused_with_the_reason() {
        assert_eq!(fit(&[(3.0, 10.0, 20.0)]).unwrap_err(), ClvError::TooFew(1));
        assert_eq!(fit(&[]).unwrap_err(), ClvError::TooFew(0));
        assert_eq!(fit(&[(0.0, 0.0, 0.0), (0.0, 0.0, 0.0)]).unwrap_err(), ClvError::OneDay);
        assert_eq!(fit(&[(0.0, 0.0, 5.0), (0.0, 0.0, 9.0)]).unwrap_err(), ClvError::NoRepeat);
        assert!(ClvError::TooFew(1).to_string().contains("at least 2 customers"));
    }

    #[test]
    fn predictions_behave() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        assert_eq!(m.p_alive(0.0, 0.0, 38.86), 1.0, "no repeat purchase: never seen to drop out");
        assert!(m.p_alive(2.0, 30.43, 38.86) > m.p_alive(2.0, 5.0, 38.86), "a recent buyer is more likely alive");
        assert!(m.expected(39.0, 5.0, 35.0, 38.86) > m.expected(39.0, 1.0, 35.0, 38.86));
        assert_eq!(m.expected(0.0, 1.0, 1.0, 2.0), 0.0);
        assert!(m.expected_new(78.0) > m.expected_new(39.0));
    }
}
