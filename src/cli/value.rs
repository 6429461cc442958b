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
use clientscope_core::orders::{LineParts, OrderTable};
use clientscope_core::value::bgnbd::{self, BgNbdFit, BgNbdFitParams, SummaryRow};
use clientscope_core::value::gamma_gamma::{self, GammaGammaFit, GammaGammaFitParams, SpendRow};
use clientscope_core::value::{analyse_table, FitError, Metric, TimeUnit, ValueParams};
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

/// A `YYYY-MM-DD` date as days from the common era, read from the bytes without chrono's
/// format parser (the hot path of reading a million lines).
fn parse_day(b: &[u8]) -> Option<i32> {
    use chrono::Datelike;
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| s.iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')));
    let date = chrono::NaiveDate::from_ymd_opt(num(&b[0..4])? as i32, num(&b[5..7])?, num(&b[8..10])?)?;
    Some(date.num_days_from_ce())
}

fn text<'b>(b: &'b [u8], row: usize, name: &str, path: &Path) -> Result<&'b str, String> {
    std::str::from_utf8(b).map_err(|_| format!("{}: row {row}, column {name}: not UTF-8 text", path.display()))
}

/// Reads the order CSV straight into the columnar table: no row structs, one dictionary
/// lookup per line for the customer and the order number.
fn read_orders(path: &Path) -> Result<OrderTable, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut r = csv::ReaderBuilder::new().trim(csv::Trim::All).buffer_capacity(1 << 20).from_reader(file);
    let headers = r.headers().map_err(|e| format!("{}: {e}", path.display()))?.clone();
    let (c_id, c_date, c_amount) = (need(&headers, "customer_id", path)?, need(&headers, "date", path)?, need(&headers, "amount", path)?);
    let c_profit = column(&headers, "profit");
    let c_order = column(&headers, "order_no");
    let mut table = OrderTable::with_capacity(1 << 16);
    let mut rec = csv::ByteRecord::new();
    let mut row = 1; // 1-based; the header is row 1
    let mut id = String::new();
    loop {
        match r.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(format!("{}: row {}: {e}", path.display(), row + 1)),
        }
        row += 1;
        let customer = text(rec.get(c_id).unwrap_or(b""), row, "customer_id", path)?;
        if customer.is_empty() {
            return Err(format!("{}: row {row}: customer_id is empty", path.display()));
        }
        let date_cell = rec.get(c_date).unwrap_or(b"");
        let day = parse_day(date_cell).ok_or_else(|| format!("{}: row {row}, column date: \"{}\" is not a YYYY-MM-DD date", path.display(), String::from_utf8_lossy(date_cell)))?;
        let number = |col: usize, name: &str| -> Result<f64, String> {
            let cell = rec.get(col).unwrap_or(b"");
            match std::str::from_utf8(cell).ok().and_then(|s| s.parse::<f64>().ok()) {
                Some(v) if v.is_finite() => Ok(v),
                _ => Err(format!("{}: row {row}, column {name}: \"{}\" is not a number", path.display(), String::from_utf8_lossy(cell))),
            }
        };
        let amount = number(c_amount, "amount")?;
        let profit = match c_profit.filter(|&c| !rec.get(c).unwrap_or(b"").is_empty()) {
            Some(c) => Some(number(c, "profit")?),
            None => None,
        };
        let order_no = match c_order {
            Some(c) => text(rec.get(c).unwrap_or(b""), row, "order_no", path)?,
            None => "",
        };
        id.clear();
        use std::fmt::Write;
        let _ = write!(id, "L{row}");
        let customer = table.customers.intern(customer);
        table.push_parts(LineParts { id: &id, customer, day, amount, profit, quantity: None, order_no, product: "", category: "", channel: "", created_ns: 0, updated_ns: 0 });
    }
    Ok(table)
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
    let orders = read_orders(&args.orders)?;
    phase("read");
    let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let customers: Vec<Customer> = orders.customers.values().iter().map(|id| Customer::new(id.clone(), id.clone(), at)).collect();
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
    let rep = analyse_table(&customers, &orders, &params).map_err(|e| e.to_string())?;
    phase("analysis");
    if let Err(e) = &rep.bgnbd {
        eprintln!("BG/NBD: {e}");
    }
    if let Err(e) = &rep.gamma_gamma {
        eprintln!("Gamma-Gamma: {e}");
    }
    if args.json {
        let customers: Vec<CustomerOut> = rep
            .customers
            .iter()
            .map(|c| {
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
            })
            .collect();
        let out = ValueOut { as_of: args.as_of.to_string(), unit: p.unit.as_str(), bgnbd: bgnbd_json(&rep.bgnbd), gamma_gamma: gamma_gamma_json(&rep.gamma_gamma), customers };
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
        serde_json::to_writer(&mut w, &out).map_err(|e| format!("writing the JSON: {e}"))?;
        use std::io::Write;
        writeln!(w).and_then(|_| w.flush()).map_err(|e| format!("writing the JSON: {e}"))?;
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
