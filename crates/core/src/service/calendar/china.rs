//! The official mainland-China public holidays and make-up working days 调休上班, as
//! announced each year by the General Office of the State Council (国务院办公厅关于…部分
//! 节假日安排的通知).
//!
//! Every date off within an announced holiday period is listed, weekend dates included
//! (they matter to a calendar whose Saturdays have working hours). Where an announcement
//! says a single day "joins the weekend" (与周末连休), the adjoining weekend days of the
//! same year are listed as part of the period: 2024 Dragon Boat is 6/8-6/10. The one
//! exception is New Year 2024 (period 2023-12-30 to 2024-01-01): only 2024-01-01 is
//! listed, because the 2023 schedule is not built in and listing two 2023 dates would make
//! [`super::WorkCalendar::covers`] claim 2023.
//!
//! Sources:
//! - 2024: 国办发明电〔2023〕7号 (25 October 2023).
//! - 2025: 国办发明电〔2024〕12号 (12 November 2024), the first schedule under the revised
//!   national holiday regulation (New Year's Eve of the lunar calendar and 2 May added).
//! - 2026: the State Council General Office notice of November 2025 (number recalled as
//!   国办发明电〔2025〕7号; the dates below were recalled from the announcement and should be
//!   checked against the published text before relying on them).

use chrono::NaiveDate;

/// One year's schedule: holidays and make-up working days as `(month, day)`.
struct Year {
    year: i32,
    holidays: &'static [(u32, u32)],
    workdays: &'static [(u32, u32)],
}

/// The built-in years, ascending.
const YEARS: &[Year] = &[
    Year {
        year: 2024,
        holidays: &[
            // 元旦: 1/1 (Monday), joined with the weekend 2023-12-30/31 (not listed, see above).
            (1, 1),
            // 春节: 2/10-2/17, 8 days.
            (2, 10), (2, 11), (2, 12), (2, 13), (2, 14), (2, 15), (2, 16), (2, 17),
            // 清明节: 4/4-4/6.
            (4, 4), (4, 5), (4, 6),
            // 劳动节: 5/1-5/5.
            (5, 1), (5, 2), (5, 3), (5, 4), (5, 5),
            // 端午节: 6/10 (Monday), joined with the weekend 6/8-6/9.
            (6, 8), (6, 9), (6, 10),
            // 中秋节: 9/15-9/17.
            (9, 15), (9, 16), (9, 17),
            // 国庆节: 10/1-10/7.
            (10, 1), (10, 2), (10, 3), (10, 4), (10, 5), (10, 6), (10, 7),
        ],
        // 2/4 (Sun) and 2/18 (Sun) for the Spring Festival, 4/7 (Sun) for Qingming, 4/28 (Sun)
        // and 5/11 (Sat) for Labour Day, 9/14 (Sat) for Mid-Autumn, 9/29 (Sun) and 10/12
        // (Sat) for National Day.
        workdays: &[(2, 4), (2, 18), (4, 7), (4, 28), (5, 11), (9, 14), (9, 29), (10, 12)],
    },
    Year {
        year: 2025,
        holidays: &[
            // 元旦: 1/1 (Wednesday), no make-up day.
            (1, 1),
            // 春节: 1/28 (除夕) - 2/4, 8 days.
            (1, 28), (1, 29), (1, 30), (1, 31), (2, 1), (2, 2), (2, 3), (2, 4),
            // 清明节: 4/4 (Fri) - 4/6 (Sun).
            (4, 4), (4, 5), (4, 6),
            // 劳动节: 5/1 (Thu) - 5/5 (Mon).
            (5, 1), (5, 2), (5, 3), (5, 4), (5, 5),
            // 端午节: 5/31 (Sat) - 6/2 (Mon).
            (5, 31), (6, 1), (6, 2),
            // 国庆节、中秋节: 10/1 - 10/8, 8 days.
            (10, 1), (10, 2), (10, 3), (10, 4), (10, 5), (10, 6), (10, 7), (10, 8),
        ],
        // 1/26 (Sun) and 2/8 (Sat) for the Spring Festival, 4/27 (Sun) for Labour Day, 9/28
        // (Sun) and 10/11 (Sat) for National Day.
        workdays: &[(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)],
    },
    Year {
        year: 2026,
        holidays: &[
            // 元旦: 1/1 (Thu) - 1/3 (Sat).
            (1, 1), (1, 2), (1, 3),
            // 春节: 2/15 (Sun) - 2/23 (Mon), 9 days.
            (2, 15), (2, 16), (2, 17), (2, 18), (2, 19), (2, 20), (2, 21), (2, 22), (2, 23),
            // 清明节: 4/4 (Sat) - 4/6 (Mon).
            (4, 4), (4, 5), (4, 6),
            // 劳动节: 5/1 (Fri) - 5/5 (Tue).
            (5, 1), (5, 2), (5, 3), (5, 4), (5, 5),
            // 端午节: 6/19 (Fri) - 6/21 (Sun).
            (6, 19), (6, 20), (6, 21),
            // 中秋节: 9/25 (Fri) - 9/27 (Sun).
            (9, 25), (9, 26), (9, 27),
            // 国庆节: 10/1 (Thu) - 10/7 (Wed).
            (10, 1), (10, 2), (10, 3), (10, 4), (10, 5), (10, 6), (10, 7),
        ],
        // 1/4 (Sun) for New Year, 2/14 (Sat) and 2/28 (Sat) for the Spring Festival, 5/9
        // (Sat) for Labour Day, 9/20 (Sun) and 10/10 (Sat) for National Day.
        workdays: &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)],
    },
];

fn dates(year: i32, md: &[(u32, u32)]) -> Vec<NaiveDate> {
    md.iter().filter_map(|&(m, d)| NaiveDate::from_ymd_opt(year, m, d)).collect()
}

/// The years with a built-in schedule, ascending.
pub fn years() -> Vec<i32> {
    YEARS.iter().map(|y| y.year).collect()
}

/// The built-in holidays and make-up working days of one year, each ascending; `None`
/// for a year without a built-in schedule.
pub fn year(year: i32) -> Option<(Vec<NaiveDate>, Vec<NaiveDate>)> {
    YEARS.iter().find(|y| y.year == year).map(|y| (dates(y.year, y.holidays), dates(y.year, y.workdays)))
}

/// Every built-in holiday and make-up working day, each ascending.
pub fn all_dates() -> (Vec<NaiveDate>, Vec<NaiveDate>) {
    let mut h = Vec::new();
    let mut w = Vec::new();
    for y in YEARS {
        h.extend(dates(y.year, y.holidays));
        w.extend(dates(y.year, y.workdays));
    }
    (h, w)
}
