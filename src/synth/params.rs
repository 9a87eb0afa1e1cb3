//! Every knob of the synthetic world, and the presets.
//!
//! All durations carry their unit in the field name. "U(a, b)" below means a value drawn
//! uniformly between the `_min` and `_max` fields; "lognormal(median, sigma)" means
//! `median · exp(sigma · Z)` with Z standard normal. `data/README.md` explains each part of the
//! model and lists the preset values.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A named parameter set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Preset {
    /// The committed sample: about 70 k likes, every planted kind present.
    Small,
    /// About 1 M likes.
    Medium,
    /// About 10 M likes (medium scaled by 10).
    Large,
    /// Medium-size organic world (fans, viral posts, heavy users) with no planted groups.
    Null,
    /// Medium size with groups that hide: heavy camouflage, small orders, slow click work.
    Stealth,
    /// Every behaviour parameter drawn from wide ranges (deterministically from the seed);
    /// each planted kind present or not by a draw, at least one present.
    Random,
    /// Like [`Preset::Random`] with no planted group at all.
    RandomNull,
}

impl Preset {
    /// Every fixed preset (parameters that do not depend on the seed), in the order shown to
    /// users.
    pub const ALL: [Preset; 5] = [
        Preset::Small,
        Preset::Medium,
        Preset::Large,
        Preset::Null,
        Preset::Stealth,
    ];

    /// Presets whose parameters are drawn from the seed.
    pub const DRAWN: [Preset; 2] = [Preset::Random, Preset::RandomNull];

    /// The name used on the command line and in `params.json`.
    pub fn name(self) -> &'static str {
        match self {
            Preset::Small => "small",
            Preset::Medium => "medium",
            Preset::Large => "large",
            Preset::Null => "null",
            Preset::Stealth => "stealth",
            Preset::Random => "random",
            Preset::RandomNull => "random-null",
        }
    }

    /// All preset names, for help texts and error messages.
    pub fn names() -> Vec<&'static str> {
        Preset::ALL
            .iter()
            .chain(&Preset::DRAWN)
            .map(|p| p.name())
            .collect()
    }

    /// Whether the parameters are drawn from the seed.
    pub fn is_drawn(self) -> bool {
        Preset::DRAWN.contains(&self)
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Preset {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let lower = s.trim().to_ascii_lowercase();
        Preset::ALL
            .iter()
            .chain(&Preset::DRAWN)
            .copied()
            .find(|p| p.name() == lower)
            .ok_or_else(|| format!("unknown preset {s:?}: use one of {}", Preset::names().join(", ")))
    }
}

/// One time zone of the population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeZoneShare {
    /// Offset from UTC in hours.
    pub utc_offset_hours: f64,
    /// Share of human accounts (and creators) living there; shares are normalised.
    pub share: f64,
}

/// Creators, topics and posts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatorParams {
    /// Number of creators (accounts that publish posts).
    pub count: usize,
    /// Number of topical communities.
    pub topics: usize,
    /// Sigma of the lognormal topic sizes (share of creators and of users per topic).
    pub topic_size_sigma: f64,
    /// Sigma of the lognormal creator popularity (median 1): how heavy-tailed audiences are.
    pub popularity_sigma: f64,
    /// Median posting rate of a creator, posts per day.
    pub posts_per_day_median: f64,
    /// Sigma of the lognormal posting rate.
    pub posts_per_day_sigma: f64,
    /// Posting rate is multiplied by popularity^this (popular creators post more often).
    pub posting_popularity_exponent: f64,
    /// Sigma of the lognormal per-post quality; a post's weight is popularity × quality.
    pub post_quality_sigma: f64,
    /// Share of creators who also like other posts (the rest only publish).
    pub like_share: f64,
}

/// Ordinary accounts and how they like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganicParams {
    /// Number of ordinary (non-creator) human accounts.
    pub accounts: usize,
    /// Median number of likes an account intends to give over the span (lognormal).
    pub likes_median: f64,
    /// Sigma of the lognormal number of likes.
    pub likes_sigma: f64,
    /// Cap on the lognormal number of likes (heavy users are set separately).
    pub likes_max: u32,
    /// Each account has 1..=this many favourite topics.
    pub favourite_topics_max: usize,
    /// Share of an account's likes that go to a random topic instead of a favourite.
    pub off_topic_share: f64,
    /// Median delay between publication and an organic like, minutes (lognormal).
    pub delay_median_minutes: f64,
    /// Sigma of the lognormal organic delay.
    pub delay_sigma: f64,
    /// Share of accounts that join during the span (they cannot like before joining).
    pub newcomer_share: f64,
    /// Standard deviation of the personal shift of the daily rhythm, minutes.
    pub chronotype_sd_minutes: f64,
}

/// Organic accounts with thousands of likes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeavyParams {
    /// Number of heavy users (role organic).
    pub count: usize,
    /// Likes per heavy user: U(min, max).
    pub likes_min: u32,
    /// See `likes_min`.
    pub likes_max: u32,
    /// Number of favourite topics of a heavy user.
    pub favourite_topics: usize,
    /// Share of a heavy user's likes outside the favourite topics.
    pub off_topic_share: f64,
}

/// Posts that a large share of everybody likes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViralParams {
    /// Number of viral posts (not scaled: "a handful" at any size).
    pub posts: usize,
    /// Share of active human accounts that like a viral post: U(min, max) per post.
    pub reach_min: f64,
    /// See `reach_min`.
    pub reach_max: f64,
    /// Median delay of a viral like after publication, hours (lognormal).
    pub delay_median_hours: f64,
    /// Sigma of the lognormal viral delay.
    pub delay_sigma: f64,
}

/// Notification-driven fans of popular creators (the hard negative).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FanParams {
    /// Number of creators with a fandom.
    pub fandoms: usize,
    /// Fandom creators are drawn from the most popular creators: this share of them.
    pub creator_top_share: f64,
    /// A fandom creator publishes at least this many posts over the span.
    pub creator_posts_min: usize,
    /// Fans per fandom: U(min, max).
    pub fans_min: usize,
    /// See `fans_min`.
    pub fans_max: usize,
    /// Share of the creator's posts a fan likes: U(min, max) per fan.
    pub share_min: f64,
    /// See `share_min`.
    pub share_max: f64,
    /// A fan's median delay after publication, minutes: U(min, max) per fan.
    pub delay_median_min_minutes: f64,
    /// See `delay_median_min_minutes`.
    pub delay_median_max_minutes: f64,
    /// Sigma of the lognormal fan delay (long tail).
    pub delay_sigma: f64,
}

/// Like farms selling likes per order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FarmParams {
    /// Number of farms.
    pub count: usize,
    /// Bots per farm: U(min, max).
    pub pool_min: usize,
    /// See `pool_min`.
    pub pool_max: usize,
    /// Customers (creators) per farm: U(min, max).
    pub customers_min: usize,
    /// See `customers_min`.
    pub customers_max: usize,
    /// Orders per farm over the span: U(min, max). Each order targets one post.
    pub orders_min: usize,
    /// See `orders_min`.
    pub orders_max: usize,
    /// Share of the (already active) pool that serves one order: U(min, max).
    pub order_share_min: f64,
    /// See `order_share_min`.
    pub order_share_max: f64,
    /// Median delay between publication and the start of an order, hours (lognormal).
    pub order_delay_median_hours: f64,
    /// Sigma of the lognormal order delay.
    pub order_delay_sigma: f64,
    /// Length of the delivery burst, minutes: U(min, max) per order.
    pub burst_minutes_min: f64,
    /// See `burst_minutes_min`.
    pub burst_minutes_max: f64,
    /// Mean of the exponential per-bot jitter added to each delivered like, seconds.
    pub jitter_seconds: f64,
    /// Mean number of camouflage likes per bot (Poisson) on popular posts.
    pub camouflage_mean: f64,
    /// Median delay of a camouflage like after publication, hours (lognormal, sigma 1.2).
    pub camouflage_delay_median_hours: f64,
    /// Whether camouflage likes follow a human daily rhythm (otherwise round the clock).
    pub camouflage_rhythm: bool,
    /// Share of bots created during the span (first activity late).
    pub new_bot_share: f64,
    /// Camouflage as a share of a bot's likes: besides `camouflage_mean`, a bot that delivered
    /// d order likes draws Poisson(d · s / (1 − s)) more camouflage likes (0 = off).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub camouflage_share: f64,
    /// Share of camouflage likes that go to a uniformly random post instead of one drawn by
    /// popularity (0 = all on popular posts).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub camouflage_random_share: f64,
}

/// Paid click-workers working through shared task lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClickParams {
    /// Number of click-work networks.
    pub networks: usize,
    /// Workers per network: U(min, max), recruited among ordinary accounts.
    pub workers_min: usize,
    /// See `workers_min`.
    pub workers_max: usize,
    /// A worker has at least this many organic likes (they are real, active people).
    pub min_organic_likes: u32,
    /// Task batches per network over the span: U(min, max).
    pub batches_min: usize,
    /// See `batches_min`.
    pub batches_max: usize,
    /// Tasks (client posts) per batch: U(min, max), each from a different client.
    pub tasks_min: usize,
    /// See `tasks_min`.
    pub tasks_max: usize,
    /// Task posts were published at most this many hours before the batch is released.
    pub task_post_max_age_hours: f64,
    /// Probability that a worker takes part in a batch.
    pub participation: f64,
    /// Share of a batch's tasks a worker completes: U(min, max) per worker and batch.
    pub completion_min: f64,
    /// See `completion_min`.
    pub completion_max: f64,
    /// Workers pick the batch up uniformly within this many hours after its release.
    pub pickup_spread_hours: f64,
    /// Median gap between two consecutive task likes of one worker, seconds (lognormal).
    pub gap_median_seconds: f64,
    /// Sigma of the lognormal gap.
    pub gap_sigma: f64,
    /// When positive, a worker picks a list up after a lognormal delay with this median
    /// (hours), kept within `pickup_spread_hours` and the worker's waking hours, instead of
    /// uniformly within `pickup_spread_hours` (0 = uniform pick-up).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pickup_delay_median_hours: f64,
    /// Sigma of the lognormal pick-up delay (used when `pickup_delay_median_hours` > 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pickup_delay_sigma: f64,
}

/// Engagement pods: small creators who like each other's posts by rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PodParams {
    /// Number of pods.
    pub count: usize,
    /// Members per pod: U(min, max).
    pub members_min: usize,
    /// See `members_min`.
    pub members_max: usize,
    /// Members are drawn from creators below this popularity quantile.
    pub max_popularity_quantile: f64,
    /// Posts per member over the span: U(min, max) (pod members post regularly).
    pub posts_min: usize,
    /// See `posts_min`.
    pub posts_max: usize,
    /// Probability that a member likes a given post of another member: U(min, max) per member.
    pub compliance_min: f64,
    /// See `compliance_min`.
    pub compliance_max: f64,
    /// Median delay of a pod like after publication, minutes (lognormal).
    pub delay_median_minutes: f64,
    /// Sigma of the lognormal pod delay.
    pub delay_sigma: f64,
    /// Pod delays are clamped to at least this many minutes.
    pub delay_min_minutes: f64,
    /// Pod delays are clamped to at most this many minutes.
    pub delay_max_minutes: f64,
    /// Probability that a member asleep at the time catches up after waking (else skips).
    pub catch_up_share: f64,
}

/// "N likes per post" subscriptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionParams {
    /// Number of subscription services.
    pub count: usize,
    /// Client creators per service: U(min, max).
    pub clients_min: usize,
    /// See `clients_min`.
    pub clients_max: usize,
    /// A client publishes at least this many posts over the span.
    pub client_posts_min: usize,
    /// Likes bought per post (N): U(min, max) per service.
    pub likes_per_post_min: usize,
    /// See `likes_per_post_min`.
    pub likes_per_post_max: usize,
    /// Each post gets N · U(1 − variation, 1 + variation) likes.
    pub variation: f64,
    /// Pool size = N · (1 + variation) · U(min, max).
    pub pool_factor_min: f64,
    /// See `pool_factor_min`.
    pub pool_factor_max: f64,
    /// Median delay between publication and the start of delivery, minutes (lognormal, sigma 0.6).
    pub delay_median_minutes: f64,
    /// Delivery is spread uniformly over this many minutes.
    pub spread_minutes: f64,
    /// The subscription starts at a uniform share of the span in [−0.2, this] (negative: before).
    pub start_share_max: f64,
    /// Mean number of camouflage likes per pool account (Poisson) on popular posts.
    pub camouflage_mean: f64,
    /// Camouflage as a share of a pool account's likes (as `farms.camouflage_share`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub camouflage_share: f64,
    /// Share of camouflage likes on uniformly random posts (as `farms.camouflage_random_share`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub camouflage_random_share: f64,
}

/// Topical communities: ordinary people who follow a handful of related creators of one
/// topic closely (not notification-driven, not coordinated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CommunityParams {
    /// Number of communities (0 = none).
    pub count: usize,
    /// Members per community: U(min, max), ordinary accounts preferably of the topic.
    pub members_min: usize,
    /// See `members_min`.
    pub members_max: usize,
    /// Related creators per community (all of one topic): U(min, max).
    pub creators_min: usize,
    /// See `creators_min`.
    pub creators_max: usize,
    /// Share of the community creators' posts a member likes: U(min, max) per member.
    pub share_min: f64,
    /// See `share_min`.
    pub share_max: f64,
    /// Personal median delay after publication, hours: U(min, max) per member.
    pub delay_median_min_hours: f64,
    /// See `delay_median_min_hours`.
    pub delay_median_max_hours: f64,
    /// Sigma of the lognormal delay.
    pub delay_sigma: f64,
}

impl CommunityParams {
    /// True when no community is generated.
    pub fn is_absent(&self) -> bool {
        self.count == 0
    }

    /// True when every value is at its default (then params.json leaves the part out).
    fn is_unset(&self) -> bool {
        *self == CommunityParams::default()
    }
}

/// What one row of the export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interaction {
    /// An account likes a post (likes.csv: account,post,time,author).
    #[default]
    Like,
    /// An account follows another account (follows.csv: follower,followed,time); the
    /// followed account plays the part of the post.
    Follow,
}

impl Interaction {
    /// The name used on the command line and in `params.json`.
    pub fn name(self) -> &'static str {
        match self {
            Interaction::Like => "like",
            Interaction::Follow => "follow",
        }
    }

    fn is_like(&self) -> bool {
        *self == Interaction::Like
    }
}

impl fmt::Display for Interaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Interaction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "like" | "likes" => Ok(Interaction::Like),
            "follow" | "follows" => Ok(Interaction::Follow),
            _ => Err(format!("unknown interaction {s:?}: use like or follow")),
        }
    }
}

/// Parts of a follow world that have no counterpart in a like world. In a follow world the
/// other parameters keep their names with these meanings: `organic.likes_*` and
/// `heavy.likes_*` count follows; `viral.*` are accounts with a follow surge (`posts` of them,
/// `delay_median_hours` after the surge starts); a farm order is one customer account getting
/// follows from a share of the pool within `burst_minutes` (order times uniform over the
/// span, `order_delay_*` unused); camouflage follows go to popular (or random) accounts.
/// Fans, click-work, pods and subscriptions are not generated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowParams {
    /// Newcomers are offered this many of the most popular creators to follow when they join
    /// (0 = no onboarding suggestions).
    pub suggested: usize,
    /// Suggested accounts a newcomer follows: U(min, max).
    pub onboarding_follows_min: usize,
    /// See `onboarding_follows_min`.
    pub onboarding_follows_max: usize,
    /// Median delay of an onboarding follow after joining, minutes (lognormal, sigma 1).
    pub onboarding_delay_median_minutes: f64,
}

impl Default for FollowParams {
    fn default() -> Self {
        FollowParams {
            suggested: 30,
            onboarding_follows_min: 3,
            onboarding_follows_max: 12,
            onboarding_delay_median_minutes: 3.0,
        }
    }
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

fn is_false(x: &bool) -> bool {
    !*x
}

/// Every parameter of the synthetic world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SynthParams {
    /// Name of the preset these parameters started from.
    pub preset: String,
    /// Size factor applied by [`SynthParams::scaled`] (1 = the preset's size).
    pub scale: f64,
    /// Start of the observed span, milliseconds since the Unix epoch (UTC).
    pub start_ms: i64,
    /// Length of the span, days. Likes after the end are not exported.
    pub days: f64,
    /// Time zones of the human population.
    pub time_zones: Vec<TimeZoneShare>,
    /// Creators, topics, posts.
    pub creators: CreatorParams,
    /// Ordinary accounts.
    pub organic: OrganicParams,
    /// Heavy users.
    pub heavy: HeavyParams,
    /// Viral posts.
    pub viral: ViralParams,
    /// Fans.
    pub fans: FanParams,
    /// Like farms.
    pub farms: FarmParams,
    /// Click-work networks.
    pub click_workers: ClickParams,
    /// Engagement pods.
    pub pods: PodParams,
    /// Like subscriptions.
    pub subscriptions: SubscriptionParams,
    /// Topical communities (look-alike; absent from the fixed presets).
    #[serde(default, skip_serializing_if = "CommunityParams::is_unset")]
    pub communities: CommunityParams,
    /// Likes or follows.
    #[serde(default, skip_serializing_if = "Interaction::is_like")]
    pub interaction: Interaction,
    /// Parameters of follow worlds (present when `interaction` is `follow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow: Option<FollowParams>,
    /// Share of rows whose time is written as a date only (`2024-03-05`), as some collection
    /// tools do. Truth and row order are unchanged.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub date_only_share: f64,
    /// Share of rows whose time is rounded down to the hour (`2024-03-05T18:00:00Z`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hour_rounded_share: f64,
    /// Write no time column (rows stay in time order, so row order is logical time).
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_times: bool,
    /// Name heavy users' group `heavy` in truth.csv (their role stays `organic`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub truth_heavy_group: bool,
}

/// 2024-03-01T00:00:00Z.
const DEFAULT_START_MS: i64 = 1_709_251_200_000;

impl SynthParams {
    /// The parameters of a preset; drawn presets (`random`, `random-null`) are drawn with
    /// seed 0 (see [`SynthParams::preset_for_seed`]).
    pub fn preset(p: Preset) -> Self {
        SynthParams::preset_for_seed(p, 0, Interaction::Like)
    }

    /// The parameters of a preset for a seed and an interaction. Fixed presets ignore the seed
    /// and, for follows, become their follow version ([`SynthParams::into_follow`]); drawn
    /// presets draw every parameter from the seed (their own random stream).
    pub fn preset_for_seed(p: Preset, seed: u64, interaction: Interaction) -> Self {
        let fixed = match p {
            Preset::Random => return super::random::draw(seed, false, interaction),
            Preset::RandomNull => return super::random::draw(seed, true, interaction),
            fixed => SynthParams::fixed(fixed),
        };
        match interaction {
            Interaction::Like => fixed,
            Interaction::Follow => fixed.into_follow(),
        }
    }

    fn fixed(p: Preset) -> Self {
        match p {
            Preset::Small => small(),
            Preset::Medium => medium(),
            Preset::Large => {
                let mut s = medium().scaled(10.0);
                s.preset = "large".into();
                s.scale = 1.0;
                s
            }
            Preset::Null => {
                let mut s = medium();
                s.preset = "null".into();
                s.farms.count = 0;
                s.click_workers.networks = 0;
                s.pods.count = 0;
                s.subscriptions.count = 0;
                s
            }
            Preset::Stealth => stealth(),
            Preset::Random | Preset::RandomNull => unreachable!("drawn presets are not fixed"),
        }
    }

    /// The follow version of these parameters: interaction `follow`, follow parameters set
    /// (defaults unless present), and the parts a follow world does not have (fans, click-work,
    /// pods, subscriptions) switched off.
    pub fn into_follow(mut self) -> Self {
        self.interaction = Interaction::Follow;
        if self.follow.is_none() {
            self.follow = Some(FollowParams::default());
        }
        self.fans.fandoms = 0;
        self.click_workers.networks = 0;
        self.pods.count = 0;
        self.subscriptions.count = 0;
        self
    }

    /// Checks values the generator cannot work with; the message names the parameter.
    pub fn validate(&self) -> Result<(), String> {
        let share = |name: &str, x: f64| {
            if (0.0..=1.0).contains(&x) {
                Ok(())
            } else {
                Err(format!("{name} must be between 0 and 1 (got {x})"))
            }
        };
        share("date_only_share", self.date_only_share)?;
        share("hour_rounded_share", self.hour_rounded_share)?;
        if self.date_only_share + self.hour_rounded_share > 1.0 {
            return Err("date_only_share + hour_rounded_share must be at most 1".into());
        }
        share("farms.camouflage_share", self.farms.camouflage_share)?;
        share(
            "farms.camouflage_random_share",
            self.farms.camouflage_random_share,
        )?;
        share(
            "subscriptions.camouflage_share",
            self.subscriptions.camouflage_share,
        )?;
        share(
            "subscriptions.camouflage_random_share",
            self.subscriptions.camouflage_random_share,
        )?;
        if !(self.days > 0.0 && self.days.is_finite()) {
            return Err(format!("days must be a positive number (got {})", self.days));
        }
        if !(self.scale > 0.0 && self.scale.is_finite()) {
            return Err(format!("scale must be a positive number (got {})", self.scale));
        }
        Ok(())
    }

    /// Multiplies the sizes (creators, accounts, heavy users, fandoms and the number of planted
    /// groups) by `factor`, keeping the shapes: group sizes, shares, delays and the handful of
    /// viral posts stay; topics grow with √factor. Counts that were positive stay at least 1.
    pub fn scaled(mut self, factor: f64) -> Self {
        let factor = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        let mul = |n: usize, f: f64| -> usize {
            if n == 0 {
                0
            } else {
                ((n as f64 * f).round() as usize).max(1)
            }
        };
        self.scale *= factor;
        self.creators.count = mul(self.creators.count, factor);
        self.creators.topics = mul(self.creators.topics, factor.sqrt()).max(2);
        self.organic.accounts = mul(self.organic.accounts, factor);
        self.heavy.count = mul(self.heavy.count, factor);
        self.fans.fandoms = mul(self.fans.fandoms, factor);
        self.farms.count = mul(self.farms.count, factor);
        self.click_workers.networks = mul(self.click_workers.networks, factor);
        self.pods.count = mul(self.pods.count, factor);
        self.subscriptions.count = mul(self.subscriptions.count, factor);
        self.communities.count = mul(self.communities.count, factor);
        self
    }

    /// End of the span, ms.
    pub fn end_ms(&self) -> i64 {
        self.start_ms + (self.days.max(0.0) * 86_400_000.0) as i64
    }

    /// True when no planted group will be generated.
    pub fn is_null(&self) -> bool {
        self.farms.count == 0
            && self.click_workers.networks == 0
            && self.pods.count == 0
            && self.subscriptions.count == 0
    }
}

fn small() -> SynthParams {
    SynthParams {
        preset: "small".into(),
        scale: 1.0,
        start_ms: DEFAULT_START_MS,
        days: 30.0,
        time_zones: vec![
            TimeZoneShare {
                utc_offset_hours: 1.0,
                share: 0.45,
            },
            TimeZoneShare {
                utc_offset_hours: -5.0,
                share: 0.25,
            },
            TimeZoneShare {
                utc_offset_hours: 0.0,
                share: 0.1,
            },
            TimeZoneShare {
                utc_offset_hours: 5.5,
                share: 0.1,
            },
            TimeZoneShare {
                utc_offset_hours: 8.0,
                share: 0.1,
            },
        ],
        creators: CreatorParams {
            count: 1000,
            topics: 16,
            topic_size_sigma: 0.7,
            popularity_sigma: 1.5,
            posts_per_day_median: 0.12,
            posts_per_day_sigma: 0.8,
            posting_popularity_exponent: 0.3,
            post_quality_sigma: 0.6,
            like_share: 0.6,
        },
        organic: OrganicParams {
            accounts: 4600,
            likes_median: 4.0,
            likes_sigma: 1.3,
            likes_max: 1500,
            favourite_topics_max: 3,
            off_topic_share: 0.15,
            delay_median_minutes: 90.0,
            delay_sigma: 1.8,
            newcomer_share: 0.1,
            chronotype_sd_minutes: 60.0,
        },
        heavy: HeavyParams {
            count: 5,
            likes_min: 1000,
            likes_max: 2500,
            favourite_topics: 5,
            off_topic_share: 0.4,
        },
        viral: ViralParams {
            posts: 4,
            reach_min: 0.05,
            reach_max: 0.2,
            delay_median_hours: 5.0,
            delay_sigma: 1.0,
        },
        fans: FanParams {
            fandoms: 4,
            creator_top_share: 0.02,
            creator_posts_min: 20,
            fans_min: 40,
            fans_max: 120,
            share_min: 0.3,
            share_max: 0.9,
            delay_median_min_minutes: 4.0,
            delay_median_max_minutes: 12.0,
            delay_sigma: 1.0,
        },
        farms: FarmParams {
            count: 2,
            pool_min: 30,
            pool_max: 80,
            customers_min: 3,
            customers_max: 8,
            orders_min: 15,
            orders_max: 35,
            order_share_min: 0.3,
            order_share_max: 0.8,
            order_delay_median_hours: 8.0,
            order_delay_sigma: 1.2,
            burst_minutes_min: 2.0,
            burst_minutes_max: 30.0,
            jitter_seconds: 20.0,
            camouflage_mean: 6.0,
            camouflage_delay_median_hours: 3.0,
            camouflage_rhythm: false,
            new_bot_share: 0.3,
            camouflage_share: 0.0,
            camouflage_random_share: 0.0,
        },
        click_workers: ClickParams {
            networks: 1,
            workers_min: 25,
            workers_max: 50,
            min_organic_likes: 5,
            batches_min: 6,
            batches_max: 10,
            tasks_min: 12,
            tasks_max: 30,
            task_post_max_age_hours: 72.0,
            participation: 0.9,
            completion_min: 0.6,
            completion_max: 1.0,
            pickup_spread_hours: 3.0,
            gap_median_seconds: 40.0,
            gap_sigma: 0.8,
            pickup_delay_median_hours: 0.0,
            pickup_delay_sigma: 0.0,
        },
        pods: PodParams {
            count: 2,
            members_min: 8,
            members_max: 20,
            max_popularity_quantile: 0.7,
            posts_min: 6,
            posts_max: 16,
            compliance_min: 0.8,
            compliance_max: 0.98,
            delay_median_minutes: 20.0,
            delay_sigma: 0.7,
            delay_min_minutes: 4.0,
            delay_max_minutes: 60.0,
            catch_up_share: 0.6,
        },
        subscriptions: SubscriptionParams {
            count: 1,
            clients_min: 2,
            clients_max: 3,
            client_posts_min: 14,
            likes_per_post_min: 20,
            likes_per_post_max: 60,
            variation: 0.15,
            pool_factor_min: 1.3,
            pool_factor_max: 2.0,
            delay_median_minutes: 2.0,
            spread_minutes: 10.0,
            start_share_max: 0.3,
            camouflage_mean: 4.0,
            camouflage_share: 0.0,
            camouflage_random_share: 0.0,
        },
        communities: CommunityParams::default(),
        interaction: Interaction::Like,
        follow: None,
        date_only_share: 0.0,
        hour_rounded_share: 0.0,
        no_times: false,
        truth_heavy_group: false,
    }
}

fn medium() -> SynthParams {
    let mut s = small();
    s.preset = "medium".into();
    s.creators.count = 9000;
    s.creators.topics = 30;
    s.organic.accounts = 70_000;
    s.heavy.count = 40;
    s.heavy.likes_max = 4000;
    s.viral.posts = 8;
    s.fans.fandoms = 30;
    s.fans.creator_top_share = 0.01;
    s.fans.fans_max = 300;
    s.farms.count = 5;
    s.farms.pool_max = 200;
    s.click_workers.networks = 3;
    s.click_workers.workers_max = 80;
    s.pods.count = 8;
    s.subscriptions.count = 4;
    s.subscriptions.likes_per_post_max = 100;
    s
}

fn stealth() -> SynthParams {
    let mut s = medium();
    s.preset = "stealth".into();
    // Farms: small slices of the pool per order, longer deliveries, most likes camouflage.
    s.farms.order_share_min = 0.10;
    s.farms.order_share_max = 0.25;
    s.farms.burst_minutes_min = 10.0;
    s.farms.burst_minutes_max = 90.0;
    s.farms.camouflage_mean = 60.0;
    s.farms.camouflage_rhythm = true;
    // Click work spread over a day and a half, slower.
    s.click_workers.pickup_spread_hours = 36.0;
    s.click_workers.gap_median_seconds = 180.0;
    s.click_workers.gap_sigma = 1.0;
    s.click_workers.completion_min = 0.4;
    s.click_workers.completion_max = 0.9;
    // Pods: looser rules.
    s.pods.compliance_min = 0.6;
    s.pods.compliance_max = 0.9;
    s.pods.delay_median_minutes = 40.0;
    s.pods.delay_max_minutes = 180.0;
    // Subscriptions: bigger pools, slower drip, more camouflage.
    s.subscriptions.pool_factor_min = 2.5;
    s.subscriptions.pool_factor_max = 4.0;
    s.subscriptions.spread_minutes = 60.0;
    s.subscriptions.camouflage_mean = 30.0;
    s
}
