//! Survey design: the indicator tree (add, remove, rename, reorder, weights with a warning
//! and a normalise button per level), weights three ways side by side (direct, AHP,
//! entropy / coefficient of variation from the responses), scale, competitors, loyalty
//! items, the path model of ACSI / CCSI surveys, the target, and the questionnaire preview.
//! Every edit is stored at once (the Survey record in IndexedDB).

use super::{actions, st, survey_signal};
use crate::components::{confirm::Confirm, format};
use crate::i18n::fill;
use crate::state::{self, use_app};
use clientscope_core::model::{IndicatorNode, Scale, Survey};
use clientscope_core::satisfaction::ahp::{ahp, AhpError, PairwiseMatrix};
use clientscope_core::satisfaction::analysis::objective_weights;
use clientscope_core::satisfaction::scale;
use leptos::prelude::*;


/// Saaty's 1-9 scale as offered in the comparison selects, strongest for the row first.
const SAATY: [(f64, &str); 17] = [
    (9.0, "9"),
    (8.0, "8"),
    (7.0, "7"),
    (6.0, "6"),
    (5.0, "5"),
    (4.0, "4"),
    (3.0, "3"),
    (2.0, "2"),
    (1.0, "1"),
    (1.0 / 2.0, "1/2"),
    (1.0 / 3.0, "1/3"),
    (1.0 / 4.0, "1/4"),
    (1.0 / 5.0, "1/5"),
    (1.0 / 6.0, "1/6"),
    (1.0 / 7.0, "1/7"),
    (1.0 / 8.0, "1/8"),
    (1.0 / 9.0, "1/9"),
];

fn saaty_index(v: f64) -> usize {
    SAATY.iter().enumerate().min_by(|a, b| (a.1 .0 - v).abs().total_cmp(&(b.1 .0 - v).abs())).map(|x| x.0).unwrap_or(8)
}

/// Applies an edit to the stored survey and stores the result.
fn edit_survey(id: &str, f: impl FnOnce(&mut Survey)) {
    let app = use_app();
    let Some(mut s) = actions::current_survey(app, id) else { return };
    f(&mut s);
    state::run(app, actions::save_survey(app, s));
}

fn scale_key(s: Scale) -> &'static str {
    match s {
        Scale::Likert5 => "likert5",
        Scale::OneToTen => "1-10",
        Scale::ZeroToTen => "0-10",
    }
}

/// A number for an input: up to 4 decimals, trailing zeros dropped.
pub(crate) fn plain(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// The design view.
#[component]
pub fn Design(id: String) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id.clone());
    let sid = StoredValue::new(id.clone());
    let n_responses = {
        let id = id.clone();
        Memo::new(move |_| app.data.responses.with(|v| v.iter().filter(|r| r.survey_id == id).count()))
    };
    let bad = RwSignal::new(None::<String>);
    let remove_target = RwSignal::new(None::<(String, String)>);
    let remove_open = RwSignal::new(false);

    let edit = move |f: Box<dyn FnOnce(&mut Survey)>| edit_survey(&sid.get_value(), f);
    // The node being dragged (drag a row onto a sibling to take its place).
    let dragging = RwSignal::new(None::<String>);

    // ---- tree rows
    let tree_rows = move || {
        let Some(s) = survey.get() else { return ().into_any() };
        let t = st();
        let root_id = s.root.id.clone();
        s.root
            .with_depth()
            .into_iter()
            .map(|(n, depth)| {
                let nid = n.id.clone();
                let is_root = n.id == root_id;
                let is_leaf = n.children.is_empty();
                let sum = n.children_weight_sum();
                let off = !n.children_weights_sum_to_one();
                let (id1, id2, id3, id4, id5, id6, id7) = (nid.clone(), nid.clone(), nid.clone(), nid.clone(), nid.clone(), nid.clone(), nid.clone());
                let label = n.label.clone();
                let label2 = n.label.clone();
                let (drag_id, drop_id) = (nid.clone(), nid.clone());
                view! {
                    <div class="sat-node" class:leaf=is_leaf style:padding-left=format!("{}rem", depth as f64 * 1.1) data-testid="sat-node"
                        draggable=if is_root { "false" } else { "true" }
                        class:dragging=move || dragging.with(|d| d.as_deref() == Some(drag_id.as_str()))
                        on:dragstart={
                            let id = nid.clone();
                            move |ev: leptos::ev::DragEvent| {
                                if let Some(dt) = ev.data_transfer() {
                                    let _ = dt.set_data("text/plain", &id);
                                    dt.set_effect_allowed("move");
                                }
                                dragging.set(Some(id.clone()));
                            }
                        }
                        on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                        on:dragend=move |_| dragging.set(None)
                        on:drop=move |ev: leptos::ev::DragEvent| {
                            ev.prevent_default();
                            if let Some(from) = dragging.get_untracked() {
                                let to = drop_id.clone();
                                dragging.set(None);
                                edit(Box::new(move |s| { s.root.move_to_sibling(&from, &to); }));
                            }
                        }>
                        <input type="text" class="sat-node-label" data-testid="sat-node-label" prop:value=label
                            aria-label=t.node_label
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let id = id1.clone();
                                edit(Box::new(move |s| if let Some(n) = s.root.find_mut(&id) { n.label = v.trim().to_string() }));
                            } />
                        {(!is_root).then(|| view! {
                            <input type="number" step="any" min="0" class="sat-node-weight" data-testid="sat-node-weight"
                                aria-label=t.weight prop:value=plain(n.weight)
                                on:change=move |ev| {
                                    match event_target_value(&ev).trim().parse::<f64>() {
                                        Ok(v) if v.is_finite() && v >= 0.0 => {
                                            bad.set(None);
                                            let id = id2.clone();
                                            edit(Box::new(move |s| if let Some(n) = s.root.find_mut(&id) { n.weight = v }));
                                        }
                                        _ => bad.set(Some(st().weight_invalid.to_string())),
                                    }
                                } />
                        })}
                        <span class="sat-node-buttons">
                            {(!is_root).then(|| view! {
                                <button class="ghost small" data-testid="sat-node-up" title=t.move_up on:click=move |_| {
                                    let id = id3.clone(); edit(Box::new(move |s| { s.root.move_by(&id, -1); }))
                                }>"↑"</button>
                                <button class="ghost small" data-testid="sat-node-down" title=t.move_down on:click=move |_| {
                                    let id = id4.clone(); edit(Box::new(move |s| { s.root.move_by(&id, 1); }))
                                }>"↓"</button>
                            })}
                            <button class="ghost small" data-testid="sat-node-add" title=t.add_child on:click=move |_| {
                                let id = id5.clone();
                                let label = st().new_question.to_string();
                                edit(Box::new(move |s| {
                                    let nid = s.root.fresh_id("q");
                                    let label = format!("{label} {}", nid.trim_start_matches('q'));
                                    s.root.add_child(&id, IndicatorNode { id: nid, label, weight: 1.0, children: vec![] });
                                }))
                            }>"+"</button>
                            {(!is_root).then(|| view! {
                                <button class="ghost small" data-testid="sat-node-remove" title=t.remove on:click=move |_| {
                                    remove_target.set(Some((id6.clone(), label2.clone())));
                                    remove_open.set(true);
                                }>"×"</button>
                            })}
                        </span>
                        {(!is_leaf && off).then(|| view! {
                            <span class="warn sat-sum" data-testid="sat-weight-warning">
                                {fill(t.weights_sum, &[("sum", &plain(sum))])}
                                <button class="small" data-testid="sat-normalise" on:click=move |_| {
                                    let id = id7.clone();
                                    edit(Box::new(move |s| { if let Some(n) = s.root.find_mut(&id) { n.normalise_children(); } }))
                                }>{t.normalise}</button>
                            </span>
                        })}
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };

    let do_remove = move |_| {
        if let Some((id, _)) = remove_target.get_untracked() {
            edit(Box::new(move |s| {
                s.root.remove(&id);
                s.design.paths.retain(|(a, b)| a != &id && b != &id);
            }));
        }
    };

    view! {
        <div class="sat-design" data-testid="sat-design">
            <div class="card">
                <h2>{move || st().step_indicators}</h2>
                <div class="form-grid">
                    <label class="field">
                        <span>{move || st().survey_name}</span>
                        <input type="text" data-testid="sat-name" prop:value=move || survey.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default())
                            on:change=move |ev| { let v = event_target_value(&ev); if !v.trim().is_empty() { edit(Box::new(move |s| s.name = v.trim().to_string())) } } />
                    </label>
                    <label class="field">
                        <span>{move || st().scale}</span>
                        <select data-testid="sat-scale" disabled=move || { n_responses.get() > 0 }
                            on:change=move |ev| {
                                let sc = match event_target_value(&ev).as_str() { "1-10" => Scale::OneToTen, "0-10" => Scale::ZeroToTen, _ => Scale::Likert5 };
                                edit(Box::new(move |s| s.scale = sc));
                            }>
                            {[Scale::Likert5, Scale::OneToTen, Scale::ZeroToTen].into_iter().map(|sc| view! {
                                <option value=scale_key(sc) selected=move || survey.with(|s| s.as_ref().is_some_and(|s| s.scale == sc))>
                                    {move || scale::describe(sc, app.lang.get())}
                                </option>
                            }).collect_view()}
                        </select>
                        <Show when=move || { n_responses.get() > 0 }>
                            <small class="muted">{move || st().scale_locked}</small>
                        </Show>
                    </label>
                </div>
                <p class="muted">{move || st().tree_hint}</p>
                <div class="sat-tree" data-testid="sat-tree">{tree_rows}</div>
                {move || bad.get().map(|e| view! { <p class="field-error" data-testid="sat-design-error">{e}</p> })}
            </div>
            <WeightsPanel id=sid.get_value() />
            <div class="card">
                <h2>{move || st().loyalty_and_competitors}</h2>
                <div class="form-grid">
                    <label class="field radio">
                        <input type="checkbox" data-testid="sat-ask-repurchase" prop:checked=move || survey.with(|s| s.as_ref().is_some_and(|s| s.design.ask_repurchase))
                            on:change=move |ev| { let v = event_target_checked(&ev); edit(Box::new(move |s| s.design.ask_repurchase = v)) } />
                        <span>{move || st().ask_repurchase}</span>
                    </label>
                    <label class="field radio">
                        <input type="checkbox" data-testid="sat-ask-recommend" prop:checked=move || survey.with(|s| s.as_ref().is_some_and(|s| s.design.ask_recommend))
                            on:change=move |ev| { let v = event_target_checked(&ev); edit(Box::new(move |s| s.design.ask_recommend = v)) } />
                        <span>{move || st().ask_recommend}</span>
                    </label>
                    <label class="field wide">
                        <span>{move || st().competitors}</span>
                        <input type="text" data-testid="sat-competitors" prop:value=move || survey.with(|s| s.as_ref().map(|s| s.competitors.join(", ")).unwrap_or_default())
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                let names: Vec<String> = v.split([',', '，', '、', ';', '；']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
                                edit(Box::new(move |s| s.competitors = names));
                            } />
                        <small class="muted">{move || st().competitors_hint}</small>
                    </label>
                </div>
            </div>
            <PathsPanel id=sid.get_value() />
            <Preview id=sid.get_value() />
            <Confirm open=remove_open
                title=Signal::derive(move || st().remove_title.to_string())
                text=Signal::derive(move || fill(st().remove_text, &[("name", &remove_target.get().map(|x| x.1).unwrap_or_default())]))
                confirm_label=Signal::derive(move || st().remove.to_string())
                on_confirm=Callback::new(do_remove) />
        </div>
    }
}

/// Weights of one indicator's children three ways side by side, and the AHP comparison.
#[component]
fn WeightsPanel(id: String) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id.clone());
    let sid = StoredValue::new(id.clone());
    let node = RwSignal::new(survey.with_untracked(|s| s.as_ref().map(|s| s.root.id.clone()).unwrap_or_default()));
    let edit = move |f: Box<dyn FnOnce(&mut Survey)>| edit_survey(&sid.get_value(), f);

    let inner_nodes = move || {
        survey.with(|s| {
            s.as_ref()
                .map(|s| s.root.nodes().into_iter().filter(|n| !n.children.is_empty()).map(|n| (n.id.clone(), n.label.clone())).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let children = move || {
        survey.with(|s| {
            s.as_ref()
                .and_then(|s| s.root.find(&node.get()))
                .map(|n| n.children.iter().map(|c| (c.id.clone(), c.label.clone(), c.weight)).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    // The saved upper triangle, or all 1 when none fits the current children.
    let upper = move || {
        let k = children().len();
        let want = k * k.saturating_sub(1) / 2;
        survey
            .with(|s| s.as_ref().and_then(|s| s.design.ahp.get(&node.get()).cloned()))
            .filter(|u| u.len() == want)
            .unwrap_or_else(|| vec![1.0; want])
    };
    let ahp_result = Memo::new(move |_| {
        let k = children().len();
        if k < 2 {
            return None;
        }
        Some(PairwiseMatrix::from_upper(k, &upper()).map(|m| ahp(&m)))
    });
    let objective = Memo::new(move |_| {
        let n = node.get();
        let s = survey.get()?;
        app.data.responses.with(|rs| objective_weights(&s, rs, &n).ok().flatten())
    });
    let direct = move || {
        let ws: Vec<f64> = children().iter().map(|c| c.2).collect();
        clientscope_core::satisfaction::weights::normalise(&ws).ok()
    };
    let set_weights = move |w: Vec<f64>| {
        let n = node.get_untracked();
        let Ok(w) = clientscope_core::satisfaction::weights::rounded(&w, 4) else { return };
        edit(Box::new(move |s| {
            if let Some(node) = s.root.find_mut(&n) {
                node.children.iter_mut().zip(w).for_each(|(c, w)| c.weight = w);
            }
        }))
    };
    let fmt = |v: Option<f64>| v.map(|v| format::number(v, 3)).unwrap_or_else(|| "—".into());

    view! {
        <div class="card" data-testid="sat-weights">
            <h2>{move || st().weights_title}</h2>
            <label class="field">
                <span>{move || st().weights_of}</span>
                <select data-testid="sat-weights-node" on:change=move |ev| node.set(event_target_value(&ev))>
                    {move || inner_nodes().into_iter().map(|(id, label)| {
                        let sel = id == node.get_untracked();
                        view! { <option value=id selected=sel>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <div class="table-wrap" tabindex="0">
                <table class="table" data-testid="sat-weights-table">
                    <thead><tr>
                        <th>{move || st().indicator}</th>
                        <th class="num">{move || st().w_direct}</th>
                        <th class="num">{move || st().w_ahp}</th>
                        <th class="num">{move || st().w_entropy}</th>
                        <th class="num">{move || st().w_cv}</th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let d = direct();
                            let a = ahp_result.get().and_then(|r| r.ok()).map(|r| r.weights);
                            let o = objective.get();
                            let e = o.as_ref().and_then(|o| o.entropy.as_ref().ok()).map(|r| r.weights.clone());
                            let c = o.as_ref().and_then(|o| o.cv.as_ref().ok()).map(|r| r.weights.clone());
                            children().into_iter().enumerate().map(|(i, (_, label, _))| view! {
                                <tr>
                                    <td>{label}</td>
                                    <td class="num">{fmt(d.as_ref().and_then(|v| v.get(i).copied()))}</td>
                                    <td class="num" data-testid="sat-ahp-weight">{fmt(a.as_ref().and_then(|v| v.get(i).copied()))}</td>
                                    <td class="num">{fmt(e.as_ref().and_then(|v| v.get(i).copied()))}</td>
                                    <td class="num">{fmt(c.as_ref().and_then(|v| v.get(i).copied()))}</td>
                                </tr>
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            {move || objective.get().map(|o| {
                let why: Vec<String> = [o.entropy.as_ref().err(), o.cv.as_ref().err()].into_iter().flatten().cloned().collect();
                (!why.is_empty()).then(|| view! { <p class="muted">{fill(st().objective_unavailable, &[("why", &why.join("; "))])}</p> })
            })}
            <p class="muted">{move || st().objective_hint}</p>
            <div class="actions">
                <button class="small" data-testid="sat-use-ahp" disabled=move || !ahp_result.get().is_some_and(|r| r.is_ok())
                    on:click=move |_| { if let Some(Ok(r)) = ahp_result.get_untracked() { set_weights(r.weights) } }>{move || st().use_ahp}</button>
                <button class="small" data-testid="sat-use-entropy" disabled=move || !objective.get().is_some_and(|o| o.entropy.is_ok())
                    on:click=move |_| { if let Some(Ok(r)) = objective.get_untracked().map(|o| o.entropy) { set_weights(r.weights) } }>{move || st().use_entropy}</button>
                <button class="small" data-testid="sat-use-cv" disabled=move || !objective.get().is_some_and(|o| o.cv.is_ok())
                    on:click=move |_| { if let Some(Ok(r)) = objective.get_untracked().map(|o| o.cv) { set_weights(r.weights) } }>{move || st().use_cv}</button>
            </div>
            <h3>{move || st().ahp_title}</h3>
            <p class="muted">{move || st().ahp_hint}</p>
            <div class="sat-ahp" data-testid="sat-ahp">
                {move || {
                    let ch = children();
                    let up = upper();
                    let k = ch.len();
                    let mut pairs = Vec::new();
                    let mut idx = 0;
                    for i in 0..k {
                        for j in i + 1..k {
                            pairs.push((idx, ch[i].1.clone(), ch[j].1.clone(), up.get(idx).copied().unwrap_or(1.0)));
                            idx += 1;
                        }
                    }
                    pairs.into_iter().map(|(p, a, b, v)| {
                        let cur = saaty_index(v);
                        let name = fill(st().ahp_pair_label, &[("a", &a), ("b", &b)]);
                        view! {
                            <div class="sat-ahp-pair">
                                <span>{a}</span>
                                <select data-testid="sat-ahp-select" aria-label=name on:change=move |ev| {
                                    let Ok(i) = event_target_value(&ev).parse::<usize>() else { return };
                                    let v = SAATY.get(i).map(|x| x.0).unwrap_or(1.0);
                                    let n = node.get_untracked();
                                    let mut u = upper();
                                    if let Some(slot) = u.get_mut(p) { *slot = v }
                                    edit(Box::new(move |s| { s.design.ahp.insert(n, u); }));
                                }>
                                    {SAATY.iter().enumerate().map(|(i, (_, l))| view! { <option value=i.to_string() selected=i == cur>{*l}</option> }).collect_view()}
                                </select>
                                <span>{b}</span>
                            </div>
                        }
                    }).collect_view()
                }}
            </div>
            {move || ahp_result.get().map(|r| match r {
                Err(e) => view! { <p class="warn" data-testid="sat-ahp-error">{ahp_error(&e)}</p> }.into_any(),
                Ok(r) => {
                    let t = st();
                    let ch = children();
                    let pair = r.most_inconsistent.as_ref().map(|p| {
                        let name = |i: usize| ch.get(i).map(|c| c.1.clone()).unwrap_or_default();
                        fill(t.ahp_pair, &[("a", &name(p.i)), ("b", &name(p.j)), ("given", &plain(p.given)), ("implied", &format::number(p.implied, 2))])
                    });
                    view! {
                        <p data-testid="sat-ahp-stats">{fill(t.ahp_stats, &[("lambda", &format::number(r.lambda_max, 4)), ("ci", &format::number(r.ci, 4)), ("ri", &format::number(r.ri, 2)), ("cr", &format::number(r.cr, 4))])}</p>
                        {(!r.consistent).then(|| view! { <p class="warn" data-testid="sat-ahp-warning">{t.ahp_inconsistent}" "{pair.clone().unwrap_or_default()}</p> })}
                    }.into_any()
                }
            })}
        </div>
    }
}

fn ahp_error(e: &AhpError) -> String {
    match e {
        AhpError::TooLarge(n) => fill(st().ahp_too_large, &[("n", n)]),
        other => other.to_string(),
    }
}

/// Structural paths between first-level indicators (the ACSI / CCSI model) and the
/// satisfaction indicator.
#[component]
fn PathsPanel(id: String) -> impl IntoView {
    let survey = survey_signal(id.clone());
    let sid = StoredValue::new(id);
    let edit = move |f: Box<dyn FnOnce(&mut Survey)>| edit_survey(&sid.get_value(), f);
    let firsts = move || survey.with(|s| s.as_ref().map(|s| s.root.children.iter().map(|c| (c.id.clone(), c.label.clone())).collect::<Vec<_>>()).unwrap_or_default());
    let label_of = move |id: &str| firsts().into_iter().find(|c| c.0 == id).map(|c| c.1).unwrap_or_else(|| id.to_string());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let options = move |sel: RwSignal<String>| {
        view! {
            <option value="">"—"</option>
            {move || firsts().into_iter().map(|(id, l)| { let s = id == sel.get_untracked(); view! { <option value=id selected=s>{l}</option> } }).collect_view()}
        }
    };
    view! {
        <div class="card" data-testid="sat-paths">
            <h2>{move || st().paths_title}</h2>
            <p class="muted">{move || st().paths_hint}</p>
            <ul class="sat-path-list">
                {move || survey.with(|s| s.as_ref().map(|s| s.design.paths.clone()).unwrap_or_default()).into_iter().map(|(a, b)| {
                    let (a2, b2) = (a.clone(), b.clone());
                    view! {
                        <li data-testid="sat-path">{label_of(&a)}" → "{label_of(&b)}
                            <button class="ghost small" data-testid="sat-path-remove" on:click=move |_| {
                                let (a, b) = (a2.clone(), b2.clone());
                                edit(Box::new(move |s| s.design.paths.retain(|p| !(p.0 == a && p.1 == b))))
                            }>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="actions">
                <select data-testid="sat-path-from" aria-label=move || st().path_from on:change=move |ev| from.set(event_target_value(&ev))>{options(from)}</select>
                <span>"→"</span>
                <select data-testid="sat-path-to" aria-label=move || st().path_to on:change=move |ev| to.set(event_target_value(&ev))>{options(to)}</select>
                <button class="small" data-testid="sat-path-add" on:click=move |_| {
                    let (a, b) = (from.get_untracked(), to.get_untracked());
                    if a.is_empty() || b.is_empty() || a == b { return }
                    edit(Box::new(move |s| if !s.design.paths.iter().any(|p| p.0 == a && p.1 == b) { s.design.paths.push((a, b)) }))
                }>{move || st().add_path}</button>
            </div>
            <label class="field">
                <span>{move || st().satisfaction_node}</span>
                <select data-testid="sat-sat-node" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |s| s.design.satisfaction_node = (!v.is_empty()).then_some(v)))
                }>
                    <option value="">"—"</option>
                    {move || {
                        let cur = survey.with(|s| s.as_ref().and_then(|s| s.design.satisfaction_node.clone())).unwrap_or_default();
                        firsts().into_iter().map(|(id, l)| { let s = id == cur; view! { <option value=id selected=s>{l}</option> } }).collect_view()
                    }}
                </select>
            </label>
            <p class="muted">{move || st().formative_title}</p>
            <div class="actions" data-testid="sat-formative">
                {move || {
                    let (paths, formative) = survey.with(|s| s.as_ref().map(|s| (s.design.paths.clone(), s.design.formative.clone())).unwrap_or_default());
                    firsts().into_iter().filter(|(id, _)| paths.iter().any(|(a, b)| a == id || b == id)).map(|(id, l)| {
                        let checked = formative.contains(&id);
                        let id2 = id.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid=format!("sat-formative-{id}") prop:checked=checked on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    let id = id2.clone();
                                    edit(Box::new(move |s| { if on { s.design.formative.insert(id); } else { s.design.formative.remove(&id); } }))
                                } />
                                {l}
                            </label>
                        }
                    }).collect_view()
                }}
            </div>
        </div>
    }
}

/// The questionnaire as the respondent sees it: every question with its scale.
#[component]
fn Preview(id: String) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id);
    view! {
        <div class="card" data-testid="sat-preview">
            <h2>{move || st().preview_title}</h2>
            {move || survey.get().map(|s| {
                let lang = app.lang.get();
                let t = st();
                let path_of = |leaf: &str| {
                    let mut names = Vec::new();
                    let mut cur = leaf.to_string();
                    while let Some(p) = s.root.parent_of(&cur) {
                        if p.id != s.root.id { names.push(p.label.clone()) }
                        cur = p.id.clone();
                    }
                    names.reverse();
                    names.join(" › ")
                };
                view! {
                    <p class="muted">{scale::describe(s.scale, lang)}" · "{t.na_allowed}</p>
                    <ol class="sat-preview-list">
                        {s.root.leaves().into_iter().map(|l| view! {
                            <li data-testid="sat-preview-item"><span class="muted">{path_of(&l.id)}</span>" "<strong>{l.label.clone()}</strong></li>
                        }).collect_view()}
                        {s.design.ask_repurchase.then(|| view! { <li><strong>{t.q_repurchase}</strong></li> })}
                        {s.design.ask_recommend.then(|| view! { <li><strong>{t.q_recommend}</strong>" (0-10)"</li> })}
                    </ol>
                    {(!s.competitors.is_empty()).then(|| view! { <p class="muted">{fill(t.preview_competitors, &[("names", &s.competitors.join("、"))])}</p> })}
                }
            })}
        </div>
    }
}

