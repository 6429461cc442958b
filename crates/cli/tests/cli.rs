//! End-to-end test of the `clientscope-cli` binary: `demo` writes its three files and
//! `check-backup` accepts them, and refuses a corrupted copy with a message.

use clientscope_core::io::import::{import_table, ImportContext, MergeRule};
use clientscope_core::io::mapping::{suggest, CustomerMatch, ImportKind, MatchCounts};
use clientscope_core::io::table::{read_table, FileFormat};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clientscope-cli")).args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A fresh folder under the target directory, so nothing is left in the source tree.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn demo_then_check_backup() {
    let dir = scratch("cli-demo");
    let out = cli(&["demo", "--out", dir.to_str().expect("utf-8 path"), "--seed", "7", "--end", "2026-06-30"]);
    assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout(&out).contains("customers 2000"), "{}", stdout(&out));

    let backup = dir.join("clientscope-demo-backup.json");
    let customers = std::fs::read_to_string(dir.join("customers.csv")).expect("customers.csv");
    let orders = std::fs::read_to_string(dir.join("orders.csv")).expect("orders.csv");
    assert!(backup.is_file());
    assert_eq!(
        customers.lines().next(),
        Some("id,code,name,kind,industry,region,province,city,owner,credit_rating,status,since")
    );
    assert_eq!(customers.lines().count(), 2001);
    assert_eq!(orders.lines().next(), Some("customer_id,date,amount,profit,order_no,product,category,quantity,channel"));
    assert!(orders.lines().count() > 50_000);

    // The same seed gives the same bytes.
    let again = scratch("cli-demo-again");
    assert!(cli(&["demo", "--out", again.to_str().expect("utf-8 path"), "--seed", "7"]).status.success());
    assert_eq!(std::fs::read(&backup).ok(), std::fs::read(again.join("clientscope-demo-backup.json")).ok());

    let ok = cli(&["check-backup", backup.to_str().expect("utf-8 path"), "--lang", "en"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("valid backup"));
    let ok_zh = cli(&["check-backup", backup.to_str().expect("utf-8 path")]);
    assert_eq!(ok_zh.status.code(), Some(0));
    assert!(stdout(&ok_zh).contains("备份有效"));

    // One digit added to an amount: the checksum no longer matches.
    let text = std::fs::read_to_string(&backup).expect("backup text");
    let at = text.find("\"amount\":").expect("an amount") + "\"amount\":".len();
    let corrupted = dir.join("corrupted.json");
    std::fs::write(&corrupted, format!("{}9{}", &text[..at], &text[at..])).expect("write copy");
    let bad = cli(&["check-backup", corrupted.to_str().expect("utf-8 path"), "--lang", "en"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).contains("Checksum mismatch"), "{}", stdout(&bad));
    let bad_zh = cli(&["check-backup", corrupted.to_str().expect("utf-8 path"), "--lang", "zh"]);
    assert_eq!(bad_zh.status.code(), Some(1));
    assert!(stdout(&bad_zh).contains("校验和不一致"), "{}", stdout(&bad_zh));

    // Cut in half: reported as incomplete with its position.
    let truncated = dir.join("truncated.json");
    // (at a character boundary: the text holds Chinese names)
    let half = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    std::fs::write(&truncated, &text[..half]).expect("write copy");
    let cut = cli(&["check-backup", truncated.to_str().expect("utf-8 path"), "--lang", "en"]);
    assert_eq!(cut.status.code(), Some(1));
    assert!(stdout(&cut).contains("ends unexpectedly at line 1"), "{}", stdout(&cut));
}

#[test]
fn check_backup_lists_every_problem() {
    let dir = scratch("cli-invalid");
    // 25 order lines pointing at a customer that does not exist: all 25 are printed.
    let orders: Vec<String> = (1..=25)
        .map(|i| {
            format!(
                r#"{{"id":"O{i}","customer_id":"C404","date":"2025-01-02","amount":1.5,"created_at":"2025-01-02T00:00:00Z","updated_at":"2025-01-02T00:00:00Z"}}"#
            )
        })
        .collect();
    let data = format!(r#"{{"orders":[{}]}}"#, orders.join(","));
    let value: serde_json::Value = serde_json::from_str(&data).expect("data json");
    // The checksum is SHA-256 over serde_json's compact text of the data value.
    let compact = serde_json::to_string(&value).expect("compact");
    let checksum = sha256_hex(compact.as_bytes());
    let text = format!(
        r#"{{"format":"clientscope-backup","format_version":2,"schema_version":1,"app_version":"test","exported_at":"2025-01-03T00:00:00Z","counts":{{"orders":25}},"checksum":"sha256:{checksum}","data":{data}}}"#
    );
    let file = dir.join("dangling.json");
    std::fs::write(&file, text).expect("write");
    let out = cli(&["check-backup", file.to_str().expect("utf-8 path"), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let s = stdout(&out);
    assert!(s.contains("25 problems"), "{s}");
    assert_eq!(s.lines().filter(|l| l.contains("refers to customer C404")).count(), 25, "{s}");
}

/// The checksum is computed with the command itself: `sha256sum` from coreutils.
fn sha256_hex(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum is installed");
    child.stdin.take().expect("stdin").write_all(bytes).expect("write");
    let out = child.wait_with_output().expect("sha256sum output");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_string()
}

/// Hostile backups (issue 12): the same backup in UTF-8 with a byte-order mark and in
/// UTF-16 LE / BE reads as the plain file does; a file over 512 MiB is refused from its
/// size (a sparse file: nothing is read); a duplicate key and a number out of range are
/// refused naming where they stand.
#[test]
fn check_backup_reads_other_encodings_and_refuses_hostile_files() {
    let dir = scratch("cli-hostile");
    assert!(cli(&["demo", "--out", dir.to_str().expect("utf-8 path"), "--seed", "3"]).status.success());
    let text = std::fs::read_to_string(dir.join("clientscope-demo-backup.json")).expect("backup text");
    let plain = stdout(&cli(&["check-backup", dir.join("clientscope-demo-backup.json").to_str().expect("path"), "--lang", "en"]));
    assert!(plain.contains("valid backup"), "{plain}");
    let utf16 = |little: bool| -> Vec<u8> {
        std::iter::once(0xfeff_u16)
            .chain(text.encode_utf16())
            .flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    };
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(text.as_bytes());
    for (name, bytes) in [("bom.json", bom), ("le.json", utf16(true)), ("be.json", utf16(false))] {
        let file = dir.join(name);
        std::fs::write(&file, bytes).expect("write");
        let out = cli(&["check-backup", file.to_str().expect("path"), "--lang", "en"]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
        // The same header, counts and checksum as the UTF-8 file (only the file name differs).
        assert_eq!(stdout(&out).lines().skip(1).collect::<Vec<_>>(), plain.lines().skip(1).collect::<Vec<_>>(), "{name}");
    }

    let big = dir.join("big.json");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(600 * 1024 * 1024).expect("sparse file");
    let out = cli(&["check-backup", big.to_str().expect("path"), "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("文件大小为 600 MB，超过备份文件的上限 512 MB，未读取"), "{}", stdout(&out));
    let _ = std::fs::remove_file(&big);

    let at = text.find("\"amount\":").expect("an amount") + "\"amount\":".len();
    let end = at + text[at..].find([',', '}']).expect("end");
    let file = dir.join("range.json");
    std::fs::write(&file, format!("{}1e400{}", &text[..at], &text[end..])).expect("write");
    let out = cli(&["check-backup", file.to_str().expect("path"), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("the number 1e400 in Order line record orders[0], field “amount” is out of range"), "{}", stdout(&out));

    let file = dir.join("dup.json");
    std::fs::write(&file, text.replacen("{\"format\":", "{\"format\":\"x\",\"format\":", 1)).expect("write");
    let out = cli(&["check-backup", file.to_str().expect("path"), "--lang", "zh"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("文件最外层中的键“format”出现了两次"), "{}", stdout(&out));
}

/// Round trip of the CSV files `demo` writes through the import the wizard runs (issue 12):
/// `orders.csv` names its customers by `customer_id`; the match suggestion must follow the
/// values (ids) so that no line lands on a new duplicate customer, and `customers.csv` read
/// back into the same data updates every customer and adds none.
#[test]
fn demo_csv_files_import_back_without_duplicates() {
    let dir = scratch("cli-roundtrip");
    let out = cli(&["demo", "--out", dir.to_str().expect("utf-8 path"), "--seed", "7", "--end", "2026-06-30"]);
    assert!(out.status.success(), "demo failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("clientscope-demo-backup.json")).expect("backup");
    let data = clientscope_core::backup::parse(&text).expect("backup parses").data;
    let now = chrono::DateTime::parse_from_rfc3339("2026-07-01T10:00:00+08:00").expect("time").with_timezone(&chrono::Utc);
    let ctx = || ImportContext { customers: &data.customers, survey: None, now, id_prefix: "imp-".into(), merge: MergeRule::Update };

    // Order lines: every line finds its customer by id.
    let t = read_table(std::fs::read(dir.join("orders.csv")).expect("orders.csv"), Some(FileFormat::Csv), None, None).expect("table");
    let mut m = suggest(ImportKind::Orders, &t.headers);
    let counts = MatchCounts::of(&t.headers, &t.rows, &m, &data.customers);
    assert_eq!(counts.suggestion(), CustomerMatch::Id, "{counts:?}");
    assert_eq!(counts.id, counts.values);
    m.match_by = counts.suggestion();
    let o = import_table(ImportKind::Orders, &t, &m, ctx()).expect("import");
    assert_eq!(o.unknown_customers.len(), 0, "first unknown: {:?}", o.unknown_customers.first());
    assert_eq!(o.rejected.len(), 0, "first rejected: {:?}", o.rejected.first());
    assert_eq!(o.added.orders.len(), data.orders.len());
    assert_eq!(o.added.customers.len(), 0);
    let sum = |v: &[clientscope_core::model::OrderLine]| v.iter().map(|x| x.amount).sum::<f64>();
    assert!((sum(&o.added.orders) - sum(&data.orders)).abs() < 1e-6);

    // Customers: each row is one of the stored customers again (by code), none added.
    let t = read_table(std::fs::read(dir.join("customers.csv")).expect("customers.csv"), Some(FileFormat::Csv), None, None).expect("table");
    let m = suggest(ImportKind::Customers, &t.headers);
    let o = import_table(ImportKind::Customers, &t, &m, ctx()).expect("import");
    assert_eq!(o.rejected.len(), 0, "first rejected: {:?}", o.rejected.first());
    assert_eq!(o.added.customers.len(), 0, "first added: {:?}", o.added.customers.first().map(|c| &c.name));
    assert_eq!(o.updated.len() + o.skipped, data.customers.len());
}
