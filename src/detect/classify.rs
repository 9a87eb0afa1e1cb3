//! Cluster types with reasons in plain words, and the flag decision.
//!
//! The rules read the features of [`super::features`] in a fixed order; each rule that fires
//! adds the sentence a journalist can repeat. Organic look-alikes (fandoms reacting to
//! notifications, viral posts, topical communities) get a type too, with their reasons, and are
//! not flagged.

use super::features::ClusterFeatures;
use crate::clock::{Clock, Style, duration};
use crate::text::percent;
use serde::{Deserialize, Serialize};

/// The type of a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ClusterKind {
    /// Automated accounts delivering likes in bursts to many unrelated customers.
    BotFarm,
    /// Accounts with ordinary lives of their own that also work through the same task list.
    PaidClickNetwork,
    /// Creators who like each other's posts soon after publication.
    EngagementPod,
    /// A pool that hits every new post of one (or a few) client creators.
    Subscription,
    /// Fans reacting to one creator's posts: organic.
    OrganicFandom,
    /// Accounts meeting on very popular posts: organic.
    OrganicViral,
    /// Accounts sharing interests, not timing: organic.
    OrganicTopical,
}

impl ClusterKind {
    /// The name used in files (`bot_farm`, `organic_fandom`…).
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterKind::BotFarm => "bot_farm",
            ClusterKind::PaidClickNetwork => "paid_click_network",
            ClusterKind::EngagementPod => "engagement_pod",
            ClusterKind::Subscription => "subscription",
            ClusterKind::OrganicFandom => "organic_fandom",
            ClusterKind::OrganicViral => "organic_viral",
            ClusterKind::OrganicTopical => "organic_topical",
        }
    }

    /// True for the four coordinated types, which are flagged.
    pub fn is_coordinated(self) -> bool {
        matches!(
            self,
            ClusterKind::BotFarm
                | ClusterKind::PaidClickNetwork
                | ClusterKind::EngagementPod
                | ClusterKind::Subscription
        )
    }

    /// All kinds, in a fixed order.
    pub const ALL: [ClusterKind; 7] = [
        ClusterKind::BotFarm,
        ClusterKind::PaidClickNetwork,
        ClusterKind::EngagementPod,
        ClusterKind::Subscription,
        ClusterKind::OrganicFandom,
        ClusterKind::OrganicViral,
        ClusterKind::OrganicTopical,
    ];
}

/// A type, how sure, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The type.
    pub kind: ClusterKind,
    /// Confidence 0..1.
    pub confidence: f64,
    /// Plain-word reasons.
    pub reasons: Vec<String>,
}

fn pct(x: f64) -> String {
    percent(x, 0)
}

/// Thresholds of the rules, in one place (seconds where they are times). Each was chosen on
/// the synthetic presets; the comment says what it separates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Pod: at least this share of the block posts written by members …
    pub pod_reciprocity: f64,
    /// … and at least this share of members are authors of block posts.
    pub pod_member_authors: f64,
    /// Viral: at least this share of block posts are among the most-liked posts.
    pub viral_popular_share: f64,
    /// One creator: at most this many authors …
    pub single_creator_authors: usize,
    /// … or the main author wrote at least this share of the block posts.
    pub single_creator_share: f64,
    /// The group supplies most of the engagement of its posts: on a typical block post at
    /// least this share of the likes come from members.
    pub dominant_like_share: f64,
    /// A per-post subscription supplies even more of its client's likes.
    pub subscription_like_share: f64,
    /// A burst: members' likes on a typical block post arrive within this spread.
    pub burst_seconds: f64,
    /// Members' other likes are scattered one per creator (camouflage) at or above this
    /// spread of authors; people return to the creators they follow.
    pub scattered_authors: f64,
    /// Late tight bursts make a farm even where the group supplies only this share of the
    /// posts' likes (the posts have an audience of their own, or the pool was found in part).
    /// Organic clusters with tight late bursts supply at most 4.3 % (18 evaluation worlds).
    pub order_like_share: f64,
    /// A task list covers posts of at least this many creators …
    pub task_list_creators: usize,
    /// … and each worker completes at least this share of it (block density).
    pub task_list_density: f64,
    /// A subscription delivers within this delay after the post's first like (median).
    pub prompt_seconds: f64,
    /// A subscription serves at most this many client creators …
    pub few_creators: usize,
    /// … and hits at least this share of their posts.
    pub every_post: f64,
    /// A pool rotated by a service: members' block like counts vary at most this many times
    /// as much as independent draws with one shared chance would (index of dispersion);
    /// fans differ in devotion and measure 3 and more.
    pub even_pool_dispersion: f64,
    /// Evenness is only read on groups of at least this many accounts.
    pub even_pool_min_size: usize,
    /// An evenly rotated pool counts as a subscription from this share of its posts' likes
    /// (a partly found pool supplies less than the whole).
    pub pool_like_share: f64,
    /// Members who put less than this share of their likes outside the block do little else.
    pub little_else: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            pod_reciprocity: 0.5,
            pod_member_authors: 0.5,
            viral_popular_share: 0.5,
            single_creator_authors: 2,
            single_creator_share: 0.6,
            dominant_like_share: 0.6,
            subscription_like_share: 0.75,
            burst_seconds: 3_600.0,
            scattered_authors: 0.88,
            order_like_share: 0.3,
            task_list_creators: 8,
            task_list_density: 0.2,
            prompt_seconds: 3_600.0,
            few_creators: 5,
            every_post: 0.7,
            even_pool_dispersion: 1.6,
            even_pool_min_size: 5,
            pool_like_share: 0.4,
            little_else: 0.1,
        }
    }
}

/// How confident a type is: a base for each kind of evidence, plus `slope` times the share
/// of the posts' likes the group supplies (the more of the engagement it makes, the surer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Confidence {
    /// Base of a coordinated type read on a group that supplies most of its posts' likes (and
    /// of a pod, where the slope multiplies reciprocity).
    pub strong_base: f64,
    /// Base of a coordinated type read on a group that supplies only part of them (paid
    /// click-work, a partly found pool, orders on posts with an audience).
    pub weak_base: f64,
    /// Weight of the supplied share (or of reciprocity for a pod).
    pub slope: f64,
    /// A subscription whose bursts are not tight counts this much of the slope.
    pub untight_subscription: f64,
    /// Viral.
    pub viral: f64,
    /// A fandom of one creator.
    pub single_creator_fandom: f64,
    /// Any other organic type (fandom of a few creators, topical).
    pub organic: f64,
}

impl Default for Confidence {
    fn default() -> Self {
        Confidence {
            strong_base: 0.6,
            weak_base: 0.5,
            slope: 0.4,
            untight_subscription: 0.7,
            viral: 0.7,
            single_creator_fandom: 0.6,
            organic: 0.5,
        }
    }
}

/// Parameters of the type rules (in the tree: `detect.classify`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ClassifyParams {
    /// The rules' thresholds.
    pub thresholds: Thresholds,
    /// The confidence formulas.
    pub confidence: Confidence,
}

/// The readings of a block the rules combine, computed once.
struct Signals {
    has_authors: bool,
    single_creator: bool,
    dominant: bool,
    tight: bool,
    prompt: bool,
    every_post_prompt: bool,
    no_life: bool,
    even: bool,
    late_orders: bool,
    few_creators: bool,
    rotated_pool: bool,
}

impl Signals {
    fn read(f: &ClusterFeatures, logical: bool, t: &Thresholds) -> Self {
        let has_authors = f.authors > 0;
        let single_creator = has_authors
            && (f.authors <= t.single_creator_authors || f.top_author_share >= t.single_creator_share);
        let tight = !logical && f.burst_width <= t.burst_seconds;
        // No life of their own: other likes scattered like camouflage, or hardly any other likes.
        let no_life = f.outside_author_spread >= t.scattered_authors || f.outside_share < t.little_else;
        // Auto-likes arrive soon after a post appears; farm orders come whenever a customer pays.
        let prompt = !logical && f.median_delay <= t.prompt_seconds;
        // A subscription is prompt on (nearly) every post; orders on a few customers' posts are
        // prompt when they happen to come first and hours late on others.
        let every_post_prompt = prompt && f.post_delay_p80 <= t.prompt_seconds;
        // Prompt on most posts, hours late on some, from a pool (no life of its own, or drawn as
        // evenly as a service draws it; fans are neither).
        let even = f.size >= t.even_pool_min_size && f.coverage_dispersion <= t.even_pool_dispersion;
        let late_orders = prompt && !every_post_prompt && (no_life || even);
        let few_creators = has_authors
            && (single_creator || (f.authors <= t.few_creators && f.author_coverage >= t.every_post));
        // One pool drawn evenly, promptly, for the same few creators, with no life of its own: a
        // subscription even where only part of the pool was found.
        let rotated_pool =
            few_creators && every_post_prompt && tight && even && f.post_like_share >= t.pool_like_share;
        Signals {
            has_authors,
            single_creator,
            dominant: f.post_like_share >= t.dominant_like_share,
            tight,
            prompt,
            every_post_prompt,
            no_life,
            even,
            late_orders,
            few_creators,
            rotated_pool,
        }
    }
}

/// The sentences every rule may reuse.
struct Words<'f> {
    f: &'f ClusterFeatures,
    logical: bool,
}

impl Words<'_> {
    fn d(&self, seconds: f64) -> String {
        let clock = if self.logical {
            Clock::Logical
        } else {
            Clock::Timestamps
        };
        duration(clock, clock.units(seconds), Style::Rounded)
    }
    fn supply(&self) -> String {
        format!(
            "on a typical one of these posts {} of all its likes came from this group",
            pct(self.f.post_like_share)
        )
    }
    fn timing(&self) -> String {
        format!(
            "members' likes on a typical shared post arrive within {} of each other, a median {} after the post's first like",
            self.d(self.f.burst_width),
            self.d(self.f.median_delay)
        )
    }
    fn rotation(&self) -> String {
        format!(
            "members each liked a similar share of these posts: their counts vary {:.1} times as much as random draws from one pool would (fans differ widely in devotion)",
            self.f.coverage_dispersion
        )
    }
}

/// The sentence that names a per-post subscription.
const SUBSCRIPTION: &str = "the same pool hits the posts of the same few creators soon after each one appears, post after post: a per-post subscription";

/// Give a cluster its type. `logical` is true when times are positions, not seconds: the
/// timing rules are then skipped.
pub fn classify(f: &ClusterFeatures, logical: bool, params: &ClassifyParams) -> Verdict {
    let t = &params.thresholds;
    let c = &params.confidence;
    let mut reasons = vec![format!(
        "{} accounts acting on {} shared posts ({} of the possible likes in that block present)",
        f.size,
        f.posts,
        pct(f.block_density)
    )];
    if f.expected_colikes > 0.0 {
        reasons.push(format!(
            "{} co-likes inside the window between members where chance predicts {:.1}",
            f.colikes, f.expected_colikes
        ));
    }
    let s = Signals::read(f, logical, t);
    let w = Words { f, logical };
    let (kind, confidence) = if f.member_author_share >= t.pod_member_authors
        && f.reciprocity >= t.pod_reciprocity
    {
        reasons.push(format!(
            "{} of the shared posts were written by members themselves, and {} of the members are authors of posts the group likes: they like each other's posts",
            pct(f.reciprocity),
            pct(f.member_author_share)
        ));
        reasons.push(w.timing());
        (
            ClusterKind::EngagementPod,
            c.strong_base + c.slope * f.reciprocity.min(1.0),
        )
    } else if f.popular_post_share >= t.viral_popular_share && !s.dominant {
        reasons.push(format!(
            "{} of the shared posts are among the most-liked posts of the whole data set, and the group supplies only {} of their likes: meeting on viral posts is expected",
            pct(f.popular_post_share),
            pct(f.post_like_share)
        ));
        (ClusterKind::OrganicViral, c.viral)
    } else if s.dominant {
        dominant(f, &s, &w, params, &mut reasons)
    } else {
        minority(f, &s, &w, params, &mut reasons)
    };
    Verdict {
        kind,
        confidence: confidence.clamp(0.0, 1.0),
        reasons,
    }
}

/// The rules for a group that supplies most of its posts' likes.
fn dominant(
    f: &ClusterFeatures,
    s: &Signals,
    w: &Words<'_>,
    params: &ClassifyParams,
    reasons: &mut Vec<String>,
) -> (ClusterKind, f64) {
    let (t, c) = (&params.thresholds, &params.confidence);
    let share = f.post_like_share.min(1.0);
    if s.has_authors {
        reasons.push(format!(
            "the shared posts come from {} author(s), {} from the main one; {} of these authors' posts in the data are among them",
            f.authors,
            pct(f.top_author_share),
            pct(f.author_coverage)
        ));
    } else {
        reasons.push("the data has no author column: author-based checks were skipped".to_string());
    }
    reasons.push(w.supply());
    reasons.push(w.timing());
    let subscription = s.few_creators
        && s.every_post_prompt
        && s.even
        && f.post_like_share >= t.subscription_like_share
        && (s.tight || s.no_life);
    if subscription || s.rotated_pool {
        if s.even {
            reasons.push(w.rotation());
        }
        reasons.push(SUBSCRIPTION.to_string());
        reasons.push(life_of_their_own(f, t));
        let tightness = if s.tight { 1.0 } else { c.untight_subscription };
        (
            ClusterKind::Subscription,
            c.strong_base + c.slope * share * tightness,
        )
    } else if s.tight && !(s.few_creators && s.prompt && !s.late_orders) {
        dominant_farm(f, s, w, t, reasons);
        (ClusterKind::BotFarm, c.strong_base + c.slope * share)
    } else if s.few_creators {
        reasons.push(format!(
            "members follow these creators closely but have tastes of their own ({} distinct authors per like elsewhere) — a small loyal audience reacting to new posts",
            f2(f.outside_author_spread)
        ));
        (ClusterKind::OrganicFandom, c.organic)
    } else if f.authors >= t.task_list_creators && f.block_density >= t.task_list_density {
        reasons.push(format!(
            "each member liked {} of the same {} posts by {} unrelated creators, spread over hours, while keeping ordinary activity of their own ({} of their likes, {} distinct authors per like) — people working through the same task list",
            pct(f.block_density),
            f.posts,
            f.authors,
            pct(f.outside_ordinary_share),
            f2(f.outside_author_spread)
        ));
        (ClusterKind::PaidClickNetwork, c.weak_base + c.slope * share)
    } else {
        reasons.push(format!(
            "but the likes are spread over hours, members each liked only {} of the posts, and {} creators are involved: an audience of related creators, not a service",
            pct(f.block_density),
            f.authors
        ));
        (ClusterKind::OrganicFandom, c.organic)
    }
}

/// The reasons of a farm that supplies most of its posts' likes.
fn dominant_farm(f: &ClusterFeatures, s: &Signals, w: &Words<'_>, t: &Thresholds, reasons: &mut Vec<String>) {
    if s.few_creators {
        reasons.push("a few creators' posts are hit again and again by the same accounts".to_string());
    } else {
        reasons.push("many unrelated creators benefit from the same accounts".to_string());
    }
    if !s.prompt {
        reasons.push(format!(
            "the bursts come a median {} after each post's first like: delivered when ordered, not in reaction to publication",
            w.d(f.median_delay)
        ));
    } else if s.late_orders {
        reasons.push(format!(
            "the bursts come a median {} after each post's first like, but {} or later on one post in five: delivered when ordered, not with every new post",
            w.d(f.median_delay),
            w.d(f.post_delay_p80)
        ));
    }
    if s.no_life {
        reasons.push(life_of_their_own(f, t));
    }
}

/// The rules for a group that supplies only part of its posts' likes.
fn minority(
    f: &ClusterFeatures,
    s: &Signals,
    w: &Words<'_>,
    params: &ClassifyParams,
    reasons: &mut Vec<String>,
) -> (ClusterKind, f64) {
    let (t, c) = (&params.thresholds, &params.confidence);
    let share = f.post_like_share.min(1.0);
    if s.rotated_pool {
        reasons.push(w.supply());
        reasons.push(w.timing());
        reasons.push(w.rotation());
        reasons.push(SUBSCRIPTION.to_string());
        reasons.push(life_of_their_own(f, t));
        (ClusterKind::Subscription, c.weak_base + c.slope * share)
    } else if s.tight && !s.prompt && f.post_like_share >= t.order_like_share {
        // Not the main audience of the posts, but their likes come as one tight burst long
        // after publication, post after post: orders delivered to posts that also have an
        // audience of their own.
        reasons.push(w.supply());
        reasons.push(w.timing());
        reasons.push(format!(
            "the bursts come a median {} after each post's first like, post after post: delivered when ordered, not in reaction to publication",
            w.d(f.median_delay)
        ));
        if s.no_life {
            reasons.push(life_of_their_own(f, t));
        }
        (ClusterKind::BotFarm, c.weak_base + c.slope * share)
    } else if s.single_creator {
        reasons.push(format!(
            "the shared posts come from {} author(s), {} from the main one",
            f.authors,
            pct(f.top_author_share)
        ));
        reasons.push(w.supply());
        reasons.push(w.timing());
        reasons.push(format!(
            "the group is one part of this creator's audience, and members return to the creators they follow ({} distinct authors per like elsewhere) — a fandom reacting to new posts",
            f2(f.outside_author_spread)
        ));
        (ClusterKind::OrganicFandom, c.single_creator_fandom)
    } else {
        reasons.push(format!(
            "the group is a small part of the audience of the posts it shares ({} of their likes) and each member liked only {} of them: shared interests, not a service",
            pct(f.post_like_share),
            pct(f.block_density)
        ));
        (ClusterKind::OrganicTopical, c.organic)
    }
}

/// The sentence about members' activity outside the block.
fn life_of_their_own(f: &ClusterFeatures, t: &Thresholds) -> String {
    if f.outside_share < t.little_else {
        format!(
            "members do almost nothing else: {} of their likes are outside these posts",
            pct(f.outside_share)
        )
    } else {
        format!(
            "members' other likes are scattered over unrelated creators ({} distinct authors per like; {} of their likes go to very popular posts): camouflage, not tastes of their own",
            f2(f.outside_author_spread),
            pct(f.camouflage_ratio)
        )
    }
}

fn f2(x: f64) -> String {
    format!("{x:.2}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn farm() -> ClusterFeatures {
        ClusterFeatures {
            size: 30,
            posts: 20,
            internal_edges: 300,
            edge_density: 0.7,
            block_density: 0.6,
            colikes: 2000,
            expected_colikes: 3.5,
            median_pair_dt: 60.0,
            burst_width: 300.0,
            median_delay: 7200.0,
            authors: 15,
            top_author_share: 0.1,
            camouflage_ratio: 0.3,
            outside_share: 0.35,
            outside_ordinary_share: 0.05,
            median_member_likes: 40.0,
            per_post_cv: 0.2,
            post_like_share: 0.95,
            outside_author_spread: 0.97,
            coverage_cv: 0.3,
            ..ClusterFeatures::default()
        }
    }

    #[test]
    fn each_rule_by_hand() {
        assert_eq!(
            classify(&farm(), false, &ClassifyParams::default()).kind,
            ClusterKind::BotFarm
        );
        let pod = ClusterFeatures {
            reciprocity: 0.9,
            member_author_share: 0.9,
            ..farm()
        };
        assert_eq!(
            classify(&pod, false, &ClassifyParams::default()).kind,
            ClusterKind::EngagementPod
        );
        let sub = ClusterFeatures {
            authors: 1,
            top_author_share: 1.0,
            median_delay: 300.0,
            ..farm()
        };
        assert_eq!(
            classify(&sub, false, &ClassifyParams::default()).kind,
            ClusterKind::Subscription
        );
        // The same single-creator block where members are a minority of the audience and
        // return to the creators they follow: a fandom, not flagged.
        let fans = ClusterFeatures {
            post_like_share: 0.45,
            outside_author_spread: 0.8,
            burst_width: 4000.0,
            ..sub.clone()
        };
        let v = classify(&fans, false, &ClassifyParams::default());
        assert_eq!(v.kind, ClusterKind::OrganicFandom);
        assert!(!v.kind.is_coordinated());
        assert!(v.reasons.iter().any(|r| r.contains("fandom")), "{:?}", v.reasons);
        // A small loyal circle supplying most likes but spread over hours, with own tastes: fandom.
        let circle = ClusterFeatures {
            burst_width: 20_000.0,
            outside_author_spread: 0.7,
            ..sub.clone()
        };
        assert_eq!(
            classify(&circle, false, &ClassifyParams::default()).kind,
            ClusterKind::OrganicFandom
        );
        // Part of a subscription pool: prompt, tight, camouflage outside, but it supplies only
        // 45 % of its posts' likes (the rest of the pool was not found). Members' coverage is
        // as even as draws from one pool: a subscription. The same block with coverage as
        // uneven as fans' (dispersion 3) stays a fandom.
        let partial_pool = ClusterFeatures {
            post_like_share: 0.45,
            burst_width: 2_900.0,
            median_delay: 1_800.0,
            outside_author_spread: 0.94,
            coverage_dispersion: 0.9,
            ..sub.clone()
        };
        let v = classify(&partial_pool, false, &ClassifyParams::default());
        assert_eq!(v.kind, ClusterKind::Subscription);
        assert!(
            v.reasons.iter().any(|r| r.contains("random draws from one pool")),
            "{:?}",
            v.reasons
        );
        let devoted = ClusterFeatures {
            coverage_dispersion: 3.0,
            ..partial_pool.clone()
        };
        assert_eq!(
            classify(&devoted, false, &ClassifyParams::default()).kind,
            ClusterKind::OrganicFandom
        );
        // Dominant (65 %) but below the subscription share: the even pool decides too.
        let dominant_pool = ClusterFeatures {
            post_like_share: 0.65,
            ..partial_pool.clone()
        };
        assert_eq!(
            classify(&dominant_pool, false, &ClassifyParams::default()).kind,
            ClusterKind::Subscription
        );
        assert_eq!(
            classify(
                &ClusterFeatures {
                    coverage_dispersion: 3.0,
                    ..dominant_pool
                },
                false,
                &ClassifyParams::default()
            )
            .kind,
            ClusterKind::OrganicFandom
        );
        // Dominant, prompt and tight on one creator's posts, but as uneven as fans (dispersion
        // 4): a fandom, not a subscription.
        let devoted_fans = ClusterFeatures {
            coverage_dispersion: 4.0,
            ..sub.clone()
        };
        assert_eq!(
            classify(&devoted_fans, false, &ClassifyParams::default()).kind,
            ClusterKind::OrganicFandom
        );
        // Prompt on most posts but hours late on one in five, with camouflage for a life:
        // orders that came first on some posts, not a subscription. With a life of their own
        // and uneven devotion (fans who sometimes come late) it is not a farm.
        let sometimes_late = ClusterFeatures {
            post_delay_p80: 20_000.0,
            ..sub.clone()
        };
        let v = classify(&sometimes_late, false, &ClassifyParams::default());
        assert_eq!(v.kind, ClusterKind::BotFarm);
        assert!(
            v.reasons.iter().any(|r| r.contains("one post in five")),
            "{:?}",
            v.reasons
        );
        let late_fans = ClusterFeatures {
            outside_author_spread: 0.7,
            coverage_dispersion: 3.0,
            ..sometimes_late.clone()
        };
        assert!(
            !classify(&late_fans, false, &ClassifyParams::default())
                .kind
                .is_coordinated()
        );
        // The same with a life of their own but drawn as evenly as a pool: orders again.
        let even_pool = ClusterFeatures {
            coverage_dispersion: 1.2,
            ..late_fans.clone()
        };
        assert_eq!(
            classify(&even_pool, false, &ClassifyParams::default()).kind,
            ClusterKind::BotFarm
        );
        // Few customers whose posts are hit hours after they appear: orders, not auto-likes.
        let late = ClusterFeatures {
            authors: 3,
            top_author_share: 0.4,
            author_coverage: 1.0,
            ..farm()
        };
        assert_eq!(
            classify(&late, false, &ClassifyParams::default()).kind,
            ClusterKind::BotFarm
        );
        // Not the posts' main audience, but a third of their likes in tight bursts hours after
        // publication: orders on posts with an audience of their own. A fifth is not enough.
        let orders = ClusterFeatures {
            post_like_share: 0.35,
            ..late.clone()
        };
        assert_eq!(
            classify(&orders, false, &ClassifyParams::default()).kind,
            ClusterKind::BotFarm
        );
        let minority = ClusterFeatures {
            post_like_share: 0.2,
            ..late.clone()
        };
        assert!(
            !classify(&minority, false, &ClassifyParams::default())
                .kind
                .is_coordinated()
        );
        let click = ClusterFeatures {
            burst_width: 8000.0,
            outside_author_spread: 0.75,
            ..farm()
        };
        assert_eq!(
            classify(&click, false, &ClassifyParams::default()).kind,
            ClusterKind::PaidClickNetwork
        );
        // Fandoms of a few related creators, merged: dominant but slow, sparse, few creators.
        let merged_fans = ClusterFeatures {
            authors: 5,
            top_author_share: 0.59,
            block_density: 0.26,
            burst_width: 13_000.0,
            median_delay: 1_300.0,
            author_coverage: 0.24,
            ..click.clone()
        };
        assert_eq!(
            classify(&merged_fans, false, &ClassifyParams::default()).kind,
            ClusterKind::OrganicFandom
        );
        let topical = ClusterFeatures {
            post_like_share: 0.2,
            ..click
        };
        assert_eq!(
            classify(&topical, false, &ClassifyParams::default()).kind,
            ClusterKind::OrganicTopical
        );
        let viral = ClusterFeatures {
            popular_post_share: 0.8,
            post_like_share: 0.05,
            ..farm()
        };
        assert_eq!(
            classify(&viral, false, &ClassifyParams::default()).kind,
            ClusterKind::OrganicViral
        );
    }

    #[test]
    fn reasons_state_the_baseline_and_the_timing() {
        let v = classify(&farm(), false, &ClassifyParams::default());
        assert!(
            v.reasons
                .iter()
                .any(|r| r.contains("2000 co-likes") && r.contains("chance predicts 3.5")),
            "{:?}",
            v.reasons
        );
        assert!(
            v.reasons.iter().any(|r| r.contains("within 5 min")),
            "{:?}",
            v.reasons
        );
        assert!(
            v.reasons.iter().any(|r| r.contains("95 % of all its likes")),
            "{:?}",
            v.reasons
        );
    }

    #[test]
    fn without_authors_or_time_the_author_and_timing_rules_step_aside() {
        let no_authors = ClusterFeatures {
            authors: 0,
            top_author_share: 0.0,
            ..farm()
        };
        let v = classify(&no_authors, false, &ClassifyParams::default());
        assert_eq!(v.kind, ClusterKind::BotFarm);
        assert!(v.reasons.iter().any(|r| r.contains("no author column")));
        // Logical time: no burst rule, so a dominant group is a click network at most.
        assert_eq!(
            classify(&farm(), true, &ClassifyParams::default()).kind,
            ClusterKind::PaidClickNetwork
        );
    }
}
