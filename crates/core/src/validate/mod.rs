//! Validation of records and whole datasets.
//!
//! Two levels, both returning *every* problem instead of failing fast:
//! - the per-record functions ([`customer`], [`contact`], [`order_line`], [`interaction`],
//!   [`complaint`], [`survey`], [`response`]) check one record's fields and are what edit
//!   forms call on every change;
//! - [`dataset`] runs the per-record checks over everything and adds what needs the whole
//!   dataset: duplicate ids per kind and every reference between records. A backup import
//!   and an import merge only accept a dataset for which it returns nothing.
//!
//! A [`Problem`] names the record (kind and id), the field and a machine-readable
//! [`ProblemCode`]; [`Problem::message`] turns it into a sentence in Chinese or English with
//! the field's human label from the table in this module.
//!
//! Limits used here: dates and timestamps must lie within [`MIN_DATE`]..=[`MAX_DATE`]; text
//! lengths are counted in characters (not bytes) against [`MAX_NAME`], [`MAX_SHORT`] and
//! [`MAX_TEXT`].

#[cfg(test)]
pub(crate) mod tests;

use crate::model::{
    builtin_attributes, AttributeDef, Complaint, Contact, Customer, CustomerStatus, Dataset, Date,
    IndicatorNode, Interaction, Language, OrderLine, Record, RecordKind, Survey, SurveyResponse,
    Timestamp,
};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A fast, non-cryptographic hasher for id strings (the multiply-rotate scheme of rustc's
/// FxHash with a murmur3 finaliser). Ids come from the user's own data, so hash flooding is not a concern, and
/// SipHash is several times slower on the millions of lookups of a large dataset.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    /// The multiply-rotate steps only move entropy upwards, and ids such as `O0000001` /
    /// `O0000002` differ in their last bytes, i.e. the high bits: murmur3's `fmix64`
    /// spreads them over all bits, or the hash table degenerates into long probe chains.
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// Hash set of borrowed ids with [`FxHasher`].
pub(crate) type IdSet<'a> = HashSet<&'a str, BuildHasherDefault<FxHasher>>;

/// Earliest plausible date (1900-01-01).
pub const MIN_DATE: Date = match Date::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => Date::MIN,
};

/// Latest plausible date (2200-12-31).
pub const MAX_DATE: Date = match Date::from_ymd_opt(2200, 12, 31) {
    Some(d) => d,
    None => Date::MAX,
};

/// Longest name (customer, contact, survey), in characters.
pub const MAX_NAME: usize = 200;
/// Longest short text field (code, industry, city, owner, phone, product…), in characters.
pub const MAX_SHORT: usize = 100;
/// Longest free text (notes, descriptions, profile assessments), in characters.
pub const MAX_TEXT: usize = 20_000;
/// Longest interaction, in minutes (a week: an exhibition).
pub const MAX_DURATION_MIN: u32 = 7 * 24 * 60;

/// One problem found in a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Kind of the record.
    pub kind: RecordKind,
    /// Id of the record (may be empty when the id itself is missing).
    pub id: String,
    /// Field key as in the JSON layout (`name`, `customer_id`, `key_account.image`,
    /// `attributes.gender`, `root.children`…). [`field_label`] gives its human label.
    pub field: String,
    /// What is wrong.
    pub code: ProblemCode,
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemCode {
    /// The field must not be empty.
    Required,
    /// The text is longer than `max` characters.
    TooLong {
        /// Maximum number of characters.
        max: usize,
    },
    /// The date or time lies outside 1900-01-01..=2200-12-31.
    InvalidDate {
        /// The value as written.
        value: String,
    },
    /// A number lies outside its allowed range.
    OutOfRange {
        /// Smallest allowed value.
        min: String,
        /// Largest allowed value.
        max: String,
        /// The value found.
        value: String,
    },
    /// A number is NaN or infinite.
    NotFinite,
    /// Another record of the same kind has this id.
    DuplicateId,
    /// The referenced record does not exist.
    UnknownReference {
        /// Kind of the referenced record.
        target: RecordKind,
        /// The id that was not found.
        id: String,
    },
    /// A record refers to itself (a customer referred by itself).
    SelfReference,
    /// A terminated customer needs a termination reason.
    TerminatedWithoutReason,
    /// A score lies outside its scale (relationship scores 1-5, recommend 0-10).
    ScoreOutOfRange {
        /// The value found.
        value: u8,
        /// Smallest allowed score.
        min: u8,
        /// Largest allowed score.
        max: u8,
    },
    /// An answer refers to a question that is not a leaf of the survey's indicator tree.
    UnknownLeaf {
        /// The leaf id used by the answer.
        leaf: String,
    },
    /// A competitor rating names a competitor the survey does not list.
    UnknownCompetitor {
        /// The competitor name used.
        name: String,
    },
    /// An answer lies outside the survey's scale.
    AnswerOutOfScale {
        /// The leaf answered ("" for repurchase intention).
        leaf: String,
        /// The answer.
        value: String,
        /// Scale minimum.
        min: String,
        /// Scale maximum.
        max: String,
    },
    /// The value is not one of the attribute's defined values.
    UnknownAttributeValue {
        /// The value found.
        value: String,
    },
    /// The confirmation deadline lies before the receipt of the complaint.
    DeadlineBeforeReceipt,
    /// The complaint was confirmed before it was received.
    ConfirmedBeforeReceipt,
    /// The complaint was closed before it was received.
    ClosedBeforeReceipt,
    /// The follow-up visit lies before the receipt of the complaint.
    FollowUpBeforeReceipt,
    /// A closed complaint identified as invalid has no explanation 投诉解释 recorded.
    ExplanationMissing,
    /// The next action is due before the interaction took place.
    DueBeforeDate,
    /// An interaction's start time falls on another day than its date.
    StartNotOnDate {
        /// The interaction's date.
        date: String,
    },
    /// A weight is negative.
    WeightNegative,
    /// All weights among siblings are zero, so none of them can count.
    WeightsAllZero,
    /// The indicator tree has no question (the root has no children).
    EmptyTree,
    /// Two nodes of the indicator tree share an id.
    DuplicateNodeId {
        /// The repeated node id.
        node: String,
    },
    /// The record was changed before it was created.
    UpdatedBeforeCreated,
    /// The complaint's workflow refuses one of its events (state machine of
    /// `crate::service::complaints::state`).
    EventRefused {
        /// Position of the event in the history (0-based).
        index: usize,
        /// Why.
        error: crate::service::complaints::EventError,
    },
    /// The e-mail address is not of the form `name@domain`.
    BadEmail,
}

/// Human label of a record kind.
pub fn kind_label(kind: RecordKind, lang: Language) -> &'static str {
    let zh = lang == Language::ZhCn;
    match kind {
        RecordKind::Customer => if zh { "客户" } else { "Customer" },
        RecordKind::Contact => if zh { "联系人" } else { "Contact" },
        RecordKind::OrderLine => if zh { "交易" } else { "Order line" },
        RecordKind::Interaction => if zh { "接触记录" } else { "Interaction" },
        RecordKind::Complaint => if zh { "投诉" } else { "Complaint" },
        RecordKind::Survey => if zh { "满意度调查" } else { "Survey" },
        RecordKind::SurveyResponse => if zh { "调查答卷" } else { "Survey response" },
    }
}

/// Field key → (Chinese label, English label). Keys are shared by all record kinds; where a
/// key means different things per kind the label is general enough for both.
const FIELD_LABELS: &[(&str, &str, &str)] = &[
    ("id", "编号", "id"),
    ("code", "客户代码", "code"),
    ("name", "名称", "name"),
    ("kind", "类型", "kind"),
    ("industry", "行业", "industry"),
    ("region", "大区", "region"),
    ("province", "省份", "province"),
    ("city", "城市", "city"),
    ("size", "规模", "size"),
    ("owner", "负责人", "owner"),
    ("credit_rating", "信用等级", "credit rating"),
    ("status", "状态", "status"),
    ("termination_reason", "终止原因", "termination reason"),
    ("since", "建立关系日期", "customer since"),
    ("tags", "标签", "tags"),
    ("notes", "备注", "notes"),
    ("referred_by", "推荐人", "referred by"),
    ("referred_by_contact", "推荐联系人", "referring contact"),
    ("referred_by_name", "推荐人（其他）", "referred by (other)"),
    ("relationship.common_interest", "共同利益评分", "common interest score"),
    ("relationship.relationship_value", "关系价值评分", "relationship value score"),
    ("created_at", "创建时间", "created at"),
    ("updated_at", "修改时间", "updated at"),
    ("customer_id", "所属客户", "customer"),
    ("title", "职务", "job title"),
    ("phone", "电话", "phone"),
    ("email", "电子邮箱", "e-mail"),
    ("roles", "采购中心角色", "buying-centre roles"),
    ("order_no", "订单号", "order number"),
    ("date", "日期", "date"),
    ("amount", "金额", "amount"),
    ("profit", "毛利", "gross profit"),
    ("product", "产品", "product"),
    ("category", "类别", "category"),
    ("quantity", "数量", "quantity"),
    ("channel", "渠道", "channel"),
    ("purpose", "何事（目的）", "purpose"),
    ("who", "何人", "who"),
    ("method", "何种方法", "method"),
    ("reason", "何种理由", "reason"),
    ("outcome", "结果", "outcome"),
    ("next_action", "下一步行动", "next action"),
    ("next_due", "下一步截止日期", "next action due date"),
    ("start", "开始时间", "start time"),
    ("duration_min", "时长（分钟）", "duration (minutes)"),
    ("location", "地点", "location"),
    ("received_at", "受理时间", "received at"),
    ("description", "投诉内容", "description"),
    ("severity", "严重程度", "severity"),
    ("validity", "是否属实", "validity"),
    ("confirm_deadline", "确认期限", "confirmation deadline"),
    ("confirmed_at", "确认时间", "confirmed at"),
    ("resolution", "处理结果", "resolution"),
    ("explanation", "投诉解释", "explanation"),
    ("closed_at", "结案时间", "closed at"),
    ("follow_up_date", "回访日期", "follow-up date"),
    ("follow_up_result", "回访结果", "follow-up result"),
    ("events", "事件记录", "events"),
    ("scale", "量表", "scale"),
    ("root", "指标体系", "indicator tree"),
    ("competitors", "竞争对手", "competitors"),
    ("survey_id", "所属调查", "survey"),
    ("segment", "细分属性", "segment attributes"),
    ("period", "调查期", "period"),
    ("answers", "答案", "answers"),
    ("competitor_answers", "竞争对手评价", "competitor ratings"),
    ("repurchase", "再购意向", "repurchase intention"),
    ("recommend", "推荐可能性", "likelihood to recommend"),
    ("key_account.market_share_potential", "市场份额与发展潜力", "market share and potential"),
    ("key_account.business_philosophy", "经营观念", "business philosophy"),
    ("key_account.ownership", "所有制/关系", "ownership"),
    ("key_account.scale", "规模", "scale"),
    ("key_account.financial_status", "财务状况", "financial status"),
    ("key_account.image", "企业形象", "corporate image"),
    ("key_account.staff_quality", "人员素质", "staff quality"),
    ("key_account.business_relationship", "业务关系", "business relationship"),
    ("key_account.credit", "信用", "credit"),
    ("key_account.revenue_status", "收入状况", "revenue"),
    ("key_account.competitor_relationship", "与竞争者关系", "relationship with competitors"),
    ("key_account.open_problems", "存在问题", "open problems"),
];

/// The human label of a field key (see [`Problem::field`]), in the given language.
///
/// Keys of the form `attributes.<key>` / `segment.<key>` use the attribute's label when it
/// is built in, `root.<node id>` names an indicator; unknown keys are returned unchanged.
pub fn field_label(field: &str, lang: Language) -> String {
    let zh = lang == Language::ZhCn;
    if let Some((_, z, e)) = FIELD_LABELS.iter().find(|(k, _, _)| *k == field) {
        return if zh { (*z).to_string() } else { (*e).to_string() };
    }
    for prefix in ["attributes.", "segment."] {
        if let Some(key) = field.strip_prefix(prefix) {
            let label = builtin_defs()
                .iter()
                .find(|d| d.key == key)
                .map(|d| if zh { d.zh.clone() } else { d.en.clone() })
                .unwrap_or_else(|| key.to_string());
            return if zh { format!("细分属性「{label}」") } else { format!("segment attribute {label}") };
        }
    }
    if let Some(node) = field.strip_prefix("root.") {
        return if zh { format!("指标「{node}」") } else { format!("indicator {node}") };
    }
    field.to_string()
}

impl Problem {
    fn new(kind: RecordKind, id: &str, field: &str, code: ProblemCode) -> Self {
        Problem { kind, id: id.to_string(), field: field.to_string(), code }
    }

    /// A complete sentence describing the problem, naming record kind, id and field, e.g.
    /// "客户 C000012 的「名称」不能为空。" or "Customer C000012: field “name” is required."
    /// An id longer than 40 characters is shown cut, with "…" (a hostile file's megabyte id
    /// stays out of the sentence).
    pub fn message(&self, lang: Language) -> String {
        let kind = kind_label(self.kind, lang);
        let field = field_label(&self.field, lang);
        let shown = clip_id(&self.id);
        match lang {
            Language::ZhCn => {
                let id = if self.id.is_empty() { "（无编号）".to_string() } else { shown };
                format!("{kind} {id} 的「{field}」{}。", self.code.zh())
            }
            Language::En => {
                let id = if self.id.is_empty() { "(no id)".to_string() } else { shown };
                format!("{kind} {id}: field “{field}” {}.", self.code.en())
            }
        }
    }
}

/// At most 40 characters of a record id, with "…" when cut.
fn clip_id(id: &str) -> String {
    match id.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &id[..i]),
        None => id.to_string(),
    }
}

impl Problem {
    /// The problem without naming the record, for a form that shows it beside its field
    /// ("「名称」不能为空。"): the record being edited, or not yet saved, has only an internal
    /// id, and people see codes and names, never internal ids.
    pub fn field_message(&self, lang: Language) -> String {
        let field = field_label(&self.field, lang);
        match lang {
            Language::ZhCn => format!("「{field}」{}。", self.code.zh()),
            Language::En => format!("“{field}” {}.", self.code.en()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl ProblemCode {
    /// Predicate of the Chinese sentence (after "<kind> <id> 的「<field>」").
    fn zh(&self) -> String {
        use ProblemCode::*;
        match self {
            Required => "不能为空".into(),
            TooLong { max } => format!("过长，最多 {max} 个字符"),
            InvalidDate { value } => format!("“{value}”不在 1900-01-01 至 2200-12-31 之间"),
            OutOfRange { min, max, value } => format!("为 {value}，超出允许范围 {min} 至 {max}"),
            NotFinite => "不是有效的数字".into(),
            DuplicateId => "与另一条同类记录重复".into(),
            UnknownReference { target, id } => {
                format!("引用的{} {} 不存在", kind_label(*target, Language::ZhCn), clip_id(id))
            }
            SelfReference => "不能引用记录自身".into(),
            TerminatedWithoutReason => "必须填写：已终止的客户需要注明终止原因".into(),
            ScoreOutOfRange { value, min, max } => format!("为 {value}，评分应在 {min} 至 {max} 之间"),
            UnknownLeaf { leaf } => format!("引用了调查中不存在的题目“{leaf}”"),
            UnknownCompetitor { name } => format!("中的竞争对手“{name}”未在调查中列出"),
            AnswerOutOfScale { leaf, value, min, max } => {
                if leaf.is_empty() {
                    format!("为 {value}，超出量表范围 {min} 至 {max}")
                } else {
                    format!("中题目“{leaf}”的回答 {value} 超出量表范围 {min} 至 {max}")
                }
            }
            UnknownAttributeValue { value } => format!("的取值“{value}”不是已定义的选项"),
            DeadlineBeforeReceipt => "早于受理时间".into(),
            ConfirmedBeforeReceipt => "早于受理时间".into(),
            ClosedBeforeReceipt => "早于受理时间".into(),
            FollowUpBeforeReceipt => "早于受理日期".into(),
            ExplanationMissing => "必须填写：不属实的投诉结案前应记录投诉解释".into(),
            DueBeforeDate => "早于接触日期".into(),
            StartNotOnDate { date } => format!("不在接触日期 {date} 当天"),
            WeightNegative => "中有负的权重".into(),
            WeightsAllZero => "中同级指标的权重全为 0".into(),
            EmptyTree => "没有任何题目（指标）".into(),
            DuplicateNodeId { node } => format!("中指标编号“{node}”重复"),
            UpdatedBeforeCreated => "早于创建时间".into(),
            EventRefused { index, error } => format!("第 {} 个事件被拒绝：{}", index + 1, error.message(Language::ZhCn)),
            BadEmail => "格式不正确，应形如 name@example.com".into(),
        }
    }

    /// Predicate of the English sentence (after "<Kind> <id>: field “<field>”").
    fn en(&self) -> String {
        use ProblemCode::*;
        match self {
            Required => "is required".into(),
            TooLong { max } => format!("is too long (at most {max} characters)"),
            InvalidDate { value } => format!("“{value}” is not between 1900-01-01 and 2200-12-31"),
            OutOfRange { min, max, value } => format!("is {value}, outside the allowed range {min} to {max}"),
            NotFinite => "is not a finite number".into(),
            DuplicateId => "duplicates the id of another record of the same kind".into(),
            UnknownReference { target, id } => {
                format!("refers to {} {}, which does not exist", kind_label(*target, Language::En).to_lowercase(), clip_id(id))
            }
            SelfReference => "must not refer to the record itself".into(),
            TerminatedWithoutReason => "is required when the customer is terminated".into(),
            ScoreOutOfRange { value, min, max } => format!("is {value}; scores run from {min} to {max}"),
            UnknownLeaf { leaf } => format!("refers to question “{leaf}”, which is not in the survey"),
            UnknownCompetitor { name } => format!("names competitor “{name}”, which the survey does not list"),
            AnswerOutOfScale { leaf, value, min, max } => {
                if leaf.is_empty() {
                    format!("is {value}, outside the scale {min} to {max}")
                } else {
                    format!("has answer {value} to question “{leaf}”, outside the scale {min} to {max}")
                }
            }
            UnknownAttributeValue { value } => format!("has value “{value}”, which is not a defined option"),
            DeadlineBeforeReceipt | ConfirmedBeforeReceipt | ClosedBeforeReceipt => {
                "lies before the time the complaint was received".into()
            }
            FollowUpBeforeReceipt => "lies before the day the complaint was received".into(),
            ExplanationMissing => "is required: a closed complaint found invalid needs an explanation".into(),
            DueBeforeDate => "lies before the date of the interaction".into(),
            StartNotOnDate { date } => format!("is not on the interaction's date {date}"),
            WeightNegative => "contains a negative weight".into(),
            WeightsAllZero => "has siblings whose weights are all zero".into(),
            EmptyTree => "has no question".into(),
            DuplicateNodeId { node } => format!("uses indicator id “{node}” more than once"),
            UpdatedBeforeCreated => "lies before the creation time".into(),
            EventRefused { index, error } => format!("event {} is refused: {}", index + 1, error.message(Language::En)),
            BadEmail => "is not a valid e-mail address (name@example.com)".into(),
        }
    }
}

fn builtin_defs() -> &'static [AttributeDef] {
    static DEFS: OnceLock<Vec<AttributeDef>> = OnceLock::new();
    DEFS.get_or_init(builtin_attributes)
}

/// Collects the problems of one record.
struct Checker<'a> {
    kind: RecordKind,
    id: &'a str,
    out: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn new(kind: RecordKind, id: &'a str) -> Self {
        let mut c = Checker { kind, id, out: Vec::new() };
        c.required("id", id);
        c.max_len("id", id, MAX_SHORT);
        c
    }

    fn push(&mut self, field: &str, code: ProblemCode) {
        self.out.push(Problem::new(self.kind, self.id, field, code));
    }

    fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(field, ProblemCode::Required);
        }
    }

    fn max_len(&mut self, field: &str, value: &str, max: usize) {
        // Bytes bound characters from above: count characters only when it can matter.
        if value.len() > max && value.chars().count() > max {
            self.push(field, ProblemCode::TooLong { max });
        }
    }

    fn date(&mut self, field: &str, d: Date) {
        if d < MIN_DATE || d > MAX_DATE {
            self.push(field, ProblemCode::InvalidDate { value: d.to_string() });
        }
    }

    fn time(&mut self, field: &str, t: Timestamp) {
        let d = t.date_naive();
        if d < MIN_DATE || d > MAX_DATE {
            self.push(field, ProblemCode::InvalidDate { value: t.to_rfc3339() });
        }
    }

    fn finite(&mut self, field: &str, x: f64) {
        if !x.is_finite() {
            self.push(field, ProblemCode::NotFinite);
        }
    }

    fn stamps<R: Record>(&mut self, r: &R) {
        self.time("created_at", r.created_at());
        self.time("updated_at", r.updated_at());
        if r.updated_at() < r.created_at() {
            self.push("updated_at", ProblemCode::UpdatedBeforeCreated);
        }
    }

    fn score(&mut self, field: &str, value: u8, min: u8, max: u8) {
        if value < min || value > max {
            self.push(field, ProblemCode::ScoreOutOfRange { value, min, max });
        }
    }
}

/// Field checks of a customer: id and name required, lengths, dates, termination reason,
/// relationship scores 1-5, built-in attribute values, no self-referral.
pub fn customer(c: &Customer) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::Customer, &c.id);
    k.required("name", &c.name);
    k.max_len("name", &c.name, MAX_NAME);
    for (field, value) in [
        ("code", &c.code),
        ("industry", &c.industry),
        ("province", &c.province),
        ("city", &c.city),
        ("size", &c.size),
        ("owner", &c.owner),
    ] {
        k.max_len(field, value, MAX_SHORT);
    }
    k.max_len("termination_reason", &c.termination_reason, MAX_TEXT);
    k.max_len("notes", &c.notes, MAX_TEXT);
    if c.status == CustomerStatus::Terminated && c.termination_reason.trim().is_empty() {
        k.push("termination_reason", ProblemCode::TerminatedWithoutReason);
    }
    if let Some(d) = c.since {
        k.date("since", d);
    }
    for tag in &c.tags {
        k.max_len("tags", tag, MAX_SHORT);
        if tag.trim().is_empty() {
            k.push("tags", ProblemCode::Required);
        }
    }
    k.max_len("referred_by_name", &c.referred_by_name, MAX_NAME);
    if c.referred_by.as_deref() == Some(c.id.as_str()) {
        k.push("referred_by", ProblemCode::SelfReference);
    }
    for (key, value) in c.key_account.fields() {
        if value.len() > MAX_TEXT {
            k.max_len(&format!("key_account.{key}"), value, MAX_TEXT);
        }
    }
    attributes(&mut k, "attributes", &c.attributes);
    if let Some(r) = c.relationship {
        k.score("relationship.common_interest", r.common_interest, 1, 5);
        k.score("relationship.relationship_value", r.relationship_value, 1, 5);
    }
    k.stamps(c);
    k.out
}

/// Checks attribute values against the built-in definitions; user-defined attributes (not
/// built in) are free here because their definitions travel in the settings.
fn attributes<'a>(k: &mut Checker<'_>, prefix: &str, attrs: impl IntoIterator<Item = (&'a String, &'a String)>) {
    for (key, value) in attrs {
        let field = || format!("{prefix}.{key}");
        if value.len() > MAX_SHORT {
            k.max_len(&field(), value, MAX_SHORT);
        }
        let Some(def) = builtin_defs().iter().find(|d| &d.key == key) else { continue };
        if def.values.is_empty() {
            continue;
        }
        let known = |v: &str| def.values.iter().any(|a| a.code == v);
        let ok = if def.multi {
            value.split(';').map(str::trim).filter(|v| !v.is_empty()).all(known)
        } else {
            known(value)
        };
        if !ok {
            k.push(&field(), ProblemCode::UnknownAttributeValue { value: value.clone() });
        }
    }
}

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// Field checks of a contact: customer and name required, lengths, e-mail shape.
pub fn contact(c: &Contact) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::Contact, &c.id);
    k.required("customer_id", &c.customer_id);
    k.required("name", &c.name);
    k.max_len("name", &c.name, MAX_NAME);
    k.max_len("title", &c.title, MAX_SHORT);
    k.max_len("phone", &c.phone, MAX_SHORT);
    k.max_len("email", &c.email, MAX_SHORT);
    if !c.email.trim().is_empty() && !plausible_email(c.email.trim()) {
        k.push("email", ProblemCode::BadEmail);
    }
    k.max_len("notes", &c.notes, MAX_TEXT);
    k.stamps(c);
    k.out
}

/// Field checks of an order line: customer required, plausible date, finite amount, profit
/// and quantity, lengths.
pub fn order_line(o: &OrderLine) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::OrderLine, &o.id);
    k.required("customer_id", &o.customer_id);
    k.date("date", o.date);
    k.finite("amount", o.amount);
    if let Some(p) = o.profit {
        k.finite("profit", p);
    }
    if let Some(q) = o.quantity {
        k.finite("quantity", q);
    }
    for (field, value) in [
        ("order_no", &o.order_no),
        ("product", &o.product),
        ("category", &o.category),
        ("channel", &o.channel),
    ] {
        k.max_len(field, value, MAX_SHORT);
    }
    k.stamps(o);
    k.out
}

/// Field checks of an interaction: customer required, plausible dates, the start time on
/// the interaction's date (in the start's own offset), a duration of at most
/// [`MAX_DURATION_MIN`], the next action not due before the interaction, lengths.
pub fn interaction(i: &Interaction) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::Interaction, &i.id);
    k.required("customer_id", &i.customer_id);
    k.date("date", i.date);
    if let Some(due) = i.next_due {
        k.date("next_due", due);
        if due < i.date {
            k.push("next_due", ProblemCode::DueBeforeDate);
        }
    }
    k.max_len("owner", &i.owner, MAX_SHORT);
    if let Some(start) = i.start {
        let local = start.date_naive();
        if local < MIN_DATE || local > MAX_DATE {
            k.push("start", ProblemCode::InvalidDate { value: start.to_rfc3339() });
        } else if local != i.date {
            k.push("start", ProblemCode::StartNotOnDate { date: i.date.to_string() });
        }
    }
    if let Some(m) = i.duration_min {
        if m > MAX_DURATION_MIN {
            k.push("duration_min", ProblemCode::OutOfRange { min: "0".into(), max: MAX_DURATION_MIN.to_string(), value: m.to_string() });
        }
    }
    k.max_len("location", &i.location, MAX_NAME);
    for (field, value) in [
        ("purpose", &i.purpose),
        ("who", &i.who),
        ("method", &i.method),
        ("reason", &i.reason),
        ("outcome", &i.outcome),
        ("next_action", &i.next_action),
    ] {
        k.max_len(field, value, MAX_TEXT);
    }
    k.stamps(i);
    k.out
}

/// Field checks of a complaint: customer required, a history that starts with `received`
/// and that the workflow accepts (every event allowed in its state, in time order, with
/// the data it needs), plausible event times, lengths.
pub fn complaint(c: &Complaint) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::Complaint, &c.id);
    k.required("customer_id", &c.customer_id);
    if c.events.is_empty() {
        k.push("events", ProblemCode::Required);
    }
    for e in &c.events {
        k.time("events", e.at.to_utc());
        k.max_len("events", &e.by, MAX_SHORT);
        k.max_len("events", &e.note, MAX_TEXT);
    }
    if let Err(r) = crate::service::complaints::replay(&c.events) {
        k.push("events", ProblemCode::EventRefused { index: r.index, error: r.error });
    }
    for (field, value) in [("channel", &c.channel), ("category", &c.category), ("owner", &c.owner)] {
        k.max_len(field, value, MAX_SHORT);
    }
    k.max_len("description", &c.description, MAX_TEXT);
    k.stamps(c);
    k.out
}

/// Field checks of a survey: name required, at least one question, node ids present and
/// unique, weights finite and non-negative with at least one positive among siblings,
/// competitor names present and unique.
pub fn survey(s: &Survey) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::Survey, &s.id);
    k.required("name", &s.name);
    k.max_len("name", &s.name, MAX_NAME);
    if s.root.children.is_empty() {
        k.push("root", ProblemCode::EmptyTree);
    }
    let mut seen = HashSet::new();
    fn walk<'n>(n: &'n IndicatorNode, k: &mut Checker<'_>, seen: &mut HashSet<&'n str>) {
        let field = format!("root.{}", n.id);
        if n.id.trim().is_empty() {
            k.push("root", ProblemCode::Required);
        } else if !seen.insert(n.id.as_str()) {
            k.push("root", ProblemCode::DuplicateNodeId { node: n.id.clone() });
        }
        if n.label.trim().is_empty() {
            k.push(&field, ProblemCode::Required);
        }
        k.max_len(&field, &n.label, MAX_NAME);
        if !n.weight.is_finite() {
            k.push(&field, ProblemCode::NotFinite);
        } else if n.weight < 0.0 {
            k.push(&field, ProblemCode::WeightNegative);
        }
        if !n.children.is_empty() && n.children.iter().all(|c| c.weight == 0.0) {
            k.push(&field, ProblemCode::WeightsAllZero);
        }
        for c in &n.children {
            walk(c, k, seen);
        }
    }
    walk(&s.root, &mut k, &mut seen);
    let mut names = HashSet::new();
    for name in &s.competitors {
        if name.trim().is_empty() {
            k.push("competitors", ProblemCode::Required);
        } else if !names.insert(name.as_str()) {
            k.push("competitors", ProblemCode::DuplicateId);
        }
        k.max_len("competitors", name, MAX_SHORT);
    }
    k.stamps(s);
    k.out
}

/// Field checks of a survey response: survey required, plausible date, recommend 0-10,
/// and — when the survey is given — every answer (own and competitors') on a leaf of the
/// tree and within the survey's scale, competitors listed by the survey.
pub fn response(r: &SurveyResponse, survey: Option<&Survey>) -> Vec<Problem> {
    let leaves: Option<HashSet<&str>> = survey.map(|s| s.root.leaves().into_iter().map(|n| n.id.as_str()).collect());
    response_with(r, survey.zip(leaves.as_ref()))
}

fn response_with(r: &SurveyResponse, survey: Option<(&Survey, &HashSet<&str>)>) -> Vec<Problem> {
    let mut k = Checker::new(RecordKind::SurveyResponse, &r.id);
    k.required("survey_id", &r.survey_id);
    k.date("date", r.date);
    k.max_len("period", &r.period, MAX_SHORT);
    if let Some(rec) = r.recommend {
        k.score("recommend", rec, 0, 10);
    }
    attributes(&mut k, "segment", &r.segment);
    if let Some(x) = r.repurchase {
        k.finite("repurchase", x);
    }
    let answer = |k: &mut Checker<'_>, field: &str, leaf: &str, x: f64| {
        if !x.is_finite() {
            k.push(field, ProblemCode::NotFinite);
            return;
        }
        if let Some((s, _)) = survey {
            let (min, max) = s.scale.range();
            if x < min || x > max {
                k.push(
                    field,
                    ProblemCode::AnswerOutOfScale {
                        leaf: leaf.to_string(),
                        value: fmt_num(x),
                        min: fmt_num(min),
                        max: fmt_num(max),
                    },
                );
            }
        }
    };
    let leaf_known = |k: &mut Checker<'_>, field: &str, leaf: &str| match survey {
        Some((_, leaves)) if !leaves.contains(leaf) => {
            k.push(field, ProblemCode::UnknownLeaf { leaf: leaf.to_string() });
            false
        }
        _ => true,
    };
    for (leaf, a) in &r.answers {
        if leaf_known(&mut k, "answers", leaf) {
            if let Some(x) = a {
                answer(&mut k, "answers", leaf, *x);
            }
        }
    }
    for (name, answers) in &r.competitor_answers {
        if let Some((s, _)) = survey {
            if !s.competitors.iter().any(|c| c == name) {
                k.push("competitor_answers", ProblemCode::UnknownCompetitor { name: name.clone() });
            }
        }
        for (leaf, x) in answers {
            if leaf_known(&mut k, "competitor_answers", leaf) {
                answer(&mut k, "competitor_answers", leaf, *x);
            }
        }
    }
    if let Some(x) = r.repurchase {
        if x.is_finite() {
            answer(&mut k, "repurchase", "", x);
        }
    }
    k.stamps(r);
    k.out
}

/// Formats a number without a trailing `.0` for whole values.
fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Ids of one kind; reports duplicates (every occurrence after the first).
fn id_set<'a, R: Record>(records: &'a [R], out: &mut Vec<Problem>) -> IdSet<'a> {
    let mut set = IdSet::with_capacity_and_hasher(records.len(), Default::default());
    for r in records {
        if !set.insert(r.id()) {
            out.push(Problem::new(R::KIND, r.id(), "id", ProblemCode::DuplicateId));
        }
    }
    set
}

fn reference(out: &mut Vec<Problem>, kind: RecordKind, id: &str, field: &str, target: RecordKind, to: &str, set: &IdSet<'_>) {
    // An empty reference is already reported as Required by the record check.
    if !to.is_empty() && !set.contains(to) {
        out.push(Problem::new(kind, id, field, ProblemCode::UnknownReference { target, id: to.to_string() }));
    }
}

/// Every problem of a whole dataset: the field checks of every record, duplicate ids per
/// kind, and every reference (contact, order line, interaction and complaint → customer;
/// response → survey and, if given, customer; customer → referring customer; answer keys
/// → leaves of the survey). Problems come in [`RecordKind::ALL`] order, records in dataset
/// order.
pub fn dataset(d: &Dataset) -> Vec<Problem> {
    let mut out = Vec::new();
    let customers = id_set(&d.customers, &mut out);
    // Contact ids for the referring contacts; duplicates are reported with the contacts.
    let contact_ids: IdSet<'_> = d.contacts.iter().map(|c| c.id.as_str()).collect();
    for c in &d.customers {
        out.extend(customer(c));
        if let Some(r) = c.referred_by.as_deref() {
            if r != c.id {
                reference(&mut out, RecordKind::Customer, &c.id, "referred_by", RecordKind::Customer, r, &customers);
            }
        }
        if let Some(r) = c.referred_by_contact.as_deref() {
            reference(&mut out, RecordKind::Customer, &c.id, "referred_by_contact", RecordKind::Contact, r, &contact_ids);
        }
    }
    id_set(&d.contacts, &mut out);
    for c in &d.contacts {
        out.extend(contact(c));
        reference(&mut out, RecordKind::Contact, &c.id, "customer_id", RecordKind::Customer, &c.customer_id, &customers);
    }
    id_set(&d.orders, &mut out);
    for o in &d.orders {
        // The field check allocates nothing when the line is fine; this is the hot loop.
        out.extend(order_line(o));
        reference(&mut out, RecordKind::OrderLine, &o.id, "customer_id", RecordKind::Customer, &o.customer_id, &customers);
    }
    id_set(&d.interactions, &mut out);
    for i in &d.interactions {
        out.extend(interaction(i));
        reference(&mut out, RecordKind::Interaction, &i.id, "customer_id", RecordKind::Customer, &i.customer_id, &customers);
    }
    id_set(&d.complaints, &mut out);
    for c in &d.complaints {
        out.extend(complaint(c));
        reference(&mut out, RecordKind::Complaint, &c.id, "customer_id", RecordKind::Customer, &c.customer_id, &customers);
    }
    id_set(&d.surveys, &mut out);
    let mut surveys: HashMap<&str, (&Survey, HashSet<&str>)> = HashMap::with_capacity(d.surveys.len());
    for s in &d.surveys {
        out.extend(survey(s));
        let leaves = s.root.leaves().into_iter().map(|n| n.id.as_str()).collect();
        surveys.entry(s.id.as_str()).or_insert((s, leaves));
    }
    id_set(&d.responses, &mut out);
    for r in &d.responses {
        let s = surveys.get(r.survey_id.as_str()).map(|(s, leaves)| (*s, leaves));
        out.extend(response_with(r, s));
        if s.is_none() && !r.survey_id.is_empty() {
            out.push(Problem::new(
                RecordKind::SurveyResponse,
                &r.id,
                "survey_id",
                ProblemCode::UnknownReference { target: RecordKind::Survey, id: r.survey_id.clone() },
            ));
        }
        if let Some(c) = r.customer_id.as_deref() {
            if c.is_empty() {
                out.push(Problem::new(RecordKind::SurveyResponse, &r.id, "customer_id", ProblemCode::Required));
            }
            reference(&mut out, RecordKind::SurveyResponse, &r.id, "customer_id", RecordKind::Customer, c, &customers);
        }
    }
    out
}
