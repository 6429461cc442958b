//! Texts of the visits page and of the plan-visit dialog, Chinese first, English second
//! (see `table.rs`).

use super::table::texts;
use clientscope_core::model::{InteractionStatus, Language};
use clientscope_core::service::visits::{Due, VisitClass};

/// The visits table of a language.
pub fn texts(lang: Language) -> &'static VisitTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

/// The label of an interaction's status.
pub fn status_label(s: InteractionStatus, lang: Language) -> &'static str {
    let t = texts(lang);
    match s {
        InteractionStatus::Planned => t.status_planned,
        InteractionStatus::Done => t.status_done,
        InteractionStatus::Cancelled => t.status_cancelled,
    }
}

/// The label of a visit class.
pub fn class_label(c: VisitClass, lang: Language) -> &'static str {
    let t = texts(lang);
    match c {
        VisitClass::New => t.class_new,
        VisitClass::FollowUp => t.class_follow_up,
    }
}

/// A count with its noun: `one` when `n` is 1, `many` otherwise, `{n}` filled in (the
/// English texts say "1 day" and "2 days"; the Chinese ones are the same twice).
pub fn count(n: i64, one: &str, many: &str) -> String {
    super::fill(if n == 1 { one } else { many }, &[("n", &n)])
}

/// The label of how soon something is due.
pub fn due_label(d: Due, lang: Language) -> &'static str {
    let t = texts(lang);
    match d {
        Due::Overdue => t.due_overdue,
        Due::Today => t.due_today,
        Due::Soon => t.due_soon,
    }
}

texts! {VisitTexts, ZH, EN {
    title: "客户拜访", "Visits";
    day: "日期", "Day";
    owner: "客户经理", "Account manager";
    everyone: "全部客户经理", "All account managers";
    today: "今天", "Today";
    plan_title: "日计划", "Day plan";
    plan_empty: "这一天没有安排拜访。", "No visits on this day.";
    target_title: "每日目标", "Daily target";
    target_new: "新客户拜访", "New visits";
    target_follow_up: "回访", "Follow-ups";
    target_progress: "已完成 {done} / 目标 {target}，另有计划 {planned}", "{done} done of {target}, {planned} more planned";
    target_met: "今日目标已完成", "Target met";
    target_plan_short: "按计划完成也达不到目标", "The plan falls short of the target";
    target_edit: "修改目标", "Edit target";
    target_bad: "目标无效：{why}", "Invalid target: {why}";
    all_day: "全天", "All day";
    status_planned: "计划", "planned";
    status_done: "已完成", "done";
    status_cancelled: "已取消", "cancelled";
    class_new: "新客户", "new";
    class_follow_up: "回访", "follow-up";
    log: "登记结果", "Log outcome";
    log_title: "登记结果：{name}", "Log outcome: {name}";
    reschedule: "改期", "Reschedule";
    cancel_visit: "取消拜访", "Cancel visit";
    cancelled_toast: "已取消拜访：{name}", "Visit cancelled: {name}";
    outcome: "结果", "Outcome";
    outcome_line: "结果：{text}", "Outcome: {text}";
    next_line: "下一步：{text}", "Next step: {text}";
    outcome_placeholder: "例如：客户同意试用新品", "e.g. The customer agreed to try the new product";
    next_action: "下一步", "Next step";
    next_action_placeholder: "例如：寄送样品", "e.g. Send samples";
    next_date: "下一步日期", "Next step on";
    next_time: "时间（可不填）", "Time (optional)";
    next_hint: "填写下一步日期后，下一步会成为一次计划中的拜访。", "With a date, the next step becomes a planned visit.";
    logged_toast: "已登记结果：{name}", "Outcome logged: {name}";
    logged_next_toast: "已登记结果，下一步已安排在 {date}：{name}", "Outcome logged; next step planned on {date}: {name}";
    rescheduled_toast: "已改期到 {date}：{name}", "Moved to {date}: {name}";
    save: "保存", "Save";
    close: "关闭", "Close";
    plan_visit: "安排拜访", "Plan a visit";
    plan_dialog_title: "安排拜访：{name}", "Plan a visit: {name}";
    pick_customer: "客户", "Customer";
    pick_customer_placeholder: "输入客户名称、编号或城市", "Type a customer's name, code or city";
    pick_none: "没有匹配的客户。", "No customer matches.";
    when: "何时（日期）", "When (date)";
    time: "时间（可不填，不填为全天）", "Time (optional; empty for all day)";
    duration: "时长（分钟）", "Duration (minutes)";
    purpose: "何事（目的）", "Purpose (what)";
    who: "何人（拜访对象）", "Who";
    method: "何种方法", "Method";
    reason: "何种理由", "Reason";
    location: "地点", "Location";
    planned_toast: "已安排拜访：{name}，{date}", "Visit planned: {name}, {date}";
    bad_number: "请输入一个整数。", "Enter a whole number.";
    bad_date: "日期无效。", "The date is not valid.";
    bad_time: "时间无效，请按 14:30 的格式填写。", "The time is not valid; use HH:MM.";
    bad_duration: "时长需要1到10080之间的整数分钟。", "The duration must be a whole number of minutes from 1 to 10080.";
    due_title: "到期的下一步与计划", "Next steps and visits falling due";
    due_empty: "没有到期或即将到期的事项。", "Nothing is due.";
    due_overdue: "已逾期", "Overdue";
    due_today: "今天到期", "Due today";
    due_soon: "即将到期", "Due soon";
    due_kind_next: "下一步", "Next step";
    due_kind_planned: "计划拜访", "Planned visit";
    days_one: "{n} 天", "{n} day";
    days_many: "{n} 天", "{n} days";
    customers_one: "{n} 位客户", "{n} customer";
    customers_many: "{n} 位客户", "{n} customers";
    active_one: "{n} 位合作中客户", "{n} active customer";
    active_many: "{n} 位合作中客户", "{n} active customers";
    due_days_overdue: "逾期 {days}", "{days} overdue";
    due_days_left: "还有 {days}", "in {days}";
    plan_it: "安排", "Plan";
    plan_from_list: "安排拜访", "Plan visit";
    plan_follow_up: "安排回访", "Plan follow-up visit";
    not_contacted_title: "超过 N 天未联系（每月一卡）", "Not contacted in N days (monthly touch)";
    not_contacted_days: "天数 N", "Days N";
    not_contacted_summary: "{owner}：{n} / {active}", "{owner}: {n} of {active}";
    not_contacted_total: "共 {customers}超过 {days}未联系。", "{customers} not contacted in {days}.";
    no_owner: "（未分配）", "(unassigned)";
    never: "从未联系", "never";
    last_contact: "上次联系 {date}，{days}前", "last contact {date}, {days} ago";
    more: "另有 {n} 位未列出。", "{n} more not listed.";
    referrals_title: "推荐", "Referrals";
    referrals_hint: "推荐人（客户、联系人或其他人）带来的客户数和这些客户的全部订单收入。", "Customers brought by each referrer (a customer, a contact or someone else) and all order revenue of those customers.";
    referrals_summary_one: "{n} 位客户有推荐人，收入合计 {sum}。", "{n} customer has a referrer; its revenue is {sum}.";
    referrals_summary: "{n} 位客户有推荐人，收入合计 {sum}。", "{n} customers have a referrer; their revenue is {sum}.";
    referrals_empty: "没有记录推荐人的客户。", "No customer has a referrer.";
    referrals_loading: "订单明细加载中…", "Order lines are loading…";
    col_referrer: "推荐人", "Referrer";
    col_referrer_kind: "类型", "Kind";
    col_referred: "推荐客户数", "Referred";
    col_revenue: "推荐客户收入", "Their revenue";
    referrer_customer: "客户", "customer";
    referrer_contact: "联系人", "contact";
    referrer_name: "其他", "other";
    export_title: "导出", "Export";
    export_hint: "按所选客户经理导出：拜访记录为CSV，计划中的拜访为日历文件（.ics，可导入手机日历）。", "For the chosen account manager: the visit log as CSV, the planned visits as a calendar file (.ics, for the phone's calendar).";
    export_csv: "导出拜访记录CSV", "Export visit log (CSV)";
    export_ics: "导出日历（.ics）", "Export calendar (.ics)";
    exported: "已导出 {name}", "Exported {name}";
}}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 11 §3: the English follow-up lists said "in 1 days" and "1 days ago".
    #[test]
    fn one_day_reads_singular_in_english() {
        let t = texts(Language::En);
        let days = |n| count(n, t.days_one, t.days_many);
        assert_eq!(super::super::fill(t.due_days_left, &[("days", &days(1))]), "in 1 day");
        assert_eq!(super::super::fill(t.due_days_overdue, &[("days", &days(2))]), "2 days overdue");
        assert_eq!(count(1, t.customers_one, t.customers_many), "1 customer");
        assert_eq!(count(0, t.customers_one, t.customers_many), "0 customers");
        let z = texts(Language::ZhCn);
        assert_eq!(super::super::fill(z.due_days_left, &[("days", &count(1, z.days_one, z.days_many))]), "还有 1 天");
    }
}
