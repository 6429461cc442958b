//! What the tabs of the complaints page share: the remembered choices, the report of every
//! complaint as of now (from the core's `analyse`), the survey drafts waiting for review
//! (the core's `drafts::pending`), customer names, and small formatters.

use crate::clock;
use crate::i18n::complaints::{texts, CompTexts};
use crate::state::AppState;
use clientscope_core::model::{EventTime, Id};
use clientscope_core::service::complaints::{analyse, drafts, ComplaintDraft, ComplaintParams, ComplaintReport};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Key of the page's choices in `settings.pages`.
pub const SETTINGS_KEY: &str = "complaints";

/// The tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tab {
    /// The lists and a complaint's detail.
    #[default]
    List,
    /// Register a complaint.
    Register,
    /// The analysis as of an instant.
    Analysis,
    /// Audit trail export and import.
    Audit,
    /// Complaint drafts from survey answers, for review (shown while the rule is on).
    Drafts,
}

/// The lists of the list tab.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Past a target.
    #[default]
    Overdue,
    /// The running clock ends today.
    DueToday,
    /// At most 4 business hours left.
    DueSoon,
    /// Waiting for the customer.
    Waiting,
    /// Every complaint.
    All,
}

/// The remembered choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageUi {
    /// Open tab.
    pub tab: Tab,
    /// Shown list.
    pub filter: Filter,
    /// Who records events (the last name entered).
    pub by: String,
}

/// The page state.
#[derive(Clone, Copy)]
pub struct Page {
    /// The app.
    pub app: AppState,
    /// Remembered choices.
    pub ui: RwSignal<PageUi>,
    /// The complaint whose detail is open (also read from `#/complaints?open=<id>`).
    pub open: RwSignal<Option<Id>>,
    /// The customer the register form starts with (from `#/complaints?register=<id>`).
    pub prefill: RwSignal<Option<Id>>,
    /// Every complaint as of now.
    pub report: Memo<ComplaintReport>,
    /// Customer names by id.
    pub names: Memo<HashMap<Id, String>>,
    /// The survey drafts waiting for review, newest first (empty while the rule is off).
    pub drafts: Memo<Vec<ComplaintDraft>>,
}

impl Page {
    /// Reads the remembered choices and sets up the memos.
    pub fn new(app: AppState) -> Page {
        let ui: PageUi = app
            .settings
            .with_untracked(|s| s.pages.get(SETTINGS_KEY).cloned())
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let names = Memo::new(move |_| app.data.customers.with(|cs| cs.iter().map(|c| (c.id.clone(), c.name.clone())).collect()));
        let drafts = Memo::new(move |_| {
            app.data.responses.with(|rs| app.settings.with(|s| drafts::pending(rs, &s.complaints.draft_rule, &s.complaints.handled_drafts)))
        });
        Page { app, ui: RwSignal::new(ui), open: RwSignal::new(None), prefill: RwSignal::new(None), report: report_now(app), names, drafts }
    }

    /// Changes the choices and remembers them.
    pub fn edit(&self, f: impl FnOnce(&mut PageUi)) {
        self.ui.update(f);
        if let Ok(v) = serde_json::to_value(self.ui.get_untracked()) {
            self.app.update_settings(|s| {
                s.pages.insert(SETTINGS_KEY.to_string(), v);
            });
        }
    }

    /// The page's texts (tracked).
    pub fn t(&self) -> &'static CompTexts {
        texts(self.app.lang.get())
    }

    /// The page's texts (untracked, for actions).
    pub fn tu(&self) -> &'static CompTexts {
        texts(self.app.lang.get_untracked())
    }

    /// A customer's name, or the id when unknown.
    pub fn name(&self, id: &str) -> String {
        self.names.with(|n| n.get(id).cloned().unwrap_or_else(|| id.to_string()))
    }
}

/// Every complaint as of an instant, with the calendar and policy of the settings.
pub fn report_at(app: AppState, as_of: EventTime) -> ComplaintReport {
    report_by(app, as_of, None)
}

/// [`report_at`] with the segment of each customer, for the count by segment.
pub fn report_by(app: AppState, as_of: EventTime, segments: Option<&HashMap<Id, String>>) -> ComplaintReport {
    let customers = app.data.customers.with(|c| c.len());
    app.data.complaints.with(|cs| {
        app.settings.with(|s| analyse(cs, &ComplaintParams { calendar: &s.calendar, policy: &s.complaints.policy, as_of, customers: Some(customers), segments }))
    })
}

/// The value of `name` in the query part of a route (`#/complaints?open=T000150`).
pub fn hash_param(hash: &str, name: &str) -> Option<String> {
    let (_, query) = hash.split_once('?')?;
    query.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string()).filter(|v| !v.is_empty())
}

/// The route of one complaint's detail (`#/complaints?open=<id>`).
pub fn open_href(id: &str) -> String {
    format!("#/complaints?open={id}")
}

/// The route of the register form with a customer chosen (`#/complaints?register=<id>`).
pub fn register_href(customer_id: &str) -> String {
    format!("#/complaints?register={customer_id}")
}

/// The report as of now, recomputed when the records or settings change and once a
/// minute (deadlines pass while the page is open; an injected `?now=` stays put).
pub fn report_now(app: AppState) -> Memo<ComplaintReport> {
    let tick = RwSignal::new(0u32);
    if clock::injected().is_none() {
        let handle = set_interval_with_handle(move || tick.update(|n| *n = n.wrapping_add(1)), std::time::Duration::from_secs(60));
        if let Ok(h) = handle {
            on_cleanup(move || h.clear());
        }
    }
    Memo::new(move |_| {
        tick.track();
        report_at(app, clock::now())
    })
}

/// An instant in the calendar's zone, minutes precision (`2026-03-02 09:30`).
pub fn when(app: AppState, t: EventTime) -> String {
    app.settings.with_untracked(|s| s.calendar.localize(t)).format("%Y-%m-%d %H:%M").to_string()
}

/// Hours with one decimal.
pub fn hours(h: f64) -> String {
    crate::components::format::number(h, 1)
}

/// A `datetime-local` value (`2026-03-02T09:30`) of an instant in the calendar's zone.
pub fn input_value(app: AppState, t: EventTime) -> String {
    app.settings.with_untracked(|s| s.calendar.localize(t)).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a `datetime-local` value (or `YYYY-MM-DD HH:MM`) as a time in the calendar's zone.
pub fn parse_input(app: AppState, text: &str) -> Option<EventTime> {
    let text = text.trim().replace(' ', "T");
    let naive = chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let offset = app.settings.with_untracked(|s| s.calendar.offset());
    naive.and_local_timezone(offset).single()
}

/// The stored channel values (as the demo and imports write them) and their labels.
pub fn channels(t: &'static CompTexts) -> [(&'static str, &'static str); 5] {
    [("电话", t.channel_phone), ("上门", t.channel_visit), ("邮件", t.channel_email), ("微信", t.channel_wechat), ("信函", t.channel_letter)]
}

/// The label of a stored channel value (the value itself when not one of ours).
pub fn channel_label(t: &'static CompTexts, value: &str) -> String {
    channels(t).iter().find(|(v, _)| *v == value).map(|(_, l)| l.to_string()).unwrap_or_else(|| value.to_string())
}
