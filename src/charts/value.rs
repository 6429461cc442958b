//! Charts of the value analysis (SPEC §3): the Pareto chart of ABC, the RFM segment sizes
//! and R × F heat map, and the value-matrix scatter. Each draws what a [`ValueReport`]
//! says; scaling to pixels is the only arithmetic here.

use super::{compact, layout, palette, DrawResult};
use clientscope_core::model::Language;
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
    lang: Language,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    let abc = &report.abc;
    let n = abc.order.len();
    if n == 0 {
        return Ok(());
    }
    // The metric in Pareto order, read once (the passes below then run over it in order,
    // not jumping about 100,000 customers' records each time).
    let ranked: Vec<f64> = abc.order.iter().map(|&i| report.customers[i].metric).collect();
    let metric = |pos: usize| ranked[pos];
    let max = ranked.iter().copied().fold(0.0_f64, f64::max);
    let min = ranked.iter().copied().fold(0.0_f64, f64::min);
    let top = if max > 0.0 { max * 1.05 } else { 1.0 };
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let x_fmt = |x: &f64| format!("{x:.0}");
    let y_fmt = |y: &f64| compact(*y, lang);
    let pct = |y: &f64| format!("{y:.0}%");
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: 0.0..n as f64, want: 6, fmt: &x_fmt, title: Some(x_label) },
        &layout::AxisSpec { range: min..top, want: 6, fmt: &y_fmt, title: Some(y_label) },
        Some(&layout::AxisSpec { range: 0.0..100.0, want: 6, fmt: &pct, title: None }),
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(0.0..n as f64, min..top)?.set_secondary_coord(0.0..n as f64, 0.0..100.0);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.y_labels)
        .x_labels(plan.x_labels)
        .y_desc(y_label)
        .x_desc(x_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    chart
        .configure_secondary_axes()
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.right_labels)
        .label_style(font.clone())
        .y_label_formatter(&pct)
        .draw()?;
    // One bar per customer, drawn per class as one filled step outline: with thousands of
    // customers a bar is narrower than a pixel and would vanish if drawn alone. Bars that
    // share a pixel column are drawn as one, at the tallest of them (what the eye sees
    // anyway): with 100,000 customers the outline has a few thousand vertices, not
    // 200,000 canvas calls on the page's thread.
    let columns = (area.dim_in_pixel().0 as usize).max(1);
    let per_column = n.div_ceil(columns).max(1);
    // The first and last Pareto positions of each class, in one pass over the customers.
    let mut spans: [Option<(usize, usize)>; 3] = [None; 3];
    for pos in 0..n {
        let k = AbcClass::ALL.iter().position(|&c| c == abc.class[abc.order[pos]]).unwrap_or(0);
        spans[k] = Some(spans[k].map_or((pos, pos), |(first, _)| (first, pos)));
    }
    for (class, span) in AbcClass::ALL.into_iter().zip(spans) {
        let Some((first, last)) = span else { continue };
        let mut outline = vec![(first as f64, 0.0)];
        let mut pos = first;
        while pos <= last {
            let end = (pos + per_column).min(last + 1);
            let v = (pos..end).map(metric).fold(f64::NEG_INFINITY, f64::max);
            outline.push((pos as f64, v));
            outline.push((end as f64, v));
            pos = end;
        }
        outline.push((last as f64 + 1.0, 0.0));
        // The outline keeps the tallest (narrowest) bars visible as a line.
        chart.draw_series(std::iter::once(PathElement::new(outline.clone(), class_colour(class).stroke_width(1))))?;
        chart.draw_series(std::iter::once(Polygon::new(outline, class_colour(class).filled())))?;
    }
    // The cumulative share at the end of each pixel column (and of the last customer).
    chart.draw_secondary_series(LineSeries::new(
        std::iter::once((0.0, 0.0)).chain((0..n).filter(|pos| (pos + 1) % per_column == 0 || pos + 1 == n).map(|pos| (pos as f64 + 1.0, abc.share_through[abc.order[pos]] * 100.0))),
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
    // Class letters centred over each class's run of bars; a letter that would touch the
    // one before (a narrow run) is left out, the colours still tell the classes apart.
    let mut taken: Vec<layout::Rect> = Vec::new();
    for (class, span) in AbcClass::ALL.into_iter().zip(spans) {
        if let Some((first, last)) = span {
            let x = (first + last + 1) as f64 / 2.0;
            let style = ("sans-serif", font_px as f64 * 1.2).into_font().color(&class_colour(class)).pos(Pos::new(HPos::Center, VPos::Top));
            let (ox, oy) = area.get_base_pixel();
            let (px, py) = chart.borrow_secondary().backend_coord(&(x, 96.0));
            let b = layout::text_box((px - ox, py - oy), layout::measure(area, class.as_str(), &style), style.pos);
            if taken.iter().any(|t| layout::overlaps(*t, b)) {
                continue;
            }
            taken.push(b);
            chart.draw_secondary_series(std::iter::once(Text::new(class.as_str().to_string(), (x, 96.0), style)))?;
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
    let names: Vec<String> = counts.iter().map(|c| label(c.0).to_string()).collect();
    let x_fmt = |x: &f64| if x.fract() == 0.0 { format!("{x:.0}") } else { String::new() };
    let (w, _) = area.dim_in_pixel();
    let (plan, names) = layout::plan_hbars(area, &font, font_px, &names, w * 2 / 5, &layout::AxisSpec { range: 0.0..max as f64 * 1.15, want: 6, fmt: &x_fmt, title: Some(x_label) });
    let value_w = layout::measure(area, &format!(" {max}"), &font).0;
    let top = layout::room_for_value(0.0, max as f64, value_w, layout::gap(font_px), layout::plot_width(&plan.plan, w));
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(0.0..top, (0..n - 1).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_desc(x_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .y_labels(n)
        .x_labels(plan.x_labels)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&|y| match y {
            // Row 0 at the bottom: draw the first segment at the top.
            SegmentValue::CenterOf(i) if *i < n => names[n - 1 - *i].clone(),
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
    let (digit_w, digit_h) = layout::measure(area, "5", &font);
    let plan = layout::Plan {
        margin: font_px,
        right_margin: 0,
        left: layout::Plan::left_for(area, &font, font_px, digit_w, Some(r_label)),
        bottom: layout::Plan::bottom_for(area, &font, font_px, digit_h, Some(f_label)),
        right: 0,
        tick: layout::tick(font_px),
    };
    let mut chart = layout::builder(area, &plan).build_cartesian_2d((1..5).into_segmented(), (1..5).into_segmented())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .set_all_tick_mark_size(plan.tick)
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
    lang: Language,
    font_px: u32,
) -> Result<Option<MatrixCoord>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    if report.customers.is_empty() {
        return Ok(None);
    }
    // What the chart needs of each customer, read in one pass: a customer's record is a few
    // hundred bytes, and the passes below (ranges, radii, pixels) over 100,000 records each
    // cost the page's thread more than reading them once.
    struct Dot {
        metric: f64,
        potential: f64,
        revenue: f64,
        quadrant: clientscope_core::value::matrix::ValueQuadrant,
    }
    let cs: Vec<Dot> = report.customers.iter().map(|c| Dot { metric: c.metric, potential: c.potential, revenue: c.revenue, quadrant: c.value_quadrant }).collect();
    let fold = |f: fn(&Dot) -> f64| cs.iter().map(f).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
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
    let fmt = |v: &f64| compact(*v, lang);
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: x0..x1, want: 6, fmt: &fmt, title: Some(x_label) },
        &layout::AxisSpec { range: y0..y1, want: 6, fmt: &fmt, title: Some(y_label) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .draw()?;
    let max_r = f64::from(font_px) * 0.9;
    let radius = |c: &Dot| {
        let share = if max_rev > 0.0 { (c.revenue.max(0.0) / max_rev).sqrt() } else { 0.0 };
        (2.0 + share * max_r) as usize
    };
    // Big dots first, so that the small ones drawn later stay visible on top: the customers
    // by radius, largest first (a counting sort over the few radii, where sorting 100,000
    // customers by revenue took a long task on the page's thread; dots of one radius are
    // the same size, so their order among themselves changes nothing).
    let mut by_radius: Vec<Vec<usize>> = Vec::new();
    for (i, c) in cs.iter().enumerate() {
        let r = radius(c);
        if by_radius.len() <= r {
            by_radius.resize_with(r + 1, Vec::new);
        }
        by_radius[r].push(i);
    }
    // Dots on the same pixel with the same size and colour are drawn once, as opaque as
    // their layers at 55 % would be together (k layers: 1 − 0.45ᵏ, the same colour on any
    // background), counting at most three (91 %: a fourth changes nothing visible): 100,000
    // customers cost one canvas call per distinct dot on the page's thread.
    type Key = (i32, i32, usize, clientscope_core::value::matrix::ValueQuadrant);
    let keyed: Vec<(Key, usize)> = by_radius
        .into_iter()
        .enumerate()
        .rev()
        .flat_map(|(r, members)| members.into_iter().map(move |i| (r, i)))
        .map(|(radius, i)| {
            let c = &cs[i];
            let (px, py) = chart.backend_coord(&(c.metric, c.potential));
            ((px, py, radius, c.quadrant), i)
        })
        .collect();
    let mut layers: rustc_hash::FxHashMap<Key, i32> = rustc_hash::FxHashMap::default();
    for (key, _) in &keyed {
        let seen = layers.entry(*key).or_insert(0);
        *seen = (*seen + 1).min(3);
    }
    let dots: Vec<_> = keyed
        .into_iter()
        .filter_map(|(key, i)| {
            let c = &cs[i];
            let k = layers.remove(&key)?;
            let opacity = 1.0 - 0.45_f64.powi(k);
            Some(Circle::new((c.metric, c.potential), key.2 as i32, quadrant_colour(c.quadrant).mix(opacity).filled()))
        })
        .collect();
    chart.draw_series(dots)?;
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

/// A shade from white (0) to `colour` (1).
fn shade(colour: RGBColor, share: f64) -> RGBColor {
    let s = share.clamp(0.0, 1.0);
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * s) as u8;
    RGBColor(mix(colour.0), mix(colour.1), mix(colour.2))
}

/// Frequency/recency heat map: recency `t_x` across, frequency `x` up, each cell shaded
/// from white to `colour` by its value over `top` (the largest value when `None`), with a
/// legend of the scale's end in the top-right corner.
#[allow(clippy::too_many_arguments)]
pub fn draw_fr_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    values: &[Vec<f64>],
    x: &[u32],
    t_x: &[f64],
    top: Option<f64>,
    colour: RGBColor,
    x_label: &str,
    y_label: &str,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    if values.is_empty() || t_x.len() < 2 {
        return Ok(());
    }
    let max = top.unwrap_or_else(|| values.iter().flatten().copied().filter(|v| v.is_finite()).fold(0.0_f64, f64::max)).max(1e-12);
    let step = t_x[1] - t_x[0];
    let (x_hi, y_hi) = (t_x[t_x.len() - 1] + step, x.len() as f64);
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let legend = format!("0 – {}", if max >= 10.0 { format!("{max:.0}") } else { format!("{max:.2}") });
    let (_, legend_h) = layout::measure(area, &legend, &font);
    let x_fmt = |v: &f64| format!("{v:.0}");
    let y_fmt = |v: &f64| if v.fract().abs() < 1e-9 { format!("{v:.0}") } else { String::new() };
    // The scale's legend sits above the plot, in a band of its own.
    let body = area.margin(legend_h + 4, 0, 0, 0);
    let plan = layout::plan_xy(
        &body,
        &font,
        font_px,
        &layout::AxisSpec { range: 0.0..x_hi, want: 8, fmt: &x_fmt, title: Some(x_label) },
        &layout::AxisSpec { range: 0.0..y_hi, want: x.len().min(11), fmt: &y_fmt, title: Some(y_label) },
        None,
    );
    let mut chart = layout::builder(&body, &plan.plan).build_cartesian_2d(0.0..x_hi, 0.0..y_hi)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .set_all_tick_mark_size(plan.plan.tick)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(plan.x_labels)
        .y_labels(plan.y_labels)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()?;
    for (i, row) in values.iter().enumerate() {
        chart.draw_series(row.iter().enumerate().map(|(j, &v)| {
            let fill = if v.is_finite() { shade(colour, v / max) } else { palette::GRID };
            Rectangle::new([(t_x[j], i as f64), (t_x[j] + step, i as f64 + 1.0)], fill.filled())
        }))?;
    }
    let (w, _) = area.dim_in_pixel();
    let box_w = font_px as i32 * 2;
    let legend_w = layout::measure(area, &legend, &font).0 as i32;
    let x0 = w as i32 - font_px as i32 - legend_w - 4 - box_w * 2;
    for k in 0..4 {
        area.draw(&Rectangle::new(
            [(x0 + k * box_w / 2, 4), (x0 + (k + 1) * box_w / 2, 4 + legend_h as i32)],
            shade(colour, f64::from(k as u8) / 3.0).filled(),
        ))?;
    }
    area.draw(&Text::new(legend, (x0 + box_w * 2 + 4, 4), font))?;
    area.present()?;
    Ok(())
}

/// Calibration / holdout check (FHL 2005, Figure 4): mean actual and mean predicted holdout
/// purchases per calibration frequency, as two lines with markers; the last bin is open.
pub fn draw_holdout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    bins: &[clientscope_core::value::bgnbd::HoldoutBin],
    labels: (&str, &str, &str, &str),
    font_px: u32,
) -> DrawResult<DB> {
    let (x_label, y_label, actual_label, predicted_label) = labels;
    area.fill(&WHITE)?;
    if bins.is_empty() {
        return Ok(());
    }
    let top = bins.iter().map(|b| b.actual.max(b.predicted)).fold(0.0_f64, f64::max).max(0.1) * 1.15;
    let last = bins.len() - 1;
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    // The legend in a band above the plot (plotters' own legend measures its text outside
    // the backend, with a span the CSP refuses).
    let outer = area;
    let body = layout::legend_band(outer, &font, font_px, &[(palette::PRIMARY, actual_label), (LINE, predicted_label)])?;
    let area = &body;
    let y_fmt = |v: &f64| format!("{v:.1}");
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: -0.3..(last as f64 + 0.3), want: bins.len(), fmt: &|_| format!("{}+", bins[last].x), title: Some(x_label) },
        &layout::AxisSpec { range: 0.0..top, want: 6, fmt: &y_fmt, title: Some(y_label) },
        None,
    );
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d(-0.3..(last as f64 + 0.3), 0.0..top)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .set_all_tick_mark_size(plan.plan.tick)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .y_labels(plan.y_labels)
        .x_labels(bins.len() * 2)
        .x_label_formatter(&|v| {
            let k = v.round();
            if (v - k).abs() > 1e-6 || k < 0.0 || k as usize > last {
                String::new()
            } else if k as usize == last {
                format!("{}+", bins[last].x)
            } else {
                format!("{}", bins[k as usize].x)
            }
        })
        .y_label_formatter(&y_fmt)
        .draw()?;
    let series = [(palette::PRIMARY, true), (LINE, false)];
    for (colour, actual) in series {
        let pts: Vec<(f64, f64)> = bins.iter().enumerate().map(|(i, b)| (i as f64, if actual { b.actual } else { b.predicted })).collect();
        let style = if actual { colour.stroke_width(2) } else { colour.stroke_width(2) };
        chart.draw_series(LineSeries::new(pts.clone(), style))?;
        if actual {
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
        } else {
            chart.draw_series(pts.iter().map(|&(x, y)| TriangleMarker::new((x, y), 5, colour.filled())))?;
        }
    }
    outer.present()?;
    Ok(())
}

/// Colour of a relationship type.
pub fn relationship_colour(t: clientscope_core::value::matrix::RelationshipType) -> RGBColor {
    use clientscope_core::value::matrix::RelationshipType as R;
    match t {
        R::StrategicPartner => RGBColor(0x2e, 0x8b, 0x57),
        R::OrdinaryFriend => RGBColor(0x1f, 0x6f, 0xb2),
        R::Competitor => RGBColor(0xc0, 0x39, 0x2b),
        R::Transactional => RGBColor(0x8a, 0x94, 0xa3),
    }
}

/// Where the relationship bubbles were drawn, for [`relationship_hit`].
pub type RelationshipCoord = Cartesian2d<RangedCoordf64, RangedCoordf64>;

/// Relationship matrix (SPEC §3.4): common interest across, relationship value up (1-5),
/// one bubble per occupied cell with its area proportional to the customers in it,
/// coloured by type and labelled with the count; dashed lines where "high" begins.
pub fn draw_relationship<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &clientscope_core::value::matrix::RelationshipReport,
    type_labels: [&str; 4],
    x_label: &str,
    y_label: &str,
    font_px: u32,
) -> Result<Option<RelationshipCoord>, DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&WHITE)?;
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let (digit_w, digit_h) = layout::measure(area, "5", &font);
    let plan = layout::Plan {
        margin: font_px,
        right_margin: 0,
        left: layout::Plan::left_for(area, &font, font_px, digit_w, Some(y_label)),
        bottom: layout::Plan::bottom_for(area, &font, font_px, digit_h, Some(x_label)),
        right: 0,
        tick: layout::tick(font_px),
    };
    let mut chart = layout::builder(area, &plan).build_cartesian_2d(0.3..5.7, 0.3..5.7)?;
    chart
        .configure_mesh()
        .set_all_tick_mark_size(plan.tick)
        .light_line_style(TRANSPARENT)
        .bold_line_style(palette::GRID)
        .x_desc(x_label)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font.clone())
        .x_labels(12)
        .y_labels(12)
        .x_label_formatter(&score_label)
        .y_label_formatter(&score_label)
        .draw()?;
    let split = f64::from(report.params.high_from) - 0.5;
    let line = palette::INK.mix(0.6).stroke_width(1);
    chart.draw_series(std::iter::once(PathElement::new(vec![(split, 0.3), (split, 5.7)], line)))?;
    chart.draw_series(std::iter::once(PathElement::new(vec![(0.3, split), (5.7, split)], line)))?;
    // The type of each quadrant in its outer corner (types in RelationshipType::ALL order:
    // partner top right, friend bottom right, competitor top left, transactional bottom left).
    let corners = [(5.68, 5.68, HPos::Right, VPos::Top), (5.68, 0.32, HPos::Right, VPos::Bottom), (0.32, 5.68, HPos::Left, VPos::Top), (0.32, 0.32, HPos::Left, VPos::Bottom)];
    for (k, (x, y, h, v)) in corners.into_iter().enumerate() {
        let colour = relationship_colour(clientscope_core::value::matrix::RelationshipType::ALL[k]);
        chart.draw_series(std::iter::once(Text::new(
            type_labels[k].to_string(),
            (x, y),
            ("sans-serif", font_px as f64).into_font().color(&colour).pos(Pos::new(h, v)),
        )))?;
    }
    let max = report.cells.iter().map(|c| c.customers.len()).max().unwrap_or(0).max(1);
    let (w, h) = area.dim_in_pixel();
    let max_r = f64::from(w.min(h)) / 14.0;
    for c in &report.cells {
        let r = (4.0 + (c.customers.len() as f64 / max as f64).sqrt() * max_r) as i32;
        let at = (f64::from(c.common_interest), f64::from(c.relationship_value));
        chart.draw_series(std::iter::once(Circle::new(at, r, relationship_colour(c.kind).mix(0.6).filled())))?;
        chart.draw_series(std::iter::once(Text::new(
            c.customers.len().to_string(),
            at,
            ("sans-serif", font_px as f64).into_font().color(&palette::INK).pos(Pos::new(HPos::Center, VPos::Center)),
        )))?;
    }
    area.present()?;
    Ok(Some(chart.as_coord_spec().clone()))
}

/// The relationship cell (index into `report.cells`) nearest to the backend pixel, if within
/// `tolerance` pixels of its centre.
pub fn relationship_hit(
    report: &clientscope_core::value::matrix::RelationshipReport,
    coord: &RelationshipCoord,
    (px, py): (i32, i32),
    tolerance: i32,
) -> Option<usize> {
    let within = i64::from(tolerance) * i64::from(tolerance);
    report
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (x, y) = coord.translate(&(f64::from(c.common_interest), f64::from(c.relationship_value)));
            let (dx, dy) = (i64::from(x - px), i64::from(y - py));
            (i, dx * dx + dy * dy)
        })
        .filter(|&(_, d)| d <= within)
        .min_by_key(|&(_, d)| d)
        .map(|(i, _)| i)
}

/// Axis label of a 1-5 score axis: the whole scores only.
fn score_label(v: &f64) -> String {
    let k = v.round();
    if (v - k).abs() < 1e-6 && (1.0..=5.0).contains(&k) {
        format!("{k:.0}")
    } else {
        String::new()
    }
}
