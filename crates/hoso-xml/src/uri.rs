//! URI reference joining for the xml:base fix-up of Canonical XML 1.1.
//!
//! This is RFC 3986 section 5.2 reference resolution with the changes
//! Canonical XML 1.1 section 2.4 makes for its join-URI-References: a base
//! may itself be a relative reference, so `remove_dot_segments` keeps leading
//! `..` segments that cannot be removed, appends `/` to a trailing `..` and
//! replaces runs of `/` by one (the examples of its Appendix A); a base whose
//! path ends in `..` is a directory (`".."` and `".."` join as `"../../"`);
//! and the fragment of the reference is ignored.

struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

/// The parts of a URI reference; the fragment is dropped (the base's plays
/// no part in resolution, the reference's is ignored by join-URI-References).
fn split(uri: &str) -> Parts<'_> {
    let rest = uri.find('#').map_or(uri, |i| &uri[..i]);
    let (rest, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (scheme, rest) = match rest.find(':') {
        Some(i)
            if i > 0 && rest.as_bytes()[0].is_ascii_alphabetic() && !rest[..i].contains('/') =>
        {
            (Some(&rest[..i]), &rest[i + 1..])
        }
        _ => (None, rest),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(r) => {
            let end = r.find('/').unwrap_or(r.len());
            (Some(&r[..end]), &r[end..])
        }
        None => (None, rest),
    };
    Parts {
        scheme,
        authority,
        path,
        query,
    }
}

/// `remove_dot_segments`, keeping `..` segments that have nothing to remove.
fn remove_dot_segments(path: &str) -> String {
    let absolute = path.starts_with('/');
    let body = if absolute { &path[1..] } else { path };
    let segments: Vec<&str> = body.split('/').collect();
    let count = segments.len();
    let mut out: Vec<&str> = Vec::with_capacity(count);
    for (i, segment) in segments.into_iter().enumerate() {
        let last = i + 1 == count;
        match segment {
            // Runs of '/' count as one.
            "" if !last => {}
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.last().is_some_and(|s| *s != "..") {
                    out.pop();
                } else if !absolute {
                    out.push("..");
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

fn merge(base: &Parts<'_>, reference_path: &str) -> String {
    if base.authority.is_some() && base.path.is_empty() {
        return format!("/{reference_path}");
    }
    match base.path.rfind('/') {
        Some(i) => format!("{}{}", &base.path[..=i], reference_path),
        None => reference_path.to_string(),
    }
}

/// Joins `reference` to `base`: RFC 3986 section 5.2.2 as Canonical XML 1.1
/// modifies it (see the module documentation).
pub(crate) fn join(base: &str, reference: &str) -> String {
    let directory: String;
    let mut b = split(base);
    // A trailing ".." of the base names a directory.
    if b.path == ".." || b.path.ends_with("/..") {
        directory = format!("{}/", b.path);
        b.path = &directory;
    }
    let r = split(reference);
    let (scheme, authority, path, query);
    if r.scheme.is_some() {
        scheme = r.scheme;
        authority = r.authority;
        path = remove_dot_segments(r.path);
        query = r.query;
    } else {
        scheme = b.scheme;
        if r.authority.is_some() {
            authority = r.authority;
            path = remove_dot_segments(r.path);
            query = r.query;
        } else {
            authority = b.authority;
            if r.path.is_empty() {
                path = b.path.to_string();
                query = r.query.or(b.query);
            } else {
                path = if r.path.starts_with('/') {
                    remove_dot_segments(r.path)
                } else {
                    remove_dot_segments(&merge(&b, r.path))
                };
                query = r.query;
            }
        }
    }
    let mut out = String::new();
    if let Some(s) = scheme {
        out.push_str(s);
        out.push(':');
    }
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{join, remove_dot_segments};

    #[test]
    fn rfc3986_normal_examples() {
        let base = "http://a/b/c/d;p?q";
        for (reference, expected) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            // Canonical XML 1.1 ignores the reference's fragment.
            ("#s", "http://a/b/c/d;p?q"),
            ("g#s", "http://a/b/c/g"),
            (";x", "http://a/b/c/;x"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("./", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../g", "http://a/g"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g.", "http://a/b/c/g."),
            ("g..", "http://a/b/c/g.."),
            ("./../g", "http://a/b/g"),
            ("g/../h", "http://a/b/c/h"),
        ] {
            assert_eq!(join(base, reference), expected, "reference {reference:?}");
        }
    }

    #[test]
    fn relative_bases_keep_leading_parent_segments() {
        assert_eq!(join("../a/", "b"), "../a/b");
        assert_eq!(join("../a/", "../../b"), "../../b");
        assert_eq!(join("a/b/", "../c"), "a/c");
        assert_eq!(join("foo/", "../bar/"), "bar/");
    }

    /// The examples of Canonical XML 1.1 section 2.4.
    #[test]
    fn c14n11_join_examples() {
        assert_eq!(join("abc/", "../"), "");
        assert_eq!(join("../", "../"), "../../");
        assert_eq!(join("..", ".."), "../../");
        // b and c (xml:base "..") omitted above d (xml:base "x").
        assert_eq!(join(&join("..", ".."), "x"), "../../x");
        assert_eq!(join("..", &join("..", "x")), "../../x");
        // Section 3.8: e2 ("bar/") omitted between doc and e3 ("foo").
        assert_eq!(
            join(&join("something/else", "bar/"), "foo"),
            "something/bar/foo"
        );
    }

    /// Rows of the table of Canonical XML 1.1 Appendix A.
    #[test]
    fn c14n11_appendix_a() {
        for (path, expected) in [
            (
                "no/.././/pseudo-netpath/seg/file.ext",
                "pseudo-netpath/seg/file.ext",
            ),
            (
                "no/..//.///pseudo-netpath/seg/file.ext",
                "pseudo-netpath/seg/file.ext",
            ),
            (
                "yes/no//..//.///pseudo-netpath/seg/file.ext",
                "yes/pseudo-netpath/seg/file.ext",
            ),
            ("no/../yes/no/..", "yes/"),
            ("../../no/../..", "../../../"),
            ("no/../..", "../"),
            ("no/..", ""),
            ("/a/b/c/./../../g", "/a/g"),
            ("mid/content=5/../6", "mid/6"),
            ("..yes/..no/..no/..no/../../../..yes", "..yes/..yes"),
            ("../..", "../../"),
            ("./.", ""),
            ("//no/..", "/"),
            ("..yes/...no/..no/..no/../../..", "..yes/"),
            ("/..yes/..no/..no/..no/../../..", "/..yes/"),
            ("/../../..", "/"),
            ("//..//..//..", "/"),
            ("/./.././.././..", "/"),
            ("..", "../"),
            ("../", "../"),
        ] {
            assert_eq!(remove_dot_segments(path), expected, "path {path:?}");
        }
    }
}
