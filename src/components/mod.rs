//! Reusable view pieces. Each file holds one component; none computes anything beyond
//! formatting.

pub mod busy;
pub mod char_count;
pub mod chart;
pub mod confirm;
pub mod excel;
pub mod format;
pub mod nav;
pub mod pick;
pub mod table_csv;
pub mod toast;
pub mod update;
