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
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let (from, to) = ((0xfa_u8, 0xfa_u8, 0xfa_u8), (0xd4_u8, 0x38_u8, 0x0d_u8));
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
}

/// Whether text on the [`heat`] colour for `t` should be white for contrast.
pub fn heat_text_is_light(t: f64) -> bool {
    t > 0.55
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
