//! Shared reactive state and the actions that change it.
//!
//! [`AppState`] is one small `Copy` context provided by `App`; pages read it through
//! [`use_app`]. Records are held per kind (`Arc<Vec<_>>` in a signal; the order lines as
//! the core's columnar `Arc<OrderTable>`) so that an edit to a customer neither copies nor
//! recomputes the order lines. Every action that changes data
//! writes through [`crate::store`] first and updates the signals only after the write
//! succeeded: what the page shows is what is stored.

use crate::i18n::{fill, texts, Texts};
use crate::route::Route;
use crate::store::{self, prefs::UiPrefs, Db, SnapshotReason, StoreError};
use clientscope_core::model::{
    Complaint, Contact, Customer, Dataset, Interaction, Language, RecordKind, Settings, Survey,
    SurveyResponse,
};
use clientscope_core::orders::OrderTable;
use crate::store::db::LineWrite;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

thread_local! {
    static DB: RefCell<Option<Rc<Db>>> = const { RefCell::new(None) };
}

/// The open database (set once at start-up).
pub fn db() -> Result<Rc<Db>, StoreError> {
    DB.with(|d| d.borrow().clone()).ok_or_else(|| StoreError::Idb("database not open".into()))
}

/// The records, one signal per kind.
#[derive(Clone, Copy)]
pub struct Data {
    /// Customers.
    pub customers: RwSignal<Arc<Vec<Customer>>>,
    /// Contacts.
    pub contacts: RwSignal<Arc<Vec<Contact>>>,
    /// Order lines, as the core's columnar table.
    pub orders: RwSignal<Arc<OrderTable>>,
    /// Interactions.
    pub interactions: RwSignal<Arc<Vec<Interaction>>>,
    /// Complaints.
    pub complaints: RwSignal<Arc<Vec<Complaint>>>,
    /// Surveys.
    pub surveys: RwSignal<Arc<Vec<Survey>>>,
    /// Survey responses.
    pub responses: RwSignal<Arc<Vec<SurveyResponse>>>,
}

impl Data {
    fn new() -> Self {
        Data {
            customers: RwSignal::new(Arc::new(Vec::new())),
            contacts: RwSignal::new(Arc::new(Vec::new())),
            orders: RwSignal::new(Arc::new(OrderTable::default())),
            interactions: RwSignal::new(Arc::new(Vec::new())),
            complaints: RwSignal::new(Arc::new(Vec::new())),
            surveys: RwSignal::new(Arc::new(Vec::new())),
            responses: RwSignal::new(Arc::new(Vec::new())),
        }
    }

    /// Replaces every kind by the records of `d` and the lines of `lines` (`d.orders` is
    /// not read).
    pub fn set_all(&self, d: Dataset, lines: Arc<OrderTable>) {
        self.customers.set(Arc::new(d.customers));
        self.contacts.set(Arc::new(d.contacts));
        self.orders.set(lines);
        self.interactions.set(Arc::new(d.interactions));
        self.complaints.set(Arc::new(d.complaints));
        self.surveys.set(Arc::new(d.surveys));
        self.responses.set(Arc::new(d.responses));
    }

    /// Total number of records, untracked.
    pub fn total_untracked(&self) -> usize {
        self.customers.with_untracked(|v| v.len())
            + self.contacts.with_untracked(|v| v.len())
            + self.orders.with_untracked(|v| v.len())
            + self.interactions.with_untracked(|v| v.len())
            + self.complaints.with_untracked(|v| v.len())
            + self.surveys.with_untracked(|v| v.len())
            + self.responses.with_untracked(|v| v.len())
    }
}

/// A long operation in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    /// What is happening.
    pub label: String,
    /// (done, total) when countable.
    pub progress: Option<(usize, usize)>,
}

/// Something to undo from the toast.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo {
    /// Put back the records of a deleted customer.
    RestoreDeleted {
        /// The deleted records.
        records: Arc<Dataset>,
        /// The customer's name, for the message.
        name: String,
    },
    /// Put back the data as it was before a file import: the snapshot taken before it
    /// (`None` when there was no data then, so undo deletes everything again).
    RestoreSnapshot {
        /// Key of the snapshot.
        key: Option<String>,
    },
}

/// A short message at the bottom of the screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    /// The text.
    pub text: String,
    /// Whether it reports an error.
    pub error: bool,
    /// What "undo" does, when offered.
    pub undo: Option<Undo>,
}

/// The shared state.
#[derive(Clone, Copy)]
pub struct AppState {
    /// UI language.
    pub lang: RwSignal<Language>,
    /// Current view.
    pub route: RwSignal<Route>,
    /// Records.
    pub data: Data,
    /// The stored customers have been read: the customer list can show.
    pub loaded: RwSignal<bool>,
    /// The rest is still being read after start-up: the order lines, then the contacts,
    /// interactions, complaints, surveys and responses. Pages other than the customer list,
    /// the overview and the settings wait (see `app::Body`); figures that use the rest
    /// show "…"; actions that need it wait in [`rest_ready`].
    pub rest_loading: RwSignal<bool>,
    /// The busy overlay offers Cancel (a worker job runs).
    pub cancel_offered: RwSignal<bool>,
    /// Start-up failed (IndexedDB unavailable, …): the message.
    pub fatal: RwSignal<Option<String>>,
    /// Long operation in progress.
    pub busy: RwSignal<Option<Busy>>,
    /// Current toast.
    pub toast: RwSignal<Option<Toast>>,
    /// Settings (localStorage, travel in backups).
    pub settings: RwSignal<Settings>,
    /// Per-browser UI state.
    pub ui: RwSignal<UiPrefs>,
    /// A new version of the app is waiting (service worker).
    pub update_ready: RwSignal<bool>,
    /// Search, filters and sort of the customer list (kept across navigation).
    pub customer_query: RwSignal<clientscope_core::query::CustomerQuery>,
    /// The database was found empty at start while this browser remembered it held
    /// records: the browser's storage was cleared (eviction). Shown until dismissed or
    /// restored.
    pub evicted: RwSignal<Option<Evicted>>,
    /// The list a dashboard tile opened (the customer, complaint or visit list shows only
    /// these records until it is cleared).
    pub pick: RwSignal<Option<Pick>>,
}

/// What the eviction notice says.
#[derive(Debug, Clone, PartialEq)]
pub struct Evicted {
    /// Records the database held when last seen.
    pub records: usize,
    /// The last backup (from the settings, which localStorage kept).
    pub last_backup: Option<clientscope_core::model::Timestamp>,
}

/// The records behind a dashboard tile, and what the tile said (shown on the list).
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// What the tile said, e.g. "A 类客户 · 本月".
    pub label: String,
    /// The kind of the records.
    pub kind: clientscope_core::dashboard::ListKind,
    /// Their ids.
    pub ids: Arc<std::collections::HashSet<String>>,
}

impl Pick {
    /// The pick of a tile's list.
    pub fn new(label: String, list: &clientscope_core::dashboard::ListRef) -> Pick {
        Pick { label, kind: list.kind, ids: Arc::new(list.ids.iter().cloned().collect()) }
    }

    /// Whether the pick holds a record of this kind and id.
    pub fn has(&self, kind: clientscope_core::dashboard::ListKind, id: &str) -> bool {
        self.kind == kind && self.ids.contains(id)
    }
}

impl AppState {
    /// Creates the state from what localStorage holds.
    pub fn new() -> Self {
        let settings = store::prefs::load_settings();
        AppState {
            lang: RwSignal::new(settings.language),
            route: RwSignal::new(Route::Overview),
            data: Data::new(),
            loaded: RwSignal::new(false),
            rest_loading: RwSignal::new(false),
            cancel_offered: RwSignal::new(false),
            fatal: RwSignal::new(None),
            busy: RwSignal::new(None),
            toast: RwSignal::new(None),
            settings: RwSignal::new(settings),
            ui: RwSignal::new(store::prefs::load_ui()),
            update_ready: RwSignal::new(false),
            customer_query: RwSignal::new(Default::default()),
            pick: RwSignal::new(None),
            evicted: RwSignal::new(None),
        }
    }

    /// The texts of the current language (tracked).
    pub fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }

    /// The texts of the current language (untracked, for actions).
    pub fn t_untracked(&self) -> &'static Texts {
        texts(self.lang.get_untracked())
    }

    /// Shows a toast.
    pub fn say(&self, text: impl Into<String>) {
        self.toast.set(Some(Toast { text: text.into(), error: false, undo: None }));
    }

    /// Shows an error toast.
    pub fn fail(&self, text: impl Into<String>) {
        self.toast.set(Some(Toast { text: text.into(), error: true, undo: None }));
    }

    /// Shows a storage error.
    pub fn fail_store(&self, e: &StoreError) {
        self.fail(e.message(self.t_untracked()));
    }

    /// Starts a long operation. A plain message still shown from the last one ("cancelled",
    /// "saved") is taken away: it would otherwise stand over this one's results. A toast
    /// that offers undo, or says what went wrong, stays for its time.
    pub fn begin(&self, label: &str) {
        if self.toast.with_untracked(|t| t.as_ref().is_some_and(|t| !t.error && t.undo.is_none())) {
            self.toast.set(None);
        }
        self.busy.set(Some(Busy { label: label.to_string(), progress: None }));
    }

    /// Reports progress of the long operation.
    pub fn progress(&self, done: usize, total: usize) {
        self.busy.update(|b| {
            if let Some(b) = b {
                b.progress = Some((done, total));
            }
        });
    }

    /// Ends the long operation.
    pub fn end(&self) {
        self.busy.set(None);
    }

    /// Switches the language and remembers it.
    pub fn set_language(&self, lang: Language) {
        self.lang.set(lang);
        self.update_settings(|s| s.language = lang);
    }

    /// Changes the settings and writes them to localStorage.
    pub fn update_settings(&self, f: impl FnOnce(&mut Settings)) {
        self.settings.update(f);
        store::prefs::save_settings(&self.settings.get_untracked());
    }

    /// Changes the UI state and writes it to localStorage.
    pub fn update_ui(&self, f: impl FnOnce(&mut UiPrefs)) {
        self.ui.update(f);
        store::prefs::save_ui(&self.ui.get_untracked());
    }

    /// Navigates to a route.
    pub fn go(&self, route: &Route) {
        if let Some(w) = web_sys::window() {
            let _ = w.location().set_hash(&route.href());
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// The app state from context.
pub fn use_app() -> AppState {
    expect_context::<AppState>()
}

/// Lets the browser paint (a macrotask) before heavy synchronous work.
pub async fn yield_now() {
    sleep_ms(0).await;
}

/// A count that rises from 1 to `n`, one step per task (zero-delay timers): a large view
/// shows its parts one after another (`<Show when=move || stage.get() >= k>`), each built,
/// and laid out, in a task of its own rather than all in the one that built the view.
pub fn stages(n: usize) -> ReadSignal<usize> {
    fn next(stage: RwSignal<usize>, n: usize) {
        set_timeout(
            move || {
                if stage.try_update(|s| { *s += 1; *s }).is_some_and(|s| s < n) {
                    next(stage, n);
                }
            },
            std::time::Duration::ZERO,
        );
    }
    let stage = RwSignal::new(1);
    if n > 1 {
        next(stage, n);
    }
    stage.read_only()
}

/// Opens the database and reads everything, with progress.
pub async fn init(app: AppState) {
    let t = app.t_untracked();
    app.begin(t.loading);
    watch_versions(app);
    let db = match Db::open().await {
        Ok(db) => Rc::new(db),
        Err(e) => {
            app.fatal.set(Some(e.message(t)));
            app.end();
            return;
        }
    };
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    // Ask once per start for persistent storage (browsers grant it silently or never ask
    // again); the Data page shows the answer.
    if store::quota::persisted().await == Some(false) {
        let _ = store::quota::persist().await;
    }
    // The customers alone first: the customer list can show as soon as they are in (the
    // demo's contacts alone are twice as many records). The order lines follow as typed
    // arrays and fill in the list's figures; then the other kinds.
    let customers = db.load_customers().await;
    let customers = match customers {
        Ok(c) => c,
        Err(e) => {
            app.fatal.set(Some(e.message(t)));
            app.end();
            return;
        }
    };
    if !customers.is_empty() && !app.ui.get_untracked().started {
        app.update_ui(|u| u.started = true);
    }
    app.rest_loading.set(true);
    app.data.set_all(Dataset { customers, ..Dataset::default() }, Arc::new(OrderTable::default()));
    app.loaded.set(true);
    app.end();
    let rest = async {
        let lines = db.load_lines().await?;
        let any_lines = !lines.is_empty();
        app.data.orders.set(Arc::new(lines));
        let d = db.load_kinds(&[RecordKind::Contact, RecordKind::Interaction, RecordKind::Complaint, RecordKind::Survey, RecordKind::SurveyResponse]).await?;
        if (any_lines || !d.is_empty()) && !app.ui.get_untracked().started {
            app.update_ui(|u| u.started = true);
        }
        let data = app.data;
        data.contacts.set(Arc::new(d.contacts));
        data.interactions.set(Arc::new(d.interactions));
        data.complaints.set(Arc::new(d.complaints));
        data.surveys.set(Arc::new(d.surveys));
        data.responses.set(Arc::new(d.responses));
        Ok::<_, StoreError>(())
    };
    if let Err(e) = rest.await {
        app.fatal.set(Some(e.message(t)));
    }
    app.rest_loading.set(false);
    let held = store::prefs::load_held();
    if held > 0 && app.data.total_untracked() == 0 {
        app.evicted.set(Some(Evicted { records: held, last_backup: app.settings.with_untracked(|s| s.last_backup_at) }));
    }
    remember_what_is_held(app);
    follow_other_tabs(app);
    // A large write cut off by a closed or killed browser: the note in IndexedDB (on disk
    // once committed) or, failing that, the one in localStorage.
    let from_db = db.take_interrupted_write().await.ok().flatten();
    let from_prefs = store::prefs::take_interrupted_write();
    if let Some(at) = from_db.or(from_prefs) {
        let at = chrono::DateTime::parse_from_rfc3339(&at).map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()).unwrap_or(at);
        app.fail(fill(t.write_interrupted, &[("at", &at)]));
    }
    carry_out_intent(app);
}

/// Keeps `clientscope.held` (localStorage) at the number of records stored, so that a
/// start that finds the database emptied by the browser can say so. Not while the eviction
/// notice is up: a reload then still shows it.
fn remember_what_is_held(app: AppState) {
    Effect::new(move |_| {
        let held = app.data.customers.with(|v| v.len())
            + app.data.contacts.with(|v| v.len())
            + app.data.orders.with(|v| v.len())
            + app.data.interactions.with(|v| v.len())
            + app.data.complaints.with(|v| v.len())
            + app.data.surveys.with(|v| v.len())
            + app.data.responses.with(|v| v.len());
        if app.evicted.with(|e| e.is_none()) && !app.rest_loading.get() {
            store::prefs::remember_held(held);
        }
    });
}

/// What the page does when tabs of different versions meet on the database
/// ([`store::tabs::VersionEvent`]).
fn watch_versions(app: AppState) {
    use store::tabs::VersionEvent;
    store::tabs::on_version_event(move |e| {
        let t = app.t_untracked();
        match e {
            VersionEvent::Upgraded | VersionEvent::Deleted => {
                // Close every connection of this page (its own and the workers'), so the
                // newer tab's upgrade is not held up, and stop: a reload is the way on.
                DB.with(|d| d.borrow_mut().take());
                crate::jobs::cancel();
                app.end();
                app.fatal.set(Some(if e == VersionEvent::Deleted { t.db_deleted_elsewhere } else { t.db_upgraded_elsewhere }.to_string()));
            }
            VersionEvent::Blocked => app.begin(t.db_blocked),
            VersionEvent::Unblocked => app.begin(t.loading),
            VersionEvent::TooNew => {}
        }
    });
}

thread_local! {
    /// Reads of other tabs' changes under way (a backup waits for them).
    static SYNCING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Reads again what another tab wrote, as it announces it ([`store::tabs`]), and the
/// settings when another tab changes them.
fn follow_other_tabs(app: AppState) {
    use clientscope_core::model::RecordKind;
    store::tabs::listen(move |change| {
        SYNCING.with(|n| n.set(n.get() + 1));
        leptos::task::spawn_local(async move {
            let result = async {
                let db = db()?;
                let d = db.load_kinds(&change.kinds).await?;
                let lines = if change.has(RecordKind::OrderLine) { Some(db.load_lines().await?) } else { None };
                Ok::<_, StoreError>((d, lines))
            }
            .await;
            match result {
                Ok((d, lines)) => {
                    let data = app.data;
                    if change.has(RecordKind::Customer) {
                        data.customers.set(Arc::new(d.customers));
                    }
                    if change.has(RecordKind::Contact) {
                        data.contacts.set(Arc::new(d.contacts));
                    }
                    if let Some(lines) = lines {
                        data.orders.set(Arc::new(lines));
                    }
                    if change.has(RecordKind::Interaction) {
                        data.interactions.set(Arc::new(d.interactions));
                    }
                    if change.has(RecordKind::Complaint) {
                        data.complaints.set(Arc::new(d.complaints));
                    }
                    if change.has(RecordKind::Survey) {
                        data.surveys.set(Arc::new(d.surveys));
                    }
                    if change.has(RecordKind::SurveyResponse) {
                        data.responses.set(Arc::new(d.responses));
                    }
                    if data.total_untracked() > 0 && !app.ui.with_untracked(|u| u.started) {
                        app.update_ui(|u| u.started = true);
                    }
                }
                Err(e) => app.fail_store(&e),
            }
            SYNCING.with(|n| n.set(n.get().saturating_sub(1)));
        });
    });
    store::tabs::listen_settings(store::prefs::SETTINGS_KEY, move || {
        let mut s = store::prefs::load_settings();
        // The language is this tab's own choice.
        s.language = app.lang.get_untracked();
        app.settings.set(s);
    });
}

/// Waits until the changes other tabs announced are read (a backup then holds them).
pub async fn other_tabs_synced() {
    while SYNCING.with(|n| n.get()) > 0 {
        sleep_ms(20).await;
    }
}

/// Carries out the choice made on the first-visit welcome (`crate::first_visit`), once.
fn carry_out_intent(app: AppState) {
    use crate::route::Route;
    use store::prefs::Intent;
    let Some(intent) = store::prefs::take_intent() else { return };
    match intent {
        Intent::Demo => run(app, load_demo(app)),
        Intent::Restore | Intent::Empty | Intent::ImportFile => {
            app.update_ui(|u| u.started = true);
            // The welcome's choice leads to its page unless the address already names a
            // view: someone who went elsewhere while the app was loading stays there.
            let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
            if !matches!(Route::parse(&hash), Route::Overview) {
                return;
            }
            app.go(&match intent {
                Intent::Restore => Route::Data,
                Intent::ImportFile => Route::Import,
                _ => Route::Customers,
            });
        }
    }
}

/// An edit of the order lines: the table after it and what changed. Made only when there
/// are lines to apply, so that an edit without lines does not copy the whole table.
pub struct LinesEdit {
    table: OrderTable,
    change: clientscope_core::orders::TableChange,
}

impl LinesEdit {
    /// Applies `edit` to a copy of the current table when `rows` is not empty.
    pub fn new<E>(app: AppState, rows: &[clientscope_core::model::OrderLine], edit: impl FnOnce(&mut OrderTable, &[clientscope_core::model::OrderLine]) -> Result<clientscope_core::orders::TableChange, E>) -> Result<Option<LinesEdit>, E> {
        if rows.is_empty() {
            return Ok(None);
        }
        let mut table = (*app.data.orders.get_untracked()).clone();
        let change = edit(&mut table, rows)?;
        Ok(Some(LinesEdit { table, change }))
    }

    /// [`LinesEdit::new`] for an upsert of `rows`, in steps (`orders::Upsert`) with the
    /// browser's turn after each ~20 ms: a million new lines in one go would hold the
    /// page's thread for more than a second. `progress` gets the work done of all.
    pub async fn upsert(app: AppState, rows: &[clientscope_core::model::OrderLine], progress: impl Fn(usize, usize)) -> Option<LinesEdit> {
        if rows.is_empty() {
            return None;
        }
        let now = || web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now());
        let mut table = (*app.data.orders.get_untracked()).clone();
        let mut run = clientscope_core::orders::Upsert::new(&table, rows);
        let mut started = now();
        while !run.step(&mut table, 4096) {
            if now() - started >= 20.0 {
                let (done, total) = run.progress();
                progress(done, total);
                yield_now().await;
                started = now();
            }
        }
        let change = run.finish(&table);
        Some(LinesEdit { table, change })
    }

    /// What the store writes for `edit`.
    pub fn write(edit: &Option<LinesEdit>) -> LineWrite<'_> {
        match edit {
            Some(e) => LineWrite::Changed(&e.table, &e.change),
            None => LineWrite::Keep,
        }
    }

    /// Puts the edited table into the signal (after the write succeeded).
    pub fn apply(edit: Option<LinesEdit>, app: AppState) {
        if let Some(e) = edit.filter(|e| !e.change.is_empty()) {
            app.data.orders.set(Arc::new(e.table));
        }
    }
}

/// Frees a large vector a slice at a time, in tasks of their own: freeing a million order
/// lines (six strings each) at once holds the page's thread for well over 100 ms.
pub fn drop_in_steps<T: 'static>(mut v: Vec<T>) {
    const STEP: usize = 20_000;
    if v.len() <= STEP {
        return;
    }
    leptos::task::spawn_local(async move {
        while !v.is_empty() {
            v.truncate(v.len().saturating_sub(STEP));
            yield_now().await;
        }
    });
}

/// Waits until the order lines and the other records read after the customers at start-up
/// are in (at once when they are).
pub async fn rest_ready(app: AppState) {
    while app.rest_loading.get_untracked() {
        sleep_ms(50).await;
    }
}

/// Waits `ms` milliseconds (a browser timer).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Writes a snapshot of the current data, if there is any.
pub async fn take_snapshot(app: AppState, reason: SnapshotReason) -> Result<(), StoreError> {
    if app.data.total_untracked() == 0 {
        return Ok(());
    }
    // The worker reads what is stored (the same as the signals: every edit is written
    // through) and writes the snapshot itself.
    crate::jobs::snapshot(app, reason).await.map(|_| ())
}

/// Replaces all stored data by `d` (taking a snapshot first), with progress; the signals
/// change only when the write succeeded.
pub async fn replace_all(app: AppState, mut d: Dataset, reason: SnapshotReason) -> Result<(), StoreError> {
    let lines = Arc::new(OrderTable::from_rows(&std::mem::take(&mut d.orders)));
    replace_all_table(app, d, lines, reason).await
}

/// [`replace_all`] with the order lines as a table (the `orders` of `d` are not read).
pub async fn replace_all_table(app: AppState, d: Dataset, lines: Arc<OrderTable>, reason: SnapshotReason) -> Result<(), StoreError> {
    let t = app.t_untracked();
    app.begin(t.working);
    let result = async {
        take_snapshot(app, reason).await?;
        let progress = move |done: usize, total: usize| {
            app.busy.set(Some(Busy {
                label: fill(t.saving_records, &[("done", &done), ("total", &total)]),
                progress: Some((done, total)),
            }))
        };
        db()?.replace_all(&d, &lines, &progress).await?;
        Ok::<_, StoreError>(())
    }
    .await;
    if result.is_ok() {
        app.data.set_all(d, lines);
        app.update_ui(|u| u.started = true);
    }
    app.end();
    result
}

/// Generates the demo data (dated up to today) and stores it in place of everything.
pub async fn load_demo(app: AppState) -> Result<(), StoreError> {
    app.begin(app.t_untracked().demo_loading);
    yield_now().await;
    let today = chrono::Local::now().date_naive();
    // `?demo=CUSTOMERSxLINES` in the address loads a benchmark-sized set instead (the
    // department sizes of SPEC §1, e.g. `?demo=100000x1000000`), as `clientscope-cli demo
    // --customers … --orders …` writes it.
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let d = match clientscope_core::demo::size_from_query(&search) {
        Some((customers, lines)) => clientscope_core::demo::generate_large(7, customers, lines, today),
        None => clientscope_core::demo::generate(&clientscope_core::demo::DemoParams { end: today, ..Default::default() }),
    };
    replace_all(app, d, SnapshotReason::Demo).await
}

/// Why a save was refused: another tab changed the record (when) or deleted it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Conflict {
    /// Changed at this time.
    Changed(clientscope_core::model::Timestamp),
    /// Deleted.
    Deleted,
}

impl Conflict {
    /// The conflict a storage error reports, if it is one.
    pub fn of(e: &StoreError) -> Option<Conflict> {
        match e {
            StoreError::Changed { at } => Some(Conflict::Changed(*at)),
            StoreError::Deleted => Some(Conflict::Deleted),
            _ => None,
        }
    }
}

/// Reads one customer as stored now (another tab may have changed it).
pub async fn read_customer(id: &str) -> Result<Option<Customer>, StoreError> {
    db()?.get::<Customer>(id).await
}

/// Inserts or updates a customer. `read_at` is the `updated_at` of the customer as the
/// form read it (`None` for a new one, or to overwrite whatever is stored): if another tab
/// changed or deleted it since, nothing is written and the error says so.
pub async fn save_customer(app: AppState, c: Customer, read_at: Option<clientscope_core::model::Timestamp>) -> Result<(), StoreError> {
    db()?.put_checked(&c, read_at).await?;
    app.data.customers.update(|v| {
        let v = Arc::make_mut(v);
        match v.iter_mut().find(|x| x.id == c.id) {
            Some(slot) => *slot = c,
            None => v.push(c),
        }
    });
    app.update_ui(|u| u.started = true);
    Ok(())
}

/// Inserts or updates interactions in one transaction: a logged outcome with the planned
/// interaction of its next step, a planned, moved or cancelled visit. The signal changes
/// only after the write succeeded.
pub async fn save_interactions(app: AppState, records: Vec<Interaction>) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let d = Dataset { interactions: records, ..Default::default() };
    db()?.upsert_all(&d, LineWrite::Keep, &|_, _| {}).await?;
    app.data.interactions.update(|v| {
        let v = Arc::make_mut(v);
        for i in d.interactions {
            match v.iter_mut().find(|x| x.id == i.id) {
                Some(slot) => *slot = i,
                None => v.push(i),
            }
        }
    });
    app.update_ui(|u| u.started = true);
    Ok(())
}

/// Inserts or updates complaints in one transaction: a registered complaint, one with one
/// more event, or the complaints of an imported audit trail. The signal changes only after
/// the write succeeded.
pub async fn save_complaints(app: AppState, records: Vec<Complaint>) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let d = Dataset { complaints: records, ..Default::default() };
    db()?.upsert_all(&d, LineWrite::Keep, &|_, _| {}).await?;
    app.data.complaints.update(|v| {
        let v = Arc::make_mut(v);
        for c in d.complaints {
            match v.iter_mut().find(|x| x.id == c.id) {
                Some(slot) => *slot = c,
                None => v.push(c),
            }
        }
    });
    // Only when it changes: the shell re-renders the page on this flag, which would
    // close the complaint just opened.
    if !app.ui.with_untracked(|u| u.started) {
        app.update_ui(|u| u.started = true);
    }
    Ok(())
}

/// All records of one customer: the customer and everything that refers to it.
pub fn records_of(app: AppState, id: &str) -> Dataset {
    let of = |cid: &str| cid == id;
    Dataset {
        customers: app.data.customers.with_untracked(|v| v.iter().filter(|c| c.id == id).cloned().collect()),
        contacts: app.data.contacts.with_untracked(|v| v.iter().filter(|x| of(&x.customer_id)).cloned().collect()),
        orders: app.data.orders.with_untracked(|t| t.rows_of(id)),
        interactions: app
            .data
            .interactions
            .with_untracked(|v| v.iter().filter(|x| of(&x.customer_id)).cloned().collect()),
        complaints: app.data.complaints.with_untracked(|v| v.iter().filter(|x| of(&x.customer_id)).cloned().collect()),
        surveys: Vec::new(),
        responses: app
            .data
            .responses
            .with_untracked(|v| v.iter().filter(|x| x.customer_id.as_deref() == Some(id)).cloned().collect()),
    }
}

fn remove_ids<T>(signal: RwSignal<Arc<Vec<T>>>, ids: &std::collections::HashSet<&str>, id: impl Fn(&T) -> &str)
where
    T: Clone + Send + Sync + 'static,
{
    if ids.is_empty() {
        return;
    }
    signal.update(|v| Arc::make_mut(v).retain(|x| !ids.contains(id(x))));
}

/// Deletes a customer with everything that refers to it, in one transaction, and offers
/// undo.
pub async fn delete_customer(app: AppState, id: &str) -> Result<(), StoreError> {
    rest_ready(app).await;
    let removed = records_of(app, id);
    let name = removed.customers.first().map(|c| c.name.clone()).unwrap_or_default();
    let lines = LinesEdit::new(app, &removed.orders, |t, _| Ok::<_, StoreError>(t.remove_customers(&[id].into_iter().collect())))?;
    db()?.delete(&removed, LinesEdit::write(&lines)).await?;
    fn set(ids: Vec<&str>) -> std::collections::HashSet<&str> {
        ids.into_iter().collect()
    }
    remove_ids(app.data.customers, &set(removed.customers.iter().map(|x| x.id.as_str()).collect()), |x| &x.id);
    remove_ids(app.data.contacts, &set(removed.contacts.iter().map(|x| x.id.as_str()).collect()), |x| &x.id);
    LinesEdit::apply(lines, app);
    remove_ids(app.data.interactions, &set(removed.interactions.iter().map(|x| x.id.as_str()).collect()), |x| &x.id);
    remove_ids(app.data.complaints, &set(removed.complaints.iter().map(|x| x.id.as_str()).collect()), |x| &x.id);
    remove_ids(app.data.responses, &set(removed.responses.iter().map(|x| x.id.as_str()).collect()), |x| &x.id);
    let t = app.t_untracked();
    app.toast.set(Some(Toast {
        text: fill(t.deleted_customer, &[("name", &name)]),
        error: false,
        undo: Some(Undo::RestoreDeleted { records: Arc::new(removed), name }),
    }));
    Ok(())
}

/// Carries out an undo.
pub async fn undo(app: AppState, undo: Undo) -> Result<(), StoreError> {
    match undo {
        Undo::RestoreDeleted { records, name } => {
            rest_ready(app).await;
            let lines = LinesEdit::new(app, &records.orders, |t, rows| t.insert_new(rows).map_err(|id| StoreError::Idb(format!("order line {id} is already stored"))))?;
            db()?.add_all(&records, LinesEdit::write(&lines)).await?;
            let d = (*records).clone();
            app.data.customers.update(|v| Arc::make_mut(v).extend(d.customers));
            app.data.contacts.update(|v| Arc::make_mut(v).extend(d.contacts));
            LinesEdit::apply(lines, app);
            app.data.interactions.update(|v| Arc::make_mut(v).extend(d.interactions));
            app.data.complaints.update(|v| Arc::make_mut(v).extend(d.complaints));
            app.data.responses.update(|v| Arc::make_mut(v).extend(d.responses));
            app.say(fill(app.t_untracked().restored_customer, &[("name", &name)]));
            Ok(())
        }
        Undo::RestoreSnapshot { key } => {
            match key {
                Some(key) => restore_snapshot(app, key).await.map_err(StoreError::Idb)?,
                None => replace_all(app, Dataset::default(), SnapshotReason::Restore).await?,
            }
            app.say(app.t_untracked().data_restored);
            Ok(())
        }
    }
}

/// Runs an async action and shows its storage error, if any.
pub fn run(app: AppState, fut: impl std::future::Future<Output = Result<(), StoreError>> + 'static) {
    leptos::task::spawn_local(async move {
        if let Err(e) = fut.await {
            app.fail_store(&e);
        }
    });
}

/// Exports everything as a backup file download and records the time. The worker reads
/// what is stored and writes the file (`crate::jobs::backup_export`).
pub async fn export_backup(app: AppState) -> Result<String, String> {
    let now = chrono::Utc::now();
    app.begin(app.t_untracked().working);
    let exported = crate::jobs::backup_export(app, now).await;
    app.end();
    let (blob, _) = exported.map_err(|e| e.shown(app))?;
    let name = clientscope_core::backup::file_name(chrono::Local::now().naive_local());
    crate::files::offer_blob(&name, &blob)?;
    app.update_settings(|s| s.last_backup_at = Some(now));
    Ok(name)
}

/// Imports the backup the worker checked (`crate::jobs::backup_open`; replace or merge):
/// the worker applies it to what is stored, then everything is written atomically, after
/// a snapshot.
pub async fn import_backup(app: AppState, file: crate::worker::protocol::FileRef, mode: clientscope_core::backup::ImportMode) -> Result<(), String> {
    let t = app.t_untracked();
    let chosen = crate::files::held(file.token).ok_or_else(|| t.data_import_failed.to_string())?;
    app.begin(t.working);
    let applied = crate::jobs::backup_apply(app, Some(&chosen), crate::worker::protocol::BackupSource::File(file), mode).await;
    app.end();
    let (merged, lines, incoming) = applied.map_err(|e| e.shown(app))?;
    replace_all_table(app, merged, Arc::new(lines), SnapshotReason::Import).await.map_err(|e| e.message(t))?;
    // Settings that describe the data travel with it; language and backup time stay local.
    app.update_settings(|s| {
        s.custom_attributes = incoming.custom_attributes;
        s.pages.extend(incoming.pages);
        s.segments = incoming.segments;
        s.calendar = incoming.calendar;
        s.complaints = incoming.complaints;
    });
    Ok(())
}

/// Restores a snapshot in place of everything (after snapshotting the current data).
pub async fn restore_snapshot(app: AppState, key: String) -> Result<(), String> {
    let t = app.t_untracked();
    // The worker reads and parses the snapshot and sends its records back ready to write.
    app.begin(t.working);
    let read = crate::jobs::backup_apply(app, None, crate::worker::protocol::BackupSource::Snapshot(key), clientscope_core::backup::ImportMode::Replace).await;
    app.end();
    let (d, lines, _) = read.map_err(|e| e.shown(app))?;
    replace_all_table(app, d, Arc::new(lines), SnapshotReason::Restore).await.map_err(|e| e.message(t))
}

/// Deletes every record (after a snapshot).
pub async fn delete_all(app: AppState) -> Result<(), StoreError> {
    replace_all(app, Dataset::default(), SnapshotReason::DeleteAll).await
}
