#!/usr/bin/env python3
"""altworld — an independent synthetic-world generator for testing lockstep.

Written only from a behaviour description (see README.md), not from lockstep's own
`synth`.  The organic platform is a *session/feed* model: every account opens the app in
sessions placed by a daily rhythm in its own time zone, and in each session likes posts
picked from its communities' recent feed (popularity x quality x an age-decay kernel).
Coordinated groups are separate processes layered on top (farms, click-work task lists,
pods, subscriptions; bought followers in the follow variant).

Usage:
    python3 altworld.py --seed 7 --out /tmp/w7
    python3 altworld.py --seed 7 --out /tmp/w7 --scale 0.2 --kinds farm,pod
    python3 altworld.py --seed 7 --out /tmp/w7n --null
    python3 altworld.py --seed 7 --out /tmp/w7f --interaction follow [--no-times]

Outputs (in --out): likes.csv (or follows.csv), truth.csv, heavy.csv, viral.csv, meta.json.
"""
import argparse
import json
import math
import os
import sys
import time as _time

import numpy as np

MIN = 60.0
H = 3600.0
DAY = 86400.0
KINDS = ("farm", "click", "pod", "sub")
ROLE_NAMES = ["organic", "fan", "bot_farm", "click_worker", "pod_member", "subscription_bot"]
R_ORG, R_FAN, R_FARM, R_CLICK, R_POD, R_SUB = range(6)
TZ_CHOICES = [-8, -6, -5, -3, 0, 1, 2, 3, 5.5, 7, 8, 9, 10]
FARM_PACKAGES = np.array([10, 20, 25, 30, 50, 75, 100, 150, 200, 250, 300, 400, 500])


def _py(x):
    """numpy -> plain python for json."""
    if isinstance(x, dict):
        return {str(k): _py(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_py(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_py(v) for v in x.tolist()]
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return round(float(x), 6)
    if isinstance(x, float):
        return round(x, 6)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


class Gen:
    def __init__(self, seed, scale=1.0, kinds=KINDS, interaction="like"):
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.scale = float(scale)
        self.kinds = tuple(kinds)
        self.mode = interaction
        self.P = {"seed": seed, "scale": scale, "kinds": list(kinds), "interaction": interaction}
        self.groups = []       # per planted group meta
        self.chunks = []       # (source, actor idx, target idx, time float)
        self.customers = set()

    # ------------------------------------------------------------------ helpers
    def U(self, lo, hi, size=None):
        return self.rng.uniform(lo, hi, size)

    def LU(self, lo, hi, size=None):
        return np.exp(self.rng.uniform(math.log(lo), math.log(hi), size))

    def LN(self, median, sigma, size=None):
        return median * np.exp(sigma * self.rng.standard_normal(size))

    def nscale(self, lo, hi):
        """a count of groups: integer in [lo, hi] times scale, at least 1."""
        return max(1, int(round(self.rng.integers(lo, hi + 1) * self.scale)))

    def add(self, src, actor, target, t):
        actor = np.asarray(actor, dtype=np.int64)
        target = np.asarray(target, dtype=np.int64)
        t = np.asarray(t, dtype=np.float64)
        if len(actor):
            self.chunks.append((src, actor, target, t))

    def beta_mean(self, mean, conc, size):
        return self.rng.beta(mean * conc, (1 - mean) * conc, size)

    def wsample(self, weights, k):
        """k distinct indices, probability ~ weights (Gumbel top-k)."""
        k = min(k, int((weights > 0).sum()))
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        g = np.log(np.maximum(weights, 1e-300)) - np.log(-np.log(self.rng.random(len(weights))))
        g[weights <= 0] = -np.inf
        return np.argpartition(-g, k - 1)[:k]

    # time-of-day machinery ----------------------------------------------------
    def diurnal_profile(self):
        h = np.arange(24) + 0.5

        def bump(c, w):
            d = (h - c + 12) % 24 - 12
            return np.exp(-0.5 * (d / w) ** 2)

        a_morn, a_mid, a_eve, floor = self.U(0.15, 0.6), self.U(0.35, 1.0), self.U(0.7, 1.6), self.U(0.02, 0.1)
        self.P["diurnal"] = dict(morning=a_morn, midday=a_mid, evening=a_eve, night_floor=floor)
        p = floor + a_morn * bump(8.0, 1.5) + a_mid * bump(12.5, 2.5) + a_eve * bump(20.5, 2.3)
        return p / p.sum()

    def clock_times(self, owners, flat=None, lo=0.0, hi=None):
        """times in [lo, hi) whose local hour (owner's clock) follows the daily profile."""
        hi = self.end if hi is None else hi
        n = len(owners)
        days = self.rng.uniform(lo, hi, n) // DAY
        hr = self.rng.choice(24, n, p=self.prof) + self.rng.random(n)
        if flat is not None:
            f = self.rng.random(n) < flat
            hr[f] = self.rng.random(f.sum()) * 24
        t = days * DAY + hr * H - self.off[owners] * H
        span = hi - lo
        return lo + np.mod(t - lo, span)

    def push_awake(self, t, owners, lag_mean=25 * MIN):
        """a human who would act while asleep acts after waking instead."""
        off = self.off[owners] * H
        clock = np.mod(t + off, DAY)
        rel = np.mod(clock - self.sleep_start[owners] * H, DAY)
        sl = self.sleep_len[owners] * H
        asleep = rel < sl
        t = t.copy()
        t[asleep] += sl[asleep] - rel[asleep] + self.rng.exponential(lag_mean, asleep.sum())
        return t

    # ------------------------------------------------------------------ world
    def setup(self):
        r, P = self.rng, self.P
        D = int(r.integers(14, 29))
        self.D = D
        self.end = D * DAY
        start = np.datetime64("2023-01-02") + np.timedelta64(int(r.integers(0, 900)), "D")
        self.t0 = start.astype("datetime64[s]")
        P["span_days"], P["start"] = D, str(start)
        nz = int(r.integers(2, 6))
        zones = r.choice(TZ_CHOICES, nz, replace=False)
        zw = r.dirichlet(np.full(nz, 1.5))
        P["time_zones"] = dict(zip([str(z) for z in zones], zw))
        self.zones, self.zw = zones, zw
        self.prof = self.diurnal_profile()

        K = int(r.integers(4, 17))
        self.K = K
        self.comm_share = r.dirichlet(np.full(K, self.U(0.8, 3.0)))
        # audience overlap: each community sends its secondary interest to a few neighbours
        M = np.zeros((K, K))
        for c in range(K):
            nb = r.choice([x for x in range(K) if x != c], size=min(K - 1, int(r.integers(1, 4))), replace=False)
            M[c, nb] = r.dirichlet(np.full(len(nb), 1.0))
        self.overlap = M
        P["communities"] = K
        P["community_share"] = self.comm_share

        # budgets -> number of accounts
        target = self.U(0.5e6, 0.8e6) * self.scale
        P["target_rows"] = int(target)
        if self.mode == "like":
            bm, bs = self.U(2.5, 6.0), self.U(0.9, 1.4)
        else:
            bm, bs = self.U(2.0, 6.0), self.U(0.9, 1.3)
        self.bm, self.bs, self.bcap = bm, bs, 400
        P["organic_budget"] = dict(median=bm, sigma=bs, cap=400)
        mean_b = np.minimum(self.LN(bm, bs, 200000), 400).round().clip(1).mean()
        hf = self.U(0.0005, 0.002)
        hlo, hhi = 1000, 5000
        P["heavy"] = dict(share=hf, budget_loguniform=[hlo, hhi])
        n_viral = max(1, int(round(r.integers(2, 8) * math.sqrt(self.scale))))
        if self.mode == "like":
            vshare = self.U(0.08, 0.35, n_viral)
        else:
            vshare = self.U(0.02, 0.12, n_viral)
        self.vshare = vshare
        E = mean_b + hf * (hhi - hlo) / math.log(hhi / hlo) + vshare.sum() * 0.9
        N = int(target * 0.9 / E)
        self.N = N
        P["humans"] = N
        # per-account attributes
        self.tz = r.choice(zones, N, p=zw).astype(float)
        chrono = np.clip(r.normal(0, 1.2, N), -3, 3)
        self.c1 = r.choice(K, N, p=self.comm_share)
        self.c2 = np.array([r.choice(K, p=self.overlap[c]) for c in range(K)])[self.c1]
        swap = r.random(N) < 0.3          # some accounts pick a random second interest
        self.c2[swap] = r.choice(K, swap.sum(), p=self.comm_share)
        m1 = self.U(0.5, 0.85)
        self.p1 = self.beta_mean(m1, 6.0, N)
        self.p2 = (1 - self.p1) * 0.7
        P["interest"] = dict(primary_mean=m1, secondary_share_of_rest=0.7)
        self.budget = np.minimum(self.LN(bm, bs, N), 400).round().clip(1).astype(np.int64)
        self.heavy = np.zeros(N, bool)
        nh = max(1, int(round(hf * N)))
        # creators
        cf = self.U(0.03, 0.08)
        ncr = max(50, int(N * cf))
        P["creator_share"] = cf
        perm = r.permutation(N)
        self.creators = np.sort(perm[:ncr])
        heavy_idx = perm[ncr:ncr + nh]
        self.heavy[heavy_idx] = True
        self.budget[heavy_idx] = self.LU(hlo, hhi, nh).round().astype(np.int64)
        self.p1[heavy_idx] = self.U(0.15, 0.5, nh)
        self.p2[heavy_idx] = (1 - self.p1[heavy_idx]) * 0.4
        popkind = "lognormal" if r.random() < 0.5 else "pareto"
        if popkind == "lognormal":
            ps = self.U(1.2, 2.2)
            pop = np.exp(ps * r.standard_normal(ncr))
            P["popularity"] = dict(kind=popkind, sigma=ps)
        else:
            pa = self.U(1.1, 2.0)
            pop = 1 + r.pareto(pa, ncr)
            P["popularity"] = dict(kind=popkind, alpha=pa)
        self.pop = np.zeros(N)
        self.pop[self.creators] = pop / np.median(pop)
        # account clock offset (tz minus chronotype), sleep window on that clock
        self.off_h = self.tz - chrono
        self.sleep_start = np.mod(self.U(22.5, 25.5, N), 24)
        self.sleep_len = self.U(5.5, 8.5, N)
        self.role = np.zeros(N, np.int8)
        self.group = np.full(N, "", dtype=object)
        self.off = self.off_h  # grows when bots are added

    def add_bots(self, n, tz, sleep=False):
        """append n non-human accounts; returns their indices."""
        a0 = len(self.off)
        self.off = np.concatenate([self.off, np.full(n, float(tz))])
        self.sleep_start = np.concatenate([self.sleep_start, np.full(n, 0.0)])
        self.sleep_len = np.concatenate([self.sleep_len, np.full(n, 0.0)])
        self.role = np.concatenate([self.role, np.zeros(n, np.int8)])
        self.group = np.concatenate([self.group, np.full(n, "", dtype=object)])
        return np.arange(a0, a0 + n)

    def make_posts(self):
        r, P = self.rng, self.P
        pre = self.U(2, 5) * DAY
        self.pre = pre
        rate_med = self.U(0.2, 0.7)
        rate = np.minimum(self.LN(rate_med, 0.9, len(self.creators)), 6.0)
        n = r.poisson(rate * (self.end + pre) / DAY)
        P["posts"] = dict(rate_per_day_median=rate_med, rate_sigma=0.9, pre_window_days=pre / DAY)
        cre = np.repeat(self.creators, n)
        pub = self.clock_times(cre, lo=-pre, hi=self.end)
        qs = self.U(0.3, 1.0)
        q = np.exp(qs * r.standard_normal(len(cre)))
        P["posts"]["quality_sigma"] = qs
        o = np.argsort(pub, kind="stable")
        self.post_creator = cre[o]
        self.post_pub = np.round(pub[o])
        self.post_q = q[o]
        self.post_comm = self.c1[self.post_creator]
        self.NP = len(pub)
        # index: the posts of each account, in publication order
        o = np.argsort(self.post_creator, kind="stable")
        self._by_cre = o
        self._cre_start = np.searchsorted(self.post_creator[o], np.arange(self.N + 1))

    # ---------------------------------------------------------------- organic
    def sessions(self, accs, budgets, flat):
        """time of every organic action: sessions on the daily rhythm, actions seconds apart."""
        r = self.rng
        smean = self.LN(self.sess_mean, 0.4, len(accs)) * np.where(self.heavy[accs], 3.0, 1.0)
        ns = np.maximum(1, np.rint(budgets / np.maximum(smean, 1))).astype(np.int64)
        sess_owner = np.repeat(accs, ns)
        st = self.clock_times(sess_owner, flat=np.repeat(flat, ns))
        first = np.concatenate([[0], np.cumsum(ns)[:-1]])
        L = int(budgets.sum())
        owner = np.repeat(accs, budgets)
        ls = np.repeat(first, budgets) + (r.random(L) * np.repeat(ns, budgets)).astype(np.int64)
        o = np.argsort(ls, kind="stable")
        lso = ls[o]
        gaps = r.exponential(self.gap_mean, L)
        cs = np.cumsum(gaps)
        startf = np.r_[True, lso[1:] != lso[:-1]]
        base = (cs - gaps)[startf]
        gi = np.cumsum(startf) - 1
        t = np.empty(L)
        t[o] = st[lso] + cs - base[gi]
        return owner, t

    def pick_comm(self, owner):
        r = self.rng
        u = r.random(len(owner))
        p1, p2 = self.p1[owner], self.p2[owner]
        c = np.where(u < p1, self.c1[owner], self.c2[owner])
        rnd = u >= p1 + p2
        c[rnd] = r.choice(self.K, rnd.sum(), p=self.comm_share)
        return c

    def organic_likes(self):
        r, P = self.rng, self.P
        self.sess_mean = self.U(1.5, 5.0)
        self.gap_mean = self.U(10, 90)
        tau, alpha = self.U(1, 8) * H, self.U(1.3, 2.5)
        gam = self.U(0.7, 1.0)
        gam_h = gam * self.U(0.3, 0.6)
        fresh = self.U(5, 30) * MIN
        W = 7 * DAY
        P["organic"] = dict(session_mean_size=self.sess_mean, in_session_gap_s=self.gap_mean,
                            feed_decay_tau_h=tau / H, feed_decay_alpha=alpha, popularity_exponent=gam,
                            heavy_popularity_exponent=gam_h, fresh_post_delay_min=fresh / MIN,
                            feed_window_days=W / DAY)
        accs = np.arange(self.N)
        flat = np.where(self.heavy, 0.5, 0.0)
        owner, t = self.sessions(accs, self.budget, flat)
        comm = self.pick_comm(owner)
        hv = self.heavy[owner].astype(np.int64)
        nb = int(math.ceil(self.end / H))
        hb = np.clip((t // H).astype(np.int64), 0, nb - 1)
        key = (comm.astype(np.int64) * nb + hb) * 2 + hv
        o = np.argsort(key, kind="stable")
        ks = key[o]
        cuts = np.flatnonzero(ks[1:] != ks[:-1]) + 1
        starts = np.r_[0, cuts]
        ends = np.r_[cuts, len(ks)]
        base = np.log(np.maximum(self.pop[self.post_creator], 1e-9))
        lq = np.log(self.post_q)
        per_c = []
        for c in range(self.K):
            idx = np.flatnonzero(self.post_comm == c)
            per_c.append((idx, self.post_pub[idx], np.exp(gam * base[idx] + lq[idx]),
                          np.exp(gam_h * base[idx] + lq[idx])))
        chosen = np.full(len(t), -1, dtype=np.int64)
        for s, e in zip(starts, ends):
            k = ks[s]
            h = k & 1
            c, b = divmod(k >> 1, nb)
            idx, pub, w0, w0h = per_c[c]
            bend = (b + 1) * H
            lo = np.searchsorted(pub, bend - W)
            hi = np.searchsorted(pub, bend)
            if hi <= lo:
                continue
            age = np.maximum((b + 0.5) * H - pub[lo:hi], 300.0)
            w = (w0h if h else w0)[lo:hi] * (1 + age / tau) ** (-alpha)
            w = w * np.clip((bend - pub[lo:hi]) / H, 0, 1)
            cw = np.cumsum(w)
            j = np.searchsorted(cw, r.random(e - s) * cw[-1], side="right")
            chosen[o[s:e]] = idx[lo + np.minimum(j, hi - lo - 1)]
        ok = chosen >= 0
        owner, t, chosen = owner[ok], t[ok], chosen[ok]
        pub = self.post_pub[chosen]
        early = t < pub
        t[early] = pub[early] + r.exponential(fresh, early.sum())
        self.add("organic", owner, chosen, t)

    # ----------------------------------------------------------------- fandoms
    def posts_of(self, cre, lo=-np.inf, hi=np.inf):
        """posts of one creator published in [lo, hi), in publication order."""
        ps = self._by_cre[self._cre_start[cre]:self._cre_start[cre + 1]]
        pub = self.post_pub[ps]
        return ps[(pub >= lo) & (pub < hi)]

    def in_window_posts(self, cre, lo=None):
        return self.posts_of(cre, -self.pre if lo is None else lo, self.end)

    def free_humans(self, exclude_creators=True):
        m = (self.role == R_ORG)[: self.N] & ~self.heavy
        if exclude_creators:
            m[self.creators] = False
        return np.flatnonzero(m)

    def fandoms(self):
        r, P = self.rng, self.P
        nf = self.nscale(3, 10)
        ppw = np.array([len(self.in_window_posts(c, 0)) for c in self.creators])
        rank = np.argsort(np.argsort(-self.pop[self.creators])) / len(self.creators)
        cand = self.creators[(rank < 0.3) & (ppw >= 5)]
        cand = cand[~np.isin(cand, list(self.customers))]
        nf = min(nf, len(cand))
        chosen = cand[self.wsample(self.pop[cand] ** 0.5, nf)] if nf else np.zeros(0, np.int64)
        self.fandom_creators = set(chosen.tolist())
        P["fandoms"] = []
        for c in chosen:
            size = int(self.LU(100, 1000))
            free = self.free_humans()
            w = np.where(self.c1[free] == self.c1[c], 1.0, 0.25)
            fans = free[self.wsample(w, size)]
            gid = f"fandom-{self.ids[c]}"
            self.role[fans] = R_FAN
            self.group[fans] = gid
            # fans are ordinary accounts too: more active, interested in the creator's community
            self.budget[fans] = np.round(self.budget[fans] * self.U(1.0, 2.5, len(fans))).astype(np.int64)
            self.c1[fans] = self.c1[c]
            self.p1[fans] = np.maximum(self.p1[fans], 0.6)
            dev_m, conc = self.U(0.3, 0.8), self.U(2, 8)
            dev = self.beta_mean(dev_m, conc, len(fans))
            ns = self.U(0.3, 0.8)
            notif = r.random(len(fans)) < ns
            med = np.where(notif, self.LU(1 * MIN, 30 * MIN, len(fans)), self.LU(30 * MIN, 12 * H, len(fans)))
            sig = self.U(0.6, 1.3)
            pc = self.in_window_posts(c)
            P["fandoms"].append(dict(group=gid, fans=len(fans), posts=len(pc), devotion_mean=dev_m,
                                     devotion_concentration=conc, notification_share=ns, delay_sigma=sig))
            if self.mode != "like":
                continue
            M = r.random((len(fans), len(pc))) < dev[:, None]
            fi, pj = np.nonzero(M)
            t = self.post_pub[pc[pj]] + med[fi] * np.exp(sig * r.standard_normal(len(fi)))
            t = self.push_awake(t, fans[fi])
            self.add("fandom", fans[fi], pc[pj], t)

    # ------------------------------------------------------------------ viral
    def viral(self):
        r, P = self.rng, self.P
        n = len(self.vshare)
        cand = np.flatnonzero((self.post_pub >= 0) & (self.post_pub < self.end - 1.5 * DAY))
        w = self.pop[self.post_creator[cand]] ** 0.5 * self.post_q[cand]
        vp = cand[self.wsample(w, n)]
        self.viral_posts = vp
        humans = np.flatnonzero(self.role[: self.N] != -1)
        act = (self.budget[humans] / self.bm) ** 0.3
        act = act / act.mean()
        P["viral"] = []
        for p, s in zip(vp, self.vshare):
            med, sig = self.U(0.7, 5) * H, self.U(0.6, 1.2)
            sel = humans[r.random(len(humans)) < np.clip(s * act, 0, 0.95)]
            t = self.post_pub[p] + self.LN(med, sig, len(sel))
            t = self.push_awake(t, sel)
            self.add("viral", sel, np.full(len(sel), p), t)
            P["viral"].append(dict(share=s, delay_median_h=med / H, delay_sigma=sig, likers=len(sel)))

    # ----------------------------------------------------------- camouflage
    def camo_posts(self, t, pop_share):
        """for each time, a post published before it: popular (pop x quality, last 7 days) or random."""
        r = self.rng
        hi = np.searchsorted(self.post_pub, t, side="right")
        lo = np.searchsorted(self.post_pub, t - 7 * DAY)
        ok = hi > lo
        if not hasattr(self, "_camo_cw"):
            self._camo_cw = np.concatenate([[0.0], np.cumsum(self.pop[self.post_creator] * self.post_q)])
        cw = self._camo_cw
        popular = r.random(len(t)) < pop_share
        out = lo + (r.random(len(t)) * (hi - lo)).astype(np.int64)
        x = cw[lo] + r.random(len(t)) * (cw[hi] - cw[lo])
        pj = np.searchsorted(cw, x, side="right") - 1
        out = np.where(popular, np.clip(pj, lo, np.maximum(hi - 1, lo)), out)
        return out, ok

    # ------------------------------------------------------------------ farms
    def pick_customers(self, n, small_share):
        r = self.rng
        pool = np.array([c for c in self.creators if self.role[c] == R_ORG and c not in self.fandom_creators])
        has = np.array([len(self.in_window_posts(c, -DAY)) for c in pool]) >= 1
        pool = pool[has]
        rank = np.argsort(np.argsort(self.pop[pool])) / len(pool)
        small = r.random(n) < small_share
        out = []
        for s in small:
            sub = pool[rank < 0.6] if s else pool[rank >= 0.6]
            out.append(int(r.choice(sub)))
        return np.unique(out)

    def farms(self):
        r, P = self.rng, self.P
        nf = self.nscale(1, 4)
        P["farms"] = []
        for f in range(nf):
            gid = f"farm-{f + 1}"
            pool_n = int(self.LU(10, 500))
            rc = bool(r.random() < 0.5)
            tz = float(r.choice(TZ_CHOICES))
            bots = self.add_bots(pool_n, tz)
            self.role[bots] = R_FARM
            self.group[bots] = gid
            bw = np.exp(self.U(0, 1.0) * r.standard_normal(pool_n))
            camo_m = self.U(0, 0.6)
            camo = np.clip(camo_m * np.exp(0.4 * r.standard_normal(pool_n)), 0, 0.6)
            pop_share = self.U(0.2, 0.9)
            shape = str(r.choice(["uniform", "front", "drip"]))
            ncust = int(r.integers(5, 41))
            cust = self.pick_customers(ncust, self.U(0.55, 0.85))
            self.customers.update(cust.tolist())
            own = np.zeros(pool_n, np.int64)
            orders = []
            acts, tg, ts = [], [], []
            used = {}
            for c in cust:
                no = r.geometric(1 / self.U(1.0, 4.0))   # orders (posts) per customer, mean 1-4
                if self.mode == "like":
                    posts = self.in_window_posts(c, -DAY)
                    if len(posts) == 0:
                        continue
                    posts = r.choice(posts, min(no, len(posts)), replace=False)
                    starts = self.post_pub[posts] + self.LU(2 * MIN, 3 * DAY, len(posts))
                    targets = posts
                else:
                    starts = np.sort(self.U(0, self.end - 0.3 * DAY, no))
                    targets = np.full(no, c)
                for tgt, st in zip(targets, starts):
                    if not rc:   # operator works by day: delivery starts in their working hours
                        clock = np.mod(st + tz * H, DAY) / H
                        if clock < 8:
                            st += (8 - clock) * H + r.exponential(30 * MIN)
                    dur = float(self.LU(1 * MIN, 6 * H))
                    pk = FARM_PACKAGES[FARM_PACKAGES <= max(10, 0.95 * pool_n)]
                    size = int(r.choice(pk, p=(1 / pk) / (1 / pk).sum()) * self.U(1.0, 1.1))
                    w = bw.copy()
                    if self.mode != "like":
                        w[list(used.get(c, ()))] = 0
                    sel = self.wsample(w, min(size, pool_n))
                    used.setdefault(c, set()).update(sel.tolist())
                    k = len(sel)
                    if shape == "uniform":
                        u = r.random(k)
                    elif shape == "front":
                        u = r.beta(0.7, 2.0, k)
                    else:
                        u = (np.arange(k) + r.random(k)) / max(k, 1)
                    acts.append(bots[sel]); tg.append(np.full(k, tgt)); ts.append(st + dur * u)
                    own[sel] += 1
                    orders.append(dict(customer=self.ids[c], target=(self.post_ids[tgt] if self.mode == "like" else self.ids[tgt]),
                                       size=k, start_after_pub_h=(st - self.post_pub[tgt]) / H if self.mode == "like" else None,
                                       duration_min=dur / MIN))
            if acts:
                self.add("farm", np.concatenate(acts), np.concatenate(tg), np.concatenate(ts))
            ncamo = r.poisson(own * camo / (1 - camo))
            cb = np.repeat(bots, ncamo)
            if len(cb):
                ct = self.U(0, self.end, len(cb)) if rc else self.clock_times(cb)
                self.camo(cb, ct, pop_share, "farm_camo")
            P["farms"].append(dict(group=gid, pool=pool_n, round_the_clock=rc, operator_tz=tz,
                                   bot_weight_sigma=float(np.std(np.log(bw))), camouflage_mean=camo_m,
                                   camouflage_popular_share=pop_share, delivery_shape=shape,
                                   customers=[self.ids[c] for c in cust], orders=orders,
                                   camouflage_actions=int(ncamo.sum())))

    def camo(self, actors, t, pop_share, src):
        if self.mode == "like":
            p, ok = self.camo_posts(t, pop_share)
            self.add(src, actors[ok], p[ok], t[ok])
        else:
            n = len(actors)
            popular = self.rng.random(n) < pop_share
            w = self.pop[self.creators]
            tgt = np.where(popular, self.rng.choice(self.creators, n, p=w / w.sum()),
                           self.rng.integers(0, self.N, n))
            self.add(src, actors, tgt, t)

    # ------------------------------------------------------------ click work
    def click(self):
        r, P = self.rng, self.P
        npl = self.nscale(1, 3)
        P["click"] = []
        for g in range(npl):
            gid = f"click-{g + 1}"
            nw = int(self.LU(20, 300))
            free = self.free_humans()
            workers = r.choice(free, min(nw, len(free)), replace=False)
            self.role[workers] = R_CLICK
            self.group[workers] = gid
            cust = self.pick_customers(int(self.LU(20, 200)), self.U(0.4, 0.8))
            self.customers.update(cust.tolist())
            lpd = self.U(0.5, 4)
            nl = max(2, r.poisson(lpd * self.D))
            lt = np.sort(self.U(0, self.end - 0.5 * DAY, nl))
            take_m = self.U(0.1, 0.5)
            take = self.beta_mean(take_m, 5.0, len(workers))
            comp_m = self.U(0.6, 1.0)
            comp = np.clip(comp_m + 0.1 * r.standard_normal(len(workers)), 0.3, 1.0)
            dmed = self.U(3, 10) * H
            dsig = self.U(0.6, 1.1)
            wf = np.exp(0.4 * r.standard_normal(len(workers)))
            gapm = self.U(15, 120)
            ordered = r.random(len(workers)) < 0.5
            acts, tg, ts = [], [], []
            sizes = []
            # follow mode: each customer's follow order stays on the lists for 1-6 days only
            c_from = self.U(0, self.end - 0.5 * DAY, len(cust))
            c_to = c_from + self.LU(1 * DAY, 6 * DAY, len(cust))
            for T in lt:
                k = int(r.integers(5, 41))
                live = cust if self.mode == "like" else cust[(c_from <= T) & (T < c_to)]
                if len(live) == 0:
                    continue
                cs = r.choice(live, min(k, len(live)), replace=False)
                items = []
                for c in cs:
                    if self.mode == "like":
                        posts = self.posts_of(c, T - 3 * DAY, T)
                        if len(posts):
                            items.append(int(posts[-1]))
                    else:
                        items.append(int(c))
                if not items:
                    continue
                items = np.array(items)
                sizes.append(len(items))
                who = np.flatnonzero(r.random(len(workers)) < take)
                for wi in who:
                    m = r.random(len(items)) < comp[wi]
                    it = items[m]
                    if not ordered[wi]:
                        it = r.permutation(it)
                    if len(it) == 0:
                        continue
                    a = workers[wi]
                    st = T + dmed * wf[wi] * math.exp(dsig * r.standard_normal())
                    st = self.push_awake(np.array([st]), np.array([a]))[0]
                    acts.append(np.full(len(it), a)); tg.append(it)
                    ts.append(st + np.cumsum(r.exponential(gapm, len(it))))
            if acts:
                self.add("click", np.concatenate(acts), np.concatenate(tg), np.concatenate(ts))
            P["click"].append(dict(group=gid, workers=len(workers), customers=[self.ids[c] for c in cust],
                                   lists=len(sizes), lists_per_day=lpd, mean_list_size=float(np.mean(sizes)) if sizes else 0,
                                   take_rate_mean=take_m, completion_mean=comp_m, delay_median_h=dmed / H,
                                   delay_sigma=dsig, in_session_gap_s=gapm))

    # ------------------------------------------------------------------- pods
    def pods(self):
        r, P = self.rng, self.P
        npd = self.nscale(1, 5)
        P["pods"] = []
        ppw = {int(c): len(self.in_window_posts(c, 0)) for c in self.creators}
        for g in range(npd):
            gid = f"pod-{g + 1}"
            size = int(self.LU(5, 50))
            pool = np.array([c for c in self.creators if self.role[c] == R_ORG and c not in self.customers
                             and c not in self.fandom_creators and (ppw[int(c)] >= 3 or self.mode != "like")])
            if len(pool) < 5:
                break
            home = r.integers(self.K)
            w = np.where(self.c1[pool] == home, 1.0, 0.08)
            mem = pool[self.wsample(w, min(size, len(pool)))]
            self.role[mem] = R_POD
            self.group[mem] = gid
            auto = bool(r.random() < 0.35)
            rm = self.U(0.6, 0.95)
            rate = self.beta_mean(rm, 6.0, len(mem))
            dmed = self.LU(3 * MIN, 2 * H)
            dsig = self.U(0.5, 1.2)
            mf = np.exp(0.5 * r.standard_normal(len(mem)))
            info = dict(group=gid, members=len(mem), automated=auto, like_rate_mean=rm,
                        delay_median_min=dmed / MIN, delay_sigma=dsig)
            if self.mode == "like":
                acts, tg, ts = [], [], []
                for i, c in enumerate(mem):
                    posts = self.in_window_posts(c, -DAY)
                    others = np.delete(np.arange(len(mem)), i)
                    for p in posts:
                        o = others[r.random(len(others)) < rate[others]]
                        t = self.post_pub[p] + dmed * mf[o] * np.exp(dsig * r.standard_normal(len(o)))
                        if not auto:
                            t = self.push_awake(t, mem[o])
                        acts.append(mem[o]); tg.append(np.full(len(o), p)); ts.append(t)
            else:
                # follow-for-follow: founders at creation, later members join; each side follows the other
                t_create = self.U(0, self.end * 0.5)
                join = np.where(r.random(len(mem)) < 0.5, t_create, self.U(t_create, self.end, len(mem)))
                acts, tg, ts = [], [], []
                for i in range(len(mem)):
                    for j in range(len(mem)):
                        if i == j or r.random() >= rate[i]:
                            continue
                        t = max(join[i], join[j]) + dmed * mf[i] * math.exp(dsig * r.standard_normal())
                        acts.append([mem[i]]); tg.append([mem[j]]); ts.append([t])
                info["created_day"] = t_create / DAY
                acts = [np.array(a) for a in acts]; tg = [np.array(x) for x in tg]; ts = [np.array(x) for x in ts]
                if not auto and ts:
                    allt = self.push_awake(np.concatenate(ts), np.concatenate(acts))
                    acts, tg, ts = [np.concatenate(acts)], [np.concatenate(tg)], [allt]
            if acts:
                self.add("pod", np.concatenate(acts), np.concatenate(tg), np.concatenate(ts))
            P["pods"].append(info)

    # ---------------------------------------------------------- subscriptions
    def subs(self):
        r, P = self.rng, self.P
        ns = self.nscale(1, 4)
        P["subscriptions"] = []
        for g in range(ns):
            gid = f"sub-{g + 1}"
            ncl = int(r.integers(1, 11))
            cl = self.pick_customers(ncl * 2, self.U(0.4, 0.9))
            cl = np.array([c for c in cl if len(self.in_window_posts(c, 0)) >= 3])[:ncl]
            if len(cl) == 0:
                continue
            self.customers.update(cl.tolist())
            Nc = self.LU(10, 200, len(cl)).astype(int)
            pool_n = int(min(800, max(20, Nc.max() * self.U(1.2, 3.0))))
            Nc = np.minimum(Nc, int(pool_n * 0.9))
            tz = float(r.choice(TZ_CHOICES))
            bots = self.add_bots(pool_n, tz)
            self.role[bots] = R_SUB
            self.group[bots] = gid
            bw = np.exp(self.U(0, 1.0) * r.standard_normal(pool_n))
            smed = self.LU(1 * MIN, 30 * MIN)
            spread = self.LU(5 * MIN, 4 * H)
            has_camo = bool(r.random() < 0.5)
            camo_r = self.U(0.05, 0.4) if has_camo else 0.0
            pop_share = self.U(0.2, 0.9)
            acts, tg, ts = [], [], []
            own = np.zeros(pool_n, np.int64)
            clients = []
            for c, n in zip(cl, Nc):
                since = 0.0 if r.random() < 0.6 else self.U(0, self.end / 2)
                posts = self.in_window_posts(c, since)
                for p in posts:
                    k = int(round(n * self.U(0.9, 1.1)))
                    sel = self.wsample(bw, min(k, pool_n))
                    st = self.post_pub[p] + smed * math.exp(0.5 * r.standard_normal())
                    sp = spread * math.exp(0.4 * r.standard_normal())
                    acts.append(bots[sel]); tg.append(np.full(len(sel), p)); ts.append(st + sp * r.random(len(sel)))
                    own[sel] += 1
                clients.append(dict(client=self.ids[c], likes_per_post=int(n), since_day=since / DAY, posts=len(posts)))
            if acts:
                self.add("sub", np.concatenate(acts), np.concatenate(tg), np.concatenate(ts))
            if camo_r > 0:
                cb = np.repeat(bots, r.poisson(own * camo_r / (1 - camo_r)))
                if len(cb):
                    self.camo(cb, self.U(0, self.end, len(cb)), pop_share, "sub_camo")
            P["subscriptions"].append(dict(group=gid, pool=pool_n, clients=clients, start_delay_median_min=smed / MIN,
                                           spread_min=spread / MIN, camouflage_rate=camo_r,
                                           camouflage_popular_share=pop_share))

    # ------------------------------------------------------------- follow mode
    def organic_follows(self):
        r, P = self.rng, self.P
        self.sess_mean = self.U(1.2, 3.0)
        self.gap_mean = self.U(10, 90)
        gam = self.U(0.7, 1.0)
        gam_h = gam * self.U(0.3, 0.6)
        pf = self.U(0.1, 0.3)
        P["organic"] = dict(session_mean_size=self.sess_mean, in_session_gap_s=self.gap_mean,
                            popularity_exponent=gam, heavy_popularity_exponent=gam_h, friend_share=pf)
        accs = np.arange(self.N)
        owner, t = self.sessions(accs, self.budget, np.where(self.heavy, 0.5, 0.0))
        comm = self.pick_comm(owner)
        tgt = np.full(len(owner), -1, np.int64)
        friend = r.random(len(owner)) < pf
        for c in range(self.K):
            mem = np.flatnonzero(self.c1[: self.N] == c)
            cr = self.creators[self.c1[self.creators] == c]
            for h, g in ((0, gam), (1, gam_h)):
                sel = np.flatnonzero((comm == c) & ~friend & (self.heavy[owner] == bool(h)))
                if len(sel) and len(cr):
                    w = self.pop[cr] ** g
                    tgt[sel] = r.choice(cr, len(sel), p=w / w.sum())
            sel = np.flatnonzero((comm == c) & friend)
            if len(sel) and len(mem):
                tgt[sel] = r.choice(mem, len(sel))
        ok = tgt >= 0
        self.add("organic", owner[ok], tgt[ok], t[ok])

    def fandoms_follow(self):
        """fans follow their creator and part of the creator's circle, spread over the window."""
        r = self.rng
        for gi, c in enumerate(sorted(self.fandom_creators)):
            fans = np.flatnonzero(self.group[: self.N] == f"fandom-{self.ids[c]}")
            same = self.creators[(self.c1[self.creators] == self.c1[c]) & (self.creators != c)]
            if len(same) == 0:
                continue
            nc = min(len(same), int(r.integers(5, 26)))
            circle = same[self.wsample(self.pop[same], nc)]
            dev = self.beta_mean(self.U(0.3, 0.8), 4.0, len(fans))
            acts, tg = [], []
            m = r.random(len(fans)) < 0.6
            acts.append(fans[m]); tg.append(np.full(m.sum(), c))
            M = r.random((len(fans), len(circle))) < dev[:, None]
            fi, cj = np.nonzero(M)
            acts.append(fans[fi]); tg.append(circle[cj])
            a = np.concatenate(acts)
            self.add("fandom", a, np.concatenate(tg), self.clock_times(a))
            self.P["fandoms"][gi]["circle"] = len(circle)

    def viral_follow(self):
        r, P = self.rng, self.P
        n = len(self.vshare)
        w = self.pop[self.creators] ** 0.5
        va = self.creators[self.wsample(w, n)]
        self.viral_accounts = va
        humans = np.arange(self.N)
        act = (self.budget / self.bm) ** 0.3
        act = act / act.mean()
        P["viral"] = []
        for a, s in zip(va, self.vshare):
            T = self.U(0, self.end - 1.5 * DAY)
            med, sig = self.U(0.5, 4) * H, self.U(0.6, 1.2)
            sel = humans[r.random(self.N) < np.clip(s * act, 0, 0.95)]
            t = self.push_awake(T + self.LN(med, sig, len(sel)), sel)
            self.add("viral", sel, np.full(len(sel), a), t)
            P["viral"].append(dict(share=s, moment_day=T / DAY, delay_median_h=med / H, delay_sigma=sig, followers=len(sel)))

    # ------------------------------------------------------------------- run
    def run(self):
        t_start = _time.time()
        self.setup()
        # spare ids for bots (at most 4 farms x 500 + 4 subscription pools x 800 per unit of scale)
        self.ids = self.make_ids("a", self.N + int(6000 * max(1.0, self.scale)) + 2000, 10 ** 6, 10 ** 10)
        self.fandom_creators = set()
        self.make_posts()   # follow mode too: posting activity decides who can be a pod member / customer
        if self.mode == "like":
            self.post_ids = self.make_ids("x", self.NP, 10 ** 7, 10 ** 11)
        # planted coordinated groups first take their customers, so fandom creators stay clean
        if "farm" in self.kinds:
            self.farms()
        if "click" in self.kinds:
            self.click()
        if "sub" in self.kinds:
            if self.mode == "like":
                self.subs()
            else:
                self.P["subscriptions"] = "not modelled in follow mode"
        self.fandoms()
        if "pod" in self.kinds:
            self.pods()
        if self.mode == "like":
            self.viral()
            self.organic_likes()
        else:
            self.fandoms_follow()
            self.viral_follow()
            self.organic_follows()
        self.P["generation_seconds_core"] = _time.time() - t_start

    def make_ids(self, prefix, n, lo, hi):
        v = np.unique(self.rng.integers(lo, hi, int(n * 1.05) + 100))
        v = self.rng.permutation(v)[:n]
        assert len(v) == n
        return np.array([prefix + str(x) for x in v.tolist()], dtype=object)

    def assemble(self):
        srcs = np.concatenate([np.full(len(c[1]), i, np.int16) for i, c in enumerate(self.chunks)])
        a = np.concatenate([c[1] for c in self.chunks])
        p = np.concatenate([c[2] for c in self.chunks])
        t = np.concatenate([c[3] for c in self.chunks])
        names = [c[0] for c in self.chunks]
        raw = len(a)
        raw_by = {}
        for i, nm in enumerate(names):
            raw_by[nm] = raw_by.get(nm, 0) + len(self.chunks[i][1])
        self.P["rows_raw_by_source"] = raw_by
        if self.mode == "like":
            pub = self.post_pub[p]
            t = np.maximum(np.floor(t), pub)
            ok = (t >= 0) & (t < self.end) & (a != self.post_creator[p])
            NT = self.NP
        else:
            t = np.floor(t)
            ok = (t >= 0) & (t < self.end) & (a != p)
            NT = len(self.off)
        a, p, t, srcs = a[ok], p[ok], t[ok], srcs[ok]
        key = a * NT + p
        o = np.lexsort((t, key))
        first = np.r_[True, key[o][1:] != key[o][:-1]]
        keep = o[first]
        a, p, t, srcs = a[keep], p[keep], t[keep], srcs[keep]
        o = np.lexsort((self.rng.random(len(t)), t))
        self.a, self.p, self.t, self.src = a[o], p[o], t[o].astype(np.int64), srcs[o]
        counts = {}
        for i, nm in enumerate(names):
            counts[nm] = counts.get(nm, 0) + int((self.src == i).sum())
        self.P["rows_by_source"] = counts
        self.P["rows_raw_before_dedup"] = raw
        self.P["rows"] = len(self.a)

    def write(self, out, date_only_share=0.0, no_times=False):
        os.makedirs(out, exist_ok=True)
        r = self.rng
        ts = np.datetime_as_string(self.t0 + self.t.astype("timedelta64[s]"), unit="s")
        ts = np.char.add(ts.astype("U19"), "Z").astype(object)
        if date_only_share > 0:
            d = r.random(len(ts)) < date_only_share
            ts[d] = np.array([s[:10] for s in ts[d]], dtype=object)
        A = self.ids[self.a]
        if self.mode == "like":
            fn = "likes.csv"
            P = self.post_ids[self.p]
            au = self.ids[self.post_creator[self.p]]
            head = "account,post,time,author\n"
            lines = [f"{x},{y},{z},{w}" for x, y, z, w in zip(A, P, ts, au)]
            present = np.unique(np.concatenate([self.a, self.post_creator[self.p]]))
        else:
            fn = "follows.csv"
            P = self.ids[self.p]
            if no_times:
                head = "follower,followed\n"
                lines = [f"{x},{y}" for x, y in zip(A, P)]
            else:
                head = "follower,followed,time\n"
                lines = [f"{x},{y},{z}" for x, y, z in zip(A, P, ts)]
            present = np.unique(np.concatenate([self.a, self.p]))
        with open(os.path.join(out, fn), "w") as f:
            f.write(head)
            f.write("\n".join(lines))
            f.write("\n")
        ids = self.ids[present]
        o = np.argsort(ids.astype(str))
        rows = [f"{self.ids[i]},{ROLE_NAMES[self.role[i]]},{self.group[i]}" for i in present[o]]
        with open(os.path.join(out, "truth.csv"), "w") as f:
            f.write("account_id,role,group\n" + "\n".join(rows) + "\n")
        pres = set(present.tolist())
        heavy = sorted(self.ids[i] for i in np.flatnonzero(self.heavy) if i in pres)
        with open(os.path.join(out, "heavy.csv"), "w") as f:
            f.write("account_id\n" + "".join(h + "\n" for h in heavy))
        with open(os.path.join(out, "viral.csv"), "w") as f:
            if self.mode == "like":
                f.write("post_id\n" + "".join(self.post_ids[v] + "\n" for v in self.viral_posts))
            else:
                f.write("account_id\n" + "".join(self.ids[v] + "\n" for v in self.viral_accounts))
        # planted (non-camouflage) actions per coordinated account, to tell detectable members from idle ones
        names = [c[0] for c in self.chunks]
        planted = np.isin(self.src, [i for i, nm in enumerate(names) if nm in ("farm", "click", "pod", "sub")])
        pc = np.bincount(self.a[planted], minlength=len(self.off))
        co = [i for i in present if self.role[i] in (R_FARM, R_CLICK, R_POD, R_SUB)]
        co.sort(key=lambda i: self.ids[i])
        with open(os.path.join(out, "actions.csv"), "w") as f:
            f.write("account_id,planted_actions\n" + "".join(f"{self.ids[i]},{pc[i]}\n" for i in co))
        roles = np.bincount(self.role[present], minlength=6)
        self.P["accounts_present"] = len(present)
        self.P["accounts_by_role"] = {ROLE_NAMES[i]: int(roles[i]) for i in range(6)}
        self.P["heavy_present"] = len(heavy)
        self.P["customers"] = sorted(self.ids[c] for c in self.customers if c in pres)
        if self.mode == "like":
            self.P["posts_total"] = self.NP
            self.P["posts_liked"] = int(len(np.unique(self.p)))
        self.P["date_only_share"] = date_only_share
        self.P["file"] = fn
        with open(os.path.join(out, "meta.json"), "w") as f:
            json.dump(_py(self.P), f, indent=1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies accounts, rows and group counts")
    ap.add_argument("--kinds", default="farm,click,pod,sub", help="planted kinds: farm,click,pod,sub")
    ap.add_argument("--null", action="store_true", help="plant no coordinated group")
    ap.add_argument("--date-only-share", type=float, default=0.0)
    ap.add_argument("--interaction", choices=["like", "follow"], default="like")
    ap.add_argument("--no-times", action="store_true", help="follow mode: drop the time column")
    a = ap.parse_args(argv)
    kinds = [] if a.null else [k.strip() for k in a.kinds.split(",") if k.strip()]
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        ap.error(f"unknown kinds {bad}; choose from {KINDS}")
    t0 = _time.time()
    g = Gen(a.seed, a.scale, kinds, a.interaction)
    g.run()
    g.assemble()
    g.P["args"] = vars(a)
    g.write(a.out, a.date_only_share, a.no_times)
    dt = _time.time() - t0
    with open(os.path.join(a.out, "meta.json")) as f:
        meta = json.load(f)
    meta["generation_seconds_total"] = round(dt, 2)
    with open(os.path.join(a.out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(f"altworld seed={a.seed}: {g.P['rows']} rows, {g.P['accounts_present']} accounts, "
          f"roles {g.P['accounts_by_role']}, {dt:.1f}s -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
