//! Charts of the complaint analysis (SPEC §6, issue 11 §2): the Pareto chart of the
//! categories and the monthly trend. Each draws what the core's `ComplaintReport` says
//! (`pareto`, `trend`); choosing axis ranges and pixels is the only arithmetic here.

use super::{layout, palette, DrawResult};
use clientscope_core::service::complaints::{MonthRow, ParetoRow};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The cumulative line and the "resolved" series.
const ACCENT: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);
/// The "resolved on time" series.
const GOOD: RGBColor = RGBColor(0x2e, 0x8b, 0x57);

/// Labels of a count axis: whole numbers only (plotters may put ticks at halves when the
/// counts are small, which would print "1" twice).
fn count_label(y: &f64) -> String {
    if (y - y.round()).abs() < 1e-9 && *y >= 0.0 {
        format!("{y:.0}")
    } else {
        String::new()
    }
}

/// The top of a count axis with a little room above the largest count.
fn count_top(max: usize) -> f64 {
    if max == 0 {
        1.0
    } else {
        max as f64 * 1.1
    }
}

/// Pareto chart of the categories: one bar per category with its count (the report's
/// order: count descending), the cumulative share as a line with points on the right axis
/// (0-100 %). `labels` names the bars and the line in a legend band above the plot;
/// `none` names the empty category. Category names are cut with "…" to their slot (the
/// page's table gives them in full).
pub fn draw_complaint_pareto<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[ParetoRow],
    labels: (&str, &str),
    none: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = rows.len();
    if n == 0 {
        return Ok(());
    }
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let outer = area;
    let body = layout::legend_band(outer, &font, font_px, &[(palette::PRIMARY, labels.0), (ACCENT, labels.1)])?;
    let area = &body;
    let (w, _) = area.dim_in_pixel();
    let top = count_top(rows.iter().map(|r| r.count).max().unwrap_or(0));
    let pct = |y: &f64| format!("{y:.0}%");
    // At least two slots: a segmented axis of one slot has no room for its bar.
    let slots = n.max(2);
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: 0.0..slots as f64, want: 1, fmt: &|_| String::new(), title: None },
        &layout::AxisSpec { range: 0.0..top, want: 6, fmt: &count_label, title: None },
        Some(&layout::AxisSpec { range: 0.0..100.0, want: 6, fmt: &pct, title: None }),
    );
    let slot_w = layout::plot_width(&plan.plan, w) / slots as u32;
    let names: Vec<String> = rows
        .iter()
        .map(|r| layout::fit_text(area, if r.category.is_empty() { none } else { &r.category }, &font, slot_w.saturating_sub(layout::gap(font_px))))
        .collect();
    let x = (0..slots - 1).into_segmented();
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(x.clone(), 0.0..top)?.set_secondary_coord(x, 0.0..100.0);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.y_labels)
        .label_style(font.clone())
        .y_label_formatter(&count_label)
        .x_labels(slots)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) if *i < n => names[*i].clone(),
            _ => String::new(),
        })
        .draw()?;
    chart
        .configure_secondary_axes()
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.right_labels)
        .label_style(font.clone())
        .y_label_formatter(&pct)
        .draw()?;
    chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
        let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), r.count as f64)], palette::PRIMARY.filled());
        let m = (slot_w / 6).max(1);
        bar.set_margin(0, 0, m, m);
        bar
    }))?;
    let line: Vec<(SegmentValue<usize>, f64)> = rows.iter().enumerate().map(|(i, r)| (SegmentValue::CenterOf(i), r.cumulative * 100.0)).collect();
    chart.draw_secondary_series(LineSeries::new(line.clone(), ACCENT.stroke_width((font_px / 6).max(2))))?;
    chart.draw_secondary_series(line.into_iter().map(|p| Circle::new(p, font_px / 3 + 1, ACCENT.filled())))?;
    outer.present()?;
    Ok(())
}

/// Monthly trend: complaints received, resolved and resolved on time per month (the
/// report's `trend`, months without complaints included), as three lines with points and
/// a legend band above the plot. `labels` are the three series' names; the months are
/// labelled `YYYY-MM` as often as they fit, always including the last.
pub fn draw_complaint_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthRow],
    labels: (&str, &str, &str),
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = months.len();
    if n == 0 {
        return Ok(());
    }
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let outer = area;
    let body = layout::legend_band(outer, &font, font_px, &[(palette::PRIMARY, labels.0), (ACCENT, labels.1), (GOOD, labels.2)])?;
    let area = &body;
    let top = count_top(months.iter().map(|m| m.received.max(m.resolved)).max().unwrap_or(0));
    let names: Vec<String> = months.iter().map(|m| m.month.clone()).collect();
    let (mut chart, slot) = layout::period_chart(area, &font, font_px, &names, 0.0..top, &count_label)?;
    let stroke = (font_px / 6).max(2);
    let series: [(RGBColor, fn(&MonthRow) -> usize); 3] = [(palette::PRIMARY, |m| m.received), (ACCENT, |m| m.resolved), (GOOD, |m| m.resolved_on_time)];
    // Points only while they stay apart; with years of months the lines alone read better.
    let dots = slot >= f64::from(font_px);
    for (colour, value) in series {
        let points: Vec<(f64, f64)> = months.iter().enumerate().map(|(i, m)| (i as f64, value(m) as f64)).collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(stroke)))?;
        if dots {
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, font_px / 4 + 1, colour.filled())))?;
        }
    }
    outer.present()?;
    Ok(())
}
