//! The one label-layout rule of every chart: text is measured on the drawing backend (the
//! browser's font on a canvas, an estimate in the native tests) before anything is placed,
//! so that no two texts overlap at any width:
//! - the number of ticks of an axis follows from the drawing's size: as many as fit with
//!   their measured labels a gap apart ([`fit_ticks`], [`category_step`]);
//! - the label areas beside the axes are as wide as the widest measured tick label plus the
//!   axis title ([`Plan`]), so a title never sits on the tick labels;
//! - text in a slot (a bar's name) is cut with "…" to the slot's measured width ([`fit_text`]);
//! - point labels go beside their point where they touch no other text, other point or the
//!   plot's edge, else they are left out ([`place_labels`]); a chart that leaves labels out
//!   says so through its page's table or legend.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// A text's measured size in pixels (width, height); `(0, 0)` when the backend cannot say.
pub fn measure<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, font: &TextStyle) -> (u32, u32) {
    if text.is_empty() {
        return (0, 0);
    }
    area.estimate_text_size(text, font).unwrap_or((0, 0))
}

/// The widest and tallest of `texts`.
pub fn widest<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, texts: &[String], font: &TextStyle) -> (u32, u32) {
    texts.iter().map(|t| measure(area, t, font)).fold((0, 0), |(w, h), (a, b)| (w.max(a), h.max(b)))
}

/// Gap between neighbouring texts, in pixels.
pub fn gap(font_px: u32) -> u32 {
    (font_px / 2).max(4)
}

/// Length of a tick mark; labels sit twice this far from the axis (plotters' rule), which
/// keeps the lowest y label clear of the first x label.
pub fn tick(font_px: u32) -> i32 {
    (font_px / 2).max(4) as i32
}

/// The values and labels plotters draws on an `f64` axis asked for `n` labels.
pub fn ticks(range: Range<f64>, n: usize, fmt: &dyn Fn(&f64) -> String) -> Vec<(f64, String)> {
    let coord: RangedCoordf64 = range.into();
    coord.key_points(n).into_iter().map(|v| (v, fmt(&v))).filter(|(_, s)| !s.is_empty()).collect()
}

/// The largest label count up to `want` whose labels, on an axis `length_px` long, stand a
/// gap apart: across (`horizontal`) by their measured widths, up the axis by their height.
pub fn fit_ticks<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    font: &TextStyle,
    font_px: u32,
    range: Range<f64>,
    length_px: u32,
    horizontal: bool,
    want: usize,
    fmt: &dyn Fn(&f64) -> String,
) -> usize {
    let span = range.end - range.start;
    if !(span.is_finite() && span > 0.0) {
        return 2;
    }
    let g = gap(font_px) as f64;
    for n in (2..=want.max(2)).rev() {
        let t = ticks(range.clone(), n, fmt);
        let sizes: Vec<(u32, u32)> = t.iter().map(|(_, s)| measure(area, s, font)).collect();
        let fits = t.windows(2).zip(sizes.windows(2)).all(|(v, s)| {
            let apart = (v[1].0 - v[0].0) / span * f64::from(length_px);
            let need = if horizontal { f64::from(s[0].0 + s[1].0) / 2.0 } else { f64::from(s[0].1 + s[1].1) / 2.0 };
            apart >= need + g
        });
        if fits {
            return n;
        }
    }
    2
}

/// Every how many category slots of `slot_px` a label of `labels` fits (1 = every slot).
pub fn category_step<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, font: &TextStyle, font_px: u32, labels: &[String], slot_px: f64) -> usize {
    let (w, _) = widest(area, labels, font);
    let need = f64::from(w + gap(font_px));
    if slot_px <= 0.0 {
        return labels.len().max(1);
    }
    ((need / slot_px).ceil() as usize).max(1)
}

/// `text` cut with "…" to at most `max_px` measured pixels.
pub fn fit_text<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, font: &TextStyle, max_px: u32) -> String {
    if measure(area, text, font).0 <= max_px {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut keep = chars.len();
    while keep > 0 {
        keep -= 1;
        let cut: String = chars[..keep].iter().collect::<String>() + "…";
        if measure(area, &cut, font).0 <= max_px {
            return cut;
        }
    }
    String::new()
}

/// Sizes of the label areas around the plot, from measured texts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// Outer margin on every side.
    pub margin: u32,
    /// Extra room on the right for the last x label (beyond the margin).
    pub right_margin: u32,
    /// Left label area: y tick labels and the y title.
    pub left: u32,
    /// Bottom label area: x tick labels and the x title.
    pub bottom: u32,
    /// Right label area (a secondary axis), 0 without one.
    pub right: u32,
    /// Tick mark length.
    pub tick: i32,
}

impl Plan {
    /// The bottom area for x labels of height `label_h` and an optional title.
    pub fn bottom_for<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, font: &TextStyle, font_px: u32, label_h: u32, title: Option<&str>) -> u32 {
        let title_h = title.filter(|t| !t.is_empty()).map_or(0, |t| measure(area, t, font).1 + gap(font_px));
        2 * tick(font_px) as u32 + label_h + title_h + 2
    }

    /// The left area for y labels of width `label_w` and an optional (rotated) title.
    pub fn left_for<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, font: &TextStyle, font_px: u32, label_w: u32, title: Option<&str>) -> u32 {
        let title_h = title.filter(|t| !t.is_empty()).map_or(0, |t| measure(area, t, font).1 + gap(font_px));
        2 * tick(font_px) as u32 + label_w + title_h + 2
    }
}

/// One `f64` axis to plan: its range, at most `want` labels, their format and its title.
pub struct AxisSpec<'a> {
    /// The data range of the axis.
    pub range: Range<f64>,
    /// Most labels wanted.
    pub want: usize,
    /// Label of a value.
    pub fmt: &'a dyn Fn(&f64) -> String,
    /// Axis title.
    pub title: Option<&'a str>,
}

/// A planned pair of `f64` axes: label areas and label counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XyPlan {
    /// The label areas.
    pub plan: Plan,
    /// Labels on the x axis.
    pub x_labels: usize,
    /// Labels on the y axis.
    pub y_labels: usize,
    /// Labels on the right axis.
    pub right_labels: usize,
}

/// Plans a chart with `f64` axes: y labels that fit the plot's height, a left area as wide
/// as they and the title need, then x labels that fit the remaining width.
pub fn plan_xy<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    font: &TextStyle,
    font_px: u32,
    x: &AxisSpec,
    y: &AxisSpec,
    right: Option<&AxisSpec>,
) -> XyPlan {
    let (w, h) = area.dim_in_pixel();
    let margin = font_px;
    let (_, label_h) = measure(area, "0", font);
    let bottom = Plan::bottom_for(area, font, font_px, label_h, x.title);
    let plot_h = h.saturating_sub(2 * margin + bottom).max(1);
    let y_labels = fit_ticks(area, font, font_px, y.range.clone(), plot_h, false, y.want, y.fmt);
    let y_texts: Vec<String> = ticks(y.range.clone(), y_labels, y.fmt).into_iter().map(|t| t.1).collect();
    let left = Plan::left_for(area, font, font_px, widest(area, &y_texts, font).0, y.title);
    let (right_area, right_labels) = match right {
        Some(r) => {
            let n = fit_ticks(area, font, font_px, r.range.clone(), plot_h, false, r.want, r.fmt);
            let texts: Vec<String> = ticks(r.range.clone(), n, r.fmt).into_iter().map(|t| t.1).collect();
            (Plan::left_for(area, font, font_px, widest(area, &texts, font).0, r.title), n)
        }
        None => (0, 0),
    };
    // Room for half the last x label beyond the plot's right edge.
    let x_all: Vec<String> = ticks(x.range.clone(), x.want, x.fmt).into_iter().map(|t| t.1).collect();
    let right_margin = if right.is_some() { 0 } else { (widest(area, &x_all, font).0 / 2 + 2).saturating_sub(margin) };
    let plot_w = w.saturating_sub(2 * margin + left + right_area + right_margin).max(1);
    let x_labels = fit_ticks(area, font, font_px, x.range.clone(), plot_w, true, x.want, x.fmt);
    XyPlan { plan: Plan { margin, right_margin, left, bottom, right: right_area, tick: tick(font_px) }, x_labels, y_labels, right_labels }
}

/// Plans horizontal bars: the category names on the left, cut to at most `max_left` pixels,
/// and an `f64` axis across. Returns the plan and the names as they fit.
pub fn plan_hbars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    font: &TextStyle,
    font_px: u32,
    names: &[String],
    max_left: u32,
    x: &AxisSpec,
) -> (XyPlan, Vec<String>) {
    let (w, _) = area.dim_in_pixel();
    let margin = font_px;
    let fitted: Vec<String> = names.iter().map(|n| fit_text(area, n, font, max_left)).collect();
    let (label_w, label_h) = widest(area, &fitted, font);
    let (_, digit_h) = measure(area, "0", font);
    let left = Plan::left_for(area, font, font_px, label_w, None);
    let bottom = Plan::bottom_for(area, font, font_px, label_h.max(digit_h), x.title);
    let x_all: Vec<String> = ticks(x.range.clone(), x.want, x.fmt).into_iter().map(|t| t.1).collect();
    let right_margin = (widest(area, &x_all, font).0 / 2 + 2).saturating_sub(margin);
    let plot_w = w.saturating_sub(2 * margin + left + right_margin).max(1);
    let x_labels = fit_ticks(area, font, font_px, x.range.clone(), plot_w, true, x.want, x.fmt);
    (XyPlan { plan: Plan { margin, right_margin, left, bottom, right: 0, tick: tick(font_px) }, x_labels, y_labels: names.len(), right_labels: 0 }, fitted)
}

/// The plot's width under `plan` in an area `width` pixels wide.
pub fn plot_width(plan: &Plan, width: u32) -> u32 {
    width.saturating_sub(2 * plan.margin + plan.left + plan.right + plan.right_margin).max(1)
}

/// The end of a bar axis from `lo` with bars up to `max` that leaves room right of the
/// longest bar for its value label of `label_w` pixels in a plot `plot_w` wide.
pub fn room_for_value(lo: f64, max: f64, label_w: u32, gap_px: u32, plot_w: u32) -> f64 {
    let free = f64::from(plot_w.saturating_sub(label_w + gap_px)).max(1.0);
    let span = (max - lo).max(1e-9);
    lo + span * f64::from(plot_w) / free
}

/// Draws a legend of `(colour, name)` entries as a band across the top of `area`, the
/// entries side by side and wrapping to a new line where the width ends (a legend inside
/// the plot ran off a phone's width and over the data's labels); returns the area below.
pub fn legend_band<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    font: &TextStyle,
    font_px: u32,
    entries: &[(RGBColor, &str)],
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = area.dim_in_pixel();
    let (m, g) = (font_px as i32, gap(font_px) as i32);
    let swatch = font_px as i32 * 3 / 2;
    let (_, line_h) = measure(area, "0", font);
    let line_h = line_h as i32 + 4;
    let (mut x, mut y) = (m, 4);
    for (colour, name) in entries {
        let tw = measure(area, name, font).0 as i32;
        let need = swatch + 4 + tw;
        if x > m && x + need > w as i32 - m {
            x = m;
            y += line_h;
        }
        let mid = y + line_h / 2 - 2;
        area.draw(&PathElement::new(vec![(x, mid), (x + swatch, mid)], colour.stroke_width(3)))?;
        area.draw(&Text::new(name.to_string(), (x + swatch + 4, mid), font.clone().pos(Pos::new(HPos::Left, VPos::Center))))?;
        x += need + 2 * g;
    }
    Ok(area.margin((y + line_h) as u32, 0, 0, 0))
}

/// A chart builder with the plan's margins and label areas.
pub fn builder<'a, 'b, DB: DrawingBackend>(area: &'a DrawingArea<DB, Shift>, plan: &Plan) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(area);
    b.margin(plan.margin)
        .margin_right(plan.margin + plan.right_margin)
        .x_label_area_size(plan.bottom)
        .y_label_area_size(plan.left)
        .right_y_label_area_size(plan.right);
    b
}

/// The chart of a trend over periods: x is the periods `0..n`, labelled with `names` (the
/// last one and every k-th before it, as many as fit the width), y is `y` on the left with
/// labels by `y_fmt`, a grid of horizontal lines. The trend charts (CSI per period,
/// complaints per month) draw their series on it. Also returns the width of one period
/// in pixels (whether points stay apart).
#[allow(clippy::type_complexity)]
pub fn period_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    font: &TextStyle,
    font_px: u32,
    names: &[String],
    y: Range<f64>,
    y_fmt: &dyn Fn(&f64) -> String,
) -> Result<(ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>, f64), DrawingAreaErrorKind<DB::ErrorType>> {
    let n = names.len().max(1);
    let widest_name = names.iter().max_by_key(|s| s.len()).cloned().unwrap_or_default();
    let x_range = -0.5..(n as f64 - 0.5);
    let plan = plan_xy(
        area,
        font,
        font_px,
        &AxisSpec { range: x_range.clone(), want: 1, fmt: &|_| widest_name.clone(), title: None },
        &AxisSpec { range: y.clone(), want: 6, fmt: y_fmt, title: None },
        None,
    );
    let slot = f64::from(plot_width(&plan.plan, area.dim_in_pixel().0)) / n as f64;
    let step = category_step(area, font, font_px, names, slot);
    let mut chart = builder(area, &plan.plan).build_cartesian_2d(x_range, y)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(super::palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.y_labels)
        .label_style(font.clone())
        .y_label_formatter(&y_fmt)
        .x_labels(n + 1)
        .x_label_formatter(&|x| {
            let i = x.round();
            // The last period and every step-th before it.
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < names.len() && (names.len() - 1 - i as usize) % step == 0 {
                names[i as usize].clone()
            } else {
                String::new()
            }
        })
        .draw()?;
    Ok((chart, slot))
}

/// A box in backend pixels: left, top, right, bottom.
pub type Rect = (i32, i32, i32, i32);

/// Whether two boxes overlap (touching edges do not).
pub fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// The box of a text of size `(w, h)` drawn at `(x, y)` with anchor `pos`.
pub fn text_box((x, y): (i32, i32), (w, h): (u32, u32), pos: Pos) -> Rect {
    let (w, h) = (w as i32, h as i32);
    let left = match pos.h_pos {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    let top = match pos.v_pos {
        VPos::Top => y,
        VPos::Center => y - h / 2,
        VPos::Bottom => y - h,
    };
    (left, top, left + w, top + h)
}

/// One point to name: its centre in area pixels, its radius and its label.
pub struct PointLabel {
    /// Centre, in the area's pixels.
    pub at: (i32, i32),
    /// Radius of the drawn mark.
    pub radius: i32,
    /// The label.
    pub text: String,
}

/// Places each point's label beside it (right, left, above, below, then the diagonals),
/// at the first spot inside `bounds` that overlaps no box in `taken` (texts already drawn),
/// no other point and no label placed before. Returns, per point, where to draw its label
/// (position and anchor) or `None` when it fits nowhere (the chart leaves it out).
/// Earlier points are placed first: order them by importance.
pub fn place_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    font: &TextStyle,
    font_px: u32,
    points: &[PointLabel],
    bounds: Rect,
    taken: &mut Vec<Rect>,
) -> Vec<Option<((i32, i32), Pos)>> {
    let pad = (font_px / 4).max(2) as i32;
    let dots: Vec<Rect> = points.iter().map(|p| (p.at.0 - p.radius, p.at.1 - p.radius, p.at.0 + p.radius, p.at.1 + p.radius)).collect();
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let size = measure(area, &p.text, font);
            let (x, y, r) = (p.at.0, p.at.1, p.radius + pad);
            let candidates = [
                ((x + r, y), Pos::new(HPos::Left, VPos::Center)),
                ((x - r, y), Pos::new(HPos::Right, VPos::Center)),
                ((x, y - r), Pos::new(HPos::Center, VPos::Bottom)),
                ((x, y + r), Pos::new(HPos::Center, VPos::Top)),
                ((x + r, y - r), Pos::new(HPos::Left, VPos::Bottom)),
                ((x + r, y + r), Pos::new(HPos::Left, VPos::Top)),
                ((x - r, y - r), Pos::new(HPos::Right, VPos::Bottom)),
                ((x - r, y + r), Pos::new(HPos::Right, VPos::Top)),
            ];
            let spot = candidates.into_iter().find(|&(at, pos)| {
                let b = text_box(at, size, pos);
                let inside = b.0 >= bounds.0 && b.1 >= bounds.1 && b.2 <= bounds.2 && b.3 <= bounds.3;
                inside
                    && !taken.iter().any(|t| overlaps(*t, b))
                    && !dots.iter().enumerate().any(|(j, d)| j != i && overlaps(*d, b))
            });
            if let Some((at, pos)) = spot {
                taken.push(text_box(at, size, pos));
            }
            spot
        })
        .collect()
}

/// The plot area of a built chart in the area's pixels: left, top, right, bottom.
pub fn plot_rect<DB: DrawingBackend, X: Ranged, Y: Ranged>(area: &DrawingArea<DB, Shift>, chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>) -> Rect {
    let (ox, oy) = area.get_base_pixel();
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    (xr.start - ox, yr.start - oy, xr.end - ox, yr.end - oy)
}

/// A data point's position in the area's pixels.
pub fn to_area<DB: DrawingBackend, X: Ranged, Y: Ranged>(area: &DrawingArea<DB, Shift>, chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>, p: &(X::ValueType, Y::ValueType)) -> (i32, i32) {
    let (ox, oy) = area.get_base_pixel();
    let (x, y) = chart.backend_coord(p);
    (x - ox, y - oy)
}

#[cfg(test)]
pub mod testing;
