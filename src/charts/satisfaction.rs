//! Charts of the satisfaction analysis (SPEC §5): horizontal bars with confidence
//! whiskers (indicator scores, path coefficients), vertical bars with an optional target
//! line (breakdowns, benchmark), the trend over periods, the satisfaction-loyalty zones and
//! the importance-performance quadrants. Each draws what the core's reports say; choosing
//! axis ranges and pixels is the only arithmetic here.

use super::{layout, palette, DrawResult};
use clientscope_core::satisfaction::ipa::{IpaReport, Quadrant};
use clientscope_core::satisfaction::nps::{LoyaltyZone, ZoneReport};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const ACCENT: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);
const GOOD: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
const BAD: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
const GREY: RGBColor = RGBColor(0x8a, 0x94, 0xa3);

/// One horizontal bar: label, value, optional interval, emphasised (drawn darker).
pub struct HBar {
    /// Label on the left.
    pub label: String,
    /// Bar length.
    pub value: f64,
    /// Interval drawn as a whisker.
    pub interval: Option<(f64, f64)>,
    /// Emphasised bar (e.g. a group rather than a question).
    pub strong: bool,
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

/// Horizontal bars, first bar at the top, with whiskers for the intervals; the x range is
/// `range` widened to hold every value and interval.
pub fn draw_hbars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[HBar],
    range: (f64, f64),
    decimals: usize,
    x_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = bars.len();
    if n == 0 {
        return Ok(());
    }
    let lo = bars.iter().flat_map(|b| [b.value, b.interval.map_or(b.value, |i| i.0)]).fold(range.0, f64::min);
    let hi = bars.iter().flat_map(|b| [b.value, b.interval.map_or(b.value, |i| i.1)]).fold(range.1, f64::max);
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let (w, _) = area.dim_in_pixel();
    let x_fmt = |x: &f64| format!("{x:.1}").trim_end_matches(".0").to_string();
    let names: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let (plan, names) = layout::plan_hbars(area, &font, font_px, &names, (w / 3).min(font_px * 14), &layout::AxisSpec { range: lo..hi, want: 6, fmt: &x_fmt, title: Some(x_label) });
    // Room right of the longest bar or whisker for its value label.
    let value_w = bars.iter().map(|b| layout::measure(area, &format!(" {:.*}", decimals, b.value), &font).0).max().unwrap_or(0);
    let hi = layout::room_for_value(lo, hi, value_w, layout::gap(font_px), layout::plot_width(&plan.plan, w));
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(lo..hi, (0..n.saturating_sub(1).max(1)).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .x_desc(x_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .y_labels(n)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(i) if *i < n => names[n - 1 - *i].clone(),
            _ => String::new(),
        })
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(k, b)| {
        let row = n - 1 - k;
        let colour = if b.strong { palette::PRIMARY } else { RGBColor(0x7f, 0xb0, 0xdc) };
        let base = 0.0_f64.clamp(lo, hi);
        let mut bar = Rectangle::new([(base, SegmentValue::Exact(row)), (b.value, SegmentValue::Exact(row + 1))], colour.filled());
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    for (k, b) in bars.iter().enumerate() {
        if let Some((a, z)) = b.interval {
            let row = n - 1 - k;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(a, SegmentValue::CenterOf(row)), (z, SegmentValue::CenterOf(row))],
                palette::INK.stroke_width(2),
            )))?;
        }
    }
    chart.draw_series(bars.iter().enumerate().map(|(k, b)| {
        let row = n - 1 - k;
        let x = b.interval.map_or(b.value, |i| i.1.max(b.value));
        Text::new(format!(" {:.*}", decimals, b.value), (x, SegmentValue::CenterOf(row)), font.clone().pos(Pos::new(HPos::Left, VPos::Center)))
    }))?;
    area.present()?;
    Ok(())
}

/// Vertical bars (value 0-100) with their labels below, the highlighted bar in the accent
/// colour, and a dashed horizontal target line when given.
pub fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bars: &[(String, f64, bool)],
    target: Option<(f64, &str)>,
    y_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = bars.len();
    if n == 0 {
        return Ok(());
    }
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    // The target line is named in a legend above the plot: on the plot its name would sit
    // on the bars' value labels.
    let outer = area;
    let target_name = target.map(|(t, label)| format!("{label} {:.1}", t.clamp(0.0, 100.0)));
    let body = match &target_name {
        Some(name) => layout::legend_band(outer, &font, font_px, &[(BAD, name.as_str())])?,
        None => outer.clone(),
    };
    let area = &body;
    let (w, _) = area.dim_in_pixel();
    let y_fmt = |y: &f64| format!("{y:.0}");
    let slots = n.saturating_sub(1).max(1) + 1;
    // The value labels sit above the bars: room above 100 for one line.
    let (_, line_h) = layout::measure(area, "0", &font);
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: 0.0..slots as f64, want: 1, fmt: &|_| String::new(), title: None },
        &layout::AxisSpec { range: 0.0..100.0, want: 6, fmt: &y_fmt, title: Some(y_label) },
        None,
    );
    let slot_w = layout::plot_width(&plan.plan, w) / slots as u32;
    let names: Vec<String> = bars.iter().map(|b| layout::fit_text(area, &b.0, &font, slot_w.saturating_sub(layout::gap(font_px)))).collect();
    let plot_h = area.dim_in_pixel().1.saturating_sub(2 * plan.plan.margin + plan.plan.bottom).max(1);
    let top = 100.0 * f64::from(plot_h) / f64::from(plot_h.saturating_sub(line_h + 2).max(1));
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d((0..n.saturating_sub(1).max(1)).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.y_labels)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .y_label_formatter(&|y| if *y <= 100.0 { y_fmt(y) } else { String::new() })
        .x_labels(n)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) if *i < n => names[*i].clone(),
            _ => String::new(),
        })
        .draw()?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, v, hl))| {
        let colour = if *hl { ACCENT } else { palette::PRIMARY };
        let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), v.clamp(0.0, 100.0))], colour.filled());
        bar.set_margin(0, 0, 6, 6);
        bar
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, v, _))| {
        Text::new(format!("{v:.1}"), (SegmentValue::CenterOf(i), v.clamp(0.0, 100.0)), font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)))
    }))?;
    if let Some((t, _)) = target {
        let t = t.clamp(0.0, 100.0);
        for k in 0..n {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(SegmentValue::Exact(k), t), (SegmentValue::Exact(k + 1), t)],
                BAD.stroke_width(2),
            )))?;
        }
    }
    outer.present()?;
    Ok(())
}

/// CSI (line with points) and satisfaction rate (dashed) per period, in the given order.
pub fn draw_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    periods: &[(String, Option<f64>, Option<f64>)],
    csi_label: &str,
    rate_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = periods.len();
    if n == 0 {
        return Ok(());
    }
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let outer = area;
    let body = layout::legend_band(outer, &font, font_px, &[(palette::PRIMARY, csi_label), (ACCENT, rate_label)])?;
    let area = &body;
    let y_fmt = |y: &f64| format!("{y:.0}");
    let names: Vec<String> = periods.iter().map(|p| p.0.clone()).collect();
    let (mut chart, _) = layout::period_chart(area, &font, font_px, &names, 0.0..100.0, &y_fmt)?;
    let csi: Vec<(f64, f64)> = periods.iter().enumerate().filter_map(|(i, p)| p.1.map(|v| (i as f64, v))).collect();
    let rate: Vec<(f64, f64)> = periods.iter().enumerate().filter_map(|(i, p)| p.2.map(|v| (i as f64, v))).collect();
    let stroke = (font_px / 6).max(2);
    chart.draw_series(LineSeries::new(csi.clone(), palette::PRIMARY.stroke_width(stroke)))?;
    chart.draw_series(csi.iter().map(|&p| Circle::new(p, font_px / 3 + 2, palette::PRIMARY.filled())))?;
    chart.draw_series(csi.iter().map(|&(x, y)| Text::new(format!("{y:.1}"), (x, y), font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)))))?;
    chart.draw_series(LineSeries::new(rate.clone(), ACCENT.stroke_width(stroke)))?;
    chart.draw_series(rate.iter().map(|&p| Circle::new(p, font_px / 3 + 1, ACCENT.filled())))?;
    outer.present()?;
    Ok(())
}

fn zone_colour(z: LoyaltyZone) -> RGBColor {
    match z {
        LoyaltyZone::Defection => BAD,
        LoyaltyZone::Indifference => GREY,
        LoyaltyZone::Affection => GOOD,
    }
}

/// Satisfaction-loyalty zones (Jones & Sasser): every respondent's own score (x) against
/// the likelihood to recommend (y), over the three zone bands, each band named with its
/// share of respondents.
pub fn draw_zones<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    zones: &ZoneReport,
    zone_label: &dyn Fn(LoyaltyZone) -> String,
    x_label: &str,
    y_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let fmt = |v: &f64| format!("{v:.0}");
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: 0.0..100.0, want: 6, fmt: &fmt, title: Some(x_label) },
        &layout::AxisSpec { range: -0.5..10.5, want: 6, fmt: &fmt, title: Some(y_label) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(0.0..100.0, -0.5..10.5)?;
    let bands = [
        (LoyaltyZone::Defection, 0.0, zones.params.indifference_from),
        (LoyaltyZone::Indifference, zones.params.indifference_from, zones.params.affection_from),
        (LoyaltyZone::Affection, zones.params.affection_from, 100.0),
    ];
    for (z, a, b) in bands {
        chart.draw_series(std::iter::once(Rectangle::new([(a, -0.5), (b, 10.5)], zone_colour(z).mix(0.10).filled())))?;
    }
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .set_all_tick_mark_size(plan.plan.tick)
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .draw()?;
    chart.draw_series(zones.points.iter().filter_map(|p| {
        p.recommend.map(|r| Circle::new((p.satisfaction, f64::from(r)), font_px / 4 + 2, zone_colour(p.zone).mix(0.35).filled()))
    }))?;
    // Defection top left, indifference top centre, affection bottom right: the bands
    // differ in width, so a label that would run into one placed before moves a line down
    // (up, for the bottom one) inside the plot.
    let plot = layout::plot_rect(area, &chart);
    let mut taken: Vec<layout::Rect> = Vec::new();
    for (z, a, b) in bands {
        let share = zones.zones.iter().find(|s| s.zone == z).map(|s| s.share).unwrap_or(0.0);
        let (at, pos, down) = match z {
            LoyaltyZone::Defection => ((a + 1.0, 10.4), Pos::new(HPos::Left, VPos::Top), 1),
            LoyaltyZone::Indifference => (((a + b) / 2.0, 10.4), Pos::new(HPos::Center, VPos::Top), 1),
            LoyaltyZone::Affection => ((b - 1.0, -0.4), Pos::new(HPos::Right, VPos::Bottom), -1),
        };
        let text = format!("{} {share:.0}%", zone_label(z));
        let size = layout::measure(area, &text, &font);
        let (x, y) = layout::to_area(area, &chart, &at);
        // Keep a centred label inside the plot.
        let x = match pos.h_pos {
            HPos::Center => x.clamp(plot.0 + size.0 as i32 / 2, (plot.2 - size.0 as i32 / 2).max(plot.0)),
            _ => x,
        };
        let spot = (0..4).map(|k| (x, y + down * k * (size.1 as i32 + 2))).find(|&p| {
            let r = layout::text_box(p, size, pos);
            !taken.iter().any(|t| layout::overlaps(*t, r))
        });
        if let Some(p) = spot {
            taken.push(layout::text_box(p, size, pos));
            area.draw(&Text::new(text, p, font.clone().color(&zone_colour(z)).pos(pos)))?;
        }
    }
    area.present()?;
    Ok(())
}

fn quadrant_colour(q: Quadrant) -> RGBColor {
    match q {
        Quadrant::ConcentrateHere => BAD,
        Quadrant::KeepUpTheGoodWork => GOOD,
        Quadrant::LowPriority => GREY,
        Quadrant::PossibleOverkill => ACCENT,
    }
}

/// Importance-performance quadrants: performance across, importance up, split at the
/// report's split lines, the four quadrants named in their corners, every item a labelled
/// point.
pub fn draw_ipa<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &IpaReport,
    quadrant_label: &dyn Fn(Quadrant) -> String,
    x_label: &str,
    y_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    if report.items.is_empty() {
        return Ok(());
    }
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let xs = report.items.iter().map(|i| i.item.performance);
    let ys = report.items.iter().map(|i| i.item.importance);
    let (x0, x1) = xs.fold((report.performance_split, report.performance_split), |(a, b), v| (a.min(v), b.max(v)));
    let (y0, y1) = ys.fold((report.importance_split, report.importance_split), |(a, b), v| (a.min(v), b.max(v)));
    let pad = |a: f64, b: f64| {
        let d = ((b - a) * 0.15).max(1e-3 + a.abs() * 0.05);
        (a - d, b + d)
    };
    let (x0, x1) = pad(x0, x1);
    let (y0, y1) = pad(y0, y1);
    let y_fmt = |y: &f64| format!("{y:.2}");
    let x_fmt = |x: &f64| if x1 - x0 < 8.0 { format!("{x:.1}") } else { format!("{x:.0}") };
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: x0..x1, want: 10, fmt: &x_fmt, title: Some(x_label) },
        &layout::AxisSpec { range: y0..y1, want: 10, fmt: &y_fmt, title: Some(y_label) },
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
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt)
        .draw()?;
    let (ps, is) = (report.performance_split, report.importance_split);
    chart.draw_series(std::iter::once(PathElement::new(vec![(ps, y0), (ps, y1)], palette::INK.stroke_width(1))))?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(x0, is), (x1, is)], palette::INK.stroke_width(1))))?;
    let corners = [
        (Quadrant::ConcentrateHere, (x0, y1), Pos::new(HPos::Left, VPos::Top)),
        (Quadrant::KeepUpTheGoodWork, (x1, y1), Pos::new(HPos::Right, VPos::Top)),
        (Quadrant::LowPriority, (x0, y0), Pos::new(HPos::Left, VPos::Bottom)),
        (Quadrant::PossibleOverkill, (x1, y0), Pos::new(HPos::Right, VPos::Bottom)),
    ];
    // The quadrant names in the plot's corners; on a narrow plot where two would meet, the
    // later one is left out (the items' table names every quadrant).
    let mut taken: Vec<layout::Rect> = Vec::new();
    for (q, at, pos) in corners {
        let text = quadrant_label(q);
        let b = layout::text_box(layout::to_area(area, &chart, &at), layout::measure(area, &text, &font), pos);
        if taken.iter().any(|t| layout::overlaps(*t, b)) {
            continue;
        }
        taken.push(b);
        chart.draw_series(std::iter::once(Text::new(text, at, font.clone().color(&quadrant_colour(q)).pos(pos))))?;
    }
    let radius = (font_px / 3 + 2) as i32;
    chart.draw_series(report.items.iter().map(|i| {
        Circle::new((i.item.performance, i.item.importance), radius, quadrant_colour(i.quadrant).filled())
    }))?;
    // Each item named beside its point where the name touches no other text or point, the
    // most important first; the rest are left to the items' table below the chart.
    let mut order: Vec<usize> = (0..report.items.len()).collect();
    order.sort_by(|&a, &b| report.items[b].item.importance.total_cmp(&report.items[a].item.importance));
    let points: Vec<layout::PointLabel> = order
        .iter()
        .map(|&k| {
            let i = &report.items[k];
            layout::PointLabel { at: layout::to_area(area, &chart, &(i.item.performance, i.item.importance)), radius, text: short(&i.item.label, 8) }
        })
        .collect();
    let spots = layout::place_labels(area, &font, font_px, &points, layout::plot_rect(area, &chart), &mut taken);
    for (p, spot) in points.iter().zip(spots) {
        if let Some((at, pos)) = spot {
            area.draw(&Text::new(p.text.clone(), at, font.clone().pos(pos)))?;
        }
    }
    area.present()?;
    Ok(())
}
