//! End-to-end test of `clientscope-cli kmeans` on the scikit-learn reference data of
//! `crates/core/tests/data/kmeans/` (see the README there).

use std::collections::BTreeMap;
use std::process::{Command, Output};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/kmeans/");

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientscope-cli")).args(args).output().expect("the binary runs")
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "kmeans failed: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn reference(case: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DATA}{case}.json")).expect("reference json")).expect("json")
}

/// True when two labelings are the same partition (labels up to a permutation).
fn same_partition(a: &[u64], b: &[u64]) -> bool {
    let (mut f, mut g) = (BTreeMap::new(), BTreeMap::new());
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| *f.entry(x).or_insert(y) == y && *g.entry(y).or_insert(x) == x)
}

fn u64s(v: &serde_json::Value) -> Vec<u64> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_u64()).collect()).unwrap_or_default()
}

/// Reference: make_blobs' true labels and scikit-learn's inertia and silhouette for the
/// same partition (blobs.json). Labels exact up to permutation; inertia and silhouette
/// 1e-9 relative. Same seed twice: identical output.
#[test]
fn kmeans_recovers_the_blobs_and_matches_scikit_learn() {
    let file = format!("{DATA}blobs.csv");
    let args = ["kmeans", "--data", &file, "--columns", "x,y", "--k", "3", "--seed", "5", "--restarts", "3", "--json"];
    let out = json(&cli(&args));
    let want = reference("blobs");
    let labels = u64s(&out["labels"]);
    assert_eq!(labels.len(), 90);
    assert!(same_partition(&labels, &u64s(&want["true_labels"])));
    let rel = |a: &serde_json::Value, b: &serde_json::Value| {
        let (a, b) = (a.as_f64().unwrap_or(f64::NAN), b.as_f64().unwrap_or(f64::NAN));
        (a - b).abs() / b.abs()
    };
    assert!(rel(&out["inertia"], &want["inertia"]) < 1e-9, "inertia {} vs {}", out["inertia"], want["inertia"]);
    assert!(rel(&out["silhouette"], &want["silhouette"]) < 1e-9);
    assert_eq!(out["centroids"].as_array().map(Vec::len), Some(3));
    let again = json(&cli(&args));
    assert_eq!(out, again);
}

/// Reference: scikit-learn on StandardScaler output (constant_std.json): the constant
/// column's centroid coordinate is 0 in z-space, not NaN.
#[test]
fn kmeans_standardizes_with_a_constant_column() {
    let file = format!("{DATA}constant_std.csv");
    let out = json(&cli(&["kmeans", "--data", &file, "--columns", "a,const,b", "--k", "4", "--standardize", "--json"]));
    let centroids = out["centroids"].as_array().cloned().unwrap_or_default();
    assert_eq!(centroids.len(), 4);
    assert!(centroids.iter().all(|c| c[1].as_f64() == Some(0.0)));
    assert!(out["inertia"].as_f64().is_some_and(f64::is_finite));
}

/// A column that does not exist and a k above the distinct rows are errors (exit 2).
#[test]
fn kmeans_reports_bad_input() {
    let file = format!("{DATA}blobs.csv");
    let out = cli(&["kmeans", "--data", &file, "--columns", "x,nope", "--k", "3", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
    let out = cli(&["kmeans", "--data", &file, "--columns", "x", "--k", "1000", "--json"]);
    assert_eq!(out.status.code(), Some(2));
}
