//! The helpers give what the one-thread code gives, wherever the cuts fall.

use super::*;
use proptest::prelude::*;

/// The ranges cover `0..n` in order without gaps, at most `parts` of them.
#[test]
fn cut_covers_in_order() {
    for n in [0, 1, 2, 7, 100] {
        for parts in [0, 1, 2, 3, 8, 200] {
            let r = cut(n, parts);
            assert!(!r.is_empty() && r.len() <= parts.max(1));
            assert_eq!(r[0].start, 0);
            assert_eq!(r[r.len() - 1].end, n);
            assert!(r.windows(2).all(|w| w[0].end == w[1].start));
        }
    }
}

proptest! {
    /// `map` is the sequential map.
    #[test]
    fn map_equals_the_sequential_one(v in proptest::collection::vec((0u64..50, any::<u64>()), 0..300)) {
        let m = map(v.len(), 1, |i| v[i].0 * 3 + 1);
        prop_assert_eq!(m, v.iter().map(|x| x.0 * 3 + 1).collect::<Vec<_>>());
    }
}

proptest! {
    /// `fill` sets every slot to `f` of its index, whatever the length and the least range.
    #[test]
    fn fill_sets_every_slot(n in 0usize..5_000, min_len in 0usize..3_000) {
        let mut out = vec![u64::MAX; n];
        fill(&mut out, min_len, |i| (i as u64) * 7 + 1);
        prop_assert_eq!(out, (0..n as u64).map(|i| i * 7 + 1).collect::<Vec<_>>());
    }
}
