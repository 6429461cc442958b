//! Binds a `<canvas>` to a drawing function: redraws when the inputs change, at the
//! device's pixel ratio so lines stay sharp on phones.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

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
        let font = format!("{}px {}", size, style.family().as_str());
        // Charts measure the same texts again and again (each layout tries several tick
        // counts and label fits, every chart has its axis labels): a width measured once is
        // kept, as setting the context's font and measuring cost the page's thread about
        // 10 ms per chart.
        let key = (font, text.to_string());
        if let Some(width) = MEASURED.with(|m| m.borrow().get(&key).copied()) {
            return Ok((width, height));
        }
        ctx.save();
        ctx.set_font(&key.0);
        let width = ctx.measure_text(text).map(|m| m.width()).unwrap_or(text.chars().count() as f64 * size).ceil() as u32;
        ctx.restore();
        MEASURED.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= 20_000 {
                m.clear();
            }
            m.insert(key, width);
        });
        Ok((width, height))
    }
}

thread_local! {
    /// Text widths measured by [`ChartCanvas`], by font and text.
    static MEASURED: std::cell::RefCell<std::collections::HashMap<(String, String), u32>> = Default::default();
    /// Charts waiting to draw (each a signal to set), and whether a timer takes them.
    static WAITING: std::cell::RefCell<(std::collections::VecDeque<Box<dyn FnOnce()>>, bool)> = Default::default();
}

/// Runs `start` (which sets a chart's width, and so draws it: the effect runs in the same
/// task) in a task of its own, after the charts already waiting: charts laid out together
/// (the value results show eight) are drawn one per task, not all in one timer's turn.
fn draw_later(start: impl FnOnce() + 'static) {
    fn next() {
        set_timeout(
            || match WAITING.with(|w| w.borrow_mut().0.pop_front()) {
                Some(start) => {
                    start();
                    next();
                }
                None => WAITING.with(|w| w.borrow_mut().1 = false),
            },
            std::time::Duration::ZERO,
        );
    }
    let idle = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        w.0.push_back(Box::new(start));
        !std::mem::replace(&mut w.1, true)
    });
    if idle {
        next();
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
    // The canvas's width in CSS pixels, as laid out, from a ResizeObserver: the chart draws
    // once the browser has laid the page out, in a task of its own after that (a page that
    // mounts several charts at once, as the value results' eight, would otherwise draw
    // them all in the task that built it, and reading `clientWidth` there would force the
    // layout of the whole new page), and draws again when its width changes (a phone
    // turned, a window resized, a hidden tab shown).
    let width = RwSignal::new(None::<f64>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        let seen = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let Some(entry) = entries.iter().last().and_then(|e| e.dyn_into::<web_sys::ResizeObserverEntry>().ok()) else { return };
            let w = entry.content_rect().width().round();
            if width.try_get_untracked().flatten() != Some(w) {
                draw_later(move || { width.try_set(Some(w)); });
            }
        });
        let Ok(observer) = web_sys::ResizeObserver::new(seen.as_ref().unchecked_ref()) else { return };
        observer.observe(&el);
        let held = send_wrapper::SendWrapper::new((observer, seen));
        on_cleanup(move || held.0.disconnect());
    });
    Effect::new(move |_| {
        let Some(css_w) = width.get() else { return };
        let Some(el) = canvas.get_untracked() else { return };
        let el: web_sys::HtmlCanvasElement = el.unchecked_into();
        let dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
        let css_w = css_w.max(200.0);
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
