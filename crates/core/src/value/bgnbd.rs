//! The BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers
//! the easy way: an alternative to the Pareto/NBD model", Marketing Science 24(2)).
//!
//! While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after each
//! purchase they drop out with probability p ~ Beta(a, b). The data per customer are the
//! summary `(x, t_x, T)`: `x` repeat purchases, the last at `t_x`, observed for `T` units
//! since the first purchase (see [`super::facts`] for how they are counted).
//!
//! Fitting is by maximum likelihood ([`fit`]): identical `(x, t_x, T)` rows are grouped and
//! weighted; the likelihood of FHL (2005) eq. 6 is evaluated in the numerically stable form
//!
//! `ln L = ln Γ(r+x) − ln Γ(r) + ln B(a, b+x) − ln B(a, b) + r ln α − (r+x) ln(α+T)
//!        + softplus(u)`,   `u = ln a − ln(b+x−1) + (r+x) (ln(α+T) − ln(α+t_x))` (x > 0),
//!
//! (the log-sum-exp of the two terms of eq. 6, with softplus(u) = ln(1 + eᵘ)), where the
//! differences of log-gamma functions for integer `x` come from exact recurrences
//! (`Γ(r+x+1) = (r+x) Γ(r+x)`) tabulated once per evaluation for every `x` present; the
//! optimisation runs over log-parameters with an analytic gradient ([`super::optim`]).
//! Standard errors come from the numerical Hessian of the negative log-likelihood.

use super::optim::{minimize, numerical_hessian, spd_inverse, OptimSettings};
use super::{invalid, FitError, ValueError};
use serde::{Deserialize, Serialize};

/// One customer's summary: `x` repeat purchases, the last at `t_x`, age `T` (`t`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SummaryRow {
    /// Number of repeat purchases (purchase units after the first).
    pub x: u32,
    /// Time from the first to the last purchase.
    pub t_x: f64,
    /// Time from the first purchase to the end of observation (`T`).
    pub t: f64,
}

/// The four BG/NBD parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// Shape of the Gamma purchase-rate heterogeneity.
    pub r: f64,
    /// Scale of the Gamma purchase-rate heterogeneity (in time units).
    pub alpha: f64,
    /// First shape of the Beta drop-out heterogeneity.
    pub a: f64,
    /// Second shape of the Beta drop-out heterogeneity.
    pub b: f64,
}

/// Settings of the fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFitParams {
    /// Fewest customers with `x > 0` for which a fit is attempted.
    pub min_repeat_buyers: usize,
    /// Optimiser stopping rules.
    pub optim: OptimSettings,
}

impl Default for BgNbdFitParams {
    fn default() -> Self {
        BgNbdFitParams { min_repeat_buyers: 10, optim: OptimSettings::default() }
    }
}

impl BgNbdFitParams {
    /// Checks the settings.
    pub fn check(&self) -> Result<ValidBgNbdFitParams, ValueError> {
        if self.optim.max_iter == 0 {
            return Err(invalid("bgnbd.max_iter", "至少为 1", "must be at least 1"));
        }
        if !(self.optim.grad_tol > 0.0 && self.optim.grad_tol.is_finite()) {
            return Err(invalid("bgnbd.grad_tol", "必须是正数", "must be a positive number"));
        }
        Ok(ValidBgNbdFitParams(*self))
    }
}

/// [`BgNbdFitParams`] that passed [`BgNbdFitParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "BgNbdFitParams")]
pub struct ValidBgNbdFitParams(BgNbdFitParams);

/// A successful fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    /// Maximum-likelihood estimates.
    pub params: BgNbdParams,
    /// Standard errors of r, α, a, b from the inverse Hessian of −ln L (`None` when the
    /// Hessian is not positive definite).
    pub std_errors: Option<BgNbdParams>,
    /// Log-likelihood at the estimates (sum over customers).
    pub log_likelihood: f64,
    /// Customers in the fit.
    pub customers: usize,
    /// Customers with at least one repeat purchase.
    pub repeat_buyers: usize,
    /// Distinct `(x, t_x, T)` rows the likelihood was evaluated on.
    pub groups: usize,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Likelihood evaluations.
    pub evaluations: usize,
    /// Nelder–Mead restarts.
    pub restarts: usize,
    /// Largest gradient component of the mean −ln L (log-parameters) at the end.
    pub gradient_norm: f64,
}

/// Rows grouped by identical `(x, t_x, T)`, in a canonical order (so the sums, and hence
/// the fit, do not depend on the input row order).
struct Grouped {
    x: Vec<u32>,
    t_x: Vec<f64>,
    t: Vec<f64>,
    w: Vec<f64>,
    max_x: usize,
    n: f64,
    /// The distinct values of `t` and `t_x` (sorted), and each group's position of its `t`
    /// and `t_x` among them: an evaluation takes ln(α + ·) once per distinct value (a
    /// thousand days, against tens of thousands of groups) and looks it up, which gives
    /// the very same numbers.
    values: Vec<f64>,
    t_at: Vec<u32>,
    t_x_at: Vec<u32>,
}

impl Grouped {
    fn new(x: Vec<u32>, t_x: Vec<f64>, t: Vec<f64>, w: Vec<f64>, max_x: usize, n: f64) -> Self {
        let mut bits: Vec<u64> = t.iter().chain(&t_x).map(|v| v.to_bits()).collect();
        bits.sort_unstable();
        bits.dedup();
        let at = |v: &f64| bits.binary_search(&v.to_bits()).unwrap_or(0) as u32;
        let t_at = t.iter().map(at).collect();
        let t_x_at = t_x.iter().map(at).collect();
        let values = bits.iter().map(|&b| f64::from_bits(b)).collect();
        Grouped { x, t_x, t, w, max_x, n, values, t_at, t_x_at }
    }
}

fn group(rows: &[SummaryRow]) -> Result<Grouped, FitError> {
    for (i, r) in rows.iter().enumerate() {
        let ok = r.t_x.is_finite() && r.t.is_finite() && r.t_x >= 0.0 && r.t >= 0.0 && (r.x == 0 || r.t_x <= r.t);
        if !ok {
            return Err(FitError::InvalidRow {
                row: i,
                why: crate::error::Bilingual::new(
                    format!("须满足 0 ≤ 末次购买时间 t_x ≤ 观察期 T，当前 x 为 {}，t_x 为 {}，T 为 {}", r.x, r.t_x, r.t),
                    format!("need 0 ≤ t_x ≤ T, got x = {}, t_x = {}, T = {}", r.x, r.t_x, r.t),
                ),
            });
        }
    }
    let mut keys: Vec<(u32, u64, u64)> = rows
        .iter()
        .map(|r| (r.x, if r.x == 0 { 0 } else { r.t_x.to_bits() }, r.t.to_bits()))
        .collect();
    // Non-negative finite floats order like their bit patterns.
    keys.sort_unstable();
    let (mut x, mut t_x, mut t, mut w, mut max_x) = (vec![], vec![], vec![], vec![], 0);
    for (i, k) in keys.iter().enumerate() {
        if i > 0 && keys[i - 1] == *k {
            if let Some(w) = w.last_mut() {
                *w += 1.0;
            }
            continue;
        }
        x.push(k.0);
        t_x.push(f64::from_bits(k.1));
        t.push(f64::from_bits(k.2));
        w.push(1.0);
        max_x = max_x.max(k.0 as usize);
    }
    Ok(Grouped::new(x, t_x, t, w, max_x, rows.len() as f64))
}

/// Per-`x` terms of the likelihood, recomputed once per evaluation.
#[derive(Clone, Copy, Default)]
struct XTerms {
    /// ln Γ(r+x) − ln Γ(r) and its r-derivative.
    g: f64,
    g_r: f64,
    /// ln B(a, b+x) − ln B(a, b) and its a- and b-derivatives.
    d: f64,
    d_a: f64,
    d_b: f64,
    /// ln(b+x−1) and 1/(b+x−1) (used for x ≥ 1 only).
    ln_b1: f64,
    inv_b1: f64,
}

fn fill_table(table: &mut [XTerms], r: f64, a: f64, b: f64) {
    let mut t = XTerms::default();
    for (x, slot) in table.iter_mut().enumerate() {
        let xf = x as f64;
        if x >= 1 {
            t.ln_b1 = (b + xf - 1.0).ln();
            t.inv_b1 = 1.0 / (b + xf - 1.0);
        }
        *slot = t;
        t.g += (r + xf).ln();
        t.g_r += 1.0 / (r + xf);
        t.d += (b + xf).ln() - (a + b + xf).ln();
        t.d_a -= 1.0 / (a + b + xf);
        t.d_b += 1.0 / (b + xf) - 1.0 / (a + b + xf);
    }
}

/// softplus(u) = ln(1 + eᵘ) and the logistic σ(u), without overflow.
fn softplus_sigmoid(u: f64) -> (f64, f64) {
    let e = (-u.abs()).exp();
    let sp = u.max(0.0) + e.ln_1p();
    let s = if u >= 0.0 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
    (sp, s)
}

/// The terms of group `i` in ln L and in its derivatives by r, α, a and b (before the
/// weight).
#[inline(always)]
fn group_terms(g: &Grouped, table: &[XTerms], ln_values: &[f64], p: &BgNbdParams, ln_alpha: f64, ln_a: f64, i: usize) -> [f64; 5] {
    let BgNbdParams { r, alpha, a, .. } = *p;
    let x = g.x[i];
    let xt = &table[x as usize];
    let rx = r + f64::from(x);
    let at = alpha + g.t[i];
    // (α + T).ln(), computed once per distinct T.
    let lt = ln_values[g.t_at[i] as usize];
    let mut l = xt.g + xt.d + r * ln_alpha - rx * lt;
    let mut dr = xt.g_r + ln_alpha - lt;
    let mut dal = r / alpha - rx / at;
    let mut da = xt.d_a;
    let mut db = xt.d_b;
    if x > 0 {
        let atx = alpha + g.t_x[i];
        let ltx = ln_values[g.t_x_at[i] as usize];
        let u = ln_a - xt.ln_b1 + rx * (lt - ltx);
        let (sp, s) = softplus_sigmoid(u);
        l += sp;
        dr += s * (lt - ltx);
        dal += s * rx * (1.0 / at - 1.0 / atx);
        da += s / a;
        db -= s * xt.inv_b1;
    }
    [l, dr, dal, da, db]
}

/// What one evaluation of the likelihood reuses: the per-`x` terms and the groups' terms.
struct Scratch {
    table: Vec<XTerms>,
    terms: Vec<[f64; 5]>,
}

impl Scratch {
    fn new(g: &Grouped) -> Scratch {
        // The terms' buffer only where threads fill it (`log_likelihood` goes by it).
        let terms = if crate::par::threads() > 1 { g.x.len() } else { 0 };
        Scratch { table: vec![XTerms::default(); g.max_x + 1], terms: vec![[0.0; 5]; terms] }
    }
}

/// Sum of ln L over the groups and its gradient with respect to the log-parameters.
fn log_likelihood(g: &Grouped, scratch: &mut Scratch, p: &BgNbdParams, grad: &mut [f64; 4]) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    fill_table(&mut scratch.table, r, a, b);
    let table: &[XTerms] = &scratch.table;
    let ln_alpha = alpha.ln();
    let ln_a = a.ln();
    let ln_values: Vec<f64> = g.values.iter().map(|&v| (alpha + v).ln()).collect();
    let (mut ll, mut gr, mut gal, mut ga, mut gb) = (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut add = |w: f64, [l, dr, dal, da, db]: [f64; 5]| {
        ll += w * l;
        gr += w * dr;
        gal += w * dal;
        ga += w * da;
        gb += w * db;
    };
    let terms = |i: usize| group_terms(g, table, &ln_values, p, ln_alpha, ln_a, i);
    if !scratch.terms.is_empty() {
        // There are threads (`Scratch::new`): the groups' terms on them (the logarithms and
        // exponentials are the cost), then summed here in group order: the same sums, to
        // the last bit, as on one thread.
        crate::par::fill(&mut scratch.terms, 16_384, terms);
        for (&w, &t) in g.w.iter().zip(&scratch.terms) {
            add(w, t);
        }
    } else {
        // One thread (the browser), or no groups: summed as they come, in the same order.
        for (i, &w) in g.w.iter().enumerate() {
            add(w, terms(i));
        }
    }
    *grad = [r * gr, alpha * gal, a * ga, b * gb];
    ll
}

fn params_of(theta: &[f64; 4]) -> BgNbdParams {
    BgNbdParams { r: theta[0].exp(), alpha: theta[1].exp(), a: theta[2].exp(), b: theta[3].exp() }
}

/// Fits the BG/NBD model by maximum likelihood (FHL 2005, eq. 6) to `rows`.
///
/// Fails in words when fewer than `min_repeat_buyers` customers have repeat purchases,
/// when a row is invalid, when the optimiser does not converge, or when a parameter runs
/// off to 0 or ∞ (|ln p| > 15).
pub fn fit(rows: &[SummaryRow], params: &ValidBgNbdFitParams) -> Result<BgNbdFit, FitError> {
    let settings = params.0;
    let repeat_buyers = rows.iter().filter(|r| r.x > 0).count();
    let needed = settings.min_repeat_buyers.max(1);
    if repeat_buyers < needed {
        return Err(FitError::TooFewRepeatBuyers { model: "BG/NBD".into(), found: repeat_buyers, needed });
    }
    let g = group(rows)?;
    let mut scratch = Scratch::new(&g);
    // Start from r = 1, α = mean T / mean x (a purchase rate of the right size), a = b = 1.
    // Summed over the canonical groups, so the start (and the fit) ignores the row order.
    let (sum_x, sum_t) = (0..g.x.len()).fold((0.0, 0.0), |(sx, st), i| (sx + g.w[i] * f64::from(g.x[i]), st + g.w[i] * g.t[i]));
    let alpha0 = if sum_x > 0.0 && sum_t > 0.0 { (sum_t / sum_x).clamp(1e-3, 1e6) } else { 1.0 };
    let x0 = [0.0, alpha0.ln(), 0.0, 0.0];
    let n = g.n;
    let objective = |theta: &[f64; 4], grad: &mut [f64; 4]| -> f64 {
        let ll = log_likelihood(&g, &mut scratch, &params_of(theta), grad);
        for v in grad.iter_mut() {
            *v = -*v / n;
        }
        -ll / n
    };
    let out = minimize(objective, x0, &settings.optim);
    let names = ["r", "alpha", "a", "b"];
    for (i, th) in out.theta.iter().enumerate() {
        if th.abs() > 15.0 {
            return Err(FitError::Diverged { model: "BG/NBD".into(), parameter: names[i].into(), value: th.exp() });
        }
    }
    if !out.converged {
        return Err(FitError::NoConvergence { model: "BG/NBD".into(), iterations: out.iterations, gradient_norm: out.grad_norm });
    }
    let p = params_of(&out.theta);
    let mut scratch = Scratch::new(&g);
    let mut grad = [0.0; 4];
    let log_likelihood_value = log_likelihood(&g, &mut scratch, &p, &mut grad);
    let hessian = numerical_hessian(
        |theta: &[f64; 4], gr: &mut [f64; 4]| {
            log_likelihood(&g, &mut scratch, &params_of(theta), gr);
            for v in gr.iter_mut() {
                *v = -*v;
            }
        },
        &out.theta,
        1e-5,
    );
    // At the optimum Cov(p) = D Cov(θ) D with D = diag(p), θ = ln p (the gradient term of
    // the change of variables vanishes there).
    let std_errors = hessian.and_then(|h| spd_inverse(&h)).map(|inv| {
        let se = |i: usize, v: f64| v * inv[i][i].max(0.0).sqrt();
        BgNbdParams { r: se(0, p.r), alpha: se(1, p.alpha), a: se(2, p.a), b: se(3, p.b) }
    });
    Ok(BgNbdFit {
        params: p,
        std_errors,
        log_likelihood: log_likelihood_value,
        customers: rows.len(),
        repeat_buyers,
        groups: g.x.len(),
        iterations: out.iterations,
        evaluations: out.evaluations,
        restarts: out.restarts,
        gradient_norm: out.grad_norm,
    })
}

/// The Gauss hypergeometric function times a prefactor, `e^{log_prefactor} · ₂F₁(a, b; c; z)`
/// for `0 ≤ z < 1`, by its defining series `Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ` (Abramowitz & Stegun
/// 15.1.1).
///
/// The terms are summed directly; when the partial sum grows past 1e250 both it and the
/// current term are rescaled and the scale is carried as a logarithm, so frequent buyers
/// (large `a = r + x`, whose terms first grow like (1 − z)^{−a}) neither overflow nor lose the
/// prefactor `(1 − z)^a` to underflow. The series stops when the tail bound
/// `|term| · q / (1 − q)`, with `q` the larger of the current term ratio and `z`, falls below
/// 1e-16 of the sum. `None` if `c` is a non-positive integer, `z` is out of range, or the
/// series does not settle within 10⁶ terms.
pub fn hyp2f1_scaled(a: f64, b: f64, c: f64, z: f64, log_prefactor: f64) -> Option<f64> {
    if !(0.0..1.0).contains(&z) || (c <= 0.0 && (c - c.round()).abs() < 1e-9) {
        return None;
    }
    const SCALE: f64 = 1e-250;
    let ln_scale = 250.0 * std::f64::consts::LN_10;
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let mut log_shift = 0.0;
    for n in 0..1_000_000u32 {
        let nf = f64::from(n);
        let ratio = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0)) * z;
        term *= ratio;
        sum += term;
        if sum.abs() > 1e250 {
            sum *= SCALE;
            term *= SCALE;
            log_shift += ln_scale;
        }
        if term == 0.0 {
            break;
        }
        let q = ratio.abs().max(z);
        if q < 1.0 && term.abs() * q / (1.0 - q) <= 1e-16 * sum.abs() {
            break;
        }
        if n == 999_999 {
            return None;
        }
    }
    if sum == 0.0 {
        return Some(0.0);
    }
    Some(sum.signum() * (sum.abs().ln() + log_shift + log_prefactor).exp())
}

/// [`hyp2f1_scaled`] at several `(z, log_prefactor)` pairs with the same `a`, `b`, `c`, in
/// one pass over the series: the coefficient `(a+n)(b+n) / ((c+n)(n+1))` of the term ratio
/// is computed once per `n` for all of them, and each series keeps its own terms, rescaling
/// and stopping test, so `out[k]` is exactly (to the bit) `hyp2f1_scaled(a, b, c, z_k,
/// log_prefactor_k)`. The CLV needs one series per period for each customer; this makes
/// them cost little more than the longest one.
pub fn hyp2f1_scaled_many(a: f64, b: f64, c: f64, at: &[(f64, f64)], out: &mut Vec<Option<f64>>) {
    const SCALE: f64 = 1e-250;
    let ln_scale = 250.0 * std::f64::consts::LN_10;
    struct Series {
        z: f64,
        term: f64,
        sum: f64,
        log_shift: f64,
        running: bool,
    }
    out.clear();
    let bad_c = c <= 0.0 && (c - c.round()).abs() < 1e-9;
    let mut series: Vec<Series> = at.iter().map(|&(z, _)| Series { z, term: 1.0, sum: 1.0, log_shift: 0.0, running: !bad_c && (0.0..1.0).contains(&z) }).collect();
    let mut failed = vec![false; at.len()];
    let mut running = series.iter().filter(|s| s.running).count();
    let mut n = 0u32;
    while running > 0 {
        let nf = f64::from(n);
        let coefficient = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0));
        for (k, s) in series.iter_mut().enumerate() {
            if !s.running {
                continue;
            }
            let ratio = coefficient * s.z;
            s.term *= ratio;
            s.sum += s.term;
            if s.sum.abs() > 1e250 {
                s.sum *= SCALE;
                s.term *= SCALE;
                s.log_shift += ln_scale;
            }
            let q = ratio.abs().max(s.z);
            if s.term == 0.0 || (q < 1.0 && s.term.abs() * q / (1.0 - q) <= 1e-16 * s.sum.abs()) {
                s.running = false;
                running -= 1;
            } else if n == 999_999 {
                s.running = false;
                failed[k] = true;
                running -= 1;
            }
        }
        n += 1;
    }
    for (k, (s, &(z, log_prefactor))) in series.iter().zip(at).enumerate() {
        out.push(if bad_c || !(0.0..1.0).contains(&z) || failed[k] {
            None
        } else if s.sum == 0.0 {
            Some(0.0)
        } else {
            Some(s.sum.signum() * (s.sum.abs().ln() + s.log_shift + log_prefactor).exp())
        });
    }
}

impl BgNbdParams {
    /// `u` of the stable likelihood form; P(alive) = 1 / (1 + eᵘ).
    fn u(&self, row: &SummaryRow) -> Option<f64> {
        (row.x > 0).then(|| {
            let rx = self.r + f64::from(row.x);
            self.a.ln() - (self.b + f64::from(row.x) - 1.0).ln() + rx * ((self.alpha + row.t).ln() - (self.alpha + row.t_x).ln())
        })
    }

    /// Probability that a customer with history `row` is still alive at `T`:
    /// `1 / (1 + δ_{x>0} · a / (b + x − 1) · ((α + T) / (α + t_x))^{r+x})`
    /// (Fader, Hardie & Lee 2005, p. 279; their note "Computing P(alive) using the BG/NBD
    /// model", 2008, eq. 1), computed as `exp(−softplus(u))`.
    pub fn p_alive(&self, row: &SummaryRow) -> f64 {
        match self.u(row) {
            Some(u) => (-softplus_sigmoid(u).0).exp(),
            None => 1.0,
        }
    }

    /// Log-likelihood of one summary row (FHL 2005, eq. 6, stable form of the module docs).
    pub fn log_likelihood(&self, row: &SummaryRow) -> f64 {
        let g = Grouped::new(vec![row.x], vec![row.t_x], vec![row.t], vec![1.0], row.x as usize, 1.0);
        log_likelihood(&g, &mut Scratch::new(&g), self, &mut [0.0; 4])
    }

    /// The hypergeometric series of the conditional expectation at horizon `t`: its argument
    /// `z = t / (α+T+t)` and the log of its prefactor `((α+T)/(α+T+t))^{r+x}`.
    fn series_at(&self, row: &SummaryRow, t: f64) -> (f64, f64) {
        let rx = self.r + f64::from(row.x);
        let at = self.alpha + row.t;
        (t / (at + t), rx * (at.ln() - (at + t).ln()))
    }

    /// The series' parameters at `a`: ₂F₁(r+x, b+x; a+b+x−1; ·).
    fn series_params(&self, a: f64, row: &SummaryRow) -> (f64, f64, f64) {
        let xf = f64::from(row.x);
        (self.r + xf, self.b + xf, a + self.b + xf - 1.0)
    }

    /// The conditional expectation at `a` from the prefixed series value `h`:
    /// `P(alive) · (a+b+x−1)/(a−1) · (1 − h)`, floored at 0; `None` when not finite.
    fn expected_from(&self, a: f64, row: &SummaryRow, p_alive: f64, h: f64) -> Option<f64> {
        let value = p_alive * (a + self.b + f64::from(row.x) - 1.0) / (a - 1.0) * (1.0 - h);
        value.is_finite().then_some(value.max(0.0))
    }

    fn conditional_at(&self, a: f64, row: &SummaryRow, t: f64) -> Option<f64> {
        let (z, prefactor) = self.series_at(row, t);
        let (sa, sb, sc) = self.series_params(a, row);
        let h = hyp2f1_scaled(sa, sb, sc, z, prefactor)?;
        self.expected_from(a, row, BgNbdParams { a, ..*self }.p_alive(row), h)
    }

    /// Expected number of purchases in the next `t` units of a customer with history `row`
    /// (Fader, Hardie & Lee 2005, eq. 10):
    ///
    /// `E[Y(t) | x, t_x, T] = [(a+b+x−1)/(a−1)] · [1 − ((α+T)/(α+T+t))^{r+x}
    ///  · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] / [1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^{r+x}]`.
    ///
    /// The formula has a removable singularity at a = 1; within 1e-6 of it the mean of the
    /// values at a = 1 ± 1e-6 is returned. `None` when the series fails (a + b + x − 1 a
    /// non-positive integer) or `t < 0`.
    pub fn conditional_expected_purchases(&self, row: &SummaryRow, t: f64) -> Option<f64> {
        if !(t >= 0.0 && t.is_finite()) {
            return None;
        }
        if t == 0.0 {
            return Some(0.0);
        }
        if (self.a - 1.0).abs() < 1e-6 {
            let lo = self.conditional_at(1.0 - 1e-6, row, t)?;
            let hi = self.conditional_at(1.0 + 1e-6, row, t)?;
            return Some(0.5 * (lo + hi));
        }
        self.conditional_at(self.a, row, t)
    }

    /// [`BgNbdParams::conditional_expected_purchases`] at several horizons `ts` into `out`,
    /// with one pass over the hypergeometric series for all of them
    /// ([`hyp2f1_scaled_many`]): the same values, to the bit.
    pub fn conditional_expected_purchases_many(&self, row: &SummaryRow, ts: &[f64], out: &mut Vec<Option<f64>>) {
        let series: Vec<(f64, f64)> = ts.iter().map(|&t| self.series_at(row, t)).collect();
        let at = |a: f64, out: &mut Vec<Option<f64>>| {
            let (sa, sb, sc) = self.series_params(a, row);
            hyp2f1_scaled_many(sa, sb, sc, &series, out);
            let p_alive = BgNbdParams { a, ..*self }.p_alive(row);
            for (v, &t) in out.iter_mut().zip(ts) {
                *v = if t == 0.0 {
                    Some(0.0)
                } else if t > 0.0 && t.is_finite() {
                    v.and_then(|h| self.expected_from(a, row, p_alive, h))
                } else {
                    None
                };
            }
        };
        if (self.a - 1.0).abs() < 1e-6 {
            let mut hi = Vec::with_capacity(ts.len());
            at(1.0 - 1e-6, out);
            at(1.0 + 1e-6, &mut hi);
            for (lo, hi) in out.iter_mut().zip(hi) {
                *lo = lo.zip(hi).map(|(lo, hi)| 0.5 * (lo + hi));
            }
        } else {
            at(self.a, out);
        }
    }

    /// Expected purchases of a new customer in `(0, t]` (FHL 2005, eq. 9):
    /// `E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]`.
    pub fn expected_purchases_new(&self, t: f64) -> Option<f64> {
        // A fresh customer is the conditional case with x = 0 and T = 0.
        self.conditional_expected_purchases(&SummaryRow { x: 0, t_x: 0.0, t: 0.0 }, t)
    }
}

/// One frequency bin of the calibration / holdout check.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HoldoutBin {
    /// Repeat purchases in the calibration period (the last bin collects `x ≥ max_x`).
    pub x: u32,
    /// Customers in the bin.
    pub customers: usize,
    /// Mean actual purchases in the holdout period.
    pub actual: f64,
    /// Mean of the conditional expectations (FHL 2005, eq. 10) for the holdout length.
    pub predicted: f64,
}

/// Predicted vs actual holdout purchases per calibration frequency (the check of FHL 2005,
/// Figure 4). `rows[i]` is customer `i`'s calibration summary, `actual[i]` their purchases
/// in the holdout of length `holdout` units; bins `0..max_x`, the last one open-ended.
pub fn holdout_by_frequency(
    params: &BgNbdParams,
    rows: &[SummaryRow],
    actual: &[u32],
    holdout: f64,
    max_x: u32,
) -> Result<Vec<HoldoutBin>, ValueError> {
    if rows.len() != actual.len() {
        return Err(ValueError::LengthMismatch { what: "summary rows and holdout counts".into(), left: rows.len(), right: actual.len() });
    }
    let mut bins: Vec<HoldoutBin> =
        (0..=max_x).map(|x| HoldoutBin { x, customers: 0, actual: 0.0, predicted: 0.0 }).collect();
    for (row, act) in rows.iter().zip(actual) {
        let b = &mut bins[row.x.min(max_x) as usize];
        b.customers += 1;
        b.actual += f64::from(*act);
        b.predicted += params.conditional_expected_purchases(row, holdout).unwrap_or(0.0);
    }
    for b in &mut bins {
        if b.customers > 0 {
            b.actual /= b.customers as f64;
            b.predicted /= b.customers as f64;
        }
    }
    Ok(bins)
}

impl TryFrom<BgNbdFitParams> for ValidBgNbdFitParams {
    type Error = ValueError;
    /// [`BgNbdFitParams::check`]: the only way to a [`ValidBgNbdFitParams`], from code or from serde.
    fn try_from(raw: BgNbdFitParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
