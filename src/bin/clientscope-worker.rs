//! The Web Worker: runs the analyses the page asks for on the same core, off the page's
//! thread (see `clientscope::worker`).

#[cfg(target_arch = "wasm32")]
fn main() {
    clientscope::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("clientscope-worker runs in the browser only; build the app with trunk");
}
