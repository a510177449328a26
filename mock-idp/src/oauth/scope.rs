//! Scope strings (RFC 6749 §3.3): space-delimited, case-sensitive, each token of NQCHARs.

/// Splits a scope string, dropping duplicates; an error names the bad token.
pub fn parse(scope: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for token in scope.split(' ').filter(|t| !t.is_empty()) {
        if !token
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x5b).contains(&b) || (0x5d..=0x7e).contains(&b))
        {
            return Err(format!(
                "scope token {token:?} has characters RFC 6749 §3.3 does not allow"
            ));
        }
        if !out.iter().any(|s| s == token) {
            out.push(token.to_string());
        }
    }
    Ok(out)
}

/// The tokens of `requested` that are not in `allowed`.
pub fn not_in<'a>(requested: &'a [String], allowed: &[String]) -> Vec<&'a str> {
    requested
        .iter()
        .filter(|s| !allowed.contains(s))
        .map(String::as_str)
        .collect()
}

/// Joins scope tokens with single spaces.
pub fn join(scope: &[String]) -> String {
    scope.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_dedupes_and_refuses_quotes() {
        assert_eq!(
            parse("openid  profile openid").unwrap(),
            vec!["openid", "profile"]
        );
        assert!(parse("a\"b").is_err());
        assert_eq!(
            not_in(&parse("a b c").unwrap(), &parse("a c").unwrap()),
            vec!["b"]
        );
    }
}
