//! Special functions the buy-till-you-die models need, on top of statrs' log-gamma.

pub use statrs::function::gamma::{digamma, ln_gamma};

/// ln B(a, b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// ln(e^a + e^b) without overflow.
pub fn log_sum_exp(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return m;
    }
    m + ((a - m).exp() + (b - m).exp()).ln()
}

/// The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 and c > 0, by its power
/// series, summed until a term no longer changes the sum (at most 100,000 terms: with z ≤ 0.99 the
/// terms shrink at least geometrically once k exceeds |a|, |b| and c).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 0..100_000u32 {
        let k = f64::from(k);
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if term.abs() <= 1e-15 * sum.abs() {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        for z in [0.1, 0.5, 0.9, 0.99] {
            let want: f64 = -(1.0f64 - z).ln() / z;
            assert!((hyp2f1(1.0, 1.0, 2.0, z) - want).abs() < 1e-10 * want, "z = {z}");
        }
        // ₂F₁(a, b; b; z) = (1 − z)^(−a).
        assert!((hyp2f1(2.5, 3.0, 3.0, 0.3) - 0.7f64.powf(-2.5)).abs() < 1e-12);
        assert_eq!(hyp2f1(4.0, 5.0, 6.0, 0.0), 1.0);
    }

    #[test]
    fn log_sum_exp_is_stable() {
        assert!((log_sum_exp(1000.0, 1000.0) - (1000.0 + 2f64.ln())).abs() < 1e-12);
        assert_eq!(log_sum_exp(f64::NEG_INFINITY, 3.0), 3.0);
        assert!((ln_beta(2.0, 3.0) - (1.0f64 / 12.0).ln()).abs() < 1e-12);
    }
}
