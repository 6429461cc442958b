//! The text table: one line per key, Chinese first, English second.

macro_rules! texts {
    ($($key:ident: $zh:expr, $en:expr;)*) => {
        /// All user-facing texts of one language.
        pub struct Texts { $(#[doc = $en] pub $key: &'static str,)* }
        /// Simplified Chinese.
        pub const ZH: Texts = Texts { $($key: $zh,)* };
        /// English.
        pub const EN: Texts = Texts { $($key: $en,)* };
        impl Texts {
            /// Every (key, text) pair, for completeness tests.
            pub fn all(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }
        }
    };
}

texts! {
    app_name: "客户洞察", "Clientscope";
    app_tagline: "客户细分与满意度工作台", "Customer segmentation & satisfaction workbench";
    nav_overview: "总览", "Overview";
    nav_customers: "客户", "Customers";
    nav_value: "客户价值", "Value";
    nav_segments: "市场细分", "Segments";
    nav_satisfaction: "满意度", "Satisfaction";
    nav_complaints: "投诉", "Complaints";
    nav_visits: "拜访", "Visits";
    nav_data: "数据与备份", "Data & backup";
    nav_settings: "设置", "Settings";
    nav_menu: "菜单", "Menu";
    lang_switch: "English", "中文";
    loading: "正在加载…", "Loading…";
    loading_records: "正在读取数据：{done} / {total}", "Reading data: {done} / {total}";
    saving_records: "正在写入：{done} / {total}", "Writing: {done} / {total}";
    working: "处理中…", "Working…";
    offline_ready: "已可离线使用", "Ready for offline use";
    update_available: "新版本已就绪。", "A new version is ready.";
    update_reload: "重新加载", "Reload";
    dismiss: "关闭", "Dismiss";
    undo: "撤销", "Undo";
    cancel: "取消", "Cancel";
    confirm: "确认", "Confirm";
    save: "保存", "Save";
    edit: "编辑", "Edit";
    delete: "删除", "Delete";
    back: "返回", "Back";
    yes: "是", "Yes";
    no: "否", "No";
    none: "—", "—";
    error_prefix: "出错了：", "Error: ";
    storage_error: "无法访问浏览器存储（IndexedDB）：{detail}。数据未被修改。", "The browser storage (IndexedDB) could not be used: {detail}. No data was changed.";
    aborted_error: "浏览器中止了本次写入（最常见的原因是存储空间已满）。本次写入已全部撤回，原有数据未受影响。请导出备份并清理空间后重试。", "The browser aborted this write (most often because storage is full). The write was rolled back completely; the data already stored is unaffected. Export a backup, free some space and try again.";
    quota_error: "浏览器存储空间已满，本次写入已全部撤回，原有数据未受影响。请导出备份并清理空间。", "The browser's storage is full. This write was rolled back completely; the data already stored is unaffected. Export a backup and free some space.";

    welcome_title: "欢迎使用客户洞察", "Welcome to Clientscope";
    welcome_text: "所有数据只保存在本浏览器中，可离线使用。请选择如何开始：", "All data stays in this browser and works offline. How would you like to start?";
    welcome_demo: "加载演示数据", "Load demo data";
    welcome_demo_hint: "2,000 家客户、约 60,000 条交易、满意度调查与投诉，可随时清除。", "2,000 customers, about 60,000 order lines, a survey and complaints; can be cleared at any time.";
    welcome_import: "导入备份", "Import a backup";
    welcome_import_hint: "从另一台电脑导出的 JSON 备份文件。", "A JSON backup exported on another computer.";
    welcome_empty: "从空白开始", "Start empty";
    welcome_empty_hint: "手工录入或稍后导入客户。", "Enter customers by hand or import them later.";
    demo_loading: "正在生成并保存演示数据…", "Generating and saving the demo data…";

    overview_title: "总览", "Overview";
    overview_records: "数据概况", "Records";
    overview_revenue_chart: "月度销售额（元）", "Monthly revenue (yuan)";
    overview_no_orders: "还没有交易记录。", "No order lines yet.";
    overview_coming: "即将提供：按 ABC 类别、生命周期阶段、大客户等级的客户分布，销售集中度，CSI 及趋势，按期限的未结投诉，到期拜访。", "Coming here: customers by ABC class, lifecycle stage and key-account grade, revenue concentration, CSI and its trend, open complaints by deadline, visits due.";
    count_customers: "客户", "Customers";
    count_contacts: "联系人", "Contacts";
    count_orders: "交易", "Order lines";
    count_interactions: "接触记录", "Interactions";
    count_complaints: "投诉", "Complaints";
    count_surveys: "调查", "Surveys";
    count_responses: "问卷", "Survey responses";
    revenue_12m: "近 12 个月销售额", "Revenue, last 12 months";
    active_customers: "合作中客户", "Active customers";

    customers_title: "客户", "Customers";
    customers_count: "共 {shown} / {total} 家客户", "{shown} of {total} customers";
    customers_search: "搜索名称、编号、城市…", "Search name, code, city…";
    customers_new: "新建客户", "New customer";
    filter_all_regions: "全部大区", "All regions";
    filter_all_industries: "全部行业", "All industries";
    filter_all_owners: "全部客户经理", "All account managers";
    filter_all_statuses: "全部状态", "All statuses";
    filter_all_kinds: "全部类型", "All kinds";
    filter_clear: "清除筛选", "Clear filters";
    customers_empty: "没有符合条件的客户。", "No customer matches.";
    col_code: "编号", "Code";
    col_name: "名称", "Name";
    col_kind: "类型", "Kind";
    col_industry: "行业", "Industry";
    col_region: "大区", "Region";
    col_city: "城市", "City";
    col_owner: "客户经理", "Account manager";
    col_status: "状态", "Status";
    col_revenue: "累计销售额", "Revenue";
    col_last_order: "最近交易", "Last order";
    col_updated: "更新时间", "Updated";

    customer_title: "客户详情", "Customer";
    customer_not_found: "找不到这个客户（可能已被删除）。", "This customer was not found (it may have been deleted).";
    section_profile: "基本信息", "Profile";
    section_key_account: "大客户档案", "Key-account profile";
    section_contacts: "联系人与采购中心角色", "Contacts and buying-centre roles";
    section_orders: "交易记录", "Order lines";
    section_interactions: "接触记录", "Interactions";
    section_complaints: "投诉", "Complaints";
    section_attributes: "细分变量", "Segmentation attributes";
    section_analyses: "分析结果", "Analyses";
    analyses_placeholder: "ABC 类别、RFM 得分、生命周期阶段、存活概率 P(alive)、客户生命周期价值（CLV）及其变化将在“客户价值”功能上线后显示在这里。", "ABC class, RFM scores, lifecycle stage, P(alive), lifetime value (CLV) and how they changed will show here once the Value capability arrives.";
    no_contacts: "尚无联系人。", "No contacts yet.";
    no_orders: "尚无交易记录。", "No order lines yet.";
    no_interactions: "尚无接触记录。", "No interactions yet.";
    no_complaints: "尚无投诉。", "No complaints.";
    orders_summary: "{n} 条交易，合计 {sum} 元", "{n} order lines, {sum} yuan in total";
    shown_latest: "显示最近 {n} 条", "showing the latest {n}";
    field_code: "客户编号", "Customer code";
    field_name: "客户名称", "Customer name";
    field_kind: "客户类型", "Kind";
    field_industry: "行业", "Industry";
    field_region: "大区", "Region";
    field_province: "省份", "Province";
    field_city: "城市", "City";
    field_city_size: "城市规模", "City size";
    field_economic_zone: "经济带", "Economic zone";
    field_size: "企业规模", "Company size";
    field_owner: "客户经理", "Account manager";
    field_credit: "信用等级", "Credit rating";
    field_status: "状态", "Status";
    field_termination_reason: "终止原因", "Reason for termination";
    field_since: "建立关系日期", "Customer since";
    field_tags: "标签（用逗号分隔）", "Tags (comma-separated)";
    field_notes: "备注", "Notes";
    field_created: "创建时间", "Created";
    field_updated: "更新时间", "Updated";
    field_phone: "电话", "Phone";
    field_email: "邮箱", "E-mail";
    field_title: "职务", "Title";
    field_roles: "角色", "Roles";
    field_date: "日期", "Date";
    field_amount: "金额（元）", "Amount (yuan)";
    field_profit: "毛利（元）", "Gross profit (yuan)";
    field_product: "产品", "Product";
    field_order_no: "订单号", "Order no.";
    field_quantity: "数量", "Quantity";
    field_channel: "渠道", "Channel";
    field_purpose: "目的", "Purpose";
    field_outcome: "结果", "Outcome";
    field_category: "类别", "Category";
    field_severity: "严重程度", "Severity";
    field_received: "登记时间", "Received";
    field_closed: "关闭时间", "Closed";
    field_common_interest: "共同利益（1-5）", "Common interest (1-5)";
    field_relationship_value: "关系价值（1-5）", "Relationship value (1-5)";
    open_state: "未关闭", "open";
    choose: "请选择", "Choose";

    form_new_title: "新建客户", "New customer";
    form_edit_title: "编辑客户", "Edit customer";
    form_saved: "已保存。", "Saved.";
    form_has_errors: "请先修正标红的字段。", "Please correct the fields marked in red.";
    form_bad_date: "日期格式应为 YYYY-MM-DD。", "Dates are written YYYY-MM-DD.";

    delete_confirm_title: "删除客户？", "Delete this customer?";
    delete_confirm_text: "将删除「{name}」及其 {contacts} 个联系人、{orders} 条交易、{interactions} 条接触记录、{complaints} 条投诉和 {responses} 份问卷。删除后可立即撤销。", "This deletes “{name}” with its {contacts} contacts, {orders} order lines, {interactions} interactions, {complaints} complaints and {responses} survey responses. You can undo it right after.";
    deleted_customer: "已删除「{name}」。", "Deleted “{name}”.";
    restored_customer: "已恢复「{name}」。", "Restored “{name}”.";
    delete_terminate_hint: "若只是不再合作，请编辑客户并把状态改为“已终止”，而不是删除。", "If the relationship simply ended, edit the customer and set the status to “terminated” instead of deleting.";

    placeholder_title: "即将推出", "Coming next";
    placeholder_value: "客户价值分析：ABC/帕累托分类、RFM 得分与客户分群、客户生命周期价值（历史利润、保留率公式、BG/NBD 与 Gamma-Gamma 概率模型）、客户价值矩阵与关系类型矩阵、大客户分级、生命周期阶段与预警、关系审查清单。", "Customer value analysis: ABC/Pareto classes, RFM scores and segments, lifetime value (historical profit, retention formula, BG/NBD and Gamma-Gamma models), value and relationship matrices, key-account grades, lifecycle stages with warnings, and the relationship review list.";
    placeholder_segments: "市场细分与目标市场（STP）：按任意属性组合细分并交叉分析，k-means 聚类（k-means++、轮廓系数），细分市场评价矩阵，选择目标市场并撰写市场定位。", "Segmentation and targeting (STP): segments from any combination of attributes with a cross-tab, k-means clustering (k-means++, silhouette), the segment evaluation matrix, target markets and positioning statements.";
    placeholder_satisfaction: "顾客满意度测评：指标体系与权重（直接输入、AHP、熵权法），离线问卷录入，加权平均 CSI、满意率、NPS，ACSI/CCSI 结构方程（PLS），重要性-绩效分析，标杆比较与信度检验。", "Customer satisfaction measurement: indicator trees and weights (direct, AHP, entropy), offline questionnaire entry, weighted CSI, satisfaction rate, NPS, the ACSI/CCSI path model (PLS), importance-performance analysis, benchmarks and reliability.";
    placeholder_complaints: "投诉管理：登记、识别属实/不属实、分级、限时确认、处理与回访，按类别/原因/细分/责任人的分析，按期确认率与解决率。", "Complaint handling: receive, identify valid/invalid, grade, confirm within the time limit, resolve and follow up; analysis by category, cause, segment and owner; on-time confirmation and resolution rates.";
    placeholder_visits: "客户拜访：按“五要素”计划拜访，每日目标与进度，N 天未联系的客户清单（每月一卡），推荐来源统计。", "Visits: plan visits with the five elements, a daily target and its progress, customers not contacted in N days (the monthly touch), referral sources.";
    placeholder_records_now: "当前已有 {n} 条相关记录，均已保存，可通过备份导出。", "{n} related records are already stored and travel in backups.";

    data_title: "数据与备份", "Data & backup";
    data_storage: "浏览器存储", "Browser storage";
    data_persisted: "已获得持久存储：浏览器不会自动清除这些数据。", "Persistent storage granted: the browser will not evict this data on its own.";
    data_not_persisted: "未获得持久存储：浏览器在空间紧张时可能清除数据。请定期导出备份。", "Persistent storage not granted: the browser may evict this data when space runs low. Export backups regularly.";
    data_persist_unknown: "无法查询持久存储状态。", "The persistent-storage state could not be read.";
    data_request_persist: "申请持久存储", "Request persistent storage";
    data_usage: "已用 {used}，可用配额 {quota}", "{used} used of a {quota} quota";
    data_backup_reminder: "已超过 7 天没有导出备份。备份是数据唯一的安全保障。", "No backup was exported in the last 7 days. Backups are your only safety net.";
    data_backup_never: "还从未导出过备份。", "No backup has been exported yet.";
    data_last_backup: "上次导出备份：{when}", "Last backup exported: {when}";
    data_export: "导出完整备份（JSON）", "Export full backup (JSON)";
    data_exported: "已导出 {file}。", "Exported {file}.";
    data_import: "导入备份", "Import a backup";
    data_import_choose: "选择备份文件…", "Choose a backup file…";
    data_import_checking: "正在校验 {file}…", "Checking {file}…";
    data_import_ok: "文件有效：{file}，导出于 {when}，应用版本 {version}。", "The file is valid: {file}, exported {when} by app version {version}.";
    data_import_mode: "导入方式", "Import mode";
    data_mode_replace: "全部替换（删除现有数据）", "Replace all (removes the current data)";
    data_mode_merge: "按 ID 合并（较新的更新时间优先）", "Merge by id (newer update time wins)";
    data_preview: "预览", "Preview";
    data_col_kind: "记录类型", "Record kind";
    data_col_add: "新增", "Add";
    data_col_update: "更新", "Update";
    data_col_skip: "跳过", "Skip";
    data_col_remove: "移除", "Remove";
    data_import_confirm: "确认导入", "Import now";
    data_imported: "导入完成：新增 {add}，更新 {update}，跳过 {skip}。导入前的数据已保存为快照。", "Import done: {add} added, {update} updated, {skip} skipped. The data before the import was kept as a snapshot.";
    data_import_failed: "文件未导入，现有数据保持不变。", "The file was not imported; the stored data is unchanged.";
    data_snapshots: "自动快照", "Automatic snapshots";
    data_snapshots_hint: "每次导入或全部删除前自动保存，保留最近 3 份。", "Taken automatically before every import or delete-all; the last 3 are kept.";
    data_no_snapshots: "还没有快照。", "No snapshots yet.";
    data_snapshot_reason_import: "导入前", "before import";
    data_snapshot_reason_delete: "全部删除前", "before delete all";
    data_snapshot_reason_restore: "恢复快照前", "before restoring a snapshot";
    data_snapshot_reason_demo: "加载演示数据前", "before loading the demo";
    data_restore: "恢复", "Restore";
    data_restore_confirm: "用 {when} 的快照替换当前全部数据？当前数据会先保存为新快照。", "Replace all current data by the snapshot of {when}? The current data is kept as a new snapshot first.";
    data_restored: "已恢复快照。", "Snapshot restored.";
    data_danger: "危险操作", "Danger zone";
    data_delete_all: "删除全部数据", "Delete all data";
    data_delete_all_confirm: "删除全部 {n} 条记录？删除前会自动保存快照，可在本页恢复。", "Delete all {n} records? A snapshot is taken first and can be restored on this page.";
    data_deleted_all: "已删除全部数据（快照已保存）。", "All data deleted (a snapshot was kept).";
    data_load_demo: "加载演示数据", "Load demo data";
    data_load_demo_confirm: "用演示数据替换当前全部数据？当前数据会先保存为快照。", "Replace all current data by the demo data? The current data is kept as a snapshot first.";
    data_demo_loaded: "已加载演示数据。", "Demo data loaded.";
    data_where: "数据保存在哪里", "Where the data lives";
    data_where_text: "记录保存在本浏览器的 IndexedDB 中（数据库 clientscope），语言等小设置保存在 localStorage 中。清除浏览器数据会删除它们；换电脑请用备份文件。", "Records are kept in this browser's IndexedDB (database clientscope), small settings such as the language in localStorage. Clearing the browser's data deletes them; to move to another computer use a backup file.";

    settings_title: "设置", "Settings";
    settings_language: "界面语言", "Language";
    settings_about: "关于", "About";
    settings_version: "版本 {version}，数据格式版本 {format}", "Version {version}, data format version {format}";
    settings_privacy: "本应用不向任何服务器发送数据，不含统计或追踪。", "This app sends no data to any server and contains no analytics or tracking.";
    not_found: "页面不存在。", "Page not found.";
}
