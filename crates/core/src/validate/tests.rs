use super::*;
use crate::model::*;
use chrono::{TimeZone, Utc};
use std::collections::BTreeMap;

fn ts(y: i32, m: u32, d: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, d, 8, 0, 0).single().unwrap_or_default()
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub(crate) fn cust(id: &str) -> Customer {
    Customer {
        id: id.into(),
        code: String::new(),
        name: format!("客户{id}"),
        kind: CustomerKind::EndCustomer,
        industry: "化工".into(),
        region: Some(Region::East),
        province: "江苏省".into(),
        city: "苏州市".into(),
        city_size: None,
        economic_zone: None,
        size: String::new(),
        owner: "张伟".into(),
        credit_rating: None,
        status: CustomerStatus::Active,
        termination_reason: String::new(),
        since: Some(date(2020, 1, 1)),
        tags: vec![],
        notes: String::new(),
        referred_by: None,
        referred_by_contact: None,
        referred_by_name: String::new(),
        key_account: KeyAccountProfile::default(),
        attributes: BTreeMap::new(),
        relationship: None,
        created_at: ts(2024, 1, 1),
        updated_at: ts(2024, 1, 2),
    }
}

fn order(id: &str, customer: &str) -> OrderLine {
    OrderLine::new(id, customer, date(2024, 3, 1), 100.0, ts(2024, 3, 1))
}

fn codes(p: &[Problem]) -> Vec<(&str, &ProblemCode)> {
    p.iter().map(|p| (p.field.as_str(), &p.code)).collect()
}

#[test]
fn a_good_customer_has_no_problem() {
    assert_eq!(customer(&cust("C1")), vec![]);
}

#[test]
fn empty_name_is_required_with_messages_in_both_languages() {
    let mut c = cust("C000012");
    c.name = "  ".into();
    let p = customer(&c);
    assert_eq!(codes(&p), vec![("name", &ProblemCode::Required)]);
    assert_eq!(p[0].message(Language::ZhCn), "客户 C000012 的「名称」不能为空。");
    assert_eq!(p[0].message(Language::En), "Customer C000012: field “name” is required.");
}

#[test]
fn customer_field_rules() {
    let mut c = cust("C1");
    c.status = CustomerStatus::Terminated;
    c.since = Some(date(1850, 1, 1));
    c.referred_by = Some("C1".into());
    c.relationship = Some(RelationshipScores { common_interest: 0, relationship_value: 6 });
    c.attributes.insert("gender".into(), "robot".into());
    c.attributes.insert("media".into(), "tv;internet".into());
    c.attributes.insert("my_own".into(), "anything".into());
    c.name = "名".repeat(MAX_NAME + 1);
    c.updated_at = ts(2023, 1, 1);
    let p = customer(&c);
    let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "name",
            "termination_reason",
            "since",
            "referred_by",
            "attributes.gender",
            "relationship.common_interest",
            "relationship.relationship_value",
            "updated_at"
        ]
    );
    assert_eq!(p[0].code, ProblemCode::TooLong { max: MAX_NAME });
    assert_eq!(p[1].code, ProblemCode::TerminatedWithoutReason);
    assert_eq!(p[7].code, ProblemCode::UpdatedBeforeCreated);
    // Every message is a full sentence in both languages.
    for q in &p {
        assert!(q.message(Language::ZhCn).ends_with('。'), "{}", q.message(Language::ZhCn));
        assert!(q.message(Language::En).ends_with('.'), "{}", q.message(Language::En));
    }
    assert!(p[4].message(Language::ZhCn).contains("细分属性「性别」"));
}

#[test]
fn name_length_counts_characters_not_bytes() {
    let mut c = cust("C1");
    c.name = "名".repeat(MAX_NAME); // 600 bytes, 200 characters
    assert_eq!(customer(&c), vec![]);
}

#[test]
fn contact_email_shape() {
    let mut c = Contact {
        id: "P1".into(),
        customer_id: "C1".into(),
        name: "王磊".into(),
        title: String::new(),
        phone: String::new(),
        email: "wang@example.com".into(),
        roles: vec![],
        notes: String::new(),
        created_at: ts(2024, 1, 1),
        updated_at: ts(2024, 1, 1),
    };
    assert_eq!(contact(&c), vec![]);
    for bad in ["wang", "wang@", "@x.com", "wang@example", "wa ng@x.com", "a@b@c.com"] {
        c.email = bad.into();
        assert_eq!(codes(&contact(&c)), vec![("email", &ProblemCode::BadEmail)], "{bad}");
    }
}

#[test]
fn order_numbers_must_be_finite() {
    let mut o = order("O1", "C1");
    o.amount = f64::NAN;
    o.profit = Some(f64::INFINITY);
    o.quantity = Some(-3.0);
    o.date = date(2201, 1, 1);
    let p = order_line(&o);
    assert_eq!(
        codes(&p),
        vec![
            ("date", &ProblemCode::InvalidDate { value: "2201-01-01".into() }),
            ("amount", &ProblemCode::NotFinite),
            ("profit", &ProblemCode::NotFinite),
        ]
    );
}

fn complaint_at(received: Timestamp) -> Complaint {
    use crate::model::{ComplaintAction, ComplaintEvent};
    Complaint {
        id: "T1".into(),
        customer_id: "C1".into(),
        channel: String::new(),
        category: String::new(),
        description: String::new(),
        severity: Severity::General,
        owner: String::new(),
        events: vec![ComplaintEvent::new(ComplaintAction::Received, received.fixed_offset(), "")],
        created_at: received,
        updated_at: received,
    }
}

/// A history the workflow refuses is a problem of the `events` field that names the
/// refused event and the state (here: closed straight after confirmation, and an event
/// earlier than the one before it).
#[test]
fn complaint_events_follow_the_workflow() {
    use crate::model::{ComplaintAction, ComplaintEvent};
    use crate::service::complaints::{ComplaintState, EventError};
    let received = ts(2024, 5, 10);
    let mut c = complaint_at(received);
    assert_eq!(complaint(&c), vec![]);
    c.events.push(ComplaintEvent::new(ComplaintAction::Confirmed, received.fixed_offset(), ""));
    c.events.push(ComplaintEvent::new(ComplaintAction::Closed, received.fixed_offset(), ""));
    let p = complaint(&c);
    let refused = ProblemCode::EventRefused {
        index: 2,
        error: EventError::NotAllowed { event: crate::model::EventKind::Closed, state: Some(ComplaintState::Confirmed) },
    };
    assert_eq!(codes(&p), vec![("events", &refused)]);
    assert!(p[0].message(Language::ZhCn).contains("已确认"), "{}", p[0].message(Language::ZhCn));
    c.events.truncate(1);
    c.events.push(ComplaintEvent::new(ComplaintAction::Confirmed, ts(2024, 5, 9).fixed_offset(), ""));
    assert!(matches!(&complaint(&c)[0].code, ProblemCode::EventRefused { index: 1, error: EventError::OutOfOrder { .. } }));
    c.events.clear();
    assert_eq!(codes(&complaint(&c)), vec![("events", &ProblemCode::Required)]);
}

#[test]
fn interaction_due_not_before_date() {
    let mut i = Interaction {
        id: "I1".into(),
        customer_id: "C1".into(),
        kind: InteractionKind::Visit,
        date: date(2024, 5, 10),
        purpose: String::new(),
        who: String::new(),
        method: String::new(),
        reason: String::new(),
        outcome: String::new(),
        next_action: String::new(),
        next_due: Some(date(2024, 5, 10)),
        owner: String::new(),
        status: InteractionStatus::Done,
        start: None,
        duration_min: None,
        location: String::new(),
        sequence: 0,
        created_at: ts(2024, 5, 10),
        updated_at: ts(2024, 5, 10),
    };
    assert_eq!(interaction(&i), vec![]);
    i.next_due = Some(date(2024, 5, 9));
    assert_eq!(codes(&interaction(&i)), vec![("next_due", &ProblemCode::DueBeforeDate)]);
}

pub(crate) fn gas_survey() -> Survey {
    Survey {
        id: "S1".into(),
        name: "天然气".into(),
        scale: Scale::Likert5,
        root: crate::demo::gas_indicator_tree(),
        competitors: vec!["华润燃气".into()],
        design: Default::default(),
        created_at: ts(2024, 1, 1),
        updated_at: ts(2024, 1, 1),
    }
}

#[test]
fn survey_tree_rules() {
    let mut s = gas_survey();
    assert_eq!(survey(&s), vec![]);
    s.root.children[0].children[0].id = "gas_quality".into();
    s.root.children[1].weight = -0.2;
    s.root.children[2].children.iter_mut().for_each(|c| c.weight = 0.0);
    s.root.children[2].children[0].weight = f64::NAN;
    let p = survey(&s);
    assert_eq!(
        codes(&p),
        vec![
            ("root", &ProblemCode::DuplicateNodeId { node: "gas_quality".into() }),
            ("root.repair", &ProblemCode::WeightNegative),
            ("root.reader_attitude", &ProblemCode::NotFinite),
        ]
    );
    let mut empty = gas_survey();
    empty.root.children.clear();
    assert_eq!(codes(&survey(&empty)), vec![("root", &ProblemCode::EmptyTree)]);
    let mut zero = gas_survey();
    zero.root.children.iter_mut().for_each(|c| c.weight = 0.0);
    assert_eq!(codes(&survey(&zero)), vec![("root.csi", &ProblemCode::WeightsAllZero)]);
}

fn resp() -> SurveyResponse {
    SurveyResponse {
        id: "R1".into(),
        survey_id: "S1".into(),
        customer_id: None,
        segment: BTreeMap::new(),
        date: date(2025, 3, 1),
        period: "2025H1".into(),
        answers: BTreeMap::from([("supply_pressure".into(), Some(4.0)), ("gas_quality".into(), None)]),
        competitor_answers: BTreeMap::new(),
        repurchase: Some(5.0),
        recommend: Some(10),
        created_at: ts(2025, 3, 1),
        updated_at: ts(2025, 3, 1),
    }
}

#[test]
fn response_answers_on_leaves_and_scale() {
    let s = gas_survey();
    let mut r = resp();
    assert_eq!(response(&r, Some(&s)), vec![]);
    r.answers.insert("supply".into(), Some(3.0)); // an inner node, not a question
    r.answers.insert("bill_on_time".into(), Some(6.0));
    r.competitor_answers.insert("港华燃气".into(), BTreeMap::from([("gas_quality".into(), 0.0)]));
    r.recommend = Some(11);
    r.repurchase = Some(0.5);
    let p = response(&r, Some(&s));
    assert_eq!(
        codes(&p),
        vec![
            ("recommend", &ProblemCode::ScoreOutOfRange { value: 11, min: 0, max: 10 }),
            (
                "answers",
                &ProblemCode::AnswerOutOfScale { leaf: "bill_on_time".into(), value: "6".into(), min: "1".into(), max: "5".into() }
            ),
            ("answers", &ProblemCode::UnknownLeaf { leaf: "supply".into() }),
            ("competitor_answers", &ProblemCode::UnknownCompetitor { name: "港华燃气".into() }),
            (
                "competitor_answers",
                &ProblemCode::AnswerOutOfScale { leaf: "gas_quality".into(), value: "0".into(), min: "1".into(), max: "5".into() }
            ),
            (
                "repurchase",
                &ProblemCode::AnswerOutOfScale { leaf: String::new(), value: "0.5".into(), min: "1".into(), max: "5".into() }
            ),
        ]
    );
    // Without the survey only the survey-independent checks run.
    assert_eq!(codes(&response(&r, None)), vec![("recommend", &ProblemCode::ScoreOutOfRange { value: 11, min: 0, max: 10 })]);
}

#[test]
fn dataset_checks_ids_and_references() {
    let mut d = Dataset {
        customers: vec![cust("C1"), cust("C2"), cust("C2")],
        orders: vec![order("O1", "C1"), order("O2", "C9"), order("O2", "C1")],
        surveys: vec![gas_survey()],
        responses: vec![resp()],
        ..Dataset::default()
    };
    d.customers[1].referred_by = Some("C7".into());
    d.responses[0].customer_id = Some("C8".into());
    let mut r2 = resp();
    r2.id = "R2".into();
    r2.survey_id = "S9".into();
    d.responses.push(r2);
    let p = dataset(&d);
    let summary: Vec<(RecordKind, &str, &str, &ProblemCode)> =
        p.iter().map(|p| (p.kind, p.id.as_str(), p.field.as_str(), &p.code)).collect();
    assert_eq!(
        summary,
        vec![
            (RecordKind::Customer, "C2", "id", &ProblemCode::DuplicateId),
            (
                RecordKind::Customer,
                "C2",
                "referred_by",
                &ProblemCode::UnknownReference { target: RecordKind::Customer, id: "C7".into() }
            ),
            (RecordKind::OrderLine, "O2", "id", &ProblemCode::DuplicateId),
            (
                RecordKind::OrderLine,
                "O2",
                "customer_id",
                &ProblemCode::UnknownReference { target: RecordKind::Customer, id: "C9".into() }
            ),
            (
                RecordKind::SurveyResponse,
                "R1",
                "customer_id",
                &ProblemCode::UnknownReference { target: RecordKind::Customer, id: "C8".into() }
            ),
            (
                RecordKind::SurveyResponse,
                "R2",
                "survey_id",
                &ProblemCode::UnknownReference { target: RecordKind::Survey, id: "S9".into() }
            ),
        ]
    );
    assert_eq!(p[3].message(Language::ZhCn), "交易 O2 的「所属客户」引用的客户 C9 不存在。");
    assert_eq!(p[3].message(Language::En), "Order line O2: field “customer” refers to customer C9, which does not exist.");
}

#[test]
fn unknown_field_keys_are_shown_as_they_are() {
    assert_eq!(field_label("no_such_field", Language::En), "no_such_field");
    assert_eq!(field_label("key_account.image", Language::ZhCn), "企业形象");
    assert_eq!(field_label("segment.my_key", Language::En), "segment attribute my_key");
}

/// Validating 100k customers and 1M order lines must stay well under a second in release
/// builds (the brief's budget); in debug builds this only checks it finishes.
#[test]
fn large_dataset_validates_without_problems() {
    let d = crate::demo::generate_large(7, 20_000, 200_000, date(2025, 12, 31));
    let t = std::time::Instant::now();
    let p = dataset(&d);
    eprintln!("validate 20k customers + 200k lines: {:?}", t.elapsed());
    assert_eq!(p, vec![]);
}
