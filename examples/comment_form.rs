//! A blog comment form handler: the "Some HTML allowed" line under the form
//! is rendered from the very policy that cleans the comment, so the two can
//! never drift apart.
//!
//! ```text
//! echo 'Nice <b>post</b>! <a href="https://example.org" onclick="x()">link</a><script>steal()</script>' \
//!     | cargo run --example comment_form
//! ```

use std::io::Read;

use borax::Policy;

/// What the page shows under the comment box.
fn help_line(policy: &Policy) -> String {
    policy.to_notation()
}

/// What the page stores (or shows) for a submitted comment.
fn accept_comment(policy: &Policy, submitted: &str) -> Result<String, borax::CleanError> {
    policy.try_clean(submitted)
}

fn main() {
    // Built once at start-up, shared by every request.
    let policy = Policy::comments();

    let mut submitted = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut submitted) {
        eprintln!("comment_form: cannot read the comment: {e}");
        std::process::exit(1);
    }
    println!("<form method=post><textarea name=comment></textarea>");
    println!(
        "<p class=help>{}</p></form>",
        borax::escape_text(&help_line(&policy))
    );
    match accept_comment(&policy, &submitted) {
        Ok(html) => println!("<div class=comment>{html}</div>"),
        Err(e) => eprintln!("comment refused: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_line_matches_what_is_enforced() {
        let p = Policy::comments();
        assert!(help_line(&p).starts_with("Some HTML allowed: <a href=\"\" title=\"\">"));
        assert_eq!(
            accept_comment(&p, "<b>hi</b><img src=x onerror=y>").unwrap(),
            "<b>hi</b>"
        );
    }
}
