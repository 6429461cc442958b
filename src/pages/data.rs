//! Data & backup: storage state and quota, the backup reminder, export, import with
//! validation and preview, automatic snapshots, and the destructive actions (confirmed,
//! and undoable through the snapshot taken before them).

use crate::components::{confirm::Confirm, format};
use crate::i18n::fill;
use crate::state::{self, use_app};
use crate::store::{quota, SnapshotInfo, SnapshotReason};
use crate::jobs::JobError;
use crate::worker::protocol::{BackupPreview, FileRef};
use clientscope_core::backup::{self, ImportMode};
use clientscope_core::model::RecordKind;
use leptos::prelude::*;
use std::sync::Arc;

/// The checked backup waiting for confirmation (the worker holds it).
#[derive(Clone)]
struct Pending {
    file: FileRef,
    preview: Arc<BackupPreview>,
}

/// The Data & backup page.
#[component]
pub fn DataPage() -> impl IntoView {
    let app = use_app();
    let persisted = RwSignal::new(None::<bool>);
    let usage = RwSignal::new(None::<(f64, f64)>);
    let snapshots = RwSignal::new(Vec::<SnapshotInfo>::new());
    let refresh = move || {
        leptos::task::spawn_local(async move {
            persisted.set(quota::persisted().await);
            usage.set(quota::estimate().await);
            if let Ok(db) = state::db() {
                if let Ok(s) = db.snapshots().await {
                    snapshots.set(s);
                }
            }
        })
    };
    refresh();
    // Figures change after every write; refresh when the data does.
    Effect::new(move |_| {
        app.data.customers.track();
        app.data.orders.track();
        refresh();
    });

    let request_persist = move |_| {
        leptos::task::spawn_local(async move {
            let granted = quota::persist().await;
            persisted.set(granted.or(quota::persisted().await));
        })
    };

    let reminder = move || {
        let t = app.t();
        let last = app.settings.with(|s| s.last_backup_at);
        let now = chrono::Utc::now();
        let lang = app.lang.get();
        match last {
            None => view! { <p class="warn" data-testid="backup-reminder">{t.data_backup_never}</p> }.into_any(),
            Some(ts) if now - ts > chrono::Duration::days(7) => view! {
                <p class="warn" data-testid="backup-reminder">{t.data_backup_reminder} " " {fill(t.data_last_backup, &[("when", &format::timestamp(&ts, lang))])}</p>
            }.into_any(),
            Some(ts) => view! { <p class="muted" data-testid="last-backup">{fill(t.data_last_backup, &[("when", &format::timestamp(&ts, lang))])}</p> }.into_any(),
        }
    };

    // After what other tabs wrote has been read: the backup holds every tab's changes.
    let export = move |_| {
        leptos::task::spawn_local(async move {
            state::other_tabs_synced().await;
            match state::export_backup(app).await {
                Ok(name) => app.say(fill(app.t_untracked().data_exported, &[("file", &name)])),
                Err(e) => app.fail(e),
            }
        })
    };

    // Import: choose → parse and validate everything → preview → confirm.
    let pending = RwSignal::new(None::<Pending>);
    let import_error = RwSignal::new(None::<String>);
    let mode = RwSignal::new(ImportMode::Merge);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        pending.set(None);
        import_error.set(None);
        let name = file.name();
        // A hostile or mistaken choice (a disk image, a video) is refused from its size
        // alone, before a byte is read into the tab.
        if let Err(e) = backup::check_size(file.size() as u64) {
            import_error.set(Some(e.message(app.lang.get_untracked())));
            app.fail(app.t_untracked().data_import_failed);
            return;
        }
        leptos::task::spawn_local(async move {
            let t = app.t_untracked();
            app.begin(&fill(t.data_import_checking, &[("file", &name)]));
            // In the worker: read, parse (UTF-8 with or without a byte-order mark, UTF-16
            // with its mark; anything else refused naming the byte), validate, and plan.
            let fref = FileRef { token: crate::files::hold(file.clone()), name };
            let checked = crate::jobs::backup_open(app, &file, fref.clone()).await;
            app.end();
            match checked {
                Ok(preview) => pending.set(Some(Pending { file: fref, preview: Arc::new(preview) })),
                Err(JobError::Cancelled) => {}
                Err(e) => {
                    import_error.set(Some(e.shown(app)));
                    app.fail(app.t_untracked().data_import_failed);
                }
            }
        });
    };
    let plan = Memo::new(move |_| {
        let m = mode.get();
        pending.with(|p| p.as_ref().map(|p| if m == ImportMode::Merge { p.preview.merge.clone() } else { p.preview.replace.clone() }))
    });
    let confirm_import = move |_| {
        let Some(p) = pending.get_untracked() else { return };
        let m = mode.get_untracked();
        leptos::task::spawn_local(async move {
            let plan = plan.get_untracked();
            match state::import_backup(app, p.file.clone(), m).await {
                Ok(()) => {
                    pending.set(None);
                    let total = plan.map(|pl| pl.total()).unwrap_or_default();
                    app.say(fill(app.t_untracked().data_imported, &[("add", &total.add), ("update", &total.update), ("skip", &total.skip)]));
                    refresh();
                }
                Err(msg) => {
                    import_error.set(Some(msg));
                    app.fail(app.t_untracked().data_import_failed);
                }
            }
        });
    };

    // Snapshots.
    let restore_key = RwSignal::new(None::<SnapshotInfo>);
    let restore_open = RwSignal::new(false);
    let on_restore = Callback::new(move |_| {
        let Some(info) = restore_key.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            match state::restore_snapshot(app, info.key).await {
                Ok(()) => {
                    app.say(app.t_untracked().data_restored);
                    refresh();
                }
                Err(m) => app.fail(m),
            }
        });
    });

    // Danger zone.
    let delete_open = RwSignal::new(false);
    let on_delete_all = Callback::new(move |_| {
        leptos::task::spawn_local(async move {
            match state::delete_all(app).await {
                Ok(()) => {
                    app.say(app.t_untracked().data_deleted_all);
                    refresh();
                }
                Err(e) => {
                    app.fail_store(&e);
                    refresh();
                }
            }
        });
    });
    let demo_open = RwSignal::new(false);
    let on_demo = Callback::new(move |_| {
        leptos::task::spawn_local(async move {
            match state::load_demo(app).await {
                Ok(()) => {
                    app.say(app.t_untracked().data_demo_loaded);
                    refresh();
                }
                Err(e) => {
                    app.fail_store(&e);
                    refresh();
                }
            }
        });
    });

    let reason_label = move |r: SnapshotReason| {
        let t = app.t();
        match r {
            SnapshotReason::Import => t.data_snapshot_reason_import,
            SnapshotReason::DeleteAll => t.data_snapshot_reason_delete,
            SnapshotReason::Restore => t.data_snapshot_reason_restore,
            SnapshotReason::Demo => t.data_snapshot_reason_demo,
            SnapshotReason::FileImport => crate::i18n::import::texts(app.lang.get()).snapshot_reason_file,
        }
    };
    let kind_label = move |k: RecordKind| {
        let t = app.t();
        match k {
            RecordKind::Customer => t.count_customers,
            RecordKind::Contact => t.count_contacts,
            RecordKind::OrderLine => t.count_orders,
            RecordKind::Interaction => t.count_interactions,
            RecordKind::Complaint => t.count_complaints,
            RecordKind::Survey => t.count_surveys,
            RecordKind::SurveyResponse => t.count_responses,
        }
    };

    view! {
        <section class="page" data-testid="page-data">
            <h1>{move || app.t().data_title}</h1>

            <div class="card">
                <h2>{move || app.t().data_storage}</h2>
                <p data-testid="persist-state">{move || match persisted.get() {
                    Some(true) => app.t().data_persisted,
                    Some(false) => app.t().data_not_persisted,
                    None => app.t().data_persist_unknown,
                }}</p>
                <Show when=move || persisted.get() != Some(true)>
                    <button data-testid="persist-request" on:click=request_persist>{move || app.t().data_request_persist}</button>
                </Show>
                <p class="muted" data-testid="storage-usage">{move || usage.get().map(|(u, q)| fill(app.t().data_usage, &[("used", &format::bytes(u)), ("quota", &format::bytes(q))]))}</p>
                {reminder}
            </div>

            <div class="card">
                <h2>{move || app.t().data_export}</h2>
                <button class="primary" data-testid="export-backup" on:click=export>{move || app.t().data_export}</button>
            </div>

            <div class="card" data-testid="data-import-file">
                <h2>{move || crate::i18n::import::texts(app.lang.get()).data_card_title}</h2>
                <p class="muted">{move || crate::i18n::import::texts(app.lang.get()).data_card_text}</p>
                <a class="button primary" href=crate::route::Route::Import.href() data-testid="open-import-wizard">{move || crate::i18n::import::texts(app.lang.get()).data_open_wizard}</a>
            </div>

            <div class="card">
                <h2>{move || app.t().data_import}</h2>
                <label class="button file-button">
                    {move || app.t().data_import_choose}
                    <input type="file" accept=".json,application/json" data-testid="import-file" on:change=on_file />
                </label>
                {move || import_error.get().map(|m| view! { <pre class="error-box" role="alert" data-testid="import-error">{m}</pre> })}
                {move || pending.get().map(|p| {
                    let t = app.t();
                    let h = &p.preview.header;
                    let lang = app.lang.get();
                    view! {
                        <div class="import-preview" data-testid="import-preview">
                            <p class="ok">{fill(t.data_import_ok, &[("file", &p.file.name), ("when", &format::timestamp(&h.exported_at, lang)), ("version", &h.app_version)])}</p>
                            <fieldset>
                                <legend>{t.data_import_mode}</legend>
                                <label class="radio"><input type="radio" name="mode" data-testid="mode-merge"
                                    prop:checked=move || mode.get() == ImportMode::Merge on:change=move |_| mode.set(ImportMode::Merge) />{t.data_mode_merge}</label>
                                <label class="radio"><input type="radio" name="mode" data-testid="mode-replace"
                                    prop:checked=move || mode.get() == ImportMode::Replace on:change=move |_| mode.set(ImportMode::Replace) />{t.data_mode_replace}</label>
                            </fieldset>
                            <h3>{t.data_preview}</h3>
                            <table class="table" tabindex="0" data-testid="import-plan">
                                <thead><tr><th>{t.data_col_kind}</th><th class="num">{t.data_col_add}</th><th class="num">{t.data_col_update}</th><th class="num">{t.data_col_skip}</th><th class="num">{t.data_col_remove}</th></tr></thead>
                                <tbody>
                                    {move || plan.get().map(|pl| pl.per_kind.into_iter().map(|(k, kp)| view! {
                                        <tr><td>{kind_label(k)}</td><td class="num">{kp.add}</td><td class="num">{kp.update}</td><td class="num">{kp.skip}</td><td class="num">{kp.remove}</td></tr>
                                    }).collect_view())}
                                </tbody>
                            </table>
                            <div class="actions">
                                <button class="ghost" on:click=move |_| pending.set(None)>{t.cancel}</button>
                                <button class="primary" data-testid="import-confirm" on:click=confirm_import>{t.data_import_confirm}</button>
                            </div>
                        </div>
                    }
                })}
            </div>

            <div class="card">
                <h2>{move || app.t().data_snapshots}</h2>
                <p class="muted">{move || app.t().data_snapshots_hint}</p>
                {move || if snapshots.with(|s| s.is_empty()) {
                    view! { <p class="empty">{app.t().data_no_snapshots}</p> }.into_any()
                } else {
                    let lang = app.lang.get();
                    view! {
                        <ul class="snapshots" data-testid="snapshots">
                            {snapshots.get().into_iter().map(|s| {
                                let s2 = s.clone();
                                view! {
                                    <li>
                                        <span>{format::timestamp(&s.taken_at, lang)}</span>
                                        <span class="chip">{reason_label(s.reason)}</span>
                                        <span class="muted">{format!("{} {} · {} {}", format::number(s.counts.customers as f64, 0), app.t().count_customers, format::number(s.counts.orders as f64, 0), app.t().count_orders)}</span>
                                        <button data-testid="snapshot-restore" on:click=move |_| { restore_key.set(Some(s2.clone())); restore_open.set(true); }>{app.t().data_restore}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>

            <div class="card danger-zone">
                <h2>{move || app.t().data_danger}</h2>
                <div class="actions">
                    <button data-testid="load-demo" on:click=move |_| {
                        if app.data.total_untracked() == 0 { on_demo.run(()) } else { demo_open.set(true) }
                    }>{move || app.t().data_load_demo}</button>
                    <button class="danger" data-testid="delete-all" on:click=move |_| delete_open.set(true)>{move || app.t().data_delete_all}</button>
                </div>
            </div>

            <div class="card muted">
                <h2>{move || app.t().data_where}</h2>
                <p>{move || app.t().data_where_text}</p>
            </div>

            <Confirm open=delete_open
                title=Signal::derive(move || app.t().data_delete_all.to_string())
                text=Signal::derive(move || fill(app.t().data_delete_all_confirm, &[("n", &app.data.total_untracked())]))
                confirm_label=Signal::derive(move || app.t().data_delete_all.to_string())
                on_confirm=on_delete_all />
            <Confirm open=demo_open
                title=Signal::derive(move || app.t().data_load_demo.to_string())
                text=Signal::derive(move || app.t().data_load_demo_confirm.to_string())
                confirm_label=Signal::derive(move || app.t().data_load_demo.to_string())
                on_confirm=on_demo />
            <Confirm open=restore_open
                title=Signal::derive(move || app.t().data_restore.to_string())
                text=Signal::derive(move || fill(app.t().data_restore_confirm, &[("when", &restore_key.get().map(|s| format::timestamp(&s.taken_at, app.lang.get())).unwrap_or_default())]))
                confirm_label=Signal::derive(move || app.t().data_restore.to_string())
                on_confirm=on_restore />
        </section>
    }
}
