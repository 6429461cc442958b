//! Unit tests of the complaint workflow, clocks, analysis, audit CSV and drafts. The
//! fixture's figures are computed by hand in the comments (calendar: Asia/Shanghai,
//! Mon-Fri 09-12 + 13-18; March 2024 has no holiday; 2024-03-04 is a Monday).

use super::*;
use crate::model::{Complaint, ComplaintAction as A, ComplaintEvent, EventKind, EventTime, Handling, Language, Severity, SurveyResponse};
use crate::service::calendar::WorkCalendar;
use std::collections::HashMap;

fn t(s: &str) -> EventTime {
    let full = if s.len() == 16 { format!("{s}:00+08:00") } else { s.to_string() };
    chrono::DateTime::parse_from_rfc3339(&full).expect("test time")
}

fn ev(action: A, at: &str) -> ComplaintEvent {
    ComplaintEvent::new(action, t(at), "tester")
}

fn valid() -> A {
    A::Valid { handling: Handling::Local, members: vec![] }
}

fn complaint(id: &str, customer: &str, category: &str, severity: Severity, owner: &str, events: Vec<ComplaintEvent>) -> Complaint {
    let at = events.first().map(|e| e.at.to_utc()).unwrap_or_default();
    Complaint {
        id: id.into(),
        customer_id: customer.into(),
        channel: "电话".into(),
        category: category.into(),
        description: String::new(),
        severity,
        owner: owner.into(),
        events,
        created_at: at,
        updated_at: at,
    }
}

const AS_OF: &str = "2024-03-11T12:00";

/// The fixture; each complaint's hand computation is next to it.
fn fixture() -> Vec<Complaint> {
    use Severity::{General, Major};
    vec![
        // K1: confirm Mon 09-12 = 3 h (on time, 8). Resolved Thu 12:00: Mon 8 + Tue 8 + Wed 8
        // + Thu 3 = 27 h, minus the wait Tue 09:00 -> Wed 09:00 = 8 h: 19 h (on time, 40).
        complaint("K1", "A", "质量", General, "王芳", vec![
            ev(A::Received, "2024-03-04T09:00"),
            ev(A::Confirmed, "2024-03-04T13:00"),
            ev(valid(), "2024-03-04T13:00"),
            ev(A::Waiting, "2024-03-05T09:00"),
            ev(A::Resumed, "2024-03-06T09:00"),
            ev(A::Resolved, "2024-03-07T12:00"),
            ev(A::FollowedUp { result: "满意".into(), satisfaction: Some(4) }, "2024-03-08T10:00"),
            ev(A::Closed, "2024-03-08T11:00"),
        ]),
        // K2 (major, repeat of K1: same customer and category, 8 h later): confirm Mon 17-18
        // + Tue 09-10 = 2 h (on time, exactly 2). Resolved Thu 10:00, reopened Fri 09:00,
        // resolved Fri 11:00: Mon 1 + Tue 8 + Wed 8 + Thu 8 + Fri 2 = 27 h minus the pause
        // Thu 10:00 -> Fri 09:00 (Thu 10-12 2 + 13-18 5 = 7 h) = 20 h (late, 16).
        complaint("K2", "A", "质量", Major, "周敏", vec![
            ev(A::Received, "2024-03-04T17:00"),
            ev(A::Confirmed, "2024-03-05T10:00"),
            ev(A::Valid { handling: Handling::SpecialTeam, members: vec!["周敏".into(), "刘强".into()] }, "2024-03-05T10:00"),
            ev(A::Resolved, "2024-03-07T10:00"),
            ev(A::Reopened, "2024-03-08T09:00"),
            ev(A::Resolved, "2024-03-08T11:00"),
        ]),
        // K3: never confirmed. As of Mon 03-11 12:00: Fri 10-12 2 + 13-18 5 + Mon 3 = 10 h
        // > 8: confirmation overdue; resolution clock 10 h < 40.
        complaint("K3", "B", "交付", General, "王芳", vec![ev(A::Received, "2024-03-08T10:00")]),
        // K4: confirm 1 h, invalid with an explanation, closed.
        complaint("K4", "C", "交付", General, "王芳", vec![
            ev(A::Received, "2024-03-04T09:00"),
            ev(A::Confirmed, "2024-03-04T10:00"),
            ev(A::Invalid { explanation: "使用不当".into() }, "2024-03-04T10:30"),
            ev(A::Closed, "2024-03-04T11:00"),
        ]),
        // K5: confirm Wed 09:00-18:00 = 8 h (on time, exactly 8); handling; elapsed Wed 8 +
        // Thu 8 + Fri 8 + Mon 3 = 27 h, 13 h left; deadline Wed 09:00 + 40 h = Tue 03-12 18:00.
        complaint("K5", "B", "服务", General, "王芳", vec![
            ev(A::Received, "2024-03-06T09:00"),
            ev(A::Confirmed, "2024-03-06T18:00"),
            ev(valid(), "2024-03-06T18:00"),
        ]),
        // K6 (major): confirm 0.5 h; waiting since Fri 11:00: paused Fri 11-12 1 + 13-18 5 +
        // Mon 3 = 9 h; elapsed Fri 8 + Mon 3 - 9 = 2 h; deadline Fri 09:00 + (16 + 9) h =
        // Wed 03-13 10:00.
        complaint("K6", "D", "质量", Major, "周敏", vec![
            ev(A::Received, "2024-03-08T09:00"),
            ev(A::Confirmed, "2024-03-08T09:30"),
            ev(valid(), "2024-03-08T10:00"),
            ev(A::Waiting, "2024-03-08T11:00"),
        ]),
        // K7 (major): handling since Mon 03-04: elapsed 5 x 8 + 3 = 43 h > 16: overdue.
        complaint("K7", "E", "质量", Major, "周敏", vec![
            ev(A::Received, "2024-03-04T09:00"),
            ev(A::Confirmed, "2024-03-04T09:10"),
            ev(valid(), "2024-03-04T09:20"),
        ]),
        // K8: received after the as-of instant: not counted.
        complaint("K8", "A", "质量", General, "王芳", vec![ev(A::Received, "2024-03-11T14:00")]),
        // K9: resolved while registered: refused, left out of every figure.
        complaint("K9", "A", "质量", General, "王芳", vec![ev(A::Received, "2024-03-04T09:00"), ev(A::Resolved, "2024-03-04T10:00")]),
        // K10: confirmed after the as-of instant, so registered as of it: Fri 15-18 3 + Mon
        // 3 = 6 h < 8; deadline Fri 15:00 + 8 h = Mon 15:00 (today, 2 h left: due soon).
        complaint("K10", "F", "服务", General, "王芳", vec![ev(A::Received, "2024-03-08T15:00"), ev(A::Confirmed, "2024-03-12T09:00")]),
    ]
}

fn report_at(as_of: &str) -> ComplaintReport {
    let cal = WorkCalendar::china();
    let policy = SlaPolicy::default();
    let segments: HashMap<String, String> =
        [("A", "大客户"), ("B", "大客户"), ("C", "中小")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    analyse(&fixture(), &ComplaintParams { calendar: &cal, policy: &policy, as_of: t(as_of), customers: Some(40), segments: Some(&segments) })
}

fn map(items: &[(&str, usize)]) -> std::collections::BTreeMap<String, usize> {
    items.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn per_complaint_clocks() {
    let r = report_at(AS_OF);
    let by: HashMap<&str, &ComplaintClock> = r.per_complaint.iter().map(|k| (k.id.as_str(), k)).collect();
    let row = |id: &str| {
        let k = by[id];
        (k.state, k.confirm_hours, k.resolve_hours, k.paused_hours, k.confirm_on_time, k.resolve_on_time)
    };
    use ComplaintState as S;
    assert_eq!(row("K1"), (S::Closed, Some(3.0), Some(19.0), 8.0, Some(true), Some(true)));
    assert_eq!(row("K2"), (S::Resolved, Some(2.0), Some(20.0), 7.0, Some(true), Some(false)));
    assert_eq!(row("K3"), (S::Registered, None, None, 0.0, None, None));
    assert_eq!(row("K4"), (S::Closed, Some(1.0), None, 0.0, Some(true), None));
    assert_eq!(row("K5"), (S::Handling, Some(8.0), None, 0.0, Some(true), None));
    assert_eq!(row("K6"), (S::Waiting, Some(0.5), None, 9.0, Some(true), None));
    assert_eq!(row("K10"), (S::Registered, None, None, 0.0, None, None));
    assert!(!by.contains_key("K8") && !by.contains_key("K9"));
    assert!(close(by["K7"].confirm_hours, 10.0 / 60.0));
    assert_eq!((by["K3"].elapsed_hours, by["K3"].left_hours), (10.0, Some(-2.0)));
    assert_eq!((by["K5"].elapsed_hours, by["K5"].left_hours), (27.0, Some(13.0)));
    assert_eq!((by["K6"].elapsed_hours, by["K6"].left_hours), (2.0, Some(14.0)));
    assert_eq!(by["K7"].elapsed_hours, 43.0);
    assert_eq!(by["K5"].resolve_deadline.map(|d| d.to_rfc3339()), Some("2024-03-12T18:00:00+08:00".into()));
    assert_eq!(by["K6"].resolve_deadline.map(|d| d.to_rfc3339()), Some("2024-03-13T10:00:00+08:00".into()));
    assert_eq!(by["K10"].confirm_deadline.map(|d| d.to_rfc3339()), Some("2024-03-11T15:00:00+08:00".into()));
    assert_eq!(by["K4"].resolve_deadline, None);
    assert_eq!(by["K2"].handling, Some(Handling::SpecialTeam));
}

#[test]
fn analysis_of_the_fixture() {
    let r = report_at(AS_OF);
    // Counted: K1-K7 and K10 (K8 later, K9 refused).
    assert_eq!(r.complaints, 8);
    assert_eq!(r.by_category, map(&[("质量", 4), ("交付", 2), ("服务", 2)]));
    assert_eq!(r.by_severity, map(&[("general", 5), ("major", 3)]));
    assert_eq!(r.by_validity, map(&[("valid", 5), ("invalid", 1), ("unidentified", 2)]));
    assert_eq!(r.by_state, map(&[("closed", 2), ("resolved", 1), ("registered", 2), ("handling", 2), ("waiting", 1)]));
    // A, B -> 大客户 (K1, K2, K3, K5); C -> 中小 (K4); D, E, F unmapped (K6, K7, K10).
    assert_eq!(r.by_segment, map(&[("大客户", 4), ("中小", 1), ("", 3)]));
    assert_eq!(r.by_owner, map(&[("王芳", 5), ("周敏", 3)]));
    assert_eq!(r.by_month, map(&[("2024-03", 8)]));
    // Pareto: 质量 4/8 = 0.5; 交付 and 服务 tie at 2, by name (交 U+4EA4 < 服 U+670D).
    let pareto: Vec<(&str, usize, f64, f64)> = r.pareto.iter().map(|p| (p.category.as_str(), p.count, p.share, p.cumulative)).collect();
    assert_eq!(pareto, vec![("质量", 4, 0.5, 0.5), ("交付", 2, 0.25, 0.75), ("服务", 2, 0.25, 1.0)]);
    // Confirmation: confirmed K1 K2 K4 K5 K6 K7, all on time; unconfirmed past 8 h: K3.
    // Rate 6 / (6 + 1).
    assert_eq!((r.confirmed_on_time, r.confirmed, r.unconfirmed_overdue), (6, 6, 1));
    assert!(close(r.confirm_on_time_rate, 6.0 / 7.0));
    // Resolution: valid resolved K1 (on time) and K2 (late); valid open past target: K7.
    // Rate 1 / (2 + 1).
    assert_eq!((r.resolved_on_time, r.resolved, r.open_overdue), (1, 2, 1));
    assert!(close(r.resolve_on_time_rate, 1.0 / 3.0));
    // Hours [19, 20]: mean 19.5, median 19.5, p90 = 19 + 0.9 x (20 - 19) = 19.9.
    assert_eq!(r.resolve_hours.n, 2);
    assert!(close(r.resolve_hours.mean, 19.5) && close(r.resolve_hours.median, 19.5) && close(r.resolve_hours.p90, 19.9));
    assert_eq!((r.repeat, r.repeat_ids.clone()), (1, vec!["K2".to_string()]));
    // 8 complaints / 40 customers x 100.
    assert!(close(r.per_100_customers, 20.0));
    assert!(close(r.follow_up_satisfaction, 4.0));
    assert_eq!(r.overdue_confirm, vec!["K3"]);
    assert_eq!(r.overdue_resolve, vec!["K7"]);
    assert_eq!((r.due_today.clone(), r.due_soon.clone(), r.waiting.clone()), (vec!["K10".to_string()], vec!["K10".to_string()], vec!["K6".to_string()]));
    assert_eq!(due_counts(&r), DueCounts { overdue: 2, due_today: 1, due_soon: 1, waiting: 1 });
    let trend: Vec<(&str, usize, usize, usize)> = r.trend.iter().map(|m| (m.month.as_str(), m.received, m.resolved, m.resolved_on_time)).collect();
    assert_eq!(trend, vec![("2024-03", 8, 2, 1)]);
    assert_eq!(r.rejected.len(), 1);
    assert_eq!((r.rejected[0].complaint_id.as_str(), r.rejected[0].event_index), ("K9", 1));
    assert_eq!(r.rejected[0].error, EventError::NotAllowed { event: EventKind::Resolved, state: Some(ComplaintState::Registered) });
    assert!(r.unscheduled_years.is_empty());
}

#[test]
fn the_as_of_instant_is_read_in_the_calendar_zone_whatever_its_offset() {
    // 04:00Z is 12:00 in Shanghai; -05:00 likewise; the figures are the same.
    let a = report_at(AS_OF);
    for other in ["2024-03-11T04:00:00Z", "2024-03-10T23:00:00-05:00"] {
        let b = report_at(other);
        assert_eq!(a.per_complaint, b.per_complaint);
        assert_eq!(b.as_of.to_rfc3339(), "2024-03-11T12:00:00+08:00");
    }
}

#[test]
fn nothing_to_divide_by_gives_none() {
    let cal = WorkCalendar::china();
    let policy = SlaPolicy::default();
    let r = analyse(&[], &ComplaintParams { calendar: &cal, policy: &policy, as_of: t(AS_OF), customers: Some(0), segments: None });
    assert_eq!((r.confirm_on_time_rate, r.resolve_on_time_rate, r.per_100_customers), (None, None, None));
    assert_eq!(r.resolve_hours, HoursSummary { n: 0, mean: None, median: None, p90: None });
    assert!(r.pareto.is_empty() && r.trend.is_empty());
}

#[test]
fn excel_percentile_inc() {
    // PERCENTILE.INC({1,2,3,4,5}, 0.9) = 4.6; ({15,20,35,40,50}, 0.4) = 20 + 0.6 x 15 = 29.
    assert!(close(percentile_inc(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.9), 4.6));
    assert!(close(percentile_inc(&[15.0, 20.0, 35.0, 40.0, 50.0], 0.4), 29.0));
    assert_eq!(percentile_inc(&[7.0], 0.9), Some(7.0));
    assert_eq!(percentile_inc(&[], 0.5), None);
}

#[test]
fn a_deadline_in_a_year_without_schedule_is_flagged() {
    let cal = WorkCalendar::china();
    let policy = SlaPolicy::default();
    let c = complaint("K", "A", "质量", Severity::General, "", vec![ev(A::Received, "2026-12-31T17:00")]);
    let k = clock(&c, &cal, &policy, t("2026-12-31T17:30")).expect("accepted").expect("received");
    // Deadline 17:00 + 8 h: Thu 12-31 1 h, Fri 2027-01-01 (no schedule: a plain Friday) 7 h.
    assert_eq!(k.confirm_deadline.map(|d| d.to_rfc3339()), Some("2027-01-01T17:00:00+08:00".into()));
    assert_eq!(k.unscheduled_year, Some(2027));
}

/// The workflow table of the issue, typed independently: event kind -> states it is allowed
/// in (`None` = before `received`).
fn allowed(kind: EventKind) -> Vec<Option<ComplaintState>> {
    use ComplaintState as S;
    let all_after: Vec<Option<S>> = S::ALL.iter().map(|s| Some(*s)).collect();
    match kind {
        EventKind::Received => vec![None],
        EventKind::Confirmed => vec![Some(S::Registered)],
        EventKind::Valid | EventKind::Invalid => vec![Some(S::Confirmed)],
        EventKind::Waiting => vec![Some(S::Handling)],
        EventKind::Resumed => vec![Some(S::Waiting)],
        EventKind::Resolved => vec![Some(S::Handling), Some(S::Waiting)],
        EventKind::Reopened => vec![Some(S::Resolved), Some(S::FollowedUp)],
        EventKind::FollowedUp => vec![Some(S::Resolved)],
        EventKind::Closed => vec![Some(S::FollowedUp), Some(S::Invalid)],
        EventKind::Note => all_after,
    }
}

fn action_of(kind: EventKind) -> A {
    match kind {
        EventKind::Received => A::Received,
        EventKind::Confirmed => A::Confirmed,
        EventKind::Valid => A::Valid { handling: Handling::SpecialTeam, members: vec!["刘强".into()] },
        EventKind::Invalid => A::Invalid { explanation: "说明".into() },
        EventKind::Waiting => A::Waiting,
        EventKind::Resumed => A::Resumed,
        EventKind::Resolved => A::Resolved,
        EventKind::Reopened => A::Reopened,
        EventKind::FollowedUp => A::FollowedUp { result: "满意".into(), satisfaction: Some(5) },
        EventKind::Closed => A::Closed,
        EventKind::Note => A::Note,
    }
}

/// Every (state, event) pair: allowed ones lead where the table says, every other one is
/// refused with an error naming the event and the state, in both languages.
#[test]
fn every_illegal_event_is_refused() {
    use ComplaintState as S;
    let leads_to = |state: Option<S>, kind: EventKind| match kind {
        EventKind::Received => S::Registered,
        EventKind::Confirmed => S::Confirmed,
        EventKind::Valid | EventKind::Resumed | EventKind::Reopened => S::Handling,
        EventKind::Invalid => S::Invalid,
        EventKind::Waiting => S::Waiting,
        EventKind::Resolved => S::Resolved,
        EventKind::FollowedUp => S::FollowedUp,
        EventKind::Closed => S::Closed,
        EventKind::Note => state.expect("note only after received"),
    };
    let mut refused = 0;
    for state in std::iter::once(None).chain(S::ALL.iter().map(|s| Some(*s))) {
        for kind in EventKind::ALL {
            let got = next(state, &action_of(kind));
            if allowed(kind).contains(&state) {
                assert_eq!(got, Ok(leads_to(state, kind)), "{kind:?} in {state:?}");
            } else {
                refused += 1;
                let e = got.expect_err("refused");
                assert_eq!(e, EventError::NotAllowed { event: kind, state }, "{kind:?} in {state:?}");
                if let Some(s) = state {
                    assert!(e.message(Language::ZhCn).contains(s.label(Language::ZhCn)), "{}", e.message(Language::ZhCn));
                    assert!(e.message(Language::En).contains(s.label(Language::En)), "{}", e.message(Language::En));
                }
            }
        }
    }
    // 9 starting points x 11 events = 99 pairs; allowed: 1 + 1 + 2 + 1 + 1 + 2 + 2 + 1 + 2 +
    // 8 (notes) = 21, so 78 refused.
    assert_eq!(refused, 78);
}

#[test]
fn events_need_their_data_and_time_order() {
    use ComplaintState as S;
    assert_eq!(next(Some(S::Confirmed), &A::Invalid { explanation: "  ".into() }), Err(EventError::ExplanationRequired));
    assert_eq!(next(Some(S::Confirmed), &A::Valid { handling: Handling::SpecialTeam, members: vec![] }), Err(EventError::MembersRequired));
    assert_eq!(
        next(Some(S::Resolved), &A::FollowedUp { result: String::new(), satisfaction: Some(6) }),
        Err(EventError::SatisfactionOutOfRange { value: 6 })
    );
    let r = replay(&[ev(A::Received, "2024-03-04T10:00"), ev(A::Confirmed, "2024-03-04T09:00")]);
    assert!(matches!(r, Err(Refusal { index: 1, error: EventError::OutOfOrder { .. } })));
    assert_eq!(replay(&[]), Ok(None));
    assert!(EventError::ExplanationRequired.message(Language::ZhCn).contains("投诉解释"));
}

#[test]
fn sla_policy_json_and_checks() {
    let p = SlaPolicy::from_json(r#"{"general":{"confirm_hours":8,"resolve_hours":40},"major":{"confirm_hours":2,"resolve_hours":16}}"#).expect("valid");
    assert_eq!(p, SlaPolicy::default());
    assert_eq!(serde_json::to_string(&p).expect("json"), r#"{"general":{"confirm_hours":8.0,"resolve_hours":40.0},"major":{"confirm_hours":2.0,"resolve_hours":16.0}}"#);
    let half = SlaPolicy::from_json(r#"{"general":{"confirm_hours":0.5,"resolve_hours":7.5},"major":{"confirm_hours":2,"resolve_hours":16}}"#).expect("valid");
    assert_eq!(half.target(Severity::General).resolve, chrono::TimeDelta::minutes(450));
    let bad = SlaPolicy::from_json(r#"{"general":{"confirm_hours":0,"resolve_hours":40},"major":{"confirm_hours":2,"resolve_hours":16}}"#);
    assert_eq!(bad, Err(SlaError::BadTarget { severity: Severity::General, field: "confirm_hours", value: 0.0 }));
    assert!(bad.expect_err("bad").message(Language::ZhCn).contains("一般投诉的确认时限"));
    assert!(matches!(SlaPolicy::from_json("[]"), Err(SlaError::Json { .. })));
}

#[test]
fn audit_csv_round_trip_with_extra_data() {
    let mut complaints: Vec<Complaint> = fixture().into_iter().filter(|c| c.id != "K9").collect();
    complaints[0].events[1].note = "含逗号, \"引号\"\n和换行".into();
    let text = write_audit(&complaints);
    assert!(text.starts_with("complaint_id,customer_id,category,severity,event,at,by,note,owner,handling,members,explanation,result,satisfaction\n"));
    let back = read_audit(&text).expect("readable");
    assert!(back.issues.is_empty() && back.rejected.is_empty(), "{:?} {:?}", back.issues, back.rejected);
    assert_eq!(back.complaints.len(), complaints.len());
    for (a, b) in complaints.iter().zip(&back.complaints) {
        assert_eq!((&a.id, &a.customer_id, &a.category, a.severity, &a.owner), (&b.id, &b.customer_id, &b.category, b.severity, &b.owner));
        assert_eq!(a.events, b.events, "{}", a.id);
    }
    // The special team, satisfaction and explanation came back.
    assert_eq!(back.complaints[1].events[2].action, A::Valid { handling: Handling::SpecialTeam, members: vec!["周敏".into(), "刘强".into()] });
    assert_eq!(back.row_of("K2", 2), Some(11));
    assert_eq!(write_audit(&back.complaints), text);
}

#[test]
fn audit_csv_eight_columns_issues_and_rejected_events() {
    let text = "\u{feff}complaint_id,customer_id,category,severity,event,at,by,note\n\
        K1,C1,质量,major,received,2024-03-04T09:00:00+08:00,王,\n\
        K1,C1,质量,major,confirmed,2024-03-04T01:30:00Z,王,\n\
        K1,C1,质量,major,invalid,2024-03-04T10:00:00+08:00,王,已向客户说明\n\
        K2,C2,交付,general,received,2024-03-04,王,\n\
        K2,C2,交付,general,received,2024-03-04T09:00:00+08:00,王,\n\
        K2,C2,交付,urgent,confirmed,2024-03-04T10:00:00+08:00,王,\n\
        K2,C2,交付,general,resolved,2024-03-04T11:00:00+08:00,王,\n\
        K3,C3,服务,general,escalated,2024-03-04T11:00:00+08:00,王,\n\
        \n";
    let r = read_audit(text).expect("readable");
    // Row 4: a date without time; row 6: a severity; row 8: an event name.
    let issues: Vec<(usize, &str, &AuditProblem)> = r.issues.iter().map(|i| (i.row, i.column.as_str(), &i.what)).collect();
    assert_eq!(issues, vec![(4, "at", &AuditProblem::BadTime), (6, "severity", &AuditProblem::BadSeverity), (8, "event", &AuditProblem::BadEvent)]);
    // The note is the explanation of an invalid event in an eight-column file.
    assert_eq!(r.complaints[0].events[2].action, A::Invalid { explanation: "已向客户说明".into() });
    assert_eq!(r.complaints[0].events[1].at.to_rfc3339(), "2024-03-04T01:30:00+00:00");
    // K2 lost its confirmation (row 6), so resolving it (row 7) is refused in "registered".
    assert_eq!(r.rejected.len(), 1);
    let x = &r.rejected[0];
    assert_eq!((x.row, x.complaint_id.as_str(), x.event_index), (Some(7), "K2", 1));
    assert!(x.reason.contains("registered"), "{}", x.reason);
    assert!(matches!(read_audit("id,at\n1,2\n"), Err(AuditError::MissingColumns(c)) if c.len() == 7));
}

fn response(id: &str, customer: Option<&str>, answers: &[(&str, f64)], recommend: Option<u8>) -> SurveyResponse {
    let mut r: SurveyResponse = serde_json::from_value(serde_json::json!({
        "id": id, "survey_id": "S1", "customer_id": customer, "date": "2024-05-01",
        "created_at": "2024-05-01T00:00:00Z", "updated_at": "2024-05-01T00:00:00Z"
    }))
    .expect("response");
    r.answers = answers.iter().map(|(k, v)| (k.to_string(), Some(*v))).collect();
    r.recommend = recommend;
    r
}

#[test]
fn survey_answers_make_drafts_only_when_switched_on() {
    let rs = vec![
        response("R1", Some("C1"), &[("delivery", 2.0), ("quality", 5.0)], Some(9)),
        response("R2", Some("C2"), &[("delivery", 4.0)], Some(6)),
        response("R3", Some("C3"), &[("delivery", 3.0)], Some(7)),
        response("R4", None, &[("delivery", 1.0)], None),
    ];
    let on = DraftRule { enabled: true, level: 2.0 };
    let d = drafts::drafts(&rs, &on);
    let got: Vec<(&str, Vec<DraftReason>)> = d.iter().map(|x| (x.response_id.as_str(), x.reasons.clone())).collect();
    assert_eq!(
        got,
        vec![
            ("R1", vec![DraftReason::LowAnswer { item: "delivery".into(), value: 2.0 }]),
            ("R2", vec![DraftReason::Detractor { recommend: 6 }]),
            ("R4", vec![DraftReason::LowAnswer { item: "delivery".into(), value: 1.0 }]),
        ]
    );
    assert!(drafts::drafts(&rs, &DraftRule { enabled: false, level: 2.0 }).is_empty());
    // The complaint names the survey and its items as people read them, never their ids.
    let survey: crate::model::Survey = serde_json::from_value(serde_json::json!({
        "id": "S1", "name": "客户满意度", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
        "root": { "id": "csi", "label": "总体满意度", "children": [
            { "id": "delivery", "label": "交付准时" }, { "id": "quality", "label": "产品质量" } ] }
    }))
    .expect("survey");
    let c = d[0].to_complaint("K100", t("2024-05-02T09:00"), "王芳", "交付", Severity::General, Some(&survey), Language::ZhCn).expect("named customer");
    assert_eq!((c.customer_id.as_str(), c.events.len()), ("C1", 1));
    assert_eq!(c.description, "满意度调查「客户满意度」：交付准时 2 分。");
    assert_eq!(c.events[0].note, "来自 2024-05-01 的满意度答卷");
    assert_eq!(d[1].description(Some(&survey), Language::ZhCn), "满意度调查「客户满意度」：推荐意愿 6 分（0-10）。");
    assert_eq!(d[1].description(Some(&survey), Language::En), "Survey “客户满意度”: likelihood to recommend 6 (0-10).");
    // Without its survey (deleted since), the ids are all there is.
    assert_eq!(d[0].description(None, Language::En), "Survey “S1”: delivery 2.");
    assert!(d[2].to_complaint("K101", t("2024-05-02T09:00"), "王芳", "交付", Severity::General, Some(&survey), Language::En).is_none());
}

#[test]
fn pending_drafts_leave_out_handled_responses_newest_first() {
    let dated = |id: &str, date: &str, answers: &[(&str, f64)], recommend: Option<u8>| {
        let mut r = response(id, Some("C1"), answers, recommend);
        r.date = date.parse().expect("date");
        r
    };
    // R1 (05-01) low answer, R2 (05-03) detractor, R3 (05-03) low answer, R4 (05-02) no
    // reason (3 > 2, recommend 7), R5 (04-30) low answer but handled.
    let rs = vec![
        dated("R1", "2024-05-01", &[("delivery", 1.0)], Some(8)),
        dated("R2", "2024-05-03", &[("delivery", 4.0)], Some(5)),
        dated("R3", "2024-05-03", &[("quality", 2.0)], None),
        dated("R4", "2024-05-02", &[("delivery", 3.0)], Some(7)),
        dated("R5", "2024-04-30", &[("delivery", 1.0)], None),
    ];
    let on = DraftRule { enabled: true, level: 2.0 };
    let ids = |d: Vec<drafts::ComplaintDraft>| d.into_iter().map(|x| x.response_id).collect::<Vec<_>>();
    // Newest first; on the same day the larger id first.
    assert_eq!(ids(drafts::pending(&rs, &on, &["R5".to_string()])), vec!["R3", "R2", "R1"]);
    assert_eq!(ids(drafts::pending(&rs, &on, &[])), vec!["R3", "R2", "R1", "R5"]);
    assert_eq!(ids(drafts::pending(&rs, &on, &["R2".to_string(), "R3".to_string(), "R9".to_string()])), vec!["R1", "R5"]);
    assert!(drafts::pending(&rs, &DraftRule { enabled: false, level: 2.0 }, &[]).is_empty());
    assert_eq!(DraftRule::checked(true, 3.0), Some(DraftRule { enabled: true, level: 3.0 }));
    assert_eq!(DraftRule::checked(true, 0.0), None);
    assert_eq!(DraftRule::checked(false, -1.0), None);
    assert_eq!(DraftRule::checked(true, f64::NAN), None);
    assert_eq!(DraftRule::checked(true, f64::INFINITY), None);
}

#[test]
fn complaint_settings_without_handled_drafts_still_load() {
    let old = serde_json::json!({ "draft_rule": { "enabled": true, "level": 3.0 }, "categories": ["交付"] });
    let s: ComplaintSettings = serde_json::from_value(old).expect("old settings");
    assert!(s.handled_drafts.is_empty());
    assert_eq!(s.draft_rule, DraftRule { enabled: true, level: 3.0 });
    let mut s2 = s.clone();
    s2.handled_drafts = vec!["R1".into()];
    let back: ComplaintSettings = serde_json::from_str(&serde_json::to_string(&s2).expect("json")).expect("round trip");
    assert_eq!(back, s2);
}

#[test]
fn state_on_a_day_for_the_segment_crosstab() {
    let c = &fixture()[0];
    let day = |s: &str| s.parse::<chrono::NaiveDate>().expect("date");
    assert_eq!(state_on(c, day("2024-03-03")), None);
    assert_eq!(state_on(c, day("2024-03-05")), Some(ComplaintState::Waiting));
    assert_eq!(state_on(c, day("2024-03-08")), Some(ComplaintState::Closed));
}

#[test]
fn complaint_json_carries_events_with_offsets() {
    let c = &fixture()[1];
    let v = serde_json::to_value(c).expect("json");
    assert_eq!(v["events"][2], serde_json::json!({"event": "valid", "handling": "special_team", "members": ["周敏", "刘强"], "at": "2024-03-05T10:00:00+08:00", "by": "tester", "note": ""}));
    let back: Complaint = serde_json::from_value(v).expect("round trip");
    assert_eq!(&back, c);
}

/// The buttons of a complaint's page come from `state::allowed`: it lists exactly the
/// events `next` accepts in each state (the table of the issue, typed above).
#[test]
fn allowed_lists_exactly_the_events_next_accepts() {
    for state in std::iter::once(None).chain(ComplaintState::ALL.iter().map(|s| Some(*s))) {
        let listed = super::state::allowed(state);
        let accepted: Vec<EventKind> = EventKind::ALL.into_iter().filter(|k| next(state, &action_of(*k)).is_ok()).collect();
        assert_eq!(listed, accepted, "{state:?}");
    }
}

/// `append` refuses an event the state does not allow, with the message naming the state,
/// and an event earlier than the last one; it keeps the history otherwise.
#[test]
fn append_checks_state_and_time() {
    let received = vec![ev(A::Received, "2026-03-02T09:00:00+08:00")];
    let e = super::state::append(&received, ev(A::Closed, "2026-03-02T10:00:00+08:00")).expect_err("closed in registered");
    assert_eq!(e, EventError::NotAllowed { event: EventKind::Closed, state: Some(ComplaintState::Registered) });
    assert!(e.message(crate::model::Language::ZhCn).contains("已登记"));
    let e = super::state::append(&received, ev(A::Confirmed, "2026-03-02T08:00:00+08:00")).expect_err("earlier");
    assert!(matches!(e, EventError::OutOfOrder { .. }));
    let out = super::state::append(&received, ev(A::Confirmed, "2026-03-02T09:30:00+08:00")).expect("confirmed");
    assert_eq!(out.len(), 2);
}
