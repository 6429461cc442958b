//! `clientscope-cli value` and `clientscope-cli fit`: the customer value analysis (SPEC §3)
//! of an order file, and the BG/NBD + Gamma-Gamma fits of a summary file, for batch use and
//! cross-checking against other tools.
//!
//! - `value --orders FILE.csv --as-of YYYY-MM-DD [--unit day|week] [--metric revenue|profit]
//!   [--horizon N] [--discount RATE] --json`: FILE.csv has a header with the columns
//!   `customer_id,date,amount` (optional `profit`, `order_no`; others are ignored). `--horizon`
//!   counts CLV periods of 30 days (default 12), `--discount` is the rate per period (default
//!   0.01). JSON: `{"as_of", "unit", "bgnbd": {"r","alpha","a","b","log_likelihood"},
//!   "gamma_gamma": {"p","q","v"}, "customers": [{"id", "revenue", "abc", "recency_days",
//!   "frequency", "monetary", "r_score", "f_score", "m_score", "rfm_segment", "x", "t_x", "T",
//!   "p_alive", "expected_purchases", "clv", "value_quadrant", "grade", "lifecycle"}]}`. A fit
//!   that fails is `null` and its reason goes to stderr; customer values that need it are `null`.
//! - `fit --summary FILE.csv [--json]`: FILE.csv has the columns `id,frequency,recency,T`
//!   and optionally `monetary_value`; prints the BG/NBD fit (and the Gamma-Gamma fit when
//!   monetary values are present) with standard errors and convergence. JSON:
//!   `{"bgnbd": {...}, "gamma_gamma": {...} | null}` with the fields above.
//!
//! The computation is `clientscope_core::value`; see its docs for every convention.

use clientscope_core::model::Customer;
use clientscope_core::orders::{csv_file, OrderTable};
use clientscope_core::value::bgnbd::{self, BgNbdFit, BgNbdFitParams, SummaryRow};
use clientscope_core::value::gamma_gamma::{self, GammaGammaFit, GammaGammaFitParams, SpendRow};
use clientscope_core::value::{CustomerValue, FitError, Metric, TimeUnit, ValueJob, ValueParams};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Time unit argument.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum UnitArg {
    /// Days.
    Day,
    /// Weeks (days / 7).
    Week,
}

/// Metric argument.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MetricArg {
    /// Revenue.
    Revenue,
    /// Gross profit.
    Profit,
}

/// Arguments of `value`.
#[derive(Debug, clap::Args)]
pub struct ValueArgs {
    /// Order lines (CSV with header: customer_id,date,amount[,profit][,order_no]).
    #[arg(long)]
    pub orders: PathBuf,
    /// As-of date (YYYY-MM-DD).
    #[arg(long)]
    pub as_of: chrono::NaiveDate,
    /// Time unit of the BG/NBD model.
    #[arg(long, value_enum, default_value_t = UnitArg::Week)]
    pub unit: UnitArg,
    /// Metric of ABC, the value matrix and the lifecycle trend.
    #[arg(long, value_enum, default_value_t = MetricArg::Revenue)]
    pub metric: MetricArg,
    /// CLV horizon in periods of 30 days.
    #[arg(long, default_value_t = 12)]
    pub horizon: u32,
    /// Discount rate per period.
    #[arg(long, default_value_t = 0.01)]
    pub discount: f64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// Summary file (CSV with header: id,frequency,recency,T[,monetary_value]).
    #[arg(long)]
    pub summary: PathBuf,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

fn reader(path: &Path) -> Result<csv::Reader<std::fs::File>, String> {
    csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
}

fn need(headers: &csv::StringRecord, name: &str, path: &Path) -> Result<usize, String> {
    column(headers, name).ok_or_else(|| format!("{}: the header has no column \"{name}\"", path.display()))
}

fn number(rec: &csv::StringRecord, col: usize, name: &str, row: usize, path: &Path) -> Result<f64, String> {
    let cell = rec.get(col).unwrap_or("");
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{}: row {row}, column {name}: \"{cell}\" is not a number", path.display())),
    }
}

/// Reads the order CSV into the columnar table (`clientscope_core::orders::csv_file`): a
/// plain file is cut at line boundaries into one part per core, parsed on scoped threads
/// and merged in file order; anything else goes through the `csv` crate record by record.
/// Both give the same table, and errors name the file and the row.
fn read_orders(path: &Path, phase: &dyn Fn(&str)) -> Result<OrderTable, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    phase("read-file");
    let table = read_order_bytes(&bytes, phase).map_err(|e| format!("{}: {e}", path.display()));
    // Freed by the operating system at exit (see the end of `value`).
    std::mem::forget(bytes);
    table
}

fn read_order_bytes(bytes: &[u8], phase: &dyn Fn(&str)) -> Result<OrderTable, String> {
    if let Some(plan) = csv_file::plan(bytes) {
        let body = &bytes[plan.body_start..];
        // Below a few megabytes a second thread costs more than it saves.
        let threads = if body.len() < 4 << 20 { 1 } else { std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) };
        let ranges = csv_file::split(body, threads);
        let parts: Vec<Option<csv_file::Part>> = std::thread::scope(|s| {
            let handles: Vec<_> = ranges.iter().skip(1).map(|r| s.spawn(|| csv_file::parse_part(&body[r.clone()], &plan.columns))).collect();
            let mut parts = vec![ranges.first().and_then(|r| csv_file::parse_part(&body[r.clone()], &plan.columns))];
            parts.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
            parts
        });
        phase("read-parse");
        if let Some(parts) = parts.into_iter().collect::<Option<Vec<_>>>() {
            return Ok(csv_file::merge(parts));
        }
    }
    csv_file::read_general(bytes)
}

/// One customer of `value --json`, serialised straight to the output (no JSON tree).
#[derive(serde::Serialize)]
struct CustomerOut<'a> {
    id: &'a str,
    revenue: f64,
    abc: &'a str,
    recency_days: Option<i64>,
    frequency: Option<u32>,
    monetary: Option<f64>,
    r_score: Option<u8>,
    f_score: Option<u8>,
    m_score: Option<u8>,
    rfm_segment: Option<&'a str>,
    x: u32,
    t_x: f64,
    #[serde(rename = "T")]
    t: f64,
    p_alive: Option<f64>,
    expected_purchases: Option<f64>,
    clv: Option<f64>,
    value_quadrant: &'a str,
    grade: &'a str,
    lifecycle: &'a str,
}

/// The whole `value --json` document.
#[derive(serde::Serialize)]
struct ValueOut<'a> {
    as_of: String,
    unit: &'a str,
    bgnbd: Value,
    gamma_gamma: Value,
    customers: Vec<CustomerOut<'a>>,
}

fn customer_out(c: &CustomerValue) -> CustomerOut<'_> {
    let r = c.rfm.as_ref();
    CustomerOut {
        id: &c.id,
        revenue: c.revenue,
        abc: c.abc.as_str(),
        recency_days: r.map(|r| r.recency_days),
        frequency: r.map(|r| r.frequency),
        monetary: r.map(|r| r.monetary),
        r_score: r.map(|r| r.r),
        f_score: r.map(|r| r.f),
        m_score: r.map(|r| r.m),
        rfm_segment: r.map(|r| r.segment.code()),
        x: c.x,
        t_x: c.t_x,
        t: c.t,
        p_alive: c.p_alive,
        expected_purchases: c.expected_purchases,
        clv: c.clv,
        value_quadrant: c.value_quadrant.code(),
        grade: c.grade.label(),
        lifecycle: c.stage.code(),
    }
}

/// The `value --json` document as byte blocks to write in order: exactly what serialising
/// `head` with `customers` in it gives (and a line break), with the customers formatted in
/// parts on scoped threads, one per core.
fn value_json(head: &ValueOut, customers: &[CustomerValue]) -> serde_json::Result<Vec<Vec<u8>>> {
    // `head` has no customers: its text ends in `[]}`; they go between the brackets.
    let mut open = serde_json::to_vec(head)?;
    open.truncate(open.len().saturating_sub(2));
    let threads = if customers.len() < 10_000 { 1 } else { std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) };
    let size = customers.len().div_ceil(threads).max(1);
    let part = |k: usize, chunk: &[CustomerValue]| -> serde_json::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(chunk.len() * 300);
        for (i, c) in chunk.iter().enumerate() {
            if k > 0 || i > 0 {
                buf.push(b',');
            }
            serde_json::to_writer(&mut buf, &customer_out(c))?;
        }
        Ok(buf)
    };
    let parts: Vec<serde_json::Result<Vec<u8>>> = std::thread::scope(|s| {
        let mut chunks = customers.chunks(size).enumerate();
        let first = chunks.next();
        let handles: Vec<_> = chunks.map(|(k, c)| s.spawn(move || part(k, c))).collect();
        let mut out = vec![first.map_or_else(|| Ok(Vec::new()), |(k, c)| part(k, c))];
        for (h, (k, c)) in handles.into_iter().zip(customers.chunks(size).enumerate().skip(1)) {
            out.push(h.join().unwrap_or_else(|_| part(k, c)));
        }
        out
    });
    let mut blocks = vec![open];
    for p in parts {
        blocks.push(p?);
    }
    blocks.push(b"]}\n".to_vec());
    Ok(blocks)
}

fn bgnbd_json(fit: &Result<BgNbdFit, FitError>) -> Value {
    match fit {
        Ok(f) => json!({"r": f.params.r, "alpha": f.params.alpha, "a": f.params.a, "b": f.params.b, "log_likelihood": f.log_likelihood}),
        Err(_) => Value::Null,
    }
}

fn gamma_gamma_json(fit: &Result<GammaGammaFit, FitError>) -> Value {
    match fit {
        Ok(f) => json!({"p": f.params.p, "q": f.params.q, "v": f.params.gamma}),
        Err(_) => Value::Null,
    }
}

/// Runs `value`; errors are printed and give exit code 2.
pub fn run_value(args: &ValueArgs) -> ExitCode {
    match value(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn value(args: &ValueArgs) -> Result<(), String> {
    // CLIENTSCOPE_TIMINGS=1 prints the time of each phase to stderr (for scripts/bench.sh).
    let timings = std::env::var_os("CLIENTSCOPE_TIMINGS").is_some();
    let started = std::time::Instant::now();
    let phase = |name: &str| {
        if timings {
            eprintln!("TIMING {name} {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
        }
    };
    let orders = read_orders(&args.orders, &phase)?;
    phase("read");
    let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let customers: Vec<Customer> = orders.customers.values().map(|id| Customer::new(id.to_owned(), id.to_owned(), at)).collect();
    let mut p = ValueParams::new(args.as_of);
    p.unit = match args.unit {
        UnitArg::Day => TimeUnit::Day,
        UnitArg::Week => TimeUnit::Week,
    };
    p.metric = match args.metric {
        MetricArg::Revenue => Metric::Revenue,
        MetricArg::Profit => Metric::Profit,
    };
    p.clv.horizon_periods = args.horizon;
    p.clv.discount = args.discount;
    let params = p.check().map_err(|e| e.to_string())?;
    // The steps of `analyse_table`, timed: facts, ABC + RFM, BG/NBD, Gamma-Gamma, the
    // model outputs (in chunks of buyers), and the assembly.
    // One model step for all buyers: there is no page to keep responsive here, and one
    // spread over the threads costs less than many small ones.
    let mut job = ValueJob::on_table(&customers, &orders, &params).with_chunk(usize::MAX);
    let mut step = 0;
    while !job.step().map_err(|e| e.to_string())?.done {
        const NAMES: [&str; 4] = ["analysis-facts", "analysis-abc-rfm", "analysis-bgnbd", "analysis-gamma-gamma"];
        if let Some(name) = NAMES.get(step) {
            phase(name);
        }
        step += 1;
    }
    phase("analysis-models-assemble");
    let rep = job.finish().map_err(|e| e.to_string())?;
    phase("analysis");
    if let Err(e) = &rep.bgnbd {
        eprintln!("BG/NBD: {e}");
    }
    if let Err(e) = &rep.gamma_gamma {
        eprintln!("Gamma-Gamma: {e}");
    }
    if args.json {
        let out = ValueOut { as_of: args.as_of.to_string(), unit: p.unit.as_str(), bgnbd: bgnbd_json(&rep.bgnbd), gamma_gamma: gamma_gamma_json(&rep.gamma_gamma), customers: Vec::new() };
        let bytes = value_json(&out, &rep.customers).map_err(|e| format!("writing the JSON: {e}"))?;
        use std::io::Write;
        let mut w = std::io::stdout().lock();
        bytes.iter().try_for_each(|b| w.write_all(b)).and_then(|_| w.flush()).map_err(|e| format!("writing the JSON: {e}"))?;
        std::mem::forget(bytes);
        phase("json");
    } else {
        println!("as of {}, unit {}, {} customers, {} order lines", args.as_of, p.unit.as_str(), customers.len(), orders.len());
        for s in &rep.abc.classes {
            println!(
                "ABC {}: {} customers ({:.1} %), {:.1} % of the metric",
                s.class.as_str(),
                s.count,
                100.0 * s.customer_share,
                100.0 * s.metric_share
            );
        }
        print_fits(&rep.bgnbd, Some(&rep.gamma_gamma));
    }
    // The process ends right after this: the operating system takes the memory back at
    // once, where dropping these would free a few million allocations one by one (about
    // half a second at 100k customers and 1M lines).
    std::mem::forget(rep);
    std::mem::forget(customers);
    std::mem::forget(orders);
    Ok(())
}

fn print_fits(bg: &Result<BgNbdFit, FitError>, gg: Option<&Result<GammaGammaFit, FitError>>) {
    match bg {
        Ok(f) => {
            let p = f.params;
            let se = |v: Option<f64>| v.map(|s| format!("{s:.6}")).unwrap_or_else(|| "n/a".into());
            let s = f.std_errors;
            println!(
                "BG/NBD: r = {:.6} (se {}), alpha = {:.6} (se {}), a = {:.6} (se {}), b = {:.6} (se {})",
                p.r,
                se(s.map(|s| s.r)),
                p.alpha,
                se(s.map(|s| s.alpha)),
                p.a,
                se(s.map(|s| s.a)),
                p.b,
                se(s.map(|s| s.b))
            );
            println!(
                "  log-likelihood {:.4}; {} customers, {} repeat buyers, {} distinct rows; converged in {} iterations ({} evaluations, gradient {:.1e})",
                f.log_likelihood, f.customers, f.repeat_buyers, f.groups, f.iterations, f.evaluations, f.gradient_norm
            );
        }
        Err(e) => println!("BG/NBD: not fitted: {e}"),
    }
    match gg {
        Some(Ok(f)) => {
            let p = f.params;
            let s = f.std_errors;
            let se = |v: Option<f64>| v.map(|s| format!("{s:.6}")).unwrap_or_else(|| "n/a".into());
            println!(
                "Gamma-Gamma: p = {:.6} (se {}), q = {:.6} (se {}), v = {:.6} (se {})",
                p.p,
                se(s.map(|s| s.p)),
                p.q,
                se(s.map(|s| s.q)),
                p.gamma,
                se(s.map(|s| s.gamma))
            );
            println!("  log-likelihood {:.4}; {} repeat buyers; converged in {} iterations", f.log_likelihood, f.customers, f.iterations);
        }
        Some(Err(e)) => println!("Gamma-Gamma: not fitted: {e}"),
        None => {}
    }
}

/// Runs `fit`; errors are printed and give exit code 2.
pub fn run_fit(args: &FitArgs) -> ExitCode {
    match fit(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn fit(args: &FitArgs) -> Result<(), String> {
    let path = &args.summary;
    let mut r = reader(path)?;
    let headers = r.headers().map_err(|e| format!("{}: {e}", path.display()))?.clone();
    let (c_x, c_tx, c_t) = (need(&headers, "frequency", path)?, need(&headers, "recency", path)?, need(&headers, "T", path)?);
    let c_m = column(&headers, "monetary_value");
    let mut rows = Vec::new();
    let mut spend = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| format!("{}: row {row}: {e}", path.display()))?;
        let x = number(&rec, c_x, "frequency", row, path)?;
        if x < 0.0 || x.fract() != 0.0 || x > f64::from(u32::MAX) {
            return Err(format!("{}: row {row}, column frequency: {x} is not a whole number of repeat purchases", path.display()));
        }
        let x = x as u32;
        rows.push(SummaryRow { x, t_x: number(&rec, c_tx, "recency", row, path)?, t: number(&rec, c_t, "T", row, path)? });
        if let Some(c) = c_m {
            spend.push(SpendRow { x, m: number(&rec, c, "monetary_value", row, path)? });
        }
    }
    let bg = bgnbd::fit(&rows, &BgNbdFitParams::default().check().map_err(|e| e.to_string())?);
    let gg_params = GammaGammaFitParams::default().check().map_err(|e| e.to_string())?;
    let gg = c_m.map(|_| gamma_gamma::fit(&spend, &gg_params));
    if args.json {
        if let Err(e) = &bg {
            eprintln!("BG/NBD: {e}");
        }
        if let Some(Err(e)) = &gg {
            eprintln!("Gamma-Gamma: {e}");
        }
        let out = json!({
            "bgnbd": bgnbd_json(&bg),
            "gamma_gamma": gg.as_ref().map_or(Value::Null, gamma_gamma_json),
        });
        println!("{out}");
    } else {
        print_fits(&bg, gg.as_ref());
    }
    Ok(())
}
