use super::*;

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("valid test date")
}

#[test]
fn dates_in_every_accepted_form() {
    let cases = [
        ("2024-03-05", d(2024, 3, 5)),
        ("2024/3/5", d(2024, 3, 5)),
        ("2024.03.05", d(2024, 3, 5)),
        ("2024年3月5日", d(2024, 3, 5)),
        ("2024年03月05号", d(2024, 3, 5)),
        (" 2024 年 3 月 5 日 ", d(2024, 3, 5)),
        ("05.03.2024", d(2024, 3, 5)),
        ("20240305", d(2024, 3, 5)),
        ("２０２４－０３－０５", d(2024, 3, 5)),
        ("2024-03-05 14:30:00", d(2024, 3, 5)),
        ("2024-03-05T14:30", d(2024, 3, 5)),
        ("45356", d(2024, 3, 5)),
        ("45356.75", d(2024, 3, 5)),
        ("1", d(1900, 1, 1)),
        ("59", d(1900, 2, 28)),
        ("61", d(1900, 3, 1)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_date(text), Ok(want), "{text}");
    }
}

#[test]
fn excel_1900_leap_year_bug() {
    // Serial 60 is Excel's invented 1900-02-29.
    assert_eq!(excel_serial_date(60.0), Err(ValueError::Excel1900LeapBug));
    assert_eq!(excel_serial_date(0.0), Err(ValueError::BadDate));
    assert_eq!(excel_serial_date(2_958_465.0), Ok(d(9999, 12, 31)));
    assert_eq!(excel_serial_date(f64::NAN), Err(ValueError::BadDate));
}

#[test]
fn bad_dates_are_refused() {
    for text in ["", "abc", "2024-02-30", "05/03/2024", "2024-13-01", "2024年3月", "1.2.3", "-5", "99999999"] {
        assert!(parse_date(text).is_err(), "{text}");
    }
    assert_eq!(parse_date("2024-02-30"), Err(ValueError::NoSuchDay));
}

#[test]
fn datetimes_are_china_time() {
    let t = parse_datetime("2024-03-05 08:00").expect("datetime");
    assert_eq!(t.to_rfc3339(), "2024-03-05T00:00:00+00:00");
    let t = parse_datetime("2024/3/5").expect("date only");
    assert_eq!(t.to_rfc3339(), "2024-03-04T16:00:00+00:00");
    let t = parse_datetime("2024-03-05T10:00:00Z").expect("rfc3339");
    assert_eq!(t.to_rfc3339(), "2024-03-05T10:00:00+00:00");
    assert!(parse_datetime("2024-03-05 25:00").is_err());
}

#[test]
fn amounts_as_people_write_them() {
    let cases: [(&str, f64); 20] = [
        ("1234.5", 1234.5),
        ("1,234.50", 1234.5),
        ("1,234,567", 1_234_567.0),
        ("¥1,234.5", 1234.5),
        ("￥ 99", 99.0),
        ("1234.5元", 1234.5),
        ("RMB 10", 10.0),
        ("12.5万", 125_000.0),
        ("1.2345万", 12_345.0),
        ("3亿", 300_000_000.0),
        ("(300.00)", -300.0),
        ("（300）", -300.0),
        ("-300", -300.0),
        ("−300", -300.0),
        ("-¥300", -300.0),
        ("１２３", 123.0),
        ("１，２３４．５", 1234.5),
        ("1.5E+3", 1500.0),
        (" 42 ", 42.0),
        ("+7", 7.0),
    ];
    for (text, want) in cases {
        assert_eq!(parse_amount(text), Ok(want), "{text}");
    }
}

#[test]
fn wan_scaling_is_exact() {
    // 1.2345 * 10000 in floating point is 12345.000000000002; the decimal shift is exact.
    assert_eq!(parse_amount("1.2345万"), Ok(12_345.0));
    assert_eq!(parse_amount("0.0001万"), Ok(1.0));
    assert_eq!(parse_amount("1.23456万"), Ok(12_345.6));
}

#[test]
fn bad_amounts_are_refused() {
    for text in ["", "abc", "1,5", "12,34.5", "--5", "(-5)", "1.2.3", "元", "万", "inf", "NaN", "1e999", "¥", "5 5"] {
        assert!(parse_amount(text).is_err(), "{text}");
    }
    assert_eq!(parse_amount("1,5"), Err(ValueError::AmbiguousSeparators));
}

#[test]
fn likert_words_and_numbers() {
    for (text, want) in [
        ("满意", 5.0),
        ("较满意", 4.0),
        ("一般", 3.0),
        ("较不满意", 2.0),
        ("不满意", 1.0),
        ("非常满意", 5.0),
        ("比较不满意", 2.0),
        (" 满意 ", 5.0),
        ("4", 4.0),
        ("４", 4.0),
        ("Satisfied", 5.0),
    ] {
        assert_eq!(parse_likert(text), Ok(want), "{text}");
    }
    assert_eq!(parse_likert("还行吧"), Err(ValueError::BadLikert));
}

#[test]
fn normalize_folds_full_width_and_trims() {
    assert_eq!(normalize("\u{3000}ＡＢＣ１２３\u{3000}"), "ABC123");
    assert_eq!(normalize("  plain  "), "plain");
    assert!(matches!(normalize("plain"), Cow::Borrowed(_)));
}

#[test]
fn enumerations_by_chinese_or_english_name() {
    assert_eq!(parse_region("华东"), Ok(Region::East));
    assert_eq!(parse_region("East"), Ok(Region::East));
    assert_eq!(parse_customer_kind("经销商"), Ok(CustomerKind::Dealer));
    assert_eq!(parse_customer_kind("end_customer"), Ok(CustomerKind::EndCustomer));
    assert_eq!(parse_credit_rating("aaa"), Ok(CreditRating::Aaa));
    assert_eq!(parse_severity("重大"), Ok(Severity::Major));
    assert_eq!(parse_validity("不属实"), Ok(Validity::Invalid));
    assert_eq!(parse_role("决策者"), Ok(BuyingRole::Decider));
    assert!(parse_region("火星").is_err());
    assert_eq!(split_list("决策者、采购者; 使用者"), vec!["决策者", "采购者", "使用者"]);
}

#[test]
fn messages_in_both_languages() {
    let e = ValueError::BadNumber;
    assert!(e.message(Language::ZhCn).contains("数字"));
    assert!(e.message(Language::En).contains("number"));
}

proptest::proptest! {
    /// Digits and points take `parse_amount`'s short way; behind a `+` or a `¥` the same
    /// text takes the long way (the sign and the currency are taken off first). Both ways
    /// agree, on numbers and on errors.
    #[test]
    fn plain_amounts_read_the_same_on_the_short_and_the_long_way(text in "[0-9.]{1,12}") {
        let short = parse_amount(&text);
        proptest::prop_assert_eq!(&short, &parse_amount(&format!("+{text}")));
        proptest::prop_assert_eq!(&short, &parse_amount(&format!("¥{text}")));
        proptest::prop_assert_eq!(&short, &parse_amount(&format!(" {text}元 ")));
    }

    /// Grouped thousands read as the digits without their commas; a misplaced comma is
    /// ambiguous, never a number.
    #[test]
    fn grouped_amounts_read_as_their_digits(groups in proptest::collection::vec(0u32..1000, 1..5), frac in "[0-9]{0,3}") {
        let mut text = groups[0].to_string();
        for g in &groups[1..] {
            text.push_str(&format!(",{g:03}"));
        }
        let digits = text.replace(',', "");
        let (text, digits) = if frac.is_empty() { (text, digits) } else { (format!("{text}.{frac}"), format!("{digits}.{frac}")) };
        proptest::prop_assert_eq!(parse_amount(&text), parse_amount(&digits));
        if groups.len() > 1 {
            proptest::prop_assert_eq!(parse_amount(&format!("{text},")), Err(ValueError::AmbiguousSeparators));
        }
    }
}

#[test]
fn dates_with_more_or_fewer_than_three_parts_are_not_dates() {
    for text in ["2024-03-05-01", "2024-03", "2024/03/05/1", "05.03.2024.1", "2024--03-05"] {
        assert_eq!(parse_date(text), Err(ValueError::BadDate), "{text}");
    }
    assert_eq!(parse_date("05.03.2024"), Ok(d(2024, 3, 5)));
    assert_eq!(parse_date("2024/3/5"), Ok(d(2024, 3, 5)));
}
