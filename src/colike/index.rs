//! The significant pairs by account: the pairs inside a group of accounts without a scan of
//! every pair.
//!
//! Detection and the report ask "which significant pairs have both accounts in this group?"
//! for every group they build, rebuild or draw — hundreds of times a run. A scan of all pairs
//! costs time in proportion to the pairs of the whole data set (9 M significant pairs on the
//! 10 M-like `synth --preset large` world: about 0.1 s a question); this index answers in
//! time proportional to the group's own pairs. It is a compressed-sparse-row list of pair
//! positions by smaller account (8 bytes per pair plus 8 per account), and it returns pairs in
//! the order of the slice it indexes, so an answer is exactly what the scan returned.

use super::{PairRecord, TestedPair};

/// Positions of pairs in a slice, grouped by their smaller account.
#[derive(Debug, Clone)]
pub struct PairIndex<'p> {
    pairs: &'p [TestedPair],
    /// `start[a]..start[a + 1]` are account `a`'s entries in `order`.
    start: Vec<usize>,
    /// Pair positions, by smaller account, each account's in slice order.
    order: Vec<usize>,
}

impl<'p> PairIndex<'p> {
    /// Index `pairs` (any order; an account id may be as large as the data holds).
    pub fn new(pairs: &'p [TestedPair]) -> Self {
        let first = |p: &TestedPair| p.record.a.min(p.record.b) as usize;
        let n = pairs.iter().map(|p| first(p) + 1).max().unwrap_or(0);
        let mut start = vec![0usize; n + 1];
        for p in pairs {
            start[first(p) + 1] += 1;
        }
        for a in 0..n {
            start[a + 1] += start[a];
        }
        let mut next = start.clone();
        let mut order = vec![0usize; pairs.len()];
        for (i, p) in pairs.iter().enumerate() {
            let a = first(p);
            order[next[a]] = i;
            next[a] += 1;
        }
        PairIndex { pairs, start, order }
    }

    /// The pairs with both accounts in `members` (ascending), in slice order.
    pub fn within(&self, members: &[u32]) -> Vec<&'p PairRecord> {
        self.positions_within(members)
            .into_iter()
            .map(|i| &self.pairs[i].record)
            .collect()
    }

    /// [`PairIndex::within`], as tested pairs.
    pub fn tested_within(&self, members: &[u32]) -> Vec<&'p TestedPair> {
        self.positions_within(members)
            .into_iter()
            .map(|i| &self.pairs[i])
            .collect()
    }

    fn positions_within(&self, members: &[u32]) -> Vec<usize> {
        let inside = |a: u32| members.binary_search(&a).is_ok();
        let mut found: Vec<usize> = members
            .iter()
            .filter_map(|&a| {
                let a = a as usize;
                (a + 1 < self.start.len()).then(|| &self.order[self.start[a]..self.start[a + 1]])
            })
            .flatten()
            .copied()
            .filter(|&i| {
                let r = &self.pairs[i].record;
                inside(r.a) && inside(r.b)
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pair(a: u32, b: u32) -> TestedPair {
        TestedPair {
            record: PairRecord {
                a,
                b,
                counts: [0; crate::colike::MAX_WINDOWS],
                idf: 0.0,
                a_first: 0,
                b_first: 0,
                median_dt: f64::NAN,
                expected: 0.0,
                ln_p: 0.0,
                best: 0,
            },
            q: 0.0,
        }
    }

    #[test]
    fn finds_the_pairs_inside_a_group_in_slice_order() {
        let pairs = [pair(3, 4), pair(0, 1), pair(1, 2), pair(0, 2), pair(2, 4)];
        let index = PairIndex::new(&pairs);
        let got: Vec<(u32, u32)> = index.within(&[0, 2, 4]).iter().map(|r| (r.a, r.b)).collect();
        assert_eq!(got, [(0, 2), (2, 4)]);
        assert!(index.within(&[]).is_empty());
        // An account no pair has, beyond the largest indexed one.
        assert!(index.within(&[4, 99]).is_empty());
        assert_eq!(PairIndex::new(&[]).within(&[1, 2]).len(), 0);
    }

    proptest! {
        /// The index answers exactly what a scan of every pair answers.
        #[test]
        fn within_is_the_scan(
            raw in prop::collection::vec((0u32..30, 0u32..30), 0..120),
            mut members in prop::collection::vec(0u32..35, 0..20),
        ) {
            let pairs: Vec<TestedPair> = raw
                .iter()
                .filter(|(a, b)| a != b)
                .map(|&(a, b)| pair(a.min(b), a.max(b)))
                .collect();
            members.sort_unstable();
            members.dedup();
            let inside = |a: u32| members.binary_search(&a).is_ok();
            let scan: Vec<*const PairRecord> = pairs
                .iter()
                .filter(|p| inside(p.record.a) && inside(p.record.b))
                .map(|p| &p.record as *const PairRecord)
                .collect();
            let index = PairIndex::new(&pairs);
            let got: Vec<*const PairRecord> =
                index.within(&members).into_iter().map(|r| r as *const PairRecord).collect();
            prop_assert_eq!(got, scan);
        }
    }
}
