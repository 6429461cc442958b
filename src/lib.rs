//! Clientscope, the browser app. The computation lives in `clientscope-core`; this crate is
//! the shell around it:
//! - [`store`]: IndexedDB and localStorage, the only code that touches browser storage;
//! - [`state`]: the shared reactive state (one `Copy` context) and the actions that change
//!   it, each going through `store` first and updating signals after the write succeeded;
//! - [`route`]: hash routing, so reloads work on any static host and sub-path;
//! - [`pages`] and [`components`]: Leptos views, no arithmetic;
//! - [`charts`]: plotters drawings, one function per chart, generic over the backend;
//! - [`i18n`]: zh-CN and en texts;
//! - [`pwa`]: service-worker registration and the "new version" prompt;
//! - [`files`]: reading chosen files and offering downloads;
//! - [`clock`]: "now" for the service clocks (the browser's, or `?now=` in the address).
//!
//! Only [`charts`], [`i18n`] and [`route`] compile natively (their tests run with
//! `cargo test`: the charts are drawn with plotters' SVG backend); the rest is browser-only.

pub mod charts;
pub mod i18n;
pub mod route;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod clock;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod crash;
#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod jobs;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod first_visit;
#[cfg(target_arch = "wasm32")]
pub mod pwa;
#[cfg(target_arch = "wasm32")]
pub mod state;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod worker;

/// The app version shown to users and written into backups.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Mounts the app on `<body>`.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    crash::install();
    leptos::mount::mount_to_body(app::App);
}
