//! Maximum likelihood with argmin: L-BFGS (More–Thuente line search) on the logarithms of the
//! parameters, so that they stay positive, from several starting points; the best run wins.
//! Gradients are analytic where the model gives them, else central differences; starts are tried
//! until two converged runs agree; standard errors come from the inverse of the numerical Hessian
//! of −LL in the natural parameters.

use argmin::core::{CostFunction, Error, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use serde::{Deserialize, Serialize};

/// The outcome of a fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The parameters, in the model's order.
    pub params: Vec<f64>,
    /// Standard errors from the Hessian (`None` where it is not invertible).
    pub se: Option<Vec<f64>>,
    pub log_likelihood: f64,
    pub converged: bool,
    /// Iterations of the best run.
    pub iterations: u64,
    /// Starting points tried (the search stops once two converged runs agree).
    pub starts: usize,
}

/// The log-likelihood and, when known, its gradient in the natural parameters.
pub type Ll<'a> = &'a (dyn Fn(&[f64]) -> f64 + Sync);
pub type LlGradient<'a> = Option<&'a (dyn Fn(&[f64]) -> Vec<f64> + Sync)>;

struct Problem<'a> {
    ll: Ll<'a>,
    grad: LlGradient<'a>,
}

/// −LL at the exponentials of `p`; a huge value where the likelihood is undefined, so that the
/// line search backs off.
fn cost_at(ll: Ll, p: &[f64]) -> f64 {
    let natural: Vec<f64> = p.iter().map(|v| v.exp()).collect();
    let v = -ll(&natural);
    if v.is_finite() {
        v
    } else {
        1e300
    }
}

impl CostFunction for Problem<'_> {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Self::Param) -> Result<f64, Error> {
        Ok(cost_at(self.ll, p))
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Self::Param) -> Result<Vec<f64>, Error> {
        if let Some(grad) = self.grad {
            // d(−LL)/d ln θ = −θ · dLL/dθ.
            let natural: Vec<f64> = p.iter().map(|v| v.exp()).collect();
            let g: Vec<f64> = grad(&natural).iter().zip(&natural).map(|(d, t)| -d * t).collect();
            if g.iter().all(|v| v.is_finite()) {
                return Ok(g);
            }
        }
        let mut g = vec![0.0; p.len()];
        for i in 0..p.len() {
            let h = 1e-6 * p[i].abs().max(1.0);
            let (mut up, mut down) = (p.clone(), p.clone());
            up[i] += h;
            down[i] -= h;
            g[i] = (cost_at(self.ll, &up) - cost_at(self.ll, &down)) / (2.0 * h);
        }
        Ok(g)
    }
}

/// Maximises `ll` over positive parameters from each of `starts` (natural scale), with central
/// differences for the gradient.
///
/// # Errors
/// A message when no start gives a finite likelihood.
pub fn maximise(ll: Ll, starts: &[Vec<f64>]) -> Result<Fit, String> {
    maximise_with(ll, None, starts)
}

/// [`maximise`] with an analytic gradient of `ll` in the natural parameters. Starts are tried in
/// order until two converged runs agree on the log-likelihood (to 1e-6), or all have run.
///
/// # Errors
/// A message when no start gives a finite likelihood.
pub fn maximise_with(ll: Ll, grad: LlGradient, starts: &[Vec<f64>]) -> Result<Fit, String> {
    let mut best: Option<(Vec<f64>, f64, bool, u64)> = None;
    let mut converged_costs: Vec<f64> = Vec::new();
    let mut tried = 0;
    for start in starts {
        if converged_costs.len() >= 2 {
            break;
        }
        tried += 1;
        let init: Vec<f64> = start.iter().map(|v| v.ln()).collect();
        if cost_at(ll, &init) >= 1e300 {
            continue;
        }
        let run = || -> Result<_, Error> {
            let linesearch = MoreThuenteLineSearch::new();
            let solver = LBFGS::new(linesearch, 7).with_tolerance_grad(1e-7)?.with_tolerance_cost(1e-12)?;
            Executor::new(Problem { ll, grad }, solver).configure(|s| s.param(init.clone()).max_iters(500)).timer(false).run()
        };
        let Ok(result) = run() else { continue };
        let state = result.state();
        let Some(p) = state.get_best_param().cloned() else { continue };
        let cost = state.get_best_cost();
        let converged = matches!(
            state.get_termination_status(),
            TerminationStatus::Terminated(TerminationReason::SolverConverged | TerminationReason::SolverExit(_))
        );
        if cost.is_finite() && cost < 1e300 && converged {
            // A run that agrees with an earlier converged one confirms the optimum.
            let agrees = converged_costs.iter().any(|c| (c - cost).abs() <= 1e-6 * (1.0 + cost.abs()));
            if agrees || converged_costs.is_empty() {
                converged_costs.push(cost);
            } else {
                converged_costs = vec![converged_costs[0].min(cost)];
            }
        }
        if cost.is_finite() && cost < 1e300 && best.as_ref().is_none_or(|b| cost < b.1) {
            best = Some((p, cost, converged, state.get_iter()));
        }
    }
    let (p, cost, converged, iterations) = best.ok_or("the likelihood is not finite at any starting point")?;
    let params: Vec<f64> = p.iter().map(|v| v.exp()).collect();
    // Converged also means: the gradient (in log space) is small at the optimum.
    let g = Problem { ll, grad }.gradient(&p).unwrap_or_default();
    let flat = g.iter().all(|v| v.abs() < 1e-3 * (1.0 + cost.abs()).sqrt());
    // The likelihood at the reported parameters (not the solver's running best cost).
    let log_likelihood = ll(&params);
    Ok(Fit { se: standard_errors(ll, &params), params, log_likelihood, converged: converged || flat, iterations, starts: tried })
}

/// Square roots of the diagonal of the inverse Hessian of −LL at `p` (natural scale).
pub fn standard_errors(ll: Ll, p: &[f64]) -> Option<Vec<f64>> {
    let n = p.len();
    let f = |q: &[f64]| -ll(q);
    let h: Vec<f64> = p.iter().map(|v| 1e-4 * v.abs().max(1e-3)).collect();
    let mut hess = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in i..n {
            let at = |di: f64, dj: f64| {
                let mut q = p.to_vec();
                q[i] += di * h[i];
                q[j] += dj * h[j];
                f(&q)
            };
            let v = (at(1.0, 1.0) - at(1.0, -1.0) - at(-1.0, 1.0) + at(-1.0, -1.0)) / (4.0 * h[i] * h[j]);
            hess[i][j] = v;
            hess[j][i] = v;
        }
    }
    let inv = invert(hess)?;
    (0..n).map(|i| (inv[i][i] > 0.0).then(|| inv[i][i].sqrt())).collect()
}

/// Gauss–Jordan inversion with partial pivoting; `None` for a singular matrix.
fn invert(mut m: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    let n = m.len();
    let mut inv: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    for col in 0..n {
        let pivot = (col..n).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if !m[pivot][col].is_finite() || m[pivot][col].abs() < 1e-300 {
            return None;
        }
        m.swap(col, pivot);
        inv.swap(col, pivot);
        let d = m[col][col];
        for j in 0..n {
            m[col][j] /= d;
            inv[col][j] /= d;
        }
        for row in 0..n {
            if row != col {
                let k = m[row][col];
                for j in 0..n {
                    m[row][j] -= k * m[col][j];
                    inv[row][j] -= k * inv[col][j];
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_normal_likelihood_gives_the_sample_mean_and_its_standard_error() {
        // Exponential rate λ from data with mean 2: MLE λ = 0.5, SE = λ / sqrt(n).
        let data = [1.0, 2.0, 3.0, 2.0, 1.5, 2.5];
        let ll = |p: &[f64]| data.iter().map(|x| p[0].ln() - p[0] * x).sum::<f64>();
        let fit = maximise(&ll, &[vec![3.0], vec![0.01]]).unwrap();
        assert!(fit.converged);
        assert!((fit.params[0] - 0.5).abs() < 1e-6, "{:?}", fit.params);
        let se = fit.se.unwrap()[0];
        assert!((se - 0.5 / 6f64.sqrt()).abs() < 1e-4, "{se}");
    }

    #[test]
    fn inversion_refuses_a_singular_matrix() {
        assert!(invert(vec![vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        let inv = invert(vec![vec![4.0, 7.0], vec![2.0, 6.0]]).unwrap();
        assert!((inv[0][0] - 0.6).abs() < 1e-12 && (inv[1][0] + 0.2).abs() < 1e-12);
    }
}
