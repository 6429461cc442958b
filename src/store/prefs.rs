//! Small settings in localStorage, through gloo-storage.
//!
//! - `clientscope.settings`: the core's [`Settings`] (language, last backup time, custom
//!   attributes, page parameters); they travel in backups.
//! - `clientscope.ui`: this browser's UI state (the last view, whether the welcome screen
//!   was passed); it does not travel.
//!
//! A value that cannot be read (missing, from an older build, edited by hand) falls back
//! to the default rather than failing the start of the app.

use clientscope_core::model::Settings;
use gloo_storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};

const SETTINGS_KEY: &str = "clientscope.settings";
const UI_KEY: &str = "clientscope.ui";

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
