//! Comment worlds (`lockstep synth --comments`): an organic comment section with planted
//! comment farms, for the text stage ([`crate::comments`]).
//!
//! **Organic.** Creators post over the span; each organic account follows a few creators
//! (chosen by popularity) and comments on their posts a heavy-tailed number of times, a
//! log-normal delay after publication (median `delay_median_hours`). Its texts mix the short
//! universal comments everybody writes ("nice", "first", "wow", "❤️❤️", "😂", with their
//! own case, punctuation and emoji), common phrases ("happy birthday", "what song is this"),
//! each creator's catchphrases ("love you <creator>") and personal text (words drawn from a
//! Zipf vocabulary). Look-alikes: **fandoms** of popular creators (fans comment on nearly every
//! post within minutes, using the creator's catchphrases), **universal crowds** (accounts that
//! comment on every post of a creator with nothing but universal comments and emoji) and
//! **viral posts** (a share of everybody comments, mostly universal comments).
//!
//! **Comment farms.** A business gives its workers a few suggested texts (`templates`); each
//! worker comments on a share of its clients' posts, each time a variant of one of them —
//! case, punctuation and emoji changed, two words swapped or a clause moved, sometimes one
//! word replaced — a delay drawn uniformly over hours after publication (so their timing is
//! that of an ordinary audience), and keeps an ordinary life of organic comments.
//!
//! Every size and behaviour is drawn from the ranges in [`CommentParams::for_seed`]; the same
//! parameters and seed give byte-identical files. Truth: farm workers have role
//! `click_worker` (human click-work; group `commentfarm-<k>`), fans and crowd members role
//! `fan` (groups `fandom-<creator>`, `crowd-<creator>`), everybody else `organic`.

use super::Role;
use super::sample::{Alias, DAY, HOUR, MINUTE, lognormal, poisson, stream, uniform, uniform_int};
use rand::RngExt;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// The parameters of a comment world.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommentParams {
    /// Days covered.
    pub days: f64,
    /// Creators.
    pub creators: usize,
    /// Mean posts per creator over the span.
    pub posts_per_creator: f64,
    /// Organic commenting accounts.
    pub accounts: usize,
    /// Median comments per organic account (log-normal, σ = 1).
    pub comments_median: f64,
    /// Median delay of an organic comment after publication, hours (log-normal, σ = 1.3).
    pub delay_median_hours: f64,
    /// Shares of organic texts: universal short comments, common phrases, catchphrases of the
    /// creator (personal text is the rest).
    pub universal_share: f64,
    /// See `universal_share`.
    pub phrase_share: f64,
    /// See `universal_share`.
    pub catchphrase_share: f64,
    /// Fandoms (of the most popular creators) and fans in each.
    pub fandoms: usize,
    /// See `fandoms`.
    pub fans: (usize, usize),
    /// Universal crowds and accounts in each.
    pub crowds: usize,
    /// See `crowds`.
    pub crowd_size: (usize, usize),
    /// Viral posts, and the share of accounts commenting on each.
    pub viral_posts: usize,
    /// See `viral_posts`.
    pub viral_share: f64,
    /// Comment farms.
    pub farms: usize,
    /// Workers per farm.
    pub farm_size: (usize, usize),
    /// Client creators per farm.
    pub clients: (usize, usize),
    /// Suggested texts per farm.
    pub templates: (usize, usize),
    /// Share of the clients' posts each worker comments on.
    pub coverage: (f64, f64),
    /// Delay of a worker's comment after publication, hours (uniform in the range).
    pub farm_delay_hours: (f64, f64),
    /// Chance that a variant replaces one word of its template.
    pub word_swap: f64,
    /// Median organic comments of a worker (its ordinary life).
    pub worker_life_median: f64,
}

impl Default for CommentParams {
    fn default() -> Self {
        CommentParams {
            days: 14.0,
            creators: 200,
            posts_per_creator: 7.0,
            accounts: 5_000,
            comments_median: 3.0,
            delay_median_hours: 2.0,
            universal_share: 0.35,
            phrase_share: 0.08,
            catchphrase_share: 0.07,
            fandoms: 3,
            fans: (100, 250),
            crowds: 2,
            crowd_size: (20, 40),
            viral_posts: 10,
            viral_share: 0.04,
            farms: 2,
            farm_size: (10, 30),
            clients: (2, 6),
            templates: (3, 8),
            coverage: (0.4, 0.9),
            farm_delay_hours: (0.2, 14.0),
            word_swap: 0.35,
            worker_life_median: 6.0,
        }
    }
}

impl CommentParams {
    /// A randomised world for `seed`: every size and behaviour drawn from a range; with
    /// `farms` false, no farm is planted (anything flagged is a false positive).
    pub fn for_seed(seed: u64, farms: bool) -> Self {
        let mut rng = stream(seed, 901, 0);
        let lo_hi = |rng: &mut rand::rngs::ChaCha8Rng, a: usize, b: usize| {
            let x = uniform_int(rng, a, b);
            let y = uniform_int(rng, a, b);
            (x.min(y), x.max(y))
        };
        CommentParams {
            days: uniform(&mut rng, 7.0, 21.0).round(),
            creators: uniform_int(&mut rng, 120, 300),
            posts_per_creator: uniform(&mut rng, 4.0, 10.0),
            accounts: uniform_int(&mut rng, 3_000, 8_000),
            comments_median: uniform(&mut rng, 2.0, 5.0),
            delay_median_hours: uniform(&mut rng, 0.5, 6.0),
            universal_share: uniform(&mut rng, 0.25, 0.5),
            phrase_share: uniform(&mut rng, 0.03, 0.12),
            catchphrase_share: uniform(&mut rng, 0.03, 0.12),
            fandoms: uniform_int(&mut rng, 1, 4),
            fans: lo_hi(&mut rng, 60, 300),
            crowds: uniform_int(&mut rng, 1, 3),
            crowd_size: lo_hi(&mut rng, 15, 50),
            viral_posts: uniform_int(&mut rng, 3, 15),
            viral_share: uniform(&mut rng, 0.02, 0.08),
            farms: if farms { uniform_int(&mut rng, 1, 3) } else { 0 },
            farm_size: lo_hi(&mut rng, 8, 40),
            clients: lo_hi(&mut rng, 1, 6),
            templates: lo_hi(&mut rng, 2, 8),
            coverage: {
                let a = uniform(&mut rng, 0.2, 0.9);
                let b = uniform(&mut rng, 0.2, 0.9);
                (a.min(b), a.max(b))
            },
            farm_delay_hours: (uniform(&mut rng, 0.1, 1.0), uniform(&mut rng, 6.0, 24.0)),
            word_swap: uniform(&mut rng, 0.1, 0.5),
            worker_life_median: uniform(&mut rng, 2.0, 12.0),
        }
    }
}

/// One comment of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthComment {
    /// Commenting account (index into `account_names`).
    pub account: u32,
    /// Post (index into `post_names`).
    pub post: u32,
    /// Time, ms (whole seconds).
    pub time_ms: i64,
    /// The text.
    pub text: String,
}

/// A generated comment world.
#[derive(Debug, Clone, PartialEq)]
pub struct CommentWorld {
    /// Account names (random numbers: neither name nor order says anything about a role).
    pub account_names: Vec<String>,
    /// Roles by account.
    pub roles: Vec<Role>,
    /// Groups by account ("" for none).
    pub groups: Vec<String>,
    /// Post names.
    pub post_names: Vec<String>,
    /// Author (creator name) of each post.
    pub post_authors: Vec<String>,
    /// Comments, by time (ties by account, post, text).
    pub comments: Vec<SynthComment>,
    /// The farms' templates, by farm.
    pub templates: Vec<Vec<String>>,
}

/// Farms' clients are drawn among this many of the most popular creators (after the fandoms'
/// and crowds').
const CLIENT_POOL: usize = 40;

const UNIVERSAL: [&str; 30] = [
    "nice",
    "first",
    "wow",
    "❤️❤️",
    "😂",
    "🔥🔥🔥",
    "love it",
    "so cute",
    "amazing",
    "lol",
    "omg",
    "beautiful",
    "cool",
    "yes",
    "👏👏",
    "😍",
    "great video",
    "so true",
    "haha",
    "love this",
    "me",
    "same",
    "wow amazing",
    "nice video",
    "🙌",
    "who else is here",
    "lets go",
    "so good",
    "best",
    "❤️",
];

const PHRASES: [&str; 16] = [
    "happy birthday",
    "congratulations",
    "what song is this",
    "where is this place",
    "can you do a tutorial",
    "this made my day",
    "i needed this today",
    "underrated",
    "who is watching in 2024",
    "the ending though",
    "i can't stop watching",
    "tell me you are joking",
    "this is so relatable",
    "can't wait for part 2",
    "you deserve more followers",
    "this is art",
];

const EMOJI: [&str; 10] = ["😍", "🔥", "❤️", "👏", "💯", "✨", "🙌", "😊", "👌", "💕"];

const PROMO: [&str; 24] = [
    "order",
    "shop",
    "link",
    "bio",
    "discount",
    "code",
    "free",
    "shipping",
    "quality",
    "recommend",
    "product",
    "results",
    "skin",
    "delivery",
    "price",
    "amazing",
    "best",
    "ever",
    "tried",
    "love",
    "arrived",
    "fast",
    "works",
    "check",
];

const SYNONYMS: [(&str, &str); 10] = [
    ("shop", "store"),
    ("amazing", "incredible"),
    ("best", "greatest"),
    ("fast", "quick"),
    ("order", "buy"),
    ("love", "adore"),
    ("product", "item"),
    ("price", "deal"),
    ("works", "helps"),
    ("check", "visit"),
];

/// A vocabulary of pseudo-words from syllables, and Zipf weights over it.
fn vocabulary(seed: u64, n: usize) -> Vec<String> {
    const SYL: [&str; 24] = [
        "ka", "lo", "mi", "ra", "ne", "to", "su", "vi", "da", "po", "le", "shi", "ba", "mo", "ri", "tu",
        "ze", "fa", "go", "hu", "an", "el", "or", "is",
    ];
    let mut rng = stream(seed, 902, 0);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let k = uniform_int(&mut rng, 1, 3);
        let w: String = (0..k).map(|_| *SYL.choose(&mut rng).unwrap_or(&"ka")).collect();
        if seen.insert(w.clone()) {
            out.push(w);
        }
    }
    out
}

/// Light variation as people retype a short text: case, punctuation, emoji.
fn retype(rng: &mut rand::rngs::ChaCha8Rng, text: &str) -> String {
    let mut t = match rng.random_range(0..6) {
        0 => text.to_uppercase(),
        1 => {
            let mut c = text.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        }
        _ => text.to_string(),
    };
    match rng.random_range(0..6) {
        0 => t.push('!'),
        1 => t.push_str("!!!"),
        2 => t.push_str(" 😂"),
        3 => {
            t.push(' ');
            t.push_str(EMOJI.choose(rng).unwrap_or(&"❤️"));
        }
        _ => {}
    }
    t
}

/// A worker's variant of a template: case, punctuation, emoji, word order, one word.
fn variant(rng: &mut rand::rngs::ChaCha8Rng, template: &str, vocab: &[String], word_swap: f64) -> String {
    let mut words: Vec<String> = template.split_whitespace().map(str::to_string).collect();
    if words.len() >= 4 && rng.random::<f64>() < 0.35 {
        let i = rng.random_range(0..words.len() - 1);
        words.swap(i, i + 1);
    }
    if words.len() >= 6 && rng.random::<f64>() < 0.25 {
        let k = rng.random_range(2..4);
        words.rotate_left(k);
    }
    if rng.random::<f64>() < word_swap && !words.is_empty() {
        let i = rng.random_range(0..words.len());
        let w = words[i].to_lowercase();
        words[i] = match SYNONYMS.iter().find(|(a, b)| *a == w || *b == w) {
            Some((a, b)) => if *a == w { b } else { a }.to_string(),
            None => vocab.choose(rng).cloned().unwrap_or_default(),
        };
    }
    let mut t = words.join(" ");
    match rng.random_range(0..4) {
        0 => t = t.to_lowercase(),
        1 => t = t.to_uppercase(),
        _ => {}
    }
    match rng.random_range(0..5) {
        0 => t.push('!'),
        1 => t.push_str("!!"),
        2 => t.push('.'),
        _ => {}
    }
    let emoji = rng.random_range(0..4);
    for _ in 0..emoji {
        t.push(' ');
        t.push_str(EMOJI.choose(rng).unwrap_or(&"🔥"));
    }
    t
}

/// Generate the world for `params` and `seed`.
pub fn generate(params: &CommentParams, seed: u64) -> CommentWorld {
    let p = params;
    let mut rng = stream(seed, 903, 0);
    let start = 1_704_067_200_000i64; // 2024-01-01T00:00:00Z
    let span = (p.days * DAY as f64) as i64;
    let end = start + span;
    let vocab = vocabulary(seed, 3_000);
    let zipf: Vec<f64> = (0..vocab.len())
        .map(|i| 1.0 / ((i + 1) as f64).powf(1.05))
        .collect();
    let word_alias = Alias::new(&zipf);
    // Creators, their popularity, posts and catchphrases.
    let n_creators = p.creators.max(1);
    let popularity: Vec<f64> = (0..n_creators)
        .map(|i| 1.0 / ((i + 1) as f64).powf(0.9))
        .collect();
    let creator_alias = Alias::new(&popularity);
    let creator_names: Vec<String> = (0..n_creators)
        .map(|_| vocab.choose(&mut rng).cloned().unwrap_or_default())
        .collect();
    let mut posts: Vec<(u32, i64)> = Vec::new(); // (creator, published)
    let mut creator_posts: Vec<Vec<u32>> = vec![Vec::new(); n_creators];
    for (c, mine) in creator_posts.iter_mut().enumerate() {
        let n = 1 + poisson(&mut rng, p.posts_per_creator - 1.0) as usize;
        for _ in 0..n {
            let t = start + (uniform(&mut rng, 0.0, 0.9) * span as f64) as i64;
            mine.push(posts.len() as u32);
            posts.push((c as u32, t / 1000 * 1000));
        }
    }
    let catchphrases: Vec<Vec<String>> = creator_names
        .iter()
        .map(|name| {
            vec![
                format!("love you {name}"),
                format!("{name} never misses"),
                format!("{name} queen 👑"),
            ]
        })
        .collect();
    let mut roles: Vec<Role> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut comments: Vec<SynthComment> = Vec::new();
    let delay = |rng: &mut rand::rngs::ChaCha8Rng, median_h: f64| {
        (lognormal(rng, median_h * HOUR as f64, 1.3)) as i64
    };
    let personal = |rng: &mut rand::rngs::ChaCha8Rng| {
        let n = (lognormal(rng, 7.0, 0.6).round() as usize).clamp(3, 25);
        let words: Vec<&str> = (0..n).map(|_| vocab[word_alias.sample(rng)].as_str()).collect();
        words.join(" ")
    };
    let organic_text = |rng: &mut rand::rngs::ChaCha8Rng, creator: usize| -> String {
        let u = rng.random::<f64>();
        if u < p.universal_share {
            let i = (rng.random::<f64>().powi(2) * UNIVERSAL.len() as f64) as usize;
            retype(rng, UNIVERSAL[i])
        } else if u < p.universal_share + p.phrase_share {
            let t = *PHRASES.choose(rng).unwrap_or(&"this is art");
            retype(rng, t)
        } else if u < p.universal_share + p.phrase_share + p.catchphrase_share {
            let t = catchphrases[creator].choose(rng).cloned().unwrap_or_default();
            retype(rng, &t)
        } else {
            personal(rng)
        }
    };
    let clip = |t: i64| t.min(end - 1000) / 1000 * 1000;
    // Organic accounts.
    let add = |roles: &mut Vec<Role>, groups: &mut Vec<String>, role: Role, group: String| {
        roles.push(role);
        groups.push(group);
        roles.len() as u32 - 1
    };
    let organic_life =
        |rng: &mut rand::rngs::ChaCha8Rng, a: u32, median: f64, comments: &mut Vec<SynthComment>| {
            let follows = 1 + poisson(rng, 2.0) as usize;
            let creators: Vec<usize> = (0..follows).map(|_| creator_alias.sample(rng)).collect();
            let n = (lognormal(rng, median, 1.0).round() as usize).clamp(1, 150);
            for _ in 0..n {
                let c = *creators.choose(rng).unwrap_or(&0);
                let Some(&post) = creator_posts[c].choose(rng) else {
                    continue;
                };
                let t = posts[post as usize].1 + delay(rng, p.delay_median_hours);
                if t >= end {
                    continue;
                }
                comments.push(SynthComment {
                    account: a,
                    post,
                    time_ms: clip(t),
                    text: organic_text(rng, c),
                });
            }
        };
    for _ in 0..p.accounts {
        let a = add(&mut roles, &mut groups, Role::Organic, String::new());
        organic_life(&mut rng, a, p.comments_median, &mut comments);
    }
    // Fandoms of the most popular creators: nearly every post, within minutes.
    for f in 0..p.fandoms.min(n_creators) {
        let n = uniform_int(&mut rng, p.fans.0, p.fans.1);
        let group = format!("fandom-{}", creator_names[f]);
        for _ in 0..n {
            let a = add(&mut roles, &mut groups, Role::Fan, group.clone());
            // As the fans of `lockstep synth`'s presets: each its own share of the posts and
            // its own median delay of minutes (log-normal, σ = 1).
            let loyalty = uniform(&mut rng, 0.3, 0.9);
            let median = uniform(&mut rng, 4.0, 12.0) * MINUTE as f64;
            for &post in &creator_posts[f] {
                if rng.random::<f64>() > loyalty {
                    continue;
                }
                let t = posts[post as usize].1 + (lognormal(&mut rng, median, 1.0)) as i64;
                if t >= end {
                    continue;
                }
                let text = if rng.random::<f64>() < 0.3 {
                    let phrase = catchphrases[f].choose(&mut rng).cloned().unwrap_or_default();
                    retype(&mut rng, &phrase)
                } else {
                    organic_text(&mut rng, f)
                };
                comments.push(SynthComment {
                    account: a,
                    post,
                    time_ms: clip(t),
                    text,
                });
            }
            organic_life(&mut rng, a, 2.0, &mut comments);
        }
    }
    // Universal crowds: every post of a creator, nothing but universal comments.
    for k in 0..p.crowds {
        let c = (p.fandoms + k).min(n_creators - 1);
        let n = uniform_int(&mut rng, p.crowd_size.0, p.crowd_size.1);
        let group = format!("crowd-{}", creator_names[c]);
        for _ in 0..n {
            let a = add(&mut roles, &mut groups, Role::Fan, group.clone());
            for &post in &creator_posts[c] {
                if rng.random::<f64>() > 0.85 {
                    continue;
                }
                for _ in 0..uniform_int(&mut rng, 1, 2) {
                    let t = posts[post as usize].1 + delay(&mut rng, 1.0);
                    if t >= end {
                        continue;
                    }
                    let u = *UNIVERSAL.choose(&mut rng).unwrap_or(&"nice");
                    let text = retype(&mut rng, u);
                    comments.push(SynthComment {
                        account: a,
                        post,
                        time_ms: clip(t),
                        text,
                    });
                }
            }
        }
    }
    // Viral posts: a share of everybody, mostly universal comments.
    let n_accounts_so_far = roles.len();
    for _ in 0..p.viral_posts {
        let post = rng.random_range(0..posts.len()) as u32;
        let creator = posts[post as usize].0 as usize;
        for a in 0..n_accounts_so_far as u32 {
            if rng.random::<f64>() >= p.viral_share {
                continue;
            }
            let t = posts[post as usize].1 + delay(&mut rng, 3.0);
            if t >= end {
                continue;
            }
            let text = if rng.random::<f64>() < 0.7 {
                let u = *UNIVERSAL.choose(&mut rng).unwrap_or(&"wow");
                retype(&mut rng, u)
            } else {
                organic_text(&mut rng, creator)
            };
            comments.push(SynthComment {
                account: a,
                post,
                time_ms: clip(t),
                text,
            });
        }
    }
    // Comment farms.
    let mut templates = Vec::new();
    for k in 0..p.farms {
        let n_templates = uniform_int(&mut rng, p.templates.0, p.templates.1);
        let farm_templates: Vec<String> = (0..n_templates)
            .map(|_| {
                let n = uniform_int(&mut rng, 6, 13);
                let brand = vocab[rng.random_range(0..vocab.len())].clone();
                let mut words: Vec<String> = (0..n)
                    .map(|i| {
                        if i == n / 2 {
                            brand.clone()
                        } else if rng.random::<f64>() < 0.5 {
                            PROMO.choose(&mut rng).unwrap_or(&"shop").to_string()
                        } else {
                            vocab[word_alias.sample(&mut rng)].clone()
                        }
                    })
                    .collect();
                words.dedup();
                words.join(" ")
            })
            .collect();
        // Clients: popular creators (their posts have large organic audiences of their own),
        // not the fandoms' or crowds'.
        let n_clients = uniform_int(&mut rng, p.clients.0, p.clients.1);
        let first = (p.fandoms + p.crowds).min(n_creators - 1);
        let pool: Vec<usize> = (first..n_creators.min(first + CLIENT_POOL)).collect();
        let clients: Vec<usize> = pool
            .sample(&mut rng, n_clients.min(pool.len()))
            .copied()
            .collect();
        let client_posts: Vec<u32> = clients
            .iter()
            .flat_map(|&c| creator_posts[c].iter().copied())
            .collect();
        let size = uniform_int(&mut rng, p.farm_size.0, p.farm_size.1);
        let group = format!("commentfarm-{}", k + 1);
        for _ in 0..size {
            let a = add(&mut roles, &mut groups, Role::ClickWorker, group.clone());
            let coverage = uniform(&mut rng, p.coverage.0, p.coverage.1);
            // Every worker works: at least two of the clients' posts (a worker who never
            // wrote a suggested text is not part of the farm the data can show).
            let mut tasks: Vec<u32> = client_posts
                .iter()
                .copied()
                .filter(|_| rng.random::<f64>() <= coverage)
                .collect();
            let early: Vec<u32> = client_posts
                .iter()
                .copied()
                .filter(|&q| posts[q as usize].1 < end - DAY)
                .collect();
            for &post in early.sample(&mut rng, 2.min(early.len())) {
                if !tasks.contains(&post) {
                    tasks.push(post);
                }
            }
            tasks.sort_unstable();
            for &post in &tasks {
                let h = uniform(&mut rng, p.farm_delay_hours.0, p.farm_delay_hours.1);
                let t = posts[post as usize].1 + (h * HOUR as f64) as i64;
                if t >= end {
                    continue;
                }
                let template = farm_templates.choose(&mut rng).cloned().unwrap_or_default();
                let text = variant(&mut rng, &template, &vocab, p.word_swap);
                comments.push(SynthComment {
                    account: a,
                    post,
                    time_ms: clip(t),
                    text,
                });
            }
            organic_life(&mut rng, a, p.worker_life_median, &mut comments);
        }
        templates.push(farm_templates);
    }
    // Names: random numbers, unique; ids follow name order.
    let names = |rng: &mut rand::rngs::ChaCha8Rng, n: usize, prefix: &str| {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let x: u64 = rng.random_range(10_000_000..100_000_000);
            if seen.insert(x) {
                out.push(format!("{prefix}{x}"));
            }
        }
        out
    };
    let account_names = names(&mut rng, roles.len(), "u");
    let mut post_names = names(&mut rng, posts.len(), "v");
    post_names.shuffle(&mut rng);
    comments.sort_by(|x, y| {
        (
            x.time_ms,
            &account_names[x.account as usize],
            &post_names[x.post as usize],
            &x.text,
        )
            .cmp(&(
                y.time_ms,
                &account_names[y.account as usize],
                &post_names[y.post as usize],
                &y.text,
            ))
    });
    let author_names = names(&mut rng, n_creators, "c");
    let post_authors = posts
        .iter()
        .map(|&(c, _)| author_names[c as usize].clone())
        .collect();
    CommentWorld {
        account_names,
        roles,
        groups,
        post_names,
        post_authors,
        comments,
        templates,
    }
}

/// Write `DIR/comments.csv` (account,post,time,author,text, by time), `DIR/truth.csv`
/// (account_id,role,group: every account that commented) and `DIR/params.json`.
pub fn write(world: &CommentWorld, params: &CommentParams, seed: u64, dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let tmp = |name: &str| dir.join(format!(".{name}.tmp"));
    {
        let mut w = csv::Writer::from_path(tmp("comments.csv"))?;
        w.write_record(["account", "post", "time", "author", "text"])?;
        for c in &world.comments {
            w.write_record([
                world.account_names[c.account as usize].as_str(),
                world.post_names[c.post as usize].as_str(),
                super::format_time_secs(c.time_ms).as_str(),
                world.post_authors[c.post as usize].as_str(),
                c.text.as_str(),
            ])?;
        }
        w.flush()?;
    }
    {
        let active: HashSet<u32> = world.comments.iter().map(|c| c.account).collect();
        let mut order: Vec<u32> = active.into_iter().collect();
        order.sort_by(|x, y| world.account_names[*x as usize].cmp(&world.account_names[*y as usize]));
        let mut w = io::BufWriter::new(fs::File::create(tmp("truth.csv"))?);
        w.write_all(b"account_id,role,group\n")?;
        for a in order {
            writeln!(
                w,
                "{},{},{}",
                world.account_names[a as usize], world.roles[a as usize], world.groups[a as usize]
            )?;
        }
        w.flush()?;
    }
    {
        let json = serde_json::json!({
            "generator": "lockstep synth --comments",
            "version": env!("CARGO_PKG_VERSION"),
            "seed": seed,
            "params": params,
            "comments": world.comments.len(),
            "templates": world.templates,
        });
        let text = serde_json::to_string_pretty(&json).map_err(io::Error::other)?;
        fs::write(tmp("params.json"), text + "\n")?;
    }
    for name in ["comments.csv", "truth.csv", "params.json"] {
        fs::rename(tmp(name), dir.join(name))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_planted_as_asked() {
        let p = CommentParams {
            accounts: 300,
            creators: 40,
            fans: (20, 30),
            crowd_size: (10, 12),
            ..CommentParams::default()
        };
        let w = generate(&p, 5);
        assert_eq!(generate(&p, 5), w);
        assert_ne!(generate(&p, 6).comments, w.comments);
        let workers = w.roles.iter().filter(|&&r| r == Role::ClickWorker).count();
        assert!((20..=60).contains(&workers), "{workers}");
        assert_eq!(w.templates.len(), 2);
        assert!(w.comments.is_sorted_by_key(|c| c.time_ms));
        let none = generate(
            &CommentParams {
                farms: 0,
                ..p.clone()
            },
            5,
        );
        assert!(none.roles.iter().all(|&r| r != Role::ClickWorker));
        // Variants keep most of their template's words.
        let mut rng = stream(1, 1, 1);
        let vocab = vocabulary(1, 50);
        let t = "best shop ever order at glowskin now please";
        for _ in 0..20 {
            let v = crate::comments::normalise::words(&variant(&mut rng, t, &vocab, 1.0));
            let base = crate::comments::normalise::words(t);
            let common = v.iter().filter(|x| base.contains(x)).count();
            assert!(common + 1 >= base.len(), "{v:?}");
        }
    }

    #[test]
    fn seeds_draw_different_worlds_within_the_ranges() {
        let a = CommentParams::for_seed(1, true);
        let b = CommentParams::for_seed(2, true);
        assert_ne!(a, b);
        for s in 0..20 {
            let p = CommentParams::for_seed(s, true);
            assert!((1..=3).contains(&p.farms));
            assert!(p.farm_size.0 <= p.farm_size.1 && p.farm_size.0 >= 8);
            assert_eq!(CommentParams::for_seed(s, false).farms, 0);
        }
    }
}
