//! Positioning 市场定位: a statement and the 4P notes for every target segment, and the
//! perceptual map (two attributes, the own offer and named competitors, entered by the
//! user) drawn on canvas.

use super::shared::{ChartCard, Page};
use crate::charts::segments as charts;
use crate::components::chart::Chart;
use crate::i18n::fill;
use clientscope_core::segment::evaluation::{MapError, MapOffer, Positioning as Notes};
use leptos::prelude::*;

/// The positioning tab.
#[component]
pub fn Positioning(page: Page) -> impl IntoView {
    let app = page.app;
    let targets = move || app.settings.with(|s| s.segments.evaluation.rows.iter().filter(|r| r.target).map(|r| (r.segment.clone(), r.positioning.clone())).collect::<Vec<_>>());
    let map = move || app.settings.with(|s| s.segments.perceptual_map.clone());
    let set_note = move |seg: String, f: fn(&mut Notes, String), v: String| {
        page.edit_saved(move |s| {
            if let Some(r) = s.evaluation.rows.iter_mut().find(|r| r.segment == seg) {
                f(&mut r.positioning, v);
            }
        });
    };
    view! {
        <div class="card">
            <h2>{move || page.t().positioning_title}</h2>
            <p class="muted">{move || page.t().positioning_hint}</p>
            {move || {
                let ts = targets();
                if ts.is_empty() {
                    return view! { <p class="empty" data-testid="positioning-empty">{page.t().no_targets}</p> }.into_any();
                }
                ts.into_iter().map(|(seg, notes)| {
                    let seg_f = seg.clone();
                    let field = move |label: &'static str, testid: &'static str, value: String, f: fn(&mut Notes, String), area: bool| {
                        let seg = seg_f.clone();
                        let on_change = move |ev: leptos::ev::Event| set_note(seg.clone(), f, event_target_value(&ev));
                        if area {
                            view! { <label class="field wide"><span>{label}</span><textarea data-testid=testid prop:value=value on:change=on_change></textarea></label> }.into_any()
                        } else {
                            view! { <label class="field"><span>{label}</span><input type="text" data-testid=testid prop:value=value on:change=on_change /></label> }.into_any()
                        }
                    };
                    let t = page.t();
                    view! {
                        <div class="seg-target" data-testid="positioning-target">
                            <h3>{fill(t.target_heading, &[("name", &seg)])}</h3>
                            <div class="form-grid seg-4p">
                                {field(t.statement, "positioning-statement", notes.statement.clone(), |n, v| n.statement = v, true)}
                                {field(t.product, "positioning-product", notes.product.clone(), |n, v| n.product = v, false)}
                                {field(t.price, "positioning-price", notes.price.clone(), |n, v| n.price = v, false)}
                                {field(t.place, "positioning-place", notes.place.clone(), |n, v| n.place = v, false)}
                                {field(t.promotion, "positioning-promotion", notes.promotion.clone(), |n, v| n.promotion = v, false)}
                            </div>
                        </div>
                    }
                }).collect_view().into_any()
            }}
        </div>
        <div class="card" data-testid="perceptual-map">
            <h2>{move || page.t().map_title}</h2>
            <p class="muted">{move || page.t().map_hint}</p>
            <div class="form-grid seg-form">
                <label class="field"><span>{move || page.t().map_x}</span>
                    <input type="text" data-testid="map-x-label" prop:value=move || map().x_label
                        on:change=move |ev| { let v = event_target_value(&ev); page.edit_saved(|s| s.perceptual_map.x_label = v); } /></label>
                <label class="field"><span>{move || page.t().map_y}</span>
                    <input type="text" data-testid="map-y-label" prop:value=move || map().y_label
                        on:change=move |ev| { let v = event_target_value(&ev); page.edit_saved(|s| s.perceptual_map.y_label = v); } /></label>
            </div>
            <table class="table" tabindex="0" data-testid="map-offers">
                <thead><tr><th>{move || page.t().offer_name}</th>
                    <th>{move || { let l = map().x_label; if l.trim().is_empty() { page.t().map_x.to_string() } else { l } }}</th>
                    <th>{move || { let l = map().y_label; if l.trim().is_empty() { page.t().map_y.to_string() } else { l } }}</th><th>{move || page.t().own_offer}</th><th><span class="sr-only">{move || page.app.t().col_actions}</span></th></tr></thead>
                <tbody>
                    {move || map().offers.into_iter().enumerate().map(|(i, o)| {
                        let num = move |v: String, put: fn(&mut MapOffer, f64)| match v.trim().parse::<f64>() {
                            Ok(x) if x.is_finite() => page.edit_saved(|s| if let Some(o) = s.perceptual_map.offers.get_mut(i) { put(o, x) }),
                            _ => app.fail(super::shared::bad_number(page.tu(), &fill(page.tu().offer_n, &[("n", &(i + 1))]))),
                        };
                        view! {
                            <tr data-testid="map-offer">
                                <td><input type="text" data-testid="map-offer-name" prop:value=o.name.clone()
                                    on:change=move |ev| { let v = event_target_value(&ev); page.edit_saved(|s| if let Some(o) = s.perceptual_map.offers.get_mut(i) { o.name = v }); } /></td>
                                <td><input type="number" step="any" class="short" data-testid="map-offer-x" prop:value=o.x.to_string()
                                    on:change=move |ev| num(event_target_value(&ev), |o, x| o.x = x) /></td>
                                <td><input type="number" step="any" class="short" data-testid="map-offer-y" prop:value=o.y.to_string()
                                    on:change=move |ev| num(event_target_value(&ev), |o, y| o.y = y) /></td>
                                <td><input type="checkbox" data-testid="map-offer-own" prop:checked=o.own
                                    on:change=move |ev| { let on = event_target_checked(&ev); page.edit_saved(|s| if let Some(o) = s.perceptual_map.offers.get_mut(i) { o.own = on }); } /></td>
                                <td><button class="danger small" data-testid="map-offer-remove"
                                    on:click=move |_| page.edit_saved(|s| { if i < s.perceptual_map.offers.len() { s.perceptual_map.offers.remove(i); } })>{page.t().remove}</button></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="actions seg-actions">
                <button data-testid="map-add" on:click=move |_| page.edit_saved(|s| {
                    let own = s.perceptual_map.offers.is_empty();
                    s.perceptual_map.offers.push(MapOffer { name: String::new(), x: 5.0, y: 5.0, own });
                })>{move || page.t().add_offer}</button>
            </div>
            {move || match map().check() {
                Err(e) => {
                    let why = match e {
                        MapError::NoName(n) => fill(page.t().map_no_name, &[("n", &n)]),
                        MapError::Position { name } => super::shared::bad_number(page.t(), &name),
                    };
                    view! { <p class="warn" data-testid="map-error">{fill(page.t().map_invalid, &[("why", &why)])}</p> }.into_any()
                }
                Ok(valid) if !valid.map().offers.is_empty() => view! {
                    <ChartCard title=Signal::derive(move || page.t().chart_map.to_string()) testid="chart-perceptual-map">
                        <Chart label=Signal::derive(move || page.t().chart_map.to_string()) testid="chart-perceptual-map" height=360
                            draw=move |area, px| { let _ = charts::draw_perceptual_map(area, &valid, px); } />
                    </ChartCard>
                }.into_any(),
                Ok(_) => view! { <p class="empty">{page.t().map_empty}</p> }.into_any(),
            }}
        </div>
    }
}
