#!/usr/bin/env python3
"""Deterministic benchmark corpus of helpline report lines, with ground truth.

    python3 Benchmarks/corpus/generate.py --lines 1000000 --seed 20240601 --out Benchmarks/.data/c

writes
    OUT/corpus.txt   one report line each, exactly one URL per line (free text around it)
    OUT/truth.tsv    header `line	item	url	short`:
                       line  1-based line number in corpus.txt
                       item  ground-truth id of the content the URL points at
                             (`tiktok/video/7234567890123456789`, `youtube/video/dQw4w9WgXcQ`,
                             `web/https://www.example.org/page?id=3` ...)
                       url   the URL token exactly as written in the line, as a tool that
                             cannot read free text would receive it once someone had cut it
                             out: wrapper, defanging, missing scheme, case and tracking
                             parameters included; the words and punctuation around it removed
                       short 1 when only a network request can tell the target (vm./vt.
                             tiktok.com, tiktok.com/t/, fb.watch, t.snapchat.com, reddit /s/
                             share links); `item` is still the real target, so a resolver
                             could be scored later, but offline metrics leave these lines out.
                             redd.it/ID and youtu.be/ID carry their id and are NOT short.

Why it looks like this (see PLATFORMS.md in the shared design notes, and the issue):
  * Mix by line: ~75 % TikTok (every shape the platform serves), then Instagram, YouTube,
    X, Facebook, Snapchat, Reddit, Discord and a few generic web pages whose real query
    parameters (?id=12&page=2, ?f=3&t=45) must survive while their order varies.
  * ~45 % of lines point at an item reported earlier (distinct items = 55 % of lines).
    The issue's peer figures (37-43 % of items split across several keys) are only
    possible when >40 % of items are reported more than once, so 44 % of items get 2+
    reports, with a power-law tail capped at MAX_REPORTS (a popular TikTok video gets
    ~30-40 reports in a dozen shapes) rather than a pure Zipf law (which would leave
    three quarters of items reported once).
  * Every report of an item is rendered independently: shape, tracking parameters,
    scheme/host case, http vs https, default port, fragment, scheme-less, defanged,
    mail/redirect wrapper, words and punctuation around.
  * Ground truth is conservative: two URLs share an item only where the platform really
    serves the same content (same TikTok video id under another user name, a reel also
    reachable at /p/CODE, a YouTube short at watch?v=, a Facebook post at /NAME/posts/ID
    and permalink.php?story_fbid=ID&id=UID ...). Where equivalence is arguable the
    generator does not vary it (generic pages keep their scheme and `www.`; YouTube
    handles, X and Facebook names keep their case; ids that differ only in case are
    different items).

Stdlib only; ~1M lines in roughly 10-20 s with CPython 3.11.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sys
import time
from urllib.parse import quote

# ---------------------------------------------------------------------------
# knobs
# ---------------------------------------------------------------------------

DISTINCT_SHARE = 0.55      # distinct items / lines  (=> ~45 % duplicate lines)
SINGLE_SHARE = 0.56        # share of items reported exactly once
MAX_REPORTS = 40           # cap of the popularity tail

# share of LINES per platform (popularity is independent of platform, so item
# shares and line shares agree)
PLATFORM_MIX = [
    ("tiktok", 72.0),
    ("instagram", 6.5),
    ("youtube", 5.5),
    ("x", 3.0),
    ("facebook", 3.0),
    ("snapchat", 1.2),
    ("reddit", 1.1),
    ("discord", 0.6),
    ("web", 1.6),
    # the platforms of issue 12: the long tail of school cases
    ("google", 1.2),
    ("vimeo", 0.4),
    ("dailymotion", 0.2),
    ("imgur", 0.4),
    ("tumblr", 0.3),
    ("bluesky", 0.4),
    ("linkedin", 0.4),
    ("pinterest", 0.4),
    ("mastodon", 0.4),
    ("spotify", 0.3),
    ("soundcloud", 0.3),
    ("ngl", 0.4),
    ("wattpad", 0.2),
    ("linktree", 0.2),
    ("padlet", 0.2),
]

ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
B64URL = ALNUM + "-_"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
HEX = "0123456789abcdef"
# YouTube ids: 11 chars of [0-9A-Za-z_-]; the last one only takes 16 values (the
# id is 64 bits in base64url), which is how real ids look.
YT_LAST = "AEIMQUYcgkosw048"
# Safe Links sdata is base64 with + and / percent-encoded
SDATA_SYMBOLS = list(ALNUM) + ["%2B", "%2F"]

WORDS = (
    "mr miss mrs sir teacher head deputy school academy year7 year8 year9 year10 "
    "year11 class form pupil student official real fake parody fan page club team "
    "oak ash elm river hill park green north south east west saint st mary john "
    "james george kings queens high primary college smith jones taylor brown "
    "wilson evans thomas roberts walker wright hall wood clarke lewis hughes "
    "the not banter drama tea spill exposed rate leaks memes clips"
).split()

TIKTOK_HOST = "tiktok.com"


class Item:
    """One piece of content. `kind` picks the renderer; the rest is its identity."""

    __slots__ = ("tid", "platform", "kind", "a", "b", "c", "aliases", "shorts", "extra")

    def __init__(self, tid, platform, kind, a, b=None, c=None):
        self.tid = tid          # ground-truth item id
        self.platform = platform
        self.kind = kind
        self.a = a              # main id / user
        self.b = b              # secondary (author user name, owner id ...)
        self.c = c
        self.aliases = None     # other user names the same content is reachable under
        self.shorts = None      # short-link codes already handed out for this item
        self.extra = None


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.rand = self.r.random
        self.seen_ids: set[str] = set()
        self.seen_users: set[str] = set()

    # ---- small random helpers (kept cheap: they run millions of times) ----
    def tok(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choices(alphabet, k=n))

    def pick(self, seq):
        return seq[int(self.rand() * len(seq))]

    def chance(self, p: float) -> bool:
        return self.rand() < p

    def digits(self, n: int, first: str = "") -> str:
        m = n - len(first)
        return first + str(self.r.randrange(10 ** (m - 1), 10 ** m))

    def unique(self, make):
        while True:
            v = make()
            if v not in self.seen_ids:
                self.seen_ids.add(v)
                return v

    def username(self, unique: bool = True, seps: str = "_.") -> str:
        """Lower-case user name using only separators from `seps`; when it identifies an
        item it is unique (case-insensitively, after the separators are applied)."""
        while True:
            w1, w2 = self.pick(WORDS), self.pick(WORDS)
            sep = self.pick(("", "") + tuple(seps))
            tail = self.pick(("", "", str(self.r.randrange(1, 100)), str(self.r.randrange(2000, 2025)), "_x", "official"))
            if "_" not in seps:
                tail = tail.replace("_", seps[:1])
            name = (w1 + sep + w2 + tail)[:24].strip("._-") or "user"
            if not unique:
                return name
            if name not in self.seen_users:
                self.seen_users.add(name)
                return name

    def case_variant(self, name: str) -> str:
        """How people retype a case-insensitive user name."""
        x = self.rand()
        if x < 0.35:
            return name.upper()
        if x < 0.7:  # capitalise each part
            out, up = [], True
            for ch in name:
                out.append(ch.upper() if up else ch)
                up = not ch.isalpha()
            return "".join(out)
        return "".join(ch.upper() if self.rand() < 0.4 else ch for ch in name)

    def host_case(self, host: str) -> str:
        x = self.rand()
        if x < 0.4:
            return host.upper()
        if x < 0.8:  # 'WWW.TikTok.com' style
            parts = host.split(".")
            return ".".join(p.upper() if p in ("www", "m") else p[:1].upper() + p[1:] for p in parts)
        return "".join(ch.upper() if self.rand() < 0.5 else ch for ch in host)


def weighted(pairs):
    """(values, cumulative weights) for fast bisect sampling."""
    vals, cum, t = [], [], 0.0
    for v, w in pairs:
        t += w
        vals.append(v)
        cum.append(t)
    return vals, cum, t


def sample(g: Gen, table):
    vals, cum, total = table
    return vals[bisect.bisect_right(cum, g.rand() * total)]


# ---------------------------------------------------------------------------
# tracking parameters: (name, value-maker) per platform, plus global ones.
# Values are already URL-safe.
# ---------------------------------------------------------------------------

def _global_params(g: Gen):
    x = g.rand()
    if x < 0.35:
        return [("utm_source", g.pick(("facebook", "whatsapp", "ig", "twitter", "newsletter", "copy_link"))),
                ("utm_medium", g.pick(("social", "email", "share", "ios_app", "android_app"))),
                ("utm_campaign", g.pick(("spring", "share", "tt4d_open_api", "parents_2024")))]
    if x < 0.55:
        return [("fbclid", "IwAR" + g.tok(B64URL, 56))]
    if x < 0.65:
        return [("gclid", "Cj0KCQ" + g.tok(ALNUM, 40))]
    if x < 0.75:
        return [("_ga", "2.%d.%d.%d" % (g.r.randrange(10**8, 10**9), g.r.randrange(10**9, 2 * 10**9), g.r.randrange(1_600_000_000, 1_720_000_000)))]
    if x < 0.82:
        return [("_gl", "1*" + g.tok(LOWER_ALNUM, 6) + "*_ga*" + g.tok(ALNUM, 20))]
    if x < 0.9:
        return [("msclkid", g.tok(HEX, 32))]
    if x < 0.95:
        return [("srsltid", "AfmBOo" + g.tok(B64URL, 40))]
    return [("utm_source", "share"), ("utm_content", g.tok(ALNUM, 8))]


def _web_params(g: Gen, item: Item):
    """News and blog pages shared from newsletters and share buttons: the tags
    news sites and mail tools add (issue 15), besides the global ones."""
    if item.kind not in ("web_news", "web_school") or g.rand() < 0.4:
        return _global_params(g)
    return g.pick((
        [("ref", g.pick(("newsletter", "twitter", "fb", "homepage")))],
        [("CMP", g.pick(("share_btn_tw", "share_btn_fb", "Share_iOSApp_Other")))],
        [("at_medium", "RSS"), ("at_campaign", g.pick(("KARANGA", "rss", "social_flow")))],
        [("smid", "nytcore-ios-share"), ("referringSource", "articleShare")],
        [("cmpid", "nl_" + g.tok(LOWER_ALNUM, 6)), ("mc", g.digits(2))],
        [("fb_source", "other"), ("fb_action_ids", g.digits(15))],
        [("ocid", "msedgntp"), ("cvid", g.tok(HEX, 32))],
        [("Echobox", g.digits(10))],
        [("mc_cid", g.tok(HEX, 10)), ("mc_eid", g.tok(HEX, 10))],
        [("_openstat", g.tok(B64URL, 16)), ("wtrid", g.digits(6))],
        [("hmb_campaign", "share"), ("hmb_medium", "social"), ("hmb_source", "tw")],
        [("itm_source", "parsely-api"), ("itm_medium", "related")],
        [("guccounter", "1"), ("guce_referrer", g.tok(B64URL, 24))],
    ))


def _tiktok_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.40:  # desktop "copy link"
        p = [("is_from_webapp", "1"), ("sender_device", "pc")]
        if g.chance(0.4):
            p.append(("web_id", g.digits(19, "7")))  # a 19-digit number that is NOT the video id
        return p
    if x < 0.62:  # app share
        return [("_r", "1"), ("_t", "8" + g.tok(ALNUM, 10)), ] + ([("_d", g.tok(LOWER_ALNUM, 10))] if g.chance(0.3) else [])
    if x < 0.72:
        return [("u_code", g.tok(LOWER_ALNUM, 12)), ("share_app_id", g.pick(("1233", "1180", "1988"))),
                ("share_item_id", item.a if item.kind in ("tt_video", "tt_photo") else g.digits(19, "7")),
                ("share_link_id", "%s-%s-%s-%s-%s" % (g.tok(HEX, 8), g.tok(HEX, 4), g.tok(HEX, 4), g.tok(HEX, 4), g.tok(HEX, 12))),
                ("timestamp", str(g.r.randrange(1_650_000_000, 1_720_000_000))),
                ("user_id", g.digits(19, "6")), ("sec_user_id", "MS4wLjABAAAA" + g.tok(B64URL, 52)),
                ("social_share_type", "0"), ("utm_source", "copy"), ("utm_campaign", "client_share"),
                ("utm_medium", "android"), ("share_iid", g.digits(19, "7")), ("tt_from", "copy"), ("source", "h5_m")]
    if x < 0.82:
        return [("lang", g.pick(("en", "en-GB", "cy", "pl-PL")))]
    if x < 0.88:
        return [("refer", "embed"), ("embed_source", g.pick(("121374463,121468991", "71381401"))),
                ("referer_url", "https%3A%2F%2Fwww.example-news.co.uk%2Farticle%2F" + g.digits(6)),
                ("referer_video_id", item.a if item.kind == "tt_video" else g.digits(19, "7"))]
    if x < 0.94:
        return [("preview_pb", "0"), ("share_region", "GB"), ("share_author_id", g.digits(19, "6")),
                ("checksum", g.tok(HEX, 32))]
    return _global_params(g)


def _instagram_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.45:
        return [("igsh", g.tok(B64URL, 16) + "%3D%3D" * (g.rand() < 0.5))]
    if x < 0.70:
        return [("igshid", g.tok(B64URL, 12) + ("%3D%3D" if g.chance(0.5) else ""))]
    if x < 0.85:
        return [("utm_source", "ig_web_copy_link")] + ([("igshid", g.tok(ALNUM, 10))] if g.chance(0.5) else [])
    if x < 0.93:
        return [("img_index", str(g.r.randrange(1, 9)))]
    return [("ig_rid", "%s-%s" % (g.tok(HEX, 8), g.tok(HEX, 4)))]


def _youtube_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.40:
        return [("si", g.tok(B64URL, 16))]
    if x < 0.55:
        return [("feature", g.pick(("share", "shared", "youtu.be", "emb_title")))]
    if x < 0.72:  # a timestamp is not a different video
        return [("t", g.pick(("%ds" % g.r.randrange(1, 900), str(g.r.randrange(1, 900)), "1m%ds" % g.r.randrange(0, 60))))]
    if x < 0.82:
        return [("pp", "ygU" + g.tok(B64URL, 12))]
    if x < 0.90:
        return [("ab_channel", g.pick(WORDS).capitalize() + g.pick(WORDS).capitalize())]
    return [("app", "desktop")] + _global_params(g)


def _x_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.45:
        return [("s", g.pick(("20", "19", "21", "46")))]
    if x < 0.80:
        return [("s", "46"), ("t", g.tok(B64URL, 22))]
    if x < 0.90:
        return [("ref_src", "twsrc%5Etfw")]
    if x < 0.95:
        return [("cxt", g.tok(B64URL, 24)), ("cn", g.tok(B64URL, 30))]
    return _global_params(g)


def _facebook_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.40:
        return [("mibextid", g.tok(ALNUM, 6) if g.chance(0.5) else "Nif5oz")]
    if x < 0.55:
        return [("rdid", g.tok(ALNUM, 16))] + ([("share_url", "https%3A%2F%2Fwww.facebook.com%2Fshare%2F" + g.tok(ALNUM, 9))] if g.chance(0.3) else [])
    if x < 0.70:  # the bracketed names copied from the desktop site
        return [("__cft__[0]", "AZ" + g.tok(B64URL, 40)), ("__tn__", g.pick(("%2CO%2CP-R", "-R", "%3C%2CP-R")))]
    if x < 0.78:
        return [("extid", g.pick(("WA-UNK-UNK-UNK-AN_GK0T-GK1C", "CL-UNK-UNK-UNK-IOS_GK0T-GK1C")) )]
    if x < 0.86:
        return [("ref", g.pick(("sharing", "share", "embed_post")))]
    if x < 0.92:
        return [("__xts__[0]", "68." + g.tok(B64URL, 30))]
    return _global_params(g)


def _snapchat_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.5:
        return [("share_id", g.tok(B64URL, 22)), ("locale", g.pick(("en_GB", "en-GB", "en_US")))]
    if x < 0.8:
        return [("sc_referrer", "SHARE"), ("sc_ua", g.tok(B64URL, 10))]
    return [("locale", "en-GB")]


def _reddit_params(g: Gen, item: Item):
    x = g.rand()
    if x < 0.6:
        return [("utm_source", "share"), ("utm_medium", g.pick(("web2x", "ios_app", "android_app", "mweb3x"))),
                ("utm_name", g.pick(("iossmf", "androidcss", "web3xcss"))), ("utm_term", "1"), ("utm_content", "share_button")][: g.r.randrange(2, 6)]
    if x < 0.8:
        return [("share_id", g.tok(B64URL, 21))]
    if x < 0.9:
        return [("ref", "share"), ("ref_source", "link")]
    return _global_params(g)


def _new_params(g: Gen, item: Item):
    """Share-sheet parameters of the issue-12 platforms; otherwise the global ones."""
    p = item.platform
    if g.chance(0.4):
        return _global_params(g)
    if p == "vimeo":
        return [("share", "copy")] + ([("fl", "sv"), ("fe", "ci")] if g.chance(0.5) else [])
    if p == "linkedin":
        return [("utm_source", "share"), ("utm_medium", "member_desktop"), ("rcm", "ACoAA" + g.tok(B64URL, 30))] if g.chance(0.6) else [("trk", "public_post")]
    if p == "pinterest":
        return [("invite_code", g.tok(HEX, 32)), ("sender", g.digits(18, "5"))]
    if p == "spotify":
        return [("si", g.tok(HEX, 16))]
    if p == "soundcloud":
        return [("si", g.tok(HEX, 32)), ("utm_source", "clipboard"), ("utm_medium", "text"), ("utm_campaign", "social_sharing")]
    if p == "google":
        return [("usp", g.pick(("sharing", "drive_link", "sf_link", "share_link")))]
    if p == "tumblr":
        return [("source", "share")]
    if p == "bluesky":
        return [("ref_src", "embed")]
    return _global_params(g)


TRACKERS = {
    "tiktok": _tiktok_params,
    "instagram": _instagram_params,
    "youtube": _youtube_params,
    "x": _x_params,
    "facebook": _facebook_params,
    "snapchat": _snapchat_params,
    "reddit": _reddit_params,
    "discord": lambda g, item: _global_params(g),
    "web": lambda g, item: _web_params(g, item),
}
for _p in ("google", "vimeo", "dailymotion", "imgur", "tumblr", "bluesky", "linkedin", "pinterest", "mastodon",
           "spotify", "soundcloud", "ngl", "wattpad", "linktree", "padlet"):
    TRACKERS[_p] = _new_params

# probability that a report carries tracking parameters, per platform
TRACK_P = {"tiktok": 0.45, "instagram": 0.45, "youtube": 0.45, "x": 0.5, "facebook": 0.45,
           "snapchat": 0.45, "reddit": 0.4, "discord": 0.03, "web": 0.3,
           "google": 0.5, "vimeo": 0.3, "dailymotion": 0.2, "imgur": 0.2, "tumblr": 0.3, "bluesky": 0.2,
           "linkedin": 0.6, "pinterest": 0.4, "mastodon": 0.2, "spotify": 0.7, "soundcloud": 0.6, "ngl": 0.2,
           "wattpad": 0.3, "linktree": 0.2, "padlet": 0.1}


# ---------------------------------------------------------------------------
# item makers
# ---------------------------------------------------------------------------

KINDS = {
    "tiktok": [("tt_video", 74), ("tt_photo", 6), ("tt_profile", 16), ("tt_live", 4)],
    "instagram": [("ig_post", 40), ("ig_reel", 35), ("ig_tv", 3), ("ig_story", 7), ("ig_profile", 15)],
    "youtube": [("yt_video", 82), ("yt_channel", 6), ("yt_handle", 10), ("yt_custom", 2)],
    "x": [("x_status", 85), ("x_profile", 15)],
    "facebook": [("fb_post", 34), ("fb_pfbid", 16), ("fb_video", 16), ("fb_reel", 10), ("fb_profile_id", 8),
                 ("fb_profile", 6), ("fb_group_post", 8), ("fb_group", 2)],
    "snapchat": [("sc_profile", 75), ("sc_spotlight", 25)],
    "reddit": [("rd_post", 85), ("rd_user", 15)],
    "discord": [("dc_invite", 100)],
    "web": [("web_school", 40), ("web_news", 35), ("web_forum", 12), ("web_wiki", 5), ("web_idn", 8)],
    "google": [("gd_doc", 55), ("gd_form", 20), ("gd_file", 25)],
    "vimeo": [("vm_video", 80), ("vm_unlisted", 20)],
    "dailymotion": [("dm_video", 100)],
    "imgur": [("im_image", 70), ("im_album", 30)],
    "tumblr": [("tb_post", 100)],
    "bluesky": [("bs_post", 75), ("bs_profile", 25)],
    "linkedin": [("li_post", 70), ("li_profile", 30)],
    "pinterest": [("pn_pin", 100)],
    "mastodon": [("md_post", 75), ("md_profile", 25)],
    "spotify": [("sp_episode", 100)],
    "soundcloud": [("scl_track", 100)],
    "ngl": [("ngl_profile", 100)],
    "wattpad": [("wp_story", 60), ("wp_part", 40)],
    "linktree": [("lt_profile", 100)],
    "padlet": [("pd_padlet", 100)],
}
NEW_PLATFORMS = {"google", "vimeo", "dailymotion", "imgur", "tumblr", "bluesky", "linkedin", "pinterest", "mastodon",
                 "spotify", "soundcloud", "ngl", "wattpad", "linktree", "padlet"}
# mastodon.social and mas.to have a rule file of their own; the others are any
# fediverse server, which web.yaml's generic rules take
FEDI_HOSTS = ["mastodon.social", "mas.to", "social.example-school.org", "toot.example-town.uk", "fedi.example.net"]
KIND_TABLES = {p: weighted(k) for p, k in KINDS.items()}
PLATFORM_TABLE = weighted(PLATFORM_MIX)

SUBREDDITS = ["unitedkingdom", "CasualUK", "AskUK", "teachers", "GCSE", "6thForm", "london", "manchester",
              "TikTokCringe", "BritishTeachers", "parenting", "Scotland", "wales", "leeds", "bristol"]
SCHOOL_HOSTS = ["%s-%s.sch.uk", "www.%s%s.sch.uk", "%s-%s-academy.org.uk", "www.%s%sprimary.co.uk",
                "%s%s-school.org", "blogs.%s-%s.org.uk"]
NEWS_HOSTS = ["www.bbc.co.uk", "www.theguardian.com", "www.independent.co.uk", "www.manchestereveningnews.co.uk",
              "www.walesonline.co.uk", "news.sky.com", "www.dailyecho.co.uk", "www.tes.com", "schoolsweek.co.uk"]
FORUM_HOSTS = ["forums.example-parents.co.uk", "www.localtalk-board.net", "community.teachersnet.org",
               "www.mumsnet.com"]
IDN_HOSTS = ["www.schüle-wörth.de", "école-sainte-marie.fr", "www.grüne-schule.at", "www.colegio-españa.es"]


def make_new_item(g: Gen, platform: str, kind: str) -> Item:
    """Items of the issue-12 platforms. Ids are what the platforms use; names are
    lower-case and reported in other case where the platform ignores case."""
    if kind == "gd_doc":
        i = g.unique(lambda: "1" + g.tok(B64URL, 43))
        return Item("google/document/" + i, platform, kind, i)
    if kind == "gd_form":
        i = g.unique(lambda: "1FAIpQL" + g.tok(B64URL, 49))
        return Item("google/form/" + i, platform, kind, i)
    if kind == "gd_file":
        i = g.unique(lambda: "1" + g.tok(B64URL, 32))
        return Item("google/file/" + i, platform, kind, i)
    if kind in ("vm_video", "vm_unlisted"):
        i = g.unique(lambda: g.digits(9, "8"))
        it = Item("vimeo/video/" + i, platform, kind, i)
        it.b = g.tok(HEX, 10) if kind == "vm_unlisted" else None
        return it
    if kind == "dm_video":
        i = g.unique(lambda: "x" + g.tok(LOWER_ALNUM, 6))
        return Item("dailymotion/video/" + i, platform, kind, i)
    if kind == "im_image":
        i = g.unique(lambda: g.tok(ALNUM, 7))
        return Item("imgur/image/" + i, platform, kind, i)
    if kind == "im_album":
        i = g.unique(lambda: g.tok(ALNUM, 7))
        return Item("imgur/album/" + i, platform, kind, i, "-".join(g.pick(WORDS) for _ in range(3)))
    if kind == "tb_post":
        i = g.unique(lambda: g.digits(18, "7"))
        return Item("tumblr/post/" + i, platform, kind, i, g.username(seps="-").replace("_", "-").replace(".", "-"),
                    "-".join(g.pick(WORDS) for _ in range(3)))
    if kind == "bs_post":
        rk = g.unique(lambda: "3k" + g.tok("234567abcdefghijklmnopqrstuvwxyz", 11))
        return Item("bluesky/post/" + rk, platform, kind, rk, g.username(seps="-").replace("_", "-") + ".bsky.social")
    if kind == "bs_profile":
        h = g.username(seps="-").replace("_", "-") + ".bsky.social"
        return Item("bluesky/profile/" + h, platform, kind, h)
    if kind == "li_post":
        i = g.unique(lambda: g.digits(19, "7"))
        return Item("linkedin/post/" + i, platform, kind, i, g.username(seps="-").replace("_", "-").replace(".", "-"))
    if kind == "li_profile":
        n = g.username(seps="-").replace("_", "-").replace(".", "-") + "-" + g.tok(HEX, 8)
        return Item("linkedin/profile/" + n, platform, kind, n)
    if kind == "pn_pin":
        i = g.unique(lambda: g.digits(18, "1"))
        return Item("pinterest/pin/" + i, platform, kind, i, "-".join(g.pick(WORDS) for _ in range(3)))
    if kind in ("md_post", "md_profile"):
        host = g.pick(FEDI_HOSTS)
        u = g.username(seps="_")
        if kind == "md_profile":
            return Item("mastodon/profile/%s/%s" % (host, u), platform, kind, u, host)
        i = g.unique(lambda: g.digits(18, "1"))
        return Item("mastodon/post/%s/%s" % (host, i), platform, kind, i, host, u)
    if kind == "sp_episode":
        i = g.unique(lambda: g.tok(ALNUM, 22))
        return Item("spotify/episode/" + i, platform, kind, i)
    if kind == "scl_track":
        u = g.username(seps="-").replace("_", "-").replace(".", "-")
        t = "-".join(g.pick(WORDS) for _ in range(3)) + "-" + g.digits(3)
        return Item("soundcloud/track/%s/%s" % (u, t), platform, kind, u, t)
    if kind == "ngl_profile":
        u = g.username()
        return Item("ngl/profile/" + u, platform, kind, u)
    if kind in ("wp_story", "wp_part"):
        i = g.unique(lambda: g.digits(9 if kind == "wp_story" else 10, "3" if kind == "wp_story" else "1"))
        return Item(("wattpad/story/" if kind == "wp_story" else "wattpad/part/") + i, platform, kind, i,
                    "-".join(g.pick(WORDS) for _ in range(3)))
    if kind == "lt_profile":
        u = g.username()
        return Item("linktree/profile/" + u, platform, kind, u)
    u = g.username(seps="_")
    slug = "-".join(g.pick(WORDS) for _ in range(2)) + "-" + g.tok(LOWER_ALNUM, 16)
    return Item("padlet/%s/%s" % (u, slug), platform, kind, u, slug)


def make_item(g: Gen, platform: str) -> Item:
    kind = sample(g, KIND_TABLES[platform])
    if kind[:3] in ("gd_", "vm_", "dm_", "im_", "tb_", "bs_", "li_", "pn_", "md_", "sp_", "wp_", "lt_", "pd_") \
            or kind in ("scl_track", "ngl_profile"):
        return make_new_item(g, platform, kind)
    if kind == "tt_video" or kind == "tt_photo":
        vid = g.unique(lambda: g.digits(19, "7"))
        it = Item(("tiktok/video/" if kind == "tt_video" else "tiktok/photo/") + vid, platform, kind, vid,
                  g.username(unique=False))
        if g.chance(0.25):  # the account was renamed: the same id under another user name
            it.aliases = [g.username(unique=False)]
        return it
    if kind in ("tt_profile", "tt_live"):
        u = g.username()
        return Item(("tiktok/profile/" if kind == "tt_profile" else "tiktok/live/") + u, platform, kind, u)
    if kind in ("ig_post", "ig_reel", "ig_tv"):
        code = g.unique(lambda: g.pick("CDB") + g.tok(B64URL, 10))
        return Item("instagram/%s/%s" % (kind[3:], code), platform, kind, code, g.username(unique=False))
    if kind == "ig_story":
        sid = g.unique(lambda: g.digits(19, "3"))
        u = g.username(unique=False)
        return Item("instagram/story/%s/%s" % (u, sid), platform, kind, sid, u)
    if kind == "ig_profile":
        u = g.username()
        return Item("instagram/profile/" + u, platform, kind, u)
    if kind == "yt_video":
        vid = g.unique(lambda: g.tok(B64URL, 10) + g.pick(YT_LAST))
        return Item("youtube/video/" + vid, platform, kind, vid)
    if kind == "yt_channel":
        cid = g.unique(lambda: "UC" + g.tok(B64URL, 21) + g.pick("AQgw"))
        return Item("youtube/channel/" + cid, platform, kind, cid)
    if kind == "yt_handle":
        # handle case is kept as written everywhere: whether YouTube folds it is not
        # something this corpus wants to assert.
        h = g.username()
        return Item("youtube/handle/" + h, platform, kind, h)
    if kind == "yt_custom":
        n = g.username(seps="_")
        return Item("youtube/c/" + n, platform, kind, n, g.pick(("c", "user")))
    if kind == "x_status":
        sid = g.unique(lambda: g.digits(19, "1"))
        it = Item("x/status/" + sid, platform, kind, sid, g.username(unique=False, seps="_"))
        if g.chance(0.15):
            it.aliases = [g.username(unique=False, seps="_")]
        return it
    if kind == "x_profile":
        u = g.username(seps="_")
        return Item("x/profile/" + u, platform, kind, u)
    if kind == "fb_post":
        pid = g.unique(lambda: g.digits(g.pick((15, 16, 17)), "1"))
        uid = g.digits(15, "1")
        return Item("facebook/post/" + pid, platform, kind, pid, g.username(seps="."), uid)
    if kind == "fb_pfbid":
        pid = g.unique(lambda: "pfbid0" + g.tok("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", g.pick((47, 50, 53))) + "l")
        uid = g.digits(15, "1")
        return Item("facebook/post/" + pid, platform, kind, pid, g.username(seps="."), uid)
    if kind in ("fb_video", "fb_reel"):
        vid = g.unique(lambda: g.digits(g.pick((15, 16)), "1"))
        return Item(("facebook/video/" if kind == "fb_video" else "facebook/reel/") + vid, platform, kind, vid,
                    g.username(seps="."))
    if kind == "fb_profile_id":
        pid = g.unique(lambda: "1000" + g.digits(11, "8"))
        return Item("facebook/profile/" + pid, platform, kind, pid)
    if kind == "fb_profile":
        n = g.username(seps=".")
        return Item("facebook/profile/" + n, platform, kind, n)
    if kind == "fb_group_post":
        gid = g.digits(15, "1") if g.chance(0.8) else g.username(seps="")
        pid = g.unique(lambda: g.digits(16, "1"))
        return Item("facebook/grouppost/" + pid, platform, kind, pid, gid)
    if kind == "fb_group":
        gid = g.unique(lambda: g.digits(15, "1"))
        return Item("facebook/group/" + gid, platform, kind, gid)
    if kind == "sc_profile":
        u = g.username(seps="-_.")
        return Item("snapchat/profile/" + u, platform, kind, u)
    if kind == "sc_spotlight":
        sid = g.unique(lambda: "W7_EDlXWTBiXAEEniNoMPwAA" + g.tok(B64URL, 20))
        return Item("snapchat/spotlight/" + sid, platform, kind, sid)
    if kind == "rd_post":
        pid = g.unique(lambda: g.pick("1") + g.tok(BASE36, 6))
        slug = "_".join(g.pick(WORDS) for _ in range(g.r.randrange(2, 8)))
        return Item("reddit/post/" + pid, platform, kind, pid, g.pick(SUBREDDITS), slug)
    if kind == "rd_user":
        u = g.username(seps="-_")
        return Item("reddit/user/" + u, platform, kind, u, g.pick(("user", "u")))
    if kind == "dc_invite":
        code = g.unique(lambda: g.tok(ALNUM, g.pick((7, 8, 10))) if g.chance(0.85) else g.username(seps=""))
        return Item("discord/invite/" + code, platform, kind, code)
    # ---- generic web pages: the item id is the canonical URL; query parameters are real
    # content (kept), only their order varies between reports.
    if kind == "web_school":
        host = g.pick(SCHOOL_HOSTS) % (g.pick(WORDS), g.pick(WORDS))
        path = g.pick(("/blog/post.php", "/news/index.php", "/index.php", "/page.aspx", "/parents/letters.php"))
        params = [("id", str(g.r.randrange(1, 500))), ("page", str(g.r.randrange(1, 6)))]
        if g.chance(0.5):
            params.append(g.pick((("cat", str(g.r.randrange(1, 20))), ("lang", "en"), ("year", "2024"), ("sort", "new"))))
    elif kind == "web_news":
        host = g.pick(NEWS_HOSTS)
        path = "/news/%s-%s-%s" % (g.pick(("uk", "education", "local")), g.pick(WORDS), g.digits(8))
        params = [] if g.chance(0.7) else [("page", str(g.r.randrange(2, 5)))]
    elif kind == "web_forum":
        host = g.pick(FORUM_HOSTS)
        path = g.pick(("/viewtopic.php", "/talk/thread.php", "/showthread.php"))
        # f/t/start: `t` here is a topic id, NOT X's tracking `t`
        params = [("f", str(g.r.randrange(1, 60))), ("t", str(g.r.randrange(1000, 99999)))]
        if g.chance(0.5):
            params.append(("start", str(20 * g.r.randrange(1, 10))))
    elif kind == "web_wiki":
        host = "en.wikipedia.org"
        path = "/wiki/%s_(%s)" % (g.pick(WORDS).capitalize() + "_" + g.pick(WORDS), g.pick(("school", "band", "film", "disambiguation")))
        params = []
    else:  # web_idn: Unicode host and path, sometimes written in punycode / percent-encoded
        host = g.pick(IDN_HOSTS)
        path = "/aktuelles/%s-%s" % (g.pick(("schüler", "élèves", "información", "grüße")), g.digits(4))
        params = [("id", str(g.r.randrange(1, 99)))] if g.chance(0.5) else []
    scheme = "https" if g.chance(0.9) else "http"
    canon_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    canon_path = quote(path, safe="/()_-.~")
    canon = "%s://%s%s" % (scheme, canon_host, canon_path)
    if params:
        canon += "?" + "&".join("%s=%s" % kv for kv in params)
    # two generic items never differ only by scheme: http and https of one host and path
    # are the same page as far as a helpline is concerned, so truth must not split them
    dedupe_id = "web:" + canon.split("://", 1)[1]
    if dedupe_id in g.seen_ids:
        return make_item(g, platform)
    g.seen_ids.add(dedupe_id)
    it = Item("web/" + canon, platform, kind, host, path, params)
    it.extra = scheme
    return it


# ---------------------------------------------------------------------------
# renderers: item -> (scheme_allowed, host, path, [content params]) for one report,
# or a short link.  A renderer returns (host, path, params, platform_for_tracking, short)
# ---------------------------------------------------------------------------

TT_VIDEO_SHAPES = weighted([
    ("www", 38), ("bare", 10), ("m", 8), ("v_html", 4), ("embed_v2", 3), ("embed", 2),
    ("tiktokv", 2), ("short", 9), ("secid", 1), ("nouser", 0.5), ("vxtiktok", 0.5),
])
TT_SHORT_KINDS = weighted([("vm", 60), ("vt", 25), ("t", 15)])


def tt_user(g: Gen, item: Item) -> str:
    u = item.b
    if item.aliases and g.chance(0.3):
        u = item.aliases[0]
    if g.chance(0.12):
        u = g.case_variant(u)
    return ("%40" if g.chance(0.01) else "@") + u


def tt_host(g: Gen) -> str:
    x = g.rand()
    return "www.tiktok.com" if x < 0.72 else ("tiktok.com" if x < 0.87 else "m.tiktok.com")


def short_code(g: Gen, item: Item, make) -> str:
    """Short links: several people forward the same link; others share afresh."""
    if item.shorts and g.chance(0.45):
        return g.pick(item.shorts)
    c = make()
    if item.shorts is None:
        item.shorts = []
    item.shorts.append(c)
    return c


def render_new(g: Gen, item: Item):
    """Renderers of the issue-12 platforms: (host, path, params, short)."""
    k = item.kind
    x = g.rand()
    if k == "gd_doc":
        tail = g.pick(("/edit", "/edit", "/view", "/mobilebasic", "", "/"))
        prefix = "/document/u/%d/d/" % g.r.randrange(0, 3) if x < 0.15 else "/document/d/"
        return "docs.google.com", prefix + item.a + tail, [], False
    if k == "gd_form":
        if x < 0.1:
            c = short_code(g, item, lambda: g.tok(ALNUM, 17))
            return "forms.gle", "/" + c, [], True
        return "docs.google.com", "/forms/d/e/%s/viewform" % item.a, [], False
    if k == "gd_file":
        if x < 0.55:
            return "drive.google.com", "/file/d/%s/%s" % (item.a, g.pick(("view", "view", "preview", "edit"))), [], False
        if x < 0.8:
            return "drive.google.com", "/open", [("id", item.a)], False
        return "drive.google.com", "/uc", [("export", "download"), ("id", item.a)], False
    if k == "vm_video":
        if x < 0.6:
            return "vimeo.com", "/" + item.a, [], False
        if x < 0.85:
            return "player.vimeo.com", "/video/" + item.a, ([("badge", "0"), ("autopause", "0")] if g.chance(0.5) else []), False
        return "vimeo.com", "/channels/staffpicks/" + item.a, [], False
    if k == "vm_unlisted":  # the hash only grants access: the same video
        if x < 0.6:
            return "vimeo.com", "/%s/%s" % (item.a, item.b), [], False
        return "player.vimeo.com", "/video/" + item.a, [("h", item.b)] + ([("badge", "0")] if g.chance(0.5) else []), False
    if k == "dm_video":
        if x < 0.55:
            return "www.dailymotion.com", "/video/" + item.a, [], False
        if x < 0.85:
            return "dai.ly", "/" + item.a, [], False
        return "www.dailymotion.com", "/embed/video/" + item.a, [], False
    if k == "im_image":
        if x < 0.5:
            return "i.imgur.com", "/%s.%s" % (item.a, g.pick(("jpg", "jpeg", "png", "gif"))), [], False
        if x < 0.6:
            return "i.imgur.com", "/%sm.jpg" % item.a, [], False
        return g.pick(("imgur.com", "imgur.com", "m.imgur.com")), "/" + item.a, [], False
    if k == "im_album":
        return "imgur.com", ("/a/" + item.a) if x < 0.6 else "/a/%s-%s" % (item.b, item.a), [], False
    if k == "tb_post":
        if x < 0.45:
            return "%s.tumblr.com" % item.b, "/post/%s/%s" % (item.a, item.c) if g.chance(0.7) else "/post/" + item.a, [], False
        if x < 0.9:
            return "www.tumblr.com", "/%s/%s/%s" % (item.b, item.a, item.c) if g.chance(0.6) else "/%s/%s" % (item.b, item.a), [], False
        return "www.tumblr.com", "/blog/view/%s/%s" % (item.b, item.a), [], False
    if k == "bs_post":
        h = g.case_variant(item.b) if g.chance(0.2) else item.b
        return "bsky.app", "/profile/%s/post/%s" % (h, item.a), [], False
    if k == "bs_profile":
        h = g.case_variant(item.a) if g.chance(0.2) else item.a
        return "bsky.app", "/profile/%s%s" % (h, g.pick(("", "", "/media", "/replies"))), [], False
    if k == "li_post":
        host = g.pick(("www.linkedin.com", "www.linkedin.com", "linkedin.com", "uk.linkedin.com"))
        if x < 0.6:
            words = "-".join(g.pick(WORDS) for _ in range(g.r.randrange(2, 6)))
            return host, "/posts/%s_%s-activity-%s-%s" % (item.b, words, item.a, g.tok(B64URL, 4)), [], False
        colon = "%3A" if g.chance(0.3) else ":"
        return host, "/feed/update/urn%sli%sactivity%s%s/" % (colon, colon, colon, item.a), [], False
    if k == "li_profile":
        n = g.case_variant(item.a) if g.chance(0.2) else item.a
        return g.pick(("www.linkedin.com", "uk.linkedin.com", "linkedin.com")), "/in/%s/" % n, [], False
    if k == "pn_pin":
        host = g.pick(("www.pinterest.com", "www.pinterest.com", "pinterest.com", "www.pinterest.co.uk", "uk.pinterest.com", "www.pinterest.de"))
        return host, "/pin/%s/" % item.a if x < 0.7 else "/pin/%s--%s/" % (item.b, item.a), [], False
    if k == "md_post":
        u = g.case_variant(item.c) if g.chance(0.2) else item.c
        if x < 0.75:
            return item.b, "/@%s/%s" % (u, item.a), [], False
        if x < 0.9:
            return item.b, "/users/%s/statuses/%s" % (u, item.a), [], False
        return item.b, "/@%s/%s/embed" % (u, item.a), [], False
    if k == "md_profile":
        u = g.case_variant(item.a) if g.chance(0.3) else item.a
        return item.b, "/@%s" % u if x < 0.8 else "/users/%s" % u, [], False
    if k == "sp_episode":
        if x < 0.75:
            return "open.spotify.com", "/episode/" + item.a, [], False
        if x < 0.9:
            return "open.spotify.com", "/intl-%s/episode/%s" % (g.pick(("de", "fr", "es", "it")), item.a), [], False
        return "open.spotify.com", "/embed/episode/" + item.a, [], False
    if k == "scl_track":
        u, t = item.a, item.b
        if g.chance(0.15):
            u = g.case_variant(u)
        return ("soundcloud.com" if x < 0.85 else "m.soundcloud.com"), "/%s/%s" % (u, t), [], False
    if k in ("ngl_profile", "lt_profile"):
        u = g.case_variant(item.a) if g.chance(0.3) else item.a
        return ("ngl.link" if k == "ngl_profile" else "linktr.ee"), "/" + u, [], False
    if k in ("wp_story", "wp_part"):
        base = "/story/" if k == "wp_story" else "/"
        return "www.wattpad.com", base + item.a + ("-" + item.b if x < 0.7 else ""), [], False
    u = g.case_variant(item.a) if g.chance(0.2) else item.a
    return "padlet.com", "/%s/%s" % (u, item.b), [], False


def render(g: Gen, item: Item):
    k = item.kind
    if item.platform in NEW_PLATFORMS:
        return render_new(g, item)
    slash = "/" if g.chance(0.15) else ""
    if k == "tt_video":
        shape = sample(g, TT_VIDEO_SHAPES)
        if shape == "short":
            sk = sample(g, TT_SHORT_KINDS)
            if sk == "vm":
                c = short_code(g, item, lambda: "ZM" + g.tok(ALNUM, 7))
                return "vm.tiktok.com", "/%s/" % c if g.chance(0.85) else "/" + c, [], True
            if sk == "vt":
                c = short_code(g, item, lambda: "ZS" + g.tok(ALNUM, 7))
                return "vt.tiktok.com", "/%s/" % c if g.chance(0.85) else "/" + c, [], True
            c = short_code(g, item, lambda: "ZT" + g.tok(ALNUM, 7))
            return ("www.tiktok.com" if g.chance(0.7) else "tiktok.com"), "/t/%s/" % c, [], True
        if shape == "www":
            return "www.tiktok.com", "/%s/video/%s%s" % (tt_user(g, item), item.a, slash), [], False
        if shape == "secid":  # the account's secure id in place of its name
            return "www.tiktok.com", "/@MS4wLjABAAAA%s/video/%s" % (g.tok(B64URL, 52), item.a), [], False
        if shape == "nouser":
            return "www.tiktok.com", "/@/video/%s" % item.a, [], False
        if shape == "vxtiktok":
            return "vxtiktok.com", "/%s/video/%s" % (tt_user(g, item), item.a), [], False
        if shape == "bare":
            return "tiktok.com", "/%s/video/%s%s" % (tt_user(g, item), item.a, slash), [], False
        if shape == "m":
            return "m.tiktok.com", "/%s/video/%s%s" % (tt_user(g, item), item.a, slash), [], False
        if shape == "v_html":
            return "m.tiktok.com", "/v/%s.html" % item.a, [], False
        if shape == "embed_v2":
            return "www.tiktok.com", "/embed/v2/%s" % item.a, [], False
        if shape == "embed":
            return "www.tiktok.com", "/embed/%s" % item.a, [], False
        return "www.tiktokv.com", "/share/video/%s/" % item.a if g.chance(0.6) else "/share/video/%s" % item.a, [], False
    if k == "tt_photo":
        return tt_host(g), "/%s/photo/%s%s" % (tt_user(g, item), item.a, slash), [], False
    if k == "tt_profile":
        u = g.case_variant(item.a) if g.chance(0.3) else item.a
        return tt_host(g), "/@%s%s" % (u, slash), [], False
    if k == "tt_live":
        u = g.case_variant(item.a) if g.chance(0.3) else item.a
        return tt_host(g), "/@%s/live%s" % (u, slash), ([("enter_from_merge", "others_homepage"), ("enter_method", "others_photo")] if g.chance(0.2) else []), False
    # ---- Instagram: the shortcode identifies the media whatever the path says
    if k in ("ig_post", "ig_reel", "ig_tv"):
        host = "www.instagram.com" if g.chance(0.8) else ("instagram.com" if g.chance(0.7) else "instagr.am")
        tail = "/" if g.chance(0.75) else ""
        x = g.rand()
        if k == "ig_post":
            path = "/p/%s%s" % (item.a, tail) if x < 0.85 else "/%s/p/%s%s" % (item.b, item.a, tail)
        elif k == "ig_reel":  # Instagram serves a reel at /reel/, /reels/ and /p/
            path = ("/reel/%s%s" if x < 0.7 else "/reels/%s%s" if x < 0.85 else "/p/%s%s") % (item.a, tail)
        else:
            path = ("/tv/%s%s" if x < 0.75 else "/p/%s%s") % (item.a, tail)
        if k != "ig_tv" and g.chance(0.03):  # the embed player copied out of a page
            path = path.rstrip("/") + "/embed/" + ("captioned/" if g.chance(0.3) else "")
        return host, path, [], False
    if k == "ig_story":
        u = g.case_variant(item.b) if g.chance(0.2) else item.b
        return ("www.instagram.com" if g.chance(0.85) else "instagram.com"), "/stories/%s/%s/" % (u, item.a) if g.chance(0.7) else "/stories/%s/%s" % (u, item.a), [], False
    if k == "ig_profile":
        u = g.case_variant(item.a) if g.chance(0.3) else item.a
        host = "www.instagram.com" if g.chance(0.75) else ("instagram.com" if g.chance(0.8) else ("m.instagram.com" if g.chance(0.5) else "instagr.am"))
        return host, "/%s/" % u if g.chance(0.6) else "/" + u, [], False
    # ---- YouTube: one id, many doors; ids keep their case
    if k == "yt_video":
        x = g.rand()
        if x < 0.38:
            return "www.youtube.com", "/watch", [("v", item.a)], False
        if x < 0.62:
            return "youtu.be", "/" + item.a, [], False
        if x < 0.70:
            return "m.youtube.com", "/watch", [("v", item.a)], False
        if x < 0.74:
            return "youtube.com", "/watch", [("v", item.a)], False
        if x < 0.84:
            return ("www.youtube.com" if g.chance(0.8) else "youtube.com"), "/shorts/" + item.a, [], False
        if x < 0.89:
            return "www.youtube.com", "/embed/" + item.a, [], False
        if x < 0.93:
            return "www.youtube.com", "/live/" + item.a, [], False
        if x < 0.96:
            return "music.youtube.com", "/watch", [("v", item.a)], False
        if x < 0.975:
            return "www.youtube.com", "/v/" + item.a, [], False
        if x < 0.98:
            return "www.youtube-nocookie.com", "/embed/" + item.a, [], False
        y = g.rand()
        if y < 0.25:
            return "www.youtube.com", "/watch_popup", [("v", item.a)], False
        if y < 0.5:
            return "www.youtubekids.com", "/watch", [("v", item.a)], False
        if y < 0.75:
            return g.pick(("yewtu.be", "inv.nadeko.net", "piped.video")), "/watch", [("v", item.a)], False
        # the cookie-consent page a link lands on in the UK and EU
        return "consent.youtube.com", "/m", [("continue", enc_all("https://www.youtube.com/watch?v=%s&cbrd=1" % item.a)),
                                             ("gl", "GB"), ("m", "0"), ("pc", "yt"), ("hl", "en"), ("src", "1")], False
    if k == "yt_channel":
        return ("www.youtube.com" if g.chance(0.8) else "m.youtube.com"), "/channel/%s%s" % (item.a, slash), [], False
    if k == "yt_handle":
        return ("www.youtube.com" if g.chance(0.8) else ("m.youtube.com" if g.chance(0.5) else "youtube.com")), "/@%s%s" % (item.a, "/videos" if g.chance(0.1) else slash), [], False
    if k == "yt_custom":
        return "www.youtube.com", "/%s/%s%s" % (item.b, item.a, slash), [], False
    # ---- X / Twitter: the numeric id is the post
    if k == "x_status":
        host = g.pick(("twitter.com", "twitter.com", "x.com", "x.com", "x.com", "mobile.twitter.com", "www.twitter.com", "mobile.x.com", "www.x.com"))
        user = item.aliases[0] if item.aliases and g.chance(0.3) else item.b
        if g.chance(0.1):
            user = g.case_variant(user)
        x = g.rand()
        if x < 0.03:  # privacy front ends with X's paths
            host = g.pick(("nitter.net", "xcancel.com", "nitter.poast.org"))
        if x < 0.80:
            path = "/%s/status/%s" % (user, item.a)
        elif x < 0.87:
            path = "/i/web/status/" + item.a
        elif x < 0.88:
            path = "/i/videos/tweet/" + item.a
        elif x < 0.90:
            path = "/%s/statuses/%s" % (user, item.a)
        else:
            path = "/%s/status/%s/%s/%d" % (user, item.a, g.pick(("photo", "photo", "video")), g.r.randrange(1, 5))
        return host, path, [], False
    if k == "x_profile":
        return g.pick(("twitter.com", "x.com", "x.com", "mobile.twitter.com", "www.x.com")), "/" + item.a, [], False
    # ---- Facebook
    if k in ("fb_post", "fb_pfbid"):
        host = g.pick(("www.facebook.com", "www.facebook.com", "www.facebook.com", "m.facebook.com", "facebook.com", "web.facebook.com"))
        x = g.rand()
        if x < 0.6:
            return host, "/%s/posts/%s%s" % (item.b, item.a, slash), [], False
        params = [("story_fbid", item.a), ("id", item.c)]
        if g.chance(0.4):
            params.reverse()
        return host, "/permalink.php" if x < 0.85 else "/story.php", params, False
    if k == "fb_video":
        host = g.pick(("www.facebook.com", "www.facebook.com", "m.facebook.com", "facebook.com", "web.facebook.com"))
        x = g.rand()
        if x < 0.06:  # only a redirect says which video
            c = short_code(g, item, lambda: g.tok(ALNUM, 10))
            return "fb.watch", "/%s/" % c, [], True
        if x < 0.40:
            return host, "/watch/", [("v", item.a)], False
        if x < 0.55:
            return host, "/watch", [("v", item.a)], False
        if x < 0.85:
            return host, "/%s/videos/%s%s" % (item.b, item.a, "/" if g.chance(0.6) else ""), [], False
        if x < 0.95:
            return host, "/video.php", [("v", item.a)], False
        # the embed player copied out of a page's HTML
        return "www.facebook.com", "/plugins/video.php", [("height", "314"), ("href", enc_all("https://www.facebook.com/%s/videos/%s/" % (item.b, item.a))),
                                                          ("show_text", "0"), ("width", "560")], False
    if k == "fb_reel":
        return g.pick(("www.facebook.com", "www.facebook.com", "m.facebook.com", "facebook.com")), "/reel/%s%s" % (item.a, slash), [], False
    if k == "fb_profile_id":
        return g.pick(("www.facebook.com", "m.facebook.com", "facebook.com")), "/profile.php", [("id", item.a)], False
    if k == "fb_profile":
        return g.pick(("www.facebook.com", "www.facebook.com", "m.facebook.com", "facebook.com", "en-gb.facebook.com",
                       "zh-hk.facebook.com", "de-de.facebook.com", "pl-pl.facebook.com")), "/%s%s" % (item.a, slash), [], False
    if k == "fb_group_post":
        host = g.pick(("www.facebook.com", "www.facebook.com", "m.facebook.com"))
        return host, "/groups/%s/%s/%s/" % (item.b, "posts" if g.chance(0.6) else "permalink", item.a), [], False
    if k == "fb_group":
        return g.pick(("www.facebook.com", "m.facebook.com")), "/groups/%s/" % item.a if g.chance(0.7) else "/groups/" + item.a, [], False
    # ---- Snapchat
    if k == "sc_profile":
        x = g.rand()
        if x < 0.08:
            c = short_code(g, item, lambda: g.tok(ALNUM, 8))
            return "t.snapchat.com", "/" + c, [], True
        host = "www.snapchat.com" if g.chance(0.7) else "snapchat.com"
        if x < 0.65:
            return host, "/add/%s%s" % (item.a, slash), [], False
        return host, "/@%s%s" % (item.a, slash), [], False
    if k == "sc_spotlight":
        return ("www.snapchat.com" if g.chance(0.8) else "snapchat.com"), "/spotlight/" + item.a, [], False
    # ---- Reddit: the base36 id is the post; redd.it carries it too
    if k == "rd_post":
        x = g.rand()
        if x < 0.06:  # the app's /s/ share links need a redirect
            c = short_code(g, item, lambda: g.tok(ALNUM, 10))
            return "www.reddit.com", "/r/%s/s/%s" % (item.b, c), [], True
        if x < 0.16:
            return "redd.it", "/" + item.a, [], False
        host = g.pick(("www.reddit.com", "www.reddit.com", "www.reddit.com", "reddit.com", "old.reddit.com", "new.reddit.com",
                       "nm.reddit.com", "www.redditmedia.com"))
        if x < 0.20:
            return host, "/comments/%s/" % item.a, [], False
        if x < 0.35:
            return host, "/r/%s/comments/%s/" % (item.b, item.a), [], False
        return host, "/r/%s/comments/%s/%s%s" % (item.b, item.a, item.c, "/" if g.chance(0.8) else ""), [], False
    if k == "rd_user":
        return g.pick(("www.reddit.com", "old.reddit.com", "reddit.com")), "/%s/%s%s" % (item.b, item.a, slash), [], False
    if k == "dc_invite":
        x = g.rand()
        if x < 0.6:
            return "discord.gg", "/" + item.a, [], False
        if x < 0.9:
            return ("discord.com" if g.chance(0.85) else "www.discord.com"), "/invite/" + item.a, [], False
        return "discordapp.com", "/invite/" + item.a, [], False
    # ---- generic web: same host, path, content params; order shuffled
    params = list(item.c)
    if len(params) > 1 and g.chance(0.5):
        g.r.shuffle(params)
    host, path = item.a, item.b
    if not host.isascii() and g.chance(0.5):
        host = host.encode("idna").decode("ascii")
    if not path.isascii() and g.chance(0.5):
        path = quote(path, safe="/()_-.~")
    return host, path, params, False


# ---------------------------------------------------------------------------
# the report: URL variants, presentation (defanged / wrapped), words around
# ---------------------------------------------------------------------------

def enc_all(u: str) -> str:
    return quote(u, safe="")


def proofpoint_v2(u: str) -> str:
    # Proofpoint URL Defense v2: percent-encode, then '%' -> '-' and '/' -> '_'.
    # '-' and '_' in the original must be encoded first (-2D, -5F) or decoding breaks.
    s = quote(u, safe="/").replace("-", "%2D").replace("_", "%5F")
    return s.replace("%", "-").replace("/", "_")


def wrap(g: Gen, u: str, platform: str) -> str:
    x = g.rand()
    if x < 0.42:
        region = g.pick(("eur01", "eur02", "eur03", "eur04", "eur05", "gbr01", "nam02", "nam12"))
        data = "05%%7C02%%7Csafeguarding%%40%s.sch.uk%%7C%s%%7C%s%%7C0%%7C0%%7C6384%s%%7CUnknown%%7CTWFpbGZsb3d8eyJWIjoiMC4wLjAwMDAiLCJQIjoiV2luMzIiLCJBTiI6Ik1haWwiLCJXVCI6Mn0%%3D%%7C0%%7C%%7C%%7C" % (
            g.pick(WORDS), g.tok(HEX, 32), g.tok(HEX, 32), g.digits(14))
        return "https://%s.safelinks.protection.outlook.com/?url=%s&data=%s&sdata=%s%%3D&reserved=0" % (
            region, enc_all(u), data, "".join(g.r.choices(SDATA_SYMBOLS, k=43)))
    if x < 0.67:
        return "https://urldefense.proofpoint.com/v2/url?u=%s&d=DwMFaQ&c=%s&r=%s&m=%s&s=%s&e=" % (
            proofpoint_v2(u), g.tok(B64URL, 43), g.tok(B64URL, 43), g.tok(B64URL, 43), g.tok(B64URL, 43))
    if x < 0.82 and platform != "facebook":  # l.facebook.com wraps links that leave Facebook
        return "https://l.facebook.com/l.php?u=%s&h=AT%s" % (enc_all(u), g.tok(B64URL, 60))
    return "https://www.google.com/url?q=%s&sa=D&source=%s&ust=%s&usg=AOvVaw%s" % (
        enc_all(u), g.pick(("editors", "docs", "hangouts")), g.digits(16), g.tok(B64URL, 22))


def defang(g: Gen, scheme: str, rest: str) -> str:
    # rest = host[:port]/path...; defang the host's dots, and usually the scheme
    cut = rest.find("/")
    hostport, tail = (rest, "") if cut < 0 else (rest[:cut], rest[cut:])
    if g.chance(0.6):
        hostport = hostport.replace(".", "[.]")
    else:
        i = hostport.rfind(".")
        hostport = hostport[:i] + "[.]" + hostport[i + 1:]
    if g.chance(0.85):
        scheme = scheme.replace("t", "x") if g.chance(0.85) else scheme.replace("tt", "XX")
    return scheme + "://" + hostport + tail


FRAGS = ("comments", "comment-12", "top", "reply", "t=30", "")

BEFORE = [
    "", "", "", "", "", "",
    "Reported by parent: ", "Reported by teacher: ", "Please remove ", "Fake account: ", "Link: ",
    "URL: ", "see ", "The video is here ", "Pupil says this is about them ", "Second report - ",
    "Impersonation of head teacher ", "Can you help, ", "Bullying video of a year 8 pupil ",
    "Case 4411: ", "FW: ", "Parent emailed: ", "Another one ", "Same account again ",
    "Posted last night ", "Check out this video! ", "School badge misused ", "Escalate please ",
    "From the DSL: ", "Re: urgent ",
]
AFTER = [
    "", "", "", "", "", "",
    " fake account of Mr Smith", " - please take down", " (reported 3 times)", " thanks",
    " impersonating staff", " uses the school logo", " posted by a year 9 pupil", " still up",
    " urgent", " this is the second account", " see screenshot attached", " parent very upset",
    " comments are abusive", " !!", " x", " from a pupil's phone", " the video has 20k views",
]
PUNCT = [("%s", 70), ("%s.", 6), ("(%s)", 5), ("<%s>", 5), ('"%s"', 4), ("\u201c%s\u201d", 2), ("'%s'", 2),
         ("[%s]", 2), ("%s,", 2), ("%s;", 1), ("%s!", 1)]
PUNCT_TABLE = weighted(PUNCT)


def report(g: Gen, item: Item):
    """Returns (line, url_token, short)."""
    host, path, params, short = render(g, item)
    platform = item.platform
    if short:
        # people paste short links as the app gives them: https, nothing added
        scheme = "https" if g.chance(0.9) else ""
        u = (scheme + "://" if scheme else "") + host + path
        if g.chance(0.1):
            u = wrap(g, "https://" + host + path, platform)
        return frame(g, u), u, True
    if g.chance(TRACK_P[platform]):
        extra = TRACKERS[platform](g, item)
        if params:  # tracking params before or after the content ones
            if g.chance(0.3):
                params = extra + params
            else:
                params = params + extra
        else:
            params = extra
    # scheme: generic pages keep the scheme they live on; platforms are reported any way
    # a fediverse server no rule file names is a web page to the extractor: people
    # paste it with its scheme, or it is not a link at all
    web = platform == "web" or (platform == "mastodon" and host not in ("mastodon.social", "mas.to"))
    if web:
        scheme = item.extra or "https"
    else:
        x = g.rand()
        scheme = "https" if x < 0.80 else ("http" if x < 0.86 else "")
    if scheme and g.chance(0.03):
        scheme = scheme.upper()
    if g.chance(0.05):
        host = g.host_case(host)
    port = ""
    if scheme and g.chance(0.015):
        port = ":443" if scheme.lower() == "https" else ":80"
    rest = host + port + path
    if params:
        rest += "?" + "&".join(k + "=" + v for k, v in params)
    if g.chance(0.03):
        f = g.pick(FRAGS)
        rest += "#" + f
    x = g.rand()
    if x < 0.03 and scheme:
        u = defang(g, scheme, rest)
    elif x < 0.13:
        u = wrap(g, (scheme or "https") + "://" + rest, platform)
    else:
        u = (scheme + "://" + rest) if scheme else rest
    return frame(g, u), u, False


def frame(g: Gen, u: str) -> str:
    p = sample(g, PUNCT_TABLE)
    s = p % u
    return g.pick(BEFORE) + s + g.pick(AFTER)


# ---------------------------------------------------------------------------
# popularity: how many reports each item gets
# ---------------------------------------------------------------------------

def report_counts(g: Gen, lines: int) -> list[int]:
    """Counts per item: SINGLE_SHARE ones, the rest k>=2 with P(k) ~ k^-b (b solved so
    that the total is `lines` for DISTINCT_SHARE*lines items)."""
    d = max(1, round(lines * DISTINCT_SHARE))
    target_multi_mean = (lines / d - SINGLE_SHARE) / (1 - SINGLE_SHARE)
    ks = range(2, MAX_REPORTS + 1)

    def mean(b):
        w = [k ** -b for k in ks]
        return sum(k * x for k, x in zip(ks, w)) / sum(w)

    lo, hi = 0.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if mean(mid) > target_multi_mean:
            lo = mid
        else:
            hi = mid
    b = (lo + hi) / 2
    w = [k ** -b for k in ks]
    tw = sum(w)
    counts: list[int] = []
    multi = d * (1 - SINGLE_SHARE)
    for k, x in zip(ks, w):
        counts += [k] * round(multi * x / tw)
    counts += [1] * max(0, d - len(counts))
    counts = counts[:d]
    # fix the total exactly: add to / take from random multi-report items
    diff = lines - sum(counts)
    while diff != 0:
        i = g.r.randrange(len(counts))
        if diff > 0:
            if counts[i] < MAX_REPORTS:
                counts[i] += 1
                diff -= 1
        elif counts[i] > 1:
            counts[i] -= 1
            diff += 1
    g.r.shuffle(counts)
    return counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--out", required=True, help="directory for corpus.txt and truth.tsv")
    a = ap.parse_args(argv)
    if a.lines < 1:
        ap.error("--lines must be positive")
    t0 = time.perf_counter()
    g = Gen(a.seed)
    counts = report_counts(g, a.lines)
    items = [make_item(g, sample(g, PLATFORM_TABLE)) for _ in counts]
    order = [i for i, c in enumerate(counts) for _ in range(c)]
    g.r.shuffle(order)

    os.makedirs(a.out, exist_ok=True)
    n_short = 0
    per_platform: dict[str, int] = {}
    forms = {"wrapped": 0, "defanged": 0, "schemeless": 0}
    with open(os.path.join(a.out, "corpus.txt"), "w", encoding="utf-8", newline="\n") as fc, \
            open(os.path.join(a.out, "truth.tsv"), "w", encoding="utf-8", newline="\n") as ft:
        ft.write("line\titem\turl\tshort\n")
        cbuf, tbuf = [], []
        for n, idx in enumerate(order, 1):
            item = items[idx]
            line, u, short = report(g, item)
            cbuf.append(line)
            tbuf.append("%d\t%s\t%s\t%d" % (n, item.tid, u, short))
            n_short += short
            per_platform[item.platform] = per_platform.get(item.platform, 0) + 1
            if "safelinks" in u or "urldefense" in u or "l.facebook.com/l.php" in u or "google.com/url?" in u:
                forms["wrapped"] += 1
            elif "[.]" in u:
                forms["defanged"] += 1
            elif "://" not in u:
                forms["schemeless"] += 1
            if len(cbuf) >= 65536:
                fc.write("\n".join(cbuf) + "\n")
                ft.write("\n".join(tbuf) + "\n")
                cbuf, tbuf = [], []
        if cbuf:
            fc.write("\n".join(cbuf) + "\n")
            ft.write("\n".join(tbuf) + "\n")
    dt = time.perf_counter() - t0
    n = a.lines
    print("generated %d lines, %d distinct items (%.1f%% duplicate lines), top item %d reports, "
          "%.1f%% short links, %.1f%% wrapped, %.1f%% defanged, %.1f%% scheme-less in %.1fs -> %s"
          % (n, len(items), 100 * (1 - len(items) / n), max(counts), 100 * n_short / n,
             100 * forms["wrapped"] / n, 100 * forms["defanged"] / n, 100 * forms["schemeless"] / n, dt, a.out),
          file=sys.stderr)
    print("mix: " + ", ".join("%s %.1f%%" % (p, 100 * c / n) for p, c in sorted(per_platform.items(), key=lambda kv: -kv[1])),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
