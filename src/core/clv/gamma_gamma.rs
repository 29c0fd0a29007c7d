//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005 note "The Gamma-Gamma model of monetary
//! value"): a customer's transaction values vary around their mean ν, with ν ~ InverseGamma-like
//! through Gamma(q, γ); with x repeat transactions of mean m:
//!
//! LL = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x),
//! E[M | x, m] = p (γ + m x) / (p x + q − 1).
//!
//! Fitted on the customers with at least one repeat purchase and a positive mean value (others are
//! left out by name). It assumes
//! spend does not depend on frequency: [`independence`] gives the correlation to show the user.

use super::fit::{maximise_with, Fit};
use super::special::{digamma, ln_gamma};
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

/// Fits the model to (x, m) of repeat buyers with a positive mean value; `ids` name them. Repeat
/// buyers whose mean value is zero or negative cannot be fitted (the model's spend is positive):
/// they are left out and returned by id, so that the user sees who and why.
///
/// # Errors
/// [`ClvError::Spend`] naming the customers when fewer than two repeat buyers have positive spend,
/// [`ClvError::NoRepeat`] without repeat buyers, or a failed fit.
pub fn fit(data: &[(f64, f64)], ids: &[String]) -> Result<(GammaGamma, Fit, Vec<String>), ClvError> {
    if data.is_empty() {
        return Err(ClvError::NoRepeat);
    }
    let positive = |d: &(f64, f64)| d.1 > 0.0 && d.1.is_finite();
    let left_out: Vec<String> = data.iter().zip(ids).filter(|(d, _)| !positive(d)).map(|(_, id)| id.clone()).collect();
    let kept: Vec<(f64, f64)> = data.iter().copied().filter(positive).collect();
    if kept.len() < 2 {
        return Err(ClvError::Spend(left_out));
    }
    // One pass gives the LL and its gradient. Terms of x alone are computed once per distinct x
    // (x is a whole number of purchases), and Σ ln m once per x; each customer then costs one
    // logarithm and one division. The sum equals Σ GammaGamma::ll(x, m).
    // dLL/dp = x [ψ(px+q) − ψ(px) + ln m + ln x − ln(γ+mx)], dLL/dq = ψ(px+q) − ψ(q) + ln γ − ln(γ+mx),
    // dLL/dγ = q/γ − (px+q)/(γ+mx).
    let max_x = kept.iter().map(|d| d.0 as usize).max().unwrap_or(0);
    let mut per_x = vec![(0.0_f64, 0.0_f64); max_x + 1]; // (customers, Σ ln m) per x
    for &(x, m) in &kept {
        let e = &mut per_x[x as usize];
        e.0 += 1.0;
        e.1 += m.ln();
    }
    let both = |p: &[f64]| {
        let (pp, q, v) = (p[0], p[1], p[2]);
        let (ln_v, ln_gamma_q, psi_q) = (v.ln(), ln_gamma(q), digamma(q));
        let (mut ll, mut d) = (0.0, [0.0; 3]);
        let mut pxq_of = vec![0.0; max_x + 1];
        for (x, &(n, sum_ln_m)) in per_x.iter().enumerate().filter(|e| e.1 .0 > 0.0) {
            let xf = x as f64;
            let (px, ln_x) = (pp * xf, xf.ln());
            ll += n * (ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + q * ln_v + px * ln_x) + (px - 1.0) * sum_ln_m;
            let (psi_all, psi_px) = (digamma(px + q), digamma(px));
            d[0] += xf * (n * (psi_all - psi_px + ln_x) + sum_ln_m);
            d[1] += n * (psi_all - psi_q + ln_v);
            d[2] += n * q / v;
            pxq_of[x] = px + q;
        }
        for &(x, m) in &kept {
            let pxq = pxq_of[x as usize];
            let vm = v + m * x;
            let lv = vm.ln();
            ll -= pxq * lv;
            d[0] -= x * lv;
            d[1] -= lv;
            d[2] -= pxq / vm;
        }
        (ll, d.to_vec())
    };
    let ll = |p: &[f64]| both(p).0;
    let grad = both;
    let mean_m = kept.iter().map(|d| d.1).sum::<f64>() / kept.len() as f64;
    let starts = [vec![1.0, 1.0, 1.0], vec![5.0, 3.0, mean_m], vec![2.0, 2.0, mean_m / 2.0], vec![10.0, 5.0, mean_m * 2.0]];
    let f = maximise_with(&ll, Some(&grad), &starts).map_err(ClvError::Fit)?;
    Ok((GammaGamma { p: f.params[0], q: f.params[1], v: f.params[2] }, f, left_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buyers_without_positive_spend_are_left_out_by_name_and_all_of_them_refused() {
        // Data drawn from the model itself (p = 6, q = 4, γ = 15): each customer's rate ν ~
        // Gamma(q, γ), their x transaction values ~ Gamma(p, ν), m the mean of those.
        use rand::SeedableRng;
        use rand_distr::{Distribution, Gamma};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(7);
        let nu = Gamma::new(4.0, 1.0 / 15.0).unwrap();
        let mut data: Vec<(f64, f64)> = (0..400)
            .map(|i| {
                let x = 1 + i % 5;
                let value = Gamma::new(6.0, 1.0 / nu.sample(&mut rng)).unwrap();
                (f64::from(x), (0..x).map(|_| value.sample(&mut rng)).sum::<f64>() / f64::from(x))
            })
            .collect();
        data[2].1 = 0.0;
        let ids: Vec<String> = (0..400).map(|i| ((b'a' + (i % 26) as u8) as char).to_string() + &i.to_string()).collect();
        let (g, result, left_out) = fit(&data, &ids).unwrap();
        assert_eq!(left_out, vec!["c2".to_string()]);
        assert!(result.converged && result.se.is_some(), "{result:?}");
        assert!((3.0..12.0).contains(&g.p) && (2.0..8.0).contains(&g.q) && (5.0..40.0).contains(&g.v), "{g:?}");
        let direct: f64 = data.iter().filter(|d| d.1 > 0.0).map(|&(x, m)| g.ll(x, m)).sum();
        assert!(
            (direct - result.log_likelihood).abs() < 1e-9 * direct.abs(),
            "the grouped sum is the same likelihood: {direct} vs {}",
            result.log_likelihood
        );
        let none = fit(&[(1.0, 0.0), (2.0, -5.0)], &ids[..2]).unwrap_err();
        assert_eq!(none, ClvError::Spend(vec!["a0".into(), "b1".into()]));
        assert!(none.to_string().contains("zero or negative mean value (a0, b1)"));
        assert_eq!(fit(&[], &[]).unwrap_err(), ClvError::NoRepeat);
    }

    #[test]
    fn the_independence_check_is_a_correlation() {
        assert!((independence(&[(1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]).unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(independence(&[(1.0, 1.0), (2.0, 2.0)]), None);
    }
}
