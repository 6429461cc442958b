//! The records of SPEC §2 as serde types.
//!
//! Every stored record carries an `id` (a string; demo and app ids look like `C000123`),
//! `created_at` and `updated_at` (UTC timestamps, RFC 3339 in JSON). The layout of all
//! records together is versioned by [`SCHEMA_VERSION`]; the backup format carries it and
//! `crate::backup` migrates older layouts.
//!
//! Enumerations serialise as `snake_case` strings so that a backup is readable by people
//! and other tools. Free text fields default to the empty string, optional facts to `None`,
//! so that a minimal JSON record (id, name, timestamps) deserialises.
//!
//! - [`customer`]: customers with key-account profile and segmentation attributes.
//! - [`records`]: contacts, order lines, interactions.
//! - [`complaint`]: complaints with their append-only event history (the old flag shape
//!   still loads).
//! - [`survey`]: surveys (indicator tree, weights, scale) and their responses.
//! - [`settings`]: user settings that travel in a backup.

pub mod bucket;
pub mod complaint;
pub mod customer;
pub mod records;
pub mod settings;
pub mod survey;

pub use complaint::*;
pub use customer::*;
pub use records::*;
pub use settings::*;
pub use survey::*;

use serde::{Deserialize, Serialize};

/// Version of the record layout. Bump it, and add a migration in `crate::backup::migrate`,
/// whenever a stored field changes meaning or shape.
///
/// - 1: the first layout.
/// - 2: complaints hold their event history (`events`) instead of flags. Layout-1
///   complaints are converted when they are deserialised ([`LegacyComplaint::into_events`]),
///   so backups and databases of layout 1 load unchanged; an older app refuses a layout-2
///   backup as newer instead of misreading it.
pub const SCHEMA_VERSION: u32 = 2;

/// A record identifier. Opaque text, unique within its record kind.
pub type Id = String;

/// A point in time, always UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;

/// A calendar date without time zone (order dates, visit dates).
pub type Date = chrono::NaiveDate;

/// Deserialises a map refusing a key that comes twice (serde's own map keeps the last one
/// silently; a backup's checked reading refuses it too, naming it).
pub(crate) fn unique_keys<'de, D, V>(d: D) -> Result<std::collections::BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = std::collections::BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
            let mut map = std::collections::BTreeMap::new();
            while let Some((k, v)) = access.next_entry::<String, V>()? {
                if map.contains_key(&k) {
                    return Err(serde::de::Error::custom(format_args!("the key “{k}” appears twice")));
                }
                map.insert(k, v);
            }
            Ok(map)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

/// The kinds of stored records, in the order they are validated, stored and exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// [`Customer`]
    Customer,
    /// [`Contact`]
    Contact,
    /// [`OrderLine`]
    OrderLine,
    /// [`Interaction`]
    Interaction,
    /// [`Complaint`]
    Complaint,
    /// [`Survey`]
    Survey,
    /// [`SurveyResponse`]
    SurveyResponse,
}

impl RecordKind {
    /// All kinds, in dependency order (a kind only refers to kinds before it).
    pub const ALL: [RecordKind; 7] = [
        RecordKind::Customer,
        RecordKind::Contact,
        RecordKind::OrderLine,
        RecordKind::Interaction,
        RecordKind::Complaint,
        RecordKind::Survey,
        RecordKind::SurveyResponse,
    ];

    /// The stable plural name used as backup key and IndexedDB object store name.
    pub fn store_name(self) -> &'static str {
        match self {
            RecordKind::Customer => "customers",
            RecordKind::Contact => "contacts",
            RecordKind::OrderLine => "orders",
            RecordKind::Interaction => "interactions",
            RecordKind::Complaint => "complaints",
            RecordKind::Survey => "surveys",
            RecordKind::SurveyResponse => "responses",
        }
    }
}

/// All records of a workspace: what the app stores and what a backup carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Dataset {
    /// Customers 客户.
    pub customers: Vec<Customer>,
    /// Contact persons 联系人.
    pub contacts: Vec<Contact>,
    /// Order lines 交易.
    pub orders: Vec<OrderLine>,
    /// Interactions 接触记录.
    pub interactions: Vec<Interaction>,
    /// Complaints 投诉.
    pub complaints: Vec<Complaint>,
    /// Surveys 满意度调查.
    pub surveys: Vec<Survey>,
    /// Survey responses.
    pub responses: Vec<SurveyResponse>,
}

/// Number of records per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    /// Customers.
    pub customers: usize,
    /// Contacts.
    pub contacts: usize,
    /// Order lines.
    pub orders: usize,
    /// Interactions.
    pub interactions: usize,
    /// Complaints.
    pub complaints: usize,
    /// Surveys.
    pub surveys: usize,
    /// Survey responses.
    pub responses: usize,
}

impl Counts {
    /// Count for one kind.
    pub fn get(&self, kind: RecordKind) -> usize {
        match kind {
            RecordKind::Customer => self.customers,
            RecordKind::Contact => self.contacts,
            RecordKind::OrderLine => self.orders,
            RecordKind::Interaction => self.interactions,
            RecordKind::Complaint => self.complaints,
            RecordKind::Survey => self.surveys,
            RecordKind::SurveyResponse => self.responses,
        }
    }

    /// Sum over all kinds.
    pub fn total(&self) -> usize {
        RecordKind::ALL.iter().map(|k| self.get(*k)).sum()
    }
}

impl Dataset {
    /// Record counts per kind.
    pub fn counts(&self) -> Counts {
        Counts {
            customers: self.customers.len(),
            contacts: self.contacts.len(),
            orders: self.orders.len(),
            interactions: self.interactions.len(),
            complaints: self.complaints.len(),
            surveys: self.surveys.len(),
            responses: self.responses.len(),
        }
    }

    /// True when no record of any kind is present.
    pub fn is_empty(&self) -> bool {
        self.counts().total() == 0
    }
}

/// What every stored record has in common: its kind, id and change time. Validation,
/// import merging and per-record backup decoding are written once against this trait.
pub trait Record {
    /// The record kind of the implementing type.
    const KIND: RecordKind;
    /// The record's id.
    fn id(&self) -> &str;
    /// When the record was created.
    fn created_at(&self) -> Timestamp;
    /// When the record was last changed; an import keeps the newer copy of a record.
    fn updated_at(&self) -> Timestamp;
}

macro_rules! impl_record {
    ($($ty:ty => $kind:ident),* $(,)?) => {
        $(impl Record for $ty {
            const KIND: RecordKind = RecordKind::$kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn created_at(&self) -> Timestamp {
                self.created_at
            }
            fn updated_at(&self) -> Timestamp {
                self.updated_at
            }
        })*
    };
}

impl_record! {
    Customer => Customer,
    Contact => Contact,
    OrderLine => OrderLine,
    Interaction => Interaction,
    Complaint => Complaint,
    Survey => Survey,
    SurveyResponse => SurveyResponse,
}
