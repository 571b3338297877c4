//! Time in a stage as a histogram of fixed, log-spaced buckets (decision 156). Counts per bucket add up
//! across places and periods, so a city's median over a year is the sum of its districts' months, read
//! without touching a single topic. The price is precision: a quantile is known to its bucket, reported
//! as the bucket's geometric midpoint, at most 2^(1/8) − 1 ≈ 9.1 % from the true value (under a minute:
//! 30 seconds; beyond the last bound, about 603 days: that bound).
//!
//! Bucket 0 holds times under a minute; bucket k ≥ 1 holds [60 s · 2^((k−1)/4), 60 s · 2^(k/4)): four
//! buckets per doubling. The bounds are computed in integers (the fourth roots of 2 to six digits), so
//! every build and platform files a duration in the same bucket.

/// Buckets 0 to `LAST` inclusive; the last one is open above.
pub const LAST: u16 = 80;

/// 2^(f/4) · 10^6 for f = 0..3.
const ROOTS: [u64; 4] = [1_000_000, 1_189_207, 1_414_214, 1_681_793];

/// The lower bound of bucket `k`, in seconds.
pub fn lower_bound(k: u16) -> u64 {
    match k {
        0 => 0,
        _ => {
            let step = u64::from(k - 1);
            (60_u64 << (step / 4)) * ROOTS[usize::try_from(step % 4).unwrap_or(0)] / 1_000_000
        }
    }
}

/// The bucket a duration in seconds falls in (negative durations, from clock skew, count as zero).
pub fn bucket_of(seconds: i64) -> u16 {
    let seconds = u64::try_from(seconds).unwrap_or(0);
    (1..=LAST).rev().find(|k| seconds >= lower_bound(*k)).unwrap_or(0)
}

/// The value a quantile in bucket `k` is reported as: the geometric midpoint of its bounds.
pub fn representative(k: u16) -> f64 {
    match k {
        0 => 30.0,
        k if k >= LAST => lower_bound(LAST) as f64,
        k => ((lower_bound(k) as f64) * (lower_bound(k + 1) as f64)).sqrt(),
    }
}

/// The `q`-quantile (0 < q ≤ 1) of the durations counted in `counts` (bucket, count), in seconds, by the
/// nearest-rank method: the smallest duration at or above which no more than (1 − q) of them lie.
/// `None` when nothing was counted.
pub fn quantile(counts: &[(u16, i64)], q: f64) -> Option<f64> {
    let mut sorted: Vec<(u16, i64)> = counts.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_unstable();
    let total: i64 = sorted.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)] // Counts far below 2^52.
    let rank = ((q * total as f64).ceil() as i64).clamp(1, total);
    let mut seen = 0;
    sorted
        .into_iter()
        .find(|(_, n)| {
            seen += n;
            seen >= rank
        })
        .map(|(k, _)| representative(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bounds_rise_by_a_fourth_root_of_two() {
        assert_eq!(lower_bound(1), 60);
        assert_eq!(lower_bound(5), 120);
        assert_eq!(lower_bound(3), 84);
        assert!(lower_bound(LAST) > 500 * 86_400, "the last bound is beyond a year and a third");
        for k in 1..LAST {
            assert!(lower_bound(k + 1) > lower_bound(k));
        }
    }

    #[test]
    fn a_duration_falls_in_the_bucket_whose_bounds_hold_it() {
        assert_eq!(bucket_of(-5), 0);
        assert_eq!(bucket_of(59), 0);
        assert_eq!(bucket_of(60), 1);
        assert_eq!(bucket_of(119), 4);
        assert_eq!(bucket_of(120), 5);
        assert_eq!(bucket_of(i64::MAX), LAST);
        for seconds in [61, 3_600, 30 * 3_600, 5 * 86_400, 400 * 86_400] {
            let k = bucket_of(seconds);
            let seconds = u64::try_from(seconds).expect("positive");
            assert!(lower_bound(k) <= seconds && seconds < lower_bound(k + 1));
        }
    }

    #[test]
    fn a_quantile_is_within_a_ninth_of_the_true_value() {
        for seconds in [61_i64, 3_600, 30 * 3_600, 5 * 86_400, 400 * 86_400] {
            let estimate = quantile(&[(bucket_of(seconds), 1)], 0.5).expect("counted");
            #[allow(clippy::cast_precision_loss)]
            let error = (estimate - seconds as f64).abs() / seconds as f64;
            assert!(error <= 0.0906, "{seconds}: {estimate}");
        }
    }

    #[test]
    fn median_and_ninetieth_percentile_by_nearest_rank() {
        // Ten durations: nine of an hour, one of ten days.
        let counts = [(bucket_of(3_600), 9), (bucket_of(10 * 86_400), 1)];
        assert_eq!(quantile(&counts, 0.5), Some(representative(bucket_of(3_600))));
        assert_eq!(quantile(&counts, 0.9), Some(representative(bucket_of(3_600))));
        assert_eq!(quantile(&counts, 0.95), Some(representative(bucket_of(10 * 86_400))));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
