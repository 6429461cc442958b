//! What the parts of the visits page share: the page's choices (owner filter and the visit
//! parameters, remembered in `settings.pages["visits"]`), the checked parameters in the
//! calendar's offset, today in the calendar's zone, and reading a date and time typed in a
//! form as a [`When`].

use crate::i18n::visits::{texts, VisitTexts};
use crate::state::AppState;
use clientscope_core::model::{Date, Id, Interaction};
use clientscope_core::service::visits::{ValidVisitParams, VisitParams, When};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Key of the page's choices in `settings.pages`.
const SETTINGS_KEY: &str = "visits";

/// The page's choices, remembered in `settings.pages["visits"]` (and so in the backup).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageUi {
    /// Only this account manager (`""`: everyone).
    pub owner: String,
    /// Daily target, not-contacted days and the rest; the offset is the calendar's.
    pub params: VisitParams,
}

impl PageUi {
    /// The owner filter as the core takes it.
    pub fn owner(&self) -> Option<&str> {
        (!self.owner.is_empty()).then_some(self.owner.as_str())
    }
}

/// What a dialog of the page is open for.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Log the outcome of this interaction.
    Log(Id),
    /// Move this interaction.
    Reschedule(Id),
    /// Plan a visit to a customer (pick one first when `None`).
    Plan(Option<Id>, Source),
}

/// Where a visit planned on this page comes from (decides purpose and reason).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A routine visit (the customer's page, or a customer picked here).
    Customer,
    /// The not-contacted list.
    NotContacted,
    /// The decline-warning list 高危客户预警 of the value page.
    DeclineWarning,
    /// The win-back list 流失客户挽回 of the value page.
    WinBack,
    /// The follow-up visit 回访 of this resolved complaint.
    Complaint(Id),
    /// An open next step of this interaction.
    NextStep(Id),
}

/// The visits page state.
#[derive(Clone, Copy)]
pub struct Page {
    /// The app.
    pub app: AppState,
    /// The remembered choices.
    pub ui: RwSignal<PageUi>,
    /// The day shown: the address's `?day=`, else today (not remembered; kept in the
    /// address by [`Page::keep_day_in_address`]).
    pub date: RwSignal<Date>,
    /// The open dialog.
    pub dialog: RwSignal<Option<Dialog>>,
}

impl Page {
    /// Reads the remembered choices.
    pub fn new(app: AppState) -> Page {
        let ui: PageUi = app
            .settings
            .with_untracked(|s| s.pages.get(SETTINGS_KEY).cloned())
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let date = address_day().unwrap_or_else(|| today(app));
        Page { app, ui: RwSignal::new(ui), date: RwSignal::new(date), dialog: RwSignal::new(None) }
    }

    /// Writes the day into the address whenever it changes (not on open, so an address
    /// without a day keeps showing today), replacing the history entry: a reload or a
    /// shared link shows the same day.
    pub fn keep_day_in_address(&self) {
        let date = self.date;
        Effect::new(move |opened: Option<()>| {
            let day = date.get();
            if opened.is_some() {
                write_address_day(day);
            }
        });
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
    pub fn t(&self) -> &'static VisitTexts {
        texts(self.app.lang.get())
    }

    /// The page's texts (untracked, for actions).
    pub fn tu(&self) -> &'static VisitTexts {
        texts(self.app.lang.get_untracked())
    }

    /// The parameters, checked, in the calendar's offset (tracked). A bad remembered value
    /// gives the error's message.
    pub fn params(&self) -> Result<ValidVisitParams, String> {
        let lang = self.app.lang.get();
        let offset_min = self.app.settings.with(|s| s.calendar.offset().local_minus_utc() / 60);
        self.ui.with(|u| {
            let mut p = u.params.clone();
            p.utc_offset_min = offset_min;
            p.check().map_err(|e| e.message(lang))
        })
    }

    /// The parameters, checked, or the defaults in the calendar's offset (tracked).
    pub fn params_or_default(&self) -> ValidVisitParams {
        self.params().unwrap_or_else(|_| {
            let offset_min = self.app.settings.with(|s| s.calendar.offset().local_minus_utc() / 60);
            VisitParams { utc_offset_min: offset_min, ..Default::default() }.check().unwrap_or_default()
        })
    }
}

/// The query part of the address's hash (`day=2026-03-02` of `#/visits?day=2026-03-02`).
fn address_query() -> String {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.split_once('?').map(|(_, q)| q.to_string()).unwrap_or_default()
}

/// The day named by the address (`#/visits?day=2026-03-02`), if any and valid.
fn address_day() -> Option<Date> {
    address_query().split('&').find_map(|kv| kv.strip_prefix("day=")).and_then(|d| d.parse().ok())
}

/// Puts `day` into the address's `?day=` without a navigation, keeping its other parameters.
fn write_address_day(day: Date) {
    let query = address_query();
    let mut parts: Vec<String> = query.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("day=")).map(str::to_string).collect();
    parts.insert(0, format!("day={day}"));
    let url = format!("{}?{}", crate::route::Route::Visits.href(), parts.join("&"));
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Today in the calendar's zone (not the browser's).
pub fn today(app: AppState) -> Date {
    app.settings.with_untracked(|s| s.calendar.local_date(chrono::Utc::now().fixed_offset()))
}

/// Reads a date (`YYYY-MM-DD`) and an optional time (`HH:MM`) typed in a form as a day or
/// a start time in the calendar's offset. `Err` names the field that is wrong.
pub fn when_of(app: AppState, date: &str, time: &str) -> Result<When, WhenError> {
    let d: Date = date.trim().parse().map_err(|_| WhenError::Date)?;
    let time = time.trim();
    if time.is_empty() {
        return Ok(When::Day(d));
    }
    let t = chrono::NaiveTime::parse_from_str(time, "%H:%M").map_err(|_| WhenError::Time)?;
    let offset = app.settings.with_untracked(|s| s.calendar.offset());
    d.and_time(t).and_local_timezone(offset).single().map(When::At).ok_or(WhenError::Time)
}

/// Which field of a date and time is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenError {
    /// The date.
    Date,
    /// The time.
    Time,
}

impl WhenError {
    /// The message in the page's language.
    pub fn message(self, t: &VisitTexts) -> &'static str {
        match self {
            WhenError::Date => t.bad_date,
            WhenError::Time => t.bad_time,
        }
    }
}

/// Reads a duration in minutes (empty: none).
pub fn duration_of(text: &str) -> Result<Option<u32>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(m) if (1..=clientscope_core::validate::MAX_DURATION_MIN).contains(&m) => Ok(Some(m)),
        _ => Err(()),
    }
}

/// Customer names by id (tracked).
pub fn customer_names(app: AppState) -> HashMap<Id, String> {
    app.data.customers.with(|cs| cs.iter().map(|c| (c.id.clone(), c.name.clone())).collect())
}

/// The interaction with this id (untracked).
pub fn interaction(app: AppState, id: &str) -> Option<Interaction> {
    app.data.interactions.with_untracked(|v| v.iter().find(|i| i.id == id).cloned())
}

/// A time of day as shown in the plan (`13:30`).
pub fn hm(t: &clientscope_core::model::ZonedTime) -> String {
    t.format("%H:%M").to_string()
}

/// A new interaction id (`I` + six digits, the first one free).
pub fn new_interaction_id(app: AppState) -> Id {
    app.data.interactions.with_untracked(|v| clientscope_core::service::visits::next_id("I", v.iter().map(|i| i.id.as_str())))
}
