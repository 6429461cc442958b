//! The last resort after a panic: a screen that says what happened and that the data is
//! safe, with a way to reload, instead of a page that silently stops answering.
//!
//! The release build aborts on panic (`panic = "abort"`), so the wasm instance is dead once
//! the hook returns: the screen is built here, in the hook, with plain DOM calls (the
//! reactive runtime may be in any state) and a reload link that needs no script. Paths a
//! user's file can reach are meant to be panic-free by construction; this catches the rest.
//! The data is safe because every write is one IndexedDB transaction, committed whole or
//! not at all.

use web_sys::{Document, Element};

/// Installs the hook (console message, then the screen). Called once at start.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
}

fn element(doc: &Document, tag: &str, class: &str, text: &str) -> Option<Element> {
    let el = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        el.set_class_name(class);
    }
    // Text only, never HTML: the message may quote a user's data.
    el.set_text_content(Some(text));
    Some(el)
}

fn show(detail: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = doc.body() else { return };
    let t = crate::i18n::texts(crate::store::prefs::load_language());
    let build = || -> Option<Element> {
        let screen = element(&doc, "div", "crash", "")?;
        screen.set_attribute("role", "alertdialog").ok()?;
        screen.set_attribute("aria-modal", "true").ok()?;
        screen.set_attribute("data-testid", "crash").ok()?;
        let card = element(&doc, "div", "crash-card", "")?;
        for (tag, class, text) in [("h2", "", t.crash_title), ("p", "", t.crash_text), ("pre", "crash-detail", detail)] {
            let part = element(&doc, tag, class, text)?;
            card.append_child(&part).ok()?;
        }
        let reload = element(&doc, "a", "button primary", t.crash_reload)?;
        // An empty href reloads this address; no script needed after the abort.
        reload.set_attribute("href", "").ok()?;
        reload.set_attribute("data-testid", "crash-reload").ok()?;
        card.append_child(&reload).ok()?;
        screen.append_child(&card).ok()?;
        Some(screen)
    };
    if let Some(screen) = build() {
        let _ = body.append_child(&screen);
    }
}

/// Panics on purpose: the end-to-end test of this screen calls it from the page
/// (`window.wasmBindings.panic_for_test()`), as a panic on any other path would.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn panic_for_test() {
    panic!("panic_for_test: the crash screen's end-to-end test");
}
