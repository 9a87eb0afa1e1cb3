//! The `random` and `random-null` presets: every behaviour parameter drawn from a wide range,
//! deterministically from the seed, through its own random stream (so the draws do not
//! disturb the world's streams and the same seed gives the same parameters).
//!
//! [`RANGES`] lists every drawn parameter with its range; the draws below read their bounds
//! from it, the tests check every drawn value against it, and `data/README.md` prints it.

use super::model::phase;
use super::params::{FollowParams, Interaction, SynthParams, TimeZoneShare};
use super::sample::stream;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use rand::seq::SliceRandom;

/// How a parameter is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Uniform between the bounds.
    Linear,
    /// Log-uniform between the bounds (small values as likely as large ones per factor).
    Log,
    /// Derived from other draws, then kept within the bounds.
    Derived,
}

/// One drawn parameter: its path in `params.json` (under `params`), bounds and scale. For a
/// `_min`/`_max` pair both values are drawn from the range and sorted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawnRange {
    /// Dotted path, e.g. `farms.pool_min`.
    pub path: &'static str,
    /// Lowest value drawn.
    pub min: f64,
    /// Highest value drawn.
    pub max: f64,
    /// How it is drawn.
    pub scale: Scale,
}

const fn r(path: &'static str, min: f64, max: f64, scale: Scale) -> DrawnRange {
    DrawnRange {
        path,
        min,
        max,
        scale,
    }
}

use Scale::{Derived, Linear, Log};

/// Every drawn parameter of the random presets. Counts of planted kinds are 0 when the kind
/// was drawn absent (each kind is present with probability [`KIND_PROBABILITY`], at least one
/// per world unless `random-null`); in follow worlds fans, click-work, pods and subscriptions
/// are absent and the `follow.*` parameters are drawn.
pub const RANGES: &[DrawnRange] = &[
    // Platform.
    r("creators.count", 6000.0, 10000.0, Linear),
    r("creators.topics", 12.0, 50.0, Linear),
    r("creators.topic_size_sigma", 0.4, 1.2, Linear),
    r("creators.popularity_sigma", 1.0, 2.0, Linear),
    r("creators.posts_per_day_median", 0.08, 0.2, Linear),
    r("creators.posts_per_day_sigma", 0.5, 1.0, Linear),
    r("creators.posting_popularity_exponent", 0.1, 0.5, Linear),
    r("creators.post_quality_sigma", 0.3, 0.9, Linear),
    r("creators.like_share", 0.4, 0.8, Linear),
    r("organic.accounts", 30000.0, 90000.0, Derived),
    r("organic.likes_median", 3.0, 6.0, Linear),
    r("organic.likes_sigma", 1.1, 1.5, Linear),
    r("organic.likes_max", 600.0, 1500.0, Linear),
    r("organic.favourite_topics_max", 2.0, 5.0, Linear),
    r("organic.off_topic_share", 0.05, 0.3, Linear),
    r("organic.delay_median_minutes", 30.0, 240.0, Log),
    r("organic.delay_sigma", 1.4, 2.2, Linear),
    r("organic.newcomer_share", 0.02, 0.2, Linear),
    r("organic.chronotype_sd_minutes", 30.0, 90.0, Linear),
    // Look-alikes.
    r("heavy.count", 10.0, 40.0, Linear),
    r("heavy.likes_min", 1000.0, 2000.0, Linear),
    r("heavy.likes_max", 1500.0, 5000.0, Derived),
    r("heavy.favourite_topics", 2.0, 6.0, Linear),
    r("heavy.off_topic_share", 0.1, 0.6, Linear),
    r("viral.posts", 2.0, 12.0, Linear),
    r("viral.reach_min", 0.02, 0.2, Linear),
    r("viral.reach_max", 0.02, 0.2, Linear),
    r("viral.delay_median_hours", 1.0, 12.0, Log),
    r("viral.delay_sigma", 0.7, 1.4, Linear),
    r("fans.fandoms", 2.0, 30.0, Derived),
    r("fans.creator_top_share", 0.005, 0.03, Linear),
    r("fans.creator_posts_min", 12.0, 40.0, Linear),
    r("fans.fans_min", 100.0, 1000.0, Log),
    r("fans.fans_max", 100.0, 1000.0, Log),
    r("fans.share_min", 0.1, 0.95, Linear),
    r("fans.share_max", 0.1, 0.95, Linear),
    r("fans.delay_median_min_minutes", 1.0, 60.0, Log),
    r("fans.delay_median_max_minutes", 1.0, 60.0, Log),
    r("fans.delay_sigma", 0.6, 1.4, Linear),
    r("communities.count", 0.0, 8.0, Linear),
    r("communities.members_min", 30.0, 300.0, Log),
    r("communities.members_max", 30.0, 300.0, Log),
    r("communities.creators_min", 3.0, 12.0, Linear),
    r("communities.creators_max", 3.0, 12.0, Linear),
    r("communities.share_min", 0.05, 0.6, Linear),
    r("communities.share_max", 0.05, 0.6, Linear),
    r("communities.delay_median_min_hours", 0.3, 12.0, Log),
    r("communities.delay_median_max_hours", 0.3, 12.0, Log),
    r("communities.delay_sigma", 0.8, 1.6, Linear),
    // Like farms.
    r("farms.count", 1.0, 6.0, Linear),
    r("farms.pool_min", 10.0, 500.0, Log),
    r("farms.pool_max", 10.0, 500.0, Log),
    r("farms.customers_min", 1.0, 30.0, Log),
    r("farms.customers_max", 1.0, 30.0, Log),
    r("farms.orders_min", 5.0, 60.0, Log),
    r("farms.orders_max", 5.0, 60.0, Log),
    r("farms.order_share_min", 0.1, 1.0, Linear),
    r("farms.order_share_max", 0.1, 1.0, Linear),
    r("farms.order_delay_median_hours", 0.05, 72.0, Log),
    r("farms.order_delay_sigma", 0.3, 1.5, Linear),
    r("farms.burst_minutes_min", 1.0, 360.0, Log),
    r("farms.burst_minutes_max", 1.0, 360.0, Log),
    r("farms.jitter_seconds", 2.0, 120.0, Log),
    r("farms.camouflage_share", 0.0, 0.6, Linear),
    r("farms.camouflage_random_share", 0.0, 1.0, Linear),
    r("farms.camouflage_delay_median_hours", 0.5, 48.0, Log),
    r("farms.new_bot_share", 0.0, 0.6, Linear),
    // Click-work.
    r("click_workers.networks", 1.0, 4.0, Linear),
    r("click_workers.workers_min", 10.0, 200.0, Log),
    r("click_workers.workers_max", 10.0, 200.0, Log),
    r("click_workers.min_organic_likes", 3.0, 20.0, Linear),
    r("click_workers.batches_min", 4.0, 12.0, Linear),
    r("click_workers.batches_max", 4.0, 12.0, Linear),
    r("click_workers.tasks_min", 5.0, 30.0, Linear),
    r("click_workers.tasks_max", 5.0, 30.0, Linear),
    r("click_workers.task_post_max_age_hours", 12.0, 120.0, Linear),
    r("click_workers.participation", 0.5, 1.0, Linear),
    r("click_workers.completion_min", 0.3, 1.0, Linear),
    r("click_workers.completion_max", 0.3, 1.0, Linear),
    r("click_workers.pickup_delay_median_hours", 1.0, 12.0, Log),
    r("click_workers.pickup_delay_sigma", 0.5, 1.2, Linear),
    r("click_workers.pickup_spread_hours", 6.0, 48.0, Derived),
    r("click_workers.gap_median_seconds", 15.0, 600.0, Log),
    r("click_workers.gap_sigma", 0.5, 1.5, Linear),
    // Engagement pods.
    r("pods.count", 1.0, 8.0, Linear),
    r("pods.members_min", 5.0, 50.0, Log),
    r("pods.members_max", 5.0, 50.0, Log),
    r("pods.max_popularity_quantile", 0.5, 0.9, Linear),
    r("pods.posts_min", 4.0, 25.0, Linear),
    r("pods.posts_max", 4.0, 25.0, Linear),
    r("pods.compliance_min", 0.4, 1.0, Linear),
    r("pods.compliance_max", 0.4, 1.0, Linear),
    r("pods.delay_median_minutes", 2.0, 240.0, Log),
    r("pods.delay_sigma", 0.4, 1.2, Linear),
    r("pods.delay_min_minutes", 0.5, 5.0, Linear),
    r("pods.delay_max_minutes", 30.0, 1440.0, Derived),
    r("pods.catch_up_share", 0.3, 0.9, Linear),
    // Subscriptions.
    r("subscriptions.count", 1.0, 5.0, Linear),
    r("subscriptions.clients_min", 1.0, 10.0, Linear),
    r("subscriptions.clients_max", 1.0, 10.0, Linear),
    r("subscriptions.client_posts_min", 8.0, 20.0, Linear),
    r("subscriptions.likes_per_post_min", 10.0, 200.0, Log),
    r("subscriptions.likes_per_post_max", 10.0, 200.0, Log),
    r("subscriptions.variation", 0.05, 0.3, Linear),
    r("subscriptions.pool_factor_min", 1.0, 3.0, Linear),
    r("subscriptions.pool_factor_max", 1.0, 3.0, Linear),
    r("subscriptions.delay_median_minutes", 1.0, 30.0, Log),
    r("subscriptions.spread_minutes", 1.0, 240.0, Log),
    r("subscriptions.start_share_max", 0.0, 0.5, Linear),
    r("subscriptions.camouflage_share", 0.0, 0.6, Linear),
    r("subscriptions.camouflage_random_share", 0.0, 1.0, Linear),
    // Export.
    r("date_only_share", 0.0, 0.4, Linear),
    r("hour_rounded_share", 0.0, 0.2, Linear),
    // Follow worlds only.
    r("follow.suggested", 10.0, 60.0, Linear),
    r("follow.onboarding_follows_min", 0.0, 10.0, Linear),
    r("follow.onboarding_follows_max", 0.0, 10.0, Linear),
    r("follow.onboarding_delay_median_minutes", 0.5, 20.0, Log),
];

/// Probability that each planted kind is present in a `random` world.
pub const KIND_PROBABILITY: f64 = 0.6;

/// Probability that a random world has hour-rounded rows at all (else `hour_rounded_share` 0).
const HOUR_ROUNDED_PROBABILITY: f64 = 0.5;

/// Offsets (hours) that time zones are drawn from.
const OFFSETS: [f64; 14] = [
    -8.0, -7.0, -6.0, -5.0, -3.0, 0.0, 1.0, 2.0, 3.0, 5.5, 7.0, 8.0, 9.0, 10.0,
];

struct Drawer {
    rng: ChaCha8Rng,
}

fn range(path: &str) -> DrawnRange {
    *RANGES
        .iter()
        .find(|x| x.path == path)
        .unwrap_or_else(|| panic!("no drawn range for {path}"))
}

/// Rounds to 3 significant digits (readable params.json; the value is what the world uses).
fn round3(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 2 - x.abs().log10().floor() as i32;
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

impl Drawer {
    fn raw(&mut self, path: &str) -> f64 {
        let g = range(path);
        let u: f64 = self.rng.random();
        match g.scale {
            Scale::Log if g.min > 0.0 => (g.min.ln() + u * (g.max.ln() - g.min.ln())).exp(),
            _ => g.min + u * (g.max - g.min),
        }
    }

    fn f(&mut self, path: &str) -> f64 {
        let g = range(path);
        round3(self.raw(path)).clamp(g.min, g.max)
    }

    fn n(&mut self, path: &str) -> usize {
        let g = range(path);
        self.raw(path).round().clamp(g.min, g.max) as usize
    }

    /// A sorted pair drawn from the range of `min_path` (and checked against `max_path`).
    fn pair(&mut self, min_path: &str, max_path: &str) -> (f64, f64) {
        let (a, b) = (self.f(min_path), self.f(max_path));
        (a.min(b), a.max(b))
    }

    fn pair_n(&mut self, min_path: &str, max_path: &str) -> (usize, usize) {
        let (a, b) = (self.n(min_path), self.n(max_path));
        (a.min(b), a.max(b))
    }

    fn coin(&mut self, p: f64) -> bool {
        self.rng.random::<f64>() < p
    }
}

fn keep(path: &str, x: f64) -> f64 {
    let g = range(path);
    round3(x).clamp(g.min, g.max)
}

/// Parameters of a `random` (or, with `null`, `random-null`) world for `seed`.
pub fn draw(seed: u64, null: bool, interaction: Interaction) -> SynthParams {
    let mut d = Drawer {
        rng: stream(seed, phase::PARAMS, 0),
    };
    let mut p = SynthParams::preset(super::Preset::Medium);
    p.preset = if null { "random-null" } else { "random" }.into();
    p.truth_heavy_group = true;

    // Time zones: 2 to 6 of them, shares uniform then normalised.
    let n_zones = d.rng.random_range(2..=6usize);
    let mut offsets = OFFSETS.to_vec();
    offsets.shuffle(&mut d.rng);
    let raw: Vec<f64> = (0..n_zones).map(|_| 0.2 + 0.8 * d.rng.random::<f64>()).collect();
    let total: f64 = raw.iter().sum();
    p.time_zones = offsets
        .iter()
        .zip(&raw)
        .map(|(&o, &w)| TimeZoneShare {
            utc_offset_hours: o,
            share: (w / total * 1000.0).round() / 1000.0,
        })
        .collect();

    let c = &mut p.creators;
    c.count = d.n("creators.count");
    c.topics = d.n("creators.topics");
    c.topic_size_sigma = d.f("creators.topic_size_sigma");
    c.popularity_sigma = d.f("creators.popularity_sigma");
    c.posts_per_day_median = d.f("creators.posts_per_day_median");
    c.posts_per_day_sigma = d.f("creators.posts_per_day_sigma");
    c.posting_popularity_exponent = d.f("creators.posting_popularity_exponent");
    c.post_quality_sigma = d.f("creators.post_quality_sigma");
    c.like_share = d.f("creators.like_share");

    let o = &mut p.organic;
    o.likes_median = d.f("organic.likes_median");
    o.likes_sigma = d.f("organic.likes_sigma");
    o.likes_max = d.n("organic.likes_max") as u32;
    o.favourite_topics_max = d.n("organic.favourite_topics_max");
    o.off_topic_share = d.f("organic.off_topic_share");
    o.delay_median_minutes = d.f("organic.delay_median_minutes");
    o.delay_sigma = d.f("organic.delay_sigma");
    o.newcomer_share = d.f("organic.newcomer_share");
    o.chronotype_sd_minutes = d.f("organic.chronotype_sd_minutes");
    // About 480-600 k ordinary likes: the number of accounts follows from the activity drawn.
    let per_account = o.likes_median * (o.likes_sigma * o.likes_sigma / 2.0).exp();
    let target = 480_000.0 + 120_000.0 * d.rng.random::<f64>();
    o.accounts = keep("organic.accounts", (target / per_account).round()) as usize;

    let h = &mut p.heavy;
    h.count = d.n("heavy.count");
    h.likes_min = d.n("heavy.likes_min") as u32;
    h.likes_max = keep(
        "heavy.likes_max",
        h.likes_min as f64 + 500.0 + 2500.0 * d.rng.random::<f64>(),
    ) as u32;
    h.favourite_topics = d.n("heavy.favourite_topics");
    h.off_topic_share = d.f("heavy.off_topic_share");

    let v = &mut p.viral;
    v.posts = d.n("viral.posts");
    (v.reach_min, v.reach_max) = d.pair("viral.reach_min", "viral.reach_max");
    v.delay_median_hours = d.f("viral.delay_median_hours");
    v.delay_sigma = d.f("viral.delay_sigma");

    let f = &mut p.fans;
    f.creator_top_share = d.f("fans.creator_top_share");
    f.creator_posts_min = d.n("fans.creator_posts_min");
    (f.fans_min, f.fans_max) = d.pair_n("fans.fans_min", "fans.fans_max");
    (f.share_min, f.share_max) = d.pair("fans.share_min", "fans.share_max");
    (f.delay_median_min_minutes, f.delay_median_max_minutes) =
        d.pair("fans.delay_median_min_minutes", "fans.delay_median_max_minutes");
    f.delay_sigma = d.f("fans.delay_sigma");
    // 2 000-5 000 fans in all: the number of fandoms follows from their size.
    let fans_total = 2000.0 + 3000.0 * d.rng.random::<f64>();
    f.fandoms = keep(
        "fans.fandoms",
        (fans_total / ((f.fans_min + f.fans_max) as f64 / 2.0)).round(),
    ) as usize;

    let m = &mut p.communities;
    m.count = d.n("communities.count");
    (m.members_min, m.members_max) = d.pair_n("communities.members_min", "communities.members_max");
    (m.creators_min, m.creators_max) = d.pair_n("communities.creators_min", "communities.creators_max");
    (m.share_min, m.share_max) = d.pair("communities.share_min", "communities.share_max");
    (m.delay_median_min_hours, m.delay_median_max_hours) = d.pair(
        "communities.delay_median_min_hours",
        "communities.delay_median_max_hours",
    );
    m.delay_sigma = d.f("communities.delay_sigma");

    let fa = &mut p.farms;
    fa.count = d.n("farms.count");
    (fa.pool_min, fa.pool_max) = d.pair_n("farms.pool_min", "farms.pool_max");
    (fa.customers_min, fa.customers_max) = d.pair_n("farms.customers_min", "farms.customers_max");
    (fa.orders_min, fa.orders_max) = d.pair_n("farms.orders_min", "farms.orders_max");
    (fa.order_share_min, fa.order_share_max) = d.pair("farms.order_share_min", "farms.order_share_max");
    fa.order_delay_median_hours = d.f("farms.order_delay_median_hours");
    fa.order_delay_sigma = d.f("farms.order_delay_sigma");
    (fa.burst_minutes_min, fa.burst_minutes_max) =
        d.pair("farms.burst_minutes_min", "farms.burst_minutes_max");
    fa.jitter_seconds = d.f("farms.jitter_seconds");
    fa.camouflage_mean = 0.0;
    fa.camouflage_share = d.f("farms.camouflage_share");
    fa.camouflage_random_share = d.f("farms.camouflage_random_share");
    fa.camouflage_delay_median_hours = d.f("farms.camouflage_delay_median_hours");
    fa.camouflage_rhythm = d.coin(0.5);
    fa.new_bot_share = d.f("farms.new_bot_share");

    let cw = &mut p.click_workers;
    cw.networks = d.n("click_workers.networks");
    (cw.workers_min, cw.workers_max) = d.pair_n("click_workers.workers_min", "click_workers.workers_max");
    cw.min_organic_likes = d.n("click_workers.min_organic_likes") as u32;
    (cw.batches_min, cw.batches_max) = d.pair_n("click_workers.batches_min", "click_workers.batches_max");
    (cw.tasks_min, cw.tasks_max) = d.pair_n("click_workers.tasks_min", "click_workers.tasks_max");
    cw.task_post_max_age_hours = d.f("click_workers.task_post_max_age_hours");
    cw.participation = d.f("click_workers.participation");
    (cw.completion_min, cw.completion_max) =
        d.pair("click_workers.completion_min", "click_workers.completion_max");
    cw.pickup_delay_median_hours = d.f("click_workers.pickup_delay_median_hours");
    cw.pickup_delay_sigma = d.f("click_workers.pickup_delay_sigma");
    // Pick-up within 2-4 times the median delay, at least 6 h, at most 2 days.
    cw.pickup_spread_hours = keep(
        "click_workers.pickup_spread_hours",
        cw.pickup_delay_median_hours * (2.0 + 2.0 * d.rng.random::<f64>()),
    );
    cw.gap_median_seconds = d.f("click_workers.gap_median_seconds");
    cw.gap_sigma = d.f("click_workers.gap_sigma");

    let po = &mut p.pods;
    po.count = d.n("pods.count");
    (po.members_min, po.members_max) = d.pair_n("pods.members_min", "pods.members_max");
    po.max_popularity_quantile = d.f("pods.max_popularity_quantile");
    (po.posts_min, po.posts_max) = d.pair_n("pods.posts_min", "pods.posts_max");
    (po.compliance_min, po.compliance_max) = d.pair("pods.compliance_min", "pods.compliance_max");
    po.delay_median_minutes = d.f("pods.delay_median_minutes");
    po.delay_sigma = d.f("pods.delay_sigma");
    po.delay_min_minutes = d.f("pods.delay_min_minutes");
    po.delay_max_minutes = keep(
        "pods.delay_max_minutes",
        po.delay_median_minutes * (3.0 + 7.0 * d.rng.random::<f64>()),
    );
    po.catch_up_share = d.f("pods.catch_up_share");

    let s = &mut p.subscriptions;
    s.count = d.n("subscriptions.count");
    (s.clients_min, s.clients_max) = d.pair_n("subscriptions.clients_min", "subscriptions.clients_max");
    s.client_posts_min = d.n("subscriptions.client_posts_min");
    (s.likes_per_post_min, s.likes_per_post_max) = d.pair_n(
        "subscriptions.likes_per_post_min",
        "subscriptions.likes_per_post_max",
    );
    s.variation = d.f("subscriptions.variation");
    (s.pool_factor_min, s.pool_factor_max) =
        d.pair("subscriptions.pool_factor_min", "subscriptions.pool_factor_max");
    s.delay_median_minutes = d.f("subscriptions.delay_median_minutes");
    s.spread_minutes = d.f("subscriptions.spread_minutes");
    s.start_share_max = d.f("subscriptions.start_share_max");
    s.camouflage_mean = 0.0;
    s.camouflage_share = d.f("subscriptions.camouflage_share");
    s.camouflage_random_share = d.f("subscriptions.camouflage_random_share");

    p.date_only_share = d.f("date_only_share");
    p.hour_rounded_share = if d.coin(HOUR_ROUNDED_PROBABILITY) {
        d.f("hour_rounded_share")
    } else {
        0.0
    };

    let follow = FollowParams {
        suggested: d.n("follow.suggested"),
        onboarding_follows_min: 0,
        onboarding_follows_max: 0,
        onboarding_delay_median_minutes: d.f("follow.onboarding_delay_median_minutes"),
    };
    let (lo, hi) = d.pair_n("follow.onboarding_follows_min", "follow.onboarding_follows_max");

    // Which planted kinds are present.
    let kinds = match interaction {
        Interaction::Like => 4,
        Interaction::Follow => 1,
    };
    let mut present: Vec<bool> = (0..4).map(|_| d.coin(KIND_PROBABILITY)).collect();
    let fallback = d.rng.random_range(0..kinds);
    for (k, x) in present.iter_mut().enumerate() {
        *x &= k < kinds && !null;
    }
    if !null && !present.iter().any(|&x| x) {
        present[fallback] = true;
    }
    if !present[0] {
        p.farms.count = 0;
    }
    if !present[1] {
        p.click_workers.networks = 0;
    }
    if !present[2] {
        p.pods.count = 0;
    }
    if !present[3] {
        p.subscriptions.count = 0;
    }

    if interaction == Interaction::Follow {
        p = p.into_follow();
        p.follow = Some(FollowParams {
            onboarding_follows_min: lo,
            onboarding_follows_max: hi,
            ..follow
        });
    }
    p
}
