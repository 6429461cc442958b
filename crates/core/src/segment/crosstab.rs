//! The segment cross-tab: segments × measures (SPEC §4).
//!
//! Measures per segment, for a period `from..=to` (both inclusive) of `L` days:
//! - customers, and their share of all customers;
//! - revenue = Σ order-line amounts dated in the period (returns count negative), and its
//!   share of the total revenue (none when the total is 0);
//! - gross profit = Σ known profits of those lines (lines without a profit are counted in
//!   `lines_without_profit` and add 0);
//! - growth = (revenue − previous revenue) / previous revenue, where the previous period
//!   is the `L` days immediately before `from`; none when the previous revenue is ≤ 0 (a
//!   growth rate against nothing or against net returns means nothing);
//! - mean CSI over the members that have a CSI value (handed in per customer id, e.g. from
//!   the satisfaction module; 0-100), with the count it rests on;
//! - open complaints: complaints received on or before `to` and still being worked on at
//!   the end of that day (registered, confirmed, handling or waiting, from the events
//!   dated up to `to`; `crate::service::complaints::state_on`).
//!
//! The totals row is computed over **all** customers, not by adding the rows, so it
//! equals the overall totals whatever the segments are; for a partition the rows add up to
//! it (counts exactly, money up to rounding). Order lines and complaints of unknown
//! customers are ignored; when ids repeat, the first customer with the id gets the records.
//!
//! Order independence: every money sum is taken over values sorted by
//! [`f64::total_cmp`] (per customer, then per segment), so permuting customers, order
//! lines or complaints gives bit-identical results.

use super::attributes::{PartitionReport, ValidSegmentDefinition, SegmentContext};
use super::canonical_sum;
use crate::model::{AttributeDef, Complaint, Customer, Date, Id, Language};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Invalid cross-tab parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrosstabError {
    /// The period ends before it starts.
    #[error("the period {from} – {to} ends before it starts")]
    Period {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// The previous period would start before the earliest representable date.
    #[error("the previous period of {from} – {to} is out of the calendar range")]
    PreviousPeriod {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// A member index points past the customer slice.
    #[error("segment {segment:?} refers to customer index {index}, but there are {customers} customers")]
    Member {
        /// Segment name.
        segment: String,
        /// The bad index.
        index: usize,
        /// Number of customers.
        customers: usize,
    },
}

impl CrosstabError {
    /// The error as a sentence in the given language.
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            CrosstabError::Period { from, to } => if zh {
                format!("分析期 {from} 至 {to} 的结束日期早于开始日期。")
            } else {
                format!("The period {from} to {to} ends before it starts.")
            },
            CrosstabError::PreviousPeriod { from, to } => if zh {
                format!("分析期 {from} 至 {to} 的上一期超出了日历范围。")
            } else {
                format!("The period before {from} to {to} is outside the calendar range.")
            },
            CrosstabError::Member { segment, index, customers } => if zh {
                format!("内部错误：细分“{segment}”引用了第 {} 位客户，但只有 {customers} 位客户。请重新计算。", index + 1)
            } else {
                format!("Internal error: the segment “{segment}” refers to customer {} but there are {customers} customers. Compute it again.", index + 1)
            },
        }
    }
}

/// The period of a cross-tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrosstabParams {
    /// First day, inclusive.
    pub from: Date,
    /// Last day, inclusive.
    pub to: Date,
}

impl CrosstabParams {
    /// The period with the user's choices and the defaults filled in: it ends on `to`
    /// (default `today`) and starts on `from` (default: 364 days before the end, so the
    /// period is the 365 days, one year, ending on it).
    pub fn with_defaults(from: Option<Date>, to: Option<Date>, today: Date) -> CrosstabParams {
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| to - chrono::Days::new(364));
        CrosstabParams { from, to }
    }
}

/// Checked [`CrosstabParams`] with the previous period worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
// Read back only through `check()`: a stored or received value is checked again.
#[serde(try_from = "CrosstabParams")]
pub struct ValidCrosstabParams {
    /// First day, inclusive.
    pub from: Date,
    /// Last day, inclusive.
    pub to: Date,
    /// First day of the previous period of equal length.
    pub previous_from: Date,
    /// Last day of the previous period (the day before `from`).
    pub previous_to: Date,
}

impl CrosstabParams {
    /// Checks `from ≤ to` and works out the previous period.
    pub fn check(&self) -> Result<ValidCrosstabParams, CrosstabError> {
        if self.from > self.to {
            return Err(CrosstabError::Period { from: self.from, to: self.to });
        }
        let len = (self.to - self.from).num_days() + 1;
        let previous_to = self.from.pred_opt();
        let previous_from = self.from.checked_sub_signed(chrono::Duration::days(len));
        match (previous_from, previous_to) {
            (Some(previous_from), Some(previous_to)) => Ok(ValidCrosstabParams { from: self.from, to: self.to, previous_from, previous_to }),
            _ => Err(CrosstabError::PreviousPeriod { from: self.from, to: self.to }),
        }
    }
}

/// The records a cross-tab reads.
#[derive(Debug, Clone, Copy)]
pub struct CrosstabInput<'a> {
    /// The customers; segment members are indices into this slice.
    pub customers: &'a [Customer],
    /// All order lines (the period filter is applied here).
    pub orders: &'a crate::orders::OrderTable,
    /// All complaints.
    pub complaints: &'a [Complaint],
    /// CSI (0-100) per customer id, when a satisfaction analysis exists.
    pub csi: Option<&'a HashMap<Id, f64>>,
}

/// A segment to measure: a name and its members (indices into the customer slice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedSegment {
    /// Name shown in the row.
    pub name: String,
    /// Indices into the customer slice.
    pub members: Vec<usize>,
}

impl NamedSegment {
    /// The cells of a partition, named by their value labels.
    pub fn from_partition(p: &PartitionReport, catalogue: &[AttributeDef], lang: Language) -> Vec<NamedSegment> {
        p.segments.iter().map(|s| NamedSegment { name: s.name(&p.dimensions, catalogue, lang), members: s.members.clone() }).collect()
    }

    /// Saved definitions applied to the customers of `ctx` (they may overlap).
    pub fn from_definitions(defs: &[ValidSegmentDefinition], ctx: &SegmentContext<'_>) -> Vec<NamedSegment> {
        defs.iter().map(|d| NamedSegment { name: d.definition().name.clone(), members: d.filter(ctx) }).collect()
    }
}

/// One row of the cross-tab (a segment, or the totals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabRow {
    /// Segment name (全部 / "all" for the totals).
    pub name: String,
    /// Number of customers.
    pub customers: usize,
    /// Share of all customers, 0-1.
    pub customer_share: f64,
    /// Revenue in the period.
    pub revenue: f64,
    /// Share of the total revenue, 0-1; none when the total is 0.
    pub revenue_share: Option<f64>,
    /// Gross profit of the lines in the period that carry one.
    pub gross_profit: f64,
    /// Lines in the period without a gross profit.
    pub lines_without_profit: usize,
    /// Revenue in the previous period.
    pub previous_revenue: f64,
    /// Growth against the previous period (0.1 = +10 %); none when the previous revenue
    /// is ≤ 0.
    pub growth: Option<f64>,
    /// Mean CSI of the members with a CSI value.
    pub mean_csi: Option<f64>,
    /// Members with a CSI value.
    pub csi_customers: usize,
    /// Complaints open at the end of the period.
    pub open_complaints: usize,
}

/// A column to sort the cross-tab by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CrosstabColumn {
    /// Segment name (code point order).
    Name,
    /// Customers.
    Customers,
    /// Revenue.
    Revenue,
    /// Gross profit.
    GrossProfit,
    /// Growth (rows without growth last).
    Growth,
    /// Mean CSI (rows without CSI last).
    MeanCsi,
    /// Open complaints.
    OpenComplaints,
}

/// The cross-tab of segments × measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrosstabReport {
    /// The periods.
    pub params: ValidCrosstabParams,
    /// One row per segment, in the order given (see [`CrosstabReport::sort`]).
    pub rows: Vec<CrosstabRow>,
    /// Totals over all customers.
    pub total: CrosstabRow,
    /// True when some customer is in more than one segment (rows then need not add up).
    pub overlapping: bool,
    /// Customers in no segment.
    pub unassigned: usize,
}

/// Per-customer facts, aligned with the customer slice.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    revenue: f64,
    previous: f64,
    profit: f64,
    no_profit: usize,
    open: usize,
    csi: Option<f64>,
}

/// Sums `(customer, value)` pairs per customer in value order.
fn per_customer(mut pairs: Vec<(u32, f64)>, facts: &mut [Facts], set: impl Fn(&mut Facts, f64)) {
    pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut start = 0;
    while start < pairs.len() {
        let who = pairs[start].0;
        let end = start + pairs[start..].iter().take_while(|p| p.0 == who).count();
        let sum = super::neumaier(pairs[start..end].iter().map(|p| p.1));
        if let Some(f) = facts.get_mut(who as usize) {
            set(f, sum);
        }
        start = end;
    }
}

fn facts(input: &CrosstabInput<'_>, p: &ValidCrosstabParams) -> Vec<Facts> {
    let mut index: HashMap<&str, u32> = HashMap::with_capacity(input.customers.len());
    for (i, c) in input.customers.iter().enumerate() {
        index.entry(c.id.as_str()).or_insert(i as u32);
    }
    let mut facts = vec![Facts::default(); input.customers.len()];
    let (mut cur, mut prev, mut profit) = (Vec::new(), Vec::new(), Vec::new());
    for o in crate::orders::Lines::each_line(input.orders) {
        let Some(&i) = index.get(o.customer_id) else { continue };
        if o.date >= p.from && o.date <= p.to {
            cur.push((i, o.amount));
            match o.profit {
                Some(g) => profit.push((i, g)),
                None => facts[i as usize].no_profit += 1,
            }
        } else if o.date >= p.previous_from && o.date <= p.previous_to {
            prev.push((i, o.amount));
        }
    }
    per_customer(cur, &mut facts, |f, s| f.revenue = s);
    per_customer(prev, &mut facts, |f, s| f.previous = s);
    per_customer(profit, &mut facts, |f, s| f.profit = s);
    for c in input.complaints {
        let Some(&i) = index.get(c.customer_id.as_str()) else { continue };
        let open_at_end = crate::service::complaints::state_on(c, p.to).is_some_and(|s| s.is_open());
        if open_at_end {
            facts[i as usize].open += 1;
        }
    }
    if let Some(csi) = input.csi {
        for (c, f) in input.customers.iter().zip(facts.iter_mut()) {
            f.csi = csi.get(c.id.as_str()).copied().filter(|x| x.is_finite());
        }
    }
    facts
}

fn row(name: String, members: &[usize], facts: &[Facts], n_total: usize, total_revenue: Option<f64>) -> CrosstabRow {
    let mut vals: Vec<f64> = Vec::with_capacity(members.len());
    let mut sum = |get: &dyn Fn(&Facts) -> Option<f64>| {
        vals.clear();
        vals.extend(members.iter().filter_map(|&i| facts.get(i).and_then(get)));
        (canonical_sum(&mut vals), vals.len())
    };
    let (revenue, _) = sum(&|f| Some(f.revenue));
    let (previous_revenue, _) = sum(&|f| Some(f.previous));
    let (gross_profit, _) = sum(&|f| Some(f.profit));
    let (csi_sum, csi_customers) = sum(&|f| f.csi);
    let count = |get: &dyn Fn(&Facts) -> usize| members.iter().filter_map(|&i| facts.get(i)).map(get).sum::<usize>();
    let total_revenue = total_revenue.unwrap_or(revenue);
    CrosstabRow {
        name,
        customers: members.len(),
        customer_share: if n_total == 0 { 0.0 } else { members.len() as f64 / n_total as f64 },
        revenue,
        revenue_share: (total_revenue != 0.0).then(|| revenue / total_revenue),
        gross_profit,
        lines_without_profit: count(&|f| f.no_profit),
        previous_revenue,
        growth: (previous_revenue > 0.0).then(|| (revenue - previous_revenue) / previous_revenue),
        mean_csi: (csi_customers > 0).then(|| csi_sum / csi_customers as f64),
        csi_customers,
        open_complaints: count(&|f| f.open),
    }
}

/// Measures `segments` over the period of `params`. Each segment's members are used as
/// given (duplicates within one segment are counted once).
pub fn crosstab(input: &CrosstabInput<'_>, segments: &[NamedSegment], params: &ValidCrosstabParams, lang: Language) -> Result<CrosstabReport, CrosstabError> {
    let n = input.customers.len();
    let mut seen = vec![0u32; n];
    let mut cleaned: Vec<Vec<usize>> = Vec::with_capacity(segments.len());
    for s in segments {
        let mut m = s.members.clone();
        m.sort_unstable();
        m.dedup();
        if let Some(&bad) = m.iter().find(|&&i| i >= n) {
            return Err(CrosstabError::Member { segment: s.name.clone(), index: bad, customers: n });
        }
        for &i in &m {
            seen[i] += 1;
        }
        cleaned.push(m);
    }
    let facts = facts(input, params);
    let all: Vec<usize> = (0..n).collect();
    let name = match lang {
        Language::ZhCn => "合计",
        Language::En => "total",
    };
    let total = row(name.to_string(), &all, &facts, n, None);
    let rows = segments.iter().zip(&cleaned).map(|(s, m)| row(s.name.clone(), m, &facts, n, Some(total.revenue))).collect();
    Ok(CrosstabReport {
        params: *params,
        rows,
        total,
        overlapping: seen.iter().any(|&k| k > 1),
        unassigned: seen.iter().filter(|&&k| k == 0).count(),
    })
}

fn cmp_opt(a: Option<f64>, b: Option<f64>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            if descending {
                y.total_cmp(&x)
            } else {
                x.total_cmp(&y)
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

impl CrosstabReport {
    /// Sorts the rows by `column`; ties (and rows without a value, which go last) are
    /// ordered by name ascending, so the order is total and reproducible.
    pub fn sort(&mut self, column: CrosstabColumn, descending: bool) {
        self.rows.sort_by(|a, b| {
            let primary = match column {
                CrosstabColumn::Name => {
                    if descending {
                        b.name.cmp(&a.name)
                    } else {
                        a.name.cmp(&b.name)
                    }
                }
                CrosstabColumn::Customers => cmp_opt(Some(a.customers as f64), Some(b.customers as f64), descending),
                CrosstabColumn::Revenue => cmp_opt(Some(a.revenue), Some(b.revenue), descending),
                CrosstabColumn::GrossProfit => cmp_opt(Some(a.gross_profit), Some(b.gross_profit), descending),
                CrosstabColumn::Growth => cmp_opt(a.growth, b.growth, descending),
                CrosstabColumn::MeanCsi => cmp_opt(a.mean_csi, b.mean_csi, descending),
                CrosstabColumn::OpenComplaints => cmp_opt(Some(a.open_complaints as f64), Some(b.open_complaints as f64), descending),
            };
            primary.then_with(|| a.name.cmp(&b.name))
        });
    }
}

impl TryFrom<CrosstabParams> for ValidCrosstabParams {
    type Error = CrosstabError;
    /// [`CrosstabParams::check`]: the only way to a [`ValidCrosstabParams`], from code or from serde.
    fn try_from(raw: CrosstabParams) -> Result<Self, CrosstabError> {
        raw.check()
    }
}
