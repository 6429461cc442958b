//! Field entry at phone width, offline: pick the respondent (a customer, searched, or
//! anonymous with segment attributes) and the period, then one question per screen with
//! big answer buttons. Every answer is stored at once as the response record, so a closed
//! tab or a dead battery loses nothing; `<id>/entry/<response id>` resumes at the first
//! unanswered question.

use super::{actions, href, st, survey_signal};
use crate::i18n::fill;
use crate::route::Route;
use crate::state::{self, use_app};
use clientscope_core::model::{builtin_attributes, AttributeGroup, Language, Scale, Survey, SurveyResponse};
use clientscope_core::satisfaction::{analysis as an, scale};
use crate::components::format;
use chrono::Datelike;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// Segment attributes offered for anonymous respondents: the demographic ones with a
/// fixed list of values.
fn segment_defs() -> Vec<clientscope_core::model::AttributeDef> {
    builtin_attributes().into_iter().filter(|d| d.group == AttributeGroup::Demographic && !d.values.is_empty() && !d.multi).collect()
}

fn current_period() -> String {
    let d = chrono::Local::now().date_naive();
    format!("{}H{}", d.year(), if d.month() <= 6 { 1 } else { 2 })
}

thread_local! {
    /// The period of the last respondent, offered again for the next one.
    static LAST_PERIOD: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The entry view.
#[component]
pub fn Entry(id: String, response: Option<String>) -> impl IntoView {
    match response {
        None => view! { <Start id=id /> }.into_any(),
        Some(rid) => view! { <Questionnaire id=id rid=rid /> }.into_any(),
    }
}

/// Who answers, and when.
#[component]
fn Start(id: String) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id.clone());
    let sid = StoredValue::new(id.clone());
    let search = RwSignal::new(String::new());
    let customer = RwSignal::new(None::<(String, String, String)>);
    let segment = RwSignal::new(BTreeMap::<String, String>::new());
    let period = RwSignal::new(LAST_PERIOD.with(|p| p.borrow().clone()).unwrap_or_else(current_period));
    let error = RwSignal::new(None::<String>);
    let matches = Memo::new(move |_| {
        let q = search.get().trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        app.data.customers.with(|cs| {
            cs.iter()
                .filter(|c| c.name.to_lowercase().contains(&q) || c.code.to_lowercase().contains(&q) || c.id.to_lowercase().contains(&q))
                .take(8)
                // The id links the response; people see the code.
                .map(|c| (c.id.clone(), c.name.clone(), c.code.clone()))
                .collect::<Vec<_>>()
        })
    });
    let start = move |_| {
        let p = period.get_untracked().trim().to_string();
        if p.is_empty() {
            error.set(Some(st().period_required.to_string()));
            return;
        }
        LAST_PERIOD.with(|l| *l.borrow_mut() = Some(p.clone()));
        let rid = actions::new_id("R", |c| app.data.responses.with_untracked(|v| v.iter().any(|r| r.id == c)));
        let now = chrono::Utc::now();
        let r = SurveyResponse {
            id: rid.clone(),
            survey_id: sid.get_value(),
            customer_id: customer.get_untracked().map(|c| c.0),
            segment: if customer.get_untracked().is_some() { BTreeMap::new() } else { segment.get_untracked() },
            date: chrono::Local::now().date_naive(),
            period: p,
            answers: BTreeMap::new(),
            competitor_answers: BTreeMap::new(),
            repurchase: None,
            recommend: None,
            created_at: now,
            updated_at: now,
        };
        let id = sid.get_value();
        state::run(app, async move {
            actions::save_response(app, r).await?;
            app.go(&Route::SatisfactionAt(format!("{id}/entry/{rid}")));
            Ok(())
        });
    };
    let recent = move || {
        let id = sid.get_value();
        let n_items = survey.with(|s| s.as_ref().map(|s| s.root.leaves().len()).unwrap_or(0));
        // (id, answered, period, last change, blank draft); the count is the analysis's.
        let mut rs: Vec<(String, usize, String, clientscope_core::model::Timestamp, bool)> = app.data.responses.with(|v| {
            v.iter()
                .filter(|r| r.survey_id == id)
                .map(|r| (r.id.clone(), r.answers.len(), r.period.clone(), r.updated_at, an::is_blank(r)))
                .collect()
        });
        rs.sort_by(|a, b| b.3.cmp(&a.3));
        let total = survey.with(|s| s.as_ref().map_or(0, |s| app.data.responses.with(|v| an::responses_of(s, v).len())));
        rs.truncate(5);
        (rs, n_items, total)
    };
    view! {
        <div class="sat-entry" data-testid="sat-entry-start">
            <div class="card">
                <h2>{move || st().respondent}</h2>
                <label class="field">
                    <span>{move || st().period}</span>
                    <input type="text" data-testid="sat-period" prop:value=move || period.get() on:input=move |ev| period.set(event_target_value(&ev)) />
                    <small class="muted">{move || st().period_hint}</small>
                </label>
                <label class="field">
                    <span>{move || st().customer_search}</span>
                    <input type="search" data-testid="sat-customer-search" prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev)) />
                </label>
                <div class="sat-matches">
                    {move || matches.get().into_iter().map(|(cid, name, code)| {
                        let c = (cid, name.clone(), code.clone());
                        view! { <button class="choice" data-testid="sat-customer-match" on:click=move |_| { customer.set(Some(c.clone())); search.set(String::new()); }>{name}" "<span class="muted">{code}</span></button> }
                    }).collect_view()}
                </div>
                {move || match customer.get() {
                    Some((_, name, code)) => view! {
                        <p data-testid="sat-customer-chosen">{fill(st().linked_to, &[("name", &name), ("code", &code)])}
                            " "<button class="ghost small" data-testid="sat-customer-clear" on:click=move |_| customer.set(None)>{st().anonymous_instead}</button></p>
                    }.into_any(),
                    None => {
                        let lang = app.lang.get();
                        view! {
                            <p class="muted" data-testid="sat-anonymous">{st().anonymous}</p>
                            <div class="form-grid">
                                {segment_defs().into_iter().map(|d| {
                                    let key = d.key.clone();
                                    let key2 = d.key.clone();
                                    let label = if lang == Language::ZhCn { d.zh.clone() } else { d.en.clone() };
                                    view! {
                                        <label class="field">
                                            <span>{label}</span>
                                            <select data-testid=format!("sat-segment-{}", d.key) on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                let k = key.clone();
                                                segment.update(|m| { if v.is_empty() { m.remove(&k); } else { m.insert(k, v); } });
                                            }>
                                                <option value="">"—"</option>
                                                {d.values.iter().map(|v| {
                                                    let sel = segment.with_untracked(|m| m.get(&key2) == Some(&v.code));
                                                    view! { <option value=v.code.clone() selected=sel>{if lang == Language::ZhCn { v.zh.clone() } else { v.en.clone() }}</option> }
                                                }).collect_view()}
                                            </select>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }
                }}
                <div class="actions">
                    <button class="primary sat-big" data-testid="sat-start" on:click=start>{move || st().start}</button>
                </div>
                {move || error.get().map(|e| view! { <p class="field-error">{e}</p> })}
            </div>
            <div class="card">
                <h2>{move || st().recent_responses}</h2>
                {move || {
                    let (rs, n_items, total) = recent();
                    let id = sid.get_value();
                    view! {
                        <p class="muted" data-testid="sat-response-count">{fill(st().responses_so_far, &[("n", &total)])}</p>
                        <ul class="sat-recent">
                            {rs.into_iter().map(|(rid, answered, period, at, blank)| view! {
                                // A response is named by when it was last changed: its id is internal.
                                <li data-testid="sat-recent-response">
                                    <a href=Route::SatisfactionAt(format!("{id}/entry/{rid}")).href()>{format::timestamp(&at, app.lang.get())}</a>
                                    " · "{period}" · "{fill(st().answered_of, &[("k", &answered), ("n", &n_items)])}
                                    {blank.then(|| view! { " · "<span class="muted" data-testid="sat-draft">{st().draft_not_counted}</span> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                }}
            </div>
        </div>
    }
}

/// What one screen asks.
#[derive(Clone, PartialEq)]
enum Step {
    Item(usize),
    Repurchase,
    Recommend,
    Competitor(usize),
    Done,
}

fn steps(s: &Survey) -> Vec<Step> {
    let mut out: Vec<Step> = (0..s.root.leaves().len()).map(Step::Item).collect();
    if s.design.ask_repurchase {
        out.push(Step::Repurchase);
    }
    if s.design.ask_recommend {
        out.push(Step::Recommend);
    }
    out.extend((0..s.competitors.len()).map(Step::Competitor));
    out.push(Step::Done);
    out
}

/// The answers offered for a scale: (raw value, label), best first.
fn choices(sc: Scale, lang: Language) -> Vec<(f64, String)> {
    match sc {
        Scale::Likert5 => (1..=5).rev().map(|l| (f64::from(l), scale::likert5_word(l, lang).unwrap_or_default().to_string())).collect(),
        Scale::OneToTen => (1..=10).rev().map(|v| (f64::from(v), v.to_string())).collect(),
        Scale::ZeroToTen => (0..=10).rev().map(|v| (f64::from(v), v.to_string())).collect(),
    }
}

/// One respondent's questionnaire.
#[component]
fn Questionnaire(id: String, rid: String) -> impl IntoView {
    let app = use_app();
    let survey = survey_signal(id.clone());
    let sid = StoredValue::new(id.clone());
    let rid_v = StoredValue::new(rid.clone());
    let stored = Signal::derive(move || app.data.responses.with(|v| v.iter().find(|r| r.id == rid_v.get_value()).cloned()));
    // The answers as given, ahead of the store: every answer updates this at once and is
    // then written (writes to one object store commit in order). Reading the stored record
    // instead would let a quick second answer overwrite the first while its write is in
    // flight.
    let response = RwSignal::new(stored.get_untracked());
    Effect::new(move |_| {
        // Adopt the stored record when it arrives after this view opened.
        if let Some(s) = stored.get() {
            if response.with_untracked(|r| r.is_none()) {
                response.set(Some(s));
            }
        }
    });
    // Start at the first step without an answer (resuming after a reload).
    let first_open = move || -> usize {
        let (Some(s), Some(r)) = (survey.get_untracked(), response.get_untracked()) else { return 0 };
        let leaves = s.root.leaves();
        steps(&s)
            .iter()
            .position(|st| match st {
                Step::Item(i) => leaves.get(*i).is_some_and(|l| !r.answers.contains_key(&l.id)),
                Step::Repurchase => r.repurchase.is_none(),
                Step::Recommend => r.recommend.is_none(),
                Step::Competitor(_) | Step::Done => true,
            })
            .unwrap_or(0)
    };
    let step = RwSignal::new(first_open());
    let all_steps = Memo::new(move |_| survey.with(|s| s.as_ref().map(steps).unwrap_or_default()));
    let update = move |f: Box<dyn FnOnce(&mut SurveyResponse)>, advance: bool| {
        let Some(mut r) = response.get_untracked() else { return };
        f(&mut r);
        response.set(Some(r.clone()));
        // The next question shows once the answer is stored: a tab closed at any moment
        // after it appears keeps the answer (advancing first lost it to a quick reload).
        leptos::task::spawn_local(async move {
            match actions::save_response(app, r).await {
                Ok(()) if advance => {
                    let last = all_steps.try_get_untracked().unwrap_or_default().len().saturating_sub(1);
                    step.try_update(|k| *k = (*k + 1).min(last));
                }
                Ok(()) => {}
                Err(e) => app.fail_store(&e),
            }
        });
    };

    let screen = move || {
        let (Some(s), Some(r)) = (survey.get(), response.get()) else {
            return view! { <p class="error-box" data-testid="sat-response-missing">{st().response_missing}" "<a href=href(&sid.get_value(), "entry")>{st().start}</a></p> }.into_any();
        };
        let lang = app.lang.get();
        let t = st();
        let all = all_steps.get();
        let k = step.get().min(all.len().saturating_sub(1));
        let n = all.len().saturating_sub(1);
        let leaves: Vec<(String, String)> = s.root.leaves().iter().map(|l| (l.id.clone(), l.label.clone())).collect();
        let progress = view! {
            <div class="sat-progress" data-testid="sat-progress">
                <div class="bar"><div class="bar-fill" style:width=format!("{}%", if n == 0 { 100 } else { k * 100 / n })></div></div>
                <span class="muted">{fill(t.step_of, &[("k", &(k + 1).min(n.max(1))), ("n", &n)])}</span>
            </div>
        };
        let buttons = |current: Option<f64>, opts: Vec<(f64, String)>, set: std::rc::Rc<dyn Fn(f64)>| {
            opts.into_iter().map(|(v, label)| {
                let set = set.clone();
                view! {
                    <button class="sat-answer" class:chosen=current == Some(v) data-testid="sat-answer" on:click=move |_| set(v)>{label}</button>
                }
            }).collect_view()
        };
        let body = match all.get(k).cloned().unwrap_or(Step::Done) {
            Step::Item(i) => {
                let (leaf, label) = leaves.get(i).cloned().unwrap_or_default();
                let current = r.answers.get(&leaf).copied();
                let (l1, l2) = (leaf.clone(), leaf.clone());
                let set: std::rc::Rc<dyn Fn(f64)> = std::rc::Rc::new(move |v| { let l = l1.clone(); update(Box::new(move |r| { r.answers.insert(l, Some(v)); }), true) });
                view! {
                    <h2 class="sat-question" data-testid="sat-question">{label}</h2>
                    <div class="sat-answers" class:wide=s.scale != Scale::Likert5>{buttons(current.flatten(), choices(s.scale, lang), set)}</div>
                    <button class="sat-answer sat-na" class:chosen=current == Some(None) data-testid="sat-answer-na"
                        on:click=move |_| { let l = l2.clone(); update(Box::new(move |r| { r.answers.insert(l, None); }), true) }>{t.not_applicable}</button>
                }.into_any()
            }
            Step::Repurchase => {
                let set: std::rc::Rc<dyn Fn(f64)> = std::rc::Rc::new(move |v| update(Box::new(move |r| r.repurchase = Some(v)), true));
                view! {
                    <h2 class="sat-question" data-testid="sat-question">{t.q_repurchase}</h2>
                    <div class="sat-answers" class:wide=s.scale != Scale::Likert5>{buttons(r.repurchase, choices(s.scale, lang), set)}</div>
                }.into_any()
            }
            Step::Recommend => {
                let set: std::rc::Rc<dyn Fn(f64)> = std::rc::Rc::new(move |v| update(Box::new(move |r| r.recommend = Some(v as u8)), true));
                view! {
                    <h2 class="sat-question" data-testid="sat-question">{t.q_recommend}</h2>
                    <p class="muted">{t.recommend_hint}</p>
                    <div class="sat-answers wide">{buttons(r.recommend.map(f64::from), choices(Scale::ZeroToTen, lang), set)}</div>
                }.into_any()
            }
            Step::Competitor(c) => {
                let name = s.competitors.get(c).cloned().unwrap_or_default();
                let given = r.competitor_answers.get(&name).cloned().unwrap_or_default();
                let opts = choices(s.scale, lang);
                view! {
                    <h2 class="sat-question" data-testid="sat-question">{fill(t.q_competitor, &[("name", &name)])}</h2>
                    <p class="muted">{t.competitor_optional}</p>
                    <div class="sat-compact">
                        {leaves.iter().map(|(leaf, label)| {
                            let (leaf, name) = (leaf.clone(), name.clone());
                            let cur = given.get(&leaf).copied();
                            view! {
                                <label class="field sat-compact-row">
                                    <span>{label.clone()}</span>
                                    <select data-testid="sat-competitor-answer" on:change=move |ev| {
                                        let v = event_target_value(&ev).parse::<f64>().ok();
                                        let (leaf, name) = (leaf.clone(), name.clone());
                                        update(Box::new(move |r| {
                                            let m = r.competitor_answers.entry(name.clone()).or_default();
                                            match v { Some(v) => { m.insert(leaf, v); } None => { m.remove(&leaf); } }
                                            if m.is_empty() { r.competitor_answers.remove(&name); }
                                        }), false)
                                    }>
                                        <option value="">"—"</option>
                                        {opts.iter().map(|(v, l)| view! { <option value=v.to_string() selected=cur == Some(*v)>{l.clone()}</option> }).collect_view()}
                                    </select>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                }.into_any()
            }
            Step::Done => {
                let answered = r.answers.len();
                view! {
                    <h2 data-testid="sat-done">{t.done_title}</h2>
                    <p>{fill(t.done_text, &[("k", &answered), ("n", &leaves.len())])}</p>
                    <a class="button primary sat-big" data-testid="sat-next-respondent" href=href(&sid.get_value(), "entry")>{t.next_respondent}</a>
                }.into_any()
            }
        };
        view! {
            {progress}
            <div class="card sat-screen">{body}</div>
            <div class="actions sat-nav">
                <button class="sat-big" data-testid="sat-prev" disabled=move || { step.get() == 0 } on:click=move |_| step.update(|k| *k = k.saturating_sub(1))>{t.previous}</button>
                <button class="sat-big" data-testid="sat-skip" disabled=move || { step.get() + 1 >= all_steps.get().len() }
                    on:click=move |_| step.update(|k| *k += 1)>{t.next}</button>
            </div>
            <p class="muted sat-saved" data-testid="sat-saved-note">{fill(t.saved_note, &[("period", &r.period)])}</p>
        }.into_any()
    };
    view! { <div class="sat-entry" data-testid="sat-entry">{screen}</div> }
}
