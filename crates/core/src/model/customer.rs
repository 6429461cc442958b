//! Customers 客户 (SPEC §2): identity, geography, ownership, status, the key-account
//! profile 大客户档案 and the segmentation attributes 市场细分变量.
//!
//! Geography, kind, status and credit are typed because every page filters on them. The
//! demographic, psychographic, behavioural and industrial attributes are open-ended (users
//! add their own), so they live in [`Customer::attributes`] as `key → value code`, described
//! by [`crate::model::AttributeDef`]s.

use super::{Date, Id, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A customer 客户.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Unique id.
    pub id: Id,
    /// The customer's own code in the user's ERP/CRM (客户编号); may be empty.
    #[serde(default)]
    pub code: String,
    /// Name (客户名称); required.
    pub name: String,
    /// End customer, dealer or distributor.
    #[serde(default)]
    pub kind: CustomerKind,
    /// Industry 行业 (free text, e.g. 化工).
    #[serde(default)]
    pub industry: String,
    /// Region 大区.
    #[serde(default)]
    pub region: Option<Region>,
    /// Province 省.
    #[serde(default)]
    pub province: String,
    /// City 市.
    #[serde(default)]
    pub city: String,
    /// City size 城市规模.
    #[serde(default)]
    pub city_size: Option<CitySize>,
    /// Economic zone 经济带.
    #[serde(default)]
    pub economic_zone: Option<EconomicZone>,
    /// Company size (free text or band, e.g. "500-1000人").
    #[serde(default)]
    pub size: String,
    /// Account manager 客户经理 responsible for the customer.
    #[serde(default)]
    pub owner: String,
    /// Credit rating 信用等级.
    #[serde(default)]
    pub credit_rating: Option<CreditRating>,
    /// Active or terminated.
    #[serde(default)]
    pub status: CustomerStatus,
    /// Why the relationship was terminated (required when terminated).
    #[serde(default)]
    pub termination_reason: String,
    /// Date the customer was first acquired.
    #[serde(default)]
    pub since: Option<Date>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// The customer who referred this one (推荐), if any.
    #[serde(default)]
    pub referred_by: Option<Id>,
    /// The contact person who brought this customer (a [`super::Contact`] id), if any.
    /// With `referred_by` also set it names the person at the referring customer; alone
    /// it is the referrer.
    #[serde(default)]
    pub referred_by_contact: Option<Id>,
    /// Who brought this customer when it is neither a customer nor a contact on record
    /// (free text, e.g. a friend of the owner or an association); empty when unknown.
    #[serde(default)]
    pub referred_by_name: String,
    /// Key-account profile 大客户档案.
    #[serde(default)]
    pub key_account: KeyAccountProfile,
    /// Segmentation attributes: attribute key → value code (see [`super::builtin_attributes`]).
    #[serde(default, deserialize_with = "super::unique_keys")]
    pub attributes: BTreeMap<String, String>,
    /// Relationship positioning scores (SPEC §3.4), 1-5 each, entered by the user.
    #[serde(default)]
    pub relationship: Option<RelationshipScores>,
    /// When the record was created.
    pub created_at: Timestamp,
    /// When the record was last changed.
    pub updated_at: Timestamp,
}

impl Customer {
    /// A customer with only an id, a name and its creation time; every other field empty
    /// or default (active end customer). Forms and imports start from this.
    pub fn new(id: impl Into<Id>, name: impl Into<String>, at: Timestamp) -> Customer {
        Customer {
            id: id.into(),
            code: String::new(),
            name: name.into(),
            kind: CustomerKind::EndCustomer,
            industry: String::new(),
            region: None,
            province: String::new(),
            city: String::new(),
            city_size: None,
            economic_zone: None,
            size: String::new(),
            owner: String::new(),
            credit_rating: None,
            status: CustomerStatus::Active,
            termination_reason: String::new(),
            since: None,
            tags: Vec::new(),
            notes: String::new(),
            referred_by: None,
            referred_by_contact: None,
            referred_by_name: String::new(),
            key_account: KeyAccountProfile::default(),
            attributes: BTreeMap::new(),
            relationship: None,
            created_at: at,
            updated_at: at,
        }
    }
}

/// Kind of customer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    /// End customer 终端顾客.
    #[default]
    EndCustomer,
    /// Dealer 中间商.
    Dealer,
    /// Distributor 分销商.
    Distributor,
}

impl CustomerKind {
    /// All kinds, end customers first.
    pub const ALL: [CustomerKind; 3] = [CustomerKind::EndCustomer, CustomerKind::Dealer, CustomerKind::Distributor];
}

/// Relationship status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    /// Active relationship.
    #[default]
    Active,
    /// Terminated 终止 (a recorded decision, never a deletion: SPEC §3.7).
    Terminated,
}

impl CustomerStatus {
    /// Both statuses, active first.
    pub const ALL: [CustomerStatus; 2] = [CustomerStatus::Active, CustomerStatus::Terminated];
}

/// China's seven regions 大区.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// 东北
    Northeast,
    /// 华北
    North,
    /// 华东
    East,
    /// 华中
    Central,
    /// 华南
    South,
    /// 西北
    Northwest,
    /// 西南
    Southwest,
}

impl Region {
    /// All regions in the conventional order.
    pub const ALL: [Region; 7] = [
        Region::Northeast,
        Region::North,
        Region::East,
        Region::Central,
        Region::South,
        Region::Northwest,
        Region::Southwest,
    ];
}

/// City size 城市规模.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CitySize {
    /// 特大型
    Megacity,
    /// 大型
    Large,
    /// 中型
    Medium,
    /// 小型
    Small,
}

impl CitySize {
    /// All sizes, largest first.
    pub const ALL: [CitySize; 4] = [CitySize::Megacity, CitySize::Large, CitySize::Medium, CitySize::Small];
}

/// Economic zone 经济带.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EconomicZone {
    /// 东部
    Eastern,
    /// 中部
    Central,
    /// 西部
    Western,
}

impl EconomicZone {
    /// All zones.
    pub const ALL: [EconomicZone; 3] = [EconomicZone::Eastern, EconomicZone::Central, EconomicZone::Western];
}

/// Credit rating 信用等级.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CreditRating {
    /// AAA
    #[serde(rename = "AAA")]
    Aaa,
    /// AA
    #[serde(rename = "AA")]
    Aa,
    /// A
    #[serde(rename = "A")]
    A,
    /// BBB
    #[serde(rename = "BBB")]
    Bbb,
    /// BB
    #[serde(rename = "BB")]
    Bb,
    /// B
    #[serde(rename = "B")]
    B,
    /// C
    #[serde(rename = "C")]
    C,
}

impl CreditRating {
    /// All ratings, best first.
    pub const ALL: [CreditRating; 7] = [
        CreditRating::Aaa,
        CreditRating::Aa,
        CreditRating::A,
        CreditRating::Bbb,
        CreditRating::Bb,
        CreditRating::B,
        CreditRating::C,
    ];

    /// The rating as printed (AAA … C).
    pub fn as_str(self) -> &'static str {
        match self {
            CreditRating::Aaa => "AAA",
            CreditRating::Aa => "AA",
            CreditRating::A => "A",
            CreditRating::Bbb => "BBB",
            CreditRating::Bb => "BB",
            CreditRating::B => "B",
            CreditRating::C => "C",
        }
    }
}

/// Key-account profile 大客户档案 (SPEC §2): free-text assessments, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyAccountProfile {
    /// 市场份额与发展潜力
    pub market_share_potential: String,
    /// 经营观念
    pub business_philosophy: String,
    /// 所有制/关系 ownership
    pub ownership: String,
    /// 规模 scale
    pub scale: String,
    /// 财务状况
    pub financial_status: String,
    /// 企业形象
    pub image: String,
    /// 人员素质
    pub staff_quality: String,
    /// 业务关系
    pub business_relationship: String,
    /// 信用
    pub credit: String,
    /// 收入状况
    pub revenue_status: String,
    /// 与竞争者关系
    pub competitor_relationship: String,
    /// 存在问题
    pub open_problems: String,
}

impl KeyAccountProfile {
    /// The fields as (key, value) pairs in SPEC order; keys are stable for i18n.
    pub fn fields(&self) -> [(&'static str, &str); 12] {
        [
            ("market_share_potential", &self.market_share_potential),
            ("business_philosophy", &self.business_philosophy),
            ("ownership", &self.ownership),
            ("scale", &self.scale),
            ("financial_status", &self.financial_status),
            ("image", &self.image),
            ("staff_quality", &self.staff_quality),
            ("business_relationship", &self.business_relationship),
            ("credit", &self.credit),
            ("revenue_status", &self.revenue_status),
            ("competitor_relationship", &self.competitor_relationship),
            ("open_problems", &self.open_problems),
        ]
    }

    /// Mutable access to a field by its key from [`KeyAccountProfile::fields`].
    pub fn field_mut(&mut self, key: &str) -> Option<&mut String> {
        Some(match key {
            "market_share_potential" => &mut self.market_share_potential,
            "business_philosophy" => &mut self.business_philosophy,
            "ownership" => &mut self.ownership,
            "scale" => &mut self.scale,
            "financial_status" => &mut self.financial_status,
            "image" => &mut self.image,
            "staff_quality" => &mut self.staff_quality,
            "business_relationship" => &mut self.business_relationship,
            "credit" => &mut self.credit,
            "revenue_status" => &mut self.revenue_status,
            "competitor_relationship" => &mut self.competitor_relationship,
            "open_problems" => &mut self.open_problems,
            _ => return None,
        })
    }
}

/// Relationship positioning scores 1-5 (SPEC §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipScores {
    /// Common interest 共同利益, 1-5.
    pub common_interest: u8,
    /// Value of the long-term relationship 关系价值, 1-5.
    pub relationship_value: u8,
}

/// Group of a segmentation attribute (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeGroup {
    /// 地理
    Geographic,
    /// 人口
    Demographic,
    /// 心理
    Psychographic,
    /// 行为
    Behavioural,
    /// 产业 (industrial customers)
    Industrial,
}

/// One allowed value of a categorical attribute, with its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    /// Stable code stored on the customer.
    pub code: String,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
}

/// Definition of a segmentation attribute: built in, or added by the user (then it travels
/// in the settings of a backup). An empty value list means free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// Key in [`Customer::attributes`].
    pub key: String,
    /// Group.
    pub group: AttributeGroup,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
    /// Allowed values (empty: free text).
    pub values: Vec<AttributeValue>,
    /// Whether several values may be given, separated by `;` (e.g. media contact).
    #[serde(default)]
    pub multi: bool,
}

macro_rules! vals {
    ($(($code:expr, $zh:expr, $en:expr)),* $(,)?) => {
        vec![$(AttributeValue { code: $code.into(), zh: $zh.into(), en: $en.into() }),*]
    };
}

fn def(key: &str, group: AttributeGroup, zh: &str, en: &str, values: Vec<AttributeValue>, multi: bool) -> AttributeDef {
    AttributeDef { key: key.into(), group, zh: zh.into(), en: en.into(), values, multi }
}

/// The built-in segmentation attributes of SPEC §2 that are not typed fields of
/// [`Customer`] (region, city size and economic zone are).
pub fn builtin_attributes() -> Vec<AttributeDef> {
    use AttributeGroup::*;
    vec![
        def("age_band", Demographic, "年龄", "Age band", vals![
            ("lt6", "6岁以下", "under 6"), ("6_11", "6-11岁", "6-11"), ("12_19", "12-19岁", "12-19"),
            ("20_34", "20-34岁", "20-34"), ("35_49", "35-49岁", "35-49"), ("50_64", "50-64岁", "50-64"),
            ("65plus", "65岁以上", "65+"),
        ], false),
        def("gender", Demographic, "性别", "Gender", vals![("male", "男", "male"), ("female", "女", "female")], false),
        def("income_band", Demographic, "家庭月收入", "Household income (yuan/month)", vals![
            ("800_1500", "800-1500元", "800-1500"), ("1501_4000", "1501-4000元", "1501-4000"),
            ("4001_6000", "4001-6000元", "4001-6000"), ("6001plus", "6001元以上", "6001+"),
        ], false),
        def("occupation", Demographic, "职业", "Occupation", vec![], false),
        def("education", Demographic, "教育", "Education", vec![], false),
        def("media", Demographic, "媒体接触", "Media contact", vals![
            ("tv", "电视", "TV"), ("radio", "广播", "radio"), ("internet", "互联网", "internet"),
            ("newspaper", "报纸", "newspaper"), ("magazine", "杂志", "magazine"),
        ], true),
        def("social_class", Psychographic, "社会阶层", "Social class", vec![], false),
        def("lifestyle", Psychographic, "生活方式", "Lifestyle", vals![
            ("simple", "简朴", "simple"), ("fashionable", "时尚", "fashionable"), ("luxurious", "奢华", "luxurious"),
        ], false),
        def("personality", Psychographic, "个性", "Personality", vec![], false),
        def("usage_rate", Behavioural, "使用率", "Usage rate", vals![
            ("never", "从未使用", "never"), ("occasional", "偶尔使用", "occasional"), ("frequent", "经常使用", "frequent"),
        ], false),
        def("benefit", Behavioural, "追求利益", "Benefit sought", vals![
            ("quality", "质量", "quality"), ("service", "服务", "service"), ("economy", "经济", "economy"),
        ], false),
        def("user_status", Behavioural, "使用者状况", "User status", vals![
            ("never", "从未使用者", "never"), ("former", "曾经使用者", "former"), ("potential", "潜在使用者", "potential"),
            ("first_time", "首次使用者", "first-time"), ("regular", "经常使用者", "regular"),
        ], false),
        def("brand_loyalty", Behavioural, "品牌忠诚度", "Brand loyalty", vals![
            ("none", "无", "none"), ("some", "一般", "some"), ("strong", "强", "strong"), ("very_strong", "很强", "very strong"),
        ], false),
        def("attitude", Behavioural, "态度", "Attitude", vals![
            ("enthusiastic", "热情", "enthusiastic"), ("positive", "肯定", "positive"), ("indifferent", "不感兴趣", "indifferent"),
            ("negative", "否定", "negative"), ("hostile", "敌视", "hostile"),
        ], false),
        def("working_conditions", Industrial, "工况", "Working conditions", vec![], false),
        def("product_type", Industrial, "产品类型", "Product type", vec![], false),
    ]
}
