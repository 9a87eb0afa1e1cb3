//! Synthetic worlds with ground truth: an organic platform (creators, topical communities,
//! heavy-tailed activity, daily rhythm, fans, viral posts, heavy users) plus planted
//! coordinated groups (like farms, paid click-workers, engagement pods, like subscriptions).
//!
//! [`generate`] is deterministic: the same parameters and seed give the same [`World`], and
//! [`write`] turns it into byte-identical files. Account and post ids are random numbers
//! assigned in random order, so ids and row order reveal nothing about roles. The model and
//! every parameter are documented in `data/README.md`.

pub mod comments;
mod model;
mod params;
mod random;
mod sample;
mod write;

#[cfg(test)]
mod tests;

pub use params::{
    ClickParams, CommunityParams, CreatorParams, FanParams, FarmParams, FollowParams, HeavyParams,
    Interaction, OrganicParams, PodParams, Preset, SubscriptionParams, SynthParams, TimeZoneShare,
    ViralParams,
};
pub use random::RANGES;
pub use write::{file_names, format_time_secs, write};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an account really is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An ordinary account (including creators, heavy users, and customers of coordinated
    /// services: they bought likes but do not like in lockstep themselves).
    Organic,
    /// Notification-driven fan of one popular creator: not coordinated.
    Fan,
    /// Bot of a like farm selling likes per order.
    BotFarm,
    /// Human paid to like posts from a shared task list.
    ClickWorker,
    /// Creator in an engagement pod.
    PodMember,
    /// Account of a "N likes per post" subscription pool.
    SubscriptionBot,
}

impl Role {
    /// Every role, in table order.
    pub const ALL: [Role; 6] = [
        Role::Organic,
        Role::Fan,
        Role::BotFarm,
        Role::ClickWorker,
        Role::PodMember,
        Role::SubscriptionBot,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Role::Organic => "organic",
            Role::Fan => "fan",
            Role::BotFarm => "bot_farm",
            Role::ClickWorker => "click_worker",
            Role::PodMember => "pod_member",
            Role::SubscriptionBot => "subscription_bot",
        }
    }

    /// Whether the role is a planted coordinated group (fans and organic accounts are not).
    pub fn is_coordinated(self) -> bool {
        !matches!(self, Role::Organic | Role::Fan)
    }

    /// The detector's `cluster_type` that names this role, for coordinated roles.
    pub fn cluster_type(self) -> Option<&'static str> {
        match self {
            Role::BotFarm => Some("bot_farm"),
            Role::ClickWorker => Some("paid_click_network"),
            Role::PodMember => Some("engagement_pod"),
            Role::SubscriptionBot => Some("subscription"),
            Role::Organic | Role::Fan => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                let names: Vec<_> = Role::ALL.iter().map(|r| r.name()).collect();
                format!("unknown role {s:?}: expected one of {}", names.join(", "))
            })
    }
}

/// What a post really is (the truth about posts, column `kind` of posts.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// An ordinary post (it may still get likes from fans, click-workers' own activity,
    /// camouflage likes of bots).
    Organic,
    /// A post liked by a large share of everybody.
    Viral,
    /// A post a customer bought a farm order for.
    FarmOrder,
    /// A post on a click-work task list.
    Task,
    /// A post of an engagement-pod member.
    Pod,
    /// A post of a subscription client published while the subscription ran.
    Subscription,
}

impl PostKind {
    /// Every kind.
    pub const ALL: [PostKind; 6] = [
        PostKind::Organic,
        PostKind::Viral,
        PostKind::FarmOrder,
        PostKind::Task,
        PostKind::Pod,
        PostKind::Subscription,
    ];

    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            PostKind::Organic => "organic",
            PostKind::Viral => "viral",
            PostKind::FarmOrder => "farm_order",
            PostKind::Task => "task",
            PostKind::Pod => "pod",
            PostKind::Subscription => "subscription",
        }
    }
}

impl fmt::Display for PostKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How precisely a row's time is written (the truth keeps the exact time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TimePrecision {
    /// Whole seconds, `2024-03-05T18:04:11Z`.
    #[default]
    Second,
    /// Rounded down to the hour, `2024-03-05T18:00:00Z`.
    Hour,
    /// The date only, `2024-03-05` (UTC).
    Day,
}

/// One like (or follow: the post is then the followed account's item). Ids index
/// [`World::account_names`] and [`World::post_names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthLike {
    /// Liking account.
    pub account: u32,
    /// Liked post.
    pub post: u32,
    /// Time, ms since the epoch (whole seconds).
    pub time_ms: i64,
    /// Author (an account id) of the post; in a follow world, the followed account.
    pub author: u32,
    /// How precisely the time is written.
    pub precision: TimePrecision,
}

/// One post. Index = post id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthPost {
    /// Author (account id).
    pub author: u32,
    /// Publication time, ms (whole seconds).
    pub published_ms: i64,
    /// What it really is.
    pub kind: PostKind,
    /// Topical community of the author.
    pub topic: u16,
    /// Exported likes.
    pub likes: u32,
}

/// One account. Index = account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthAccount {
    /// What it really is.
    pub role: Role,
    /// Index into [`World::groups`], for fans and planted groups.
    pub group: Option<u32>,
    /// Whether it appears in likes.csv (as liker or as author of a liked post).
    pub exported: bool,
}

/// One row of truth.csv.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TruthRow {
    /// Account id as written in likes.csv.
    pub account_id: String,
    /// What it really is.
    pub role: Role,
    /// `fandom-<creator>`, `farm-<k>`, `clicknet-<k>`, `pod-<k>`, `sub-<k>`; for organic
    /// accounts empty, or `community-<k>` (topical community member), or `heavy` (heavy user,
    /// with `truth_heavy_group`).
    pub group: String,
}

/// Counts for one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleStat {
    pub role: Role,
    /// Exported accounts with this role.
    pub accounts: usize,
    /// Likes they gave.
    pub likes: usize,
}

/// Counts for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupStat {
    pub group: String,
    pub role: Role,
    /// Exported member accounts.
    pub accounts: usize,
    /// Likes the members gave (all of them, including organic activity and camouflage).
    pub likes: usize,
}

/// Counts for one post kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindStat {
    pub kind: PostKind,
    /// Exported posts (with at least one like).
    pub posts: usize,
    /// Likes they received.
    pub likes: usize,
}

/// What a world contains.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct WorldStats {
    /// Rows of likes.csv.
    pub likes: usize,
    /// Rows of truth.csv (accounts that appear in likes.csv).
    pub accounts: usize,
    /// Distinct likers.
    pub likers: usize,
    /// Rows of posts.csv (posts with at least one like).
    pub posts: usize,
    /// Distinct authors of liked posts.
    pub authors: usize,
    /// Accounts generated, including those that never appear (no like given or received).
    pub accounts_generated: usize,
    /// Posts generated, including those nobody liked.
    pub posts_generated: usize,
    /// Per role.
    pub roles: Vec<RoleStat>,
    /// Per post kind.
    pub post_kinds: Vec<KindStat>,
    /// Per group (fandoms and planted groups).
    pub groups: Vec<GroupStat>,
    /// Likes drawn after the end of the span (not exported).
    pub likes_after_end: usize,
    /// Second likes of the same account on the same post, merged into the earliest.
    pub duplicates_merged: usize,
    /// Rows written with the date only (`date_only_share`).
    #[serde(skip_serializing_if = "is_zero")]
    pub date_only_rows: usize,
    /// Rows written rounded to the hour (`hour_rounded_share`).
    #[serde(skip_serializing_if = "is_zero")]
    pub hour_rounded_rows: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A generated world.
#[derive(Debug, Clone, PartialEq)]
pub struct World {
    /// Start of the span, ms.
    pub start_ms: i64,
    /// End of the span (exclusive), ms.
    pub end_ms: i64,
    /// Account names by id (`u` + digits). Names are random numbers; ids follow name order,
    /// so neither says anything about roles.
    pub account_names: Vec<String>,
    /// Accounts by id.
    pub accounts: Vec<SynthAccount>,
    /// Post names by id (`p` + digits; random numbers, ids follow name order).
    pub post_names: Vec<String>,
    /// Posts by id.
    pub posts: Vec<SynthPost>,
    /// Group names (index = [`SynthAccount::group`]).
    pub groups: Vec<String>,
    /// Likes sorted by time (ties by account name, post name); no (account, post) twice.
    pub likes: Vec<SynthLike>,
    /// truth.csv rows, sorted by account id: every account that appears in likes.csv.
    pub truth: Vec<TruthRow>,
    /// Summary counts.
    pub stats: WorldStats,
}

/// Generates the world for `params` and `seed`.
pub fn generate(params: &SynthParams, seed: u64) -> World {
    model::generate(params, seed)
}
