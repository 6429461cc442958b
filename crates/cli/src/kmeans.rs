//! `clientscope-cli kmeans`: k-means on chosen numeric columns of a CSV file.
//!
//! `kmeans --data FILE.csv --columns a,b,c --k K [--seed S] [--restarts N] [--standardize] --json`
//! prints `{"labels": [...], "centroids": [[...]], "inertia": v, "silhouette": v}`: labels
//! in the row order of the file (`null` for a row with an empty or non-numeric cell in a
//! chosen column, which is excluded from the clustering), centroids and inertia in the
//! space the clustering ran in (z-scores with `--standardize`), silhouette `null` when
//! undefined. The computation is `clientscope_core::segment::kmeans::fit`; see its docs.
//! Without `--json` a short text summary is printed instead.

use clientscope_core::segment::kmeans::{self, KMeansData, KMeansParams, Scaling};
use std::path::{Path, PathBuf};

/// Arguments of the `kmeans` subcommand.
#[derive(Debug, clap::Args)]
pub struct KMeansArgs {
    /// CSV file with a header row.
    #[arg(long)]
    pub data: PathBuf,
    /// Comma-separated names of the numeric columns to cluster on.
    #[arg(long, value_delimiter = ',', required = true)]
    pub columns: Vec<String>,
    /// Number of clusters.
    #[arg(long)]
    pub k: usize,
    /// Random seed of the k-means++ seeding.
    #[arg(long, default_value_t = KMeansParams::default().seed)]
    pub seed: u64,
    /// Number of k-means++ restarts (the lowest inertia wins).
    #[arg(long, default_value_t = KMeansParams::default().restarts)]
    pub restarts: usize,
    /// Standardize the columns (z-scores, population sd) before clustering.
    #[arg(long)]
    pub standardize: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Reads the columns, fits, prints. Errors are messages for stderr.
pub fn run(args: &KMeansArgs) -> Result<(), String> {
    let data = read(&args.data, &args.columns)?;
    let params = KMeansParams {
        k: args.k,
        seed: args.seed,
        restarts: args.restarts,
        scaling: if args.standardize { Scaling::Standardize } else { Scaling::Raw },
        ..KMeansParams::default()
    }
    .check()
    .map_err(|e| e.to_string())?;
    let report = kmeans::fit(&data, &params).map_err(|e| e.to_string())?;
    if args.json {
        let out = serde_json::json!({
            "labels": report.labels,
            "centroids": report.centroids,
            "inertia": report.inertia,
            "silhouette": report.silhouette,
        });
        println!("{out}");
    } else {
        let scaling = if args.standardize { "standardized (z-scores, population sd)" } else { "raw" };
        println!("k-means, k = {}, {scaling}, seed {}, {} restarts", args.k, args.seed, args.restarts);
        println!("rows used {}, excluded (missing values) {}", report.used_rows, report.excluded_rows.len());
        println!("inertia {}", report.inertia);
        match report.silhouette {
            Some(s) => println!("silhouette {s}{}", if report.silhouette_sampled { format!(" (sample of {} rows)", report.silhouette_rows) } else { String::new() }),
            None => println!("silhouette undefined"),
        }
        for (j, c) in report.centroids.iter().enumerate() {
            let size = report.labels.iter().filter(|l| **l == Some(j)).count();
            println!("cluster {j}: {size} rows, centroid {c:?}");
        }
    }
    Ok(())
}

fn read(path: &Path, columns: &[String]) -> Result<KMeansData, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = reader.headers().map_err(|e| format!("{}: {e}", path.display()))?.clone();
    let mut index = Vec::with_capacity(columns.len());
    for c in columns {
        let name = c.trim();
        match headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}') == name) {
            Some(i) => index.push(i),
            None => return Err(format!("{}: no column {name:?} (columns: {})", path.display(), headers.iter().collect::<Vec<_>>().join(", "))),
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        rows.push(index.iter().map(|&i| record.get(i).and_then(|v| v.trim().parse::<f64>().ok())).collect());
    }
    KMeansData::new(columns.iter().map(|c| c.trim().to_string()).collect(), rows).map_err(|e| e.to_string())
}
