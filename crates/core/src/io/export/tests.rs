use super::*;
use crate::io::table::CsvRows;
use proptest::prelude::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[test]
fn formula_cells_are_neutralised_numbers_are_not() {
    for (cell, want) in [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-A1", "'-A1"),
        ("-5+A1", "'-5+A1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("-1234.5", "-1234.5"),
        ("+3.5", "+3.5"),
        ("-1.2E+3", "-1.2E+3"),
        ("-", "'-"),
        ("客户", "客户"),
        ("", ""),
    ] {
        assert_eq!(neutralize(cell), want, "{cell:?}");
    }
}

#[test]
fn utf8_bom_and_gbk_bytes() {
    let headers = s(&["名称", "金额"]);
    let rows = vec![s(&["上海,华东", "-5"]), s(&["=HYPERLINK(\"x\")", "1"])];
    let bytes = to_csv(&headers, &rows, CsvEncoding::Utf8Bom).expect("csv");
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert_eq!(text, "名称,金额\r\n\"上海,华东\",-5\r\n\"'=HYPERLINK(\"\"x\"\")\",1\r\n");
    let gbk = to_csv(&headers, &rows, CsvEncoding::Gbk).expect("gbk");
    let (back, _, bad) = encoding_rs::GBK.decode(&gbk);
    assert!(!bad);
    assert_eq!(back, text);
    // And our own importer reads the GBK file back.
    let d = crate::io::decode(gbk, None).expect("decode");
    assert_eq!(d.encoding, "gbk");
}

#[test]
fn rejected_report_as_csv() {
    let r = vec![crate::io::Rejected {
        row: 3,
        column: "金额".into(),
        value: "abc".into(),
        reason: crate::io::import::Reason { zh: "不是有效的数字或金额".into(), en: "is not a number".into() },
    }];
    let bytes = rejected_csv(&r, Language::ZhCn, CsvEncoding::Utf8Bom).expect("report");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert_eq!(text, "行号,列,值,原因\r\n3,金额,abc,不是有效的数字或金额\r\n");
}

proptest! {
    /// Export → parse gives back every text cell (neutralised cells with their `'`).
    #[test]
    fn export_parse_round_trip(rows in proptest::collection::vec(proptest::collection::vec("[^\u{0}]{0,12}", 3), 1..8)) {
        let headers = s(&["a", "b", "c"]);
        let bytes = to_csv(&headers, &rows, CsvEncoding::Utf8Bom).expect("csv");
        let d = crate::io::decode(bytes, None).expect("decode");
        let mut reader = CsvRows::new(&d.text, Some(b',')).expect("reader");
        let mut back = Vec::new();
        while let Some(r) = reader.next_row() {
            prop_assert!(r.issue.is_none());
            back.push(r.cells);
        }
        // csv skips records that are one empty cell (a blank line), as Excel does not
        // write them for a 3-column table; every row here has 3 cells.
        let want: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| neutralize(c).into_owned()).collect()).collect();
        prop_assert_eq!(back, want);
    }
}
