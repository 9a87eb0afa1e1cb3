//! Tests of the synthetic world: determinism, preset shapes, invariants of the files.

use super::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

/// The small preset, generated once for all tests that only read it.
fn small() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| generate(&SynthParams::preset(Preset::Small), 42))
}

fn tiny() -> SynthParams {
    SynthParams::preset(Preset::Small).scaled(0.2)
}

fn role_count(w: &World, role: Role) -> usize {
    w.truth.iter().filter(|r| r.role == role).count()
}

#[test]
fn presets_parse_and_print() {
    for p in Preset::ALL {
        assert_eq!(p.to_string().parse::<Preset>().unwrap(), p);
        assert_eq!(SynthParams::preset(p).preset, p.name());
    }
    assert_eq!("SMALL".parse::<Preset>().unwrap(), Preset::Small);
    let e = "huge".parse::<Preset>().unwrap_err();
    assert!(e.contains("small, medium, large, null, stealth"), "{e}");
    for r in Role::ALL {
        assert_eq!(r.name().parse::<Role>().unwrap(), r);
    }
    assert!("robot".parse::<Role>().is_err());
}

#[test]
fn same_seed_same_world_other_seed_other_world() {
    let p = tiny();
    let a = generate(&p, 7);
    let b = generate(&p, 7);
    assert!(a == b, "same seed gave different worlds");
    let c = generate(&p, 8);
    assert_ne!(a.likes, c.likes);
    assert_ne!(a.account_names, c.account_names);
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn written_files_are_byte_identical_and_complete() {
    let p = tiny();
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write(&generate(&p, 3), &p, 3, d1.path()).unwrap();
    write(&generate(&p, 3), &p, 3, d2.path()).unwrap();
    for f in ["likes.csv", "truth.csv", "posts.csv", "params.json"] {
        assert_eq!(read(d1.path(), f), read(d2.path(), f), "{f} differs");
    }
    // No temporary files left behind.
    let names: Vec<String> = std::fs::read_dir(d1.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    let params: serde_json::Value = serde_json::from_slice(&read(d1.path(), "params.json")).unwrap();
    assert_eq!(params["preset"], "small");
    assert_eq!(params["seed"], 3);
    assert_eq!(params["params"]["farms"]["count"], p.farms.count);
    // Parameters round-trip.
    let back: SynthParams = serde_json::from_value(params["params"].clone()).unwrap();
    assert_eq!(back, p);
}

#[test]
fn small_preset_has_the_promised_shape() {
    let w = small();
    let s = &w.stats;
    assert!(
        (60_000..=90_000).contains(&w.likes.len()),
        "likes {}",
        w.likes.len()
    );
    for role in Role::ALL {
        assert!(role_count(w, role) > 0, "no {role}");
    }
    for prefix in ["farm-", "clicknet-", "pod-", "sub-", "fandom-"] {
        assert!(
            w.groups.iter().any(|g| g.starts_with(prefix)),
            "no {prefix} group"
        );
    }
    for kind in PostKind::ALL {
        let k = s.post_kinds.iter().find(|k| k.kind == kind).unwrap();
        assert!(k.posts > 0, "no {kind} post");
    }
    // Heavy users: a few organic accounts with ≥ 1000 likes.
    let mut given = vec![0usize; w.accounts.len()];
    for l in &w.likes {
        given[l.account as usize] += 1;
    }
    let heavy = (0..w.accounts.len())
        .filter(|&i| given[i] >= 900 && w.accounts[i].role == Role::Organic)
        .count();
    assert!(heavy >= 3, "heavy users {heavy}");
    // Heavy tail: most likers give few likes.
    let likers: Vec<usize> = given.iter().copied().filter(|&n| n > 0).collect();
    let few = likers.iter().filter(|&&n| n <= 5).count();
    assert!(few * 10 >= likers.len() * 4, "{few} of {}", likers.len());
    assert!(
        w.truth.len() >= 2000 && w.truth.len() <= 8000,
        "{}",
        w.truth.len()
    );
}

#[test]
fn small_likes_csv_is_under_five_megabytes() {
    let w = small();
    let p = SynthParams::preset(Preset::Small);
    let d = tempfile::tempdir().unwrap();
    write(w, &p, 42, d.path()).unwrap();
    let size = std::fs::metadata(d.path().join("likes.csv")).unwrap().len();
    assert!(size < 5_000_000, "likes.csv is {size} bytes");
    let text = String::from_utf8(read(d.path(), "likes.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("account,post,time,author"));
    assert_eq!(lines.count(), w.likes.len());
    let truth = String::from_utf8(read(d.path(), "truth.csv")).unwrap();
    let mut tl = truth.lines();
    assert_eq!(tl.next(), Some("account_id,role,group"));
    for line in tl {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 3, "{line}");
        let role: Role = f[1].parse().unwrap();
        assert_eq!(f[2].is_empty(), role == Role::Organic, "{line}");
    }
    let posts = String::from_utf8(read(d.path(), "posts.csv")).unwrap();
    assert!(posts.starts_with("post_id,author,published,kind\n"));
}

#[test]
fn invariants_hold() {
    let w = small();
    // Sorted by time, inside the span, whole seconds.
    for pair in w.likes.windows(2) {
        assert!(pair[0].time_ms <= pair[1].time_ms);
    }
    for l in &w.likes {
        assert!(l.time_ms >= w.start_ms && l.time_ms < w.end_ms);
        assert_eq!(l.time_ms % 1000, 0);
        assert_eq!(l.author, w.posts[l.post as usize].author);
        assert!(
            l.time_ms >= w.posts[l.post as usize].published_ms,
            "like before publication"
        );
        assert_ne!(l.account, l.author, "self-like");
    }
    // No (account, post) twice.
    let mut seen = HashSet::new();
    for l in &w.likes {
        assert!(seen.insert((l.account, l.post)), "duplicate like");
    }
    // Truth = exactly the accounts present in likes.csv (as liker or author).
    let mut present: HashSet<&str> = HashSet::new();
    for l in &w.likes {
        present.insert(&w.account_names[l.account as usize]);
        present.insert(&w.account_names[l.author as usize]);
    }
    let truth: HashSet<&str> = w.truth.iter().map(|r| r.account_id.as_str()).collect();
    assert_eq!(truth.len(), w.truth.len(), "duplicate truth row");
    assert_eq!(present, truth);
    // Sorted truth, opaque ids.
    for pair in w.truth.windows(2) {
        assert!(pair[0].account_id < pair[1].account_id);
    }
    let names: HashSet<&String> = w.account_names.iter().collect();
    assert_eq!(names.len(), w.account_names.len());
    let pnames: HashSet<&String> = w.post_names.iter().collect();
    assert_eq!(pnames.len(), w.post_names.len());
    for n in &w.account_names {
        assert!(n.starts_with('u') && n[1..].bytes().all(|b| b.is_ascii_digit()));
    }
    // Roles are not in id order: the bots' ids are spread over the id range.
    let mut bot_ranks = Vec::new();
    for (rank, r) in w.truth.iter().enumerate() {
        if r.role == Role::BotFarm {
            bot_ranks.push(rank as f64 / w.truth.len() as f64);
        }
    }
    let mean = bot_ranks.iter().sum::<f64>() / bot_ranks.len() as f64;
    assert!((0.35..0.65).contains(&mean), "bot ids cluster: mean rank {mean}");
}

#[test]
fn null_world_has_no_coordinated_accounts() {
    let p = SynthParams::preset(Preset::Null).scaled(0.05);
    assert!(p.is_null());
    let w = generate(&p, 1);
    assert!(w.truth.iter().all(|r| !r.role.is_coordinated()));
    assert!(role_count(&w, Role::Fan) > 0);
    assert!(
        w.posts
            .iter()
            .all(|x| matches!(x.kind, PostKind::Organic | PostKind::Viral))
    );
}

#[test]
fn scaling_keeps_the_shape() {
    let half = generate(&SynthParams::preset(Preset::Small).scaled(0.5), 42);
    let full = small();
    let ratio = half.likes.len() as f64 / full.likes.len() as f64;
    assert!((0.35..0.7).contains(&ratio), "ratio {ratio}");
    assert!(role_count(&half, Role::BotFarm) > 0);
}

/// Median of a list of values (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn planted_signals_are_present() {
    let w = small();
    let role = |a: u32| w.accounts[a as usize].role;
    let mut delays: HashMap<Role, Vec<f64>> = HashMap::new();
    for l in &w.likes {
        let d = (l.time_ms - w.posts[l.post as usize].published_ms) as f64 / 60_000.0;
        let kind = w.posts[l.post as usize].kind;
        let r = role(l.account);
        let relevant = match r {
            Role::BotFarm => kind == PostKind::FarmOrder,
            Role::SubscriptionBot => kind == PostKind::Subscription,
            Role::PodMember => kind == PostKind::Pod,
            Role::Organic | Role::Fan => kind == PostKind::Organic,
            Role::ClickWorker => kind == PostKind::Task,
        };
        if relevant {
            delays.entry(r).or_default().push(d);
        }
    }
    let med = |r: Role, d: &mut HashMap<Role, Vec<f64>>| median(d.get_mut(&r).unwrap());
    let organic = med(Role::Organic, &mut delays);
    assert!(
        (30.0..400.0).contains(&organic),
        "organic median delay {organic} min"
    );
    let sub = med(Role::SubscriptionBot, &mut delays);
    assert!(sub < 20.0, "subscription median delay {sub} min");
    let pod = med(Role::PodMember, &mut delays);
    assert!((5.0..90.0).contains(&pod), "pod median delay {pod} min");

    // Fans: each fan likes a good share of their creator's posts, minutes after publication.
    let mut fan_delays = Vec::new();
    for l in &w.likes {
        let a = &w.accounts[l.account as usize];
        if a.role == Role::Fan {
            let g = &w.groups[a.group.unwrap() as usize];
            if *g == format!("fandom-{}", w.account_names[l.author as usize]) {
                fan_delays.push((l.time_ms - w.posts[l.post as usize].published_ms) as f64 / 60_000.0);
            }
        }
    }
    let fan = median(&mut fan_delays);
    assert!((4.0..40.0).contains(&fan), "fan median delay {fan} min");

    // Farm orders: a burst of many bots of one farm on each ordered post.
    let mut per_order: HashMap<(u32, u32), Vec<i64>> = HashMap::new();
    for l in &w.likes {
        let a = &w.accounts[l.account as usize];
        if a.role == Role::BotFarm && w.posts[l.post as usize].kind == PostKind::FarmOrder {
            per_order
                .entry((l.post, a.group.unwrap()))
                .or_default()
                .push(l.time_ms);
        }
    }
    assert!(!per_order.is_empty());
    // Per ordered post, the best farm has at least 3 likes within 40 minutes (other likes of
    // farm bots on such a post are camouflage).
    let mut best: HashMap<u32, usize> = HashMap::new();
    for (&(post, _), times) in per_order.iter_mut() {
        times.sort_unstable();
        let mut most = 0;
        for (i, &t) in times.iter().enumerate() {
            let n = times[i..].partition_point(|&u| u <= t + 40 * 60_000);
            most = most.max(n);
        }
        let e = best.entry(post).or_default();
        *e = (*e).max(most);
    }
    for (post, most) in best {
        assert!(most >= 3, "order on post {post} served by {most} bots in 40 min");
    }
}

#[test]
fn written_truth_evaluates_against_a_perfect_detector() {
    let p = tiny();
    let w = generate(&p, 5);
    let d = tempfile::tempdir().unwrap();
    write(&w, &p, 5, d.path()).unwrap();
    // A detector that flags exactly the coordinated accounts (and types them right), plus one
    // fan, and does not list the first truth account at all.
    let mut acc = String::from("account_id,flagged,cluster_id,score,likes,cluster_type\n");
    let mut fan_flagged = false;
    for r in w.truth.iter().skip(1) {
        let mut flag = r.role.is_coordinated();
        if r.role == Role::Fan && !fan_flagged {
            fan_flagged = true;
            flag = true;
        }
        let ty = r
            .role
            .cluster_type()
            .unwrap_or(if flag { "bot_farm" } else { "" });
        acc.push_str(&format!("{},{},1,0.5,3,{}\n", r.account_id, flag, ty));
    }
    std::fs::write(d.path().join("accounts.csv"), acc).unwrap();
    let e = crate::evaluate::evaluate(&d.path().join("truth.csv"), &d.path().join("accounts.csv")).unwrap();
    let coordinated = w.truth.iter().filter(|r| r.role.is_coordinated()).count();
    let first_coordinated = w.truth[0].role.is_coordinated() as usize;
    assert_eq!(e.truth_accounts, w.truth.len());
    assert_eq!(e.absent_accounts, 1);
    assert_eq!(e.overall.true_positives, coordinated - first_coordinated);
    assert_eq!(e.overall.false_positives, 1);
    assert_eq!(e.false_positive_rate_organic, Some(0.0));
    let fans = role_count(&w, Role::Fan);
    assert_eq!(e.false_positive_rate_fans, Some(1.0 / fans as f64));
    for t in e.typed.as_ref().unwrap() {
        if t.role != Role::BotFarm {
            assert_eq!(t.precision, Some(1.0), "{t:?}");
        }
    }
    println!("{}", e.to_table());
}

// ---- Random presets, follow worlds, time precision ----

/// A random world small enough for debug-mode tests.
fn random_tiny(seed: u64) -> SynthParams {
    SynthParams::preset_for_seed(Preset::Random, seed, Interaction::Like).scaled(0.06)
}

/// Every leaf of a JSON value, by dotted path.
fn leaves(prefix: &str, v: &serde_json::Value, out: &mut HashMap<String, serde_json::Value>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(&key, x, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn flat(p: &SynthParams) -> HashMap<String, serde_json::Value> {
    let mut out = HashMap::new();
    leaves("", &serde_json::to_value(p).unwrap(), &mut out);
    out
}

/// Counts that are 0 when their kind (or look-alike) is absent from a world.
const PRESENCE_COUNTS: [&str; 6] = [
    "farms.count",
    "click_workers.networks",
    "pods.count",
    "subscriptions.count",
    "fans.fandoms",
    "communities.count",
];

#[test]
fn drawn_presets_parse_and_stay_apart_from_fixed_ones() {
    assert_eq!("random".parse::<Preset>().unwrap(), Preset::Random);
    assert_eq!("Random-Null".parse::<Preset>().unwrap(), Preset::RandomNull);
    assert!(Preset::Random.is_drawn() && !Preset::Medium.is_drawn());
    let e = "huge".parse::<Preset>().unwrap_err();
    assert!(e.contains("random, random-null"), "{e}");
    // Fixed presets ignore the seed; drawn ones do not.
    let m = |s| SynthParams::preset_for_seed(Preset::Medium, s, Interaction::Like);
    assert_eq!(m(1), m(2));
    assert_eq!(m(1), SynthParams::preset(Preset::Medium));
    let r = |s| SynthParams::preset_for_seed(Preset::Random, s, Interaction::Like);
    assert_eq!(r(4), r(4));
    assert_ne!(r(4), r(5));
    assert_eq!(r(4).preset, "random");
}

#[test]
fn drawn_values_lie_within_the_documented_ranges() {
    let mut seen: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut kinds_present = [0usize; 4];
    for seed in 0..60u64 {
        for interaction in [Interaction::Like, Interaction::Follow] {
            let p = SynthParams::preset_for_seed(Preset::Random, seed, interaction);
            p.validate().unwrap();
            let f = flat(&p);
            for r in RANGES {
                let follow_only = r.path.starts_with("follow.");
                let Some(v) = f.get(r.path) else {
                    // Parameters at their default are not serialised (shares of 0, no follow
                    // part in like worlds).
                    assert!(
                        (follow_only && interaction == Interaction::Like)
                            || (r.min <= 0.0 && r.path.contains("share")),
                        "{} missing for seed {seed} {interaction}",
                        r.path
                    );
                    continue;
                };
                let x = v.as_f64().unwrap();
                let absent_ok = PRESENCE_COUNTS.contains(&r.path) && x == 0.0;
                let hour_off = r.path == "hour_rounded_share" && x == 0.0;
                assert!(
                    absent_ok || hour_off || (r.min..=r.max).contains(&x),
                    "{} = {x} outside [{}, {}] for seed {seed} {interaction}",
                    r.path,
                    r.min,
                    r.max
                );
                if interaction == Interaction::Like || follow_only {
                    seen.entry(r.path).or_default().insert(v.to_string());
                }
                // Pairs are ordered.
                if let Some(stem) = r.path.strip_suffix("_min")
                    && let Some(hi) = f.get(&format!("{stem}_max"))
                {
                    assert!(x <= hi.as_f64().unwrap(), "{} > its max for seed {seed}", r.path);
                }
            }
            assert!(
                !p.is_null(),
                "random world {seed} {interaction} has no planted kind"
            );
            if interaction == Interaction::Follow {
                assert_eq!(p.fans.fandoms + p.click_workers.networks + p.pods.count, 0);
                assert_eq!(p.subscriptions.count, 0);
                assert!(p.farms.count > 0);
                assert!(p.follow.is_some());
            } else {
                for (k, n) in [
                    p.farms.count,
                    p.click_workers.networks,
                    p.pods.count,
                    p.subscriptions.count,
                ]
                .iter()
                .enumerate()
                {
                    kinds_present[k] += (*n > 0) as usize;
                }
            }
            let null = SynthParams::preset_for_seed(Preset::RandomNull, seed, interaction);
            assert!(null.is_null(), "random-null world {seed} has planted groups");
        }
    }
    // Every drawn parameter takes many values across seeds (it is really drawn), and each
    // planted kind is sometimes present and sometimes absent.
    for r in RANGES {
        let n = seen.get(r.path).map_or(0, |s| s.len());
        assert!(n >= 3, "{} took {n} values over 60 seeds", r.path);
    }
    for (k, n) in kinds_present.iter().enumerate() {
        assert!((15..60).contains(n), "kind {k} present in {n} of 60 worlds");
    }
}

#[test]
fn random_preset_is_deterministic_and_seeds_differ() {
    let (d1, d2, d3) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let p = random_tiny(11);
    write(&generate(&p, 11), &p, 11, d1.path()).unwrap();
    let p_again = random_tiny(11);
    write(&generate(&p_again, 11), &p_again, 11, d2.path()).unwrap();
    for f in ["likes.csv", "truth.csv", "posts.csv", "params.json"] {
        assert_eq!(read(d1.path(), f), read(d2.path(), f), "{f} differs");
    }
    let q = random_tiny(12);
    write(&generate(&q, 12), &q, 12, d3.path()).unwrap();
    assert_ne!(read(d1.path(), "likes.csv"), read(d3.path(), "likes.csv"));
    let a: serde_json::Value = serde_json::from_slice(&read(d1.path(), "params.json")).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&read(d3.path(), "params.json")).unwrap();
    assert_eq!(a["preset"], "random");
    assert_ne!(a["params"], b["params"]);
    // The recorded parameters are the ones used: they round-trip and regenerate the world.
    let back: SynthParams = serde_json::from_value(a["params"].clone()).unwrap();
    assert_eq!(back, p);
    // Heavy users carry their group in random worlds.
    let truth = String::from_utf8(read(d1.path(), "truth.csv")).unwrap();
    assert!(
        truth.lines().any(|l| l.ends_with(",organic,heavy")),
        "no heavy group"
    );
}

#[test]
fn random_worlds_budget_their_ordinary_likes() {
    // The expected size of the ordinary part is budgeted from the drawn activity.
    for seed in 0..30 {
        let p = SynthParams::preset_for_seed(Preset::Random, seed, Interaction::Like);
        let o = &p.organic;
        let expected = o.accounts as f64 * o.likes_median * (o.likes_sigma * o.likes_sigma / 2.0).exp();
        assert!(
            (300_000.0..700_000.0).contains(&expected),
            "seed {seed}: {expected} ordinary likes expected"
        );
    }
}

/// The time column of a written likes.csv (third field).
fn times(dir: &Path, name: &str) -> Vec<String> {
    String::from_utf8(read(dir, name))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap().to_string())
        .collect()
}

#[test]
fn date_only_and_hour_rounded_rows_appear_at_the_asked_share() {
    let mut p = tiny();
    let exact = generate(&p, 21);
    p.date_only_share = 0.3;
    p.hour_rounded_share = 0.1;
    let w = generate(&p, 21);
    let (d0, d1) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write(&exact, &tiny(), 21, d0.path()).unwrap();
    write(&w, &p, 21, d1.path()).unwrap();
    let t = times(d1.path(), "likes.csv");
    let n = t.len() as f64;
    let day = t.iter().filter(|x| x.len() == 10).count() as f64;
    let hour = t
        .iter()
        .filter(|x| x.len() == 20 && x.ends_with(":00:00Z"))
        .count() as f64;
    assert!((day / n - 0.3).abs() < 0.02, "date-only share {}", day / n);
    // Second-precision rows end in :00:00 once in 3600 by chance.
    assert!((hour / n - 0.1).abs() < 0.02, "hour-rounded share {}", hour / n);
    assert_eq!(w.stats.date_only_rows as f64, day);
    for x in t.iter().filter(|x| x.len() == 10) {
        assert!(x.starts_with("2024-03-") || x.starts_with("2024-04-"), "{x}");
    }
    // The truth, the posts and the rows (but for the written precision) are unchanged.
    assert_eq!(read(d0.path(), "truth.csv"), read(d1.path(), "truth.csv"));
    assert_eq!(read(d0.path(), "posts.csv"), read(d1.path(), "posts.csv"));
    let t0 = times(d0.path(), "likes.csv");
    assert_eq!(t0.len(), t.len());
    for (a, b) in t0.iter().zip(&t) {
        // Every coarse time is a prefix-compatible rounding of the exact one.
        if b.len() == 10 {
            assert_eq!(&a[..10], b);
        } else if b != a {
            assert_eq!(&a[..14], &b[..14]);
            assert!(b.ends_with(":00:00Z"));
        }
    }
    let strip = |d: &Path| -> Vec<String> {
        String::from_utf8(read(d, "likes.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                format!("{},{},{}", f[0], f[1], f[3])
            })
            .collect()
    };
    assert_eq!(strip(d0.path()), strip(d1.path()));
}

#[test]
fn follow_worlds_have_their_columns_and_bought_followers() {
    let p = SynthParams::preset_for_seed(Preset::Small, 0, Interaction::Follow).scaled(0.5);
    assert_eq!(p.interaction, Interaction::Follow);
    assert_eq!(p.pods.count + p.subscriptions.count + p.click_workers.networks, 0);
    let w = generate(&p, 4);
    let d = tempfile::tempdir().unwrap();
    write(&w, &p, 4, d.path()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["followed.csv", "follows.csv", "params.json", "truth.csv"]);
    let text = String::from_utf8(read(d.path(), "follows.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("follower,followed,time"));
    let truth: HashMap<String, Role> = String::from_utf8(read(d.path(), "truth.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].parse().unwrap())
        })
        .collect();
    let mut pairs = HashSet::new();
    let mut last = String::new();
    let mut bot_follows: HashMap<&str, usize> = HashMap::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        assert_eq!(f.len(), 3, "{l}");
        assert_ne!(f[0], f[1], "self-follow");
        assert!(truth.contains_key(f[0]) && truth.contains_key(f[1]), "{l}");
        assert!(pairs.insert((f[0], f[1])), "followed twice: {l}");
        assert!(f[2] >= last.as_str(), "rows out of time order");
        last = f[2].to_string();
        if truth[f[0]] == Role::BotFarm {
            *bot_follows.entry(f[1]).or_default() += 1;
        }
    }
    assert!(truth.values().any(|&r| r == Role::BotFarm));
    assert!(
        truth
            .values()
            .all(|&r| matches!(r, Role::Organic | Role::BotFarm))
    );
    // Customers (kind farm_order in followed.csv) get many follows from bots.
    let items = String::from_utf8(read(d.path(), "followed.csv")).unwrap();
    assert!(items.starts_with("account_id,kind\n"));
    let customers: Vec<&str> = items
        .lines()
        .filter(|l| l.ends_with(",farm_order"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(!customers.is_empty());
    for c in &customers {
        assert!(bot_follows.get(c).copied().unwrap_or(0) >= 3, "customer {c}");
    }
    assert!(items.lines().any(|l| l.ends_with(",viral")), "no follow surge");

    // Without times: two columns, the same rows in the same order.
    let mut q = p.clone();
    q.no_times = true;
    let d2 = tempfile::tempdir().unwrap();
    write(&generate(&q, 4), &q, 4, d2.path()).unwrap();
    let bare = String::from_utf8(read(d2.path(), "follows.csv")).unwrap();
    let mut bl = bare.lines();
    assert_eq!(bl.next(), Some("follower,followed"));
    let timed: Vec<String> = text
        .lines()
        .skip(1)
        .map(|l| l.rsplit_once(',').unwrap().0.to_string())
        .collect();
    assert_eq!(bl.map(String::from).collect::<Vec<_>>(), timed);
    assert_eq!(read(d.path(), "truth.csv"), read(d2.path(), "truth.csv"));
}

#[test]
fn random_follow_world_marks_its_lookalikes() {
    let p = SynthParams::preset_for_seed(Preset::Random, 3, Interaction::Follow).scaled(0.06);
    let w = generate(&p, 3);
    assert!(w.truth.iter().any(|r| r.role == Role::BotFarm));
    assert!(w.truth.iter().any(|r| r.group == "heavy"));
    assert!(w.posts.iter().any(|x| x.kind == PostKind::Viral && x.likes > 0));
    assert!(
        w.posts
            .iter()
            .any(|x| x.kind == PostKind::FarmOrder && x.likes > 0)
    );
    // One item per creator, each followed at most once by an account.
    let mut seen = HashSet::new();
    for l in &w.likes {
        assert!(seen.insert((l.account, l.author)));
        assert_eq!(w.posts[l.post as usize].author, l.author);
    }
}

#[test]
fn communities_like_their_creators_and_keep_role_organic() {
    let mut p = tiny();
    p.communities = CommunityParams {
        count: 2,
        members_min: 30,
        members_max: 40,
        creators_min: 3,
        creators_max: 5,
        share_min: 0.5,
        share_max: 0.9,
        delay_median_min_hours: 1.0,
        delay_median_max_hours: 3.0,
        delay_sigma: 1.0,
    };
    let w = generate(&p, 8);
    let members: Vec<&TruthRow> = w
        .truth
        .iter()
        .filter(|r| r.group.starts_with("community-"))
        .collect();
    assert!(members.len() >= 50, "{} members", members.len());
    assert!(members.iter().all(|r| r.role == Role::Organic));
    // The members of a community share the authors they like most.
    let mut by_group: HashMap<&str, HashMap<u32, usize>> = HashMap::new();
    for l in &w.likes {
        if let Some(g) = w.accounts[l.account as usize].group {
            let name = w.groups[g as usize].as_str();
            if name.starts_with("community-") {
                *by_group.entry(name).or_default().entry(l.author).or_default() += 1;
            }
        }
    }
    for (g, authors) in by_group {
        let mut counts: Vec<usize> = authors.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let total: usize = counts.iter().sum();
        let top: usize = counts.iter().take(5).sum();
        assert!(top * 2 >= total, "{g}: top authors get {top} of {total} likes");
    }
    // Without communities there is no community group.
    let base = generate(&tiny(), 8);
    assert!(base.groups.iter().all(|g| !g.starts_with("community-")));
}

#[test]
fn readme_lists_every_drawn_range() {
    let readme = include_str!("../../data/README.md");
    for r in RANGES {
        let min_twin = r.path.replace("_max", "_min");
        assert!(
            readme.contains(&format!("`{}`", r.path)) || readme.contains(&format!("`{min_twin}`, `")),
            "data/README.md does not list {}",
            r.path
        );
    }
}
