//! The dashboard's page and assets (CONTROL.md "Dashboard"): found by following the page's own
//! references, each served without auth with its content type and the security headers, and none
//! referring to another origin or putting data in as markup. The browser suite (`tests/browser/`)
//! drives the page itself.
use crate::backend_tests;
use crate::helpers::{Backend, Reply, TestApp};
use regex::Regex;
use reqwest::Method;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

backend_tests!(
    the_page_and_every_asset_are_served_with_security_headers,
    the_page_refers_to_nothing_outside_its_origin_and_writes_no_markup,
    only_get_is_served_and_errors_carry_the_headers_too,
);

const PAGE: &str = "/_emulator/";
/// At most this many files are fetched while following references: the dashboard is a few files.
const CRAWL_LIMIT: usize = 50;

/// The page and everything it refers to (scripts, styles, icons, module imports), by path.
async fn crawl(app: &TestApp) -> BTreeMap<String, Reply> {
    let references = [
        Regex::new(r##"(?:src|href)\s*=\s*"([^"#][^"]*)""##).unwrap(),
        Regex::new(r#"(?:import|from)\s*\(?\s*'([^']+)'"#).unwrap(),
        Regex::new(r#"url\(\s*['"]?([^'")]+)"#).unwrap(),
    ];
    let mut found = BTreeMap::new();
    let mut queue = VecDeque::from([PAGE.to_owned()]);
    while let Some(path) = queue.pop_front() {
        if found.contains_key(&path) {
            continue;
        }
        assert!(found.len() < CRAWL_LIMIT, "more than {CRAWL_LIMIT} files: {:?}", found.keys());
        let reply = app.get(&path, None).await;
        assert_eq!(reply.status.as_u16(), 200, "{path}: {}", reply.body);
        let base = url::Url::parse("http://emulator.invalid").unwrap().join(&path).unwrap();
        for pattern in &references {
            for capture in pattern.captures_iter(&reply.body) {
                let target =
                    base.join(&capture[1]).unwrap_or_else(|e| panic!("{path} refers to {:?}: {e}", &capture[1]));
                assert_eq!(
                    target.host_str(),
                    Some("emulator.invalid"),
                    "{path} refers to another origin: {}",
                    &capture[1]
                );
                queue.push_back(target.path().to_owned());
            }
        }
        found.insert(path, reply);
    }
    found
}

fn content_type_of(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        _ if path.ends_with('/') => "text/html; charset=utf-8",
        other => panic!("unexpected asset type {other:?} at {path}"),
    }
}

/// CONTROL.md: a CSP without `unsafe-inline`/`unsafe-eval` for scripts, `frame-ancestors 'none'`,
/// `Referrer-Policy: no-referrer`; and no sniffing.
fn assert_security_headers(path: &str, reply: &Reply) {
    let csp = reply.header("content-security-policy");
    let directives: BTreeMap<&str, Vec<&str>> = csp
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            words.next().map(|name| (name, words.collect()))
        })
        .collect();
    let sources = |name: &str| directives.get(name).or_else(|| directives.get("default-src")).cloned();
    for kind in ["script-src", "style-src"] {
        let allowed = sources(kind).unwrap_or_else(|| panic!("{path}: no {kind} nor default-src in {csp:?}"));
        for unsafe_source in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:", "blob:"] {
            assert!(!allowed.contains(&unsafe_source), "{path}: {kind} allows {unsafe_source}: {csp}");
        }
    }
    assert_eq!(directives.get("default-src"), Some(&vec!["'none'"]), "{path}: {csp}");
    assert_eq!(directives.get("frame-ancestors"), Some(&vec!["'none'"]), "{path}: {csp}");
    assert_eq!(reply.header("referrer-policy"), "no-referrer", "{path}");
    assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
}

async fn the_page_and_every_asset_are_served_with_security_headers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let assets = crawl(&app).await;
    for (path, reply) in &assets {
        assert_eq!(reply.header("content-type"), content_type_of(path), "{path}");
        assert_security_headers(path, reply);
        assert!(!reply.body.is_empty(), "{path} is empty");
    }
    // Every file of src/dashboard/ is reached from the page, and nothing else is served.
    let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/src/dashboard");
    let files: BTreeSet<String> =
        std::fs::read_dir(directory).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
    let served: BTreeSet<String> = assets
        .keys()
        .map(|path| if path == PAGE { "index.html".to_owned() } else { path.rsplit('/').next().unwrap().to_owned() })
        .collect();
    assert_eq!(served, files);
    assert!(assets.keys().all(|path| path == PAGE || path.starts_with("/_emulator/assets/")));
}

async fn the_page_refers_to_nothing_outside_its_origin_and_writes_no_markup(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let assets = crawl(&app).await;
    // An SVG must name its XML namespace; that URL is a name, never fetched.
    let namespace = Regex::new(r#"xmlns(:\w+)?="http://www\.w3\.org/[^"]*""#).unwrap();
    let protocol_relative = Regex::new(r#"(?i)(src|href|action)\s*=\s*["']?\s*//|url\(\s*['"]?//|@import"#).unwrap();
    let markup_sinks = Regex::new(
        r"\.(innerHTML|outerHTML|insertAdjacentHTML|srcdoc)\b|document\.write|\beval\s*\(|new Function\s*\(|setTimeout\(\s*['`]",
    )
    .unwrap();
    for (path, reply) in &assets {
        let body = namespace.replace_all(&reply.body, "");
        for scheme in ["http://", "https://", "ws://", "wss://"] {
            assert!(!body.contains(scheme), "{path} names another origin ({scheme})");
        }
        assert!(!protocol_relative.is_match(&body), "{path} refers to another origin");
        if path.ends_with(".js") {
            assert!(!markup_sinks.is_match(&body), "{path} writes markup or evaluates strings");
        }
    }
    let page = &assets[PAGE].body;
    assert!(page.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#), "viewport meta");
    let icon = Regex::new(r#"<link rel="icon" href="([^"]+)" type="image/svg\+xml">"#).unwrap();
    let href = &icon.captures(page).expect("a favicon link")[1];
    assert!(assets.contains_key(&format!("{PAGE}{href}")), "the favicon is served");
    // No inline script, event handler or style: the CSP would refuse them, so none may exist.
    let inline_script = Regex::new(r"<script(?:\s[^>]*)?>\s*[^<\s]").unwrap();
    assert!(!inline_script.is_match(page), "an inline script");
    assert!(Regex::new(r"<script(?:\s[^>]*)?>").unwrap().find_iter(page).all(|tag| tag.as_str().contains(" src=")));
    assert!(!Regex::new(r#"(?i)\son[a-z]+\s*="#).unwrap().is_match(page), "an inline event handler");
    assert!(!Regex::new(r#"(?i)\sstyle\s*="#).unwrap().is_match(page) && !page.contains("<style"), "an inline style");
}

async fn only_get_is_served_and_errors_carry_the_headers_too(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::HEAD] {
        for path in [PAGE, "/_emulator/assets/app.js"] {
            let reply = app.send(method.clone(), path, None, None).await;
            assert_eq!(reply.status.as_u16(), 405, "{method} {path}");
            assert_eq!(reply.header("allow"), "GET", "{method} {path}");
            assert_security_headers(path, &reply);
        }
    }
    let bare = app.get("/_emulator", None).await;
    assert_eq!((bare.status.as_u16(), bare.header("location")), (308, PAGE));
    assert_security_headers("/_emulator", &bare);
    // Credentials are neither needed nor looked at: the page is the same for anyone.
    let anonymous = app.get(PAGE, None).await;
    let main = app.tenant("Main").await;
    let signed = app.get(PAGE, Some(&main)).await;
    assert_eq!((signed.status, &signed.body), (anonymous.status, &anonymous.body));
    assert_ne!(app.get("/_emulator/assets/missing.js", None).await.status.as_u16(), 200);
}
