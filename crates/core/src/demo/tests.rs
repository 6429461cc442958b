use super::*;
use crate::validate;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The default demo, generated once for all tests of this file.
fn default_demo() -> &'static Dataset {
    static D: OnceLock<Dataset> = OnceLock::new();
    D.get_or_init(|| {
        let t = std::time::Instant::now();
        let d = generate(&DemoParams::default());
        eprintln!("demo generate: {:?}", t.elapsed());
        d
    })
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let p = DemoParams { customers: 200, ..DemoParams::default() };
    let a = generate(&p);
    assert_eq!(a, generate(&p));
    let b = generate(&DemoParams { seed: p.seed + 1, ..p.clone() });
    assert_ne!(a.customers, b.customers);
    assert_ne!(a.orders, b.orders);
}

#[test]
fn default_counts() {
    let d = default_demo();
    let c = d.counts();
    assert_eq!(c.customers, 2000);
    assert!((55_000..=65_000).contains(&c.orders), "{} order lines", c.orders);
    // 400 to the natural-gas survey, 300 to the CCSI one.
    assert_eq!(c.responses, 700);
    assert_eq!(c.complaints, 150);
    // 800 past interactions, and per account manager (17) 17 visits around the last day
    // plus the 4 next steps logged that morning.
    assert_eq!(c.interactions, 800 + 17 * 21);
    assert_eq!(c.surveys, 2);
    assert!((2000..=8000).contains(&c.contacts), "{} contacts", c.contacts);
}

#[test]
fn the_demo_is_valid() {
    let problems = validate::dataset(default_demo());
    let shown: Vec<String> = problems.iter().take(10).map(|p| p.message(crate::model::Language::En)).collect();
    assert!(problems.is_empty(), "{} problems, first: {shown:#?}", problems.len());
}

#[test]
fn dates_lie_within_the_three_years() {
    let d = default_demo();
    let end = DemoParams::default().end;
    let start = ymd(2023, 7, 1);
    for o in &d.orders {
        assert!(o.date >= start && o.date <= end, "{} on {}", o.id, o.date);
    }
    for i in &d.interactions {
        // Planned visits and next steps reach into the ten days after the last day.
        let last = if i.status == InteractionStatus::Planned { end + chrono::Days::new(10) } else { end };
        assert!(i.date >= start && i.date <= last, "{} on {}", i.id, i.date);
    }
    for c in &d.complaints {
        let day = c.received_at().expect("received").date_naive();
        assert!(day >= start && day <= end, "{} on {day}", c.id);
        assert!(c.events.iter().all(|e| e.at <= at(end, 18, 0)), "{} has an event after the end", c.id);
    }
    for r in &d.responses {
        assert!(r.date >= ymd(2025, 1, 1) && r.date <= end, "{} on {}", r.id, r.date);
    }
    // Every month of the window has orders.
    assert_eq!(months_of(start, end).len(), 36);
    for m in months_of(start, end) {
        assert!(d.orders.iter().any(|o| month_start(o.date) == m), "no order in {m}");
    }
}

#[test]
fn revenue_is_concentrated_like_pareto() {
    let d = default_demo();
    let mut revenue: HashMap<&str, f64> = HashMap::new();
    for o in &d.orders {
        *revenue.entry(o.customer_id.as_str()).or_default() += o.amount;
    }
    let mut all: Vec<f64> = d.customers.iter().map(|c| revenue.get(c.id.as_str()).copied().unwrap_or(0.0)).collect();
    all.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = all.iter().filter(|x| **x > 0.0).sum();
    let top: f64 = all[..all.len() / 5].iter().sum();
    let share = top / total;
    eprintln!("top 20% of customers carry {:.1}% of revenue", share * 100.0);
    assert!((0.60..=0.90).contains(&share), "top 20% share {share}");
}

#[test]
fn seasonality_dips_at_new_year_and_peaks_before_year_end() {
    let d = default_demo();
    let mut by_month = [0.0f64; 12];
    for o in &d.orders {
        by_month[o.date.month0() as usize] += o.amount;
    }
    assert!(by_month[1] < by_month[2], "February below March");
    assert!(by_month[11] > by_month[9], "December above October");
}

#[test]
fn profit_margins_are_between_10_and_35_percent() {
    for o in &default_demo().orders {
        let p = o.profit.unwrap_or(0.0);
        let m = p / o.amount;
        assert!((0.099..=0.351).contains(&m), "{}: amount {} profit {p}", o.id, o.amount);
    }
}

#[test]
fn customers_cover_regions_kinds_and_owners() {
    let d = default_demo();
    for r in Region::ALL {
        assert!(d.customers.iter().any(|c| c.region == Some(r)), "{r:?}");
    }
    let end = d.customers.iter().filter(|c| c.kind == CustomerKind::EndCustomer).count() as f64 / 2000.0;
    assert!((0.70..=0.80).contains(&end), "{end}");
    let owners: std::collections::BTreeSet<&str> = d.customers.iter().map(|c| c.owner.as_str()).collect();
    assert!((12..=20).contains(&owners.len()));
    assert!(d.customers.iter().any(|c| c.status == CustomerStatus::Terminated && !c.termination_reason.is_empty()));
    assert!(d.customers.iter().filter(|c| !c.key_account.market_share_potential.is_empty()).count() >= 150);
    assert!(d.customers.iter().filter(|c| c.relationship.is_some()).count() >= 300);
    assert_eq!(d.customers[0].id, "C000001");
    assert_eq!(d.customers[0].code, "KH00001");
    assert!(d.customers.iter().all(|c| c.name.ends_with("公司") || c.name.ends_with("(分公司)")));
    let names: std::collections::HashSet<&str> = d.customers.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names.len(), 2000, "names are unique");
}

#[test]
fn the_survey_is_the_natural_gas_tree_of_the_spec() {
    let d = default_demo();
    let s = &d.surveys[0];
    let labels: Vec<(&str, f64)> = s.root.nodes().iter().map(|n| (n.label.as_str(), n.weight)).collect();
    assert_eq!(
        labels,
        vec![
            ("顾客对天然气供应质量的感知", 1.0),
            ("供气质量", 0.7),
            ("供气压力", 0.6),
            ("气质", 0.4),
            ("维修质量", 0.2),
            ("维修服务态度", 0.2),
            ("修理及时性", 0.4),
            ("修理结果", 0.4),
            ("抄表质量", 0.1),
            ("抄表员服务态度", 0.3),
            ("抄表是否有差错", 0.4),
            ("表单是否及时送到", 0.3),
        ]
    );
    // Its own responses (the CCSI survey has the others).
    let responses: Vec<&SurveyResponse> = d.responses.iter().filter(|r| r.survey_id == s.id).collect();
    assert_eq!(responses.len(), 400);
    let periods: std::collections::BTreeSet<&str> = responses.iter().map(|r| r.period.as_str()).collect();
    assert_eq!(periods.into_iter().collect::<Vec<_>>(), vec!["2025H1", "2025H2", "2026H1"]);
    let anonymous = responses.iter().filter(|r| r.customer_id.is_none()).count();
    assert!((50..=150).contains(&anonymous), "{anonymous} anonymous");
    assert!(responses.iter().filter(|r| r.customer_id.is_none()).all(|r| r.segment.contains_key("age_band")));
    assert!(responses.iter().any(|r| r.answers.values().any(Option::is_none)), "some not applicable");
    assert!(responses.iter().any(|r| !r.competitor_answers.is_empty()));
    // Recommendation goes with satisfaction.
    let pairs: Vec<(f64, f64)> = responses
        .iter()
        .filter_map(|r| {
            let xs: Vec<f64> = r.answers.values().flatten().copied().collect();
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            r.recommend.map(|n| (mean, n as f64))
        })
        .collect();
    assert!(correlation(&pairs) > 0.5, "correlation {}", correlation(&pairs));
}

fn correlation(xy: &[(f64, f64)]) -> f64 {
    let n = xy.len() as f64;
    let (mx, my) = (xy.iter().map(|p| p.0).sum::<f64>() / n, xy.iter().map(|p| p.1).sum::<f64>() / n);
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = xy.iter().map(|p| (p.1 - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

/// The demo's complaints are alive: every state of the workflow occurs, every event kind
/// occurs, most are closed, and the histories are all accepted by the workflow (checked
/// by `the_demo_is_valid`).
#[test]
fn complaints_reach_every_state_and_most_are_closed() {
    use crate::model::{ComplaintAction, EventKind, Handling};
    use crate::service::complaints::{replay, ComplaintState};
    let d = default_demo();
    let states: Vec<ComplaintState> = d.complaints.iter().map(|c| replay(&c.events).expect("accepted").expect("received").state).collect();
    for s in ComplaintState::ALL {
        assert!(states.contains(&s), "no complaint in state {}", s.name());
    }
    for k in EventKind::ALL.into_iter().filter(|k| *k != EventKind::Note) {
        assert!(d.complaints.iter().any(|c| c.events.iter().any(|e| e.action.kind() == k)), "no {} event", k.name());
    }
    let closed = states.iter().filter(|s| **s == ComplaintState::Closed).count();
    assert!((60..150).contains(&closed), "{closed} closed");
    assert!(d.complaints.iter().any(|c| c.severity == Severity::Major));
    assert!(d.complaints.iter().flat_map(|c| &c.events).any(|e| matches!(&e.action, ComplaintAction::Valid { handling: Handling::SpecialTeam, members } if !members.is_empty())));
    assert!(d.complaints.iter().flat_map(|c| &c.events).any(|e| matches!(&e.action, ComplaintAction::FollowedUp { satisfaction: Some(1..=5), .. })));
    // Every event carries the UTC+8 offset of the demo's calendar.
    assert!(d.complaints.iter().flat_map(|c| &c.events).all(|e| e.at.offset().local_minus_utc() == 8 * 3600));
}

#[test]
fn interactions_carry_the_five_elements() {
    for i in &default_demo().interactions {
        assert!(!i.purpose.is_empty() && !i.method.is_empty() && !i.reason.is_empty() && !i.owner.is_empty(), "{}", i.id);
    }
}

#[test]
fn order_numbers_group_one_to_four_lines() {
    let mut lines: HashMap<&str, usize> = HashMap::new();
    for o in &default_demo().orders {
        *lines.entry(o.order_no.as_str()).or_default() += 1;
    }
    assert!(lines.values().all(|n| (1..=4).contains(n)));
    assert!(lines.values().any(|n| *n > 1));
}

#[test]
fn large_generation_is_valid_and_sized() {
    let t = std::time::Instant::now();
    let d = generate_large(5, 10_000, 100_000, ymd(2025, 12, 31));
    eprintln!("generate_large 10k/100k: {:?}", t.elapsed());
    assert_eq!((d.customers.len(), d.orders.len()), (10_000, 100_000));
    assert_eq!(validate::dataset(&d), vec![]);
}

/// Timings at the sizes of the brief; run with
/// `cargo test --release -p clientscope-core --lib full_size_timings -- --ignored --nocapture`.
#[test]
#[ignore = "benchmark; run in release"]
fn full_size_timings() {
    use crate::{backup, query};
    let t = std::time::Instant::now();
    let demo = generate(&DemoParams::default());
    eprintln!("generate demo (2000 customers, {} lines): {:?}", demo.orders.len(), t.elapsed());

    let t = std::time::Instant::now();
    let big = generate_large(1, 100_000, 1_000_000, ymd(2026, 6, 30));
    eprintln!("generate_large 100k customers + 1M lines: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let problems = validate::dataset(&big);
    eprintln!("validate 100k customers + 1M lines: {:?} ({} problems)", t.elapsed(), problems.len());
    let t = std::time::Instant::now();
    let plain: f64 = big.orders.iter().map(|o| o.amount + o.customer_id.len() as f64).sum();
    eprintln!("plain pass over 1M lines (memory bound floor): {:?} ({plain:.0})", t.elapsed());
    let t = std::time::Instant::now();
    let stats = query::customer_stats(&big.customers, &big.orders);
    eprintln!("customer_stats over 1M lines: {:?}", t.elapsed());
    for q in [
        query::CustomerQuery::default(),
        query::CustomerQuery { text: "苏州 化工".into(), sort: query::SortKey::Revenue, descending: true, ..Default::default() },
        query::CustomerQuery { sort: query::SortKey::Name, ..Default::default() },
    ] {
        let t = std::time::Instant::now();
        let n = query::filter_sort(&big.customers, &stats, &q).len();
        eprintln!("filter_sort 100k customers ({:?}, {n} hits): {:?}", q.sort, t.elapsed());
    }
    let t = std::time::Instant::now();
    let text = backup::export(&big, &Default::default(), "0", at(ymd(2026, 6, 30), 18, 0)).unwrap_or_default();
    eprintln!("export 100k + 1M ({} MB): {:?}", text.len() / 1_000_000, t.elapsed());
    drop(text);

    let mid = generate_large(11, 20_000, 150_000, ymd(2026, 6, 30));
    let text = backup::export(&mid, &Default::default(), "0", at(ymd(2026, 6, 30), 18, 0)).unwrap_or_default();
    let t = std::time::Instant::now();
    let ok = backup::parse(&text).is_ok();
    eprintln!("parse {} MB backup: {:?} (ok: {ok})", text.len() / 1_000_000, t.elapsed());
}

/// The benchmark size in a URL query: found among other parameters, refused when malformed
/// or beyond the limits.
#[test]
fn demo_size_from_the_query() {
    assert_eq!(size_from_query("?demo=100000x1000000"), Some((100_000, 1_000_000)));
    assert_eq!(size_from_query("?lang=en&demo=2000X0"), Some((2_000, 0)));
    for bad in ["", "?demo=", "?demo=100000", "?demo=0x10", "?demo=axb", "?demo=600000x1", "?demo=1x6000000", "?demos=1x1"] {
        assert_eq!(size_from_query(bad), None, "{bad}");
    }
}

/// The demo's last day is a working day of every account manager: the day plan has done,
/// cancelled and planned visits in time order, next steps fall due, and referrers of all
/// three kinds exist.
#[test]
fn the_demo_has_a_visit_plan_and_referrals() {
    use crate::service::visits::{self, Referrer, VisitParams};
    let d = default_demo();
    let end = DemoParams::default().end;
    let p = VisitParams::default().check().expect("params");
    let plan = visits::day_plan(&d.interactions, end, Some("张伟"), &p);
    let statuses: Vec<InteractionStatus> = plan.items.iter().map(|i| i.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == InteractionStatus::Done).count(), 4);
    assert_eq!(statuses.iter().filter(|s| **s == InteractionStatus::Planned).count(), 5);
    assert_eq!(statuses.iter().filter(|s| **s == InteractionStatus::Cancelled).count(), 1);
    assert!(plan.items.windows(2).all(|w| w[0].start <= w[1].start));
    assert_eq!(plan.progress.done_new + plan.progress.done_follow_up, 4);
    let due = visits::due(&d.interactions, end, Some("张伟"), &p);
    assert!(due.iter().any(|x| x.when == visits::Due::Overdue) && due.iter().any(|x| x.when == visits::Due::Soon));
    let r = visits::referrals(&d.customers, &d.contacts, &d.orders, None, None);
    for kind in [0, 1, 2] {
        assert!(
            r.rows.iter().any(|x| matches!((kind, &x.referrer), (0, Referrer::Customer(_)) | (1, Referrer::Contact(_)) | (2, Referrer::Name(_)))),
            "no referrer of kind {kind}"
        );
    }
    let ics = crate::io::ical::write_ics(&d.interactions, &|_| None, &crate::io::ical::IcsParams::new(at(end, 0, 0)));
    let events = ics.matches("BEGIN:VEVENT").count();
    let planned = d.interactions.iter().filter(|i| i.status == InteractionStatus::Planned).count();
    assert_eq!(events, planned);
}

/// Issue 13, defect 9: the demo survey had no path model, so the PLS section said "本调查没
///有结构模型" and the ACSI/CCSI analysis could not be seen on the demo. The demo holds a
/// CCSI survey with its path model and enough responses for a stable fit: every path is
/// estimated on all 300 respondents, the model converges, the main paths (quality →
/// satisfaction, satisfaction → loyalty) are positive, and a bootstrap of 200 resamples
/// fails none and leaves them clear of zero.
#[test]
fn demo_ccsi_survey_fits_the_path_model_with_a_bootstrap() {
    use crate::satisfaction::{analysis, pls};
    let d = default_demo();
    let s = d.surveys.iter().find(|s| s.id == "S002").expect("the CCSI survey");
    let model = analysis::pls_model(s).expect("a path model");
    assert_eq!((model.blocks.len(), model.paths.len()), (7, 12));
    let table = analysis::pls_table(s, &d.responses).expect("item table");
    let model = model.check(&table).expect("valid model");
    let params = pls::PlsParams { resamples: 200, ..pls::PlsParams::default() }.check().expect("params");
    let r = pls::fit(&model, &table, &params, &mut |_, _| {}).expect("fit");
    assert_eq!(r.n, 300);
    assert!(r.converged);
    let boot = r.bootstrap.as_ref().expect("bootstrap");
    assert_eq!(boot.failed, 0);
    for (from, to) in [("qual", "sat"), ("sat", "loy")] {
        let p = r.paths.iter().find(|p| p.from == from && p.to == to).expect("path");
        let b = p.bootstrap.as_ref().expect("interval");
        assert!(p.coefficient > 0.2 && b.ci_low > 0.0, "{from} → {to}: {} [{}, {}]", p.coefficient, b.ci_low, b.ci_high);
    }
}
