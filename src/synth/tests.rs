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
