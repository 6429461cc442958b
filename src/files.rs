//! Files in and out of the browser: reading a file the user chose, and offering text as a
//! download. (Not storage: nothing here persists anything.)

use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Chosen files held for the worker jobs that read them (the page sends the `File`, not
/// its bytes); a page keeps the token (a `File` cannot live in a signal, which must be
/// `Send`).
const HELD_FILES: usize = 4;

thread_local! {
    static HELD: RefCell<Vec<(u64, web_sys::File)>> = const { RefCell::new(Vec::new()) };
    static TOKENS: Cell<u64> = const { Cell::new(0) };
}

/// Holds a chosen file; its token changes with every file (the last [`HELD_FILES`] are
/// held).
pub fn hold(file: web_sys::File) -> u64 {
    let token = TOKENS.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    HELD.with(|h| {
        let mut h = h.borrow_mut();
        if h.len() >= HELD_FILES {
            h.remove(0);
        }
        h.push((token, file));
    });
    token
}

/// The file held for `token`, if it still is.
pub fn held(token: u64) -> Option<web_sys::File> {
    HELD.with(|h| h.borrow().iter().find(|(t, _)| *t == token).map(|(_, f)| f.clone()))
}

/// Reads a chosen file as UTF-8 text.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let value = JsFuture::from(file.text()).await.map_err(|e| format!("{e:?}"))?;
    value.as_string().ok_or_else(|| "not text".to_string())
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|e| format!("{e:?}"))?;
    offer_blob(name, &blob)
}

/// Offers a blob as a download; its object URL is revoked a minute later (revoking at once
/// can cancel the download in some browsers).
pub fn offer_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    offer_url(name, &url)?;
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Offers the resource at `url` (an object or data URL) as a download named `name`.
pub fn offer_url(name: &str, url: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|e| format!("{e:?}"))?.unchecked_into();
    a.set_href(url);
    a.set_download(name);
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    Ok(())
}

/// Reads a chosen file as bytes (the worker reads the files of imports and backups so).
pub async fn read_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers `bytes` as a download named `name` (e.g. a GBK CSV file).
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(|e| format!("{e:?}"))?;
    offer_blob(name, &blob)
}
