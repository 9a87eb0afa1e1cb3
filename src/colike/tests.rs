use super::*;
use crate::input::Clock;
use crate::input::Resolution;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn graph(n_accounts: usize, n_posts: usize, clock: Clock, likes: &[(u32, u32, i64)]) -> LikeGraph {
    LikeGraph::for_tests(n_accounts, n_posts, clock, likes)
}

fn run(g: &LikeGraph, windows: &str, min: u32) -> (Projection, Vec<PairRecord>) {
    let params = ColikeParams {
        windows: window::parse_list(windows).unwrap(),
        min_colikes: min,
        max_post_likers: 0,
        report_pvalue: 1.0,
        ..ColikeParams::default()
    };
    let p = project(g, &params, 0.05, &Ui::silent()).unwrap();
    let recs = p.pairs().unwrap().map(|r| r.unwrap()).collect();
    (p, recs)
}

/// Brute force: every pair of likes on the same post, every window.
fn brute(likes: &[(u32, u32, i64)], windows: &[Window]) -> BTreeMap<(u32, u32), Vec<u32>> {
    let mut out: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
    for (i, x) in likes.iter().enumerate() {
        for y in &likes[i + 1..] {
            if x.1 != y.1 || x.0 == y.0 {
                continue;
            }
            let key = (x.0.min(y.0), x.0.max(y.0));
            let dt = (x.2 - y.2).abs();
            let entry = out.entry(key).or_insert_with(|| vec![0; windows.len()]);
            for (k, w) in windows.iter().enumerate() {
                if w.contains(dt) {
                    entry[k] += 1;
                }
            }
        }
    }
    out
}

#[test]
fn hand_checked_three_accounts() {
    // Post 0: a0@0, a1@10, a2@100.  Post 1: a0@1000, a1@1005.  Post 2: a1@0, a2@50000.
    let likes = [
        (0, 0, 0),
        (1, 0, 10),
        (2, 0, 100),
        (0, 1, 1000),
        (1, 1, 1005),
        (1, 2, 0),
        (2, 2, 50_000),
    ];
    let g = graph(3, 3, Clock::Timestamps, &likes);
    let (p, recs) = run(&g, "10ms,100ms,inf", 1);
    let got: Vec<(u32, u32, [u32; 3])> = recs
        .iter()
        .map(|r| (r.a, r.b, [r.counts[0], r.counts[1], r.counts[2]]))
        .collect();
    assert_eq!(got, vec![(0, 1, [2, 2, 2]), (0, 2, [0, 1, 1]), (1, 2, [0, 1, 2])]);
    // a0–a1: Δt 10 and 5 → median 7.5; a0 liked first both times.
    assert_eq!(recs[0].median_dt, 7.5);
    assert_eq!((recs[0].a_first, recs[0].b_first), (2, 0));
    // idf = ln(3/3) + ln(3/2) for the two posts co-liked within 10 ms.
    assert!((recs[0].idf - (1.5f64).ln()).abs() < 1e-12);
    // Pairs with ≥1 co-like counted at some window: all three.
    assert_eq!(p.summary.tested_pairs, 3);
    assert_eq!(p.summary.reported_pairs, 3);
    // Null: L = 7, P_10ms = 2 (post 0: 0–10; post 1: 1000–1005).
    assert_eq!(p.summary.null_pairs_within, 2.0);
    let lambda = 2.0 * 3.0 * 2.0 * 2.0 / 49.0;
    assert!((recs[0].expected - lambda).abs() < 1e-12);
    let s = Similarity::of(&recs[0], 2, 3);
    assert!((s.jaccard - 2.0 / 3.0).abs() < 1e-12);
    assert!((s.cosine - 2.0 / 6f64.sqrt()).abs() < 1e-12);
    assert_eq!(s.overlap, 1.0);
    assert_eq!(s.symmetry, 0.0);
}

#[test]
fn min_colikes_filters_on_the_widest_window() {
    let likes = [
        (0, 0, 0),
        (1, 0, 10),
        (2, 0, 100),
        (0, 1, 1000),
        (1, 1, 1005),
        (1, 2, 0),
        (2, 2, 50_000),
    ];
    let g = graph(3, 3, Clock::Timestamps, &likes);
    let (_, recs) = run(&g, "10ms,inf", 2);
    let pairs: Vec<(u32, u32)> = recs.iter().map(|r| (r.a, r.b)).collect();
    assert_eq!(pairs, vec![(0, 1), (1, 2)]);
}

#[test]
fn giant_post_guard_counts_what_it_skips() {
    // One post with 5 likers, another with 2; guard at 3 likers per slice with an infinite window.
    let mut likes: Vec<(u32, u32, i64)> = (0..5).map(|a| (a, 0, a as i64)).collect();
    likes.push((0, 1, 0));
    likes.push((1, 1, 1));
    let g = graph(5, 2, Clock::Timestamps, &likes);
    let params = ColikeParams {
        windows: window::parse_list("inf").unwrap(),
        min_colikes: 1,
        max_post_likers: 3,
        report_pvalue: 1.0,
        ..ColikeParams::default()
    };
    let p = project(&g, &params, 0.05, &Ui::silent()).unwrap();
    assert_eq!(p.summary.skipped, Skipped { posts: 1, likes: 5 });
    let recs: Vec<PairRecord> = p.pairs().unwrap().map(|r| r.unwrap()).collect();
    assert_eq!(recs.len(), 1);
    assert_eq!((recs[0].a, recs[0].b, recs[0].colikes()), (0, 1, 1));
}

#[test]
fn logical_clock_counts_positions() {
    // Post 0 liked in order a0, a1, a2, a3 (positions 0..3); window 1 position.
    let likes = [(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3)];
    let g = graph(4, 1, Clock::Logical, &likes);
    let (_, recs) = run(&g, "1,inf", 1);
    let got: Vec<(u32, u32, u32, u32)> = recs
        .iter()
        .map(|r| (r.a, r.b, r.counts[0], r.counts[1]))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, 1, 1, 1),
            (0, 2, 0, 1),
            (0, 3, 0, 1),
            (1, 2, 1, 1),
            (1, 3, 0, 1),
            (2, 3, 1, 1)
        ]
    );
}

#[test]
fn planted_pair_is_significant_and_chance_pair_is_not() {
    // 40 accounts; accounts 0 and 1 co-like 12 posts within a second; everyone else likes
    // random-ish distinct posts so the null expectation for (0,1) is tiny.
    let mut likes = Vec::new();
    for p in 0..12u32 {
        likes.push((0, p, p as i64 * 100_000));
        likes.push((1, p, p as i64 * 100_000 + 500));
    }
    let mut post = 12u32;
    for a in 2..40u32 {
        for k in 0..6 {
            likes.push((a, post, (a * 10 + k) as i64 * 7_000));
            likes.push((
                (a + 1) % 38 + 2,
                post,
                (a * 10 + k) as i64 * 7_000 + 3_600_000 * 5,
            ));
            post += 1;
        }
    }
    likes.sort();
    likes.dedup_by_key(|l| (l.0, l.1));
    let g = graph(40, post as usize, Clock::Timestamps, &likes);
    let (p, recs) = run(&g, "1m", 2);
    let planted = recs.iter().position(|r| (r.a, r.b) == (0, 1)).unwrap();
    assert!(p.ln_q[planted] < (1e-6f64).ln(), "q = {}", p.ln_q[planted].exp());
    let sig = p.significant().unwrap();
    assert_eq!(
        sig.iter().map(|s| (s.record.a, s.record.b)).collect::<Vec<_>>(),
        vec![(0, 1)]
    );
}

fn arb_likes() -> impl Strategy<Value = (usize, usize, Vec<(u32, u32, i64)>)> {
    (2usize..9, 1usize..6).prop_flat_map(|(na, np)| {
        let like = (0..na as u32, 0..np as u32, 0i64..60);
        (Just(na), Just(np), proptest::collection::vec(like, 0..40))
    })
}

fn dedup_earliest(mut likes: Vec<(u32, u32, i64)>) -> Vec<(u32, u32, i64)> {
    likes.sort_by_key(|l| (l.0, l.1, l.2));
    likes.dedup_by_key(|l| (l.0, l.1));
    likes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn projection_equals_brute_force((na, np, raw) in arb_likes(), w1 in 0i64..20, w2 in 0i64..40) {
        let likes = dedup_earliest(raw);
        let windows_text = format!("{w1}ms,inf,{w2}ms");
        let g = graph(na, np, Clock::Timestamps, &likes);
        let (p, recs) = run(&g, &windows_text, 1);
        let windows = vec![Window::Span(w1), Window::Infinite, Window::Span(w2)];
        let expected = brute(&likes, &windows);
        let got: BTreeMap<(u32, u32), Vec<u32>> =
            recs.iter().map(|r| ((r.a, r.b), r.counts[..3].to_vec())).collect();
        prop_assert_eq!(&got, &expected);
        // Every pair with a co-like at some window is a hypothesis.
        prop_assert_eq!(p.summary.tested_pairs, expected.len() as u64);
        for r in &recs {
            prop_assert!(r.ln_p <= 0.0);
            // Who liked first is counted over the best window's co-likes.
            prop_assert!(r.a_first + r.b_first <= r.colikes());
            prop_assert!((r.best as usize) < 3);
        }
    }

    #[test]
    fn logical_projection_equals_brute_force((na, np, raw) in arb_likes(), w in 0i64..6) {
        // Logical time: positions in each post's like order.
        let mut likes = dedup_earliest(raw);
        likes.sort_by_key(|l| (l.1, l.2, l.0));
        let mut pos = 0i64;
        for i in 0..likes.len() {
            if i > 0 && likes[i].1 != likes[i - 1].1 { pos = 0; }
            likes[i].2 = pos;
            pos += 1;
        }
        let g = graph(na, np, Clock::Logical, &likes);
        let (_, recs) = run(&g, &format!("{w},inf"), 1);
        let expected = brute(&likes, &[Window::Span(w), Window::Infinite]);
        let got: BTreeMap<(u32, u32), Vec<u32>> =
            recs.iter().map(|r| ((r.a, r.b), r.counts[..2].to_vec())).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn same_result_on_one_and_many_threads((na, np, raw) in arb_likes()) {
        let likes = dedup_earliest(raw);
        let g = graph(na, np, Clock::Timestamps, &likes);
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
        let a: Vec<PairRecord> = one.install(|| run(&g, "5ms", 1).1);
        let b: Vec<PairRecord> = four.install(|| run(&g, "5ms", 1).1);
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!((x.a, x.b, x.counts, x.a_first, x.b_first), (y.a, y.b, y.counts, y.a_first, y.b_first));
            prop_assert_eq!(x.idf.to_bits(), y.idf.to_bits());
            prop_assert_eq!(x.ln_p.to_bits(), y.ln_p.to_bits());
        }
    }
}

/// The projection of `likes` made as a cluster job makes it: posts split into `n_batches`
/// batches (post p in batch p mod n), each swept alone with all accounts numbered as in the
/// whole, parts summed per pair and judged. Returns the reported records and the tested count.
fn in_batches(
    na: usize,
    np: usize,
    likes: &[(u32, u32, i64, Resolution)],
    windows: &str,
    cap: usize,
    min: u32,
    n_batches: u32,
) -> (Vec<PairRecord>, u64) {
    let specs = window::parse_list(windows).unwrap();
    let buckets = partial::Buckets::new(Clock::Timestamps, &specs).unwrap();
    let whole = LikeGraph::for_tests_with_resolution(na, np, Clock::Timestamps, likes);
    let mut sums: BTreeMap<(u32, u32), PartialPair> = BTreeMap::new();
    let mut twice = vec![0u64; buckets.len()];
    for batch in 0..n_batches {
        let mine: Vec<(u32, u32, i64, Resolution)> = likes
            .iter()
            .copied()
            .filter(|l| l.1 % n_batches == batch)
            .collect();
        let g = LikeGraph::for_tests_with_resolution(na, np, Clock::Timestamps, &mine);
        let (counts, _) = partial::post_counts(&g, &buckets, cap);
        for (t, c) in twice.iter_mut().zip(&counts.twice) {
            *t += c;
        }
        partial::PartialSweep::new(&g, &buckets, cap, na)
            .run(|pairs| {
                for p in pairs {
                    match sums.get_mut(&(p.a, p.b)) {
                        Some(sum) => partial::add_partial(sum, &p),
                        None => {
                            sums.insert((p.a, p.b), p);
                        }
                    }
                }
                Ok::<(), ()>(())
            })
            .unwrap();
    }
    let judge = partial::Judge::new(&buckets, whole.n_likes() as u64, &twice, min, 1.0);
    let records = sums
        .values()
        .filter_map(|p| judge.judge(p, whole.account_degree(p.a), whole.account_degree(p.b)))
        .collect();
    (records, sums.len() as u64)
}

fn same_record(x: &PairRecord, y: &PairRecord) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        (x.a, x.b, x.counts, x.a_first, x.b_first, x.best),
        (y.a, y.b, y.counts, y.a_first, y.b_first, y.best)
    );
    prop_assert_eq!(x.median_dt.to_bits(), y.median_dt.to_bits());
    prop_assert_eq!(x.expected.to_bits(), y.expected.to_bits());
    prop_assert_eq!(x.ln_p.to_bits(), y.ln_p.to_bits());
    prop_assert!(
        (x.idf - y.idf).abs() <= 1e-9 * (1.0 + x.idf.abs()),
        "idf {} vs {}",
        x.idf,
        y.idf
    );
    Ok(())
}

fn arb_resolution() -> impl Strategy<Value = Resolution> {
    prop_oneof![
        6 => Just(Resolution::Second),
        1 => Just(Resolution::Minute),
        1 => Just(Resolution::Hour),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn projection_in_post_batches_equals_one_machine(
        (na, np, raw) in arb_likes(),
        res in proptest::collection::vec(arb_resolution(), 40),
        w1 in 0i64..20,
        cap in 0usize..5,
        n_batches in 1u32..4,
        scale in prop_oneof![Just(1i64), Just(60_000i64)],
    ) {
        // Times in ms (scale 1) or minutes (so coarse resolutions matter); the windows are
        // scaled with them.
        let likes: Vec<(u32, u32, i64, Resolution)> = dedup_earliest(raw)
            .into_iter()
            .enumerate()
            .map(|(i, (a, p, t))| (a, p, t * scale, if scale == 1 { Resolution::Second } else { res[i % res.len()] }))
            .collect();
        let windows = format!("{}ms,inf,{}ms", w1 * scale, 3 * w1 * scale);
        let g = LikeGraph::for_tests_with_resolution(na, np, Clock::Timestamps, &likes);
        let params = ColikeParams {
            windows: window::parse_list(&windows).unwrap(),
            min_colikes: 1,
            max_post_likers: cap,
            report_pvalue: 1.0,
            ..ColikeParams::default()
        };
        let p = project(&g, &params, 0.05, &Ui::silent()).unwrap();
        let one: Vec<PairRecord> = p.pairs().unwrap().map(|r| r.unwrap()).collect();
        let (parts, tested) = in_batches(na, np, &likes, &windows, cap, 1, n_batches);
        prop_assert_eq!(tested, p.summary.tested_pairs);
        prop_assert_eq!(one.len(), parts.len());
        for (x, y) in one.iter().zip(&parts) {
            same_record(x, y)?;
        }
    }

    #[test]
    fn precomputed_counts_give_the_full_runs_significant_pairs(
        (na, np, raw) in arb_likes(),
        w1 in 0i64..20,
        cap in 0usize..5,
    ) {
        let likes = dedup_earliest(raw);
        let g = graph(na, np, Clock::Timestamps, &likes);
        let windows = format!("{w1}ms,inf");
        let full_params = ColikeParams {
            windows: window::parse_list(&windows).unwrap(),
            min_colikes: 2,
            max_post_likers: cap,
            report_pvalue: 0.9,
            ..ColikeParams::default()
        };
        let fdr = 0.5;
        let full = project(&g, &full_params, fdr, &Ui::silent()).unwrap();
        // The job reports more (every pair with one co-like); the run re-tests with its own
        // levels.
        let job = project(&g, &ColikeParams { min_colikes: 1, report_pvalue: 1.0, ..full_params.clone() }, fdr, &Ui::silent()).unwrap();
        let rows: Vec<partial::CountedPair> = job
            .pairs()
            .unwrap()
            .map(|r| r.unwrap())
            .map(|r| partial::CountedPair { a: r.b, b: r.a, counts: r.counts })
            .collect();
        let buckets = partial::Buckets::new(Clock::Timestamps, &full_params.windows).unwrap();
        let (counts, skipped_posts) = partial::post_counts(&g, &buckets, cap);
        let summary = partial::JobSummary {
            windows: full_params.windows.clone(),
            min_colikes: 1,
            max_post_likers: cap,
            report_pvalue: 1.0,
            tested_pairs: job.summary.tested_pairs,
            likes: g.n_likes() as u64,
            accounts: g.n_accounts() as u64,
            twice_pairs: counts.twice.clone(),
            skipped: Skipped { posts: skipped_posts, likes: counts.skipped_likes },
            capped_likes: counts.capped.clone(),
            max_slice: counts.max_slice,
        };
        let (significant, s, _) = partial::precomputed(&g, &full_params, fdr, &summary, &rows).unwrap();
        let expected = full.significant().unwrap();
        prop_assert_eq!(significant.len(), expected.len());
        for (x, y) in significant.iter().zip(&expected) {
            same_record(&x.record, &y.record)?;
            prop_assert_eq!(x.record.idf.to_bits(), y.record.idf.to_bits());
            prop_assert_eq!(x.q.to_bits(), y.q.to_bits());
        }
        prop_assert_eq!(s.reported_pairs, full.summary.reported_pairs);
        prop_assert_eq!(s.skipped, full.summary.skipped);
        prop_assert_eq!(&s.capped_likes, &full.summary.capped_likes);
        prop_assert_eq!(s.max_slice, full.summary.max_slice);
        prop_assert_eq!(&s.null_pairs_by_window, &full.summary.null_pairs_by_window);
    }
}
