//! The `csi` and `pls` subcommands of `clientscope-cli`: read a survey tree or a path model
//! as JSON and the answers as CSV, run the core's satisfaction analyses, print JSON.
//!
//! - `csi --survey SURVEY.json --responses FILE.csv --json`. SURVEY.json is the indicator
//!   tree: a node is `{"id", "label", "weight", "children": [...]}`, a leaf is `{"id",
//!   "label", "weight", "column", "scale"}` with `scale` one of `"likert5"` (1-5 or the
//!   five words 满意…不满意), `"1-10"`, `"0-10"`; optional top-level `"recommend_column"`
//!   (0-10) for NPS. Prints `{"csi", "satisfaction_rate", "nps", "nodes": {ID: {"score",
//!   "n", "ci_low", "ci_high"}}}`; intervals are percentile bootstrap over respondents.
//! - `pls --model MODEL.json --data FILE.csv [--scheme centroid|factorial|path] [--scaled]
//!   --json`. MODEL.json is `{"blocks": {NAME: [col, ...]}, "modes": {NAME: "A"|"B"},
//!   "paths": [[FROM, TO], ...]}` with an optional `"scale": [min, max]` for the 0-100
//!   indices. Prints `{"paths": {"FROM->TO": coef}, "r2": {NAME: v}, "outer_weights":
//!   {NAME: {item: w}}, "loadings": {NAME: {item: l}}, "gof": v, "index": {NAME: 0-100}}`.
//!
//! Cells that cannot be read are reported on stderr and treated as missing.

use clientscope_core::model::{IndicatorNode, Scale};
use clientscope_core::satisfaction::csi::{self, CsiParams, ScoredItems};
use clientscope_core::satisfaction::nps;
use clientscope_core::satisfaction::pls::{self, Mode, PlsBlock, PlsModel, PlsParams, Scheme};
use clientscope_core::satisfaction::scale::{self, Answer};
use clientscope_core::satisfaction::ItemTable;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Inner weighting scheme on the command line.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SchemeArg {
    /// Sign of the correlation.
    Centroid,
    /// The correlation.
    Factorial,
    /// Regression on predecessors, correlation with successors.
    Path,
}

impl From<SchemeArg> for Scheme {
    fn from(s: SchemeArg) -> Self {
        match s {
            SchemeArg::Centroid => Scheme::Centroid,
            SchemeArg::Factorial => Scheme::Factorial,
            SchemeArg::Path => Scheme::Path,
        }
    }
}

#[derive(Debug, Deserialize)]
struct SurveyNode {
    id: String,
    #[serde(default)]
    label: String,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    children: Vec<SurveyNode>,
    column: Option<String>,
    scale: Option<String>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
struct SurveyFile {
    #[serde(flatten)]
    root: SurveyNode,
    recommend_column: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ModelFile {
    blocks: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    modes: BTreeMap<String, String>,
    paths: Vec<(String, String)>,
    scale: Option<(f64, f64)>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Header and rows of a CSV file (UTF-8, a BOM is skipped).
fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let err = |e: csv::Error| format!("{}: {e}", path.display());
    let mut r = csv::ReaderBuilder::new().flexible(true).from_path(path).map_err(err)?;
    let header: Vec<String> = r.headers().map_err(err)?.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect();
    let mut rows = Vec::new();
    for rec in r.records() {
        rows.push(rec.map_err(err)?.iter().map(str::to_string).collect());
    }
    Ok((header, rows))
}

fn column(header: &[String], name: &str, file: &Path) -> Result<usize, String> {
    header.iter().position(|h| h == name).ok_or_else(|| format!("{}: no column {name:?}", file.display()))
}

fn parse_scale(s: Option<&str>, id: &str) -> Result<Scale, String> {
    match s.map(str::trim) {
        Some("likert5") | None => Ok(Scale::Likert5),
        Some("1-10") => Ok(Scale::OneToTen),
        Some("0-10") => Ok(Scale::ZeroToTen),
        Some(other) => Err(format!("leaf {id:?}: unknown scale {other:?} (likert5, 1-10 or 0-10)")),
    }
}

/// Converts the survey file's tree, collecting (leaf id, column, scale) of every leaf.
fn to_tree(n: &SurveyNode, leaves: &mut Vec<(String, String, Scale)>) -> Result<IndicatorNode, String> {
    let mut children = Vec::with_capacity(n.children.len());
    if n.children.is_empty() {
        let col = n.column.clone().ok_or_else(|| format!("leaf {:?} has no \"column\"", n.id))?;
        leaves.push((n.id.clone(), col, parse_scale(n.scale.as_deref(), &n.id)?));
    }
    for c in &n.children {
        children.push(to_tree(c, leaves)?);
    }
    Ok(IndicatorNode { id: n.id.clone(), label: n.label.clone(), weight: n.weight, children })
}

/// `csi`: weighted-average CSI, satisfaction rate, NPS and per-node intervals.
pub fn run_csi(survey: &Path, responses: &Path, as_json: bool, resamples: usize, seed: u64) -> Result<ExitCode, String> {
    let file: SurveyFile = read_json(survey)?;
    let mut leaves = Vec::new();
    let tree = to_tree(&file.root, &mut leaves)?;
    let (header, rows) = read_csv(responses)?;
    let cols: Vec<usize> = leaves.iter().map(|(_, c, _)| column(&header, c, responses)).collect::<Result<_, _>>()?;
    let mut bad = 0usize;
    let answers: Vec<Vec<Answer>> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            leaves
                .iter()
                .zip(&cols)
                .map(|((id, _, sc), &c)| {
                    scale::parse_answer(*sc, row.get(c).map_or("", String::as_str)).unwrap_or_else(|e| {
                        bad += 1;
                        eprintln!("row {}, {id}: {e} (treated as missing)", r + 2);
                        Answer::Missing
                    })
                })
                .collect()
        })
        .collect();
    let leaf_scales: Vec<(String, Scale)> = leaves.iter().map(|(id, _, s)| (id.clone(), *s)).collect();
    let (items, issues) = ScoredItems::from_answers(&leaf_scales, &answers);
    for i in &issues {
        eprintln!("row {}, {}: {} (treated as missing)", i.row + 2, i.leaf, i.reason);
    }
    let params = CsiParams { resamples, seed, ..CsiParams::default() }.check().map_err(|e| e.to_string())?;
    let report = csi::csi(&tree, &items, &params).map_err(|e| e.to_string())?;
    for f in &report.flags {
        eprintln!("note: {}", serde_json::to_string(f).unwrap_or_default());
    }

    let nps_value = match &file.recommend_column {
        None => None,
        Some(name) => {
            let c = column(&header, name, responses)?;
            let mut scores = Vec::new();
            for (r, row) in rows.iter().enumerate() {
                let cell = row.get(c).map_or("", |s| s.trim());
                if cell.is_empty() {
                    continue;
                }
                match cell.parse::<u8>() {
                    Ok(v) if v <= 10 => scores.push(v),
                    _ => eprintln!("row {}, {name}: {cell:?} is not 0-10 (ignored)", r + 2),
                }
            }
            nps::nps(&scores).ok().map(|n| n.nps)
        }
    };

    if as_json {
        let mut nodes = Map::new();
        for n in &report.nodes {
            nodes.insert(n.id.clone(), json!({"score": n.score, "n": n.n, "ci_low": n.ci_low, "ci_high": n.ci_high}));
        }
        let out = json!({"csi": report.csi, "satisfaction_rate": report.satisfaction_rate, "nps": nps_value, "nodes": nodes});
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!("CSI {:.2}  satisfaction rate {:.1} %  respondents {}", report.csi, report.satisfaction_rate, report.respondents);
        if let Some(v) = nps_value {
            println!("NPS {v:.1}");
        }
        for n in &report.nodes {
            let score = n.score.map_or("-".to_string(), |v| format!("{v:.2}"));
            let ci = match (n.ci_low, n.ci_high) {
                (Some(a), Some(b)) => format!("[{a:.2}, {b:.2}]"),
                _ => String::new(),
            };
            println!("{}{} {}  {score}  n={} {ci}", "  ".repeat(n.depth), n.id, n.label, n.n);
        }
        println!("{}", csi::MISSING_RULE_EN);
    }
    Ok(ExitCode::SUCCESS)
}

/// `pls`: PLS path model with paths, R², weights, loadings, GoF and 0-100 indices.
pub fn run_pls(
    model: &Path,
    data: &Path,
    scheme: Scheme,
    scaled: bool,
    as_json: bool,
    resamples: usize,
    seed: u64,
) -> Result<ExitCode, String> {
    let spec: ModelFile = read_json(model)?;
    let mut blocks = Vec::with_capacity(spec.blocks.len());
    for (name, items) in &spec.blocks {
        let mode = match spec.modes.get(name).map(|s| s.trim()) {
            None | Some("A") | Some("a") => Mode::A,
            Some("B") | Some("b") => Mode::B,
            Some(other) => return Err(format!("{}: mode {other:?} of {name:?} is not \"A\" or \"B\"", model.display())),
        };
        blocks.push(PlsBlock { name: name.clone(), items: items.clone(), mode });
    }
    let pls_model = PlsModel { blocks, paths: spec.paths.clone() };

    // Only the model's columns are read as numbers; other columns may hold text.
    let (header, rows) = read_csv(data)?;
    let used: Vec<&String> = spec.blocks.values().flatten().collect();
    let idx: Vec<usize> = used.iter().map(|c| column(&header, c, data)).collect::<Result<_, _>>()?;
    let mut bad = 0usize;
    let table_rows: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|row| {
            idx.iter()
                .map(|&c| {
                    let cell = row.get(c).map_or("", |s| s.trim());
                    if cell.is_empty() {
                        return None;
                    }
                    let v = cell.parse::<f64>().ok().filter(|v| v.is_finite());
                    if v.is_none() {
                        bad += 1;
                    }
                    v
                })
                .collect()
        })
        .collect();
    if bad > 0 {
        eprintln!("{}: {bad} cells are not numbers (treated as missing)", data.display());
    }
    let table = ItemTable::new(used.iter().map(|s| s.to_string()).collect(), table_rows).map_err(|e| e.to_string())?;
    let valid = pls_model.check(&table).map_err(|e| e.to_string())?;
    let params = PlsParams { scheme, scaled, resamples, seed, index_scale: spec.scale, ..PlsParams::default() }
        .check()
        .map_err(|e| e.to_string())?;
    let report = pls::fit(&valid, &table, &params, &mut |done, total| {
        if done % 100 == 0 || done == total {
            eprint!("\rbootstrap {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    })
    .map_err(|e| e.to_string())?;
    if !report.converged {
        eprintln!("warning: the PLS iteration did not converge in {} rounds", report.iterations);
    }
    if report.dropped > 0 {
        eprintln!("note: {} respondents with missing answers were left out", report.dropped);
    }

    if as_json {
        let mut paths = Map::new();
        let mut boot = Map::new();
        for p in &report.paths {
            paths.insert(format!("{}->{}", p.from, p.to), json!(p.coefficient));
            if let Some(b) = p.bootstrap {
                boot.insert(
                    format!("{}->{}", p.from, p.to),
                    json!({"mean": b.mean, "se": b.se, "ci_low": b.ci_low, "ci_high": b.ci_high, "t": b.t}),
                );
            }
        }
        let mut r2 = Map::new();
        let mut index = Map::new();
        for l in &report.latent {
            if let Some(v) = l.r2 {
                r2.insert(l.name.clone(), json!(v));
            }
            index.insert(l.name.clone(), json!(l.index));
        }
        let mut weights: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
        let mut loadings: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
        for o in &report.outer {
            weights.entry(&o.latent).or_default().insert(o.item.clone(), json!(o.weight));
            loadings.entry(&o.latent).or_default().insert(o.item.clone(), json!(o.loading));
        }
        let mut out = json!({"paths": paths, "r2": r2, "outer_weights": weights, "loadings": loadings, "gof": report.gof, "index": index});
        if resamples > 0 {
            if let Some(obj) = out.as_object_mut() {
                obj.insert("bootstrap".into(), Value::Object(boot));
            }
        }
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!("PLS path model: n = {}, {} rounds, converged: {}, GoF {:.4}", report.n, report.iterations, report.converged, report.gof);
        for p in &report.paths {
            let b = p.bootstrap.map_or(String::new(), |b| format!("  se {:.4}  [{:.4}, {:.4}]", b.se, b.ci_low, b.ci_high));
            println!("{:>8} -> {:<8} {:>8.4}{b}", p.from, p.to, p.coefficient);
        }
        for l in &report.latent {
            let r2 = l.r2.map_or("-".to_string(), |v| format!("{v:.4}"));
            let idx = l.index.map_or("-".to_string(), |v| format!("{v:.1}"));
            println!("{:<8} R² {r2}  AVE {:.3}  CR {:.3}  index {idx}", l.name, l.ave, l.composite_reliability);
        }
    }
    Ok(ExitCode::SUCCESS)
}
