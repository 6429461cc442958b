use super::*;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::DateTime;
use clientscope_core::io::export::Column;
use proptest::prelude::*;
use std::io::{Cursor, Read};

fn created() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The sheets of a workbook as calamine reads them: name and cells.
fn read_back(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("a workbook calamine opens");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).expect("the sheet");
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (n, rows)
        })
        .collect()
}

/// One part of the `.xlsx` zip as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn sample() -> ExportTable {
    let mut t = ExportTable::new(
        "客户价值",
        vec![
            Column::new("客户", Kind::Text),
            Column::new("金额", Kind::Number { decimals: Some(2), grouped: true }),
            Column::new("订单数", Kind::Integer { grouped: false }),
            Column::new("占比", Kind::Percent { decimals: Some(1), sign: true, grouped: false }),
            Column::new("首次购买", Kind::Date),
            Column::new("拜访", Kind::DateTime),
        ],
    );
    t.rows.push(vec![
        "上海华东".into(),
        Cell::Number(1234.5),
        Cell::Integer(12),
        Cell::Number(0.125),
        Cell::Date(day(2026, 3, 1)),
        Cell::DateTime(day(2026, 3, 2).and_hms_opt(9, 30, 0).unwrap()),
    ]);
    t.rows.push(vec![
        "=HYPERLINK(\"http://x\",\"y\")".into(),
        "—".into(),
        Cell::Integer(-3),
        Cell::Number(f64::NAN),
        Cell::Date(day(1899, 12, 31)),
        Cell::Zoned(DateTime::parse_from_rfc3339("2026-03-02T18:05:07+08:00").unwrap()),
    ]);
    t.rows.push(vec!["+1".into(), Cell::Number(-0.5), Cell::Integer(i64::MAX)]);
    t.rows.push(vec!["@SUM(A1)".into()]);
    t.rows.push(vec!["-A1".into(), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
    t
}

#[test]
fn workbook_round_trips_values_and_types_through_calamine() {
    let bytes = to_xlsx(&sample(), created()).unwrap();
    let sheets = read_back(&bytes);
    assert_eq!(sheets.len(), 1);
    let (name, rows) = &sheets[0];
    assert_eq!(name, "客户价值");
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(header, ["客户", "金额", "订单数", "占比", "首次购买", "拜访"]);
    assert_eq!(rows.len(), 1 + 5, "header and five data rows");
    let r1 = &rows[1];
    assert_eq!(r1[0], Data::String("上海华东".into()));
    assert_eq!(r1[1], Data::Float(1234.5));
    assert_eq!(r1[2], Data::Float(12.0));
    assert_eq!(r1[3], Data::Float(0.125));
    match &r1[4] {
        Data::DateTime(d) => assert_eq!(d.as_datetime(), Some(day(2026, 3, 1).and_hms_opt(0, 0, 0).unwrap())),
        other => panic!("a date, not {other:?}"),
    }
    match &r1[5] {
        Data::DateTime(d) => assert_eq!(d.as_datetime(), Some(day(2026, 3, 2).and_hms_opt(9, 30, 0).unwrap())),
        other => panic!("a date-time, not {other:?}"),
    }
    let r2 = &rows[2];
    // Formula-looking text is a string cell, as it is, not a formula.
    assert_eq!(r2[0], Data::String("=HYPERLINK(\"http://x\",\"y\")".into()));
    assert_eq!(r2[1], Data::String("—".into()));
    assert_eq!(r2[2], Data::Float(-3.0));
    // What Excel cannot hold typed is the CSV text.
    assert_eq!(r2[3], Data::String("NaN%".into()));
    assert_eq!(r2[4], Data::String("1899-12-31".into()));
    match &r2[5] {
        // The wall time in the instant's own offset.
        Data::DateTime(d) => assert_eq!(d.as_datetime(), Some(day(2026, 3, 2).and_hms_opt(18, 5, 7).unwrap())),
        other => panic!("a date-time, not {other:?}"),
    }
    assert_eq!(rows[3][0], Data::String("+1".into()));
    assert_eq!(rows[3][1], Data::Float(-0.5));
    assert_eq!(rows[3][2], Data::String(i64::MAX.to_string()));
    assert_eq!(rows[4][0], Data::String("@SUM(A1)".into()));
    assert_eq!(rows[5][0], Data::String("-A1".into()));
    assert_eq!(rows[5][1], Data::Empty);
    // No formula anywhere in the sheet.
    let xml = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>") && !xml.contains("<f "), "{xml}");
}

#[test]
fn header_is_frozen_filtered_and_columns_have_widths_and_formats() {
    let bytes = to_xlsx(&sample(), created()).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{sheet}");
    assert!(sheet.contains(r#"<autoFilter ref="A1:F6"/>"#), "{sheet}");
    assert!(sheet.contains("<cols>") && sheet.contains("customWidth=\"1\""), "{sheet}");
    let styles = part(&bytes, "xl/styles.xml");
    for code in ["#,##0.00", "0.0%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm:ss"] {
        assert!(styles.contains(&format!("formatCode=\"{code}\"")), "{code} in {styles}");
    }
    // The creation time given, not the clock's.
    assert!(part(&bytes, "docProps/core.xml").contains("2026-03-02T09:30:00Z"));
    // Same table and time, same bytes.
    assert_eq!(to_xlsx(&sample(), created()).unwrap(), bytes);
}

#[test]
fn long_texts_are_cut_to_what_a_cell_holds() {
    let mut t = ExportTable::new("t", vec![Column::new("note", Kind::Text)]);
    let long = "客".repeat(MAX_TEXT + 10);
    let fits = "a".repeat(MAX_TEXT);
    // A character outside the BMP is two UTF-16 units: the cut must not split it.
    let astral = format!("{}😀😀", "b".repeat(MAX_TEXT - 3));
    t.rows = vec![vec![long.clone().into()], vec![fits.clone().into()], vec![astral.into()], vec![format!("={long}").into()]];
    let rows = &read_back(&to_xlsx(&t, created()).unwrap())[0].1;
    let Data::String(cut) = &rows[1][0] else { panic!("{:?}", rows[1][0]) };
    assert_eq!(cut.encode_utf16().count(), MAX_TEXT);
    assert!(cut.ends_with('…') && cut.starts_with("客客"));
    assert_eq!(rows[2][0], Data::String(fits));
    let Data::String(cut) = &rows[3][0] else { panic!() };
    assert_eq!(cut, &format!("{}😀…", "b".repeat(MAX_TEXT - 3)));
    let Data::String(cut) = &rows[4][0] else { panic!() };
    assert!(cut.starts_with("=客") && cut.ends_with('…'));
}

#[test]
fn sheet_names_are_made_valid_and_unique() {
    assert_eq!(sheet_name("a/b:c*d?[e]\\f"), "a b c d  e  f");
    assert_eq!(sheet_name("'quoted'"), "quoted");
    assert_eq!(sheet_name(""), "Sheet1");
    assert_eq!(sheet_name("History"), "Sheet1");
    assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    let t = |title: &str| ExportTable::new(title, vec![Column::new("h", Kind::Text)]);
    let bytes = workbook(&[t("Sales"), t("sales"), t(&"x".repeat(40)), t(&"x".repeat(35))], created()).unwrap();
    let names: Vec<String> = read_back(&bytes).into_iter().map(|s| s.0).collect();
    assert_eq!(names, vec!["Sales".to_string(), "sales (2)".into(), "x".repeat(31), format!("{} (2)", "x".repeat(27))]);
}

#[test]
fn a_table_too_big_for_a_sheet_is_an_error_not_a_panic() {
    let mut t = ExportTable::new("t", vec![Column::new("h", Kind::Text)]);
    t.rows = vec![Vec::new(); MAX_ROWS + 1];
    assert_eq!(to_xlsx(&t, created()), Err(XlsxError::TooManyRows(MAX_ROWS + 1)));
    assert!(XlsxError::TooManyRows(3).message(Language::ZhCn).contains("最多"));
    let wide = ExportTable::new("t", (0..=MAX_COLUMNS).map(|i| Column::new(format!("c{i}"), Kind::Text)).collect());
    assert_eq!(to_xlsx(&wide, created()), Err(XlsxError::TooManyColumns(MAX_COLUMNS + 1)));
}

#[test]
fn an_empty_table_is_a_header_only_sheet() {
    let t = ExportTable::new("空", vec![Column::new("a", Kind::Integer { grouped: true }), Column::new("b", Kind::Date)]);
    let sheets = read_back(&to_xlsx(&t, created()).unwrap());
    assert_eq!(sheets[0].1, vec![vec![Data::String("a".into()), Data::String("b".into())]]);
}

#[test]
fn number_formats_follow_the_kinds() {
    assert_eq!(number_format(Kind::Number { decimals: Some(0), grouped: false }).as_deref(), Some("0"));
    assert_eq!(number_format(Kind::Number { decimals: Some(3), grouped: true }).as_deref(), Some("#,##0.000"));
    assert_eq!(number_format(Kind::Integer { grouped: true }).as_deref(), Some("#,##0"));
    assert_eq!(number_format(Kind::Percent { decimals: Some(2), sign: true, grouped: false }).as_deref(), Some("0.00%"));
    assert_eq!(number_format(Kind::Percent { decimals: Some(4), sign: false, grouped: false }).as_deref(), Some("0.0000"));
    assert_eq!(number_format(Kind::Text), None);
}

/// A shown cell as the app's tables have them (see the core's `from_shown` tests).
fn shown_cell(form: usize) -> BoxedStrategy<String> {
    use clientscope_core::io::export::table::fixed;
    let dash = prop_oneof![Just("—".to_string()), Just(String::new())];
    match form {
        0 | 1 => prop_oneof![8 => (-1e7f64..1e7, 0u8..4).prop_map(move |(v, d)| fixed(v, Some(d), form == 1)), 1 => dash].boxed(),
        2 => prop_oneof![8 => (-1e4f64..1e4, 0u8..3).prop_map(|(v, d)| format!("{}%", fixed(v, Some(d), false))), 1 => dash].boxed(),
        3 => (-100_000i64..100_000).prop_map(|v| v.to_string()).boxed(),
        4 => (0u64..40_000).prop_map(|d| (day(1990, 1, 1) + chrono::Days::new(d)).to_string()).boxed(),
        _ => "[-=+@0-9.,%: a-z客户\t]{0,8}".boxed(),
    }
}

fn shown_table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (proptest::collection::vec(0usize..6, 1..5), 1usize..10).prop_flat_map(|(forms, n)| {
        let columns: Vec<_> = forms.into_iter().map(|f| proptest::collection::vec(shown_cell(f), n)).collect();
        columns.prop_map(move |cols| (0..n).map(|r| cols.iter().map(|c| c[r].clone()).collect()).collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Every typed cell of a table made from shown texts reads back as its value: numbers
    /// as the same double, dates as the same day, text as the same string.
    #[test]
    fn shown_tables_read_back_as_their_typed_cells(rows in shown_table()) {
        let width = rows[0].len();
        let table = ExportTable::from_shown("t", (0..width).map(|i| format!("h{i}")).collect(), rows);
        let read = read_back(&to_xlsx(&table, created()).unwrap());
        let back = &read[0].1;
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let got = back.get(r + 1).and_then(|row| row.get(c)).cloned().unwrap_or(Data::Empty);
                match cell {
                    Cell::Empty => prop_assert_eq!(got, Data::Empty),
                    Cell::Text(s) if s.is_empty() => prop_assert_eq!(got, Data::Empty),
                    Cell::Text(s) => prop_assert_eq!(got, Data::String(s.clone())),
                    Cell::Number(v) => prop_assert_eq!(got, Data::Float(*v)),
                    Cell::Integer(v) => prop_assert_eq!(got, Data::Float(*v as f64)),
                    Cell::Date(d) => match got {
                        Data::DateTime(x) => prop_assert_eq!(x.as_datetime(), Some(d.and_hms_opt(0, 0, 0).unwrap())),
                        other => prop_assert!(false, "{:?} for {:?}", other, d),
                    },
                    other => prop_assert!(false, "from_shown gave {:?}", other),
                }
            }
        }
    }
}
