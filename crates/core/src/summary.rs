//! Simple totals for the overview: revenue per calendar month and over a trailing window.
//! The analyses proper (ABC, RFM, CLV…) live in their own modules.

use crate::model::{Customer, CustomerStatus, Date};
use crate::orders::Lines;
use chrono::{Datelike, Months};

/// Revenue of one calendar month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthRevenue {
    /// Year.
    pub year: i32,
    /// Month 1-12.
    pub month: u32,
    /// Sum of order-line amounts dated in that month (yuan).
    pub revenue: f64,
    /// Only part of the month is in: the month of `end` when `end` is not its last day. Its
    /// bar is not comparable with whole months (two days of data read as a collapse).
    pub partial: bool,
}

/// Revenue per month for the `months` calendar months ending with the month of `end`
/// (oldest first; months without orders are 0).
pub fn monthly_revenue(orders: &(impl Lines + ?Sized), end: Date, months: u32) -> Vec<MonthRevenue> {
    if months == 0 {
        return Vec::new();
    }
    let last = end.with_day(1).unwrap_or(end);
    let first = last.checked_sub_months(Months::new(months - 1)).unwrap_or(last);
    let index = |d: Date| (d.year() - first.year()) * 12 + d.month() as i32 - first.month() as i32;
    let mut out: Vec<MonthRevenue> = (0..months)
        .map(|i| {
            let m = first.checked_add_months(Months::new(i)).unwrap_or(first);
            MonthRevenue { year: m.year(), month: m.month(), revenue: 0.0, partial: false }
        })
        .collect();
    let month_ends = end.checked_add_days(chrono::Days::new(1)).is_none_or(|next| next.month() != end.month());
    if let Some(m) = out.last_mut() {
        m.partial = !month_ends;
    }
    for o in orders.each_line() {
        let i = index(o.date);
        if i >= 0 && (i as u32) < months {
            out[i as usize].revenue += o.amount;
        }
    }
    out
}

/// Sum of amounts of order lines dated in `(end − days, end]`.
pub fn revenue_in_last_days(orders: &(impl Lines + ?Sized), end: Date, days: i64) -> f64 {
    let start = end - chrono::Duration::days(days);
    orders.each_line().filter(|o| o.date > start && o.date <= end).map(|o| o.amount).sum()
}

/// Number of customers whose status is active.
pub fn active_customers(customers: &[Customer]) -> usize {
    customers.iter().filter(|c| c.status == CustomerStatus::Active).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrderLine;
    use chrono::{TimeZone, Utc};

    fn order(date: &str, amount: f64) -> OrderLine {
        let ts = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        OrderLine::new(format!("O{date}{amount}"), "C1", date.parse().unwrap(), amount, ts)
    }

    #[test]
    fn months_are_summed_and_empty_months_are_zero() {
        let orders = [order("2024-01-31", 10.0), order("2024-03-01", 5.0), order("2024-03-31", 2.5), order("2023-12-31", 99.0)];
        let m = monthly_revenue(&orders, "2024-03-15".parse().unwrap(), 3);
        assert_eq!(m.len(), 3);
        assert_eq!((m[0].year, m[0].month, m[0].revenue), (2024, 1, 10.0));
        assert_eq!((m[1].month, m[1].revenue), (2, 0.0));
        assert_eq!((m[2].month, m[2].revenue), (3, 7.5));
    }

    /// Issue 13, defect 8: the Overview's last bar was the current month with two days of
    /// data, unmarked, reading as a collapse. The month of `end` is partial unless `end` is
    /// its last day; every earlier month is whole.
    #[test]
    fn the_month_in_progress_is_marked_partial() {
        let orders = [order("2024-03-01", 5.0)];
        let m = monthly_revenue(&orders, "2024-03-02".parse().unwrap(), 3);
        assert_eq!(m.iter().map(|x| x.partial).collect::<Vec<_>>(), vec![false, false, true]);
        let m = monthly_revenue(&orders, "2024-02-29".parse().unwrap(), 2);
        assert_eq!(m.iter().map(|x| x.partial).collect::<Vec<_>>(), vec![false, false]);
    }

    #[test]
    fn year_boundaries_and_the_trailing_window() {
        let orders = [order("2023-11-02", 1.0), order("2024-01-01", 2.0), order("2024-01-02", 4.0)];
        let m = monthly_revenue(&orders, "2024-01-02".parse().unwrap(), 3);
        assert_eq!(m.iter().map(|x| x.revenue).collect::<Vec<_>>(), vec![1.0, 0.0, 6.0]);
        // (2024-01-01, 2024-01-02]: only the order of the 2nd.
        assert_eq!(revenue_in_last_days(&orders, "2024-01-02".parse().unwrap(), 1), 4.0);
    }
}
