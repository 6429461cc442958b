//! Entry point of the browser app (built by trunk). Natively there is nothing to run: use
//! `clientscope-cli` for the command line.

fn main() {
    #[cfg(target_arch = "wasm32")]
    clientscope::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("clientscope is a browser app: build it with trunk (see README.md), or run clientscope-cli");
}
