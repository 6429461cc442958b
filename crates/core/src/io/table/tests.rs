use super::*;

fn csv(text: &str) -> Result<Table, TableError> {
    read_table(text.as_bytes().to_vec(), Some(FileFormat::Csv), None, None)
}

/// An .xlsx workbook built natively with rust_xlsxwriter: a sheet "说明" with a note and a
/// sheet "订单" with a header, a date cell, numbers and text.
pub(crate) fn xlsx_fixture() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let note = wb.add_worksheet();
    let _ = note.set_name("说明");
    let _ = note.write_string(0, 0, "订单明细见第二个工作表");
    let ws = wb.add_worksheet();
    let _ = ws.set_name("订单");
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["客户编号", "客户名称", "日期", "金额", "数量"].iter().enumerate() {
        let _ = ws.write_string(0, c as u16, *h);
    }
    let _ = ws.write_string(1, 0, "C001");
    let _ = ws.write_string(1, 1, "上海华东化工");
    if let Ok(dt) = ExcelDateTime::from_ymd(2024, 3, 5) {
        let _ = ws.write_datetime_with_format(1, 2, &dt, &date_fmt);
    }
    let _ = ws.write_number(1, 3, 1234.5);
    let _ = ws.write_number(1, 4, 3.0);
    let _ = ws.write_string(2, 0, "C002");
    let _ = ws.write_string(2, 1, "北京燕山");
    let _ = ws.write_string(2, 2, "2024/3/6");
    let _ = ws.write_string(2, 3, "12.5万");
    wb.save_to_buffer().expect("xlsx in memory")
}

#[test]
fn csv_with_comma() {
    let t = csv("名称,金额\n甲,1\n乙,\"1,234.5\"\n").expect("csv");
    assert_eq!(t.headers, vec!["名称", "金额"]);
    assert_eq!(t.rows, vec![vec!["甲", "1"], vec!["乙", "1,234.5"]]);
    assert!(t.issues.is_empty());
    assert_eq!(t.row(2), Some(&["乙".to_string(), "1,234.5".to_string()][..]));
    assert_eq!(t.encoding.as_deref(), Some("utf-8"));
}

#[test]
fn delimiter_sniffing() {
    assert_eq!(sniff_delimiter("a\tb\tc\n"), (b'\t', 0));
    assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), (b';', 0));
    assert_eq!(sniff_delimiter("\"a,b\";c\n"), (b';', 0));
    assert_eq!(sniff_delimiter("a|b\n"), (b'|', 0));
    assert_eq!(sniff_delimiter("only\n"), (b',', 0));
    assert_eq!(sniff_delimiter("sep=;\na;b\n"), (b';', 6));
    let t = csv("sep=;\n名称;金额\n甲;1,5\n").expect("sep line");
    assert_eq!(t.rows, vec![vec!["甲", "1,5"]]);
}

#[test]
fn tsv_and_utf16_unicode_text() {
    let tsv = "客户名称\t金额\r\n华东化工\t12.5万\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in tsv.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let t = read_table(bytes, Some(FileFormat::Tsv), None, None).expect("utf-16 tsv");
    assert_eq!(t.headers, vec!["客户名称", "金额"]);
    assert_eq!(t.rows, vec![vec!["华东化工", "12.5万"]]);
    assert_eq!(t.encoding.as_deref(), Some("utf-16le"));
}

#[test]
fn gbk_csv() {
    let (bytes, _, _) = encoding_rs::GBK.encode("客户名称,城市\n华东化工,上海\n");
    let t = read_table(bytes.into_owned(), None, None, None).expect("gbk");
    assert_eq!(t.encoding.as_deref(), Some("gbk"));
    assert_eq!(t.rows, vec![vec!["华东化工", "上海"]]);
}

#[test]
fn mismatched_column_counts_are_row_issues() {
    let t = csv("a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3,,\n").expect("csv");
    assert_eq!(t.rows.len(), 4);
    assert!(t.rows.iter().all(|r| r.len() == 3));
    assert_eq!(
        t.issues,
        vec![
            RowIssue { row: 2, kind: RowIssueKind::ColumnCount { expected: 3, found: 2 } },
            RowIssue { row: 3, kind: RowIssueKind::ColumnCount { expected: 3, found: 4 } },
        ]
    );
}

#[test]
fn quote_left_open_is_reported_on_its_row() {
    let t = csv("a,b\n1,2\n3,\"oops\n5,6\n7,8\n").expect("csv");
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.issues, vec![RowIssue { row: 2, kind: RowIssueKind::UnclosedQuote }]);
    // A properly closed multi-line cell is fine.
    let t = csv("a,b\n1,\"x\ny\"\n").expect("csv");
    assert!(t.issues.is_empty());
    assert_eq!(t.rows, vec![vec!["1", "x\ny"]]);
}

#[test]
fn zero_bytes_and_blank_files_are_empty() {
    assert_eq!(read_table(Vec::new(), None, None, None), Err(TableError::Empty));
    assert_eq!(csv("\n\r\n  \n"), Err(TableError::Empty));
    assert!(TableError::Empty.message(Language::ZhCn).contains("空"));
}

#[test]
fn header_only_gives_no_rows() {
    let t = csv("客户名称,金额\n").expect("header only");
    assert_eq!(t.headers.len(), 2);
    assert!(t.rows.is_empty());
}

#[test]
fn one_hundred_columns() {
    let header: Vec<String> = (1..=100).map(|i| format!("列{i}")).collect();
    let row: Vec<String> = (1..=100).map(|i| i.to_string()).collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let t = csv(&text).expect("100 columns");
    assert_eq!(t.headers.len(), 100);
    assert_eq!(t.rows[0][99], "100");
    let wide = (0..=MAX_COLUMNS).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
    assert_eq!(csv(&wide), Err(TableError::TooManyColumns { found: MAX_COLUMNS + 1, max: MAX_COLUMNS }));
}

#[test]
fn headers_are_made_unique_and_named() {
    let t = csv("名称,,名称,金额,,\n1,2,3,4,,\n").expect("csv");
    assert_eq!(t.headers, vec!["名称", "#2", "名称 (2)", "金额"]);
    assert!(t.issues.is_empty());
}

#[test]
fn truncated_file_last_row_is_an_issue() {
    let full = "a,b,c\n1,2,3\n4,5,6\n";
    let t = csv(&full[..full.len() - 4]).expect("truncated");
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.issues, vec![RowIssue { row: 2, kind: RowIssueKind::ColumnCount { expected: 3, found: 2 } }]);
}

#[test]
fn binary_renamed_csv_is_refused() {
    let e = read_table(b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec(), Some(FileFormat::Csv), None, None).expect_err("binary");
    assert!(matches!(e, TableError::Decode(DecodeError::Binary(_))), "{e:?}");
}

#[test]
fn xlsx_renamed_csv_is_read_as_workbook() {
    let t = read_table(xlsx_fixture(), None, None, Some("订单")).expect("xlsx by signature");
    assert_eq!(t.headers[0], "客户编号");
}

#[test]
fn xlsx_sheets_and_cells() {
    let bytes = xlsx_fixture();
    assert_eq!(sheet_names(&bytes).expect("names"), vec!["说明", "订单"]);
    let first = read_table(bytes.clone(), Some(FileFormat::Xlsx), None, None).expect("first sheet");
    assert_eq!(first.sheet.as_deref(), Some("说明"));
    assert!(first.rows.is_empty());
    let t = read_table(bytes.clone(), Some(FileFormat::Xlsx), None, Some("订单")).expect("sheet");
    assert_eq!(t.headers, vec!["客户编号", "客户名称", "日期", "金额", "数量"]);
    assert_eq!(t.rows[0], vec!["C001", "上海华东化工", "2024-03-05", "1234.5", "3"]);
    assert_eq!(t.rows[1], vec!["C002", "北京燕山", "2024/3/6", "12.5万", ""]);
    assert_eq!(read_table(bytes, Some(FileFormat::Xlsx), None, Some("无")), Err(TableError::SheetNotFound("无".into())));
}

#[test]
fn xlsx_that_is_not_a_zip() {
    let e = read_table(b"this is not a workbook".to_vec(), Some(FileFormat::Xlsx), None, None).expect_err("not a zip");
    assert!(matches!(e, TableError::NotAWorkbook(_)), "{e:?}");
    // A workbook cut in half (truncated download).
    let mut cut = xlsx_fixture();
    cut.truncate(cut.len() / 2);
    let e = read_table(cut, Some(FileFormat::Xlsx), None, None).expect_err("truncated xlsx");
    assert!(matches!(e, TableError::NotAWorkbook(_)), "{e:?}");
}

#[test]
fn checked_in_openpyxl_fixture() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/orders-openpyxl.xlsx");
    let bytes = std::fs::read(path).expect("fixture");
    let t = read_table(bytes, None, None, None).expect("openpyxl workbook");
    assert_eq!(t.headers, vec!["客户编号", "日期", "金额", "产品"]);
    assert_eq!(t.rows[0], vec!["C001", "2024-03-05", "1234.5", "阀门"]);
    assert_eq!(t.rows.len(), 3);
}

#[test]
fn streaming_xlsx_can_stop_early() {
    let mut seen = 0;
    let name = for_each_sheet_row(&xlsx_fixture(), Some("订单"), |_| {}, |_| {
        seen += 1;
        ControlFlow::Break(())
    })
    .expect("stream");
    assert_eq!((name.as_str(), seen), ("订单", 1));
}

#[test]
fn damaged_dimension_found_by_fuzzing_is_an_error_not_a_panic() {
    // fuzz/artifacts/import_xlsx/crash-457113e9…: a worksheet <dimension> whose corners are
    // reversed made calamine 0.38 panic with "attempt to subtract with overflow";
    // `check_workbook` refuses it before calamine reads it (see `check.rs` for the rest).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/fuzz-crash-dimension.xlsx");
    let bytes = std::fs::read(path).expect("fixture");
    let r = read_table(bytes, Some(FileFormat::Xlsx), None, None);
    assert!(matches!(r, Err(TableError::DamagedWorkbook { damage: WorkbookDamage::ReversedRange { .. }, .. })), "{r:?}");
}

/// Every data row of a sheet through the pull reader [`Workbook::rows`].
fn pulled(bytes: &[u8], sheet: Option<&str>) -> Result<(Vec<String>, Vec<RawRow>), TableError> {
    let mut wb = Workbook::open(bytes)?;
    let mut rows = wb.rows(sheet)?;
    let headers = rows.headers().to_vec();
    let mut out = Vec::new();
    while let Some(r) = rows.next_row()? {
        out.push(r);
    }
    Ok((headers, out))
}

/// Every data row of a sheet through the push reader [`for_each_sheet_row`].
fn pushed(bytes: &[u8], sheet: Option<&str>) -> Result<(Vec<String>, Vec<RawRow>), TableError> {
    let mut headers = Vec::new();
    let mut out = Vec::new();
    for_each_sheet_row(bytes, sheet, |h| headers = h.to_vec(), |r| {
        out.push(r);
        ControlFlow::Continue(())
    })?;
    Ok((headers, out))
}

#[test]
fn pull_reader_gives_the_same_rows_as_the_push_reader() {
    let built = xlsx_fixture();
    let openpyxl = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/orders-openpyxl.xlsx")).expect("fixture");
    for (bytes, sheet) in [(&built, Some("订单")), (&built, Some("说明")), (&built, None), (&openpyxl, None)] {
        let a = pulled(bytes, sheet).expect("pull");
        let b = pushed(bytes, sheet).expect("push");
        assert_eq!(a, b, "sheet {sheet:?}");
    }
    let (h, rows) = pulled(&built, Some("订单")).expect("pull");
    assert_eq!(h, vec!["客户编号", "客户名称", "日期", "金额", "数量"]);
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].row, rows[1].row), (1, 2));
    assert_eq!(rows[0].cells, vec!["C001", "上海华东化工", "2024-03-05", "1234.5", "3"]);
    // The fixture's second row has no quantity: padded, no issue.
    assert_eq!(rows[1].cells[4], "");
    assert_eq!(rows[1].issue, None);
}

#[test]
fn pull_reader_reports_sheets_and_declared_rows() {
    let bytes = xlsx_fixture();
    let mut wb = Workbook::open(&bytes).expect("open");
    assert_eq!(wb.sheet_names(), ["说明", "订单"]);
    let mut rows = wb.rows(Some("订单")).expect("rows");
    assert_eq!(rows.sheet(), "订单");
    // rust_xlsxwriter writes <dimension ref="A1:E3">: header row 0, last row 2.
    assert_eq!(rows.declared_rows(), Some(2));
    assert_eq!(rows.row(), 0);
    rows.next_row().expect("row").expect("some");
    assert_eq!(rows.row(), 1);
    drop(rows);
    assert!(matches!(wb.rows(Some("无")), Err(TableError::SheetNotFound(_))));
}

#[test]
fn pull_reader_refuses_damaged_workbooks() {
    assert_eq!(Workbook::open(b"").map(|_| ()), Err(TableError::Empty));
    assert!(matches!(Workbook::open(b"this is not a workbook"), Err(TableError::NotAWorkbook(_))));
    let mut cut = xlsx_fixture();
    cut.truncate(cut.len() / 2);
    assert!(matches!(Workbook::open(&cut), Err(TableError::NotAWorkbook(_))));
    // The damaged <dimension> found by fuzzing: an error or rows, never a panic.
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/fuzz-crash-dimension.xlsx")).expect("fixture");
    let r = pulled(&bytes, None);
    assert!(matches!(r, Err(TableError::DamagedWorkbook { damage: WorkbookDamage::ReversedRange { .. }, .. })), "{r:?}");
}

#[test]
fn a_checked_workbook_reads_as_an_opened_one() {
    let built = xlsx_fixture();
    let openpyxl = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/orders-openpyxl.xlsx")).expect("fixture");
    for bytes in [&built, &openpyxl] {
        let checked = CheckedWorkbook::new(bytes.clone()).expect("checked");
        assert_eq!(checked.bytes(), bytes.as_slice());
        for sheet in [None, Some("订单"), Some("说明")] {
            let mut wb = checked.open().expect("open");
            let read = wb.rows(sheet).and_then(|mut rows| {
                let headers = rows.headers().to_vec();
                let mut out = Vec::new();
                while let Some(r) = rows.next_row()? {
                    out.push(r);
                }
                Ok((headers, out))
            });
            assert_eq!(read, pulled(bytes, sheet), "sheet {sheet:?}");
            assert_eq!(checked.head(sheet, 1), head_workbook(bytes, sheet, 1), "sheet {sheet:?}");
        }
        assert_eq!(checked.open().expect("open").sheet_names(), Workbook::open(bytes).expect("open").sheet_names());
        assert_eq!(checked.into_bytes(), *bytes);
    }
    // What the check refuses, it refuses when making one, with the same error.
    assert_eq!(CheckedWorkbook::new(Vec::new()).map(|_| ()), Err(TableError::Empty));
    let damaged = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/import/fuzz-crash-dimension.xlsx")).expect("fixture");
    let e = CheckedWorkbook::new(damaged.clone()).map(|_| ());
    assert!(matches!(e, Err(TableError::DamagedWorkbook { damage: WorkbookDamage::ReversedRange { .. }, .. })), "{e:?}");
    assert_eq!(e, Workbook::open(&damaged).map(|_| ()));
    let mut cut = xlsx_fixture();
    cut.truncate(cut.len() / 2);
    assert_eq!(CheckedWorkbook::new(cut.clone()).map(|_| ()), Workbook::open(&cut).map(|_| ()));
}

#[test]
fn heads_read_only_the_first_rows() {
    let mut text = String::from("名称,金额\n");
    for i in 0..100 {
        text.push_str(&format!("客户{i},{i}\n"));
    }
    text.push_str("坏,1,2\n");
    let t = head_text(&text, Some(FileFormat::Csv), 5).expect("head");
    assert_eq!(t.headers, vec!["名称", "金额"]);
    assert_eq!(t.rows.len(), 5);
    assert_eq!(t.rows[4], vec!["客户4", "4"]);
    let all = head_text(&text, None, 1000).expect("all");
    assert_eq!(all.rows.len(), 101);
    assert_eq!(all.issues, vec![RowIssue { row: 101, kind: RowIssueKind::ColumnCount { expected: 2, found: 3 } }]);
    let tsv = head_text("a\tb\n1\t2\n", Some(FileFormat::Tsv), 10).expect("tsv");
    assert_eq!(tsv.rows, vec![vec!["1", "2"]]);
    assert_eq!(head_text("", None, 3).map(|_| ()), Err(TableError::Empty));

    let w = head_workbook(&xlsx_fixture(), Some("订单"), 1).expect("head workbook");
    assert_eq!(w.sheets, vec!["说明", "订单"]);
    assert_eq!(w.sheet.as_deref(), Some("订单"));
    assert_eq!(w.rows, vec![vec!["C001", "上海华东化工", "2024-03-05", "1234.5", "3"]]);
}

#[test]
fn date_cells_outside_excel_dates_are_numbers_not_a_panic() {
    // A date-formatted cell holding -1e300 makes calamine's `as_datetime` panic (chrono's
    // `TimeDelta::milliseconds` out of bounds); `cell_text` converts Excel's dates only.
    use calamine::{ExcelDateTime, ExcelDateTimeType};
    for v in [-1e300, -1.0, 1e300, 2_958_466.0, f64::NAN, f64::INFINITY] {
        for kind in [ExcelDateTimeType::DateTime, ExcelDateTimeType::TimeDelta] {
            for is_1904 in [false, true] {
                let cell = DataRef::DateTime(ExcelDateTime::new(v, kind.clone(), is_1904));
                assert_eq!(cell_text(&cell), float_text(v), "{v}");
            }
        }
    }
    // The last Excel date in either date system.
    let last = DataRef::DateTime(ExcelDateTime::new(2_958_465.0, ExcelDateTimeType::DateTime, false));
    assert_eq!(cell_text(&last), "9999-12-31");
    let last_1904 = DataRef::DateTime(ExcelDateTime::new(2_958_465.0, ExcelDateTimeType::DateTime, true));
    assert!(cell_text(&last_1904).contains("10004-01-01"), "{}", cell_text(&last_1904));
    let day = DataRef::DateTime(ExcelDateTime::new(45_356.0, ExcelDateTimeType::DateTime, false));
    assert_eq!(cell_text(&day), "2024-03-05");
}

/// A header of `columns` columns and one cell in the last row of the sheet.
fn far_cell_workbook(columns: u16) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for c in 0..columns {
        let _ = ws.write_string(0, c, format!("列{c}"));
    }
    let _ = ws.write_number(1_048_575, 0, 1.0);
    wb.save_to_buffer().expect("xlsx in memory")
}

#[test]
fn a_cell_in_the_last_row_does_not_fill_memory_with_blank_rows() {
    // A small file whose only data cell is in row 1,048,576: the preview must not build a
    // million blank rows, nor the whole-table reader header width × rows cells.
    let bytes = far_cell_workbook(1000);
    let head = head_workbook(&bytes, None, 10).expect("head");
    assert_eq!(head.rows.len(), 10);
    assert!(head.rows.iter().all(|r| r.iter().all(String::is_empty)));
    let e = read_table(bytes, Some(FileFormat::Xlsx), None, None).expect_err("too large");
    assert_eq!(e, TableError::TooLarge { max: MAX_TABLE_CELLS });
    assert!(e.message(Language::ZhCn).contains("20000000 个单元格"), "{}", e.message(Language::ZhCn));
    // A narrow table reaching the same row is read (1,048,575 rows of 1 cell).
    let t = read_table(far_cell_workbook(1), Some(FileFormat::Xlsx), None, None).expect("narrow table");
    assert_eq!(t.rows.len(), 1_048_575);
}

proptest::proptest! {
    /// `next_row_into` refills one row's cells; the rows it gives are `next_row`'s, whatever
    /// the lengths of the rows before (longer, shorter, damaged) and the quoting.
    #[test]
    fn rows_read_into_one_buffer_are_the_rows_read_fresh(body in "[ab ,\"\n]{0,200}") {
        let text = format!("x,y,z\n{body}");
        let mut fresh = CsvRows::new(&text, Some(b',')).expect("headers");
        let mut reused = CsvRows::new(&text, Some(b',')).expect("headers");
        let mut row = RawRow::default();
        loop {
            let want = fresh.next_row();
            let got = reused.next_row_into(&mut row);
            proptest::prop_assert_eq!(want.is_some(), got);
            let Some(want) = want else { break };
            proptest::prop_assert_eq!(&want, &row);
            proptest::prop_assert_eq!(fresh.position(), reused.position());
        }
    }
}
