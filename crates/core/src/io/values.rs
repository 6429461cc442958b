//! Parsing cell values as people write them in Chinese offices.
//!
//! Every parser first [`normalize`]s the text: full-width ASCII characters (`２０２４`,
//! `，`, `（`) are folded to their half-width forms, the ideographic space and no-break
//! space count as spaces, and leading / trailing spaces are removed. Then:
//! - [`parse_date`]: `2024-03-05`, `2024/3/5`, `2024.3.5`, `20240305`, `2024年3月5日`,
//!   `05.03.2024` (day first, as in German/Russian exports), a time after the date is
//!   ignored, and Excel serial numbers in the 1900 date system (see [`excel_serial_date`]).
//! - [`parse_amount`]: thousands separators, `¥`/`￥`/`元`/`RMB`/`CNY`, the multipliers
//!   `万` (×10,000) and `亿` (×100,000,000) applied exactly on the decimal text, negatives
//!   written with a minus (also U+2212) or in parentheses.
//! - [`parse_likert`]: the five words of SPEC §5 (满意 5 … 不满意 1) and common variants,
//!   or a number.
//! - Enumerations of the model (region, kind, severity…) by their Chinese or English names
//!   or their stored codes.
//!
//! Parsers return a [`ValueError`] whose [`ValueError::message`] is a sentence in the UI
//! language; the importer puts it into the rejected-row list.

#[cfg(test)]
mod tests;

use crate::model::{
    BuyingRole, CitySize, CreditRating, CustomerKind, CustomerStatus, Date, EconomicZone, Language,
    InteractionKind, InteractionStatus, Region, Severity, Timestamp, Validity,
};
use chrono::{Duration, NaiveDateTime, NaiveTime, TimeZone};
use std::borrow::Cow;

/// Why a cell could not be read as the value its column needs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// Not a date in any accepted form.
    #[error("not a date")]
    BadDate,
    /// Looks like a date but the day does not exist (2024-02-30).
    #[error("no such day")]
    NoSuchDay,
    /// Excel serial number 60, the 29 February 1900 that Excel invents (Lotus 1-2-3 bug).
    #[error("Excel serial 60 is the non-existent 1900-02-29")]
    Excel1900LeapBug,
    /// Not a number or amount.
    #[error("not a number")]
    BadNumber,
    /// A number with commas that are not thousands separators (e.g. `1,5`).
    #[error("ambiguous separators")]
    AmbiguousSeparators,
    /// Not one of the satisfaction words and not a number.
    #[error("not a satisfaction answer")]
    BadLikert,
    /// Not one of the allowed values of an enumeration.
    #[error("not an allowed value")]
    NotAllowed {
        /// The allowed values, for the message (Chinese names / English names).
        allowed_zh: &'static str,
        /// The allowed values in English.
        allowed_en: &'static str,
    },
    /// Not a time of day after a date (`2024-03-05 25:00`).
    #[error("not a date and time")]
    BadDateTime,
}

impl ValueError {
    /// The reason as a sentence fragment in the given language, e.g. "不是有效的日期".
    pub fn message(&self, lang: Language) -> String {
        let zh = lang == Language::ZhCn;
        match self {
            ValueError::BadDate => if zh {
                "不是可识别的日期（可用 2024-03-05、2024/3/5、2024年3月5日、05.03.2024 或 Excel 日期）".into()
            } else {
                "is not a recognised date (use 2024-03-05, 2024/3/5, “2024年3月5日”, 05.03.2024 or an Excel date)".into()
            },
            ValueError::NoSuchDay => if zh { "日期不存在".into() } else { "is a day that does not exist".into() },
            ValueError::Excel1900LeapBug => if zh {
                "是 Excel 序号 60，即不存在的 1900-02-29".into()
            } else {
                "is Excel serial 60, the non-existent 1900-02-29".into()
            },
            ValueError::BadNumber => if zh { "不是有效的数字或金额".into() } else { "is not a number or amount".into() },
            ValueError::AmbiguousSeparators => if zh {
                "中的逗号不是千位分隔符，无法确定数值".into()
            } else {
                "has commas that are not thousands separators".into()
            },
            ValueError::BadLikert => if zh {
                "不是满意度答案（满意/较满意/一般/较不满意/不满意 或数字）".into()
            } else {
                "is not a satisfaction answer (“满意”, “较满意”, “一般”, “较不满意”, “不满意” or a number)".into()
            },
            ValueError::NotAllowed { allowed_zh, allowed_en } => if zh {
                format!("不是允许的值（可用：{allowed_zh}）")
            } else {
                format!("is not an allowed value ({allowed_en})")
            },
            ValueError::BadDateTime => if zh { "不是有效的日期时间".into() } else { "is not a valid date and time".into() },
        }
    }
}

/// Folds full-width ASCII (U+FF01..U+FF5E) to ASCII, the ideographic space (U+3000) and
/// no-break space to a space, and trims. Borrows when nothing changes (the common case).
pub fn normalize(s: &str) -> Cow<'_, str> {
    // Every character folded below is outside ASCII.
    if s.is_ascii() {
        return Cow::Borrowed(s.trim());
    }
    let needs_fold = s.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}' || c == '\u{A0}');
    if !needs_fold {
        return Cow::Borrowed(s.trim());
    }
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{A0}' => ' ',
            _ => c,
        })
        .collect();
    Cow::Owned(folded.trim().to_string())
}

/// The date of an Excel serial number in the 1900 date system (Windows Excel's default).
///
/// Serial 1 is 1900-01-01. Excel (copying Lotus 1-2-3) treats 1900 as a leap year, so serial
/// 60 is the non-existent 1900-02-29 ([`ValueError::Excel1900LeapBug`]) and every serial
/// from 61 on is one day later than a plain count: 61 is 1900-03-01, 45356 is 2024-03-05.
/// The fractional part (the time of day) is ignored. Serials below 1 or above 2958465
/// (9999-12-31) are not dates.
pub fn excel_serial_date(serial: f64) -> Result<Date, ValueError> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return Err(ValueError::BadDate);
    }
    let day = serial.floor() as i64;
    let base = |y, m, d| Date::from_ymd_opt(y, m, d).ok_or(ValueError::BadDate);
    match day {
        60 => Err(ValueError::Excel1900LeapBug),
        1..=59 => Ok(base(1899, 12, 31)? + Duration::days(day)),
        _ => Ok(base(1899, 12, 30)? + Duration::days(day)),
    }
}

fn ymd(y: &str, m: &str, d: &str) -> Result<Date, ValueError> {
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) || y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return Err(ValueError::BadDate);
    }
    let (y, m, d) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>());
    match (y, m, d) {
        (Ok(y), Ok(m), Ok(d)) => Date::from_ymd_opt(y, m, d).ok_or(ValueError::NoSuchDay),
        _ => Err(ValueError::BadDate),
    }
}

/// Splits off a time of day after the date (`2024-03-05 14:30:00`, `2024-03-05T14:30`).
fn split_time(s: &str) -> (&str, Option<&str>) {
    match s.find([' ', 'T']) {
        Some(i) if i >= 8 => (s[..i].trim(), Some(s[i + 1..].trim())),
        _ => (s, None),
    }
}

/// Parses a date as people write it (see the module docs). The text is normalised first.
pub fn parse_date(s: &str) -> Result<Date, ValueError> {
    let n = normalize(s);
    let (date, _) = split_time(&n);
    parse_date_only(date)
}

fn parse_date_only(s: &str) -> Result<Date, ValueError> {
    if s.is_empty() {
        return Err(ValueError::BadDate);
    }
    // 2024年3月5日 (the 日 may be missing).
    if let Some((y, rest)) = s.split_once('年') {
        let (m, d) = rest.split_once('月').ok_or(ValueError::BadDate)?;
        let d = d.strip_suffix('日').or_else(|| d.strip_suffix('号')).unwrap_or(d);
        return ymd(y.trim(), m.trim(), d.trim());
    }
    for sep in ['-', '/', '.'] {
        // Exactly three parts (no list: one date a line).
        let mut it = s.split(sep);
        if let (Some(a), Some(b), Some(c), None) = (it.next(), it.next(), it.next(), it.next()) {
            if a.len() == 4 {
                return ymd(a, b, c);
            }
            // 05.03.2024: day first. Only with dots; 05/03/2024 is ambiguous (US month first).
            if sep == '.' && c.len() == 4 {
                return ymd(c, b, a);
            }
            return Err(ValueError::BadDate);
        }
    }
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(&s[..4], &s[4..6], &s[6..]);
    }
    // An Excel serial number: at most five integer digits, optionally a time fraction.
    let int_part = s.split('.').next().unwrap_or("");
    if !int_part.is_empty() && int_part.len() <= 7 && int_part.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = s.parse::<f64>() {
            return excel_serial_date(v);
        }
    }
    Err(ValueError::BadDate)
}

/// China Standard Time (UTC+8), the zone of times written without one.
const CHINA: Option<chrono::FixedOffset> = chrono::FixedOffset::east_opt(8 * 3600);

/// Parses a date with an optional time of day (`2024-03-05 14:30`, `2024/3/5 9:05:00`, an
/// Excel serial with a fraction) as China Standard Time (UTC+8), returned in UTC. RFC 3339
/// text with its own offset (`2024-03-05T14:30:00Z`) keeps that offset.
pub fn parse_datetime(s: &str) -> Result<Timestamp, ValueError> {
    let n = normalize(s);
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&n) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    let (date_part, time_part) = split_time(&n);
    let date = parse_date_only(date_part)?;
    let time = match time_part {
        None | Some("") => {
            // An Excel serial keeps its time of day in the fraction.
            match date_part.parse::<f64>() {
                Ok(v) if v.fract() > 0.0 => {
                    let secs = (v.fract() * 86_400.0).round() as u32;
                    NaiveTime::from_num_seconds_from_midnight_opt(secs.min(86_399), 0).ok_or(ValueError::BadDateTime)?
                }
                _ => NaiveTime::MIN,
            }
        }
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
            .map_err(|_| ValueError::BadDateTime)?,
    };
    let local = NaiveDateTime::new(date, time);
    CHINA
        .ok_or(ValueError::BadDateTime)?
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&chrono::Utc))
        .ok_or(ValueError::BadDateTime)
}

/// Moves the decimal point of a plain decimal text (`"1.2345"`) `places` to the right
/// (`"12345"`), so that 万 and 亿 scale exactly instead of by a float multiplication.
fn shift_decimal(num: &str, places: usize) -> String {
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    let mut digits = String::with_capacity(int.len() + places + 1);
    digits.push_str(int);
    if frac.len() <= places {
        digits.push_str(frac);
        digits.extend(std::iter::repeat_n('0', places - frac.len()));
    } else {
        digits.push_str(&frac[..places]);
        digits.push('.');
        digits.push_str(&frac[places..]);
    }
    digits
}

/// Parses an amount or plain number (see the module docs): `1,234.50`, `¥1,234.5`,
/// `1234.5元`, `12.5万`, `(300.00)`, `-300`, `１２３`, `1.5E+3`.
///
/// Commas must be thousands separators (groups of three digits); `1,5` is refused as
/// ambiguous rather than guessed. The result is finite.
pub fn parse_amount(s: &str) -> Result<f64, ValueError> {
    let n = normalize(s);
    let mut t: &str = &n;
    // Plain digits with a point, most amounts of a file: what the steps below come to for
    // them (no sign, unit, group or suffix to take off), without those steps.
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return t.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or(ValueError::BadNumber);
    }
    let mut negative = false;
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        t = inner.trim();
    }
    for prefix in ["¥", "￥", "RMB", "CNY", "rmb", "cny"] {
        if let Some(r) = t.strip_prefix(prefix) {
            t = r.trim_start();
        }
    }
    if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
        if negative {
            return Err(ValueError::BadNumber);
        }
        negative = true;
        t = r.trim_start();
    } else if let Some(r) = t.strip_prefix('+') {
        t = r.trim_start();
    }
    // A currency sign may follow the minus: -¥300.
    for prefix in ["¥", "￥"] {
        if let Some(r) = t.strip_prefix(prefix) {
            t = r.trim_start();
        }
    }
    for suffix in ["元", "RMB", "CNY", "rmb", "cny"] {
        if let Some(r) = t.strip_suffix(suffix) {
            t = r.trim_end();
        }
    }
    let mut places = 0;
    if let Some(r) = t.strip_suffix('万') {
        places = 4;
        t = r.trim_end();
    } else if let Some(r) = t.strip_suffix('亿') {
        places = 8;
        t = r.trim_end();
    }
    if t.is_empty() {
        return Err(ValueError::BadNumber);
    }
    let plain: Cow<str> = if t.contains(',') {
        let (int, frac) = t.split_once('.').map(|(a, b)| (a, Some(b))).unwrap_or((t, None));
        // Groups of three digits after a first of one to three; joined as they are checked.
        let mut joined = String::with_capacity(t.len());
        let mut ok = frac.is_none_or(|f| !f.contains(','));
        for (k, g) in int.split(',').enumerate() {
            let len_ok = if k == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 };
            if !ok || !len_ok || !g.bytes().all(|b| b.is_ascii_digit()) {
                ok = false;
                break;
            }
            joined.push_str(g);
        }
        if !ok {
            return Err(ValueError::AmbiguousSeparators);
        }
        if let Some(f) = frac {
            joined.push('.');
            joined.push_str(f);
        }
        Cow::Owned(joined)
    } else {
        Cow::Borrowed(t)
    };
    if !plain.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return Err(ValueError::BadNumber);
    }
    if !plain.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.') {
        return Err(ValueError::BadNumber);
    }
    let value = if places > 0 && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        shift_decimal(&plain, places).parse::<f64>()
    } else {
        plain.parse::<f64>().map(|v| v * 10f64.powi(places as i32))
    }
    .map_err(|_| ValueError::BadNumber)?;
    if !value.is_finite() {
        return Err(ValueError::BadNumber);
    }
    Ok(if negative { -value } else { value })
}

/// Parses a Likert answer: the words of SPEC §5 map to 满意 5, 较满意 4, 一般 3, 较不满意 2,
/// 不满意 1; the variants 非常满意/很满意 5, 比较满意 4, 比较不满意 2, 非常不满意/很不满意 1
/// and English words on the same five steps ("satisfied" 5, "fairly satisfied" 4,
/// "neutral" 3, "fairly dissatisfied" 2, "dissatisfied" 1) are accepted too. Anything else
/// must be a number, returned as is (the survey's scale is checked by validation).
pub fn parse_likert(s: &str) -> Result<f64, ValueError> {
    let n = normalize(s);
    let lower = n.to_lowercase();
    let word = match lower.as_str() {
        "满意" | "非常满意" | "很满意" | "satisfied" | "very satisfied" => Some(5.0),
        "较满意" | "比较满意" | "fairly satisfied" | "somewhat satisfied" => Some(4.0),
        "一般" | "中立" | "neutral" => Some(3.0),
        "较不满意" | "比较不满意" | "fairly dissatisfied" | "somewhat dissatisfied" => Some(2.0),
        "不满意" | "非常不满意" | "很不满意" | "dissatisfied" | "very dissatisfied" => Some(1.0),
        _ => None,
    };
    if let Some(v) = word {
        return Ok(v);
    }
    parse_amount(&n).map_err(|_| ValueError::BadLikert)
}

/// Lower-cased, space- and separator-free key for matching names of enumeration values.
fn key(s: &str) -> String {
    normalize(s).chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect()
}

macro_rules! enum_parser {
    ($(#[$doc:meta])* $name:ident -> $ty:ty, $zh:expr, $en:expr, { $($($word:literal)|+ => $val:expr),* $(,)? }) => {
        $(#[$doc])*
        pub fn $name(s: &str) -> Result<$ty, ValueError> {
            match key(s).as_str() {
                $($($word)|+ => Ok($val),)*
                _ => Err(ValueError::NotAllowed { allowed_zh: $zh, allowed_en: $en }),
            }
        }
    };
}

enum_parser!(
    /// Customer kind: 终端顾客 / 中间商 (经销商) / 分销商, or end_customer / dealer / distributor.
    parse_customer_kind -> CustomerKind, "终端顾客、中间商、分销商", "end customer, dealer, distributor", {
    "终端顾客" | "终端客户" | "终端" | "endcustomer" | "end" => CustomerKind::EndCustomer,
    "中间商" | "经销商" | "dealer" => CustomerKind::Dealer,
    "分销商" | "代理商" | "distributor" => CustomerKind::Distributor,
});

enum_parser!(
    /// Region 大区 by its Chinese name (华东 or 华东区) or English code.
    parse_region -> Region, "东北、华北、华东、华中、华南、西北、西南", "northeast, north, east, central, south, northwest, southwest", {
    "东北" | "东北区" | "northeast" => Region::Northeast,
    "华北" | "华北区" | "north" => Region::North,
    "华东" | "华东区" | "east" => Region::East,
    "华中" | "华中区" | "central" => Region::Central,
    "华南" | "华南区" | "south" => Region::South,
    "西北" | "西北区" | "northwest" => Region::Northwest,
    "西南" | "西南区" | "southwest" => Region::Southwest,
});

enum_parser!(
    /// City size 城市规模.
    parse_city_size -> CitySize, "特大型、大型、中型、小型", "megacity, large, medium, small", {
    "特大型" | "特大" | "megacity" => CitySize::Megacity,
    "大型" | "大" | "large" => CitySize::Large,
    "中型" | "中" | "medium" => CitySize::Medium,
    "小型" | "小" | "small" => CitySize::Small,
});

enum_parser!(
    /// Economic zone 经济带.
    parse_economic_zone -> EconomicZone, "东部、中部、西部", "eastern, central, western", {
    "东部" | "eastern" | "east" => EconomicZone::Eastern,
    "中部" | "central" => EconomicZone::Central,
    "西部" | "western" | "west" => EconomicZone::Western,
});

enum_parser!(
    /// Customer status: 活跃/正常/合作中 or 终止/已终止.
    parse_status -> CustomerStatus, "活跃、终止", "active, terminated", {
    "活跃" | "正常" | "合作中" | "有效" | "active" => CustomerStatus::Active,
    "终止" | "已终止" | "terminated" => CustomerStatus::Terminated,
});

enum_parser!(
    /// Complaint severity: 一般 / 重大.
    parse_severity -> Severity, "一般、重大", "general, major", {
    "一般" | "general" | "minor" => Severity::General,
    "重大" | "major" => Severity::Major,
});

enum_parser!(
    /// Complaint validity: 属实 / 不属实.
    parse_validity -> Validity, "属实、不属实", "valid, invalid", {
    "属实" | "是" | "valid" | "yes" => Validity::Valid,
    "不属实" | "否" | "invalid" | "no" => Validity::Invalid,
});

enum_parser!(
    /// Buying-centre role 采购中心角色.
    parse_role -> BuyingRole, "倡议者、决策者、影响者、分析者、使用者、采购者、控制者", "initiator, decider, influencer, analyst, user, buyer, gatekeeper", {
    "倡议者" | "发起者" | "initiator" => BuyingRole::Initiator,
    "决策者" | "decider" => BuyingRole::Decider,
    "影响者" | "influencer" => BuyingRole::Influencer,
    "分析者" | "analyst" => BuyingRole::Analyst,
    "使用者" | "user" => BuyingRole::User,
    "采购者" | "购买者" | "buyer" => BuyingRole::Buyer,
    "控制者" | "守门人" | "gatekeeper" => BuyingRole::Gatekeeper,
});

enum_parser!(
    /// Interaction kind: 拜访 / 电话 / 邮件 / 会议 / 展会, or visit / phone / email / meeting / exhibition.
    parse_interaction_kind -> InteractionKind, "拜访、电话、邮件、会议、展会", "visit, phone, email, meeting, exhibition", {
    "拜访" | "上门拜访" | "走访" | "visit" => InteractionKind::Visit,
    "电话" | "电话沟通" | "phone" | "call" => InteractionKind::Phone,
    "邮件" | "电子邮件" | "email" | "mail" => InteractionKind::Email,
    "会议" | "会谈" | "meeting" => InteractionKind::Meeting,
    "展会" | "exhibition" | "fair" => InteractionKind::Exhibition,
});

enum_parser!(
    /// Interaction status: 计划 / 已完成 / 已取消, or planned / done / cancelled.
    parse_interaction_status -> InteractionStatus, "计划、已完成、已取消", "planned, done, cancelled", {
    "计划" | "计划中" | "已计划" | "待拜访" | "planned" | "plan" => InteractionStatus::Planned,
    "已完成" | "完成" | "已拜访" | "done" | "completed" => InteractionStatus::Done,
    "已取消" | "取消" | "cancelled" | "canceled" => InteractionStatus::Cancelled,
});

/// A time cell of the interaction import: RFC 3339 with any offset or `Z` (shown in
/// `offset`), or a local `YYYY-MM-DD HH:MM[:SS]` (and the other date forms of
/// [`parse_date`] with a time) in `offset`; a date without a time gives `Ok(None)` time.
/// Returns the day (in `offset`) and the time, if any.
pub fn parse_zoned(s: &str, offset: chrono::FixedOffset) -> Result<(Date, Option<crate::model::ZonedTime>), ValueError> {
    let n = normalize(s);
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&n) {
        let t = t.with_timezone(&offset);
        return Ok((t.date_naive(), Some(t)));
    }
    let (date_part, time_part) = split_time(&n);
    let date = parse_date_only(date_part)?;
    let time = match time_part {
        None | Some("") => return Ok((date, None)),
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
            .map_err(|_| ValueError::BadDateTime)?,
    };
    let t = offset.from_local_datetime(&NaiveDateTime::new(date, time)).single().ok_or(ValueError::BadDateTime)?;
    Ok((date, Some(t)))
}

/// Credit rating AAA … C (case-insensitive).
pub fn parse_credit_rating(s: &str) -> Result<CreditRating, ValueError> {
    let k = key(s).to_uppercase();
    CreditRating::ALL
        .into_iter()
        .find(|r| r.as_str() == k)
        .ok_or(ValueError::NotAllowed { allowed_zh: "AAA、AA、A、BBB、BB、B、C", allowed_en: "AAA, AA, A, BBB, BB, B, C" })
}

/// Splits a list cell (tags, roles) on `;`, `,`, `、`, `/` and `|`, dropping empty parts.
pub fn split_list(s: &str) -> Vec<String> {
    normalize(s)
        .split([';', ',', '、', '/', '|', '；'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}
