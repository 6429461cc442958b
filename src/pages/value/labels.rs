//! What the value page prints: labels of the core's enums in the user's language, number
//! formats of this page and the rows of the per-customer CSV.

use super::*;

/// A number for an input: up to 4 decimals, trailing zeros dropped.
pub(super) fn plain(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A share (0-1) as a percentage with one decimal.
pub(super) fn pct(v: f64) -> String {
    format!("{}%", format::number(v * 100.0, 1))
}

/// An optional number, or a dash.
pub(super) fn opt(v: Option<f64>, decimals: usize) -> String {
    v.map(|v| format::number(v, decimals)).unwrap_or_else(|| "—".into())
}

/// The parameters in one sentence, stated on every result.
pub(super) fn stated(t: &Texts, p: &ValueParams) -> String {
    let period = match p.period_start {
        Some(s) => format!("{s} – {}", p.as_of),
        None => t.value_all_history.to_string(),
    };
    let abc = match p.abc.variant {
        AbcVariant::CumulativeShare { a, b } => fill(t.value_abc_cumulative_rule, &[("a", &plain(a * 100.0)), ("b", &plain(b * 100.0))]),
        AbcVariant::CountBased { a, b } => fill(t.value_abc_count_rule, &[("a", &plain(a * 100.0)), ("b", &plain(b * 100.0))]),
    };
    fill(
        t.value_stated,
        &[
            ("as_of", &p.as_of),
            ("period", &period),
            ("metric", &metric_label(t, p.metric)),
            ("abc", &abc),
            ("unit", &unit_label(t, p.unit)),
            ("discount", &plain(p.clv.discount * 100.0)),
            ("days", &p.clv.period_days),
            ("horizon", &p.clv.horizon_periods),
        ],
    )
}

pub(super) fn metric_label(t: &Texts, m: Metric) -> &'static str {
    match m {
        Metric::Revenue => t.value_metric_revenue,
        Metric::Profit => t.value_metric_profit,
    }
}

pub(super) fn unit_label(t: &Texts, u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::Day => t.value_unit_day,
        TimeUnit::Week => t.value_unit_week,
    }
}

pub(super) fn segment_label(t: &'static Texts, s: RfmSegment) -> &'static str {
    match s {
        RfmSegment::Champions => t.rfm_champions,
        RfmSegment::Loyal => t.rfm_loyal,
        RfmSegment::PotentialLoyalist => t.rfm_potential_loyalist,
        RfmSegment::New => t.rfm_new,
        RfmSegment::Promising => t.rfm_promising,
        RfmSegment::NeedAttention => t.rfm_need_attention,
        RfmSegment::AboutToSleep => t.rfm_about_to_sleep,
        RfmSegment::AtRisk => t.rfm_at_risk,
        RfmSegment::CantLose => t.rfm_cant_lose,
        RfmSegment::Hibernating => t.rfm_hibernating,
        RfmSegment::Lost => t.rfm_lost,
    }
}

pub(super) fn quadrant_label(t: &Texts, q: ValueQuadrant) -> &'static str {
    match q {
        ValueQuadrant::Gold => t.quadrant_gold,
        ValueQuadrant::Star => t.quadrant_star,
        ValueQuadrant::Problem => t.quadrant_problem,
        ValueQuadrant::Dog => t.quadrant_dog,
    }
}

pub(super) fn quadrant_advice(t: &Texts, q: ValueQuadrant) -> &'static str {
    match q {
        ValueQuadrant::Gold => t.quadrant_gold_advice,
        ValueQuadrant::Star => t.quadrant_star_advice,
        ValueQuadrant::Problem => t.quadrant_problem_advice,
        ValueQuadrant::Dog => t.quadrant_dog_advice,
    }
}

pub(crate) fn grade_label(t: &Texts, g: Grade) -> &'static str {
    match g {
        Grade::Special => t.grade_special,
        Grade::A => "A",
        Grade::B => "B",
        Grade::C => "C",
    }
}

pub(crate) fn stage_label(t: &Texts, s: Stage) -> &'static str {
    match s {
        Stage::Exploration => t.stage_exploration,
        Stage::Development => t.stage_development,
        Stage::Stable => t.stage_stable,
        Stage::Decline => t.stage_decline,
        Stage::Lost => t.stage_lost,
    }
}

pub(super) fn stage_reason(t: &Texts, r: &StageReason) -> String {
    match *r {
        StageReason::Terminated => t.reason_terminated.into(),
        StageReason::NeverPurchased => t.reason_never_purchased.into(),
        StageReason::NoPurchaseFor { days } => fill(t.reason_no_purchase_for, &[("days", &days)]),
        StageReason::FirstPurchaseRecent { days } => fill(t.reason_first_purchase, &[("days", &days)]),
        StageReason::Overdue { days, usual_interval } => {
            fill(t.reason_overdue, &[("days", &days), ("usual", &format::number(usual_interval, 0))])
        }
        StageReason::Falling { change } => fill(t.reason_falling, &[("pct", &format::number(-change * 100.0, 0))]),
        StageReason::Growing { change: Some(change) } => fill(t.reason_growing, &[("pct", &format::number(change * 100.0, 0))]),
        StageReason::Growing { change: None } => t.reason_growing_from_zero.into(),
        StageReason::Steady => t.reason_steady.into(),
    }
}

pub(super) fn review_reason(t: &Texts, lang: Language, r: &ReviewReason) -> String {
    match r {
        ReviewReason::Unprofitable { profit } => fill(t.review_unprofitable, &[("profit", &format::money(*profit))]),
        ReviewReason::CreditRisk { rating } => fill(t.review_credit, &[("rating", &rating.label(lang))]),
        ReviewReason::OrdersToZero { previous } => fill(t.review_orders_to_zero, &[("previous", &format::money(*previous))]),
        ReviewReason::Bankruptcy => t.review_bankruptcy.into(),
        ReviewReason::MovedOut => t.review_moved_out.into(),
        ReviewReason::LegalProhibition => t.review_legal.into(),
    }
}

pub(super) fn fit_error(lang: Language, e: &FitError) -> String {
    let t = crate::i18n::texts(lang);
    match e {
        FitError::TooFewRepeatBuyers { model, found, needed } => {
            fill(t.fit_too_few, &[("model", model), ("found", found), ("needed", needed)])
        }
        FitError::InvalidRow { row, why } => fill(t.fit_invalid_row, &[("row", &(row + 1)), ("why", &why.get(lang))]),
        FitError::NoConvergence { model, iterations, gradient_norm } => fill(
            t.fit_no_convergence,
            &[("model", model), ("iterations", iterations), ("norm", &format!("{gradient_norm:.2e}"))],
        ),
        FitError::Diverged { model, parameter, value } => {
            fill(t.fit_diverged, &[("model", model), ("parameter", parameter), ("value", &format!("{value:.3e}"))])
        }
    }
}

/// Column headers of the CSV export (and of the table, where shown).
pub(super) fn csv_headers(t: &Texts) -> Vec<&'static str> {
    vec![
        t.vcol_id,
        t.vcol_name,
        t.vcol_revenue,
        t.vcol_profit,
        t.vcol_metric,
        t.vcol_abc,
        t.vcol_share_before,
        t.vcol_recency,
        t.vcol_frequency,
        t.vcol_monetary,
        t.vcol_rfm,
        t.vcol_segment,
        t.vcol_x,
        t.vcol_t_x,
        t.vcol_t,
        t.vcol_repeat_mean,
        t.vcol_p_alive,
        t.vcol_expected,
        t.vcol_expected_spend,
        t.vcol_clv,
        t.vcol_quadrant,
        t.vcol_grade,
        t.vcol_stage,
        t.vcol_stage_reason,
        t.vcol_review,
    ]
}

/// One customer's CSV row (plain numbers, so Excel reads them as numbers).
pub(super) fn csv_row(t: &Texts, lang: Language, c: &clientscope_core::value::CustomerValue, customer: Option<&Customer>) -> Vec<String> {
    let o = |v: Option<f64>| v.map(|v| format!("{v:.6}")).unwrap_or_default();
    let rfm = c.rfm.as_ref();
    vec![
        c.id.clone(),
        customer.map(|c| c.name.clone()).unwrap_or_default(),
        format!("{:.2}", c.revenue),
        format!("{:.2}", c.profit),
        format!("{:.2}", c.metric),
        c.abc.as_str().to_string(),
        format!("{:.6}", c.abc_share_before),
        rfm.map(|r| r.recency_days.to_string()).unwrap_or_default(),
        rfm.map(|r| r.frequency.to_string()).unwrap_or_default(),
        rfm.map(|r| format!("{:.2}", r.monetary)).unwrap_or_default(),
        rfm.map(|r| r.code.clone()).unwrap_or_default(),
        rfm.map(|r| segment_label(crate::i18n::texts(lang), r.segment).to_string()).unwrap_or_default(),
        c.x.to_string(),
        format!("{:.4}", c.t_x),
        format!("{:.4}", c.t),
        format!("{:.2}", c.repeat_mean),
        o(c.p_alive),
        o(c.expected_purchases),
        o(c.expected_spend),
        o(c.clv),
        quadrant_label(t, c.value_quadrant).to_string(),
        grade_label(t, c.grade).to_string(),
        stage_label(t, c.stage).to_string(),
        stage_reason(t, &c.stage_reason),
        c.review.iter().map(|r| review_reason(t, lang, r)).collect::<Vec<_>>().join("; "),
    ]
}

/// CSS colour of a quadrant (matches the scatter).
pub(super) fn dot_colour(q: ValueQuadrant) -> String {
    let c = vcharts::quadrant_colour(q);
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

pub(super) fn relationship_label(t: &Texts, k: RelationshipType) -> &'static str {
    match k {
        RelationshipType::StrategicPartner => t.rel_partner,
        RelationshipType::OrdinaryFriend => t.rel_friend,
        RelationshipType::Competitor => t.rel_competitor,
        RelationshipType::Transactional => t.rel_transactional,
    }
}
