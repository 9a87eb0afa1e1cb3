//! The generator: one phase per part of the world, each with its own random stream.

use super::sample::{
    Alias, DAY, HOUR, MINUTE, asleep, exponential, lognormal, ms, next_awake, normal, poisson, rhythmic_time,
    rhythmic_uniform, stream, uniform, uniform_int, unit,
};
use super::{
    GroupStat, Interaction, KindStat, PostKind, Role, RoleStat, SynthAccount, SynthLike, SynthParams,
    SynthPost, TimePrecision, TruthRow, World, WorldStats,
};
use rand::rngs::ChaCha8Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, RngExt};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::ops::Range;

/// Phase labels for the random streams.
pub(super) mod phase {
    pub const CREATORS: u64 = 1;
    pub const RESERVE: u64 = 2;
    pub const POSTS: u64 = 3;
    pub const ACTIVITY: u64 = 4;
    pub const ORGANIC: u64 = 5;
    pub const VIRAL: u64 = 6;
    pub const FANS: u64 = 7;
    pub const FARMS: u64 = 8;
    pub const CLICK: u64 = 9;
    pub const PODS: u64 = 10;
    pub const SUBS: u64 = 11;
    pub const NAMES: u64 = 12;
    pub const ROLES: u64 = 13;
    pub const COMMUNITY: u64 = 14;
    /// Drawing the parameters of the random presets.
    pub const PARAMS: u64 = 15;
    pub const PRECISION: u64 = 16;
    pub const ONBOARDING: u64 = 17;
}

mod follow;

/// Accounts per parallel chunk of organic generation.
const CHUNK: usize = 1024;

/// At most this many favourite topics are stored per account.
const MAX_FAVS: usize = 6;

#[derive(Debug, Clone, Copy)]
struct RawLike {
    time: i64,
    account: u32,
    post: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKey {
    Fandom(u32),
    Farm(u32),
    Click(u32),
    Pod(u32),
    Sub(u32),
    Community(u32),
    Heavy,
}

/// One post in a topic's alias table.
#[derive(Debug, Clone, Copy)]
struct Entry {
    prob: f64,
    alias: u32,
    post: u32,
    author: u32,
    published: i64,
}

#[derive(Debug, Clone, Copy)]
struct PostRec {
    author: u32,
    published: i64,
    topic: u16,
    weight: f64,
    kind: PostKind,
}

/// Per-account state.
#[derive(Debug, Clone, Copy)]
struct Acc {
    role: Role,
    group: Option<u32>,
    /// Personal clock shift from UTC, minutes (time zone + chronotype).
    offset: i32,
    /// First possible activity.
    join: i64,
    /// Organic likes to draw.
    organic: u32,
    favs: [u16; MAX_FAVS],
    n_favs: u8,
    off_topic: f32,
    human: bool,
    heavy: bool,
}

struct Gen<'a> {
    p: &'a SynthParams,
    seed: u64,
    /// A follow world: one item per creator (the creator's account), follows instead of likes.
    follow: bool,
    start: i64,
    end: i64,
    acc: Vec<Acc>,
    n_creators: usize,
    /// Per creator.
    creator_topic: Vec<u16>,
    pop: Vec<f64>,
    rate: Vec<f64>,
    reserved: Vec<bool>,
    min_posts: Vec<usize>,
    fixed_posts: Vec<Option<usize>>,
    /// Subscription start per creator (clients only).
    sub_start: Vec<Option<i64>>,
    topic_weights: Vec<f64>,
    /// Creators per topic.
    topic_creators: Vec<Vec<u32>>,
    posts: Vec<PostRec>,
    creator_posts: Vec<Range<u32>>,
    posts_by_time: Vec<u32>,
    popular: Alias,
    groups: Vec<GroupKey>,
    fandom_creators: Vec<u32>,
    pods: Vec<Vec<u32>>,
    subs: Vec<Vec<u32>>,
    likes: Vec<RawLike>,
}

pub fn generate(p: &SynthParams, seed: u64) -> World {
    if p.interaction == Interaction::Follow {
        let p = p.clone().into_follow();
        let mut g = Gen::new(&p, seed);
        g.creators();
        g.reserve();
        g.follow_items();
        g.activity();
        g.organic_likes();
        g.viral();
        g.onboarding();
        g.follow_farms();
        g.communities();
        g.mark_heavy();
        return g.finish();
    }
    let mut g = Gen::new(p, seed);
    g.creators();
    g.reserve();
    g.make_posts();
    g.activity();
    g.organic_likes();
    g.viral();
    g.fans();
    g.farms();
    g.click_work();
    g.pod_likes();
    g.subscriptions();
    g.communities();
    g.mark_heavy();
    g.finish()
}

fn round_s(t: i64) -> i64 {
    t.div_euclid(1000) * 1000
}

impl<'a> Gen<'a> {
    fn new(p: &'a SynthParams, seed: u64) -> Self {
        let start = p.start_ms;
        Gen {
            p,
            seed,
            follow: p.interaction == Interaction::Follow,
            start,
            end: p.end_ms().max(start + HOUR),
            acc: Vec::new(),
            n_creators: 0,
            creator_topic: Vec::new(),
            pop: Vec::new(),
            rate: Vec::new(),
            reserved: Vec::new(),
            min_posts: Vec::new(),
            fixed_posts: Vec::new(),
            sub_start: Vec::new(),
            topic_weights: Vec::new(),
            topic_creators: Vec::new(),
            posts: Vec::new(),
            creator_posts: Vec::new(),
            posts_by_time: Vec::new(),
            popular: Alias::default(),
            groups: Vec::new(),
            fandom_creators: Vec::new(),
            pods: Vec::new(),
            subs: Vec::new(),
            likes: Vec::new(),
        }
    }

    fn span(&self) -> i64 {
        self.end - self.start
    }

    fn rng(&self, phase: u64, index: u64) -> ChaCha8Rng {
        stream(self.seed, phase, index)
    }

    fn draw_offset(&self, rng: &mut ChaCha8Rng) -> i32 {
        let zones = &self.p.time_zones;
        let total: f64 = zones.iter().map(|z| z.share.max(0.0)).sum();
        let mut hours = 0.0;
        if total > 0.0 {
            let mut x = rng.random::<f64>() * total;
            for z in zones {
                x -= z.share.max(0.0);
                hours = z.utc_offset_hours;
                if x < 0.0 {
                    break;
                }
            }
        }
        let chrono = normal(rng) * self.p.organic.chronotype_sd_minutes;
        (hours * 60.0 + chrono).round() as i32
    }

    fn new_account(&mut self, role: Role, offset: i32, join: i64, human: bool) -> u32 {
        let id = self.acc.len() as u32;
        self.acc.push(Acc {
            role,
            group: None,
            offset,
            join,
            organic: 0,
            favs: [0; MAX_FAVS],
            n_favs: 0,
            off_topic: 0.0,
            human,
            heavy: false,
        });
        id
    }

    fn add_group(&mut self, key: GroupKey) -> u32 {
        self.groups.push(key);
        (self.groups.len() - 1) as u32
    }

    fn push(&mut self, account: u32, post: u32, time: i64) {
        self.likes.push(RawLike {
            time: round_s(time),
            account,
            post,
        });
    }

    /// Creators, their topics and popularity; ordinary accounts with clocks and join times.
    fn creators(&mut self) {
        let p = self.p;
        let mut rng = self.rng(phase::CREATORS, 0);
        let topics = p.creators.topics.max(1);
        self.topic_weights = (0..topics)
            .map(|_| lognormal(&mut rng, 1.0, p.creators.topic_size_sigma))
            .collect();
        let topic_alias = Alias::new(&self.topic_weights);
        self.topic_creators = vec![Vec::new(); topics];
        let n_c = p.creators.count;
        self.n_creators = n_c;
        let far_past = self.start - 365 * DAY;
        for c in 0..n_c {
            let topic = topic_alias.sample(&mut rng) as u16;
            let pop = lognormal(&mut rng, 1.0, p.creators.popularity_sigma);
            let rate = lognormal(
                &mut rng,
                p.creators.posts_per_day_median,
                p.creators.posts_per_day_sigma,
            ) * pop.powf(p.creators.posting_popularity_exponent);
            let offset = self.draw_offset(&mut rng);
            self.new_account(Role::Organic, offset, far_past, true);
            self.creator_topic.push(topic);
            self.pop.push(pop);
            self.rate.push(rate);
            self.topic_creators[topic as usize].push(c as u32);
        }
        self.reserved = vec![false; n_c];
        self.min_posts = vec![0; n_c];
        self.fixed_posts = vec![None; n_c];
        self.sub_start = vec![None; n_c];
        for _ in 0..p.organic.accounts {
            let offset = self.draw_offset(&mut rng);
            let join = if rng.random::<f64>() < p.organic.newcomer_share {
                rng.random_range(self.start..self.end)
            } else {
                far_past
            };
            self.new_account(Role::Organic, offset, join, true);
        }
    }

    /// Creators with a special part: fandom creators, pod members, subscription clients.
    fn reserve(&mut self) {
        let p = self.p;
        let mut rng = self.rng(phase::RESERVE, 0);
        let n_c = self.n_creators;
        if n_c == 0 {
            return;
        }
        let mut by_pop: Vec<u32> = (0..n_c as u32).collect();
        by_pop.sort_by(|&a, &b| {
            self.pop[b as usize]
                .total_cmp(&self.pop[a as usize])
                .then(a.cmp(&b))
        });
        // rank 0 = most popular
        let mut rank = vec![0usize; n_c];
        for (r, &c) in by_pop.iter().enumerate() {
            rank[c as usize] = r;
        }

        // Fandoms: among the most popular creators.
        let top = ((p.fans.creator_top_share * n_c as f64).ceil() as usize)
            .max(p.fans.fandoms)
            .min(n_c);
        let mut top_c: Vec<u32> = by_pop[..top].to_vec();
        top_c.shuffle(&mut rng);
        for &c in top_c.iter().take(p.fans.fandoms) {
            self.reserved[c as usize] = true;
            self.min_posts[c as usize] = p.fans.creator_posts_min;
            self.fandom_creators.push(c);
        }

        // Pods: small creators, mostly of one topic.
        let pod_rank_min = ((1.0 - p.pods.max_popularity_quantile) * n_c as f64) as usize;
        let pod_ok = |c: u32, reserved: &[bool]| !reserved[c as usize] && rank[c as usize] >= pod_rank_min;
        let topic_alias = Alias::new(&self.topic_weights);
        for k in 0..p.pods.count {
            let size = uniform_int(&mut rng, p.pods.members_min, p.pods.members_max);
            let topic = topic_alias.sample(&mut rng);
            let mut cands: Vec<u32> = self.topic_creators[topic]
                .iter()
                .copied()
                .filter(|&c| pod_ok(c, &self.reserved))
                .collect();
            cands.shuffle(&mut rng);
            cands.truncate(size);
            let mut tries = 0;
            while cands.len() < size && tries < 50 * size {
                tries += 1;
                let c = rng.random_range(0..n_c) as u32;
                if pod_ok(c, &self.reserved) && !cands.contains(&c) {
                    cands.push(c);
                }
            }
            if cands.len() < 3 {
                continue;
            }
            let g = self.add_group(GroupKey::Pod(k as u32 + 1));
            for &c in &cands {
                self.reserved[c as usize] = true;
                self.fixed_posts[c as usize] =
                    Some(uniform_int(&mut rng, p.pods.posts_min, p.pods.posts_max));
                let a = &mut self.acc[c as usize];
                a.role = Role::PodMember;
                a.group = Some(g);
            }
            self.pods.push(cands);
        }

        // Subscription clients: any creator outside the top 5 %.
        let sub_rank_min = (0.05 * n_c as f64) as usize;
        for _ in 0..p.subscriptions.count {
            let k = uniform_int(&mut rng, p.subscriptions.clients_min, p.subscriptions.clients_max);
            let begin = self.start
                + (uniform(&mut rng, -0.2, p.subscriptions.start_share_max) * self.span() as f64) as i64;
            let mut clients = Vec::new();
            let mut tries = 0;
            while clients.len() < k && tries < 1000 {
                tries += 1;
                let c = rng.random_range(0..n_c) as u32;
                if !self.reserved[c as usize] && rank[c as usize] >= sub_rank_min {
                    self.reserved[c as usize] = true;
                    self.min_posts[c as usize] = p.subscriptions.client_posts_min;
                    self.sub_start[c as usize] = Some(begin);
                    clients.push(c);
                }
            }
            self.subs.push(clients);
        }
    }

    /// Posts of every creator, published in their active hours.
    fn make_posts(&mut self) {
        let p = self.p;
        let days = self.span() as f64 / DAY as f64;
        for c in 0..self.n_creators {
            let mut rng = self.rng(phase::POSTS, c as u64);
            let n = match self.fixed_posts[c] {
                Some(n) => n,
                None => (poisson(&mut rng, self.rate[c] * days) as usize).max(self.min_posts[c]),
            };
            let first = self.posts.len() as u32;
            let offset = self.acc[c].offset;
            for _ in 0..n {
                let t = rhythmic_uniform(&mut rng, self.start, self.end, offset, 12);
                let quality = lognormal(&mut rng, 1.0, p.creators.post_quality_sigma);
                let kind = match (self.acc[c].role, self.sub_start[c]) {
                    (Role::PodMember, _) => PostKind::Pod,
                    (_, Some(s)) if t >= s => PostKind::Subscription,
                    _ => PostKind::Organic,
                };
                self.posts.push(PostRec {
                    author: c as u32,
                    published: round_s(t),
                    topic: self.creator_topic[c],
                    weight: self.pop[c] * quality,
                    kind,
                });
            }
            self.creator_posts.push(first..self.posts.len() as u32);
        }
        self.posts_by_time = (0..self.posts.len() as u32).collect();
        self.posts_by_time
            .sort_by_key(|&i| (self.posts[i as usize].published, i));
        let w: Vec<f64> = self.posts.iter().map(|x| x.weight).collect();
        self.popular = Alias::new(&w);
    }

    /// How many organic likes each human draws, favourite topics, heavy users.
    fn activity(&mut self) {
        let p = self.p;
        let mut rng = self.rng(phase::ACTIVITY, 0);
        let topic_alias = Alias::new(&self.topic_weights);
        for i in 0..self.acc.len() {
            let creator = i < self.n_creators;
            let likes = if creator && self.acc[i].role != Role::PodMember {
                rng.random::<f64>() < p.creators.like_share
            } else {
                true
            };
            let raw = lognormal(&mut rng, p.organic.likes_median, p.organic.likes_sigma);
            let mut n = (raw.round() as u32).clamp(1, p.organic.likes_max.max(1));
            if self.acc[i].role == Role::PodMember {
                n = n.max(3);
            }
            let k = 1 + rng.random_range(0..p.organic.favourite_topics_max.clamp(1, MAX_FAVS));
            let a = &mut self.acc[i];
            a.organic = if likes { n } else { 0 };
            a.off_topic = p.organic.off_topic_share as f32;
            let mut nf = 0;
            if creator {
                a.favs[0] = self.creator_topic[i];
                nf = 1;
            }
            while nf < k {
                a.favs[nf] = topic_alias.sample(&mut rng) as u16;
                nf += 1;
            }
            a.n_favs = nf as u8;
        }
        // Heavy users among ordinary accounts.
        let users: Vec<usize> = (self.n_creators..self.acc.len()).collect();
        let heavy: Vec<usize> = users
            .sample(&mut rng, p.heavy.count.min(users.len()))
            .copied()
            .collect();
        for i in heavy {
            let a = &mut self.acc[i];
            a.organic = uniform_int(&mut rng, p.heavy.likes_min as usize, p.heavy.likes_max as usize) as u32;
            let k = p.heavy.favourite_topics.clamp(1, MAX_FAVS);
            for f in 0..k {
                a.favs[f] = topic_alias.sample(&mut rng) as u16;
            }
            a.n_favs = k as u8;
            a.off_topic = p.heavy.off_topic_share as f32;
            a.join = self.start - 365 * DAY;
            a.heavy = true;
        }
        self.assign_roles_among_users();
    }

    /// Fans and click-workers are recruited among ordinary accounts.
    fn assign_roles_among_users(&mut self) {
        let p = self.p;
        let mut rng = self.rng(phase::ROLES, 0);
        let free = |a: &Acc| a.role == Role::Organic && !a.heavy;
        // Fans: prefer accounts whose favourites include the creator's topic.
        let mut topic_users: Vec<Vec<u32>> = vec![Vec::new(); self.topic_weights.len()];
        for i in self.n_creators..self.acc.len() {
            let a = &self.acc[i];
            for f in 0..a.n_favs as usize {
                let t = a.favs[f] as usize;
                if topic_users[t].last() != Some(&(i as u32)) {
                    topic_users[t].push(i as u32);
                }
            }
        }
        let fandoms = self.fandom_creators.clone();
        for &c in &fandoms {
            let topic = self.creator_topic[c as usize];
            let k = uniform_int(&mut rng, p.fans.fans_min, p.fans.fans_max);
            let mut cands: Vec<u32> = topic_users[topic as usize]
                .iter()
                .copied()
                .filter(|&i| free(&self.acc[i as usize]))
                .collect();
            cands.shuffle(&mut rng);
            cands.truncate(k);
            let mut tries = 0;
            while cands.len() < k && tries < 100 * k {
                tries += 1;
                let i = rng.random_range(self.n_creators..self.acc.len().max(self.n_creators + 1));
                if i < self.acc.len() && free(&self.acc[i]) && !cands.contains(&(i as u32)) {
                    cands.push(i as u32);
                }
            }
            let g = self.add_group(GroupKey::Fandom(c));
            for &i in &cands {
                let a = &mut self.acc[i as usize];
                a.role = Role::Fan;
                a.group = Some(g);
            }
        }
        // Click-workers: active ordinary accounts.
        for k in 0..p.click_workers.networks {
            let n = uniform_int(&mut rng, p.click_workers.workers_min, p.click_workers.workers_max);
            let mut cands: Vec<u32> = (self.n_creators..self.acc.len())
                .filter(|&i| {
                    let a = &self.acc[i];
                    free(a) && a.organic >= p.click_workers.min_organic_likes && a.join < self.start
                })
                .map(|i| i as u32)
                .collect();
            cands.shuffle(&mut rng);
            cands.truncate(n);
            if cands.is_empty() {
                continue;
            }
            let g = self.add_group(GroupKey::Click(k as u32 + 1));
            for &i in &cands {
                let a = &mut self.acc[i as usize];
                a.role = Role::ClickWorker;
                a.group = Some(g);
            }
        }
    }

    /// Everyday liking of every human: topic, then post by weight, then a rhythmic delay.
    fn organic_likes(&mut self) {
        let p = self.p;
        let n_topics = self.topic_weights.len();
        let mut topic_posts: Vec<Vec<u32>> = vec![Vec::new(); n_topics];
        for (i, x) in self.posts.iter().enumerate() {
            topic_posts[x.topic as usize].push(i as u32);
        }
        // Per topic, an alias table whose entries carry what a like needs (fewer cache misses).
        let topic_tables: Vec<Vec<Entry>> = topic_posts
            .iter()
            .map(|v| {
                let w: Vec<f64> = v.iter().map(|&i| self.posts[i as usize].weight).collect();
                let (prob, alias) = Alias::new(&w).into_parts();
                v.iter()
                    .enumerate()
                    .map(|(j, &post)| Entry {
                        prob: prob[j],
                        alias: alias[j],
                        post,
                        author: self.posts[post as usize].author,
                        published: self.posts[post as usize].published,
                    })
                    .collect()
            })
            .collect();
        // Topic choice for off-topic likes follows how much content each topic has.
        let content: Vec<f64> = topic_posts
            .iter()
            .map(|v| v.iter().map(|&i| self.posts[i as usize].weight).sum())
            .collect();
        let content_alias = Alias::new(&content);
        let posts = &self.posts;
        let acc = &self.acc;
        let seed = self.seed;
        let median = p.organic.delay_median_minutes * MINUTE as f64;
        let sigma = p.organic.delay_sigma;
        let (follow, start, end) = (self.follow, self.start, self.end);
        let n_chunks = acc.len().div_ceil(CHUNK);
        let chunks: Vec<Vec<RawLike>> = (0..n_chunks)
            .into_par_iter()
            .map(|ch| {
                let mut rng = stream(seed, phase::ORGANIC, ch as u64);
                let mut out = Vec::new();
                let mut liked: FxHashSet<u32> = FxHashSet::default();
                let lo = ch * CHUNK;
                let hi = (lo + CHUNK).min(acc.len());
                for (i, a) in acc.iter().enumerate().take(hi).skip(lo) {
                    if posts.is_empty() || content_alias.is_empty() {
                        break;
                    }
                    liked.clear();
                    for _ in 0..a.organic {
                        for _attempt in 0..8 {
                            let topic = if a.n_favs == 0 || rng.random::<f32>() < a.off_topic {
                                content_alias.sample(&mut rng)
                            } else {
                                a.favs[rng.random_range(0..a.n_favs as usize)] as usize
                            };
                            let table = &topic_tables[topic];
                            if table.is_empty() {
                                continue;
                            }
                            let e = &table[rng.random_range(0..table.len())];
                            let x = if rng.random::<f64>() < e.prob {
                                e
                            } else {
                                &table[e.alias as usize]
                            };
                            let post = x.post;
                            if x.author as usize == i || liked.contains(&post) {
                                continue;
                            }
                            let t = if follow {
                                // A follow is not tied to a publication: any waking moment.
                                rhythmic_uniform(&mut rng, a.join.max(start), end, a.offset, 12)
                            } else {
                                rhythmic_time(&mut rng, x.published, a.offset, median, sigma, 12)
                            };
                            if t < a.join {
                                continue;
                            }
                            liked.insert(post);
                            // Likes after the end are dropped (and counted) in finish().
                            out.push(RawLike {
                                time: t,
                                account: i as u32,
                                post,
                            });
                            break;
                        }
                    }
                }
                out
            })
            .collect();
        let total: usize = chunks.iter().map(|c| c.len()).sum();
        self.likes.reserve(total + total / 4);
        for c in chunks {
            self.likes.extend(c);
        }
    }

    /// Humans who gave at least one organic like.
    fn active_humans(&self) -> Vec<u32> {
        (0..self.acc.len())
            .filter(|&i| self.acc[i].human && self.acc[i].organic > 0)
            .map(|i| i as u32)
            .collect()
    }

    /// A handful of posts liked by a large share of everybody over hours to days.
    fn viral(&mut self) {
        let p = self.p;
        if p.viral.posts == 0 || self.posts.is_empty() {
            return;
        }
        let mut rng = self.rng(phase::VIRAL, 0);
        let latest = self.end - 3 * DAY;
        let eligible: Vec<u32> = (0..self.posts.len() as u32)
            .filter(|&i| {
                let x = &self.posts[i as usize];
                x.kind == PostKind::Organic
                    && !self.reserved[x.author as usize]
                    && x.published < latest.max(self.start + HOUR)
            })
            .collect();
        if eligible.is_empty() {
            return;
        }
        let w: Vec<f64> = eligible
            .iter()
            .map(|&i| self.pop[self.posts[i as usize].author as usize].sqrt())
            .collect();
        let al = Alias::new(&w);
        let mut chosen: Vec<u32> = Vec::new();
        let mut tries = 0;
        while chosen.len() < p.viral.posts.min(eligible.len()) && tries < 1000 {
            tries += 1;
            let i = eligible[al.sample(&mut rng)];
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        let humans = self.active_humans();
        let lg: Vec<f64> = humans
            .iter()
            .map(|&i| (1.0 + self.acc[i as usize].organic as f64).ln())
            .collect();
        let mean = lg.iter().sum::<f64>() / lg.len().max(1) as f64;
        let median = p.viral.delay_median_hours * HOUR as f64;
        for (k, &post) in chosen.iter().enumerate() {
            self.posts[post as usize].kind = PostKind::Viral;
            let mut rng = self.rng(phase::VIRAL, 1 + k as u64);
            let reach = uniform(&mut rng, p.viral.reach_min, p.viral.reach_max);
            // In a follow world the surge starts at a random moment (the account went viral).
            let published = if self.follow {
                rng.random_range(self.start..latest.max(self.start + HOUR))
            } else {
                self.posts[post as usize].published
            };
            let author = self.posts[post as usize].author;
            for (j, &a) in humans.iter().enumerate() {
                let prob = (reach * lg[j] / mean.max(1e-9)).min(0.95);
                if a == author || rng.random::<f64>() >= prob {
                    continue;
                }
                let acc = self.acc[a as usize];
                let t = rhythmic_time(&mut rng, published, acc.offset, median, p.viral.delay_sigma, 12);
                if t >= acc.join {
                    self.push(a, post, t);
                }
            }
        }
    }

    /// Notification-driven fans: minutes after publication, or after waking up.
    fn fans(&mut self) {
        let p = self.p;
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); self.groups.len()];
        for (i, a) in self.acc.iter().enumerate() {
            if a.role == Role::Fan
                && let Some(g) = a.group
            {
                members[g as usize].push(i as u32);
            }
        }
        for (g, key) in self.groups.clone().iter().enumerate() {
            let GroupKey::Fandom(c) = *key else { continue };
            let mut rng = self.rng(phase::FANS, g as u64);
            let range = self.creator_posts[c as usize].clone();
            for &f in &members[g] {
                let share = uniform(&mut rng, p.fans.share_min, p.fans.share_max);
                let med = uniform(
                    &mut rng,
                    p.fans.delay_median_min_minutes,
                    p.fans.delay_median_max_minutes,
                ) * MINUTE as f64;
                let acc = self.acc[f as usize];
                for post in range.clone() {
                    if rng.random::<f64>() >= share {
                        continue;
                    }
                    let published = self.posts[post as usize].published;
                    let mut t = published + ms(lognormal(&mut rng, med, p.fans.delay_sigma)).max(5000);
                    if asleep(t, acc.offset) {
                        t = next_awake(t, acc.offset) + ms(lognormal(&mut rng, 20.0 * MINUTE as f64, 0.8));
                    }
                    if t >= acc.join {
                        self.push(f, post, t);
                    }
                }
            }
        }
    }

    /// Camouflage likes of a bot on popular posts (a share `random_share` on uniformly random
    /// posts). In a follow world: follows at any moment of the bot's life in the span.
    fn camouflage(
        &mut self,
        rng: &mut ChaCha8Rng,
        bot: u32,
        n: u64,
        median_h: f64,
        rhythm: bool,
        random_share: f64,
    ) {
        if self.popular.is_empty() {
            return;
        }
        let acc = self.acc[bot as usize];
        for _ in 0..n {
            for _ in 0..4 {
                // Drawn only when asked for, so that worlds without it keep their streams.
                let post = if random_share > 0.0 && rng.random::<f64>() < random_share {
                    rng.random_range(0..self.posts.len()) as u32
                } else {
                    self.popular.sample(rng) as u32
                };
                let published = self.posts[post as usize].published;
                let median = median_h * HOUR as f64;
                let t = if self.follow {
                    let from = acc.join.max(self.start);
                    if rhythm {
                        rhythmic_uniform(rng, from, self.end, acc.offset, 12)
                    } else {
                        rng.random_range(from..self.end.max(from + 1))
                    }
                } else if rhythm {
                    rhythmic_time(rng, published, acc.offset, median, 1.2, 12)
                } else {
                    published + ms(lognormal(rng, median, 1.2)).max(1000)
                };
                if t >= acc.join {
                    self.push(bot, post, t);
                    break;
                }
            }
        }
    }

    /// Creators who are not part of any special arrangement and have posts.
    fn free_creators(&self) -> Vec<u32> {
        (0..self.n_creators as u32)
            .filter(|&c| !self.reserved[c as usize] && !self.creator_posts[c as usize].is_empty())
            .collect()
    }

    /// Like farms: bursts of a slice of the pool on ordered posts, plus camouflage.
    fn farms(&mut self) {
        let p = self.p;
        let fp = &p.farms;
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
            for _ in 0..n_orders {
                // Find an untouched post of a customer and an order time within the span.
                let mut order = None;
                for _ in 0..20 {
                    let c = customers[rng.random_range(0..customers.len())];
                    let r = self.creator_posts[c as usize].clone();
                    let post = rng.random_range(r.start..r.end);
                    let x = self.posts[post as usize];
                    if x.kind != PostKind::Organic {
                        continue;
                    }
                    let delay = lognormal(
                        &mut rng,
                        fp.order_delay_median_hours * HOUR as f64,
                        fp.order_delay_sigma,
                    );
                    let begin = x.published + ms(delay).max(MINUTE);
                    if begin + ms(fp.burst_minutes_max * MINUTE as f64) < self.end {
                        order = Some((post, begin));
                        break;
                    }
                }
                let Some((post, begin)) = order else { continue };
                self.posts[post as usize].kind = PostKind::FarmOrder;
                let active: Vec<u32> = pool
                    .iter()
                    .copied()
                    .filter(|&b| self.acc[b as usize].join <= begin)
                    .collect();
                let share = uniform(&mut rng, fp.order_share_min, fp.order_share_max);
                let n = ((share * active.len() as f64).round() as usize).min(active.len());
                let burst = uniform(&mut rng, fp.burst_minutes_min, fp.burst_minutes_max) * MINUTE as f64;
                let served: Vec<u32> = active.sample(&mut rng, n).copied().collect();
                for b in served {
                    let t = begin
                        + ms(uniform(&mut rng, 0.0, burst))
                        + ms(exponential(&mut rng, fp.jitter_seconds * 1000.0));
                    self.push(b, post, t);
                    delivered[(b - pool[0]) as usize] += 1;
                }
            }
            self.farm_camouflage(&mut rng, &pool, &delivered);
        }
    }

    /// A farm's pool of bots (group `farm-<k+1>`); 30 % (`new_bot_share`) created during the
    /// span. Bots get consecutive ids.
    fn farm_pool(&mut self, rng: &mut ChaCha8Rng, k: usize) -> Vec<u32> {
        let fp = &self.p.farms;
        let g = self.add_group(GroupKey::Farm(k as u32 + 1));
        let size = uniform_int(rng, fp.pool_min, fp.pool_max);
        let latest_birth = (self.end - 5 * DAY).max(self.start + HOUR);
        let mut pool = Vec::with_capacity(size);
        for _ in 0..size {
            let offset = self.draw_offset(rng);
            let join = if rng.random::<f64>() < fp.new_bot_share {
                rng.random_range(self.start..latest_birth)
            } else {
                self.start - rng.random_range(DAY..365 * DAY)
            };
            let b = self.new_account(Role::BotFarm, offset, join, false);
            self.acc[b as usize].group = Some(g);
            pool.push(b);
        }
        pool
    }

    /// Camouflage of a farm's bots: Poisson(`camouflage_mean` + d · s / (1 − s)) likes per bot
    /// that delivered d order likes, s = `camouflage_share`.
    fn farm_camouflage(&mut self, rng: &mut ChaCha8Rng, pool: &[u32], delivered: &[u32]) {
        let fp = &self.p.farms;
        for (j, &b) in pool.iter().enumerate() {
            let n = poisson(
                rng,
                camouflage_rate(fp.camouflage_mean, fp.camouflage_share, delivered[j]),
            );
            self.camouflage(
                rng,
                b,
                n,
                fp.camouflage_delay_median_hours,
                fp.camouflage_rhythm,
                fp.camouflage_random_share,
            );
        }
    }

    /// Click-work networks: shared task lists worked through in order by each worker.
    fn click_work(&mut self) {
        let p = self.p;
        let cp = &p.click_workers;
        let nets: Vec<(u32, u32)> = self
            .groups
            .iter()
            .enumerate()
            .filter_map(|(g, k)| match k {
                GroupKey::Click(n) => Some((g as u32, *n)),
                _ => None,
            })
            .collect();
        for (g, k) in nets {
            let mut rng = self.rng(phase::CLICK, k as u64);
            let workers: Vec<u32> = (0..self.acc.len() as u32)
                .filter(|&i| self.acc[i as usize].group == Some(g))
                .collect();
            let n_batches = uniform_int(&mut rng, cp.batches_min, cp.batches_max);
            let lo = self.start + DAY;
            let hi = (self.end - DAY).max(lo + 1);
            let mut releases: Vec<i64> = (0..n_batches).map(|_| rng.random_range(lo..hi)).collect();
            releases.sort_unstable();
            let max_age = ms(cp.task_post_max_age_hours * HOUR as f64);
            for release in releases {
                let from = self
                    .posts_by_time
                    .partition_point(|&i| self.posts[i as usize].published < release - max_age);
                let to = self
                    .posts_by_time
                    .partition_point(|&i| self.posts[i as usize].published < release);
                if from >= to {
                    continue;
                }
                let n_tasks = uniform_int(&mut rng, cp.tasks_min, cp.tasks_max);
                let mut tasks: Vec<u32> = Vec::new();
                let mut authors: Vec<u32> = Vec::new();
                let mut tries = 0;
                while tasks.len() < n_tasks && tries < 50 * n_tasks {
                    tries += 1;
                    let post = self.posts_by_time[rng.random_range(from..to)];
                    let x = self.posts[post as usize];
                    if x.kind != PostKind::Organic
                        || self.reserved[x.author as usize]
                        || authors.contains(&x.author)
                    {
                        continue;
                    }
                    tasks.push(post);
                    authors.push(x.author);
                }
                for &t in &tasks {
                    self.posts[t as usize].kind = PostKind::Task;
                }
                let spread = ms(cp.pickup_spread_hours * HOUR as f64).max(MINUTE);
                for &w in &workers {
                    if rng.random::<f64>() >= cp.participation {
                        continue;
                    }
                    let offset = self.acc[w as usize].offset;
                    let completion = uniform(&mut rng, cp.completion_min, cp.completion_max);
                    let mut t = if cp.pickup_delay_median_hours > 0.0 {
                        pickup_after_delay(&mut rng, release, spread, offset, cp)
                    } else {
                        rhythmic_uniform(&mut rng, release, release + spread, offset, 6)
                    };
                    for &post in &tasks {
                        if rng.random::<f64>() >= completion {
                            continue;
                        }
                        t += ms(lognormal(&mut rng, cp.gap_median_seconds * 1000.0, cp.gap_sigma)).max(2000);
                        self.push(w, post, t);
                    }
                }
            }
        }
    }

    /// Engagement pods: every member likes the other members' posts soon after publication.
    fn pod_likes(&mut self) {
        let pp = &self.p.pods;
        for (k, members) in self.pods.clone().iter().enumerate() {
            let mut rng = self.rng(phase::PODS, k as u64);
            let compliance: Vec<f64> = members
                .iter()
                .map(|_| uniform(&mut rng, pp.compliance_min, pp.compliance_max))
                .collect();
            for &author in members {
                for post in self.creator_posts[author as usize].clone() {
                    let published = self.posts[post as usize].published;
                    for (j, &m) in members.iter().enumerate() {
                        if m == author || rng.random::<f64>() >= compliance[j] {
                            continue;
                        }
                        let d = lognormal(&mut rng, pp.delay_median_minutes, pp.delay_sigma).clamp(
                            pp.delay_min_minutes,
                            pp.delay_max_minutes.max(pp.delay_min_minutes),
                        );
                        let mut t = published + ms(d * MINUTE as f64);
                        let offset = self.acc[m as usize].offset;
                        if asleep(t, offset) {
                            if rng.random::<f64>() >= pp.catch_up_share {
                                continue;
                            }
                            t = next_awake(t, offset) + ms(lognormal(&mut rng, 20.0 * MINUTE as f64, 0.8));
                        }
                        self.push(m, post, t);
                    }
                }
            }
        }
    }

    /// "N likes per post": every new post of a client gets a drip of N likes from the pool.
    fn subscriptions(&mut self) {
        let sp = &self.p.subscriptions;
        for (k, clients) in self.subs.clone().iter().enumerate() {
            if clients.is_empty() {
                continue;
            }
            let mut rng = self.rng(phase::SUBS, k as u64);
            let g = self.add_group(GroupKey::Sub(k as u32 + 1));
            let n_base = uniform_int(&mut rng, sp.likes_per_post_min, sp.likes_per_post_max);
            let factor = uniform(&mut rng, sp.pool_factor_min, sp.pool_factor_max);
            let size = ((n_base as f64 * (1.0 + sp.variation) * factor).ceil() as usize).max(1);
            let mut pool = Vec::with_capacity(size);
            for _ in 0..size {
                let offset = self.draw_offset(&mut rng);
                let join = self.start - rng.random_range(DAY..365 * DAY);
                let b = self.new_account(Role::SubscriptionBot, offset, join, false);
                self.acc[b as usize].group = Some(g);
                pool.push(b);
            }
            let mut delivered = vec![0u32; pool.len()];
            for &c in clients {
                for post in self.creator_posts[c as usize].clone() {
                    if self.posts[post as usize].kind != PostKind::Subscription {
                        continue;
                    }
                    let published = self.posts[post as usize].published;
                    let n = (n_base as f64 * uniform(&mut rng, 1.0 - sp.variation, 1.0 + sp.variation))
                        .round()
                        .max(1.0) as usize;
                    let n = n.min(pool.len());
                    let begin = published
                        + ms(lognormal(&mut rng, sp.delay_median_minutes * MINUTE as f64, 0.6)).max(10_000);
                    let spread = sp.spread_minutes * MINUTE as f64;
                    let served: Vec<u32> = pool.sample(&mut rng, n).copied().collect();
                    for b in served {
                        let t =
                            begin + ms(uniform(&mut rng, 0.0, spread)) + ms(exponential(&mut rng, 10_000.0));
                        self.push(b, post, t);
                        delivered[(b - pool[0]) as usize] += 1;
                    }
                }
            }
            for (j, &b) in pool.iter().enumerate() {
                let n = poisson(
                    &mut rng,
                    camouflage_rate(sp.camouflage_mean, sp.camouflage_share, delivered[j]),
                );
                self.camouflage(&mut rng, b, n, 3.0, false, sp.camouflage_random_share);
            }
        }
    }

    /// Topical communities: ordinary people of one topic who like (or follow) a handful of
    /// related creators of that topic closely, at their own pace. Members keep role `organic`
    /// and get group `community-<k>`.
    fn communities(&mut self) {
        let cp = &self.p.communities;
        if cp.is_absent() || self.n_creators == 0 {
            return;
        }
        let mut rng = self.rng(phase::COMMUNITY, 0);
        let topic_alias = Alias::new(&self.topic_weights);
        let free = |a: &Acc| a.role == Role::Organic && !a.heavy && a.group.is_none();
        let mut topic_users: Vec<Vec<u32>> = vec![Vec::new(); self.topic_weights.len()];
        for i in self.n_creators..self.acc.len() {
            let a = &self.acc[i];
            if !a.human {
                continue;
            }
            for f in 0..a.n_favs as usize {
                let t = a.favs[f] as usize;
                if topic_users[t].last() != Some(&(i as u32)) {
                    topic_users[t].push(i as u32);
                }
            }
        }
        let mut plans: Vec<(u32, Vec<u32>, Vec<u32>)> = Vec::new();
        for k in 0..cp.count {
            let topic = topic_alias.sample(&mut rng);
            // Related creators: of this topic, with posts, not pod members or subscription
            // clients; the more popular the likelier.
            let pool: Vec<u32> = self.topic_creators[topic]
                .iter()
                .copied()
                .filter(|&c| {
                    self.acc[c as usize].role == Role::Organic
                        && self.sub_start[c as usize].is_none()
                        && !self.creator_posts[c as usize].is_empty()
                })
                .collect();
            if pool.is_empty() {
                continue;
            }
            let n_c = uniform_int(&mut rng, cp.creators_min.max(1), cp.creators_max).min(pool.len());
            let w: Vec<f64> = pool.iter().map(|&c| self.pop[c as usize]).collect();
            let al = Alias::new(&w);
            let mut creators: Vec<u32> = Vec::with_capacity(n_c);
            let mut tries = 0;
            while creators.len() < n_c && tries < 100 * n_c {
                tries += 1;
                let c = pool[al.sample(&mut rng)];
                if !creators.contains(&c) {
                    creators.push(c);
                }
            }
            let n_m = uniform_int(&mut rng, cp.members_min, cp.members_max);
            let mut members: Vec<u32> = topic_users[topic]
                .iter()
                .copied()
                .filter(|&i| free(&self.acc[i as usize]))
                .collect();
            members.shuffle(&mut rng);
            members.truncate(n_m);
            let mut tries = 0;
            while members.len() < n_m && tries < 100 * n_m && self.acc.len() > self.n_creators {
                tries += 1;
                let i = rng.random_range(self.n_creators..self.acc.len());
                let a = &self.acc[i];
                if a.human && free(a) && !members.contains(&(i as u32)) {
                    members.push(i as u32);
                }
            }
            if members.is_empty() {
                continue;
            }
            let g = self.add_group(GroupKey::Community(k as u32 + 1));
            for &m in &members {
                self.acc[m as usize].group = Some(g);
            }
            plans.push((k as u32, creators, members));
        }
        for (k, creators, members) in plans {
            let mut rng = self.rng(phase::COMMUNITY, 1 + k as u64);
            for &m in &members {
                let a = self.acc[m as usize];
                let share = uniform(&mut rng, cp.share_min, cp.share_max);
                let med =
                    uniform(&mut rng, cp.delay_median_min_hours, cp.delay_median_max_hours) * HOUR as f64;
                for &c in &creators {
                    if c == m {
                        continue;
                    }
                    for post in self.creator_posts[c as usize].clone() {
                        if rng.random::<f64>() >= share {
                            continue;
                        }
                        let t = if self.follow {
                            rhythmic_uniform(&mut rng, a.join.max(self.start), self.end, a.offset, 12)
                        } else {
                            let published = self.posts[post as usize].published;
                            rhythmic_time(&mut rng, published, a.offset, med, cp.delay_sigma, 12)
                        };
                        if t >= a.join {
                            self.push(m, post, t);
                        }
                    }
                }
            }
        }
    }

    /// With `truth_heavy_group`, heavy users get group `heavy` (role stays organic).
    fn mark_heavy(&mut self) {
        if !self.p.truth_heavy_group || !self.acc.iter().any(|a| a.heavy) {
            return;
        }
        let g = self.add_group(GroupKey::Heavy);
        for a in self.acc.iter_mut().filter(|a| a.heavy) {
            a.group = Some(g);
        }
    }

    /// Clip, deduplicate, name, sort, count.
    fn finish(mut self) -> World {
        let (start, end) = (self.start, self.end);

        // Opaque names: distinct random numbers in random order. Ids are then renumbered to
        // follow the names, so that sorting by id is sorting by name.
        let mut rng = self.rng(phase::NAMES, 0);
        let acc_num = random_numbers(&mut rng, self.acc.len());
        let post_num = random_numbers(&mut rng, self.posts.len());
        let acc_width = width(self.acc.len(), 7);
        let post_width = width(self.posts.len(), 8);
        let group_names: Vec<String> = self
            .groups
            .iter()
            .map(|k| match *k {
                GroupKey::Fandom(c) => format!("fandom-u{:0acc_width$}", acc_num[c as usize]),
                GroupKey::Farm(n) => format!("farm-{n}"),
                GroupKey::Click(n) => format!("clicknet-{n}"),
                GroupKey::Pod(n) => format!("pod-{n}"),
                GroupKey::Sub(n) => format!("sub-{n}"),
                GroupKey::Community(n) => format!("community-{n}"),
                GroupKey::Heavy => "heavy".to_string(),
            })
            .collect();
        let acc_new = ranks(&acc_num);
        let post_new = ranks(&post_num);
        let account_names: Vec<String> = sorted(&acc_num)
            .iter()
            .map(|n| format!("u{n:0acc_width$}"))
            .collect();
        let post_names: Vec<String> = sorted(&post_num)
            .iter()
            .map(|n| format!("p{n:0post_width$}"))
            .collect();
        self.acc = permute(&self.acc, &acc_new);
        self.posts = permute(&self.posts, &post_new);
        for x in self.posts.iter_mut() {
            x.author = acc_new[x.author as usize];
        }

        let before = self.likes.len();
        let mut likes = std::mem::take(&mut self.likes);
        likes.retain(|l| l.time < end);
        let likes_after_end = before - likes.len();
        likes.retain(|l| l.time >= start);
        likes.par_iter_mut().for_each(|l| {
            l.time = round_s(l.time);
            l.account = acc_new[l.account as usize];
            l.post = post_new[l.post as usize];
        });
        likes.par_sort_unstable_by_key(|l| (l.account, l.post, l.time));
        let n0 = likes.len();
        likes.dedup_by(|b, a| a.account == b.account && a.post == b.post);
        let duplicates_merged = n0 - likes.len();
        likes.par_sort_unstable_by_key(|l| (l.time, l.account, l.post));

        // Time precision as written (the truth keeps the exact time): a hash of (seed, row)
        // decides, so that the choice needs no stream and does not depend on threads.
        let (day_share, hour_share) = (self.p.date_only_share, self.p.hour_rounded_share);
        let precision = |row: usize| {
            if day_share <= 0.0 && hour_share <= 0.0 {
                return TimePrecision::Second;
            }
            let u = unit(self.seed, phase::PRECISION, row as u64);
            if u < day_share {
                TimePrecision::Day
            } else if u < day_share + hour_share {
                TimePrecision::Hour
            } else {
                TimePrecision::Second
            }
        };
        let mut post_likes = vec![0u32; self.posts.len()];
        let mut exported = vec![false; self.acc.len()];
        let mut given = vec![0usize; self.acc.len()];
        let out: Vec<SynthLike> = likes
            .iter()
            .enumerate()
            .map(|(row, l)| {
                let author = self.posts[l.post as usize].author;
                post_likes[l.post as usize] += 1;
                exported[l.account as usize] = true;
                exported[author as usize] = true;
                given[l.account as usize] += 1;
                SynthLike {
                    account: l.account,
                    post: l.post,
                    time_ms: l.time,
                    author,
                    precision: precision(row),
                }
            })
            .collect();
        drop(likes);

        let accounts: Vec<SynthAccount> = self
            .acc
            .iter()
            .enumerate()
            .map(|(i, a)| SynthAccount {
                role: a.role,
                group: a.group,
                exported: exported[i],
            })
            .collect();
        let posts: Vec<SynthPost> = self
            .posts
            .iter()
            .enumerate()
            .map(|(i, x)| SynthPost {
                author: x.author,
                published_ms: x.published,
                kind: x.kind,
                topic: x.topic,
                likes: post_likes[i],
            })
            .collect();

        let truth: Vec<TruthRow> = (0..accounts.len())
            .filter(|&i| accounts[i].exported)
            .map(|i| {
                let a = &accounts[i];
                TruthRow {
                    account_id: account_names[i].clone(),
                    role: a.role,
                    group: a
                        .group
                        .map(|g| group_names[g as usize].clone())
                        .unwrap_or_default(),
                }
            })
            .collect();

        // Stats.
        let mut stats = WorldStats {
            likes: out.len(),
            accounts: truth.len(),
            likers: given.iter().filter(|&&n| n > 0).count(),
            posts: post_likes.iter().filter(|&&n| n > 0).count(),
            authors: 0,
            accounts_generated: accounts.len(),
            posts_generated: posts.len(),
            likes_after_end,
            duplicates_merged,
            ..WorldStats::default()
        };
        let mut author_seen = vec![false; accounts.len()];
        for x in &posts {
            if x.likes > 0 {
                author_seen[x.author as usize] = true;
            }
        }
        stats.authors = author_seen.iter().filter(|&&b| b).count();
        stats.date_only_rows = out.iter().filter(|l| l.precision == TimePrecision::Day).count();
        stats.hour_rounded_rows = out.iter().filter(|l| l.precision == TimePrecision::Hour).count();
        for role in Role::ALL {
            let (mut n, mut l) = (0, 0);
            for (i, a) in accounts.iter().enumerate() {
                if a.exported && a.role == role {
                    n += 1;
                    l += given[i];
                }
            }
            stats.roles.push(RoleStat {
                role,
                accounts: n,
                likes: l,
            });
        }
        for kind in PostKind::ALL {
            let (mut n, mut l) = (0, 0);
            for x in &posts {
                if x.likes > 0 && x.kind == kind {
                    n += 1;
                    l += x.likes as usize;
                }
            }
            stats.post_kinds.push(KindStat {
                kind,
                posts: n,
                likes: l,
            });
        }
        let mut gstat: Vec<GroupStat> = group_names
            .iter()
            .map(|name| GroupStat {
                group: name.clone(),
                role: Role::Organic,
                accounts: 0,
                likes: 0,
            })
            .collect();
        for (i, a) in accounts.iter().enumerate() {
            if let Some(g) = a.group {
                let s = &mut gstat[g as usize];
                s.role = a.role;
                if a.exported {
                    s.accounts += 1;
                    s.likes += given[i];
                }
            }
        }
        stats.groups = gstat;

        World {
            start_ms: start,
            end_ms: end,
            account_names,
            accounts,
            post_names,
            posts,
            groups: group_names,
            likes: out,
            truth,
            stats,
        }
    }
}

/// A worker's pick-up time of a task list released at `release`: a lognormal delay (median
/// `pickup_delay_median_hours`) redrawn until it is within `spread` and at a waking hour of the
/// worker (accepted with the daily activity), the last draw clamped to the spread.
fn pickup_after_delay(
    rng: &mut ChaCha8Rng,
    release: i64,
    spread: i64,
    offset: i32,
    cp: &super::ClickParams,
) -> i64 {
    let median = cp.pickup_delay_median_hours * HOUR as f64;
    let sigma = if cp.pickup_delay_sigma > 0.0 {
        cp.pickup_delay_sigma
    } else {
        1.0
    };
    let mut t = release;
    for _ in 0..12 {
        let d = ms(lognormal(rng, median, sigma)).max(MINUTE);
        t = release + d.min(spread);
        if d <= spread && rng.random::<f64>() < super::sample::activity(t, offset) {
            return t;
        }
    }
    t
}

/// Poisson rate of camouflage likes: `mean`, plus `delivered · share / (1 − share)` so that
/// camouflage makes about `share` of an account's likes (exactly `mean` when share is 0).
fn camouflage_rate(mean: f64, share: f64, delivered: u32) -> f64 {
    if share > 0.0 {
        let s = share.min(0.95);
        mean + delivered as f64 * s / (1.0 - s)
    } else {
        mean
    }
}

/// For each value, its rank in ascending order (values are distinct).
fn ranks(values: &[u32]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_unstable_by_key(|&i| values[i as usize]);
    let mut rank = vec![0u32; values.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
    }
    rank
}

/// The values in ascending order.
fn sorted(values: &[u32]) -> Vec<u32> {
    let mut v = values.to_vec();
    v.sort_unstable();
    v
}

/// `out[new[i]] = items[i]`.
fn permute<T: Copy>(items: &[T], new: &[u32]) -> Vec<T> {
    let mut out: Vec<T> = items.to_vec();
    for (i, x) in items.iter().enumerate() {
        out[new[i] as usize] = *x;
    }
    out
}

/// Digits for `n` ids: at least `min`, and ten times more numbers than ids.
fn width(n: usize, min: usize) -> usize {
    let mut w = 1;
    let mut cap = 10usize;
    while cap < n.saturating_mul(10) {
        cap = cap.saturating_mul(10);
        w += 1;
    }
    w.max(min)
}

/// `n` distinct random numbers below 10^width(n), in random order.
fn random_numbers<R: Rng + ?Sized>(rng: &mut R, n: usize) -> Vec<u32> {
    // Sparse but collision-free: a random permutation of n slots, each slot a block of
    // `stride` numbers with a random offset inside.
    let w = width(n, 1).min(9);
    let space = 10u64.pow(w as u32);
    let stride = (space / n.max(1) as u64).max(1);
    let mut slots: Vec<u32> = (0..n as u32).collect();
    slots.shuffle(rng);
    slots
        .into_iter()
        .map(|s| (s as u64 * stride + rng.random_range(0..stride)) as u32)
        .collect()
}
