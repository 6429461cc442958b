//! Texts of the dashboards on the Overview (SPEC §8), Chinese first, English second (see
//! `table.rs`).

use super::table::texts;
use clientscope_core::dashboard::ScoreMetric;
use clientscope_core::model::Language;

/// The dashboard table of a language.
pub fn texts(lang: Language) -> &'static DashTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

/// The column head of a scorecard metric.
pub fn metric_label(m: ScoreMetric, lang: Language) -> &'static str {
    let t = texts(lang);
    match m {
        ScoreMetric::Revenue => t.m_revenue,
        ScoreMetric::Growth => t.m_growth,
        ScoreMetric::Csi => t.m_csi,
        ScoreMetric::ComplaintsOnTime => t.m_on_time,
        ScoreMetric::Retention => t.m_retention,
        ScoreMetric::Visits => t.m_visits,
    }
}

texts! {DashTexts, ZH, EN {
    title: "经营看板", "Dashboard";
    hint: "选定期间和范围后计算：客户价值分析在后台运行，每个数字都与上一个等长期间比较，点击数字打开它背后的名单。", "Choose a period and a scope, then compute: the value analysis runs in the background, every figure is compared with the previous period of equal length, and a click on a figure opens the list behind it.";
    period: "期间", "Period";
    p_month: "本月", "This month";
    p_last_month: "上月", "Last month";
    p_30: "近30天", "Last 30 days";
    p_quarter: "本季度", "This quarter";
    p_year: "本年", "This year";
    p_custom: "自定义", "Custom";
    from: "开始日期", "From";
    to: "结束日期", "To";
    scope: "范围", "Scope";
    scope_all: "全公司", "Whole company";
    scope_owner: "客户经理：{name}", "Account manager: {name}";
    scope_region: "大区：{name}", "Region: {name}";
    compute: "计算看板", "Compute dashboard";
    recompute: "重新计算", "Recompute";
    computing: "正在计算看板…", "Computing the dashboard…";
    print: "打印（A4）", "Print (A4)";
    not_computed: "尚未计算。数据或期间变化后，请点击“计算看板”。", "Not computed yet. Click “Compute dashboard” after the data or the period change.";
    stale: "数据或条件已变化，显示的是上次的结果。", "The data or the choices have changed; this is the last result.";
    bad_date: "日期无效：请按 YYYY-MM-DD 填写。", "Invalid date: use YYYY-MM-DD.";
    periods: "本期 {from} 至 {to}（{days} 天），上期 {pfrom} 至 {pto}；价值分析截至 {as_of}。", "This period {from} to {to} ({days} days), previous {pfrom} to {pto}; value analysis as of {as_of}.";
    previous: "上期 {v}", "Before {v}";
    no_previous: "上期无数据", "No previous figure";
    customers_title: "客户结构", "Customers";
    abc_title: "ABC 分类", "ABC classes";
    stage_title: "生命周期阶段", "Lifecycle stage";
    grade_title: "大客户等级", "Key-account grade";
    unclassified: "未分类", "Not classified";
    revenue_title: "销售额", "Revenue";
    buyers: "{n} 家客户有购买", "{n} customers bought";
    concentration_title: "前 20% 客户占比", "Top 20 % share";
    concentration_detail: "前 {n} 家客户 / 共 {total} 家有购买", "Top {n} of {total} buying customers";
    csi_title: "满意度 CSI", "Satisfaction (CSI)";
    csi_none: "没有调查或本期没有答卷。", "No survey, or no responses in the period.";
    csi_interval: "95% 区间 {low}–{high}，{n} 份答卷", "95 % interval {low}–{high}, {n} responses";
    csi_trend: "趋势：", "Trend: ";
    complaints_title: "未结投诉", "Open complaints";
    c_overdue: "已超时", "Overdue";
    c_due_today: "今天到期", "Due today";
    c_due_soon: "即将到期", "Due soon";
    c_waiting: "等待客户", "Waiting";
    c_later: "期限尚远", "Later";
    c_on_time: "本期按时解决率 {v}", "Resolved on time this period {v}";
    visits_title: "拜访", "Visits";
    v_overdue: "逾期未访", "Overdue";
    v_today: "今天到期", "Due today";
    v_soon: "即将到期", "Due soon";
    v_done: "本期完成", "Done in the period";
    warning_title: "高危客户预警", "Decline warnings";
    scorecard_title: "客户经理考核", "Account-manager scorecard";
    scorecard_hint: "各项指标在客户经理之间按最小-最大缩放到 0–1，按权重加权（缺项的权重分给其余各项）后排名；顾客满意度默认权重最高。", "Each figure is scaled 0–1 between the managers (min-max), weighted (a missing figure's weight goes to the others) and ranked; customer satisfaction weighs most by default.";
    weights: "权重", "Weights";
    visit_rate: "拜访目标（每位活跃客户每月次数）", "Visit target (visits per active customer per month)";
    visit_rate_hint: "客户经理本期的拜访目标 = 该值 × 其活跃客户数 × 本期天数 / 30；改后重新计算。", "A manager's visit target for the period = this × their active customers × the period's days / 30; changing it computes again.";
    visits_cell: "{done}/{target}（{pct}）", "{done}/{target} ({pct})";
    bad_weight: "权重无效：{why}", "Invalid weights: {why}";
    col_rank: "名次", "Rank";
    col_owner: "客户经理", "Account manager";
    col_score: "得分", "Score";
    col_customers: "客户数", "Customers";
    m_revenue: "销售额", "Revenue";
    m_growth: "增长", "Growth";
    m_csi: "CSI", "CSI";
    m_on_time: "投诉按时解决", "Complaints on time";
    m_retention: "客户保持率", "Retention";
    m_visits: "拜访达成", "Visits vs target";
    no_owner: "（未分配）", "(unassigned)";
    scorecard_empty: "范围内没有客户经理。", "No account manager in this scope.";
    pick_label: "看板：{what}", "Dashboard: {what}";
    pick_clear: "显示全部", "Show all";
    pick_count: "{n} 条", "{n} records";
    pick_list_title: "看板名单：{what}", "Dashboard list: {what}";
    csi_problem: "满意度无法计算：{why}", "CSI could not be computed: {why}";
}}
