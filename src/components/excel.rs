//! A button that saves a table as an Excel workbook (`.xlsx`). The page hands it the same
//! [`ExportTable`] its CSV is written from; the workbook is written in the worker
//! (`crate::jobs::xlsx`, where the writer is linked), so neither the page's download nor its
//! thread carries the writer. While the file is written the button says so and is disabled;
//! a failure is said in the current language and nothing else changes.

use crate::state::use_app;
use clientscope_core::io::export::ExportTable;
use leptos::prelude::*;

/// "Export Excel": `table` builds the file's name without extension and the table when
/// clicked (`Err` is a message in the current language), saved as `<name>.xlsx`;
/// `data-testid` is `<testid>-xlsx`.
#[component]
pub fn ExcelButton(
    #[prop(into)] testid: String,
    table: Callback<(), Result<(String, ExportTable), String>>,
    /// Disabled when true (e.g. nothing to export).
    #[prop(optional, into)]
    disabled: MaybeProp<bool>,
    /// A full-size button (beside a full-size CSV button) instead of the small ghost one.
    #[prop(optional)]
    plain: bool,
) -> impl IntoView {
    let app = use_app();
    let writing = RwSignal::new(false);
    let save = move |_| {
        if writing.get_untracked() {
            return;
        }
        let t = app.t_untracked();
        let (stem, table) = match table.run(()) {
            Ok(named) => named,
            Err(e) => {
                app.fail(format!("{}{e}", t.error_prefix));
                return;
            }
        };
        let file = format!("{stem}.xlsx");
        // The creation time a workbook records is the user's wall clock, as Excel's own.
        let created = chrono::Local::now().naive_local();
        writing.set(true);
        leptos::task::spawn_local(async move {
            let result = crate::jobs::xlsx(table, created).await;
            writing.try_set(false);
            let t = app.t_untracked();
            let saved = result
                .map_err(|e| e.shown(app))
                .and_then(|bytes| crate::files::download_bytes(&file, &bytes, clientscope_xlsx::MIME));
            if let Err(e) = saved {
                app.fail(format!("{}{e}", t.error_prefix));
            }
        });
    };
    view! {
        <button class=if plain { "no-print" } else { "ghost small no-print" } data-testid=format!("{testid}-xlsx") on:click=save
            disabled=move || writing.get() || disabled.get().unwrap_or(false)
            aria-busy=move || if writing.get() { "true" } else { "false" }>
            {move || if writing.get() { app.t().export_xlsx_busy } else { app.t().export_xlsx }}
        </button>
    }
}
