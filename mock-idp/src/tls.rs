//! `--tls`: a throwaway certificate authority and a server certificate for `localhost`,
//! `127.0.0.1` and `::1`, made by rcgen at start. The CA certificate is written to a file so
//! clients under test can trust it; the private keys never leave memory.

use std::path::Path;

use axum_server::tls_rustls::RustlsConfig;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

/// Makes the CA and server certificate, writes the CA PEM to `ca_file`, returns the rustls config.
pub async fn server_config(ca_file: &Path) -> Result<RustlsConfig, String> {
    let (ca_pem, cert_pem, key_pem) =
        generate().map_err(|e| format!("cannot make certificates: {e}"))?;
    if let Some(dir) = ca_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(ca_file, &ca_pem).map_err(|e| {
        format!(
            "cannot write the CA certificate to {}: {e}",
            ca_file.display()
        )
    })?;
    let chain = format!("{cert_pem}{ca_pem}");
    RustlsConfig::from_pem(chain.into_bytes(), key_pem.into_bytes())
        .await
        .map_err(|e| format!("rustls refused the certificate: {e}"))
}

/// `(ca_pem, server_cert_pem, server_key_pem)`.
pub fn generate() -> Result<(String, String, String), rcgen::Error> {
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "mock-idp test CA");
    ca_params.distinguished_name = dn;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca_params, ca_key);

    let mut params = CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ])?;
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "localhost");
    params.distinguished_name = dn;
    let key = KeyPair::generate()?;
    let cert = params.signed_by(&key, &issuer)?;
    Ok((ca_cert.pem(), cert.pem(), key.serialize_pem()))
}
