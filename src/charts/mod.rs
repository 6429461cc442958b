//! Charts drawn with plotters: one function per chart, generic over the drawing backend so
//! the same code draws on a `<canvas>` (plotters-canvas) and, where wanted, into SVG or a
//! bitmap. A chart function only draws what a core report says; it computes nothing.
//! Every chart places its texts by the one rule of [`layout`] (ticks from the drawing's
//! size, label areas from measured labels, point labels without collisions), and
//! `tests.rs` draws each at phone and desktop width checking that no two texts intersect.

pub mod complaints;
pub mod layout;
pub mod satisfaction;
pub mod segments;
pub mod value;

pub use crate::i18n::compact;
use clientscope_core::model::Language;
use clientscope_core::summary::MonthRevenue;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Colours of the app's palette.
pub mod palette {
    use plotters::style::RGBColor;
    /// Primary (bars).
    pub const PRIMARY: RGBColor = RGBColor(0x1f, 0x6f, 0xb2);
    /// Axis and label text.
    pub const INK: RGBColor = RGBColor(0x33, 0x3a, 0x45);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(0xe3, 0xe7, 0xed);
}

/// Error of a drawing function.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Bars of revenue per month, labelled `YYYY-MM` as often as the labels fit; `y_label` names
/// the unit. A month only partly in (the current one) is drawn pale with an outline, so it
/// does not read as a collapse; the page says what the pale bar is.
pub fn draw_monthly_revenue<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthRevenue],
    y_label: &str,
    lang: Language,
    font_px: u32,
) -> DrawResult<DB> {
    area.fill(&WHITE)?;
    if months.is_empty() {
        return Ok(());
    }
    let max = months.iter().map(|m| m.revenue).fold(0.0_f64, f64::max);
    let top = if max > 0.0 { max * 1.1 } else { 1.0 };
    let n = months.len();
    let font = ("sans-serif", font_px as f64).into_font().color(&palette::INK);
    let name = |i: usize| format!("{}-{:02}", months[i].year, months[i].month);
    let y_fmt = |y: &f64| compact(*y, lang);
    let plan = layout::plan_xy(
        area,
        &font,
        font_px,
        &layout::AxisSpec { range: 0.0..n as f64, want: n, fmt: &|_| name(n - 1), title: None },
        &layout::AxisSpec { range: 0.0..top, want: 6, fmt: &y_fmt, title: Some(y_label) },
        None,
    );
    let plot_w = area.dim_in_pixel().0.saturating_sub(2 * plan.plan.margin + plan.plan.left + plan.plan.right_margin);
    let step = layout::category_step(area, &font, font_px, &[name(n - 1)], f64::from(plot_w) / n as f64);
    // Label the last month and every step-th before it, so the newest month is named.
    let offset = (n - 1) % step;
    let mut chart = layout::builder(area, &plan.plan).build_cartesian_2d((0..n - 1).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .set_all_tick_mark_size(plan.plan.tick)
        .y_labels(plan.y_labels)
        .bold_line_style(palette::GRID)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_labels(n)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) if *i < n && i % step == offset => name(*i),
            _ => String::new(),
        })
        .y_label_formatter(&y_fmt)
        .draw()?;
    chart.draw_series(months.iter().enumerate().map(|(i, m)| {
        let style = if m.partial { palette::PRIMARY.mix(0.3).filled() } else { palette::PRIMARY.filled() };
        let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), m.revenue.max(0.0))], style);
        bar.set_margin(0, 0, 1, 1);
        bar
    }))?;
    chart.draw_series(months.iter().enumerate().filter(|(_, m)| m.partial).map(|(i, m)| {
        let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), m.revenue.max(0.0))], palette::PRIMARY.stroke_width(1));
        bar.set_margin(0, 0, 1, 1);
        bar
    }))?;
    area.present()?;
    Ok(())
}

#[cfg(test)]
mod tests;
