//! The Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV:
//! using iso-value curves for customer base analysis", JMR 42(4); Fader & Hardie 2013,
//! "The Gamma-Gamma model of monetary value").
//!
//! Transaction values of a customer are Gamma(p, ν) with ν ~ Gamma(q, γ) across customers.
//! The data are, per repeat buyer, `x` repeat transactions and their mean value `m` (the
//! first purchase is left out, see [`super::facts`]). The likelihood of one customer is
//! (Fader & Hardie 2013, written for the mean `m` as in the `lifetimes` package):
//!
//! `ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln m + px ln x
//!        − (px+q) ln(γ + m x)`.
//!
//! It is maximised over log-parameters with an analytic gradient ([`super::optim`]). The
//! per-`x` log-gamma terms are tabulated once per evaluation for every `x` present, so an
//! evaluation costs one logarithm per customer.

use super::optim::{minimize, numerical_hessian, spd_inverse, OptimSettings};
use super::{invalid, FitError, ValueError};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

/// Spend data of one customer: `x` repeat purchases with mean value `m`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SpendRow {
    /// Repeat purchases.
    pub x: u32,
    /// Mean value of the repeat purchases.
    pub m: f64,
}

/// The Gamma-Gamma parameters `p`, `q`, `γ` (`v` in `lifetimes`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Shape of the per-transaction Gamma.
    pub p: f64,
    /// Shape of the heterogeneity of ν.
    pub q: f64,
    /// Scale of the heterogeneity of ν (γ).
    pub gamma: f64,
}

/// Settings of the fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFitParams {
    /// Fewest repeat buyers with positive spend for which a fit is attempted.
    pub min_repeat_buyers: usize,
    /// Optimiser stopping rules.
    pub optim: OptimSettings,
}

impl Default for GammaGammaFitParams {
    fn default() -> Self {
        GammaGammaFitParams { min_repeat_buyers: 10, optim: OptimSettings::default() }
    }
}

impl GammaGammaFitParams {
    /// Checks the settings.
    pub fn check(&self) -> Result<ValidGammaGammaFitParams, ValueError> {
        if self.optim.max_iter == 0 {
            return Err(invalid("gamma_gamma.max_iter", "至少为 1", "must be at least 1"));
        }
        if !(self.optim.grad_tol > 0.0 && self.optim.grad_tol.is_finite()) {
            return Err(invalid("gamma_gamma.grad_tol", "必须是正数", "must be a positive number"));
        }
        Ok(ValidGammaGammaFitParams(*self))
    }
}

/// [`GammaGammaFitParams`] that passed [`GammaGammaFitParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "GammaGammaFitParams")]
pub struct ValidGammaGammaFitParams(GammaGammaFitParams);

/// A successful fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    /// Maximum-likelihood estimates.
    pub params: GammaGammaParams,
    /// Standard errors from the inverse Hessian of −ln L (`None` if not positive definite).
    pub std_errors: Option<GammaGammaParams>,
    /// Log-likelihood at the estimates.
    pub log_likelihood: f64,
    /// Repeat buyers in the fit.
    pub customers: usize,
    /// Rows left out: `x = 0`, or a mean spend that is not positive.
    pub excluded: usize,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Likelihood evaluations.
    pub evaluations: usize,
    /// Nelder–Mead restarts.
    pub restarts: usize,
    /// Largest gradient component of the mean −ln L at the end.
    pub gradient_norm: f64,
}

struct Data {
    /// Distinct x values, ascending.
    xs: Vec<u32>,
    /// Per row: index into `xs`, m, ln m, ln x (rows sorted canonically).
    rows: Vec<(u32, f64, f64, f64)>,
}

#[derive(Clone, Copy, Default)]
struct XTerms {
    /// ln Γ(px+q) − ln Γ(px)
    lg: f64,
    /// ∂/∂p of `lg`
    lg_p: f64,
    /// ψ(px+q)
    psi: f64,
}

fn log_likelihood(d: &Data, table: &mut [XTerms], p: &GammaGammaParams, grad: &mut [f64; 3]) -> f64 {
    let GammaGammaParams { p, q, gamma } = *p;
    for (slot, &x) in table.iter_mut().zip(&d.xs) {
        let xf = f64::from(x);
        let px = p * xf;
        let psi = digamma(px + q);
        *slot = XTerms { lg: ln_gamma(px + q) - ln_gamma(px), lg_p: xf * (psi - digamma(px)), psi };
    }
    let lgq = ln_gamma(q);
    let psq = digamma(q);
    let ln_g = gamma.ln();
    let (mut ll, mut gp, mut gq, mut gg) = (0.0, 0.0, 0.0, 0.0);
    for &(xi, m, lm, lx) in &d.rows {
        let t = &table[xi as usize];
        let xf = f64::from(d.xs[xi as usize]);
        let px = p * xf;
        let den = gamma + m * xf;
        let l_den = den.ln();
        ll += t.lg - lgq + q * ln_g + (px - 1.0) * lm + px * lx - (px + q) * l_den;
        gp += t.lg_p + xf * (lm + lx - l_den);
        gq += t.psi - psq + ln_g - l_den;
        gg += q / gamma - (px + q) / den;
    }
    *grad = [p * gp, q * gq, gamma * gg];
    ll
}

fn params_of(theta: &[f64; 3]) -> GammaGammaParams {
    GammaGammaParams { p: theta[0].exp(), q: theta[1].exp(), gamma: theta[2].exp() }
}

/// Fits the Gamma-Gamma model to the repeat buyers among `rows` (rows with `x = 0` or a
/// non-positive mean are left out and counted in [`GammaGammaFit::excluded`]).
pub fn fit(rows: &[SpendRow], params: &ValidGammaGammaFitParams) -> Result<GammaGammaFit, FitError> {
    let settings = params.0;
    if let Some(i) = rows.iter().position(|r| !r.m.is_finite()) {
        return Err(FitError::InvalidRow { row: i, why: crate::error::Bilingual::new(format!("平均消费额 {} 不是有效数字", rows[i].m), format!("the mean spend {} is not a finite number", rows[i].m)) });
    }
    let mut used: Vec<(u32, f64)> = rows.iter().filter(|r| r.x > 0 && r.m > 0.0).map(|r| (r.x, r.m)).collect();
    let needed = settings.min_repeat_buyers.max(2);
    if used.len() < needed {
        return Err(FitError::TooFewRepeatBuyers { model: "Gamma-Gamma".into(), found: used.len(), needed });
    }
    // A canonical order makes the sums, and so the fit, independent of the input order.
    used.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut xs: Vec<u32> = used.iter().map(|r| r.0).collect();
    xs.dedup();
    let data = Data {
        rows: used
            .iter()
            .map(|&(x, m)| (xs.partition_point(|v| *v < x) as u32, m, m.ln(), f64::from(x).ln()))
            .collect(),
        xs,
    };
    let n = data.rows.len() as f64;
    let mean_m = used.iter().map(|r| r.1).sum::<f64>() / n;
    // Start at p = 1, q = 2, γ = mean spend: then the implied mean p γ / (q − 1) is the sample mean.
    let x0 = [0.0, 2f64.ln(), mean_m.ln()];
    let mut table = vec![XTerms::default(); data.xs.len()];
    let objective = |theta: &[f64; 3], grad: &mut [f64; 3]| -> f64 {
        let ll = log_likelihood(&data, &mut table, &params_of(theta), grad);
        for v in grad.iter_mut() {
            *v = -*v / n;
        }
        -ll / n
    };
    let out = minimize(objective, x0, &settings.optim);
    let names = ["p", "q", "gamma"];
    for (i, th) in out.theta.iter().enumerate() {
        if th.abs() > 25.0 {
            return Err(FitError::Diverged { model: "Gamma-Gamma".into(), parameter: names[i].into(), value: th.exp() });
        }
    }
    if !out.converged {
        return Err(FitError::NoConvergence { model: "Gamma-Gamma".into(), iterations: out.iterations, gradient_norm: out.grad_norm });
    }
    let p = params_of(&out.theta);
    let mut table = vec![XTerms::default(); data.xs.len()];
    let ll = log_likelihood(&data, &mut table, &p, &mut [0.0; 3]);
    let hessian = numerical_hessian(
        |theta: &[f64; 3], g: &mut [f64; 3]| {
            log_likelihood(&data, &mut table, &params_of(theta), g);
            for v in g.iter_mut() {
                *v = -*v;
            }
        },
        &out.theta,
        1e-5,
    );
    let std_errors = hessian.and_then(|h| spd_inverse(&h)).map(|inv| {
        let se = |i: usize, v: f64| v * inv[i][i].max(0.0).sqrt();
        GammaGammaParams { p: se(0, p.p), q: se(1, p.q), gamma: se(2, p.gamma) }
    });
    Ok(GammaGammaFit {
        params: p,
        std_errors,
        log_likelihood: ll,
        customers: used.len(),
        excluded: rows.len() - used.len(),
        iterations: out.iterations,
        evaluations: out.evaluations,
        restarts: out.restarts,
        gradient_norm: out.grad_norm,
    })
}

impl GammaGammaParams {
    /// Expected mean transaction value of a customer with `x` repeat purchases of mean `m`
    /// (Fader, Hardie & Lee 2005 JMR; Fader & Hardie 2013):
    ///
    /// `E[M | p, q, γ, m, x] = (γ + m x) p / (p x + q − 1)`
    /// `= (q − 1)/(p x + q − 1) · γ p/(q − 1) + p x/(p x + q − 1) · m`,
    ///
    /// a weighted mean of the population mean `γ p / (q − 1)` and the customer's own mean.
    /// For `x = 0` it is the population mean. `None` when `p x + q ≤ 1` (no finite mean).
    pub fn conditional_expected_spend(&self, x: u32, m: f64) -> Option<f64> {
        let xf = f64::from(x);
        let den = self.p * xf + self.q - 1.0;
        let m = if x == 0 { 0.0 } else { m };
        (den > 0.0).then(|| (self.gamma + m * xf) * self.p / den).filter(|v| v.is_finite())
    }

    /// Population mean spend per transaction `γ p / (q − 1)`; `None` when `q ≤ 1`.
    pub fn population_mean_spend(&self) -> Option<f64> {
        self.conditional_expected_spend(0, 0.0)
    }
}

impl TryFrom<GammaGammaFitParams> for ValidGammaGammaFitParams {
    type Error = ValueError;
    /// [`GammaGammaFitParams::check`]: the only way to a [`ValidGammaGammaFitParams`], from code or from serde.
    fn try_from(raw: GammaGammaFitParams) -> Result<Self, ValueError> {
        raw.check()
    }
}
