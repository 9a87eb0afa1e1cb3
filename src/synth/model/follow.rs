//! The parts of a follow world that differ from a like world: one item per creator (the
//! creator's account, "published" long before the span), onboarding suggestions for
//! newcomers, and farms selling followers. Organic follows, follow surges (viral accounts),
//! heavy users and topical communities reuse the like-world phases with follow timing.

use super::{Gen, MINUTE, PostKind, PostRec, phase};
use crate::synth::sample::{Alias, DAY, exponential, lognormal, ms, uniform, uniform_int};
use rand::RngExt;
use rand::seq::IndexedRandom;
use rustc_hash::FxHashSet;

impl Gen<'_> {
    /// One item per creator: following creator c is "liking" item c. Items carry the
    /// creator's popularity as weight and were "published" a year before the span, so that
    /// no follow precedes its item.
    pub(super) fn follow_items(&mut self) {
        let published = self.start - 365 * DAY;
        for c in 0..self.n_creators {
            let first = self.posts.len() as u32;
            self.posts.push(PostRec {
                author: c as u32,
                published,
                topic: self.creator_topic[c],
                weight: self.pop[c],
                kind: PostKind::Organic,
            });
            self.creator_posts.push(first..first + 1);
        }
        self.posts_by_time = (0..self.posts.len() as u32).collect();
        let w: Vec<f64> = self.posts.iter().map(|x| x.weight).collect();
        self.popular = Alias::new(&w);
    }

    /// Newcomers follow some of the suggested (most popular) accounts minutes after joining.
    pub(super) fn onboarding(&mut self) {
        let Some(fp) = self.p.follow.clone() else {
            return;
        };
        if fp.suggested == 0 || self.n_creators == 0 {
            return;
        }
        let mut rng = self.rng(phase::ONBOARDING, 0);
        let mut by_pop: Vec<u32> = (0..self.n_creators as u32).collect();
        by_pop.sort_by(|&a, &b| {
            self.pop[b as usize]
                .total_cmp(&self.pop[a as usize])
                .then(a.cmp(&b))
        });
        by_pop.truncate(fp.suggested);
        let median = fp.onboarding_delay_median_minutes * MINUTE as f64;
        for i in self.n_creators..self.acc.len() {
            let a = self.acc[i];
            if !a.human || a.join < self.start {
                continue;
            }
            let k =
                uniform_int(&mut rng, fp.onboarding_follows_min, fp.onboarding_follows_max).min(by_pop.len());
            let picks: Vec<u32> = by_pop.sample(&mut rng, k).copied().collect();
            for c in picks {
                let t = a.join + ms(lognormal(&mut rng, median, 1.0)).max(5_000);
                let item = self.creator_posts[c as usize].start;
                self.push(i as u32, item, t);
            }
        }
    }

    /// Farms selling followers: each order gives one customer account follows from a share of
    /// the (already active) pool within a delivery window; bots also follow popular (or
    /// random) accounts as camouflage.
    pub(super) fn follow_farms(&mut self) {
        let fp = self.p.farms.clone();
        let free = self.free_creators();
        if free.is_empty() {
            return;
        }
        for k in 0..fp.count {
            let mut rng = self.rng(phase::FARMS, k as u64);
            let pool = self.farm_pool(&mut rng, k);
            let mut delivered = vec![0u32; pool.len()];
            let n_cust = uniform_int(&mut rng, fp.customers_min, fp.customers_max).min(free.len());
            let customers: Vec<u32> = free.sample(&mut rng, n_cust).copied().collect();
            let n_orders = if customers.is_empty() {
                0
            } else {
                uniform_int(&mut rng, fp.orders_min, fp.orders_max)
            };
            // Bots already following each customer (a bot follows an account once).
            let mut following: Vec<FxHashSet<u32>> = vec![FxHashSet::default(); customers.len()];
            for _ in 0..n_orders {
                let ci = rng.random_range(0..customers.len());
                let item = self.creator_posts[customers[ci] as usize].start;
                let burst = uniform(&mut rng, fp.burst_minutes_min, fp.burst_minutes_max) * MINUTE as f64;
                let latest = (self.end - ms(burst)).max(self.start + 1);
                let begin = rng.random_range(self.start..latest);
                let active: Vec<u32> = pool
                    .iter()
                    .copied()
                    .filter(|&b| self.acc[b as usize].join <= begin && !following[ci].contains(&b))
                    .collect();
                let share = uniform(&mut rng, fp.order_share_min, fp.order_share_max);
                let n = ((share * active.len() as f64).round() as usize).min(active.len());
                if n == 0 {
                    continue;
                }
                self.posts[item as usize].kind = PostKind::FarmOrder;
                let served: Vec<u32> = active.sample(&mut rng, n).copied().collect();
                for b in served {
                    let t = begin
                        + ms(uniform(&mut rng, 0.0, burst))
                        + ms(exponential(&mut rng, fp.jitter_seconds * 1000.0));
                    self.push(b, item, t);
                    following[ci].insert(b);
                    delivered[(b - pool[0]) as usize] += 1;
                }
            }
            self.farm_camouflage(&mut rng, &pool, &delivered);
        }
    }
}
