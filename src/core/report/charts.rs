//! Chart geometry, computed natively and tested: bar lengths, heat-map colours, curve paths. The UI
//! only lays these numbers out as SVG.

/// Lengths of horizontal bars for `values`, scaled so the largest is `max_len` (all 0 when the
/// values are all 0 or negative).
pub fn bar_lengths(values: &[f64], max_len: f64) -> Vec<f64> {
    let max = values.iter().copied().fold(0.0_f64, f64::max);
    values.iter().map(|&v| if max > 0.0 { (v.max(0.0) / max) * max_len } else { 0.0 }).collect()
}

/// A colour from the app's pale to strong accent for `t` in 0..1, as `#rrggbb`.
pub fn heat(t: f64) -> String {
    let (r, g, b) = heat_rgb(t);
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// [`heat`] as red, green and blue.
fn heat_rgb(t: f64) -> (u8, u8, u8) {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let (from, to) = ((0xfa_u8, 0xfa_u8, 0xfa_u8), (0xd4_u8, 0x38_u8, 0x0d_u8));
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    (mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
}

/// An axis range for `values` that includes 0 (the zero line shown), widened to multiples of
/// `step` and to at least two steps, within `limits`: a 30-point NPS line fills its chart instead
/// of lying flat on −100..100.
pub fn axis_range(values: impl IntoIterator<Item = f64>, step: f64, limits: (f64, f64)) -> (f64, f64) {
    let (mut lo, mut hi) =
        values.into_iter().filter(|v| v.is_finite()).fold((0.0_f64, 0.0_f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    lo = (lo / step).floor() * step;
    hi = (hi / step).ceil() * step;
    if hi - lo < 2.0 * step {
        if hi > 0.0 || lo == 0.0 {
            hi = lo + 2.0 * step;
        } else {
            lo = hi - 2.0 * step;
        }
    }
    (lo.max(limits.0), hi.min(limits.1))
}

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The dark text on heat cells (`.heat-ink` in style.css): black, as the page's ink falls short
/// of 4.5:1 on the scale's middle.
const INK: (u8, u8, u8) = (0, 0, 0);

/// WCAG contrast ratio of two luminances.
fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// Whether text on the [`heat`] colour for `t` should be white: whichever of white and the ink
/// contrasts more with the cell (on every colour of the scale one of them reaches 4.5:1, the
/// WCAG AA level for text).
pub fn heat_text_is_light(t: f64) -> bool {
    let cell = luminance(heat_rgb(t));
    contrast(1.0, cell) > contrast(luminance(INK), cell)
}

/// An SVG path through `points` in 0..1 × 0..1, drawn in a `width` × `height` box with y upwards.
pub fn unit_path(points: &[(f64, f64)], width: f64, height: f64) -> String {
    let mut d = String::new();
    for (i, &(x, y)) in points.iter().enumerate() {
        let cmd = if i == 0 { 'M' } else { 'L' };
        d.push_str(&format!("{cmd}{:.1},{:.1}", x * width, (1.0 - y) * height));
    }
    d
}

/// A node of a flow diagram: a bar at height `y` of height `h`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlowNode {
    pub y: f64,
    pub h: f64,
}

/// A band from a left node to a right node, as an SVG path.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowLink {
    pub from: usize,
    pub to: usize,
    pub count: usize,
    pub path: String,
}

/// Lays out a two-column flow diagram (Sankey) of `matrix` (row = from, column = to) between
/// x = `left` and x = `right`, `height` tall, with `gap` between nodes. Node heights are proportional
/// to their totals; each band's thickness to its count.
pub fn flow(
    matrix: &[Vec<usize>],
    left: f64,
    right: f64,
    height: f64,
    gap: f64,
) -> (Vec<FlowNode>, Vec<FlowNode>, Vec<FlowLink>) {
    let n = matrix.len();
    let rows: Vec<usize> = matrix.iter().map(|r| r.iter().sum()).collect();
    let cols: Vec<usize> = (0..n).map(|j| matrix.iter().map(|r| r.get(j).copied().unwrap_or(0)).sum()).collect();
    let total: usize = rows.iter().sum();
    let scale = if total == 0 { 0.0 } else { (height - gap * n.saturating_sub(1) as f64).max(0.0) / total as f64 };
    let stack = |totals: &[usize]| {
        let mut y = 0.0;
        totals
            .iter()
            .map(|&t| {
                let node = FlowNode { y, h: t as f64 * scale };
                y += node.h + gap;
                node
            })
            .collect::<Vec<_>>()
    };
    let (lnodes, rnodes) = (stack(&rows), stack(&cols));
    let mut lnext: Vec<f64> = lnodes.iter().map(|n| n.y).collect();
    let mut rnext: Vec<f64> = rnodes.iter().map(|n| n.y).collect();
    let mid = (left + right) / 2.0;
    let mut links = Vec::new();
    for (i, row) in matrix.iter().enumerate() {
        for (j, &count) in row.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let h = count as f64 * scale;
            let (y0, y1) = (lnext[i], rnext[j]);
            lnext[i] += h;
            rnext[j] += h;
            let path = format!(
                "M{left:.1},{y0:.1}C{mid:.1},{y0:.1} {mid:.1},{y1:.1} {right:.1},{y1:.1}L{right:.1},{:.1}C{mid:.1},{:.1} {mid:.1},{:.1} {left:.1},{:.1}Z",
                y1 + h,
                y1 + h,
                y0 + h,
                y0 + h
            );
            links.push(FlowLink { from: i, to: j, count, path });
        }
    }
    (lnodes, rnodes, links)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_bar_fills_the_space_and_the_rest_are_in_proportion() {
        assert_eq!(bar_lengths(&[1.0, 4.0, 2.0], 200.0), vec![50.0, 200.0, 100.0]);
        assert_eq!(bar_lengths(&[0.0, 0.0], 200.0), vec![0.0, 0.0]);
        assert_eq!(bar_lengths(&[-3.0, 3.0], 100.0), vec![0.0, 100.0]);
        assert!(bar_lengths(&[], 100.0).is_empty());
    }

    #[test]
    fn heat_runs_from_pale_to_the_accent() {
        assert_eq!(heat(0.0), "#fafafa");
        assert_eq!(heat(1.0), "#d4380d");
        assert_eq!(heat(7.0), "#d4380d");
        assert_eq!(heat(f64::NAN), "#fafafa");
    }

    #[test]
    fn axis_ranges_hold_the_values_and_zero_in_whole_steps() {
        // NPS between 12 and 41 (intervals 5..48): 0..50, not −100..100.
        assert_eq!(axis_range([12.0, 41.0, 5.0, 48.0], 10.0, (-100.0, 100.0)), (0.0, 50.0));
        // Negative NPS: the zero line at the top.
        assert_eq!(axis_range([-35.0, -12.5], 10.0, (-100.0, 100.0)), (-40.0, 0.0));
        // Both signs; within the limits; at least two steps for a flat line.
        assert_eq!(axis_range([-3.0, 7.0], 10.0, (-100.0, 100.0)), (-10.0, 10.0));
        assert_eq!(axis_range([-100.0, 100.0], 10.0, (-100.0, 100.0)), (-100.0, 100.0));
        assert_eq!(axis_range([0.0], 10.0, (-100.0, 100.0)), (0.0, 20.0));
        assert_eq!(axis_range([f64::NAN, 3.0], 10.0, (-100.0, 100.0)), (0.0, 20.0));
    }

    #[test]
    fn text_on_every_heat_colour_reads_at_four_and_a_half_to_one() {
        // Black on white is 21:1; the ink on its own background and the accent's white text as
        // WCAG's formula gives them (checked with WebAIM's contrast checker: #d4380d 4.80:1).
        assert!((contrast(1.0, 0.0) - 21.0).abs() < 1e-9);
        assert!((contrast(1.0, luminance((0xd4, 0x38, 0x0d))) - 4.80).abs() < 0.01);
        for k in 0..=1000 {
            let t = f64::from(k) / 1000.0;
            let cell = luminance(heat_rgb(t));
            let text = if heat_text_is_light(t) { 1.0 } else { luminance(INK) };
            assert!(contrast(text, cell) >= 4.5, "t {t}: {} on {}", if heat_text_is_light(t) { "white" } else { "ink" }, heat(t));
        }
    }

    #[test]
    fn flow_nodes_are_proportional_and_bands_fill_them_exactly() {
        let m = vec![vec![6, 2], vec![0, 2]];
        let (l, r, links) = flow(&m, 0.0, 100.0, 110.0, 10.0);
        // 100 units of height for 10 customers: 10 per customer.
        assert_eq!((l[0].h, l[1].h), (80.0, 20.0));
        assert_eq!((r[0].h, r[1].h), (60.0, 40.0));
        assert_eq!((l[1].y, r[1].y), (90.0, 70.0), "nodes are stacked with the gap between them");
        assert_eq!(links.len(), 3, "empty cells draw no band");
        assert_eq!(links.iter().map(|k| k.count).sum::<usize>(), 10);
        assert!(links[0].path.starts_with("M0.0,0.0C50.0,0.0 50.0,0.0 100.0,0.0L100.0,60.0"));
        let (l, _, links) = flow(&[vec![0]], 0.0, 1.0, 10.0, 1.0);
        assert_eq!((l[0].h, links.len()), (0.0, 0));
    }

    #[test]
    fn paths_flip_y_so_that_up_is_more() {
        assert_eq!(unit_path(&[(0.0, 0.0), (1.0, 1.0)], 100.0, 50.0), "M0.0,50.0L100.0,0.0");
        assert_eq!(unit_path(&[], 1.0, 1.0), "");
    }
}
