//! Texts of the import pages, Chinese first, English second (see `table.rs`).

use super::table::texts;
use clientscope_core::model::Language;

/// The import table of a language.
pub fn texts(lang: Language) -> &'static ImportTexts {
    match lang {
        Language::ZhCn => &ZH,
        Language::En => &EN,
    }
}

texts! {ImportTexts, ZH, EN {
    title: "从 Excel / CSV 导入", "Import from Excel / CSV";
    back_to_data: "返回数据与备份", "Back to Data & backup";
    step_file: "选择文件", "Choose a file";
    step_kind: "数据类型", "What it holds";
    step_mapping: "列映射", "Column mapping";
    step_review: "预览与校验", "Preview & validation";
    file_hint: "支持 .csv（UTF-8、GBK/GB18030、UTF-16）、.tsv / .txt 和 Excel 工作簿 .xlsx / .xls。文件只在本浏览器中读取，不会上传。", "Accepted: .csv (UTF-8, GBK/GB18030, UTF-16), .tsv / .txt and Excel workbooks .xlsx / .xls. The file is read in this browser only; nothing is uploaded.";
    choose_file: "选择文件…", "Choose a file…";
    reading_file: "正在读取 {file}…", "Reading {file}…";
    read_failed: "无法读取该文件：{detail}", "The file could not be read: {detail}";
    file_info_text: "{file}（{size}，{format}，编码 {encoding}）", "{file} ({size}, {format}, encoding {encoding})";
    file_info_workbook: "{file}（{size}，Excel 工作簿，{sheets} 个工作表）", "{file} ({size}, Excel workbook, {sheets} sheets)";
    encoding: "文字编码", "Text encoding";
    encoding_auto: "自动识别（当前：{encoding}）", "Detect (now: {encoding})";
    malformed: "部分字节无法按此编码解读，显示为 �。如果文字是乱码，请换一种编码。", "Some bytes could not be read in this encoding and show as �. If the text looks garbled, choose another encoding.";
    sheet: "工作表", "Sheet";
    raw_title: "文件内容（前几行，原样）", "File content (first rows, as read)";
    raw_hint: "前 {n} 行，共 {columns} 列。", "First {n} rows, {columns} columns.";
    next: "下一步", "Next";
    back: "上一步", "Back";
    kind_customers: "客户", "Customers";
    kind_customers_hint: "客户名称、编号、行业、地区、客户经理…；按编号、其次按名称与已有客户合并。", "Name, code, industry, region, account manager…; merged with existing customers by code, else by name.";
    kind_orders: "交易明细（订单行）", "Order lines";
    kind_orders_hint: "客户编号或名称、日期、金额，可含毛利、产品、数量、渠道。", "Customer code or name, date, amount; optionally profit, product, quantity, channel.";
    kind_contacts: "联系人", "Contacts";
    kind_contacts_hint: "客户、姓名、职务、电话、邮箱、采购中心角色。", "Customer, name, job title, phone, e-mail, buying-centre roles.";
    kind_responses: "满意度调查答卷", "Survey responses";
    kind_responses_hint: "每行一份答卷；列名与问卷指标一致的列作为答案（数字或“满意/较满意/一般…”）。", "One response per row; columns named like the survey's indicators are the answers (numbers or words such as 满意/一般).";
    kind_complaints: "投诉", "Complaints";
    kind_complaints_hint: "客户、受理时间、类别、内容、严重程度、处理结果…", "Customer, time received, category, description, severity, resolution…";
    kind_interactions: "拜访记录（接触记录）", "Visits (interactions)";
    kind_interactions_hint: "客户编号、开始/结束时间、方式、状态（计划/已完成/已取消）、何事、何人、何种方法、何种理由、客户经理、地点。", "Customer id, start/end, kind, status (planned/done/cancelled), purpose, who, method, reason, owner, location.";
    survey: "所属调查", "Survey";
    survey_hint: "答案列按该调查的指标编号或名称匹配。", "Answer columns are matched to this survey's indicators by id or label.";
    no_survey: "还没有任何调查。请先在“满意度”页面建立调查（或加载演示数据），再导入答卷。", "There is no survey yet. Create one on the Satisfaction page (or load the demo data) before importing responses.";
    mapping_suggested: "已根据表头自动建议对应关系，请检查并在需要时修改。", "Columns were suggested from the header names; check them and change any that are wrong.";
    mapping_reused: "已套用上次为相同表头保存的映射。", "The mapping saved for these headers last time was applied.";
    mapping_answers: "未映射到下列字段的列，如果名称与问卷指标一致，将作为答案导入。", "Columns not mapped below are imported as answers when their name matches an indicator of the survey.";
    col_field: "字段", "Field";
    col_column: "文件中的列", "Column in the file";
    col_samples: "示例值", "Sample values";
    need_required: "必填", "required";
    need_customer: "编号或名称至少一项", "code or name needed";
    not_mapped: "— 不导入 —", "— not imported —";
    check: "检查全部行", "Check all rows";
    checking: "正在检查…", "Checking…";
    checking_rows: "正在检查：已读 {rows} 行，其中 {rejected} 行有问题", "Checking: {rows} rows read, {rejected} with problems";
    rows_read: "共读取 {rows} 行数据（其中空行 {blank} 行，已忽略）。", "{rows} data rows read ({blank} blank rows ignored).";
    plan_add: "新增", "to add";
    plan_update: "更新", "to update";
    plan_skip: "跳过", "to skip";
    plan_reject: "拒绝（有错误）", "rejected (errors)";
    merge_title: "与已有客户重复时", "When a customer already exists";
    merge_hint: "先按客户编号匹配，没有编号时按名称完全一致匹配。", "Matched by customer code first, by exactly the same name when there is no code.";
    merge_update: "用文件中的非空值更新已有客户", "Update the existing customer with the file's non-empty values";
    merge_skip: "保留已有客户，跳过该行", "Keep the existing customer and skip the row";
    unknown_title: "{n} 个客户不存在（{rows} 行引用了它们）", "{n} customers do not exist ({rows} rows refer to them)";
    unknown_rows: " — {rows} 行，首次出现在第 {first} 行", " — {rows} rows, first in row {first}";
    unknown_more: "另有 {n} 个未列出。", "{n} more not listed.";
    unknown_create: "新建这些客户并导入这些行", "Create these customers and import the rows";
    unknown_skip: "跳过这些行", "Skip these rows";
    preview_title: "预览（将要保存的记录）", "Preview (records as they will be stored)";
    preview_hint: "日期为 年-月-日，金额以元为单位。", "Dates as year-month-day, amounts in yuan.";
    preview_empty: "没有可导入的记录。", "No record to import.";
    col_customer: "客户", "Customer";
    col_answers: "答案数", "Answers";
    rejected_title: "校验报告", "Validation report";
    no_rejected: "所有行都通过了校验。", "Every row passed the checks.";
    rejected_summary: "{rows} 行不会导入（共 {cells} 处问题）。行号从表头下第一行记为 1。", "{rows} rows will not be imported ({cells} problems). Row 1 is the first row below the header.";
    col_row: "行号", "Row";
    col_value: "值", "Value";
    col_reason: "原因", "Reason";
    whole_row: "（整行）", "(whole row)";
    prev_page: "上一页", "Previous";
    next_page: "下一页", "Next";
    page_of: "第 {page} / {pages} 页", "Page {page} of {pages}";
    enc_utf8: "UTF-8（Excel 可直接打开）", "UTF-8 (opens in Excel)";
    enc_gbk: "GBK（旧版中文 Excel）", "GBK (older Chinese Excel)";
    download_rejected: "下载校验报告 CSV", "Download the report as CSV";
    confirm_hint: "确认后先自动保存当前数据的快照，再一次性写入全部记录；可立即撤销，或在“数据与备份”页恢复快照。", "Confirming first keeps a snapshot of the current data, then writes every record in one go; you can undo right after, or restore the snapshot on the Data & backup page.";
    confirm: "确认导入", "Import now";
    snapshotting: "正在保存导入前的快照…", "Keeping a snapshot of the current data…";
    preparing_lines: "正在整理交易明细…", "Preparing the order lines…";
    writing_rows: "正在写入：{done} / {total}", "Writing: {done} / {total}";
    imported: "导入完成：新增 {add}，更新 {update}，跳过 {skip}，拒绝 {reject} 行。", "Import done: {add} added, {update} updated, {skip} skipped, {reject} rows rejected.";
    done_text: "导入完成：新增 {add}，更新 {update}，跳过 {skip}，拒绝 {reject} 行。", "Import done: {add} added, {update} updated, {skip} skipped, {reject} rows rejected.";
    done_snapshot: "导入前的数据已保存为快照，可在“数据与备份”页恢复。", "The data before the import was kept as a snapshot; restore it on the Data & backup page.";
    done_no_snapshot: "导入前没有数据，因此没有保存快照。", "There was no data before the import, so no snapshot was kept.";
    done_customers: "查看客户", "See the customers";
    done_data: "数据与备份", "Data & backup";
    data_card_title: "从 Excel / CSV 导入", "Import from Excel / CSV";
    data_card_text: "导入客户、交易明细、联系人、调查答卷或投诉：自动识别编码和列，逐行校验，导入前自动保存快照。", "Import customers, order lines, contacts, survey responses or complaints: encoding and columns recognised, every row checked, a snapshot kept before the import.";
    data_open_wizard: "打开导入向导", "Open the import wizard";
    snapshot_reason_file: "文件导入前", "before a file import";
    welcome_import_file: "或从 Excel / CSV 文件导入客户和交易", "or import customers and orders from an Excel / CSV file";
    export_csv: "导出 CSV", "Export CSV";
    export_encoding: "导出编码", "Export encoding";
    exported: "已导出 {file}", "Exported {file}";
    match_by: "按什么匹配已有客户", "Match rows to customers by";
    match_auto: "自动（先 ID，再编号，再名称）", "Automatic (id, then code, then name)";
    match_id: "客户 ID（本应用或命令行导出的文件）", "Customer id (files the app or the CLI wrote)";
    match_code: "客户编号", "Customer code";
    match_name: "客户名称（完全一致）", "Customer name (exact)";
    match_counts: "样本中 {values} 个不同的客户引用：按 ID 匹配 {id} 个，按编号 {code} 个，按名称 {name} 个。", "{values} distinct customer references in the sample: {id} match by id, {code} by code, {name} by name.";
    match_none: "样本中的客户引用都不是已有客户；未匹配的行按下一步的选择处理（新建客户或拒绝）。", "None of the sample's customer references is a stored customer; unmatched rows follow the choice of the next step (create customers or reject).";
}}
