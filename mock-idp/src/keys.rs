//! Signing keys: generation or loading (PKCS#8 PEM), the published JWKS, and rotation with an
//! overlap period. Key pairs are parsed once; the token endpoint signs with them through an
//! `ArcSwap` load, with no lock and no per-request key parsing.
//!
//! This module owns key material and raw signatures. JWT layout lives in `jwt`.

use std::sync::Arc;

use arc_swap::ArcSwap;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair, RsaKeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::config::{KeySpec, SigningAlg};

/// Why a key could not be made or loaded.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read key file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("key file {path} is not a PKCS#8 PEM private key for {alg}: {reason}")]
    Parse {
        path: String,
        alg: &'static str,
        reason: String,
    },
    #[error("the crypto library could not generate a {0} key")]
    Generate(&'static str),
    #[error("no key with kid {0:?}")]
    UnknownKid(String),
    #[error("kid {0:?} is already in use")]
    DuplicateKid(String),
    #[error("the active signing key cannot be removed; rotate first")]
    ActiveKey,
}

enum Pair {
    Ec(EcdsaKeyPair),
    Rsa(RsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// One key pair with its public JWK.
pub struct SigningKey {
    pub kid: String,
    pub alg: SigningAlg,
    pair: Arc<Pair>,
    /// The public key as the verifier needs it (EC point, RSA PKCS#1 DER, Ed25519 bytes).
    public: Vec<u8>,
    jwk: Value,
    /// When set, the key stops being published at this virtual time.
    pub retire_at: Option<i64>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("retire_at", &self.retire_at)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Generates a fresh key pair.
    pub fn generate(alg: SigningAlg, kid: Option<String>) -> Result<Self, KeyError> {
        let err = || KeyError::Generate(alg.as_str());
        let pair = match alg {
            SigningAlg::ES256 => Pair::Ec(
                EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
                    .map_err(|_| err())?,
            ),
            SigningAlg::RS256 => {
                Pair::Rsa(RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| err())?)
            }
            SigningAlg::EdDSA => Pair::Ed(Ed25519KeyPair::generate().map_err(|_| err())?),
        };
        Ok(Self::from_pair(alg, pair, kid))
    }

    /// Loads a PKCS#8 private key from PEM text.
    pub fn from_pem(
        alg: SigningAlg,
        pem: &str,
        kid: Option<String>,
        path: &str,
    ) -> Result<Self, KeyError> {
        let parse_err = |reason: String| KeyError::Parse {
            path: path.to_string(),
            alg: alg.as_str(),
            reason,
        };
        let der = pem_body(pem)
            .ok_or_else(|| parse_err("no -----BEGIN PRIVATE KEY----- block".into()))?;
        let pair = match alg {
            SigningAlg::ES256 => Pair::Ec(
                EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, &der)
                    .map_err(|e| parse_err(e.to_string()))?,
            ),
            SigningAlg::RS256 => {
                Pair::Rsa(RsaKeyPair::from_pkcs8(&der).map_err(|e| parse_err(e.to_string()))?)
            }
            SigningAlg::EdDSA => Pair::Ed(
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
                    .map_err(|e| parse_err(e.to_string()))?,
            ),
        };
        Ok(Self::from_pair(alg, pair, kid))
    }

    /// Builds a key from config: the file when given, else a fresh one.
    pub fn from_spec(spec: &KeySpec) -> Result<Self, KeyError> {
        match &spec.private_key_file {
            Some(path) => {
                let pem = std::fs::read_to_string(path).map_err(|source| KeyError::Read {
                    path: path.clone(),
                    source,
                })?;
                Self::from_pem(spec.alg, &pem, spec.kid.clone(), path)
            }
            None => match &spec.private_key_pem {
                Some(pem) => {
                    Self::from_pem(spec.alg, pem, spec.kid.clone(), "keys[].private_key_pem")
                }
                None => Self::generate(spec.alg, spec.kid.clone()),
            },
        }
    }

    fn from_pair(alg: SigningAlg, pair: Pair, kid: Option<String>) -> Self {
        let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        let (public, mut jwk, thumb_input) = match &pair {
            Pair::Ec(p) => {
                let point = p.public_key().as_ref().to_vec();
                let (x, y) = (b64(&point[1..33]), b64(&point[33..65]));
                let thumb = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
                (
                    point,
                    json!({"kty": "EC", "crv": "P-256", "x": x, "y": y}),
                    thumb,
                )
            }
            Pair::Rsa(p) => {
                let pk = p.public_key();
                let n = b64(pk.modulus().big_endian_without_leading_zero());
                let e = b64(pk.exponent().big_endian_without_leading_zero());
                let thumb = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
                (
                    pk.as_ref().to_vec(),
                    json!({"kty": "RSA", "n": n, "e": e}),
                    thumb,
                )
            }
            Pair::Ed(p) => {
                let raw = p.public_key().as_ref().to_vec();
                let x = b64(&raw);
                let thumb = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
                (raw, json!({"kty": "OKP", "crv": "Ed25519", "x": x}), thumb)
            }
        };
        let kid = kid.unwrap_or_else(|| {
            let digest =
                aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, thumb_input.as_bytes());
            b64(&digest.as_ref()[..12])
        });
        jwk["kid"] = json!(kid);
        jwk["alg"] = json!(alg.as_str());
        jwk["use"] = json!("sig");
        Self {
            kid,
            alg,
            pair: Arc::new(pair),
            public,
            jwk,
            retire_at: None,
        }
    }

    /// The public key as a JWK (RFC 7517), with `kid`, `alg` and `use`.
    pub fn public_jwk(&self) -> &Value {
        &self.jwk
    }

    /// Signs `message` (the JWS signing input).
    pub fn sign(&self, rng: &SystemRandom, message: &[u8]) -> Vec<u8> {
        // Signing with a well-formed, already-parsed key only fails if the crypto library is
        // broken; that is a bug worth crashing the request task on, not a client error.
        match &*self.pair {
            Pair::Ec(p) => p
                .sign(rng, message)
                .expect("ECDSA signing")
                .as_ref()
                .to_vec(),
            Pair::Rsa(p) => {
                let mut sig = vec![0; p.public_modulus_len()];
                p.sign(&signature::RSA_PKCS1_SHA256, rng, message, &mut sig)
                    .expect("RSA signing");
                sig
            }
            Pair::Ed(p) => p.sign(message).as_ref().to_vec(),
        }
    }

    /// Verifies a signature made by this key.
    pub fn verify(&self, message: &[u8], sig: &[u8]) -> bool {
        let alg: &dyn signature::VerificationAlgorithm = match self.alg {
            SigningAlg::ES256 => &signature::ECDSA_P256_SHA256_FIXED,
            SigningAlg::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            SigningAlg::EdDSA => &signature::ED25519,
        };
        signature::UnparsedPublicKey::new(alg, &self.public)
            .verify(message, sig)
            .is_ok()
    }

    /// The public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as verifiers load it.
    pub fn public_key_pem(&self) -> String {
        use aws_lc_rs::encoding::PublicKeyX509Der;
        let der = match &*self.pair {
            Pair::Ec(p) => AsDer::<PublicKeyX509Der>::as_der(p.public_key())
                .expect("EC public key export")
                .as_ref()
                .to_vec(),
            Pair::Rsa(p) => AsDer::<PublicKeyX509Der>::as_der(p.public_key())
                .expect("RSA public key export")
                .as_ref()
                .to_vec(),
            Pair::Ed(p) => AsDer::<PublicKeyX509Der>::as_der(p.public_key())
                .expect("Ed25519 public key export")
                .as_ref()
                .to_vec(),
        };
        pem_encode("PUBLIC KEY", &der)
    }

    /// The private key as PKCS#8 PEM (for `mock-idp mint` and fixtures; never logged).
    pub fn private_pem(&self) -> String {
        let der = match &*self.pair {
            Pair::Ec(p) => p.to_pkcs8v1().expect("EC key export").as_ref().to_vec(),
            Pair::Rsa(p) => AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(p)
                .expect("RSA key export")
                .as_ref()
                .to_vec(),
            Pair::Ed(p) => p
                .to_pkcs8v1()
                .expect("Ed25519 key export")
                .as_ref()
                .to_vec(),
        };
        pem_encode("PRIVATE KEY", &der)
    }
}

fn pem_body(pem: &str) -> Option<Vec<u8>> {
    let start = pem.find("-----BEGIN PRIVATE KEY-----")? + "-----BEGIN PRIVATE KEY-----".len();
    let end = pem[start..].find("-----END PRIVATE KEY-----")? + start;
    let body: String = pem[start..end]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    STANDARD.decode(body).ok()
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The keys at one moment: the first is the active signer.
#[derive(Debug, Clone)]
pub struct KeyRing {
    pub keys: Vec<Arc<SigningKey>>,
}

impl KeyRing {
    /// The key new tokens are signed with.
    pub fn active(&self) -> &Arc<SigningKey> {
        &self.keys[0]
    }

    /// A published (not yet retired) key by `kid`.
    pub fn find(&self, kid: &str, now: i64) -> Option<&Arc<SigningKey>> {
        self.keys
            .iter()
            .find(|k| k.kid == kid && k.retire_at.is_none_or(|r| now < r))
    }

    /// The JWKS document (RFC 7517 §5) at virtual time `now`.
    pub fn jwks(&self, now: i64) -> Value {
        let keys: Vec<&Value> = self
            .keys
            .iter()
            .filter(|k| k.retire_at.is_none_or(|r| now < r))
            .map(|k| k.public_jwk())
            .collect();
        json!({ "keys": keys })
    }
}

/// The live key set; readers never block.
pub struct Keys {
    ring: ArcSwap<KeyRing>,
    rotate_lock: std::sync::Mutex<()>,
    pub rng: SystemRandom,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("ring", &self.ring.load())
            .finish()
    }
}

impl Keys {
    /// Makes or loads every configured key; the first becomes active.
    pub fn from_specs(specs: &[KeySpec]) -> Result<Self, KeyError> {
        let keys = specs
            .iter()
            .map(|s| SigningKey::from_spec(s).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self::from_ring(KeyRing { keys }))
    }

    pub fn from_ring(ring: KeyRing) -> Self {
        Self {
            ring: ArcSwap::from_pointee(ring),
            rotate_lock: Default::default(),
            rng: SystemRandom::new(),
        }
    }

    /// The current ring.
    pub fn ring(&self) -> arc_swap::Guard<Arc<KeyRing>> {
        self.ring.load()
    }

    /// Replaces the whole ring (reset).
    pub fn replace(&self, ring: KeyRing) {
        let _g = self.rotate_lock.lock().unwrap_or_else(|p| p.into_inner());
        self.ring.store(Arc::new(ring));
    }

    /// Publishes `new` as the active key; the previous active key stays published until
    /// `now + overlap`. Keys already past retirement are dropped.
    pub fn rotate(
        &self,
        new: SigningKey,
        now: i64,
        overlap: i64,
    ) -> Result<Arc<SigningKey>, KeyError> {
        let _g = self.rotate_lock.lock().unwrap_or_else(|p| p.into_inner());
        let old = self.ring.load_full();
        if old.keys.iter().any(|k| k.kid == new.kid) {
            return Err(KeyError::DuplicateKid(new.kid));
        }
        let new = Arc::new(new);
        let mut keys = vec![new.clone()];
        for (i, k) in old.keys.iter().enumerate() {
            if k.retire_at.is_some_and(|r| r <= now) {
                continue;
            }
            if i == 0 {
                keys.push(Arc::new(k.retired_copy(now.saturating_add(overlap))));
            } else {
                keys.push(k.clone());
            }
        }
        self.ring.store(Arc::new(KeyRing { keys }));
        Ok(new)
    }

    /// Stops publishing `kid` at once; tokens signed with it no longer verify.
    pub fn remove(&self, kid: &str) -> Result<(), KeyError> {
        let _g = self.rotate_lock.lock().unwrap_or_else(|p| p.into_inner());
        let old = self.ring.load_full();
        let pos = old
            .keys
            .iter()
            .position(|k| k.kid == kid)
            .ok_or_else(|| KeyError::UnknownKid(kid.into()))?;
        if pos == 0 {
            return Err(KeyError::ActiveKey);
        }
        let mut keys = old.keys.clone();
        keys.remove(pos);
        self.ring.store(Arc::new(KeyRing { keys }));
        Ok(())
    }
}

impl SigningKey {
    /// The same key pair, scheduled to retire at `at`.
    fn retired_copy(&self, at: i64) -> SigningKey {
        SigningKey {
            kid: self.kid.clone(),
            alg: self.alg,
            pair: self.pair.clone(),
            public: self.public.clone(),
            jwk: self.jwk.clone(),
            retire_at: Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_algorithm_signs_and_verifies_and_round_trips_through_pem() {
        for alg in [SigningAlg::ES256, SigningAlg::RS256, SigningAlg::EdDSA] {
            let key = SigningKey::generate(alg, None).unwrap();
            let rng = SystemRandom::new();
            let sig = key.sign(&rng, b"payload");
            assert!(key.verify(b"payload", &sig), "{alg:?}");
            assert!(!key.verify(b"payloaX", &sig), "{alg:?}");
            let again = SigningKey::from_pem(alg, &key.private_pem(), None, "mem").unwrap();
            assert_eq!(again.kid, key.kid, "thumbprint kid is stable for {alg:?}");
            assert!(again.verify(b"payload", &sig));
        }
    }

    #[test]
    fn rotation_keeps_the_old_key_for_the_overlap() {
        let keys = Keys::from_ring(KeyRing {
            keys: vec![Arc::new(
                SigningKey::generate(SigningAlg::ES256, Some("old".into())).unwrap(),
            )],
        });
        keys.rotate(
            SigningKey::generate(SigningAlg::ES256, Some("new".into())).unwrap(),
            100,
            50,
        )
        .unwrap();
        let ring = keys.ring();
        assert_eq!(ring.active().kid, "new");
        assert!(ring.find("old", 149).is_some());
        assert!(ring.find("old", 150).is_none());
        assert_eq!(ring.jwks(149)["keys"].as_array().unwrap().len(), 2);
        assert_eq!(ring.jwks(150)["keys"].as_array().unwrap().len(), 1);
    }
}
