//! Texts of the complaints page, Chinese first, English second (see `table.rs`). The
//! names of states and events come from the core (`ComplaintState::label`,
//! `EventKind::label`), so the page and the core's messages use the same words.

use super::table::texts;
use clientscope_core::model::Language;

/// The complaints table of a language.
pub fn texts(lang: Language) -> &'static CompTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

texts! {CompTexts, ZH, EN {
    title: "投诉管理", "Complaints";
    tab_list: "投诉清单", "List";
    tab_register: "登记投诉", "Register";
    tab_analysis: "投诉分析", "Analysis";
    tab_audit: "审计记录", "Audit trail";
    now_injected: "时钟已设为 {now}（地址中的 ?now=）。", "The clock is set to {now} (?now= in the address).";
    filter_overdue: "已超时", "Overdue";
    filter_due_today: "今日到期", "Due today";
    filter_due_soon: "4个工作小时内到期", "Due within 4 business hours";
    filter_waiting: "等待客户", "Waiting for the customer";
    filter_all: "全部", "All";
    list_empty: "没有符合条件的投诉。", "No complaints in this list.";
    list_more: "显示前 {shown} 条，共 {n} 条。", "Showing the first {shown} of {n}.";
    list_rejected: "{n} 条投诉的事件记录被工作流拒绝，未列出（见“审计记录”）。", "{n} complaints have an event the workflow refuses and are not listed (see Audit trail).";
    unscheduled: "工作日历没有 {years} 年的节假日安排，这些年的期限按普通周计算。", "The working calendar has no holiday schedule for {years}; deadlines there count ordinary weeks.";
    clock_elapsed: "已用 {h} 小时", "elapsed {h} h";
    clock_paused: "暂停 {h} 小时", "paused {h} h";
    clock_left: "剩余 {h} 小时", "{h} h left";
    clock_late: "超时 {h} 小时", "{h} h late";
    clock_deadline: "期限 {at}", "due {at}";
    clock_stopped: "计时已停止", "clock stopped";
    hours_note: "（工作小时）", "(business hours)";
    open_detail: "查看", "Open";
    back_to_list: "← 返回清单", "← Back to the list";
    field_customer: "客户", "Customer";
    field_customer_search: "输入名称、编号或城市搜索", "Search by name, code or city";
    field_customer_none: "没有匹配的客户", "No matching customer";
    field_change: "更换", "Change";
    field_channel: "渠道", "Channel";
    field_category: "类别", "Category";
    field_description: "投诉内容", "Description";
    field_severity: "严重程度", "Severity";
    field_received: "收到时间", "Received at";
    field_owner: "负责人", "Owner";
    field_by: "记录人", "Recorded by";
    field_state: "状态", "State";
    field_id: "编号", "Id";
    channel_phone: "电话", "Phone";
    channel_visit: "拜访", "Visit";
    channel_email: "邮件", "E-mail";
    channel_letter: "信函", "Letter";
    channel_wechat: "微信", "WeChat";
    register_submit: "登记", "Register";
    register_done: "投诉 {id} 已登记。", "Complaint {id} registered.";
    need_customer: "请选择客户。", "Choose the customer.";
    need_category: "请填写类别。", "Enter the category.";
    need_description: "请填写投诉内容。", "Enter what the customer said.";
    bad_time: "时间格式应为 YYYY-MM-DD HH:MM。", "The time must read YYYY-MM-DD HH:MM.";
    bad_settings: "投诉设置无效：{why}", "The complaint settings are invalid: {why}";
    detail_clock: "时钟", "Clock";
    detail_trail: "审计记录", "Audit trail";
    detail_actions: "下一步", "Next step";
    detail_no_actions: "已结案，不再接受事件。", "Closed: no further events.";
    col_when: "时间", "When";
    col_who: "记录人", "Who";
    col_event: "事件", "Event";
    col_note: "备注", "Note";
    event_note: "备注", "Note";
    event_explanation: "给客户的投诉解释（必填）", "Explanation given to the customer (required)";
    event_handling: "处理方式", "Handled";
    handling_local: "就地处理", "Locally";
    handling_team: "专项工作组", "By a special team";
    event_members: "工作组成员（逗号分隔）", "Team members (comma-separated)";
    event_result: "回访结果", "Follow-up result";
    event_satisfaction: "客户对处理的满意度（1-5)", "Satisfaction with the handling (1-5)";
    event_submit: "记录“{event}”", "Record “{event}”";
    event_cancel: "取消", "Cancel";
    event_done: "已记录“{event}”，当前状态：{state}。", "Recorded “{event}”; the complaint is now {state}.";
    members_label: "成员：{m}", "members: {m}";
    satisfaction_label: "满意度 {v}/5", "satisfaction {v}/5";
    as_of: "分析时点", "As of";
    as_of_hint: "只计入该时点之前的事件；之后收到的投诉不计。", "Only events up to this instant count; complaints received later are left out.";
    stat_complaints: "投诉数", "Complaints";
    stat_confirm_rate: "按时确认率", "Confirmed on time";
    stat_resolve_rate: "按时解决率", "Resolved on time";
    stat_mean: "平均解决时间", "Mean resolution";
    stat_median: "解决时间中位数", "Median resolution";
    stat_p90: "解决时间90分位", "90th percentile";
    stat_repeat: "重复投诉", "Repeat complaints";
    stat_per100: "每百客户投诉数", "Per 100 customers";
    stat_satisfaction: "回访满意度均值", "Mean follow-up satisfaction";
    rate_detail: "按时 {num}；已完成 {done}，超时未完成 {late}", "{num} on time; {done} done, {late} late and not done";
    hours_value: "{h} 小时", "{h} h";
    by_category: "按类别", "By category";
    by_severity: "按严重程度", "By severity";
    by_validity: "按是否属实", "By validity";
    by_owner: "按负责人", "By owner";
    by_state: "按状态", "By state";
    by_month: "按月趋势", "Monthly trend";
    col_group: "分组", "Group";
    col_count: "数量", "Count";
    col_share: "占比", "Share";
    col_cumulative: "累计占比", "Cumulative";
    col_month: "月份", "Month";
    col_received: "收到", "Received";
    col_resolved: "解决", "Resolved";
    col_resolved_on_time: "按时解决", "Resolved on time";
    validity_valid: "属实", "Valid";
    validity_invalid: "不属实", "Invalid";
    none_value: "未填", "(none)";
    pareto_title: "类别帕累托图", "Pareto of categories";
    trend_title: "月度趋势图", "Monthly trend chart";
    export_png: "导出PNG", "Export PNG";
    by_segment: "按细分市场", "By segment";
    segment_by: "细分依据", "Segment by";
    customer_register: "为该客户登记投诉", "Register a complaint";
    customer_open: "打开投诉 {id}", "Open complaint {id}";
    audit_export: "导出审计记录CSV", "Export the audit trail (CSV)";
    audit_export_hint: "每个事件一行：complaint_id,customer_id,category,severity,event,at,by,note，后附处理方式、成员、解释、回访结果与满意度。", "One row per event: complaint_id,customer_id,category,severity,event,at,by,note, then handling, members, explanation, follow-up result and satisfaction.";
    audit_import: "导入审计记录CSV", "Import an audit trail (CSV)";
    audit_import_hint: "同编号的投诉会被文件中的记录替换；含被拒绝事件的投诉不导入。", "Complaints with the same id are replaced by the file's; a complaint with a refused event is not imported.";
    audit_imported: "已导入 {n} 条投诉。", "{n} complaints imported.";
    audit_issues: "无法读取的行", "Unreadable rows";
    audit_rejected: "被工作流拒绝的事件", "Events the workflow refuses";
    col_row: "行", "Row";
    col_column: "列", "Column";
    col_problem: "问题", "Problem";
    col_complaint: "投诉", "Complaint";
    col_reason: "原因", "Reason";
    file_failed: "无法读取文件：{why}", "The file could not be read: {why}";
    badge_title: "超时 {overdue}，今日到期 {today},4小时内到期 {soon}，等待客户 {waiting}", "{overdue} overdue, {today} due today, {soon} due within 4 h, {waiting} waiting";
    settings_title: "投诉时限（工作小时）", "Complaint time limits (business hours)";
    settings_general: "一般投诉", "General";
    settings_major: "重大投诉", "Major";
    settings_confirm: "确认时限", "Confirm within";
    settings_resolve: "解决时限", "Resolve within";
    settings_categories: "投诉类别（每行一个）", "Categories (one a line)";
    settings_save: "保存", "Save";
    settings_saved: "投诉设置已保存。", "Complaint settings saved.";
    calendar_title: "工作日历", "Working calendar";
    calendar_summary: "时区 {zone}；已有节假日安排的年份：{years}。", "Time zone {zone}; years with a holiday schedule: {years}.";
    calendar_json: "日历JSON（时区、每周工作时间、节假日、调休上班日）", "Calendar JSON (time zone, weekly hours, holidays, make-up working days)";
    calendar_export: "导出日历JSON", "Export the calendar (JSON)";
    calendar_import: "导入日历JSON", "Import a calendar (JSON)";
    calendar_apply: "应用", "Apply";
    calendar_saved: "工作日历已更新。", "Working calendar updated.";
}}
