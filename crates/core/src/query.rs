//! The customer list: per-customer totals, search, filters and sorting.
//!
//! The list page computes [`customer_stats`] once per data change (one pass over the order
//! lines, aligned with the customer slice) and calls [`filter_sort`] on every keystroke;
//! the latter returns indices into the customer slice, so nothing is cloned.
//!
//! Search: the text is split on whitespace; every term must occur in the customer's name,
//! code, city, province, owner or industry. Matching is a plain substring match (so Chinese
//! needs no word segmentation), case-insensitive for Latin letters, with full-width ASCII
//! (`ＡＢＣ１２３`) folded to half-width.
//!
//! Sorting is stable; ties are broken by code, then id, always ascending. Text sorts by
//! Unicode code point — Chinese names are therefore *not* in pinyin order (the browser's
//! collation is not available to the core and would make results depend on the machine).

#[cfg(test)]
mod tests;

use crate::model::{Customer, CustomerKind, CustomerStatus, Date, Region};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use crate::validate::FxHasher;
use std::collections::BTreeSet;
use std::hash::Hasher;

/// Totals of one customer over all its order lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerStats {
    /// Sum of `amount` (returns count negative).
    pub revenue: f64,
    /// Number of order lines (not distinct order numbers).
    pub orders: usize,
    /// Date of the latest order line.
    pub last_order: Option<Date>,
}

/// Open-addressing index from customer id to position. The ids are copied into one
/// contiguous buffer and each slot is 4 bytes, so a lookup touches a few hundred kilobytes
/// instead of chasing pointers into the (large, scattered) customer records; this is what
/// makes a million lookups take milliseconds rather than a third of a second.
struct IdIndex {
    /// (upper half of the hash, position + 1); position 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
    mask: usize,
    /// (start, length) of each customer's id in `arena`.
    spans: Vec<(u32, u32)>,
    arena: Vec<u8>,
}

fn hash_id(id: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(id);
    h.finish()
}

impl IdIndex {
    /// Indexes the customers' ids; when an id repeats, the first position wins. `None`
    /// when the ids do not fit 32-bit offsets (over 4 GB of ids), never in practice.
    fn new(customers: &[Customer]) -> Option<Self> {
        let cap = (customers.len() * 2).next_power_of_two().max(8);
        let total: usize = customers.iter().map(|c| c.id.len()).sum();
        if total > u32::MAX as usize || customers.len() >= u32::MAX as usize {
            return None;
        }
        let mut index = IdIndex {
            slots: vec![(0, 0); cap],
            mask: cap - 1,
            spans: Vec::with_capacity(customers.len()),
            arena: Vec::with_capacity(total),
        };
        for (pos, c) in customers.iter().enumerate() {
            let id = c.id.as_bytes();
            index.spans.push((index.arena.len() as u32, id.len() as u32));
            index.arena.extend_from_slice(id);
            let h = hash_id(id);
            let tag = (h >> 32) as u32;
            let mut i = h as usize & index.mask;
            loop {
                match index.slots[i] {
                    (_, 0) => {
                        index.slots[i] = (tag, pos as u32 + 1);
                        break;
                    }
                    (t, s) if t == tag && index.id(s as usize - 1) == id => break,
                    _ => i = (i + 1) & index.mask,
                }
            }
        }
        Some(index)
    }

    fn id(&self, pos: usize) -> &[u8] {
        let (start, len) = self.spans[pos];
        &self.arena[start as usize..start as usize + len as usize]
    }

    fn get(&self, id: &str) -> Option<usize> {
        let id = id.as_bytes();
        let h = hash_id(id);
        let tag = (h >> 32) as u32;
        let mut i = h as usize & self.mask;
        loop {
            match self.slots[i] {
                (_, 0) => return None,
                (t, s) if t == tag && self.id(s as usize - 1) == id => return Some(s as usize - 1),
                _ => i = (i + 1) & self.mask,
            }
        }
    }
}

/// Per-customer totals, aligned with `customers` (`result[i]` belongs to `customers[i]`).
/// Order lines whose customer is unknown are ignored; when ids repeat, the first customer
/// with the id gets the lines. One pass over the lines (1M lines in well under 100 ms in a
/// release build).
pub fn customer_stats(customers: &[Customer], orders: &(impl crate::orders::Lines + ?Sized)) -> Vec<CustomerStats> {
    let mut stats = vec![CustomerStats::default(); customers.len()];
    // No lines (the list at start-up, before they are read): no index of 200,000 ids.
    if orders.line_count() == 0 {
        return stats;
    }
    let Some(index) = IdIndex::new(customers) else { return stats };
    // Two passes: first resolve every line's customer, then add up. Lookups are
    // independent of each other in the first pass, so the CPU overlaps their cache misses,
    // which are what a lookup costs.
    let positions: Vec<u32> = orders.customer_slots(&|id| index.get(id).map(|i| i as u32));
    if let Some((amount, day)) = orders.amount_day_columns() {
        // A table: its columns are read as they are, the last order kept as a day number
        // and made a date once per customer (2M lines took the page's thread 0.35 s
        // through `each_line`). The same sums, in the same order, as the pass below.
        let mut last = vec![i32::MIN; customers.len()];
        for ((&a, &d), &i) in amount.iter().zip(day).zip(&positions) {
            let Some(s) = stats.get_mut(i as usize) else { continue };
            s.revenue += a;
            s.orders += 1;
            last[i as usize] = last[i as usize].max(d);
        }
        for (s, &d) in stats.iter_mut().zip(&last) {
            if d != i32::MIN {
                s.last_order = Some(Date::from_num_days_from_ce_opt(d).unwrap_or_default());
            }
        }
        return stats;
    }
    for (o, &i) in orders.each_line().zip(&positions) {
        let Some(s) = stats.get_mut(i as usize) else { continue };
        s.revenue += o.amount;
        s.orders += 1;
        if s.last_order.is_none_or(|d| o.date > d) {
            s.last_order = Some(o.date);
        }
    }
    stats
}

/// One customer's order lines as the customer page shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerOrders {
    /// The lines, newest first (equal dates by line id).
    pub lines: Vec<crate::model::OrderLine>,
    /// Sum of their amounts (returns count negative).
    pub total: f64,
}

/// The order lines of the customer `id`, newest first, with their total.
pub fn customer_orders(orders: &crate::orders::OrderTable, id: &str) -> CustomerOrders {
    let mut lines = orders.rows_of(id);
    lines.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
    let total = lines.iter().map(|o| o.amount).sum();
    CustomerOrders { lines, total }
}

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Customer code.
    #[default]
    Code,
    /// Name (code point order).
    Name,
    /// Kind (end customer, dealer, distributor).
    Kind,
    /// Industry.
    Industry,
    /// Region (in [`Region::ALL`] order; none first).
    Region,
    /// City.
    City,
    /// Account manager.
    Owner,
    /// Status (active first).
    Status,
    /// Revenue from [`CustomerStats`].
    Revenue,
    /// Last order date (none first).
    LastOrder,
    /// Last change.
    UpdatedAt,
}

/// Search text, filters and sort order of the customer list. Default: everything, sorted by
/// code ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerQuery {
    /// Search terms separated by whitespace (all must match).
    pub text: String,
    /// Only this region.
    pub region: Option<Region>,
    /// Only this industry (exact, ignoring surrounding whitespace).
    pub industry: Option<String>,
    /// Only this account manager (exact, ignoring surrounding whitespace).
    pub owner: Option<String>,
    /// Only this status.
    pub status: Option<CustomerStatus>,
    /// Only this kind.
    pub kind: Option<CustomerKind>,
    /// Sort column.
    pub sort: SortKey,
    /// Sort descending (ties stay ascending by code, then id).
    pub descending: bool,
}

/// Folds one character for searching: full-width ASCII to half-width, the ideographic
/// space to a space, Latin letters to lower case.
fn fold_char(c: char, out: &mut String) {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if c.is_uppercase() {
        out.extend(c.to_lowercase());
    } else {
        out.push(c);
    }
}

/// The search form of a text: full-width ASCII folded to half-width, the ideographic space
/// to a space, Latin letters to lower case.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    text.chars().for_each(|c| fold_char(c, &mut out));
    out
}

/// The folded search terms of a query text.
fn terms(text: &str) -> Vec<String> {
    fold(text).split_whitespace().map(str::to_string).collect()
}

/// Writes the searchable fields of a customer, folded and separated by newlines, into
/// `buf`. A term never contains a newline, so it cannot match across two fields.
fn haystack(c: &Customer, buf: &mut String) {
    buf.clear();
    for field in [&c.name, &c.code, &c.city, &c.province, &c.owner, &c.industry] {
        field.chars().for_each(|ch| fold_char(ch, buf));
        buf.push('\n');
    }
}

/// True when every term occurs in one of the searchable fields of `c`.
pub fn matches_text(c: &Customer, text: &str) -> bool {
    let terms = terms(text);
    let mut buf = String::new();
    haystack(c, &mut buf);
    terms.iter().all(|t| buf.contains(t.as_str()))
}

/// Total order on f64 for sort keys.
struct Total(f64);

impl PartialEq for Total {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Total {}

impl PartialOrd for Total {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Total {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Sorts `out` by `key`, then code, then id, then index. The order is total, so the faster
/// unstable sort gives exactly what a stable sort would. Keys are extracted once, which
/// keeps the comparisons away from the (large) customer records.
fn sort_with<'a, K: Ord>(out: &mut Vec<u32>, customers: &'a [Customer], descending: bool, key: impl Fn(&'a Customer, usize) -> K) {
    let mut keyed: Vec<(K, u32)> = out.iter().map(|&i| (key(&customers[i as usize], i as usize), i)).collect();
    keyed.sort_unstable_by(|(ka, a), (kb, b)| {
        let primary = if descending { kb.cmp(ka) } else { ka.cmp(kb) };
        primary.then_with(|| {
            let (x, y) = (&customers[*a as usize], &customers[*b as usize]);
            x.code.cmp(&y.code).then_with(|| x.id.cmp(&y.id)).then(a.cmp(b))
        })
    });
    out.clear();
    out.extend(keyed.into_iter().map(|(_, i)| i));
}

/// Indices of the customers that match `q`, in the requested order. `stats` is aligned with
/// `customers` (from [`customer_stats`]); missing entries count as zero.
pub fn filter_sort(customers: &[Customer], stats: &[CustomerStats], q: &CustomerQuery) -> Vec<u32> {
    let terms = terms(&q.text);
    let mut buf = String::new();
    let mut out: Vec<u32> = customers
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            q.region.is_none_or(|r| c.region == Some(r))
                && q.status.is_none_or(|s| c.status == s)
                && q.kind.is_none_or(|k| c.kind == k)
                && q.industry.as_ref().is_none_or(|i| c.industry.trim() == i.trim())
                && q.owner.as_ref().is_none_or(|o| c.owner.trim() == o.trim())
        })
        .filter(|(_, c)| {
            terms.is_empty() || {
                haystack(c, &mut buf);
                terms.iter().all(|t| buf.contains(t.as_str()))
            }
        })
        .map(|(i, _)| i as u32)
        .collect();
    let stat = |i: usize| stats.get(i).copied().unwrap_or_default();
    let d = q.descending;
    match q.sort {
        SortKey::Code => sort_with(&mut out, customers, d, |c, _| c.code.as_str()),
        SortKey::Name => sort_with(&mut out, customers, d, |c, _| c.name.as_str()),
        SortKey::Kind => sort_with(&mut out, customers, d, |c, _| c.kind),
        SortKey::Industry => sort_with(&mut out, customers, d, |c, _| c.industry.as_str()),
        SortKey::Region => sort_with(&mut out, customers, d, |c, _| c.region),
        SortKey::City => sort_with(&mut out, customers, d, |c, _| c.city.as_str()),
        SortKey::Owner => sort_with(&mut out, customers, d, |c, _| c.owner.as_str()),
        SortKey::Status => sort_with(&mut out, customers, d, |c, _| c.status),
        SortKey::Revenue => sort_with(&mut out, customers, d, |_, i| Total(stat(i).revenue)),
        SortKey::LastOrder => sort_with(&mut out, customers, d, |_, i| stat(i).last_order),
        SortKey::UpdatedAt => sort_with(&mut out, customers, d, |c, _| c.updated_at),
    }
    out
}

fn distinct<'a>(values: impl Iterator<Item = &'a String>) -> Vec<String> {
    // The distinct texts as they stand first (hashed), then those few trimmed and ordered:
    // a list of 200,000 customers has a few dozen industries, and collecting all 200,000
    // into a `BTreeSet` sorted every one of them (about 85 ms each, industries and owners,
    // when the list first showed in the browser at that size).
    let raw: std::collections::HashSet<&str, rustc_hash::FxBuildHasher> = values.map(String::as_str).collect();
    let set: BTreeSet<&str> = raw.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect();
    set.into_iter().map(str::to_string).collect()
}

/// The industries in use, trimmed, without empties, in code point order.
pub fn distinct_industries(customers: &[Customer]) -> Vec<String> {
    distinct(customers.iter().map(|c| &c.industry))
}

/// The account managers in use, trimmed, without empties, in code point order.
pub fn distinct_owners(customers: &[Customer]) -> Vec<String> {
    distinct(customers.iter().map(|c| &c.owner))
}
