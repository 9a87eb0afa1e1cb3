//! Families of near-duplicate texts: the variants of one suggested text.
//!
//! Each distinct text becomes its set of words ([`super::normalise`]); texts with the same
//! set are one class, and classes whose word sets have a Jaccard similarity of at least
//! `similarity` are neighbours (MinHash LSH candidates, each verified exactly:
//! [`crate::detect::twins::near_duplicate_pairs`], the same machinery as near-identical like
//! sets). Families are formed by *leader clustering*: classes in order of how often they were
//! written, each joining the most alike leader already chosen, or becoming one — so every text
//! is within `similarity` of its family's leader (single linkage would let a chain of short
//! common texts, "su hu" – "su hu an" – "an su hu results" – …, swallow a suggested text).
//! A family's *template* is its variant written most often (ties: the earliest text).

use super::CommentParams;
use super::normalise::words;
use crate::detect::twins::{TwinParams, near_duplicate_pairs};
use crate::input::Comments;
use rayon::prelude::*;
use std::collections::HashMap;

/// Marks a text that belongs to no family (no words, or a retweet's copy).
pub const NO_FAMILY: u32 = u32::MAX;

/// One family of near-duplicate texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The variant written most often (an index into [`Comments::texts`]).
    pub template: u32,
    /// Distinct texts (as written) in the family.
    pub variants: u32,
    /// Comments in the family.
    pub comments: u32,
    /// Distinct accounts that wrote one.
    pub accounts: u32,
    /// Words of the template.
    pub words: u32,
}

/// The families of the texts of `comments`: the family of each distinct text (or
/// [`NO_FAMILY`]), and the families.
pub fn families(comments: &Comments, params: &CommentParams, seed: u64) -> (Vec<u32>, Vec<Family>) {
    let texts = &comments.texts;
    let tokenised: Vec<Vec<String>> = texts.par_iter().map(|t| words(t)).collect();
    // Word ids in order of first appearance (deterministic).
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let sets: Vec<Vec<u32>> = tokenised
        .iter()
        .map(|ws| {
            let mut s: Vec<u32> = ws
                .iter()
                .map(|w| {
                    let n = ids.len() as u32;
                    *ids.entry(w.as_str()).or_insert(n)
                })
                .collect();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();
    let twin = TwinParams {
        min_likes: 1,
        threshold: params.similarity,
        num_hashes: params.num_hashes,
        bands: params.bands,
        max_bucket: params.max_bucket,
        chain: params.chain,
        seed,
    };
    let (class_of, reps, pairs) = near_duplicate_pairs(&sets, &twin);
    // Uses of each text and of each class.
    let mut uses = vec![0u32; texts.len()];
    for &t in &comments.text {
        uses[t as usize] += 1;
    }
    let mut class_uses = vec![0u64; reps.len()];
    for (t, &c) in class_of.iter().enumerate() {
        class_uses[c as usize] += uses[t] as u64;
    }
    // Leader clustering: classes in order of use (most written first); each joins the leader
    // it is most alike among those already chosen, or becomes one. Every member is within the
    // threshold of its leader, so a family never drifts along a chain of short common texts.
    let mut neighbours: Vec<Vec<(u32, f64)>> = vec![Vec::new(); reps.len()];
    for &(u, v, j) in &pairs {
        neighbours[u as usize].push((v, j));
        neighbours[v as usize].push((u, j));
    }
    let mut order: Vec<u32> = (0..reps.len() as u32).collect();
    order.sort_by(|&x, &y| {
        class_uses[y as usize]
            .cmp(&class_uses[x as usize])
            .then(x.cmp(&y))
    });
    let mut rank = vec![0usize; reps.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c as usize] = r;
    }
    let mut family_of_class = vec![NO_FAMILY; reps.len()];
    let mut is_leader = vec![false; reps.len()];
    let mut n_families = 0u32;
    for &c in &order {
        if sets[reps[c as usize] as usize].is_empty() {
            continue;
        }
        let best = neighbours[c as usize]
            .iter()
            .filter(|(n, _)| is_leader[*n as usize])
            .max_by(|x, y| {
                x.1.total_cmp(&y.1)
                    .then(rank[y.0 as usize].cmp(&rank[x.0 as usize]))
            });
        match best {
            Some(&(leader, _)) => family_of_class[c as usize] = family_of_class[leader as usize],
            None => {
                is_leader[c as usize] = true;
                family_of_class[c as usize] = n_families;
                n_families += 1;
            }
        }
    }
    let family_of_text: Vec<u32> = class_of.iter().map(|&c| family_of_class[c as usize]).collect();
    let n_families = n_families as usize;
    let mut fam_accounts: Vec<(u32, u32)> = comments
        .text
        .iter()
        .zip(&comments.account)
        .filter(|(t, _)| family_of_text[**t as usize] != NO_FAMILY)
        .map(|(t, a)| (family_of_text[*t as usize], *a))
        .collect();
    fam_accounts.par_sort_unstable();
    fam_accounts.dedup();
    let mut out: Vec<Family> = (0..n_families)
        .map(|_| Family {
            template: u32::MAX,
            variants: 0,
            comments: 0,
            accounts: 0,
            words: 0,
        })
        .collect();
    for &(f, _) in &fam_accounts {
        out[f as usize].accounts += 1;
    }
    for (t, &f) in family_of_text.iter().enumerate() {
        if f == NO_FAMILY || uses[t] == 0 {
            continue;
        }
        let fam = &mut out[f as usize];
        fam.variants += 1;
        fam.comments += uses[t];
        if fam.template == u32::MAX || uses[t] > uses[fam.template as usize] {
            fam.template = t as u32;
            fam.words = sets[t].len() as u32;
        }
    }
    (family_of_text, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Origin;

    fn comments(rows: &[(u32, &str)]) -> Comments {
        let mut texts: Vec<Box<str>> = Vec::new();
        let mut c = Comments::default();
        for (i, &(a, t)) in rows.iter().enumerate() {
            let id = match texts.iter().position(|x| &**x == t) {
                Some(id) => id,
                None => {
                    texts.push(t.into());
                    texts.len() - 1
                }
            };
            c.account.push(a);
            c.post.push(0);
            c.time.push(i as i64);
            c.origin.push(Origin::new(0, i as u64 + 2));
            c.text.push(id as u32);
        }
        c.texts = texts;
        c
    }

    #[test]
    fn variants_join_one_family_and_short_texts_stay_apart() {
        let c = comments(&[
            (0, "Best shop ever, order at GlowSkin now!"),
            (1, "best shop ever order at glowskin now 😍"),
            (2, "order at glowskin now. best shop EVER"),
            (3, "Best store ever, order at glowskin now"),
            (2, "Best store ever, order at glowskin now"),
            (4, "nice"),
            (5, "nice video"),
            (6, "❤️❤️"),
            (7, "RT @x: best shop ever order at glowskin now"),
        ]);
        let params = CommentParams {
            num_hashes: 60,
            bands: 60,
            ..CommentParams::default()
        };
        let (of, fams) = families(&c, &params, 7);
        // Texts 0-3 are one family (one word swapped: 6/8 = 0.75 ≥ 0.6).
        assert_eq!(&of[0..4], &[0, 0, 0, 0]);
        assert_ne!(of[4], of[5], "nice ≠ nice video (Jaccard 0.5)");
        assert_eq!((of[6], of[7]), (NO_FAMILY, NO_FAMILY));
        let f = &fams[0];
        assert_eq!((f.variants, f.comments, f.accounts), (4, 5, 4));
        // The template is the variant written most often.
        assert_eq!(
            &*c.texts[f.template as usize],
            "Best store ever, order at glowskin now"
        );
        assert_eq!(fams.len(), 3);
    }
}
