use super::*;
use crate::io::export::to_csv;
use proptest::prelude::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn kinds(t: &ExportTable) -> Vec<Kind> {
    t.columns.iter().map(|c| c.kind).collect()
}

#[test]
fn shown_columns_get_their_kinds() {
    let headers = s(&["客户", "金额", "占比", "数量", "日期", "时间", "代码", "混合"]);
    let rows = vec![
        s(&["上海华东", "1,234.50", "12.5%", "1,200", "2026-03-01", "2026-03-01 09:30", "007", "5"]),
        s(&["北京", "-0.25", "—", "3", "2025-12-31", "2026-03-02 18:05", "010", "5.5"]),
        s(&["=HYPERLINK(\"x\")", "—", "100.0%", "", "", "", "123", "x"]),
    ];
    let t = ExportTable::from_shown("t", headers, rows);
    assert_eq!(
        kinds(&t),
        vec![
            Kind::Text,
            Kind::Number { decimals: Some(2), grouped: true },
            Kind::Percent { decimals: Some(1), sign: true, grouped: false },
            Kind::Integer { grouped: true },
            Kind::Date,
            Kind::DateTime,
            // Leading zeros would be lost as a number: text.
            Kind::Text,
            // Integer and decimal forms in one column: text.
            Kind::Text,
        ]
    );
    assert_eq!(t.rows[0][1], Cell::Number(1234.5));
    assert_eq!(t.rows[1][1], Cell::Number(-0.25));
    assert_eq!(t.rows[2][1], Cell::Text("—".into()));
    assert_eq!(t.rows[0][2], Cell::Number(0.125));
    assert_eq!(t.rows[0][3], Cell::Integer(1200));
    assert_eq!(t.rows[1][3], Cell::Integer(3));
    assert_eq!(t.rows[1][4], Cell::Date(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
    assert_eq!(t.rows[1][5], Cell::DateTime(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(18, 5, 0).unwrap()));
    assert_eq!(t.rows[0][6], Cell::Text("007".into()));
}

#[test]
fn grouping_must_agree_within_a_column() {
    // 1234 without a separator and 1,234 with one: not one form, so text.
    let t = ExportTable::from_shown("t", s(&["a"]), vec![s(&["1234"]), s(&["1,234"])]);
    assert_eq!(kinds(&t), vec![Kind::Text]);
    // Short numbers say nothing about grouping; one long one decides.
    let t = ExportTable::from_shown("t", s(&["a"]), vec![s(&["12"]), s(&["12345"])]);
    assert_eq!(kinds(&t), vec![Kind::Integer { grouped: false }]);
    // A malformed group is not a number.
    let t = ExportTable::from_shown("t", s(&["a"]), vec![s(&["1,23"])]);
    assert_eq!(kinds(&t), vec![Kind::Text]);
    // Only placeholders: text.
    let t = ExportTable::from_shown("t", s(&["a"]), vec![s(&["—"]), s(&[""])]);
    assert_eq!(kinds(&t), vec![Kind::Text]);
}

#[test]
fn typed_cells_are_written_as_the_exports_always_wrote_them() {
    let cases: Vec<(Kind, Cell, &str)> = vec![
        (Kind::Number { decimals: Some(2), grouped: false }, Cell::Number(1234.5), "1234.50"),
        (Kind::Number { decimals: Some(2), grouped: false }, Cell::Number(-0.001), "-0.00"),
        (Kind::Number { decimals: Some(2), grouped: true }, Cell::Number(-0.001), "0.00"),
        (Kind::Number { decimals: Some(2), grouped: true }, Cell::Number(-1234567.891), "-1,234,567.89"),
        (Kind::Number { decimals: None, grouped: false }, Cell::Number(0.1 + 0.2), "0.30000000000000004"),
        (Kind::Number { decimals: Some(2), grouped: false }, Cell::Number(f64::NAN), "NaN"),
        (Kind::Number { decimals: Some(2), grouped: false }, Cell::Integer(5), "5.00"),
        (Kind::Integer { grouped: false }, Cell::Integer(-12345), "-12345"),
        (Kind::Integer { grouped: true }, Cell::Integer(-12345), "-12,345"),
        (Kind::Integer { grouped: true }, Cell::Integer(i64::MIN), "-9,223,372,036,854,775,808"),
        (Kind::Percent { decimals: Some(1), sign: true, grouped: false }, Cell::Number(0.123), "12.3%"),
        (Kind::Percent { decimals: Some(4), sign: false, grouped: false }, Cell::Number(0.123), "0.1230"),
        (Kind::Percent { decimals: None, sign: false, grouped: false }, Cell::Number(0.25), "0.25"),
        (Kind::Date, Cell::Date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), "2026-03-01"),
        (Kind::DateTime, Cell::DateTime(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, 5, 0).unwrap()), "2026-03-01 09:05"),
        (Kind::DateTime, Cell::DateTime(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap().and_hms_opt(9, 5, 7).unwrap()), "2026-03-01 09:05:07"),
        (Kind::DateTime, Cell::Zoned(DateTime::parse_from_rfc3339("2026-03-02T09:30:00+08:00").unwrap()), "2026-03-02T09:30:00+08:00"),
        (Kind::Text, Cell::Empty, ""),
    ];
    for (kind, cell, want) in cases {
        assert_eq!(cell_text(kind, &cell), want, "{kind:?} {cell:?}");
    }
}

#[test]
fn csv_of_a_typed_table_neutralises_text_and_keeps_numbers() {
    let mut t = ExportTable::new(
        "t",
        vec![Column::new("名称", Kind::Text), Column::new("金额", Kind::Number { decimals: Some(2), grouped: false }), Column::new("日期", Kind::Date)],
    );
    t.rows.push(vec!["=1+1".into(), Cell::Number(-5.0), Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap())]);
    t.rows.push(vec!["上海,华东".into(), Cell::Empty]);
    let bytes = t.to_csv(CsvEncoding::Utf8Bom).unwrap();
    assert_eq!(String::from_utf8(bytes[3..].to_vec()).unwrap(), "名称,金额,日期\r\n'=1+1,-5.00,2026-01-02\r\n\"上海,华东\",\r\n");
}

/// A cell of form `form`, as the app's tables show them: numbers with fixed decimals
/// (grouped or not), percents, whole numbers, dates, a dash for a missing value, or any
/// text (which may look like a formula).
fn shown_cell(form: usize) -> BoxedStrategy<String> {
    let num = (-1e7f64..1e7, 0u8..4).prop_map(move |(v, d)| fixed(v, Some(d), form == 1));
    let dash = prop_oneof![Just("—".to_string()), Just(String::new())];
    match form {
        0 | 1 => prop_oneof![8 => num, 1 => dash].boxed(),
        2 => prop_oneof![8 => (-1e6f64..1e6, 0u8..3).prop_map(|(v, d)| format!("{}%", fixed(v, Some(d), true))), 1 => dash].boxed(),
        3 => (-100_000i64..100_000).prop_map(|v| v.to_string()).boxed(),
        4 => (0u64..40_000).prop_map(|d| (NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(d)).to_string()).boxed(),
        _ => "[-=+@0-9.,%: a-z客户\t]{0,8}".boxed(),
    }
}

fn shown_table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (proptest::collection::vec(0usize..6, 1..5), 0usize..12).prop_flat_map(|(forms, n)| {
        let columns: Vec<_> = forms.into_iter().map(|f| proptest::collection::vec(shown_cell(f), n)).collect();
        columns.prop_map(move |cols| (0..n).map(|r| cols.iter().map(|c| c[r].clone()).collect()).collect())
    })
}

proptest! {
    /// A table made from shown texts writes exactly the CSV the texts give (the CSV of
    /// every table button is unchanged by the typed table), and each cell's text is the
    /// shown one.
    #[test]
    fn shown_table_csv_is_the_shown_texts(rows in shown_table()) {
        let width = rows.first().map_or(1, Vec::len);
        let headers: Vec<String> = (0..width).map(|i| format!("h{i}")).collect();
        let table = ExportTable::from_shown("t", headers.clone(), rows.clone());
        let want = to_csv(&headers, &rows, CsvEncoding::Utf8Bom).unwrap();
        prop_assert_eq!(table.to_csv(CsvEncoding::Utf8Bom).unwrap(), want);
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                prop_assert_eq!(table.text(c, cell), rows[r][c].as_str());
            }
        }
    }

    /// Number columns as the app shows them always become numbers.
    #[test]
    fn shown_number_columns_are_typed(rows in (0u8..4, proptest::collection::vec(-1e7f64..1e7, 1..10)).prop_map(|(d, vs)| vs.into_iter().map(|v| vec![fixed(v, Some(d), true)]).collect::<Vec<_>>())) {
        let table = ExportTable::from_shown("t", vec!["h".into()], rows);
        prop_assert!(matches!(table.columns[0].kind, Kind::Number { .. } | Kind::Integer { .. }), "{:?}", table.columns[0].kind);
        prop_assert!(table.rows.iter().all(|r| matches!(r[0], Cell::Number(_) | Cell::Integer(_))));
    }
}

/// The worker protocol carries tables as MessagePack (struct-as-array): every kind and
/// cell must come back as it went.
#[test]
fn table_round_trips_through_messagepack() {
    let mut t = ExportTable::new(
        "客户",
        vec![
            Column::new("a", Kind::Text),
            Column::new("b", Kind::Number { decimals: None, grouped: true }),
            Column::new("c", Kind::Percent { decimals: Some(1), sign: true, grouped: false }),
            Column::new("d", Kind::DateTime),
        ],
    );
    let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    t.rows.push(vec![Cell::Empty, Cell::Number(f64::NAN), Cell::Integer(-3), Cell::Date(day)]);
    t.rows.push(vec![
        "=1+1".into(),
        Cell::DateTime(day.and_hms_opt(9, 30, 5).unwrap()),
        Cell::Zoned(DateTime::parse_from_rfc3339("2026-03-02T09:30:00+08:00").unwrap()),
    ]);
    let bytes = rmp_serde::to_vec(&t).unwrap();
    let back: ExportTable = rmp_serde::from_slice(&bytes).unwrap();
    assert_eq!(back.columns, t.columns);
    assert_eq!(back.rows[1], t.rows[1]);
    assert!(matches!(back.rows[0][1], Cell::Number(v) if v.is_nan()));
    assert_eq!(back.rows[0][2..], t.rows[0][2..]);
}
