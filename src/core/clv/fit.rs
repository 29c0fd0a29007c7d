//! Maximum likelihood with argmin: L-BFGS (More–Thuente line search) on the logarithms of the
//! parameters, so that they stay positive, from several starting points; the best run wins.
//! Gradients are analytic where the model gives them (computed in the same pass as the
//! log-likelihood), else central differences; starts are screened by their likelihood and run
//! best first (see [`maximise_with`]); standard errors come from the inverse of the numerical Hessian
//! of −LL in the natural parameters.

use argmin::core::{CostFunction, Error, Executor, Gradient, State, TerminationReason, TerminationStatus};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;

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
    /// Runs made from the starting points (one when the best start converges to a strict
    /// maximum, else until two converged runs agree).
    pub starts: usize,
}

/// The log-likelihood in the natural parameters.
pub type Ll<'a> = &'a (dyn Fn(&[f64]) -> f64 + Sync);
/// The log-likelihood and its gradient in the natural parameters, computed together in one pass
/// (they share the expensive terms: each customer's exponentials and logarithms).
pub type LlGradient<'a> = Option<&'a (dyn Fn(&[f64]) -> (f64, Vec<f64>) + Sync)>;

/// A point in log-parameters, the cost there and its gradient.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// −LL in log-parameters, divided by `scale` (|LL| at the first start) so that the solver's
/// tolerances do not depend on the number of customers.
struct Problem<'a> {
    ll: Ll<'a>,
    grad: LlGradient<'a>,
    scale: f64,
    /// The last point where cost and gradient were computed together: the line search asks for
    /// both at the same point, and one pass answers both.
    last: RefCell<Option<Evaluated>>,
}

impl<'a> Problem<'a> {
    fn new(ll: Ll<'a>, grad: LlGradient<'a>, scale: f64) -> Self {
        Self { ll, grad, scale, last: RefCell::new(None) }
    }

    /// Cost and gradient together from the analytic gradient; `None` where it is not finite.
    fn both(&self, p: &[f64]) -> Option<(f64, Vec<f64>)> {
        let grad = self.grad?;
        if let Some((at, cost, g)) = self.last.borrow().as_ref() {
            if at.as_slice() == p {
                return Some((*cost, g.clone()));
            }
        }
        let natural: Vec<f64> = p.iter().map(|v| v.exp()).collect();
        let (ll, d) = grad(&natural);
        // d(−LL)/d ln θ = −θ · dLL/dθ.
        let g: Vec<f64> = d.iter().zip(&natural).map(|(d, t)| -d * t / self.scale).collect();
        let cost = if ll.is_finite() { -ll / self.scale } else { 1e300 };
        let ok = g.iter().all(|v| v.is_finite());
        *self.last.borrow_mut() = Some((p.to_vec(), cost, g.clone()));
        ok.then_some((cost, g))
    }
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
        if let Some((cost, _)) = self.both(p) {
            return Ok(cost);
        }
        let c = cost_at(self.ll, p);
        Ok(if c >= 1e300 { c } else { c / self.scale })
    }
}

impl Gradient for Problem<'_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Self::Param) -> Result<Vec<f64>, Error> {
        if let Some((_, g)) = self.both(p) {
            return Ok(g);
        }
        let mut g = vec![0.0; p.len()];
        for i in 0..p.len() {
            let h = 1e-6 * p[i].abs().max(1.0);
            let (mut up, mut down) = (p.clone(), p.clone());
            up[i] += h;
            down[i] -= h;
            g[i] = (cost_at(self.ll, &up) - cost_at(self.ll, &down)) / (2.0 * h) / self.scale;
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

/// [`maximise`] with the log-likelihood and its analytic gradient computed together. The starts
/// are screened by their likelihood and run best first: that run is the answer when it converges
/// to a strict maximum (standard errors exist); otherwise further starts run until two converged
/// runs agree on the log-likelihood (to 1e-6 relative), or all have run.
///
/// # Errors
/// A message when no start gives a finite likelihood.
pub fn maximise_with(ll: Ll, grad: LlGradient, starts: &[Vec<f64>]) -> Result<Fit, String> {
    // Screen the starts: the likelihood at each, best first.
    let mut screened: Vec<(f64, Vec<f64>)> = starts
        .iter()
        .map(|start| {
            let init: Vec<f64> = start.iter().map(|v| v.ln()).collect();
            (cost_at(ll, &init), init)
        })
        .filter(|(cost, _)| *cost < 1e300)
        .collect();
    screened.sort_by(|a, b| a.0.total_cmp(&b.0));
    let scale = screened.first().ok_or("the likelihood is not finite at any starting point")?.0.abs().max(1.0);
    let mut best: Option<(Vec<f64>, f64, bool, u64)> = None;
    let mut converged_costs: Vec<f64> = Vec::new();
    let mut first_se = None;
    let mut runs = 0;
    for (_, init) in &screened {
        runs += 1;
        let run = || -> Result<_, Error> {
            let linesearch = MoreThuenteLineSearch::new();
            let solver = LBFGS::new(linesearch, 7).with_tolerance_grad(1e-8)?.with_tolerance_cost(1e-15)?;
            Executor::new(Problem::new(ll, grad, scale), solver)
                .configure(|s| s.param(init.clone()).max_iters(500))
                .timer(false)
                .run()
        };
        let Ok(result) = run() else { continue };
        let state = result.state();
        let Some(p) = state.get_best_param().cloned() else { continue };
        let cost = state.get_best_cost() * scale;
        if !(cost.is_finite() && cost < 1e300) {
            continue;
        }
        let converged = matches!(
            state.get_termination_status(),
            TerminationStatus::Terminated(TerminationReason::SolverConverged | TerminationReason::SolverExit(_))
        ) || flat(ll, grad, &p, cost);
        if converged {
            // A run that agrees with an earlier converged one confirms the optimum.
            let agrees = converged_costs.iter().any(|c| (c - cost).abs() <= 1e-6 * (1.0 + cost.abs()));
            if agrees || converged_costs.is_empty() {
                converged_costs.push(cost);
            } else {
                converged_costs = vec![converged_costs[0].min(cost)];
            }
        }
        if best.as_ref().is_none_or(|b| cost < b.1) {
            best = Some((p.clone(), cost, converged, state.get_iter()));
        }
        if converged_costs.len() >= 2 {
            break;
        }
        // The run from the best start is enough when it converged to a strict maximum (the
        // Hessian is negative definite, so standard errors exist).
        if runs == 1 && converged {
            let params: Vec<f64> = p.iter().map(|v| v.exp()).collect();
            first_se = standard_errors(ll, grad, &params);
            if first_se.is_some() {
                break;
            }
        }
    }
    let (p, _, converged, iterations) = best.ok_or("the fit failed from every starting point")?;
    let params: Vec<f64> = p.iter().map(|v| v.exp()).collect();
    let se = if runs == 1 && first_se.is_some() { first_se } else { standard_errors(ll, grad, &params) };
    // The likelihood at the reported parameters (not the solver's running best cost).
    let log_likelihood = ll(&params);
    Ok(Fit { se, params, log_likelihood, converged, iterations, starts: runs })
}

/// Converged also means: the gradient (in log space) is small at the optimum.
fn flat(ll: Ll, grad: LlGradient, p: &[f64], cost: f64) -> bool {
    let g = Problem::new(ll, grad, 1.0).gradient(&p.to_vec()).unwrap_or_default();
    !g.is_empty() && g.iter().all(|v| v.abs() < 1e-3 * (1.0 + cost.abs()).sqrt())
}

/// Square roots of the diagonal of the inverse Hessian of −LL at `p` (natural scale). The
/// Hessian is central differences of the analytic gradient when there is one (2n passes), else
/// second differences of the log-likelihood (2n(n+1) passes).
pub fn standard_errors(ll: Ll, grad: LlGradient, p: &[f64]) -> Option<Vec<f64>> {
    let n = p.len();
    let h: Vec<f64> = p.iter().map(|v| 1e-4 * v.abs().max(1e-3)).collect();
    let mut hess = vec![vec![0.0; n]; n];
    if let Some(grad) = grad {
        for i in 0..n {
            let at = |d: f64| {
                let mut q = p.to_vec();
                q[i] += d * h[i];
                grad(&q).1
            };
            let (up, down) = (at(1.0), at(-1.0));
            hess[i] = up.iter().zip(&down).map(|(u, d)| -(u - d) / (2.0 * h[i])).collect();
        }
        // Symmetric by construction in theory; average the two differences in practice.
        hess = (0..n).map(|i| (0..n).map(|j| (hess[i][j] + hess[j][i]) / 2.0).collect()).collect();
    } else {
        let f = |q: &[f64]| -ll(q);
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
    }
    // A strict maximum: −Hessian positive definite. Checked on its correlation form (unit
    // diagonal), so that the test does not depend on the parameters' scales: a Cholesky pivot
    // below 1e-8 means a direction the data do not pin down (a ridge), and no standard errors.
    if hess.iter().enumerate().any(|(i, row)| !(row[i] > 0.0 && row[i].is_finite())) {
        return None;
    }
    let d: Vec<f64> = (0..n).map(|i| hess[i][i].sqrt()).collect();
    let corr: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| hess[i][j] / (d[i] * d[j])).collect()).collect();
    if !positive_definite(&corr, 1e-8) {
        return None;
    }
    let inv = invert(corr)?;
    (0..n).map(|i| (inv[i][i] > 0.0).then(|| inv[i][i].sqrt() / d[i])).collect()
}

/// Whether a symmetric matrix is positive definite, with every Cholesky pivot above `tol`.
fn positive_definite(m: &[Vec<f64>], tol: f64) -> bool {
    let n = m.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let pivot = m[i][i] - sum;
                if pivot.is_nan() || pivot <= tol {
                    return false;
                }
                l[i][i] = pivot.sqrt();
            } else {
                l[i][j] = (m[i][j] - sum) / l[j][j];
            }
        }
    }
    true
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
    fn with_an_analytic_gradient_the_fit_and_its_standard_error_are_the_same() {
        let data = [1.0, 2.0, 3.0, 2.0, 1.5, 2.5];
        let ll = |p: &[f64]| data.iter().map(|x| p[0].ln() - p[0] * x).sum::<f64>();
        let both = |p: &[f64]| (ll(p), vec![data.iter().map(|x| 1.0 / p[0] - x).sum::<f64>()]);
        let fit = maximise_with(&ll, Some(&both), &[vec![3.0], vec![0.01]]).unwrap();
        assert!(fit.converged);
        assert_eq!(fit.starts, 1, "the best start converged to a strict maximum: no second run");
        assert!((fit.params[0] - 0.5).abs() < 1e-8, "{:?}", fit.params);
        assert!((fit.log_likelihood - ll(&[0.5])).abs() < 1e-12);
        let se = fit.se.unwrap()[0];
        assert!((se - 0.5 / 6f64.sqrt()).abs() < 1e-6, "{se}");
    }

    #[test]
    fn a_maximum_without_standard_errors_is_confirmed_from_another_start() {
        // The maximum is the whole curve p0 · p1 = 1: the Hessian is singular there.
        let ll = |p: &[f64]| -(p[0] * p[1] - 1.0).powi(2);
        let fit = maximise(&ll, &[vec![2.0, 2.0], vec![0.2, 0.3], vec![5.0, 0.1]]).unwrap();
        assert!(fit.starts >= 2, "{fit:?}");
        assert!(fit.log_likelihood > -1e-10 && fit.se.is_none(), "{fit:?}");
    }

    #[test]
    fn positive_definiteness_needs_every_pivot_above_the_tolerance() {
        assert!(positive_definite(&[vec![1.0, 0.5], vec![0.5, 1.0]], 1e-8));
        assert!(!positive_definite(&[vec![1.0, 1.0], vec![1.0, 1.0]], 1e-8));
        assert!(!positive_definite(&[vec![1.0, 2.0], vec![2.0, 1.0]], 1e-8));
    }

    #[test]
    fn inversion_refuses_a_singular_matrix() {
        assert!(invert(vec![vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        let inv = invert(vec![vec![4.0, 7.0], vec![2.0, 6.0]]).unwrap();
        assert!((inv[0][0] - 0.6).abs() < 1e-12 && (inv[1][0] + 0.2).abs() < 1e-12);
    }
}
