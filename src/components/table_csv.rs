//! A button that saves a shown table as an Excel-safe CSV file (UTF-8 with BOM, formula
//! injection neutralised by the core's exporter): the header row and the body rows exactly
//! as displayed, so every result table can be taken to Excel without extra code per table.
//! Cells of class `no-csv` (a row's buttons) are left out. Beside it, the same cells as an
//! Excel workbook ([`ExcelButton`]), each column typed as number, percent or date when every
//! shown text of it reads as one ([`ExportTable::from_shown`]).

use crate::files;
use crate::state::{use_app, AppState};
use crate::components::excel::ExcelButton;
use clientscope_core::io::export::{to_csv, CsvEncoding, ExportTable};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The cell texts of `table[data-testid=testid]`: header cells, then one row per body row.
fn table_cells(testid: &str) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let table = doc
        .query_selector(&format!("table[data-testid=\"{testid}\"]"))
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no table")?;
    let texts = |sel: &str, root: &web_sys::Element| -> Vec<String> {
        let list = root.query_selector_all(sel).ok();
        let mut out = Vec::new();
        if let Some(list) = list {
            for i in 0..list.length() {
                if let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                    out.push(el.inner_text().trim().to_string());
                }
            }
        }
        out
    };
    let headers = texts("thead th:not(.no-csv)", &table);
    let mut rows = Vec::new();
    if let Ok(list) = table.query_selector_all("tbody tr") {
        for i in 0..list.length() {
            if let Some(tr) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                rows.push(texts("th:not(.no-csv), td:not(.no-csv)", &tr));
            }
        }
    }
    Ok((headers, rows))
}

/// Offers a table of texts as `name` (UTF-8 with BOM, for Excel); a failure is said in the
/// current language.
pub fn save_csv(app: AppState, name: &str, headers: &[String], rows: Vec<Vec<String>>) {
    let result = to_csv(headers, rows, CsvEncoding::Utf8Bom)
        .map_err(|e| e.message(app.lang.get_untracked()))
        .and_then(|bytes| String::from_utf8(bytes).map_err(|e| e.to_string()))
        .and_then(|text| files::download(name, &text, "text/csv;charset=utf-8"));
    if let Err(e) = result {
        app.fail(format!("{}{e}", app.t_untracked().error_prefix));
    }
}

/// "Export CSV" and "Export Excel" for the table with `data-testid = testid`, saved as
/// `<name>.csv` / `<name>.xlsx` (buttons `<testid>-csv`, `<testid>-xlsx`).
#[component]
pub fn TableCsvButton(testid: &'static str, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let app = use_app();
    let save = move |_| match table_cells(testid) {
        Ok((headers, rows)) => save_csv(app, &format!("{}.csv", name.get_untracked()), &headers, rows),
        Err(e) => app.fail(format!("{}{e}", app.t_untracked().error_prefix)),
    };
    let table = Callback::new(move |()| {
        let stem = name.get_untracked();
        table_cells(testid).map(|(headers, rows)| (stem.clone(), ExportTable::from_shown(stem, headers, rows)))
    });
    view! {
        <button class="ghost small" data-testid=format!("{testid}-csv") on:click=save>{move || app.t().value_export_csv}</button>
        <ExcelButton testid=testid table=table />
    }
}
