//! Charts of the value analysis (SPEC §3): the Pareto chart of ABC, the RFM segment sizes
//! and R × F heat map, and the value-matrix scatter. Each draws what a [`ValueReport`]
//! says; scaling to pixels is the only arithmetic here.

use super::{palette, short_number, DrawResult};
use clientscope_core::value::abc::AbcClass;
use clientscope_core::value::matrix::ValueQuadrant;
use clientscope_core::value::rfm::RfmSegment;
use clientscope_core::value::ValueReport;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Colour of an ABC class.
fn class_colour(c: AbcClass) -> RGBColor {
    match c {
        AbcClass::A => RGBColor(0x1f, 0x6f, 0xb2),
        AbcClass::B => RGBColor(0x5b, 0xa3, 0xd9),
        AbcClass::C => RGBColor(0xa9, 0xc8, 0xe4),
    }
}

/// Colour of a value-matrix quadrant.
pub fn quadrant_colour(q: ValueQuadrant) -> RGBColor {
    match q {
        ValueQuadrant::Gold => RGBColor(0xd4, 0x9a, 0x06),
        ValueQuadrant::Star => RGBColor(0x2e, 0x8b, 0x57),
        ValueQuadrant::Problem => RGBColor(0xc0, 0x39, 0x2b),
        ValueQuadrant::Dog => RGBColor(0x8a, 0x94, 0xa3),
    }
}

const LINE: RGBColor = RGBColor(0xe0, 0x6c, 0x1f);

/// Pareto chart: the metric of every customer in Pareto order as bars (coloured by class),
/// the cumulative share of the positive total as a line on the right axis (0-100 %), and a
/// dashed vertical line where class B and class C begin.
pub fn draw_pareto<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &ValueReport,
    y_label: &str,
    x_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let abc = &report.abc;
    let n = abc.order.len();
    if n == 0 {
        return Ok(());
    }
    let metric = |pos: usize| report.customers[abc.order[pos]].metric;
    let max = (0..n).map(metric).fold(0.0_f64, f64::max);
    let min = (0..n).map(metric).fold(0.0_f64, f64::min);
    let top = if max > 0.0 { max * 1.05 } else { 1.0 };
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let mut chart = ChartBuilder::on(area)
        .margin(font_px)
        .x_label_area_size(font_px * 3)
        .y_label_area_size(font_px * 5)
        .right_y_label_area_size(font_px * 4)
        .build_cartesian_2d(0.0..n as f64, min..top)?
        .set_secondary_coord(0.0..n as f64, 0.0..100.0);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .y_labels(6)
        .x_labels(6)
        .y_desc(y_label)
        .x_desc(x_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| short_number(*y))
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_labels(6)
        .label_style(font.clone())
        .y_label_formatter(&|y| format!("{y:.0}%"))
        .draw()?;
    // One bar per customer, drawn per class as one filled step outline: with thousands of
    // customers a bar is narrower than a pixel and would vanish if drawn alone.
    for class in AbcClass::ALL {
        let positions: Vec<usize> = (0..n).filter(|&pos| abc.class[abc.order[pos]] == class).collect();
        let (Some(&first), Some(&last)) = (positions.first(), positions.last()) else { continue };
        let mut outline = vec![(first as f64, 0.0)];
        for pos in first..=last {
            let v = metric(pos);
            outline.push((pos as f64, v));
            outline.push((pos as f64 + 1.0, v));
        }
        outline.push((last as f64 + 1.0, 0.0));
        // The outline keeps the tallest (narrowest) bars visible as a line.
        chart.draw_series(std::iter::once(PathElement::new(outline.clone(), class_colour(class).stroke_width(1))))?;
        chart.draw_series(std::iter::once(Polygon::new(outline, class_colour(class).filled())))?;
    }
    chart.draw_secondary_series(LineSeries::new(
        std::iter::once((0.0, 0.0)).chain((0..n).map(|pos| (pos as f64 + 1.0, abc.share_through[abc.order[pos]] * 100.0))),
        LINE.stroke_width((font_px / 6).max(2)),
    ))?;
    // Class boundaries: the first customer of B and of C in Pareto order.
    for class in [AbcClass::B, AbcClass::C] {
        if let Some(pos) = (0..n).find(|&pos| abc.class[abc.order[pos]] >= class) {
            let x = pos as f64;
            let dash = (0..20).map(|k| k as f64 * 5.0).map(|y0| vec![(x, y0), (x, y0 + 2.5)]);
            for seg in dash {
                chart.draw_secondary_series(LineSeries::new(seg, palette::INK.stroke_width(1)))?;
            }
        }
    }
    // Class letters centred over each class's run of bars.
    for class in AbcClass::ALL {
        let positions: Vec<usize> = (0..n).filter(|&pos| abc.class[abc.order[pos]] == class).collect();
        if let (Some(&first), Some(&last)) = (positions.first(), positions.last()) {
            let x = (first + last + 1) as f64 / 2.0;
            chart.draw_secondary_series(std::iter::once(Text::new(
                class.as_str().to_string(),
                (x, 96.0),
                ("sans-serif", font_px as f64 * 1.2).into_font().color(&class_colour(class)).pos(Pos::new(HPos::Center, VPos::Top)),
            )))?;
        }
    }
    area.present()?;
    Ok(())
}

/// Horizontal bars: customers per RFM segment, labelled by `label`.
pub fn draw_rfm_segments<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    counts: &[(RfmSegment, usize)],
    label: &dyn Fn(RfmSegment) -> &'static str,
    x_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let n = counts.len();
    if n == 0 {
        return Ok(());
    }
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let mut chart = ChartBuilder::on(area)
        .margin(font_px)
        .x_label_area_size(font_px * 3)
        .y_label_area_size(font_px * 9)
        .build_cartesian_2d(0.0..max as f64 * 1.15, (0..n - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc(x_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .y_labels(n)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| match y {
            // Row 0 at the bottom: draw the first segment at the top.
            SegmentValue::CenterOf(i) if *i < n => label(counts[n - 1 - *i].0).to_string(),
            _ => String::new(),
        })
        .draw()?;
    chart.draw_series(counts.iter().enumerate().map(|(k, &(_, c))| {
        let row = n - 1 - k;
        let mut bar = Rectangle::new(
            [(0.0, SegmentValue::Exact(row)), (c as f64, SegmentValue::Exact(row + 1))],
            palette::PRIMARY.filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        bar
    }))?;
    chart.draw_series(counts.iter().enumerate().map(|(k, &(_, c))| {
        let row = n - 1 - k;
        Text::new(format!(" {c}"), (c as f64, SegmentValue::CenterOf(row)), font.clone().pos(Pos::new(HPos::Left, VPos::Center)))
    }))?;
    area.present()?;
    Ok(())
}

/// R × F heat map: a 5 × 5 grid, F score across, R score up, each cell shaded by its
/// number of customers and labelled with it.
pub fn draw_rf_heat<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    heat: &[[usize; 5]; 5],
    r_label: &str,
    f_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let max = heat.iter().flatten().copied().max().unwrap_or(0).max(1);
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let mut chart = ChartBuilder::on(area)
        .margin(font_px)
        .x_label_area_size(font_px * 3)
        .y_label_area_size(font_px * 3)
        .build_cartesian_2d((1..5).into_segmented(), (1..5).into_segmented())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(f_label)
        .y_desc(r_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_label_formatter(&|v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => i.to_string(),
            _ => String::new(),
        })
        .y_label_formatter(&|v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => i.to_string(),
            _ => String::new(),
        })
        .draw()?;
    for r in 1..=5_i32 {
        for f in 1..=5_i32 {
            let count = heat[(r - 1) as usize][(f - 1) as usize];
            let share = count as f64 / max as f64;
            // White to the primary colour.
            let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * share) as u8;
            let fill = RGBColor(mix(palette::PRIMARY.0), mix(palette::PRIMARY.1), mix(palette::PRIMARY.2));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(SegmentValue::Exact(f), SegmentValue::Exact(r)), (SegmentValue::Exact(f + 1), SegmentValue::Exact(r + 1))],
                fill.filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(SegmentValue::Exact(f), SegmentValue::Exact(r)), (SegmentValue::Exact(f + 1), SegmentValue::Exact(r + 1))],
                WHITE.stroke_width(2),
            )))?;
            let ink = if share > 0.55 { WHITE } else { palette::INK };
            chart.draw_series(std::iter::once(Text::new(
                count.to_string(),
                (SegmentValue::CenterOf(f), SegmentValue::CenterOf(r)),
                ("sans-serif", font_px as f64).into_font().color(&ink).pos(Pos::new(HPos::Center, VPos::Center)),
            )))?;
        }
    }
    area.present()?;
    Ok(())
}

/// Where the value-matrix scatter put its dots: data → backend pixels, for hit-testing a
/// click with [`value_matrix_hit`].
pub type MatrixCoord = Cartesian2d<RangedCoordf64, RangedCoordf64>;

/// Value-matrix scatter: current value (the metric) across, potential up, one dot per
/// customer coloured by quadrant with its area proportional to revenue, and the split
/// lines of the matrix. Returns the coordinates used (`None` when there are no customers).
pub fn draw_value_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &ValueReport,
    x_label: &str,
    y_label: &str,
    font_px: u32,
) -> Result<Option<MatrixCoord>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let cs = &report.customers;
    if cs.is_empty() {
        return Ok(None);
    }
    let fold = |f: fn(&clientscope_core::value::CustomerValue) -> f64| {
        cs.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)))
    };
    let (x0, x1) = fold(|c| c.metric);
    let (y0, y1) = fold(|c| c.potential);
    let pad = |lo: f64, hi: f64| {
        let span = (hi - lo).max(1.0);
        (lo - span * 0.03, hi + span * 0.05)
    };
    let (x0, x1) = pad(x0, x1);
    let (y0, y1) = pad(y0, y1);
    let max_rev = cs.iter().map(|c| c.revenue).fold(0.0_f64, f64::max);
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let mut chart = ChartBuilder::on(area)
        .margin(font_px)
        .x_label_area_size(font_px * 3)
        .y_label_area_size(font_px * 5)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| short_number(*v))
        .y_label_formatter(&|v| short_number(*v))
        .draw()?;
    let max_r = f64::from(font_px) * 0.9;
    // Big dots first, so that the small ones drawn later stay visible on top.
    let mut order: Vec<usize> = (0..cs.len()).collect();
    order.sort_by(|&a, &b| cs[b].revenue.partial_cmp(&cs[a].revenue).unwrap_or(std::cmp::Ordering::Equal));
    chart.draw_series(order.into_iter().map(|i| {
        let c = &cs[i];
        let share = if max_rev > 0.0 { (c.revenue.max(0.0) / max_rev).sqrt() } else { 0.0 };
        let radius = (2.0 + share * max_r) as i32;
        Circle::new((c.metric, c.potential), radius, quadrant_colour(c.value_quadrant).mix(0.55).filled())
    }))?;
    let line = palette::INK.mix(0.7).stroke_width(1);
    if let Some(t) = report.matrix.current_threshold {
        chart.draw_series(std::iter::once(PathElement::new(vec![(t, y0), (t, y1)], line)))?;
    }
    if let Some(t) = report.matrix.potential_threshold {
        chart.draw_series(std::iter::once(PathElement::new(vec![(x0, t), (x1, t)], line)))?;
    }
    area.present()?;
    Ok(Some(chart.as_coord_spec().clone()))
}

/// The customer (position in the report) whose dot is nearest to the backend pixel
/// `(px, py)`, if it lies within `tolerance` pixels.
pub fn value_matrix_hit(report: &ValueReport, coord: &MatrixCoord, (px, py): (i32, i32), tolerance: i32) -> Option<usize> {
    let within = i64::from(tolerance) * i64::from(tolerance);
    report
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (x, y) = coord.translate(&(c.metric, c.potential));
            let (dx, dy) = (i64::from(x - px), i64::from(y - py));
            (i, dx * dx + dy * dy)
        })
        .filter(|&(_, d)| d <= within)
        .min_by_key(|&(_, d)| d)
        .map(|(i, _)| i)
}
