use super::*;
use crate::model::OrderLine;
use crate::demo::{self, DemoParams};
use crate::validate::tests::cust;
use proptest::prelude::*;

/// The reference order of [`filter_sort`], written plainly.
fn compare(customers: &[Customer], stats: &[CustomerStats], key: SortKey, a: usize, b: usize) -> Ordering {
    let (x, y) = (&customers[a], &customers[b]);
    let stat = |i: usize| stats.get(i).copied().unwrap_or_default();
    match key {
        SortKey::Code => x.code.cmp(&y.code),
        SortKey::Name => x.name.cmp(&y.name),
        SortKey::Kind => x.kind.cmp(&y.kind),
        SortKey::Industry => x.industry.cmp(&y.industry),
        SortKey::Region => x.region.cmp(&y.region),
        SortKey::City => x.city.cmp(&y.city),
        SortKey::Owner => x.owner.cmp(&y.owner),
        SortKey::Status => x.status.cmp(&y.status),
        SortKey::Revenue => stat(a).revenue.total_cmp(&stat(b).revenue),
        SortKey::LastOrder => stat(a).last_order.cmp(&stat(b).last_order),
        SortKey::UpdatedAt => x.updated_at.cmp(&y.updated_at),
    }
}

fn customers() -> Vec<Customer> {
    let mut a = cust("C3");
    a.code = "KH003".into();
    a.name = "苏州恒瑞精密机械有限公司".into();
    a.owner = "张伟".into();
    a.industry = "机械制造".into();
    let mut b = cust("C1");
    b.code = "KH001".into();
    b.name = "Shanghai ACME Trading 有限公司".into();
    b.city = "上海市".into();
    b.province = "上海市".into();
    b.owner = "陈静".into();
    b.industry = " 化工 ".into();
    b.kind = CustomerKind::Dealer;
    let mut c = cust("C2");
    c.code = "KH002".into();
    c.name = "杭州华兴化工有限公司".into();
    c.city = "杭州市".into();
    c.province = "浙江省".into();
    c.owner = "陈静".into();
    c.status = CustomerStatus::Terminated;
    c.region = Some(Region::East);
    vec![a, b, c]
}

fn order(customer: &str, day: u32, amount: f64) -> OrderLine {
    let mut o = demo::generate_large(1, 1, 1, Date::from_ymd_opt(2025, 1, 1).unwrap_or_default()).orders.remove(0);
    o.customer_id = customer.into();
    o.date = Date::from_ymd_opt(2024, 1, day).unwrap_or_default();
    o.amount = amount;
    o
}

#[test]
fn stats_are_aligned_with_customers() {
    let cs = customers();
    let orders = vec![order("C1", 5, 100.0), order("C3", 2, 50.0), order("C1", 9, -20.0), order("C9", 1, 1.0)];
    let s = customer_stats(&cs, &orders);
    assert_eq!(s.len(), 3);
    assert_eq!(s[0], CustomerStats { revenue: 50.0, orders: 1, last_order: Date::from_ymd_opt(2024, 1, 2) });
    assert_eq!(s[1], CustomerStats { revenue: 80.0, orders: 2, last_order: Date::from_ymd_opt(2024, 1, 9) });
    assert_eq!(s[2], CustomerStats::default());
}

fn run<'a>(cs: &'a [Customer], q: &CustomerQuery) -> Vec<&'a str> {
    let stats = customer_stats(cs, &[order("C1", 5, 100.0), order("C3", 2, 500.0)]);
    filter_sort(cs, &stats, q).into_iter().map(|i| cs[i as usize].id.as_str()).collect()
}

#[test]
fn repeated_ids_give_the_lines_to_the_first_customer() {
    let cs = vec![cust("A"), cust("B"), cust("A")];
    let s = customer_stats(&cs, &[order("A", 1, 5.0), order("B", 1, 7.0), order("A", 3, 1.0), order("Z", 1, 1.0)]);
    assert_eq!(s.iter().map(|s| s.orders).collect::<Vec<_>>(), vec![2, 1, 0]);
    // Many ids sharing a long prefix (they differ only in the hash's high bits).
    let many: Vec<Customer> = (0..5000).map(|i| cust(&format!("CUSTOMER-{i:08}"))).collect();
    let lines: Vec<OrderLine> = (0..5000).rev().map(|i| order(&format!("CUSTOMER-{i:08}"), 1, i as f64)).collect();
    let s = customer_stats(&many, &lines);
    assert!(s.iter().enumerate().all(|(i, s)| s.orders == 1 && s.revenue == i as f64));
}

#[test]
fn default_sorts_by_code() {
    assert_eq!(run(&customers(), &CustomerQuery::default()), vec!["C1", "C2", "C3"]);
}

#[test]
fn search_terms_all_match_across_fields() {
    let cs = customers();
    let q = |t: &str| CustomerQuery { text: t.into(), ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q("化工")), vec!["C1", "C2"]); // industry of C1, name of C2
    assert_eq!(run(&cs, &q("化工 杭州")), vec!["C2"]);
    assert_eq!(run(&cs, &q("acme")), vec!["C1"]);
    assert_eq!(run(&cs, &q("ＡＣＭＥ　上海")), vec!["C1"]); // full-width letters and space
    assert_eq!(run(&cs, &q("kh00")), vec!["C1", "C2", "C3"]);
    assert_eq!(run(&cs, &q("陈静 恒瑞")), Vec::<&str>::new());
    assert_eq!(run(&cs, &q("   ")), vec!["C1", "C2", "C3"]);
    // A term never spans two fields.
    assert_eq!(run(&cs, &q("公司kh")), Vec::<&str>::new());
}

#[test]
fn filters_combine() {
    let cs = customers();
    let q = CustomerQuery { owner: Some("陈静".into()), status: Some(CustomerStatus::Active), ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q), vec!["C1"]);
    let q = CustomerQuery { industry: Some("化工".into()), ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q), vec!["C1", "C2"]);
    let q = CustomerQuery { kind: Some(CustomerKind::Dealer), region: Some(Region::East), ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q), vec!["C1"]);
}

#[test]
fn sorting_by_revenue_and_last_order() {
    let cs = customers();
    let q = CustomerQuery { sort: SortKey::Revenue, descending: true, ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q), vec!["C3", "C1", "C2"]);
    let q = CustomerQuery { sort: SortKey::LastOrder, ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q), vec!["C2", "C3", "C1"]); // no order first
    let q = CustomerQuery { sort: SortKey::Owner, descending: true, ..CustomerQuery::default() };
    // 陈 (U+9648) > 张 (U+5F20); the tie between C1 and C2 stays ascending by code.
    assert_eq!(run(&cs, &q), vec!["C1", "C2", "C3"]);
}

#[test]
fn ties_fall_back_to_code_then_id() {
    let mut cs = customers();
    for c in &mut cs {
        c.code = "same".into();
        c.name = "同名".into();
    }
    let q = CustomerQuery { sort: SortKey::Name, descending: true, ..CustomerQuery::default() };
    assert_eq!(run(&cs, &q), vec!["C1", "C2", "C3"]);
}

#[test]
fn distinct_lists_are_sorted_and_trimmed() {
    let cs = customers();
    assert_eq!(distinct_industries(&cs), vec!["化工", "机械制造"]);
    assert_eq!(distinct_owners(&cs), vec!["张伟", "陈静"]);
}

/// Texts that differ only by surrounding spaces are one entry; blank ones are none.
#[test]
fn distinct_lists_merge_texts_equal_once_trimmed() {
    let mut cs = customers();
    let base = cs[0].clone();
    for (i, industry) in [" 化工", "化工 ", "  ", "", "机械制造", "化工"].into_iter().enumerate() {
        let mut c = base.clone();
        c.id = format!("X{i}");
        c.industry = industry.into();
        c.owner = format!("{}张伟", " ".repeat(i % 2));
        cs.push(c);
    }
    assert_eq!(distinct_industries(&cs), vec!["化工", "机械制造"]);
    assert_eq!(distinct_owners(&cs), vec!["张伟", "陈静"]);
}

#[test]
fn fold_handles_full_width_and_case() {
    assert_eq!(fold("ＡＢＣ１２３　Ｘ"), "abc123 x");
    assert_eq!(fold("ÉCOLE 上海"), "école 上海");
}

/// 100k customers filtered and sorted; the budget (< 50 ms) applies to release builds.
#[test]
fn large_list_filter_sort() {
    let d = demo::generate_large(3, 100_000, 300_000, Date::from_ymd_opt(2025, 12, 31).unwrap_or_default());
    let t = std::time::Instant::now();
    let stats = customer_stats(&d.customers, &d.orders);
    let stats_time = t.elapsed();
    let t = std::time::Instant::now();
    let q = CustomerQuery { text: "苏州 化工".into(), sort: SortKey::Revenue, descending: true, ..CustomerQuery::default() };
    let hits = filter_sort(&d.customers, &stats, &q);
    let all = filter_sort(&d.customers, &stats, &CustomerQuery { sort: SortKey::Name, ..CustomerQuery::default() });
    eprintln!("stats over 300k lines {stats_time:?}; two queries over 100k customers {:?}", t.elapsed());
    assert!(!hits.is_empty());
    assert_eq!(all.len(), 100_000);
}

proptest! {
    #[test]
    fn filter_sort_returns_matching_customers_once_in_order(
        seed in 0u64..1000,
        text in proptest::sample::select(vec!["", "苏州", "化工 有限", "kh0001", "C", "市 公司"]),
        region in proptest::option::of(proptest::sample::select(Region::ALL.to_vec())),
        sort in proptest::sample::select(vec![SortKey::Code, SortKey::Name, SortKey::Revenue, SortKey::Region, SortKey::LastOrder, SortKey::UpdatedAt]),
        descending in proptest::bool::ANY,
    ) {
        let d = demo::generate(&DemoParams { seed, customers: 40, ..DemoParams::default() });
        let stats = customer_stats(&d.customers, &d.orders);
        let q = CustomerQuery { text: text.into(), region, sort, descending, ..CustomerQuery::default() };
        let out = filter_sort(&d.customers, &stats, &q);
        let mut seen = vec![false; d.customers.len()];
        for &i in &out {
            let i = i as usize;
            prop_assert!(i < d.customers.len());
            prop_assert!(!seen[i], "index {} twice", i);
            seen[i] = true;
            prop_assert!(matches_text(&d.customers[i], &q.text));
            prop_assert!(region.is_none_or(|r| d.customers[i].region == Some(r)));
        }
        // Every customer left out fails the search or the filter.
        for (i, c) in d.customers.iter().enumerate() {
            if !seen[i] {
                prop_assert!(!matches_text(c, &q.text) || region.is_some_and(|r| c.region != Some(r)));
            }
        }
        // Consecutive results are in order.
        for w in out.windows(2) {
            let (a, b) = (w[0] as usize, w[1] as usize);
            let o = compare(&d.customers, &stats, sort, a, b);
            let o = if descending { o.reverse() } else { o };
            let o = o.then_with(|| d.customers[a].code.cmp(&d.customers[b].code)).then_with(|| d.customers[a].id.cmp(&d.customers[b].id));
            prop_assert_ne!(o, Ordering::Greater);
        }
    }
}

/// The customer page's lines: only that customer's, newest first, equal dates by id, and
/// their total (a return counts negative).
#[test]
fn customer_orders_newest_first_with_total() {
    let mut lines = vec![order("A", 1, 5.0), order("B", 9, 7.0), order("A", 3, -1.5), order("A", 3, 2.0)];
    lines[2].id = "z".into();
    lines[3].id = "b".into();
    let got = customer_orders(&crate::orders::OrderTable::from_rows(&lines), "A");
    assert_eq!(got.lines.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), vec!["b", "z", lines[0].id.as_str()]);
    assert_eq!(got.total, 5.5);
    assert_eq!(customer_orders(&crate::orders::OrderTable::from_rows(&lines), "nobody"), CustomerOrders::default());
}
