//! Issue 13, defect 6: Chinese sentences use full-width punctuation (，；：（）！？), never the
//! ASCII marks. The app's i18n tables are checked by the app's own test; this one reads the
//! core's sources (messages, labels, the demo's texts) and fails on an ASCII `,;:()!?` that
//! touches a Chinese character inside a string literal. Test files are left out (their
//! literals are CSV data), as are literals holding `\n` (file contents) or English words
//! (bilingual labels such as "(未记录 / not recorded)").

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            out.push(path);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3000}'..='\u{303f}' | '\u{ff00}'..='\u{ffef}' | '“' | '”')
}

/// The string literals of a line of code (not of a comment), escapes kept as written.
fn literals(line: &str) -> Vec<String> {
    let code = line.trim_start();
    if code.starts_with("//") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut chars = code.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if c == '"' && prev != '\'' {
            let mut lit = String::new();
            while let Some(d) = chars.next() {
                match d {
                    '\\' => {
                        lit.push(d);
                        if let Some(e) = chars.next() {
                            lit.push(e);
                        }
                    }
                    '"' => break,
                    _ => lit.push(d),
                }
            }
            out.push(lit);
        } else if c == '/' && chars.peek() == Some(&'/') {
            break;
        }
        prev = c;
    }
    out
}

/// Whether a literal is a Chinese sentence with an ASCII mark beside a Chinese character.
fn offends(lit: &str) -> bool {
    let has_han = lit.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let english = lit.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3).count() >= 2;
    if !has_han || english || lit.contains("\\n") || lit.contains("\\\"") {
        return false;
    }
    let chars: Vec<char> = lit.chars().collect();
    (0..chars.len()).any(|i| {
        ",;:()!?".contains(chars[i])
            && (i > 0 && is_cjk(chars[i - 1]) || chars.get(i + 1).is_some_and(|&c| is_cjk(c)))
    })
}

#[test]
fn chinese_sentences_in_the_core_use_full_width_punctuation() {
    let mut files = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../cli/src");
    if cli.is_dir() {
        sources(&cli, &mut files);
    }
    assert!(files.len() > 20, "the sources were not found");
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        for (n, line) in text.lines().enumerate() {
            for lit in literals(line) {
                if offends(&lit) {
                    found.push(format!("{}:{}: \"{lit}\"", f.display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "ASCII punctuation in Chinese text:\n{}", found.join("\n"));
}

#[test]
fn the_rule_sees_what_it_should() {
    assert!(offends("投诉尚未登记,不能执行"));
    assert!(offends("例行拜访(每月一卡)"));
    assert!(offends("{}:编码"));
    assert!(!offends("投诉尚未登记，不能执行"));
    assert!(!offends("名称,金额\\n甲,1"));
    assert!(!offends("(未记录 / not recorded)"));
    assert!(!offends("need 特级 > A > B ≥ 0, got {special}, {a}"));
    assert!(!offends("Asia/Shanghai, UTC"));
    assert_eq!(literals(r#"let a = "甲,乙"; // "丙,丁""#), vec!["甲,乙".to_string()]);
}
