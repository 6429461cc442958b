use super::*;
use crate::io::mapping::{suggest, CustomerMatch, MatchCounts};
use crate::io::table::{read_table, CsvRows, FileFormat};
use chrono::TimeZone;

fn now() -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single().unwrap_or_default()
}

fn ctx(customers: &[Customer]) -> ImportContext<'_> {
    ImportContext { customers, survey: None, now: now(), id_prefix: "imp-".into(), merge: MergeRule::Update }
}

fn existing() -> Vec<Customer> {
    let mut a = blank_customer("C1".into(), "C001".into(), "上海华东化工有限公司".into(), now());
    a.city = "上海".into();
    let b = blank_customer("C2".into(), String::new(), "北京燕山石化".into(), now());
    vec![a, b]
}

fn run(kind: ImportKind, text: &str, customers: &[Customer]) -> ImportOutcome {
    let t = read_table(text.as_bytes().to_vec(), Some(FileFormat::Csv), None, None).expect("table");
    let m = suggest(kind, &t.headers);
    import_table(kind, &t, &m, ctx(customers)).expect("import")
}

#[test]
fn orders_by_code_or_exact_name_with_bad_rows() {
    let text = "客户编号,客户名称,日期,金额,毛利\n\
        C001,,2024-03-05,\"1,234.50\",100\n\
        ,北京燕山石化,2024年3月6日,12.5万,\n\
        C001,,2024-02-30,100,\n\
        C009,未知客户,2024/3/7,(300),\n\
        C001,,05.03.2024,abc,x\n\
        ,,,,\n";
    let out = run(ImportKind::Orders, text, &existing());
    assert_eq!(out.rows, 6);
    assert_eq!(out.blank, 1);
    assert_eq!(out.added.orders.len(), 2);
    assert_eq!(out.added.orders[0].customer_id, "C1");
    assert_eq!(out.added.orders[0].amount, 1234.5);
    assert_eq!(out.added.orders[0].profit, Some(100.0));
    assert_eq!(out.added.orders[1].customer_id, "C2");
    assert_eq!(out.added.orders[1].amount, 125_000.0);
    assert_eq!(out.added.orders[0].id, "imp-O0000001");
    // Row 3: no such day; row 5: two bad cells.
    let rows: Vec<(usize, &str, &str)> = out.rejected.iter().map(|r| (r.row, r.column.as_str(), r.value.as_str())).collect();
    assert_eq!(rows, vec![(3, "日期", "2024-02-30"), (5, "金额", "abc"), (5, "毛利", "x")]);
    assert_eq!(out.rejected_rows, 2);
    assert!(out.rejected[0].reason.zh.contains("日期不存在"));
    assert!(out.rejected[0].reason.en.contains("does not exist"));
    // Row 4 waits for the decision about its unknown customer.
    assert_eq!(out.unknown_customers, vec![UnknownCustomer { code: "C009".into(), name: "未知客户".into(), rows: 1, first_row: 4 }]);
    assert_eq!(out.plan(), Plan { add: 2, update: 0, skip: 0, reject: 2, pending: 1 });
    let mut created = out.clone();
    created.resolve_unknown(UnknownChoice::Create);
    assert_eq!(created.added.customers.len(), 1);
    assert_eq!(created.added.customers[0].name, "未知客户");
    assert_eq!(created.added.orders[2].customer_id, created.added.customers[0].id);
    assert_eq!(created.added.orders[2].amount, -300.0);
    let mut skipped = out;
    skipped.resolve_unknown(UnknownChoice::Skip);
    assert_eq!(skipped.plan(), Plan { add: 2, update: 0, skip: 1, reject: 2, pending: 0 });
}

#[test]
fn customer_merge_by_code_then_name() {
    let text = "客户编号,客户名称,城市,信用等级,大区\n\
        C001,上海华东化工(新名),杭州,AA,华东\n\
        ,北京燕山石化,北京,,\n\
        C100,广州南方,广州,ZZZ,\n\
        C101,深圳新客户,深圳,A,华南\n\
        C101,深圳重复,深圳,A,华南\n\
        ,,深圳,,\n";
    let out = run(ImportKind::Customers, text, &existing());
    assert_eq!(out.updated.len(), 2);
    assert_eq!((out.updated[0].id.as_str(), out.updated[0].name.as_str(), out.updated[0].city.as_str()), ("C1", "上海华东化工(新名)", "杭州"));
    assert_eq!(out.updated[1].id, "C2");
    assert_eq!(out.added.customers.len(), 1);
    assert_eq!(out.added.customers[0].code, "C101");
    let bad: Vec<(usize, &str)> = out.rejected.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(bad, vec![(3, "信用等级"), (5, "客户编号"), (6, "客户名称")]);
    assert_eq!(out.plan(), Plan { add: 1, update: 2, skip: 0, reject: 3, pending: 0 });

    let t = read_table(text.as_bytes().to_vec(), None, None, None).expect("table");
    let m = suggest(ImportKind::Customers, &t.headers);
    let customers = existing();
    let skip = import_table(ImportKind::Customers, &t, &m, ImportContext { merge: MergeRule::Skip, ..ctx(&customers) }).expect("skip");
    assert_eq!(skip.plan(), Plan { add: 1, update: 0, skip: 2, reject: 3, pending: 0 });
}

#[test]
fn mapping_errors_are_typed() {
    let headers: Vec<String> = vec!["客户编号".into(), "金额".into()];
    let m = suggest(ImportKind::Orders, &headers);
    let customers = existing();
    let e = Importer::new(ImportKind::Orders, &headers, &m, ctx(&customers)).expect_err("no date");
    assert_eq!(e, ImportError::RequiredUnmapped("date"));
    assert!(e.message(Language::ZhCn, ImportKind::Orders).contains("日期"));
    let mut m = Mapping::default();
    m.set("date", Some("不存在"));
    let e = Importer::new(ImportKind::Orders, &headers, &m, ctx(&customers)).expect_err("missing column");
    assert!(matches!(e, ImportError::MissingColumn { .. }));
}

#[test]
fn damaged_rows_are_rejected_whole() {
    let text = "客户编号,日期,金额\nC001,2024-03-05,1\nC001,2024-03-05\nC001,2024-03-05,1,9\nC001,\"2024-03-05,1\n";
    let out = run(ImportKind::Orders, text, &existing());
    assert_eq!(out.added.orders.len(), 1);
    let rows: Vec<usize> = out.rejected.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![2, 3, 4]);
    assert!(out.rejected[2].reason.en.contains("quote"));
}

#[test]
fn responses_with_likert_words_and_survey_leaves() {
    let survey = crate::demo::generate(&crate::demo::DemoParams::default()).surveys.remove(0);
    let leaves = survey.root.leaves();
    let (l1, l2) = (leaves[0].label.clone(), leaves[1].id.clone());
    let text = format!("客户名称,日期,推荐可能性,{l1},{l2}\n上海华东化工有限公司,2024-03-05,9,满意,较满意\n,2024-03-06,11,一般,不适用\n,2024-03-07,8,还行,4\n");
    let t = read_table(text.into_bytes(), None, None, None).expect("table");
    let m = suggest(ImportKind::Responses, &t.headers);
    let customers = existing();
    let out = import_table(ImportKind::Responses, &t, &m, ImportContext { survey: Some(&survey), ..ctx(&customers) }).expect("import");
    assert_eq!(out.added.responses.len(), 1);
    let r = &out.added.responses[0];
    assert_eq!(r.customer_id.as_deref(), Some("C1"));
    assert_eq!(r.recommend, Some(9));
    assert_eq!(r.answers.get(&leaves[0].id), Some(&Some(5.0)));
    assert_eq!(r.answers.get(&l2), Some(&Some(4.0)));
    let bad: Vec<(usize, &str)> = out.rejected.iter().map(|r| (r.row, r.column.as_str())).collect();
    assert_eq!(bad, vec![(2, "推荐可能性"), (3, l1.as_str())]);
}

#[test]
fn contacts_and_complaints() {
    let out = run(ImportKind::Contacts, "客户名称,联系人,角色,邮箱\n北京燕山石化,王经理,决策者、采购者,wang@example.com\n北京燕山石化,李工,巫师,\n", &existing());
    assert_eq!(out.added.contacts.len(), 1);
    assert_eq!(out.added.contacts[0].roles.len(), 2);
    assert_eq!(out.rejected[0].column, "角色");
    let out = run(ImportKind::Complaints, "客户编号,投诉时间,严重程度,投诉内容\nC001,2024-03-05 09:00,重大,漏气\nC001,昨天,一般,x\n", &existing());
    assert_eq!(out.added.complaints.len(), 1);
    let c = &out.added.complaints[0];
    // A flat row becomes the event history: received at 09:00 China time, nothing more.
    assert_eq!(c.received_at().map(|t| t.to_rfc3339()), Some("2024-03-05T09:00:00+08:00".to_string()));
    assert_eq!(c.events.len(), 1);
    assert_eq!(out.rejected[0].row, 2);
}

#[test]
fn incremental_feeding_with_progress() {
    let mut text = String::from("客户编号,日期,金额\n");
    for i in 0..1000 {
        text.push_str(&format!("C001,2024-03-05,{i}\n"));
    }
    let customers = existing();
    let mut reader = CsvRows::new(&text, None).expect("reader");
    let m = suggest(ImportKind::Orders, reader.headers());
    let mut imp = Importer::new(ImportKind::Orders, reader.headers(), &m, ctx(&customers)).expect("importer");
    let mut chunks = 0;
    loop {
        let mut n = 0;
        while n < 300 {
            match reader.next_row() {
                Some(r) => imp.push(&r),
                None => break,
            }
            n += 1;
        }
        chunks += 1;
        if n < 300 {
            break;
        }
        assert_eq!(imp.progress().rows, chunks * 300);
    }
    assert_eq!(reader.position(), text.len());
    let out = imp.finish();
    assert_eq!((chunks, out.added.orders.len()), (4, 1000));
}

/// Prints rows/s for CSV and XLSX import of 1M order lines (run in release):
/// `cargo test --release -p clientscope-core --lib io::import::tests::bench_import_1m -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_import_1m() {
    use std::time::Instant;
    const N: usize = 1_000_000;
    let customers: Vec<Customer> = (0..2000).map(|i| blank_customer(format!("C{i}"), format!("K{i:05}"), format!("客户{i}"), now())).collect();
    let mut text = String::from("客户编号,订单号,日期,金额,毛利,产品,数量,渠道\n");
    for i in 0..N {
        text.push_str(&format!("K{:05},SO{i:08},2024-{:02}-{:02},\"{},{:03}.50\",{},阀门{},{},直销\n", i % 2000, i % 12 + 1, i % 28 + 1, i % 90 + 1, i % 1000, i % 500, i % 37, i % 9 + 1));
    }
    let t0 = Instant::now();
    let d = crate::io::decode(text.clone().into_bytes(), None).expect("decode");
    let mut reader = CsvRows::new(&d.text, None).expect("reader");
    let m = suggest(ImportKind::Orders, reader.headers());
    let mut imp = Importer::new(ImportKind::Orders, reader.headers(), &m, ctx(&customers)).expect("importer");
    while let Some(r) = reader.next_row() {
        imp.push(&r);
    }
    let out = imp.finish();
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(out.added.orders.len(), N);
    println!("CSV  {N} order lines ({:.1} MB): {secs:.2} s, {:.0} rows/s", text.len() as f64 / 1e6, N as f64 / secs);

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["客户编号", "订单号", "日期", "金额", "产品"].iter().enumerate() {
        let _ = ws.write_string(0, c as u16, *h);
    }
    for i in 0..N {
        let r = i as u32 + 1;
        let _ = ws.write_string(r, 0, format!("K{:05}", i % 2000));
        let _ = ws.write_string(r, 1, format!("SO{i:08}"));
        let _ = ws.write_number(r, 2, 45_000.0 + (i % 700) as f64);
        let _ = ws.write_number(r, 3, 100.0 + (i % 1000) as f64);
        let _ = ws.write_string(r, 4, "阀门");
    }
    let bytes = wb.save_to_buffer().expect("xlsx");
    let t0 = Instant::now();
    // The app's way: the pull reader, in chunks (here without yielding).
    let mut wb = crate::io::table::Workbook::open(&bytes).expect("open");
    let mut rows = wb.rows(None).expect("sheet");
    let m = suggest(ImportKind::Orders, rows.headers());
    let mut imp = Importer::new(ImportKind::Orders, rows.headers(), &m, ctx(&customers)).expect("importer");
    while let Some(r) = rows.next_row().expect("row") {
        imp.push(&r);
    }
    let out = imp.finish();
    let secs = t0.elapsed().as_secs_f64();
    assert_eq!(out.added.orders.len(), N);
    println!("XLSX {N} order lines ({:.1} MB): {secs:.2} s, {:.0} rows/s", bytes.len() as f64 / 1e6, N as f64 / secs);
}

/// The plan after the user's choice about unknown customers equals the plan of the outcome
/// once the choice is applied; the preview shows records in their stored form.
#[test]
fn plan_with_choice_and_preview() {
    let customers = existing();
    let text = "客户编号,客户名称,日期,金额,产品\nC001,,2024-03-05,\"1,234.50\",阀门\nC404,新客户甲,2024/3/6,12.5万,泵\nC404,新客户甲,2024/3/7,100,泵\nC405,,2024/3/8,(300),管\n,,2024-13-01,abc,坏\n";
    let out = run(ImportKind::Orders, text, &customers);
    let p = out.plan();
    assert_eq!((p.add, p.pending, p.reject, p.skip), (1, 3, 1, 0));
    assert_eq!(out.plan_with(None), p);
    for choice in [UnknownChoice::Create, UnknownChoice::Skip] {
        let mut resolved = out.clone();
        resolved.resolve_unknown(choice);
        assert_eq!(out.plan_with(Some(choice)), resolved.plan(), "{choice:?}");
    }
    // Create: 3 pending lines + 2 new customers (C404, C405) + the line of C001.
    assert_eq!(out.plan_with(Some(UnknownChoice::Create)).add, 6);
    assert_eq!(out.plan_with(Some(UnknownChoice::Skip)).skip, 3);

    let m = suggest(ImportKind::Orders, &["客户编号", "客户名称", "日期", "金额", "产品"].map(String::from));
    assert_eq!(ImportOutcome::preview_columns(ImportKind::Orders, &m), vec!["customer", "date", "amount", "product"]);
    let rows = out.preview(ImportKind::Orders, &m, &customers, 10);
    assert_eq!(rows.len(), 4, "one accepted line, then the three pending ones");
    assert_eq!(rows[0][1..], ["2024-03-05".to_string(), "1234.5".into(), "阀门".into()]);
    assert_eq!(rows[0][0], customers.iter().find(|c| c.code == "C001").unwrap().name);
    assert_eq!(rows[1], vec!["新客户甲", "2024-03-06", "125000", "泵"]);
    assert_eq!(rows[3][0], "C405", "an unknown customer without a name shows its code");
    assert_eq!(out.preview(ImportKind::Orders, &m, &customers, 2).len(), 2);
}

/// Issue 12: the demo's own `orders.csv` (as `clientscope-cli demo` writes it: the first
/// column `customer_id`) imported back onto the demo's customers. The suggestion follows
/// the values that match (every id, no code, no name), and with it every line finds its
/// customer: no unknown customer, none created. Each explicit choice matches only by its
/// key. Reference: the generator's own lines (exact).
#[test]
fn orders_csv_written_by_the_cli_matches_customers_by_id() {
    let data = crate::demo::generate(&crate::demo::DemoParams::default());
    let mut text = String::from("customer_id,date,amount,profit,order_no,product,category,quantity,channel\n");
    for o in data.orders.iter().take(3_000) {
        text.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            o.customer_id,
            o.date,
            o.amount,
            o.profit.map(|p| p.to_string()).unwrap_or_default(),
            o.order_no,
            o.product,
            o.category,
            o.quantity.map(|q| q.to_string()).unwrap_or_default(),
            o.channel
        ));
    }
    let t = read_table(text.into_bytes(), Some(FileFormat::Csv), None, None).expect("table");
    let mut m = suggest(ImportKind::Orders, &t.headers);
    assert_eq!(m.header("customer_code"), Some("customer_id"));
    let counts = MatchCounts::of(&t.headers, &t.rows, &m, &data.customers);
    let distinct: std::collections::HashSet<&str> = data.orders.iter().take(3_000).map(|o| o.customer_id.as_str()).collect();
    assert_eq!(counts, MatchCounts { values: distinct.len(), id: distinct.len(), code: 0, name: 0 });
    assert_eq!(counts.suggestion(), CustomerMatch::Id);

    for choice in [CustomerMatch::Id, CustomerMatch::Auto] {
        m.match_by = choice;
        let out = import_table(ImportKind::Orders, &t, &m, ctx(&data.customers)).expect("import");
        assert!(out.unknown_customers.is_empty(), "{choice:?}: {} unknown", out.unknown_customers.len());
        assert!(out.rejected.is_empty(), "{choice:?}: {:?}", out.rejected.first());
        let got: Vec<(&str, f64)> = out.added.orders.iter().map(|o| (o.customer_id.as_str(), o.amount)).collect();
        let want: Vec<(&str, f64)> = data.orders.iter().take(3_000).map(|o| (o.customer_id.as_str(), o.amount)).collect();
        assert_eq!(got, want, "{choice:?}");
    }
    // Matching ids as codes or names finds nobody: every customer is unknown.
    for choice in [CustomerMatch::Code, CustomerMatch::Name] {
        m.match_by = choice;
        let out = import_table(ImportKind::Orders, &t, &m, ctx(&data.customers)).expect("import");
        assert_eq!(out.unknown_customers.len(), distinct.len(), "{choice:?}");
    }
}

/// The same customers referred to by code and by name: the counts and the suggestion
/// follow the column's values; an id-looking code is not taken for an id when codes were
/// chosen.
#[test]
fn match_counts_follow_codes_and_names() {
    let customers = existing();
    let text = "客户编号,日期,金额\nC001,2024-03-05,10\nC1,2024-03-06,20\n";
    let t = read_table(text.as_bytes().to_vec(), Some(FileFormat::Csv), None, None).expect("table");
    let mut m = suggest(ImportKind::Orders, &t.headers);
    let counts = MatchCounts::of(&t.headers, &t.rows, &m, &customers);
    assert_eq!(counts, MatchCounts { values: 2, id: 1, code: 1, name: 0 });
    m.match_by = CustomerMatch::Code;
    let out = import_table(ImportKind::Orders, &t, &m, ctx(&customers)).expect("import");
    assert_eq!(out.added.orders.iter().map(|o| o.customer_id.as_str()).collect::<Vec<_>>(), ["C1"]);
    assert_eq!(out.unknown_customers.len(), 1);
    assert_eq!(out.unknown_customers[0].code, "C1");

    let text = "客户名称,日期,金额\n北京燕山石化,2024-03-05,10\n不存在公司,2024-03-06,20\n";
    let t = read_table(text.as_bytes().to_vec(), Some(FileFormat::Csv), None, None).expect("table");
    let mut m = suggest(ImportKind::Orders, &t.headers);
    let counts = MatchCounts::of(&t.headers, &t.rows, &m, &customers);
    assert_eq!(counts, MatchCounts { values: 2, id: 0, code: 0, name: 1 });
    assert_eq!(counts.suggestion(), CustomerMatch::Name);
    // Several keys matching (codes on some rows, only names on others): each row by its own.
    assert_eq!(MatchCounts { values: 3, id: 0, code: 2, name: 2 }.suggestion(), CustomerMatch::Auto);
    assert_eq!(MatchCounts { values: 3, id: 3, code: 1, name: 0 }.suggestion(), CustomerMatch::Auto);
    assert_eq!(MatchCounts { values: 3, id: 0, code: 3, name: 0 }.suggestion(), CustomerMatch::Code);
    assert_eq!(MatchCounts::default().suggestion(), CustomerMatch::Auto);
    m.match_by = counts.suggestion();
    let out = import_table(ImportKind::Orders, &t, &m, ctx(&customers)).expect("import");
    assert_eq!(out.added.orders.len(), 1);
    assert_eq!(out.added.orders[0].customer_id, "C2");
}

/// Accepting the pending records in steps of any size gives what accepting them at once
/// gives; skipping needs no steps.
#[test]
fn resolving_in_steps_equals_resolving_at_once() {
    let mut text = String::from("客户编号,客户名称,日期,金额\n");
    for i in 0..25 {
        text.push_str(&format!("N{:02},新客户{},2024-03-05,{i}\n", i % 4, i % 4));
    }
    text.push_str("C001,,2024-03-06,1\n");
    let out = run(ImportKind::Orders, &text, &existing());
    assert_eq!(out.pending.len(), 25);
    let mut whole = out.clone();
    whole.resolve_unknown(UnknownChoice::Create);
    assert_eq!((whole.added.customers.len(), whole.added.orders.len()), (4, 26));
    for n in [1, 3, 25, 100] {
        let mut stepped = out.clone();
        let mut r = stepped.start_resolving(UnknownChoice::Create).expect("records to accept");
        let mut steps = 1;
        while !r.step(&mut stepped, n) {
            steps += 1;
        }
        assert_eq!(steps, 25usize.div_ceil(n), "steps of {n}");
        assert_eq!(stepped, whole, "steps of {n}");
    }
    let mut skipped = out.clone();
    assert!(skipped.start_resolving(UnknownChoice::Skip).is_none());
    assert_eq!((skipped.skipped, skipped.pending.len()), (25, 0));
}

#[test]
fn unknown_customers_are_told_apart_by_code_and_name() {
    // Names only (the code column empty), one code under two names, a name under two codes,
    // and a rejected line that named a new customer: each distinct (code, name) once, with
    // its lines counted.
    let text = "客户编号,客户名称,日期,金额\n,甲,2024-01-01,1\n,乙,2024-01-02,2\n,甲,2024-01-03,3\nK1,丙,2024-01-04,4\nK1,丁,2024-01-05,5\nK2,丙,2024-01-06,6\nK1,丙,2024-01-07,7\n,戊,不是日期,8\n";
    let out = run(ImportKind::Orders, text, &[]);
    let got: Vec<(&str, &str, usize, usize)> = out.unknown_customers.iter().map(|u| (u.code.as_str(), u.name.as_str(), u.rows, u.first_row)).collect();
    assert_eq!(got, vec![("", "甲", 2, 1), ("", "乙", 1, 2), ("K1", "丙", 2, 4), ("K1", "丁", 1, 5), ("K2", "丙", 1, 6)]);
    assert_eq!(out.pending.len(), 7);
    assert_eq!(out.rejected_rows, 1);
}
