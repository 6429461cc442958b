//! Small settings in localStorage, through gloo-storage.
//!
//! - `clientscope.settings`: the core's [`Settings`] (language, last backup time, custom
//!   attributes, page parameters); they travel in backups.
//! - `clientscope.ui`: this browser's UI state (the last view, whether the welcome screen
//!   was passed); it does not travel.
//! - `clientscope.write`: set while a large write (import, restore, demo) runs; found at
//!   start, it says the last one was cut off (by a closed tab or a killed browser).
//! - `clientscope.held`: how many records the database held when last seen; found above 0
//!   while the database is empty at start, it says the browser cleared the storage.
//! - `clientscope.intent` (sessionStorage): the choice made on the first-visit welcome
//!   (`crate::first_visit`), carried out once by the whole app when it starts.
//!
//! A value that cannot be read (missing, from an older build, edited by hand) falls back
//! to the default rather than failing the start of the app.

use clientscope_core::model::{Language, Settings};
use gloo_storage::{LocalStorage, SessionStorage, Storage};
use serde::{Deserialize, Serialize};

/// localStorage key of the settings.
pub const SETTINGS_KEY: &str = "clientscope.settings";
const UI_KEY: &str = "clientscope.ui";
const INTENT_KEY: &str = "clientscope.intent";
const WRITE_KEY: &str = "clientscope.write";
const HELD_KEY: &str = "clientscope.held";

/// Per-browser UI state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiPrefs {
    /// The last route's href, restored when the app opens without a hash.
    pub last_route: String,
    /// The user chose how to start (demo, import or empty): the welcome screen is done.
    pub started: bool,
}

/// Reads the settings (defaults when absent or unreadable).
pub fn load_settings() -> Settings {
    LocalStorage::get(SETTINGS_KEY).unwrap_or_default()
}

/// Writes the settings; returns whether the browser accepted the write.
pub fn save_settings(s: &Settings) -> bool {
    LocalStorage::set(SETTINGS_KEY, s).is_ok()
}

/// Reads the UI state.
pub fn load_ui() -> UiPrefs {
    LocalStorage::get(UI_KEY).unwrap_or_default()
}

/// Writes the UI state.
pub fn save_ui(u: &UiPrefs) -> bool {
    LocalStorage::set(UI_KEY, u).is_ok()
}

/// The language of the settings, read without the rest of them (the first-visit welcome
/// stays small by not carrying the code of every setting).
pub fn load_language() -> Language {
    #[derive(Deserialize)]
    struct LanguageOnly {
        #[serde(default)]
        language: Language,
    }
    LocalStorage::get::<LanguageOnly>(SETTINGS_KEY).map(|s| s.language).unwrap_or_default()
}

/// Changes only the language in the stored settings, keeping every other field as it is.
pub fn save_language(lang: Language) -> bool {
    let mut value: serde_json::Value = LocalStorage::get(SETTINGS_KEY).unwrap_or_else(|_| serde_json::json!({}));
    let Some(map) = value.as_object_mut() else { return false };
    let Ok(lang) = serde_json::to_value(lang) else { return false };
    map.insert("language".into(), lang);
    LocalStorage::set(SETTINGS_KEY, &value).is_ok()
}

/// What the user chose on the first-visit welcome, for the whole app to carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// Load the demo data.
    Demo,
    /// Restore a backup (the Data page).
    Restore,
    /// Start empty (the customer list).
    Empty,
    /// Import a CSV or Excel file (the import wizard).
    ImportFile,
}

/// Records the choice for the whole app (this tab only).
pub fn set_intent(intent: Intent) {
    let _ = SessionStorage::set(INTENT_KEY, intent);
}

/// The recorded choice, removed as it is read so that it is carried out once.
pub fn take_intent() -> Option<Intent> {
    let intent = SessionStorage::get(INTENT_KEY).ok();
    SessionStorage::delete(INTENT_KEY);
    intent
}

/// Remembers how many records the database holds.
pub fn remember_held(records: usize) {
    if load_held() != records {
        let _ = LocalStorage::set(HELD_KEY, records);
    }
}

/// How many records the database held when last seen (0 when never remembered).
pub fn load_held() -> usize {
    LocalStorage::get(HELD_KEY).unwrap_or(0)
}

/// Notes that a large write started (its start time, RFC 3339).
pub fn mark_write_started(at: &str) {
    let _ = LocalStorage::set(WRITE_KEY, at);
}

/// Notes that the large write ended (committed or aborted).
pub fn mark_write_ended() {
    LocalStorage::delete(WRITE_KEY);
}

/// The start time of a large write that never ended (the page was closed or killed during
/// it), removed as it is read.
pub fn take_interrupted_write() -> Option<String> {
    let at = LocalStorage::get::<String>(WRITE_KEY).ok();
    LocalStorage::delete(WRITE_KEY);
    at
}
