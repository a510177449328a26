//! Making DPoP proofs (RFC 9449 §4.2) and the other JWTs a client signs (client assertions,
//! RFC 7523), as a client does: an ES256 key, its public JWK and
//! RFC 7638 thumbprint, and proofs for a request. Deliberately broken proofs are built from
//! [`ProofSpec`] by the caller choosing what to get wrong (another `htu`, an old `iat`, a wrong
//! `ath`, a bad signature). Nothing here checks a proof: that is the receiving server's.

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

/// A client's DPoP key (P-256).
pub struct ProofKey {
    pair: EcdsaKeyPair,
    x: String,
    y: String,
}

impl std::fmt::Debug for ProofKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProofKey")
            .field("thumbprint", &self.thumbprint())
            .finish_non_exhaustive()
    }
}

/// What goes into one proof; `None` leaves a claim out.
#[derive(Debug, Clone, Default)]
pub struct ProofSpec {
    pub htm: String,
    pub htu: String,
    pub iat: i64,
    pub jti: Option<String>,
    /// The access token the proof goes with: its hash becomes `ath`.
    pub access_token: Option<String>,
    /// `ath` as given, instead of the access token's hash.
    pub ath: Option<String>,
    pub nonce: Option<String>,
    /// The header's `typ`; default `dpop+jwt`.
    pub typ: Option<String>,
    /// Put the private key (`d`) in the header's `jwk`.
    pub leak_private_key: bool,
    /// Flip a bit of the signature.
    pub bad_signature: bool,
}

impl ProofKey {
    pub fn generate() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("a P-256 key");
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
            .expect("the key just made");
        Self::from_pair(pair)
    }

    fn from_pair(pair: EcdsaKeyPair) -> Self {
        // An uncompressed point: 0x04 || x (32 bytes) || y (32 bytes).
        let point = pair.public_key().as_ref();
        let x = URL_SAFE_NO_PAD.encode(&point[1..33]);
        let y = URL_SAFE_NO_PAD.encode(&point[33..65]);
        Self { pair, x, y }
    }

    /// The key of a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) holding a P-256 key, as the MCP
    /// conformance contract hands one to a client (`private_key_pem`).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, String> {
        use base64::engine::general_purpose::STANDARD;
        let body: String = pem
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("-----"))
            .collect();
        let der = STANDARD
            .decode(body)
            .map_err(|_| "the PEM's body is not base64".to_string())?;
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
            .map(Self::from_pair)
            .map_err(|e| format!("not a PKCS#8 P-256 private key ({e})"))
    }

    /// The key of a private P-256 JWK (`kty` EC, `crv` P-256, `x`, `y`, `d`; RFC 7518 §6.2.2); the
    /// error says which member is wrong.
    pub fn from_private_jwk(jwk: &Value) -> Result<Self, String> {
        let member = |m: &str| -> Result<Vec<u8>, String> {
            let v = jwk
                .get(m)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("the JWK has no {m}"))?;
            URL_SAFE_NO_PAD
                .decode(v)
                .ok()
                .filter(|b| b.len() == 32)
                .ok_or_else(|| format!("the JWK's {m} is not 32 bytes of base64url"))
        };
        if jwk.get("kty").and_then(Value::as_str) != Some("EC")
            || jwk.get("crv").and_then(Value::as_str) != Some("P-256")
        {
            return Err("only P-256 keys are supported (kty EC, crv P-256)".into());
        }
        let (x, y, d) = (member("x")?, member("y")?, member("d")?);
        let point = [&[4u8][..], &x, &y].concat();
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &d,
            &point,
        )
        .map_err(|e| format!("the JWK's d does not go with its x and y ({e})"))?;
        Ok(Self {
            pair,
            x: URL_SAFE_NO_PAD.encode(&x),
            y: URL_SAFE_NO_PAD.encode(&y),
        })
    }

    /// The public key as a JWK (RFC 7518 §6.2.1).
    pub fn public_jwk(&self) -> Value {
        json!({"kty": "EC", "crv": "P-256", "x": self.x, "y": self.y})
    }

    /// RFC 7638 §3: SHA-256 of `{"crv":..,"kty":"EC","x":..,"y":..}`, base64url.
    pub fn thumbprint(&self) -> String {
        thumbprint_ec("P-256", &self.x, &self.y)
    }

    /// A proof for `spec`, signed with this key (ES256).
    pub fn proof(&self, spec: &ProofSpec) -> String {
        let mut jwk = self.public_jwk();
        if spec.leak_private_key {
            // Not the real private scalar: any `d` member makes the JWK a private one.
            jwk["d"] = json!(crate::pkce::random(32));
        }
        let header = json!({
            "typ": spec.typ.as_deref().unwrap_or("dpop+jwt"),
            "alg": "ES256",
            "jwk": jwk,
        });
        let mut claims = Map::new();
        claims.insert(
            "jti".into(),
            json!(spec.jti.clone().unwrap_or_else(|| crate::pkce::random(16))),
        );
        claims.insert("htm".into(), json!(spec.htm));
        claims.insert("htu".into(), json!(spec.htu));
        claims.insert("iat".into(), json!(spec.iat));
        let ath = spec
            .ath
            .clone()
            .or_else(|| spec.access_token.as_deref().map(access_token_hash));
        if let Some(ath) = ath {
            claims.insert("ath".into(), json!(ath));
        }
        if let Some(n) = &spec.nonce {
            claims.insert("nonce".into(), json!(n));
        }
        let proof = self.sign(&header, &Value::Object(claims));
        if spec.bad_signature {
            return flip_signature_bit(&proof);
        }
        proof
    }

    /// A compact JWS of `claims` under `header` (which should say `alg: ES256`), signed with
    /// this key: the runner's client assertions and other JWTs it sends as a client.
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let mut out = URL_SAFE_NO_PAD.encode(header.to_string());
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string()));
        let sig = self
            .pair
            .sign(&SystemRandom::new(), out.as_bytes())
            .expect("signing");
        out.push('.');
        out.push_str(&URL_SAFE_NO_PAD.encode(sig.as_ref()));
        out
    }
}

/// `jws` with one bit of its signature flipped: a signature that no longer verifies.
pub fn flip_signature_bit(jws: &str) -> String {
    let Some((input, sig)) = jws.rsplit_once('.') else {
        return jws.to_string();
    };
    let mut bytes = URL_SAFE_NO_PAD.decode(sig).unwrap_or_default();
    if let Some(b) = bytes.get_mut(10) {
        *b ^= 0x01;
    }
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A compact JWS MACed with `secret` (HS256): a `client_secret_jwt` assertion.
pub fn sign_hs256(secret: &str, header: &Value, claims: &Value) -> String {
    use aws_lc_rs::hmac;
    let mut out = URL_SAFE_NO_PAD.encode(header.to_string());
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(claims.to_string()));
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let tag = hmac::sign(&key, out.as_bytes());
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(tag.as_ref()));
    out
}

/// RFC 7638 thumbprint of an EC public key.
pub fn thumbprint_ec(crv: &str, x: &str, y: &str) -> String {
    let q = |v: &str| Value::from(v).to_string();
    let json = format!(
        r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
        q(crv),
        q(x),
        q(y)
    );
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, json.as_bytes()))
}

/// `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the access token.
pub fn access_token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pkcs8_pem_gives_its_public_key() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgOaSG8hNQAyagT40l\ncRJtTKUSgwYBIrEDQFZjQDTqDOehRANCAAS9f0WGJYINtm55oGpbi1I7pIETS7nb\nuGTzli++AY3xRiqgBjTpcZopTB5I6TTL5RYJqqinwf+FDlM0IxTFMF0b\n-----END PRIVATE KEY-----\n";
        let key = ProofKey::from_pkcs8_pem(pem).unwrap();
        assert_eq!(
            key.public_jwk()["x"],
            "vX9FhiWCDbZueaBqW4tSO6SBE0u527hk85YvvgGN8UY"
        );
        assert!(ProofKey::from_pkcs8_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n").is_err());
    }

    #[test]
    fn a_private_jwk_round_trips_and_a_mismatched_one_is_refused() {
        let jwk = json!({
            "kty": "EC", "crv": "P-256",
            "x": "mVLn3MC3uiAUnUD9Uy3kfulcq6MhjOInxemoBzJUyWQ",
            "y": "p6QKn1Dzkx9EoHyNvxy61T5ztCLIfyDA6BdzHNOJ0iI",
            "d": "wGqzHx26HMrdX5Kz3_cLSHZP59cP8z-yxb8nv70vG_A",
        });
        let key = ProofKey::from_private_jwk(&jwk).unwrap();
        assert_eq!(key.public_jwk()["x"], jwk["x"]);
        let mut other = jwk.clone();
        other["d"] = json!(URL_SAFE_NO_PAD.encode([7u8; 32]));
        assert!(
            ProofKey::from_private_jwk(&other)
                .unwrap_err()
                .contains("does not go")
        );
        other["crv"] = json!("P-384");
        assert!(ProofKey::from_private_jwk(&other).is_err());
    }

    #[test]
    fn the_rfc_9449_example_key_has_the_examples_jkt() {
        assert_eq!(
            thumbprint_ec(
                "P-256",
                "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
                "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"
            ),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
        assert_eq!(
            access_token_hash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
    }

    #[test]
    fn a_proof_carries_the_claims_and_the_public_key() {
        let key = ProofKey::generate();
        let proof = key.proof(&ProofSpec {
            htm: "POST".into(),
            htu: "https://as.example/token".into(),
            iat: 1_800_000_000,
            access_token: Some("t".into()),
            ..Default::default()
        });
        let header = crate::jwt::unverified_part(&proof, 0).unwrap();
        let claims = crate::jwt::unverified_part(&proof, 1).unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["jwk"], key.public_jwk());
        assert!(header["jwk"].get("d").is_none());
        assert_eq!(claims["htm"], "POST");
        assert_eq!(claims["ath"], access_token_hash("t"));
        assert_eq!(claims["iat"], 1_800_000_000);
    }
}
