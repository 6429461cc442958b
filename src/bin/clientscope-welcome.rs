//! The first-visit welcome screen, a small wasm of its own (see `clientscope::first_visit`):
//! what a browser with no Clientscope data downloads before it can choose how to start.

#[cfg(target_arch = "wasm32")]
fn main() {
    clientscope::first_visit::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("clientscope-welcome runs in the browser only; build the app with trunk");
}
