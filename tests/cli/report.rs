//! Evidence a newsroom can publish: `evidence/`, `plots/` and `report.html` after
//! `lockstep detect`, read back by a CSV reader, an XML parser, headless Chromium (through
//! playwright-core) and the walkthrough notebook (through nbclient).

use crate::common::{farm_csv, lockstep, logical_time_csv, write};
use crate::tools::{node_with, program, python_with};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn detect(input: &Path, out: &Path) {
    lockstep()
        .arg("detect")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .assert()
        .success();
}

/// Names that would run as markup if a page or plot pasted them in unescaped.
const SCRIPT_ACCOUNT: &str = "<script>alert(1)</script>";
const IMG_POST: &str = "<img src=x onerror=alert(2)>";
const QUOTE_AUTHOR: &str = "\"><script>alert(3)</script>";
/// A name that reverses the text after it unless isolated (RIGHT-TO-LEFT OVERRIDE).
const BIDI_ACCOUNT: &str = "\u{202E}b2";

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Two farms and scattered organic accounts. Farm A: the hostile accounts and b3, b4 like the
/// hostile post and p2..p6 (p2 by the hostile author) 10 s apart; farm B: c1..c5 like r1..r5
/// 7 s apart, three hours after each post's first like.
fn hostile_csv() -> String {
    let mut rows = vec!["account,post,time,author".to_string()];
    for (k, post) in [IMG_POST, "p2", "p3", "p4", "p5", "p6"].iter().enumerate() {
        let author = if k == 1 {
            QUOTE_AUTHOR.to_string()
        } else {
            format!("author{k}")
        };
        for (j, bot) in [SCRIPT_ACCOUNT, BIDI_ACCOUNT, "b3", "b4"].iter().enumerate() {
            let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
            rows.push(format!(
                "{},{},{t},{}",
                quoted(bot),
                quoted(post),
                quoted(&author)
            ));
        }
    }
    for k in 0..5 {
        // Each post of farm B is first liked by an ordinary account three hours before the
        // order arrives: an order, not auto-likes at publication.
        let published = 1_700_050_000 + k as i64 * 172_800 - 10_800;
        rows.push(format!("fan{k},r{},{published},creator{k}", k + 1));
        for j in 0..5 {
            let t = 1_700_050_000 + k as i64 * 172_800 + j as i64 * 7;
            rows.push(format!("c{},r{},{t},creator{k}", j + 1, k + 1));
        }
    }
    for a in 0..8 {
        for k in 0..6 {
            let post = (a * 7 + k * 5) % 30;
            let t = 1_700_000_000 + (a * 13 + k * 29) as i64 * 3_600 + a as i64 * 61;
            rows.push(format!("o{a},q{post},{t},author{}", 10 + post % 9));
        }
    }
    rows.join("\n") + "\n"
}

/// Elements of an SVG file by class, parsed strictly (quick-xml).
fn svg_classes(path: &Path) -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    use quick_xml::events::Event;
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut out: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
    let mut depth = 0i64;
    let mut current_text: Option<(String, usize)> = None;
    loop {
        let event = reader.read_event().unwrap();
        let start = match &event {
            Event::Start(e) | Event::Empty(e) => Some(e.clone()),
            _ => None,
        };
        if let Some(e) = start {
            let mut attrs: BTreeMap<String, String> = e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    (
                        a.key.as_ref().to_string(),
                        a.normalized_value(quick_xml::XmlVersion::default())
                            .unwrap()
                            .into_owned(),
                    )
                })
                .collect();
            attrs.insert("element".into(), e.name().as_ref().to_string());
            for class in attrs.get("class").cloned().unwrap_or_default().split_whitespace() {
                let list = out.entry(class.to_string()).or_default();
                list.push(attrs.clone());
                if e.name().as_ref() == "text" && matches!(event, Event::Start(_)) {
                    current_text = Some((class.to_string(), list.len() - 1));
                }
            }
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                current_text = None;
            }
            Event::Text(t) => {
                if let Some((class, i)) = &current_text {
                    let list = out.get_mut(class).unwrap();
                    list[*i]
                        .entry("text".into())
                        .or_default()
                        .push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((class, i)) = &current_text {
                    let ch = match r.clone().into_inner().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        _ => r.resolve_char_ref().unwrap().unwrap(),
                    };
                    let list = out.get_mut(class).unwrap();
                    list[*i].entry("text".into()).or_default().push(ch);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    out
}

#[test]
fn evidence_rows_cite_the_input_lines_and_state_the_block() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out);

    let lines: Vec<String> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let mut rdr = csv::Reader::from_path(out.join("evidence/cluster-1.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "cluster_id",
            "account",
            "post",
            "author",
            "time",
            "delay_after_first_like",
            "in_burst",
            "source_file",
            "source_line"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 24, "4 bots × 6 posts");
    for (i, row) in rows.iter().enumerate() {
        let (k, j) = (i / 4, i % 4);
        let t = 1_700_000_000 + k as i64 * 86_400 + j as i64 * 10;
        assert_eq!(
            (&row[0], &row[1], &row[2], &row[3]),
            (
                "1",
                format!("b{}", j + 1).as_str(),
                format!("p{}", k + 1).as_str(),
                format!("author{k}").as_str()
            )
        );
        assert_eq!(
            &row[5],
            format!("{}.0", 10 * j),
            "seconds after the post's first like"
        );
        assert_eq!(&row[6], "true");
        assert_eq!(&row[7], input.display().to_string(), "the path as given");
        // The farm's rows are lines 2..25 of the input; each row is the line it cites.
        let line: usize = row[8].parse().unwrap();
        assert_eq!(line, i + 2);
        assert_eq!(lines[line - 1], format!("b{},p{},{t},author{k}", j + 1, k + 1));
        assert_eq!(&row[4], chrono_free_rfc3339(t));
    }
    let statement = std::fs::read_to_string(out.join("evidence/cluster-1.txt")).unwrap();
    assert!(
        statement.contains(
            "BLOCK: 4 accounts × 6 posts, 2Δt = 1 h: on every one of these 6 posts at least 4 of the 4 accounts (100 %) liked within 1 h of each other; 24 of the 24 account × post cells are such likes (coverage ρ = 1.00). The longest of these bursts lasted 30 s."
        ),
        "{statement}"
    );
    assert!(statement.contains("not proof of who paid"));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let sha = manifest["inputs"]["files"][0]["sha256"].as_str().unwrap();
    assert!(statement.contains(sha), "the statement names the input's SHA-256");
    let blocks = std::fs::read_to_string(out.join("evidence/blocks.csv")).unwrap();
    assert_eq!(blocks.lines().count(), 2);
    assert!(
        blocks
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("1,bot_farm,4,6,3600.0,4,1.0,24,1.0,30.0,")
    );
}

/// 1_700_000_000 + … seconds as RFC 3339 (the farm stays within November 2023).
fn chrono_free_rfc3339(t: i64) -> String {
    let s = t - 1_698_796_800; // 2023-11-01T00:00:00Z
    format!(
        "2023-11-{:02}T{:02}:{:02}:{:02}Z",
        s / 86_400 + 1,
        s % 86_400 / 3600,
        s % 3600 / 60,
        s % 60
    )
}

#[test]
fn plots_hold_one_mark_per_like_and_their_axes() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", farm_csv());
    let out = dir.path().join("out");
    detect(&input, &out);

    let raster = svg_classes(&out.join("plots/cluster-1-raster.svg"));
    let marks = &raster["like"];
    assert_eq!(marks.len(), 24, "one mark per like of the cluster");
    assert!(marks.iter().all(|m| m["element"] == "rect"));
    let posts: std::collections::BTreeSet<&str> = marks.iter().map(|m| m["data-post"].as_str()).collect();
    assert_eq!(posts.len(), 6, "coloured by post");
    assert_eq!(
        raster["x-label"][0]["text"],
        "time (UTC), 2023-11-14T22:13:20Z to 2023-11-19T22:13:50Z"
    );
    assert_eq!(raster["y-label"][0]["text"], "account (4 in the cluster)");
    let accounts: Vec<&str> = raster["account-label"]
        .iter()
        .map(|e| e["text"].as_str())
        .collect();
    // Each name isolated (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE).
    assert_eq!(
        accounts,
        ["b1", "b2", "b3", "b4"].map(|a| format!("\u{2068}{a}\u{2069}"))
    );

    let delays = svg_classes(&out.join("plots/cluster-1-delays.svg"));
    let count = |class: &str| -> u64 {
        delays[class]
            .iter()
            .filter(|e| e["element"] == "rect")
            .map(|e| e["data-count"].parse::<u64>().unwrap())
            .sum()
    };
    assert_eq!((count("cluster"), count("others")), (24, 156));
    assert_eq!(delays["x-label"][0]["text"], "delay after the post's first like");

    let colikes = svg_classes(&out.join("plots/cluster-1-colikes.svg"));
    assert_eq!(colikes["pair"].len(), 6, "one point per significant pair");
    assert!(colikes["pair"].iter().all(|p| p["data-observed"] == "6"));
    assert_eq!(colikes["y-label"][0]["text"], "co-likes observed");

    let benefit = svg_classes(&out.join("plots/cluster-1-beneficiaries.svg"));
    let from_cluster: Vec<&str> = benefit["from-cluster"]
        .iter()
        .map(|e| e["data-count"].as_str())
        .collect();
    assert_eq!(from_cluster, ["4"; 12], "6 posts and 6 authors, 4 likes each");
}

/// What headless Chromium saw, as JSON (see PAGE_PROBE).
fn probe_page(report: &Path, chromium: &Path, work: &Path) -> serde_json::Value {
    let script = work.join("probe.js");
    std::fs::write(&script, PAGE_PROBE).unwrap();
    let output = Command::new("node")
        .arg(&script)
        .arg(report)
        .arg(chromium)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "playwright probe failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("probe prints JSON")
}

/// Opens the report in Debian's Chromium through playwright-core (no browser download), records
/// every console message, page error, dialog and request, reads the rendered DOM and sorts
/// the cluster table by clicking a heading.
const PAGE_PROBE: &str = r#"
const { chromium } = require('playwright-core');
const [report, executablePath] = process.argv.slice(2);
(async () => {
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const seen = { console: [], pageErrors: [], dialogs: [], requests: [] };
  page.on('console', m => seen.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', e => seen.pageErrors.push(String(e)));
  page.on('dialog', d => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', r => seen.requests.push(r.url()));
  const url = require('url').pathToFileURL(report).href;
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  seen.url = url;
  // As opened: the summary and the cluster table first, every cluster's details closed, the
  // table inside its box, and every text holding a bidi control inside an isolate.
  seen.layout = await page.evaluate(() => {
    const table = document.querySelector('#cluster-table');
    const wrap = table.parentElement;
    const first = document.querySelector('details.cluster-details');
    const unisolated = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (/[\u202A-\u202E\u2066-\u2069]/.test(n.data) && !n.parentElement.closest('bdi, [dir], svg')) {
        unisolated.push(n.data);
      }
    }
    return {
      height: document.documentElement.scrollHeight,
      tableWidth: wrap.scrollWidth,
      boxWidth: wrap.clientWidth,
      tableFirst: !!first && table.getBoundingClientRect().bottom <= first.getBoundingClientRect().top,
      closed: Array.from(document.querySelectorAll('section.cluster'))
        .map(s => s.closest('details'))
        .every(d => d && !d.open),
      unisolated,
    };
  });
  // A cluster number in the table opens that cluster's details.
  await page.click('#cluster-table tbody tr:first-child td:first-child a');
  await page.waitForTimeout(100);
  seen.openedByLink = await page.evaluate(() => {
    const target = document.getElementById(location.hash.slice(1));
    return !!target && target.closest('details').open;
  });
  await page.evaluate(() => document.querySelectorAll('details').forEach(d => { d.open = true; }));
  seen.openHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  seen.dom = await page.evaluate(() => {
    const all = s => Array.from(document.querySelectorAll(s));
    const clusters = {};
    for (const sec of all('section.cluster')) {
      const plots = {};
      for (const fig of sec.querySelectorAll('figure[data-plot]')) {
        const svg = fig.querySelector('svg');
        const box = svg.getBoundingClientRect();
        plots[fig.getAttribute('data-plot')] = {
          likes: svg.querySelectorAll('rect.like').length,
          pairs: svg.querySelectorAll('circle.pair').length,
          bars: svg.querySelectorAll('rect.bar').length,
          axes: Array.from(svg.querySelectorAll('.axis-label')).map(t => t.textContent),
          width: box.width,
          height: box.height,
        };
      }
      clusters[sec.getAttribute('data-cluster')] = {
        heading: sec.querySelector('h3').textContent,
        statement: sec.querySelector('.statement').textContent,
        evidence: Array.from(sec.querySelectorAll('.evidence a')).map(a => a.getAttribute('href').slice(0, 40)),
        plots,
      };
    }
    return {
      rows: all('#cluster-table tbody tr').map(r => Array.from(r.cells).map(c => c.textContent)),
      scripts: all('script').length,
      images: all('img').length,
      onerror: all('[onerror]').length,
      text: document.body.innerText,
      svgText: all('svg text, svg title').map(t => t.textContent).join('\n'),
      clusters,
    };
  });
  const order = () => page.$$eval('#cluster-table tbody tr', rs => rs.map(r => r.getAttribute('data-id')));
  const heading = '#cluster-table thead th:nth-child(5)';
  await page.click(heading + ' button');
  seen.sortedAscending = await order();
  await page.click(heading + ' button');
  seen.sortedDescending = await order();
  seen.ariaSort = await page.getAttribute(heading, 'aria-sort');
  await browser.close();
  process.stdout.write(JSON.stringify(seen));
})().catch(e => { console.error(e); process.exit(1); });
"#;

#[test]
fn report_opens_in_chromium_clean_and_hostile_names_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "likes.csv", hostile_csv());
    let out = dir.path().join("out");
    detect(&input, &out);
    let report = out.join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();

    // Raw page: one script (ours), names escaped, nothing to fetch.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains(IMG_POST));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "HTML-escaped text"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "XML-escaped in the SVG"
    );
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    for attr in ["src=", "href=", "xlink:href=", "url("] {
        for (i, _) in html.match_indices(attr) {
            let value = html[i + attr.len()..].trim_start_matches(['"', '\'']);
            assert!(
                !value.starts_with("http") && !value.starts_with("//"),
                "loads from the network: {}",
                &html[i..(i + 80).min(html.len())]
            );
        }
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("not proof of who paid"));
    // Every name is isolated: in a <bdi> on the page, between FSI and PDI in the plots.
    assert!(
        html.contains(&format!("<bdi>{BIDI_ACCOUNT}</bdi>")),
        "members isolated"
    );
    assert!(
        html.contains(&format!("\u{2068}{BIDI_ACCOUNT}\u{2069}")),
        "plot labels isolated"
    );
    assert!(
        !html.contains(&format!(", {BIDI_ACCOUNT}")),
        "a bare name in a list"
    );
    // Every flagged cluster has its download link.
    assert_eq!(html.matches(">download the rows</a>").count(), 2);

    let (Some(chromium), true) = (program("chromium"), node_with(&["playwright-core"])) else {
        return;
    };
    let seen = probe_page(&report, &chromium, dir.path());
    let problems: Vec<&serde_json::Value> = seen["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "error" || m["type"] == "warning")
        .collect();
    assert!(problems.is_empty(), "console: {problems:?}");
    assert_eq!(seen["pageErrors"], serde_json::json!([]));
    assert_eq!(seen["dialogs"], serde_json::json!([]), "no alert ran");
    let url = seen["url"].as_str().unwrap();
    for r in seen["requests"].as_array().unwrap() {
        let r = r.as_str().unwrap();
        assert!(r == url || r.starts_with("data:"), "request for {r}");
    }
    let layout = &seen["layout"];
    assert!(
        layout["tableWidth"].as_f64() <= layout["boxWidth"].as_f64(),
        "the cluster table is wider than its box: {layout}"
    );
    assert_eq!(layout["tableFirst"], true, "{layout}");
    assert_eq!(layout["closed"], true, "{layout}");
    assert_eq!(layout["unisolated"], serde_json::json!([]), "{layout}");
    assert_eq!(seen["openedByLink"], true);
    let (closed, open) = (
        seen["layout"]["height"].as_f64().unwrap(),
        seen["openHeight"].as_f64().unwrap(),
    );
    assert!(
        closed * 2.0 < open,
        "a summary first, details on demand: {closed} px closed, {open} px open"
    );
    let dom = &seen["dom"];
    assert_eq!(dom["scripts"], 1);
    assert_eq!(dom["images"], 0, "the post name did not become an <img>");
    assert_eq!(dom["onerror"], 0);
    // The rendered table shows both clusters, flagged, with their sizes.
    let rows: Vec<(String, String, String, String)> = dom["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let c = |i: usize| r[i].as_str().unwrap().to_string();
            (c(0), c(1), c(2), c(4))
        })
        .collect();
    let rows: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    assert_eq!(
        rows,
        [("1", "bot farm", "yes", "5"), ("2", "bot farm", "yes", "4")]
    );
    // Clicking "accounts" sorts ascending, then descending.
    assert_eq!(seen["sortedAscending"], serde_json::json!(["2", "1"]));
    assert_eq!(seen["sortedDescending"], serde_json::json!(["1", "2"]));
    assert_eq!(seen["ariaSort"], "descending");
    // Each cluster shows its statement, evidence links and four drawn plots.
    for (id, accounts, posts, pairs) in [("1", 5, 5, 10), ("2", 4, 6, 6)] {
        let c = &dom["clusters"][id];
        assert!(
            c["statement"]
                .as_str()
                .unwrap()
                .contains(&format!("{accounts} accounts × {posts} posts")),
            "{c}"
        );
        assert_eq!(c["evidence"][0], format!("evidence/cluster-{id}.csv"));
        let plots = &c["plots"];
        assert_eq!(plots["raster"]["likes"], accounts * posts, "cluster {id}");
        assert_eq!(plots["colikes"]["pairs"], pairs);
        assert_eq!(plots["delays"]["bars"], 20);
        assert_eq!(
            plots["raster"]["axes"][1],
            format!("account ({accounts} in the cluster)")
        );
        for name in ["raster", "delays", "colikes", "beneficiaries"] {
            assert!(plots[name]["width"].as_f64().unwrap() > 300.0, "{name} drawn");
            assert!(plots[name]["height"].as_f64().unwrap() > 100.0, "{name} drawn");
        }
    }
    // The hostile names are on the page as text, in the table, the sections and the plots.
    let text = dom["text"].as_str().unwrap();
    let svg_text = dom["svgText"].as_str().unwrap();
    for name in [SCRIPT_ACCOUNT, IMG_POST, QUOTE_AUTHOR] {
        assert!(
            text.contains(name) || svg_text.contains(name),
            "{name} shown as text"
        );
        assert!(svg_text.contains(name), "{name} in a plot");
    }
    assert!(text.contains(SCRIPT_ACCOUNT));
}

#[test]
fn the_cluster_table_shows_author_columns_only_when_the_data_has_authors() {
    let dir = tempfile::tempdir().unwrap();
    let header = |csv: String, name: &str| {
        let input = write(dir.path(), name, csv);
        let out = dir.path().join(format!("out-{name}"));
        detect(&input, &out);
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let table = html.find("id=\"cluster-table\"").expect("a cluster table");
        let start = table + html[table..].find("<thead>").unwrap();
        let end = start + html[start..].find("</thead>").unwrap();
        html[start..end].to_string()
    };
    let with = header(farm_csv(), "farm.csv");
    assert!(
        with.contains(">top authors</button>") && with.contains(">authors</button>"),
        "{with}"
    );
    let without = header(logical_time_csv(), "positions.csv");
    assert!(without.contains(">accounts</button>"), "{without}");
    assert!(!without.contains("authors"), "{without}");
}

#[cfg(unix)]
#[test]
fn walkthrough_notebook_runs_end_to_end() {
    if !python_with(&["nbclient", "nbformat", "ipykernel", "polars", "networkx"]) {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let executed = dir.path().join("walkthrough.executed.ipynb");
    let code = r#"
import sys, nbformat, nbclient
path, dest = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                 resources={"metadata": {"path": sys.argv[3]}})
client.execute()
nbformat.write(nb, dest)
"#;
    // No LOCKSTEP_BIN, no lockstep on PATH: the notebook finds the checkout's build, in a
    // target folder holding only a debug build (release is looked for first).
    let target = dir.path().join("target");
    std::fs::create_dir_all(target.join("debug")).unwrap();
    std::fs::create_dir_all(target.join("release")).unwrap();
    let built = target.join("debug/lockstep");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_lockstep"), &built).unwrap();
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path =
        std::env::join_paths(std::env::split_paths(&path).filter(|d| !d.join("lockstep").exists())).unwrap();
    let output = Command::new("python3")
        .args(["-c", code])
        .arg(root.join("notebooks/walkthrough.ipynb"))
        .arg(&executed)
        .arg(root.join("notebooks"))
        .env_remove("LOCKSTEP_BIN")
        .env("PATH", path)
        .env("CARGO_TARGET_DIR", &target)
        .env("LOCKSTEP_DATA", root.join("data/likes.csv"))
        .env("LOCKSTEP_OUT", dir.path())
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "the notebook failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // It ran on the sample and walked through a flagged cluster.
    let nb: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&executed).unwrap()).unwrap();
    let mut printed = String::new();
    for cell in nb["cells"].as_array().unwrap() {
        for o in cell["outputs"].as_array().into_iter().flatten() {
            assert_ne!(o["output_type"], "error", "{o}");
            if let Some(t) = o["text"].as_str() {
                printed.push_str(t);
            } else if let Some(lines) = o["text"].as_array() {
                lines
                    .iter()
                    .for_each(|l| printed.push_str(l.as_str().unwrap_or("")));
            }
        }
    }
    assert!(
        printed.contains(&format!("binary: {}", built.display())),
        "{printed}"
    );
    assert!(printed.contains("clusters flagged"), "{printed}");
    assert!(printed.contains("BLOCK: "), "{printed}");
    assert!(printed.contains("line "), "evidence lines read back: {printed}");
    assert!(dir.path().join("run/report.html").is_file());
    // It read the Parquet copies (ids exactly as in the input).
    assert!(dir.path().join("run/clusters.parquet").is_file());
}
