//! End-to-end tests of `clientscope-cli pls` and `clientscope-cli csi`: the ECSI reference
//! paths of R plspm through the command line, and the SPEC's natural-gas CSI of 73.8.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientscope-cli")).args(args).output().expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn json_of(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "exit {:?}: {}", o.status.code(), String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON on stdout")
}

/// R plspm on the ECSI data, all mode A, centroid, unscaled (tests/data/reference/README.md):
/// IMAG→SAT 0.200724, QUAL→SAT 0.122145, VAL→SAT 0.589331, EXPE→QUAL 0.848344,
/// SAT→LOY 0.495479, R²(SAT) 0.707321, GoF 0.609742. Tolerance 1e-5.
#[test]
fn pls_reproduces_ecsi_reference() {
    let dir = scratch("cli-pls");
    let model = dir.join("model.json");
    let spec = serde_json::json!({
        "blocks": {
            "IMAG": ["imag1", "imag2", "imag3", "imag4", "imag5"],
            "EXPE": ["expe1", "expe2", "expe3", "expe4", "expe5"],
            "QUAL": ["qual1", "qual2", "qual3", "qual4", "qual5"],
            "VAL": ["val1", "val2", "val3", "val4"],
            "SAT": ["sat1", "sat2", "sat3", "sat4"],
            "LOY": ["loy1", "loy2", "loy3", "loy4"]
        },
        "modes": {"IMAG": "A", "EXPE": "A", "QUAL": "A", "VAL": "A", "SAT": "A", "LOY": "A"},
        "paths": [["IMAG", "EXPE"], ["IMAG", "SAT"], ["IMAG", "LOY"], ["EXPE", "QUAL"], ["EXPE", "VAL"],
                  ["EXPE", "SAT"], ["QUAL", "VAL"], ["QUAL", "SAT"], ["VAL", "SAT"], ["SAT", "LOY"]]
    });
    std::fs::write(&model, spec.to_string()).expect("write model");
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/reference/ecsi_satisfaction.csv");
    let out = json_of(&cli(&["pls", "--model", model.to_str().expect("utf-8"), "--data", data, "--scheme", "centroid", "--json"]));
    for (path, want) in
        [("IMAG->SAT", 0.200724), ("QUAL->SAT", 0.122145), ("VAL->SAT", 0.589331), ("EXPE->QUAL", 0.848344), ("SAT->LOY", 0.495479)]
    {
        let got = out["paths"][path].as_f64().unwrap_or(f64::NAN);
        assert!((got - want).abs() < 1e-5, "{path}: {got}");
    }
    assert!((out["r2"]["SAT"].as_f64().unwrap_or(f64::NAN) - 0.707321).abs() < 1e-5);
    assert!((out["gof"].as_f64().unwrap_or(f64::NAN) - 0.609742).abs() < 1e-5);
    assert!(out["outer_weights"]["SAT"]["sat1"].is_f64());
    assert!(out["loadings"]["LOY"]["loy4"].is_f64());
    let idx = out["index"]["SAT"].as_f64().unwrap_or(f64::NAN);
    assert!((0.0..=100.0).contains(&idx), "{idx}");
    // Scaled and the path scheme run too.
    let scaled =
        json_of(&cli(&["pls", "--model", model.to_str().expect("utf-8"), "--data", data, "--scheme", "path", "--scaled", "--json"]));
    assert!(scaled["paths"]["SAT->LOY"].is_f64());
}

/// SPEC §5 natural-gas example: leaf means 80, 60 | 100, 60, 80 | 80, 100, 60 → CSI 73.8
/// (tolerance 1e-9); NPS of 10, 9, 3 = 33.3 (1e-9).
#[test]
fn csi_natural_gas_example() {
    let dir = scratch("cli-csi");
    let survey = dir.join("survey.json");
    let leaf = |id: &str, w: f64| serde_json::json!({"id": id, "label": id, "weight": w, "column": id, "scale": "likert5"});
    let tree = serde_json::json!({
        "id": "csi", "label": "天然气供应", "weight": 1,
        "recommend_column": "rec",
        "children": [
            {"id": "supply", "label": "供气质量", "weight": 0.7, "children": [leaf("pressure", 0.6), leaf("quality", 0.4)]},
            {"id": "repair", "label": "维修质量", "weight": 0.2, "children": [leaf("attitude", 0.2), leaf("timely", 0.4), leaf("result", 0.4)]},
            {"id": "meter", "label": "抄表质量", "weight": 0.1, "children": [leaf("reader", 0.3), leaf("errors", 0.4), leaf("bill", 0.3)]}
        ]
    });
    std::fs::write(&survey, tree.to_string()).expect("write survey");
    // Three respondents whose leaf means are the SPEC's (the middle one answers in words,
    // one cell is empty and therefore excluded).
    let csv = "pressure,quality,attitude,timely,result,reader,errors,bill,rec\n\
               4,3,5,3,4,4,5,3,10\n\
               较满意,一般,满意,一般,较满意,较满意,满意,一般,9\n\
               4,3,5,3,4,,5,3,3\n";
    let responses = dir.join("responses.csv");
    std::fs::write(&responses, csv).expect("write csv");
    let out =
        json_of(&cli(&["csi", "--survey", survey.to_str().expect("utf-8"), "--responses", responses.to_str().expect("utf-8"), "--json"]));
    assert!((out["csi"].as_f64().unwrap_or(f64::NAN) - 73.8).abs() < 1e-9, "{out}");
    assert!((out["nodes"]["supply"]["score"].as_f64().unwrap_or(f64::NAN) - 72.0).abs() < 1e-9);
    assert_eq!(out["nodes"]["reader"]["n"].as_u64(), Some(2));
    assert!((out["nps"].as_f64().unwrap_or(f64::NAN) - 100.0 / 3.0).abs() < 1e-9);
    assert!(out["nodes"]["csi"]["ci_low"].is_f64());
}
