//! Shared texts: the signature of a comment farm — members who write variants of the same
//! suggested texts, which the other accounts commenting on the same posts do not write.
//!
//! **Test** (per group). The reference is the other accounts that wrote a text on the group's
//! posts (the posts' own audience: it knows the posts' topic, their creator's catchphrases and
//! the universal short comments), or every other commenting account when fewer than
//! `min_reference` commented there. For each family of near-duplicate texts
//! ([`crate::comments`]) that at least two members wrote, n_k members wrote it where,
//! were members like the reference, member m would write it with probability
//! min(1, r_k · m_m / m̄_R): r_k = (R_k + 1) / (|R| + 1) is the share of the reference that
//! wrote it (Laplace's rule: a text no reference account wrote is rare, not impossible), m_m
//! the families m wrote and m̄_R the reference's mean. Members' counts are then at most a
//! Poisson-binomial, bounded in its upper tail by a Poisson of mean μ_k = Σ_m min(1, …)
//! (Hoeffding 1956): p_k = P(Poisson(μ_k) ≥ n_k). A group is unexplained by its texts when at
//! least `min_families` families are, Bonferroni over the families tested: the evidence is
//! p_(min_families) · K, the `min_families`-th smallest p-value times their number. One shared
//! phrase can be a community's catchphrase; several suggested texts shared by the same accounts
//! are a script.
//!
//! **Candidates.** Groups the co-like pairs cannot see (a farm spreading its comments over
//! hours on posts that also have organic audiences) come from the significant text pairs:
//! Leiden on them, weighted by the rarity of what the pair shares.

use super::communities::CommunityParams;
use super::leiden;
use crate::colike::null::ln_poisson_sf;
use crate::comments::TextStage;
use crate::vocab::Interaction;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Parameters of the shared-text signature (in the tree: `detect.texts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TextParams {
    /// Families that must be unexplained for the evidence: one shared phrase can be a
    /// community's catchphrase, several shared suggested texts are a script.
    pub min_families: usize,
    /// A family is listed as unexplained when its p-value times the families tested is at
    /// most this (the evidence itself is gated at the run's level over the accounts).
    pub family_alpha: f64,
    /// Below this many other accounts commenting on the group's posts, the reference is every
    /// other commenting account (a share of fewer cannot be told from zero: no text among 30
    /// accounts still allows up to 10 %, by the rule of three).
    pub min_reference: usize,
    /// Templates shown in a group's reasons.
    pub shown_templates: usize,
    /// Variants shown per template.
    pub shown_variants: usize,
}

impl Default for TextParams {
    fn default() -> Self {
        TextParams {
            min_families: 2,
            family_alpha: 0.001,
            min_reference: 30,
            shown_templates: 3,
            shown_variants: 3,
        }
    }
}

/// One family of texts a group shares.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct SharedText {
    /// The family (index into the text stage's families).
    pub family: u32,
    /// Its template (the variant written most often in the whole data), as written.
    pub template: String,
    /// Members who wrote a text of it.
    pub members: usize,
    /// Their comments in it.
    pub comments: usize,
    /// Distinct variants (as written) among the members' comments.
    pub variants: usize,
    /// The members' variants written most often, with their counts.
    pub top_variants: Vec<(String, usize)>,
    /// Members expected to write it, were they like the reference.
    pub expected: f64,
    /// log10 of P(at least `members` | expected).
    pub log10_p: f64,
}

/// The shared-text signature of a group.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TextSignature {
    /// Families written by at least two members (the tests made, K).
    pub families_tested: usize,
    /// Families unexplained at `family_alpha` after Bonferroni over K.
    pub unexplained: usize,
    /// The unexplained families, most significant first.
    pub families: Vec<u32>,
    /// The first of them, as shown in reasons and the report.
    pub shared: Vec<SharedText>,
    /// Accounts of the reference.
    pub reference_accounts: usize,
    /// The reference is the other accounts commenting on the group's posts (else every other
    /// commenting account).
    pub reference_on_posts: bool,
    /// log10 of the evidence: p_(min_families) · K (0 when there is none).
    pub log10_p: f64,
}

/// The text stage and the signature's parameters, for [`super::cluster::Builder`].
#[derive(Debug, Clone, Copy)]
pub struct TextContext<'g> {
    /// The text stage.
    pub stage: &'g TextStage,
    /// Its parameters.
    pub params: &'g TextParams,
}

/// ln 10, to turn natural-log p-values into the log10 the outputs use.
const LN_10: f64 = std::f64::consts::LN_10;

/// Accounts with more shared families than this are left out of the script overlaps.
pub const MAX_ACCOUNT_FAMILIES: usize = 300;

/// Measure the shared-text signature of `members` (ascending) on `posts`.
pub fn measure(ctx: Option<TextContext<'_>>, members: &[u32], posts: &[u32]) -> TextSignature {
    let Some(TextContext { stage, params }) = ctx else {
        return TextSignature::default();
    };
    // Members per family, and each member's comments in it.
    let mut by_family: HashMap<u32, Vec<u32>> = HashMap::new();
    for &m in members {
        let uses = stage.account_uses(m);
        for chunk in uses.chunk_by(|x, y| x.0 == y.0) {
            if stage.is_long(chunk[0].0) {
                by_family.entry(chunk[0].0).or_default().push(m);
            }
        }
    }
    by_family.retain(|_, ms| ms.len() >= 2);
    if by_family.is_empty() {
        return TextSignature::default();
    }
    let member_set: HashSet<u32> = members.iter().copied().collect();
    let mut reference: Vec<u32> = posts
        .iter()
        .flat_map(|&p| stage.post_accounts(p).iter().copied())
        .filter(|a| !member_set.contains(a))
        .collect();
    reference.sort_unstable();
    reference.dedup();
    let on_posts = reference.len() >= params.min_reference;
    let (r_size, r_mean, in_reference): (f64, f64, Box<dyn Fn(u32) -> bool>) = if on_posts {
        let mean = reference
            .iter()
            .map(|&a| stage.family_count[a as usize] as f64)
            .sum::<f64>()
            / reference.len() as f64;
        let set: HashSet<u32> = reference.iter().copied().collect();
        (reference.len() as f64, mean, Box::new(move |a| set.contains(&a)))
    } else {
        let member_families: f64 = members
            .iter()
            .map(|&m| stage.family_count[m as usize] as f64)
            .sum();
        let active_members = members
            .iter()
            .filter(|&&m| stage.family_count[m as usize] > 0)
            .count();
        let size = stage.active.saturating_sub(active_members).max(1) as f64;
        let total = stage.mean_families * stage.active as f64;
        let ms = member_set.clone();
        (
            size,
            ((total - member_families) / size).max(0.0),
            Box::new(move |a| !ms.contains(&a)),
        )
    };
    let r_mean = r_mean.max(f64::MIN_POSITIVE);
    let k_tested = by_family.len();
    let mut tests: Vec<(u32, f64, f64, usize)> = by_family
        .iter()
        .map(|(&k, ms)| {
            let r_k = stage
                .family_accounts(k)
                .iter()
                .filter(|&&a| in_reference(a))
                .count() as f64;
            let share = (r_k + 1.0) / (r_size + 1.0);
            let mu: f64 = members
                .iter()
                .map(|&m| (share * stage.family_count[m as usize] as f64 / r_mean).min(1.0))
                .sum();
            let ln_p = ln_poisson_sf(ms.len() as u64, mu);
            (k, ln_p, mu, ms.len())
        })
        .collect();
    tests.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    let ln_k = (k_tested as f64).ln();
    let ln_alpha = params.family_alpha.ln();
    let families: Vec<u32> = tests
        .iter()
        .filter(|t| t.1 + ln_k <= ln_alpha)
        .map(|t| t.0)
        .collect();
    let log10_p = match tests.get(params.min_families.max(1) - 1) {
        Some(t) => ((t.1 + ln_k) / LN_10).min(0.0),
        None => 0.0,
    };
    let shared = tests
        .iter()
        .filter(|t| families.contains(&t.0))
        .take(params.shown_templates)
        .map(|&(k, ln_p, mu, n)| shared_text(stage, k, &by_family[&k], n, mu, ln_p, params.shown_variants))
        .collect();
    TextSignature {
        families_tested: k_tested,
        unexplained: families.len(),
        families,
        shared,
        reference_accounts: r_size as usize,
        reference_on_posts: on_posts,
        log10_p,
    }
}

fn shared_text(
    stage: &TextStage,
    k: u32,
    members: &[u32],
    n: usize,
    mu: f64,
    ln_p: f64,
    shown: usize,
) -> SharedText {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    let mut comments = 0usize;
    for &m in members {
        for &(f, _, c) in stage.account_uses(m) {
            if f == k {
                *counts.entry(stage.comments.text[c as usize]).or_default() += 1;
                comments += 1;
            }
        }
    }
    let mut variants: Vec<(u32, usize)> = counts.into_iter().collect();
    variants.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    SharedText {
        family: k,
        template: stage.template(k).to_string(),
        members: n,
        comments,
        variants: variants.len(),
        top_variants: variants
            .iter()
            .take(shown)
            .map(|&(t, c)| (stage.comments.texts[t as usize].to_string(), c))
            .collect(),
        expected: mu,
        log10_p: ln_p / LN_10,
    }
}

/// The longest text quoted in a sentence, in characters (the evidence file has them whole).
pub const QUOTED_CHARS: usize = 80;

/// A text for a sentence: quoted, control and bidi characters escaped, at most
/// [`QUOTED_CHARS`] characters.
pub fn quoted(text: &str) -> String {
    crate::text::quote_for_terminal(&crate::text::truncate_chars(text, QUOTED_CHARS))
}

/// The evidence in words, with the templates and their variants.
pub fn describe(s: &TextSignature, w: Interaction) -> String {
    let reference = if s.reference_on_posts {
        format!(
            "the {} other accounts writing on these {}",
            s.reference_accounts,
            w.objects()
        )
    } else {
        format!("the {} other accounts writing in the data", s.reference_accounts)
    };
    let mut out = format!(
        "members write variants of the same {} texts, which {} rarely write (10^{:.0}):",
        s.unexplained, reference, s.log10_p
    );
    for t in &s.shared {
        let variants: Vec<String> = t
            .top_variants
            .iter()
            .map(|(v, c)| format!("{} ×{c}", quoted(v)))
            .collect();
        out.push_str(&format!(
            " {} — {} members where {:.1} are expected, {} comments in {} variants ({});",
            quoted(&t.template),
            t.members,
            t.expected,
            t.comments,
            t.variants,
            variants.join(", ")
        ));
    }
    if s.unexplained > s.shared.len() {
        out.push_str(&format!(" and {} more.", s.unexplained - s.shared.len()));
    } else if out.ends_with(';') {
        out.pop();
        out.push('.');
    }
    out
}

/// Candidate groups from the texts: the communities of the significant text pairs (Leiden,
/// weights: the rarity of what each pair shares), then the writers of each script
/// ([`scripts`]); groups of at least `min_accounts` accounts outside `taken`, each with the
/// posts its members wrote shared texts on.
pub fn candidate_groups(
    stage: &TextStage,
    n_accounts: usize,
    taken: &HashSet<u32>,
    communities: &CommunityParams,
    seed: u64,
    min_accounts: usize,
    fdr: f64,
) -> Vec<(Vec<u32>, Vec<u32>)> {
    let mut out = pair_communities(stage, n_accounts, taken, communities, seed, min_accounts);
    for script in scripts(stage, fdr) {
        let mut wrote: HashMap<u32, usize> = HashMap::new();
        for &k in &script {
            for &a in stage.family_accounts(k) {
                *wrote.entry(a).or_default() += 1;
            }
        }
        let mut members: Vec<u32> = wrote
            .into_iter()
            .filter(|&(a, n)| n >= 2 && !taken.contains(&a))
            .map(|(a, _)| a)
            .collect();
        members.sort_unstable();
        if members.len() >= min_accounts {
            let posts = shared_posts(stage, &members);
            out.push((members, posts));
        }
    }
    out
}

/// Scripts: sets of families the same accounts write together. Two families (of at least
/// `min_words` words, written by at least two accounts) are linked when more accounts write
/// both than independent writing explains: of the writers of k, each also writes l with
/// probability min(1, u_l · m_a / m̄) (u_l the share of the other active accounts that write l,
/// plus one; m_a the families a writes, m̄ their mean), so their number is bounded by a Poisson
/// of the summed probabilities (Hoeffding 1956); both directions are tested and the larger
/// p-value kept, Benjamini–Hochberg at the run's FDR over the family pairs with a writer in
/// common. A script is a connected set of linked families, ascending.
pub fn scripts(stage: &TextStage, fdr: f64) -> Vec<Vec<u32>> {
    let active = stage.active.max(1) as f64;
    let mean = stage.mean_families.max(f64::MIN_POSITIVE);
    let writers = |k: u32| stage.family_accounts(k);
    let eligible = |k: u32| stage.is_long(k) && writers(k).len() >= 2;
    // Overlaps, through each account's eligible families.
    let mut overlap: HashMap<(u32, u32), u32> = HashMap::new();
    let mut mine: Vec<u32> = Vec::new();
    for a in 0..stage.family_count.len() as u32 {
        mine.clear();
        for chunk in stage.account_uses(a).chunk_by(|x, y| x.0 == y.0) {
            if eligible(chunk[0].0) {
                mine.push(chunk[0].0);
            }
        }
        // An account writing hundreds of shared families is a heavy commenter, not a worker
        // of one script; leaving it out only lowers overlaps (conservative) and bounds the
        // work to MAX_ACCOUNT_FAMILIES² / 2 per account.
        if mine.len() > MAX_ACCOUNT_FAMILIES {
            continue;
        }
        for (i, &k) in mine.iter().enumerate() {
            for &l in &mine[i + 1..] {
                *overlap.entry((k.min(l), k.max(l))).or_default() += 1;
            }
        }
    }
    let mut tests: Vec<((u32, u32), f64)> = overlap
        .iter()
        .filter(|&(_, &o)| o >= 2)
        .map(|(&(k, l), &o)| {
            let expected = |k: u32, l: u32| -> f64 {
                let others = |a: u32| {
                    let in_l = writers(l).binary_search(&a).is_ok();
                    (writers(l).len() as f64 - in_l as u32 as f64 + 1.0) / active
                };
                writers(k)
                    .iter()
                    .map(|&a| (others(a) * stage.family_count[a as usize] as f64 / mean).min(1.0))
                    .sum()
            };
            let ln_p = ln_poisson_sf(o as u64, expected(k, l)).max(ln_poisson_sf(o as u64, expected(l, k)));
            ((k, l), ln_p)
        })
        .collect();
    tests.sort_by_key(|x| x.0);
    let tested = overlap.len() as u64;
    let ln_q = crate::colike::null::benjamini_hochberg_ln(tests.iter().map(|t| t.1).collect(), tested);
    let ln_fdr = fdr.ln();
    let mut uf = petgraph::unionfind::UnionFind::<u32>::new(stage.families.len());
    let mut linked: HashSet<u32> = HashSet::new();
    for (((k, l), _), q) in tests.iter().zip(ln_q) {
        if q <= ln_fdr {
            uf.union(*k, *l);
            linked.insert(*k);
            linked.insert(*l);
        }
    }
    let mut by_root: std::collections::BTreeMap<u32, Vec<u32>> = std::collections::BTreeMap::new();
    let mut linked: Vec<u32> = linked.into_iter().collect();
    linked.sort_unstable();
    for k in linked {
        by_root.entry(uf.find_mut(k)).or_default().push(k);
    }
    by_root.into_values().filter(|s| s.len() >= 2).collect()
}

fn pair_communities(
    stage: &TextStage,
    n_accounts: usize,
    taken: &HashSet<u32>,
    communities: &CommunityParams,
    seed: u64,
    min_accounts: usize,
) -> Vec<(Vec<u32>, Vec<u32>)> {
    let edges: Vec<(u32, u32, f64)> = stage
        .significant
        .iter()
        .filter(|s| !taken.contains(&s.record.a) && !taken.contains(&s.record.b))
        .map(|s| (s.record.a, s.record.b, super::edge_weight(&s.record)))
        .collect();
    if edges.is_empty() {
        return Vec::new();
    }
    let graph = leiden::UndirectedGraph::from_edges(n_accounts, &edges);
    let membership = leiden::leiden(&graph, &communities.leiden(seed));
    let mut in_edge = vec![false; n_accounts];
    for &(a, b, _) in &edges {
        in_edge[a as usize] = true;
        in_edge[b as usize] = true;
    }
    let n_comm = membership.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n_comm];
    for (a, &c) in membership.iter().enumerate() {
        if in_edge[a] {
            groups[c as usize].push(a as u32);
        }
    }
    groups
        .into_iter()
        .filter(|g| g.len() >= min_accounts)
        .map(|members| {
            let posts = shared_posts(stage, &members);
            (members, posts)
        })
        .collect()
}

/// The posts on which members wrote texts of families at least two of them wrote, ascending.
fn shared_posts(stage: &TextStage, members: &[u32]) -> Vec<u32> {
    let mut writers: HashMap<u32, usize> = HashMap::new();
    for &m in members {
        for chunk in stage.account_uses(m).chunk_by(|x, y| x.0 == y.0) {
            if stage.is_long(chunk[0].0) {
                *writers.entry(chunk[0].0).or_default() += 1;
            }
        }
    }
    let mut posts: Vec<u32> = members
        .iter()
        .flat_map(|&m| stage.account_uses(m).iter())
        .filter(|u| writers.get(&u.0).is_some_and(|&n| n >= 2))
        .map(|u| stage.comments.post[u.2 as usize])
        .collect();
    posts.sort_unstable();
    posts.dedup();
    posts
}

/// Completion of the groups flagged on their texts (after [`super::completion::keep_active`]):
///
/// 1. a group flagged on its texts alone keeps the members who wrote one of its unexplained
///    families (Leiden attaches neighbours who only commented on the same posts);
/// 2. it recruits the accounts in no flagged group that wrote its unexplained families on at
///    least `min_families` posts: writing a script's texts again and again is what membership
///    means (texts nobody around the group writes cannot be written twice by chance);
/// 3. groups that share that many unexplained families are one script's: the later joins the
///    earlier.
///
/// Each change is kept only when the rebuilt group is still flagged.
pub fn complete(
    run: &super::Run<'_>,
    builder: &super::cluster::Builder<'_>,
    clusters: &mut Vec<super::Cluster>,
    params: &TextParams,
) {
    use super::cluster::flagged_members;
    use super::judge::Evidence;
    let Some(stage) = run.texts else { return };
    let on_texts = |c: &super::Cluster| c.flagged && c.judgement.evidence.contains(&Evidence::SharedTexts);
    let need_of = |c: &super::Cluster| {
        params
            .min_families
            .clamp(1, c.features.texts.families.len().max(1))
    };
    let rebuild = |c: &super::Cluster, members: Vec<u32>, note: Option<String>| {
        let edges = run.pairs.within(&members);
        let mut grown = builder.build_on(members, c.posts.clone(), &edges, c.found_by);
        grown.flagged.then(|| {
            grown.reasons.extend(
                c.reasons
                    .iter()
                    .filter(|r| r.contains("were added because"))
                    .cloned(),
            );
            grown.reasons.extend(note);
            grown.recruits = c
                .recruits
                .iter()
                .filter(|r| grown.members.binary_search(&r.account).is_ok())
                .cloned()
                .collect();
            grown
        })
    };
    let mut taken = flagged_members(clusters);
    for c in clusters.iter_mut() {
        if !on_texts(c) {
            continue;
        }
        let families = c.features.texts.families.clone();
        let need = params.min_families.max(1);
        // Posts on which each account wrote one of the unexplained families.
        let mut posts_of: HashMap<u32, HashSet<u32>> = HashMap::new();
        for &k in &families {
            for &a in stage.family_accounts(k) {
                for &(f, _, comment) in stage.account_uses(a) {
                    if f == k {
                        posts_of
                            .entry(a)
                            .or_default()
                            .insert(stage.comments.post[comment as usize]);
                    }
                }
            }
        }
        let wrote: HashMap<u32, usize> = posts_of.into_iter().map(|(a, p)| (a, p.len())).collect();
        let mut members: Vec<u32> = if c.judgement.evidence == [Evidence::SharedTexts] {
            c.members
                .iter()
                .copied()
                .filter(|a| wrote.contains_key(a))
                .collect()
        } else {
            c.members.clone()
        };
        let mut recruits: Vec<u32> = wrote
            .iter()
            .filter(|&(a, &n)| n >= need && !taken.contains(a))
            .map(|(&a, _)| a)
            .collect();
        recruits.sort_unstable();
        if recruits.is_empty() && members.len() == c.members.len() {
            continue;
        }
        members.extend(&recruits);
        members.sort_unstable();
        members.dedup();
        if members.len() < 2 {
            continue;
        }
        let note = (!recruits.is_empty()).then(|| {
            format!(
                "{} accounts were added because they wrote the group's shared texts on at least {need} posts",
                recruits.len()
            )
        });
        if let Some(grown) = rebuild(c, members, note) {
            taken.extend(&recruits);
            *c = grown;
        }
    }
    // One script, one group.
    let mut i = 0;
    while i < clusters.len() {
        let mut j = i + 1;
        while j < clusters.len() {
            let (a, b) = (&clusters[i], &clusters[j]);
            let shared = a
                .features
                .texts
                .families
                .iter()
                .filter(|k| b.features.texts.families.contains(k))
                .count();
            if on_texts(a) && on_texts(b) && shared >= need_of(a).min(need_of(b)) {
                let mut members = a.members.clone();
                members.extend(&b.members);
                members.sort_unstable();
                members.dedup();
                let note = format!(
                    "joined with another group of {} accounts writing {shared} of the same texts",
                    b.members.len()
                );
                if let Some(merged) = rebuild(a, members, Some(note)) {
                    clusters[i] = merged;
                    clusters.remove(j);
                    continue;
                }
            }
            j += 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colike::Window;
    use crate::comments::{CommentParams, analyse};

    fn stage() -> TextStage {
        let g = crate::comments::tests::world();
        analyse(
            &g,
            &[Window::Span(86_400_000)],
            &CommentParams::default(),
            0.01,
            0,
        )
        .unwrap()
    }

    #[test]
    fn the_farm_shares_its_texts_and_an_organic_group_does_not() {
        let s = stage();
        let params = TextParams::default();
        let ctx = Some(TextContext {
            stage: &s,
            params: &params,
        });
        let farm: Vec<u32> = (200..208).collect();
        let posts: Vec<u32> = (0..10).collect();
        let sig = measure(ctx, &farm, &posts);
        assert_eq!(
            (sig.families_tested, sig.unexplained, sig.families.len()),
            (4, 4, 4)
        );
        assert!(sig.log10_p < -10.0, "{sig:?}");
        assert!(sig.reference_on_posts && sig.reference_accounts >= 30);
        let t = &sig.shared[0];
        assert!(t.template.to_lowercase().contains("glowbay") && t.expected < 1.0);
        assert!(t.top_variants.len() <= params.shown_variants && t.variants >= 1);
        let words = describe(&sig, crate::vocab::Interaction::Comment);
        assert!(
            words.starts_with("members write variants of the same 4 texts"),
            "{words}"
        );
        assert!(words.contains("and 1 more."), "{words}");
        // Organic accounts writing on the same posts share nothing but universal comments.
        let organic: Vec<u32> = (0..40).collect();
        let sig = measure(ctx, &organic, &posts);
        assert_eq!(sig.unexplained, 0, "{sig:?}");
        assert!(sig.log10_p > -3.0, "far from any gate: {sig:?}");
        // Without texts there is no signature.
        assert_eq!(measure(None, &farm, &posts), TextSignature::default());
    }

    #[test]
    fn the_farm_is_a_candidate_and_a_script() {
        let s = stage();
        let scripts = scripts(&s, 0.01);
        assert_eq!(scripts.len(), 1);
        assert_eq!(scripts[0].len(), 4);
        let groups = candidate_groups(&s, 208, &HashSet::new(), &CommunityParams::default(), 0, 3, 0.01);
        assert!(
            groups
                .iter()
                .any(|(m, p)| *m == (200..208).collect::<Vec<u32>>() && *p == (0..10).collect::<Vec<u32>>())
        );
        // Accounts already in a flagged group are not candidates again.
        let taken: HashSet<u32> = (200..208).collect();
        assert!(candidate_groups(&s, 208, &taken, &CommunityParams::default(), 0, 3, 0.01).is_empty());
    }
}
