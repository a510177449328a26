//! `${VAR:-default}` and `${VAR}` interpolation over every string of a parsed YAML document.
//!
//! Interpolation runs on parsed values, never on raw text, so a variable's value cannot change the
//! document's structure. A scalar that is exactly one `${...}` expression is re-read as a YAML
//! scalar afterwards, so `port: ${PORT:-5001}` becomes a number and `flag: ${X:-false}` a bool.

use yaml_serde::Value;

/// Looks up an environment variable; injectable so tests do not touch the process environment.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Interpolates every string in `value`; `path` names the position for error messages.
pub fn interpolate(value: &mut Value, path: &str, env: Lookup<'_>) -> Result<(), String> {
    match value {
        Value::String(s) => {
            let whole_expr =
                s.starts_with("${") && s.ends_with('}') && s.matches("${").count() == 1;
            let replaced = interpolate_str(s, path, env)?;
            *value = if whole_expr {
                rescalar(replaced)
            } else {
                Value::String(replaced)
            };
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                interpolate(item, &format!("{path}[{i}]"), env)?;
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                let key = k.as_str().unwrap_or("?");
                let child = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                interpolate(v, &child, env)?;
            }
        }
        Value::Tagged(tagged) => interpolate(&mut tagged.value, path, env)?,
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
}

/// Re-reads an interpolated whole-scalar as YAML, keeping it a string unless it is a plain
/// number, bool or null.
fn rescalar(s: String) -> Value {
    match yaml_serde::from_str::<Value>(&s) {
        Ok(v @ (Value::Number(_) | Value::Bool(_))) => v,
        Ok(Value::Null) if s.trim().is_empty() => Value::Null,
        _ => Value::String(s),
    }
}

fn interpolate_str(s: &str, path: &str, env: Lookup<'_>) -> Result<String, String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| {
            format!("{path}: unterminated `${{` in {s:?}; write ${{VAR}} or ${{VAR:-default}}")
        })?;
        let expr = &after[..end];
        let (name, default) = match expr.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (expr, None),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "{path}: `${{{expr}}}` is not a variable name; use letters, digits and _"
            ));
        }
        match (env(name).filter(|v| !v.is_empty()), default) {
            (Some(v), _) => out.push_str(&v),
            (None, Some(d)) => out.push_str(d),
            (None, None) => {
                return Err(format!(
                    "{path}: environment variable {name} is not set; set it or write ${{{name}:-default}}"
                ));
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "SET").then(|| "from-env".to_string())
    }

    fn run(yaml: &str) -> Result<Value, String> {
        let mut v: Value = yaml_serde::from_str(yaml).unwrap();
        interpolate(&mut v, "", &env).map(|()| v)
    }

    #[test]
    fn uses_the_variable_then_the_default() {
        let v = run("a: ${SET:-x}\nb: ${UNSET:-fallback}\nc: pre-${SET}-post").unwrap();
        assert_eq!(v["a"].as_str(), Some("from-env"));
        assert_eq!(v["b"].as_str(), Some("fallback"));
        assert_eq!(v["c"].as_str(), Some("pre-from-env-post"));
    }

    #[test]
    fn whole_expressions_become_numbers_and_bools() {
        let v = run("port: ${PORT:-5001}\nflag: ${FLAG:-true}\nname: ${N:-007x}").unwrap();
        assert_eq!(v["port"].as_u64(), Some(5001));
        assert_eq!(v["flag"].as_bool(), Some(true));
        assert_eq!(v["name"].as_str(), Some("007x"));
    }

    #[test]
    fn an_unset_variable_without_default_names_the_key_and_the_fix() {
        let err = run("clients:\n  - secret: ${MISSING}").unwrap_err();
        assert!(
            err.contains("clients[0].secret") && err.contains("${MISSING:-default}"),
            "{err}"
        );
    }
}
