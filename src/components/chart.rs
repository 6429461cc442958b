//! Binds a `<canvas>` to a drawing function: redraws when the inputs change, at the
//! device's pixel ratio so lines stay sharp on phones.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::DrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

/// A canvas drawn by `draw` (called with the drawing area and the font size in pixels).
#[component]
pub fn Chart(
    /// Draws the chart; tracked signals it reads trigger a redraw.
    draw: impl Fn(&DrawingArea<CanvasBackend, Shift>, u32) + 'static,
    /// CSS height in pixels.
    #[prop(default = 280)]
    height: u32,
    /// Accessible description.
    #[prop(into)]
    label: Signal<String>,
    /// `data-testid`.
    #[prop(default = "chart")]
    testid: &'static str,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        let el: web_sys::HtmlCanvasElement = el.unchecked_into();
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
        let css_w = el.client_width().max(200) as f64;
        el.set_width((css_w * dpr) as u32);
        el.set_height((height as f64 * dpr) as u32);
        if let Some(backend) = CanvasBackend::with_canvas_object(el) {
            let area = plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
            draw(&area, (12.0 * dpr) as u32);
        }
    });
    view! {
        <canvas node_ref=canvas class="chart" data-testid=testid role="img" aria-label=move || label.get()
            style:height=format!("{height}px")></canvas>
    }
}

/// Saves the canvas `canvas[data-testid=testid]` as a PNG file named `name`.
pub fn export_png(testid: &str, name: &str) -> Result<(), String> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let el = doc
        .query_selector(&format!("canvas[data-testid=\"{testid}\"]"))
        .map_err(|e| format!("{e:?}"))?
        .ok_or("no chart")?;
    let canvas: web_sys::HtmlCanvasElement = el.dyn_into().map_err(|_| "not a canvas".to_string())?;
    let url = canvas.to_data_url().map_err(|e| format!("{e:?}"))?;
    crate::files::offer_url(name, &url)
}

/// A titled card around a chart with a PNG export button; the file is named
/// `clientscope-<testid>-<suffix>.png`.
#[component]
pub fn ChartCard(
    /// Title above the chart.
    #[prop(into)]
    title: Signal<String>,
    /// The chart canvas's `data-testid` (the button gets `<testid>-png`).
    testid: &'static str,
    /// End of the file name (e.g. the as-of date).
    #[prop(into)]
    suffix: Signal<String>,
    /// Text of the export button.
    #[prop(into)]
    button: Signal<String>,
    /// The chart.
    children: Children,
) -> impl IntoView {
    let app = crate::state::use_app();
    let save = move |_| {
        let name = format!("clientscope-{testid}-{}.png", suffix.get_untracked());
        if let Err(e) = export_png(testid, &name) {
            app.fail(format!("{}{e}", app.t_untracked().error_prefix));
        }
    };
    view! {
        <div class="chart-card">
            <div class="chart-head">
                <h3>{move || title.get()}</h3>
                <button class="ghost small" data-testid=format!("{testid}-png") on:click=save>{move || button.get()}</button>
            </div>
            {children()}
        </div>
    }
}
