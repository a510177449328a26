//! The browser shim (design.md, "Driving a client IUT", contract 2): for clients that open a
//! browser to authorize, the runner puts its own opener first on `PATH` (as `xdg-open`, `open`,
//! `sensible-browser`, `x-www-browser`, `www-browser`) and in `BROWSER`. The opener only writes
//! the URL to a log; the runner reads the log and plays the browser: it requests an http(s) URL
//! and follows its redirects (to the client's loopback redirect URI, where the client gets its
//! code), and never visits any other scheme. Every wait is bounded.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often the log is looked at while the client runs.
const POLL: Duration = Duration::from_millis(50);
/// Redirects followed per opened URL.
const MAX_HOPS: usize = 10;

const NAMES: &[&str] = &[
    "xdg-open",
    "open",
    "sensible-browser",
    "x-www-browser",
    "www-browser",
];

/// A URL the client asked the browser to open, and what the shim did with it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub url: String,
    pub outcome: String,
}

/// The opener scripts of one client run; removed when dropped.
pub struct BrowserShim {
    dir: PathBuf,
    log: PathBuf,
    pub opened: Arc<Mutex<Vec<Opened>>>,
}

impl Drop for BrowserShim {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

static NEXT: AtomicU64 = AtomicU64::new(0);

/// The opener: appends its URL arguments to the log (whose path it carries, so it works from
/// any environment) and returns at once.
fn script(log: &std::path::Path) -> String {
    let quoted = log.display().to_string().replace('\'', "'\\''");
    format!(
        "#!/bin/sh\n# authconform's browser shim: the runner opens the URL.\nfor u in \"$@\"; do\n  case \"$u\" in -*) ;; *) printf '%s\\n' \"$u\" >> '{quoted}' ;; esac\ndone\nexit 0\n"
    )
}

impl BrowserShim {
    pub fn create() -> Result<Self, String> {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!(
            "authconform-browser-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let fail = |e: std::io::Error| format!("the browser shim in {}: {e}", dir.display());
        std::fs::create_dir_all(&dir).map_err(fail)?;
        let log = dir.join("opened.log");
        std::fs::write(&log, "").map_err(fail)?;
        for name in NAMES {
            let path = dir.join(name);
            std::fs::write(&path, script(&log)).map_err(fail)?;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .map_err(fail)?;
        }
        Ok(Self {
            dir,
            log,
            opened: Arc::default(),
        })
    }

    /// The environment that routes the client's browser to the shim.
    pub fn env(&self) -> Vec<(String, String)> {
        let path = std::env::var("PATH").unwrap_or_default();
        vec![
            (
                "BROWSER".into(),
                self.dir.join("xdg-open").display().to_string(),
            ),
            ("PATH".into(), format!("{}:{path}", self.dir.display())),
        ]
    }

    /// Plays the browser for every URL the client opens; runs until dropped.
    pub async fn serve(&self) {
        let client = match reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
        {
            Ok(c) => c,
            Err(_) => return std::future::pending().await,
        };
        let mut done = 0;
        loop {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            let urls: Vec<String> = text.lines().skip(done).map(str::to_string).collect();
            done += urls.len();
            for url in urls {
                let outcome = visit(&client, &url).await;
                self.opened
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(Opened { url, outcome });
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Requests `url` and follows its redirects, as a browser would; what happened, in words.
async fn visit(client: &reqwest::Client, url: &str) -> String {
    let mut next = match url::Url::parse(url) {
        Ok(u) if u.scheme() == "http" || u.scheme() == "https" => u,
        Ok(u) => return format!("not visited: a {}: URL", u.scheme()),
        Err(e) => return format!("not visited: not a URL ({e})"),
    };
    for _ in 0..MAX_HOPS {
        let r = match client.get(next.as_str()).send().await {
            Ok(r) => r,
            Err(e) => return format!("{next}: {e}"),
        };
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        match location {
            Some(l) if (300..400).contains(&status) => match next.join(&l) {
                Ok(u) if u.scheme() == "http" || u.scheme() == "https" => next = u,
                Ok(u) => return format!("redirected to a {}: URL, not followed", u.scheme()),
                Err(e) => return format!("a bad redirect {l:?}: {e}"),
            },
            _ => return format!("ended on {} -> {status}", next.path()),
        }
    }
    format!("more than {MAX_HOPS} redirects")
}
