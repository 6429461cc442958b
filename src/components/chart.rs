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
