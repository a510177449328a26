//! Pre-signs DPoP proofs (RFC 9449 §4.2) for `bench/dpop.sh`: wrk's Lua cannot sign ES256, so the
//! proofs a benchmark round sends are made here before the round, one per line, each with its own
//! `jti` and the current `iat`. Every proof is valid for exactly one request (the server's replay
//! store refuses a second use), so a round needs as many as it sends.
//!
//! ```text
//! cargo run --release -p mock-idp --example dpop_proofs -- \
//!     --key k.pem --htm POST --htu http://127.0.0.1:5001/oauth/token \
//!     --count 200000 --split 2 --out proofs      # proofs.0 proofs.1 (proof i in file i % 2)
//! cargo run --release -p mock-idp --example dpop_proofs -- --key k.pem --jkt
//! ```
//!
//! `--key` is a PKCS#8 PEM P-256 key, made on first use, so the proofs of the token request and
//! those presented with the token at a resource come from the one key the token is bound to.
//! Signing uses every core; it is not part of any measured figure.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use clap::Parser;
use protocol::dpop::{ProofKey, ProofSpec};

/// Pre-signs DPoP proofs for a benchmark, one per line.
#[derive(Debug, Parser)]
struct Args {
    /// The client's P-256 key (PKCS#8 PEM); generated and written here when the file is absent.
    #[arg(long)]
    key: PathBuf,
    /// Print the key's RFC 7638 thumbprint (the `cnf.jkt` a bound token carries) and stop.
    #[arg(long)]
    jkt: bool,
    /// The request method the proofs are for (`htm`).
    #[arg(long, required_unless_present = "jkt")]
    htm: Option<String>,
    /// The request URI the proofs are for (`htu`).
    #[arg(long, required_unless_present = "jkt")]
    htu: Option<String>,
    /// The access token the proofs go with: its hash becomes `ath` (for a resource request).
    #[arg(long)]
    access_token: Option<String>,
    /// How many proofs.
    #[arg(long, default_value_t = 1)]
    count: usize,
    /// Write `<out>.0` … `<out>.<split-1>`, proof i in file i % split (one file per wrk
    /// thread, so threads never share a proof); without `--out`, all proofs go to stdout.
    #[arg(long, default_value_t = 1)]
    split: usize,
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let key = load_or_create_key(&args.key)?;
    if args.jkt {
        println!("{}", key.thumbprint());
        return Ok(());
    }
    if args.split == 0 {
        bail!("--split must be at least 1");
    }
    let spec = ProofSpec {
        htm: args.htm.clone().unwrap_or_default(),
        htu: args.htu.clone().unwrap_or_default(),
        iat: SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64,
        access_token: args.access_token.clone(),
        // jti: None makes a fresh random one per proof.
        ..Default::default()
    };
    let started = Instant::now();
    let proofs = sign_all(&key, &spec, args.count);
    let secs = started.elapsed().as_secs_f64();
    write_proofs(&proofs, args.out.as_deref(), args.split)?;
    eprintln!(
        "dpop_proofs: signed {} proofs in {secs:.2} s ({:.0}/s)",
        proofs.len(),
        proofs.len() as f64 / secs.max(1e-9)
    );
    Ok(())
}

fn load_or_create_key(path: &Path) -> anyhow::Result<ProofKey> {
    if !path.exists() {
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .map_err(|e| anyhow::anyhow!("generating a P-256 key: {e}"))?;
        let body = STANDARD.encode(pkcs8.as_ref());
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(std::str::from_utf8(line)?);
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        std::fs::write(path, pem).with_context(|| format!("writing {}", path.display()))?;
    }
    let pem =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    ProofKey::from_pkcs8_pem(&pem).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `count` proofs for `spec`, each with its own random `jti`, signed on every core.
fn sign_all(key: &ProofKey, spec: &ProofSpec, count: usize) -> Vec<String> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_worker = count.div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count)
            .step_by(per_worker)
            .map(|start| {
                let n = per_worker.min(count - start);
                scope.spawn(move || (0..n).map(|_| key.proof(spec)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a signing thread"))
            .collect()
    })
}

fn write_proofs(proofs: &[String], out: Option<&Path>, split: usize) -> anyhow::Result<()> {
    let Some(out) = out else {
        let mut w = BufWriter::new(std::io::stdout().lock());
        for p in proofs {
            writeln!(w, "{p}")?;
        }
        return Ok(w.flush()?);
    };
    let mut files = (0..split)
        .map(|i| {
            let path = format!("{}.{i}", out.display());
            std::fs::File::create(&path)
                .map(BufWriter::new)
                .with_context(|| format!("creating {path}"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    for (i, p) in proofs.iter().enumerate() {
        writeln!(files[i % split], "{p}")?;
    }
    for f in &mut files {
        f.flush()?;
    }
    Ok(())
}
