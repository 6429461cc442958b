//! Charts drawn with plotters: one function per chart, generic over the drawing backend so
//! the same code draws on a `<canvas>` (plotters-canvas) and, where wanted, into SVG or a
//! bitmap. A chart function only draws what a core report says; it computes nothing.

pub mod satisfaction;
pub mod segments;
pub mod value;

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

/// Bars of revenue per month, labelled `YYYY-MM` every few months; `y_label` names the unit.
pub fn draw_monthly_revenue<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthRevenue],
    y_label: &str,
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
    let mut chart = ChartBuilder::on(area)
        .margin(font_px)
        .x_label_area_size(font_px * 2)
        .y_label_area_size(font_px * 5)
        .build_cartesian_2d((0..n).into_segmented(), 0.0..top)?;
    let step = (n / 8).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .y_labels(6)
        .bold_line_style(palette::GRID)
        .y_desc(y_label)
        .label_style(font.clone())
        .axis_desc_style(font)
        .x_labels(n)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) if i % step == 0 && *i < n => {
                format!("{}-{:02}", months[*i].year, months[*i].month)
            }
            _ => String::new(),
        })
        .y_label_formatter(&|y| short_number(*y))
        .draw()?;
    chart.draw_series(
        Histogram::vertical(&chart)
            .style(palette::PRIMARY.filled())
            .margin(2)
            .data(months.iter().enumerate().map(|(i, m)| (i, m.revenue.max(0.0)))),
    )?;
    area.present()?;
    Ok(())
}

/// 1234567 → "1.2M", for axis labels.
fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e8 {
        format!("{:.1}亿", v / 1e8)
    } else if a >= 1e4 {
        format!("{:.0}万", v / 1e4)
    } else {
        format!("{v:.0}")
    }
}
