//! Unit tests of the dashboards. The fixture's figures are computed by hand in the
//! comments. Calendar: Asia/Shanghai, Mon-Fri 09-12 + 13-18 (8 business hours a day);
//! 2026-06-01 and 2026-06-29 are Mondays, 2026-05-28 a Thursday; the Dragon Boat holiday
//! (6/19-6/21) lies between the complaint times used. The period is June 2026 (L = 30
//! days), so the previous period is 2026-05-02..=2026-05-31 and the previous as-of
//! instant is 30 days before 2026-06-30 15:00, i.e. 2026-05-31 15:00 (a Sunday).

use super::scorecard::score;
use super::*;
use crate::demo::{generate, DemoParams};
use crate::model::{
    ComplaintAction as A, ComplaintEvent, Handling, IndicatorNode, InteractionKind, InteractionStatus, Scale, Severity, SurveyDesign, Timestamp,
};
use crate::service::visits::VisitParams;
use crate::value::abc::AbcClass;
use crate::value::grade::Grade;
use crate::value::lifecycle::{ListEntry, Stage, StageReason};
use crate::value::ValueParams;

fn d(s: &str) -> Date {
    s.parse().expect("test date")
}

fn t(s: &str) -> EventTime {
    chrono::DateTime::parse_from_rfc3339(&format!("{s}:00+08:00")).expect("test time")
}

fn at() -> Timestamp {
    chrono::DateTime::<chrono::Utc>::UNIX_EPOCH
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_close(a: Option<f64>, b: f64) {
    assert!(a.is_some_and(|a| close(a, b)), "{a:?} is not {b}");
}

fn customer(id: &str, owner: &str, region: Region) -> Customer {
    Customer { owner: owner.into(), region: Some(region), ..Customer::new(id, id, at()) }
}

fn line(id: &str, c: &str, day: &str, amount: f64) -> crate::model::OrderLine {
    crate::model::OrderLine::new(id, c, d(day), amount, at())
}

fn ev(action: A, when: &str) -> ComplaintEvent {
    ComplaintEvent::new(action, t(when), "tester")
}

fn valid() -> A {
    A::Valid { handling: Handling::Local, members: vec![] }
}

fn complaint(id: &str, c: &str, severity: Severity, events: Vec<ComplaintEvent>) -> Complaint {
    Complaint {
        id: id.into(),
        customer_id: c.into(),
        channel: String::new(),
        category: "质量".into(),
        description: String::new(),
        severity,
        owner: String::new(),
        events,
        created_at: at(),
        updated_at: at(),
    }
}

fn visit(id: &str, c: &str, kind: InteractionKind, day: &str, status: InteractionStatus) -> Interaction {
    Interaction { status, ..Interaction::new(id, c, kind, d(day), at()) }
}

fn leaf(id: &str, weight: f64) -> IndicatorNode {
    IndicatorNode { id: id.into(), label: id.into(), weight, children: vec![] }
}

fn response(id: &str, c: Option<&str>, day: &str, q1: f64, q2: f64) -> SurveyResponse {
    SurveyResponse {
        id: id.into(),
        survey_id: "S1".into(),
        customer_id: c.map(str::to_string),
        segment: Default::default(),
        date: d(day),
        period: String::new(),
        answers: [("q1".to_string(), Some(q1)), ("q2".to_string(), Some(q2))].into_iter().collect(),
        competitor_answers: Default::default(),
        repurchase: None,
        recommend: None,
        created_at: at(),
        updated_at: at(),
    }
}

struct Fixture {
    customers: Vec<Customer>,
    value: ValueReport,
    previous: ValueReport,
    orders: OrderTable,
    interactions: Vec<Interaction>,
    complaints: Vec<Complaint>,
    survey: Survey,
    responses: Vec<SurveyResponse>,
    calendar: WorkCalendar,
    policy: SlaPolicy,
    visits: ValidVisitParams,
}

impl Fixture {
    fn input(&self) -> DashboardInput<'_> {
        DashboardInput {
            customers: &self.customers,
            value: &self.value,
            previous_value: Some(&self.previous),
            orders: &self.orders,
            interactions: &self.interactions,
            complaints: &self.complaints,
            survey: Some(&self.survey),
            responses: &self.responses,
            calendar: &self.calendar,
            policy: &self.policy,
            visits: &self.visits,
        }
    }
}

/// Sets the classes of a value report by customer id, and its warning list.
fn set_classes(r: &mut ValueReport, classes: &[(&str, AbcClass, Stage, Grade)], warning: &[&str]) {
    for v in &mut r.customers {
        if let Some((_, abc, stage, grade)) = classes.iter().find(|c| c.0 == v.id) {
            v.abc = *abc;
            v.stage = *stage;
            v.grade = *grade;
        }
    }
    r.warning = warning
        .iter()
        .enumerate()
        .map(|(index, id)| ListEntry { index, id: id.to_string(), reason: StageReason::NeverPurchased, value: 0.0, p_alive: None })
        .collect();
}

/// Customers: C1, C2 of 王 (East); C3, C4 of 李 (North); C5, C6 of 张 (South), C6 unknown
/// to the value analysis. All active.
fn fixture() -> Fixture {
    let customers = vec![
        customer("C1", "王", Region::East),
        customer("C2", "王", Region::East),
        customer("C3", "李", Region::North),
        customer("C4", "李 ", Region::North),
        customer("C5", "张", Region::South),
        customer("C6", "张", Region::South),
    ];
    let lines = vec![
        // June: C1 600, C2 300 − 50 = 250, C4 150 → 1000; buyers C1, C2, C4.
        line("L1", "C1", "2026-06-05", 600.0),
        line("L2", "C2", "2026-06-10", 300.0),
        line("L3", "C2", "2026-06-12", -50.0),
        line("L4", "C4", "2026-06-20", 150.0),
        // May 2-31: C1 400, C2 100, C3 300 → 800; buyers C1, C2, C3.
        line("L5", "C1", "2026-05-10", 400.0),
        line("L6", "C2", "2026-05-20", 100.0),
        line("L7", "C3", "2026-05-15", 300.0),
        // Outside both periods: ignored.
        line("L8", "C1", "2026-04-01", 1000.0),
        line("L9", "C1", "2026-07-01", 999.0),
        // An unknown customer: ignored.
        line("L10", "X9", "2026-06-05", 5000.0),
    ];
    let vp = ValueParams::new(d("2026-06-30")).check().expect("value params");
    let mut value = crate::value::analyse(&customers[..5], &lines, &vp).expect("value analysis");
    let mut previous = value.clone();
    set_classes(
        &mut value,
        &[
            ("C1", AbcClass::A, Stage::Stable, Grade::Special),
            ("C2", AbcClass::B, Stage::Development, Grade::A),
            ("C3", AbcClass::C, Stage::Decline, Grade::C),
            ("C4", AbcClass::C, Stage::Exploration, Grade::C),
            ("C5", AbcClass::C, Stage::Lost, Grade::C),
        ],
        &["C3"],
    );
    previous.params.as_of = d("2026-05-31");
    set_classes(
        &mut previous,
        &[
            ("C1", AbcClass::A, Stage::Stable, Grade::Special),
            ("C2", AbcClass::A, Stage::Decline, Grade::A),
            ("C3", AbcClass::B, Stage::Decline, Grade::B),
            ("C4", AbcClass::C, Stage::Exploration, Grade::C),
            ("C5", AbcClass::C, Stage::Lost, Grade::C),
        ],
        &["C2", "C3"],
    );
    let complaints = vec![
        // Unconfirmed since Mon 09:00: 8 + 5 = 13 business hours > 8 → overdue.
        complaint("K1", "C1", Severity::General, vec![ev(A::Received, "2026-06-29T09:00")]),
        // Unconfirmed since 09:00 today: 5 h elapsed, deadline 18:00 today → due today.
        complaint("K2", "C2", Severity::General, vec![ev(A::Received, "2026-06-30T09:00")]),
        // Handling since 10:00 today: 4 h of 40 → 36 h left → later.
        complaint("K3", "C3", Severity::General, vec![ev(A::Received, "2026-06-30T10:00"), ev(A::Confirmed, "2026-06-30T10:30"), ev(valid(), "2026-06-30T10:31")]),
        // Major, handling since 14:00 today: 1 h of 16 → 15 h left (≤ 24), deadline 7/2 → due soon.
        complaint("K4", "C4", Severity::Major, vec![ev(A::Received, "2026-06-30T14:00"), ev(A::Confirmed, "2026-06-30T14:10"), ev(valid(), "2026-06-30T14:11")]),
        // Waiting for the customer since Mon 11:00 (1 h elapsed) → waiting.
        complaint(
            "K5",
            "C1",
            Severity::General,
            vec![ev(A::Received, "2026-06-29T10:00"), ev(A::Confirmed, "2026-06-29T10:10"), ev(valid(), "2026-06-29T10:20"), ev(A::Waiting, "2026-06-29T11:00")],
        ),
        // Resolved in 8 business hours (6/1 09:00 → 6/2 09:00) → on time.
        complaint(
            "K6",
            "C2",
            Severity::General,
            vec![ev(A::Received, "2026-06-01T09:00"), ev(A::Confirmed, "2026-06-01T09:30"), ev(valid(), "2026-06-01T09:40"), ev(A::Resolved, "2026-06-02T09:00")],
        ),
        // Resolved after 3 + 5 working days = 64 business hours > 40 → late.
        complaint(
            "K7",
            "C3",
            Severity::General,
            vec![ev(A::Received, "2026-06-03T09:00"), ev(A::Confirmed, "2026-06-03T09:10"), ev(valid(), "2026-06-03T09:20"), ev(A::Resolved, "2026-06-15T09:00")],
        ),
        // Previous period: resolved in 7 h → on time.
        complaint(
            "K8",
            "C1",
            Severity::General,
            vec![ev(A::Received, "2026-05-11T09:00"), ev(A::Confirmed, "2026-05-11T09:10"), ev(valid(), "2026-05-11T09:20"), ev(A::Resolved, "2026-05-11T17:00")],
        ),
        // Previous period, never resolved: as of 5/31 15:00, 16 h of 40 → 24 h left, deadline
        // 6/3 → due soon then; as of 6/30 long past 40 h → overdue now.
        complaint("K9", "C2", Severity::General, vec![ev(A::Received, "2026-05-28T09:00"), ev(A::Confirmed, "2026-05-28T09:30"), ev(valid(), "2026-05-28T09:40")]),
    ];
    let interactions = vec![
        visit("V1", "C1", InteractionKind::Visit, "2026-06-02", InteractionStatus::Done),
        // Same customer and day as V1: counts once.
        visit("V2", "C1", InteractionKind::Visit, "2026-06-02", InteractionStatus::Done),
        visit("V3", "C2", InteractionKind::Visit, "2026-06-15", InteractionStatus::Done),
        visit("V4", "C3", InteractionKind::Visit, "2026-06-22", InteractionStatus::Done),
        visit("V5", "C1", InteractionKind::Visit, "2026-05-20", InteractionStatus::Done),
        // A call is not a counted kind.
        visit("V6", "C1", InteractionKind::Phone, "2026-06-03", InteractionStatus::Done),
        // Planned: 6/25 → overdue at 6/30, 6/30 → today, 7/3 → soon (within 7 days).
        visit("V7", "C4", InteractionKind::Visit, "2026-06-25", InteractionStatus::Planned),
        visit("V8", "C2", InteractionKind::Visit, "2026-06-30", InteractionStatus::Planned),
        visit("V9", "C3", InteractionKind::Visit, "2026-07-03", InteractionStatus::Planned),
        visit("V10", "C5", InteractionKind::Visit, "2026-06-10", InteractionStatus::Cancelled),
    ];
    let survey = Survey {
        id: "S1".into(),
        name: "test".into(),
        scale: Scale::Likert5,
        root: IndicatorNode { id: "root".into(), label: "CSI".into(), weight: 1.0, children: vec![leaf("q1", 0.5), leaf("q2", 0.5)] },
        competitors: vec![],
        design: SurveyDesign::default(),
        created_at: at(),
        updated_at: at(),
    };
    // Likert 5/4/3/2 map to 100/80/60/40.
    let responses = vec![
        response("R1", Some("C1"), "2026-06-10", 5.0, 4.0), // 100, 80 → 90
        response("R2", Some("C3"), "2026-06-12", 3.0, 3.0), // 60, 60 → 60
        response("R3", None, "2026-06-20", 4.0, 4.0),       // 80, 80 (anonymous)
        response("R4", Some("C2"), "2026-05-15", 4.0, 2.0), // 80, 40 → 60 (previous)
        response("R5", Some("C1"), "2026-03-10", 5.0, 5.0), // 100 (trend only)
    ];
    Fixture {
        customers,
        value,
        previous,
        orders: OrderTable::from_rows(&lines),
        interactions,
        complaints,
        survey,
        responses,
        calendar: WorkCalendar::china(),
        policy: SlaPolicy::default(),
        visits: VisitParams::default().check().expect("visit params"),
    }
}

fn params(filter: DashboardFilter) -> DashboardParams {
    DashboardParams {
        filter,
        csi: CsiParams { resamples: 0, ..CsiParams::default() },
        trend: TrendUnit::Month,
        trend_points: 4,
        ..DashboardParams::new(d("2026-06-01"), d("2026-06-30"), t("2026-06-30T15:00"))
    }
}

fn run(f: &Fixture, p: DashboardParams) -> DashboardReport {
    dashboard(&f.input(), &p.check().expect("valid params"))
}

fn ids(l: &ListRef) -> Vec<&str> {
    l.ids.iter().map(String::as_str).collect()
}

#[test]
fn periods_previous_is_the_equal_length_just_before() {
    let p = params(DashboardFilter::All).check().expect("valid");
    let q = p.periods();
    assert_eq!((q.from, q.to, q.days), (d("2026-06-01"), d("2026-06-30"), 30));
    assert_eq!((q.previous_from, q.previous_to), (d("2026-05-02"), d("2026-05-31")));
    assert_eq!(q.previous_as_of, t("2026-05-31T15:00"));
}

#[test]
fn overview_classes_against_the_previous_value_analysis() {
    let f = fixture();
    let o = run(&f, params(DashboardFilter::All)).overview;
    assert_eq!(ids(&o.customers), ["C1", "C2", "C3", "C4", "C5", "C6"]);
    assert_eq!((o.value_as_of, o.previous_value_as_of), (d("2026-06-30"), Some(d("2026-05-31"))));
    // ABC now: A {C1}, B {C2}, C {C3, C4, C5}; before: A {C1, C2}, B {C3}, C {C4, C5}.
    let abc: Vec<(AbcClass, usize, Option<usize>)> = o.abc.rows.iter().map(|r| (r.class, r.count, r.previous)).collect();
    assert_eq!(abc, [(AbcClass::A, 1, Some(2)), (AbcClass::B, 1, Some(1)), (AbcClass::C, 3, Some(2))]);
    assert_eq!(ids(&o.abc.rows[2].list), ["C3", "C4", "C5"]);
    assert_eq!(o.abc.rows[2].list.kind, ListKind::Customers);
    // C6 is not in the value analysis.
    assert_eq!(ids(&o.abc.unclassified), ["C6"]);
    assert_eq!(o.abc.previous_unclassified, Some(1));
    let stages: Vec<usize> = o.stage.rows.iter().map(|r| r.count).collect();
    assert_eq!(stages, [1, 1, 1, 1, 1]);
    assert_eq!(o.stage.rows[3].previous, Some(2)); // decline before: C2, C3
    let grades: Vec<usize> = o.grade.rows.iter().map(|r| r.count).collect();
    assert_eq!(grades, [1, 1, 0, 3]);
    // Decline warning: {C3} now, {C2, C3} before.
    assert_eq!((o.warning.count, o.warning.previous), (1, Some(2)));
    assert_eq!(ids(&o.warning.list), ["C3"]);
}

#[test]
fn overview_revenue_growth_and_concentration() {
    let f = fixture();
    let o = run(&f, params(DashboardFilter::All)).overview;
    // 1000 now, 800 before: growth 200 / 800 = 0.25. Lines outside the periods and of
    // unknown customers are ignored.
    assert!(close(o.revenue.revenue, 1000.0) && close(o.revenue.previous, 800.0));
    assert_close(o.revenue.growth, 0.25);
    assert_eq!((o.revenue.buyers, o.revenue.previous_buyers), (3, 3));
    assert_eq!(ids(&o.revenue.list), ["C1", "C2", "C4"]); // 600, 250, 150
    // 3 buyers → k = ⌈0.6⌉ = 1: C1's 600 of 1000 = 0.6; before C1's 400 of 800 = 0.5.
    let c = &o.concentration;
    assert_eq!((c.buyers, c.top_n, c.previous_top_n), (3, 1, 1));
    assert_eq!(ids(&c.list), ["C1"]);
    assert!(close(c.top_revenue, 600.0) && close(c.total_revenue, 1000.0));
    assert_close(c.share, 0.6);
    assert_close(c.previous_share, 0.5);
}

#[test]
fn overview_csi_with_previous_and_trend() {
    let f = fixture();
    let o = run(&f, params(DashboardFilter::All)).overview;
    // June: R1, R2, R3. q1 = (100 + 60 + 80) / 3 = 80, q2 = (80 + 60 + 80) / 3 = 73.33…;
    // CSI = 0.5·80 + 0.5·73.33… = 76.67. May: R4 → 0.5·80 + 0.5·40 = 60.
    let cur = o.csi.current.as_ref().expect("a CSI");
    assert!(close(cur.csi, 230.0 / 3.0), "{}", cur.csi);
    assert_eq!(cur.respondents, 3);
    assert_eq!((cur.ci_low, cur.ci_high), (None, None)); // no resamples
    assert!(close(o.csi.previous.as_ref().expect("previous").csi, 60.0));
    assert_close(o.csi.change, 230.0 / 3.0 - 60.0);
    assert_eq!(ids(&o.csi.list), ["R1", "R2", "R3"]);
    assert_eq!(o.csi.list.kind, ListKind::Responses);
    // Trend by month, the 4 months up to June: March R5 = 100, April none, May 60, June 76.67.
    let trend: Vec<(&str, Option<f64>, usize)> = o.csi.trend.iter().map(|p| (p.label.as_str(), p.csi, p.respondents)).collect();
    assert_eq!(trend.len(), 4);
    assert_eq!((trend[0].0, trend[0].1, trend[0].2), ("2026-03", Some(100.0), 1));
    assert_eq!((trend[1].0, trend[1].1, trend[1].2), ("2026-04", None, 0));
    assert_eq!((trend[2].0, trend[2].2), ("2026-05", 1));
    assert!(close(trend[3].1.expect("june"), 230.0 / 3.0));
    assert_eq!(o.csi.trend[3].to, d("2026-06-30"));
    assert!(o.csi.problem.is_none());
}

#[test]
fn csi_interval_from_the_bootstrap() {
    let f = fixture();
    let p = DashboardParams { csi: CsiParams { resamples: 200, ..CsiParams::default() }, ..params(DashboardFilter::All) };
    let o = run(&f, p).overview;
    let cur = o.csi.current.expect("a CSI");
    let (lo, hi) = (cur.ci_low.expect("low"), cur.ci_high.expect("high"));
    assert!(lo <= cur.csi && cur.csi <= hi && lo < hi, "{lo} {} {hi}", cur.csi);
    // Quarterly trend: 2025Q3 … 2026Q2, the last cut at June 30.
    let p = DashboardParams { trend: TrendUnit::Quarter, ..params(DashboardFilter::All) };
    let o = run(&f, p).overview;
    let labels: Vec<&str> = o.csi.trend.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]);
    assert_eq!(o.csi.trend[3].respondents, 4); // R4 (May) and R1-R3 (June)
}

#[test]
fn overview_complaints_by_deadline_now_and_before() {
    let f = fixture();
    let c = run(&f, params(DashboardFilter::All)).overview.complaints;
    assert_eq!(ids(&c.overdue.list), ["K1", "K9"]);
    assert_eq!(ids(&c.waiting.list), ["K5"]);
    assert_eq!(ids(&c.due_today.list), ["K2"]);
    assert_eq!(ids(&c.due_soon.list), ["K4"]);
    assert_eq!(ids(&c.later.list), ["K3"]);
    assert_eq!(c.open.count, 6);
    assert_eq!(c.open.count, c.overdue.count + c.waiting.count + c.due_today.count + c.due_soon.count + c.later.count);
    // As of 5/31 15:00 only K8 (resolved) and K9 (24 h left → due soon) were received.
    assert_eq!(c.open.previous, Some(1));
    assert_eq!((c.overdue.previous, c.due_soon.previous, c.later.previous), (Some(0), Some(1), Some(0)));
    // Received in June: K1-K7; in May: K8, K9.
    assert_eq!((c.received.count, c.received.previous), (7, Some(2)));
    // June: valid resolved K6 (on time) and K7 (late), no open one past target → 1/2.
    // May as of 5/31: K8 on time, K9 not yet past target → 1/1.
    assert_close(c.on_time_rate, 0.5);
    assert_close(c.previous_on_time_rate, 1.0);
    assert!(c.rejected.ids.is_empty());
}

#[test]
fn overview_visits_due_and_done() {
    let f = fixture();
    let v = run(&f, params(DashboardFilter::All)).overview.visits;
    assert_eq!(v.today, d("2026-06-30"));
    assert_eq!(ids(&v.overdue.list), ["V7"]);
    assert_eq!(ids(&v.due_today.list), ["V8"]);
    assert_eq!(ids(&v.due_soon.list), ["V9"]);
    assert_eq!(v.overdue.previous, None);
    // June: (C1, 6/2) by V1 and V2 once, (C2, 6/15), (C3, 6/22); May: (C1, 5/20).
    assert_eq!((v.done.count, v.done.previous), (3, Some(1)));
    assert_eq!(ids(&v.done.list), ["V1", "V3", "V4"]);
}

#[test]
fn filter_by_owner_applies_to_every_figure() {
    let f = fixture();
    let r = run(&f, params(DashboardFilter::Owner("王".into())));
    let o = &r.overview;
    assert_eq!(ids(&o.customers), ["C1", "C2"]);
    let abc: Vec<usize> = o.abc.rows.iter().map(|r| r.count).collect();
    assert_eq!(abc, [1, 1, 0]);
    assert!(o.abc.unclassified.ids.is_empty());
    assert_eq!((o.warning.count, o.warning.previous), (0, Some(1)));
    // 600 + 250 = 850 now, 400 + 100 = 500 before: growth 0.7; 2 buyers → k = 1: 600 / 850.
    assert!(close(o.revenue.revenue, 850.0) && close(o.revenue.previous, 500.0));
    assert_close(o.revenue.growth, 0.7);
    assert_close(o.concentration.share, 600.0 / 850.0);
    // CSI: R1 only (R3 is anonymous) → 90; before R4 → 60.
    assert!(close(o.csi.current.as_ref().expect("csi").csi, 90.0));
    assert_close(o.csi.change, 30.0);
    assert_eq!(ids(&o.complaints.overdue.list), ["K1", "K9"]);
    assert_eq!(ids(&o.complaints.waiting.list), ["K5"]);
    assert_eq!(ids(&o.complaints.due_today.list), ["K2"]);
    assert_eq!(o.complaints.open.count, 4);
    assert_eq!(ids(&o.visits.due_today.list), ["V8"]);
    assert!(o.visits.overdue.list.ids.is_empty());
    assert_eq!(o.visits.done.count, 2);
    assert_eq!(r.scorecard.rows.len(), 1);
    assert_eq!(r.scorecard.rows[0].owner, "王");
}

#[test]
fn filter_by_region_applies_to_every_figure() {
    let f = fixture();
    let r = run(&f, params(DashboardFilter::Region(Region::North)));
    let o = &r.overview;
    // C3, C4 ("李 " is trimmed to 李).
    assert_eq!(ids(&o.customers), ["C3", "C4"]);
    assert!(close(o.revenue.revenue, 150.0) && close(o.revenue.previous, 300.0));
    assert_close(o.revenue.growth, -0.5);
    assert_eq!(ids(&o.complaints.due_soon.list), ["K4"]);
    assert_eq!(ids(&o.complaints.later.list), ["K3"]);
    assert_eq!(o.complaints.open.count, 2);
    assert!(close(o.csi.current.as_ref().expect("csi").csi, 60.0));
    assert!(o.csi.previous.is_none() && o.csi.change.is_none());
    // One owner: every metric it has scales to 1, so the score is 1.
    assert_eq!(r.scorecard.rows.len(), 1);
    assert_eq!(r.scorecard.rows[0].owner, "李");
    assert_close(r.scorecard.rows[0].score, 1.0);
}

#[test]
fn scorecard_metrics_score_and_ranking() {
    let f = fixture();
    let s = run(&f, params(DashboardFilter::All)).scorecard;
    let owners: Vec<&str> = s.rows.iter().map(|r| r.owner.as_str()).collect();
    assert_eq!(owners, ["王", "李", "张"]);
    let (w, l, z) = (&s.rows[0], &s.rows[1], &s.rows[2]);
    // 王: 850 vs 500 (+70 %), CSI 90 (R1), K6 on time of K1, K2, K5, K6 → 1/1, retention
    // C1, C2 bought in May and June → 2/2, visits 2 of 2 active × 1 × 30/30 → 1.
    assert!(close(w.revenue, 850.0) && close(w.previous_revenue, 500.0));
    assert_close(w.growth, 0.7);
    assert_close(w.csi, 90.0);
    assert_eq!(w.csi_respondents, 1);
    assert_eq!(ids(&w.complaints), ["K1", "K2", "K5", "K6"]);
    assert_close(w.complaints_on_time, 1.0);
    assert_eq!((w.previous_buyers, ids(&w.retained)), (2, vec!["C1", "C2"]));
    assert_close(w.retention, 1.0);
    assert_eq!((w.visits.ids.len(), w.visit_target), (2, 2.0));
    assert_close(w.visit_attainment, 1.0);
    // 李: 150 vs 300 (−50 %), CSI 60 (R2), K7 late → 0/1, C3 bought in May only → 0/1,
    // visits 1 of 2 → 0.5.
    assert_close(l.growth, -0.5);
    assert_close(l.csi, 60.0);
    assert_close(l.complaints_on_time, 0.0);
    assert_close(l.retention, 0.0);
    assert_close(l.visit_attainment, 0.5);
    // 张: no customer bought, nothing to rate: revenue 0, visits 0 of 2.
    assert!(close(z.revenue, 0.0));
    assert_eq!((z.growth, z.csi, z.complaints_on_time, z.retention), (None, None, None, None));
    assert_close(z.visit_attainment, 0.0);
    // Scaled (min-max): revenue 1, 150/850, 0; growth, CSI, complaints, retention 1, 0, –;
    // visits 1, 0.5, 0. Scores: 王 1; 李 0.15·150/850 + 0.10·0.5 = 0.0764706; 张 has revenue
    // and visits only: (0.15·0 + 0.10·0) / 0.25 = 0.
    assert_close(l.scaled.revenue, 150.0 / 850.0);
    assert_close(w.score, 1.0);
    assert_close(l.score, 0.15 * 150.0 / 850.0 + 0.05);
    assert_close(z.score, 0.0);
    assert_eq!(s.rows.iter().map(|r| r.rank).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(close(s.weights.csi, 0.30));
}

#[test]
fn scorecard_visit_target_from_params() {
    let f = fixture();
    let mut p = params(DashboardFilter::All);
    p.visit_targets.insert(" 李".into(), 1.0);
    p.visits_per_customer_month = 2.0;
    let s = run(&f, p).scorecard;
    let row = |o: &str| s.rows.iter().find(|r| r.owner == o).expect("owner");
    // 李: the given target 1 → 1/1; 王: 2 × 2 active × 30/30 = 4 → 2/4.
    assert_eq!(row("李").visit_target, 1.0);
    assert_close(row("李").visit_attainment, 1.0);
    assert_eq!(row("王").visit_target, 4.0);
    assert_close(row("王").visit_attainment, 0.5);
}

fn synthetic(owner: &str, revenue: f64, csi: Option<f64>) -> ScorecardRow {
    ScorecardRow {
        owner: owner.into(),
        customers: ListRef::new(ListKind::Customers, vec![]),
        active_customers: 0,
        revenue,
        previous_revenue: 0.0,
        growth: None,
        csi,
        csi_respondents: 0,
        complaints: ListRef::new(ListKind::Complaints, vec![]),
        complaints_on_time: None,
        previous_buyers: 0,
        retained: ListRef::new(ListKind::Customers, vec![]),
        retention: None,
        visits: ListRef::new(ListKind::Interactions, vec![]),
        visit_target: 0.0,
        visit_attainment: None,
        scaled: MetricScores::default(),
        score: None,
        rank: 0,
    }
}

fn weights(revenue: f64, csi: f64) -> ScoreWeights {
    ScoreWeights { revenue, growth: 0.0, csi, complaints_on_time: 0.0, retention: 0.0, visits: 0.0 }
}

#[test]
fn score_redistributes_missing_metrics_and_breaks_ties_by_name() {
    // Revenue 100 / 0 / 50 → 1 / 0 / 0.5; CSI – / 80 / 60 → – / 1 / 0. Weights ½, ½:
    // A = ½·1 / ½ = 1; B = (½·0 + ½·1) / 1 = 0.5; C = (½·0.5 + ½·0) / 1 = 0.25.
    // E and D equal C: the same score, ordered by name after C.
    let mut rows = vec![
        synthetic("E", 50.0, Some(60.0)),
        synthetic("C", 50.0, Some(60.0)),
        synthetic("B", 0.0, Some(80.0)),
        synthetic("A", 100.0, None),
        synthetic("D", 50.0, Some(60.0)),
        synthetic("F", f64::NAN, None),
    ];
    score(&mut rows, &weights(0.5, 0.5));
    let got: Vec<(&str, Option<f64>, usize)> = rows.iter().map(|r| (r.owner.as_str(), r.score, r.rank)).collect();
    assert_eq!(
        got,
        [("A", Some(1.0), 1), ("B", Some(0.5), 2), ("C", Some(0.25), 3), ("D", Some(0.25), 4), ("E", Some(0.25), 5), ("F", None, 6)]
    );
    // With the whole weight on CSI, A has no score and goes last.
    score(&mut rows, &weights(0.0, 1.0));
    assert_eq!(rows[0].owner, "B");
    assert_eq!((rows[4].owner.as_str(), rows[4].score), ("A", None));
    // Equal values all scale to 1.
    let mut tie = vec![synthetic("Y", 10.0, Some(70.0)), synthetic("X", 10.0, Some(70.0))];
    score(&mut tie, &weights(0.5, 0.5));
    assert_eq!(tie.iter().map(|r| (r.owner.as_str(), r.score, r.rank)).collect::<Vec<_>>(), [("X", Some(1.0), 1), ("Y", Some(1.0), 2)]);
}

#[test]
fn weights_are_checked_and_normalised() {
    let base = params(DashboardFilter::All);
    let with = |w: ScoreWeights| DashboardParams { weights: w, ..base.clone() }.check();
    let mut w = ScoreWeights { retention: -0.1, ..ScoreWeights::default() };
    assert_eq!(with(w), Err(DashboardError::BadWeight { metric: ScoreMetric::Retention, value: -0.1 }));
    w.retention = f64::NAN;
    assert!(matches!(with(w), Err(DashboardError::BadWeight { metric: ScoreMetric::Retention, .. })));
    w.retention = f64::INFINITY;
    assert!(matches!(with(w), Err(DashboardError::BadWeight { .. })));
    assert_eq!(with(weights(0.0, 0.0)), Err(DashboardError::ZeroWeights));
    // 2 : 6 : 2 → 0.2, 0.6, 0.2.
    let v = with(ScoreWeights { revenue: 2.0, growth: 0.0, csi: 6.0, complaints_on_time: 0.0, retention: 2.0, visits: 0.0 }).expect("valid");
    let n = v.weights();
    assert!(close(n.revenue, 0.2) && close(n.csi, 0.6) && close(n.retention, 0.2) && n.visits == 0.0);
    // The defaults weigh customer satisfaction highest and sum to 1.
    let d = ScoreWeights::default();
    assert!(ScoreMetric::ALL.iter().all(|&m| m == ScoreMetric::Csi || d.get(m) < d.csi));
    assert!(close(ScoreMetric::ALL.iter().map(|&m| d.get(m)).sum::<f64>(), 1.0));
}

#[test]
fn other_params_are_checked() {
    let base = params(DashboardFilter::All);
    let err = |p: DashboardParams| p.check().expect_err("refused");
    assert_eq!(err(DashboardParams { from: d("2026-07-01"), ..base.clone() }), DashboardError::Period { from: d("2026-07-01"), to: d("2026-06-30") });
    assert!(matches!(err(DashboardParams { from: Date::MIN, to: Date::MIN, ..base.clone() }), DashboardError::PreviousPeriod { .. }));
    assert_eq!(err(DashboardParams { csi: CsiParams { resamples: 50, ..CsiParams::default() }, ..base.clone() }), DashboardError::TooFewResamples { value: 50 });
    assert_eq!(err(DashboardParams { csi: CsiParams { confidence: 1.0, ..CsiParams::default() }, ..base.clone() }), DashboardError::BadConfidence { value: 1.0 });
    assert_eq!(err(DashboardParams { trend_points: 0, ..base.clone() }), DashboardError::BadTrendPoints { value: 0 });
    assert_eq!(err(DashboardParams { visits_per_customer_month: -1.0, ..base.clone() }), DashboardError::BadVisitRate { value: -1.0 });
    let mut p = base.clone();
    p.visit_targets.insert("王".into(), f64::INFINITY);
    assert!(matches!(err(p), DashboardError::BadVisitTarget { .. }));
    assert_eq!(err(DashboardParams { due_within_hours: 0.0, ..base.clone() }), DashboardError::BadDueHours { value: 0.0 });
}

#[test]
fn valid_params_deserialise_only_through_check() {
    let p = params(DashboardFilter::Owner("王".into()));
    let v = p.check().expect("valid");
    let json = serde_json::to_string(&v).expect("serialise");
    let back: ValidDashboardParams = serde_json::from_str(&json).expect("read back");
    assert_eq!(back, v);
    let mut bad = p;
    bad.weights.csi = -1.0;
    let json = serde_json::to_string(&bad).expect("serialise");
    assert!(serde_json::from_str::<ValidDashboardParams>(&json).is_err());
    // A minimal JSON takes the defaults.
    let min = r#"{"from":"2026-06-01","to":"2026-06-30","as_of":"2026-06-30T15:00:00+08:00"}"#;
    let v: ValidDashboardParams = serde_json::from_str(min).expect("minimal");
    assert_eq!(v.params().trend_points, 8);
    assert_eq!(v.params().filter, DashboardFilter::All);
}

#[test]
fn error_messages_in_both_languages_keep_their_punctuation() {
    let errors = [
        DashboardError::Period { from: d("2026-07-01"), to: d("2026-06-30") },
        DashboardError::PreviousPeriod { from: d("2026-07-01"), to: d("2026-06-30") },
        DashboardError::BadConfidence { value: 1.5 },
        DashboardError::TooFewResamples { value: 5 },
        DashboardError::BadTrendPoints { value: 0 },
        DashboardError::BadWeight { metric: ScoreMetric::Csi, value: -1.0 },
        DashboardError::ZeroWeights,
        DashboardError::BadVisitRate { value: -1.0 },
        DashboardError::BadVisitTarget { owner: "王".into(), value: -1.0 },
        DashboardError::BadDueHours { value: 0.0 },
        DashboardError::Satisfaction { detail: crate::error::Localized::bilingual(&crate::satisfaction::csi::CsiError::NoAnswers) },
    ];
    for e in &errors {
        let zh = e.message(Language::ZhCn);
        let en = e.message(Language::En);
        assert!(zh.ends_with('。'), "{zh}");
        assert!(!zh.contains([',', ':', '(', ')', ';']), "ASCII punctuation in {zh}");
        assert!(en.ends_with('.'), "{en}");
        assert!(!en.contains(['，', '。', '：', '（', '）', '；']), "full-width punctuation in {en}");
        assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn concentration_ties_and_fewer_than_five_buyers() {
    // Six buyers of 100 each: k = ⌈1.2⌉ = 2, the first two by id: 200 / 600.
    let mut f = fixture();
    f.customers = (1..=6).map(|i| customer(&format!("{i}"), "王", Region::East)).collect();
    let lines: Vec<_> = (1..=6).map(|i| line(&format!("L{i}"), &format!("{i}"), "2026-06-10", 100.0)).collect();
    f.orders = OrderTable::from_rows(&lines);
    let o = run(&f, params(DashboardFilter::All)).overview;
    assert_eq!((o.concentration.buyers, o.concentration.top_n), (6, 2));
    assert_eq!(ids(&o.concentration.list), ["1", "2"]);
    assert_close(o.concentration.share, 1.0 / 3.0);
    // Ids compare numerically when all are numbers: 10 after 9.
    f.customers.push(customer("10", "王", Region::East));
    let mut lines = lines;
    lines.push(line("L10", "10", "2026-06-10", 100.0));
    f.customers.swap(0, 6);
    f.orders = OrderTable::from_rows(&lines);
    let o = run(&f, params(DashboardFilter::All)).overview;
    assert_eq!(ids(&o.revenue.list), ["1", "2", "3", "4", "5", "6", "10"]);
    // Four buyers 50, 30, 15, 5: k = ⌈0.8⌉ = 1 → 50 / 100.
    let four = [("1", 50.0), ("2", 30.0), ("3", 15.0), ("4", 5.0)];
    f.orders = OrderTable::from_rows(&four.iter().map(|(c, a)| line(&format!("L{c}"), c, "2026-06-10", *a)).collect::<Vec<_>>());
    let o = run(&f, params(DashboardFilter::All)).overview;
    assert_eq!((o.concentration.buyers, o.concentration.top_n), (4, 1));
    assert_close(o.concentration.share, 0.5);
}

#[test]
fn zero_revenue_gives_no_share_and_no_growth() {
    let mut f = fixture();
    let lines = vec![line("L1", "C1", "2026-06-10", 0.0), line("L2", "C2", "2026-05-10", 0.0)];
    f.orders = OrderTable::from_rows(&lines);
    let r = run(&f, params(DashboardFilter::All));
    let o = &r.overview;
    assert_eq!((o.revenue.revenue, o.revenue.growth, o.revenue.buyers), (0.0, None, 0));
    assert_eq!((o.concentration.buyers, o.concentration.top_n, o.concentration.share, o.concentration.previous_share), (0, 0, None, None));
    assert!(r.scorecard.rows.iter().all(|row| row.growth.is_none() && row.retention.is_none()));
    round_trip(&r);
}

/// A report survives JSON exactly: no NaN (which JSON cannot hold, and which is never
/// equal to itself) anywhere.
fn round_trip(r: &DashboardReport) {
    let json = serde_json::to_string(r).expect("serialise");
    let back: DashboardReport = serde_json::from_str(&json).expect("read back");
    assert_eq!(&back, r);
}

#[test]
fn empty_data_has_no_nan() {
    let vp = ValueParams::new(d("2026-06-30")).check().expect("value params");
    let value = crate::value::analyse(&[], &[], &vp).expect("empty analysis");
    let survey = fixture().survey;
    let orders = OrderTable::default();
    let (cal, policy, visits) = (WorkCalendar::china(), SlaPolicy::default(), ValidVisitParams::default());
    let input = DashboardInput {
        customers: &[],
        value: &value,
        previous_value: None,
        orders: &orders,
        interactions: &[],
        complaints: &[],
        survey: Some(&survey),
        responses: &[],
        calendar: &cal,
        policy: &policy,
        visits: &visits,
    };
    let r = dashboard(&input, &params(DashboardFilter::All).check().expect("valid"));
    let o = &r.overview;
    assert!(o.customers.ids.is_empty());
    assert!(o.abc.rows.iter().all(|c| c.count == 0 && c.previous.is_none()));
    assert_eq!((o.revenue.growth, o.concentration.share, o.csi.current.as_ref(), o.csi.change), (None, None, None, None));
    assert!(o.csi.trend.iter().all(|p| p.csi.is_none()));
    assert_eq!((o.complaints.open.count, o.complaints.on_time_rate), (0, None));
    assert_eq!((o.visits.done.count, o.warning.count, o.warning.previous), (0, 0, None));
    assert!(r.scorecard.rows.is_empty());
    round_trip(&r);
}

#[test]
fn demo_data_figures_are_consistent() {
    let demo = generate(&DemoParams { customers: 200, ..DemoParams::default() });
    let orders = OrderTable::from_rows(&demo.orders);
    let end = DemoParams::default().end;
    let vp = ValueParams::new(end).check().expect("value params");
    let value = crate::value::analyse_table(&demo.customers, &orders, &vp).expect("value analysis");
    let (cal, policy, visits) = (WorkCalendar::china(), SlaPolicy::default(), ValidVisitParams::default());
    let input = DashboardInput {
        customers: &demo.customers,
        value: &value,
        previous_value: None,
        orders: &orders,
        interactions: &demo.interactions,
        complaints: &demo.complaints,
        survey: demo.surveys.first(),
        responses: &demo.responses,
        calendar: &cal,
        policy: &policy,
        visits: &visits,
    };
    let p = DashboardParams {
        csi: CsiParams { resamples: 200, ..CsiParams::default() },
        ..DashboardParams::new(d("2026-01-01"), end, t("2026-06-30T17:00"))
    };
    let r = dashboard(&input, &p.check().expect("valid"));
    let o = &r.overview;
    let n = demo.customers.len();
    assert_eq!(o.customers.ids.len(), n);
    for counts in [
        o.abc.rows.iter().map(|c| c.count).sum::<usize>() + o.abc.unclassified.ids.len(),
        o.stage.rows.iter().map(|c| c.count).sum::<usize>() + o.stage.unclassified.ids.len(),
        o.grade.rows.iter().map(|c| c.count).sum::<usize>() + o.grade.unclassified.ids.len(),
    ] {
        assert_eq!(counts, n);
    }
    assert!(o.abc.unclassified.ids.is_empty());
    assert_eq!(o.warning.count, value.warning.len());
    assert!(o.revenue.revenue > 0.0 && o.revenue.buyers > 0);
    let share = o.concentration.share.expect("a share");
    assert!(share > 0.2 && share <= 1.0, "{share}");
    assert_eq!(o.concentration.top_n, o.concentration.buyers.div_ceil(5));
    let c = &o.complaints;
    assert_eq!(c.open.count, c.overdue.count + c.waiting.count + c.due_today.count + c.due_soon.count + c.later.count);
    assert!(c.received.count > 0 && o.visits.done.count > 0);
    let csi = o.csi.current.as_ref().expect("the demo survey has responses in the half year");
    assert!((0.0..=100.0).contains(&csi.csi));
    assert!(csi.ci_low.is_some_and(|lo| lo <= csi.csi) && csi.ci_high.is_some_and(|hi| hi >= csi.csi));
    assert_eq!(o.csi.trend.len(), 8);
    // The scorecard splits the same customers and revenue over the owners.
    let s = &r.scorecard;
    assert_eq!(s.rows.iter().map(|r| r.customers.ids.len()).sum::<usize>(), n);
    let total: f64 = s.rows.iter().map(|r| r.revenue).sum();
    assert!((total - o.revenue.revenue).abs() < 1e-6 * o.revenue.revenue.abs().max(1.0));
    assert_eq!(s.rows.iter().map(|r| r.rank).collect::<Vec<_>>(), (1..=s.rows.len()).collect::<Vec<_>>());
    assert!(s.rows.iter().all(|r| r.score.is_none_or(|x| (0.0..=1.0).contains(&x))));
    round_trip(&r);
    // One owner's page is that owner's share of the company's.
    let owner = s.rows[0].owner.clone();
    let q = DashboardParams { filter: DashboardFilter::Owner(owner.clone()), ..p };
    let mine = dashboard(&input, &q.check().expect("valid"));
    assert_eq!(mine.overview.customers.ids.len(), s.rows[0].customers.ids.len());
    assert!((mine.overview.revenue.revenue - s.rows[0].revenue).abs() < 1e-6);
    assert!(mine.overview.complaints.open.count <= c.open.count);
    assert_eq!(mine.scorecard.rows.len(), 1);
}

#[test]
fn scorecard_reweighted_equals_a_fresh_run_with_those_weights() {
    let f = fixture();
    let before = run(&f, params(DashboardFilter::All)).scorecard;
    let mut p = params(DashboardFilter::All);
    p.weights = ScoreWeights { revenue: 0.0, growth: 0.0, csi: 0.0, complaints_on_time: 0.0, retention: 0.0, visits: 2.0 };
    let again = before.reweighted(&p.check().expect("valid"));
    assert_eq!(again, run(&f, p).scorecard);
    // Visits only: 王 2/2 → 1, 李 1/2 → 0.5, 张 0/2 → 0 (min-max over 1, 0.5, 0).
    assert_eq!(again.rows.iter().map(|r| (r.owner.as_str(), r.score)).collect::<Vec<_>>(), [("王", Some(1.0)), ("李", Some(0.5)), ("张", Some(0.0))]);
    assert!(close(again.weights.visits, 1.0));
}
