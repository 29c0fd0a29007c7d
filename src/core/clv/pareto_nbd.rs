//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while alive, purchases at a
//! Poisson rate λ ~ Gamma(r, α); lifetimes are exponential with rate μ ~ Gamma(s, β).
//!
//! # A numerically stable likelihood
//! With x repeat purchases, last at t_x, observed for T:
//!
//! L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^−(r+x) (β+T)^−s + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ]
//!
//! (alive at T, or died at some τ between the last purchase and T). The usual closed form writes the
//! integral as a difference of two Gauss hypergeometric functions, split on α ≥ β or α < β, which
//! loses precision when α ≈ β or t_x ≈ T and converges slowly when the argument nears 1. Here the
//! integrand is positive and smooth, so it is integrated directly: composite 8-point Gauss–Legendre
//! on panels whose widths double away from t_x (where the integrand is largest), in log space
//! relative to its value at t_x. No subtraction, no special cases.

use super::fit::{maximise_with, Fit};
use super::special::{digamma, ln_gamma, log_sum_exp};
use super::{ClvError, Rft};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbd {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

const NODES: [f64; 4] = [0.183_434_642_495_649_8, 0.525_532_409_916_329, 0.796_666_477_413_626_7, 0.960_289_856_497_536_3];
const WEIGHTS: [f64; 4] = [0.362_683_783_378_362, 0.313_706_645_877_887_3, 0.222_381_034_453_374_5, 0.101_228_536_290_376_3];
/// Panels between t_x and T; the first is 1/(2^PANELS − 1) of the interval.
const PANELS: i32 = 7;

impl ParetoNbd {
    /// ln of ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ.
    fn ln_death_integral(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let len = t - t_x;
        if len <= 0.0 {
            return f64::NEG_INFINITY;
        }
        let g = |tau: f64| -(self.r + x) * (self.alpha + tau).ln() - (self.s + 1.0) * (self.beta + tau).ln();
        let top = g(t_x);
        // A gentle integrand needs fewer panels: by how much it falls over the interval.
        let drop = top - g(t);
        let panels = if drop < 1.0 {
            1
        } else if drop < 6.0 {
            3
        } else {
            PANELS
        };
        let unit = len / f64::from((1 << panels) - 1);
        let mut sum = 0.0;
        let mut lo = t_x;
        for k in 0..panels {
            let hi = if k == panels - 1 { t } else { lo + unit * f64::from(1 << k) };
            let (mid, half) = ((lo + hi) / 2.0, (hi - lo) / 2.0);
            for (node, weight) in NODES.iter().zip(WEIGHTS) {
                sum += weight * half * ((g(mid - half * node) - top).exp() + (g(mid + half * node) - top).exp());
            }
            lo = hi;
        }
        top + sum.ln()
    }

    /// ln ∫ and its derivatives in (r, α, s, β), from the same quadrature nodes (differentiating
    /// under the integral sign).
    fn death_integral_with_gradient(&self, x: f64, t_x: f64, t: f64) -> (f64, [f64; 4]) {
        let len = t - t_x;
        if len <= 0.0 {
            return (f64::NEG_INFINITY, [0.0; 4]);
        }
        let (ra, s1) = (self.r + x, self.s + 1.0);
        let g = |tau: f64| -ra * (self.alpha + tau).ln() - s1 * (self.beta + tau).ln();
        let top = g(t_x);
        let drop = top - g(t);
        let panels = if drop < 1.0 {
            1
        } else if drop < 6.0 {
            3
        } else {
            PANELS
        };
        let unit = len / f64::from((1 << panels) - 1);
        let (mut sum, mut d) = (0.0, [0.0; 4]);
        let mut lo = t_x;
        for k in 0..panels {
            let hi = if k == panels - 1 { t } else { lo + unit * f64::from(1 << k) };
            let (mid, half) = ((lo + hi) / 2.0, (hi - lo) / 2.0);
            for (node, weight) in NODES.iter().zip(WEIGHTS) {
                for tau in [mid - half * node, mid + half * node] {
                    let (la, lb) = ((self.alpha + tau).ln(), (self.beta + tau).ln());
                    let f = weight * half * (-ra * la - s1 * lb - top).exp();
                    sum += f;
                    d[0] -= f * la;
                    d[1] -= f * ra / (self.alpha + tau);
                    d[2] -= f * lb;
                    d[3] -= f * s1 / (self.beta + tau);
                }
            }
            lo = hi;
        }
        (top + sum.ln(), d.map(|v| v / sum))
    }

    /// ln(alive term + death term) of one customer (its LL less the head, which depends on x
    /// alone) and dLL/d(r, α, s, β), in one pass.
    fn gradient(&self, x: f64, t_x: f64, t: f64, psi_rx_minus_psi_r: f64) -> (f64, [f64; 4]) {
        let Self { r, alpha, s, beta } = *self;
        let alive = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        let (ln_i, di) = self.death_integral_with_gradient(x, t_x, t);
        let dead = s.ln() + ln_i;
        let total = log_sum_exp(alive, dead);
        let (wa, wd) = ((alive - total).exp(), (dead - total).exp());
        let d = [
            psi_rx_minus_psi_r + alpha.ln() - wa * (alpha + t).ln() + wd * di[0],
            r / alpha - wa * (r + x) / (alpha + t) + wd * di[1],
            beta.ln() - wa * (beta + t).ln() + wd * (1.0 / s + di[2]),
            s / beta - wa * s / (beta + t) + wd * di[3],
        ];
        (total, d)
    }

    pub fn ll(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let Self { r, alpha, s, beta } = *self;
        let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
        let alive = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
        head + log_sum_exp(alive, s.ln() + self.ln_death_integral(x, t_x, t))
    }

    /// P(alive at T | x, t_x, T) = alive term / (alive term + death integral).
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        let alive = -(self.r + x) * (self.alpha + t).ln() - self.s * (self.beta + t).ln();
        let dead = self.s.ln() + self.ln_death_integral(x, t_x, t);
        1.0 / (1.0 + (dead - alive).exp())
    }
}

/// Fits Pareto/NBD to the customers' (x, t_x, T), each distinct triple weighted by its count.
///
/// # Errors
/// [`ClvError`] for data the model cannot be fitted to, or a failed fit.
pub fn fit(data: &[Rft]) -> Result<(ParetoNbd, Fit), ClvError> {
    super::check_counts(data)?;
    let g = super::Groups::new(data);
    let ll = |p: &[f64]| {
        let m = ParetoNbd { r: p[0], alpha: p[1], s: p[2], beta: p[3] };
        let base = -ln_gamma(m.r) + m.r * m.alpha.ln() + m.s * m.beta.ln();
        let heads: Vec<f64> = g.xs.iter().map(|&x| base + ln_gamma(m.r + x)).collect();
        g.groups
            .iter()
            .zip(&g.x_index)
            .map(|(&((x, t_x, t), w), &k)| {
                let alive = -(m.r + x) * (m.alpha + t).ln() - m.s * (m.beta + t).ln();
                w * (heads[k] + log_sum_exp(alive, m.s.ln() + m.ln_death_integral(x, t_x, t)))
            })
            .sum::<f64>()
    };
    let mean_t = data.iter().map(|d| d.2).sum::<f64>() / data.len() as f64;
    let starts = [vec![1.0, mean_t / 4.0, 1.0, mean_t / 4.0], vec![0.5, mean_t / 2.0, 0.5, mean_t]];
    let grad = |p: &[f64]| {
        let m = ParetoNbd { r: p[0], alpha: p[1], s: p[2], beta: p[3] };
        let base = -ln_gamma(m.r) + m.r * m.alpha.ln() + m.s * m.beta.ln();
        let per_x: Vec<(f64, f64)> = g.xs.iter().map(|&x| (base + ln_gamma(m.r + x), digamma(m.r + x) - digamma(m.r))).collect();
        let (mut ll, mut d) = (0.0, vec![0.0; 4]);
        for (&((x, t_x, t), w), &k) in g.groups.iter().zip(&g.x_index) {
            let (head, psi) = per_x[k];
            let (total, dk) = m.gradient(x, t_x, t, psi);
            ll += w * (head + total);
            for (acc, v) in d.iter_mut().zip(dk) {
                *acc += w * v;
            }
        }
        (ll, d)
    };
    let f = maximise_with(&ll, Some(&grad), &starts).map_err(ClvError::Fit)?;
    Ok((ParetoNbd { r: f.params[0], alpha: f.params[1], s: f.params[2], beta: f.params[3] }, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_death_integral_matches_a_fine_simpson_rule() {
        let m = ParetoNbd { r: 0.55, alpha: 10.6, s: 0.61, beta: 11.7 };
        for (x, t_x, t) in [(0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (12.0, 1.0, 39.0), (40.0, 2.0, 70.0), (1.0, 38.0, 38.86)] {
            let n = 400_000;
            let h = (t - t_x) / n as f64;
            let f = |tau: f64| (-(m.r + x) * (m.alpha + tau).ln() - (m.s + 1.0) * (m.beta + tau).ln()).exp();
            let simpson: f64 = (0..=n)
                .map(|i| {
                    f(t_x + i as f64 * h)
                        * if i == 0 || i == n {
                            1.0
                        } else if i % 2 == 1 {
                            4.0
                        } else {
                            2.0
                        }
                })
                .sum::<f64>()
                * h
                / 3.0;
            let ours = m.ln_death_integral(x, t_x, t).exp();
            assert!((ours / simpson - 1.0).abs() < 1e-9, "x={x} t_x={t_x} T={t}: {ours} vs {simpson}");
        }
        assert_eq!(m.ln_death_integral(3.0, 10.0, 10.0), f64::NEG_INFINITY);
    }

    #[test]
    fn the_analytic_gradient_matches_finite_differences() {
        let p = [0.55, 10.6, 0.61, 11.7];
        let m = |q: &[f64; 4]| ParetoNbd { r: q[0], alpha: q[1], s: q[2], beta: q[3] };
        for (x, t_x, t) in [(0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (12.0, 1.0, 39.0)] {
            let psi = digamma(p[0] + x) - digamma(p[0]);
            let (total, analytic) = m(&p).gradient(x, t_x, t, psi);
            let head = ln_gamma(p[0] + x) - ln_gamma(p[0]) + p[0] * p[1].ln() + p[2] * p[3].ln();
            assert!((head + total - m(&p).ll(x, t_x, t)).abs() < 1e-10);
            for i in 0..4 {
                let h = 1e-6 * p[i];
                let (mut up, mut down) = (p, p);
                up[i] += h;
                down[i] -= h;
                let numeric = (m(&up).ll(x, t_x, t) - m(&down).ll(x, t_x, t)) / (2.0 * h);
                assert!(
                    (numeric - analytic[i]).abs() < 1e-6 * (1.0 + numeric.abs()),
                    "({x}, {t_x}, {t}) param {i}: {numeric} vs {}",
                    analytic[i]
                );
            }
        }
    }

    #[test]
    fn alpha_equal_to_beta_is_no_special_case() {
        let a = ParetoNbd { r: 0.5, alpha: 10.0, s: 0.6, beta: 10.0 };
        let b = ParetoNbd { beta: 10.0 + 1e-9, ..a };
        assert!((a.ll(3.0, 20.0, 39.0) - b.ll(3.0, 20.0, 39.0)).abs() < 1e-8);
        assert!((0.0..=1.0).contains(&a.p_alive(3.0, 20.0, 39.0)));
    }
}
