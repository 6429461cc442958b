//! Charts of the segments page (SPEC §4): revenue per segment, the segment bubble chart,
//! the elbow and silhouette curves, the cluster scatter with centroids, the evaluation
//! totals and the perceptual map. Each draws what a core report says; scaling to pixels is
//! the only arithmetic here.

use super::{compact, layout, palette, DrawResult};
use clientscope_core::model::Language;
use clientscope_core::segment::crosstab::CrosstabRow;
use clientscope_core::segment::evaluation::{EvaluationReport, ValidPerceptualMap};
use clientscope_core::segment::kmeans::{CurveReport, KMeansData, KMeansReport};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Most segments drawn in a bar chart (the first rows in the table's order).
pub const MAX_BARS: usize = 15;
/// Bubbles named in the bubble chart (the biggest by revenue share).
pub const LABELLED: usize = 6;
/// Most points drawn in the cluster scatter (every n-th row above that).
pub const MAX_POINTS: usize = 6_000;

/// Ten distinguishable colours for clusters (Tableau 10).
const CLUSTER: [RGBColor; 10] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0xff, 0x9d, 0xa7),
    RGBColor(0x9c, 0x75, 0x5f),
    RGBColor(0xba, 0xb0, 0xac),
];

const ACCENT: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);

/// The colour of cluster `i`.
pub fn cluster_colour(i: usize) -> RGBColor {
    CLUSTER[i % CLUSTER.len()]
}

/// The CSS class that paints cluster `i`'s colour (`.cluster-0` … in style/main.css, the
/// same colours as `CLUSTER`; a class, because the CSP refuses inline styles).
pub fn cluster_class(i: usize) -> String {
    format!("dot cluster-{}", i % CLUSTER.len())
}

fn font(px: u32) -> TextStyle<'static> {
    ("sans-serif", px as f64).into_font().color(&palette::INK)
}

/// Cuts a long label for an axis.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Horizontal bars of revenue per segment (the first [`MAX_BARS`] rows, in table order).
pub fn draw_segment_bars<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rows: &[CrosstabRow], x_label: &str, lang: Language, font_px: u32) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let rows: Vec<&CrosstabRow> = rows.iter().take(MAX_BARS).collect();
    if rows.is_empty() {
        return Ok(());
    }
    let n = rows.len();
    let max = rows.iter().map(|r| r.revenue).fold(0.0_f64, f64::max);
    let min = rows.iter().map(|r| r.revenue).fold(0.0_f64, f64::min);
    let top = if max > 0.0 { max * 1.1 } else { 1.0 };
    let fmt = |x: &f64| compact(*x, lang);
    let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
    let (w, _) = area.dim_in_pixel();
    let (plan, names) = layout::plan_hbars(area, &font(font_px), font_px, &names, w * 2 / 5, &layout::AxisSpec { range: min..top, want: 5, fmt: &fmt, title: Some(x_label) });
    let mut chart = layout::builder(area, &plan.plan)
        // plotters' integer range is inclusive: `0..n - 1` gives exactly n slots.
        .build_cartesian_2d(min..top, (0..n - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(n)
        .x_desc(x_label)
        .label_style(font(font_px))
        .axis_desc_style(font(font_px))
        .x_label_formatter(&fmt)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(i) if *i < n => names.get(n - 1 - *i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    // The first row of the table is drawn at the top.
    chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
        let slot = n - 1 - i;
        let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(slot)), (r.revenue, SegmentValue::Exact(slot + 1))], palette::PRIMARY.filled());
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    area.present()?;
    Ok(())
}

/// Bubbles: x = share of customers (%), y = growth against the previous period (%), area ∝
/// share of revenue; segments without a growth figure are left out. Labels name the
/// biggest bubbles.
pub fn draw_segment_bubbles<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, rows: &[CrosstabRow], x_label: &str, y_label: &str, font_px: u32) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let pts: Vec<(&CrosstabRow, f64, f64, f64)> =
        rows.iter().filter_map(|r| r.growth.map(|g| (r, r.customer_share * 100.0, g * 100.0, r.revenue_share.unwrap_or(0.0).max(0.0)))).collect();
    if pts.is_empty() {
        return Ok(());
    }
    let xmax = pts.iter().map(|p| p.1).fold(0.0_f64, f64::max) * 1.15 + 1.0;
    let ymin = pts.iter().map(|p| p.2).fold(0.0_f64, f64::min);
    let ymax = pts.iter().map(|p| p.2).fold(0.0_f64, f64::max);
    let pad = ((ymax - ymin) * 0.15).max(5.0);
    let pct = |v: &f64| format!("{v:.0}%");
    let plan = layout::plan_xy(
        area,
        &font(font_px),
        font_px,
        &layout::AxisSpec { range: 0.0..xmax, want: 10, fmt: &pct, title: Some(x_label) },
        &layout::AxisSpec { range: (ymin - pad)..(ymax + pad), want: 10, fmt: &pct, title: Some(y_label) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(0.0..xmax, (ymin - pad)..(ymax + pad))?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font(font_px))
        .axis_desc_style(font(font_px))
        .x_label_formatter(&pct)
        .y_label_formatter(&pct)
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.0, 0.0), (xmax, 0.0)], palette::INK.mix(0.4).stroke_width(1))))?;
    let max_r = font_px as f64 * 2.6;
    for (i, (_, x, y, share)) in pts.iter().enumerate() {
        let radius = (share.sqrt() * max_r).max(3.0) as i32;
        let c = cluster_colour(i);
        chart.draw_series(std::iter::once(Circle::new((*x, *y), radius, c.mix(0.55).filled())))?;
        chart.draw_series(std::iter::once(Circle::new((*x, *y), radius, c.stroke_width(1))))?;
    }
    // Names on the biggest bubbles (by revenue share) first, each beside its bubble where it
    // touches no other text; the table below the chart names every segment.
    let mut by_size: Vec<usize> = (0..pts.len()).collect();
    by_size.sort_by(|a, b| pts[*b].3.total_cmp(&pts[*a].3));
    let label_font = font(font_px * 9 / 10);
    let points: Vec<layout::PointLabel> = by_size
        .iter()
        .take(LABELLED)
        .map(|&i| {
            let (r, x, y, share) = pts[i];
            layout::PointLabel { at: layout::to_area(area, &chart, &(x, y)), radius: (share.sqrt() * max_r).max(3.0) as i32, text: clip(&r.name, 10) }
        })
        .collect();
    let mut taken = Vec::new();
    let spots = layout::place_labels(area, &label_font, font_px, &points, layout::plot_rect(area, &chart), &mut taken);
    for (p, spot) in points.iter().zip(spots) {
        if let Some((at, pos)) = spot {
            area.draw(&Text::new(p.text.clone(), at, label_font.clone().pos(pos)))?;
        }
    }
    area.present()?;
    Ok(())
}

fn draw_curve<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, pts: &[(usize, f64)], chosen: usize, y_label: &str, lang: Language, font_px: u32) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    if pts.is_empty() {
        return Ok(());
    }
    let kmin = pts.iter().map(|p| p.0).min().unwrap_or(2) as f64;
    let kmax = pts.iter().map(|p| p.0).max().unwrap_or(10) as f64;
    let lo = pts.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = pts.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let pad = ((hi - lo) * 0.1).max(hi.abs() * 0.05).max(1e-6);
    let x_fmt = |x: &f64| if (x - x.round()).abs() < 1e-9 { format!("{x:.0}") } else { String::new() };
    let y_fmt = |y: &f64| {
        if hi.abs() >= 1e4 {
            compact(*y, lang)
        } else if hi.abs() >= 100.0 {
            format!("{y:.0}")
        } else {
            format!("{y:.2}")
        }
    };
    let plan = layout::plan_xy(
        area,
        &font(font_px),
        font_px,
        &layout::AxisSpec { range: (kmin - 0.5)..(kmax + 0.5), want: (kmax - kmin) as usize + 1, fmt: &x_fmt, title: Some("k") },
        &layout::AxisSpec { range: (lo - pad)..(hi + pad), want: 6, fmt: &y_fmt, title: Some(y_label) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d((kmin - 0.5)..(kmax + 0.5), (lo - pad)..(hi + pad))?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_desc("k")
        .y_desc(y_label)
        .label_style(font(font_px))
        .axis_desc_style(font(font_px))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    chart.draw_series(LineSeries::new(pts.iter().map(|p| (p.0 as f64, p.1)), palette::PRIMARY.stroke_width(2)))?;
    chart.draw_series(pts.iter().map(|p| {
        let chosen = p.0 == chosen;
        Circle::new((p.0 as f64, p.1), if chosen { 7 } else { 4 }, if chosen { ACCENT.filled() } else { palette::PRIMARY.filled() })
    }))?;
    area.present()?;
    Ok(())
}

/// The elbow curve: inertia of the best restart per k; the chosen k is highlighted.
pub fn draw_elbow<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, curve: &CurveReport, chosen: usize, y_label: &str, lang: Language, font_px: u32) -> DrawResult<DB> {
    let pts: Vec<(usize, f64)> = curve.points.iter().map(|p| (p.k, p.inertia)).collect();
    draw_curve(area, &pts, chosen, y_label, lang, font_px)
}

/// The silhouette curve (k with a defined silhouette); the chosen k is highlighted.
pub fn draw_silhouette<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, curve: &CurveReport, chosen: usize, y_label: &str, lang: Language, font_px: u32) -> DrawResult<DB> {
    let pts: Vec<(usize, f64)> = curve.points.iter().filter_map(|p| p.silhouette.map(|s| (p.k, s))).collect();
    draw_curve(area, &pts, chosen, y_label, lang, font_px)
}

/// Two columns of the clustered table in their original units, each row coloured by its
/// cluster (at most [`MAX_POINTS`] rows: every n-th above that), and the centroids in the
/// same units as crosses.
pub fn draw_cluster_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &KMeansData,
    report: &KMeansReport,
    x: usize,
    y: usize,
    centroid_label: &str,
    lang: Language,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let names = data.columns();
    if x >= names.len() || y >= names.len() {
        return Ok(());
    }
    let pts: Vec<(f64, f64, usize)> = data
        .rows()
        .iter()
        .zip(&report.labels)
        .filter_map(|(r, l)| Some((r[x]?, r[y]?, (*l)?)))
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect();
    if pts.is_empty() {
        return Ok(());
    }
    let step = pts.len().div_ceil(MAX_POINTS).max(1);
    let range = |get: fn(&(f64, f64, usize)) -> f64| {
        let lo = pts.iter().map(get).fold(f64::INFINITY, f64::min);
        let hi = pts.iter().map(get).fold(f64::NEG_INFINITY, f64::max);
        let pad = ((hi - lo) * 0.05).max(1e-6);
        (lo - pad)..(hi + pad)
    };
    let fmt = |v: &f64| compact(*v, lang);
    // The centroids' legend in a band above the plot.
    let cents = report.centroids_original();
    let legend: Vec<String> = (0..cents.len()).map(|i| format!("{centroid_label} {}", i + 1)).collect();
    let entries: Vec<(RGBColor, &str)> = legend.iter().enumerate().map(|(i, l)| (cluster_colour(i), l.as_str())).collect();
    let outer = area;
    let body = layout::legend_band(outer, &font(font_px), font_px, &entries)?;
    let area = &body;
    let plan = layout::plan_xy(
        area,
        &font(font_px),
        font_px,
        &layout::AxisSpec { range: range(|p| p.0), want: 8, fmt: &fmt, title: Some(names[x].as_str()) },
        &layout::AxisSpec { range: range(|p| p.1), want: 8, fmt: &fmt, title: Some(names[y].as_str()) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(range(|p| p.0), range(|p| p.1))?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_desc(names[x].as_str())
        .y_desc(names[y].as_str())
        .label_style(font(font_px))
        .axis_desc_style(font(font_px))
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .draw()?;
    chart.draw_series(pts.iter().step_by(step).map(|p| Circle::new((p.0, p.1), 2, cluster_colour(p.2).mix(0.6).filled())))?;
    for (i, c) in cents.iter().enumerate() {
        let (cx, cy) = (c[x], c[y]);
        chart.draw_series(std::iter::once(Cross::new((cx, cy), (font_px / 2 + 4) as i32, palette::INK.stroke_width(3))))?;
        chart.draw_series(std::iter::once(Cross::new((cx, cy), (font_px / 2 + 2) as i32, cluster_colour(i).stroke_width(2))))?;
    }
    outer.present()?;
    Ok(())
}

/// Horizontal bars of the weighted totals (1-5) per segment, targets in the accent colour,
/// the rank before the name.
pub fn draw_evaluation<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, report: &EvaluationReport, x_label: &str, font_px: u32) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let rows: Vec<_> = report.rows.iter().take(MAX_BARS).collect();
    if rows.is_empty() {
        return Ok(());
    }
    let n = rows.len();
    let x_fmt = |x: &f64| if *x <= 5.0 && x.fract() == 0.0 { format!("{x:.0}") } else { String::new() };
    let names: Vec<String> = rows.iter().map(|r| format!("{}{}", r.rank.map(|k| format!("#{k} ")).unwrap_or_default(), r.segment)).collect();
    let (w, _) = area.dim_in_pixel();
    let (plan, names) = layout::plan_hbars(area, &font(font_px), font_px, &names, w * 2 / 5, &layout::AxisSpec { range: 0.0..5.0, want: 6, fmt: &x_fmt, title: Some(x_label) });
    // Room right of the longest bar (5 at most) for its value label.
    let value_w = layout::measure(area, " 5.00", &font(font_px)).0;
    let top = layout::room_for_value(0.0, 5.0, value_w, layout::gap(font_px), layout::plot_width(&plan.plan, w));
    let mut chart = layout::builder(area, &plan.plan)
        // plotters' integer range is inclusive: `0..n - 1` gives exactly n slots.
        .build_cartesian_2d(0.0..top, (0..n - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(n)
        .x_desc(x_label)
        .label_style(font(font_px))
        .axis_desc_style(font(font_px))
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(i) if *i < n => names.get(n - 1 - *i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()?;
    // The first row of the matrix is drawn at the top.
    chart.draw_series(rows.iter().enumerate().filter_map(|(i, r)| {
        let total = r.total?;
        let slot = n - 1 - i;
        let colour = if r.target { ACCENT } else { palette::PRIMARY };
        let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(slot)), (total, SegmentValue::Exact(slot + 1))], colour.filled());
        bar.set_margin(3, 3, 0, 0);
        Some(bar)
    }))?;
    chart.draw_series(rows.iter().enumerate().filter_map(|(i, r)| {
        let total = r.total?;
        Some(Text::new(format!(" {total:.2}"), (total, SegmentValue::CenterOf(n - 1 - i)), font(font_px).pos(Pos::new(HPos::Left, VPos::Center))))
    }))?;
    area.present()?;
    Ok(())
}

/// The perceptual map: the offers on the two attributes, the own offer as a larger accent
/// dot, every offer named, with the midlines of the range as quadrant guides.
pub fn draw_perceptual_map<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, map: &ValidPerceptualMap, font_px: u32) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let m = map.map();
    let ((x0, x1), (y0, y1)) = m.extent();
    let fmt = |v: &f64| {
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    };
    let plan = layout::plan_xy(
        area,
        &font(font_px),
        font_px,
        &layout::AxisSpec { range: x0..x1, want: 10, fmt: &fmt, title: Some(m.x_label.as_str()) },
        &layout::AxisSpec { range: y0..y1, want: 10, fmt: &fmt, title: Some(m.y_label.as_str()) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .x_desc(m.x_label.as_str())
        .y_desc(m.y_label.as_str())
        .label_style(font(font_px))
        .axis_desc_style(font(font_px))
        .draw()?;
    let (mx, my) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let guide = palette::INK.mix(0.3).stroke_width(1);
    chart.draw_series(std::iter::once(PathElement::new(vec![(mx, y0), (mx, y1)], guide)))?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(x0, my), (x1, my)], guide)))?;
    for o in &m.offers {
        let (r, c) = if o.own { (9, ACCENT) } else { (6, palette::PRIMARY) };
        chart.draw_series(std::iter::once(Circle::new((o.x, o.y), r, c.filled())))?;
    }
    // Every offer named beside its dot where the name touches nothing else, the own offer
    // first; the offers' table names the rest.
    let mut order: Vec<usize> = (0..m.offers.len()).collect();
    order.sort_by_key(|&i| !m.offers[i].own);
    let points: Vec<layout::PointLabel> = order
        .iter()
        .map(|&i| {
            let o = &m.offers[i];
            layout::PointLabel { at: layout::to_area(area, &chart, &(o.x, o.y)), radius: if o.own { 9 } else { 6 }, text: o.name.clone() }
        })
        .collect();
    let mut taken = Vec::new();
    let spots = layout::place_labels(area, &font(font_px), font_px, &points, layout::plot_rect(area, &chart), &mut taken);
    for (p, spot) in points.iter().zip(spots) {
        if let Some((at, pos)) = spot {
            area.draw(&Text::new(p.text.clone(), at, font(font_px).pos(pos)))?;
        }
    }
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's colour dots (CSS classes) and the chart's points (plotters) must agree.
    #[test]
    fn cluster_classes_in_the_stylesheet_paint_the_chart_colours() {
        let css = include_str!("../../style/main.css");
        for (i, c) in CLUSTER.iter().enumerate() {
            let rule = format!(".cluster-{i} {{ background: #{:02x}{:02x}{:02x}; }}", c.0, c.1, c.2);
            assert!(css.contains(&rule), "style/main.css lacks `{rule}`");
        }
        assert_eq!(cluster_class(12), "dot cluster-2");
    }
}
