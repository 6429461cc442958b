//! The relationship-type matrix card.

use super::*;

/// The relationship-type matrix: counts and revenue per type, the bubble chart, and the
/// customers of the clicked cell.
#[component]
pub(super) fn RelationshipCard(rep: StoredValue<Arc<ValueReport>>, used: RwSignal<Arc<Vec<Customer>>>, as_of_name: Signal<String>) -> impl IntoView {
    let app = use_app();
    let coord = StoredValue::new(None::<vcharts::RelationshipCoord>);
    let picked = RwSignal::new(None::<usize>);
    view! {
        <div class="card" data-testid="value-relationship">
            <h2>{move || app.t().value_relationship_title}</h2>
            <div class="value-grid">
                <div>
                    <TableCsvButton testid="relationship-table" name=Signal::derive(move || format!("clientscope-relationship-table-{}", as_of_name.get())) />
<table class="table" tabindex="0" data-testid="relationship-table">
                        <thead><tr>
                            <th>{move || app.t().value_relationship_title}</th>
                            <th class="num">{move || app.t().value_col_count}</th>
                            <th class="num">{move || app.t().value_col_revenue}</th>
                        </tr></thead>
                        <tbody>
                            {move || { let t = app.t(); rep.with_value(|r| RelationshipType::ALL.iter().enumerate().map(|(k, &kind)| {
                                let c = vcharts::relationship_colour(kind);
                                view! {
                                    <tr>
                                        <td><span class="dot" style:background=format!("rgb({},{},{})", c.0, c.1, c.2)></span>{relationship_label(t, kind)}</td>
                                        <td class="num">{format::number(r.relationship_matrix.counts[k] as f64, 0)}</td>
                                        <td class="num">{format::money(r.relationship_matrix.revenue[k])}</td>
                                    </tr>
                                }
                            }).collect_view()) }}
                        </tbody>
                    </table>
                    <p class="muted">{move || rep.with_value(|r| fill(app.t().value_relationship_unscored, &[("n", &format::number(r.relationship_matrix.unscored as f64, 0))]))}</p>
                </div>
                <ChartCard title=Signal::derive(move || app.t().chart_relationship.to_string()) testid="chart-relationship" as_of=as_of_name>
                    <div class="clickable" on:click=move |ev: leptos::ev::MouseEvent| {
                        let Some(canvas) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlCanvasElement>().ok()) else { return };
                        let scale = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
                        let at = ((f64::from(ev.offset_x()) * scale) as i32, (f64::from(ev.offset_y()) * scale) as i32);
                        let hit = coord.with_value(|c| c.as_ref().and_then(|c| rep.with_value(|r| vcharts::relationship_hit(&r.relationship_matrix, c, at, (30.0 * scale) as i32))));
                        picked.set(hit);
                    }>
                        <Chart label=Signal::derive(move || app.t().chart_relationship.to_string()) testid="chart-relationship" height=320
                            draw=move |area, px| {
                                let t = app.t();
                                rep.with_value(|r| coord.set_value(vcharts::draw_relationship(area, &r.relationship_matrix, [t.rel_partner, t.rel_friend, t.rel_competitor, t.rel_transactional], t.chart_common_interest, t.chart_relationship_value, px).ok().flatten()));
                            } />
                    </div>
                </ChartCard>
            </div>
            {move || picked.get().and_then(|k| rep.with_value(|r| r.relationship_matrix.cells.get(k).cloned())).map(|cell| {
                let t = app.t();
                view! {
                    <div data-testid="relationship-cell">
                        <h3>{fill(t.value_relationship_cell, &[("ci", &cell.common_interest), ("rv", &cell.relationship_value), ("kind", &relationship_label(t, cell.kind)), ("n", &cell.customers.len())])}</h3>
                        <ul class="link-list">
                            {cell.customers.iter().take(LIST_ROWS).map(|&i| {
                                let (id, name) = used.with(|cs| cs.get(i).map(|c| (c.id.clone(), c.name.clone())).unwrap_or_default());
                                let href = Route::Customer(id.clone()).href();
                                view! { <li><a href=href>{if name.is_empty() { id } else { name }}</a></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })}
        </div>
    }
}
