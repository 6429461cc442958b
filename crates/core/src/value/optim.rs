//! A small, dependency-free optimiser for the maximum-likelihood fits of [`super::bgnbd`]
//! and [`super::gamma_gamma`]: BFGS with an analytic gradient and a backtracking (Armijo)
//! line search, with Nelder–Mead restarts as the fallback when BFGS stalls, plus a
//! numerical Hessian for standard errors.
//!
//! Why hand-written: the pure-Rust optimiser crates either need the `wasm-bindgen` feature
//! on wasm32 (argmin, via getrandom/instant) or pull in a linear-algebra stack; the core
//! must build for wasm32 without any web dependency. The problems here have 3-4 parameters
//! (optimised on the log scale, so they are unconstrained) and a cheap analytic gradient, for
//! which BFGS converges in a few dozen iterations.
//!
//! The objective is a closure `f(θ, grad) -> value` that writes the gradient into `grad`;
//! non-finite values are treated as +∞ (the line search steps back). Nothing here allocates
//! per evaluation.

// Small dense matrices (N ≤ 4) read best with explicit indices, as in the textbooks.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};

/// Stopping rules.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OptimSettings {
    /// Maximum BFGS iterations per attempt.
    pub max_iter: usize,
    /// Converged when every gradient component is below this (objective scaled per row).
    pub grad_tol: f64,
    /// Gives up (not converged, no restarts) as soon as a parameter leaves `[−bound, bound]`:
    /// on the log scale of the fits a parameter past e^20 has run off to 0 or infinity
    /// (the data do not identify the model), and chasing it costs thousands of likelihood
    /// evaluations for nothing.
    #[serde(default = "default_bound")]
    pub bound: f64,
}

fn default_bound() -> f64 {
    20.0
}

impl Default for OptimSettings {
    fn default() -> Self {
        OptimSettings { max_iter: 500, grad_tol: 1e-9, bound: default_bound() }
    }
}

/// Where the optimiser ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct OptimOutcome<const N: usize> {
    /// The best point found.
    #[serde(with = "arr")]
    pub theta: [f64; N],
    /// Objective at `theta`.
    pub value: f64,
    /// Largest absolute gradient component at `theta`.
    pub grad_norm: f64,
    /// BFGS iterations (all attempts).
    pub iterations: usize,
    /// Objective evaluations (all methods).
    pub evaluations: usize,
    /// Nelder–Mead restarts used (0 when BFGS converged directly).
    pub restarts: usize,
    /// Whether the gradient test was met.
    pub converged: bool,
}

mod arr {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub fn serialize<S: Serializer, const N: usize>(a: &[f64; N], s: S) -> Result<S::Ok, S::Error> {
        a.as_slice().serialize(s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[f64; N], D::Error> {
        let v = Vec::<f64>::deserialize(d)?;
        v.try_into().map_err(|_| serde::de::Error::custom("wrong number of parameters"))
    }
}

fn max_abs<const N: usize>(g: &[f64; N]) -> f64 {
    g.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn dot<const N: usize>(a: &[f64; N], b: &[f64; N]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

struct Counter<F> {
    f: F,
    evaluations: usize,
}

impl<F> Counter<F> {
    fn eval<const N: usize>(&mut self, x: &[f64; N], g: &mut [f64; N]) -> f64
    where
        F: FnMut(&[f64; N], &mut [f64; N]) -> f64,
    {
        self.evaluations += 1;
        let v = (self.f)(x, g);
        if v.is_finite() && g.iter().all(|x| x.is_finite()) {
            v
        } else {
            f64::INFINITY
        }
    }
}

/// Minimises `f` from `x0`: BFGS; if it does not converge, Nelder–Mead from the best point
/// and BFGS again (up to three restarts).
pub fn minimize<const N: usize, F>(f: F, x0: [f64; N], settings: &OptimSettings) -> OptimOutcome<N>
where
    F: FnMut(&[f64; N], &mut [f64; N]) -> f64,
{
    let mut c = Counter { f, evaluations: 0 };
    let mut best = bfgs(&mut c, x0, settings);
    let mut restarts = 0;
    let escaped = |theta: &[f64; N]| max_abs(theta) > settings.bound;
    while !best.converged && restarts < 3 && !escaped(&best.theta) {
        restarts += 1;
        let start = nelder_mead(&mut c, best.theta, 0.5 / restarts as f64, 400 * N);
        if escaped(&start) {
            best.theta = start;
            best.converged = false;
            break;
        }
        let next = bfgs(&mut c, start, settings);
        let iterations = best.iterations + next.iterations;
        if next.value <= best.value || next.converged {
            best = next;
        }
        best.iterations = iterations;
    }
    best.evaluations = c.evaluations;
    best.restarts = restarts;
    best
}

fn bfgs<const N: usize, F>(c: &mut Counter<F>, x0: [f64; N], s: &OptimSettings) -> OptimOutcome<N>
where
    F: FnMut(&[f64; N], &mut [f64; N]) -> f64,
{
    let identity = || {
        let mut h = [[0.0; N]; N];
        for (i, row) in h.iter_mut().enumerate() {
            row[i] = 1.0;
        }
        h
    };
    let mut x = x0;
    let mut g = [0.0; N];
    let mut fx = c.eval(&x, &mut g);
    let mut h = identity();
    let mut fresh = true;
    let mut iterations = 0;
    let mut flat = 0;
    let mut converged = fx.is_finite() && max_abs(&g) < s.grad_tol;
    while !converged && fx.is_finite() && iterations < s.max_iter {
        iterations += 1;
        let mut d = [0.0; N];
        for i in 0..N {
            d[i] = -(0..N).map(|j| h[i][j] * g[j]).sum::<f64>();
        }
        let mut slope = dot(&g, &d);
        if slope >= 0.0 || !slope.is_finite() {
            h = identity();
            fresh = true;
            d = g.map(|v| -v);
            slope = dot(&g, &d);
        }
        // Parameters live on the log scale: a step of more than e^5 per iteration is never
        // wanted and would only overflow the likelihood.
        let longest = max_abs(&d);
        let mut step = if longest > 5.0 { 5.0 / longest } else { 1.0 };
        let mut xn = x;
        let mut gn = [0.0; N];
        let mut fnew = f64::INFINITY;
        for _ in 0..60 {
            for i in 0..N {
                xn[i] = x[i] + step * d[i];
            }
            fnew = c.eval(&xn, &mut gn);
            if fnew <= fx + 1e-4 * step * slope {
                break;
            }
            step *= 0.5;
        }
        let accepted = fnew <= fx + 1e-4 * step * slope;
        if !accepted {
            if fresh {
                break; // Not even steepest descent makes progress: we are at the floor.
            }
            h = identity();
            fresh = true;
            continue;
        }
        let mut sv = [0.0; N];
        let mut y = [0.0; N];
        for i in 0..N {
            sv[i] = xn[i] - x[i];
            y[i] = gn[i] - g[i];
        }
        let sy = dot(&sv, &y);
        if sy > 1e-14 * dot(&sv, &sv).sqrt() * dot(&y, &y).sqrt() && sy > 0.0 {
            if fresh {
                let scale = sy / dot(&y, &y);
                h = identity();
                for (i, row) in h.iter_mut().enumerate() {
                    row[i] = scale;
                }
            }
            // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ (Nocedal & Wright 2006, eq. 6.17).
            let rho = 1.0 / sy;
            let mut hy = [0.0; N];
            for i in 0..N {
                hy[i] = (0..N).map(|j| h[i][j] * y[j]).sum();
            }
            let yhy = dot(&y, &hy);
            for i in 0..N {
                for j in 0..N {
                    h[i][j] += -rho * (hy[i] * sv[j] + sv[i] * hy[j]) + (rho * rho * yhy + rho) * sv[i] * sv[j];
                }
            }
            fresh = false;
        }
        let change = fx - fnew;
        x = xn;
        g = gn;
        fx = fnew;
        converged = max_abs(&g) < s.grad_tol;
        if max_abs(&x) > s.bound {
            converged = false;
            break;
        }
        // Several steps that change nothing at machine precision with a small gradient: done.
        if change <= 1e-15 * (1.0 + fx.abs()) {
            flat += 1;
            if flat >= 3 && max_abs(&g) < s.grad_tol.sqrt() {
                converged = true;
            }
        } else {
            flat = 0;
        }
    }
    OptimOutcome { theta: x, value: fx, grad_norm: max_abs(&g), iterations, evaluations: 0, restarts: 0, converged }
}

/// Nelder–Mead (Nelder & Mead 1965; standard coefficients 1, 2, ½, ½) from `x0` with an
/// initial simplex of side `size`; returns the best vertex.
fn nelder_mead<const N: usize, F>(c: &mut Counter<F>, x0: [f64; N], size: f64, max_evals: usize) -> [f64; N]
where
    F: FnMut(&[f64; N], &mut [f64; N]) -> f64,
{
    let mut g = [0.0; N];
    // N + 1 vertices; N ≤ 4 here, so fixed arrays of N + 1 would need generic_const_exprs:
    // a small Vec allocated once per call is fine (not in the inner loop).
    let mut pts: Vec<([f64; N], f64)> = Vec::with_capacity(N + 1);
    let f0 = c.eval(&x0, &mut g);
    pts.push((x0, f0));
    for i in 0..N {
        let mut p = x0;
        p[i] += size;
        let fp = c.eval(&p, &mut g);
        pts.push((p, fp));
    }
    let mut evals = N + 1;
    while evals < max_evals {
        pts.sort_by(|a, b| super::cmp_f64(a.1, b.1));
        let (best, worst) = (pts[0].1, pts[N].1);
        let spread = pts.iter().map(|p| max_abs(&std::array::from_fn::<f64, N, _>(|i| p.0[i] - pts[0].0[i]))).fold(0.0, f64::max);
        if (worst - best).abs() <= 1e-13 * (1.0 + best.abs()) && spread < 1e-9 {
            break;
        }
        let mut centroid = [0.0; N];
        for p in &pts[..N] {
            for i in 0..N {
                centroid[i] += p.0[i] / N as f64;
            }
        }
        let along = |t: f64| -> [f64; N] { std::array::from_fn(|i| centroid[i] + t * (pts[N].0[i] - centroid[i])) };
        let xr = along(-1.0);
        let fr = c.eval(&xr, &mut g);
        evals += 1;
        if fr < pts[0].1 {
            let xe = along(-2.0);
            let fe = c.eval(&xe, &mut g);
            evals += 1;
            pts[N] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < pts[N - 1].1 {
            pts[N] = (xr, fr);
        } else {
            let (xc, fc) = if fr < pts[N].1 {
                let xc = along(-0.5);
                (xc, c.eval(&xc, &mut g))
            } else {
                let xc = along(0.5);
                (xc, c.eval(&xc, &mut g))
            };
            evals += 1;
            if fc < pts[N].1.min(fr) {
                pts[N] = (xc, fc);
            } else {
                let x0 = pts[0].0;
                for p in pts.iter_mut().skip(1) {
                    p.0 = std::array::from_fn(|i| x0[i] + 0.5 * (p.0[i] - x0[i]));
                    p.1 = c.eval(&p.0, &mut g);
                    evals += 1;
                }
            }
        }
    }
    pts.sort_by(|a, b| super::cmp_f64(a.1, b.1));
    pts[0].0
}

/// Hessian of a function by central differences of its analytic gradient `grad`, with step
/// `h` in each coordinate, symmetrised. `None` if any entry is not finite.
pub fn numerical_hessian<const N: usize, G>(mut grad: G, x: &[f64; N], h: f64) -> Option<[[f64; N]; N]>
where
    G: FnMut(&[f64; N], &mut [f64; N]),
{
    let mut hess = [[0.0; N]; N];
    let mut gp = [0.0; N];
    let mut gm = [0.0; N];
    for j in 0..N {
        let mut xp = *x;
        let mut xm = *x;
        xp[j] += h;
        xm[j] -= h;
        grad(&xp, &mut gp);
        grad(&xm, &mut gm);
        for i in 0..N {
            hess[i][j] = (gp[i] - gm[i]) / (2.0 * h);
        }
    }
    for i in 0..N {
        for j in 0..i {
            let m = 0.5 * (hess[i][j] + hess[j][i]);
            hess[i][j] = m;
            hess[j][i] = m;
        }
    }
    hess.iter().flatten().all(|v| v.is_finite()).then_some(hess)
}

/// Inverse of a symmetric positive-definite matrix by Cholesky; `None` when it is not
/// positive definite (then the fit is at a saddle or a flat ridge and has no standard
/// errors).
pub fn spd_inverse<const N: usize>(a: &[[f64; N]; N]) -> Option<[[f64; N]; N]> {
    let mut l = [[0.0; N]; N];
    for i in 0..N {
        for j in 0..=i {
            let s: f64 = a[i][j] - (0..j).map(|k| l[i][k] * l[j][k]).sum::<f64>();
            if i == j {
                if s.is_nan() || s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // Solve L Lᵀ X = I column by column.
    let mut inv = [[0.0; N]; N];
    for col in 0..N {
        let mut y = [0.0; N];
        for i in 0..N {
            let e = if i == col { 1.0 } else { 0.0 };
            y[i] = (e - (0..i).map(|k| l[i][k] * y[k]).sum::<f64>()) / l[i][i];
        }
        let mut x = [0.0; N];
        for i in (0..N).rev() {
            x[i] = (y[i] - (i + 1..N).map(|k| l[k][i] * x[k]).sum::<f64>()) / l[i][i];
        }
        for i in 0..N {
            inv[i][col] = x[i];
        }
    }
    Some(inv)
}
