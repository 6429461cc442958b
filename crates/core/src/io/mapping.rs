//! Which column holds which field: suggestions from header names, and the saved mapping.
//!
//! Each [`ImportKind`] has a list of [`FieldDef`]s (the record's fields as the importer
//! reads them; order lines, contacts, complaints and responses name their customer by
//! `customer_code` and/or `customer_name`). [`suggest`] compares every header with every
//! field's names after [`header_key`] normalisation (full-width folded, lower case, spaces,
//! `_`, `-`, `*`, `:` and brackets with their unit removed: `金额（元）` → `金额`), first for
//! exact matches, then for headers that contain a name (`销售金额` contains `金额`). Each field
//! takes at most one column and each column feeds at most one field; exact matches and
//! earlier fields win.
//!
//! A [`Mapping`] stores field → header text, serialises with serde, and is saved by the app
//! under [`header_signature`] so that the next file with the same headers reuses it.

#[cfg(test)]
mod tests;

use super::values::normalize;
use crate::model::Language;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Customers 客户.
    Customers,
    /// Order lines 交易.
    Orders,
    /// Contact persons 联系人.
    Contacts,
    /// Survey responses 调查答卷.
    Responses,
    /// Complaints 投诉.
    Complaints,
    /// Interactions 接触记录: planned and done visits, calls, meetings.
    Interactions,
}

impl ImportKind {
    /// All kinds, in the wizard's order.
    pub const ALL: [ImportKind; 6] = [
        ImportKind::Customers,
        ImportKind::Orders,
        ImportKind::Contacts,
        ImportKind::Responses,
        ImportKind::Complaints,
        ImportKind::Interactions,
    ];

    /// The kind by its serde name (`customers`, `orders`, …).
    pub fn from_name(name: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The serde name.
    pub fn name(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::Orders => "orders",
            ImportKind::Contacts => "contacts",
            ImportKind::Responses => "responses",
            ImportKind::Complaints => "complaints",
            ImportKind::Interactions => "interactions",
        }
    }

    /// The fields the importer reads for this kind.
    pub fn fields(self) -> &'static [FieldDef] {
        match self {
            ImportKind::Customers => CUSTOMER_FIELDS,
            ImportKind::Orders => ORDER_FIELDS,
            ImportKind::Contacts => CONTACT_FIELDS,
            ImportKind::Responses => RESPONSE_FIELDS,
            ImportKind::Complaints => COMPLAINT_FIELDS,
            ImportKind::Interactions => INTERACTION_FIELDS,
        }
    }

    /// The definition of one field.
    pub fn field(self, key: &str) -> Option<&'static FieldDef> {
        self.fields().iter().find(|f| f.key == key)
    }
}

/// How a field must be present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// The column must be mapped and the cell non-empty.
    Required,
    /// Of `customer_code` and `customer_name`, at least one must be mapped and non-empty.
    CustomerRef,
    /// May be missing.
    Optional,
}

/// A field an import can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// Key (the model's field name, or `customer_code` / `customer_name`).
    pub key: &'static str,
    /// Chinese label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
    /// Whether it is needed.
    pub need: Need,
    /// Header names that mean this field, Chinese and English, already in [`header_key`]
    /// form except for case.
    pub names: &'static [&'static str],
}

impl FieldDef {
    /// The label in the given language.
    pub fn label(&self, lang: Language) -> &'static str {
        if lang == Language::ZhCn { self.zh } else { self.en }
    }
}

const fn f(key: &'static str, zh: &'static str, en: &'static str, need: Need, names: &'static [&'static str]) -> FieldDef {
    FieldDef { key, zh, en, need, names }
}

use Need::{CustomerRef as Ref, Optional as Opt, Required as Req};

const CUSTOMER_CODE: FieldDef = f("customer_code", "客户编号", "customer code", Ref, &[
    "客户编号", "客户代码", "客户编码", "客户号", "客户id", "customercode", "customerid", "customerno", "custcode", "custid", "clientcode", "clientid", "code", "编号", "代码",
]);
const CUSTOMER_NAME: FieldDef = f("customer_name", "客户名称", "customer name", Ref, &[
    "客户名称", "客户名", "客户", "客户全称", "单位名称", "公司名称", "购买方", "customername", "customer", "client", "clientname", "account", "name", "名称",
]);

static CUSTOMER_FIELDS: &[FieldDef] = &[
    f("code", "客户编号", "code", Opt, &["客户编号", "客户代码", "客户编码", "客户号", "编号", "代码", "customercode", "customerid", "customerno", "code", "id", "no"]),
    f("name", "客户名称", "name", Req, &["客户名称", "客户名", "客户全称", "单位名称", "公司名称", "名称", "客户", "customername", "customer", "companyname", "company", "name"]),
    f("kind", "客户类型", "kind", Opt, &["客户类型", "客户类别", "类型", "kind", "type", "customertype"]),
    f("industry", "行业", "industry", Opt, &["所属行业", "行业", "industry", "sector"]),
    f("region", "大区", "region", Opt, &["大区", "区域", "地区", "region", "area"]),
    f("province", "省份", "province", Opt, &["省份", "省", "所在省", "province", "state"]),
    f("city", "城市", "city", Opt, &["城市", "市", "所在城市", "city"]),
    f("city_size", "城市规模", "city size", Opt, &["城市规模", "城市类型", "citysize"]),
    f("economic_zone", "经济带", "economic zone", Opt, &["经济带", "经济区域", "economiczone", "zone"]),
    f("size", "规模", "size", Opt, &["企业规模", "规模", "人数", "员工人数", "size", "companysize", "employees"]),
    f("owner", "客户经理", "account manager", Opt, &["客户经理", "大客户经理", "负责人", "业务员", "销售员", "销售代表", "owner", "accountmanager", "salesrep", "manager"]),
    f("credit_rating", "信用等级", "credit rating", Opt, &["信用等级", "信用评级", "信用", "creditrating", "credit", "rating"]),
    f("status", "状态", "status", Opt, &["状态", "客户状态", "status"]),
    f("termination_reason", "终止原因", "termination reason", Opt, &["终止原因", "terminationreason"]),
    f("since", "建立关系日期", "customer since", Opt, &["建立关系日期", "开户日期", "首次合作日期", "创建日期", "since", "customersince", "startdate"]),
    f("tags", "标签", "tags", Opt, &["标签", "tags", "tag"]),
    f("notes", "备注", "notes", Opt, &["备注", "说明", "notes", "note", "remarks", "comment"]),
];

static ORDER_FIELDS: &[FieldDef] = &[
    CUSTOMER_CODE,
    CUSTOMER_NAME,
    f("order_no", "订单号", "order number", Opt, &["订单号", "订单编号", "单号", "单据编号", "orderno", "ordernumber", "orderid", "order", "invoice", "invoiceno"]),
    f("date", "日期", "date", Req, &["日期", "订单日期", "下单日期", "交易日期", "销售日期", "开票日期", "date", "orderdate"]),
    f("amount", "金额", "amount", Req, &["金额", "销售额", "销售金额", "订单金额", "交易金额", "含税金额", "收入", "amount", "sales", "revenue", "value", "total"]),
    f("profit", "毛利", "gross profit", Opt, &["毛利", "毛利额", "利润", "grossprofit", "profit", "margin"]),
    f("product", "产品", "product", Opt, &["产品", "产品名称", "商品", "商品名称", "品名", "product", "productname", "item", "sku"]),
    f("category", "类别", "category", Opt, &["产品类别", "类别", "品类", "分类", "category", "productcategory"]),
    f("quantity", "数量", "quantity", Opt, &["数量", "销量", "quantity", "qty"]),
    f("channel", "渠道", "channel", Opt, &["渠道", "销售渠道", "channel", "saleschannel"]),
];

static CONTACT_FIELDS: &[FieldDef] = &[
    CUSTOMER_CODE,
    f("customer_name", "客户名称", "customer name", Ref, &["客户名称", "客户", "单位名称", "公司名称", "公司", "customername", "customer", "company"]),
    f("name", "姓名", "name", Req, &["联系人", "联系人姓名", "姓名", "名字", "contact", "contactname", "name"]),
    f("title", "职务", "job title", Opt, &["职务", "职位", "title", "jobtitle", "position"]),
    f("phone", "电话", "phone", Opt, &["电话", "手机", "手机号", "联系电话", "phone", "mobile", "tel"]),
    f("email", "电子邮箱", "e-mail", Opt, &["邮箱", "电子邮箱", "email", "mail"]),
    f("roles", "采购中心角色", "buying-centre roles", Opt, &["采购中心角色", "角色", "roles", "role"]),
    f("notes", "备注", "notes", Opt, &["备注", "notes", "note"]),
];

static RESPONSE_FIELDS: &[FieldDef] = &[
    CUSTOMER_CODE,
    f("customer_name", "客户名称", "customer name", Opt, &["客户名称", "客户", "受访单位", "customername", "customer", "respondent"]),
    f("date", "日期", "date", Req, &["日期", "调查日期", "填写日期", "答卷日期", "date", "surveydate"]),
    f("period", "调查期", "period", Opt, &["调查期", "期间", "周期", "period"]),
    f("repurchase", "再购意向", "repurchase intention", Opt, &["再购意向", "再次购买", "repurchase", "repurchaseintention"]),
    f("recommend", "推荐可能性", "likelihood to recommend", Opt, &["推荐可能性", "推荐意愿", "推荐", "nps", "recommend", "likelihoodtorecommend"]),
];

static COMPLAINT_FIELDS: &[FieldDef] = &[
    CUSTOMER_CODE,
    CUSTOMER_NAME,
    f("received_at", "受理时间", "received at", Req, &["受理时间", "投诉时间", "投诉日期", "登记时间", "日期", "receivedat", "received", "date"]),
    f("channel", "投诉渠道", "channel", Opt, &["投诉渠道", "渠道", "channel"]),
    f("category", "投诉类别", "category", Opt, &["投诉类别", "类别", "分类", "category"]),
    f("description", "投诉内容", "description", Opt, &["投诉内容", "内容", "描述", "description", "details"]),
    f("severity", "严重程度", "severity", Opt, &["严重程度", "级别", "severity"]),
    f("validity", "是否属实", "validity", Opt, &["是否属实", "属实", "validity", "valid"]),
    f("owner", "负责人", "owner", Opt, &["负责人", "处理人", "owner", "handler"]),
    f("resolution", "处理结果", "resolution", Opt, &["处理结果", "处理措施", "resolution"]),
    f("closed_at", "结案时间", "closed at", Opt, &["结案时间", "关闭时间", "closedat", "closed"]),
    f("follow_up_date", "回访日期", "follow-up date", Opt, &["回访日期", "followupdate"]),
    f("follow_up_result", "回访结果", "follow-up result", Opt, &["回访结果", "followupresult"]),
];

/// Interactions name their customer in `customer_code`, whose names start with the
/// `customer_id` of the visit-log CSV (`crate::io::visits::HEADER`); the importer matches
/// that cell against customer ids first, then codes.
static INTERACTION_FIELDS: &[FieldDef] = &[
    f("customer_code", "客户编号", "customer id or code", Ref, &[
        "customerid", "客户编号", "客户代码", "客户编码", "客户号", "客户id", "customercode", "customerno", "custcode", "custid", "clientcode", "clientid", "code", "编号",
    ]),
    CUSTOMER_NAME,
    f("start", "开始时间（何时）", "start (when)", Req, &["start", "开始时间", "何时", "拜访时间", "时间", "日期", "starttime", "startdate", "when", "datetime", "date"]),
    f("end", "结束时间", "end", Opt, &["end", "结束时间", "endtime", "enddate"]),
    f("kind", "接触方式", "kind", Opt, &["kind", "接触方式", "接触类型", "类型", "type"]),
    f("status", "状态", "status", Opt, &["status", "状态", "拜访状态"]),
    f("purpose", "何事（目的）", "purpose", Opt, &["purpose", "何事", "目的", "拜访目的", "事由", "主题", "subject"]),
    f("who", "何人", "who", Opt, &["who", "何人", "拜访对象", "接待人", "联系人", "contact", "attendees"]),
    f("method", "何种方法", "method", Opt, &["method", "何种方法", "方法", "方式"]),
    f("reason", "何种理由", "reason", Opt, &["reason", "何种理由", "理由", "原因"]),
    f("owner", "客户经理", "owner", Opt, &["owner", "客户经理", "负责人", "业务员", "销售代表", "拜访人", "accountmanager", "salesrep"]),
    f("location", "地点", "location", Opt, &["location", "地点", "拜访地点", "地址", "place", "address"]),
    f("outcome", "结果", "outcome", Opt, &["outcome", "结果", "拜访结果", "result"]),
    f("next_action", "下一步行动", "next action", Opt, &["nextaction", "下一步", "下一步行动", "nextstep"]),
    f("next_due", "下一步日期", "next action due", Opt, &["nextdue", "下一步日期", "下一步截止日期", "duedate"]),
];

/// The comparable form of a header: normalised, lower case, without spaces, `_ - * : .`,
/// and without a trailing bracketed unit (`金额(元)`, `Amount [CNY]`).
pub fn header_key(header: &str) -> String {
    let n = normalize(header);
    let mut s: &str = &n;
    for (open, close) in [('(', ')'), ('[', ']'), ('【', '】'), ('（', '）')] {
        if s.ends_with(close) {
            if let Some(i) = s.rfind(open) {
                if i > 0 {
                    s = &s[..i];
                }
            }
        }
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '*' | ':' | '.' | '#' | '/'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A column mapping for one import kind: field key → header text as in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// Field key → header.
    pub fields: BTreeMap<String, String>,
    /// How the rows' customer reference is matched to the stored customers (kinds that
    /// refer to a customer).
    #[serde(default)]
    pub match_by: CustomerMatch,
}

/// How an imported row's customer reference finds its stored customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerMatch {
    /// The reference column's value as an id, else as a code; else the name column's
    /// value as an exact name.
    #[default]
    Auto,
    /// The reference column holds customer ids (as every CSV the app or CLI writes:
    /// `customer_id`).
    Id,
    /// The reference column holds customer codes (客户编号 such as KH00001).
    Code,
    /// Exact customer names (the name column, else the reference column).
    Name,
}

impl CustomerMatch {
    /// Every choice, in the order offered.
    pub const ALL: [CustomerMatch; 4] = [CustomerMatch::Auto, CustomerMatch::Id, CustomerMatch::Code, CustomerMatch::Name];
}

/// How many distinct customer references of a file match the stored customers by id, by
/// code and by name: what the suggestion of [`CustomerMatch`] follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchCounts {
    /// Distinct non-empty references looked at.
    pub values: usize,
    /// Of them, equal to a stored customer's id.
    pub id: usize,
    /// … to a stored customer's code.
    pub code: usize,
    /// … to a stored customer's name.
    pub name: usize,
}

impl MatchCounts {
    /// Counts the references of `rows` (cells in `headers` order) under `mapping`: the
    /// reference column's values for id and code, the name column's (else the reference
    /// column's) for names.
    pub fn of(headers: &[String], rows: &[Vec<String>], mapping: &Mapping, customers: &[crate::model::Customer]) -> MatchCounts {
        use std::collections::HashSet;
        let col = |field: &str| mapping.header(field).and_then(|h| headers.iter().position(|x| x == h));
        let values = |i: Option<usize>| -> HashSet<&str> {
            i.map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.trim()).filter(|c| !c.is_empty()).collect()).unwrap_or_default()
        };
        let refs = values(col("customer_code"));
        let names = match col("customer_name") {
            Some(i) => values(Some(i)),
            None => refs.clone(),
        };
        let ids: HashSet<&str> = customers.iter().map(|c| c.id.as_str()).collect();
        let codes: HashSet<&str> = customers.iter().map(|c| c.code.as_str()).filter(|c| !c.is_empty()).collect();
        let stored_names: HashSet<&str> = customers.iter().map(|c| c.name.as_str()).collect();
        MatchCounts {
            values: refs.len().max(names.len()),
            id: refs.iter().filter(|v| ids.contains(*v)).count(),
            code: refs.iter().filter(|v| codes.contains(*v)).count(),
            name: names.iter().filter(|v| stored_names.contains(*v)).count(),
        }
    }

    /// The choice the values support: the one key that matches when only one does (the
    /// CLI's `orders.csv` names customers by id only); [`CustomerMatch::Auto`] (each row by
    /// id, then code, then name) when several keys match (a file that gives a code on some
    /// rows and only a name on others) or none does (a file of new customers).
    pub fn suggestion(&self) -> CustomerMatch {
        match (self.id > 0, self.code > 0, self.name > 0) {
            (true, false, false) => CustomerMatch::Id,
            (false, true, false) => CustomerMatch::Code,
            (false, false, true) => CustomerMatch::Name,
            _ => CustomerMatch::Auto,
        }
    }
}

impl Mapping {
    /// The header mapped to `field`, if any.
    pub fn header(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// Maps `field` to `header` (the user's correction), or unmaps it with `None`.
    pub fn set(&mut self, field: &str, header: Option<&str>) {
        match header {
            Some(h) => {
                self.fields.insert(field.to_string(), h.to_string());
            }
            None => {
                self.fields.remove(field);
            }
        }
    }
}

/// Suggests a mapping for `kind` from the headers (see the module docs).
pub fn suggest(kind: ImportKind, headers: &[String]) -> Mapping {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let mut taken = vec![false; headers.len()];
    let mut mapping = Mapping::default();
    // Pass 1: exact names, in the order of each field's name list (its preference).
    for field in kind.fields() {
        'names: for name in field.names {
            let name = name.to_lowercase();
            for (i, k) in keys.iter().enumerate() {
                if !taken[i] && *k == name {
                    taken[i] = true;
                    mapping.fields.insert(field.key.to_string(), headers[i].clone());
                    break 'names;
                }
            }
        }
    }
    // Pass 2: a header containing a name of at least two characters (`销售金额` ⊃ `金额`).
    for field in kind.fields() {
        if mapping.fields.contains_key(field.key) {
            continue;
        }
        'names2: for name in field.names {
            let name = name.to_lowercase();
            if name.chars().count() < 2 || (name.is_ascii() && name.len() < 4) {
                continue;
            }
            for (i, k) in keys.iter().enumerate() {
                if !taken[i] && k.contains(&name) {
                    taken[i] = true;
                    mapping.fields.insert(field.key.to_string(), headers[i].clone());
                    break 'names2;
                }
            }
        }
    }
    mapping
}

/// A stable signature of a header row (SHA-256 hex of the [`header_key`]s joined by
/// U+001F): files with the same columns in the same order share it, whatever their spacing
/// or full-width characters.
pub fn header_signature(headers: &[String]) -> String {
    let mut h = Sha256::new();
    for (i, k) in headers.iter().map(|h| header_key(h)).enumerate() {
        if i > 0 {
            h.update([0x1F]);
        }
        h.update(k.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
