//! "Now" for every service clock of the app, read in one place: the browser's time, or the
//! instant given as `?now=RFC3339` in the address. Tests load the page with a chosen instant
//! and reload it with a later one to see a complaint turn overdue; the service worker serves
//! the app whatever the query (`ignoreSearch`), so this works offline too.

use chrono::{DateTime, FixedOffset, Utc};

thread_local! {
    static INJECTED: Option<DateTime<FixedOffset>> = read_query();
}

/// The `now` parameter of the address, when it holds an RFC 3339 instant. A `+` of the
/// offset that reached us as a space (form encoding) is read back as `+`.
fn read_query() -> Option<DateTime<FixedOffset>> {
    let search = web_sys::window()?.location().search().ok()?;
    let value = search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix("now="))?;
    let decoded: String = js_sys::decode_uri_component(value).ok()?.into();
    DateTime::parse_from_rfc3339(&decoded.replace(' ', "+")).ok()
}

/// The instant injected through `?now=`, if any.
pub fn injected() -> Option<DateTime<FixedOffset>> {
    INJECTED.with(|n| *n)
}

/// Now: the injected instant, or the browser's clock (in UTC; the calendar localizes).
pub fn now() -> DateTime<FixedOffset> {
    injected().unwrap_or_else(|| Utc::now().fixed_offset())
}
