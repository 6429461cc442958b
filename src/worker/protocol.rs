//! Messages between the page and the worker, encoded as MessagePack into one `Uint8Array`
//! each way (the buffer is transferred, not copied).

use clientscope_core::satisfaction::pls::{BootstrapPart, PlsModel, PlsParams, PlsReport};
use clientscope_core::model::{Survey, SurveyResponse};
use clientscope_core::satisfaction::analysis::{SurveyParams, SurveyReport};
use clientscope_core::satisfaction::ItemTable;
use clientscope_core::segment::kmeans::{CurvePart, KMeansData, KMeansParams};
use clientscope_core::dashboard::DashboardParams;
use clientscope_core::model::{Complaint, Interaction};
use clientscope_core::service::calendar::WorkCalendar;
use clientscope_core::service::complaints::SlaPolicy;
use clientscope_core::service::visits::VisitParams;
use clientscope_core::value::abc::AbcClass;
use clientscope_core::value::matrix::ValueQuadrant;
use clientscope_core::value::lifecycle::ListEntry;
use clientscope_core::value::report::ReviewEntry;
use clientscope_core::value::{CustomerValue, ValueParams, ValueReport};
use clientscope_core::error::Bilingual;
use clientscope_core::io::export::ExportTable;
use clientscope_core::io::import::{ImportOutcome, MergeRule, Pending as ImportPending, Rejected, UnknownCustomer};
use clientscope_core::io::mapping::{ImportKind, Mapping};
use clientscope_core::io::table::{FileFormat, Table};
use clientscope_core::model::{Contact, Customer, OrderLine, Timestamp};
use crate::store::{SnapshotReason, StoreError};
use clientscope_core::backup::{BackupHeader, ImportMode, ImportPlan};
use clientscope_core::model::Dataset;
use clientscope_core::orders::{Chunk, Dict, Dictionaries};
use serde::{Deserialize, Serialize};

/// A request from the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The IndexedDB database to read the records from.
    pub db: String,
    /// Which state of the records the page holds; the worker re-reads the database when it
    /// differs from what it read last.
    pub generation: u64,
    /// The page's customer ids in its order, sent with the first request of a generation;
    /// the reports are aligned with this order (`report.customers[i]` is the page's
    /// `customers[i]`).
    pub ids: Option<Vec<String>>,
    /// What to compute.
    pub job: Job,
}

/// The work a request asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// The value analysis (SPEC §3) with these parameters.
    Value(ValueParams),
    /// The value analysis now and for the period before (the customer page's card).
    ValuePair(ValueParams),
    /// The dashboards (SPEC §8): the value analysis as of the period's end and as of the
    /// previous period's end on the records the worker holds, then the company view and
    /// the scorecard; the service records travel with the job.
    /// The [`DashboardJob`] as JSON: the service records carry serde attributes
    /// (flattened fields, tagged enums, skipped empty fields) that MessagePack's compact
    /// struct-as-array form cannot read back.
    Dashboard(String),
    /// A PLS path model fitted without bootstrap (the data travel with the job; no
    /// records are read).
    PlsFit {
        /// The path model.
        model: PlsModel,
        /// The answers.
        table: ItemTable,
        /// The parameters (their `resamples` are ignored).
        params: PlsParams,
    },
    /// Resamples `from..to` of the PLS bootstrap of the same model, data and parameters
    /// (one worker's share of a pool run).
    PlsBootstrap {
        /// The path model.
        model: PlsModel,
        /// The answers.
        table: ItemTable,
        /// The parameters.
        params: PlsParams,
        /// First resample.
        from: u32,
        /// One past the last resample.
        to: u32,
    },
    /// The analysis of one survey (SPEC §5: CSI with its bootstrap intervals, NPS, IPA,
    /// reliability, breakdowns); the survey and its responses travel with the job.
    Survey {
        /// The survey.
        survey: Box<Survey>,
        /// Its responses (others are ignored by the analysis).
        responses: Vec<SurveyResponse>,
        /// The parameters.
        params: SurveyParams,
    },
    /// The k-means curves (and each k's report) for the listed k (one worker's share).
    KMeansCurve {
        /// The table to cluster.
        data: KMeansData,
        /// The parameters (their `k` is ignored).
        params: KMeansParams,
        /// The k to fit, ascending.
        ks: Vec<usize>,
    },
    /// A table written as an `.xlsx` workbook (the writer is linked into the worker only,
    /// so the page's own wasm does not carry it).
    Xlsx {
        /// The table, as the page shows it and its CSV holds it.
        table: ExportTable,
        /// The workbook's creation time (the page's local time; the worker has no time zone
        /// of its own to trust).
        created: chrono::NaiveDateTime,
    },
    /// Opens the file sent beside the request (decoding text in `encoding`, or detecting
    /// it) and reads its first rows (of `sheet` for a workbook).
    ImportOpen {
        /// The file.
        file: FileRef,
        /// The encoding the user chose (`None`: detect).
        encoding: Option<String>,
        /// The sheet (`None`: the first).
        sheet: Option<String>,
    },
    /// Runs the import of the file sent beside the request against the stored customers
    /// (decode, parse, validate, plan; nothing is written), with progress
    /// ([`Reply::Checking`]).
    ImportCheck(Box<CheckJob>),
    /// A snapshot of everything stored (a backup text in the snapshot store, the oldest
    /// beyond the kept number dropped), read and written by the worker itself: exporting
    /// a department's records is seconds of work the page's thread must not do.
    /// Reads and checks the backup file sent beside the request (parse, validate) and
    /// plans its import against what is stored, in both modes; the worker keeps the
    /// backup for [`Job::BackupApply`].
    BackupOpen {
        /// The file.
        file: FileRef,
    },
    /// The backup of [`Job::BackupOpen`] (read again from the file sent beside the request
    /// when the worker no longer holds it) applied to what is stored in `mode`: the records
    /// come back in slices ([`Reply::DatasetPart`], [`Reply::LinesStart`],
    /// [`Reply::LinesPart`]) and the page writes them.
    BackupApply {
        /// The backup file, or a snapshot.
        source: BackupSource,
        /// Merge or replace.
        mode: ImportMode,
    },
    /// Everything stored, exported as a backup file: the worker reads the records,
    /// writes the JSON text and hands the page a `Blob` of it (sent beside the reply), so
    /// the page's thread neither builds nor copies the text.
    BackupExport {
        /// The settings to carry, as JSON (see [`Job::Snapshot`]).
        settings: String,
        /// The export time (in the header).
        now: Timestamp,
    },
    Snapshot {
        /// Why.
        reason: SnapshotReason,
        /// The settings that travel with a backup, as JSON (their service settings carry
        /// serde attributes the compact form cannot read back).
        settings: String,
        /// The snapshot's time (its key).
        now: Timestamp,
    },
}

/// What [`Job::Dashboard`] needs beside the customers and order lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardJob {
    /// The value page's parameters; their as-of date is replaced by the period's end (and
    /// by the previous period's end for the comparison).
    pub value: ValueParams,
    /// The dashboard's parameters (checked in the worker).
    pub params: DashboardParams,
    /// Every interaction.
    pub interactions: Vec<Interaction>,
    /// Every complaint.
    pub complaints: Vec<Complaint>,
    /// The survey whose CSI is shown, if any.
    pub survey: Option<Survey>,
    /// Its responses.
    pub responses: Vec<SurveyResponse>,
    /// The working calendar.
    pub calendar: WorkCalendar,
    /// The SLA policy.
    pub policy: SlaPolicy,
    /// The visit settings (checked in the worker).
    pub visits: VisitParams,
}

impl Job {
    /// Whether the job carries its data (the worker reads no records for it).
    pub fn carries_data(&self) -> bool {
        !matches!(self, Job::Value(_) | Job::ValuePair(_) | Job::Dashboard(_) | Job::ImportCheck(_) | Job::Snapshot { .. } | Job::BackupOpen { .. } | Job::BackupApply { .. } | Job::BackupExport { .. })
    }
}

/// A message from the worker. Errors come back in both languages ([`Bilingual`]): the
/// page shows them in its language at the time, and again in the other one when the user
/// switches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// Steps done of the total.
    Progress {
        /// Steps done.
        done: u32,
        /// All steps.
        total: u32,
    },
    /// The value analysis, or why it could not run.
    Value(Result<ValueReport, Bilingual>),
    /// The two analyses of [`Job::ValuePair`].
    ValuePair(Result<Box<(ValueReport, ValueReport)>, Bilingual>),
    /// The report of [`Job::Dashboard`] as JSON (see there).
    Dashboard(Result<String, Bilingual>),
    /// The fit of [`Job::PlsFit`].
    Pls(Result<PlsReport, Bilingual>),
    /// The draws of [`Job::PlsBootstrap`].
    PlsBootstrap(Result<BootstrapPart, Bilingual>),
    /// The report of [`Job::Survey`].
    Survey(Result<Box<SurveyReport>, Bilingual>),
    /// The share of [`Job::KMeansCurve`].
    KMeansCurve(Result<CurvePart, Bilingual>),
    /// The workbook of [`Job::Xlsx`] (its bytes as one MessagePack binary, not an array of
    /// numbers).
    Xlsx(Result<serde_bytes::ByteBuf, Bilingual>),
    /// The next rows of the per-customer columns of the final reply's report number
    /// `report` (0, or 1 for the second of [`Reply::ValuePair`]), sent before it in slices
    /// of [`PART_ROWS`]: the page decodes each slice in a task of its own, where one
    /// message of 100k customers would hold its thread for a few hundred milliseconds. The
    /// final reply then comes with these columns empty.
    CustomerPart {
        /// Which report of the final reply the rows belong to.
        report: u8,
        /// The rows.
        rows: ReportRows,
    },
    /// The file of [`Job::ImportOpen`] (as named MessagePack of [`Opened`]: a sample's row
    /// issues are an internally tagged enum).
    ImportOpened(Result<serde_bytes::ByteBuf, Bilingual>),
    /// Progress of [`Job::ImportCheck`]: `done` of `total` (bytes of text, or rows of a
    /// sheet), and the rows read and rejected so far.
    Checking {
        /// Bytes or rows done.
        done: u64,
        /// All of them (0 when a sheet does not say).
        total: u64,
        /// Rows read.
        rows: u64,
        /// Rows rejected.
        rejected: u64,
    },
    /// The next records and rows of the final [`Reply::ImportChecked`]'s outcome, sent
    /// before it in slices of [`OUTCOME_ROWS`] (as [`Reply::CustomerPart`] for a report).
    OutcomePart(OutcomeRows),
    /// The column lengths of the [`Reply::OutcomePart`]s to come ([`OutcomeRows::lens`]),
    /// sent before them.
    OutcomeAhead(Vec<u64>),
    /// The outcome of [`Job::ImportCheck`], its records and rows sent before it.
    ImportChecked(Result<Box<ImportOutcome>, Bilingual>),
    /// The backup of [`Job::BackupOpen`] as JSON of [`BackupPreview`] (settings and
    /// header carry serde attributes the compact form cannot read back).
    BackupOpened(Result<String, Bilingual>),
    /// The next records of [`Job::BackupApply`]'s result but its order lines.
    DatasetPart(DatasetRows),
    /// The column lengths of the [`Reply::DatasetPart`]s to come, sent before them.
    DatasetAhead(Vec<u64>),
    /// The order lines of [`Job::BackupApply`]'s result begin: their dictionaries and
    /// number; the chunks follow ([`Reply::LinesPart`]).
    LinesStart {
        /// The dictionaries, each packed ([`Dictionaries::pack`]).
        dicts: Vec<(String, serde_bytes::ByteBuf)>,
        /// Lines in all.
        lines: u64,
    },
    /// The next chunk of the order lines, as stored ([`WireChunk`]).
    LinesPart(WireChunk),
    /// [`Job::BackupApply`] done: the backup's settings as JSON (the records came
    /// before).
    BackupApplied(Result<String, Bilingual>),
    /// [`Job::BackupExport`] done: the text's length in bytes (the `Blob` comes beside the
    /// reply).
    BackupExported(Result<u64, Bilingual>),
    /// [`Job::Snapshot`] done (`Ok(false)`: nothing was stored, so none was taken).
    Snapshot(Result<bool, StoreError>),
    /// The records could not be read or the request not understood.
    Failed(Bilingual),
    /// The page must send its customer ids (the worker holds none for this generation).
    NeedIds,
    /// The worker has started and listens (a message posted before this would be lost:
    /// the handler is installed only once the wasm is compiled).
    Ready,
}

/// Rows per [`Reply::CustomerPart`]: the first slice is small, then each doubles up to the
/// largest. Measured in Chromium at 100k customers: while the page's decoder is still
/// cold (its first ~200 ms) a customer takes up to 25 µs (2,048 took 30-50 ms), once warm
/// about 5 µs (2,048 in 10-13 ms). Slices of 512 keep a cold slice well under 50 ms.
pub const PART_ROWS: (usize, usize) = (64, 512);

/// Declares a struct of the columns of `$owner` with one entry per record (per customer,
/// per rank, per listed customer, per imported row), which make up nearly all of a large
/// reply's bytes, each named with its place in `$owner`; the struct moves them out of and
/// back into it and cuts them into slices (see [`Reply::CustomerPart`]).
macro_rules! rows_of {
    ($(#[$doc:meta])* $rows:ident for $owner:ty { $($(#[$attr:meta])* $name:ident: $ty:ty => $($place:ident).+;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct $rows {
            $($(#[$attr])* $name: Vec<$ty>,)+
        }

        impl $rows {
            /// Moves the columns out of `r` (leaving them empty).
            pub fn take(r: &mut $owner) -> Self {
                $rows { $($name: std::mem::take(&mut r.$($place).+),)+ }
            }

            /// Puts the columns back into `r`.
            pub fn put(self, r: &mut $owner) {
                $(r.$($place).+ = self.$name;)+
            }

            /// The length of each column.
            pub fn lens(&self) -> Vec<u64> {
                vec![$(self.$name.len() as u64,)+]
            }

            /// Room for `lens` more rows in each column (as [`Self::lens`] gives them): a
            /// column joined from slices then never copies itself to grow.
            pub fn reserve(&mut self, lens: &[u64]) {
                let mut lens = lens.iter();
                $(self.$name.reserve(lens.next().map_or(0, |&n| n as usize));)+
            }

            /// Appends the rows of `next`.
            pub fn extend(&mut self, next: $rows) {
                $(self.$name.extend(next.$name);)+
            }

            /// The rows in slices, in order: the first of at most `first` entries of each
            /// column, each next one twice as long up to `most` (none when every column is
            /// empty). `extend` over them gives `self` back.
            pub fn slices(self, (first, most): (usize, usize)) -> Vec<$rows> {
                let mut size = first.max(1);
                $(let mut $name = self.$name.into_iter();)+
                let mut out = Vec::new();
                loop {
                    let slice = $rows { $($name: $name.by_ref().take(size).collect(),)+ };
                    if slice == $rows::default() {
                        return out;
                    }
                    out.push(slice);
                    size = (size * 2).min(most.max(1));
                }
            }
        }
    };
}

rows_of! {
    /// The per-customer columns of a [`ValueReport`] (see [`Reply::CustomerPart`]).
    ReportRows for ValueReport {
        customers: CustomerValue => customers;
        abc_class: AbcClass => abc.class;
        abc_order: usize => abc.order;
        abc_share_before: f64 => abc.share_before;
        abc_share_through: f64 => abc.share_through;
        quadrant: ValueQuadrant => matrix.quadrant;
        warning: ListEntry => warning;
        win_back: ListEntry => win_back;
        review: ReviewEntry => review;
    }
}

rows_of! {
    /// The records and report rows of an [`ImportOutcome`] (see [`Reply::OutcomePart`]).
    /// Complaints (alone or pending) carry serde attributes (a flattened legacy part, an
    /// internally tagged event, skipped empty fields) that MessagePack's compact
    /// struct-as-array form cannot read back: they go as a nested MessagePack with field
    /// names ([`named`]).
    OutcomeRows for ImportOutcome {
        customers: Customer => added.customers;
        contacts: Contact => added.contacts;
        #[serde(with = "lines_wire")]
        orders: OrderLine => added.orders;
        interactions: Interaction => added.interactions;
        #[serde(with = "named")]
        complaints: Complaint => added.complaints;
        surveys: Survey => added.surveys;
        responses: SurveyResponse => added.responses;
        updated: Customer => updated;
        #[serde(with = "pending_wire")]
        pending: ImportPending => pending;
        unknown_customers: UnknownCustomer => unknown_customers;
        rejected: Rejected => rejected;
    }
}

rows_of! {
    /// The records of a [`Dataset`] but its order lines (which travel as chunks,
    /// [`Reply::LinesPart`]); complaints nested with field names as in [`OutcomeRows`].
    DatasetRows for Dataset {
        customers: Customer => customers;
        contacts: Contact => contacts;
        interactions: Interaction => interactions;
        #[serde(with = "named")]
        complaints: Complaint => complaints;
        surveys: Survey => surveys;
        responses: SurveyResponse => responses;
    }
}

/// Where the backup of [`Job::BackupApply`] comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackupSource {
    /// The file of [`Job::BackupOpen`] (sent beside the request).
    File(FileRef),
    /// The snapshot stored under this key.
    Snapshot(String),
}

/// What the Data page shows of a backup before its import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupPreview {
    /// The header (when, which version).
    pub header: BackupHeader,
    /// The import in merge mode.
    pub merge: ImportPlan,
    /// The import in replace mode.
    pub replace: ImportPlan,
}

/// A stored chunk of order lines on the wire: its columns as binaries (copied, not
/// decoded number by number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WireChunk {
    index: u32,
    lines: u32,
    columns: Vec<serde_bytes::ByteBuf>,
    id_text: String,
}

impl From<Chunk> for WireChunk {
    fn from(c: Chunk) -> Self {
        let columns = [c.customer, c.day, c.amount, c.profit, c.profit_known, c.quantity, c.quantity_known, c.order_no, c.product, c.category, c.channel, c.id_end, c.created_ns, c.updated_ns];
        WireChunk { index: c.index, lines: c.lines, columns: columns.into_iter().map(serde_bytes::ByteBuf::from).collect(), id_text: c.id_text }
    }
}

impl From<WireChunk> for Chunk {
    fn from(w: WireChunk) -> Self {
        let mut cols = w.columns.into_iter().map(serde_bytes::ByteBuf::into_vec);
        let mut next = || cols.next().unwrap_or_default();
        Chunk {
            index: w.index,
            lines: w.lines,
            customer: next(),
            day: next(),
            amount: next(),
            profit: next(),
            profit_known: next(),
            quantity: next(),
            quantity_known: next(),
            order_no: next(),
            product: next(),
            category: next(),
            channel: next(),
            id_end: next(),
            created_ns: next(),
            updated_ns: next(),
            id_text: w.id_text,
        }
    }
}

/// The dictionaries packed for the wire ([`Reply::LinesStart`]).
pub fn pack_dicts(lists: [&Dict; 5]) -> Vec<(String, serde_bytes::ByteBuf)> {
    lists.iter().map(|l| {
        let (text, ends) = Dictionaries::pack(l);
        (text, serde_bytes::ByteBuf::from(ends))
    }).collect()
}

/// The inverse of [`pack_dicts`]; `None` when damaged.
pub fn unpack_dicts(lists: &[(String, serde_bytes::ByteBuf)]) -> Option<Dictionaries> {
    let mut it = lists.iter().map(|(text, ends)| Dictionaries::unpack(text, ends));
    let mut next = || it.next().flatten();
    Some(Dictionaries { customers: next()?, order_nos: next()?, products: next()?, categories: next()?, channels: next()? })
}

/// Rows per [`Reply::OutcomePart`] and [`Reply::DatasetPart`], as [`PART_ROWS`]: a
/// customer record costs the page's decoder about what a customer's value row does (its
/// times are parsed from text; in a profile 2,048 of them took ~60 ms), while order
/// lines, sent as columns, cost a fraction of that.
pub const OUTCOME_ROWS: (usize, usize) = (64, 512);

/// A value nested as MessagePack with field names (a binary inside the compact message),
/// for types whose serde attributes need a self-describing form (`#[serde(with = "named")]`).
pub mod named {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Serialises `v` as a binary holding its named MessagePack.
    pub fn serialize<T: Serialize, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        let bytes = rmp_serde::to_vec_named(v).map_err(S::Error::custom)?;
        s.serialize_bytes(&bytes)
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(d)?;
        rmp_serde::from_slice(&bytes).map_err(D::Error::custom)
    }
}

/// Order lines on the wire as columns: their six texts concatenated with end offsets,
/// and the numbers, dates and times as little-endian binaries. An import's million lines
/// come to the page this way; as MessagePack structs each line cost the page's decoder
/// several microseconds (field by field, the dates and times as text to parse), which
/// made the page, not the worker, the slow end of the check. Written by hand: it is the
/// store's chunk layout for rows that are not in a table yet, and no crate knows it.
/// Lossless: floats by their bits, times as seconds and nanoseconds.
pub mod lines_wire {
    use chrono::Datelike;
    use clientscope_core::model::OrderLine;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_bytes::ByteBuf;

    #[derive(Serialize, Deserialize)]
    struct Columns {
        /// id, customer id, order number, product, category, channel of each line.
        text: String,
        /// `u32` end of each of those six in `text`.
        ends: ByteBuf,
        /// `i32` days from the common era.
        day: ByteBuf,
        /// `f64` bits: amount, profit, quantity of each line.
        numbers: ByteBuf,
        /// One byte a line: bit 0 profit known, bit 1 quantity known.
        known: ByteBuf,
        /// `i64` seconds and `u32` nanoseconds: created, then updated, of each line.
        times: ByteBuf,
    }

    /// Writes the lines as [`Columns`].
    pub fn serialize<S: Serializer>(lines: &[OrderLine], s: S) -> Result<S::Ok, S::Error> {
        let n = lines.len();
        let mut c = Columns {
            text: String::new(),
            ends: ByteBuf::with_capacity(n * 24),
            day: ByteBuf::with_capacity(n * 4),
            numbers: ByteBuf::with_capacity(n * 24),
            known: ByteBuf::with_capacity(n),
            times: ByteBuf::with_capacity(n * 24),
        };
        for l in lines {
            for t in [&l.id, &l.customer_id, &l.order_no, &l.product, &l.category, &l.channel] {
                c.text.push_str(t);
                c.ends.extend_from_slice(&(c.text.len() as u32).to_le_bytes());
            }
            c.day.extend_from_slice(&l.date.num_days_from_ce().to_le_bytes());
            for v in [l.amount, l.profit.unwrap_or(0.0), l.quantity.unwrap_or(0.0)] {
                c.numbers.extend_from_slice(&v.to_bits().to_le_bytes());
            }
            c.known.push(u8::from(l.profit.is_some()) | (u8::from(l.quantity.is_some()) << 1));
            for t in [&l.created_at, &l.updated_at] {
                c.times.extend_from_slice(&t.timestamp().to_le_bytes());
                c.times.extend_from_slice(&t.timestamp_subsec_nanos().to_le_bytes());
            }
        }
        c.serialize(s)
    }

    /// Reads what [`serialize`] wrote; a damaged message is an error, not a panic.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<OrderLine>, D::Error> {
        let c = Columns::deserialize(d)?;
        let n = c.known.len();
        if c.ends.len() != n * 24 || c.day.len() != n * 4 || c.numbers.len() != n * 24 || c.times.len() != n * 24 {
            return Err(D::Error::custom("order lines: columns of different lengths"));
        }
        let bytes = |b: &[u8], at: usize| -> [u8; 8] { b[at..at + 8].try_into().unwrap_or_default() };
        let word = |b: &[u8], at: usize| -> [u8; 4] { b[at..at + 4].try_into().unwrap_or_default() };
        let mut start = 0usize;
        let mut text = |k: usize| -> Result<String, D::Error> {
            let end = u32::from_le_bytes(word(&c.ends, k * 4)) as usize;
            let s = c.text.get(start..end).ok_or_else(|| D::Error::custom("order lines: bad text offsets"))?.to_owned();
            start = end;
            Ok(s)
        };
        let time = |at: usize| -> Result<clientscope_core::model::Timestamp, D::Error> {
            let secs = i64::from_le_bytes(bytes(&c.times, at));
            let nanos = u32::from_le_bytes(word(&c.times, at + 8));
            chrono::DateTime::from_timestamp(secs, nanos).ok_or_else(|| D::Error::custom("order lines: bad time"))
        };
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let (id, customer_id, order_no, product, category, channel) = (text(6 * i)?, text(6 * i + 1)?, text(6 * i + 2)?, text(6 * i + 3)?, text(6 * i + 4)?, text(6 * i + 5)?);
            let day = i32::from_le_bytes(word(&c.day, i * 4));
            let date = chrono::NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(|| D::Error::custom("order lines: bad date"))?;
            let number = |k: usize| f64::from_bits(u64::from_le_bytes(bytes(&c.numbers, (3 * i + k) * 8)));
            let known = c.known[i];
            out.push(OrderLine {
                id,
                customer_id,
                order_no,
                date,
                amount: number(0),
                profit: (known & 1 != 0).then(|| number(1)),
                product,
                category,
                quantity: (known & 2 != 0).then(|| number(2)),
                channel,
                created_at: time(i * 24)?,
                updated_at: time(i * 24 + 12)?,
            });
        }
        Ok(out)
    }
}

/// Records waiting for their unknown customer ([`ImportPending`]) on the wire: order
/// lines (an import of lines for customers not stored yet has a million of them) as
/// [`lines_wire`] columns with their rows, anything else nested with field names
/// ([`named`]: complaints need it).
pub mod pending_wire {
    use super::ImportPending;
    use clientscope_core::io::import::PendingRecord;
    use clientscope_core::model::OrderLine;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_bytes::ByteBuf;

    #[derive(Serialize, Deserialize)]
    enum Wire {
        /// Every record is an order line: `u64` row and unknown-customer index of each,
        /// then the lines.
        Orders(ByteBuf, #[serde(with = "super::lines_wire")] Vec<OrderLine>),
        /// Anything else.
        #[serde(with = "super::named")]
        Named(Vec<ImportPending>),
    }

    /// Writes the records as [`Wire`].
    pub fn serialize<S: Serializer>(pending: &[ImportPending], s: S) -> Result<S::Ok, S::Error> {
        let lines: Option<Vec<OrderLine>> = pending.iter().map(|p| match &p.record {
            PendingRecord::Order(l) => Some(l.clone()),
            _ => None,
        }).collect();
        match lines {
            Some(lines) => {
                let mut at = ByteBuf::with_capacity(pending.len() * 16);
                for p in pending {
                    at.extend_from_slice(&(p.row as u64).to_le_bytes());
                    at.extend_from_slice(&(p.unknown as u64).to_le_bytes());
                }
                Wire::Orders(at, lines).serialize(s)
            }
            None => Wire::Named(pending.to_vec()).serialize(s),
        }
    }

    /// Reads what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ImportPending>, D::Error> {
        match Wire::deserialize(d)? {
            Wire::Named(v) => Ok(v),
            Wire::Orders(at, lines) => {
                if at.len() != lines.len() * 16 {
                    return Err(D::Error::custom("pending lines: columns of different lengths"));
                }
                let word = |k: usize| u64::from_le_bytes(at[k * 8..k * 8 + 8].try_into().unwrap_or_default()) as usize;
                Ok(lines.into_iter().enumerate().map(|(i, l)| ImportPending { row: word(2 * i), unknown: word(2 * i + 1), record: PendingRecord::Order(l) }).collect())
            }
        }
    }
}

/// The file the import works on: the page holds the browser's `File` (sent beside each
/// import request, which copies no bytes) and this token, which changes with every file
/// chosen; the worker keeps the file's bytes for the token and reads them again only for
/// another token (or after it was restarted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// Changes with every file chosen.
    pub token: u64,
    /// The file's name (its extension tells the format when the content does not).
    pub name: String,
}

/// What the page shows of a chosen file (its bytes stay in the worker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileBody {
    /// Text, decoded.
    Text {
        /// CSV or TSV.
        format: FileFormat,
        /// The encoding it was read in.
        encoding: String,
        /// The encoding the user chose (`None`: detected).
        forced: Option<String>,
        /// Whether some bytes were not valid in that encoding.
        malformed: bool,
    },
    /// A workbook.
    Workbook {
        /// Its sheets, in order.
        sheets: Vec<String>,
    },
}

/// A file opened by [`Job::ImportOpen`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opened {
    /// Its size in bytes.
    pub size: u64,
    /// What it is.
    pub body: FileBody,
    /// Its first rows (of the sheet asked for, or the first sheet).
    pub sample: Table,
}

/// What [`Job::ImportCheck`] needs beside the file and the stored customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckJob {
    /// The file.
    pub file: FileRef,
    /// The encoding the user chose for a text file (`None`: detect).
    pub encoding: Option<String>,
    /// The sheet of a workbook (`None`: the first).
    pub sheet: Option<String>,
    /// What the rows are.
    pub kind: ImportKind,
    /// The column mapping.
    pub mapping: Mapping,
    /// The survey that responses belong to.
    pub survey: Option<Survey>,
    /// The customer merge rule.
    pub merge: MergeRule,
    /// The import time.
    pub now: Timestamp,
    /// Prefix of new ids.
    pub id_prefix: String,
}

/// Encodes a message.
pub fn encode<T: Serialize>(m: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec(m).map_err(|e| format!("encode: {e}"))
}

/// Encodes a value as MessagePack with field names (see [`Reply::ImportOpened`]).
pub fn encode_named<T: Serialize>(m: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(m).map_err(|e| format!("encode: {e}"))
}

/// Decodes a message.
pub fn decode<T: for<'de> Deserialize<'de>>(b: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(b).map_err(|e| format!("decode: {e}"))
}

/// A failure of the machinery rather than of the analysis (a message that could not be
/// encoded or decoded, a worker that did not start or stopped, a reply of the wrong
/// kind), in both languages; the technical detail (often the browser's or a library's
/// English) is kept at the end, for a bug report.
pub fn technical(detail: &str) -> Bilingual {
    Bilingual::new(
        format!("后台计算出错，请重试；若仍然出错，请刷新页面。（技术细节：{detail}）"),
        format!("The background computation failed; please try again, and reload the page if it fails again. (Technical detail: {detail})"),
    )
}

