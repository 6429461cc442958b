//! One module per page. Pages read the shared state, call the core for anything computed
//! (wrapped in memos), and hand edits to the actions in `crate::state`.

pub mod complaints;
pub mod customer;
pub mod customer_form;
pub mod customers;
pub mod dashboard;
pub mod data;
pub mod import;
pub mod overview;
pub mod satisfaction;
pub mod segments;
pub mod placeholder;
pub mod settings;
pub mod value;
pub mod visits;
pub mod welcome;
