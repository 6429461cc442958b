//! `clientscope-cli`: the native command-line front end of the core.
//!
//! - `demo --out DIR [--seed N] [--end YYYY-MM-DD]` writes the seeded demo data set as a
//!   backup (`clientscope-demo-backup.json`) and as `customers.csv` / `orders.csv`.
//! - `check-backup FILE [--lang zh|en]` reads a backup exactly as the app's import does and
//!   prints its header and every problem; the exit code is 1 when there is any problem.
//! - `csi` and `pls`: customer satisfaction (CSI, PLS path model); see `satisfaction.rs`.
//! - `value` and `fit`: customer value analysis and BG/NBD / Gamma-Gamma fits; see `value.rs`.
//! - `visits-ics`: planned visits as an iCalendar file for a phone; see `visits_ics.rs`.
//! - `calendar`, `sla`, `complaints`: the working calendar, business-hour deadlines and the
//!   complaint analysis of an audit trail; see `service.rs`.
//!
//! Its own crate (`crates/cli`), depending on the core only, so it is built for speed
//! (opt-level 3) while the app is built for size.

fn main() -> std::process::ExitCode {
    native::main()
}

mod satisfaction;

mod import_check;

mod kmeans;

mod value;

mod visits_ics;

mod service;

mod native {
    use chrono::NaiveDate;
    use clap::{Parser, Subcommand, ValueEnum};
    use clientscope_core::backup::{self, BackupError};
    use clientscope_core::demo::{self, DemoParams};
    use clientscope_core::model::{Dataset, Language, Settings};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;

    /// Clientscope 客户洞察 — command-line tools for the data files of the app.
    #[derive(Debug, Parser)]
    #[command(name = "clientscope-cli", version, about)]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Debug, Subcommand)]
    enum Command {
        /// Write the demo data set: a backup file plus customers.csv and orders.csv.
        Demo {
            /// Output folder (created if missing).
            #[arg(long)]
            out: PathBuf,
            /// Random seed.
            #[arg(long, default_value_t = DemoParams::default().seed)]
            seed: u64,
            /// Last day of the data (YYYY-MM-DD).
            #[arg(long, default_value_t = DemoParams::default().end)]
            end: NaiveDate,
            /// A large benchmark set instead of the demo: this many customers (plain
            /// records, for speed tests), with `--orders` order lines.
            #[arg(long, requires = "orders")]
            customers: Option<usize>,
            /// Order lines of the large set (with `--customers`).
            #[arg(long, requires = "customers")]
            orders: Option<usize>,
        },
        /// Check a CSV/TSV/Excel file as the import wizard would (exit code 1 on rejected rows).
        ImportCheck {
            /// What the file holds: customers, orders, contacts, responses or complaints.
            #[arg(long)]
            kind: String,
            /// The file.
            file: PathBuf,
            /// Print the report as JSON.
            #[arg(long)]
            json: bool,
            /// Language of the reasons.
            #[arg(long, value_enum, default_value_t = Lang::Zh)]
            lang: Lang,
        },
        /// k-means on numeric CSV columns (SPEC §4); `--json` prints labels, centroids, inertia, silhouette.
        Kmeans(crate::kmeans::KMeansArgs),
        /// Customer value analysis of an order file (SPEC §3): ABC, RFM, BG/NBD, CLV, stages.
        Value(crate::value::ValueArgs),
        /// Fit BG/NBD (and Gamma-Gamma) to a summary file id,frequency,recency,T[,monetary_value].
        Fit(crate::value::FitArgs),
        /// Planned visits of a backup or a visit-log CSV as an iCalendar file (RFC 5545).
        VisitsIcs(crate::visits_ics::VisitsIcsArgs),
        /// Holidays and make-up working days of a year (built-in mainland-China schedule or a calendar file).
        Calendar(crate::service::CalendarArgs),
        /// The instant at which H business hours have elapsed from a start.
        Sla(crate::service::SlaArgs),
        /// Complaint analysis of an audit-trail CSV as of an instant (SPEC §6).
        Complaints(crate::service::ComplaintsArgs),
        /// Check a backup file as the app's import would; exit code 1 on any problem.
        CheckBackup {
            /// The backup file.
            file: PathBuf,
            /// Language of the messages.
            #[arg(long, value_enum, default_value_t = Lang::Zh)]
            lang: Lang,
        },
        /// Weighted-average CSI, satisfaction rate and NPS of survey answers (SPEC §5).
        Csi {
            /// The indicator tree (JSON; leaves name a CSV column and a scale).
            #[arg(long)]
            survey: PathBuf,
            /// The answers (CSV, one row per respondent).
            #[arg(long)]
            responses: PathBuf,
            /// Print JSON.
            #[arg(long)]
            json: bool,
            /// Bootstrap resamples for the 95 % intervals (0 for none).
            #[arg(long, default_value_t = 1000)]
            resamples: usize,
            /// Bootstrap seed.
            #[arg(long, default_value_t = 1)]
            seed: u64,
        },
        /// PLS path model (ACSI/CCSI): paths, R², weights, loadings, GoF, 0-100 indices.
        Pls {
            /// The model (JSON: blocks, modes, paths).
            #[arg(long)]
            model: PathBuf,
            /// The items (CSV, one row per respondent).
            #[arg(long)]
            data: PathBuf,
            /// Inner weighting scheme.
            #[arg(long, value_enum, default_value_t = crate::satisfaction::SchemeArg::Centroid)]
            scheme: crate::satisfaction::SchemeArg,
            /// Standardize the items (otherwise only centre them).
            #[arg(long)]
            scaled: bool,
            /// Print JSON.
            #[arg(long)]
            json: bool,
            /// Bootstrap resamples for the paths (0 for none).
            #[arg(long, default_value_t = 0)]
            bootstrap: usize,
            /// Bootstrap seed.
            #[arg(long, default_value_t = 1)]
            seed: u64,
        },
    }

    #[derive(Debug, Clone, Copy, ValueEnum)]
    enum Lang {
        /// 简体中文
        Zh,
        /// English
        En,
    }

    impl From<Lang> for Language {
        fn from(l: Lang) -> Self {
            match l {
                Lang::Zh => Language::ZhCn,
                Lang::En => Language::En,
            }
        }
    }

    /// A failure of the command itself (not a finding about the data).
    #[derive(Debug)]
    enum CliError {
        Io { path: PathBuf, source: std::io::Error },
        Csv { path: PathBuf, source: csv::Error },
        Backup(String),
    }

    impl std::fmt::Display for CliError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            match self {
                CliError::Io { path, source } => write!(f, "{}: {source}", path.display()),
                CliError::Csv { path, source } => write!(f, "{}: {source}", path.display()),
                CliError::Backup(message) => f.write_str(message),
            }
        }
    }

    /// The exit code of a command, or its message on stderr with exit code 2.
    fn finish(r: Result<ExitCode, String>) -> ExitCode {
        r.unwrap_or_else(|e| {
            eprintln!("error: {e}");
            ExitCode::from(2)
        })
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Demo { out, seed, end, customers, orders } => run_demo(&out, seed, end, customers.zip(orders)),
            Command::CheckBackup { file, lang } => run_check(&file, lang.into()),
            Command::Value(args) => return crate::value::run_value(&args),
            Command::VisitsIcs(args) => match crate::visits_ics::run(&args) {
                Ok(code) => return code,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            },
            Command::Fit(args) => return crate::value::run_fit(&args),
            Command::Calendar(args) => return finish(crate::service::run_calendar(&args)),
            Command::Sla(args) => return finish(crate::service::run_sla(&args)),
            Command::Complaints(args) => return finish(crate::service::run_complaints(&args)),
            Command::Kmeans(args) => match crate::kmeans::run(&args) {
                Ok(()) => return ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            },
            Command::ImportCheck { kind, file, json, lang } => match crate::import_check::run(&kind, &file, json, lang.into()) {
                Ok(code) => return code,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            },
            Command::Csi { survey, responses, json, resamples, seed } => match crate::satisfaction::run_csi(&survey, &responses, json, resamples, seed) {
                Ok(code) => return code,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            },
            Command::Pls { model, data, scheme, scaled, json, bootstrap, seed } => {
                match crate::satisfaction::run_pls(&model, &data, scheme.into(), scaled, json, bootstrap, seed) {
                    Ok(code) => return code,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::from(2);
                    }
                }
            }
        };
        match result {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        }
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
        move |source| CliError::Io { path: path.to_path_buf(), source }
    }

    fn run_demo(out: &Path, seed: u64, end: NaiveDate, large: Option<(usize, usize)>) -> Result<ExitCode, CliError> {
        std::fs::create_dir_all(out).map_err(io(out))?;
        let data = match large {
            Some((customers, orders)) => demo::generate_large(seed, customers, orders, end),
            None => demo::generate(&DemoParams { seed, end, ..DemoParams::default() }),
        };
        // A fixed export time keeps the file reproducible: same seed and end, same bytes.
        let exported_at = end.and_hms_opt(18, 0, 0).unwrap_or_default().and_utc();
        let text = backup::export(&data, &Settings::default(), env!("CARGO_PKG_VERSION"), exported_at)
            .map_err(|e| CliError::Backup(e.message(Language::En)))?;
        let backup_path = out.join("clientscope-demo-backup.json");
        std::fs::write(&backup_path, text).map_err(io(&backup_path))?;
        let customers_path = out.join("customers.csv");
        write_customers(&customers_path, &data).map_err(|source| CliError::Csv { path: customers_path.clone(), source })?;
        let orders_path = out.join("orders.csv");
        write_orders(&orders_path, &data).map_err(|source| CliError::Csv { path: orders_path.clone(), source })?;
        let c = data.counts();
        println!("wrote {}, customers.csv and orders.csv to {}", backup_path.display(), out.display());
        println!(
            "customers {}, contacts {}, orders {}, interactions {}, complaints {}, surveys {}, responses {}",
            c.customers, c.contacts, c.orders, c.interactions, c.complaints, c.surveys, c.responses
        );
        Ok(ExitCode::SUCCESS)
    }

    /// The serde name of an enum value (`end_customer`, `east`…), for CSV cells.
    fn code<T: serde::Serialize>(value: &T) -> String {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        }
    }

    fn write_customers(path: &Path, data: &Dataset) -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(["id", "code", "name", "kind", "industry", "region", "province", "city", "owner", "credit_rating", "status", "since"])?;
        for c in &data.customers {
            w.write_record([
                c.id.as_str(),
                &c.code,
                &c.name,
                &code(&c.kind),
                &c.industry,
                &c.region.map(|r| code(&r)).unwrap_or_default(),
                &c.province,
                &c.city,
                &c.owner,
                c.credit_rating.map(|r| r.as_str()).unwrap_or_default(),
                &code(&c.status),
                &c.since.map(|d| d.to_string()).unwrap_or_default(),
            ])?;
        }
        w.flush()?;
        Ok(())
    }

    fn write_orders(path: &Path, data: &Dataset) -> Result<(), csv::Error> {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(["customer_id", "date", "amount", "profit", "order_no", "product", "category", "quantity", "channel"])?;
        for o in &data.orders {
            w.write_record([
                o.customer_id.as_str(),
                &o.date.to_string(),
                &o.amount.to_string(),
                &o.profit.map(|p| p.to_string()).unwrap_or_default(),
                &o.order_no,
                &o.product,
                &o.category,
                &o.quantity.map(|q| q.to_string()).unwrap_or_default(),
                &o.channel,
            ])?;
        }
        w.flush()?;
        Ok(())
    }

    fn run_check(file: &Path, lang: Language) -> Result<ExitCode, CliError> {
        let zh = lang == Language::ZhCn;
        // The size first (a file over the limit is not read at all), then the bytes:
        // UTF-8 with or without a byte-order mark, or UTF-16 with its mark.
        let size = std::fs::metadata(file).map_err(io(file))?.len();
        let parsed = match backup::check_size(size) {
            Ok(()) => backup::parse_bytes(&std::fs::read(file).map_err(io(file))?),
            Err(e) => Err(e),
        };
        match parsed {
            Ok(b) => {
                let h = &b.header;
                let c = h.counts;
                if zh {
                    println!("{}：备份有效", file.display());
                    println!("格式 {} 版本 {}（数据结构版本 {}），应用版本 {}，导出时间 {}", h.format, h.format_version, h.schema_version, h.app_version, h.exported_at.to_rfc3339());
                    println!(
                        "客户 {}，联系人 {}，交易 {}，接触记录 {}，投诉 {}，调查 {}，答卷 {}",
                        c.customers, c.contacts, c.orders, c.interactions, c.complaints, c.surveys, c.responses
                    );
                    println!("校验和 {}", h.checksum);
                } else {
                    println!("{}: valid backup", file.display());
                    println!("format {} version {} (schema {}), app {}, exported {}", h.format, h.format_version, h.schema_version, h.app_version, h.exported_at.to_rfc3339());
                    println!(
                        "customers {}, contacts {}, orders {}, interactions {}, complaints {}, surveys {}, responses {}",
                        c.customers, c.contacts, c.orders, c.interactions, c.complaints, c.surveys, c.responses
                    );
                    println!("checksum {}", h.checksum);
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(BackupError::Invalid(problems)) => {
                if zh {
                    println!("{}：备份数据有 {} 个问题：", file.display(), problems.len());
                } else {
                    println!("{}: the backup data has {} problems:", file.display(), problems.len());
                }
                for p in &problems {
                    println!("{}", p.message(lang));
                }
                Ok(ExitCode::FAILURE)
            }
            Err(e) => {
                println!("{}: {}", file.display(), e.message(lang));
                Ok(ExitCode::FAILURE)
            }
        }
    }
}
