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
    fn paths_flip_y_so_that_up_is_more() {
        assert_eq!(unit_path(&[(0.0, 0.0), (1.0, 1.0)], 100.0, 50.0), "M0.0,50.0L100.0,0.0");
        assert_eq!(unit_path(&[], 1.0, 1.0), "");
    }
}
