//! The import wizard (`#/data/import`): choose a CSV / TSV / Excel file → say what it
//! holds → map its columns to fields → review (preview, counts, rejected rows, unknown
//! customers) → confirm. Everything computed is the core's (`clientscope_core::io`); the
//! long steps are in [`run`], chunked with progress. Mappings are saved per header set
//! in `settings.pages["import_mappings"]` and applied again to the next file with the same
//! headers.

mod run;

use crate::components::format;
use crate::i18n::fill;
use crate::i18n::import::{texts, ImportTexts};
use crate::route::Route;
use crate::state::{use_app, AppState};
use clientscope_core::io::decode::OVERRIDE_CHOICES;
use clientscope_core::io::export::{rejected_csv, rejected_table, CsvEncoding};
use crate::components::excel::ExcelButton;
use clientscope_core::io::import::{ImportOutcome, MergeRule, Plan, UnknownChoice};
use clientscope_core::io::mapping::{header_signature, suggest, CustomerMatch, ImportKind, Mapping, MatchCounts, Need};
use clientscope_core::io::table::{FileFormat, Table};
use clientscope_core::model::Language;
use leptos::prelude::*;
use std::sync::Arc;

/// Key of the saved mappings in `Settings::pages`.
const MAPPINGS_KEY: &str = "import_mappings";
/// Rejected rows per page of the report.
const REJECTED_PAGE: usize = 50;
/// Records in the preview.
const PREVIEW_ROWS: usize = 10;
/// Unknown customers listed by name.
const UNKNOWN_SHOWN: usize = 20;

/// The wizard's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    File,
    Kind,
    Mapping,
    Review,
}

/// The chosen file: the worker holds its bytes ([`run`]); the page shows what it is.
pub(crate) struct Source {
    name: String,
    size: usize,
    body: Body,
    /// Which file the worker keeps (see `protocol::FileRef`).
    token: u64,
}

/// What the chosen file is.
pub(crate) use crate::worker::protocol::FileBody as Body;

/// The wizard's state (one `Copy` handle of signals).
#[derive(Clone, Copy)]
pub(crate) struct Wizard {
    step: RwSignal<Step>,
    source: RwSignal<Option<Arc<Source>>>,
    sheet: RwSignal<Option<String>>,
    sample: RwSignal<Option<Arc<Table>>>,
    error: RwSignal<Option<String>>,
    kind: RwSignal<ImportKind>,
    survey: RwSignal<Option<String>>,
    mapping: RwSignal<Mapping>,
    reused: RwSignal<bool>,
    merge: RwSignal<MergeRule>,
    choice: RwSignal<UnknownChoice>,
    outcome: RwSignal<Option<Arc<ImportOutcome>>>,
    page: RwSignal<usize>,
    report_encoding: RwSignal<CsvEncoding>,
    /// The plan written and whether a snapshot of the data before it was kept (none is
    /// when there was no data).
    done: RwSignal<Option<(Plan, bool)>>,
}

impl Wizard {
    fn new() -> Self {
        Wizard {
            step: RwSignal::new(Step::File),
            source: RwSignal::new(None),
            sheet: RwSignal::new(None),
            sample: RwSignal::new(None),
            error: RwSignal::new(None),
            kind: RwSignal::new(ImportKind::Customers),
            survey: RwSignal::new(None),
            mapping: RwSignal::new(Mapping::default()),
            reused: RwSignal::new(false),
            merge: RwSignal::new(MergeRule::Update),
            choice: RwSignal::new(UnknownChoice::Create),
            outcome: RwSignal::new(None),
            page: RwSignal::new(0),
            report_encoding: RwSignal::new(CsvEncoding::Utf8Bom),
            done: RwSignal::new(None),
        }
    }

    /// Forgets the file and everything derived from it.
    fn reset(&self) {
        self.step.set(Step::File);
        self.source.set(None);
        self.sheet.set(None);
        self.sample.set(None);
        self.error.set(None);
        self.outcome.set(None);
        self.done.set(None);
    }

    /// After a successful import: back to the first step, the file dropped.
    fn reset_after_commit(&self) {
        self.step.set(Step::File);
        self.source.set(None);
        self.sheet.set(None);
        self.sample.set(None);
        self.error.set(None);
        self.outcome.set(None);
    }
}

fn kind_label(t: &ImportTexts, k: ImportKind) -> &'static str {
    match k {
        ImportKind::Customers => t.kind_customers,
        ImportKind::Orders => t.kind_orders,
        ImportKind::Contacts => t.kind_contacts,
        ImportKind::Responses => t.kind_responses,
        ImportKind::Complaints => t.kind_complaints,
        ImportKind::Interactions => t.kind_interactions,
    }
}

fn kind_hint(t: &ImportTexts, k: ImportKind) -> &'static str {
    match k {
        ImportKind::Customers => t.kind_customers_hint,
        ImportKind::Orders => t.kind_orders_hint,
        ImportKind::Contacts => t.kind_contacts_hint,
        ImportKind::Responses => t.kind_responses_hint,
        ImportKind::Complaints => t.kind_complaints_hint,
        ImportKind::Interactions => t.kind_interactions_hint,
    }
}

/// The saved mapping for `kind` and these headers, if every header it names still exists.
fn saved_mapping(app: AppState, kind: ImportKind, headers: &[String]) -> Option<Mapping> {
    let key = format!("{}:{}", kind.name(), header_signature(headers));
    let value = app.settings.with_untracked(|s| s.pages.get(MAPPINGS_KEY).and_then(|m| m.get(&key)).cloned())?;
    let m: Mapping = serde_json::from_value(value).ok()?;
    m.fields.values().all(|h| headers.contains(h)).then_some(m)
}

fn save_mapping(app: AppState, kind: ImportKind, headers: &[String], m: &Mapping) {
    let key = format!("{}:{}", kind.name(), header_signature(headers));
    let Ok(value) = serde_json::to_value(m) else { return };
    app.update_settings(|s| {
        let entry = s.pages.entry(MAPPINGS_KEY.to_string()).or_insert_with(|| serde_json::json!({}));
        if !entry.is_object() {
            *entry = serde_json::json!({});
        }
        if let Some(obj) = entry.as_object_mut() {
            obj.insert(key, value);
        }
    });
}

/// The import wizard page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let app = use_app();
    let w = Wizard::new();
    let it = move || texts(app.lang.get());
    let steps = [Step::File, Step::Kind, Step::Mapping, Step::Review];
    let step_label = move |s: Step| {
        let t = it();
        match s {
            Step::File => t.step_file,
            Step::Kind => t.step_kind,
            Step::Mapping => t.step_mapping,
            Step::Review => t.step_review,
        }
    };
    view! {
        <section class="page import-page" data-testid="page-import">
            <div class="page-head">
                <h1>{move || it().title}</h1>
                <a class="button ghost" href=Route::Data.href() data-testid="import-back-data">{move || it().back_to_data}</a>
            </div>
            <ol class="import-steps" data-testid="import-steps">
                {steps.into_iter().enumerate().map(|(i, s)| {
                    let class = move || {
                        let now = w.step.get() as usize;
                        if now == i { "active" } else if now > i { "done" } else { "" }
                    };
                    view! {
                    <li class=class>
                        <span class="import-step-no">{i + 1}</span>{move || step_label(s)}
                    </li>
                }}).collect_view()}
            </ol>
            {move || w.done.get().map(|(p, kept)| {
                let t = it();
                view! {
                    <div class="card import-done" data-testid="import-done">
                        <p class="ok">{fill(t.done_text, &[("add", &p.add), ("update", &p.update), ("skip", &p.skip), ("reject", &p.reject)])}</p>
                        // Says a snapshot was kept only when one was: the Data page lists it.
                        <p class="muted" data-testid="import-done-snapshot">{if kept { t.done_snapshot } else { t.done_no_snapshot }}</p>
                        <div class="actions">
                            <a class="button" href=Route::Customers.href() data-testid="import-done-customers">{t.done_customers}</a>
                            <a class="button" href=Route::Data.href()>{t.done_data}</a>
                        </div>
                    </div>
                }
            })}
            {move || w.error.get().map(|m| view! { <pre class="error-box" role="alert" data-testid="import-error">{m}</pre> })}
            {move || match w.step.get() {
                Step::File => view! { <FileStep w=w /> }.into_any(),
                Step::Kind => view! { <KindStep w=w /> }.into_any(),
                Step::Mapping => view! { <MappingStep w=w /> }.into_any(),
                Step::Review => view! { <ReviewStep w=w /> }.into_any(),
            }}
        </section>
    }
}

/// Step 1: choose the file; encoding or sheet; the first rows as read.
#[component]
fn FileStep(w: Wizard) -> impl IntoView {
    let app = use_app();
    let it = move || texts(app.lang.get());
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(run::load_file(app, w, file));
    };
    let details = move || {
        w.source.get().map(|src| {
            let t = it();
            let lang = app.lang.get();
            let what = match &src.body {
                Body::Text { encoding, forced, malformed, format, .. } => {
                    let fmt = if *format == FileFormat::Tsv { "TSV" } else { "CSV" };
                    let detected = encoding.clone();
                    let forced = forced.clone().unwrap_or_default();
                    let malformed = *malformed;
                    view! {
                        <p data-testid="import-file-info">{fill(t.file_info_text, &[("file", &src.name), ("size", &format::bytes(src.size as f64)), ("format", &fmt), ("encoding", &detected)])}</p>
                        <label class="field import-inline">
                            <span>{t.encoding}</span>
                            <select data-testid="import-encoding" prop:value=forced.clone() on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let label = (!v.is_empty()).then_some(v);
                                leptos::task::spawn_local(run::reencode(app, w, label));
                            }>
                                <option value="">{fill(t.encoding_auto, &[("encoding", &detected)])}</option>
                                {OVERRIDE_CHOICES.iter().map(|(label, zh, en)| {
                                    let text = if lang == Language::ZhCn { *zh } else { *en };
                                    view! { <option value=*label selected=forced == *label>{text}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        {malformed.then(|| view! { <p class="warn" data-testid="import-malformed">{t.malformed}</p> })}
                    }.into_any()
                }
                Body::Workbook { sheets, .. } => {
                    let sheets = sheets.clone();
                    let current = w.sheet.get().unwrap_or_default();
                    view! {
                        <p data-testid="import-file-info">{fill(t.file_info_workbook, &[("file", &src.name), ("size", &format::bytes(src.size as f64)), ("sheets", &sheets.len())])}</p>
                        <label class="field import-inline">
                            <span>{t.sheet}</span>
                            <select data-testid="import-sheet" on:change=move |ev| leptos::task::spawn_local(run::choose_sheet(app, w, event_target_value(&ev)))>
                                {sheets.iter().map(|s| view! { <option value=s.clone() selected=*s == current>{s.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                    }.into_any()
                }
            };
            view! { <div class="import-file-details">{what}</div> }
        })
    };
    let raw = move || {
        w.sample.get().map(|s| {
            let t = it();
            view! {
                <h3>{t.raw_title}</h3>
                <p class="muted">{fill(t.raw_hint, &[("n", &s.rows.len()), ("columns", &s.headers.len())])}</p>
                <SampleTable table=s testid="import-raw-preview" />
            }
        })
    };
    view! {
        <div class="card">
            <h2>{move || it().step_file}</h2>
            <p class="muted">{move || it().file_hint}</p>
            <label class="button primary file-button">
                {move || it().choose_file}
                <input type="file" accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xls,text/csv,text/tab-separated-values" data-testid="import-file" on:change=on_file />
            </label>
            {details}
            {raw}
            <div class="actions">
                <button class="primary" data-testid="import-next" disabled=move || w.sample.with(|s| s.is_none())
                    on:click=move |_| { w.error.set(None); w.step.set(Step::Kind) }>{move || it().next}</button>
            </div>
        </div>
    }
}

/// A small table of headers and rows as text.
#[component]
fn SampleTable(table: Arc<Table>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap import-sample" tabindex="0">
            <table class="table" data-testid=testid>
                <thead><tr>{table.headers.iter().map(|h| view! { <th>{h.clone()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {table.rows.iter().map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Step 2: what the file holds (and, for survey responses, which survey).
#[component]
fn KindStep(w: Wizard) -> impl IntoView {
    let app = use_app();
    let it = move || texts(app.lang.get());
    let surveys = Memo::new(move |_| app.data.surveys.with(|s| s.iter().map(|s| (s.id.clone(), s.name.clone())).collect::<Vec<_>>()));
    // Preselect the newest survey.
    Effect::new(move |_| {
        if w.survey.get_untracked().is_none() {
            if let Some((id, _)) = surveys.get().last() {
                w.survey.set(Some(id.clone()));
            }
        }
    });
    let blocked = move || w.kind.get() == ImportKind::Responses && w.survey.get().is_none();
    let next = move |_| {
        let Some(sample) = w.sample.get_untracked() else { return };
        let kind = w.kind.get_untracked();
        match saved_mapping(app, kind, &sample.headers) {
            Some(m) => {
                w.mapping.set(m);
                w.reused.set(true);
            }
            None => {
                let mut m = suggest(kind, &sample.headers);
                if refers_to_customers(kind) {
                    let counts = app.data.customers.with_untracked(|cs| MatchCounts::of(&sample.headers, &sample.rows, &m, cs));
                    m.match_by = counts.suggestion();
                }
                w.mapping.set(m);
                w.reused.set(false);
            }
        }
        w.error.set(None);
        w.step.set(Step::Mapping);
    };
    view! {
        <div class="card">
            <h2>{move || it().step_kind}</h2>
            <div class="import-kinds">
                {ImportKind::ALL.into_iter().map(|k| view! {
                    <label class="radio import-kind" data-testid=format!("import-kind-{}", k.name())>
                        <input type="radio" name="import-kind" prop:checked=move || w.kind.get() == k on:change=move |_| w.kind.set(k) />
                        <span><strong>{move || kind_label(it(), k)}</strong><br /><small class="muted">{move || kind_hint(it(), k)}</small></span>
                    </label>
                }).collect_view()}
            </div>
            <Show when=move || w.kind.get() == ImportKind::Responses>
                {move || if surveys.with(|s| s.is_empty()) {
                    view! { <p class="warn" data-testid="import-no-survey">{it().no_survey}</p> }.into_any()
                } else {
                    view! {
                        <label class="field import-inline">
                            <span>{it().survey}</span>
                            <select data-testid="import-survey" on:change=move |ev| { let v = event_target_value(&ev); w.survey.set((!v.is_empty()).then_some(v)) }>
                                {surveys.get().into_iter().map(|(id, name)| {
                                    let sel = w.survey.get_untracked().as_deref() == Some(id.as_str());
                                    view! { <option value=id.clone() selected=sel>{name}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                        <p class="muted">{it().survey_hint}</p>
                    }.into_any()
                }}
            </Show>
            <div class="actions">
                <button class="ghost" data-testid="import-prev" on:click=move |_| w.step.set(Step::File)>{move || it().back}</button>
                <button class="primary" data-testid="import-next" disabled=blocked on:click=next>{move || it().next}</button>
            </div>
        </div>
    }
}

/// Whether rows of `kind` name a customer that must be found among the stored ones.
fn refers_to_customers(kind: ImportKind) -> bool {
    kind != ImportKind::Customers && kind.fields().iter().any(|f| f.key == "customer_code" || f.key == "customer_name")
}

/// The label of a way to match customers.
fn match_label(t: &ImportTexts, m: CustomerMatch) -> &'static str {
    match m {
        CustomerMatch::Auto => t.match_auto,
        CustomerMatch::Id => t.match_id,
        CustomerMatch::Code => t.match_code,
        CustomerMatch::Name => t.match_name,
    }
}

/// How rows find their customers: id, code or name, with how many of the sample's
/// references each way matches.
#[component]
fn MatchByField(w: Wizard) -> impl IntoView {
    let app = use_app();
    let it = move || texts(app.lang.get());
    let counts = Memo::new(move |_| {
        let m = w.mapping.get();
        w.sample.with(|s| {
            s.as_ref().map(|s| app.data.customers.with(|cs| MatchCounts::of(&s.headers, &s.rows, &m, cs))).unwrap_or_default()
        })
    });
    let current = move || w.mapping.with(|m| m.match_by);
    view! {
        <div class="import-match" data-testid="import-match">
            <label class="field import-inline">
                <span>{move || it().match_by}</span>
                <select data-testid="import-match-by" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(m) = CustomerMatch::ALL.into_iter().find(|m| format!("{m:?}") == v) {
                        w.mapping.update(|x| x.match_by = m);
                    }
                }>
                    {CustomerMatch::ALL.into_iter().map(|m| view! {
                        <option value=format!("{m:?}") selected=move || current() == m>{move || match_label(it(), m)}</option>
                    }).collect_view()}
                </select>
            </label>
            <p class="muted" data-testid="import-match-counts">{move || {
                let c = counts.get();
                let t = it();
                if c.id + c.code + c.name == 0 {
                    t.match_none.to_string()
                } else {
                    fill(t.match_counts, &[("values", &c.values), ("id", &c.id), ("code", &c.code), ("name", &c.name)])
                }
            }}</p>
        </div>
    }
}

/// Step 3: which column holds which field.
#[component]
fn MappingStep(w: Wizard) -> impl IntoView {
    let app = use_app();
    let it = move || texts(app.lang.get());
    let headers = move || w.sample.with(|s| s.as_ref().map(|s| s.headers.clone()).unwrap_or_default());
    // Up to three non-empty sample values of a column.
    let samples = move |header: &str| -> String {
        w.sample.with(|s| {
            let Some(s) = s else { return String::new() };
            let Some(i) = s.headers.iter().position(|h| h == header) else { return String::new() };
            s.rows.iter().filter_map(|r| r.get(i)).filter(|c| !c.trim().is_empty()).take(3).cloned().collect::<Vec<_>>().join(" · ")
        })
    };
    let check = move |_| {
        let Some(sample) = w.sample.get_untracked() else { return };
        let kind = w.kind.get_untracked();
        save_mapping(app, kind, &sample.headers, &w.mapping.get_untracked());
        leptos::task::spawn_local(run::check(app, w));
    };
    let rows = move || {
        let lang = app.lang.get();
        let t = it();
        let kind = w.kind.get();
        let hs = headers();
        kind.fields().iter().map(|f| {
            let key = f.key;
            let need = match f.need {
                Need::Required => t.need_required,
                Need::CustomerRef => t.need_customer,
                Need::Optional => "",
            };
            let current = move || w.mapping.with(|m| m.header(key).map(str::to_string)).unwrap_or_default();
            let hs2 = hs.clone();
            view! {
                <tr data-testid=format!("map-row-{key}")>
                    <td><strong>{f.label(lang)}</strong>{(!need.is_empty()).then(|| view! { <span class="chip import-need">{need}</span> })}</td>
                    <td>
                        <select data-testid=format!("map-{key}") on:change=move |ev| {
                            let v = event_target_value(&ev);
                            w.mapping.update(|m| m.set(key, (!v.is_empty()).then_some(v.as_str())));
                        }>
                            <option value="" selected=move || current().is_empty()>{t.not_mapped}</option>
                            {hs2.iter().map(|h| {
                                let h2 = h.clone();
                                view! { <option value=h.clone() selected=move || current() == h2>{h.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </td>
                    <td class="muted import-samples">{move || { let c = current(); if c.is_empty() { String::new() } else { samples(&c) } }}</td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <div class="card">
            <h2>{move || it().step_mapping}</h2>
            <p class="muted">{move || if w.reused.get() { it().mapping_reused } else { it().mapping_suggested }}</p>
            <Show when=move || w.kind.get() == ImportKind::Responses>
                <p class="muted">{move || it().mapping_answers}</p>
            </Show>
            <Show when=move || refers_to_customers(w.kind.get())>
                <MatchByField w=w />
            </Show>
            <div class="table-wrap" tabindex="0">
                <table class="table import-mapping" data-testid="import-mapping">
                    <thead><tr><th>{move || it().col_field}</th><th>{move || it().col_column}</th><th>{move || it().col_samples}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="actions">
                <button class="ghost" data-testid="import-prev" on:click=move |_| w.step.set(Step::Kind)>{move || it().back}</button>
                <button class="primary" data-testid="import-check" on:click=check>{move || it().check}</button>
            </div>
        </div>
    }
}

/// Step 4: preview, counts, rejected rows, unknown customers, merge rule; confirm.
#[component]
fn ReviewStep(w: Wizard) -> impl IntoView {
    let app = use_app();
    let it = move || texts(app.lang.get());
    let plan = Memo::new(move |_| {
        w.outcome.with(|o| o.as_ref().map(|o| o.plan_with(run::effective_choice(o, w.choice.get()))))
    });
    let rerun = move || leptos::task::spawn_local(run::check(app, w));
    let confirm = move |_| leptos::task::spawn_local(run::commit(app, w));
    // The file's name without its extension, then "-rejected".
    let rejected_stem = move || {
        let name = w.source.with(|s| s.as_ref().map(|s| s.name.clone())).unwrap_or_default();
        let stem = name.rsplit_once('.').map(|(a, _)| a.to_string()).unwrap_or(name);
        format!("{stem}-rejected")
    };
    let none_rejected = move || w.outcome.with(|o| o.as_ref().is_none_or(|o| o.rejected.is_empty()));
    let download = move |_| {
        let Some(o) = w.outcome.get_untracked() else { return };
        let lang = app.lang.get_untracked();
        let enc = w.report_encoding.get_untracked();
        let result = rejected_csv(&o.rejected, lang, enc).map_err(|e| e.message(lang)).and_then(|bytes| {
            let mime = if enc == CsvEncoding::Gbk { "text/csv;charset=gbk" } else { "text/csv;charset=utf-8" };
            crate::files::download_bytes(&format!("{}.csv", untrack(rejected_stem)), &bytes, mime)
        });
        if let Err(e) = result {
            app.fail(e);
        }
    };
    let counts = move || {
        plan.get().map(|p| {
            let t = it();
            let rows = w.outcome.with(|o| o.as_ref().map(|o| (o.rows, o.blank)).unwrap_or_default());
            view! {
                <p data-testid="import-rows">{fill(t.rows_read, &[("rows", &format::number(rows.0 as f64, 0)), ("blank", &rows.1)])}</p>
                <div class="stats import-plan" data-testid="import-plan">
                    <div class="stat" data-testid="plan-add"><span class="stat-value">{format::number(p.add as f64, 0)}</span><span class="stat-label">{t.plan_add}</span></div>
                    <div class="stat" data-testid="plan-update"><span class="stat-value">{format::number(p.update as f64, 0)}</span><span class="stat-label">{t.plan_update}</span></div>
                    <div class="stat" data-testid="plan-skip"><span class="stat-value">{format::number(p.skip as f64, 0)}</span><span class="stat-label">{t.plan_skip}</span></div>
                    <div class="stat" data-testid="plan-reject"><span class="stat-value">{format::number(p.reject as f64, 0)}</span><span class="stat-label">{t.plan_reject}</span></div>
                </div>
            }
        })
    };
    let merge = move || {
        (w.kind.get() == ImportKind::Customers).then(|| view! {
            <fieldset class="import-choice">
                <legend>{move || it().merge_title}</legend>
                <p class="muted">{move || it().merge_hint}</p>
                <label class="radio"><input type="radio" name="merge" data-testid="merge-update" prop:checked=move || w.merge.get() == MergeRule::Update
                    on:change=move |_| { w.merge.set(MergeRule::Update); rerun() } />{move || it().merge_update}</label>
                <label class="radio"><input type="radio" name="merge" data-testid="merge-skip" prop:checked=move || w.merge.get() == MergeRule::Skip
                    on:change=move |_| { w.merge.set(MergeRule::Skip); rerun() } />{move || it().merge_skip}</label>
            </fieldset>
        })
    };
    let unknown = move || {
        w.outcome.get().filter(|o| !o.unknown_customers.is_empty()).map(|o| {
            let t = it();
            let more = o.unknown_customers.len().saturating_sub(UNKNOWN_SHOWN);
            view! {
                <fieldset class="import-choice" data-testid="import-unknown">
                    <legend>{fill(t.unknown_title, &[("n", &o.unknown_customers.len()), ("rows", &o.pending.len())])}</legend>
                    <ul class="import-unknown-list">
                        {o.unknown_customers.iter().take(UNKNOWN_SHOWN).map(|u| view! {
                            <li data-testid="unknown-customer">
                                <strong>{if u.name.is_empty() { u.code.clone() } else { u.name.clone() }}</strong>
                                {(!u.code.is_empty() && !u.name.is_empty()).then(|| format!(" ({})", u.code))}
                                <span class="muted">{fill(t.unknown_rows, &[("rows", &u.rows), ("first", &u.first_row)])}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(more > 0).then(|| view! { <p class="muted">{fill(t.unknown_more, &[("n", &more)])}</p> })}
                    <label class="radio"><input type="radio" name="unknown" data-testid="unknown-create" prop:checked=move || w.choice.get() == UnknownChoice::Create
                        on:change=move |_| w.choice.set(UnknownChoice::Create) />{t.unknown_create}</label>
                    <label class="radio"><input type="radio" name="unknown" data-testid="unknown-skip" prop:checked=move || w.choice.get() == UnknownChoice::Skip
                        on:change=move |_| w.choice.set(UnknownChoice::Skip) />{t.unknown_skip}</label>
                </fieldset>
            }
        })
    };
    let preview = move || {
        w.outcome.get().map(|o| {
            let t = it();
            let lang = app.lang.get();
            let kind = w.kind.get();
            let mapping = w.mapping.get();
            let cols = ImportOutcome::preview_columns(kind, &mapping);
            let mut rows = app.data.customers.with(|cs| o.preview(kind, &mapping, cs, PREVIEW_ROWS));
            // The core writes enumerations by their stored names (end_customer, dealer…):
            // show them by their labels in the page's language.
            for row in &mut rows {
                for (cell, &key) in row.iter_mut().zip(&cols) {
                    *cell = shown_cell(kind, key, cell, lang);
                }
            }
            let heads: Vec<String> = cols
                .iter()
                .map(|&c| match c {
                    "customer" => t.col_customer.to_string(),
                    "answers" => t.col_answers.to_string(),
                    key => kind.field(key).map(|f| f.label(lang).to_string()).unwrap_or_else(|| key.to_string()),
                })
                .collect();
            if rows.is_empty() {
                view! { <p class="empty" data-testid="import-preview-empty">{t.preview_empty}</p> }.into_any()
            } else {
                view! { <SampleTable table=Arc::new(Table { headers: heads, rows, ..Table::default() }) testid="import-preview-table" /> }.into_any()
            }
        })
    };
    let rejected = move || {
        w.outcome.get().map(|o| {
            let t = it();
            let lang = app.lang.get();
            let total = o.rejected.len();
            if total == 0 {
                return view! { <p class="ok" data-testid="import-no-rejected">{t.no_rejected}</p> }.into_any();
            }
            let pages = total.div_ceil(REJECTED_PAGE);
            let page = w.page.get().min(pages - 1);
            let shown: Vec<_> = o.rejected.iter().skip(page * REJECTED_PAGE).take(REJECTED_PAGE).cloned().collect();
            view! {
                <p class="warn">{fill(t.rejected_summary, &[("rows", &o.rejected_rows), ("cells", &total)])}</p>
                <div class="table-wrap" tabindex="0">
                    <table class="table import-rejected" data-testid="import-rejected">
                        <thead><tr><th class="num">{t.col_row}</th><th>{t.col_column}</th><th>{t.col_value}</th><th>{t.col_reason}</th></tr></thead>
                        <tbody>
                            {shown.into_iter().map(|r| view! {
                                <tr data-testid="rejected-row">
                                    <td class="num">{r.row}</td>
                                    <td>{if r.column.is_empty() { t.whole_row.to_string() } else { r.column.clone() }}</td>
                                    <td class="import-value">{r.value.clone()}</td>
                                    <td class="import-reason">{r.reason.get(lang).to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(pages > 1).then(|| view! {
                    <div class="actions pager">
                        <button class="ghost" disabled={page == 0} on:click=move |_| w.page.update(|p| *p = p.saturating_sub(1))>{t.prev_page}</button>
                        <span class="muted">{fill(t.page_of, &[("page", &(page + 1)), ("pages", &pages)])}</span>
                        <button class="ghost" disabled={page + 1 >= pages} on:click=move |_| w.page.update(|p| *p += 1)>{t.next_page}</button>
                    </div>
                })}
            }.into_any()
        })
    };
    let can_confirm = move || plan.get().is_some_and(|p| p.writes() > 0);
    view! {
        <div class="card">
            <h2>{move || it().step_review}</h2>
            {counts}
            {merge}
            {unknown}
            <h3>{move || it().preview_title}</h3>
            <p class="muted">{move || it().preview_hint}</p>
            {preview}
            <h3>{move || it().rejected_title}</h3>
            {rejected}
            <div class="actions import-report-actions">
                <select data-testid="import-report-encoding" on:change=move |ev| w.report_encoding.set(if event_target_value(&ev) == "gbk" { CsvEncoding::Gbk } else { CsvEncoding::Utf8Bom })>
                    <option value="utf8">{move || it().enc_utf8}</option>
                    <option value="gbk">{move || it().enc_gbk}</option>
                </select>
                <button data-testid="import-rejected-csv" disabled=none_rejected on:click=download>{move || it().download_rejected}</button>
                <ExcelButton testid="import-rejected" plain=true disabled=Signal::derive(none_rejected)
                    table=Callback::new(move |()| w.outcome.with_untracked(|o| o.as_ref().map(|o| (untrack(rejected_stem), rejected_table(&o.rejected, app.lang.get_untracked()))))
                        .ok_or_else(|| app.t_untracked().export_nothing.to_string())) />
            </div>
            <p class="muted">{move || it().confirm_hint}</p>
            <div class="actions">
                <button class="ghost" data-testid="import-prev" on:click=move |_| w.step.set(Step::Mapping)>{move || it().back}</button>
                <button class="primary" data-testid="import-confirm" disabled=move || !can_confirm() on:click=confirm>{move || it().confirm}</button>
            </div>
        </div>
    }
}

/// A preview cell as the user reads it: a stored enumeration name (`end_customer`,
/// `dealer`, `east`, `major`…) by its label in `lang`; a list of them (a contact's roles,
/// joined with "; ") item by item; anything else as it is.
pub(crate) fn shown_cell(kind: ImportKind, key: &str, cell: &str, lang: Language) -> String {
    use crate::i18n::Label;
    use clientscope_core::model::{BuyingRole, CitySize, CreditRating, CustomerKind, CustomerStatus, EconomicZone, InteractionKind, InteractionStatus, Region, Severity, Validity};
    fn via<T: serde::de::DeserializeOwned + Label>(cell: &str, lang: Language) -> Option<&'static str> {
        serde_json::from_value::<T>(serde_json::Value::String(cell.to_string())).ok().map(|v| v.label(lang))
    }
    let one = |cell: &str| -> Option<&'static str> {
        match (kind, key) {
            (ImportKind::Customers, "kind") => via::<CustomerKind>(cell, lang),
            (ImportKind::Customers, "region") => via::<Region>(cell, lang),
            (ImportKind::Customers, "city_size") => via::<CitySize>(cell, lang),
            (ImportKind::Customers, "economic_zone") => via::<EconomicZone>(cell, lang),
            (ImportKind::Customers, "status") => via::<CustomerStatus>(cell, lang),
            (ImportKind::Customers, "credit_rating") => via::<CreditRating>(cell, lang),
            (ImportKind::Contacts, "roles") => via::<BuyingRole>(cell, lang),
            (ImportKind::Complaints, "severity") => via::<Severity>(cell, lang),
            (ImportKind::Complaints, "validity") => serde_json::from_value::<Validity>(serde_json::Value::String(cell.to_string())).ok().map(|v| {
                let t = crate::i18n::complaints::texts(lang);
                match v {
                    Validity::Valid => t.validity_valid,
                    Validity::Invalid => t.validity_invalid,
                }
            }),
            (ImportKind::Interactions, "kind") => via::<InteractionKind>(cell, lang),
            (ImportKind::Interactions, "status") => serde_json::from_value::<InteractionStatus>(serde_json::Value::String(cell.to_string()))
                .ok()
                .map(|s| crate::i18n::visits::status_label(s, lang)),
            _ => None,
        }
    };
    if cell.contains("; ") {
        let parts: Vec<&str> = cell.split("; ").collect();
        let labels: Vec<&str> = parts.iter().filter_map(|p| one(p)).collect();
        if labels.len() == parts.len() {
            return labels.join(if lang == Language::ZhCn { "、" } else { ", " });
        }
    }
    one(cell).map_or_else(|| cell.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_cells_show_labels_in_the_language() {
        assert_eq!(shown_cell(ImportKind::Customers, "kind", "end_customer", Language::ZhCn), "终端顾客");
        assert_eq!(shown_cell(ImportKind::Customers, "kind", "dealer", Language::En), "dealer");
        assert_eq!(shown_cell(ImportKind::Customers, "kind", "dealer", Language::ZhCn), "中间商");
        assert_eq!(shown_cell(ImportKind::Customers, "region", "east", Language::ZhCn), "华东");
        assert_eq!(shown_cell(ImportKind::Complaints, "severity", "major", Language::ZhCn), "重大");
        assert_eq!(shown_cell(ImportKind::Contacts, "roles", "decider; buyer", Language::ZhCn), "决策者、采购者");
        assert_eq!(shown_cell(ImportKind::Contacts, "roles", "decider; buyer", Language::En), "decider, buyer");
        // Other fields and unknown values stay as they are.
        assert_eq!(shown_cell(ImportKind::Customers, "name", "dealer", Language::ZhCn), "dealer");
        assert_eq!(shown_cell(ImportKind::Customers, "kind", "vip", Language::ZhCn), "vip");
    }
}
