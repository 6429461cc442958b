//! Records that belong to a customer: contacts 联系人, order lines 交易, interactions
//! 接触记录 and complaints 投诉 (SPEC §2, §6, §7). Each refers to its customer by id;
//! `crate::validate` checks that the customer exists.

use super::{Date, Id, Timestamp};
use serde::{Deserialize, Serialize};

/// A contact person 联系人 of a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Unique id.
    pub id: Id,
    /// The customer this person works for.
    pub customer_id: Id,
    /// Name; required.
    pub name: String,
    /// Job title 职务.
    #[serde(default)]
    pub title: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Roles in the buying centre 采购中心 (one person may hold several).
    #[serde(default)]
    pub roles: Vec<BuyingRole>,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// Buying-centre role 采购中心角色 (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuyingRole {
    /// 倡议者
    Initiator,
    /// 决策者
    Decider,
    /// 影响者
    Influencer,
    /// 分析者
    Analyst,
    /// 使用者
    User,
    /// 采购者
    Buyer,
    /// 控制者
    Gatekeeper,
}

impl BuyingRole {
    /// All roles.
    pub const ALL: [BuyingRole; 7] = [
        BuyingRole::Initiator,
        BuyingRole::Decider,
        BuyingRole::Influencer,
        BuyingRole::Analyst,
        BuyingRole::User,
        BuyingRole::Buyer,
        BuyingRole::Gatekeeper,
    ];
}

/// An order line 交易 (one product on one order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Unique id.
    pub id: Id,
    /// The buying customer.
    pub customer_id: Id,
    /// Order number, when the source system has one (RFM counts distinct order numbers).
    #[serde(default)]
    pub order_no: String,
    /// Order date.
    pub date: Date,
    /// Amount in yuan (negative for returns and credit notes).
    pub amount: f64,
    /// Gross profit 毛利 in yuan, when known.
    #[serde(default)]
    pub profit: Option<f64>,
    /// Product.
    #[serde(default)]
    pub product: String,
    /// Product category.
    #[serde(default)]
    pub category: String,
    /// Quantity.
    #[serde(default)]
    pub quantity: Option<f64>,
    /// Sales channel.
    #[serde(default)]
    pub channel: String,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

impl OrderLine {
    /// An order line with only its id, customer, date, amount and creation time; no order
    /// number, profit, product, quantity or channel. Imports and tests start from this.
    pub fn new(id: impl Into<Id>, customer_id: impl Into<Id>, date: Date, amount: f64, at: Timestamp) -> OrderLine {
        OrderLine {
            id: id.into(),
            customer_id: customer_id.into(),
            order_no: String::new(),
            date,
            amount,
            profit: None,
            product: String::new(),
            category: String::new(),
            quantity: None,
            channel: String::new(),
            created_at: at,
            updated_at: at,
        }
    }
}

/// An interaction 接触记录 with a customer: a visit, call, e-mail, meeting or exhibition,
/// recorded with the five visit elements (SPEC §2, §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    /// Unique id.
    pub id: Id,
    /// The customer.
    pub customer_id: Id,
    /// Kind of contact.
    pub kind: InteractionKind,
    /// When 何时.
    pub date: Date,
    /// Purpose 何事.
    #[serde(default)]
    pub purpose: String,
    /// Who 何人 (people met, or a contact's name).
    #[serde(default)]
    pub who: String,
    /// Method 何种方法.
    #[serde(default)]
    pub method: String,
    /// Reason 何种理由.
    #[serde(default)]
    pub reason: String,
    /// Outcome.
    #[serde(default)]
    pub outcome: String,
    /// Next action.
    #[serde(default)]
    pub next_action: String,
    /// Due date of the next action.
    #[serde(default)]
    pub next_due: Option<Date>,
    /// Account manager who made the contact.
    #[serde(default)]
    pub owner: String,
    /// Planned, done or cancelled. Records written before visits were planned in the app
    /// are reports of contacts that happened, so a missing status reads as done.
    #[serde(default)]
    pub status: InteractionStatus,
    /// Start time to the minute, with the UTC offset of the calendar it was planned in
    /// (何时). When present, `date` is its local date (the edit functions of
    /// `crate::service::visits` keep the two together; `crate::validate` checks it).
    #[serde(default)]
    pub start: Option<ZonedTime>,
    /// Duration in minutes, when known.
    #[serde(default)]
    pub duration_min: Option<u32>,
    /// Where (address, site, booth).
    #[serde(default)]
    pub location: String,
    /// How many times the planned time (start or duration) has changed: the iCalendar
    /// `SEQUENCE` (RFC 5545 §3.8.7.4), so a phone replaces its copy of a moved visit.
    #[serde(default)]
    pub sequence: u32,
    /// Created.
    pub created_at: Timestamp,
    /// Last changed.
    pub updated_at: Timestamp,
}

/// A point in time with the UTC offset it is shown in (`2026-03-02T09:30:00+08:00`).
pub type ZonedTime = chrono::DateTime<chrono::FixedOffset>;

impl Interaction {
    /// A done interaction with only its id, customer, kind, date and creation time; no
    /// five-element texts, start time, location or next step. Imports and tests start
    /// from this.
    pub fn new(id: impl Into<Id>, customer_id: impl Into<Id>, kind: InteractionKind, date: Date, at: Timestamp) -> Interaction {
        Interaction {
            id: id.into(),
            customer_id: customer_id.into(),
            kind,
            date,
            purpose: String::new(),
            who: String::new(),
            method: String::new(),
            reason: String::new(),
            outcome: String::new(),
            next_action: String::new(),
            next_due: None,
            owner: String::new(),
            status: InteractionStatus::Done,
            start: None,
            duration_min: None,
            location: String::new(),
            sequence: 0,
            created_at: at,
            updated_at: at,
        }
    }
}

/// Where an interaction stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionStatus {
    /// 计划: planned, not yet happened.
    Planned,
    /// 已完成: happened (the default for records without a status).
    #[default]
    Done,
    /// 已取消: called off.
    Cancelled,
}

impl InteractionStatus {
    /// All statuses.
    pub const ALL: [InteractionStatus; 3] = [InteractionStatus::Planned, InteractionStatus::Done, InteractionStatus::Cancelled];

    /// The stored name (`planned`, `done`, `cancelled`).
    pub fn name(self) -> &'static str {
        match self {
            InteractionStatus::Planned => "planned",
            InteractionStatus::Done => "done",
            InteractionStatus::Cancelled => "cancelled",
        }
    }
}

/// Kind of interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    /// 拜访
    Visit,
    /// 电话
    Phone,
    /// 邮件
    Email,
    /// 会议
    Meeting,
    /// 展会
    Exhibition,
}

impl InteractionKind {
    /// All kinds.
    pub const ALL: [InteractionKind; 5] = [
        InteractionKind::Visit,
        InteractionKind::Phone,
        InteractionKind::Email,
        InteractionKind::Meeting,
        InteractionKind::Exhibition,
    ];

    /// The stored name (`visit`, `phone`, `email`, `meeting`, `exhibition`).
    pub fn name(self) -> &'static str {
        match self {
            InteractionKind::Visit => "visit",
            InteractionKind::Phone => "phone",
            InteractionKind::Email => "email",
            InteractionKind::Meeting => "meeting",
            InteractionKind::Exhibition => "exhibition",
        }
    }
}
