//! Markdown to safe HTML: render with pulldown-cmark (which passes raw HTML
//! through), then clean with the `basic` preset, which keeps what Markdown
//! produces (paragraphs, emphasis, lists, code, quotes, links) and nothing
//! a user could smuggle in through inline HTML.
//!
//! ```text
//! printf '# Hi\n\n*so* `safe` [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n' \
//!     | cargo run --example markdown
//! ```

use std::io::Read;

use borax::Policy;
use pulldown_cmark::{html, Options, Parser};

fn render(markdown: &str, policy: &Policy) -> String {
    let mut unsafe_html = String::new();
    html::push_html(
        &mut unsafe_html,
        Parser::new_ext(markdown, Options::empty()),
    );
    policy.clean(&unsafe_html)
}

fn main() {
    let mut markdown = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut markdown) {
        eprintln!("markdown: cannot read standard input: {e}");
        std::process::exit(1);
    }
    print!("{}", render(&markdown, &Policy::basic()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_formatting_and_loses_script() {
        let out = render(
            "*so* `safe` [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
            &Policy::basic(),
        );
        assert_eq!(
            out,
            "<p><em>so</em> <code>safe</code> <a rel=\"nofollow ugc\">x</a> </p>\n"
        );
    }
}
