//! A small W3C WebDriver client for the browser tests: starts Debian's `chromedriver` on a free
//! port, opens headless `chromium` through it, and speaks the handful of WebDriver commands the
//! tests use (navigate, find by CSS, type, click, page source, current URL, screenshot). Every
//! command is bounded. `Browser::start` says why it cannot run (no chromium, no chromedriver)
//! so the tests can skip with that reason, or fail when CI must have a browser.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    http: reqwest::Client,
    base: String,
    driver: tokio::process::Child,
    _profile: tempdir::Dir,
    pub shots: PathBuf,
}

/// A throwaway folder (removed on drop).
mod tempdir {
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn binary(name: &str, env: &str) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p));
    }
    ["/usr/bin", "/usr/local/bin"]
        .iter()
        .map(|d| PathBuf::from(d).join(name))
        .find(|p| p.is_file())
}

impl Browser {
    /// Starts chromedriver and a headless chromium session; `Err` says what is missing.
    pub async fn start(name: &str) -> Result<Browser, String> {
        let chromium = binary("chromium", "CHROMIUM")
            .ok_or("no chromium (apt-get install chromium chromium-driver, or set CHROMIUM)")?;
        let chromedriver = binary("chromedriver", "CHROMEDRIVER")
            .ok_or("no chromedriver (apt-get install chromium-driver, or set CHROMEDRIVER)")?;
        let mut driver = tokio::process::Command::new(&chromedriver)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", chromedriver.display()))?;
        let out = driver.stdout.take().ok_or("no chromedriver stdout")?;
        let mut lines = BufReader::new(out).lines();
        let port = tokio::time::timeout(Duration::from_secs(10), async {
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.split("started successfully on port ").nth(1) {
                    return rest.trim_end_matches('.').parse::<u16>().ok();
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .ok_or("chromedriver did not say its port within 10 s")?;
        // Keep reading its stdout so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let profile = tmp.join(format!("chromium-profile-{name}-{}", std::process::id()));
        let shots = tmp.join("ui-screenshots");
        std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        let base = format!("http://127.0.0.1:{port}");
        let mut b = Browser {
            http,
            base,
            driver,
            _profile: tempdir::Dir(profile.clone()),
            shots,
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                // As root and on a closed network (machines/rust.md): no sandbox, no background
                // connections to the outside.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1000,1100",
                         format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let v = b.call("POST", "/session", Some(caps)).await?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session id from chromedriver: {v}"))?;
        b.base = format!("{}/session/{id}", b.base);
        Ok(b)
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(&url),
            "DELETE" => self.http.delete(&url),
            _ => self.http.post(&url).json(&body.unwrap_or(json!({}))),
        };
        let r = req
            .send()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let status = r.status();
        let v: Value = r
            .json()
            .await
            .map_err(|e| format!("{method} {path}: {e}"))?;
        if !status.is_success() {
            return Err(format!("{method} {path}: {status} {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    pub async fn go(&self, url: &str) -> Result<(), String> {
        self.call("POST", "/url", Some(json!({"url": url})))
            .await
            .map(drop)
    }

    pub async fn url(&self) -> Result<String, String> {
        Ok(self
            .call("GET", "/url", None)
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    pub async fn source(&self) -> Result<String, String> {
        Ok(self
            .call("GET", "/source", None)
            .await?
            .as_str()
            .unwrap_or("")
            .to_string())
    }

    /// The page source once it contains `text` (a click's navigation may still be under way
    /// when the click returns); polls for at most 10 s.
    pub async fn wait_for(&self, text: &str) -> Result<String, String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let page = self.source().await?;
            if page.contains(text) {
                return Ok(page);
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!(
                    "{text:?} did not appear within 10 s at {}: {page}",
                    self.url().await.unwrap_or_default()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn find(&self, css: &str) -> Result<String, String> {
        let v = self
            .call(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await?;
        v[ELEMENT]
            .as_str()
            .map(String::from)
            .ok_or_else(|| format!("no element {css}"))
    }

    /// Types into the field `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) -> Result<(), String> {
        let e = self.find(css).await?;
        self.call("POST", &format!("/element/{e}/clear"), None)
            .await?;
        self.call(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        )
        .await
        .map(drop)
    }

    pub async fn click(&self, css: &str) -> Result<(), String> {
        let e = self.find(css).await?;
        self.call("POST", &format!("/element/{e}/click"), None)
            .await
            .map(drop)
    }

    /// Saves a PNG of the page as `target/tmp/ui-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf, String> {
        let b64 = self.call("GET", "/screenshot", None).await?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or(""))
            .map_err(|e| e.to_string())?;
        let path = self.shots.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    pub async fn quit(mut self) {
        let _ = self.call("DELETE", "", None).await;
        let _ = self.driver.kill().await;
    }
}

/// Starts a browser, or decides what a missing one means: a failure under CI (which installs
/// chromium), a printed skip elsewhere.
pub async fn browser_or_skip(name: &str) -> Option<Browser> {
    match Browser::start(name).await {
        Ok(b) => Some(b),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI must run the browser tests, but: {e}")
        }
        Err(e) => {
            eprintln!("skipped: no browser for the UI tests: {e}");
            None
        }
    }
}
