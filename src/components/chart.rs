//! Binds a `<canvas>` to a drawing function: redraws when the inputs change, at the
//! device's pixel ratio so lines stay sharp on phones.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

/// The canvas backend, measuring text with the canvas itself. plotters' own measure puts a
/// `<span style=…>` into the page, which the Content-Security-Policy (`style-src 'self'`)
/// refuses: the span then has no font size and every measurement is wrong, and the charts'
/// label layout (`charts::layout`) rests on those measurements. `measureText` of the 2D
/// context measures the font the canvas draws with.
pub struct ChartCanvas {
    inner: CanvasBackend,
    context: Option<web_sys::CanvasRenderingContext2d>,
}

impl ChartCanvas {
    fn new(canvas: web_sys::HtmlCanvasElement) -> Option<Self> {
        let context = canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into().ok());
        Some(ChartCanvas { inner: CanvasBackend::with_canvas_object(canvas)?, context })
    }
}

impl DrawingBackend for ChartCanvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(ul, br, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let size = style.size();
        // Line height as the browser lays out a line of text (about 1.2 em).
        let height = (size * 1.2).ceil() as u32;
        let Some(ctx) = &self.context else { return Ok(((text.chars().count() as f64 * size).ceil() as u32, height)) };
        ctx.save();
        ctx.set_font(&format!("{}px {}", size, style.family().as_str()));
        let width = ctx.measure_text(text).map(|m| m.width()).unwrap_or(text.chars().count() as f64 * size);
        ctx.restore();
        Ok((width.ceil() as u32, height))
    }
}

/// A canvas drawn by `draw` (called with the drawing area and the font size in pixels).
#[component]
pub fn Chart(
    /// Draws the chart; tracked signals it reads trigger a redraw.
    draw: impl Fn(&DrawingArea<ChartCanvas, Shift>, u32) + 'static,
    /// CSS height in pixels.
    #[prop(default = 280)]
    height: u32,
    /// The chart's title, its accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// The figures the chart shows, as one sentence ([`figures`]), read after the title: the
    /// chart's text alternative (WCAG 1.1.1). Left out only where a table next to the chart
    /// holds the same figures.
    #[prop(optional, into)]
    figures: MaybeProp<String>,
    /// `data-testid`.
    #[prop(default = "chart")]
    testid: &'static str,
) -> impl IntoView {
    let app = crate::state::use_app();
    let alt = move || match figures.get().filter(|f| !f.is_empty()) {
        Some(f) => crate::i18n::fill(app.t().chart_alt, &[("title", &label.get()), ("figures", &f)]),
        None => label.get(),
    };
    let canvas = NodeRef::<Canvas>::new();
    // The first drawing waits for a task of its own: a page that mounts several charts at
    // once (the value results show eight) would otherwise draw them all in the task that
    // built the page, one long task of a few hundred milliseconds at 100k customers.
    let ready = crate::state::next_task();
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        let Some(el) = canvas.get() else { return };
        let el: web_sys::HtmlCanvasElement = el.unchecked_into();
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
        let css_w = el.client_width().max(200) as f64;
        el.set_width((css_w * dpr) as u32);
        el.set_height((height as f64 * dpr) as u32);
        if let Some(backend) = ChartCanvas::new(el) {
            let area = plotters::prelude::IntoDrawingArea::into_drawing_area(backend);
            draw(&area, (12.0 * dpr) as u32);
        }
    });
    view! {
        <canvas node_ref=canvas class="chart" data-testid=testid role="img" aria-label=alt
            style:height=format!("{height}px")></canvas>
    }
}

/// A chart's figures as one sentence for its text alternative: "label value" pairs joined by
/// the language's list separator ("2024-01 ¥1,234；2024-02 ¥1,456").
pub fn figures(pairs: impl IntoIterator<Item = (String, String)>, lang: clientscope_core::model::Language) -> String {
    let sep = match lang {
        clientscope_core::model::Language::ZhCn => "；",
        clientscope_core::model::Language::En => "; ",
    };
    pairs.into_iter().map(|(l, v)| format!("{l} {v}")).collect::<Vec<_>>().join(sep)
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
