//! Native test support: [`Recorder`], a drawing backend that draws into SVG (plotters'
//! `SVGBackend`) and records the box of every text it is asked to draw, measured with a
//! sans-serif estimate (CJK and other wide characters one em, the rest 0.6 em, line height
//! 1.2 em) that it also answers to the layout's measurements; and [`assert_legible`], which
//! fails when two text boxes intersect or one leaves the drawing.

use super::{overlaps, text_box, Rect};
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform};
use std::cell::RefCell;
use std::rc::Rc;

/// A text as drawn: its content and box in pixels.
#[derive(Debug, Clone)]
pub struct DrawnText {
    /// The text.
    pub text: String,
    /// Its box.
    pub rect: Rect,
}

/// The estimated size of `text` at `size` pixels.
pub fn estimate(text: &str, size: f64) -> (u32, u32) {
    let em: f64 = text.chars().map(|c| if is_wide(c) { 1.0 } else { 0.6 }).sum();
    ((em * size).ceil() as u32, (1.2 * size).ceil() as u32)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x2026)
}

/// An SVG backend that records its texts.
pub struct Recorder<'a> {
    inner: SVGBackend<'a>,
    size: (u32, u32),
    /// The texts drawn so far.
    pub texts: Rc<RefCell<Vec<DrawnText>>>,
}

impl<'a> Recorder<'a> {
    /// Draws into `svg` at `size`.
    pub fn new(svg: &'a mut String, size: (u32, u32)) -> Self {
        Recorder { inner: SVGBackend::with_string(svg, size), size, texts: Rc::new(RefCell::new(Vec::new())) }
    }
}

impl DrawingBackend for Recorder<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.size
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
        if !text.trim().is_empty() && style.color().alpha > 0.0 {
            let size = estimate(text, style.size());
            // The box unrotated around the anchor, then turned as the backend turns text.
            let (l, t, r, b) = text_box((0, 0), size, style.anchor());
            let corners = [(l, t), (r, t), (l, b), (r, b)].map(|(x, y)| match style.transform() {
                FontTransform::None => (x, y),
                FontTransform::Rotate90 => (-y, x),
                FontTransform::Rotate180 => (-x, -y),
                FontTransform::Rotate270 => (y, -x),
            });
            let xs = corners.iter().map(|c| c.0);
            let ys = corners.iter().map(|c| c.1);
            let rect = (
                pos.0 + xs.clone().min().unwrap_or(0),
                pos.1 + ys.clone().min().unwrap_or(0),
                pos.0 + xs.max().unwrap_or(0),
                pos.1 + ys.max().unwrap_or(0),
            );
            self.texts.borrow_mut().push(DrawnText { text: text.to_string(), rect });
        }
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(estimate(text, style.size()))
    }
}

/// Fails (naming the chart and both texts) when two drawn texts intersect or one reaches
/// outside the `size` drawing. Returns the number of texts checked.
pub fn assert_legible(chart: &str, texts: &[DrawnText], size: (u32, u32)) -> usize {
    for t in texts {
        let r = t.rect;
        assert!(
            r.0 >= -1 && r.1 >= -1 && r.2 <= size.0 as i32 + 1 && r.3 <= size.1 as i32 + 1,
            "{chart} at {}×{}: text {:?} at {:?} leaves the drawing",
            size.0,
            size.1,
            t.text,
            r
        );
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            assert!(!overlaps(a.rect, b.rect), "{chart} at {}×{}: {:?} {:?} overlaps {:?} {:?}", size.0, size.1, a.text, a.rect, b.text, b.rect);
        }
    }
    texts.len()
}
